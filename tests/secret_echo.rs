//! A server that quotes the request back in its error (issue 13): for every provider and auth
//! mode (permanent keys, temporary keys with their token from the environment and from instance
//! metadata, IAM and bearer tokens), a loopback server answers every request with an error in
//! the provider's own format whose message quotes the request line, every header and the body
//! it received (a `x-echo` response header too, logged at `--debug`), or with a text page doing
//! the same. imgcat must still print the error (exit non-zero, naming the provider and showing
//! the quote) with no configured secret, no temporary secret or token handed out by metadata,
//! and no credential or signature seen on the wire in its stdout or stderr: at the default
//! verbosity, `-v` and `--debug`, for `list`, `check -o json` (the error object on stdout),
//! `where -o json` (the error in its row) and a partial listing. And a listing whose images
//! quote the request (name, description, the provider's own fields) prints none in any format.

mod common;

use std::process::Output;

use common::server::{Request, Server, reply};
use common::{Auth, Sim, imgcat, region, stderr, stdout};
use imgcat::providers::ProviderId;
use imgcat::providers::{huawei, tencent, zenlayer};
use imgcat::sim::{SimConfig, SimCredentials};

/// Temporary tokens with characters a query string percent-encodes (`+`, `/`, `=`): API 2.0
/// sends the token in the URL, which the server quotes encoded.
const HUAWEI_TOKEN: &str = "echo-test+security/token=SECRET-1a2b";
const TENCENT_TOKEN: &str = "echo-test+session/token=SECRET-3c4d";

/// What the quote starts with, to show that the server's text was printed.
const QUOTE: &str = "request received:";

fn sim() -> Sim {
    let mut c = SimCredentials::demo();
    c.set("HUAWEICLOUD_SDK_SECURITY_TOKEN", HUAWEI_TOKEN);
    c.set("TENCENTCLOUD_SESSION_TOKEN", TENCENT_TOKEN);
    Sim::start(SimConfig::new(10).credentials(c))
}

/// How the hostile server answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    /// The provider's JSON error, its message quoting the request.
    ApiError,
    /// A text page quoting the request, credentials first (imgcat quotes its first bytes).
    Page,
}

/// The request as one line: request line, headers (`|` between them), body.
fn quote(r: &Request, credentials_first: bool) -> String {
    let mut lines: Vec<&str> = r.head.split("\r\n").filter(|l| !l.is_empty()).collect();
    if credentials_first {
        // Tokens, then the signature, then the rest.
        let rank = |l: &&str| {
            let l = l.to_ascii_lowercase();
            if l.contains("token") {
                0
            } else if l.contains("authorization") || l.contains("signature") {
                1
            } else {
                2
            }
        };
        lines.sort_by_key(rank);
    }
    format!(
        "{QUOTE} {} | body: {}",
        lines.join(" | "),
        String::from_utf8_lossy(&r.body)
    )
}

/// `p`'s error answer quoting `r`.
fn answer(p: ProviderId, style: Style, r: &Request) -> String {
    let said = quote(r, style == Style::Page);
    let headers = format!("x-echo: {said}\r\nx-request-id: echo-rid-0001\r\n");
    if style == Style::Page {
        return format!(
            "HTTP/1.1 400 Bad Request\r\ncontent-type: text/html\r\ncontent-length: {}\r\n{headers}\r\n{said}",
            said.len()
        );
    }
    match p {
        tencent::cvm::ID | tencent::legacy::ID => {
            let body = serde_json::json!({"Response": {
                "Error": {"Code": "InvalidParameter.Echo", "Message": said},
                "RequestId": "echo-rid-0001",
            }});
            reply("200 OK", &headers, &body.to_string())
        }
        zenlayer::ID => {
            let body = serde_json::json!({
                "requestId": "echo-rid-0001",
                "code": "INVALID_PARAMETER",
                "message": said,
            });
            reply("400 Bad Request", &headers, &body.to_string())
        }
        // The three Huawei services and IAM.
        _ => {
            let body = serde_json::json!({
                "error_code": "ECHO.0400",
                "error_msg": said,
                "request_id": "echo-rid-0001",
            });
            reply("400 Bad Request", &headers, &body.to_string())
        }
    }
}

