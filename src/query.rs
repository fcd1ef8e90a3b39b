//! The unified filters of a listing and their client-side match.
//!
//! Adapters push down what their API can filter exactly; every image is then matched here
//! too, so a filter means the same for every provider whatever the API could do.

use chrono::{DateTime, Utc};
use wildmatch::WildMatch;

use crate::model::{Arch, Image, OsType, Status, Visibility};

/// Which images by visibility.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum VisibilityFilter {
    /// Every image.
    #[default]
    All,
    /// Public (and marketplace) images.
    Public,
    /// This account's own images.
    Private,
    /// Images shared with this account.
    Shared,
}

impl VisibilityFilter {
    /// The single visibility asked for, if any.
    pub fn only(self) -> Option<Visibility> {
        match self {
            VisibilityFilter::All => None,
            VisibilityFilter::Public => Some(Visibility::Public),
            VisibilityFilter::Private => Some(Visibility::Private),
            VisibilityFilter::Shared => Some(Visibility::Shared),
        }
    }
}

/// A name filter: exact, or a glob with `*` / `?`.
#[derive(Debug, Clone)]
pub enum NameFilter {
    /// Exact, case-sensitive name.
    Exact(String),
    /// Glob pattern, matched client-side.
    Glob(String, WildMatch),
}

impl NameFilter {
    /// `*` or `?` make a glob; anything else is exact.
    pub fn parse(s: &str) -> Self {
        if s.contains('*') || s.contains('?') {
            NameFilter::Glob(s.to_string(), WildMatch::new(s))
        } else {
            NameFilter::Exact(s.to_string())
        }
    }

    /// The exact name, when this is not a glob (what an API can filter on).
    pub fn exact(&self) -> Option<&str> {
        match self {
            NameFilter::Exact(s) => Some(s),
            NameFilter::Glob(..) => None,
        }
    }

    /// Whether `name` matches.
    pub fn matches(&self, name: &str) -> bool {
        match self {
            NameFilter::Exact(s) => s == name,
            NameFilter::Glob(_, g) => g.matches(name),
        }
    }
}

/// The filters of one listing.
#[derive(Debug, Clone, Default)]
pub struct ImageQuery {
    /// Visibility.
    pub visibility: VisibilityFilter,
    /// Name.
    pub name: Option<NameFilter>,
    /// OS type.
    pub os_type: Option<OsType>,
    /// OS family (lower-case).
    pub os_family: Option<String>,
    /// Architecture.
    pub arch: Option<Arch>,
    /// Status.
    pub status: Option<Status>,
    /// Created strictly after.
    pub created_after: Option<DateTime<Utc>>,
    /// Created strictly before.
    pub created_before: Option<DateTime<Utc>>,
    /// Image id.
    pub id: Option<String>,
    /// OS version and its sub-versions ([`OsVersion`]).
    pub os_version: Option<OsVersion>,
    /// Keep images the provider marks deprecated (left out by default).
    pub include_deprecated: bool,
}

impl ImageQuery {
    /// Whether `img` satisfies every filter.
    pub fn matches(&self, img: &Image) -> bool {
        self.visibility.only().is_none_or(|v| img.visibility == v)
            && self.name.as_ref().is_none_or(|n| n.matches(&img.name))
            && self.os_type.is_none_or(|t| img.os_type == t)
            && self
                .os_family
                .as_deref()
                .is_none_or(|f| img.os_family.as_deref() == Some(f))
            && self.arch.is_none_or(|a| img.architecture == Some(a))
            && self.status.is_none_or(|s| img.status == s)
            && self
                .created_after
                .is_none_or(|t| img.created_at.is_some_and(|c| c > t))
            && self
                .created_before
                .is_none_or(|t| img.created_at.is_some_and(|c| c < t))
            && self.id.as_deref().is_none_or(|id| img.id == id)
            && self
                .os_version
                .as_ref()
                .is_none_or(|v| img.os_version.as_deref().is_some_and(|x| v.matches(x)))
            && (self.include_deprecated || img.deprecated != Some(true))
    }
}

/// An `--os-version` filter: the normalized version (`22.04`, `7.9`, `2019`, `12sp3`) and its
/// sub-versions. `22.04` takes `22.04` and `22.04.3`, not `22.040` nor `22.4`; `12` takes `12`,
/// `12.5` and `12sp3` (a service pack of 12); `2012` takes `2012r2`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OsVersion(String);

