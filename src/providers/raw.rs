//! One image object of an answer, read the cheap way: kept as its JSON text, a slice of the
//! answer's body (which becomes [`Image::extra`](crate::model::Image::extra) as it is), and
//! read into its typed model ([`BodyObject::typed`]: a `#[derive(Deserialize)]` struct of the
//! members imgcat normalizes, borrowing from the body, members read as [`Lenient`] values) -
//! never built into a `serde_json::Map` (an index map of owned strings and values per image:
//! most of the CPU time of a large listing), and no member looked up by name.

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;

use bytes::Bytes;
use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use crate::error::{Error, Target};
use crate::model::{Extra, Image};

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
    /// The object read as its typed model `T`, strings borrowed from the body where they hold
    /// no escape. The text is a JSON object (checked when the page was read): a model whose
    /// members are all [`Lenient`] fails only on a member it reads given twice (serde's derive
    /// refuses a duplicate field rather than pick one of the two values), which
    /// [`Refusal::from`] turns into the reason the answer is malformed.
    pub fn typed<T: Deserialize<'a>>(&self) -> Result<T, serde_json::Error> {
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
    pub fn map<F, M>(&self, f: F) -> Result<Vec<Image>, NoId>
    where
        F: Fn(BodyObject<'_>) -> M,
        M: Mapped,
    {
        let texts = self
            .ranges
            .iter()
            .filter_map(|r| std::str::from_utf8(self.body.get(r.clone())?).ok());
        map_texts(&self.body, texts, f)
    }
}

/// An image object that `f` could not map: its position in the page, from 0, and why (it has
/// no usable id, or it does not read as its typed model). The whole answer is then malformed -
/// dropping the object would make a shorter list look complete.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoId(pub usize, pub Refusal);

/// Why a mapper refused an image object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// It has no usable id: missing, null, empty or not a string.
    NoId,
    /// It does not read as its typed model: serde's message (a member the model reads is given
    /// twice, with its line and column in the object).
    Unreadable(String),
}

impl From<serde_json::Error> for Refusal {
    fn from(e: serde_json::Error) -> Refusal {
        Refusal::Unreadable(e.to_string())
    }
}

/// What a mapper gives for one object: an image, or why the answer is malformed. A mapper
/// returns `Option<Image>` (`None`: no usable id) or `Result<Image, Refusal>`.
pub trait Mapped {
    /// The image, or why there is none.
    fn into_image(self) -> Result<Image, Refusal>;
}

impl Mapped for Option<Image> {
    fn into_image(self) -> Result<Image, Refusal> {
        self.ok_or(Refusal::NoId)
    }
}

impl Mapped for Result<Image, Refusal> {
    fn into_image(self) -> Result<Image, Refusal> {
        self
    }
}

impl NoId {
    /// The error: the answer of `target` (HTTP `status`) is malformed, its object lacks `member`
    /// (or does not read as its model).
    pub fn error(self, target: &Target, status: u16, member: &str, body_start: String) -> Error {
        let n = self.0 + 1;
        let detail = match self.1 {
            Refusal::NoId => format!(
                "image object {n} has no usable `{member}` (missing, null, empty or not a string)"
            ),
            Refusal::Unreadable(why) => {
                format!("image object {n} does not read as an image: {why} (within the object)")
            }
        };
        Error::Malformed {
            target: target.clone(),
            status,
            request_id: None,
            detail,
            body_start,
            truncated: false,
        }
    }
}

