//! Huawei Workspace: `GET /v2/{project_id}/images`, `offset`/`limit=100` until `total_count`.

use std::sync::Arc;

use futures::stream::{self, BoxStream, StreamExt};
use serde::Deserialize;
use url::Url;

use super::{HuaweiClient, with_query};
use crate::error::{Result, Target};
use crate::http::pager::{self, OffsetPage};
use crate::http::{Answer, HttpClient, RateLimit};
use crate::model::{Arch, Image, OsType, Visibility};
use crate::providers::decode;
use crate::providers::raw::{BodyObject, RawObject, map_objects};
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
            to_image(&target.region, raw)
        })
        .map_err(|e| e.error(target, answer.status, "id", answer.body_start()))?,
        total: page.total_count,
    })
}

/// Maps one Workspace image object. Objects without an id are skipped.
pub fn to_image(region: &str, raw: BodyObject) -> Option<Image> {
    let f = raw.fields().ok()?;
    let id = f.str("id")?.to_string();
    let name = f.str("name").unwrap_or_default().to_string();
    let mut img = Image::new(ID, region, id, name);
    img.visibility = match f.str("image_type") {
        Some("gold") | Some("public") => Visibility::Public,
        Some("shared") => Visibility::Shared,
        _ => Visibility::Private,
    };
    img.os_type = match f.str("os_type").map(str::to_ascii_lowercase).as_deref() {
        Some("linux") => OsType::Linux,
        Some("windows") => OsType::Windows,
        _ => OsType::Other,
    };
    img.architecture = match f
        .str("architecture")
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("x86" | "x86_64" | "amd64") => Some(Arch::X86_64),
        Some("arm" | "arm64" | "aarch64") => Some(Arch::Arm64),
        _ => None,
    };
    // The API lists product images that can be used: there is no status field.
    img.status = crate::model::Status::Available;
    let name_hint = img.name.clone();
    decode::fill_os(&mut img, &[f.str("os_version"), Some(name_hint.as_str())]);
    img.min_disk_gb = f.u64("min_disk");
    img.min_ram_mb = f.u64("min_ram");
    img.disk_format = f.str("disk_format").map(str::to_string);
    img.created_at = f.str("created_at").and_then(decode::time);
    img.description = f.str("description").map(str::to_string);
    drop(f);
    img.extra = raw.into_extra();
    Some(img)
}
