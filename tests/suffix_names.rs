//! Collision suffixes under the backends' real name policies: a suffixed name is never
//! the name that another service's rule produces by itself (issue 11, part 3).

use proptest::prelude::*;
use provision::minio;
use provision::nextcloud::NEXTCLOUD_POLICY;
use provision::synology;
use provision_core::rules::{
    GenerateName, IdAlphabet, NameContext, NameError, NamePolicy, NameRule,
};
use provision_core::Username;
use rand::rngs::StdRng;
use rand::SeedableRng;

const RULES: [&str; 4] = [
    "{client_id}-{service_id}",
    "{client_id}{service_id}",
    "c{client_id}_{service_id}",
    "cust{client_id}-{random_digit_4}",
];

fn policies() -> [&'static NamePolicy; 3] {
    [
        &NEXTCLOUD_POLICY,
        &synology::NAME_POLICY,
        &minio::NAME_POLICY,
    ]
}

/// The name `rule` gives service `(client, service)` by itself on `policy`.
fn natural(
    rule: &NameRule,
    policy: &NamePolicy,
    (client, service): &(String, String),
    seed: u64,
) -> Result<Username, NameError> {
    let now = chrono::DateTime::from_timestamp(1_700_000_000, 0).unwrap();
    let raw = rule.generate(
        &NameContext::new(client, service),
        &mut StdRng::seed_from_u64(seed),
        now,
    );
    policy.normalize(&raw)
}

fn service(client: &str, service: &str) -> (String, String) {
    (client.to_string(), service.to_string())
}

#[test]
fn the_issue_case_no_longer_takes_the_name_of_service_12_34() {
    let rule = NameRule::parse("{client_id}-{service_id}").unwrap();
    // DSM names start with a letter, so this rule gives no DSM names at all.
    for policy in [&NEXTCLOUD_POLICY, &minio::NAME_POLICY] {
        let base = natural(&rule, policy, &service("12", "3"), 0).unwrap();
        let other = natural(&rule, policy, &service("12", "34"), 0).unwrap();
        assert_eq!(other.as_str(), "12-34");
        // Digits straight after the base, as before, took service (12, 34)'s name.
        assert_eq!(format!("{base}4"), other.as_str());
        let separator = policy.suffix_separator(&rule, IdAlphabet::Digits).unwrap();
        let suffixed = policy.with_suffix(base.as_str(), separator, 4).unwrap();
        assert_ne!(suffixed.as_str(), "12-34", "{}", policy.backend);
        assert_eq!(suffixed.as_str(), format!("12-3{separator}4"));
    }
}

/// Client and service ids: digits of various lengths.
fn ids() -> impl Strategy<Value = (String, String)> {
    ("[0-9]{1,12}", "[0-9]{1,12}")
}

proptest! {
    #[test]
    fn a_suffixed_name_is_never_another_services_own_name(
        rule in prop::sample::select(RULES.to_vec()),
        policy in prop::sample::select(policies().to_vec()),
        a in ids(),
        random_b in ids(),
        // Service B as a naive suffix would hit it: A's service id followed by the suffix.
        b_follows_a in any::<bool>(),
        suffix in 2u64..=101,
        seed in any::<u64>(),
    ) {
        let b = if b_follows_a { (a.0.clone(), format!("{}{suffix}", a.1)) } else { random_b };
        prop_assume!(a != b);
        let rule = NameRule::parse(rule).unwrap();
        let separator = policy.suffix_separator(&rule, IdAlphabet::Digits);
        prop_assert!(separator.is_ok(), "{}: {:?}", policy.backend, separator);
        let separator = separator.unwrap();
        // One draw for both: equal random parts are the closest the two names get.
        let (base, other) = match (natural(&rule, policy, &a, seed), natural(&rule, policy, &b, seed)) {
            (Ok(base), Ok(other)) => (base, other),
            // Too short for the backend (MinIO wants 3 characters), or a DSM name that
            // would start with a digit: no name, so nothing to collide with.
            (Err(e), _) | (_, Err(e)) => {
                let digit_first = rule.as_str().starts_with('{');
                prop_assert!(
                    matches!(e, NameError::TooShort { .. })
                        || (policy.backend == synology::NAME_POLICY.backend && digit_first),
                    "{}: {}", policy.backend, e
                );
                return Ok(());
            }
        };
        let suffixed = policy.with_suffix(base.as_str(), separator, suffix).unwrap();
        prop_assert!(
            !policy.same_account(suffixed.as_str(), other.as_str()),
            "{}: {:?} with suffix {} is {}, the own name of {:?}",
            policy.backend, a, suffix, suffixed, b
        );
    }
}
