//! The one place that knows the names of [`Image`]'s scalar fields: column names for `--columns`
//! and `--sort`, table headers, and how each field reads in a table cell or a CSV value.

use std::fmt;
use std::str::FromStr;

use chrono::SecondsFormat;
use serde::Serialize;

use crate::model::Image;

/// A scalar field of [`Image`] (every field but `extra`), usable as a column or a sort key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// `provider`
    Provider,
    /// `region`
    Region,
    /// `id`
    Id,
    /// `name`
    Name,
    /// `os_type`
    OsType,
    /// `os_family`
    OsFamily,
    /// `os_version`
    OsVersion,
    /// `architecture`
    Architecture,
    /// `visibility`
    Visibility,
    /// `status`
    Status,
    /// `size` (bytes)
    Size,
    /// `min_disk_gb`
    MinDiskGb,
    /// `min_ram_mb`
    MinRamMb,
    /// `disk_format`
    DiskFormat,
    /// `created_at`
    CreatedAt,
    /// `description`
    Description,
    /// `deprecated`
    Deprecated,
}

/// Short names accepted besides the field names, and the field each one means.
const ALIASES: &[(&str, Field)] = &[
    ("os", Field::OsFamily),
    ("family", Field::OsFamily),
    ("version", Field::OsVersion),
    ("arch", Field::Architecture),
    ("min_disk", Field::MinDiskGb),
    ("min_ram", Field::MinRamMb),
    ("format", Field::DiskFormat),
    ("created", Field::CreatedAt),
];

impl Field {
    /// Every field, in [`Image`]'s order. This is also the default CSV column set.
    pub const ALL: &'static [Field] = &[
        Field::Provider,
        Field::Region,
        Field::Id,
        Field::Name,
        Field::OsType,
        Field::OsFamily,
        Field::OsVersion,
        Field::Architecture,
        Field::Visibility,
        Field::Status,
        Field::Size,
        Field::MinDiskGb,
        Field::MinRamMb,
        Field::DiskFormat,
        Field::CreatedAt,
        Field::Description,
        Field::Deprecated,
    ];

    /// The field's name in [`Image`] and in JSON/YAML, also the CSV header.
    pub fn name(self) -> &'static str {
        match self {
            Field::Provider => "provider",
            Field::Region => "region",
            Field::Id => "id",
            Field::Name => "name",
            Field::OsType => "os_type",
            Field::OsFamily => "os_family",
            Field::OsVersion => "os_version",
            Field::Architecture => "architecture",
            Field::Visibility => "visibility",
            Field::Status => "status",
            Field::Size => "size",
            Field::MinDiskGb => "min_disk_gb",
            Field::MinRamMb => "min_ram_mb",
            Field::DiskFormat => "disk_format",
            Field::CreatedAt => "created_at",
            Field::Description => "description",
            Field::Deprecated => "deprecated",
        }
    }

    /// The table header.
    pub fn header(self) -> &'static str {
        match self {
            Field::Provider => "PROVIDER",
            Field::Region => "REGION",
            Field::Id => "ID",
            Field::Name => "NAME",
            Field::OsType => "OS TYPE",
            Field::OsFamily => "OS",
            Field::OsVersion => "VERSION",
            Field::Architecture => "ARCH",
            Field::Visibility => "VISIBILITY",
            Field::Status => "STATUS",
            Field::Size => "SIZE",
            Field::MinDiskGb => "MIN DISK",
            Field::MinRamMb => "MIN RAM",
            Field::DiskFormat => "FORMAT",
            Field::CreatedAt => "CREATED",
            Field::Description => "DESCRIPTION",
            Field::Deprecated => "DEPRECATED",
        }
    }

    /// The exact value for CSV and `show`: enums by their names, `size` in bytes, `created_at` in
    /// RFC 3339 (UTC, `Z`) like JSON; `None` when the provider did not give it.
    pub fn raw(self, image: &Image) -> Option<String> {
        Some(match self {
            Field::Provider => image.provider.as_str().to_string(),
            Field::Region => image.region.clone(),
            Field::Id => image.id.clone(),
            Field::Name => image.name.clone(),
            Field::OsType => image.os_type.as_str().to_string(),
            Field::OsFamily => image.os_family.clone()?,
            Field::OsVersion => image.os_version.clone()?,
            Field::Architecture => image.architecture?.as_str().to_string(),
            Field::Visibility => image.visibility.as_str().to_string(),
            Field::Status => image.status.as_str().to_string(),
            Field::Size => image.size?.to_string(),
            Field::MinDiskGb => image.min_disk_gb?.to_string(),
            Field::MinRamMb => image.min_ram_mb?.to_string(),
            Field::DiskFormat => image.disk_format.clone()?,
            Field::CreatedAt => image
                .created_at?
                .to_rfc3339_opts(SecondsFormat::AutoSi, true),
            Field::Description => image.description.clone()?,
            Field::Deprecated => image.deprecated?.to_string(),
        })
    }

    /// The value for a table cell: like [`Field::raw`] but `size` in binary units ("30G",
    /// "1.5G", see [`human_size`]), `min_disk_gb`/`min_ram_mb` with their unit, `created_at` as a
    /// date (UTC); control characters (newlines, tabs, escapes) become spaces. A missing value is
    /// [`MISSING`].
    pub fn display(self, image: &Image) -> String {
        let value = match self {
            Field::Size => image.size.map(human_size),
            Field::MinDiskGb => image.min_disk_gb.map(|gb| format!("{gb} GB")),
            Field::MinRamMb => image.min_ram_mb.map(|mb| format!("{mb} MB")),
            Field::CreatedAt => image.created_at.map(|t| t.format("%Y-%m-%d").to_string()),
            _ => self.raw(image),
        };
        match value {
            Some(v) => single_line(&v),
            None => MISSING.to_string(),
        }
    }

    /// Whether values are numbers (right-aligned in tables).
    pub fn is_numeric(self) -> bool {
        matches!(self, Field::Size | Field::MinDiskGb | Field::MinRamMb)
    }
}

