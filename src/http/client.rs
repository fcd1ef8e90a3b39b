//! One HTTP client for the whole run: connection reuse, a global bound on requests in flight,
//! per-request timeouts, retries of transient failures, and request logs without secrets.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use bytes::Bytes;
use rand::RngExt;
use reqwest::header::HeaderMap;
use tokio::sync::Semaphore;
use url::Url;

use super::rate::{self, Budgets, RateLimit};
use super::redact;
use crate::error::{Error, Result, Target};

/// Knobs of the HTTP layer.
#[derive(Debug, Clone)]
pub struct HttpOptions {
    /// Timeout of one request, answer body included.
    pub timeout: Duration,
    /// Retries after the first attempt, for transient failures.
    pub retries: u32,
    /// Requests in flight at once, across every target.
    pub concurrency: usize,
    /// First retry delay; doubled each time, with full jitter.
    pub backoff_base: Duration,
    /// Longest delay between two attempts.
    pub backoff_max: Duration,
    /// Keep to the request-rate limits the providers declare ([`HttpClient::rate_limited`]).
    pub rate_limits: bool,
}

impl Default for HttpOptions {
    fn default() -> Self {
        HttpOptions {
            timeout: Duration::from_secs(30),
            retries: 3,
            concurrency: 32,
            backoff_base: Duration::from_millis(200),
            backoff_max: Duration::from_secs(20),
            rate_limits: true,
        }
    }
}

/// An answer read whole.
#[derive(Debug, Clone)]
pub struct Answer {
    /// HTTP status.
    pub status: u16,
    /// Response headers.
    pub headers: HeaderMap,
    /// Response body.
    pub body: Bytes,
}

impl Answer {
    /// A header's value as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The server's `Retry-After`, in seconds.
    pub fn retry_after(&self) -> Option<Duration> {
        self.header("retry-after")
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs)
    }

    /// The first bytes of the body, as text, for error messages; registered secrets masked
    /// (a server may quote the request back, [`crate::secret`]).
    pub fn body_start(&self) -> String {
        crate::secret::excerpt(&self.body, 160)
    }
}

/// The run's HTTP client. Cheap to clone.
#[derive(Debug, Clone)]
pub struct HttpClient {
    inner: reqwest::Client,
    limit: Arc<Semaphore>,
    options: Arc<HttpOptions>,
    requests: Arc<AtomicU64>,
    /// The rate limit of the API this clone talks to ([`HttpClient::rate_limited`]).
    rate: Option<RateLimit>,
    /// Every API's budget, shared by all clones.
    budgets: Arc<Budgets>,
}

impl HttpClient {
    /// Builds the client (rustls with webpki roots, gzip, keep-alive).
    pub fn new(options: HttpOptions) -> Result<Self> {
        let mut builder = reqwest::Client::builder().no_proxy();
        for p in super::proxy::from_env(|k| std::env::var(k).ok()) {
            builder = builder.proxy(p);
        }
        let inner = builder
            .user_agent(concat!("imgcat/", env!("CARGO_PKG_VERSION")))
            .gzip(true)
            .pool_max_idle_per_host(options.concurrency.max(1))
            .tcp_nodelay(true)
            // None of the image APIs redirects; following one would send the signed headers
            // (tokens included) to whatever host the answer names. A 3xx is an error instead.
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(options.timeout.min(Duration::from_secs(10)))
            .build()
            .map_err(|e| Error::Config(format!("cannot set up HTTP: {e}")))?;
        Ok(HttpClient {
            inner,
            limit: Arc::new(Semaphore::new(options.concurrency.max(1))),
            options: Arc::new(options),
            requests: Arc::new(AtomicU64::new(0)),
            rate: None,
            budgets: Arc::new(Budgets::new(rate::CLIENT_WINDOW)),
        })
    }

    /// This client for an API with the request-rate limit `limit`: every attempt waits (without
    /// holding a request slot) until it fits in the API's budget, shared with every other
    /// clone that declares the same API (per region where the limit is regional).
    pub fn rate_limited(&self, limit: RateLimit) -> HttpClient {
        HttpClient {
            rate: self.options.rate_limits.then_some(limit),
            ..self.clone()
        }
    }

    /// The underlying reqwest client, to build requests with.
    pub fn reqwest(&self) -> &reqwest::Client {
        &self.inner
    }

    /// The options in force.
    pub fn options(&self) -> &HttpOptions {
        &self.options
    }

    /// Requests sent so far (every attempt counts).
    pub fn requests_sent(&self) -> u64 {
        self.requests.load(Ordering::Relaxed)
    }

