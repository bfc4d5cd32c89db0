//! The check that no secret reaches a log line or the text of a value: a capture of
//! every `tracing` event and span (fields included) at TRACE, and a scan of that
//! capture and of the `Debug`/`Display` of returned values and errors for the secrets a
//! test used.
//!
//! ```
//! use provision_core::testkit::secrets::{LogCapture, SecretScan};
//!
//! let capture = LogCapture::start();
//! tracing::trace!(path = "/ocs/v2.php/cloud/users", "sending request");
//! let mut scan = SecretScan::new();
//! scan.secret("the account password", "Hunter2-Hunter2");
//! scan.debug("a result", &Ok::<u32, String>(7));
//! scan.assert_captured(&capture, &["/ocs/v2.php/cloud/users"]);
//! scan.assert_clean(&capture);
//! ```

use std::fmt;
use std::io;
use std::sync::{Arc, Mutex, PoisonError};

use secrecy::SecretString;
use tracing::subscriber::DefaultGuard;
use tracing_subscriber::fmt::format::FmtSpan;

use crate::error::Error;
use crate::provider::{AccountSpec, Plan, StorageProvider};

/// Every `tracing` event and span opened on this thread while it lives, as the text
/// lines a log file would hold (no colours), at TRACE. Drop it to stop capturing.
pub struct LogCapture {
    buffer: Arc<Mutex<Vec<u8>>>,
    _guard: DefaultGuard,
}

/// One writer handle into the shared buffer.
struct BufferWriter(Arc<Mutex<Vec<u8>>>);

impl io::Write for BufferWriter {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl LogCapture {
    /// Starts capturing on the current thread (a `current_thread` tokio test runs the
    /// whole client there). Span opening and closing lines are kept too, so that span
    /// fields appear even in spans without events.
    pub fn start() -> LogCapture {
        let buffer = Arc::new(Mutex::new(Vec::new()));
        let writer = Arc::clone(&buffer);
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            // No clock: its digits could match a secret by chance.
            .without_time()
            .with_span_events(FmtSpan::NEW | FmtSpan::CLOSE)
            .with_writer(move || BufferWriter(Arc::clone(&writer)))
            .finish();
        LogCapture {
            buffer,
            _guard: tracing::subscriber::set_default(subscriber),
        }
    }

