//! A credential group's chain beyond the environment: its SDK files and its metadata service,
//! in the official SDK's order, and the resolution of a run's credentials.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::Utc;
use futures::future::BoxFuture;
use url::Url;

use super::file::{self, FileSource, Vars};
use super::keys::{Fetch, KeyPair, Keys, Refresher, TemporaryKeys};
use super::metadata::{MetadataClient, MetadataError, MetadataSource, PROBE_BUDGET};
use super::origin::Origin;
use crate::config::{Env, parse_endpoint};
use crate::error::{Error, Result};
use crate::providers::CredentialGroup;

/// One place a chain looks, after the flag, environment and profile levels.
#[derive(Clone, Copy)]
pub enum Source {
    /// An official SDK's (or CLI's) credentials file.
    File(&'static dyn FileSource),
    /// The instance metadata service (asked last, and only when it is not switched off).
    Metadata(&'static dyn MetadataSource),
}

impl std::fmt::Debug for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Source::File(_) => f.write_str("File"),
            Source::Metadata(m) => write!(f, "Metadata({})", m.default_endpoint()),
        }
    }
}

/// Where a credential group's keys come from when the flag, environment and profile levels
/// (merged into the [`Env`]) give none.
#[derive(Debug)]
pub struct Chain {
    /// Whether the [`Env`] holds the group's keys (or part of them: an incomplete set is the
    /// group's own error, not a reason to look elsewhere).
    pub has_keys: fn(&Env) -> bool,
    /// The variables a source's keys are: set together (a token the source does not give is
    /// cleared); the source's other values only fill in where nothing higher set them.
    pub key_vars: &'static [&'static str],
    /// The sources, in the SDK's order; the first that has keys wins.
    pub sources: &'static [Source],
}

impl Chain {
    /// The variables the chain's sources read to find themselves (credentials file, profile
    /// and metadata endpoint variables), for `config show`.
    pub fn variables(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        for s in self.sources {
            match s {
                Source::File(f) => out.extend_from_slice(f.variables()),
                Source::Metadata(m) => out.push(m.endpoint_var()),
            }
        }
        out
    }

    /// The metadata service of the chain, if it has one.
    pub fn metadata(&self) -> Option<&'static dyn MetadataSource> {
        self.sources.iter().find_map(|s| match s {
            Source::Metadata(m) => Some(*m),
            Source::File(_) => None,
        })
    }
}

/// What resolution found beyond the [`Env`]: the temporary keys of metadata services, by
/// credential group (profile table name).
#[derive(Debug, Clone, Default)]
pub struct Resolved {
    refreshers: Arc<HashMap<&'static str, Arc<Refresher>>>,
}

impl Resolved {
    /// The holder of group `table`'s temporary keys, when metadata gave them.
    pub fn refresher(&self, table: &str) -> Option<Arc<Refresher>> {
        self.refreshers.get(table).cloned()
    }

    /// The keys group `table` signs with: its metadata keys (refreshed) when metadata gave
    /// them, else `fixed` (what the [`Env`] holds).
    pub fn keys(&self, table: &str, fixed: KeyPair) -> Keys {
        match self.refresher(table) {
            Some(r) => Keys::Refreshing(r),
            None => Keys::fixed(fixed),
        }
    }
}

/// Applies a source's values: its keys together, the rest where nothing higher set them.
fn apply(env: &mut Env, chain: &Chain, vars: &Vars, origin: &str) {
    for var in chain.key_vars {
        if !vars.iter().any(|(k, _)| k == var) {
            env.set(var, "", origin);
        }
    }
    for (k, v) in vars {
        if chain.key_vars.contains(&k.as_str()) {
            env.set(k, v, origin);
        } else {
            env.fill_from(&[(k.clone(), v.clone())], origin);
        }
    }
}

/// The metadata service's URL: its variable, else its default.
fn endpoint(table: &str, m: &dyn MetadataSource, env: &Env) -> Result<Url> {
    let var = m.endpoint_var();
    let (value, from) = match env.get(var) {
        Some(v) => (v, var),
        None => (m.default_endpoint(), "default"),
    };
    parse_endpoint(value).map_err(|e| Error::Usage(format!("{table}: {from}: {e}")))
}

/// Asks a metadata service again, for a [`Refresher`].
struct Again {
    source: &'static dyn MetadataSource,
    base: Url,
    client: MetadataClient,
}

