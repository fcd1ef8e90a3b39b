//! Tencent Cloud API 2.0 query signature (QcloudApi `common/sign.py`).
//!
//! String to sign: `{METHOD}{host}{path}?{name=value&...}` where every parameter but
//! `Signature` takes part, names have `_` replaced by `.`, pairs are sorted by that name, and
//! values are **raw** (not URL-encoded). For a POST, parameters whose value starts with `@`
//! (file uploads in the SDK) are left out. `Signature` = base64(HMAC(secret key, string)).

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use std::collections::BTreeMap;

use crate::sign::VerifyError;
use crate::sign::crypto::{constant_time_eq, hmac_sha1, hmac_sha256};

/// `SignatureMethod` of API 2.0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SignatureMethod {
    /// `HmacSHA1` (what the API assumes when `SignatureMethod` is absent).
    HmacSha1,
    /// `HmacSHA256` (imgcat's default).
    #[default]
    HmacSha256,
}

impl SignatureMethod {
    /// The wire name (`HmacSHA1` / `HmacSHA256`).
    pub fn as_str(self) -> &'static str {
        match self {
            SignatureMethod::HmacSha1 => "HmacSHA1",
            SignatureMethod::HmacSha256 => "HmacSHA256",
        }
    }

    /// Parses a wire name; `None` for anything but `HmacSHA1` / `HmacSHA256`.
    pub fn from_wire(s: &str) -> Option<Self> {
        match s {
            "HmacSHA1" => Some(SignatureMethod::HmacSha1),
            "HmacSHA256" => Some(SignatureMethod::HmacSha256),
            _ => None,
        }
    }
}

/// Parses `HmacSHA1` / `HmacSHA256` (case-insensitive, `-` allowed), as the flag
/// `--tencent-signature-method`, `IMGCAT_TENCENT_SIGNATURE_METHOD` and the profile take it.
pub fn parse_signature_method(s: &str) -> Result<SignatureMethod, String> {
    match s.to_ascii_lowercase().replace('-', "").as_str() {
        "hmacsha1" => Ok(SignatureMethod::HmacSha1),
        "hmacsha256" => Ok(SignatureMethod::HmacSha256),
        _ => Err(format!("'{s}' is not HmacSHA1 or HmacSHA256")),
    }
}

/// The string to sign for `params` (see the module docs), as `common/sign.py` builds it.
///
/// Two names that become equal after `_` → `.` collapse to the later one, like the SDK's dict.
pub fn string_to_sign(
    http_method: &str,
    host: &str,
    path: &str,
    params: &[(String, String)],
) -> String {
    let is_post = http_method.eq_ignore_ascii_case("POST");
    let sorted: BTreeMap<String, &str> = params
        .iter()
        .filter(|(_, v)| !(is_post && v.starts_with('@')))
        .map(|(k, v)| (k.replace('_', "."), v.as_str()))
        .collect();
    let joined = sorted
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&");
    format!("{}{host}{path}?{joined}", http_method.to_ascii_uppercase())
}

/// Computes the base64 `Signature` for `params` (every request parameter except `Signature`,
/// unencoded), as the SDK does: names with `_` replaced by `.`, sorted, joined raw as
/// `name=value&...`, string to sign `{http_method}{host}{path}?{joined}`.
///
/// `host` is the endpoint host, with `:port` where the endpoint has one.
pub fn signature(
    http_method: &str,
    host: &str,
    path: &str,
    params: &[(String, String)],
    secret_key: &str,
    method: SignatureMethod,
) -> String {
    let msg = string_to_sign(http_method, host, path, params);
    let mac = match method {
        SignatureMethod::HmacSha1 => hmac_sha1(secret_key.as_bytes(), msg.as_bytes()),
        SignatureMethod::HmacSha256 => hmac_sha256(secret_key.as_bytes(), msg.as_bytes()),
    };
    STANDARD.encode(mac)
}

