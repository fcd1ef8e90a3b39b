//! Zenlayer Cloud: `DescribeImages` on `POST /api/v2/vm`, ZC2-HMAC-SHA256 or a bearer token,
//! zone ids for regions (`all` asks `DescribeZones`).

pub mod catalog;
pub mod config;
pub mod credentials;
mod images;
pub mod sign;
pub mod sim;
pub mod zones;

use std::sync::Arc;

use url::Url;

pub use images::{DEFAULT_ENDPOINT, ID, PAGE_CAP, PATH, VERSION, Zenlayer};

use crate::config::Env;
use crate::error::{ApiError, ErrorKind, Result};
use crate::providers::{
    About, Adapter, CredentialGroup, Provider, ProviderId, RegionPolicy, Setup, SharedClients,
    or_default,
};
use crate::sim::catalog::Catalog;
use crate::sim::service::SimService;

/// The `zenlayer` registry entry.
pub static ZENLAYER: Entry = Entry;

/// The `zenlayer` provider.
#[derive(Debug)]
pub struct Entry;

static ZONES: RegionPolicy = RegionPolicy {
    known: zones::KNOWN,
    shape: Some(zones::is_zone_id),
    all_from: Some("DescribeZones"),
};

impl Provider for Entry {
    fn id(&self) -> ProviderId {
        ID
    }

    fn about(&self) -> About {
        About {
            id: ID,
            name: "Zenlayer Cloud",
            api: "POST /api/v2/vm, x-zc-action: DescribeImages",
            endpoint: DEFAULT_ENDPOINT,
            auth: "ZC2-HMAC-SHA256, Bearer token",
            paging: "pageNum/pageSize=1000 until totalCount, pages in parallel",
            pushdown: "visibility (imageType), name (imageName), os-type (osType), id (imageIds)",
        }
    }

    fn credentials(&self) -> &'static CredentialGroup {
        &config::CREDENTIALS
    }

    fn regions(&self) -> &'static RegionPolicy {
        &ZONES
    }

    fn sim_region(&self) -> &'static str {
        "FRA-A"
    }

    fn configured(&self, env: &Env) -> bool {
        config::from_env(env).is_ok()
    }

    fn adapter(
        &self,
        setup: &Setup,
        endpoint: Option<Url>,
        _shared: &mut SharedClients,
    ) -> Result<Arc<dyn Adapter>> {
        Ok(Arc::new(Zenlayer::new(
            setup.http.clone(),
            config::from_env(&setup.env)?,
            or_default(endpoint, DEFAULT_ENDPOINT)?,
        )))
    }

    fn sim_catalog(&self, items: std::ops::Range<usize>) -> Catalog {
        catalog::catalog(items)
    }

    fn sim_regions(&self) -> Vec<&'static str> {
        zones::SIMULATED.iter().map(|(z, _)| *z).collect()
    }

    fn sim_service(&self) -> &'static dyn SimService {
        &sim::SIM
    }

    fn rate_limit(&self) -> Option<crate::http::RateLimit> {
        Some(images::RATE_LIMIT)
    }

    fn sim_api(&self) -> &'static str {
        "zenlayer"
    }
}

/// What a Zenlayer error code means: signature and key failures (`SIGNATURE_*`, `AUTH*`,
/// `INVALID_ACCESS_KEY*`) rejected credentials, `REQUEST_LIMIT_EXCEEDED` throttling (the SDK
/// retries it), `INTERNAL_ERROR` / `SERVICE_UNAVAILABLE` transient, other `INVALID_*` /
/// `MISSING_*` a bad request; the HTTP status decides the rest.
pub fn error_kind(code: Option<&str>, status: u16) -> ErrorKind {
    // The HTTP status says so whatever the code: the request was refused as unauthenticated.
    if matches!(status, 401 | 403) {
        return ErrorKind::Auth;
    }
    match code {
        Some(c)
            if c.starts_with("SIGNATURE_")
                || c.starts_with("AUTH")
                || c.starts_with("INVALID_ACCESS_KEY") =>
        {
            ErrorKind::Auth
        }
        Some("REQUEST_LIMIT_EXCEEDED") => ErrorKind::Throttled,
        Some("INTERNAL_ERROR" | "SERVICE_UNAVAILABLE") => ErrorKind::Transient,
        Some(c) if c.starts_with("INVALID_") || c.starts_with("MISSING_") => ErrorKind::BadRequest,
        _ => ErrorKind::from_status(status),
    }
}

/// `e` as an [`Error`](crate::error::Error), its kind decided by [`error_kind`].
pub fn classified(mut e: ApiError) -> crate::error::Error {
    e.kind = error_kind(e.code.as_deref(), e.status);
    crate::error::Error::api(e)
}
