//! imgcat: list the machine images of several clouds through one interface.
//!
//! See `README.md` for the command line; this crate's modules follow the data flow:
//! [`cli`] parses, [`config`] resolves credentials and endpoints, [`providers`] hold one adapter
//! per API (built from [`sign`] and [`http`]), [`query`] filters, [`listing`] fans out and
//! merges, [`output`] renders, and [`sim`] simulates all five APIs offline.

pub mod cli;
pub mod config;
pub mod credentials;
pub mod diff;
pub mod error;
pub mod http;
pub mod json_query;
pub mod listing;
pub mod model;
pub mod normalize;
pub mod output;
pub mod profile;
pub mod providers;
pub mod query;
pub mod secret;
pub mod sign;
pub mod sim;
pub mod spool;
pub mod suggest;
