//! The simulated CVM metadata service: `GET /latest/meta-data/cam/security-credentials/` names
//! the instance's role, `GET .../<role>` hands out new temporary keys each time, in the shape
//! the SDK's `CVMRoleCredential` reads.

use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use chrono::SecondsFormat;
use http::{Method, StatusCode};
use serde_json::json;

use super::credentials::ROLE_PATH;
use crate::sim::Shared;
use crate::sim::reply;
use crate::sim::service::{SimApiDef, SimService, no_region};

/// The cloud the simulator's key store files these keys under (the credential group).
pub const CLOUD: &str = "tencent";

/// The role bound to the simulated instance.
pub const ROLE: &str = "imgcat-sim-role";

/// The simulated CVM metadata service.
pub static SIM: MetadataSim = MetadataSim;

/// The simulated CVM metadata service ([`SimService`]).
#[derive(Debug)]
pub struct MetadataSim;

/// The counter of role-name requests.
pub const ROLE_API: &str = "tencent-metadata-role";
/// The counter of credential requests (each hands out new keys).
pub const KEY_API: &str = "tencent-metadata";

const APIS: &[SimApiDef] = &[
    SimApiDef {
        name: ROLE_API,
        image_api: false,
        matches: |m, segs| {
            *m == Method::GET
                && matches!(segs, ["latest", "meta-data", "cam", "security-credentials"])
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
            *m == Method::GET
                && matches!(
                    segs,
                    ["latest", "meta-data", "cam", "security-credentials", _]
                )
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
        "tencent-metadata"
    }

    fn apis(&self) -> &'static [SimApiDef] {
        APIS
    }

    fn routes(&self) -> Router<Shared> {
        Router::new()
            .route(ROLE_PATH, get(role_name))
            .route(&format!("{ROLE_PATH}{{role}}"), get(role_credentials))
    }
}

async fn role_name() -> Response {
    reply::text(StatusCode::OK, ROLE)
}

async fn role_credentials(State(st): State<Shared>, Path(role): Path<String>) -> Response {
    if role != ROLE {
        return reply::text(
            StatusCode::NOT_FOUND,
            format!("no role {role:?} on this instance"),
        );
    }
    let (id, k) = st.issued().issue(CLOUD, "AKIDsimTMP", 36);
    let v = json!({
        "TmpSecretId": id,
        "TmpSecretKey": k.secret,
        "ExpiredTime": k.expires_at.timestamp(),
        "Expiration": k.expires_at.to_rfc3339_opts(SecondsFormat::Secs, true),
        "Token": k.token,
        "Code": "Success",
    });
    reply::json_value(StatusCode::OK, &reply::request_id(), &v)
}
