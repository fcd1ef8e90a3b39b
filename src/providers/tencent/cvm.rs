//! Tencent Cloud API 3.0: CVM `DescribeImages` (Version `2017-03-12`), TC3-HMAC-SHA256, POST
//! JSON to `https://cvm.tencentcloudapi.com/` with the region in `X-TC-Region` - the host and
//! header tencentcloud-sdk-python's `CvmClient` uses by default (`{service}.{rootDomain}`).
//! `Offset`/`Limit=100` until `TotalCount`; `DescribeRegions` for `--region all`.
//!
//! Errors come inside HTTP 200 answers: `{"Response":{"Error":{"Code","Message"},"RequestId"}}`.

use std::borrow::Cow;

use chrono::Utc;
use futures::future::BoxFuture;
use futures::stream::{self, BoxStream, StreamExt};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use url::Url;

use super::{sdk_json, tc3};
use crate::credentials::Keys;
use crate::error::{ApiError, Error, ErrorKind, Result, Target};
use crate::http::pager::{self, OffsetPage};
use crate::http::{Answer, HttpClient, RateLimit};
use crate::model::{Arch, Extra, Image, Status, Visibility};
use crate::providers::decode;
use crate::providers::{Adapter, ProviderId};
use crate::query::ImageQuery;
use crate::sign::host_with_port;

/// The provider id.
pub const ID: ProviderId = ProviderId::from_static("tencent");

/// The API's endpoint (the SDK's default host for the `cvm` service).
pub const DEFAULT_ENDPOINT: &str = "https://cvm.tencentcloudapi.com";
/// The service name: the host's first label and part of the TC3 credential scope.
pub const SERVICE: &str = "cvm";
/// `X-TC-Version`.
pub const VERSION: &str = "2017-03-12";
/// Largest page (`Limit`).
pub const PAGE_CAP: u64 = 100;

/// The API 3.0 adapter.
#[derive(Debug)]
pub struct Cvm {
    http: HttpClient,
    creds: Keys,
    endpoint: Url,
}

/// One `Filters` entry.
#[derive(Debug, Serialize)]
struct Filter<'a> {
    #[serde(rename = "Name")]
    name: &'a str,
    #[serde(rename = "Values")]
    values: Vec<&'a str>,
}

/// The `DescribeImages` request body (members in the order the SDK's model serializes them
/// does not matter to the server; the signature covers the bytes we send).
#[derive(Debug, Serialize)]
struct DescribeImages<'a> {
    #[serde(rename = "ImageIds", skip_serializing_if = "Option::is_none")]
    image_ids: Option<Vec<&'a str>>,
    #[serde(rename = "Filters", skip_serializing_if = "Vec::is_empty")]
    filters: Vec<Filter<'a>>,
    #[serde(rename = "Offset")]
    offset: u64,
    #[serde(rename = "Limit")]
    limit: u64,
}

#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(rename = "Response", borrow)]
    response: Option<Body<'a>>,
}

#[derive(Deserialize)]
struct Body<'a> {
    #[serde(rename = "Error")]
    error: Option<ErrorBody>,
    #[serde(rename = "ImageSet", default, borrow)]
    image_set: Vec<&'a RawValue>,
    #[serde(rename = "RegionSet", default)]
    region_set: Vec<RegionInfo>,
    #[serde(rename = "TotalCount")]
    total_count: Option<u64>,
    #[serde(rename = "RequestId")]
    request_id: Option<String>,
}

#[derive(Deserialize)]
struct ErrorBody {
    #[serde(rename = "Code")]
    code: Option<String>,
    #[serde(rename = "Message")]
    message: Option<String>,
}

/// `RegionInfo` of `DescribeRegions`.
#[derive(Deserialize)]
struct RegionInfo {
    #[serde(rename = "Region")]
    region: Option<String>,
}

