//! `ndjson`: one compact JSON object a line, nothing else (an empty listing is empty).

use std::io::{self, Write};

use std::sync::Arc;

use super::{Encoder, Sink};
use crate::model::Image;

/// Streams images as newline-delimited JSON.
pub struct NdjsonSink<W: Write> {
    out: W,
}

impl<W: Write> NdjsonSink<W> {
    /// A sink writing to `out`.
    pub fn new(out: W) -> Self {
        NdjsonSink { out }
    }
}

impl<W: Write> Sink for NdjsonSink<W> {
    fn write(&mut self, images: &[Image]) -> io::Result<()> {
        let mut buf = Vec::new();
        NdjsonLines.encode(images, &mut buf)?;
        self.out.write_all(&buf)?;
        self.out.flush()
    }

    fn encoder(&self) -> Option<Arc<dyn Encoder>> {
        Some(Arc::new(NdjsonLines))
    }

    fn write_encoded(&mut self, bytes: &[u8], _count: usize) -> io::Result<()> {
        self.out.write_all(bytes)?;
        self.out.flush()
    }

    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// Encodes a batch as lines.
struct NdjsonLines;

impl Encoder for NdjsonLines {
    fn encode(&self, images: &[Image], buf: &mut Vec<u8>) -> io::Result<()> {
        super::encode_batch(images, buf, b"", |image, out| {
            image.write_json(out)?;
            out.push(b'\n');
            Ok(())
        })
    }
}
