//! End-to-end: output that shell tools read cleanly (CSV with `\n` line ends, `--columns` in
//! every format, YAML whose timestamps load back as strings) and `check -o json`, which prints
//! one JSON object also when it fails.

mod common;

use common::{Auth, Sim, imgcat, region, stderr, stdout};
use imgcat::providers::tencent;

fn sim(args: &[&str]) -> std::process::Output {
    let mut all = vec!["--sim", "--sim-images", "60"];
    all.extend_from_slice(args);
    imgcat(&[], all)
}

#[test]
fn csv_header_is_exactly_the_columns_for_grep_x() {
    // The README's acceptance pipeline, through a shell as a user types it.
    let bin = env!("CARGO_BIN_EXE_imgcat");
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "'{bin}' --sim list -p huawei-ims --columns id,name -o csv | head -1 | grep -qx 'id,name'"
        ))
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .status()
        .unwrap_or_else(|e| panic!("sh: {e}"));
    assert!(status.success(), "the header line is not exactly id,name");

    let out = sim(&["list", "-p", "all", "-o", "csv"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(!text.contains('\r'), "no CR anywhere: {:?}", &text[..200]);
    // `cut` reads the last column clean: every `deprecated` value is true, false or empty.
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().cloned().unwrap_or_default();
    let last = headers.len() - 1;
    assert_eq!(headers.get(last), Some("deprecated"));
    let mut rows = 0;
    for record in reader.records() {
        let record = record.unwrap_or_else(|e| panic!("{e}"));
        assert!(
            matches!(record.get(last), Some("true" | "false" | "")),
            "{record:?}"
        );
        rows += 1;
    }
    assert!(rows > 100, "{rows}");
}

#[test]
fn columns_pick_the_fields_of_json_ndjson_and_yaml() {
    let whole: Vec<serde_json::Value> =
        serde_json::from_slice(&sim(&["list", "-p", "all", "-o", "json"]).stdout)
            .unwrap_or_else(|e| panic!("{e}"));
    let expected: Vec<serde_json::Value> = whole
        .iter()
        .map(|i| serde_json::json!({"name": i["name"], "id": i["id"], "created_at": i["created_at"]}))
        .collect();
    for format in ["json", "ndjson", "yaml"] {
        let out = sim(&[
            "list",
            "-p",
            "all",
            "--columns",
            "name,id,created",
            "-o",
            format,
        ]);
        assert!(out.status.success(), "{format}: {}", stderr(&out));
        let got: Vec<serde_json::Value> = match format {
            "json" => serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}")),
            "ndjson" => stdout(&out)
                .lines()
                .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
                .collect(),
            _ => serde_norway::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}")),
        };
        assert_eq!(got, expected, "{format}");
        let keys: Vec<&String> = got[0]
            .as_object()
            .map(|o| o.keys().collect())
            .unwrap_or_default();
        assert_eq!(
            keys,
            ["name", "id", "created_at"],
            "{format}: in the order given"
        );
    }
    let bad = sim(&["list", "-p", "all", "--columns", "id,colour", "-o", "json"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("colour"), "{}", stderr(&bad));
}

#[test]
fn yaml_quotes_timestamps_and_versions() {
    let out = sim(&["list", "-p", "all", "-o", "yaml"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let mut timestamps = 0;
    for line in text.lines() {
        let trimmed = line.trim_start().trim_start_matches("- ");
        for key in [
            "created_at: ",
            "CreatedTime: ",
            "updated_at: ",
            "os_version: ",
        ] {
            if let Some(value) = trimmed.strip_prefix(key) {
                let quoted = value.starts_with('"') && value.ends_with('"');
                // A plain value starts with a letter: no loader reads it as a time or number.
                let plain_text =
                    key == "os_version: " && value.starts_with(|c: char| c.is_alphabetic());
                assert!(
                    value == "null" || quoted || plain_text,
                    "plain value a YAML 1.1 loader reads as a timestamp or number: {line}"
                );
                if key != "os_version: " && value != "null" {
                    timestamps += 1;
                }
            }
        }
    }
    assert!(timestamps > 50, "{timestamps}");
    // And the whole document loads back as the JSON listing.
    let yaml: serde_json::Value =
        serde_norway::from_str(&text).unwrap_or_else(|e| panic!("yaml: {e}"));
    let json: serde_json::Value =
        serde_json::from_slice(&sim(&["list", "-p", "all", "-o", "json"]).stdout)
            .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(yaml, json);
}

fn one_json_object(out: &std::process::Output) -> serde_json::Value {
    let text = stdout(out);
    assert_eq!(text.lines().count(), 1, "one line: {text}");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

#[test]
fn check_json_prints_one_object_on_every_error() {
    // A usage error found after parsing (a region the provider does not have): exit 2.
    let out = sim(&[
        "check", "-p", "tencent", "-r", "mars-1", "--name", "x", "-o", "json",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let doc = one_json_object(&out);
    assert_eq!(doc["ok"], serde_json::json!(false), "{doc}");
    assert_eq!(doc["exit_code"], serde_json::json!(2), "{doc}");
    let error = doc["error"].as_str().unwrap_or_default();
    assert!(error.contains("mars-1"), "{doc}");
    assert!(stderr(&out).contains("mars-1"), "and on stderr");

    // Configuration: no credentials at all: exit 3.
    let out = imgcat(
        &[],
        [
            "check",
            "-p",
            "tencent",
            "-r",
            "ap-guangzhou",
            "--name",
            "x",
            "-o",
            "json",
        ],
    );
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let doc = one_json_object(&out);
    assert_eq!(doc["ok"], serde_json::json!(false));
    assert!(
        doc["error"]
            .as_str()
            .unwrap_or_default()
            .contains("TENCENTCLOUD_SECRET_ID"),
        "{doc}"
    );

    // The provider refuses the signature: exit 4, the provider's error in the object.
    let server = Sim::with_images(10);
    let p = tencent::cvm::ID;
    let mut env = server.env(p, Auth::Keys);
    for (k, v) in env.iter_mut() {
        if k.ends_with("SECRET_KEY") {
            *v = "wrong-secret".into();
        }
    }
    let out = imgcat(
        &env,
        [
            "check",
            "-p",
            p.as_str(),
            "-r",
            region(p),
            "--endpoint",
            &server.url(),
            "--name",
            "x",
            "-o",
            "json",
        ],
    );
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    let doc = one_json_object(&out);
    assert_eq!(doc["ok"], serde_json::json!(false));
    assert_eq!(doc["exit_code"], serde_json::json!(4));
    assert!(
        doc["error"]
            .as_str()
            .unwrap_or_default()
            .contains("AuthFailure"),
        "{doc}"
    );
    assert!(!stdout(&out).contains("wrong-secret"), "secret leaked");

    // Found and not found are objects too, with `ok`.
    let found = sim(&["list", "-p", "tencent", "-o", "json"]);
    let images: Vec<serde_json::Value> = serde_json::from_slice(&found.stdout).unwrap_or_default();
    let name = images[0]["name"].as_str().unwrap_or_default();
    let ok = sim(&["check", "-p", "tencent", "--name", name, "-o", "json"]);
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));
    assert_eq!(one_json_object(&ok)["ok"], serde_json::json!(true));
    let missing = sim(&["check", "-p", "tencent", "--name", "no such", "-o", "json"]);
    assert_eq!(missing.status.code(), Some(1));
    let doc = one_json_object(&missing);
    assert_eq!(doc["ok"], serde_json::json!(false));
    assert!(doc.get("error").is_none(), "not found is no error: {doc}");
}
