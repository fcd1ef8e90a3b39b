//! What a registry entry says about its provider: the [`Provider`] trait and the plain
//! descriptions it returns (credential keys, region policy, flags, facts for `imgcat providers`).
//!
//! Everything generic (configuration, profiles, `config show`, `--provider all`, `providers`,
//! `regions`, the simulator, the test helpers, the benchmark) reads providers through this
//! trait only; see `docs/ADDING_A_PROVIDER.md`.

use std::any::Any;
use std::collections::HashMap;
use std::sync::Arc;

use url::Url;

use super::{Adapter, ProviderId};
use crate::config::Env;
use crate::error::{Error, Result};
use crate::http::HttpClient;
use crate::sim::catalog::Catalog;
use crate::sim::service::SimService;

/// One provider: an image API imgcat can list, described once, in its cloud's folder.
pub trait Provider: Send + Sync {
    /// The id (`huawei-ims`), used on the command line and in output.
    fn id(&self) -> ProviderId;

    /// Facts about the API, for `imgcat providers` and the benchmark's floor.
    fn about(&self) -> About;

    /// The credential group: environment names, profile table and keys, which are secret.
    /// Several providers may share one group (and its profile table).
    fn credentials(&self) -> &'static CredentialGroup;

    /// Which regions (or zones) the provider takes.
    fn regions(&self) -> &'static RegionPolicy;

    /// The region used under `--sim` when none is given.
    fn sim_region(&self) -> &'static str;

    /// Provider-specific global flags (each stands for an environment variable).
    fn flags(&self) -> &'static [ProviderFlag] {
        &[]
    }

    /// The request-rate limit its listing requests keep to (the value its adapter declares),
    /// for `imgcat providers` and the benchmark's floor.
    fn rate_limit(&self) -> Option<crate::http::RateLimit> {
        None
    }

    /// Whether credentials for it are configured in `env` (`--provider all`, `providers`).
    fn configured(&self, env: &Env) -> bool;

    /// Set for an API its provider has retired: the notice is warned (once) when the provider
    /// is named, and `--provider all` leaves it out.
    fn retired(&self) -> Option<&'static str> {
        None
    }

    /// Builds its adapter. `endpoint` is the override (`--endpoint`, `IMGCAT_ENDPOINT_<ID>`),
    /// already checked; `shared` holds clients that several providers share (keyed by name).
    fn adapter(
        &self,
        setup: &Setup,
        endpoint: Option<Url>,
        shared: &mut SharedClients,
    ) -> Result<Arc<dyn Adapter>>;

    /// The simulator's catalog of the items `items` of the provider's stream of generated
    /// images (item `i` depends only on the provider and `i`), in the API's order. Each region
    /// serves a range of its own ([`crate::sim::catalog::region_range`]).
    fn sim_catalog(&self, items: std::ops::Range<usize>) -> Catalog;

    /// The regions (or zones) the simulator serves, each with a catalog of its own: the region
    /// policy's known list unless the provider's simulator knows others (zones it lists).
    fn sim_regions(&self) -> Vec<&'static str> {
        self.regions().known.to_vec()
    }

    /// The simulator service that serves this provider's API (shared by the providers of one
    /// gateway; the simulator mounts each service once).
    fn sim_service(&self) -> &'static dyn SimService;

    /// The simulator API (a [`SimApiDef`](crate::sim::service::SimApiDef) name of its service)
    /// that its listing requests go to: what `GET /__sim/stats` counts them under.
    fn sim_api(&self) -> &'static str;

    /// The simulator API of a call made once per region before it can list (project-id
    /// discovery), when `env` makes one necessary; providers naming the same API share it.
    fn sim_setup_api(&self, env: &Env) -> Option<&'static str> {
        let _ = env;
        None
    }
}

