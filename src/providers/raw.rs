//! One image object of an answer, read the cheap way: kept as its JSON text, a slice of the
//! answer's body (which becomes [`Image::extra`](crate::model::Image::extra) as it is), and
//! looked into through [`Fields`], a flat list of its top-level members, instead of being built
//! into a `serde_json::Map` (an index map of owned strings and values per image: most of the
//! CPU time of a large listing).

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;

use bytes::Bytes;
use rayon::prelude::*;
use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use crate::error::{Error, Target};
use crate::model::{Extra, Image};

/// Pages with at least this many objects are mapped in parallel ([`map_objects`]).
pub const PARALLEL_FROM: usize = 256;

/// One JSON object of an answer, borrowed from the body it is read from (a page deserializes
/// into `Vec<RawObject>` without copying). Deserializing checks that it is an object, so a page
/// holding anything else is refused as malformed, as a page of maps would be.
#[derive(Debug, Clone, Copy)]
pub struct RawObject<'a>(&'a str);

impl<'a> RawObject<'a> {
    /// Where the object lies in `body` (which it must have been read from).
    pub fn range_in(&self, body: &[u8]) -> Option<Range<usize>> {
        let start = (self.0.as_ptr() as usize).checked_sub(body.as_ptr() as usize)?;
        let end = start.checked_add(self.0.len())?;
        (end <= body.len()).then_some(start..end)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for RawObject<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = <&'de RawValue>::deserialize(d)?;
        if raw.get().starts_with('{') {
            Ok(RawObject(raw.get()))
        } else {
            Err(de::Error::invalid_type(
                de::Unexpected::Other(raw.get().get(..1).unwrap_or("nothing")),
                &"a JSON object",
            ))
        }
    }
}

/// An object together with the answer body it lies in: what the mappers take.
#[derive(Debug, Clone, Copy)]
pub struct BodyObject<'a> {
    text: &'a str,
    body: &'a Bytes,
}

impl<'a> BodyObject<'a> {
    /// The object's top-level members, for the mappers to read.
    pub fn fields(&self) -> Result<Fields<'a>, serde_json::Error> {
        serde_json::from_str(self.text)
    }

    /// The object as an image's `extra` (a slice of the body, not a copy).
    pub fn into_extra(self) -> Extra {
        Extra::from_body(self.body, self.text)
    }
}

/// The objects of one page, located in the answer's body, to be mapped later (on another
/// thread) without reading the page again.
#[derive(Debug, Clone, Default)]
pub struct Located {
    body: Bytes,
    ranges: Vec<Range<usize>>,
}

