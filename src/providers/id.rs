//! Provider ids: the names of the registry's entries.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use super::{Provider, REGISTRY};

/// One image API that imgcat can list, named by its id (`huawei-ims`, `zenlayer`, ...).
///
/// A small copyable handle: the id text of a registry entry. Ids compare equal by text and
/// order by their entry's position in [`REGISTRY`] (the order listings are printed in). Values
/// come from the registry (each provider's `pub const ID`, [`ProviderId::all`]) or from
/// [`FromStr`], which only accepts registered ids.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct ProviderId(&'static str);

impl ProviderId {
    /// The id of a registry entry. Only provider modules make ids this way (for their own
    /// entry); everything else parses one or iterates [`ProviderId::all`].
    pub const fn from_static(id: &'static str) -> Self {
        ProviderId(id)
    }

    /// Every provider, in the order listings are printed.
    pub fn all() -> impl Iterator<Item = ProviderId> {
        REGISTRY.iter().map(|p| p.id())
    }

    /// The id used on the command line and in output.
    pub fn as_str(self) -> &'static str {
        self.0
    }

    /// The registry entry of this id.
    pub fn provider(self) -> &'static dyn Provider {
        match REGISTRY.iter().find(|p| p.id().0 == self.0) {
            Some(p) => *p,
            // Ids are only made from registry entries (see `from_static`, `from_str`); the
            // registry's tests check that every entry's id is found.
            None => REGISTRY[0],
        }
    }

    /// Position of the entry in the registry.
    pub fn position(self) -> usize {
        REGISTRY
            .iter()
            .position(|p| p.id().0 == self.0)
            .unwrap_or(usize::MAX)
    }

    /// The suffix of the `IMGCAT_ENDPOINT_<ID>` environment variable.
    pub fn env_suffix(self) -> String {
        self.0.replace('-', "_").to_ascii_uppercase()
    }

    /// `IMGCAT_ENDPOINT_<ID>`: the variable that overrides this provider's endpoint.
    pub fn endpoint_var(self) -> String {
        format!("IMGCAT_ENDPOINT_{}", self.env_suffix())
    }
}

impl PartialOrd for ProviderId {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for ProviderId {
    fn cmp(&self, other: &Self) -> Ordering {
        self.position()
            .cmp(&other.position())
            .then_with(|| self.0.cmp(other.0))
    }
}

impl fmt::Debug for ProviderId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ProviderId({})", self.0)
    }
}

impl fmt::Display for ProviderId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl ProviderId {
    /// The message for `s`, which is no provider id: a "did you mean" when one is close
    /// ([`crate::suggest`]; `keywords` such as `all` count as candidates too) and the valid ids,
    /// then the keywords.
    pub fn unknown(s: &str, keywords: &[&str]) -> String {
        let mut valid: Vec<&str> = ProviderId::all().map(ProviderId::as_str).collect();
        valid.extend_from_slice(keywords);
        let hint = crate::suggest::hint(s, crate::suggest::closest(s, &valid).as_deref());
        format!("unknown provider '{s}'{hint}; valid: {}", valid.join(", "))
    }
}

/// Parses a registered id exactly (case included); the error names the valid ids, not `all`
/// (which only `--provider` of a listing takes).
impl FromStr for ProviderId {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ProviderId::all()
            .find(|p| p.0 == s)
            .ok_or_else(|| ProviderId::unknown(s, &[]))
    }
}

impl Serialize for ProviderId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0)
    }
}

impl<'de> Deserialize<'de> for ProviderId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = std::borrow::Cow::<'de, str>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entry_parses_back_to_itself_in_registry_order() {
        let ids: Vec<ProviderId> = ProviderId::all().collect();
        assert!(!ids.is_empty());
        for (i, id) in ids.iter().enumerate() {
            assert_eq!(id.as_str().parse::<ProviderId>(), Ok(*id));
            assert_eq!(id.position(), i);
            assert_eq!(id.provider().id(), *id);
            if i > 0 {
                assert!(ids[i - 1] < *id, "ordered by registry position");
            }
        }
        let mut sorted = ids.clone();
        sorted.dedup();
        assert_eq!(sorted.len(), ids.len(), "ids are unique");
    }

    #[test]
    fn unknown_ids_are_refused_with_the_valid_ones() {
        let e = "nope".parse::<ProviderId>().err().unwrap_or_default();
        for id in ProviderId::all() {
            assert!(e.contains(id.as_str()), "{e}");
        }
        assert!(!e.contains("all"), "`all` is not an id: {e}");
        let e = "ZENLAYER".parse::<ProviderId>().err().unwrap_or_default();
        assert!(e.contains("did you mean 'zenlayer'?"), "{e}");
        let e = ProviderId::unknown("al", &["all"]);
        assert!(
            e.contains("did you mean 'all'?") && e.ends_with(", all"),
            "{e}"
        );
        let json = serde_json::to_string(&ProviderId::all().next()).unwrap_or_default();
        let back: Option<ProviderId> = serde_json::from_str(&json).ok();
        assert_eq!(back, ProviderId::all().next());
        assert!(serde_json::from_str::<ProviderId>("\"nope\"").is_err());
    }
}
