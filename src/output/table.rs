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

use comfy_table::{Attribute, Cell, CellAlignment, Color, ContentArrangement, Table};

use super::Sink;
use super::fields::Field;
use super::fit::{ColumnFit, display_width, fit, truncate};
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
pub struct TableSink<W: Write> {
    out: W,
    columns: Vec<Field>,
    droppable: bool,
    width: Option<usize>,
    color: bool,
    rows: Vec<(Vec<String>, Status)>,
    finished: bool,
}

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
        TableSink {
            out,
            columns,
            droppable,
            width: if wide { None } else { width.map(usize::from) },
            color,
            rows: Vec::new(),
            finished: false,
        }
    }

    /// The width of each column, `None` where dropped.
    fn layout(&self) -> Vec<Option<usize>> {
        let natural = |i: usize| {
            self.rows
                .iter()
                .map(|(cells, _)| display_width(&cells[i]))
                .chain([display_width(self.columns[i].header())])
                .max()
                .unwrap_or(0)
        };
        let Some(width) = self.width else {
            return (0..self.columns.len()).map(|i| Some(natural(i))).collect();
        };
        let fits: Vec<ColumnFit> = self
            .columns
            .iter()
            .enumerate()
            .map(|(i, field)| {
                let natural = natural(i);
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
                    constant: self.rows.len() > 1
                        && self
                            .rows
                            .iter()
                            .all(|(cells, _)| cells[i] == self.rows[0].0[i]),
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

        let mut table = new_table(self.color);
        table.set_header(shown.iter().map(|&(_, field, w)| {
            let cell = Cell::new(truncate(field.header(), w));
            if self.color {
                cell.add_attribute(Attribute::Bold)
            } else {
                cell
            }
        }));
        for (cells, status) in &self.rows {
            table.add_row(shown.iter().map(|&(i, field, w)| {
                let cell = Cell::new(truncate(&cells[i], w));
                match status_color(*status) {
                    Some(color) if self.color && field == Field::Status => cell.fg(color),
                    _ => cell,
                }
            }));
        }
        for (pos, &(_, field, _)) in shown.iter().enumerate() {
            if let Some(column) = table.column_mut(pos) {
                let last = pos + 1 == shown.len();
                column.set_padding((0, if last { 0 } else { GAP as u16 }));
                if field.is_numeric() {
                    column.set_cell_alignment(CellAlignment::Right);
                }
            }
        }
        write_lines(&mut self.out, &table)
    }
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

fn status_color(status: Status) -> Option<Color> {
    match status {
        Status::Available => Some(Color::Green),
        Status::Creating => Some(Color::Yellow),
        Status::Unavailable | Status::Error | Status::Deleted => Some(Color::Red),
        Status::Unknown => None,
    }
}

impl<W: Write> Sink for TableSink<W> {
    fn write(&mut self, images: &[Image]) -> io::Result<()> {
        for image in images {
            let cells = self.columns.iter().map(|f| f.display(image)).collect();
            self.rows.push((cells, image.status));
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
