//! Tencent Cloud's credential chain after the environment and the imgcat profile, as
//! tencentcloud-sdk-python's `DefaultCredentialProvider` (`common/credential.py`) has it, for
//! every Tencent provider:
//!
//! 1. `ProfileCredential`: `~/.tencentcloud/credentials` if it exists, else
//!    `/etc/tencentcloud/credentials`; INI, section `[default]` as written (`_sections`: no
//!    `[DEFAULT]` merging), keys `secret_id`, `secret_key`, values trimmed;
//! 2. `CVMRoleCredential`: `GET /latest/meta-data/cam/security-credentials/` gives the role
//!    name, `GET .../<role>` its `TmpSecretId`, `TmpSecretKey`, `Token`, `ExpiredTime` (unix
//!    seconds) and `Code: "Success"`; refreshed when 300 s or less are left.
//!
//! The service is at `http://metadata.tencentyun.com`; `IMGCAT_TENCENT_METADATA_ENDPOINT`
//! replaces it.

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures::future::BoxFuture;
use serde::Deserialize;
use url::Url;

use super::config::{SECRET_ID, SECRET_KEY, SESSION_TOKEN};
use crate::config::Env;
use crate::credentials::ini::IniFile;
use crate::credentials::{
    Candidate, Chain, FileSource, KeyPair, KeyVars, MetadataClient, MetadataError, MetadataSource,
    Source, TemporaryKeys, Vars, in_home, join,
};
use crate::secret::Secret;
use crate::sim::service::SimService;

/// The variable that replaces the CVM metadata service's URL.
pub const METADATA_ENDPOINT: &str = "IMGCAT_TENCENT_METADATA_ENDPOINT";
/// The CVM metadata service.
pub const METADATA_DEFAULT: &str = "http://metadata.tencentyun.com";
/// The role list (GET; the name of the role bound to the instance).
pub const ROLE_PATH: &str = "/latest/meta-data/cam/security-credentials/";
/// The system-wide credentials file, read when the user has none.
pub const SYSTEM_FILE: &str = "/etc/tencentcloud/credentials";
/// The section the SDK reads.
pub const SECTION: &str = "default";

/// The chain: the profile files, then the CVM role.
pub static CHAIN: Chain = Chain {
    has_keys,
    key_vars: &[SECRET_ID, SECRET_KEY, SESSION_TOKEN],
    sources: &[Source::File(&PROFILE_FILE), Source::Metadata(&CVM_ROLE)],
};

fn has_keys(env: &Env) -> bool {
    [SECRET_ID, SECRET_KEY].iter().any(|k| env.get(k).is_some())
}

/// The SDK's profile files.
pub static PROFILE_FILE: ProfileFile = ProfileFile;

/// `~/.tencentcloud/credentials`, else `/etc/tencentcloud/credentials` ([`FileSource`]).
#[derive(Debug)]
pub struct ProfileFile;

impl FileSource for ProfileFile {
    fn candidates(&self, env: &Env) -> Vec<Candidate> {
        let mut out: Vec<Candidate> = in_home(env, &[".tencentcloud", "credentials"])
            .map(Candidate::default_at)
            .into_iter()
            .collect();
        out.push(Candidate::default_at(PathBuf::from(SYSTEM_FILE)));
        out
    }

