//! The simulated Tencent Cloud API 2.0: `GET` or `POST` (form body)
//! `/v2/index.php?Action=DescribeImages`. Errors come with HTTP 200 as
//! `{"Response":{"Error":{"Code","Message"},"RequestId"}}`.
//!
//! Catalog ([`legacy_catalog`](super::legacy_catalog)): `ImageType` PUBLIC_IMAGE /
//! PRIVATE_IMAGE / SHARED_IMAGE / MARKET_IMAGE, `ImageStatus` NORMAL, CREATING, CREATEFAILED,
//! SYNCING, IMPORTFAILED.

use std::collections::BTreeMap;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use chrono::Utc;
use http::{HeaderMap, Method, StatusCode, Uri};
use serde_json::json;

use super::config::{SECRET_ID, SECRET_KEY, SESSION_TOKEN};
use super::{legacy, legacy_regions, metadata_sim, v2};
use crate::sign::VerifyError;
use crate::sim::auth::{Rejection, SKEW_SECS, guarded};
use crate::sim::catalog::{Entry, Kind};
use crate::sim::metadata::Temporary;
use crate::sim::paging::offset_page;
use crate::sim::reply::{self, first, form_pairs, json_value, parse_uint};
use crate::sim::service::{SimApiDef, SimService, no_region};
use crate::sim::{Shared, SimApi, SimState};

/// The simulated API 2.0 ([`SimService`]).
pub static SIM: LegacySim = LegacySim;

/// The simulated API 2.0 endpoint.
#[derive(Debug)]
pub struct LegacySim;

const APIS: &[SimApiDef] = &[SimApiDef {
    name: "tencent",
    image_api: true,
    matches: |_, segs| matches!(segs, ["v2", "index.php"]),
    fault: api_fault,
    rate: Some(legacy::RATE_LIMIT),
    region: no_region,
    throttled,
}];

/// `RequestLimitExceeded` inside HTTP 200, as the API answers a request over its limit.
fn throttled() -> Response {
    let limit = legacy::RATE_LIMIT.per_second;
    tencent_error(
        StatusCode::OK,
        &reply::request_uuid(),
        "RequestLimitExceeded",
        &format!(
            "Your current request times exceeds the frequency limit `{limit}` for a second. Please reduce the frequency of calls."
        ),
    )
}

impl SimService for LegacySim {
    fn name(&self) -> &'static str {
        "tencent-legacy"
    }

    fn apis(&self) -> &'static [SimApiDef] {
        APIS
    }

    fn routes(&self) -> Router<Shared> {
        Router::new().route("/v2/index.php", get(handle).post(handle))
    }
}

/// The API's answer to a `status:CODE` fault.
fn api_fault(status: StatusCode) -> Response {
    let code = match status.as_u16() {
        429 => "RequestLimitExceeded",
        500..=599 => "InternalError",
        _ => "InvalidParameter",
    };
    let reason = status.canonical_reason().unwrap_or("Error");
    tencent_error(status, &reply::request_uuid(), code, reason)
}

/// Tencent API error (HTTP 200 unless `status` says otherwise).
pub(crate) fn tencent_error(status: StatusCode, rid: &str, code: &str, msg: &str) -> Response {
    json_value(
        status,
        rid,
        &json!({"Response": {"Error": {"Code": code, "Message": msg}, "RequestId": rid}}),
    )
}

/// Whether `region` is a region of the API (a name or an API 2.0 short code).
fn known_region(region: &str) -> bool {
    legacy_regions::REGIONS.contains(&region) || legacy_regions::SHORT_CODES.contains(&region)
}

const DEFAULT_LIMIT: u64 = 20;
const MAX_LIMIT: u64 = 100;
const VERSION: &str = legacy::VERSION;
const MAX_FILTERS: usize = 10;
const MAX_VALUES: usize = 5;

/// `Filters.N.Name` / `Filters.N.Values.M`, grouped by N.
type Filters = BTreeMap<String, (Option<String>, Vec<String>)>;

