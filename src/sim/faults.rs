//! Injected faults and latency.
//!
//! Syntax of a fault: `KIND[:ARGS][@API,API...]`. Without `@`, a fault targets the image APIs
//! (each simulator service says which of its APIs are; `GET /__sim/stats` lists every name);
//! the others (IAM, version documents) can be named. Each count is per API ("the first N
//! requests of each API").
//!
//! | spec | effect |
//! |---|---|
//! | `status:CODE[:N]` | the first N (default 1) requests answer HTTP CODE (400..=599) with the API's error body; 429 adds `Retry-After: 1` |
//! | `cut[:N]` | the first N responses are cut mid-body (connection aborted) |
//! | `truncate[:N]` | the first N responses carry only the first half of their JSON (valid HTTP, invalid JSON) |
//! | `slow:MS[:N]` | the first N requests are delayed by MS milliseconds more |
//! | `ims-loop[:N]` | IMS: `next` points back to the marker just used (N times; default always) |
//! | `short-page[:N]` | Workspace/Tencent/Zenlayer: the first N full, non-final pages lack their last item; the total is unchanged |
//! | `total-change[:N]` | Workspace/Tencent/Zenlayer: the first N pages after the first report a total one higher |
//! | `status-after:CODE:K` | every request after the first K (default 1) answers HTTP CODE: a listing that fails midway |

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use http::{HeaderValue, StatusCode};

use super::reply;
use super::server::SimState;
use super::stats::SimApi;

/// What a fault does (see the module docs for the string syntax).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultKind {
    /// Answer HTTP `code` to the first `count` requests.
    Status {
        /// The HTTP status (400..=599).
        code: u16,
        /// How many requests per API.
        count: u64,
    },
    /// Abort the connection mid-body.
    Cut {
        /// How many responses per API.
        count: u64,
    },
    /// Send only the first half of the JSON body (with a matching `Content-Length`).
    Truncate {
        /// How many responses per API.
        count: u64,
    },
    /// Delay the answer by `delay_ms` more.
    Slow {
        /// Extra delay in milliseconds.
        delay_ms: u64,
        /// How many requests per API.
        count: u64,
    },
    /// IMS `next` loops back to the marker just used.
    ImsLoop {
        /// How many looping links (`u64::MAX`: always).
        count: u64,
    },
    /// A full, non-final offset page lacks its last item; the total is unchanged.
    ShortPage {
        /// How many pages per API.
        count: u64,
    },
    /// A page after the first reports a total one higher.
    TotalChange {
        /// How many pages per API.
        count: u64,
    },
    /// Every request after the first `after` answers HTTP `code`.
    StatusAfter {
        /// The HTTP status (400..=599).
        code: u16,
        /// How many requests per API are answered normally first.
        after: u64,
    },
}

/// One fault and the APIs it targets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    /// What it does.
    pub kind: FaultKind,
    /// Where (empty: the five image APIs).
    pub apis: Vec<SimApi>,
}

impl Fault {
    /// A fault on the five image APIs.
    pub fn new(kind: FaultKind) -> Self {
        Fault {
            kind,
            apis: Vec::new(),
        }
    }

    /// Restricts the fault to `apis`.
    pub fn on(mut self, apis: &[SimApi]) -> Self {
        self.apis = apis.to_vec();
        self
    }

    fn targets(&self, api: SimApi) -> bool {
        if self.apis.is_empty() {
            api.is_image_api()
        } else {
            self.apis.contains(&api)
        }
    }
}

/// The largest count (`N`, `K`) a fault takes: 10^9.
pub const MAX_COUNT: u64 = 1_000_000_000;

/// The largest delay of `slow:MS`: a minute.
pub const MAX_SLOW_MS: u64 = 60_000;

/// Why a fault string was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "bad fault '{spec}': {reason} (expected status:CODE[:N], cut[:N], truncate[:N], slow:MS[:N], ims-loop[:N], short-page[:N], total-change[:N] or status-after:CODE[:K], optionally @api,api)"
)]
pub struct ParseFaultError {
    spec: String,
    reason: String,
}

impl FromStr for Fault {
    type Err = ParseFaultError;

