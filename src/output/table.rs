//! `table`: a plain, borderless table (`docker ps` style) fitted to the terminal. Buffered: rows
//! are kept until [`Sink::finish`], which prints the table. An empty listing prints nothing.
//!
//! Fitting, when a width is known and `wide` is off (see [`super::fit::fit`]): one line per image,
//! columns separated by two spaces; when too wide, columns whose value is the same on every row go
//! first (provider and region in a one-target listing), then the least useful ones (size,
//! visibility, created, status, region, arch, version, os, provider, in that order); `id` and
//! `name` stay, and `name` is truncated with `…` (down to 16 columns) before anything is dropped.
//! User-chosen `--columns` are never dropped, only truncated. With `wide`, or without a width
//! (not a terminal), nothing is dropped or truncated.

use std::io::{self, Write};

use comfy_table::{ContentArrangement, Table};

use std::sync::Arc;

use super::fields::{Field, MISSING};
use super::fit::{ColumnFit, display_width, fit, truncate};
use super::{Encoder, Sink};
use crate::model::{Image, Status};

/// The default table columns: compact enough for 80 columns once fitted.
pub const TABLE_COLUMNS: &[Field] = &[
    Field::Provider,
    Field::Region,
    Field::Id,
    Field::Name,
    Field::OsFamily,
    Field::OsVersion,
    Field::Architecture,
    Field::Visibility,
    Field::Status,
    Field::Size,
    Field::CreatedAt,
];

/// The `--wide` columns: every scalar field but `description`, never dropped or truncated.
pub const WIDE_COLUMNS: &[Field] = &[
    Field::Provider,
    Field::Region,
    Field::Id,
    Field::Name,
    Field::OsType,
    Field::OsFamily,
    Field::OsVersion,
    Field::Architecture,
    Field::Visibility,
    Field::Status,
    Field::Size,
    Field::MinDiskGb,
    Field::MinRamMb,
    Field::DiskFormat,
    Field::CreatedAt,
];

/// Display columns between two table columns.
const GAP: usize = 2;

/// How far `name` and `description` shrink before other columns are dropped.
const TEXT_FLOOR: usize = 16;

/// Buffers rows and prints them as a table at [`Sink::finish`].
///
/// A row is kept as its cells' text only, joined in one string (an image's `extra` and the
/// answer it lies in are not kept), and each column's widest cell and whether all its cells are
/// the same are tracked as rows come: 250,000 rows take about 200 bytes each. The rows are then
/// written line by line, padded to the fitted widths (not through a comfy-table of every cell,
/// which held about 2 KB a row).
pub struct TableSink<W: Write> {
    out: W,
    columns: Vec<Field>,
    droppable: bool,
    width: Option<usize>,
    color: bool,
    rows: Vec<(Box<str>, Status)>,
    /// Per column: the widest cell (display columns, header included).
    natural: Vec<usize>,
    /// Per column: every cell so far equals the first row's.
    constant: Vec<bool>,
    /// The first row's cells.
    first: Vec<String>,
    finished: bool,
}

/// Separates two cells in a stored row (cells never hold control characters: they are
/// [`single_line`](super::fields::single_line) text).
const CELL_SEP: char = '\u{1f}';

impl<W: Write> TableSink<W> {
    /// A table written to `out` of the user's `columns`, or by default of [`TABLE_COLUMNS`]
    /// ([`WIDE_COLUMNS`] if `wide`); fitted to `width` unless `wide`; colored if `color`.
    pub fn new(
        out: W,
        columns: Option<Vec<Field>>,
        wide: bool,
        width: Option<u16>,
        color: bool,
    ) -> Self {
        let (columns, droppable) = match columns {
            Some(fields) => (fields, false),
            None if wide => (WIDE_COLUMNS.to_vec(), false),
            None => (TABLE_COLUMNS.to_vec(), true),
        };
        let natural = columns.iter().map(|f| display_width(f.header())).collect();
        let constant = vec![true; columns.len()];
        TableSink {
            out,
            columns,
            droppable,
            width: if wide { None } else { width.map(usize::from) },
            color,
            rows: Vec::new(),
            natural,
            constant,
            first: Vec::new(),
            finished: false,
        }
    }

