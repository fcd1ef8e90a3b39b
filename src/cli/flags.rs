//! The global flags providers declare (`ProviderFlag`): added to the command line from the
//! registry, and put into the environment as the variables they stand for.

use clap::builder::ValueParser;
use clap::{Arg, ArgMatches, Args, Command, FromArgMatches};

use crate::config::Env;
use crate::providers;

/// The values given to provider flags: `(variable, value)` pairs.
#[derive(Debug, Clone, Default)]
pub struct ProviderFlags {
    /// Each flag given, as the environment variable it stands for and its value.
    pub values: Vec<(&'static str, String)>,
}

impl ProviderFlags {
    /// Sets every given flag into `env` (a flag wins over the variable and the profile). A flag
    /// that is a credential takes its group's credentials out of the environment: they come
    /// from one source ([`Env::set_over`]).
    pub fn apply(&self, env: &mut Env) {
        let pairs: Vec<(String, String)> = self
            .values
            .iter()
            .map(|(var, value)| (var.to_string(), value.clone()))
            .collect();
        env.set_over(&pairs, "flag");
    }
}

impl FromArgMatches for ProviderFlags {
    fn from_arg_matches(m: &ArgMatches) -> Result<Self, clap::Error> {
        let mut values = Vec::new();
        for f in providers::flags() {
            if let Ok(Some(v)) = m.try_get_one::<String>(f.long) {
                values.push((f.env, v.clone()));
            }
        }
        Ok(ProviderFlags { values })
    }

    fn update_from_arg_matches(&mut self, m: &ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(m)?;
        Ok(())
    }
}

impl Args for ProviderFlags {
    fn augment_args(cmd: Command) -> Command {
        let mut cmd = cmd;
        for f in providers::flags() {
            let check = f.check;
            cmd = cmd.arg(
                Arg::new(f.long)
                    .long(f.long)
                    .global(true)
                    .value_name(f.value_name)
                    .help(f.help)
                    .value_parser(ValueParser::new(move |s: &str| {
                        check(s).map(|()| s.to_string())
                    })),
            );
        }
        cmd
    }

    fn augment_args_for_update(cmd: Command) -> Command {
        Self::augment_args(cmd)
    }
}
