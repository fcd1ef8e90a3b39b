//! Issue 4's benchmark: `cargo bench --bench listing` (see `docs/BENCHMARK.md`).
//!
//! The simulator is `imgcat sim serve --port 0` in its own process (request counts from its
//! `GET /__sim/stats`); every measured `imgcat` is another child process pointed at it through
//! `IMGCAT_ENDPOINT_<ID>` and `HUAWEICLOUD_SDK_IAM_ENDPOINT` with the simulator's demo
//! credentials, so its peak RSS (`wait4` -> `ru_maxrss`) is imgcat's alone. (Linux starts a
//! child's `ru_maxrss` from its parent's RSS at the spawn, so this process must stay small: a
//! simulator inside it would be counted in every imgcat figure.) Prints a table of the figures
//! with PASS/FAIL against issue 4's thresholds and always exits 0 (it is a benchmark, not a
//! test).
//!
//! Knobs (environment): `IMGCAT_BENCH_BIN` (the binary to measure; default the one cargo just
//! built), `IMGCAT_BENCH_IMAGES` (5000), `IMGCAT_BENCH_BIG_IMAGES` (50000, 0 skips that run),
//! `IMGCAT_BENCH_LATENCY_MS` (40), `IMGCAT_BENCH_RUNS` (9), `IMGCAT_BENCH_VERSION_RUNS` (50),
//! `IMGCAT_BENCH_THROUGHPUT_RUNS` (5, 0 skips the throughput runs), `IMGCAT_BENCH_SIM_BIN` (the
//! binary that serves the simulator; default the measured one - set it to compare two builds of
//! imgcat against the same simulator).
//!
//! The throughput runs list the big catalog with no latency and no rate limits on either side
//! (`sim serve --no-rate-limit --latency-ms 0`, `imgcat --no-rate-limit`): their wall time is
//! what decoding, mapping and printing cost, which the rate-limited runs cannot show (their
//! floor is Tencent's 40 requests a second).

use std::io::{BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use imgcat::model::Visibility;
use imgcat::providers::ProviderId;
use imgcat::sim::{SimCredentials, SimStats};
use sha2::{Digest, Sha256};

/// Issue 4's thresholds.
const MAX_WALL_OVER_FLOOR: f64 = 1.2;
const MIN_SPEEDUP: f64 = 8.0;
const MAX_RSS_MB: f64 = 64.0;
/// "Growth far slower than the catalog": the catalog grows 10x between the two RSS runs; the
/// peak RSS may at most double.
const MAX_RSS_GROWTH: f64 = 2.0;
const MAX_VERSION_MS: f64 = 10.0;
/// Issue 13: the collecting formats (table, any --sort-by) at most 3x json's peak RSS.
const MAX_RSS_OVER_JSON: f64 = 3.0;
/// The formats run on the big catalog for their peak RSS (after `--output` in the command).
const FORMAT_RUNS: &[&[&str]] = &[
    &["--output", "json"],
    &["--output", "table"],
    &["--sort-by", "name", "--output", "ndjson"],
    &["--sort-by", "name", "--output", "table"],
    &["--output", "csv"],
    &["--output", "yaml"],
];

fn env_num<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(default)
}

/// One finished child process.
struct Run {
    wall: Duration,
    /// Peak resident set size, bytes (`ru_maxrss` of this child alone).
    max_rss: u64,
    /// Exit code (or 128 + signal).
    code: i32,
    stdout_bytes: u64,
    /// Output lines per provider id (the first field of every ndjson object), in order of
    /// first appearance, and lines without a provider.
    per_provider: Vec<(String, u64)>,
    lines: u64,
    sha256: String,
    stderr: String,
    /// The simulator's counters for this run (after minus before).
    requests: SimStats,
    /// The child's CPU time (user + system).
    cpu: Duration,
    /// The simulator process's CPU time meanwhile.
    sim_cpu: Duration,
}

fn tv(t: libc::timeval) -> Duration {
    Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
}

/// This process's peak RSS, bytes (`VmHWM` of `/proc/self/status`: its own address space; its
/// `ru_maxrss` would include cargo's). Linux starts a child's `ru_maxrss` from the parent's
/// address space's high-water mark at the spawn, so this is a floor under every RSS figure: it is
/// why the simulator is a separate process.
fn self_hwm() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|st| {
            st.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        })
        .map_or(0, |kb| kb * 1024)
}

fn delta(a: &SimStats, b: &SimStats) -> SimStats {
    b.since(a)
}

/// Whether two sets of counters agree (an API missing from one counts 0 there).
fn same_counts(a: &SimStats, b: &SimStats) -> bool {
    a.requests == b.requests
        && a.faults == b.faults
        && a.per_api
            .keys()
            .chain(b.per_api.keys())
            .all(|k| a.get(k) == b.get(k))
}