    /// What was captured so far.
    pub fn text(&self) -> String {
        let bytes = self.buffer.lock().unwrap_or_else(PoisonError::into_inner);
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

/// The secrets of a test, and the texts (`Debug`, `Display`) of what it got back.
#[derive(Default)]
pub struct SecretScan {
    secrets: Vec<(String, String)>,
    texts: Vec<(String, String)>,
}

impl SecretScan {
    /// An empty scan.
    pub fn new() -> SecretScan {
        SecretScan::default()
    }

    /// Adds a secret, described by `what` (the description, never the value, appears
    /// in a failure). Empty values are ignored: they would match everything.
    pub fn secret(&mut self, what: &str, value: &str) -> &mut SecretScan {
        if !value.is_empty() {
            self.secrets.push((what.to_string(), value.to_string()));
        }
        self
    }

    /// Adds the Basic-auth value of `user` and `password` (the base64 of
    /// `user:password`, with and without its `=` padding).
    pub fn basic_auth(&mut self, user: &str, password: &str) -> &mut SecretScan {
        use base64::Engine as _;
        let encoded =
            base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
        self.secret("the Basic-auth value", encoded.trim_end_matches('='));
        self.secret("the Basic-auth value (padded)", &encoded)
    }

    /// Records the `Debug` text of a returned value, named `place`.
    pub fn debug(&mut self, place: &str, value: &dyn fmt::Debug) -> &mut SecretScan {
        self.texts
            .push((format!("{place} (Debug)"), format!("{value:?}")));
        self
    }

    /// Records the `Debug` and `Display` texts of an error and of every error in its
    /// source chain.
    pub fn error(
        &mut self,
        place: &str,
        error: &(dyn std::error::Error + 'static),
    ) -> &mut SecretScan {
        self.debug(place, &error);
        let mut current: Option<&(dyn std::error::Error + 'static)> = Some(error);
        while let Some(e) = current {
            self.texts
                .push((format!("{place} (Display)"), e.to_string()));
            current = e.source();
        }
        self
    }

    /// Records a result: the `Debug` of either side, and the error's texts.
    pub fn result<T: fmt::Debug, E: std::error::Error + 'static>(
        &mut self,
        place: &str,
        result: &Result<T, E>,
    ) -> &mut SecretScan {
        match result {
            Ok(value) => self.debug(place, value),
            Err(error) => self.error(place, error),
        }
    }

    /// Panics unless the capture holds every one of `expected` (e.g. the request paths
    /// the test sent): an empty or partial capture must not pass as clean.
    pub fn assert_captured(&self, capture: &LogCapture, expected: &[&str]) {
        let log = capture.text();
        assert!(
            log.lines().any(|line| line.contains("TRACE")),
            "the capture holds no TRACE line"
        );
        for text in expected {
            assert!(log.contains(text), "the capture never mentions {text:?}");
        }
    }

    /// Panics naming the secret and the place when any secret appears in a captured
    /// log line or in a recorded text. At least one secret and one text must be known.
    pub fn assert_clean(&self, capture: &LogCapture) {
        assert!(!self.secrets.is_empty(), "no secret to look for");
        let log = capture.text();
        for (what, secret) in &self.secrets {
            if let Some(line) = log.lines().position(|line| line.contains(secret.as_str())) {
                panic!("{what} appears in log line {}", line + 1);
            }
            for (place, text) in &self.texts {
                assert!(!text.contains(secret.as_str()), "{what} appears in {place}");
            }
        }
    }
}

/// Runs an account's whole life on `provider` (create, usage, suspend, unsuspend,
/// change password, change plan from `spec`'s plan to `to`, terminate), asserting
/// that each step succeeds and recording each result in `scan`.
pub async fn run_lifecycle(
    provider: &dyn StorageProvider,
    spec: &AccountSpec,
    new_password: &SecretString,
    to: &Plan,
    scan: &mut SecretScan,
) {
    let user = &spec.username;
    scan.debug("the account spec", spec);
    let created = provider.create_account(spec).await;
    scan.result("create_account", &created);
    created.expect("create_account");
    let usage = provider.usage(user).await;
    scan.result("usage", &usage);
    usage.expect("usage");
    let steps: [(&str, Result<(), Error>); 4] = [
        ("suspend", provider.suspend(user).await),
        ("unsuspend", provider.unsuspend(user).await),
        (
            "change_password",
            provider.change_password(user, new_password).await,
        ),
        (
            "change_plan",
            provider.change_plan(user, &spec.plan, to).await,
        ),
    ];
    for (step, result) in steps {
        scan.result(step, &result);
        result.unwrap_or_else(|e| panic!("{step}: {e}"));
    }
    let account = provider.account(user).await;
    scan.result("account", &account);
    account.expect("account");
    let terminated = provider.terminate(user).await;
    scan.result("terminate", &terminated);
    terminated.expect("terminate");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[should_panic(expected = "the admin password appears in log line")]
    fn a_secret_in_a_span_field_is_found() {
        let capture = LogCapture::start();
        let span = tracing::trace_span!("login", password = "s3cr3t-admin");
        span.in_scope(|| tracing::trace!("sending request"));
        let mut scan = SecretScan::new();
        scan.secret("the admin password", "s3cr3t-admin");
        scan.assert_clean(&capture);
    }

    #[test]
    #[should_panic(expected = "the Basic-auth value appears in an error")]
    fn a_basic_auth_value_in_an_error_is_found() {
        let capture = LogCapture::start();
        let error = std::io::Error::other("Authorization: Basic YWRtaW46aHVudGVyMg==");
        let mut scan = SecretScan::new();
        scan.basic_auth("admin", "hunter2")
            .error("an error", &error);
        scan.assert_clean(&capture);
    }

    #[test]
    #[should_panic(expected = "the capture never mentions")]
    fn an_empty_capture_does_not_pass() {
        let capture = LogCapture::start();
        tracing::trace!("something else");
        SecretScan::new().assert_captured(&capture, &["/ocs/v2.php/cloud/users"]);
    }
}
