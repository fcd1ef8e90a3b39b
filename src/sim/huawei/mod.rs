//! Huawei Cloud: Workspace, CPH, IAM projects and the Glance version document here; IMS in
//! [`ims`]. All share the API gateway's auth ([`gate`]).

mod ims;

pub(crate) use ims::ims;

use axum::body::Bytes;
use axum::extract::State;
use axum::response::Response;
use http::{HeaderMap, Method, StatusCode, Uri};
use serde_json::{Value, json};

use super::catalog::{Entry, Kind};
use super::paging::offset_page;
use super::reply::{self, first, form_pairs, js, parse_uint};
use super::server::{AppState, Shared};
use super::stats::SimApi;
use super::{auth, huawei_project_id, regions};

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
