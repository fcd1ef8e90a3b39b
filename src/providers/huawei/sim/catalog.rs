//! Huawei Cloud catalogs: IMS (Glance v2, seed 003), Workspace (seed 001), CPH (seed 000).

use std::ops::Range;

use serde_json::{Value, json};

use crate::sim::catalog::{
    Catalog, Facets, Kind, UNIQUE_NAMES, created, hash, hex32, iso_z, kind_at, private_description,
    private_name, shared_name, uuid,
};

/// The IMS catalog of the stream's `items`: Glance lists newest first (sort_key=created_at,
/// sort_dir=desc); creation times are unique.
pub fn ims_catalog(items: Range<usize>) -> Catalog {
    let mut raw: Vec<(Value, Facets)> = items.map(ims).collect();
    raw.sort_by_key(|(_, f)| std::cmp::Reverse(f.created));
    Catalog::new(raw, "id", "name")
}

/// The Workspace catalog of the stream's `items`: sorted by name (ascending), ties in generation order.
pub fn workspace_catalog(items: Range<usize>) -> Catalog {
    let mut raw: Vec<(Value, Facets)> = items.map(workspace).collect();
    raw.sort_by(|a, b| {
        a.0.get("name")
            .and_then(Value::as_str)
            .cmp(&b.0.get("name").and_then(Value::as_str))
    });
    Catalog::new(raw, "id", "name")
}

/// The CPH catalog of the stream's `items`: public, then private, then shared.
pub fn cph_catalog(items: Range<usize>) -> Catalog {
    let mut raw: Vec<(Value, Facets)> = items.map(cph).collect();
    raw.sort_by_key(|(_, f)| match f.kind {
        Kind::Public | Kind::Market => 0,
        Kind::Private => 1,
        Kind::Shared => 2,
    });
    Catalog::new(raw, "image_id", "image_name")
}

/// An IMS / Workspace OS template: `(name, __platform, __os_type, __os_version, bits, arm)`.
type Os = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    u8,
    bool,
);

const IMS_OS: &[Os] = &[
    (
        "CentOS 7.3 64bit",
        "CentOS",
        "Linux",
        "CentOS 7.3 64bit",
        64,
        false,
    ),
    (
        "CentOS 7.9 64bit",
        "CentOS",
        "Linux",
        "CentOS 7.9 64bit",
        64,
        false,
    ),
    (
        "CentOS 7.6 64bit with ARM",
        "CentOS",
        "Linux",
        "CentOS 7.6 64bit with ARM",
        64,
        true,
    ),
    (
        "CentOS 6.6 32bit",
        "CentOS",
        "Linux",
        "CentOS 6.6 32bit",
        32,
        false,
    ),
    (
        "Ubuntu 22.04 server 64bit",
        "Ubuntu",
        "Linux",
        "Ubuntu 22.04 server 64bit",
        64,
        false,
    ),
    (
        "Ubuntu 20.04 server 64bit",
        "Ubuntu",
        "Linux",
        "Ubuntu 20.04 server 64bit",
        64,
        false,
    ),
    (
        "Ubuntu 18.04 server 64bit with ARM",
        "Ubuntu",
        "Linux",
        "Ubuntu 18.04 server 64bit with ARM",
        64,
        true,
    ),
    (
        "EulerOS 2.5 64bit",
        "EulerOS",
        "Linux",
        "EulerOS 2.5 64bit",
        64,
        false,
    ),
    (
        "EulerOS 2.8 64bit with ARM",
        "EulerOS",
        "Linux",
        "EulerOS 2.8 64bit with ARM",
        64,
        true,
    ),
    (
        "Huawei Cloud EulerOS 2.0 Standard 64 bit",
        "EulerOS",
        "Linux",
        "Huawei Cloud EulerOS 2.0 64bit",
        64,
        false,
    ),
    (
        "Huawei Cloud EulerOS 2.0 Standard 64 bit (arm)",
        "EulerOS",
        "Linux",
        "Huawei Cloud EulerOS 2.0 64bit for ARM",
        64,
        true,
    ),
    (
        "Debian 11.1.0 64bit",
        "Debian",
        "Linux",
        "Debian GNU/Linux 11.1.0 64bit",
        64,
        false,
    ),
    (
        "Debian 8.2.0 32bit",
        "Debian",
        "Linux",
        "Debian GNU/Linux 8.2.0 32bit",
        32,
        false,
    ),
    (
        "openSUSE 15.2 64bit",
        "OpenSUSE",
        "Linux",
        "OpenSUSE 15.2 64bit",
        64,
        false,
    ),
    (
        "SUSE Linux Enterprise Server 15 SP1 64bit",
        "SUSE",
        "Linux",
        "SUSE Linux Enterprise Server 15 SP1 64bit",
        64,
        false,
    ),
    (
        "Fedora 33 64bit",
        "Fedora",
        "Linux",
        "Fedora 33 64bit",
        64,
        false,
    ),
    (
        "Oracle Linux 7.6 64bit",
        "Oracle Linux",
        "Linux",
        "Oracle Linux Server release 7.6 64bit",
        64,
        false,
    ),
    (
        "Red Hat Enterprise Linux 7.4 64bit",
        "RedHat",
        "Linux",
        "Redhat Linux Enterprise 7.4 64bit",
        64,
        false,
    ),
    (
        "CoreOS 2079.4.0 64bit",
        "CoreOS",
        "Linux",
        "CoreOS 2079.4.0 64bit",
        64,
        false,
    ),
    (
        "Windows Server 2019 Datacenter 64bit",
        "Windows",
        "Windows",
        "Windows Server 2019 Datacenter 64bit English",
        64,
        false,
    ),
    (
        "Windows Server 2016 Standard 64bit Chinese",
        "Windows",
        "Windows",
        "Windows Server 2016 Standard 64bit Chinese",
        64,
        false,
    ),
    (
        "Windows Server 2012 R2 Datacenter 64bit",
        "Windows",
        "Windows",
        "Windows Server 2012 R2 Datacenter 64bit English",
        64,
        false,
    ),
    (
        "FreeBSD 12.1 64bit",
        "Other",
        "Other",
        "Other Linux(64 bit)",
        64,
        false,
    ),
    (
        "Kylin V10 64bit (arm)",
        "Other",
        "Other",
        "Other(64 bit)",
        64,
        true,
    ),
];

