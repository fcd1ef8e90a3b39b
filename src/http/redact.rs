//! Redaction of secrets in anything imgcat logs or prints.

use url::Url;

/// Query parameters whose values are secret (Tencent API 2.0 puts them in the URL).
const SECRET_PARAMS: &[&str] = &["signature", "token", "x-auth-token", "secretkey"];

/// Headers whose values are secret.
const SECRET_HEADERS: &[&str] = &[
    "authorization",
    "x-auth-token",
    "x-security-token",
    "x-subject-token",
    // Tencent API 3.0's session token of temporary keys.
    "x-tc-token",
    // The ECS metadata service's session token.
    "x-metadata-token",
    "cookie",
    "set-cookie",
];

/// What a secret value is shown as.
pub const MASK: &str = "***";

/// Whether a header's value must be masked.
pub fn is_secret_header(name: &str) -> bool {
    SECRET_HEADERS.iter().any(|h| h.eq_ignore_ascii_case(name))
}

/// The URL with secret query values masked.
pub fn url(u: &Url) -> String {
    if u.query().is_none() {
        return u.to_string();
    }
    let mut out = u.clone();
    let pairs: Vec<(String, String)> = u
        .query_pairs()
        .map(|(k, v)| {
            let secret = SECRET_PARAMS.iter().any(|s| s.eq_ignore_ascii_case(&k));
            (
                k.into_owned(),
                if secret { MASK.into() } else { v.into_owned() },
            )
        })
        .collect();
    out.query_pairs_mut().clear().extend_pairs(pairs);
    out.to_string()
}

/// The URL without query and fragment, for error messages.
pub fn url_base(u: &Url) -> String {
    let mut out = u.clone();
    out.set_query(None);
    out.set_fragment(None);
    out.to_string()
}

/// A `Location` header (relative or absolute) resolved against `base`, without its query (it
/// may carry a signature), for an error message; kept as sent when it does not resolve.
pub fn location(base: &Url, location: &str) -> String {
    match base.join(location) {
        Ok(u) => url_base(&u),
        Err(_) => location.to_string(),
    }
}

/// Whether `u` has the same scheme, host and port as `base`: the only place a link the
/// server hands out (IMS `next`) may lead, since the request to it carries the credentials.
pub fn same_origin(base: &Url, u: &Url) -> bool {
    base.scheme() == u.scheme()
        && base.host_str() == u.host_str()
        && base.port_or_known_default() == u.port_or_known_default()
}

/// A header value for a log line.
pub fn header_value<'a>(name: &str, value: &'a str) -> &'a str {
    if is_secret_header(name) { MASK } else { value }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_signature_and_token_params() {
        let u =
            Url::parse("https://h/v2/index.php?Action=X&Signature=abc%2B&Token=t0k&SecretId=id")
                .unwrap_or_else(|e| panic!("{e}"));
        let s = url(&u);
        assert!(!s.contains("abc") && !s.contains("t0k"), "{s}");
        assert!(s.contains("SecretId=id") && s.contains("Action=X"), "{s}");
    }

    #[test]
    fn masks_auth_headers() {
        assert_eq!(header_value("Authorization", "SDK-HMAC-SHA256 x"), MASK);
        assert_eq!(header_value("X-Security-Token", "t"), MASK);
        assert_eq!(
            header_value("Content-Type", "application/json"),
            "application/json"
        );
    }
}
