//! End-to-end tests of the everyday commands and flags, through `--sim` as a user runs them.

mod common;

use common::{imgcat, stderr, stdout};

fn sim(args: &[&str]) -> std::process::Output {
    let mut all = vec!["--sim", "--sim-images", "300"];
    all.extend_from_slice(args);
    imgcat(&[], all)
}

fn json(out: &std::process::Output) -> Vec<serde_json::Value> {
    assert!(out.status.success(), "{}", stderr(out));
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(out)))
}

fn field<'a>(v: &'a serde_json::Value, k: &str) -> &'a str {
    v.get(k).and_then(|x| x.as_str()).unwrap_or_default()
}

#[test]
fn check_exits_0_when_the_image_exists_and_1_when_not() {
    let listed = json(&sim(&["list", "-p", "huawei-ims", "-o", "json"]));
    let name = field(&listed[0], "name").to_string();
    let ok = sim(&["check", "--provider", "huawei-ims", "--name", &name]);
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));
    assert_eq!(stdout(&ok).lines().count(), 1);
    assert!(stdout(&ok).starts_with("ok:"), "{}", stdout(&ok));
    let missing = sim(&[
        "check",
        "--provider",
        "huawei-ims",
        "--name",
        "no such image 42",
    ]);
    assert_eq!(missing.status.code(), Some(1), "{}", stderr(&missing));
    assert!(
        stdout(&missing).starts_with("not ok"),
        "{}",
        stdout(&missing)
    );
    let as_json = sim(&["check", "-p", "huawei-ims", "--name", &name, "-o", "json"]);
    let doc: serde_json::Value = serde_json::from_slice(&as_json.stdout).unwrap_or_default();
    assert_eq!(doc["found"], serde_json::json!(true), "{doc}");
    // A status that the image does not have.
    let id = field(&listed[0], "id");
    let wrong = sim(&[
        "check",
        "-p",
        "huawei-ims",
        "--id",
        id,
        "--status",
        "deleted",
    ]);
    assert_eq!(wrong.status.code(), Some(1), "{}", stdout(&wrong));
}

#[test]
fn arch_filter_returns_only_that_arch_across_all_providers() {
    let images = json(&sim(&[
        "list",
        "--provider",
        "all",
        "--arch",
        "arm64",
        "--output",
        "json",
    ]));
    assert!(!images.is_empty());
    for i in &images {
        assert_eq!(field(i, "architecture"), "arm64", "{i}");
    }
    let providers: std::collections::BTreeSet<&str> =
        images.iter().map(|i| field(i, "provider")).collect();
    assert!(providers.len() >= 2, "{providers:?}");
}

#[test]
fn sort_by_name_sorts_and_desc_reverses() {
    let asc = json(&sim(&[
        "list",
        "-p",
        "all",
        "--sort-by",
        "name",
        "-o",
        "json",
    ]));
    let names: Vec<String> = asc
        .iter()
        .map(|i| field(i, "name").to_lowercase())
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    // Natural order: compare the case-folded names' first characters at least.
    assert_eq!(
        names.first().map(|s| s.chars().next()),
        sorted.first().map(|s| s.chars().next())
    );
    let desc = json(&sim(&[
        "list",
        "-p",
        "all",
        "--sort-by",
        "name:desc",
        "-o",
        "json",
    ]));
    let back: Vec<String> = desc
        .iter()
        .rev()
        .map(|i| field(i, "name").to_lowercase())
        .collect();
    assert_eq!(names, back);
    let dates = json(&sim(&[
        "list",
        "-p",
        "huawei-ims",
        "--sort-by",
        "created_at:desc",
        "-o",
        "json",
    ]));
    let d: Vec<&str> = dates
        .iter()
        .map(|i| field(i, "created_at"))
        .filter(|s| !s.is_empty())
        .collect();
    assert!(d.windows(2).all(|w| w[0] >= w[1]), "created_at descending");
}

