//! HTTP client options and the retry rule every backend shares.
//!
//! The retry rule: a connect error is always retried (the request never left); HTTP 5xx,
//! 408 and 429 are retried with exponential backoff and jitter (honouring `Retry-After`)
//! under a total deadline; a timeout is retried only when the call is idempotent, because
//! the server may have carried it out. For the same reason a create is not sent again
//! after a 500, 502 or 504 (a proxy may answer so after the server acted), only after
//! 408, 429 and 503.
//!
//! ```
//! use std::time::Duration;
//! use provision_core::http::{ClientOptions, Tls};
//!
//! let options = ClientOptions::default()
//!     .with_timeout(Duration::from_secs(10))
//!     .with_tls(Tls::Insecure); // a self-signed appliance, on purpose
//! let client = options.build_client().unwrap();
//! # drop(client);
//! ```

use std::fmt;
use std::time::{Duration, Instant};

use rand::Rng;
use reqwest::StatusCode;

use crate::error::{Error, TransportError, TransportFailure};

/// How the client checks the server's TLS certificate.
#[derive(Clone, Default)]
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

/// When and how often a failed request is sent again.
#[derive(Debug, Clone)]
pub struct RetryConfig {
    /// Retries after the first attempt.
    pub max_retries: u32,
    /// The first backoff; each retry doubles it.
    pub initial_backoff: Duration,
    /// The longest single backoff.
    pub max_backoff: Duration,
    /// No retry starts after this much time since the first attempt.
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
    /// No retries at all.
    pub fn none() -> Self {
        RetryConfig {
            max_retries: 0,
            ..RetryConfig::default()
        }
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
#[derive(Debug, Clone)]
pub struct ClientOptions {
    /// The whole-request timeout (default 30 s, as the original modules).
    pub timeout: Duration,
    /// The connect timeout.
    pub connect_timeout: Duration,
    /// Certificate checking.
    pub tls: Tls,
    /// The User-Agent header.
    pub user_agent: String,
    /// The retry rule's limits.
    pub retry: RetryConfig,
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            tls: Tls::SystemRoots,
            user_agent: concat!("provision/", env!("CARGO_PKG_VERSION")).to_string(),
            retry: RetryConfig::default(),
        }
    }
}

impl ClientOptions {
    /// Sets the whole-request timeout.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
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

    /// Builds a `reqwest` client with these options (no cookie store: sessions are
    /// carried explicitly).
    pub fn build_client(&self) -> Result<reqwest::Client, Error> {
        let mut builder = reqwest::Client::builder()
            .timeout(self.timeout)
            .connect_timeout(self.connect_timeout)
            .user_agent(self.user_agent.clone())
            .pool_max_idle_per_host(64);
        match &self.tls {
            Tls::SystemRoots => {}
            Tls::ExtraCa(pem) => {
                let certs = reqwest::Certificate::from_pem_bundle(pem)
                    .map_err(|e| Error::invalid("tls extra CA", e.to_string()))?;
                if certs.is_empty() {
                    return Err(Error::invalid("tls extra CA", "no PEM certificate found"));
                }
                for cert in certs {
                    builder = builder.add_root_certificate(cert);
                }
            }
            Tls::Insecure => builder = builder.danger_accept_invalid_certs(true),
        }
        builder
            .build()
            .map_err(|e| Error::invalid("client options", e.to_string()))
    }
}

/// Whether sending a request twice has the same effect as sending it once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Idempotency {
    /// Reads, deletes, "set X to Y": a timed-out attempt may be sent again.
    Idempotent,
    /// Creates: a timed-out attempt is never sent again blind.
    NotIdempotent,
}

/// Maps a `reqwest` error to a transport error of `backend`.
pub fn transport_error(backend: &'static str, e: reqwest::Error) -> Error {
    let failure = if e.is_connect() {
        TransportFailure::Connect
    } else if e.is_timeout() {
        TransportFailure::Timeout
    } else {
        TransportFailure::Interrupted
    };
    Error::Transport(TransportError {
        backend,
        failure,
        // reqwest's message names the URL; our URLs never hold credentials.
        message: e.to_string(),
        source: Some(Box::new(e)),
    })
}

