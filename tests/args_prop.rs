//! Property tests of the command line: argument vectors built from the real subcommands and
//! flags (read from the clap definition, so a new flag is covered the day it is added) with
//! random values - numbers in and out of range, huge and negative ones, empty and blank
//! strings, unicode, durations, region ids in every case - go through the parser and the checks
//! each subcommand makes before its first request (`imgcat::cli::usage::validate`) without a
//! panic; an error renders as text. In-process, no network. A few vectors also run the binary
//! under `--sim` (loopback only), which must exit with a code, never a panic.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};

use clap::{CommandFactory, Parser};
use imgcat::cli::Cli;
use imgcat::providers::ProviderId;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

/// One subcommand as clap defines it: its path, its flags (`--long` or `-s`, whether each
/// takes a value, and its possible values when clap knows them) and how many positionals.
#[derive(Debug, Clone)]
struct Spec {
    path: Vec<String>,
    flags: Vec<Flag>,
    positionals: usize,
    has_provider: bool,
}

#[derive(Debug, Clone)]
struct Flag {
    name: String,
    takes_value: bool,
    values: Vec<String>,
}

/// Every leaf subcommand (and the root, which needs one), with the global flags among its own.
fn specs() -> Vec<Spec> {
    let mut root = Cli::command();
    root.build();
    let mut out = Vec::new();
    walk(&root, Vec::new(), &mut out);
    out
}

fn walk(cmd: &clap::Command, path: Vec<String>, out: &mut Vec<Spec>) {
    // clap's `help` mirrors every subcommand: one vector `help [WORD]` stands for it all.
    let subs: Vec<&clap::Command> = cmd
        .get_subcommands()
        .filter(|s| s.get_name() != "help")
        .collect();
    if cmd.get_subcommands().any(|s| s.get_name() == "help") {
        let mut p = path.clone();
        p.push("help".into());
        out.push(Spec {
            path: p,
            flags: Vec::new(),
            positionals: 1,
            has_provider: false,
        });
    }
    if !subs.is_empty() {
        for s in subs {
            let mut p = path.clone();
            p.push(s.get_name().to_string());
            walk(s, p, out);
        }
        if !path.is_empty() {
            return;
        }
    }
    let mut flags = Vec::new();
    let mut positionals = 0;
    for a in cmd.get_arguments() {
        // --help and --version end parsing at once: they get a small share of their own.
        if matches!(a.get_id().as_str(), "help" | "version") {
            continue;
        }
        if a.is_positional() {
            positionals += 1;
            continue;
        }
        let takes_value = a.get_action().takes_values();
        let values: Vec<String> = a
            .get_possible_values()
            .iter()
            .map(|v| v.get_name().to_string())
            .collect();
        if let Some(long) = a.get_long() {
            flags.push(Flag {
                name: format!("--{long}"),
                takes_value,
                values: values.clone(),
            });
        }
        if let Some(short) = a.get_short() {
            flags.push(Flag {
                name: format!("-{short}"),
                takes_value,
                values,
            });
        }
    }
    let has_provider = flags.iter().any(|f| f.name == "--provider");
    out.push(Spec {
        path,
        flags,
        positionals,
        has_provider,
    });
}

