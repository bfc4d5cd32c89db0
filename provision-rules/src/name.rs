//! The name-rule language: `{client_id}-{random_digit_4}` and friends.
//!
//! A rule is literal text with macros in braces. It is parsed once into a [`NameRule`];
//! generating names from it needs a randomness source and a clock, so that part lives
//! in provision-core (`provision_core::rules::GenerateName`). Braces cannot appear as
//! literal text.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

/// The longest run a `{random_digit_N}` or `{random_letter_N}` macro may ask for.
pub const MAX_RANDOM_LENGTH: u8 = 64;

/// The macros a name rule understands, as they are written, for error messages.
const KNOWN_MACROS: &str = "{client_id}, {service_id}, {random_digit_N}, {random_letter_N}, \
     {unixtime}, {year}, {month}, {day}, {hour}, {minute}, {second}, {date}, {time}";

/// Why a name rule does not parse. Every position is a 0-based byte offset in the rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RuleError {
    /// An unknown macro.
    #[error("unknown macro {{{name}}} at position {position} (known: {KNOWN_MACROS})")]
    UnknownMacro {
        /// The macro's name.
        name: String,
        /// Its byte offset in the rule.
        position: usize,
    },
    /// The rule is empty.
    #[error("the name rule is empty")]
    Empty,
    /// A `{` that is not closed by a `}` before the end or before the next `{`.
    #[error("'{{' at position {position} is not closed by '}}'")]
    UnclosedBrace {
        /// The byte offset of the `{`.
        position: usize,
    },
    /// A `}` that closes nothing.
    #[error("'}}' at position {position} closes no '{{'")]
    UnexpectedCloseBrace {
        /// The byte offset of the `}`.
        position: usize,
    },
    /// The N of `{random_digit_N}` or `{random_letter_N}` is not a number from 1 to 64.
    #[error(
        "{{{name}}} at position {position}: the length must be a whole number from 1 to {MAX_RANDOM_LENGTH}"
    )]
    BadRandomLength {
        /// The macro as written, without braces.
        name: String,
        /// The byte offset of its `{`.
        position: usize,
    },
}

/// One piece of a parsed [`NameRule`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Segment {
    /// Text kept as written.
    Literal(Cow<'static, str>),
    /// `{client_id}`: the billing system's client id.
    ClientId,
    /// `{service_id}`: the billing system's service id.
    ServiceId,
    /// `{random_digit_N}`: N random digits 0-9.
    RandomDigits(u8),
    /// `{random_letter_N}`: N random lower-case letters a-z.
    RandomLetters(u8),
    /// `{unixtime}`: seconds since 1970-01-01 UTC.
    UnixTime,
    /// `{year}`: four digits.
    Year,
    /// `{month}`: two digits.
    Month,
    /// `{day}`: two digits.
    Day,
    /// `{hour}`: two digits, 24-hour clock.
    Hour,
    /// `{minute}`: two digits.
    Minute,
    /// `{second}`: two digits.
    Second,
    /// `{date}`: `YYYY-MM-DD`.
    Date,
    /// `{time}`: `HH-MM-SS`.
    Time,
}

impl Segment {
    /// Whether this segment draws random characters.
    pub fn is_random(&self) -> bool {
        matches!(self, Segment::RandomDigits(_) | Segment::RandomLetters(_))
    }

