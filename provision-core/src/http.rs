//! HTTP client options and the one retry loop every backend shares.
//!
//! The retry rule: a connect error is always retried (the request never left); HTTP 5xx,
//! 408 and 429 are retried with exponential backoff and jitter (honouring `Retry-After`,
//! in seconds or as an HTTP date) under a total deadline; a timeout or a dropped
//! connection is retried only when the call is idempotent, because the server may have
//! carried it out. For the same reason a create is not sent again after a 500, 502 or 504
//! (a proxy may answer so after the server acted), only after 408, 429 and 503.
//!
//! A backend whose server reports errors inside a 200 answer (DSM) runs its calls through
//! [`run_exchange`] with an [`Exchange`] that reads each answer and says whether it is
//! done, a transient refusal to resend, or a dead session to renew once: one loop, so
//! one call is sent at most `max_retries + 2` times (the extra one after a renewal).
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
//!
//! // The same options from a configuration file (unknown keys are refused):
//! let options: ClientOptions = serde_json::from_str(
//!     r#"{"timeout": "10s", "tls": {"insecure": true}, "retry": {"max_retries": 2}}"#,
//! ).unwrap();
//! assert_eq!(options.timeout, Duration::from_secs(10));
//! assert_eq!(options.retry.max_retries, 2);
//! ```

use std::time::{Duration, Instant};

use async_trait::async_trait;
use reqwest::StatusCode;

use crate::endpoint::Endpoint;
use crate::error::{Error, TransportError, TransportFailure};

pub use crate::options::{
    parse_bool, parse_duration, ClientOptions, RetryConfig, Tls, OPTION_KEYS,
};

impl ClientOptions {
    /// Builds a `reqwest` client with these options (no cookie store: sessions are
    /// carried explicitly). Logs a warning when certificate checks are off.
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
            Tls::Insecure => {
                tracing::warn!("TLS certificate verification is switched off for this client");
                builder = builder.danger_accept_invalid_certs(true)
            }
        }
        builder
            .build()
            .map_err(|e| Error::invalid("client options", e.to_string()))
    }

    /// [`Self::build_client`] for `endpoint` of `backend`: also logs a warning (once,
    /// here) when the endpoint sends the password in clear text across a network.
    pub fn build_client_for(
        &self,
        backend: &'static str,
        endpoint: &Endpoint,
    ) -> Result<reqwest::Client, Error> {
        if endpoint.is_insecure() {
            tracing::warn!(
                backend,
                host = endpoint.host(),
                "cleartext http to a host that is not loopback: the password crosses the \
                 network unencrypted (allow_insecure_http is set)"
            );
        }
        self.build_client()
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

/// The `Retry-After` header as a duration: delay-seconds, or an HTTP date (the time
/// until then; zero when it has passed).
pub fn retry_after(response: &reqwest::Response) -> Option<Duration> {
    retry_after_in(response.headers())
}

/// [`retry_after`] from an answer's headers.
pub fn retry_after_in(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let value = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?;
    parse_retry_after(value, chrono::Utc::now())
}

/// [`retry_after`] on the header's text, with the time now.
pub fn parse_retry_after(value: &str, now: chrono::DateTime<chrono::Utc>) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    Some(
        (at.with_timezone(&chrono::Utc) - now)
            .to_std()
            .unwrap_or(Duration::ZERO),
    )
}

/// What a backend makes of one answer in [`run_exchange`].
#[derive(Debug)]
pub enum Verdict<T> {
    /// The call's final result.
    Done(Result<T, Error>),
    /// A transient refusal reported inside the answer (e.g. DSM "busy"): the server did
    /// not carry the call out, so it is sent again when the call is idempotent, after at
    /// least `after` when given.
    Retry {
        /// The error returned when no retry is left.
        error: Error,
        /// A wait the server asked for.
        after: Option<Duration>,
    },
    /// The session the request carried is gone and the server refused the call before
    /// acting on it: [`Exchange::renew`] once, then send again.
    Renew(Error),
}

/// One call through the shared retry loop: how to build each attempt and how to read
/// each answer. See [`run_exchange`].
#[async_trait]
pub trait Exchange: Send + Sync {
    /// The call's result.
    type Output: Send;

    /// The backend's name, for errors and logs.
    fn backend(&self) -> &'static str;

    /// Whether the call may be sent again after a timeout or an answer that may come
    /// after the server acted.
    fn idempotency(&self) -> Idempotency;

    /// Builds one attempt afresh (signatures, nonces and sessions are per attempt).
    async fn request(&self) -> Result<reqwest::RequestBuilder, Error>;

