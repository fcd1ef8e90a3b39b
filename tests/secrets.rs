//! No secret leaks: every provider, in every auth mode, at `-vv` and `--debug`, against the
//! simulator, through a recording proxy that keeps the bytes imgcat sends. Neither the
//! configured secrets (secret keys, password, tokens) nor any signature or credential value
//! found in those bytes may appear in stdout or stderr; the logs show `***` instead. Also: a
//! wrong-credentials run per provider and mode (exit 4, the provider's error code and a request
//! id, no secret), and the `Debug` form of every configuration struct.

mod common;

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::process::Output;
use std::sync::{Arc, Mutex};
use std::thread;

use common::{Auth, Sim, imgcat, region, stderr, stdout};
use imgcat::config::Env;
use imgcat::providers::ProviderId;
use imgcat::providers::{huawei, tencent, zenlayer};
use imgcat::sim::{SimConfig, SimCredentials};

const IMAGES: usize = 150;

/// Demo credentials plus the temporary-credential tokens, so every secret has a value.
fn creds(with_tokens: bool) -> SimCredentials {
    let mut c = SimCredentials::demo();
    if with_tokens {
        c.set(
            "HUAWEICLOUD_SDK_SECURITY_TOKEN",
            "sim-huawei-security-token-SECRET-7f3a",
        );
        c.set(
            "TENCENTCLOUD_SESSION_TOKEN",
            "sim-tencent-session-token-SECRET-9c1e",
        );
    }
    c
}

/// Every secret value configured anywhere in these tests.
fn all_secrets() -> Vec<String> {
    let c = creds(true);
    let v: Vec<String> = c.secrets().iter().map(|s| s.to_string()).collect();
    assert!(
        v.len() >= 7,
        "secret keys, temporary tokens included: {}",
        v.len()
    );
    v
}

/// The bytes one connection sent.
type ConnLog = Arc<Mutex<Vec<u8>>>;

/// A TCP proxy in front of the simulator that records what each connection sends.
struct Recorder {
    url: String,
    connections: Arc<Mutex<Vec<ConnLog>>>,
}