fn collect_filters(params: &[(String, String)]) -> Filters {
    let mut out = Filters::new();
    for (k, v) in params {
        let Some(rest) = k.strip_prefix("Filters.") else {
            continue;
        };
        let Some((n, field)) = rest.split_once('.') else {
            continue;
        };
        let slot = out.entry(n.to_string()).or_default();
        if field == "Name" {
            slot.0 = Some(v.clone());
        } else if field.starts_with("Values.") {
            slot.1.push(v.clone());
        }
    }
    out
}

/// `GET|POST /v2/index.php`.
async fn handle(
    State(st): State<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let rid = reply::request_uuid();
    let fail = |code: &str, msg: &str| tencent_error(StatusCode::OK, &rid, code, msg);
    let mut params = form_pairs(uri.query().unwrap_or_default().as_bytes());
    if method == Method::POST {
        params.extend(form_pairs(&body));
    }
    let host = headers
        .get("host")
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default();
    let Some(action) = first(&params, "Action") else {
        return fail(
            "MissingParameter",
            "The request is missing a required parameter `Action`.",
        );
    };
    if let Err(r) = check_auth(&st, method.as_str(), host, &params, &rid) {
        return *r;
    }
    if action != "DescribeImages" {
        return fail(
            "InvalidAction",
            &format!("The action `{action}` is not supported."),
        );
    }
    let region = match first(&params, "Region") {
        None => {
            return fail(
                "MissingParameter",
                "The request is missing a required parameter `Region`.",
            );
        }
        Some(r) if !known_region(r) => {
            return fail(
                "UnsupportedRegion",
                &format!("The region `{r}` is not supported."),
            );
        }
        Some(r) => r.to_string(),
    };
    match first(&params, "Version") {
        None => {
            return fail(
                "MissingParameter",
                "The request is missing a required parameter `Version`.",
            );
        }
        Some(VERSION) => {}
        Some(v) => {
            return fail(
                "NoSuchVersion",
                &format!("The version `{v}` does not exist; use {VERSION}."),
            );
        }
    }
    let image_ids: Vec<&str> = params
        .iter()
        .filter(|(k, _)| k.starts_with("ImageIds."))
        .map(|(_, v)| v.as_str())
        .collect();
    let filters = collect_filters(&params);
    if !image_ids.is_empty() && !filters.is_empty() {
        return fail(
            "InvalidParameter.InvalidParameterCoexistImageIdsFilters",
            "ImageIds and Filters cannot be specified at the same time.",
        );
    }
    let limit = match first(&params, "Limit") {
        None => DEFAULT_LIMIT,
        Some(s) => match parse_uint(s) {
            Some(l) if (1..=MAX_LIMIT).contains(&l) => l,
            _ => {
                return fail(
                    "InvalidParameterValue.InvalidParameterValueLimit",
                    &format!(
                        "The value of `Limit` must be an integer from 1 to {MAX_LIMIT}, got `{s}`."
                    ),
                );
            }
        },
    } as usize;
    let offset = match first(&params, "Offset") {
        None => 0,
        Some(s) => match parse_uint(s).and_then(|o| usize::try_from(o).ok()) {
            Some(o) => o,
            None => {
                return fail(
                    "InvalidParameterValue",
                    &format!("The value of `Offset` must be a non-negative integer, got `{s}`."),
                );
            }
        },
    };
    if filters.len() > MAX_FILTERS {
        return fail("InvalidParameterValue", "At most 10 Filters may be given.");
    }
    let mut by_id: Vec<String> = Vec::new();
    let mut by_type: Vec<Kind> = Vec::new();
    let mut by_name: Vec<String> = Vec::new();
    let (mut want_id, mut want_type, mut want_name) = (false, false, false);
    for (name, values) in filters.values() {
        if values.len() > MAX_VALUES {
            return fail(
                "InvalidParameterValue",
                "At most 5 Filters.Values may be given per filter.",
            );
        }
        match name.as_deref() {
            Some("image-id") => {
                want_id = true;
                by_id.extend(values.iter().cloned());
            }
            Some("image-type") => {
                want_type = true;
                for v in values {
                    by_type.push(match v.as_str() {
                        "PUBLIC_IMAGE" => Kind::Public,
                        "PRIVATE_IMAGE" => Kind::Private,
                        "SHARED_IMAGE" => Kind::Shared,
                        "MARKET_IMAGE" => Kind::Market,
                        _ => {
                            return fail(
                                "InvalidFilter",
                                &format!("Invalid image-type value `{v}`."),
                            );
                        }
                    });
                }
            }
            Some("image-name") => {
                want_name = true;
                by_name.extend(values.iter().cloned());
            }
            Some(other) => {
                return fail("InvalidFilter", &format!("Unknown filter name `{other}`."));
            }
            None => return fail("InvalidFilter", "A filter is missing its Name."),
        }
    }
    if !image_ids.is_empty() {
        want_id = true;
        by_id.extend(image_ids.iter().map(|s| s.to_string()));
    }
    let filtered = want_id || want_type || want_name;
    let keep = |e: &Entry| {
        (!want_id || by_id.contains(&e.id))
            && (!want_type || by_type.contains(&e.facets.kind))
            && (!want_name || by_name.contains(&e.name))
    };
    let cat = st.catalog_in(legacy::ID, &region);
    let page = offset_page(
        &st,
        SimApi::named("tencent").unwrap_or_else(SimApi::other),
        &cat,
        filtered,
        keep,
        offset,
        limit,
    );
    let suffix = format!(
        ",\"TotalCount\":{},\"RequestId\":{}}}}}",
        page.total,
        reply::js(&rid)
    );
    let body = reply::join_items(
        "{\"Response\":{\"ImageSet\":",
        page.items.iter().map(|e| &e.bytes),
        &suffix,
        page.byte_len(),
    );
    reply::json_bytes(StatusCode::OK, &rid, body)
}

