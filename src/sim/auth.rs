//! Credential checks of the three gateways. Each returns the API's own error response.
//!
//! Signatures are verified by `crate::sign::*::verify` (pure functions). A panic inside one is
//! caught and answered as a bad signature, so a request can never take the server down.

use std::panic::{AssertUnwindSafe, catch_unwind};

use axum::response::Response;
use chrono::Utc;
use http::{HeaderMap, Method, StatusCode, Uri};

use super::reply;
use super::server::AppState;
use crate::sign::{VerifyError, huawei as hw_sign, tencent_v2, zenlayer as zl_sign};

/// Allowed clock skew of Tencent `Timestamp` and Zenlayer `x-zc-timestamp`, seconds.
const SKEW_SECS: i64 = 300;

/// The error response of a failed check (boxed: a `Response` is large).
pub(crate) type Rejection = Box<Response>;

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

fn guarded<T>(f: impl FnOnce() -> Result<T, VerifyError>) -> Result<T, VerifyError> {
    catch_unwind(AssertUnwindSafe(f))
        .unwrap_or_else(|_| Err(VerifyError::Malformed("verifier failed".to_string())))
}

/// Huawei API gateway: `X-Auth-Token`, or SDK-HMAC-SHA256 (+ `X-Security-Token`).
pub(crate) fn huawei(
    st: &AppState,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
    rid: &str,
) -> Result<(), Rejection> {
    let deny = |msg: &str| {
        Box::new(reply::huawei_error(
            StatusCode::UNAUTHORIZED,
            rid,
            "APIGW.0301",
            &format!("Incorrect IAM authentication information: {msg}"),
        ))
    };
    let creds = &st.creds;
    if let Some(token) = headers.get("x-auth-token") {
        return if token.as_bytes() == creds.huawei_token.expose().as_bytes() {
            Ok(())
        } else {
            Err(deny("decrypt token fail"))
        };
    }
    let Some(auth) = header(headers, "authorization") else {
        return Err(deny("Authorization or X-Auth-Token not found"));
    };
    if !auth.starts_with(hw_sign::ALGORITHM) {
        return Err(deny("unsupported Authorization scheme"));
    }
    let lookup = |ak: &str| (ak == creds.huawei_ak).then(|| creds.huawei_sk.expose().to_string());
    let result = guarded(|| {
        hw_sign::verify(
            method.as_str(),
            uri.path(),
            uri.query(),
            headers,
            body,
            &lookup,
            Utc::now(),
        )
    });
    match result {
        Ok(_) => {}
        Err(VerifyError::Expired) => {
            return Err(deny(
                "x-sdk-date expired, the request time differs from the server time by more than 15 minutes",
            ));
        }
        Err(VerifyError::UnknownKey) => return Err(deny("ak is not exist")),
        Err(_) => return Err(deny("verify aksk signature fail")),
    }
    let sent = header(headers, "x-security-token");
    match (&creds.huawei_security_token, sent) {
        (Some(expected), Some(got)) if expected.expose() == got => {}
        (Some(_), _) => return Err(deny("verify security token fail")),
        (None, _) => {}
    }
    if sent.is_some() && !signed_headers(auth).any(|h| h.eq_ignore_ascii_case("x-security-token")) {
        return Err(deny("verify aksk signature fail"));
    }
    Ok(())
}

/// The `SignedHeaders=a;b;c` list of an Authorization value.
fn signed_headers(auth: &str) -> impl Iterator<Item = &str> {
    auth.split(',')
        .filter_map(|p| p.trim().split_once('='))
        .filter(|(k, _)| k.trim().ends_with("SignedHeaders"))
        .flat_map(|(_, v)| v.split(';'))
}

