//! Key pairs, temporary keys with their expiry, and the holder that refreshes them.

use std::fmt;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures::future::BoxFuture;

use crate::error::{Error, Result};
use crate::secret::Secret;

/// An access key pair and, for temporary keys, the token sent with them. `Debug` shows the id
/// only.
#[derive(Clone, PartialEq, Eq)]
pub struct KeyPair {
    /// The access key id (not secret).
    pub id: String,
    /// The secret key.
    pub secret: Secret,
    /// The security / session token of temporary keys.
    pub token: Option<Secret>,
}

impl KeyPair {
    /// Registers the secret and the token with the masker ([`crate::secret::register`]).
    pub fn register_secrets(&self) {
        self.secret.register();
        if let Some(t) = &self.token {
            t.register();
        }
    }
}

impl fmt::Debug for KeyPair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyPair")
            .field("id", &self.id)
            .field("secret", &self.secret)
            .field("token", &self.token)
            .finish()
    }
}

/// Temporary keys, as a metadata service hands them out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemporaryKeys {
    /// The keys and their token.
    pub keys: KeyPair,
    /// When they stop being accepted.
    pub expires_at: DateTime<Utc>,
}

/// Fetches new temporary keys (a metadata service, asked again).
pub trait Fetch: Send + Sync {
    /// New keys, or why there are none.
    fn fetch(&self) -> BoxFuture<'_, Result<TemporaryKeys>>;

    /// Where they come from, for messages (`metadata http://...`).
    fn describe(&self) -> String;
}

/// What the holder has now.
struct Snapshot {
    keys: Arc<KeyPair>,
    expires_at: DateTime<Utc>,
    fetched_at: DateTime<Utc>,
}

/// Holds temporary keys and fetches new ones before they expire: when less than the SDK's
/// `margin` is left (or less than half the keys' lifetime, for keys issued for a shorter time
/// than twice the margin). One task refreshes while the others wait; a failed refresh keeps the
/// current keys while they are still valid (a warning), and is an error once they expired.
pub struct Refresher {
    current: RwLock<Arc<Snapshot>>,
    source: Box<dyn Fetch>,
    margin: Duration,
    gate: tokio::sync::Mutex<()>,
}

impl fmt::Debug for Refresher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.snapshot();
        f.debug_struct("Refresher")
            .field("source", &self.source.describe())
            .field("keys", &s.keys)
            .field("expires_at", &s.expires_at)
            .field("margin", &self.margin)
            .finish()
    }
}

impl Refresher {
    /// A holder of `first` (fetched at `fetched_at`) that asks `source` for new keys `margin`
    /// before they expire. The secrets of `first`, and of every new pair, are registered with
    /// the masker ([`KeyPair::register_secrets`]).
    pub fn new(
        first: TemporaryKeys,
        fetched_at: DateTime<Utc>,
        source: Box<dyn Fetch>,
        margin: Duration,
    ) -> Self {
        first.keys.register_secrets();
        Refresher {
            current: RwLock::new(Arc::new(Snapshot {
                keys: Arc::new(first.keys),
                expires_at: first.expires_at,
                fetched_at,
            })),
            source,
            margin,
            gate: tokio::sync::Mutex::new(()),
        }
    }

