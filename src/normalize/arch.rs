//! CPU architecture from a structured field or from free text.

use super::family::word_positions;
use crate::model::Arch;

/// The architecture a single field value names (any case, surrounding spaces ignored), e.g. an
/// adapter's `architecture` field: `x86_64`, `x86-64`, `amd64`, `x64` and `x86` -> `X86_64`
/// (providers say "x86" for their x86-64 hosts); `aarch64`, `arm64`, `armv8` and `arm` -> `Arm64`
/// (their Arm hosts are all 64-bit); `i386`, `i586`, `i686`, `x86_32` -> `I386`. Anything else,
/// including a bare bitness such as "64" or "32bit", is `None`: use [`super::os_info`] for text.
pub fn arch_from_token(s: &str) -> Option<Arch> {
    match s.trim().to_ascii_lowercase().as_str() {
        "x86_64" | "x86-64" | "amd64" | "x64" | "x86" => Some(Arch::X86_64),
        "aarch64" | "arm64" | "armv8" | "arm" => Some(Arch::Arm64),
        "i386" | "i586" | "i686" | "x86_32" | "x86-32" => Some(Arch::I386),
        _ => None,
    }
}

/// The architecture named in lower-case free text; the rules are on [`super::os_info`].
pub(crate) fn from_text(lower: &str) -> Option<Arch> {
    let any_word = |words: &[&str]| {
        words
            .iter()
            .any(|w| word_positions(lower, w).next().is_some())
    };
    let bits32 = has_bitness(lower, "32");
    if any_word(&["arm", "arm64", "aarch64", "armv8", "kunpeng"]) {
        return (!bits32).then_some(Arch::Arm64);
    }
    if any_word(&["i386", "i586", "i686", "x86_32", "x86-32"]) {
        return Some(Arch::I386);
    }
    if any_word(&["x86_64", "x86-64", "amd64", "x64", "x86 64"]) {
        return Some(Arch::X86_64);
    }
    if any_word(&["x86"]) {
        return Some(if bits32 { Arch::I386 } else { Arch::X86_64 });
    }
    if has_bitness(lower, "64") {
        return Some(Arch::X86_64);
    }
    if bits32 {
        return Some(Arch::I386);
    }
    None
}

/// Whether `lower` says "<bits>bit", "<bits>-bit", "<bits> bit" or "<bits>位", with `bits` not
/// glued to a preceding letter or digit (so "x86_64" and "arm64" are not bitnesses).
fn has_bitness(lower: &str, bits: &str) -> bool {
    lower.match_indices(bits).any(|(start, _)| {
        let before = lower[..start].chars().next_back();
        if before.is_some_and(|c| c.is_ascii_alphanumeric()) {
            return false;
        }
        let after = lower[start + bits.len()..].trim_start_matches([' ', '-']);
        after.starts_with("bit") || after.starts_with('位')
    })
}