impl Recorder {
    fn start(upstream: &str) -> Recorder {
        let upstream: SocketAddr = upstream
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .parse()
            .unwrap_or_else(|e| panic!("simulator address {upstream}: {e}"));
        let listener =
            TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("recorder bind: {e}"));
        let url = format!(
            "http://{}",
            listener
                .local_addr()
                .unwrap_or_else(|e| panic!("recorder addr: {e}"))
        );
        let connections: Arc<Mutex<Vec<ConnLog>>> = Arc::default();
        let all = connections.clone();
        thread::spawn(move || {
            for client in listener.incoming() {
                let Ok(client) = client else { continue };
                let Ok(server) = TcpStream::connect(upstream) else {
                    continue;
                };
                let log: ConnLog = Arc::default();
                all.lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push(log.clone());
                let (Ok(mut c_read), Ok(mut s_write)) = (client.try_clone(), server.try_clone())
                else {
                    continue;
                };
                // Client to server, recorded before it is forwarded.
                thread::spawn(move || {
                    let mut buf = [0u8; 16 * 1024];
                    while let Ok(n) = c_read.read(&mut buf) {
                        if n == 0 {
                            break;
                        }
                        log.lock()
                            .unwrap_or_else(|e| e.into_inner())
                            .extend_from_slice(&buf[..n]);
                        if s_write.write_all(&buf[..n]).is_err() {
                            break;
                        }
                    }
                    let _ = s_write.shutdown(Shutdown::Write);
                });
                let (mut s_read, mut c_write) = (server, client);
                thread::spawn(move || {
                    let _ = std::io::copy(&mut s_read, &mut c_write);
                    let _ = c_write.shutdown(Shutdown::Write);
                });
            }
        });
        Recorder { url, connections }
    }

    /// The credential and signature values sent so far: Tencent's `Signature` and `Token`
    /// parameters (as sent and decoded), `Authorization` values and their `Signature=` part,
    /// `X-Auth-Token` and `X-Security-Token`.
    fn sent_credentials(&self) -> Vec<String> {
        let conns = self.connections.lock().unwrap_or_else(|e| e.into_inner());
        let mut out = Vec::new();
        for conn in conns.iter() {
            let bytes = conn.lock().unwrap_or_else(|e| e.into_inner()).clone();
            let text = String::from_utf8_lossy(&bytes).into_owned();
            for line in text.split("\r\n") {
                if let Some(target) = line
                    .strip_prefix("GET ")
                    .or_else(|| line.strip_prefix("POST "))
                {
                    let target = target.split(' ').next().unwrap_or_default();
                    let query = target.split_once('?').map(|(_, q)| q).unwrap_or_default();
                    for pair in query.split('&') {
                        let Some((k, v)) = pair.split_once('=') else {
                            continue;
                        };
                        if k == "Signature" || k == "Token" {
                            out.push(v.to_string());
                            let decoded: String = url::form_urlencoded::parse(pair.as_bytes())
                                .map(|(_, v)| v.into_owned())
                                .collect();
                            out.push(decoded);
                        }
                    }
                    continue;
                }
                let Some((name, value)) = line.split_once(':') else {
                    continue;
                };
                let value = value.trim();
                match name.to_ascii_lowercase().as_str() {
                    "authorization" => {
                        out.push(value.to_string());
                        if let Some(sig) = value.split("Signature=").nth(1) {
                            out.push(sig.trim().to_string());
                        }
                        if let Some(tok) = value.strip_prefix("Bearer ") {
                            out.push(tok.trim().to_string());
                        }
                    }
                    "x-auth-token" | "x-security-token" | "x-tc-token" | "x-metadata-token" => {
                        out.push(value.to_string())
                    }
                    _ => {}
                }
            }
        }
        out.retain(|v| v.len() >= 8);
        out.sort();
        out.dedup();
        out
    }
}

fn assert_clean(what: &str, out: &Output, secrets: &[String]) {
    let (so, se) = (stdout(out), stderr(out));
    for s in secrets {
        assert!(!so.contains(s.as_str()), "{what}: {s:?} leaked on stdout");
        assert!(
            !se.contains(s.as_str()),
            "{what}: {s:?} leaked on stderr:\n{se}"
        );
    }
}

/// One listing through a fresh recorder; returns its output and the credential values sent.
fn run(
    sim: &Sim,
    p: ProviderId,
    mode: Auth,
    flags: &[&str],
    env_edit: impl Fn(&mut Vec<(String, String)>),
) -> (Output, Vec<String>) {
    let rec = Recorder::start(&sim.url());
    let mut env = sim.env(p, mode);
    for (k, v) in env.iter_mut() {
        if k == "HUAWEICLOUD_SDK_IAM_ENDPOINT" {
            v.clone_from(&rec.url);
        }
    }
    env_edit(&mut env);
    let mut args: Vec<String> = [
        "list",
        "--provider",
        p.as_str(),
        "--region",
        region(p),
        "--endpoint",
        &rec.url,
        "--output",
        "json",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    args.extend(flags.iter().map(|s| s.to_string()));
    let out = imgcat(&env, &args);
    let sent = rec.sent_credentials();
    (out, sent)
}

/// Every provider and auth mode, as (provider, sim with tokens?, mode, extra flags, label).
fn modes() -> Vec<(
    ProviderId,
    bool,
    Auth,
    &'static [&'static str],
    &'static str,
)> {
    let mut v = Vec::new();
    for p in [huawei::IMS_ID, huawei::WORKSPACE_ID, huawei::CPH_ID] {
        v.push((p, false, Auth::Keys, &[][..], "AK/SK, project from IAM"));
        v.push((
            p,
            false,
            Auth::KeysWithProject,
            &[][..],
            "AK/SK + project id",
        ));
        v.push((p, true, Auth::Temporary, &[][..], "temporary AK/SK + token"));
        v.push((p, false, Auth::Token, &[][..], "IAM token"));
    }
    let t3 = tencent::cvm::ID;
    v.push((t3, false, Auth::Keys, &[][..], "keys (TC3-HMAC-SHA256)"));
    v.push((
        t3,
        true,
        Auth::Temporary,
        &[][..],
        "keys + session token (X-TC-Token)",
    ));
    let t = tencent::legacy::ID;
    v.push((t, false, Auth::Keys, &[][..], "keys (HmacSHA256)"));
    v.push((t, true, Auth::Temporary, &[][..], "keys + session token"));
    v.push((
        t,
        false,
        Auth::Keys,
        &["--tencent-signature-method", "HmacSHA1"][..],
        "keys (HmacSHA1)",
    ));
    v.push((zenlayer::ID, false, Auth::Keys, &[][..], "access key"));
    v.push((zenlayer::ID, false, Auth::Token, &[][..], "bearer token"));
    v
}

