//! `imgcat diff`: what changed between two listings, keyed by (provider, region, id).
//!
//! Memory: each listing is read once, both at the same time (one thread each), into an index
//! that keeps per image a 128-bit hash of its key, a hash of its fields and where it is in the
//! file (about 60 bytes in all), never the image itself; only the object being read is held.
//! An image whose hashes differ, and every added and removed one, is read again from its file to
//! say what differs. So the bound is about 60 bytes per image of each listing plus one object,
//! whatever the size of their `extra` objects (figures in docs/BENCHMARK.md). Listings that
//! come from stdin, a pipe or a live listing are written to a temporary file first.

pub mod image_object;
pub mod records;

use std::collections::HashSet;
use std::io::{self, Read, Seek, SeekFrom};

use serde::Serialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use image_object::ImageObject;
use records::{Record, RecordError};

/// Why a diff could not be made. Every message names the listing and the line.
#[derive(Debug, thiserror::Error)]
pub enum DiffError {
    /// A listing could not be read.
    #[error("{name}: {source}")]
    Io {
        /// The listing.
        name: String,
        /// Why.
        source: io::Error,
    },
    /// A listing is not an imgcat listing.
    #[error("{name} line {line}: {what}")]
    Invalid {
        /// The listing.
        name: String,
        /// The line.
        line: u64,
        /// What is wrong.
        what: String,
    },
    /// The same (provider, region, id) twice in one listing.
    #[error(
        "{name} line {line}: image {label} is listed twice (first at line {first}): not one imgcat listing"
    )]
    Duplicate {
        /// The listing.
        name: String,
        /// The line of the second one.
        line: u64,
        /// The line of the first one.
        first: u64,
        /// provider/region/id.
        label: String,
    },
    /// Writing a change failed.
    #[error("writing the diff: {0}")]
    Output(#[source] io::Error),
}

impl DiffError {
    fn from_record(name: &str, e: RecordError) -> Self {
        match e {
            RecordError::Io(source) => DiffError::Io {
                name: name.to_string(),
                source,
            },
            RecordError::Shape { line, what } => DiffError::Invalid {
                name: name.to_string(),
                line,
                what,
            },
        }
    }
}

/// What happened to an image.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    /// In NEW only.
    Added,
    /// In OLD only.
    Removed,
    /// In both, with fields that differ.
    Changed,
}

/// One difference between the listings.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    /// Added, removed or changed.
    pub change: ChangeKind,
    /// The provider id.
    pub provider: String,
    /// The region or zone.
    pub region: String,
    /// The image id.
    pub id: String,
    /// The image's name (NEW's when changed).
    pub name: Option<String>,
    /// The whole image object (added, removed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<Value>,
    /// Each field that differs, as `{"old": ..., "new": ...}` (changed); `extra`'s members as
    /// `extra.<member>`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fields: Option<Map<String, Value>>,
}

/// How many changes of each kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Added images.
    pub added: u64,
    /// Removed images.
    pub removed: u64,
    /// Changed images.
    pub changed: u64,
}

impl Counts {
    /// Whether the listings are equal.
    pub fn is_empty(&self) -> bool {
        self.added + self.removed + self.changed == 0
    }
}

/// What to compare.
#[derive(Debug, Clone, Copy, Default)]
pub struct DiffOptions {
    /// Compare `extra` too (member by member).
    pub extra: bool,
}

/// Where one image of a listing is, and what it holds, in short.
#[derive(Debug, Clone, Copy)]
struct Entry {
    key: u128,
    fields: u64,
    extra: u64,
    offset: u64,
    line: u64,
    len: u32,
}

