//! Huawei Cloud credentials and settings, from the official SDK's environment names (or the
//! profile's `[huawei]` table). IMS, Workspace and CPH share them.

use url::Url;

use crate::config::{Env, parse_endpoint};
use crate::credentials::{KeyPair, Keys};
use crate::error::{Error, Result};
use crate::providers::{CredentialGroup, CredentialKey, Setup, SimKey};
use crate::secret::Secret;

/// Access key id.
pub const AK: &str = "HUAWEICLOUD_SDK_AK";
/// Secret access key.
pub const SK: &str = "HUAWEICLOUD_SDK_SK";
/// `X-Security-Token` of temporary credentials.
pub const SECURITY_TOKEN: &str = "HUAWEICLOUD_SDK_SECURITY_TOKEN";
/// An IAM token, sent as `X-Auth-Token`.
pub const AUTH_TOKEN: &str = "HUAWEICLOUD_AUTH_TOKEN";
/// The project id (else discovered through IAM).
pub const PROJECT_ID: &str = "HUAWEICLOUD_SDK_PROJECT_ID";
/// The default region.
pub const REGION: &str = "HUAWEICLOUD_SDK_REGION";
/// The IAM endpoint of project discovery.
pub const IAM_ENDPOINT: &str = "HUAWEICLOUD_SDK_IAM_ENDPOINT";

/// The `[huawei]` group: every variable the three services read.
pub static CREDENTIALS: CredentialGroup = CredentialGroup {
    table: "huawei",
    keys: &[
        CredentialKey {
            env: AK,
            profile: "ak",
            secret: false,
            credential: true,
            sim: SimKey::Demo("SIMHWAK0DEMO00000000"),
        },
        CredentialKey {
            env: SK,
            profile: "sk",
            secret: true,
            credential: true,
            sim: SimKey::Demo("sim-huawei-secret-key-demo-0000000000000"),
        },
        CredentialKey {
            env: SECURITY_TOKEN,
            profile: "security_token",
            secret: true,
            credential: true,
            sim: SimKey::Optional,
        },
        CredentialKey {
            env: AUTH_TOKEN,
            profile: "auth_token",
            secret: true,
            credential: true,
            sim: SimKey::Accepted("sim-huawei-iam-token-demo"),
        },
        CredentialKey {
            env: PROJECT_ID,
            profile: "project_id",
            secret: false,
            credential: false,
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
            env: IAM_ENDPOINT,
            profile: "iam_endpoint",
            secret: false,
            credential: false,
            sim: SimKey::SimUrl,
        },
    ],
    hint: "HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK, or HUAWEICLOUD_AUTH_TOKEN",
    region_var: REGION,
    chain: Some(&super::credentials::CHAIN),
};

/// How Huawei Cloud requests are authenticated.
#[derive(Debug, Clone)]
pub enum HuaweiAuth {
    /// SDK-HMAC-SHA256 with an access key (AK, SK); temporary keys carry their security token
    /// (`X-Security-Token`), and those from ECS metadata are refreshed before they expire.
    AkSk(Keys),
    /// An IAM token sent as `X-Auth-Token`, unsigned.
    Token(Secret),
}

/// Huawei Cloud settings shared by IMS, Workspace and CPH.
#[derive(Debug, Clone)]
pub struct HuaweiConfig {
    /// Authentication.
    pub auth: HuaweiAuth,
    /// Project id; discovered through IAM when absent.
    pub project_id: Option<String>,
    /// IAM endpoint for project discovery (`HUAWEICLOUD_SDK_IAM_ENDPOINT`); when unset, the
    /// region's own IAM endpoint, as the SDK does.
    pub iam_endpoint: Option<Url>,
}

/// Huawei credentials from the environment. AK/SK wins over a token when both are set.
pub fn from_env(env: &Env) -> Result<HuaweiConfig> {
    let secret = |k: &str| env.get(k).map(Secret::new);
    let auth = match (env.get(AK), secret(SK), secret(AUTH_TOKEN)) {
        (Some(ak), Some(sk), _) => HuaweiAuth::AkSk(Keys::fixed(KeyPair {
            id: ak.to_string(),
            secret: sk,
            token: secret(SECURITY_TOKEN),
        })),
        (Some(_), None, None) => {
            return Err(Error::Config(format!(
                "huawei: {AK} is set but {SK} is not; set both"
            )));
        }
        (None, Some(_), None) => {
            return Err(Error::Config(format!(
                "huawei: {SK} is set but {AK} is not; set both"
            )));
        }
        (_, _, Some(token)) => HuaweiAuth::Token(token),
        (None, None, None) => return Err(CREDENTIALS.missing("huawei")),
    };
    let iam_endpoint = env
        .get(IAM_ENDPOINT)
        .map(parse_endpoint)
        .transpose()
        .map_err(|e| Error::Config(format!("huawei: {IAM_ENDPOINT}: {e}")))?;
    Ok(HuaweiConfig {
        auth,
        project_id: env.get(PROJECT_ID).map(str::to_string),
        iam_endpoint,
    })
}

/// The settings of a run's adapters: [`from_env`], with the ECS metadata keys (refreshed)
/// when the chain found them there.
pub fn from_setup(setup: &Setup) -> Result<HuaweiConfig> {
    let mut config = from_env(&setup.env)?;
    if let HuaweiAuth::AkSk(keys) = &mut config.auth {
        *keys = setup
            .credentials
            .keys(CREDENTIALS.table, keys.current().as_ref().clone());
    }
    Ok(config)
}
