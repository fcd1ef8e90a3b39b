//! Tencent API 3.0 (CVM) answers: DescribeImages pages, DescribeRegions, `Response.Error`,
//! non-200 answers.
#![no_main]

use imgcat::providers::tencent::{Cvm, cvm};
use imgcat_fuzz::{ENVELOPE_FIELDS, TENCENT_FIELDS, answer, consume, objects, or_any, string, target};
use libfuzzer_sys::{arbitrary::Unstructured, fuzz_target};
use serde_json::json;

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let regions = u.ratio(1, 4).unwrap_or(false);
    let Ok(a) = answer(&mut u, |u| {
        Ok(match u.int_in_range(0..=2)? {
            0 => {
                let set = objects(u, TENCENT_FIELDS)?;
                let regions = objects(u, &["Region", "RegionName", "RegionState"])?;
                let total = json!(u.arbitrary::<u64>()?);
                json!({ "Response": {
                    "ImageSet": or_any(u, set)?,
                    "RegionSet": or_any(u, regions)?,
                    "TotalCount": or_any(u, total)?,
                    "RequestId": string(u)?,
                }})
            }
            1 => json!({ "Response": {
                "Error": { "Code": string(u)?, "Message": string(u)? },
                "RequestId": string(u)?,
            }}),
            _ => imgcat_fuzz::object(u, ENVELOPE_FIELDS, 3)?.into(),
        })
    }) else {
        return;
    };
    let t = target(cvm::ID, "ap-guangzhou");
    if regions {
        let _ = Cvm::decode_regions(&t, a);
    } else {
        consume(&t, Cvm::decode_images(&t, a).map(|p| p.items));
    }
});
