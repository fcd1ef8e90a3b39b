//! Credentials where the official SDKs find them, end to end: with no credential variables and
//! `HOME` at a test directory, the SDKs' files (`~/.huaweicloud/credentials`,
//! `~/.tencentcloud/credentials`, zeno's `~/.zenlayer/credentials.json`) and the simulator's
//! instance metadata services (Huawei ECS, Tencent CVM) list completely, signed with their
//! keys; temporary keys that expire mid-run are refreshed; the chain's order (flag >
//! environment > imgcat profile > SDK file > metadata) holds for each pair; bad files and bad
//! metadata answers are one-line errors naming the file or endpoint.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;

use common::{Sim, imgcat, stderr, stdout};
use imgcat::providers::ProviderId;
use imgcat::providers::{huawei, tencent, zenlayer};
use imgcat::sim::{SimConfig, SimCredentials};

const HW_AK: &str = "HUAWEICLOUD_SDK_AK";
const HW_SK: &str = "HUAWEICLOUD_SDK_SK";
const HW_PROJECT: &str = "HUAWEICLOUD_SDK_PROJECT_ID";
const TC_ID: &str = "TENCENTCLOUD_SECRET_ID";
const TC_KEY: &str = "TENCENTCLOUD_SECRET_KEY";
const HW_MD: &str = "IMGCAT_HUAWEI_METADATA_ENDPOINT";
const TC_MD: &str = "IMGCAT_TENCENT_METADATA_ENDPOINT";

fn sim(images: usize) -> Sim {
    Sim::start(SimConfig::new(images).credentials(SimCredentials::demo()))
}

fn cred(sim: &Sim, var: &str) -> String {
    sim.creds.get(var).unwrap_or_default().to_string()
}

/// A test `HOME`.
struct Home {
    dir: tempfile::TempDir,
}

impl Home {
    fn new() -> Home {
        Home {
            dir: tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}")),
        }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes `rel` (mode 600) and returns its path.
    fn write(&self, rel: &str, text: &str) -> PathBuf {
        let p = self.dir.path().join(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("mkdir: {e}"));
        }
        std::fs::write(&p, text).unwrap_or_else(|e| panic!("write {}: {e}", p.display()));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let _ = std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600));
        }
        p
    }

    fn huawei_file(&self, ak: &str, sk: &str, extra: &str) -> PathBuf {
        self.write(
            ".huaweicloud/credentials",
            &format!(
                "[global]\nak = NOT-THESE\nsk = not-these\n\n[basic]\nak = {ak}\nsk = {sk}\n{extra}"
            ),
        )
    }

    fn tencent_file(&self, id: &str, key: &str) -> PathBuf {
        self.write(
            ".tencentcloud/credentials",
            &format!("[default]\nsecret_id = {id}\nsecret_key = {key}\n"),
        )
    }
}

/// `HOME`, every provider's endpoint and Huawei's IAM at the simulator; no credential
/// variable; metadata off unless a test points it somewhere.
fn base_env(sim: &Sim, home: &Home) -> Vec<(String, String)> {
    let mut env = vec![
        ("HOME".to_string(), home.path().display().to_string()),
        ("HUAWEICLOUD_SDK_IAM_ENDPOINT".to_string(), sim.url()),
    ];
    for p in ProviderId::all() {
        env.push((p.endpoint_var(), sim.url()));
    }
    env
}

fn with(mut env: Vec<(String, String)>, pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    for (k, v) in pairs {
        env.retain(|(n, _)| n != k);
        env.push((k.to_string(), v.to_string()));
    }
    env
}

fn metadata_at(env: Vec<(String, String)>, url: &str) -> Vec<(String, String)> {
    with(env, &[(HW_MD, url), (TC_MD, url)])
}

fn list(env: &[(String, String)], p: ProviderId, extra: &[&str]) -> Output {
    let mut args = vec![
        "list",
        "--provider",
        p.as_str(),
        "--region",
        p.provider().sim_region(),
        "--output",
        "json",
        // The whole catalog: deprecated images too.
        "--include-deprecated",
    ];
    args.extend_from_slice(extra);
    imgcat(env, args)
}