#[test]
fn no_secret_or_signature_in_logs_for_any_provider_or_auth_mode() {
    let plain = Sim::start(SimConfig::new(IMAGES).credentials(creds(false)));
    let temp = Sim::start(SimConfig::new(IMAGES).credentials(creds(true)));
    let secrets = all_secrets();
    for (p, tokens, mode, extra, label) in modes() {
        let sim = if tokens { &temp } else { &plain };
        for verbosity in ["-vv", "--debug"] {
            let mut flags = vec![verbosity];
            flags.extend_from_slice(extra);
            let what = format!("{p} {label} {verbosity}");
            let (out, sent) = run(sim, p, mode, &flags, |_| {});
            assert!(out.status.success(), "{what}: {}", stderr(&out));
            let images: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout)
                .unwrap_or_else(|e| panic!("{what}: stdout is not JSON: {e}"));
            assert!(!images.is_empty(), "{what}: no images");
            // The recorder saw what was signed or sent as a credential.
            assert!(!sent.is_empty(), "{what}: no credential seen on the wire");
            if tokens {
                let var = match p {
                    tencent::legacy::ID | tencent::cvm::ID => "TENCENTCLOUD_SESSION_TOKEN",
                    _ => "HUAWEICLOUD_SDK_SECURITY_TOKEN",
                };
                let token = creds(true).get(var).unwrap_or_default().to_string();
                assert!(
                    sent.contains(&token),
                    "{what}: the token was not sent: {sent:?}"
                );
            }
            assert_clean(&what, &out, &secrets);
            assert_clean(&what, &out, &sent);
            // The logs are there, and show the mask.
            let err = stderr(&out);
            assert!(err.contains(p.as_str()), "{what}: no request log on stderr");
            if p == tencent::legacy::ID {
                assert!(err.contains("Signature=***"), "{what}: {err}");
                if tokens {
                    assert!(err.contains("Token=***"), "{what}: {err}");
                }
            } else if verbosity == "--debug" {
                let masked = ["authorization: ***", "x-auth-token: ***"];
                assert!(
                    masked.iter().any(|m| err.contains(m)),
                    "{what}: no masked credential header in the --debug log: {err}"
                );
                if tokens {
                    let header = if p == tencent::cvm::ID {
                        "x-tc-token: ***"
                    } else {
                        "x-security-token: ***"
                    };
                    assert!(err.contains(header), "{what}: {err}");
                }
            }
        }
    }
}

