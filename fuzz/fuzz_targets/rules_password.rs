//! The password-rule parser: a rule that parses displays and re-parses to the same
//! rule, and a password made of one character of each required class, padded with
//! charset characters to the rule's length, passes the rule's own check (one character
//! short of the length, it fails).
#![no_main]
#![forbid(unsafe_code)]

use libfuzzer_sys::fuzz_target;
use provision_rules::{CharClass, PasswordRule};

fuzz_target!(|data: &[u8]| {
    let Ok(source) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(rule) = PasswordRule::parse(source) else {
        return;
    };
    let shown = rule.to_string();
    let again = PasswordRule::parse(&shown)
        .unwrap_or_else(|e| panic!("{source:?} displays as {shown:?}, which fails: {e}"));
    assert_eq!(again, rule, "{source:?} -> {shown:?}");

    let classes = rule.required_classes();
    let mut password: Vec<char> = classes
        .iter()
        .map(|class| {
            rule.charset()
                .chars()
                .find(|c| CharClass::of(*c) == *class)
                .expect("a required class has a character in the charset")
        })
        .collect();
    let mut filler = rule.charset().chars().cycle();
    while password.len() < rule.length() {
        password.push(filler.next().expect("the charset is not empty"));
    }
    let password: String = password.into_iter().collect();
    if classes.len() <= rule.length() {
        assert_eq!(rule.check(&password), Ok(()), "{source:?}: {password:?}");
        let short: String = password.chars().skip(1).collect();
        if password.chars().count() == rule.length() {
            assert!(
                rule.check(&short).is_err(),
                "{source:?}: {short:?} is too short"
            );
        }
    }
});
