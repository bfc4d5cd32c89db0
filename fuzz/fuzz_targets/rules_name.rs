//! The name-rule parser: a rule that parses keeps its source as its Display, its
//! canonical form re-parses to the same segments, and the canonical form is a fixed
//! point.
#![no_main]
#![forbid(unsafe_code)]

use libfuzzer_sys::fuzz_target;
use provision_rules::{IdAlphabet, NameRule};

fuzz_target!(|data: &[u8]| {
    let Ok(source) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(rule) = NameRule::parse(source) else {
        return;
    };
    assert_eq!(rule.to_string(), source, "Display is the source as written");
    let canonical = rule.canonical();
    let again = NameRule::parse(&canonical)
        .unwrap_or_else(|e| panic!("canonical {canonical:?} of {source:?} fails: {e}"));
    assert_eq!(
        again.segments(),
        rule.segments(),
        "{source:?} -> {canonical:?}"
    );
    assert_eq!(
        again.canonical(),
        canonical,
        "canonical form is a fixed point"
    );
    assert_eq!(again.has_random_part(), rule.has_random_part());
    assert_eq!(
        again.alphabet(IdAlphabet::default()),
        rule.alphabet(IdAlphabet::default())
    );
});
