//! MinIO's error answers (JSON on the admin API, XML on S3 and on RustFS) mapped to
//! core's [`Error`], keeping the server's code and message.

use std::time::Duration;

use provision_core::error::{Error, ErrorKind, ServerError};

use crate::xml;

/// The backend name carried by every error of this crate.
pub(crate) const BACKEND: &str = "minio";

/// The code and message of an error body, when it has them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ErrorBody {
    pub(crate) code: Option<String>,
    pub(crate) message: String,
}

/// Reads `{"Code","Message",…}` or `<Error><Code>…</Code><Message>…</Message></Error>`;
/// anything else (an empty HEAD answer, a proxy's HTML page) leaves the code empty.
pub(crate) fn parse_error_body(body: &[u8]) -> ErrorBody {
    let trimmed = body.trim_ascii_start();
    if trimmed.starts_with(b"{") {
        if let Ok(value) = serde_json::from_slice::<serde_json::Value>(trimmed) {
            let field = |name: &str| {
                value
                    .get(name)
                    .and_then(serde_json::Value::as_str)
                    .map(str::to_owned)
            };
            return ErrorBody {
                code: field("Code").filter(|c| !c.is_empty()),
                message: field("Message").unwrap_or_default(),
            };
        }
    } else if trimmed.starts_with(b"<") {
        if let Ok(root) = xml::parse(trimmed) {
            if root.name == "Error" {
                return ErrorBody {
                    code: root
                        .child_text("Code")
                        .filter(|c| !c.is_empty())
                        .map(str::to_owned),
                    message: root.child_text("Message").unwrap_or_default().to_owned(),
                };
            }
        }
    }
    // Never echo a large or binary body into an error message.
    let snippet: String = String::from_utf8_lossy(&trimmed[..trimmed.len().min(200)])
        .chars()
        .filter(|c| !c.is_control())
        .collect();
    ErrorBody {
        code: None,
        message: snippet,
    }
}

/// The normalised kind of a MinIO (or RustFS) error code; `None` for a code we do not
/// know, which is then judged by its HTTP status.
pub(crate) fn kind_of_code(code: &str) -> Option<ErrorKind> {
    Some(match code {
        "XMinioAdminNoSuchUser"
        | "XMinioAdminNoSuchPolicy"
        | "XMinioAdminNoSuchGroup"
        | "XMinioAdminNoSuchQuotaConfiguration"
        | "NoSuchBucket"
        | "NoSuchKey"
        | "NoSuchVersion"
        | "NoSuchResource" => ErrorKind::NotFound,
        "BucketAlreadyOwnedByYou"
        | "BucketAlreadyExists"
        | "XMinioAdminPolicyChangeAlreadyApplied" => ErrorKind::AlreadyExists,
        "XMinioAdminInvalidAccessKey"
        | "XMinioAdminInvalidSecretKey"
        | "XMinioInvalidResource"
        | "XMinioInvalidUTF"
        | "XMinioAdminConfigBadJSON"
        | "XMinioAdminConfigTooLarge"
        | "XMinioAdminInvalidArgument"
        | "XMinioMalformedIAMPolicy"
        | "XMinioAdminGroupNotEmpty"
        | "XMinioIAMPolicyInUse"
        | "XMinioAdminBucketQuotaExceeded"
        | "InvalidBucketName"
        | "BucketNotEmpty"
        | "InvalidArgument"
        | "InvalidRequest"
        | "MalformedXML"
        | "MalformedPolicy"
        | "MissingContentLength"
        | "MissingContentMD5"
        | "InvalidDigest"
        | "BadDigest"
        | "BadRequest"
        | "XAmzContentSHA256Mismatch" => ErrorKind::InvalidInput,
        "AccessDenied"
        | "InvalidAccessKeyId"
        | "SignatureDoesNotMatch"
        | "RequestTimeTooSkewed"
        | "AuthorizationHeaderMalformed"
        | "XMinioInvalidIAMCredentials"
        | "XMinioIAMActionNotAllowed"
        | "AllAccessDisabled" => ErrorKind::PermissionDenied,
        "TooManyRequests" | "SlowDown" | "SlowDownRead" | "SlowDownWrite" => ErrorKind::RateLimited,
        "XMinioServerNotInitialized"
        | "InternalError"
        | "RequestTimeout"
        | "ServiceUnavailable"
        | "ServerBusy"
        | "XMinioBackendDown" => ErrorKind::Transient,
        "XMinioAdminVersionMismatch" | "NotImplemented" | "XMinioAdminAPINotImplemented" => {
            ErrorKind::Unsupported
        }
        _ => return None,
    })
}

