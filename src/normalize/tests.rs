use super::*;
use crate::model::Arch::{self, Arm64, I386, X86_64};

/// (name, family, version, arch).
type Case = (
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
    Option<Arch>,
);

/// Real image names and OS fields seen in the five APIs and their consoles.
const CASES: &[Case] = &[
    (
        "Ubuntu Server 18.04 LTS x86 64-bit",
        Some("ubuntu"),
        Some("18.04"),
        Some(X86_64),
    ),
    (
        "Ubuntu 22.04 server 64bit",
        Some("ubuntu"),
        Some("22.04"),
        Some(X86_64),
    ),
    (
        "Ubuntu 20.04 arm64",
        Some("ubuntu"),
        Some("20.04"),
        Some(Arm64),
    ),
    (
        "Ubuntu Server 16.04.1 LTS 32位",
        Some("ubuntu"),
        Some("16.04.1"),
        Some(I386),
    ),
    (
        "ubuntu-22.04-x86_64",
        Some("ubuntu"),
        Some("22.04"),
        Some(X86_64),
    ),
    (
        "CentOS 7.3 64bit",
        Some("centos"),
        Some("7.3"),
        Some(X86_64),
    ),
    (
        "CentOS 7.3 64bit vivado",
        Some("centos"),
        Some("7.3"),
        Some(X86_64),
    ),
    (
        "CentOS 7.3 64bit with sdx",
        Some("centos"),
        Some("7.3"),
        Some(X86_64),
    ),
    (
        "CentOS 7.4.1708 x86 64-bit",
        Some("centos"),
        Some("7.4"),
        Some(X86_64),
    ),
    (
        "CentOS 8.2.2004 64bit",
        Some("centos"),
        Some("8.2"),
        Some(X86_64),
    ),
    ("centos6.6x86_32", Some("centos"), Some("6.6"), Some(I386)),
    ("Centos 6.6 32-bit", Some("centos"), Some("6.6"), Some(I386)),
    (
        "CentOS 7.6 64bit with ARM",
        Some("centos"),
        Some("7.6"),
        Some(Arm64),
    ),
    (
        "CentOS Stream 9 64bit",
        Some("centos"),
        Some("9"),
        Some(X86_64),
    ),
    (
        "Windows Server 2019 Datacenter 64bit",
        Some("windows"),
        Some("2019"),
        Some(X86_64),
    ),
    (
        "Windows Server 2012 R2 Standard 64bit",
        Some("windows"),
        Some("2012r2"),
        Some(X86_64),
    ),
    (
        "Windows Server 2008 R2 Enterprise 64位中文版",
        Some("windows"),
        Some("2008r2"),
        Some(X86_64),
    ),
    (
        "Windows Server 2016 数据中心版 64位英文版",
        Some("windows"),
        Some("2016"),
        Some(X86_64),
    ),
    (
        "Windows 10 Pro 64bit",
        Some("windows"),
        Some("10"),
        Some(X86_64),
    ),
    (
        "Windows 7 SP1 32bit",
        Some("windows"),
        Some("7sp1"),
        Some(I386),
    ),
    (
        "EulerOS 2.5 64bit",
        Some("euleros"),
        Some("2.5"),
        Some(X86_64),
    ),
    (
        "EulerOS 2.2 64bit",
        Some("euleros"),
        Some("2.2"),
        Some(X86_64),
    ),
    (
        "Huawei EulerOS 2.0 64bit",
        Some("euleros"),
        Some("2.0"),
        Some(X86_64),
    ),
    (
        "Huawei Cloud EulerOS 2.0 Standard 64 bit",
        Some("hce"),
        Some("2.0"),
        Some(X86_64),
    ),
    ("Euler_Online_Tenant_vAG", None, None, None),
    ("FA-LZ-x86vAG-801temp", None, None, None),
    ("AOSP7.1.1", Some("aosp"), Some("7.1.1"), None),
    ("AOSP7.0.0", Some("aosp"), Some("7.0.0"), None),
    ("Android 10", Some("android"), Some("10"), None),
    (
        "Debian 11.5 Amd x86 64-bit",
        Some("debian"),
        Some("11.5"),
        Some(X86_64),
    ),
    (
        "Debian GNU/Linux 10.2 64bit",
        Some("debian"),
        Some("10.2"),
        Some(X86_64),
    ),
    (
        "openEuler 22.03 64bit",
        Some("openeuler"),
        Some("22.03"),
        Some(X86_64),
    ),
    (
        "openEuler 22.03 LTS SP1 64bit with ARM",
        Some("openeuler"),
        Some("22.03sp1"),
        Some(Arm64),
    ),
    (
        "Rocky Linux 9.0 64bit",
        Some("rocky"),
        Some("9.0"),
        Some(X86_64),
    ),
    (
        "AlmaLinux 8.6 64bit",
        Some("almalinux"),
        Some("8.6"),
        Some(X86_64),
    ),
    (
        "TencentOS Server 3.1 (TK4)",
        Some("tencentos"),
        Some("3.1"),
        None,
    ),
    (
        "TencentOS Server 2.4 (Final) aarch64",
        Some("tencentos"),
        Some("2.4"),
        Some(Arm64),
    ),
    ("OpenCloudOS 8.6", Some("opencloudos"), Some("8.6"), None),
    (
        "Kylin V10 SP1 64bit",
        Some("kylin"),
        Some("10sp1"),
        Some(X86_64),
    ),
    (
        "UOS Server 20 64bit Kunpeng",
        Some("uos"),
        Some("20"),
        Some(Arm64),
    ),
    (
        "FreeBSD 11.1 64位",
        Some("freebsd"),
        Some("11.1"),
        Some(X86_64),
    ),
    (
        "SUSE Linux Enterprise Server 12 SP3 64bit",
        Some("sles"),
        Some("12sp3"),
        Some(X86_64),
    ),
    (
        "OpenSUSE 15.0 64bit",
        Some("opensuse"),
        Some("15.0"),
        Some(X86_64),
    ),
    (
        "openSUSE Leap 15.3 64bit",
        Some("opensuse"),
        None,
        Some(X86_64),
    ),
    (
        "Oracle Linux 7.4 64bit",
        Some("oracle"),
        Some("7.4"),
        Some(X86_64),
    ),
    (
        "Red Hat Enterprise Linux 7.4 64bit",
        Some("rhel"),
        Some("7.4"),
        Some(X86_64),
    ),
    ("RHEL8.4 aarch64", Some("rhel"), Some("8.4"), Some(Arm64)),
    ("Fedora 28 64bit", Some("fedora"), Some("28"), Some(X86_64)),
    (
        "CoreOS 2023.4.0 64bit",
        Some("coreos"),
        Some("2023.4.0"),
        Some(X86_64),
    ),
    ("Ubuntu 64bit", Some("ubuntu"), None, Some(X86_64)),
    ("Other Linux(64 bit)", None, None, Some(X86_64)),
    ("HarmonyOS demo", None, None, None),
    ("my-golden-image", None, None, None),
    ("", None, None, None),
];

