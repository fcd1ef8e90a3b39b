//! The image objects of a listing file, one at a time: a JSON array (`imgcat list -o json`, or
//! any JSON array of objects, pretty-printed or not) or one object per line (`-o ndjson`),
//! told apart by the first byte that is not whitespace.
//!
//! Each object comes with the line it starts on (for error messages) and its byte offset and
//! length in the file (so the differ can read it again instead of keeping it). Only the object
//! being read is in memory, at most [`MAX_RECORD`] bytes.

use std::io::{self, BufRead};

/// The largest image object read (an imgcat image with its provider's `extra` is 1-10 KiB).
pub const MAX_RECORD: usize = 16 << 20;

/// One image object of a listing file.
#[derive(Debug)]
pub struct Record {
    /// The line (from 1) its `{` is on.
    pub line: u64,
    /// Its byte offset in the file.
    pub offset: u64,
    /// Its JSON text.
    pub bytes: Vec<u8>,
}

/// Why a file is not a listing.
#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    /// Reading failed.
    #[error("{0}")]
    Io(#[from] io::Error),
    /// The text is not a JSON array of objects nor one object per line.
    #[error("line {line}: {what}")]
    Shape {
        /// Where.
        line: u64,
        /// What was found.
        what: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Nothing read yet.
    Start,
    /// In an array, where an object or `]` may come.
    ArrayOpen,
    /// In an array, after a `,`: an object must come.
    ArrayComma,
    /// In an array, after an object: `,` or `]`.
    ArrayAfter,
    /// After the array's `]`: only whitespace.
    ArrayClosed,
    /// Objects separated by whitespace.
    Lines,
}

/// The image objects of a listing, read from `R`.
pub struct Records<R> {
    reader: R,
    state: State,
    line: u64,
    offset: u64,
}

impl<R: BufRead> Records<R> {
    /// Reads a listing from `reader`.
    pub fn new(reader: R) -> Self {
        Records {
            reader,
            state: State::Start,
            line: 1,
            offset: 0,
        }
    }

    fn shape(&self, what: impl Into<String>) -> RecordError {
        RecordError::Shape {
            line: self.line,
            what: what.into(),
        }
    }

    /// The next byte that is not whitespace, not consumed; `None` at the end.
    fn peek_token(&mut self) -> io::Result<Option<u8>> {
        loop {
            let buf = match self.reader.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if buf.is_empty() {
                return Ok(None);
            }
            let mut skipped = 0;
            let mut found = None;
            for &c in buf {
                match c {
                    b'\n' => self.line += 1,
                    b' ' | b'\t' | b'\r' => {}
                    other => {
                        found = Some(other);
                        break;
                    }
                }
                skipped += 1;
            }
            self.reader.consume(skipped);
            self.offset += skipped as u64;
            if found.is_some() {
                return Ok(found);
            }
        }
    }

    fn consume_one(&mut self) {
        self.reader.consume(1);
        self.offset += 1;
    }

    /// Reads the object that starts at the current byte (a `{`).
    fn object(&mut self) -> Result<Record, RecordError> {
        let start_line = self.line;
        let offset = self.offset;
        let mut bytes = Vec::with_capacity(2048);
        let mut depth = 0usize;
        let mut in_string = false;
        let mut escaped = false;
        loop {
            let buf = match self.reader.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e.into()),
            };
            if buf.is_empty() {
                return Err(RecordError::Shape {
                    line: start_line,
                    what: "the file ends inside this image object (cut short?)".into(),
                });
            }
            let mut end = None;
            let mut lines = 0;
            let mut i = 0;
            while i < buf.len() {
                if in_string {
                    // Inside a string only a quote or a backslash matters (a raw line break is
                    // invalid JSON, which the parser reports).
                    if escaped {
                        // The character after a backslash that ended the previous chunk.
                        escaped = false;
                        i += 1;
                        continue;
                    }
                    match memchr::memchr2(b'"', b'\\', &buf[i..]) {
                        None => i = buf.len(),
                        Some(at) => {
                            let c = buf[i + at];
                            i += at + 1;
                            if c == b'\\' {
                                if i < buf.len() {
                                    i += 1;
                                } else {
                                    escaped = true;
                                }
                            } else {
                                in_string = false;
                            }
                        }
                    }
                    continue;
                }
                match buf[i] {
                    b'"' => in_string = true,
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth = depth.saturating_sub(1);
                        if depth == 0 {
                            end = Some(i + 1);
                            break;
                        }
                    }
                    b'\n' => lines += 1,
                    _ => {}
                }
                i += 1;
            }
            let take = end.unwrap_or(buf.len());
            bytes.extend_from_slice(&buf[..take]);
            self.reader.consume(take);
            self.offset += take as u64;
            self.line += lines;
            if bytes.len() > MAX_RECORD {
                return Err(RecordError::Shape {
                    line: start_line,
                    what: format!(
                        "an image object larger than {} MiB: not an imgcat listing",
                        MAX_RECORD >> 20
                    ),
                });
            }
            if end.is_some() {
                return Ok(Record {
                    line: start_line,
                    offset,
                    bytes,
                });
            }
        }
    }

    /// The next object, `None` at the end of the listing.
    pub fn next_record(&mut self) -> Result<Option<Record>, RecordError> {
        loop {
            let token = self.peek_token()?;
            match (self.state, token) {
                (State::Start | State::Lines | State::ArrayClosed, None) => return Ok(None),
                (_, None) => {
                    return Err(self.shape("the file ends inside the JSON array (cut short?)"));
                }
                (State::Start, Some(b'[')) => {
                    self.consume_one();
                    self.state = State::ArrayOpen;
                }
                (State::Start, Some(b'{')) => self.state = State::Lines,
                (State::ArrayOpen | State::ArrayAfter, Some(b']')) => {
                    self.consume_one();
                    self.state = State::ArrayClosed;
                }
                (State::ArrayAfter, Some(b',')) => {
                    self.consume_one();
                    self.state = State::ArrayComma;
                }
                (State::ArrayOpen | State::ArrayComma, Some(b'{')) => {
                    let record = self.object()?;
                    self.state = State::ArrayAfter;
                    return Ok(Some(record));
                }
                (State::Lines, Some(b'{')) => return self.object().map(Some),
                (State::Start, Some(_)) => {
                    return Err(self.shape(
                        "not an imgcat listing: expected a JSON array of images (list -o json) or one image object per line (list -o ndjson)",
                    ));
                }
                (State::ArrayAfter, Some(c)) => {
                    return Err(self.shape(format!(
                        "expected ',' or ']' after an image object, found {}",
                        shown(c)
                    )));
                }
                (State::ArrayClosed, Some(c)) => {
                    return Err(self.shape(format!("{} after the end of the JSON array", shown(c))));
                }
                (_, Some(c)) => {
                    return Err(self.shape(format!(
                        "expected an image object ({{...}}), found {}",
                        shown(c)
                    )));
                }
            }
        }
    }
}

