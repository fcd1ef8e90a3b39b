//! Huawei Cloud regions, from the official SDKs.
//!
//! * IMS / Workspace / CPH: `static_fields` of `ImsRegion`, `WorkspaceRegion` and
//!   `CphRegion` in `huaweicloudsdk{ims,workspace,cph}` 3.1.219 (`v*/region/*_region.py`), in
//!   the SDK's order. Every endpoint there is the standard `https://{service}.{region}.myhuaweicloud.com`.
//!   The SDK also lets `HUAWEICLOUD_SDK_REGION_{SERVICE}_{REGION}` (e.g.
//!   `HUAWEICLOUD_SDK_REGION_IMS_CN_NORTH_4`) override an endpoint; imgcat does not read those.
//! * IAM: `huaweicloudsdkcore/auth/endpoint.py` 3.1.219 maps some regions to a regional IAM
//!   endpoint; the others use `https://iam.myhuaweicloud.com` ([`iam_endpoint`]).

/// IMS regions (`ImsRegion`).
pub const IMS: &[&str] = &[
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

/// Workspace regions (`WorkspaceRegion`).
pub const WORKSPACE: &[&str] = &[
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

/// CPH regions (`CphRegion`).
pub const CPH: &[&str] = &[
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
const IAM_REGIONAL: &[&str] = &[
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
pub const IAM_DEFAULT: &str = "https://iam.myhuaweicloud.com";

/// The IAM endpoint the SDK uses to discover the project id of `region` (when
/// `HUAWEICLOUD_SDK_IAM_ENDPOINT` is not set): regional for the regions in
/// `huaweicloudsdkcore/auth/endpoint.py`, else [`IAM_DEFAULT`].
pub fn iam_endpoint(region: &str) -> String {
    if IAM_REGIONAL.contains(&region) {
        format!("https://iam.{region}.myhuaweicloud.com")
    } else {
        IAM_DEFAULT.to_owned()
    }
}

/// Every region of the three services, deduplicated, in first-seen order (the simulated IAM
/// knows a project in each).
pub fn union() -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for r in IMS.iter().chain(WORKSPACE).chain(CPH) {
        if !out.contains(r) {
            out.push(r);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn services_differ() {
        assert!(CPH.contains(&"ru-northwest-2"));
        assert!(!IMS.contains(&"ru-northwest-2"));
        assert!(IMS.contains(&"eu-west-0"));
        assert!(!WORKSPACE.contains(&"eu-west-0"));
    }

    #[test]
    fn iam_endpoints() {
        assert_eq!(
            iam_endpoint("cn-north-4"),
            "https://iam.cn-north-4.myhuaweicloud.com"
        );
        assert_eq!(iam_endpoint("ru-northwest-2"), IAM_DEFAULT);
        assert!(union().len() >= IMS.len());
    }
}
