//! DSM error codes mapped to core's error kinds, keeping DSM's code (facts sheet §13).

use provision_core::error::{Error, ErrorKind, ServerError};

use crate::noise::NoiseError;

/// The backend name every error of this crate carries.
pub(crate) const BACKEND: &str = "synology";

/// Session codes: the sid is gone, a re-login may help (§3 "Expiry and re-login").
pub(crate) const SESSION_CODES: [i64; 3] = [106, 107, 119];

/// "System busy" codes: worth a later retry of a read (§13 retry policy).
pub(crate) const BUSY_CODES: [i64; 5] = [109, 110, 111, 117, 118];

/// Codes that mean "name taken or reserved" on create (§6).
pub(crate) const NAME_TAKEN_CODES: [i64; 3] = [3107, 3108, 3114];

/// DSM's meaning of a code and our kind for it. `auth` selects the login table, whose
/// 400-range codes mean something else in other APIs.
fn describe(code: i64, auth: bool) -> (ErrorKind, &'static str) {
    use ErrorKind::*;
    if auth {
        let found = match code {
            400 => Some((PermissionDenied, "no such account or wrong password")),
            401 => Some((PermissionDenied, "the account is disabled")),
            402 => Some((PermissionDenied, "the account may not use DSM")),
            403 => Some((PermissionDenied, "a two-step verification code is required")),
            404 => Some((
                PermissionDenied,
                "the two-step verification code is wrong or used",
            )),
            406 => Some((
                PermissionDenied,
                "the policy demands two-step verification, which the account has not set up",
            )),
            407 => Some((
                PermissionDenied,
                "the source address is blocked (DSM auto-block)",
            )),
            408 => Some((
                PermissionDenied,
                "the password expired and cannot be changed",
            )),
            409 => Some((PermissionDenied, "the password expired")),
            410 => Some((PermissionDenied, "the password must be changed")),
            411 => Some((PermissionDenied, "the account is locked")),
            _ => None,
        };
        if let Some(found) = found {
            return found;
        }
    }
    match code {
        100 => (Unexpected, "unknown error"),
        101 => (InvalidInput, "missing api, method or version"),
        102 => (Unsupported, "the API does not exist"),
        103 => (Unsupported, "the method does not exist"),
        104 => (Unsupported, "this version of the API is not supported"),
        105 => (PermissionDenied, "the session lacks the permission"),
        106 => (PermissionDenied, "session timed out"),
        107 => (PermissionDenied, "session interrupted by a duplicate login"),
        108 => (Unexpected, "upload failed"),
        109..=111 | 117 | 118 => (Transient, "network unstable or system busy"),
        114 => (InvalidInput, "a required parameter is missing"),
        115 => (PermissionDenied, "upload not allowed"),
        116 => (PermissionDenied, "not allowed on a demo site"),
        119 => (PermissionDenied, "invalid session"),
        120..=149 => (InvalidInput, "invalid parameter"),
        150 => (PermissionDenied, "source address differs from the login's"),
        160 => (PermissionDenied, "insufficient application privilege"),
        3101 => (InvalidInput, "bad argument"),
        3102 => (Unexpected, "delete reported a detail error"),
        3103 => (InvalidInput, "invalid parameter or type"),
        3106 => (NotFound, "no such user"),
        3107 | 3108 | 3114 => (AlreadyExists, "the name already exists or is reserved"),
        3109 => (InvalidInput, "the last administrator cannot be disabled"),
        3110 => (Unsupported, "too many users"),
        3111 => (Unexpected, "the homes share is missing"),
        3112 | 3113 | 3202 => (Transient, "another administrator is editing"),
        3115 => (PermissionDenied, "a default account cannot be deleted"),
        3116 => (Unexpected, "failed to set up accounts"),
        3117 => (
            InvalidInput,
            "password does not satisfy the policy, or quota exceeds free space",
        ),
        3118 => (InvalidInput, "the volume is too small"),
        3119 => (Transient, "the homes share is being moved"),
        3121 | 3124 => (InvalidInput, "the password is invalid"),
        3122 => (InvalidInput, "the password was used before"),
        3123 => (InvalidInput, "the password is not strong enough"),
        3201 => (InvalidInput, "bad group argument"),
        3204 => (Unexpected, "failed to load the group"),
        3205 => (NotFound, "no such group"),
        3206 | 3207 => (AlreadyExists, "the group name exists"),
        3208 => (InvalidInput, "invalid group name"),
        3209 => (Unsupported, "too many groups"),
        3210 => (InvalidInput, "administrators cannot be emptied"),
        _ => (Unexpected, "unknown DSM error"),
    }
}

