//! End-to-end: every error class gives a one-line message naming the provider and what to do,
//! and its documented exit code.

mod common;

use common::{Auth, Sim, imgcat, region, stderr, stdout};
use imgcat::providers::{huawei, tencent, zenlayer};

fn one_line(err: &str) {
    let lines: Vec<&str> = err.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "one line expected, got: {err}");
    assert!(!err.contains("panicked"), "{err}");
}

fn no_env() -> Vec<(String, String)> {
    Vec::new()
}

#[test]
fn missing_credentials_name_the_variables() {
    for (p, vars) in [
        ("huawei-ims", "HUAWEICLOUD_SDK_AK"),
        ("tencent", "TENCENTCLOUD_SECRET_ID"),
        ("zenlayer", "ZENLAYERCLOUD_ACCESS_KEY_ID"),
    ] {
        let out = imgcat(
            &no_env(),
            [
                "list",
                "--provider",
                p,
                "--region",
                region(p.parse().unwrap_or(huawei::IMS_ID)),
            ],
        );
        assert_eq!(out.status.code(), Some(3), "{p}: {}", stderr(&out));
        let err = stderr(&out);
        one_line(&err);
        assert!(err.contains(vars), "{p}: {err}");
        assert!(stdout(&out).is_empty());
    }
}

#[test]
fn usage_errors_exit_2_with_the_valid_values() {
    let sim = Sim::with_images(10);
    let env = sim.env(huawei::IMS_ID, Auth::Keys);
    let cases: &[(&[&str], &str)] = &[
        (&["list", "--provider", "aws"], "huawei-ims"),
        (
            &["list", "--provider", "huawei-ims", "--region", "mars-1"],
            "cn-north-4",
        ),
        (
            &["list", "--provider", "huawei-ims", "--output", "xml"],
            "ndjson",
        ),
        (
            &[
                "list",
                "--provider",
                "huawei-ims",
                "--region",
                "cn-north-4",
                "--endpoint",
                "ftp://x",
            ],
            "http",
        ),
        (
            &[
                "list",
                "--provider",
                "huawei-ims",
                "--region",
                "cn-north-4",
                "--endpoint",
                "not a url",
            ],
            "URL",
        ),
    ];
    for (args, hint) in cases {
        let out = imgcat(&env, *args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        let err = stderr(&out);
        one_line(&err);
        assert!(err.contains(hint), "{args:?}: {err}");
    }
}

#[test]
fn unreachable_endpoint_is_a_network_error() {
    // A port nothing listens on: bind one, then close it.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or(9);
    let sim = Sim::with_images(10);
    let env = sim.env(tencent::cvm::ID, Auth::Keys);
    let out = imgcat(
        &env,
        [
            "list",
            "--provider",
            "tencent",
            "--region",
            "ap-guangzhou",
            "--retries",
            "0",
            "--endpoint",
            &format!("http://127.0.0.1:{port}"),
        ],
    );
    assert_eq!(out.status.code(), Some(6), "{}", stderr(&out));
    let err = stderr(&out);
    one_line(&err);
    assert!(
        err.contains("tencent") && err.contains("cannot reach"),
        "{err}"
    );
}

#[test]
fn wrong_credentials_give_the_auth_code_and_the_providers_error() {
    let sim = Sim::with_images(10);
    for (p, code) in [
        (huawei::IMS_ID, "APIGW.0301"),
        (huawei::WORKSPACE_ID, "APIGW.0301"),
        (huawei::CPH_ID, "APIGW.0301"),
        (tencent::cvm::ID, "AuthFailure"),
        (zenlayer::ID, "SIGNATURE_FAILURE"),
    ] {
        let mut env = sim.env(p, Auth::KeysWithProject);
        for (k, v) in env.iter_mut() {
            if k.ends_with("_SK") || k.ends_with("SECRET_KEY") || k.ends_with("PASSWORD") {
                *v = "wrong-secret".into();
            }
        }
        let out = imgcat(
            &env,
            [
                "list",
                "--provider",
                p.as_str(),
                "--region",
                region(p),
                "--endpoint",
                &sim.url(),
            ],
        );
        assert_eq!(out.status.code(), Some(4), "{p}: {}", stderr(&out));
        let err = stderr(&out);
        one_line(&err);
        assert!(err.contains(code), "{p}: {err}");
        assert!(err.contains(p.as_str()), "{p}: {err}");
        assert!(err.contains("request id"), "{p}: {err}");
        assert!(!err.contains("wrong-secret"), "{p}: secret leaked: {err}");
    }
}

#[test]
fn output_formats_parse() {
    let sim = Sim::with_images(50);
    let p = huawei::IMS_ID;
    let env = sim.env(p, Auth::Keys);
    let base = [
        "list",
        "--provider",
        "huawei-ims",
        "--region",
        "cn-north-4",
        "--endpoint",
    ];
    let run = |fmt: &str| {
        let mut args: Vec<String> = base.iter().map(|s| s.to_string()).collect();
        args.extend([sim.url(), "--output".into(), fmt.into()]);
        let out = imgcat(&env, &args);
        assert!(out.status.success(), "{fmt}: {}", stderr(&out));
        assert!(
            stderr(&out).is_empty(),
            "{fmt}: stderr must be empty: {}",
            stderr(&out)
        );
        stdout(&out)
    };
    let json: Vec<serde_json::Value> =
        serde_json::from_str(&run("json")).unwrap_or_else(|e| panic!("json: {e}"));
    assert_eq!(json.len(), 50);
    let nd = run("ndjson");
    let lines: Vec<serde_json::Value> = nd
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("ndjson line {l:?}: {e}")))
        .collect();
    assert_eq!(
        lines, json,
        "ndjson and json carry the same images in the same order"
    );
    let table = run("table");
    let first = json[0]["id"].as_str().unwrap_or_default();
    assert!(
        table.contains(&first[..8.min(first.len())]),
        "table shows ids: {table}"
    );
}

#[test]
fn a_reader_that_stops_early_is_not_an_error() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_imgcat"))
        .env_clear()
        .env("IMGCAT_NO_METADATA", "1")
        .args([
            "--sim",
            "--sim-images",
            "3000",
            "list",
            "-p",
            "all",
            "-o",
            "ndjson",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("spawn: {e}"));
    let stdout = child.stdout.take().unwrap_or_else(|| panic!("no stdout"));
    let mut first = String::new();
    let _ = BufReader::new(stdout).read_line(&mut first);
    // The reader is gone now, like `imgcat list | head -1`.
    let out = child
        .wait_with_output()
        .unwrap_or_else(|e| panic!("wait: {e}"));
    assert!(first.starts_with('{'), "{first}");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).is_empty(), "quiet: {}", stderr(&out));
}
