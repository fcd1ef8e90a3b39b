//! Secrets: a string that must never be printed ([`Secret`]), and the process-wide masker that
//! takes every configured secret value out of the text imgcat prints, the text servers send
//! included ([`register`], [`mask`]).
//!
//! A server may quote the request back in its error (a 400 whose message lists the request
//! headers prints the token), in a response header (logged at `--debug`), or anywhere in an
//! image. So every secret value is registered when credentials are resolved (the flag,
//! environment, profile, SDK file and metadata values of every credential group, temporary keys
//! again on each refresh, the metadata session token), and every text that can hold server
//! text is masked with [`mask`] on its way out: errors as they are built from an answer and
//! again when printed, every log line, every listed image, region lists.
//!
//! What is covered, for each registered value of at least [`MIN_LEN`] characters:
//! - the value itself;
//! - its JSON-escaped forms (`"` and `\` escaped; `/` as `\/` too, as PHP's `json_encode`
//!   writes it), as a server quoting it inside a JSON string sends it;
//! - its percent-encoded forms (RFC 3986 with upper- and lower-case hex digits, and
//!   `application/x-www-form-urlencoded`), as it travels in a query string (API 2.0's `Token`).
//!
//! Not covered: other encodings (base64 of a value, `\u` escapes of plain characters): imgcat
//! never sends a value so encoded (no Basic auth), so a server has none to quote. Signatures
//! are not registered (a new one per request); instead the value after a `Signature=` (or
//! `"signature": "`) of at least [`MIN_LEN`] characters is masked, which is how the
//! four signing schemes carry it (the `Authorization` header, API 2.0's query); the word is
//! looked for as `Signature`, `signature` and `SIGNATURE`.

use std::borrow::Cow;
use std::fmt;
use std::sync::{Arc, LazyLock, RwLock};

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

/// What a masked value is shown as.
pub const MASK: &str = "***";

/// Values shorter than this are not masked: no cloud issues keys that short, and masking them
/// would hit ordinary words and ids.
pub const MIN_LEN: usize = 8;

/// A secret value (secret key, password, token). `Debug` and `Display` print `***`.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Secret(String);

impl Secret {
    /// Wraps a value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }
    /// The value itself, for signing or sending. Never log it.
    pub fn expose(&self) -> &str {
        &self.0
    }
    /// Registers the value with the process-wide masker ([`register`]).
    pub fn register(&self) {
        register(&self.0);
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(MASK)
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(MASK)
    }
}

impl From<String> for Secret {
    fn from(s: String) -> Self {
        Secret(s)
    }
}

/// The registered values and the automata that find them; one snapshot ([`masker`]) serves
/// many texts without taking the lock again.
pub struct Masker {
    /// The values registered, as given.
    values: Vec<String>,
    /// Every form of every value (see the module documentation).
    text: Automaton,
    /// The forms that can stand inside a JSON string as it is written (raw values holding `"`
    /// or `\` left out: in JSON text such a match would cross a string's bounds).
    json: Automaton,
    /// The longest text a mask can replace (a form, or a signature and its key).
    longest: usize,
}

impl fmt::Debug for Masker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Masker")
            .field("values", &self.values.len())
            .finish()
    }
}

static MASKER: LazyLock<RwLock<Arc<Masker>>> =
    LazyLock::new(|| RwLock::new(Arc::new(Masker::build(Vec::new()))));

/// Registers a secret value: from now on [`mask`] replaces it (in every covered form) with
/// [`MASK`]. Surrounding white space is ignored (values are read trimmed); values shorter than
/// [`MIN_LEN`], and values already registered, change nothing.
pub fn register(value: &str) {
    let value = value.trim();
    if value.chars().count() < MIN_LEN {
        return;
    }
    let known = |m: &Masker| m.values.iter().any(|v| v == value);
    if known(&masker()) {
        return;
    }
    let mut slot = MASKER.write().unwrap_or_else(|e| e.into_inner());
    if known(&slot) {
        return;
    }
    let mut values = slot.values.clone();
    values.push(value.to_string());
    *slot = Arc::new(Masker::build(values));
}

