//! End-to-end: `--query EXPR` (JMESPath) on `list` and `show`, printed in every format; a bad
//! expression is a usage error that points at its position.

mod common;

use common::{imgcat, stderr, stdout};
use serde_json::{Value, json};

fn sim(args: &[&str]) -> std::process::Output {
    let mut all = vec!["--sim", "--sim-images", "80"];
    all.extend_from_slice(args);
    imgcat(&[], all)
}

fn ok_json(out: &std::process::Output) -> Value {
    assert_eq!(out.status.code(), Some(0), "{}", stderr(out));
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(out)))
}

fn listing() -> Vec<Value> {
    match ok_json(&sim(&["list", "-p", "all", "-o", "json"])) {
        Value::Array(items) => items,
        other => panic!("not an array: {other}"),
    }
}

#[test]
fn the_aws_style_filter_equals_its_jq_equivalent() {
    // jq '[.[] | select(.os_family=="ubuntu") | .id]', computed here from the unqueried output.
    let expected: Vec<Value> = listing()
        .iter()
        .filter(|i| i["os_family"] == json!("ubuntu"))
        .map(|i| i["id"].clone())
        .collect();
    assert!(expected.len() > 3, "the catalog has Ubuntu images");
    let out = sim(&[
        "list",
        "-p",
        "all",
        "--query",
        "[?os_family=='ubuntu'].id",
        "-o",
        "json",
    ]);
    assert_eq!(ok_json(&out), Value::Array(expected));
}

