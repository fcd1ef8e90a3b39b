//! Helpers shared by the simulator tests: start a server, send token / signed requests.
#![allow(dead_code)]

use chrono::Utc;
use imgcat::providers::huawei::sign as huawei;
use imgcat::providers::tencent::v2 as tencent_v2;
use imgcat::providers::zenlayer::sign as zenlayer;
use imgcat::sim::{self, SimConfig, SimCredentials, SimHandle};
use serde_json::Value;

/// Catalog size the tests use.
pub const N: usize = 2_600;

/// Starts a simulator with demo credentials and `config`'s other settings.
pub async fn start(config: SimConfig) -> SimHandle {
    let config = config.credentials(SimCredentials::demo());
    sim::start(config, "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap()
}

pub fn client() -> reqwest::Client {
    reqwest::Client::new()
}

pub fn creds() -> SimCredentials {
    SimCredentials::demo()
}

/// GET with `X-Auth-Token`; returns status, headers and the parsed body (Null if not JSON).
pub async fn hw_token_get(
    sim: &SimHandle,
    path_and_query: &str,
) -> (u16, reqwest::header::HeaderMap, Value) {
    let resp = client()
        .get(format!("{}{}", sim.base_url(), path_and_query))
        .header(
            "X-Auth-Token",
            creds().get("HUAWEICLOUD_AUTH_TOKEN").unwrap_or_default(),
        )
        .send()
        .await
        .unwrap();
    parts(resp).await
}

pub async fn parts(resp: reqwest::Response) -> (u16, reqwest::header::HeaderMap, Value) {
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let bytes = resp.bytes().await.unwrap();
    let v = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    (status, headers, v)
}

/// A GET signed with SDK-HMAC-SHA256 by the project's signer. `query` pairs are encoded like
/// the SDK does. `extra` headers are sent and signed.
pub async fn hw_signed_get(
    sim: &SimHandle,
    path: &str,
    query: &[(&str, &str)],
    ak: &str,
    sk: &str,
    time: chrono::DateTime<Utc>,
    extra: &[(&str, &str)],
) -> (u16, reqwest::header::HeaderMap, Value) {
    let q = huawei::encode_query(query);
    let url = if q.is_empty() {
        format!("{}{}", sim.base_url(), path)
    } else {
        format!("{}{}?{}", sim.base_url(), path, q)
    };
    let url = url::Url::parse(&url).unwrap();
    let mut headers: Vec<(&str, &str)> = vec![("Content-Type", "application/json")];
    headers.extend_from_slice(extra);
    let signed = huawei::sign("GET", &url, &headers, b"", ak, sk, time);
    let mut req = client()
        .get(url)
        .header("X-Sdk-Date", signed.x_sdk_date)
        .header("Authorization", signed.authorization);
    for (k, v) in headers {
        req = req.header(k, v);
    }
    parts(req.send().await.unwrap()).await
}

/// Tencent API 2.0 request signed by the project's signer: common parameters added, `params`
/// after them; POST sends a form body.
pub async fn tencent(
    sim: &SimHandle,
    params: &[(&str, &str)],
    post: bool,
    method: Option<tencent_v2::SignatureMethod>,
    secret_key: &str,
    timestamp: i64,
) -> (u16, Value) {
    let c = creds();
    let ts = timestamp.to_string();
    let mut all: Vec<(String, String)> = vec![
        ("Action".into(), "DescribeImages".into()),
        ("Region".into(), "ap-guangzhou".into()),
        ("Version".into(), "2017-03-12".into()),
        (
            "SecretId".into(),
            c.get("TENCENTCLOUD_SECRET_ID")
                .unwrap_or_default()
                .to_string(),
        ),
        ("Nonce".into(), "11886".into()),
        ("Timestamp".into(), ts),
    ];
    for (k, v) in params {
        all.retain(|(ek, _)| ek != k);
        all.push((k.to_string(), v.to_string()));
    }
    all.retain(|(_, v)| !v.is_empty());
    if let Some(m) = method {
        all.push(("SignatureMethod".into(), m.as_str().into()));
    }
    let host = sim.addr.to_string();
    let verb = if post { "POST" } else { "GET" };
    let sig = tencent_v2::signature(
        verb,
        &host,
        "/v2/index.php",
        &all,
        secret_key,
        method.unwrap_or(tencent_v2::SignatureMethod::HmacSha1),
    );
    all.push(("Signature".into(), sig));
    let encoded: String = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(all.iter())
        .finish();
    let url = format!("{}/v2/index.php", sim.base_url());
    let resp = if post {
        client()
            .post(url)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(encoded)
            .send()
            .await
            .unwrap()
    } else {
        client()
            .get(format!("{url}?{encoded}"))
            .send()
            .await
            .unwrap()
    };
    let (status, _, v) = parts(resp).await;
    (status, v)
}

/// A signed Tencent request with the demo key and the current time.
pub async fn tencent_ok(sim: &SimHandle, params: &[(&str, &str)]) -> Value {
    let key = creds()
        .get("TENCENTCLOUD_SECRET_KEY")
        .unwrap_or_default()
        .to_string();
    let (status, v) = tencent(
        sim,
        params,
        false,
        Some(tencent_v2::SignatureMethod::HmacSha256),
        &key,
        Utc::now().timestamp(),
    )
    .await;
    assert_eq!(status, 200);
    v
}

/// Zenlayer request with a bearer token and a raw body; the whole response.
pub async fn zl_bearer_raw(base: &str, action: &str, body: Vec<u8>) -> reqwest::Response {
    client()
        .post(format!("{base}/api/v2/vm"))
        .header("x-zc-action", action)
        .header("Content-Type", "application/json")
        .header(
            "Authorization",
            format!(
                "Bearer {}",
                creds().get("ZENLAYERCLOUD_TOKEN").unwrap_or_default()
            ),
        )
        .body(body)
        .send()
        .await
        .unwrap()
}

/// Zenlayer request with a bearer token.
pub async fn zl_bearer(sim: &SimHandle, action: &str, body: &Value) -> (u16, Value) {
    let resp = zl_bearer_raw(&sim.base_url(), action, body.to_string().into_bytes()).await;
    let (status, _, v) = parts(resp).await;
    (status, v)
}

/// Zenlayer request signed with ZC2-HMAC-SHA256 by the project's signer.
pub async fn zl_signed(
    sim: &SimHandle,
    action: &str,
    body: &Value,
    password: &str,
) -> (u16, Value) {
    let body = body.to_string();
    let host = sim.addr.to_string();
    let c = creds();
    let signed = zenlayer::sign(
        &host,
        body.as_bytes(),
        c.get("ZENLAYERCLOUD_ACCESS_KEY_ID").unwrap_or_default(),
        password,
        Utc::now().timestamp(),
    );
    let resp = client()
        .post(format!("{}/api/v2/vm", sim.base_url()))
        .header("x-zc-action", action)
        .header("Content-Type", "application/json")
        .header("x-zc-timestamp", signed.timestamp)
        .header("x-zc-signature-method", signed.signature_method)
        .header("Authorization", signed.authorization)
        .body(body)
        .send()
        .await
        .unwrap();
    let (status, _, v) = parts(resp).await;
    (status, v)
}

/// The ids of a JSON array of objects under `key`.
pub fn ids(list: &Value, key: &str) -> Vec<String> {
    list.as_array()
        .map(|a| {
            a.iter()
                .map(|o| o[key].as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}
