//! What every listing command sets up: logging, the environment (real or simulated), the HTTP
//! client, the providers and their regions.

use std::io::IsTerminal;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use super::GlobalArgs;
use crate::config::{self, Env};
use crate::credentials::{self, Resolved};
use crate::error::{Error, Result};
use crate::http::{HttpClient, HttpOptions};
use crate::listing::Job;
use crate::providers::{self, Adapter, CredentialGroup, ProviderId, Setup};
use crate::sim::{self, SimCredentials, SimHandle};

/// Sets up request logging on stderr for the verbosity asked for. Every line is masked
/// ([`MaskedStderr`]).
pub fn init_logging(global: &GlobalArgs) {
    let level = match (global.debug, global.verbose) {
        (true, _) => "imgcat=trace",
        (false, 0) => "imgcat=warn",
        (false, 1) => "imgcat=info",
        (false, _) => "imgcat=debug",
    };
    let builder = tracing_subscriber::fmt()
        .with_writer(MaskedStderr)
        .with_ansi(std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none())
        .with_target(false)
        .with_env_filter(tracing_subscriber::EnvFilter::new(level));
    // From -vv on, each line says when it happened (seconds since start): where a slow listing
    // spends its time.
    let _ = if global.debug || global.verbose >= 2 {
        builder
            .with_timer(tracing_subscriber::fmt::time::uptime())
            .try_init()
    } else {
        builder.without_time().try_init()
    };
}

/// The log's writer: each line is kept until it is complete, then written to stderr with every
/// registered secret (and signature) masked ([`crate::secret::mask`]): log lines quote URLs,
/// response headers and errors, all of which a server can fill with the request's credentials.
#[derive(Debug, Clone, Copy)]
pub struct MaskedStderr;

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for MaskedStderr {
    type Writer = MaskedLine;

    fn make_writer(&'a self) -> MaskedLine {
        MaskedLine(Vec::new())
    }
}

/// One log line on its way to stderr ([`MaskedStderr`]); written, masked, when dropped.
#[derive(Debug)]
pub struct MaskedLine(Vec<u8>);

impl std::io::Write for MaskedLine {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Drop for MaskedLine {
    fn drop(&mut self) {
        use std::io::Write;
        if self.0.is_empty() {
            return;
        }
        let text = String::from_utf8_lossy(&self.0);
        let masked = crate::secret::mask(&text);
        // A failed write of a log line has nowhere to be reported.
        let _ = std::io::stderr().lock().write_all(masked.as_bytes());
    }
}

/// Default of `--timeout` (per request).
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// Default of `--concurrency`.
pub const DEFAULT_CONCURRENCY: u16 = 32;

/// The HTTP client for the run.
pub fn http_client(global: &GlobalArgs, run: &RunEnv) -> Result<HttpClient> {
    HttpClient::new(HttpOptions {
        timeout: global.timeout.unwrap_or(DEFAULT_REQUEST_TIMEOUT),
        retries: global.retries,
        concurrency: usize::from(
            global
                .concurrency
                .or(run.profile_concurrency)
                .unwrap_or(DEFAULT_CONCURRENCY),
        ),
        rate_limits: !global.no_rate_limit,
        ..HttpOptions::default()
    })
}

/// The environment a run uses: the process's, or under `--sim` one that points every provider
/// at the in-process simulator with its demo credentials.
pub struct RunEnv {
    /// The variables to resolve configuration from.
    pub env: Env,
    /// The simulator, kept alive for the run.
    pub sim: Option<SimHandle>,
    /// The profile's `concurrency`.
    pub profile_concurrency: Option<u16>,
    /// What the credential chains found beyond the environment ([`resolve_chains`]).
    pub credentials: Resolved,
}

/// The process environment with the provider flags set over it and the profile filling in
/// what neither sets (a credential group's credentials as a unit: see [`Profile::fill`]).
///
/// [`Profile::fill`]: crate::profile::Profile::fill
pub fn process_env(global: &GlobalArgs) -> Result<(Env, Option<crate::profile::Profile>)> {
    let mut env = Env::from_process();
    global.provider_flags.apply(&mut env);
    let profile = crate::profile::load(&env, global.profile.as_deref())?;
    if let Some(p) = &profile {
        p.fill(&mut env);
    }
    Ok((env, profile))
}

/// The credential groups of the providers `given` names (`all`: every group), in registry
/// order. Values that are not provider ids are left to [`select_providers`] to report.
pub fn groups_of(given: &[String]) -> Vec<&'static CredentialGroup> {
    if given.iter().any(|g| is_all(g)) {
        return providers::credential_groups();
    }
    let mut out: Vec<&'static CredentialGroup> = Vec::new();
    for g in given {
        if let Ok(p) = g.parse::<ProviderId>() {
            let group = p.provider().credentials();
            if !out.iter().any(|o| o.table == group.table) {
                out.push(group);
            }
        }
    }
    out
}

