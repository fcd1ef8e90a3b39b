//! `--region all` for every provider against the simulator's per-region catalogs, the one IAM
//! request for Huawei's project ids, a region without a project, the simulator's rate limits,
//! and `wait` seeing an image appear mid-wait.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use common::{Auth, Sim, imgcat, stderr, stdout};
use imgcat::providers::{ProviderId, huawei, tencent};
use imgcat::sim::{self, SimConfig, SimCredentials};
use serde_json::Value;

const N: usize = 30;

fn s<'a>(v: &'a Value, k: &str) -> &'a str {
    v.get(k).and_then(Value::as_str).unwrap_or_default()
}

/// Every provider's credentials and endpoint at `sim`.
fn env_all(sim: &Sim) -> Vec<(String, String)> {
    let mut env: Vec<(String, String)> = Vec::new();
    for p in ProviderId::all() {
        for kv in sim.env(p, Auth::Keys) {
            if !env.contains(&kv) {
                env.push(kv);
            }
        }
        env.push((p.endpoint_var(), sim.url()));
    }
    env
}

/// The regions `--region all` covers for `p`, in the provider's order, without `skipped`.
fn expected_regions(p: ProviderId, skipped: &[&str]) -> Vec<String> {
    p.provider()
        .sim_regions()
        .into_iter()
        .filter(|r| !skipped.contains(r))
        .map(str::to_string)
        .collect()
}

#[test]
fn region_all_lists_every_image_of_every_region_exactly_once_with_one_iam_request() {
    let no_project = "la-south-2";
    let sim = Sim::start(
        SimConfig::new(N)
            .credentials(SimCredentials::demo())
            .no_project(no_project),
    );
    let before = sim.handle.stats();
    let out = imgcat(
        &env_all(&sim),
        [
            "list",
            "--provider",
            "all",
            "--region",
            "all",
            "--include-deprecated",
            "-o",
            "json",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let stats = sim.handle.stats().since(&before);
    assert_eq!(
        stats.get("iam"),
        1,
        "one IAM request for every project id: {stats:?}"
    );
    assert_eq!(stats.throttled, 0, "{stats:?}");
    // The region without a project: one line on stderr, whatever the number of services.
    let err = stderr(&out);
    assert_eq!(err.matches(no_project).count(), 1, "{err}");
    assert!(err.contains("no project"), "{err}");

    let images: Vec<Value> = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(&out)));
    // Targets in order: provider (registry order), then region in the provider's own order.
    let mut order: Vec<(String, String)> = Vec::new();
    let mut listed: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for i in &images {
        let t = (s(i, "provider").to_string(), s(i, "region").to_string());
        if order.last() != Some(&t) {
            assert!(!order.contains(&t), "{t:?} printed in two runs");
            order.push(t.clone());
        }
        listed.entry(t).or_default().push(s(i, "id").to_string());
    }
    let mut want_order = Vec::new();
    let huawei_ids = [huawei::IMS_ID, huawei::WORKSPACE_ID, huawei::CPH_ID];
    // `--provider all` leaves out retired APIs (tencent-legacy).
    for p in ProviderId::all().filter(|p| p.provider().retired().is_none()) {
        let skipped: &[&str] = if huawei_ids.contains(&p) {
            &[no_project]
        } else {
            &[]
        };
        let regions = expected_regions(p, skipped);
        assert!(
            regions.len() >= 10 || p == huawei::CPH_ID,
            "{p}: {regions:?}"
        );
        let (id_key, _) = sim::catalog_keys(p);
        for r in regions {
            let t = (p.as_str().to_string(), r.clone());
            let want: Vec<String> = sim::catalog_in(p, &r, N)
                .iter()
                .map(|v| s(v, id_key).to_string())
                .collect();
            let got = listed.get(&t).cloned().unwrap_or_default();
            let unique: BTreeSet<&String> = got.iter().collect();
            assert_eq!(unique.len(), got.len(), "{t:?}: an image listed twice");
            assert_eq!(got, want, "{t:?}: the region's catalog, in the API's order");
            want_order.push(t);
        }
    }
    assert_eq!(order, want_order);
    assert!(images.len() > 90 * N, "{} images", images.len());
}

