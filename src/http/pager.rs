//! The two pagers every adapter uses, and the guards that keep a listing complete.
//!
//! - [`cursor`]: marker / next-link APIs, page after page. Guards: a cursor seen before is a
//!   loop; a bound on pages; an id seen twice.
//! - [`offset`]: offset or page-number APIs. The first page gives the total; the other pages
//!   are fetched concurrently and yielded in order. Guards: every page must hold exactly the
//!   rows the total says it holds (a short page is fetched again, then the listing fails); the
//!   total must not change mid-listing; an id seen twice; a bound on pages.
//!
//! A pager never yields a list it knows to be incomplete: it fails instead.

use std::collections::HashSet;
use std::future::Future;

use futures::future::BoxFuture;
use futures::stream::{self, BoxStream, StreamExt, TryStreamExt};

use crate::error::{Error, Result, Target};
use crate::model::Image;

/// The most pages one listing may take before imgcat assumes something is wrong.
pub const MAX_PAGES: u64 = 100_000;

/// Images an offset listing may hold in pages fetched ahead of the writer.
pub const MAX_IMAGES_IN_FLIGHT: u64 = 8_000;

/// How often a short page is fetched again before the listing fails.
pub const SHORT_PAGE_REFETCHES: u32 = 2;

/// One page of a cursor API: the next cursor, read first, and the decoding of its images,
/// deferred so that the pager can send the next request before doing it.
pub struct CursorPage {
    /// The cursor of the next page; `None` on the last.
    pub next: Option<String>,
    /// Decodes the page's images.
    pub decode: Box<dyn FnOnce() -> Result<Vec<Image>> + Send>,
}

impl CursorPage {
    /// A page whose images are already decoded.
    pub fn ready(items: Vec<Image>, next: Option<String>) -> Self {
        CursorPage {
            next,
            decode: Box::new(move || Ok(items)),
        }
    }
}

/// One page of an offset API.
#[derive(Debug)]
pub struct OffsetPage {
    /// The images on the page.
    pub items: Vec<Image>,
    /// The total the server reported.
    pub total: u64,
}

fn incomplete(target: &Target, detail: String) -> Error {
    Error::Incomplete {
        target: target.clone(),
        detail,
    }
}

/// Tracks ids so that an image is never listed twice.
#[derive(Default)]
struct Seen(HashSet<String>);

impl Seen {
    fn check(&mut self, target: &Target, items: &[Image]) -> Result<()> {
        for img in items {
            if !self.0.insert(img.id.clone()) {
                return Err(incomplete(
                    target,
                    format!(
                        "image {} came twice; the server's paging is inconsistent",
                        img.id
                    ),
                ));
            }
        }
        Ok(())
    }
}

/// Pages through a cursor API. `fetch(None)` asks for the first page, `fetch(Some(c))` for the
/// page after cursor `c`. The request for the next page leaves before the current page's images
/// are decoded, so decoding overlaps the round trip.
pub fn cursor<'a, F, Fut>(target: Target, mut fetch: F) -> BoxStream<'a, Result<Vec<Image>>>
where
    F: FnMut(Option<String>) -> Fut + Send + 'a,
    Fut: Future<Output = Result<CursorPage>> + Send + 'a,
{
    struct State<'a, F> {
        fetch: F,
        pending: Option<BoxFuture<'a, Result<CursorPage>>>,
        cursors: HashSet<String>,
        seen: Seen,
        pages: u64,
    }
    let first: BoxFuture<'a, Result<CursorPage>> = Box::pin(fetch(None));
    let state = State {
        fetch,
        pending: Some(first),
        cursors: HashSet::new(),
        seen: Seen::default(),
        pages: 0,
    };
    stream::try_unfold(state, move |mut st| {
        let target = target.clone();
        async move {
            let Some(pending) = st.pending.take() else {
                return Ok(None);
            };
            let page = pending.await?;
            st.pages += 1;
            if st.pages > MAX_PAGES {
                return Err(incomplete(
                    &target,
                    format!("more than {MAX_PAGES} pages; stopping"),
                ));
            }
            let CursorPage { next, decode } = page;
            let items = match &next {
                Some(next) => {
                    if !st.cursors.insert(next.clone()) {
                        return Err(incomplete(
                            &target,
                            format!("the server's next link repeats an earlier page ({next}); paging loops"),
                        ));
                    }
                    // The next request travels while this page is decoded on a blocking thread.
                    let (items, following) =
                        futures::join!(off_thread(&target, decode), (st.fetch)(Some(next.clone())));
                    st.pending = Some(Box::pin(std::future::ready(following)));
                    items?
                }
                None => off_thread(&target, decode).await?,
            };
            st.seen.check(&target, &items)?;
            if next.is_some() && items.is_empty() {
                return Err(incomplete(
                    &target,
                    "an empty page still points to a next page".into(),
                ));
            }
            Ok(Some((items, st)))
        }
    })
    .boxed()
}