/// The masker in force now: a snapshot, for masking many texts at once (a page of images).
pub fn masker() -> Arc<Masker> {
    MASKER.read().unwrap_or_else(|e| e.into_inner()).clone()
}

/// `text` with every registered secret and every signature masked ([`Masker::text`]).
pub fn mask(text: &str) -> Cow<'_, str> {
    masker().text(text)
}

/// Masks `s` in place ([`Masker::text`]).
pub fn mask_in_place(s: &mut String) {
    masker().in_place(s);
}

/// The first `n` bytes of `body` as text (lossy), masked: masked before it is cut, so that a
/// secret running past the cut is masked whole rather than printed in part.
pub fn excerpt(body: &[u8], n: usize) -> String {
    let m = masker();
    let window = body.len().min(n.saturating_add(m.longest));
    let text = String::from_utf8_lossy(&body[..window]);
    let masked = m.text(&text);
    let mut end = masked.len().min(n);
    while !masked.is_char_boundary(end) {
        end -= 1;
    }
    masked[..end].to_string()
}

impl Masker {
    fn build(values: Vec<String>) -> Masker {
        let mut text: Vec<String> = Vec::new();
        let mut json: Vec<String> = Vec::new();
        for v in &values {
            for form in forms(v) {
                if !(form.contains('"') || form.contains('\\')) || form != *v {
                    push_new(&mut json, form.clone());
                }
                push_new(&mut text, form);
            }
        }
        Masker {
            longest: text
                .iter()
                .map(String::len)
                .max()
                .unwrap_or(0)
                .max(SIGNATURE_SPAN),
            values,
            text: Automaton::new(text),
            json: Automaton::new(json),
        }
    }

    /// `text` with every form of every registered value, and the value of every
    /// `Signature=`, replaced with [`MASK`]; borrowed when there is nothing to mask.
    pub fn text<'a>(&self, text: &'a str) -> Cow<'a, str> {
        match self.text.replace(text.as_bytes(), false) {
            None => Cow::Borrowed(text),
            // Whole UTF-8 values and ASCII signatures were replaced by ASCII: still UTF-8.
            Some(bytes) => Cow::Owned(
                String::from_utf8(bytes)
                    .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
            ),
        }
    }

    /// Masks `s` in place ([`Masker::text`]).
    pub fn in_place(&self, s: &mut String) {
        if let Cow::Owned(masked) = self.text(s) {
            *s = masked;
        }
    }

    /// JSON text (valid, as a provider sent it) with the registered values masked inside its
    /// strings, and signatures as in [`Masker::text`], so that it stays valid JSON; `None`
    /// when there is nothing to mask.
    pub fn json(&self, text: &[u8]) -> Option<Vec<u8>> {
        self.json.replace(text, true)
    }
}

/// The spellings of the word that introduces a signature (`Signature=` in the `Authorization`
/// of every scheme and in API 2.0's query; `signature` as JSON members and header names).
const SIGNATURE_WORDS: [&str; 3] = ["Signature", "signature", "SIGNATURE"];

/// One pass over a text finds both the forms of the registered values and the words that
/// introduce a signature: patterns `0..forms` are forms, the rest [`SIGNATURE_WORDS`].
struct Automaton {
    ac: Option<AhoCorasick>,
    forms: usize,
}

impl Automaton {
    fn new(forms: Vec<String>) -> Automaton {
        let count = forms.len();
        let mut patterns = forms;
        patterns.extend(SIGNATURE_WORDS.iter().map(|w| w.to_string()));
        let ac = AhoCorasickBuilder::new()
            // A value holding another (or the word `signature`) is masked whole.
            .match_kind(MatchKind::LeftmostLongest)
            .build(&patterns)
            .ok();
        Automaton { ac, forms: count }
    }

