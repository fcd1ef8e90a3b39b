//! Any JSON value in any output format: what `--query` prints, whatever shape its result has.
//!
//! - `json`: an array as imgcat's listings are written (`[`, one compact item a line, `]`), an
//!   object pretty-printed, a scalar on one line;
//! - `ndjson`: an array's items one a line, anything else on one line;
//! - `yaml`: the value as a YAML document ([`super::yaml::to_yaml`]);
//! - `table` and `csv`: rows. A list of objects is a row per object under a header of their keys
//!   (in the order first seen); a list of lists is a row per list, no header (the aws way to fix
//!   the column order: `[].[id, name]`); a list of scalars is a value a line, no header; one
//!   object is one row with its header; one scalar is one line; `null` and an empty list print
//!   nothing. In a cell, a string is itself, `null` is empty (`-` in a table), a number or boolean
//!   its JSON text, an object or list its compact JSON.

use std::io::{self, Write};

use comfy_table::Cell;
use serde_json::Value;

use super::Format;
use super::fields::{MISSING, single_line};
use super::table::{new_table, write_lines};

/// Writes `value` to `out` as `format` says (see the module documentation).
pub fn render_value(format: Format, value: &Value, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Json => json(value, out)?,
        Format::Ndjson => match value {
            Value::Array(items) => {
                for item in items {
                    serde_json::to_writer(&mut *out, item)?;
                    out.write_all(b"\n")?;
                }
            }
            other => {
                serde_json::to_writer(&mut *out, other)?;
                out.write_all(b"\n")?;
            }
        },
        Format::Yaml => out.write_all(super::yaml::to_yaml(value).as_bytes())?,
        Format::Csv => {
            let rows = Rows::of(value);
            let mut writer = super::csv::writer(&mut *out);
            if let Some(header) = &rows.header {
                writer.write_record(header)?;
            }
            for row in &rows.cells {
                writer.write_record(row.iter().map(|c| cell_text(c).unwrap_or_default()))?;
            }
            writer.flush()?;
        }
        Format::Table => {
            let rows = Rows::of(value);
            if !rows.cells.is_empty() {
                let mut table = new_table(false);
                if let Some(header) = &rows.header {
                    table.set_header(
                        header
                            .iter()
                            .map(|h| Cell::new(single_line(&h.to_uppercase()))),
                    );
                }
                for row in &rows.cells {
                    table.add_row(row.iter().map(|c| {
                        Cell::new(
                            cell_text(c)
                                .map(|t| single_line(&t))
                                .unwrap_or_else(|| MISSING.to_string()),
                        )
                    }));
                }
                let columns = table.column_count();
                for pos in 0..columns {
                    if let Some(column) = table.column_mut(pos) {
                        column.set_padding((0, if pos + 1 == columns { 0 } else { 2 }));
                    }
                }
                write_lines(out, &table)?;
            }
        }
    }
    out.flush()
}

/// JSON: an array one item a line, an object pretty, a scalar compact.
fn json(value: &Value, out: &mut dyn Write) -> io::Result<()> {
    match value {
        Value::Array(items) if items.is_empty() => out.write_all(b"[]\n"),
        Value::Array(items) => {
            out.write_all(b"[\n")?;
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.write_all(b",\n")?;
                }
                serde_json::to_writer(&mut *out, item)?;
            }
            out.write_all(b"\n]\n")
        }
        Value::Object(_) => {
            serde_json::to_writer_pretty(&mut *out, value)?;
            out.write_all(b"\n")
        }
        other => {
            serde_json::to_writer(&mut *out, other)?;
            out.write_all(b"\n")
        }
    }
}

/// A value laid out as rows of cells, with or without a header.
#[derive(Debug, PartialEq)]
struct Rows<'a> {
    header: Option<Vec<String>>,
    cells: Vec<Vec<&'a Value>>,
}

