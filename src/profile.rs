//! The profile file: `$XDG_CONFIG_HOME/imgcat/config.toml` (or `~/.config/imgcat/config.toml`,
//! or the file `IMGCAT_CONFIG` names), one table per profile:
//!
//! ```toml
//! [default]
//! concurrency = 16
//!
//! [default.<table>]          # one table per credential group of the registry
//! <key> = "..."              # each key stands for one environment variable
//!
//! [default.endpoints]        # per provider id
//! <provider-id> = "http://127.0.0.1:8080"
//! ```
//!
//! The tables and keys are those the registry's credential groups declare
//! (`providers::CredentialGroup`); the README lists them. Each value stands for the environment
//! variable of the same meaning, and only fills in where that variable is not set: flags, then
//! environment, then profile. A group's credentials (key id, secret, token) come as a unit: when
//! a flag or the environment sets any of them, the profile's credentials of that group are not
//! used ([`Profile::fill`]); its settings (region, project id) still fill in.
//!
//! Numbers have the ranges of the flags they stand for ([`CONCURRENCY_RANGE`]); a value out of
//! range, a TOML error (with its line and column) and a file `IMGCAT_CONFIG` names that does not
//! exist are configuration errors.

use std::collections::BTreeMap;
use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};

use crate::config::{Env, LeftOut};
use crate::credentials::{Origin, warn_if_readable_by_others};
use crate::error::{Error, Result};
use crate::providers::{CredentialGroup, ProviderId, credential_groups};

/// The variable that names the config file.
pub const CONFIG_VAR: &str = "IMGCAT_CONFIG";

/// The values `concurrency` takes: in the profile, and as `--concurrency`.
pub const CONCURRENCY_RANGE: RangeInclusive<u16> = 1..=256;

/// A loaded profile, as environment variables.
#[derive(Debug, Clone)]
pub struct Profile {
    /// The profile's name.
    pub name: String,
    /// The file it came from.
    pub path: PathBuf,
    /// Its values, under the environment variable names they stand for.
    pub vars: Vec<(String, String)>,
    /// `concurrency`, within [`CONCURRENCY_RANGE`].
    pub concurrency: Option<u16>,
}

impl Profile {
    /// Fills in `env` (flags and environment already set) with the profile's values: each
    /// value where its variable is unset, except that a credential group's credentials come as
    /// a unit - when `env` sets any of them, none of the profile's credentials of that group
    /// is used. A profile credential left out that nothing else sets (an environment key id
    /// with the profile's secret) is warned about, on one line.
    pub fn fill(&self, env: &mut Env) {
        let origin = Origin::Profile {
            name: self.name.clone(),
            path: self.path.clone(),
        };
        let left_out = env.fill_under(&self.vars, &origin.to_string());
        // One line per group: what the profile holds that is not used, and why.
        let mut tables: Vec<&str> = Vec::new();
        for l in &left_out {
            if !tables.contains(&l.table) {
                tables.push(l.table);
            }
        }
        for table in tables {
            let mine: Vec<&LeftOut> = left_out.iter().filter(|l| l.table == table).collect();
            let keys: Vec<&str> = mine.iter().map(|l| l.key.profile).collect();
            let vars: Vec<&str> = mine.iter().map(|l| l.key.env).collect();
            let set: &[&str] = mine.first().map_or(&[], |l| l.set.as_slice());
            let set_from: Vec<String> = set
                .iter()
                .map(|v| format!("{v} ({})", env.origin(v).unwrap_or("environment")))
                .collect();
            tracing::warn!(
                "profile {name} in {path}: [{name}.{table}] {keys} not used: {set_from} {is} set, and a cloud's key id, secret and token come from one source; unset {set} to use the profile's, or set {vars} too",
                name = self.name,
                path = self.path.display(),
                keys = keys.join(", "),
                set_from = set_from.join(", "),
                is = if set.len() == 1 { "is" } else { "are" },
                set = set.join(" and "),
                vars = vars.join(" and "),
            );
        }
    }
}