    fn from_str(spec: &str) -> Result<Self, Self::Err> {
        let err = |reason: &str| ParseFaultError {
            spec: spec.to_string(),
            reason: reason.to_string(),
        };
        let (body, scope) = match spec.trim().split_once('@') {
            Some((b, s)) => (b, Some(s)),
            None => (spec.trim(), None),
        };
        let apis = match scope {
            None => Vec::new(),
            Some(s) => s
                .split(',')
                .map(|a| a.parse::<SimApi>().map_err(|e| err(&e)))
                .collect::<Result<Vec<_>, _>>()?,
        };
        let mut parts = body.split(':');
        let name = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
        let args: Vec<u64> = parts
            .map(|p| {
                p.trim()
                    .parse::<u64>()
                    .map_err(|_| err("arguments must be whole numbers"))
            })
            .collect::<Result<_, _>>()?;
        // The counts: every argument but the CODE of `status`/`status-after` and the MS of `slow`.
        let first_is_count = !matches!(name.as_str(), "status" | "status-after" | "slow");
        let counts = if first_is_count {
            &args[..]
        } else {
            args.get(1..).unwrap_or_default()
        };
        if counts.iter().any(|n| *n > MAX_COUNT) {
            return Err(err("counts (N, K) are at most 10^9"));
        }
        let count = |i: usize, default: u64| args.get(i).copied().unwrap_or(default);
        let max_args = |n: usize| {
            if args.len() > n {
                Err(err("too many arguments"))
            } else {
                Ok(())
            }
        };
        let kind = match name.as_str() {
            "status" => {
                max_args(2)?;
                let code = args.first().copied().ok_or_else(|| err("missing CODE"))?;
                if !(400..=599).contains(&code) {
                    return Err(err("CODE must be 400..=599"));
                }
                FaultKind::Status {
                    code: code as u16,
                    count: count(1, 1),
                }
            }
            "cut" => {
                max_args(1)?;
                FaultKind::Cut { count: count(0, 1) }
            }
            "truncate" => {
                max_args(1)?;
                FaultKind::Truncate { count: count(0, 1) }
            }
            "slow" => {
                max_args(2)?;
                let delay_ms = args.first().copied().ok_or_else(|| err("missing MS"))?;
                if delay_ms > MAX_SLOW_MS {
                    return Err(err("MS must be 0..=60000"));
                }
                FaultKind::Slow {
                    delay_ms,
                    count: count(1, 1),
                }
            }
            "ims-loop" => {
                max_args(1)?;
                FaultKind::ImsLoop {
                    count: count(0, u64::MAX),
                }
            }
            "short-page" => {
                max_args(1)?;
                FaultKind::ShortPage { count: count(0, 1) }
            }
            "total-change" => {
                max_args(1)?;
                FaultKind::TotalChange { count: count(0, 1) }
            }
            "status-after" => {
                max_args(2)?;
                let code = args.first().copied().ok_or_else(|| err("missing CODE"))?;
                if !(400..=599).contains(&code) {
                    return Err(err("CODE must be 400..=599"));
                }
                FaultKind::StatusAfter {
                    code: code as u16,
                    after: count(1, 1),
                }
            }
            _ => return Err(err("unknown kind")),
        };
        Ok(Fault { kind, apis })
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            FaultKind::Status { code, count } => write!(f, "status:{code}:{count}")?,
            FaultKind::Cut { count } => write!(f, "cut:{count}")?,
            FaultKind::Truncate { count } => write!(f, "truncate:{count}")?,
            FaultKind::Slow { delay_ms, count } => write!(f, "slow:{delay_ms}:{count}")?,
            FaultKind::ImsLoop { count } => write!(f, "ims-loop:{count}")?,
            FaultKind::ShortPage { count } => write!(f, "short-page:{count}")?,
            FaultKind::TotalChange { count } => write!(f, "total-change:{count}")?,
            FaultKind::StatusAfter { code, after } => write!(f, "status-after:{code}:{after}")?,
        }
        if !self.apis.is_empty() {
            let names: Vec<&str> = self.apis.iter().map(|a| a.as_str()).collect();
            write!(f, "@{}", names.join(","))?;
        }
        Ok(())
    }
}

/// Page-level faults the handlers ask about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PageFault {
    /// [`FaultKind::ImsLoop`].
    ImsLoop,
    /// [`FaultKind::ShortPage`].
    ShortPage,
    /// [`FaultKind::TotalChange`].
    TotalChange,
}

/// The configured faults with their per-API firing counters.
#[derive(Debug, Default)]
pub(crate) struct FaultState {
    faults: Vec<(Fault, Vec<AtomicU64>)>,
}

