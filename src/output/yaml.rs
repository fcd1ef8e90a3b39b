//! `yaml`: one YAML sequence, streamed an item at a time (`- provider: ...`). An empty listing is
//! `[]`.
//!
//! The text is written by [`to_yaml`], which quotes every string a YAML loader could read as
//! anything but a string: YAML 1.1 loaders (PyYAML, Ruby's Psych, ...) read a plain
//! `2018-09-06T14:03:27Z` as a timestamp, `2018-09-06` as a date, `7.3` as a float, `yes` and `on`
//! as booleans, `1:20` as a number. imgcat writes a string plain only when it starts with a letter,
//! `_` or `/`, holds no `:`, `#` or quoting character and is not one of those words; anything else
//! is double-quoted (JSON escapes, which YAML reads the same), so every value loads back as the
//! string JSON has. (serde_norway, which imgcat used before, follows YAML 1.2 and leaves
//! timestamps plain.)

use std::io::{self, Write};

use serde_json::Value;

use std::sync::Arc;

use super::fields::{Field, Projection};
use super::{Encoder, Sink};
use crate::model::Image;

/// Streams images (or, with `columns`, those fields of each) as the items of one YAML sequence.
pub struct YamlSink<W: Write> {
    out: W,
    columns: Option<Vec<Field>>,
    written: usize,
    finished: bool,
}

impl<W: Write> YamlSink<W> {
    /// A sink writing whole images (or only `columns`) to `out`.
    pub fn new(out: W, columns: Option<Vec<Field>>) -> Self {
        YamlSink {
            out,
            columns,
            written: 0,
            finished: false,
        }
    }
}

/// An image as a JSON value: whole (`extra` as a mapping like the other fields), or `columns`.
fn image_value(image: &Image, columns: Option<&[Field]>) -> io::Result<Value> {
    match columns {
        None => serde_json::to_value(image),
        Some(fields) => serde_json::to_value(Projection::new(image, fields)),
    }
    .map_err(io::Error::other)
}

/// One image as a YAML mapping (`imgcat show -o yaml`).
pub fn image_to_yaml(image: &Image) -> io::Result<String> {
    Ok(to_yaml(&image_value(image, None)?))
}

/// Encodes images as items of the sequence, ahead of time (waiting targets then hold text).
struct YamlItems(Option<Arc<[Field]>>);

impl Encoder for YamlItems {
    fn encode(&self, images: &[Image], buf: &mut Vec<u8>) -> io::Result<()> {
        super::encode_batch(images, buf, b"", |image, out| {
            let value = image_value(image, self.0.as_deref())?;
            out.extend_from_slice(to_yaml(&Value::Array(vec![value])).as_bytes());
            Ok(())
        })
    }
}

impl<W: Write> Sink for YamlSink<W> {
    fn encoder(&self) -> Option<Arc<dyn Encoder>> {
        Some(Arc::new(YamlItems(self.columns.clone().map(Arc::from))))
    }

    fn write_encoded(&mut self, bytes: &[u8], count: usize) -> io::Result<()> {
        self.out.write_all(bytes)?;
        self.written += count;
        self.out.flush()
    }

    fn write(&mut self, images: &[Image]) -> io::Result<()> {
        for image in images {
            // Rendered whole before writing, so a failure never leaves half an item.
            let value = image_value(image, self.columns.as_deref())?;
            let text = to_yaml(&Value::Array(vec![value]));
            self.out.write_all(text.as_bytes())?;
            self.written += 1;
        }
        self.out.flush()
    }

    fn finish(&mut self) -> io::Result<()> {
        if self.finished {
            return Ok(());
        }
        self.finished = true;
        if self.written == 0 {
            self.out.write_all(b"[]\n")?;
        }
        self.out.flush()
    }
}