/// Values a user may type, or a fuzzer would.
fn value() -> impl Strategy<Value = String> {
    let mut words: Vec<String> = [
        "",
        " ",
        "\t",
        "all",
        "ALL",
        " All ",
        "0",
        "1",
        "-1",
        "65535",
        "65536",
        "100000",
        "100001",
        "1000000000",
        "1000000001",
        "18446744073709551615",
        "18446744073709551616",
        "99999999999999999999999999999",
        "1e400",
        "NaN",
        "inf",
        "-0",
        "0.0001",
        "1ms",
        "7d",
        "8d",
        "30000d",
        "99999999999999h",
        "15s",
        "created_at:desc",
        "name:sideways",
        ",",
        "id,name",
        "[].id",
        "[?",
        "2024-01-02",
        "2024-13-45",
        "1970-01-01T00:00:00Z",
        "22.04",
        "v",
        "status:503:3@ims",
        "slow:60001",
        "cut:1000000001",
        "status-after:500:99999999999",
        "img-1:10000001",
        "img-1:5",
        ":5",
        "http://127.0.0.1:1",
        "http://user:pw@127.0.0.1:1/path",
        "-",
        "--",
        "\u{0}",
        "\u{feff}cn-north-4",
        "cn-north-4 ",
        "CN-NORTH-4",
        "cn-nort-4",
        "fra-a",
        "FRA-A",
        "ap-guangzhou",
        "\u{1F600}",
        "ü\u{301}",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    words.extend(ProviderId::all().map(|p| p.as_str().to_string()));
    words.extend(ProviderId::all().map(|p| p.as_str().to_ascii_uppercase()));
    prop_oneof![
        4 => proptest::sample::select(words),
        1 => any::<u64>().prop_map(|n| n.to_string()),
        1 => any::<i64>().prop_map(|n| n.to_string()),
        1 => "[0-9]{1,40}",
        1 => "[0-9]{1,6}(\\.[0-9]{1,4})?(ns|ms|s|m|h|d|w|y)?",
        1 => "(status|status-after|slow|cut|truncate|ims-loop|short-page|total-change)(:[0-9]{1,21}){0,3}(@[a-z]{0,9}(,[a-z]{1,9})?)?",
        1 => "[a-z0-9-]{0,12}:-?[0-9.e]{0,24}",
        1 => "[a-zA-Z_]{0,12}(:(asc|desc|ASC|x))?(,[a-z_]{0,12})?",
        1 => "\\PC{0,16}",
        1 => ".{0,10}",
    ]
}

/// Values a flag takes, by its name (flags with possible values use clap's).
fn typical(flag: &str) -> &'static [&'static str] {
    match flag {
        "--provider" | "-p" => &["huawei-ims", "tencent", "zenlayer", "all", "ALL"],
        "--region" | "-r" => &["cn-north-4", "ap-guangzhou", "FRA-A", "all", "CN-NORTH-4 "],
        "--limit" => &["0", "5", "1000000000"],
        "--timeout" => &["30", "30s", "7d", "1ms"],
        "--interval" => &["1s", "100ms"],
        "--sim-images" | "--images" => &["3", "100000"],
        "--concurrency" => &["1", "256"],
        "--retries" => &["0", "20"],
        "--port" => &["0", "65535"],
        "--latency-ms" => &["0", "60000"],
        "--metadata-ttl" => &["1", "86400"],
        "--fault" => &["cut:1", "status:503:2@ims", "slow:60000:1000000000"],
        "--appear" => &["img-1:5", "img-1:10000000"],
        "--no-project-in" => &["la-south-2"],
        "--created-after" | "--created-before" => &["2024-01-01", "2024-01-02T03:04:05Z"],
        "--os-version" => &["22.04", "v7"],
        "--sort-by" => &["created_at:desc", "name", "size:asc"],
        "--columns" => &["id,name", "region"],
        "--query" => &["[].id", "name", "length(@)"],
        "--name" => &["golden-*", "Ubuntu 22.04"],
        "--os" => &["ubuntu", "Windows"],
        "--id" => &["img-1"],
        "--endpoint" => &["http://127.0.0.1:9"],
        "--profile" => &["default"],
        "--huawei-project-id" => &["0123456789abcdef"],
        "--tencent-signature-method" => &["HmacSHA256", "HmacSHA1"],
        _ => &[],
    }
}

/// An argument vector for one of `specs`: its path, maybe `-p X`, random flags (with random
/// values, or one of clap's possible values, as `--flag value` or `--flag=value`), random
/// positionals.
fn argv(specs: Vec<Spec>) -> impl Strategy<Value = Vec<String>> {
    let n = specs.len();
    (
        0..n,
        any::<bool>(),
        value(),
        proptest::collection::vec(
            (any::<prop::sample::Index>(), value(), 0u8..4, any::<bool>()),
            0..6,
        ),
        proptest::collection::vec(value(), 0..3),
        prop::bool::weighted(0.03),
        prop::bool::weighted(0.1),
    )
        .prop_map(
            move |(i, with_provider, provider, flags, positionals, help, extra)| {
                let spec = &specs[i];
                let mut v = vec!["imgcat".to_string()];
                v.extend(spec.path.iter().cloned());
                if spec.has_provider && with_provider {
                    v.push("-p".into());
                    v.push(provider);
                }
                if !spec.flags.is_empty() {
                    for (index, value, how, joined) in flags {
                        let f = &spec.flags[index.index(spec.flags.len())];
                        // Most values are ones the flag takes (clap's possible values, or a
                        // typical value): the vectors then get past the parser to validation.
                        let good: Vec<String> = if f.values.is_empty() {
                            typical(&f.name).iter().map(|s| s.to_string()).collect()
                        } else {
                            f.values.clone()
                        };
                        let value = if how >= 1 && !good.is_empty() {
                            good[index.index(good.len())].clone()
                        } else {
                            value
                        };
                        match (f.takes_value, joined) {
                            (false, _) => v.push(f.name.clone()),
                            (true, true) if f.name.starts_with("--") => {
                                v.push(format!("{}={value}", f.name))
                            }
                            (true, _) => {
                                v.push(f.name.clone());
                                v.push(value);
                            }
                        }
                    }
                }
                // Now and then one positional more than the command takes.
                v.extend(
                    positionals
                        .into_iter()
                        .take(spec.positionals + usize::from(extra)),
                );
                if help {
                    v.push(
                        if spec.flags.len().is_multiple_of(2) {
                            "--help"
                        } else {
                            "-V"
                        }
                        .into(),
                    );
                }
                v
            },
        )
}

