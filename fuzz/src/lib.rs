//! Input builders shared by the fuzz targets.
//!
//! A decoder target turns the fuzzer's bytes into an HTTP [`Answer`]: a status (mostly 200),
//! a few headers, and a body that is either the raw remaining bytes (so JSON seeds mutate
//! freely) or a JSON document generated from the bytes with the provider's own field names and
//! values (so the `to_image` mappers see well-formed objects with odd values).
//!
//! Layout of the bytes: `[status] [mode] [header flags] rest...`; `mode` even = raw body.
//! A seed is therefore `b"\x00\x00\x00"` followed by a JSON answer.

use arbitrary::{Result, Unstructured};
use http::{HeaderMap, HeaderName, HeaderValue};
use imgcat::error::{Error, Target};
use imgcat::http::Answer;
use imgcat::model::Image;
use imgcat::providers::ProviderId;
use serde_json::{Map, Value};

/// Values the mappers match on, plus edge cases; a generated string is one of these half the time.
pub const WORDS: &[&str] = &[
    "",
    " ",
    "public",
    "private",
    "shared",
    "share",
    "gold",
    "market",
    "active",
    "queued",
    "saving",
    "killed",
    "deleted",
    "pending_delete",
    "deactivated",
    "Linux",
    "linux",
    "Windows",
    "WINDOWS",
    "Android",
    "true",
    "false",
    "32",
    "64",
    "0",
    "1",
    "2",
    "-1",
    "18446744073709551615",
    "18446744073709551616",
    "1e400",
    " 42 ",
    "Ubuntu 22.04 server 64bit",
    "CentOS 7.3 64bit",
    "Windows Server 2019 Datacenter",
    "EulerOS 2.5 ARM",
    "Debian GNU/Linux 12 (bookworm) aarch64",
    "Android 12",
    "aosp",
    "x86",
    "x86_64",
    "amd64",
    "arm",
    "arm64",
    "aarch64",
    "i386",
    "2024-01-02T03:04:05Z",
    "2024-01-02T03:04:05+08:00",
    "2024-01-02 03:04:05",
    "9999-12-31T23:59:59Z",
    "2024-13-45T99:99:99Z",
    "PUBLIC_IMAGE",
    "MARKET_IMAGE",
    "SHARED_IMAGE",
    "PRIVATE_IMAGE",
    "CUSTOM_IMAGE",
    "NORMAL",
    "AVAILABLE",
    "CREATING",
    "IMPORTING",
    "SYNCING",
    "CREATEFAILED",
    "IMPORTFAILED",
    "FAILED",
    "CREATE_FAILED",
    "USING",
    "UNAVAILABLE",
    "DELETED",
    "DELETING",
    "AuthFailure.SignatureFailure",
    "APIGW.0301",
    "SIGNATURE_FAILURE",
    "RequestLimitExceeded",
    "InternalError",
    "/v2/images?marker=abc&limit=1000",
    "http://[::1",
    "\u{0}",
    "\u{202e}\u{1f600}测试",
];

