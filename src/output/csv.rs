//! `csv`: RFC 4180 quoting with a header row of field names, values as [`Field::raw`] gives them
//! (a missing value is an empty cell), lines ending in `\n` (the csv crate's and xsv's default:
//! a `\r` would stick to the last field for `cut`, `read` and `grep -x`). An empty listing is the
//! header alone.

use std::io::{self, Write};

use super::Sink;
use super::fields::Field;
use crate::model::Image;

/// Streams images as CSV rows.
pub struct CsvSink<W: Write> {
    out: ::csv::Writer<W>,
    columns: Vec<Field>,
    header_written: bool,
}

impl<W: Write> CsvSink<W> {
    /// A sink writing `columns` of each image to `out`.
    pub fn new(out: W, columns: Vec<Field>) -> Self {
        CsvSink {
            out: writer(out),
            columns,
            header_written: false,
        }
    }

    fn header(&mut self) -> io::Result<()> {
        if !self.header_written {
            self.header_written = true;
            self.out
                .write_record(self.columns.iter().map(|f| f.name()))?;
        }
        Ok(())
    }
}

/// A CSV writer with imgcat's settings: minimal quoting, `\n` line ends.
pub fn writer<W: Write>(out: W) -> ::csv::Writer<W> {
    ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::Any(b'\n'))
        .from_writer(out)
}

impl<W: Write> Sink for CsvSink<W> {
    fn write(&mut self, images: &[Image]) -> io::Result<()> {
        self.header()?;
        for image in images {
            let row = self
                .columns
                .iter()
                .map(|f| f.raw(image).unwrap_or_default());
            self.out.write_record(row)?;
        }
        self.out.flush()
    }

    fn finish(&mut self) -> io::Result<()> {
        self.header()?;
        self.out.flush()
    }
}
