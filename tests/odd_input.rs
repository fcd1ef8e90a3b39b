//! Odd input of issue 13: region ids with spaces or in the wrong case (a "did you mean", never
//! a guess), `all` in any case, `regions -p all`, empty values, the numbers' ranges, and the
//! simulator's banner naming the demo credentials.

mod common;

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{imgcat, stderr, stdout};
use imgcat::providers::{ProviderId, SimKey};

fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// A usage error: exit 2 and one line on stderr saying `says`, no panic.
fn usage_error(args: &[&str], says: &str) {
    let out = imgcat(&[], args);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
    assert!(err.contains(says), "{args:?}: wanted {says:?} in {err}");
    assert_eq!(
        err.trim_end().lines().count(),
        1,
        "{args:?}: one line: {err}"
    );
    assert!(!err.contains("panicked"), "{args:?}: {err}");
}

/// The regions of an ndjson listing's images.
fn regions_listed(out: &std::process::Output) -> BTreeSet<String> {
    stdout(out)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["region"].as_str().map(str::to_string))
        .collect()
}

#[test]
fn region_values_are_trimmed_as_the_environments_are() {
    let list = |r: &str| {
        imgcat(
            &[],
            ["--sim", "list", "-p", "huawei-ims", "-r", r, "-o", "ndjson"],
        )
    };
    let plain = list("cn-north-4");
    assert_eq!(plain.status.code(), Some(0), "{}", stderr(&plain));
    for spaced in ["cn-north-4 ", " cn-north-4", "\tcn-north-4\n"] {
        let out = list(spaced);
        assert_eq!(out.status.code(), Some(0), "{spaced:?}: {}", stderr(&out));
        assert_eq!(stdout(&out), stdout(&plain), "{spaced:?}");
    }
    // The environment's region variable was trimmed already; it still is.
    let out = imgcat(
        &env(&[("HUAWEICLOUD_SDK_REGION", "cn-north-4 ")]),
        ["--sim", "list", "-p", "huawei-ims", "-o", "ndjson"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), stdout(&plain));
    usage_error(
        &["--sim", "list", "-p", "huawei-ims", "-r", " "],
        "--region",
    );
}

#[test]
fn an_unknown_region_gets_the_closest_valid_one_suggested_not_taken() {
    for (p, given, suggested) in [
        ("huawei-ims", "CN-NORTH-4", "cn-north-4"),
        ("huawei-ims", "cn-nort-4", "cn-north-4"),
        ("tencent", "AP-GUANGZHOU", "ap-guangzhou"),
        ("tencent", "ap-guangzou", "ap-guangzhou"),
        ("zenlayer", "fra-a", "FRA-A"),
        ("zenlayer", "sin-b", "SIN-B"),
    ] {
        usage_error(
            &["--sim", "list", "-p", p, "-r", given],
            &format!("unknown region '{given}' (did you mean '{suggested}'?"),
        );
    }
    // A case-only difference says that case matters.
    usage_error(
        &["--sim", "where", "-p", "huawei-ims", "-r", "CN-North-4"],
        "ids are case-sensitive",
    );
    // Several providers: the closest of any of them.
    usage_error(
        &["--sim", "list", "-p", "all", "-r", "Ap-Guangzhou"],
        "did you mean 'ap-guangzhou'?",
    );
    // Nothing close: no suggestion, the valid ones.
    let out = imgcat(&[], ["--sim", "list", "-p", "huawei-ims", "-r", "mars-9"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!stderr(&out).contains("did you mean"), "{}", stderr(&out));
    assert!(stderr(&out).contains("cn-north-4"), "{}", stderr(&out));
    // The environment's region (a configuration error) gets the hint too.
    let out = imgcat(
        &env(&[("HUAWEICLOUD_SDK_REGION", "CN-NORTH-4")]),
        ["--sim", "list", "-p", "huawei-ims"],
    );
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("did you mean 'cn-north-4'?"),
        "{}",
        stderr(&out)
    );
    // A provider id too.
    usage_error(
        &["--sim", "list", "-p", "Zenlayer"],
        "did you mean 'zenlayer'?",
    );
}