const MARKET: &[&str] = &[
    "WordPress 6.4 on CentOS 7.9",
    "LAMP (PHP 8.1) Ubuntu 22.04",
    "宝塔 Linux 面板 8.0",
    "GitLab CE 16.5 on EulerOS",
];

const IMS_PATTERN: &[Kind] = &[
    Kind::Public,
    Kind::Public,
    Kind::Private,
    Kind::Public,
    Kind::Public,
    Kind::Shared,
    Kind::Public,
    Kind::Private,
    Kind::Market,
    Kind::Public,
];

const IMS_SALT: u64 = 0x1315;
const PUBLIC_OWNER: &str = "1bed856811654c1cb661a6ca845ebc77";
const OWN_PROJECT: &str = "0a1b2c3d4e5f60718293a4b5c6d7e8f9";

/// IMS status for a non-public image: mostly active, a few queued/saving/killed.
fn ims_status(kind: Kind, k: usize, h: u64) -> &'static str {
    if kind != Kind::Private || k < UNIQUE_NAMES.len() {
        return "active";
    }
    match h % 25 {
        0 => "queued",
        1 => "saving",
        2 => "killed",
        _ => "active",
    }
}

/// Item `i` of the IMS catalog.
fn ims(i: usize) -> (Value, Facets) {
    let (kind, k) = kind_at(IMS_PATTERN, i);
    let h = hash(IMS_SALT, i);
    let os = IMS_OS[(h % IMS_OS.len() as u64) as usize];
    let (base, platform, os_type, os_version, bits, arm) = os;
    let id = uuid(IMS_SALT, i);
    let t = created(IMS_SALT, i);
    let status = ims_status(kind, k, h >> 8);
    let (name, imagetype, visibility, owner, description) = match kind {
        Kind::Public => (
            base.to_string(),
            "gold",
            "public",
            PUBLIC_OWNER.to_string(),
            base.to_string(),
        ),
        Kind::Market => {
            let name = MARKET[k % MARKET.len()].to_string();
            (name.clone(), "market", "public", hex32(0xAB, k % 7), name)
        }
        Kind::Private => (
            private_name(k),
            "private",
            "private",
            OWN_PROJECT.to_string(),
            private_description(k),
        ),
        Kind::Shared => (
            shared_name(k, platform),
            "shared",
            "shared",
            hex32(0x5A, k % 5),
            String::new(),
        ),
    };
    let windows = os_type == "Windows";
    let min_disk = if windows {
        40
    } else {
        [40, 40, 50, 100][(h >> 20) as usize % 4]
    };
    let min_ram = [0, 0, 1024, 2048][(h >> 24) as usize % 4];
    let size: u64 = if status == "queued" {
        0
    } else {
        1_073_741_824 + (h >> 32) % 20_000_000_000
    };
    let disk_format = if kind == Kind::Private && h.is_multiple_of(3) {
        "qcow2"
    } else {
        "zvhd2"
    };
    let mut v = json!({
        "schema": "/v2/schemas/image",
        "min_disk": min_disk,
        "created_at": iso_z(t),
        "__image_source_type": "uds",
        "container_format": "bare",
        "file": format!("/v2/images/{id}/file"),
        "updated_at": iso_z(t + 3_600 + (h % 86_400) as i64),
        "protected": kind == Kind::Public || kind == Kind::Market,
        "checksum": "d41d8cd98f00b204e9800998ecf8427e",
        "id": id,
        "__isregistered": "true",
        "min_ram": min_ram,
        "__lazyloading": "true",
        "owner": owner,
        "__os_type": os_type,
        "__imagetype": imagetype,
        "visibility": visibility,
        "virtual_env_type": "FusionCompute",
        "tags": [],
        "__platform": platform,
        "size": 0,
        "__os_bit": bits.to_string(),
        "__os_version": os_version,
        "name": name,
        "self": format!("/v2/images/{id}"),
        "disk_format": disk_format,
        "virtual_size": null,
        "hw_firmware_type": if arm { "uefi" } else { "bios" },
        "status": status,
        "__image_size": size.to_string(),
        "__description": description,
        "__support_kvm": "true",
        "__os_feature_list": "{\"support_resize\":\"true\"}",
        "enterprise_project_id": "0",
    });
    if let Some(obj) = v.as_object_mut() {
        if arm {
            obj.insert("__support_arm".into(), Value::from("true"));
        }
        if kind == Kind::Private {
            obj.insert(
                "__data_origin".into(),
                Value::from(format!("instance,{}", uuid(0x77, k))),
            );
            obj.insert(
                "__originalimagename".into(),
                Value::from(uuid(0x78, k % 50)),
            );
        }
        if kind == Kind::Market {
            obj.insert(
                "__productcode".into(),
                Value::from(format!("00301-{:06}-0--0", 100_000 + k % 7)),
            );
        }
        if status == "active" {
            obj.insert("active_at".into(), Value::from(iso_z(t + 600)));
        }
    }
    let facets = Facets {
        kind,
        os_type,
        platform,
        arm,
        status,
        created: t,
        bits,
        disk_format,
    };
    (v, facets)
}