    fn read(&self, _path: &Path, text: &str, _env: &Env) -> Result<Vars, String> {
        let file = IniFile::parse(text)?;
        let Some(section) = file.section(SECTION) else {
            let names = file.section_names();
            return Err(format!(
                "no [{SECTION}] section (it has: {}); put secret_id and secret_key under [{SECTION}]",
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
        let value = |k: &str| section.get(k).map(|v| v.trim()).filter(|v| !v.is_empty());
        match (value("secret_id"), value("secret_key")) {
            (Some(id), Some(key)) => Ok(vec![
                (SECRET_ID.to_string(), id.to_string()),
                (SECRET_KEY.to_string(), key.to_string()),
            ]),
            (id, _) => {
                let missing = if id.is_none() {
                    "secret_id"
                } else {
                    "secret_key"
                };
                Err(format!(
                    "[{SECTION}] has no {missing}; set both secret_id and secret_key there"
                ))
            }
        }
    }
}

/// The CVM role's metadata.
pub static CVM_ROLE: CvmRole = CvmRole;

/// CVM instance metadata ([`MetadataSource`]).
#[derive(Debug)]
pub struct CvmRole;

/// The role's credentials answer.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RoleAnswer {
    tmp_secret_id: Option<String>,
    tmp_secret_key: Option<String>,
    token: Option<String>,
    expired_time: Option<i64>,
    code: Option<String>,
}

/// Reads a role's credentials answer: the keys, or what is wrong.
pub fn decode_role_credentials(body: &str) -> Result<TemporaryKeys, String> {
    let a: RoleAnswer = serde_json::from_str(body).map_err(|e| {
        format!(
            "not the JSON of role credentials ({} bytes; {e})",
            body.len()
        )
    })?;
    match a.code.as_deref() {
        Some("Success") => {}
        Some(other) => return Err(format!("Code is {other:?}, not \"Success\"")),
        None => return Err("no Code".into()),
    }
    let field = |v: Option<String>, name: &str| {
        v.filter(|s| !s.trim().is_empty())
            .ok_or_else(|| format!("no {name}"))
    };
    let id = field(a.tmp_secret_id, "TmpSecretId")?;
    let key = field(a.tmp_secret_key, "TmpSecretKey")?;
    let token = field(a.token, "Token")?;
    let expires = a.expired_time.ok_or("no ExpiredTime")?;
    let expires_at = DateTime::<Utc>::from_timestamp(expires, 0)
        .ok_or_else(|| format!("ExpiredTime {expires} is not a unix time"))?;
    Ok(TemporaryKeys {
        keys: KeyPair {
            id,
            secret: Secret::new(key),
            token: Some(Secret::new(token)),
        },
        expires_at,
    })
}

impl MetadataSource for CvmRole {
    fn endpoint_var(&self) -> &'static str {
        METADATA_ENDPOINT
    }

    fn default_endpoint(&self) -> &'static str {
        METADATA_DEFAULT
    }

    fn margin(&self) -> Duration {
        Duration::from_secs(300)
    }

    fn vars(&self) -> KeyVars {
        KeyVars {
            id: SECRET_ID,
            secret: SECRET_KEY,
            token: SESSION_TOKEN,
        }
    }

