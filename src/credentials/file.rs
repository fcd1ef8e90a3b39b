//! Credentials files of the official SDKs and CLIs: where each cloud's file is, and reading it.

use std::path::{Path, PathBuf};

use crate::config::Env;
use crate::error::{Error, Result};

/// A file a [`FileSource`] may read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// Where it is.
    pub path: PathBuf,
    /// The variable that named it, when one did: the file must then exist.
    pub named_by: Option<&'static str>,
}

impl Candidate {
    /// A default location, skipped when absent.
    pub fn default_at(path: PathBuf) -> Self {
        Candidate {
            path,
            named_by: None,
        }
    }
}

/// An official SDK's (or CLI's) credentials file. The first of its [`candidates`] that exists
/// is read; what it gives stands for the group's environment variables.
///
/// [`candidates`]: FileSource::candidates
pub trait FileSource: Send + Sync {
    /// The files to try, in the SDK's order.
    fn candidates(&self, env: &Env) -> Vec<Candidate>;

    /// The variables `text` (the file at `path`) gives, under the environment names they stand
    /// for; the error says what is wrong with the file and what to do (one line, no secret).
    fn read(&self, path: &Path, text: &str, env: &Env) -> std::result::Result<Vars, String>;

    /// The variables this source reads to find its files (for `config show`).
    fn variables(&self) -> &'static [&'static str] {
        &[]
    }
}

/// Variables and values, in order.
pub type Vars = Vec<(String, String)>;

/// Reads the first existing file of `source`; `None` when there is none. `group` names the
/// credential group in errors.
pub fn load(group: &str, source: &dyn FileSource, env: &Env) -> Result<Option<(PathBuf, Vars)>> {
    for c in source.candidates(env) {
        let text = match std::fs::read(&c.path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if let Some(var) = c.named_by {
                    return Err(Error::Config(format!(
                        "{group}: {} (named by {var}) does not exist; create it or unset {var}",
                        c.path.display()
                    )));
                }
                continue;
            }
            Err(e) => {
                return Err(Error::Config(format!(
                    "{group}: cannot read {}: {e}",
                    c.path.display()
                )));
            }
        };
        let text = String::from_utf8(text).map_err(|_| {
            Error::Config(format!(
                "{group}: {} is not UTF-8 text; fix or remove it",
                c.path.display()
            ))
        })?;
        let vars = source
            .read(&c.path, &text, env)
            .map_err(|e| Error::Config(format!("{group}: {}: {e}", c.path.display())))?;
        // Read: it gave the group's keys, so it does hold credentials.
        warn_if_readable_by_others(&c.path);
        tracing::debug!("{group}: credentials from {}", c.path.display());
        return Ok(Some((c.path, vars)));
    }
    Ok(None)
}

/// `$HOME/<rest>`, when `HOME` is set.
pub fn in_home(env: &Env, rest: &[&str]) -> Option<PathBuf> {
    let mut p = PathBuf::from(env.get("HOME")?);
    for part in rest {
        p.push(part);
    }
    Some(p)
}

/// Warns when `path`, which holds credentials, is readable by group or others. Call it only
/// for a file that does hold a secret (an SDK credentials file; a profile file with a secret
/// value): the warning says so.
#[cfg(unix)]
pub fn warn_if_readable_by_others(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    if let Ok(meta) = std::fs::metadata(path)
        && meta.permissions().mode() & 0o077 != 0
    {
        tracing::warn!(
            "{} holds credentials and is readable by group or others; run: chmod 600 {}",
            path.display(),
            path.display()
        );
    }
}

/// Warns when `path`, which holds credentials, is readable by group or others.
#[cfg(not(unix))]
pub fn warn_if_readable_by_others(_path: &Path) {}

#[cfg(test)]
mod tests {
    use super::*;

    struct Two(PathBuf, PathBuf, Option<&'static str>);

    impl FileSource for Two {
        fn candidates(&self, _env: &Env) -> Vec<Candidate> {
            vec![
                Candidate {
                    path: self.0.clone(),
                    named_by: self.2,
                },
                Candidate::default_at(self.1.clone()),
            ]
        }
        fn read(&self, _p: &Path, text: &str, _env: &Env) -> std::result::Result<Vars, String> {
            match text.trim() {
                "bad" => Err("no keys in it".into()),
                t => Ok(vec![("VAR".into(), t.into())]),
            }
        }
    }

    fn dir() -> tempfile::TempDir {
        tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"))
    }

    #[test]
    fn the_first_existing_file_is_read() {
        let d = dir();
        let (a, b) = (d.path().join("a"), d.path().join("b"));
        let env = Env::default();
        let none = load("g", &Two(a.clone(), b.clone(), None), &env);
        assert!(matches!(none, Ok(None)), "no file: nothing");
        std::fs::write(&b, "from-b").unwrap_or_else(|e| panic!("{e}"));
        let got = load("g", &Two(a.clone(), b.clone(), None), &env)
            .ok()
            .flatten();
        assert_eq!(
            got.map(|(p, v)| (p, v[0].1.clone())),
            Some((b.clone(), "from-b".into()))
        );
        std::fs::write(&a, "from-a").unwrap_or_else(|e| panic!("{e}"));
        let got = load("g", &Two(a.clone(), b, None), &env).ok().flatten();
        assert_eq!(got.map(|(p, _)| p), Some(a), "the first one wins");
    }

    #[test]
    fn a_named_file_must_exist_and_a_bad_one_names_itself() {
        let d = dir();
        let (a, b) = (d.path().join("a"), d.path().join("b"));
        let env = Env::default();
        let err = load("g", &Two(a.clone(), b.clone(), Some("G_FILE")), &env)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            err.contains("named by G_FILE") && err.contains("does not exist"),
            "{err}"
        );
        std::fs::write(&a, "bad").unwrap_or_else(|e| panic!("{e}"));
        let err = load("g", &Two(a.clone(), b, None), &env)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert_eq!(err, format!("g: {}: no keys in it", a.display()));
    }

    #[test]
    fn home_paths_need_home() {
        assert_eq!(in_home(&Env::default(), &[".x", "y"]), None);
        let env = Env::from_pairs([("HOME", "/h")]);
        assert_eq!(in_home(&env, &[".x", "y"]), Some(PathBuf::from("/h/.x/y")));
    }
}
