//! `imgcat where`: for every target (provider x region), whether an image matching the filters
//! exists, how many, and the newest. For CI: "has my image reached every region?"
//!
//! Exit 0 when every target has a match, 1 when one or more has none; the error codes when a
//! target could not be listed (7 when others could).

use std::io::Write;
use std::sync::Arc;

use comfy_table::{Table, presets::NOTHING};
use serde::Serialize;

use super::progress::Progress;
use super::{GlobalArgs, WhereArgs, WhereFormat, runtime};
use crate::error::{Error, Result, exit};
use crate::listing::{self, Delivery, Summary};

/// One target's line of the answer.
#[derive(Debug, Serialize)]
pub struct Row<'a> {
    /// The provider id.
    pub provider: String,
    /// The region or zone.
    pub region: &'a str,
    /// Matching images; `null` when the target failed.
    pub matches: Option<usize>,
    /// The newest match's id: `null` without a match, or when some matches have no creation
    /// time (the newest is then unknown).
    pub newest_id: Option<&'a str>,
    /// The newest match's name.
    pub newest_name: Option<&'a str>,
    /// The newest match's creation time.
    pub newest_created_at: Option<String>,
    /// Why the target failed (also on stderr).
    pub error: Option<&'a str>,
}

impl<'a> Row<'a> {
    /// The row of `s`.
    pub fn of(s: &'a Summary) -> Self {
        let newest = s.pick();
        Row {
            provider: s.target.provider.to_string(),
            region: &s.target.region,
            matches: s.error.is_none().then_some(s.matches),
            newest_id: newest.map(|i| i.id.as_str()),
            newest_name: newest.map(|i| i.name.as_str()),
            newest_created_at: newest
                .and_then(|i| i.created_at)
                .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
            error: s.error.as_deref(),
        }
    }
}

/// Runs `imgcat where`; returns the exit code.
pub async fn run(global: &GlobalArgs, args: &WhereArgs) -> Result<i32> {
    super::usage::where_(args)?;
    let expression = super::list::compile_query(args.query.as_deref())?;
    if matches!((args.filter.created_after, args.filter.created_before), (Some(a), Some(b)) if a >= b)
    {
        return Err(Error::Usage(
            "--created-after is not before --created-before".into(),
        ));
    }
    let plan = runtime::plan(global, &args.target).await?;
    let query = Arc::new(super::list::query(&args.filter));
    let progress = Progress::start(global, plan.jobs.len());
    let mut summaries = Vec::new();
    let outcome = listing::run(
        plan.jobs,
        query,
        Delivery::Summaries(&mut summaries),
        Some(&progress as &dyn listing::Observer),
    )
    .await;
    progress.finish();
    let rows: Vec<Row<'_>> = summaries.iter().map(Row::of).collect();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let written = match &expression {
        Some(expression) => apply_query(expression, args.output, &rows, &mut out),
        None => render(args.output, &rows, &mut out),
    }
    .and_then(|()| out.flush());
    drop(out);
    if let Err(e) = written {
        let e = Error::Output(e);
        if e.is_broken_pipe() {
            return Ok(exit::OK);
        }
        return Err(e);
    }
    if !outcome.failures.is_empty() {
        return Ok(super::list::report(&outcome));
    }
    Ok(if summaries.iter().all(|s| s.matches > 0) {
        exit::OK
    } else {
        exit::NOT_FOUND
    })
}

/// `--query` on the array of rows, printed as `format` says.
fn apply_query(
    expression: &crate::json_query::JsonQuery,
    format: WhereFormat,
    rows: &[Row<'_>],
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let document = serde_json::to_value(rows)?;
    let result = expression
        .apply_value(&document)
        .map_err(std::io::Error::other)?;
    let format = match format {
        WhereFormat::Table => crate::output::Format::Table,
        WhereFormat::Json => crate::output::Format::Json,
        WhereFormat::Ndjson => crate::output::Format::Ndjson,
    };
    crate::output::render_value(format, &result, out)
}

fn render(format: WhereFormat, rows: &[Row<'_>], out: &mut dyn Write) -> std::io::Result<()> {
    match format {
        WhereFormat::Json => {
            writeln!(out, "[")?;
            for (i, r) in rows.iter().enumerate() {
                let sep = if i + 1 < rows.len() { "," } else { "" };
                writeln!(out, "{}{sep}", serde_json::to_string(r)?)?;
            }
            writeln!(out, "]")
        }
        WhereFormat::Ndjson => {
            for r in rows {
                writeln!(out, "{}", serde_json::to_string(r)?)?;
            }
            Ok(())
        }
        WhereFormat::Table => {
            let mut t = Table::new();
            t.load_style(NOTHING).set_header([
                "PROVIDER",
                "REGION",
                "MATCHES",
                "NEWEST ID",
                "NEWEST NAME",
            ]);
            for r in rows {
                let (matches, id, name) = match (r.matches, r.newest_id, r.newest_name) {
                    (None, _, _) => ("error".to_string(), "-", "(failed, see stderr)"),
                    (Some(0), _, _) => ("0".to_string(), "-", "(no match)"),
                    (Some(n), Some(id), Some(name)) => (n.to_string(), id, name),
                    (Some(n), _, _) => (n.to_string(), "-", "(no creation times)"),
                };
                t.add_row([r.provider.as_str(), r.region, &matches, id, name]);
            }
            writeln!(out, "{t}")
        }
    }
}
