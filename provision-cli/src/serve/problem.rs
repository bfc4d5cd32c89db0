//! Errors as RFC 9457 problem details (`application/problem+json`): the HTTP status
//! follows the error kind, and the kind's stable name, the server's own code and
//! message ride along. A problem is built from an error's text, which the library
//! keeps free of secrets, and never from a request's headers or body.

use std::time::Duration;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use provision_core::ErrorKind;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{kind_name, CliError};

/// The media type of a problem.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// A problem (RFC 9457) with this API's members.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem (`urn:provision:problem:<kind>`).
    #[serde(rename = "type")]
    pub type_uri: String,
    /// A short summary of the kind of problem.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// What happened in this case.
    pub detail: String,
    /// The stable name of the error kind: `invalid_input`, `not_found`,
    /// `already_exists`, `permission_denied`, `rate_limited`, `transient`,
    /// `unsupported`, `unexpected`, and the service's own `unauthorized`, `forbidden`,
    /// `payload_too_large`, `idempotency_in_flight`, `idempotency_key_reused`,
    /// `method_not_allowed`, `timeout`.
    pub kind: String,
    /// The server's own error code, when a storage server answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_code: Option<String>,
    /// The server's own message, when a storage server answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_message: Option<String>,
    /// Seconds to wait before trying again, when known (also the Retry-After header).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
}

impl Problem {
    /// A problem of `kind` with `status`.
    pub fn new(status: StatusCode, kind: &str, detail: impl Into<String>) -> Problem {
        Problem {
            type_uri: format!("urn:provision:problem:{kind}"),
            title: status.canonical_reason().unwrap_or("Error").to_string(),
            status: status.as_u16(),
            detail: detail.into(),
            kind: kind.to_string(),
            server_code: None,
            server_message: None,
            retry_after: None,
        }
    }

    /// The problem a bare error status of the framework stands for (an unknown route,
    /// a refused body), for answers that came without a problem.
    pub fn for_status(status: StatusCode) -> Problem {
        let (kind, detail) = match status {
            StatusCode::UNAUTHORIZED => ("unauthorized", "a bearer token is needed"),
            StatusCode::FORBIDDEN => ("forbidden", "the token's scope does not allow this"),
            StatusCode::NOT_FOUND => ("not_found", "no such resource"),
            StatusCode::METHOD_NOT_ALLOWED => (
                "method_not_allowed",
                "the resource does not take this method",
            ),
            StatusCode::PAYLOAD_TOO_LARGE => (
                "payload_too_large",
                "the request body is larger than the service accepts",
            ),
            StatusCode::REQUEST_TIMEOUT | StatusCode::SERVICE_UNAVAILABLE => {
                ("timeout", "the request took longer than the service allows")
            }
            s if s.is_client_error() => ("invalid_input", "the request could not be read"),
            _ => ("unexpected", "the service failed"),
        };
        Problem::new(status, kind, detail)
    }

    /// Sets the wait before a retry.
    pub fn with_retry_after(mut self, wait: Option<Duration>) -> Problem {
        // A partial second is a whole one: never tell a caller to come back too early.
        self.retry_after = wait.map(|w| w.as_secs() + u64::from(w.subsec_nanos() > 0));
        self
    }

    /// The HTTP status.
    pub fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }
}

/// The HTTP status of an error kind. A transient failure a storage server reported
/// is the server's (502); one without an answer (a connection, a lock) is ours (503).
pub fn status_of(kind: ErrorKind, server_answered: bool) -> StatusCode {
    match kind {
        ErrorKind::InvalidInput => StatusCode::BAD_REQUEST,
        ErrorKind::NotFound => StatusCode::NOT_FOUND,
        ErrorKind::AlreadyExists => StatusCode::CONFLICT,
        ErrorKind::PermissionDenied => StatusCode::FORBIDDEN,
        ErrorKind::RateLimited => StatusCode::TOO_MANY_REQUESTS,
        ErrorKind::Transient if server_answered => StatusCode::BAD_GATEWAY,
        ErrorKind::Transient => StatusCode::SERVICE_UNAVAILABLE,
        // The request is understood; this backend cannot do it for this service (a
        // client's matter, not a server failure).
        ErrorKind::Unsupported => StatusCode::UNPROCESSABLE_ENTITY,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl From<&provision_core::Error> for Problem {
    fn from(error: &provision_core::Error) -> Problem {
        let kind = error.kind();
        let status = status_of(kind, error.server_message().is_some());
        Problem {
            server_code: error.server_code().map(str::to_string),
            server_message: error.server_message().map(str::to_string),
            ..Problem::new(status, kind_name(kind), error.to_string())
        }
        .with_retry_after(error.retry_after())
    }
}

impl From<provision_core::Error> for Problem {
    fn from(error: provision_core::Error) -> Problem {
        Problem::from(&error)
    }
}

impl From<CliError> for Problem {
    fn from(error: CliError) -> Problem {
        match &error {
            CliError::Provision(e) => Problem::from(e),
            // A name the configuration lacks, a service without an account yet.
            CliError::Usage(message) => {
                Problem::new(StatusCode::BAD_REQUEST, "invalid_input", message.clone())
            }
            CliError::Config(_) | CliError::Io(_) | CliError::Reported(_) | CliError::Mock(_) => {
                Problem::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "unexpected",
                    error.to_string(),
                )
            }
        }
    }
}

impl From<Box<Problem>> for Problem {
    fn from(problem: Box<Problem>) -> Problem {
        *problem
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = self.status_code();
        let retry_after = self.retry_after;
        let body = serde_json::to_vec(&self).unwrap_or_default();
        let mut response = (status, body).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        if let Some(seconds) = retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

/// Whether a response is a problem already.
pub fn is_problem(response: &Response) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes() == PROBLEM_JSON.as_bytes())
}

/// The result of a handler.
pub type ApiResult<T> = Result<T, Problem>;
