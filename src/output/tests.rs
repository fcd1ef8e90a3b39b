//! Tests of every sink and of `render_one`, through the public `sink` constructor.

use std::cell::RefCell;
use std::io::{self, Write};
use std::rc::Rc;

use serde_json::json;

use super::fit::display_width;
use super::*;
use crate::model::{Arch, OsType, Status, Visibility};
use crate::providers::{huawei, tencent, zenlayer};

/// A `Write` whose bytes the test can read after the sink (which owns a clone) is done.
#[derive(Clone, Default)]
struct Shared(Rc<RefCell<Vec<u8>>>);

impl Write for Shared {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Shared {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.borrow()).into_owned()
    }
}

/// Runs `batches` through a sink of `format` and returns what it printed.
fn render(format: Format, options: OutputOptions, batches: &[&[Image]]) -> String {
    let buf = Shared::default();
    let mut sink = match sink(format, Box::new(buf.clone()), options) {
        Ok(sink) => sink,
        Err(e) => panic!("sink: {e}"),
    };
    for batch in batches {
        assert!(sink.write(batch).is_ok());
    }
    assert!(sink.finish().is_ok());
    assert!(sink.finish().is_ok(), "finish is idempotent");
    buf.text()
}

fn images() -> Vec<Image> {
    let mut a = Image::new(
        huawei::IMS_ID,
        "cn-north-4",
        "bc6bed6e-ba3a-4447-afcc-449174a3eb52".into(),
        "CentOS 7.3 64bit vivado".into(),
    );
    a.os_type = OsType::Linux;
    a.os_family = Some("centos".into());
    a.os_version = Some("7.3".into());
    a.architecture = Some(Arch::X86_64);
    a.visibility = Visibility::Public;
    a.status = Status::Available;
    a.size = Some(0);
    a.min_disk_gb = Some(100);
    a.min_ram_mb = Some(2048);
    a.disk_format = Some("zvhd2".into());
    a.created_at = "2018-09-06T14:03:27Z".parse().ok();
    a.extra = extra(json!({"__os_bit": "64", "tags": [], "virtual_size": null}));

    let mut b = Image::new(
        tencent::legacy::ID,
        "ap-guangzhou",
        "img-31tjrtph".into(),
        "名字, with \"quotes\",\nnewline and a very long tail that goes on and on and on".into(),
    );
    b.description = Some("line one\r\nline two\u{1b}[31m".into());
    b.size = Some(50 * 1024 * 1024 * 1024);
    b.status = Status::Creating;
    b.extra = extra(json!({"nested": {"a": [1, 2.5, true], "b": "yes"}}));

    let mut c = Image::new(
        zenlayer::ID,
        "FRA-A",
        "img-EVhEsCuXhCN0urZ7Vt77oOr6K".into(),
        "yes".into(),
    );
    c.os_version = Some("1.10".into());
    c.description = Some("null".into());
    c.os_family = Some("~".into());

    let d = Image::new(
        huawei::CPH_ID,
        "cn-east-3",
        "20032420200401a60b0003a99684b8ea".into(),
        "AOSP".into(),
    );
    vec![a, b, c, d]
}

fn parse_json_array(text: &str) -> Vec<Image> {
    match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => panic!("invalid JSON ({e}):\n{text}"),
    }
}

#[test]
fn json_round_trips_in_batches() {
    let all = images();
    let text = render(
        Format::Json,
        OutputOptions::default(),
        &[&all[..1], &[], &all[1..]],
    );
    assert_eq!(parse_json_array(&text), all);
    assert!(
        text.starts_with("[\n{") && text.ends_with("}\n]\n"),
        "{text}"
    );
    assert_eq!(text.lines().count(), all.len() + 2, "one object a line");
}

#[test]
fn json_empty_and_after_partial_output() {
    assert_eq!(render(Format::Json, OutputOptions::default(), &[]), "[]\n");
    assert_eq!(
        render(Format::Json, OutputOptions::default(), &[&[]]),
        "[]\n"
    );
    // A listing that fails after one batch: finish still closes the array.
    let all = images();
    let text = render(Format::Json, OutputOptions::default(), &[&all[..2]]);
    assert_eq!(parse_json_array(&text), all[..2].to_vec());
}

