//! The simulated catalogs: deterministic, realistic provider JSON objects.
//!
//! Item `i` of a provider depends only on `(provider, i)`: never on the region, the run or the
//! catalog size (apart from the API's order, e.g. IMS lists newest first). Each entry is
//! serialized once, and carries the few fields the filters need ([`Facets`]), so serving a page
//! is concatenating bytes.

mod huawei;
mod names;
mod others;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, Weak};

use bytes::Bytes;
use serde_json::Value;

use crate::providers::ProviderId;

pub use names::{SHARED_NAMES, UNIQUE_NAMES};

/// Who may use an image, in imgcat's terms; each API spells it its own way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A provider's public image.
    Public,
    /// The account's own image.
    Private,
    /// An image another account shared with this one.
    Shared,
    /// A marketplace image.
    Market,
}

/// Precomputed filter fields of one entry, in the provider's own vocabulary.
#[derive(Debug, Clone)]
pub(crate) struct Facets {
    /// Who may use it.
    pub kind: Kind,
    /// The OS type as the API spells it (`Linux`, `linux`, `aosp`, ...).
    pub os_type: &'static str,
    /// Platform / category (`CentOS`, `Windows`, ...).
    pub platform: &'static str,
    /// Arm (aarch64) image.
    pub arm: bool,
    /// Status as the API spells it.
    pub status: &'static str,
    /// Creation time, unix seconds.
    pub created: i64,
    /// 32 or 64 (IMS `__os_bit`).
    pub bits: u8,
    /// Disk format (IMS `disk_format`, Workspace).
    pub disk_format: &'static str,
}

/// One catalog entry.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    /// The provider's id of the image.
    pub id: String,
    /// The image name.
    pub name: String,
    /// The raw provider object, serialized once.
    pub bytes: Bytes,
    /// Filter fields.
    pub facets: Facets,
}

/// A provider's catalog, in the API's order, with an id index.
#[derive(Debug, Default)]
pub(crate) struct Catalog {
    /// Entries in the order the API lists them.
    pub entries: Vec<Entry>,
    /// Image id -> position in `entries`.
    pub by_id: HashMap<String, usize>,
}

impl Catalog {
    /// Builds the catalog of `n` images of `provider`.
    pub fn build(provider: ProviderId, n: usize) -> Catalog {
        let mut raw: Vec<(Value, Facets)> = (0..n).map(|i| generate(provider, i)).collect();
        order(provider, &mut raw);
        let entries: Vec<Entry> = raw
            .into_iter()
            .map(|(value, facets)| {
                let (id_key, name_key) = key_fields(provider);
                let id = str_field(&value, id_key);
                let name = str_field(&value, name_key);
                let bytes = Bytes::from(serde_json::to_vec(&value).unwrap_or_default());
                Entry {
                    id,
                    name,
                    bytes,
                    facets,
                }
            })
            .collect();
        let by_id = entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.id.clone(), i))
            .collect();
        Catalog { entries, by_id }
    }
}

/// Catalogs of up to this many images stay cached for the life of the process.
const KEEP_ALIVE_MAX: usize = 10_000;

/// The catalog of `n` images of `provider`, shared with any other simulator of the process
/// that uses the same size (tests start many; building one costs time in debug builds).
pub(crate) fn shared(provider: ProviderId, n: usize) -> Arc<Catalog> {
    type Cache = Mutex<(
        HashMap<(ProviderId, usize), Weak<Catalog>>,
        Vec<Arc<Catalog>>,
    )>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let hit = cache
        .lock()
        .ok()
        .and_then(|c| c.0.get(&(provider, n)).and_then(Weak::upgrade));
    if let Some(c) = hit {
        return c;
    }
    let built = Arc::new(Catalog::build(provider, n));
    if let Ok(mut c) = cache.lock() {
        c.0.retain(|_, w| w.strong_count() > 0);
        c.0.insert((provider, n), Arc::downgrade(&built));
        if n <= KEEP_ALIVE_MAX {
            c.1.push(built.clone());
        }
    }
    built
}

