//! Huawei Workspace: `GET /v2/{project_id}/images`, `offset`/`limit=100` until `total_count`.

use std::borrow::Cow;
use std::sync::Arc;

use futures::stream::{self, BoxStream, StreamExt};
use serde::Deserialize;
use url::Url;

use super::{HuaweiClient, with_query};
use crate::error::{Result, Target};
use crate::http::pager::{self, OffsetPage};
use crate::http::{Answer, HttpClient, RateLimit};
use crate::model::{Arch, Extra, Image, OsType, Status, Visibility};
use crate::providers::decode;
use crate::providers::raw::{BodyObject, Lenient, RawObject, Refusal, map_objects};
use crate::providers::{Adapter, ProviderId, after};
use crate::query::ImageQuery;

/// The provider id.
pub const ID: ProviderId = ProviderId::from_static("huawei-workspace");

/// Largest page Workspace serves.
pub const PAGE_CAP: u64 = 100;

/// The Workspace adapter.
#[derive(Debug)]
pub struct Workspace {
    client: Arc<HuaweiClient>,
    http: HttpClient,
    endpoint: Option<Url>,
}

/// The request-rate limit of Workspace `GET /v2/{project_id}/images`, per region (each region has its own endpoint and
/// API gateway). Huawei documents no figure for it; its API Gateway throttles an API at 200
/// calls a second by default (APIG user guide, "request throttling"): imgcat keeps to a quarter.
pub const RATE_LIMIT: RateLimit = RateLimit::per_region("huawei-workspace", 50);

#[derive(Deserialize)]
struct ImagesPage<'a> {
    #[serde(default, borrow)]
    images: Vec<RawObject<'a>>,
    total_count: u64,
}

/// The SDK's model of a product image (huaweicloudsdkworkspace v2 `ImageInfo`, the items of
/// `ListImagesResponse`), the members imgcat normalizes; every member stays in `extra` as sent.
/// Strings borrow from the body unless they hold escapes. Every member is [`Lenient`]: one of
/// the wrong type reads as absent, as a missing one does (the image is kept); only an unusable
/// `id` (missing, null, empty, not a string) refuses the object, and so the answer.
#[derive(Deserialize, Default)]
#[serde(default)]
struct ImageInfo<'a> {
    /// `str`; required.
    #[serde(borrow)]
    id: Lenient<Cow<'a, str>>,
    /// `str`.
    #[serde(borrow)]
    name: Lenient<Cow<'a, str>>,
    /// `str`: `gold` (public) or `private`.
    #[serde(borrow)]
    image_type: Lenient<Cow<'a, str>>,
    /// `str`: `Linux`, `Windows`, `Other`.
    #[serde(borrow)]
    os_type: Lenient<Cow<'a, str>>,
    /// `str`, e.g. `x86`.
    #[serde(borrow)]
    architecture: Lenient<Cow<'a, str>>,
    /// `str`, e.g. `EulerOS 2.5 64bit`.
    #[serde(borrow)]
    os_version: Lenient<Cow<'a, str>>,
    /// `int`: GB.
    min_disk: Lenient<u64>,
    /// `int`: MB.
    min_ram: Lenient<u64>,
    /// `str`: `vhd`, `raw`, `qcow2`, `zvhd2`.
    #[serde(borrow)]
    disk_format: Lenient<Cow<'a, str>>,
    /// `str`.
    #[serde(borrow)]
    created_at: Lenient<Cow<'a, str>>,
    /// Not in the SDK's model; read when a server sends it.
    #[serde(borrow)]
    description: Lenient<Cow<'a, str>>,
}

impl Workspace {
    /// An adapter over the shared client; `endpoint` overrides the regional URL.
    pub fn new(client: Arc<HuaweiClient>, endpoint: Option<Url>) -> Self {
        let http = client.http.rate_limited(RATE_LIMIT);
        Workspace {
            client,
            http,
            endpoint,
        }
    }
}

fn page_url(base: &Url, project: &str, query: &ImageQuery, offset: u64) -> Url {
    let limit = PAGE_CAP.to_string();
    let offset = offset.to_string();
    let mut q: Vec<(&str, &str)> = vec![("limit", &limit), ("offset", &offset)];
    match query.visibility.only() {
        Some(Visibility::Public) => q.push(("image_type", "gold")),
        Some(Visibility::Private) => q.push(("image_type", "private")),
        _ => {}
    }
    match query.os_type {
        Some(OsType::Linux) => q.push(("os_type", "Linux")),
        Some(OsType::Windows) => q.push(("os_type", "Windows")),
        _ => {}
    }
    with_query(base, &format!("/v2/{project}/images"), &q)
}

