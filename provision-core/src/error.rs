//! The one error type of provision's core layer.
//!
//! Every failure carries a normalised [`ErrorKind`] that callers match on, and where a
//! server answered, the server's own status, code and message for operators (as sqlx
//! keeps a database's code beside its own kind).

use std::fmt;
use std::time::Duration;

use crate::endpoint::EndpointError;
use crate::notify::TemplateError;
use crate::quota::QuotaError;
use crate::rules::{NameError, PasswordRuleError, RuleError};
use crate::username::UsernameError;

/// A boxed error source, kept for its `Display` and its chain.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// The result type of the whole library.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What kind of failure happened, independent of the backend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The input was rejected (before sending, or by the server).
    InvalidInput,
    /// The account, group or object does not exist.
    NotFound,
    /// The account, group or object exists already.
    AlreadyExists,
    /// The credentials are wrong or lack a right the call needs.
    PermissionDenied,
    /// The server throttles us; try later.
    RateLimited,
    /// A failure that may pass: connection trouble, a 5xx, a timeout.
    Transient,
    /// The backend or its version cannot do this.
    Unsupported,
    /// Anything else: an answer we could not understand, a broken invariant.
    Unexpected,
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ErrorKind::InvalidInput => "invalid input",
            ErrorKind::NotFound => "not found",
            ErrorKind::AlreadyExists => "already exists",
            ErrorKind::PermissionDenied => "permission denied",
            ErrorKind::RateLimited => "rate limited",
            ErrorKind::Transient => "transient failure",
            ErrorKind::Unsupported => "unsupported",
            ErrorKind::Unexpected => "unexpected",
        })
    }
}

/// Why a terminate refused to delete what it found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum DeletionRefusal {
    /// Nothing on the server shows these belong to the account (no user with the
    /// provider's policy mapped): they may be someone else's.
    OwnershipUnproven,
    /// Object lock is enabled on them: retained objects cannot be deleted, so
    /// deleting would stop half-way.
    ObjectLocked,
}

impl fmt::Display for DeletionRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DeletionRefusal::OwnershipUnproven => "cannot show these belong to the account",
            DeletionRefusal::ObjectLocked => "object lock is enabled on these",
        })
    }
}

