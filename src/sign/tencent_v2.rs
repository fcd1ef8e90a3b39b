//! Tencent Cloud API 2.0 query signature (QcloudApi `common/sign.py`).

use super::VerifyError;

/// `SignatureMethod` of API 2.0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SignatureMethod {
    /// `HmacSHA1` (what the API assumes when `SignatureMethod` is absent).
    HmacSha1,
    /// `HmacSHA256` (imgcat's default).
    #[default]
    HmacSha256,
}

impl SignatureMethod {
    /// The wire name (`HmacSHA1` / `HmacSHA256`).
    pub fn as_str(self) -> &'static str {
        match self {
            SignatureMethod::HmacSha1 => "HmacSHA1",
            SignatureMethod::HmacSha256 => "HmacSHA256",
        }
    }
}

/// Computes the base64 `Signature` for `params` (every request parameter except `Signature`,
/// unencoded), as the SDK does: names with `_` replaced by `.`, sorted, joined raw as
/// `name=value&...`, string to sign `{http_method}{host}{path}?{joined}`.
///
/// `host` is the endpoint host, with `:port` where the endpoint has one.
pub fn signature(
    http_method: &str,
    host: &str,
    path: &str,
    params: &[(String, String)],
    secret_key: &str,
    method: SignatureMethod,
) -> String {
    let _ = (http_method, host, path, params, secret_key, method);
    todo!("tencent signature")
}

/// Verifies received parameters (decoded; `Signature` among them) for the simulator.
/// `lookup` maps a `SecretId` to its key. Returns the `SecretId` on success.
pub fn verify(
    http_method: &str,
    host: &str,
    path: &str,
    params: &[(String, String)],
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<String, VerifyError> {
    let _ = (http_method, host, path, params, lookup);
    todo!("tencent verify")
}
