//! Runs a listing: every (provider, region) target concurrently, pages filtered client-side,
//! printed in a deterministic order (targets in the order given, each in the API's order) as
//! soon as that order allows.

use std::sync::Arc;

use futures::StreamExt;
use tokio::sync::mpsc;

use crate::error::{Error, Target};
use crate::model::Image;
use crate::output::{Encoder, Sink};
use crate::providers::Adapter;
use crate::query::ImageQuery;
use crate::spool;

/// Watches a listing's progress (the terminal display implements it).
pub trait Observer {
    /// `n` more images were delivered.
    fn images(&self, n: usize);
    /// `done` targets have finished, successfully or not.
    fn target_done(&self, done: usize);
}

/// One (provider, region) to list.
#[derive(Clone)]
pub struct Job {
    /// The adapter of the provider.
    pub adapter: Arc<dyn Adapter>,
    /// The region or zone.
    pub region: String,
}

impl Job {
    /// Where this job lists.
    pub fn target(&self) -> Target {
        Target {
            provider: self.adapter.id(),
            region: self.region.clone(),
        }
    }
}

/// What a listing did.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Images written.
    pub printed: u64,
    /// Targets that completed.
    pub succeeded: usize,
    /// Targets that failed, with why, in target order.
    pub failures: Vec<Error>,
}

