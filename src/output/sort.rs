//! `--sort FIELD[:asc|desc]`: parsing and a stable, typed sort of images.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};

use super::fields::Field;
use crate::model::Image;

/// One sort key: a field and a direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SortKey {
    /// The field compared.
    pub field: Field,
    /// Largest first.
    pub descending: bool,
}

impl FromStr for SortKey {
    type Err = String;

    /// `FIELD`, `FIELD:asc` or `FIELD:desc`; `FIELD` is a name or alias as for `--columns`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (name, direction) = match s.split_once(':') {
            Some((name, direction)) => (name, Some(direction)),
            None => (s, None),
        };
        let field = name
            .parse::<Field>()
            .map_err(|e| e.replacen("unknown column", "unknown sort field", 1))?;
        let descending = match direction.map(|d| d.trim().to_ascii_lowercase()).as_deref() {
            None | Some("asc") => false,
            Some("desc") => true,
            Some(other) => {
                return Err(format!(
                    "bad sort direction '{other}' in '{s}'; use FIELD, FIELD:asc or FIELD:desc"
                ));
            }
        };
        Ok(SortKey { field, descending })
    }
}

impl fmt::Display for SortKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let direction = if self.descending { "desc" } else { "asc" };
        write!(f, "{}:{direction}", self.field)
    }
}

/// Parses a comma-separated list of sort keys, e.g. `provider,size:desc`.
pub fn parse_sort_keys(spec: &str) -> Result<Vec<SortKey>, String> {
    spec.split(',')
        .filter(|k| !k.trim().is_empty())
        .map(SortKey::from_str)
        .collect()
}

/// Sorts `images` by `keys`, first key first. Stable: images equal on every key keep their order.
///
/// Comparison is typed: `size`, `min_disk_gb` and `min_ram_mb` numerically, `created_at`
/// chronologically, text (including enum names and `os_version`) in natural order, ignoring case
/// ("7.9" < "7.10", "img-2" < "img-10"). A missing value sorts last in either direction.
pub fn sort_images(images: &mut [Image], keys: &[SortKey]) {
    if keys.is_empty() {
        return;
    }
    images.sort_by(|a, b| {
        keys.iter()
            .map(|key| compare_by(a, b, *key))
            .find(|o| o.is_ne())
            .unwrap_or(Ordering::Equal)
    });
}

/// A field's value in a comparable form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SortValue {
    Text(String),
    Number(u64),
    Time(DateTime<Utc>),
}

/// The value `field` of `image` sorts on; `None` when missing.
pub(crate) fn sort_value(image: &Image, field: Field) -> Option<SortValue> {
    Some(match field {
        Field::Size => SortValue::Number(image.size?),
        Field::MinDiskGb => SortValue::Number(image.min_disk_gb?),
        Field::MinRamMb => SortValue::Number(image.min_ram_mb?),
        Field::CreatedAt => SortValue::Time(image.created_at?),
        _ => SortValue::Text(field.raw(image)?),
    })
}

fn compare_by(a: &Image, b: &Image, key: SortKey) -> Ordering {
    compare_values(
        sort_value(a, key.field).as_ref(),
        sort_value(b, key.field).as_ref(),
        key,
    )
}

/// Compares two values of `key`'s field: missing values last in either direction.
pub(crate) fn compare_values(
    a: Option<&SortValue>,
    b: Option<&SortValue>,
    key: SortKey,
) -> Ordering {
    match (a, b) {
        (Some(x), Some(y)) => {
            let order = match (x, y) {
                (SortValue::Number(x), SortValue::Number(y)) => x.cmp(y),
                (SortValue::Time(x), SortValue::Time(y)) => x.cmp(y),
                (SortValue::Text(x), SortValue::Text(y)) => natural_cmp(x, y),
                // One field always yields one kind of value.
                _ => Ordering::Equal,
            };
            if key.descending {
                order.reverse()
            } else {
                order
            }
        }
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

/// Natural, case-insensitive order: runs of digits compare as numbers (of any length), the rest
/// by lower-cased characters; ties are broken by plain string order so the order is total.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut x, mut y) = (a, b);
    loop {
        match (x.chars().next(), y.chars().next()) {
            (None, None) => return a.cmp(b),
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(c), Some(d)) if c.is_ascii_digit() && d.is_ascii_digit() => {
                let (nx, rx) = split_digits(x);
                let (ny, ry) = split_digits(y);
                let (tx, ty) = (nx.trim_start_matches('0'), ny.trim_start_matches('0'));
                let order = tx.len().cmp(&ty.len()).then_with(|| tx.cmp(ty));
                if order.is_ne() {
                    return order;
                }
                (x, y) = (rx, ry);
            }
            (Some(c), Some(d)) => {
                let order = c.to_lowercase().cmp(d.to_lowercase());
                if order.is_ne() {
                    return order;
                }
                (x, y) = (&x[c.len_utf8()..], &y[d.len_utf8()..]);
            }
        }
    }
}

