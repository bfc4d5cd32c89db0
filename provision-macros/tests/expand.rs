//! The macros expand to the same values the run-time parsers give.

use provision_core::quota::{ByteSize, Quota};
use provision_core::rules::{NameRule, PasswordRule, Segment, DEFAULT_CHARSET};
use provision_macros::{name_rule, password_rule, quota};

#[test]
fn name_rule_equals_the_parsed_rule() {
    for (from_macro, text) in [
        (
            name_rule!("{client_id}-{service_id}"),
            "{client_id}-{service_id}",
        ),
        (
            name_rule!("u{random_digit_4}{random_letter_64}x"),
            "u{random_digit_4}{random_letter_64}x",
        ),
        (
            name_rule!("{unixtime}{year}{month}{day}{hour}{minute}{second}{date}{time}"),
            "{unixtime}{year}{month}{day}{hour}{minute}{second}{date}{time}",
        ),
        (name_rule!("plain text"), "plain text"),
    ] {
        assert_eq!(from_macro, NameRule::parse(text).unwrap());
        assert_eq!(from_macro.as_str(), text);
    }
}

#[test]
fn name_rule_keeps_segments_and_randomness() {
    let rule = name_rule!("c{client_id}_{random_letter_3}");
    assert_eq!(
        rule.segments(),
        &[
            Segment::Literal("c".into()),
            Segment::ClientId,
            Segment::Literal("_".into()),
            Segment::RandomLetters(3),
        ]
    );
    assert!(rule.has_random_part());
    assert!(!name_rule!("{client_id}").has_random_part());
}

#[test]
fn password_rule_equals_the_parsed_rule() {
    let default = password_rule!("12");
    assert_eq!(default, PasswordRule::parse("12").unwrap());
    assert_eq!(default.length(), 12);
    assert_eq!(default.charset(), DEFAULT_CHARSET);
    assert!(!default.has_custom_charset());
    assert_eq!(password_rule!(12), default);

    let custom = password_rule!("16:aabc:1");
    assert_eq!(custom, PasswordRule::parse("16:aabc:1").unwrap());
    assert_eq!(custom.charset(), "abc:1");
    assert!(custom.has_custom_charset());
}

#[test]
fn quota_equals_the_parsed_quota() {
    assert_eq!(quota!(10 GB), "10 GB".parse::<Quota>().unwrap());
    assert_eq!(quota!(10 GB).limit(), Some(ByteSize::new(10 << 30)));
    assert_eq!(quota!(10GB), quota!(10 GB));
    assert_eq!(quota!(1.5 TB).limit(), Some(ByteSize::new(3 << 39)));
    assert_eq!(quota!(512 MiB).limit(), Some(ByteSize::new(512 << 20)));
    assert_eq!(quota!(1_024 MB), quota!(1 GB));
    assert_eq!(quota!("2 PB").limit(), Some(ByteSize::new(2 << 50)));
    assert_eq!(quota!(4096).limit(), Some(ByteSize::new(4096)));
}

#[test]
fn zero_and_unlimited_are_unlimited() {
    assert_eq!(quota!(0), Quota::Unlimited);
    assert_eq!(quota!(0 GB), Quota::Unlimited);
    assert_eq!(quota!(unlimited), Quota::Unlimited);
    assert_eq!(quota!("none"), Quota::Unlimited);
}

// Expansions are constant expressions.
const PLAN_QUOTA: Quota = quota!(250 GB);
const PASSWORDS: PasswordRule = password_rule!("20");
static NAMES: NameRule = name_rule!("{client_id}");

#[test]
fn expansions_initialise_consts_and_statics() {
    assert_eq!(PLAN_QUOTA.limit(), Some(ByteSize::new(250 << 30)));
    assert_eq!(PASSWORDS.length(), 20);
    assert_eq!(NAMES.as_str(), "{client_id}");
}

mod facade {
    pub use provision_core as core;
}

#[test]
fn the_core_path_can_be_given() {
    assert_eq!(
        name_rule!(crate = facade::core; "{service_id}").as_str(),
        "{service_id}"
    );
    assert_eq!(password_rule!(crate = facade::core; "9").length(), 9);
    assert_eq!(
        quota!(crate = facade::core; 1 TB).limit(),
        Some(ByteSize::new(1 << 40))
    );
}
