//! Tencent Cloud API 2.0 regions: tccli 3.1.189.1, `tccli/services/region/v20220627/examples.json`,
//! `DescribeRegions` with `Product=cvm` (the SDKs hold no static region list; the legacy 2018
//! SDK holds none either).

/// The regions, in tccli's order.
pub const REGIONS: &[&str] = &[
    "ap-guangzhou",
    "ap-shanghai",
    "ap-nanjing",
    "ap-beijing",
    "ap-chengdu",
    "ap-chongqing",
    "ap-xian-ec",
    "ap-hongkong",
    "ap-guiyang",
    "ap-seoul",
    "ap-tokyo",
    "ap-singapore",
    "ap-bangkok",
    "ap-jakarta",
    "na-siliconvalley",
    "eu-frankfurt",
    "na-ashburn",
    "sa-saopaulo",
];

/// Short region codes of the API 2.0 era (`gz`, `sh`, ...), which the simulated API accepts
/// besides the names of [`REGIONS`].
pub const SHORT_CODES: &[&str] = &[
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