    fn snapshot(&self) -> Arc<Snapshot> {
        match self.current.read() {
            Ok(g) => g.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// The keys held now.
    pub fn current(&self) -> Arc<KeyPair> {
        self.snapshot().keys.clone()
    }

    /// When the keys held now expire.
    pub fn expires_at(&self) -> DateTime<Utc> {
        self.snapshot().expires_at
    }

    /// Whether keys of `s` are due for a refresh at `now`.
    fn due(&self, s: &Snapshot, now: DateTime<Utc>) -> bool {
        let lifetime = (s.expires_at - s.fetched_at).to_std().unwrap_or_default();
        let margin = self.margin.min(lifetime / 2);
        let margin = chrono::Duration::from_std(margin).unwrap_or_default();
        now + margin >= s.expires_at
    }

    /// Valid keys: the current ones, or new ones when they are due (see [`Refresher`]).
    pub async fn fresh(&self) -> Result<Arc<KeyPair>> {
        let s = self.snapshot();
        if !self.due(&s, Utc::now()) {
            return Ok(s.keys.clone());
        }
        let _one_at_a_time = self.gate.lock().await;
        let s = self.snapshot();
        let now = Utc::now();
        if !self.due(&s, now) {
            return Ok(s.keys.clone());
        }
        match self.source.fetch().await {
            Ok(new) if new.expires_at > now => {
                new.keys.register_secrets();
                tracing::info!(
                    "temporary keys refreshed from {} (valid until {})",
                    self.source.describe(),
                    new.expires_at
                        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
                );
                let keys = Arc::new(new.keys);
                let next = Arc::new(Snapshot {
                    keys: keys.clone(),
                    expires_at: new.expires_at,
                    fetched_at: now,
                });
                match self.current.write() {
                    Ok(mut g) => *g = next,
                    Err(poisoned) => *poisoned.into_inner() = next,
                }
                Ok(keys)
            }
            Ok(new) => self.keep_or_fail(
                &s,
                now,
                format!(
                    "the new keys already expired at {}",
                    new.expires_at
                        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
                ),
            ),
            Err(e) => self.keep_or_fail(&s, now, e.to_string()),
        }
    }

    fn keep_or_fail(&self, s: &Snapshot, now: DateTime<Utc>, why: String) -> Result<Arc<KeyPair>> {
        if now < s.expires_at {
            tracing::warn!(
                "cannot refresh the temporary keys from {} ({why}); the current ones stay valid until {}",
                self.source.describe(),
                s.expires_at
                    .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
            );
            return Ok(s.keys.clone());
        }
        Err(Error::Config(format!(
            "the temporary keys from {} expired and cannot be refreshed: {why}",
            self.source.describe()
        )))
    }
}

/// The keys an adapter signs with: fixed (flag, environment, profile, file) or temporary keys
/// from a [`Refresher`]. Call [`Keys::ready`] before a request, then [`Keys::current`] while
/// building it.
#[derive(Debug, Clone)]
pub enum Keys {
    /// Keys that do not change during the run.
    Fixed(Arc<KeyPair>),
    /// Temporary keys refreshed before they expire.
    Refreshing(Arc<Refresher>),
}

impl Keys {
    /// Fixed keys.
    pub fn fixed(keys: KeyPair) -> Self {
        Keys::Fixed(Arc::new(keys))
    }

    /// Makes sure the current keys are valid for the next request (refreshing them if due).
    pub async fn ready(&self) -> Result<()> {
        match self {
            Keys::Fixed(_) => Ok(()),
            Keys::Refreshing(r) => r.fresh().await.map(|_| ()),
        }
    }

    /// The keys to sign with now.
    pub fn current(&self) -> Arc<KeyPair> {
        match self {
            Keys::Fixed(k) => k.clone(),
            Keys::Refreshing(r) => r.current(),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU32, Ordering};

    use super::*;

    fn keys(n: u32, expires_at: DateTime<Utc>) -> TemporaryKeys {
        TemporaryKeys {
            keys: KeyPair {
                id: format!("TMP{n}"),
                secret: Secret::new(format!("secret-{n}")),
                token: Some(Secret::new(format!("token-{n}"))),
            },
            expires_at,
        }
    }

    /// Hands out key `n` valid for `life` from now, or fails when `fail` is set.
    struct Counting {
        calls: Arc<AtomicU32>,
        life: chrono::Duration,
        fail: bool,
    }

    impl Fetch for Counting {
        fn fetch(&self) -> BoxFuture<'_, Result<TemporaryKeys>> {
            Box::pin(async move {
                let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
                if self.fail {
                    return Err(Error::Config("metadata is down".into()));
                }
                Ok(keys(n, Utc::now() + self.life))
            })
        }
        fn describe(&self) -> String {
            "metadata http://127.0.0.1:1".into()
        }
    }

    fn holder(
        first_life: chrono::Duration,
        fetched_ago: chrono::Duration,
        next_life: chrono::Duration,
        margin: Duration,
        fail: bool,
    ) -> (Refresher, Arc<AtomicU32>) {
        let calls = Arc::new(AtomicU32::new(0));
        let now = Utc::now();
        let r = Refresher::new(
            keys(0, now + first_life),
            now - fetched_ago,
            Box::new(Counting {
                calls: calls.clone(),
                life: next_life,
                fail,
            }),
            margin,
        );
        (r, calls)
    }

    fn rt() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap_or_else(|e| panic!("runtime: {e}"))
    }

    #[test]
    fn keys_far_from_expiry_are_kept() {
        let h = chrono::Duration::hours;
        let (r, calls) = holder(h(6), h(0), h(6), Duration::from_secs(300), false);
        let got = rt().block_on(r.fresh()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(got.id, "TMP0");
        assert_eq!(calls.load(Ordering::SeqCst), 0);
    }

    #[test]
    fn keys_inside_the_margin_are_refreshed_once() {
        // Tencent's margin: 300 s; 200 s left of a key fetched an hour ago.
        let s = chrono::Duration::seconds;
        let (r, calls) = holder(s(200), s(3400), s(7200), Duration::from_secs(300), false);
        let rt = rt();
        let got = rt.block_on(r.fresh()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(got.id, "TMP1", "a new pair");
        assert_eq!(
            r.current().token,
            Some(Secret::new("token-1")),
            "with its token"
        );
        let again = rt.block_on(r.fresh()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(again.id, "TMP1");
        assert_eq!(
            calls.load(Ordering::SeqCst),
            1,
            "fresh keys are not fetched again"
        );
    }

    #[test]
    fn short_lived_keys_refresh_at_half_their_life() {
        let s = chrono::Duration::seconds;
        // 10 s keys, fetched 3 s ago: 7 s left, more than half: kept despite the 40 min margin.
        let (r, calls) = holder(s(7), s(3), s(10), Duration::from_secs(2400), false);
        let rt = rt();
        assert_eq!(
            rt.block_on(r.fresh()).map(|k| k.id.clone()).ok(),
            Some("TMP0".into())
        );
        assert_eq!(calls.load(Ordering::SeqCst), 0);
        // 4 s left: refreshed.
        let (r, calls) = holder(s(4), s(6), s(10), Duration::from_secs(2400), false);
        assert_eq!(
            rt.block_on(r.fresh()).map(|k| k.id.clone()).ok(),
            Some("TMP1".into())
        );
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn concurrent_callers_share_one_refresh() {
        let s = chrono::Duration::seconds;
        let (r, calls) = holder(s(10), s(3590), s(3600), Duration::from_secs(300), false);
        let r = Arc::new(r);
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap_or_else(|e| panic!("runtime: {e}"));
        let ids: Vec<String> = rt.block_on(async {
            let tasks: Vec<_> = (0..8)
                .map(|_| {
                    let r = r.clone();
                    tokio::spawn(async move { r.fresh().await.map(|k| k.id.clone()) })
                })
                .collect();
            let mut out = Vec::new();
            for t in tasks {
                out.push(t.await.ok().and_then(|r| r.ok()).unwrap_or_default());
            }
            out
        });
        assert!(ids.iter().all(|id| id == "TMP1"), "{ids:?}");
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn a_failed_refresh_keeps_valid_keys_and_fails_on_expired_ones() {
        let s = chrono::Duration::seconds;
        let (r, _) = holder(s(100), s(3500), s(3600), Duration::from_secs(300), true);
        let got = rt().block_on(r.fresh()).map(|k| k.id.clone());
        assert_eq!(got.ok(), Some("TMP0".into()), "still valid: kept");
        let (r, _) = holder(s(-5), s(3605), s(3600), Duration::from_secs(300), true);
        let err = rt()
            .block_on(r.fresh())
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            err.contains("expired and cannot be refreshed") && err.contains("metadata is down"),
            "{err}"
        );
        assert!(
            err.contains("http://127.0.0.1:1"),
            "names the endpoint: {err}"
        );
    }

    #[test]
    fn debug_shows_no_secret() {
        let s = chrono::Duration::seconds;
        let (r, _) = holder(s(100), s(0), s(100), Duration::from_secs(300), false);
        let first = format!("{r:?}");
        let shown = format!("{first} {:?}", Keys::Refreshing(Arc::new(r)));
        assert!(shown.contains("TMP0") && shown.contains("***"), "{shown}");
        assert!(
            !shown.contains("secret-0") && !shown.contains("token-0"),
            "{shown}"
        );
    }

    /// Hands out keys whose secret and token no other test uses.
    struct Unique;

    impl Fetch for Unique {
        fn fetch(&self) -> BoxFuture<'_, Result<TemporaryKeys>> {
            Box::pin(async move {
                Ok(TemporaryKeys {
                    keys: KeyPair {
                        id: "TMPUNIQUE".into(),
                        secret: Secret::new("refreshed-secret-only-here-7d1f"),
                        token: Some(Secret::new("refreshed-token-only-here-2c9a")),
                    },
                    expires_at: Utc::now() + chrono::Duration::hours(1),
                })
            })
        }
        fn describe(&self) -> String {
            "metadata http://127.0.0.1:1".into()
        }
    }

    #[test]
    fn the_first_and_every_refreshed_pair_are_registered_with_the_masker() {
        let text = "first-secret-only-here-5b3e first-token-only-here-8a6c \
                    refreshed-secret-only-here-7d1f refreshed-token-only-here-2c9a";
        let now = Utc::now();
        let first = TemporaryKeys {
            keys: KeyPair {
                id: "TMPFIRST".into(),
                secret: Secret::new("first-secret-only-here-5b3e"),
                token: Some(Secret::new("first-token-only-here-8a6c")),
            },
            // Due at once: the next request refreshes.
            expires_at: now + chrono::Duration::seconds(10),
        };
        let r = Refresher::new(
            first,
            now - chrono::Duration::hours(1),
            Box::new(Unique),
            Duration::from_secs(300),
        );
        assert_eq!(
            crate::secret::mask(text),
            "*** *** refreshed-secret-only-here-7d1f refreshed-token-only-here-2c9a"
        );
        let got = rt().block_on(r.fresh()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(got.id, "TMPUNIQUE");
        assert_eq!(crate::secret::mask(text), "*** *** *** ***");
    }
}
