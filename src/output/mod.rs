//! Renderers: table, json, ndjson, csv, yaml. Stdout carries data only.
//!
//! A [`Sink`] receives images in batches, in their final order, and writes them as they come
//! (json, ndjson, csv and yaml stream; table buffers to fit the terminal). [`render_one`] prints
//! one image for `imgcat show`. [`fields`] knows the field names (columns, sort keys) and
//! [`sort`] orders images.
//!
//! What each format prints for an empty listing: json `[]`, yaml `[]`, csv the header row,
//! ndjson and table nothing. `--columns` picks the fields of every format (see
//! [`OutputOptions::columns`]).

mod csv;
pub mod fields;
mod fit;
mod json;
mod ndjson;
mod query_sink;
mod show;
pub mod sort;
mod sorting_sink;
mod table;
mod value;
mod yaml;

#[cfg(test)]
mod tests;

use std::io::{self, Write};

use crate::model::Image;

pub use self::csv::CsvSink;
pub use self::fields::{Field, parse_columns};
pub use self::json::JsonSink;
pub use self::ndjson::NdjsonSink;
pub use self::query_sink::{QuerySink, query_failed};
pub use self::show::render_one;
pub use self::sort::{SortKey, parse_sort_keys, sort_images};
pub use self::sorting_sink::SortingSink;
pub use self::table::{TABLE_COLUMNS, TableSink, WIDE_COLUMNS};
pub use self::value::render_value;
pub use self::yaml::{YamlSink, to_yaml};

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// A table fitted to the terminal width.
    #[default]
    Table,
    /// One JSON array.
    Json,
    /// One JSON object a line.
    Ndjson,
    /// RFC 4180 CSV with a header row.
    Csv,
    /// A YAML sequence.
    Yaml,
}

/// Rendering options.
#[derive(Debug, Clone, Default)]
pub struct OutputOptions {
    /// Columns (Image field names or aliases, see [`Field`]; an entry may hold several separated
    /// by commas); `None` = the format's default set ([`TABLE_COLUMNS`], or [`WIDE_COLUMNS`] with
    /// `wide`; every scalar field for csv; the whole image, `extra` included, for json, ndjson
    /// and yaml). With columns, json, ndjson and yaml objects hold only those fields.
    pub columns: Option<Vec<String>>,
    /// Table: show every default column untruncated.
    pub wide: bool,
    /// Table: terminal width, when stdout is a terminal.
    pub width: Option<u16>,
    /// Table: use colors.
    pub color: bool,
}

/// Renders images to bytes ahead of time, on any thread, for a sink whose format is a plain
/// concatenation of items ([`Sink::encoder`]). The listing uses it to encode each target's pages
/// as they arrive, so waiting targets hold compact bytes, not images.
pub trait Encoder: Send + Sync {
    /// Appends `images`, encoded, to `buf`; what [`Sink::write_encoded`] expects.
    fn encode(&self, images: &[Image], buf: &mut Vec<u8>) -> io::Result<()>;
}

/// Appends `images` to `buf`, each written by `one`, with `sep` between two images.
pub fn encode_batch<F>(images: &[Image], buf: &mut Vec<u8>, sep: &[u8], one: F) -> io::Result<()>
where
    F: Fn(&Image, &mut Vec<u8>) -> io::Result<()>,
{
    for (i, image) in images.iter().enumerate() {
        if i > 0 {
            buf.extend_from_slice(sep);
        }
        one(image, buf)?;
    }
    Ok(())
}

/// Receives images in order and renders them.
pub trait Sink {
    /// Writes a batch of images.
    fn write(&mut self, images: &[Image]) -> io::Result<()>;

    /// The encoder of this format, when its items can be encoded independently.
    fn encoder(&self) -> Option<std::sync::Arc<dyn Encoder>> {
        None
    }

    /// Writes `count` images encoded by [`Sink::encoder`] (one batch, never empty).
    fn write_encoded(&mut self, bytes: &[u8], count: usize) -> io::Result<()> {
        let _ = (bytes, count);
        Err(io::Error::other("this output format has no encoder"))
    }

    /// Completes the document (closing `]` for json, the table itself for table). Always called,
    /// also after a failure, so the output stays valid.
    fn finish(&mut self) -> io::Result<()>;
}

/// A sink for `format` writing to `out`. Fails (with a message listing the valid names) when
/// `options.columns` names an unknown column.
pub fn sink<'a>(
    format: Format,
    out: Box<dyn Write + 'a>,
    options: OutputOptions,
) -> Result<Box<dyn Sink + 'a>, String> {
    let columns = options.columns.as_deref().map(parse_columns).transpose()?;
    Ok(match format {
        Format::Table => Box::new(TableSink::new(
            out,
            columns,
            options.wide,
            options.width,
            options.color,
        )),
        Format::Json => Box::new(JsonSink::new(out, columns)),
        Format::Ndjson => Box::new(NdjsonSink::new(out, columns)),
        Format::Csv => Box::new(CsvSink::new(
            out,
            columns.unwrap_or_else(|| Field::ALL.to_vec()),
        )),
        Format::Yaml => Box::new(YamlSink::new(out, columns)),
    })
}

/// Like [`sink`], but with `--query`: the sink collects the JSON document and prints `query`'s
/// result on it at the end ([`QuerySink`]).
pub fn query_sink<'a>(
    query: crate::json_query::JsonQuery,
    format: Format,
    out: Box<dyn Write + 'a>,
    options: &OutputOptions,
) -> Result<Box<dyn Sink + 'a>, String> {
    let columns = options.columns.as_deref().map(parse_columns).transpose()?;
    Ok(Box::new(QuerySink::new(query, format, out, columns)))
}

/// Appends `image` as one compact JSON object: whole, or only `columns`.
fn write_image_json(image: &Image, columns: Option<&[Field]>, out: &mut Vec<u8>) -> io::Result<()> {
    match columns {
        None => serde_json::to_writer(&mut *out, image)?,
        Some(fields) => serde_json::to_writer(&mut *out, &fields::Projection::new(image, fields))?,
    }
    Ok(())
}
