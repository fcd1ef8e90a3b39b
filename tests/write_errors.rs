//! A stdout that cannot be written (`> /dev/full`) is an error exit for every subcommand that
//! prints, in every format, `--help` and `--version` included, never a panic (and `sim serve`
//! stops when its banner on stderr cannot be written); numeric flags out of range are usage
//! errors naming the range.

mod common;

use std::fs::OpenOptions;
use std::process::{Command, Stdio};

fn to_dev_full(args: &[&str]) -> (Option<i32>, String) {
    let Ok(full) = OpenOptions::new().write(true).open("/dev/full") else {
        return (Some(-1), String::new());
    };
    let out = Command::new(env!("CARGO_BIN_EXE_imgcat"))
        .env_clear()
        .env("IMGCAT_NO_METADATA", "1")
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .args(args)
        .stdout(Stdio::from(full))
        .stderr(Stdio::piped())
        .output()
        .unwrap_or_else(|e| panic!("run imgcat: {e}"));
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Asserts that `args` with stdout on `/dev/full` fails (not 0, not a panic's 101).
fn fails_on_a_full_disk(args: &[&str]) {
    let (code, err) = to_dev_full(args);
    assert!(!err.contains("panicked"), "{args:?}: {err}");
    assert_ne!(
        code,
        Some(0),
        "{args:?}: a failed write is not success: {err}"
    );
    assert_ne!(code, Some(101), "{args:?}: {err}");
    assert!(code.is_some(), "{args:?}: killed by a signal: {err}");
}

/// An image id of the `--sim` catalog of `provider`.
fn an_id(provider: &str) -> String {
    let out = common::imgcat(
        &[],
        [
            "--sim", "list", "-p", provider, "-o", "ndjson", "--limit", "1",
        ],
    );
    let line = common::stdout(&out);
    let v: serde_json::Value = serde_json::from_str(line.trim()).unwrap_or_default();
    let id = v["id"].as_str().unwrap_or_default().to_string();
    assert!(!id.is_empty(), "no id: {line} {}", common::stderr(&out));
    id
}

#[test]
fn every_subcommand_reports_a_full_disk_without_panicking() {
    if !std::path::Path::new("/dev/full").exists() {
        return;
    }
    let id = an_id("zenlayer");
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let old = dir.path().join("old.ndjson");
    let new = dir.path().join("new.ndjson");
    for (path, images) in [(&old, "3"), (&new, "5")] {
        let out = common::imgcat(
            &[],
            [
                "--sim",
                "--sim-images",
                images,
                "list",
                "-p",
                "zenlayer",
                "-o",
                "ndjson",
            ],
        );
        assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
        std::fs::write(path, &out.stdout).unwrap_or_else(|e| panic!("write: {e}"));
    }
    let (old, new) = (old.to_string_lossy(), new.to_string_lossy());
    let mut cases: Vec<Vec<&str>> = vec![
        vec!["--help"],
        vec!["-h"],
        vec!["help"],
        vec!["help", "list"],
        vec!["list", "--help"],
        vec!["sim", "serve", "--help"],
        vec!["--version"],
        vec!["-V"],
        vec!["list", "--version"],
        vec!["man"],
        vec!["--sim", "providers"],
        vec!["--sim", "providers", "-o", "json"],
        vec!["providers"],
        vec!["--sim", "regions", "-p", "huawei-ims"],
        vec!["--sim", "regions", "-p", "zenlayer", "-o", "json"],
        vec!["regions", "-p", "tencent-legacy"],
        vec!["--sim", "config", "show"],
        vec!["--sim", "config", "show", "-o", "json"],
        vec!["config", "show"],
        vec!["--sim", "list", "-p", "all", "--sort-by", "name"],
        vec!["--sim", "list", "-p", "all", "--latest"],
        vec!["--sim", "list", "-p", "all", "--query", "[].id"],
        vec!["--sim", "list", "-p", "zenlayer", "--limit", "1"],
        vec!["--sim", "show", "-p", "zenlayer", &id],
        vec!["--sim", "show", "-p", "zenlayer", &id, "--query", "name"],
        vec![
            "--sim",
            "show",
            "-p",
            "huawei-ims",
            "--latest",
            "--os",
            "ubuntu",
        ],
        vec!["--sim", "check", "-p", "zenlayer", "--id", &id],
        vec![
            "--sim", "check", "-p", "zenlayer", "--id", &id, "-o", "json",
        ],
        vec!["--sim", "check", "-p", "huawei-ims", "--name", "x"],
        vec![
            "--sim",
            "check",
            "-p",
            "huawei-ims",
            "--name",
            "x",
            "-o",
            "json",
        ],
        vec![
            "--sim", "check", "-p", "zenlayer", "-r", "x", "--id", "y", "-o", "json",
        ],
        vec!["--sim", "where", "-p", "huawei-ims", "--os", "ubuntu"],
        vec!["--sim", "where", "-p", "all", "-o", "json"],
        vec!["--sim", "where", "-p", "all", "-o", "ndjson"],
        vec!["--sim", "where", "-p", "all", "--query", "[].region"],
        vec!["--sim", "wait", "-p", "zenlayer", "--id", &id],
        vec!["--sim", "wait", "-p", "zenlayer", "--name", "*"],
        vec!["diff", &old, &new],
        vec!["diff", &old, &new, "-o", "json"],
        vec!["diff", &old, &new, "-o", "ndjson"],
        vec!["diff", &old, &new, "--query", "[].id"],
        vec!["diff", &old, &old, "-o", "json"],
        vec!["--sim", "--sim-images", "5", "diff", &old, "-p", "zenlayer"],
    ];
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        cases.push(vec!["completions", shell]);
    }
    for format in ["table", "json", "ndjson", "csv", "yaml"] {
        cases.push(vec!["--sim", "list", "-p", "all", "-o", format]);
        cases.push(vec!["--sim", "show", "-p", "zenlayer", &id, "-o", format]);
    }
    for args in &cases {
        fails_on_a_full_disk(args);
    }
}

/// `sim serve` writes its banner (address, credentials) to stderr: a stderr that cannot take
/// it ends the command with an error, not a panic, and nothing keeps serving unseen.
#[test]
fn sim_serve_stops_when_its_banner_cannot_be_written() {
    use wait_timeout::ChildExt;
    let Ok(full) = OpenOptions::new().write(true).open("/dev/full") else {
        return;
    };
    let mut child = Command::new(env!("CARGO_BIN_EXE_imgcat"))
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .args(["sim", "serve", "--port", "0", "--images", "2"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::from(full))
        .spawn()
        .unwrap_or_else(|e| panic!("run imgcat: {e}"));
    let status = child
        .wait_timeout(std::time::Duration::from_secs(20))
        .unwrap_or_else(|e| panic!("wait: {e}"));
    let Some(status) = status else {
        let _ = child.kill();
        let _ = child.wait();
        panic!("sim serve kept running with its banner unwritten");
    };
    assert_ne!(status.code(), Some(0));
    assert_ne!(status.code(), Some(101), "a panic");
    assert!(status.code().is_some(), "killed by a signal: {status:?}");
}

#[test]
fn numeric_flags_out_of_range_are_usage_errors() {
    for (args, says) in [
        (
            &["--sim", "--sim-images", "0", "list", "-p", "all"][..],
            "--sim-images",
        ),
        (
            &[
                "--sim",
                "--sim-images",
                "18446744073709551615",
                "list",
                "-p",
                "all",
            ],
            "--sim-images",
        ),
        (&["--sim", "--retries", "99", "list", "-p", "all"], "0..=20"),
        (
            &[
                "--sim",
                "--timeout",
                "99999999999999999999",
                "list",
                "-p",
                "all",
            ],
            "--timeout",
        ),
        (
            &["--sim", "--concurrency", "0", "list", "-p", "all"],
            "--concurrency",
        ),
        (&["sim", "serve", "--images", "100000000"], "1..=100000"),
    ] {
        let out = common::imgcat(&[], args);
        let err = common::stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
}
