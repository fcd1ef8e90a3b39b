//! Huawei Cloud's credential chain after the environment and the imgcat profile, as
//! huaweicloudsdkcore's `CredentialProviderChain` (`auth/provider.py`) has it for regional
//! services (`BasicCredentials`):
//!
//! 1. the SDK's credentials file: `$HUAWEICLOUD_SDK_CREDENTIALS_FILE`, else
//!    `~/.huaweicloud/credentials`; INI, section `[basic]` (`[global]` is for global
//!    services), keys `ak`, `sk`, `security_token`, `project_id`, `iam_endpoint` (`[DEFAULT]`
//!    shows through, as `ConfigParser.items()` gives it);
//! 2. ECS metadata (`auth/internal.py`, `MetadataAccessor`): `PUT
//!    /meta-data/latest/api/token` with `X-Metadata-Token-Ttl-Seconds: 21600` (a 404, 405 or
//!    503 means the service has no tokens: go on without), then `GET
//!    /openstack/latest/securitykey` with `X-Metadata-Token`; a 401 not about a missing agency
//!    gets a new token and one more try. The answer's `credential` holds `access`, `secret`,
//!    `securitytoken`, `expires_at` (`%Y-%m-%dT%H:%M:%S.%fZ`). The SDK refreshes the keys when
//!    less than 40 minutes are left (`_DEFAULT_EXPIRATION_THRESHOLD_SECONDS`).
//!
//! The service is at `http://169.254.169.254`; `IMGCAT_HUAWEI_METADATA_ENDPOINT` replaces it.

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, NaiveDateTime, Utc};
use futures::future::BoxFuture;
use serde::Deserialize;
use url::Url;

use super::config::{AK, AUTH_TOKEN, IAM_ENDPOINT, PROJECT_ID, SECURITY_TOKEN, SK};
use crate::config::Env;
use crate::credentials::ini::IniFile;
use crate::credentials::{
    Candidate, Chain, FileSource, KeyPair, KeyVars, MetadataAnswer, MetadataClient, MetadataError,
    MetadataSource, Source, TemporaryKeys, Vars, in_home, join,
};
use crate::secret::Secret;
use crate::sim::service::SimService;

/// The variable that names the SDK's credentials file.
pub const CREDENTIALS_FILE: &str = "HUAWEICLOUD_SDK_CREDENTIALS_FILE";
/// The variable that replaces the ECS metadata service's URL.
pub const METADATA_ENDPOINT: &str = "IMGCAT_HUAWEI_METADATA_ENDPOINT";
/// The ECS metadata service.
pub const METADATA_DEFAULT: &str = "http://169.254.169.254";
/// Where the metadata session token is asked (PUT).
pub const TOKEN_PATH: &str = "/meta-data/latest/api/token";
/// Where the agency's temporary keys are (GET).
pub const SECURITY_KEY_PATH: &str = "/openstack/latest/securitykey";
/// The header of the session token.
pub const TOKEN_HEADER: &str = "X-Metadata-Token";
/// The header of the session token's lifetime asked for.
pub const TOKEN_TTL_HEADER: &str = "X-Metadata-Token-Ttl-Seconds";
/// The lifetime the SDK asks for (6 h).
pub const TOKEN_TTL_SECS: u32 = 21_600;
/// What the service answers on an instance without an agency.
pub const NO_AGENCY: &str = "Please configure Cloud Service Agency first";
/// The section regional services read.
pub const SECTION: &str = "basic";

/// The chain: the SDK's file, then ECS metadata.
pub static CHAIN: Chain = Chain {
    has_keys,
    key_vars: &[AK, SK, SECURITY_TOKEN],
    sources: &[Source::File(&SDK_FILE), Source::Metadata(&ECS)],
};

fn has_keys(env: &Env) -> bool {
    [AK, SK, AUTH_TOKEN].iter().any(|k| env.get(k).is_some())
}

/// The SDK's credentials file.
pub static SDK_FILE: SdkFile = SdkFile;

/// `~/.huaweicloud/credentials` ([`FileSource`]).
#[derive(Debug)]
pub struct SdkFile;

impl FileSource for SdkFile {
    fn candidates(&self, env: &Env) -> Vec<Candidate> {
        if let Some(p) = env.get(CREDENTIALS_FILE) {
            return vec![Candidate {
                path: PathBuf::from(p),
                named_by: Some(CREDENTIALS_FILE),
            }];
        }
        in_home(env, &[".huaweicloud", "credentials"])
            .map(Candidate::default_at)
            .into_iter()
            .collect()
    }

