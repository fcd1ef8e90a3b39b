//! Typed errors and the exit codes they map to.
//!
//! Every message is one line, names the provider (and region) it concerns, and never holds a
//! secret: errors are built from status codes, provider error codes and messages, and URLs whose
//! secret query parameters were redacted (see [`crate::http::redact`]). What a server sent (its
//! message, code, request id, the start of its body) can quote the request's credentials back:
//! it is masked ([`crate::secret::mask`]) as the error is built ([`Error::api`],
//! [`Error::masked`]), and every message is masked again where it is printed.

use std::fmt;
use std::time::Duration;

use crate::providers::ProviderId;

/// Process exit codes. Documented in the README; scripts rely on them.
pub mod exit {
    /// Success: the listing is complete.
    pub const OK: i32 = 0;
    /// `show`/`check`: no matching image.
    pub const NOT_FOUND: i32 = 1;
    /// Bad command-line usage (clap's own code too).
    pub const USAGE: i32 = 2;
    /// Missing or invalid local configuration or credentials.
    pub const CONFIG: i32 = 3;
    /// The provider rejected the credentials or signature.
    pub const AUTH: i32 = 4;
    /// The provider answered with an error, an answer imgcat cannot read, or an inconsistent listing.
    pub const API: i32 = 5;
    /// The provider could not be reached (connection, TLS, timeout).
    pub const NETWORK: i32 = 6;
    /// Several targets: some succeeded and were printed, some failed.
    pub const PARTIAL: i32 = 7;
    /// An internal failure of imgcat itself (a task that panicked, a closed semaphore): a bug to
    /// report, not a problem with the configuration or the provider.
    pub const INTERNAL: i32 = 8;
    /// `wait`: the time was up before the image had the status.
    pub const WAIT_TIMEOUT: i32 = 9;
}

/// Where an error happened: a provider and, when known, a region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The provider.
    pub provider: ProviderId,
    /// The region or zone.
    pub region: String,
}

impl Target {
    /// `provider` in `region`.
    pub fn new(provider: ProviderId, region: &str) -> Self {
        Target {
            provider,
            region: region.to_string(),
        }
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.region.is_empty() {
            write!(f, "{}", self.provider)
        } else {
            write!(f, "{} ({})", self.provider, self.region)
        }
    }
}

/// What a provider's error means, decided by its adapter from the provider's own codes (and the
/// HTTP status), never from message text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The credentials or the signature were rejected (exit 4, with the credential variables).
    Auth,
    /// Rate limited: retried with backoff (and `Retry-After`), then exit 5.
    Throttled,
    /// A passing failure of the provider (5xx, internal errors): retried, then exit 5.
    Transient,
    /// The request was refused as wrong (bad parameter, unknown region): not retried, exit 5.
    BadRequest,
    /// Anything else the provider answered: not retried, exit 5.
    Other,
}

impl ErrorKind {
    /// The kind an HTTP status alone says: 401/403 auth, 429 throttled, 500/502/503/504
    /// transient, other 4xx bad request. Adapters fall back to it for codes they do not know.
    pub fn from_status(status: u16) -> ErrorKind {
        match status {
            401 | 403 => ErrorKind::Auth,
            429 => ErrorKind::Throttled,
            500 | 502 | 503 | 504 => ErrorKind::Transient,
            400..=499 => ErrorKind::BadRequest,
            _ => ErrorKind::Other,
        }
    }
}

/// An error answer from a provider, with everything a user needs to report it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// Where.
    pub target: Target,
    /// HTTP status.
    pub status: u16,
    /// The provider's error code (`APIGW.0301`, `AuthFailure.SignatureFailure`, ...).
    pub code: Option<String>,
    /// The provider's message.
    pub message: String,
    /// The request id the provider gave.
    pub request_id: Option<String>,
    /// The server asked to wait this long (`Retry-After`).
    pub retry_after: Option<Duration>,
    /// What it means (set by the adapter from the provider's codes).
    pub kind: ErrorKind,
}

