//! Request-rate limits: at most N requests of an API in any one-second window, as the provider
//! declares them ([`RateLimit`]), so that a listing of many regions never trips the API's
//! throttling on its own.
//!
//! Why a sliding window and not a token bucket of N tokens refilled at N per second: the APIs
//! count requests per second (Tencent: "the first 20 requests of each second reach the
//! service"), and a full bucket of N lets N requests through at the end of one second and N more
//! in the next: 2N inside one of the server's seconds. A window that admits a request only when
//! the one N places before it left at least a second ago never does; it lets a burst of N go at
//! once (every first page of a multi-region listing) and then N a second.
//!
//! The simulator enforces the same rule on arrivals ([`Window::admit`]); the client keeps its
//! window a little longer ([`CLIENT_WINDOW`]) because requests that left a second apart can
//! arrive closer together.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Where an API's limit is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RateScope {
    /// One budget for the account, whatever the region (one gateway serves every region).
    Account,
    /// One budget per region (each region has its own endpoint and gateway).
    Region,
}

/// An API's documented (or chosen) request-rate limit, declared by its provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RateLimit {
    /// The API the budget belongs to (`tencent-describe-images`, ...); adapters that name the
    /// same API share one budget.
    pub api: &'static str,
    /// Requests per second.
    pub per_second: u32,
    /// Where the budget is counted.
    pub scope: RateScope,
}

impl RateLimit {
    /// `per_second` requests a second for the whole account.
    pub const fn per_account(api: &'static str, per_second: u32) -> Self {
        RateLimit {
            api,
            per_second,
            scope: RateScope::Account,
        }
    }

    /// `per_second` requests a second in each region.
    pub const fn per_region(api: &'static str, per_second: u32) -> Self {
        RateLimit {
            api,
            per_second,
            scope: RateScope::Region,
        }
    }

    /// The budget a request to `region` draws on: the API, and the region where the scope is
    /// regional.
    pub fn key(&self, region: &str) -> (&'static str, String) {
        match self.scope {
            RateScope::Account => (self.api, String::new()),
            RateScope::Region => (self.api, region.to_string()),
        }
    }
}

impl std::fmt::Display for RateLimit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let scope = match self.scope {
            RateScope::Account => "account",
            RateScope::Region => "region",
        };
        write!(f, "{}/s per {scope}", self.per_second)
    }
}

/// How long the client waits between a request and the one `per_second` places after it: a
/// second, plus 100 ms for requests that travel (and are taken up by the server) at different
/// speeds: the server counts arrivals.
pub const CLIENT_WINDOW: Duration = Duration::from_millis(1_100);

/// The window the simulator counts arrivals in.
pub const SERVER_WINDOW: Duration = Duration::from_secs(1);

/// The times of the last `limit` requests of one budget.
#[derive(Debug)]
pub struct Window {
    limit: usize,
    period: Duration,
    sent: Mutex<VecDeque<Instant>>,
}

impl Window {
    /// At most `limit` requests in any `period` (a `limit` of 0 counts as 1).
    pub fn new(limit: u32, period: Duration) -> Self {
        let limit = usize::try_from(limit).unwrap_or(usize::MAX).max(1);
        Window {
            limit,
            period,
            sent: Mutex::new(VecDeque::with_capacity(limit.min(1024))),
        }
    }

    /// How long from `now` until a request fits; zero when one fits now.
    pub fn wait_time(&self, now: Instant) -> Duration {
        let Ok(sent) = self.sent.lock() else {
            return Duration::ZERO;
        };
        if sent.len() < self.limit {
            return Duration::ZERO;
        }
        sent.front().map_or(Duration::ZERO, |oldest| {
            (*oldest + self.period).saturating_duration_since(now)
        })
    }

    /// Records a request at `now` when it fits in the window; `false` (nothing recorded) when
    /// `limit` requests were made in the `period` before `now`.
    pub fn admit(&self, now: Instant) -> bool {
        let Ok(mut sent) = self.sent.lock() else {
            return true;
        };
        while sent.len() >= self.limit {
            match sent.front() {
                Some(oldest) if now.saturating_duration_since(*oldest) >= self.period => {
                    sent.pop_front();
                }
                _ => return false,
            }
        }
        sent.push_back(now);
        true
    }
}

/// The budgets of a run, created on first use and shared by every clone of the HTTP client.
#[derive(Debug)]
pub struct Budgets {
    period: Duration,
    windows: Mutex<HashMap<(&'static str, String), Arc<Window>>>,
}

impl Budgets {
    /// Budgets whose windows last `period`.
    pub fn new(period: Duration) -> Self {
        Budgets {
            period,
            windows: Mutex::new(HashMap::new()),
        }
    }

    /// The window of `limit` for a request to `region`.
    pub fn window(&self, limit: &RateLimit, region: &str) -> Arc<Window> {
        let key = limit.key(region);
        match self.windows.lock() {
            Ok(mut map) => map
                .entry(key)
                .or_insert_with(|| Arc::new(Window::new(limit.per_second, self.period)))
                .clone(),
            // A poisoned map (a panic elsewhere): a fresh window still limits this request.
            Err(_) => Arc::new(Window::new(limit.per_second, self.period)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_of_n_then_nothing_until_the_first_is_a_period_old() {
        let w = Window::new(3, Duration::from_secs(1));
        let t0 = Instant::now();
        let ms = |n: u64| t0 + Duration::from_millis(n);
        assert!(w.admit(ms(0)));
        assert!(w.admit(ms(100)));
        assert!(w.admit(ms(200)));
        assert!(!w.admit(ms(999)), "a 4th within the second");
        assert_eq!(w.wait_time(ms(400)), Duration::from_millis(600));
        assert!(w.admit(ms(1_000)));
        assert!(!w.admit(ms(1_050)), "the 2nd and 3rd still count");
        assert_eq!(w.wait_time(ms(1_050)), Duration::from_millis(50));
    }

    #[test]
    fn never_more_than_n_in_any_window() {
        // Requests at every 10 ms tick, admitted when they fit: count any 1 s span.
        let w = Window::new(40, Duration::from_secs(1));
        let t0 = Instant::now();
        let mut admitted = Vec::new();
        for tick in 0..500u64 {
            let t = t0 + Duration::from_millis(tick * 10);
            while w.admit(t) {
                admitted.push(t);
            }
        }
        for (i, t) in admitted.iter().enumerate() {
            let inside = admitted[i..]
                .iter()
                .take_while(|u| u.duration_since(*t) < Duration::from_secs(1))
                .count();
            assert!(inside <= 40, "{inside} requests within a second");
        }
        assert_eq!(admitted.len(), 200, "40 a second over 5 s");
    }

    #[test]
    fn budgets_are_per_api_and_per_region_where_the_scope_says() {
        let b = Budgets::new(Duration::from_secs(1));
        let regional = RateLimit::per_region("svc", 1);
        let global = RateLimit::per_account("api", 1);
        assert!(!Arc::ptr_eq(
            &b.window(&regional, "r1"),
            &b.window(&regional, "r2")
        ));
        assert!(Arc::ptr_eq(
            &b.window(&global, "r1"),
            &b.window(&global, "r2")
        ));
        assert!(Arc::ptr_eq(
            &b.window(&regional, "r1"),
            &b.window(&regional, "r1")
        ));
    }
}
