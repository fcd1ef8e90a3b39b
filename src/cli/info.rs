//! The small informational commands: `providers`, `regions`, `completions`, `man`.

use std::io::Write;

use clap::CommandFactory;
use comfy_table::{Table, presets::NOTHING};

use super::runtime;
use super::{Cli, CompletionsArgs, FormatArgs, GlobalArgs, InfoFormat, RegionsArgs};
use crate::config;
use crate::error::{Error, Result, exit};
use crate::providers::{self, About, ProviderId, REGISTRY, Setup};

fn table(header: &[&str]) -> Table {
    let mut t = Table::new();
    t.load_style(NOTHING).set_header(header.to_vec());
    t
}

/// `imgcat providers`. A provider counts as configured when a credential chain finds its keys
/// (instance metadata included).
pub async fn providers(global: &GlobalArgs, args: &FormatArgs) -> Result<i32> {
    let env = if global.sim {
        runtime::process_env(global)?.0
    } else {
        let mut run = runtime::run_env(global).await?;
        runtime::resolve_chains(global, &mut run, &providers::credential_groups()).await?;
        run.env
    };
    let rows: Vec<(About, bool, String)> = REGISTRY
        .iter()
        .map(|p| {
            let rate = p
                .rate_limit()
                .map_or_else(|| "-".to_string(), |r| r.to_string());
            (p.about(), global.sim || p.configured(&env), rate)
        })
        .collect();
    let mut out = std::io::stdout().lock();
    match args.output {
        InfoFormat::Json => {
            let docs: Vec<serde_json::Value> = rows
                .iter()
                .map(|(a, c, rate)| {
                    let mut v = serde_json::to_value(a).unwrap_or_default();
                    v["rate_limit"] = serde_json::json!(rate);
                    v["credentials_configured"] = serde_json::json!(c);
                    v["credential_variables"] = serde_json::json!(config::credential_vars(a.id));
                    v
                })
                .collect();
            writeln!(out, "{}", serde_json::Value::Array(docs))?;
        }
        InfoFormat::Table => {
            let mut t = table(&[
                "PROVIDER",
                "API",
                "AUTH",
                "PAGING",
                "PUSHED DOWN",
                "RATE LIMIT",
                "CREDENTIALS",
            ]);
            for (a, c, rate) in &rows {
                t.add_row(vec![
                    a.id.as_str(),
                    a.api,
                    a.auth,
                    a.paging,
                    a.pushdown,
                    rate,
                    if *c { "configured" } else { "not set" },
                ]);
            }
            writeln!(out, "{t}")?;
        }
    }
    Ok(exit::OK)
}

/// `imgcat regions --provider P`. A provider whose regions come from its API
/// ([`RegionPolicy::all_from`]) asks it when credentials are configured (or under `--sim`);
/// otherwise, and for the others, the list is the official SDK's.
///
/// [`RegionPolicy::all_from`]: crate::providers::RegionPolicy::all_from
pub async fn regions(global: &GlobalArgs, args: &RegionsArgs) -> Result<i32> {
    let p: ProviderId = args.provider;
    let policy = p.provider().regions();
    let known = || policy.known.iter().map(|s| s.to_string()).collect();
    let list: Vec<String> = match policy.all_from {
        Some(call) => {
            let mut run_env = runtime::run_env(global).await?;
            runtime::resolve_chains(global, &mut run_env, &[p.provider().credentials()]).await?;
            if p.provider().configured(&run_env.env) {
                let setup = Setup {
                    http: runtime::http_client(global, &run_env)?,
                    env: run_env.env.clone(),
                    endpoint: None,
                    credentials: run_env.credentials.clone(),
                };
                let adapters = providers::build(&[p], &setup)?;
                match adapters.first() {
                    Some(a) => match a.expand_regions(vec!["all".into()]).await {
                        Ok(list) => list,
                        // `all` cannot be resolved with this configuration (it says why).
                        Err(Error::Usage(why)) => {
                            super::say(format_args!(
                                "imgcat: note: {why}; these are the regions imgcat knows"
                            ));
                            known()
                        }
                        Err(e) => return Err(e),
                    },
                    None => Vec::new(),
                }
            } else {
                super::say(format_args!(
                    "imgcat: {p}: the regions imgcat knows offline; with credentials set ({}) this lists what --region all covers ({call})",
                    config::credential_vars(p)
                ));
                known()
            }
        }
        None => known(),
    };
    // Region ids an API listed: server text, masked like any other.
    let list: Vec<String> = list
        .into_iter()
        .map(|r| crate::secret::mask(&r).into_owned())
        .collect();
    let mut out = std::io::stdout().lock();
    match args.format.output {
        InfoFormat::Json => writeln!(out, "{}", serde_json::json!(list))?,
        InfoFormat::Table => {
            for r in list {
                writeln!(out, "{r}")?;
            }
        }
    }
    Ok(exit::OK)
}

/// `imgcat completions SHELL`.
pub fn completions(args: &CompletionsArgs) -> Result<i32> {
    let mut cmd = Cli::command();
    // Generated into memory first: clap_complete panics on a failed write (`> /dev/full`).
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "imgcat", &mut script);
    let mut out = std::io::stdout().lock();
    out.write_all(&script)?;
    out.flush()?;
    Ok(exit::OK)
}

/// `imgcat man`.
pub fn man() -> Result<i32> {
    let cmd = Cli::command();
    let mut out = std::io::stdout().lock();
    clap_mangen::Man::new(cmd).render(&mut out)?;
    Ok(exit::OK)
}