/// Every error imgcat reports.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Bad command-line input detected after parsing (unknown region, bad filter value, ...).
    #[error("{0}")]
    Usage(String),
    /// Missing or invalid configuration or credentials.
    #[error("{0}")]
    Config(String),
    /// The provider answered with an error.
    #[error("{}", fmt_api(.0))]
    Api(Box<ApiError>),
    /// The answer could not be read (invalid JSON, missing fields, an HTML page).
    #[error("{target}: unreadable answer (HTTP {status}{}): {}; body starts: {body_start:?}", fmt_rid(.request_id), printable(.detail))]
    Malformed {
        /// Where.
        target: Target,
        /// HTTP status.
        status: u16,
        /// Request id, when one could be found.
        request_id: Option<String>,
        /// What was wrong.
        detail: String,
        /// The first bytes of the body.
        body_start: String,
        /// The body ended before the JSON did (an answer cut short that still looked whole to
        /// HTTP): worth another try, unlike any other unreadable answer.
        truncated: bool,
    },
    /// The listing is known to be incomplete or inconsistent (paging loop, short pages, ...).
    #[error("{target}: listing is incomplete: {detail}")]
    Incomplete {
        /// Where.
        target: Target,
        /// What went wrong.
        detail: String,
    },
    /// The provider could not be reached.
    #[error("{target}: cannot reach {url}: {detail}; check the endpoint and the network{}", if *.timeout { " (or raise --timeout)" } else { "" })]
    Network {
        /// Where.
        target: Target,
        /// The URL without its query.
        url: String,
        /// The cause.
        detail: String,
        /// The request timed out.
        timeout: bool,
        /// The body was cut short after the answer began.
        body: bool,
    },
    /// The server answered with a redirect, which imgcat never follows: the request carried
    /// credentials meant for this endpoint only.
    #[error("{target}: HTTP {status} redirect to {} not followed (none of these APIs redirects, and the request carries credentials); check the endpoint", .location.as_deref().map(printable).unwrap_or("an unnamed location".into()))]
    Redirect {
        /// Where.
        target: Target,
        /// The 3xx status.
        status: u16,
        /// The `Location` it named (without query), when it named one.
        location: Option<String>,
    },
    /// Writing the output failed.
    #[error("cannot write output: {0}")]
    Output(#[source] std::io::Error),
    /// imgcat itself failed (a decoding task panicked, a semaphore closed): a bug.
    #[error("{context}: internal error: {detail} (a bug in imgcat; please report it)")]
    Internal {
        /// Where (a target, or what imgcat was doing).
        context: String,
        /// What failed.
        detail: String,
    },
}

/// `s` with control characters (newlines, terminal escapes) escaped: what a provider sends
/// (message, code, request id) is printed on one line and cannot drive the terminal.
fn printable(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(char::is_control) {
        return s.into();
    }
    s.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect::<String>()
        .into()
}

fn fmt_rid(request_id: &Option<String>) -> String {
    match request_id {
        Some(id) => format!(", request id {}", printable(id)),
        None => String::new(),
    }
}

fn fmt_api(e: &ApiError) -> String {
    let code = e
        .code
        .as_deref()
        .map(|c| format!(" {}", printable(c)))
        .unwrap_or_default();
    let mut s = format!(
        "{}: HTTP {}{code}: {}{}",
        e.target,
        e.status,
        printable(e.message.trim()),
        fmt_rid(&e.request_id)
    );
    if e.kind == ErrorKind::Auth {
        s.push_str(&format!(
            "; check the credentials ({})",
            crate::config::credential_vars(e.target.provider)
        ));
    }
    s
}

impl Error {
    /// The exit code this error maps to.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Usage(_) => exit::USAGE,
            Error::Config(_) => exit::CONFIG,
            Error::Api(e) if e.kind == ErrorKind::Auth => exit::AUTH,
            Error::Api(_)
            | Error::Malformed { .. }
            | Error::Incomplete { .. }
            | Error::Redirect { .. } => exit::API,
            Error::Network { .. } => exit::NETWORK,
            Error::Output(_) => exit::API,
            Error::Internal { .. } => exit::INTERNAL,
        }
    }

    /// A transient failure worth retrying: connection errors, timeouts, bodies cut short or
    /// ending before their JSON does, and provider errors their adapter calls throttled or
    /// transient ([`ErrorKind`]).
    pub fn is_transient(&self) -> bool {
        match self {
            Error::Network { .. } => true,
            Error::Api(e) => matches!(e.kind, ErrorKind::Throttled | ErrorKind::Transient),
            Error::Malformed { truncated, .. } => *truncated,
            _ => false,
        }
    }

    /// The provider refused the request for its rate limit (the adapter's [`ErrorKind::Throttled`]):
    /// the API's per-second budget is spent, so a retry waits for the next second.
    pub fn is_throttled(&self) -> bool {
        matches!(self, Error::Api(e) if e.kind == ErrorKind::Throttled)
    }

    /// How long the server asked to wait before retrying.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::Api(e) => e.retry_after,
            _ => None,
        }
    }

    /// Stdout was closed by its reader (`imgcat list | head`): not a failure of the listing.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Output(e) if e.kind() == std::io::ErrorKind::BrokenPipe)
    }

    /// Builds an [`Error::Api`], with every registered secret masked in what the server sent
    /// (a message quoting the request's headers would print the token otherwise).
    pub fn api(mut e: ApiError) -> Self {
        let m = crate::secret::masker();
        m.in_place(&mut e.message);
        for s in [&mut e.code, &mut e.request_id].into_iter().flatten() {
            m.in_place(s);
        }
        m.in_place(&mut e.target.region);
        Error::Api(Box::new(e))
    }

    /// This error with every registered secret (and signature) masked in each of its texts
    /// ([`crate::secret::mask`]): what the server sent (messages, body starts, `Location`),
    /// and the rest too. Applied to every error of a request ([`crate::http::HttpClient::call`]).
    pub fn masked(mut self) -> Self {
        let m = crate::secret::masker();
        let mut all: Vec<&mut String> = Vec::new();
        match &mut self {
            Error::Usage(s) | Error::Config(s) => all.push(s),
            Error::Api(e) => {
                all.extend([&mut e.target.region, &mut e.message]);
                all.extend([&mut e.code, &mut e.request_id].into_iter().flatten());
            }
            Error::Malformed {
                target,
                request_id,
                detail,
                body_start,
                ..
            } => {
                all.extend([&mut target.region, detail, body_start]);
                all.extend(request_id.as_mut());
            }
            Error::Incomplete { target, detail } => all.extend([&mut target.region, detail]),
            Error::Network {
                target,
                url,
                detail,
                ..
            } => all.extend([&mut target.region, url, detail]),
            Error::Redirect {
                target, location, ..
            } => {
                all.push(&mut target.region);
                all.extend(location.as_mut());
            }
            Error::Output(_) => {}
            Error::Internal { context, detail } => all.extend([context, detail]),
        }
        for s in all {
            m.in_place(s);
        }
        self
    }
}

