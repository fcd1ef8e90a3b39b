//! Property tests: the proptest twins of the fuzz targets in `fuzz/` (see `docs/FUZZING.md`),
//! small enough to run in every `cargo test`.
//!
//! Every response decoder takes arbitrary answers (any status, any bytes, JSON with the
//! provider's field names and wrong types) without panicking; what it keeps is an image with an
//! id, for the right provider and region; an error is one printable line with an exit code.
//! Every signer builds its canonical form from arbitrary input, and what it signs its `verify`
//! accepts.

use chrono::{DateTime, Utc};
use http::{HeaderMap, HeaderName, HeaderValue};
use imgcat::error::{Error, Target};
use imgcat::http::Answer;
use imgcat::model::{Image, Visibility};
use imgcat::providers::ProviderId;
use imgcat::providers::huawei::sign as huawei;
use imgcat::providers::huawei::{CPH_ID, IMS_ID, WORKSPACE_ID};
use imgcat::providers::huawei::{api_error, decoders};
use imgcat::providers::tencent::TencentLegacy;
use imgcat::providers::tencent::legacy::ID as LEGACY_ID;
use imgcat::providers::tencent::v2 as tencent_v2;
use imgcat::providers::zenlayer::ID as ZENLAYER_ID;
use imgcat::providers::zenlayer::Zenlayer;
use imgcat::providers::zenlayer::sign as zenlayer;
use proptest::prelude::*;
use serde_json::{Map, Value, json};

const CASES: u32 = 256;

const WORDS: &[&str] = &[
    "",
    " ",
    "public",
    "private",
    "shared",
    "gold",
    "market",
    "active",
    "queued",
    "killed",
    "deleted",
    "deactivated",
    "Linux",
    "windows",
    "true",
    "32",
    "64",
    "1",
    "2",
    "-1",
    "18446744073709551616",
    " 42 ",
    "Ubuntu 22.04 server 64bit",
    "CentOS 7.3 64bit",
    "Windows Server 2019",
    "EulerOS 2.5 ARM",
    "Android 12",
    "aarch64",
    "x86_64",
    "2024-01-02T03:04:05Z",
    "2024-01-02 03:04:05",
    "2024-13-45T99:99:99Z",
    "PUBLIC_IMAGE",
    "MARKET_IMAGE",
    "SHARED_IMAGE",
    "CUSTOM_IMAGE",
    "NORMAL",
    "CREATING",
    "FAILED",
    "DELETED",
    "AuthFailure.SignatureFailure",
    "APIGW.0301",
    "SIGNATURE_FAILURE",
    "line one\nline two",
    "\u{1b}[31mred\u{1b}[0m",
    "测试\u{202e}",
];

const IMS: &[&str] = &[
    "id",
    "name",
    "visibility",
    "__imagetype",
    "__os_type",
    "status",
    "__support_arm",
    "__os_bit",
    "__os_version",
    "__platform",
    "__image_size",
    "size",
    "min_disk",
    "min_ram",
    "disk_format",
    "created_at",
    "__description",
];
const WORKSPACE: &[&str] = &[
    "id",
    "name",
    "image_type",
    "os_type",
    "architecture",
    "os_version",
    "min_disk",
    "min_ram",
    "disk_format",
    "created_at",
    "description",
];
const CPH: &[&str] = &["image_id", "image_name", "is_public", "os_name", "os_type"];
const TENCENT: &[&str] = &[
    "ImageId",
    "ImageName",
    "ImageType",
    "ImageStatus",
    "ImageState",
    "ImageOsName",
    "OsName",
    "Platform",
    "ImageSize",
    "ImageCreateTime",
    "CreatedTime",
    "ImageDescription",
];
const ZENLAYER: &[&str] = &[
    "imageId",
    "imageName",
    "imageType",
    "osType",
    "imageStatus",
    "category",
    "imageVersion",
    "imageSize",
    "imageDescription",
];

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::sample::select(WORDS).prop_map(str::to_string),
        "\\PC{0,16}",
        any::<String>(),
    ]
}

fn leaf() -> BoxedStrategy<Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<u64>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        text().prop_map(Value::String),
    ]
    .boxed()
}

fn value() -> BoxedStrategy<Value> {
    leaf()
        .prop_recursive(2, 12, 4, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                proptest::collection::vec(("\\PC{0,6}", inner), 0..4)
                    .prop_map(|kv| Value::Object(kv.into_iter().collect())),
            ]
        })
        .boxed()
}

/// An object with mostly the given field names.
fn object(fields: &'static [&'static str]) -> BoxedStrategy<Map<String, Value>> {
    let key = prop_oneof![
        7 => proptest::sample::select(fields).prop_map(str::to_string),
        1 => "\\PC{0,8}",
    ];
    proptest::collection::vec((key, value()), 0..fields.len() + 2)
        .prop_map(|kv| kv.into_iter().collect())
        .boxed()
}

