//! End-to-end: each adapter lists a 2,600-image simulated catalog exactly once, in every auth
//! mode, and the visibility and name filters return exactly the matching images.

mod common;

use std::collections::{BTreeSet, HashMap};

use common::{Auth, Sim, list_json, stderr};
use imgcat::providers::ProviderId;
use imgcat::providers::{huawei, tencent, zenlayer};
use imgcat::sim;

const N: usize = 2600;

/// The raw id field of each API.
fn raw_id(p: ProviderId) -> &'static str {
    sim::catalog_keys(p).0
}

fn raw_name(p: ProviderId) -> &'static str {
    sim::catalog_keys(p).1
}

fn s<'a>(v: &'a serde_json::Value, k: &str) -> &'a str {
    v.get(k).and_then(|x| x.as_str()).unwrap_or_default()
}

fn ids(images: &[serde_json::Value]) -> Vec<String> {
    images.iter().map(|i| s(i, "id").to_string()).collect()
}

fn catalog_ids(p: ProviderId, keep: impl Fn(&serde_json::Value) -> bool) -> BTreeSet<String> {
    sim::catalog(p, N)
        .iter()
        .filter(|v| keep(v))
        .map(|v| s(v, raw_id(p)).to_string())
        .collect()
}

fn assert_exactly_once(p: ProviderId, got: &[String], want: &BTreeSet<String>, what: &str) {
    let set: BTreeSet<String> = got.iter().cloned().collect();
    assert_eq!(
        set.len(),
        got.len(),
        "{p} {what}: an image was listed twice"
    );
    let missing: Vec<&String> = want.difference(&set).take(5).collect();
    let extra: Vec<&String> = set.difference(want).take(5).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "{p} {what}: {} listed, {} expected; missing {missing:?}, unexpected {extra:?}",
        got.len(),
        want.len()
    );
}

fn full_listing(p: ProviderId, modes: &[Auth]) {
    let sim = Sim::with_images(N);
    let want = catalog_ids(p, |_| true);
    assert_eq!(want.len(), N, "{p}: catalog ids are unique");
    for &mode in modes {
        let (images, out) = list_json(&sim, p, mode, &[]);
        assert!(out.status.success(), "{p} {mode:?}: {}", stderr(&out));
        assert_exactly_once(p, &ids(&images), &want, &format!("{mode:?}"));
        for img in &images {
            assert_eq!(s(img, "provider"), p.as_str());
            for field in ["region", "id", "visibility", "os_type", "status"] {
                assert!(!s(img, field).is_empty(), "{p}: {field} missing in {img}");
            }
        }
    }
}

#[test]
fn huawei_ims_lists_everything_in_every_auth_mode() {
    full_listing(
        huawei::IMS_ID,
        &[
            Auth::Keys,
            Auth::KeysWithProject,
            Auth::Temporary,
            Auth::Token,
        ],
    );
}

#[test]
fn huawei_workspace_lists_everything_in_every_auth_mode() {
    full_listing(
        huawei::WORKSPACE_ID,
        &[
            Auth::Keys,
            Auth::KeysWithProject,
            Auth::Temporary,
            Auth::Token,
        ],
    );
}

#[test]
fn huawei_cph_lists_everything_in_every_auth_mode() {
    full_listing(
        huawei::CPH_ID,
        &[
            Auth::Keys,
            Auth::KeysWithProject,
            Auth::Temporary,
            Auth::Token,
        ],
    );
}

#[test]
fn tencent_legacy_lists_everything() {
    full_listing(tencent::legacy::ID, &[Auth::Keys, Auth::Temporary]);
}

#[test]
fn zenlayer_lists_everything_with_keys_and_bearer_token() {
    full_listing(zenlayer::ID, &[Auth::Keys, Auth::Token]);
}

/// The documented visibility of a raw catalog entry.
fn raw_visibility(p: ProviderId, v: &serde_json::Value) -> &'static str {
    match p {
        huawei::IMS_ID => match s(v, "visibility") {
            "public" => "public",
            "shared" => "shared",
            _ => "private",
        },
        huawei::WORKSPACE_ID => match s(v, "image_type") {
            "gold" => "public",
            _ => "private",
        },
        huawei::CPH_ID => match v.get("is_public").and_then(|x| x.as_i64()) {
            Some(1) => "public",
            _ => "private-or-shared",
        },
        tencent::legacy::ID => match s(v, "ImageType") {
            "PUBLIC_IMAGE" | "MARKET_IMAGE" => "public",
            "SHARED_IMAGE" => "shared",
            _ => "private",
        },
        zenlayer::ID => match s(v, "imageType") {
            "PUBLIC_IMAGE" => "public",
            _ => "private",
        },
        other => panic!("{other}: no visibility mapping in this test"),
    }
}