/// The fields of one image named by `--columns`, serialized as a map in that order (json,
/// ndjson, yaml with `--columns`); a field named twice is written once, where first named.
pub struct Projection<'a> {
    image: &'a Image,
    fields: &'a [Field],
}

impl<'a> Projection<'a> {
    /// `fields` of `image`.
    pub fn new(image: &'a Image, fields: &'a [Field]) -> Self {
        Projection { image, fields }
    }
}

impl Serialize for Projection<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(None)?;
        for (i, field) in self.fields.iter().enumerate() {
            if self.fields[..i].contains(field) {
                continue;
            }
            map.serialize_entry(field.name(), &FieldValue(*field, self.image))?;
        }
        map.end()
    }
}

/// One field's value with its JSON type (what `Image` serializes for it).
struct FieldValue<'a>(Field, &'a Image);

impl Serialize for FieldValue<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let image = self.1;
        match self.0 {
            Field::Provider => image.provider.serialize(s),
            Field::Region => image.region.serialize(s),
            Field::Id => image.id.serialize(s),
            Field::Name => image.name.serialize(s),
            Field::OsType => image.os_type.serialize(s),
            Field::OsFamily => image.os_family.serialize(s),
            Field::OsVersion => image.os_version.serialize(s),
            Field::Architecture => image.architecture.serialize(s),
            Field::Visibility => image.visibility.serialize(s),
            Field::Status => image.status.serialize(s),
            Field::Size => image.size.serialize(s),
            Field::MinDiskGb => image.min_disk_gb.serialize(s),
            Field::MinRamMb => image.min_ram_mb.serialize(s),
            Field::DiskFormat => image.disk_format.serialize(s),
            Field::CreatedAt => image.created_at.serialize(s),
            Field::Description => image.description.serialize(s),
            Field::Deprecated => image.deprecated.serialize(s),
        }
    }
}

/// What a table shows for a value the provider did not give.
pub const MISSING: &str = "-";

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Field {
    type Err = String;

    /// A field name or alias (`os`, `family`, `version`, `arch`, `min_disk`, `min_ram`, `format`,
    /// `created`), any case, `-` taken as `_`. The error lists the valid names.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let key = s.trim().to_ascii_lowercase().replace('-', "_");
        Field::ALL
            .iter()
            .copied()
            .find(|f| f.name() == key)
            .or_else(|| ALIASES.iter().find(|(a, _)| *a == key).map(|(_, f)| *f))
            .ok_or_else(|| format!("unknown column '{}'; valid: {}", s.trim(), valid_names()))
    }
}

/// The valid field names, comma-separated, for error messages and help.
pub fn valid_names() -> String {
    let names: Vec<&str> = Field::ALL.iter().map(|f| f.name()).collect();
    names.join(", ")
}

/// Parses column lists such as `["name,id", "size"]` (each entry may hold several names separated
/// by commas). Order and repeats are kept. Unknown names and an empty list are errors.
pub fn parse_columns<S: AsRef<str>>(specs: &[S]) -> Result<Vec<Field>, String> {
    let fields = specs
        .iter()
        .flat_map(|spec| spec.as_ref().split(','))
        .filter(|name| !name.trim().is_empty())
        .map(Field::from_str)
        .collect::<Result<Vec<_>, _>>()?;
    if fields.is_empty() {
        return Err(format!("no columns given; valid: {}", valid_names()));
    }
    Ok(fields)
}