/// A byte for a message.
fn shown(c: u8) -> String {
    if c.is_ascii_graphic() {
        format!("'{}'", c as char)
    } else {
        format!("byte 0x{c:02x}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(text: &str) -> Result<Vec<(u64, u64, String)>, RecordError> {
        let mut r = Records::new(text.as_bytes());
        let mut out = Vec::new();
        while let Some(rec) = r.next_record()? {
            out.push((
                rec.line,
                rec.offset,
                String::from_utf8(rec.bytes).unwrap_or_default(),
            ));
        }
        Ok(out)
    }

    #[test]
    fn reads_arrays_and_lines_with_positions() {
        let got = all("[\n{\"a\":1},\n{\"b\":\"}\\\"{\"}\n]\n").map_err(|e| e.to_string());
        assert_eq!(
            got,
            Ok(vec![
                (2, 2, "{\"a\":1}".to_string()),
                (3, 11, "{\"b\":\"}\\\"{\"}".to_string())
            ])
        );
        let got = all("{\"a\":{\"x\":[1,{}]}}\n\n{\"b\":2}\n").map_err(|e| e.to_string());
        assert_eq!(
            got,
            Ok(vec![
                (1, 0, "{\"a\":{\"x\":[1,{}]}}".to_string()),
                (3, 20, "{\"b\":2}".to_string())
            ])
        );
        assert!(all("").is_ok_and(|v| v.is_empty()));
        assert!(all("[]").is_ok_and(|v| v.is_empty()));
    }

    #[test]
    fn names_the_line_of_what_is_wrong() {
        let err = |t: &str| all(t).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(err("hello").starts_with("line 1: not an imgcat listing"));
        assert!(err("[\n{\"a\":1}\n{\"b\":1}]").starts_with("line 3: expected ','"));
        assert!(err("[{\"a\":1},]").contains("expected an image object"));
        assert!(err("[{\"a\":1}] x").contains("after the end"));
        assert!(err("{\"a\":1}\n{\"b\":").starts_with("line 2: the file ends inside"));
        assert!(err("[{\"a\":1}").contains("ends inside the JSON array"));
        assert!(err("{\"a\":1}\n[1]").starts_with("line 2: expected an image object"));
    }
}
