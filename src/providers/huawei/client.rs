//! The client IMS, Workspace and CPH share: authentication (SDK-HMAC-SHA256 or an IAM token),
//! project id discovery through IAM (cached per region for the run), endpoints and the error
//! shape.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::Utc;
use serde::Deserialize;
use tokio::sync::OnceCell;
use url::Url;

use super::config::{HuaweiAuth, HuaweiConfig, PROJECT_ID};
use super::{regions, sign as signer};
use crate::error::{ApiError, Error, ErrorKind, Result, Target};
use crate::http::{Answer, HttpClient, RateLimit};
use crate::providers::decode;

/// The request-rate limit of IAM's `GET /v3/projects`, for the whole account (IAM is a global
/// service). Huawei documents no figure for it: imgcat keeps to 10 a second (a listing asks it
/// once per region at most).
pub const IAM_RATE_LIMIT: RateLimit = RateLimit::per_account("huawei-iam", 10);

/// The client the three Huawei adapters share.
#[derive(Debug)]
pub struct HuaweiClient {
    pub(super) http: HttpClient,
    config: HuaweiConfig,
    projects: Mutex<HashMap<String, Arc<OnceCell<String>>>>,
    /// Every project of the account by name, from one `GET /v3/projects` (`--region all`).
    all_projects: OnceCell<HashMap<String, Vec<String>>>,
    /// Regions already reported as without a project (one line each, whatever the service).
    reported: Mutex<std::collections::HashSet<String>>,
}

/// The `User-Agent` imgcat sends (and, as the SDK does, signs).
pub const USER_AGENT: &str = concat!("imgcat/", env!("CARGO_PKG_VERSION"));

/// What a request is for: headers differ.
#[derive(Clone, Copy)]
enum Call<'a> {
    /// IMS, Workspace, CPH: with the project id to send.
    Service(Option<&'a str>),
    /// IAM project discovery.
    Iam,
}

#[derive(Deserialize)]
struct ProjectList {
    #[serde(default)]
    projects: Vec<Project>,
}

#[derive(Deserialize)]
struct Project {
    id: String,
    #[serde(default)]
    name: String,
}

impl HuaweiClient {
    /// A client for the given configuration.
    pub fn new(http: HttpClient, config: HuaweiConfig) -> Self {
        HuaweiClient {
            http: http.rate_limited(IAM_RATE_LIMIT),
            config,
            projects: Mutex::new(HashMap::new()),
            all_projects: OnceCell::new(),
            reported: Mutex::new(std::collections::HashSet::new()),
        }
    }

    /// `--region all` for a service whose SDK lists `known`: the regions of `known` where the
    /// account has a project, from ONE signed IAM `GET /v3/projects` (no `name`) shared by the
    /// three services; a region without one is skipped with one line on stderr. With a
    /// configured project id this is a usage error: a project belongs to one region.
    pub async fn all_regions(&self, target: &Target, known: &[&str]) -> Result<Vec<String>> {
        if self.config.project_id.is_some() {
            return Err(Error::Usage(format!(
                "{target}: --region all needs the project id of every region, and {PROJECT_ID} names a single project (a project belongs to one region); unset it, or name the region"
            )));
        }
        let projects = self.projects_by_name(target).await?;
        let mut out = Vec::with_capacity(known.len());
        for r in known {
            if projects.contains_key(*r) {
                out.push(r.to_string());
            } else if self
                .reported
                .lock()
                .map(|mut seen| seen.insert(r.to_string()))
                .unwrap_or(true)
            {
                tracing::warn!(
                    "huawei: region {r} skipped: the account has no project there (IAM lists none)"
                );
            }
        }
        Ok(out)
    }

    /// `regions` with `all` replaced by [`HuaweiClient::all_regions`] of `known`; regions named
    /// besides it are kept once, after.
    pub async fn expand(
        &self,
        target: &Target,
        known: &[&str],
        regions: Vec<String>,
    ) -> Result<Vec<String>> {
        if !regions.iter().any(|r| r == "all") {
            return Ok(regions);
        }
        let mut out = self.all_regions(target, known).await?;
        for r in regions {
            if r != "all" && !out.contains(&r) {
                out.push(r);
            }
        }
        Ok(out)
    }

