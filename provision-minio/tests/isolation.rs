//! Tenant isolation: no user's policy can match another user's bucket, whatever the
//! two names are, and terminate never touches a bucket outside the namespace.
//!
//! Isolation is judged by the mock's own matcher and evaluator (`mock::matching`,
//! written from the server's rules), never by the library's `resource_matches`: a
//! fault in the library's matcher must not be able to make these tests pass.

mod common;

use common::*;
use proptest::prelude::*;
use provision_core::{StorageProvider, Username};
use provision_minio::mock::matching::resource_matches;
use provision_minio::wire::policy::{Namespace, PolicyKind, PolicyTemplate};
use provision_minio::NAME_POLICY;

/// The namespace's resources and every resource of both built-in documents of `a`.
fn resources_of(prefix: &str, a: &str) -> Vec<String> {
    let user = Username::new(a).unwrap();
    let namespace = Namespace::for_user(prefix, &user).unwrap();
    let mut resources = namespace.resources().to_vec();
    for kind in [PolicyKind::Standard, PolicyKind::Limited] {
        let document = PolicyTemplate::builtin(kind).render(a, &namespace).unwrap();
        resources.extend(document.allowed_resources());
    }
    resources
}

/// Buckets (and objects in them) of `b`'s namespace.
fn targets_of(prefix: &str, b: &str, suffix: &str, key: &str) -> Vec<String> {
    let namespace = Namespace::for_user(prefix, &Username::new(b).unwrap()).unwrap();
    let mut buckets = vec![namespace.default_bucket().to_owned()];
    if let Ok(sub) = namespace.bucket(suffix) {
        buckets.push(sub);
    }
    buckets
        .into_iter()
        .flat_map(|bucket| {
            [
                bucket.clone(),
                format!("{bucket}/"),
                format!("{bucket}/{key}"),
            ]
        })
        .collect()
}

fn assert_isolated(prefix: &str, a: &str, b: &str, suffix: &str, key: &str) {
    let other = Namespace::for_user(prefix, &Username::new(a).unwrap()).unwrap();
    for resource in resources_of(prefix, a) {
        for target in targets_of(prefix, b, suffix, key) {
            assert!(
                !resource_matches(&resource, &target),
                "{a}'s resource {resource} matches {b}'s {target}"
            );
            let bucket = target.split('/').next().unwrap_or_default();
            assert!(
                !other.contains(bucket),
                "{a}'s namespace holds {b}'s {bucket}"
            );
        }
    }
}

fn valid_name() -> impl Strategy<Value = String> {
    "[a-z0-9]([a-z0-9-]{0,12}[a-z0-9])?"
        .prop_filter("fits the name policy", |n| NAME_POLICY.validate(n).is_ok())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn no_users_policy_matches_another_users_bucket(
        a in valid_name(),
        b in valid_name(),
        prefix in prop_oneof![Just(""), Just("u-"), Just("c1")],
        suffix in "[a-z0-9]([a-z0-9.-]{0,8}[a-z0-9])?",
        key in "[ -~]{0,16}",
    ) {
        prop_assume!(a != b);
        assert_isolated(prefix, &a, &b, &suffix, &key);
        assert_isolated(prefix, &b, &a, &suffix, &key);
    }

    #[test]
    fn a_name_that_prefixes_another_stays_isolated(
        a in valid_name(),
        extra in "[a-z0-9-]{0,6}[a-z0-9]",
        suffix in "[a-z0-9]{1,8}",
        key in "[ -~]{0,16}",
    ) {
        let b = format!("{a}{extra}");
        prop_assume!(NAME_POLICY.validate(&b).is_ok());
        assert_isolated("", &a, &b, &suffix, &key);
        assert_isolated("", &b, &a, &suffix, &key);
    }

    #[test]
    fn each_user_reaches_its_own_namespace(a in valid_name(), suffix in "[a-z0-9]{1,8}", key in "[ -~]{1,16}") {
        let resources = resources_of("", &a);
        for target in targets_of("", &a, &suffix, &key) {
            prop_assert!(resources.iter().any(|r| resource_matches(r, &target)), "{target}");
        }
    }
}

