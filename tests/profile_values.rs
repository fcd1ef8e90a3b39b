//! The profile file's values are checked as the flags are: numbers have ranges, a TOML syntax
//! error says where it is, a config file named by `IMGCAT_CONFIG` must exist, only a file that
//! holds a secret gets the permission warning, and a credential group's keys come from one
//! source (the environment's id is never paired with the profile's secret).
//!
//! Every run has a clean environment: `HOME` at a test directory (no SDK files), instance
//! metadata off, and only loopback endpoints.

mod common;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use common::Sim;

const TC_ID: &str = "TENCENTCLOUD_SECRET_ID";
const TC_KEY: &str = "TENCENTCLOUD_SECRET_KEY";
const TC_REGION: &str = "TENCENTCLOUD_REGION";

/// A test directory that is `HOME` and holds the config file.
struct Dir {
    dir: tempfile::TempDir,
}

impl Dir {
    fn new() -> Dir {
        Dir {
            dir: tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}")),
        }
    }

    /// Writes `config.toml` with `mode` and returns its path.
    fn config(&self, text: &str, mode: u32) -> PathBuf {
        let p = self.dir.path().join("config.toml");
        std::fs::write(&p, text).unwrap_or_else(|e| panic!("write {}: {e}", p.display()));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(mode))
                .unwrap_or_else(|e| panic!("chmod: {e}"));
        }
        #[cfg(not(unix))]
        let _ = mode;
        p
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }
}

/// What one run gave.
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Runs imgcat with only `HOME`, `IMGCAT_CONFIG` (when given), metadata off and `env`.
fn imgcat(dir: &Dir, config: Option<&Path>, env: &[(&str, &str)], args: &[&str]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_imgcat"));
    cmd.env_clear()
        .env("HOME", dir.path())
        .env("IMGCAT_NO_METADATA", "1");
    if let Some(c) = config {
        cmd.env("IMGCAT_CONFIG", c);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run imgcat: {e}"));
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `config show -o json`: each value's (name, value, from).
fn shown(run: &Run) -> Vec<(String, String, String)> {
    assert_eq!(run.code, Some(0), "config show: {}", run.stderr);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("config show: not JSON ({e}): {}", run.stdout));
    doc["values"]
        .as_array()
        .unwrap_or_else(|| panic!("no values: {}", run.stdout))
        .iter()
        .map(|v| {
            let s = |k: &str| v[k].as_str().unwrap_or_default().to_string();
            (s("name"), s("value"), s("from"))
        })
        .collect()
}

fn from<'a>(values: &'a [(String, String, String)], name: &str) -> Option<&'a str> {
    values
        .iter()
        .find(|(n, _, _)| n == name)
        .map(|(_, _, f)| f.as_str())
}

/// The error is one line.
fn one_line(run: &Run) -> &str {
    let err = run.stderr.trim_end();
    assert_eq!(err.lines().count(), 1, "not one line: {err}");
    err
}

#[test]
fn concurrency_out_of_range_is_a_configuration_error_naming_file_profile_key_and_range() {
    let dir = Dir::new();
    for (value, profile) in [("0", "default"), ("60000", "default"), ("-1", "ci")] {
        let path = dir.config(&format!("[{profile}]\nconcurrency = {value}\n"), 0o600);
        let mut args = vec!["config", "show"];
        if profile != "default" {
            args.extend(["--profile", profile]);
        }
        let run = imgcat(&dir, Some(&path), &[], &args);
        assert_eq!(run.code, Some(3), "concurrency = {value}: {}", run.stderr);
        let err = one_line(&run);
        assert!(
            err.contains(&format!(
                "profile {profile} in {}: concurrency = {value} is out of range 1-256",
                path.display()
            )),
            "{err}"
        );
    }
    // Not a number at all: the same error, with the range.
    let path = dir.config("[default]\nconcurrency = \"16\"\n", 0o600);
    let run = imgcat(&dir, Some(&path), &[], &["config", "show"]);
    assert_eq!(run.code, Some(3), "{}", run.stderr);
    let err = one_line(&run);
    assert!(
        err.contains("concurrency = \"16\"") && err.contains("1-256"),
        "{err}"
    );
    // The ends of the range are taken, as the flag takes them.
    for value in ["1", "256"] {
        let path = dir.config(&format!("[default]\nconcurrency = {value}\n"), 0o600);
        let run = imgcat(&dir, Some(&path), &[], &["config", "show", "-o", "json"]);
        let values = shown(&run);
        assert!(
            values
                .iter()
                .any(|(n, v, f)| n == "concurrency" && v == value && f == "profile"),
            "{values:?}"
        );
    }
}

