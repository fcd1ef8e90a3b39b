//! Where a credential came from.

use std::fmt;
use std::path::PathBuf;

/// The source of a value, as `imgcat config show` names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A command-line flag.
    Flag,
    /// The process environment.
    Environment,
    /// The imgcat profile `name` in the config file at `path`.
    Profile {
        /// The profile's name.
        name: String,
        /// The config file.
        path: PathBuf,
    },
    /// An official SDK's credentials file.
    File(PathBuf),
    /// An instance metadata service (its base URL).
    Metadata(String),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Flag => f.write_str("flag"),
            Origin::Environment => f.write_str("environment"),
            Origin::Profile { name, path } => write!(f, "profile {name} ({})", path.display()),
            Origin::File(path) => write!(f, "file {}", path.display()),
            Origin::Metadata(url) => write!(f, "metadata {url}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_read_as_config_show_prints_them() {
        let p = Origin::Profile {
            name: "ci".into(),
            path: PathBuf::from("/h/.config/imgcat/config.toml"),
        };
        assert_eq!(p.to_string(), "profile ci (/h/.config/imgcat/config.toml)");
        assert_eq!(
            Origin::File(PathBuf::from("/h/.cloud/credentials")).to_string(),
            "file /h/.cloud/credentials"
        );
        assert_eq!(
            Origin::Metadata("http://169.254.169.254".into()).to_string(),
            "metadata http://169.254.169.254"
        );
        assert_eq!(Origin::Environment.to_string(), "environment");
        assert_eq!(Origin::Flag.to_string(), "flag");
    }
}
