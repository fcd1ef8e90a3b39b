//! Zenlayer Cloud: `POST /api/v2/vm` with `x-zc-action: DescribeImages`, a JSON body, ZC2-HMAC-SHA256
//! (or a bearer token), `pageNum`/`pageSize=1000` until `totalCount`. `--region all` asks
//! `DescribeZones` for the zones and covers each.

use chrono::Utc;
use futures::future::BoxFuture;
use futures::stream::{self, BoxStream, StreamExt};
use serde::Deserialize;
use serde_json::json;
use url::Url;

use super::config::ZenlayerAuth;
use super::sign as signer;
use crate::error::{ApiError, Error, ErrorKind, Result, Target};
use crate::http::pager::{self, OffsetPage};
use crate::http::{Answer, HttpClient, RateLimit};
use crate::model::{Image, OsType, Status, Visibility};
use crate::providers::decode;
use crate::providers::raw::{BodyObject, RawObject, map_objects};
use crate::providers::{Adapter, ProviderId};
use crate::query::ImageQuery;
use crate::sign::host_with_port;

/// The provider id.
pub const ID: ProviderId = ProviderId::from_static("zenlayer");

/// The API's own endpoint.
pub const DEFAULT_ENDPOINT: &str = "https://console.zenlayer.com";
/// The request path.
pub const PATH: &str = "/api/v2/vm";
/// `x-zc-version`.
pub const VERSION: &str = "2023-03-13";
/// Largest page.
pub const PAGE_CAP: u64 = 1000;

/// The request-rate limit of the VM API (DescribeImages, DescribeZones), for the account: one
/// endpoint serves every zone. Zenlayer documents no figure (its SDK retries
/// `REQUEST_LIMIT_EXCEEDED`); imgcat keeps to 20 a second, the default of the Tencent-style
/// APIs it follows.
pub const RATE_LIMIT: RateLimit = RateLimit::per_account("zenlayer", 20);

/// The Zenlayer adapter.
#[derive(Debug)]
pub struct Zenlayer {
    http: HttpClient,
    auth: ZenlayerAuth,
    endpoint: Url,
}

#[derive(Deserialize)]
struct Envelope<T> {
    #[serde(rename = "requestId")]
    request_id: Option<String>,
    response: Option<T>,
}

#[derive(Deserialize)]
struct ImagesBody<'a> {
    #[serde(rename = "dataSet", default, borrow)]
    data_set: Vec<RawObject<'a>>,
    #[serde(rename = "totalCount")]
    total_count: Option<u64>,
}

#[derive(Deserialize)]
struct ZonesBody<'a> {
    #[serde(rename = "zoneSet", alias = "dataSet", default, borrow)]
    zone_set: Vec<ZoneInfo<'a>>,
}

/// One `zoneSet` entry of DescribeZones.
#[derive(Deserialize)]
struct ZoneInfo<'a> {
    #[serde(rename = "zoneId", default, borrow)]
    zone_id: decode::Text<'a>,
}

#[derive(Deserialize)]
struct ErrorBody {
    #[serde(rename = "requestId")]
    request_id: Option<String>,
    code: Option<String>,
    message: Option<String>,
}

impl Zenlayer {
    /// An adapter talking to `endpoint` (normally [`DEFAULT_ENDPOINT`]).
    pub fn new(http: HttpClient, auth: ZenlayerAuth, endpoint: Url) -> Self {
        Zenlayer {
            http: http.rate_limited(RATE_LIMIT),
            auth,
            endpoint,
        }
    }

