//! Huawei error bodies (`error_code`/`error_msg`, Glance's `error{code,message}`, anything).
#![no_main]

use imgcat::providers::huawei;
use imgcat::providers::huawei::api_error;
use imgcat_fuzz::{ENVELOPE_FIELDS, answer, consume, object, string, target, value};
use libfuzzer_sys::{arbitrary::Unstructured, fuzz_target};
use serde_json::{Value, json};

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(a) = answer(&mut u, |u| {
        Ok(match u.int_in_range(0..=2)? {
            0 => json!({
                "error_code": string(u)?, "error_msg": string(u)?, "request_id": string(u)?
            }),
            1 => json!({ "error": { "code": value(u, &[], 1)?, "message": string(u)? } }),
            _ => Value::Object(object(u, ENVELOPE_FIELDS, 2)?),
        })
    }) else {
        return;
    };
    let t = target(huawei::IMS_ID, "cn-north-4");
    let rid = a.header("x-request-id").map(str::to_string);
    let e = api_error(&t, &a, rid);
    consume(&t, Err(e));
});
