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
//! environment, then profile.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::config::Env;
use crate::credentials::warn_if_readable_by_others;
use crate::error::{Error, Result};
use crate::providers::{CredentialGroup, ProviderId, credential_groups};

/// A loaded profile, as environment variables.
#[derive(Debug, Clone)]
pub struct Profile {
    /// The profile's name.
    pub name: String,
    /// The file it came from.
    pub path: PathBuf,
    /// Its values, under the environment variable names they stand for.
    pub vars: Vec<(String, String)>,
    /// `concurrency`.
    pub concurrency: Option<u16>,
}

/// Where the profile file is: `IMGCAT_CONFIG`, else `$XDG_CONFIG_HOME/imgcat/config.toml`, else
/// `$HOME/.config/imgcat/config.toml`.
pub fn path(env: &Env) -> Option<PathBuf> {
    if let Some(p) = env.get("IMGCAT_CONFIG") {
        return Some(PathBuf::from(p));
    }
    let base = env
        .get("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(|| env.get("HOME").map(|h| PathBuf::from(h).join(".config")))?;
    Some(base.join("imgcat").join("config.toml"))
}

/// Loads profile `name` (`--profile`, else `IMGCAT_PROFILE`, else `default`). A missing file is
/// no profile, unless a profile was asked for by name.
pub fn load(env: &Env, name: Option<&str>) -> Result<Option<Profile>> {
    let asked = name
        .map(str::to_string)
        .or_else(|| env.get("IMGCAT_PROFILE").map(str::to_string));
    let name = asked.clone().unwrap_or_else(|| "default".to_string());
    let Some(path) = path(env) else {
        return Ok(None);
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && asked.is_none() => return Ok(None),
        Err(e) => {
            return Err(Error::Config(format!(
                "profile: cannot read {}: {e}",
                path.display()
            )));
        }
    };
    warn_if_readable_by_others(&path);
    let invalid = |e: String| {
        Error::Config(format!(
            "profile: {} is not a valid imgcat config: {e}",
            path.display()
        ))
    };
    let mut all: BTreeMap<String, toml::Table> =
        toml::from_str(&text).map_err(|e| invalid(e.message().to_string()))?;
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
                let n = value
                    .as_integer()
                    .and_then(|n| u16::try_from(n).ok())
                    .ok_or_else(|| {
                        invalid(format!(
                            "[{name}] concurrency: {value} is not a number from 0 to 65535"
                        ))
                    })?;
                concurrency = Some(n);
            }
            "endpoints" => {
                let table = value
                    .as_table()
                    .ok_or_else(|| invalid(format!("[{name}.endpoints] must be a table")))?;
                for (id, url) in table {
                    let p: ProviderId = id.parse().map_err(|e| {
                        Error::Config(format!(
                            "profile: {}: [{name}.endpoints]: {e}",
                            path.display()
                        ))
                    })?;
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