    /// The JSON body of one DescribeImages page.
    pub fn page_body(zone: &str, query: &ImageQuery, page: u64) -> serde_json::Value {
        let mut body = json!({
            "zoneId": zone,
            "pageNum": page + 1,
            "pageSize": PAGE_CAP,
        });
        match query.visibility.only() {
            Some(Visibility::Public) => body["imageType"] = json!("PUBLIC_IMAGE"),
            Some(Visibility::Private) => body["imageType"] = json!("CUSTOM_IMAGE"),
            _ => {}
        }
        if let Some(name) = query.name.as_ref().and_then(|n| n.exact()) {
            body["imageName"] = json!(name);
        }
        match query.os_type {
            Some(OsType::Linux) => body["osType"] = json!("linux"),
            Some(OsType::Windows) => body["osType"] = json!("windows"),
            _ => {}
        }
        if let Some(id) = &query.id {
            body["imageIds"] = json!([id]);
        }
        body
    }

    fn request(&self, action: &str, body: &serde_json::Value) -> Result<reqwest::Request> {
        let bytes = serde_json::to_vec(body)
            .map_err(|e| Error::Config(format!("zenlayer: cannot encode request: {e}")))?;
        let mut url = self.endpoint.clone();
        url.set_path(PATH);
        let mut builder = self
            .http
            .reqwest()
            .post(url)
            .header("content-type", "application/json")
            .header("x-zc-action", action)
            .header("x-zc-version", VERSION)
            .header("x-zc-service", "vm");
        match &self.auth {
            ZenlayerAuth::Key { id, password } => {
                let signed = signer::sign(
                    &host_with_port(&self.endpoint),
                    &bytes,
                    id,
                    password.expose(),
                    Utc::now().timestamp(),
                );
                builder = builder
                    .header("x-zc-timestamp", signed.timestamp)
                    .header("x-zc-signature-method", signed.signature_method)
                    .header("authorization", signed.authorization);
            }
            ZenlayerAuth::Bearer(token) => {
                builder = builder.header("authorization", format!("Bearer {}", token.expose()));
            }
        }
        builder
            .body(bytes)
            .build()
            .map_err(|e| Error::Config(format!("zenlayer: cannot build request: {e}")))
    }

    fn decode<'a, T: serde::Deserialize<'a>>(
        target: &Target,
        answer: &'a Answer,
    ) -> Result<(T, Option<String>)> {
        let header_rid = answer.header("x-request-id").map(str::to_string);
        if answer.status != 200 {
            let err: Option<ErrorBody> = serde_json::from_slice(&answer.body).ok();
            let (rid, code, message) = err
                .map(|e| (e.request_id, e.code, e.message))
                .unwrap_or((None, None, None));
            return Err(super::classified(ApiError {
                target: target.clone(),
                status: answer.status,
                code,
                message: message
                    .unwrap_or_else(|| format!("unexpected answer: {:?}", answer.body_start())),
                request_id: rid.or(header_rid),
                retry_after: answer.retry_after(),
                kind: ErrorKind::Other,
            }));
        }
        let env: Envelope<T> = decode::json(target, answer, header_rid.clone())?;
        let rid = env.request_id.or(header_rid);
        match env.response {
            Some(body) => Ok((body, rid)),
            None => Err(Error::Malformed {
                target: target.clone(),
                status: answer.status,
                request_id: rid,
                detail: "no response object".into(),
                body_start: answer.body_start(),
                truncated: false,
            }),
        }
    }

    async fn zones(&self) -> Result<Vec<String>> {
        let target = Target {
            provider: ID,
            region: "all".into(),
        };
        let body = json!({});
        self.http
            .call(
                &target,
                || self.request("DescribeZones", &body),
                Self::decode_zones,
            )
            .await
    }

    /// Decodes one DescribeImages answer: its images (mapped for `target`'s zone) and
    /// `totalCount`, or the error it carries.
    pub fn decode_images(target: &Target, answer: Answer) -> Result<OffsetPage> {
        let status = answer.status;
        let (page, rid): (ImagesBody, _) = Self::decode(target, &answer)?;
        let Some(total) = page.total_count else {
            return Err(Error::Malformed {
                target: target.clone(),
                status,
                request_id: rid,
                detail: "no totalCount".into(),
                body_start: String::new(),
                truncated: false,
            });
        };
        Ok(OffsetPage {
            items: map_objects(&answer.body, page.data_set, |raw| {
                to_image(&target.region, raw)
            })
            .map_err(|e| e.error(target, status, "imageId", answer.body_start()))?,
            total,
        })
    }

