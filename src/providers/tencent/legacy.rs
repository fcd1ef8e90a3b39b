//! Tencent Cloud legacy API 2.0: `DescribeImages` on `image.api.qcloud.com/v2/index.php`,
//! signed query parameters, `Offset`/`Limit=100` until `TotalCount`.
//!
//! Errors come inside HTTP 200 answers (`Response.Error`, or the older `code`/`message` form).

use chrono::Utc;
use futures::stream::{self, BoxStream, StreamExt};
use rand::RngExt;
use serde::Deserialize;
use url::Url;

use super::config::TencentConfig;
use super::v2;
use crate::error::{ApiError, Error, ErrorKind, Result, Target};
use crate::http::pager::{self, OffsetPage};
use crate::http::{Answer, HttpClient, RateLimit};
use crate::model::{Image, Status, Visibility};
use crate::providers::decode;
use crate::providers::raw::{BodyObject, RawObject, map_objects};
use crate::providers::{Adapter, ProviderId};
use crate::query::ImageQuery;
use crate::sign::host_with_port;

/// The provider id.
pub const ID: ProviderId = ProviderId::from_static("tencent-legacy");

/// The API's own endpoint.
pub const DEFAULT_ENDPOINT: &str = "https://image.api.qcloud.com";
/// The request path.
pub const PATH: &str = "/v2/index.php";
/// `Version` of DescribeImages.
pub const VERSION: &str = "2017-03-12";
/// Largest page.
pub const PAGE_CAP: u64 = 100;

/// The request-rate limit of DescribeImages, for the account: Tencent documents 40 requests a
/// second for CVM DescribeImages (API 3.0, cloud.tencent.com/document/api/213/15715; API 2.0
/// documented none, and it is the same action), counted per API, access endpoint and
/// (sub-)account ("API 频率限制说明", cloud.tencent.com/document/product/1278/109059): every
/// region is asked through the one endpoint.
pub const RATE_LIMIT: RateLimit = RateLimit::per_account("tencent-legacy", 40);

/// The Tencent legacy adapter.
#[derive(Debug)]
pub struct TencentLegacy {
    http: HttpClient,
    config: TencentConfig,
    endpoint: Url,
}

#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(rename = "Response", borrow)]
    response: Option<Body<'a>>,
    code: Option<serde_json::Value>,
    message: Option<String>,
    #[serde(rename = "codeDesc")]
    code_desc: Option<String>,
}

#[derive(Deserialize)]
struct Body<'a> {
    #[serde(rename = "Error")]
    error: Option<ErrorBody>,
    #[serde(rename = "ImageSet", default, borrow)]
    image_set: Vec<RawObject<'a>>,
    #[serde(rename = "TotalCount")]
    total_count: Option<u64>,
    #[serde(rename = "RequestId", alias = "RequestID")]
    request_id: Option<String>,
}

#[derive(Deserialize)]
struct ErrorBody {
    #[serde(rename = "Code")]
    code: Option<String>,
    #[serde(rename = "Message")]
    message: Option<String>,
}

impl TencentLegacy {
    /// An adapter talking to `endpoint` (normally [`DEFAULT_ENDPOINT`]).
    pub fn new(http: HttpClient, config: TencentConfig, endpoint: Url) -> Self {
        TencentLegacy {
            http: http.rate_limited(RATE_LIMIT),
            config,
            endpoint,
        }
    }

