//! One adapter per image API, behind a shared registry.

mod id;
pub mod regions;

pub use id::ProviderId;