/// Input rejected before any request was sent.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum InputError {
    /// A quota or size that cannot be used.
    #[error(transparent)]
    Quota(#[from] QuotaError),
    /// A name rule that does not parse.
    #[error(transparent)]
    NameRule(#[from] RuleError),
    /// A name that cannot be made to fit the backend's policy.
    #[error(transparent)]
    Name(#[from] NameError),
    /// A password rule that does not parse, or a password that breaks it.
    #[error(transparent)]
    PasswordRule(#[from] PasswordRuleError),
    /// A notification template that does not load.
    #[error(transparent)]
    Template(#[from] TemplateError),
    /// A user name that is not valid.
    #[error(transparent)]
    Username(#[from] UsernameError),
    /// An e-mail address that is not valid.
    #[error(transparent)]
    Email(#[from] crate::email::EmailError),
    /// A configuration that does not load (a file, a URL's options, the environment).
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    /// A server address that cannot be used.
    #[error("invalid server address: {0}")]
    Endpoint(#[from] EndpointError),
    /// Any other field with a reason.
    #[error("invalid {field}: {reason}")]
    Field {
        /// The field or argument at fault.
        field: &'static str,
        /// Why it was rejected.
        reason: String,
    },
}

/// A server answered, and the answer was an error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerError {
    /// Which backend answered ("nextcloud", "synology", "minio", "in-memory").
    pub backend: &'static str,
    /// The normalised kind.
    pub kind: ErrorKind,
    /// The HTTP status, when there was one.
    pub http_status: Option<u16>,
    /// The server's own code (an OCS status code, a DSM error code, an S3 error code).
    pub code: Option<String>,
    /// The server's own message, as it sent it.
    pub message: String,
    /// How long the server asked us to wait, when it said.
    pub retry_after: Option<Duration>,
}

impl ServerError {
    /// A server error of `kind` with the backend's message; add codes with the setters.
    pub fn new(backend: &'static str, kind: ErrorKind, message: impl Into<String>) -> Self {
        ServerError {
            backend,
            kind,
            http_status: None,
            code: None,
            message: message.into(),
            retry_after: None,
        }
    }

    /// Sets the HTTP status.
    pub fn with_http_status(mut self, status: u16) -> Self {
        self.http_status = Some(status);
        self
    }

    /// Sets the server's own code.
    pub fn with_code(mut self, code: impl Into<String>) -> Self {
        self.code = Some(code.into());
        self
    }

    /// Sets the wait the server asked for.
    pub fn with_retry_after(mut self, wait: Duration) -> Self {
        self.retry_after = Some(wait);
        self
    }
}

impl fmt::Display for ServerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} answered {}", self.backend, self.kind)?;
        match (&self.code, self.http_status) {
            (Some(code), Some(status)) => write!(f, " (code {code}, HTTP {status})")?,
            (Some(code), None) => write!(f, " (code {code})")?,
            (None, Some(status)) => write!(f, " (HTTP {status})")?,
            (None, None) => {}
        }
        if !self.message.is_empty() {
            write!(f, ": {}", self.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for ServerError {}

/// How a request failed to complete.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportFailure {
    /// No connection was made: the request never reached the server.
    Connect,
    /// No answer in time: the request may have been carried out.
    Timeout,
    /// The connection broke after the request was sent.
    Interrupted,
    /// TLS could not be set up (certificate, protocol).
    Tls,
}

impl TransportFailure {
    /// Whether a request that failed this way may have been carried out by the server.
    pub fn may_have_reached_server(self) -> bool {
        matches!(
            self,
            TransportFailure::Timeout | TransportFailure::Interrupted
        )
    }
}

/// The request did not complete.
#[derive(Debug, thiserror::Error)]
#[error("{backend}: {failure:?} failure: {message}")]
pub struct TransportError {
    /// Which backend we were talking to.
    pub backend: &'static str,
    /// How it failed.
    pub failure: TransportFailure,
    /// A description (never containing a secret).
    pub message: String,
    /// The underlying error.
    #[source]
    pub source: Option<BoxError>,
}

/// Every error the library returns.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Input rejected before any request was sent.
    #[error("invalid input: {0}")]
    Input(#[from] InputError),
    /// The server answered with an error.
    #[error(transparent)]
    Server(#[from] ServerError),
    /// The request did not complete.
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// The server's answer could not be understood.
    #[error("{backend}: unexpected answer: {message}")]
    Protocol {
        /// Which backend answered.
        backend: &'static str,
        /// What was wrong with the answer.
        message: String,
    },
    /// The account does not exist.
    #[error("account {username} does not exist")]
    AccountNotFound {
        /// The account asked for.
        username: String,
    },
    /// The account exists already.
    #[error("account {username} already exists")]
    AccountExists {
        /// The account asked for.
        username: String,
    },
    /// The account is one the provider must never change: the one it logs in with, or
    /// one the server reports as an administrator. Refused before any change is sent.
    #[error("account {username} is protected: {reason}")]
    ProtectedAccount {
        /// The account asked for.
        username: String,
        /// Why it is protected.
        reason: crate::protected::Protection,
    },
    /// Terminate found things it will not delete; nothing was deleted.
    #[error("terminate of {username} refused: {reason}: {}", resources.join(", "))]
    DeletionRefused {
        /// The account asked for.
        username: String,
        /// What was not deleted (bucket names, ...).
        resources: Vec<String>,
        /// Why.
        reason: DeletionRefusal,
    },
    /// No free name was found within the attempts allowed.
    #[error("no free user name after {attempts} attempts (last tried: {last_tried})")]
    NamesExhausted {
        /// How many candidates were checked.
        attempts: u32,
        /// The last candidate.
        last_tried: String,
    },
    /// The backend cannot do this.
    #[error("unsupported: {0}")]
    Unsupported(String),
    /// A multi-step operation failed and undoing its earlier steps failed too.
    #[error("{operation} failed ({error}); undoing its earlier steps also failed ({rollback})")]
    RollbackFailed {
        /// The operation that failed.
        operation: &'static str,
        /// Why it failed.
        error: Box<Error>,
        /// Why the undo failed: the state may be half-done, see this error.
        rollback: Box<Error>,
    },
    /// A step of a multi-step operation may or may not have been carried out (its answer
    /// was lost and looking it up failed too): `may_remain` says what may be left on the
    /// server. Earlier steps were undone where they could be.
    #[error("{operation} failed ({error}); its outcome is unknown: may remain: {}", may_remain.join(", "))]
    OutcomeUnknown {
        /// The operation that failed.
        operation: &'static str,
        /// The error whose outcome could not be settled.
        error: Box<Error>,
        /// What may be left on the server, in words ("account cust42", "group basic").
        may_remain: Vec<String>,
    },
    /// The usage history store failed.
    #[error("history store: {message}")]
    Store {
        /// What failed.
        message: String,
        /// The store's error.
        #[source]
        source: Option<BoxError>,
    },
    /// The ledger failed, or refused an operation in the service's state.
    #[error(transparent)]
    Ledger(#[from] crate::ledger::LedgerError),
}

impl Error {
    /// An invalid field, rejected before sending.
    pub fn invalid(field: &'static str, reason: impl Into<String>) -> Self {
        Error::Input(InputError::Field {
            field,
            reason: reason.into(),
        })
    }

    /// An answer the client could not understand.
    pub fn protocol(backend: &'static str, message: impl Into<String>) -> Self {
        Error::Protocol {
            backend,
            message: message.into(),
        }
    }

    /// The normalised kind of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Input(_) => ErrorKind::InvalidInput,
            Error::Server(e) => e.kind,
            Error::Transport(_) => ErrorKind::Transient,
            Error::Protocol { .. } => ErrorKind::Unexpected,
            Error::AccountNotFound { .. } => ErrorKind::NotFound,
            Error::AccountExists { .. } | Error::NamesExhausted { .. } => ErrorKind::AlreadyExists,
            Error::ProtectedAccount { .. } | Error::DeletionRefused { .. } => {
                ErrorKind::PermissionDenied
            }
            Error::Unsupported(_) => ErrorKind::Unsupported,
            Error::RollbackFailed { error, .. } | Error::OutcomeUnknown { error, .. } => {
                error.kind()
            }
            Error::Store { .. } => ErrorKind::Unexpected,
            Error::Ledger(e) => e.kind(),
        }
    }

    /// Whether sending the same request again later may succeed.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Server(e) => matches!(e.kind, ErrorKind::Transient | ErrorKind::RateLimited),
            Error::Transport(_) => true,
            _ => false,
        }
    }

    /// Whether a failed request that changes something may still have been carried
    /// out, so that only looking can tell: an ambiguous failure
    /// ([`Self::is_ambiguous`]), an answer that could not be read (the server may have
    /// acted before it answered), or an outcome already reported unknown.
    pub fn leaves_outcome_unknown(&self) -> bool {
        self.is_ambiguous() || matches!(self, Error::Protocol { .. } | Error::OutcomeUnknown { .. })
    }

    /// Whether the failed request's outcome is unknown: it may have been carried out
    /// (a timeout, a dropped connection, a 5xx that may come from a proxy after the
    /// server acted). Such a failure is settled by looking, never by sending again blind.
    pub fn is_ambiguous(&self) -> bool {
        self.may_have_reached_server() && self.is_retryable()
    }

    /// Whether the failed request may have been carried out by the server: a create that
    /// timed out must be settled by looking the account up, not by sending it again.
    pub fn may_have_reached_server(&self) -> bool {
        match self {
            Error::Input(_) => false,
            Error::Transport(e) => e.failure.may_have_reached_server(),
            Error::Unsupported(_) | Error::NamesExhausted { .. } => false,
            // A server answered: it saw the request (and refused it, or not).
            _ => true,
        }
    }

    /// The server's own code, when a server answered with one.
    pub fn server_code(&self) -> Option<&str> {
        match self {
            Error::Server(e) => e.code.as_deref(),
            Error::RollbackFailed { error, .. } | Error::OutcomeUnknown { error, .. } => {
                error.server_code()
            }
            _ => None,
        }
    }

    /// The server's own message, when a server answered.
    pub fn server_message(&self) -> Option<&str> {
        match self {
            Error::Server(e) => Some(&e.message),
            Error::RollbackFailed { error, .. } | Error::OutcomeUnknown { error, .. } => {
                error.server_message()
            }
            _ => None,
        }
    }

    /// How long the server asked to wait before trying again, when it said so.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::Server(e) => e.retry_after,
            Error::RollbackFailed { error, .. } | Error::OutcomeUnknown { error, .. } => {
                error.retry_after()
            }
            _ => None,
        }
    }
}

macro_rules! input_from {
    ($($t:ty),*) => {$(
        impl From<$t> for Error {
            fn from(e: $t) -> Self {
                Error::Input(InputError::from(e))
            }
        }
    )*};
}
input_from!(
    QuotaError,
    RuleError,
    NameError,
    PasswordRuleError,
    TemplateError,
    UsernameError,
    EndpointError,
    crate::email::EmailError
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_error_keeps_code_and_message() {
        let e: Error =
            ServerError::new("nextcloud", ErrorKind::AlreadyExists, "User already exists")
                .with_code("102")
                .with_http_status(200)
                .into();
        assert_eq!(e.kind(), ErrorKind::AlreadyExists);
        assert_eq!(e.server_code(), Some("102"));
        assert_eq!(e.server_message(), Some("User already exists"));
        assert!(!e.is_retryable());
        assert_eq!(
            e.to_string(),
            "nextcloud answered already exists (code 102, HTTP 200): User already exists"
        );
    }

    #[test]
    fn timeouts_may_have_reached_the_server_connect_errors_not() {
        let timeout = Error::from(TransportError {
            backend: "minio",
            failure: TransportFailure::Timeout,
            message: "no answer in 30 s".into(),
            source: None,
        });
        let connect = Error::from(TransportError {
            backend: "minio",
            failure: TransportFailure::Connect,
            message: "refused".into(),
            source: None,
        });
        assert!(timeout.may_have_reached_server());
        assert!(!connect.may_have_reached_server());
        assert!(timeout.is_retryable() && connect.is_retryable());
        assert!(!Error::invalid("quota", "negative").may_have_reached_server());
    }

    #[test]
    fn rate_limits_are_retryable() {
        let e = Error::from(ServerError::new("nextcloud", ErrorKind::RateLimited, ""));
        assert!(e.is_retryable());
    }
}
