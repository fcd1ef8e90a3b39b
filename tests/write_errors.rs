//! A stdout that cannot be written (`> /dev/full`) is an error exit for every subcommand that
//! prints, never a panic; numeric flags out of range are usage errors naming the range.

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

#[test]
fn every_subcommand_reports_a_full_disk_without_panicking() {
    if !std::path::Path::new("/dev/full").exists() {
        return;
    }
    for args in [
        &["completions", "bash"][..],
        &["man"],
        &["--sim", "providers"],
        &["--sim", "regions", "-p", "huawei-ims"],
        &["--sim", "config", "show"],
        &["--sim", "list", "-p", "all", "-o", "json"],
        &["--sim", "list", "-p", "all"],
        &["--sim", "list", "-p", "all", "-o", "csv"],
        &[
            "--sim",
            "show",
            "-p",
            "huawei-ims",
            "--latest",
            "--os",
            "ubuntu",
        ],
        &["--sim", "check", "-p", "huawei-ims", "--name", "x"],
        &[
            "--sim",
            "check",
            "-p",
            "huawei-ims",
            "--name",
            "x",
            "-o",
            "json",
        ],
        &["--sim", "where", "-p", "huawei-ims", "--os", "ubuntu"],
    ] {
        let (code, err) = to_dev_full(args);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert_ne!(
            code,
            Some(0),
            "{args:?}: a failed write is not success: {err}"
        );
        assert_ne!(code, Some(101), "{args:?}: {err}");
    }
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
