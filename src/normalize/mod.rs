//! Normalization helpers: OS family, version, architecture and type from provider fields and names.
//!
//! The providers rarely say all of this in structured fields; what they do give is a name such as
//! "CentOS 7.4.1708 x86 64-bit" or "centos6.6x86_32". [`os_info`] reads such text; adapters that do
//! have structured fields use [`family_from_text`], [`family_os_type`] and [`arch_from_token`] on
//! them and fall back to [`os_info`] for the rest.
//!
//! The rules, in short (each function documents its own):
//! - Families are lower-case canonical names (see [`FAMILIES`]); the leftmost mention in the text
//!   wins, and the longest name at that position (so "Huawei Cloud EulerOS" is `hce`, not
//!   `euleros`). Nothing is guessed from unrelated words: no family found means `None`.
//! - Versions are the number that follows the family name (after filler words such as "Server",
//!   "Linux", "GNU/Linux", "Enterprise"), with qualifiers folded in lower case and without spaces:
//!   "2012 R2" -> `2012r2`, "12 SP3" -> `12sp3`, "V10 SP1" -> `10sp1`. CentOS's build number is
//!   dropped ("7.4.1708" -> `7.4`).
//! - Architecture: an explicit Arm token (arm, arm64, aarch64, kunpeng) wins; a bitness without an
//!   Arm token ("64bit", "64位") means x86: that is what these providers mean by it, since their Arm
//!   images always say so. See [`os_info`].

mod arch;
mod family;
mod version;

#[cfg(test)]
mod tests;

use crate::model::{Arch, OsType};

pub use arch::arch_from_token;
pub use family::{FAMILIES, family_from_text, family_os_type};

/// What could be derived about an image's operating system.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OsInfo {
    /// Lower-case family (`ubuntu`, `centos`, `windows`, `euleros`, `aosp`, ...).
    pub family: Option<String>,
    /// Version (`18.04`, `7.3`, `2019`, `2012r2`, `7.1.1`).
    pub version: Option<String>,
    /// Architecture.
    pub arch: Option<Arch>,
    /// OS type implied by the family (or by the word "Linux" when no family is known).
    pub os_type: Option<OsType>,
}

/// Derives OS facts from free text such as "Ubuntu Server 18.04 LTS x86 64-bit",
/// "CentOS 7.3 64bit", "centos6.6x86_32", "Windows Server 2019 Datacenter 64bit", "AOSP7.1.1".
///
/// - `family`: see [`family_from_text`].
/// - `version`: the version that follows the family name; `None` without a family.
/// - `arch`, in this order: an Arm token (`arm`, `arm64`, `aarch64`, `armv8`, `kunpeng`) gives
///   [`Arch::Arm64`] (with a 32-bit marker it gives `None`: 32-bit Arm has no [`Arch`]);
///   `i386`/`i686`/`x86_32` give [`Arch::I386`]; `x86_64`/`x86-64`/`amd64`/`x64`/"x86 64" give
///   [`Arch::X86_64`]; a bare `x86` gives `X86_64` unless a 32-bit marker is present; a bare
///   bitness ("64bit", "64-bit", "64 bit", "64位") gives `X86_64`, "32bit" gives `I386`.
///   Nothing of that: `None`.
/// - `os_type`: [`family_os_type`] of the family; without a family, `Linux` if the text says
///   "linux", else `None`.
pub fn os_info(text: &str) -> OsInfo {
    let lower = text.to_lowercase();
    let found = family::find(&lower);
    let family = found.map(|(name, _)| name.to_string());
    let version = found.and_then(|(name, end)| version::after_family(name, &lower[end..]));
    let os_type = match &family {
        Some(f) => Some(family_os_type(f)),
        None if family::has_word(&lower, "linux") => Some(OsType::Linux),
        None => None,
    };
    OsInfo {
        family,
        version,
        arch: arch::from_text(&lower),
        os_type,
    }
}
