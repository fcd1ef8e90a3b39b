//! Request bodies as tencentcloud-sdk-python writes them: `json.dumps(params)` with Python's
//! defaults, i.e. `", "` between items, `": "` after keys, and `ensure_ascii` (every character
//! outside printable ASCII written as `\uXXXX`, lower-case hex, astral characters as surrogate
//! pairs; `"` `\` and control characters escaped as `serde_json` does).
//!
//! The signature covers the body bytes, so any JSON the server can read would do; writing the
//! SDK's bytes lets the signing vectors compare whole requests with the SDK's, byte for byte.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::Formatter;

/// `serde_json` formatter producing Python's `json.dumps` default layout.
#[derive(Debug, Default, Clone, Copy)]
pub struct PythonFormatter;

impl Formatter for PythonFormatter {
    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        if first { Ok(()) } else { w.write_all(b", ") }
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        if first { Ok(()) } else { w.write_all(b", ") }
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }

    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        // A fragment holds no `"`, `\` or control character below 0x20 (serde_json escapes
        // those through `write_char_escape`, the way Python does). Python's ensure_ascii also
        // escapes DEL and everything above it.
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if (' '..='~').contains(&c) {
                continue;
            }
            w.write_all(&fragment.as_bytes()[start..i])?;
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                write!(w, "\\u{unit:04x}")?;
            }
            start = i + c.len_utf8();
        }
        w.write_all(&fragment.as_bytes()[start..])
    }
}

/// `value` as `json.dumps(value)` writes it.
pub fn to_vec<T: Serialize + ?Sized>(value: &T) -> serde_json::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(128);
    let mut ser = serde_json::Serializer::with_formatter(&mut out, PythonFormatter);
    value.serialize(&mut ser)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn dumps(v: &serde_json::Value) -> String {
        String::from_utf8(to_vec(v).unwrap_or_default()).unwrap_or_default()
    }

    #[test]
    fn matches_python_json_dumps() {
        // Expected strings are what CPython 3.11 json.dumps prints for the same values.
        assert_eq!(dumps(&json!({})), "{}");
        assert_eq!(dumps(&json!({"Filters": []})), r#"{"Filters": []}"#);
        assert_eq!(
            dumps(
                &json!({"Filters": [{"Name": "image-name", "Values": ["Ubuntu 22.04 测试 x"]}], "Offset": 0, "Limit": 100})
            ),
            r#"{"Filters": [{"Name": "image-name", "Values": ["Ubuntu 22.04 \u6d4b\u8bd5 x"]}], "Offset": 0, "Limit": 100}"#
        );
        assert_eq!(
            dumps(&json!(["a\"b\\c\n\t\u{1}\u{7f}é😀/~"])),
            r#"["a\"b\\c\n\t\u0001\u007f\u00e9\ud83d\ude00/~"]"#
        );
        assert_eq!(dumps(&json!([1, -2, true, null])), "[1, -2, true, null]");
    }
}