    /// `text` with every form replaced with [`MASK`], and every signature value after a
    /// signature word ([`signature_value`]); `None` when nothing was.
    fn replace(&self, text: &[u8], json: bool) -> Option<Vec<u8>> {
        let ac = self.ac.as_ref()?;
        let mut out: Option<Vec<u8>> = None;
        let mut copied = 0;
        let mut at = 0;
        while at < text.len() {
            let Some(m) = ac.find(aho_corasick::Input::new(text).span(at..text.len())) else {
                break;
            };
            let (start, end) = if m.pattern().as_usize() < self.forms {
                (m.start(), m.end())
            } else {
                match signature_value(text, m.end(), json) {
                    Some(span) => span,
                    None => {
                        at = m.end();
                        continue;
                    }
                }
            };
            let buf = out.get_or_insert_with(|| Vec::with_capacity(text.len()));
            buf.extend_from_slice(&text[copied..start]);
            buf.extend_from_slice(MASK.as_bytes());
            copied = end;
            at = end;
        }
        let mut buf = out?;
        buf.extend_from_slice(&text[copied..]);
        Some(buf)
    }
}

fn push_new(v: &mut Vec<String>, s: String) {
    if !v.contains(&s) {
        v.push(s);
    }
}

/// The forms of `v` that are masked (see the module documentation).
fn forms(v: &str) -> Vec<String> {
    let mut out = vec![v.to_string()];
    let json = json_escaped(v);
    if json.contains('/') {
        push_new(&mut out, json.replace('/', "\\/"));
    }
    push_new(&mut out, json);
    let rfc3986 = percent_encoding::utf8_percent_encode(v, RFC3986).to_string();
    push_new(&mut out, rfc3986.clone());
    push_new(&mut out, lower_hex(&rfc3986));
    push_new(
        &mut out,
        url::form_urlencoded::byte_serialize(v.as_bytes()).collect(),
    );
    out
}

/// Everything but RFC 3986's unreserved characters.
const RFC3986: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// `v` as it stands inside a JSON string (without the quotes).
fn json_escaped(v: &str) -> String {
    let quoted = serde_json::to_string(v).unwrap_or_else(|_| format!("\"{v}\""));
    quoted[1..quoted.len() - 1].to_string()
}

