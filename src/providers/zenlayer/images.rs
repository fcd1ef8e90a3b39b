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
use crate::providers::decode::{self, Count, Text};
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

/// `response` of DescribeImages (the SDK's `DescribeImagesResponse`, `vm/v20230313`).
#[derive(Deserialize)]
struct ImagesBody<'a> {
    #[serde(rename = "dataSet", default, borrow)]
    data_set: Vec<RawObject<'a>>,
    #[serde(rename = "totalCount")]
    total_count: Option<u64>,
}

/// `response` of DescribeZones (the SDK's `DescribeZonesResponse`: `zoneSet`).
#[derive(Deserialize)]
struct ZonesBody<'a> {
    #[serde(rename = "zoneSet", alias = "dataSet", default, borrow)]
    zone_set: Vec<ZoneInfo<'a>>,
}

/// One `zoneSet` entry of DescribeZones, the SDK's `ZoneInfo`: `zoneId`, `zoneName`,
/// `supportSecurityGroup`, `supportNetworkType`, `supportIpv6`, `supportCpuPassThrough`; only
/// the id is read (lenient: an entry without a usable one is skipped).
#[derive(Deserialize)]
struct ZoneInfo<'a> {
    #[serde(rename = "zoneId", default, borrow)]
    zone_id: Text<'a>,
}

/// One `dataSet` entry of DescribeImages, the SDK's `ImageInfo` (`vm/v20230313/models.py`):
/// `imageId`, `imageName`, `imageType`, `imageSize`, `imageDescription`, `imageVersion`,
/// `imageStatus`, `category`, `osType` - every member imgcat normalizes. Every member stays in
/// `extra` as sent; these are read borrowed from the body unless they hold escapes.
///
/// Members are lenient ([`Text`], [`Count`]): a value of another type reads as absent, a
/// missing member too; `imageSize` (GB) comes as a numeric string in the documented example
/// (seed 004: `"imageSize": "30"`) and is read as one or as a number. An object without a
/// usable `imageId` fails the answer ([`NoId`]).
#[derive(Deserialize, Default)]
#[serde(default)]
struct ImageInfo<'a> {
    #[serde(rename = "imageId", borrow)]
    image_id: Text<'a>,
    #[serde(rename = "imageName", borrow)]
    image_name: Text<'a>,
    #[serde(rename = "imageType", borrow)]
    image_type: Text<'a>,
    #[serde(rename = "imageSize")]
    image_size: Count,
    #[serde(rename = "imageDescription", borrow)]
    image_description: Text<'a>,
    #[serde(rename = "imageVersion", borrow)]
    image_version: Text<'a>,
    #[serde(rename = "imageStatus", borrow)]
    image_status: Text<'a>,
    #[serde(rename = "category", borrow)]
    category: Text<'a>,
    #[serde(rename = "osType", borrow)]
    os_type: Text<'a>,
}

