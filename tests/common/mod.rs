//! Shared test harness: the simulator in-process on 127.0.0.1, and the `imgcat` binary run as
//! a user would run it, with a clean environment.
#![allow(dead_code)]

pub mod server;

use std::net::{Ipv4Addr, SocketAddr};
use std::process::Output;

use imgcat::providers::huawei::{
    self,
    config::{IAM_ENDPOINT, PROJECT_ID},
};
use imgcat::providers::{ProviderId, SimKey};
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

    /// Environment variables with this simulator's credentials for `p`, in `mode`, from its
    /// registry entry's credential group: the demo keys (`Keys`), plus the temporary tokens the
    /// simulator was given (`Temporary`), or the tokens it accepts instead (`Token`; a group
    /// without one keeps its keys); a token-scoped project id where the group has one.
    pub fn env(&self, p: ProviderId, mode: Auth) -> Vec<(String, String)> {
        let c = &self.creds;
        let group = p.provider().credentials();
        let has_token = group
            .keys
            .iter()
            .any(|k| matches!(k.sim, SimKey::Accepted(_)));
        let token_mode = mode == Auth::Token && has_token;
        let project_id = |v: &mut Vec<(String, String)>| {
            if group.key(PROJECT_ID).is_some() {
                v.push((PROJECT_ID.into(), huawei::sim::project_id("cn-north-4")));
            }
        };
        let mut v: Vec<(String, String)> = Vec::new();
        for key in group.keys {
            let value = c.get(key.env).map(str::to_string);
            match key.sim {
                SimKey::Demo(_) if !token_mode => v.extend(value.map(|x| (key.env.into(), x))),
                SimKey::Accepted(_) if token_mode => v.extend(value.map(|x| (key.env.into(), x))),
                SimKey::Optional if key.secret && mode == Auth::Temporary => {
                    v.extend(value.map(|x| (key.env.into(), x)))
                }
                _ => {}
            }
        }
        if token_mode || mode == Auth::KeysWithProject {
            project_id(&mut v);
        }
        v.push((IAM_ENDPOINT.into(), self.url()));
        v
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

/// The default region of each provider in tests: its `--sim` region.
pub fn region(p: ProviderId) -> &'static str {
    p.provider().sim_region()
}

/// Runs imgcat with exactly these environment variables (plus PATH) and arguments. Instance
/// metadata is switched off (`IMGCAT_NO_METADATA=1`) unless `env` points a metadata endpoint
/// somewhere (at a loopback server) or sets the switch itself: no test asks the real services.
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
    let metadata_set = env
        .iter()
        .any(|(k, _)| k == "IMGCAT_NO_METADATA" || k.ends_with("_METADATA_ENDPOINT"));
    if !metadata_set {
        cmd.env("IMGCAT_NO_METADATA", "1");
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
