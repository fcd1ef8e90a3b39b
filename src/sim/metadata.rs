//! The simulator's side of instance metadata: the temporary keys its metadata services (each
//! cloud's, in the cloud's folder) hand out, and what the verifiers ask about them.
//!
//! Every asking hands out a new key pair and token, valid for the configured lifetime
//! ([`SimConfig::metadata_ttl`](super::SimConfig::metadata_ttl); short to test refresh).
//! A verifier accepts a temporary key until it expires, and only with its own token.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;
use std::time::Duration;

use chrono::{DateTime, SubsecRound, Utc};
use rand::RngExt;

/// Whether `api` is one of the metadata services' (answered without the API latency: the
/// service is on the instance's own link).
pub(crate) fn is_metadata_api(api: super::SimApi) -> bool {
    static NAMES: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    NAMES
        .get_or_init(|| {
            crate::providers::credential_groups()
                .into_iter()
                .filter_map(|g| g.chain.and_then(|c| c.metadata()))
                .flat_map(|m| m.sim_service().apis().iter().map(|a| a.name))
                .collect()
        })
        .contains(&api.as_str())
}

/// The lifetime of temporary keys when none is configured.
pub const DEFAULT_TTL: Duration = Duration::from_secs(3600);

/// Temporary keys the simulator handed out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issued {
    /// The secret key.
    pub secret: String,
    /// The security / session token.
    pub token: String,
    /// When it stops being accepted (whole seconds).
    pub expires_at: DateTime<Utc>,
}

impl Issued {
    /// Whether it has expired.
    pub fn expired(&self) -> bool {
        Utc::now() >= self.expires_at
    }
}

/// What the verifiers know of a key id.
#[derive(Debug)]
pub enum Temporary {
    /// Not a temporary key the simulator handed out.
    Unknown,
    /// Handed out and still valid.
    Valid(Issued),
    /// Handed out, expired.
    Expired(Issued),
}

/// The keys handed out, by cloud and key id, and the metadata session tokens.
#[derive(Debug)]
pub struct KeyStore {
    ttl: Duration,
    keys: Mutex<HashMap<(String, String), Issued>>,
    sessions: Mutex<HashSet<String>>,
}

fn random(n: usize, alphabet: &[u8]) -> String {
    let mut rng = rand::rng();
    (0..n)
        .map(|_| char::from(alphabet[rng.random_range(0..alphabet.len())]))
        .collect()
}

const UPPER: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const MIXED: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

impl KeyStore {
    /// A store whose keys live `ttl`.
    pub fn new(ttl: Duration) -> Self {
        KeyStore {
            ttl,
            keys: Mutex::new(HashMap::new()),
            sessions: Mutex::new(HashSet::new()),
        }
    }

    /// The lifetime of the keys it hands out.
    pub fn ttl(&self) -> Duration {
        self.ttl
    }

    /// Hands out a new key pair of `cloud`: an id of `prefix` and random characters (`len` in
    /// all), a secret and a token.
    pub fn issue(&self, cloud: &str, prefix: &str, len: usize) -> (String, Issued) {
        let id = format!(
            "{prefix}{}",
            random(len.saturating_sub(prefix.len()), UPPER)
        );
        let ttl = chrono::Duration::from_std(self.ttl).unwrap_or(chrono::Duration::hours(1));
        let issued = Issued {
            secret: format!("sim-tmp-secret-{}", random(32, MIXED)),
            token: format!("sim-tmp-token-{}", random(96, MIXED)),
            expires_at: (Utc::now() + ttl).trunc_subsecs(0),
        };
        let mut keys = self.keys.lock().unwrap_or_else(|e| e.into_inner());
        // Keys long expired are forgotten (recently expired ones still get their own error).
        let forget = Utc::now() - chrono::Duration::minutes(10);
        keys.retain(|_, k| k.expires_at > forget);
        keys.insert((cloud.to_string(), id.clone()), issued.clone());
        (id, issued)
    }

    /// What `id` is among `cloud`'s temporary keys.
    pub fn lookup(&self, cloud: &str, id: &str) -> Temporary {
        let keys = self.keys.lock().unwrap_or_else(|e| e.into_inner());
        match keys.get(&(cloud.to_string(), id.to_string())) {
            None => Temporary::Unknown,
            Some(k) if k.expired() => Temporary::Expired(k.clone()),
            Some(k) => Temporary::Valid(k.clone()),
        }
    }

    /// Every secret and token handed out so far (for tests that check none is printed).
    pub fn secrets(&self) -> Vec<String> {
        let keys = self.keys.lock().unwrap_or_else(|e| e.into_inner());
        let mut out: Vec<String> = keys
            .values()
            .flat_map(|k| [k.secret.clone(), k.token.clone()])
            .collect();
        out.extend(
            self.sessions
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .iter()
                .cloned(),
        );
        out
    }

    /// A new metadata session token.
    pub fn session(&self) -> String {
        let t = random(48, MIXED);
        self.sessions
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(t.clone());
        t
    }

    /// Whether `token` is a session token this store handed out.
    pub fn session_valid(&self, token: &str) -> bool {
        self.sessions
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .contains(token)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_issue_is_a_new_pair_accepted_until_it_expires() {
        let store = KeyStore::new(Duration::from_secs(1));
        let (a, ka) = store.issue("c", "TMP", 20);
        let (b, kb) = store.issue("c", "TMP", 20);
        assert_ne!(a, b);
        assert_ne!(ka.token, kb.token);
        assert_eq!(a.len(), 20);
        assert!(matches!(store.lookup("c", &a), Temporary::Valid(k) if k == ka));
        assert!(matches!(store.lookup("other", &a), Temporary::Unknown));
        std::thread::sleep(Duration::from_millis(2100));
        assert!(matches!(store.lookup("c", &a), Temporary::Expired(_)));
    }

    #[test]
    fn sessions_are_remembered() {
        let store = KeyStore::new(DEFAULT_TTL);
        let t = store.session();
        assert!(store.session_valid(&t));
        assert!(!store.session_valid("made-up"));
    }
}