impl FaultState {
    /// Arms `faults`.
    pub fn new(faults: &[Fault]) -> Self {
        FaultState {
            faults: faults
                .iter()
                .map(|f| {
                    let fired = (0..SimApi::count()).map(|_| AtomicU64::new(0)).collect();
                    (f.clone(), fired)
                })
                .collect(),
        }
    }

    /// Fires the first armed fault matching `pick` for `api` (consuming one of its count).
    fn fire<T>(&self, api: SimApi, pick: impl Fn(&FaultKind) -> Option<(T, u64)>) -> Option<T> {
        for (fault, fired) in &self.faults {
            if !fault.targets(api) {
                continue;
            }
            let Some((value, count)) = pick(&fault.kind) else {
                continue;
            };
            let Some(slot) = fired.get(api.index()) else {
                continue;
            };
            if slot
                .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |c| {
                    (c < count).then_some(c + 1)
                })
                .is_ok()
            {
                return Some(value);
            }
        }
        None
    }

    /// The status of a `status-after` fault that fires now for `api`: counts the request, and
    /// answers once the first K have passed.
    fn after(&self, api: SimApi) -> Option<u16> {
        let mut hit = None;
        for (fault, seen) in &self.faults {
            if let FaultKind::StatusAfter { code, after } = fault.kind
                && fault.targets(api)
                && let Some(slot) = seen.get(api.index())
                && slot.fetch_add(1, Ordering::Relaxed) >= after
                && hit.is_none()
            {
                hit = Some(code);
            }
        }
        hit
    }

    /// Whether a page-level fault fires now for `api` (consumes one of its count if so).
    pub fn page(&self, api: SimApi, which: PageFault) -> bool {
        self.fire(api, |k| match (k, which) {
            (FaultKind::ImsLoop { count }, PageFault::ImsLoop)
            | (FaultKind::ShortPage { count }, PageFault::ShortPage)
            | (FaultKind::TotalChange { count }, PageFault::TotalChange) => Some(((), *count)),
            _ => None,
        })
        .is_some()
    }
}

/// Body faults decided before the handler runs.
enum BodyFault {
    Cut,
    Truncate,
}

/// The middleware: counts the request, answers a `status` fault or runs the handler (and
/// applies `cut` / `truncate` to its body), and sends the answer the latency (plus any `slow`
/// delay) after the request arrived. The handler's own work happens within that wait, as a
/// remote service's would within its response time, so the simulator's cost of building a large
/// page is not added to every round trip the benchmark measures.
pub(crate) async fn middleware(
    State(st): State<Arc<SimState>>,
    req: Request,
    next: Next,
) -> Response {
    let arrived = std::time::Instant::now();
    let api = SimApi::classify(req.method(), req.uri().path());
    let is_stats = req.uri().path().starts_with("/__sim/");
    if !is_stats {
        st.stats.count(api);
    }
    let faults = &st.faults;
    // A metadata service is on the instance's own link: the API latency is not its.
    let mut delay = if super::metadata::is_metadata_api(api) {
        Duration::ZERO
    } else {
        st.latency
    };
    if let Some(ms) = faults.fire(api, |k| match k {
        FaultKind::Slow { delay_ms, count } => Some((*delay_ms, *count)),
        _ => None,
    }) {
        st.stats.fault();
        delay += Duration::from_millis(ms);
    }
    let answer_at = (!delay.is_zero() && !is_stats).then(|| arrived + delay);
    let clock = &st.clock;
    let wait = || async move {
        if let Some(at) = answer_at {
            clock.sleep_until(at).await;
        }
    };
    // The gateway's rate limit, counted on arrivals, before anything else.
    if let (Some(budgets), Some(def)) = (&st.budgets, api.def())
        && let Some(limit) = def.rate
        && !is_stats
    {
        let region = (def.region)(&st, req.headers(), req.uri());
        if !budgets.window(&limit, &region).admit(arrived) {
            st.stats.throttled();
            wait().await;
            return (def.throttled)();
        }
    }
    if let Some(code) = faults
        .fire(api, |k| match k {
            FaultKind::Status { code, count } => Some((*code, *count)),
            _ => None,
        })
        .or_else(|| faults.after(api))
    {
        st.stats.fault();
        wait().await;
        return status_fault(api, code);
    }
    let body_fault = faults.fire(api, |k| match k {
        FaultKind::Cut { count } => Some((BodyFault::Cut, *count)),
        FaultKind::Truncate { count } => Some((BodyFault::Truncate, *count)),
        _ => None,
    });
    let mut resp = next.run(req).await;
    // Every answer carries a request id, axum's own rejections (405, 413) included.
    if !resp.headers().contains_key("x-request-id")
        && let Ok(v) = HeaderValue::from_str(&reply::request_id())
    {
        resp.headers_mut().insert("x-request-id", v);
    }
    wait().await;
    match body_fault {
        None => resp,
        Some(kind) => {
            st.stats.fault();
            damage(resp, kind).await
        }
    }
}

