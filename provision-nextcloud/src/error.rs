//! Maps Nextcloud's answers to core's error kinds.
//!
//! The same OCS status code means different things on different endpoints (101 is "not
//! found" for disable/enable but "invalid input" for an edit; "not found" is 404, 998,
//! 101 or 103 depending on the call) and some codes moved between versions (an invalid
//! quota is 101 on 34, 102 on 25-29, 103 on 20), so the mapping is by operation and code.
//! The server's code and message are always kept beside the kind.

use std::fmt;

use provision_core::error::ServerError;
use provision_core::{Error, ErrorKind};

/// The backend name in every error.
pub(crate) const BACKEND: &str = "nextcloud";

/// Which call an answer belongs to: it decides what a status code means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Operation {
    Capabilities,
    GetUser,
    ListUsers,
    CreateUser,
    EditUser,
    SetEnabled,
    DeleteUser,
    UserGroups,
    JoinGroup,
    LeaveGroup,
    ListGroups,
    CreateGroup,
    GroupMembers,
    DeleteGroup,
}

impl Operation {
    /// Whether the call changes state (and so needs a recent password confirmation on
    /// Nextcloud 34+).
    fn is_write(self) -> bool {
        matches!(
            self,
            Operation::CreateUser
                | Operation::EditUser
                | Operation::SetEnabled
                | Operation::DeleteUser
                | Operation::JoinGroup
                | Operation::LeaveGroup
                | Operation::CreateGroup
                | Operation::DeleteGroup
        )
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Operation::Capabilities => "read capabilities",
            Operation::GetUser => "read account",
            Operation::ListUsers => "list accounts",
            Operation::CreateUser => "create account",
            Operation::EditUser => "edit account",
            Operation::SetEnabled => "enable/disable account",
            Operation::DeleteUser => "delete account",
            Operation::UserGroups => "read account groups",
            Operation::JoinGroup => "add to group",
            Operation::LeaveGroup => "remove from group",
            Operation::ListGroups => "list groups",
            Operation::CreateGroup => "create group",
            Operation::GroupMembers => "read group members",
            Operation::DeleteGroup => "delete group",
        })
    }
}

/// What Nextcloud 34+ answers when an app password tries a write; said so in the error
/// because the fix is a configuration change, not a retry.
const APP_PASSWORD_HINT: &str = "Nextcloud 34 and later refuse provisioning writes made \
     with an app password (no recent password confirmation): configure the admin's \
     account password, not an app password";

/// The normalised kind of OCS status `code` answered to `op`.
fn classify(op: Operation, code: i64) -> ErrorKind {
    use ErrorKind::*;
    use Operation::*;
    match (op, code) {
        (_, 997) | (_, 403) => PermissionDenied,
        (_, 429) => RateLimited,
        (_, 996) | (_, 999) => Transient,
        (GetUser, 404) => NotFound,
        // A caller without admin rights reading someone else.
        (GetUser, 998) => PermissionDenied,
        (EditUser | DeleteUser | UserGroups, 998) => NotFound,
        (SetEnabled, 101) => NotFound,
        // 101 on delete is "missing" on Nextcloud 20 but "could not delete" on 34: the
        // provider looks the account up before calling it either.
        (DeleteUser, 101) => Unexpected,
        (CreateUser, 102) => AlreadyExists,
        (CreateUser, 104 | 109) => NotFound,
        (CreateUser, 105 | 106) => PermissionDenied,
        (CreateUser, 101 | 103 | 107 | 108 | 110 | 111) => InvalidInput,
        // 101 (34), 102 (25-29) and 103 (20, or 107 on 34 for the password policy).
        (EditUser, 101 | 102 | 103 | 107 | 113) => InvalidInput,
        (EditUser, 112) => Unsupported,
        (JoinGroup | LeaveGroup, 101) => InvalidInput,
        (JoinGroup | LeaveGroup, 102 | 103) => NotFound,
        (JoinGroup | LeaveGroup, 104) => PermissionDenied,
        (CreateGroup, 101) => InvalidInput,
        (CreateGroup, 102) => AlreadyExists,
        (CreateGroup, 103) => Unsupported,
        (GroupMembers, 404) => NotFound,
        (DeleteGroup, 101) => NotFound,
        (DeleteGroup, 102) => InvalidInput,
        (_, 404) => NotFound,
        _ => Unexpected,
    }
}

