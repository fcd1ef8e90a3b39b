//! Known regions (Tencent, Huawei) and zones (Zenlayer) per provider, with their sources.
//!
//! * Huawei IMS / Workspace / CPH: `static_fields` of `ImsRegion`, `WorkspaceRegion` and
//!   `CphRegion` in `huaweicloudsdk{ims,workspace,cph}` 3.1.219 (`v*/region/*_region.py`), in
//!   the SDK's order. Every endpoint there is the standard `https://{service}.{region}.myhuaweicloud.com`.
//!   The SDK also lets `HUAWEICLOUD_SDK_REGION_{SERVICE}_{REGION}` (e.g.
//!   `HUAWEICLOUD_SDK_REGION_IMS_CN_NORTH_4`) override an endpoint; that belongs to the config layer.
//! * Huawei IAM: `huaweicloudsdkcore/auth/endpoint.py` 3.1.219 maps some regions to a regional IAM
//!   endpoint; the others use `https://iam.myhuaweicloud.com` ([`huawei_iam_endpoint`]).
//! * Tencent legacy: tccli 3.1.189.1, `tccli/services/region/v20220627/examples.json`,
//!   `DescribeRegions` with `Product=cvm` (the SDKs hold no static region list; the legacy 2018
//!   SDK holds none either).
//! * Zenlayer: zone ids, not regions. Neither `zenlayercloud-sdk-python` nor the docs publish a
//!   full list; `FRA-A` is the documented example (seed 004). `--region all` must ask the API
//!   (`DescribeZones` on the same endpoint, response `zoneSet[].zoneId`).

use super::ProviderId;

const HUAWEI_IMS: &[&str] = &[
    "af-south-1",
    "cn-north-4",
    "cn-north-1",
    "cn-east-2",
    "cn-east-3",
    "cn-south-1",
    "cn-southwest-2",
    "ap-southeast-2",
    "ap-southeast-1",
    "ap-southeast-3",
    "cn-north-2",
    "cn-south-2",
    "cn-north-9",
    "la-south-2",
    "sa-brazil-1",
    "la-north-2",
    "na-mexico-1",
    "ap-southeast-4",
    "cn-south-4",
    "tr-west-1",
    "me-east-1",
    "ae-ad-1",
    "cn-east-4",
    "eu-west-101",
    "cn-east-5",
    "eu-west-0",
    "my-kualalumpur-1",
    "af-north-1",
    "ru-moscow-1",
    "ap-southeast-5",
    "cn-north-12",
    "cn-north-11",
    "cn-southwest-3",
];

const HUAWEI_WORKSPACE: &[&str] = &[
    "cn-east-3",
    "cn-north-4",
    "cn-south-1",
    "cn-southwest-2",
    "la-south-2",
    "sa-brazil-1",
    "la-north-2",
    "ap-southeast-3",
    "cn-north-9",
    "ap-southeast-1",
    "cn-east-5",
    "me-east-1",
    "af-south-1",
    "tr-west-1",
    "cn-north-11",
    "af-north-1",
    "ap-southeast-2",
    "eu-west-101",
];

const HUAWEI_CPH: &[&str] = &[
    "ru-northwest-2",
    "ap-southeast-3",
    "ap-southeast-1",
    "cn-north-4",
    "cn-south-1",
    "cn-southwest-2",
    "cn-east-3",
    "cn-east-2",
    "cn-north-9",
    "la-south-2",
    "la-north-2",
    "af-north-1",
    "cn-east-4",
];

/// Regions with a regional IAM endpoint `https://iam.{region}.myhuaweicloud.com`.
const HUAWEI_IAM_REGIONAL: &[&str] = &[
    "cn-north-2",
    "cn-north-4",
    "cn-north-1",
    "cn-east-2",
    "cn-east-3",
    "cn-south-1",
    "cn-south-2",
    "cn-southwest-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "af-south-1",
    "sa-brazil-1",
    "la-south-2",
    "na-mexico-1",
    "la-north-2",
    "cn-north-9",
    "eu-west-0",
    "my-kualalumpur-1",
    "ru-moscow-1",
    "me-east-1",
    "ap-southeast-4",
    "ae-ad-1",
    "cn-east-4",
    "cn-east-5",
    "tr-west-1",
    "cn-north-12",
];

