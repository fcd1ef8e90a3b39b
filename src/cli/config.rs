//! `imgcat config show`.

use super::{FormatArgs, GlobalArgs};
use crate::error::{Result, exit};

/// Prints the effective configuration, secrets masked.
pub fn show(global: &GlobalArgs, args: &FormatArgs) -> Result<i32> {
    let _ = (global, args);
    Ok(exit::OK)
}
