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