fn split_digits(s: &str) -> (&str, &str) {
    s.split_at(s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::providers::ProviderId;

    fn image(id: &str) -> Image {
        Image::new(
            ProviderId::all()
                .next()
                .unwrap_or_else(|| panic!("empty registry")),
            "r",
            id.into(),
            id.into(),
        )
    }

    fn ids(images: &[Image]) -> Vec<&str> {
        images.iter().map(|i| i.id.as_str()).collect()
    }

    #[test]
    fn parses_keys() {
        assert_eq!(
            parse_sort_keys("size:desc, name"),
            Ok(vec![
                SortKey {
                    field: Field::Size,
                    descending: true
                },
                SortKey {
                    field: Field::Name,
                    descending: false
                },
            ])
        );
        assert_eq!(
            "created:ASC".parse::<SortKey>().map(|k| k.field),
            Ok(Field::CreatedAt)
        );
        assert!(
            "size:up"
                .parse::<SortKey>()
                .unwrap_err()
                .contains("direction")
        );
        assert!(
            "bogus"
                .parse::<SortKey>()
                .unwrap_err()
                .contains("unknown sort field")
        );
        assert_eq!(
            SortKey {
                field: Field::Size,
                descending: true
            }
            .to_string(),
            "size:desc"
        );
    }

    #[test]
    fn numbers_numerically_none_last_both_ways() {
        let mut v = vec![image("a"), image("b"), image("c"), image("d")];
        v[0].size = Some(10);
        v[1].size = None;
        v[2].size = Some(9);
        v[3].size = Some(100);
        sort_images(
            &mut v,
            &["size".parse().unwrap_or(SortKey {
                field: Field::Size,
                descending: false,
            })],
        );
        assert_eq!(ids(&v), ["c", "a", "d", "b"]);
        sort_images(&mut v, &parse_sort_keys("size:desc").unwrap_or_default());
        assert_eq!(ids(&v), ["d", "a", "c", "b"]);
    }

    #[test]
    fn dates_chronologically_and_stable() {
        let mut v = vec![image("x"), image("y"), image("z"), image("w")];
        v[0].created_at = "2020-01-02T00:00:00Z".parse().ok();
        v[1].created_at = "2019-12-31T23:59:59Z".parse().ok();
        v[2].created_at = "2020-01-02T00:00:00Z".parse().ok();
        sort_images(&mut v, &parse_sort_keys("created_at").unwrap_or_default());
        assert_eq!(ids(&v), ["y", "x", "z", "w"]);
    }

    #[test]
    fn text_naturally_then_second_key() {
        let mut v = vec![image("img-10"), image("IMG-2"), image("img-9")];
        v[0].os_version = Some("7.10".into());
        v[1].os_version = Some("7.9".into());
        v[2].os_version = Some("7.10".into());
        sort_images(&mut v, &parse_sort_keys("id").unwrap_or_default());
        assert_eq!(ids(&v), ["IMG-2", "img-9", "img-10"]);
        sort_images(
            &mut v,
            &parse_sort_keys("version:desc,id:desc").unwrap_or_default(),
        );
        assert_eq!(ids(&v), ["img-10", "img-9", "IMG-2"]);
    }

    #[test]
    fn natural_order_is_total() {
        assert_eq!(natural_cmp("a01", "a1"), Ordering::Less);
        assert_eq!(natural_cmp("2012", "2012r2"), Ordering::Less);
        assert_eq!(
            natural_cmp("99999999999999999999999", "1"),
            Ordering::Greater
        );
        assert_eq!(natural_cmp("Ubuntu", "ubuntu"), "Ubuntu".cmp("ubuntu"));
    }
}
