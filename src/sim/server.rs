//! The shared state and the router.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post};
use http::{StatusCode, Uri};

use super::catalog::{self, Catalog};
use super::clock::Clock;
use super::faults::FaultState;
use super::stats::Stats;
use super::{SimConfig, SimCredentials, huawei, reply, tencent, zenlayer};
use crate::providers::ProviderId;

/// Everything the handlers share.
#[derive(Debug)]
pub(crate) struct AppState {
    /// Accepted credentials.
    pub creds: SimCredentials,
    /// Delay added to every response.
    pub latency: Duration,
    /// Precise timer for the latency.
    pub clock: Clock,
    /// IMS catalog (newest first).
    pub ims: Arc<Catalog>,
    /// Workspace catalog (by name).
    pub workspace: Arc<Catalog>,
    /// CPH catalog (public, private, shared).
    pub cph: Arc<Catalog>,
    /// Tencent catalog.
    pub tencent: Arc<Catalog>,
    /// Zenlayer catalog.
    pub zenlayer: Arc<Catalog>,
    /// Request counters.
    pub stats: Stats,
    /// Armed faults.
    pub faults: FaultState,
}

impl AppState {
    /// Builds the five catalogs in parallel on the blocking pool.
    pub async fn build(config: SimConfig) -> std::io::Result<AppState> {
        let n = config.images;
        let spawn = |p: ProviderId| tokio::task::spawn_blocking(move || catalog::shared(p, n));
        let tasks = [
            spawn(ProviderId::HuaweiIms),
            spawn(ProviderId::HuaweiWorkspace),
            spawn(ProviderId::HuaweiCph),
            spawn(ProviderId::TencentLegacy),
            spawn(ProviderId::Zenlayer),
        ];
        let mut built = Vec::with_capacity(5);
        for t in tasks {
            built.push(t.await.map_err(std::io::Error::other)?);
        }
        let mut it = built.into_iter();
        let mut next = || it.next().unwrap_or_default();
        Ok(AppState {
            ims: next(),
            workspace: next(),
            cph: next(),
            tencent: next(),
            zenlayer: next(),
            faults: FaultState::new(&config.faults),
            creds: config.credentials,
            latency: config.latency,
            clock: Clock::start(),
            stats: Stats::default(),
        })
    }
}

/// The shared state handle.
pub(crate) type Shared = Arc<AppState>;

/// All routes, behind the fault / latency / stats middleware.
pub(crate) fn router(state: Shared) -> Router {
    Router::new()
        .route("/", get(huawei::versions))
        .route("/v2/images", get(huawei::ims))
        .route("/v2/{project_id}/images", get(huawei::workspace))
        .route(
            "/v1/{project_id}/cloud-phone/phone-images",
            get(huawei::cph),
        )
        .route("/v3/projects", get(huawei::iam_projects))
        .route("/v2/index.php", get(tencent::handle).post(tencent::handle))
        .route("/api/v2/vm", post(zenlayer::handle))
        .route("/__sim/stats", get(stats))
        .fallback(not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            super::faults::middleware,
        ))
        .with_state(state)
}

async fn stats(State(st): State<Shared>) -> Response {
    let v = serde_json::to_value(st.stats.snapshot()).unwrap_or_default();
    reply::json_value(StatusCode::OK, &reply::request_id(), &v)
}

async fn not_found(uri: Uri) -> Response {
    let rid = reply::request_id();
    reply::huawei_error(
        StatusCode::NOT_FOUND,
        &rid,
        "APIGW.0101",
        &format!(
            "The API does not exist or has not been published in the environment: {}",
            uri.path()
        ),
    )
}
