//! The simulated Tencent Cloud API 3.0 (CVM, Version 2017-03-12): `POST /` with a JSON body,
//! the action in `X-TC-Action`, the region in `X-TC-Region`, TC3-HMAC-SHA256 verified as the
//! SDK computes it (5 minutes of skew). `DescribeImages` (Limit 1-100, default 20; Filters
//! image-id, image-type, image-name and platform, fuzzy; ImageIds, not with Filters) and
//! `DescribeRegions`. Every region of [`REGIONS`](super::legacy_regions::REGIONS) serves a
//! catalog of its own ([`region_range`](crate::sim::catalog::region_range)), within the
//! documented 40 requests a second (`RequestLimitExceeded` beyond). Errors are HTTP 200
//! with `{"Response":{"Error":{"Code","Message"},"RequestId"}}`.

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::response::Response;
use axum::routing::post;
use chrono::Utc;
use http::{HeaderMap, Method, StatusCode};
use serde_json::{Value, json};

use super::config::{SECRET_ID, SECRET_KEY, SESSION_TOKEN};
use super::legacy_sim::tencent_error;
use super::{cvm, legacy_regions, metadata_sim, tc3};
use crate::sign::VerifyError;
use crate::sim::auth::{Rejection, guarded};
use crate::sim::catalog::{Entry, Kind};
use crate::sim::metadata::Temporary;
use crate::sim::paging::offset_page;
use crate::sim::reply;
use crate::sim::service::{SimApiDef, SimService, no_region};
use crate::sim::{Shared, SimApi, SimState};

/// The simulated API 3.0 ([`SimService`]).
pub static SIM: CvmSim = CvmSim;

/// The simulated API 3.0 endpoint.
#[derive(Debug)]
pub struct CvmSim;

/// The API name of the simulator's counters and faults.
pub const API: &str = "cvm";

const APIS: &[SimApiDef] = &[SimApiDef {
    name: API,
    image_api: true,
    matches: |m, segs| *m == Method::POST && matches!(segs, [""]),
    fault: api_fault,
    rate: Some(cvm::RATE_LIMIT),
    region: no_region,
    throttled,
}];

/// `RequestLimitExceeded` inside HTTP 200, as the API answers a request over its limit.
fn throttled() -> Response {
    let limit = cvm::RATE_LIMIT.per_second;
    tencent_error(
        StatusCode::OK,
        &reply::request_uuid(),
        "RequestLimitExceeded",
        &format!(
            "Your current request times exceeds the frequency limit `{limit}` for a second. Please reduce the frequency of calls."
        ),
    )
}

impl SimService for CvmSim {
    fn name(&self) -> &'static str {
        "tencent-cvm"
    }

    fn apis(&self) -> &'static [SimApiDef] {
        APIS
    }

    fn routes(&self) -> Router<Shared> {
        Router::new().route("/", post(handle))
    }
}

fn api_fault(status: StatusCode) -> Response {
    let code = match status.as_u16() {
        429 => "RequestLimitExceeded",
        500..=599 => "InternalError",
        _ => "InvalidParameter",
    };
    let reason = status.canonical_reason().unwrap_or("Error");
    api3_content_type(tencent_error(status, &reply::request_uuid(), code, reason))
}

const DEFAULT_LIMIT: u64 = 20;
const MAX_LIMIT: u64 = 100;
const MAX_FILTERS: usize = 10;
const MAX_VALUES: usize = 5;

/// `POST /`.
async fn handle(State(st): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    api3_content_type(answer(&st, &headers, &body))
}

/// API 3.0 answers `Content-Type: application/json` exactly; the SDK reads `Response.Error`
/// only under that type (or `text/plain`), so a parameter would hide every error from it.
fn api3_content_type(mut resp: Response) -> Response {
    resp.headers_mut().insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("application/json"),
    );
    resp
}

