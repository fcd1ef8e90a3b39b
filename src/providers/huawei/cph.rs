//! Huawei Cloud Phone: `GET /v1/{project_id}/cloud-phone/phone-images`, one answer, no paging.
//!
//! The API labels images only by the `image_type` asked for (`public`, `private`, `share`), so
//! `--visibility all` asks for each of the three (concurrently) and labels each image by the
//! request that returned it.

use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::Arc;

use futures::stream::{self, BoxStream, StreamExt, TryStreamExt};
use serde::Deserialize;
use url::Url;

use super::{HuaweiClient, with_query};
use crate::error::{Result, Target};
use crate::http::{Answer, HttpClient, RateLimit};
use crate::model::{Arch, Extra, Image, OsType, Status, Visibility};
use crate::providers::decode;
use crate::providers::raw::{BodyObject, Lenient, Located, RawObject, Refusal};
use crate::providers::{Adapter, ProviderId, after};
use crate::query::ImageQuery;

/// The provider id.
pub const ID: ProviderId = ProviderId::from_static("huawei-cph");

/// The CPH adapter.
#[derive(Debug)]
pub struct Cph {
    client: Arc<HuaweiClient>,
    http: HttpClient,
    endpoint: Option<Url>,
}

/// The request-rate limit of CPH `GET /v1/{project_id}/cloud-phone/phone-images`, per region (each region has its own endpoint and
/// API gateway). Huawei documents no figure for it; its API Gateway throttles an API at 200
/// calls a second by default (APIG user guide, "request throttling"): imgcat keeps to a quarter.
pub const RATE_LIMIT: RateLimit = RateLimit::per_region("huawei-cph", 50);

#[derive(Deserialize)]
struct ImagesAnswer<'a> {
    /// Each image as its raw JSON text: decoded into images a chunk at a time, so that a large
    /// unpaged answer never exists as decoded images all at once.
    #[serde(default, borrow)]
    phone_images: Vec<RawObject<'a>>,
}

/// The SDK's model of a phone image (huaweicloudsdkcph v1 `PhoneImage`, the items of
/// `ListCloudPhoneImagesResponse`), the members imgcat normalizes; every member stays in `extra`
/// as sent. Strings borrow from the body unless they hold escapes. Every member is [`Lenient`]:
/// one of the wrong type reads as absent, as a missing one does (the image is kept); only an
/// unusable `image_id` (missing, null, empty, not a string) refuses the object, and so the answer.
#[derive(Deserialize, Default)]
#[serde(default)]
struct PhoneImage<'a> {
    /// `str`; required.
    #[serde(borrow)]
    image_id: Lenient<Cow<'a, str>>,
    /// `str`.
    #[serde(borrow)]
    image_name: Lenient<Cow<'a, str>>,
    /// `int`: 1 public, 2 private (a numeric string is not read).
    is_public: Lenient<i64>,
    /// `str`, e.g. `Android 12`.
    #[serde(borrow)]
    os_name: Lenient<Cow<'a, str>>,
    /// `str`, e.g. `Android`.
    #[serde(borrow)]
    os_type: Lenient<Cow<'a, str>>,
}

/// Images decoded from a raw answer at a time.
const CHUNK: usize = 1000;

impl Cph {
    /// An adapter over the shared client; `endpoint` overrides the regional URL.
    pub fn new(client: Arc<HuaweiClient>, endpoint: Option<Url>) -> Self {
        let http = client.http.rate_limited(RATE_LIMIT);
        Cph {
            client,
            http,
            endpoint,
        }
    }

    async fn fetch(
        &self,
        target: &Target,
        base: &Url,
        project: &str,
        visibility: Visibility,
    ) -> Result<Located> {
        let image_type = match visibility {
            Visibility::Public => "public",
            Visibility::Private => "private",
            Visibility::Shared => "share",
        };
        let url = with_query(
            base,
            &format!("/v1/{project}/cloud-phone/phone-images"),
            &[("image_type", image_type)],
        );
        self.client.ready().await?;
        self.http
            .call(
                target,
                || self.client.get(&url, Some(project)),
                |target, a| locate(target, &a),
            )
            .await
    }
}

