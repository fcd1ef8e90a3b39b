//! Zenlayer Cloud ZC2-HMAC-SHA256 (zenlayercloud `common/abstract_client.py`).
//!
//! Canonical request: `POST\n/\n\ncontent-type:{content type}\nhost:{host}\n\ncontent-type;host\n{hex(sha256(body))}`
//! (the canonical URI is always `/`, the query always empty). String to sign:
//! `ZC2-HMAC-SHA256\n{x-zc-timestamp}\n{hex(sha256(canonical))}`; signature =
//! hex(HMAC-SHA256(access key password, string to sign)).

use crate::sign::VerifyError;
use crate::sign::crypto::{constant_time_eq, hmac_sha256, sha256_hex};

/// The algorithm name.
pub const ALGORITHM: &str = "ZC2-HMAC-SHA256";

/// The content type the SDK sends and signs.
pub const CONTENT_TYPE: &str = "application/json";

/// The only `SignedHeaders` value the SDK produces.
pub const SIGNED_HEADERS: &str = "content-type;host";

/// Headers a signed request carries (besides `content-type`, `x-zc-action`, ...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signed {
    /// Value of `x-zc-timestamp` (unix seconds).
    pub timestamp: String,
    /// Value of `x-zc-signature-method`.
    pub signature_method: String,
    /// Value of `Authorization`.
    pub authorization: String,
}

/// Signs a POST with JSON `body` to an endpoint whose host is `host` (with `:port` where one is given).
///
/// The request must be sent with `Content-Type: application/json` ([`CONTENT_TYPE`]) and a
/// `Host` equal to `host`.
pub fn sign(
    host: &str,
    body: &[u8],
    access_key_id: &str,
    access_key_password: &str,
    timestamp: i64,
) -> Signed {
    let timestamp = timestamp.to_string();
    let canonical = canonical_request(host, CONTENT_TYPE, body);
    let signature = signature(access_key_password, &string_to_sign(&timestamp, &canonical));
    Signed {
        authorization: format!(
            "{ALGORITHM} Credential={access_key_id}, SignedHeaders={SIGNED_HEADERS}, Signature={signature}"
        ),
        signature_method: ALGORITHM.to_owned(),
        timestamp,
    }
}

/// The canonical request for a body sent to `host` with `content_type`.
pub fn canonical_request(host: &str, content_type: &str, body: &[u8]) -> String {
    format!(
        "POST\n/\n\ncontent-type:{content_type}\nhost:{host}\n\n{SIGNED_HEADERS}\n{}",
        sha256_hex(body)
    )
}

/// `ZC2-HMAC-SHA256\n{timestamp}\n{hex(sha256(canonical_request))}`.
pub fn string_to_sign(timestamp: &str, canonical_request: &str) -> String {
    format!(
        "{ALGORITHM}\n{timestamp}\n{}",
        sha256_hex(canonical_request.as_bytes())
    )
}

