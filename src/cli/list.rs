//! `imgcat list`.

use std::io::{IsTerminal, Write};
use std::sync::Arc;

use super::progress::Progress;
use super::runtime::{self, Plan};
use super::{FilterArgs, GlobalArgs, ListArgs, OutputArgs};
use crate::error::{Error, Result, exit};
use crate::json_query::JsonQuery;
use crate::listing::{self, Delivery, Outcome, Summary};
use crate::model::Image;
use crate::output::{self, OutputOptions, Sink, SortKey};
use crate::query::{ImageQuery, NameFilter};

/// The filters given on the command line.
pub fn query(args: &FilterArgs) -> ImageQuery {
    ImageQuery {
        visibility: args.visibility,
        name: args.name.as_deref().map(NameFilter::parse),
        os_type: args.os_type,
        os_family: args
            .os_family
            .as_ref()
            .map(|f| f.trim().to_ascii_lowercase()),
        arch: args.arch,
        status: args.status,
        created_after: args.created_after,
        created_before: args.created_before,
        id: None,
        os_version: args.os_version.clone(),
        include_deprecated: args.include_deprecated,
    }
}

/// The `--latest` picks of a listing, in target order, with a warning on stderr for each
/// target whose matches have no creation time.
pub fn picks(summaries: Vec<Summary>) -> Vec<Image> {
    let mut out = Vec::new();
    for s in summaries {
        if let Some(why) = s.no_pick_reason() {
            super::say(format_args!("imgcat: warning: {why}"));
        }
        if s.pick().is_some()
            && let Some(img) = s.newest
        {
            out.push(img);
        }
    }
    out
}

/// Parses `--sort-by` values. A value without a field (`''`, `,`) is a usage error, as an
/// empty `--columns` is.
pub fn sort_keys(args: &OutputArgs) -> Result<Vec<SortKey>> {
    let mut keys = Vec::new();
    for spec in &args.sort_by {
        let parsed =
            output::parse_sort_keys(spec).map_err(|e| Error::Usage(format!("--sort-by: {e}")))?;
        if parsed.is_empty() {
            return Err(Error::Usage(format!(
                "--sort-by '{spec}': no field given (FIELD[:asc|desc]); valid: {}",
                output::fields::valid_names()
            )));
        }
        keys.extend(parsed);
    }
    Ok(keys)
}

/// Runs `imgcat list`; returns the exit code.
pub async fn run(global: &GlobalArgs, args: &ListArgs) -> Result<i32> {
    super::usage::list(args)?;
    let keys = sort_keys(&args.output)?;
    let options = output_options(&args.output);
    // Check the columns before any request is made.
    if let Some(columns) = &options.columns {
        output::parse_columns(columns).map_err(|e| Error::Usage(format!("--columns: {e}")))?;
    }
    let expression = compile_query(args.output.query.as_deref())?;
    if args.output.created_range_is_empty(&args.filter) {
        return Err(Error::Usage(
            "--created-after is not before --created-before".into(),
        ));
    }
    let mut plan: Plan = runtime::plan(global, &args.target).await?;
    if args.output.limit == Some(0) {
        // Nothing to print: no request either (flags and configuration were checked).
        plan.jobs.clear();
    }
    let query = Arc::new(query(&args.filter));

    let stdout = std::io::stdout();
    let out = std::io::BufWriter::new(stdout.lock());
    let mut sink = match expression {
        Some(expression) => {
            output::query_sink(expression, args.output.output, Box::new(out), &options)
        }
        None => output::sink(args.output.output, Box::new(out), options),
    }
    .map_err(Error::Usage)?;
    let progress = Progress::start(global, plan.jobs.len());
    let outcome = if args.latest {
        let mut summaries = Vec::new();
        let mut outcome = listing::run(
            plan.jobs,
            query,
            Delivery::Summaries(&mut summaries),
            Some(&progress as &dyn crate::listing::Observer),
        )
        .await;
        progress.finish();
        let mut all = picks(summaries);
        output::sort_images(&mut all, &keys);
        if let Some(n) = args.output.limit {
            all.truncate(usize::try_from(n).unwrap_or(usize::MAX));
        }
        outcome.printed = all.len() as u64;
        if let Err(e) = sink.write(&all) {
            outcome.failures.push(Error::Output(e));
        }
        outcome
    } else if keys.is_empty() {
        listing::run(
            plan.jobs,
            query,
            Delivery::Stream {
                sink: sink.as_mut(),
                limit: args.output.limit,
            },
            Some(&progress as &dyn crate::listing::Observer),
        )
        .await
    } else {
        // --sort-by: the sorting sink keeps only what it sorts on and what the output needs,
        // then writes the images in order when finished.
        let mut sorting = output::SortingSink::new(sink, keys, args.output.limit).map_err(|e| {
            Error::Config(format!(
                "--sort-by: cannot make a temporary file ({e}); set TMPDIR to a writable directory"
            ))
        })?;
        let mut outcome = listing::run(
            plan.jobs,
            query,
            Delivery::Stream {
                sink: &mut sorting,
                limit: None,
            },
            Some(&progress as &dyn crate::listing::Observer),
        )
        .await;
        progress.finish();
        if let Err(e) = sorting.finish() {
            outcome.failures.push(Error::Output(e));
        }
        outcome.printed = sorting.written();
        std::io::stdout().flush()?;
        return Ok(report(&outcome));
    };
    progress.finish();
    let finished = sink.finish();
    drop(sink);
    finished?;
    std::io::stdout().flush()?;
    Ok(report(&outcome))
}

/// Compiles `--query`, before any request is made: a bad expression is a usage error.
pub fn compile_query(text: Option<&str>) -> Result<Option<JsonQuery>> {
    text.map(JsonQuery::compile)
        .transpose()
        .map_err(|e| Error::Usage(e.to_string()))
}

impl OutputArgs {
    fn created_range_is_empty(&self, f: &FilterArgs) -> bool {
        matches!((f.created_after, f.created_before), (Some(a), Some(b)) if a >= b)
    }
}

/// Rendering options from the flags and the terminal.
pub fn output_options(args: &OutputArgs) -> OutputOptions {
    let stdout = std::io::stdout();
    let is_tty = stdout.is_terminal();
    OutputOptions {
        columns: (!args.columns.is_empty()).then(|| args.columns.clone()),
        wide: args.wide,
        width: is_tty
            .then(|| comfy_table::Table::new().width())
            .flatten()
            .or_else(|| {
                std::env::var("COLUMNS")
                    .ok()
                    .and_then(|c| c.trim().parse().ok())
                    .filter(|_| is_tty)
            }),
        color: is_tty && std::env::var_os("NO_COLOR").is_none(),
    }
}

/// Prints the failures of a listing on stderr and picks the exit code.
pub fn report(outcome: &Outcome) -> i32 {
    // The reader of stdout went away (`| head`): it has what it wanted; stop quietly.
    if outcome.failures.iter().any(Error::is_broken_pipe) {
        return exit::OK;
    }
    for e in &outcome.failures {
        super::say(format_args!("imgcat: error: {e}"));
    }
    match outcome.failures.first() {
        None => exit::OK,
        Some(_) if outcome.succeeded > 0 => {
            super::say(format_args!(
                "imgcat: partial listing: {} target(s) failed, {} succeeded; the failed targets' images are not printed",
                outcome.failures.len(),
                outcome.succeeded
            ));
            exit::PARTIAL
        }
        Some(e) => e.exit_code(),
    }
}
