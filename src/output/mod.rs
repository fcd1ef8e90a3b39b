//! Renderers: table, json, ndjson, csv, yaml. Stdout carries data only.
//!
//! A [`Sink`] receives images in batches, in their final order, and writes them as they come
//! (json, ndjson, csv and yaml stream; table buffers to fit the terminal).

use std::io::{self, Write};

use crate::model::Image;

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
    /// Columns (Image field names) for table and csv; `None` = the format's default set.
    pub columns: Option<Vec<String>>,
    /// Table: show every default column untruncated.
    pub wide: bool,
    /// Table: terminal width, when stdout is a terminal.
    pub width: Option<u16>,
    /// Table: use colors.
    pub color: bool,
}

/// Receives images in order and renders them.
pub trait Sink {
    /// Writes a batch of images.
    fn write(&mut self, images: &[Image]) -> io::Result<()>;
    /// Completes the document (closing `]` for json, the table itself for table). Always called,
    /// also after a failure, so the output stays valid.
    fn finish(&mut self) -> io::Result<()>;
}

/// A sink for `format` writing to `out`.
pub fn sink<'a>(
    format: Format,
    out: Box<dyn Write + 'a>,
    options: OutputOptions,
) -> Result<Box<dyn Sink + 'a>, String> {
    let _ = (format, out, options);
    todo!("output sinks")
}