/// Runs a page decoder on the blocking pool, so it does not hold up the runtime's I/O.
async fn off_thread(
    target: &Target,
    decode: Box<dyn FnOnce() -> Result<Vec<Image>> + Send>,
) -> Result<Vec<Image>> {
    tokio::task::spawn_blocking(decode)
        .await
        .map_err(|e| Error::internal(target, format!("decoding a page failed: {e}")))?
}

/// Pages through an offset or page-number API. `fetch(i)` asks for page `i` (0-based) of
/// `page_size` rows; up to `concurrency` pages are in flight at once and they are yielded in
/// order.
pub fn offset<'a, F, Fut>(
    target: Target,
    page_size: u64,
    concurrency: usize,
    fetch: F,
) -> BoxStream<'a, Result<Vec<Image>>>
where
    F: Fn(u64) -> Fut + Clone + Send + Sync + 'a,
    Fut: Future<Output = Result<OffsetPage>> + Send + 'a,
{
    let page_size = page_size.max(1);
    // Pages in flight, each decoded into memory when it lands: bounded by images too, so that
    // large pages (1,000 images) do not pile up faster than they are written.
    let in_flight = concurrency
        .min(usize::try_from(MAX_IMAGES_IN_FLIGHT / page_size).unwrap_or(usize::MAX))
        .max(1);
    let first = {
        let fetch = fetch.clone();
        let target = target.clone();
        async move {
            let page = fetch(0).await?;
            let total = page.total;
            let pages = total.div_ceil(page_size);
            if pages > MAX_PAGES {
                return Err(incomplete(
                    &target,
                    format!("the server reports {total} images, more than {MAX_PAGES} pages"),
                ));
            }
            let page = checked(&target, &fetch, 0, page_size, total, page).await?;
            Ok::<_, Error>((page, total, pages))
        }
    };
    stream::once(first)
        .map_ok(move |(first_items, total, pages)| {
            let fetch = fetch.clone();
            let page_target = target.clone();
            let rest = stream::iter(1..pages)
                .map(move |i| {
                    let fetch = fetch.clone();
                    let target = page_target.clone();
                    async move {
                        let page = fetch(i).await?;
                        checked(&target, &fetch, i, page_size, total, page).await
                    }
                })
                .buffered(in_flight);
            let mut seen = Seen::default();
            let target = target.clone();
            stream::once(async move { Ok(first_items) })
                .chain(rest)
                .and_then(move |items| {
                    let r = seen.check(&target, &items).map(|()| items);
                    async move { r }
                })
        })
        .try_flatten()
        .boxed()
}