/// Facts about one provider's API, for `imgcat providers` and the README.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct About {
    /// The provider id.
    pub id: ProviderId,
    /// A human name (`Huawei Cloud IMS`).
    pub name: &'static str,
    /// The list call.
    pub api: &'static str,
    /// The production endpoint (`{region}` where it depends on the region).
    pub endpoint: &'static str,
    /// Authentication modes.
    pub auth: &'static str,
    /// Paging style and page size used. The benchmark reads it: `marker ... limit=N`,
    /// `offset ... =N` or `pageNum ... =N`, or `one answer per image_type`.
    pub paging: &'static str,
    /// Filters imgcat pushes down to the API (all others are applied client-side).
    pub pushdown: &'static str,
}

/// A set of credentials (and settings) that one or more providers read: the environment
/// variables, their profile keys, and the profile table that holds them.
#[derive(Debug)]
pub struct CredentialGroup {
    /// The profile table (`[default.huawei]`); also the name of the group in messages.
    pub table: &'static str,
    /// Every variable of the group, in the order `config show` prints them.
    pub keys: &'static [CredentialKey],
    /// The variables that hold the credentials, for error messages: `A and B, or C`.
    pub hint: &'static str,
    /// The variable that holds the default region (or zone).
    pub region_var: &'static str,
    /// Where the official SDK looks for the group's keys after the environment (its
    /// credentials files, its instance metadata service), when it looks anywhere else.
    pub chain: Option<&'static crate::credentials::Chain>,
}

/// One variable a provider reads.
#[derive(Debug, Clone, Copy)]
pub struct CredentialKey {
    /// The environment variable (the official SDK's name where it has one).
    pub env: &'static str,
    /// The key in the profile table.
    pub profile: &'static str,
    /// Whether the value is secret (masked by `config show`, never printed).
    pub secret: bool,
    /// Whether it is one of the group's credentials (a key id, a secret, a token), which come
    /// as a unit from one source: when a flag or the environment sets any of them, no
    /// credential of the group is taken from a lower source (the profile). Settings (a region,
    /// a project id) fill in one by one.
    pub credential: bool,
    /// What the simulator does with it.
    pub sim: SimKey,
}

/// How a variable relates to the simulator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SimKey {
    /// A credential with a demo value: the simulator accepts it (the variable overrides it for
    /// `imgcat sim serve`), and `--sim` sets it.
    Demo(&'static str),
    /// A credential the simulator accepts (demo value, overridable) that `--sim` does not set
    /// (another credential of the group wins over it).
    Accepted(&'static str),
    /// Checked by the simulator only when the variable is set (temporary tokens, fixed ids).
    Optional,
    /// `--sim` sets it to the simulator's base URL (a discovery endpoint).
    SimUrl,
    /// `--sim` takes it from the process environment (regions, signing choices).
    PassThrough,
    /// Not used under `--sim`.
    Ignored,
}

impl CredentialGroup {
    /// The key of variable `env`, if it is one of the group's.
    pub fn key(&self, env: &str) -> Option<&'static CredentialKey> {
        self.keys.iter().find(|k| k.env == env)
    }

    /// The variables of the group's credentials ([`CredentialKey::credential`]), in order.
    pub fn credential_vars(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.keys.iter().filter(|k| k.credential).map(|k| k.env)
    }

    /// The "no credentials" configuration error of provider `who`.
    pub fn missing(&self, who: &str) -> Error {
        Error::Config(format!("{who}: no credentials found; set {}", self.hint))
    }
}

/// Which regions a provider takes, and where the full list comes from.
#[derive(Debug)]
pub struct RegionPolicy {
    /// The regions known offline (from the official SDK), in its order; for a zone-shaped
    /// policy, the documented examples.
    pub known: &'static [&'static str],
    /// When set, any id of this shape is taken (the API says whether it exists), not only
    /// `known`: ids are zones such as `FRA-A`.
    pub shape: Option<fn(&str) -> bool>,
    /// When set, `all` is taken and the adapter resolves it (`Adapter::expand_regions`: its
    /// known list, or what the API lists); the value names where the list comes from
    /// (`DescribeZones`), for messages.
    pub all_from: Option<&'static str>,
}

