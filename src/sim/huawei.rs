//! Huawei Cloud: IMS (Glance v2), Workspace, CPH, IAM projects and the Glance version document.

use axum::body::Bytes;
use axum::extract::State;
use axum::response::Response;
use http::{HeaderMap, Method, StatusCode, Uri};
use serde_json::{Value, json};

use super::catalog::{Entry, Kind};
use super::faults::PageFault;
use super::paging::offset_page;
use super::reply::{self, first, form_pairs, js, parse_uint, quote};
use super::server::{AppState, Shared};
use super::stats::SimApi;
use super::{auth, huawei_project_id, regions};

/// IMS page size default and cap.
const IMS_DEFAULT_LIMIT: u64 = 25;
const IMS_MAX_LIMIT: u64 = 1000;
/// Workspace page size default and cap.
const WORKSPACE_MAX_LIMIT: u64 = 100;
/// CPH page size default and cap (when paging is asked for).
const CPH_MAX_LIMIT: u64 = 500;

/// `GET /`: the Glance version document (HTTP 300, as Glance answers).
pub(crate) async fn versions(headers: HeaderMap) -> Response {
    let host = headers
        .get("host")
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    let mut list = Vec::new();
    for (i, id) in [
        "v2.9", "v2.8", "v2.7", "v2.6", "v2.5", "v2.4", "v2.3", "v2.2", "v2.1", "v2.0", "v1.1",
        "v1.0",
    ]
    .iter()
    .enumerate()
    {
        let major = &id[..2];
        list.push(json!({
            "status": if i == 0 { "CURRENT" } else { "SUPPORTED" },
            "id": id,
            "links": [{"href": format!("http://{host}/{major}/"), "rel": "self"}],
        }));
    }
    let rid = reply::request_id();
    reply::json_value(
        StatusCode::MULTIPLE_CHOICES,
        &rid,
        &json!({ "versions": list }),
    )
}

/// Project ids this account owns: the configured one, or one per known region.
fn known_project(st: &AppState, id: &str) -> bool {
    match &st.creds.huawei_project_id {
        Some(p) => p == id,
        None => regions::huawei().iter().any(|r| huawei_project_id(r) == id),
    }
}

/// Checks auth and the path's project id; `Err` is the response to send.
fn gate(
    st: &AppState,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
    rid: &str,
    project: Option<&str>,
) -> Result<(), auth::Rejection> {
    auth::huawei(st, method, uri, headers, body, rid)?;
    if let Some(p) = project
        && !known_project(st, p)
    {
        return Err(Box::new(reply::huawei_error(
            StatusCode::FORBIDDEN,
            rid,
            "APIGW.0302",
            "The IAM user is not authorized to access the API: the project id in the path does not match the credentials",
        )));
    }
    Ok(())
}

/// The second path segment (`/v2/{project_id}/...`).
fn path_project(uri: &Uri) -> String {
    let seg = uri.path().split('/').nth(2).unwrap_or_default();
    percent_encoding::percent_decode_str(seg)
        .decode_utf8_lossy()
        .into_owned()
}

/// `GET /v3/projects?name=REGION`: IAM's project list.
pub(crate) async fn iam_projects(
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
    let q = form_pairs(uri.query().unwrap_or_default().as_bytes());
    let host = headers
        .get("host")
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    let domain = huawei_project_id("domain");
    let known = regions::huawei();
    let names: Vec<&str> = match first(&q, "name") {
        Some(n) => known.into_iter().filter(|r| *r == n).collect(),
        None => known,
    };
    let projects: Vec<Value> = names
        .iter()
        .map(|r| {
            let id = st
                .creds
                .huawei_project_id
                .clone()
                .unwrap_or_else(|| huawei_project_id(r));
            json!({
                "is_domain": false,
                "description": "",
                "links": {"self": format!("http://{host}/v3/projects/{id}")},
                "enabled": true,
                "id": id,
                "parent_id": domain,
                "domain_id": domain,
                "name": r,
            })
        })
        .collect();
    let self_link = format!(
        "http://{host}{}",
        uri.path_and_query().map_or("/v3/projects", |p| p.as_str())
    );
    let v = json!({
        "projects": projects,
        "links": {"self": self_link, "previous": null, "next": null},
    });
    reply::json_value(StatusCode::OK, &rid, &v)
}

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
    let bad = |msg: &str| reply::glance_error(StatusCode::BAD_REQUEST, &rid, "IMG.0001", msg);
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
    let cat = &st.ims;
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
            && st.faults.page(SimApi::Ims, PageFault::ImsLoop)
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