/// The API's credential check: `SecretId` / `Signature` / `Timestamp` / `Nonce` (+ `Token`) parameters.
/// Errors are HTTP 200 with `{"Response":{"Error":...}}`.
fn check_auth(
    st: &SimState,
    http_method: &str,
    host: &str,
    params: &[(String, String)],
    rid: &str,
) -> Result<(), Rejection> {
    let fail = |code: &str, msg: &str| Box::new(tencent_error(StatusCode::OK, rid, code, msg));
    let creds = st.creds();
    for p in ["SecretId", "Signature", "Timestamp", "Nonce"] {
        if reply::first(params, p).is_none() {
            return Err(fail(
                "MissingParameter",
                &format!("The request is missing a required parameter `{p}`."),
            ));
        }
    }
    let ts = reply::first(params, "Timestamp").and_then(|t| t.trim().parse::<i64>().ok());
    let Some(ts) = ts else {
        return Err(fail(
            "InvalidParameterValue",
            "The value of parameter `Timestamp` is not a valid unix time.",
        ));
    };
    if (Utc::now().timestamp() - ts).abs() > SKEW_SECS {
        return Err(fail(
            "AuthFailure.SignatureExpire",
            "Signature expired. Timestamp is more than 5 minutes away from the server time.",
        ));
    }
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
    match guarded(|| v2::verify(http_method, host, legacy::PATH, params, &lookup)) {
        Ok(_) => {}
        Err(VerifyError::UnknownKey) => {
            return Err(fail(
                "AuthFailure.SecretIdNotFound",
                "The SecretId is not found.",
            ));
        }
        Err(VerifyError::Expired) => {
            return Err(fail("AuthFailure.SignatureExpire", "Signature expired."));
        }
        Err(_) => {
            return Err(fail(
                "AuthFailure.SignatureFailure",
                "The provided credentials could not be validated. Please check your signature is correct.",
            ));
        }
    }
    let got = reply::first(params, "Token");
    match temporary(reply::first(params, "SecretId").unwrap_or_default()) {
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
