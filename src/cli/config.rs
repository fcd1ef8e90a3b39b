//! `imgcat config show`: the effective configuration, secrets masked, and where each value
//! came from (flag, environment, profile, an SDK credentials file, instance metadata).

use std::io::Write;

use comfy_table::{Table, presets::NOTHING};

use super::runtime::{self, DEFAULT_CONCURRENCY};
use super::{FormatArgs, GlobalArgs, InfoFormat};
use crate::error::{Result, exit};
use crate::http::redact::MASK;

/// Every variable imgcat reads, and whether its value is secret: each credential group's keys
/// (registry order) and the variables its chain reads (credentials files, metadata
/// endpoints), the metadata switch, then each provider's `IMGCAT_ENDPOINT_<ID>`.
pub fn variables() -> Vec<(String, bool)> {
    let mut out: Vec<(String, bool)> = Vec::new();
    for g in crate::providers::credential_groups() {
        for k in g.keys {
            out.push((k.env.to_string(), k.secret));
        }
        for v in g.chain.map(|c| c.variables()).unwrap_or_default() {
            out.push((v.to_string(), false));
        }
    }
    out.push((crate::credentials::NO_METADATA_VAR.to_string(), false));
    for p in crate::providers::ProviderId::all() {
        out.push((p.endpoint_var(), false));
    }
    out
}

/// Prints the effective configuration: every variable set (by a flag, the environment, the
/// profile, an SDK credentials file or instance metadata) and where it came from.
pub async fn show(global: &GlobalArgs, args: &FormatArgs) -> Result<i32> {
    let (env, profile) = runtime::process_env(global)?;
    let mut run = runtime::RunEnv {
        env,
        sim: None,
        profile_concurrency: None,
        credentials: crate::credentials::Resolved::default(),
    };
    if !global.sim {
        runtime::resolve_chains(global, &mut run, &crate::providers::credential_groups()).await?;
    }
    let metadata = crate::credentials::metadata_enabled(&run.env, global.no_metadata);
    let env = run.env;
    let mut rows: Vec<(String, String, String)> = Vec::new();
    for (name, secret) in variables() {
        let name = name.as_str();
        if let Some(value) = env.get(name) {
            let shown = if secret {
                MASK.to_string()
            } else {
                value.to_string()
            };
            rows.push((
                name.to_string(),
                shown,
                env.origin(name).unwrap_or_default().to_string(),
            ));
        }
    }
    let (concurrency, origin) = match (
        global.concurrency,
        profile.as_ref().and_then(|p| p.concurrency),
    ) {
        (Some(c), _) => (c, "flag".to_string()),
        (None, Some(c)) => (c, "profile".to_string()),
        (None, None) => (DEFAULT_CONCURRENCY, "default".to_string()),
    };
    rows.push(("concurrency".into(), concurrency.to_string(), origin));
    let (md, md_origin) = match (metadata, global.no_metadata) {
        (true, _) => ("on", "default"),
        (false, true) => ("off", "flag"),
        (false, false) => ("off", crate::credentials::NO_METADATA_VAR),
    };
    rows.push(("instance metadata".into(), md.into(), md_origin.into()));
    let profile_line = match &profile {
        Some(p) => format!("{} ({})", p.name, p.path.display()),
        None => "none".to_string(),
    };
    let mut out = std::io::stdout().lock();
    match args.output {
        InfoFormat::Json => {
            let values: Vec<serde_json::Value> = rows
                .iter()
                .map(|(k, v, o)| serde_json::json!({"name": k, "value": v, "from": o}))
                .collect();
            writeln!(
                out,
                "{}",
                serde_json::json!({"profile": profile_line, "values": values})
            )?;
        }
        InfoFormat::Table => {
            writeln!(out, "profile: {profile_line}")?;
            let mut t = Table::new();
            t.load_style(NOTHING)
                .set_header(vec!["SETTING", "VALUE", "FROM"]);
            for (k, v, o) in rows {
                t.add_row(vec![k, v, o]);
            }
            writeln!(out, "{t}")?;
        }
    }
    Ok(exit::OK)
}
