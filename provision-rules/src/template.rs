//! Notification templates: text with `{$name}` placeholders, parsed once.
//!
//! A [`Template`] is parsed once, so that a typo in a placeholder is an error when the
//! product is configured, not when a customer should be warned; rendering then only
//! looks values up through [`TemplateValues`]. The values of an account's usage
//! ([`STANDARD_NAMES`]) are computed by provision-core (`NotificationValues`); any map
//! of names to values renders too.
//!
//! Placeholders are `{$name}` and the product or quotient of two values, `{$a*$b}` or
//! `{$a/$b}` (spaces around the operator are allowed). A `{` not followed by `$` is
//! literal text.
//!
//! # Expressions
//!
//! The operands are non-negative decimals (`10737418240`, `1.5`,
//! `0.000000000931322574615478515625`); the arithmetic is exact (big integers, no
//! floating point). The result is shown rounded half up to two decimals with the
//! trailing zeros trimmed — `10`, `1.5`, `9.53` — which is how the original modules'
//! PHP templates print the same expressions. A quotient is computed to those two
//! decimals (it was rounded down to a whole number before).
//!
//! `unit_coefficient` has the original modules' meaning: bytes × coefficient = size in
//! the unit, so `{$disk_limit_bytes*$unit_coefficient}` is the limit in the unit
//! (`0.000000000931322574615478515625` for GB, exactly 2⁻³⁰). It used to be the
//! number of bytes per unit, which made that expression print
//! `11529215046068469760` for a 10 GB plan; that number is now `unit_bytes`, and
//! `{$disk_limit_bytes / $unit_bytes}` gives the same limit.
//!
//! An operand whose value is the values' [unlimited word](TemplateValues::unlimited_word)
//! (an unlimited quota's `disk_limit_bytes`) makes the expression show that word:
//! an unlimited limit times anything is unlimited.
//!
//! ```
//! use std::collections::BTreeMap;
//! use provision_rules::template::Template;
//!
//! let template = Template::parse(
//!     "{$client_name}: {$disk_used_percentage}% of {$disk_limit_bytes*$unit_coefficient} {$unit}",
//!     &["client_name"],
//! )
//! .unwrap();
//! assert_eq!(template.placeholders()[0], "client_name");
//! let values: BTreeMap<String, String> = [
//!     ("client_name", "Alice"),
//!     ("disk_used_percentage", "90"),
//!     ("disk_limit_bytes", "1649267441664"),
//!     ("unit_coefficient", "0.0000000000009094947017729282379150390625"),
//!     ("unit", "TB"),
//! ]
//! .into_iter()
//! .map(|(name, value)| (name.to_string(), value.to_string()))
//! .collect();
//! assert_eq!(template.render(&values).unwrap(), "Alice: 90% of 1.5 TB");
//! assert!(Template::parse("{$disk_usd}", &[]).is_err());
//! ```

use std::collections::{BTreeMap, HashMap};
use std::hash::BuildHasher;

use crate::decimal::Decimal;

/// Why a template does not load or does not render.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TemplateError {
    /// A placeholder the renderer does not know.
    #[error("unknown placeholder {{${name}}} at position {position}")]
    UnknownPlaceholder {
        /// The placeholder's name.
        name: String,
        /// Its byte offset.
        position: usize,
    },
    /// A `{$` without a closing `}`.
    #[error("placeholder at position {position} is not closed with '}}'")]
    Unterminated {
        /// The byte offset of its `{`.
        position: usize,
    },
    /// A placeholder that is neither `{$name}` nor `{$a*$b}` / `{$a/$b}`.
    #[error("malformed placeholder {placeholder} at position {position} (expected {{$name}}, {{$a*$b}} or {{$a/$b}})")]
    MalformedPlaceholder {
        /// The placeholder as written, braces included.
        placeholder: String,
        /// The byte offset of its `{`.
        position: usize,
    },
    /// An extra name given to [`Template::parse`] that could never be a placeholder.
    #[error(
        "{name:?} is not a placeholder name (letters, digits and '_', not starting with a digit)"
    )]
    InvalidName {
        /// The name given.
        name: String,
    },
    /// A placeholder declared as an extra name but not supplied when rendering.
    #[error("no value for {{${name}}} (position {position})")]
    MissingValue {
        /// The placeholder's name.
        name: String,
        /// The byte offset of its `{`.
        position: usize,
    },
    /// A value used in an expression is not a non-negative decimal number.
    #[error("{{${name}}} is {value:?}, not a number, in the expression at position {position}")]
    NotANumber {
        /// The value's name.
        name: String,
        /// The value.
        value: String,
        /// The byte offset of the expression's `{`.
        position: usize,
    },
    /// A quotient whose divisor is zero.
    #[error("the expression at position {position} divides by zero")]
    DivisionByZero {
        /// The byte offset of the expression's `{`.
        position: usize,
    },
}

