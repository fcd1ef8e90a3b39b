//! Huawei IMS: `GET /v2/images` (Glance v2), `limit=1000` + `marker`, following the relative
//! `next` link until it is absent.

use std::borrow::Cow;
use std::sync::Arc;

use futures::stream::BoxStream;
use serde::Deserialize;
use url::Url;

use super::{HuaweiClient, with_query};
use crate::error::{Error, Result, Target};
use crate::http::pager::{self, CursorPage};
use crate::http::{Answer, HttpClient, RateLimit, redact};
use crate::model::{Arch, Extra, Image, OsType, Status, Visibility};
use crate::providers::decode;
use crate::providers::raw::{BodyObject, Lenient, Located, RawObject, Refusal};
use crate::providers::{Adapter, ProviderId, after};
use crate::query::ImageQuery;

/// The provider id.
pub const ID: ProviderId = ProviderId::from_static("huawei-ims");

/// Largest page IMS serves.
pub const PAGE_CAP: u32 = 1000;

/// The IMS adapter.
#[derive(Debug)]
pub struct Ims {
    client: Arc<HuaweiClient>,
    http: HttpClient,
    endpoint: Option<Url>,
}

/// The request-rate limit of IMS `GET /v2/images`, per region (each region has its own endpoint and
/// API gateway). Huawei documents no figure for it; its API Gateway throttles an API at 200
/// calls a second by default (APIG user guide, "request throttling"): imgcat keeps to a quarter.
pub const RATE_LIMIT: RateLimit = RateLimit::per_region("huawei-ims", 50);

/// What is read of a page before the next request leaves: the link, and where each image
/// lies in the body (borrowed, not copied), so that decoding them later does not read the page
/// again.
#[derive(Deserialize)]
struct PageHead<'a> {
    #[serde(borrow)]
    images: Vec<RawObject<'a>>,
    next: Option<String>,
}

/// The SDK's model of a Glance image (huaweicloudsdkims `GlanceShowImageListResponseBody`, the
/// items of `GlanceListImagesResponse`; its `ImageInfo`, of `/v2/cloudimages`, types these
/// members alike), the members imgcat normalizes; every member stays in `extra` as sent.
/// Strings borrow from the body unless they hold escapes. Every member is [`Lenient`]: one of
/// the wrong type reads as absent, as a missing one does (the image is kept); only an unusable
/// `id` (missing, null, empty, not a string) refuses the object, and so the answer.
#[derive(Deserialize, Default)]
#[serde(default)]
struct GlanceImage<'a> {
    /// `str`; required.
    #[serde(borrow)]
    id: Lenient<Cow<'a, str>>,
    /// `str`.
    #[serde(borrow)]
    name: Lenient<Cow<'a, str>>,
    /// `str`: `public`, `private`, `shared`.
    #[serde(borrow)]
    visibility: Lenient<Cow<'a, str>>,
    /// `str` (`imagetype`): `gold`, `private`, `shared`, `market`.
    #[serde(rename = "__imagetype", borrow)]
    imagetype: Lenient<Cow<'a, str>>,
    /// `str`: `Linux`, `Windows`, `Other`.
    #[serde(rename = "__os_type", borrow)]
    os_type: Lenient<Cow<'a, str>>,
    /// `str`: `queued`, `saving`, `deleted`, `killed`, `active`, ...
    #[serde(borrow)]
    status: Lenient<Cow<'a, str>>,
    /// `str`: `"true"` for an Arm image.
    #[serde(rename = "__support_arm", borrow)]
    support_arm: Lenient<Cow<'a, str>>,
    /// `str`: `"32"` or `"64"`.
    #[serde(rename = "__os_bit", borrow)]
    os_bit: Lenient<Cow<'a, str>>,
    /// `str`, e.g. `CentOS 7.6 64bit`.
    #[serde(rename = "__os_version", borrow)]
    os_version: Lenient<Cow<'a, str>>,
    /// `str`, e.g. `CentOS`.
    #[serde(rename = "__platform", borrow)]
    platform: Lenient<Cow<'a, str>>,
    /// `str` (a number of bytes as a string; a number is read too).
    #[serde(rename = "__image_size")]
    image_size: Lenient<u64>,
    /// `int`: bytes (0 for many public images: read only when positive).
    size: Lenient<u64>,
    /// `int`: GB.
    min_disk: Lenient<u64>,
    /// `int`: MB.
    min_ram: Lenient<u64>,
    /// `str`: `vhd`, `zvhd`, `zvhd2`, `raw`, `qcow2`, ...
    #[serde(borrow)]
    disk_format: Lenient<Cow<'a, str>>,
    /// `str`: RFC 3339.
    #[serde(borrow)]
    created_at: Lenient<Cow<'a, str>>,
    /// `str` (`description`).
    #[serde(rename = "__description", borrow)]
    description: Lenient<Cow<'a, str>>,
}

