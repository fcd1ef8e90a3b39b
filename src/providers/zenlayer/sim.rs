//! The simulated Zenlayer Cloud: `POST /api/v2/vm` with `x-zc-action: DescribeImages |
//! DescribeZones`. Answers `{"requestId","response":{...}}`; errors a non-200 status with
//! `{"requestId","code","message"}`.
//!
//! Catalog ([`catalog`](super::catalog)): `imageType` PUBLIC_IMAGE / CUSTOM_IMAGE,
//! `imageStatus` AVAILABLE, CREATING, UNAVAILABLE.

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::response::Response;
use axum::routing::post;
use chrono::Utc;
use http::{HeaderMap, StatusCode};
use serde_json::{Map, Value, json};

use super::config::{ACCESS_KEY_ID, ACCESS_KEY_PASSWORD, TOKEN};
use super::{ID, images, sign as zl_sign, zones};
use crate::sign::VerifyError;
use crate::sim::auth::{self, Rejection, SKEW_SECS, guarded};
use crate::sim::catalog::{Entry, Kind};
use crate::sim::paging::offset_page;
use crate::sim::reply::{self, json_value};
use crate::sim::service::{SimApiDef, SimService, no_region};
use crate::sim::{Shared, SimApi, SimState};

/// The simulated Zenlayer API ([`SimService`]).
pub static SIM: ZenlayerSim = ZenlayerSim;

/// The simulated `POST /api/v2/vm`.
#[derive(Debug)]
pub struct ZenlayerSim;

const APIS: &[SimApiDef] = &[SimApiDef {
    name: "zenlayer",
    image_api: true,
    matches: |_, segs| matches!(segs, ["api", "v2", "vm"]),
    fault: api_fault,
    rate: Some(super::images::RATE_LIMIT),
    region: no_region,
    throttled,
}];

/// `REQUEST_LIMIT_EXCEEDED` with HTTP 429, as the API answers a request over its limit.
fn throttled() -> Response {
    zenlayer_error(
        StatusCode::TOO_MANY_REQUESTS,
        &reply::request_id(),
        "REQUEST_LIMIT_EXCEEDED",
        "Request limit exceeded, please try again later.",
    )
}

impl SimService for ZenlayerSim {
    fn name(&self) -> &'static str {
        "zenlayer"
    }

    fn apis(&self) -> &'static [SimApiDef] {
        APIS
    }

    fn routes(&self) -> Router<Shared> {
        Router::new().route(images::PATH, post(handle))
    }
}

/// The API's answer to a `status:CODE` fault.
fn api_fault(status: StatusCode) -> Response {
    let code = match status.as_u16() {
        429 => "REQUEST_LIMIT_EXCEEDED",
        503 => "SERVICE_UNAVAILABLE",
        500..=599 => "INTERNAL_ERROR",
        _ => "INVALID_PARAMETER",
    };
    let reason = status.canonical_reason().unwrap_or("Error");
    zenlayer_error(status, &reply::request_uuid(), code, reason)
}

/// Zenlayer error: `{"requestId","code","message"}` with a non-200 status.
pub(crate) fn zenlayer_error(status: StatusCode, rid: &str, code: &str, msg: &str) -> Response {
    json_value(
        status,
        rid,
        &json!({"requestId": rid, "code": code, "message": msg}),
    )
}

const DEFAULT_PAGE_SIZE: u64 = 20;
const MAX_PAGE_SIZE: u64 = 1000;

/// `POST /api/v2/vm`.
async fn handle(State(st): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    let rid = format!("T{}", reply::request_uuid().to_ascii_uppercase());
    if let Err(r) = check_auth(&st, &headers, &body, &rid) {
        return *r;
    }
    let bad = |code: &str, msg: &str| zenlayer_error(StatusCode::BAD_REQUEST, &rid, code, msg);
    let req: Map<String, Value> = if body.iter().all(u8::is_ascii_whitespace) {
        Map::new()
    } else {
        match serde_json::from_slice::<Value>(&body) {
            Ok(Value::Object(m)) => m,
            _ => {
                return bad(
                    "INVALID_PARAMETER",
                    "The request body must be a JSON object.",
                );
            }
        }
    };
    let action = headers
        .get("x-zc-action")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    match action {
        "DescribeImages" => describe_images(&st, &req, &rid),
        "DescribeZones" => describe_zones(&req, &rid),
        "" => bad("MISSING_PARAMETER", "The x-zc-action header is required."),
        other => bad(
            "INVALID_ACTION",
            &format!("The action {other} is not supported."),
        ),
    }
}