/// The raw objects of a catalog, in the API's order (see [`super::catalog`]).
pub(crate) fn values(provider: ProviderId, n: usize) -> Vec<Value> {
    let mut raw: Vec<(Value, Facets)> = (0..n).map(|i| generate(provider, i)).collect();
    order(provider, &mut raw);
    raw.into_iter().map(|(v, _)| v).collect()
}

fn generate(provider: ProviderId, i: usize) -> (Value, Facets) {
    match provider {
        ProviderId::HuaweiIms => huawei::ims(i),
        ProviderId::HuaweiWorkspace => huawei::workspace(i),
        ProviderId::HuaweiCph => huawei::cph(i),
        ProviderId::TencentLegacy => others::tencent(i),
        ProviderId::Zenlayer => others::zenlayer(i),
    }
}

/// Puts generated items in the order the API lists them.
fn order(provider: ProviderId, raw: &mut [(Value, Facets)]) {
    match provider {
        // Glance: newest first (sort_key=created_at, sort_dir=desc); creation times are unique.
        ProviderId::HuaweiIms => raw.sort_by_key(|(_, f)| std::cmp::Reverse(f.created)),
        // Workspace sorts by name (ascending) by default; ties keep generation order.
        ProviderId::HuaweiWorkspace => raw.sort_by(|a, b| {
            a.0.get("name")
                .and_then(Value::as_str)
                .cmp(&b.0.get("name").and_then(Value::as_str))
        }),
        // CPH: public, then private, then shared.
        ProviderId::HuaweiCph => raw.sort_by_key(|(_, f)| match f.kind {
            Kind::Public | Kind::Market => 0,
            Kind::Private => 1,
            Kind::Shared => 2,
        }),
        ProviderId::TencentLegacy | ProviderId::Zenlayer => {}
    }
}

fn key_fields(provider: ProviderId) -> (&'static str, &'static str) {
    match provider {
        ProviderId::HuaweiIms | ProviderId::HuaweiWorkspace => ("id", "name"),
        ProviderId::HuaweiCph => ("image_id", "image_name"),
        ProviderId::TencentLegacy => ("ImageId", "ImageName"),
        ProviderId::Zenlayer => ("imageId", "imageName"),
    }
}

fn str_field(v: &Value, key: &str) -> String {
    v.get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

/// splitmix64's finalizer: a bijection on u64 with good mixing.
pub(crate) fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// A deterministic pseudo-random number for item `i` of a stream `salt`.
pub(crate) fn hash(salt: u64, i: usize) -> u64 {
    mix(mix(salt) ^ i as u64)
}

/// A version-4-shaped UUID, unique per `(salt, i)`: all 64 bits of a bijection of `i` appear
/// in it (groups 1, 2 and the head of group 5); the rest is hash, version and variant.
pub(crate) fn uuid(salt: u64, i: usize) -> String {
    let a = mix(salt.wrapping_add(i as u64));
    let b = mix(a ^ salt);
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:04x}{:08x}",
        a >> 32,
        (a >> 16) & 0xFFFF,
        0x4000 | ((b >> 48) & 0x0FFF),
        0x8000 | ((b >> 32) & 0x3FFF),
        a & 0xFFFF,
        b & 0xFFFF_FFFF,
    )
}

/// 32 lower-case hex digits, unique per `(salt, i)`.
pub(crate) fn hex32(salt: u64, i: usize) -> String {
    let hi = mix(salt.wrapping_add(i as u64));
    format!("{:016x}{:016x}", hi, mix(hi ^ salt))
}