#[test]
fn ndjson_one_line_each() {
    let all = images();
    let text = render(
        Format::Ndjson,
        OutputOptions::default(),
        &[&all[..3], &all[3..]],
    );
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), all.len());
    for (line, image) in lines.iter().zip(&all) {
        let parsed: Image = serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
        assert_eq!(&parsed, image);
    }
    assert_eq!(render(Format::Ndjson, OutputOptions::default(), &[]), "");
}

#[test]
fn yaml_round_trips_and_empty_is_a_sequence() {
    let all = images();
    let text = render(
        Format::Yaml,
        OutputOptions::default(),
        &[&all[..1], &all[1..]],
    );
    let parsed: Vec<Image> =
        serde_norway::from_str(&text).unwrap_or_else(|e| panic!("invalid YAML ({e}):\n{text}"));
    assert_eq!(parsed, all);
    assert!(text.starts_with("- provider: huawei-ims\n"), "{text}");

    let empty = render(Format::Yaml, OutputOptions::default(), &[]);
    let parsed: Vec<Image> = serde_norway::from_str(&empty).unwrap_or_else(|e| panic!("{e}"));
    assert!(parsed.is_empty());
}

fn read_csv(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = ::csv::Reader::from_reader(text.as_bytes());
    let header = reader
        .headers()
        .map(|h| h.iter().map(String::from).collect())
        .unwrap_or_else(|e| panic!("{e}"));
    let rows = reader
        .records()
        .map(|r| {
            r.map(|r| r.iter().map(String::from).collect())
                .unwrap_or_else(|e| panic!("{e}"))
        })
        .collect();
    (header, rows)
}

#[test]
fn csv_quotes_and_keeps_exact_values() {
    let all = images();
    let text = render(Format::Csv, OutputOptions::default(), &[&all]);
    let (header, rows) = read_csv(&text);
    let names: Vec<&str> = Field::ALL.iter().map(|f| f.name()).collect();
    assert_eq!(header, names);
    assert_eq!(rows.len(), all.len());
    let col = |f: Field| {
        Field::ALL
            .iter()
            .position(|x| *x == f)
            .unwrap_or(usize::MAX)
    };
    assert_eq!(
        rows[1][col(Field::Name)],
        all[1].name,
        "commas, quotes, newline, CJK survive"
    );
    assert_eq!(
        rows[1][col(Field::Description)],
        "line one\r\nline two\u{1b}[31m"
    );
    assert_eq!(rows[0][col(Field::CreatedAt)], "2018-09-06T14:03:27Z");
    assert_eq!(rows[1][col(Field::Size)], "53687091200");
    assert_eq!(rows[3][col(Field::OsFamily)], "", "missing is empty");
    assert!(
        text.contains("\"名字, with \"\"quotes\"\",\nnewline"),
        "{text}"
    );
    assert!(text.starts_with("provider,region,id,name,os_type,"));
    assert!(
        text.ends_with("\n") && !text.ends_with("\r\n"),
        "LF line ends"
    );
    // The only `\r` is the one inside the quoted description.
    assert_eq!(text.matches('\r').count(), 1, "{text:?}");
}

#[test]
fn csv_columns_and_empty() {
    let options = OutputOptions {
        columns: Some(vec!["id, arch".into(), "size".into()]),
        ..OutputOptions::default()
    };
    let all = images();
    let text = render(Format::Csv, options.clone(), &[&all[..1]]);
    assert_eq!(
        text,
        "id,architecture,size\nbc6bed6e-ba3a-4447-afcc-449174a3eb52,x86_64,0\n"
    );
    assert_eq!(render(Format::Csv, options, &[]), "id,architecture,size\n");
    assert_eq!(
        render(Format::Csv, OutputOptions::default(), &[])
            .lines()
            .count(),
        1,
        "empty csv is its header"
    );
}

#[test]
fn unknown_column_is_an_error_listing_valid_ones() {
    for format in [Format::Table, Format::Csv, Format::Json] {
        let options = OutputOptions {
            columns: Some(vec!["name,colour".into()]),
            ..OutputOptions::default()
        };
        match sink(format, Box::new(io::sink()), options) {
            Ok(_) => panic!("{format:?} accepted an unknown column"),
            Err(e) => assert!(e.contains("'colour'") && e.contains("created_at"), "{e}"),
        }
    }
}

