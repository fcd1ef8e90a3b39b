//! The [`Adapter`] trait: what a provider's listing code implements.

use futures::future::BoxFuture;
use futures::stream::BoxStream;

use super::ProviderId;
use crate::error::Result;
use crate::model::Image;
use crate::query::ImageQuery;

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

    /// Expands region names the provider resolves itself (`all`, for a provider whose
    /// [`RegionPolicy`](super::RegionPolicy) has `all_from`). Identity by default.
    fn expand_regions<'a>(&'a self, regions: Vec<String>) -> BoxFuture<'a, Result<Vec<String>>> {
        Box::pin(async move { Ok(regions) })
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
