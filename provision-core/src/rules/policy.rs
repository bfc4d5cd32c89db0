//! A backend's rules for user names: checking, normalising, comparing, suffixing.

use std::fmt;

use provision_rules::name::{IdAlphabet, NameRule, RuleAlphabet, Segment};

use crate::username::{Username, UsernameError};

/// The characters [`NamePolicy::suffix_separator`] tries, in order: punctuation reads as
/// a separator; rare letters serve backends whose only punctuation the rule writes.
const SEPARATOR_CANDIDATES: &str = "-_.@'xzqjkvwy";

/// Why a name does not fit a [`NamePolicy`]. Each variant names the rule that failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NameError {
    /// The shared checks failed.
    #[error(transparent)]
    Username(#[from] UsernameError),
    /// The name is empty (or only white space was given to normalise).
    #[error("{backend}: the user name is empty")]
    Empty {
        /// The backend whose policy applies.
        backend: &'static str,
    },
    /// Normalisation could make no name of a text: why is in `reason`.
    #[error("{backend}: no user name can be made of {raw:?}: {reason}")]
    Unusable {
        /// The backend whose policy applies.
        backend: &'static str,
        /// The text given to normalise.
        raw: String,
        /// The rule nothing in it could meet.
        reason: Unusable,
    },
    /// Fewer characters than the policy's minimum.
    #[error("{backend}: the user name has {len} characters, fewer than {min}")]
    TooShort {
        /// The backend whose policy applies.
        backend: &'static str,
        /// The minimum length in characters.
        min: usize,
        /// The name's length in characters.
        len: usize,
    },
    /// More characters than the policy's maximum.
    #[error("{backend}: the user name has {len} characters, more than {max}")]
    TooLong {
        /// The backend whose policy applies.
        backend: &'static str,
        /// The maximum length in characters.
        max: usize,
        /// The name's length in characters.
        len: usize,
    },
    /// A character the policy does not allow.
    #[error("{backend}: {ch:?} at character {position} is not allowed (allowed: {allowed})")]
    BadCharacter {
        /// The backend whose policy applies.
        backend: &'static str,
        /// The character.
        ch: char,
        /// Its 0-based index in characters.
        position: usize,
        /// The allowed characters in words.
        allowed: &'static str,
    },
    /// The first character breaks the policy's edge rule.
    #[error("{backend}: the user name may not start with {ch:?} (it must start with {expected})")]
    BadFirst {
        /// The backend whose policy applies.
        backend: &'static str,
        /// The first character.
        ch: char,
        /// What it must be.
        expected: EdgeRule,
    },
    /// The last character breaks the policy's edge rule.
    #[error("{backend}: the user name may not end with {ch:?} (it must end with {expected})")]
    BadLast {
        /// The backend whose policy applies.
        backend: &'static str,
        /// The last character.
        ch: char,
        /// What it must be.
        expected: EdgeRule,
    },
    /// An upper-case letter where the policy wants lower case only.
    #[error("{backend}: the user name must be lower case")]
    NotLowerCase {
        /// The backend whose policy applies.
        backend: &'static str,
    },
    /// A name the server refuses or keeps for itself.
    #[error("{backend}: the user name {name:?} is reserved")]
    Reserved {
        /// The backend whose policy applies.
        backend: &'static str,
        /// The name.
        name: String,
    },
    /// No character can separate a collision suffix from names of this rule: the
    /// backend allows none that the rule cannot write by itself.
    #[error("{backend}: the name rule {rule:?} leaves no character to separate a collision suffix ({})", no_separator_reason(.free_text.as_ref()))]
    NoSuffixSeparator {
        /// The backend whose policy applies.
        backend: &'static str,
        /// The rule as written.
        rule: String,
        /// The placeholder that can write any character, if that is the reason.
        free_text: Option<Segment>,
    },
    /// A client or service id holds characters outside the declared [`IdAlphabet`], so
    /// its names could take the shape of another service's suffixed name.
    #[error("{backend}: the id {id:?} for {placeholder} holds more than {ids}, the declared id alphabet")]
    IdOutsideAlphabet {
        /// The backend whose policy applies.
        backend: &'static str,
        /// `{client_id}` or `{service_id}`.
        placeholder: Segment,
        /// The id.
        id: String,
        /// The alphabet the ids were declared to hold.
        ids: IdAlphabet,
    },
}

/// Why [`NamePolicy::normalize`] could make no name of a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Unusable {
    /// None of its characters is allowed, nor transliterates to allowed ones.
    NoAllowedCharacter {
        /// The allowed characters in words.
        allowed: &'static str,
    },
    /// Allowed characters remain, but none may start a name.
    NoFirstCharacter {
        /// What the first character must be.
        expected: EdgeRule,
    },
    /// Allowed characters remain, but none after a valid start may end a name.
    NoLastCharacter {
        /// What the last character must be.
        expected: EdgeRule,
    },
}

