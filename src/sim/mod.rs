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

use std::net::SocketAddr;
use std::time::Duration;

use crate::providers::ProviderId;
use crate::secret::Secret;

/// The credentials the simulator accepts. Demo values unless the official environment
/// variables are set when it starts.
#[derive(Debug, Clone)]
pub struct SimCredentials {
    /// `HUAWEICLOUD_SDK_AK`.
    pub huawei_ak: String,
    /// `HUAWEICLOUD_SDK_SK`.
    pub huawei_sk: Secret,
    /// `HUAWEICLOUD_AUTH_TOKEN`: the IAM token accepted as `X-Auth-Token`.
    pub huawei_token: Secret,
    /// `TENCENTCLOUD_SECRET_ID`.
    pub tencent_secret_id: String,
    /// `TENCENTCLOUD_SECRET_KEY`.
    pub tencent_secret_key: Secret,
    /// `ZENLAYERCLOUD_ACCESS_KEY_ID`.
    pub zenlayer_access_key_id: String,
    /// `ZENLAYERCLOUD_ACCESS_KEY_PASSWORD`.
    pub zenlayer_access_key_password: Secret,
    /// `ZENLAYERCLOUD_TOKEN`: the bearer token accepted.
    pub zenlayer_token: Secret,
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
}

/// A running simulator.
#[derive(Debug)]
pub struct SimHandle {
    /// The bound address (loopback).
    pub addr: SocketAddr,
}

impl SimHandle {
    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

/// Starts the simulator on `addr` (port 0 for an ephemeral port) in the current tokio runtime.
pub async fn start(config: SimConfig, addr: SocketAddr) -> std::io::Result<SimHandle> {
    let _ = (config, addr);
    todo!("simulator")
}

/// The raw provider JSON objects of a provider's catalog of `n` images, in the API's order.
/// Deterministic: the same for every call, run and region.
pub fn catalog(provider: ProviderId, n: usize) -> Vec<serde_json::Value> {
    let _ = (provider, n);
    todo!("catalog")
}