/// The names of the values every notification has (provision-core's
/// `NotificationValues` computes them from an account's usage); templates may use them
/// without declaring them.
pub const STANDARD_NAMES: [&str; 11] = [
    "username",
    "disk_limit",
    "disk_limit_bytes",
    "disk_used_bytes",
    "disk_used_unit",
    "disk_free_unit",
    "disk_used_percentage",
    "disk_free_percentage",
    "unit",
    "unit_coefficient",
    "unit_bytes",
];

/// Where a [`Template`] looks up the values of its placeholders.
pub trait TemplateValues {
    /// The value of `name`, if there is one.
    fn value(&self, name: &str) -> Option<&str>;

    /// The word an unlimited size is shown as (`unlimited`, `unbegrenzt`, ...): an
    /// expression with an operand of this value shows it instead of a number. None
    /// (the default): every operand must be a number.
    fn unlimited_word(&self) -> Option<&str> {
        None
    }
}

impl<S: BuildHasher> TemplateValues for HashMap<String, String, S> {
    fn value(&self, name: &str) -> Option<&str> {
        self.get(name).map(String::as_str)
    }
}

impl TemplateValues for BTreeMap<String, String> {
    fn value(&self, name: &str) -> Option<&str> {
        self.get(name).map(String::as_str)
    }
}

/// The operator of a two-value expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Operator {
    Multiply,
    Divide,
}

/// One parsed piece of a template.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Literal(String),
    Value {
        name: String,
        position: usize,
    },
    Expression {
        left: String,
        operator: Operator,
        right: String,
        position: usize,
    },
}

/// A notification template, checked when parsed. See the [module documentation](self).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    pieces: Vec<Piece>,
}

impl Template {
    /// Parses `text`, accepting the [`STANDARD_NAMES`] and `extra_names` as placeholders.
    /// Errors name the byte offset of the placeholder at fault.
    pub fn parse(text: &str, extra_names: &[&str]) -> Result<Template, TemplateError> {
        if let Some(bad) = extra_names.iter().find(|n| !is_name(n)) {
            return Err(TemplateError::InvalidName {
                name: bad.to_string(),
            });
        }
        let known = |name: &str| STANDARD_NAMES.contains(&name) || extra_names.contains(&name);

        let mut pieces = Vec::new();
        let mut rest_start = 0;
        while let Some(offset) = text[rest_start..].find("{$") {
            let open = rest_start + offset;
            if open > rest_start {
                pieces.push(Piece::Literal(text[rest_start..open].to_string()));
            }
            let close = text[open..]
                .find('}')
                .map(|c| open + c)
                .ok_or(TemplateError::Unterminated { position: open })?;
            let piece = parse_placeholder(&text[open..=close], open)?;
            for name in piece_names(&piece) {
                if !known(name) {
                    return Err(TemplateError::UnknownPlaceholder {
                        name: name.to_string(),
                        position: open,
                    });
                }
            }
            pieces.push(piece);
            rest_start = close + 1;
        }
        if rest_start < text.len() {
            pieces.push(Piece::Literal(text[rest_start..].to_string()));
        }
        Ok(Template { pieces })
    }

    /// The placeholder names the template uses, each once, in order of first use.
    pub fn placeholders(&self) -> Vec<&str> {
        let mut names: Vec<&str> = Vec::new();
        for name in self.pieces.iter().flat_map(piece_names) {
            if !names.contains(&name) {
                names.push(name);
            }
        }
        names
    }

