//! `--latest`, `--os-version`, `imgcat where` and `imgcat wait`, through the binary against the
//! simulator, with every exit code of `where` and `wait`.

mod common;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use common::{Auth, Sim, imgcat, region, stderr, stdout};
use imgcat::providers::ProviderId;
use imgcat::sim::{SimConfig, SimCredentials};
use serde_json::Value;

fn ims_id() -> ProviderId {
    imgcat::providers::huawei::IMS_ID
}

fn zenlayer_id() -> ProviderId {
    imgcat::providers::zenlayer::ID
}

/// How many providers `--provider all` selects under `--sim` (one target each).
fn all_count() -> usize {
    let all = json(&sim(&["list", "-p", "all", "-o", "json"]));
    let ids: std::collections::BTreeSet<&str> = all.iter().map(|i| s(i, "provider")).collect();
    ids.len()
}

fn sim(args: &[&str]) -> std::process::Output {
    let mut all = vec!["--sim", "--sim-images", "300"];
    all.extend_from_slice(args);
    imgcat(&[], all)
}

fn json(out: &std::process::Output) -> Vec<Value> {
    assert!(out.status.success(), "{}", stderr(out));
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(out)))
}

fn s<'a>(v: &'a Value, k: &str) -> &'a str {
    v.get(k).and_then(Value::as_str).unwrap_or_default()
}

fn target(v: &Value) -> (String, String) {
    (s(v, "provider").to_string(), s(v, "region").to_string())
}

/// The newest of `images` by creation time, ties to the greater id - computed here, from the
/// full listing, independently of imgcat's own choice.
fn newest(images: &[&Value]) -> Option<String> {
    images
        .iter()
        .map(|i| {
            let t = chrono::DateTime::parse_from_rfc3339(s(i, "created_at"))
                .unwrap_or_else(|e| panic!("created_at of {i}: {e}"));
            (t, s(i, "id").to_string())
        })
        .max()
        .map(|(_, id)| id)
}

#[test]
fn latest_is_the_newest_match_of_each_target_and_undated_targets_get_a_warning() {
    for filter in [
        &[][..],
        &["--os", "ubuntu"][..],
        &["--os-type", "windows"][..],
    ] {
        let mut args = vec!["list", "-p", "all", "-o", "json"];
        args.extend_from_slice(filter);
        let all = json(&sim(&args));
        args.push("--latest");
        let out = sim(&args);
        let picked = json(&out);

        let mut by_target: BTreeMap<(String, String), Vec<&Value>> = BTreeMap::new();
        for i in &all {
            by_target.entry(target(i)).or_default().push(i);
        }
        let mut expected = BTreeMap::new();
        for (t, images) in &by_target {
            if images.iter().all(|i| !s(i, "created_at").is_empty()) {
                expected.insert(t.clone(), newest(images));
            } else {
                let warning = format!("{} ({}): no --latest pick", t.0, t.1);
                assert!(
                    stderr(&out).contains(&warning),
                    "{filter:?}: {}",
                    stderr(&out)
                );
            }
        }
        let mut got = BTreeMap::new();
        for p in &picked {
            let before = got.insert(target(p), Some(s(p, "id").to_string()));
            assert!(
                before.is_none(),
                "{filter:?}: two picks for {:?}",
                target(p)
            );
        }
        assert_eq!(got, expected, "{filter:?}");
        assert!(
            !expected.is_empty(),
            "{filter:?}: some target has dated matches"
        );
    }
}

#[test]
fn latest_on_show_and_check() {
    let all = json(&sim(&[
        "list",
        "-p",
        "huawei-ims",
        "--os",
        "ubuntu",
        "-o",
        "json",
    ]));
    let refs: Vec<&Value> = all.iter().collect();
    let want = newest(&refs).unwrap_or_else(|| panic!("no ubuntu image"));
    let shown = sim(&[
        "show",
        "-p",
        "huawei-ims",
        "--latest",
        "--os",
        "ubuntu",
        "-o",
        "json",
    ]);
    assert_eq!(shown.status.code(), Some(0), "{}", stderr(&shown));
    let doc: Value = serde_json::from_slice(&shown.stdout).unwrap_or_default();
    assert_eq!(s(&doc, "id"), want);
    // show --latest shows one image: several targets are a usage error.
    let several = sim(&["show", "-p", "all", "--latest"]);
    assert_eq!(several.status.code(), Some(2), "{}", stderr(&several));
    assert!(
        stderr(&several).contains("list --latest"),
        "{}",
        stderr(&several)
    );
    // Nothing matches: exit 1.
    let none = sim(&["show", "-p", "huawei-ims", "--latest", "--name", "no such"]);
    assert_eq!(none.status.code(), Some(1), "{}", stderr(&none));

    let checked = sim(&["check", "-p", "huawei-ims", "--name", "Ubuntu*", "--latest"]);
    assert_eq!(checked.status.code(), Some(0), "{}", stderr(&checked));
    let ubuntu_named: Vec<&Value> = all
        .iter()
        .filter(|i| s(i, "name").starts_with("Ubuntu"))
        .collect();
    let newest_named = newest(&ubuntu_named).unwrap_or_default();
    assert!(
        stdout(&checked).contains(&newest_named),
        "the newest match is judged: {}",
        stdout(&checked)
    );
}