/// `GET /v2/{project_id}/images`: Workspace product images, `offset` / `limit`.
pub(crate) async fn workspace(
    State(st): State<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let rid = reply::request_id();
    let project = path_project(&uri);
    if let Err(r) = gate(&st, &method, &uri, &headers, &body, &rid, Some(&project)) {
        return *r;
    }
    let bad = |msg: &str| reply::huawei_error(StatusCode::BAD_REQUEST, &rid, "WKS.00000400", msg);
    let q = form_pairs(uri.query().unwrap_or_default().as_bytes());
    let limit = match first(&q, "limit") {
        None => WORKSPACE_MAX_LIMIT,
        Some(s) => match parse_uint(s) {
            Some(l) if l <= WORKSPACE_MAX_LIMIT => l,
            _ => {
                return bad(&format!(
                    "Invalid parameter: limit must be an integer from 0 to {WORKSPACE_MAX_LIMIT}"
                ));
            }
        },
    } as usize;
    let offset = match first(&q, "offset") {
        None => 0,
        Some(s) => match parse_uint(s).and_then(|o| usize::try_from(o).ok()) {
            Some(o) => o,
            None => return bad("Invalid parameter: offset must be an integer >= 0"),
        },
    };
    let kind = match first(&q, "image_type") {
        None => None,
        Some("gold") => Some(Kind::Public),
        Some("private") => Some(Kind::Private),
        Some(other) => {
            return bad(&format!(
                "Invalid parameter: image_type {other}, expected gold or private"
            ));
        }
    };
    let os_type = first(&q, "os_type");
    let arch = first(&q, "architecture");
    let platform = first(&q, "platform");
    let image_id = first(&q, "image_id");
    let filtered = kind.is_some()
        || os_type.is_some()
        || arch.is_some()
        || platform.is_some()
        || image_id.is_some();
    let keep = |e: &Entry| {
        let f = &e.facets;
        kind.is_none_or(|k| f.kind == k)
            && os_type.is_none_or(|v| f.os_type.eq_ignore_ascii_case(v))
            && arch.is_none_or(|v| v.eq_ignore_ascii_case(if f.arm { "arm" } else { "x86" }))
            && platform.is_none_or(|v| f.platform.eq_ignore_ascii_case(v))
            && image_id.is_none_or(|v| e.id == v)
    };
    let page = offset_page(
        &st,
        SimApi::Workspace,
        &st.workspace,
        filtered,
        keep,
        offset,
        limit,
    );
    let prefix = format!("{{\"total_count\":{},\"images\":", page.total);
    let body = reply::join_items(
        &prefix,
        page.items.iter().map(|e| &e.bytes),
        "}",
        page.byte_len(),
    );
    reply::json_bytes(StatusCode::OK, &rid, body)
}

/// `GET /v1/{project_id}/cloud-phone/phone-images`: all images in one answer, unless `limit` or
/// `marker` ask for pages (newer API: `page_info.next_marker`).
pub(crate) async fn cph(
    State(st): State<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let rid = reply::request_id();
    let project = path_project(&uri);
    if let Err(r) = gate(&st, &method, &uri, &headers, &body, &rid, Some(&project)) {
        return *r;
    }
    let bad = |msg: &str| reply::huawei_error(StatusCode::BAD_REQUEST, &rid, "CPS.0005", msg);
    let q = form_pairs(uri.query().unwrap_or_default().as_bytes());
    let kinds: &[Kind] = match first(&q, "image_type") {
        None | Some("all") => &[Kind::Public, Kind::Market, Kind::Private, Kind::Shared],
        Some("public") => &[Kind::Public, Kind::Market],
        Some("private") => &[Kind::Private],
        Some("share") => &[Kind::Shared],
        Some(other) => return bad(&format!("Invalid parameter: image_type {other}")),
    };
    let paged = first(&q, "limit").is_some() || first(&q, "marker").is_some();
    let limit = match first(&q, "limit") {
        None => CPH_MAX_LIMIT,
        Some(s) => match parse_uint(s) {
            Some(l) if (1..=CPH_MAX_LIMIT).contains(&l) => l,
            _ => {
                return bad(&format!(
                    "Invalid parameter: limit must be an integer from 1 to {CPH_MAX_LIMIT}"
                ));
            }
        },
    } as usize;
    let cat = &st.cph;
    let start = match first(&q, "marker") {
        None => 0,
        Some(m) => match cat.by_id.get(m) {
            Some(pos) => pos + 1,
            None => return bad(&format!("Invalid parameter: marker {m} not found")),
        },
    };
    let mut matching = cat
        .entries
        .iter()
        .skip(start)
        .filter(|e| kinds.contains(&e.facets.kind));
    let items: Vec<&Entry> = if paged {
        matching.by_ref().take(limit).collect()
    } else {
        matching.by_ref().collect()
    };
    let more = paged && matching.next().is_some();
    let mut suffix = String::new();
    if paged {
        let next = match items.last() {
            Some(last) if more => js(&last.id),
            _ => "null".to_string(),
        };
        suffix.push_str(&format!(",\"page_info\":{{\"next_marker\":{next}}}"));
    }
    suffix.push_str(&format!(",\"request_id\":{}}}", js(&rid)));
    let cap = items.iter().map(|e| e.bytes.len() + 1).sum();
    let body = reply::join_items(
        "{\"phone_images\":",
        items.iter().map(|e| &e.bytes),
        &suffix,
        cap,
    );
    reply::json_bytes(StatusCode::OK, &rid, body)
}
