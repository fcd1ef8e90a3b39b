//! What the command line takes, checked before any request: the value parsers of the flags
//! (empty values, ranges, `all` in any case, trimmed region ids) and, per subcommand, the
//! checks that need no network ([`validate`]). A value that fails is a usage error (exit 2).
//!
//! Every numeric flag has a range (documented in the README, "Numbers have ranges"), chosen so
//! that no value can overflow a computation (a deadline, a sleep) or size an allocation.

use std::ops::RangeInclusive;
use std::time::Duration;

use super::{
    CheckArgs, Cli, Command, DiffArgs, FilterArgs, ListArgs, OutputArgs, ShowArgs, SimCommand,
    SimServeArgs, TargetArgs, WaitArgs, WhereArgs,
};
use crate::error::{Error, Result};
use crate::providers::ProviderId;

/// `--limit`: 0 (print nothing, ask nothing) to a billion.
pub const LIMIT_RANGE: RangeInclusive<u64> = 0..=1_000_000_000;

/// `--timeout`: 1 ms to 7 days (one request; for `wait`, the whole wait).
pub const TIMEOUT_RANGE: RangeInclusive<Duration> =
    Duration::from_millis(1)..=Duration::from_secs(7 * 24 * 3600);

/// `wait --interval`: 100 ms to a day.
pub const INTERVAL_RANGE: RangeInclusive<Duration> =
    Duration::from_millis(100)..=Duration::from_secs(24 * 3600);

/// `sim serve --latency-ms`: 0 to a minute.
pub const LATENCY_MS_RANGE: RangeInclusive<u64> = 0..=60_000;

/// `sim serve --metadata-ttl`: a second to a day.
pub const METADATA_TTL_RANGE: RangeInclusive<u64> = 1..=86_400;

/// Rejects an empty (or blank) value: `--os ''` would match nothing, silently.
pub fn non_empty(s: &str) -> std::result::Result<String, String> {
    if s.trim().is_empty() {
        Err("the value is empty (or only white space)".into())
    } else {
        Ok(s.to_string())
    }
}

/// A `--provider` value of a listing: trimmed, `all` in any case folded to `all`, not empty.
/// Whether it is a provider id is checked with the rest ([`target`]).
pub fn provider(s: &str) -> std::result::Result<String, String> {
    let t = non_empty(s)?;
    Ok(fold_all(t.trim()))
}

/// The one provider of `imgcat regions`: a provider id; `all` is refused (the command prints
/// one provider's region ids, a list a script can loop over).
pub fn one_provider(s: &str) -> std::result::Result<ProviderId, String> {
    let t = non_empty(s)?;
    let t = t.trim();
    if super::runtime::is_all(t) {
        let ids: Vec<&str> = ProviderId::all().map(ProviderId::as_str).collect();
        return Err(format!(
            "`regions` lists one provider's regions: give one of {} (once per provider)",
            ids.join(", ")
        ));
    }
    t.parse()
}

/// A `--region` value: trimmed (as the environment's region variables are), `all` in any case
/// folded to `all`, not empty. Whether a provider has it is checked with the rest ([`target`]).
pub fn region(s: &str) -> std::result::Result<String, String> {
    let t = non_empty(s)?;
    Ok(fold_all(t.trim()))
}

/// A region named to the simulator (`--no-project-in`): trimmed, not empty.
pub fn plain_region(s: &str) -> std::result::Result<String, String> {
    Ok(non_empty(s)?.trim().to_string())
}

fn fold_all(t: &str) -> String {
    if super::runtime::is_all(t) {
        "all".to_string()
    } else {
        t.to_string()
    }
}

/// `--timeout`: a duration ([`super::parse_duration`]) in [`TIMEOUT_RANGE`].
pub fn timeout(s: &str) -> std::result::Result<Duration, String> {
    duration_in(s, &TIMEOUT_RANGE, "1ms to 7d")
}

/// `wait --interval`: a duration ([`super::parse_duration`]) in [`INTERVAL_RANGE`].
pub fn interval(s: &str) -> std::result::Result<Duration, String> {
    duration_in(s, &INTERVAL_RANGE, "100ms to 1d")
}

fn duration_in(
    s: &str,
    range: &RangeInclusive<Duration>,
    says: &str,
) -> std::result::Result<Duration, String> {
    let d = super::parse_duration(s)?;
    if range.contains(&d) {
        Ok(d)
    } else {
        Err(format!("'{s}' is out of range: {says}"))
    }
}