#[test]
fn wrong_credentials_exit_4_with_the_providers_error_and_no_secret() {
    let plain = Sim::start(SimConfig::new(10).credentials(creds(false)));
    let temp = Sim::start(SimConfig::new(10).credentials(creds(true)));
    let mut secrets = all_secrets();
    let wrong = "wrong-secret-value-5e2b";
    secrets.push(wrong.to_string());
    for (p, tokens, mode, extra, label) in modes() {
        let sim = if tokens { &temp } else { &plain };
        let expected = match (p, mode) {
            (tencent::legacy::ID | tencent::cvm::ID, _) => "AuthFailure.SignatureFailure",
            (zenlayer::ID, Auth::Token) => "AUTHENTICATION_FAILED",
            (zenlayer::ID, _) => "SIGNATURE_FAILURE",
            _ => "APIGW.0301",
        };
        let mut flags = vec!["--debug", "--retries", "0"];
        flags.extend_from_slice(extra);
        let what = format!("{p} {label} with a wrong secret");
        let (out, sent) = run(sim, p, mode, &flags, |env| {
            for (k, v) in env.iter_mut() {
                if k.ends_with("_SK")
                    || k.ends_with("SECRET_KEY")
                    || k.ends_with("PASSWORD")
                    || k == "HUAWEICLOUD_AUTH_TOKEN"
                    || k == "ZENLAYERCLOUD_TOKEN"
                {
                    *v = wrong.to_string();
                }
            }
        });
        assert_eq!(out.status.code(), Some(4), "{what}: {}", stderr(&out));
        let err = stderr(&out);
        let last = err.lines().last().unwrap_or_default();
        assert!(last.starts_with("imgcat: error: "), "{what}: {err}");
        assert!(last.contains(expected), "{what}: {last}");
        assert!(last.contains(p.as_str()), "{what}: {last}");
        assert!(last.contains("request id "), "{what}: {last}");
        // No image on stdout (an empty JSON array keeps a pipe valid).
        let so = stdout(&out);
        assert!(so.trim().is_empty() || so.trim() == "[]", "{what}: {so}");
        assert!(!sent.is_empty(), "{what}: no credential seen on the wire");
        assert_clean(&what, &out, &secrets);
        assert_clean(&what, &out, &sent);
    }
}

