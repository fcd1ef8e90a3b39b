//! One image object of a listing, read for comparing: its key (provider, region, id) and its
//! members as raw JSON, borrowed from the text, in their order.

use std::borrow::Cow;
use std::fmt;
use std::hash::{DefaultHasher, Hash, Hasher};

use serde::de::{Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

/// The image object's members, in the file's order.
pub struct ImageObject<'a> {
    /// The provider id.
    pub provider: String,
    /// The region or zone.
    pub region: String,
    /// The image id.
    pub id: String,
    /// Every member but `extra`.
    pub fields: Vec<(&'a str, &'a RawValue)>,
    /// `extra`, when present.
    pub extra: Option<&'a RawValue>,
}

/// Members of a JSON object, borrowed, in order.
struct Members<'a>(Vec<(&'a str, &'a RawValue)>);

impl<'de> serde::Deserialize<'de> for Members<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Members<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an image object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::with_capacity(20);
                while let Some(key) = map.next_key::<&'de str>()? {
                    let value: &'de RawValue = map.next_value()?;
                    out.push((key, value));
                }
                Ok(Members(out))
            }
        }
        d.deserialize_map(V)
    }
}

impl<'a> ImageObject<'a> {
    /// Reads `text`; the error says what is wrong and, for a JSON error, the line within the
    /// object (from 1) it is on.
    pub fn parse(text: &'a [u8]) -> Result<Self, (u64, String)> {
        let Members(members) = serde_json::from_slice(text).map_err(|e| {
            (
                e.line() as u64,
                format!("not an imgcat listing: {}", strip_position(&e.to_string())),
            )
        })?;
        let mut fields = Vec::with_capacity(members.len());
        let mut extra = None;
        let (mut provider, mut region, mut id) = (None, None, None);
        for (key, value) in members {
            match key {
                "extra" => {
                    extra = Some(value);
                    continue;
                }
                "provider" => provider = Some(value),
                "region" => region = Some(value),
                "id" => id = Some(value),
                _ => {}
            }
            fields.push((key, value));
        }
        let string = |name: &str, value: Option<&RawValue>| -> Result<String, (u64, String)> {
            value
                .and_then(|v| serde_json::from_str::<Cow<'_, str>>(v.get()).ok())
                .map(Cow::into_owned)
                .ok_or_else(|| {
                    (
                        1,
                        format!(
                            "not an imgcat listing: an image object without a string \"{name}\""
                        ),
                    )
                })
        };
        Ok(ImageObject {
            provider: string("provider", provider)?,
            region: string("region", region)?,
            id: string("id", id)?,
            fields,
            extra,
        })
    }

    /// A 128-bit hash of the key that identifies the image across two listings (provider,
    /// region, id), unambiguous whatever the strings hold.
    pub fn key_hash(&self) -> u128 {
        let half = |salt: u8| {
            let mut h = DefaultHasher::new();
            salt.hash(&mut h);
            self.provider.hash(&mut h);
            self.region.hash(&mut h);
            self.id.hash(&mut h);
            h.finish()
        };
        (u128::from(half(0)) << 64) | u128::from(half(1))
    }

    /// `provider/region/id`, for messages.
    pub fn label(&self) -> String {
        format!("{}/{}/{}", self.provider, self.region, self.id)
    }

    /// A hash of the members but `extra`, as written (the same members in another order or
    /// layout hash differently; the comparison that follows finds them equal).
    pub fn fields_hash(&self) -> u64 {
        let mut h = DefaultHasher::new();
        for (k, v) in &self.fields {
            k.hash(&mut h);
            v.get().hash(&mut h);
        }
        h.finish()
    }

    /// A hash of `extra`'s text (0 without one).
    pub fn extra_hash(&self) -> u64 {
        self.extra.map_or(0, |e| {
            let mut h = DefaultHasher::new();
            e.get().hash(&mut h);
            h.finish()
        })
    }

    /// The `name` member as a string, when it is one.
    pub fn name(&self) -> Option<String> {
        self.fields
            .iter()
            .find(|(k, _)| *k == "name")
            .and_then(|(_, v)| serde_json::from_str::<String>(v.get()).ok())
    }
}

/// serde_json's message without its " at line L column C" (the caller gives the file's line).
fn strip_position(message: &str) -> &str {
    match message.rfind(" at line ") {
        Some(at) => &message[..at],
        None => message,
    }
}
