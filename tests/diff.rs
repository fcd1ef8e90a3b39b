//! End-to-end: `imgcat diff OLD [NEW]` - listings written by `imgcat list`, edited as a user
//! would, compared in every format; equal listings exit 0 silently; a live `--sim` listing
//! compares equal to a saved one; files that are not listings are errors naming file and line.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};

use common::{imgcat, stderr, stdout};
use serde_json::{Value, json};

fn sim(args: &[&str]) -> Output {
    let mut all = vec!["--sim", "--sim-images", "40"];
    all.extend_from_slice(args);
    imgcat(&[], all)
}

fn run(args: &[&str]) -> Output {
    imgcat(&[], args)
}

/// `imgcat --sim list -p all -o FORMAT`, saved in `dir`.
fn saved(dir: &Path, name: &str, format: &str) -> PathBuf {
    let out = sim(&["list", "-p", "all", "-o", format]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let path = dir.join(name);
    std::fs::write(&path, &out.stdout).unwrap_or_else(|e| panic!("write: {e}"));
    path
}

fn lines_of(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

fn write_lines(path: &Path, items: &[Value]) {
    let text: String = items.iter().map(|v| format!("{v}\n")).collect();
    std::fs::write(path, text).unwrap_or_else(|e| panic!("write: {e}"));
}

fn p(path: &Path) -> &str {
    path.to_str().unwrap_or_default()
}

/// The three edits of the issue: drop a line, change one status, add an image. Returns the
/// edited listing and the (change, id) pairs expected.
fn edited(items: &[Value]) -> (Vec<Value>, Vec<(String, String)>) {
    let mut b = items.to_vec();
    let dropped = b.remove(3);
    let changed_id = b[10]["id"].as_str().unwrap_or_default().to_string();
    let old_status = b[10]["status"].clone();
    b[10]["status"] = json!(if old_status == json!("unavailable") {
        "available"
    } else {
        "unavailable"
    });
    let mut added = b[0].clone();
    added["id"] = json!("img-new-0001");
    added["name"] = json!("Brand new image");
    b.push(added);
    let expected = vec![
        ("changed".to_string(), changed_id),
        ("added".to_string(), "img-new-0001".to_string()),
        (
            "removed".to_string(),
            dropped["id"].as_str().unwrap_or_default().to_string(),
        ),
    ];
    (b, expected)
}

fn changes(out: &Output) -> Vec<(String, String)> {
    stdout(out)
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"));
            (
                v["change"].as_str().unwrap_or_default().to_string(),
                v["id"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[test]
fn an_edited_listing_shows_exactly_its_three_changes_in_every_format() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let a = saved(dir.path(), "a.ndjson", "ndjson");
    let items = lines_of(&a);
    assert!(items.len() > 100, "the sim catalog of every provider");
    let (b_items, expected) = edited(&items);
    let b = dir.path().join("b.ndjson");
    write_lines(&b, &b_items);

    let out = run(&["diff", p(&a), p(&b), "-o", "ndjson"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(changes(&out), expected);
    let lines: Vec<Value> = stdout(&out)
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    // The changed image: only its status, old -> new.
    let fields = lines[0]["fields"].as_object().cloned().unwrap_or_default();
    assert_eq!(fields.len(), 1, "{fields:?}");
    assert_eq!(fields["status"]["old"], items[11]["status"]);
    assert_eq!(fields["status"]["new"], b_items[10]["status"]);
    // Added and removed carry the whole image.
    assert_eq!(lines[1]["image"], b_items[b_items.len() - 1]);
    assert_eq!(lines[2]["image"], items[3]);

    // json: one array of the same changes.
    let out = run(&["diff", p(&a), p(&b), "-o", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let array: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(array, Value::Array(lines.clone()));

    // table (the default): a header and one row per change, naming what changed.
    let out = run(&["diff", p(&a), p(&b)]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    let rows: Vec<&str> = text.lines().collect();
    assert_eq!(rows.len(), 4, "{text}");
    assert!(rows[0].starts_with("CHANGE"), "{text}");
    for ((kind, id), row) in expected.iter().zip(&rows[1..]) {
        assert!(
            row.starts_with(kind.as_str()) && row.contains(id.as_str()),
            "{row}"
        );
    }
    assert!(rows[1].contains("status: "), "{}", rows[1]);
    assert!(
        stderr(&out).contains("1 added, 1 removed, 1 changed"),
        "{}",
        stderr(&out)
    );

    // The same listings as pretty-printed JSON arrays (as jq or a person writes them).
    let pretty = |items: &[Value], name: &str| {
        let path = dir.path().join(name);
        let text = serde_json::to_string_pretty(&Value::Array(items.to_vec())).unwrap_or_default();
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
        path
    };
    let (aj, bj) = (pretty(&items, "a.json"), pretty(&b_items, "b.json"));
    let out = run(&["diff", p(&aj), p(&bj), "-o", "ndjson"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(changes(&out), expected);
    // Formats mixed: the json listing against the ndjson one.
    let out = run(&["diff", p(&aj), p(&a)]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    // --query on the array of changes.
    let out = run(&[
        "diff",
        p(&a),
        p(&b),
        "-o",
        "json",
        "--query",
        "[?change=='removed'].id",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(v, json!([expected[2].1]));
}

#[test]
fn equal_listings_exit_0_with_no_output_and_a_live_listing_equals_its_save() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let a = saved(dir.path(), "a.ndjson", "ndjson");
    for format in ["table", "ndjson"] {
        let out = run(&["diff", p(&a), p(&a), "-o", format]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert!(out.stdout.is_empty(), "{}", stdout(&out));
        assert!(out.stderr.is_empty(), "{}", stderr(&out));
    }
    let out = run(&["diff", p(&a), p(&a), "-o", "json"]);
    assert_eq!(stdout(&out), "[]\n", "an empty array, still JSON");

    // Live: the same command's catalog now.
    let out = sim(&["diff", p(&a), "-p", "all"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    assert!(out.stdout.is_empty(), "{}", stdout(&out));
    // Live, one provider: OLD's other providers are not compared.
    let out = sim(&["diff", p(&a), "-p", "zenlayer"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    // Live with filters: OLD is filtered alike.
    let out = sim(&["diff", p(&a), "-p", "all", "--os", "ubuntu"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );

    // A bigger catalog now: only additions, exit 1.
    let out = imgcat(
        &[],
        [
            "--sim",
            "--sim-images",
            "41",
            "diff",
            p(&a),
            "-p",
            "huawei-ims",
            "-o",
            "ndjson",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let found = changes(&out);
    assert!(!found.is_empty(), "{}", stdout(&out));
    assert!(found.iter().all(|(kind, _)| kind == "added"), "{found:?}");
}

#[test]
fn stdin_stands_for_either_listing() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let a = saved(dir.path(), "a.ndjson", "ndjson");
    let items = lines_of(&a);
    let (b_items, expected) = edited(&items);
    let b_text: String = b_items.iter().map(|v| format!("{v}\n")).collect();
    for args in [
        ["diff", p(&a), "-", "-o", "ndjson"],
        ["diff", "-", p(&a), "-o", "ndjson"],
    ] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_imgcat"))
            .args(args)
            .env_clear()
            .env("IMGCAT_NO_METADATA", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("{e}"));
        if let Some(mut stdin) = child.stdin.take() {
            stdin
                .write_all(b_text.as_bytes())
                .unwrap_or_else(|e| panic!("{e}"));
        }
        let out = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        let got = changes(&out);
        if args[1] == "-" {
            // Reversed: what was added is removed and the other way round.
            let kinds: Vec<&str> = got.iter().map(|(k, _)| k.as_str()).collect();
            assert_eq!(kinds, ["added", "changed", "removed"], "{got:?}");
        } else {
            assert_eq!(got, expected);
        }
    }
}

#[test]
fn extra_is_compared_only_with_the_flag() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let a = saved(dir.path(), "a.ndjson", "ndjson");
    let mut items = lines_of(&a);
    let id = items[5]["id"].clone();
    items[5]["extra"]["imgcat_test_tag"] = json!("v2");
    let b = dir.path().join("b.ndjson");
    write_lines(&b, &items);
    let out = run(&["diff", p(&a), p(&b)]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = run(&["diff", p(&a), p(&b), "--extra", "-o", "ndjson"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let v: Value = serde_json::from_str(stdout(&out).trim()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(v["id"], id);
    assert_eq!(
        v["fields"],
        json!({"extra.imgcat_test_tag": {"old": null, "new": "v2"}})
    );
}

/// Runs a diff expected to fail with exit 2 and one line on stderr holding every `needle`.
fn fails(args: &[&str], needles: &[&str]) {
    let out = run(args);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
    assert!(
        out.stdout.is_empty(),
        "{args:?}: no partial diff: {}",
        stdout(&out)
    );
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    for n in needles {
        assert!(err.contains(n), "{args:?}: {n:?} not in {err}");
    }
}

#[test]
fn what_is_not_a_listing_is_an_error_naming_the_file_and_the_line() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let a = saved(dir.path(), "a.ndjson", "ndjson");
    let items = lines_of(&a);
    let write = |name: &str, text: String| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
        path
    };
    let good = |n: usize| -> String { items[..n].iter().map(|v| format!("{v}\n")).collect() };

    let csv = write("list.csv", "id,name\nx,y\n".into());
    fails(
        &["diff", p(&a), p(&csv)],
        &["list.csv line 1", "not an imgcat listing"],
    );

    let mut dup = good(4);
    dup.push_str(&format!("{}\n", items[1]));
    let dup = write("dup.ndjson", dup);
    let id = items[1]["id"].as_str().unwrap_or_default();
    fails(
        &["diff", p(&dup), p(&a)],
        &["dup.ndjson line 5", id, "twice", "first at line 2"],
    );

    let mut no_id = items[2].clone();
    if let Some(o) = no_id.as_object_mut() {
        o.remove("id");
    }
    let no_id = write("noid.ndjson", format!("{}{no_id}\n", good(2)));
    fails(
        &["diff", p(&a), p(&no_id)],
        &["noid.ndjson line 3", "\"id\""],
    );

    let mut cut = good(3);
    cut.push_str(&items[3].to_string()[..40]);
    let cut = write("cut.ndjson", cut);
    fails(
        &["diff", p(&a), p(&cut)],
        &["cut.ndjson line 4", "ends inside"],
    );

    let bad_json = write(
        "bad.json",
        format!(
            "[\n{},\n{{\"provider\": \"zenlayer\",\n \"id\": tru}}\n]\n",
            items[0]
        ),
    );
    fails(&["diff", p(&bad_json), p(&a)], &["bad.json line 4"]);

    fails(
        &["diff", p(&a), "/nonexistent/b.ndjson"],
        &["/nonexistent/b.ndjson"],
    );
    fails(&["diff", "-", "-"], &["stdin"]);
    fails(&["diff", p(&a), p(&a), "-p", "zenlayer"], &["NEW"]);
    fails(&["diff", p(&a)], &["--provider"]);
    fails(
        &["diff", p(&a), p(&a), "--query", "[?x=="],
        &["--query", "character 6"],
    );
}
