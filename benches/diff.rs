//! The diff benchmark: `cargo bench --bench diff` (see `docs/BENCHMARK.md`).
//!
//! Writes OLD, a `--sim` listing of 5 providers x 50,000 images (250,000 image objects, about
//! 220 MB of ndjson), and NEW, OLD with one image in every 1,000 removed, one changed (status)
//! and one added; then times `imgcat diff OLD NEW -o ndjson` (and OLD against itself, and the
//! same listings as JSON arrays) in child processes, with their peak RSS from `wait4`. This
//! process streams the files line by line and stays small (a child's `ru_maxrss` starts from
//! its parent's). Prints the figures and always exits 0 (a benchmark, not a test).
//!
//! Knobs (environment): `IMGCAT_BENCH_BIN` (the binary; default the one cargo built),
//! `IMGCAT_BENCH_DIFF_IMAGES` (50000 per provider), `IMGCAT_BENCH_RUNS` (5).

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn env_num<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(default)
}

/// A finished child: wall time, peak RSS (bytes), exit code, stdout lines.
struct Run {
    wall: Duration,
    max_rss: u64,
    code: i32,
    lines: u64,
}

/// Runs `bin args` with stdout to `out` (or a temporary file), waits with `wait4`.
fn run(bin: &str, args: &[&str], out: Option<File>) -> Run {
    let out = out.unwrap_or_else(|| tempfile::tempfile().expect("a temporary file"));
    let start = Instant::now();
    let child = Command::new(bin)
        .args(args)
        .env_clear()
        .env("IMGCAT_NO_METADATA", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::from(out.try_clone().expect("stdout file")))
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {bin}: {e}"));
    let pid = child.id() as libc::pid_t;
    let mut status: libc::c_int = 0;
    // SAFETY: an all-zero rusage is valid; wait4 fills it for this child only.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: pid is our child, not yet reaped (std's Child is never waited on).
        let r = unsafe { libc::wait4(pid, &mut status, 0, &mut ru) };
        if r == pid {
            break;
        }
        let e = std::io::Error::last_os_error();
        assert!(e.kind() == std::io::ErrorKind::Interrupted, "wait4: {e}");
    }
    let wall = start.elapsed();
    drop(child);
    let mut text = Vec::new();
    let mut f = out;
    use std::io::Seek;
    let _ = f.seek(std::io::SeekFrom::Start(0));
    let _ = f.read_to_end(&mut text);
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        128 + libc::WTERMSIG(status)
    };
    Run {
        wall,
        max_rss: (ru.ru_maxrss as u64) * 1024,
        code,
        lines: text.iter().filter(|b| **b == b'\n').count() as u64,
    }
}

/// NEW from OLD, line by line: of every 1,000 images the first is dropped, the 500th changes
/// status and a copy of the 1000th with another id is added. Returns the changes made.
fn edit(old: &Path, new: &Path) -> u64 {
    let r = BufReader::new(File::open(old).expect("OLD"));
    let mut w = BufWriter::new(File::create(new).expect("NEW"));
    let mut changes = 0;
    for (i, line) in r.lines().enumerate() {
        let line = line.expect("a line of OLD");
        match i % 1000 {
            0 => changes += 1,
            500 => {
                let mut v: serde_json::Value = serde_json::from_str(&line).expect("an image");
                v["status"] = if v["status"] == "unavailable" {
                    "available".into()
                } else {
                    "unavailable".into()
                };
                writeln!(w, "{v}").expect("write NEW");
                changes += 1;
            }
            999 => {
                writeln!(w, "{line}").expect("write NEW");
                let mut v: serde_json::Value = serde_json::from_str(&line).expect("an image");
                let id = format!("{}-added", v["id"].as_str().unwrap_or_default());
                v["id"] = id.into();
                writeln!(w, "{v}").expect("write NEW");
                changes += 1;
            }
            _ => writeln!(w, "{line}").expect("write NEW"),
        }
    }
    w.flush().expect("write NEW");
    changes
}

/// An ndjson listing as a pretty-printed JSON array (one image at a time).
fn to_json_array(ndjson: &Path, json: &Path) {
    let r = BufReader::new(File::open(ndjson).expect("ndjson"));
    let mut w = BufWriter::new(File::create(json).expect("json"));
    writeln!(w, "[").expect("write");
    for (i, line) in r.lines().enumerate() {
        let v: serde_json::Value = serde_json::from_str(&line.expect("a line")).expect("an image");
        if i > 0 {
            writeln!(w, ",").expect("write");
        }
        write!(w, "{}", serde_json::to_string_pretty(&v).expect("json")).expect("write");
    }
    writeln!(w, "\n]").expect("write");
    w.flush().expect("write");
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1e6
}