impl Adapter for Cph {
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
                .expand(&target, super::regions::CPH, regions)
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
                self.client
                    .base_and_project(&target, "cph", self.endpoint.as_ref())
                    .await
            }
        };
        after(setup, move |(base, project): (Url, String)| {
            let kinds: Vec<Visibility> = match query.visibility.only() {
                Some(v) => vec![v],
                None => Visibility::ALL.to_vec(),
            };
            // One image_type after the other (the chain stays shorter than IMS's), each answer
            // decoded in chunks.
            let mut seen = HashSet::new();
            stream::iter(kinds)
                .then(move |v| {
                    let (target, base, project) = (target.clone(), base.clone(), project.clone());
                    async move {
                        let raws = self.fetch(&target, &base, &project, v).await?;
                        Ok::<_, crate::error::Error>(chunks(target, v, raws))
                    }
                })
                .try_flatten()
                .map_ok(move |mut images: Vec<Image>| {
                    images.retain(|img| seen.insert(img.id.clone()));
                    images
                })
                .boxed()
        })
    }
}

/// Where the images of one `phone-images` answer lie, or the error it carries.
fn locate(target: &Target, answer: &Answer) -> Result<Located> {
    let page: ImagesAnswer = super::decode_answer_in(target, answer)?;
    Ok(Located::new(&answer.body, &page.phone_images))
}

/// The images of an answer, decoded `CHUNK` at a time as the stream is read.
fn chunks(
    target: Target,
    asked: Visibility,
    located: Located,
) -> impl futures::Stream<Item = Result<Vec<Image>>> {
    stream::iter(located.chunks(CHUNK).map(move |chunk| {
        chunk
            .map(|raw| map_image(&target.region, asked, raw))
            .map_err(|e| e.error(&target, 200, "image_id", chunk.body_start()))
    }))
}

/// Decodes one `phone-images` answer to the request for `asked` images, or the error it carries.
pub fn decode_answer(target: &Target, asked: Visibility, answer: Answer) -> Result<Vec<Image>> {
    let located = locate(target, &answer)?;
    located
        .map(|raw| map_image(&target.region, asked, raw))
        .map_err(|e| e.error(target, answer.status, "image_id", answer.body_start()))
}

/// Reads one phone image object and maps it ([`to_image`]).
fn map_image(
    region: &str,
    asked: Visibility,
    raw: BodyObject,
) -> std::result::Result<Image, Refusal> {
    let typed: PhoneImage = raw.typed()?;
    to_image(region, asked, typed, raw.into_extra()).ok_or(Refusal::NoId)
}

/// Maps one phone image, labelled with the visibility that was asked for (`is_public` 1 marks
/// a public image whatever was asked); `None` when it has no usable `image_id`.
fn to_image(region: &str, asked: Visibility, m: PhoneImage<'_>, extra: Extra) -> Option<Image> {
    let id = m.image_id.text()?.to_string();
    let name = m.image_name.text().unwrap_or_default().to_string();
    let mut img = Image::new(ID, region, id, name);
    img.visibility = match m.is_public.value() {
        Some(1) => Visibility::Public,
        Some(2) if asked == Visibility::Public => Visibility::Private,
        _ => asked,
    };
    img.os_type = OsType::Android;
    // Cloud phones run on Arm servers; the API lists images that can be used.
    img.architecture = Some(Arch::Arm64);
    img.status = Status::Available;
    let name_hint = img.name.clone();
    decode::fill_os(
        &mut img,
        &[m.os_name.text(), m.os_type.text(), Some(name_hint.as_str())],
    );
    if img.os_family.is_none() {
        img.os_family = m.os_type.text().map(str::to_ascii_lowercase);
    }
    img.extra = extra;
    Some(img)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_public_is_read_as_a_number_only() {
        let t = Target::new(ID, "cn-east-3");
        let a = Answer {
            status: 200,
            headers: Default::default(),
            body: br#"{"phone_images":[{"image_id":"p1","is_public":1},
                {"image_id":"p2","is_public":"1","os_type":7},{"image_id":"p3","is_public":2}]}"#
                .to_vec()
                .into(),
        };
        let got = decode_answer(&t, Visibility::Shared, a).unwrap();
        let vis: Vec<Visibility> = got.iter().map(|i| i.visibility).collect();
        assert_eq!(
            vis,
            [Visibility::Public, Visibility::Shared, Visibility::Shared]
        );
        assert_eq!(got[1].os_family, None, "a numeric os_type is no family");
    }
}
