//! Zenlayer's credential chain after the environment and the imgcat profile: the profiles of
//! the `zeno` CLI (github.com/zenlayer/zenlayercloud-cli, `internal/config`). The SDK itself
//! takes explicit keys only, and Zenlayer has no instance metadata service.
//!
//! `~/.zenlayer/credentials.json` is a JSON object of profiles, each `{"access_key_id",
//! "access_key_secret"}` or `{"token"}`; the profile is `$ZENLAYER_PROFILE`, else
//! `current_profile` of `~/.zenlayer/config.json`, else `default`.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::config::{ACCESS_KEY_ID, ACCESS_KEY_PASSWORD, TOKEN};
use crate::config::Env;
use crate::credentials::{Candidate, Chain, FileSource, Source, Vars, in_home};

/// The variable `zeno` reads the profile name from.
pub const PROFILE_VAR: &str = "ZENLAYER_PROFILE";

/// The chain: `zeno`'s credentials file.
pub static CHAIN: Chain = Chain {
    has_keys,
    key_vars: &[ACCESS_KEY_ID, ACCESS_KEY_PASSWORD, TOKEN],
    sources: &[Source::File(&ZENO_FILE)],
};

fn has_keys(env: &Env) -> bool {
    [ACCESS_KEY_ID, ACCESS_KEY_PASSWORD, TOKEN]
        .iter()
        .any(|k| env.get(k).is_some())
}

/// `zeno`'s credentials file.
pub static ZENO_FILE: ZenoFile = ZenoFile;

/// `~/.zenlayer/credentials.json` ([`FileSource`]).
#[derive(Debug)]
pub struct ZenoFile;

#[derive(Deserialize)]
struct Profile {
    #[serde(default)]
    access_key_id: String,
    #[serde(default)]
    access_key_secret: String,
    #[serde(default)]
    token: String,
}

#[derive(Deserialize)]
struct ZenoConfig {
    #[serde(default)]
    current_profile: String,
}

/// The profile to read and where its name came from.
fn profile_name(env: &Env) -> Result<(String, String), String> {
    if let Some(p) = env.get(PROFILE_VAR) {
        return Ok((p.to_string(), PROFILE_VAR.to_string()));
    }
    if let Some(path) = in_home(env, &[".zenlayer", "config.json"]) {
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                let c: ZenoConfig = serde_json::from_str(&text).map_err(|e| {
                    format!(
                        "{} is not zeno's JSON config ({e}); fix it or set {PROFILE_VAR}",
                        path.display()
                    )
                })?;
                if !c.current_profile.trim().is_empty() {
                    return Ok((
                        c.current_profile.trim().to_string(),
                        format!("current_profile of {}", path.display()),
                    ));
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
        }
    }
    Ok(("default".to_string(), "the default".to_string()))
}

impl FileSource for ZenoFile {
    fn candidates(&self, env: &Env) -> Vec<Candidate> {
        in_home(env, &[".zenlayer", "credentials.json"])
            .map(Candidate::default_at)
            .into_iter()
            .collect()
    }

    fn read(&self, _path: &Path, text: &str, env: &Env) -> Result<Vars, String> {
        let profiles: BTreeMap<String, Profile> = serde_json::from_str(text)
            .map_err(|e| format!("not zeno's JSON credentials (an object of profiles): {e}"))?;
        let (name, from) = profile_name(env)?;
        let Some(p) = profiles.get(&name) else {
            let names: Vec<&str> = profiles.keys().map(String::as_str).collect();
            return Err(format!(
                "no profile '{name}' ({from}); it has: {}; set {PROFILE_VAR} to one of them",
                if names.is_empty() {
                    "none".to_string()
                } else {
                    names.join(", ")
                }
            ));
        };
        let (id, secret, token) = (
            p.access_key_id.trim(),
            p.access_key_secret.trim(),
            p.token.trim(),
        );
        let mut vars: Vars = Vec::new();
        if !id.is_empty() && !secret.is_empty() {
            vars.push((ACCESS_KEY_ID.to_string(), id.to_string()));
            vars.push((ACCESS_KEY_PASSWORD.to_string(), secret.to_string()));
        }
        if !token.is_empty() {
            vars.push((TOKEN.to_string(), token.to_string()));
        }
        if vars.is_empty() {
            return Err(format!(
                "profile '{name}' has neither access_key_id and access_key_secret nor token; run zeno configure"
            ));
        }
        Ok(vars)
    }

    fn variables(&self) -> &'static [&'static str] {
        &[PROFILE_VAR]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str, env: &Env) -> Result<Vars, String> {
        ZENO_FILE.read(Path::new("/h/.zenlayer/credentials.json"), text, env)
    }

    const FILE: &str = r#"{"default":{"access_key_id":"ZLKEY","access_key_secret":"zl-secret"},
                           "ci":{"token":"zl-token"}}"#;

    #[test]
    fn the_profile_comes_from_the_variable_then_zenos_config() {
        let vars = read(FILE, &Env::default()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            vars,
            vec![
                (ACCESS_KEY_ID.to_string(), "ZLKEY".to_string()),
                (ACCESS_KEY_PASSWORD.to_string(), "zl-secret".to_string())
            ]
        );
        let vars =
            read(FILE, &Env::from_pairs([(PROFILE_VAR, "ci")])).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(vars, vec![(TOKEN.to_string(), "zl-token".to_string())]);
        let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let dir = home.path().join(".zenlayer");
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(
            dir.join("config.json"),
            r#"{"current_profile":"ci","profiles":{}}"#,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let env = Env::from_pairs([("HOME", home.path().to_string_lossy().into_owned())]);
        let vars = read(FILE, &env).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(vars, vec![(TOKEN.to_string(), "zl-token".to_string())]);
    }

    #[test]
    fn bad_files_say_what_is_wrong() {
        let env = Env::from_pairs([(PROFILE_VAR, "prod")]);
        let err = read(FILE, &env).err().unwrap_or_default();
        assert!(
            err.contains("no profile 'prod' (ZENLAYER_PROFILE); it has: ci, default"),
            "{err}"
        );
        let err = read("[1,2]", &Env::default()).err().unwrap_or_default();
        assert!(err.contains("not zeno's JSON credentials"), "{err}");
        let err = read(r#"{"default":{"access_key_id":"K"}}"#, &Env::default())
            .err()
            .unwrap_or_default();
        assert!(err.contains("has neither"), "{err}");
    }
}
