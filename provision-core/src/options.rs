//! Client options every backend shares — timeouts, TLS, retries, cleartext rules — in
//! code, from a configuration file (serde; unknown keys refused) or from string keys.
//! The HTTP client they build lives in [`crate::http`] (feature `http`).

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use rand::Rng;
use serde::Deserialize;

use crate::endpoint::{Endpoint, EndpointRules};
use crate::error::Error;

/// How the client checks the server's TLS certificate.
///
/// In a configuration file: `tls = { ca_file = "/etc/ssl/nas-ca.pem" }`,
/// `tls = { ca_pem = "-----BEGIN CERTIFICATE-----..." }` or `tls = { insecure = true }`;
/// no `tls` table means the system roots.
#[derive(Clone, Default, Deserialize)]
#[serde(try_from = "TlsSettings")]
#[non_exhaustive]
pub enum Tls {
    /// The operating system's root certificates (and the bundled web roots).
    #[default]
    SystemRoots,
    /// The system roots plus one extra CA certificate in PEM (an appliance's own CA).
    ExtraCa(Vec<u8>),
    /// No certificate check at all. Only for self-signed appliances, chosen explicitly.
    Insecure,
}

impl fmt::Debug for Tls {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Tls::SystemRoots => f.write_str("SystemRoots"),
            Tls::ExtraCa(pem) => write!(f, "ExtraCa({} bytes of PEM)", pem.len()),
            Tls::Insecure => f.write_str("Insecure"),
        }
    }
}

impl Tls {
    /// The system roots plus the PEM CA certificate in the file at `path`.
    pub fn ca_file(path: impl Into<PathBuf>) -> Result<Tls, Error> {
        let path = path.into();
        let pem = std::fs::read(&path).map_err(|e| {
            Error::invalid(
                "tls.ca_file",
                format!("cannot read {}: {e}", path.display()),
            )
        })?;
        Ok(Tls::ExtraCa(pem))
    }
}

/// The configuration-file form of [`Tls`].
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TlsSettings {
    #[serde(default)]
    ca_file: Option<PathBuf>,
    #[serde(default)]
    ca_pem: Option<String>,
    #[serde(default)]
    insecure: bool,
}

impl TryFrom<TlsSettings> for Tls {
    type Error = String;

    fn try_from(settings: TlsSettings) -> Result<Tls, String> {
        match (settings.ca_file, settings.ca_pem, settings.insecure) {
            (None, None, false) => Ok(Tls::SystemRoots),
            (None, None, true) => Ok(Tls::Insecure),
            (Some(path), None, false) => Tls::ca_file(path).map_err(|e| e.to_string()),
            (None, Some(pem), false) => Ok(Tls::ExtraCa(pem.into_bytes())),
            _ => Err("tls: give one of ca_file, ca_pem or insecure = true".into()),
        }
    }
}

/// When and how often a failed request is sent again.
///
/// Durations in a configuration file are written as `"200ms"`, `"10s"`, `"1m"`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct RetryConfig {
    /// Retries after the first attempt.
    pub max_retries: u32,
    /// The first backoff; each retry doubles it.
    #[serde(with = "humantime_serde")]
    pub initial_backoff: Duration,
    /// The longest single backoff.
    #[serde(with = "humantime_serde")]
    pub max_backoff: Duration,
    /// No retry starts after this much time since the first attempt.
    #[serde(with = "humantime_serde")]
    pub deadline: Duration,
}

impl Default for RetryConfig {
    fn default() -> Self {
        RetryConfig {
            max_retries: 4,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(10),
            deadline: Duration::from_secs(60),
        }
    }
}

impl RetryConfig {
    /// Limits of your own choosing.
    pub fn new(
        max_retries: u32,
        initial_backoff: Duration,
        max_backoff: Duration,
        deadline: Duration,
    ) -> Self {
        RetryConfig {
            max_retries,
            initial_backoff,
            max_backoff,
            deadline,
        }
    }

    /// No retries at all.
    pub fn none() -> Self {
        RetryConfig {
            max_retries: 0,
            ..RetryConfig::default()
        }
    }

    /// Sets the number of retries after the first attempt.
    pub fn with_max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = max_retries;
        self
    }

    /// Sets the first backoff.
    pub fn with_initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// Sets the longest single backoff.
    pub fn with_max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// Sets the total deadline.
    pub fn with_deadline(mut self, deadline: Duration) -> Self {
        self.deadline = deadline;
        self
    }

    /// The backoff before retry number `retry` (1-based): exponential, capped, with
    /// full jitter in its upper half so that many clients do not retry in step.
    pub fn backoff(&self, retry: u32) -> Duration {
        let exp = self
            .initial_backoff
            .saturating_mul(1u32 << retry.saturating_sub(1).min(20));
        let capped = exp.min(self.max_backoff);
        let half = capped / 2;
        half + half.mul_f64(rand::rng().random::<f64>())
    }
}