    /// The request parameters of one page, before the common and signature parameters.
    pub fn page_params(region: &str, query: &ImageQuery, offset: u64) -> Vec<(String, String)> {
        let mut p: Vec<(String, String)> = vec![
            ("Action".into(), "DescribeImages".into()),
            ("Version".into(), VERSION.into()),
            ("Region".into(), region.into()),
            ("Offset".into(), offset.to_string()),
            ("Limit".into(), PAGE_CAP.to_string()),
        ];
        let mut filters: Vec<(&str, Vec<&str>)> = Vec::new();
        match query.visibility.only() {
            Some(Visibility::Public) => {
                filters.push(("image-type", vec!["PUBLIC_IMAGE", "MARKET_IMAGE"]))
            }
            Some(Visibility::Private) => filters.push(("image-type", vec!["PRIVATE_IMAGE"])),
            Some(Visibility::Shared) => filters.push(("image-type", vec!["SHARED_IMAGE"])),
            None => {}
        }
        if let Some(name) = query.name.as_ref().and_then(|n| n.exact()) {
            filters.push(("image-name", vec![name]));
        }
        if let Some(id) = &query.id {
            filters.push(("image-id", vec![id.as_str()]));
        }
        for (i, (name, values)) in filters.iter().enumerate() {
            p.push((format!("Filters.{i}.Name"), (*name).to_string()));
            for (j, v) in values.iter().enumerate() {
                p.push((format!("Filters.{i}.Values.{j}"), (*v).to_string()));
            }
        }
        p
    }

    fn host(&self) -> String {
        host_with_port(&self.endpoint)
    }

    fn request(&self, params: &[(String, String)]) -> Result<reqwest::Request> {
        let mut all = params.to_vec();
        let nonce: u32 = rand::rng().random_range(1..=u32::MAX);
        all.push(("Timestamp".into(), Utc::now().timestamp().to_string()));
        all.push(("Nonce".into(), nonce.to_string()));
        let keys = self.config.keys.current();
        all.push(("SecretId".into(), keys.id.clone()));
        all.push(("SignatureMethod".into(), self.config.method.as_str().into()));
        if let Some(t) = &keys.token {
            all.push(("Token".into(), t.expose().to_string()));
        }
        let signature = v2::signature(
            "GET",
            &self.host(),
            PATH,
            &all,
            keys.secret.expose(),
            self.config.method,
        );
        all.push(("Signature".into(), signature));
        let mut url = self.endpoint.clone();
        url.set_path(PATH);
        url.query_pairs_mut().extend_pairs(all.iter());
        self.http
            .reqwest()
            .get(url)
            .build()
            .map_err(|e| Error::Config(format!("tencent-legacy: cannot build request: {e}")))
    }

    /// Decodes one DescribeImages answer: its images (mapped for `target`'s region) and
    /// `TotalCount`, or the error it carries (`Response.Error`, the older `code`/`message` form,
    /// or a non-200 status).
    pub fn decode(target: &Target, answer: Answer) -> Result<OffsetPage> {
        let request_id = answer.header("x-request-id").map(str::to_string);
        if answer.status != 200 {
            let env: Option<Envelope> = serde_json::from_slice(&answer.body).ok();
            let (code, message) = env
                .and_then(|e| e.response)
                .and_then(|b| b.error)
                .map(|e| (e.code, e.message))
                .unwrap_or((None, None));
            return Err(super::classified(ApiError {
                target: target.clone(),
                status: answer.status,
                code,
                message: message
                    .unwrap_or_else(|| format!("unexpected answer: {:?}", answer.body_start())),
                request_id,
                retry_after: answer.retry_after(),
                kind: ErrorKind::Other,
            }));
        }
        let env: Envelope = decode::json(target, &answer, request_id.clone())?;
        if let Some(code) = env.code.as_ref().filter(|c| c.as_i64() != Some(0)) {
            return Err(super::classified(ApiError {
                target: target.clone(),
                status: answer.status,
                code: env.code_desc.clone().or_else(|| Some(code.to_string())),
                message: env.message.unwrap_or_default(),
                request_id,
                retry_after: None,
                kind: ErrorKind::Other,
            }));
        }
        let Some(body) = env.response else {
            return Err(Error::Malformed {
                target: target.clone(),
                status: answer.status,
                request_id,
                detail: "no Response object".into(),
                body_start: answer.body_start(),
                truncated: false,
            });
        };
        let request_id = body.request_id.or(request_id);
        if let Some(err) = body.error {
            return Err(super::classified(ApiError {
                target: target.clone(),
                status: answer.status,
                code: err.code,
                message: err.message.unwrap_or_default(),
                request_id,
                retry_after: None,
                kind: ErrorKind::Other,
            }));
        }
        let Some(total) = body.total_count else {
            return Err(Error::Malformed {
                target: target.clone(),
                status: answer.status,
                request_id,
                detail: "no TotalCount".into(),
                body_start: answer.body_start(),
                truncated: false,
            });
        };
        Ok(OffsetPage {
            items: map_objects(&answer.body, body.image_set, |raw| {
                to_image(&target.region, raw)
            })
            .map_err(|e| e.error(target, answer.status, "ImageId", answer.body_start()))?,
            total,
        })
    }
}