    /// The characters this segment can write into a raw name when the ids hold only
    /// characters of `ids`; None when it can write any character.
    ///
    /// ```
    /// use provision_rules::name::{IdAlphabet, Segment};
    ///
    /// let date = Segment::Date.alphabet(IdAlphabet::Digits).unwrap();
    /// assert!(date.contains(&'-') && date.contains(&'7') && !date.contains(&'a'));
    /// assert_eq!(Segment::ClientId.alphabet(IdAlphabet::Text), None);
    /// ```
    pub fn alphabet(&self, ids: IdAlphabet) -> Option<BTreeSet<char>> {
        let digits = '0'..='9';
        Some(match self {
            Segment::Literal(text) => text.chars().collect(),
            Segment::ClientId | Segment::ServiceId => match ids {
                IdAlphabet::Digits => digits.collect(),
                IdAlphabet::Text => return None,
            },
            Segment::RandomDigits(_)
            | Segment::Month
            | Segment::Day
            | Segment::Hour
            | Segment::Minute
            | Segment::Second => digits.collect(),
            Segment::RandomLetters(_) => ('a'..='z').collect(),
            // Dates and times hold '-'; a year or a Unix time before year 0 or 1970
            // carries a minus sign.
            Segment::Date | Segment::Time | Segment::Year | Segment::UnixTime => {
                digits.chain(['-']).collect()
            }
        })
    }

    fn from_macro(name: &str, position: usize) -> Result<Segment, RuleError> {
        let fixed = match name {
            "client_id" => Segment::ClientId,
            "service_id" => Segment::ServiceId,
            "unixtime" => Segment::UnixTime,
            "year" => Segment::Year,
            "month" => Segment::Month,
            "day" => Segment::Day,
            "hour" => Segment::Hour,
            "minute" => Segment::Minute,
            "second" => Segment::Second,
            "date" => Segment::Date,
            "time" => Segment::Time,
            _ => {
                let bad_length = || RuleError::BadRandomLength {
                    name: name.to_string(),
                    position,
                };
                if let Some(count) = name.strip_prefix("random_digit_") {
                    return parse_random_length(count)
                        .map(Segment::RandomDigits)
                        .ok_or_else(bad_length);
                }
                if let Some(count) = name.strip_prefix("random_letter_") {
                    return parse_random_length(count)
                        .map(Segment::RandomLetters)
                        .ok_or_else(bad_length);
                }
                return Err(RuleError::UnknownMacro {
                    name: name.to_string(),
                    position,
                });
            }
        };
        Ok(fixed)
    }
}

impl fmt::Display for Segment {
    /// The segment as a rule writes it, in canonical form: literal text as it is, a
    /// macro in braces (`{client_id}`, `{random_digit_4}`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self {
            Segment::Literal(text) => return f.write_str(text),
            Segment::RandomDigits(n) => return write!(f, "{{random_digit_{n}}}"),
            Segment::RandomLetters(n) => return write!(f, "{{random_letter_{n}}}"),
            Segment::ClientId => "client_id",
            Segment::ServiceId => "service_id",
            Segment::UnixTime => "unixtime",
            Segment::Year => "year",
            Segment::Month => "month",
            Segment::Day => "day",
            Segment::Hour => "hour",
            Segment::Minute => "minute",
            Segment::Second => "second",
            Segment::Date => "date",
            Segment::Time => "time",
        };
        write!(f, "{{{name}}}")
    }
}

/// Digits only (no sign, which `str::parse` would take), 1..=MAX_RANDOM_LENGTH.
fn parse_random_length(count: &str) -> Option<u8> {
    if count.is_empty() || !count.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // Leading zeros are harmless; an over-long digit string overflows and is refused.
    let n: u8 = count.parse().ok()?;
    (1..=MAX_RANDOM_LENGTH).contains(&n).then_some(n)
}

/// What a billing system's client and service ids may hold.
///
/// Collision suffixes are kept apart from the names a rule produces by itself with a
/// separator no id can hold, so which separators are left depends on it (see
/// [`NameRule::alphabet`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum IdAlphabet {
    /// ASCII digits only, as the integer ids of most billing systems. The default.
    #[default]
    Digits,
    /// Any text: an id may hold any character.
    Text,
}

