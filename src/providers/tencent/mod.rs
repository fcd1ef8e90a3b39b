//! Tencent Cloud: one credential group (`[tencent]`, tccli's environment names) serving every
//! Tencent provider: `tencent` is CVM API 3.0 (`cvm.tencentcloudapi.com`, TC3-HMAC-SHA256);
//! `tencent-legacy` is the retired API 2.0 (`image.api.qcloud.com`, query signature v2).

pub mod config;
pub mod credentials;
pub mod cvm;
pub mod cvm_catalog;
pub mod cvm_sim;
pub mod legacy;
pub mod legacy_catalog;
pub mod legacy_regions;
pub mod legacy_sim;
pub mod metadata_sim;
pub mod sdk_json;
pub mod tc3;
pub mod v2;

use std::sync::Arc;

use url::Url;

use crate::config::Env;
use crate::error::{ApiError, ErrorKind, Result};
use crate::providers::{
    About, Adapter, CredentialGroup, Provider, ProviderFlag, ProviderId, RegionPolicy, Setup,
    SharedClients, or_default,
};
use crate::sim::catalog::Catalog;
use crate::sim::service::SimService;

pub use cvm::Cvm;
pub use legacy::TencentLegacy;

/// `tencent`: CVM API 3.0 `DescribeImages`.
pub static API3: Api3 = Api3;

/// The `tencent` registry entry.
#[derive(Debug)]
pub struct Api3;

/// The regions tccli lists for CVM (offline validation); `all` asks `DescribeRegions`.
static API3_REGIONS: RegionPolicy = RegionPolicy {
    known: legacy_regions::REGIONS,
    shape: None,
    all_from: Some("DescribeRegions"),
};

impl Provider for Api3 {
    fn id(&self) -> ProviderId {
        cvm::ID
    }

    fn about(&self) -> About {
        About {
            id: cvm::ID,
            name: "Tencent Cloud CVM API 3.0",
            api: "DescribeImages (CVM 2017-03-12), POST / with X-TC-Region",
            endpoint: cvm::DEFAULT_ENDPOINT,
            auth: "TC3-HMAC-SHA256, session token (X-TC-Token)",
            paging: "Offset/Limit=100 until TotalCount, pages in parallel",
            pushdown: "visibility (image-type), name (image-name, fuzzy: exact match client-side), id (image-id)",
        }
    }

    fn credentials(&self) -> &'static CredentialGroup {
        &config::CREDENTIALS
    }

    fn regions(&self) -> &'static RegionPolicy {
        &API3_REGIONS
    }

    fn sim_region(&self) -> &'static str {
        "ap-guangzhou"
    }

    fn configured(&self, env: &Env) -> bool {
        config::credentials(env, cvm::ID.as_str()).is_ok()
    }

    fn adapter(
        &self,
        setup: &Setup,
        endpoint: Option<Url>,
        _shared: &mut SharedClients,
    ) -> Result<Arc<dyn Adapter>> {
        Ok(Arc::new(Cvm::new(
            setup.http.clone(),
            config::keys(setup, cvm::ID.as_str())?,
            or_default(endpoint, cvm::DEFAULT_ENDPOINT)?,
        )))
    }

    fn sim_catalog(&self, items: std::ops::Range<usize>) -> Catalog {
        cvm_catalog::catalog(items)
    }

    fn sim_service(&self) -> &'static dyn SimService {
        &cvm_sim::SIM
    }

    fn rate_limit(&self) -> Option<crate::http::RateLimit> {
        Some(cvm::RATE_LIMIT)
    }

    fn sim_api(&self) -> &'static str {
        cvm_sim::API
    }
}

/// What `tencent-legacy` warns when it is named.
const LEGACY_RETIRED: &str = "Tencent retired API 2.0 (notice \"API 2.0下线通知\", document/product/1278/82311: closed to new users from 2023-01-01, ended for existing users on 2023-03-31); use --provider tencent (CVM API 3.0), which takes the same credentials";

/// `tencent-legacy`: API 2.0 `DescribeImages`.
pub static LEGACY: Legacy = Legacy;

/// The `tencent-legacy` registry entry.
#[derive(Debug)]
pub struct Legacy;

/// `--region all`: every region of tccli's list (API 2.0 has no region list call of its own).
static LEGACY_REGIONS: RegionPolicy =
    RegionPolicy::fixed(legacy_regions::REGIONS).with_all(Some("tccli's region list"));

