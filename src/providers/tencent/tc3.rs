//! Tencent Cloud API 3.0 TC3-HMAC-SHA256 (tencentcloud-sdk-python `common/abstract_client.py`
//! `_build_req_with_tc3_signature` / `_get_tc3_signature`, `common/sign.py` `Sign.sign_tc3`).
//!
//! Canonical request, as the SDK builds it:
//! ```text
//! METHOD \n CANONICAL_URI \n CANONICAL_QUERY \n content-type:{ct}\nhost:{host}\n \n content-type;host \n hex(sha256(payload))
//! ```
//! The canonical URI is the request path (`/`); the query is empty for a POST (the SDK sends
//! its parameters as the JSON body) and the urlencoded parameters for a GET (whose payload is
//! then empty); the payload hash is of `UNSIGNED-PAYLOAD` when `X-TC-Content-SHA256` says so.
//! `host` is the endpoint host with `:port` where one is given, as sent in `Host`.
//!
//! String to sign: `TC3-HMAC-SHA256\n{X-TC-Timestamp}\n{date}/{service}/tc3_request\n{hex(sha256(canonical))}`,
//! `date` the UTC day (`YYYY-MM-DD`) of the timestamp. Key: kDate = HMAC("TC3" + SecretKey,
//! date), kService = HMAC(kDate, service), kSigning = HMAC(kService, "tc3_request");
//! signature = hex(HMAC(kSigning, string to sign)).
//!
//! [`sign`] produces the SDK's header set; [`verify`] is the server side (the simulator): it
//! also accepts `SignedHeaders` lists other than the SDK's (any sorted list that includes
//! `content-type` and `host`, values trimmed and lower-cased as the API documentation says).

use chrono::{DateTime, TimeDelta, Utc};
use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};

use crate::sign::VerifyError;

/// The algorithm name in `Authorization` and the string to sign.
pub const ALGORITHM: &str = "TC3-HMAC-SHA256";

/// The `SignedHeaders` value the SDK always sends.
pub const SIGNED_HEADERS: &str = "content-type;host";

/// The content type of a POST with a JSON body (what the SDK sends and signs).
pub const CONTENT_TYPE_JSON: &str = "application/json";

/// The clock skew the API tolerates between `X-TC-Timestamp` and its own time
/// (`AuthFailure.SignatureExpire` beyond it).
pub const MAX_SKEW: TimeDelta = TimeDelta::minutes(5);

/// The payload-hash marker of `X-TC-Content-SHA256`.
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";

/// The parts of an HTTP request that the signature covers.
#[derive(Debug, Clone, Copy)]
pub struct SignableRequest<'a> {
    /// `POST` or `GET`.
    pub method: &'a str,
    /// The `Host` header: the endpoint host, with `:port` where the endpoint has one.
    pub host: &'a str,
    /// The path (the SDK's `_requestPath`, always `/`).
    pub canonical_uri: &'a str,
    /// The canonical query: empty for a POST.
    pub query: &'a str,
    /// The `Content-Type` header.
    pub content_type: &'a str,
    /// The body bytes (empty for a GET).
    pub payload: &'a [u8],
}

/// Which API action a request calls (the `X-TC-*` headers other than the signature's own).
#[derive(Debug, Clone, Copy)]
pub struct Action<'a> {
    /// The service (`cvm`): the host's first label and part of the credential scope.
    pub service: &'a str,
    /// `X-TC-Action` (`DescribeImages`).
    pub action: &'a str,
    /// `X-TC-Version` (`2017-03-12`).
    pub version: &'a str,
    /// `X-TC-Region`; `None` for actions that take no region (`DescribeRegions`).
    pub region: Option<&'a str>,
}

/// The credentials a request is signed with.
#[derive(Clone, Copy)]
pub struct Credentials<'a> {
    /// `SecretId`.
    pub secret_id: &'a str,
    /// `SecretKey` (never printed).
    pub secret_key: &'a str,
    /// The session token of temporary credentials, sent as `X-TC-Token` (not signed).
    pub token: Option<&'a str>,
}

