//! provision-rules: the parsers of provision's product rules, with no runtime
//! dependencies (no I/O, no clock, no randomness), so that provision-core uses them at
//! run time and provision-macros runs the very same code at compile time.
//!
//! - [`quota`]: byte sizes, units and quotas, parsed and formatted exactly, with
//!   integer percentages;
//! - [`name`]: the name-rule language (`{client_id}-{random_digit_4}`);
//! - [`password`]: password rules (`"12"`, `"16:abcABC123%"`) and checks of chosen
//!   passwords;
//! - [`template`]: notification templates with `{$name}` placeholders.
//!
//! Generating names and passwords (randomness, a clock), name policies and the values
//! of an account's notifications live in provision-core, which re-exports this crate at
//! its old paths (`provision_core::quota`, `provision_core::rules`,
//! `provision_core::notify`).
//!
//! ```
//! use provision_rules::{ByteSize, NameRule, PasswordRule, Quota, Template, Unit};
//!
//! let quota: Quota = "1.5 TB".parse().unwrap();
//! assert_eq!(quota.percent_used(ByteSize::new(3 << 38)), Some(50));
//! assert_eq!(ByteSize::new(3 << 29).in_unit(Unit::Gb, 2), "1.50");
//!
//! let rule = NameRule::parse("cust{client_id}-{random_digit_4}").unwrap();
//! assert!(rule.has_random_part());
//! assert!(NameRule::parse("cust{clientid}").is_err());
//!
//! let passwords = PasswordRule::parse("12").unwrap();
//! assert!(passwords.check("Ab1%efghijkl").is_ok());
//!
//! let template = Template::parse("{$username} uses {$disk_used_percentage}%", &[]).unwrap();
//! assert_eq!(template.placeholders(), ["username", "disk_used_percentage"]);
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod decimal;
pub mod name;
pub mod password;
pub mod quota;
pub mod template;

pub use name::{IdAlphabet, NameContext, NameRule, RuleAlphabet, RuleError, Segment};
pub use password::{CharClass, PasswordRule, PasswordRuleError};
pub use quota::{ByteSize, Quota, QuotaError, Unit};
pub use template::{Template, TemplateError, TemplateValues};

/// What the expansions of provision-macros name. Crates that re-export this crate
/// (provision-core, the `provision` facade) re-export this module too, so that a macro
/// expands to the same types through any of them (`crate = path;`).
#[doc(hidden)]
pub mod __private {
    pub use crate::name::{NameRule, Segment};
    pub use crate::password::PasswordRule;
    pub use crate::quota::Quota;
}
