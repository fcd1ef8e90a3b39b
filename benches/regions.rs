//! Issue 11's benchmark: `imgcat list --provider all --region all` against the simulator
//! serving every region of every provider with a catalog of its own (`cargo bench --bench
//! regions`; see `docs/BENCHMARK.md`).
//!
//! The simulator is `imgcat sim serve --port 0` in its own process, with its rate limits on;
//! each measured `imgcat` is another child process. The benchmark predicts the requests from
//! the binary's own facts (`imgcat providers -o json` paging, `imgcat regions` per provider,
//! the registry's rate limits and the simulator's per-region catalog sizes), and the floor: the
//! earliest the last answer can arrive when every request leaves as soon as what it depends on
//! has answered and its API's rate limit allows (requests at most N in any
//! [`CLIENT_WINDOW`]), or what the concurrency allows, whichever is longer. It prints both,
//! checks requests = predicted, zero throttling answers and wall / floor <= 1.2, and always
//! exits 0 (a benchmark, not a test).
//!
//! Knobs (environment): `IMGCAT_BENCH_BIN`, `IMGCAT_BENCH_REGION_IMAGES` (500 per region),
//! `IMGCAT_BENCH_LATENCY_MS` (40), `IMGCAT_BENCH_RUNS` (5).

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap, HashMap, VecDeque};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use imgcat::config::Env;
use imgcat::http::RateScope;
use imgcat::http::rate::CLIENT_WINDOW;
use imgcat::model::Visibility;
use imgcat::providers::ProviderId;
use imgcat::sim::SimCredentials;
use imgcat::sim::catalog::region_range;

const MAX_WALL_OVER_FLOOR: f64 = 1.2;

fn env_num<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(default)
}

