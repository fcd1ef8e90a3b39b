//! The simulator's catalog of Tencent API 2.0 (seed 002): `DescribeImages` `ImageSet` objects.

use serde_json::{Value, json};

use crate::sim::catalog::{
    Catalog, Facets, Kind, UNIQUE_NAMES, base36, created, hash, iso_offset, kind_at,
    private_description, private_name, shared_name,
};

/// The catalog of `n` images, in the API's order (generation order).
pub fn catalog(items: std::ops::Range<usize>) -> Catalog {
    Catalog::new(items.map(item).collect(), "ImageId", "ImageName")
}

/// Tencent templates: `(ImageName, ImageOsName, platform, os_type, arm)`.
const TENCENT_OS: &[(&str, &str, &str, &str, bool)] = &[
    (
        "Centos 6.6 32-bit",
        "centos6.6x86_32",
        "CentOS",
        "Linux",
        false,
    ),
    (
        "CentOS 7.9 64-bit",
        "centos7.9x86_64",
        "CentOS",
        "Linux",
        false,
    ),
    (
        "CentOS 8.2 64-bit",
        "centos8.2x86_64",
        "CentOS",
        "Linux",
        false,
    ),
    (
        "Ubuntu Server 22.04 LTS 64-bit",
        "ubuntu22.04x86_64",
        "Ubuntu",
        "Linux",
        false,
    ),
    (
        "Ubuntu Server 20.04 LTS 64-bit",
        "ubuntu20.04x86_64",
        "Ubuntu",
        "Linux",
        false,
    ),
    (
        "Ubuntu Server 20.04 LTS 64-bit ARM",
        "ubuntu20.04arm64",
        "Ubuntu",
        "Linux",
        true,
    ),
    (
        "Debian 11.7 64-bit",
        "debian11.7x86_64",
        "Debian",
        "Linux",
        false,
    ),
    (
        "TencentOS Server 3.1 (TK4)",
        "tencentos3.1x86_64",
        "TencentOS",
        "Linux",
        false,
    ),
    (
        "TencentOS Server 3.1 for ARM64",
        "tencentos3.1arm64",
        "TencentOS",
        "Linux",
        true,
    ),
    (
        "OpenCloudOS 8.6 64-bit",
        "opencloudos8.6x86_64",
        "OpenCloudOS",
        "Linux",
        false,
    ),
    (
        "Rocky Linux 9.0 64-bit",
        "rocky9.0x86_64",
        "Rocky Linux",
        "Linux",
        false,
    ),
    (
        "openSUSE 15.3 64-bit",
        "opensuse15.3x86_64",
        "openSUSE",
        "Linux",
        false,
    ),
    (
        "Windows Server 2019 Datacenter 64-bit Chinese",
        "windows2019datacenterx86_64",
        "Windows",
        "Windows",
        false,
    ),
    (
        "Windows Server 2016 Datacenter 64-bit English",
        "windows2016datacenterx86_64",
        "Windows",
        "Windows",
        false,
    ),
    (
        "FreeBSD 12.1 64-bit",
        "freebsd12.1x86_64",
        "FreeBSD",
        "Other",
        false,
    ),
];

const TENCENT_MARKET: &[&str] = &[
    "WordPress 建站 (CentOS 7.9)",
    "Docker CE 24 on Ubuntu 22.04",
    "Node.js 18 LTS",
];

const TENCENT_PATTERN: &[Kind] = &[
    Kind::Public,
    Kind::Private,
    Kind::Public,
    Kind::Public,
    Kind::Shared,
    Kind::Public,
    Kind::Private,
    Kind::Market,
    Kind::Public,
    Kind::Public,
];

const TENCENT_SALT: u64 = 0x7C7C;

/// Item `i` of the Tencent catalog.
fn item(i: usize) -> (Value, Facets) {
    let (kind, k) = kind_at(TENCENT_PATTERN, i);
    let h = hash(TENCENT_SALT, i);
    let (base, os_name, platform, os_type, arm) =
        TENCENT_OS[(h % TENCENT_OS.len() as u64) as usize];
    let t = created(TENCENT_SALT, i);
    let (name, image_type, creator, description) = match kind {
        Kind::Public => (
            base.to_string(),
            "PUBLIC_IMAGE",
            "PUBLIC".to_string(),
            base.to_string(),
        ),
        Kind::Private => (
            private_name(k),
            "PRIVATE_IMAGE",
            "100012345678".to_string(),
            private_description(k),
        ),
        Kind::Shared => (
            shared_name(k, platform),
            "SHARED_IMAGE",
            format!("1000{:08}", k % 9 + 1),
            String::new(),
        ),
        Kind::Market => {
            let name = TENCENT_MARKET[k % TENCENT_MARKET.len()].to_string();
            (name.clone(), "MARKET_IMAGE", "MARKET".to_string(), name)
        }
    };
    let status = if kind == Kind::Private && k >= UNIQUE_NAMES.len() {
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
    let v = json!({
        "ImageId": format!("img-{}", base36(TENCENT_SALT, i, 8)),
        "ImageOsName": os_name,
        "ImageType": image_type,
        "ImageCreateTime": iso_offset(t),
        "ImageStatus": status,
        "ImageName": name,
        "ImageDescription": description,
        "Creator": creator,
    });
    let facets = Facets {
        kind,
        os_type,
        platform,
        arm,
        status,
        created: t,
        bits: if os_name.ends_with("_32") { 32 } else { 64 },
        disk_format: "",
    };
    (v, facets)
}