fn table(images: &[Image], width: Option<u16>, wide: bool) -> String {
    let options = OutputOptions {
        width,
        wide,
        ..OutputOptions::default()
    };
    render(Format::Table, options, &[images])
}

fn assert_fits(text: &str, width: usize) {
    for line in text.lines() {
        assert!(
            display_width(line) <= width,
            "{} > {width}: {line:?}\n{text}",
            display_width(line)
        );
    }
}

#[test]
fn table_fits_80_columns() {
    let all = images();
    for width in [80, 100, 60, 40, 20] {
        for n in 1..=all.len() {
            let text = table(&all[..n], Some(width), false);
            assert_eq!(
                text.lines().count(),
                n + 1,
                "header + one line per image:\n{text}"
            );
            assert_fits(&text, width as usize);
        }
    }
    let text = table(&all, Some(80), false);
    let header = text.lines().next().unwrap_or_default();
    assert!(
        header.starts_with("PROVIDER") && header.contains("ID") && header.contains("NAME"),
        "{text}"
    );
    assert!(
        text.contains("bc6bed6e-ba3a-4447-afcc-449174a3eb52"),
        "ids stay whole at 80:\n{text}"
    );
    assert!(text.contains('…'), "the long name is truncated:\n{text}");
    assert!(!text.contains('\u{1b}'), "no escapes without color");
}

#[test]
fn table_drops_constant_columns_first() {
    let mut all = images();
    for image in &mut all {
        image.provider = huawei::IMS_ID;
        image.region = "cn-north-4".into();
    }
    let text = table(&all, Some(80), false);
    let header = text.lines().next().unwrap_or_default();
    assert!(
        !header.contains("PROVIDER") && header.contains("OS"),
        "{text}"
    );
}

#[test]
fn table_wide_and_unfitted_show_everything() {
    let all = images();
    let wide = table(&all, Some(80), true);
    assert!(
        wide.contains("a very long tail that goes on and on and on"),
        "{wide}"
    );
    assert!(wide.lines().next().unwrap_or_default().contains("MIN DISK"));
    assert!(!wide.contains('…'));
    let piped = table(&all, None, false);
    assert!(
        piped.contains("on and on and on") && piped.contains("CREATED"),
        "{piped}"
    );
    assert!(
        piped.contains("2018-09-06") && piped.contains("50G"),
        "{piped}"
    );
    assert!(
        !piped.contains('\u{1b}') && !piped.contains('\r'),
        "controls are replaced"
    );
}

#[test]
fn table_chosen_columns_are_kept_and_truncated() {
    let options = OutputOptions {
        columns: Some(vec!["name,id".into()]),
        width: Some(50),
        ..OutputOptions::default()
    };
    let all = images();
    let text = render(Format::Table, options, &[&all]);
    let header = text.lines().next().unwrap_or_default();
    assert!(
        header.starts_with("NAME") && header.contains("ID"),
        "{text}"
    );
    assert!(text.contains('…'), "the name is truncated:\n{text}");
    assert!(
        all.iter().all(|i| text.contains(&i.id)),
        "ids whole:\n{text}"
    );
    assert_fits(&text, 50);
}

#[test]
fn table_empty_prints_nothing_and_color_is_optional() {
    assert_eq!(table(&[], Some(80), false), "");
    let options = OutputOptions {
        color: true,
        width: Some(80),
        ..OutputOptions::default()
    };
    let text = render(Format::Table, options, &[&images()]);
    assert!(text.contains('\u{1b}'), "{text}");
}

