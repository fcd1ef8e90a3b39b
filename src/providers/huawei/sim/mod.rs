//! The simulated Huawei Cloud gateway: IMS (in [`ims`]), Workspace, CPH, IAM projects and the
//! Glance version document, all behind the API gateway's auth ([`gate`]) and its error shape.
//!
//! Catalogs (item `i` depends only on the service and `i`; see [`catalog`]):
//! - IMS: `visibility` public / private / shared with `__imagetype` gold / private / shared /
//!   market (market images are `visibility: public`); `status` active, queued, saving, killed;
//!   Arm images carry `__support_arm: "true"`; listed newest first.
//! - Workspace: `image_type` gold / private, `architecture` x86 / arm; sorted by name.
//! - CPH: `is_public` 1 (public) / 2 (private, and shared ones with `receive_status`); Android
//!   on Arm; listed public, private, shared.

pub mod catalog;
mod ims;
pub mod metadata;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use chrono::Utc;
use http::{HeaderMap, Method, StatusCode, Uri};
use serde_json::{Value, json};

use super::config::{AK, AUTH_TOKEN, PROJECT_ID, SECURITY_TOKEN, SK};
use super::{CPH_ID, WORKSPACE_ID, regions, sign as hw_sign};
use crate::sign::VerifyError;
use crate::sim::auth::{self, Rejection, guarded};
use crate::sim::catalog::{Entry, Kind, mix};
use crate::sim::metadata::Temporary;
use crate::sim::paging::offset_page;
use crate::sim::reply::{self, first, form_pairs, js, json_value, parse_uint};
use crate::sim::service::{SimApiDef, SimService, no_region};
use crate::sim::{Shared, SimApi, SimState};

/// The simulated gateway, shared by the three Huawei providers.
pub static SIM: HuaweiSim = HuaweiSim;

/// The simulated Huawei gateway ([`SimService`]).
#[derive(Debug)]
pub struct HuaweiSim;

const APIS: &[SimApiDef] = &[
    SimApiDef {
        name: "ims",
        image_api: true,
        matches: |m, segs| *m == Method::GET && matches!(segs, ["v2", "images"]),
        fault: gateway_fault,
        rate: Some(super::ims::RATE_LIMIT),
        region: header_region,
        throttled,
    },
    SimApiDef {
        name: "workspace",
        image_api: true,
        matches: |m, segs| *m == Method::GET && matches!(segs, ["v2", _, "images"]),
        fault: gateway_fault,
        rate: Some(super::workspace::RATE_LIMIT),
        region: path_region,
        throttled,
    },
    SimApiDef {
        name: "cph",
        image_api: true,
        matches: |m, segs| {
            *m == Method::GET && matches!(segs, ["v1", _, "cloud-phone", "phone-images"])
        },
        fault: gateway_fault,
        rate: Some(super::cph::RATE_LIMIT),
        region: path_region,
        throttled,
    },
    SimApiDef {
        name: "iam",
        image_api: false,
        matches: |m, segs| *m == Method::GET && matches!(segs, ["v3", "projects"]),
        fault: gateway_fault,
        rate: Some(super::client::IAM_RATE_LIMIT),
        region: no_region,
        throttled,
    },
    SimApiDef {
        name: "glance",
        image_api: false,
        matches: |m, segs| *m == Method::GET && matches!(segs, [""]),
        fault: gateway_fault,
        rate: None,
        region: no_region,
        throttled,
    },
];

/// The gateway's answer to a request over the API's limit: 429 `APIGW.0308`.
fn throttled() -> Response {
    gateway_fault(StatusCode::TOO_MANY_REQUESTS)
}

/// The region of an IMS request: its `X-Project-Id`'s (AK/SK), else the `--sim` region.
pub(crate) fn header_region(st: &SimState, headers: &HeaderMap, _: &Uri) -> String {
    match headers.get("x-project-id").and_then(|v| v.to_str().ok()) {
        Some(p) => project_region(st, p),
        None => crate::providers::Provider::sim_region(&super::IMS).to_string(),
    }
}

/// The region of a Workspace / CPH request: its path's project's.
fn path_region(st: &SimState, _: &HeaderMap, uri: &Uri) -> String {
    project_region(st, &path_project(uri))
}