/// `value` as a YAML document in block style, ending in a newline: mappings as `key: value`
/// lines, sequences as `- item` lines (at the indentation of their key), `{}` and `[]` for
/// empty ones, scalars as [`scalar`] writes them.
pub fn to_yaml(value: &Value) -> String {
    let mut out = String::new();
    match value {
        Value::Object(map) if !map.is_empty() => block(value, 0, false, &mut out),
        Value::Array(items) if !items.is_empty() => block(value, 0, false, &mut out),
        _ => {
            scalar(value, &mut out);
            out.push('\n');
        }
    }
    out
}

/// Whether `value` is written on its own lines (a non-empty mapping or sequence).
fn is_block(value: &Value) -> bool {
    match value {
        Value::Object(map) => !map.is_empty(),
        Value::Array(items) => !items.is_empty(),
        _ => false,
    }
}

/// Writes a non-empty mapping or sequence, each line indented by `indent` spaces; when
/// `inline_first`, the first line's indentation is already written (after a `- `).
fn block(value: &Value, indent: usize, inline_first: bool, out: &mut String) {
    let pad = |first: bool, out: &mut String| {
        if !(first && inline_first) {
            out.extend(std::iter::repeat_n(' ', indent));
        }
    };
    match value {
        Value::Object(map) => {
            for (i, (key, item)) in map.iter().enumerate() {
                pad(i == 0, out);
                string(key, out);
                out.push(':');
                match item {
                    Value::Object(_) if is_block(item) => {
                        out.push('\n');
                        block(item, indent + 2, false, out);
                    }
                    Value::Array(_) if is_block(item) => {
                        out.push('\n');
                        block(item, indent, false, out);
                    }
                    _ => {
                        out.push(' ');
                        scalar(item, out);
                        out.push('\n');
                    }
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                pad(i == 0, out);
                out.push_str("- ");
                if is_block(item) {
                    block(item, indent + 2, true, out);
                } else {
                    scalar(item, out);
                    out.push('\n');
                }
            }
        }
        _ => {
            scalar(value, out);
            out.push('\n');
        }
    }
}

/// A scalar (or an empty collection): `null`, `true`, numbers as JSON writes them (a float
/// always with a `.` and a signed exponent, which YAML 1.1 and 1.2 both read as a float),
/// strings as [`string`] writes them, `{}`, `[]`.
fn scalar(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) if n.is_f64() => out.push_str(&yaml_float(&n.to_string())),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => string(s, out),
        Value::Array(_) => out.push_str("[]"),
        Value::Object(_) => out.push_str("{}"),
    }
}

/// JSON's float text (`1e300`, `2.5`) in a form YAML 1.1 also reads as a float (`1.0e+300`).
fn yaml_float(text: &str) -> String {
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(at) => (&text[..at], Some(&text[at + 1..])),
        None => (text, None),
    };
    let mut out = mantissa.to_string();
    if !out.contains('.') {
        out.push_str(".0");
    }
    if let Some(exp) = exponent {
        out.push('e');
        if !exp.starts_with(['+', '-']) {
            out.push('+');
        }
        out.push_str(exp);
    }
    out
}

/// Words YAML 1.1 (or 1.2) reads as booleans or null, compared in lower case.
const SPECIAL_WORDS: &[&str] = &[
    "y", "n", "yes", "no", "true", "false", "on", "off", "null", "none", "nan", "inf",
];

/// A string, plain when no YAML loader can read it as anything else, else double-quoted.
fn string(s: &str, out: &mut String) {
    if plain_is_safe(s) {
        out.push_str(s);
    } else {
        quoted(s, out);
    }
}

/// Whether `s` reads back as this same string when written plain, in YAML 1.1 and 1.2, as a key
/// or a value: it starts with a letter, `_` or `/` (so it is no number, date, time or
/// indicator), holds no `:` or `#` (no `key: value`, comment, sexagesimal or time), no quote,
/// bracket, brace, comma, backslash or control character, does not end in a space, and is not a
/// boolean or null word.
fn plain_is_safe(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    (first.is_alphabetic() || first == '_' || first == '/')
        && !s.ends_with(' ')
        && !s.chars().any(|c| {
            c.is_control()
                || matches!(
                    c,
                    ':' | '#'
                        | '"'
                        | '\''
                        | '\\'
                        | '['
                        | ']'
                        | '{'
                        | '}'
                        | ','
                        | '`'
                        | '\u{2028}'
                        | '\u{2029}'
                        | '\u{feff}'
                        | '\u{fffe}'
                        | '\u{ffff}'
                )
        })
        && !SPECIAL_WORDS.contains(&s.to_ascii_lowercase().as_str())
}

