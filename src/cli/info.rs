//! The small informational commands: `providers`, `regions`, `completions`, `man`.

use std::io::Write;

use clap::CommandFactory;
use comfy_table::{Table, presets::NOTHING};

use super::runtime;
use super::{Cli, CompletionsArgs, FormatArgs, GlobalArgs, InfoFormat, RegionsArgs};
use crate::config;
use crate::error::{Error, Result, exit};
use crate::providers::{self, ProviderId, Setup, about, regions};

fn table(header: &[&str]) -> Table {
    let mut t = Table::new();
    t.load_style(NOTHING).set_header(header.to_vec());
    t
}

/// `imgcat providers`.
pub fn providers(global: &GlobalArgs, args: &FormatArgs) -> Result<i32> {
    let (env, _) = runtime::process_env(global)?;
    let rows: Vec<(about::About, bool)> = ProviderId::ALL
        .iter()
        .map(|p| {
            (
                about::about(*p),
                global.sim || config::has_credentials(*p, &env),
            )
        })
        .collect();
    let mut out = std::io::stdout().lock();
    match args.output {
        InfoFormat::Json => {
            let docs: Vec<serde_json::Value> = rows
                .iter()
                .map(|(a, c)| {
                    let mut v = serde_json::to_value(a).unwrap_or_default();
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
                "CREDENTIALS",
            ]);
            for (a, c) in &rows {
                t.add_row(vec![
                    a.id.as_str(),
                    a.api,
                    a.auth,
                    a.paging,
                    a.pushdown,
                    if *c { "configured" } else { "not set" },
                ]);
            }
            writeln!(out, "{t}")?;
        }
    }
    Ok(exit::OK)
}

/// `imgcat regions --provider P`. Zenlayer's zones come from DescribeZones when credentials are
/// configured (or under `--sim`); the others' from the official SDKs' region lists.
pub async fn regions(global: &GlobalArgs, args: &RegionsArgs) -> Result<i32> {
    let p: ProviderId = args.provider.parse().map_err(Error::Usage)?;
    let list: Vec<String> = if p == ProviderId::Zenlayer {
        let run_env = runtime::run_env(global).await?;
        match config::zenlayer(&run_env.env) {
            Ok(_) => {
                let setup = Setup {
                    http: runtime::http_client(global, &run_env)?,
                    env: run_env.env.clone(),
                    endpoint: None,
                    tencent_method: None,
                };
                let adapters = providers::build(&[p], &setup)?;
                match adapters.first() {
                    Some(a) => a.expand_regions(vec!["all".into()]).await?,
                    None => Vec::new(),
                }
            }
            Err(_) => {
                eprintln!(
                    "imgcat: zenlayer publishes no zone list; these are the zones imgcat knows. Set {} to ask DescribeZones",
                    config::credential_vars(p)
                );
                regions::regions(p).iter().map(|s| s.to_string()).collect()
            }
        }
    } else {
        regions::regions(p).iter().map(|s| s.to_string()).collect()
    };
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
    clap_complete::generate(
        args.shell,
        &mut cmd,
        "imgcat",
        &mut std::io::stdout().lock(),
    );
    Ok(exit::OK)
}

/// `imgcat man`.
pub fn man() -> Result<i32> {
    let cmd = Cli::command();
    let mut out = std::io::stdout().lock();
    clap_mangen::Man::new(cmd).render(&mut out)?;
    Ok(exit::OK)
}