/// A percent-encoded text with its hex digits in lower case.
fn lower_hex(encoded: &str) -> String {
    let mut out = String::with_capacity(encoded.len());
    let mut after_percent = 0;
    for c in encoded.chars() {
        if c == '%' {
            after_percent = 2;
            out.push(c);
        } else if after_percent > 0 {
            after_percent -= 1;
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// How long a signature and its key can be, as far as an excerpt must look past its end to
/// mask one it cuts (a percent-encoded SHA-256 in base64 is 60 characters).
const SIGNATURE_SPAN: usize = 256;

/// Where the value of a signature starts and ends, after a signature word ending at `i`: an
/// `=` or `:` follows (quotes, backslashes and spaces around it allowed), then at least
/// [`MIN_LEN`] characters of base64, hex or percent-encoding. In `json` text a backslash belongs
/// to a value only as `\/` (so that an escaped quote stays whole).
fn signature_value(text: &[u8], i: usize, json: bool) -> Option<(usize, usize)> {
    let mut i = skip(text, i, b"\"'\\ ");
    if !matches!(text.get(i), Some(b'=' | b':')) {
        return None;
    }
    i = skip(text, i + 1, b"\"'\\ ");
    let start = i;
    while let Some(&c) = text.get(i) {
        let plain = c.is_ascii_alphanumeric() || b"+/=%_-".contains(&c);
        if plain || (c == b'\\' && !json) {
            i += 1;
        } else if c == b'\\' && text.get(i + 1) == Some(&b'/') {
            i += 2;
        } else {
            break;
        }
    }
    // A value ends before a backslash that escapes the closing quote.
    let mut end = i;
    while end > start && text[end - 1] == b'\\' {
        end -= 1;
    }
    (end - start >= MIN_LEN).then_some((start, end))
}

/// The index after at most four of `chars` from `i`.
fn skip(text: &[u8], mut i: usize, chars: &[u8]) -> usize {
    let limit = i + 4;
    while i < limit && text.get(i).is_some_and(|c| chars.contains(c)) {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn masker(values: &[&str]) -> Masker {
        Masker::build(values.iter().map(|s| s.to_string()).collect())
    }

    #[test]
    fn every_form_of_a_value_is_masked() {
        let m = masker(&["tok+en/with=chars\"q", "plainsecretvalue"]);
        for text in [
            "header: tok+en/with=chars\"q end",
            r#"{"msg":"tok+en/with=chars\"q"}"#,
            r#"{"msg":"tok+en\/with=chars\"q"}"#,
            "?Token=tok%2Ben%2Fwith%3Dchars%22q&x=1",
            "?Token=tok%2ben%2fwith%3dchars%22q&x=1",
            "plainsecretvalue",
        ] {
            let got = m.text(text);
            assert!(got.contains(MASK), "{text} -> {got}");
            assert!(
                !got.contains("chars") && !got.contains("plainsecret"),
                "{text} -> {got}"
            );
        }
        assert!(matches!(m.text("nothing here"), Cow::Borrowed(_)));
    }

    #[test]
    fn an_excerpt_masks_a_secret_it_cuts() {
        register("excerpt-secret-0123456789");
        let body = format!("{}excerpt-secret-0123456789 and more", "x".repeat(150));
        let got = excerpt(body.as_bytes(), 160);
        assert_eq!(got, format!("{}*** and mo", "x".repeat(150)));
        assert_eq!(
            excerpt("héllo".as_bytes(), 2),
            "h",
            "cut at a character boundary"
        );
    }

    #[test]
    fn a_longer_value_holding_a_shorter_one_is_masked_whole() {
        let m = masker(&["abcdefgh", "abcdefgh-and-more"]);
        assert_eq!(m.text("x abcdefgh-and-more y abcdefgh z"), "x *** y *** z");
    }

    #[test]
    fn short_values_are_not_registered() {
        let m = masker(&[]);
        assert_eq!(m.text("short"), "short");
        register("short");
        assert!(!super::masker().values.iter().any(|v| v == "short"));
    }

    #[test]
    fn signatures_are_masked_in_every_usual_spelling() {
        let m = masker(&[]);
        let sig = "0123456789abcdef0123456789abcdef";
        for text in [
            format!("SDK-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature={sig}"),
            format!("?Action=X&Signature=abc%2Bdef%2F{sig}&Token=t"),
            format!(r#"{{"authorization":"TC3 Credential=a/b, Signature={sig}"}}"#),
            format!(r#"{{"signature": "{sig}"}}"#),
            format!(r#"body starts: "{{\"Signature\":\"{sig}\"}}""#),
        ] {
            let got = m.text(&text);
            assert!(!got.contains(sig), "{text} -> {got}");
            assert!(got.contains(MASK), "{text} -> {got}");
        }
        assert_eq!(
            m.text("Signature=00"),
            "Signature=00",
            "too short to be one"
        );
        assert_eq!(
            m.text("SignedHeaders=content-type;host"),
            "SignedHeaders=content-type;host"
        );
    }

    #[test]
    fn json_stays_valid() {
        let m = masker(&["se\"cr/et-value", "another-secret"]);
        let doc = serde_json::json!({
            "a": "x se\"cr/et-value y",
            "b": "another-secret",
            "c": "Signature=0123456789abcdef\\",
            "d": "signature: \"0123456789abcdef\"",
        })
        .to_string();
        let got = m.json(doc.as_bytes()).unwrap_or_else(|| panic!("masked"));
        let text = String::from_utf8_lossy(&got);
        let parsed: serde_json::Value =
            serde_json::from_slice(&got).unwrap_or_else(|e| panic!("{e}: {text}"));
        let all = parsed.to_string();
        assert!(
            !all.contains("cr/et") && !all.contains("another-secret"),
            "{all}"
        );
        assert!(!all.contains("0123456789abcdef"), "{all}");
        assert_eq!(m.json(br#"{"a":"clean"}"#), None);
    }
}