/// Where the profile file is: `IMGCAT_CONFIG`, else `$XDG_CONFIG_HOME/imgcat/config.toml`, else
/// `$HOME/.config/imgcat/config.toml`.
pub fn path(env: &Env) -> Option<PathBuf> {
    if let Some(p) = env.get(CONFIG_VAR) {
        return Some(PathBuf::from(p));
    }
    let base = env
        .get("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(|| env.get("HOME").map(|h| PathBuf::from(h).join(".config")))?;
    Some(base.join("imgcat").join("config.toml"))
}

/// Loads profile `name` (`--profile`, else `IMGCAT_PROFILE`, else `default`). A missing file at
/// the default location is no profile, unless a profile was asked for by name; a file
/// `IMGCAT_CONFIG` names must exist.
pub fn load(env: &Env, name: Option<&str>) -> Result<Option<Profile>> {
    let asked = name
        .map(str::to_string)
        .or_else(|| env.get("IMGCAT_PROFILE").map(str::to_string));
    let name = asked.clone().unwrap_or_else(|| "default".to_string());
    let Some(path) = path(env) else {
        return Ok(None);
    };
    let named = env.get(CONFIG_VAR).is_some();
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && named => {
            return Err(Error::Config(format!(
                "profile: {} (named by {CONFIG_VAR}) does not exist; create it or unset {CONFIG_VAR}",
                path.display()
            )));
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && asked.is_none() => return Ok(None),
        Err(e) => {
            return Err(Error::Config(format!(
                "profile: cannot read {}: {e}",
                path.display()
            )));
        }
    };
    let mut all: BTreeMap<String, toml::Table> =
        toml::from_str(&text).map_err(|e| toml_error(&path, &text, &e))?;
    if holds_secret(&all) {
        warn_if_readable_by_others(&path);
    }
    let invalid = |e: String| Error::Config(format!("profile {name} in {}: {e}", path.display()));
    let Some(file) = all.remove(&name) else {
        if asked.is_none() {
            return Ok(None);
        }
        let names: Vec<String> = all.keys().cloned().collect();
        return Err(Error::Config(format!(
            "profile: no profile '{name}' in {}; it has: {}",
            path.display(),
            if names.is_empty() {
                "none".into()
            } else {
                names.join(", ")
            }
        )));
    };
    let groups = credential_groups();
    let mut vars: Vec<(String, String)> = Vec::new();
    let mut concurrency = None;
    for (key, value) in &file {
        match key.as_str() {
            "concurrency" => {
                concurrency = Some(number_in(key, value, &CONCURRENCY_RANGE).map_err(invalid)?);
            }
            "endpoints" => {
                let table = value
                    .as_table()
                    .ok_or_else(|| invalid(format!("[{name}.endpoints] must be a table")))?;
                for (id, url) in table {
                    let p: ProviderId = id
                        .parse()
                        .map_err(|e| invalid(format!("[{name}.endpoints]: {e}")))?;
                    let url = url.as_str().ok_or_else(|| {
                        invalid(format!("[{name}.endpoints] {id}: must be a string"))
                    })?;
                    vars.push((p.endpoint_var(), url.to_string()));
                }
            }
            table => {
                let Some(group) = groups.iter().find(|g| g.table == table) else {
                    let mut valid: Vec<&str> = vec!["concurrency"];
                    valid.extend(groups.iter().map(|g| g.table));
                    valid.push("endpoints");
                    return Err(invalid(format!(
                        "[{name}]: unknown key `{table}`, expected one of {}",
                        valid.join(", ")
                    )));
                };
                read_group(group, &name, value, &mut vars).map_err(invalid)?;
            }
        }
    }
    Ok(Some(Profile {
        name,
        path,
        vars,
        concurrency,
    }))
}

/// A whole number within `range`: else `key = value is out of range 1-256` (or, for a value
/// that is not a whole number, `... is not a whole number in range 1-256`).
fn number_in<T>(
    key: &str,
    value: &toml::Value,
    range: &RangeInclusive<T>,
) -> std::result::Result<T, String>
where
    T: Copy + PartialOrd + TryFrom<i64> + std::fmt::Display,
{
    let shown = || format!("{}-{}", range.start(), range.end());
    let Some(n) = value.as_integer() else {
        return Err(format!(
            "{key} = {value} is not a whole number in range {}",
            shown()
        ));
    };
    match T::try_from(n) {
        Ok(v) if range.contains(&v) => Ok(v),
        _ => Err(format!("{key} = {n} is out of range {}", shown())),
    }
}

/// A TOML error on one line: the file, the line and column of its span (1-based, columns in
/// characters), and the message.
fn toml_error(path: &Path, text: &str, e: &toml::de::Error) -> Error {
    let message = e
        .message()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("; ");
    match e.span() {
        Some(span) => {
            let (line, column) = line_column(text, span.start);
            Error::Config(format!(
                "profile: {}, line {line}, column {column}: {message}",
                path.display()
            ))
        }
        None => Error::Config(format!(
            "profile: {} is not a valid imgcat config: {message}",
            path.display()
        )),
    }
}

/// The 1-based line and column (in characters) of byte `offset` of `text`.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let bytes = text.as_bytes();
    let before = bytes.get(..offset).unwrap_or(bytes);
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (line, column)
}