impl Adapter for TencentLegacy {
    fn id(&self) -> ProviderId {
        ID
    }

    fn expand_regions<'a>(
        &'a self,
        regions: Vec<String>,
    ) -> futures::future::BoxFuture<'a, Result<Vec<String>>> {
        Box::pin(async move {
            if !regions.iter().any(|r| r == "all") {
                return Ok(regions);
            }
            let mut out: Vec<String> = super::legacy_regions::REGIONS
                .iter()
                .map(|r| r.to_string())
                .collect();
            for r in regions {
                if r != "all" && !out.contains(&r) {
                    out.push(r);
                }
            }
            Ok(out)
        })
    }

    fn list<'a>(
        &'a self,
        region: &'a str,
        query: &'a ImageQuery,
    ) -> BoxStream<'a, Result<Vec<Image>>> {
        let target = Target {
            provider: ID,
            region: region.to_string(),
        };
        if query.name.as_ref().is_some_and(|n| n.exact() == Some("")) {
            return stream::empty().boxed();
        }
        let fetch = move |i: u64| {
            let params = Self::page_params(region, query, i * PAGE_CAP);
            let target = Target {
                provider: ID,
                region: region.to_string(),
            };
            async move {
                self.config.keys.ready().await?;
                self.http
                    .call(&target, || self.request(&params), Self::decode)
                    .await
            }
        };
        pager::offset(target, PAGE_CAP, self.http.options().concurrency, fetch)
    }
}

/// Maps one `ImageSet` object. Objects without an id are skipped.
pub fn to_image(region: &str, raw: BodyObject) -> Option<Image> {
    let f = raw.fields().ok()?;
    let id = f.str("ImageId")?.to_string();
    let name = f.str("ImageName").unwrap_or_default().to_string();
    let mut img = Image::new(ID, region, id, name);
    img.visibility = match f.str("ImageType") {
        Some("PUBLIC_IMAGE" | "MARKET_IMAGE") => Visibility::Public,
        Some("SHARED_IMAGE") => Visibility::Shared,
        _ => Visibility::Private,
    };
    img.status = match f.str("ImageStatus").or_else(|| f.str("ImageState")) {
        Some("NORMAL" | "AVAILABLE") => Status::Available,
        Some("CREATING" | "IMPORTING" | "SYNCING") => Status::Creating,
        Some("CREATEFAILED" | "IMPORTFAILED" | "FAILED") => Status::Error,
        Some("USING" | "UNAVAILABLE") => Status::Unavailable,
        Some("DELETED") => Status::Deleted,
        _ => Status::Unknown,
    };
    let name_hint = img.name.clone();
    decode::fill_os(
        &mut img,
        &[
            f.str("ImageOsName").or_else(|| f.str("OsName")),
            Some(name_hint.as_str()),
            f.str("Platform"),
        ],
    );
    img.size = f.u64("ImageSize").map(|gb| gb.saturating_mul(1 << 30));
    img.created_at = f
        .str("ImageCreateTime")
        .or_else(|| f.str("CreatedTime"))
        .and_then(decode::time);
    img.description = f.str("ImageDescription").map(str::to_string);
    drop(f);
    img.extra = raw.into_extra();
    Some(img)
}
