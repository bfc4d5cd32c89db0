//! A server's base address, parsed and normalised once for every backend.
//!
//! The rules: `http` or `https` with a host; no user info (credentials are given
//! separately, never in a URL that ends up in logs), no query, no fragment; the path is
//! a sub-path under which the API lives and always ends with `/`, so that joining a
//! relative API path never drops its last segment. Cleartext `http://` is refused except
//! to a loopback address, because the administrator's password would cross the network
//! readable; a caller who really wants it says so with
//! [`EndpointRules::allow_insecure_http`], and the HTTP client then logs a warning once.
//!
//! ```
//! use provision_core::endpoint::{Endpoint, EndpointError, EndpointRules};
//!
//! let nas: Endpoint = "https://NAS.example.com:5001/webapi".parse().unwrap();
//! assert_eq!(nas.as_str(), "https://nas.example.com:5001/webapi/");
//!
//! let err = "http://cloud.example.com".parse::<Endpoint>().unwrap_err();
//! assert!(matches!(err, EndpointError::Cleartext { .. }));
//!
//! let lab = Endpoint::parse_with("http://10.0.0.5:9000", EndpointRules::allow_insecure_http())
//!     .unwrap();
//! assert!(lab.is_cleartext() && !lab.is_loopback());
//! assert!("http://127.0.0.1:8080".parse::<Endpoint>().is_ok());
//! ```

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

use url::{Host, Url};

/// Why a base address was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EndpointError {
    /// The text is not a URL at all.
    #[error("{input:?} is not a URL: {reason}")]
    NotAUrl {
        /// The text given (it holds no credentials: those are refused below).
        input: String,
        /// The URL parser's reason.
        reason: String,
    },
    /// A scheme other than http or https.
    #[error("the scheme must be https (or http to a loopback address), not {scheme:?}")]
    Scheme {
        /// The scheme given.
        scheme: String,
    },
    /// No host name or address.
    #[error("the address names no host")]
    NoHost,
    /// A user name or password inside the URL.
    #[error("the address must not hold credentials; give the user and password separately")]
    UserInfo,
    /// A `?query` part.
    #[error("the address must not have a query (`?...`)")]
    Query,
    /// A `#fragment` part.
    #[error("the address must not have a fragment (`#...`)")]
    Fragment,
    /// `http://` to a host that is not a loopback address, not allowed explicitly.
    #[error(
        "http:// to {host} would send the password in clear text; use https://, or allow \
         insecure http explicitly (allow_insecure_http)"
    )]
    Cleartext {
        /// The host that would be reached in clear text.
        host: String,
    },
}

/// What a caller allows beyond the safe default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct EndpointRules {
    /// Accept `http://` to hosts that are not loopback addresses.
    pub allow_insecure_http: bool,
}

impl EndpointRules {
    /// The safe default: https, or http to loopback only.
    pub fn strict() -> Self {
        EndpointRules::default()
    }

    /// Also accept cleartext `http://` to any host (a lab, a trusted LAN).
    pub fn allow_insecure_http() -> Self {
        EndpointRules {
            allow_insecure_http: true,
        }
    }
}

/// A checked, normalised base URL of a server.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Endpoint {
    url: Url,
}

impl Endpoint {
    /// Parses `input` under the strict rules.
    pub fn parse(input: &str) -> Result<Endpoint, EndpointError> {
        Endpoint::parse_with(input, EndpointRules::strict())
    }

    /// Parses `input` under `rules`.
    pub fn parse_with(input: &str, rules: EndpointRules) -> Result<Endpoint, EndpointError> {
        let trimmed = input.trim();
        let mut url = Url::parse(trimmed).map_err(|e| EndpointError::NotAUrl {
            // Never echo what may be a password: cut the text at an `@` if there is one.
            input: redact_user_info(trimmed),
            reason: e.to_string(),
        })?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(EndpointError::Scheme {
                scheme: url.scheme().to_string(),
            });
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(EndpointError::UserInfo);
        }
        if url.query().is_some() {
            return Err(EndpointError::Query);
        }
        if url.fragment().is_some() {
            return Err(EndpointError::Fragment);
        }
        let host = url
            .host_str()
            .filter(|h| !h.is_empty())
            .ok_or(EndpointError::NoHost)?;
        if url.scheme() == "http" && !rules.allow_insecure_http && !is_loopback_host(&url) {
            return Err(EndpointError::Cleartext {
                host: host.to_string(),
            });
        }
        if !url.path().ends_with('/') {
            let path = format!("{}/", url.path());
            url.set_path(&path);
        }
        Ok(Endpoint { url })
    }

    /// The normalised URL (its path ends with `/`).
    pub fn url(&self) -> &Url {
        &self.url
    }

    /// The normalised URL as text.
    pub fn as_str(&self) -> &str {
        self.url.as_str()
    }

    /// `https` or `http`.
    pub fn scheme(&self) -> &str {
        self.url.scheme()
    }

    /// The host name or address, lower-cased.
    pub fn host(&self) -> &str {
        self.url.host_str().unwrap_or_default()
    }

    /// The port, or the scheme's default (443, 80).
    pub fn port(&self) -> u16 {
        self.url.port_or_known_default().unwrap_or(443)
    }

    /// Whether requests travel unencrypted.
    pub fn is_cleartext(&self) -> bool {
        self.url.scheme() == "http"
    }

    /// Whether the host is this machine (`localhost`, 127.0.0.0/8, `::1`).
    pub fn is_loopback(&self) -> bool {
        is_loopback_host(&self.url)
    }

    /// Whether this endpoint sends the password in clear text across a network: http to
    /// a host that is not a loopback address (only possible when allowed explicitly).
    pub fn is_insecure(&self) -> bool {
        self.is_cleartext() && !self.is_loopback()
    }
}

