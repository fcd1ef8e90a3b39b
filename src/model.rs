//! The unified image model: one [`Image`] shape for every provider, with the provider's own
//! fields kept untouched in [`Image::extra`].

use bytes::Bytes;
use chrono::{DateTime, Utc};
use serde::ser::{SerializeStruct, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use std::fmt;
use std::str::FromStr;

use crate::providers::ProviderId;

/// One machine image, normalized across providers.
///
/// A value a provider does not give is `None` (`null` in JSON), never invented.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Image {
    /// The imgcat provider id, e.g. `huawei-ims`.
    pub provider: ProviderId,
    /// The region (Huawei, Tencent) or zone (Zenlayer) the image was listed in.
    pub region: String,
    /// The provider's image id.
    pub id: String,
    /// The image name as the provider gives it.
    pub name: String,
    /// Operating system type.
    pub os_type: OsType,
    /// Lower-case OS family, e.g. `ubuntu`, `centos`, `windows`, `aosp`.
    pub os_family: Option<String>,
    /// OS version, e.g. `22.04`, `7.3`, `2019`.
    pub os_version: Option<String>,
    /// CPU architecture.
    pub architecture: Option<Arch>,
    /// Who can use the image.
    pub visibility: Visibility,
    /// Lifecycle status.
    pub status: Status,
    /// Size of the image in bytes.
    pub size: Option<u64>,
    /// Minimum system disk in GB.
    pub min_disk_gb: Option<u64>,
    /// Minimum memory in MB.
    pub min_ram_mb: Option<u64>,
    /// Disk format (qcow2, zvhd2, raw, ...).
    pub disk_format: Option<String>,
    /// Creation time (UTC).
    pub created_at: Option<DateTime<Utc>>,
    /// Free-text description.
    pub description: Option<String>,
    /// Whether the provider marks the image deprecated; `None` where the API does not say.
    pub deprecated: Option<bool>,
    /// The provider's own fields, untouched.
    pub extra: Extra,
}

macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vmeta])* #[serde(rename = $text)] $variant),+ }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// The lower-case name used on the command line and in JSON.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { f.write_str(self.as_str()) }
        }

        impl FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                let lower = s.trim().to_ascii_lowercase();
                $(if lower == $text { return Ok($name::$variant); })+
                let valid: Vec<&str> = vec![$($text),+];
                Err(format!("'{s}' is not one of: {}", valid.join(", ")))
            }
        }
    };
}

string_enum!(
    /// Who can use an image.
    Visibility {
        /// Provided by the cloud (or a marketplace) to everyone.
        Public => "public",
        /// Owned by this account.
        Private => "private",
        /// Shared with this account by another.
        Shared => "shared",
    }
);

string_enum!(
    /// Operating system type.
    OsType {
        /// Linux and other Unix-likes.
        Linux => "linux",
        /// Microsoft Windows.
        Windows => "windows",
        /// Android (cloud phones).
        Android => "android",
        /// Anything else, or unknown.
        Other => "other",
    }
);

string_enum!(
    /// Image lifecycle status.
    Status {
        /// Ready to use.
        Available => "available",
        /// Being created or imported.
        Creating => "creating",
        /// Exists but cannot be used.
        Unavailable => "unavailable",
        /// Deleted.
        Deleted => "deleted",
        /// Failed.
        Error => "error",
        /// The provider gave a status imgcat does not know.
        Unknown => "unknown",
    }
);

string_enum!(
    /// CPU architecture.
    Arch {
        /// 64-bit x86.
        X86_64 => "x86_64",
        /// 64-bit Arm.
        Arm64 => "arm64",
        /// 32-bit x86.
        I386 => "i386",
    }
);