    /// The width of each column, `None` where dropped.
    fn layout(&self) -> Vec<Option<usize>> {
        let Some(width) = self.width else {
            return self.natural.iter().map(|&n| Some(n)).collect();
        };
        let fits: Vec<ColumnFit> = self
            .columns
            .iter()
            .enumerate()
            .map(|(i, field)| {
                let natural = self.natural[i];
                ColumnFit {
                    natural,
                    floor: match field {
                        Field::Name | Field::Description => TEXT_FLOOR.min(natural),
                        _ => natural,
                    },
                    drop_priority: if self.droppable {
                        drop_priority(*field)
                    } else {
                        None
                    },
                    constant: self.rows.len() > 1 && self.constant[i],
                    whole: *field == Field::Id,
                }
            })
            .collect();
        fit(&fits, width, GAP)
    }

    fn render(&mut self) -> io::Result<()> {
        if self.rows.is_empty() {
            return Ok(());
        }
        let layout = self.layout();
        let shown: Vec<(usize, Field, usize)> = layout
            .iter()
            .enumerate()
            .filter_map(|(i, w)| w.map(|w| (i, self.columns[i], w)))
            .collect();
        // Each shown column's width: its widest cell once truncated to the layout's width.
        let widths: Vec<usize> = shown.iter().map(|&(_, _, w)| w).collect();
        let mut line = String::new();
        let header: Vec<&str> = shown.iter().map(|&(_, f, _)| f.header()).collect();
        let header_style = self.color.then_some(BOLD);
        write_line(&mut self.out, &mut line, &shown, &widths, |pos| {
            (header[pos], header_style)
        })?;
        let mut cells: Vec<&str> = Vec::with_capacity(self.columns.len());
        for (text, status) in &self.rows {
            cells.clear();
            cells.extend(text.split(CELL_SEP));
            let status_style = if self.color {
                status_color(*status)
            } else {
                None
            };
            write_line(&mut self.out, &mut line, &shown, &widths, |pos| {
                let (i, field, _) = shown[pos];
                let style = if field == Field::Status {
                    status_style
                } else {
                    None
                };
                (cells.get(i).copied().unwrap_or(MISSING), style)
            })?;
        }
        self.out.flush()
    }
}

/// Bold, for the header on a terminal.
const BOLD: (&str, &str) = ("\u{1b}[1m", "\u{1b}[0m");

/// Writes one table line: each shown column's cell truncated to its width and padded to it
/// (numbers to the right), two spaces between columns, no trailing spaces; a cell with a style
/// is wrapped in its escape codes.
fn write_line<'c>(
    out: &mut dyn Write,
    line: &mut String,
    shown: &[(usize, Field, usize)],
    widths: &[usize],
    cell: impl Fn(usize) -> (&'c str, Option<(&'static str, &'static str)>),
) -> io::Result<()> {
    line.clear();
    for (pos, &(_, field, _)) in shown.iter().enumerate() {
        let width = widths[pos];
        let (text, style) = cell(pos);
        let shown_text = truncate(text, width);
        let pad = width.saturating_sub(display_width(&shown_text));
        if pos > 0 {
            line.push_str(&" ".repeat(GAP));
        }
        if field.is_numeric() {
            line.extend(std::iter::repeat_n(' ', pad));
        }
        match style {
            Some((start, end)) => {
                line.push_str(start);
                line.push_str(&shown_text);
                line.push_str(end);
            }
            None => line.push_str(&shown_text),
        }
        if !field.is_numeric() {
            line.extend(std::iter::repeat_n(' ', pad));
        }
    }
    out.write_all(line.trim_end().as_bytes())?;
    out.write_all(b"\n")
}

/// A borderless comfy-table, styled only when `color`.
pub(crate) fn new_table(color: bool) -> Table {
    let mut table = Table::new();
    table
        .load_style(comfy_table::presets::NOTHING)
        .set_content_arrangement(ContentArrangement::Disabled)
        .force_no_tty();
    if color {
        table.enforce_styling();
    }
    table
}