fn filters_match_exactly(p: ProviderId) {
    let sim = Sim::with_images(N);
    for vis in ["public", "private"] {
        let (images, out) = list_json(&sim, p, Auth::Keys, &["--visibility", vis]);
        assert!(out.status.success(), "{p} {vis}: {}", stderr(&out));
        assert!(!images.is_empty(), "{p}: the catalog has {vis} images");
        for img in &images {
            assert_eq!(s(img, "visibility"), vis, "{p}: {img}");
        }
        if p != huawei::CPH_ID {
            let want = catalog_ids(p, |v| raw_visibility(p, v) == vis);
            assert_exactly_once(p, &ids(&images), &want, vis);
        } else if vis == "public" {
            let want = catalog_ids(p, |v| raw_visibility(p, v) == "public");
            assert_exactly_once(p, &ids(&images), &want, vis);
        }
    }

    // A name with spaces and non-ASCII characters, and every image that has it.
    let catalog = sim::catalog(p, N);
    let mut by_name: HashMap<&str, Vec<&str>> = HashMap::new();
    for v in &catalog {
        by_name
            .entry(s(v, raw_name(p)))
            .or_default()
            .push(s(v, raw_id(p)));
    }
    let name = by_name
        .keys()
        .copied()
        .filter(|n| n.contains(' ') && !n.is_ascii())
        .min()
        .unwrap_or_else(|| panic!("{p}: the catalog has a name with spaces and non-ASCII"));
    let want: BTreeSet<String> = by_name[name].iter().map(|s| s.to_string()).collect();
    let (images, out) = list_json(&sim, p, Auth::Keys, &["--name", name]);
    assert!(
        out.status.success(),
        "{p} --name {name:?}: {}",
        stderr(&out)
    );
    assert_exactly_once(p, &ids(&images), &want, &format!("--name {name:?}"));
    for img in &images {
        assert_eq!(s(img, "name"), name);
    }
}

#[test]
fn huawei_ims_filters() {
    filters_match_exactly(huawei::IMS_ID);
}

#[test]
fn huawei_workspace_filters() {
    filters_match_exactly(huawei::WORKSPACE_ID);
}

#[test]
fn huawei_cph_filters() {
    filters_match_exactly(huawei::CPH_ID);
}

#[test]
fn tencent_legacy_filters() {
    filters_match_exactly(tencent::legacy::ID);
}

#[test]
fn zenlayer_filters() {
    filters_match_exactly(zenlayer::ID);
}

#[test]
fn tencent_legacy_with_hmac_sha1_lists_everything() {
    let sim = Sim::with_images(N);
    let p = tencent::legacy::ID;
    let (images, out) = list_json(
        &sim,
        p,
        Auth::Keys,
        &["--tencent-signature-method", "HmacSHA1"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_exactly_once(p, &ids(&images), &catalog_ids(p, |_| true), "HmacSHA1");
}

#[test]
fn zenlayer_region_all_covers_every_zone_from_describe_zones() {
    let sim = Sim::with_images(50);
    let p = zenlayer::ID;
    let mut env = sim.env(p, Auth::Keys);
    env.push(("IMGCAT_ENDPOINT_ZENLAYER".into(), sim.url()));
    let out = common::imgcat(
        &env,
        ["list", "-p", "zenlayer", "--region", "all", "-o", "json"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let images: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap_or_default();
    let zones: BTreeSet<&str> = images.iter().map(|i| s(i, "region")).collect();
    assert!(zones.len() > 1 && zones.contains("FRA-A"), "{zones:?}");
    let want: usize = zones.iter().map(|z| sim::catalog_in(p, z, 50).len()).sum();
    assert_eq!(images.len(), want, "every zone's whole catalog");
    for z in &zones {
        let listed: BTreeSet<String> = images
            .iter()
            .filter(|i| s(i, "region") == *z)
            .map(|i| s(i, "id").to_string())
            .collect();
        let catalog: BTreeSet<String> = sim::catalog_in(p, z, 50)
            .iter()
            .map(|v| s(v, raw_id(p)).to_string())
            .collect();
        assert_eq!(listed, catalog, "{z}: its own catalog");
    }
    let unknown = common::imgcat(&env, ["list", "-p", "zenlayer", "--region", "XXX-Q"]);
    assert_eq!(unknown.status.code(), Some(5), "{}", stderr(&unknown));
    assert!(
        stderr(&unknown).contains("INVALID_ZONE_NOT_FOUND"),
        "{}",
        stderr(&unknown)
    );
    let tencent_bad = common::imgcat(&env, ["list", "-p", "tencent-legacy", "--region", "mars-1"]);
    assert_eq!(tencent_bad.status.code(), Some(2));
    assert!(
        stderr(&tencent_bad).contains("ap-guangzhou"),
        "lists the valid regions"
    );
}
