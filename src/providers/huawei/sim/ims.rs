//! Huawei IMS (Glance v2) `GET /v2/images`: `limit` / `marker` paging with a relative `next`,
//! Glance filters, Glance-shaped errors `{"error":{"code","message"}}`.

use axum::body::Bytes;
use axum::extract::State;
use axum::response::Response;
use http::{HeaderMap, Method, StatusCode, Uri};
use serde_json::Value;

use super::{api, gate, glance_error};
use crate::providers::huawei::IMS_ID;
use crate::sim::catalog::{Entry, Kind};
use crate::sim::reply::{self, first, form_pairs, js, parse_uint, quote};
use crate::sim::{PageFault, Shared};

/// IMS page size default and cap.
const IMS_DEFAULT_LIMIT: u64 = 25;
const IMS_MAX_LIMIT: u64 = 1000;

/// A comparison of the `created_at=gt:TIME` kind.
#[derive(Clone, Copy)]
enum Cmp {
    Gt,
    Gte,
    Lt,
    Lte,
    Eq,
    Neq,
}

impl Cmp {
    fn holds(self, a: i64, b: i64) -> bool {
        match self {
            Cmp::Gt => a > b,
            Cmp::Gte => a >= b,
            Cmp::Lt => a < b,
            Cmp::Lte => a <= b,
            Cmp::Eq => a == b,
            Cmp::Neq => a != b,
        }
    }
}

/// Parses `OP:yyyy-MM-ddThh:mm:ssZ` or `OP:yyyy-MM-dd hh:mm:ss`.
fn parse_time_filter(v: &str) -> Option<(Cmp, i64)> {
    let (op, t) = v.split_once(':')?;
    let cmp = match op.trim() {
        "gt" => Cmp::Gt,
        "gte" => Cmp::Gte,
        "lt" => Cmp::Lt,
        "lte" => Cmp::Lte,
        "eq" => Cmp::Eq,
        "neq" => Cmp::Neq,
        _ => return None,
    };
    let t = parse_time(t.trim())?;
    Some((cmp, t))
}

fn parse_time(t: &str) -> Option<i64> {
    ["%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%d %H:%M:%S"]
        .iter()
        .find_map(|f| chrono::NaiveDateTime::parse_from_str(t, f).ok())
        .map(|d| d.and_utc().timestamp())
}

/// One IMS filter.
enum ImsFilter {
    Kind(Vec<Kind>),
    OsType(String),
    Platform(String),
    Status(String),
    Name(String),
    Id(String),
    Created(Cmp, i64),
    Bits(String),
    DiskFormat(String),
    /// A `"true"` property: `__support_arm`, `protected`, `__isregistered`, ...
    Flag(fn(&Entry) -> bool, bool),
    /// Any other property (or `updated_at`), read from the serialized image: slow, rare.
    Slow(String, String),
}

impl ImsFilter {
    fn keep(&self, e: &Entry) -> bool {
        let f = &e.facets;
        match self {
            ImsFilter::Kind(kinds) => kinds.contains(&f.kind),
            ImsFilter::OsType(v) => f.os_type == v,
            ImsFilter::Platform(v) => f.platform == v,
            ImsFilter::Status(v) => f.status == v,
            ImsFilter::Name(v) => e.name == *v,
            ImsFilter::Id(v) => e.id == *v,
            ImsFilter::Created(c, t) => c.holds(f.created, *t),
            ImsFilter::Bits(v) => f.bits.to_string() == *v,
            ImsFilter::DiskFormat(v) => f.disk_format == v,
            ImsFilter::Flag(get, want) => get(e) == *want,
            ImsFilter::Slow(k, v) => slow_match(e, k, v),
        }
    }
}

/// Matches a property of the serialized image exactly (`updated_at` with an operator).
fn slow_match(e: &Entry, key: &str, want: &str) -> bool {
    let Ok(Value::Object(obj)) = serde_json::from_slice::<Value>(&e.bytes) else {
        return false;
    };
    if key == "updated_at" {
        let got = obj.get(key).and_then(Value::as_str).and_then(parse_time);
        return match (got, parse_time_filter(want)) {
            (Some(u), Some((c, t))) => c.holds(u, t),
            _ => false,
        };
    }
    match obj.get(key) {
        Some(Value::String(s)) => s == want,
        Some(Value::Bool(b)) => b.to_string() == want,
        Some(Value::Number(n)) => n.to_string() == want,
        _ => false,
    }
}

