//! Tencent Cloud credentials, with tccli's environment names (or the profile's `[tencent]`
//! table): one group that serves every Tencent provider.

use crate::config::Env;
use crate::credentials::{KeyPair, Keys};
use crate::error::{Error, Result};
use crate::providers::{CredentialGroup, CredentialKey, Setup, SimKey};
use crate::secret::Secret;

use super::v2::{SignatureMethod, parse_signature_method};

/// `SecretId`.
pub const SECRET_ID: &str = "TENCENTCLOUD_SECRET_ID";
/// The secret key.
pub const SECRET_KEY: &str = "TENCENTCLOUD_SECRET_KEY";
/// The session token of temporary credentials.
pub const SESSION_TOKEN: &str = "TENCENTCLOUD_SESSION_TOKEN";
/// The default region.
pub const REGION: &str = "TENCENTCLOUD_REGION";
/// The API 2.0 signature method (also `--tencent-signature-method`).
pub const SIGNATURE_METHOD: &str = "IMGCAT_TENCENT_SIGNATURE_METHOD";

/// The `[tencent]` group.
pub static CREDENTIALS: CredentialGroup = CredentialGroup {
    table: "tencent",
    keys: &[
        CredentialKey {
            env: SECRET_ID,
            profile: "secret_id",
            secret: false,
            credential: true,
            sim: SimKey::Demo("AKIDsimDEMO00000000000000000000000000"),
        },
        CredentialKey {
            env: SECRET_KEY,
            profile: "secret_key",
            secret: true,
            credential: true,
            sim: SimKey::Demo("sim-tencent-secret-key-demo0000"),
        },
        CredentialKey {
            env: SESSION_TOKEN,
            profile: "session_token",
            secret: true,
            credential: true,
            sim: SimKey::Optional,
        },
        CredentialKey {
            env: REGION,
            profile: "region",
            secret: false,
            credential: false,
            sim: SimKey::PassThrough,
        },
        CredentialKey {
            env: SIGNATURE_METHOD,
            profile: "signature_method",
            secret: false,
            credential: false,
            sim: SimKey::PassThrough,
        },
    ],
    hint: "TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY",
    region_var: REGION,
    chain: Some(&super::credentials::CHAIN),
};

/// The key pair from the environment (and its session token); `who` (a provider id) names
/// the provider in the error.
pub fn credentials(env: &Env, who: &str) -> Result<KeyPair> {
    let (Some(id), Some(key)) = (env.get(SECRET_ID), env.get(SECRET_KEY)) else {
        return Err(CREDENTIALS.missing(who));
    };
    Ok(KeyPair {
        id: id.to_string(),
        secret: Secret::new(key),
        token: env.get(SESSION_TOKEN).map(Secret::new),
    })
}

/// The keys a run's adapter signs with: [`credentials`], or the CVM role's temporary keys
/// (refreshed) when the chain found them in instance metadata.
pub fn keys(setup: &Setup, who: &str) -> Result<Keys> {
    let fixed = credentials(&setup.env, who)?;
    Ok(setup.credentials.keys(CREDENTIALS.table, fixed))
}

/// Tencent Cloud API 2.0 settings.
#[derive(Debug, Clone)]
pub struct TencentConfig {
    /// `SecretId`, secret key and the `Token` of temporary credentials.
    pub keys: Keys,
    /// Signature method.
    pub method: SignatureMethod,
}

/// API 2.0 settings from the environment (the flag `--tencent-signature-method` stands for
/// [`SIGNATURE_METHOD`] there).
pub fn legacy(env: &Env) -> Result<TencentConfig> {
    let who = "tencent-legacy";
    let c = credentials(env, who)?;
    let method = match env.get(SIGNATURE_METHOD) {
        Some(s) => parse_signature_method(s)
            .map_err(|e| Error::Config(format!("{who}: {SIGNATURE_METHOD}: {e}")))?,
        None => SignatureMethod::default(),
    };
    Ok(TencentConfig {
        keys: Keys::fixed(c),
        method,
    })
}

/// [`legacy`] for a run's adapter: with the CVM role's keys (refreshed) when the chain found
/// them in instance metadata.
pub fn legacy_from_setup(setup: &Setup) -> Result<TencentConfig> {
    let mut config = legacy(&setup.env)?;
    config.keys = setup
        .credentials
        .keys(CREDENTIALS.table, config.keys.current().as_ref().clone());
    Ok(config)
}