/// Whether any profile of the file holds a secret value (a secret key, password or token): only
/// then is its being readable by others worth a warning.
fn holds_secret(all: &BTreeMap<String, toml::Table>) -> bool {
    let groups = credential_groups();
    all.values().any(|profile| {
        groups.iter().any(|g| {
            profile
                .get(g.table)
                .and_then(toml::Value::as_table)
                .is_some_and(|table| {
                    g.keys.iter().filter(|k| k.secret).any(|k| {
                        table
                            .get(k.profile)
                            .and_then(toml::Value::as_str)
                            .is_some_and(|v| !v.trim().is_empty())
                    })
                })
        })
    })
}

/// The variables a group's table `[name.<table>]` stands for, in the group's order.
fn read_group(
    group: &CredentialGroup,
    name: &str,
    value: &toml::Value,
    vars: &mut Vec<(String, String)>,
) -> std::result::Result<(), String> {
    let table = value
        .as_table()
        .ok_or_else(|| format!("[{name}.{}] must be a table", group.table))?;
    for (k, v) in table {
        if !group.keys.iter().any(|key| key.profile == k) {
            let valid: Vec<&str> = group.keys.iter().map(|key| key.profile).collect();
            return Err(format!(
                "[{name}.{}]: unknown key `{k}`, expected one of {}",
                group.table,
                valid.join(", ")
            ));
        }
        if v.as_str().is_none() {
            return Err(format!("[{name}.{}] {k}: must be a string", group.table));
        }
    }
    for key in group.keys {
        if let Some(v) = table.get(key.profile).and_then(toml::Value::as_str) {
            vars.push((key.env.to_string(), v.to_string()));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_offsets_become_lines_and_columns() {
        let text = "[a]\nk = \"é\"x\n";
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(line_column(text, 4), (2, 1));
        // After `k = "é"`: the column counts characters, not bytes.
        let x = text.find('x').unwrap_or_default();
        assert_eq!(line_column(text, x), (2, 8));
        assert_eq!(line_column(text, 10_000), (3, 1), "past the end: its end");
    }

    #[test]
    fn numbers_are_range_checked() {
        let n = |v: i64| number_in("concurrency", &toml::Value::Integer(v), &CONCURRENCY_RANGE);
        assert_eq!(n(1), Ok(1));
        assert_eq!(n(256), Ok(256));
        assert_eq!(
            n(0),
            Err("concurrency = 0 is out of range 1-256".to_string())
        );
        assert_eq!(
            n(60_000),
            Err("concurrency = 60000 is out of range 1-256".to_string())
        );
        assert_eq!(
            n(-70_000),
            Err("concurrency = -70000 is out of range 1-256".to_string())
        );
        let s = number_in(
            "concurrency",
            &toml::Value::String("16".into()),
            &CONCURRENCY_RANGE,
        );
        assert_eq!(
            s,
            Err("concurrency = \"16\" is not a whole number in range 1-256".to_string())
        );
    }

    #[test]
    fn only_secret_values_make_a_file_hold_credentials() {
        let parse = |t: &str| -> BTreeMap<String, toml::Table> {
            toml::from_str(t).unwrap_or_else(|e| panic!("{e}"))
        };
        assert!(!holds_secret(&parse(
            "[default]\nconcurrency = 4\n[default.tencent]\nsecret_id = \"AKID\"\nregion = \"r\"\n"
        )));
        assert!(!holds_secret(&parse(
            "[default.tencent]\nsecret_key = \"  \"\n"
        )));
        assert!(holds_secret(&parse(
            "[default]\n[other.tencent]\nsecret_key = \"k\"\n"
        )));
    }
}
