//! The shared HTTP layer: one client for the run, retries with backoff, request-rate limits,
//! redacted request logs, and the two pagers every adapter uses.

mod client;
pub mod pager;
pub mod proxy;
pub mod rate;
pub mod redact;

pub use client::{Answer, HttpClient, HttpOptions};
pub use rate::{RateLimit, RateScope};
