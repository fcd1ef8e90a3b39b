//! The simulator's catalog of Zenlayer (seed 004): `DescribeImages` `dataSet` objects.

use serde_json::{Value, json};

use crate::sim::catalog::{
    Catalog, Facets, Kind, UNIQUE_NAMES, base62, created, hash, kind_at, private_description,
    private_name,
};

/// The catalog of `n` images, in the API's order (generation order).
pub fn catalog(items: std::ops::Range<usize>) -> Catalog {
    Catalog::new(items.map(item).collect(), "imageId", "imageName")
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
fn item(i: usize) -> (Value, Facets) {
    let (kind, k) = kind_at(ZENLAYER_PATTERN, i);
    let h = hash(ZENLAYER_SALT, i);
    let (base, version, category, os_type, size, arm) =
        ZENLAYER_OS[(h % ZENLAYER_OS.len() as u64) as usize];
    let custom = kind != Kind::Public;
    let status = if custom && k >= UNIQUE_NAMES.len() {
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