impl SimService for HuaweiSim {
    fn name(&self) -> &'static str {
        "huawei"
    }

    fn apis(&self) -> &'static [SimApiDef] {
        APIS
    }

    fn routes(&self) -> Router<Shared> {
        Router::new()
            .route("/", get(versions))
            .route("/v2/images", get(ims::ims))
            .route("/v2/{project_id}/images", get(workspace))
            .route("/v1/{project_id}/cloud-phone/phone-images", get(cph))
            .route("/v3/projects", get(iam_projects))
    }
}

/// The simulator API of a name this service declares.
pub(crate) fn api(name: &str) -> SimApi {
    SimApi::named(name).unwrap_or_else(SimApi::other)
}

/// The gateway's answer to a `status:CODE` fault.
fn gateway_fault(status: StatusCode) -> Response {
    let (code, msg) = match status.as_u16() {
        429 => ("APIGW.0308", "The throttling threshold has been reached"),
        503 => ("APIGW.0204", "Service unavailable"),
        500..=599 => ("APIGW.0202", "Internal server error"),
        _ => ("APIGW.0101", status.canonical_reason().unwrap_or("Error")),
    };
    huawei_error(status, &reply::request_id(), code, msg)
}

/// Huawei API gateway / service error: `{"error_code","error_msg","request_id"}`.
pub(crate) fn huawei_error(status: StatusCode, rid: &str, code: &str, msg: &str) -> Response {
    json_value(
        status,
        rid,
        &json!({"error_code": code, "error_msg": msg, "request_id": rid}),
    )
}

/// Glance-style IMS error: `{"error":{"code","message"}}`.
pub(crate) fn glance_error(status: StatusCode, rid: &str, code: &str, msg: &str) -> Response {
    json_value(
        status,
        rid,
        &json!({"error": {"code": code, "message": msg}}),
    )
}

/// The project id the simulated IAM gives `region` when no `HUAWEICLOUD_SDK_PROJECT_ID` is
/// configured: 32 hex digits, deterministic.
pub fn project_id(region: &str) -> String {
    let h = region.bytes().fold(0xCBF2_9CE4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01B3)
    });
    let a = mix(h);
    format!("{:016x}{:016x}", a, mix(a ^ 0x1A3))
}

/// Workspace page size default and cap.
const WORKSPACE_MAX_LIMIT: u64 = 100;
/// CPH page size default and cap (when paging is asked for).
const CPH_MAX_LIMIT: u64 = 500;