/// Client options shared by every backend.
///
/// Deserializes from a configuration table (every key optional, unknown keys refused):
/// `timeout`, `connect_timeout`, `user_agent`, `allow_insecure_http`, `tls`, `retry`.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct ClientOptions {
    /// The whole-request timeout (default 30 s, as the original modules).
    #[serde(with = "humantime_serde")]
    pub timeout: Duration,
    /// The connect timeout.
    #[serde(with = "humantime_serde")]
    pub connect_timeout: Duration,
    /// Certificate checking.
    pub tls: Tls,
    /// The User-Agent header.
    pub user_agent: String,
    /// The retry rule's limits.
    pub retry: RetryConfig,
    /// Accept `http://` to hosts that are not loopback addresses (the password then
    /// crosses the network in clear text; a warning is logged once per client).
    pub allow_insecure_http: bool,
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            tls: Tls::SystemRoots,
            user_agent: concat!("provision/", env!("CARGO_PKG_VERSION")).to_string(),
            retry: RetryConfig::default(),
            allow_insecure_http: false,
        }
    }
}

/// The option keys [`ClientOptions::set`] understands, for error messages and docs.
pub const OPTION_KEYS: &[&str] = &[
    "timeout",
    "connect_timeout",
    "user_agent",
    "allow_insecure_http",
    "tls_ca_file",
    "tls_insecure",
    "max_retries",
    "initial_backoff",
    "max_backoff",
    "retry_deadline",
];

impl ClientOptions {
    /// Sets the whole-request timeout.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Sets the connect timeout.
    pub fn with_connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Sets the TLS mode.
    pub fn with_tls(mut self, tls: Tls) -> Self {
        self.tls = tls;
        self
    }

    /// Sets the retry limits.
    pub fn with_retry(mut self, retry: RetryConfig) -> Self {
        self.retry = retry;
        self
    }

    /// Sets the User-Agent.
    pub fn with_user_agent(mut self, agent: impl Into<String>) -> Self {
        self.user_agent = agent.into();
        self
    }

    /// Accepts (or refuses) cleartext `http://` to hosts that are not loopback.
    pub fn with_allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// The endpoint rules these options imply.
    pub fn endpoint_rules(&self) -> EndpointRules {
        if self.allow_insecure_http {
            EndpointRules::allow_insecure_http()
        } else {
            EndpointRules::strict()
        }
    }

    /// Parses a base URL under these options' rules.
    pub fn endpoint(&self, url: &str) -> Result<Endpoint, Error> {
        Ok(Endpoint::parse_with(url, self.endpoint_rules())?)
    }

    /// Sets one option from its string form, as a URL's options or the environment
    /// give it (keys in [`OPTION_KEYS`]; durations as `"30s"`, `"200ms"`; booleans as
    /// `true`/`false`/`1`/`0`). Returns `Ok(false)` for a key that is not a client
    /// option, so that a backend can try its own keys before refusing it.
    pub fn set(&mut self, key: &str, value: &str) -> Result<bool, Error> {
        let field = option_field(key);
        match key {
            "timeout" => self.timeout = parse_duration(field, value)?,
            "connect_timeout" => self.connect_timeout = parse_duration(field, value)?,
            "user_agent" => self.user_agent = value.to_string(),
            "allow_insecure_http" => self.allow_insecure_http = parse_bool(field, value)?,
            "tls_ca_file" => self.tls = Tls::ca_file(value)?,
            "tls_insecure" => {
                if parse_bool(field, value)? {
                    self.tls = Tls::Insecure;
                }
            }
            "max_retries" => {
                self.retry.max_retries = value.trim().parse().map_err(|_| {
                    Error::invalid(field, format!("{value:?} is not a whole number"))
                })?
            }
            "initial_backoff" => self.retry.initial_backoff = parse_duration(field, value)?,
            "max_backoff" => self.retry.max_backoff = parse_duration(field, value)?,
            "retry_deadline" => self.retry.deadline = parse_duration(field, value)?,
            _ => return Ok(false),
        }
        Ok(true)
    }
}

fn option_field(key: &str) -> &'static str {
    OPTION_KEYS
        .iter()
        .copied()
        .find(|k| *k == key)
        .unwrap_or("option")
}

/// Parses `"30s"`, `"200ms"`, `"1m 30s"`.
pub fn parse_duration(field: &'static str, value: &str) -> Result<Duration, Error> {
    humantime::parse_duration(value.trim())
        .map_err(|e| Error::invalid(field, format!("{value:?} is not a duration ({e})")))
}

/// Parses `true`/`false`, `yes`/`no`, `1`/`0`, `on`/`off`.
pub fn parse_bool(field: &'static str, value: &str) -> Result<bool, Error> {
    match value.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" | "" => Ok(false),
        _ => Err(Error::invalid(
            field,
            format!("{value:?} is not true or false"),
        )),
    }
}
