//! CPU architecture from a structured field or from free text.

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;

use super::family::is_word_at;
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
/// The architecture words, in groups checked in this order.
const ARM: &[&str] = &["arm", "arm64", "aarch64", "armv8", "kunpeng"];
const I386: &[&str] = &["i386", "i586", "i686", "x86_32", "x86-32"];
const X86_64: &[&str] = &["x86_64", "x86-64", "amd64", "x64", "x86 64"];
const X86: &[&str] = &["x86"];
const GROUPS: &[&[&str]] = &[ARM, I386, X86_64, X86];

/// One automaton over every word of [`GROUPS`], built once; pattern ids map back to groups.
fn words() -> &'static (AhoCorasick, Vec<usize>) {
    static AC: LazyLock<(AhoCorasick, Vec<usize>)> = LazyLock::new(|| {
        let mut group_of = Vec::new();
        let mut patterns = Vec::new();
        for (g, words) in GROUPS.iter().enumerate() {
            for w in *words {
                patterns.push(*w);
                group_of.push(g);
            }
        }
        let ac =
            AhoCorasick::new(patterns).unwrap_or_else(|e| unreachable!("constant patterns: {e}"));
        (ac, group_of)
    });
    &AC
}

pub(crate) fn from_text(lower: &str) -> Option<Arch> {
    let (ac, group_of) = words();
    let mut present = [false; 4];
    for m in ac.find_overlapping_iter(lower) {
        if is_word_at(lower, m.start(), m.end()) {
            present[group_of[m.pattern().as_usize()]] = true;
        }
    }
    let [arm, i386, x86_64, x86] = present;
    let bits32 = has_bitness(lower, "32");
    if arm {
        return (!bits32).then_some(Arch::Arm64);
    }
    if i386 {
        return Some(Arch::I386);
    }
    if x86_64 {
        return Some(Arch::X86_64);
    }
    if x86 {
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