impl From<std::io::Error> for Error {
    /// A write failure; but a `--query` expression that failed on the document (reported by the
    /// sink that applies it, [`crate::output::query_failed`]) is a usage error.
    fn from(e: std::io::Error) -> Self {
        if let Some(query) = e
            .get_ref()
            .and_then(|inner| inner.downcast_ref::<crate::json_query::QueryError>())
        {
            return Error::Usage(query.to_string());
        }
        Error::Output(e)
    }
}

/// Library result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An [`Error::Malformed`] without a body to quote.
    pub fn malformed(target: &Target, status: u16, detail: String) -> Self {
        Error::Malformed {
            target: target.clone(),
            status,
            request_id: None,
            detail,
            body_start: String::new(),
            truncated: false,
        }
    }

    /// An [`Error::Malformed`] quoting the answer it is about.
    pub fn malformed_answer(
        target: &Target,
        answer: &crate::http::Answer,
        request_id: Option<String>,
        detail: String,
    ) -> Self {
        Error::Malformed {
            target: target.clone(),
            status: answer.status,
            request_id,
            detail,
            body_start: answer.body_start(),
            truncated: false,
        }
    }

    /// An [`Error::Internal`].
    pub fn internal(context: impl std::fmt::Display, detail: impl std::fmt::Display) -> Self {
        Error::Internal {
            context: context.to_string(),
            detail: detail.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target() -> Target {
        Target::new(
            crate::providers::ProviderId::from_static("zenlayer"),
            "FRA-A",
        )
    }

    #[test]
    fn server_text_is_masked_as_the_error_is_built_and_when_masked_again() {
        crate::secret::register("error-test-secret-4e1d");
        let quoted = "headers: x-auth-token: error-test-secret-4e1d";
        let e = Error::api(ApiError {
            target: target(),
            status: 400,
            code: Some("Code.error-test-secret-4e1d".into()),
            message: quoted.into(),
            request_id: Some("rid-error-test-secret-4e1d".into()),
            retry_after: None,
            kind: ErrorKind::BadRequest,
        });
        let shown = e.to_string();
        assert_eq!(
            shown,
            "zenlayer (FRA-A): HTTP 400 Code.***: headers: x-auth-token: ***, request id rid-***"
        );
        let others = [
            Error::Malformed {
                target: target(),
                status: 200,
                request_id: Some("error-test-secret-4e1d".into()),
                detail: format!("invalid type: string {quoted:?}"),
                body_start: quoted.into(),
                truncated: false,
            },
            Error::Incomplete {
                target: target(),
                detail: quoted.into(),
            },
            Error::Network {
                target: target(),
                url: "http://127.0.0.1:1/".into(),
                detail: quoted.into(),
                timeout: false,
                body: false,
            },
            Error::Redirect {
                target: target(),
                status: 302,
                location: Some(format!("http://h/{quoted}")),
            },
            Error::Config(quoted.into()),
            Error::internal("x", quoted),
        ];
        for e in others {
            let before = e.to_string();
            assert!(before.contains("error-test-secret-4e1d"), "{before}");
            let after = e.masked().to_string();
            assert!(!after.contains("error-test-secret"), "{after}");
            assert!(after.contains("***"), "{after}");
        }
    }
}
