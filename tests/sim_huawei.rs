//! The simulated Huawei APIs (IMS, Workspace, CPH, IAM) through real HTTP.

mod sim_common;

use chrono::{Duration as ChronoDuration, Utc};
use imgcat::providers::huawei;
use imgcat::sim::{self, SHARED_NAMES, SimConfig, UNIQUE_NAMES};
use serde_json::Value;
use sim_common::*;

fn enc(s: &str) -> String {
    imgcat::providers::huawei::sign::encode_query(&[("x", s)])
        .trim_start_matches("x=")
        .to_string()
}

#[tokio::test]
async fn ims_default_page_first_next_and_full_walk() {
    let sim = start(SimConfig::new(N)).await;
    let (status, headers, v) = hw_token_get(&sim, "/v2/images").await;
    assert_eq!(status, 200);
    assert!(headers.contains_key("x-request-id"));
    assert_eq!(v["images"].as_array().unwrap().len(), 25);
    assert_eq!(v["schema"], "/v2/schemas/images");
    assert_eq!(v["first"], "/v2/images");
    let next = v["next"].as_str().unwrap();
    assert!(next.starts_with("/v2/images?marker="), "{next}");

    // Walk with the cap; every image exactly once, in the catalog's order, no next at the end.
    let expected: Vec<String> = sim::catalog(huawei::IMS_ID, N)
        .iter()
        .map(|o| o["id"].as_str().unwrap().to_string())
        .collect();
    let mut got = Vec::new();
    let mut link = "/v2/images?limit=1000".to_string();
    let mut pages = 0;
    loop {
        let (status, _, v) = hw_token_get(&sim, &link).await;
        assert_eq!(status, 200, "{v}");
        pages += 1;
        got.extend(ids(&v["images"], "id"));
        match v.get("next").and_then(Value::as_str) {
            Some(n) => {
                assert!(n.contains("limit=1000"), "{n}");
                link = n.to_string();
            }
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(got, expected);
}

#[tokio::test]
async fn ims_limit_cap_and_marker_errors() {
    let sim = start(SimConfig::new(N)).await;
    let (status, _, v) = hw_token_get(&sim, "/v2/images?limit=1001").await;
    assert_eq!(status, 400);
    assert!(
        v["error"]["message"].as_str().unwrap().contains("1000"),
        "{v}"
    );
    let (status, _, v) = hw_token_get(&sim, "/v2/images?limit=1000").await;
    assert_eq!(status, 200);
    assert_eq!(v["images"].as_array().unwrap().len(), 1000);
    for bad in [
        "limit=-1",
        "limit=abc",
        "limit=99999999999999999999999",
        "marker=nope",
    ] {
        let (status, _, v) = hw_token_get(&sim, &format!("/v2/images?{bad}")).await;
        assert_eq!(status, 400, "{bad}: {v}");
        assert!(v["error"]["code"].is_string(), "{v}");
    }
}

#[tokio::test]
async fn ims_filters_and_next_keeps_them() {
    let sim = start(SimConfig::new(N)).await;
    // Unique name with spaces, '+' and non-ASCII: exactly one.
    let (_, _, v) = hw_token_get(&sim, &format!("/v2/images?name={}", enc(UNIQUE_NAMES[0]))).await;
    let imgs = v["images"].as_array().unwrap();
    assert_eq!(imgs.len(), 1, "{v}");
    assert_eq!(imgs[0]["name"], UNIQUE_NAMES[0]);
    // Shared name: several, all with that name.
    let (_, _, v) = hw_token_get(
        &sim,
        &format!("/v2/images?name={}&limit=1000", enc(SHARED_NAMES[2])),
    )
    .await;
    let imgs = v["images"].as_array().unwrap();
    assert!(imgs.len() >= 2);
    assert!(imgs.iter().all(|i| i["name"] == SHARED_NAMES[2]));

    for (q, key, want) in [
        ("visibility=private", "visibility", "private"),
        ("visibility=shared", "__imagetype", "shared"),
        ("__imagetype=market", "visibility", "public"),
        ("__imagetype=gold", "visibility", "public"),
        ("__os_type=Windows", "__platform", "Windows"),
        ("__platform=EulerOS", "__os_type", "Linux"),
        ("status=queued", "status", "queued"),
        ("__support_arm=true", "hw_firmware_type", "uefi"),
        ("__os_bit=32", "__os_bit", "32"),
    ] {
        let (status, _, v) = hw_token_get(&sim, &format!("/v2/images?{q}&limit=1000")).await;
        assert_eq!(status, 200, "{q}");
        let imgs = v["images"].as_array().unwrap();
        assert!(!imgs.is_empty(), "{q}");
        assert!(imgs.iter().all(|i| i[key] == want), "{q}");
    }
    let (status, _, _) = hw_token_get(&sim, "/v2/images?visibility=everyone").await;
    assert_eq!(status, 400);

    // created_at with an operator; '+' and ':' encoded.
    let cut = "2019-06-01T00:00:00Z";
    let (_, _, v) = hw_token_get(
        &sim,
        &format!(
            "/v2/images?created_at={}&limit=1000",
            enc(&format!("lt:{cut}"))
        ),
    )
    .await;
    let imgs = v["images"].as_array().unwrap();
    assert!(!imgs.is_empty());
    assert!(imgs.iter().all(|i| i["created_at"].as_str().unwrap() < cut));
    let (status, _, _) = hw_token_get(&sim, "/v2/images?created_at=after:2019").await;
    assert_eq!(status, 400);

    // id filter.
    let one = sim::catalog(huawei::IMS_ID, N)[77]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let (_, _, v) = hw_token_get(&sim, &format!("/v2/images?id={one}")).await;
    assert_eq!(ids(&v["images"], "id"), vec![one]);

    // next keeps filters and limit; following it stays filtered and covers all matches once.
    let mut link = "/v2/images?__os_type=Linux&visibility=public&limit=300".to_string();
    let mut seen = std::collections::HashSet::new();
    let mut total = 0;
    loop {
        let (_, _, v) = hw_token_get(&sim, &link).await;
        for i in v["images"].as_array().unwrap() {
            assert_eq!(i["__os_type"], "Linux");
            assert_eq!(i["visibility"], "public");
            assert!(seen.insert(i["id"].as_str().unwrap().to_string()));
            total += 1;
        }
        match v.get("next").and_then(Value::as_str) {
            Some(n) => {
                assert!(
                    n.contains("__os_type=Linux")
                        && n.contains("visibility=public")
                        && n.contains("limit=300"),
                    "{n}"
                );
                link = n.to_string();
            }
            None => break,
        }
    }
    let expected = sim::catalog(huawei::IMS_ID, N)
        .iter()
        .filter(|i| i["__os_type"] == "Linux" && i["visibility"] == "public")
        .count();
    assert_eq!(total, expected);
}

#[tokio::test]
async fn huawei_auth_token_and_aksk() {
    let sim = start(SimConfig::new(50)).await;
    let c = creds();
    // No credentials.
    let resp = client()
        .get(format!("{}/v2/images", sim.base_url()))
        .send()
        .await
        .unwrap();
    let (status, _, v) = parts(resp).await;
    assert_eq!(status, 401);
    assert_eq!(v["error_code"], "APIGW.0301");
    assert!(v["request_id"].is_string());
    // Wrong token.
    let resp = client()
        .get(format!("{}/v2/images", sim.base_url()))
        .header("X-Auth-Token", "nope")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 401);

    let ak = c.get("HUAWEICLOUD_SDK_AK").unwrap_or_default();
    let sk = c.get("HUAWEICLOUD_SDK_SK").unwrap_or_default();
    let now = Utc::now();
    let q = [("name", UNIQUE_NAMES[1]), ("limit", "10")];
    let (status, _, v) = hw_signed_get(&sim, "/v2/images", &q, ak, sk, now, &[]).await;
    assert_eq!(status, 200, "{v}");
    // Name of index 1 only exists in catalogs of 40+; 50 is enough.
    assert_eq!(v["images"].as_array().unwrap().len(), 1);

    let (status, _, v) = hw_signed_get(&sim, "/v2/images", &q, ak, "wrong-sk", now, &[]).await;
    assert_eq!(status, 401);
    assert_eq!(v["error_code"], "APIGW.0301");
    assert!(
        v["error_msg"]
            .as_str()
            .unwrap()
            .contains("verify aksk signature fail")
    );

    let (status, _, v) = hw_signed_get(&sim, "/v2/images", &q, "UNKNOWNAK", sk, now, &[]).await;
    assert_eq!(status, 401, "{v}");

    let old = now - ChronoDuration::minutes(20);
    let (status, _, v) = hw_signed_get(&sim, "/v2/images", &q, ak, sk, old, &[]).await;
    assert_eq!(status, 401);
    assert!(v["error_msg"].as_str().unwrap().contains("expired"), "{v}");

    // Signed Workspace and IAM requests with the project id header as the SDK sends it.
    let pid = imgcat::providers::huawei::sim::project_id("cn-north-4");
    let path = format!("/v2/{pid}/images");
    let (status, _, v) = hw_signed_get(
        &sim,
        &path,
        &[("limit", "5")],
        ak,
        sk,
        now,
        &[("X-Project-Id", &pid)],
    )
    .await;
    assert_eq!(status, 200, "{v}");
    let (status, _, v) = hw_signed_get(
        &sim,
        "/v3/projects",
        &[("name", "cn-north-4")],
        ak,
        sk,
        now,
        &[],
    )
    .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["projects"][0]["id"], pid.as_str());
}

