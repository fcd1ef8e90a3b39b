//! The unified image model: one [`Image`] shape for every provider, with the provider's own
//! fields kept untouched in [`Image::extra`].

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
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
    pub extra: serde_json::Map<String, serde_json::Value>,
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
            extra: serde_json::Map::new(),
        }
    }
}
