//! Helpers shared by the response decoders: JSON with its error context, and the lenient
//! member types the typed decoders' structs are made of.
//!
//! Each API object is a `#[derive(Deserialize)]` struct borrowing from the answer; its members
//! use [`Text`], [`Count`] and [`Int`], which read a value of another type than the API
//! documents as absent (`null` in the image) instead of failing the whole answer. The one
//! exception is an image's id: an object without a usable id makes the answer malformed
//! ([`require_id`]).

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

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
        truncated: e.is_eof(),
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

/// A string member, borrowed from the answer where it holds no escape. Any other JSON value
/// (a number, `null`, an array, an object) reads as absent; so does a missing member (use
/// `#[serde(default)]`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Text<'a>(Option<Cow<'a, str>>);

impl<'a> Text<'a> {
    /// The string, when it is one and not empty.
    pub fn get(&self) -> Option<&str> {
        self.0.as_deref().filter(|s| !s.is_empty())
    }

    /// The string, owned.
    pub fn owned(&self) -> Option<String> {
        self.get().map(str::to_string)
    }
}

/// A non-negative integer, given as a number or a numeric string; anything else reads as
/// absent.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Count(Option<u64>);

impl Count {
    /// The number.
    pub fn get(self) -> Option<u64> {
        self.0
    }
}

/// A signed integer given as a number; anything else reads as absent.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Int(Option<i64>);

impl Int {
    /// The number.
    pub fn get(self) -> Option<i64> {
        self.0
    }
}

/// What one JSON value is, for the lenient members: a string (borrowed when it can be), an
/// integer, or something else (skipped whole).
enum Scalar<'a> {
    Str(Cow<'a, str>),
    U64(u64),
    I64(i64),
    Other,
}

impl<'de: 'a, 'a> Deserialize<'de> for Scalar<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);

        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Scalar<'a>;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }

            fn visit_borrowed_str<E: de::Error>(
                self,
                s: &'de str,
            ) -> std::result::Result<Scalar<'a>, E> {
                Ok(Scalar::Str(Cow::Borrowed(s)))
            }

            fn visit_str<E: de::Error>(self, s: &str) -> std::result::Result<Scalar<'a>, E> {
                Ok(Scalar::Str(Cow::Owned(s.to_string())))
            }

            fn visit_string<E: de::Error>(self, s: String) -> std::result::Result<Scalar<'a>, E> {
                Ok(Scalar::Str(Cow::Owned(s)))
            }

            fn visit_u64<E: de::Error>(self, n: u64) -> std::result::Result<Scalar<'a>, E> {
                Ok(Scalar::U64(n))
            }

            fn visit_i64<E: de::Error>(self, n: i64) -> std::result::Result<Scalar<'a>, E> {
                Ok(match u64::try_from(n) {
                    Ok(u) => Scalar::U64(u),
                    Err(_) => Scalar::I64(n),
                })
            }

            fn visit_f64<E: de::Error>(self, _: f64) -> std::result::Result<Scalar<'a>, E> {
                Ok(Scalar::Other)
            }

            fn visit_bool<E: de::Error>(self, _: bool) -> std::result::Result<Scalar<'a>, E> {
                Ok(Scalar::Other)
            }

            fn visit_unit<E: de::Error>(self) -> std::result::Result<Scalar<'a>, E> {
                Ok(Scalar::Other)
            }

            fn visit_none<E: de::Error>(self) -> std::result::Result<Scalar<'a>, E> {
                Ok(Scalar::Other)
            }

            fn visit_seq<A: SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> std::result::Result<Scalar<'a>, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Scalar::Other)
            }

            fn visit_map<A: MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<Scalar<'a>, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Scalar::Other)
            }
        }

        d.deserialize_any(V(std::marker::PhantomData))
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        Ok(Text(match Scalar::deserialize(d)? {
            Scalar::Str(s) => Some(s),
            _ => None,
        }))
    }
}

impl<'de> Deserialize<'de> for Count {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        Ok(Count(match Scalar::deserialize(d)? {
            Scalar::U64(n) => Some(n),
            Scalar::Str(s) => s.trim().parse().ok(),
            _ => None,
        }))
    }
}

impl<'de> Deserialize<'de> for Int {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        Ok(Int(match Scalar::deserialize(d)? {
            Scalar::U64(n) => i64::try_from(n).ok(),
            Scalar::I64(n) => Some(n),
            _ => None,
        }))
    }
}

/// The id of image object number `index` of a page (0-based), or why the page is malformed:
/// an image without a usable id (missing, `null`, not a string, empty) cannot be listed, and
/// dropping it would make a shorter list look complete.
pub fn require_id(
    id: &Text<'_>,
    member: &str,
    index: usize,
) -> std::result::Result<String, String> {
    id.owned().ok_or_else(|| {
        format!(
            "image object {} has no usable `{member}` (missing, null, empty or not a string)",
            index + 1
        )
    })
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