    fn read(&self, _path: &Path, text: &str, _env: &Env) -> Result<Vars, String> {
        let file = IniFile::parse(text)?;
        let Some(basic) = file.section_with_defaults(SECTION) else {
            let names = file.section_names();
            return Err(format!(
                "no [{SECTION}] section (it has: {}); put ak and sk under [{SECTION}], as the SDK reads them for regional services",
                if names.is_empty() {
                    "none".to_string()
                } else {
                    names
                        .iter()
                        .map(|n| format!("[{n}]"))
                        .collect::<Vec<_>>()
                        .join(", ")
                }
            ));
        };
        let value = |k: &str| basic.get(k).map(|v| v.trim()).filter(|v| !v.is_empty());
        match (value("ak"), value("sk")) {
            (Some(_), Some(_)) => {}
            (None, None) if value("idp_id").is_some() || value("id_token_file").is_some() => {
                return Err(format!(
                    "[{SECTION}] holds a federated identity (idp_id, id_token_file), which imgcat does not support; put ak and sk there"
                ));
            }
            (ak, _) => {
                let missing = if ak.is_none() { "ak" } else { "sk" };
                return Err(format!(
                    "[{SECTION}] has no {missing}; set both ak and sk there"
                ));
            }
        }
        let mut vars: Vars = Vec::new();
        for (key, var) in [
            ("ak", AK),
            ("sk", SK),
            ("security_token", SECURITY_TOKEN),
            ("project_id", PROJECT_ID),
            ("iam_endpoint", IAM_ENDPOINT),
        ] {
            if let Some(v) = value(key) {
                vars.push((var.to_string(), v.to_string()));
            }
        }
        Ok(vars)
    }

    fn variables(&self) -> &'static [&'static str] {
        &[CREDENTIALS_FILE]
    }
}

/// The ECS metadata service.
pub static ECS: EcsMetadata = EcsMetadata;

/// ECS metadata ([`MetadataSource`]).
#[derive(Debug)]
pub struct EcsMetadata;

/// The securitykey answer.
#[derive(Deserialize)]
struct KeyAnswer {
    #[serde(alias = "credentials")]
    credential: Option<KeyCredential>,
}

#[derive(Deserialize)]
struct KeyCredential {
    #[serde(alias = "accessKeyId", alias = "access_key_id")]
    access: Option<String>,
    #[serde(alias = "secretAccessKey", alias = "secret_access_key")]
    secret: Option<String>,
    #[serde(alias = "securityToken", alias = "security_token")]
    securitytoken: Option<String>,
    #[serde(alias = "expiration")]
    expires_at: Option<String>,
}

/// `expires_at` as the service writes it (`2026-05-01T12:00:00.000000Z`, UTC), or RFC 3339.
pub fn parse_expiry(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.fZ")
        .ok()
        .map(|t| t.and_utc())
}

/// Reads a securitykey answer (200): the keys, or what is missing.
pub fn decode_security_key(body: &str) -> Result<TemporaryKeys, String> {
    let answer: KeyAnswer = serde_json::from_str(body)
        .map_err(|e| format!("not the JSON of a security key ({} bytes; {e})", body.len()))?;
    let Some(c) = answer.credential else {
        return Err("no `credential` object".into());
    };
    let field = |v: Option<String>, name: &str| {
        v.filter(|s| !s.trim().is_empty())
            .ok_or_else(|| format!("no credential.{name}"))
    };
    let access = field(c.access, "access")?;
    let secret = field(c.secret, "secret")?;
    let token = field(c.securitytoken, "securitytoken")?;
    let expires = field(c.expires_at, "expires_at")?;
    let expires_at = parse_expiry(&expires).ok_or_else(|| {
        format!("credential.expires_at {expires:?} is not a time like 2026-05-01T12:00:00.000000Z")
    })?;
    Ok(TemporaryKeys {
        keys: KeyPair {
            id: access,
            secret: Secret::new(secret),
            token: Some(Secret::new(token)),
        },
        expires_at,
    })
}

impl EcsMetadata {
    /// The session token: `Some` from a 200, `None` when the service has none (404, 405, 503,
    /// unless `required`).
    async fn session_token(
        client: &MetadataClient,
        url: &Url,
        required: bool,
    ) -> Result<Option<String>, MetadataError> {
        let ttl = TOKEN_TTL_SECS.to_string();
        let a = client
            .send(reqwest::Method::PUT, url, &[(TOKEN_TTL_HEADER, &ttl)])
            .await?;
        match a.status {
            200 => {
                let token = a.body.trim().to_string();
                // Sent with the key request: a server quoting it back must not get it printed.
                crate::secret::register(&token);
                Ok(Some(token).filter(|t| !t.is_empty()))
            }
            404 | 405 | 503 if !required => Ok(None),
            s => Err(MetadataError::NoKeys {
                url: url.to_string(),
                detail: format!("HTTP {s} to the session-token request"),
            }),
        }
    }