    /// Every project of the account, by name: one IAM request for the run.
    async fn projects_by_name(&self, target: &Target) -> Result<&HashMap<String, Vec<String>>> {
        self.all_projects
            .get_or_try_init(|| async {
                let iam = match &self.config.iam_endpoint {
                    Some(u) => u.clone(),
                    None => Url::parse(regions::IAM_DEFAULT)
                        .map_err(|e| Error::Config(format!("{target}: bad IAM endpoint: {e}")))?,
                };
                let url = with_query(&iam, "/v3/projects", &[]);
                let iam_target = Target::new(target.provider, "");
                self.ready().await?;
                let list: ProjectList = self
                    .http
                    .call(&iam_target, || self.request(&url, Call::Iam), decode_answer)
                    .await?;
                let mut by_name: HashMap<String, Vec<String>> = HashMap::new();
                for p in list.projects {
                    by_name.entry(p.name).or_default().push(p.id);
                }
                Ok(by_name)
            })
            .await
    }

    /// The base URL of `service` in `region`: the override, or `https://{service}.{region}.myhuaweicloud.com`.
    pub fn endpoint(&self, service: &str, region: &str, override_url: Option<&Url>) -> Result<Url> {
        if let Some(u) = override_url {
            return Ok(u.clone());
        }
        let s = format!("https://{service}.{region}.myhuaweicloud.com");
        Url::parse(&s).map_err(|e| Error::Usage(format!("huawei: bad region '{region}': {e}")))
    }

    /// Where a project-scoped listing starts: the base URL of `service` and the project id.
    pub async fn base_and_project(
        &self,
        target: &Target,
        service: &str,
        override_url: Option<&Url>,
    ) -> Result<(Url, String)> {
        let base = self.endpoint(service, &target.region, override_url)?;
        let project = self.project_id(target, &target.region).await?;
        Ok((base, project))
    }

    /// The project id for `region`: configured, or discovered once through IAM (from the
    /// account's whole project list when `--region all` asked for it).
    pub async fn project_id(&self, target: &Target, region: &str) -> Result<String> {
        if let Some(p) = &self.config.project_id {
            return Ok(p.clone());
        }
        if let Some(all) = self.all_projects.get() {
            return pick_project(target, region, all.get(region).map(Vec::as_slice));
        }
        let cell = {
            let mut map = self
                .projects
                .lock()
                .map_err(|_| Error::Config("huawei: project cache poisoned".into()))?;
            map.entry(region.to_string()).or_default().clone()
        };
        cell.get_or_try_init(|| self.discover_project(target, region))
            .await
            .cloned()
    }

    /// Makes sure the keys are valid for the next request (temporary keys from ECS metadata
    /// are refreshed before they expire).
    pub async fn ready(&self) -> Result<()> {
        match &self.config.auth {
            HuaweiAuth::AkSk(keys) => keys.ready().await,
            HuaweiAuth::Token(_) => Ok(()),
        }
    }

    /// The project id to send as `X-Project-Id`: needed in AK/SK mode (as the SDK sends it);
    /// `None` with a token, which is already project-scoped.
    pub async fn signing_project_id(
        &self,
        target: &Target,
        region: &str,
    ) -> Result<Option<String>> {
        match &self.config.auth {
            HuaweiAuth::AkSk(_) => Ok(Some(self.project_id(target, region).await?)),
            HuaweiAuth::Token(_) => Ok(self.config.project_id.clone()),
        }
    }

    async fn discover_project(&self, target: &Target, region: &str) -> Result<String> {
        let iam = match &self.config.iam_endpoint {
            Some(u) => u.clone(),
            None => Url::parse(&regions::iam_endpoint(region))
                .map_err(|e| Error::Config(format!("{target}: bad IAM endpoint: {e}")))?,
        };
        let url = with_query(&iam, "/v3/projects", &[("name", region)]);
        self.ready().await?;
        let list: ProjectList = self
            .http
            .call(target, || self.request(&url, Call::Iam), decode_answer)
            .await?;
        let ids: Vec<String> = list.projects.into_iter().map(|p| p.id).collect();
        pick_project(target, region, Some(&ids))
    }

    /// A GET to a service, authenticated; `project_id` is sent as `X-Project-Id` in AK/SK mode.
    pub fn get(&self, url: &Url, project_id: Option<&str>) -> Result<reqwest::Request> {
        self.request(url, Call::Service(project_id))
    }

