//! `imgcat show`: one image in any format, `extra` included.

use std::io::{self, Write};

use comfy_table::Cell;

use super::Format;
use super::fields::{Field, MISSING, human_size};
use super::table::{new_table, write_lines};
use crate::model::Image;

/// Writes one image to `out`:
/// - `table`: two columns, field and value: every field of [`Image`], then each `extra` entry as
///   `extra.KEY` (strings as they are, other values as compact JSON); `size` reads
///   "2.0G (2147483648 bytes)", `created_at` is RFC 3339;
/// - `json`: a pretty-printed object; `ndjson`: one compact line; `yaml`: a mapping;
/// - `csv`: the header row and one row of every scalar field.
pub fn render_one(format: Format, image: &Image, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Table => {
            let mut table = new_table(false);
            for field in Field::ALL {
                table.add_row([
                    Cell::new(field.name()),
                    Cell::new(show_value(*field, image)),
                ]);
            }
            for (key, value) in &image.extra.to_map() {
                let text = match value {
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                table.add_row([
                    Cell::new(format!("extra.{}", without_controls(key, false))),
                    Cell::new(without_controls(&text, true)),
                ]);
            }
            if let Some(column) = table.column_mut(0) {
                column.set_padding((0, 2));
            }
            if let Some(column) = table.column_mut(1) {
                column.set_padding((0, 0));
            }
            write_lines(out, &table)
        }
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, image)?;
            out.write_all(b"\n")?;
            out.flush()
        }
        Format::Ndjson => {
            serde_json::to_writer(&mut *out, image)?;
            out.write_all(b"\n")?;
            out.flush()
        }
        Format::Yaml => {
            let text = super::yaml::image_to_yaml(image)?;
            out.write_all(text.as_bytes())?;
            out.flush()
        }
        Format::Csv => {
            let mut writer = super::csv::writer(out);
            writer.write_record(Field::ALL.iter().map(|f| f.name()))?;
            writer.write_record(Field::ALL.iter().map(|f| f.raw(image).unwrap_or_default()))?;
            writer.flush()
        }
    }
}

/// A field's value for `show`: exact, with the human size beside the bytes.
fn show_value(field: Field, image: &Image) -> String {
    match (field, image.size) {
        (Field::Size, Some(bytes)) => format!("{} ({bytes} bytes)", human_size(bytes)),
        _ => field
            .raw(image)
            .map(|v| without_controls(&v, true))
            .unwrap_or_else(|| MISSING.to_string()),
    }
}

/// `text` with control characters replaced by spaces (newlines kept if `keep_newlines`).
fn without_controls(text: &str, keep_newlines: bool) -> String {
    text.chars()
        .map(|c| match c {
            '\n' if keep_newlines => '\n',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect()
}
