//! The offline simulator of all five image APIs (axum), on one loopback port.
//!
//! Used by `imgcat sim serve`, the global `--sim` flag, the tests and the benchmark. It speaks each
//! API's wire format, verifies each signature, pages with the real caps and defaults, and can
//! inject latency and faults.
//!
//! Routes (all on one server):
//! - `GET /` Glance version document; `GET /v2/images` IMS; `GET /v2/{project_id}/images` Workspace;
//!   `GET /v1/{project_id}/cloud-phone/phone-images` CPH; `GET /v3/projects` IAM;
//! - `GET|POST /v2/index.php` Tencent API 2.0; `POST /api/v2/vm` Zenlayer;
//! - `GET /__sim/stats` request counters (JSON), for the benchmark.
//!
//! Catalogs (item `i` depends only on provider and `i`; see [`catalog`]):
//! - IMS: `visibility` public / private / shared with `__imagetype` gold / private / shared /
//!   market (market images are `visibility: public`); `status` active, queued, saving, killed;
//!   Arm images carry `__support_arm: "true"`; listed newest first.
//! - Workspace: `image_type` gold / private, `architecture` x86 / arm; sorted by name.
//! - CPH: `is_public` 1 (public) / 2 (private, and shared ones with `receive_status`); Android
//!   on Arm; listed public, private, shared.
//! - Tencent: `ImageType` PUBLIC_IMAGE / PRIVATE_IMAGE / SHARED_IMAGE / MARKET_IMAGE,
//!   `ImageStatus` NORMAL, CREATING, CREATEFAILED, SYNCING, IMPORTFAILED.
//! - Zenlayer: `imageType` PUBLIC_IMAGE / CUSTOM_IMAGE, `imageStatus` AVAILABLE, CREATING,
//!   UNAVAILABLE.
//!
//! Private images are named from [`UNIQUE_NAMES`] (each exactly once in a catalog of 40+),
//! [`SHARED_NAMES`] (several times in a catalog of 300+) and numbered patterns.
//!
//! Modules: `catalog` generates the images; `huawei`, `tencent` and `zenlayer`
//! serve the APIs; `auth` checks credentials; `faults` injects faults and latency; `stats` counts.

mod auth;
mod catalog;
mod clock;
mod faults;
mod huawei;
mod paging;
mod regions;
mod reply;
mod server;
mod stats;
mod tencent;
mod zenlayer;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use crate::providers::ProviderId;
use crate::secret::Secret;

pub use catalog::{SHARED_NAMES, UNIQUE_NAMES};
pub use faults::{Fault, FaultKind, ParseFaultError};
pub use stats::{SimApi, SimStats};

/// A catalog size for interactive use (`imgcat sim serve` without `--images`).
pub const DEFAULT_IMAGES: usize = 300;

/// The credentials the simulator accepts. Demo values unless the official environment
/// variables are set when it starts (see [`SimCredentials::from_env`]).
#[derive(Debug, Clone)]
pub struct SimCredentials {
    /// `HUAWEICLOUD_SDK_AK`.
    pub huawei_ak: String,
    /// `HUAWEICLOUD_SDK_SK`.
    pub huawei_sk: Secret,
    /// `HUAWEICLOUD_AUTH_TOKEN`: the IAM token accepted as `X-Auth-Token`.
    pub huawei_token: Secret,
    /// `HUAWEICLOUD_SDK_SECURITY_TOKEN`: when set, a request carrying `X-Security-Token` must
    /// carry this one (and sign it).
    pub huawei_security_token: Option<Secret>,
    /// `HUAWEICLOUD_SDK_PROJECT_ID`: when set, IAM answers this id for every region; otherwise a
    /// deterministic id per region ([`huawei_project_id`]).
    pub huawei_project_id: Option<String>,
    /// `TENCENTCLOUD_SECRET_ID`.
    pub tencent_secret_id: String,
    /// `TENCENTCLOUD_SECRET_KEY`.
    pub tencent_secret_key: Secret,
    /// `TENCENTCLOUD_SESSION_TOKEN`: when set, a request carrying `Token` must carry this one.
    pub tencent_session_token: Option<Secret>,
    /// `ZENLAYERCLOUD_ACCESS_KEY_ID`.
    pub zenlayer_access_key_id: String,
    /// `ZENLAYERCLOUD_ACCESS_KEY_PASSWORD`.
    pub zenlayer_access_key_password: Secret,
    /// `ZENLAYERCLOUD_TOKEN`: the bearer token accepted.
    pub zenlayer_token: Secret,
}

impl SimCredentials {
    /// Fixed demo credentials (the same every run).
    pub fn demo() -> Self {
        SimCredentials {
            huawei_ak: "SIMHWAK0DEMO00000000".to_string(),
            huawei_sk: Secret::new("sim-huawei-secret-key-demo-0000000000000"),
            huawei_token: Secret::new("sim-huawei-iam-token-demo"),
            huawei_security_token: None,
            huawei_project_id: None,
            tencent_secret_id: "AKIDsimDEMO00000000000000000000000000".to_string(),
            tencent_secret_key: Secret::new("sim-tencent-secret-key-demo0000"),
            tencent_session_token: None,
            zenlayer_access_key_id: "SIMZLDEMOKEY0000".to_string(),
            zenlayer_access_key_password: Secret::new("sim-zenlayer-password-demo"),
            zenlayer_token: Secret::new("sim-zenlayer-token-demo"),
        }
    }

    /// The demo credentials, each overridden by its environment variable when set and non-empty.
    pub fn from_env() -> Self {
        Self::from_lookup(|k| std::env::var(k).ok())
    }

