//! The fault matrix: every fault the simulator can inject x every provider it applies to.
//! Each case ends either in exit 0 with exactly the full catalog, or in the documented error
//! code with a clear message - never exit 0 with a wrong list, never a hang.

mod common;

use std::collections::BTreeSet;
use std::io::Read;
use std::process::{Command, Stdio};
use std::time::Duration;

use common::{Auth, Sim, region};
use imgcat::providers::ProviderId;
use imgcat::providers::{huawei, tencent, zenlayer};
use imgcat::sim::{self, SimConfig, SimCredentials};
use wait_timeout::ChildExt;

/// Enough images for several pages everywhere (IMS and Zenlayer pages hold 1,000).
const N: usize = 2100;

/// Longest a case may take before it counts as a hang.
const CASE_LIMIT: Duration = Duration::from_secs(60);

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn run(sim: &Sim, p: ProviderId, extra: &[&str]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_imgcat"));
    cmd.env_clear()
        .env("IMGCAT_NO_METADATA", "1")
        .envs(sim.env(p, Auth::Keys))
        .args(["--timeout", "2", "--retries", "3"])
        .args(["list", "--provider", p.as_str(), "--region", region(p)])
        .args([
            "--endpoint",
            &sim.url(),
            "--output",
            "ndjson",
            "--include-deprecated",
        ])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap_or_else(|e| panic!("spawn: {e}"));
    let mut out = child.stdout.take().unwrap_or_else(|| panic!("no stdout"));
    let mut err = child.stderr.take().unwrap_or_else(|| panic!("no stderr"));
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = out.read_to_string(&mut s);
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = err.read_to_string(&mut s);
        s
    });
    let status = match child.wait_timeout(CASE_LIMIT) {
        Ok(Some(status)) => status,
        _ => {
            let _ = child.kill();
            panic!("{p} {extra:?}: imgcat hung for more than {CASE_LIMIT:?}");
        }
    };
    Run {
        code: status.code(),
        stdout: reader.join().unwrap_or_default(),
        stderr: err_reader.join().unwrap_or_default(),
    }
}

fn raw_id(p: ProviderId) -> &'static str {
    sim::catalog_keys(p).0
}

fn full_catalog(p: ProviderId) -> BTreeSet<String> {
    sim::catalog(p, N)
        .iter()
        .filter_map(|v| {
            v.get(raw_id(p))
                .and_then(|x| x.as_str())
                .map(str::to_string)
        })
        .collect()
}

fn listed(r: &Run) -> Vec<String> {
    r.stdout
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l)
                .ok()
                .and_then(|v| v.get("id").and_then(|x| x.as_str()).map(str::to_string))
                .unwrap_or_else(|| panic!("not an image line: {l}"))
        })
        .collect()
}

fn sim_with(fault: &str) -> Sim {
    let config = SimConfig::new(N)
        .credentials(SimCredentials::demo())
        .parse_faults([fault])
        .unwrap_or_else(|e| panic!("fault {fault}: {e}"));
    Sim::start(config)
}

/// A transient fault: the listing must recover and be exactly complete.
fn recovers(fault: &str, providers: &[ProviderId]) {
    for &p in providers {
        let sim = sim_with(fault);
        let r = run(&sim, p, &[]);
        assert_eq!(r.code, Some(0), "{p} under {fault}: {}", r.stderr);
        let got = listed(&r);
        let set: BTreeSet<String> = got.iter().cloned().collect();
        assert_eq!(set.len(), got.len(), "{p} under {fault}: duplicates");
        assert_eq!(
            set,
            full_catalog(p),
            "{p} under {fault}: not the full catalog"
        );
    }
}

/// A fault that makes the listing wrong: imgcat must fail with `code` and say `says`.
fn fails(fault: &str, providers: &[ProviderId], code: i32, says: &str) {
    for &p in providers {
        let sim = sim_with(fault);
        let r = run(&sim, p, &[]);
        assert_eq!(r.code, Some(code), "{p} under {fault}: stderr {}", r.stderr);
        assert!(r.stderr.contains(p.as_str()), "{p}: {}", r.stderr);
        assert!(r.stderr.contains(says), "{p} under {fault}: {}", r.stderr);
        assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    }
}

fn all() -> Vec<ProviderId> {
    ProviderId::all().collect()
}
const OFFSET: &[ProviderId] = &[huawei::WORKSPACE_ID, tencent::legacy::ID, zenlayer::ID];

#[test]
fn rate_limited_429_with_retry_after_recovers() {
    recovers("status:429:1", &all());
}

#[test]
fn server_errors_500_and_503_recover() {
    recovers("status:500:2", &all());
    recovers("status:503:2", &all());
}

#[test]
fn a_connection_cut_mid_body_recovers() {
    recovers("cut:1", &all());
}

#[test]
fn a_truncated_json_body_recovers() {
    recovers("truncate:1", &all());
}

#[test]
fn a_slow_answer_past_the_timeout_recovers() {
    recovers("slow:4000:1", &all());
}

#[test]
fn a_short_page_is_fetched_again() {
    recovers("short-page:1", OFFSET);
}

#[test]
fn a_page_that_stays_short_fails_the_listing() {
    fails("short-page:1000", OFFSET, 5, "incomplete");
}

#[test]
fn a_total_that_changes_fails_the_listing() {
    fails("total-change:1", OFFSET, 5, "total changed");
}

#[test]
fn an_ims_next_link_that_loops_fails_the_listing() {
    fails("ims-loop", &[huawei::IMS_ID], 5, "loop");
}

#[test]
fn errors_that_persist_fail_with_the_api_code() {
    fails("status:503:100", &all(), 5, "503");
}

#[test]
fn several_targets_with_one_failing_print_the_rest_and_exit_partial() {
    let sim = sim_with("ims-loop");
    let mut env = Vec::new();
    for p in all() {
        env.extend(sim.env(p, Auth::Keys));
        env.push((p.endpoint_var(), sim.url()));
        let region_var = p.provider().credentials().region_var;
        if !env.iter().any(|(k, _)| k == region_var) {
            env.push((region_var.into(), common::region(p).into()));
        }
    }
    let out = common::imgcat(
        &env,
        [
            "--retries",
            "0",
            "list",
            "--provider",
            "all",
            "--output",
            "json",
        ],
    );
    assert_eq!(out.status.code(), Some(7), "{}", common::stderr(&out));
    let images: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("JSON stays valid after a failure: {e}"));
    let providers: BTreeSet<&str> = images
        .iter()
        .filter_map(|i| i.get("provider").and_then(|p| p.as_str()))
        .collect();
    assert!(providers.contains("zenlayer") && providers.contains("tencent"));
    let err = common::stderr(&out);
    assert!(
        err.contains("huawei-ims") && err.contains("partial"),
        "{err}"
    );
}
