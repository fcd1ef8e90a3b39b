//! Huawei Cloud: IMS, Workspace and CPH, three providers over one client (SDK-HMAC-SHA256 or an
//! IAM token, and the project id each region needs, discovered once through IAM and cached for
//! the run), one credential group (`[huawei]`) and one simulated gateway.

mod client;
pub mod config;
mod cph;
pub mod credentials;
mod ims;
pub mod regions;
pub mod sign;
pub mod sim;
mod workspace;

use std::ops::Range;
use std::sync::Arc;

use url::Url;

pub use client::{
    HuaweiClient, USER_AGENT, api_error, check_answer, decode_answer, decode_answer_in, with_query,
};
pub use cph::{Cph, ID as CPH_ID};
pub use ims::{ID as IMS_ID, Ims};
pub use workspace::{ID as WORKSPACE_ID, Workspace};

use crate::config::Env;
use crate::error::{ApiError, ErrorKind, Result};
use crate::providers::{
    About, Adapter, CredentialGroup, Provider, ProviderFlag, ProviderId, RegionPolicy, Setup,
    SharedClients,
};
use crate::sim::catalog::Catalog;
use crate::sim::service::SimService;

/// The answer decoders of the three services, public for fuzzing and property tests.
pub mod decoders {
    pub use super::cph::decode_answer as cph_answer;
    pub use super::ims::decode_page as ims_page;
    pub use super::workspace::decode_page as workspace_page;
}

/// IMS (Glance v2).
pub static IMS: Service = Service::Ims;
/// Workspace product images.
pub static WORKSPACE: Service = Service::Workspace;
/// Cloud Phone images.
pub static CPH: Service = Service::Cph;

/// One of the three Huawei services (a registry entry).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    /// Image Management Service.
    Ims,
    /// Workspace.
    Workspace,
    /// Cloud Phone.
    Cph,
}

const AUTH: &str = "SDK-HMAC-SHA256 (AK/SK, temporary AK/SK), X-Auth-Token";

/// What `--region all` covers: the service's SDK regions where the account has a project.
const ALL_FROM: Option<&str> = Some("the SDK's regions where IAM lists a project of the account");

static IMS_REGIONS: RegionPolicy = RegionPolicy::fixed(regions::IMS).with_all(ALL_FROM);
static WORKSPACE_REGIONS: RegionPolicy = RegionPolicy::fixed(regions::WORKSPACE).with_all(ALL_FROM);
static CPH_REGIONS: RegionPolicy = RegionPolicy::fixed(regions::CPH).with_all(ALL_FROM);

/// `--huawei-project-id`: the project id, over every other source of it (as the SDK takes
/// `BasicCredentials(project_id=...)` with keys from anywhere, instance metadata included).
static FLAGS: &[ProviderFlag] = &[ProviderFlag {
    long: "huawei-project-id",
    env: config::PROJECT_ID,
    value_name: "ID",
    help: "Huawei project id [env: HUAWEICLOUD_SDK_PROJECT_ID] (else the SDK file's, else asked from IAM per region)",
    check: |s| {
        if s.is_empty() || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            Err(format!("'{s}' is not a project id"))
        } else {
            Ok(())
        }
    },
}];

/// The key under which the three adapters share their client.
const SHARED_CLIENT: &str = "huawei";

impl Provider for Service {
    fn id(&self) -> ProviderId {
        match self {
            Service::Ims => IMS_ID,
            Service::Workspace => WORKSPACE_ID,
            Service::Cph => CPH_ID,
        }
    }

    fn about(&self) -> About {
        let id = self.id();
        match self {
            Service::Ims => About {
                id,
                name: "Huawei Cloud IMS",
                api: "GET /v2/images (Glance v2)",
                endpoint: "https://ims.{region}.myhuaweicloud.com",
                auth: AUTH,
                paging: "marker + next link, limit=1000",
                pushdown: "visibility, name (exact), os-type, created-after/before, id",
            },
            Service::Workspace => About {
                id,
                name: "Huawei Cloud Workspace",
                api: "GET /v2/{project_id}/images",
                endpoint: "https://workspace.{region}.myhuaweicloud.com",
                auth: AUTH,
                paging: "offset/limit=100 until total_count, pages in parallel",
                pushdown: "visibility (gold/private), os-type",
            },
            Service::Cph => About {
                id,
                name: "Huawei Cloud Phone",
                api: "GET /v1/{project_id}/cloud-phone/phone-images",
                endpoint: "https://cph.{region}.myhuaweicloud.com",
                auth: AUTH,
                paging: "one answer per image_type",
                pushdown: "visibility (image_type)",
            },
        }
    }

