//! INI files as Python's `configparser` reads them (the official SDKs' credentials files are
//! read with it), on top of the `rust-ini` crate.
//!
//! What is kept from `configparser` (its defaults): `[section]` headers, case-sensitive;
//! `key = value` or `key: value`; keys lower-cased; values trimmed and taken as written (no
//! quote or backslash processing); whole-line comments starting with `#` or `;`; indented
//! continuation lines joined with a newline; a key outside any section, a repeated section
//! and a repeated key in one section are errors (`strict`); `[DEFAULT]` values show through in
//! every section for readers that ask for it ([`IniFile::section_with_defaults`], as
//! `ConfigParser.items()` does). Not kept: `%(name)s` interpolation (the credentials files
//! hold keys and ids, which have no `%`).

use std::collections::BTreeMap;

use ini::{Ini, ParseOption};

/// The section whose values every other section inherits.
const DEFAULT_SECTION: &str = "DEFAULT";

/// A parsed INI file: its sections, each a map of lower-cased keys to values.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IniFile {
    sections: BTreeMap<String, BTreeMap<String, String>>,
}

impl IniFile {
    /// Parses `text`; the error says what is wrong (and where, when the parser knows).
    pub fn parse(text: &str) -> Result<IniFile, String> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let opt = ParseOption {
            enabled_quote: false,
            enabled_escape: false,
            enabled_indented_mutiline_value: true,
            enabled_preserve_key_leading_whitespace: false,
        };
        let parsed = Ini::load_from_str_opt(text, opt).map_err(|e| {
            format!(
                "not a valid INI file: line {}, column {}: {}",
                e.line, e.col, e.msg
            )
        })?;
        let mut sections: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
        let mut seen: Vec<&str> = Vec::new();
        for (name, props) in parsed.iter() {
            let Some(name) = name else {
                if let Some((key, _)) = props.iter().next() {
                    return Err(format!(
                        "not a valid INI file: `{key}` comes before any [section] header"
                    ));
                }
                continue;
            };
            if seen.contains(&name) {
                return Err(format!(
                    "not a valid INI file: section [{name}] appears twice"
                ));
            }
            seen.push(name);
            let mut keys: BTreeMap<String, String> = BTreeMap::new();
            for (key, value) in props.iter() {
                let key = key.to_lowercase();
                if keys.insert(key.clone(), value.to_string()).is_some() {
                    return Err(format!(
                        "not a valid INI file: key `{key}` appears twice in [{name}]"
                    ));
                }
            }
            sections.insert(name.to_string(), keys);
        }
        Ok(IniFile { sections })
    }

    /// The keys of section `name` as written in it (`[DEFAULT]` not merged).
    pub fn section(&self, name: &str) -> Option<&BTreeMap<String, String>> {
        self.sections.get(name)
    }

    /// The keys of section `name` with `[DEFAULT]`'s underneath (its own win), as
    /// `ConfigParser.items(name)` gives them; `None` when the section is absent.
    pub fn section_with_defaults(&self, name: &str) -> Option<BTreeMap<String, String>> {
        let own = self.sections.get(name)?;
        let mut merged = self
            .sections
            .get(DEFAULT_SECTION)
            .cloned()
            .unwrap_or_default();
        merged.extend(own.iter().map(|(k, v)| (k.clone(), v.clone())));
        Some(merged)
    }

    /// The section names, `[DEFAULT]` excluded, sorted.
    pub fn section_names(&self) -> Vec<&str> {
        self.sections
            .keys()
            .map(String::as_str)
            .filter(|n| *n != DEFAULT_SECTION)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> IniFile {
        IniFile::parse(text).unwrap_or_else(|e| panic!("{e}: {text:?}"))
    }

    fn get<'a>(f: &'a IniFile, s: &str, k: &str) -> Option<&'a str> {
        f.section(s).and_then(|m| m.get(k)).map(String::as_str)
    }

    #[test]
    fn reads_keys_as_configparser_does() {
        let f = parse(
            "# a comment\n; another\n[basic]\nAK = HWAK123\nsk: s3cr=t;#not a comment\n\
             project_id=\n  \n[global]\nak=G\n",
        );
        assert_eq!(get(&f, "basic", "ak"), Some("HWAK123"), "keys lower-cased");
        assert_eq!(
            get(&f, "basic", "sk"),
            Some("s3cr=t;#not a comment"),
            "`:` separates; the value is taken as written"
        );
        assert_eq!(get(&f, "basic", "project_id"), Some(""), "empty value");
        assert_eq!(get(&f, "global", "ak"), Some("G"));
        assert_eq!(f.section_names(), vec!["basic", "global"]);
    }

    #[test]
    fn quotes_and_backslashes_are_part_of_the_value() {
        let f = parse("[default]\nsecret_id = \"AKID\"\nsecret_key = a\\b\\n'c'\n");
        assert_eq!(get(&f, "default", "secret_id"), Some("\"AKID\""));
        assert_eq!(get(&f, "default", "secret_key"), Some("a\\b\\n'c'"));
    }

    #[test]
    fn sections_are_case_sensitive_and_defaults_show_through() {
        let f = parse("[DEFAULT]\niam_endpoint = https://iam.x\nak = D\n[Basic]\nak = B\n");
        assert!(f.section("basic").is_none(), "[Basic] is not [basic]");
        let merged = f
            .section_with_defaults("Basic")
            .unwrap_or_else(|| panic!("[Basic]"));
        assert_eq!(merged.get("ak").map(String::as_str), Some("B"), "own wins");
        assert_eq!(
            merged.get("iam_endpoint").map(String::as_str),
            Some("https://iam.x")
        );
        assert_eq!(
            f.section("Basic").map(BTreeMap::len),
            Some(1),
            "raw: own only"
        );
        assert_eq!(f.section_names(), vec!["Basic"]);
    }

    #[test]
    fn continuation_lines_join_with_a_newline() {
        let f = parse("[a]\nk = one\n  two\nnext = 3\n");
        assert_eq!(get(&f, "a", "k"), Some("one\ntwo"));
        assert_eq!(get(&f, "a", "next"), Some("3"));
    }

    #[test]
    fn what_configparser_refuses_is_an_error() {
        for (text, want) in [
            ("ak = 1\n[basic]\n", "before any [section]"),
            (
                "[basic]\nak = 1\n[basic]\nsk = 2\n",
                "section [basic] appears twice",
            ),
            (
                "[basic]\nak = 1\nAK = 2\n",
                "key `ak` appears twice in [basic]",
            ),
            ("[basic\nak = 1\n", "not a valid INI file: line"),
        ] {
            let err = IniFile::parse(text).err().unwrap_or_default();
            assert!(err.contains(want), "{text:?}: {err}");
            assert!(!err.contains('\n'), "one line: {err}");
        }
    }

    #[test]
    fn an_empty_file_has_no_sections() {
        assert_eq!(parse("").section_names(), Vec::<&str>::new());
        assert_eq!(parse("\u{feff}[x]\nk=v\n").section_names(), vec!["x"]);
    }
}