fn answer(st: &SimState, headers: &HeaderMap, body: &[u8]) -> Response {
    let rid = reply::request_uuid();
    let fail = |code: &str, msg: &str| tencent_error(StatusCode::OK, &rid, code, msg);
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let Some(action) = header("x-tc-action") else {
        return fail(
            "MissingParameter",
            "The request is missing a required parameter `X-TC-Action`.",
        );
    };
    if let Err(r) = check_auth(st, headers, body, &rid) {
        return *r;
    }
    match header("x-tc-version") {
        Some(cvm::VERSION) => {}
        Some(v) => {
            return fail(
                "NoSuchVersion",
                &format!("The version `{v}` does not exist; use {}.", cvm::VERSION),
            );
        }
        None => {
            return fail(
                "MissingParameter",
                "The request is missing a required parameter `X-TC-Version`.",
            );
        }
    }
    let params: Value = match serde_json::from_slice(body) {
        Ok(v @ Value::Object(_)) => v,
        _ => return fail("InvalidParameter", "The request body is not a JSON object."),
    };
    match action {
        "DescribeRegions" => describe_regions(&rid),
        "DescribeImages" => {
            let region = match header("x-tc-region") {
                None => {
                    return fail(
                        "MissingParameter",
                        "The request is missing a required parameter `Region`.",
                    );
                }
                Some(r) => r,
            };
            if !legacy_regions::REGIONS.contains(&region) {
                return fail(
                    "UnsupportedRegion",
                    &format!("The region `{region}` is not supported."),
                );
            }
            describe_images(st, &params, region, &rid)
        }
        other => fail(
            "InvalidAction",
            &format!("The action `{other}` is not supported."),
        ),
    }
}

fn describe_regions(rid: &str) -> Response {
    let set: Vec<Value> = legacy_regions::REGIONS
        .iter()
        .map(|r| json!({"Region": r, "RegionName": r, "RegionState": "AVAILABLE"}))
        .collect();
    reply::json_value(
        StatusCode::OK,
        rid,
        &json!({"Response": {"TotalCount": set.len(), "RegionSet": set, "RequestId": rid}}),
    )
}

fn describe_images(st: &SimState, params: &Value, region: &str, rid: &str) -> Response {
    let fail = |code: &str, msg: &str| tencent_error(StatusCode::OK, rid, code, msg);
    let uint = |key: &str, default: u64| match params.get(key) {
        None | Some(Value::Null) => Some(default),
        Some(v) => v.as_u64(),
    };
    let Some(limit) = uint("Limit", DEFAULT_LIMIT).filter(|l| (1..=MAX_LIMIT).contains(l)) else {
        return fail(
            "InvalidParameterValue.InvalidParameterValueLimit",
            &format!("The value of `Limit` must be an integer from 1 to {MAX_LIMIT}."),
        );
    };
    let Some(offset) = uint("Offset", 0).and_then(|o| usize::try_from(o).ok()) else {
        return fail(
            "InvalidParameterValue",
            "The value of `Offset` must be a non-negative integer.",
        );
    };
    let strings = |v: Option<&Value>| -> Option<Vec<String>> {
        match v {
            None | Some(Value::Null) => Some(Vec::new()),
            Some(Value::Array(a)) => a.iter().map(|s| s.as_str().map(str::to_string)).collect(),
            Some(_) => None,
        }
    };
    let Some(image_ids) = strings(params.get("ImageIds")) else {
        return fail(
            "InvalidParameter",
            "`ImageIds` must be an array of strings.",
        );
    };
    let filters: Vec<Value> = match params.get("Filters") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(a)) => a.clone(),
        Some(_) => return fail("InvalidParameter", "`Filters` must be an array."),
    };
    if !image_ids.is_empty() && !filters.is_empty() {
        return fail(
            "InvalidParameter.InvalidParameterCoexistImageIdsFilters",
            "ImageIds and Filters cannot be specified at the same time.",
        );
    }
    if filters.len() > MAX_FILTERS {
        return fail(
            "InvalidFilterValue.LimitExceeded",
            "At most 10 Filters may be given.",
        );
    }
    let mut by_id: Option<Vec<String>> = (!image_ids.is_empty()).then_some(image_ids);
    let mut by_type: Option<Vec<Kind>> = None;
    let mut by_name: Option<Vec<String>> = None;
    let mut by_platform: Option<Vec<String>> = None;
    for f in &filters {
        let name = f.get("Name").and_then(Value::as_str);
        let Some(values) = strings(f.get("Values")) else {
            return fail(
                "InvalidFilter",
                "Filter `Values` must be an array of strings.",
            );
        };
        if values.len() > MAX_VALUES {
            return fail(
                "InvalidFilterValue.LimitExceeded",
                "At most 5 Filters.Values may be given per filter.",
            );
        }
        match name {
            Some("image-id") => by_id.get_or_insert_with(Vec::new).extend(values),
            Some("image-type") => {
                let kinds = by_type.get_or_insert_with(Vec::new);
                for v in &values {
                    kinds.push(match v.as_str() {
                        "PUBLIC_IMAGE" => Kind::Public,
                        "PRIVATE_IMAGE" => Kind::Private,
                        "SHARED_IMAGE" => Kind::Shared,
                        _ => {
                            return fail(
                                "InvalidFilter",
                                &format!("Invalid image-type value `{v}`."),
                            );
                        }
                    });
                }
            }
            Some("image-name") => by_name.get_or_insert_with(Vec::new).extend(values),
            Some("platform") => by_platform.get_or_insert_with(Vec::new).extend(values),
            Some(other) => {
                return fail("InvalidFilter", &format!("Unknown filter name `{other}`."));
            }
            None => return fail("InvalidFilter", "A filter is missing its Name."),
        }
    }
    let cat = st.catalog_in(cvm::ID, region);
    // The fuzzy filters of the real API: a value matches when it is part of the field.
    let keep = |e: &Entry| {
        by_id.as_ref().is_none_or(|ids| ids.contains(&e.id))
            && by_type.as_ref().is_none_or(|k| k.contains(&e.facets.kind))
            && by_name
                .as_ref()
                .is_none_or(|n| n.iter().any(|n| e.name.contains(n.as_str())))
            && by_platform.as_ref().is_none_or(|p| {
                p.iter()
                    .any(|p| e.facets.platform.to_lowercase().contains(&p.to_lowercase()))
            })
    };
    let page = offset_page(
        st,
        SimApi::named(API).unwrap_or_else(SimApi::other),
        &cat,
        true,
        keep,
        offset,
        limit as usize,
    );
    let suffix = format!(
        ",\"TotalCount\":{},\"RequestId\":{}}}}}",
        page.total,
        reply::js(rid)
    );
    let body = reply::join_items(
        "{\"Response\":{\"ImageSet\":",
        page.items.iter().map(|e| &e.bytes),
        &suffix,
        page.byte_len(),
    );
    reply::json_bytes(StatusCode::OK, rid, body)
}