impl fmt::Display for Unusable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unusable::NoAllowedCharacter { allowed } => {
                write!(f, "none of its characters is allowed (allowed: {allowed})")
            }
            Unusable::NoFirstCharacter { expected } => {
                write!(f, "none of its allowed characters may start a name (it must start with {expected})")
            }
            Unusable::NoLastCharacter { expected } => {
                write!(
                    f,
                    "none of its allowed characters may end a name (it must end with {expected})"
                )
            }
        }
    }
}

fn no_separator_reason(free_text: Option<&Segment>) -> String {
    match free_text {
        Some(segment) => format!("{segment} may hold any text"),
        None => "the rule itself can write every allowed candidate".to_string(),
    }
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

impl EdgeRule {
    /// Whether `ch` may stand at this edge.
    pub fn accepts(self, ch: char) -> bool {
        match self {
            EdgeRule::Any => true,
            EdgeRule::Letter => ch.is_ascii_alphabetic(),
            EdgeRule::Alphanumeric => ch.is_ascii_alphanumeric(),
        }
    }
}

impl fmt::Display for EdgeRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            EdgeRule::Any => "any allowed character",
            EdgeRule::Letter => "a letter",
            EdgeRule::Alphanumeric => "a letter or digit",
        })
    }
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
///
/// ```
/// use provision_core::rules::{CaseRule, EdgeRule, NamePolicy};
///
/// let policy = NamePolicy {
///     backend: "example",
///     allowed: |c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-',
///     allowed_description: "a-z, 0-9 and -",
///     replacement: Some('-'),
///     min_len: 3,
///     max_len: 16,
///     case: CaseRule::Lower,
///     first: EdgeRule::Letter,
///     last: EdgeRule::Alphanumeric,
///     reserved: &["admin"],
/// };
/// assert_eq!(policy.normalize("  Jörg  Weiß!").unwrap().as_str(), "jorg-weiss");
/// assert!(policy.validate("Jörg").is_err());
/// assert_eq!(policy.with_suffix("jorg-weiss", 'x', 12).unwrap().as_str(), "jorg-weissx12");
/// assert!(policy.with_suffix("jorg-weiss", '_', 12).is_err(), "'_' is not allowed");
/// ```
#[derive(Debug, Clone)]
pub struct NamePolicy {
    /// The backend these rules are for (used in errors).
    pub backend: &'static str,
    /// Which characters a name may hold.
    pub allowed: fn(char) -> bool,
    /// The allowed characters in words, for errors (e.g. "a-z, 0-9 and -").
    pub allowed_description: &'static str,
    /// What a disallowed character becomes in normalisation (None drops it). A
    /// replacement the policy itself does not allow is ignored (characters are dropped).
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
    ///
    /// Checked in this order, the first failure is returned: empty, length, allowed
    /// characters, case, first and last character, reserved names, and last the shared
    /// [`Username`] checks (which a permissive `allowed` could otherwise let through).
    pub fn validate(&self, name: &str) -> Result<Username, NameError> {
        let backend = self.backend;
        let (Some(first), Some(last)) = (name.chars().next(), name.chars().next_back()) else {
            return Err(NameError::Empty { backend });
        };
        let len = name.chars().count();
        if len < self.min_len {
            return Err(NameError::TooShort {
                backend,
                min: self.min_len,
                len,
            });
        }
        if len > self.max_len {
            return Err(NameError::TooLong {
                backend,
                max: self.max_len,
                len,
            });
        }
        if let Some((position, ch)) = name.chars().enumerate().find(|&(_, c)| !(self.allowed)(c)) {
            return Err(NameError::BadCharacter {
                backend,
                ch,
                position,
                allowed: self.allowed_description,
            });
        }
        if self.case == CaseRule::Lower && !name.chars().all(is_lower_case) {
            return Err(NameError::NotLowerCase { backend });
        }
        if !self.first.accepts(first) {
            return Err(NameError::BadFirst {
                backend,
                ch: first,
                expected: self.first,
            });
        }
        if !self.last.accepts(last) {
            return Err(NameError::BadLast {
                backend,
                ch: last,
                expected: self.last,
            });
        }
        if self.is_reserved(name) {
            return Err(NameError::Reserved {
                backend,
                name: name.to_string(),
            });
        }
        Ok(Username::new(name)?)
    }

