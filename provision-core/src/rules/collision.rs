//! Finding a user name that is free on the server.

use std::collections::HashSet;
use std::future::Future;

use chrono::{DateTime, Utc};

use super::{GenerateName, NameContext, NameError, NamePolicy, NameRule};
use crate::error::Error;
use crate::username::Username;

/// How many more candidates [`resolve_unique`] may try once the first is taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CollisionLimits {
    /// Fresh names to generate when the rule has a random part (else unused).
    pub random_attempts: u32,
    /// Numeric suffixes (2, 3, ...) to try on the first name.
    pub suffix_attempts: u32,
}

impl Default for CollisionLimits {
    /// 10 fresh random names, then suffixes 2 to 101.
    fn default() -> Self {
        CollisionLimits {
            random_attempts: 10,
            suffix_attempts: 100,
        }
    }
}

/// Generates a name from `rule`, fits it to `policy` and asks `exists` (`Ok(true)` =
/// taken) until a free one is found.
///
/// The order: the first name; if taken and the rule has a random part, up to
/// `limits.random_attempts` fresh names; then the first name with the suffixes 2, 3, ...
/// (see [`NamePolicy::with_suffix`]), up to `limits.suffix_attempts` of them. No
/// candidate is checked twice (names the policy treats as one account count as one).
///
/// Errors: an error from `exists` is returned as it is; a name that cannot be fitted to
/// the policy gives the [`NameError`] (as [`Error::Input`]); when every candidate is
/// taken, [`Error::NamesExhausted`].
///
/// ```
/// # futures::executor::block_on(async {
/// use provision_core::rules::{
///     resolve_unique, CaseRule, CollisionLimits, EdgeRule, NameContext, NamePolicy, NameRule,
/// };
/// use rand::SeedableRng;
///
/// let policy = NamePolicy {
///     backend: "example",
///     allowed: |c| c.is_ascii_alphanumeric(),
///     allowed_description: "a-z, A-Z and 0-9",
///     replacement: None,
///     min_len: 1,
///     max_len: 32,
///     case: CaseRule::Insensitive,
///     first: EdgeRule::Letter,
///     last: EdgeRule::Any,
///     reserved: &[],
/// };
/// let rule = NameRule::parse("c{client_id}").unwrap();
/// let taken = ["c42", "C422"];
/// let name = resolve_unique(
///     &rule,
///     &NameContext::new("42", "1"),
///     &policy,
///     // `R: Send` keeps the future `Send`; the thread-local `rand::rng()` is not.
///     &mut rand::rngs::StdRng::from_os_rng(),
///     chrono::Utc::now(),
///     CollisionLimits::default(),
///     |candidate| {
///         let is_taken = taken.iter().any(|t| policy.same_account(t, candidate.as_str()));
///         async move { Ok(is_taken) }
///     },
/// )
/// .await
/// .unwrap();
/// assert_eq!(name.as_str(), "c423");
/// # });
/// ```
pub async fn resolve_unique<R, F, Fut>(
    rule: &NameRule,
    ctx: &NameContext,
    policy: &NamePolicy,
    rng: &mut R,
    now: DateTime<Utc>,
    limits: CollisionLimits,
    mut exists: F,
) -> Result<Username, Error>
where
    R: rand::Rng + Send + ?Sized,
    F: FnMut(Username) -> Fut,
    Fut: Future<Output = Result<bool, Error>>,
{
    let mut checker = Checker {
        policy,
        seen: HashSet::new(),
        checked: 0,
        last_tried: None,
    };

    // A random rule may produce a name the policy refuses (e.g. a reserved one) by
    // chance, so its generation failures use up attempts instead of ending the search.
    let generations = if rule.has_random_part() {
        1 + u64::from(limits.random_attempts)
    } else {
        1
    };
    let mut base = None;
    let mut generate_error = None;
    for _ in 0..generations {
        let candidate = match policy.normalize(&rule.generate(ctx, rng, now)) {
            Ok(candidate) => candidate,
            Err(e) => {
                generate_error = Some(e);
                continue;
            }
        };
        let base = base.get_or_insert_with(|| candidate.clone());
        if checker.is_free(candidate.clone(), &mut exists).await? == Some(true) {
            return Ok(candidate);
        }
        tracing::debug!(candidate = %candidate, base = %base, "user name taken");
    }
    let Some(base) = base else {
        return Err(generate_error.map_or_else(|| checker.exhausted(), Error::from));
    };

    let mut suffix_error = None;
    let mut suffixes_checked = 0u32;
    for suffix in 2..2 + u64::from(limits.suffix_attempts) {
        let candidate = match policy.with_suffix(base.as_str(), suffix) {
            Ok(candidate) => candidate,
            // One suffix may happen to form a reserved name; the next will not.
            Err(e @ NameError::Reserved { .. }) => {
                suffix_error.get_or_insert(e);
                continue;
            }
            // Anything else (too long, a bad last character) holds for every suffix.
            Err(e) => {
                suffix_error.get_or_insert(e);
                break;
            }
        };
        match checker.is_free(candidate.clone(), &mut exists).await? {
            Some(true) => return Ok(candidate),
            Some(false) => suffixes_checked += 1,
            None => {}
        }
    }
    match suffix_error {
        // No suffixed name could even be formed: that is the reason, not "all taken".
        Some(e) if suffixes_checked == 0 => Err(e.into()),
        _ => Err(checker.exhausted()),
    }
}