impl Located {
    /// Locates `objects`, read from `body`. An object that does not lie in `body` (impossible
    /// for objects read from it) is dropped.
    pub fn new(body: &Bytes, objects: &[RawObject<'_>]) -> Located {
        Located {
            body: body.clone(),
            ranges: objects.iter().filter_map(|o| o.range_in(body)).collect(),
        }
    }

    /// The objects in pieces of at most `n`, in order.
    pub fn chunks(self, n: usize) -> impl Iterator<Item = Located> {
        let body = self.body;
        let mut rest = self.ranges.into_iter().peekable();
        std::iter::from_fn(move || {
            rest.peek()?;
            Some(Located {
                body: body.clone(),
                ranges: rest.by_ref().take(n.max(1)).collect(),
            })
        })
    }

    /// The first bytes of the answer, for error messages; registered secrets masked
    /// ([`crate::secret::excerpt`]).
    pub fn body_start(&self) -> String {
        crate::secret::excerpt(&self.body, 160)
    }

    /// Maps the objects to images ([`map_objects`]).
    pub fn map<F>(&self, f: F) -> Result<Vec<Image>, NoId>
    where
        F: Fn(BodyObject<'_>) -> Option<Image> + Sync + Send,
    {
        let texts: Vec<&str> = self
            .ranges
            .iter()
            .filter_map(|r| std::str::from_utf8(self.body.get(r.clone())?).ok())
            .collect();
        map_texts(&self.body, &texts, f)
    }
}

/// An image object that `f` could not map (it has no usable id): its position in the page,
/// from 0. The whole answer is then malformed - dropping the object would make a shorter list
/// look complete.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NoId(pub usize);

impl NoId {
    /// The error: the answer of `target` (HTTP `status`) is malformed, its object lacks `member`.
    pub fn error(self, target: &Target, status: u16, member: &str, body_start: String) -> Error {
        Error::Malformed {
            target: target.clone(),
            status,
            request_id: None,
            detail: format!(
                "image object {} has no usable `{member}` (missing, null, empty or not a string)",
                self.0 + 1
            ),
            body_start,
            truncated: false,
        }
    }
}

/// Maps a page's objects (read from `body`) to images, in the page's order; an object `f`
/// refuses (no usable id) fails the page. A large page is mapped on every core (rayon): the last page of a marker chain is
/// decoded after its round trip, when nothing else is left to overlap with, so its decoding
/// time is wall time.
pub fn map_objects<F>(body: &Bytes, objects: Vec<RawObject<'_>>, f: F) -> Result<Vec<Image>, NoId>
where
    F: Fn(BodyObject<'_>) -> Option<Image> + Sync + Send,
{
    let texts: Vec<&str> = objects.into_iter().map(|o| o.0).collect();
    map_texts(body, &texts, f)
}

fn map_texts<F>(body: &Bytes, texts: &[&str], f: F) -> Result<Vec<Image>, NoId>
where
    F: Fn(BodyObject<'_>) -> Option<Image> + Sync + Send,
{
    let one = |text: &&str| f(BodyObject { text, body });
    let mapped: Vec<Option<Image>> = if texts.len() < PARALLEL_FROM {
        texts.iter().map(one).collect()
    } else {
        texts
            .par_iter()
            .with_min_len(PARALLEL_FROM / 2)
            .map(one)
            .collect()
    };
    if let Some(i) = mapped.iter().position(Option::is_none) {
        return Err(NoId(i));
    }
    Ok(mapped.into_iter().flatten().collect())
}

/// The top-level members of one JSON object: strings borrowed from the text where they hold
/// no escape, numbers as numbers, nested arrays and objects only noted. A key given twice reads
/// as its last value, as in `serde_json::Map`.
#[derive(Debug, Default)]
pub struct Fields<'a> {
    members: Vec<(Cow<'a, str>, Member<'a>)>,
}

/// One member's value.
#[derive(Debug, Clone, PartialEq)]
pub enum Member<'a> {
    /// A string.
    Str(Cow<'a, str>),
    /// A non-negative integer.
    U64(u64),
    /// A negative integer.
    I64(i64),
    /// Any other number.
    F64(f64),
    /// `true` or `false`.
    Bool(bool),
    /// `null`.
    Null,
    /// An array or an object (not looked into).
    Nested,
}

impl<'a> Fields<'a> {
    /// The value of `key`, if present.
    pub fn get(&self, key: &str) -> Option<&Member<'a>> {
        self.members
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }

    /// A non-empty string member.
    pub fn str(&self, key: &str) -> Option<&str> {
        match self.get(key)? {
            Member::Str(s) if !s.is_empty() => Some(s),
            _ => None,
        }
    }

    /// An unsigned number, given as a number or a numeric string.
    pub fn u64(&self, key: &str) -> Option<u64> {
        match self.get(key)? {
            Member::U64(n) => Some(*n),
            Member::Str(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    /// A signed integer given as a number (as `serde_json::Value::as_i64` reads it).
    pub fn i64(&self, key: &str) -> Option<i64> {
        match self.get(key)? {
            Member::U64(n) => i64::try_from(*n).ok(),
            Member::I64(n) => Some(*n),
            _ => None,
        }
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Fields<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct ObjectVisitor<'a>(std::marker::PhantomData<&'a ()>);

        impl<'de: 'a, 'a> Visitor<'de> for ObjectVisitor<'a> {
            type Value = Fields<'a>;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON object")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Fields<'a>, A::Error> {
                let mut members = Vec::with_capacity(map.size_hint().unwrap_or(24));
                while let Some(Key(k)) = map.next_key()? {
                    let v: Member<'a> = map.next_value()?;
                    members.push((k, v));
                }
                Ok(Fields { members })
            }
        }

        d.deserialize_map(ObjectVisitor(std::marker::PhantomData))
    }
}

/// A key, borrowed when it holds no escape.
struct Key<'a>(Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for Key<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor<'a>(std::marker::PhantomData<&'a ()>);

        impl<'de: 'a, 'a> Visitor<'de> for KeyVisitor<'a> {
            type Value = Key<'a>;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }

            fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Key<'a>, E> {
                Ok(Key(Cow::Borrowed(s)))
            }

            fn visit_str<E: de::Error>(self, s: &str) -> Result<Key<'a>, E> {
                Ok(Key(Cow::Owned(s.to_string())))
            }

            fn visit_string<E: de::Error>(self, s: String) -> Result<Key<'a>, E> {
                Ok(Key(Cow::Owned(s)))
            }
        }

