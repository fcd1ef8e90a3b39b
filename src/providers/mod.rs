//! One adapter per image API, behind a shared registry.

mod id;

pub use id::ProviderId;
