//! `ndjson`: one compact JSON object a line, nothing else (an empty listing is empty).

use std::io::{self, Write};

use super::Sink;
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
        for image in images {
            serde_json::to_writer(&mut self.out, image)?;
            self.out.write_all(b"\n")?;
        }
        self.out.flush()
    }

    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}
