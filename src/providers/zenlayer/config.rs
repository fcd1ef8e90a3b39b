//! Zenlayer Cloud credentials. The SDK has no environment names: imgcat reads
//! `ZENLAYERCLOUD_*` (or the profile's `[zenlayer]` table).

use crate::config::Env;
use crate::error::Result;
use crate::providers::{CredentialGroup, CredentialKey, SimKey};
use crate::secret::Secret;

/// Access key id.
pub const ACCESS_KEY_ID: &str = "ZENLAYERCLOUD_ACCESS_KEY_ID";
/// Access key password.
pub const ACCESS_KEY_PASSWORD: &str = "ZENLAYERCLOUD_ACCESS_KEY_PASSWORD";
/// A bearer token.
pub const TOKEN: &str = "ZENLAYERCLOUD_TOKEN";
/// The default zone.
pub const ZONE: &str = "ZENLAYERCLOUD_ZONE";

/// The `[zenlayer]` group.
pub static CREDENTIALS: CredentialGroup = CredentialGroup {
    table: "zenlayer",
    keys: &[
        CredentialKey {
            env: ACCESS_KEY_ID,
            profile: "access_key_id",
            secret: false,
            credential: true,
            sim: SimKey::Demo("SIMZLDEMOKEY0000"),
        },
        CredentialKey {
            env: ACCESS_KEY_PASSWORD,
            profile: "access_key_password",
            secret: true,
            credential: true,
            sim: SimKey::Demo("sim-zenlayer-password-demo"),
        },
        CredentialKey {
            env: TOKEN,
            profile: "token",
            secret: true,
            credential: true,
            sim: SimKey::Accepted("sim-zenlayer-token-demo"),
        },
        CredentialKey {
            env: ZONE,
            profile: "zone",
            secret: false,
            credential: false,
            sim: SimKey::PassThrough,
        },
    ],
    hint: "ZENLAYERCLOUD_ACCESS_KEY_ID and ZENLAYERCLOUD_ACCESS_KEY_PASSWORD, or ZENLAYERCLOUD_TOKEN",
    region_var: ZONE,
    chain: Some(&super::credentials::CHAIN),
};

/// How Zenlayer requests are authenticated.
#[derive(Debug, Clone)]
pub enum ZenlayerAuth {
    /// ZC2-HMAC-SHA256 with an access key.
    Key {
        /// Access key id.
        id: String,
        /// Access key password.
        password: Secret,
    },
    /// `Authorization: Bearer <token>`.
    Bearer(Secret),
}

/// Zenlayer credentials from the environment. An access key wins over a bearer token.
pub fn from_env(env: &Env) -> Result<ZenlayerAuth> {
    match (
        env.get(ACCESS_KEY_ID),
        env.get(ACCESS_KEY_PASSWORD),
        env.get(TOKEN),
    ) {
        (Some(id), Some(password), _) => Ok(ZenlayerAuth::Key {
            id: id.to_string(),
            password: Secret::new(password),
        }),
        (_, _, Some(token)) => Ok(ZenlayerAuth::Bearer(Secret::new(token))),
        _ => Err(CREDENTIALS.missing("zenlayer")),
    }
}
