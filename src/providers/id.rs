//! The registry of provider ids.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// One image API that imgcat can list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ProviderId {
    /// Huawei Cloud Image Management Service (Glance v2).
    #[serde(rename = "huawei-ims")]
    HuaweiIms,
    /// Huawei Cloud Workspace product images.
    #[serde(rename = "huawei-workspace")]
    HuaweiWorkspace,
    /// Huawei Cloud Phone images.
    #[serde(rename = "huawei-cph")]
    HuaweiCph,
    /// Tencent Cloud legacy API 2.0 (image.api.qcloud.com).
    #[serde(rename = "tencent-legacy")]
    TencentLegacy,
    /// Zenlayer Cloud VM images.
    #[serde(rename = "zenlayer")]
    Zenlayer,
}

impl ProviderId {
    /// Every provider, in the order listings are printed.
    pub const ALL: &'static [ProviderId] = &[
        ProviderId::HuaweiIms,
        ProviderId::HuaweiWorkspace,
        ProviderId::HuaweiCph,
        ProviderId::TencentLegacy,
        ProviderId::Zenlayer,
    ];

    /// The id used on the command line and in output.
    pub fn as_str(self) -> &'static str {
        match self {
            ProviderId::HuaweiIms => "huawei-ims",
            ProviderId::HuaweiWorkspace => "huawei-workspace",
            ProviderId::HuaweiCph => "huawei-cph",
            ProviderId::TencentLegacy => "tencent-legacy",
            ProviderId::Zenlayer => "zenlayer",
        }
    }

    /// The suffix of the `IMGCAT_ENDPOINT_<ID>` environment variable.
    pub fn env_suffix(self) -> String {
        self.as_str().replace('-', "_").to_ascii_uppercase()
    }
}

impl fmt::Display for ProviderId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ProviderId {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ProviderId::ALL
            .iter()
            .copied()
            .find(|p| p.as_str() == s)
            .ok_or_else(|| {
                let ids: Vec<&str> = ProviderId::ALL.iter().map(|p| p.as_str()).collect();
                format!("unknown provider '{s}'; valid: {}, all", ids.join(", "))
            })
    }
}