    /// Maps any text into a name this policy accepts, or says which rule could not be
    /// met.
    ///
    /// Lower-cases under [`CaseRule::Lower`]; transliterates common Latin letters
    /// (`é` → `e`, `ß` → `ss`) the policy does not allow; replaces other disallowed
    /// characters with [`replacement`](Self::replacement) (or drops them) and collapses
    /// runs of it; trims the replacement, white space and anything breaking the edge
    /// rules from both ends; truncates to `max_len`. The result is checked with
    /// [`validate`](Self::validate), so an `Ok` is always valid.
    pub fn normalize(&self, raw: &str) -> Result<Username, NameError> {
        let replacement = self.usable_replacement();
        let mut mapped = String::with_capacity(raw.len());
        for ch in raw.chars() {
            self.map_char(&mut mapped, ch, replacement);
        }
        let trimmed = self.trim_edges(&mapped, replacement);
        let name = match trimmed.char_indices().nth(self.max_len) {
            Some((cut, _)) => self.trim_end(&trimmed[..cut], replacement),
            None => trimmed,
        };
        if name.is_empty() {
            return Err(self.unusable(raw, &mapped, replacement));
        }
        self.validate(name)
    }

    /// Why normalising `raw` (mapped to `mapped`) left nothing: the rule no character
    /// could meet, or [`NameError::Empty`] when there was nothing but white space.
    fn unusable(&self, raw: &str, mapped: &str, replacement: Option<char>) -> NameError {
        let backend = self.backend;
        if raw.trim().is_empty() {
            return NameError::Empty { backend };
        }
        let mut kept = mapped
            .chars()
            .filter(|&c| Some(c) != replacement && !c.is_whitespace())
            .peekable();
        let reason = if kept.peek().is_none() {
            Unusable::NoAllowedCharacter {
                allowed: self.allowed_description,
            }
        } else if !kept.any(|c| self.first.accepts(c)) {
            Unusable::NoFirstCharacter {
                expected: self.first,
            }
        } else {
            Unusable::NoLastCharacter {
                expected: self.last,
            }
        };
        NameError::Unusable {
            backend,
            raw: raw.to_string(),
            reason,
        }
    }

    /// Whether two names denote the same account on this backend: case-insensitive
    /// unless the policy is [`CaseRule::Sensitive`].
    pub fn same_account(&self, a: &str, b: &str) -> bool {
        self.account_key(a) == self.account_key(b)
    }

    /// The form under which the server files a name: two names with the same key are
    /// one account.
    pub(crate) fn account_key(&self, name: &str) -> String {
        match self.case {
            CaseRule::Sensitive => name.to_string(),
            CaseRule::Insensitive | CaseRule::Lower => name.to_lowercase(),
        }
    }

    /// `base`, then `separator`, then the decimal `suffix`, with `base` cut short so
    /// that the result fits `max_len`; the result is validated (e.g. a policy whose names
    /// must end with a letter cannot take a numeric suffix, and says so with
    /// [`NameError::BadLast`]). The separator is never cut: use
    /// [`suffix_separator`](Self::suffix_separator), so that a suffixed name is never a
    /// name the rule produces by itself.
    pub fn with_suffix(
        &self,
        base: &str,
        separator: char,
        suffix: u64,
    ) -> Result<Username, NameError> {
        let tail = format!("{separator}{suffix}");
        let tail_len = tail.chars().count();
        let room = self
            .max_len
            .checked_sub(tail_len)
            .ok_or(NameError::TooLong {
                backend: self.backend,
                max: self.max_len,
                len: tail_len,
            })?;
        let base = match base.char_indices().nth(room) {
            Some((cut, _)) => &base[..cut],
            None => base,
        };
        self.validate(&format!("{base}{tail}"))
    }

