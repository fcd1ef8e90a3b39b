//! `--query` over a listing: the images are collected as the JSON document `-o json` would print
//! (the array, with `--columns` the objects of those fields), and at the end the expression's
//! result on it is printed in the `--output` format. Nothing is printed before the listing is
//! complete.

use std::io::{self, Write};
use std::sync::Arc;

use super::fields::Field;
use super::json::JsonSink;
use super::{Encoder, Format, Sink, render_value};
use crate::json_query::{JsonQuery, QueryError};
use crate::model::Image;

/// Collects a listing's JSON document and prints a query's result on it at [`Sink::finish`].
pub struct QuerySink<'a> {
    document: JsonSink<Vec<u8>>,
    query: JsonQuery,
    format: Format,
    out: Box<dyn Write + 'a>,
    finished: bool,
}

impl<'a> QuerySink<'a> {
    /// Prints `query`'s result in `format` to `out`; the document holds whole images, or only
    /// `columns`.
    pub fn new(
        query: JsonQuery,
        format: Format,
        out: Box<dyn Write + 'a>,
        columns: Option<Vec<Field>>,
    ) -> Self {
        QuerySink {
            document: JsonSink::new(Vec::new(), columns),
            query,
            format,
            out,
            finished: false,
        }
    }
}

/// An I/O error carrying a [`QueryError`]: how [`Sink::finish`] reports an expression that fails
/// on the document (the caller turns it back into a usage error, see
/// [`crate::error::Error`]'s `From<io::Error>`).
pub fn query_failed(e: QueryError) -> io::Error {
    io::Error::other(e)
}

impl Sink for QuerySink<'_> {
    fn write(&mut self, images: &[Image]) -> io::Result<()> {
        self.document.write(images)
    }

    fn encoder(&self) -> Option<Arc<dyn Encoder>> {
        self.document.encoder()
    }

    fn write_encoded(&mut self, bytes: &[u8], count: usize) -> io::Result<()> {
        self.document.write_encoded(bytes, count)
    }

    fn finish(&mut self) -> io::Result<()> {
        if self.finished {
            return Ok(());
        }
        self.finished = true;
        self.document.finish()?;
        let result = self
            .query
            .apply(self.document.get_ref())
            .map_err(query_failed)?;
        render_value(self.format, &result, &mut self.out)
    }
}