/// Vectors through the parser (about 1 s a thousand in a debug build).
const CASES: u32 = 8000;

static PARSED: AtomicUsize = AtomicUsize::new(0);
static VALID: AtomicUsize = AtomicUsize::new(0);

#[test]
fn the_clap_definition_is_consistent() {
    Cli::command().debug_assert();
    let specs = specs();
    for sub in [
        "list", "show", "check", "where", "wait", "diff", "regions", "serve",
    ] {
        assert!(
            specs
                .iter()
                .any(|s| s.path.last().is_some_and(|p| p == sub)),
            "{sub}: {specs:?}"
        );
    }
}

#[test]
fn parsing_and_validating_any_argument_vector_never_panics() {
    let mut runner = TestRunner::new(Config {
        cases: CASES,
        failure_persistence: None,
        ..Config::default()
    });
    let result = runner.run(&argv(specs()), |args| {
        match Cli::try_parse_from(&args) {
            Ok(cli) => {
                PARSED.fetch_add(1, Ordering::Relaxed);
                match imgcat::cli::usage::validate(&cli) {
                    Ok(()) => {
                        VALID.fetch_add(1, Ordering::Relaxed);
                    }
                    Err(e) => {
                        let text = e.to_string();
                        prop_assert!(!text.is_empty());
                        prop_assert_eq!(e.exit_code(), 2, "{:?}: {}", args, text);
                    }
                }
            }
            Err(e) => {
                // Help and version are not errors of the user; everything else is one.
                let _ = e.render().to_string();
                let _ = e.kind();
            }
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    let (parsed, valid) = (
        PARSED.load(Ordering::Relaxed),
        VALID.load(Ordering::Relaxed),
    );
    // The vectors reach validation, and some pass it: the property is not vacuous.
    eprintln!("{parsed} of {CASES} vectors parsed, {valid} passed validation");
    assert!(
        parsed as u32 > CASES / 10,
        "only {parsed} of {CASES} parsed"
    );
    assert!(
        valid > parsed / 4,
        "only {valid} of {parsed} passed validation"
    );
}

/// Flags a binary run leaves out: they reach beyond loopback (`--endpoint`), read files
/// (`--profile`), or only make a run slow (`--sim-images`, `--timeout`, `--retries`).
const NOT_IN_BINARY_RUNS: &[&str] = &[
    "--endpoint",
    "--profile",
    "--sim-images",
    "--timeout",
    "--retries",
    "--concurrency",
];

#[test]
fn the_binary_under_sim_exits_with_a_code_never_a_panic() {
    // Commands that end by themselves under --sim (no `wait`, no `sim serve`, no files).
    let specs: Vec<Spec> = specs()
        .into_iter()
        .filter(|s| {
            let p: Vec<&str> = s.path.iter().map(String::as_str).collect();
            matches!(
                p[..],
                ["list"] | ["show"] | ["check"] | ["where"] | ["regions"] | ["providers"]
            )
        })
        .map(|mut s| {
            s.flags
                .retain(|f| !NOT_IN_BINARY_RUNS.contains(&f.name.as_str()) && f.name != "--sim");
            s
        })
        .collect();
    let mut runner = TestRunner::new(Config {
        cases: 24,
        failure_persistence: None,
        ..Config::default()
    });
    let result = runner.run(&argv(specs), |args| {
        let mut run = vec![
            "--sim".to_string(),
            "--sim-images".into(),
            "3".into(),
            "--timeout".into(),
            "10".into(),
        ];
        // An argument cannot hold a NUL byte (exec refuses it): the in-process test has those.
        run.extend(args.into_iter().skip(1).map(|a| a.replace('\0', "")));
        let out = common::imgcat(&[], &run);
        let err = common::stderr(&out);
        prop_assert!(!err.contains("panicked"), "{:?}: {}", run, err);
        prop_assert!(out.status.code().is_some(), "{:?}: killed: {}", run, err);
        prop_assert_ne!(out.status.code(), Some(101), "{:?}: {}", run, err);
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}
