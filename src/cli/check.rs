//! `imgcat check`: for CI. Exit 0 when a matching image exists (with the status asked for),
//! 1 when not, other codes for errors. One short line on stdout, or JSON: one object in every
//! case, an error included (`{"ok": false, "error": ...}`), so a CI step that parses it does not
//! choke.

use std::io::Write;
use std::sync::Arc;

use super::runtime;
use super::{CheckArgs, CheckFormat, GlobalArgs};
use crate::error::{Result, exit};
use crate::listing::{self, Delivery};
use crate::query::{ImageQuery, NameFilter};

/// Runs `imgcat check`. With `-o json`, an error (bad flags found after parsing, configuration,
/// a failed listing) is also printed as one JSON object on stdout; the message goes to stderr as
/// always, and the exit code is the error's.
pub async fn run(global: &GlobalArgs, args: &CheckArgs) -> Result<i32> {
    match judge(global, args).await {
        Err(e) if args.output == CheckFormat::Json && !e.is_broken_pipe() => {
            super::say(format_args!("imgcat: error: {e}"));
            let code = e.exit_code();
            print_error(&[e.to_string()], code)?;
            Ok(code)
        }
        result => result,
    }
}

/// `{"ok": false, "error": ..., "errors": [...], "exit_code": N}` on stdout: `error` is the
/// first message, `errors` all of them (several targets may fail).
fn print_error(messages: &[String], code: i32) -> Result<()> {
    // Masked as on stderr: a message can quote what a server sent.
    let messages: Vec<String> = messages
        .iter()
        .map(|m| crate::secret::mask(m).into_owned())
        .collect();
    let doc = serde_json::json!({
        "ok": false,
        "error": messages.first(),
        "errors": messages,
        "exit_code": code,
    });
    let mut out = std::io::stdout().lock();
    writeln!(out, "{doc}")?;
    out.flush()?;
    Ok(())
}

/// The listing failed: its errors on stderr (and as JSON on stdout with `-o json`); the exit
/// code.
fn failed(outcome: &listing::Outcome, format: CheckFormat) -> Result<i32> {
    let code = super::list::report(outcome);
    if format == CheckFormat::Json && code != exit::OK {
        let messages: Vec<String> = outcome.failures.iter().map(|e| e.to_string()).collect();
        print_error(&messages, code)?;
    }
    Ok(code)
}

/// Lists and judges; the exit code.
async fn judge(global: &GlobalArgs, args: &CheckArgs) -> Result<i32> {
    super::usage::check(args)?;
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
    // With --latest: images matched, but none had a creation time to pick by.
    let mut unpicked = false;
    let outcome = if args.latest {
        let mut summaries = Vec::new();
        let outcome =
            listing::run(plan.jobs, query, Delivery::Summaries(&mut summaries), None).await;
        unpicked = summaries
            .iter()
            .any(|s| s.matches > 0 && s.pick().is_none());
        found = super::list::picks(summaries);
        outcome
    } else {
        listing::run(plan.jobs, query, Delivery::Collect(&mut found), None).await
    };
    if !outcome.failures.is_empty() {
        // An error is not "not found": a CI job must see the difference.
        return failed(&outcome, args.output);
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
                "ok": ok,
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
            (false, None) if unpicked => writeln!(
                std::io::stdout(),
                "not ok: images with {what} exist, but without a creation time there is no --latest pick"
            )?,
            (false, None) => writeln!(std::io::stdout(), "not ok: no image with {what}")?,
        },
    }
    Ok(if ok { exit::OK } else { exit::NOT_FOUND })
}