/// Tencent API 2.0: `SecretId` / `Signature` / `Timestamp` / `Nonce` (+ `Token`) parameters.
/// Errors are HTTP 200 with `{"Response":{"Error":...}}`.
pub(crate) fn tencent(
    st: &AppState,
    http_method: &str,
    host: &str,
    params: &[(String, String)],
    rid: &str,
) -> Result<(), Rejection> {
    let fail =
        |code: &str, msg: &str| Box::new(reply::tencent_error(StatusCode::OK, rid, code, msg));
    let creds = &st.creds;
    for p in ["SecretId", "Signature", "Timestamp", "Nonce"] {
        if reply::first(params, p).is_none() {
            return Err(fail(
                "MissingParameter",
                &format!("The request is missing a required parameter `{p}`."),
            ));
        }
    }
    let ts = reply::first(params, "Timestamp").and_then(|t| t.trim().parse::<i64>().ok());
    let Some(ts) = ts else {
        return Err(fail(
            "InvalidParameterValue",
            "The value of parameter `Timestamp` is not a valid unix time.",
        ));
    };
    if (Utc::now().timestamp() - ts).abs() > SKEW_SECS {
        return Err(fail(
            "AuthFailure.SignatureExpire",
            "Signature expired. Timestamp is more than 5 minutes away from the server time.",
        ));
    }
    let lookup = |id: &str| {
        (id == creds.tencent_secret_id).then(|| creds.tencent_secret_key.expose().to_string())
    };
    match guarded(|| tencent_v2::verify(http_method, host, "/v2/index.php", params, &lookup)) {
        Ok(_) => {}
        Err(VerifyError::UnknownKey) => {
            return Err(fail(
                "AuthFailure.SecretIdNotFound",
                "The SecretId is not found.",
            ));
        }
        Err(VerifyError::Expired) => {
            return Err(fail("AuthFailure.SignatureExpire", "Signature expired."));
        }
        Err(_) => {
            return Err(fail(
                "AuthFailure.SignatureFailure",
                "The provided credentials could not be validated. Please check your signature is correct.",
            ));
        }
    }
    if let (Some(expected), Some(got)) =
        (&creds.tencent_session_token, reply::first(params, "Token"))
        && expected.expose() != got
    {
        return Err(fail("AuthFailure.TokenFailure", "The Token is invalid."));
    }
    Ok(())
}

/// Zenlayer: `Authorization: Bearer <token>` or ZC2-HMAC-SHA256.
pub(crate) fn zenlayer(
    st: &AppState,
    headers: &HeaderMap,
    body: &[u8],
    rid: &str,
) -> Result<(), Rejection> {
    let deny = |code: &str, msg: &str| {
        Box::new(reply::zenlayer_error(
            StatusCode::UNAUTHORIZED,
            rid,
            code,
            msg,
        ))
    };
    let creds = &st.creds;
    let Some(auth) = header(headers, "authorization") else {
        return Err(deny(
            "AUTHENTICATION_FAILED",
            "The Authorization header is missing.",
        ));
    };
    if let Some(token) = auth.strip_prefix("Bearer ") {
        return if token.trim() == creds.zenlayer_token.expose() {
            Ok(())
        } else {
            Err(deny(
                "AUTHENTICATION_FAILED",
                "The bearer token is invalid.",
            ))
        };
    }
    if !auth.starts_with(zl_sign::ALGORITHM) {
        return Err(deny(
            "AUTHENTICATION_FAILED",
            "Unsupported Authorization scheme.",
        ));
    }
    let ts = header(headers, "x-zc-timestamp").and_then(|t| t.trim().parse::<i64>().ok());
    match ts {
        None => {
            return Err(deny(
                "SIGNATURE_FAILURE",
                "The x-zc-timestamp header is missing or invalid.",
            ));
        }
        Some(ts) if (Utc::now().timestamp() - ts).abs() > SKEW_SECS => {
            return Err(deny(
                "SIGNATURE_EXPIRED",
                "The request timestamp is too far from the server time.",
            ));
        }
        Some(_) => {}
    }
    let host = header(headers, "host").unwrap_or_default();
    let lookup = |id: &str| {
        (id == creds.zenlayer_access_key_id)
            .then(|| creds.zenlayer_access_key_password.expose().to_string())
    };
    match guarded(|| zl_sign::verify(host, headers, body, &lookup)) {
        Ok(_) => Ok(()),
        Err(VerifyError::UnknownKey) => Err(deny(
            "INVALID_ACCESS_KEY_ID",
            "The access key id does not exist.",
        )),
        Err(VerifyError::Expired) => Err(deny("SIGNATURE_EXPIRED", "The signature has expired.")),
        Err(_) => Err(deny(
            "SIGNATURE_FAILURE",
            "The request signature does not match.",
        )),
    }
}
