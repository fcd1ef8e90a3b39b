//! `csv`: RFC 4180 quoting with a header row of field names, values as [`Field::raw`] gives them
//! (a missing value is an empty cell), lines ending in `\n` (the csv crate's and xsv's default:
//! a `\r` would stick to the last field for `cut`, `read` and `grep -x`). An empty listing is the
//! header alone.

use std::io::{self, Write};

use std::sync::Arc;

use super::fields::Field;
use super::{Encoder, Sink};
use crate::model::Image;

/// Streams images as CSV rows.
pub struct CsvSink<W: Write> {
    out: W,
    columns: Vec<Field>,
    header_written: bool,
}

impl<W: Write> CsvSink<W> {
    /// A sink writing `columns` of each image to `out`.
    pub fn new(out: W, columns: Vec<Field>) -> Self {
        CsvSink {
            out,
            columns,
            header_written: false,
        }
    }

    fn header(&mut self) -> io::Result<()> {
        if !self.header_written {
            self.header_written = true;
            let mut header = writer(Vec::new());
            header.write_record(self.columns.iter().map(|f| f.name()))?;
            let bytes = header.into_inner().map_err(|e| e.into_error())?;
            self.out.write_all(&bytes)?;
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

/// Encodes images as CSV records, ahead of time (a listing's waiting targets then hold text).
struct CsvRows(Arc<[Field]>);

impl Encoder for CsvRows {
    fn encode(&self, images: &[Image], buf: &mut Vec<u8>) -> io::Result<()> {
        super::encode_batch(images, buf, b"", |image, out| {
            let mut w = ::csv::WriterBuilder::new()
                .terminator(::csv::Terminator::Any(b'\n'))
                .buffer_capacity(1024)
                .from_writer(&mut *out);
            w.write_record(self.0.iter().map(|f| f.raw(image).unwrap_or_default()))?;
            w.flush()
        })
    }
}

impl<W: Write> Sink for CsvSink<W> {
    fn encoder(&self) -> Option<Arc<dyn Encoder>> {
        Some(Arc::new(CsvRows(self.columns.clone().into())))
    }

    fn write_encoded(&mut self, bytes: &[u8], _count: usize) -> io::Result<()> {
        self.header()?;
        self.out.write_all(bytes)?;
        self.out.flush()
    }

    fn write(&mut self, images: &[Image]) -> io::Result<()> {
        let mut buf = Vec::new();
        CsvRows(self.columns.clone().into()).encode(images, &mut buf)?;
        self.write_encoded(&buf, images.len())
    }

    fn finish(&mut self) -> io::Result<()> {
        self.header()?;
        self.out.flush()
    }
}