#[test]
fn a_bad_expression_exits_2_pointing_at_the_position() {
    for (expr, position) in [
        ("[?os_family=='ubuntu'.id", "25 (its end)"),
        ("[?os_family=='ubuntu')].id", "22 (at \")].id\")"),
        ("[].{id: id,", "12 (its end)"),
    ] {
        let out = sim(&["list", "-p", "all", "--query", expr, "-o", "json"]);
        assert_eq!(out.status.code(), Some(2), "{expr}: {}", stderr(&out));
        let err = stderr(&out);
        assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
        assert!(
            err.contains(&format!("character {position}")) && err.contains(expr),
            "{expr}: {err}"
        );
        assert!(stdout(&out).is_empty(), "nothing on stdout");
    }
    // An expression that does not apply to the data is a usage error too.
    let out = sim(&["list", "-p", "zenlayer", "--query", "length(`1`)"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("--query"), "{}", stderr(&out));
}

#[test]
fn results_render_as_rows_in_table_and_csv() {
    let all = listing();
    let zen: Vec<&Value> = all
        .iter()
        .filter(|i| i["provider"] == json!("zenlayer"))
        .collect();
    // A multiselect list fixes the column order; csv rows, no header.
    let out = sim(&[
        "list",
        "-p",
        "zenlayer",
        "--query",
        "[].[name, id, size]",
        "-o",
        "csv",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(out.stdout.as_slice());
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| {
            r.map(|r| r.iter().map(String::from).collect())
                .unwrap_or_default()
        })
        .collect();
    assert_eq!(rows.len(), zen.len());
    for (row, image) in rows.iter().zip(&zen) {
        let size = image["size"]
            .as_u64()
            .map(|s| s.to_string())
            .unwrap_or_default();
        assert_eq!(
            row,
            &vec![
                image["name"].as_str().unwrap_or_default().to_string(),
                image["id"].as_str().unwrap_or_default().to_string(),
                size
            ]
        );
    }
    // Objects: a header of their keys (upper case in a table), a row each.
    let out = sim(&[
        "list",
        "-p",
        "zenlayer",
        "--query",
        "[].{id: id, os: os_family}",
        "-o",
        "table",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let mut lines = text.lines();
    let header: Vec<&str> = lines
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .collect();
    assert_eq!(header, ["ID", "OS"]);
    assert_eq!(lines.count(), zen.len());
    // Scalars: a value a line, for `while read`.
    let out = sim(&["list", "-p", "zenlayer", "--query", "[].id", "-o", "csv"]);
    let ids: Vec<String> = stdout(&out).lines().map(String::from).collect();
    let expected: Vec<String> = zen
        .iter()
        .map(|i| i["id"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(ids, expected);
}

#[test]
fn ndjson_and_yaml_and_a_scalar_result() {
    let all = listing();
    let out = sim(&[
        "list",
        "-p",
        "all",
        "--query",
        "[?architecture=='arm64'].{id: id, provider: provider}",
        "-o",
        "ndjson",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let lines: Vec<Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    let expected: Vec<Value> = all
        .iter()
        .filter(|i| i["architecture"] == json!("arm64"))
        .map(|i| json!({"id": i["id"], "provider": i["provider"]}))
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(lines, expected);

    let out = sim(&[
        "list",
        "-p",
        "all",
        "--query",
        "[?os_type=='windows'].created_at",
        "-o",
        "yaml",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.lines().all(|l| l.starts_with("- \"")),
        "quoted: {text}"
    );
    let back: Value = serde_norway::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
    let expected: Vec<Value> = all
        .iter()
        .filter(|i| i["os_type"] == json!("windows"))
        .map(|i| i["created_at"].clone())
        // A JMESPath projection leaves out the nulls.
        .filter(|t| !t.is_null())
        .collect();
    assert_eq!(back, Value::Array(expected));

    let out = sim(&["list", "-p", "all", "--query", "length(@)", "-o", "json"]);
    assert_eq!(ok_json(&out), json!(all.len()));
}

#[test]
fn the_query_sees_the_sorted_limited_projected_listing() {
    let sorted = ok_json(&sim(&[
        "list",
        "-p",
        "tencent",
        "--sort-by",
        "name",
        "--limit",
        "3",
        "-o",
        "json",
    ]));
    let want: Vec<Value> = sorted
        .as_array()
        .into_iter()
        .flatten()
        .map(|i| i["name"].clone())
        .collect();
    assert_eq!(want.len(), 3);
    let out = sim(&[
        "list",
        "-p",
        "tencent",
        "--sort-by",
        "name",
        "--limit",
        "3",
        "--query",
        "[].name",
        "-o",
        "json",
    ]);
    assert_eq!(ok_json(&out), Value::Array(want));
    let out = sim(&[
        "list",
        "-p",
        "tencent",
        "--limit",
        "3",
        "--columns",
        "name,id",
        "--query",
        "[].keys(@)",
        "-o",
        "json",
    ]);
    assert_eq!(
        ok_json(&out),
        json!([["id", "name"], ["id", "name"], ["id", "name"]]),
        "only the columns"
    );
}

#[test]
fn show_applies_the_query_to_the_image_object() {
    let all = listing();
    let image = all
        .iter()
        .find(|i| i["provider"] == json!("tencent"))
        .unwrap_or_else(|| panic!("no tencent image"));
    let id = image["id"].as_str().unwrap_or_default();
    let out = sim(&[
        "show",
        "-p",
        "tencent",
        id,
        "--query",
        "{id: id, state: extra.ImageState}",
        "-o",
        "json",
    ]);
    assert_eq!(
        ok_json(&out),
        json!({"id": id, "state": image["extra"]["ImageState"]})
    );
    let out = sim(&[
        "show", "-p", "tencent", id, "--query", "name", "-o", "table",
    ]);
    assert_eq!(
        stdout(&out).trim_end(),
        image["name"].as_str().unwrap_or_default()
    );
    let bad = sim(&[
        "show", "-p", "tencent", id, "--query", "name[", "-o", "json",
    ]);
    assert_eq!(bad.status.code(), Some(2), "{}", stderr(&bad));
}

#[test]
fn where_takes_a_query_on_its_array_of_targets() {
    let plain = sim(&["where", "-p", "all", "-o", "json"]);
    let rows = match ok_json(&plain) {
        Value::Array(rows) => rows,
        other => panic!("not an array: {other}"),
    };
    let expected: Vec<Value> = rows.iter().map(|r| r["provider"].clone()).collect();
    assert!(expected.len() >= 5, "a target per provider");
    let out = sim(&["where", "-p", "all", "-o", "json", "--query", "[].provider"]);
    assert_eq!(ok_json(&out), Value::Array(expected));
    let out = sim(&["where", "-p", "all", "--query", "[?matches==`0`"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}