impl Ims {
    /// An adapter over the shared client; `endpoint` overrides the regional URL.
    pub fn new(client: Arc<HuaweiClient>, endpoint: Option<Url>) -> Self {
        let http = client.http.rate_limited(RATE_LIMIT);
        Ims {
            client,
            http,
            endpoint,
        }
    }

    fn first_url(&self, base: &Url, query: &ImageQuery) -> Url {
        let limit = PAGE_CAP.to_string();
        let mut q: Vec<(&str, String)> = vec![("limit", limit)];
        if let Some(v) = query.visibility.only() {
            q.push(("visibility", v.as_str().to_string()));
        }
        if let Some(name) = query.name.as_ref().and_then(|n| n.exact()) {
            q.push(("name", name.to_string()));
        }
        match query.os_type {
            Some(OsType::Linux) => q.push(("__os_type", "Linux".into())),
            Some(OsType::Windows) => q.push(("__os_type", "Windows".into())),
            _ => {}
        }
        // One created_at filter only: the API takes a single operator.
        if let Some(after) = query.created_after {
            q.push((
                "created_at",
                format!("gt:{}", after.format("%Y-%m-%dT%H:%M:%SZ")),
            ));
        } else if let Some(before) = query.created_before {
            q.push((
                "created_at",
                format!("lt:{}", before.format("%Y-%m-%dT%H:%M:%SZ")),
            ));
        }
        if let Some(id) = &query.id {
            q.push(("id", id.clone()));
        }
        let pairs: Vec<(&str, &str)> = q.iter().map(|(k, v)| (*k, v.as_str())).collect();
        with_query(base, "/v2/images", &pairs)
    }
}

impl Adapter for Ims {
    fn id(&self) -> ProviderId {
        ID
    }

    fn expand_regions<'a>(
        &'a self,
        regions: Vec<String>,
    ) -> futures::future::BoxFuture<'a, Result<Vec<String>>> {
        Box::pin(async move {
            let target = Target::new(ID, "all");
            self.client
                .expand(&target, super::regions::IMS, regions)
                .await
        })
    }

    fn list<'a>(
        &'a self,
        region: &'a str,
        query: &'a ImageQuery,
    ) -> BoxStream<'a, Result<Vec<Image>>> {
        let target = Target::new(ID, region);
        let setup = {
            let target = target.clone();
            async move {
                let base = self
                    .client
                    .endpoint("ims", region, self.endpoint.as_ref())?;
                let project = self.client.signing_project_id(&target, region).await?;
                Ok((base, project))
            }
        };
        after(setup, move |(base, project): (Url, Option<String>)| {
            let first = self.first_url(&base, query);
            pager::cursor(target.clone(), move |cursor: Option<String>| {
                let target = target.clone();
                let project = project.clone();
                let url = match cursor {
                    None => Ok(first.clone()),
                    Some(next) => base
                        .join(&next)
                        .map_err(|e| {
                            Error::malformed(&target, 200, format!("bad next link {next:?}: {e}"))
                        })
                        .and_then(|u| {
                            // The request to `next` is signed and carries the token: only to
                            // the endpoint it belongs to.
                            if redact::same_origin(&base, &u) {
                                Ok(u)
                            } else {
                                Err(Error::malformed(
                                    &target,
                                    200,
                                    format!(
                                        "the next link points to another host ({}); not followed",
                                        redact::url_base(&u)
                                    ),
                                ))
                            }
                        }),
                };
                async move {
                    let url = url?;
                    self.client.ready().await?;
                    let (next, located) = self
                        .http
                        .call(
                            &target,
                            || self.client.get(&url, project.as_deref()),
                            |target, a| read_next(target, &super::check_answer(target, a)?),
                        )
                        .await?;
                    Ok(CursorPage {
                        next,
                        decode: Box::new(move || decode_images(&target, &located)),
                    })
                }
            })
        })
    }
}

/// Decodes one `GET /v2/images` answer: its images (mapped for `target`'s region) and the
/// `next` link, or the error it carries.
pub fn decode_page(target: &Target, answer: Answer) -> Result<ImsPage> {
    let answer = super::check_answer(target, answer)?;
    let (next, located) = read_next(target, &answer)?;
    Ok(ImsPage {
        next,
        items: decode_images(target, &located)?,
    })
}

/// One decoded IMS page (what [`decode_page`] gives).
#[derive(Debug)]
pub struct ImsPage {
    /// The images.
    pub items: Vec<Image>,
    /// The relative `next` link; `None` on the last page.
    pub next: Option<String>,
}

/// The `next` link of a 2xx answer (an empty link counts as none) and where its images lie,
/// read without decoding them, so the next request can leave first.
pub fn read_next(target: &Target, answer: &Answer) -> Result<(Option<String>, Located)> {
    let head: PageHead = decode::json(target, answer, None)?;
    Ok((
        head.next.filter(|n| !n.is_empty()),
        Located::new(&answer.body, &head.images),
    ))
}