/// What to do with the images.
pub enum Delivery<'s> {
    /// Write each batch as soon as order allows; stop after `limit` images.
    Stream {
        /// The renderer.
        sink: &'s mut dyn Sink,
        /// At most this many images.
        limit: Option<u64>,
    },
    /// Collect every image (for sorting, `show`, `check`).
    Collect(&'s mut Vec<Image>),
    /// One [`Summary`] per target, in target order, failed targets included: the number of
    /// matches and the newest one, without keeping the others (for `--latest` and `where`).
    Summaries(&'s mut Vec<Summary>),
}

/// What one target's matching images come to.
#[derive(Debug, Clone)]
pub struct Summary {
    /// The provider and region.
    pub target: Target,
    /// Images that matched.
    pub matches: usize,
    /// Of those, images without a creation time.
    pub undated: usize,
    /// The newest match with a creation time; of two as new, the one with the greater id
    /// (compared as text, byte by byte).
    pub newest: Option<Image>,
    /// Why the target failed (it is also in [`Outcome::failures`]).
    pub error: Option<String>,
}

impl Summary {
    fn new(target: Target) -> Self {
        Summary {
            target,
            matches: 0,
            undated: 0,
            newest: None,
            error: None,
        }
    }

    /// Counts `img`, and keeps it when it is the newest so far.
    pub fn add(&mut self, img: Image) {
        self.matches += 1;
        let Some(created) = img.created_at else {
            self.undated += 1;
            return;
        };
        let newer = self.newest.as_ref().is_none_or(|best| {
            (created, img.id.as_str()) > (best.created_at.unwrap_or(created), best.id.as_str())
        });
        if newer {
            self.newest = Some(img);
        }
    }

    /// The `--latest` pick: the newest match, when every match has a creation time; no pick
    /// (not a guess) when some have none, or nothing matched.
    pub fn pick(&self) -> Option<&Image> {
        if self.undated > 0 {
            None
        } else {
            self.newest.as_ref()
        }
    }

    /// Why there is no pick although images matched: the warning `--latest` prints.
    pub fn no_pick_reason(&self) -> Option<String> {
        (self.error.is_none() && self.undated > 0).then(|| {
            format!(
                "{}: no --latest pick: {} of the {} matching images have no creation time (the API gives none)",
                self.target, self.undated, self.matches
            )
        })
    }
}

/// What a target's task hands to the writer.
enum Batch {
    /// Images, for sinks that render them themselves (table, csv, yaml) or for collecting.
    Images(Vec<Image>),
    /// Images already encoded by the sink's encoder, waiting in the target's spool.
    Encoded(spool::Chunk),
    /// The target's summary, once it is complete.
    Summary(Box<Summary>),
    /// The target is complete: every page was listed and sent.
    Done,
}

impl Batch {
    /// How many images it holds.
    fn count(&self) -> usize {
        match self {
            Batch::Images(images) => images.len(),
            Batch::Encoded(chunk) => chunk.count(),
            Batch::Summary(_) | Batch::Done => 0,
        }
    }
}

/// Lists every job concurrently and delivers the images in job order.
///
/// Each target's task filters its pages and, when the sink can encode items independently
/// (json, ndjson) and no `limit` applies, encodes them right away into the target's spool, so
/// targets waiting for their turn hold bounded memory. The sink's `finish` is not called here:
/// the caller always calls it, also after errors.
pub async fn run(
    jobs: Vec<Job>,
    query: Arc<ImageQuery>,
    mut delivery: Delivery<'_>,
    progress: Option<&dyn Observer>,
) -> Outcome {
    let encoder: Option<Arc<dyn Encoder>> = match &delivery {
        Delivery::Stream { sink, limit: None } => sink.encoder(),
        _ => None,
    };
    let summarize = matches!(delivery, Delivery::Summaries(_));
    let budget = spool::Budget::default();
    let mut receivers = Vec::with_capacity(jobs.len());
    let mut tasks = Vec::with_capacity(jobs.len());
    for job in jobs {
        let (tx, rx) = mpsc::unbounded_channel::<Result<Batch, Error>>();
        let (spool, reader) = spool::pair(&budget);
        let query = query.clone();
        let encoder = encoder.clone();
        let target = job.target();
        tasks.push(tokio::spawn(produce(
            job, query, encoder, summarize, spool, tx,
        )));
        receivers.push((rx, reader, target));
    }

    let mut outcome = Outcome::default();
    'jobs: for (mut rx, reader, target) in receivers {
        // A target's batches are held (encoded ones in the spool, within its memory budget)
        // until the target is complete, so a target that fails prints nothing: the output holds
        // the complete targets only. With `--limit`, as soon as enough is held to reach it.
        let mut pending: Vec<Batch> = Vec::new();
        let mut held = 0u64;
        let limit = match &delivery {
            Delivery::Stream { limit, .. } => *limit,
            _ => None,
        };
        let ended = loop {
            match rx.recv().await {
                Some(Ok(Batch::Done)) => break Ok(()),
                Some(Ok(batch)) => {
                    held += batch.count() as u64;
                    pending.push(batch);
                    if limit.is_some_and(|max| outcome.printed + held >= max) {
                        break Ok(());
                    }
                }
                Some(Err(e)) => break Err(e),
                None => {
                    break Err(Error::internal(
                        target.clone(),
                        "the listing task ended before the target was complete".to_string(),
                    ));
                }
            }
        };
        if let Err(e) = ended {
            for batch in pending {
                if let Batch::Encoded(chunk) = batch {
                    reader.discard(chunk);
                }
            }
            if let Delivery::Summaries(all) = &mut delivery {
                let mut failed = Summary::new(target.clone());
                failed.error = Some(crate::secret::mask(&e.to_string()).into_owned());
                all.push(failed);
            }
            outcome.failures.push(e);
            if let Some(p) = progress {
                p.target_done(outcome.succeeded + outcome.failures.len());
            }
            continue;
        }
        let before = outcome.printed;
        for batch in pending {
            match deliver(&mut delivery, batch, &reader, outcome.printed) {
                Ok(n) => {
                    outcome.printed += n as u64;
                    if let Some(p) = progress {
                        p.images(n);
                    }
                }
                Err(e) => {
                    outcome.failures.push(Error::Output(e));
                    break 'jobs;
                }
            }
        }
        outcome.succeeded += 1;
        tracing::debug!("{target}: {} images delivered", outcome.printed - before);
        if let Some(p) = progress {
            p.target_done(outcome.succeeded + outcome.failures.len());
        }
        if limit.is_some_and(|max| outcome.printed >= max) {
            break 'jobs;
        }
    }
    for t in tasks {
        t.abort();
    }
    outcome
}

/// Pages of one target being filtered and encoded at the same time, at most. More would only
/// hold more decoded pages in memory; fewer would stop the page stream while a page is encoded.
const PAGES_IN_PREPARATION: usize = 2;