impl Fetch for Again {
    fn fetch(&self) -> BoxFuture<'_, Result<TemporaryKeys>> {
        Box::pin(async move {
            self.source
                .fetch(&self.client, &self.base)
                .await
                .map_err(|e| Error::Config(e.to_string()))
        })
    }

    fn describe(&self) -> String {
        Origin::Metadata(self.base.as_str().trim_end_matches('/').to_string()).to_string()
    }
}

/// Resolves the chains of `groups` into `env`: for each group whose keys the flag, environment
/// and profile levels did not give, its SDK files (the first that exists), then, when
/// `metadata` is on, its metadata service. The metadata services of all groups are asked at
/// once, within [`PROBE_BUDGET`] in all; one that does not answer (or says the instance has no
/// keys) leaves its group unconfigured, one that answers without usable keys is an error.
pub async fn resolve(
    env: &mut Env,
    groups: &[&'static CredentialGroup],
    metadata: bool,
) -> Result<Resolved> {
    let mut asked: Vec<&'static str> = Vec::new();
    let mut probes: Vec<(
        &'static CredentialGroup,
        &'static Chain,
        &'static dyn MetadataSource,
        Url,
    )> = Vec::new();
    for g in groups {
        if asked.contains(&g.table) {
            continue;
        }
        asked.push(g.table);
        let Some(chain) = g.chain else { continue };
        if (chain.has_keys)(env) {
            continue;
        }
        for source in chain.sources {
            match source {
                Source::File(f) => {
                    if let Some((path, vars)) = file::load(g.table, *f, env)? {
                        apply(env, chain, &vars, &Origin::File(path).to_string());
                        break;
                    }
                }
                Source::Metadata(m) => {
                    if metadata {
                        probes.push((g, chain, *m, endpoint(g.table, *m, env)?));
                    }
                    break;
                }
            }
        }
    }
    let mut refreshers: HashMap<&'static str, Arc<Refresher>> = HashMap::new();
    if probes.is_empty() {
        return Ok(Resolved::default());
    }
    let client = MetadataClient::new(PROBE_BUDGET);
    let answers = futures::future::join_all(probes.iter().map(|(_, _, m, base)| {
        let client = &client;
        async move {
            let fetched_at = Utc::now();
            let got = match tokio::time::timeout(PROBE_BUDGET, m.fetch(client, base)).await {
                Ok(got) => got,
                Err(_) => Err(MetadataError::Unreachable {
                    url: base.to_string(),
                    detail: format!("no keys within {} ms", PROBE_BUDGET.as_millis()),
                }),
            };
            (fetched_at, got)
        }
    }))
    .await;
    for ((g, chain, m, base), (fetched_at, got)) in probes.into_iter().zip(answers) {
        match got {
            Ok(keys) => {
                let base_text = base.as_str().trim_end_matches('/').to_string();
                let origin = format!(
                    "{} (temporary, until {})",
                    Origin::Metadata(base_text),
                    keys.expires_at
                        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
                );
                let vars = m.vars();
                let mut given: Vars = vec![
                    (vars.id.to_string(), keys.keys.id.clone()),
                    (
                        vars.secret.to_string(),
                        keys.keys.secret.expose().to_string(),
                    ),
                ];
                if let Some(t) = &keys.keys.token {
                    given.push((vars.token.to_string(), t.expose().to_string()));
                }
                apply(env, chain, &given, &origin);
                tracing::info!(
                    "{}: temporary keys from instance metadata at {base}",
                    g.table
                );
                let again = Again {
                    source: m,
                    base,
                    client: MetadataClient::for_refresh(),
                };
                refreshers.insert(
                    g.table,
                    Arc::new(Refresher::new(
                        keys,
                        fetched_at,
                        Box::new(again),
                        m.margin(),
                    )),
                );
            }
            Err(e @ MetadataError::Unreachable { .. }) => {
                tracing::debug!("{}: no instance metadata: {e}", g.table);
            }
            Err(e @ MetadataError::NoKeys { .. }) => {
                tracing::info!("{}: instance metadata gave no keys: {e}", g.table);
            }
            Err(e @ MetadataError::Malformed { .. }) => {
                return Err(Error::Config(format!(
                    "{}: instance metadata {e}; set the keys another way, or switch metadata off with --no-metadata",
                    g.table
                )));
            }
        }
    }
    Ok(Resolved {
        refreshers: Arc::new(refreshers),
    })
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::sync::atomic::{AtomicU32, Ordering};

    use super::*;
    use crate::credentials::{Candidate, KeyVars};
    use crate::secret::Secret;

    /// A file named by `T_FILE`, of `VAR=value` lines.
    struct LinesFile;
    impl FileSource for LinesFile {
        fn candidates(&self, env: &Env) -> Vec<Candidate> {
            env.get("T_FILE")
                .map(|p| Candidate::default_at(p.into()))
                .into_iter()
                .collect()
        }
        fn read(&self, _p: &Path, text: &str, _env: &Env) -> std::result::Result<Vars, String> {
            text.lines()
                .map(|l| {
                    l.split_once('=')
                        .map(|(k, v)| (k.to_string(), v.to_string()))
                        .ok_or_else(|| format!("bad line {l:?}"))
                })
                .collect()
        }
    }

    static ASKED: AtomicU32 = AtomicU32::new(0);

    /// A metadata service at `T_MD`: `/keys` answers `id secret token` (one line).
    struct LineMetadata;
    impl MetadataSource for LineMetadata {
        fn endpoint_var(&self) -> &'static str {
            "T_MD"
        }
        fn default_endpoint(&self) -> &'static str {
            "http://127.0.0.1:9"
        }
        fn margin(&self) -> std::time::Duration {
            std::time::Duration::from_secs(300)
        }
        fn vars(&self) -> KeyVars {
            KeyVars {
                id: "T_ID",
                secret: "T_SECRET",
                token: "T_TOKEN",
            }
        }
        fn fetch<'a>(
            &'a self,
            client: &'a MetadataClient,
            base: &'a Url,
        ) -> BoxFuture<'a, std::result::Result<TemporaryKeys, MetadataError>> {
            Box::pin(async move {
                ASKED.fetch_add(1, Ordering::SeqCst);
                let url = super::super::metadata::join(base, "/keys");
                let a = client.send(reqwest::Method::GET, &url, &[]).await?;
                let parts: Vec<&str> = a.body.split_whitespace().collect();
                match parts.as_slice() {
                    [id, secret, token] => Ok(TemporaryKeys {
                        keys: KeyPair {
                            id: id.to_string(),
                            secret: Secret::new(*secret),
                            token: Some(Secret::new(*token)),
                        },
                        expires_at: Utc::now() + chrono::Duration::hours(1),
                    }),
                    _ => Err(MetadataError::Malformed {
                        url: url.to_string(),
                        detail: "not three words".into(),
                    }),
                }
            })
        }
        fn sim_service(&self) -> &'static dyn crate::sim::service::SimService {
            crate::sim::services()[0]
        }
    }

    fn has_keys(env: &Env) -> bool {
        env.get("T_ID").is_some() || env.get("T_SECRET").is_some()
    }

    static CHAIN: Chain = Chain {
        has_keys,
        key_vars: &["T_ID", "T_SECRET", "T_TOKEN"],
        sources: &[Source::File(&LinesFile), Source::Metadata(&LineMetadata)],
    };

    static GROUP: CredentialGroup = CredentialGroup {
        table: "test",
        keys: &[],
        hint: "T_ID and T_SECRET",
        region_var: "T_REGION",
        chain: Some(&CHAIN),
    };

    /// A loopback server answering `/keys` with `body`; its URL.
    fn serve(rt: &tokio::runtime::Runtime, body: &'static str) -> String {
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .unwrap_or_else(|e| panic!("bind: {e}"));
            let addr = listener
                .local_addr()
                .unwrap_or_else(|e| panic!("addr: {e}"));
            let app =
                axum::Router::new().route("/keys", axum::routing::get(move || async move { body }));
            tokio::spawn(async move {
                let _ = axum::serve(listener, app).await;
            });
            format!("http://{addr}")
        })
    }

    fn rt() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap_or_else(|e| panic!("runtime: {e}"))
    }

    fn run(rt: &tokio::runtime::Runtime, env: &mut Env, metadata: bool) -> Result<Resolved> {
        rt.block_on(resolve(env, &[&GROUP], metadata))
    }

    // Every test here counts metadata askings; they run one at a time.
    static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

    #[test]
    fn keys_in_the_environment_stop_the_chain() {
        let _one = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
        let rt = rt();
        let md = serve(&rt, "MDID md-secret md-token");
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let file = dir.path().join("f");
        std::fs::write(&file, "not a valid line").unwrap_or_else(|e| panic!("{e}"));
        let mut env = Env::from_pairs([
            ("T_ID", "ENVID"),
            ("T_SECRET", "env-secret"),
            ("T_FILE", file.to_str().unwrap_or_default()),
            ("T_MD", md.as_str()),
        ]);
        ASKED.store(0, Ordering::SeqCst);
        let got = run(&rt, &mut env, true).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(env.get("T_ID"), Some("ENVID"));
        assert_eq!(env.origin("T_ID"), Some("environment"));
        assert!(got.refresher("test").is_none());
        assert_eq!(ASKED.load(Ordering::SeqCst), 0, "metadata not asked");
    }

    #[test]
    fn a_file_comes_before_metadata_and_gives_its_keys_as_a_unit() {
        let _one = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
        let rt = rt();
        let md = serve(&rt, "MDID md-secret md-token");
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let file = dir.path().join("f");
        std::fs::write(
            &file,
            "T_ID=FILEID\nT_SECRET=file-secret\nT_REGION=r-file\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let mut env = Env::from_pairs([
            ("T_TOKEN", "stray-token"),
            ("T_REGION", "r-env"),
            ("T_FILE", file.to_str().unwrap_or_default()),
            ("T_MD", md.as_str()),
        ]);
        ASKED.store(0, Ordering::SeqCst);
        let got = run(&rt, &mut env, true).unwrap_or_else(|e| panic!("{e}"));
        let origin = format!("file {}", file.display());
        assert_eq!(env.get("T_ID"), Some("FILEID"));
        assert_eq!(env.origin("T_SECRET"), Some(origin.as_str()));
        assert_eq!(
            env.get("T_TOKEN"),
            None,
            "a token the file does not give is cleared"
        );
        assert_eq!(
            env.get("T_REGION"),
            Some("r-env"),
            "other values only fill in"
        );
        assert!(got.refresher("test").is_none());
        assert_eq!(ASKED.load(Ordering::SeqCst), 0, "metadata not asked");
    }

    #[test]
    fn metadata_is_asked_last_and_its_keys_refresh() {
        let _one = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
        let rt = rt();
        let md = serve(&rt, "MDID md-secret md-token");
        let mut env = Env::from_pairs([("T_MD", md.as_str())]);
        ASKED.store(0, Ordering::SeqCst);
        let got = run(&rt, &mut env, true).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(env.get("T_ID"), Some("MDID"));
        assert_eq!(env.get("T_TOKEN"), Some("md-token"));
        let origin = env.origin("T_SECRET").unwrap_or_default().to_string();
        assert!(
            origin.starts_with(&format!("metadata {md} (temporary, until ")),
            "{origin}"
        );
        let r = got
            .refresher("test")
            .unwrap_or_else(|| panic!("a refresher"));
        assert_eq!(r.current().id, "MDID");
        assert_eq!(ASKED.load(Ordering::SeqCst), 1);
        let fixed = KeyPair {
            id: "X".into(),
            secret: Secret::new("x"),
            token: None,
        };
        assert!(matches!(got.keys("test", fixed), Keys::Refreshing(_)));
    }

    #[test]
    fn switched_off_or_unreachable_metadata_gives_nothing_and_garbage_is_an_error() {
        let _one = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
        let rt = rt();
        let md = serve(&rt, "MDID md-secret md-token");
        let mut env = Env::from_pairs([("T_MD", md.as_str())]);
        ASKED.store(0, Ordering::SeqCst);
        let got = run(&rt, &mut env, false).unwrap_or_else(|e| panic!("{e}"));
        assert!(got.refresher("test").is_none() && env.get("T_ID").is_none());
        assert_eq!(ASKED.load(Ordering::SeqCst), 0, "switched off: not asked");

        let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
        let url = format!(
            "http://{}",
            closed.local_addr().unwrap_or_else(|e| panic!("{e}"))
        );
        drop(closed);
        let mut env = Env::from_pairs([("T_MD", url.as_str())]);
        let got = run(&rt, &mut env, true).unwrap_or_else(|e| panic!("{e}"));
        assert!(got.refresher("test").is_none() && env.get("T_ID").is_none());

        let bad = serve(&rt, "only-two words");
        let mut env = Env::from_pairs([("T_MD", bad.as_str())]);
        let err = run(&rt, &mut env, true)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            err.starts_with(&format!(
                "test: instance metadata {bad}/keys answered without usable keys: not three words"
            )),
            "{err}"
        );
        let mut env = Env::from_pairs([("T_MD", "not a url")]);
        let err = run(&rt, &mut env, true)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            err.starts_with("test: T_MD: 'not a url' is not a URL"),
            "{err}"
        );
    }
}