/// Runs the credential chains of `groups` (SDK files, then instance metadata unless switched
/// off) for the groups whose keys the flags, environment and profile did not give. Once per
/// run; never under `--sim`. Every secret found is then registered with the masker
/// ([`providers::register_secrets`]).
pub async fn resolve_chains(
    global: &GlobalArgs,
    run: &mut RunEnv,
    groups: &[&'static CredentialGroup],
) -> Result<()> {
    if run.sim.is_none() {
        let metadata = credentials::metadata_enabled(&run.env, global.no_metadata);
        run.credentials = credentials::resolve(&mut run.env, groups, metadata).await?;
    }
    providers::register_secrets(&run.env);
    Ok(())
}

/// The demo region of each provider under `--sim`.
pub fn sim_default_region(p: ProviderId) -> &'static str {
    p.provider().sim_region()
}

/// Builds the run's environment, starting the simulator for `--sim`.
pub async fn run_env(global: &GlobalArgs) -> Result<RunEnv> {
    if !global.sim {
        let (env, profile) = process_env(global)?;
        return Ok(RunEnv {
            env,
            sim: None,
            profile_concurrency: profile.and_then(|p| p.concurrency),
            credentials: Resolved::default(),
        });
    }
    let mut process = Env::from_process();
    global.provider_flags.apply(&mut process);
    let creds = SimCredentials::demo();
    let handle = sim::start(
        // One listing of a few regions: their catalogs are built when first asked for.
        sim::SimConfig::new(global.sim_images as usize)
            .credentials(creds.clone())
            .lazy(),
        SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
    )
    .await
    .map_err(|e| Error::Config(format!("--sim: cannot start the simulator: {e}")))?;
    let pairs = creds.sim_env(&handle.base_url(), &process);
    Ok(RunEnv {
        env: Env::from_pairs(pairs),
        sim: Some(handle),
        profile_concurrency: None,
        credentials: Resolved::default(),
    })
}

/// Resolves `--provider` values (ids and `all`) to providers, in the order given, once each.
pub fn select_providers(given: &[String], env: &Env, sim: bool) -> Result<Vec<ProviderId>> {
    let mut out: Vec<ProviderId> = Vec::new();
    for g in given {
        let picked: Vec<ProviderId> = if is_all(g) {
            let ps: Vec<ProviderId> = ProviderId::all()
                .filter(|p| p.provider().retired().is_none())
                .filter(|p| sim || config::has_credentials(*p, env))
                .collect();
            if ps.is_empty() {
                let hints: Vec<&str> = providers::credential_groups()
                    .iter()
                    .map(|g| g.hint)
                    .collect();
                return Err(Error::Config(format!(
                    "--provider all: no provider has credentials configured; set {} (or write an official SDK's credentials file, or try --sim)",
                    hints.join("; or ")
                )));
            }
            ps
        } else {
            let p = g
                .parse::<ProviderId>()
                .map_err(|_| Error::Usage(ProviderId::unknown(g, &["all"])))?;
            if let Some(notice) = p.provider().retired()
                && !out.contains(&p)
            {
                tracing::warn!("{p}: {notice}");
            }
            vec![p]
        };
        for p in picked {
            if !out.contains(&p) {
                out.push(p);
            }
        }
    }
    Ok(out)
}

/// Whether `s` is the keyword `all` (any case, spaces around ignored): of `--provider` and of
/// `--region`, for every provider.
pub fn is_all(s: &str) -> bool {
    s.trim().eq_ignore_ascii_case("all")
}

/// The "did you mean" of region `r`, the closest suggestion of the providers `ps`
/// ([`RegionPolicy::suggest`]): a case-only difference first.
///
/// [`RegionPolicy::suggest`]: crate::providers::RegionPolicy::suggest
pub fn region_hint(ps: &[ProviderId], r: &str) -> String {
    let suggestions: Vec<String> = ps
        .iter()
        .filter_map(|p| p.provider().regions().suggest(r))
        .collect();
    let best = crate::suggest::closest(r, &suggestions).or_else(|| suggestions.first().cloned());
    crate::suggest::hint(r, best.as_deref())
}

/// Whether `r` is a region of `p` (its registry entry's [`RegionPolicy`]).
///
/// [`RegionPolicy`]: crate::providers::RegionPolicy
pub fn is_region_of(p: ProviderId, r: &str) -> bool {
    p.provider().regions().accepts(r)
}

fn valid_list(p: ProviderId) -> String {
    p.provider().regions().valid_hint(p)
}

