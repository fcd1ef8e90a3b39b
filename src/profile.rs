//! The profile file: `$XDG_CONFIG_HOME/imgcat/config.toml` (or `~/.config/imgcat/config.toml`,
//! or the file `IMGCAT_CONFIG` names), one table per profile:
//!
//! ```toml
//! [default]
//! concurrency = 16
//!
//! [default.huawei]
//! ak = "..."
//! sk = "..."
//! region = "cn-north-4"
//!
//! [default.tencent]
//! secret_id = "..."
//! secret_key = "..."
//! signature_method = "HmacSHA1"
//!
//! [default.zenlayer]
//! access_key_id = "..."
//! access_key_password = "..."
//! zone = "FRA-A"
//!
//! [default.endpoints]
//! huawei-ims = "http://127.0.0.1:8080"
//! ```
//!
//! Each value stands for the environment variable of the same meaning, and only fills in where
//! that variable is not set: flags, then environment, then profile.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Deserialize;

use crate::config::Env;
use crate::error::{Error, Result};
use crate::providers::ProviderId;

/// One profile's tables.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProfileFile {
    concurrency: Option<u16>,
    huawei: Option<Huawei>,
    tencent: Option<Tencent>,
    zenlayer: Option<Zenlayer>,
    #[serde(default)]
    endpoints: BTreeMap<String, String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Huawei {
    ak: Option<String>,
    sk: Option<String>,
    security_token: Option<String>,
    auth_token: Option<String>,
    project_id: Option<String>,
    region: Option<String>,
    iam_endpoint: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Tencent {
    secret_id: Option<String>,
    secret_key: Option<String>,
    session_token: Option<String>,
    region: Option<String>,
    signature_method: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Zenlayer {
    access_key_id: Option<String>,
    access_key_password: Option<String>,
    token: Option<String>,
    zone: Option<String>,
}

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
    let mut all: BTreeMap<String, ProfileFile> = toml::from_str(&text).map_err(|e| {
        Error::Config(format!(
            "profile: {} is not a valid imgcat config: {}",
            path.display(),
            e.message()
        ))
    })?;
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
    let mut vars: Vec<(String, String)> = Vec::new();
    let mut put = |k: &str, v: Option<String>| {
        if let Some(v) = v {
            vars.push((k.to_string(), v));
        }
    };
    let h = file.huawei.unwrap_or_default();
    put("HUAWEICLOUD_SDK_AK", h.ak);
    put("HUAWEICLOUD_SDK_SK", h.sk);
    put("HUAWEICLOUD_SDK_SECURITY_TOKEN", h.security_token);
    put("HUAWEICLOUD_AUTH_TOKEN", h.auth_token);
    put("HUAWEICLOUD_SDK_PROJECT_ID", h.project_id);
    put("HUAWEICLOUD_SDK_REGION", h.region);
    put("HUAWEICLOUD_SDK_IAM_ENDPOINT", h.iam_endpoint);
    let t = file.tencent.unwrap_or_default();
    put("TENCENTCLOUD_SECRET_ID", t.secret_id);
    put("TENCENTCLOUD_SECRET_KEY", t.secret_key);
    put("TENCENTCLOUD_SESSION_TOKEN", t.session_token);
    put("TENCENTCLOUD_REGION", t.region);
    put("IMGCAT_TENCENT_SIGNATURE_METHOD", t.signature_method);
    let z = file.zenlayer.unwrap_or_default();
    put("ZENLAYERCLOUD_ACCESS_KEY_ID", z.access_key_id);
    put("ZENLAYERCLOUD_ACCESS_KEY_PASSWORD", z.access_key_password);
    put("ZENLAYERCLOUD_TOKEN", z.token);
    put("ZENLAYERCLOUD_ZONE", z.zone);
    for (id, url) in file.endpoints {
        let p: ProviderId = id.parse().map_err(|e| {
            Error::Config(format!(
                "profile: {}: [{name}.endpoints]: {e}",
                path.display()
            ))
        })?;
        vars.push((format!("IMGCAT_ENDPOINT_{}", p.env_suffix()), url));
    }
    Ok(Some(Profile {
        name,
        path,
        vars,
        concurrency: file.concurrency,
    }))
}

#[cfg(unix)]
fn warn_if_readable_by_others(path: &std::path::Path) {
    use std::os::unix::fs::PermissionsExt;
    if let Ok(meta) = std::fs::metadata(path)
        && meta.permissions().mode() & 0o077 != 0
    {
        tracing::warn!(
            "{} holds credentials and is readable by group or others; run: chmod 600 {}",
            path.display(),
            path.display()
        );
    }
}

#[cfg(not(unix))]
fn warn_if_readable_by_others(_path: &std::path::Path) {}