#[test]
fn a_toml_syntax_error_names_its_line_and_column_on_one_line() {
    let dir = Dir::new();
    let path = dir.config(
        "[default]\nconcurrency = 4\n\n[default.tencent\nregion = \"ap-guangzhou\"\n",
        0o600,
    );
    let run = imgcat(&dir, Some(&path), &[], &["config", "show"]);
    assert_eq!(run.code, Some(3), "{}", run.stderr);
    let err = one_line(&run);
    assert!(
        err.contains(&path.display().to_string()) && err.contains("line 4, column "),
        "{err}"
    );
    // A value of the wrong type is located too.
    let path = dir.config(
        "[default]\nconcurrency = 4\n\n[default.tencent]\nregion = 7\n",
        0o600,
    );
    let run = imgcat(&dir, Some(&path), &[], &["config", "show"]);
    assert_eq!(run.code, Some(3), "{}", run.stderr);
    let err = one_line(&run);
    assert!(err.contains("region"), "{err}");
}

#[test]
fn imgcat_config_naming_a_missing_file_is_a_configuration_error() {
    let dir = Dir::new();
    let missing = dir.path().join("nonexistent").join("config.toml");
    for args in [&["config", "show"][..], &["list", "-p", "tencent"][..]] {
        let run = imgcat(&dir, Some(&missing), &[], args);
        assert_eq!(run.code, Some(3), "{args:?}: {}", run.stderr);
        let err = one_line(&run);
        assert!(
            err.contains(&missing.display().to_string()) && err.contains("IMGCAT_CONFIG"),
            "{err}"
        );
    }
    // The default location may be missing: no profile, no error.
    let run = imgcat(&dir, None, &[], &["config", "show", "-o", "json"]);
    let _ = shown(&run);
}