    /// Reads an answer whose status the retry rule does not resend by itself.
    async fn read(&self, response: reqwest::Response) -> Verdict<Self::Output>;

    /// Renews the session after [`Verdict::Renew`]; by default there is none to renew.
    async fn renew(&self) -> Result<(), Error> {
        Err(Error::Unsupported("session renewal".into()))
    }
}

/// Runs `exchange` under the retry rule: at most `retry.max_retries` resends for
/// transport failures, retryable statuses and [`Verdict::Retry`], within the deadline,
/// plus at most one resend after a session renewal.
pub async fn run_exchange<E: Exchange + ?Sized>(
    retry: &RetryConfig,
    exchange: &E,
) -> Result<E::Output, Error> {
    let backend = exchange.backend();
    let idempotency = exchange.idempotency();
    let started = Instant::now();
    let mut retries = 0u32;
    let mut renewed = false;
    loop {
        let (client, request) = exchange.request().await?.build_split();
        let attempt = match request {
            Ok(request) => {
                // The path only: queries and bodies may carry names a log should not.
                tracing::trace!(
                    backend,
                    method = %request.method(),
                    path = request.url().path(),
                    attempt = retries + 1,
                    "sending request"
                );
                client.execute(request).await
            }
            Err(e) => Err(e),
        };
        let backoff = retry.backoff(retries + 1);
        // What to do now: Ok(wait) resends after `wait`, Err(final) returns.
        let outcome: Result<Duration, Error> = match attempt {
            Err(e) => {
                let resend =
                    e.is_connect() || (idempotency == Idempotency::Idempotent && !e.is_builder());
                let error = transport_error(backend, e);
                if resend {
                    within_budget(retry, retries, started, backoff).ok_or(error)
                } else {
                    Err(error)
                }
            }
            // The server's Retry-After counts against the deadline as our own backoff
            // does: a wait that would end past it is not waited for.
            Ok(response)
                if is_retryable_status(response.status())
                    && safe_to_resend(response.status(), idempotency)
                    && within_budget(
                        retry,
                        retries,
                        started,
                        at_least(backoff, retry_after(&response)),
                    )
                    .is_some() =>
            {
                Ok(at_least(backoff, retry_after(&response)))
            }
            Ok(response) => match exchange.read(response).await {
                Verdict::Done(result) => return result,
                Verdict::Retry { error, after } => {
                    let wait = at_least(backoff, after);
                    if idempotency == Idempotency::Idempotent {
                        within_budget(retry, retries, started, wait).ok_or(error)
                    } else {
                        Err(error)
                    }
                }
                Verdict::Renew(error) => {
                    if renewed {
                        return Err(error);
                    }
                    renewed = true;
                    exchange.renew().await?;
                    tracing::debug!(backend, "session renewed; sending again");
                    continue;
                }
            },
        };
        let wait = outcome?;
        retries += 1;
        tracing::debug!(backend, retries, ?wait, "retrying request");
        tokio::time::sleep(wait).await;
    }
}

/// Our backoff, or the server's wait when it asks for a longer one.
fn at_least(backoff: Duration, asked: Option<Duration>) -> Duration {
    asked.map_or(backoff, |asked| asked.max(backoff))
}

/// `Some(wait)` when one more retry fits the count and the deadline.
fn within_budget(
    retry: &RetryConfig,
    retries: u32,
    started: Instant,
    wait: Duration,
) -> Option<Duration> {
    (retries < retry.max_retries && started.elapsed() + wait < retry.deadline).then_some(wait)
}

/// An [`Exchange`] whose answer is the response itself (see [`send_with_retry`]).
struct PlainExchange<F> {
    backend: &'static str,
    idempotency: Idempotency,
    make: std::sync::Mutex<F>,
}

#[async_trait]
impl<F> Exchange for PlainExchange<F>
where
    F: FnMut() -> Result<reqwest::RequestBuilder, Error> + Send,
{
    type Output = reqwest::Response;

    fn backend(&self) -> &'static str {
        self.backend
    }

    fn idempotency(&self) -> Idempotency {
        self.idempotency
    }

    async fn request(&self) -> Result<reqwest::RequestBuilder, Error> {
        let mut make = self
            .make
            .lock()
            .map_err(|_| Error::protocol(self.backend, "request builder poisoned"))?;
        (*make)()
    }

    async fn read(&self, response: reqwest::Response) -> Verdict<reqwest::Response> {
        Verdict::Done(Ok(response))
    }
}