    /// Fills the placeholders from `values`.
    pub fn render<V: TemplateValues + ?Sized>(&self, values: &V) -> Result<String, TemplateError> {
        let lookup = |name: &str, position: usize| {
            values
                .value(name)
                .ok_or_else(|| TemplateError::MissingValue {
                    name: name.to_string(),
                    position,
                })
        };
        let mut out = String::new();
        for piece in &self.pieces {
            match piece {
                Piece::Literal(text) => out.push_str(text),
                Piece::Value { name, position } => out.push_str(lookup(name, *position)?),
                Piece::Expression {
                    left,
                    operator,
                    right,
                    position,
                } => {
                    let (a, b) = (lookup(left, *position)?, lookup(right, *position)?);
                    let unlimited = values.unlimited_word();
                    if let Some(word) = unlimited.filter(|w| a == *w || b == *w) {
                        out.push_str(word);
                        continue;
                    }
                    let number = |name: &str, value: &str| {
                        Decimal::parse(value).ok_or_else(|| TemplateError::NotANumber {
                            name: name.to_string(),
                            value: value.to_string(),
                            position: *position,
                        })
                    };
                    let (a, b) = (number(left, a)?, number(right, b)?);
                    let result = match operator {
                        Operator::Multiply => a.multiply(&b),
                        Operator::Divide => a.divide(&b).ok_or(TemplateError::DivisionByZero {
                            position: *position,
                        })?,
                    };
                    out.push_str(&result.shown());
                }
            }
        }
        Ok(out)
    }
}

/// The names a piece refers to.
fn piece_names(piece: &Piece) -> impl Iterator<Item = &str> {
    let (first, second) = match piece {
        Piece::Literal(_) => (None, None),
        Piece::Value { name, .. } => (Some(name.as_str()), None),
        Piece::Expression { left, right, .. } => (Some(left.as_str()), Some(right.as_str())),
    };
    first.into_iter().chain(second)
}

/// Parses one `{$...}` placeholder (braces included) that starts at `position`.
fn parse_placeholder(placeholder: &str, position: usize) -> Result<Piece, TemplateError> {
    let malformed = || TemplateError::MalformedPlaceholder {
        placeholder: placeholder.to_string(),
        position,
    };
    let inner = &placeholder[1..placeholder.len() - 1];
    let (left, rest) = take_variable(inner).ok_or_else(malformed)?;
    let rest = rest.trim_start();
    if rest.is_empty() {
        return Ok(Piece::Value {
            name: left.to_string(),
            position,
        });
    }
    let operator = match rest.as_bytes()[0] {
        b'*' => Operator::Multiply,
        b'/' => Operator::Divide,
        _ => return Err(malformed()),
    };
    let (right, rest) = take_variable(rest[1..].trim_start()).ok_or_else(malformed)?;
    if !rest.trim_start().is_empty() {
        return Err(malformed());
    }
    Ok(Piece::Expression {
        left: left.to_string(),
        operator,
        right: right.to_string(),
        position,
    })
}

/// Splits `$name rest` into the name and the rest.
fn take_variable(text: &str) -> Option<(&str, &str)> {
    let after_dollar = text.strip_prefix('$')?;
    let end = after_dollar
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(after_dollar.len());
    let name = &after_dollar[..end];
    is_name(name).then_some((name, &after_dollar[end..]))
}

/// Whether `name` can stand in a placeholder: ASCII letters, digits and `_`, not
/// starting with a digit.
fn is_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The default near-limit warning: a `Subject:` line, a blank line, then the body.
pub const NEAR_LIMIT_TEMPLATE: &str = "\
Subject: Your {$service_product_name} storage is {$disk_used_percentage}% full

Dear {$client_name},

your storage account {$username} ({$service_product_name}) now uses \
{$disk_used_unit} {$unit} of its {$disk_limit} {$unit} ({$disk_used_percentage}%). \
{$disk_free_unit} {$unit} remain free.

Once the account passes its limit, it will be restricted until enough files are \
deleted. To keep working without interruption, free up some space or upgrade to a \
larger package.
";

/// The default notice sent when an account is restricted for passing its limit: a
/// `Subject:` line, a blank line, then the body.
pub const SUSPENDED_FOR_LIMIT_TEMPLATE: &str = "\
Subject: Your {$service_product_name} storage is over its limit

Dear {$client_name},

your storage account {$username} ({$service_product_name}) holds {$disk_used_unit} \
{$unit}, which is more than its limit of {$disk_limit} {$unit} \
({$disk_used_percentage}% used). The account has been restricted.

The restriction is lifted automatically once the account is back under its limit: \
delete files you no longer need, or upgrade to a larger package.
";

/// The extra names the default templates need beside the standard ones.
const DEFAULT_EXTRA_NAMES: [&str; 2] = ["client_name", "service_product_name"];

/// [`NEAR_LIMIT_TEMPLATE`], parsed; render it with `client_name` and
/// `service_product_name` supplied.
pub fn default_near_limit() -> Template {
    parse_builtin(NEAR_LIMIT_TEMPLATE)
}

