//! Huawei Cloud SDK-HMAC-SHA256 (huaweicloudsdkcore `signer/signer.py`).
//!
//! Canonical request, exactly as the SDK builds it:
//! ```text
//! METHOD \n URI \n QUERY \n HEADERS \n SIGNED_HEADERS \n PAYLOAD_HASH
//! ```
//! * URI: the path percent-decoded, split on `/`, each segment encoded like Python
//!   `quote(s, safe='~')`, always ending with `/`.
//! * QUERY: `(name, value)` pairs decoded from the URL, sorted by name then value (raw, before
//!   encoding), each encoded like the URI segments, joined `name=value&...`. The SDK sends the
//!   very same string as the URL's query; [`encode_query`] produces it.
//! * HEADERS: every header whose name has no `_`, lower-cased, value trimmed, sorted,
//!   `name:value\n` each (then the blank line the format's `\n` separator adds).
//! * PAYLOAD_HASH: hex SHA-256 of the body; the empty-body hash when there is none; the value of
//!   `X-Sdk-Content-Sha256` (`UNSIGNED-PAYLOAD`) when that header is present and the body is not
//!   empty.

use chrono::{DateTime, NaiveDateTime, TimeDelta, Utc};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use std::collections::BTreeMap;

use crate::sign::VerifyError;
use crate::sign::crypto::{constant_time_eq, hmac_sha256, sha256_hex};

/// The algorithm name in `Authorization` and the string to sign.
pub const ALGORITHM: &str = "SDK-HMAC-SHA256";

/// Format of `X-Sdk-Date` (chrono syntax), e.g. `20240102T030405Z`.
pub const DATE_FORMAT: &str = "%Y%m%dT%H%M%SZ";

/// The clock skew the API gateway tolerates between `X-Sdk-Date` and its own time.
pub const MAX_SKEW: TimeDelta = TimeDelta::minutes(15);

/// Header carrying a precomputed payload hash (`UNSIGNED-PAYLOAD`); the SDK adds it for
/// content types other than JSON/BSON.
pub const CONTENT_SHA256_HEADER: &str = "x-sdk-content-sha256";

/// Python's `quote(s, safe='~')`: everything but RFC 3986 unreserved characters is escaped.
const QUOTE_SAFE_TILDE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The headers a signed request must carry in addition to the ones passed to [`sign`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signed {
    /// Value of `X-Sdk-Date` (`YYYYMMDDTHHMMSSZ`).
    pub x_sdk_date: String,
    /// Value of `Authorization`.
    pub authorization: String,
}

/// A canonical request and the `SignedHeaders` list it was built with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CanonicalRequest {
    /// The canonical request text (what is hashed into the string to sign).
    pub text: String,
    /// The `;`-joined lower-case names of the signed headers.
    pub signed_headers: String,
}

/// Signs a request.
///
/// `url` is the full request URL exactly as it will be sent (scheme, host, optional port, path,
/// query). `headers` are the headers that will be sent besides `Host`, `X-Sdk-Date` and
/// `Authorization` (e.g. `Content-Type`, `User-Agent`, `X-Project-Id`, `X-Security-Token`); all
/// of them are signed, as the official SDK does, except names containing `_` (the SDK sends but
/// never signs those). `host` (with `:port` when the URL has a non-default port) and
/// `x-sdk-date` are added to the signed headers by this function; a `Host` in `headers` is used
/// instead of the URL's, any `X-Sdk-Date` / `Authorization` in `headers` is ignored.
///
/// The query is read from `url` with form decoding (`+` is a space); to send exactly what the
/// SDK sends, build it with [`encode_query`].
pub fn sign(
    method: &str,
    url: &url::Url,
    headers: &[(&str, &str)],
    body: &[u8],
    ak: &str,
    sk: &str,
    time: DateTime<Utc>,
) -> Signed {
    let x_sdk_date = format_date(time);
    let canonical = canonical_request(method, url, headers, body, time);
    let signature = signature(sk, &string_to_sign(&canonical.text, &x_sdk_date));
    Signed {
        authorization: authorization(ak, &canonical.signed_headers, &signature),
        x_sdk_date,
    }
}

/// The canonical request [`sign`] builds (exposed for tests and debugging).
pub fn canonical_request(
    method: &str,
    url: &url::Url,
    headers: &[(&str, &str)],
    body: &[u8],
    time: DateTime<Utc>,
) -> CanonicalRequest {
    let mut signed: BTreeMap<String, String> = BTreeMap::new();
    for (name, value) in headers {
        let name = name.to_ascii_lowercase();
        if name.contains('_') || name == "x-sdk-date" || name == "authorization" {
            continue;
        }
        signed.insert(name, value.trim().to_owned());
    }
    signed
        .entry("host".to_owned())
        .or_insert_with(|| host_header(url));
    signed.insert("x-sdk-date".to_owned(), format_date(time));
    let signed: Vec<(String, String)> = signed.into_iter().collect();
    build_canonical(method, url.path(), url.query(), &signed, body)
}