fn is_loopback_host(url: &Url) -> bool {
    match url.host() {
        Some(Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        Some(Host::Domain(name)) => {
            let name = name.trim_end_matches('.');
            name.eq_ignore_ascii_case("localhost")
                || name.to_ascii_lowercase().ends_with(".localhost")
        }
        None => false,
    }
}

/// `https://user:pw@host/` → `https://[user info]@host/`, for error messages.
fn redact_user_info(input: &str) -> String {
    match (input.find("://"), input.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            format!("{}[user info]{}", &input[..scheme_end + 3], &input[at..])
        }
        (None, Some(at)) => format!("[user info]{}", &input[at..]),
        _ => input.to_string(),
    }
}

impl FromStr for Endpoint {
    type Err = EndpointError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Endpoint::parse(s)
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.url.as_str())
    }
}

impl fmt::Debug for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Endpoint({})", self.url)
    }
}

impl serde::Serialize for Endpoint {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_host_port_and_trailing_slash() {
        let e = Endpoint::parse(" https://Cloud.Example.COM:8443/nextcloud ").unwrap();
        assert_eq!(e.as_str(), "https://cloud.example.com:8443/nextcloud/");
        assert_eq!(e.host(), "cloud.example.com");
        assert_eq!(e.port(), 8443);
        let e = Endpoint::parse("https://cloud.example.com").unwrap();
        assert_eq!(e.as_str(), "https://cloud.example.com/");
        assert_eq!(e.port(), 443);
        let e = Endpoint::parse("https://cloud.example.com/sub/").unwrap();
        assert_eq!(e.url().path(), "/sub/");
        assert_eq!(
            e.url().join("ocs/v2.php").unwrap().as_str(),
            "https://cloud.example.com/sub/ocs/v2.php"
        );
    }

    #[test]
    fn refuses_what_does_not_belong_in_a_base_url() {
        assert_eq!(
            Endpoint::parse("https://admin:hunter2@cloud.example.com"),
            Err(EndpointError::UserInfo)
        );
        assert_eq!(
            Endpoint::parse("https://admin@cloud.example.com"),
            Err(EndpointError::UserInfo)
        );
        assert_eq!(
            Endpoint::parse("https://cloud.example.com/?a=b"),
            Err(EndpointError::Query)
        );
        assert_eq!(
            Endpoint::parse("https://cloud.example.com/#top"),
            Err(EndpointError::Fragment)
        );
        assert!(matches!(
            Endpoint::parse("ftp://cloud.example.com"),
            Err(EndpointError::Scheme { scheme }) if scheme == "ftp"
        ));
        assert!(matches!(
            Endpoint::parse("cloud.example.com"),
            Err(EndpointError::NotAUrl { .. })
        ));
        assert!(matches!(
            Endpoint::parse(""),
            Err(EndpointError::NotAUrl { .. })
        ));
    }

    #[test]
    fn an_unparsable_url_never_echoes_its_password() {
        let err = Endpoint::parse("https://admin:hunter2@[bad").unwrap_err();
        let text = err.to_string();
        assert!(!text.contains("hunter2"), "{text}");
        assert!(!format!("{err:?}").contains("hunter2"));
    }

    #[test]
    fn cleartext_only_to_loopback_unless_allowed() {
        for ok in [
            "http://127.0.0.1:8080",
            "http://127.3.4.5",
            "http://[::1]:9000/",
            "http://localhost:5000",
            "http://LOCALHOST",
            "http://mock.localhost",
        ] {
            let e = Endpoint::parse(ok).unwrap();
            assert!(
                e.is_cleartext() && e.is_loopback() && !e.is_insecure(),
                "{ok}"
            );
        }
        for refused in [
            "http://10.0.0.5",
            "http://cloud.example.com",
            "http://localhost.example.com",
            "http://[::2]",
        ] {
            assert!(
                matches!(
                    Endpoint::parse(refused),
                    Err(EndpointError::Cleartext { .. })
                ),
                "{refused}"
            );
            let e = Endpoint::parse_with(refused, EndpointRules::allow_insecure_http()).unwrap();
            assert!(e.is_insecure(), "{refused}");
        }
        assert!(!Endpoint::parse("https://10.0.0.5").unwrap().is_insecure());
    }

    #[test]
    fn errors_name_the_problem() {
        let text = Endpoint::parse("http://nas.example.com")
            .unwrap_err()
            .to_string();
        assert!(text.contains("nas.example.com") && text.contains("allow_insecure_http"));
    }
}