/// The images located in a 2xx answer.
pub fn decode_images(target: &Target, located: &Located) -> Result<Vec<Image>> {
    located
        .map(|raw| map_image(&target.region, raw))
        .map_err(|e| e.error(target, 200, "id", located.body_start()))
}

/// Reads one Glance image object and maps it ([`to_image`]).
fn map_image(region: &str, raw: BodyObject) -> std::result::Result<Image, Refusal> {
    let typed: GlanceImage = raw.typed()?;
    to_image(region, typed, raw.into_extra()).ok_or(Refusal::NoId)
}

/// Maps one Glance image; `None` when it has no usable `id`.
fn to_image(region: &str, m: GlanceImage<'_>, extra: Extra) -> Option<Image> {
    let id = m.id.text()?.to_string();
    let name = m.name.text().unwrap_or_default().to_string();
    let mut img = Image::new(ID, region, id, name);
    img.visibility = match (m.visibility.text(), m.imagetype.text()) {
        (Some("public"), _) | (_, Some("gold" | "market")) => Visibility::Public,
        (Some("shared"), _) | (_, Some("shared")) => Visibility::Shared,
        _ => Visibility::Private,
    };
    img.os_type = match m.os_type.text().map(str::to_ascii_lowercase).as_deref() {
        Some("linux") => OsType::Linux,
        Some("windows") => OsType::Windows,
        _ => OsType::Other,
    };
    img.status = match m.status.text() {
        Some("active") => Status::Available,
        Some("queued" | "saving" | "importing" | "uploading") => Status::Creating,
        Some("killed") => Status::Error,
        Some("deleted" | "pending_delete") => Status::Deleted,
        Some("deactivated") => Status::Unavailable,
        _ => Status::Unknown,
    };
    if m.support_arm.text() == Some("true") {
        img.architecture = Some(Arch::Arm64);
    } else {
        img.architecture = match m.os_bit.text() {
            Some("32") => Some(Arch::I386),
            Some("64") => Some(Arch::X86_64),
            _ => None,
        };
    }
    let name_hint = img.name.clone();
    decode::fill_os(
        &mut img,
        &[
            m.os_version.text(),
            Some(name_hint.as_str()),
            m.platform.text(),
        ],
    );
    img.size = m
        .image_size
        .value()
        .or_else(|| m.size.value().filter(|s| *s > 0));
    img.min_disk_gb = m.min_disk.value();
    img.min_ram_mb = m.min_ram.value();
    img.disk_format = m.disk_format.text().map(str::to_string);
    img.created_at = m.created_at.text().and_then(decode::time);
    img.description = m.description.text().map(str::to_string);
    img.extra = extra;
    Some(img)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(images: &str) -> Answer {
        Answer {
            status: 200,
            headers: Default::default(),
            body: format!(r#"{{"images":[{images}]}}"#).into(),
        }
    }

    #[test]
    fn a_member_of_the_wrong_type_reads_as_absent_and_the_image_stays() {
        let t = Target::new(ID, "cn-north-4");
        let a = page(
            r#"{"id":"i1","name":["x"],"__image_size":"2048","size":"7","min_disk":-40,
                "min_ram":1.5,"status":{"a":1},"__os_bit":64,"created_at":17,
                "disk_format":"qcow2"}"#,
        );
        let p = decode_page(&t, a).unwrap();
        let [img] = &p.items[..] else {
            panic!("{:?}", p.items)
        };
        assert_eq!((img.id.as_str(), img.name.as_str()), ("i1", ""));
        assert_eq!(img.size, Some(2048), "a size given as a string is read");
        assert_eq!((img.min_disk_gb, img.min_ram_mb), (None, None));
        assert_eq!((img.status, img.architecture), (Status::Unknown, None));
        assert_eq!(img.created_at, None);
        assert_eq!(img.disk_format.as_deref(), Some("qcow2"));
        assert!(
            img.extra
                .as_bytes()
                .starts_with(br#"{"id":"i1","name":["x"]"#)
        );
    }

    #[test]
    fn a_member_given_twice_makes_the_answer_malformed() {
        let t = Target::new(ID, "cn-north-4");
        let a = page(r#"{"id":"i1"},{"id":"i2","name":"a","name":"b"}"#);
        let e = decode_page(&t, a).unwrap_err().to_string();
        assert!(
            e.contains("image object 2 does not read as an image: duplicate field `name`"),
            "{e}"
        );
        let a = page(r#"{"id":"i1"},{"name":"no id"}"#);
        let e = decode_page(&t, a).unwrap_err().to_string();
        assert!(e.contains("image object 2 has no usable `id`"), "{e}");
    }
}
