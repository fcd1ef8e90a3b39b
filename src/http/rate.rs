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
//! The simulator enforces the same rule on arrivals ([`Window::admit`]). The client cannot see
//! arrivals, only when it sent a request and when its answer came: a request arrives in between.
//! So the client counts each request from its answer ([`Window::take`], [`Place`]): a request is
//! sent only when fewer than N requests are in flight or were answered in the last second. Then
//! the N-th request before it arrived before it was answered, at least a second before this one
//! leaves (and so arrives): never N + 1 in any of the server's seconds, however late the server
//! takes requests up. (Counting from when requests left, as before, was tripped whenever the
//! server took a burst up late: a busy simulator throttled 20-30 of 50 Tencent pages.)

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

/// How long the client counts a request after its answer came (see the module documentation:
/// counted from the answer, a second is enough whatever the travel times).
pub const CLIENT_WINDOW: Duration = Duration::from_secs(1);

/// How often a client waiting for the budget looks again when every place is in flight.
const IN_FLIGHT_POLL: Duration = Duration::from_millis(5);

/// The window the simulator counts arrivals in.
pub const SERVER_WINDOW: Duration = Duration::from_secs(1);

/// The times of the last `limit` requests of one budget (for the client: the times their
/// answers came), and how many of the client's are in flight.
#[derive(Debug)]
pub struct Window {
    limit: usize,
    period: Duration,
    sent: Mutex<Times>,
}

#[derive(Debug, Default)]
struct Times {
    /// Arrivals (simulator) or answers (client), oldest first.
    times: VecDeque<Instant>,
    /// The client's requests sent and not yet answered.
    in_flight: usize,
}

impl Times {
    /// Forgets the times at least `period` before `now`.
    fn expire(&mut self, now: Instant, period: Duration) {
        while self
            .times
            .front()
            .is_some_and(|t| now.saturating_duration_since(*t) >= period)
        {
            self.times.pop_front();
        }
    }
}

/// A client request's place in its budget, held from when it is sent until its answer (or
/// its failure) came: then the answer's time is counted ([`Window::take`]).
#[derive(Debug)]
pub struct Place(Arc<Window>);

impl Drop for Place {
    fn drop(&mut self) {
        let now = Instant::now();
        if let Ok(mut held) = self.0.sent.lock() {
            held.in_flight = held.in_flight.saturating_sub(1);
            // Kept in order: a later drop never records an earlier time.
            let at = held.times.back().map_or(now, |last| now.max(*last));
            held.times.push_back(at);
        }
    }
}

impl Window {
    /// At most `limit` requests in any `period` (a `limit` of 0 counts as 1).
    pub fn new(limit: u32, period: Duration) -> Self {
        let limit = usize::try_from(limit).unwrap_or(usize::MAX).max(1);
        Window {
            limit,
            period,
            sent: Mutex::new(Times {
                times: VecDeque::with_capacity(limit.min(1024)),
                in_flight: 0,
            }),
        }
    }

    /// How long until the window has room at `now` (zero when it has).
    pub fn wait_time(&self, now: Instant) -> Duration {
        let Ok(mut held) = self.sent.lock() else {
            return Duration::ZERO;
        };
        held.expire(now, self.period);
        if held.times.len() + held.in_flight < self.limit {
            return Duration::ZERO;
        }
        match held.times.front() {
            Some(oldest) => (*oldest + self.period).saturating_duration_since(now),
            // Every place is in flight: the first answer frees one.
            None => IN_FLIGHT_POLL,
        }
    }

    /// Records an arrival at `now` when it fits in the window; `false` (nothing recorded) when
    /// `limit` requests arrived in the `period` before `now`. (The simulator's side.)
    pub fn admit(&self, now: Instant) -> bool {
        let Ok(mut held) = self.sent.lock() else {
            return true;
        };
        held.expire(now, self.period);
        if held.times.len() >= self.limit {
            return false;
        }
        held.times.push_back(now);
        true
    }

    /// A place for a request about to be sent, when fewer than `limit` are in flight or were
    /// answered in the last `period`; counted from its answer once the [`Place`] is dropped.
    /// (The client's side.)
    pub fn take(self: &Arc<Self>, now: Instant) -> Option<Place> {
        let Ok(mut held) = self.sent.lock() else {
            return None;
        };
        held.expire(now, self.period);
        if held.times.len() + held.in_flight >= self.limit {
            return None;
        }
        held.in_flight += 1;
        Some(Place(self.clone()))
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
    fn the_client_counts_each_request_from_its_answer() {
        let w = Arc::new(Window::new(2, Duration::from_millis(200)));
        let t0 = Instant::now();
        let a = w.take(t0);
        let b = w.take(t0);
        assert!(a.is_some() && b.is_some());
        assert!(w.take(t0).is_none(), "two in flight fill a window of two");
        assert_eq!(
            w.wait_time(t0),
            IN_FLIGHT_POLL,
            "all in flight: look again soon"
        );
        drop(a);
        let answered = Instant::now();
        assert!(
            w.take(answered).is_none(),
            "an answer counts for the period after it"
        );
        assert!(w.wait_time(answered) > Duration::from_millis(150));
        let later = answered + Duration::from_millis(200);
        assert!(
            w.take(later).is_some(),
            "a period after the answer, a place again"
        );
        drop(b);
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