fn images(out: &Output, what: &str) -> Vec<serde_json::Value> {
    assert!(out.status.success(), "{what}: {}", stderr(out));
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{what}: not JSON ({e}): {}", stdout(out)))
}

/// Lists `p` completely: every image of the simulator's catalog, once.
fn assert_complete(sim: &Sim, out: &Output, p: ProviderId, n: usize, what: &str) {
    let got = images(out, what);
    let (id_key, _) = imgcat::sim::catalog_keys(p);
    let mut want: Vec<String> = imgcat::sim::catalog(p, n)
        .iter()
        .map(|v| v[id_key].as_str().unwrap_or_default().to_string())
        .collect();
    let mut ids: Vec<String> = got
        .iter()
        .map(|v| v["id"].as_str().unwrap_or_default().to_string())
        .collect();
    want.sort();
    ids.sort();
    assert_eq!(ids.len(), want.len(), "{what}: {}", stderr(out));
    assert_eq!(ids, want, "{what}");
    let _ = sim;
}

fn config_show(env: &[(String, String)]) -> String {
    let out = imgcat(env, ["config", "show"]);
    assert!(out.status.success(), "{}", stderr(&out));
    stdout(&out)
}

/// The FROM column of `name` in `config show`.
fn origin_of(show: &str, name: &str) -> String {
    show.lines()
        .find(|l| l.split_whitespace().next() == Some(name))
        .map(|l| l.split_whitespace().skip(2).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

#[test]
fn the_huawei_sdk_file_lists_ims_completely_signed_with_its_keys() {
    let sim = sim(120);
    let home = Home::new();
    let file = home.huawei_file(&cred(&sim, HW_AK), &cred(&sim, HW_SK), "");
    // Metadata points at the simulator: a file with keys means it is never asked.
    let env = metadata_at(base_env(&sim, &home), &sim.url());
    let out = list(&env, huawei::IMS_ID, &[]);
    assert_complete(&sim, &out, huawei::IMS_ID, 120, "file keys");
    assert_eq!(sim.handle.stats().get("huawei-metadata"), 0);
    let show = config_show(&env);
    assert_eq!(
        origin_of(&show, HW_AK),
        format!("file {}", file.display()),
        "{show}"
    );
    assert!(
        show.lines()
            .any(|l| l.starts_with(" HUAWEICLOUD_SDK_SK") && l.contains("***")),
        "{show}"
    );
    assert!(!show.contains(&cred(&sim, HW_SK)), "{show}");
    // The same file with a wrong secret: the gateway rejects its signature.
    home.huawei_file(&cred(&sim, HW_AK), "wrong-file-secret", "");
    let out = list(&env, huawei::IMS_ID, &["--retries", "0"]);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert!(stderr(&out).contains("APIGW.0301"), "{}", stderr(&out));
    // HUAWEICLOUD_SDK_CREDENTIALS_FILE names another file, with the file's own IAM endpoint.
    let other = home.write(
        "elsewhere.ini",
        &format!(
            "[basic]\nak = {}\nsk = {}\niam_endpoint = {}\n",
            cred(&sim, HW_AK),
            cred(&sim, HW_SK),
            sim.url()
        ),
    );
    let env2 = base_env(&sim, &home)
        .into_iter()
        .filter(|(k, _)| k != "HUAWEICLOUD_SDK_IAM_ENDPOINT")
        .collect::<Vec<_>>();
    let env2 = with(
        env2,
        &[(
            "HUAWEICLOUD_SDK_CREDENTIALS_FILE",
            other.to_str().unwrap_or_default(),
        )],
    );
    let out = list(&env2, huawei::WORKSPACE_ID, &[]);
    assert_complete(&sim, &out, huawei::WORKSPACE_ID, 120, "named file");
}

#[test]
fn the_tencent_sdk_file_lists_tencent_completely_signed_with_its_keys() {
    let sim = sim(150);
    let home = Home::new();
    let file = home.tencent_file(&cred(&sim, TC_ID), &cred(&sim, TC_KEY));
    let env = metadata_at(base_env(&sim, &home), &sim.url());
    for p in [tencent::cvm::ID, tencent::legacy::ID] {
        let out = list(&env, p, &[]);
        assert_complete(&sim, &out, p, 150, p.as_str());
    }
    assert_eq!(sim.handle.stats().get("tencent-metadata"), 0);
    let show = config_show(&env);
    assert_eq!(
        origin_of(&show, TC_KEY),
        format!("file {}", file.display()),
        "{show}"
    );
    home.tencent_file(&cred(&sim, TC_ID), "wrong-file-key");
    let out = list(&env, tencent::cvm::ID, &["--retries", "0"]);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("AuthFailure.SignatureFailure"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn zenos_credentials_file_lists_zenlayer() {
    let sim = sim(60);
    let home = Home::new();
    let keys = format!(
        r#"{{"default":{{"access_key_id":"{}","access_key_secret":"{}"}},"ci":{{"token":"{}"}}}}"#,
        cred(&sim, "ZENLAYERCLOUD_ACCESS_KEY_ID"),
        cred(&sim, "ZENLAYERCLOUD_ACCESS_KEY_PASSWORD"),
        cred(&sim, "ZENLAYERCLOUD_TOKEN"),
    );
    let file = home.write(".zenlayer/credentials.json", &keys);
    let env = base_env(&sim, &home);
    let out = list(&env, zenlayer::ID, &[]);
    assert_complete(&sim, &out, zenlayer::ID, 60, "zeno default profile");
    // zeno's current profile, then ZENLAYER_PROFILE over it.
    home.write(".zenlayer/config.json", r#"{"current_profile":"ci"}"#);
    let show = config_show(&env);
    assert_eq!(
        origin_of(&show, "ZENLAYERCLOUD_TOKEN"),
        format!("file {}", file.display()),
        "{show}"
    );
    assert_eq!(
        origin_of(&show, "ZENLAYERCLOUD_ACCESS_KEY_ID"),
        "",
        "{show}"
    );
    let out = list(&env, zenlayer::ID, &[]);
    assert_complete(&sim, &out, zenlayer::ID, 60, "zeno current profile (token)");
    let out = list(
        &with(env, &[("ZENLAYER_PROFILE", "prod")]),
        zenlayer::ID,
        &[],
    );
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains(&file.display().to_string()) && err.contains("no profile 'prod'"),
        "{err}"
    );
}

#[test]
fn metadata_temporary_keys_list_completely_with_their_tokens() {
    let sim = sim(130);
    let home = Home::new();
    let env = metadata_at(base_env(&sim, &home), &sim.url());
    for p in [
        huawei::IMS_ID,
        huawei::CPH_ID,
        tencent::cvm::ID,
        tencent::legacy::ID,
    ] {
        let out = list(&env, p, &["--debug"]);
        assert_complete(&sim, &out, p, 130, p.as_str());
        let err = stderr(&out);
        // Sent (the simulator requires a temporary key's token), and masked in the logs.
        let token_log = match p {
            tencent::legacy::ID => "Token=***",
            tencent::cvm::ID => "x-tc-token: ***",
            _ => "x-security-token: ***",
        };
        assert!(err.contains(token_log), "{p}: {err}");
        assert!(err.contains("metadata: GET"), "{p}: {err}");
    }
    let stats = sim.handle.stats();
    assert!(
        stats.get("huawei-metadata") >= 2,
        "one asking per run: {stats:?}"
    );
    assert_eq!(
        stats.get("huawei-metadata"),
        stats.get("huawei-metadata-token"),
        "{stats:?}"
    );
    assert!(stats.get("tencent-metadata") >= 2, "{stats:?}");
    let show = config_show(&env);
    let origin = origin_of(&show, "HUAWEICLOUD_SDK_SECURITY_TOKEN");
    assert!(
        origin.starts_with(&format!("metadata {} (temporary, until ", sim.url())),
        "{show}"
    );
    assert!(
        origin_of(&show, "TENCENTCLOUD_SESSION_TOKEN").starts_with("metadata "),
        "{show}"
    );
    // `--provider all` counts both clouds as configured (Zenlayer has no metadata).
    let all = imgcat(
        &env,
        [
            "list",
            "-p",
            "all",
            "-r",
            "cn-north-4",
            "-r",
            "ap-guangzhou",
            "-o",
            "json",
        ],
    );
    let providers: std::collections::BTreeSet<String> = images(&all, "all")
        .iter()
        .map(|v| v["provider"].as_str().unwrap_or_default().to_string())
        .collect();
    let want: std::collections::BTreeSet<String> =
        ["huawei-ims", "huawei-workspace", "huawei-cph", "tencent"]
            .iter()
            .map(|s| s.to_string())
            .collect();
    assert_eq!(providers, want, "{}", stderr(&all));
    // Switched off, by the flag or the variable: not configured.
    for env in [
        env.clone(),
        with(env.clone(), &[("IMGCAT_NO_METADATA", "1")]),
    ] {
        let flag: &[&str] = if env.iter().any(|(k, _)| k == "IMGCAT_NO_METADATA") {
            &[]
        } else {
            &["--no-metadata"]
        };
        let before = sim.handle.stats().get("huawei-metadata");
        let out = list(&env, huawei::IMS_ID, flag);
        assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
        assert!(
            stderr(&out).contains("no credentials found"),
            "{}",
            stderr(&out)
        );
        assert_eq!(
            sim.handle.stats().get("huawei-metadata"),
            before,
            "not asked"
        );
    }
}

#[test]
fn temporary_keys_that_expire_mid_run_are_refreshed_and_the_run_completes() {
    // Keys live 3 s; with one request at a time and 250 ms per answer the listings take
    // longer than that.
    let sim = Sim::start(
        SimConfig::new(1500)
            .credentials(SimCredentials::demo())
            .latency(Duration::from_millis(250))
            .metadata_ttl(Duration::from_secs(3)),
    );
    let home = Home::new();
    let env = metadata_at(base_env(&sim, &home), &sim.url());
    for (p, counter) in [
        (huawei::WORKSPACE_ID, "huawei-metadata"),
        (tencent::cvm::ID, "tencent-metadata"),
    ] {
        let before = sim.handle.stats().get(counter);
        let started = std::time::Instant::now();
        let out = list(&env, p, &["--concurrency", "1", "-v"]);
        let took = started.elapsed();
        assert_complete(&sim, &out, p, 1500, p.as_str());
        let asked = sim.handle.stats().get(counter) - before;
        assert!(
            took > Duration::from_secs(3),
            "{p}: the run must outlive the keys ({took:?})"
        );
        assert!(
            asked >= 2,
            "{p}: refreshed ({asked} askings in {took:?}): {}",
            stderr(&out)
        );
        assert!(
            stderr(&out).contains("temporary keys refreshed from metadata"),
            "{}",
            stderr(&out)
        );
    }
}

/// Temporary keys asked from the simulator's metadata service by hand.
fn huawei_temporary_keys(sim: &Sim) -> (String, String, String) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("runtime: {e}"));
    let base = url::Url::parse(&sim.url()).unwrap_or_else(|e| panic!("{e}"));
    let keys = rt
        .block_on(imgcat::credentials::MetadataSource::fetch(
            &huawei::credentials::ECS,
            &imgcat::credentials::MetadataClient::new(Duration::from_secs(3)),
            &base,
        ))
        .unwrap_or_else(|e| panic!("metadata: {e}"));
    (
        keys.keys.id,
        keys.keys.secret.expose().to_string(),
        keys.keys
            .token
            .map(|t| t.expose().to_string())
            .unwrap_or_default(),
    )
}

#[test]
fn the_simulator_accepts_temporary_keys_with_their_token_until_they_expire() {
    let sim = Sim::start(
        SimConfig::new(20)
            .credentials(SimCredentials::demo())
            .metadata_ttl(Duration::from_secs(2)),
    );
    let home = Home::new();
    let (ak, sk, token) = huawei_temporary_keys(&sim);
    let keys = |t: &str| {
        with(
            base_env(&sim, &home),
            &[
                (HW_AK, ak.as_str()),
                (HW_SK, sk.as_str()),
                ("HUAWEICLOUD_SDK_SECURITY_TOKEN", t),
            ],
        )
    };
    let ok = list(&keys(&token), huawei::IMS_ID, &[]);
    assert_complete(&sim, &ok, huawei::IMS_ID, 20, "fresh temporary keys");
    let wrong = list(&keys("another-token"), huawei::IMS_ID, &["--retries", "0"]);
    assert_eq!(wrong.status.code(), Some(4), "{}", stderr(&wrong));
    assert!(
        stderr(&wrong).contains("verify security token fail"),
        "{}",
        stderr(&wrong)
    );
    std::thread::sleep(Duration::from_millis(3100));
    let expired = list(&keys(&token), huawei::IMS_ID, &["--retries", "0"]);
    assert_eq!(expired.status.code(), Some(4), "{}", stderr(&expired));
    assert!(stderr(&expired).contains("expired"), "{}", stderr(&expired));
}

// ---- precedence: flag > environment > imgcat profile > SDK file > metadata, each pair ----

/// An imgcat profile file with these `[default.huawei]` keys; returns `IMGCAT_CONFIG`.
fn profile(home: &Home, body: &str) -> (String, String) {
    let p = home.write("imgcat.toml", &format!("[default.huawei]\n{body}"));
    ("IMGCAT_CONFIG".to_string(), p.display().to_string())
}

/// A precedence case: its label, then whether the environment, the profile and the SDK file
/// hold keys (`Some(true)` the good ones, `Some(false)` wrong ones, `None` none).
type Case = (&'static str, Option<bool>, Option<bool>, Option<bool>);

#[test]
fn each_level_wins_over_the_ones_below_it_for_the_keys() {
    let sim = sim(40);
    let (ak, sk) = (cred(&sim, HW_AK), cred(&sim, HW_SK));
    let p = huawei::IMS_ID;
    let md_before = || sim.handle.stats().get("huawei-metadata");
    // (label, env has good keys?, profile good?, file good?) - the highest level present has
    // the good keys, every level below it wrong ones; metadata always points at the
    // simulator (its keys would be good too: it must not be asked).
    let cases: [Case; 6] = [
        ("environment > profile", Some(true), Some(false), None),
        ("environment > SDK file", Some(true), None, Some(false)),
        ("environment > metadata", Some(true), None, None),
        ("profile > SDK file", None, Some(true), Some(false)),
        ("profile > metadata", None, Some(true), None),
        ("SDK file > metadata", None, None, Some(true)),
    ];
    for (label, env_keys, profile_keys, file_keys) in cases {
        let home = Home::new();
        let mut env = metadata_at(base_env(&sim, &home), &sim.url());
        let secret = |good: bool| {
            if good {
                sk.clone()
            } else {
                "wrong-secret".to_string()
            }
        };
        if let Some(good) = env_keys {
            env = with(env, &[(HW_AK, &ak), (HW_SK, &secret(good))]);
        }
        if let Some(good) = profile_keys {
            let (k, v) = profile(
                &home,
                &format!("ak = \"{ak}\"\nsk = \"{}\"\n", secret(good)),
            );
            env.push((k, v));
        }
        if let Some(good) = file_keys {
            home.huawei_file(&ak, &secret(good), "");
        }
        let before = md_before();
        let out = list(&env, p, &["--retries", "0"]);
        assert_complete(&sim, &out, p, 40, label);
        assert_eq!(md_before(), before, "{label}: metadata asked");
        // And the level below alone is used when the winner is taken away.
        let winner = label.split(" > ").next().unwrap_or_default();
        let show = config_show(&env);
        let from = origin_of(&show, HW_SK);
        let expected = match winner {
            "environment" => "environment".to_string(),
            "profile" => format!(
                "profile default ({})",
                home.path().join("imgcat.toml").display()
            ),
            _ => format!(
                "file {}",
                home.path().join(".huaweicloud/credentials").display()
            ),
        };
        assert_eq!(from, expected, "{label}: {show}");
    }
}

#[test]
fn the_flag_wins_for_the_project_id_at_every_level() {
    // The simulator's account has one project; the path's project id must be it.
    let mut creds = SimCredentials::demo();
    let project = "0123456789abcdef0123456789abcdef";
    creds.set(HW_PROJECT, project);
    let sim = Sim::start(SimConfig::new(30).credentials(creds));
    let (ak, sk) = (cred(&sim, HW_AK), cred(&sim, HW_SK));
    let p = huawei::WORKSPACE_ID;
    let flag = ["--huawei-project-id", project, "--retries", "0"];
    let wrong = "ffffffffffffffffffffffffffffffff";
    // Flag > environment, > profile, > SDK file: the wrong id at that level alone fails.
    for level in ["environment", "profile", "SDK file"] {
        let home = Home::new();
        let mut env = base_env(&sim, &home);
        match level {
            "environment" => env = with(env, &[(HW_AK, &ak), (HW_SK, &sk), (HW_PROJECT, wrong)]),
            "profile" => {
                let (k, v) = profile(
                    &home,
                    &format!("ak = \"{ak}\"\nsk = \"{sk}\"\nproject_id = \"{wrong}\"\n"),
                );
                env.push((k, v));
            }
            _ => {
                home.huawei_file(&ak, &sk, &format!("project_id = {wrong}\n"));
            }
        }
        let alone = list(&env, p, &["--retries", "0"]);
        assert_eq!(
            alone.status.code(),
            Some(4),
            "{level} alone: {}",
            stderr(&alone)
        );
        let out = list(&env, p, &flag);
        assert_complete(&sim, &out, p, 30, &format!("flag > {level}"));
        let prefix = match level {
            "environment" => "environment",
            "profile" => "profile default",
            _ => "file ",
        };
        assert!(
            origin_of(&config_show(&env), HW_PROJECT).starts_with(prefix),
            "{level}"
        );
        let shown = imgcat(&env, ["--huawei-project-id", project, "config", "show"]);
        assert_eq!(origin_of(&stdout(&shown), HW_PROJECT), "flag", "{level}");
    }
    // Flag > metadata: metadata gives keys only; the flag's project id is used with them and
    // IAM is not asked (without the flag, it is).
    let home = Home::new();
    let env = metadata_at(base_env(&sim, &home), &sim.url());
    let iam = || sim.handle.stats().get("iam");
    let before = iam();
    let out = list(&env, p, &flag);
    assert_complete(&sim, &out, p, 30, "flag > metadata");
    assert_eq!(iam(), before, "the flag's project id: no discovery");
    let out = list(&env, p, &[]);
    assert_complete(&sim, &out, p, 30, "metadata alone");
    assert!(
        iam() > before,
        "without the flag the project id is asked from IAM"
    );
}

// ---- bad files and answers: one line naming the file or endpoint and what is wrong ----

fn one_line_error(out: &Output, what: &str) -> String {
    assert_eq!(out.status.code(), Some(3), "{what}: {}", stderr(out));
    let err = stderr(out);
    let lines: Vec<&str> = err.lines().filter(|l| !l.contains(" WARN ")).collect();
    assert_eq!(lines.len(), 1, "{what}: one line: {err}");
    lines[0].to_string()
}

#[test]
fn bad_credentials_files_are_one_line_errors_naming_the_file() {
    let sim = sim(10);
    for (rel, text, p, want) in [
        (
            ".huaweicloud/credentials",
            "[basic\nak = x\n",
            huawei::IMS_ID,
            "not a valid INI file: line",
        ),
        (
            ".huaweicloud/credentials",
            "[basic]\nak = A\n",
            huawei::IMS_ID,
            "[basic] has no sk",
        ),
        (
            ".huaweicloud/credentials",
            "[global]\nak = A\nsk = S\n",
            huawei::IMS_ID,
            "no [basic] section (it has: [global])",
        ),
        (
            ".tencentcloud/credentials",
            "[default]\nsecret_id = A\n",
            tencent::cvm::ID,
            "[default] has no secret_key",
        ),
        (
            ".tencentcloud/credentials",
            "secret_id = A\n",
            tencent::legacy::ID,
            "before any [section]",
        ),
        (
            ".zenlayer/credentials.json",
            "{not json",
            zenlayer::ID,
            "not zeno's JSON credentials",
        ),
    ] {
        let home = Home::new();
        let path = home.write(rel, text);
        let env = base_env(&sim, &home);
        let line = one_line_error(&list(&env, p, &[]), rel);
        assert!(line.starts_with("imgcat: error: "), "{line}");
        assert!(
            line.contains(&path.display().to_string()),
            "names the file: {line}"
        );
        assert!(line.contains(want), "{rel}: {line}");
    }
    // A file named by the variable must exist.
    let home = Home::new();
    let env = with(
        base_env(&sim, &home),
        &[("HUAWEICLOUD_SDK_CREDENTIALS_FILE", "/nonexistent/hw.ini")],
    );
    let line = one_line_error(&list(&env, huawei::IMS_ID, &[]), "named file");
    assert!(
        line.contains(
            "/nonexistent/hw.ini (named by HUAWEICLOUD_SDK_CREDENTIALS_FILE) does not exist"
        ),
        "{line}"
    );
}

#[test]
fn a_file_readable_by_others_gets_a_warning() {
    let sim = sim(10);
    let home = Home::new();
    let path = home.tencent_file(&cred(&sim, TC_ID), &cred(&sim, TC_KEY));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644));
    }
    let out = list(&base_env(&sim, &home), tencent::cvm::ID, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "{} holds credentials and is readable by group or others; run: chmod 600",
            path.display()
        )),
        "{err}"
    );
}