/// The error answer (a non-200 status): `{"requestId","code","message"}`.
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
        // The page's object locations are kept (a copy) to say what was wrong with an object
        // that could not be mapped.
        let objects = page.data_set.clone();
        let items = map_objects(&answer.body, page.data_set, |raw| {
            map_one(&target.region, raw)
        })
        .map_err(|no_id| {
            let i = no_id.0;
            match objects
                .get(i)
                .and_then(|o| answer.body.get(o.range_in(&answer.body)?))
                .map(serde_json::from_slice::<ImageInfo<'_>>)
            {
                Some(Err(e)) => Error::Malformed {
                    target: target.clone(),
                    status,
                    request_id: rid.clone(),
                    detail: format!("dataSet[{i}] is not an ImageInfo object: {e}"),
                    body_start: answer.body_start(),
                    truncated: false,
                },
                _ => no_id.error(target, status, "imageId", answer.body_start()),
            }
        })?;
        Ok(OffsetPage { items, total })
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

/// Maps one `dataSet` object, its `extra` the object's text in the body; `None` when it has no
/// usable `imageId`, or is not an `ImageInfo` object (a member given twice).
fn map_one(zone: &str, raw: BodyObject<'_>) -> Option<Image> {
    let extra = raw.into_extra();
    let typed: ImageInfo<'_> = serde_json::from_str(extra.get()).ok()?;
    let mut img = to_image(zone, typed)?;
    img.extra = extra;
    Some(img)
}

/// The normalized members of one `ImageInfo` (`extra` left empty); `None` without a usable
/// `imageId`.
fn to_image(zone: &str, m: ImageInfo<'_>) -> Option<Image> {
    let id = m.image_id.owned()?;
    let name = m.image_name.get().unwrap_or_default();
    let mut img = Image::new(ID, zone, id, name.to_string());
    img.visibility = match m.image_type.get() {
        Some("PUBLIC_IMAGE") => Visibility::Public,
        _ => Visibility::Private,
    };
    // Any case (no lowered copy made).
    img.os_type = match m.os_type.get() {
        Some(t) if t.eq_ignore_ascii_case("linux") => OsType::Linux,
        Some(t) if t.eq_ignore_ascii_case("windows") => OsType::Windows,
        _ => OsType::Other,
    };
    img.status = match m.image_status.get() {
        Some("AVAILABLE" | "NORMAL") => Status::Available,
        Some("CREATING") => Status::Creating,
        Some("UNAVAILABLE") => Status::Unavailable,
        Some("DELETED" | "DELETING") => Status::Deleted,
        Some("FAILED" | "CREATE_FAILED") => Status::Error,
        _ => Status::Unknown,
    };
    decode::fill_os(&mut img, &[Some(name), m.category.get()]);
    if let Some(v) = m.image_version.owned() {
        img.os_version = Some(v);
    }
    if let Some(c) = m.category.get()
        && img.os_family.is_none()
    {
        img.os_family = Some(c.to_ascii_lowercase());
    }
    img.size = m.image_size.get().map(|gb| gb.saturating_mul(1 << 30));
    img.description = m.image_description.owned();
    Some(img)
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderMap;

    fn answer(body: String) -> Answer {
        Answer {
            status: 200,
            headers: HeaderMap::new(),
            body: body.into(),
        }
    }

    fn target() -> Target {
        Target {
            provider: ID,
            region: "FRA-A".into(),
        }
    }

    fn decode_set(set: &str) -> Result<OffsetPage> {
        let body = format!(
            r#"{{"requestId":"r","response":{{"requestId":"r","dataSet":[{set}],"totalCount":7}}}}"#
        );
        Zenlayer::decode_images(&target(), answer(body))
    }

    #[test]
    fn maps_the_documented_image_and_keeps_it_as_sent() {
        // Seed 004's example: imageSize is a numeric string, imageDescription null.
        let obj = r#"{"imageVersion":"18.04","imageId":"img-EVhEsCuXhCN0urZ7Vt77oOr6K","imageName":"Ubuntu Server 18.04 LTS x86 64-bit","imageDescription":null,"osType":"linux","imageSize":"30","imageStatus":"AVAILABLE","category":"Ubuntu","imageType":"PUBLIC_IMAGE"}"#;
        let page = decode_set(obj).unwrap();
        assert_eq!(page.total, 7);
        let img = &page.items[0];
        assert_eq!(img.id, "img-EVhEsCuXhCN0urZ7Vt77oOr6K");
        assert_eq!(img.visibility, Visibility::Public);
        assert_eq!(img.os_type, OsType::Linux);
        assert_eq!(img.status, Status::Available);
        assert_eq!(img.os_family.as_deref(), Some("ubuntu"));
        assert_eq!(img.os_version.as_deref(), Some("18.04"));
        assert_eq!(img.size, Some(30 << 30));
        assert_eq!(img.description, None);
        assert_eq!(img.extra.get(), obj, "extra is the object as sent");
    }

    #[test]
    fn members_of_another_type_read_as_absent() {
        let page =
            decode_set(r#"{"imageId":"a","imageSize":-3,"osType":"WINDOWS","category":9,"imageVersion":[]},{"imageId":"b","imageSize":40,"category":"Debian"}"#)
                .unwrap();
        let (a, b) = (&page.items[0], &page.items[1]);
        assert_eq!(a.size, None);
        assert_eq!(a.os_type, OsType::Windows, "osType is read in any case");
        assert_eq!(a.os_family, None);
        assert_eq!(a.os_version, None);
        assert_eq!(b.size, Some(40 << 30));
        assert_eq!(b.os_family.as_deref(), Some("debian"), "from the category");
    }

    #[test]
    fn an_object_that_is_not_an_image_fails_the_answer() {
        for (set, says) in [
            (
                r#"{"imageId":"a"},{"imageId":""}"#,
                "image object 2 has no usable `imageId`",
            ),
            (
                r#"{"imageId":"a","imageName":"x","imageName":"y"}"#,
                "dataSet[0] is not an ImageInfo object: duplicate field `imageName`",
            ),
        ] {
            let e = decode_set(set).unwrap_err().to_string();
            assert!(e.contains(says), "{set}: {e}");
        }
    }

    #[test]
    fn zones_are_the_usable_zone_ids() {
        let body = r#"{"requestId":"r","response":{"zoneSet":[{"zoneId":"FRA-A","zoneName":"Frankfurt A"},{"zoneId":null},{"zoneName":"x"},{"zoneId":"SIN-A","supportIpv6":true}]}}"#;
        let zones = Zenlayer::decode_zones(&target(), answer(body.to_string())).unwrap();
        assert_eq!(zones, ["FRA-A", "SIN-A"]);
    }
}
