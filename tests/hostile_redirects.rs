//! Hostile servers that try to send imgcat's credentials to another host: a 301/302/307/308
//! answer pointing at another port, and IMS `next` links to another host (absolute and
//! `//host` forms). For every provider and auth mode, the other port must receive nothing and
//! imgcat must exit non-zero naming the redirect or the foreign link.

mod common;

use std::sync::atomic::Ordering;

use common::server::{Server, reply};
use common::{Auth, Sim, imgcat, region, stderr};
use imgcat::providers::ProviderId;
use imgcat::providers::{huawei, tencent, zenlayer};

const ALL: [ProviderId; 6] = [
    huawei::IMS_ID,
    huawei::WORKSPACE_ID,
    huawei::CPH_ID,
    tencent::cvm::ID,
    tencent::legacy::ID,
    zenlayer::ID,
];

fn modes(p: ProviderId) -> &'static [Auth] {
    match p {
        tencent::legacy::ID | tencent::cvm::ID => &[Auth::Keys, Auth::Temporary],
        zenlayer::ID => &[Auth::Keys, Auth::Token],
        _ => &[
            Auth::Keys,
            Auth::KeysWithProject,
            Auth::Temporary,
            Auth::Token,
        ],
    }
}

/// The environment of `p` in `mode` with every endpoint (IAM included) at `url`.
fn env_at(sim: &Sim, p: ProviderId, mode: Auth, url: &str) -> Vec<(String, String)> {
    let mut env: Vec<(String, String)> = sim
        .env(p, mode)
        .into_iter()
        .filter(|(k, _)| k != "HUAWEICLOUD_SDK_IAM_ENDPOINT")
        .collect();
    env.push(("HUAWEICLOUD_SDK_IAM_ENDPOINT".into(), url.into()));
    env
}

/// Every secret the simulator accepts (each credential group's secret keys).
fn secrets(sim: &Sim) -> Vec<String> {
    let v: Vec<String> = sim.creds.secrets().iter().map(|s| s.to_string()).collect();
    assert!(
        v.len() >= 7,
        "secret keys, temporary tokens included: {}",
        v.len()
    );
    v
}

fn sim_with_tokens() -> Sim {
    let mut creds = imgcat::sim::SimCredentials::demo();
    creds.set(
        "HUAWEICLOUD_SDK_SECURITY_TOKEN",
        "hostile-test-security-token-1",
    );
    creds.set("TENCENTCLOUD_SESSION_TOKEN", "hostile-test-session-token-2");
    Sim::start(imgcat::sim::SimConfig::new(5).credentials(creds))
}

#[test]
fn redirects_are_not_followed_for_any_provider_or_auth_mode() {
    let sim = sim_with_tokens();
    let elsewhere = Server::start(|_| reply("200 OK", "", "{}"));
    for status in [
        "301 Moved Permanently",
        "302 Found",
        "307 Temporary Redirect",
        "308 Permanent Redirect",
    ] {
        let location = format!("{}/stolen", elsewhere.url());
        let hostile =
            Server::start(move |_| reply(status, &format!("location: {location}\r\n"), ""));
        for p in ALL {
            for &mode in modes(p) {
                let env = env_at(&sim, p, mode, &hostile.url());
                let out = imgcat(
                    &env,
                    [
                        "list",
                        "-p",
                        p.as_str(),
                        "-r",
                        region(p),
                        "--endpoint",
                        &hostile.url(),
                        "-o",
                        "json",
                        "--retries",
                        "0",
                    ],
                );
                let err = stderr(&out);
                assert_eq!(out.status.code(), Some(5), "{p} {mode:?} {status}: {err}");
                let code = &status[..3];
                assert!(
                    err.contains(&format!("HTTP {code} redirect")) && err.contains("/stolen"),
                    "{p} {mode:?}: the error names the redirect: {err}"
                );
                assert!(
                    err.contains(p.as_str()),
                    "{p}: the error names the provider: {err}"
                );
                for s in secrets(&sim) {
                    assert!(!err.contains(&s), "{p} {mode:?}: a secret in stderr");
                }
            }
        }
    }
    assert_eq!(
        elsewhere.connections.load(Ordering::SeqCst),
        0,
        "the redirect target received a connection"
    );
}

#[test]
fn ims_next_links_to_another_host_are_not_followed() {
    let sim = sim_with_tokens();
    let elsewhere = Server::start(|_| reply("200 OK", "", r#"{"images":[]}"#));
    let other = format!("127.0.0.1:{}", elsewhere.port);
    for next in [
        format!("http://{other}/v2/images?marker=b"),
        format!("//{other}/v2/images?marker=b"),
    ] {
        let body = serde_json::json!({
            "images": [{
                "id": "a1b2c3d4-0000-0000-0000-000000000001",
                "name": "Ubuntu 22.04",
                "status": "active",
                "visibility": "public",
                "__os_type": "Linux",
            }],
            "first": "/v2/images?limit=1000",
            "next": next,
        })
        .to_string();
        let hostile = Server::start(move |path| {
            if path.starts_with("/v3/projects") {
                reply(
                    "200 OK",
                    "",
                    r#"{"projects":[{"id":"0123456789abcdef0123456789abcdef","name":"cn-north-4"}]}"#,
                )
            } else {
                reply("200 OK", "", &body)
            }
        });
        for &mode in modes(huawei::IMS_ID) {
            let env = env_at(&sim, huawei::IMS_ID, mode, &hostile.url());
            let out = imgcat(
                &env,
                [
                    "list",
                    "-p",
                    "huawei-ims",
                    "-r",
                    "cn-north-4",
                    "--endpoint",
                    &hostile.url(),
                    "-o",
                    "json",
                    "--retries",
                    "0",
                ],
            );
            let err = stderr(&out);
            assert_eq!(out.status.code(), Some(5), "{next} {mode:?}: {err}");
            assert!(
                err.contains("next link points to another host") && err.contains(&other),
                "{mode:?}: names the foreign link: {err}"
            );
        }
    }
    assert_eq!(elsewhere.connections.load(Ordering::SeqCst), 0);
    assert!(
        elsewhere
            .received
            .lock()
            .map(|r| r.is_empty())
            .unwrap_or(false)
    );
}
