//! Zenlayer zones. Zone ids, not regions: neither `zenlayercloud-sdk-python` nor the docs
//! publish a full list; `FRA-A` is the documented example (seed 004). Any zone-shaped id is
//! passed to the API (which answers `INVALID_ZONE_NOT_FOUND` for an unknown one), and
//! `--region all` asks `DescribeZones` on the same endpoint (`zoneSet[].zoneId`).

/// The zones imgcat knows offline: the documented example.
pub const KNOWN: &[&str] = &["FRA-A"];

/// Whether `z` is shaped like a zone id: upper-case letters and digits in `-`-separated parts.
pub fn is_zone_id(z: &str) -> bool {
    !z.is_empty()
        && z.split('-').all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        })
}

/// The zones the simulator's `DescribeZones` lists: `(zoneId, zoneName)`.
pub const SIMULATED: &[(&str, &str)] = &[
    ("AMS-A", "Amsterdam A"),
    ("BOM-A", "Mumbai A"),
    ("CGK-A", "Jakarta A"),
    ("DXB-A", "Dubai A"),
    ("FRA-A", "Frankfurt A"),
    ("HKG-A", "Hong Kong A"),
    ("LAX-A", "Los Angeles A"),
    ("LHR-A", "London A"),
    ("MNL-A", "Manila A"),
    ("NRT-A", "Tokyo A"),
    ("SAO-A", "Sao Paulo A"),
    ("SEL-A", "Seoul A"),
    ("SIN-A", "Singapore A"),
    ("WAS-A", "Washington A"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zone_shapes() {
        for z in ["FRA-A", "LAX-A", "SIN2-B"] {
            assert!(is_zone_id(z), "{z}");
        }
        for z in ["", "fra-a", "FRA--A", "FRA-", "cn-north-4", "all"] {
            assert!(!is_zone_id(z), "{z}");
        }
        assert!(SIMULATED.iter().all(|(z, _)| is_zone_id(z)));
    }
}