const WORKSPACE_OS: &[Os] = &[
    (
        "Windows Server 2019 Datacenter 64bit",
        "Windows",
        "Windows",
        "Windows Server 2019 Datacenter 64bit",
        64,
        false,
    ),
    (
        "Windows Server 2016 Datacenter 64bit",
        "Windows",
        "Windows",
        "Windows Server 2016 Datacenter 64bit",
        64,
        false,
    ),
    (
        "Windows 10 Enterprise 64bit",
        "Windows",
        "Windows",
        "Windows 10 Enterprise 64bit",
        64,
        false,
    ),
    (
        "Windows 11 Enterprise 64bit",
        "Windows",
        "Windows",
        "Windows 11 Enterprise 64bit",
        64,
        false,
    ),
    (
        "Ubuntu 22.04 Desktop 64bit",
        "Ubuntu",
        "Linux",
        "Ubuntu 22.04 64bit",
        64,
        false,
    ),
    (
        "EulerOS 2.5 64bit",
        "EulerOS",
        "Linux",
        "EulerOS 2.5 64bit",
        64,
        false,
    ),
    (
        "UOS 20 Desktop 64bit (arm)",
        "UOS",
        "Linux",
        "UOS 20 64bit",
        64,
        true,
    ),
    (
        "Kylin V10 SP1 64bit (arm)",
        "Kylin",
        "Linux",
        "Kylin V10 SP1 64bit",
        64,
        true,
    ),
    (
        "Euler_Online_Tenant_vAG",
        "EulerOS",
        "Linux",
        "EulerOS 2.2 64bit",
        64,
        false,
    ),
    (
        "FreeDOS 1.3 (tools)",
        "Other",
        "Other",
        "Other(64 bit)",
        64,
        false,
    ),
];

