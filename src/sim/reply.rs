//! Response builders every simulated API uses: request ids, JSON bodies, query parsing.

use std::sync::atomic::{AtomicU64, Ordering};

use axum::body::Body;
use axum::response::Response;
use http::{HeaderValue, StatusCode, header};

use super::catalog::mix;

static REQUESTS: AtomicU64 = AtomicU64::new(0);

fn seed() -> u64 {
    static SEED: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    *SEED.get_or_init(|| {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0);
        mix(nanos ^ u64::from(std::process::id()))
    })
}

/// A fresh 32-hex request id.
pub(crate) fn request_id() -> String {
    let n = REQUESTS.fetch_add(1, Ordering::Relaxed);
    let a = mix(seed() ^ n);
    format!("{:016x}{:016x}", a, mix(a))
}

/// A fresh UUID-shaped request id.
pub(crate) fn request_uuid() -> String {
    let h = request_id();
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// A JSON response with `X-Request-Id`.
pub(crate) fn json_bytes(status: StatusCode, rid: &str, body: impl Into<Body>) -> Response {
    let mut resp = Response::new(body.into());
    *resp.status_mut() = status;
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json;charset=UTF-8"),
    );
    if let Ok(v) = HeaderValue::from_str(rid) {
        h.insert("x-request-id", v);
    }
    resp
}

/// A plain-text response (metadata services answer some paths in text).
pub(crate) fn text(status: StatusCode, body: impl Into<String>) -> Response {
    let mut resp = Response::new(Body::from(body.into()));
    *resp.status_mut() = status;
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    resp
}

/// A JSON value response.
pub(crate) fn json_value(status: StatusCode, rid: &str, v: &serde_json::Value) -> Response {
    json_bytes(status, rid, serde_json::to_vec(v).unwrap_or_default())
}

/// Decoded `application/x-www-form-urlencoded` pairs (also right for query strings: `+` is a
/// space, `%XX` bytes, invalid UTF-8 replaced). Never fails.
pub(crate) fn form_pairs(raw: &[u8]) -> Vec<(String, String)> {
    url::form_urlencoded::parse(raw)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// The value of the first `key` in `pairs`.
pub(crate) fn first<'a>(pairs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

/// Percent-encodes like Python's `quote(s, safe='~')` (RFC 3986 unreserved stay).
pub(crate) fn quote(s: &str) -> String {
    const SET: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    percent_encoding::utf8_percent_encode(s, SET).to_string()
}

/// Concatenates pre-serialized JSON objects into `prefix [a,b,c] suffix`.
pub(crate) fn join_items<'a>(
    prefix: &str,
    items: impl Iterator<Item = &'a bytes::Bytes>,
    suffix: &str,
    capacity: usize,
) -> Vec<u8> {
    let mut out = Vec::with_capacity(capacity + prefix.len() + suffix.len() + 2);
    out.extend_from_slice(prefix.as_bytes());
    out.push(b'[');
    for (i, b) in items.enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b);
    }
    out.push(b']');
    out.extend_from_slice(suffix.as_bytes());
    out
}

/// A JSON string literal (quoted and escaped).
pub(crate) fn js(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_string())
}

/// Parses a non-negative integer query value; `None` for anything else (incl. overflow).
pub(crate) fn parse_uint(s: &str) -> Option<u64> {
    let s = s.trim();
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}
