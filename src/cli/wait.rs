//! `imgcat wait`: polls until the image exists with the status asked for (default available)
//! in every target; exit 0 then, [`exit::WAIT_TIMEOUT`] when the time is up.
//!
//! Like `aws ec2 wait image-available`: a poll every 15 s, 40 polls (the last one starts at
//! 9m45s of the default 10m). Transient failures - network errors, throttling, 5xx, a listing
//! that changed while it was read (images being created do that) - are reported and polled
//! again; any other error ends the wait with its exit code.

use std::io::IsTerminal;
use std::io::Write;
use std::sync::Arc;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::{GlobalArgs, WaitArgs, runtime};
use crate::error::{Error, Result, Target, exit};
use crate::listing::{self, Delivery, Job};
use crate::model::{Image, Status};
use crate::query::{ImageQuery, NameFilter};

/// How long `wait` waits in all when `--timeout` is not given.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(600);

/// Runs `imgcat wait`; returns the exit code.
pub async fn run(global: &GlobalArgs, args: &WaitArgs) -> Result<i32> {
    super::usage::wait(args)?;
    let total = global.timeout.unwrap_or(DEFAULT_TIMEOUT);
    // `--timeout` is the whole wait here; one request keeps its usual limit, or less.
    let mut per_request = global.clone();
    per_request.timeout = Some(total.min(runtime::DEFAULT_REQUEST_TIMEOUT));
    let plan = runtime::plan(&per_request, &args.target).await?;
    // The time runs from the first poll (after the set-up: simulator, regions).
    let start = Instant::now();
    let deadline = start + total;
    let query = Arc::new(ImageQuery {
        id: args.id.clone(),
        name: args.name.as_deref().map(NameFilter::parse),
        // An image named by id or name is waited for even when deprecated.
        include_deprecated: true,
        ..ImageQuery::default()
    });
    let what = match (&args.id, &args.name) {
        (Some(id), _) => format!("id '{id}'"),
        (None, Some(name)) => format!("name '{name}'"),
        (None, None) => String::new(),
    };
    let line = Line::start(global);
    let mut poll = 0u32;
    loop {
        poll += 1;
        let started = Instant::now();
        let mut found = Vec::new();
        let listed = tokio::time::timeout(
            deadline.saturating_duration_since(started),
            listing::run(
                plan.jobs.clone(),
                query.clone(),
                Delivery::Collect(&mut found),
                None,
            ),
        )
        .await;
        let state = match listed {
            Err(_) => State {
                cut: true,
                ..State::default()
            },
            Ok(outcome) => {
                if let Some(e) = outcome.failures.iter().find(|e| !retried(e)) {
                    line.finish();
                    super::say(format_args!("imgcat: error: {e}"));
                    return Ok(e.exit_code());
                }
                State::of(&plan.jobs, &found, outcome.failures, args.status)
            }
        };
        let elapsed = start.elapsed();
        // Masked: it names targets whose regions an API may have listed.
        let summary = crate::secret::mask(&state.describe(&what, args.status)).into_owned();
        tracing::info!(
            "wait: poll {poll} after {}: {summary}",
            humantime::format_duration(round(elapsed))
        );
        if state.done() {
            line.finish();
            for img in &state.ready {
                writeln!(
                    std::io::stdout(),
                    "ok: {} {} {} {:?} ({}) after {} ({poll} polls)",
                    img.provider,
                    img.region,
                    img.id,
                    img.name,
                    img.status,
                    humantime::format_duration(round(elapsed))
                )?;
            }
            return Ok(exit::OK);
        }
        for e in &state.transient {
            tracing::warn!("wait: poll {poll}: {e}; polling again");
        }
        let next = started + args.interval;
        if next >= deadline {
            line.finish();
            writeln!(
                std::io::stdout(),
                "not ok: timed out (--timeout {}): {poll} polls over {}, every {}: {summary}",
                humantime::format_duration(total),
                humantime::format_duration(round(elapsed)),
                humantime::format_duration(args.interval)
            )?;
            return Ok(exit::WAIT_TIMEOUT);
        }
        line.show(&format!(
            "waiting for {what}: poll {poll}, {} of {}: {summary}",
            humantime::format_duration(round(elapsed)),
            humantime::format_duration(total)
        ));
        tokio::time::sleep_until(next.into()).await;
    }
}

/// Failures a later poll may not see: transient ones (after the HTTP layer's own retries),
/// and a listing that changed while it was read.
fn retried(e: &Error) -> bool {
    e.is_transient() || matches!(e, Error::Incomplete { .. })
}

/// Whole seconds, for messages.
fn round(d: Duration) -> Duration {
    Duration::from_secs(d.as_secs())
}

/// What one poll saw.
#[derive(Default)]
struct State {
    /// Per target: the image with the status, when there is one.
    ready: Vec<Image>,
    /// Targets still waited for, and what they have (images with another status).
    pending: Vec<(Target, Vec<Status>)>,
    /// Transient failures of this poll.
    transient: Vec<Error>,
    /// The poll did not finish before the deadline.
    cut: bool,
}

impl State {
    fn of(jobs: &[Job], found: &[Image], failures: Vec<Error>, status: Status) -> State {
        let mut state = State {
            transient: failures,
            ..State::default()
        };
        for job in jobs {
            let target = job.target();
            let here: Vec<&Image> = found
                .iter()
                .filter(|i| i.provider == target.provider && i.region == target.region)
                .collect();
            match here.iter().find(|i| i.status == status) {
                Some(img) => state.ready.push((*img).clone()),
                None => state
                    .pending
                    .push((target, here.iter().map(|i| i.status).collect())),
            }
        }
        state
    }

    fn done(&self) -> bool {
        !self.cut && self.transient.is_empty() && self.pending.is_empty() && !self.ready.is_empty()
    }

    fn describe(&self, what: &str, status: Status) -> String {
        if self.ready.is_empty() && self.pending.is_empty() {
            return "the poll did not finish in time".into();
        }
        let mut parts: Vec<String> = self
            .pending
            .iter()
            .map(|(t, statuses)| match statuses.first() {
                None => format!("{t}: no image with {what}"),
                Some(s) => format!("{t}: {what} is {s}, not {status}"),
            })
            .collect();
        if !self.transient.is_empty() {
            parts.push(format!(
                "{} target(s) failed this time",
                self.transient.len()
            ));
        }
        if parts.is_empty() {
            format!("{what} is {status}")
        } else {
            parts.join("; ")
        }
    }
}

/// The one-line progress on stderr: only on a terminal, never with `-v`.
struct Line(Option<ProgressBar>);

impl Line {
    fn start(global: &GlobalArgs) -> Line {
        let wanted = std::io::stderr().is_terminal() && global.verbose == 0 && !global.debug;
        Line(wanted.then(|| {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template("{spinner} {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        }))
    }

    fn show(&self, msg: &str) {
        if let Some(b) = &self.0 {
            b.set_message(msg.to_string());
        }
    }

    fn finish(&self) {
        if let Some(b) = &self.0 {
            b.finish_and_clear();
        }
    }
}