#[test]
fn debug_of_configuration_holds_no_secret() {
    let c = creds(true);
    let secrets = all_secrets();
    let env_of = |pairs: &[(&str, &str)]| Env::from_pairs(pairs.iter().copied());
    let (hw_sk, hw_tok, hw_sec) = (
        c.get("HUAWEICLOUD_SDK_SK").unwrap_or_default(),
        c.get("HUAWEICLOUD_AUTH_TOKEN").unwrap_or_default(),
        c.get("HUAWEICLOUD_SDK_SECURITY_TOKEN").unwrap_or_default(),
    );
    let (tc_key, tc_tok) = (
        c.get("TENCENTCLOUD_SECRET_KEY").unwrap_or_default(),
        c.get("TENCENTCLOUD_SESSION_TOKEN").unwrap_or_default(),
    );
    let (zl_pw, zl_tok) = (
        c.get("ZENLAYERCLOUD_ACCESS_KEY_PASSWORD")
            .unwrap_or_default(),
        c.get("ZENLAYERCLOUD_TOKEN").unwrap_or_default(),
    );
    let mut shown: Vec<(String, String)> = Vec::new();
    let mut show = |what: &str, s: String| shown.push((what.to_string(), s));

    for env in [
        env_of(&[("HUAWEICLOUD_SDK_AK", "AK1"), ("HUAWEICLOUD_SDK_SK", hw_sk)]),
        env_of(&[
            ("HUAWEICLOUD_SDK_AK", "AK1"),
            ("HUAWEICLOUD_SDK_SK", hw_sk),
            ("HUAWEICLOUD_SDK_SECURITY_TOKEN", hw_sec),
            ("HUAWEICLOUD_SDK_PROJECT_ID", "p1"),
        ]),
        env_of(&[("HUAWEICLOUD_AUTH_TOKEN", hw_tok)]),
    ] {
        let cfg = huawei::config::from_env(&env).unwrap_or_else(|e| panic!("huawei config: {e}"));
        show("huawei", format!("{cfg:?}"));
        show("huawei", format!("{cfg:#?}"));
        show("huawei auth", format!("{:?}", cfg.auth));
    }
    for env in [
        env_of(&[
            ("TENCENTCLOUD_SECRET_ID", "ID1"),
            ("TENCENTCLOUD_SECRET_KEY", tc_key),
        ]),
        env_of(&[
            ("TENCENTCLOUD_SECRET_ID", "ID1"),
            ("TENCENTCLOUD_SECRET_KEY", tc_key),
            ("TENCENTCLOUD_SESSION_TOKEN", tc_tok),
            ("IMGCAT_TENCENT_SIGNATURE_METHOD", "HmacSHA1"),
        ]),
    ] {
        let cfg = tencent::config::legacy(&env).unwrap_or_else(|e| panic!("tencent config: {e}"));
        show("tencent", format!("{cfg:?}"));
        show("tencent", format!("{cfg:#?}"));
    }
    for env in [
        env_of(&[
            ("ZENLAYERCLOUD_ACCESS_KEY_ID", "ZL1"),
            ("ZENLAYERCLOUD_ACCESS_KEY_PASSWORD", zl_pw),
        ]),
        env_of(&[("ZENLAYERCLOUD_TOKEN", zl_tok)]),
    ] {
        let cfg =
            zenlayer::config::from_env(&env).unwrap_or_else(|e| panic!("zenlayer config: {e}"));
        show("zenlayer", format!("{cfg:?}"));
        show("zenlayer", format!("{cfg:#?}"));
    }
    show("sim credentials", format!("{c:?}"));
    show("sim credentials", format!("{c:#?}"));
    // The environment snapshot and the adapters' setup, with every secret variable set.
    let env = env_of(&[
        ("HUAWEICLOUD_SDK_AK", "AK1"),
        ("HUAWEICLOUD_SDK_SK", hw_sk),
        ("HUAWEICLOUD_SDK_SECURITY_TOKEN", hw_sec),
        ("HUAWEICLOUD_AUTH_TOKEN", hw_tok),
        ("TENCENTCLOUD_SECRET_ID", "ID1"),
        ("TENCENTCLOUD_SECRET_KEY", tc_key),
        ("TENCENTCLOUD_SESSION_TOKEN", tc_tok),
        ("ZENLAYERCLOUD_ACCESS_KEY_ID", "ZL1"),
        ("ZENLAYERCLOUD_ACCESS_KEY_PASSWORD", zl_pw),
        ("ZENLAYERCLOUD_TOKEN", zl_tok),
    ]);
    show("env", format!("{env:?}"));
    let setup = imgcat::providers::Setup {
        http: imgcat::http::HttpClient::new(imgcat::http::HttpOptions::default())
            .unwrap_or_else(|e| panic!("http client: {e}")),
        env,
        endpoint: None,
        credentials: imgcat::credentials::Resolved::default(),
    };
    show("setup", format!("{setup:?}"));
    show("setup", format!("{setup:#?}"));
    for (what, s) in &shown {
        assert!(s.contains("***"), "{what}: secrets shown as ***: {s}");
        for secret in &secrets {
            assert!(!s.contains(secret.as_str()), "{what}: {secret:?} in {s}");
        }
    }
}

/// A source case: its label, the provider listed, and the credentials file it writes (path
/// under `HOME`, text), or `None` for instance metadata.
type SourceCase = (&'static str, ProviderId, Option<(&'static str, String)>);