#[test]
fn region_all_with_a_project_id_is_a_usage_error_saying_why() {
    let sim = Sim::with_images(N);
    let out = imgcat(
        &sim.env(huawei::IMS_ID, Auth::KeysWithProject),
        [
            "list",
            "-p",
            "huawei-ims",
            "-r",
            "all",
            "--endpoint",
            &sim.url(),
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("HUAWEICLOUD_SDK_PROJECT_ID"), "{err}");
    assert!(err.contains("one region"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
fn regions_lists_what_region_all_covers() {
    let sim = Sim::start(
        SimConfig::new(N)
            .credentials(SimCredentials::demo())
            .no_project("cn-north-1"),
    );
    let mut env = sim.env(huawei::IMS_ID, Auth::Keys);
    env.push((huawei::IMS_ID.endpoint_var(), sim.url()));
    let out = imgcat(&env, ["regions", "-p", "huawei-ims", "-o", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let got: Vec<String> = serde_json::from_slice(&out.stdout).unwrap_or_default();
    assert_eq!(got, expected_regions(huawei::IMS_ID, &["cn-north-1"]));
    let legacy = imgcat(&[], ["regions", "-p", "tencent-legacy", "-o", "json"]);
    let got: Vec<String> = serde_json::from_slice(&legacy.stdout).unwrap_or_default();
    assert_eq!(got, expected_regions(tencent::legacy::ID, &[]));
}

#[test]
fn the_simulator_throttles_over_the_limit_and_imgcat_keeps_to_it() {
    // 4,500 images: 45 pages, more than Tencent's 40 a second. imgcat paces itself.
    let sim = Sim::with_images(4_500);
    let p = tencent::legacy::ID;
    let mut env = sim.env(p, Auth::Keys);
    env.push((p.endpoint_var(), sim.url()));
    let args = [
        "list",
        "-p",
        "tencent-legacy",
        "-r",
        "ap-guangzhou",
        "-o",
        "ndjson",
    ];
    let started = Instant::now();
    let out = imgcat(&env, args);
    let took = started.elapsed();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out).lines().count(), 4_500);
    let stats = sim.handle.stats();
    assert_eq!(stats.get("tencent"), 45, "{stats:?}");
    assert_eq!(stats.throttled, 0, "{stats:?}");
    assert!(
        took >= Duration::from_millis(1_000),
        "the 41st page waits: {took:?}"
    );

    // Three processes at once share the API's budget but not imgcat's: the simulator answers
    // RequestLimitExceeded, and imgcat's retries (after the next second) still list all.
    let runs: Vec<std::thread::JoinHandle<std::process::Output>> = (0..3)
        .map(|_| {
            let env = env.clone();
            std::thread::spawn(move || imgcat(&env, args))
        })
        .collect();
    for r in runs {
        let out = r.join().unwrap_or_else(|_| panic!("imgcat thread"));
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert_eq!(stdout(&out).lines().count(), 4_500);
    }
    let after = sim.handle.stats().since(&stats);
    assert!(after.throttled > 0, "{after:?}");
    assert_eq!(after.get("tencent"), 3 * 45 + after.throttled, "{after:?}");

    // Without retries a throttled answer is the error it is.
    let runs: Vec<std::thread::JoinHandle<std::process::Output>> = (0..3)
        .map(|_| {
            let env = env.clone();
            std::thread::spawn(move || {
                let mut all = vec!["--retries", "0"];
                all.extend_from_slice(&args);
                imgcat(&env, all)
            })
        })
        .collect();
    let failed: Vec<String> = runs
        .into_iter()
        .map(|r| r.join().unwrap_or_else(|_| panic!("imgcat thread")))
        .filter(|o| !o.status.success())
        .map(|o| stderr(&o))
        .collect();
    assert!(!failed.is_empty(), "three at once exceed 40 a second");
    assert!(failed[0].contains("RequestLimitExceeded"), "{}", failed[0]);

    // `--no-rate-limit`: imgcat no longer paces itself. Pages 2-45 leave together (64 slots),
    // more than 40 arrive in one second, the simulator throttles some, and the retries still
    // list every image.
    std::thread::sleep(Duration::from_millis(1_100)); // past the window of the runs above
    let before = sim.handle.stats();
    let mut fast = vec!["--no-rate-limit", "--concurrency", "64"];
    fast.extend_from_slice(&args);
    let out = imgcat(&env, fast);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out).lines().count(), 4_500);
    let after = sim.handle.stats().since(&before);
    assert!(after.throttled > 0, "not paced: {after:?}");
    assert_eq!(after.get("tencent"), 45 + after.throttled, "{after:?}");
}

#[test]
fn without_rate_limits_the_simulator_throttles_nothing() {
    let sim = Sim::start(
        SimConfig::new(4_500)
            .credentials(SimCredentials::demo())
            .rate_limits(false),
    );
    let p = tencent::legacy::ID;
    let mut env = sim.env(p, Auth::Keys);
    env.push((p.endpoint_var(), sim.url()));
    let runs: Vec<std::thread::JoinHandle<std::process::Output>> = (0..3)
        .map(|_| {
            let env = env.clone();
            std::thread::spawn(move || {
                imgcat(
                    &env,
                    [
                        "--retries",
                        "0",
                        "list",
                        "-p",
                        "tencent-legacy",
                        "-r",
                        "ap-guangzhou",
                        "-o",
                        "ndjson",
                    ],
                )
            })
        })
        .collect();
    for r in runs {
        let out = r.join().unwrap_or_else(|_| panic!("imgcat thread"));
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    }
    assert_eq!(sim.handle.stats().throttled, 0);
}

#[test]
fn wait_sees_an_image_appear_mid_wait() {
    let catalog = sim::catalog(huawei::IMS_ID, N);
    let id = catalog
        .iter()
        .find(|v| s(v, "status") == "active")
        .map(|v| s(v, "id").to_string())
        .unwrap_or_else(|| panic!("no active image"));
    let sim = Sim::start(
        SimConfig::new(N)
            .credentials(SimCredentials::demo())
            .appear(id.clone(), Duration::from_secs(2)),
    );
    let mut env = sim.env(huawei::IMS_ID, Auth::Keys);
    env.push((huawei::IMS_ID.endpoint_var(), sim.url()));
    let started = Instant::now();
    let out = imgcat(
        &env,
        [
            "-v",
            "wait",
            "-p",
            "huawei-ims",
            "-r",
            "cn-north-4",
            "--id",
            &id,
            "--interval",
            "500ms",
        ],
    );
    let took = started.elapsed();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains(&id), "{}", stdout(&out));
    assert!(took >= Duration::from_secs(2), "{took:?}");
    let polls = stderr(&out).matches("wait: poll ").count();
    assert!(polls >= 4, "not found at first, then found: {polls} polls");
    assert!(
        stderr(&out).contains("no image with id"),
        "{}",
        stderr(&out)
    );
}
