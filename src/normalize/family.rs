//! OS family names: the canonical list, the spellings that lead to each, and the OS type of each.

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;

use crate::model::OsType;

/// Every canonical family [`family_from_text`] can return, in lower case.
///
/// Choices worth knowing: Red Hat Enterprise Linux is `rhel`, SUSE Linux Enterprise (and plain
/// "SUSE", as Huawei's `__platform` says) is `sles`, Oracle Linux is `oracle`, AlmaLinux is
/// `almalinux`, Huawei Cloud EulerOS is `hce` (its os-release id; plain "EulerOS" is `euleros`),
/// Tencent Linux / tlinux is `tencentos` (its new name), UnionTech OS is `uos`, Alibaba Cloud Linux
/// is `alinux`, Fedora CoreOS and CoreOS Container Linux are both `coreos`.
pub const FAMILIES: &[&str] = &[
    "almalinux",
    "alinux",
    "amazonlinux",
    "android",
    "anolis",
    "aosp",
    "archlinux",
    "centos",
    "coreos",
    "debian",
    "deepin",
    "euleros",
    "fedora",
    "freebsd",
    "gentoo",
    "hce",
    "kylin",
    "opencloudos",
    "openeuler",
    "opensuse",
    "oracle",
    "rhel",
    "rocky",
    "sles",
    "tencentos",
    "ubuntu",
    "uos",
    "windows",
];

/// Lower-case spellings (matched as words, see [`find`]) and the family each one means.
const SPELLINGS: &[(&str, &str)] = &[
    ("alibaba cloud linux", "alinux"),
    ("aliyun linux", "alinux"),
    ("alinux", "alinux"),
    ("alma linux", "almalinux"),
    ("almalinux", "almalinux"),
    ("alma", "almalinux"),
    ("amazon linux", "amazonlinux"),
    ("amazonlinux", "amazonlinux"),
    ("android", "android"),
    ("anolis", "anolis"),
    ("aosp", "aosp"),
    ("arch linux", "archlinux"),
    ("archlinux", "archlinux"),
    ("centos", "centos"),
    ("cent os", "centos"),
    ("container linux", "coreos"),
    ("coreos", "coreos"),
    ("fedora coreos", "coreos"),
    ("debian", "debian"),
    ("deepin", "deepin"),
    ("euleros", "euleros"),
    ("euler os", "euleros"),
    ("fedora", "fedora"),
    ("freebsd", "freebsd"),
    ("gentoo", "gentoo"),
    ("huawei cloud euleros", "hce"),
    ("hce", "hce"),
    ("kylin", "kylin"),
    ("opencloudos", "opencloudos"),
    ("openeuler", "openeuler"),
    ("opensuse", "opensuse"),
    ("open suse", "opensuse"),
    ("oracle linux", "oracle"),
    ("oraclelinux", "oracle"),
    ("oracle enterprise linux", "oracle"),
    ("red hat", "rhel"),
    ("redhat", "rhel"),
    ("rhel", "rhel"),
    ("rocky linux", "rocky"),
    ("rockylinux", "rocky"),
    ("rocky", "rocky"),
    ("sles", "sles"),
    ("suse", "sles"),
    ("tencentos", "tencentos"),
    ("tencent os", "tencentos"),
    ("tencent linux", "tencentos"),
    ("tlinux", "tencentos"),
    ("ubuntu", "ubuntu"),
    ("uniontech", "uos"),
    ("uos", "uos"),
    ("windows", "windows"),
];

/// The canonical family named in `text` (any case), e.g. "Red Hat Enterprise Linux 7.4" ->
/// `rhel`, or `None`.
///
/// Spellings are matched as words: not preceded by a letter and not followed by one (digits may
/// follow, as in "centos6.6" or "AOSP7.1.1"). When several families are named, the leftmost wins;
/// at one position, the longest spelling. Also accepts a canonical name or a provider's platform
/// value such as Huawei's `__platform` ("RedHat", "Oracle Linux", "OpenSUSE"). "Oracle" alone
/// is only a family when it is the whole text (in a name it may be the database).
pub fn family_from_text(text: &str) -> Option<&'static str> {
    find(&text.to_lowercase()).map(|(family, _)| family)
}

/// The OS type of a family (any case): `windows` -> Windows, `aosp`/`android` -> Android, any
/// other family in [`FAMILIES`] (including the BSDs) -> Linux, anything else -> Other.
pub fn family_os_type(family: &str) -> OsType {
    let lower = family.trim().to_ascii_lowercase();
    match lower.as_str() {
        "windows" => OsType::Windows,
        "aosp" | "android" => OsType::Android,
        f if FAMILIES.contains(&f) => OsType::Linux,
        _ => OsType::Other,
    }
}

/// Finds the leftmost, then longest, family spelling in lower-case `lower`; returns the family and
/// the byte offset just past the spelling. A text that is exactly a canonical name is that family.
pub(crate) fn find(lower: &str) -> Option<(&'static str, usize)> {
    if let Some(canonical) = FAMILIES.iter().find(|f| **f == lower.trim()) {
        return Some((canonical, lower.len()));
    }
    // One pass over the text for every spelling; the leftmost word-bounded match wins, and at
    // the same start the longest.
    let mut best: Option<(usize, usize, &'static str)> = None; // (start, end, family)
    for m in spellings().find_overlapping_iter(lower) {
        let (start, end) = (m.start(), m.end());
        if !is_word_at(lower, start, end) {
            continue;
        }
        let better = match best {
            None => true,
            Some((s, e, _)) => start < s || (start == s && end > e),
        };
        if better {
            best = Some((start, end, SPELLINGS[m.pattern().as_usize()].1));
        }
    }
    best.map(|(_, end, family)| (family, end))
}

/// The automaton of every spelling in [`SPELLINGS`], built once.
fn spellings() -> &'static AhoCorasick {
    static AC: LazyLock<AhoCorasick> = LazyLock::new(|| {
        AhoCorasick::new(SPELLINGS.iter().map(|(s, _)| *s))
            .unwrap_or_else(|e| unreachable!("constant patterns: {e}"))
    });
    &AC
}

/// Whether `haystack[start..end]` is not preceded and not followed by an ASCII letter.
pub(crate) fn is_word_at(haystack: &str, start: usize, end: usize) -> bool {
    let before = haystack[..start].chars().next_back();
    let after = haystack[end..].chars().next();
    let is_letter = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphabetic());
    !is_letter(before) && !is_letter(after)
}

/// Whether `word` occurs in `lower` as a word (see [`word_positions`]).
pub(crate) fn has_word(lower: &str, word: &str) -> bool {
    word_positions(lower, word).next().is_some()
}

/// Byte offsets where `word` occurs in `haystack` not preceded and not followed by an ASCII
/// letter.
pub(crate) fn word_positions<'h>(
    haystack: &'h str,
    word: &'h str,
) -> impl Iterator<Item = usize> + 'h {
    haystack.match_indices(word).filter_map(move |(start, _)| {
        is_word_at(haystack, start, start + word.len()).then_some(start)
    })
}