/// Builds the IMS filters from the query; `Err` is a 400 message.
fn ims_filters(q: &[(String, String)]) -> Result<Vec<ImsFilter>, String> {
    let mut out = Vec::new();
    for (k, v) in q {
        let f = match k.as_str() {
            "limit" | "marker" | "sort_key" | "sort_dir" | "member_status" => continue,
            "visibility" => ImsFilter::Kind(match v.as_str() {
                "public" => vec![Kind::Public, Kind::Market],
                "private" => vec![Kind::Private],
                "shared" => vec![Kind::Shared],
                "community" => vec![],
                _ => return Err(format!("Invalid visibility value: {v}")),
            }),
            "__imagetype" => ImsFilter::Kind(match v.as_str() {
                "gold" => vec![Kind::Public],
                "private" => vec![Kind::Private],
                "shared" => vec![Kind::Shared],
                "market" => vec![Kind::Market],
                _ => return Err(format!("Invalid __imagetype value: {v}")),
            }),
            "__os_type" => ImsFilter::OsType(v.clone()),
            "__platform" => ImsFilter::Platform(v.clone()),
            "status" => ImsFilter::Status(v.clone()),
            "name" => ImsFilter::Name(v.clone()),
            "id" => ImsFilter::Id(v.clone()),
            "created_at" | "updated_at" => {
                let (c, t) = parse_time_filter(v).ok_or_else(|| {
                    format!("Invalid {k} value: {v}, expected OP:yyyy-MM-ddThh:mm:ssZ")
                })?;
                if k == "created_at" {
                    ImsFilter::Created(c, t)
                } else {
                    ImsFilter::Slow(k.clone(), v.clone())
                }
            }
            "__os_bit" => ImsFilter::Bits(v.clone()),
            "disk_format" => ImsFilter::DiskFormat(v.clone()),
            "__support_arm" | "protected" | "__isregistered" | "__support_kvm" => {
                let get: fn(&Entry) -> bool = match k.as_str() {
                    "__support_arm" => |e| e.facets.arm,
                    "protected" => |e| matches!(e.facets.kind, Kind::Public | Kind::Market),
                    _ => |_| true,
                };
                match v.as_str() {
                    "true" => ImsFilter::Flag(get, true),
                    // Glance matches the stored string: the field is absent on non-Arm images.
                    "false" if k == "protected" => ImsFilter::Flag(get, false),
                    _ => ImsFilter::Kind(vec![]),
                }
            }
            _ => ImsFilter::Slow(k.clone(), v.clone()),
        };
        out.push(f);
    }
    Ok(out)
}

/// `GET /v2/images`: Glance v2 list with `limit` / `marker` and a relative `next`.
pub(crate) async fn ims(
    State(st): State<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let rid = reply::request_id();
    if let Err(r) = gate(&st, &method, &uri, &headers, &body, &rid, None) {
        return *r;
    }
    let bad = |msg: &str| glance_error(StatusCode::BAD_REQUEST, &rid, "IMG.0001", msg);
    let q = form_pairs(uri.query().unwrap_or_default().as_bytes());
    let limit = match first(&q, "limit") {
        None => IMS_DEFAULT_LIMIT,
        Some(s) => match parse_uint(s) {
            Some(l) if l <= IMS_MAX_LIMIT => l,
            Some(_) => {
                return bad(&format!(
                    "limit param must be less than or equal to {IMS_MAX_LIMIT}"
                ));
            }
            None => return bad("limit param must be an integer >= 0"),
        },
    } as usize;
    // The region is the project's: `X-Project-Id` (AK/SK), else the `--sim` region.
    let region = super::header_region(&st, &headers, &uri);
    let cat = st.catalog_in(IMS_ID, &region);
    let start = match first(&q, "marker") {
        None => 0,
        Some(m) => match cat.by_id.get(m) {
            Some(pos) => pos + 1,
            None => return bad(&format!("marker {m} could not be found")),
        },
    };
    let filters = match ims_filters(&q) {
        Ok(f) => f,
        Err(msg) => return bad(&msg),
    };
    let keep = |e: &Entry| filters.iter().all(|f| f.keep(e));
    let mut items: Vec<&Entry> = Vec::with_capacity(limit.min(1024));
    let mut more = false;
    for e in cat.entries.iter().skip(start).filter(|e| keep(e)) {
        if items.len() == limit {
            more = true;
            break;
        }
        items.push(e);
    }
    // `first` / `next` keep every parameter but the marker, re-encoded.
    let kept: Vec<String> = q
        .iter()
        .filter(|(k, _)| k != "marker")
        .map(|(k, v)| format!("{}={}", quote(k), quote(v)))
        .collect();
    let base = if kept.is_empty() {
        "/v2/images".to_string()
    } else {
        format!("/v2/images?{}", kept.join("&"))
    };
    let sep = if kept.is_empty() { '?' } else { '&' };
    let mut suffix = format!(",\"schema\":\"/v2/schemas/images\",\"first\":{}", js(&base));
    if more && let Some(last) = items.last() {
        let mut marker = last.id.as_str();
        if let Some(m) = first(&q, "marker")
            && st.faults.page(api("ims"), PageFault::ImsLoop)
        {
            st.stats.fault();
            marker = m;
        }
        let next = format!("{base}{sep}marker={}", quote(marker));
        suffix.push_str(&format!(",\"next\":{}", js(&next)));
    }
    suffix.push('}');
    let cap = items.iter().map(|e| e.bytes.len() + 1).sum();
    let body = reply::join_items("{\"images\":", items.iter().map(|e| &e.bytes), &suffix, cap);
    reply::json_bytes(StatusCode::OK, &rid, body)
}