impl IdAlphabet {
    /// Whether `id` holds only characters of this alphabet (an empty id always does).
    ///
    /// ```
    /// use provision_rules::name::IdAlphabet;
    ///
    /// assert!(IdAlphabet::Digits.admits("0042"));
    /// assert!(!IdAlphabet::Digits.admits("42a"));
    /// assert!(IdAlphabet::Text.admits("Jörg Müller"));
    /// ```
    pub fn admits(self, id: &str) -> bool {
        match self {
            IdAlphabet::Digits => id.bytes().all(|b| b.is_ascii_digit()),
            IdAlphabet::Text => true,
        }
    }
}

impl fmt::Display for IdAlphabet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            IdAlphabet::Digits => "ASCII digits",
            IdAlphabet::Text => "any text",
        })
    }
}

/// The characters a rule can write into a raw name, before a backend's normalisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleAlphabet {
    /// Every raw name of the rule is made of these characters.
    Bounded(BTreeSet<char>),
    /// This placeholder can write any character (an id under [`IdAlphabet::Text`]).
    Unbounded(Segment),
}

/// The values a name rule's `{client_id}` and `{service_id}` stand for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct NameContext {
    /// The billing system's client id.
    pub client_id: String,
    /// The billing system's service (product instance) id.
    pub service_id: String,
}

impl NameContext {
    /// A context for one client's service.
    pub fn new(client_id: impl Into<String>, service_id: impl Into<String>) -> Self {
        NameContext {
            client_id: client_id.into(),
            service_id: service_id.into(),
        }
    }
}

/// A parsed name rule such as `{client_id}-{random_digit_4}`.
///
/// ```
/// use provision_rules::name::{NameRule, Segment};
///
/// let rule: NameRule = "c{client_id}-{date}".parse().unwrap();
/// assert_eq!(
///     rule.segments(),
///     &[Segment::Literal("c".into()), Segment::ClientId, Segment::Literal("-".into()), Segment::Date]
/// );
/// assert!(!rule.has_random_part());
/// assert_eq!(NameRule::parse("{random_digit_04}").unwrap().canonical(), "{random_digit_4}");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct NameRule {
    source: Cow<'static, str>,
    segments: Cow<'static, [Segment]>,
}

impl NameRule {
    /// Parses a rule; errors name the byte position of the fault.
    pub fn parse(source: &str) -> Result<NameRule, RuleError> {
        if source.is_empty() {
            return Err(RuleError::Empty);
        }
        let mut segments = Vec::new();
        let mut literal = String::new();
        let mut rest_start = 0;
        while let Some(offset) = source[rest_start..].find(['{', '}']) {
            let brace = rest_start + offset;
            literal.push_str(&source[rest_start..brace]);
            if source.as_bytes()[brace] == b'}' {
                return Err(RuleError::UnexpectedCloseBrace { position: brace });
            }
            let inner_start = brace + 1;
            let close = match source[inner_start..].find(['{', '}']) {
                Some(o) if source.as_bytes()[inner_start + o] == b'}' => inner_start + o,
                _ => return Err(RuleError::UnclosedBrace { position: brace }),
            };
            let segment = Segment::from_macro(&source[inner_start..close], brace)?;
            if !literal.is_empty() {
                segments.push(Segment::Literal(Cow::Owned(std::mem::take(&mut literal))));
            }
            segments.push(segment);
            rest_start = close + 1;
        }
        literal.push_str(&source[rest_start..]);
        if !literal.is_empty() {
            segments.push(Segment::Literal(Cow::Owned(literal)));
        }
        Ok(NameRule {
            source: Cow::Owned(source.to_string()),
            segments: Cow::Owned(segments),
        })
    }

    /// Builds a rule from a source and its segments, both checked by `name_rule!` at
    /// compile time with [`NameRule::parse`]. Not for direct use: nothing checks here
    /// that the two agree.
    #[doc(hidden)]
    pub const fn __from_checked_parts(
        source: &'static str,
        segments: &'static [Segment],
    ) -> NameRule {
        NameRule {
            source: Cow::Borrowed(source),
            segments: Cow::Borrowed(segments),
        }
    }

