//! The `imgcat` binary: parse arguments, build the runtime, run, map errors to exit codes.

use std::process::ExitCode;

use clap::Parser;
use imgcat::cli::{self, Cli, Command, SimCommand};
use imgcat::error::exit;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() {
                exit::USAGE
            } else {
                exit::OK
            };
            let _ = e.print();
            return ExitCode::from(code as u8);
        }
    };
    cli::runtime::init_logging(&cli.global);
    let code = match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("imgcat: error: {e:#}");
            e.downcast_ref::<imgcat::error::Error>()
                .map_or(exit::API, |e| e.exit_code())
        }
    };
    ExitCode::from(u8::try_from(code).unwrap_or(1))
}

fn run(cli: Cli) -> anyhow::Result<i32> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let code = runtime.block_on(async {
        match &cli.command {
            Command::List(args) => cli::list::run(&cli.global, args).await,
            Command::Sim(SimCommand::Serve(args)) => cli::sim::serve(args).await,
        }
    })?;
    Ok(code)
}
