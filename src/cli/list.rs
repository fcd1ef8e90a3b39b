//! `imgcat list`.

use std::io::{IsTerminal, Write};
use std::sync::Arc;

use super::runtime::{self, RunEnv};
use super::{GlobalArgs, ListArgs};
use crate::error::{Error, Result, exit};
use crate::listing::{self, Delivery, Outcome};
use crate::output::{self, OutputOptions};
use crate::providers::Setup;
use crate::query::{ImageQuery, NameFilter};

/// The filters `list` was given.
pub fn query(args: &ListArgs) -> ImageQuery {
    ImageQuery {
        visibility: args.visibility,
        name: args.name.as_deref().map(NameFilter::parse),
        os_type: args.os_type,
        ..ImageQuery::default()
    }
}

/// Runs `imgcat list`; returns the exit code.
pub async fn run(global: &GlobalArgs, args: &ListArgs) -> Result<i32> {
    let run_env: RunEnv = runtime::run_env(global).await?;
    let providers = runtime::select_providers(&args.providers, &run_env.env, global.sim)?;
    if args.endpoint.is_some() && providers.len() != 1 {
        return Err(Error::Usage(
            "--endpoint needs exactly one --provider; use IMGCAT_ENDPOINT_<ID> to set several"
                .into(),
        ));
    }
    let setup = Setup {
        http: runtime::http_client(global)?,
        env: run_env.env.clone(),
        endpoint: args.endpoint.clone(),
        tencent_method: global.tencent_signature_method,
    };
    let jobs = runtime::jobs(&providers, &args.regions, &run_env, &setup).await?;
    let query = Arc::new(query(args));

    let stdout = std::io::stdout();
    let is_tty = stdout.is_terminal();
    let options = OutputOptions {
        width: is_tty.then(|| comfy_table::Table::new().width()).flatten(),
        color: is_tty && std::env::var_os("NO_COLOR").is_none(),
        ..OutputOptions::default()
    };
    let out = std::io::BufWriter::new(stdout.lock());
    let mut sink = output::sink(args.output, Box::new(out), options).map_err(Error::Usage)?;
    let outcome = listing::run(
        jobs,
        query,
        Delivery::Stream {
            sink: sink.as_mut(),
            limit: None,
        },
    )
    .await;
    let finished = sink.finish();
    drop(sink);
    finished?;
    std::io::stdout().flush()?;
    Ok(report(&outcome))
}

/// Prints the failures of a listing on stderr and picks the exit code.
pub fn report(outcome: &Outcome) -> i32 {
    for e in &outcome.failures {
        eprintln!("imgcat: error: {e}");
    }
    match outcome.failures.first() {
        None => exit::OK,
        Some(_) if outcome.succeeded > 0 => {
            eprintln!(
                "imgcat: partial listing: {} target(s) failed, {} succeeded",
                outcome.failures.len(),
                outcome.succeeded
            );
            exit::PARTIAL
        }
        Some(e) => e.exit_code(),
    }
}
