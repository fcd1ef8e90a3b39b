//! Partial failure: with every provider listed and one of them failing midway (its first page
//! answered, every later request refused), stdout holds exactly the complete targets' images -
//! compared by id with a clean listing - in json, ndjson, csv and table, and the exit code is 7.

mod common;

use std::collections::BTreeSet;

use common::{Auth, Sim, imgcat, stderr};
use imgcat::providers::ProviderId;
use imgcat::sim::{SimConfig, SimCredentials};

/// Images per catalog: two pages or more for every API (the largest page cap is 1000).
const IMAGES: usize = 1100;

/// The current providers (`-p all`).
fn current() -> Vec<ProviderId> {
    ProviderId::all()
        .filter(|p| p.provider().retired().is_none())
        .collect()
}

fn env_for(sim: &Sim) -> Vec<(String, String)> {
    let mut env = Vec::new();
    for p in current() {
        env.extend(sim.env(p, Auth::Keys));
        env.push((p.endpoint_var(), sim.url()));
        env.push((
            p.provider().credentials().region_var.to_string(),
            common::region(p).to_string(),
        ));
    }
    env.sort();
    env.dedup();
    env
}

fn start(faults: &[String]) -> Sim {
    let config = SimConfig::new(IMAGES)
        .credentials(SimCredentials::demo())
        .parse_faults(faults)
        .unwrap_or_else(|e| panic!("{e}"));
    Sim::start(config)
}

/// (provider, id) of every image printed, read back from `format`.
fn printed(format: &str, stdout: &[u8]) -> BTreeSet<(String, String)> {
    let text = String::from_utf8_lossy(stdout);
    match format {
        "json" => {
            let v: Vec<serde_json::Value> =
                serde_json::from_str(&text).unwrap_or_else(|e| panic!("json: {e}: {text}"));
            v.iter()
                .map(|i| (i["provider"].to_string(), i["id"].to_string()))
                .map(|(p, id)| (p.trim_matches('"').into(), id.trim_matches('"').into()))
                .collect()
        }
        "ndjson" => text
            .lines()
            .map(|l| {
                let i: serde_json::Value =
                    serde_json::from_str(l).unwrap_or_else(|e| panic!("ndjson: {e}: {l}"));
                (
                    i["provider"].as_str().unwrap_or_default().into(),
                    i["id"].as_str().unwrap_or_default().into(),
                )
            })
            .collect(),
        // `--columns provider,id`: two plain fields a line (a header first in csv).
        "csv" => text
            .lines()
            .skip(1)
            .filter_map(|l| l.split_once(','))
            .map(|(p, id)| (p.to_string(), id.to_string()))
            .collect(),
        _ => text
            .lines()
            .skip(1)
            .filter_map(|l| {
                let mut f = l.split_whitespace();
                Some((f.next()?.to_string(), f.next()?.to_string()))
            })
            .collect(),
    }
}

#[test]
fn only_complete_targets_are_printed_for_every_provider_failing_in_every_format() {
    // What each provider lists when nothing fails.
    let clean = start(&[]);
    let all = imgcat(
        &env_for(&clean),
        ["list", "-p", "all", "-o", "ndjson", "--include-deprecated"],
    );
    assert_eq!(all.status.code(), Some(0), "{}", stderr(&all));
    let everything = printed("ndjson", &all.stdout);
    drop(clean);
    for p in current() {
        assert!(
            everything.iter().filter(|(q, _)| q == p.as_str()).count() >= IMAGES,
            "{p} lists its catalog"
        );
    }

    for failing in current() {
        let api = failing.provider().sim_api();
        // The first request of the API is answered, every later one refused (400: not
        // retried): the target fails after a page was listed.
        let sim = start(&[format!("status-after:400:1@{api}")]);
        let env = env_for(&sim);
        let expected: BTreeSet<(String, String)> = everything
            .iter()
            .filter(|(p, _)| p != failing.as_str())
            .cloned()
            .collect();
        for format in ["json", "ndjson", "csv", "table"] {
            let mut args = vec![
                "--concurrency",
                "4",
                "list",
                "-p",
                "all",
                "--include-deprecated",
                "-o",
                format,
            ];
            if matches!(format, "csv" | "table") {
                args.extend(["--columns", "provider,id"]);
            }
            let out = imgcat(&env, &args);
            let err = stderr(&out);
            assert_eq!(
                out.status.code(),
                Some(7),
                "{failing} failing, {format}: {err}"
            );
            assert!(
                err.contains(failing.as_str()),
                "the failure names {failing}: {err}"
            );
            let got = printed(format, &out.stdout);
            let extra: Vec<_> = got.difference(&expected).take(3).collect();
            let missing: Vec<_> = expected.difference(&got).take(3).collect();
            assert!(
                extra.is_empty() && missing.is_empty(),
                "{failing} failing, {format}: {} printed, {} expected; not expected: {extra:?}; missing: {missing:?}",
                got.len(),
                expected.len()
            );
        }
    }
}