#[test]
fn os_version_takes_the_version_and_its_sub_versions_only() {
    let all = json(&sim(&["list", "-p", "all", "-o", "json"]));
    for v in ["22.04", "7", "2019", "20.04"] {
        let got = json(&sim(&[
            "list",
            "-p",
            "all",
            "--os-version",
            v,
            "-o",
            "json",
        ]));
        let want: Vec<&str> = all
            .iter()
            .filter(|i| {
                let x = s(i, "os_version");
                x == v
                    || x.strip_prefix(v)
                        .is_some_and(|rest| !rest.starts_with(|c: char| c.is_ascii_digit()))
            })
            .map(|i| s(i, "id"))
            .collect();
        let ids: Vec<&str> = got.iter().map(|i| s(i, "id")).collect();
        assert_eq!(ids, want, "--os-version {v}");
        assert!(!ids.is_empty(), "--os-version {v} matches something");
    }
    let bad = sim(&["list", "-p", "all", "--os-version", "ubuntu"]);
    assert_eq!(bad.status.code(), Some(2), "{}", stderr(&bad));
    assert!(stderr(&bad).contains("--os-version"), "{}", stderr(&bad));
}

#[test]
fn where_exits_0_when_every_target_has_a_match_and_1_when_one_has_none() {
    // Public images exist in every provider's demo catalog.
    let every = sim(&["where", "-p", "all", "--visibility", "public", "-o", "json"]);
    assert_eq!(every.status.code(), Some(0), "{}", stderr(&every));
    let rows: Vec<Value> = serde_json::from_slice(&every.stdout).unwrap_or_default();
    assert_eq!(rows.len(), all_count(), "{}", stdout(&every));
    let all = json(&sim(&[
        "list",
        "-p",
        "all",
        "--visibility",
        "public",
        "-o",
        "json",
    ]));
    for row in &rows {
        let t = target(row);
        let here: Vec<&Value> = all.iter().filter(|i| target(i) == t).collect();
        assert_eq!(row["matches"], here.len(), "{t:?}");
        if here.iter().all(|i| !s(i, "created_at").is_empty()) {
            assert_eq!(
                Some(s(row, "newest_id").to_string()),
                newest(&here),
                "{t:?}"
            );
        } else {
            assert!(
                row["newest_id"].is_null(),
                "{t:?}: no creation time, no newest"
            );
        }
    }
    // Android images only at CPH: the others are listed as without a match.
    let some = sim(&["where", "-p", "all", "--os-type", "android"]);
    assert_eq!(some.status.code(), Some(1), "{}", stderr(&some));
    let table = stdout(&some);
    assert_eq!(table.lines().count(), 1 + all_count(), "{table}");
    assert!(table.contains("(no match)"), "{table}");
    let nd = sim(&["where", "-p", "all", "--os-type", "android", "-o", "ndjson"]);
    assert_eq!(nd.status.code(), Some(1));
    let lines: Vec<Value> = stdout(&nd)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    assert_eq!(lines.len(), all_count());
    assert!(lines.iter().any(|l| l["matches"] == 0));
    // A bad flag is a usage error.
    let usage = sim(&["where", "-p", "all", "-o", "csv"]);
    assert_eq!(usage.status.code(), Some(2));
}

/// The environment for `providers` against `sim`, each with its endpoint.
fn env_for(sim: &Sim, providers: &[ProviderId]) -> Vec<(String, String)> {
    let mut env = Vec::new();
    for &p in providers {
        env.extend(sim.env(p, Auth::Keys));
        env.push((p.endpoint_var(), sim.url()));
    }
    env
}