impl std::fmt::Debug for Credentials<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("secret_id", &self.secret_id)
            .field("secret_key", &crate::http::redact::MASK)
            .field("token", &self.token.map(|_| crate::http::redact::MASK))
            .finish()
    }
}

/// A signed request's headers, in the order the SDK sets them: `Content-Type`, `Host`,
/// `X-TC-Action`, `X-TC-Timestamp`, `X-TC-Version`, `X-TC-Region` (when given), `X-TC-Token`
/// (when given), `Authorization`.
#[derive(Clone, PartialEq, Eq)]
pub struct Signed {
    /// `(name, value)` pairs to send.
    pub headers: Vec<(&'static str, String)>,
}

impl Signed {
    /// The value of header `name` (as cased in [`Signed::headers`]).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

impl std::fmt::Debug for Signed {
    /// Names only: the token is a secret.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.headers.iter().map(|(k, _)| k))
            .finish()
    }
}

/// Signs `req` for `action` at `time`: the headers of [`Signed`].
pub fn sign(
    req: &SignableRequest<'_>,
    action: &Action<'_>,
    creds: &Credentials<'_>,
    time: DateTime<Utc>,
) -> Signed {
    let timestamp = time.timestamp().to_string();
    let date = date_of(time);
    let canonical = canonical_request(req, SIGNED_HEADERS, &payload_hash(req.payload, false));
    let sts = string_to_sign(
        &timestamp,
        &credential_scope(&date, action.service),
        &canonical,
    );
    let signature = signature(creds.secret_key, &date, action.service, &sts);
    let mut headers: Vec<(&'static str, String)> = vec![
        ("Content-Type", req.content_type.to_owned()),
        ("Host", req.host.to_owned()),
        ("X-TC-Action", action.action.to_owned()),
        ("X-TC-Timestamp", timestamp),
        ("X-TC-Version", action.version.to_owned()),
    ];
    if let Some(region) = action.region {
        headers.push(("X-TC-Region", region.to_owned()));
    }
    if let Some(token) = creds.token {
        headers.push(("X-TC-Token", token.to_owned()));
    }
    headers.push((
        "Authorization",
        format!(
            "{ALGORITHM} Credential={}/{}, SignedHeaders={SIGNED_HEADERS}, Signature={signature}",
            creds.secret_id,
            credential_scope(&date, action.service)
        ),
    ));
    Signed { headers }
}

/// The UTC day of `time`, `YYYY-MM-DD`.
pub fn date_of(time: DateTime<Utc>) -> String {
    time.format("%Y-%m-%d").to_string()
}

/// `{date}/{service}/tc3_request`.
pub fn credential_scope(date: &str, service: &str) -> String {
    format!("{date}/{service}/tc3_request")
}

/// hex(SHA-256) of the payload, or of `UNSIGNED-PAYLOAD` when `unsigned`.
pub fn payload_hash(payload: &[u8], unsigned: bool) -> String {
    if unsigned {
        sha256_hex(UNSIGNED_PAYLOAD.as_bytes())
    } else {
        sha256_hex(payload)
    }
}

/// The canonical request of `req` with the SDK's two signed headers (`content-type`, `host`,
/// values as given).
pub fn canonical_request(req: &SignableRequest<'_>, signed_headers: &str, hash: &str) -> String {
    let headers = format!("content-type:{}\nhost:{}\n", req.content_type, req.host);
    canonical_with_headers(req, &headers, signed_headers, hash)
}

fn canonical_with_headers(
    req: &SignableRequest<'_>,
    canonical_headers: &str,
    signed_headers: &str,
    hash: &str,
) -> String {
    format!(
        "{}\n{}\n{}\n{canonical_headers}\n{signed_headers}\n{hash}",
        req.method, req.canonical_uri, req.query
    )
}

/// `TC3-HMAC-SHA256\n{timestamp}\n{scope}\n{hex(sha256(canonical))}`.
pub fn string_to_sign(timestamp: &str, scope: &str, canonical_request: &str) -> String {
    format!(
        "{ALGORITHM}\n{timestamp}\n{scope}\n{}",
        sha256_hex(canonical_request.as_bytes())
    )
}

/// The signing key of `Sign.sign_tc3`: HMAC chain over `date`, `service`, `tc3_request`.
fn signing_key(secret_key: &str, date: &str, service: &str) -> Vec<u8> {
    let k_date = hmac_sha256(format!("TC3{secret_key}").as_bytes(), date.as_bytes());
    let k_service = hmac_sha256(&k_date, service.as_bytes());
    hmac_sha256(&k_service, b"tc3_request")
}

/// hex(HMAC-SHA256(signing key, string to sign)).
pub fn signature(secret_key: &str, date: &str, service: &str, string_to_sign: &str) -> String {
    hex::encode(hmac_sha256(
        &signing_key(secret_key, date, service),
        string_to_sign.as_bytes(),
    ))
}

/// What a verified request was signed with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// The `SecretId` of the credential.
    pub secret_id: String,
}