/// Asks the server about each candidate once and remembers what it asked.
struct Checker<'p> {
    policy: &'p NamePolicy,
    /// Account keys already asked about.
    seen: HashSet<String>,
    checked: u32,
    last_tried: Option<Username>,
}

impl Checker<'_> {
    /// `Some(free?)`, or None when this candidate was asked about already.
    async fn is_free<F, Fut>(
        &mut self,
        candidate: Username,
        exists: &mut F,
    ) -> Result<Option<bool>, Error>
    where
        F: FnMut(Username) -> Fut,
        Fut: Future<Output = Result<bool, Error>>,
    {
        if !self
            .seen
            .insert(self.policy.account_key(candidate.as_str()))
        {
            return Ok(None);
        }
        self.checked = self.checked.saturating_add(1);
        self.last_tried = Some(candidate.clone());
        Ok(Some(!exists(candidate).await?))
    }

    fn exhausted(&self) -> Error {
        Error::NamesExhausted {
            attempts: self.checked,
            last_tried: self
                .last_tried
                .as_ref()
                .map(|name| name.as_str().to_string())
                .unwrap_or_default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{ErrorKind, InputError, ServerError};
    use crate::rules::policy::tests::{any_policy, MINIO_LIKE, SYNOLOGY_LIKE};
    use crate::rules::{EdgeRule, NamePolicy};
    use chrono::TimeZone;
    use futures::executor::block_on;
    use proptest::prelude::*;
    use rand::rngs::StdRng;
    use rand::SeedableRng;

    fn instant() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 3, 9, 8, 5, 1).unwrap()
    }

    /// Resolves against a fixed set of taken names; returns the result and every name
    /// asked about, in order.
    fn resolve(
        rule: &str,
        client_id: &str,
        policy: &NamePolicy,
        limits: CollisionLimits,
        taken: &dyn Fn(&str) -> bool,
    ) -> (Result<Username, Error>, Vec<String>) {
        let rule = NameRule::parse(rule).unwrap();
        let ctx = NameContext::new(client_id, "9");
        let mut rng = StdRng::seed_from_u64(5);
        let mut asked = Vec::new();
        let result = block_on(resolve_unique(
            &rule,
            &ctx,
            policy,
            &mut rng,
            instant(),
            limits,
            |candidate: Username| {
                let is_taken = taken(candidate.as_str());
                asked.push(candidate.into_string());
                async move { Ok(is_taken) }
            },
        ));
        (result, asked)
    }

    #[test]
    fn a_free_first_name_is_taken_as_is() {
        let (result, asked) = resolve(
            "User {client_id}",
            "Jörg",
            &MINIO_LIKE,
            CollisionLimits::default(),
            &|_| false,
        );
        assert_eq!(result.unwrap().as_str(), "user-jorg");
        assert_eq!(asked, ["user-jorg"]);
    }

    #[test]
    fn fixed_rules_go_straight_to_suffixes() {
        let (result, asked) = resolve(
            "{client_id}",
            "alice",
            &MINIO_LIKE,
            CollisionLimits::default(),
            &|n| n == "alice" || n == "alice2",
        );
        assert_eq!(result.unwrap().as_str(), "alice3");
        assert_eq!(asked, ["alice", "alice2", "alice3"]);
    }

    #[test]
    fn random_rules_regenerate_before_suffixing() {
        // Ten possible names, all taken: regeneration cannot succeed, suffixes must.
        let limits = CollisionLimits {
            random_attempts: 30,
            suffix_attempts: 5,
        };
        let (result, asked) = resolve("us{random_digit_1}", "x", &MINIO_LIKE, limits, &|n| {
            n.len() == 3
        });
        let first = asked[0].clone();
        assert_eq!(result.unwrap().into_string(), format!("{first}2"));
        let (random, suffixed) = asked.split_at(asked.len() - 1);
        assert!(random.len() > 1 && random.len() <= 10, "{asked:?}");
        assert!(random.iter().all(|n| n.len() == 3));
        assert_eq!(suffixed, [format!("{first}2")]);
        assert_distinct(&asked);
    }

    #[test]
    fn a_fresh_random_name_that_is_free_wins() {
        let taken_first = std::cell::RefCell::new(None::<String>);
        let (result, asked) = resolve(
            "u{random_letter_8}",
            "x",
            &MINIO_LIKE,
            CollisionLimits::default(),
            &|n| {
                *taken_first
                    .borrow_mut()
                    .get_or_insert_with(|| n.to_string())
                    == n
            },
        );
        assert_eq!(asked.len(), 2);
        assert_eq!(result.unwrap().as_str(), asked[1]);
        assert_ne!(asked[0], asked[1]);
    }

    #[test]
    fn exhaustion_reports_the_attempts_and_the_last_name() {
        let limits = CollisionLimits {
            random_attempts: 3,
            suffix_attempts: 5,
        };
        let (result, asked) = resolve("{client_id}", "alice", &MINIO_LIKE, limits, &|_| true);
        assert_eq!(
            asked,
            ["alice", "alice2", "alice3", "alice4", "alice5", "alice6"]
        );
        match result {
            Err(Error::NamesExhausted {
                attempts,
                last_tried,
            }) => {
                assert_eq!(attempts, 6);
                assert_eq!(last_tried, "alice6");
            }
            other => panic!("expected NamesExhausted, got {other:?}"),
        }

        let (result, asked) = resolve("u{random_letter_6}", "x", &MINIO_LIKE, limits, &|_| true);
        assert_eq!(asked.len(), 1 + 3 + 5);
        assert_distinct(&asked);
        assert!(matches!(
            result,
            Err(Error::NamesExhausted { attempts: 9, .. })
        ));
    }

    #[test]
    fn names_the_server_treats_as_one_are_checked_once() {
        // "Bob" and "bob" are one account on a case-insensitive server.
        let limits = CollisionLimits {
            random_attempts: 20,
            suffix_attempts: 1,
        };
        let (result, asked) = resolve(
            "{client_id}{random_letter_1}",
            "B",
            &SYNOLOGY_LIKE,
            limits,
            &|_| true,
        );
        assert!(result.is_err());
        let keys: Vec<String> = asked.iter().map(|n| n.to_lowercase()).collect();
        assert_distinct(&keys);
    }

    #[test]
    fn errors_from_exists_propagate() {
        let rule = NameRule::parse("{client_id}").unwrap();
        let mut calls = 0;
        let result = block_on(resolve_unique(
            &rule,
            &NameContext::new("alice", "1"),
            &MINIO_LIKE,
            &mut StdRng::seed_from_u64(1),
            instant(),
            CollisionLimits::default(),
            |_| {
                calls += 1;
                let answer = if calls == 1 {
                    Ok(true)
                } else {
                    Err(ServerError::new("minio-like", ErrorKind::Transient, "down").into())
                };
                async move { answer }
            },
        ));
        assert_eq!(calls, 2);
        let error = result.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Transient);
        assert_eq!(error.server_message(), Some("down"));
    }

    #[test]
    fn names_that_cannot_fit_the_policy_are_input_errors() {
        let (result, asked) = resolve(
            "{client_id}",
            "!!",
            &MINIO_LIKE,
            CollisionLimits::default(),
            &|_| false,
        );
        assert!(asked.is_empty());
        assert!(matches!(
            result,
            Err(Error::Input(InputError::Name(NameError::Empty { .. })))
        ));
    }

    #[test]
    fn random_rules_that_never_fit_give_the_policy_error() {
        // Digits only: a letter must come first, so every generation fails.
        let limits = CollisionLimits {
            random_attempts: 4,
            suffix_attempts: 4,
        };
        let (result, asked) = resolve("{random_digit_6}", "x", &MINIO_LIKE, limits, &|_| false);
        assert!(asked.is_empty());
        assert!(matches!(
            result,
            Err(Error::Input(InputError::Name(NameError::Empty { .. })))
        ));
    }

    #[test]
    fn suffixes_that_can_never_fit_give_the_reason() {
        let letter_last = NamePolicy {
            last: EdgeRule::Letter,
            ..MINIO_LIKE
        };
        let (result, asked) = resolve(
            "{client_id}",
            "alice",
            &letter_last,
            CollisionLimits::default(),
            &|_| true,
        );
        assert_eq!(asked, ["alice"]);
        assert!(matches!(
            result,
            Err(Error::Input(InputError::Name(NameError::BadLast { .. })))
        ));
    }

    #[test]
    fn suffixes_respect_max_len() {
        let full = "a".repeat(32);
        let (result, _) = resolve(
            "{client_id}",
            &full,
            &MINIO_LIKE,
            CollisionLimits::default(),
            &|n| n == full,
        );
        assert_eq!(
            result.unwrap().into_string(),
            format!("{}2", "a".repeat(31))
        );
    }

    fn assert_distinct(names: &[String]) {
        let set: HashSet<&String> = names.iter().collect();
        assert_eq!(
            set.len(),
            names.len(),
            "a name was checked twice: {names:?}"
        );
    }

    proptest! {
        #[test]
        fn resolved_names_satisfy_the_policy_and_are_free(
            rule in crate::rules::name_generation::tests::rule_text(),
            client_id in "\\PC{0,20}",
            policy in any_policy(),
            taken_share in 0u8..=100,
            seed in any::<u64>(),
        ) {
            let taken = |n: &str| {
                let hash = n.bytes().fold(seed, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b)));
                hash % 100 < u64::from(taken_share)
            };
            let (result, asked) = resolve(&rule, &client_id, &policy, CollisionLimits::default(), &taken);
            let keys: Vec<String> = asked.iter().map(|n| policy.account_key(n)).collect();
            assert_distinct(&keys);
            match result {
                Ok(name) => {
                    prop_assert!(policy.validate(name.as_str()).is_ok());
                    prop_assert!(!taken(name.as_str()));
                    prop_assert_eq!(asked.last(), Some(&name.into_string()));
                }
                Err(Error::NamesExhausted { attempts, .. }) => {
                    prop_assert_eq!(attempts as usize, asked.len());
                    prop_assert!(asked.iter().all(|n| taken(n)));
                }
                Err(Error::Input(InputError::Name(_))) => {}
                Err(other) => prop_assert!(false, "unexpected error {other}"),
            }
        }

        #[test]
        fn rules_that_fit_the_policy_resolve_or_exhaust(
            rule in crate::rules::name_generation::tests::rule_text(),
            client_id in "\\PC{0,20}",
            policy in any_policy(),
            taken_share in 0u8..100,
            seed in any::<u64>(),
        ) {
            // Letters at both ends and room for them: every generated name fits.
            let rule = format!("xyz{rule}zyx");
            let policy = NamePolicy { max_len: policy.max_len.max(4), ..policy };
            let taken = |n: &str| {
                let hash = n.bytes().fold(seed, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b)));
                hash % 100 < u64::from(taken_share)
            };
            let (result, asked) = resolve(&rule, &client_id, &policy, CollisionLimits::default(), &taken);
            prop_assert!(!asked.is_empty());
            match result {
                Ok(name) => prop_assert!(policy.validate(name.as_str()).is_ok() && !taken(name.as_str())),
                Err(Error::NamesExhausted { attempts, .. }) => prop_assert_eq!(attempts as usize, asked.len()),
                // Only a numeric suffix can break this policy: digits not allowed, or
                // not allowed last.
                Err(Error::Input(InputError::Name(e))) => prop_assert!(
                    matches!(e, NameError::BadCharacter { ch: '0'..='9', .. })
                        || (matches!(e, NameError::BadLast { .. }) && policy.last == EdgeRule::Letter),
                    "{e}"
                ),
                Err(other) => prop_assert!(false, "unexpected error {other}"),
            }
        }
    }
}
