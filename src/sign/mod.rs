//! What every request signer shares: the hashing helpers and the error of a verification.
//!
//! The signers themselves live with their providers (`providers::<cloud>::sign`, ...): pure
//! functions, no I/O, time and nonce as inputs so tests are exact. Each is proven byte for byte
//! against vectors produced by the provider's official SDK (`tests/fixtures/*_vectors.json`,
//! made by `scripts/gen_vectors.py`).

pub(crate) mod crypto;

/// Why a signature received by the simulator was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    /// No or malformed Authorization / signature parameters.
    #[error("missing or malformed signature: {0}")]
    Malformed(String),
    /// The access key id is not known.
    #[error("unknown access key")]
    UnknownKey,
    /// The signature does not match.
    #[error("signature mismatch")]
    Mismatch,
    /// The request time is outside the allowed skew.
    #[error("request time outside the allowed skew")]
    Expired,
}

/// `host[:port]` of an endpoint, as it is signed and sent in `Host`.
pub fn host_with_port(url: &url::Url) -> String {
    let host = url.host_str().unwrap_or_default();
    match url.port() {
        Some(p) => format!("{host}:{p}"),
        None => host.to_string(),
    }
}