/// The error for a failed DSM answer: `code` from `error.code`, `detail` the optional
/// `error.errors` items (kept in the message for operators).
pub(crate) fn api_error(api: &str, code: i64, detail: Option<&serde_json::Value>) -> Error {
    let (kind, text) = describe(code, api == "SYNO.API.Auth");
    let message = match detail {
        Some(d) if !d.is_null() => format!("{api}: {text} ({d})"),
        _ => format!("{api}: {text}"),
    };
    ServerError::new(BACKEND, kind, message)
        .with_code(code.to_string())
        .with_http_status(200)
        .into()
}

/// The DSM code of an error, when a DSM answered with one.
pub(crate) fn dsm_code(e: &Error) -> Option<i64> {
    e.server_code().and_then(|c| c.parse().ok())
}

/// Whether the error says the session is gone (re-login once).
pub(crate) fn is_session_error(e: &Error) -> bool {
    dsm_code(e).is_some_and(|c| SESSION_CODES.contains(&c))
}

/// Whether DSM said it is busy (a read may be retried later).
pub(crate) fn is_busy(e: &Error) -> bool {
    dsm_code(e).is_some_and(|c| BUSY_CODES.contains(&c))
}

impl From<NoiseError> for Error {
    fn from(e: NoiseError) -> Self {
        Error::protocol(BACKEND, e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Codes that mean the password broke DSM's policy on create/set (§6: the sources
    /// disagree on which, so all of them map to invalid input).
    const PASSWORD_CODES: [i64; 5] = [3117, 3121, 3122, 3123, 3124];

    #[test]
    fn codes_keep_dsm_code_and_get_a_kind() {
        let e = api_error("SYNO.Core.User", 3106, None);
        assert_eq!(e.kind(), ErrorKind::NotFound);
        assert_eq!(e.server_code(), Some("3106"));
        assert!(e.server_message().unwrap().contains("no such user"));
        assert_eq!(
            api_error("SYNO.Core.User", 3107, None).kind(),
            ErrorKind::AlreadyExists
        );
        assert_eq!(
            api_error("SYNO.Core.Group.Member", 3205, None).kind(),
            ErrorKind::NotFound
        );
        for code in PASSWORD_CODES {
            assert_eq!(
                api_error("SYNO.Core.User", code, None).kind(),
                ErrorKind::InvalidInput
            );
        }
        for code in BUSY_CODES {
            let e = api_error("SYNO.Core.Quota", code, None);
            assert!(e.is_retryable() && is_busy(&e));
        }
    }

    #[test]
    fn login_codes_are_read_from_the_auth_table() {
        let e = api_error("SYNO.API.Auth", 400, None);
        assert_eq!(e.kind(), ErrorKind::PermissionDenied);
        assert!(e.server_message().unwrap().contains("wrong password"));
        assert!(!e.is_retryable());
        let blocked = api_error("SYNO.API.Auth", 407, None);
        assert!(!blocked.is_retryable(), "never retry into DSM's auto-block");
        for code in SESSION_CODES {
            assert!(is_session_error(&api_error("SYNO.Core.User", code, None)));
        }
    }

    #[test]
    fn detail_items_stay_in_the_message() {
        let detail = serde_json::json!([{"code": 3205, "name": "nope"}]);
        let e = api_error("SYNO.Core.Group", 3205, Some(&detail));
        assert!(e.server_message().unwrap().contains("nope"));
    }
}