fn ok(rid: &str, inner: &str) -> Response {
    let body = format!(
        "{{\"requestId\":{},\"response\":{{\"requestId\":{}{inner}}}}}",
        reply::js(rid),
        reply::js(rid)
    );
    reply::json_bytes(StatusCode::OK, rid, body)
}

fn describe_zones(req: &Map<String, Value>, rid: &str) -> Response {
    let wanted: Option<Vec<&str>> = match req.get("zoneIds") {
        None | Some(Value::Null) => None,
        Some(Value::Array(a)) => Some(a.iter().filter_map(Value::as_str).collect()),
        Some(_) => {
            return zenlayer_error(
                StatusCode::BAD_REQUEST,
                rid,
                "INVALID_PARAMETER",
                "zoneIds must be an array of strings.",
            );
        }
    };
    let zones: Vec<Value> = zones::SIMULATED
        .iter()
        .filter(|(id, _)| wanted.as_ref().is_none_or(|w| w.contains(id)))
        .map(|(id, name)| {
            json!({
                "zoneId": id,
                "zoneName": name,
                "supportSecurityGroup": true,
                "supportIpv6": id.starts_with('F') || id.starts_with('L'),
                "supportCpuPassThrough": false,
            })
        })
        .collect();
    let inner = format!(
        ",\"zoneSet\":{}",
        serde_json::to_string(&zones).unwrap_or_else(|_| "[]".into())
    );
    ok(rid, &inner)
}

/// An optional string field; `Err` if present with another type.
fn opt_str<'a>(req: &'a Map<String, Value>, key: &str) -> Result<Option<&'a str>, String> {
    match req.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(format!("{key} must be a string.")),
    }
}

/// An optional integer field within `range`; `Err` if present and not such an integer.
fn opt_int(
    req: &Map<String, Value>,
    key: &str,
    default: u64,
    range: std::ops::RangeInclusive<u64>,
) -> Result<u64, String> {
    match req.get(key) {
        None | Some(Value::Null) => Ok(default),
        Some(v) => v.as_u64().filter(|n| range.contains(n)).ok_or_else(|| {
            format!(
                "{key} must be an integer from {} to {}.",
                range.start(),
                range.end()
            )
        }),
    }
}