/// Over HTTP: `a`'s signed requests against `b`'s buckets, judged by the mock's
/// evaluator on the documents the provider wrote.
async fn assert_isolated_over_http(a: &str, b: &str) {
    let mock = start_mock().await;
    provider_with_accounts(&mock, &[a, b]).await;
    let intruder = tenant_s3(&mock, a, PASSWORD);
    let owner = tenant_s3(&mock, b, PASSWORD);
    let sibling = format!("{b}.photos");
    owner.make_bucket(&bucket(&sibling)).await.unwrap();
    for target in [b, sibling.as_str()] {
        let errors = [
            intruder
                .put_object(&bucket(target), &key("x"), vec![1])
                .await
                .unwrap_err(),
            intruder
                .list_objects_v2(&bucket(target), "", None)
                .await
                .unwrap_err(),
        ];
        for err in errors {
            assert_eq!(
                err.server_code(),
                Some("AccessDenied"),
                "{a} reached {target}"
            );
        }
    }
    let err = intruder
        .make_bucket(&bucket(format!("{b}.more")))
        .await
        .unwrap_err();
    assert_eq!(err.server_code(), Some("AccessDenied"));
    // And `a` still reaches its own.
    intruder
        .put_object(&bucket(a), &key("x"), vec![1])
        .await
        .unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(8))]

    #[test]
    fn a_prefix_name_cannot_reach_the_longer_names_buckets_over_http(
        a in valid_name(),
        extra in "[a-z0-9]{1,4}",
    ) {
        let b = format!("{a}{extra}");
        prop_assume!(NAME_POLICY.validate(&b).is_ok());
        let runtime = tokio::runtime::Runtime::new().unwrap();
        runtime.block_on(async {
            assert_isolated_over_http(&a, &b).await;
            assert_isolated_over_http(&b, &a).await;
        });
    }
}

#[test]
fn the_sheets_pairs_are_isolated() {
    for (a, b) in [("12-3", "12-34"), ("abc", "abcd"), ("u1", "u1-2")] {
        for prefix in ["", "u-"] {
            if NAME_POLICY.validate(a).is_ok() || !prefix.is_empty() {
                assert_isolated(prefix, a, b, "photos", "2024/a.jpg");
                assert_isolated(prefix, b, a, "photos", "2024/a.jpg");
            }
        }
    }
}

#[test]
fn the_unsafe_rule_fails_the_same_check() {
    // `arn:aws:s3:::<USER>*` is what the property guards against.
    let unsafe_resource = "arn:aws:s3:::12-3*";
    assert!(targets_of("", "12-34", "photos", "a")
        .iter()
        .any(|t| resource_matches(unsafe_resource, t)));
}

#[tokio::test]
async fn neighbours_cannot_reach_each_other_over_http() {
    let mock = start_mock().await;
    provider_with_accounts(&mock, &["12-3", "12-34"]).await;
    let short = tenant_s3(&mock, "12-3", PASSWORD);
    let long = tenant_s3(&mock, "12-34", PASSWORD);
    long.make_bucket(&bucket("12-34.photos")).await.unwrap();
    long.put_object(&bucket("12-34.photos"), &key("a.jpg"), vec![1])
        .await
        .unwrap();
    for err in [
        short
            .list_objects_v2(&bucket("12-34"), "", None)
            .await
            .unwrap_err(),
        short
            .list_objects_v2(&bucket("12-34.photos"), "", None)
            .await
            .unwrap_err(),
        short
            .put_object(&bucket("12-34"), &key("x"), vec![1])
            .await
            .unwrap_err(),
        short.make_bucket(&bucket("12-34.more")).await.unwrap_err(),
        long.put_object(&bucket("12-3"), &key("x"), vec![1])
            .await
            .unwrap_err(),
    ] {
        assert_eq!(err.server_code(), Some("AccessDenied"));
    }
    short.make_bucket(&bucket("12-3.mine")).await.unwrap();
}

#[tokio::test]
async fn terminate_never_deletes_outside_the_namespace() {
    let mock = start_mock().await;
    let provider = provider_with_accounts(&mock, &["12-3", "12-34"]).await;
    for bucket in [
        "12-3.x",
        "12-34.y",
        "12-3-archive",
        "12-34-archive",
        "backups",
    ] {
        mock.create_bucket(bucket).unwrap();
        mock.put_object(bucket, "data", 1).unwrap();
    }
    mock.put_object("12-34", "data", 1).unwrap();

    provider.terminate(&user("12-3")).await.unwrap();
    assert_eq!(
        mock.buckets(),
        [
            "12-3-archive",
            "12-34",
            "12-34-archive",
            "12-34.y",
            "backups"
        ]
    );
    assert!(mock.user("12-34").is_some());
    assert_eq!(mock.objects("12-34").unwrap().len(), 1);

    provider.terminate(&user("12-34")).await.unwrap();
    assert_eq!(mock.buckets(), ["12-3-archive", "12-34-archive", "backups"]);
    for bucket in mock.buckets() {
        assert_eq!(
            mock.objects(&bucket).unwrap().len(),
            1,
            "{bucket} was emptied"
        );
    }
}

#[tokio::test]
async fn terminate_with_a_bucket_prefix_keeps_unprefixed_buckets() {
    let mock = start_mock().await;
    let provider = builder_for(&mock).bucket_prefix("u-").build().unwrap();
    create_plain_account(&provider, "alice").await;
    for bucket in ["alice", "alice.x", "u-alice.photos", "u-alicex"] {
        mock.create_bucket(bucket).unwrap();
    }
    provider.terminate(&user("alice")).await.unwrap();
    assert_eq!(mock.buckets(), ["alice", "alice.x", "u-alicex"]);
}