/// Maps a page's objects (read from `body`) to images, in the page's order; an object `f`
/// refuses (no usable id, or not readable as its model) fails the page.
pub fn map_objects<F, M>(
    body: &Bytes,
    objects: Vec<RawObject<'_>>,
    f: F,
) -> Result<Vec<Image>, NoId>
where
    F: Fn(BodyObject<'_>) -> M,
    M: Mapped,
{
    map_texts(body, objects.into_iter().map(|o| o.0), f)
}

/// Maps `texts` in order, stopping at the first refused object, which names the error.
fn map_texts<'b, F, M>(
    body: &'b Bytes,
    texts: impl Iterator<Item = &'b str>,
    f: F,
) -> Result<Vec<Image>, NoId>
where
    F: Fn(BodyObject<'_>) -> M,
    M: Mapped,
{
    texts
        .enumerate()
        .map(|(i, text)| {
            f(BodyObject { text, body })
                .into_image()
                .map_err(|why| NoId(i, why))
        })
        .collect()
}

/// A member of a typed model read leniently: a value of the wanted type is `Some`, any other
/// value - `null`, another type, an array, an object - reads as `None`, as if the member were
/// absent (a model sets `#[serde(default)]`, so a missing member is `None` too). A cloud that
/// sends one member with a surprising type thus loses that member, never the image or the
/// answer; whether a `None` then refuses the object (a missing id) is the mapper's decision.
///
/// What counts as the wanted type ([`LenientValue`]):
/// - `Cow<str>`: a string (borrowed from the body when it holds no escape), empty or not -
///   [`Lenient::text`] gives it when it is not empty;
/// - `u64`: a non-negative integer, or a string holding one (surrounding spaces allowed): Huawei
///   sends some sizes as strings (its SDKs type IMS `__image_size` as `str`);
/// - `i64`: an integer in range, given as a number (a numeric string is not one).
///
/// Fractions, and integers out of range, are not the wanted number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lenient<T>(pub Option<T>);

impl<T> Default for Lenient<T> {
    fn default() -> Self {
        Lenient(None)
    }
}

impl<T> Lenient<T> {
    /// The value, when it had the wanted type.
    pub fn get(&self) -> Option<&T> {
        self.0.as_ref()
    }
}

impl<T: Copy> Lenient<T> {
    /// The value, copied, when it had the wanted type.
    pub fn value(&self) -> Option<T> {
        self.0
    }
}

impl Lenient<Cow<'_, str>> {
    /// The string, unless it was empty (or not a string): an empty name, id or label tells
    /// nothing, and the mappers read it as absent.
    pub fn text(&self) -> Option<&str> {
        self.0.as_deref().filter(|s| !s.is_empty())
    }
}

/// A type a [`Lenient`] member can hold: what it makes of each kind of JSON scalar (`None`: not
/// the wanted type). Strings come borrowed from the text, or (holding escapes) unescaped.
pub trait LenientValue<'de>: Sized {
    /// From a string that is only lent.
    fn from_lent(s: &str) -> Option<Self> {
        let _ = s;
        None
    }
    /// From a string borrowed from the text for `'de`.
    fn from_borrowed(s: &'de str) -> Option<Self> {
        Self::from_lent(s)
    }
    /// From an unescaped string.
    fn from_owned(s: String) -> Option<Self> {
        Self::from_lent(&s)
    }
    /// From a non-negative integer.
    fn from_unsigned(n: u64) -> Option<Self> {
        let _ = n;
        None
    }
    /// From a negative integer.
    fn from_signed(n: i64) -> Option<Self> {
        let _ = n;
        None
    }
}

impl<'de: 'a, 'a> LenientValue<'de> for Cow<'a, str> {
    fn from_lent(s: &str) -> Option<Self> {
        Some(Cow::Owned(s.to_string()))
    }
    fn from_borrowed(s: &'de str) -> Option<Self> {
        Some(Cow::Borrowed(s))
    }
    fn from_owned(s: String) -> Option<Self> {
        Some(Cow::Owned(s))
    }
}

impl LenientValue<'_> for u64 {
    fn from_lent(s: &str) -> Option<Self> {
        s.trim().parse().ok()
    }
    fn from_unsigned(n: u64) -> Option<Self> {
        Some(n)
    }
    fn from_signed(n: i64) -> Option<Self> {
        u64::try_from(n).ok()
    }
}

impl LenientValue<'_> for i64 {
    fn from_unsigned(n: u64) -> Option<Self> {
        i64::try_from(n).ok()
    }
    fn from_signed(n: i64) -> Option<Self> {
        Some(n)
    }
}