/// The kind of an error answer without a code we know.
fn kind_of_status(status: u16) -> ErrorKind {
    match status {
        401 | 403 => ErrorKind::PermissionDenied,
        404 => ErrorKind::NotFound,
        409 => ErrorKind::AlreadyExists,
        429 => ErrorKind::RateLimited,
        426 | 501 => ErrorKind::Unsupported,
        408 | 500..=599 => ErrorKind::Transient,
        400..=499 => ErrorKind::InvalidInput,
        _ => ErrorKind::Unexpected,
    }
}

/// Builds the error for an answer with a non-success status.
pub(crate) fn server_error(status: u16, retry_after: Option<Duration>, body: &[u8]) -> Error {
    let ErrorBody { code, message } = parse_error_body(body);
    let kind = code
        .as_deref()
        .and_then(kind_of_code)
        .unwrap_or_else(|| kind_of_status(status));
    let mut error = ServerError::new(BACKEND, kind, message).with_http_status(status);
    if let Some(code) = code {
        error = error.with_code(code);
    }
    if let Some(wait) = retry_after {
        error = error.with_retry_after(wait);
    }
    Error::Server(error)
}

/// Whether an error is the server's answer with this code.
pub(crate) fn has_code(error: &Error, code: &str) -> bool {
    error.server_code() == Some(code)
}

/// Whether an error says the server does not know the route (an older server, another
/// product, or a wrong admin prefix) rather than refusing a known call.
pub(crate) fn is_unknown_route(error: &Error) -> bool {
    let Error::Server(e) = error else {
        return false;
    };
    match e.code.as_deref() {
        Some("XMinioAdminVersionMismatch" | "NotImplemented" | "XMinioAdminAPINotImplemented") => {
            true
        }
        // Answers about a thing that is missing come from a handler that exists.
        Some(code) if kind_of_code(code) == Some(ErrorKind::NotFound) && code != "NoSuchBucket" => {
            false
        }
        _ => matches!(e.http_status, Some(404 | 405 | 426 | 501)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_errors_keep_code_and_message() {
        let body = br#"{"Code":"XMinioAdminNoSuchUser","Message":"The specified user does not exist.","Resource":"/minio/admin/v3/user-info","RequestId":"1","HostId":"2"}"#;
        let e = server_error(404, None, body);
        assert_eq!(e.kind(), ErrorKind::NotFound);
        assert_eq!(e.server_code(), Some("XMinioAdminNoSuchUser"));
        assert_eq!(
            e.server_message(),
            Some("The specified user does not exist.")
        );
    }

    #[test]
    fn xml_errors_keep_code_and_message() {
        let body = b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoSuchResource</Code><Message>user not found</Message></Error>";
        let e = server_error(404, None, body);
        assert_eq!(e.kind(), ErrorKind::NotFound);
        assert_eq!(e.server_code(), Some("NoSuchResource"));
        assert_eq!(e.server_message(), Some("user not found"));
    }

    #[test]
    fn unknown_codes_and_empty_bodies_fall_back_to_the_status() {
        assert_eq!(
            server_error(403, None, b"").kind(),
            ErrorKind::PermissionDenied
        );
        assert_eq!(server_error(503, None, b"").kind(), ErrorKind::Transient);
        let e = server_error(400, None, br#"{"Code":"XMinioSomethingNew","Message":"m"}"#);
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
        assert_eq!(e.server_code(), Some("XMinioSomethingNew"));
        let e = server_error(429, Some(Duration::from_secs(2)), b"");
        assert!(e.is_retryable());
    }

    #[test]
    fn unknown_routes_are_told_apart_from_missing_things() {
        let mismatch = server_error(
            426,
            None,
            br#"{"Code":"XMinioAdminVersionMismatch","Message":"This 'admin' API is not supported by server in 'mode-server-xl'"}"#,
        );
        assert!(is_unknown_route(&mismatch));
        assert_eq!(mismatch.kind(), ErrorKind::Unsupported);
        let no_user = server_error(
            404,
            None,
            br#"{"Code":"XMinioAdminNoSuchUser","Message":""}"#,
        );
        assert!(!is_unknown_route(&no_user));
        assert!(is_unknown_route(&server_error(404, None, b"")));
    }

    #[test]
    fn garbage_bodies_do_not_leak_into_messages() {
        let body = vec![0u8; 10_000];
        let e = server_error(500, None, &body);
        assert!(e.server_message().unwrap().len() <= 200);
    }
}