/// `GET /`: the Glance version document (HTTP 300, as Glance answers).
async fn versions(headers: HeaderMap) -> Response {
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

/// Project ids this account owns: the configured one, or one per known region (but the
/// regions the simulator was told the account has no project in).
fn known_project(st: &SimState, id: &str) -> bool {
    match st.creds().get(PROJECT_ID) {
        Some(p) => p == id,
        None => regions::union()
            .iter()
            .any(|r| st.has_project(r) && project_id(r) == id),
    }
}

/// The region of a project id: the region whose simulated project it is; the `--sim` region
/// for a configured project id (it names no region), or an id of no region.
pub(crate) fn project_region(st: &SimState, id: &str) -> String {
    if st.creds().get(PROJECT_ID).is_none()
        && let Some(r) = regions::union().into_iter().find(|r| project_id(r) == id)
    {
        return r.to_string();
    }
    crate::providers::Provider::sim_region(&super::IMS).to_string()
}

/// Checks auth and the path's project id; `Err` is the response to send.
fn gate(
    st: &SimState,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
    rid: &str,
    project: Option<&str>,
) -> Result<(), Rejection> {
    check_auth(st, method, uri, headers, body, rid)?;
    if let Some(p) = project
        && !known_project(st, p)
    {
        return Err(Box::new(huawei_error(
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
async fn iam_projects(
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
    let domain = project_id("domain");
    let known = regions::union();
    let names: Vec<&str> = match first(&q, "name") {
        Some(n) => known.into_iter().filter(|r| *r == n).collect(),
        None => known,
    }
    .into_iter()
    .filter(|r| st.has_project(r))
    .collect();
    let projects: Vec<Value> = names
        .iter()
        .map(|r| {
            let id = st
                .creds()
                .get(PROJECT_ID)
                .map_or_else(|| project_id(r), str::to_string);
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

/// `GET /v2/{project_id}/images`: Workspace product images, `offset` / `limit`.
async fn workspace(
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
    let bad = |msg: &str| huawei_error(StatusCode::BAD_REQUEST, &rid, "WKS.00000400", msg);
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
    let cat = st.catalog_in(WORKSPACE_ID, &project_region(&st, &project));
    let page = offset_page(&st, api("workspace"), &cat, filtered, keep, offset, limit);
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
async fn cph(
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
    let bad = |msg: &str| huawei_error(StatusCode::BAD_REQUEST, &rid, "CPS.0005", msg);
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
    let cat = st.catalog_in(CPH_ID, &project_region(&st, &project));
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

/// The API gateway's check: `X-Auth-Token`, or SDK-HMAC-SHA256 (+ `X-Security-Token`).
fn check_auth(
    st: &SimState,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
    rid: &str,
) -> Result<(), Rejection> {
    let deny = |msg: &str| {
        Box::new(huawei_error(
            StatusCode::UNAUTHORIZED,
            rid,
            "APIGW.0301",
            &format!("Incorrect IAM authentication information: {msg}"),
        ))
    };
    let creds = st.creds();
    if let Some(token) = headers.get("x-auth-token") {
        return if Some(token.as_bytes()) == creds.get(AUTH_TOKEN).map(str::as_bytes) {
            Ok(())
        } else {
            Err(deny("decrypt token fail"))
        };
    }
    let Some(auth) = auth::header(headers, "authorization") else {
        return Err(deny("Authorization or X-Auth-Token not found"));
    };
    if !auth.starts_with(hw_sign::ALGORITHM) {
        return Err(deny("unsupported Authorization scheme"));
    }
    // Temporary keys the metadata service handed out are known too (expired ones included:
    // their signature is checked, then their expiry).
    let temporary = |ak: &str| st.issued().lookup(metadata::CLOUD, ak);
    let lookup = |ak: &str| {
        if Some(ak) == creds.get(AK) {
            return creds.get(SK).map(str::to_string);
        }
        match temporary(ak) {
            Temporary::Valid(k) | Temporary::Expired(k) => Some(k.secret),
            Temporary::Unknown => None,
        }
    };
    let result = guarded(|| {
        hw_sign::verify(
            method.as_str(),
            uri.path(),
            uri.query(),
            headers,
            body,
            &lookup,
            Utc::now(),
        )
    });
    match result {
        Ok(_) => {}
        Err(VerifyError::Expired) => {
            return Err(deny(
                "x-sdk-date expired, the request time differs from the server time by more than 15 minutes",
            ));
        }
        Err(VerifyError::UnknownKey) => return Err(deny("ak is not exist")),
        Err(_) => return Err(deny("verify aksk signature fail")),
    }
    let sent = auth::header(headers, "x-security-token");
    let ak = signed_access(auth);
    match ak.map(temporary) {
        Some(Temporary::Expired(_)) => {
            return Err(deny("the security token has expired"));
        }
        Some(Temporary::Valid(k)) => {
            if sent != Some(k.token.as_str()) {
                return Err(deny("verify security token fail"));
            }
        }
        Some(Temporary::Unknown) | None => match (creds.get(SECURITY_TOKEN), sent) {
            (Some(expected), Some(got)) if expected == got => {}
            (Some(_), _) => return Err(deny("verify security token fail")),
            (None, _) => {}
        },
    }
    if sent.is_some() && !signed_headers(auth).any(|h| h.eq_ignore_ascii_case("x-security-token")) {
        return Err(deny("verify aksk signature fail"));
    }
    Ok(())
}

/// The `Access=` key id of an Authorization value.
fn signed_access(auth: &str) -> Option<&str> {
    auth.split(',')
        .map(str::trim)
        .find_map(|part| {
            part.strip_prefix(hw_sign::ALGORITHM)
                .map(str::trim)
                .unwrap_or(part)
                .strip_prefix("Access=")
        })
        .map(str::trim)
}

/// The `SignedHeaders=a;b;c` list of an Authorization value.
fn signed_headers(auth: &str) -> impl Iterator<Item = &str> {
    auth.split(',')
        .filter_map(|p| p.trim().split_once('='))
        .filter(|(k, _)| k.trim().ends_with("SignedHeaders"))
        .flat_map(|(_, v)| v.split(';'))
}