/// Writes `table` line by line without trailing spaces.
pub(crate) fn write_lines(out: &mut dyn Write, table: &Table) -> io::Result<()> {
    for line in table.lines() {
        out.write_all(line.trim_end().as_bytes())?;
        out.write_all(b"\n")?;
    }
    out.flush()
}

/// Drop order of the default columns (lowest first); `id` and `name` are never dropped.
fn drop_priority(field: Field) -> Option<u8> {
    match field {
        Field::Id | Field::Name => None,
        Field::Provider => Some(90),
        Field::OsFamily => Some(80),
        Field::OsVersion => Some(75),
        Field::Architecture => Some(65),
        Field::Region => Some(60),
        Field::Status => Some(50),
        Field::CreatedAt => Some(40),
        Field::Visibility => Some(30),
        Field::Size => Some(20),
        _ => Some(10),
    }
}

/// The escape codes around a status cell on a terminal.
fn status_color(status: Status) -> Option<(&'static str, &'static str)> {
    const GREEN: (&str, &str) = ("\u{1b}[32m", "\u{1b}[39m");
    const YELLOW: (&str, &str) = ("\u{1b}[33m", "\u{1b}[39m");
    const RED: (&str, &str) = ("\u{1b}[31m", "\u{1b}[39m");
    match status {
        Status::Available => Some(GREEN),
        Status::Creating => Some(YELLOW),
        Status::Unavailable | Status::Error | Status::Deleted => Some(RED),
        Status::Unknown => None,
    }
}

impl<W: Write> TableSink<W> {
    /// Keeps one row (`cells` joined by [`CELL_SEP`]), tracking each column's width and
    /// sameness.
    fn add_row(&mut self, text: &str, status: Status) {
        for (i, cell) in text.split(CELL_SEP).enumerate() {
            if let Some(n) = self.natural.get_mut(i) {
                *n = (*n).max(display_width(cell));
            }
            if self.rows.is_empty() {
                self.first.push(cell.to_string());
            } else if self.constant.get(i) == Some(&true)
                && self.first.get(i).map(String::as_str) != Some(cell)
            {
                self.constant[i] = false;
            }
        }
        self.rows.push((text.into(), status));
    }
}

/// One image's row: its cells' text joined by [`CELL_SEP`].
fn row_text(columns: &[Field], image: &Image) -> String {
    let mut text = String::with_capacity(160);
    for (i, field) in columns.iter().enumerate() {
        if i > 0 {
            text.push(CELL_SEP);
        }
        text.push_str(&field.display(image).replace(CELL_SEP, " "));
    }
    text
}

/// Encodes images as rows, ahead of time (so a listing's waiting targets hold rows, not
/// images): a line per image, its status's index in [`Status::ALL`] then its row text.
struct TableRows(Arc<[Field]>);

impl Encoder for TableRows {
    fn encode(&self, images: &[Image], buf: &mut Vec<u8>) -> io::Result<()> {
        super::encode_batch(images, buf, b"", |image, out| {
            let status = Status::ALL
                .iter()
                .position(|s| *s == image.status)
                .unwrap_or(0);
            out.push(b'0' + status as u8);
            out.extend_from_slice(row_text(&self.0, image).as_bytes());
            out.push(b'\n');
            Ok(())
        })
    }
}

impl<W: Write> Sink for TableSink<W> {
    fn write(&mut self, images: &[Image]) -> io::Result<()> {
        for image in images {
            let text = row_text(&self.columns, image);
            self.add_row(&text, image.status);
        }
        Ok(())
    }

    fn encoder(&self) -> Option<Arc<dyn Encoder>> {
        Some(Arc::new(TableRows(self.columns.clone().into())))
    }

    fn write_encoded(&mut self, bytes: &[u8], _count: usize) -> io::Result<()> {
        let text = std::str::from_utf8(bytes).map_err(io::Error::other)?;
        for line in text.split_terminator('\n') {
            let mut chars = line.chars();
            let status = chars
                .next()
                .and_then(|c| c.to_digit(10))
                .and_then(|i| Status::ALL.get(i as usize).copied())
                .ok_or_else(|| io::Error::other("a table row without its status"))?;
            self.add_row(chars.as_str(), status);
        }
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        if self.finished {
            return Ok(());
        }
        self.finished = true;
        self.render()
    }
}