/// A list of objects (now and then something else in the list, or instead of it).
fn objects(fields: &'static [&'static str]) -> BoxedStrategy<Value> {
    prop_oneof![
        8 => proptest::collection::vec(
            prop_oneof![7 => object(fields).prop_map(Value::Object), 1 => value()],
            0..5
        )
        .prop_map(Value::Array),
        1 => value(),
    ]
    .boxed()
}

fn count() -> BoxedStrategy<Value> {
    prop_oneof![8 => any::<u64>().prop_map(Value::from), 1 => value()].boxed()
}

/// An answer: a status, the request id / Retry-After headers now and then, and a body that is
/// the JSON given, that JSON cut short, or arbitrary bytes.
fn answer(json: BoxedStrategy<Value>) -> impl Strategy<Value = Answer> {
    let status = prop_oneof![
        6 => Just(200u16),
        1 => proptest::sample::select(&[0u16, 201, 204, 400, 401, 403, 404, 429, 500, 503, 999][..]),
        1 => any::<u16>(),
    ];
    let body = prop_oneof![
        6 => json.clone().prop_map(|v| serde_json::to_vec(&v).unwrap_or_default()),
        1 => (json, any::<prop::sample::Index>()).prop_map(|(v, i)| {
            let mut b = serde_json::to_vec(&v).unwrap_or_default();
            let cut = i.index(b.len() + 1);
            b.truncate(cut);
            b
        }),
        1 => proptest::collection::vec(any::<u8>(), 0..64),
    ];
    let headers = proptest::collection::vec(
        (
            proptest::sample::select(
                &["x-request-id", "x-openstack-request-id", "retry-after"][..],
            ),
            proptest::collection::vec(any::<u8>(), 0..16),
        ),
        0..3,
    );
    (status, body, headers).prop_map(|(status, body, hs)| {
        let mut headers = HeaderMap::new();
        for (k, v) in hs {
            if let Ok(v) = HeaderValue::from_bytes(&v) {
                headers.append(HeaderName::from_static(k), v);
            }
        }
        Answer {
            status,
            headers,
            body: body.into(),
        }
    })
}

fn target(provider: ProviderId, region: &str) -> Target {
    Target {
        provider,
        region: region.to_string(),
    }
}

/// The invariants of a decoder's result, and what the CLI does with it.
fn check(t: &Target, result: Result<Vec<Image>, Error>) -> Result<(), TestCaseError> {
    match result {
        Ok(images) => {
            for img in &images {
                prop_assert_eq!(img.provider, t.provider);
                prop_assert_eq!(&img.region, &t.region);
                prop_assert!(!img.id.is_empty());
            }
            prop_assert!(serde_json::to_string(&images).is_ok());
        }
        Err(e) => {
            let msg = e.to_string();
            prop_assert!(
                !msg.chars().any(char::is_control),
                "error message must be one printable line: {:?}",
                msg
            );
            prop_assert!((2..=7).contains(&e.exit_code()), "{}", msg);
        }
    }
    Ok(())
}

fn ims_json() -> BoxedStrategy<Value> {
    (
        objects(IMS),
        prop_oneof![Just(Value::Null), text().prop_map(Value::String), value()],
    )
        .prop_map(|(images, next)| json!({ "images": images, "next": next }))
        .boxed()
}

fn workspace_json() -> BoxedStrategy<Value> {
    (objects(WORKSPACE), count())
        .prop_map(|(images, total)| json!({ "images": images, "total_count": total }))
        .boxed()
}

fn cph_json() -> BoxedStrategy<Value> {
    objects(CPH)
        .prop_map(|images| json!({ "phone_images": images }))
        .boxed()
}

fn huawei_error_json() -> BoxedStrategy<Value> {
    prop_oneof![
        (text(), text(), text()).prop_map(|(c, m, r)| json!({
            "error_code": c, "error_msg": m, "request_id": r
        })),
        (value(), text()).prop_map(|(c, m)| json!({ "error": { "code": c, "message": m } })),
        value(),
    ]
    .boxed()
}

fn tencent_json() -> BoxedStrategy<Value> {
    prop_oneof![
        (objects(TENCENT), count(), text()).prop_map(|(set, total, rid)| json!({
            "Response": { "ImageSet": set, "TotalCount": total, "RequestId": rid }
        })),
        (text(), text(), text()).prop_map(|(c, m, rid)| json!({
            "Response": { "Error": { "Code": c, "Message": m }, "RequestId": rid }
        })),
        (
            prop_oneof![any::<i64>().prop_map(Value::from), value()],
            text(),
            text()
        )
            .prop_map(|(c, m, d)| json!({ "code": c, "message": m, "codeDesc": d })),
        value(),
    ]
    .boxed()
}

