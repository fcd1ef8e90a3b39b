//! Where credentials come from, as the official SDKs look for them, and temporary keys that
//! refresh themselves.
//!
//! The chain, highest first: a **flag** (a provider flag stands for a variable), the
//! **environment**, the **imgcat profile** (these three are merged into [`Env`]: settings per
//! variable, a group's credentials as a unit from the highest level that sets any of them; see
//! [`crate::config`] and [`crate::profile`]), then the sources a credential group's
//! [`Chain`] lists, in the official SDK's order: **SDK files** ([`FileSource`]) and **instance
//! metadata** ([`MetadataSource`]). A chain source is asked only when no higher level gave the
//! group's keys; its keys come as a unit, and its other values fill in where nothing higher set
//! them. Every value keeps its [`Origin`] (what `imgcat config show` prints).
//!
//! Metadata hands out temporary keys: they are held by a [`Refresher`], which fetches new ones
//! before they expire (with the SDK's margin), so long runs keep signing with valid keys.
//!
//! Nothing here names a cloud: each cloud's files, sections, keys, metadata paths and answer
//! shapes live in its own folder (`providers/<cloud>/credentials.rs`).
//!
//! [`Env`]: crate::config::Env

mod chain;
mod file;
pub mod ini;
mod keys;
mod metadata;
mod origin;

pub use chain::{Chain, Resolved, Source, resolve};
pub use file::{Candidate, FileSource, Vars, in_home, warn_if_readable_by_others};
pub use keys::{Fetch, KeyPair, Keys, Refresher, TemporaryKeys};
pub use metadata::{
    KeyVars, MetadataAnswer, MetadataClient, MetadataError, MetadataSource, NO_METADATA_VAR,
    PROBE_BUDGET, join, metadata_enabled,
};
pub use origin::Origin;
