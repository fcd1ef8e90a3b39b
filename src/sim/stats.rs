//! Request counters, per simulated API, for `GET /__sim/stats` and the benchmark.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

use http::Method;
use serde::Serialize;

use super::service::SimApiDef;

/// The API a request went to: one of the [`SimApiDef`]s the registry's simulator services
/// declare, or `other` (stats, unknown paths).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SimApi(usize);

/// Every API the simulator serves, in registry order (each once), then `other`.
fn table() -> &'static [Option<&'static SimApiDef>] {
    static TABLE: OnceLock<Vec<Option<&'static SimApiDef>>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut out: Vec<Option<&'static SimApiDef>> = Vec::new();
        for s in super::services() {
            for api in s.apis() {
                if !out.iter().flatten().any(|a| a.name == api.name) {
                    out.push(Some(api));
                }
            }
        }
        out.push(None);
        out
    })
}

impl SimApi {
    /// Requests no API claims (stats, unknown paths).
    pub fn other() -> SimApi {
        SimApi(table().len() - 1)
    }

    /// Every API, in counter order (`other` last).
    pub fn all() -> impl Iterator<Item = SimApi> {
        (0..table().len()).map(SimApi)
    }

    /// The API named `name`.
    pub fn named(name: &str) -> Option<SimApi> {
        SimApi::all().find(|a| a.as_str() == name)
    }

    /// The API's name (`other` for requests no API claims).
    pub fn as_str(self) -> &'static str {
        self.def().map_or("other", |d| d.name)
    }

    /// Its definition (`None` for `other`).
    pub fn def(self) -> Option<&'static SimApiDef> {
        table().get(self.0).copied().flatten()
    }

    /// Whether a fault without `@API` targets it.
    pub fn is_image_api(self) -> bool {
        self.def().is_some_and(|d| d.image_api)
    }

    /// Index into per-API arrays.
    pub(crate) fn index(self) -> usize {
        self.0
    }

    /// How many APIs there are (`other` included).
    pub(crate) fn count() -> usize {
        table().len()
    }

    /// Which API a request goes to, by method and path.
    pub(crate) fn classify(method: &Method, path: &str) -> SimApi {
        let segs: Vec<&str> = path.trim_matches('/').split('/').collect();
        SimApi::all()
            .find(|a| a.def().is_some_and(|d| (d.matches)(method, &segs)))
            .unwrap_or_else(SimApi::other)
    }
}

impl fmt::Display for SimApi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for SimApi {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        SimApi::named(s.trim()).ok_or_else(|| {
            let names: Vec<&str> = SimApi::all().map(SimApi::as_str).collect();
            format!("unknown simulator API '{s}' (known: {})", names.join(", "))
        })
    }
}

/// A snapshot of the counters (the JSON of `GET /__sim/stats`:
/// `{"requests": N, "<api>": N, ..., "other": N, "faults": N, "throttled": N}`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SimStats {
    /// All requests, the stats endpoint excluded.
    pub requests: u64,
    /// Requests per API name.
    #[serde(flatten)]
    pub per_api: BTreeMap<String, u64>,
    /// Requests that got an injected fault.
    pub faults: u64,
    /// Requests answered with the API's throttling error (over its rate limit).
    pub throttled: u64,
}

impl SimStats {
    /// The requests counted for API `name` (0 for a name not counted).
    pub fn get(&self, name: &str) -> u64 {
        self.per_api.get(name).copied().unwrap_or(0)
    }

    /// These counters minus `earlier` (each at least 0).
    pub fn since(&self, earlier: &SimStats) -> SimStats {
        SimStats {
            requests: self.requests.saturating_sub(earlier.requests),
            per_api: self
                .per_api
                .iter()
                .map(|(k, v)| (k.clone(), v.saturating_sub(earlier.get(k))))
                .collect(),
            faults: self.faults.saturating_sub(earlier.faults),
            throttled: self.throttled.saturating_sub(earlier.throttled),
        }
    }
}

/// The live counters.
#[derive(Debug)]
pub(crate) struct Stats {
    per_api: Vec<AtomicU64>,
    faults: AtomicU64,
    throttled: AtomicU64,
}

impl Default for Stats {
    fn default() -> Self {
        Stats {
            per_api: (0..SimApi::count()).map(|_| AtomicU64::new(0)).collect(),
            faults: AtomicU64::new(0),
            throttled: AtomicU64::new(0),
        }
    }
}

impl Stats {
    /// Counts one request.
    pub fn count(&self, api: SimApi) {
        if let Some(c) = self.per_api.get(api.index()) {
            c.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Counts one injected fault.
    pub fn fault(&self) {
        self.faults.fetch_add(1, Ordering::Relaxed);
    }

    /// Counts one answer over a rate limit.
    pub fn throttled(&self) {
        self.throttled.fetch_add(1, Ordering::Relaxed);
    }

    /// The current values.
    pub fn snapshot(&self) -> SimStats {
        let per_api: BTreeMap<String, u64> = SimApi::all()
            .map(|a| {
                let n = self
                    .per_api
                    .get(a.index())
                    .map_or(0, |c| c.load(Ordering::Relaxed));
                (a.as_str().to_string(), n)
            })
            .collect();
        SimStats {
            requests: per_api.values().sum(),
            per_api,
            faults: self.faults.load(Ordering::Relaxed),
            throttled: self.throttled.load(Ordering::Relaxed),
        }
    }
}