/// `SDK-HMAC-SHA256\n{x_sdk_date}\n{hex(sha256(canonical_request))}`.
pub fn string_to_sign(canonical_request: &str, x_sdk_date: &str) -> String {
    format!(
        "{ALGORITHM}\n{x_sdk_date}\n{}",
        sha256_hex(canonical_request.as_bytes())
    )
}

/// Formats a time as `X-Sdk-Date` (`YYYYMMDDTHHMMSSZ`, UTC).
pub fn format_date(time: DateTime<Utc>) -> String {
    time.format(DATE_FORMAT).to_string()
}

/// Encodes query pairs the way the SDK puts them on the wire and in the canonical request:
/// sorted by name then value, each part encoded like Python `quote(s, safe='~')`.
pub fn encode_query(pairs: &[(&str, &str)]) -> String {
    let mut sorted: Vec<(&str, &str)> = pairs.to_vec();
    sorted.sort_unstable();
    sorted
        .iter()
        .map(|(k, v)| format!("{}={}", quote(k), quote(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The `Host` header value for `url`: host, plus `:port` when the URL has a non-default port.
pub fn host_header(url: &url::Url) -> String {
    let host = url.host_str().unwrap_or_default();
    match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    }
}

/// Verifies a received request (used by the simulator).
///
/// `path` and `raw_query` are as received on the wire (still percent-encoded). `lookup` maps
/// an AK to its SK. `now` is the server's time; a request whose `X-Sdk-Date` is more than
/// 15 minutes away is [`VerifyError::Expired`]. Returns the AK on success.
///
/// The headers named in `SignedHeaders` are read from `headers` (which must include `Host`);
/// `host` and `x-sdk-date` must be among them.
pub fn verify(
    method: &str,
    path: &str,
    raw_query: Option<&str>,
    headers: &http::HeaderMap,
    body: &[u8],
    lookup: &dyn Fn(&str) -> Option<String>,
    now: DateTime<Utc>,
) -> Result<String, VerifyError> {
    let auth =
        header_str(headers, "authorization").ok_or_else(|| malformed("no Authorization header"))?;
    let auth = parse_authorization(&auth)?;
    let sk = lookup(&auth.access).ok_or(VerifyError::UnknownKey)?;

    let date = header_str(headers, "x-sdk-date").ok_or_else(|| malformed("no X-Sdk-Date"))?;
    let time = NaiveDateTime::parse_from_str(&date, DATE_FORMAT)
        .map_err(|_| malformed("bad X-Sdk-Date"))?
        .and_utc();
    if (now - time).abs() > MAX_SKEW {
        return Err(VerifyError::Expired);
    }

    let signed = signed_header_values(headers, &auth.signed_headers)?;
    let canonical = build_canonical(method, path, raw_query, &signed, body);
    let expected = signature(&sk, &string_to_sign(&canonical.text, &date));
    if constant_time_eq(expected.as_bytes(), auth.signature.as_bytes()) {
        Ok(auth.access)
    } else {
        Err(VerifyError::Mismatch)
    }
}

/// The parts of an `Authorization: SDK-HMAC-SHA256 Access=.., SignedHeaders=.., Signature=..`.
struct Authorization {
    access: String,
    signed_headers: Vec<String>,
    signature: String,
}

fn parse_authorization(value: &str) -> Result<Authorization, VerifyError> {
    let rest = value
        .strip_prefix(ALGORITHM)
        .and_then(|r| r.strip_prefix(' '))
        .ok_or_else(|| malformed("Authorization is not SDK-HMAC-SHA256"))?;
    let (mut access, mut signed, mut signature) = (None, None, None);
    for part in rest.split(',') {
        match part.trim().split_once('=') {
            Some(("Access", v)) => access = Some(v),
            Some(("SignedHeaders", v)) => signed = Some(v),
            Some(("Signature", v)) => signature = Some(v),
            _ => return Err(malformed("unexpected Authorization field")),
        }
    }
    match (access, signed, signature) {
        (Some(a), Some(h), Some(s)) if !a.is_empty() && !h.is_empty() && !s.is_empty() => {
            Ok(Authorization {
                access: a.to_owned(),
                signed_headers: h.split(';').map(str::to_owned).collect(),
                signature: s.to_owned(),
            })
        }
        _ => Err(malformed(
            "Authorization lacks Access, SignedHeaders or Signature",
        )),
    }
}

/// The `(name, trimmed value)` of each header listed in `SignedHeaders`, in that order.
fn signed_header_values(
    headers: &http::HeaderMap,
    names: &[String],
) -> Result<Vec<(String, String)>, VerifyError> {
    for required in ["host", "x-sdk-date"] {
        if !names.iter().any(|n| n == required) {
            return Err(malformed(&format!("{required} is not a signed header")));
        }
    }
    names
        .iter()
        .map(|name| {
            let value = header_str(headers, name)
                .ok_or_else(|| malformed(&format!("signed header {name} is missing")))?;
            Ok((name.clone(), value.trim().to_owned()))
        })
        .collect()
}

/// A header's value as text (the SDK sends UTF-8 bytes; anything else is decoded lossily).
fn header_str(headers: &http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
}

/// Builds the canonical request from wire parts and the (already chosen, ordered) signed headers.
fn build_canonical(
    method: &str,
    path: &str,
    raw_query: Option<&str>,
    signed: &[(String, String)],
    body: &[u8],
) -> CanonicalRequest {
    let headers: String = signed.iter().map(|(k, v)| format!("{k}:{v}\n")).collect();
    let signed_headers = signed
        .iter()
        .map(|(k, _)| k.as_str())
        .collect::<Vec<_>>()
        .join(";");
    let text = format!(
        "{}\n{}\n{}\n{}\n{}\n{}",
        method.to_ascii_uppercase(),
        canonical_uri(path),
        canonical_query(raw_query),
        headers,
        signed_headers,
        payload_hash(signed, body),
    );
    CanonicalRequest {
        text,
        signed_headers,
    }
}

/// The path decoded, split on `/`, each segment re-encoded, with a trailing `/`.
fn canonical_uri(path: &str) -> String {
    let decoded = percent_decode_str(path).decode_utf8_lossy();
    let mut uri = decoded.split('/').map(quote).collect::<Vec<_>>().join("/");
    if !uri.ends_with('/') {
        uri.push('/');
    }
    uri
}

/// The raw query decoded (form decoding: `+` is a space), then [`encode_query`]d.
fn canonical_query(raw_query: Option<&str>) -> String {
    let pairs: Vec<(String, String)> =
        url::form_urlencoded::parse(raw_query.unwrap_or_default().as_bytes())
            .into_owned()
            .collect();
    let borrowed: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    encode_query(&borrowed)
}

fn payload_hash(signed: &[(String, String)], body: &[u8]) -> String {
    if body.is_empty() {
        return sha256_hex(b"");
    }
    signed
        .iter()
        .find(|(k, _)| k == CONTENT_SHA256_HEADER)
        .map(|(_, v)| v.clone())
        .unwrap_or_else(|| sha256_hex(body))
}

fn quote(s: &str) -> String {
    utf8_percent_encode(s, QUOTE_SAFE_TILDE).to_string()
}

fn signature(sk: &str, string_to_sign: &str) -> String {
    hex::encode(hmac_sha256(sk.as_bytes(), string_to_sign.as_bytes()))
}

fn authorization(ak: &str, signed_headers: &str, signature: &str) -> String {
    format!("{ALGORITHM} Access={ak}, SignedHeaders={signed_headers}, Signature={signature}")
}

fn malformed(why: &str) -> VerifyError {
    VerifyError::Malformed(why.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use http::{HeaderMap, HeaderValue};

    const AK: &str = "AKTEST";
    const SK: &str = "sk-test";

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 1, 2, 3, 4, 5)
            .single()
            .unwrap_or_default()
    }

    fn lookup(ak: &str) -> Option<String> {
        (ak == AK).then(|| SK.to_owned())
    }

    struct Req {
        url: url::Url,
        headers: HeaderMap,
        body: Vec<u8>,
    }

    /// Signs a GET with a query and a token header and returns it as the server sees it.
    fn signed_request() -> Req {
        let url = url::Url::parse(&format!(
            "http://127.0.0.1:8080/v2/images?{}",
            encode_query(&[("name", "测试 镜像"), ("limit", "2")])
        ))
        .unwrap();
        let extra = [
            ("Content-Type", "application/json"),
            ("X-Security-Token", "tok+/="),
        ];
        let s = sign("GET", &url, &extra, b"", AK, SK, t0());
        let mut headers = HeaderMap::new();
        headers.insert("host", HeaderValue::from_static("127.0.0.1:8080"));
        for (k, v) in extra {
            headers.insert(k, HeaderValue::from_static(v));
        }
        headers.insert("x-sdk-date", HeaderValue::from_str(&s.x_sdk_date).unwrap());
        headers.insert(
            "authorization",
            HeaderValue::from_str(&s.authorization).unwrap(),
        );
        Req {
            url,
            headers,
            body: Vec::new(),
        }
    }

    fn check(r: &Req, now: DateTime<Utc>) -> Result<String, VerifyError> {
        verify(
            "GET",
            r.url.path(),
            r.url.query(),
            &r.headers,
            &r.body,
            &lookup,
            now,
        )
    }

    #[test]
    fn round_trip() {
        assert_eq!(check(&signed_request(), t0()), Ok(AK.to_owned()));
    }

    #[test]
    fn form_encoded_query_is_equivalent() {
        let r = signed_request();
        // Same pairs, different order and `+` for spaces: same canonical query.
        let mut alt = r.url.clone();
        alt.query_pairs_mut()
            .clear()
            .append_pair("limit", "2")
            .append_pair("name", "测试 镜像");
        let r2 = Req { url: alt, ..r };
        assert_eq!(check(&r2, t0()), Ok(AK.to_owned()));
    }

    #[test]
    fn tampered_query_mismatch() {
        let mut r = signed_request();
        r.url.set_query(Some("limit=3"));
        assert_eq!(check(&r, t0()), Err(VerifyError::Mismatch));
    }

    #[test]
    fn tampered_header_mismatch() {
        let mut r = signed_request();
        r.headers
            .insert("x-security-token", HeaderValue::from_static("other"));
        assert_eq!(check(&r, t0()), Err(VerifyError::Mismatch));
    }

    #[test]
    fn tampered_body_mismatch() {
        let mut r = signed_request();
        r.body = b"{}".to_vec();
        assert_eq!(check(&r, t0()), Err(VerifyError::Mismatch));
    }

    #[test]
    fn unknown_key() {
        let r = signed_request();
        let res = verify(
            "GET",
            r.url.path(),
            r.url.query(),
            &r.headers,
            b"",
            &|_| None,
            t0(),
        );
        assert_eq!(res, Err(VerifyError::UnknownKey));
    }

    #[test]
    fn skew_expired() {
        let r = signed_request();
        assert_eq!(check(&r, t0() + TimeDelta::minutes(14)), Ok(AK.to_owned()));
        assert_eq!(
            check(&r, t0() + TimeDelta::minutes(16)),
            Err(VerifyError::Expired)
        );
        assert_eq!(
            check(&r, t0() - TimeDelta::minutes(16)),
            Err(VerifyError::Expired)
        );
    }

    #[test]
    fn malformed_authorization() {
        for bad in [
            "",
            "SDK-HMAC-SHA256",
            "SDK-HMAC-SHA256 ",
            "SDK-HMAC-SHA256 Access=AKTEST",
            "SDK-HMAC-SHA256 Access=AKTEST, SignedHeaders=, Signature=00",
            "SDK-HMAC-SHA256 Access=AKTEST, SignedHeaders=host;x-sdk-date, Bogus",
            "Bearer abc",
            "SDK-HMAC-SHA256 Access=AKTEST, SignedHeaders=x-sdk-date, Signature=00",
            "SDK-HMAC-SHA256 Access=AKTEST, SignedHeaders=host;x-sdk-date;x-missing, Signature=00",
        ] {
            let mut r = signed_request();
            r.headers
                .insert("authorization", HeaderValue::from_str(bad).unwrap());
            assert!(
                matches!(check(&r, t0()), Err(VerifyError::Malformed(_))),
                "{bad:?}"
            );
        }
        let mut r = signed_request();
        r.headers.remove("authorization");
        assert!(matches!(check(&r, t0()), Err(VerifyError::Malformed(_))));
        let mut r = signed_request();
        r.headers
            .insert("x-sdk-date", HeaderValue::from_static("yesterday"));
        assert!(matches!(check(&r, t0()), Err(VerifyError::Malformed(_))));
    }

    #[test]
    fn canonical_pieces() {
        assert_eq!(canonical_uri("/v2/images"), "/v2/images/");
        assert_eq!(canonical_uri("/"), "/");
        assert_eq!(canonical_uri("/a%20b%2Fc"), "/a%20b/c/");
        assert_eq!(
            encode_query(&[("k", "a/b"), ("k", "a-b"), (" x", "~*")]),
            "%20x=~%2A&k=a-b&k=a%2Fb"
        );
        assert_eq!(canonical_query(None), "");
        assert_eq!(canonical_query(Some("b=2&a=1+1&c")), "a=1%201&b=2&c=");
    }

    #[test]
    fn host_header_keeps_non_default_port() {
        let u = url::Url::parse("https://ims.example.com:443/x").unwrap();
        assert_eq!(host_header(&u), "ims.example.com");
        let u = url::Url::parse("http://127.0.0.1:8080/x").unwrap();
        assert_eq!(host_header(&u), "127.0.0.1:8080");
    }
}