/// Whether a status is one the retry rule sends again.
pub fn is_retryable_status(status: StatusCode) -> bool {
    status.is_server_error()
        || status == StatusCode::REQUEST_TIMEOUT
        || status == StatusCode::TOO_MANY_REQUESTS
}

/// Whether an answer with a retryable status may be sent again: always for an
/// idempotent call; for a create only when the status says the server did not act on it
/// (429, 503, 408), because a 500/502/504 may come from a proxy after the server acted.
fn safe_to_resend(status: StatusCode, idempotency: Idempotency) -> bool {
    idempotency == Idempotency::Idempotent
        || matches!(
            status,
            StatusCode::TOO_MANY_REQUESTS
                | StatusCode::SERVICE_UNAVAILABLE
                | StatusCode::REQUEST_TIMEOUT
        )
}

/// The `Retry-After` header as a duration (seconds form only).
pub fn retry_after(response: &reqwest::Response) -> Option<Duration> {
    response
        .headers()
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse::<u64>()
        .ok()
        .map(Duration::from_secs)
}

/// Sends the request `make` builds, applying the retry rule; returns the last response
/// (which may still be an error status once retries are spent) or the transport error.
///
/// `make` is called once per attempt, so each attempt is built (and signed) afresh.
pub async fn send_with_retry<F>(
    backend: &'static str,
    retry: &RetryConfig,
    idempotency: Idempotency,
    mut make: F,
) -> Result<reqwest::Response, Error>
where
    F: FnMut() -> Result<reqwest::RequestBuilder, Error>,
{
    let started = Instant::now();
    let mut attempt = 0u32;
    loop {
        let result = make()?.send().await;
        let wait = match &result {
            Ok(resp)
                if is_retryable_status(resp.status())
                    && safe_to_resend(resp.status(), idempotency) =>
            {
                let backoff = retry.backoff(attempt + 1);
                Some(retry_after(resp).map_or(backoff, |ra| ra.max(backoff)))
            }
            Ok(_) => None,
            Err(e) if e.is_connect() => Some(retry.backoff(attempt + 1)),
            Err(e) if e.is_timeout() && idempotency == Idempotency::Idempotent => {
                Some(retry.backoff(attempt + 1))
            }
            Err(_) => None,
        };
        match wait {
            Some(wait)
                if attempt < retry.max_retries && started.elapsed() + wait < retry.deadline =>
            {
                tracing::debug!(backend, attempt, ?wait, "retrying request");
                attempt += 1;
                tokio::time::sleep(wait).await;
            }
            _ => return result.map_err(|e| transport_error(backend, e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped() {
        let r = RetryConfig {
            max_retries: 10,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(1),
            deadline: Duration::from_secs(60),
        };
        for retry in 1..10 {
            let b = r.backoff(retry);
            let full =
                (Duration::from_millis(100) * (1 << (retry - 1))).min(Duration::from_secs(1));
            assert!(b >= full / 2 && b <= full, "retry {retry}: {b:?}");
        }
    }

    #[test]
    fn retryable_statuses() {
        for s in [500, 502, 503, 504, 408, 429] {
            assert!(is_retryable_status(StatusCode::from_u16(s).unwrap()));
        }
        for s in [200, 400, 401, 403, 404, 409] {
            assert!(!is_retryable_status(StatusCode::from_u16(s).unwrap()));
        }
    }

    #[test]
    fn creates_are_resent_only_when_the_server_did_not_act() {
        for s in [408, 429, 503] {
            let status = StatusCode::from_u16(s).unwrap();
            assert!(safe_to_resend(status, Idempotency::NotIdempotent));
        }
        for s in [500, 502, 504] {
            let status = StatusCode::from_u16(s).unwrap();
            assert!(!safe_to_resend(status, Idempotency::NotIdempotent));
            assert!(safe_to_resend(status, Idempotency::Idempotent));
        }
    }

    #[test]
    fn bad_extra_ca_is_a_typed_error() {
        let err = ClientOptions::default()
            .with_tls(Tls::ExtraCa(b"not a certificate".to_vec()))
            .build_client();
        assert!(err.is_err());
    }
}
