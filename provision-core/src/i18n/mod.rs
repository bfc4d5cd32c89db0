//! The customer's language: 25 languages, Fluent catalogues with CLDR plural rules,
//! numbers in the language's digits and separators.
//!
//! Every text a customer or an admin reads (the pages, the default notifications) is a
//! Fluent message in `provision-core/i18n/<code>/<domain>.ftl`, embedded at compile
//! time: `common` (words several places use), `pages` and `notifications`. A message a
//! language lacks falls back to English; a test checks that no language lacks one and
//! that each uses the same variables as English.
//!
//! ```
//! use provision_core::i18n::{format_decimal, Args, Catalogue, Language};
//!
//! let catalogue = Catalogue::get();
//! let days = |language, count: u64| {
//!     catalogue.text(language, "common-days", &Args::new().number("count", count))
//! };
//! assert_eq!(days(Language::English, 1), "1 day");
//! assert_eq!(days(Language::Polish, 5), "5 dni");
//! assert_eq!(format_decimal(Language::German, "1234.5"), "1.234,5");
//! assert_eq!(Language::negotiate("fr-CH, de;q=0.8"), Language::French);
//! assert!(Language::Hebrew.is_right_to_left());
//! ```

mod catalogue;
mod language;
mod numbers;

pub use catalogue::{Args, Catalogue, DOMAINS, PREFIXES};
pub use language::Language;
pub use language::UnknownLanguage;
pub use numbers::{format_decimal, format_percent};