/// Verifies a received request (the simulator's side). `headers` are the request's headers
/// (`Host` among them), `canonical_uri` its path, `query` its raw query (empty when none),
/// `service` the one the endpoint serves; `lookup` maps a `SecretId` to its key.
///
/// Checks, in order: the `Authorization` syntax ([`VerifyError::Malformed`]); `X-TC-Timestamp`
/// within [`MAX_SKEW`] of `now` ([`VerifyError::Expired`]); the `SecretId`
/// ([`VerifyError::UnknownKey`]); the credential scope (the timestamp's day, `service`,
/// `tc3_request`) and the signature ([`VerifyError::Mismatch`]).
#[allow(clippy::too_many_arguments)]
pub fn verify(
    method: &str,
    canonical_uri: &str,
    query: &str,
    headers: &http::HeaderMap,
    body: &[u8],
    service: &str,
    lookup: &dyn Fn(&str) -> Option<String>,
    now: DateTime<Utc>,
) -> Result<Verified, VerifyError> {
    let auth =
        header_str(headers, "authorization").ok_or_else(|| malformed("no Authorization header"))?;
    let auth = parse_authorization(auth)?;
    let ts_text =
        header_str(headers, "x-tc-timestamp").ok_or_else(|| malformed("no X-TC-Timestamp"))?;
    let time = ts_text
        .parse::<i64>()
        .ok()
        .and_then(|t| DateTime::from_timestamp(t, 0))
        .ok_or_else(|| malformed("X-TC-Timestamp is not a unix time"))?;
    if (now - time).abs() > MAX_SKEW {
        return Err(VerifyError::Expired);
    }
    let key = lookup(auth.secret_id).ok_or(VerifyError::UnknownKey)?;
    if auth.date != date_of(time) || auth.service != service {
        return Err(VerifyError::Mismatch);
    }
    let mut canonical_headers = String::new();
    for name in &auth.signed_headers {
        let value = header_str(headers, name)
            .ok_or_else(|| malformed(&format!("signed header {name} is missing")))?;
        canonical_headers.push_str(name);
        canonical_headers.push(':');
        canonical_headers.push_str(&value.trim().to_ascii_lowercase());
        canonical_headers.push('\n');
    }
    let content_type = header_str(headers, "content-type").unwrap_or_default();
    let host = header_str(headers, "host").unwrap_or_default();
    let req = SignableRequest {
        method,
        host,
        canonical_uri,
        query,
        content_type,
        payload: body,
    };
    let unsigned = header_str(headers, "x-tc-content-sha256") == Some(UNSIGNED_PAYLOAD);
    let canonical = canonical_with_headers(
        &req,
        &canonical_headers,
        &auth.signed_headers.join(";"),
        &payload_hash(body, unsigned),
    );
    let sts = string_to_sign(
        ts_text,
        &credential_scope(auth.date, auth.service),
        &canonical,
    );
    let given = hex::decode(auth.signature).map_err(|_| VerifyError::Mismatch)?;
    let mut mac = new_mac(&signing_key(&key, auth.date, auth.service));
    mac.update(sts.as_bytes());
    // `verify_slice` compares in constant time.
    mac.verify_slice(&given)
        .map_err(|_| VerifyError::Mismatch)?;
    Ok(Verified {
        secret_id: auth.secret_id.to_owned(),
    })
}