/// Hashes and counts what a child printed (read back from its stdout file after it exited):
/// bytes, lines, lines per provider, sha256.
fn summarize(out: impl Read) -> (u64, u64, Vec<(String, u64)>, String) {
    let mut r = BufReader::with_capacity(1 << 20, out);
    let mut h = Sha256::new();
    let (mut bytes, mut lines) = (0u64, 0u64);
    let mut per: Vec<(String, u64)> = Vec::new();
    let mut line = Vec::with_capacity(4096);
    const KEY: &[u8] = b"{\"provider\":\"";
    loop {
        line.clear();
        match r.read_until(b'\n', &mut line) {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                h.update(&line);
                bytes += n as u64;
                lines += 1;
                let p = line
                    .strip_prefix(KEY)
                    .and_then(|rest| rest.iter().position(|b| *b == b'"').map(|e| &rest[..e]))
                    .map_or_else(|| "?".to_string(), |p| String::from_utf8_lossy(p).into());
                match per.last_mut() {
                    Some((q, c)) if *q == p => *c += 1,
                    _ => match per.iter_mut().find(|(q, _)| *q == p) {
                        Some((_, c)) => *c += 1,
                        None => per.push((p, 1)),
                    },
                }
            }
        }
    }
    (bytes, lines, per, hex::encode(h.finalize()))
}

/// An unnamed temporary file for a child's stdout: in memory (`/dev/shm`) where there is one,
/// so that writing back earlier runs' 20 MB to disk never competes with a later run.
fn stdout_file() -> std::fs::File {
    tempfile::tempfile_in("/dev/shm")
        .or_else(|_| tempfile::tempfile())
        .expect("a temporary file for stdout")
}

/// Runs `bin args` with exactly `env`, waits with `wait4` and returns what it did.
///
/// Stdout goes to an unnamed temporary file ([`stdout_file`]), as `imgcat ... > out.ndjson`
/// would: nothing reads it while the child runs, so no reader takes CPU from the process being
/// measured (a pipe read and hashed line by line cost 40-80 ms of wall time on a 2-core
/// machine), and this process never holds the output in memory (a child's peak RSS starts from
/// its parent's).
fn run(bin: &str, env: &[(String, String)], args: &[&str], sim: Option<&Sim>) -> Run {
    if sim.is_some() {
        // The simulator's rate windows count the previous run's last requests for a second:
        // each run starts on fresh budgets, as one listing of an account would.
        thread::sleep(imgcat::http::rate::SERVER_WINDOW + Duration::from_millis(100));
    }
    let mut out = stdout_file();
    let before = sim.map(Sim::stats).unwrap_or_default();
    let cpu0 = sim.map_or(Duration::ZERO, Sim::cpu);
    let start = Instant::now();
    let mut child = Command::new(bin)
        .args(args)
        .env_clear()
        .envs(env.iter().map(|(k, v)| (k, v)))
        // Never ask instance metadata: the benchmark talks to the simulator only.
        .env("IMGCAT_NO_METADATA", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::from(out.try_clone().expect("stdout file")))
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {bin}: {e}"));
    let pid = child.id() as libc::pid_t;
    let mut err = child.stderr.take().expect("piped stderr");
    let t_err = thread::spawn(move || {
        let mut s = String::new();
        let _ = err.read_to_string(&mut s);
        s
    });
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
    drop(child); // already reaped: dropping a std Child neither waits nor kills
    out.seek(SeekFrom::Start(0)).expect("rewind stdout file");
    let (stdout_bytes, lines, per_provider, sha256) = summarize(&mut out);
    let stderr = t_err.join().expect("stderr reader");
    let after = sim.map(Sim::stats).unwrap_or_default();
    let sim_cpu = sim.map_or(Duration::ZERO, Sim::cpu).saturating_sub(cpu0);
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        128 + libc::WTERMSIG(status)
    };
    Run {
        wall,
        max_rss: (ru.ru_maxrss as u64) * 1024, // kilobytes on Linux
        code,
        stdout_bytes,
        per_provider,
        lines,
        sha256,
        stderr,
        requests: delta(&before, &after),
        cpu: tv(ru.ru_utime) + tv(ru.ru_stime),
        sim_cpu,
    }
}

/// The providers `--provider all` lists: every one the registry has but retired APIs.
fn listed() -> impl Iterator<Item = ProviderId> {
    ProviderId::all().filter(|p| p.provider().retired().is_none())
}

/// The child's environment: every provider at the simulator, demo credentials, demo regions
/// (what `--sim` would set, from the registry).
fn child_env(url: &str) -> Vec<(String, String)> {
    let mut env = SimCredentials::demo().sim_env(url, &imgcat::config::Env::default());
    for p in ProviderId::all() {
        let var = imgcat::config::region_var(p).to_string();
        if !env.iter().any(|(k, _)| *k == var) {
            env.push((var, p.provider().sim_region().into()));
        }
    }
    env
}

// ---------------------------------------------------------------------------------------------
// The floor: the longest chain of round trips that must happen one after another.

#[derive(Debug, Clone, Copy)]
enum Paging {
    /// Marker / next link, `limit` per page: pages strictly one after another.
    Cursor(u64),
    /// Offset / page number, page size: the first page gives the total, the rest in parallel.
    Offset(u64),
    /// One unpaged answer per visibility kind, all in parallel.
    PerVisibility,
}

