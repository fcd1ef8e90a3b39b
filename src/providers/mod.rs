//! THE registry: one entry per provider, in output order. Every generic place (configuration,
//! profiles, the command line, the simulator, test helpers, the benchmark) iterates
//! [`REGISTRY`]; this is the only generic file that names a cloud.
//!
//! A cloud is one folder (`huawei/`, `tencent/`, `zenlayer/`) holding its adapters, signers,
//! credential keys, regions and simulator; each provider in it is a static implementing
//! [`Provider`]. Adding one is a folder and a line here (`docs/ADDING_A_PROVIDER.md`).

mod adapter;
pub mod decode;
mod id;
mod provider;
pub mod raw;

pub mod huawei;
pub mod tencent;
pub mod zenlayer;

use std::sync::Arc;

pub use adapter::{Adapter, after};
pub use id::ProviderId;
pub use provider::{
    About, CredentialGroup, CredentialKey, Provider, ProviderFlag, RegionPolicy, Setup,
    SharedClients, SimKey, or_default,
};

use crate::config;
use crate::error::Result;

/// Every provider, in the order listings are printed.
pub static REGISTRY: &[&dyn Provider] = &[
    &huawei::IMS,
    &huawei::WORKSPACE,
    &huawei::CPH,
    &tencent::API3,
    &tencent::LEGACY,
    &zenlayer::ZENLAYER,
];

/// The distinct credential groups of the registry, in registry order.
pub fn credential_groups() -> Vec<&'static CredentialGroup> {
    let mut out: Vec<&'static CredentialGroup> = Vec::new();
    for p in REGISTRY {
        let g = p.credentials();
        if !out.iter().any(|o| o.table == g.table) {
            out.push(g);
        }
    }
    out
}

/// Every provider-specific flag of the registry (each once).
pub fn flags() -> Vec<&'static ProviderFlag> {
    let mut out: Vec<&'static ProviderFlag> = Vec::new();
    for p in REGISTRY {
        for f in p.flags() {
            if !out.iter().any(|o| o.long == f.long) {
                out.push(f);
            }
        }
    }
    out
}

/// Registers with the masker ([`crate::secret::register`]) every secret value `env` holds for
/// any credential group of the registry (the keys marked secret: secret keys, passwords,
/// tokens), whichever source gave it: a server that quotes the request back (or anything else)
/// must not get one printed, even a value of a group that is not used this run.
pub fn register_secrets(env: &config::Env) {
    for group in credential_groups() {
        for key in group.keys.iter().filter(|k| k.secret) {
            if let Some(v) = env.get(key.env) {
                crate::secret::register(v);
            }
        }
    }
}

/// Builds the adapters for `providers`, sharing clients where providers share one. Every
/// secret of the environment is registered with the masker first ([`register_secrets`]).
pub fn build(providers: &[ProviderId], setup: &Setup) -> Result<Vec<Arc<dyn Adapter>>> {
    register_secrets(&setup.env);
    let mut shared = SharedClients::default();
    let mut out: Vec<Arc<dyn Adapter>> = Vec::with_capacity(providers.len());
    for &p in providers {
        check_header_safe(p, &setup.env)?;
        let endpoint = config::endpoint_override(p, &setup.env, setup.endpoint.as_deref())?;
        if let Some(url) = &endpoint
            && config::is_insecure_remote(url)
        {
            tracing::warn!("{p}: {url} is plain http to a host that is not loopback");
        }
        out.push(p.provider().adapter(setup, endpoint, &mut shared)?);
    }
    Ok(out)
}

/// Every credential value of `p`'s group goes into a header or a signed string: a byte that
/// cannot (non-ASCII, a newline, another control character) is a configuration error naming the
/// variable - never its value - instead of a 401 or a request that cannot be built.
fn check_header_safe(p: ProviderId, env: &config::Env) -> Result<()> {
    for key in p.provider().credentials().keys {
        if let Some(v) = env.get(key.env)
            && !v.bytes().all(|b| (0x20..0x7f).contains(&b))
        {
            return Err(crate::error::Error::Config(format!(
                "{p}: {} holds a character that cannot go in an HTTP header (non-ASCII or a control character such as a newline); check its value",
                key.env
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entry_describes_itself_consistently() {
        for p in REGISTRY {
            let id = p.id();
            assert_eq!(p.about().id, id);
            let regions = p.regions();
            assert!(!regions.known.is_empty(), "{id}");
            assert!(regions.accepts(regions.known[0]), "{id}");
            assert!(regions.accepts(p.sim_region()), "{id}");
            let mut sorted = regions.known.to_vec();
            sorted.sort_unstable();
            sorted.dedup();
            assert_eq!(sorted.len(), regions.known.len(), "{id} has duplicates");
            let g = p.credentials();
            assert!(g.key(g.region_var).is_some(), "{id}: region var");
            assert!(
                g.key(g.region_var).is_some_and(|k| !k.credential),
                "{id}: the region is a setting, not a credential"
            );
            assert!(g.credential_vars().next().is_some(), "{id}: no credential");
            for k in g.keys.iter().filter(|k| k.secret) {
                assert!(k.credential, "{id}: secret {} is not a credential", k.env);
            }
            if let Some(chain) = g.chain {
                for v in chain.key_vars {
                    assert!(
                        g.key(v).is_some_and(|k| k.credential),
                        "{id}: chain key {v} is not a credential"
                    );
                }
            }
            for f in p.flags() {
                assert!(g.key(f.env).is_some(), "{id}: --{} var", f.long);
            }
            let names: Vec<&str> = p.sim_service().apis().iter().map(|a| a.name).collect();
            assert!(!names.is_empty(), "{id}");
        }
        assert!(credential_groups().len() <= REGISTRY.len());
    }
}
