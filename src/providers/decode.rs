//! Helpers shared by the response decoders.

use crate::error::{Error, Result, Target};
use crate::http::Answer;
use crate::model::{Image, OsType};
use crate::normalize;

/// Parses a JSON body (into a type that may borrow from it), or explains why it could not.
pub fn json<'a, T: serde::Deserialize<'a>>(
    target: &Target,
    answer: &'a Answer,
    request_id: Option<String>,
) -> Result<T> {
    serde_json::from_slice(&answer.body).map_err(|e| malformed(target, answer, request_id, &e))
}

fn malformed(
    target: &Target,
    answer: &Answer,
    request_id: Option<String>,
    e: &serde_json::Error,
) -> Error {
    Error::Malformed {
        target: target.clone(),
        status: answer.status,
        request_id,
        detail: if e.is_eof() {
            format!(
                "the JSON ends early (EOF at line {} column {})",
                e.line(),
                e.column()
            )
        } else {
            e.to_string()
        },
        body_start: answer.body_start(),
    }
}

/// A JSON object's string field.
pub fn str_field<'a>(
    obj: &'a serde_json::Map<String, serde_json::Value>,
    key: &str,
) -> Option<&'a str> {
    obj.get(key)
        .and_then(|v| v.as_str())
        .filter(|s| !s.is_empty())
}

/// Parses an RFC 3339 time (or `YYYY-MM-DD HH:MM:SS`, taken as UTC).
pub fn time(s: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    let s = s.trim();
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&chrono::Utc));
    }
    chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S")
        .ok()
        .map(|n| n.and_utc())
}

/// Fills `os_family`, `os_version`, `architecture` and (when still `Other`) `os_type` from
/// free-text hints, first hint first; fields already set are kept.
pub fn fill_os(img: &mut Image, hints: &[Option<&str>]) {
    for hint in hints.iter().flatten() {
        let known = img.os_family.is_some()
            && img.os_version.is_some()
            && img.architecture.is_some()
            && img.os_type != OsType::Other;
        if known {
            break;
        }
        let info = normalize::os_info(hint);
        if img.os_family.is_none() {
            img.os_family = info.family;
        }
        if img.os_version.is_none() {
            img.os_version = info.version;
        }
        if img.architecture.is_none() {
            img.architecture = info.arch;
        }
        if img.os_type == OsType::Other
            && let Some(t) = info.os_type
        {
            img.os_type = t;
        }
    }
}
