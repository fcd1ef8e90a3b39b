//! `ndjson`: one compact JSON object a line, nothing else (an empty listing is empty).

use std::io::{self, Write};

use std::sync::Arc;

use super::fields::Field;
use super::{Encoder, Sink, write_image_json};
use crate::model::Image;

/// Streams images as newline-delimited JSON (with `columns`, objects of only those fields).
pub struct NdjsonSink<W: Write> {
    out: W,
    lines: NdjsonLines,
}

impl<W: Write> NdjsonSink<W> {
    /// A sink writing whole images (or only `columns`) to `out`.
    pub fn new(out: W, columns: Option<Vec<Field>>) -> Self {
        NdjsonSink {
            out,
            lines: NdjsonLines(columns.map(Arc::from)),
        }
    }
}

impl<W: Write> Sink for NdjsonSink<W> {
    fn write(&mut self, images: &[Image]) -> io::Result<()> {
        let mut buf = Vec::new();
        self.lines.encode(images, &mut buf)?;
        self.out.write_all(&buf)?;
        self.out.flush()
    }

    fn encoder(&self) -> Option<Arc<dyn Encoder>> {
        Some(Arc::new(self.lines.clone()))
    }

    fn write_encoded(&mut self, bytes: &[u8], _count: usize) -> io::Result<()> {
        self.out.write_all(bytes)?;
        self.out.flush()
    }

    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// Encodes a batch as lines (of the columns, if any).
#[derive(Clone)]
struct NdjsonLines(Option<Arc<[Field]>>);

impl Encoder for NdjsonLines {
    fn encode(&self, images: &[Image], buf: &mut Vec<u8>) -> io::Result<()> {
        let columns = self.0.as_deref();
        super::encode_batch(images, buf, b"", |image, out| {
            write_image_json(image, columns, out)?;
            out.push(b'\n');
            Ok(())
        })
    }
}