#[tokio::test]
async fn huawei_security_token_must_match_when_configured() {
    let mut c = creds();
    c.set("HUAWEICLOUD_SDK_SECURITY_TOKEN", "temp-token-1");
    let sim = sim::start(
        SimConfig::new(10).credentials(c.clone()),
        "127.0.0.1:0".parse().unwrap(),
    )
    .await
    .unwrap();
    let (ak, sk, now) = (
        c.get("HUAWEICLOUD_SDK_AK").unwrap_or_default(),
        c.get("HUAWEICLOUD_SDK_SK").unwrap_or_default(),
        Utc::now(),
    );
    let (s, _, _) = hw_signed_get(
        &sim,
        "/v2/images",
        &[],
        ak,
        sk,
        now,
        &[("X-Security-Token", "temp-token-1")],
    )
    .await;
    assert_eq!(s, 200);
    let (s, _, _) = hw_signed_get(
        &sim,
        "/v2/images",
        &[],
        ak,
        sk,
        now,
        &[("X-Security-Token", "other")],
    )
    .await;
    assert_eq!(s, 401);
    let (s, _, _) = hw_signed_get(&sim, "/v2/images", &[], ak, sk, now, &[]).await;
    assert_eq!(s, 401);
}

#[tokio::test]
async fn glance_versions_and_iam_projects() {
    let sim = start(SimConfig::new(10)).await;
    let resp = client().get(sim.base_url()).send().await.unwrap();
    let (status, _, v) = parts(resp).await;
    assert_eq!(status, 300);
    let versions = v["versions"].as_array().unwrap();
    assert_eq!(versions[0]["status"], "CURRENT");
    assert!(
        versions
            .iter()
            .all(|x| x["id"].is_string() && x["links"].is_array())
    );

    let (status, _, v) = hw_token_get(&sim, "/v3/projects?name=cn-north-4").await;
    assert_eq!(status, 200);
    let p = &v["projects"].as_array().unwrap();
    assert_eq!(p.len(), 1);
    assert_eq!(p[0]["name"], "cn-north-4");
    assert_eq!(p[0]["enabled"], true);
    let id = p[0]["id"].as_str().unwrap();
    assert_eq!(id.len(), 32);
    assert!(id.bytes().all(|b| b.is_ascii_hexdigit()));
    assert_eq!(id, imgcat::providers::huawei::sim::project_id("cn-north-4"));
    assert_ne!(
        id,
        imgcat::providers::huawei::sim::project_id("ap-southeast-1")
    );
    assert!(v["links"]["self"].is_string());
    let (_, _, v) = hw_token_get(&sim, "/v3/projects?name=mars-1").await;
    assert_eq!(v["projects"].as_array().unwrap().len(), 0);
    let resp = client()
        .get(format!("{}/v3/projects?name=cn-north-4", sim.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 401);
}

#[tokio::test]
async fn workspace_offset_paging_caps_and_filters() {
    let sim = start(SimConfig::new(N)).await;
    let pid = imgcat::providers::huawei::sim::project_id("cn-north-4");
    let (status, _, v) = hw_token_get(&sim, &format!("/v2/{pid}/images")).await;
    assert_eq!(status, 200);
    assert_eq!(v["total_count"], N);
    assert_eq!(v["images"].as_array().unwrap().len(), 100);
    let (status, _, v) = hw_token_get(&sim, &format!("/v2/{pid}/images?limit=101")).await;
    assert_eq!(status, 400);
    assert!(
        v["error_code"].is_string() && v["error_msg"].is_string(),
        "{v}"
    );
    for bad in ["offset=-1", "limit=x", "image_type=shared"] {
        let (status, _, _) = hw_token_get(&sim, &format!("/v2/{pid}/images?{bad}")).await;
        assert_eq!(status, 400, "{bad}");
    }
    // Offsets cover the catalog exactly once, in order.
    let mut got = Vec::new();
    for offset in (0..N).step_by(100) {
        let (_, _, v) =
            hw_token_get(&sim, &format!("/v2/{pid}/images?offset={offset}&limit=100")).await;
        got.extend(ids(&v["images"], "id"));
    }
    let expected: Vec<String> = sim::catalog(huawei::WORKSPACE_ID, N)
        .iter()
        .map(|o| o["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(got, expected);
    // Filters, with a total that counts the matches.
    for (q, key, want) in [
        ("image_type=private", "image_type", "private"),
        ("image_type=gold", "image_type", "gold"),
        ("architecture=arm", "architecture", "arm"),
        ("os_type=Windows", "os_type", "Windows"),
    ] {
        let (_, _, v) = hw_token_get(&sim, &format!("/v2/{pid}/images?{q}&limit=100")).await;
        let expected = sim::catalog(huawei::WORKSPACE_ID, N)
            .iter()
            .filter(|i| i[key] == want)
            .count();
        assert_eq!(v["total_count"], expected, "{q}");
        assert!(
            v["images"]
                .as_array()
                .unwrap()
                .iter()
                .all(|i| i[key] == want),
            "{q}"
        );
    }
    let (status, _, _) = hw_token_get(&sim, "/v2/0123456789abcdef0123456789abcdef/images").await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn cph_one_response_types_and_optional_paging() {
    let sim = start(SimConfig::new(N)).await;
    let pid = imgcat::providers::huawei::sim::project_id("cn-north-4");
    let base = format!("/v1/{pid}/cloud-phone/phone-images");
    let (status, _, v) = hw_token_get(&sim, &base).await;
    assert_eq!(status, 200);
    assert!(v["request_id"].is_string());
    assert!(v.get("page_info").is_none());
    assert_eq!(v["phone_images"].as_array().unwrap().len(), N);
    let (_, _, v) = hw_token_get(&sim, &format!("{base}?image_type=public")).await;
    let imgs = v["phone_images"].as_array().unwrap();
    assert!(!imgs.is_empty() && imgs.iter().all(|i| i["is_public"] == 1));
    let (_, _, v) = hw_token_get(&sim, &format!("{base}?image_type=private")).await;
    let private = v["phone_images"].as_array().unwrap();
    assert!(
        private
            .iter()
            .all(|i| i["is_public"] == 2 && i.get("receive_status").is_none())
    );
    assert!(private.iter().any(|i| i["image_name"] == UNIQUE_NAMES[0]));
    let (_, _, v) = hw_token_get(&sim, &format!("{base}?image_type=share")).await;
    let shared = v["phone_images"].as_array().unwrap();
    assert!(
        !shared.is_empty()
            && shared
                .iter()
                .all(|i| i["is_public"] == 2 && i["receive_status"] == 1)
    );
    let (status, _, v) = hw_token_get(&sim, &format!("{base}?image_type=mine")).await;
    assert_eq!(status, 400);
    assert!(v["error_code"].is_string());
    // Paging when asked: limit + page_info.next_marker.
    let mut got = Vec::new();
    let mut link = format!("{base}?limit=500");
    loop {
        let (status, _, v) = hw_token_get(&sim, &link).await;
        assert_eq!(status, 200, "{v}");
        got.extend(ids(&v["phone_images"], "image_id"));
        match v["page_info"]["next_marker"].as_str() {
            Some(m) => link = format!("{base}?limit=500&marker={m}"),
            None => break,
        }
    }
    assert_eq!(got.len(), N);
    let (status, _, _) = hw_token_get(&sim, &format!("{base}?limit=501")).await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn ims_signed_walk_follows_next_links_verbatim() {
    let sim = start(SimConfig::new(N)).await;
    let c = creds();
    let mut link = format!(
        "/v2/images?visibility=private&limit=10&name={}",
        enc(SHARED_NAMES[1])
    );
    let mut got = 0;
    let mut pages = 0;
    loop {
        // Sign the URL exactly as the server wrote it (unsorted, its own encoding).
        let url = url::Url::parse(&format!("{}{}", sim.base_url(), link)).unwrap();
        let headers = [("Content-Type", "application/json")];
        let signed = imgcat::providers::huawei::sign::sign(
            "GET",
            &url,
            &headers,
            b"",
            c.get("HUAWEICLOUD_SDK_AK").unwrap_or_default(),
            c.get("HUAWEICLOUD_SDK_SK").unwrap_or_default(),
            Utc::now(),
        );
        let resp = client()
            .get(url)
            .header("Content-Type", "application/json")
            .header("X-Sdk-Date", signed.x_sdk_date)
            .header("Authorization", signed.authorization)
            .send()
            .await
            .unwrap();
        let (status, _, v) = parts(resp).await;
        assert_eq!(status, 200, "{link}: {v}");
        pages += 1;
        got += v["images"].as_array().unwrap().len();
        match v.get("next").and_then(Value::as_str) {
            Some(n) => link = n.to_string(),
            None => break,
        }
    }
    let want = sim::catalog(huawei::IMS_ID, N)
        .iter()
        .filter(|i| i["visibility"] == "private" && i["name"] == SHARED_NAMES[1])
        .count();
    assert_eq!(got, want);
    assert!(pages >= 2, "{pages} pages for {want}");
}
