//! `imgcat config show`: the effective configuration, secrets masked, and where each value
//! came from (environment or profile).

use std::io::Write;

use comfy_table::{Table, presets::NOTHING};

use super::runtime::{self, DEFAULT_CONCURRENCY};
use super::{FormatArgs, GlobalArgs, InfoFormat};
use crate::error::{Result, exit};
use crate::http::redact::MASK;

/// Every variable imgcat reads, and whether its value is secret: each credential group's keys
/// (registry order), then each provider's `IMGCAT_ENDPOINT_<ID>`.
pub fn variables() -> Vec<(String, bool)> {
    let mut out: Vec<(String, bool)> = Vec::new();
    for g in crate::providers::credential_groups() {
        for k in g.keys {
            out.push((k.env.to_string(), k.secret));
        }
    }
    for p in crate::providers::ProviderId::all() {
        out.push((p.endpoint_var(), false));
    }
    out
}

/// Prints the effective configuration.
pub fn show(global: &GlobalArgs, args: &FormatArgs) -> Result<i32> {
    let (env, profile) = runtime::process_env(global)?;
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