/// Base-36 id of `len` chars, unique per `(salt, i)` for `i < 2^40` when `len >= 8`.
pub(crate) fn base36(salt: u64, i: usize, len: usize) -> String {
    const MASK: u64 = (1 << 40) - 1;
    // A bijection on 40 bits: add, multiply by odd, xor-shift.
    let mut x = (i as u64).wrapping_add(salt) & MASK;
    x = x.wrapping_mul(0x009E_3779_B97F) & MASK;
    x ^= x >> 21;
    x = x.wrapping_mul(0x00C2_B2AE_3D27) & MASK;
    x ^= x >> 19;
    let digits = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut out = vec![b'0'; len];
    for slot in out.iter_mut().rev() {
        *slot = digits[(x % 36) as usize];
        x /= 36;
    }
    String::from_utf8(out).unwrap_or_default()
}

/// Base-62 id of `len` chars: 11 chars encode a bijection of `i`, the rest are hash.
pub(crate) fn base62(salt: u64, i: usize, len: usize) -> String {
    let digits = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let mut x = mix(salt.wrapping_add(i as u64));
    let mut y = mix(x ^ salt);
    let mut out = Vec::with_capacity(len);
    for k in 0..len {
        let src = if k < 11 { &mut x } else { &mut y };
        out.push(digits[(*src % 62) as usize]);
        *src /= 62;
        if k == 21 {
            y = mix(y ^ 0x55);
        }
    }
    String::from_utf8(out).unwrap_or_default()
}

/// The position of item `i` in a repeating pattern of kinds, and its ordinal among the items
/// of the same kind (0 for the first private image, 1 for the second, ...).
pub(crate) fn kind_at(pattern: &[Kind], i: usize) -> (Kind, usize) {
    let len = pattern.len();
    let kind = pattern[i % len];
    let per_cycle = pattern.iter().filter(|k| **k == kind).count();
    let before = pattern[..i % len].iter().filter(|k| **k == kind).count();
    (kind, (i / len) * per_cycle + before)
}

/// Creation time of item `i`: strictly increasing, one every ~half hour from 2019-01-01.
pub(crate) fn created(salt: u64, i: usize) -> i64 {
    1_546_300_800 + i as i64 * 1_800 + (hash(salt, i) % 1_700) as i64
}

/// `YYYY-MM-DDTHH:MM:SSZ`.
pub(crate) fn iso_z(t: i64) -> String {
    chrono::DateTime::from_timestamp(t, 0)
        .unwrap_or_default()
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

/// `YYYY-MM-DDTHH:MM:SS+00:00` (Tencent).
pub(crate) fn iso_offset(t: i64) -> String {
    chrono::DateTime::from_timestamp(t, 0)
        .unwrap_or_default()
        .format("%Y-%m-%dT%H:%M:%S+00:00")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn ids_and_unique_names_are_unique_in_every_catalog() {
        for &p in ProviderId::ALL {
            let c = Catalog::build(p, 3_000);
            assert_eq!(c.by_id.len(), 3_000, "{p}: duplicate ids");
            for name in UNIQUE_NAMES {
                let hits = c.entries.iter().filter(|e| e.name == *name).count();
                assert_eq!(hits, 1, "{p}: {name}");
            }
            for name in SHARED_NAMES {
                let hits = c.entries.iter().filter(|e| e.name == *name).count();
                assert!(hits >= 2, "{p}: {name} x{hits}");
            }
        }
    }

    #[test]
    fn base36_ids_do_not_collide_over_a_large_range() {
        let ids: HashSet<String> = (0..200_000).map(|i| base36(7, i, 8)).collect();
        assert_eq!(ids.len(), 200_000);
    }

    #[test]
    fn catalog_is_deterministic_and_small_catalogs_have_the_special_names() {
        for &p in ProviderId::ALL {
            assert_eq!(values(p, 50), values(p, 50));
            let c = Catalog::build(p, 300);
            assert!(c.entries.iter().any(|e| e.name == UNIQUE_NAMES[0]), "{p}");
            for name in SHARED_NAMES {
                let hits = c.entries.iter().filter(|e| e.name == *name).count();
                assert!(hits >= 2, "{p}: {name} x{hits} in 300");
            }
        }
    }
}