/// Sends the request `make` builds, applying the retry rule; returns the last response
/// (which may still be an error status once retries are spent) or the transport error.
///
/// `make` is called once per attempt, so each attempt is built (and signed) afresh.
pub async fn send_with_retry<F>(
    backend: &'static str,
    retry: &RetryConfig,
    idempotency: Idempotency,
    make: F,
) -> Result<reqwest::Response, Error>
where
    F: FnMut() -> Result<reqwest::RequestBuilder, Error> + Send,
{
    let exchange = PlainExchange {
        backend,
        idempotency,
        make: std::sync::Mutex::new(make),
    };
    run_exchange(retry, &exchange).await
}

/// What to do with an answer whose body was cut off while it was read (a connection
/// reset, a proxy that gave up): send the call again when it is idempotent, else
/// return the transport error (the server may have acted). For [`Exchange::read`].
pub fn resend_if_idempotent<T>(error: Error, idempotency: Idempotency) -> Verdict<T> {
    match idempotency {
        Idempotency::Idempotent => Verdict::Retry { error, after: None },
        Idempotency::NotIdempotent => Verdict::Done(Err(error)),
    }
}

/// A whole answer: its status, headers and body, read inside the retry rule.
#[derive(Debug)]
#[non_exhaustive]
pub struct Fetched {
    /// The status.
    pub status: StatusCode,
    /// The headers.
    pub headers: reqwest::header::HeaderMap,
    /// The body.
    pub body: Vec<u8>,
}

/// An [`Exchange`] whose answer is read whole (see [`fetch_with_retry`]).
struct FetchExchange<F>(PlainExchange<F>);

#[async_trait]
impl<F> Exchange for FetchExchange<F>
where
    F: FnMut() -> Result<reqwest::RequestBuilder, Error> + Send,
{
    type Output = Fetched;

    fn backend(&self) -> &'static str {
        self.0.backend
    }

    fn idempotency(&self) -> Idempotency {
        self.0.idempotency
    }

    async fn request(&self) -> Result<reqwest::RequestBuilder, Error> {
        self.0.request().await
    }

    async fn read(&self, response: reqwest::Response) -> Verdict<Fetched> {
        match read_whole(self.0.backend, response).await {
            Ok(fetched) => Verdict::Done(Ok(fetched)),
            Err(error) => resend_if_idempotent(error, self.0.idempotency),
        }
    }
}

/// Reads an answer whole; a transport error when its body is cut off (for
/// [`resend_if_idempotent`]).
pub async fn read_whole(
    backend: &'static str,
    response: reqwest::Response,
) -> Result<Fetched, Error> {
    let status = response.status();
    let headers = response.headers().clone();
    let body = response
        .bytes()
        .await
        .map_err(|e| transport_error(backend, e))?;
    Ok(Fetched {
        status,
        headers,
        body: body.to_vec(),
    })
}