fn with_regions(providers: &[ProviderId], args: &[&str]) -> Vec<String> {
    let mut all: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    for p in providers {
        all.extend([
            "-p".into(),
            p.as_str().into(),
            "-r".into(),
            region(*p).into(),
        ]);
    }
    all
}

#[test]
fn where_exits_with_the_error_codes_when_targets_fail() {
    let sim = Sim::start(
        SimConfig::new(40)
            .credentials(SimCredentials::demo())
            .parse_faults(["status:403:100@zenlayer"])
            .unwrap_or_else(|e| panic!("{e}")),
    );
    let both = [ims_id(), zenlayer_id()];
    let env = env_for(&sim, &both);
    let partial = imgcat(
        &env,
        with_regions(&both, &["--retries", "0", "where", "-o", "json"]),
    );
    assert_eq!(partial.status.code(), Some(7), "{}", stderr(&partial));
    let rows: Vec<Value> = serde_json::from_slice(&partial.stdout).unwrap_or_default();
    assert_eq!(rows.len(), 2, "{}", stdout(&partial));
    assert!(rows[0]["error"].is_null() && rows[0]["matches"].as_u64() > Some(0));
    assert!(rows[1]["error"].is_string() && rows[1]["matches"].is_null());
    assert!(
        stderr(&partial).contains("zenlayer"),
        "{}",
        stderr(&partial)
    );

    let only = [zenlayer_id()];
    let auth = imgcat(&env_for(&sim, &only), with_regions(&only, &["where"]));
    assert_eq!(auth.status.code(), Some(4), "{}", stderr(&auth));

    // Nothing listens there: network error, exit 6.
    let mut dead = env_for(&sim, &[ims_id()]);
    for (k, v) in &mut dead {
        if k.starts_with("IMGCAT_ENDPOINT_") || k == "HUAWEICLOUD_SDK_IAM_ENDPOINT" {
            *v = "http://127.0.0.1:9".into();
        }
    }
    let net = imgcat(
        &dead,
        with_regions(&[ims_id()], &["--retries", "0", "where"]),
    );
    assert_eq!(net.status.code(), Some(6), "{}", stderr(&net));
}

fn first_ims_image() -> Value {
    first_ims_image_of(300)
}

/// The first available image of the IMS catalog of `n` images.
fn first_ims_image_of(n: usize) -> Value {
    let n = n.to_string();
    json(&imgcat(
        &[],
        [
            "--sim",
            "--sim-images",
            &n,
            "list",
            "-p",
            "huawei-ims",
            "-o",
            "json",
        ],
    ))
    .into_iter()
    .find(|i| s(i, "status") == "available")
    .unwrap_or_else(|| panic!("no available IMS image"))
}

#[test]
fn wait_exits_0_as_soon_as_the_image_has_the_status() {
    let img = first_ims_image();
    let started = Instant::now();
    let out = sim(&["wait", "-p", "huawei-ims", "--id", s(&img, "id")]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).starts_with("ok: huawei-ims cn-north-4"),
        "{}",
        stdout(&out)
    );
    assert!(stdout(&out).contains("1 polls"), "{}", stdout(&out));
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "no second poll"
    );
    let by_name = sim(&["wait", "-p", "huawei-ims", "--name", s(&img, "name")]);
    assert_eq!(by_name.status.code(), Some(0), "{}", stderr(&by_name));
}

#[test]
fn wait_times_out_with_exit_9_polling_at_the_interval() {
    let img = first_ims_image();
    // The image exists but never becomes `creating`; and an id that never appears.
    for what in [
        vec!["--id", s(&img, "id"), "--status", "creating"],
        vec!["--id", "no-such-image"],
    ] {
        let mut args = vec![
            "-v",
            "--timeout",
            "2s",
            "wait",
            "-p",
            "huawei-ims",
            "--interval",
            "500ms",
        ];
        args.extend_from_slice(&what);
        let started = Instant::now();
        let out = sim(&args);
        let took = started.elapsed();
        assert_eq!(out.status.code(), Some(9), "{what:?}: {}", stderr(&out));
        assert!(
            stdout(&out).starts_with("not ok: timed out"),
            "{}",
            stdout(&out)
        );
        // Polls at 0, 0.5, 1 and 1.5 s: four, one log line each at -v.
        let polls = stderr(&out).matches("wait: poll ").count();
        assert_eq!(polls, 4, "{what:?}: {}", stderr(&out));
        assert!(took >= Duration::from_millis(1_500), "{took:?}");
        assert!(took < Duration::from_secs(10), "{took:?}");
    }
    let bad = sim(&[
        "wait",
        "-p",
        "huawei-ims",
        "--id",
        "x",
        "--interval",
        "soon",
    ]);
    assert_eq!(bad.status.code(), Some(2), "{}", stderr(&bad));
    let neither = sim(&["wait", "-p", "huawei-ims"]);
    assert_eq!(neither.status.code(), Some(2), "{}", stderr(&neither));
}

