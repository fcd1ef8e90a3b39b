//! The regions / zones the simulator knows.

/// Huawei Cloud regions (union of the IMS / Workspace / CPH SDK region lists).
pub(crate) const HUAWEI: &[&str] = &[
    "af-north-1",
    "af-south-1",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "cn-east-2",
    "cn-east-3",
    "cn-east-4",
    "cn-east-5",
    "cn-north-1",
    "cn-north-2",
    "cn-north-4",
    "cn-north-9",
    "cn-south-1",
    "cn-south-2",
    "cn-south-4",
    "cn-southwest-2",
    "cn-southwest-3",
    "eu-west-0",
    "eu-west-101",
    "la-north-2",
    "la-south-2",
    "me-east-1",
    "na-mexico-1",
    "ru-northwest-2",
    "sa-brazil-1",
    "tr-west-1",
];

/// Tencent Cloud regions: API 3.0 names and the short API 2.0 codes.
pub(crate) const TENCENT: &[&str] = &[
    "ap-bangkok",
    "ap-beijing",
    "ap-chengdu",
    "ap-chongqing",
    "ap-guangzhou",
    "ap-hongkong",
    "ap-jakarta",
    "ap-mumbai",
    "ap-nanjing",
    "ap-seoul",
    "ap-shanghai",
    "ap-shanghai-fsi",
    "ap-shenzhen-fsi",
    "ap-singapore",
    "ap-tokyo",
    "eu-frankfurt",
    "na-ashburn",
    "na-siliconvalley",
    "na-toronto",
    "sa-saopaulo",
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
    TENCENT.contains(&region)
}

/// Whether `zone` is a Zenlayer zone.
pub(crate) fn zenlayer(zone: &str) -> bool {
    ZENLAYER.iter().any(|(id, _)| *id == zone)
}