/// Reads each provider's paging from `imgcat providers -o json` (the binary's own facts).
fn paging_facts(bin: &str) -> Vec<(ProviderId, Paging, String)> {
    let out = Command::new(bin)
        .args(["providers", "--output", "json"])
        .env_clear()
        .env("IMGCAT_NO_METADATA", "1")
        .output()
        .unwrap_or_else(|e| panic!("{bin} providers: {e}"));
    let v: serde_json::Value =
        serde_json::from_slice(&out.stdout).expect("`imgcat providers -o json` is JSON");
    let mut facts = Vec::new();
    for p in listed() {
        let text = v
            .as_array()
            .and_then(|a| a.iter().find(|o| o["id"] == p.as_str()))
            .and_then(|o| o["paging"].as_str())
            .unwrap_or_else(|| panic!("no paging for {p} in `imgcat providers`"))
            .to_string();
        let size = text.find('=').and_then(|i| {
            let digits: String = text[i + 1..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            digits.parse::<u64>().ok()
        });
        let lower = text.to_ascii_lowercase();
        let paging = match size {
            Some(n) if lower.contains("marker") => Paging::Cursor(n),
            Some(n) if lower.contains("offset") || lower.contains("pagenum") => Paging::Offset(n),
            None if lower.contains("one answer per image_type") => Paging::PerVisibility,
            _ => panic!("cannot read the paging of {p} from {text:?}"),
        };
        facts.push((p, paging, text));
    }
    facts
}

/// What the paging facts say a `--provider all` listing of `n` images per provider costs.
struct Plan {
    /// (what, requests, sequential rounds, how the rounds were counted)
    rows: Vec<(String, u64, u64, String)>,
    requests: u64,
    /// The longest chain of dependent rounds.
    chain: u64,
    /// ceil(requests / concurrency): rounds the concurrency limit alone forces.
    capacity: u64,
    /// Per-API request counts, as the simulator counts them.
    expect: SimStats,
}

impl Plan {
    fn floor_rounds(&self) -> u64 {
        self.chain.max(self.capacity)
    }
}

fn plan(facts: &[(ProviderId, Paging, String)], n: u64, concurrency: u64) -> Plan {
    let c = concurrency.max(1);
    let mut rows = Vec::new();
    let mut expect = SimStats::default();
    // A call some providers make once per region before listing (Huawei's IAM project-id
    // discovery, without HUAWEICLOUD_SDK_PROJECT_ID in the child's environment), shared by the
    // providers that name the same simulator API: one round trip before any of them.
    let env = imgcat::config::Env::from_pairs(child_env("http://127.0.0.1:1"));
    let setup = |p: ProviderId| p.provider().sim_setup_api(&env);
    let mut setups: Vec<&str> = Vec::new();
    for (p, _, _) in facts {
        if let Some(api) = setup(*p)
            && !setups.contains(&api)
        {
            setups.push(api);
            rows.push((
                format!("{api} (setup)"),
                1,
                1,
                "once per region, before the providers that need it".to_string(),
            ));
            expect.per_api.insert(api.to_string(), 1);
        }
    }
    for (p, paging, _) in facts {
        let pre = u64::from(setup(*p).is_some());
        let (requests, rounds, how) = match *paging {
            Paging::Cursor(size) => {
                // The next link comes only when another image follows (a full last page costs
                // no extra round trip), so ceil(n / size) pages, at least one.
                let pages = n.div_ceil(size).max(1);
                (
                    pages,
                    pages,
                    format!("{pages} marker pages of {size}, one after another"),
                )
            }
            Paging::Offset(size) => {
                let pages = n.div_ceil(size).max(1);
                let rest = pages - 1;
                let waves = rest.div_ceil(c);
                (
                    pages,
                    1 + waves,
                    format!(
                        "1 first page of {size} (gives the total), then {rest} pages in ceil({rest}/{c}) = {waves} round(s)"
                    ),
                )
            }
            Paging::PerVisibility => {
                let k = Visibility::ALL.len() as u64;
                (
                    k,
                    1,
                    format!("{k} unpaged answers (one per image_type) at once"),
                )
            }
        };
        let how = match setup(*p) {
            Some(api) => format!("{api} + {how}"),
            None => how,
        };
        *expect
            .per_api
            .entry(p.provider().sim_api().to_string())
            .or_default() += requests;
        rows.push((p.as_str().to_string(), requests, pre + rounds, how));
    }
    let requests: u64 = rows.iter().map(|r| r.1).sum();
    expect.requests = requests;
    let chain = rows.iter().map(|r| r.2).max().unwrap_or(0);
    Plan {
        rows,
        requests,
        chain,
        capacity: requests.div_ceil(c),
        expect,
    }
}

/// When the last answer of the slowest provider arrives at the earliest under its rate limit
/// (a request is sent when fewer than N were in flight or answered in the last
/// [`CLIENT_WINDOW`](imgcat::http::rate::CLIENT_WINDOW)), in ms: an offset listing sends its
/// first page after the setup call (if any), then every other page at once, each as soon as the
/// window has room.
fn rate_floor_ms(facts: &[(ProviderId, Paging, String)], n: u64, latency_ms: u64) -> f64 {
    let rtt = latency_ms as f64;
    let window = imgcat::http::rate::CLIENT_WINDOW.as_secs_f64() * 1000.0;
    let env = imgcat::config::Env::from_pairs(child_env("http://127.0.0.1:1"));
    let mut worst = 0.0f64;
    for (p, paging, _) in facts {
        let (Some(limit), Paging::Offset(size)) = (p.provider().rate_limit(), paging) else {
            continue;
        };
        let pages = n.div_ceil(*size).max(1) as usize;
        let start = if p.provider().sim_setup_api(&env).is_some() {
            rtt
        } else {
            0.0
        };
        let l = limit.per_second as usize;
        let mut sends: Vec<f64> = Vec::with_capacity(pages);
        for k in 0..pages {
            let ready = if k == 0 { start } else { start + rtt };
            let at = if k >= l {
                ready.max(sends[k - l] + rtt + window)
            } else {
                ready
            };
            sends.push(at);
        }
        let last = sends.iter().copied().fold(0.0, f64::max) + rtt;
        worst = worst.max(last);
    }
    worst
}

// ---------------------------------------------------------------------------------------------
// Reporting.

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n == 0 {
        f64::NAN
    } else if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

struct Check {
    what: String,
    value: String,
    threshold: String,
    pass: bool,
}

fn stats_line(s: &SimStats) -> String {
    let per: Vec<String> = s
        .per_api
        .iter()
        .filter(|(_, n)| **n > 0)
        .map(|(k, n)| format!("{k} {n}"))
        .collect();
    format!("{} ({}, faults {})", s.requests, per.join(", "), s.faults)
}

fn check_run(label: &str, r: &Run, n: usize) -> Option<String> {
    let want = (n * listed().count()) as u64;
    if r.code != 0 || r.lines != want {
        let tail: String = r
            .stderr
            .lines()
            .rev()
            .take(5)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect::<Vec<_>>()
            .join("\n    ");
        Some(format!(
            "{label}: exit {} and {} lines where {want} were expected\n    {tail}",
            r.code, r.lines
        ))
    } else {
        None
    }
}

/// The simulator: `imgcat sim serve --port 0` in its own process.
struct Sim {
    child: std::process::Child,
    addr: String,
    started_in: Duration,
}

fn start_sim(bin: &str, images: usize, latency_ms: u64, extra: &[&str]) -> Sim {
    let t = Instant::now();
    let mut child = Command::new(bin)
        .args([
            "sim",
            "serve",
            "--port",
            "0",
            "--images",
            &images.to_string(),
            "--latency-ms",
            &latency_ms.to_string(),
        ])
        .args(extra)
        .env_clear() // demo credentials
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {bin} sim serve: {e}"));
    let mut err = BufReader::new(child.stderr.take().expect("piped stderr"));
    let mut line = String::new();
    let _ = err.read_line(&mut line);
    // "imgcat sim: serving ... on http://127.0.0.1:PORT (N images per provider); Ctrl-C stops"
    let addr = line
        .split_whitespace()
        .find_map(|w| w.strip_prefix("http://"))
        .unwrap_or_else(|| {
            let _ = child.kill();
            panic!("`imgcat sim serve` did not print its address: {line:?}")
        })
        .to_string();
    thread::spawn(move || std::io::copy(&mut err, &mut std::io::sink()));
    Sim {
        child,
        addr,
        started_in: t.elapsed(),
    }
}

impl Sim {
    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// `GET /__sim/stats`.
    fn stats(&self) -> SimStats {
        let mut conn = TcpStream::connect(&self.addr).expect("connect to the simulator");
        let req = format!(
            "GET /__sim/stats HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.addr
        );
        conn.write_all(req.as_bytes()).expect("ask the simulator");
        let mut answer = String::new();
        conn.read_to_string(&mut answer)
            .expect("read the simulator");
        let body = answer.split_once("\r\n\r\n").map_or("", |(_, b)| b);
        let v: serde_json::Value =
            serde_json::from_str(body).unwrap_or_else(|e| panic!("/__sim/stats: {e}: {answer:?}"));
        let g = |k: &str| v[k].as_u64().unwrap_or(0);
        let per_api = v
            .as_object()
            .map(|o| {
                o.iter()
                    .filter(|(k, _)| !matches!(k.as_str(), "requests" | "faults" | "throttled"))
                    .map(|(k, n)| (k.clone(), n.as_u64().unwrap_or(0)))
                    .collect()
            })
            .unwrap_or_default();
        SimStats {
            requests: g("requests"),
            per_api,
            faults: g("faults"),
            throttled: g("throttled"),
        }
    }

    /// The simulator's CPU time so far (user + system, from `/proc/PID/stat`).
    fn cpu(&self) -> Duration {
        let stat =
            std::fs::read_to_string(format!("/proc/{}/stat", self.child.id())).unwrap_or_default();
        // Fields after the command (which is in parentheses): state is field 3, utime 14, stime 15.
        let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
        let f: Vec<u64> = rest
            .split_whitespace()
            .map(|x| x.parse().unwrap_or(0))
            .collect();
        let ticks = f.get(11).copied().unwrap_or(0) + f.get(12).copied().unwrap_or(0);
        // SAFETY: sysconf has no preconditions.
        let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) }.max(1) as u64;
        Duration::from_millis(ticks * 1000 / hz)
    }

    /// Ctrl-C (SIGINT), then reap.
    fn stop(mut self) {
        // SAFETY: our own child, not yet reaped.
        unsafe { libc::kill(self.child.id() as libc::pid_t, libc::SIGINT) };
        let _ = self.child.wait();
    }
}

