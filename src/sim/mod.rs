//! The offline simulator of every provider's image API (axum), on one loopback port.
//!
//! Used by `imgcat sim serve`, the global `--sim` flag, the tests and the benchmark. It speaks
//! each API's wire format, verifies each signature, pages with the real caps and defaults, and
//! can inject latency and faults.
//!
//! This module is the core: the server and its shared [`SimState`], the fault / latency /
//! stats middleware, the request counters, the catalog machinery and the credentials. Each
//! provider brings its own part through the registry: a [`service::SimService`] (routes, API
//! names, error shapes) and a catalog
//! ([`Provider::sim_catalog`](crate::providers::Provider::sim_catalog)); the core mounts every
//! service once and keeps one catalog per provider.
//!
//! Routes besides the providers': `GET /__sim/stats` request counters (JSON), for the
//! benchmark; anything else answers 404.
//!
//! Private images are named from [`UNIQUE_NAMES`] (each exactly once in a catalog of 40+),
//! [`SHARED_NAMES`] (several times in a catalog of 300+) and numbered patterns.

pub(crate) mod auth;
pub mod catalog;
mod clock;
mod faults;
pub mod metadata;
pub(crate) mod paging;
pub(crate) mod reply;
mod server;
pub mod service;
mod stats;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use crate::providers::{ProviderId, REGISTRY, SimKey};
use crate::secret::Secret;

pub use catalog::{SHARED_NAMES, UNIQUE_NAMES};
pub(crate) use faults::PageFault;
pub use faults::{Fault, FaultKind, ParseFaultError};
pub use server::{Shared, SimState};
pub use stats::{SimApi, SimStats};

/// A catalog size for interactive use (`imgcat sim serve` without `--images`).
pub const DEFAULT_IMAGES: usize = 300;

/// The credentials the simulator accepts, by the environment variable that holds each (the
/// keys of the registry's credential groups marked [`SimKey::Demo`], [`SimKey::Accepted`] or
/// [`SimKey::Optional`]). Demo values unless the variables are set when it starts (see
/// [`SimCredentials::from_env`]). Its `Debug` shows the names only, each value as `***`.
#[derive(Clone)]
pub struct SimCredentials {
    values: BTreeMap<String, Secret>,
}

impl std::fmt::Debug for SimCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map()
            .entries(self.values.keys().map(|k| (k, crate::http::redact::MASK)))
            .finish()
    }
}

impl SimCredentials {
    /// Fixed demo credentials (the same every run).
    pub fn demo() -> Self {
        Self::from_lookup(|_| None)
    }

    /// The demo credentials, each overridden by its environment variable when set and non-empty.
    pub fn from_env() -> Self {
        Self::from_lookup(|k| std::env::var(k).ok())
    }

    /// Like [`SimCredentials::from_env`], reading variables through `get` (for tests).
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Self {
        let mut values = BTreeMap::new();
        for group in crate::providers::credential_groups() {
            for key in group.keys {
                let set = get(key.env).filter(|v| !v.is_empty());
                let value = match key.sim {
                    SimKey::Demo(demo) | SimKey::Accepted(demo) => {
                        Some(set.unwrap_or_else(|| demo.to_string()))
                    }
                    SimKey::Optional => set,
                    SimKey::SimUrl | SimKey::PassThrough | SimKey::Ignored => None,
                };
                if let Some(v) = value {
                    values.insert(key.env.to_string(), Secret::new(v));
                }
            }
        }
        SimCredentials { values }
    }

    /// The accepted value of variable `env` (`None` for an optional one that is not set).
    pub fn get(&self, env: &str) -> Option<&str> {
        self.values.get(env).map(Secret::expose)
    }

    /// Sets the accepted value of `env` (a temporary token the simulator then requires, ...).
    pub fn set(&mut self, env: &str, value: impl Into<String>) {
        self.values
            .insert(env.to_string(), Secret::new(value.into()));
    }

    /// The values of the secret variables, for tests that check none is ever printed.
    pub fn secrets(&self) -> Vec<&str> {
        let groups = crate::providers::credential_groups();
        self.values
            .iter()
            .filter(|(k, _)| {
                groups
                    .iter()
                    .any(|g| g.key(k).is_some_and(|key| key.secret))
            })
            .map(|(_, v)| v.expose())
            .collect()
    }

