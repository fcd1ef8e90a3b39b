//! Zenlayer Cloud ZC2-HMAC-SHA256 (zenlayercloud `common/abstract_client.py`).

use super::VerifyError;

/// The algorithm name.
pub const ALGORITHM: &str = "ZC2-HMAC-SHA256";

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
pub fn sign(
    host: &str,
    body: &[u8],
    access_key_id: &str,
    access_key_password: &str,
    timestamp: i64,
) -> Signed {
    let _ = (host, body, access_key_id, access_key_password, timestamp);
    todo!("zenlayer signer")
}

/// Verifies a received request (simulator). `host` is the received `Host` header.
/// `lookup` maps an access key id to its password. Returns the access key id.
pub fn verify(
    host: &str,
    headers: &http::HeaderMap,
    body: &[u8],
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<String, VerifyError> {
    let _ = (host, headers, body, lookup);
    todo!("zenlayer verify")
}
