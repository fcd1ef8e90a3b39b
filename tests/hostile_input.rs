//! Odd input that used to surprise: a dead proxy in the environment (loopback goes direct, so
//! `--sim` still works) and a region given twice (listed once).

mod common;

use common::{imgcat, stderr};

fn count(out: &std::process::Output) -> usize {
    String::from_utf8_lossy(&out.stdout).lines().count()
}

#[test]
fn a_dead_proxy_does_not_break_the_simulator() {
    let plain = imgcat(&[], ["--sim", "list", "-p", "all", "-o", "ndjson"]);
    assert_eq!(plain.status.code(), Some(0), "{}", stderr(&plain));
    for var in [
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "all_proxy",
    ] {
        let env = vec![(var.to_string(), "http://127.0.0.1:1".to_string())];
        let out = imgcat(&env, ["--sim", "list", "-p", "all", "-o", "ndjson"]);
        assert_eq!(out.status.code(), Some(0), "{var}: {}", stderr(&out));
        assert_eq!(count(&out), count(&plain), "{var}");
    }
}

#[test]
fn a_region_given_twice_is_listed_once() {
    let once = imgcat(
        &[],
        [
            "--sim",
            "list",
            "-p",
            "huawei-ims",
            "-r",
            "cn-north-4",
            "-o",
            "ndjson",
        ],
    );
    let twice = imgcat(
        &[],
        [
            "--sim",
            "list",
            "-p",
            "huawei-ims",
            "-r",
            "cn-north-4",
            "-r",
            "cn-north-4",
            "-o",
            "ndjson",
        ],
    );
    assert_eq!(twice.status.code(), Some(0), "{}", stderr(&twice));
    assert!(count(&once) > 0);
    assert_eq!(count(&twice), count(&once));
}

#[test]
fn endpoints_with_user_info_a_path_or_an_empty_variable_are_usage_errors() {
    let token = ("ZENLAYERCLOUD_TOKEN".to_string(), "t".to_string());
    for (endpoint, says) in [
        ("http://user:hunter2@127.0.0.1:9", "user name or password"),
        ("http://127.0.0.1:9/api/v2", "has a path"),
    ] {
        let out = imgcat(
            std::slice::from_ref(&token),
            [
                "list",
                "-p",
                "zenlayer",
                "-r",
                "FRA-A",
                "--endpoint",
                endpoint,
            ],
        );
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{endpoint}: {err}");
        assert!(err.contains(says) && err.contains("zenlayer"), "{err}");
        assert!(
            !err.contains("hunter2"),
            "the password is not echoed: {err}"
        );
    }
    let env = vec![
        token,
        ("IMGCAT_ENDPOINT_ZENLAYER".to_string(), String::new()),
    ];
    let out = imgcat(&env, ["list", "-p", "zenlayer", "-r", "FRA-A"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("IMGCAT_ENDPOINT_ZENLAYER is set but empty"));
}

#[test]
fn credentials_that_cannot_go_in_a_header_are_configuration_errors_naming_the_variable() {
    for (var, value) in [
        ("TENCENTCLOUD_SECRET_ID", "AKID\u{e9}t\u{e9}"),
        ("TENCENTCLOUD_SECRET_KEY", "abc\ndef-SECRET"),
    ] {
        let mut env = vec![
            ("TENCENTCLOUD_SECRET_ID".to_string(), "AKIDok".to_string()),
            ("TENCENTCLOUD_SECRET_KEY".to_string(), "ok".to_string()),
            ("IMGCAT_NO_METADATA".to_string(), "1".to_string()),
        ];
        env.retain(|(k, _)| k != var);
        env.push((var.to_string(), value.to_string()));
        let out = imgcat(&env, ["list", "-p", "tencent", "-r", "ap-guangzhou"]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(3), "{var}: {err}");
        assert!(
            err.contains(var) && err.contains("cannot go in an HTTP header"),
            "{err}"
        );
        assert!(
            !err.contains("SECRET") || !err.contains("def-SECRET"),
            "no value: {err}"
        );
    }
}
