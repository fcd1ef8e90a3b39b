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
use crate::providers::decode::{self, Count, Text};
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

/// One `ImageSet` entry, the API 2.0 `Image` object: `ImageId`, `ImageName`, `ImageType`,
/// `ImageStatus`, `ImageOsName`, `ImageCreateTime`, `ImageDescription` (all strings; the seed
/// doc "Checking Image List" also shows `Creator`, not normalized), and the API 3.0 names some
/// answers carry instead, read as fallbacks: `ImageState`, `OsName`, `CreatedTime`,
/// `Platform`, and `ImageSize` (GB). Every member stays in `extra` as sent; only these are
/// read, borrowed from the body unless they hold escapes.
///
/// Members are lenient ([`Text`], [`Count`]): a value of another type reads as absent (a size
/// may also be a numeric string), a missing member too. An object without a usable `ImageId`
/// fails the answer ([`NoId`]).
#[derive(Deserialize, Default)]
#[serde(default)]
struct LegacyImage<'a> {
    #[serde(rename = "ImageId", borrow)]
    image_id: Text<'a>,
    #[serde(rename = "ImageName", borrow)]
    image_name: Text<'a>,
    #[serde(rename = "ImageType", borrow)]
    image_type: Text<'a>,
    #[serde(rename = "ImageStatus", borrow)]
    image_status: Text<'a>,
    #[serde(rename = "ImageState", borrow)]
    image_state: Text<'a>,
    #[serde(rename = "ImageOsName", borrow)]
    image_os_name: Text<'a>,
    #[serde(rename = "OsName", borrow)]
    os_name: Text<'a>,
    #[serde(rename = "Platform", borrow)]
    platform: Text<'a>,
    #[serde(rename = "ImageSize")]
    image_size: Count,
    #[serde(rename = "ImageCreateTime", borrow)]
    image_create_time: Text<'a>,
    #[serde(rename = "CreatedTime", borrow)]
    created_time: Text<'a>,
    #[serde(rename = "ImageDescription", borrow)]
    image_description: Text<'a>,
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
        // The page's object locations are kept (a copy) to say what was wrong with an object
        // that could not be mapped.
        let objects = body.image_set.clone();
        let items = map_objects(&answer.body, body.image_set, |raw| {
            map_one(&target.region, raw)
        })
        .map_err(|no_id| {
            let i = no_id.0;
            match objects
                .get(i)
                .and_then(|o| answer.body.get(o.range_in(&answer.body)?))
                .map(serde_json::from_slice::<LegacyImage<'_>>)
            {
                Some(Err(e)) => Error::Malformed {
                    target: target.clone(),
                    status: answer.status,
                    request_id: request_id.clone(),
                    detail: format!("ImageSet[{i}] is not an Image object: {e}"),
                    body_start: answer.body_start(),
                    truncated: false,
                },
                _ => no_id.error(target, answer.status, "ImageId", answer.body_start()),
            }
        })?;
        Ok(OffsetPage { items, total })
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

/// Maps one `ImageSet` object, its `extra` the object's text in the body; `None` when it has no
/// usable `ImageId`, or is not an `Image` object (a member given twice).
fn map_one(region: &str, raw: BodyObject<'_>) -> Option<Image> {
    let extra = raw.into_extra();
    let typed: LegacyImage<'_> = serde_json::from_str(extra.get()).ok()?;
    let mut img = to_image(region, typed)?;
    img.extra = extra;
    Some(img)
}

/// The normalized members of one `Image` (`extra` left empty); `None` without a usable
/// `ImageId`.
fn to_image(region: &str, m: LegacyImage<'_>) -> Option<Image> {
    let id = m.image_id.owned()?;
    let name = m.image_name.get().unwrap_or_default();
    let mut img = Image::new(ID, region, id, name.to_string());
    img.visibility = match m.image_type.get() {
        Some("PUBLIC_IMAGE" | "MARKET_IMAGE") => Visibility::Public,
        Some("SHARED_IMAGE") => Visibility::Shared,
        _ => Visibility::Private,
    };
    img.status = match m.image_status.get().or_else(|| m.image_state.get()) {
        Some("NORMAL" | "AVAILABLE") => Status::Available,
        Some("CREATING" | "IMPORTING" | "SYNCING") => Status::Creating,
        Some("CREATEFAILED" | "IMPORTFAILED" | "FAILED") => Status::Error,
        Some("USING" | "UNAVAILABLE") => Status::Unavailable,
        Some("DELETED") => Status::Deleted,
        _ => Status::Unknown,
    };
    decode::fill_os(
        &mut img,
        &[
            m.image_os_name.get().or_else(|| m.os_name.get()),
            Some(name),
            m.platform.get(),
        ],
    );
    img.size = m.image_size.get().map(|gb| gb.saturating_mul(1 << 30));
    img.created_at = m
        .image_create_time
        .get()
        .or_else(|| m.created_time.get())
        .and_then(decode::time);
    img.description = m.image_description.owned();
    Some(img)
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderMap;

    fn decode_set(set: &str) -> Result<OffsetPage> {
        let target = Target {
            provider: ID,
            region: "ap-guangzhou".into(),
        };
        let body =
            format!(r#"{{"Response":{{"ImageSet":[{set}],"TotalCount":9,"RequestId":"r"}}}}"#);
        TencentLegacy::decode(
            &target,
            Answer {
                status: 200,
                headers: HeaderMap::new(),
                body: body.into(),
            },
        )
    }

    #[test]
    fn maps_the_documented_image_and_keeps_it_as_sent() {
        let obj = r#"{"ImageId":"img-pmqg1cw7","ImageOsName":"centos6.6x86_32","ImageType":"PUBLIC_IMAGE","ImageCreateTime":"1970-01-01T00:00:00+00:00","ImageStatus":"NORMAL","ImageName":"Centos 6.6 32-bit","ImageDescription":"Centos 6.6 32-bit","Creator":"PUBLIC"}"#;
        let page = decode_set(obj).unwrap();
        assert_eq!(page.total, 9);
        let img = &page.items[0];
        assert_eq!(img.id, "img-pmqg1cw7");
        assert_eq!(img.name, "Centos 6.6 32-bit");
        assert_eq!(img.visibility, Visibility::Public);
        assert_eq!(img.status, Status::Available);
        assert_eq!(img.os_family.as_deref(), Some("centos"));
        assert_eq!(img.description.as_deref(), Some("Centos 6.6 32-bit"));
        assert_eq!(img.created_at.map(|t| t.timestamp()), Some(0));
        assert_eq!(img.extra.get(), obj, "extra is the object as sent");
    }

    #[test]
    fn members_of_another_type_read_as_absent() {
        let page = decode_set(
            r#"{"ImageId":"img-\u0061","ImageName":7,"ImageType":null,"ImageStatus":"","ImageState":"CREATING","ImageSize":" 50 ","ImageDescription":{"x":1},"CreatedTime":"2024-01-02 03:04:05"},
               {"ImageId":"img-b","ImageSize":1.5,"ImageOsName":["x"],"OsName":"Ubuntu 22.04"}"#,
        )
        .unwrap();
        let (a, b) = (&page.items[0], &page.items[1]);
        assert_eq!(a.id, "img-a", "escapes are read");
        assert_eq!(a.name, "");
        assert_eq!(a.visibility, Visibility::Private);
        assert_eq!(
            a.status,
            Status::Creating,
            "an empty ImageStatus falls back"
        );
        assert_eq!(a.size, Some(50 << 30), "a numeric string is a size");
        assert_eq!(a.description, None);
        assert!(a.created_at.is_some());
        assert_eq!(b.size, None);
        assert_eq!(b.os_family.as_deref(), Some("ubuntu"));
    }

    #[test]
    fn an_object_that_is_not_an_image_fails_the_answer() {
        for (set, says) in [
            (
                r#"{"ImageId":"a"},{"ImageId":7}"#,
                "image object 2 has no usable `ImageId`",
            ),
            (
                r#"{"ImageId":"a","ImageId":"b"}"#,
                "ImageSet[0] is not an Image object: duplicate field `ImageId`",
            ),
        ] {
            let e = decode_set(set).unwrap_err().to_string();
            assert!(e.contains(says), "{set}: {e}");
        }
    }
}
