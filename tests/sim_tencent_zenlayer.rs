//! The simulated Tencent API 2.0 and Zenlayer APIs through real HTTP, signed by the project's
//! signers.

mod sim_common;

use chrono::Utc;
use imgcat::providers::ProviderId;
use imgcat::providers::tencent::v2::SignatureMethod;
use imgcat::providers::{tencent, zenlayer};
use imgcat::sim::{self, SHARED_NAMES, SimConfig, UNIQUE_NAMES};
use serde_json::{Value, json};
use sim_common::*;

fn catalog_ids(p: ProviderId, key: &str) -> Vec<String> {
    sim::catalog(p, N)
        .iter()
        .map(|o| o[key].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn tencent_default_page_caps_and_walk() {
    let sim = start(SimConfig::new(N)).await;
    let v = tencent_ok(&sim, &[]).await;
    let r = &v["Response"];
    assert_eq!(r["ImageSet"].as_array().unwrap().len(), 20, "{v}");
    assert_eq!(r["TotalCount"], N);
    assert!(r["RequestId"].is_string());
    for limit in ["101", "0", "-1", "x"] {
        let v = tencent_ok(&sim, &[("Limit", limit)]).await;
        assert_eq!(
            v["Response"]["Error"]["Code"], "InvalidParameterValue.InvalidParameterValueLimit",
            "{limit}"
        );
        assert!(v["Response"]["RequestId"].is_string());
    }
    let mut got = Vec::new();
    for offset in (0..N).step_by(100) {
        let off = offset.to_string();
        let v = tencent_ok(&sim, &[("Offset", &off), ("Limit", "100")]).await;
        assert_eq!(v["Response"]["TotalCount"], N);
        got.extend(ids(&v["Response"]["ImageSet"], "ImageId"));
    }
    assert_eq!(got, catalog_ids(tencent::legacy::ID, "ImageId"));
}

#[tokio::test]
async fn tencent_filters_ids_and_parameter_errors() {
    let sim = start(SimConfig::new(N)).await;
    // image-type values are OR'ed; 1-based indexes as in the seed.
    let v = tencent_ok(
        &sim,
        &[
            ("Filters.1.Name", "image-type"),
            ("Filters.1.Values.1", "PRIVATE_IMAGE"),
            ("Filters.1.Values.2", "SHARED_IMAGE"),
            ("Limit", "100"),
        ],
    )
    .await;
    let cat = sim::catalog(tencent::legacy::ID, N);
    let want = cat
        .iter()
        .filter(|i| i["ImageType"] == "PRIVATE_IMAGE" || i["ImageType"] == "SHARED_IMAGE")
        .count();
    assert_eq!(v["Response"]["TotalCount"], want);
    let set = v["Response"]["ImageSet"].as_array().unwrap();
    assert!(set.iter().any(|i| i["ImageType"] == "SHARED_IMAGE"));
    assert!(set.iter().all(|i| i["ImageType"] != "PUBLIC_IMAGE"));

    let v = tencent_ok(
        &sim,
        &[
            ("Filters.0.Name", "image-name"),
            ("Filters.0.Values.0", UNIQUE_NAMES[3]),
        ],
    )
    .await;
    assert_eq!(v["Response"]["TotalCount"], 1, "{v}");
    assert_eq!(v["Response"]["ImageSet"][0]["ImageName"], UNIQUE_NAMES[3]);
    let v = tencent_ok(
        &sim,
        &[
            ("Filters.0.Name", "image-name"),
            ("Filters.0.Values.0", SHARED_NAMES[0]),
        ],
    )
    .await;
    assert!(v["Response"]["TotalCount"].as_u64().unwrap() >= 2);

    let id = cat[5]["ImageId"].as_str().unwrap();
    let v = tencent_ok(&sim, &[("ImageIds.0", id)]).await;
    assert_eq!(
        ids(&v["Response"]["ImageSet"], "ImageId"),
        vec![id.to_string()]
    );
    let v = tencent_ok(
        &sim,
        &[
            ("ImageIds.0", id),
            ("Filters.0.Name", "image-type"),
            ("Filters.0.Values.0", "PUBLIC_IMAGE"),
        ],
    )
    .await;
    assert_eq!(
        v["Response"]["Error"]["Code"],
        "InvalidParameter.InvalidParameterCoexistImageIdsFilters"
    );
    let v = tencent_ok(
        &sim,
        &[("Filters.0.Name", "os"), ("Filters.0.Values.0", "x")],
    )
    .await;
    assert_eq!(v["Response"]["Error"]["Code"], "InvalidFilter");
    let v = tencent_ok(&sim, &[("Region", "mars-1")]).await;
    assert_eq!(v["Response"]["Error"]["Code"], "UnsupportedRegion");
    let v = tencent_ok(&sim, &[("Version", "")]).await;
    assert_eq!(v["Response"]["Error"]["Code"], "MissingParameter");
    let v = tencent_ok(&sim, &[("Action", "RunInstances")]).await;
    assert_eq!(v["Response"]["Error"]["Code"], "InvalidAction");
}

#[tokio::test]
async fn tencent_signatures_post_sha1_and_auth_errors() {
    let sim = start(SimConfig::new(100)).await;
    let key = creds()
        .get("TENCENTCLOUD_SECRET_KEY")
        .unwrap_or_default()
        .to_string();
    let now = Utc::now().timestamp();
    // POST form body, HmacSHA1 by default (no SignatureMethod), hard characters in a value.
    let (status, v) = tencent(
        &sim,
        &[
            ("Filters.0.Name", "image-name"),
            ("Filters.0.Values.0", UNIQUE_NAMES[0]),
        ],
        true,
        None,
        &key,
        now,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(v["Response"]["TotalCount"], 1, "{v}");
    let (_, v) = tencent(&sim, &[], false, Some(SignatureMethod::HmacSha1), &key, now).await;
    assert!(v["Response"]["ImageSet"].is_array(), "{v}");

    let (status, v) = tencent(
        &sim,
        &[],
        false,
        Some(SignatureMethod::HmacSha256),
        "wrong",
        now,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        v["Response"]["Error"]["Code"],
        "AuthFailure.SignatureFailure"
    );
    assert!(v["Response"]["RequestId"].is_string());
    let (_, v) = tencent(&sim, &[("SecretId", "AKIDunknown")], false, None, &key, now).await;
    assert_eq!(
        v["Response"]["Error"]["Code"],
        "AuthFailure.SecretIdNotFound"
    );
    let (_, v) = tencent(&sim, &[], false, None, &key, now - 3_600).await;
    assert_eq!(
        v["Response"]["Error"]["Code"],
        "AuthFailure.SignatureExpire"
    );
    // Unsigned.
    let resp = client()
        .get(format!(
            "{}/v2/index.php?Action=DescribeImages&Region=ap-guangzhou&Version=2017-03-12",
            sim.base_url()
        ))
        .send()
        .await
        .unwrap();
    let (status, _, v) = parts(resp).await;
    assert_eq!(status, 200);
    assert!(
        v["Response"]["Error"]["Code"].as_str().unwrap().len() > 3,
        "{v}"
    );
}

#[tokio::test]
async fn zenlayer_describe_images_paging_and_errors() {
    let sim = start(SimConfig::new(N)).await;
    let (status, v) = zl_bearer(&sim, "DescribeImages", &json!({"zoneId": "FRA-A"})).await;
    assert_eq!(status, 200);
    assert!(v["requestId"].is_string());
    assert_eq!(v["response"]["requestId"], v["requestId"]);
    assert_eq!(v["response"]["dataSet"].as_array().unwrap().len(), 20);
    assert_eq!(v["response"]["totalCount"], N);

    let mut got = Vec::new();
    for page in 1..=3 {
        let (_, v) = zl_bearer(
            &sim,
            "DescribeImages",
            &json!({"zoneId": "FRA-A", "pageNum": page, "pageSize": 1000}),
        )
        .await;
        got.extend(ids(&v["response"]["dataSet"], "imageId"));
    }
    assert_eq!(got, catalog_ids(zenlayer::ID, "imageId"));

    let (status, v) = zl_bearer(
        &sim,
        "DescribeImages",
        &json!({"zoneId": "FRA-A", "pageSize": 1001}),
    )
    .await;
    assert_eq!(status, 400);
    assert!(v["code"].is_string() && v["message"].is_string() && v["requestId"].is_string());
    for body in [
        json!({}),
        json!({"zoneId": 5}),
        json!({"zoneId": "FRA-A", "pageNum": 0}),
        json!([1]),
    ] {
        let (status, _) = zl_bearer(&sim, "DescribeImages", &body).await;
        assert_eq!(status, 400, "{body}");
    }
    let (status, v) = zl_bearer(&sim, "DescribeImages", &json!({"zoneId": "XXX-Z"})).await;
    assert_eq!(status, 404);
    assert_eq!(v["code"], "INVALID_ZONE_NOT_FOUND");

    // Filters.
    let (_, v) = zl_bearer(
        &sim,
        "DescribeImages",
        &json!({"zoneId": "FRA-A", "imageName": UNIQUE_NAMES[1]}),
    )
    .await;
    assert_eq!(v["response"]["totalCount"], 1);
    assert_eq!(v["response"]["dataSet"][0]["imageName"], UNIQUE_NAMES[1]);
    let (_, v) = zl_bearer(&sim, "DescribeImages", &json!({"zoneId": "FRA-A", "imageType": "CUSTOM_IMAGE", "osType": "Windows", "pageSize": 1000})).await;
    let set = v["response"]["dataSet"].as_array().unwrap();
    assert!(!set.is_empty());
    assert!(
        set.iter()
            .all(|i| i["imageType"] == "CUSTOM_IMAGE" && i["osType"] == "windows")
    );
    let cat = sim::catalog(zenlayer::ID, N);
    let want: Vec<&Value> = cat
        .iter()
        .filter(|i| i["imageStatus"] != "AVAILABLE")
        .collect();
    let (_, v) = zl_bearer(
        &sim,
        "DescribeImages",
        &json!({"zoneId": "FRA-A", "imageStatus": "CREATING", "pageSize": 1000}),
    )
    .await;
    assert!(v["response"]["totalCount"].as_u64().unwrap() > 0);
    assert!(v["response"]["totalCount"].as_u64().unwrap() < want.len() as u64);
    let id = cat[9]["imageId"].as_str().unwrap();
    let (_, v) = zl_bearer(
        &sim,
        "DescribeImages",
        &json!({"zoneId": "FRA-A", "imageIds": [id]}),
    )
    .await;
    assert_eq!(
        ids(&v["response"]["dataSet"], "imageId"),
        vec![id.to_string()]
    );
}

#[tokio::test]
async fn zenlayer_zones_and_auth() {
    let sim = start(SimConfig::new(50)).await;
    let (status, v) = zl_bearer(&sim, "DescribeZones", &json!({})).await;
    assert_eq!(status, 200);
    let zones = v["response"]["zoneSet"].as_array().unwrap();
    assert!(
        zones
            .iter()
            .any(|z| z["zoneId"] == "FRA-A" && z["zoneName"].is_string())
    );
    let (_, v) = zl_bearer(&sim, "DescribeZones", &json!({"zoneIds": ["FRA-A"]})).await;
    assert_eq!(v["response"]["zoneSet"].as_array().unwrap().len(), 1);
    let (status, _) = zl_bearer(&sim, "RebootInstances", &json!({})).await;
    assert_eq!(status, 400);

    let pw = creds()
        .get("ZENLAYERCLOUD_ACCESS_KEY_PASSWORD")
        .unwrap_or_default()
        .to_string();
    let body = json!({"zoneId": "FRA-A", "imageName": UNIQUE_NAMES[0]});
    let (status, v) = zl_signed(&sim, "DescribeImages", &body, &pw).await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["response"]["totalCount"], 1);
    let (status, v) = zl_signed(&sim, "DescribeImages", &body, "wrong").await;
    assert_eq!(status, 401);
    assert_eq!(v["code"], "SIGNATURE_FAILURE");
    assert!(v["requestId"].is_string());
    let resp = client()
        .post(format!("{}/api/v2/vm", sim.base_url()))
        .header("x-zc-action", "DescribeImages")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 401);
    let resp = client()
        .post(format!("{}/api/v2/vm", sim.base_url()))
        .header("x-zc-action", "DescribeImages")
        .header("Authorization", "Bearer nope")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 401);
}
