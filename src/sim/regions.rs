//! The regions / zones the simulator knows: the SDK lists of `crate::providers::regions`,
//! plus the API 2.0 short codes of Tencent and a list of Zenlayer zones for `DescribeZones`.

use crate::providers::ProviderId;
use crate::providers::regions::regions;

/// Huawei Cloud regions: the union of the IMS / Workspace / CPH SDK region lists, deduplicated,
/// in first-seen order.
pub(crate) fn huawei() -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for p in [
        ProviderId::HuaweiIms,
        ProviderId::HuaweiWorkspace,
        ProviderId::HuaweiCph,
    ] {
        for r in regions(p) {
            if !out.contains(r) {
                out.push(r);
            }
        }
    }
    out
}

/// Short region codes of the API 2.0 era (`gz`, `sh`, ...), accepted besides the names of
/// [`regions`]`(TencentLegacy)`.
const TENCENT_SHORT: &[&str] = &[
    "bj",
    "ca",
    "cd",
    "cq",
    "de",
    "gz",
    "hk",
    "in",
    "jkt",
    "kr",
    "nj",
    "sg",
    "sh",
    "shjr",
    "siliconvalley",
    "szjr",
    "th",
    "tpe",
    "use",
];

/// Zenlayer zones: `(zoneId, zoneName)`.
pub(crate) const ZENLAYER: &[(&str, &str)] = &[
    ("AMS-A", "Amsterdam A"),
    ("BOM-A", "Mumbai A"),
    ("CGK-A", "Jakarta A"),
    ("DXB-A", "Dubai A"),
    ("FRA-A", "Frankfurt A"),
    ("HKG-A", "Hong Kong A"),
    ("LAX-A", "Los Angeles A"),
    ("LHR-A", "London A"),
    ("MNL-A", "Manila A"),
    ("NRT-A", "Tokyo A"),
    ("SAO-A", "Sao Paulo A"),
    ("SEL-A", "Seoul A"),
    ("SIN-A", "Singapore A"),
    ("WAS-A", "Washington A"),
];

/// Whether `region` is a Tencent region.
pub(crate) fn tencent(region: &str) -> bool {
    regions(ProviderId::TencentLegacy).contains(&region) || TENCENT_SHORT.contains(&region)
}

/// Whether `zone` is a Zenlayer zone.
pub(crate) fn zenlayer(zone: &str) -> bool {
    ZENLAYER.iter().any(|(id, _)| *id == zone)
}