        d.deserialize_str(KeyVisitor(std::marker::PhantomData))
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Member<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct MemberVisitor<'a>(std::marker::PhantomData<&'a ()>);

        impl<'de: 'a, 'a> Visitor<'de> for MemberVisitor<'a> {
            type Value = Member<'a>;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON value")
            }

            fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Member<'a>, E> {
                Ok(Member::Str(Cow::Borrowed(s)))
            }

            fn visit_str<E: de::Error>(self, s: &str) -> Result<Member<'a>, E> {
                Ok(Member::Str(Cow::Owned(s.to_string())))
            }

            fn visit_string<E: de::Error>(self, s: String) -> Result<Member<'a>, E> {
                Ok(Member::Str(Cow::Owned(s)))
            }

            fn visit_u64<E: de::Error>(self, n: u64) -> Result<Member<'a>, E> {
                Ok(Member::U64(n))
            }

            fn visit_i64<E: de::Error>(self, n: i64) -> Result<Member<'a>, E> {
                Ok(match u64::try_from(n) {
                    Ok(u) => Member::U64(u),
                    Err(_) => Member::I64(n),
                })
            }

            fn visit_f64<E: de::Error>(self, n: f64) -> Result<Member<'a>, E> {
                Ok(Member::F64(n))
            }

            fn visit_bool<E: de::Error>(self, b: bool) -> Result<Member<'a>, E> {
                Ok(Member::Bool(b))
            }

            fn visit_unit<E: de::Error>(self) -> Result<Member<'a>, E> {
                Ok(Member::Null)
            }

            fn visit_none<E: de::Error>(self) -> Result<Member<'a>, E> {
                Ok(Member::Null)
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Member<'a>, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Member::Nested)
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Member<'a>, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Member::Nested)
            }
        }

        d.deserialize_any(MemberVisitor(std::marker::PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_members_like_a_serde_json_map() {
        let o: RawObject = serde_json::from_str(
            r#"{"id":"a\"b","n":5,"neg":-3,"f":1.5,"s":" 42 ","e":"","b":true,"z":null,
                "arr":[1,{"x":[]}],"obj":{"k":"v"},"id2":"x","id2":"last","big":18446744073709551615}"#,
        )
        .unwrap();
        let f: Fields = serde_json::from_str(o.0).unwrap();
        assert_eq!(f.str("id"), Some("a\"b"));
        assert_eq!(f.str("e"), None, "empty strings read as absent");
        assert_eq!(f.str("n"), None);
        assert_eq!(f.u64("n"), Some(5));
        assert_eq!(f.u64("s"), Some(42), "numeric strings are numbers");
        assert_eq!(f.u64("neg"), None);
        assert_eq!(f.u64("f"), None);
        assert_eq!(f.i64("neg"), Some(-3));
        assert_eq!(f.i64("n"), Some(5));
        assert_eq!(f.i64("big"), None);
        assert_eq!(f.u64("big"), Some(u64::MAX));
        assert_eq!(f.get("b"), Some(&Member::Bool(true)));
        assert_eq!(f.get("z"), Some(&Member::Null));
        assert_eq!(f.get("arr"), Some(&Member::Nested));
        assert_eq!(f.get("obj"), Some(&Member::Nested));
        assert_eq!(
            f.str("id2"),
            Some("last"),
            "the last of a repeated key wins"
        );
        assert_eq!(f.get("missing"), None);
    }

    #[test]
    fn refuses_what_is_not_an_object() {
        for text in ["5", "\"x\"", "[1]", "null", "true"] {
            let e = serde_json::from_str::<RawObject>(text).unwrap_err();
            assert!(e.to_string().contains("a JSON object"), "{text}: {e}");
        }
        let page: Result<Vec<RawObject>, _> = serde_json::from_str(r#"[{"a":1}, 7]"#);
        assert!(page.is_err());
    }
}