/// The parts of `TC3-HMAC-SHA256 Credential={id}/{date}/{service}/tc3_request,
/// SignedHeaders={a;b}, Signature={hex}`.
#[derive(Debug)]
struct Authorization<'a> {
    secret_id: &'a str,
    date: &'a str,
    service: &'a str,
    signed_headers: Vec<String>,
    signature: &'a str,
}

fn parse_authorization(value: &str) -> Result<Authorization<'_>, VerifyError> {
    let rest = value
        .strip_prefix(ALGORITHM)
        .and_then(|r| r.strip_prefix(' '))
        .ok_or_else(|| malformed("Authorization is not TC3-HMAC-SHA256"))?;
    let (mut credential, mut signed, mut signature) = (None, None, None);
    for part in rest.split(',') {
        let slot = match part.trim().split_once('=') {
            Some(("Credential", v)) => (&mut credential, v),
            Some(("SignedHeaders", v)) => (&mut signed, v),
            Some(("Signature", v)) => (&mut signature, v),
            _ => return Err(malformed("unexpected Authorization field")),
        };
        if slot.0.replace(slot.1).is_some() {
            return Err(malformed("an Authorization field given twice"));
        }
    }
    let (Some(credential), Some(signed), Some(signature)) = (credential, signed, signature) else {
        return Err(malformed(
            "Authorization lacks Credential, SignedHeaders or Signature",
        ));
    };
    // The SecretId holds no '/': split the scope off the right.
    let mut parts = credential.rsplitn(4, '/');
    let (Some("tc3_request"), Some(service), Some(date), Some(secret_id)) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(malformed(
            "Credential is not {SecretId}/{date}/{service}/tc3_request",
        ));
    };
    if secret_id.is_empty() || signature.is_empty() {
        return Err(malformed("empty SecretId or Signature"));
    }
    let signed_headers: Vec<String> = signed.split(';').map(str::to_ascii_lowercase).collect();
    let sorted = signed_headers.windows(2).all(|w| w[0] < w[1]);
    let has = |h: &str| signed_headers.iter().any(|s| s == h);
    if !sorted || !has("content-type") || !has("host") {
        return Err(malformed(
            "SignedHeaders must be sorted and include content-type and host",
        ));
    }
    Ok(Authorization {
        secret_id,
        date,
        service,
        signed_headers,
        signature,
    })
}

fn header_str<'a>(headers: &'a http::HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

fn malformed(why: &str) -> VerifyError {
    VerifyError::Malformed(why.to_owned())
}

fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

fn new_mac(key: &[u8]) -> Hmac<Sha256> {
    match <Hmac<Sha256> as KeyInit>::new_from_slice(key) {
        Ok(m) => m,
        // HMAC hashes keys longer than a block and pads shorter ones: every length is valid.
        Err(_) => unreachable!("HMAC accepts keys of any length"),
    }
}