#[test]
fn real_world_names() {
    assert!(CASES.len() >= 40);
    let mut failures = Vec::new();
    for &(name, family, version, arch) in CASES {
        let got = os_info(name);
        let want = (family, version, arch);
        let have = (got.family.as_deref(), got.version.as_deref(), got.arch);
        if want != have {
            failures.push(format!("{name:?}: want {want:?}, got {have:?}"));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn os_type_follows_family() {
    assert_eq!(
        os_info("Windows Server 2019").os_type,
        Some(OsType::Windows)
    );
    assert_eq!(os_info("AOSP7.1.1").os_type, Some(OsType::Android));
    assert_eq!(os_info("CentOS 7.3 64bit").os_type, Some(OsType::Linux));
    assert_eq!(os_info("FreeBSD 11.1").os_type, Some(OsType::Linux));
    assert_eq!(os_info("Other Linux(64 bit)").os_type, Some(OsType::Linux));
    assert_eq!(os_info("my-golden-image").os_type, None);
}

#[test]
fn family_os_type_of_every_family() {
    for family in FAMILIES {
        let want = match *family {
            "windows" => OsType::Windows,
            "aosp" | "android" => OsType::Android,
            _ => OsType::Linux,
        };
        assert_eq!(family_os_type(family), want, "{family}");
        assert_eq!(
            family_from_text(family),
            Some(*family),
            "canonical name maps to itself"
        );
    }
    assert_eq!(family_os_type("Windows"), OsType::Windows);
    assert_eq!(family_os_type("plan9"), OsType::Other);
}

#[test]
fn family_from_platform_values() {
    // Huawei IMS `__platform` values.
    let cases = [
        ("Windows", Some("windows")),
        ("Ubuntu", Some("ubuntu")),
        ("RedHat", Some("rhel")),
        ("SUSE", Some("sles")),
        ("CentOS", Some("centos")),
        ("Debian", Some("debian")),
        ("OpenSUSE", Some("opensuse")),
        ("Oracle Linux", Some("oracle")),
        ("Fedora", Some("fedora")),
        ("Other", None),
        ("CoreOS", Some("coreos")),
        ("EulerOS", Some("euleros")),
    ];
    for (text, want) in cases {
        assert_eq!(family_from_text(text), want, "{text}");
    }
}

#[test]
fn arch_tokens() {
    for t in ["x86_64", "AMD64", "x86", "X86", " x64 ", "x86-64"] {
        assert_eq!(arch_from_token(t), Some(X86_64), "{t}");
    }
    for t in ["aarch64", "ARM64", "arm", "ARM", "armv8"] {
        assert_eq!(arch_from_token(t), Some(Arm64), "{t}");
    }
    for t in ["i386", "i686", "x86_32"] {
        assert_eq!(arch_from_token(t), Some(I386), "{t}");
    }
    for t in ["64", "32bit", "", "mips", "armv7l"] {
        assert_eq!(arch_from_token(t), None, "{t}");
    }
}

#[test]
fn bare_bitness_and_arch_words_in_text() {
    assert_eq!(os_info("32bit").arch, Some(I386));
    assert_eq!(os_info("64bit").arch, Some(X86_64));
    assert_eq!(os_info("64-bit").arch, Some(X86_64));
    assert_eq!(os_info("arm 32bit").arch, None, "32-bit Arm has no Arch");
    assert_eq!(os_info("x86 32bit").arch, Some(I386));
    assert_eq!(
        os_info("harmony").arch,
        None,
        "arm inside a word is not Arm"
    );
}

proptest::proptest! {
    #[test]
    fn never_panics(text in ".*") {
        let info = os_info(&text);
        if let Some(family) = &info.family {
            proptest::prop_assert!(FAMILIES.contains(&family.as_str()));
        }
    }
}