fn echo_server(p: ProviderId, style: Style) -> Server {
    Server::start_with(move |r| answer(p, style, r))
}

/// The credentials the server received: `Authorization` values and their `Signature=` part,
/// bearer tokens, `X-Auth-Token`, `X-Security-Token`, `X-TC-Token`, and API 2.0's `Signature`
/// and `Token` parameters (as sent and decoded).
fn sent_credentials(server: &Server) -> Vec<String> {
    let bytes = server
        .received
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let mut out = Vec::new();
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
                    out.extend(url::form_urlencoded::parse(pair.as_bytes()).map(|(_, v)| v.into()));
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
            "x-auth-token" | "x-security-token" | "x-tc-token" => out.push(value.to_string()),
            _ => {}
        }
    }
    out.retain(|v| v.len() >= 8);
    out.sort();
    out.dedup();
    out
}

/// Every secret configured in these tests: every credential group's secret values.
fn configured(sim: &Sim) -> Vec<String> {
    let v: Vec<String> = sim.creds.secrets().iter().map(|s| s.to_string()).collect();
    assert!(
        v.len() >= 7,
        "secret keys, temporary tokens included: {v:?}"
    );
    assert!(v.iter().any(|s| s == HUAWEI_TOKEN) && v.iter().any(|s| s == TENCENT_TOKEN));
    v
}

fn assert_clean(what: &str, out: &Output, secrets: &[String]) {
    let (so, se) = (stdout(out), stderr(out));
    for s in secrets {
        assert!(
            !so.contains(s.as_str()),
            "{what}: {s:?} printed on stdout:\n{so}"
        );
        assert!(
            !se.contains(s.as_str()),
            "{what}: {s:?} printed on stderr:\n{se}"
        );
    }
}

/// No part of a signature or token sent (16 characters of it) is printed either: an excerpt of
/// the server's page cut in the middle of one must not show its first half.
fn assert_no_part(what: &str, out: &Output, sent: &[String]) {
    let printed = format!("{}{}", stdout(out), stderr(out));
    // Whole `Authorization` values hold the scheme, key id and signed headers, which are shown.
    for v in sent.iter().filter(|v| !v.contains(' ')) {
        let chars: Vec<char> = v.chars().collect();
        for w in chars.windows(16) {
            let part: String = w.iter().collect();
            assert!(
                !printed.contains(&part),
                "{what}: {part:?}, part of {v:?}, printed:\n{printed}"
            );
        }
    }
}

/// The error is still there: exit non-zero, the provider named, the server's quote shown
/// (with its credentials masked, when it shows one: an excerpt of a page may end before).
fn assert_reported(what: &str, out: &Output, p: ProviderId, masked: bool) {
    let err = stderr(out);
    assert!(
        !out.status.success() && out.status.code() != Some(1),
        "{what}: exit {:?}: {err}",
        out.status.code()
    );
    let line = err
        .lines()
        .find(|l| l.starts_with("imgcat: error: "))
        .unwrap_or_else(|| panic!("{what}: no error line: {err}"));
    assert!(line.contains(p.as_str()), "{what}: names {p}: {line}");
    assert!(
        line.contains(QUOTE),
        "{what}: shows the server's text: {line}"
    );
    if masked {
        assert!(
            line.contains("***"),
            "{what}: shows what was masked: {line}"
        );
    }
}

