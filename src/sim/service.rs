//! What a provider plugs into the simulator: a [`SimService`] (its routes, over the generic
//! [`SimState`](super::SimState)) and the [`SimApiDef`]s that name its APIs for the request
//! counters and the faults.

use axum::Router;
use axum::response::Response;
use http::{HeaderMap, Method, StatusCode, Uri};

use super::server::{Shared, SimState};
use crate::http::RateLimit;

/// One simulated API, as `GET /__sim/stats` counts it and `--fault KIND@API` names it.
#[derive(Debug)]
pub struct SimApiDef {
    /// Its name in the counters and in fault specs (`ims`, `iam`, ...); unique in the registry.
    pub name: &'static str,
    /// Whether a fault without `@API` targets it (the image-listing APIs do; discovery calls
    /// such as IAM and version documents do not).
    pub image_api: bool,
    /// Whether a request (method, path segments without empty ends) goes to it.
    pub matches: fn(&Method, &[&str]) -> bool,
    /// The answer to a `status:CODE` fault, in the API's own error shape.
    pub fault: fn(StatusCode) -> Response,
    /// The API's request-rate limit: the very value its adapter declares, enforced on
    /// arrivals (at most N in any second) unless the simulator runs without rate limits.
    pub rate: Option<RateLimit>,
    /// The region a request is for, where the limit is counted per region.
    pub region: fn(&SimState, &HeaderMap, &Uri) -> String,
    /// The API's own answer to a request over its rate limit.
    pub throttled: fn() -> Response,
}

/// [`SimApiDef::region`] of an API whose limit is the account's: no region.
pub fn no_region(_: &SimState, _: &HeaderMap, _: &Uri) -> String {
    String::new()
}

/// A provider's part of the simulator. Several providers may share one service (one gateway:
/// the Huawei services and IAM); the simulator mounts each service once, by [`name`].
///
/// [`name`]: SimService::name
pub trait SimService: Send + Sync {
    /// A unique name.
    fn name(&self) -> &'static str;

    /// The APIs it serves.
    fn apis(&self) -> &'static [SimApiDef];

    /// Its routes. Handlers reach the credentials, catalogs, faults and counters through the
    /// shared [`SimState`](super::SimState).
    fn routes(&self) -> Router<Shared>;
}