const WORKSPACE_PATTERN: &[Kind] = &[
    Kind::Public,
    Kind::Public,
    Kind::Private,
    Kind::Public,
    Kind::Public,
    Kind::Private,
    Kind::Public,
    Kind::Public,
    Kind::Private,
    Kind::Public,
];

const WORKSPACE_SALT: u64 = 0x2A2A;

/// Item `i` of the Workspace catalog (its API has no status; `image_type` is gold or private).
fn workspace(i: usize) -> (Value, Facets) {
    let (kind, k) = kind_at(WORKSPACE_PATTERN, i);
    let h = hash(WORKSPACE_SALT, i);
    let (base, platform, os_type, os_version, bits, arm) =
        WORKSPACE_OS[(h % WORKSPACE_OS.len() as u64) as usize];
    let t = created(WORKSPACE_SALT, i);
    let (name, image_type) = match kind {
        Kind::Private => (private_name(k), "private"),
        _ => (base.to_string(), "gold"),
    };
    let min_disk = [40, 50, 60, 80][(h >> 16) as usize % 4];
    let disk_format = if kind == Kind::Private {
        "qcow2"
    } else {
        "zvhd2"
    };
    let mut v = json!({
        "id": uuid(WORKSPACE_SALT, i),
        "image_type": image_type,
        "os_type": os_type,
        "architecture": if arm { "arm" } else { "x86" },
        "os_version": os_version,
        "disk_format": disk_format,
        "name": name,
        "min_ram": 0,
        "min_disk": min_disk,
    });
    if let Some(obj) = v.as_object_mut() {
        if kind != Kind::Private {
            obj.insert(
                "product_code".into(),
                Value::from(format!(
                    "workspace.{}.{}",
                    platform.to_ascii_lowercase(),
                    (h >> 40) % 90 + 10
                )),
            );
        }
        obj.insert("created_at".into(), Value::from(iso_z(t)));
    }
    let facets = Facets {
        kind,
        os_type,
        platform,
        arm,
        status: "active",
        created: t,
        bits,
        disk_format,
    };
    (v, facets)
}

/// CPH templates: `(image_name, os_type, os_name, image_label)`.
const CPH_OS: &[(&str, &str, &str, &str)] = &[
    ("AOSP", "aosp", "AOSP7.1.1", "cloud_game"),
    ("AOSP", "aosp", "AOSP7.1.1", "cloud_phone"),
    ("AOSP", "aosp", "AOSP7.0.0", "qemu_phone"),
    ("AOSP 10", "aosp", "AOSP10.0.0", "cloud_phone"),
    ("AOSP 11 Game", "aosp", "AOSP11.0.0", "cloud_game"),
    ("Android 12", "android", "Android12", "cloud_phone"),
];

const CPH_PATTERN: &[Kind] = &[
    Kind::Public,
    Kind::Private,
    Kind::Public,
    Kind::Private,
    Kind::Shared,
    Kind::Public,
    Kind::Private,
    Kind::Public,
    Kind::Private,
    Kind::Public,
];

const CPH_SALT: u64 = 0xC0FE;

/// Item `i` of the CPH catalog (Android on Arm servers; no status in the API).
fn cph(i: usize) -> (Value, Facets) {
    let (kind, k) = kind_at(CPH_PATTERN, i);
    let h = hash(CPH_SALT, i);
    let (base, os_type, os_name, label) = CPH_OS[(h % CPH_OS.len() as u64) as usize];
    let name = match kind {
        Kind::Private => private_name(k),
        Kind::Shared => shared_name(k, os_name),
        _ => base.to_string(),
    };
    let mut v = json!({
        "image_name": name,
        "os_type": os_type,
        "is_public": if matches!(kind, Kind::Public | Kind::Market) { 1 } else { 2 },
        "os_name": os_name,
        "image_label": label,
        "image_id": hex32(CPH_SALT, i),
        "is_support_encrypt": (h >> 12).is_multiple_of(3),
    });
    if kind == Kind::Shared
        && let Some(obj) = v.as_object_mut()
    {
        obj.insert("receive_status".into(), Value::from(1));
    }
    let facets = Facets {
        kind,
        os_type,
        platform: "Android",
        arm: true,
        status: "active",
        created: created(CPH_SALT, i),
        bits: 64,
        disk_format: "",
    };
    (v, facets)
}
