//! Generating raw names from a parsed [`NameRule`]: the randomness source and the
//! clock are arguments, so that tests can fix both.

use chrono::{DateTime, Datelike, Timelike, Utc};

use super::{NameContext, NameRule, Segment};

/// Generates raw names from a [`NameRule`]. Implemented for [`NameRule`] only; the
/// rule itself (parsing, checking) lives in provision-rules, which has neither
/// randomness nor a clock.
///
/// ```
/// use chrono::TimeZone;
/// use provision_core::rules::{GenerateName, NameContext, NameRule};
/// use rand::SeedableRng;
///
/// let rule: NameRule = "c{client_id}-{date}".parse().unwrap();
/// let ctx = NameContext::new("42", "7");
/// let now = chrono::Utc.with_ymd_and_hms(2024, 3, 9, 8, 5, 1).unwrap();
/// let mut rng = rand::rngs::StdRng::seed_from_u64(1);
/// assert_eq!(rule.generate(&ctx, &mut rng, now), "c42-2024-03-09");
/// ```
pub trait GenerateName: sealed::Sealed {
    /// Generates a raw name. It still has to be fitted to a backend with
    /// [`NamePolicy::normalize`](super::NamePolicy::normalize).
    fn generate<R: rand::Rng + ?Sized>(
        &self,
        ctx: &NameContext,
        rng: &mut R,
        now: DateTime<Utc>,
    ) -> String;
}

mod sealed {
    /// Keeps [`GenerateName`](super::GenerateName) to the rule type.
    pub trait Sealed {}
    impl Sealed for super::NameRule {}
}

impl GenerateName for NameRule {
    fn generate<R: rand::Rng + ?Sized>(
        &self,
        ctx: &NameContext,
        rng: &mut R,
        now: DateTime<Utc>,
    ) -> String {
        let mut out = String::new();
        for segment in self.segments() {
            match segment {
                Segment::Literal(text) => out.push_str(text),
                Segment::ClientId => out.push_str(&ctx.client_id),
                Segment::ServiceId => out.push_str(&ctx.service_id),
                Segment::RandomDigits(n) => {
                    out.extend((0..*n).map(|_| char::from(b'0' + rng.random_range(0..10u8))));
                }
                Segment::RandomLetters(n) => {
                    out.extend((0..*n).map(|_| char::from(b'a' + rng.random_range(0..26u8))));
                }
                Segment::UnixTime => out.push_str(&now.timestamp().to_string()),
                Segment::Year => out.push_str(&format!("{:04}", now.year())),
                Segment::Month => out.push_str(&format!("{:02}", now.month())),
                Segment::Day => out.push_str(&format!("{:02}", now.day())),
                Segment::Hour => out.push_str(&format!("{:02}", now.hour())),
                Segment::Minute => out.push_str(&format!("{:02}", now.minute())),
                Segment::Second => out.push_str(&format!("{:02}", now.second())),
                Segment::Date => out.push_str(&format!(
                    "{:04}-{:02}-{:02}",
                    now.year(),
                    now.month(),
                    now.day()
                )),
                Segment::Time => out.push_str(&format!(
                    "{:02}-{:02}-{:02}",
                    now.hour(),
                    now.minute(),
                    now.second()
                )),
                // A macro newer than this generator stays visible as written, and the
                // backend's name policy then refuses the name.
                other => out.push_str(&other.to_string()),
            }
        }
        out
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;
    use rand::rngs::StdRng;
    use rand::SeedableRng;

    fn instant() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 3, 9, 8, 5, 1).unwrap()
    }

    fn generate(rule: &str, seed: u64) -> String {
        let ctx = NameContext::new("c17", "s230");
        let mut rng = StdRng::seed_from_u64(seed);
        NameRule::parse(rule)
            .unwrap()
            .generate(&ctx, &mut rng, instant())
    }

    #[test]
    fn every_fixed_macro_expands() {
        assert_eq!(generate("{client_id}", 0), "c17");
        assert_eq!(generate("{service_id}", 0), "s230");
        assert_eq!(generate("{unixtime}", 0), "1709971501");
        assert_eq!(generate("{year}", 0), "2024");
        assert_eq!(generate("{month}", 0), "03");
        assert_eq!(generate("{day}", 0), "09");
        assert_eq!(generate("{hour}", 0), "08");
        assert_eq!(generate("{minute}", 0), "05");
        assert_eq!(generate("{second}", 0), "01");
        assert_eq!(generate("{date}", 0), "2024-03-09");
        assert_eq!(generate("{time}", 0), "08-05-01");
    }

    #[test]
    fn literal_text_between_macros_is_kept() {
        assert_eq!(
            generate("user {client_id}/{service_id}.x", 0),
            "user c17/s230.x"
        );
        assert_eq!(generate("plain", 0), "plain");
    }

    #[test]
    fn random_macros_draw_the_asked_count_from_their_alphabet() {
        let digits = generate("{random_digit_12}", 3);
        assert_eq!(digits.len(), 12);
        assert!(digits.bytes().all(|b| b.is_ascii_digit()));
        let letters = generate("{random_letter_64}", 3);
        assert_eq!(letters.len(), 64);
        assert!(letters.bytes().all(|b| b.is_ascii_lowercase()));
        // Same seed, same name: tests can rely on it.
        assert_eq!(
            generate("{random_letter_8}", 9),
            generate("{random_letter_8}", 9)
        );
        assert_ne!(
            generate("{random_letter_8}", 9),
            generate("{random_letter_8}", 10)
        );
    }

    pub(crate) fn rule_text() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            "[a-z0-9 ._-]{1,5}",
            Just("{client_id}".to_string()),
            Just("{service_id}".to_string()),
            Just("{unixtime}".to_string()),
            Just("{date}".to_string()),
            Just("{time}".to_string()),
            Just("{year}{month}{day}{hour}{minute}{second}".to_string()),
            (1u8..=64).prop_map(|n| format!("{{random_digit_{n}}}")),
            (1u8..=64).prop_map(|n| format!("{{random_letter_{n}}}")),
        ];
        prop::collection::vec(piece, 1..6).prop_map(|v| v.concat())
    }

    proptest! {
        #[test]
        fn generated_names_hold_only_the_rules_alphabet(
            s in rule_text(),
            client_id in "[0-9]{0,8}",
            service_id in "[0-9]{0,8}",
            seed in any::<u64>(),
            unix in -100_000_000_000i64..100_000_000_000,
        ) {
            // The suffix separator is chosen from outside this alphabet: a character
            // the generator writes beyond it could make a name look suffixed.
            let rule = NameRule::parse(&s).unwrap();
            let crate::rules::RuleAlphabet::Bounded(alphabet) = rule.alphabet(crate::rules::IdAlphabet::Digits) else {
                return Err(TestCaseError::fail("digit ids bound every placeholder"));
            };
            let now = DateTime::from_timestamp(unix, 0).unwrap();
            let raw = rule.generate(&NameContext::new(client_id, service_id), &mut StdRng::seed_from_u64(seed), now);
            prop_assert!(raw.chars().all(|c| alphabet.contains(&c)), "{} from {}", raw, s);
        }

        #[test]
        fn valid_rules_round_trip_through_their_canonical_text(s in rule_text()) {
            let rule = NameRule::parse(&s).unwrap();
            prop_assert_eq!(rule.as_str(), s.as_str());
            prop_assert_eq!(rule.canonical(), s.clone());
            prop_assert_eq!(NameRule::parse(&rule.canonical()).unwrap(), rule);
        }
    }
}
