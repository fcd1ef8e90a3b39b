//! Configuration: the environment snapshot every setting is read from, and endpoints.
//!
//! Each provider reads its own credentials from [`Env`] (the variables its registry entry
//! declares; see `providers::CredentialGroup`). Precedence: command-line flags (a provider
//! flag is set into the [`Env`] as the variable it stands for), then environment variables,
//! then the profile. A credential group's credentials (key id, secret, token) come from one of
//! these as a unit ([`Env::set_over`], [`Env::fill_under`]); its settings fill in one by one.

use std::collections::HashMap;

use url::Url;

use crate::error::{Error, Result};
use crate::providers::{CredentialKey, ProviderId, credential_groups};

/// A snapshot of the environment variables imgcat reads, so that resolution is testable.
///
/// Its `Debug` shows the variable names only: the values include secrets (and, from the
/// process, every other variable).
#[derive(Clone, Default)]
pub struct Env {
    vars: HashMap<String, String>,
    /// Where each variable that did not come from the process environment came from.
    origins: HashMap<String, String>,
}

impl std::fmt::Debug for Env {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut names: Vec<&String> = self.vars.keys().collect();
        names.sort();
        f.debug_map()
            .entries(names.into_iter().map(|k| (k, crate::http::redact::MASK)))
            .finish()
    }
}

impl Env {
    /// The process environment.
    pub fn from_process() -> Self {
        Env {
            vars: std::env::vars_os()
                .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
                .collect(),
            origins: HashMap::new(),
        }
    }

    /// An environment made of the given pairs.
    pub fn from_pairs<I, K, V>(pairs: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        Env {
            vars: pairs
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
            origins: HashMap::new(),
        }
    }

    /// Fills in variables that are unset (or empty) with `pairs`, remembering `origin` for them.
    pub fn fill_from(&mut self, pairs: &[(String, String)], origin: &str) {
        for (k, v) in pairs {
            if self.get(k).is_none() {
                self.vars.insert(k.clone(), v.clone());
                self.origins.insert(k.clone(), origin.to_string());
            }
        }
    }

    /// Puts a higher source's `pairs` (flags) over what is set, remembering `origin` for them.
    /// Each credential group's credentials come as a unit: when `pairs` hold any of a group's
    /// credentials, the group's other credentials set so far are removed, so that a key id from
    /// `pairs` is never signed with a secret from below.
    pub fn set_over(&mut self, pairs: &[(String, String)], origin: &str) {
        for g in credential_groups() {
            let given = |v: &str| pairs.iter().any(|(k, _)| k == v);
            if g.credential_vars().any(given) {
                for v in g.credential_vars().filter(|v| !given(v)) {
                    self.vars.remove(v);
                    self.origins.remove(v);
                }
            }
        }
        for (k, v) in pairs {
            self.set(k, v, origin);
        }
    }

    /// Fills in from a lower source's `pairs` (the profile), remembering `origin`, as
    /// [`Env::fill_from`] does except for credentials: each credential group's credentials come
    /// as a unit, so when any of them is set already, none of `pairs`' credentials of that
    /// group is taken. Settings (a region, a project id, an endpoint) fill in one by one.
    ///
    /// Returns the credentials left out whose variable nothing sets (the other half of a pair
    /// that is now incomplete), with the variables of their group that are set, for a warning.
    pub fn fill_under(&mut self, pairs: &[(String, String)], origin: &str) -> Vec<LeftOut> {
        let mut left_out = Vec::new();
        let mut kept: Vec<(String, String)> = Vec::new();
        let groups = credential_groups();
        for (k, v) in pairs {
            let found = groups
                .iter()
                .find_map(|g| Some((*g, g.key(k).filter(|key| key.credential)?)));
            let Some((group, key)) = found else {
                kept.push((k.clone(), v.clone()));
                continue;
            };
            let set: Vec<&'static str> = group
                .credential_vars()
                .filter(|var| self.get(var).is_some())
                .collect();
            if set.is_empty() {
                kept.push((k.clone(), v.clone()));
            } else if self.get(k).is_none() {
                left_out.push(LeftOut {
                    table: group.table,
                    key,
                    set,
                });
            }
        }
        self.fill_from(&kept, origin);
        left_out
    }

    /// Where a set variable came from: `environment`, or what [`Env::fill_from`] was told.
    pub fn origin(&self, key: &str) -> Option<&str> {
        self.get(key)?;
        Some(self.origins.get(key).map_or("environment", String::as_str))
    }

    /// Whether a variable is set to nothing (or only white space).
    pub fn is_empty(&self, key: &str) -> bool {
        self.vars.get(key).is_some_and(|v| v.trim().is_empty())
    }

    /// A variable's value; unset and empty are the same.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.vars
            .get(key)
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
    }

    /// Sets `key` (a flag standing for the variable), remembering `origin` for it.
    pub fn set(&mut self, key: &str, value: &str, origin: &str) {
        self.vars.insert(key.to_string(), value.to_string());
        self.origins.insert(key.to_string(), origin.to_string());
    }
}

/// A credential a lower source gives that [`Env::fill_under`] left out, because a higher one
/// sets other credentials of its group.
#[derive(Debug, Clone)]
pub struct LeftOut {
    /// The credential group (its profile table).
    pub table: &'static str,
    /// The key of the left-out value (its variable and profile key).
    pub key: &'static CredentialKey,
    /// The group's credential variables that are set.
    pub set: Vec<&'static str>,
}

/// The environment variables that hold a provider's credentials, for error messages.
pub fn credential_vars(p: ProviderId) -> &'static str {
    p.provider().credentials().hint
}

/// The environment variable that holds a provider's default region.
pub fn region_var(p: ProviderId) -> &'static str {
    p.provider().credentials().region_var
}

