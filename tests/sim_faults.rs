//! Injected faults, latency, stats, junk requests and shutdown of the simulator.

mod sim_common;

use std::time::{Duration, Instant};

use imgcat::sim::{Fault, SimConfig};
use serde_json::{Value, json};
use sim_common::*;

fn cfg(n: usize, faults: &[&str]) -> SimConfig {
    SimConfig::new(n).parse_faults(faults).unwrap()
}

#[tokio::test]
async fn status_faults_hit_the_first_requests_of_each_api() {
    let sim = start(cfg(50, &["status:503:2", "status:429:1@zenlayer"])).await;
    for _ in 0..2 {
        let (status, _, v) = hw_token_get(&sim, "/v2/images").await;
        assert_eq!(status, 503);
        assert!(v["error_code"].is_string(), "{v}");
    }
    let (status, _, _) = hw_token_get(&sim, "/v2/images").await;
    assert_eq!(status, 200);
    // IAM is not targeted by default.
    let (status, _, _) = hw_token_get(&sim, "/v3/projects?name=cn-north-4").await;
    assert_eq!(status, 200);
    // Tencent counts separately.
    let key = creds()
        .get("TENCENTCLOUD_SECRET_KEY")
        .unwrap_or_default()
        .to_string();
    let now = chrono::Utc::now().timestamp();
    let (status, v) = tencent(&sim, &[], false, None, &key, now).await;
    assert_eq!(status, 503);
    assert_eq!(v["Response"]["Error"]["Code"], "InternalError");
    // Zenlayer: the first 503 fault matches first, twice, then the 429.
    let body = json!({"zoneId": "FRA-A"});
    for want in [503, 503] {
        let (status, _) = zl_bearer(&sim, "DescribeImages", &body).await;
        assert_eq!(status, want);
    }
    let resp = zl_bearer_raw(
        &sim.base_url(),
        "DescribeImages",
        body.to_string().into_bytes(),
    )
    .await;
    assert_eq!(resp.status().as_u16(), 429);
    assert_eq!(resp.headers()["retry-after"], "1");
    let (_, _, v) = parts(resp).await;
    assert_eq!(v["code"], "REQUEST_LIMIT_EXCEEDED");
    let (status, _) = zl_bearer(&sim, "DescribeImages", &body).await;
    assert_eq!(status, 200);
    assert_eq!(sim.stats().faults, 6);
}

