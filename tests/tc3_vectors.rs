//! The TC3-HMAC-SHA256 signer and the JSON body writer reproduce, byte for byte, what
//! tencentcloud-sdk-python-cvm sends; the simulator's verifier accepts exactly that.
//!
//! `tests/fixtures/tc3_vectors.json` is written by `scripts/gen_vectors.py`, which drives the
//! SDK's own `CvmClient.DescribeImages` / `DescribeRegions` with a fixed clock and captures the
//! request it would send.

use chrono::DateTime;
use imgcat::providers::tencent::{sdk_json, tc3};
use imgcat::sign::VerifyError;
use proptest::prelude::*;
use serde_json::Value;

fn cases() -> Vec<Value> {
    let path = format!(
        "{}/tests/fixtures/tc3_vectors.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {path}: {e}"));
    let doc: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("parse {path}: {e}"));
    let cases = doc["cases"].as_array().cloned().unwrap_or_default();
    assert!(cases.len() >= 8, "{path}: {} cases", cases.len());
    cases
}

fn s<'a>(case: &'a Value, key: &str) -> &'a str {
    case[key]
        .as_str()
        .unwrap_or_else(|| panic!("case {}: {key} is not a string", case["name"]))
}

fn sent_headers(case: &Value) -> http::HeaderMap {
    let mut h = http::HeaderMap::new();
    for (k, v) in case["sent_headers"].as_object().into_iter().flatten() {
        let name = http::HeaderName::from_bytes(k.as_bytes())
            .unwrap_or_else(|e| panic!("case {}: header {k}: {e}", case["name"]));
        let value = http::HeaderValue::from_str(v.as_str().unwrap_or_default())
            .unwrap_or_else(|e| panic!("case {}: header {k}: {e}", case["name"]));
        h.insert(name, value);
    }
    h
}

/// Records a difference between our value and the SDK's.
fn fail(failures: &mut Vec<String>, case: &str, what: &str, ours: &str, sdk: &str) {
    if ours != sdk {
        failures.push(format!(
            "case {case}: {what}\n  ours: {ours:?}\n  sdk:  {sdk:?}"
        ));
    }
}