/// Verifies received parameters (decoded; `Signature` among them) for the simulator.
/// `lookup` maps a `SecretId` to its key. Returns the `SecretId` on success.
///
/// The hash is chosen by the `SignatureMethod` parameter (`HmacSHA1` when absent; any other
/// value is [`VerifyError::Malformed`]). `Timestamp` is not checked here.
pub fn verify(
    http_method: &str,
    host: &str,
    path: &str,
    params: &[(String, String)],
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<String, VerifyError> {
    let given = single(params, "Signature")?.ok_or_else(|| malformed("no Signature"))?;
    let secret_id = single(params, "SecretId")?.ok_or_else(|| malformed("no SecretId"))?;
    let method = match single(params, "SignatureMethod")? {
        None => SignatureMethod::HmacSha1,
        Some(m) => SignatureMethod::from_wire(m).ok_or_else(|| malformed("bad SignatureMethod"))?,
    };
    let key = lookup(secret_id).ok_or(VerifyError::UnknownKey)?;
    let rest: Vec<(String, String)> = params
        .iter()
        .filter(|(k, _)| k != "Signature")
        .cloned()
        .collect();
    let expected = signature(http_method, host, path, &rest, &key, method);
    if constant_time_eq(expected.as_bytes(), given.as_bytes()) {
        Ok(secret_id.to_owned())
    } else {
        Err(VerifyError::Mismatch)
    }
}

/// The value of a parameter that must appear at most once.
fn single<'a>(params: &'a [(String, String)], name: &str) -> Result<Option<&'a str>, VerifyError> {
    let mut found = params
        .iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.as_str());
    let first = found.next();
    if found.next().is_some() {
        return Err(malformed(&format!("{name} given more than once")));
    }
    Ok(first)
}

fn malformed(why: &str) -> VerifyError {
    VerifyError::Malformed(why.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOST: &str = "image.api.qcloud.com";
    const PATH: &str = "/v2/index.php";

    fn lookup(id: &str) -> Option<String> {
        (id == "AKIDtest").then(|| "key".to_owned())
    }

    fn p(k: &str, v: &str) -> (String, String) {
        (k.to_owned(), v.to_owned())
    }

    fn signed(method: SignatureMethod) -> Vec<(String, String)> {
        let mut params = vec![
            p("Action", "DescribeImages"),
            p("Region", "ap-guangzhou"),
            p("Filters.0.Values.0", "测试 镜像"),
            p("SecretId", "AKIDtest"),
            p("Nonce", "42"),
            p("Timestamp", "1704164645"),
            p("SignatureMethod", method.as_str()),
        ];
        let sig = signature("GET", HOST, PATH, &params, "key", method);
        params.push(p("Signature", &sig));
        params
    }

    #[test]
    fn round_trip_both_methods() {
        for m in [SignatureMethod::HmacSha1, SignatureMethod::HmacSha256] {
            assert_eq!(
                verify("GET", HOST, PATH, &signed(m), &lookup),
                Ok("AKIDtest".to_owned())
            );
        }
    }

    #[test]
    fn tampered_param_or_host_mismatch() {
        let mut params = signed(SignatureMethod::HmacSha256);
        params[1].1 = "ap-shanghai".to_owned();
        assert_eq!(
            verify("GET", HOST, PATH, &params, &lookup),
            Err(VerifyError::Mismatch)
        );
        let params = signed(SignatureMethod::HmacSha256);
        assert_eq!(
            verify("GET", "127.0.0.1:8080", PATH, &params, &lookup),
            Err(VerifyError::Mismatch)
        );
        assert_eq!(
            verify("POST", HOST, PATH, &params, &lookup),
            Err(VerifyError::Mismatch)
        );
    }

    #[test]
    fn unknown_key() {
        let params = signed(SignatureMethod::HmacSha1);
        assert_eq!(
            verify("GET", HOST, PATH, &params, &|_| None),
            Err(VerifyError::UnknownKey)
        );
    }

    #[test]
    fn malformed() {
        let mut no_sig = signed(SignatureMethod::HmacSha1);
        no_sig.pop();
        let mut twice = signed(SignatureMethod::HmacSha1);
        twice.push(p("Signature", "x"));
        let mut bad_method = signed(SignatureMethod::HmacSha1);
        bad_method[6].1 = "HmacMD5".to_owned();
        let no_id: Vec<_> = signed(SignatureMethod::HmacSha1)
            .into_iter()
            .filter(|(k, _)| k != "SecretId")
            .collect();
        for params in [no_sig, twice, bad_method, no_id, Vec::new()] {
            assert!(matches!(
                verify("GET", HOST, PATH, &params, &lookup),
                Err(VerifyError::Malformed(_))
            ));
        }
    }

    #[test]
    fn underscores_and_post_at_values() {
        let params = vec![p("A_b", "1"), p("C", "@file")];
        assert_eq!(
            string_to_sign("GET", "h", "/p", &params),
            "GETh/p?A.b=1&C=@file"
        );
        assert_eq!(string_to_sign("post", "h", "/p", &params), "POSTh/p?A.b=1");
    }
}
