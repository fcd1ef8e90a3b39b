//! The simulated ECS metadata service: `PUT /meta-data/latest/api/token` (a session token,
//! `X-Metadata-Token-Ttl-Seconds` from 1 to 21600 required) and `GET
//! /openstack/latest/securitykey` (with a valid `X-Metadata-Token`, else 401), whose answer
//! hands out new temporary keys each time, as the SDK's `MetadataAccessor` reads them.

use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, put};
use chrono::SecondsFormat;
use http::{HeaderMap, Method, StatusCode};
use serde_json::json;

use super::super::credentials::{
    SECURITY_KEY_PATH, TOKEN_HEADER, TOKEN_PATH, TOKEN_TTL_HEADER, TOKEN_TTL_SECS,
};
use crate::sim::Shared;
use crate::sim::auth::header;
use crate::sim::reply;
use crate::sim::service::{SimApiDef, SimService, no_region};

/// The cloud the simulator's key store files these keys under (the credential group).
pub const CLOUD: &str = "huawei";

/// The simulated ECS metadata service.
pub static SIM: MetadataSim = MetadataSim;

/// The simulated ECS metadata service ([`SimService`]).
#[derive(Debug)]
pub struct MetadataSim;

/// The counter of session-token requests.
pub const TOKEN_API: &str = "huawei-metadata-token";
/// The counter of security-key requests (each hands out new keys).
pub const KEY_API: &str = "huawei-metadata";

const APIS: &[SimApiDef] = &[
    SimApiDef {
        name: TOKEN_API,
        image_api: false,
        matches: |m, segs| {
            *m == Method::PUT && matches!(segs, ["meta-data", "latest", "api", "token"])
        },
        fault: text_fault,
        rate: None,
        region: no_region,
        throttled: too_many,
    },
    SimApiDef {
        name: KEY_API,
        image_api: false,
        matches: |m, segs| {
            *m == Method::GET && matches!(segs, ["openstack", "latest", "securitykey"])
        },
        fault: text_fault,
        rate: None,
        region: no_region,
        throttled: too_many,
    },
];

/// Never sent: the metadata services have no rate limit.
fn too_many() -> Response {
    text_fault(StatusCode::TOO_MANY_REQUESTS)
}

fn text_fault(status: StatusCode) -> Response {
    reply::text(
        status,
        status.canonical_reason().unwrap_or("error").to_string(),
    )
}

impl SimService for MetadataSim {
    fn name(&self) -> &'static str {
        "huawei-metadata"
    }

    fn apis(&self) -> &'static [SimApiDef] {
        APIS
    }

    fn routes(&self) -> Router<Shared> {
        Router::new()
            .route(TOKEN_PATH, put(session_token))
            .route(SECURITY_KEY_PATH, get(security_key))
    }
}

async fn session_token(State(st): State<Shared>, headers: HeaderMap) -> Response {
    let ttl = header(&headers, TOKEN_TTL_HEADER).and_then(|v| v.trim().parse::<u32>().ok());
    match ttl {
        Some(t) if (1..=TOKEN_TTL_SECS).contains(&t) => {
            reply::text(StatusCode::OK, st.issued().session())
        }
        _ => reply::text(
            StatusCode::BAD_REQUEST,
            format!("{TOKEN_TTL_HEADER} must be a number of seconds from 1 to {TOKEN_TTL_SECS}"),
        ),
    }
}

async fn security_key(State(st): State<Shared>, headers: HeaderMap) -> Response {
    let valid = header(&headers, TOKEN_HEADER).is_some_and(|t| st.issued().session_valid(t.trim()));
    if !valid {
        return reply::text(
            StatusCode::UNAUTHORIZED,
            "Unauthorized: invalid or missing X-Metadata-Token",
        );
    }
    let (access, k) = st.issued().issue(CLOUD, "SIMTMP", 20);
    let expires = k.expires_at.to_rfc3339_opts(SecondsFormat::Micros, true);
    let v = json!({"credential": {
        "access": access,
        "secret": k.secret,
        "securitytoken": k.token,
        "expires_at": expires,
    }});
    reply::json_value(StatusCode::OK, &reply::request_id(), &v)
}