    fn credentials(&self) -> &'static CredentialGroup {
        &config::CREDENTIALS
    }

    fn regions(&self) -> &'static RegionPolicy {
        match self {
            Service::Ims => &IMS_REGIONS,
            Service::Workspace => &WORKSPACE_REGIONS,
            Service::Cph => &CPH_REGIONS,
        }
    }

    fn sim_region(&self) -> &'static str {
        "cn-north-4"
    }

    fn flags(&self) -> &'static [ProviderFlag] {
        FLAGS
    }

    fn configured(&self, env: &Env) -> bool {
        config::from_env(env).is_ok()
    }

    fn adapter(
        &self,
        setup: &Setup,
        endpoint: Option<Url>,
        shared: &mut SharedClients,
    ) -> Result<Arc<dyn Adapter>> {
        let client = shared.get_or_try_insert(SHARED_CLIENT, || {
            Ok(HuaweiClient::new(
                setup.http.clone(),
                config::from_setup(setup)?,
            ))
        })?;
        Ok(match self {
            Service::Ims => Arc::new(Ims::new(client, endpoint)),
            Service::Workspace => Arc::new(Workspace::new(client, endpoint)),
            Service::Cph => Arc::new(Cph::new(client, endpoint)),
        })
    }

    fn sim_catalog(&self, items: Range<usize>) -> Catalog {
        match self {
            Service::Ims => sim::catalog::ims_catalog(items),
            Service::Workspace => sim::catalog::workspace_catalog(items),
            Service::Cph => sim::catalog::cph_catalog(items),
        }
    }

    fn sim_service(&self) -> &'static dyn SimService {
        &sim::SIM
    }

    fn rate_limit(&self) -> Option<crate::http::RateLimit> {
        Some(match self {
            Service::Ims => ims::RATE_LIMIT,
            Service::Workspace => workspace::RATE_LIMIT,
            Service::Cph => cph::RATE_LIMIT,
        })
    }

    fn sim_api(&self) -> &'static str {
        match self {
            Service::Ims => "ims",
            Service::Workspace => "workspace",
            Service::Cph => "cph",
        }
    }

    fn sim_setup_api(&self, env: &Env) -> Option<&'static str> {
        // Without a configured project id, each region's id is asked from IAM once per run,
        // before any of the three services can list.
        env.get(config::PROJECT_ID).is_none().then_some("iam")
    }
}

/// What a Huawei error code means. The API gateway's codes (`APIGW.xxxx`, `APIG.xxxx` in newer
/// answers): 0301-0307 rejected authentication (IAM or app credentials, token to renew), 0308-0310
/// throttling ("The throttling threshold has been reached", documented as to be retried after a
/// short wait); every other code (the gateway's others, the services' own) and codeless answers
/// go by the HTTP status (5xx transient, other 4xx a bad request).
pub fn error_kind(code: Option<&str>, status: u16) -> ErrorKind {
    // The HTTP status says so whatever the code: the request was refused as unauthenticated.
    if matches!(status, 401 | 403) {
        return ErrorKind::Auth;
    }
    let gateway = code.and_then(|c| {
        c.strip_prefix("APIGW.")
            .or_else(|| c.strip_prefix("APIG."))
            .and_then(|n| n.parse::<u16>().ok())
    });
    match gateway {
        Some(301..=307) => ErrorKind::Auth,
        Some(308..=310) => ErrorKind::Throttled,
        _ => ErrorKind::from_status(status),
    }
}

/// `e` as an [`Error`](crate::error::Error), its kind decided by [`error_kind`].
pub fn classified(mut e: ApiError) -> crate::error::Error {
    e.kind = error_kind(e.code.as_deref(), e.status);
    crate::error::Error::api(e)
}