/// Every check of `cli` that needs no network and no configuration, as the subcommand makes
/// it before its first request: the same functions the commands call. (The command line
/// itself is checked by clap: [`Cli::try_parse_from`](clap::Parser::try_parse_from).)
pub fn validate(cli: &Cli) -> Result<()> {
    match &cli.command {
        Command::List(a) => list(a),
        Command::Show(a) => show(a),
        Command::Check(a) => check(a),
        Command::Where(a) => where_(a),
        Command::Wait(a) => wait(a),
        Command::Diff(a) => diff(a),
        Command::Sim(SimCommand::Serve(a)) => sim_serve(a),
        Command::Providers(_)
        | Command::Regions(_)
        | Command::Completions(_)
        | Command::Man
        | Command::Config(_) => Ok(()),
    }
}

/// `imgcat list`: targets, `--sort-by`, `--columns`, `--query`, the creation-time range.
pub fn list(args: &ListArgs) -> Result<()> {
    target(&args.target)?;
    super::list::sort_keys(&args.output)?;
    columns(&args.output)?;
    super::list::compile_query(args.output.query.as_deref())?;
    filters(&args.filter)
}

/// `imgcat show`: targets, `--query`, the filters of `--latest`.
pub fn show(args: &ShowArgs) -> Result<()> {
    target(&args.target)?;
    super::list::compile_query(args.query.as_deref())?;
    filters(&args.filter)
}

/// `imgcat check`: targets.
pub fn check(args: &CheckArgs) -> Result<()> {
    target(&args.target)
}

/// `imgcat where`: targets, `--query`, the creation-time range.
pub fn where_(args: &WhereArgs) -> Result<()> {
    target(&args.target)?;
    super::list::compile_query(args.query.as_deref())?;
    filters(&args.filter)
}

/// `imgcat wait`: targets.
pub fn wait(args: &WaitArgs) -> Result<()> {
    target(&args.target)
}

/// `imgcat diff`: `--query`, the live listing's targets and filters.
pub fn diff(args: &DiffArgs) -> Result<()> {
    super::list::compile_query(args.query.as_deref())?;
    if !args.providers.is_empty() {
        target(&TargetArgs {
            providers: args.providers.clone(),
            regions: args.regions.clone(),
            endpoint: args.endpoint.clone(),
        })?;
    }
    filters(&args.filter)
}

/// `imgcat sim serve`: every `--fault` and `--appear`.
pub fn sim_serve(args: &SimServeArgs) -> Result<()> {
    for f in &args.faults {
        f.parse::<crate::sim::Fault>()
            .map_err(|e| Error::Usage(format!("sim serve: --fault: {e}")))?;
    }
    crate::sim::parse_appear(&args.appear)
        .map_err(|e| Error::Usage(format!("sim serve: --appear: {e}")))?;
    Ok(())
}

/// `--provider` values are provider ids or `all`; every `--region` is a region of one of them
/// (of any provider, for `all`: which have credentials is known later).
pub fn target(t: &TargetArgs) -> Result<()> {
    let mut providers: Vec<ProviderId> = Vec::new();
    for g in &t.providers {
        if super::runtime::is_all(g) {
            providers.extend(ProviderId::all().filter(|p| p.provider().retired().is_none()));
        } else {
            let p = g
                .parse::<ProviderId>()
                .map_err(|_| Error::Usage(ProviderId::unknown(g, &["all"])))?;
            providers.push(p);
        }
    }
    if providers.is_empty() {
        return Ok(());
    }
    super::runtime::check_regions_known(&providers, &t.regions)
}

fn columns(args: &OutputArgs) -> Result<()> {
    if args.columns.is_empty() {
        return Ok(());
    }
    crate::output::parse_columns(&args.columns)
        .map(|_| ())
        .map_err(|e| Error::Usage(format!("--columns: {e}")))
}

fn filters(f: &FilterArgs) -> Result<()> {
    if matches!((f.created_after, f.created_before), (Some(a), Some(b)) if a >= b) {
        return Err(Error::Usage(
            "--created-after is not before --created-before".into(),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_trimmed_folded_and_never_empty() {
        assert_eq!(region(" cn-north-4 ").as_deref(), Ok("cn-north-4"));
        assert_eq!(region("ALL").as_deref(), Ok("all"));
        assert_eq!(provider(" All ").as_deref(), Ok("all"));
        assert!(region("").is_err() && region("  ").is_err());
        assert!(non_empty("").is_err() && non_empty("\t").is_err());
        assert_eq!(non_empty(" x ").as_deref(), Ok(" x "), "not trimmed");
        assert!(one_provider("all").is_err_and(|e| !e.contains(", all")));
        assert!(one_provider(" zenlayer ").is_ok());
    }

    #[test]
    fn durations_have_ranges() {
        assert!(timeout("0.0001").is_err());
        assert!(timeout("1ms").is_ok() && timeout("7d").is_ok());
        assert!(timeout("8d").is_err_and(|e| e.contains("1ms to 7d")));
        assert!(interval("50ms").is_err() && interval("100ms").is_ok());
        assert!(interval("2d").is_err());
        assert!(timeout("99999999999999999999999h").is_err());
    }
}