    /// The environment `--sim` runs with: every [`SimKey::Demo`] credential, the simulator's
    /// URL where [`SimKey::SimUrl`] asks for it and as every provider's endpoint, and the
    /// [`SimKey::PassThrough`] variables `process` sets.
    pub fn sim_env(&self, url: &str, process: &crate::config::Env) -> Vec<(String, String)> {
        let mut pairs: Vec<(String, String)> = Vec::new();
        for group in crate::providers::credential_groups() {
            for key in group.keys {
                let value = match key.sim {
                    SimKey::Demo(_) => self.get(key.env).map(str::to_string),
                    SimKey::SimUrl => Some(url.to_string()),
                    SimKey::PassThrough => process.get(key.env).map(str::to_string),
                    SimKey::Accepted(_) | SimKey::Optional | SimKey::Ignored => None,
                };
                if let Some(v) = value {
                    pairs.push((key.env.to_string(), v));
                }
            }
        }
        for p in ProviderId::all() {
            pairs.push((p.endpoint_var(), url.to_string()));
        }
        pairs
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
    /// How long the temporary keys of the simulated metadata services stay valid.
    pub metadata_ttl: Duration,
    /// Images of the catalogs that stay hidden until this long after the start: `(id, after)`.
    pub appear: Vec<(String, Duration)>,
    /// Regions where the account has no project (IAM does not list one there).
    pub no_project: Vec<String>,
    /// Enforce each API's request-rate limit, answering with the API's throttling error.
    pub rate_limits: bool,
    /// Build the other regions' catalogs at the start (when small enough), not on first use.
    pub prebuild: bool,
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
            metadata_ttl: metadata::DEFAULT_TTL,
            appear: Vec::new(),
            no_project: Vec::new(),
            rate_limits: true,
            prebuild: true,
        }
    }

    /// Builds the other regions' catalogs on first use only (a quick start for one region).
    pub fn lazy(mut self) -> Self {
        self.prebuild = false;
        self
    }

    /// Sets how long the metadata services' temporary keys stay valid (short, to test refresh).
    pub fn metadata_ttl(mut self, ttl: Duration) -> Self {
        self.metadata_ttl = ttl;
        self
    }

    /// Hides the image `id` until `after` from the start.
    pub fn appear(mut self, id: impl Into<String>, after: Duration) -> Self {
        self.appear.push((id.into(), after));
        self
    }

    /// Adds `ID:SECONDS` specs ([`SimConfig::appear`], [`parse_appear`]); the first bad one is
    /// the error.
    pub fn parse_appear<S: AsRef<str>>(
        mut self,
        specs: impl IntoIterator<Item = S>,
    ) -> Result<Self, String> {
        self.appear.extend(parse_appear(specs)?);
        Ok(self)
    }

    /// The account has no project in `region`.
    pub fn no_project(mut self, region: impl Into<String>) -> Self {
        self.no_project.push(region.into());
        self
    }

    /// Enforces the APIs' request-rate limits (the default), or not.
    pub fn rate_limits(mut self, on: bool) -> Self {
        self.rate_limits = on;
        self
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

/// The largest `SECONDS` of an `--appear ID:SECONDS` spec: 10^7 (about 115 days).
pub const APPEAR_MAX_SECS: f64 = 1e7;

/// Parses `ID:SECONDS` specs (`--appear`): an image id (not empty) and a number of seconds from
/// 0 to [`APPEAR_MAX_SECS`]; the first bad one is the error.
pub fn parse_appear<S: AsRef<str>>(
    specs: impl IntoIterator<Item = S>,
) -> Result<Vec<(String, Duration)>, String> {
    let mut out = Vec::new();
    for s in specs {
        let s = s.as_ref();
        let (id, secs) = s
            .rsplit_once(':')
            .ok_or_else(|| format!("'{s}' is not ID:SECONDS"))?;
        let secs: f64 = secs
            .trim()
            .parse()
            .ok()
            .filter(|v: &f64| v.is_finite() && *v >= 0.0 && *v <= APPEAR_MAX_SECS)
            .ok_or_else(|| format!("'{s}': SECONDS must be a number from 0 to 10^7"))?;
        if id.trim().is_empty() {
            return Err(format!("'{s}': the image id is empty"));
        }
        out.push((id.to_string(), Duration::from_secs_f64(secs)));
    }
    Ok(out)
}

/// A running simulator. Dropping the handle leaves the server running (until the runtime
/// stops); call [`SimHandle::shutdown`] to stop it.
pub struct SimHandle {
    /// The bound address (loopback).
    pub addr: SocketAddr,
    state: Arc<server::SimState>,
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

    /// Every secret key, token and metadata session token the metadata services handed out
    /// so far (for tests that check none is ever printed).
    pub fn temporary_secrets(&self) -> Vec<String> {
        self.state.issued.secrets()
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
    let state = Arc::new(server::SimState::build(config).await?);
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

/// The raw provider JSON objects of a provider's catalog of `n` images in its `--sim` region,
/// in the API's order. Deterministic: the same for every call and run.
pub fn catalog(provider: ProviderId, n: usize) -> Vec<serde_json::Value> {
    catalog::values(provider, provider.provider().sim_region(), n)
}

/// Like [`catalog`], for `region` (each simulated region has a catalog of its own, of about
/// `n` images).
pub fn catalog_in(provider: ProviderId, region: &str, n: usize) -> Vec<serde_json::Value> {
    catalog::values(provider, region, n)
}

/// The members of a provider's catalog objects that hold the id and the name.
pub fn catalog_keys(provider: ProviderId) -> (&'static str, &'static str) {
    let c = catalog::shared(provider, 0..0);
    (c.id_key, c.name_key)
}

/// The registry's simulator services, each once, in registry order: every provider's, then the
/// metadata service of every credential group's chain that has one.
pub fn services() -> Vec<&'static dyn service::SimService> {
    let mut out: Vec<&'static dyn service::SimService> = Vec::new();
    let metadata = crate::providers::credential_groups()
        .into_iter()
        .filter_map(|g| g.chain.and_then(|c| c.metadata()))
        .map(|m| m.sim_service());
    for s in REGISTRY.iter().map(|p| p.sim_service()).chain(metadata) {
        if !out.iter().any(|o| o.name() == s.name()) {
            out.push(s);
        }
    }
    out
}