    /// The rule as written.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// The parsed pieces, in order.
    pub fn segments(&self) -> &[Segment] {
        &self.segments
    }

    /// Whether generating twice may give two different names at the same instant,
    /// i.e. whether regenerating can resolve a collision.
    pub fn has_random_part(&self) -> bool {
        self.segments.iter().any(Segment::is_random)
    }

    /// The characters this rule can write into a raw name when the ids hold only
    /// characters of `ids`: literal text and each placeholder's alphabet.
    ///
    /// ```
    /// use provision_rules::name::{IdAlphabet, NameRule, RuleAlphabet, Segment};
    ///
    /// let rule = NameRule::parse("c{client_id}_{service_id}").unwrap();
    /// let RuleAlphabet::Bounded(chars) = rule.alphabet(IdAlphabet::Digits) else { panic!() };
    /// assert_eq!(chars.into_iter().collect::<String>(), "0123456789_c");
    /// assert_eq!(rule.alphabet(IdAlphabet::Text), RuleAlphabet::Unbounded(Segment::ClientId));
    /// ```
    pub fn alphabet(&self, ids: IdAlphabet) -> RuleAlphabet {
        let mut chars = BTreeSet::new();
        for segment in self.segments.iter() {
            match segment.alphabet(ids) {
                Some(more) => chars.extend(more),
                None => return RuleAlphabet::Unbounded(segment.clone()),
            }
        }
        RuleAlphabet::Bounded(chars)
    }

    /// The rule written back from its segments, in canonical form (e.g. without the
    /// leading zeros of `{random_digit_04}`).
    pub fn canonical(&self) -> String {
        self.segments.iter().map(Segment::to_string).collect()
    }
}

impl fmt::Display for NameRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

impl FromStr for NameRule {
    type Err = RuleError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        NameRule::parse(s)
    }
}

impl serde::Serialize for NameRule {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.source)
    }
}

impl<'de> serde::Deserialize<'de> for NameRule {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        NameRule::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn knows_which_rules_are_random() {
        assert!(NameRule::parse("a{random_digit_1}")
            .unwrap()
            .has_random_part());
        assert!(NameRule::parse("{random_letter_3}")
            .unwrap()
            .has_random_part());
        assert!(!NameRule::parse("{client_id}{unixtime}")
            .unwrap()
            .has_random_part());
    }

    #[test]
    fn parse_errors_name_the_byte_position() {
        assert_eq!(
            NameRule::parse("ab{nope}"),
            Err(RuleError::UnknownMacro {
                name: "nope".into(),
                position: 2
            })
        );
        assert_eq!(
            NameRule::parse("é{}"),
            Err(RuleError::UnknownMacro {
                name: String::new(),
                position: 2
            })
        );
        assert_eq!(
            NameRule::parse("{client_id}-{year"),
            Err(RuleError::UnclosedBrace { position: 12 })
        );
        assert_eq!(
            NameRule::parse("x{client_id{year}}"),
            Err(RuleError::UnclosedBrace { position: 1 })
        );
        assert_eq!(
            NameRule::parse("{year}}"),
            Err(RuleError::UnexpectedCloseBrace { position: 6 })
        );
        assert_eq!(
            NameRule::parse("a}b{year}"),
            Err(RuleError::UnexpectedCloseBrace { position: 1 })
        );
        assert_eq!(NameRule::parse(""), Err(RuleError::Empty));
    }

    #[test]
    fn random_lengths_must_be_1_to_64() {
        for bad in [
            "0",
            "65",
            "256",
            "99999999999999999999",
            "",
            "+5",
            "-1",
            "x",
            "1 ",
        ] {
            let rule = format!("u{{random_digit_{bad}}}");
            assert_eq!(
                NameRule::parse(&rule),
                Err(RuleError::BadRandomLength {
                    name: format!("random_digit_{bad}"),
                    position: 1
                }),
                "{rule}"
            );
        }
        assert!(matches!(
            NameRule::parse("{random_letter_0}"),
            Err(RuleError::BadRandomLength { position: 0, .. })
        ));
        assert_eq!(
            NameRule::parse("{random_digit_064}").unwrap().segments(),
            &[Segment::RandomDigits(64)]
        );
    }