/// The error for an OCS envelope whose status code is not a success.
pub(crate) fn ocs_failure(op: Operation, http_status: u16, code: i64, message: String) -> Error {
    let kind = classify(op, code);
    let message = if code == 403 && op.is_write() {
        if message.is_empty() {
            APP_PASSWORD_HINT.to_string()
        } else {
            format!("{message} ({APP_PASSWORD_HINT})")
        }
    } else {
        message
    };
    ServerError::new(BACKEND, kind, message)
        .with_http_status(http_status)
        .with_code(code.to_string())
        .into()
}

/// The error for an answer produced outside the OCS layer (no envelope): the rate
/// limiter's bare 429, the CSRF check's 412, a proxy's 5xx, an unknown route.
pub(crate) fn bare_failure(op: Operation, http_status: u16, body: &str) -> Error {
    let kind = match http_status {
        429 => ErrorKind::RateLimited,
        401 => ErrorKind::PermissionDenied,
        403 if op.is_write() => ErrorKind::PermissionDenied,
        500..=599 => ErrorKind::Transient,
        405 => ErrorKind::Unsupported,
        // 2xx without an envelope, 404 from something that is not Nextcloud, 412 (the
        // OCS-APIRequest header did not arrive): the answer is not what we speak.
        _ => {
            return Error::protocol(
                BACKEND,
                format!(
                    "{op}: HTTP {http_status} without an OCS envelope: {}",
                    snippet(body)
                ),
            )
        }
    };
    let message = match (http_status, body.trim()) {
        (429, "") => "rate limit exceeded (HTTP 429 with an empty body)".to_string(),
        (_, "") => format!("HTTP {http_status} with an empty body"),
        (_, text) => snippet(text),
    };
    ServerError::new(BACKEND, kind, message)
        .with_http_status(http_status)
        .into()
}

/// At most 300 characters of a body, for an error message.
fn snippet(body: &str) -> String {
    let body = body.trim();
    match body.char_indices().nth(300) {
        Some((cut, _)) => format!("{}…", &body[..cut]),
        None => body.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_found_has_a_different_code_per_endpoint() {
        assert_eq!(classify(Operation::GetUser, 404), ErrorKind::NotFound);
        assert_eq!(classify(Operation::EditUser, 998), ErrorKind::NotFound);
        assert_eq!(classify(Operation::DeleteUser, 998), ErrorKind::NotFound);
        assert_eq!(classify(Operation::UserGroups, 998), ErrorKind::NotFound);
        assert_eq!(classify(Operation::SetEnabled, 101), ErrorKind::NotFound);
        assert_eq!(classify(Operation::JoinGroup, 103), ErrorKind::NotFound);
        // The same 101 is invalid input elsewhere.
        assert_eq!(classify(Operation::EditUser, 101), ErrorKind::InvalidInput);
        assert_eq!(
            classify(Operation::CreateUser, 101),
            ErrorKind::InvalidInput
        );
    }

    #[test]
    fn invalid_quota_codes_of_every_version_are_invalid_input() {
        for code in [101, 102, 103] {
            assert_eq!(classify(Operation::EditUser, code), ErrorKind::InvalidInput);
        }
    }

    #[test]
    fn a_refused_write_names_the_app_password_fix() {
        let e = ocs_failure(
            Operation::CreateUser,
            403,
            403,
            "Password confirmation is required".into(),
        );
        assert_eq!(e.kind(), ErrorKind::PermissionDenied);
        assert_eq!(e.server_code(), Some("403"));
        let message = e.server_message().unwrap();
        assert!(message.starts_with("Password confirmation is required"));
        assert!(message.contains("not an app password"));
        // A refused read is not about app passwords.
        let read = ocs_failure(Operation::ListUsers, 403, 403, "sub admin".into());
        assert!(!read.to_string().contains("app password"));
    }

    #[test]
    fn brute_force_protection_is_rate_limited() {
        // Past 10 failed logins from one address every call answers 429 in an envelope.
        let e = ocs_failure(Operation::GetUser, 429, 429, "Reached maximum delay".into());
        assert_eq!(e.kind(), ErrorKind::RateLimited);
        assert_eq!(e.server_message(), Some("Reached maximum delay"));
    }

    #[test]
    fn bare_answers() {
        let e = bare_failure(Operation::EditUser, 429, "");
        assert_eq!(e.kind(), ErrorKind::RateLimited);
        assert!(e.is_retryable());
        assert_eq!(
            bare_failure(Operation::GetUser, 503, "busy").kind(),
            ErrorKind::Transient
        );
        let csrf = bare_failure(
            Operation::GetUser,
            412,
            r#"{"message":"CSRF check failed"}"#,
        );
        assert!(matches!(csrf, Error::Protocol { .. }), "{csrf:?}");
        assert!(csrf.to_string().contains("CSRF check failed"));
    }
}