/// Which images of OLD take part (a live diff compares only the targets and filters of its
/// listing): `Ok(false)` leaves the image out.
pub type Scope<'s> = &'s (dyn Fn(&ImageObject<'_>, &[u8]) -> Result<bool, String> + Sync);

/// A listing, indexed: its entries sorted by the 128-bit hash of each image's key (a sorted
/// vector rather than a hash map: a third of the memory, and two listings compare by merging);
/// its file stays open to read changed, added and removed images again.
pub struct Listing<F> {
    name: String,
    file: F,
    index: Vec<Entry>,
}

impl<F: Read + Seek> Listing<F> {
    /// Reads `file` (a listing named `name` in messages) into the index; with `scope`, only
    /// the images it takes.
    pub fn index(
        name: &str,
        mut file: F,
        scope: Option<Scope<'_>>,
        options: DiffOptions,
    ) -> Result<Self, DiffError> {
        let io_err = |source| DiffError::Io {
            name: name.to_string(),
            source,
        };
        file.seek(SeekFrom::Start(0)).map_err(io_err)?;
        let mut index: Vec<Entry> = Vec::new();
        {
            let mut records =
                records::Records::new(io::BufReader::with_capacity(1 << 16, &mut file));
            while let Some(record) = records
                .next_record()
                .map_err(|e| DiffError::from_record(name, e))?
            {
                let object = parse(name, &record)?;
                if let Some(scope) = scope {
                    let inside =
                        scope(&object, &record.bytes).map_err(|what| DiffError::Invalid {
                            name: name.to_string(),
                            line: record.line,
                            what,
                        })?;
                    if !inside {
                        continue;
                    }
                }
                index.push(Entry {
                    key: object.key_hash(),
                    fields: object.fields_hash(),
                    extra: if options.extra {
                        object.extra_hash()
                    } else {
                        0
                    },
                    offset: record.offset,
                    line: record.line,
                    len: u32::try_from(record.bytes.len()).unwrap_or(u32::MAX),
                });
            }
        }
        index.sort_unstable_by_key(|e| (e.key, e.offset));
        let twice = index
            .windows(2)
            .filter(|w| w[0].key == w[1].key)
            .map(|w| (w[0], w[1]))
            .min_by_key(|(_, second)| second.offset);
        let mut listing = Listing {
            name: name.to_string(),
            file,
            index,
        };
        if let Some((first, second)) = twice {
            // The same key hash: the same image, unless 128 bits collided.
            let label = |l: &mut Self, e: Entry| -> Result<String, DiffError> {
                let bytes = l.reread(e.offset, e.len)?;
                Ok(ImageObject::parse(&bytes)
                    .map(|o| o.label())
                    .unwrap_or_default())
            };
            let (a, b) = (label(&mut listing, first)?, label(&mut listing, second)?);
            return Err(if a == b {
                DiffError::Duplicate {
                    name: name.to_string(),
                    line: second.line,
                    first: first.line,
                    label: b,
                }
            } else {
                DiffError::Invalid {
                    name: name.to_string(),
                    line: second.line,
                    what: format!(
                        "the key of {b} hashes like line {}'s: cannot tell them apart",
                        first.line
                    ),
                }
            });
        }
        Ok(listing)
    }

    /// The images indexed.
    pub fn len(&self) -> usize {
        self.index.len()
    }

    /// Whether none was indexed.
    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    /// Reads an image again.
    fn reread(&mut self, offset: u64, len: u32) -> Result<Vec<u8>, DiffError> {
        let mut buf = vec![0; len as usize];
        self.file
            .seek(SeekFrom::Start(offset))
            .and_then(|_| self.file.read_exact(&mut buf))
            .map_err(|source| DiffError::Io {
                name: self.name.clone(),
                source,
            })?;
        Ok(buf)
    }

    /// Reads the image of `entry` again and parses it.
    fn object_at(&mut self, offset: u64, len: u32, line: u64) -> Result<Vec<u8>, DiffError> {
        let bytes = self.reread(offset, len)?;
        ImageObject::parse(&bytes).map_err(|(at, what)| DiffError::Invalid {
            name: self.name.clone(),
            line: line + at.saturating_sub(1),
            what,
        })?;
        Ok(bytes)
    }
}

/// What the merge of two indexes found for one key.
enum Found {
    Added(Entry),
    Removed(Entry),
    Differs(Entry, Entry),
}

/// Compares `old` with `new` and hands each change to `emit`: added and changed images in
/// NEW's order, then removed ones in OLD's. Returns how many of each.
pub fn diff<F: Read + Seek, G: Read + Seek>(
    mut old: Listing<F>,
    mut new: Listing<G>,
    options: DiffOptions,
    emit: &mut dyn FnMut(Change) -> io::Result<()>,
) -> Result<Counts, DiffError> {
    // Merge the two sorted indexes: what differs, in short, before reading anything again.
    let mut found = Vec::new();
    let (mut i, mut j) = (0, 0);
    let (a, b) = (&old.index, &new.index);
    while i < a.len() || j < b.len() {
        match (a.get(i), b.get(j)) {
            (Some(x), Some(y)) if x.key == y.key => {
                if x.fields != y.fields || x.extra != y.extra {
                    found.push(Found::Differs(*x, *y));
                }
                i += 1;
                j += 1;
            }
            (Some(x), Some(y)) if x.key < y.key => {
                found.push(Found::Removed(*x));
                i += 1;
            }
            (Some(x), None) => {
                found.push(Found::Removed(*x));
                i += 1;
            }
            (_, Some(y)) => {
                found.push(Found::Added(*y));
                j += 1;
            }
            (None, None) => break,
        }
    }
    // Added and changed in NEW's order, then removed in OLD's.
    found.sort_by_key(|f| match f {
        Found::Added(y) | Found::Differs(_, y) => (0, y.offset),
        Found::Removed(x) => (1, x.offset),
    });
    let mut counts = Counts::default();
    for f in found {
        match f {
            Found::Added(y) => {
                let bytes = new.object_at(y.offset, y.len, y.line)?;
                counts.added += 1;
                emit(whole(ChangeKind::Added, &bytes)?).map_err(DiffError::Output)?;
            }
            Found::Removed(x) => {
                let bytes = old.object_at(x.offset, x.len, x.line)?;
                counts.removed += 1;
                emit(whole(ChangeKind::Removed, &bytes)?).map_err(DiffError::Output)?;
            }
            Found::Differs(x, y) => {
                let old_bytes = old.object_at(x.offset, x.len, x.line)?;
                let new_bytes = new.object_at(y.offset, y.len, y.line)?;
                let (Ok(a), Ok(b)) = (
                    ImageObject::parse(&old_bytes),
                    ImageObject::parse(&new_bytes),
                ) else {
                    continue; // both parsed by object_at
                };
                let fields = field_changes(&a, &b, options);
                if !fields.is_empty() {
                    counts.changed += 1;
                    emit(Change {
                        change: ChangeKind::Changed,
                        name: b.name(),
                        provider: b.provider,
                        region: b.region,
                        id: b.id,
                        image: None,
                        fields: Some(fields),
                    })
                    .map_err(DiffError::Output)?;
                }
            }
        }
    }
    Ok(counts)
}

/// Reads a record's object; errors name the listing and the line.
fn parse<'a>(name: &str, record: &'a Record) -> Result<ImageObject<'a>, DiffError> {
    ImageObject::parse(&record.bytes).map_err(|(at, what)| DiffError::Invalid {
        name: name.to_string(),
        line: record.line + at.saturating_sub(1),
        what,
    })
}