    #[test]
    fn macro_names_are_case_sensitive() {
        assert!(matches!(
            NameRule::parse("{Client_ID}"),
            Err(RuleError::UnknownMacro { .. })
        ));
    }

    #[test]
    fn errors_render_a_readable_message() {
        let e = NameRule::parse("a{random_digit_0}").unwrap_err();
        assert_eq!(
            e.to_string(),
            "{random_digit_0} at position 1: the length must be a whole number from 1 to 64"
        );
        let e = NameRule::parse("{x}").unwrap_err().to_string();
        assert!(e.starts_with("unknown macro {x} at position 0"), "{e}");
    }

    #[test]
    fn serde_goes_through_the_parser() {
        let rule: NameRule = serde_json::from_str("\"{client_id}-x\"").unwrap();
        assert_eq!(serde_json::to_string(&rule).unwrap(), "\"{client_id}-x\"");
        assert!(serde_json::from_str::<NameRule>("\"{client}\"").is_err());
    }

    #[test]
    fn alphabets_follow_the_placeholders_and_the_ids() {
        let bounded = |rule: &str, ids| match NameRule::parse(rule).unwrap().alphabet(ids) {
            RuleAlphabet::Bounded(chars) => chars.into_iter().collect::<String>(),
            RuleAlphabet::Unbounded(segment) => panic!("{rule}: unbounded by {segment}"),
        };
        assert_eq!(
            bounded("{client_id}-{service_id}", IdAlphabet::Digits),
            "-0123456789"
        );
        assert_eq!(bounded("u{random_letter_2}", IdAlphabet::Text).len(), 26);
        assert_eq!(bounded("x{month}{day}", IdAlphabet::Text), "0123456789x");
        assert_eq!(bounded("{time}", IdAlphabet::Text), "-0123456789");
        assert_eq!(
            NameRule::parse("a{service_id}{client_id}")
                .unwrap()
                .alphabet(IdAlphabet::Text),
            RuleAlphabet::Unbounded(Segment::ServiceId)
        );
        assert!(IdAlphabet::Digits.admits(""));
        assert!(
            !IdAlphabet::Digits.admits("١٢"),
            "Arabic-Indic digits are not ASCII"
        );
    }

    fn any_segment() -> impl Strategy<Value = Segment> {
        prop_oneof![
            "[a-z0-9 ._-]{1,5}".prop_map(|text| Segment::Literal(text.into())),
            Just(Segment::ClientId),
            Just(Segment::ServiceId),
            Just(Segment::UnixTime),
            Just(Segment::Year),
            Just(Segment::Month),
            Just(Segment::Day),
            Just(Segment::Hour),
            Just(Segment::Minute),
            Just(Segment::Second),
            Just(Segment::Date),
            Just(Segment::Time),
            (1..=MAX_RANDOM_LENGTH).prop_map(Segment::RandomDigits),
            (1..=MAX_RANDOM_LENGTH).prop_map(Segment::RandomLetters),
        ]
    }

    proptest! {
        #[test]
        fn parse_never_panics(s in "\\PC{0,40}") {
            let _ = NameRule::parse(&s);
        }

        #[test]
        fn segments_written_out_parse_back_to_the_same_text(segments in prop::collection::vec(any_segment(), 1..6)) {
            let text: String = segments.iter().map(Segment::to_string).collect();
            let rule = NameRule::parse(&text).unwrap();
            prop_assert_eq!(rule.as_str(), text.as_str());
            prop_assert_eq!(rule.canonical(), text.clone());
            prop_assert_eq!(NameRule::parse(&rule.canonical()).unwrap(), rule);
        }
    }
}