/// The regions to list for `p`: the `--region` values valid for it, else its environment
/// default (or, under `--sim`, its demo region).
pub fn regions_for(p: ProviderId, given: &[String], env: &Env, sim: bool) -> Result<Vec<String>> {
    let valid = |r: &str| is_region_of(p, r);
    let list_valid = || valid_list(p);
    if !given.is_empty() {
        // A region given twice is listed once (as a provider given twice is).
        let mut mine: Vec<String> = Vec::new();
        for r in given.iter().filter(|r| valid(r)) {
            if !mine.contains(r) {
                mine.push(r.clone());
            }
        }
        if mine.is_empty() {
            let hint = given
                .first()
                .map(|r| region_hint(&[p], r))
                .unwrap_or_default();
            return Err(Error::Usage(format!(
                "{p}: unknown region '{}'{hint}; valid: {}",
                given.join("', '"),
                list_valid()
            )));
        }
        return Ok(mine);
    }
    let var = config::region_var(p);
    // Trimmed by `Env::get`; `ALL` is `all` here too.
    match env.get(var).map(|r| if is_all(r) { "all" } else { r }) {
        Some(r) if valid(r) => Ok(vec![r.to_string()]),
        Some(r) => Err(Error::Config(format!(
            "{p}: {var}='{r}' is not a known region{}; valid: {}",
            region_hint(&[p], r),
            list_valid()
        ))),
        None if sim => Ok(vec![sim_default_region(p).to_string()]),
        None => Err(Error::Config(format!(
            "{p}: no region given; pass --region or set {var}"
        ))),
    }
}

/// Checks that every `--region` value is a region of at least one selected provider.
pub fn check_regions_known(providers: &[ProviderId], given: &[String]) -> Result<()> {
    for r in given {
        let known = providers.iter().any(|p| is_region_of(*p, r));
        if !known {
            let valid: Vec<String> = providers
                .iter()
                .map(|p| format!("{p}: {}", valid_list(*p)))
                .collect();
            return Err(Error::Usage(format!(
                "unknown region '{r}'{}; valid regions are {}",
                region_hint(providers, r),
                valid.join("; ")
            )));
        }
    }
    Ok(())
}

/// The jobs of a listing: every selected provider in every one of its regions.
pub async fn jobs(
    providers: &[ProviderId],
    given_regions: &[String],
    run: &RunEnv,
    setup: &Setup,
) -> Result<Vec<Job>> {
    let sim = run.sim.is_some();
    check_regions_known(providers, given_regions)?;
    let mut plan: Vec<(ProviderId, Vec<String>)> = Vec::new();
    for &p in providers {
        let none_apply =
            !given_regions.is_empty() && !given_regions.iter().any(|r| is_region_of(p, r));
        if none_apply && providers.len() > 1 {
            // `-p all -r cn-north-4`: the region names the providers meant; say who is left out.
            tracing::warn!(
                "{p}: skipped, none of the regions given ({}) is one of its regions",
                given_regions.join(", ")
            );
            continue;
        }
        plan.push((p, regions_for(p, given_regions, &run.env, sim)?));
    }
    let selected: Vec<ProviderId> = plan.iter().map(|(p, _)| *p).collect();
    let adapters: Vec<Arc<dyn Adapter>> = providers::build(&selected, setup)?;
    // Every provider resolves `all` at once (IAM's project list, DescribeZones, ...); the jobs
    // keep the order: provider, then region in the provider's own order.
    let expanded = futures::future::try_join_all(
        adapters
            .iter()
            .zip(plan)
            .map(|(adapter, (_, regions))| adapter.expand_regions(regions)),
    )
    .await?;
    let mut jobs = Vec::new();
    for (adapter, regions) in adapters.iter().zip(expanded) {
        for region in regions {
            jobs.push(Job {
                adapter: adapter.clone(),
                region,
            });
        }
    }
    Ok(jobs)
}

/// Everything a listing command needs: the environment (and simulator) and the jobs.
pub struct Plan {
    /// The run's environment; holds the simulator alive under `--sim`.
    pub run_env: RunEnv,
    /// The (provider, region) jobs.
    pub jobs: Vec<Job>,
}

/// Resolves providers, regions, credentials and endpoints into jobs.
pub async fn plan(global: &GlobalArgs, target: &super::TargetArgs) -> Result<Plan> {
    let mut run_env = run_env(global).await?;
    resolve_chains(global, &mut run_env, &groups_of(&target.providers)).await?;
    let providers = select_providers(&target.providers, &run_env.env, global.sim)?;
    if target.endpoint.is_some() && providers.len() != 1 {
        return Err(Error::Usage(
            "--endpoint needs exactly one --provider; use IMGCAT_ENDPOINT_<ID> to set several"
                .into(),
        ));
    }
    let setup = Setup {
        http: http_client(global, &run_env)?,
        env: run_env.env.clone(),
        endpoint: target.endpoint.clone(),
        credentials: run_env.credentials.clone(),
    };
    let jobs = jobs(&providers, &target.regions, &run_env, &setup).await?;
    Ok(Plan { run_env, jobs })
}
