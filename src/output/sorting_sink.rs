//! `--sort-by` on a listing of any size: a sink that keeps, per image, only what it sorts on and
//! where its rendered form is, then writes the images in order to the real sink at the end.
//!
//! Every format has an [`Encoder`]; this sink's own encoder wraps it: each image becomes its
//! sort values and its rendered form (a json object, an ndjson line, a table row, a csv record,
//! a yaml item), encoded on the listing's threads as the pages arrive. The rendered forms go to
//! an unnamed temporary file; memory holds only the sort values and where each form is (about
//! 100 bytes an image, whatever its `extra`). At the end the entries are sorted (stable) and the
//! forms read back in order.

use std::cmp::Ordering;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::sync::Arc;

use chrono::DateTime;

use super::sort::{SortValue, compare_values, sort_value};
use super::{Encoder, Sink, SortKey};
use crate::model::Image;
use crate::spool::read_at;

/// One image waiting in the temporary file.
struct Entry {
    values: Box<[Option<SortValue>]>,
    offset: u64,
    len: u32,
}

/// Sorts everything written to it by `keys`, keeps at most `limit`, and writes it to `inner`
/// at [`Sink::finish`].
pub struct SortingSink<'a> {
    inner: Box<dyn Sink + 'a>,
    keys: Arc<[SortKey]>,
    limit: Option<u64>,
    encoder: Arc<dyn Encoder>,
    file: BufWriter<File>,
    end: u64,
    entries: Vec<Entry>,
    written: u64,
    finished: bool,
}

impl<'a> SortingSink<'a> {
    /// Wraps `inner`; fails when a temporary file cannot be made, or `inner` has no encoder.
    pub fn new(
        inner: Box<dyn Sink + 'a>,
        keys: Vec<SortKey>,
        limit: Option<u64>,
    ) -> io::Result<Self> {
        let encoder = inner
            .encoder()
            .ok_or_else(|| io::Error::other("this output format cannot be sorted"))?;
        Ok(SortingSink {
            inner,
            keys: keys.into(),
            limit,
            encoder,
            file: BufWriter::with_capacity(1 << 16, tempfile::tempfile()?),
            end: 0,
            entries: Vec::new(),
            written: 0,
            finished: false,
        })
    }

    /// Images written to the real sink.
    pub fn written(&self) -> u64 {
        self.written
    }

    fn compare(&self, a: &[Option<SortValue>], b: &[Option<SortValue>]) -> Ordering {
        self.keys
            .iter()
            .zip(a.iter().zip(b))
            .map(|(key, (x, y))| compare_values(x.as_ref(), y.as_ref(), *key))
            .find(|o| o.is_ne())
            .unwrap_or(Ordering::Equal)
    }

    fn replay(&mut self) -> io::Result<()> {
        self.file.flush()?;
        let mut entries = std::mem::take(&mut self.entries);
        // Stable: images equal on every key keep the listing's order.
        entries.sort_by(|a, b| self.compare(&a.values, &b.values));
        let n = self.limit.map_or(entries.len(), |l| {
            entries.len().min(usize::try_from(l).unwrap_or(usize::MAX))
        });
        let mut buf = Vec::new();
        for entry in &entries[..n] {
            buf.resize(entry.len as usize, 0);
            read_at(self.file.get_ref(), &mut buf, entry.offset)?;
            self.inner.write_encoded(&buf, 1)?;
            self.written += 1;
        }
        Ok(())
    }

    /// Keeps the records of one encoded batch ([`Records`]).
    fn keep(&mut self, mut bytes: &[u8]) -> io::Result<()> {
        while !bytes.is_empty() {
            let (values, rest) = take_block(bytes)?;
            let (form, rest) = take_block(rest)?;
            bytes = rest;
            let values = decode_values(values)?;
            self.file.write_all(form)?;
            let len = u32::try_from(form.len())
                .map_err(|_| io::Error::other("an encoded image over 4 GiB"))?;
            self.entries.push(Entry {
                values,
                offset: self.end,
                len,
            });
            self.end += u64::from(len);
        }
        Ok(())
    }
}

impl Sink for SortingSink<'_> {
    fn write(&mut self, images: &[Image]) -> io::Result<()> {
        let mut buf = Vec::new();
        Records {
            inner: self.encoder.clone(),
            keys: self.keys.clone(),
        }
        .encode(images, &mut buf)?;
        self.keep(&buf)
    }

    fn encoder(&self) -> Option<Arc<dyn Encoder>> {
        Some(Arc::new(Records {
            inner: self.encoder.clone(),
            keys: self.keys.clone(),
        }))
    }

    fn write_encoded(&mut self, bytes: &[u8], _count: usize) -> io::Result<()> {
        self.keep(bytes)
    }

    fn finish(&mut self) -> io::Result<()> {
        if self.finished {
            return Ok(());
        }
        self.finished = true;
        let replayed = self.replay();
        let finished = self.inner.finish();
        replayed.and(finished)
    }
}

