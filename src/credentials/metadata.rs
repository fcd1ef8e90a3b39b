//! Instance metadata services: the temporary keys of a cloud instance's role (agency), asked
//! only when no other source gave keys.
//!
//! A laptop has no such service: the first asking of a run (the probe) is bounded by
//! [`PROBE_BUDGET`] in all, every cloud's probe running at once, so a run pays at most that
//! once. Refreshes during a run, once a service answered, use the SDKs' 3 s timeouts.

use std::time::Duration;

use futures::future::BoxFuture;
use url::Url;

use super::keys::TemporaryKeys;
use crate::config::Env;
use crate::sim::service::SimService;

/// Set (to anything but `0`, `false`, `no` or nothing) to never ask instance metadata; the flag
/// `--no-metadata` does the same.
pub const NO_METADATA_VAR: &str = "IMGCAT_NO_METADATA";

/// The longest the first asking of the metadata services may take in a run, all clouds
/// together.
pub const PROBE_BUDGET: Duration = Duration::from_millis(450);

/// Timeout of one metadata request once a service has answered (the SDKs use 3 s).
const REFRESH_TIMEOUT: Duration = Duration::from_secs(3);

/// Whether instance metadata may be asked: not switched off by `--no-metadata` (`flag`) or
/// [`NO_METADATA_VAR`].
pub fn metadata_enabled(env: &Env, flag: bool) -> bool {
    if flag {
        return false;
    }
    match env.get(NO_METADATA_VAR) {
        None => true,
        Some(v) => matches!(v.to_ascii_lowercase().as_str(), "0" | "false" | "no"),
    }
}

/// The variables temporary keys stand for: key id, secret, token.
#[derive(Debug, Clone, Copy)]
pub struct KeyVars {
    /// The access key id variable.
    pub id: &'static str,
    /// The secret key variable.
    pub secret: &'static str,
    /// The token variable.
    pub token: &'static str,
}

/// Why a metadata service gave no keys.
#[derive(Debug, thiserror::Error)]
pub enum MetadataError {
    /// No service answered (connection refused, timeout, DNS): not on such an instance.
    #[error("no answer from {url}: {detail}")]
    Unreachable {
        /// The URL asked.
        url: String,
        /// The cause.
        detail: String,
    },
    /// The service answered that this instance has no keys (no agency / role bound).
    #[error("{url}: {detail}")]
    NoKeys {
        /// The URL asked.
        url: String,
        /// What it said.
        detail: String,
    },
    /// The service answered something imgcat cannot use: an error to report.
    #[error("{url} answered without usable keys: {detail}")]
    Malformed {
        /// The URL asked.
        url: String,
        /// What is wrong.
        detail: String,
    },
}

/// An answer read whole.
#[derive(Debug)]
pub struct MetadataAnswer {
    /// HTTP status.
    pub status: u16,
    /// The body as text (lossy).
    pub body: String,
}

/// The HTTP client of metadata requests: no proxy, no redirects, short timeouts.
#[derive(Debug, Clone)]
pub struct MetadataClient {
    http: reqwest::Client,
    timeout: Duration,
}

impl MetadataClient {
    /// A client whose requests each take at most `timeout`.
    pub fn new(timeout: Duration) -> Self {
        let http = reqwest::Client::builder()
            .no_proxy()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(timeout)
            .timeout(timeout)
            .user_agent(concat!("imgcat/", env!("CARGO_PKG_VERSION")))
            .build()
            .unwrap_or_else(|_| reqwest::Client::new());
        MetadataClient { http, timeout }
    }

    /// The client of refreshes (3 s per request, as the SDKs).
    pub fn for_refresh() -> Self {
        Self::new(REFRESH_TIMEOUT)
    }

    /// Sends `method url` with `headers` and reads the answer; a transport failure is
    /// [`MetadataError::Unreachable`].
    pub async fn send(
        &self,
        method: reqwest::Method,
        url: &Url,
        headers: &[(&str, &str)],
    ) -> Result<MetadataAnswer, MetadataError> {
        let mut req = self.http.request(method.clone(), url.clone());
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let unreachable = |e: reqwest::Error| MetadataError::Unreachable {
            url: url.to_string(),
            detail: if e.is_timeout() {
                format!("timed out after {} ms", self.timeout.as_millis())
            } else if e.is_connect() {
                "connection failed".to_string()
            } else {
                e.without_url().to_string()
            },
        };
        let started = std::time::Instant::now();
        let resp = req.send().await.map_err(unreachable)?;
        let status = resp.status().as_u16();
        let body = resp.bytes().await.map_err(unreachable)?;
        tracing::info!(
            "metadata: {method} {url} -> {status} ({} ms)",
            started.elapsed().as_millis()
        );
        Ok(MetadataAnswer {
            status,
            body: String::from_utf8_lossy(&body).into_owned(),
        })
    }
}