impl Image {
    /// A new image with the fields every provider has; everything else unknown.
    pub fn new(provider: ProviderId, region: &str, id: String, name: String) -> Self {
        Image {
            provider,
            region: region.to_string(),
            id,
            name,
            os_type: OsType::Other,
            os_family: None,
            os_version: None,
            architecture: None,
            visibility: Visibility::Private,
            status: Status::Unknown,
            size: None,
            min_disk_gb: None,
            min_ram_mb: None,
            disk_format: None,
            created_at: None,
            description: None,
            deprecated: None,
            extra: Extra::default(),
        }
    }
}

impl Image {
    /// Masks every registered secret (and signature) in the image's texts, `extra` included
    /// (kept valid JSON): a server may put anything in an image, the credentials it was sent
    /// included ([`crate::secret`]).
    pub fn mask_secrets(&mut self, m: &crate::secret::Masker) {
        // Destructured without `..`: a text field added to `Image` must be masked here too.
        let Image {
            provider: _,
            region,
            id,
            name,
            os_type: _,
            os_family,
            os_version,
            architecture: _,
            visibility: _,
            status: _,
            size: _,
            min_disk_gb: _,
            min_ram_mb: _,
            disk_format,
            created_at: _,
            description,
            deprecated: _,
            extra,
        } = self;
        for s in [region, id, name] {
            m.in_place(s);
        }
        for s in [os_family, os_version, disk_format, description]
            .into_iter()
            .flatten()
        {
            m.in_place(s);
        }
        if let Some(masked) = m.json(extra.as_bytes()) {
            *extra = Extra(Bytes::from(masked));
        }
    }
}

/// How many fields an [`Image`] serializes (`extra` included); their names are
/// [`Field`](crate::output::Field)'s, then `extra`.
const SERIALIZED_FIELDS: usize = 18;

impl Serialize for Image {
    /// Every field in declaration order, `extra` last (as raw JSON, copied as it came).
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // Destructured without `..`: a field added to `Image` does not compile until it is
        // written here too.
        let Image {
            provider,
            region,
            id,
            name,
            os_type,
            os_family,
            os_version,
            architecture,
            visibility,
            status,
            size,
            min_disk_gb,
            min_ram_mb,
            disk_format,
            created_at,
            description,
            deprecated,
            extra,
        } = self;
        let mut st = s.serialize_struct("Image", SERIALIZED_FIELDS)?;
        st.serialize_field("provider", provider)?;
        st.serialize_field("region", region)?;
        st.serialize_field("id", id)?;
        st.serialize_field("name", name)?;
        st.serialize_field("os_type", os_type)?;
        st.serialize_field("os_family", os_family)?;
        st.serialize_field("os_version", os_version)?;
        st.serialize_field("architecture", architecture)?;
        st.serialize_field("visibility", visibility)?;
        st.serialize_field("status", status)?;
        st.serialize_field("size", size)?;
        st.serialize_field("min_disk_gb", min_disk_gb)?;
        st.serialize_field("min_ram_mb", min_ram_mb)?;
        st.serialize_field("disk_format", disk_format)?;
        st.serialize_field("created_at", created_at)?;
        st.serialize_field("description", description)?;
        st.serialize_field("deprecated", deprecated)?;
        st.serialize_field("extra", extra)?;
        st.end()
    }
}

/// The provider's own object for one image, as the API sent it: compact JSON text, held as a
/// slice of the answer it came in (no copy, no parsed map), so a listing neither builds nor
/// re-escapes thousands of maps. JSON output copies it as it is (its `Serialize`);
/// [`Extra::to_map`] parses it for what needs members (the `show` table, YAML).
#[derive(Clone)]
pub struct Extra(Bytes);

impl Extra {
    /// `text`, a JSON object that `serde_json` read from `body` (so valid), kept as a slice of
    /// `body`; compacted first if it holds whitespace between tokens (so an ndjson line stays
    /// one line whatever the server's layout).
    pub fn from_body(body: &Bytes, text: &str) -> Self {
        if let Some(compact) = compacted(text) {
            return Extra(Bytes::from(compact));
        }
        let start = (text.as_ptr() as usize).wrapping_sub(body.as_ptr() as usize);
        match start.checked_add(text.len()) {
            Some(end) if start <= body.len() && end <= body.len() => Extra(body.slice(start..end)),
            _ => Extra(Bytes::copy_from_slice(text.as_bytes())),
        }
    }