/// The global IAM endpoint huaweicloudsdkcore falls back to.
pub const HUAWEI_IAM_DEFAULT: &str = "https://iam.myhuaweicloud.com";

const TENCENT_LEGACY: &[&str] = &[
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

const ZENLAYER_ZONES: &[&str] = &["FRA-A"];

/// The regions (Zenlayer: zone ids) imgcat knows for `p`, in the source's order.
///
/// For Zenlayer this is only the documented zone: the full list comes from `DescribeZones`.
pub fn regions(p: ProviderId) -> &'static [&'static str] {
    match p {
        ProviderId::HuaweiIms => HUAWEI_IMS,
        ProviderId::HuaweiWorkspace => HUAWEI_WORKSPACE,
        ProviderId::HuaweiCph => HUAWEI_CPH,
        ProviderId::TencentLegacy => TENCENT_LEGACY,
        ProviderId::Zenlayer => ZENLAYER_ZONES,
    }
}

/// The endpoint of a Huawei service in `region`, as the SDK's region table gives it
/// (`https://{ims|workspace|cph}.{region}.myhuaweicloud.com`); `None` when the SDK does not list
/// the service in that region or `p` is not a Huawei provider.
pub fn huawei_endpoint(p: ProviderId, region: &str) -> Option<String> {
    let service = match p {
        ProviderId::HuaweiIms => "ims",
        ProviderId::HuaweiWorkspace => "workspace",
        ProviderId::HuaweiCph => "cph",
        ProviderId::TencentLegacy | ProviderId::Zenlayer => return None,
    };
    regions(p)
        .contains(&region)
        .then(|| format!("https://{service}.{region}.myhuaweicloud.com"))
}

/// The IAM endpoint the SDK uses to discover the project id of `region` (when
/// `HUAWEICLOUD_SDK_IAM_ENDPOINT` is not set): regional for the regions in
/// `huaweicloudsdkcore/auth/endpoint.py`, else [`HUAWEI_IAM_DEFAULT`].
pub fn huawei_iam_endpoint(region: &str) -> String {
    if HUAWEI_IAM_REGIONAL.contains(&region) {
        format!("https://iam.{region}.myhuaweicloud.com")
    } else {
        HUAWEI_IAM_DEFAULT.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_provider_has_regions_without_duplicates() {
        for &p in ProviderId::ALL {
            let list = regions(p);
            assert!(!list.is_empty(), "{p}");
            let mut sorted = list.to_vec();
            sorted.sort_unstable();
            sorted.dedup();
            assert_eq!(sorted.len(), list.len(), "{p} has duplicates");
        }
        assert!(regions(ProviderId::Zenlayer).contains(&"FRA-A"));
        assert!(regions(ProviderId::TencentLegacy).contains(&"ap-guangzhou"));
    }

    #[test]
    fn huawei_services_differ() {
        assert!(regions(ProviderId::HuaweiCph).contains(&"ru-northwest-2"));
        assert!(!regions(ProviderId::HuaweiIms).contains(&"ru-northwest-2"));
        assert!(regions(ProviderId::HuaweiIms).contains(&"eu-west-0"));
        assert!(!regions(ProviderId::HuaweiWorkspace).contains(&"eu-west-0"));
    }

    #[test]
    fn endpoints() {
        assert_eq!(
            huawei_endpoint(ProviderId::HuaweiIms, "cn-north-4").as_deref(),
            Some("https://ims.cn-north-4.myhuaweicloud.com")
        );
        assert_eq!(
            huawei_endpoint(ProviderId::HuaweiCph, "ru-northwest-2").as_deref(),
            Some("https://cph.ru-northwest-2.myhuaweicloud.com")
        );
        assert_eq!(
            huawei_endpoint(ProviderId::HuaweiWorkspace, "eu-west-0"),
            None
        );
        assert_eq!(huawei_endpoint(ProviderId::Zenlayer, "FRA-A"), None);
        assert_eq!(
            huawei_iam_endpoint("cn-north-4"),
            "https://iam.cn-north-4.myhuaweicloud.com"
        );
        assert_eq!(huawei_iam_endpoint("ru-northwest-2"), HUAWEI_IAM_DEFAULT);
    }
}