    /// Like [`SimCredentials::from_env`], reading variables through `get` (for tests).
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Self {
        let var = |k: &str| get(k).filter(|v| !v.is_empty());
        let d = Self::demo();
        SimCredentials {
            huawei_ak: var("HUAWEICLOUD_SDK_AK").unwrap_or(d.huawei_ak),
            huawei_sk: var("HUAWEICLOUD_SDK_SK").map_or(d.huawei_sk, Secret::new),
            huawei_token: var("HUAWEICLOUD_AUTH_TOKEN").map_or(d.huawei_token, Secret::new),
            huawei_security_token: var("HUAWEICLOUD_SDK_SECURITY_TOKEN").map(Secret::new),
            huawei_project_id: var("HUAWEICLOUD_SDK_PROJECT_ID"),
            tencent_secret_id: var("TENCENTCLOUD_SECRET_ID").unwrap_or(d.tencent_secret_id),
            tencent_secret_key: var("TENCENTCLOUD_SECRET_KEY")
                .map_or(d.tencent_secret_key, Secret::new),
            tencent_session_token: var("TENCENTCLOUD_SESSION_TOKEN").map(Secret::new),
            zenlayer_access_key_id: var("ZENLAYERCLOUD_ACCESS_KEY_ID")
                .unwrap_or(d.zenlayer_access_key_id),
            zenlayer_access_key_password: var("ZENLAYERCLOUD_ACCESS_KEY_PASSWORD")
                .map_or(d.zenlayer_access_key_password, Secret::new),
            zenlayer_token: var("ZENLAYERCLOUD_TOKEN").map_or(d.zenlayer_token, Secret::new),
        }
    }
}

/// How the simulator behaves.
#[derive(Debug, Clone)]
pub struct SimConfig {
    /// Images per provider catalog.
    pub images: usize,
    /// Delay added to every response.
    pub latency: Duration,
    /// Accepted credentials.
    pub credentials: SimCredentials,
    /// Injected faults (see [`Fault`] for the `KIND[:ARGS][@API,...]` syntax).
    pub faults: Vec<Fault>,
}

impl SimConfig {
    /// `images` per catalog, no latency, no faults, credentials from the environment
    /// ([`SimCredentials::from_env`]).
    pub fn new(images: usize) -> Self {
        SimConfig {
            images,
            latency: Duration::ZERO,
            credentials: SimCredentials::from_env(),
            faults: Vec::new(),
        }
    }

    /// Sets the delay added to every response.
    pub fn latency(mut self, latency: Duration) -> Self {
        self.latency = latency;
        self
    }

    /// Sets the accepted credentials.
    pub fn credentials(mut self, credentials: SimCredentials) -> Self {
        self.credentials = credentials;
        self
    }

    /// Adds a fault.
    pub fn fault(mut self, fault: Fault) -> Self {
        self.faults.push(fault);
        self
    }

    /// Adds faults parsed from strings like `status:503:3`; the first bad one is the error.
    pub fn parse_faults<S: AsRef<str>>(
        mut self,
        specs: impl IntoIterator<Item = S>,
    ) -> Result<Self, ParseFaultError> {
        for s in specs {
            self.faults.push(s.as_ref().parse()?);
        }
        Ok(self)
    }
}

/// A running simulator. Dropping the handle leaves the server running (until the runtime
/// stops); call [`SimHandle::shutdown`] to stop it.
pub struct SimHandle {
    /// The bound address (loopback).
    pub addr: SocketAddr,
    state: Arc<server::AppState>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl std::fmt::Debug for SimHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SimHandle")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

impl SimHandle {
    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The request counters so far (what `GET /__sim/stats` answers).
    pub fn stats(&self) -> SimStats {
        self.state.stats.snapshot()
    }

    /// Stops accepting connections, lets in-flight requests finish, and waits for the server.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

/// Starts the simulator on `addr` (port 0 for an ephemeral port) in the current tokio runtime.
/// The catalogs are built (on the blocking pool) before this returns.
pub async fn start(config: SimConfig, addr: SocketAddr) -> std::io::Result<SimHandle> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let addr = listener.local_addr()?;
    // As production HTTP servers do: a large answer's last partial segment leaves at once
    // instead of waiting (Nagle) for the client to acknowledge the rest.
    let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::debug!("simulator: TCP_NODELAY not set: {e}");
        }
    });
    let state = Arc::new(server::AppState::build(config).await?);
    let app = server::router(state.clone());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let signal = async move {
            if stopped.await.is_err() {
                // The handle was dropped without shutdown: keep serving.
                std::future::pending::<()>().await;
            }
        };
        if let Err(e) = axum::serve(listener, app)
            .with_graceful_shutdown(signal)
            .await
        {
            tracing::warn!("simulator stopped: {e}");
        }
    });
    Ok(SimHandle {
        addr,
        state,
        stop: Some(stop),
        task: Some(task),
    })
}

/// The raw provider JSON objects of a provider's catalog of `n` images, in the API's order.
/// Deterministic: the same for every call, run and region.
pub fn catalog(provider: ProviderId, n: usize) -> Vec<serde_json::Value> {
    catalog::values(provider, n)
}

/// The project id the simulated IAM gives `region` when no `HUAWEICLOUD_SDK_PROJECT_ID` is
/// configured: 32 hex digits, deterministic.
pub fn huawei_project_id(region: &str) -> String {
    let h = region.bytes().fold(0xCBF2_9CE4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01B3)
    });
    let a = catalog::mix(h);
    format!("{:016x}{:016x}", a, catalog::mix(a ^ 0x1A3))
}