/// Whether credentials for `p` are configured (used by `--provider all`).
pub fn has_credentials(p: ProviderId, env: &Env) -> bool {
    p.provider().configured(env)
}

/// Parses an endpoint URL: `http` or `https`, a host, no query or fragment.
pub fn parse_endpoint(s: &str) -> std::result::Result<Url, String> {
    let url = Url::parse(s.trim()).map_err(|e| format!("'{s}' is not a URL ({e})"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!("'{s}' must start with http:// or https://"));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(format!("'{s}' has no host"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(format!("'{s}' must not have a query or fragment"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        // Not echoed: the user info may be a password.
        return Err(
            "the URL must not hold a user name or password (imgcat signs its requests; user info would go out as Basic auth beside the signature)"
                .into(),
        );
    }
    if url.path() != "/" {
        return Err(format!(
            "'{s}' has a path ({}); an endpoint is a scheme, host and port only",
            url.path()
        ));
    }
    Ok(url)
}

/// The endpoint override for `p`: the flag (when given) or `IMGCAT_ENDPOINT_<ID>`.
pub fn endpoint_override(p: ProviderId, env: &Env, flag: Option<&str>) -> Result<Option<Url>> {
    let var = p.endpoint_var();
    let (source, value) = match (flag, env.get(&var)) {
        (Some(f), _) => ("--endpoint".to_string(), f),
        (None, Some(v)) => (var, v),
        (None, None) if env.is_empty(&var) => {
            return Err(Error::Usage(format!(
                "{p}: {var} is set but empty; unset it to use the provider's own endpoint"
            )));
        }
        (None, None) => return Ok(None),
    };
    parse_endpoint(value)
        .map(Some)
        .map_err(|e| Error::Usage(format!("{p}: {source}: {e}")))
}

/// Whether `url` is plain http to a host that is not loopback (worth a warning).
pub fn is_insecure_remote(url: &Url) -> bool {
    if url.scheme() != "http" {
        return false;
    }
    match url.host() {
        Some(url::Host::Ipv4(ip)) => !ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => !ip.is_loopback(),
        Some(url::Host::Domain(d)) => d != "localhost",
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_warns_only_off_loopback() {
        let u = |s: &str| parse_endpoint(s).unwrap_or_else(|e| panic!("{e}"));
        assert!(!is_insecure_remote(&u("http://127.0.0.1:8080")));
        assert!(!is_insecure_remote(&u("http://localhost:8080")));
        assert!(!is_insecure_remote(&u("http://[::1]:8080")));
        assert!(!is_insecure_remote(&u(
            "https://ims.cn-north-4.myhuaweicloud.com"
        )));
        assert!(is_insecure_remote(&u("http://ims.example.com")));
    }

    fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
        p.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn a_group_s_credentials_come_from_one_source() {
        let group = credential_groups()[0];
        let creds: Vec<&str> = group.credential_vars().collect();
        let setting = group.region_var;
        let (id, secret) = (creds[0], creds[1]);
        // The environment sets the id: the profile's secret is left out, its region is not.
        let mut env = Env::from_pairs([(id, "ENV-ID")]);
        let left = env.fill_under(
            &pairs(&[
                (id, "PROFILE-ID"),
                (secret, "profile-secret"),
                (setting, "r"),
            ]),
            "profile",
        );
        assert_eq!(env.get(id), Some("ENV-ID"));
        assert_eq!(env.get(secret), None, "no mixed pair");
        assert_eq!(env.get(setting), Some("r"));
        assert_eq!(env.origin(setting), Some("profile"));
        assert_eq!(left.len(), 1, "{left:?}");
        assert_eq!((left[0].key.env, left[0].set.clone()), (secret, vec![id]));
        // Nothing set: the profile's credentials all fill in.
        let mut env = Env::default();
        let left = env.fill_under(&pairs(&[(id, "P"), (secret, "s")]), "profile");
        assert!(left.is_empty());
        assert_eq!(env.origin(secret), Some("profile"));
        // A flag's credential removes the group's other credentials from below.
        let mut env = Env::from_pairs([(id, "ENV-ID"), (secret, "env-secret"), (setting, "r")]);
        env.set_over(&pairs(&[(id, "FLAG-ID")]), "flag");
        assert_eq!(env.get(id), Some("FLAG-ID"));
        assert_eq!(env.origin(id), Some("flag"));
        assert_eq!(env.get(secret), None);
        assert_eq!(env.get(setting), Some("r"), "settings stay");
        // A flag that is a setting leaves the credentials alone.
        let mut env = Env::from_pairs([(id, "ENV-ID"), (secret, "env-secret")]);
        env.set_over(&pairs(&[(setting, "r2")]), "flag");
        assert_eq!(env.get(secret), Some("env-secret"));
    }

    #[test]
    fn endpoints_are_checked() {
        assert!(parse_endpoint("ftp://x").is_err());
        assert!(parse_endpoint("http://h/?q=1").is_err());
        assert!(parse_endpoint("not a url").is_err());
        let p = ProviderId::all()
            .last()
            .unwrap_or_else(|| panic!("empty registry"));
        let env = Env::from_pairs([(p.endpoint_var(), "http://127.0.0.1:9")]);
        let got = endpoint_override(p, &env, None).ok().flatten();
        assert_eq!(
            got.map(|u| u.to_string()),
            Some("http://127.0.0.1:9/".to_string())
        );
        let flag = endpoint_override(p, &env, Some("http://127.0.0.1:7"));
        assert_eq!(
            flag.ok().flatten().map(|u| u.port()),
            Some(Some(7)),
            "the flag wins"
        );
    }
}
