//! Password rules: `"12"` (a length) or `"12:charset"` (a length and the characters to
//! draw from), and checking a chosen password against one. Generation needs the
//! operating system's CSPRNG, so it lives in provision-core
//! (`provision_core::rules::GeneratePassword`).

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

/// The shortest password a rule may ask for.
pub const MIN_PASSWORD_LENGTH: usize = 8;

/// The longest password a rule may ask for.
pub const MAX_PASSWORD_LENGTH: usize = 256;

/// The special characters of the default charset.
///
/// Each is accepted by every backend's API and by the Synology password policy's list
/// of special characters, and none needs quoting in a POSIX shell word, a URL query
/// after form encoding, JSON or XML. Left out on purpose: quotes and `\` (escaping),
/// `$`, `` ` ``, `!`, `&`, `;`, `|`, `*`, `?`, `~`, `#`, `<`, `>`, brackets and braces
/// (shell meaning), `/` (paths) and space (trimmed by some forms).
pub const DEFAULT_SPECIAL: &str = "%+,-.:=@_";

/// The default charset: lower and upper case letters, digits and [`DEFAULT_SPECIAL`].
pub const DEFAULT_CHARSET: &str =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789%+,-.:=@_";

// Every generated password holds one character of each class present, so a rule's
// length must leave room for all four; the minimum length guarantees it.
const _: () = assert!(MIN_PASSWORD_LENGTH >= CharClass::ALL.len());

/// Why a password rule or a password was rejected. No variant carries a password or
/// any part of one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PasswordRuleError {
    /// The length is below 8.
    #[error("password length {0} is below the minimum of 8")]
    TooShort(usize),
    /// The length is above [`MAX_PASSWORD_LENGTH`].
    #[error("password length {length} is above the maximum of {max}")]
    TooLong {
        /// The length asked for.
        length: usize,
        /// The maximum.
        max: usize,
    },
    /// The text is not `LENGTH` or `LENGTH:CHARSET`.
    #[error("password rule {input:?} is not LENGTH or LENGTH:CHARSET (e.g. \"12\" or \"16:abcXYZ123!\")")]
    Syntax {
        /// The rule as given.
        input: String,
    },
    /// A `:` with nothing after it.
    #[error("the charset after ':' is empty")]
    EmptyCharset,
    /// A control character in the charset.
    #[error("the charset holds the control character {ch:?}")]
    ControlCharacter {
        /// The character.
        ch: char,
    },
    /// A password shorter than the rule's length.
    #[error("the password has {len} characters, fewer than {min}")]
    PasswordTooShort {
        /// The rule's length.
        min: usize,
        /// The password's length.
        len: usize,
    },
    /// A password character outside the rule's charset (the character is not shown).
    #[error("the password's character {position} is not in the allowed charset")]
    CharacterNotAllowed {
        /// Its 0-based index in characters.
        position: usize,
    },
    /// A password without any character of a class the charset holds.
    #[error("the password has no {class}")]
    MissingClass {
        /// The class missing.
        class: CharClass,
    },
}

/// A class of password characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CharClass {
    /// ASCII `a-z`.
    Lower,
    /// ASCII `A-Z`.
    Upper,
    /// ASCII `0-9`.
    Digit,
    /// Anything else.
    Special,
}

impl CharClass {
    /// Every class, in the order used for generation.
    pub const ALL: [CharClass; 4] = [
        CharClass::Lower,
        CharClass::Upper,
        CharClass::Digit,
        CharClass::Special,
    ];

    /// The class of `ch`.
    pub fn of(ch: char) -> CharClass {
        match ch {
            'a'..='z' => CharClass::Lower,
            'A'..='Z' => CharClass::Upper,
            '0'..='9' => CharClass::Digit,
            _ => CharClass::Special,
        }
    }
}

impl fmt::Display for CharClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CharClass::Lower => "lower-case letter",
            CharClass::Upper => "upper-case letter",
            CharClass::Digit => "digit",
            CharClass::Special => "special character",
        })
    }
}

/// A parsed password rule.
///
/// Every class (lower, upper, digit, special) present in the charset appears at least
/// once in every generated password, which has exactly [`length`](Self::length)
/// characters; [`check`](Self::check) holds a chosen password to the same rule.
///
/// ```
/// use provision_rules::password::{CharClass, PasswordRule, PasswordRuleError};
///
/// let rule: PasswordRule = "10".parse().unwrap();
/// assert_eq!(rule.length(), 10);
/// assert!(rule.check("Ab1%efghij").is_ok());
/// assert_eq!(
///     rule.check("ab1%efghij"),
///     Err(PasswordRuleError::MissingClass { class: CharClass::Upper })
/// );
///
/// let digits_and_letters = PasswordRule::parse("10:abc123").unwrap();
/// assert_eq!(digits_and_letters.charset(), "abc123");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PasswordRule {
    length: usize,
    /// Distinct characters, in order of first appearance.
    charset: Cow<'static, str>,
    custom_charset: bool,
}

