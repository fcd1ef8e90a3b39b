//! Request signers: pure functions, no I/O. Time and nonce are inputs so tests are exact.
//!
//! Each signer is proven byte for byte against vectors produced by the provider's official SDK
//! (`tests/fixtures/*_vectors.json`, made by `scripts/gen_vectors.py`).

mod crypto;
pub mod huawei;
pub mod tencent_v2;
pub mod zenlayer;

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