    /// Decodes one DescribeZones answer: the zone ids, or the error it carries.
    pub fn decode_zones(target: &Target, answer: Answer) -> Result<Vec<String>> {
        let (zones, _): (ZonesBody, _) = Self::decode(target, &answer)?;
        Ok(zones
            .zone_set
            .iter()
            .filter_map(|z| z.zone_id.owned())
            .collect())
    }
}

impl Adapter for Zenlayer {
    fn id(&self) -> ProviderId {
        ID
    }

    fn list<'a>(
        &'a self,
        region: &'a str,
        query: &'a ImageQuery,
    ) -> BoxStream<'a, Result<Vec<Image>>> {
        // Zenlayer has public and custom (private) images only.
        if query.visibility.only() == Some(Visibility::Shared) {
            return stream::empty().boxed();
        }
        let target = Target {
            provider: ID,
            region: region.to_string(),
        };
        let fetch = move |i: u64| {
            let body = Self::page_body(region, query, i);
            let target = Target {
                provider: ID,
                region: region.to_string(),
            };
            async move {
                self.http
                    .call(
                        &target,
                        || self.request("DescribeImages", &body),
                        Self::decode_images,
                    )
                    .await
            }
        };
        pager::offset(target, PAGE_CAP, self.http.options().concurrency, fetch)
    }

    fn expand_regions<'a>(&'a self, regions: Vec<String>) -> BoxFuture<'a, Result<Vec<String>>> {
        Box::pin(async move {
            if !regions.iter().any(|r| r == "all") {
                return Ok(regions);
            }
            let mut out: Vec<String> = regions.into_iter().filter(|r| r != "all").collect();
            for z in self.zones().await? {
                if !out.contains(&z) {
                    out.push(z);
                }
            }
            Ok(out)
        })
    }
}

/// Maps one `dataSet` object. Objects without an id are skipped.
pub fn to_image(zone: &str, raw: BodyObject) -> Option<Image> {
    let f = raw.fields().ok()?;
    let id = f.str("imageId")?.to_string();
    let name = f.str("imageName").unwrap_or_default().to_string();
    let mut img = Image::new(ID, zone, id, name);
    img.visibility = match f.str("imageType") {
        Some("PUBLIC_IMAGE") => Visibility::Public,
        _ => Visibility::Private,
    };
    img.os_type = match f.str("osType").map(str::to_ascii_lowercase).as_deref() {
        Some("linux") => OsType::Linux,
        Some("windows") => OsType::Windows,
        _ => OsType::Other,
    };
    img.status = match f.str("imageStatus") {
        Some("AVAILABLE" | "NORMAL") => Status::Available,
        Some("CREATING") => Status::Creating,
        Some("UNAVAILABLE") => Status::Unavailable,
        Some("DELETED" | "DELETING") => Status::Deleted,
        Some("FAILED" | "CREATE_FAILED") => Status::Error,
        _ => Status::Unknown,
    };
    let name_hint = img.name.clone();
    decode::fill_os(&mut img, &[Some(name_hint.as_str()), f.str("category")]);
    if let Some(v) = f.str("imageVersion") {
        img.os_version = Some(v.to_string());
    }
    if let Some(c) = f.str("category")
        && img.os_family.is_none()
    {
        img.os_family = Some(c.to_ascii_lowercase());
    }
    img.size = f.u64("imageSize").map(|gb| gb.saturating_mul(1 << 30));
    img.description = f.str("imageDescription").map(str::to_string);
    drop(f);
    img.extra = raw.into_extra();
    Some(img)
}
