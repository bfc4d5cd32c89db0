//! Name rules, name policies, collision resolution and password rules.
//!
//! (Being written: this file holds the shared types the backends build on.)

use crate::username::{Username, UsernameError};

/// A position-naming parse error in a name rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RuleError {
    /// An unknown macro.
    #[error("unknown macro {{{name}}} at position {position}")]
    UnknownMacro {
        /// The macro's name.
        name: String,
        /// Its byte offset in the rule.
        position: usize,
    },
}

/// Why a name does not fit a [`NamePolicy`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NameError {
    /// The shared checks failed.
    #[error(transparent)]
    Username(#[from] UsernameError),
}

/// Why a password rule or a password was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PasswordRuleError {
    /// The length is below 8.
    #[error("password length {0} is below the minimum of 8")]
    TooShort(usize),
}

/// Which characters may stand at the start or end of a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EdgeRule {
    /// Any allowed character.
    Any,
    /// An ASCII letter.
    Letter,
    /// An ASCII letter or digit.
    Alphanumeric,
}

/// How a backend treats letter case in names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseRule {
    /// Names keep their case and `Alice` and `alice` are different accounts.
    Sensitive,
    /// Names keep their case but the server treats `Alice` and `alice` as one account.
    Insensitive,
    /// Names must be lower case; normalisation lower-cases them.
    Lower,
}

/// A backend's rules for user names.
#[derive(Debug, Clone)]
pub struct NamePolicy {
    /// The backend these rules are for (used in errors).
    pub backend: &'static str,
    /// Which characters a name may hold.
    pub allowed: fn(char) -> bool,
    /// The allowed characters in words, for errors (e.g. "a-z, 0-9 and -").
    pub allowed_description: &'static str,
    /// What a disallowed character becomes in normalisation (None drops it).
    pub replacement: Option<char>,
    /// Minimum length in characters.
    pub min_len: usize,
    /// Maximum length in characters.
    pub max_len: usize,
    /// Case handling.
    pub case: CaseRule,
    /// What the first character must be.
    pub first: EdgeRule,
    /// What the last character must be.
    pub last: EdgeRule,
    /// Names the server refuses or keeps for itself, compared case-insensitively.
    pub reserved: &'static [&'static str],
}

impl NamePolicy {
    /// Checks a name against every rule and wraps it.
    pub fn validate(&self, name: &str) -> Result<Username, NameError> {
        Ok(Username::new(name)?)
    }
}
