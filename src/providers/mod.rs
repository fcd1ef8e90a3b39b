//! One adapter per image API, behind the [`Adapter`] trait, and the builder that makes them
//! from configuration.

pub mod about;
pub mod decode;
pub mod huawei;
mod id;
pub mod raw;
pub mod regions;
pub mod tencent_legacy;
pub mod zenlayer;

use std::sync::Arc;

use futures::future::BoxFuture;
use futures::stream::BoxStream;

pub use id::ProviderId;

use crate::config::{self, Env};
use crate::error::Result;
use crate::http::HttpClient;
use crate::model::Image;
use crate::query::ImageQuery;
use crate::sign::tencent_v2::SignatureMethod;

/// An image API: lists the images of one region matching a query, page by page, in the API's
/// order. Filters the API can apply exactly are pushed down; the caller matches every image
/// against the query again.
pub trait Adapter: Send + Sync {
    /// Which provider this is.
    fn id(&self) -> ProviderId;

    /// The images of `region`, as a stream of pages.
    fn list<'a>(
        &'a self,
        region: &'a str,
        query: &'a ImageQuery,
    ) -> BoxStream<'a, Result<Vec<Image>>>;

    /// Expands region names the provider resolves itself (Zenlayer's `all`). Identity by default.
    fn expand_regions<'a>(&'a self, regions: Vec<String>) -> BoxFuture<'a, Result<Vec<String>>> {
        Box::pin(async move { Ok(regions) })
    }
}

/// What adapters are built from.
#[derive(Debug, Clone)]
pub struct Setup {
    /// The run's HTTP client.
    pub http: HttpClient,
    /// Environment (credentials, endpoint overrides).
    pub env: Env,
    /// `--endpoint`, when exactly one provider is selected.
    pub endpoint: Option<String>,
    /// `--tencent-signature-method`.
    pub tencent_method: Option<SignatureMethod>,
}

/// Builds the adapters for `providers`; Huawei services share one client (and its project-id
/// cache).
pub fn build(providers: &[ProviderId], setup: &Setup) -> Result<Vec<Arc<dyn Adapter>>> {
    let mut huawei_client: Option<Arc<huawei::HuaweiClient>> = None;
    let mut out: Vec<Arc<dyn Adapter>> = Vec::with_capacity(providers.len());
    for &p in providers {
        let endpoint = config::endpoint_override(p, &setup.env, setup.endpoint.as_deref())?;
        if let Some(url) = &endpoint
            && config::is_insecure_remote(url)
        {
            tracing::warn!("{p}: {url} is plain http to a host that is not loopback");
        }
        let adapter: Arc<dyn Adapter> = match p {
            ProviderId::HuaweiIms | ProviderId::HuaweiWorkspace | ProviderId::HuaweiCph => {
                let client = match &huawei_client {
                    Some(c) => c.clone(),
                    None => {
                        let c = Arc::new(huawei::HuaweiClient::new(
                            setup.http.clone(),
                            config::huawei(&setup.env)?,
                        ));
                        huawei_client = Some(c.clone());
                        c
                    }
                };
                huawei::adapter(p, client, endpoint)
            }
            ProviderId::TencentLegacy => Arc::new(tencent_legacy::TencentLegacy::new(
                setup.http.clone(),
                config::tencent(&setup.env, setup.tencent_method)?,
                or_default(endpoint, tencent_legacy::DEFAULT_ENDPOINT)?,
            )),
            ProviderId::Zenlayer => Arc::new(zenlayer::Zenlayer::new(
                setup.http.clone(),
                config::zenlayer(&setup.env)?,
                or_default(endpoint, zenlayer::DEFAULT_ENDPOINT)?,
            )),
        };
        out.push(adapter);
    }
    Ok(out)
}

/// The endpoint override, or the provider's own endpoint.
fn or_default(endpoint: Option<url::Url>, default: &str) -> Result<url::Url> {
    match endpoint {
        Some(u) => Ok(u),
        None => config::parse_endpoint(default).map_err(crate::error::Error::Config),
    }
}

/// A page stream that first awaits `setup` (endpoint, project id, zones, ...), then yields the
/// pages of the stream `then` makes from its result; a failed setup is the stream's one error.
pub fn after<'a, T, Fut, F>(setup: Fut, then: F) -> BoxStream<'a, Result<Vec<Image>>>
where
    T: Send + 'a,
    Fut: std::future::Future<Output = Result<T>> + Send + 'a,
    F: FnOnce(T) -> BoxStream<'a, Result<Vec<Image>>> + Send + 'a,
{
    use futures::StreamExt;
    futures::stream::once(async move {
        match setup.await {
            Ok(t) => then(t),
            Err(e) => futures::stream::iter([Err(e)]).boxed(),
        }
    })
    .flatten()
    .boxed()
}