#[test]
fn csv_columns_and_header() {
    let out = sim(&[
        "list",
        "-p",
        "huawei-cph",
        "--columns",
        "id,name",
        "--output",
        "csv",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let mut lines = text.lines();
    assert_eq!(lines.next().map(|l| l.trim_end()), Some("id,name"));
    assert!(lines.count() > 0);
    let bad = sim(&[
        "list",
        "-p",
        "huawei-cph",
        "--columns",
        "id,colour",
        "-o",
        "csv",
    ]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("colour"), "{}", stderr(&bad));
}

#[test]
fn yaml_parses_back() {
    let out = sim(&["list", "-p", "zenlayer", "-o", "yaml"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let docs: Vec<serde_json::Value> =
        serde_norway::from_slice(&out.stdout).unwrap_or_else(|e| panic!("yaml: {e}"));
    assert_eq!(
        docs.len(),
        json(&sim(&["list", "-p", "zenlayer", "-o", "json"])).len()
    );
}

#[test]
fn filters_limit_os_status_and_dates() {
    let all = json(&sim(&["list", "-p", "all", "-o", "json"]));
    let limited = json(&sim(&["list", "-p", "all", "--limit", "7", "-o", "json"]));
    assert_eq!(limited.len(), 7);
    let ubuntu = json(&sim(&["list", "-p", "all", "--os", "ubuntu", "-o", "json"]));
    assert!(!ubuntu.is_empty());
    assert!(ubuntu.iter().all(|i| field(i, "os_family") == "ubuntu"));
    let want = all
        .iter()
        .filter(|i| field(i, "os_family") == "ubuntu")
        .count();
    assert_eq!(
        ubuntu.len(),
        want,
        "--os gives what a client-side filter gives"
    );
    let avail = json(&sim(&[
        "list",
        "-p",
        "all",
        "--status",
        "available",
        "-o",
        "json",
    ]));
    assert!(avail.iter().all(|i| field(i, "status") == "available"));
    assert!(
        avail.len() < all.len(),
        "the catalogs have non-available images"
    );
    let mut dates: Vec<&str> = all
        .iter()
        .filter(|i| field(i, "provider") == "huawei-ims")
        .map(|i| field(i, "created_at"))
        .collect();
    dates.sort();
    let mid = dates[dates.len() / 2];
    let after = json(&sim(&[
        "list",
        "-p",
        "huawei-ims",
        "--created-after",
        mid,
        "-o",
        "json",
    ]));
    assert!(after.iter().all(|i| field(i, "created_at") > mid));
    let expected = dates.iter().filter(|d| **d > mid).count();
    assert_eq!(
        after.len(),
        expected,
        "pushed down to IMS as created_at=gt: and exact"
    );
    let bad = sim(&["list", "-p", "huawei-ims", "--created-after", "yesterday"]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn show_prints_one_image_and_exits_1_when_missing() {
    let listed = json(&sim(&["list", "-p", "tencent-legacy", "-o", "json"]));
    let id = field(&listed[3], "id");
    let out = sim(&["show", "-p", "tencent-legacy", id, "-o", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let img: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
    assert_eq!(img, listed[3]);
    let table = sim(&["show", "-p", "tencent-legacy", id]);
    assert!(stdout(&table).contains("extra."), "{}", stdout(&table));
    let missing = sim(&["show", "-p", "tencent-legacy", "img-nope"]);
    assert_eq!(missing.status.code(), Some(1));
}

#[test]
fn providers_regions_completions_and_man() {
    let p = sim(&["providers"]);
    assert!(p.status.success());
    for id in [
        "huawei-ims",
        "huawei-workspace",
        "huawei-cph",
        "tencent",
        "tencent-legacy",
        "zenlayer",
    ] {
        assert!(stdout(&p).contains(id));
    }
    let pj = sim(&["providers", "-o", "json"]);
    let docs: Vec<serde_json::Value> = serde_json::from_slice(&pj.stdout).unwrap_or_default();
    assert_eq!(docs.len(), 6);
    let r = imgcat(&[], ["regions", "--provider", "huawei-ims"]);
    assert!(
        stdout(&r).lines().any(|l| l == "cn-north-4"),
        "{}",
        stdout(&r)
    );
    let t = sim(&["regions", "--provider", "tencent"]);
    assert!(
        stdout(&t).lines().any(|l| l == "ap-guangzhou") && stdout(&t).lines().count() >= 15,
        "regions from DescribeRegions: {}",
        stdout(&t)
    );
    let z = sim(&["regions", "--provider", "zenlayer"]);
    assert!(
        stdout(&z).lines().any(|l| l == "FRA-A"),
        "zones from DescribeZones: {}",
        stdout(&z)
    );
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let c = imgcat(&[], ["completions", shell]);
        assert!(c.status.success() && c.stdout.len() > 500, "{shell}");
    }
    let man = imgcat(&[], ["man"]);
    assert!(stdout(&man).contains(".TH"), "roff man page");
    let help = imgcat(&[], ["list", "--help"]);
    assert!(stdout(&help).contains("Examples:"));
}

#[test]
fn profile_file_supplies_credentials_under_env_and_flags() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let sim = common::Sim::with_images(30);
    let c = &sim.creds;
    let path = dir.path().join("config.toml");
    let text = format!(
        "[default]\nconcurrency = 4\n\n[default.tencent]\nsecret_id = \"{}\"\nsecret_key = \"{}\"\nregion = \"ap-guangzhou\"\n\n[default.endpoints]\ntencent-legacy = \"{}\"\n\n[other.tencent]\nsecret_id = \"x\"\nsecret_key = \"wrong\"\nregion = \"ap-guangzhou\"\n\n[other.endpoints]\ntencent-legacy = \"{}\"\n",
        c.get("TENCENTCLOUD_SECRET_ID").unwrap_or_default(),
        c.get("TENCENTCLOUD_SECRET_KEY").unwrap_or_default(),
        sim.url(),
        sim.url()
    );
    std::fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600));
    }
    let env = vec![("IMGCAT_CONFIG".to_string(), path.display().to_string())];
    let out = imgcat(&env, ["list", "-p", "tencent-legacy", "-o", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let images: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap_or_default();
    assert_eq!(images.len(), 30);
    // --profile picks another table; its wrong key is rejected by the API.
    let other = imgcat(&env, ["list", "-p", "tencent-legacy", "--profile", "other"]);
    assert_eq!(other.status.code(), Some(4), "{}", stderr(&other));
    // The environment wins over the profile: its pair (a wrong key) is signed with, rejected.
    let mut env2 = env.clone();
    env2.push((
        "TENCENTCLOUD_SECRET_ID".into(),
        c.get("TENCENTCLOUD_SECRET_ID").unwrap_or_default().into(),
    ));
    env2.push(("TENCENTCLOUD_SECRET_KEY".into(), "from-env-wrong".into()));
    let envwins = imgcat(&env2, ["list", "-p", "tencent-legacy"]);
    assert_eq!(envwins.status.code(), Some(4), "{}", stderr(&envwins));
    // The environment's key alone is not paired with the profile's id: no credentials.
    let mut env3 = env.clone();
    env3.push(("TENCENTCLOUD_SECRET_KEY".into(), "from-env-wrong".into()));
    let half = imgcat(&env3, ["list", "-p", "tencent-legacy"]);
    assert_eq!(half.status.code(), Some(3), "{}", stderr(&half));
    // config show: masked secret, origins, concurrency from the profile.
    let show = imgcat(&env, ["config", "show"]);
    let text = stdout(&show);
    assert!(
        text.contains("TENCENTCLOUD_SECRET_KEY") && text.contains("***"),
        "{text}"
    );
    assert!(
        !text.contains(c.get("TENCENTCLOUD_SECRET_KEY").unwrap_or_default()),
        "secret shown: {text}"
    );
    assert!(text.contains("profile default"), "{text}");
    assert!(
        text.lines()
            .any(|l| l.contains("concurrency") && l.contains('4')),
        "{text}"
    );
    let missing = imgcat(&env, ["list", "-p", "tencent-legacy", "--profile", "nope"]);
    assert_eq!(missing.status.code(), Some(3));
    assert!(stderr(&missing).contains("nope"), "{}", stderr(&missing));
}

#[test]
fn os_type_created_before_wide_and_default_csv() {
    let windows = json(&sim(&[
        "list",
        "-p",
        "all",
        "--os-type",
        "windows",
        "-o",
        "json",
    ]));
    assert!(!windows.is_empty());
    assert!(windows.iter().all(|i| field(i, "os_type") == "windows"));
    let all = json(&sim(&["list", "-p", "huawei-ims", "-o", "json"]));
    let mut dates: Vec<&str> = all.iter().map(|i| field(i, "created_at")).collect();
    dates.sort();
    let mid = dates[dates.len() / 2];
    let before = json(&sim(&[
        "list",
        "-p",
        "huawei-ims",
        "--created-before",
        mid,
        "-o",
        "json",
    ]));
    assert_eq!(before.len(), dates.iter().filter(|d| **d < mid).count());
    assert!(before.iter().all(|i| field(i, "created_at") < mid));
    // --wide shows columns the default table leaves out when there is no room.
    let wide = sim(&["list", "-p", "huawei-ims", "--wide", "--limit", "3"]);
    let header = stdout(&wide).lines().next().unwrap_or_default().to_string();
    for col in ["MIN DISK", "FORMAT"] {
        assert!(header.to_uppercase().contains(col), "{header}");
    }
    let csv = sim(&["list", "-p", "huawei-ims", "--limit", "2", "-o", "csv"]);
    let head = stdout(&csv)
        .lines()
        .next()
        .unwrap_or_default()
        .trim_end()
        .to_string();
    assert!(
        head.starts_with("provider,region,id,name,os_type"),
        "{head}"
    );
}