/// Every provider and auth mode: (provider, mode, extra flags, label).
fn modes() -> Vec<(ProviderId, Auth, &'static [&'static str], &'static str)> {
    let mut v = Vec::new();
    for p in [huawei::IMS_ID, huawei::WORKSPACE_ID, huawei::CPH_ID] {
        v.push((p, Auth::Keys, &[][..], "AK/SK, project from IAM"));
        v.push((p, Auth::KeysWithProject, &[][..], "AK/SK + project id"));
        v.push((
            p,
            Auth::Temporary,
            &[][..],
            "temporary AK/SK + security token",
        ));
        v.push((p, Auth::Token, &[][..], "IAM token (X-Auth-Token)"));
    }
    let t3 = tencent::cvm::ID;
    v.push((t3, Auth::Keys, &[][..], "keys (TC3-HMAC-SHA256)"));
    v.push((t3, Auth::Temporary, &[][..], "keys + session token"));
    let t = tencent::legacy::ID;
    v.push((t, Auth::Keys, &[][..], "keys (HmacSHA256)"));
    v.push((
        t,
        Auth::Keys,
        &["--tencent-signature-method", "HmacSHA1"][..],
        "keys (HmacSHA1)",
    ));
    v.push((t, Auth::Temporary, &[][..], "keys + session token (Token=)"));
    v.push((
        zenlayer::ID,
        Auth::Keys,
        &[][..],
        "access key (ZC2-HMAC-SHA256)",
    ));
    v.push((zenlayer::ID, Auth::Token, &[][..], "bearer token"));
    v
}

/// The commands run against each server: (label, the subcommand and its flags; the target
/// flags are added).
fn commands() -> Vec<(&'static str, Vec<&'static str>)> {
    vec![
        ("list", vec!["list", "-o", "json"]),
        ("list -v", vec!["list", "-o", "json", "-v"]),
        ("list -vv", vec!["list", "-o", "json", "-vv"]),
        ("list --debug", vec!["list", "-o", "json", "--debug"]),
        ("check -o json", vec!["check", "--id", "x", "-o", "json"]),
        ("where -o json", vec!["where", "-o", "json"]),
    ]
}

/// Runs `command` for `p` with `env`, every endpoint (IAM included) at `server`.
fn run(server: &Server, env: &[(String, String)], p: ProviderId, command: &[&str]) -> Output {
    let mut env: Vec<(String, String)> = env
        .iter()
        .filter(|(k, _)| k != "HUAWEICLOUD_SDK_IAM_ENDPOINT")
        .cloned()
        .collect();
    env.push(("HUAWEICLOUD_SDK_IAM_ENDPOINT".into(), server.url()));
    let mut args: Vec<String> = vec![command[0].to_string()];
    args.extend(
        [
            "-p",
            p.as_str(),
            "-r",
            region(p),
            "--endpoint",
            &server.url(),
        ]
        .iter()
        .map(|s| s.to_string()),
    );
    args.extend(command[1..].iter().map(|s| s.to_string()));
    args.extend(["--retries".to_string(), "0".to_string()]);
    imgcat(&env, &args)
}

/// Checks one run: reported, and nothing secret printed.
fn check(
    what: &str,
    out: &Output,
    p: ProviderId,
    server: &Server,
    secrets: &[String],
    style: Style,
) {
    let sent = sent_credentials(server);
    assert!(!sent.is_empty(), "{what}: no credential seen on the wire");
    assert_clean(what, out, secrets);
    assert_clean(what, out, &sent);
    assert_no_part(what, out, &sent);
    assert_reported(what, out, p, style == Style::ApiError);
}

