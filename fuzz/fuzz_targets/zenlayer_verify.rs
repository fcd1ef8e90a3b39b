//! Zenlayer ZC2-HMAC-SHA256: `verify` with arbitrary headers, and sign-then-verify round trips.
#![no_main]

use arbitrary::Arbitrary;
use http::{HeaderMap, HeaderName, HeaderValue};
use imgcat::providers::zenlayer::sign as zenlayer;
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Input {
    host: String,
    body: Vec<u8>,
    id: String,
    password: String,
    timestamp: i64,
    raw_headers: Vec<(Vec<u8>, Vec<u8>)>,
    auth: Option<(String, String, String)>,
    method_header: bool,
}

fuzz_target!(|inp: Input| {
    let _ = zenlayer::canonical_request(&inp.host, zenlayer::CONTENT_TYPE, &inp.body);

    // Round trip, with an id the Authorization syntax can carry.
    let signed = zenlayer::sign(&inp.host, &inp.body, &inp.id, &inp.password, inp.timestamp);
    if !inp.id.is_empty()
        && inp
            .id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
    {
        let mut h = HeaderMap::new();
        h.insert(
            "content-type",
            HeaderValue::from_static(zenlayer::CONTENT_TYPE),
        );
        for (k, v) in [
            ("x-zc-timestamp", &signed.timestamp),
            ("x-zc-signature-method", &signed.signature_method),
            ("authorization", &signed.authorization),
        ] {
            if let Ok(v) = HeaderValue::from_str(v) {
                h.insert(k, v);
            }
        }
        let (id, pw) = (inp.id.clone(), inp.password.clone());
        let lookup = move |s: &str| (s == id).then(|| pw.clone());
        assert_eq!(
            zenlayer::verify(&inp.host, &h, &inp.body, &lookup),
            Ok(inp.id.clone())
        );
    }

    // Arbitrary headers.
    let mut h = HeaderMap::new();
    for (k, v) in &inp.raw_headers {
        if let (Ok(k), Ok(v)) = (HeaderName::from_bytes(k), HeaderValue::from_bytes(v)) {
            h.append(k, v);
        }
    }
    if let Some((c, s, sig)) = &inp.auth {
        let a = format!("ZC2-HMAC-SHA256 Credential={c}, SignedHeaders={s}, Signature={sig}");
        if let Ok(v) = HeaderValue::from_str(&a) {
            h.insert("authorization", v);
        }
    }
    if inp.method_header {
        h.insert(
            "x-zc-signature-method",
            HeaderValue::from_static(zenlayer::ALGORITHM),
        );
    }
    let pw = inp.password.clone();
    let lookup = move |_: &str| Some(pw.clone());
    let _ = zenlayer::verify(&inp.host, &h, &inp.body, &lookup);
});