#[cfg(unix)]
#[test]
fn only_a_file_holding_a_secret_gets_the_permission_warning() {
    let dir = Dir::new();
    // Settings and a key id (not secret) only: readable by others is fine.
    let path = dir.config(
        "[default]\nconcurrency = 8\n\n[default.tencent]\nsecret_id = \"AKIDnotsecret\"\nregion = \"ap-guangzhou\"\n\n[default.endpoints]\ntencent = \"http://127.0.0.1:9\"\n",
        0o644,
    );
    let run = imgcat(&dir, Some(&path), &[], &["config", "show"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(!run.stderr.contains("holds credentials"), "{}", run.stderr);
    assert!(!run.stderr.contains("readable by"), "{}", run.stderr);
    // A secret in any profile of the file: the warning, on one line.
    let path = dir.config(
        "[default]\nconcurrency = 8\n\n[ci.tencent]\nsecret_id = \"AKIDx\"\nsecret_key = \"s3cret-value\"\n",
        0o644,
    );
    let run = imgcat(&dir, Some(&path), &[], &["config", "show"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let warning = format!(
        "{} holds credentials and is readable by group or others; run: chmod 600",
        path.display()
    );
    assert!(run.stderr.contains(&warning), "{}", run.stderr);
    assert!(!run.stderr.contains("s3cret-value"), "{}", run.stderr);
    // The same file, mode 600: no warning.
    let path = dir.config(
        "[default.tencent]\nsecret_id = \"AKIDx\"\nsecret_key = \"s3cret-value\"\n",
        0o600,
    );
    let run = imgcat(&dir, Some(&path), &[], &["config", "show"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(!run.stderr.contains("holds credentials"), "{}", run.stderr);
}

#[test]
fn an_environment_key_id_is_never_paired_with_the_profile_secret() {
    let sim = Sim::with_images(12);
    let id = sim.creds.get(TC_ID).unwrap_or_default().to_string();
    let key = sim.creds.get(TC_KEY).unwrap_or_default().to_string();
    let dir = Dir::new();
    let path = dir.config(
        &format!(
            "[default.tencent]\nsecret_key = \"{key}\"\nregion = \"ap-guangzhou\"\n\n[default.endpoints]\ntencent = \"{}\"\n",
            sim.url()
        ),
        0o600,
    );
    let env = [(TC_ID, id.as_str())];
    // config show: the id from the environment, no secret at all, the region still from the
    // profile (it is not a credential).
    let run = imgcat(&dir, Some(&path), &env, &["config", "show", "-o", "json"]);
    let values = shown(&run);
    assert_eq!(from(&values, TC_ID), Some("environment"), "{values:?}");
    assert_eq!(from(&values, TC_KEY), None, "{values:?}");
    let region = from(&values, TC_REGION).unwrap_or_default();
    assert!(region.starts_with("profile default"), "{values:?}");
    // The listing does not sign with the mixed pair (which the simulator would take): the
    // group has no secret, a configuration error, and a warning says why.
    let run = imgcat(&dir, Some(&path), &env, &["list", "-p", "tencent"]);
    assert_eq!(run.code, Some(3), "{}", run.stderr);
    assert!(run.stderr.contains(TC_KEY), "{}", run.stderr);
    assert!(
        run.stderr.contains("secret_key") && run.stderr.contains(TC_ID),
        "the warning names the profile key left out and the variable: {}",
        run.stderr
    );
    assert!(!run.stderr.contains(&key), "secret shown: {}", run.stderr);
    // Without the environment's id, the profile's pair is complete and used.
    let full = dir.config(
        &format!(
            "[default.tencent]\nsecret_id = \"{id}\"\nsecret_key = \"{key}\"\nregion = \"ap-guangzhou\"\n\n[default.endpoints]\ntencent = \"{}\"\n",
            sim.url()
        ),
        0o600,
    );
    let run = imgcat(
        &dir,
        Some(&full),
        &[],
        &[
            "list",
            "-p",
            "tencent",
            "--include-deprecated",
            "-o",
            "ndjson",
        ],
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(run.stdout.lines().count(), 12, "{}", run.stdout);
    // With the environment's full pair, the environment's pair is used and nothing is warned.
    let env = [(TC_ID, id.as_str()), (TC_KEY, key.as_str())];
    let run = imgcat(
        &dir,
        Some(&full),
        &env,
        &[
            "list",
            "-p",
            "tencent",
            "--include-deprecated",
            "-o",
            "ndjson",
        ],
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(run.stderr, "", "nothing to warn");
    assert_eq!(run.stdout.lines().count(), 12, "{}", run.stdout);
}

#[test]
fn an_environment_token_keeps_the_profile_keys_of_its_group_out() {
    // HUAWEICLOUD_AUTH_TOKEN in the environment; AK/SK in the profile would win over it (AK/SK
    // wins over a token) if they filled in.
    let dir = Dir::new();
    let path = dir.config(
        "[default.huawei]\nak = \"PROFILEAK\"\nsk = \"profile-sk\"\nregion = \"cn-north-4\"\nproject_id = \"p-1\"\n",
        0o600,
    );
    let env = [("HUAWEICLOUD_AUTH_TOKEN", "env-token")];
    let run = imgcat(&dir, Some(&path), &env, &["config", "show", "-o", "json"]);
    let values = shown(&run);
    assert_eq!(
        from(&values, "HUAWEICLOUD_AUTH_TOKEN"),
        Some("environment"),
        "{values:?}"
    );
    assert_eq!(from(&values, "HUAWEICLOUD_SDK_AK"), None, "{values:?}");
    assert_eq!(from(&values, "HUAWEICLOUD_SDK_SK"), None, "{values:?}");
    for kept in ["HUAWEICLOUD_SDK_REGION", "HUAWEICLOUD_SDK_PROJECT_ID"] {
        let origin = from(&values, kept).unwrap_or_default();
        assert!(origin.starts_with("profile default"), "{kept}: {values:?}");
    }
}