#[test]
fn tc3_matches_the_sdk_byte_for_byte() {
    let cases = cases();
    let mut failures = Vec::new();
    for case in &cases {
        let name = s(case, "name");
        let exp = &case["expected"];
        // The body: the request's parameters written as the SDK's json.dumps writes them.
        let body = sdk_json::to_vec(&case["params"])
            .unwrap_or_else(|e| panic!("case {name}: encode: {e}"));
        let body_text = String::from_utf8_lossy(&body);
        fail(&mut failures, name, "body", &body_text, s(case, "body"));

        let time = DateTime::from_timestamp(case["timestamp"].as_i64().unwrap_or_default(), 0)
            .unwrap_or_else(|| panic!("case {name}: timestamp"));
        let req = tc3::SignableRequest {
            method: s(case, "method"),
            host: s(case, "host"),
            canonical_uri: "/",
            query: "",
            content_type: s(case, "content_type"),
            payload: s(case, "body").as_bytes(),
        };
        let canonical = tc3::canonical_request(
            &req,
            tc3::SIGNED_HEADERS,
            &tc3::payload_hash(req.payload, false),
        );
        fail(
            &mut failures,
            name,
            "canonical request",
            &canonical,
            s(exp, "canonical_request"),
        );
        let scope = tc3::credential_scope(&tc3::date_of(time), s(case, "service"));
        let sts = tc3::string_to_sign(s(exp, "timestamp"), &scope, &canonical);
        fail(
            &mut failures,
            name,
            "string to sign",
            &sts,
            s(exp, "string_to_sign"),
        );

        let action = tc3::Action {
            service: s(case, "service"),
            action: s(case, "action"),
            version: s(case, "version"),
            region: case["region"].as_str(),
        };
        let creds = tc3::Credentials {
            secret_id: s(case, "secret_id"),
            secret_key: s(case, "secret_key"),
            token: case["token"].as_str(),
        };
        let signed = tc3::sign(&req, &action, &creds, time);
        // Every header we send is the SDK's, with the SDK's value; every header the SDK sends
        // (but its trace id, client name and language, which carry no request content) is ours.
        let sdk_sent = case["sent_headers"]
            .as_object()
            .cloned()
            .unwrap_or_default();
        for (k, v) in &signed.headers {
            fail(
                &mut failures,
                name,
                k,
                v,
                sdk_sent
                    .get(*k)
                    .and_then(Value::as_str)
                    .unwrap_or("<absent>"),
            );
        }
        for k in sdk_sent.keys() {
            if signed.get(k).is_none() {
                failures.push(format!("case {name}: the SDK sends {k}, we do not"));
            }
        }
        fail(
            &mut failures,
            name,
            "Authorization",
            signed.get("Authorization").unwrap_or_default(),
            s(exp, "authorization"),
        );

        // The simulator's verifier accepts the SDK's request exactly as sent.
        let (id, key) = (
            s(case, "secret_id").to_owned(),
            s(case, "secret_key").to_owned(),
        );
        let verified = tc3::verify(
            s(case, "method"),
            "/",
            "",
            &sent_headers(case),
            s(case, "body").as_bytes(),
            s(case, "service"),
            &|k| (k == id).then(|| key.clone()),
            time,
        );
        if verified.as_ref().map(|v| v.secret_id.as_str()) != Ok(id.as_str()) {
            failures.push(format!(
                "case {name}: verify of the SDK's request gave {verified:?}"
            ));
        }
        // ... and refuses it with another key.
        let wrong = tc3::verify(
            s(case, "method"),
            "/",
            "",
            &sent_headers(case),
            s(case, "body").as_bytes(),
            s(case, "service"),
            &|_| Some("another key".to_owned()),
            time,
        );
        if wrong != Err(VerifyError::Mismatch) {
            failures.push(format!("case {name}: a wrong key gave {wrong:?}"));
        }
    }
    assert!(
        failures.is_empty(),
        "tc3_vectors.json: {} failure(s) in {} cases\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn the_vectors_cover_the_hard_cases() {
    let cases = cases();
    let bodies: Vec<&str> = cases.iter().map(|c| s(c, "body")).collect();
    assert!(
        bodies
            .iter()
            .any(|b| b.contains("\\u6d4b\\u8bd5") && b.contains(' ')),
        "non-ASCII and spaces"
    );
    assert!(
        bodies.iter().any(|b| b.contains("\"Filters\": []")),
        "empty Filters"
    );
    assert!(
        cases
            .iter()
            .any(|c| c["token"].is_string() && c["sent_headers"]["X-TC-Token"] == c["token"]),
        "a session token"
    );
    assert!(
        cases.iter().any(|c| s(c, "host") == "127.0.0.1:8080"),
        "a port in the host"
    );
    assert!(
        cases.iter().any(|c| c["region"].is_null())
            && cases.iter().any(|c| c["region"].is_string()),
        "with and without X-TC-Region"
    );
}

proptest! {
    /// `verify` never panics, whatever a client sends.
    #[test]
    fn verify_never_panics(
        auth in prop_oneof![
            Just("TC3-HMAC-SHA256 Credential=AKID/2024-01-02/cvm/tc3_request, SignedHeaders=content-type;host, Signature=00".to_owned()),
            Just("TC3-HMAC-SHA256 Credential=/, SignedHeaders=;, Signature=".to_owned()),
            "TC3-HMAC-SHA256 \\PC{0,60}",
            "\\PC{0,40}",
        ],
        ts in prop_oneof![Just("1704164645".to_owned()), "-?[0-9]{0,20}", "\\PC{0,8}"],
        host in "\\PC{0,20}",
        extra in proptest::collection::vec(("[a-z-]{1,12}", "[ -~]{0,20}"), 0..4),
        body in proptest::collection::vec(any::<u8>(), 0..40),
        method in "\\PC{0,6}",
        query in "\\PC{0,20}",
    ) {
        let mut h = http::HeaderMap::new();
        for (k, v) in [("authorization", &auth), ("x-tc-timestamp", &ts), ("host", &host)] {
            if let Ok(v) = http::HeaderValue::from_str(v) {
                h.insert(k, v);
            }
        }
        for (k, v) in &extra {
            if let (Ok(k), Ok(v)) = (http::HeaderName::from_bytes(k.as_bytes()), http::HeaderValue::from_str(v)) {
                h.append(k, v);
            }
        }
        let now = DateTime::from_timestamp(1_704_164_645, 0).unwrap_or_default();
        let _ = tc3::verify(&method, "/", &query, &h, &body, "cvm", &|_| Some("k".into()), now);
    }
}