/// Encodes each image as two length-prefixed blocks: its sort values, then its form as the
/// real sink's encoder renders it alone.
struct Records {
    inner: Arc<dyn Encoder>,
    keys: Arc<[SortKey]>,
}

impl Encoder for Records {
    fn encode(&self, images: &[Image], buf: &mut Vec<u8>) -> io::Result<()> {
        super::encode_batch(images, buf, b"", |image, out| {
            let mut values = Vec::with_capacity(64);
            for key in self.keys.iter() {
                encode_value(sort_value(image, key.field).as_ref(), &mut values);
            }
            put_block(out, &values)?;
            let mut form = Vec::with_capacity(1024);
            self.inner.encode(std::slice::from_ref(image), &mut form)?;
            put_block(out, &form)
        })
    }
}

fn put_block(out: &mut Vec<u8>, block: &[u8]) -> io::Result<()> {
    let len = u32::try_from(block.len()).map_err(|_| io::Error::other("a block over 4 GiB"))?;
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(block);
    Ok(())
}

fn take_block(bytes: &[u8]) -> io::Result<(&[u8], &[u8])> {
    let bad = || io::Error::other("a damaged sort record");
    let (len, rest) = bytes.split_first_chunk::<4>().ok_or_else(bad)?;
    let len = u32::from_le_bytes(*len) as usize;
    if rest.len() < len {
        return Err(bad());
    }
    Ok(rest.split_at(len))
}

fn encode_value(value: Option<&SortValue>, out: &mut Vec<u8>) {
    match value {
        None => out.push(0),
        Some(SortValue::Text(t)) => {
            out.push(1);
            out.extend_from_slice(&(t.len() as u64).to_le_bytes());
            out.extend_from_slice(t.as_bytes());
        }
        Some(SortValue::Number(n)) => {
            out.push(2);
            out.extend_from_slice(&n.to_le_bytes());
        }
        Some(SortValue::Time(t)) => {
            out.push(3);
            out.extend_from_slice(&t.timestamp().to_le_bytes());
            out.extend_from_slice(&t.timestamp_subsec_nanos().to_le_bytes());
        }
    }
}

fn decode_values(mut bytes: &[u8]) -> io::Result<Box<[Option<SortValue>]>> {
    let bad = || io::Error::other("a damaged sort record");
    let mut out = Vec::new();
    while let Some((&tag, rest)) = bytes.split_first() {
        bytes = rest;
        let u64_at = |b: &mut &[u8]| -> io::Result<u64> {
            let (n, rest) = b.split_first_chunk::<8>().ok_or_else(bad)?;
            *b = rest;
            Ok(u64::from_le_bytes(*n))
        };
        out.push(match tag {
            0 => None,
            1 => {
                let len = usize::try_from(u64_at(&mut bytes)?).map_err(|_| bad())?;
                if bytes.len() < len {
                    return Err(bad());
                }
                let (text, rest) = bytes.split_at(len);
                bytes = rest;
                Some(SortValue::Text(
                    String::from_utf8(text.to_vec()).map_err(|_| bad())?,
                ))
            }
            2 => Some(SortValue::Number(u64_at(&mut bytes)?)),
            3 => {
                let secs = u64_at(&mut bytes)? as i64;
                let (nanos, rest) = bytes.split_first_chunk::<4>().ok_or_else(bad)?;
                bytes = rest;
                let time =
                    DateTime::from_timestamp(secs, u32::from_le_bytes(*nanos)).ok_or_else(bad)?;
                Some(SortValue::Time(time))
            }
            _ => return Err(bad()),
        });
    }
    Ok(out.into_boxed_slice())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sort_values_round_trip() {
        let now = chrono::Utc::now();
        let values = [
            None,
            Some(SortValue::Text("Ubuntu 22.04 ✓".into())),
            Some(SortValue::Number(u64::MAX)),
            Some(SortValue::Time(now)),
        ];
        let mut bytes = Vec::new();
        for v in &values {
            encode_value(v.as_ref(), &mut bytes);
        }
        let back = decode_values(&bytes).map_err(|e| e.to_string());
        assert_eq!(back.map(Vec::from), Ok(values.to_vec()));
        assert!(decode_values(&bytes[..bytes.len() - 1]).is_err());
    }
}