/// The simulator's counters: `GET /__sim/stats`.
fn stats(addr: &str) -> BTreeMap<String, u64> {
    let mut conn = TcpStream::connect(addr).expect("connect to the simulator");
    let req = format!("GET /__sim/stats HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    conn.write_all(req.as_bytes()).expect("ask the simulator");
    let mut answer = String::new();
    conn.read_to_string(&mut answer)
        .expect("read the simulator");
    let body = answer.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    let v: serde_json::Value = serde_json::from_str(body).expect("stats JSON");
    v.as_object()
        .map(|o| {
            o.iter()
                .map(|(k, n)| (k.clone(), n.as_u64().unwrap_or(0)))
                .collect()
        })
        .unwrap_or_default()
}

fn since(a: &BTreeMap<String, u64>, b: &BTreeMap<String, u64>) -> BTreeMap<String, u64> {
    b.iter()
        .map(|(k, v)| (k.clone(), v - a.get(k).copied().unwrap_or(0)))
        .filter(|(_, v)| *v > 0)
        .collect()
}

fn start_sim(bin: &str, images: usize, latency_ms: u64) -> (std::process::Child, String) {
    let mut child = Command::new(bin)
        .args(["sim", "serve", "--port", "0", "--images"])
        .arg(images.to_string())
        .arg("--latency-ms")
        .arg(latency_ms.to_string())
        .env_clear()
        .env("IMGCAT_NO_METADATA", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {bin} sim serve: {e}"));
    let mut err = BufReader::new(child.stderr.take().expect("piped stderr"));
    let mut line = String::new();
    let _ = err.read_line(&mut line);
    let addr = line
        .split_whitespace()
        .find_map(|w| w.strip_prefix("http://"))
        .unwrap_or_else(|| panic!("`imgcat sim serve` did not print its address: {line:?}"))
        .to_string();
    thread::spawn(move || std::io::copy(&mut err, &mut std::io::sink()));
    (child, addr)
}

/// Runs imgcat with `env`; returns (wall, exit code, stdout lines, stderr).
fn run(bin: &str, env: &[(String, String)], args: &[&str]) -> (Duration, i32, u64, String) {
    let start = Instant::now();
    let out = Command::new(bin)
        .args(args)
        .env_clear()
        .env("IMGCAT_NO_METADATA", "1")
        .envs(env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("cannot run {bin}: {e}"));
    let wall = start.elapsed();
    let lines = out.stdout.iter().filter(|b| **b == b'\n').count() as u64;
    (
        wall,
        out.status.code().unwrap_or(-1),
        lines,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[derive(Debug, Clone, Copy)]
enum Paging {
    Cursor(u64),
    Offset(u64),
    PerVisibility,
}

/// Each provider's paging, from `imgcat providers -o json` (the binary's own facts).
fn paging(bin: &str) -> HashMap<String, Paging> {
    let out = Command::new(bin)
        .args(["providers", "-o", "json"])
        .env_clear()
        .env("IMGCAT_NO_METADATA", "1")
        .output()
        .expect("imgcat providers");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("providers JSON");
    let mut facts = HashMap::new();
    for o in v.as_array().into_iter().flatten() {
        let id = o["id"].as_str().unwrap_or_default().to_string();
        let text = o["paging"]
            .as_str()
            .unwrap_or_default()
            .to_ascii_lowercase();
        let size = text.find('=').and_then(|i| {
            text[i + 1..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect::<String>()
                .parse::<u64>()
                .ok()
        });
        let p = match size {
            Some(n) if text.contains("marker") => Paging::Cursor(n),
            Some(n) if text.contains("offset") || text.contains("pagenum") => Paging::Offset(n),
            None if text.contains("one answer per image_type") => Paging::PerVisibility,
            _ => panic!("cannot read the paging of {id} from {text:?}"),
        };
        facts.insert(id, p);
    }
    facts
}

/// One request of the model: its API budget, when it may leave (in round trips after what
/// it waits for), and what waits for its answer.
struct Req {
    budget: Option<(String, u32)>,
    after: Option<usize>,
    then: Vec<usize>,
}

/// The earliest the last answer arrives, in seconds, when each request leaves as soon as the
/// one it waits for has answered and its budget has room (N in any `window`, `None`: no
/// limit), with answers `rtt` after their requests.
fn finish(reqs: &[Req], rtt: f64, window: Option<f64>) -> f64 {
    let mut ready: BinaryHeap<Reverse<(u64, usize)>> = BinaryHeap::new();
    let ns = |t: f64| (t * 1e9) as u64;
    for (i, r) in reqs.iter().enumerate() {
        if r.after.is_none() {
            ready.push(Reverse((0, i)));
        }
    }
    let mut sent: HashMap<String, VecDeque<f64>> = HashMap::new();
    let mut last = 0.0f64;
    while let Some(Reverse((t, i))) = ready.pop() {
        let mut at = t as f64 / 1e9;
        if let (Some(w), Some((key, n))) = (window, &reqs[i].budget) {
            let q = sent.entry(key.clone()).or_default();
            if q.len() >= *n as usize {
                at = at.max(q[q.len() - *n as usize] + w);
            }
            // Counted from its answer, as the client counts it.
            q.push_back(at + rtt);
        }
        last = last.max(at + rtt);
        for &j in &reqs[i].then {
            ready.push(Reverse((ns(at + rtt), j)));
        }
    }
    last
}

fn main() {
    let bin = std::env::var("IMGCAT_BENCH_BIN")
        .unwrap_or_else(|_| env!("CARGO_BIN_EXE_imgcat").to_string());
    let n: usize = env_num("IMGCAT_BENCH_REGION_IMAGES", 500);
    let latency_ms: u64 = env_num("IMGCAT_BENCH_LATENCY_MS", 40);
    let runs: usize = env_num("IMGCAT_BENCH_RUNS", 5usize).max(1);
    let rtt = latency_ms as f64 / 1000.0;
    let concurrency = u64::from(imgcat::cli::runtime::DEFAULT_CONCURRENCY);
    let list = [
        "list",
        "--provider",
        "all",
        "--region",
        "all",
        "--include-deprecated",
        "--output",
        "ndjson",
    ];
    println!("imgcat --region all benchmark");
    println!("  binary:    {bin}");
    println!(
        "  simulator: `imgcat sim serve --port 0 --images {n} --latency-ms {latency_ms}` (rate limits on)"
    );
    println!("  command:   imgcat {}", list.join(" "));

    let (mut child, addr) = start_sim(&bin, n, latency_ms);
    let url = format!("http://{addr}");
    let env =
        SimCredentials::demo().sim_env(&url, &Env::from_pairs(Vec::<(String, String)>::new()));
    let facts = paging(&bin);

    // ---- per provider: its regions (`imgcat regions`) and what resolving `all` costs
    let providers: Vec<ProviderId> = ProviderId::all()
        .filter(|p| p.provider().retired().is_none())
        .collect();
    let mut regions: Vec<(ProviderId, Vec<String>, BTreeMap<String, u64>)> = Vec::new();
    for &p in &providers {
        let before = stats(&addr);
        let out = Command::new(&bin)
            .args(["regions", "-p", p.as_str(), "-o", "json"])
            .env_clear()
            .env("IMGCAT_NO_METADATA", "1")
            .envs(env.iter().map(|(k, v)| (k, v)))
            .output()
            .expect("imgcat regions");
        let list: Vec<String> = serde_json::from_slice(&out.stdout).unwrap_or_default();
        let cost = since(&before, &stats(&addr));
        regions.push((p, list, cost));
    }

    // ---- the model: every request, what it waits for, its budget
    let mut reqs: Vec<Req> = Vec::new();
    let mut expect: BTreeMap<String, u64> = BTreeMap::new();
    let mut shared_setup: BTreeMap<String, u64> = BTreeMap::new();
    println!();
    println!("Targets and requests ({n} images per region, +0..2 by region):");
    for (p, list, cost) in &regions {
        let own = p.provider().sim_api();
        let limit = p.provider().rate_limit();
        let budget = |region: &str| {
            limit.map(|l| {
                let key = match l.scope {
                    RateScope::Account => l.api.to_string(),
                    RateScope::Region => format!("{}@{region}", l.api),
                };
                (key, l.per_second)
            })
        };
        // Resolving `all`: calls on the provider's own API draw on its budget; calls on
        // another API (IAM) are made once for every provider that needs them.
        let mut setup: Option<usize> = None;
        for (api, count) in cost {
            if api == "requests" {
                continue;
            }
            if api == own {
                *expect.entry(api.clone()).or_default() += count;
                for _ in 0..*count {
                    reqs.push(Req {
                        budget: budget(""),
                        after: None,
                        then: Vec::new(),
                    });
                    setup = Some(reqs.len() - 1);
                }
            } else {
                let e = shared_setup.entry(api.clone()).or_default();
                *e = (*e).max(*count);
                reqs.push(Req {
                    budget: None,
                    after: None,
                    then: Vec::new(),
                });
                setup = Some(reqs.len() - 1);
            }
        }
        let mut total = 0u64;
        for r in list {
            let images = region_range(*p, r, n).len() as u64;
            let paging = facts[p.as_str()];
            let (pages, chained) = match paging {
                Paging::Cursor(size) => (images.div_ceil(size).max(1), true),
                Paging::Offset(size) => (images.div_ceil(size).max(1), false),
                Paging::PerVisibility => (Visibility::ALL.len() as u64, false),
            };
            total += pages;
            let first = reqs.len();
            reqs.push(Req {
                budget: budget(r),
                after: setup,
                then: Vec::new(),
            });
            if let Some(s) = setup {
                reqs[s].then.push(first);
            }
            let mut prev = first;
            for _ in 1..pages {
                let i = reqs.len();
                let after = match paging {
                    Paging::PerVisibility => setup,
                    _ if chained => Some(prev),
                    _ => Some(first),
                };
                reqs.push(Req {
                    budget: budget(r),
                    after,
                    then: Vec::new(),
                });
                if let Some(a) = after {
                    reqs[a].then.push(i);
                }
                prev = i;
            }
        }
        *expect.entry(own.to_string()).or_default() += total;
        println!(
            "  {:<17} {:>3} regions  {:>5} requests  rate limit {}  (resolving all: {:?})",
            p.as_str(),
            list.len(),
            total,
            limit.map_or("-".into(), |l| l.to_string()),
            cost.iter()
                .filter(|(k, _)| *k != "requests")
                .collect::<Vec<_>>()
        );
    }
    // Calls on a shared API were modelled once per provider: keep one.
    for (api, count) in &shared_setup {
        *expect.entry(api.clone()).or_default() += count;
    }
    let requests: u64 = expect.values().sum();
    let chain = finish(&reqs, rtt, None);
    let rated = finish(&reqs, rtt, Some(CLIENT_WINDOW.as_secs_f64()));
    let capacity = (requests.div_ceil(concurrency) as f64) * rtt;
    let floor = rated.max(capacity);
    println!("  predicted requests: {requests} {expect:?}");
    println!(
        "  floor: longest chain {:.0} ms; with the rate limits (N in any {} ms) {:.0} ms; concurrency {concurrency} bound {:.0} ms; floor = {:.0} ms",
        chain * 1e3,
        CLIENT_WINDOW.as_millis(),
        rated * 1e3,
        capacity * 1e3,
        floor * 1e3
    );

    // ---- runs: a warm-up (the simulator builds each region's catalog on first use), then
    // the measured ones, each after the rate windows of the one before have passed
    let mut problems = Vec::new();
    let want_lines: u64 = regions
        .iter()
        .flat_map(|(p, list, _)| list.iter().map(|r| region_range(*p, r, n).len() as u64))
        .sum();
    let mut walls = Vec::new();
    for i in 0..=runs {
        thread::sleep(Duration::from_millis(1_200));
        let before = stats(&addr);
        let (wall, code, lines, err) = run(&bin, &env, &list);
        let got = since(&before, &stats(&addr));
        let throttled = got.get("throttled").copied().unwrap_or(0);
        let per_api: BTreeMap<String, u64> = got
            .iter()
            .filter(|(k, _)| !matches!(k.as_str(), "requests" | "throttled" | "faults"))
            .map(|(k, v)| (k.clone(), *v))
            .collect();
        let label = if i == 0 {
            "warm-up".to_string()
        } else {
            format!("run {i}")
        };
        println!(
            "  {label:<8} wall {:>7.1} ms  exit {code}  {lines} lines  requests {}  throttled {throttled}",
            wall.as_secs_f64() * 1e3,
            per_api.values().sum::<u64>()
        );
        if code != 0 || lines != want_lines {
            problems.push(format!(
                "{label}: exit {code}, {lines} lines where {want_lines} were expected: {}",
                err.lines().last().unwrap_or_default()
            ));
        }
        if per_api != expect {
            problems.push(format!(
                "{label}: requests {per_api:?}, predicted {expect:?}"
            ));
        }
        if throttled > 0 {
            problems.push(format!("{label}: {throttled} throttling answers"));
        }
        if i > 0 {
            walls.push(wall.as_secs_f64());
        }
    }
    // SAFETY: our own child, not yet reaped.
    unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) };
    let _ = child.wait();

    walls.sort_by(f64::total_cmp);
    let median = walls[walls.len() / 2];
    let ratio = median / floor;
    println!();
    println!(
        "  {} targets, {want_lines} images; median wall {:.0} ms of {} runs; floor {:.0} ms (chain {:.0} ms, rate limits {:.0} ms)",
        regions.iter().map(|(_, l, _)| l.len()).sum::<usize>(),
        median * 1e3,
        walls.len(),
        floor * 1e3,
        chain * 1e3,
        rated * 1e3
    );
    println!(
        "  wall / floor = {ratio:.2} (target <= {MAX_WALL_OVER_FLOOR}): {}",
        if ratio <= MAX_WALL_OVER_FLOOR {
            "PASS"
        } else {
            "FAIL"
        }
    );
    println!(
        "  requests = predicted, zero throttling answers: {}",
        if problems.is_empty() { "PASS" } else { "FAIL" }
    );
    for p in &problems {
        println!("  problem: {p}");
    }
}