/// The sources beyond the environment: each SDK credentials file and each instance metadata
/// service, at `-vv` and `--debug` through the recorder (metadata requests included), and in
/// `config show` (table and JSON). No configured secret, no temporary secret or token the
/// metadata services handed out, and nothing sent as a credential may be printed.
#[test]
fn no_secret_from_credentials_files_or_metadata_in_logs_or_config_show() {
    let sim = Sim::start(SimConfig::new(40).credentials(creds(false)));
    let c = &sim.creds;
    let get = |k: &str| c.get(k).unwrap_or_default().to_string();
    let huawei_file = format!(
        "[basic]\nak = {}\nsk = {}\n",
        get("HUAWEICLOUD_SDK_AK"),
        get("HUAWEICLOUD_SDK_SK")
    );
    let tencent_file = format!(
        "[default]\nsecret_id = {}\nsecret_key = {}\n",
        get("TENCENTCLOUD_SECRET_ID"),
        get("TENCENTCLOUD_SECRET_KEY")
    );
    let zeno_keys = format!(
        r#"{{"default":{{"access_key_id":"{}","access_key_secret":"{}"}}}}"#,
        get("ZENLAYERCLOUD_ACCESS_KEY_ID"),
        get("ZENLAYERCLOUD_ACCESS_KEY_PASSWORD")
    );
    let zeno_token = format!(
        r#"{{"default":{{"token":"{}"}}}}"#,
        get("ZENLAYERCLOUD_TOKEN")
    );
    let cases: Vec<SourceCase> = vec![
        (
            "huawei SDK file",
            huawei::IMS_ID,
            Some((".huaweicloud/credentials", huawei_file)),
        ),
        (
            "tencent SDK file",
            tencent::cvm::ID,
            Some((".tencentcloud/credentials", tencent_file)),
        ),
        (
            "zeno keys",
            zenlayer::ID,
            Some((".zenlayer/credentials.json", zeno_keys)),
        ),
        (
            "zeno token",
            zenlayer::ID,
            Some((".zenlayer/credentials.json", zeno_token)),
        ),
        ("ECS metadata", huawei::WORKSPACE_ID, None),
        ("CVM metadata (API 3.0)", tencent::cvm::ID, None),
        ("CVM metadata (API 2.0)", tencent::legacy::ID, None),
    ];
    let secrets = all_secrets();
    for (label, p, file) in cases {
        let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let rec = Recorder::start(&sim.url());
        let mut env: Vec<(String, String)> = vec![
            ("HOME".into(), home.path().display().to_string()),
            ("HUAWEICLOUD_SDK_IAM_ENDPOINT".into(), rec.url.clone()),
        ];
        for q in ProviderId::all() {
            env.push((q.endpoint_var(), rec.url.clone()));
        }
        let metadata = file.is_none();
        if let Some((rel, text)) = &file {
            let path = home.path().join(rel);
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("{e}"));
            }
            std::fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
            env.push(("IMGCAT_NO_METADATA".into(), "1".into()));
        } else {
            env.push(("IMGCAT_HUAWEI_METADATA_ENDPOINT".into(), rec.url.clone()));
            env.push(("IMGCAT_TENCENT_METADATA_ENDPOINT".into(), rec.url.clone()));
        }
        let mut outputs: Vec<(String, Output)> = Vec::new();
        for verbosity in ["-vv", "--debug"] {
            let out = imgcat(
                &env,
                [
                    "list",
                    "-p",
                    p.as_str(),
                    "-r",
                    region(p),
                    "-o",
                    "json",
                    verbosity,
                ],
            );
            let what = format!("{label} {verbosity}");
            assert!(out.status.success(), "{what}: {}", stderr(&out));
            let images: Vec<serde_json::Value> =
                serde_json::from_slice(&out.stdout).unwrap_or_default();
            assert!(!images.is_empty(), "{what}: no images");
            outputs.push((what, out));
        }
        for format in ["table", "json"] {
            let out = imgcat(&env, ["config", "show", "-o", format]);
            assert!(out.status.success(), "{label}: {}", stderr(&out));
            assert!(stdout(&out).contains("***"), "{label}: {}", stdout(&out));
            outputs.push((format!("{label} config show -o {format}"), out));
        }
        let sent = rec.sent_credentials();
        let temporary = sim.handle.temporary_secrets();
        if metadata {
            assert!(!temporary.is_empty(), "{label}: metadata handed out keys");
            assert!(
                temporary.iter().any(|t| sent.contains(t)),
                "{label}: a temporary token was sent with its keys"
            );
        }
        assert!(!sent.is_empty(), "{label}: no credential seen on the wire");
        for (what, out) in &outputs {
            assert_clean(what, out, &secrets);
            assert_clean(what, out, &sent);
            assert_clean(what, out, &temporary);
        }
    }
}
