//! Request counters, per API, for `GET /__sim/stats` and the benchmark.

use std::fmt;
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};

use http::Method;
use serde::Serialize;

/// The API a request went to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SimApi {
    /// Huawei IMS `GET /v2/images`.
    Ims,
    /// Huawei Workspace `GET /v2/{project_id}/images`.
    Workspace,
    /// Huawei CPH `GET /v1/{project_id}/cloud-phone/phone-images`.
    Cph,
    /// Huawei IAM `GET /v3/projects`.
    Iam,
    /// Tencent API 2.0 `/v2/index.php`.
    Tencent,
    /// Zenlayer `POST /api/v2/vm`.
    Zenlayer,
    /// The Glance version document `GET /`.
    Glance,
    /// Anything else (stats, unknown paths).
    Other,
}

impl SimApi {
    /// Every API, in counter order.
    pub const ALL: [SimApi; 8] = [
        SimApi::Ims,
        SimApi::Workspace,
        SimApi::Cph,
        SimApi::Iam,
        SimApi::Tencent,
        SimApi::Zenlayer,
        SimApi::Glance,
        SimApi::Other,
    ];

    /// The five image APIs (the default target of faults).
    pub const IMAGE_APIS: [SimApi; 5] = [
        SimApi::Ims,
        SimApi::Workspace,
        SimApi::Cph,
        SimApi::Tencent,
        SimApi::Zenlayer,
    ];

    /// The short name (`ims`, `workspace`, `cph`, `iam`, `tencent`, `zenlayer`, `glance`, `other`).
    pub fn as_str(self) -> &'static str {
        match self {
            SimApi::Ims => "ims",
            SimApi::Workspace => "workspace",
            SimApi::Cph => "cph",
            SimApi::Iam => "iam",
            SimApi::Tencent => "tencent",
            SimApi::Zenlayer => "zenlayer",
            SimApi::Glance => "glance",
            SimApi::Other => "other",
        }
    }

    /// Index into per-API arrays.
    pub(crate) fn index(self) -> usize {
        self as usize
    }

    /// Which API a request goes to, by method and path.
    pub(crate) fn classify(method: &Method, path: &str) -> SimApi {
        let segs: Vec<&str> = path.trim_matches('/').split('/').collect();
        let get = method == Method::GET;
        match segs.as_slice() {
            [""] if get => SimApi::Glance,
            ["v2", "images"] if get => SimApi::Ims,
            ["v2", "index.php"] => SimApi::Tencent,
            ["v2", _, "images"] if get => SimApi::Workspace,
            ["v1", _, "cloud-phone", "phone-images"] if get => SimApi::Cph,
            ["v3", "projects"] if get => SimApi::Iam,
            ["api", "v2", "vm"] => SimApi::Zenlayer,
            _ => SimApi::Other,
        }
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
        SimApi::ALL
            .iter()
            .copied()
            .find(|a| a.as_str() == s.trim())
            .ok_or_else(|| format!("unknown simulator API '{s}'"))
    }
}

/// A snapshot of the counters (the JSON of `GET /__sim/stats`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SimStats {
    /// All requests, the stats endpoint excluded.
    pub requests: u64,
    /// IMS requests.
    pub ims: u64,
    /// Workspace requests.
    pub workspace: u64,
    /// CPH requests.
    pub cph: u64,
    /// IAM requests.
    pub iam: u64,
    /// Tencent requests.
    pub tencent: u64,
    /// Zenlayer requests.
    pub zenlayer: u64,
    /// Glance version document requests.
    pub glance: u64,
    /// Other requests (unknown paths).
    pub other: u64,
    /// Requests that got an injected fault.
    pub faults: u64,
}

/// The live counters.
#[derive(Debug, Default)]
pub(crate) struct Stats {
    per_api: [AtomicU64; 8],
    faults: AtomicU64,
}

impl Stats {
    /// Counts one request.
    pub fn count(&self, api: SimApi) {
        self.per_api[api.index()].fetch_add(1, Ordering::Relaxed);
    }

    /// Counts one injected fault.
    pub fn fault(&self) {
        self.faults.fetch_add(1, Ordering::Relaxed);
    }

    /// The current values.
    pub fn snapshot(&self) -> SimStats {
        let g = |a: SimApi| self.per_api[a.index()].load(Ordering::Relaxed);
        SimStats {
            requests: SimApi::ALL.iter().map(|a| g(*a)).sum(),
            ims: g(SimApi::Ims),
            workspace: g(SimApi::Workspace),
            cph: g(SimApi::Cph),
            iam: g(SimApi::Iam),
            tencent: g(SimApi::Tencent),
            zenlayer: g(SimApi::Zenlayer),
            glance: g(SimApi::Glance),
            other: g(SimApi::Other),
            faults: self.faults.load(Ordering::Relaxed),
        }
    }
}