/// Verifies a received request (simulator). `host` is the received `Host` header.
/// `lookup` maps an access key id to its password. Returns the access key id.
///
/// The received `content-type` and `x-zc-timestamp` values are signed as sent; the timestamp is
/// not checked against a clock.
pub fn verify(
    host: &str,
    headers: &http::HeaderMap,
    body: &[u8],
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<String, VerifyError> {
    let auth =
        header_str(headers, "authorization").ok_or_else(|| malformed("no Authorization header"))?;
    let (credential, signature_given) = parse_authorization(&auth)?;
    if header_str(headers, "x-zc-signature-method").as_deref() != Some(ALGORITHM) {
        return Err(malformed("x-zc-signature-method is not ZC2-HMAC-SHA256"));
    }
    let timestamp =
        header_str(headers, "x-zc-timestamp").ok_or_else(|| malformed("no x-zc-timestamp"))?;
    let content_type =
        header_str(headers, "content-type").ok_or_else(|| malformed("no content-type"))?;
    let password = lookup(&credential).ok_or(VerifyError::UnknownKey)?;
    let canonical = canonical_request(host, &content_type, body);
    let expected = signature(&password, &string_to_sign(&timestamp, &canonical));
    if constant_time_eq(expected.as_bytes(), signature_given.as_bytes()) {
        Ok(credential)
    } else {
        Err(VerifyError::Mismatch)
    }
}

/// Splits `ZC2-HMAC-SHA256 Credential=.., SignedHeaders=content-type;host, Signature=..`.
fn parse_authorization(value: &str) -> Result<(String, String), VerifyError> {
    let rest = value
        .strip_prefix(ALGORITHM)
        .and_then(|r| r.strip_prefix(' '))
        .ok_or_else(|| malformed("Authorization is not ZC2-HMAC-SHA256"))?;
    let (mut credential, mut signed, mut signature) = (None, None, None);
    for part in rest.split(',') {
        match part.trim().split_once('=') {
            Some(("Credential", v)) => credential = Some(v),
            Some(("SignedHeaders", v)) => signed = Some(v),
            Some(("Signature", v)) => signature = Some(v),
            _ => return Err(malformed("unexpected Authorization field")),
        }
    }
    match (credential, signed, signature) {
        (Some(c), Some(SIGNED_HEADERS), Some(s)) if !c.is_empty() && !s.is_empty() => {
            Ok((c.to_owned(), s.to_owned()))
        }
        _ => Err(malformed(
            "Authorization lacks Credential or Signature, or SignedHeaders is not content-type;host",
        )),
    }
}

fn header_str(headers: &http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
}

fn signature(password: &str, string_to_sign: &str) -> String {
    hex::encode(hmac_sha256(password.as_bytes(), string_to_sign.as_bytes()))
}

fn malformed(why: &str) -> VerifyError {
    VerifyError::Malformed(why.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::{HeaderMap, HeaderValue};

    const HOST: &str = "127.0.0.1:8080";
    const BODY: &[u8] = br#"{"zoneId": "FRA-A", "imageName": "\u6d4b\u8bd5"}"#;

    fn lookup(id: &str) -> Option<String> {
        (id == "zl-id").then(|| "zl-password".to_owned())
    }

    fn headers() -> HeaderMap {
        let s = sign(HOST, BODY, "zl-id", "zl-password", 1_704_164_645);
        let mut h = HeaderMap::new();
        h.insert("content-type", HeaderValue::from_static(CONTENT_TYPE));
        h.insert(
            "x-zc-timestamp",
            HeaderValue::from_str(&s.timestamp).unwrap(),
        );
        h.insert(
            "x-zc-signature-method",
            HeaderValue::from_str(&s.signature_method).unwrap(),
        );
        h.insert(
            "authorization",
            HeaderValue::from_str(&s.authorization).unwrap(),
        );
        h
    }

    #[test]
    fn round_trip() {
        assert_eq!(
            verify(HOST, &headers(), BODY, &lookup),
            Ok("zl-id".to_owned())
        );
    }

    #[test]
    fn tampered_mismatch() {
        let h = headers();
        assert_eq!(verify(HOST, &h, b"{}", &lookup), Err(VerifyError::Mismatch));
        assert_eq!(
            verify("console.zenlayer.com", &h, BODY, &lookup),
            Err(VerifyError::Mismatch)
        );
        let mut h2 = headers();
        h2.insert("x-zc-timestamp", HeaderValue::from_static("1704164646"));
        assert_eq!(verify(HOST, &h2, BODY, &lookup), Err(VerifyError::Mismatch));
        let mut h3 = headers();
        h3.insert("content-type", HeaderValue::from_static("text/plain"));
        assert_eq!(verify(HOST, &h3, BODY, &lookup), Err(VerifyError::Mismatch));
    }

    #[test]
    fn unknown_key() {
        assert_eq!(
            verify(HOST, &headers(), BODY, &|_| None),
            Err(VerifyError::UnknownKey)
        );
    }

    #[test]
    fn malformed() {
        for bad in [
            "",
            "Bearer tok",
            "ZC2-HMAC-SHA256",
            "ZC2-HMAC-SHA256 Credential=zl-id, Signature=00",
            "ZC2-HMAC-SHA256 Credential=zl-id, SignedHeaders=host, Signature=00",
            "ZC2-HMAC-SHA256 Credential=, SignedHeaders=content-type;host, Signature=00",
            "ZC2-HMAC-SHA256 junk",
        ] {
            let mut h = headers();
            h.insert("authorization", HeaderValue::from_str(bad).unwrap());
            assert!(
                matches!(
                    verify(HOST, &h, BODY, &lookup),
                    Err(VerifyError::Malformed(_))
                ),
                "{bad:?}"
            );
        }
        for missing in [
            "x-zc-timestamp",
            "x-zc-signature-method",
            "content-type",
            "authorization",
        ] {
            let mut h = headers();
            h.remove(missing);
            assert!(
                matches!(
                    verify(HOST, &h, BODY, &lookup),
                    Err(VerifyError::Malformed(_))
                ),
                "{missing}"
            );
        }
    }
}
