//! Tencent API 2.0 DescribeImages answers: pages, `Response.Error`, the older `code`/`message`
//! form, non-200 answers.
#![no_main]

use imgcat::providers::tencent;
use imgcat::providers::tencent::TencentLegacy;
use imgcat_fuzz::{
    ENVELOPE_FIELDS, TENCENT_FIELDS, answer, consume, objects, or_any, string, target,
};
use libfuzzer_sys::{arbitrary::Unstructured, fuzz_target};
use serde_json::{Value, json};

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(a) = answer(&mut u, |u| {
        Ok(match u.int_in_range(0..=2)? {
            0 => {
                let set = objects(u, TENCENT_FIELDS)?;
                let total = json!(u.arbitrary::<u64>()?);
                json!({ "Response": {
                    "ImageSet": or_any(u, set)?,
                    "TotalCount": or_any(u, total)?,
                    "RequestId": string(u)?,
                }})
            }
            1 => json!({ "Response": {
                "Error": { "Code": string(u)?, "Message": string(u)? },
                "RequestId": string(u)?,
            }}),
            _ => {
                let code = json!(u.arbitrary::<i64>()?);
                let code: Value = or_any(u, code)?;
                json!({ "code": code, "message": string(u)?, "codeDesc": string(u)? })
            }
        })
        .and_then(|v| {
            // Sometimes a stray envelope field or two.
            let mut v = v;
            if u.ratio(1, 4)?
                && let Value::Object(m) = &mut v
            {
                let extra = imgcat_fuzz::object(u, ENVELOPE_FIELDS, 1)?;
                m.extend(extra);
            }
            Ok(v)
        })
    }) else {
        return;
    };
    let t = target(tencent::legacy::ID, "ap-guangzhou");
    consume(&t, TencentLegacy::decode(&t, a).map(|p| p.items));
});