#[test]
fn a_server_quoting_the_request_gets_no_secret_printed_for_any_provider_or_auth_mode() {
    let sim = sim();
    let secrets = configured(&sim);
    for (p, mode, extra, label) in modes() {
        let env = sim.env(p, mode);
        for (name, command) in commands() {
            let what = format!("{p} {label}: {name}");
            let server = echo_server(p, Style::ApiError);
            let mut command = command.clone();
            command.extend_from_slice(extra);
            let out = run(&server, &env, p, &command);
            check(&what, &out, p, &server, &secrets, Style::ApiError);
            if name == "check -o json" {
                let doc: serde_json::Value =
                    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
                        panic!("{what}: stdout is not JSON ({e}): {}", stdout(&out))
                    });
                let error = doc["error"].as_str().unwrap_or_default();
                assert!(
                    doc["ok"] == false && error.contains(QUOTE) && error.contains("***"),
                    "{what}: the error object shows the masked quote: {doc}"
                );
            }
            if name == "where -o json" {
                let rows: serde_json::Value =
                    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
                        panic!("{what}: stdout is not JSON ({e}): {}", stdout(&out))
                    });
                let error = rows[0]["error"].as_str().unwrap_or_default();
                assert!(
                    error.contains(QUOTE) && error.contains("***"),
                    "{what}: the row shows the masked quote: {rows}"
                );
            }
        }
        let what = format!("{p} {label}: a text page");
        let server = echo_server(p, Style::Page);
        let mut command = vec!["list", "-o", "json"];
        command.extend_from_slice(extra);
        let out = run(&server, &env, p, &command);
        check(&what, &out, p, &server, &secrets, Style::Page);
    }
}

#[test]
fn temporary_keys_from_instance_metadata_are_masked_in_a_quoted_request() {
    let sim = sim();
    let secrets = configured(&sim);
    for p in [
        huawei::IMS_ID,
        huawei::WORKSPACE_ID,
        huawei::CPH_ID,
        tencent::cvm::ID,
        tencent::legacy::ID,
    ] {
        let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let env: Vec<(String, String)> = vec![
            ("HOME".into(), home.path().display().to_string()),
            ("IMGCAT_HUAWEI_METADATA_ENDPOINT".into(), sim.url()),
            ("IMGCAT_TENCENT_METADATA_ENDPOINT".into(), sim.url()),
            ("HUAWEICLOUD_SDK_REGION".into(), region(p).into()),
        ];
        for verbosity in ["-v", "--debug"] {
            let what = format!("{p} metadata keys {verbosity}");
            let server = echo_server(p, Style::ApiError);
            let out = run(&server, &env, p, &["list", "-o", "json", verbosity]);
            let temporary = sim.handle.temporary_secrets();
            assert!(!temporary.is_empty(), "{what}: metadata handed out keys");
            let sent = sent_credentials(&server);
            assert!(
                temporary.iter().any(|t| sent.contains(t)),
                "{what}: the temporary token went out with its keys: {sent:?}"
            );
            check(&what, &out, p, &server, &secrets, Style::ApiError);
            assert_clean(&what, &out, &temporary);
        }
    }
}

#[test]
fn a_partial_listing_reports_the_quoting_targets_with_no_secret() {
    let sim = sim();
    let secrets = configured(&sim);
    let mut env: Vec<(String, String)> = Vec::new();
    for p in ProviderId::all() {
        for kv in sim.env(p, Auth::Temporary) {
            if !env.iter().any(|(k, _)| *k == kv.0) {
                env.push(kv);
            }
        }
    }
    let servers: Vec<(ProviderId, Server)> = ProviderId::all()
        .filter(|p| *p != huawei::IMS_ID)
        .map(|p| (p, echo_server(p, Style::ApiError)))
        .collect();
    for (p, server) in &servers {
        env.push((p.endpoint_var(), server.url()));
    }
    env.push((huawei::IMS_ID.endpoint_var(), sim.url()));
    let huawei_project = huawei::sim::project_id("cn-north-4");
    env.push(("HUAWEICLOUD_SDK_PROJECT_ID".into(), huawei_project));
    for verbosity in ["-v", "--debug"] {
        let mut args = vec!["list", "-o", "json", "--retries", "0", verbosity];
        for p in ProviderId::all() {
            args.extend(["-p", p.as_str(), "-r", region(p)]);
        }
        let out = imgcat(&env, &args);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(7), "partial: {err}");
        let images: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", stdout(&out)));
        assert!(!images.is_empty(), "huawei-ims was listed");
        assert!(err.contains("partial listing"), "{err}");
        for (p, server) in &servers {
            let what = format!("partial {verbosity}: {p}");
            let line = err
                .lines()
                .find(|l| l.starts_with(&format!("imgcat: error: {p} (")))
                .unwrap_or_else(|| panic!("{what}: no error line: {err}"));
            assert!(
                line.contains(QUOTE) && line.contains("***"),
                "{what}: {line}"
            );
            let sent = sent_credentials(server);
            assert!(!sent.is_empty(), "{what}: no credential seen on the wire");
            assert_clean(&what, &out, &sent);
            assert_no_part(&what, &out, &sent);
        }
        assert_clean(&format!("partial {verbosity}"), &out, &secrets);
    }
}