fn main() {
    let bin = std::env::var("IMGCAT_BENCH_BIN")
        .unwrap_or_else(|_| env!("CARGO_BIN_EXE_imgcat").to_string());
    let per: u64 = env_num("IMGCAT_BENCH_DIFF_IMAGES", 50_000);
    let runs: usize = env_num("IMGCAT_BENCH_RUNS", 5usize).max(1);
    let dir = tempfile::tempdir().expect("a temporary directory");
    let (old, new) = (dir.path().join("old.ndjson"), dir.path().join("new.ndjson"));

    println!("imgcat diff benchmark");
    println!("  binary:   {bin}");
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "  machine:  {} CPU(s), load average {} at the start",
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        load.split_whitespace().next().unwrap_or("?")
    );
    eprintln!(
        "[bench] writing OLD: imgcat --sim --sim-images {per} list -p all --include-deprecated -o ndjson"
    );
    let images = per.to_string();
    let listed = run(
        &bin,
        &[
            "--sim",
            "--sim-images",
            &images,
            "list",
            "-p",
            "all",
            "--include-deprecated",
            "-o",
            "ndjson",
        ],
        Some(File::create(&old).expect("OLD")),
    );
    assert_eq!(listed.code, 0, "the --sim listing failed");
    let changes = edit(&old, &new);
    let size = |p: &Path| std::fs::metadata(p).map_or(0, |m| m.len());
    println!(
        "  OLD:      {} images, {:.0} MB of ndjson; NEW: {changes} changes made (1 in 1,000 removed, changed, added)",
        BufReader::new(File::open(&old).expect("OLD"))
            .lines()
            .count(),
        mb(size(&old))
    );

    let (o, n) = (
        old.to_str().unwrap_or_default(),
        new.to_str().unwrap_or_default(),
    );
    let mut rows = Vec::new();
    let mut measure = |what: &str, args: &[&str], expect_code: i32, expect_lines: u64| {
        let mut walls = Vec::new();
        let mut rss = 0;
        for i in 0..runs {
            eprintln!("[bench] {what}: run {}/{runs}", i + 1);
            let r = run(&bin, args, None);
            let ok = r.code == expect_code && r.lines == expect_lines;
            if !ok {
                println!(
                    "  FAIL {what}: exit {} with {} lines (expected exit {expect_code}, {expect_lines} lines)",
                    r.code, r.lines
                );
            }
            walls.push(r.wall);
            rss = rss.max(r.max_rss);
        }
        walls.sort();
        rows.push((what.to_string(), walls[walls.len() / 2], walls[0], rss));
    };
    measure(
        "diff OLD NEW -o ndjson",
        &["diff", o, n, "-o", "ndjson"],
        1,
        changes,
    );
    measure("diff OLD OLD", &["diff", o, o], 0, 0);
    measure(
        "diff OLD NEW --extra -o ndjson",
        &["diff", o, n, "--extra", "-o", "ndjson"],
        1,
        changes,
    );
    let (oj, nj) = (dir.path().join("old.json"), dir.path().join("new.json"));
    to_json_array(&old, &oj);
    to_json_array(&new, &nj);
    println!(
        "  as pretty-printed JSON arrays: {:.0} MB and {:.0} MB",
        mb(size(&oj)),
        mb(size(&nj))
    );
    let (oj, nj) = (
        oj.to_str().unwrap_or_default(),
        nj.to_str().unwrap_or_default(),
    );
    measure(
        "diff OLD.json NEW.json -o ndjson",
        &["diff", oj, nj, "-o", "ndjson"],
        1,
        changes,
    );

    println!();
    println!(
        "  {:<36} {:>10} {:>10} {:>12}",
        "command", "median", "best", "peak RSS"
    );
    for (what, median, best, rss) in &rows {
        println!(
            "  {what:<36} {:>8.0}ms {:>8.0}ms {:>9.1} MB",
            median.as_secs_f64() * 1e3,
            best.as_secs_f64() * 1e3,
            mb(*rss)
        );
    }
}