impl PasswordRule {
    /// Parses `"LENGTH"` or `"LENGTH:CHARSET"`; the charset is every character after the
    /// first `:` (repeats are ignored). Without a charset, [`DEFAULT_CHARSET`] is used.
    pub fn parse(input: &str) -> Result<PasswordRule, PasswordRuleError> {
        let (length_text, charset) = match input.split_once(':') {
            Some((length, charset)) => (length, Some(charset)),
            None => (input, None),
        };
        let length_text = length_text.trim();
        if length_text.is_empty() || !length_text.bytes().all(|b| b.is_ascii_digit()) {
            return Err(PasswordRuleError::Syntax {
                input: input.to_string(),
            });
        }
        // Too many digits for usize is surely above the maximum.
        let length = length_text.parse::<usize>().unwrap_or(usize::MAX);
        if length < MIN_PASSWORD_LENGTH {
            return Err(PasswordRuleError::TooShort(length));
        }
        if length > MAX_PASSWORD_LENGTH {
            return Err(PasswordRuleError::TooLong {
                length,
                max: MAX_PASSWORD_LENGTH,
            });
        }
        let Some(charset) = charset else {
            return Ok(PasswordRule {
                length,
                charset: Cow::Borrowed(DEFAULT_CHARSET),
                custom_charset: false,
            });
        };
        if charset.is_empty() {
            return Err(PasswordRuleError::EmptyCharset);
        }
        if let Some(ch) = charset.chars().find(|c| c.is_control()) {
            return Err(PasswordRuleError::ControlCharacter { ch });
        }
        let mut distinct = String::with_capacity(charset.len());
        for ch in charset.chars() {
            if !distinct.contains(ch) {
                distinct.push(ch);
            }
        }
        Ok(PasswordRule {
            length,
            charset: Cow::Owned(distinct),
            custom_charset: true,
        })
    }

    /// Builds a rule from parts checked by `password_rule!` at compile time with
    /// [`PasswordRule::parse`]. Not for direct use: nothing checks them here.
    #[doc(hidden)]
    pub const fn __from_checked_parts(
        length: usize,
        charset: &'static str,
        custom_charset: bool,
    ) -> PasswordRule {
        PasswordRule {
            length,
            charset: Cow::Borrowed(charset),
            custom_charset,
        }
    }

    /// The number of characters of every generated password, and the minimum for a
    /// checked one.
    pub fn length(&self) -> usize {
        self.length
    }

    /// The characters passwords are drawn from, each once.
    pub fn charset(&self) -> &str {
        &self.charset
    }

    /// Whether the rule names its own charset (else it is [`DEFAULT_CHARSET`]).
    pub fn has_custom_charset(&self) -> bool {
        self.custom_charset
    }

    /// The classes present in the charset; each appears in every generated password.
    pub fn required_classes(&self) -> Vec<CharClass> {
        CharClass::ALL
            .into_iter()
            .filter(|class| self.charset.chars().any(|c| CharClass::of(c) == *class))
            .collect()
    }

    /// Checks a chosen password: at least [`length`](Self::length) characters, all from
    /// the charset, and every class the charset holds.
    pub fn check(&self, password: &str) -> Result<(), PasswordRuleError> {
        let len = password.chars().count();
        if len < self.length {
            return Err(PasswordRuleError::PasswordTooShort {
                min: self.length,
                len,
            });
        }
        if let Some(position) = password.chars().position(|c| !self.charset.contains(c)) {
            return Err(PasswordRuleError::CharacterNotAllowed { position });
        }
        for class in self.required_classes() {
            if !password.chars().any(|c| CharClass::of(c) == class) {
                return Err(PasswordRuleError::MissingClass { class });
            }
        }
        Ok(())
    }
}

impl fmt::Display for PasswordRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.custom_charset {
            write!(f, "{}:{}", self.length, self.charset)
        } else {
            write!(f, "{}", self.length)
        }
    }
}

impl FromStr for PasswordRule {
    type Err = PasswordRuleError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        PasswordRule::parse(s)
    }
}

