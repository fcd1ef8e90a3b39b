//! `imgcat config show`: the effective configuration, secrets masked, and where each value
//! came from (environment or profile).

use std::io::Write;

use comfy_table::{Table, presets::NOTHING};

use super::runtime::{self, DEFAULT_CONCURRENCY};
use super::{FormatArgs, GlobalArgs, InfoFormat};
use crate::error::{Result, exit};
use crate::http::redact::MASK;

/// Every variable imgcat reads, and whether its value is secret.
pub const VARIABLES: &[(&str, bool)] = &[
    ("HUAWEICLOUD_SDK_AK", false),
    ("HUAWEICLOUD_SDK_SK", true),
    ("HUAWEICLOUD_SDK_SECURITY_TOKEN", true),
    ("HUAWEICLOUD_AUTH_TOKEN", true),
    ("HUAWEICLOUD_SDK_PROJECT_ID", false),
    ("HUAWEICLOUD_SDK_REGION", false),
    ("HUAWEICLOUD_SDK_IAM_ENDPOINT", false),
    ("TENCENTCLOUD_SECRET_ID", false),
    ("TENCENTCLOUD_SECRET_KEY", true),
    ("TENCENTCLOUD_SESSION_TOKEN", true),
    ("TENCENTCLOUD_REGION", false),
    ("IMGCAT_TENCENT_SIGNATURE_METHOD", false),
    ("ZENLAYERCLOUD_ACCESS_KEY_ID", false),
    ("ZENLAYERCLOUD_ACCESS_KEY_PASSWORD", true),
    ("ZENLAYERCLOUD_TOKEN", true),
    ("ZENLAYERCLOUD_ZONE", false),
    ("IMGCAT_ENDPOINT_HUAWEI_IMS", false),
    ("IMGCAT_ENDPOINT_HUAWEI_WORKSPACE", false),
    ("IMGCAT_ENDPOINT_HUAWEI_CPH", false),
    ("IMGCAT_ENDPOINT_TENCENT_LEGACY", false),
    ("IMGCAT_ENDPOINT_ZENLAYER", false),
];

/// Prints the effective configuration.
pub fn show(global: &GlobalArgs, args: &FormatArgs) -> Result<i32> {
    let (env, profile) = runtime::process_env(global)?;
    let mut rows: Vec<(String, String, String)> = Vec::new();
    for (name, secret) in VARIABLES {
        if let Some(value) = env.get(name) {
            let shown = if *secret {
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