#[test]
fn render_one_every_format() {
    let all = images();
    let render = |format: Format, image: &Image| {
        let mut out = Vec::new();
        assert!(render_one(format, image, &mut out).is_ok());
        String::from_utf8_lossy(&out).into_owned()
    };

    let text = render(Format::Json, &all[0]);
    assert_eq!(
        serde_json::from_str::<Image>(&text).ok().as_ref(),
        Some(&all[0])
    );
    assert!(text.lines().count() > 10, "pretty");

    let text = render(Format::Ndjson, &all[1]);
    assert_eq!(text.lines().count(), 1);
    assert_eq!(
        serde_json::from_str::<Image>(&text).ok().as_ref(),
        Some(&all[1])
    );

    let text = render(Format::Yaml, &all[2]);
    assert_eq!(
        serde_norway::from_str::<Image>(&text).ok().as_ref(),
        Some(&all[2])
    );

    let text = render(Format::Csv, &all[1]);
    let (header, rows) = read_csv(&text);
    assert_eq!(header.len(), Field::ALL.len());
    assert_eq!(rows.len(), 1);

    let text = render(Format::Table, &all[0]);
    assert!(
        text.contains("extra.__os_bit") && text.contains("extra.tags"),
        "{text}"
    );
    assert!(
        text.contains("0B (0 bytes)") && text.contains("2018-09-06T14:03:27Z"),
        "{text}"
    );
    let text = render(Format::Table, &all[1]);
    assert!(text.contains(r#"{"a":[1,2.5,true],"b":"yes"}"#), "{text}");
    assert!(!text.contains('\u{1b}'), "{text}");
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    fn arbitrary_image() -> impl Strategy<Value = Image> {
        (
            any::<String>(),
            "[a-z0-9-]{1,40}",
            any::<Option<String>>(),
            any::<Option<u64>>(),
        )
            .prop_map(|(name, id, description, size)| {
                let mut image = Image::new(huawei::IMS_ID, "cn-north-4", id, name);
                image.description = description;
                image.size = size;
                image
            })
    }

    proptest! {
        #[test]
        fn table_never_exceeds_the_width(
            images in proptest::collection::vec(arbitrary_image(), 0..6),
            width in 20u16..200,
        ) {
            let text = table(&images, Some(width), false);
            for line in text.lines() {
                prop_assert!(display_width(line) <= width as usize, "{line:?}");
            }
            let options = OutputOptions {
                columns: Some(vec!["name,description,id".into()]),
                width: Some(width),
                ..OutputOptions::default()
            };
            let text = render(Format::Table, options, &[&images]);
            for line in text.lines() {
                prop_assert!(display_width(line) <= width as usize, "{line:?}");
            }
        }

        #[test]
        fn machine_formats_round_trip(images in proptest::collection::vec(arbitrary_image(), 0..4)) {
            let json = render(Format::Json, OutputOptions::default(), &[&images]);
            prop_assert_eq!(&parse_json_array(&json), &images);
            let yaml = render(Format::Yaml, OutputOptions::default(), &[&images]);
            let parsed: Vec<Image> = serde_norway::from_str(&yaml).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(&parsed, &images);
            let csv = render(Format::Csv, OutputOptions::default(), &[&images]);
            let (_, rows) = read_csv(&csv);
            prop_assert_eq!(rows.len(), images.len());
            for (row, image) in rows.iter().zip(&images) {
                prop_assert_eq!(&row[3], &image.name);
            }
        }
    }
}

/// An `extra` made of a JSON object.
fn extra(value: serde_json::Value) -> crate::model::Extra {
    match value {
        serde_json::Value::Object(map) => crate::model::Extra::from_map(&map),
        _ => crate::model::Extra::default(),
    }
}

#[test]
fn extra_is_written_as_the_provider_sent_it_and_compacted() {
    use crate::model::Extra;
    let spaced = "{ \"k\" : \"a b\\\" c\" ,\n\t\"n\": [1, 2],\r\n \"u\":\"\\u00e9\" }";
    let body = bytes::Bytes::from(format!("[{spaced}]"));
    let text = std::str::from_utf8(&body[1..body.len() - 1]).unwrap();
    let e = Extra::from_body(&body, text);
    assert_eq!(e.get(), r#"{"k":"a b\" c","n":[1,2],"u":"\u00e9"}"#);
    for compact in [
        r#"{"k":"a b","n":[1,2]}"#,
        r#"{"k":"x, y: [z]","s":"a  b"}"#,
    ] {
        let body = bytes::Bytes::from(compact);
        assert_eq!(Extra::from_body(&body, compact).get(), compact);
    }
    assert_eq!(Extra::default().get(), "{}");
    assert_eq!(e.member("k"), Some(json!("a b\" c")));
}

#[test]
fn a_large_batch_encodes_to_the_same_bytes_in_order() {
    let base = images();
    let many: Vec<Image> = (0..700)
        .map(|i| {
            let mut img = base[i % base.len()].clone();
            img.id = format!("img-{i:04}");
            img
        })
        .collect();
    let want: String = many
        .iter()
        .map(|img| serde_json::to_string(img).unwrap() + "\n")
        .collect();
    assert_eq!(
        render(Format::Ndjson, OutputOptions::default(), &[&many]),
        want
    );
    let array = render(Format::Json, OutputOptions::default(), &[&many]);
    let ids: Vec<String> = parse_json_array(&array).into_iter().map(|i| i.id).collect();
    let want_ids: Vec<String> = many.iter().map(|i| i.id.clone()).collect();
    assert_eq!(ids, want_ids);
    // The encoder the listing uses for json (items joined by ",\n", no brackets).
    let mut encoded = Vec::new();
    let encoder = JsonSink::new(Vec::new(), None).encoder().unwrap();
    encoder.encode(&many, &mut encoded).unwrap();
    let want_items: Vec<String> = many
        .iter()
        .map(|i| serde_json::to_string(i).unwrap())
        .collect();
    assert_eq!(String::from_utf8(encoded).unwrap(), want_items.join(",\n"));
}

#[test]
fn json_keys_are_the_image_fields_in_order() {
    let value = serde_json::to_value(&images()[0]).unwrap();
    let keys: Vec<&str> = value
        .as_object()
        .map(|o| o.keys().map(String::as_str).collect())
        .unwrap_or_default();
    let mut want: Vec<&str> = Field::ALL.iter().map(|f| f.name()).collect();
    want.push("extra");
    assert_eq!(keys, want);
}

#[test]
fn columns_pick_the_fields_of_json_ndjson_and_yaml_too() {
    let all = images();
    let options = OutputOptions {
        columns: Some(vec!["id,name".into(), "created".into()]),
        ..OutputOptions::default()
    };
    let expected: Vec<serde_json::Value> = all
        .iter()
        .map(|i| {
            serde_json::json!({
                "id": i.id,
                "name": i.name,
                "created_at": i.created_at,
            })
        })
        .collect();
    let json = render(Format::Json, options.clone(), &[&all[..1], &all[1..]]);
    let parsed: Vec<serde_json::Value> =
        serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {json}"));
    assert_eq!(parsed, expected);
    assert!(
        json.starts_with("[\n{\"id\":"),
        "in the order given: {json}"
    );

    // The encoder the listing uses for waiting targets writes the same objects.
    let sink = super::sink(Format::Json, Box::new(Vec::new()), options.clone())
        .unwrap_or_else(|e| panic!("{e}"));
    let mut buf = Vec::new();
    let encoded = sink
        .encoder()
        .map(|e| e.encode(&all, &mut buf).is_ok())
        .unwrap_or(false);
    assert!(encoded);
    let items: Vec<serde_json::Value> =
        serde_json::from_slice(&[b"[".as_slice(), &buf, b"]"].concat()).unwrap_or_default();
    assert_eq!(items, expected);

    let ndjson = render(Format::Ndjson, options.clone(), &[&all]);
    let lines: Vec<serde_json::Value> = ndjson
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    assert_eq!(lines, expected);

    let yaml = render(Format::Yaml, options, &[&all]);
    let parsed: Vec<serde_json::Value> =
        serde_norway::from_str(&yaml).unwrap_or_else(|e| panic!("{e}: {yaml}"));
    assert_eq!(parsed, expected);
}

#[test]
fn ids_are_never_cut_however_many_columns_are_chosen() {
    let all = images();
    let options = OutputOptions {
        columns: Some(vec![
            "provider,region,id,name,os_type,os,version,arch,visibility,status,size,min_disk_gb,min_ram_mb,disk_format,created".into(),
        ]),
        width: Some(80),
        ..OutputOptions::default()
    };
    let text = render(Format::Table, options, &[&all]);
    for image in &all {
        assert!(
            text.contains(&image.id),
            "{} cut at 80 columns:\n{text}",
            image.id
        );
    }
}
