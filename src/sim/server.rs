//! The shared state and the router: every provider's simulator service mounted once, behind
//! the fault / latency / stats middleware.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use http::{StatusCode, Uri};

use super::catalog::{self, Catalog};
use super::clock::Clock;
use super::faults::FaultState;
use super::stats::Stats;
use super::{SimConfig, SimCredentials, reply};
use crate::providers::{ProviderId, REGISTRY};

/// Everything the handlers share: credentials, one catalog per provider, faults, counters.
#[derive(Debug)]
pub struct SimState {
    /// Accepted credentials.
    pub(crate) creds: SimCredentials,
    /// Delay added to every response.
    pub(crate) latency: Duration,
    /// Precise timer for the latency.
    pub(crate) clock: Clock,
    /// Each provider's catalog, in its API's order.
    catalogs: HashMap<ProviderId, Arc<Catalog>>,
    /// Request counters.
    pub(crate) stats: Stats,
    /// Armed faults.
    pub(crate) faults: FaultState,
    /// The temporary keys the metadata services handed out.
    pub(crate) issued: super::metadata::KeyStore,
}

impl SimState {
    /// Builds every provider's catalog, in parallel on the blocking pool.
    pub async fn build(config: SimConfig) -> std::io::Result<SimState> {
        let n = config.images;
        let tasks: Vec<(ProviderId, tokio::task::JoinHandle<Arc<Catalog>>)> = REGISTRY
            .iter()
            .map(|p| {
                let id = p.id();
                (
                    id,
                    tokio::task::spawn_blocking(move || catalog::shared(id, n)),
                )
            })
            .collect();
        let mut catalogs = HashMap::with_capacity(tasks.len());
        for (id, t) in tasks {
            catalogs.insert(id, t.await.map_err(std::io::Error::other)?);
        }
        Ok(SimState {
            catalogs,
            faults: FaultState::new(&config.faults),
            issued: super::metadata::KeyStore::new(config.metadata_ttl),
            creds: config.credentials,
            latency: config.latency,
            clock: Clock::start(),
            stats: Stats::default(),
        })
    }

    /// The credentials the simulator accepts.
    pub fn creds(&self) -> &SimCredentials {
        &self.creds
    }

    /// The temporary keys the metadata services handed out.
    pub fn issued(&self) -> &super::metadata::KeyStore {
        &self.issued
    }

    /// The catalog of provider `id` (empty for an id without one).
    pub fn catalog(&self, id: ProviderId) -> &Catalog {
        static EMPTY: std::sync::LazyLock<Catalog> = std::sync::LazyLock::new(Catalog::default);
        self.catalogs.get(&id).map_or(&EMPTY, |c| c)
    }
}

/// The shared state handle.
pub type Shared = Arc<SimState>;

/// All routes, behind the fault / latency / stats middleware.
pub(crate) fn router(state: Shared) -> Router {
    let mut app: Router<Shared> = Router::new();
    for service in super::services() {
        app = app.merge(service.routes());
    }
    app.route("/__sim/stats", get(stats))
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
    reply::json_value(
        StatusCode::NOT_FOUND,
        &rid,
        &serde_json::json!({
            "code": "NotFound",
            "message": format!("The simulator serves no API at {}", uri.path()),
            "request_id": rid,
        }),
    )
}