    fn fetch<'a>(
        &'a self,
        client: &'a MetadataClient,
        base: &'a Url,
    ) -> BoxFuture<'a, Result<TemporaryKeys, MetadataError>> {
        Box::pin(async move {
            let roles = join(base, ROLE_PATH);
            let a = client.send(reqwest::Method::GET, &roles, &[]).await?;
            let no_keys = |detail: String| MetadataError::NoKeys {
                url: roles.to_string(),
                detail,
            };
            match a.status {
                200 => {}
                404 => {
                    return Err(no_keys(
                        "HTTP 404: no CAM role is bound to this instance".into(),
                    ));
                }
                s => return Err(no_keys(format!("HTTP {s}"))),
            }
            let Some(role) = a.body.lines().map(str::trim).find(|l| !l.is_empty()) else {
                return Err(no_keys("no CAM role is bound to this instance".into()));
            };
            let mut url = roles.clone();
            if let Ok(mut segs) = url.path_segments_mut() {
                segs.pop_if_empty().push(role);
            }
            let a = client.send(reqwest::Method::GET, &url, &[]).await?;
            if a.status != 200 {
                return Err(MetadataError::NoKeys {
                    url: url.to_string(),
                    detail: format!("HTTP {} for role {role:?}", a.status),
                });
            }
            decode_role_credentials(&a.body).map_err(|detail| MetadataError::Malformed {
                url: url.to_string(),
                detail,
            })
        })
    }

    fn sim_service(&self) -> &'static dyn SimService {
        &super::metadata_sim::SIM
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Vars, String> {
        PROFILE_FILE.read(
            Path::new("/h/.tencentcloud/credentials"),
            text,
            &Env::default(),
        )
    }

    #[test]
    fn the_default_section_gives_the_key_pair() {
        let vars = read("[default]\nsecret_id =  AKIDfile \nsecret_key = file-key\nrole_arn = x\n")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            vars,
            vec![
                (SECRET_ID.to_string(), "AKIDfile".to_string()),
                (SECRET_KEY.to_string(), "file-key".to_string())
            ]
        );
    }

    #[test]
    fn bad_files_say_what_is_wrong() {
        for (text, want) in [
            (
                "[prod]\nsecret_id = A\n",
                "no [default] section (it has: [prod])",
            ),
            ("[default]\nsecret_id = A\n", "[default] has no secret_key"),
            (
                "[default]\nsecret_key = K\nsecret_id =\n",
                "[default] has no secret_id",
            ),
            (
                "[DEFAULT]\nsecret_id = A\nsecret_key = K\n",
                "no [default] section",
            ),
            ("secret_id = A\n", "before any [section]"),
        ] {
            let err = read(text).err().unwrap_or_default();
            assert!(err.contains(want), "{text:?}: {err}");
        }
    }

    #[test]
    fn the_home_file_comes_before_the_system_one() {
        let env = Env::from_pairs([("HOME", "/h")]);
        let paths: Vec<PathBuf> = PROFILE_FILE
            .candidates(&env)
            .into_iter()
            .map(|c| c.path)
            .collect();
        assert_eq!(
            paths,
            vec![
                PathBuf::from("/h/.tencentcloud/credentials"),
                PathBuf::from(SYSTEM_FILE)
            ]
        );
        assert_eq!(PROFILE_FILE.candidates(&Env::default()).len(), 1, "no HOME");
    }

    #[test]
    fn role_answers_decode_or_say_what_is_wrong() {
        let ok = decode_role_credentials(
            r#"{"TmpSecretId":"AKIDtmp","TmpSecretKey":"k","ExpiredTime":1777777777,"Expiration":"2026-05-03T03:09:37Z","Token":"t","Code":"Success"}"#,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(ok.keys.id, "AKIDtmp");
        assert_eq!(ok.expires_at.timestamp(), 1_777_777_777);
        for (body, want) in [
            (r#"{"Code":"Failure"}"#, "Code is \"Failure\""),
            (r#"{"TmpSecretId":"A"}"#, "no Code"),
            (
                r#"{"Code":"Success","TmpSecretId":"A","TmpSecretKey":"k","ExpiredTime":1}"#,
                "no Token",
            ),
            (
                r#"{"Code":"Success","TmpSecretId":"A","TmpSecretKey":"k","Token":"t"}"#,
                "no ExpiredTime",
            ),
            ("not json", "not the JSON of role credentials"),
        ] {
            let err = decode_role_credentials(body).err().unwrap_or_default();
            assert!(err.contains(want), "{body}: {err}");
        }
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
            .block_on(CVM_ROLE.fetch(&client, &base))
            .unwrap_or_else(|e| panic!("{e}"));
        let b = rt
            .block_on(CVM_ROLE.fetch(&client, &base))
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
            .refresher("tencent")
            .unwrap_or_else(|| panic!("metadata keys"));
        let first = r.current();
        assert_eq!(env.get(CVM_ROLE.vars().id), Some(first.id.as_str()));
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
        let got =
            rt.block_on(CVM_ROLE.fetch(&MetadataClient::new(Duration::from_millis(300)), &base));
        assert!(
            matches!(got, Err(MetadataError::Unreachable { .. })),
            "{got:?}"
        );
    }
}