/// Cuts or truncates a response body.
async fn damage(resp: Response, kind: BodyFault) -> Response {
    let (mut parts, body) = resp.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    let half = bytes.slice(..bytes.len() / 2);
    parts.headers.remove(http::header::CONTENT_LENGTH);
    match kind {
        BodyFault::Truncate => {
            if let Ok(v) = HeaderValue::from_str(&half.len().to_string()) {
                parts.headers.insert(http::header::CONTENT_LENGTH, v);
            }
            Response::from_parts(parts, Body::from(half))
        }
        BodyFault::Cut => {
            // Announce the full length, send half, then fail the stream: hyper aborts the
            // connection and the client sees an incomplete body.
            if let Ok(v) = HeaderValue::from_str(&bytes.len().to_string()) {
                parts.headers.insert(http::header::CONTENT_LENGTH, v);
            }
            // The pause lets hyper flush the head and the first half before the error.
            let head = futures::stream::iter([Ok::<_, std::io::Error>(half)]);
            let cut = futures::stream::once(async {
                tokio::time::sleep(Duration::from_millis(20)).await;
                Err(std::io::Error::new(
                    std::io::ErrorKind::ConnectionAborted,
                    "simulated cut",
                ))
            });
            Response::from_parts(
                parts,
                Body::from_stream(futures::StreamExt::chain(head, cut)),
            )
        }
    }
}

/// The response of a `status:CODE` fault, in the API's error shape (a plain JSON error for
/// requests no API claims).
fn status_fault(api: SimApi, code: u16) -> Response {
    let status = StatusCode::from_u16(code).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
    let mut resp = match api.def() {
        Some(def) => (def.fault)(status),
        None => {
            let reason = status.canonical_reason().unwrap_or("Error");
            reply::json_value(
                status,
                &reply::request_id(),
                &serde_json::json!({"code": code, "message": reason}),
            )
        }
    };
    if code == 429 {
        resp.headers_mut()
            .insert(http::header::RETRY_AFTER, HeaderValue::from_static("1"));
    }
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_the_syntax() {
        let f: Fault = "status:503:3".parse().unwrap();
        assert_eq!(
            f.kind,
            FaultKind::Status {
                code: 503,
                count: 3
            }
        );
        assert!(f.apis.is_empty());
        let f: Fault = "slow:250@ims,tencent".parse().unwrap();
        assert_eq!(
            f.kind,
            FaultKind::Slow {
                delay_ms: 250,
                count: 1
            }
        );
        let named = |n: &str| SimApi::named(n).unwrap_or_else(SimApi::other);
        assert_eq!(f.apis, vec![named("ims"), named("tencent")]);
        assert_eq!(f.to_string(), "slow:250:1@ims,tencent");
        assert_eq!(f.to_string().parse::<Fault>().unwrap(), f);
        let f: Fault = "ims-loop".parse().unwrap();
        assert_eq!(f.kind, FaultKind::ImsLoop { count: u64::MAX });
        for bad in [
            "",
            "status",
            "status:200",
            "status:x",
            "cut:1:2",
            "nope",
            "slow",
            "cut@mars",
            "slow:60001",
            "cut:1000000001",
            "status:503:1000000001",
            "status:99999999999999999999",
        ] {
            assert!(bad.parse::<Fault>().is_err(), "{bad}");
        }
    }

    #[test]
    fn counts_are_per_api() {
        let st = FaultState::new(&["short-page:2".parse().unwrap()]);
        let images: Vec<SimApi> = SimApi::all().filter(|a| a.is_image_api()).collect();
        let (a, b) = (images[0], images[1]);
        assert!(st.page(a, PageFault::ShortPage));
        assert!(st.page(a, PageFault::ShortPage));
        assert!(!st.page(a, PageFault::ShortPage));
        assert!(st.page(b, PageFault::ShortPage));
        assert!(!st.page(b, PageFault::TotalChange));
        let discovery = SimApi::all().find(|a| !a.is_image_api());
        if let Some(d) = discovery {
            assert!(!st.page(d, PageFault::ShortPage), "{d} is not targeted");
        }
    }
}
