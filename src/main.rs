//! The `imgcat` binary: parse arguments, build the runtime, run, map errors to exit codes.

use std::process::ExitCode;

use clap::Parser;
use imgcat::cli::{self, Cli, Command, ConfigCommand, SimCommand};
use imgcat::error::exit;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if e.use_stderr() => {
            cli::say(format_args!(
                "imgcat: {}",
                one_line(&e.render().to_string())
            ));
            return ExitCode::from(exit::USAGE as u8);
        }
        Err(e) => {
            // --help, --version: clap's own output on stdout. A stdout that cannot take it is
            // an output error as for any command (`| head` that stops reading is not).
            use std::io::Write;
            let printed = e.print().and_then(|()| std::io::stdout().flush());
            return match printed {
                Ok(()) => ExitCode::from(exit::OK as u8),
                Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => {
                    ExitCode::from(exit::OK as u8)
                }
                Err(err) => {
                    let typed = imgcat::error::Error::Output(err);
                    cli::say(format_args!("imgcat: error: {typed}"));
                    ExitCode::from(u8::try_from(typed.exit_code()).unwrap_or(1))
                }
            };
        }
    };
    cli::runtime::init_logging(&cli.global);
    let code = match run(cli) {
        Ok(code) => code,
        Err(e) => match e.downcast_ref::<imgcat::error::Error>() {
            // The reader of stdout went away (`imgcat list | head`): stop quietly.
            Some(typed) if typed.is_broken_pipe() => exit::OK,
            // Masked ([`imgcat::secret::mask`]): an error can quote what a server sent.
            Some(typed) => {
                cli::say(format_args!("imgcat: error: {typed}"));
                typed.exit_code()
            }
            None => {
                cli::say(format_args!("imgcat: error: {e:#}"));
                exit::API
            }
        },
    };
    ExitCode::from(u8::try_from(code).unwrap_or(1))
}

fn run(cli: Cli) -> anyhow::Result<i32> {
    // Commands that need no network or runtime run before one is built (`providers` and
    // `config show` may ask instance metadata).
    match &cli.command {
        Command::Completions(args) => return Ok(cli::info::completions(args)?),
        Command::Man => return Ok(cli::info::man()?),
        _ => {}
    }
    limit_malloc_arenas();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let global = &cli.global;
    let code = runtime.block_on(async {
        match &cli.command {
            Command::List(args) => cli::list::run(global, args).await,
            Command::Show(args) => cli::show::run(global, args).await,
            Command::Check(args) => cli::check::run(global, args).await,
            Command::Where(args) => cli::where_::run(global, args).await,
            Command::Wait(args) => cli::wait::run(global, args).await,
            Command::Diff(args) => cli::diff::run(global, args).await,
            Command::Regions(args) => cli::info::regions(global, args).await,
            Command::Providers(args) => cli::info::providers(global, args).await,
            Command::Config(ConfigCommand::Show(args)) => cli::config::show(global, args).await,
            Command::Sim(SimCommand::Serve(args)) => cli::sim::serve(args).await,
            Command::Completions(_) | Command::Man => Ok(imgcat::error::exit::OK),
        }
    })?;
    runtime.shutdown_background();
    Ok(code)
}

/// Caps glibc's malloc arenas at two. By default each thread that allocates may get an arena of
/// its own (up to 8 per core): pages encoded on the blocking pool's threads then leave freed
/// memory scattered over many arenas, and peak RSS grows with it (measured, 5 x 50,000 images:
/// 74 MB with the default, 67 MB with two, 96 vs 78 MB with no rate limits; same speed:
/// docs/BENCHMARK.md).
fn limit_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets a tunable of glibc's allocator; called before any other thread
    // exists.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

/// Folds clap's multi-line usage error into one line, keeping what to fix and the valid values.
fn one_line(rendered: &str) -> String {
    rendered
        .lines()
        .map(str::trim)
        .filter(|l| {
            !l.is_empty() && !l.starts_with("For more information") && !l.starts_with("Usage:")
        })
        .collect::<Vec<_>>()
        .join(" ")
}
