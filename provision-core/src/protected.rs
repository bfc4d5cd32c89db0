//! Accounts a provider must never change: its own login and the server's
//! administrators.
//!
//! Every mutating call of every backend asks [`refuse_own_login`] before it builds a
//! request, and refuses accounts its server reports as administrators with
//! [`Protection::Administrator`]. Names are compared as the backend compares them
//! ([`NameComparison`]): Nextcloud and DSM match user names without regard to case,
//! so `ADMIN` is the same account as `admin` there.
//!
//! ```
//! use provision_core::protected::{refuse_own_login, NameComparison};
//! use provision_core::{Error, Username};
//!
//! let target = Username::new("ADMIN").unwrap();
//! let refused = refuse_own_login("admin", &target, NameComparison::IgnoreCase);
//! assert!(matches!(refused, Err(Error::ProtectedAccount { .. })));
//! assert!(refuse_own_login("admin", &target, NameComparison::Exact).is_ok());
//! ```

use std::fmt;

use crate::{Error, Username};

/// Why an account is protected.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Protection {
    /// The provider logs in with this account.
    ProviderLogin,
    /// The server reports the account as an administrator; `evidence` says how
    /// ("member of group admin", "holds admin:* actions", "the root user").
    Administrator {
        /// What the server reported.
        evidence: String,
    },
}

impl fmt::Display for Protection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Protection::ProviderLogin => f.write_str("the provider logs in with it"),
            Protection::Administrator { evidence } => {
                write!(f, "the server reports it as an administrator ({evidence})")
            }
        }
    }
}

/// How a backend compares two user names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum NameComparison {
    /// Byte for byte (MinIO access keys).
    Exact,
    /// Without regard to letter case (Nextcloud, DSM).
    IgnoreCase,
}

impl NameComparison {
    /// Whether the backend takes `a` and `b` for the same account.
    pub fn same(self, a: &str, b: &str) -> bool {
        match self {
            NameComparison::Exact => a == b,
            NameComparison::IgnoreCase => a.to_lowercase() == b.to_lowercase(),
        }
    }
}

/// The error for a protected account.
pub fn protected(username: &Username, reason: Protection) -> Error {
    Error::ProtectedAccount {
        username: username.to_string(),
        reason,
    }
}

/// Refuses `target` when it is the account the provider logs in with.
pub fn refuse_own_login(
    login: &str,
    target: &Username,
    comparison: NameComparison,
) -> Result<(), Error> {
    if comparison.same(login, target.as_str()) {
        return Err(protected(target, Protection::ProviderLogin));
    }
    Ok(())
}

/// Refuses `target` as an administrator, with what the server reported.
pub fn refuse_administrator(target: &Username, evidence: impl Into<String>) -> Error {
    protected(
        target,
        Protection::Administrator {
            evidence: evidence.into(),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    #[test]
    fn own_login_is_refused_as_the_backend_compares_names() {
        let upper = Username::new("Admin").unwrap();
        let error = refuse_own_login("admin", &upper, NameComparison::IgnoreCase).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::PermissionDenied);
        assert_eq!(
            error.to_string(),
            "account Admin is protected: the provider logs in with it"
        );
        assert!(refuse_own_login("admin", &upper, NameComparison::Exact).is_ok());
        assert!(refuse_own_login("admin2", &upper, NameComparison::IgnoreCase).is_ok());
        let error = refuse_administrator(&upper, "member of group admin");
        assert!(
            error.to_string().contains("member of group admin"),
            "{error}"
        );
    }
}