/// An added or removed image's change, with the whole object (`bytes`, parsed before).
fn whole(kind: ChangeKind, bytes: &[u8]) -> Result<Change, DiffError> {
    let image: Value = serde_json::from_slice(bytes).map_err(|e| DiffError::Output(e.into()))?;
    let text = |k: &str| image.get(k).and_then(Value::as_str).map(str::to_string);
    Ok(Change {
        change: kind,
        provider: text("provider").unwrap_or_default(),
        region: text("region").unwrap_or_default(),
        id: text("id").unwrap_or_default(),
        name: text("name"),
        image: Some(image),
        fields: None,
    })
}

/// The member `key` of `o`.
fn find<'a>(o: &ImageObject<'a>, key: &str) -> Option<&'a RawValue> {
    o.fields.iter().find(|(n, _)| *n == key).map(|(_, v)| *v)
}

/// Whether two JSON texts hold the same value.
fn same(a: Option<&RawValue>, b: Option<&RawValue>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => a.get() == b.get() || value(Some(a)) == value(Some(b)),
        _ => false,
    }
}

/// A JSON text's value (`null` when absent).
fn value(raw: Option<&RawValue>) -> Value {
    raw.and_then(|r| serde_json::from_str(r.get()).ok())
        .unwrap_or(Value::Null)
}

fn old_new(old: Value, new: Value) -> Value {
    let mut m = Map::new();
    m.insert("old".into(), old);
    m.insert("new".into(), new);
    Value::Object(m)
}

/// The fields that differ, in NEW's order then OLD's; `extra`'s members with `options.extra`.
fn field_changes(
    old: &ImageObject<'_>,
    new: &ImageObject<'_>,
    options: DiffOptions,
) -> Map<String, Value> {
    let mut out = Map::new();
    let mut keys: Vec<&str> = new.fields.iter().map(|(k, _)| *k).collect();
    let known: HashSet<&str> = keys.iter().copied().collect();
    keys.extend(
        old.fields
            .iter()
            .map(|(k, _)| *k)
            .filter(|k| !known.contains(k)),
    );
    for key in keys {
        let (a, b) = (find(old, key), find(new, key));
        if !same(a, b) {
            out.insert(key.to_string(), old_new(value(a), value(b)));
        }
    }
    if options.extra && !same(old.extra, new.extra) {
        match (value(old.extra), value(new.extra)) {
            (Value::Object(mut a), Value::Object(b)) => {
                for (k, vb) in b {
                    let va = a.remove(&k).unwrap_or(Value::Null);
                    if va != vb {
                        out.insert(format!("extra.{k}"), old_new(va, vb));
                    }
                }
                for (k, va) in a {
                    out.insert(format!("extra.{k}"), old_new(va, Value::Null));
                }
            }
            (a, b) => {
                if a != b {
                    out.insert("extra".into(), old_new(a, b));
                }
            }
        }
    }
    out
}