/// One target's task: pages in, filtered (and encoded) batches out.
///
/// Filtering and encoding run on the blocking pool while the page stream keeps being polled:
/// a cursor API's next request leaves as soon as its link is read, not after the page before
/// it has been encoded (that wait would add to every round trip of the longest chain).
async fn produce(
    job: Job,
    query: Arc<ImageQuery>,
    encoder: Option<Arc<dyn Encoder>>,
    summarize: bool,
    mut spool: spool::Spool,
    tx: mpsc::UnboundedSender<Result<Batch, Error>>,
) {
    let target = job.target();
    let mut summary = summarize.then(|| Summary::new(target.clone()));
    let pages = job.adapter.list(&job.region, &query);
    let mut prepared = pages
        .map(|page| {
            let (query, encoder, target) = (query.clone(), encoder.clone(), target.clone());
            async move {
                let images = page?;
                match encoder {
                    None => Ok(Prepared::Images(filtered(images, &query))),
                    Some(enc) => tokio::task::spawn_blocking(move || {
                        let images = filtered(images, &query);
                        let mut buf = Vec::with_capacity(images.len() * 512);
                        enc.encode(&images, &mut buf)?;
                        Ok(Prepared::Encoded(buf, images.len()))
                    })
                    .await
                    .map_err(|e| Error::internal(target, format!("encoding a page failed: {e}")))?,
                }
            }
        })
        .buffered(PAGES_IN_PREPARATION);
    while let Some(result) = prepared.next().await {
        let result = match (summary.as_mut(), result) {
            (Some(sum), Ok(Prepared::Images(images))) => {
                images.into_iter().for_each(|img| sum.add(img));
                continue;
            }
            (_, other) => other,
        };
        let batch = result.and_then(|p| match p {
            Prepared::Images(images) => Ok(Batch::Images(images)),
            Prepared::Encoded(buf, count) => Ok(Batch::Encoded(spool.put(buf, count)?)),
        });
        let failed = batch.is_err();
        if tx.send(batch).is_err() || failed {
            return;
        }
    }
    if let Some(sum) = summary {
        let _ = tx.send(Ok(Batch::Summary(Box::new(sum))));
    }
    let _ = tx.send(Ok(Batch::Done));
}

/// A page after filtering: images, or their encoding and count.
enum Prepared {
    Images(Vec<Image>),
    Encoded(Vec<u8>, usize),
}

/// The images the query keeps (judged on what the provider sent), with every registered
/// secret masked in them ([`Image::mask_secrets`]): this is where every listed image passes
/// before it is encoded, collected or summarized.
fn filtered(mut images: Vec<Image>, query: &ImageQuery) -> Vec<Image> {
    images.retain(|img| query.matches(img));
    let masker = crate::secret::masker();
    for img in &mut images {
        img.mask_secrets(&masker);
    }
    images
}

/// Hands one batch to the delivery; returns how many images it took.
fn deliver(
    delivery: &mut Delivery<'_>,
    batch: Batch,
    reader: &spool::Reader,
    printed: u64,
) -> std::io::Result<usize> {
    match (delivery, batch) {
        (Delivery::Collect(all), Batch::Images(mut images)) => {
            let n = images.len();
            all.append(&mut images);
            Ok(n)
        }
        (Delivery::Stream { sink, limit }, Batch::Images(mut images)) => {
            if let Some(max) = *limit {
                images.truncate(usize::try_from(max.saturating_sub(printed)).unwrap_or(usize::MAX));
            }
            if !images.is_empty() {
                sink.write(&images)?;
            }
            Ok(images.len())
        }
        (Delivery::Stream { sink, .. }, Batch::Encoded(chunk)) => {
            let (bytes, count) = reader.read(chunk)?;
            if count > 0 {
                sink.write_encoded(&bytes, count)?;
            }
            Ok(count)
        }
        (Delivery::Summaries(all), Batch::Summary(sum)) => {
            all.push(*sum);
            Ok(0)
        }
        (Delivery::Collect(_) | Delivery::Summaries(_), Batch::Encoded(_))
        | (Delivery::Summaries(_), Batch::Images(_))
        | (Delivery::Collect(_) | Delivery::Stream { .. }, Batch::Summary(_))
        | (_, Batch::Done) => Err(std::io::Error::other(
            "a batch of the wrong kind for the delivery",
        )),
    }
}