/// `IMS` image fields.
pub const IMS_FIELDS: &[&str] = &[
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

/// Workspace image fields.
pub const WORKSPACE_FIELDS: &[&str] = &[
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

/// CPH phone image fields.
pub const CPH_FIELDS: &[&str] = &["image_id", "image_name", "is_public", "os_name", "os_type"];

/// Tencent `ImageSet` fields.
pub const TENCENT_FIELDS: &[&str] = &[
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
    "Architecture",
    "ImageDeprecated",
    "ImageCreator",
    "ImageSource",
];

/// Zenlayer `dataSet` fields.
pub const ZENLAYER_FIELDS: &[&str] = &[
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

/// Envelope and error fields of every provider.
pub const ENVELOPE_FIELDS: &[&str] = &[
    "images",
    "next",
    "total_count",
    "phone_images",
    "error_code",
    "error_msg",
    "request_id",
    "error",
    "code",
    "message",
    "Response",
    "Error",
    "Code",
    "Message",
    "ImageSet",
    "TotalCount",
    "RequestId",
    "RequestID",
    "codeDesc",
    "requestId",
    "response",
    "dataSet",
    "zoneSet",
    "totalCount",
    "zoneId",
];

/// A string: a known word, or arbitrary text.
pub fn string(u: &mut Unstructured) -> Result<String> {
    if u.arbitrary::<bool>()? {
        Ok((*u.choose(WORDS)?).to_string())
    } else {
        u.arbitrary()
    }
}

/// A JSON value; nested arrays and objects while `depth` lasts.
pub fn value(u: &mut Unstructured, fields: &[&str], depth: u8) -> Result<Value> {
    let kinds = if depth == 0 { 6 } else { 8 };
    Ok(match u.int_in_range(0..=kinds - 1)? {
        0 => Value::Null,
        1 => Value::Bool(u.arbitrary()?),
        2 => Value::from(u.arbitrary::<u64>()?),
        3 => Value::from(u.arbitrary::<i64>()?),
        4 => serde_json::Number::from_f64(u.arbitrary()?).map_or(Value::Null, Value::Number),
        5 => Value::String(string(u)?),
        6 => {
            let n = u.int_in_range(0..=4)?;
            let mut v = Vec::with_capacity(n);
            for _ in 0..n {
                v.push(value(u, fields, depth - 1)?);
            }
            Value::Array(v)
        }
        _ => Value::Object(object(u, fields, depth - 1)?),
    })
}

/// A JSON object whose keys are mostly from `fields`.
pub fn object(u: &mut Unstructured, fields: &[&str], depth: u8) -> Result<Map<String, Value>> {
    let mut m = Map::new();
    let n = u.int_in_range(0..=fields.len().max(1) + 2)?;
    for _ in 0..n {
        let key = if u.ratio(7, 8)? {
            (*u.choose(fields)?).to_string()
        } else {
            u.arbitrary()?
        };
        m.insert(key, value(u, fields, depth)?);
    }
    Ok(m)
}

/// A list of objects with `fields` (the image list of a page).
pub fn objects(u: &mut Unstructured, fields: &[&str]) -> Result<Value> {
    let n = u.int_in_range(0..=6)?;
    let mut v = Vec::with_capacity(n);
    for _ in 0..n {
        if u.ratio(1, 8)? {
            v.push(value(u, fields, 1)?);
        } else {
            v.push(Value::Object(object(u, fields, 1)?));
        }
    }
    Ok(Value::Array(v))
}

/// Mostly `good`, sometimes any value (a wrong type where a field is expected).
pub fn or_any(u: &mut Unstructured, good: Value) -> Result<Value> {
    if u.ratio(7, 8)? {
        Ok(good)
    } else {
        value(u, ENVELOPE_FIELDS, 1)
    }
}

/// Builds an [`Answer`]; `json` makes the structured body when the mode asks for one.
pub fn answer(
    u: &mut Unstructured,
    json: impl FnOnce(&mut Unstructured) -> Result<Value>,
) -> Result<Answer> {
    let status = match u.arbitrary::<u8>()? {
        0..=191 => 200,
        s => [
            0, 100, 201, 204, 299, 300, 400, 401, 403, 404, 429, 500, 502, 503, 504, 999, 65535,
        ][usize::from(s) % 17],
    };
    let mode = u.arbitrary::<u8>()?;
    let flags = u.arbitrary::<u8>()?;
    let mut headers = HeaderMap::new();
    let raw = mode % 2 == 0;
    for (bit, name, fixed) in [
        (1u8, "x-request-id", "req-fuzz-1"),
        (2, "x-openstack-request-id", "req-fuzz-2"),
        (4, "retry-after", "7"),
        (8, "retry-after", "Wed, 21 Oct 2015 07:28:00 GMT"),
    ] {
        if flags & bit == 0 {
            continue;
        }
        let v = if raw {
            HeaderValue::from_static(fixed)
        } else {
            match HeaderValue::from_bytes(&u.arbitrary::<Vec<u8>>()?) {
                Ok(v) => v,
                Err(_) => continue,
            }
        };
        headers.append(HeaderName::from_static(name), v);
    }
    let body = if raw {
        let n = u.len();
        u.bytes(n)?.to_vec()
    } else {
        let doc = json(u)?;
        let mut bytes = serde_json::to_vec(&doc).unwrap_or_default();
        // Sometimes cut short, as a dropped connection would.
        if mode % 4 == 3 && !bytes.is_empty() {
            let cut = u.int_in_range(0..=bytes.len() - 1)?;
            bytes.truncate(cut);
        }
        bytes
    };
    Ok(Answer {
        status,
        headers,
        body: body.into(),
    })
}

/// The target the decoders are called for.
pub fn target(provider: ProviderId, region: &str) -> Target {
    Target {
        provider,
        region: region.to_string(),
    }
}

/// What the CLI does with a decoder's result: checks the images, renders them as JSON, prints
/// the error and its exit code. Panics on a broken invariant.
pub fn consume(target: &Target, result: std::result::Result<Vec<Image>, Error>) {
    match result {
        Ok(images) => {
            for img in &images {
                assert_eq!(img.provider, target.provider);
                assert_eq!(img.region, target.region);
                assert!(!img.id.is_empty(), "an image without id was kept");
            }
            let _ = serde_json::to_string(&images);
        }
        Err(e) => {
            let msg = e.to_string();
            // The CLI prints it after `imgcat: error: `: one line, no terminal control codes.
            assert!(
                !msg.chars().any(char::is_control),
                "error message with control characters: {msg:?}"
            );
            let code = e.exit_code();
            assert!((2..=7).contains(&code), "exit code {code} for {msg}");
            let _ = e.is_transient();
            let _ = e.retry_after();
        }
    }
}