static LEGACY_FLAGS: &[ProviderFlag] = &[ProviderFlag {
    long: "tencent-signature-method",
    env: config::SIGNATURE_METHOD,
    value_name: "METHOD",
    help: "Tencent API 2.0 signature method [env: IMGCAT_TENCENT_SIGNATURE_METHOD] (HmacSHA256 when unset)",
    check: |s| v2::parse_signature_method(s).map(|_| ()),
}];

impl Provider for Legacy {
    fn id(&self) -> ProviderId {
        legacy::ID
    }

    fn about(&self) -> About {
        About {
            id: legacy::ID,
            name: "Tencent Cloud API 2.0",
            api: "DescribeImages, image.api.qcloud.com/v2/index.php (API 2.0)",
            endpoint: legacy::DEFAULT_ENDPOINT,
            auth: "HmacSHA256 / HmacSHA1 query signature, session token",
            paging: "Offset/Limit=100 until TotalCount, pages in parallel",
            pushdown: "visibility (image-type), name (image-name), id (image-id)",
        }
    }

    fn credentials(&self) -> &'static CredentialGroup {
        &config::CREDENTIALS
    }

    fn regions(&self) -> &'static RegionPolicy {
        &LEGACY_REGIONS
    }

    fn sim_region(&self) -> &'static str {
        "ap-guangzhou"
    }

    fn flags(&self) -> &'static [ProviderFlag] {
        LEGACY_FLAGS
    }

    fn configured(&self, env: &Env) -> bool {
        config::legacy(env).is_ok()
    }

    fn retired(&self) -> Option<&'static str> {
        Some(LEGACY_RETIRED)
    }

    fn adapter(
        &self,
        setup: &Setup,
        endpoint: Option<Url>,
        _shared: &mut SharedClients,
    ) -> Result<Arc<dyn Adapter>> {
        Ok(Arc::new(TencentLegacy::new(
            setup.http.clone(),
            config::legacy_from_setup(setup)?,
            or_default(endpoint, legacy::DEFAULT_ENDPOINT)?,
        )))
    }

    fn sim_catalog(&self, items: std::ops::Range<usize>) -> Catalog {
        legacy_catalog::catalog(items)
    }

    fn sim_service(&self) -> &'static dyn SimService {
        &legacy_sim::SIM
    }

    fn rate_limit(&self) -> Option<crate::http::RateLimit> {
        Some(legacy::RATE_LIMIT)
    }

    fn sim_api(&self) -> &'static str {
        "tencent"
    }
}

/// What a Tencent error code means (both APIs share the codes; HTTP 200 carries most of them):
/// `AuthFailure.*` rejected credentials, `RequestLimitExceeded*` throttling, `InternalError*`
/// and `ResourceUnavailable`-style server trouble transient, the `Invalid*`, `Missing*`,
/// `Unsupported*` family a bad request; without a code, the HTTP status decides.
pub fn error_kind(code: Option<&str>, status: u16) -> ErrorKind {
    // The HTTP status says so whatever the code: the request was refused as unauthenticated.
    if matches!(status, 401 | 403) {
        return ErrorKind::Auth;
    }
    let Some(code) = code else {
        return ErrorKind::from_status(status);
    };
    let family = code.split('.').next().unwrap_or(code);
    match family {
        "AuthFailure" => ErrorKind::Auth,
        "RequestLimitExceeded" => ErrorKind::Throttled,
        "InternalError" | "ServiceUnavailable" | "ResourceUnavailable" => ErrorKind::Transient,
        "InvalidParameter"
        | "InvalidParameterValue"
        | "MissingParameter"
        | "UnknownParameter"
        | "UnsupportedRegion"
        | "UnsupportedOperation"
        | "InvalidAction"
        | "InvalidFilter"
        | "InvalidFilterValue"
        | "NoSuchVersion"
        | "UnauthorizedOperation" => ErrorKind::BadRequest,
        _ if status != 200 => ErrorKind::from_status(status),
        _ => ErrorKind::Other,
    }
}

/// `e` as an [`Error`](crate::error::Error), its kind decided by [`error_kind`].
pub fn classified(mut e: ApiError) -> crate::error::Error {
    e.kind = error_kind(e.code.as_deref(), e.status);
    crate::error::Error::api(e)
}