fn zenlayer_json() -> BoxedStrategy<Value> {
    prop_oneof![
        (objects(ZENLAYER), count(), text()).prop_map(|(set, total, rid)| json!({
            "requestId": rid, "response": { "dataSet": set, "totalCount": total }
        })),
        (objects(&["zoneId", "zoneName"]), text()).prop_map(|(set, rid)| json!({
            "requestId": rid, "response": { "zoneSet": set }
        })),
        (text(), text(), text())
            .prop_map(|(c, m, rid)| json!({ "requestId": rid, "code": c, "message": m })),
        value(),
    ]
    .boxed()
}

fn time(seconds: u32) -> DateTime<Utc> {
    DateTime::from_timestamp(i64::from(seconds), 0).unwrap_or_default()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: CASES, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn ims_page(a in answer(ims_json())) {
        let t = target(IMS_ID, "cn-north-4");
        let r = decoders::ims_page(&t, a).map(|p| {
            assert!(p.next.as_deref() != Some(""));
            p.items
        });
        check(&t, r)?;
    }

    #[test]
    fn workspace_page(a in answer(workspace_json())) {
        let t = target(WORKSPACE_ID, "cn-north-4");
        check(&t, decoders::workspace_page(&t, a).map(|p| p.items))?;
    }

    #[test]
    fn cph_answer(a in answer(cph_json()), v in proptest::sample::select(Visibility::ALL)) {
        let t = target(CPH_ID, "cn-east-3");
        check(&t, decoders::cph_answer(&t, v, a))?;
    }

    #[test]
    fn huawei_error_body(a in answer(huawei_error_json())) {
        let t = target(IMS_ID, "cn-north-4");
        let rid = a.header("x-request-id").map(str::to_string);
        check(&t, Err(api_error(&t, &a, rid)))?;
    }

    #[test]
    fn tencent_answer(a in answer(tencent_json())) {
        let t = target(LEGACY_ID, "ap-guangzhou");
        check(&t, TencentLegacy::decode(&t, a).map(|p| p.items))?;
    }

    #[test]
    fn zenlayer_answer(a in answer(zenlayer_json())) {
        let t = target(ZENLAYER_ID, "FRA-A");
        check(&t, Zenlayer::decode_images(&t, a.clone()).map(|p| p.items))?;
        let t = target(ZENLAYER_ID, "all");
        match Zenlayer::decode_zones(&t, a) {
            Ok(zones) => prop_assert!(zones.iter().all(|z| !z.is_empty())),
            Err(e) => check(&t, Err(e))?,
        }
    }

    /// The canonical request of any URL and headers, and sign-then-verify.
    #[test]
    fn huawei_canonical_and_round_trip(
        url in prop_oneof![
            "https?://[a-z0-9.-]{1,20}(:[0-9]{1,5})?/\\PC{0,30}",
            "\\PC{0,40}".prop_map(|s| format!("https://ims.example.com/{s}")),
            any::<String>(),
        ],
        method in prop_oneof![Just("GET".to_string()), Just("post".to_string()), "\\PC{0,6}"],
        headers in proptest::collection::vec(
            (prop_oneof![
                Just("Host".to_string()), Just("X-Security-Token".to_string()),
                Just("Content-Type".to_string()), Just("x-sdk-content-sha256".to_string()),
                Just("X-Sdk-Date".to_string()), Just("Authorization".to_string()),
                "[A-Za-z0-9_-]{1,12}", "\\PC{0,8}",
            ], prop_oneof!["[ -~]{0,20}", "\\PC{0,20}", any::<String>()]),
            0..6),
        body in proptest::collection::vec(any::<u8>(), 0..32),
        ak in "[A-Za-z0-9]{1,20}",
        sk in any::<String>(),
        seconds in any::<u32>(),
    ) {
        let Ok(u) = url::Url::parse(&url) else { return Ok(()) };
        let now = time(seconds);
        let hs: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let c = huawei::canonical_request(&method, &u, &hs, &body, now);
        prop_assert!(c.signed_headers.split(';').any(|h| h == "host"));

        // What can go on the wire: a valid method, valid headers, one value per name.
        let method = method.to_ascii_uppercase();
        if http::Method::from_bytes(method.as_bytes()).is_err() {
            return Ok(());
        }
        let mut map = HeaderMap::new();
        let mut sent: Vec<(&str, &str)> = Vec::new();
        for (k, v) in &headers {
            if matches!(k.to_ascii_lowercase().as_str(), "x-sdk-date" | "authorization") {
                continue;
            }
            let (Ok(name), Ok(value)) = (HeaderName::from_bytes(k.as_bytes()), HeaderValue::from_str(v)) else {
                continue;
            };
            if map.contains_key(&name) {
                continue;
            }
            map.insert(name, value);
            sent.push((k, v));
        }
        if !map.contains_key("host") {
            let Ok(h) = HeaderValue::from_str(&huawei::host_header(&u)) else { return Ok(()) };
            map.insert("host", h);
        }
        let s = huawei::sign(&method, &u, &sent, &body, &ak, &sk, now);
        map.insert("x-sdk-date", HeaderValue::from_str(&s.x_sdk_date).map_err(|e| TestCaseError::fail(e.to_string()))?);
        let Ok(auth) = HeaderValue::from_str(&s.authorization) else { return Ok(()) };
        map.insert("authorization", auth);
        let lookup = |a: &str| (a == ak).then(|| sk.clone());
        prop_assert_eq!(
            huawei::verify(&method, u.path(), u.query(), &map, &body, &lookup, now),
            Ok(ak.clone())
        );
    }

    /// The string to sign of any parameters, and sign-then-verify with both methods.
    #[test]
    fn tencent_string_to_sign_and_round_trip(
        method in prop_oneof![Just("GET".to_string()), Just("POST".to_string()), "\\PC{0,6}"],
        host in "\\PC{0,20}",
        path in "\\PC{0,20}",
        params in proptest::collection::vec((
            prop_oneof![Just("Token".to_string()), Just("A_b".to_string()), Just("A.b".to_string()), "\\PC{0,10}", any::<String>()],
            prop_oneof![Just("@file".to_string()), "\\PC{0,20}", any::<String>()],
        ), 0..8),
        secret_id in any::<String>(),
        key in any::<String>(),
        sha1 in any::<bool>(),
    ) {
        let s = tencent_v2::string_to_sign(&method, &host, &path, &params);
        prop_assert!(s.contains('?'));
        let m = if sha1 { tencent_v2::SignatureMethod::HmacSha1 } else { tencent_v2::SignatureMethod::HmacSha256 };
        let mut all: Vec<(String, String)> = params
            .into_iter()
            .filter(|(k, _)| !matches!(k.as_str(), "Signature" | "SecretId" | "SignatureMethod"))
            .collect();
        all.push(("SecretId".into(), secret_id.clone()));
        all.push(("SignatureMethod".into(), m.as_str().into()));
        let sig = tencent_v2::signature(&method, &host, &path, &all, &key, m);
        all.push(("Signature".into(), sig));
        let lookup = |s: &str| (s == secret_id).then(|| key.clone());
        prop_assert_eq!(tencent_v2::verify(&method, &host, &path, &all, &lookup), Ok(secret_id.clone()));
    }

    /// Sign-then-verify with any host, body and password; `verify` of a tampered body fails.
    #[test]
    fn zenlayer_round_trip(
        host in "\\PC{0,30}",
        body in proptest::collection::vec(any::<u8>(), 0..64),
        id in "[A-Za-z0-9-]{1,20}",
        password in any::<String>(),
        ts in any::<i64>(),
    ) {
        let s = zenlayer::sign(&host, &body, &id, &password, ts);
        let mut h = HeaderMap::new();
        h.insert("content-type", HeaderValue::from_static(zenlayer::CONTENT_TYPE));
        for (k, v) in [
            ("x-zc-timestamp", &s.timestamp),
            ("x-zc-signature-method", &s.signature_method),
            ("authorization", &s.authorization),
        ] {
            h.insert(k, HeaderValue::from_str(v).map_err(|e| TestCaseError::fail(e.to_string()))?);
        }
        let lookup = |c: &str| (c == id).then(|| password.clone());
        prop_assert_eq!(zenlayer::verify(&host, &h, &body, &lookup), Ok(id.clone()));
        let mut other = body.clone();
        other.push(b' ');
        prop_assert_eq!(zenlayer::verify(&host, &h, &other, &lookup), Err(imgcat::sign::VerifyError::Mismatch));
    }
}

/// Found by the `ims_page` fuzz target: what a provider sends (message, code, request id) was
/// printed as is, so a newline split the one-line error and an escape sequence reached the
/// terminal.
#[test]
fn provider_text_in_errors_is_one_printable_line() {
    let t = target(LEGACY_ID, "ap-guangzhou");
    let body = json!({ "Response": {
        "Error": { "Code": "AuthFailure\n", "Message": "bad\nsecond line \u{1b}[31mred" },
        "RequestId": "r-1\r\n",
    }});
    let a = Answer {
        status: 200,
        headers: HeaderMap::new(),
        body: serde_json::to_vec(&body).unwrap_or_default().into(),
    };
    let e = TencentLegacy::decode(&t, a).err().map(|e| e.to_string());
    let msg = e.unwrap_or_default();
    assert!(!msg.chars().any(char::is_control), "{msg:?}");
    assert!(msg.contains("bad\\nsecond line \\u{1b}[31mred"), "{msg}");
    assert!(msg.contains("request id r-1\\r\\n"), "{msg}");
}
