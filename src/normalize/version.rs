//! The OS version that follows a family name.

/// Words that may stand between a family name and its version ("Ubuntu Server 18.04",
/// "Debian GNU/Linux 10.2", "SUSE Linux Enterprise Server 12").
const FILLERS: &[&str] = &[
    "datacenter",
    "edition",
    "enterprise",
    "gnu",
    "linux",
    "os",
    "server",
    "standard",
    "stream",
    "version",
];

/// At most this many filler words are skipped; a number further away is not the version.
const MAX_FILLERS: usize = 4;

/// The version in `rest`, the lower-case text just after the family name, e.g. " 7.4.1708 x86"
/// -> `7.4` (for centos), " server 2012 r2 standard" -> `2012r2`, "7.1.1" -> `7.1.1`.
///
/// A number directly followed by "bit"/"位" is a bitness, not a version ("Ubuntu 64bit" -> `None`).
/// A leading `v` is dropped ("V10" -> `10`). One qualifier is appended without spaces: `r2`
/// ("2012 R2") or `spN` ("12 SP3", "22.03 LTS SP1").
pub(crate) fn after_family(family: &str, rest: &str) -> Option<String> {
    let mut s = rest;
    let mut skipped = 0;
    loop {
        s = trim_separators(s);
        let first = s.chars().next()?;
        if first.is_ascii_digit() {
            break;
        }
        if first == 'v' && s[1..].starts_with(|c: char| c.is_ascii_digit()) {
            s = &s[1..];
            break;
        }
        let word_len = s
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(s.len());
        if word_len == 0 || skipped >= MAX_FILLERS || !FILLERS.contains(&&s[..word_len]) {
            return None;
        }
        s = &s[word_len..];
        skipped += 1;
    }

    let number_len = number_len(s);
    let (number, after) = s.split_at(number_len);
    if is_bitness_suffix(after) {
        return None;
    }
    let mut version = if family == "centos" {
        drop_centos_build(number).to_string()
    } else {
        number.to_string()
    };
    if let Some(qualifier) = qualifier(after) {
        version.push_str(&qualifier);
    }
    Some(version)
}

/// Skips spaces and the punctuation names use between words.
fn trim_separators(s: &str) -> &str {
    s.trim_start_matches(|c: char| c.is_whitespace() || matches!(c, '-' | '_' | '/' | ':' | ','))
}

/// Length of the leading `digits(.digits)*` in `s`.
fn number_len(s: &str) -> usize {
    let bytes = s.as_bytes();
    let mut end = 0;
    while end < bytes.len() {
        let digit = bytes[end].is_ascii_digit();
        let dot_then_digit =
            bytes[end] == b'.' && bytes.get(end + 1).is_some_and(u8::is_ascii_digit);
        if !(digit || dot_then_digit) {
            break;
        }
        end += 1;
    }
    end
}

/// Whether `after` (the text after a number) makes that number a bitness: "bit", "-bit", " bit",
/// "位".
fn is_bitness_suffix(after: &str) -> bool {
    let t = after.trim_start_matches([' ', '-']);
    t.starts_with("bit") || t.starts_with('位')
}

/// CentOS names carry the build after the minor version ("7.4.1708", "8.2.2004"): drop it.
fn drop_centos_build(number: &str) -> &str {
    let parts: Vec<&str> = number.split('.').collect();
    match parts.as_slice() {
        [major, minor, build] if build.len() >= 4 => &number[..major.len() + 1 + minor.len()],
        _ => number,
    }
}

/// `r2` or `spN` right after the version (an "LTS" in between is allowed), else `None`.
fn qualifier(after: &str) -> Option<String> {
    let mut t = trim_separators(after);
    if let Some(rest) = t.strip_prefix("lts") {
        t = trim_separators(rest);
    }
    let ends_word = |rest: &str| !rest.starts_with(|c: char| c.is_ascii_alphanumeric());
    if let Some(rest) = t.strip_prefix("r2")
        && ends_word(rest)
    {
        return Some("r2".to_string());
    }
    let rest = t.strip_prefix("sp")?.trim_start_matches(' ');
    let digits = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    if digits == 0 || !ends_word(&rest[digits..]) {
        return None;
    }
    Some(format!("sp{}", &rest[..digits]))
}
