//! `imgcat diff OLD [NEW]`: what changed between two listings (or a listing and the catalog
//! now), keyed by (provider, region, id). Exit 0 when equal, 1 when different, 2 and up for
//! trouble - like diff(1).
//!
//! The changes go to a temporary file first and are printed only once both listings were read
//! whole: an error (a bad line, a duplicate image, a failed target) prints no partial diff.

use std::collections::HashSet;
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Seek, SeekFrom, Write};
use std::sync::Arc;

use serde_json::{Map, Value};

use super::progress::Progress;
use super::{DiffArgs, DiffFormat, GlobalArgs, TargetArgs, runtime};
use crate::diff::image_object::ImageObject;
use crate::diff::{self as differ, Change, Counts, DiffError, DiffOptions, Listing, Scope};
use crate::error::{Error, Result, exit};
use crate::listing::{self, Delivery};
use crate::model::Image;
use crate::output::{self, Format};

/// Runs `imgcat diff`; returns the exit code.
pub async fn run(global: &GlobalArgs, args: &DiffArgs) -> Result<i32> {
    super::usage::diff(args)?;
    let expression = super::list::compile_query(args.query.as_deref())?;
    let options = DiffOptions { extra: args.extra };
    let mut spool = BufWriter::new(tempfile::tempfile().map_err(spool_error)?);
    let mut emit = |c: Change| -> io::Result<()> {
        serde_json::to_writer(&mut spool, &c)?;
        spool.write_all(b"\n")
    };
    let counts = match &args.new {
        Some(new) => {
            if live_flags_given(args) {
                return Err(Error::Usage(
                    "diff: --provider, --region, --endpoint and the filters make a live listing to compare OLD with; with NEW given, leave them out (filter the listings with `imgcat list` before)".into(),
                ));
            }
            if args.old == "-" && new == "-" {
                return Err(Error::Usage(
                    "diff: OLD and NEW cannot both be `-` (stdin)".into(),
                ));
            }
            let old = open_seekable(&args.old)?;
            let new_file = open_seekable(new)?;
            compare((&args.old, old, None), (new, new_file), options, &mut emit)?
        }
        None => match live(global, args, options, &mut emit).await? {
            Ok(counts) => counts,
            Err(code) => return Ok(code),
        },
    };
    let file = spool
        .into_inner()
        .map_err(|e| spool_error(e.into_error()))?;
    print(args, expression.as_ref(), file, counts)?;
    Ok(if counts.is_empty() {
        exit::OK
    } else {
        exit::NOT_FOUND
    })
}

/// Whether any flag of the live listing was given.
fn live_flags_given(args: &DiffArgs) -> bool {
    let f = &args.filter;
    !args.providers.is_empty()
        || !args.regions.is_empty()
        || args.endpoint.is_some()
        || f.visibility != crate::query::VisibilityFilter::All
        || f.name.is_some()
        || f.os_type.is_some()
        || f.os_family.is_some()
        || f.arch.is_some()
        || f.status.is_some()
        || f.created_after.is_some()
        || f.created_before.is_some()
        || f.os_version.is_some()
        || f.include_deprecated
}

/// NEW is the catalog now: lists with the diff's flags, then compares OLD's images of the same
/// targets and filters with it. `Err(code)` when the listing failed (reported on stderr).
async fn live(
    global: &GlobalArgs,
    args: &DiffArgs,
    options: DiffOptions,
    emit: &mut dyn FnMut(Change) -> io::Result<()>,
) -> Result<std::result::Result<Counts, i32>> {
    if args.providers.is_empty() {
        return Err(Error::Usage(
            "diff: give NEW (a listing file or `-`), or --provider (and --region, filters) to compare OLD with a live listing".into(),
        ));
    }
    let target = TargetArgs {
        providers: args.providers.clone(),
        regions: args.regions.clone(),
        endpoint: args.endpoint.clone(),
    };
    let plan = runtime::plan(global, &target).await?;
    let query = super::list::query(&args.filter);
    // OLD counts only where the live listing looks: its targets, its filters.
    let targets: HashSet<(String, String)> = plan
        .jobs
        .iter()
        .map(|j| (j.adapter.id().to_string(), j.region.clone()))
        .collect();
    let scope = |o: &ImageObject<'_>, bytes: &[u8]| -> std::result::Result<bool, String> {
        if !targets.contains(&(o.provider.clone(), o.region.clone())) {
            return Ok(false);
        }
        let image: Image = serde_json::from_slice(bytes).map_err(|e| {
            format!(
                "not a whole imgcat image ({e}); a live diff filters OLD as it lists: write OLD with `imgcat list -o json` (or ndjson) without --columns"
            )
        })?;
        Ok(query.matches(&image))
    };
    let old = open_seekable(&args.old)?;
    let progress = Progress::start(global, plan.jobs.len());
    let mut images = Vec::new();
    let outcome = listing::run(
        plan.jobs,
        Arc::new(query.clone()),
        Delivery::Collect(&mut images),
        Some(&progress as &dyn listing::Observer),
    )
    .await;
    progress.finish();
    if !outcome.failures.is_empty() {
        // A target that failed would show as all removed: no diff at all.
        let code = super::list::report(&outcome);
        super::say("imgcat: diff: the live listing is not complete; no diff printed");
        return Ok(Err(if code == exit::OK { exit::API } else { code }));
    }
    // The live listing as a listing file, read like any other.
    let mut file = BufWriter::new(tempfile::tempfile().map_err(spool_error)?);
    for image in &images {
        serde_json::to_writer(&mut file, image).map_err(|e| spool_error(e.into()))?;
        file.write_all(b"\n").map_err(spool_error)?;
    }
    drop(images);
    let file = file.into_inner().map_err(|e| spool_error(e.into_error()))?;
    let counts = compare(
        (&args.old, old, Some(&scope)),
        ("the live listing", file),
        options,
        emit,
    )?;
    Ok(Ok(counts))
}

