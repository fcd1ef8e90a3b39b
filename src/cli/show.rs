//! `imgcat show`.

use std::io::Write;
use std::sync::Arc;

use super::runtime;
use super::{GlobalArgs, ShowArgs};
use crate::error::{Result, exit};
use crate::listing::{self, Delivery};
use crate::output;
use crate::query::ImageQuery;

/// Runs `imgcat show`: the first image with that id, in target order.
pub async fn run(global: &GlobalArgs, args: &ShowArgs) -> Result<i32> {
    let expression = super::list::compile_query(args.query.as_deref())?;
    let plan = runtime::plan(global, &args.target).await?;
    let query = Arc::new(ImageQuery {
        id: Some(args.id.clone()),
        ..ImageQuery::default()
    });
    let mut found = Vec::new();
    let outcome = listing::run(plan.jobs, query, Delivery::Collect(&mut found), None).await;
    if let Some(img) = found.first() {
        let mut out = std::io::stdout().lock();
        match &expression {
            Some(expression) => {
                let document = serde_json::to_vec(img).map_err(std::io::Error::other)?;
                let result = expression
                    .apply(&document)
                    .map_err(|e| crate::error::Error::Usage(e.to_string()))?;
                output::render_value(args.output, &result, &mut out)?;
            }
            None => output::render_one(args.output, img, &mut out)?,
        }
        out.flush()?;
        // Found is found, even if another target failed: say so on stderr.
        for e in &outcome.failures {
            eprintln!("imgcat: warning: {e}");
        }
        return Ok(exit::OK);
    }
    if !outcome.failures.is_empty() {
        return Ok(super::list::report(&outcome));
    }
    eprintln!("imgcat: no image with id '{}'", args.id);
    Ok(exit::NOT_FOUND)
}
