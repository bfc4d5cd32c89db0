//! Bad rules and quotas fail the build with the parser's message at the literal.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
}