/// Checks that page `i` holds what the total says; fetches a short page again.
async fn checked<F, Fut>(
    target: &Target,
    fetch: &F,
    i: u64,
    page_size: u64,
    total: u64,
    mut page: OffsetPage,
) -> Result<Vec<Image>>
where
    F: Fn(u64) -> Fut,
    Fut: Future<Output = Result<OffsetPage>>,
{
    let expected = total.saturating_sub(i * page_size).min(page_size);
    let mut refetches = 0;
    loop {
        if page.total != total {
            return Err(incomplete(
                target,
                format!(
                    "the total changed from {total} to {} during the listing; run again",
                    page.total
                ),
            ));
        }
        let got = page.items.len() as u64;
        if got == expected {
            return Ok(page.items);
        }
        if got > expected || refetches >= SHORT_PAGE_REFETCHES {
            return Err(incomplete(
                target,
                format!(
                    "page {} held {got} images where the total of {total} says {expected}",
                    i + 1
                ),
            ));
        }
        refetches += 1;
        tracing::info!(
            "{target}: page {} held {got} of {expected} images; fetching it again",
            i + 1
        );
        page = fetch(i).await?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::providers::ProviderId;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU32, Ordering};

    fn t() -> Target {
        Target {
            provider: ProviderId::all()
                .next()
                .unwrap_or_else(|| panic!("empty registry")),
            region: "r".into(),
        }
    }

    fn imgs(range: std::ops::Range<u64>) -> Vec<Image> {
        range
            .map(|i| {
                Image::new(
                    ProviderId::all()
                        .next()
                        .unwrap_or_else(|| panic!("empty registry")),
                    "r",
                    format!("id{i}"),
                    "n".into(),
                )
            })
            .collect()
    }

    fn run(s: BoxStream<'_, Result<Vec<Image>>>) -> Result<Vec<String>> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .map_err(Error::Output)?;
        rt.block_on(async {
            let pages: Vec<Vec<Image>> = s.try_collect().await?;
            Ok(pages.into_iter().flatten().map(|i| i.id).collect())
        })
    }

    #[test]
    fn offset_lists_everything_in_order() {
        let s = offset(t(), 10, 4, |i| async move {
            Ok(OffsetPage {
                items: imgs(i * 10..((i + 1) * 10).min(95)),
                total: 95,
            })
        });
        let ids = run(s).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(ids.len(), 95);
        assert_eq!(ids[94], "id94");
    }

    #[test]
    fn offset_refetches_a_short_page_then_fails() {
        let calls = Arc::new(AtomicU32::new(0));
        let c = calls.clone();
        let s = offset(t(), 10, 2, move |i| {
            let c = c.clone();
            async move {
                let end = if i == 1 {
                    c.fetch_add(1, Ordering::SeqCst);
                    15
                } else {
                    ((i + 1) * 10).min(30)
                };
                Ok(OffsetPage {
                    items: imgs(i * 10..end),
                    total: 30,
                })
            }
        });
        let err = run(s).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(err.contains("page 2 held 5"), "{err}");
        assert_eq!(calls.load(Ordering::SeqCst), 1 + SHORT_PAGE_REFETCHES);
    }

    #[test]
    fn offset_fails_when_total_changes() {
        let s = offset(t(), 10, 2, |i| async move {
            Ok(OffsetPage {
                items: imgs(i * 10..(i + 1) * 10),
                total: if i == 0 { 30 } else { 31 },
            })
        });
        let err = run(s).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(err.contains("total changed"), "{err}");
    }

    #[test]
    fn cursor_detects_loops() {
        let s = cursor(t(), |c: Option<String>| async move {
            let n: u64 = c.as_deref().map_or(0, |s| s.parse().unwrap_or(0));
            Ok(CursorPage::ready(
                imgs(n * 2..n * 2 + 2),
                Some(((n + 1) % 3).to_string()),
            ))
        });
        let err = run(s).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(err.contains("loops") || err.contains("twice"), "{err}");
    }

    #[test]
    fn cursor_follows_to_the_end() {
        let s = cursor(t(), |c: Option<String>| async move {
            let n: u64 = c.as_deref().map_or(0, |s| s.parse().unwrap_or(0));
            Ok(CursorPage::ready(
                imgs(n * 2..n * 2 + 2),
                (n < 4).then(|| (n + 1).to_string()),
            ))
        });
        assert_eq!(run(s).map(|v| v.len()).unwrap_or(0), 10);
    }
}
