//! The simulator's catalog of Tencent API 3.0 `DescribeImages`: `Image` objects with every
//! member of the SDK's model (`cvm/v20170312/models.py`), images of several OS versions and
//! dates, some deprecated. Each region serves its own range of items
//! ([`region_range`](crate::sim::catalog::region_range)).

use serde_json::{Value, json};

use crate::sim::catalog::{
    Catalog, Facets, Kind, UNIQUE_NAMES, base36, created, hash, iso_z, kind_at,
    private_description, private_name, shared_name,
};

/// The catalog of the stream's `items`, in the API's order (generation order).
pub fn catalog(items: std::ops::Range<usize>) -> Catalog {
    Catalog::new(items.map(item).collect(), "ImageId", "ImageName")
}

/// `(ImageName, OsName, Platform, os_type, Architecture, deprecated)`.
const OS: &[(&str, &str, &str, &str, &str, bool)] = &[
    (
        "CentOS 7.9 64位",
        "CentOS 7.9 64位",
        "CentOS",
        "Linux",
        "x86_64",
        false,
    ),
    (
        "CentOS 8.2 64位",
        "CentOS 8.2 64位",
        "CentOS",
        "Linux",
        "x86_64",
        true,
    ),
    (
        "Ubuntu Server 22.04 LTS 64位",
        "Ubuntu Server 22.04 LTS 64位",
        "Ubuntu",
        "Linux",
        "x86_64",
        false,
    ),
    (
        "Ubuntu Server 22.04.3 LTS 64位",
        "Ubuntu Server 22.04.3 LTS 64位",
        "Ubuntu",
        "Linux",
        "x86_64",
        false,
    ),
    (
        "Ubuntu Server 20.04 LTS 64位",
        "Ubuntu Server 20.04 LTS 64位",
        "Ubuntu",
        "Linux",
        "x86_64",
        false,
    ),
    (
        "Ubuntu Server 18.04.1 LTS 64位",
        "Ubuntu Server 18.04.1 LTS 64位",
        "Ubuntu",
        "Linux",
        "x86_64",
        true,
    ),
    (
        "Ubuntu Server 22.04 LTS ARM64",
        "Ubuntu Server 22.04 LTS ARM64",
        "Ubuntu",
        "Linux",
        "arm",
        false,
    ),
    (
        "Debian 12.4 64位",
        "Debian 12.4 64位",
        "Debian",
        "Linux",
        "x86_64",
        false,
    ),
    (
        "Debian 11.7 64位",
        "Debian 11.7 64位",
        "Debian",
        "Linux",
        "x86_64",
        false,
    ),
    (
        "TencentOS Server 3.1 (TK4)",
        "TencentOS Server 3.1 (TK4)",
        "TencentOS",
        "Linux",
        "x86_64",
        false,
    ),
    (
        "TencentOS Server 3.1 for ARM64",
        "TencentOS Server 3.1 for ARM64",
        "TencentOS",
        "Linux",
        "arm",
        false,
    ),
    (
        "OpenCloudOS 9.0 64位",
        "OpenCloudOS 9.0 64位",
        "OpenCloudOS",
        "Linux",
        "x86_64",
        false,
    ),
    (
        "Rocky Linux 9.2 64位",
        "Rocky Linux 9.2 64位",
        "Rocky Linux",
        "Linux",
        "x86_64",
        false,
    ),
    (
        "Windows Server 2022 数据中心版 64位中文版",
        "Windows Server 2022 数据中心版 64位中文版",
        "Windows",
        "Windows",
        "x86_64",
        false,
    ),
    (
        "Windows Server 2016 数据中心版 64位英文版",
        "Windows Server 2016 数据中心版 64位英文版",
        "Windows",
        "Windows",
        "x86_64",
        true,
    ),
    (
        "CentOS 6.8 32位",
        "CentOS 6.8 32位",
        "CentOS",
        "Linux",
        "i386",
        true,
    ),
];

const PATTERN: &[Kind] = &[
    Kind::Public,
    Kind::Private,
    Kind::Public,
    Kind::Public,
    Kind::Shared,
    Kind::Public,
    Kind::Private,
    Kind::Public,
];

const SALT: u64 = 0x3C3C;

/// Item `i` of the catalog.
fn item(i: usize) -> (Value, Facets) {
    let (kind, k) = kind_at(PATTERN, i);
    let h = hash(SALT, i);
    let (base, os_name, platform, os_type, arch, old) = OS[(h % OS.len() as u64) as usize];
    let t = created(SALT, i);
    let (name, image_type, creator, source, description) = match kind {
        Kind::Private => (
            private_name(k),
            "PRIVATE_IMAGE",
            "100012345678",
            "CREATE_IMAGE",
            private_description(k),
        ),
        Kind::Shared => (
            shared_name(k, platform),
            "SHARED_IMAGE",
            "100087654321",
            "CREATE_IMAGE",
            String::new(),
        ),
        Kind::Public | Kind::Market => (
            base.to_string(),
            "PUBLIC_IMAGE",
            "",
            "OFFICIAL",
            base.to_string(),
        ),
    };
    let state = if kind == Kind::Private && k >= UNIQUE_NAMES.len() {
        match (h >> 16) % 25 {
            0 => "CREATING",
            1 => "CREATEFAILED",
            2 => "SYNCING",
            3 => "IMPORTFAILED",
            _ => "NORMAL",
        }
    } else {
        "NORMAL"
    };
    let deprecated = kind == Kind::Public && old;
    let v = json!({
        "ImageId": format!("img-{}", base36(SALT, i, 8)),
        "OsName": os_name,
        "ImageType": image_type,
        "CreatedTime": iso_z(t),
        "ImageName": name,
        "ImageDescription": description,
        "ImageSize": 20 + (h >> 8) % 4 * 10,
        "Architecture": arch,
        "ImageState": state,
        "Platform": platform,
        "ImageCreator": creator,
        "ImageSource": source,
        "SyncPercent": if state == "SYNCING" { 40 } else { 100 },
        "IsSupportCloudinit": os_type == "Linux",
        "SnapshotSet": [{"SnapshotId": format!("snap-{}", base36(SALT ^ 1, i, 8)), "DiskUsage": "SYSTEM_DISK", "DiskSize": 50}],
        "Tags": [],
        "LicenseType": "TencentCloud",
        "ImageFamily": "",
        "ImageDeprecated": deprecated,
        "CdcCacheStatus": "",
    });
    let facets = Facets {
        kind,
        os_type,
        platform,
        arm: arch == "arm",
        status: state,
        created: t,
        bits: if arch == "i386" { 32 } else { 64 },
        disk_format: "",
    };
    (v, facets)
}
