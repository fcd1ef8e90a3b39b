//! Zenlayer DescribeImages and DescribeZones answers, and the error form.
#![no_main]

use imgcat::providers::zenlayer;
use imgcat::providers::zenlayer::Zenlayer;
use imgcat_fuzz::{ZENLAYER_FIELDS, answer, consume, objects, or_any, string, target};
use libfuzzer_sys::{arbitrary::Unstructured, fuzz_target};
use serde_json::json;

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(zones) = u.arbitrary::<bool>() else {
        return;
    };
    let Ok(a) = answer(&mut u, |u| {
        Ok(match u.int_in_range(0..=2)? {
            0 if zones => {
                let set = objects(u, &["zoneId", "zoneName"])?;
                json!({ "requestId": string(u)?, "response": { "zoneSet": or_any(u, set)? } })
            }
            0 => {
                let set = objects(u, ZENLAYER_FIELDS)?;
                let total = json!(u.arbitrary::<u64>()?);
                json!({ "requestId": string(u)?, "response": {
                    "dataSet": or_any(u, set)?,
                    "totalCount": or_any(u, total)?,
                }})
            }
            1 => json!({ "requestId": string(u)?, "code": string(u)?, "message": string(u)? }),
            _ => json!({ "requestId": string(u)? }),
        })
    }) else {
        return;
    };
    if zones {
        let t = target(zenlayer::ID, "all");
        match Zenlayer::decode_zones(&t, a) {
            Ok(z) => assert!(z.iter().all(|z| !z.is_empty())),
            Err(e) => consume(&t, Err(e)),
        }
    } else {
        let t = target(zenlayer::ID, "FRA-A");
        consume(&t, Zenlayer::decode_images(&t, a).map(|p| p.items));
    }
});
