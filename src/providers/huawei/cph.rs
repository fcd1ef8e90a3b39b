//! Huawei Cloud Phone: `GET /v1/{project_id}/cloud-phone/phone-images`, one answer, no paging.
//!
//! The API labels images only by the `image_type` asked for (`public`, `private`, `share`), so
//! `--visibility all` asks for each of the three (concurrently) and labels each image by the
//! request that returned it.

use std::collections::HashSet;
use std::sync::Arc;

use futures::stream::{self, BoxStream, StreamExt};
use serde::Deserialize;
use url::Url;

use super::{HuaweiClient, with_query};
use crate::error::{Result, Target};
use crate::http::Answer;
use crate::model::{Arch, Image, OsType, Status, Visibility};
use crate::providers::decode::{self, str_field};
use crate::providers::{Adapter, ProviderId, after};
use crate::query::ImageQuery;

/// The CPH adapter.
#[derive(Debug)]
pub struct Cph {
    client: Arc<HuaweiClient>,
    endpoint: Option<Url>,
}

#[derive(Deserialize)]
struct ImagesAnswer {
    #[serde(default)]
    phone_images: Vec<serde_json::Map<String, serde_json::Value>>,
}

impl Cph {
    /// An adapter over the shared client; `endpoint` overrides the regional URL.
    pub fn new(client: Arc<HuaweiClient>, endpoint: Option<Url>) -> Self {
        Cph { client, endpoint }
    }

    async fn fetch(
        &self,
        target: &Target,
        base: &Url,
        project: &str,
        visibility: Visibility,
    ) -> Result<Vec<Image>> {
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
        self.client
            .http
            .call(
                target,
                || self.client.get(&url, Some(project)),
                |a| decode_answer(target, visibility, a),
            )
            .await
    }
}

impl Adapter for Cph {
    fn id(&self) -> ProviderId {
        ProviderId::HuaweiCph
    }

    fn list<'a>(
        &'a self,
        region: &'a str,
        query: &'a ImageQuery,
    ) -> BoxStream<'a, Result<Vec<Image>>> {
        let target = Target {
            provider: ProviderId::HuaweiCph,
            region: region.to_string(),
        };
        let setup = {
            let target = target.clone();
            async move {
                let base = self
                    .client
                    .endpoint("cph", region, self.endpoint.as_ref())?;
                let project = self.client.project_id(&target, region).await?;
                Ok((base, project))
            }
        };
        after(setup, move |(base, project): (Url, String)| {
            let kinds: Vec<Visibility> = match query.visibility.only() {
                Some(v) => vec![v],
                None => Visibility::ALL.to_vec(),
            };
            let fut = async move {
                let answers = futures::future::join_all(
                    kinds
                        .iter()
                        .map(|v| self.fetch(&target, &base, &project, *v)),
                )
                .await;
                let mut seen = HashSet::new();
                let mut out = Vec::new();
                for answer in answers {
                    for img in answer? {
                        if seen.insert(img.id.clone()) {
                            out.push(img);
                        }
                    }
                }
                Ok(out)
            };
            stream::once(fut).boxed()
        })
    }
}

/// Decodes one `phone-images` answer to the request for `asked` images, or the error it carries.
pub fn decode_answer(target: &Target, asked: Visibility, answer: Answer) -> Result<Vec<Image>> {
    let answer: ImagesAnswer = super::decode_answer(target, answer)?;
    Ok(answer
        .phone_images
        .into_iter()
        .filter_map(|raw| to_image(&target.region, asked, raw))
        .collect())
}

/// Maps one phone image object, labelled with the visibility that was asked for (`is_public`
/// 1 marks a public image whatever was asked).
pub fn to_image(
    region: &str,
    asked: Visibility,
    raw: serde_json::Map<String, serde_json::Value>,
) -> Option<Image> {
    let id = str_field(&raw, "image_id")?.to_string();
    let name = str_field(&raw, "image_name")
        .unwrap_or_default()
        .to_string();
    let mut img = Image::new(ProviderId::HuaweiCph, region, id, name);
    img.visibility = match raw.get("is_public").and_then(|v| v.as_i64()) {
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
        &[
            str_field(&raw, "os_name"),
            str_field(&raw, "os_type"),
            Some(name_hint.as_str()),
        ],
    );
    if img.os_family.is_none() {
        img.os_family = str_field(&raw, "os_type").map(str::to_ascii_lowercase);
    }
    img.extra = raw;
    Some(img)
}
