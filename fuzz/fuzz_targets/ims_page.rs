//! IMS `GET /v2/images` answers: no panic, images keep their invariants.
#![no_main]

use imgcat::providers::huawei;
use imgcat::providers::huawei::decoders;
use imgcat_fuzz::{IMS_FIELDS, answer, consume, objects, or_any, target, value};
use libfuzzer_sys::{arbitrary::Unstructured, fuzz_target};
use serde_json::json;

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(a) = answer(&mut u, |u| {
        let images = objects(u, IMS_FIELDS)?;
        let next = value(u, &["marker"], 0)?;
        Ok(json!({ "images": or_any(u, images)?, "next": next }))
    }) else {
        return;
    };
    let t = target(huawei::IMS_ID, "cn-north-4");
    let result = decoders::ims_page(&t, a).map(|p| {
        if let Some(n) = &p.next {
            assert!(!n.is_empty());
        }
        p.items
    });
    consume(&t, result);
});
