//! The progress display on stderr: only on a terminal, only when not logging requests, and
//! only once a listing has taken longer than a moment.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::GlobalArgs;
use crate::listing::Observer;

/// How long a listing runs before the display appears.
const DELAY: Duration = Duration::from_millis(400);

/// A spinner counting images and finished targets.
pub struct Progress {
    bar: Option<ProgressBar>,
    targets: usize,
}

impl Progress {
    /// Starts the display for a listing of `targets` targets (hidden when stderr is not a
    /// terminal, or with `-v`/`--debug`).
    pub fn start(global: &GlobalArgs, targets: usize) -> Progress {
        let wanted = std::io::stderr().is_terminal() && global.verbose == 0 && !global.debug;
        let bar = wanted.then(|| {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
            let style = ProgressStyle::with_template("{spinner} {pos} images, {msg} [{elapsed}]")
                .unwrap_or_else(|_| ProgressStyle::default_spinner());
            bar.set_style(style);
            bar.set_message(format!("0/{targets} targets done"));
            let shown = bar.clone();
            tokio::spawn(async move {
                tokio::time::sleep(DELAY).await;
                if !shown.is_finished() {
                    shown.set_draw_target(ProgressDrawTarget::stderr());
                    shown.enable_steady_tick(Duration::from_millis(120));
                }
            });
            bar
        });
        Progress { bar, targets }
    }

    /// Removes the display.
    pub fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

impl Observer for Progress {
    fn images(&self, n: usize) {
        if let Some(b) = &self.bar {
            b.inc(n as u64);
        }
    }

    fn target_done(&self, done: usize) {
        if let Some(b) = &self.bar {
            b.set_message(format!("{done}/{} targets done", self.targets));
        }
    }
}
