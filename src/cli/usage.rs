//! What the command line takes, checked before any request: the value parsers of the flags
//! (empty values, `all` in any case, trimmed region ids). A value that fails is a usage error
//! (exit 2).

use crate::providers::ProviderId;

/// Rejects an empty (or blank) value.
pub fn non_empty(s: &str) -> std::result::Result<String, String> {
    if s.trim().is_empty() {
        Err("the value is empty (or only white space)".into())
    } else {
        Ok(s.to_string())
    }
}

/// A `--provider` value of a listing: trimmed, `all` in any case folded to `all`, not empty.
/// Whether it is a provider id is checked with the other flags.
pub fn provider(s: &str) -> std::result::Result<String, String> {
    let t = non_empty(s)?;
    Ok(fold_all(t.trim()))
}

/// The one provider of `imgcat regions`: a provider id; `all` is refused (the command prints
/// one provider's region ids, a list a script can loop over).
pub fn one_provider(s: &str) -> std::result::Result<ProviderId, String> {
    let t = non_empty(s)?;
    let t = t.trim();
    if super::runtime::is_all(t) {
        let ids: Vec<&str> = ProviderId::all().map(ProviderId::as_str).collect();
        return Err(format!(
            "`regions` lists one provider's regions: give one of {} (once per provider)",
            ids.join(", ")
        ));
    }
    t.parse()
}

/// A `--region` value: trimmed (as the environment's region variables are), `all` in any case
/// folded to `all`, not empty. Whether a provider has it is checked with the other flags.
pub fn region(s: &str) -> std::result::Result<String, String> {
    let t = non_empty(s)?;
    Ok(fold_all(t.trim()))
}

fn fold_all(t: &str) -> String {
    if super::runtime::is_all(t) {
        "all".to_string()
    } else {
        t.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_trimmed_folded_and_never_empty() {
        assert_eq!(region(" cn-north-4 ").as_deref(), Ok("cn-north-4"));
        assert_eq!(region("ALL").as_deref(), Ok("all"));
        assert_eq!(provider(" All ").as_deref(), Ok("all"));
        assert!(region("").is_err() && region("  ").is_err());
        assert!(non_empty("").is_err() && non_empty("\t").is_err());
        assert_eq!(non_empty(" x ").as_deref(), Ok(" x "), "not trimmed");
        assert!(one_provider("all").is_err_and(|e| !e.contains(", all")));
        assert!(one_provider(" zenlayer ").is_ok());
    }
}