impl OsVersion {
    /// Normalizes what a user typed as imgcat normalizes versions: lower case, no spaces, no
    /// leading `v` (`"12 SP3"` -> `12sp3`, `"V10"` -> `10`).
    pub fn parse(s: &str) -> Result<Self, String> {
        let mut v: String = s
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        if v.starts_with('v') && v[1..].starts_with(|c: char| c.is_ascii_digit()) {
            v.remove(0);
        }
        if v.is_empty() || !v.starts_with(|c: char| c.is_ascii_digit()) {
            return Err(format!(
                "--os-version: '{s}' is not a version (expected e.g. 22.04, 7.9, 2019)"
            ));
        }
        Ok(OsVersion(v))
    }

    /// The normalized version.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether an image's normalized version is this version or one of its sub-versions: equal,
    /// or longer and going on with something other than a digit (`.3`, `sp1`, `r2`).
    pub fn matches(&self, version: &str) -> bool {
        let v = version.to_ascii_lowercase();
        match v.strip_prefix(self.0.as_str()) {
            Some("") => true,
            Some(rest) => !rest.starts_with(|c: char| c.is_ascii_digit()),
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::providers::ProviderId;

    fn img(name: &str) -> Image {
        Image::new(
            ProviderId::all()
                .next()
                .unwrap_or_else(|| panic!("empty registry")),
            "r",
            "id".into(),
            name.into(),
        )
    }

    #[test]
    fn glob_and_exact_names() {
        let exact = NameFilter::parse("Ubuntu 22.04");
        assert!(exact.matches("Ubuntu 22.04"));
        assert!(!exact.matches("Ubuntu 22.04 LTS"));
        let glob = NameFilter::parse("Ubuntu*LTS");
        assert!(glob.exact().is_none());
        assert!(glob.matches("Ubuntu 22.04 LTS"));
        assert!(!glob.matches("Debian 12"));
    }

    #[test]
    fn os_version_takes_sub_versions_not_longer_numbers() {
        let v = OsVersion::parse("22.04").unwrap_or_else(|e| panic!("{e}"));
        assert!(v.matches("22.04"));
        assert!(v.matches("22.04.3"));
        assert!(!v.matches("22.040"));
        assert!(!v.matches("22.4"));
        assert!(!v.matches("2.04"));
        let sp = OsVersion::parse("12").unwrap_or_else(|e| panic!("{e}"));
        assert!(sp.matches("12sp3") && sp.matches("12.5") && !sp.matches("120"));
        let typed = OsVersion::parse(" 12 SP3").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(typed.as_str(), "12sp3");
        assert_eq!(OsVersion::parse("V10").map(|v| v.0), Ok("10".to_string()));
        assert!(OsVersion::parse("ubuntu").is_err());
        assert!(OsVersion::parse("").is_err());
    }

    #[test]
    fn deprecated_images_only_when_asked_and_unknown_counts_as_not() {
        let mut i = img("a");
        let mut q = ImageQuery::default();
        assert!(q.matches(&i), "null: the API does not say");
        i.deprecated = Some(false);
        assert!(q.matches(&i));
        i.deprecated = Some(true);
        assert!(!q.matches(&i));
        q.include_deprecated = true;
        assert!(q.matches(&i));
    }

    #[test]
    fn an_image_without_a_version_never_matches_a_version() {
        let q = ImageQuery {
            os_version: OsVersion::parse("7").ok(),
            ..Default::default()
        };
        let mut i = img("a");
        assert!(!q.matches(&i));
        i.os_version = Some("7.9".into());
        assert!(q.matches(&i));
    }

    #[test]
    fn visibility_and_unknown_dates() {
        let mut q = ImageQuery {
            visibility: VisibilityFilter::Public,
            ..Default::default()
        };
        let mut i = img("a");
        assert!(!q.matches(&i));
        i.visibility = Visibility::Public;
        assert!(q.matches(&i));
        q.created_after = Some(DateTime::<Utc>::MIN_UTC);
        assert!(
            !q.matches(&i),
            "an unknown date never matches a date filter"
        );
    }
}
