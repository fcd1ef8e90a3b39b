//! Normalization helpers: OS family, version, architecture and type from provider fields and names.

use crate::model::{Arch, OsType};

/// What could be derived about an image's operating system.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OsInfo {
    /// Lower-case family (`ubuntu`, `centos`, `windows`, `euleros`, `aosp`, ...).
    pub family: Option<String>,
    /// Version (`18.04`, `7.3`, `2019`, `7.1.1`).
    pub version: Option<String>,
    /// Architecture.
    pub arch: Option<Arch>,
    /// OS type implied by the family.
    pub os_type: Option<OsType>,
}

/// Derives OS facts from free text such as "Ubuntu Server 18.04 LTS x86 64-bit",
/// "CentOS 7.3 64bit", "centos6.6x86_32", "Windows Server 2019 Datacenter 64bit", "AOSP7.1.1".
pub fn os_info(text: &str) -> OsInfo {
    let _ = text;
    OsInfo::default()
}
