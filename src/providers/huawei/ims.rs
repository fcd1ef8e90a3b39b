//! Huawei IMS: `GET /v2/images` (Glance v2), `limit=1000` + `marker`, following the relative
//! `next` link until it is absent.

use std::sync::Arc;

use futures::stream::BoxStream;
use serde::Deserialize;
use url::Url;

use super::{HuaweiClient, with_query};
use crate::error::{Error, Result, Target};
use crate::http::pager::{self, CursorPage};
use crate::http::{Answer, HttpClient, RateLimit, redact};
use crate::model::{Arch, Image, OsType, Status, Visibility};
use crate::providers::decode;
use crate::providers::raw::{BodyObject, Located, RawObject};
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
        .map(|raw| to_image(&target.region, raw))
        .map_err(|e| e.error(target, 200, "id", located.body_start()))
}

/// Maps one Glance image object. Objects without an id are skipped.
pub fn to_image(region: &str, raw: BodyObject) -> Option<Image> {
    let f = raw.fields().ok()?;
    let id = f.str("id")?.to_string();
    let name = f.str("name").unwrap_or_default().to_string();
    let mut img = Image::new(ID, region, id, name);
    img.visibility = match (f.str("visibility"), f.str("__imagetype")) {
        (Some("public"), _) | (_, Some("gold" | "market")) => Visibility::Public,
        (Some("shared"), _) | (_, Some("shared")) => Visibility::Shared,
        _ => Visibility::Private,
    };
    img.os_type = match f.str("__os_type").map(str::to_ascii_lowercase).as_deref() {
        Some("linux") => OsType::Linux,
        Some("windows") => OsType::Windows,
        _ => OsType::Other,
    };
    img.status = match f.str("status") {
        Some("active") => Status::Available,
        Some("queued" | "saving" | "importing" | "uploading") => Status::Creating,
        Some("killed") => Status::Error,
        Some("deleted" | "pending_delete") => Status::Deleted,
        Some("deactivated") => Status::Unavailable,
        _ => Status::Unknown,
    };
    if f.str("__support_arm") == Some("true") {
        img.architecture = Some(Arch::Arm64);
    } else {
        img.architecture = match f.str("__os_bit") {
            Some("32") => Some(Arch::I386),
            Some("64") => Some(Arch::X86_64),
            _ => None,
        };
    }
    let name_hint = img.name.clone();
    decode::fill_os(
        &mut img,
        &[
            f.str("__os_version"),
            Some(name_hint.as_str()),
            f.str("__platform"),
        ],
    );
    img.size = f
        .u64("__image_size")
        .or_else(|| f.u64("size").filter(|s| *s > 0));
    img.min_disk_gb = f.u64("min_disk");
    img.min_ram_mb = f.u64("min_ram");
    img.disk_format = f.str("disk_format").map(str::to_string);
    img.created_at = f.str("created_at").and_then(decode::time);
    img.description = f.str("__description").map(str::to_string);
    drop(f);
    img.extra = raw.into_extra();
    Some(img)
}
