//! `imgcat check`: for CI. Exit 0 when a matching image exists (with the status asked for),
//! 1 when not, other codes for errors. One short line on stdout, or JSON.

use std::io::Write;
use std::sync::Arc;

use super::runtime;
use super::{CheckArgs, CheckFormat, GlobalArgs};
use crate::error::{Result, exit};
use crate::listing::{self, Delivery};
use crate::query::{ImageQuery, NameFilter};

/// Runs `imgcat check`.
pub async fn run(global: &GlobalArgs, args: &CheckArgs) -> Result<i32> {
    let plan = runtime::plan(global, &args.target).await?;
    let query = Arc::new(ImageQuery {
        id: args.id.clone(),
        name: args.name.as_deref().map(NameFilter::parse),
        os_version: args.os_version.clone(),
        // An image named by its id is looked for even when deprecated.
        include_deprecated: args.include_deprecated || args.id.is_some(),
        ..ImageQuery::default()
    });
    let mut found = Vec::new();
    let outcome = if args.latest {
        let mut summaries = Vec::new();
        let outcome =
            listing::run(plan.jobs, query, Delivery::Summaries(&mut summaries), None).await;
        found = super::list::picks(summaries);
        outcome
    } else {
        listing::run(plan.jobs, query, Delivery::Collect(&mut found), None).await
    };
    if !outcome.failures.is_empty() {
        // An error is not "not found": a CI job must see the difference.
        return Ok(super::list::report(&outcome));
    }
    let what = match (&args.id, &args.name) {
        (Some(id), _) => format!("id '{id}'"),
        (None, Some(name)) => format!("name '{name}'"),
        (None, None) => String::new(),
    };
    let with_status: Vec<_> = found
        .iter()
        .filter(|i| args.status.is_none_or(|s| i.status == s))
        .collect();
    let ok = !with_status.is_empty();
    match args.output {
        CheckFormat::Json => {
            let doc = serde_json::json!({
                "found": ok,
                "matches": found.len(),
                "status_required": args.status,
                "images": with_status,
            });
            writeln!(std::io::stdout(), "{doc}")?;
        }
        CheckFormat::Text => match (ok, found.first()) {
            (true, _) => {
                let img = with_status[0];
                writeln!(
                    std::io::stdout(),
                    "ok: {} {} {} {:?} ({}){}",
                    img.provider,
                    img.region,
                    img.id,
                    img.name,
                    img.status,
                    if with_status.len() > 1 {
                        format!(", {} matches", with_status.len())
                    } else {
                        String::new()
                    }
                )?;
            }
            (false, Some(img)) => writeln!(
                std::io::stdout(),
                "not ok: {what} exists ({} {}) but its status is {}, not {}",
                img.provider,
                img.id,
                img.status,
                args.status.map(|s| s.as_str()).unwrap_or("any")
            )?,
            (false, None) => writeln!(std::io::stdout(), "not ok: no image with {what}")?,
        },
    }
    Ok(if ok { exit::OK } else { exit::NOT_FOUND })
}
