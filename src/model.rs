//! The unified image model: one [`Image`] shape for every provider, with the provider's own
//! fields kept untouched in [`Image::extra`].

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use std::fmt;
use std::str::FromStr;

use crate::providers::ProviderId;

/// One machine image, normalized across providers.
///
/// A value a provider does not give is `None` (`null` in JSON), never invented.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
            extra: Extra::default(),
        }
    }
}

/// The provider's own object for one image, as the API sent it: kept as compact JSON text, not
/// as a parsed map, so a listing neither builds nor re-escapes thousands of maps. JSON output
/// writes it verbatim; [`Extra::to_map`] parses it for the formats that need members (the
/// `show` table, YAML).
#[derive(Clone)]
pub struct Extra(Box<RawValue>);

impl Extra {
    /// Takes a JSON object's text, compacted when it holds whitespace between tokens (so an
    /// ndjson line stays one line whatever the server's layout).
    pub fn from_raw(raw: Box<RawValue>) -> Self {
        match compacted(raw.get()) {
            None => Extra(raw),
            Some(text) => match RawValue::from_string(text) {
                Ok(raw) => Extra(raw),
                Err(_) => Extra(raw),
            },
        }
    }

    /// The members of an object, in their order (an empty map for anything else).
    pub fn from_map(map: &serde_json::Map<String, serde_json::Value>) -> Self {
        serde_json::value::to_raw_value(map)
            .map(Extra)
            .unwrap_or_default()
    }

    /// The JSON text.
    pub fn get(&self) -> &str {
        self.0.get()
    }

    /// The members, in the provider's order.
    pub fn to_map(&self) -> serde_json::Map<String, serde_json::Value> {
        serde_json::from_str(self.0.get()).unwrap_or_default()
    }

    /// One member's value.
    pub fn member(&self, key: &str) -> Option<serde_json::Value> {
        self.to_map().remove(key)
    }
}

impl Default for Extra {
    /// `{}`.
    fn default() -> Self {
        Extra(
            serde_json::value::to_raw_value(&serde_json::Map::new()).unwrap_or_else(|_| {
                // Serializing an empty map cannot fail; `null` would be the fallback.
                RawValue::NULL.to_owned()
            }),
        )
    }
}

impl PartialEq for Extra {
    fn eq(&self, other: &Self) -> bool {
        self.get() == other.get()
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
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl<'de> Deserialize<'de> for Extra {
    /// From any format: read as a value, then kept as its compact text.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = serde_json::Value::deserialize(d)?;
        serde_json::value::to_raw_value(&value)
            .map(Extra)
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
fn first_space_outside_strings(b: &[u8]) -> Option<usize> {
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
