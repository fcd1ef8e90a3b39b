//! Proxies as curl takes them from the environment - `https_proxy`/`HTTPS_PROXY` for https,
//! `http_proxy`/`HTTP_PROXY` for http, `all_proxy`/`ALL_PROXY` for both, `no_proxy`/`NO_PROXY`
//! for the hosts that go direct - except that loopback (127.0.0.0/8, `localhost`, `::1`)
//! always goes direct: the simulator (`--sim`) and local endpoints work behind a corporate proxy.

/// Makes a proxy for one kind of traffic from its URL.
type MakeProxy = fn(&str) -> reqwest::Result<reqwest::Proxy>;

/// What is always reached without a proxy.
const LOOPBACK: &str = "127.0.0.0/8,localhost,::1";

/// The proxies of the environment `get` reads, loopback excluded from each.
pub fn from_env(get: impl Fn(&str) -> Option<String>) -> Vec<reqwest::Proxy> {
    let var = |lower: &str, upper: &str| {
        get(lower)
            .or_else(|| get(upper))
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let direct = match var("no_proxy", "NO_PROXY") {
        Some(list) => format!("{list},{LOOPBACK}"),
        None => LOOPBACK.to_string(),
    };
    let mut out = Vec::new();
    let kinds: [(Option<String>, MakeProxy); 3] = [
        (var("https_proxy", "HTTPS_PROXY"), |u| {
            reqwest::Proxy::https(u)
        }),
        (var("http_proxy", "HTTP_PROXY"), |u| reqwest::Proxy::http(u)),
        (var("all_proxy", "ALL_PROXY"), |u| reqwest::Proxy::all(u)),
    ];
    for (url, make) in kinds {
        let Some(url) = url else { continue };
        match make(&url) {
            Ok(p) => out.push(p.no_proxy(reqwest::NoProxy::from_string(&direct))),
            Err(_) => tracing::warn!("ignoring a proxy setting that is not a URL"),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_is_read_once_and_loopback_stays_direct() {
        let env = |k: &str| match k {
            "HTTPS_PROXY" => Some("http://127.0.0.1:9".to_string()),
            "http_proxy" => Some("http://127.0.0.1:9".to_string()),
            "NO_PROXY" => Some("internal.example".to_string()),
            _ => None,
        };
        assert_eq!(from_env(env).len(), 2);
        assert!(from_env(|_| None).is_empty());
    }
}