/// The SDK's `Image` model (`cvm/v20170312/models.py`), the members imgcat normalizes; every
/// member stays in `extra` as sent. Strings borrow from the body unless they hold escapes.
#[derive(Deserialize)]
struct CvmImage<'a> {
    #[serde(rename = "ImageId", borrow)]
    image_id: Option<Cow<'a, str>>,
    #[serde(rename = "OsName", borrow)]
    os_name: Option<Cow<'a, str>>,
    #[serde(rename = "ImageType", borrow)]
    image_type: Option<Cow<'a, str>>,
    #[serde(rename = "CreatedTime", borrow)]
    created_time: Option<Cow<'a, str>>,
    #[serde(rename = "ImageName", borrow)]
    image_name: Option<Cow<'a, str>>,
    #[serde(rename = "ImageDescription", borrow)]
    image_description: Option<Cow<'a, str>>,
    #[serde(rename = "ImageSize")]
    image_size: Option<u64>,
    #[serde(rename = "Architecture", borrow)]
    architecture: Option<Cow<'a, str>>,
    #[serde(rename = "ImageState", borrow)]
    image_state: Option<Cow<'a, str>>,
    #[serde(rename = "Platform", borrow)]
    platform: Option<Cow<'a, str>>,
    #[serde(rename = "ImageDeprecated")]
    image_deprecated: Option<bool>,
}

/// The request-rate limit of CVM `DescribeImages` (and `DescribeRegions`), for the account:
/// 40 requests a second, documented (cloud.tencent.com/document/api/213/15715), counted per
/// API, access endpoint and (sub-)account ("API 频率限制说明",
/// cloud.tencent.com/document/product/1278/109059): every region is asked through the one
/// endpoint. (`DescribeRegions` has a limit of its own; it is asked once a run.)
pub const RATE_LIMIT: RateLimit = RateLimit::per_account("tencent-cvm", 40);

impl Cvm {
    /// An adapter talking to `endpoint` (normally [`DEFAULT_ENDPOINT`]).
    pub fn new(http: HttpClient, creds: Keys, endpoint: Url) -> Self {
        Cvm {
            http: http.rate_limited(RATE_LIMIT),
            creds,
            endpoint,
        }
    }

    /// The JSON body of one `DescribeImages` page, as the SDK writes it.
    pub fn page_body(query: &ImageQuery, offset: u64) -> Vec<u8> {
        let mut filters: Vec<Filter<'_>> = Vec::new();
        match query.visibility.only() {
            Some(Visibility::Public) => filters.push(Filter {
                name: "image-type",
                values: vec!["PUBLIC_IMAGE"],
            }),
            Some(Visibility::Private) => filters.push(Filter {
                name: "image-type",
                values: vec!["PRIVATE_IMAGE"],
            }),
            Some(Visibility::Shared) => filters.push(Filter {
                name: "image-type",
                values: vec!["SHARED_IMAGE"],
            }),
            None => {}
        }
        // image-name is fuzzy on the server: it narrows the listing, the exact (or glob) match
        // is made client-side. A glob is not pushed down.
        if let Some(name) = query.name.as_ref().and_then(|n| n.exact()) {
            filters.push(Filter {
                name: "image-name",
                values: vec![name],
            });
        }
        // ImageIds and Filters cannot both be sent: an id goes as the image-id filter.
        if let Some(id) = &query.id {
            filters.push(Filter {
                name: "image-id",
                values: vec![id.as_str()],
            });
        }
        let body = DescribeImages {
            image_ids: None,
            filters,
            offset,
            limit: PAGE_CAP,
        };
        // Serializing these plain structs cannot fail; an empty object would be refused by
        // the server rather than list wrongly.
        sdk_json::to_vec(&body).unwrap_or_else(|_| b"{}".to_vec())
    }

