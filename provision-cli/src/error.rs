//! The command's errors and the exit code each kind gives.

use provision_core::ErrorKind;

/// What a command could not do.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The configuration could not be read or is invalid; nothing was sent.
    #[error("configuration: {0}")]
    Config(String),
    /// The command line names something the configuration or ledger does not have.
    #[error("{0}")]
    Usage(String),
    /// The library, a server or the ledger refused or failed.
    #[error(transparent)]
    Provision(#[from] provision_core::Error),
    /// Writing the output failed (a closed pipe, a full disk).
    #[error("output: {0}")]
    Io(#[from] std::io::Error),
    /// A stand-alone mock could not start or run.
    #[error("mock: {0}")]
    Mock(#[from] crate::mock::MockError),
    /// The command printed its result, failures included, and exits with this code
    /// (a check of several servers where one failed).
    #[error("finished with failures (exit code {})", .0.code())]
    Reported(ExitCode),
}

/// The process's exit codes, one per kind of error, so that a script can tell a
/// retryable failure from a wrong input without reading the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitCode {
    /// Done.
    Success,
    /// Something unexpected: an answer the library could not understand.
    Unexpected,
    /// The command line or the configuration is wrong (nothing was sent).
    Usage,
    /// The input was refused (by the library before sending, or by the server).
    InvalidInput,
    /// The service, account or group does not exist.
    NotFound,
    /// It exists already.
    AlreadyExists,
    /// The credentials are wrong or lack a right.
    PermissionDenied,
    /// The server throttles; try later.
    RateLimited,
    /// A failure that may pass (connection, 5xx, timeout): safe to retry.
    Transient,
    /// The backend cannot do this.
    Unsupported,
    /// The command finished but left work undone (a sweep with failed accounts, a
    /// check with a failed server).
    Partial,
}

impl ExitCode {
    /// The number the process exits with (documented in `provision --help`).
    pub fn code(self) -> i32 {
        match self {
            ExitCode::Success => 0,
            ExitCode::Unexpected => 1,
            ExitCode::Usage => 2,
            ExitCode::InvalidInput => 3,
            ExitCode::NotFound => 4,
            ExitCode::AlreadyExists => 5,
            ExitCode::PermissionDenied => 6,
            ExitCode::RateLimited => 7,
            ExitCode::Transient => 8,
            ExitCode::Unsupported => 9,
            ExitCode::Partial => 10,
        }
    }

    /// The exit code of an error kind.
    pub fn of_kind(kind: ErrorKind) -> ExitCode {
        match kind {
            ErrorKind::InvalidInput => ExitCode::InvalidInput,
            ErrorKind::NotFound => ExitCode::NotFound,
            ErrorKind::AlreadyExists => ExitCode::AlreadyExists,
            ErrorKind::PermissionDenied => ExitCode::PermissionDenied,
            ErrorKind::RateLimited => ExitCode::RateLimited,
            ErrorKind::Transient => ExitCode::Transient,
            ErrorKind::Unsupported => ExitCode::Unsupported,
            _ => ExitCode::Unexpected,
        }
    }
}

/// The table of exit codes, as `--help` shows it.
pub const EXIT_CODES_HELP: &str = "\
Exit codes:
  0  done
  1  unexpected (an answer that could not be understood)
  2  wrong command line or configuration (nothing was sent)
  3  input refused, by the library or the server
  4  not found
  5  already exists
  6  permission denied (credentials or rights)
  7  rate limited (try later)
  8  transient failure (connection, 5xx, timeout; safe to retry)
  9  unsupported by the backend
  10 partly done (some servers or accounts failed; see the output)";

impl CliError {
    /// The exit code this error gives.
    pub fn exit_code(&self) -> ExitCode {
        match self {
            CliError::Config(_) | CliError::Usage(_) => ExitCode::Usage,
            CliError::Provision(e) => ExitCode::of_kind(e.kind()),
            CliError::Io(_) => ExitCode::Unexpected,
            CliError::Reported(code) => *code,
            CliError::Mock(crate::mock::MockError::Seed(_) | crate::mock::MockError::Admin(_)) => {
                ExitCode::Usage
            }
            CliError::Mock(_) => ExitCode::Unexpected,
        }
    }

    /// The error kind's stable name in JSON output (`invalid_input`, `usage`, ...).
    pub fn kind_name(&self) -> &'static str {
        match self {
            CliError::Config(_) => "config",
            CliError::Usage(_) => "usage",
            CliError::Io(_) => "io",
            CliError::Reported(_) => "partial",
            CliError::Mock(_) => "mock",
            CliError::Provision(e) => kind_name(e.kind()),
        }
    }
}

/// The stable snake_case name of an error kind.
pub fn kind_name(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::InvalidInput => "invalid_input",
        ErrorKind::NotFound => "not_found",
        ErrorKind::AlreadyExists => "already_exists",
        ErrorKind::PermissionDenied => "permission_denied",
        ErrorKind::RateLimited => "rate_limited",
        ErrorKind::Transient => "transient",
        ErrorKind::Unsupported => "unsupported",
        _ => "unexpected",
    }
}

/// The command's result.
pub type CliResult<T> = std::result::Result<T, CliError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_exit_code_is_distinct_and_documented() {
        let all = [
            ExitCode::Success,
            ExitCode::Unexpected,
            ExitCode::Usage,
            ExitCode::InvalidInput,
            ExitCode::NotFound,
            ExitCode::AlreadyExists,
            ExitCode::PermissionDenied,
            ExitCode::RateLimited,
            ExitCode::Transient,
            ExitCode::Unsupported,
            ExitCode::Partial,
        ];
        let mut codes: Vec<i32> = all.iter().map(|c| c.code()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), all.len());
        for code in codes {
            assert!(
                EXIT_CODES_HELP.contains(&format!("\n  {code} ")),
                "exit code {code} is not in the help"
            );
        }
    }
}
