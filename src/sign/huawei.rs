//! Huawei Cloud SDK-HMAC-SHA256 (huaweicloudsdkcore `signer/signer.py`).

use chrono::{DateTime, Utc};

use super::VerifyError;

/// The algorithm name in `Authorization` and the string to sign.
pub const ALGORITHM: &str = "SDK-HMAC-SHA256";

/// The headers a signed request must carry in addition to the ones passed to [`sign`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signed {
    /// Value of `X-Sdk-Date` (`YYYYMMDDTHHMMSSZ`).
    pub x_sdk_date: String,
    /// Value of `Authorization`.
    pub authorization: String,
}

/// Signs a request.
///
/// `url` is the full request URL exactly as it will be sent (scheme, host, optional port, path,
/// query). `headers` are the headers that will be sent besides `Host`, `X-Sdk-Date` and
/// `Authorization` (e.g. `Content-Type`, `X-Project-Id`, `X-Security-Token`); all of them are
/// signed, as the official SDK does. `host` (with `:port` when the URL has a non-default port)
/// and `x-sdk-date` are added to the signed headers by this function.
pub fn sign(
    method: &str,
    url: &url::Url,
    headers: &[(&str, &str)],
    body: &[u8],
    ak: &str,
    sk: &str,
    time: DateTime<Utc>,
) -> Signed {
    let _ = (method, url, headers, body, ak, sk, time);
    todo!("huawei signer")
}

/// Verifies a received request (used by the simulator).
///
/// `path` and `raw_query` are as received on the wire (still percent-encoded). `lookup` maps
/// an AK to its SK. `now` is the server's time; a request whose `X-Sdk-Date` is more than
/// 15 minutes away is [`VerifyError::Expired`]. Returns the AK on success.
pub fn verify(
    method: &str,
    path: &str,
    raw_query: Option<&str>,
    headers: &http::HeaderMap,
    body: &[u8],
    lookup: &dyn Fn(&str) -> Option<String>,
    now: DateTime<Utc>,
) -> Result<String, VerifyError> {
    let _ = (method, path, raw_query, headers, body, lookup, now);
    todo!("huawei verify")
}