    /// Sends the request `build` makes and decodes the answer with `decode`.
    ///
    /// `build` is called for every attempt, so each attempt is signed afresh. A transient
    /// failure (see [`Error::is_transient`]) of the exchange or of `decode` is retried with
    /// exponential backoff and full jitter, honouring `Retry-After`. The answer is decoded in
    /// the calling task: handing large answers to the blocking pool, and holding back slots and
    /// decoders for requests on sequential chains, bought nothing measurable (docs/BENCHMARK.md,
    /// "Performance devices").
    pub async fn call<T, D>(
        &self,
        target: &Target,
        build: impl Fn() -> Result<reqwest::Request>,
        decode: D,
    ) -> Result<T>
    where
        D: Fn(&Target, Answer) -> Result<T>,
    {
        let mut attempt = 0u32;
        loop {
            let request = build()?;
            let outcome = match self.exchange(target, request).await {
                Ok(answer) => decode(target, answer),
                Err(e) => Err(e),
            };
            match outcome {
                Err(e) if e.is_transient() && attempt < self.options.retries => {
                    let mut delay = self.backoff(attempt, e.retry_after());
                    if e.is_throttled() {
                        // The APIs count per second: before the next second a retry is refused
                        // again.
                        delay = delay.max(THROTTLED_MIN_DELAY);
                    }
                    attempt += 1;
                    let e = e.masked();
                    tracing::info!(
                        "{target}: retry {attempt}/{} in {} ms after: {e}",
                        self.options.retries,
                        delay.as_millis()
                    );
                    tokio::time::sleep(delay).await;
                }
                // What the server sent may quote the request's credentials back.
                other => return other.map_err(Error::masked),
            }
        }
    }

    fn backoff(&self, attempt: u32, retry_after: Option<Duration>) -> Duration {
        let exp = self
            .options
            .backoff_base
            .saturating_mul(2u32.saturating_pow(attempt))
            .min(self.options.backoff_max);
        let jittered = Duration::from_millis(rand::rng().random_range(0..=exp.as_millis() as u64));
        match retry_after {
            Some(ra) => ra.min(self.options.backoff_max).max(jittered),
            None => jittered,
        }
    }

    /// A request slot, taken when the API's rate budget
    /// has room: the wait for the budget holds no slot, so other APIs' requests go meanwhile,
    /// and the request is counted in the budget only once it holds its slot and leaves.
    async fn slot(
        &self,
        target: &Target,
    ) -> Result<(tokio::sync::SemaphorePermit<'_>, Option<rate::Place>)> {
        let window = self.rate.map(|r| self.budgets.window(&r, &target.region));
        loop {
            if let Some(w) = &window {
                let wait = w.wait_time(Instant::now());
                if !wait.is_zero() {
                    tracing::debug!(
                        "{target}: waiting {} ms for the API's rate limit",
                        wait.as_millis()
                    );
                    tokio::time::sleep(wait).await;
                    continue;
                }
            }
            let permit = self.limit.acquire().await.map_err(closed)?;
            match &window {
                None => return Ok((permit, None)),
                Some(w) => {
                    if let Some(place) = w.take(Instant::now()) {
                        return Ok((permit, Some(place)));
                    }
                }
            }
            // Another request took the budget's room while this one waited for a slot.
        }
    }

    async fn exchange(&self, target: &Target, request: reqwest::Request) -> Result<Answer> {
        let url = request.url().clone();
        let method = request.method().clone();
        if tracing::enabled!(tracing::Level::TRACE) {
            for (name, value) in request.headers() {
                let v = value.to_str().unwrap_or("<binary>");
                tracing::trace!(
                    "{target}: > {name}: {}",
                    redact::header_value(name.as_str(), v)
                );
            }
        }
        let (_permit, place) = self.slot(target).await?;
        self.requests.fetch_add(1, Ordering::Relaxed);
        let started = Instant::now();
        let result = tokio::time::timeout(self.options.timeout, async {
            let executed = self.inner.execute(request).await;
            // The server has the request once its answer begins: counted from now.
            drop(place);
            let mut response = executed?;
            let status = response.status().as_u16();
            let headers = response.headers().clone();
            let body = read_capped(&mut response).await;
            Ok::<_, reqwest::Error>((status, headers, body))
        })
        .await;
        let elapsed = started.elapsed().as_millis();
        let shown = redact::url(&url);
        match result {
            Err(_) => {
                tracing::info!("{target}: {method} {shown} -> timeout after {elapsed} ms");
                Err(network(target, &url, "timed out".into(), true, false))
            }
            Ok(Err(e)) => {
                tracing::info!("{target}: {method} {shown} -> error after {elapsed} ms");
                Err(network(target, &url, describe(&e), e.is_timeout(), false))
            }
            Ok(Ok((status, headers, Err(BodyError::TooLarge(seen))))) => {
                tracing::info!(
                    "{target}: {method} {shown} -> {status}, answer over {} MiB",
                    MAX_ANSWER >> 20
                );
                Err(Error::Malformed {
                    target: target.clone(),
                    status,
                    request_id: headers
                        .get("x-request-id")
                        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned()),
                    detail: format!(
                        "the answer is larger than {} MiB ({seen} bytes or more): no page of these APIs is; refused rather than held in memory (check the endpoint)",
                        MAX_ANSWER >> 20
                    ),
                    body_start: String::new(),
                    truncated: false,
                })
            }
            Ok(Ok((status, _, Err(BodyError::Read(e))))) => {
                tracing::info!("{target}: {method} {shown} -> {status}, body cut short");
                Err(network(
                    target,
                    &url,
                    format!("answer cut short: {}", describe(&e)),
                    false,
                    true,
                ))
            }
            Ok(Ok((status, headers, Ok(body)))) => {
                tracing::info!(
                    "{target}: {method} {shown} -> {status} ({} bytes, {elapsed} ms)",
                    body.len()
                );
                if tracing::enabled!(tracing::Level::TRACE) {
                    for (name, value) in &headers {
                        let v = value.to_str().unwrap_or("<binary>");
                        tracing::trace!(
                            "{target}: < {name}: {}",
                            redact::header_value(name.as_str(), v)
                        );
                    }
                }
                if (300..400).contains(&status) {
                    let location = headers
                        .get(reqwest::header::LOCATION)
                        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
                    return Err(Error::Redirect {
                        target: target.clone(),
                        status,
                        location: location.map(|l| redact::location(&url, &l)),
                    });
                }
                Ok(Answer {
                    status,
                    headers,
                    body,
                })
            }
        }
    }
}