/// [`SUSPENDED_FOR_LIMIT_TEMPLATE`], parsed; render it with `client_name` and
/// `service_product_name` supplied.
pub fn default_suspended_for_limit() -> Template {
    parse_builtin(SUSPENDED_FOR_LIMIT_TEMPLATE)
}

fn parse_builtin(text: &str) -> Template {
    match Template::parse(text, &DEFAULT_EXTRA_NAMES) {
        Ok(template) => template,
        // The built-in texts are constants checked by this module's tests.
        Err(e) => unreachable!("a built-in template does not parse: {e}"),
    }
}

/// Splits a rendered message into its `Subject:` line and its body (the text after the
/// blank line that follows the subject). Without a leading `Subject:` line, the whole
/// text is the body.
pub fn split_subject(message: &str) -> (Option<&str>, &str) {
    let Some(after) = message.strip_prefix("Subject:") else {
        return (None, message);
    };
    let (subject, rest) = after.split_once('\n').unwrap_or((after, ""));
    // One blank line separates the subject from the body.
    let body = rest
        .strip_prefix("\r\n")
        .or_else(|| rest.strip_prefix('\n'))
        .unwrap_or(rest);
    (Some(subject.trim()), body)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(values: &[(&str, &str)]) -> BTreeMap<String, String> {
        values
            .iter()
            .map(|(name, value)| (name.to_string(), value.to_string()))
            .collect()
    }

    #[test]
    fn renders_from_any_map_of_values() {
        let t = Template::parse("{$a} and {$b*$c}, {$b / $c}", &["a", "b", "c"]).unwrap();
        let values = map(&[("a", "x"), ("b", "12"), ("c", "5")]);
        assert_eq!(t.render(&values).unwrap(), "x and 60, 2.4");
        let hashed: HashMap<String, String> = values.into_iter().collect();
        assert_eq!(t.render(&hashed).unwrap(), "x and 60, 2.4");
        assert_eq!(
            t.render(&map(&[("a", "x"), ("b", "-1"), ("c", "5")])),
            Err(TemplateError::NotANumber {
                name: "b".into(),
                value: "-1".into(),
                position: 9
            })
        );
        assert_eq!(
            t.render(&map(&[("b", "1"), ("c", "1")])),
            Err(TemplateError::MissingValue {
                name: "a".into(),
                position: 0
            })
        );
    }

    #[test]
    fn the_built_in_templates_parse() {
        for template in [default_near_limit(), default_suspended_for_limit()] {
            for name in template.placeholders() {
                assert!(
                    STANDARD_NAMES.contains(&name) || DEFAULT_EXTRA_NAMES.contains(&name),
                    "{name}"
                );
            }
        }
    }

    #[test]
    fn parse_errors_name_the_position() {
        assert_eq!(
            Template::parse("Hi {$usrname}!", &[]),
            Err(TemplateError::UnknownPlaceholder {
                name: "usrname".into(),
                position: 3
            })
        );
        assert_eq!(
            Template::parse("ab {$disk_used_bytes*$nope}", &[]),
            Err(TemplateError::UnknownPlaceholder {
                name: "nope".into(),
                position: 3
            })
        );
        assert_eq!(
            Template::parse("ok {$username} {$unit", &[]),
            Err(TemplateError::Unterminated { position: 15 })
        );
        for bad in [
            "{$}",
            "{$a+$b}",
            "{$a*}",
            "{$a*$b*$c}",
            "{$a b}",
            "{$1a}",
            "{$a*b}",
        ] {
            assert_eq!(
                Template::parse(&format!("x{bad}"), &["a", "b", "c", "a1"]),
                Err(TemplateError::MalformedPlaceholder {
                    placeholder: bad.into(),
                    position: 1
                }),
                "{bad}"
            );
        }
        assert_eq!(
            Template::parse("", &["client name"]),
            Err(TemplateError::InvalidName {
                name: "client name".into()
            })
        );
    }

    #[test]
    fn placeholders_are_listed_once_in_order() {
        let t = Template::parse(
            "{$unit} {$username} {$disk_limit_bytes*$unit} {$username}",
            &[],
        )
        .unwrap();
        assert_eq!(t.placeholders(), ["unit", "username", "disk_limit_bytes"]);
    }

    #[test]
    fn split_subject_without_subject_line() {
        assert_eq!(split_subject("Hello\n\nBody"), (None, "Hello\n\nBody"));
        assert_eq!(
            split_subject("Subject: Hi\r\n\r\nBody"),
            (Some("Hi"), "Body")
        );
        assert_eq!(split_subject("Subject: Hi"), (Some("Hi"), ""));
    }
}