#[tokio::test]
async fn truncate_and_cut_damage_bodies() {
    let sim = start(cfg(300, &["truncate:1@ims", "cut:1@workspace"])).await;
    let url = format!("{}/v2/images?limit=100", sim.base_url());
    let token = creds()
        .get("HUAWEICLOUD_AUTH_TOKEN")
        .unwrap_or_default()
        .to_string();
    let resp = client()
        .get(&url)
        .header("X-Auth-Token", &token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    let bytes = resp.bytes().await.unwrap();
    assert!(!bytes.is_empty());
    assert!(serde_json::from_slice::<Value>(&bytes).is_err());
    let resp = client()
        .get(&url)
        .header("X-Auth-Token", &token)
        .send()
        .await
        .unwrap();
    let v: Value = resp.json().await.unwrap();
    assert_eq!(v["images"].as_array().unwrap().len(), 100);

    let pid = imgcat::providers::huawei::sim::project_id("cn-north-4");
    let url = format!("{}/v2/{pid}/images", sim.base_url());
    let resp = client()
        .get(&url)
        .header("X-Auth-Token", &token)
        .send()
        .await
        .unwrap();
    assert!(resp.bytes().await.is_err(), "cut body must fail to read");
    let resp = client()
        .get(&url)
        .header("X-Auth-Token", &token)
        .send()
        .await
        .unwrap();
    let v: Value = resp.json().await.unwrap();
    assert_eq!(v["total_count"], 300);
}

#[tokio::test]
async fn latency_and_slow() {
    let sim = start(cfg(20, &["slow:400:1@cph"]).latency(Duration::from_millis(60))).await;
    let pid = imgcat::providers::huawei::sim::project_id("cn-north-4");
    let path = format!("/v1/{pid}/cloud-phone/phone-images");
    let t = Instant::now();
    let (status, _, _) = hw_token_get(&sim, &path).await;
    assert_eq!(status, 200);
    assert!(
        t.elapsed() >= Duration::from_millis(460),
        "{:?}",
        t.elapsed()
    );
    let t = Instant::now();
    hw_token_get(&sim, &path).await;
    let e = t.elapsed();
    assert!(
        e >= Duration::from_millis(60) && e < Duration::from_millis(400),
        "{e:?}"
    );
}

#[tokio::test]
async fn ims_next_loops_back() {
    let sim = start(cfg(300, &["ims-loop"])).await;
    let (_, _, v) = hw_token_get(&sim, "/v2/images?limit=10").await;
    let next = v["next"].as_str().unwrap().to_string();
    let marker = next.split("marker=").nth(1).unwrap().to_string();
    // The first page has no marker, so its next is honest; the second loops to its own marker.
    let (_, _, v) = hw_token_get(&sim, &next).await;
    assert_eq!(v["next"].as_str().unwrap(), next);
    assert!(v["next"].as_str().unwrap().ends_with(&marker));
}

#[tokio::test]
async fn short_page_and_total_change() {
    let sim = start(cfg(N, &["short-page:1@tencent", "total-change:1@zenlayer"])).await;
    let v = tencent_ok(&sim, &[("Limit", "100")]).await;
    assert_eq!(v["Response"]["ImageSet"].as_array().unwrap().len(), 99);
    assert_eq!(v["Response"]["TotalCount"], N);
    let v = tencent_ok(&sim, &[("Limit", "100"), ("Offset", "100")]).await;
    assert_eq!(v["Response"]["ImageSet"].as_array().unwrap().len(), 100);

    let mut totals = Vec::new();
    for page in 1..=3 {
        let (_, v) = zl_bearer(
            &sim,
            "DescribeImages",
            &json!({"zoneId": "FRA-A", "pageNum": page, "pageSize": 1000}),
        )
        .await;
        totals.push(v["response"]["totalCount"].as_u64().unwrap());
    }
    assert_eq!(totals, vec![N as u64, N as u64 + 1, N as u64]);
}

#[tokio::test]
async fn stats_endpoint_counts_per_api() {
    let sim = start(SimConfig::new(10)).await;
    hw_token_get(&sim, "/v2/images").await;
    hw_token_get(&sim, "/v2/images").await;
    zl_bearer(&sim, "DescribeZones", &json!({})).await;
    hw_token_get(&sim, "/nope").await;
    let v: Value = client()
        .get(format!("{}/__sim/stats", sim.base_url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(v["requests"], 4);
    assert_eq!(v["ims"], 2);
    assert_eq!(v["zenlayer"], 1);
    assert_eq!(v["other"], 1);
    assert_eq!(sim.stats().requests, 4);
}

#[tokio::test]
async fn junk_never_breaks_the_server() {
    let sim = start(SimConfig::new(30)).await;
    let base = sim.base_url();
    let token = creds()
        .get("HUAWEICLOUD_AUTH_TOKEN")
        .unwrap_or_default()
        .to_string();
    let pid = imgcat::providers::huawei::sim::project_id("cn-north-4");
    let gets = [
        "/v2/images?limit=%FF%FE&marker=%00".to_string(),
        "/v2/images?limit=18446744073709551616".to_string(),
        "/v2/images?created_at=gt:%FF".to_string(),
        "/v2/images?name=%E6%9C".to_string(),
        format!("/v2/{pid}/images?offset=99999999999999999999999&limit=1"),
        format!("/v2/{pid}/images?offset=18446744073709551615&limit=100"),
        "/v2/%FF/images".to_string(),
        format!("/v1/{pid}/cloud-phone/phone-images?limit=0&marker="),
        "/v2/index.php?Action=DescribeImages&Limit=99999999999999999999&Filters.x=1&ImageIds.="
            .to_string(),
        "/v3/projects?name=%FF".to_string(),
        "/__sim/nothing".to_string(),
    ];
    for g in &gets {
        let resp = client()
            .get(format!("{base}{g}"))
            .header("X-Auth-Token", &token)
            .send()
            .await
            .unwrap();
        let s = resp.status().as_u16();
        assert!(s < 500, "{g}: {s}");
        let _ = resp.bytes().await.unwrap();
    }
    let bodies: [&[u8]; 5] = [
        b"",
        b"\xff\xfe\x00",
        b"{\"zoneId\":",
        b"[]",
        b"{\"zoneId\":\"FRA-A\",\"pageNum\":1e999}",
    ];
    for b in bodies {
        let resp = zl_bearer_raw(&base, "DescribeImages", b.to_vec()).await;
        assert_eq!(resp.status().as_u16(), 400);
        let v: Value = resp.json().await.unwrap();
        assert!(v["code"].is_string());
        let resp = client()
            .post(format!("{base}/v2/index.php"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(b.to_vec())
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status().as_u16(), 200);
        let v: Value = resp.json().await.unwrap();
        assert!(v["Response"]["Error"]["Code"].is_string());
    }
    // axum's own rejection (405) still carries a request id.
    let resp = client()
        .delete(format!("{base}/v2/images"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 405);
    assert!(resp.headers().contains_key("x-request-id"));
    let (status, _, _) = hw_token_get(&sim, "/v2/images").await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn shutdown_stops_the_server() {
    let sim =
        start(SimConfig::new(5).fault(Fault::new(imgcat::sim::FaultKind::Cut { count: 0 }))).await;
    let url = sim.base_url();
    assert!(client().get(&url).send().await.is_ok());
    sim.shutdown().await;
    assert!(client().get(&url).send().await.is_err());
}