    /// A signed POST of `body` for `action` (in `region`, when the action takes one).
    fn request(&self, action: &str, region: Option<&str>, body: &[u8]) -> Result<reqwest::Request> {
        let host = host_with_port(&self.endpoint);
        let req = tc3::SignableRequest {
            method: "POST",
            host: &host,
            canonical_uri: "/",
            query: "",
            content_type: tc3::CONTENT_TYPE_JSON,
            payload: body,
        };
        let action = tc3::Action {
            service: SERVICE,
            action,
            version: VERSION,
            region,
        };
        let keys = self.creds.current();
        let creds = tc3::Credentials {
            secret_id: &keys.id,
            secret_key: keys.secret.expose(),
            token: keys.token.as_ref().map(|t| t.expose()),
        };
        let signed = tc3::sign(&req, &action, &creds, Utc::now());
        let mut url = self.endpoint.clone();
        url.set_path("/");
        let mut builder = self.http.reqwest().post(url).body(body.to_vec());
        for (name, value) in &signed.headers {
            // reqwest sets Host from the URL (the same value that was signed).
            if !name.eq_ignore_ascii_case("host") {
                builder = builder.header(*name, value);
            }
        }
        builder
            .build()
            .map_err(|e| Error::Config(format!("{ID}: cannot build request: {e}")))
    }

    /// Reads an answer's `Response`, or the error it carries (`Response.Error`, in HTTP 200 or
    /// not).
    fn response<'a>(target: &Target, answer: &'a Answer) -> Result<(Body<'a>, Option<String>)> {
        let header_rid = answer.header("x-tc-requestid").map(str::to_string);
        let parsed: Result<Envelope<'a>> = decode::json(target, answer, header_rid.clone());
        let body = match parsed {
            Ok(Envelope {
                response: Some(body),
            }) => body,
            Ok(Envelope { response: None }) if answer.status == 200 => {
                return Err(Error::Malformed {
                    target: target.clone(),
                    status: answer.status,
                    request_id: header_rid,
                    detail: "no Response object".into(),
                    body_start: answer.body_start(),
                    truncated: false,
                });
            }
            Err(e) if answer.status == 200 => return Err(e),
            _ => {
                return Err(super::classified(ApiError {
                    target: target.clone(),
                    status: answer.status,
                    code: None,
                    message: format!("unexpected answer: {:?}", answer.body_start()),
                    request_id: header_rid,
                    retry_after: answer.retry_after(),
                    kind: ErrorKind::Other,
                }));
            }
        };
        let rid = body.request_id.clone().or(header_rid);
        if let Some(err) = &body.error {
            return Err(super::classified(ApiError {
                target: target.clone(),
                status: answer.status,
                code: err.code.clone(),
                message: err.message.clone().unwrap_or_default(),
                request_id: rid,
                retry_after: answer.retry_after(),
                kind: ErrorKind::Other,
            }));
        }
        if answer.status != 200 {
            return Err(super::classified(ApiError {
                target: target.clone(),
                status: answer.status,
                code: None,
                message: format!("unexpected answer: {:?}", answer.body_start()),
                request_id: rid,
                retry_after: answer.retry_after(),
                kind: ErrorKind::Other,
            }));
        }
        Ok((body, rid))
    }

    /// Decodes one DescribeImages answer: its images (for `target`'s region) and
    /// `TotalCount`, or the error it carries. An image without a usable `ImageId` makes the
    /// whole answer malformed.
    pub fn decode_images(target: &Target, answer: Answer) -> Result<OffsetPage> {
        let (body, rid) = Self::response(target, &answer)?;
        let malformed = |detail: String| Error::Malformed {
            target: target.clone(),
            status: answer.status,
            request_id: rid.clone(),
            detail,
            body_start: answer.body_start(),
            truncated: false,
        };
        let Some(total) = body.total_count else {
            return Err(malformed("no TotalCount".into()));
        };
        let mut items = Vec::with_capacity(body.image_set.len());
        for (i, raw) in body.image_set.iter().enumerate() {
            let text = raw.get();
            let typed: CvmImage<'_> = serde_json::from_str(text)
                .map_err(|e| malformed(format!("ImageSet[{i}] is not an Image object: {e}")))?;
            let img = to_image(&target.region, typed, Extra::from_body(&answer.body, text))
                .ok_or_else(|| malformed(format!("ImageSet[{i}] has no ImageId")))?;
            items.push(img);
        }
        Ok(OffsetPage { items, total })
    }

    /// Decodes one DescribeRegions answer: the region names, in the API's order.
    pub fn decode_regions(target: &Target, answer: Answer) -> Result<Vec<String>> {
        let (body, rid) = Self::response(target, &answer)?;
        let mut out = Vec::with_capacity(body.region_set.len());
        for r in body.region_set {
            match r.region.filter(|r| !r.is_empty()) {
                Some(r) => out.push(r),
                None => {
                    return Err(Error::Malformed {
                        target: target.clone(),
                        status: answer.status,
                        request_id: rid,
                        detail: "a RegionSet entry has no Region".into(),
                        body_start: answer.body_start(),
                        truncated: false,
                    });
                }
            }
        }
        Ok(out)
    }

    /// Every region `DescribeRegions` lists.
    pub async fn regions(&self) -> Result<Vec<String>> {
        let target = Target {
            provider: ID,
            region: "all".into(),
        };
        let body = b"{}".to_vec();
        self.creds.ready().await?;
        self.http
            .call(
                &target,
                || self.request("DescribeRegions", None, &body),
                Self::decode_regions,
            )
            .await
    }
}

