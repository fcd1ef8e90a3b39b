//! `imgcat sim serve`.

use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use super::SimServeArgs;
use crate::error::{Error, Result, exit};
use crate::sim::{self, SimConfig, SimCredentials};

/// Serves the simulator until Ctrl-C.
pub async fn serve(args: &SimServeArgs) -> Result<i32> {
    let config = SimConfig::new(args.images as usize)
        .latency(Duration::from_millis(args.latency_ms))
        .metadata_ttl(Duration::from_secs(args.metadata_ttl))
        .credentials(SimCredentials::from_env())
        .parse_faults(&args.faults)
        .map_err(|e| Error::Usage(format!("sim serve: --fault: {e}")))?
        .parse_appear(&args.appear)
        .map_err(|e| Error::Usage(format!("sim serve: --appear: {e}")))?
        .rate_limits(!args.no_rate_limit);
    let config = args
        .no_project
        .iter()
        .fold(config, |c, r| c.no_project(r.clone()));
    let handle = sim::start(config, SocketAddr::from((Ipv4Addr::LOCALHOST, args.port)))
        .await
        .map_err(|e| Error::Config(format!("sim: cannot start on 127.0.0.1:{}: {e}", args.port)))?;
    let ids: Vec<&str> = crate::providers::ProviderId::all()
        .map(|p| p.as_str())
        .collect();
    eprintln!(
        "imgcat sim: serving {} and their discovery APIs on {} ({} images per provider); Ctrl-C stops",
        ids.join(", "),
        handle.base_url(),
        args.images
    );
    tokio::signal::ctrl_c()
        .await
        .map_err(|e| Error::Config(format!("sim: cannot wait for Ctrl-C: {e}")))?;
    Ok(exit::OK)
}