fn describe_images(st: &SimState, req: &Map<String, Value>, rid: &str) -> Response {
    let bad = |msg: &str| zenlayer_error(StatusCode::BAD_REQUEST, rid, "INVALID_PARAMETER", msg);
    let zone = match opt_str(req, "zoneId") {
        Err(m) => return bad(&m),
        Ok(None) => {
            return zenlayer_error(
                StatusCode::BAD_REQUEST,
                rid,
                "MISSING_PARAMETER",
                "zoneId is required.",
            );
        }
        Ok(Some(z)) => z,
    };
    if !zones::SIMULATED.iter().any(|(id, _)| *id == zone) {
        return zenlayer_error(
            StatusCode::NOT_FOUND,
            rid,
            "INVALID_ZONE_NOT_FOUND",
            &format!("Zone {zone} not found."),
        );
    }
    let page_num = match opt_int(req, "pageNum", 1, 1..=u64::from(u32::MAX)) {
        Ok(n) => n as usize,
        Err(m) => return bad(&m),
    };
    let page_size = match opt_int(req, "pageSize", DEFAULT_PAGE_SIZE, 1..=MAX_PAGE_SIZE) {
        Ok(n) => n as usize,
        Err(m) => return bad(&m),
    };
    let ids: Option<Vec<&str>> = match req.get("imageIds") {
        None | Some(Value::Null) => None,
        Some(Value::Array(a)) if a.iter().all(Value::is_string) => {
            Some(a.iter().filter_map(Value::as_str).collect())
        }
        Some(_) => return bad("imageIds must be an array of strings."),
    };
    let mut strs = [None; 5];
    for (slot, key) in strs.iter_mut().zip([
        "imageName",
        "category",
        "imageType",
        "osType",
        "imageStatus",
    ]) {
        match opt_str(req, key) {
            Ok(v) => *slot = v,
            Err(m) => return bad(&m),
        }
    }
    let [name, category, image_type, os_type, status] = strs;
    let custom = match image_type {
        None => None,
        Some("PUBLIC_IMAGE") => Some(false),
        Some("CUSTOM_IMAGE") => Some(true),
        Some(other) => {
            return bad(&format!(
                "imageType {other} is not one of PUBLIC_IMAGE, CUSTOM_IMAGE."
            ));
        }
    };
    let filtered = ids.is_some() || strs.iter().any(Option::is_some);
    let keep = |e: &Entry| {
        let f = &e.facets;
        ids.as_ref().is_none_or(|ids| ids.contains(&e.id.as_str()))
            && name.is_none_or(|n| e.name == n)
            && category.is_none_or(|c| f.platform.eq_ignore_ascii_case(c))
            && custom.is_none_or(|c| (f.kind != Kind::Public) == c)
            && os_type.is_none_or(|o| f.os_type.eq_ignore_ascii_case(o))
            && status.is_none_or(|s| f.status == s)
    };
    let offset = (page_num - 1).saturating_mul(page_size);
    let cat = st.catalog_in(ID, zone);
    let page = offset_page(
        st,
        SimApi::named("zenlayer").unwrap_or_else(SimApi::other),
        &cat,
        filtered,
        keep,
        offset,
        page_size,
    );
    let prefix = format!(
        "{{\"requestId\":{},\"response\":{{\"requestId\":{},\"dataSet\":",
        reply::js(rid),
        reply::js(rid)
    );
    let suffix = format!(",\"totalCount\":{}}}}}", page.total);
    let body = reply::join_items(
        &prefix,
        page.items.iter().map(|e| &e.bytes),
        &suffix,
        page.byte_len(),
    );
    reply::json_bytes(StatusCode::OK, rid, body)
}

/// The API's credential check: `Authorization: Bearer <token>` or ZC2-HMAC-SHA256.
fn check_auth(st: &SimState, headers: &HeaderMap, body: &[u8], rid: &str) -> Result<(), Rejection> {
    let deny =
        |code: &str, msg: &str| Box::new(zenlayer_error(StatusCode::UNAUTHORIZED, rid, code, msg));
    let creds = st.creds();
    let Some(auth) = auth::header(headers, "authorization") else {
        return Err(deny(
            "AUTHENTICATION_FAILED",
            "The Authorization header is missing.",
        ));
    };
    if let Some(token) = auth.strip_prefix("Bearer ") {
        return if Some(token.trim()) == creds.get(TOKEN) {
            Ok(())
        } else {
            Err(deny(
                "AUTHENTICATION_FAILED",
                "The bearer token is invalid.",
            ))
        };
    }
    if !auth.starts_with(zl_sign::ALGORITHM) {
        return Err(deny(
            "AUTHENTICATION_FAILED",
            "Unsupported Authorization scheme.",
        ));
    }
    let ts = auth::header(headers, "x-zc-timestamp").and_then(|t| t.trim().parse::<i64>().ok());
    match ts {
        None => {
            return Err(deny(
                "SIGNATURE_FAILURE",
                "The x-zc-timestamp header is missing or invalid.",
            ));
        }
        Some(ts) if (Utc::now().timestamp() - ts).abs() > SKEW_SECS => {
            return Err(deny(
                "SIGNATURE_EXPIRED",
                "The request timestamp is too far from the server time.",
            ));
        }
        Some(_) => {}
    }
    let host = auth::header(headers, "host").unwrap_or_default();
    let lookup = |id: &str| {
        (Some(id) == creds.get(ACCESS_KEY_ID))
            .then(|| creds.get(ACCESS_KEY_PASSWORD).map(str::to_string))
            .flatten()
    };
    match guarded(|| zl_sign::verify(host, headers, body, &lookup)) {
        Ok(_) => Ok(()),
        Err(VerifyError::UnknownKey) => Err(deny(
            "INVALID_ACCESS_KEY_ID",
            "The access key id does not exist.",
        )),
        Err(VerifyError::Expired) => Err(deny("SIGNATURE_EXPIRED", "The signature has expired.")),
        Err(_) => Err(deny(
            "SIGNATURE_FAILURE",
            "The request signature does not match.",
        )),
    }
}
