//! Tencent TC3-HMAC-SHA256: `verify` with arbitrary headers and bodies, and sign-then-verify
//! round trips.
#![no_main]

use arbitrary::Arbitrary;
use chrono::DateTime;
use http::{HeaderMap, HeaderName, HeaderValue};
use imgcat::providers::tencent::tc3;
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Input {
    host: String,
    body: Vec<u8>,
    id: String,
    key: String,
    token: Option<String>,
    region: Option<String>,
    timestamp: u32,
    raw_headers: Vec<(Vec<u8>, Vec<u8>)>,
    auth: Option<String>,
}

fuzz_target!(|inp: Input| {
    let Some(time) = DateTime::from_timestamp(i64::from(inp.timestamp), 0) else {
        return;
    };
    let req = tc3::SignableRequest {
        method: "POST",
        host: &inp.host,
        canonical_uri: "/",
        query: "",
        content_type: tc3::CONTENT_TYPE_JSON,
        payload: &inp.body,
    };
    let action = tc3::Action {
        service: "cvm",
        action: "DescribeImages",
        version: "2017-03-12",
        region: inp.region.as_deref(),
    };
    let creds = tc3::Credentials {
        secret_id: &inp.id,
        secret_key: &inp.key,
        token: inp.token.as_deref(),
    };
    let signed = tc3::sign(&req, &action, &creds, time);
    // Round trip: what sign made, verify accepts (when every value can be a header).
    let mut h = HeaderMap::new();
    let mut sendable = !inp.id.is_empty()
        && inp.id.bytes().all(|b| b.is_ascii_alphanumeric())
        && inp.host.bytes().all(|b| b.is_ascii_graphic() && !b.is_ascii_uppercase());
    for (k, v) in &signed.headers {
        match (HeaderName::from_bytes(k.as_bytes()), HeaderValue::from_str(v)) {
            (Ok(k), Ok(v)) => {
                h.insert(k, v);
            }
            _ => sendable = false,
        }
    }
    let (id, key) = (inp.id.clone(), inp.key.clone());
    let lookup = move |s: &str| (s == id).then(|| key.clone());
    let got = tc3::verify("POST", "/", "", &h, &inp.body, "cvm", &lookup, time);
    if sendable && inp.host.trim() == inp.host && !inp.host.is_empty() {
        assert!(got.is_ok(), "{got:?}");
    }
    // Arbitrary headers.
    let mut h = HeaderMap::new();
    for (k, v) in &inp.raw_headers {
        if let (Ok(k), Ok(v)) = (HeaderName::from_bytes(k), HeaderValue::from_bytes(v)) {
            h.append(k, v);
        }
    }
    if let Some(a) = &inp.auth
        && let Ok(v) = HeaderValue::from_str(a)
    {
        h.insert("authorization", v);
    }
    let key = inp.key.clone();
    let lookup = move |_: &str| Some(key.clone());
    let _ = tc3::verify("POST", "/", "", &h, &inp.body, "cvm", &lookup, time);
});