impl<'de, T: LenientValue<'de>> Deserialize<'de> for Lenient<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct LenientVisitor<T>(std::marker::PhantomData<T>);

        impl<'de, T: LenientValue<'de>> Visitor<'de> for LenientVisitor<T> {
            type Value = Lenient<T>;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }

            fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Lenient<T>, E> {
                Ok(Lenient(T::from_borrowed(s)))
            }

            fn visit_str<E: de::Error>(self, s: &str) -> Result<Lenient<T>, E> {
                Ok(Lenient(T::from_lent(s)))
            }

            fn visit_string<E: de::Error>(self, s: String) -> Result<Lenient<T>, E> {
                Ok(Lenient(T::from_owned(s)))
            }

            fn visit_u64<E: de::Error>(self, n: u64) -> Result<Lenient<T>, E> {
                Ok(Lenient(T::from_unsigned(n)))
            }

            fn visit_i64<E: de::Error>(self, n: i64) -> Result<Lenient<T>, E> {
                Ok(Lenient(match u64::try_from(n) {
                    Ok(u) => T::from_unsigned(u),
                    Err(_) => T::from_signed(n),
                }))
            }

            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Lenient<T>, E> {
                Ok(Lenient(None))
            }

            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Lenient<T>, E> {
                Ok(Lenient(None))
            }

            fn visit_unit<E: de::Error>(self) -> Result<Lenient<T>, E> {
                Ok(Lenient(None))
            }

            fn visit_none<E: de::Error>(self) -> Result<Lenient<T>, E> {
                Ok(Lenient(None))
            }

            fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<Lenient<T>, D2::Error> {
                Lenient::deserialize(d)
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Lenient<T>, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Lenient(None))
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Lenient<T>, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Lenient(None))
            }
        }

        d.deserialize_any(LenientVisitor(std::marker::PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A model as the decoders write theirs.
    #[derive(serde::Deserialize, Default)]
    #[serde(default)]
    struct Model<'a> {
        #[serde(borrow)]
        id: Lenient<Cow<'a, str>>,
        n: Lenient<u64>,
        i: Lenient<i64>,
    }

    #[test]
    fn lenient_members_read_the_wrong_type_as_absent() {
        fn read(text: &str) -> Model<'_> {
            serde_json::from_str(text).unwrap()
        }
        let m = read(r#"{"id":"a1","n":5,"i":-3,"other":[1,{"x":2}]}"#);
        assert_eq!(m.id.text(), Some("a1"));
        assert!(
            matches!(m.id.get(), Some(Cow::Borrowed(_))),
            "borrowed from the text"
        );
        assert_eq!(m.n.value(), Some(5));
        assert_eq!(m.i.value(), Some(-3));
        let m = read(r#"{"id":"a\"b","n":" 42 ","i":7}"#);
        assert_eq!(m.id.text(), Some("a\"b"));
        assert_eq!(m.n.value(), Some(42), "a numeric string is a u64");
        assert_eq!(m.i.value(), Some(7));
        let m = read(r#"{"id":"","n":"4x","i":"7"}"#);
        assert_eq!(m.id.get().map(|s| s.as_ref()), Some(""));
        assert_eq!(m.id.text(), None, "an empty string is no text");
        assert_eq!((m.n.value(), m.i.value()), (None, None));
        for wrong in ["null", "true", "1.5", "[\"a1\"]", "{\"id\":\"a1\"}"] {
            let text = format!(r#"{{"id":{wrong},"n":{wrong},"i":{wrong}}}"#);
            let m = read(&text);
            assert_eq!(
                (m.id.get(), m.n.value(), m.i.value()),
                (None, None, None),
                "{wrong}"
            );
        }
        let m = read(r#"{"id":7,"n":-1,"i":18446744073709551615}"#);
        assert_eq!((m.id.get(), m.n.value(), m.i.value()), (None, None, None));
        let m = read(r#"{"n":18446744073709551615,"i":-9223372036854775808}"#);
        assert_eq!(m.n.value(), Some(u64::MAX));
        assert_eq!(m.i.value(), Some(i64::MIN));
        let m = read("{}");
        assert_eq!((m.id.get(), m.n.value(), m.i.value()), (None, None, None));
    }

    #[test]
    fn a_member_given_twice_is_refused_with_its_name() {
        let e = serde_json::from_str::<Model>(r#"{"id":"a","x":1,"x":2,"id":"b"}"#)
            .map(|_| ())
            .unwrap_err();
        let Refusal::Unreadable(why) = Refusal::from(e) else {
            panic!("not unreadable")
        };
        assert!(why.contains("duplicate field `id`"), "{why}");
    }

    #[test]
    fn the_first_refused_object_names_the_error() {
        let body = Bytes::from_static(br#"[{"id":"a"},{"x":1},{"id":"b","id":"c"}]"#);
        let text = std::str::from_utf8(&body).unwrap();
        let objects: Vec<RawObject> = serde_json::from_str(text).unwrap();
        let located = Located::new(&body, &objects);
        let map = |o: BodyObject<'_>| -> Result<Image, Refusal> {
            let m: Model = o.typed()?;
            let id = m.id.text().ok_or(Refusal::NoId)?.to_string();
            let provider = crate::providers::ProviderId::all()
                .next()
                .ok_or(Refusal::NoId)?;
            let mut img = Image::new(provider, "r", id, String::new());
            img.extra = o.into_extra();
            Ok(img)
        };
        assert_eq!(located.map(map).unwrap_err(), NoId(1, Refusal::NoId));
        let only_last = Located::new(&body, &[objects[0], objects[2]]);
        let e = only_last.map(map).unwrap_err();
        assert_eq!(e.0, 1);
        assert!(matches!(&e.1, Refusal::Unreadable(w) if w.contains("duplicate field `id`")));
        let ok = Located::new(&body, &objects[..1]).map(map).unwrap();
        assert_eq!(ok[0].extra.as_bytes(), br#"{"id":"a"}"#);
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