    /// The character that joins a collision suffix to names of `rule` on this backend,
    /// when client and service ids hold only characters of `ids`.
    ///
    /// It is one this policy allows and normalisation keeps, and one that no normalised
    /// name of the rule can hold, in any case where the backend ignores case: not in
    /// the literal text, not writable by a placeholder, not what normalisation turns
    /// any of those characters into (its replacement, transliterations). So a name
    /// that holds it is never the name the rule gives another service by itself.
    /// Candidates in order: `- _ . @ '`, then the letters `x z q j k v w y`.
    ///
    /// [`NameError::NoSuffixSeparator`] when there is none, e.g. when an id may hold
    /// any text ([`IdAlphabet::Text`]), or a rule with random letters on a backend whose
    /// only punctuation the rule writes itself; suffixing is then refused rather than
    /// risk taking another service's name.
    ///
    /// ```
    /// use provision_core::rules::{CaseRule, EdgeRule, IdAlphabet, NamePolicy, NameRule};
    ///
    /// let policy = NamePolicy {
    ///     backend: "example",
    ///     allowed: |c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_',
    ///     allowed_description: "a-z, 0-9, - and _",
    ///     replacement: Some('-'),
    ///     min_len: 1,
    ///     max_len: 32,
    ///     case: CaseRule::Lower,
    ///     first: EdgeRule::Alphanumeric,
    ///     last: EdgeRule::Alphanumeric,
    ///     reserved: &[],
    /// };
    /// let rule = NameRule::parse("{client_id}-{service_id}").unwrap();
    /// assert_eq!(policy.suffix_separator(&rule, IdAlphabet::Digits), Ok('_'));
    /// assert!(policy.suffix_separator(&rule, IdAlphabet::Text).is_err());
    /// ```
    pub fn suffix_separator(&self, rule: &NameRule, ids: IdAlphabet) -> Result<char, NameError> {
        let no_separator = |free_text| NameError::NoSuffixSeparator {
            backend: self.backend,
            rule: rule.as_str().to_string(),
            free_text,
        };
        let raw = match rule.alphabet(ids) {
            RuleAlphabet::Bounded(raw) => raw,
            RuleAlphabet::Unbounded(segment) => return Err(no_separator(Some(segment))),
        };
        // What normalisation can make of those characters, as the server files it.
        let replacement = self.usable_replacement();
        let mut written = String::new();
        for ch in raw {
            self.map_char(&mut written, ch, replacement);
        }
        let written = self.account_key(&written);
        SEPARATOR_CANDIDATES
            .chars()
            .find(|&candidate| {
                self.keeps(candidate)
                    && !self
                        .account_key(candidate.encode_utf8(&mut [0; 4]))
                        .chars()
                        .any(|key| written.contains(key))
            })
            .ok_or_else(|| no_separator(None))
    }

    fn is_reserved(&self, name: &str) -> bool {
        let key = name.to_lowercase();
        self.reserved.iter().any(|r| r.to_lowercase() == key)
    }

    /// The replacement normalisation uses: none if the policy does not keep it.
    fn usable_replacement(&self) -> Option<char> {
        self.replacement.filter(|&r| self.keeps(r))
    }

    /// Appends what normalisation makes of `ch` (lower-cased first under
    /// [`CaseRule::Lower`]).
    fn map_char(&self, out: &mut String, ch: char, replacement: Option<char>) {
        if self.case == CaseRule::Lower {
            for lower in ch.to_lowercase() {
                self.push_mapped(out, lower, replacement);
            }
        } else {
            self.push_mapped(out, ch, replacement);
        }
    }

    /// Whether `ch` can stay in a normalised name as it is.
    fn keeps(&self, ch: char) -> bool {
        (self.allowed)(ch)
            && !ch.is_control()
            && (self.case != CaseRule::Lower || is_lower_case(ch))
    }

    fn push_mapped(&self, out: &mut String, ch: char, replacement: Option<char>) {
        let mut push = |c: char| {
            // A run of replacements (inserted or already there) collapses to one.
            if Some(c) != replacement || !out.ends_with(c) {
                out.push(c);
            }
        };
        if self.keeps(ch) {
            push(ch);
        } else if let Some(ascii) = transliterate(ch).filter(|t| t.chars().all(|c| self.keeps(c))) {
            ascii.chars().for_each(push);
        } else if let Some(r) = replacement {
            push(r);
        }
    }

    fn trim_edges<'a>(&self, s: &'a str, replacement: Option<char>) -> &'a str {
        let s = s.trim_start_matches(|c: char| {
            Some(c) == replacement || c.is_whitespace() || !self.first.accepts(c)
        });
        self.trim_end(s, replacement)
    }

    fn trim_end<'a>(&self, s: &'a str, replacement: Option<char>) -> &'a str {
        s.trim_end_matches(|c: char| {
            Some(c) == replacement || c.is_whitespace() || !self.last.accepts(c)
        })
    }
}

/// Lower case as normalisation leaves it: lower-casing keeps the character, and it is
/// no capital (which rules out capitals without a lower-case form, such as `𝐀`).
fn is_lower_case(ch: char) -> bool {
    !ch.is_uppercase() && ch.to_lowercase().eq([ch])
}

/// ASCII for common Latin letters with diacritics and ligatures; None for anything
/// else. Upper-case letters map to upper case (`Ä` → `A`, `ẞ` → `SS`).
fn transliterate(ch: char) -> Option<String> {
    if let Some(ascii) = transliterate_lower(ch) {
        return Some(ascii.to_string());
    }
    let mut lower = ch.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) if l != ch => transliterate_lower(l).map(str::to_ascii_uppercase),
        _ => None,
    }
}