/// A loopback server answering every request with `status` and `body`; its URL.
fn fixed_answer(status: u16, body: &'static str) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
    let url = format!(
        "http://{}",
        listener.local_addr().unwrap_or_else(|e| panic!("{e}"))
    );
    std::thread::spawn(move || {
        use std::io::{Read, Write};
        for conn in listener.incoming().take(16) {
            let Ok(mut c) = conn else { continue };
            let mut buf = [0u8; 4096];
            let _ = c.read(&mut buf);
            let _ = write!(
                c,
                "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    url
}

#[test]
fn a_metadata_answer_without_the_fields_is_a_one_line_error_naming_the_endpoint() {
    let sim = sim(10);
    let home = Home::new();
    let hw = fixed_answer(200, r#"{"credential":{"access":"A","secret":"S"}}"#);
    let env = with(base_env(&sim, &home), &[(HW_MD, &hw)]);
    let line = one_line_error(&list(&env, huawei::IMS_ID, &[]), "huawei");
    assert!(line.contains(&format!("{hw}/openstack/latest/securitykey answered without usable keys: no credential.securitytoken")), "{line}");
    let tc = fixed_answer(200, r#"{"Code":"Failure"}"#);
    let env = with(base_env(&sim, &home), &[(TC_MD, &tc)]);
    let line = one_line_error(&list(&env, tencent::cvm::ID, &[]), "tencent");
    assert!(
        line.contains(&tc) && line.contains("Code is \"Failure\""),
        "{line}"
    );
    // No agency / no role: not configured, not an error of the metadata.
    let none = fixed_answer(404, "Please configure Cloud Service Agency first");
    let env = with(base_env(&sim, &home), &[(HW_MD, &none), (TC_MD, &none)]);
    let out = list(&env, huawei::IMS_ID, &[]);
    assert_eq!(out.status.code(), Some(3));
    assert!(
        stderr(&out).contains("no credentials found"),
        "{}",
        stderr(&out)
    );
}
