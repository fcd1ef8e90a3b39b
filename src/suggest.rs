//! "Did you mean": the closest valid value to one that is not valid, for usage errors.
//!
//! A value that differs from a valid one only in ASCII case is suggested, never taken: region
//! ids are lower case for Huawei and Tencent and zone ids upper case for Zenlayer, and a guess
//! that turned out wrong would list somewhere else than asked.

/// The candidate closest to `given`: one equal to it but for ASCII case first, else the one at
/// the smallest edit distance (Levenshtein, case ignored) within [`max_distance`]; ties go to
/// the earlier candidate. `None` when `given` is blank, is itself a candidate, or nothing is
/// close.
pub fn closest<I, S>(given: &str, candidates: I) -> Option<String>
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let given = given.trim();
    if given.is_empty() {
        return None;
    }
    let lower = given.to_lowercase();
    let bound = max_distance(given);
    let mut best: Option<(usize, String)> = None;
    for c in candidates {
        let c = c.as_ref();
        if c == given {
            return None;
        }
        let d = if c.eq_ignore_ascii_case(given) {
            0
        } else {
            strsim::levenshtein(&lower, &c.to_lowercase())
        };
        if d <= bound && best.as_ref().is_none_or(|(b, _)| d < *b) {
            best = Some((d, c.to_string()));
        }
    }
    best.map(|(_, c)| c)
}

/// How many edits a suggestion may be away: 2, or a quarter of the length for long values.
pub fn max_distance(given: &str) -> usize {
    (given.chars().count() / 4).max(2)
}

/// The hint that goes after the quoted value in a message: ` (did you mean 'x'?)`, saying so
/// when only the case differs; empty without a suggestion.
pub fn hint(given: &str, suggestion: Option<&str>) -> String {
    match suggestion {
        None => String::new(),
        Some(s) if s.eq_ignore_ascii_case(given.trim()) => {
            format!(" (did you mean '{s}'? ids are case-sensitive)")
        }
        Some(s) => format!(" (did you mean '{s}'?)"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const REGIONS: &[&str] = &["cn-north-4", "cn-north-1", "ap-southeast-1", "all"];

    #[test]
    fn case_first_then_the_nearest_within_bounds() {
        assert_eq!(
            closest("CN-NORTH-4", REGIONS).as_deref(),
            Some("cn-north-4")
        );
        assert_eq!(closest("cn-nort-4", REGIONS).as_deref(), Some("cn-north-4"));
        assert_eq!(closest("ALL", REGIONS).as_deref(), Some("all"));
        assert_eq!(closest("cn-north-4", REGIONS), None, "valid already");
        assert_eq!(closest("eu-central-7", REGIONS), None, "nothing close");
        assert_eq!(closest("", REGIONS), None);
        assert_eq!(closest("  ", REGIONS), None);
        assert_eq!(closest("fra-a", ["FRA-A"]).as_deref(), Some("FRA-A"));
        assert_eq!(closest("\u{1F600}\u{301}", REGIONS), None);
    }

    #[test]
    fn hints_say_when_only_the_case_differs() {
        assert_eq!(hint("x", None), "");
        assert_eq!(
            hint("CN-NORTH-4", Some("cn-north-4")),
            " (did you mean 'cn-north-4'? ids are case-sensitive)"
        );
        assert_eq!(
            hint("cn-nort-4", Some("cn-north-4")),
            " (did you mean 'cn-north-4'?)"
        );
    }
}