fn transliterate_lower(ch: char) -> Option<&'static str> {
    Some(match ch {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'æ' => "ae",
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => "c",
        'ď' | 'đ' | 'ð' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => "e",
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => "g",
        'ĥ' | 'ħ' => "h",
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => "i",
        'ĵ' => "j",
        'ķ' => "k",
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => "l",
        'ñ' | 'ń' | 'ņ' | 'ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => "o",
        'œ' => "oe",
        'ŕ' | 'ŗ' | 'ř' => "r",
        'ś' | 'ŝ' | 'ş' | 'š' | 'ș' => "s",
        'ß' => "ss",
        'ţ' | 'ť' | 'ŧ' | 'ț' => "t",
        'þ' => "th",
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => "u",
        'ŵ' => "w",
        'ý' | 'ÿ' | 'ŷ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        _ => return None,
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Like Nextcloud: a-z A-Z 0-9, space and _ . @ - ', case-insensitive, at most 64.
    pub(crate) const NEXTCLOUD_LIKE: NamePolicy = NamePolicy {
        backend: "nextcloud-like",
        allowed: |c| c.is_ascii_alphanumeric() || " _.@-'".contains(c),
        allowed_description: "a-z, A-Z, 0-9, space and _.@-'",
        replacement: Some('_'),
        min_len: 1,
        max_len: 64,
        case: CaseRule::Insensitive,
        first: EdgeRule::Any,
        last: EdgeRule::Any,
        reserved: &[".", "..", ".htaccess", "files_external"],
    };

    /// Like MinIO with bucket-safe names: lower a-z 0-9 -, 3 to 32, letter first.
    pub(crate) const MINIO_LIKE: NamePolicy = NamePolicy {
        backend: "minio-like",
        allowed: |c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-',
        allowed_description: "a-z, 0-9 and -",
        replacement: Some('-'),
        min_len: 3,
        max_len: 32,
        case: CaseRule::Lower,
        first: EdgeRule::Letter,
        last: EdgeRule::Alphanumeric,
        reserved: &["minio", "admin"],
    };

    /// Like Synology: case-insensitive, at most 32, reserved system names.
    pub(crate) const SYNOLOGY_LIKE: NamePolicy = NamePolicy {
        backend: "synology-like",
        allowed: |c| c.is_ascii_alphanumeric() || "._-".contains(c),
        allowed_description: "a-z, A-Z, 0-9 and ._-",
        replacement: None,
        min_len: 1,
        max_len: 32,
        case: CaseRule::Insensitive,
        first: EdgeRule::Alphanumeric,
        last: EdgeRule::Any,
        reserved: &["admin", "guest", "root", "SynologyCMS", "MAILER-DAEMON"],
    };

    /// Case matters: `Alice` and `alice` are two accounts.
    const SENSITIVE: NamePolicy = NamePolicy {
        case: CaseRule::Sensitive,
        ..SYNOLOGY_LIKE
    };

    fn norm(policy: &NamePolicy, raw: &str) -> Result<String, NameError> {
        policy.normalize(raw).map(Username::into_string)
    }

    #[test]
    fn validate_enforces_every_rule() {
        let m = &MINIO_LIKE;
        assert_eq!(m.validate("alice-1").unwrap().as_str(), "alice-1");
        assert_eq!(
            m.validate(""),
            Err(NameError::Empty {
                backend: "minio-like"
            })
        );
        assert_eq!(
            m.validate("ab"),
            Err(NameError::TooShort {
                backend: "minio-like",
                min: 3,
                len: 2
            })
        );
        assert_eq!(
            m.validate(&"a".repeat(33)),
            Err(NameError::TooLong {
                backend: "minio-like",
                max: 32,
                len: 33
            })
        );
        assert_eq!(
            m.validate("al_ce"),
            Err(NameError::BadCharacter {
                backend: "minio-like",
                ch: '_',
                position: 2,
                allowed: "a-z, 0-9 and -"
            })
        );
        assert_eq!(
            m.validate("1abc"),
            Err(NameError::BadFirst {
                backend: "minio-like",
                ch: '1',
                expected: EdgeRule::Letter
            })
        );
        assert_eq!(
            m.validate("abc-"),
            Err(NameError::BadLast {
                backend: "minio-like",
                ch: '-',
                expected: EdgeRule::Alphanumeric
            })
        );
        assert_eq!(
            m.validate("Admin"),
            Err(NameError::BadCharacter {
                backend: "minio-like",
                ch: 'A',
                position: 0,
                allowed: "a-z, 0-9 and -"
            })
        );
        assert_eq!(
            m.validate("admin"),
            Err(NameError::Reserved {
                backend: "minio-like",
                name: "admin".into()
            })
        );
        // Lengths count characters, not bytes.
        let unicode = NamePolicy {
            allowed: char::is_alphabetic,
            first: EdgeRule::Any,
            last: EdgeRule::Any,
            ..MINIO_LIKE
        };
        assert!(unicode.validate(&"é".repeat(32)).is_ok());
        assert!(matches!(
            unicode.validate("éÉé"),
            Err(NameError::NotLowerCase { .. })
        ));
    }

    #[test]
    fn reserved_names_match_in_any_case() {
        for name in ["ADMIN", "Guest", "synologycms", "mailer-daemon"] {
            assert!(
                matches!(
                    SYNOLOGY_LIKE.validate(name),
                    Err(NameError::Reserved { .. })
                ),
                "{name}"
            );
        }
        assert!(SYNOLOGY_LIKE.validate("admins").is_ok());
    }

    #[test]
    fn shared_username_checks_still_apply() {
        // The Nextcloud-like policy allows spaces, but never at the ends.
        assert!(NEXTCLOUD_LIKE.validate("o'Brien Jr@home").is_ok());
        assert!(matches!(
            NEXTCLOUD_LIKE.validate(" bob"),
            Err(NameError::Username(UsernameError::BadCharacter { .. }))
        ));
        let permissive = NamePolicy {
            allowed: |_| true,
            max_len: 1000,
            ..NEXTCLOUD_LIKE
        };
        assert!(matches!(
            permissive.validate(&"x".repeat(300)),
            Err(NameError::Username(UsernameError::TooLong { .. }))
        ));
    }

    #[test]
    fn errors_say_which_backend_and_rule() {
        let e = MINIO_LIKE.validate("1abc").unwrap_err().to_string();
        assert_eq!(
            e,
            "minio-like: the user name may not start with '1' (it must start with a letter)"
        );
    }

    #[test]
    fn normalize_lower_cases_transliterates_and_replaces() {
        let m = &MINIO_LIKE;
        assert_eq!(norm(m, "Alice").unwrap(), "alice");
        assert_eq!(norm(m, "  Ünïcödé__Name!! ").unwrap(), "unicode-name");
        assert_eq!(
            norm(m, "Straße Æsir Œuvre").unwrap(),
            "strasse-aesir-oeuvre"
        );
        assert_eq!(
            norm(m, "josé.garcía@example.com").unwrap(),
            "jose-garcia-example-com"
        );
        assert_eq!(norm(m, "a--b---c").unwrap(), "a-b-c");
        assert_eq!(norm(m, "123-abc-456").unwrap(), "abc-456");
        assert_eq!(norm(m, "łódź").unwrap(), "lodz");
    }

    #[test]
    fn normalize_keeps_case_where_the_policy_does() {
        let n = &NEXTCLOUD_LIKE;
        assert_eq!(norm(n, "José Müller").unwrap(), "Jose Muller");
        assert_eq!(norm(n, "ÆSIR ẞ").unwrap(), "AESIR SS");
        assert_eq!(norm(n, "a#b$c").unwrap(), "a_b_c");
        assert_eq!(norm(n, "\tbob\n").unwrap(), "bob");
        // No replacement: disallowed characters are dropped.
        assert_eq!(norm(&SYNOLOGY_LIKE, "Jo hn+Doe").unwrap(), "JohnDoe");
        assert_eq!(norm(&SYNOLOGY_LIKE, "_x").unwrap(), "x");
    }

    #[test]
    fn normalize_truncates_to_max_len_and_keeps_the_edges_valid() {
        let long = format!("{}-{}", "a".repeat(31), "b".repeat(10));
        // The cut lands right after the '-', which may not end a name.
        assert_eq!(norm(&MINIO_LIKE, &long).unwrap(), "a".repeat(31));
        let cut = norm(&MINIO_LIKE, &"abc".repeat(20)).unwrap();
        assert_eq!(cut.chars().count(), 32);
    }

    #[test]
    fn normalize_reports_the_rule_it_could_not_meet() {
        assert_eq!(
            norm(&MINIO_LIKE, "!!!"),
            Err(NameError::Unusable {
                backend: "minio-like",
                raw: "!!!".into(),
                reason: Unusable::NoAllowedCharacter {
                    allowed: "a-z, 0-9 and -"
                }
            })
        );
        let digits = norm(&MINIO_LIKE, "12345").unwrap_err();
        assert_eq!(
            digits,
            NameError::Unusable {
                backend: "minio-like",
                raw: "12345".into(),
                reason: Unusable::NoFirstCharacter {
                    expected: EdgeRule::Letter
                }
            }
        );
        assert_eq!(
            digits.to_string(),
            "minio-like: no user name can be made of \"12345\": none of its allowed \
             characters may start a name (it must start with a letter)"
        );
        assert_eq!(
            norm(&MINIO_LIKE, "  "),
            Err(NameError::Empty {
                backend: "minio-like"
            })
        );
        assert_eq!(
            norm(&MINIO_LIKE, "Ab"),
            Err(NameError::TooShort {
                backend: "minio-like",
                min: 3,
                len: 2
            })
        );
        assert_eq!(
            norm(&MINIO_LIKE, "ADMIN!"),
            Err(NameError::Reserved {
                backend: "minio-like",
                name: "admin".into()
            })
        );
        assert_eq!(
            norm(&NEXTCLOUD_LIKE, ""),
            Err(NameError::Empty {
                backend: "nextcloud-like"
            })
        );
    }

    #[test]
    fn a_replacement_the_policy_forbids_is_not_used() {
        let odd = NamePolicy {
            replacement: Some('*'),
            ..MINIO_LIKE
        };
        assert_eq!(norm(&odd, "ab cd").unwrap(), "abcd");
    }

    #[test]
    fn same_account_follows_the_case_rule() {
        assert!(SYNOLOGY_LIKE.same_account("Alice", "alice"));
        assert!(NEXTCLOUD_LIKE.same_account("BOB", "bob"));
        assert!(MINIO_LIKE.same_account("x1", "X1"));
        assert!(!SENSITIVE.same_account("Alice", "alice"));
        assert!(SENSITIVE.same_account("Alice", "Alice"));
        assert!(!SYNOLOGY_LIKE.same_account("alice", "alice2"));
    }

    #[test]
    fn with_suffix_appends_and_cuts_at_max_len() {
        let m = &MINIO_LIKE;
        assert_eq!(m.with_suffix("alice", '-', 2).unwrap().as_str(), "alice-2");
        let full = "a".repeat(32);
        assert_eq!(
            m.with_suffix(&full, '-', 2).unwrap().as_str(),
            format!("{}-2", "a".repeat(30))
        );
        assert_eq!(
            m.with_suffix(&full, 'x', 100).unwrap().as_str(),
            format!("{}x100", "a".repeat(28))
        );
        // Cut by characters, never inside one; the separator is never cut.
        let wide = NamePolicy {
            allowed: |c| c.is_alphanumeric() || c == '.',
            max_len: 5,
            ..NEXTCLOUD_LIKE
        };
        assert_eq!(wide.with_suffix("ééé", '.', 12).unwrap().as_str(), "éé.12");
    }

    fn separator(policy: &NamePolicy, rule: &str, ids: IdAlphabet) -> Result<char, NameError> {
        policy.suffix_separator(&NameRule::parse(rule).unwrap(), ids)
    }

    #[test]
    fn the_separator_is_a_character_the_rule_cannot_write() {
        let digits = IdAlphabet::Digits;
        // A server that ignores case takes 'X' for 'x'.
        let alphanumeric = NamePolicy {
            allowed: |c| c.is_ascii_alphanumeric(),
            ..SYNOLOGY_LIKE
        };
        let sensitive_alphanumeric = NamePolicy {
            case: CaseRule::Sensitive,
            ..alphanumeric.clone()
        };
        let cases = [
            // The first allowed punctuation the rule does not write itself.
            (&SYNOLOGY_LIKE, "{client_id}-{service_id}", digits, '_'),
            (&NEXTCLOUD_LIKE, "c{client_id}-{service_id}_x", digits, '.'),
            (&MINIO_LIKE, "{client_id}{service_id}", digits, '-'),
            // MinIO's only punctuation is taken: a letter the rule never writes.
            (&MINIO_LIKE, "u{client_id}-{service_id}", digits, 'x'),
            (&MINIO_LIKE, "x{client_id}-{service_id}", digits, 'z'),
            // What normalisation writes counts: the space becomes MinIO's '-'.
            (&MINIO_LIKE, "u{client_id} {service_id}", digits, 'x'),
            // Dates write '-'.
            (&MINIO_LIKE, "u{date}", IdAlphabet::Text, 'x'),
            (&alphanumeric, "X{client_id}", digits, 'z'),
            (&SENSITIVE, "X{client_id}", digits, '-'),
            (&sensitive_alphanumeric, "X{client_id}", digits, 'x'),
        ];
        for (policy, rule, ids, expected) in cases {
            assert_eq!(
                separator(policy, rule, ids),
                Ok(expected),
                "{rule} on {policy:?}"
            );
        }
    }

    #[test]
    fn rules_that_can_write_every_candidate_have_no_separator() {
        assert_eq!(
            separator(
                &MINIO_LIKE,
                "u{client_id}-{random_letter_4}",
                IdAlphabet::Digits
            ),
            Err(NameError::NoSuffixSeparator {
                backend: "minio-like",
                rule: "u{client_id}-{random_letter_4}".into(),
                free_text: None
            })
        );
        assert_eq!(
            separator(
                &NEXTCLOUD_LIKE,
                "u{random_digit_2}{service_id}",
                IdAlphabet::Text
            ),
            Err(NameError::NoSuffixSeparator {
                backend: "nextcloud-like",
                rule: "u{random_digit_2}{service_id}".into(),
                free_text: Some(Segment::ServiceId)
            })
        );
        let e = separator(&MINIO_LIKE, "{random_letter_1}-", IdAlphabet::Digits).unwrap_err();
        assert_eq!(
            e.to_string(),
            "minio-like: the name rule \"{random_letter_1}-\" leaves no character to separate a \
             collision suffix (the rule itself can write every allowed candidate)"
        );
    }

    #[test]
    fn with_suffix_reports_what_cannot_work() {
        let letter_last = NamePolicy {
            last: EdgeRule::Letter,
            ..MINIO_LIKE
        };
        assert!(matches!(
            letter_last.with_suffix("alice", '-', 2),
            Err(NameError::BadLast { ch: '2', .. })
        ));
        let tiny = NamePolicy {
            min_len: 1,
            max_len: 2,
            first: EdgeRule::Any,
            ..MINIO_LIKE
        };
        assert_eq!(
            tiny.with_suffix("ab", '-', 10),
            Err(NameError::TooLong {
                backend: "minio-like",
                max: 2,
                len: 3
            })
        );
        // The whole base cut away: the separator is first now.
        assert!(matches!(
            NamePolicy {
                max_len: 3,
                ..MINIO_LIKE
            }
            .with_suffix("abc", '-', 12),
            Err(NameError::BadFirst { ch: '-', .. })
        ));
    }

    fn allowed_set() -> impl Strategy<Value = fn(char) -> bool> {
        prop_oneof![
            Just(
                (|c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                    as fn(char) -> bool
            ),
            Just((|c: char| c.is_ascii_alphanumeric() || " _.@-'".contains(c)) as fn(char) -> bool),
            Just((|c: char| c.is_alphanumeric() || c == '.') as fn(char) -> bool),
            Just((|c: char| c.is_ascii_alphabetic()) as fn(char) -> bool),
        ]
    }

    fn edge() -> impl Strategy<Value = EdgeRule> {
        prop_oneof![
            Just(EdgeRule::Any),
            Just(EdgeRule::Letter),
            Just(EdgeRule::Alphanumeric)
        ]
    }

    fn case() -> impl Strategy<Value = CaseRule> {
        prop_oneof![
            Just(CaseRule::Sensitive),
            Just(CaseRule::Insensitive),
            Just(CaseRule::Lower)
        ]
    }

    prop_compose! {
        pub(crate) fn any_policy()(
            allowed in allowed_set(),
            replacement in prop_oneof![Just(None), Just(Some('-')), Just(Some('_')), Just(Some('.'))],
            min_len in 1usize..4,
            extra in 0usize..40,
            case in case(),
            first in edge(),
            last in edge(),
        ) -> NamePolicy {
            NamePolicy {
                backend: "random",
                allowed,
                allowed_description: "random",
                replacement,
                min_len,
                max_len: min_len + extra,
                case,
                first,
                last,
                reserved: &["admin", "root"],
            }
        }
    }

    proptest! {
        #[test]
        fn normalized_names_always_pass_validate(policy in any_policy(), raw in "\\PC{0,80}") {
            if let Ok(name) = policy.normalize(&raw) {
                prop_assert!(policy.validate(name.as_str()).is_ok());
                // Normalising is idempotent.
                prop_assert_eq!(policy.normalize(name.as_str()).unwrap(), name);
            }
        }

        #[test]
        fn names_with_enough_usable_letters_always_normalize(
            policy in any_policy(),
            raw in "\\PC{0,60}",
        ) {
            // Three letters at both ends and room for them: normalisation must succeed.
            let raw = format!("xyz{raw}zyx");
            let policy = NamePolicy { max_len: policy.max_len.max(4), ..policy };
            let name = policy.normalize(&raw).unwrap();
            prop_assert!(name.as_str().chars().count() <= policy.max_len);
            if policy.case == CaseRule::Lower {
                prop_assert!(!name.as_str().chars().any(char::is_uppercase));
            }
        }

        #[test]
        fn suffixed_names_fit_max_len(base in "[a-z]{3,40}", suffix in 2u64..1_000_000) {
            let name = MINIO_LIKE.with_suffix(&base, '-', suffix).unwrap();
            prop_assert!(name.as_str().len() <= 32);
            let tail = format!("-{suffix}");
            prop_assert!(name.as_str().ends_with(&tail));
        }
    }
}