/// Indexes both listings at once (a thread each), then compares them.
fn compare(
    old: (&str, File, Option<Scope<'_>>),
    new: (&str, File),
    options: DiffOptions,
    emit: &mut dyn FnMut(Change) -> io::Result<()>,
) -> Result<Counts> {
    let (old_listing, new_listing) = std::thread::scope(|s| {
        let (new_name, new_file) = new;
        let new_side = s.spawn(move || Listing::index(new_name, new_file, None, options));
        let old_side = Listing::index(old.0, old.1, old.2, options);
        let new_side = new_side.join().unwrap_or_else(|_| {
            Err(DiffError::Output(io::Error::other(
                "the thread reading NEW failed",
            )))
        });
        (old_side, new_side)
    });
    let (old_listing, new_listing) = (
        old_listing.map_err(diff_error)?,
        new_listing.map_err(diff_error)?,
    );
    differ::diff(old_listing, new_listing, options, emit).map_err(diff_error)
}

/// A listing as a file that can be read again: a regular file as it is; stdin, a pipe or a FIFO
/// (`<(...)`) copied to a temporary file first.
fn open_seekable(path: &str) -> Result<File> {
    let cannot = |e: io::Error| Error::Usage(format!("diff: cannot read {path}: {e}"));
    if path == "-" {
        let mut tmp = tempfile::tempfile().map_err(spool_error)?;
        io::copy(&mut io::stdin().lock(), &mut tmp).map_err(cannot)?;
        return Ok(tmp);
    }
    let mut file = File::open(path).map_err(cannot)?;
    if file.metadata().map_err(cannot)?.is_file() {
        return Ok(file);
    }
    let mut tmp = tempfile::tempfile().map_err(spool_error)?;
    io::copy(&mut file, &mut tmp).map_err(cannot)?;
    Ok(tmp)
}

fn spool_error(e: io::Error) -> Error {
    Error::Config(format!(
        "diff: cannot write a temporary file ({e}); set TMPDIR to a writable directory"
    ))
}

fn diff_error(e: DiffError) -> Error {
    match e {
        DiffError::Output(e) => spool_error(e),
        other => Error::Usage(format!("diff: {other}")),
    }
}

/// Prints the changes kept in `file` as the flags say.
fn print(
    args: &DiffArgs,
    expression: Option<&crate::json_query::JsonQuery>,
    mut file: File,
    counts: Counts,
) -> Result<()> {
    file.seek(SeekFrom::Start(0)).map_err(spool_error)?;
    let lines = BufReader::with_capacity(1 << 16, file);
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let format = match args.output {
        DiffFormat::Table => Format::Table,
        DiffFormat::Json => Format::Json,
        DiffFormat::Ndjson => Format::Ndjson,
    };
    let written = (|| -> io::Result<()> {
        if let Some(expression) = expression {
            let all = read_values(lines)?;
            let result = expression
                .apply_value(&Value::Array(all))
                .map_err(io::Error::other)?;
            output::render_value(format, &result, &mut out)?;
            return out.flush();
        }
        match args.output {
            DiffFormat::Ndjson => {
                for line in lines.lines() {
                    out.write_all(line?.as_bytes())?;
                    out.write_all(b"\n")?;
                }
            }
            DiffFormat::Json => {
                out.write_all(b"[")?;
                let mut first = true;
                for line in lines.lines() {
                    out.write_all(if first { b"\n" } else { b",\n" })?;
                    out.write_all(line?.as_bytes())?;
                    first = false;
                }
                out.write_all(if first { b"]\n" } else { b"\n]\n" })?;
            }
            DiffFormat::Table => {
                let rows: Vec<Value> = read_values(lines)?.iter().map(table_row).collect();
                output::render_value(Format::Table, &Value::Array(rows), &mut out)?;
                if !counts.is_empty() {
                    super::say(format_args!(
                        "imgcat: {} added, {} removed, {} changed",
                        counts.added, counts.removed, counts.changed
                    ));
                }
            }
        }
        out.flush()
    })();
    match written {
        Ok(()) => Ok(()),
        Err(e) => {
            let e = Error::Output(e);
            if e.is_broken_pipe() { Ok(()) } else { Err(e) }
        }
    }
}

fn read_values(lines: impl BufRead) -> io::Result<Vec<Value>> {
    lines
        .lines()
        .map(|l| l.and_then(|l| serde_json::from_str(&l).map_err(io::Error::other)))
        .collect()
}

/// A change as a table row: what, where, and for a change each field's old -> new.
fn table_row(change: &Value) -> Value {
    let text = |k: &str| change.get(k).cloned().unwrap_or(Value::Null);
    let details = change
        .get("fields")
        .and_then(Value::as_object)
        .map(|fields| {
            fields
                .iter()
                .map(|(name, v)| {
                    format!(
                        "{name}: {} -> {}",
                        short(v.get("old").unwrap_or(&Value::Null)),
                        short(v.get("new").unwrap_or(&Value::Null))
                    )
                })
                .collect::<Vec<_>>()
                .join("; ")
        })
        .unwrap_or_default();
    let mut row = Map::new();
    for k in ["change", "provider", "region", "id", "name"] {
        row.insert(k.into(), text(k));
    }
    row.insert("details".into(), Value::String(details));
    Value::Object(row)
}

/// A value in a table cell: a string as itself, `null` as `-`, anything else as compact JSON.
fn short(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "-".into(),
        other => other.to_string(),
    }
}
