//! `imgcat sim serve`.

use std::io::Write;
use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use super::SimServeArgs;
use crate::error::{Error, Result, exit};
use crate::providers::SimKey;
use crate::sim::{self, SimConfig, SimCredentials};

/// Serves the simulator until Ctrl-C. The banner goes to stderr: its first line names the
/// address, the next ones the credentials the simulator accepts. A banner that cannot be
/// written ends the command (exit 5): nobody would know where it serves.
pub async fn serve(args: &SimServeArgs) -> Result<i32> {
    super::usage::sim_serve(args)?;
    let credentials = SimCredentials::from_env();
    let config = SimConfig::new(args.images as usize)
        .latency(Duration::from_millis(args.latency_ms))
        .metadata_ttl(Duration::from_secs(args.metadata_ttl))
        .credentials(credentials.clone())
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
    let text = banner(&handle.base_url(), args.images, &credentials);
    let mut err = std::io::stderr().lock();
    err.write_all(text.as_bytes())
        .and_then(|()| err.flush())
        .map_err(Error::Output)?;
    drop(err);
    tokio::signal::ctrl_c()
        .await
        .map_err(|e| Error::Config(format!("sim: cannot wait for Ctrl-C: {e}")))?;
    Ok(exit::OK)
}

/// The startup banner: where the simulator serves, then each credential it accepts. Demo
/// values are printed (they are fake, fixed, and in the README); a value taken from the
/// environment instead is not (it may be a real key set in that shell).
pub fn banner(url: &str, images: u32, credentials: &SimCredentials) -> String {
    let ids: Vec<&str> = crate::providers::ProviderId::all()
        .map(|p| p.as_str())
        .collect();
    let mut text = format!(
        "imgcat sim: serving {} and their discovery APIs on {url} ({images} images per provider); Ctrl-C stops\n",
        ids.join(", ")
    );
    text.push_str(
        "imgcat sim: it accepts these credentials (fake demo values, the same every run):\n",
    );
    let mut urls = vec![format!(
        "IMGCAT_ENDPOINT_<ID>={url} for each provider (e.g. IMGCAT_ENDPOINT_HUAWEI_IMS)"
    )];
    for group in crate::providers::credential_groups() {
        for key in group.keys {
            let (demo, note) = match key.sim {
                SimKey::Demo(demo) => (demo, ""),
                SimKey::Accepted(demo) => (demo, " (instead of the keys)"),
                SimKey::Optional => {
                    if credentials.get(key.env).is_some() {
                        text.push_str(&format!(
                            "  {}: required as set in the environment (not shown)\n",
                            key.env
                        ));
                    }
                    continue;
                }
                SimKey::SimUrl => {
                    urls.push(format!("{}={url}", key.env));
                    continue;
                }
                SimKey::PassThrough | SimKey::Ignored => continue,
            };
            match credentials.get(key.env) {
                Some(v) if v == demo => text.push_str(&format!("  {}={demo}{note}\n", key.env)),
                Some(_) => text.push_str(&format!(
                    "  {}: set in the environment (not shown){note}\n",
                    key.env
                )),
                None => {}
            }
        }
    }
    text.push_str(&format!(
        "imgcat sim: point imgcat at it with {}; or --endpoint {url}\n",
        urls.join(", ")
    ));
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_banner_shows_demo_values_and_hides_others() {
        let demo = banner("http://127.0.0.1:1", 5, &SimCredentials::demo());
        assert!(
            demo.lines()
                .next()
                .is_some_and(|l| l.contains("http://127.0.0.1:1"))
        );
        for group in crate::providers::credential_groups() {
            for key in group.keys {
                if let SimKey::Demo(v) | SimKey::Accepted(v) = key.sim {
                    assert!(demo.contains(&format!("{}={v}", key.env)), "{demo}");
                }
            }
        }
        let mine = SimCredentials::from_lookup(|k| {
            (k == "HUAWEICLOUD_SDK_SK").then(|| "my-real-secret-value".to_string())
        });
        let text = banner("http://127.0.0.1:1", 5, &mine);
        assert!(!text.contains("my-real-secret-value"), "{text}");
        assert!(text.contains("HUAWEICLOUD_SDK_SK: set in the environment (not shown)"));
    }
}
