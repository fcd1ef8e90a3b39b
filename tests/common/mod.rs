//! Shared test harness: the simulator in-process on 127.0.0.1, and the `imgcat` binary run as
//! a user would run it, with a clean environment.
#![allow(dead_code)]

use std::net::{Ipv4Addr, SocketAddr};
use std::process::Output;

use imgcat::providers::ProviderId;
use imgcat::sim::{self, SimConfig, SimCredentials, SimHandle};

/// A simulator running on its own runtime for the life of the value.
pub struct Sim {
    pub handle: SimHandle,
    pub creds: SimCredentials,
    _rt: tokio::runtime::Runtime,
}

impl Sim {
    pub fn start(config: SimConfig) -> Sim {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap_or_else(|e| panic!("runtime: {e}"));
        let creds = config.credentials.clone();
        let handle = rt
            .block_on(sim::start(
                config,
                SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            ))
            .unwrap_or_else(|e| panic!("sim: {e}"));
        Sim {
            handle,
            creds,
            _rt: rt,
        }
    }

    pub fn with_images(n: usize) -> Sim {
        Sim::start(SimConfig::new(n).credentials(SimCredentials::demo()))
    }

    pub fn url(&self) -> String {
        self.handle.base_url()
    }

    /// Environment variables with this simulator's credentials for `p`, in `mode`.
    pub fn env(&self, p: ProviderId, mode: Auth) -> Vec<(String, String)> {
        let c = &self.creds;
        let mut v: Vec<(&str, String)> = Vec::new();
        match (p, mode) {
            (
                ProviderId::HuaweiIms | ProviderId::HuaweiWorkspace | ProviderId::HuaweiCph,
                Auth::Token,
            ) => {
                v.push(("HUAWEICLOUD_AUTH_TOKEN", c.huawei_token.expose().into()));
                v.push((
                    "HUAWEICLOUD_SDK_PROJECT_ID",
                    sim::huawei_project_id("cn-north-4"),
                ));
            }
            (ProviderId::HuaweiIms | ProviderId::HuaweiWorkspace | ProviderId::HuaweiCph, _) => {
                v.push(("HUAWEICLOUD_SDK_AK", c.huawei_ak.clone()));
                v.push(("HUAWEICLOUD_SDK_SK", c.huawei_sk.expose().into()));
                if mode == Auth::Temporary
                    && let Some(t) = &c.huawei_security_token
                {
                    v.push(("HUAWEICLOUD_SDK_SECURITY_TOKEN", t.expose().into()));
                }
                if mode == Auth::KeysWithProject {
                    v.push((
                        "HUAWEICLOUD_SDK_PROJECT_ID",
                        sim::huawei_project_id("cn-north-4"),
                    ));
                }
            }
            (ProviderId::TencentLegacy, _) => {
                v.push(("TENCENTCLOUD_SECRET_ID", c.tencent_secret_id.clone()));
                v.push((
                    "TENCENTCLOUD_SECRET_KEY",
                    c.tencent_secret_key.expose().into(),
                ));
                if mode == Auth::Temporary
                    && let Some(t) = &c.tencent_session_token
                {
                    v.push(("TENCENTCLOUD_SESSION_TOKEN", t.expose().into()));
                }
            }
            (ProviderId::Zenlayer, Auth::Token) => {
                v.push(("ZENLAYERCLOUD_TOKEN", c.zenlayer_token.expose().into()));
            }
            (ProviderId::Zenlayer, _) => {
                v.push((
                    "ZENLAYERCLOUD_ACCESS_KEY_ID",
                    c.zenlayer_access_key_id.clone(),
                ));
                v.push((
                    "ZENLAYERCLOUD_ACCESS_KEY_PASSWORD",
                    c.zenlayer_access_key_password.expose().into(),
                ));
            }
        }
        v.push(("HUAWEICLOUD_SDK_IAM_ENDPOINT", self.url()));
        v.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
    }
}

/// Authentication modes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth {
    /// Access key + secret (project id discovered through IAM for Huawei).
    Keys,
    /// Access key + secret with a configured project id (Huawei).
    KeysWithProject,
    /// Temporary credentials (security / session token).
    Temporary,
    /// Token / bearer.
    Token,
}

/// The default region of each provider in tests.
pub fn region(p: ProviderId) -> &'static str {
    match p {
        ProviderId::TencentLegacy => "ap-guangzhou",
        ProviderId::Zenlayer => "FRA-A",
        _ => "cn-north-4",
    }
}

/// Runs imgcat with exactly these environment variables (plus PATH) and arguments.
pub fn imgcat<I, S>(env: &[(String, String)], args: I) -> Output
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_imgcat"));
    cmd.env_clear();
    if let Some(path) = std::env::var_os("PATH") {
        cmd.env("PATH", path);
    }
    cmd.envs(env.iter().map(|(k, v)| (k, v)));
    cmd.args(args);
    cmd.output()
        .unwrap_or_else(|e| panic!("cannot run imgcat: {e}"))
}

/// `imgcat list --provider p --region r --endpoint url --output json` + `extra`, parsed.
pub fn list_json(
    sim: &Sim,
    p: ProviderId,
    mode: Auth,
    extra: &[&str],
) -> (Vec<serde_json::Value>, Output) {
    let mut args = vec![
        "list".to_string(),
        "--provider".into(),
        p.as_str().into(),
        "--region".into(),
        region(p).into(),
        "--endpoint".into(),
        sim.url(),
        "--output".into(),
        "json".into(),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    let out = imgcat(&sim.env(p, mode), &args);
    let images = if out.status.success() {
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not a JSON array ({e}): {}",
                String::from_utf8_lossy(&out.stdout)
            )
        })
    } else {
        Vec::new()
    };
    (images, out)
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}
