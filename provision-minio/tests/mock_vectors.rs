//! `minio-wildcard.json` (upstream test tables of MinIO's wildcard and resource
//! matching, plus derived tenant-pair cases) through both matchers: the mock's own
//! (`mock::matching`) and the library's (`wire::policy`). Either failing a case means
//! it disagrees with the server.

use std::path::{Path, PathBuf};

use provision_minio::mock::matching;
use provision_minio::wire::policy;
use serde::Deserialize;

const CRATE_COPY: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors");
const SHARED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/vectors");
const NAME: &str = "minio-wildcard.json";

#[derive(Deserialize)]
struct WildcardCase {
    pattern: String,
    text: String,
    matched: bool,
}

#[derive(Deserialize)]
struct ResourceCase {
    resource: String,
    name: String,
    matched: bool,
}

#[derive(Deserialize)]
struct Vectors {
    #[serde(rename = "match")]
    wildcard: Vec<WildcardCase>,
    resource_match: Vec<ResourceCase>,
    derived: Vec<WildcardCase>,
}

fn vector_path() -> PathBuf {
    [CRATE_COPY, SHARED]
        .iter()
        .map(|dir| Path::new(dir).join(NAME))
        .find(|path| path.is_file())
        .unwrap_or_else(|| panic!("{NAME} is neither in {CRATE_COPY} nor in {SHARED}"))
}

fn vectors() -> Vectors {
    let text = std::fs::read_to_string(vector_path()).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// Every failing case of `matcher` over `cases`, described.
fn failures<C>(
    cases: &[C],
    describe: impl Fn(&C) -> String,
    expected: impl Fn(&C) -> bool,
    matcher: impl Fn(&C) -> bool,
) -> Vec<String> {
    cases
        .iter()
        .filter(|c| matcher(c) != expected(c))
        .map(|c| format!("{} (expected {})", describe(c), expected(c)))
        .collect()
}

fn arn(pattern: &str) -> String {
    format!("arn:aws:s3:::{pattern}")
}

#[test]
fn the_tables_have_the_sheets_sizes() {
    let v = vectors();
    assert_eq!(v.wildcard.len(), 53);
    assert_eq!(v.resource_match.len(), 15);
    assert!(!v.derived.is_empty());
    // Both outcomes occur in every table, so no matcher passes by always answering one.
    for outcomes in [
        v.wildcard.iter().map(|c| c.matched).collect::<Vec<_>>(),
        v.resource_match.iter().map(|c| c.matched).collect(),
        v.derived.iter().map(|c| c.matched).collect(),
    ] {
        assert!(outcomes.contains(&true) && outcomes.contains(&false));
    }
}

/// A matcher under test: wildcard matching and full-ARN resource matching.
struct Matcher {
    wildcard: fn(&str, &str) -> bool,
    resource: fn(&str, &str) -> bool,
}

/// Every case of every table that `m` gets wrong.
fn cases_failed_by(m: &Matcher) -> Vec<String> {
    let v = vectors();
    let wild = |c: &WildcardCase| format!("{:?} ~ {:?}", c.pattern, c.text);
    let mut failed = failures(
        &v.wildcard,
        wild,
        |c| c.matched,
        |c| (m.wildcard)(&c.pattern, &c.text),
    );
    failed.extend(failures(
        &v.resource_match,
        |c| format!("resource {:?} ~ {:?}", c.resource, c.name),
        |c| c.matched,
        |c| (m.resource)(&arn(&c.resource), &c.name),
    ));
    failed.extend(failures(
        &v.derived,
        wild,
        |c| c.matched,
        |c| (m.wildcard)(&c.pattern, &c.text),
    ));
    failed.extend(failures(
        &v.derived,
        wild,
        |c| c.matched,
        |c| (m.resource)(&arn(&c.pattern), &c.text),
    ));
    failed
}

#[test]
fn the_mocks_matcher_passes_every_case() {
    let failed = cases_failed_by(&Matcher {
        wildcard: matching::wildcard_match,
        resource: matching::resource_matches,
    });
    assert!(failed.is_empty(), "the mock's matcher fails: {failed:#?}");
    // The stripped-pattern form agrees with the ARN form.
    for c in vectors().resource_match {
        assert_eq!(
            matching::pattern_matches(&c.resource, &c.name),
            matching::resource_matches(&arn(&c.resource), &c.name)
        );
    }
}

#[test]
fn the_librarys_matcher_passes_every_case() {
    let failed = cases_failed_by(&Matcher {
        wildcard: policy::wildcard_match,
        resource: policy::resource_matches,
    });
    assert!(
        failed.is_empty(),
        "the library's matcher fails: {failed:#?}"
    );
}

#[test]
fn a_wrong_matcher_fails_cases() {
    // `?` read as "at most one" and `*` stopping at `/`: the tables catch both.
    fn prefix_only(pattern: &str, text: &str) -> bool {
        text.starts_with(pattern.trim_end_matches('*'))
    }
    fn arn_prefix_only(pattern: &str, text: &str) -> bool {
        pattern
            .strip_prefix("arn:aws:s3:::")
            .is_some_and(|p| prefix_only(p, text))
    }
    let failed = cases_failed_by(&Matcher {
        wildcard: prefix_only,
        resource: arn_prefix_only,
    });
    assert!(failed.len() > 10, "{failed:#?}");
}