impl RegionPolicy {
    /// A fixed list, nothing else.
    pub const fn fixed(known: &'static [&'static str]) -> Self {
        RegionPolicy {
            known,
            shape: None,
            all_from: None,
        }
    }

    /// This policy, taking `all` as `all_from` says.
    pub const fn with_all(self, all_from: Option<&'static str>) -> Self {
        RegionPolicy { all_from, ..self }
    }

    /// Whether `r` is a region this policy takes. `all` is the keyword only in lower case (the
    /// command line folds `ALL` to it): never a zone id, whatever its shape.
    pub fn accepts(&self, r: &str) -> bool {
        if r.eq_ignore_ascii_case("all") {
            return r == "all" && self.all_from.is_some();
        }
        match self.shape {
            Some(shape) => shape(r),
            None => self.known.contains(&r),
        }
    }

    /// The region this policy takes that is closest to `r`, for a "did you mean"
    /// ([`crate::suggest`]): the same id in another case when that is taken (a zone id of the
    /// shape included), else the nearest known id (or `all`). `None` when `r` is taken or
    /// nothing is close. A suggestion, never a correction.
    pub fn suggest(&self, r: &str) -> Option<String> {
        if self.accepts(r) {
            return None;
        }
        let cased = [r.to_ascii_lowercase(), r.to_ascii_uppercase()];
        if let Some(v) = cased.into_iter().find(|v| self.accepts(v)) {
            return Some(v);
        }
        let all = self.all_from.map(|_| "all");
        crate::suggest::closest(r, self.known.iter().copied().chain(all))
    }

    /// What is valid, for error messages (`id` is the provider's id).
    pub fn valid_hint(&self, id: ProviderId) -> String {
        match (self.shape, self.all_from) {
            (Some(_), Some(call)) => format!(
                "zone ids such as {} (`imgcat regions -p {id}` asks {call}), or all",
                self.known.join(", ")
            ),
            (Some(_), None) => format!("zone ids such as {}", self.known.join(", ")),
            (None, Some(_)) => format!("{}, or all", self.known.join(", ")),
            (None, None) => self.known.join(", "),
        }
    }
}

/// A global flag a provider declares (`--tencent-signature-method`). Its value stands for the
/// environment variable `env` (the flag wins over the variable, which wins over the profile),
/// so the provider reads it from [`Env`] like any other setting.
#[derive(Debug)]
pub struct ProviderFlag {
    /// The long name, without `--`.
    pub long: &'static str,
    /// The environment variable it stands for.
    pub env: &'static str,
    /// The value's placeholder in `--help`.
    pub value_name: &'static str,
    /// The help text.
    pub help: &'static str,
    /// Checks a value (a usage error otherwise).
    pub check: fn(&str) -> std::result::Result<(), String>,
}

/// What adapters are built from: the run's HTTP client and environment.
#[derive(Debug, Clone)]
pub struct Setup {
    /// The run's HTTP client.
    pub http: HttpClient,
    /// Environment (credentials, endpoint overrides, provider flags).
    pub env: Env,
    /// `--endpoint`, when exactly one provider is selected.
    pub endpoint: Option<String>,
    /// What the credential chains found beyond the environment (metadata keys to refresh).
    pub credentials: crate::credentials::Resolved,
}

/// Clients several adapters of one run share (the three Huawei services share one client and
/// its project-id cache), keyed by a name the providers agree on.
#[derive(Default)]
pub struct SharedClients {
    clients: HashMap<&'static str, Arc<dyn Any + Send + Sync>>,
}

impl SharedClients {
    /// The client shared under `key`, made by `make` the first time.
    pub fn get_or_try_insert<T: Any + Send + Sync>(
        &mut self,
        key: &'static str,
        make: impl FnOnce() -> Result<T>,
    ) -> Result<Arc<T>> {
        if let Some(found) = self.clients.get(key).cloned()
            && let Ok(client) = found.downcast::<T>()
        {
            return Ok(client);
        }
        let client = Arc::new(make()?);
        self.clients.insert(key, client.clone());
        Ok(client)
    }
}

/// The endpoint override, or the provider's own endpoint.
pub fn or_default(endpoint: Option<Url>, default: &str) -> Result<Url> {
    match endpoint {
        Some(u) => Ok(u),
        None => crate::config::parse_endpoint(default).map_err(Error::Config),
    }
}
