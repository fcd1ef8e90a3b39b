//! Tencent (legacy API 2.0, seed 002) and Zenlayer (seed 004) catalogs.

use serde_json::{Value, json};

use super::names::{private_description, private_name, shared_name};
use super::{Facets, Kind, base36, base62, created, hash, iso_offset, kind_at};

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
pub(super) fn tencent(i: usize) -> (Value, Facets) {
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
    let status = if kind == Kind::Private && k >= super::UNIQUE_NAMES.len() {
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

/// Zenlayer templates: `(imageName, imageVersion, category, osType, size GB, arm)`.
const ZENLAYER_OS: &[(&str, &str, &str, &str, &str, bool)] = &[
    (
        "Ubuntu Server 18.04 LTS x86 64-bit",
        "18.04",
        "Ubuntu",
        "linux",
        "30",
        false,
    ),
    (
        "Ubuntu Server 20.04 LTS x86 64-bit",
        "20.04",
        "Ubuntu",
        "linux",
        "30",
        false,
    ),
    (
        "Ubuntu Server 22.04 LTS x86 64-bit",
        "22.04",
        "Ubuntu",
        "linux",
        "30",
        false,
    ),
    (
        "Ubuntu Server 22.04 LTS Arm 64-bit",
        "22.04",
        "Ubuntu",
        "linux",
        "30",
        true,
    ),
    (
        "Debian 11.5 Amd x86 64-bit",
        "11.5",
        "Debian",
        "linux",
        "30",
        false,
    ),
    (
        "Debian 12.1 x86 64-bit",
        "12.1",
        "Debian",
        "linux",
        "30",
        false,
    ),
    (
        "CentOS 7.4.1708 x86 64-bit",
        "7.4",
        "CentOS",
        "linux",
        "30",
        false,
    ),
    (
        "CentOS 7.9.2009 x86 64-bit",
        "7.9",
        "CentOS",
        "linux",
        "30",
        false,
    ),
    (
        "Windows Server 2019 Datacenter x86 64-bit",
        "2019",
        "Windows",
        "windows",
        "40",
        false,
    ),
    (
        "Windows Server 2022 Standard x86 64-bit",
        "2022",
        "Windows",
        "windows",
        "40",
        false,
    ),
];

const ZENLAYER_PATTERN: &[Kind] = &[
    Kind::Public,
    Kind::Private,
    Kind::Public,
    Kind::Public,
    Kind::Private,
    Kind::Public,
    Kind::Public,
    Kind::Private,
    Kind::Public,
    Kind::Public,
];

const ZENLAYER_SALT: u64 = 0x2E2E;

/// Item `i` of the Zenlayer catalog (`PUBLIC_IMAGE` / `CUSTOM_IMAGE`).
pub(super) fn zenlayer(i: usize) -> (Value, Facets) {
    let (kind, k) = kind_at(ZENLAYER_PATTERN, i);
    let h = hash(ZENLAYER_SALT, i);
    let (base, version, category, os_type, size, arm) =
        ZENLAYER_OS[(h % ZENLAYER_OS.len() as u64) as usize];
    let custom = kind != Kind::Public;
    let status = if custom && k >= super::UNIQUE_NAMES.len() {
        match (h >> 16) % 20 {
            0 => "CREATING",
            1 => "UNAVAILABLE",
            _ => "AVAILABLE",
        }
    } else {
        "AVAILABLE"
    };
    let (name, description, image_type, size) = if custom {
        let desc = private_description(k);
        let desc = if desc.is_empty() {
            Value::Null
        } else {
            Value::from(desc)
        };
        (
            private_name(k),
            desc,
            "CUSTOM_IMAGE",
            ["20", "40", "60", "100"][(h >> 24) as usize % 4],
        )
    } else {
        (base.to_string(), Value::Null, "PUBLIC_IMAGE", size)
    };
    let v = json!({
        "imageVersion": version,
        "imageId": format!("img-{}", base62(ZENLAYER_SALT, i, 25)),
        "imageName": name,
        "imageDescription": description,
        "osType": os_type,
        "imageSize": size,
        "imageStatus": status,
        "category": category,
        "imageType": image_type,
    });
    let facets = Facets {
        kind,
        os_type,
        platform: category,
        arm,
        status,
        created: created(ZENLAYER_SALT, i),
        bits: 64,
        disk_format: "",
    };
    (v, facets)
}