impl Adapter for Workspace {
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
                .expand(&target, super::regions::WORKSPACE, regions)
                .await
        })
    }

    fn list<'a>(
        &'a self,
        region: &'a str,
        query: &'a ImageQuery,
    ) -> BoxStream<'a, Result<Vec<Image>>> {
        // Workspace has public (gold) and private images only.
        if query.visibility.only() == Some(Visibility::Shared) {
            return stream::empty().boxed();
        }
        let target = Target::new(ID, region);
        let setup = {
            let target = target.clone();
            async move {
                self.client
                    .base_and_project(&target, "workspace", self.endpoint.as_ref())
                    .await
            }
        };
        let concurrency = self.http.options().concurrency;
        after(setup, move |(base, project): (Url, String)| {
            let fetch = move |i: u64| {
                let url = page_url(&base, &project, query, i * PAGE_CAP);
                let target = target.clone();
                let project = project.clone();
                async move {
                    self.client.ready().await?;
                    self.http
                        .call(
                            &target,
                            || self.client.get(&url, Some(&project)),
                            decode_page,
                        )
                        .await
                }
            };
            pager::offset(
                Target {
                    provider: ID,
                    region: region.to_string(),
                },
                PAGE_CAP,
                concurrency,
                fetch,
            )
        })
    }
}

/// Decodes one `GET /v2/{project_id}/images` answer: its images (mapped for `target`'s region)
/// and `total_count`, or the error it carries.
pub fn decode_page(target: &Target, answer: Answer) -> Result<OffsetPage> {
    let page: ImagesPage = super::decode_answer_in(target, &answer)?;
    Ok(OffsetPage {
        items: map_objects(&answer.body, page.images, |raw| {
            map_image(&target.region, raw)
        })
        .map_err(|e| e.error(target, answer.status, "id", answer.body_start()))?,
        total: page.total_count,
    })
}

/// Reads one Workspace image object and maps it ([`to_image`]).
fn map_image(region: &str, raw: BodyObject) -> std::result::Result<Image, Refusal> {
    let typed: ImageInfo = raw.typed()?;
    to_image(region, typed, raw.into_extra()).ok_or(Refusal::NoId)
}

/// Maps one Workspace image; `None` when it has no usable `id`.
fn to_image(region: &str, m: ImageInfo<'_>, extra: Extra) -> Option<Image> {
    let id = m.id.text()?.to_string();
    let name = m.name.text().unwrap_or_default().to_string();
    let mut img = Image::new(ID, region, id, name);
    img.visibility = match m.image_type.text() {
        Some("gold") | Some("public") => Visibility::Public,
        Some("shared") => Visibility::Shared,
        _ => Visibility::Private,
    };
    img.os_type = match m.os_type.text().map(str::to_ascii_lowercase).as_deref() {
        Some("linux") => OsType::Linux,
        Some("windows") => OsType::Windows,
        _ => OsType::Other,
    };
    img.architecture = match m
        .architecture
        .text()
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("x86" | "x86_64" | "amd64") => Some(Arch::X86_64),
        Some("arm" | "arm64" | "aarch64") => Some(Arch::Arm64),
        _ => None,
    };
    // The API lists product images that can be used: there is no status field.
    img.status = Status::Available;
    let name_hint = img.name.clone();
    decode::fill_os(&mut img, &[m.os_version.text(), Some(name_hint.as_str())]);
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

    #[test]
    fn members_of_the_wrong_type_read_as_absent() {
        let t = Target::new(ID, "cn-north-4");
        let a = Answer {
            status: 200,
            headers: Default::default(),
            body: br#"{"total_count":1,"images":[{"id":"w1","name":"Windows Server 2019",
                "min_disk":"60","min_ram":null,"architecture":["x86"],"image_type":"gold"}]}"#
                .to_vec()
                .into(),
        };
        let p = decode_page(&t, a).unwrap();
        let img = &p.items[0];
        assert_eq!(img.min_disk_gb, Some(60), "a numeric string is a number");
        assert_eq!((img.min_ram_mb, img.architecture), (None, None));
        assert_eq!(img.visibility, Visibility::Public);
        assert_eq!(img.os_family.as_deref(), Some("windows"));
    }
}