#[test]
fn wait_polls_through_transient_errors_and_ends_on_others() {
    // The first three IMS requests answer 503: with no retries, the first polls fail and a
    // later one sees the image.
    let ims = [ims_id()];
    let id = s(&first_ims_image_of(40), "id").to_string();
    let sim_503 = Sim::start(
        SimConfig::new(40)
            .credentials(SimCredentials::demo())
            .parse_faults(["status:503:3@ims"])
            .unwrap_or_else(|e| panic!("{e}")),
    );
    let out = imgcat(
        &env_for(&sim_503, &ims),
        with_regions(
            &ims,
            &[
                "-v",
                "--retries",
                "0",
                "wait",
                "--id",
                &id,
                "--interval",
                "200ms",
            ],
        ),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("4 polls"), "{}", stdout(&out));
    assert!(stderr(&out).contains("polling again"), "{}", stderr(&out));

    // Refused credentials are not transient: the wait ends at once with exit 4.
    let mut wrong = env_for(&sim_503, &ims);
    for (k, v) in &mut wrong {
        if k == "HUAWEICLOUD_SDK_SK" {
            *v = "not-the-secret-key".into();
        }
    }
    let started = Instant::now();
    let refused = imgcat(&wrong, with_regions(&ims, &["wait", "--id", &id]));
    assert_eq!(refused.status.code(), Some(4), "{}", stderr(&refused));
    assert!(started.elapsed() < Duration::from_secs(10));
    assert!(!stderr(&refused).contains("not-the-secret-key"));
}

#[test]
fn deprecated_images_are_left_out_unless_asked_for_where_the_api_marks_them() {
    let p = imgcat::providers::tencent::cvm::ID;
    let catalog = imgcat::sim::catalog(p, 300);
    let deprecated: std::collections::BTreeSet<&str> = catalog
        .iter()
        .filter(|v| v["ImageDeprecated"] == Value::Bool(true))
        .map(|v| s(v, "ImageId"))
        .collect();
    assert!(!deprecated.is_empty() && deprecated.len() < catalog.len());
    let default = json(&sim(&["list", "-p", p.as_str(), "-o", "json"]));
    let with = json(&sim(&[
        "list",
        "-p",
        p.as_str(),
        "--include-deprecated",
        "-o",
        "json",
    ]));
    assert_eq!(
        with.len(),
        catalog.len(),
        "every image with --include-deprecated"
    );
    assert!(with.iter().any(|i| i["deprecated"] == Value::Bool(true)));
    assert_eq!(default.len(), catalog.len() - deprecated.len());
    assert!(default.iter().all(|i| !deprecated.contains(s(i, "id"))));
    assert!(default.iter().all(|i| i["deprecated"] != Value::Bool(true)));
    // Elsewhere the API does not say (null): nothing is left out.
    let ims = json(&sim(&["list", "-p", "huawei-ims", "-o", "json"]));
    assert_eq!(ims.len(), 300);
    assert!(ims.iter().all(|i| i["deprecated"].is_null()));
    // --latest picks among the non-deprecated, unless asked.
    let latest = json(&sim(&["list", "-p", p.as_str(), "--latest", "-o", "json"]));
    let refs: Vec<&Value> = default.iter().collect();
    assert_eq!(latest.len(), 1);
    assert_eq!(Some(s(&latest[0], "id").to_string()), newest(&refs));
    let latest_all = json(&sim(&[
        "list",
        "-p",
        p.as_str(),
        "--latest",
        "--include-deprecated",
        "-o",
        "json",
    ]));
    let refs: Vec<&Value> = with.iter().collect();
    assert_eq!(Some(s(&latest_all[0], "id").to_string()), newest(&refs));
    // An image named by its id is shown even when deprecated.
    let one = deprecated.iter().next().copied().unwrap_or_default();
    let shown = sim(&["show", "-p", p.as_str(), one, "-o", "json"]);
    assert_eq!(shown.status.code(), Some(0), "{}", stderr(&shown));
}