fn hmac_sha256(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut m = new_mac(key);
    m.update(data);
    m.finalize().into_bytes().to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::{HeaderMap, HeaderName, HeaderValue};

    const HOST: &str = "127.0.0.1:8080";
    const BODY: &[u8] = br#"{"Filters": [{"Name": "image-name", "Values": ["\u6d4b\u8bd5"]}], "Offset": 0, "Limit": 100}"#;

    fn time() -> DateTime<Utc> {
        DateTime::from_timestamp(1_704_164_645, 0).unwrap_or_default()
    }

    fn req(body: &[u8]) -> SignableRequest<'_> {
        SignableRequest {
            method: "POST",
            host: HOST,
            canonical_uri: "/",
            query: "",
            content_type: CONTENT_TYPE_JSON,
            payload: body,
        }
    }

    const ACTION: Action<'static> = Action {
        service: "cvm",
        action: "DescribeImages",
        version: "2017-03-12",
        region: Some("ap-guangzhou"),
    };

    fn creds(token: Option<&str>) -> Credentials<'_> {
        Credentials {
            secret_id: "AKIDtest",
            secret_key: "key",
            token,
        }
    }

    fn lookup(id: &str) -> Option<String> {
        (id == "AKIDtest").then(|| "key".to_owned())
    }

    fn headers_of(s: &Signed) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in &s.headers {
            h.insert(
                HeaderName::from_bytes(k.as_bytes()).unwrap(),
                HeaderValue::from_str(v).unwrap(),
            );
        }
        h
    }

    fn check(h: &HeaderMap, body: &[u8], now: DateTime<Utc>) -> Result<Verified, VerifyError> {
        verify("POST", "/", "", h, body, "cvm", &lookup, now)
    }

    #[test]
    fn header_set_and_order_follow_the_sdk() {
        let s = sign(&req(BODY), &ACTION, &creds(Some("tok")), time());
        let names: Vec<&str> = s.headers.iter().map(|(k, _)| *k).collect();
        assert_eq!(
            names,
            [
                "Content-Type",
                "Host",
                "X-TC-Action",
                "X-TC-Timestamp",
                "X-TC-Version",
                "X-TC-Region",
                "X-TC-Token",
                "Authorization"
            ]
        );
        assert_eq!(s.get("x-tc-timestamp"), Some("1704164645"));
        let auth = s.get("authorization").unwrap_or_default();
        assert!(
            auth.starts_with(
                "TC3-HMAC-SHA256 Credential=AKIDtest/2024-01-02/cvm/tc3_request, SignedHeaders=content-type;host, Signature="
            ),
            "{auth}"
        );
        assert!(!format!("{s:?}").contains("tok"), "Debug shows no token");
        let no_region = Action {
            region: None,
            ..ACTION
        };
        let s = sign(&req(BODY), &no_region, &creds(None), time());
        assert_eq!(s.get("x-tc-region"), None);
        assert_eq!(s.get("x-tc-token"), None);
    }

    #[test]
    fn round_trip() {
        let s = sign(&req(BODY), &ACTION, &creds(None), time());
        assert_eq!(
            check(&headers_of(&s), BODY, time()),
            Ok(Verified {
                secret_id: "AKIDtest".into()
            })
        );
    }

    #[test]
    fn tampering_is_a_mismatch() {
        let s = sign(&req(BODY), &ACTION, &creds(None), time());
        let h = headers_of(&s);
        assert_eq!(check(&h, b"{}", time()), Err(VerifyError::Mismatch));
        let mut other_host = h.clone();
        other_host.insert("host", HeaderValue::from_static("cvm.tencentcloudapi.com"));
        assert_eq!(check(&other_host, BODY, time()), Err(VerifyError::Mismatch));
        let mut other_ts = h.clone();
        other_ts.insert("x-tc-timestamp", HeaderValue::from_static("1704164646"));
        assert_eq!(check(&other_ts, BODY, time()), Err(VerifyError::Mismatch));
        assert_eq!(
            verify("POST", "/", "", &h, BODY, "image", &lookup, time()),
            Err(VerifyError::Mismatch),
            "another service's scope"
        );
        assert_eq!(
            verify("GET", "/", "", &h, BODY, "cvm", &lookup, time()),
            Err(VerifyError::Mismatch)
        );
        // A scope date that is not the timestamp's day.
        let mut wrong_day = h.clone();
        let auth = s
            .get("authorization")
            .unwrap_or_default()
            .replace("2024-01-02", "2024-01-03");
        wrong_day.insert("authorization", HeaderValue::from_str(&auth).unwrap());
        assert_eq!(check(&wrong_day, BODY, time()), Err(VerifyError::Mismatch));
    }

    #[test]
    fn skew_of_five_minutes() {
        let s = sign(&req(BODY), &ACTION, &creds(None), time());
        let h = headers_of(&s);
        assert!(check(&h, BODY, time() + TimeDelta::seconds(300)).is_ok());
        assert!(check(&h, BODY, time() - TimeDelta::seconds(300)).is_ok());
        assert_eq!(
            check(&h, BODY, time() + TimeDelta::seconds(301)),
            Err(VerifyError::Expired)
        );
        assert_eq!(
            check(&h, BODY, time() - TimeDelta::seconds(301)),
            Err(VerifyError::Expired)
        );
    }

    #[test]
    fn unknown_key() {
        let s = sign(&req(BODY), &ACTION, &creds(None), time());
        assert_eq!(
            verify(
                "POST",
                "/",
                "",
                &headers_of(&s),
                BODY,
                "cvm",
                &|_| None,
                time()
            ),
            Err(VerifyError::UnknownKey)
        );
    }

    #[test]
    fn other_signed_headers_are_verified_lower_cased() {
        // As the API documentation's own example does: x-tc-action signed, its value lower-cased.
        let mut h = HeaderMap::new();
        h.insert("content-type", HeaderValue::from_static(CONTENT_TYPE_JSON));
        h.insert("host", HeaderValue::from_static(HOST));
        h.insert("x-tc-action", HeaderValue::from_static("DescribeImages"));
        h.insert("x-tc-timestamp", HeaderValue::from_static("1704164645"));
        let canonical = format!(
            "POST\n/\n\ncontent-type:application/json\nhost:{HOST}\nx-tc-action:describeimages\n\ncontent-type;host;x-tc-action\n{}",
            sha256_hex(BODY)
        );
        let sts = string_to_sign(
            "1704164645",
            &credential_scope("2024-01-02", "cvm"),
            &canonical,
        );
        let sig = signature("key", "2024-01-02", "cvm", &sts);
        let auth = format!(
            "TC3-HMAC-SHA256 Credential=AKIDtest/2024-01-02/cvm/tc3_request, SignedHeaders=content-type;host;x-tc-action, Signature={sig}"
        );
        h.insert("authorization", HeaderValue::from_str(&auth).unwrap());
        assert!(check(&h, BODY, time()).is_ok());
    }

    #[test]
    fn malformed_authorizations() {
        let s = sign(&req(BODY), &ACTION, &creds(None), time());
        for bad in [
            "",
            "Bearer x",
            "TC3-HMAC-SHA256",
            "TC3-HMAC-SHA256 Credential=AKIDtest/2024-01-02/cvm/tc3_request, Signature=00",
            "TC3-HMAC-SHA256 Credential=AKIDtest/2024-01-02/cvm, SignedHeaders=content-type;host, Signature=00",
            "TC3-HMAC-SHA256 Credential=/2024-01-02/cvm/tc3_request, SignedHeaders=content-type;host, Signature=00",
            "TC3-HMAC-SHA256 Credential=AKIDtest/2024-01-02/cvm/tc3_request, SignedHeaders=host, Signature=00",
            "TC3-HMAC-SHA256 Credential=AKIDtest/2024-01-02/cvm/tc3_request, SignedHeaders=host;content-type, Signature=00",
            "TC3-HMAC-SHA256 Credential=AKIDtest/2024-01-02/cvm/tc3_request, SignedHeaders=content-type;host;x-absent, Signature=00",
            "TC3-HMAC-SHA256 Credential=a/b/c/tc3_request, Credential=a/b/c/tc3_request, SignedHeaders=content-type;host, Signature=00",
            "TC3-HMAC-SHA256 junk",
        ] {
            let mut h = headers_of(&s);
            h.insert("authorization", HeaderValue::from_str(bad).unwrap());
            assert!(
                matches!(check(&h, BODY, time()), Err(VerifyError::Malformed(_))),
                "{bad:?}"
            );
        }
        for missing in ["authorization", "x-tc-timestamp"] {
            let mut h = headers_of(&s);
            h.remove(missing);
            assert!(
                matches!(check(&h, BODY, time()), Err(VerifyError::Malformed(_))),
                "{missing}"
            );
        }
        let mut h = headers_of(&s);
        h.insert("x-tc-timestamp", HeaderValue::from_static("soon"));
        assert!(matches!(
            check(&h, BODY, time()),
            Err(VerifyError::Malformed(_))
        ));
        let mut h = headers_of(&s);
        let auth = s
            .get("authorization")
            .unwrap_or_default()
            .replace("Signature=", "Signature=zz");
        h.insert("authorization", HeaderValue::from_str(&auth).unwrap());
        assert_eq!(check(&h, BODY, time()), Err(VerifyError::Mismatch));
    }
}
