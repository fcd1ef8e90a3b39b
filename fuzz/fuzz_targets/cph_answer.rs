//! CPH `phone-images` answers, for each visibility asked for.
#![no_main]

use imgcat::providers::huawei;
use imgcat::model::Visibility;
use imgcat::providers::huawei::decoders;
use imgcat_fuzz::{CPH_FIELDS, answer, consume, objects, or_any, target};
use libfuzzer_sys::{arbitrary::Unstructured, fuzz_target};
use serde_json::json;

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(asked) = u.choose(Visibility::ALL).copied() else {
        return;
    };
    let Ok(a) = answer(&mut u, |u| {
        let images = objects(u, CPH_FIELDS)?;
        Ok(json!({ "phone_images": or_any(u, images)? }))
    }) else {
        return;
    };
    let t = target(huawei::CPH_ID, "cn-east-3");
    consume(&t, decoders::cph_answer(&t, asked, a));
});
