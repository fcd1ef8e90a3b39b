//! Bounded buffering of encoded output for targets whose turn to print has not come yet.
//!
//! Every target is listed concurrently, but output keeps target order, so later targets wait.
//! They wait as encoded bytes: in memory while all waiting bytes together stay under a budget,
//! past it in an unnamed temporary file per target (removed by the OS when closed). Memory
//! therefore stays bounded however large the catalogs are.

use std::fs::File;
use std::io;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

/// Bytes of encoded output all targets together may hold in memory while they wait.
pub const MEMORY_BUDGET: usize = 16 << 20;

/// The shared count of encoded bytes held in memory.
#[derive(Debug, Clone, Default)]
pub struct Budget(Arc<AtomicUsize>);

impl Budget {
    fn take(&self, n: usize) -> bool {
        let mut cur = self.0.load(Ordering::Relaxed);
        loop {
            if cur.saturating_add(n) > MEMORY_BUDGET {
                return false;
            }
            match self
                .0
                .compare_exchange_weak(cur, cur + n, Ordering::AcqRel, Ordering::Relaxed)
            {
                Ok(_) => return true,
                Err(actual) => cur = actual,
            }
        }
    }

    fn give_back(&self, n: usize) {
        self.0.fetch_sub(n, Ordering::AcqRel);
    }
}

/// One batch of encoded images, in memory or in the target's spill file.
#[derive(Debug)]
pub enum Chunk {
    /// Held in memory (counted against the budget until read).
    Memory {
        /// The encoded images.
        bytes: Vec<u8>,
        /// How many images.
        count: usize,
    },
    /// Written to the spill file.
    Disk {
        /// Where in the file.
        offset: u64,
        /// How many bytes.
        len: usize,
        /// How many images.
        count: usize,
    },
}

impl Chunk {
    /// How many images it holds.
    pub fn count(&self) -> usize {
        match self {
            Chunk::Memory { count, .. } | Chunk::Disk { count, .. } => *count,
        }
    }
}

/// The writing end of one target's spool, owned by the target's task.
#[derive(Debug)]
pub struct Spool {
    budget: Budget,
    file: Arc<OnceLock<File>>,
    end: u64,
}

/// The reading end of one target's spool: turns chunks back into bytes.
#[derive(Debug)]
pub struct Reader {
    budget: Budget,
    file: Arc<OnceLock<File>>,
}

/// A spool for one target, and its reader.
pub fn pair(budget: &Budget) -> (Spool, Reader) {
    let file = Arc::new(OnceLock::new());
    (
        Spool {
            budget: budget.clone(),
            file: file.clone(),
            end: 0,
        },
        Reader {
            budget: budget.clone(),
            file,
        },
    )
}

impl Spool {
    /// Keeps `bytes` in memory if the budget allows, else appends them to the spill file.
    pub fn put(&mut self, bytes: Vec<u8>, count: usize) -> io::Result<Chunk> {
        if self.budget.take(bytes.len()) {
            return Ok(Chunk::Memory { bytes, count });
        }
        if self.file.get().is_none() {
            let _ = self.file.set(tempfile::tempfile()?);
        }
        let file = self
            .file
            .get()
            .ok_or_else(|| io::Error::other("spill file missing"))?;
        write_at(file, &bytes, self.end)?;
        let chunk = Chunk::Disk {
            offset: self.end,
            len: bytes.len(),
            count,
        };
        self.end += bytes.len() as u64;
        Ok(chunk)
    }
}

impl Reader {
    /// Drops `chunk` unread (its target failed), giving its memory back to the budget.
    pub fn discard(&self, chunk: Chunk) {
        if let Chunk::Memory { bytes, .. } = chunk {
            self.budget.give_back(bytes.len());
        }
    }

    /// The bytes and image count of `chunk`.
    pub fn read(&self, chunk: Chunk) -> io::Result<(Vec<u8>, usize)> {
        match chunk {
            Chunk::Memory { bytes, count } => {
                self.budget.give_back(bytes.len());
                Ok((bytes, count))
            }
            Chunk::Disk { offset, len, count } => {
                let file = self
                    .file
                    .get()
                    .ok_or_else(|| io::Error::other("spill file missing"))?;
                let mut buf = vec![0; len];
                read_at(file, &mut buf, offset)?;
                Ok((buf, count))
            }
        }
    }
}

#[cfg(unix)]
fn write_at(file: &File, bytes: &[u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::write_all_at(file, bytes, offset)
}

/// Reads exactly `buf.len()` bytes of `file` at `offset` (positioned: no shared cursor).
#[cfg(unix)]
pub(crate) fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

#[cfg(windows)]
fn write_at(file: &File, mut bytes: &[u8], mut offset: u64) -> io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !bytes.is_empty() {
        let n = file.seek_write(bytes, offset)?;
        bytes = &bytes[n..];
        offset += n as u64;
    }
    Ok(())
}

#[cfg(windows)]
pub(crate) fn read_at(file: &File, mut buf: &mut [u8], mut offset: u64) -> io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !buf.is_empty() {
        let n = file.seek_read(buf, offset)?;
        if n == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        buf = &mut buf[n..];
        offset += n as u64;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spills_past_the_budget_and_reads_back_in_order() -> io::Result<()> {
        let budget = Budget::default();
        let (mut spool, reader) = pair(&budget);
        let big = vec![b'a'; MEMORY_BUDGET - 10];
        let c1 = spool.put(big.clone(), 1)?;
        assert!(matches!(c1, Chunk::Memory { .. }));
        let c2 = spool.put(b"hello world".to_vec(), 2)?;
        assert!(matches!(c2, Chunk::Disk { .. }), "over budget goes to disk");
        let c3 = spool.put(b"again".to_vec(), 3)?;
        assert_eq!(reader.read(c1)?, (big, 1));
        assert_eq!(reader.read(c2)?, (b"hello world".to_vec(), 2));
        assert_eq!(reader.read(c3)?, (b"again".to_vec(), 3));
        assert_eq!(budget.0.load(Ordering::SeqCst), 0, "memory given back");
        Ok(())
    }
}