/// The 1-minute load average (`/proc/loadavg`), when readable.
fn load1() -> Option<f64> {
    std::fs::read_to_string("/proc/loadavg")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

fn main() {
    let bin = std::env::var("IMGCAT_BENCH_BIN")
        .unwrap_or_else(|_| env!("CARGO_BIN_EXE_imgcat").to_string());
    let sim_bin = std::env::var("IMGCAT_BENCH_SIM_BIN").unwrap_or_else(|_| bin.clone());
    let n: usize = env_num("IMGCAT_BENCH_IMAGES", 5_000);
    let big: usize = env_num("IMGCAT_BENCH_BIG_IMAGES", 50_000);
    let latency_ms: u64 = env_num("IMGCAT_BENCH_LATENCY_MS", 40);
    let runs: usize = env_num("IMGCAT_BENCH_RUNS", 9usize).max(2);
    let version_runs: usize = env_num("IMGCAT_BENCH_VERSION_RUNS", 50usize).max(1);
    let throughput_runs: usize = env_num("IMGCAT_BENCH_THROUGHPUT_RUNS", 5usize);
    let concurrency = u64::from(imgcat::cli::runtime::DEFAULT_CONCURRENCY);
    // The whole catalogs: deprecated images included.
    let list = [
        "list",
        "--provider",
        "all",
        "--include-deprecated",
        "--output",
        "ndjson",
    ];
    let list_c1 = [
        "--concurrency",
        "1",
        "list",
        "--provider",
        "all",
        "--include-deprecated",
        "--output",
        "ndjson",
    ];
    let bench_start = Instant::now();
    let mut problems: Vec<String> = Vec::new();
    let mut format_rss: Vec<(String, Run)> = Vec::new();

    println!("imgcat listing benchmark");
    println!("  binary:      {bin}");
    println!(
        "  simulator:   `imgcat sim serve --port 0` in its own process, each answer {latency_ms} ms after its request"
    );
    println!(
        "  command:     imgcat {}   (default --concurrency {concurrency})",
        list.join(" ")
    );
    let cores = thread::available_parallelism().map_or(1, |n| n.get());
    let load_start = load1();
    println!(
        "  machine:     {cores} CPU(s), load average {} at the start",
        load_start.map_or("?".into(), |l| format!("{l:.2}"))
    );

    // ---- the floor, from the binary's own paging facts
    let facts = paging_facts(&bin);
    let p = plan(&facts, n as u64, concurrency);
    let p1 = plan(&facts, n as u64, 1);
    println!();
    println!(
        "Floor for {n} images per provider at --concurrency {concurrency} (paging from `imgcat providers -o json`):"
    );
    for (what, req, rounds, how) in &p.rows {
        println!("  {what:<18} {req:>5} requests  {rounds:>3} rounds  {how}");
    }
    println!(
        "  longest chain {} rounds; concurrency bound ceil({}/{concurrency}) = {} rounds; floor = max = {} rounds x {latency_ms} ms = {} ms",
        p.chain,
        p.requests,
        p.capacity,
        p.floor_rounds(),
        p.floor_rounds() * latency_ms
    );
    let chain_floor_ms = (p.floor_rounds() * latency_ms) as f64;
    let rate_ms = rate_floor_ms(&facts, n as u64, latency_ms);
    println!(
        "  the rate limits (N requests in any {} ms, per API): the last answer at {rate_ms:.0} ms at the earliest; floor = {:.0} ms",
        imgcat::http::rate::CLIENT_WINDOW.as_millis(),
        chain_floor_ms.max(rate_ms)
    );
    let floor_ms = chain_floor_ms.max(rate_ms);
    let floor1_ms = (p1.floor_rounds() * latency_ms) as f64;

    // ---- 5 providers x n images
    eprintln!("[bench] starting the simulator ({n} images per provider) ...");
    let sim_a = start_sim(&sim_bin, n, latency_ms, &[]);
    eprintln!(
        "[bench] simulator at {} (up in {:.0} ms)",
        sim_a.url(),
        ms(sim_a.started_in)
    );
    let env = child_env(&sim_a.url());
    let warm = run(&bin, &env, &list, Some(&sim_a));
    problems.extend(check_run("warm-up run", &warm, n));
    let mut measured = Vec::new();
    for i in 0..runs {
        eprintln!("[bench] run {}/{runs}: imgcat {}", i + 1, list.join(" "));
        let r = run(&bin, &env, &list, Some(&sim_a));
        problems.extend(check_run(&format!("run {}", i + 1), &r, n));
        measured.push(r);
    }
    eprintln!("[bench] imgcat {}", list_c1.join(" "));
    let c1 = run(&bin, &env, &list_c1, Some(&sim_a));
    problems.extend(check_run("--concurrency 1 run", &c1, n));
    let sim_a_built = sim_a.started_in;
    sim_a.stop();

    // ---- 5 providers x big images (RSS growth)
    let big_run = (big > 0).then(|| {
        eprintln!("[bench] starting the simulator ({big} images per provider) ...");
        let sim_b = start_sim(&sim_bin, big, latency_ms, &[]);
        eprintln!(
            "[bench] simulator at {} (up in {:.0} ms); imgcat {}",
            sim_b.url(),
            ms(sim_b.started_in),
            list.join(" ")
        );
        let env_b = child_env(&sim_b.url());
        let r = run(&bin, &env_b, &list, Some(&sim_b));
        // Issue 13: the collecting formats against the json figure, same catalog.
        let mut formats = Vec::new();
        for extra in FORMAT_RUNS {
            let mut args: Vec<&str> = list[..list.len() - 2].to_vec();
            args.extend_from_slice(extra);
            eprintln!("[bench] imgcat {}", args.join(" "));
            formats.push((extra.join(" "), run(&bin, &env_b, &args, Some(&sim_b))));
        }
        sim_b.stop();
        (r, formats)
    });
    if let Some((r, formats)) = &big_run {
        problems.extend(check_run(&format!("{big}-image run"), r, big));
        for (what, f) in formats {
            if f.code != 0 {
                problems.push(format!("{big}-image run {what}: exit {}", f.code));
            }
        }
    }
    let big_run = big_run.map(|(r, formats)| {
        format_rss = formats;
        r
    });

    // ---- throughput: the big catalog, no latency, no rate limits on either side
    let mut throughput: Vec<Run> = Vec::new();
    if big > 0 && throughput_runs > 0 {
        eprintln!(
            "[bench] starting the simulator ({big} images per provider, --no-rate-limit --latency-ms 0) ..."
        );
        let sim_t = start_sim(&sim_bin, big, 0, &["--no-rate-limit"]);
        let env_t = child_env(&sim_t.url());
        let mut args = vec!["--no-rate-limit"];
        args.extend_from_slice(&list);
        let warm = run(&bin, &env_t, &args, Some(&sim_t));
        problems.extend(check_run("throughput warm-up", &warm, big));
        for i in 0..throughput_runs {
            eprintln!(
                "[bench] throughput run {}/{throughput_runs}: imgcat {}",
                i + 1,
                args.join(" ")
            );
            let r = run(&bin, &env_t, &args, Some(&sim_t));
            problems.extend(check_run(&format!("throughput run {}", i + 1), &r, big));
            throughput.push(r);
        }
        sim_t.stop();
    }

    // ---- imgcat --version
    eprintln!("[bench] imgcat --version x {version_runs} (+5 warm-up)");
    for _ in 0..5 {
        run(&bin, &[], &["--version"], None);
    }
    let version: Vec<f64> = (0..version_runs)
        .map(|_| ms(run(&bin, &[], &["--version"], None).wall))
        .collect();

    // ---- figures
    let walls: Vec<f64> = measured.iter().map(|r| ms(r.wall)).collect();
    let wall = median(walls.clone());
    let rss_n = measured.iter().map(|r| r.max_rss).max().unwrap_or(0);
    let req = &measured[measured.len() / 2].requests;
    let wall1 = ms(c1.wall);
    let speedup = wall1 / wall;
    // With one request at a time the floor is every request's round trip in a row; with the
    // rate limits the concurrent floor cannot go below what they allow (Tencent: 40 a second),
    // so the speedup they permit is the ratio of the two floors. The target is 8x, or 80% of
    // what the limits permit when that is less.
    let c1_floor_ms = p.expect.requests as f64 * latency_ms as f64;
    let permitted = c1_floor_ms / floor_ms;
    let min_speedup = MIN_SPEEDUP.min(0.8 * permitted);
    let ver = median(version.clone());
    let ver_max = version.iter().copied().fold(0.0, f64::max);

    println!();
    println!("Runs ({n} images per provider, {} images in all):", n * 5);
    for (i, r) in std::iter::once(&warm).chain(&measured).enumerate() {
        let label = if i == 0 {
            "warm-up".to_string()
        } else {
            format!("run {i}")
        };
        println!(
            "  {label:<8} wall {:>7.1} ms  cpu {:>5.0} ms (sim {:>4.0})  peak RSS {:>6.1} MB  exit {}  {} lines  {} bytes  sha256 {}",
            ms(r.wall),
            ms(r.cpu),
            ms(r.sim_cpu),
            mb(r.max_rss),
            r.code,
            r.lines,
            r.stdout_bytes,
            &r.sha256[..16]
        );
    }
    println!(
        "  c=1      wall {:>7.1} ms  cpu {:>5.0} ms (sim {:>4.0})  peak RSS {:>6.1} MB  exit {}  {} lines  {} bytes  sha256 {}",
        wall1,
        ms(c1.cpu),
        ms(c1.sim_cpu),
        mb(c1.max_rss),
        c1.code,
        c1.lines,
        c1.stdout_bytes,
        &c1.sha256[..16]
    );
    if let Some(r) = &big_run {
        println!(
            "  {:<8} wall {:>7.1} ms  cpu {:>5.0} ms (sim {:>4.0})  peak RSS {:>6.1} MB  exit {}  {} lines  {} bytes  sha256 {}",
            format!("{big}/p"),
            ms(r.wall),
            ms(r.cpu),
            ms(r.sim_cpu),
            mb(r.max_rss),
            r.code,
            r.lines,
            r.stdout_bytes,
            &r.sha256[..16]
        );
    }
    for (i, r) in throughput.iter().enumerate() {
        println!(
            "  {:<8} wall {:>7.1} ms  cpu {:>5.0} ms (sim {:>4.0})  peak RSS {:>6.1} MB  exit {}  {} lines  (throughput: --no-rate-limit, 0 ms latency)",
            format!("tput {}", i + 1),
            ms(r.wall),
            ms(r.cpu),
            ms(r.sim_cpu),
            mb(r.max_rss),
            r.code,
            r.lines,
        );
    }
    let per: Vec<String> = measured[0]
        .per_provider
        .iter()
        .map(|(p, c)| format!("{p} {c}"))
        .collect();
    println!("  lines per provider: {}", per.join(", "));
    println!(
        "  requests per run (simulator counters): {}",
        stats_line(req)
    );
    println!(
        "  requests expected from the paging facts: {}",
        stats_line(&p.expect)
    );
    if !same_counts(req, &p.expect) {
        problems.push(format!(
            "the simulator counted {} where the paging facts predict {}: the floor above assumes the predicted requests",
            stats_line(req),
            stats_line(&p.expect)
        ));
    }
    for r in &measured {
        if !same_counts(&r.requests, req) {
            problems.push(format!(
                "request counts differ between runs: {} vs {}",
                stats_line(&r.requests),
                stats_line(req)
            ));
            break;
        }
    }
    println!(
        "  --concurrency 1: {} requests; floor {} x {latency_ms} ms = {floor1_ms:.0} ms; wall / floor {:.2}",
        c1.requests.requests,
        p1.floor_rounds(),
        wall1 / floor1_ms
    );
    if let Some(r) = &big_run {
        let pb = plan(&facts, big as u64, concurrency);
        let fb = (pb.floor_rounds() * latency_ms) as f64;
        println!(
            "  {big} per provider: {} requests; floor {} rounds (chain {}, concurrency bound {}) x {latency_ms} ms = {fb:.0} ms; wall / floor {:.2}",
            r.requests.requests,
            pb.floor_rounds(),
            pb.chain,
            pb.capacity,
            ms(r.wall) / fb
        );
    }
    // The run whose wall time is the median.
    let (mid_i, mid) = measured
        .iter()
        .enumerate()
        .min_by(|a, b| {
            (ms(a.1.wall) - wall)
                .abs()
                .total_cmp(&(ms(b.1.wall) - wall).abs())
        })
        .expect("at least two runs");
    println!(
        "  CPU in run {}: imgcat {:.0} ms + simulator {:.0} ms over {:.0} ms wall on {cores} CPU(s) = {:.0}% of the machine",
        mid_i + 1,
        ms(mid.cpu),
        ms(mid.sim_cpu),
        ms(mid.wall),
        100.0 * (ms(mid.cpu) + ms(mid.sim_cpu)) / (ms(mid.wall) * cores as f64)
    );
    println!(
        "  simulator up (catalogs built) in {:.0} ms, not part of any wall time; this bench process's peak RSS {:.1} MB (a floor under every RSS figure)",
        ms(sim_a_built),
        mb(self_hwm())
    );
    println!(
        "  --version: median {ver:.2} ms, max {ver_max:.2} ms over {} runs",
        version.len()
    );

    let mut checks = vec![
        Check {
            what: format!("wall, --provider all, 5 x {n} (median of {runs})"),
            value: format!("{wall:.1} ms"),
            threshold: String::new(),
            pass: true,
        },
        Check {
            what: "requests made".into(),
            value: format!("{}", req.requests),
            threshold: format!("= {} predicted", p.expect.requests),
            pass: req.requests == p.expect.requests,
        },
        Check {
            what: format!(
                "floor (max of {} rounds x {latency_ms} ms and the rate limits' {rate_ms:.0} ms)",
                p.floor_rounds()
            ),
            value: format!("{floor_ms:.0} ms"),
            threshold: String::new(),
            pass: true,
        },
        Check {
            what: "wall / floor".into(),
            value: format!("{:.2}", wall / floor_ms),
            threshold: format!("<= {MAX_WALL_OVER_FLOOR}"),
            pass: wall / floor_ms <= MAX_WALL_OVER_FLOOR,
        },
        Check {
            what: "wall, --concurrency 1".into(),
            value: format!("{wall1:.1} ms"),
            threshold: String::new(),
            pass: true,
        },
        Check {
            what: "speedup (c=1 wall / wall)".into(),
            value: format!("{speedup:.1}x"),
            threshold: format!(
                ">= {min_speedup:.1}x (8x, or 80% of the {permitted:.1}x the rate limits permit)"
            ),
            pass: speedup >= min_speedup,
        },
        Check {
            what: format!("peak RSS, ndjson, 5 x {n}"),
            value: format!("{:.1} MB", mb(rss_n)),
            threshold: format!("<= {MAX_RSS_MB} MB"),
            pass: mb(rss_n) <= MAX_RSS_MB,
        },
    ];
    if let Some(r) = &big_run {
        let growth = r.max_rss as f64 / rss_n as f64;
        checks.push(Check {
            what: format!("peak RSS, ndjson, 5 x {big}"),
            value: format!("{:.1} MB", mb(r.max_rss)),
            threshold: String::new(),
            pass: true,
        });
        checks.push(Check {
            what: format!("RSS growth for {}x the catalog", big / n.max(1)),
            value: format!("{growth:.2}x"),
            threshold: format!("<= {MAX_RSS_GROWTH}x"),
            pass: growth <= MAX_RSS_GROWTH,
        });
        let json_rss = format_rss
            .iter()
            .find(|(what, _)| what == "--output json")
            .map_or(0, |(_, r)| r.max_rss);
        for (what, f) in &format_rss {
            let collecting = what.contains("table") || what.contains("--sort-by");
            let ratio = f.max_rss as f64 / json_rss.max(1) as f64;
            checks.push(Check {
                what: format!("peak RSS, {what}, 5 x {big}"),
                value: format!("{:.1} MB ({ratio:.2}x json)", mb(f.max_rss)),
                threshold: if collecting {
                    format!("<= {MAX_RSS_OVER_JSON}x json")
                } else {
                    String::new()
                },
                pass: !collecting || ratio <= MAX_RSS_OVER_JSON,
            });
        }
    }
    if !throughput.is_empty() {
        let k = throughput.len();
        let t_wall = median(throughput.iter().map(|r| ms(r.wall)).collect());
        let t_cpu = median(throughput.iter().map(|r| ms(r.cpu)).collect());
        let t_rss = throughput.iter().map(|r| r.max_rss).max().unwrap_or(0);
        checks.push(Check {
            what: format!("throughput wall, 5 x {big}, no limits ({k})"),
            value: format!("{t_wall:.1} ms"),
            threshold: String::new(),
            pass: true,
        });
        checks.push(Check {
            what: format!("throughput imgcat CPU (median of {k})"),
            value: format!("{t_cpu:.0} ms"),
            threshold: String::new(),
            pass: true,
        });
        checks.push(Check {
            what: format!("throughput peak RSS (max of {k})"),
            value: format!("{:.1} MB", mb(t_rss)),
            threshold: String::new(),
            pass: true,
        });
    }
    checks.push(Check {
        what: format!("imgcat --version (median of {})", version.len()),
        value: format!("{ver:.2} ms"),
        threshold: format!("< {MAX_VERSION_MS} ms"),
        pass: ver < MAX_VERSION_MS,
    });
    let all: Vec<&Run> = measured.iter().chain(std::iter::once(&c1)).collect();
    let same = all.iter().all(|r| r.sha256 == all[0].sha256);
    checks.push(Check {
        what: format!("same stdout sha256, {} runs incl. c=1", all.len()),
        value: if same {
            format!("yes ({}...)", &all[0].sha256[..12])
        } else {
            "NO".into()
        },
        threshold: "identical".into(),
        pass: same,
    });

    println!();
    println!(
        "{:<44} {:>18}  {:<14} result",
        "figure", "value", "threshold"
    );
    println!("{}", "-".repeat(88));
    let mut failed = 0;
    for c in &checks {
        let result = if c.threshold.is_empty() {
            ""
        } else if c.pass {
            "PASS"
        } else {
            failed += 1;
            "FAIL  <<<<<<"
        };
        println!(
            "{:<44} {:>18}  {:<14} {result}",
            c.what, c.value, c.threshold
        );
    }
    println!("{}", "-".repeat(88));
    let gated = checks.iter().filter(|c| !c.threshold.is_empty()).count();
    if failed == 0 {
        println!("all {gated} checks PASS");
    } else {
        println!("*** {failed} of {gated} checks FAILED ***");
    }
    for pr in &problems {
        println!("*** problem: {pr}");
    }
    let load_end = load1();
    let busiest = load_start.into_iter().chain(load_end).fold(0.0, f64::max);
    if busiest > 0.5 * cores as f64 {
        println!(
            "*** note: load average {} at the start, {} at the end on {cores} CPU(s): other processes competed for the CPU, so wall times (and the ratios built on them) are inflated",
            load_start.map_or("?".into(), |l| format!("{l:.2}")),
            load_end.map_or("?".into(), |l| format!("{l:.2}"))
        );
    }
    println!(
        "(benchmark took {:.0} s; it always exits 0)",
        bench_start.elapsed().as_secs_f64()
    );
}