/// TC3 verification and the session token; an error is the API's HTTP 200 error answer.
fn check_auth(st: &SimState, headers: &HeaderMap, body: &[u8], rid: &str) -> Result<(), Rejection> {
    let fail = |code: &str, msg: &str| Box::new(tencent_error(StatusCode::OK, rid, code, msg));
    let creds = st.creds();
    let temporary = |id: &str| st.issued().lookup(metadata_sim::CLOUD, id);
    let lookup = |id: &str| {
        if Some(id) == creds.get(SECRET_ID) {
            return creds.get(SECRET_KEY).map(str::to_string);
        }
        match temporary(id) {
            Temporary::Valid(k) | Temporary::Expired(k) => Some(k.secret),
            Temporary::Unknown => None,
        }
    };
    let verified = guarded(|| {
        tc3::verify(
            "POST",
            "/",
            "",
            headers,
            body,
            cvm::SERVICE,
            &lookup,
            Utc::now(),
        )
    });
    match verified {
        Ok(_) => {}
        Err(VerifyError::UnknownKey) => {
            return Err(fail(
                "AuthFailure.SecretIdNotFound",
                "The SecretId is not found, please ensure that your SecretId is correct.",
            ));
        }
        Err(VerifyError::Expired) => {
            return Err(fail(
                "AuthFailure.SignatureExpire",
                "Signature expired. Timestamp is more than 5 minutes away from the server time.",
            ));
        }
        Err(VerifyError::Malformed(m)) => {
            return Err(fail(
                "AuthFailure.InvalidAuthorization",
                &format!("The Authorization header is invalid: {m}."),
            ));
        }
        Err(_) => {
            return Err(fail(
                "AuthFailure.SignatureFailure",
                "The provided credentials could not be validated. Please check your signature is correct.",
            ));
        }
    }
    let got = headers.get("x-tc-token").and_then(|v| v.to_str().ok());
    let id = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|a| a.split("Credential=").nth(1))
        .and_then(|c| c.split('/').next())
        .unwrap_or_default();
    match temporary(id) {
        Temporary::Expired(_) => {
            return Err(fail("AuthFailure.TokenFailure", "The Token has expired."));
        }
        Temporary::Valid(k) if got != Some(k.token.as_str()) => {
            return Err(fail("AuthFailure.TokenFailure", "The Token is invalid."));
        }
        Temporary::Valid(_) => {}
        Temporary::Unknown => {
            if let (Some(expected), Some(got)) = (creds.get(SESSION_TOKEN), got)
                && expected != got
            {
                return Err(fail("AuthFailure.TokenFailure", "The Token is invalid."));
            }
        }
    }
    Ok(())
}
