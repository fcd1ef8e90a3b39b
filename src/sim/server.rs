//! The shared state and the router: every provider's simulator service mounted once, behind
//! the fault / latency / stats middleware.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

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

/// At most this many images in all the non-`--sim` regions' catalogs are built at the start.
const PREBUILD_MAX: usize = 100_000;

/// A catalog with images hidden: provider, region, the ids still hidden (sorted).
type HidingKey = (ProviderId, String, Vec<String>);

/// Everything the handlers share: credentials, one catalog per provider, faults, counters.
#[derive(Debug)]
pub struct SimState {
    /// Accepted credentials.
    pub(crate) creds: SimCredentials,
    /// Delay added to every response.
    pub(crate) latency: Duration,
    /// Precise timer for the latency.
    pub(crate) clock: Clock,
    /// Images per catalog.
    images: usize,
    /// Each provider's catalog in its `--sim` region, in its API's order.
    catalogs: HashMap<ProviderId, Arc<Catalog>>,
    /// The catalogs of the other regions, built when first asked for.
    regional: Mutex<HashMap<(ProviderId, String), Arc<Catalog>>>,
    /// Images hidden until a time ([`SimConfig::appear`]): id -> when it appears.
    appear: Vec<(String, Instant)>,
    /// Catalogs with images still hidden, by provider, region and the hidden ids.
    hiding: Mutex<HashMap<HidingKey, Arc<Catalog>>>,
    /// Regions where the account has no project ([`SimConfig::no_project`]).
    no_project: Vec<String>,
    /// Each API's request-rate budget, when rate limits are enforced.
    pub(crate) budgets: Option<crate::http::rate::Budgets>,
    /// Request counters.
    pub(crate) stats: Stats,
    /// Armed faults.
    pub(crate) faults: FaultState,
    /// The temporary keys the metadata services handed out.
    pub(crate) issued: super::metadata::KeyStore,
}

impl SimState {
    /// Builds every provider's catalog of its `--sim` region, in parallel on the blocking pool
    /// (the other regions' when first asked for).
    pub async fn build(config: SimConfig) -> std::io::Result<SimState> {
        let n = config.images;
        let tasks: Vec<(ProviderId, tokio::task::JoinHandle<Arc<Catalog>>)> = REGISTRY
            .iter()
            .map(|p| {
                let id = p.id();
                (
                    id,
                    tokio::task::spawn_blocking(move || catalog::shared(id, 0..n)),
                )
            })
            .collect();
        let mut catalogs = HashMap::with_capacity(tasks.len());
        for (id, t) in tasks {
            catalogs.insert(id, t.await.map_err(std::io::Error::other)?);
        }
        let regional = if config.prebuild {
            Self::prebuild(n).await?
        } else {
            HashMap::new()
        };
        let started = Instant::now();
        let mut appear = Vec::with_capacity(config.appear.len());
        for (id, after) in &config.appear {
            if !catalogs.values().any(|c| c.by_id.contains_key(id)) {
                return Err(std::io::Error::other(format!(
                    "--appear: no catalog holds an image with id '{id}' (ids of the providers' --sim regions)"
                )));
            }
            appear.push((id.clone(), started + *after));
        }
        Ok(SimState {
            images: n,
            catalogs,
            regional: Mutex::new(regional),
            appear,
            hiding: Mutex::new(HashMap::new()),
            no_project: config.no_project,
            budgets: config
                .rate_limits
                .then(|| crate::http::rate::Budgets::new(crate::http::rate::SERVER_WINDOW)),
            faults: FaultState::new(&config.faults),
            issued: super::metadata::KeyStore::new(config.metadata_ttl),
            creds: config.credentials,
            latency: config.latency,
            clock: Clock::start(),
            stats: Stats::default(),
        })
    }

    /// The other regions' catalogs, built now (in parallel on the blocking pool) when all of
    /// them together hold at most [`PREBUILD_MAX`] images: a catalog built on a first request
    /// holds up the runtime's workers, and with them the arrival of other requests, which the
    /// rate limits count. Larger simulators build them on first use.
    async fn prebuild(n: usize) -> std::io::Result<HashMap<(ProviderId, String), Arc<Catalog>>> {
        let mut wanted: Vec<(ProviderId, String, std::ops::Range<usize>)> = Vec::new();
        for p in REGISTRY {
            let id = p.id();
            for r in p.sim_regions() {
                let range = catalog::region_range(id, r, n);
                if range.start > 0 {
                    wanted.push((id, r.to_string(), range));
                }
            }
        }
        let total: usize = wanted.iter().map(|(_, _, r)| r.len()).sum();
        let mut out = HashMap::new();
        if total > PREBUILD_MAX {
            return Ok(out);
        }
        let tasks: Vec<_> = wanted
            .into_iter()
            .map(|(id, region, range)| {
                (
                    (id, region),
                    tokio::task::spawn_blocking(move || catalog::shared(id, range)),
                )
            })
            .collect();
        for (key, t) in tasks {
            out.insert(key, t.await.map_err(std::io::Error::other)?);
        }
        Ok(out)
    }

    /// The credentials the simulator accepts.
    pub fn creds(&self) -> &SimCredentials {
        &self.creds
    }

    /// The temporary keys the metadata services handed out.
    pub fn issued(&self) -> &super::metadata::KeyStore {
        &self.issued
    }

    /// The catalog of provider `id` in its `--sim` region, as it stands now (empty for an id
    /// without one).
    pub fn catalog(&self, id: ProviderId) -> Arc<Catalog> {
        self.catalog_in(id, id.provider().sim_region())
    }

    /// The catalog of provider `id` in `region` ([`catalog::region_range`]), as it stands now:
    /// without the images that have yet to appear.
    pub fn catalog_in(&self, id: ProviderId, region: &str) -> Arc<Catalog> {
        let full = self.full_catalog(id, region);
        if self.appear.is_empty() {
            return full;
        }
        let now = Instant::now();
        let mut hidden: Vec<String> = self
            .appear
            .iter()
            .filter(|(img, at)| *at > now && full.by_id.contains_key(img))
            .map(|(img, _)| img.clone())
            .collect();
        if hidden.is_empty() {
            return full;
        }
        hidden.sort();
        let key = (id, region.to_string(), hidden);
        let Ok(mut cache) = self.hiding.lock() else {
            return full;
        };
        cache
            .entry(key)
            .or_insert_with_key(|(_, _, hidden)| {
                let set: HashSet<&str> = hidden.iter().map(String::as_str).collect();
                Arc::new(full.without(&set))
            })
            .clone()
    }

    fn full_catalog(&self, id: ProviderId, region: &str) -> Arc<Catalog> {
        let range = catalog::region_range(id, region, self.images);
        if range.start == 0
            && let Some(c) = self.catalogs.get(&id)
        {
            return c.clone();
        }
        let key = (id, region.to_string());
        if let Some(c) = self.regional.lock().ok().and_then(|m| m.get(&key).cloned()) {
            return c;
        }
        // Built outside the lock; two first requests at once may both build it (same result).
        let built = catalog::shared(id, range);
        match self.regional.lock() {
            Ok(mut m) => m.entry(key).or_insert(built).clone(),
            Err(_) => built,
        }
    }

    /// Whether the account has a project (may work) in `region`.
    pub fn has_project(&self, region: &str) -> bool {
        !self.no_project.iter().any(|r| r == region)
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
