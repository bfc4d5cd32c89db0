//! A received request as the handlers see it: method, decoded query, headers, body and
//! the authenticated caller.

use percent_encoding::percent_decode;
use secrecy::SecretString;
use wiremock::http::HeaderMap;

use super::eval::Principal;

/// The query string decoded as the server's form parser does (`+` is a space). The
/// first value of a repeated name wins; names whose value is not UTF-8 are noted.
#[derive(Debug, Default)]
pub(super) struct Query {
    pairs: Vec<(String, String)>,
    not_utf8: Vec<String>,
}

impl Query {
    pub(super) fn parse(raw: &str) -> Query {
        let mut query = Query::default();
        for piece in raw.split('&').filter(|p| !p.is_empty()) {
            let (name, value) = piece.split_once('=').unwrap_or((piece, ""));
            let decode =
                |s: &str| -> Vec<u8> { percent_decode(s.replace('+', " ").as_bytes()).collect() };
            let name = String::from_utf8_lossy(&decode(name)).into_owned();
            let value = match String::from_utf8(decode(value)) {
                Ok(v) => v,
                Err(e) => {
                    query.not_utf8.push(name.clone());
                    String::from_utf8_lossy(e.as_bytes()).into_owned()
                }
            };
            query.pairs.push((name, value));
        }
        query
    }

    pub(super) fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub(super) fn has(&self, name: &str) -> bool {
        self.pairs.iter().any(|(n, _)| n == name)
    }

    /// Whether no parameter names a sub-resource or operation: the `X-Amz-*`
    /// parameters of a presigned URL authenticate, they do not select a route.
    pub(super) fn is_empty(&self) -> bool {
        self.pairs
            .iter()
            .all(|(name, _)| name.starts_with("X-Amz-"))
    }

    pub(super) fn is_utf8(&self, name: &str) -> bool {
        !self.not_utf8.iter().any(|n| n == name)
    }
}

/// One authenticated request.
pub(super) struct Ctx<'a> {
    pub(super) method: &'a str,
    /// `path?query` as received, for messages.
    pub(super) target: String,
    pub(super) query: Query,
    pub(super) headers: &'a HeaderMap,
    pub(super) body: &'a [u8],
    /// The access key that signed the request (empty when anonymous).
    pub(super) caller: String,
    /// Its secret, the key of encrypted payloads (empty when anonymous: anonymous
    /// requests never reach the admin API).
    pub(super) caller_secret: SecretString,
    pub(super) is_root: bool,
    /// Sent with no signature at all (S3 only).
    pub(super) anonymous: bool,
    /// The Host header, for the info answer.
    pub(super) host: String,
}

impl Ctx<'_> {
    /// Who sent the request, for policy evaluation.
    pub(super) fn principal(&self) -> Principal<'_> {
        if self.is_root {
            Principal::Root
        } else if self.anonymous {
            Principal::Anonymous
        } else {
            Principal::User(&self.caller)
        }
    }

    pub(super) fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The declared Content-Length; `None` when absent (chunked) or unreadable.
    pub(super) fn content_length(&self) -> Option<usize> {
        self.header("content-length")?.trim().parse().ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_like_a_form_parser() {
        let q = Query::parse("accessKey=a%2Bb+c&delete&x=1&x=2&bad=%FF");
        assert_eq!(q.get("accessKey"), Some("a+b c"));
        assert!(q.has("delete"));
        assert_eq!(q.get("delete"), Some(""));
        assert_eq!(q.get("x"), Some("1"));
        assert!(!q.is_utf8("bad"));
        assert!(q.is_utf8("x"));
        assert_eq!(q.get("missing"), None);
    }
}
