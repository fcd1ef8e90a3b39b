//! What every simulated gateway's credential check uses. The checks themselves live with each
//! provider's simulator and answer in the API's own error shape.
//!
//! Signatures are verified by the providers' `verify` functions (pure, the signers' twins). A
//! panic inside one is caught ([`guarded`]) and answered as a bad signature, so a request can
//! never take the server down.

use std::panic::{AssertUnwindSafe, catch_unwind};

use axum::response::Response;
use http::HeaderMap;

use crate::sign::VerifyError;

/// The usual allowed clock skew of a signed request's timestamp, seconds (5 minutes).
pub(crate) const SKEW_SECS: i64 = 300;

/// The error response of a failed check (boxed: a `Response` is large).
pub(crate) type Rejection = Box<Response>;

/// A header's value as text.
pub(crate) fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// Runs a verifier, turning a panic inside it into a malformed-signature error.
pub(crate) fn guarded<T>(f: impl FnOnce() -> Result<T, VerifyError>) -> Result<T, VerifyError> {
    catch_unwind(AssertUnwindSafe(f))
        .unwrap_or_else(|_| Err(VerifyError::Malformed("verifier failed".to_string())))
}
