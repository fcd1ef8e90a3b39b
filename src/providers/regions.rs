//! PLACEHOLDER until the SDK region lists land (wip-sign).
use super::ProviderId;
/// Known regions.
pub fn regions(p: ProviderId) -> &'static [&'static str] {
    match p {
        ProviderId::TencentLegacy => &["ap-guangzhou", "ap-shanghai", "ap-beijing"],
        ProviderId::Zenlayer => &["FRA-A", "SIN-A"],
        _ => &["cn-north-4", "cn-east-3", "ap-southeast-1"],
    }
}