/// A byte count in binary units, `ls -h` style: "512B", "1.5K", "30G" (one decimal below 10).
pub fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 6] = ["K", "M", "G", "T", "P", "E"];
    if bytes < 1024 {
        return format!("{bytes}B");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    // Round first so that 9.96 shows as "10G", not "10.0G".
    if (value * 10.0).round() < 100.0 {
        format!("{:.1}{}", value, UNITS[unit])
    } else {
        format!("{:.0}{}", value, UNITS[unit])
    }
}

/// `text` with every control character (newline, tab, escape, ...) replaced by a space, so a value
/// cannot break a table row or smuggle terminal escapes.
pub fn single_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::providers::ProviderId;

    #[test]
    fn names_round_trip_and_match_json_keys() {
        let image = Image::new(
            ProviderId::all()
                .next()
                .unwrap_or_else(|| panic!("empty registry")),
            "FRA-A",
            "img-1".into(),
            "n".into(),
        );
        let json = serde_json::to_value(&image).unwrap_or_default();
        for field in Field::ALL {
            assert_eq!(field.name().parse::<Field>(), Ok(*field));
            assert!(
                json.get(field.name()).is_some(),
                "{field} is not a JSON key"
            );
        }
        assert_eq!(
            Field::ALL.len() + 1,
            json.as_object().map_or(0, |o| o.len())
        );
    }

    #[test]
    fn projection_carries_the_json_values_of_the_named_fields_once() {
        let mut image = Image::new(
            ProviderId::all()
                .next()
                .unwrap_or_else(|| panic!("empty registry")),
            "FRA-A",
            "img-1".into(),
            "n".into(),
        );
        image.size = Some(7);
        image.created_at = "2018-09-06T14:03:27Z".parse().ok();
        image.deprecated = Some(true);
        let whole = serde_json::to_value(&image).unwrap_or_default();
        let every = serde_json::to_value(Projection::new(&image, Field::ALL)).unwrap_or_default();
        let mut head = whole.clone();
        if let Some(map) = head.as_object_mut() {
            map.remove("extra");
        }
        assert_eq!(every, head, "every field, with the types Image has");
        let some = serde_json::to_string(&Projection::new(
            &image,
            &[Field::Name, Field::Id, Field::Name, Field::Size],
        ))
        .unwrap_or_default();
        assert_eq!(some, r#"{"name":"n","id":"img-1","size":7}"#);
    }

    #[test]
    fn columns_parse_with_aliases_and_errors() {
        assert_eq!(
            parse_columns(&["name, arch", "created"]),
            Ok(vec![Field::Name, Field::Architecture, Field::CreatedAt])
        );
        assert_eq!(parse_columns(&["OS-TYPE"]), Ok(vec![Field::OsType]));
        let err = parse_columns(&["name,bogus"]).unwrap_err();
        assert!(
            err.contains("'bogus'") && err.contains("min_ram_mb"),
            "{err}"
        );
        assert!(parse_columns(&[" , "]).is_err());
        assert!(parse_columns::<&str>(&[]).is_err());
        assert!("extra".parse::<Field>().is_err());
    }

    #[test]
    fn human_sizes() {
        assert_eq!(human_size(0), "0B");
        assert_eq!(human_size(1023), "1023B");
        assert_eq!(human_size(1024), "1.0K");
        assert_eq!(human_size(1536 * 1024 * 1024), "1.5G");
        assert_eq!(human_size(30 * 1024 * 1024 * 1024), "30G");
        assert_eq!(human_size(10 * 1024 * 1024 * 1024 - 1), "10G");
        assert_eq!(human_size(u64::MAX), "16E");
    }

    #[test]
    fn display_and_raw_values() {
        let mut image = Image::new(
            ProviderId::all()
                .next()
                .unwrap_or_else(|| panic!("empty registry")),
            "cn-north-4",
            "x".into(),
            "a\nb\tc".into(),
        );
        image.size = Some(2 * 1024 * 1024 * 1024);
        image.created_at = "2018-09-06T14:03:27Z".parse().ok();
        assert_eq!(Field::Name.display(&image), "a b c");
        assert_eq!(Field::Name.raw(&image).as_deref(), Some("a\nb\tc"));
        assert_eq!(Field::Size.display(&image), "2.0G");
        assert_eq!(Field::Size.raw(&image).as_deref(), Some("2147483648"));
        assert_eq!(Field::CreatedAt.display(&image), "2018-09-06");
        assert_eq!(
            Field::CreatedAt.raw(&image).as_deref(),
            Some("2018-09-06T14:03:27Z")
        );
        assert_eq!(Field::OsVersion.display(&image), MISSING);
        assert_eq!(Field::OsVersion.raw(&image), None);
    }
}
