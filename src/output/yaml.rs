//! `yaml`: one YAML sequence, streamed an item at a time (`- provider: ...`). An empty listing is
//! `[]`.

use std::io::{self, Write};

use super::Sink;
use crate::model::Image;

/// Streams images as the items of one YAML sequence.
pub struct YamlSink<W: Write> {
    out: W,
    written: usize,
    finished: bool,
}

impl<W: Write> YamlSink<W> {
    /// A sink writing to `out`.
    pub fn new(out: W) -> Self {
        YamlSink {
            out,
            written: 0,
            finished: false,
        }
    }
}

/// One image as a one-item YAML sequence (`- key: value` lines), ending in a newline.
fn item(image: &Image) -> io::Result<String> {
    let value = serde_json::to_value(image).map_err(io::Error::other)?;
    serde_norway::to_string(std::slice::from_ref(&value)).map_err(io::Error::other)
}

/// One image as a YAML mapping. Through `serde_json::Value`, so that `extra` (raw JSON text,
/// which only `serde_json` writes as it is) becomes a mapping like the other fields.
pub fn to_yaml(image: &Image) -> io::Result<String> {
    let value = serde_json::to_value(image).map_err(io::Error::other)?;
    serde_norway::to_string(&value).map_err(io::Error::other)
}

impl<W: Write> Sink for YamlSink<W> {
    fn write(&mut self, images: &[Image]) -> io::Result<()> {
        for image in images {
            // Rendered whole before writing, so a failure never leaves half an item.
            let text = item(image)?;
            self.out.write_all(text.as_bytes())?;
            self.written += 1;
        }
        self.out.flush()
    }

    fn finish(&mut self) -> io::Result<()> {
        if self.finished {
            return Ok(());
        }
        self.finished = true;
        if self.written == 0 {
            self.out.write_all(b"[]\n")?;
        }
        self.out.flush()
    }
}
