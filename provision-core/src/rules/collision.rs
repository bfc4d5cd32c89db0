//! Finding a user name that is free on the server.

use std::collections::HashSet;
use std::future::Future;

use chrono::{DateTime, Utc};

use super::{GenerateName, IdAlphabet, NameContext, NameError, NamePolicy, NameRule, Segment};
use crate::error::Error;
use crate::username::Username;

/// How many more candidates [`resolve_unique`] may try once the first is taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CollisionLimits {
    /// Fresh names to generate when the rule has a random part (else unused).
    pub random_attempts: u32,
    /// Numeric suffixes (2, 3, ...) to try on the first name.
    pub suffix_attempts: u32,
    /// What the billing system's client and service ids hold. It decides the character
    /// that joins a suffix to the name ([`NamePolicy::suffix_separator`]), and a context
    /// whose ids hold more is refused, since its names could look suffixed.
    pub ids: IdAlphabet,
}

impl Default for CollisionLimits {
    /// 10 fresh random names, then suffixes 2 to 101; ids are digits.
    fn default() -> Self {
        CollisionLimits {
            random_attempts: 10,
            suffix_attempts: 100,
            ids: IdAlphabet::Digits,
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
/// A suffix is joined by [`NamePolicy::suffix_separator`], a character no name of the
/// rule holds by itself, so a suffixed name is never another service's own name: under
/// `{client_id}-{service_id}`, service (12, 3) with suffix 4 gets `12-3_4` on a backend
/// that allows `_`, never `12-34`, the name of service (12, 34).
///
/// Errors: an error from `exists` is returned as it is; a name that cannot be fitted to
/// the policy gives the [`NameError`] (as [`Error::Input`]), and so do an id outside
/// `limits.ids` ([`NameError::IdOutsideAlphabet`], before anything is asked) and a
/// collision the rule leaves no separator for ([`NameError::NoSuffixSeparator`]: the
/// suffixes are refused, not risked); when every candidate is taken,
/// [`Error::NamesExhausted`].
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
///     allowed: |c| c.is_ascii_alphanumeric() || c == '-',
///     allowed_description: "a-z, A-Z, 0-9 and -",
///     replacement: None,
///     min_len: 1,
///     max_len: 32,
///     case: CaseRule::Insensitive,
///     first: EdgeRule::Letter,
///     last: EdgeRule::Any,
///     reserved: &[],
/// };
/// let rule = NameRule::parse("c{client_id}").unwrap();
/// // `c422` would be the name of client 422: the suffix comes after a '-'.
/// let taken = ["c42", "C42-2"];
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
/// assert_eq!(name.as_str(), "c42-3");
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
    check_ids(rule, ctx, policy, limits.ids)?;
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

    let separator = match policy.suffix_separator(rule, limits.ids) {
        Ok(separator) => separator,
        Err(e) if limits.suffix_attempts > 0 => return Err(e.into()),
        Err(_) => return Err(checker.exhausted()),
    };
    let mut suffix_error = None;
    let mut suffixes_checked = 0u32;
    for suffix in 2..2 + u64::from(limits.suffix_attempts) {
        let candidate = match policy.with_suffix(base.as_str(), separator, suffix) {
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

/// Refuses ids the rule writes that hold more than `ids`: their names could hold the
/// suffix separator and so look like another service's suffixed name.
fn check_ids(
    rule: &NameRule,
    ctx: &NameContext,
    policy: &NamePolicy,
    ids: IdAlphabet,
) -> Result<(), NameError> {
    for placeholder in rule.segments() {
        let id = match placeholder {
            Segment::ClientId => &ctx.client_id,
            Segment::ServiceId => &ctx.service_id,
            _ => continue,
        };
        if !ids.admits(id) {
            return Err(NameError::IdOutsideAlphabet {
                backend: policy.backend,
                placeholder: placeholder.clone(),
                id: id.clone(),
                ids,
            });
        }
    }
    Ok(())
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
    use crate::rules::policy::tests::{any_policy, MINIO_LIKE, NEXTCLOUD_LIKE, SYNOLOGY_LIKE};
    use crate::rules::{EdgeRule, NamePolicy};
    use chrono::TimeZone;
    use futures::executor::block_on;
    use proptest::prelude::*;
    use rand::rngs::StdRng;
    use rand::SeedableRng;

    fn instant() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 3, 9, 8, 5, 1).unwrap()
    }

    /// The default limits, for ids that may hold any text.
    const TEXT_IDS: CollisionLimits = CollisionLimits {
        random_attempts: 10,
        suffix_attempts: 100,
        ids: IdAlphabet::Text,
    };

    /// Resolves against a fixed set of taken names; returns the result and every name
    /// asked about, in order.
    fn resolve(
        rule: &str,
        client_id: &str,
        policy: &NamePolicy,
        limits: CollisionLimits,
        taken: &dyn Fn(&str) -> bool,
    ) -> (Result<Username, Error>, Vec<String>) {
        resolve_for(
            rule,
            &NameContext::new(client_id, "9"),
            policy,
            limits,
            taken,
        )
    }

    /// [`resolve`] for any context.
    fn resolve_for(
        rule: &str,
        ctx: &NameContext,
        policy: &NamePolicy,
        limits: CollisionLimits,
        taken: &dyn Fn(&str) -> bool,
    ) -> (Result<Username, Error>, Vec<String>) {
        let rule = NameRule::parse(rule).unwrap();
        let mut rng = StdRng::seed_from_u64(5);
        let mut asked = Vec::new();
        let result = block_on(resolve_unique(
            &rule,
            ctx,
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
        let (result, asked) = resolve("User {client_id}", "Jörg", &MINIO_LIKE, TEXT_IDS, &|_| {
            false
        });
        assert_eq!(result.unwrap().as_str(), "user-jorg");
        assert_eq!(asked, ["user-jorg"]);
    }

    #[test]
    fn fixed_rules_go_straight_to_suffixes() {
        let (result, asked) = resolve(
            "u{client_id}",
            "42",
            &MINIO_LIKE,
            CollisionLimits::default(),
            &|n| n == "u42" || n == "u42-2",
        );
        assert_eq!(result.unwrap().as_str(), "u42-3");
        assert_eq!(asked, ["u42", "u42-2", "u42-3"]);
    }

    #[test]
    fn a_suffix_never_forms_the_name_of_another_service() {
        // The case of issue 11: (12, 3) with suffix 4 must not become `12-34`, the
        // name rule's own name for service (12, 34).
        let rule = "{client_id}-{service_id}";
        let limits = CollisionLimits::default();
        let own_name = |client: &str, service: &str| {
            let ctx = NameContext::new(client, service);
            let (result, _) = resolve_for(rule, &ctx, &SYNOLOGY_LIKE, limits, &|_| false);
            result.unwrap().into_string()
        };
        assert_eq!(own_name("12", "34"), "12-34");
        assert_eq!(own_name("12", "3"), "12-3");
        let taken = ["12-3", "12-3_2", "12-3_3"];
        let (result, asked) = resolve_for(
            rule,
            &NameContext::new("12", "3"),
            &SYNOLOGY_LIKE,
            limits,
            &|n| taken.contains(&n),
        );
        assert_ne!(result.unwrap().as_str(), "12-34");
        assert_eq!(asked, ["12-3", "12-3_2", "12-3_3", "12-3_4"]);
    }

    #[test]
    fn ids_outside_the_declared_alphabet_are_refused_before_asking() {
        let (result, asked) = resolve(
            "u{client_id}",
            "42a",
            &MINIO_LIKE,
            CollisionLimits::default(),
            &|_| false,
        );
        assert!(asked.is_empty());
        match result {
            Err(Error::Input(InputError::Name(NameError::IdOutsideAlphabet {
                placeholder,
                id,
                ..
            }))) => {
                assert_eq!(placeholder, Segment::ClientId);
                assert_eq!(id, "42a");
            }
            other => panic!("expected IdOutsideAlphabet, got {other:?}"),
        }
        // Ids the rule does not write are not its business.
        let (result, _) = resolve(
            "u{random_letter_4}",
            "42a",
            &MINIO_LIKE,
            CollisionLimits::default(),
            &|_| false,
        );
        assert!(result.is_ok());
    }

    #[test]
    fn text_ids_leave_no_separator_so_suffixes_are_refused() {
        let (result, asked) = resolve("{client_id}", "alice", &NEXTCLOUD_LIKE, TEXT_IDS, &|n| {
            n == "alice"
        });
        assert_eq!(asked, ["alice"]);
        match result {
            Err(Error::Input(InputError::Name(e @ NameError::NoSuffixSeparator { .. }))) => {
                assert_eq!(
                    e.to_string(),
                    "nextcloud-like: the name rule \"{client_id}\" leaves no character to separate \
                     a collision suffix ({client_id} may hold any text)"
                );
            }
            other => panic!("expected NoSuffixSeparator, got {other:?}"),
        }
        // Without suffixes to try, running out of names is the answer.
        let no_suffixes = CollisionLimits {
            suffix_attempts: 0,
            ..TEXT_IDS
        };
        let (result, _) = resolve(
            "{client_id}",
            "alice",
            &NEXTCLOUD_LIKE,
            no_suffixes,
            &|_| true,
        );
        assert!(matches!(
            result,
            Err(Error::NamesExhausted { attempts: 1, .. })
        ));
    }

    #[test]
    fn random_rules_regenerate_before_suffixing() {
        // Ten possible names, all taken: regeneration cannot succeed, suffixes must.
        let limits = CollisionLimits {
            random_attempts: 30,
            suffix_attempts: 5,
            ..CollisionLimits::default()
        };
        let (result, asked) = resolve("us{random_digit_1}", "x", &MINIO_LIKE, limits, &|n| {
            n.len() == 3
        });
        let first = asked[0].clone();
        assert_eq!(result.unwrap().into_string(), format!("{first}-2"));
        let (random, suffixed) = asked.split_at(asked.len() - 1);
        assert!(random.len() > 1 && random.len() <= 10, "{asked:?}");
        assert!(random.iter().all(|n| n.len() == 3));
        assert_eq!(suffixed, [format!("{first}-2")]);
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
            ..CollisionLimits::default()
        };
        let (result, asked) = resolve("u{client_id}", "42", &MINIO_LIKE, limits, &|_| true);
        assert_eq!(asked, ["u42", "u42-2", "u42-3", "u42-4", "u42-5", "u42-6"]);
        match result {
            Err(Error::NamesExhausted {
                attempts,
                last_tried,
            }) => {
                assert_eq!(attempts, 6);
                assert_eq!(last_tried, "u42-6");
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
            ..CollisionLimits::default()
        };
        let (result, asked) = resolve("B{random_letter_1}", "1", &SYNOLOGY_LIKE, limits, &|_| true);
        assert!(result.is_err());
        let keys: Vec<String> = asked.iter().map(|n| n.to_lowercase()).collect();
        assert_distinct(&keys);
    }

    #[test]
    fn errors_from_exists_propagate() {
        let rule = NameRule::parse("u{client_id}").unwrap();
        let mut calls = 0;
        let result = block_on(resolve_unique(
            &rule,
            &NameContext::new("42", "1"),
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
        let (result, asked) = resolve("{client_id}", "!!", &MINIO_LIKE, TEXT_IDS, &|_| false);
        assert!(asked.is_empty());
        assert!(matches!(
            result,
            Err(Error::Input(InputError::Name(NameError::Unusable { .. })))
        ));
    }

    #[test]
    fn random_rules_that_never_fit_give_the_policy_error() {
        // Digits only: a letter must come first, so every generation fails.
        let limits = CollisionLimits {
            random_attempts: 4,
            suffix_attempts: 4,
            ..CollisionLimits::default()
        };
        let (result, asked) = resolve("{random_digit_6}", "x", &MINIO_LIKE, limits, &|_| false);
        assert!(asked.is_empty());
        assert!(matches!(
            result,
            Err(Error::Input(InputError::Name(NameError::Unusable { .. })))
        ));
    }

    #[test]
    fn suffixes_that_can_never_fit_give_the_reason() {
        let letter_last = NamePolicy {
            last: EdgeRule::Letter,
            ..MINIO_LIKE
        };
        let (result, asked) = resolve(
            "u{client_id}u",
            "42",
            &letter_last,
            CollisionLimits::default(),
            &|_| true,
        );
        assert_eq!(asked, ["u42u"]);
        assert!(matches!(
            result,
            Err(Error::Input(InputError::Name(NameError::BadLast { .. })))
        ));
    }

    #[test]
    fn suffixes_respect_max_len() {
        let full = format!("u{}", "4".repeat(31));
        let (result, _) = resolve(
            "u{client_id}",
            &full[1..],
            &MINIO_LIKE,
            CollisionLimits::default(),
            &|n| n == full,
        );
        assert_eq!(result.unwrap().into_string(), format!("{}-2", &full[..30]));
    }

    /// Digit ids (the default alphabet) or any text.
    fn any_client_id() -> impl Strategy<Value = String> {
        prop_oneof!["[0-9]{0,8}", "\\PC{0,20}"]
    }

    /// The default limits, with the id alphabet that admits `client_id`.
    fn limits_for(client_id: &str) -> CollisionLimits {
        if IdAlphabet::Digits.admits(client_id) {
            CollisionLimits::default()
        } else {
            TEXT_IDS
        }
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
        fn suffixed_names_are_never_another_services_own_name(
            rule in crate::rules::name_generation::tests::rule_text(),
            ends_with_service_id in any::<bool>(),
            policy in any_policy(),
            a in ("[0-9]{0,6}", "[0-9]{0,6}"),
            random_b in ("[0-9]{0,6}", "[0-9]{0,6}"),
            b_follows_a in any::<bool>(),
            suffix in 2u64..=101,
            seed in any::<u64>(),
        ) {
            // A rule that ends with an id and a service B whose id is A's followed by
            // the suffix: where digits straight after the base took B's name.
            let rule = if ends_with_service_id { format!("{rule}{{service_id}}") } else { rule };
            let b = if b_follows_a { (a.0.clone(), format!("{}{suffix}", a.1)) } else { random_b };
            let rule = NameRule::parse(&rule).unwrap();
            let Ok(separator) = policy.suffix_separator(&rule, IdAlphabet::Digits) else {
                return Ok(());
            };
            // One draw for both: equal random parts are the closest the two names get.
            let natural = |(client, service): &(String, String)| {
                let raw = rule.generate(&NameContext::new(client, service), &mut StdRng::seed_from_u64(seed), instant());
                policy.normalize(&raw)
            };
            if let (Ok(base), Ok(other)) = (natural(&a), natural(&b)) {
                if let Ok(suffixed) = policy.with_suffix(base.as_str(), separator, suffix) {
                    prop_assert!(
                        !policy.same_account(suffixed.as_str(), other.as_str()),
                        "{} with suffix {} is {}, the name of {:?}", base, suffix, suffixed, b
                    );
                }
            }
        }

        #[test]
        fn resolved_names_satisfy_the_policy_and_are_free(
            rule in crate::rules::name_generation::tests::rule_text(),
            client_id in any_client_id(),
            policy in any_policy(),
            taken_share in 0u8..=100,
            seed in any::<u64>(),
        ) {
            let taken = |n: &str| {
                let hash = n.bytes().fold(seed, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b)));
                hash % 100 < u64::from(taken_share)
            };
            let (result, asked) = resolve(&rule, &client_id, &policy, limits_for(&client_id), &taken);
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
            client_id in any_client_id(),
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
            let (result, asked) = resolve(&rule, &client_id, &policy, limits_for(&client_id), &taken);
            prop_assert!(!asked.is_empty());
            match result {
                Ok(name) => prop_assert!(policy.validate(name.as_str()).is_ok() && !taken(name.as_str())),
                Err(Error::NamesExhausted { attempts, .. }) => prop_assert_eq!(attempts as usize, asked.len()),
                // Only a suffix can break this policy: digits not allowed, or not
                // allowed last, or no separator the rule leaves free.
                Err(Error::Input(InputError::Name(e))) => prop_assert!(
                    matches!(e, NameError::BadCharacter { ch: '0'..='9', .. } | NameError::NoSuffixSeparator { .. })
                        || (matches!(e, NameError::BadLast { .. }) && policy.last == EdgeRule::Letter),
                    "{e}"
                ),
                Err(other) => prop_assert!(false, "unexpected error {other}"),
            }
        }
    }
}
