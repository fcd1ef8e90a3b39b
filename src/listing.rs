//! Runs a listing: every (provider, region) target concurrently, pages filtered client-side,
//! printed in a deterministic order (targets in the order given, each in the API's order) as
//! soon as that order allows.

use std::sync::Arc;

use futures::StreamExt;
use tokio::sync::mpsc;

use crate::error::{Error, Target};
use crate::model::Image;
use crate::output::Sink;
use crate::providers::Adapter;
use crate::query::ImageQuery;

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
}

/// Lists every job concurrently and delivers the images in job order.
///
/// The sink's `finish` is not called here: the caller always calls it, also after errors.
pub async fn run(
    jobs: Vec<Job>,
    query: Arc<ImageQuery>,
    mut delivery: Delivery<'_>,
    progress: Option<&dyn Observer>,
) -> Outcome {
    let mut receivers = Vec::with_capacity(jobs.len());
    let mut tasks = Vec::with_capacity(jobs.len());
    for job in jobs {
        let (tx, rx) = mpsc::unbounded_channel::<Result<Vec<Image>, Error>>();
        let query = query.clone();
        tasks.push(tokio::spawn(async move {
            let mut pages = job.adapter.list(&job.region, &query);
            while let Some(page) = pages.next().await {
                let failed = page.is_err();
                let page = page.map(|mut images| {
                    images.retain(|img| query.matches(img));
                    images
                });
                if tx.send(page).is_err() || failed {
                    break;
                }
            }
        }));
        receivers.push(rx);
    }

    let mut outcome = Outcome::default();
    'jobs: for mut rx in receivers {
        let mut failed = false;
        while let Some(page) = rx.recv().await {
            match page {
                Err(e) => {
                    outcome.failures.push(e);
                    failed = true;
                    break;
                }
                Ok(mut images) => match &mut delivery {
                    _ if images.is_empty() => {}
                    Delivery::Collect(all) => {
                        if let Some(p) = progress {
                            p.images(images.len());
                        }
                        outcome.printed += images.len() as u64;
                        all.append(&mut images);
                    }
                    Delivery::Stream { sink, limit } => {
                        if let Some(max) = *limit {
                            let room = max.saturating_sub(outcome.printed) as usize;
                            images.truncate(room);
                        }
                        if !images.is_empty() {
                            if let Err(e) = sink.write(&images) {
                                outcome.failures.push(Error::Output(e));
                                break 'jobs;
                            }
                            outcome.printed += images.len() as u64;
                            if let Some(p) = progress {
                                p.images(images.len());
                            }
                        }
                        if limit.is_some_and(|max| outcome.printed >= max) {
                            outcome.succeeded += 1;
                            break 'jobs;
                        }
                    }
                },
            }
        }
        if !failed {
            outcome.succeeded += 1;
        }
        if let Some(p) = progress {
            p.target_done(outcome.succeeded + outcome.failures.len());
        }
    }
    for t in tasks {
        t.abort();
    }
    outcome
}
