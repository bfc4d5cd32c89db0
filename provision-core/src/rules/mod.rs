//! Name rules, name policies, collision resolution and password rules.
//!
//! - [`NameRule`]: the name-rule language (`{client_id}-{random_digit_4}`), parsed once;
//!   [`GenerateName`] generates from it, taking the randomness source and the clock so
//!   that tests are deterministic.
//! - [`NamePolicy`]: a backend's rules for user names; [`NamePolicy::normalize`] maps
//!   any generated name into them.
//! - [`resolve_unique`]: finds a name that is free on the server.
//! - [`PasswordRule`]: `"12"` or `"12:charset"`; [`GeneratePassword`] draws passwords
//!   from the operating system's CSPRNG that hold every character class of the charset.
//!
//! The rule parsers come from `provision-rules` (re-exported here), and the same
//! parsers run at compile time in `provision-macros` (`name_rule!`, `password_rule!`),
//! so a rule is checked by one piece of code wherever it is written.
//!
//! ```
//! use provision_core::rules::{
//!     CaseRule, EdgeRule, GenerateName, GeneratePassword, NameContext, NamePolicy, NameRule,
//!     PasswordRule,
//! };
//! use secrecy::ExposeSecret;
//!
//! let policy = NamePolicy {
//!     backend: "example",
//!     allowed: |c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-',
//!     allowed_description: "a-z, 0-9 and -",
//!     replacement: Some('-'),
//!     min_len: 3,
//!     max_len: 32,
//!     case: CaseRule::Lower,
//!     first: EdgeRule::Letter,
//!     last: EdgeRule::Alphanumeric,
//!     reserved: &["admin"],
//! };
//! let rule = NameRule::parse("{client_id}_{random_letter_3}").unwrap();
//! let raw = rule.generate(&NameContext::new("René", "7"), &mut rand::rng(), chrono::Utc::now());
//! let name = policy.normalize(&raw).unwrap();
//! assert!(name.as_str().starts_with("rene-") && name.as_str().len() == 8);
//!
//! let password = PasswordRule::parse("12").unwrap().generate();
//! assert_eq!(password.expose_secret().len(), 12);
//! ```

mod collision;
mod name_generation;
mod password_generation;
mod policy;

pub use collision::{resolve_unique, CollisionLimits};
pub use name_generation::GenerateName;
pub use password_generation::GeneratePassword;
pub use policy::{CaseRule, EdgeRule, NameError, NamePolicy, Unusable};
pub use provision_rules::name::{
    IdAlphabet, NameContext, NameRule, RuleAlphabet, RuleError, Segment, MAX_RANDOM_LENGTH,
};
pub use provision_rules::password::{
    CharClass, PasswordRule, PasswordRuleError, DEFAULT_CHARSET, DEFAULT_SPECIAL,
    MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH,
};