impl serde::Serialize for PasswordRule {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for PasswordRule {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        PasswordRule::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_length_and_optional_charset() {
        let rule = PasswordRule::parse("12").unwrap();
        assert_eq!(rule.length(), 12);
        assert_eq!(rule.charset(), DEFAULT_CHARSET);
        assert!(!rule.has_custom_charset());
        assert_eq!(rule.required_classes(), CharClass::ALL);

        let rule = PasswordRule::parse("16:aabbc:1").unwrap();
        assert_eq!(rule.length(), 16);
        assert_eq!(rule.charset(), "abc:1");
        assert_eq!(
            rule.required_classes(),
            [CharClass::Lower, CharClass::Digit, CharClass::Special]
        );
        assert_eq!(rule.to_string(), "16:abc:1");
        assert_eq!(PasswordRule::parse(&rule.to_string()).unwrap(), rule);
        assert_eq!(PasswordRule::parse("8:x").unwrap().charset(), "x");
    }

    #[test]
    fn rejects_bad_rules() {
        assert_eq!(
            PasswordRule::parse("7"),
            Err(PasswordRuleError::TooShort(7))
        );
        assert_eq!(
            PasswordRule::parse("0:abc"),
            Err(PasswordRuleError::TooShort(0))
        );
        assert_eq!(
            PasswordRule::parse("257"),
            Err(PasswordRuleError::TooLong {
                length: 257,
                max: 256
            })
        );
        assert!(matches!(
            PasswordRule::parse("99999999999999999999999"),
            Err(PasswordRuleError::TooLong { .. })
        ));
        assert_eq!(
            PasswordRule::parse("12:"),
            Err(PasswordRuleError::EmptyCharset)
        );
        assert_eq!(
            PasswordRule::parse("12:ab\tc"),
            Err(PasswordRuleError::ControlCharacter { ch: '\t' })
        );
        for bad in ["", "abc", "-12", "+12", "1 2", ":abc", "12.5"] {
            assert!(
                matches!(
                    PasswordRule::parse(bad),
                    Err(PasswordRuleError::Syntax { .. })
                ),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn the_default_specials_are_in_the_default_charset_and_nothing_shell_active() {
        assert!(DEFAULT_SPECIAL.chars().all(|c| DEFAULT_CHARSET.contains(c)));
        assert!(!DEFAULT_SPECIAL.contains(|c: char| "'\"\\$`!&;|*?~#<>()[]{}/ ".contains(c)));
        let specials: String = DEFAULT_CHARSET
            .chars()
            .filter(|&c| CharClass::of(c) == CharClass::Special)
            .collect();
        assert_eq!(specials, DEFAULT_SPECIAL);
    }

    #[test]
    fn check_says_what_is_wrong_without_showing_the_password() {
        let rule = PasswordRule::parse("10").unwrap();
        assert_eq!(rule.check("Ab1%efghij"), Ok(()));
        assert_eq!(
            rule.check("Ab1%"),
            Err(PasswordRuleError::PasswordTooShort { min: 10, len: 4 })
        );
        let e = rule.check("Ab1%efgh$j").unwrap_err();
        assert_eq!(e, PasswordRuleError::CharacterNotAllowed { position: 8 });
        assert!(!e.to_string().contains('$'));
        assert_eq!(
            rule.check("ab1%efghij"),
            Err(PasswordRuleError::MissingClass {
                class: CharClass::Upper
            })
        );
        assert_eq!(
            rule.check("Ab1cefghij"),
            Err(PasswordRuleError::MissingClass {
                class: CharClass::Special
            })
        );
        // Only the classes the charset holds are required.
        assert_eq!(
            PasswordRule::parse("8:ab").unwrap().check("aaaaaaaa"),
            Ok(())
        );
        assert_eq!(
            PasswordRule::parse("8:a1").unwrap().check("aaaaaaaa"),
            Err(PasswordRuleError::MissingClass {
                class: CharClass::Digit
            })
        );
    }

    #[test]
    fn serde_goes_through_the_parser() {
        let rule: PasswordRule = serde_json::from_str("\"12:ab1\"").unwrap();
        assert_eq!(rule.charset(), "ab1");
        assert_eq!(serde_json::to_string(&rule).unwrap(), "\"12:ab1\"");
        assert!(serde_json::from_str::<PasswordRule>("\"4\"").is_err());
    }

    proptest! {
        #[test]
        fn parse_never_panics(s in "\\PC{0,30}") {
            let _ = PasswordRule::parse(&s);
        }
    }
}