/// A cloud's instance metadata service.
pub trait MetadataSource: Send + Sync {
    /// The variable that replaces the service's URL (`IMGCAT_<CLOUD>_METADATA_ENDPOINT`).
    fn endpoint_var(&self) -> &'static str;

    /// The service's URL on an instance.
    fn default_endpoint(&self) -> &'static str;

    /// How long before expiry the SDK refreshes the keys.
    fn margin(&self) -> Duration;

    /// The variables the keys stand for.
    fn vars(&self) -> KeyVars;

    /// Asks the service at `base` for the instance's temporary keys.
    fn fetch<'a>(
        &'a self,
        client: &'a MetadataClient,
        base: &'a Url,
    ) -> BoxFuture<'a, Result<TemporaryKeys, MetadataError>>;

    /// The simulator's twin of the service (`imgcat sim serve` serves it).
    fn sim_service(&self) -> &'static dyn SimService;
}

/// `base` with `path` (absolute) as its path.
pub fn join(base: &Url, path: &str) -> Url {
    let mut u = base.clone();
    let prefix = u.path().trim_end_matches('/').to_string();
    u.set_path(&format!("{prefix}{path}"));
    u
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_switch_reads_as_documented() {
        let env = |v: &str| Env::from_pairs([(NO_METADATA_VAR, v)]);
        assert!(metadata_enabled(&Env::default(), false));
        assert!(!metadata_enabled(&Env::default(), true), "the flag");
        for off in ["1", "true", "yes", "on"] {
            assert!(!metadata_enabled(&env(off), false), "{off}");
        }
        for on in ["0", "false", "NO", ""] {
            assert!(metadata_enabled(&env(on), false), "{on:?}");
        }
    }

    #[test]
    fn paths_join_under_the_base() {
        let b = |s: &str| Url::parse(s).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            join(&b("http://169.254.169.254"), "/latest/keys").as_str(),
            "http://169.254.169.254/latest/keys"
        );
        assert_eq!(
            join(&b("http://127.0.0.1:8080/md/"), "/latest/x").as_str(),
            "http://127.0.0.1:8080/md/latest/x"
        );
    }

    #[test]
    fn a_closed_port_is_unreachable() {
        let listener =
            std::net::TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("bind: {e}"));
        let port = listener
            .local_addr()
            .unwrap_or_else(|e| panic!("addr: {e}"))
            .port();
        drop(listener);
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap_or_else(|e| panic!("runtime: {e}"));
        let url =
            Url::parse(&format!("http://127.0.0.1:{port}/x")).unwrap_or_else(|e| panic!("{e}"));
        let got =
            rt.block_on(MetadataClient::new(PROBE_BUDGET).send(reqwest::Method::GET, &url, &[]));
        assert!(
            matches!(&got, Err(MetadataError::Unreachable { detail, .. }) if detail == "connection failed"),
            "{got:?}"
        );
    }

    #[test]
    fn a_silent_server_is_unreachable_after_the_timeout() {
        // Accepts, never answers.
        let listener =
            std::net::TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("bind: {e}"));
        let addr = listener
            .local_addr()
            .unwrap_or_else(|e| panic!("addr: {e}"));
        let keep = std::thread::spawn(move || {
            let conn = listener.accept();
            std::thread::sleep(Duration::from_millis(1500));
            drop(conn);
        });
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap_or_else(|e| panic!("runtime: {e}"));
        let url = Url::parse(&format!("http://{addr}/x")).unwrap_or_else(|e| panic!("{e}"));
        let got = rt.block_on(MetadataClient::new(Duration::from_millis(200)).send(
            reqwest::Method::GET,
            &url,
            &[],
        ));
        // The server holds the connection far longer: only the timeout can have ended it.
        assert!(
            matches!(&got, Err(MetadataError::Unreachable { detail, .. }) if detail.contains("timed out")),
            "{got:?}"
        );
        let _ = keep.join();
    }
}