/// The largest answer body read: ten times the largest page of any of these APIs (1,000 IMS
/// images with every member, about 3 MB; CPH's unpaged answers stay under it for 10,000 images).
/// A larger body is refused as it streams in, before it is held whole.
pub const MAX_ANSWER: usize = 32 << 20;

/// Why a body could not be read.
enum BodyError {
    /// The connection failed or the body ended early.
    Read(reqwest::Error),
    /// More than [`MAX_ANSWER`] bytes (announced by `Content-Length`, or read).
    TooLarge(u64),
}

/// Reads the body of `response`, at most [`MAX_ANSWER`] bytes.
async fn read_capped(response: &mut reqwest::Response) -> Result<Bytes, BodyError> {
    if let Some(len) = response.content_length()
        && len > MAX_ANSWER as u64
    {
        return Err(BodyError::TooLarge(len));
    }
    let mut first: Option<Bytes> = None;
    let mut rest: Vec<u8> = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(BodyError::Read)? {
        let so_far = if rest.is_empty() {
            first.as_ref().map_or(0, Bytes::len)
        } else {
            rest.len()
        };
        let held = so_far + chunk.len();
        if held > MAX_ANSWER {
            return Err(BodyError::TooLarge(held as u64));
        }
        match &first {
            // The usual case, one chunk: kept as it came, no copy.
            None => first = Some(chunk),
            Some(f) => {
                if rest.is_empty() {
                    rest.reserve(
                        response
                            .content_length()
                            .map_or(2 * f.len(), |l| l as usize),
                    );
                    rest.extend_from_slice(f);
                }
                rest.extend_from_slice(&chunk);
            }
        }
    }
    Ok(if rest.is_empty() {
        first.unwrap_or_default()
    } else {
        Bytes::from(rest)
    })
}

/// The shortest wait before retrying a request the API refused for its rate limit: the APIs
/// count requests per second ([`super::rate`]), plus the client's margin.
const THROTTLED_MIN_DELAY: Duration = rate::CLIENT_WINDOW;

/// A semaphore of the client's was closed (never happens: they are never closed).
fn closed(_: tokio::sync::AcquireError) -> Error {
    Error::internal("HTTP", "a request semaphore was closed")
}

fn network(target: &Target, url: &Url, detail: String, timeout: bool, body: bool) -> Error {
    Error::Network {
        target: target.clone(),
        url: redact::url_base(url),
        detail,
        timeout,
        body,
    }
}

/// A reqwest error as one line, without the URL (its query may hold a signature).
fn describe(e: &reqwest::Error) -> String {
    let mut parts = Vec::new();
    let mut source: Option<&dyn std::error::Error> = std::error::Error::source(e);
    while let Some(s) = source {
        parts.push(s.to_string());
        source = s.source();
    }
    let head = if e.is_connect() {
        "connection failed"
    } else if e.is_timeout() {
        "timed out"
    } else if e.is_body() || e.is_decode() {
        "bad response body"
    } else {
        "request failed"
    };
    if parts.is_empty() {
        head.to_string()
    } else {
        format!("{head}: {}", parts.join(": "))
    }
}