#[test]
fn all_is_all_in_any_case_for_every_provider() {
    for p in ProviderId::all() {
        let list = |r: &str| {
            imgcat(
                &[],
                [
                    "--sim",
                    "--sim-images",
                    "2",
                    "list",
                    "-p",
                    p.as_str(),
                    "-r",
                    r,
                    "-o",
                    "ndjson",
                ],
            )
        };
        let lower = list("all");
        assert_eq!(lower.status.code(), Some(0), "{p}: {}", stderr(&lower));
        let regions = regions_listed(&lower);
        assert!(regions.len() > 1, "{p}: {regions:?}");
        for all in ["ALL", "All", " aLL "] {
            let out = list(all);
            assert_eq!(out.status.code(), Some(0), "{p} {all:?}: {}", stderr(&out));
            assert_eq!(regions_listed(&out), regions, "{p} {all:?}");
        }
    }
    // The environment's region variable, and the provider keyword.
    let out = imgcat(
        &env(&[("ZENLAYERCLOUD_ZONE", "ALL")]),
        [
            "--sim",
            "--sim-images",
            "2",
            "list",
            "-p",
            "zenlayer",
            "-o",
            "ndjson",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(regions_listed(&out).len() > 1);
    let out = imgcat(&[], ["--sim", "list", "-p", "ALL", "--limit", "1"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn regions_takes_one_provider_and_does_not_offer_all() {
    for given in ["all", "ALL"] {
        let out = imgcat(&[], ["--sim", "regions", "-p", given]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.contains("one provider"), "{err}");
        assert!(!err.contains(", all"), "not offered: {err}");
        for p in ProviderId::all() {
            assert!(err.contains(p.as_str()), "{err}");
        }
    }
    let out = imgcat(&[], ["--sim", "regions", "-p", "nope"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!stderr(&out).contains(", all"), "{}", stderr(&out));
    // A listing's --provider does take all, and says so.
    let out = imgcat(&[], ["--sim", "list", "-p", "nope"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains(", all"), "{}", stderr(&out));
    let out = imgcat(&[], ["--sim", "regions", "-p", " zenlayer "]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn empty_values_are_usage_errors() {
    let list = |flag: &str, value: &str| -> Vec<String> {
        ["--sim", "list", "-p", "zenlayer", flag, value]
            .iter()
            .map(|s| s.to_string())
            .collect()
    };
    for (flag, value) in [
        ("--sort-by", ""),
        ("--sort-by", " "),
        ("--sort-by", ","),
        ("--columns", ""),
        ("--os", ""),
        ("--os", "  "),
        ("--name", ""),
        ("--query", ""),
        ("--region", ""),
    ] {
        let args = list(flag, value);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        usage_error(&args, flag);
    }
    for args in [
        &["--sim", "show", "-p", "zenlayer", ""][..],
        &["--sim", "show", "-p", "zenlayer", " "],
        &["--sim", "check", "-p", "zenlayer", "--id", ""],
        &["--sim", "check", "-p", "zenlayer", "--name", ""],
        &["--sim", "wait", "-p", "zenlayer", "--id", ""],
        &["--sim", "wait", "-p", "zenlayer", "--name", ""],
        &["--sim", "where", "-p", "zenlayer", "--os", ""],
        &["--sim", "list", "-p", ""],
        &["--profile", "", "--sim", "list", "-p", "zenlayer"],
        &["diff", ""],
    ] {
        usage_error(args, "empty");
    }
    // `check -o json` has parsed its command line: a usage error of the parser stays one line
    // on stderr (no JSON: clap refused the command line before `check` ran).
    usage_error(
        &["--sim", "check", "-p", "zenlayer", "--id", "", "-o", "json"],
        "--id",
    );
}

#[test]
fn every_numeric_flag_has_a_range() {
    for (args, says) in [
        (
            &["--sim", "list", "-p", "zenlayer", "--limit", "1000000001"][..],
            "--limit",
        ),
        (
            &[
                "--sim",
                "list",
                "-p",
                "zenlayer",
                "--limit",
                "99999999999999999999999",
            ],
            "--limit",
        ),
        (
            &["--sim", "list", "-p", "zenlayer", "--limit=-1"],
            "--limit",
        ),
        (
            &["--sim", "--timeout", "8d", "list", "-p", "zenlayer"],
            "1ms to 7d",
        ),
        (
            &["--sim", "--timeout", "0.0001", "list", "-p", "zenlayer"],
            "--timeout",
        ),
        (
            &["--sim", "--timeout", "1e400", "list", "-p", "zenlayer"],
            "--timeout",
        ),
        (
            &[
                "--sim",
                "--timeout",
                "99999999999999h",
                "list",
                "-p",
                "zenlayer",
            ],
            "--timeout",
        ),
        (
            &[
                "--sim",
                "--timeout",
                "30000d",
                "wait",
                "-p",
                "zenlayer",
                "--id",
                "x",
            ],
            "--timeout",
        ),
        (
            &[
                "--sim",
                "wait",
                "-p",
                "zenlayer",
                "--id",
                "x",
                "--interval",
                "10ms",
            ],
            "100ms to 1d",
        ),
        (
            &[
                "--sim",
                "wait",
                "-p",
                "zenlayer",
                "--id",
                "x",
                "--interval",
                "2d",
            ],
            "--interval",
        ),
        (
            &["--sim", "--concurrency", "257", "list", "-p", "zenlayer"],
            "--concurrency",
        ),
        (
            &["--sim", "--retries", "21", "list", "-p", "zenlayer"],
            "--retries",
        ),
        (
            &["--sim", "--sim-images", "100001", "list", "-p", "zenlayer"],
            "--sim-images",
        ),
        (&["sim", "serve", "--port", "65536"], "--port"),
        (&["sim", "serve", "--port=-1"], "--port"),
        (&["sim", "serve", "--images", "0"], "--images"),
        (&["sim", "serve", "--latency-ms", "60001"], "--latency-ms"),
        (
            &["sim", "serve", "--latency-ms", "18446744073709551615"],
            "--latency-ms",
        ),
        (&["sim", "serve", "--metadata-ttl", "0"], "--metadata-ttl"),
        (
            &["sim", "serve", "--metadata-ttl", "86401"],
            "--metadata-ttl",
        ),
        (&["sim", "serve", "--appear", "img-1:10000001"], "--appear"),
        (&["sim", "serve", "--appear", "img-1:-1"], "--appear"),
        (&["sim", "serve", "--appear", "img-1:NaN"], "--appear"),
        (&["sim", "serve", "--fault", "slow:60001"], "--fault"),
        (&["sim", "serve", "--fault", "cut:1000000001"], "--fault"),
        (
            &["sim", "serve", "--fault", "status:503:1000000001"],
            "--fault",
        ),
        (
            &["sim", "serve", "--fault", "status-after:500:99999999999"],
            "--fault",
        ),
        (
            &["sim", "serve", "--fault", "status:99999999999999999999"],
            "--fault",
        ),
    ] {
        usage_error(args, says);
    }
    // The bounds themselves are taken: the numbers pass, and what stops the command is the
    // bad --fault after them (so no server starts).
    usage_error(
        &[
            "sim",
            "serve",
            "--port",
            "65535",
            "--images",
            "100000",
            "--latency-ms",
            "60000",
            "--metadata-ttl",
            "86400",
            "--appear",
            "img-1:10000000",
            "--fault",
            "slow:60000:1000000000",
            "--fault",
            "nope",
        ],
        "bad fault 'nope'",
    );
    let out = imgcat(
        &[],
        [
            "--sim",
            "--timeout",
            "7d",
            "list",
            "-p",
            "zenlayer",
            "--limit",
            "1000000000",
            "-o",
            "ndjson",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn the_simulator_banner_names_the_demo_credentials_which_work() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_imgcat"))
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .args(["sim", "serve", "--port", "0", "--images", "3"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("sim serve: {e}"));
    // The banner's lines as they come, until its last one or 20 s (a banner without it must
    // fail the test, not hang it).
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    if let Some(err) = child.stderr.take() {
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
    }
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut banner = Vec::new();
    while let Ok(line) = rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
        let last = line.contains("point imgcat at it");
        banner.push(line);
        if last {
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    let text = banner.join("\n");
    let url = banner
        .first()
        .and_then(|l| l.split_whitespace().find(|w| w.starts_with("http://")))
        .unwrap_or_else(|| panic!("no address: {text}"))
        .to_string();
    let mut zenlayer: Vec<(String, String)> = Vec::new();
    for group in imgcat::providers::credential_groups() {
        for key in group.keys {
            if let SimKey::Demo(v) | SimKey::Accepted(v) = key.sim {
                let line = format!("  {}={v}", key.env);
                assert!(
                    banner.iter().any(|l| l.starts_with(&line)),
                    "{line}: {text}"
                );
                if group.table == "zenlayer" && matches!(key.sim, SimKey::Demo(_)) {
                    zenlayer.push((key.env.to_string(), v.to_string()));
                }
            }
        }
    }
    // The README's simulator section lists the same values.
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .unwrap_or_default();
    for group in imgcat::providers::credential_groups() {
        for key in group.keys {
            if let SimKey::Demo(v) | SimKey::Accepted(v) = key.sim {
                let row = readme
                    .lines()
                    .find(|l| l.starts_with(&format!("| `{}`", key.env)))
                    .unwrap_or_default();
                assert!(row.contains(&format!("`{v}`")), "README: {} {v}", key.env);
            }
        }
    }
    // They are the ones `SimCredentials::demo()` holds.
    let demo = imgcat::sim::SimCredentials::demo();
    for (k, v) in &zenlayer {
        assert_eq!(demo.get(k), Some(v.as_str()));
    }
    // The server itself is gone (killed); a fresh one takes the printed values.
    let sim = common::Sim::with_images(3);
    let zone = ProviderId::all()
        .find(|p| p.as_str() == "zenlayer")
        .map(common::region)
        .unwrap_or("FRA-A");
    let out = imgcat(
        &zenlayer,
        [
            "list",
            "-p",
            "zenlayer",
            "-r",
            zone,
            "--endpoint",
            &sim.url(),
            "-o",
            "ndjson",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out).lines().count(), 3);
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
}