#[test]
fn images_quoting_the_request_print_no_secret_in_any_format() {
    let sim = sim();
    let secrets = configured(&sim);
    let p = huawei::IMS_ID;
    let server = Server::start_with(|r| {
        let said = quote(r, true);
        let body = serde_json::json!({
            "images": [{
                "id": "a1b2c3d4-0000-0000-0000-000000000001",
                "name": said,
                "description": said,
                "status": "active",
                "visibility": "public",
                "__os_type": "Linux",
                "__echo": {"request": said},
            }],
        });
        reply("200 OK", "", &body.to_string())
    });
    for (mode, label) in [(Auth::Token, "IAM token"), (Auth::KeysWithProject, "AK/SK")] {
        let env = sim.env(p, mode);
        for format in ["json", "ndjson", "table", "csv", "yaml"] {
            for extra in [&[][..], &["--wide", "--debug"][..]] {
                let what = format!("{label} -o {format} {extra:?}");
                let mut command = vec!["list", "-o", format];
                command.extend_from_slice(extra);
                let out = run(&server, &env, p, &command);
                assert!(out.status.success(), "{what}: {}", stderr(&out));
                let sent = sent_credentials(&server);
                assert!(!sent.is_empty(), "{what}: no credential seen on the wire");
                assert_clean(&what, &out, &secrets);
                assert_clean(&what, &out, &sent);
                assert_no_part(&what, &out, &sent);
                let printed = stdout(&out);
                assert!(printed.contains("a1b2c3d4-0000"), "{what}: {printed}");
                if format == "json" {
                    let images: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout)
                        .unwrap_or_else(|e| panic!("{what}: stdout is not JSON ({e}): {printed}"));
                    let name = images[0]["name"].as_str().unwrap_or_default();
                    let kept = images[0]["extra"]["__echo"]["request"]
                        .as_str()
                        .unwrap_or_default();
                    for text in [name, kept] {
                        assert!(
                            text.starts_with(QUOTE) && text.contains("***"),
                            "{what}: shown, masked: {text}"
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn regions_an_api_lists_quoting_the_request_print_no_secret() {
    let sim = sim();
    let secrets = configured(&sim);
    let p = zenlayer::ID;
    let server = Server::start_with(|r| {
        let said = quote(r, true);
        let body = serde_json::json!({
            "requestId": "echo-rid-0001",
            "response": {"requestId": "echo-rid-0001", "zoneSet": [{"zoneId": said}]},
        });
        reply("200 OK", "", &body.to_string())
    });
    let mut env = sim.env(p, Auth::Token);
    env.push((p.endpoint_var(), server.url()));
    for format in ["json", "table"] {
        let what = format!("regions -o {format}");
        let out = imgcat(&env, ["regions", "-p", p.as_str(), "-o", format]);
        assert!(out.status.success(), "{what}: {}", stderr(&out));
        let sent = sent_credentials(&server);
        assert!(!sent.is_empty(), "{what}: no credential seen on the wire");
        assert_clean(&what, &out, &secrets);
        assert_clean(&what, &out, &sent);
        let printed = stdout(&out);
        assert!(
            printed.contains(QUOTE) && printed.contains("Bearer ***"),
            "{what}: {printed}"
        );
    }
}
