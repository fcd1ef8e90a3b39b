//! Workspace `GET /v2/{project_id}/images` answers.
#![no_main]

use imgcat::providers::huawei;
use imgcat::providers::huawei::decoders;
use imgcat_fuzz::{WORKSPACE_FIELDS, answer, consume, objects, or_any, target};
use libfuzzer_sys::{arbitrary::Unstructured, fuzz_target};
use serde_json::json;

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(a) = answer(&mut u, |u| {
        let images = objects(u, WORKSPACE_FIELDS)?;
        let total = json!(u.arbitrary::<u64>()?);
        Ok(json!({ "images": or_any(u, images)?, "total_count": or_any(u, total)? }))
    }) else {
        return;
    };
    let t = target(huawei::WORKSPACE_ID, "cn-north-4");
    consume(&t, decoders::workspace_page(&t, a).map(|p| p.items));
});