    /// The members of an object, in their order.
    pub fn from_map(map: &serde_json::Map<String, serde_json::Value>) -> Self {
        serde_json::to_vec(map)
            .map(|v| Extra(Bytes::from(v)))
            .unwrap_or_default()
    }

    /// The JSON text.
    pub fn get(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("{}")
    }

    /// The JSON text's bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The members, in the provider's order.
    pub fn to_map(&self) -> serde_json::Map<String, serde_json::Value> {
        serde_json::from_slice(&self.0).unwrap_or_default()
    }

    /// One member's value.
    pub fn member(&self, key: &str) -> Option<serde_json::Value> {
        self.to_map().remove(key)
    }
}

impl Default for Extra {
    /// `{}`.
    fn default() -> Self {
        Extra(Bytes::from_static(b"{}"))
    }
}

impl PartialEq for Extra {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}

impl fmt::Debug for Extra {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.get())
    }
}

impl Serialize for Extra {
    /// Verbatim in `serde_json`; as a map in other formats (through `serde_json::to_value`,
    /// which parses raw JSON text).
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let raw: &RawValue = serde_json::from_str(self.get()).map_err(serde::ser::Error::custom)?;
        raw.serialize(s)
    }
}

impl<'de> Deserialize<'de> for Extra {
    /// From any format: read as a value, then kept as its compact text.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = serde_json::Value::deserialize(d)?;
        serde_json::to_vec(&value)
            .map(|v| Extra(Bytes::from(v)))
            .map_err(serde::de::Error::custom)
    }
}

/// `text` without the whitespace between its tokens, or `None` when it has none (the usual
/// case, found without copying). `text` is valid JSON.
fn compacted(text: &str) -> Option<String> {
    let b = text.as_bytes();
    let first_space = first_space_outside_strings(b)?;
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..first_space]);
    let mut in_string = false;
    let mut escaped = false;
    for ch in text[first_space..].chars() {
        if in_string {
            out.push(ch);
            if escaped {
                escaped = false;
            } else if ch == '\\' {
                escaped = true;
            } else if ch == '"' {
                in_string = false;
            }
        } else if ch == '"' {
            in_string = true;
            out.push(ch);
        } else if !matches!(ch, ' ' | '\n' | '\r' | '\t') {
            out.push(ch);
        }
    }
    Some(out)
}

/// Where the first whitespace byte outside a JSON string is.
///
/// Fast path first: JSON whitespace outside strings always touches a structural character
/// (`{}[],:`) or more whitespace, so a text whose every space has only ordinary neighbours
/// (spaces inside names and descriptions) and that holds no tab or line break has none.
fn first_space_outside_strings(b: &[u8]) -> Option<usize> {
    let structural = |c: u8| matches!(c, b'{' | b'}' | b'[' | b']' | b',' | b':' | b' ');
    let suspicious = memchr::memchr3(b'\n', b'\r', b'\t', b).is_some()
        || memchr::memchr_iter(b' ', b).any(|i| {
            (i > 0 && structural(b[i - 1])) || b.get(i + 1).is_some_and(|c| structural(*c))
        });
    if !suspicious {
        return None;
    }
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b' ' | b'\n' | b'\r' | b'\t' => return Some(i),
            b'"' => {
                // Skip the string: to the next quote not escaped.
                i += 1;
                loop {
                    let at = i + memchr::memchr2(b'"', b'\\', b.get(i..)?)?;
                    if b[at] == b'\\' {
                        i = at + 2;
                    } else {
                        i = at + 1;
                        break;
                    }
                }
            }
            _ => i += 1,
        }
    }
    None
}