impl Adapter for Cvm {
    fn id(&self) -> ProviderId {
        ID
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
            let body = Self::page_body(query, i * PAGE_CAP);
            let target = Target {
                provider: ID,
                region: region.to_string(),
            };
            async move {
                self.creds.ready().await?;
                self.http
                    .call(
                        &target,
                        || self.request("DescribeImages", Some(region), &body),
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
            for r in self.regions().await? {
                if !out.contains(&r) {
                    out.push(r);
                }
            }
            Ok(out)
        })
    }
}

/// Maps one `Image`; `None` when it has no usable `ImageId`.
fn to_image(region: &str, m: CvmImage<'_>, extra: Extra) -> Option<Image> {
    let id = m.image_id.filter(|s| !s.is_empty())?.into_owned();
    let name = m.image_name.map(Cow::into_owned).unwrap_or_default();
    let mut img = Image::new(ID, region, id, name);
    img.visibility = match m.image_type.as_deref() {
        Some("PUBLIC_IMAGE") => Visibility::Public,
        Some("SHARED_IMAGE") => Visibility::Shared,
        _ => Visibility::Private,
    };
    img.status = match m.image_state.as_deref() {
        Some("NORMAL") => Status::Available,
        Some("CREATING" | "SYNCING" | "IMPORTING") => Status::Creating,
        Some("CREATEFAILED" | "IMPORTFAILED") => Status::Error,
        Some("USING") => Status::Unavailable,
        _ => Status::Unknown,
    };
    img.architecture = match m.architecture.as_deref() {
        Some("x86_64") => Some(Arch::X86_64),
        Some("arm" | "arm64" | "aarch64") => Some(Arch::Arm64),
        Some("i386") => Some(Arch::I386),
        _ => None,
    };
    let name_hint = img.name.clone();
    decode::fill_os(
        &mut img,
        &[
            m.os_name.as_deref(),
            Some(name_hint.as_str()),
            m.platform.as_deref(),
        ],
    );
    img.size = m.image_size.map(|gb| gb.saturating_mul(1 << 30));
    img.created_at = m.created_time.as_deref().and_then(decode::time);
    img.description = m
        .image_description
        .filter(|d| !d.is_empty())
        .map(Cow::into_owned);
    img.deprecated = m.image_deprecated;
    img.extra = extra;
    Some(img)
}
