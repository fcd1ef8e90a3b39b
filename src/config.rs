//! Configuration: credentials (the official SDKs' environment names), endpoints and regions.
//!
//! Precedence: command-line flags, then environment variables.

use std::collections::HashMap;

use url::Url;

use crate::error::{Error, Result};
use crate::providers::ProviderId;
use crate::secret::Secret;
use crate::sign::tencent_v2::SignatureMethod;

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

    /// Where a set variable came from: `environment`, or what [`Env::fill_from`] was told.
    pub fn origin(&self, key: &str) -> Option<&str> {
        self.get(key)?;
        Some(self.origins.get(key).map_or("environment", String::as_str))
    }

    /// A variable's value; unset and empty are the same.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.vars
            .get(key)
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
    }

    fn secret(&self, key: &str) -> Option<Secret> {
        self.get(key).map(Secret::new)
    }
}

/// How Huawei Cloud requests are authenticated.
#[derive(Debug, Clone)]
pub enum HuaweiAuth {
    /// SDK-HMAC-SHA256 with an access key; temporary keys carry a security token.
    AkSk {
        /// Access key id.
        ak: String,
        /// Secret access key.
        sk: Secret,
        /// `X-Security-Token` of temporary credentials.
        security_token: Option<Secret>,
    },
    /// An IAM token sent as `X-Auth-Token`, unsigned.
    Token(Secret),
}

/// Huawei Cloud settings shared by IMS, Workspace and CPH.
#[derive(Debug, Clone)]
pub struct HuaweiConfig {
    /// Authentication.
    pub auth: HuaweiAuth,
    /// Project id; discovered through IAM when absent.
    pub project_id: Option<String>,
    /// IAM endpoint for project discovery (`HUAWEICLOUD_SDK_IAM_ENDPOINT`); when unset, the
    /// region's own IAM endpoint, as the SDK does.
    pub iam_endpoint: Option<Url>,
}

/// Tencent Cloud API 2.0 settings.
#[derive(Debug, Clone)]
pub struct TencentConfig {
    /// `SecretId`.
    pub secret_id: String,
    /// Secret key.
    pub secret_key: Secret,
    /// `Token` of temporary credentials.
    pub token: Option<Secret>,
    /// Signature method.
    pub method: SignatureMethod,
}

/// How Zenlayer requests are authenticated.
#[derive(Debug, Clone)]
pub enum ZenlayerAuth {
    /// ZC2-HMAC-SHA256 with an access key.
    Key {
        /// Access key id.
        id: String,
        /// Access key password.
        password: Secret,
    },
    /// `Authorization: Bearer <token>`.
    Bearer(Secret),
}

/// The environment variables that hold a provider's credentials, for error messages.
pub fn credential_vars(p: ProviderId) -> &'static str {
    match p {
        ProviderId::HuaweiIms | ProviderId::HuaweiWorkspace | ProviderId::HuaweiCph => {
            "HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK, or HUAWEICLOUD_AUTH_TOKEN"
        }
        ProviderId::TencentLegacy => "TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY",
        ProviderId::Zenlayer => {
            "ZENLAYERCLOUD_ACCESS_KEY_ID and ZENLAYERCLOUD_ACCESS_KEY_PASSWORD, or ZENLAYERCLOUD_TOKEN"
        }
    }
}

/// The environment variable that holds a provider's default region.
pub fn region_var(p: ProviderId) -> &'static str {
    match p {
        ProviderId::HuaweiIms | ProviderId::HuaweiWorkspace | ProviderId::HuaweiCph => {
            "HUAWEICLOUD_SDK_REGION"
        }
        ProviderId::TencentLegacy => "TENCENTCLOUD_REGION",
        ProviderId::Zenlayer => "ZENLAYERCLOUD_ZONE",
    }
}

/// Whether credentials for `p` are configured (used by `--provider all`).
pub fn has_credentials(p: ProviderId, env: &Env) -> bool {
    match p {
        ProviderId::HuaweiIms | ProviderId::HuaweiWorkspace | ProviderId::HuaweiCph => {
            huawei(env).is_ok()
        }
        ProviderId::TencentLegacy => tencent(env, None).is_ok(),
        ProviderId::Zenlayer => zenlayer(env).is_ok(),
    }
}

fn missing(p: &str, vars: &str) -> Error {
    Error::Config(format!("{p}: no credentials found; set {vars}"))
}

