//! `imgcat show`.

use std::io::Write;
use std::sync::Arc;

use super::runtime;
use super::{GlobalArgs, ShowArgs};
use crate::error::{Error, Result, exit};
use crate::listing::{self, Delivery};
use crate::output;
use crate::query::ImageQuery;

/// Runs `imgcat show`: the first image with that id, in target order; or, with `--latest`, the
/// newest image matching the filters in the one target given.
pub async fn run(global: &GlobalArgs, args: &ShowArgs) -> Result<i32> {
    super::usage::show(args)?;
    let expression = super::list::compile_query(args.query.as_deref())?;
    let plan = runtime::plan(global, &args.target).await?;
    let mut query = super::list::query(&args.filter);
    if let Some(id) = &args.id {
        // An image named by its id is shown even when deprecated.
        query = ImageQuery {
            id: Some(id.clone()),
            include_deprecated: true,
            ..query
        };
    }
    let query = Arc::new(query);
    if args.latest {
        if plan.jobs.len() != 1 {
            return Err(Error::Usage(format!(
                "show --latest shows one image: give one provider and one region (this selects {} targets); `imgcat list --latest` lists the newest of each",
                plan.jobs.len()
            )));
        }
        let mut summaries = Vec::new();
        let outcome =
            listing::run(plan.jobs, query, Delivery::Summaries(&mut summaries), None).await;
        if !outcome.failures.is_empty() {
            return Ok(super::list::report(&outcome));
        }
        let matched = summaries.iter().any(|s| s.matches > 0);
        let picks = super::list::picks(summaries);
        return match picks.first() {
            Some(img) => {
                let mut out = std::io::stdout().lock();
                output::render_one(args.output, img, &mut out)?;
                out.flush()?;
                Ok(exit::OK)
            }
            None => {
                // Matches without a creation time got their warning from `picks`.
                if !matched {
                    super::say(format_args!("imgcat: no image matches"));
                }
                Ok(exit::NOT_FOUND)
            }
        };
    }
    let id = args.id.clone().unwrap_or_default();
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
            super::say(format_args!("imgcat: warning: {e}"));
        }
        return Ok(exit::OK);
    }
    if !outcome.failures.is_empty() {
        return Ok(super::list::report(&outcome));
    }
    super::say(format_args!("imgcat: no image with id '{id}'"));
    Ok(exit::NOT_FOUND)
}
