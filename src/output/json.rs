//! `json`: one JSON array, streamed: `[` on the first image, one compact object a line, `]` at
//! the end. An empty listing is `[]`.

use std::io::{self, Write};

use std::sync::Arc;

use super::fields::Field;
use super::{Encoder, Sink, write_image_json};
use crate::model::Image;

/// Streams images as one JSON array, one compact object a line:
///
/// ```text
/// [
/// {"provider":"huawei-ims",...},
/// {"provider":"zenlayer",...}
/// ]
/// ```
///
/// With `columns`, each object holds only those fields, in that order.
pub struct JsonSink<W: Write> {
    out: W,
    columns: Option<Arc<[Field]>>,
    written: usize,
    finished: bool,
}

impl<W: Write> JsonSink<W> {
    /// A sink writing whole images (or only `columns`) to `out`.
    pub fn new(out: W, columns: Option<Vec<Field>>) -> Self {
        JsonSink {
            out,
            columns: columns.map(Arc::from),
            written: 0,
            finished: false,
        }
    }
}

impl<W: Write> JsonSink<W> {
    /// What was written so far.
    pub fn get_ref(&self) -> &W {
        &self.out
    }
}

impl<W: Write> Sink for JsonSink<W> {
    fn write(&mut self, images: &[Image]) -> io::Result<()> {
        for image in images {
            let lead: &[u8] = if self.written == 0 { b"[\n" } else { b",\n" };
            self.out.write_all(lead)?;
            // Counted before serializing: once the lead is out, a later `finish` must close the
            // array even if this object fails half-way.
            self.written += 1;
            let mut buf = Vec::new();
            write_image_json(image, self.columns.as_deref(), &mut buf)?;
            self.out.write_all(&buf)?;
        }
        self.out.flush()
    }

    fn encoder(&self) -> Option<Arc<dyn Encoder>> {
        Some(Arc::new(JsonItems(self.columns.clone())))
    }

    fn write_encoded(&mut self, bytes: &[u8], count: usize) -> io::Result<()> {
        if count == 0 {
            return Ok(());
        }
        let lead: &[u8] = if self.written == 0 { b"[\n" } else { b",\n" };
        self.out.write_all(lead)?;
        self.written += count;
        self.out.write_all(bytes)?;
        self.out.flush()
    }

    fn finish(&mut self) -> io::Result<()> {
        if self.finished {
            return Ok(());
        }
        self.finished = true;
        let end: &[u8] = if self.written == 0 { b"[]\n" } else { b"\n]\n" };
        self.out.write_all(end)?;
        self.out.flush()
    }
}

/// Encodes a batch as the array's items: compact objects (of the columns, if any) joined by
/// `,\n`.
struct JsonItems(Option<Arc<[Field]>>);

impl Encoder for JsonItems {
    fn encode(&self, images: &[Image], buf: &mut Vec<u8>) -> io::Result<()> {
        let columns = self.0.as_deref();
        super::encode_batch(images, buf, b",\n", |image, out| {
            write_image_json(image, columns, out)
        })
    }
}