/// Huawei credentials from the environment. AK/SK wins over a token when both are set.
pub fn huawei(env: &Env) -> Result<HuaweiConfig> {
    let ak = env.get("HUAWEICLOUD_SDK_AK");
    let sk = env.secret("HUAWEICLOUD_SDK_SK");
    let auth = match (ak, sk, env.secret("HUAWEICLOUD_AUTH_TOKEN")) {
        (Some(ak), Some(sk), _) => HuaweiAuth::AkSk {
            ak: ak.to_string(),
            sk,
            security_token: env.secret("HUAWEICLOUD_SDK_SECURITY_TOKEN"),
        },
        (Some(_), None, None) => {
            return Err(Error::Config(
                "huawei: HUAWEICLOUD_SDK_AK is set but HUAWEICLOUD_SDK_SK is not; set both".into(),
            ));
        }
        (None, Some(_), None) => {
            return Err(Error::Config(
                "huawei: HUAWEICLOUD_SDK_SK is set but HUAWEICLOUD_SDK_AK is not; set both".into(),
            ));
        }
        (_, _, Some(token)) => HuaweiAuth::Token(token),
        (None, None, None) => {
            return Err(missing("huawei", credential_vars(ProviderId::HuaweiIms)));
        }
    };
    let iam_endpoint = env
        .get("HUAWEICLOUD_SDK_IAM_ENDPOINT")
        .map(parse_endpoint)
        .transpose()
        .map_err(|e| Error::Config(format!("huawei: HUAWEICLOUD_SDK_IAM_ENDPOINT: {e}")))?;
    Ok(HuaweiConfig {
        auth,
        project_id: env.get("HUAWEICLOUD_SDK_PROJECT_ID").map(str::to_string),
        iam_endpoint,
    })
}

/// Tencent credentials from the environment; `method` (a flag) overrides
/// `IMGCAT_TENCENT_SIGNATURE_METHOD`.
pub fn tencent(env: &Env, method: Option<SignatureMethod>) -> Result<TencentConfig> {
    let (Some(id), Some(key)) = (
        env.get("TENCENTCLOUD_SECRET_ID"),
        env.secret("TENCENTCLOUD_SECRET_KEY"),
    ) else {
        return Err(missing(
            "tencent-legacy",
            credential_vars(ProviderId::TencentLegacy),
        ));
    };
    let method = match (method, env.get("IMGCAT_TENCENT_SIGNATURE_METHOD")) {
        (Some(m), _) => m,
        (None, Some(s)) => parse_signature_method(s).map_err(|e| {
            Error::Config(format!(
                "tencent-legacy: IMGCAT_TENCENT_SIGNATURE_METHOD: {e}"
            ))
        })?,
        (None, None) => SignatureMethod::default(),
    };
    Ok(TencentConfig {
        secret_id: id.to_string(),
        secret_key: key,
        token: env.secret("TENCENTCLOUD_SESSION_TOKEN"),
        method,
    })
}

/// Parses `HmacSHA1` / `HmacSHA256` (case-insensitive, `-` allowed).
pub fn parse_signature_method(s: &str) -> std::result::Result<SignatureMethod, String> {
    match s.to_ascii_lowercase().replace('-', "").as_str() {
        "hmacsha1" => Ok(SignatureMethod::HmacSha1),
        "hmacsha256" => Ok(SignatureMethod::HmacSha256),
        _ => Err(format!("'{s}' is not HmacSHA1 or HmacSHA256")),
    }
}

/// Zenlayer credentials from the environment. An access key wins over a bearer token.
pub fn zenlayer(env: &Env) -> Result<ZenlayerAuth> {
    match (
        env.get("ZENLAYERCLOUD_ACCESS_KEY_ID"),
        env.secret("ZENLAYERCLOUD_ACCESS_KEY_PASSWORD"),
        env.secret("ZENLAYERCLOUD_TOKEN"),
    ) {
        (Some(id), Some(password), _) => Ok(ZenlayerAuth::Key {
            id: id.to_string(),
            password,
        }),
        (_, _, Some(token)) => Ok(ZenlayerAuth::Bearer(token)),
        _ => Err(missing("zenlayer", credential_vars(ProviderId::Zenlayer))),
    }
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
    Ok(url)
}

/// The endpoint override for `p`: the flag (when given) or `IMGCAT_ENDPOINT_<ID>`.
pub fn endpoint_override(p: ProviderId, env: &Env, flag: Option<&str>) -> Result<Option<Url>> {
    let var = format!("IMGCAT_ENDPOINT_{}", p.env_suffix());
    let (source, value) = match (flag, env.get(&var)) {
        (Some(f), _) => ("--endpoint".to_string(), f),
        (None, Some(v)) => (var, v),
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

    #[test]
    fn endpoints_are_checked() {
        assert!(parse_endpoint("ftp://x").is_err());
        assert!(parse_endpoint("http://h/?q=1").is_err());
        assert!(parse_endpoint("not a url").is_err());
        let env = Env::from_pairs([("IMGCAT_ENDPOINT_ZENLAYER", "http://127.0.0.1:9")]);
        let got = endpoint_override(ProviderId::Zenlayer, &env, None)
            .ok()
            .flatten();
        assert_eq!(
            got.map(|u| u.to_string()),
            Some("http://127.0.0.1:9/".to_string())
        );
        let flag = endpoint_override(ProviderId::Zenlayer, &env, Some("http://127.0.0.1:7"));
        assert_eq!(
            flag.ok().flatten().map(|u| u.port()),
            Some(Some(7)),
            "the flag wins"
        );
    }
}