impl<'a> Rows<'a> {
    fn of(value: &'a Value) -> Rows<'a> {
        match value {
            Value::Null => Rows {
                header: None,
                cells: Vec::new(),
            },
            Value::Object(_) => Rows::objects(std::slice::from_ref(value)),
            Value::Array(items) if !items.is_empty() && items.iter().all(Value::is_object) => {
                Rows::objects(items)
            }
            Value::Array(items) if !items.is_empty() && items.iter().all(Value::is_array) => Rows {
                header: None,
                cells: items
                    .iter()
                    .map(|row| {
                        row.as_array()
                            .map(|r| r.iter().collect())
                            .unwrap_or_default()
                    })
                    .collect(),
            },
            Value::Array(items) => Rows {
                header: None,
                cells: items.iter().map(|item| vec![item]).collect(),
            },
            scalar => Rows {
                header: None,
                cells: vec![vec![scalar]],
            },
        }
    }

    /// A row per object, columns the union of their keys in the order first seen.
    fn objects(items: &'a [Value]) -> Rows<'a> {
        let mut header: Vec<String> = Vec::new();
        for item in items {
            if let Some(map) = item.as_object() {
                for key in map.keys() {
                    if !header.contains(key) {
                        header.push(key.clone());
                    }
                }
            }
        }
        let cells = items
            .iter()
            .map(|item| {
                header
                    .iter()
                    .map(|key| item.get(key).unwrap_or(&Value::Null))
                    .collect()
            })
            .collect();
        Rows {
            header: Some(header),
            cells,
        }
    }
}

/// A cell's text: a string as it is, a number or boolean as JSON, an object or list as compact
/// JSON; `None` for `null`.
fn cell_text(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn text(format: Format, value: &Value) -> String {
        let mut out = Vec::new();
        render_value(format, value, &mut out).unwrap_or_else(|e| panic!("{e}"));
        String::from_utf8_lossy(&out).into_owned()
    }

    #[test]
    fn lists_of_objects_lists_and_scalars_are_rows() {
        let objects = json!([{"id": "a", "n": 1}, {"id": "b,c", "x": null, "n": {"k": [1]}}]);
        assert_eq!(
            text(Format::Csv, &objects),
            "id,n,x\na,1,\n\"b,c\",\"{\"\"k\"\":[1]}\",\n"
        );
        assert_eq!(
            text(Format::Table, &objects),
            "ID   N          X\na    1          -\nb,c  {\"k\":[1]}  -\n"
        );
        let lists = json!([["a", 1], ["b", null]]);
        assert_eq!(text(Format::Csv, &lists), "a,1\nb,\n");
        assert_eq!(text(Format::Table, &lists), "a  1\nb  -\n");
        let scalars = json!(["a", "b\tc", 3]);
        assert_eq!(text(Format::Csv, &scalars), "a\nb\tc\n3\n");
        assert_eq!(text(Format::Table, &scalars), "a\nb c\n3\n");
        assert_eq!(text(Format::Csv, &json!({"id": "a"})), "id\na\n");
        assert_eq!(text(Format::Table, &json!("one")), "one\n");
        for nothing in [json!(null), json!([])] {
            assert_eq!(text(Format::Csv, &nothing), "");
            assert_eq!(text(Format::Table, &nothing), "");
        }
    }

    #[test]
    fn json_ndjson_and_yaml_carry_the_value() {
        let v = json!([{"id": "a"}, "b", 3, null]);
        assert_eq!(
            text(Format::Json, &v),
            "[\n{\"id\":\"a\"},\n\"b\",\n3,\nnull\n]\n"
        );
        assert_eq!(text(Format::Ndjson, &v), "{\"id\":\"a\"}\n\"b\"\n3\nnull\n");
        let back: Value = serde_norway::from_str(&text(Format::Yaml, &v)).unwrap_or_default();
        assert_eq!(back, v);
        assert_eq!(text(Format::Json, &json!([])), "[]\n");
        assert_eq!(text(Format::Json, &json!("x")), "\"x\"\n");
        let object = json!({"a": {"b": 1}});
        let pretty = text(Format::Json, &object);
        assert!(pretty.lines().count() > 1, "{pretty}");
        assert_eq!(
            serde_json::from_str::<Value>(&pretty).unwrap_or_default(),
            object
        );
        assert_eq!(text(Format::Ndjson, &object), "{\"a\":{\"b\":1}}\n");
    }
}