    /// A GET built and signed as the official SDK builds it: a service call carries
    /// `Content-Type` and `X-Project-Id`, an IAM call neither; every header without `_` is
    /// signed, `User-Agent` included.
    fn request(&self, url: &Url, call: Call<'_>) -> Result<reqwest::Request> {
        let mut headers: Vec<(&str, &str)> = vec![("User-Agent", USER_AGENT)];
        let project_id = match call {
            Call::Service(p) => {
                headers.push(("Content-Type", "application/json"));
                p
            }
            Call::Iam => None,
        };
        let mut builder = self.http.reqwest().get(url.clone());
        let keys = match &self.config.auth {
            HuaweiAuth::AkSk(keys) => Some(keys.current()),
            HuaweiAuth::Token(_) => None,
        };
        if let Some(k) = &keys {
            if let Some(p) = project_id {
                headers.push(("X-Project-Id", p));
            }
            if let Some(t) = &k.token {
                headers.push(("X-Security-Token", t.expose()));
            }
            let signed = signer::sign(
                "GET",
                url,
                &headers,
                b"",
                &k.id,
                k.secret.expose(),
                Utc::now(),
            );
            builder = builder
                .header("X-Sdk-Date", signed.x_sdk_date)
                .header("Authorization", signed.authorization);
        }
        if let HuaweiAuth::Token(token) = &self.config.auth {
            builder = builder.header("X-Auth-Token", token.expose());
        }
        for (k, v) in headers {
            builder = builder.header(k, v);
        }
        builder
            .build()
            .map_err(|e| Error::Config(format!("huawei: cannot build request: {e}")))
    }
}

/// The one project IAM names `region`, or why there is none to use.
fn pick_project(target: &Target, region: &str, ids: Option<&[String]>) -> Result<String> {
    match ids.unwrap_or_default() {
        [one] => Ok(one.clone()),
        [] => Err(Error::Config(format!(
            "{target}: IAM knows no project named '{region}' for these credentials; set {PROJECT_ID} or check the region"
        ))),
        many => Err(Error::Config(format!(
            "{target}: IAM returned {} projects named '{region}'; set {PROJECT_ID} to the one to use",
            many.len()
        ))),
    }
}

/// Decodes a Huawei JSON answer, or the error a non-2xx answer carries ([`api_error`]).
pub fn decode_answer<T: serde::de::DeserializeOwned>(target: &Target, answer: Answer) -> Result<T> {
    decode_answer_in(target, &answer)
}

/// Like [`decode_answer`], for a type that borrows from the answer (a page of [`RawObject`]s).
///
/// [`RawObject`]: crate::providers::raw::RawObject
pub fn decode_answer_in<'a, T: Deserialize<'a>>(target: &Target, answer: &'a Answer) -> Result<T> {
    if !(200..300).contains(&answer.status) {
        return Err(api_error(target, answer, request_id(answer)));
    }
    decode::json(target, answer, request_id(answer))
}

/// The answer itself when its status is 2xx, else the Huawei error it carries ([`api_error`]).
pub fn check_answer(target: &Target, answer: Answer) -> Result<Answer> {
    if (200..300).contains(&answer.status) {
        Ok(answer)
    } else {
        Err(api_error(target, &answer, request_id(&answer)))
    }
}

/// `base` with `path` and the query encoded as the official SDK puts it on the wire (sorted,
/// RFC 3986: a space is `%20`), so the bytes sent are the bytes the SDK would send.
pub fn with_query(base: &Url, path: &str, pairs: &[(&str, &str)]) -> Url {
    let mut url = base.clone();
    url.set_path(path);
    let query = signer::encode_query(pairs);
    url.set_query((!query.is_empty()).then_some(query.as_str()));
    url
}

/// The request id of a Huawei answer, from its headers.
fn request_id(answer: &Answer) -> Option<String> {
    answer
        .header("x-request-id")
        .or_else(|| answer.header("x-openstack-request-id"))
        .map(str::to_string)
}

/// The error in a non-2xx Huawei answer: `{"error_code","error_msg","request_id"}` or Glance's
/// `{"error":{"code","message"}}`; anything else keeps the body's first bytes.
pub fn api_error(target: &Target, answer: &Answer, request_id: Option<String>) -> Error {
    #[derive(Deserialize, Default)]
    struct Flat {
        error_code: Option<String>,
        error_msg: Option<String>,
        request_id: Option<String>,
        error: Option<Nested>,
        message: Option<String>,
    }
    #[derive(Deserialize)]
    struct Nested {
        code: Option<serde_json::Value>,
        message: Option<String>,
    }
    let parsed: Option<Flat> = serde_json::from_slice(&answer.body).ok();
    let (code, message, rid) = match parsed {
        Some(f) => {
            let nested_code = f
                .error
                .as_ref()
                .and_then(|n| n.code.as_ref())
                .map(|c| match c {
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                });
            let nested_msg = f.error.and_then(|n| n.message);
            (
                f.error_code.or(nested_code),
                f.error_msg.or(nested_msg).or(f.message),
                f.request_id,
            )
        }
        None => (None, None, None),
    };
    super::classified(ApiError {
        target: target.clone(),
        status: answer.status,
        code,
        message: message.unwrap_or_else(|| format!("unexpected answer: {:?}", answer.body_start())),
        request_id: rid.or(request_id),
        retry_after: answer.retry_after(),
        kind: ErrorKind::Other,
    })
}