    async fn security_key(
        client: &MetadataClient,
        url: &Url,
        token: Option<&str>,
    ) -> Result<MetadataAnswer, MetadataError> {
        let headers: Vec<(&str, &str)> = token.map(|t| (TOKEN_HEADER, t)).into_iter().collect();
        client.send(reqwest::Method::GET, url, &headers).await
    }
}

impl MetadataSource for EcsMetadata {
    fn endpoint_var(&self) -> &'static str {
        METADATA_ENDPOINT
    }

    fn default_endpoint(&self) -> &'static str {
        METADATA_DEFAULT
    }

    fn margin(&self) -> Duration {
        Duration::from_secs(40 * 60)
    }

    fn vars(&self) -> KeyVars {
        KeyVars {
            id: AK,
            secret: SK,
            token: SECURITY_TOKEN,
        }
    }

    fn fetch<'a>(
        &'a self,
        client: &'a MetadataClient,
        base: &'a Url,
    ) -> BoxFuture<'a, Result<TemporaryKeys, MetadataError>> {
        Box::pin(async move {
            let token_url = join(base, TOKEN_PATH);
            let key_url = join(base, SECURITY_KEY_PATH);
            let token = Self::session_token(client, &token_url, false).await?;
            let mut answer = Self::security_key(client, &key_url, token.as_deref()).await?;
            if answer.status == 401 && !answer.body.contains(NO_AGENCY) {
                let token = Self::session_token(client, &token_url, true).await?;
                answer = Self::security_key(client, &key_url, token.as_deref()).await?;
            }
            if answer.body.contains(NO_AGENCY) || answer.status == 404 {
                return Err(MetadataError::NoKeys {
                    url: key_url.to_string(),
                    detail: format!(
                        "HTTP {}: no agency is attached to this instance",
                        answer.status
                    ),
                });
            }
            if answer.status != 200 {
                return Err(MetadataError::NoKeys {
                    url: key_url.to_string(),
                    detail: format!("HTTP {}", answer.status),
                });
            }
            decode_security_key(&answer.body).map_err(|detail| MetadataError::Malformed {
                url: key_url.to_string(),
                detail,
            })
        })
    }

    fn sim_service(&self) -> &'static dyn SimService {
        &super::sim::metadata::SIM
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Vars, String> {
        SDK_FILE.read(
            Path::new("/h/.huaweicloud/credentials"),
            text,
            &Env::default(),
        )
    }

    fn get<'a>(vars: &'a Vars, k: &str) -> Option<&'a str> {
        vars.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str())
    }

    #[test]
    fn the_basic_section_gives_the_keys_and_settings() {
        let vars = read(
            "[global]\nak = GLOBALAK\nsk = gsk\n\n[basic]\nak = HWAK\nsk = hw-sk\n\
             project_id = p123\nsecurity_token = tok\niam_endpoint = https://iam.example\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(get(&vars, AK), Some("HWAK"));
        assert_eq!(get(&vars, SK), Some("hw-sk"));
        assert_eq!(get(&vars, PROJECT_ID), Some("p123"));
        assert_eq!(get(&vars, SECURITY_TOKEN), Some("tok"));
        assert_eq!(get(&vars, IAM_ENDPOINT), Some("https://iam.example"));
    }

    #[test]
    fn default_shows_through_and_empty_values_are_unset() {
        let vars = read(
            "[DEFAULT]\niam_endpoint = https://iam.d\n[basic]\nak = A\nsk = S\nproject_id =\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(get(&vars, IAM_ENDPOINT), Some("https://iam.d"));
        assert_eq!(get(&vars, PROJECT_ID), None);
    }

    #[test]
    fn bad_files_say_what_is_wrong() {
        for (text, want) in [
            (
                "[global]\nak = A\nsk = S\n",
                "no [basic] section (it has: [global])",
            ),
            ("", "no [basic] section (it has: none)"),
            ("[basic]\nak = A\n", "[basic] has no sk"),
            ("[basic]\nsk = S\n", "[basic] has no ak"),
            (
                "[basic]\nidp_id = i\nid_token_file = /t\n",
                "federated identity",
            ),
            ("ak = A\n", "before any [section]"),
        ] {
            let err = read(text).err().unwrap_or_default();
            assert!(err.contains(want), "{text:?}: {err}");
        }
    }

    #[test]
    fn the_file_is_named_by_the_variable_or_in_home() {
        let env = Env::from_pairs([("HOME", "/h")]);
        assert_eq!(
            SDK_FILE.candidates(&env),
            vec![Candidate::default_at(PathBuf::from(
                "/h/.huaweicloud/credentials"
            ))]
        );
        let env = Env::from_pairs([("HOME", "/h"), (CREDENTIALS_FILE, "/etc/hw.ini")]);
        assert_eq!(
            SDK_FILE.candidates(&env),
            vec![Candidate {
                path: PathBuf::from("/etc/hw.ini"),
                named_by: Some(CREDENTIALS_FILE)
            }]
        );
        assert!(SDK_FILE.candidates(&Env::default()).is_empty(), "no HOME");
    }

    #[test]
    fn security_key_answers_decode_or_say_what_is_missing() {
        let ok = decode_security_key(
            r#"{"credential":{"access":"TMPAK","secret":"tmp-sk","securitytoken":"tok","expires_at":"2026-05-01T12:00:00.000000Z"}}"#,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(ok.keys.id, "TMPAK");
        assert_eq!(ok.keys.token, Some(Secret::new("tok")));
        assert_eq!(ok.expires_at.to_rfc3339(), "2026-05-01T12:00:00+00:00");
        for (body, want) in [
            ("<html>", "not the JSON of a security key"),
            ("{}", "no `credential` object"),
            (
                r#"{"credential":{"access":"A","secret":"S","expires_at":"2026-05-01T12:00:00.000000Z"}}"#,
                "no credential.securitytoken",
            ),
            (
                r#"{"credential":{"access":"A","secret":"S","securitytoken":"T","expires_at":"soon"}}"#,
                "credential.expires_at \"soon\"",
            ),
        ] {
            let err = decode_security_key(body).err().unwrap_or_default();
            assert!(err.contains(want), "{body}: {err}");
            assert!(!err.contains("\"S\""), "no secret in the message: {err}");
        }
        assert_eq!(
            parse_expiry("2026-05-01T12:00:00Z").map(|t| t.timestamp()),
            parse_expiry("2026-05-01T12:00:00.5Z").map(|t| t.timestamp())
        );
    }

    /// The simulator on loopback, its keys living `ttl`.
    fn sim(rt: &tokio::runtime::Runtime, ttl: Duration) -> (crate::sim::SimHandle, Url) {
        let config = crate::sim::SimConfig::new(1)
            .credentials(crate::sim::SimCredentials::demo())
            .metadata_ttl(ttl);
        let handle = rt
            .block_on(crate::sim::start(config, ([127, 0, 0, 1], 0).into()))
            .unwrap_or_else(|e| panic!("sim: {e}"));
        let url = Url::parse(&handle.base_url()).unwrap_or_else(|e| panic!("{e}"));
        (handle, url)
    }

    fn rt() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap_or_else(|e| panic!("runtime: {e}"))
    }

    #[test]
    fn the_metadata_service_hands_out_new_keys_and_the_chain_refreshes_them() {
        let rt = rt();
        let (_sim, base) = sim(&rt, Duration::from_secs(2));
        let client = MetadataClient::new(Duration::from_secs(3));
        let a = rt
            .block_on(ECS.fetch(&client, &base))
            .unwrap_or_else(|e| panic!("{e}"));
        let b = rt
            .block_on(ECS.fetch(&client, &base))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_ne!(a.keys.id, b.keys.id, "each asking: a new pair");
        assert_ne!(a.keys.token, b.keys.token);
        assert!(a.keys.token.is_some());
        assert!(a.expires_at > chrono::Utc::now());
        // Through the chain: the group's keys, held by a refresher that renews them once past
        // half their (short) life.
        let mut env = Env::from_pairs([(METADATA_ENDPOINT, base.as_str())]);
        let resolved = rt
            .block_on(crate::credentials::resolve(
                &mut env,
                &[&super::super::config::CREDENTIALS],
                true,
            ))
            .unwrap_or_else(|e| panic!("{e}"));
        let r = resolved
            .refresher("huawei")
            .unwrap_or_else(|| panic!("metadata keys"));
        let first = r.current();
        assert_eq!(env.get(ECS.vars().id), Some(first.id.as_str()));
        let same = rt.block_on(r.fresh()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(same.id, first.id, "fresh keys are kept");
        std::thread::sleep(Duration::from_millis(1600));
        let renewed = rt.block_on(r.fresh()).unwrap_or_else(|e| panic!("{e}"));
        assert_ne!(renewed.id, first.id, "renewed before they expire");
        assert_ne!(renewed.token, first.token);
    }

    #[test]
    fn no_service_is_unreachable() {
        let rt = rt();
        let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
        let base = Url::parse(&format!(
            "http://{}",
            closed.local_addr().unwrap_or_else(|e| panic!("{e}"))
        ))
        .unwrap_or_else(|e| panic!("{e}"));
        drop(closed);
        let got = rt.block_on(ECS.fetch(&MetadataClient::new(Duration::from_millis(300)), &base));
        assert!(
            matches!(got, Err(MetadataError::Unreachable { .. })),
            "{got:?}"
        );
    }
}