/// [`send_with_retry`], with the body read inside the retry rule: an idempotent call
/// whose answer is cut off while its body is read is sent again.
pub async fn fetch_with_retry<F>(
    backend: &'static str,
    retry: &RetryConfig,
    idempotency: Idempotency,
    make: F,
) -> Result<Fetched, Error>
where
    F: FnMut() -> Result<reqwest::RequestBuilder, Error> + Send,
{
    let exchange = FetchExchange(PlainExchange {
        backend,
        idempotency,
        make: std::sync::Mutex::new(make),
    });
    run_exchange(retry, &exchange).await
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

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        let now = chrono::DateTime::parse_from_rfc3339("2026-12-01T10:00:00Z")
            .unwrap()
            .with_timezone(&chrono::Utc);
        assert_eq!(parse_retry_after("7", now), Some(Duration::from_secs(7)));
        assert_eq!(
            parse_retry_after("Tue, 01 Dec 2026 10:00:30 GMT", now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            parse_retry_after("Tue, 01 Dec 2026 09:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
    }

    #[test]
    fn options_set_from_strings_and_refuse_bad_values() {
        let mut options = ClientOptions::default();
        assert!(options.set("timeout", "5s").unwrap());
        assert!(options.set("max_retries", "2").unwrap());
        assert!(options.set("retry_deadline", "1m").unwrap());
        assert!(options.set("allow_insecure_http", "yes").unwrap());
        assert!(options.set("tls_insecure", "true").unwrap());
        assert_eq!(options.timeout, Duration::from_secs(5));
        assert_eq!(options.retry.max_retries, 2);
        assert_eq!(options.retry.deadline, Duration::from_secs(60));
        assert!(options.allow_insecure_http);
        assert!(matches!(options.tls, Tls::Insecure));
        assert!(
            !options.set("page_size", "10").unwrap(),
            "not a client option"
        );
        let err = options.set("timeout", "soon").unwrap_err().to_string();
        assert!(err.contains("timeout"), "{err}");
        assert!(options.set("max_retries", "-1").is_err());
        assert!(options.set("tls_ca_file", "/surely/not/here.pem").is_err());
        assert!(options.endpoint("http://nas.example.com").is_ok());
        assert!(ClientOptions::default()
            .endpoint("http://nas.example.com")
            .is_err());
    }

    #[test]
    fn options_deserialize_and_name_unknown_keys() {
        let options: ClientOptions = toml::from_str(
            "timeout = \"12s\"\nuser_agent = \"billing\"\n[retry]\nmax_retries = 0\ninitial_backoff = \"50ms\"\n[tls]\nca_pem = \"x\"",
        )
        .unwrap();
        assert_eq!(options.timeout, Duration::from_secs(12));
        assert_eq!(options.retry.initial_backoff, Duration::from_millis(50));
        assert!(matches!(options.tls, Tls::ExtraCa(_)));
        let err = toml::from_str::<ClientOptions>("timout = \"1s\"").unwrap_err();
        assert!(err.to_string().contains("timout"), "{err}");
        let err =
            toml::from_str::<ClientOptions>("[tls]\ninsecure = true\nca_pem = \"x\"").unwrap_err();
        assert!(err.to_string().contains("one of"), "{err}");
    }

    /// The sends of one call under every fault, against a real HTTP server.
    mod send_bound {
        use std::sync::atomic::{AtomicU32, Ordering};
        use std::sync::Arc;

        use wiremock::matchers::any;
        use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

        use super::*;

        const RETRIES: u32 = 3;

        fn quick() -> RetryConfig {
            RetryConfig::new(
                RETRIES,
                Duration::from_millis(1),
                Duration::from_millis(2),
                Duration::from_secs(30),
            )
        }

        /// Answers every request with `template`, counting them.
        struct Counting(Arc<AtomicU32>, ResponseTemplate);

        impl Respond for Counting {
            fn respond(&self, _: &Request) -> ResponseTemplate {
                self.0.fetch_add(1, Ordering::SeqCst);
                self.1.clone()
            }
        }

        async fn server(template: ResponseTemplate) -> (MockServer, Arc<AtomicU32>) {
            let server = MockServer::start().await;
            let count = Arc::new(AtomicU32::new(0));
            Mock::given(any())
                .respond_with(Counting(count.clone(), template))
                .mount(&server)
                .await;
            (server, count)
        }

        /// A DSM-like call: the body says "busy", "session gone" or "ok".
        struct BodyCall {
            url: String,
            client: reqwest::Client,
            idempotency: Idempotency,
            renewals: AtomicU32,
        }

        #[async_trait]
        impl Exchange for BodyCall {
            type Output = String;
            fn backend(&self) -> &'static str {
                "test"
            }
            fn idempotency(&self) -> Idempotency {
                self.idempotency
            }
            async fn request(&self) -> Result<reqwest::RequestBuilder, Error> {
                Ok(self.client.post(&self.url))
            }
            async fn read(&self, response: reqwest::Response) -> Verdict<String> {
                let body = response.text().await.unwrap_or_default();
                let error = || Error::protocol("test", body.clone());
                match body.as_str() {
                    "busy" => Verdict::Retry {
                        error: error(),
                        after: None,
                    },
                    "session gone" => Verdict::Renew(error()),
                    _ => Verdict::Done(Ok(body.clone())),
                }
            }
            async fn renew(&self) -> Result<(), Error> {
                self.renewals.fetch_add(1, Ordering::SeqCst);
                Ok(())
            }
        }

        async fn body_call(
            body: &str,
            idempotency: Idempotency,
        ) -> (u32, u32, Result<String, Error>) {
            let (server, count) = server(ResponseTemplate::new(200).set_body_string(body)).await;
            let call = BodyCall {
                url: server.uri(),
                client: reqwest::Client::new(),
                idempotency,
                renewals: AtomicU32::new(0),
            };
            let result = run_exchange(&quick(), &call).await;
            (
                count.load(Ordering::SeqCst),
                call.renewals.load(Ordering::SeqCst),
                result,
            )
        }

        async fn plain(status: u16, idempotency: Idempotency) -> u32 {
            let (server, count) = server(ResponseTemplate::new(status)).await;
            let client = reqwest::Client::new();
            let response = send_with_retry("test", &quick(), idempotency, || {
                Ok(client.get(server.uri()))
            })
            .await
            .unwrap();
            assert_eq!(
                response.status().as_u16(),
                status,
                "the last answer comes back"
            );
            count.load(Ordering::SeqCst)
        }

        #[tokio::test]
        async fn status_faults() {
            for status in [500, 502, 503, 504, 408, 429] {
                assert_eq!(
                    plain(status, Idempotency::Idempotent).await,
                    RETRIES + 1,
                    "{status}"
                );
            }
            for status in [408, 429, 503] {
                assert_eq!(
                    plain(status, Idempotency::NotIdempotent).await,
                    RETRIES + 1,
                    "{status}"
                );
            }
            for status in [500, 502, 504] {
                assert_eq!(
                    plain(status, Idempotency::NotIdempotent).await,
                    1,
                    "{status}"
                );
            }
            for status in [200, 400, 401, 403, 404, 409] {
                assert_eq!(plain(status, Idempotency::Idempotent).await, 1, "{status}");
            }
        }

        #[tokio::test]
        async fn faults_inside_the_answer() {
            let (sends, renewals, result) = body_call("busy", Idempotency::Idempotent).await;
            assert_eq!((sends, renewals), (RETRIES + 1, 0));
            assert!(result.is_err());
            let (sends, _, result) = body_call("busy", Idempotency::NotIdempotent).await;
            assert_eq!(sends, 1, "a create is not resent on a body-level refusal");
            assert!(result.is_err());
            // A dead session: renewed once, resent once, never more.
            let (sends, renewals, result) =
                body_call("session gone", Idempotency::NotIdempotent).await;
            assert_eq!((sends, renewals), (2, 1));
            assert!(result.is_err());
            let (sends, renewals, result) = body_call("ok", Idempotency::Idempotent).await;
            assert_eq!((sends, renewals), (1, 0));
            assert_eq!(result.unwrap(), "ok");
        }

        #[tokio::test]
        async fn a_renewal_then_busy_stays_within_retries_plus_two() {
            // First answer: session gone; then busy forever.
            struct Sequence(Arc<AtomicU32>);
            impl Respond for Sequence {
                fn respond(&self, _: &Request) -> ResponseTemplate {
                    let n = self.0.fetch_add(1, Ordering::SeqCst);
                    ResponseTemplate::new(200).set_body_string(if n == 0 {
                        "session gone"
                    } else {
                        "busy"
                    })
                }
            }
            let server = MockServer::start().await;
            let count = Arc::new(AtomicU32::new(0));
            Mock::given(any())
                .respond_with(Sequence(count.clone()))
                .mount(&server)
                .await;
            let call = BodyCall {
                url: server.uri(),
                client: reqwest::Client::new(),
                idempotency: Idempotency::Idempotent,
                renewals: AtomicU32::new(0),
            };
            assert!(run_exchange(&quick(), &call).await.is_err());
            assert_eq!(count.load(Ordering::SeqCst), RETRIES + 2);
        }

        #[tokio::test]
        async fn timeouts_are_resent_only_for_idempotent_calls() {
            for (idempotency, expected) in [
                (Idempotency::Idempotent, RETRIES + 1),
                (Idempotency::NotIdempotent, 1),
            ] {
                let (server, count) =
                    server(ResponseTemplate::new(200).set_delay(Duration::from_millis(300))).await;
                let client = reqwest::Client::builder()
                    .timeout(Duration::from_millis(50))
                    .build()
                    .unwrap();
                let err = send_with_retry("test", &quick(), idempotency, || {
                    Ok(client.get(server.uri()))
                })
                .await
                .unwrap_err();
                assert!(
                    err.may_have_reached_server(),
                    "a timeout may have been carried out"
                );
                // The server counts a request when it arrives, before the delay.
                assert_eq!(count.load(Ordering::SeqCst), expected, "{idempotency:?}");
            }
        }

        #[tokio::test]
        async fn connect_errors_are_always_resent() {
            // A port nobody listens on: bind, read the port, close.
            let port = std::net::TcpListener::bind("127.0.0.1:0")
                .unwrap()
                .local_addr()
                .unwrap()
                .port();
            let attempts = AtomicU32::new(0);
            let client = reqwest::Client::new();
            let err = send_with_retry("test", &quick(), Idempotency::NotIdempotent, || {
                attempts.fetch_add(1, Ordering::SeqCst);
                Ok(client.get(format!("http://127.0.0.1:{port}/")))
            })
            .await
            .unwrap_err();
            assert!(!err.may_have_reached_server());
            assert_eq!(attempts.load(Ordering::SeqCst), RETRIES + 1);
        }

        #[tokio::test]
        async fn a_retry_after_past_the_deadline_is_not_waited_for() {
            for header in ["3600", "Wed, 21 Oct 2099 07:28:00 GMT"] {
                let (server, count) =
                    server(ResponseTemplate::new(503).insert_header("Retry-After", header)).await;
                let client = reqwest::Client::new();
                let retry = RetryConfig::new(
                    RETRIES,
                    Duration::from_millis(1),
                    Duration::from_millis(2),
                    Duration::from_secs(5),
                );
                let started = Instant::now();
                let response = tokio::time::timeout(
                    Duration::from_secs(10),
                    send_with_retry("test", &retry, Idempotency::Idempotent, || {
                        Ok(client.get(server.uri()))
                    }),
                )
                .await
                .expect("the call returned instead of sleeping for the server's wait")
                .unwrap();
                assert_eq!(response.status(), 503, "{header}: the answer as it came");
                assert_eq!(count.load(Ordering::SeqCst), 1, "{header}: not resent");
                assert!(started.elapsed() < Duration::from_secs(5), "{header}");
            }
        }

        /// A server on a std thread that cuts the first `cut` answers off in the middle
        /// of their body (Content-Length says 64, 3 bytes come, the socket closes), then
        /// answers whole; returns its URL and the connections it took.
        fn cutting_server(cut: u32) -> (String, Arc<AtomicU32>) {
            use std::io::{Read, Write};
            let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            let url = format!("http://{}", listener.local_addr().unwrap());
            let connections = Arc::new(AtomicU32::new(0));
            let counted = connections.clone();
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    let Ok(mut stream) = stream else { return };
                    let n = counted.fetch_add(1, Ordering::SeqCst);
                    let mut request = [0u8; 4096];
                    let _ = stream.read(&mut request);
                    let answer: &[u8] = if n < cut {
                        b"HTTP/1.1 200 OK\r\nContent-Length: 64\r\nConnection: close\r\n\r\nabc"
                    } else {
                        b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nwhole"
                    };
                    let _ = stream.write_all(answer);
                }
            });
            (url, connections)
        }

        #[tokio::test]
        async fn an_answer_cut_off_in_its_body_is_resent_only_for_idempotent_calls() {
            let client = reqwest::Client::new();
            let (url, connections) = cutting_server(2);
            let fetched = fetch_with_retry("test", &quick(), Idempotency::Idempotent, || {
                Ok(client.get(&url))
            })
            .await
            .unwrap();
            assert_eq!(fetched.body, b"whole");
            assert_eq!(
                connections.load(Ordering::SeqCst),
                3,
                "two cut answers, then a whole one"
            );

            let (url, connections) = cutting_server(1);
            let err = fetch_with_retry("test", &quick(), Idempotency::NotIdempotent, || {
                Ok(client.post(&url))
            })
            .await
            .unwrap_err();
            assert!(matches!(err, Error::Transport(_)), "{err}");
            assert_eq!(
                connections.load(Ordering::SeqCst),
                1,
                "a create is never sent twice"
            );

            let (url, connections) = cutting_server(u32::MAX);
            let err = fetch_with_retry("test", &quick(), Idempotency::Idempotent, || {
                Ok(client.get(&url))
            })
            .await
            .unwrap_err();
            assert!(matches!(err, Error::Transport(_)), "{err}");
            assert_eq!(
                connections.load(Ordering::SeqCst),
                RETRIES + 1,
                "within the bound"
            );
        }

        #[tokio::test]
        async fn the_deadline_stops_retries_early() {
            let (server, count) = server(ResponseTemplate::new(503)).await;
            let client = reqwest::Client::new();
            // Each wait is 50 to 100 ms (jitter in the upper half): after one wait, a
            // second would end past the 100 ms deadline, whatever the jitter.
            let retry = RetryConfig::new(
                10,
                Duration::from_millis(100),
                Duration::from_millis(100),
                Duration::from_millis(100),
            );
            send_with_retry("test", &retry, Idempotency::Idempotent, || {
                Ok(client.get(server.uri()))
            })
            .await
            .unwrap();
            assert!(count.load(Ordering::SeqCst) <= 2, "{count:?}");
        }
    }
}