/// A double-quoted YAML string: `"` and `\` escaped, control characters, line and paragraph
/// separators and non-characters as `\n`, `\t`, `\r` or `\uXXXX`; everything else as it is.
fn quoted(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control()
                || matches!(
                    c,
                    '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
                ) =>
            {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn back(text: &str) -> Value {
        serde_norway::from_str(text).unwrap_or_else(|e| panic!("invalid YAML ({e}):\n{text}"))
    }

    #[test]
    fn strings_a_loader_could_read_otherwise_are_quoted() {
        for s in [
            "2018-09-06T14:03:27Z",
            "2018-09-06",
            "2020-01-01 00:00:00",
            "7.3",
            "2016",
            "22.04",
            "0x1F",
            "1_000",
            "1:20",
            "yes",
            "No",
            "ON",
            "off",
            "y",
            "null",
            "~",
            "",
            " lead",
            "trail ",
            "-1",
            "- item",
            "+1",
            ".5",
            ".inf",
            "a: b",
            "a #b",
            "@x",
            "&anchor",
            "*alias",
            "!tag",
            "|",
            ">",
            "%x",
            "?",
            "[1]",
            "{a}",
            "'q'",
            "\"q\"",
            "a\nb",
            "tab\there",
            "esc\u{1b}[31m",
            "sep\u{2028}x",
            "http://example.com/x",
        ] {
            let mut out = String::new();
            string(s, &mut out);
            assert!(out.starts_with('"'), "{s:?} written plain as {out}");
            assert_eq!(back(&out), json!(s), "{s:?} as {out}");
        }
        for s in [
            "CentOS 7.3 64bit",
            "Ubuntu Server 18.04.1 LTS 64位",
            "__os_bit",
            "/v2/images/x",
            "available",
            "x86_64",
            "名字",
        ] {
            let mut out = String::new();
            string(s, &mut out);
            assert_eq!(out, s, "{s:?} needs no quotes");
        }
    }

    #[test]
    fn documents_round_trip_through_a_yaml_parser() {
        let doc = json!([
            {
                "id": "a",
                "size": 2341876876u64,
                "ratio": 0.5,
                "big": 1e300,
                "neg": -3,
                "ok": true,
                "none": null,
                "created_at": "2019-01-01T19:47:40Z",
                "empty_map": {},
                "empty_list": [],
                "tags": ["x", "2020-01-01", {"k": "v", "n": [1, [2, 3]]}],
                "extra": {"nested": {"deeper": {"key": "value: with colon"}}, "list": [[], {}]},
                "multi": "line one\r\nline two\u{1b}[31m",
            },
            "scalar",
            [["a", "b"], []],
        ]);
        let text = to_yaml(&doc);
        assert_eq!(back(&text), doc, "{text}");
        assert!(
            text.contains("created_at: \"2019-01-01T19:47:40Z\"\n"),
            "{text}"
        );
        assert!(text.starts_with("- id: a\n  size: 2341876876\n"), "{text}");
        for scalar in [json!(null), json!("x"), json!(1), json!({}), json!([])] {
            assert_eq!(back(&to_yaml(&scalar)), scalar);
        }
    }

    #[test]
    fn floats_keep_a_dot_and_a_signed_exponent() {
        assert_eq!(yaml_float("1e300"), "1.0e+300");
        assert_eq!(yaml_float("2.5e-7"), "2.5e-7");
        assert_eq!(yaml_float("0.5"), "0.5");
        assert_eq!(yaml_float("3"), "3.0");
    }
}
