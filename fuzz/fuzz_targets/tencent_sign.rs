//! Tencent API 2.0: string to sign and `verify` of arbitrary parameters, and sign-then-verify
//! round trips with both signature methods.
#![no_main]

use arbitrary::Arbitrary;
use imgcat::providers::tencent::v2::{self as tencent_v2, SignatureMethod};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Input {
    post: bool,
    method: String,
    host: String,
    path: String,
    params: Vec<(String, String)>,
    key: String,
    secret_id: String,
    sha1: bool,
    /// Extra parameters for `verify` of an arbitrary request.
    extra: Vec<(u8, String)>,
}

const NAMES: &[&str] = &[
    "Signature",
    "SecretId",
    "SignatureMethod",
    "Token",
    "Timestamp",
];

fuzz_target!(|inp: Input| {
    let method = if inp.post {
        "POST"
    } else {
        inp.method.as_str()
    };
    let s = tencent_v2::string_to_sign(method, &inp.host, &inp.path, &inp.params);
    assert!(s.contains('?'));

    // Round trip.
    let m = if inp.sha1 {
        SignatureMethod::HmacSha1
    } else {
        SignatureMethod::HmacSha256
    };
    let mut params: Vec<(String, String)> = inp
        .params
        .iter()
        .filter(|(k, _)| !matches!(k.as_str(), "Signature" | "SecretId" | "SignatureMethod"))
        .cloned()
        .collect();
    params.push(("SecretId".into(), inp.secret_id.clone()));
    params.push(("SignatureMethod".into(), m.as_str().into()));
    let sig = tencent_v2::signature(method, &inp.host, &inp.path, &params, &inp.key, m);
    params.push(("Signature".into(), sig));
    let (id, key) = (inp.secret_id.clone(), inp.key.clone());
    let lookup = move |s: &str| (s == id).then(|| key.clone());
    assert_eq!(
        tencent_v2::verify(method, &inp.host, &inp.path, &params, &lookup),
        Ok(inp.secret_id.clone())
    );

    // Arbitrary parameters, with the signature parameters among them now and then.
    let mut params = inp.params.clone();
    for (which, v) in &inp.extra {
        params.push((
            NAMES[usize::from(*which) % NAMES.len()].to_string(),
            v.clone(),
        ));
    }
    let key = inp.key.clone();
    let lookup = move |_: &str| Some(key.clone());
    let _ = tencent_v2::verify(method, &inp.host, &inp.path, &params, &lookup);
});
