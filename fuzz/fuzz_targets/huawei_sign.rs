//! Huawei SDK-HMAC-SHA256: the canonical request of an arbitrary URL and headers, `verify` of
//! arbitrary requests, and sign-then-verify round trips.
#![no_main]

use arbitrary::Arbitrary;
use chrono::{DateTime, Utc};
use http::{HeaderMap, HeaderName, HeaderValue};
use imgcat::providers::huawei::sign as huawei;
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Input {
    method: String,
    url: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    seconds: u32,
    ak: String,
    sk: String,
    /// For `verify` of an arbitrary request.
    path: String,
    raw_query: Option<String>,
    raw_headers: Vec<(Vec<u8>, Vec<u8>)>,
    auth: Option<(String, String, String)>,
    skew: i32,
}

fn time(seconds: u32) -> DateTime<Utc> {
    // 1970 .. 2106: X-Sdk-Date keeps 4-digit years.
    DateTime::from_timestamp(i64::from(seconds), 0).unwrap_or_default()
}

fn url(s: &str) -> Option<url::Url> {
    url::Url::parse(s)
        .or_else(|_| url::Url::parse(&format!("https://ims.example.com/{s}")))
        .ok()
}

fuzz_target!(|inp: Input| {
    let now = time(inp.seconds);
    let headers: Vec<(&str, &str)> = inp
        .headers
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();

    // 1. Canonical request and signature of arbitrary input.
    if let Some(u) = url(&inp.url) {
        let c = huawei::canonical_request(&inp.method, &u, &headers, &inp.body, now);
        assert!(c.signed_headers.split(';').any(|h| h == "host"));
        assert!(c.signed_headers.split(';').any(|h| h == "x-sdk-date"));
        let _ = huawei::string_to_sign(&c.text, &huawei::format_date(now));
        let _ = huawei::sign(&inp.method, &u, &headers, &inp.body, &inp.ak, &inp.sk, now);

        // 2. Round trip: what `sign` signs, `verify` accepts, when it can be sent at all.
        round_trip(&inp, &u, now);
    }

    // 3. Verify of an arbitrary request.
    let mut map = HeaderMap::new();
    for (k, v) in &inp.raw_headers {
        if let (Ok(k), Ok(v)) = (HeaderName::from_bytes(k), HeaderValue::from_bytes(v)) {
            map.append(k, v);
        }
    }
    if let Some((access, signed, sig)) = &inp.auth {
        let a = format!("SDK-HMAC-SHA256 Access={access}, SignedHeaders={signed}, Signature={sig}");
        if let Ok(v) = HeaderValue::from_str(&a) {
            map.insert("authorization", v);
        }
        if let Ok(v) = HeaderValue::from_str(&huawei::format_date(now)) {
            map.insert("x-sdk-date", v);
        }
    }
    let sk = inp.sk.clone();
    let lookup = move |_: &str| Some(sk.clone());
    let server_now = now + chrono::TimeDelta::seconds(i64::from(inp.skew));
    let _ = huawei::verify(
        &inp.method,
        &inp.path,
        inp.raw_query.as_deref(),
        &map,
        &inp.body,
        &lookup,
        server_now,
    );
});

fn round_trip(inp: &Input, u: &url::Url, now: DateTime<Utc>) {
    // An access key the Authorization syntax can carry.
    if inp.ak.is_empty() || !inp.ak.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return;
    }
    let method = inp.method.to_ascii_uppercase();
    if http::Method::from_bytes(method.as_bytes()).is_err() {
        return;
    }
    // The headers as they go on the wire: valid, one value per name, `Host` as sent.
    let mut map = HeaderMap::new();
    let mut sent: Vec<(&str, &str)> = Vec::new();
    for (k, v) in &inp.headers {
        let lower = k.to_ascii_lowercase();
        if matches!(lower.as_str(), "x-sdk-date" | "authorization") {
            continue;
        }
        let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(k.as_bytes()),
            HeaderValue::from_str(v),
        ) else {
            continue;
        };
        if map.contains_key(&name) {
            continue;
        }
        map.insert(name, value);
        sent.push((k.as_str(), v.as_str()));
    }
    if !map.contains_key("host") {
        let Ok(h) = HeaderValue::from_str(&huawei::host_header(u)) else {
            return;
        };
        map.insert("host", h);
    }
    let signed = huawei::sign(&method, u, &sent, &inp.body, &inp.ak, &inp.sk, now);
    let (Ok(date), Ok(auth)) = (
        HeaderValue::from_str(&signed.x_sdk_date),
        HeaderValue::from_str(&signed.authorization),
    ) else {
        return;
    };
    map.insert("x-sdk-date", date);
    map.insert("authorization", auth);
    let sk = inp.sk.clone();
    let ak = inp.ak.clone();
    let lookup = move |a: &str| (a == ak).then(|| sk.clone());
    let got = huawei::verify(&method, u.path(), u.query(), &map, &inp.body, &lookup, now);
    assert_eq!(
        got,
        Ok(inp.ak.clone()),
        "round trip failed for {u} {sent:?}"
    );
}
