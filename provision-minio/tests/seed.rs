//! The mock's seed and snapshot format, its root credentials, faults as JSON and the
//! request log's statuses: what `provision mock minio` builds on.

mod common;

use common::*;
use provision_core::StorageProvider;
use provision_minio::mock::attack::RawClient;
use provision_minio::mock::seed::{Seed, SeedError};
use provision_minio::mock::{Fault, MockError, MockMinio};
use reqwest::Method;
use serde_json::json;

/// A mock holding some of everything: accounts made through the provider, a group,
/// a versioned bucket with a delete marker, a bucket policy, a quota and a scan.
async fn busy_mock() -> MockMinio {
    let mock = start_mock().await;
    let provider = provider_with_accounts(&mock, &["alice", "bobby"]).await;
    provider.suspend(&user("bobby")).await.unwrap();
    let (admin, s3) = clients_for(&mock);
    admin
        .update_group_members("basic", &["alice"], false)
        .await
        .unwrap();
    // The provider made the bucket `alice`.
    s3.put_object(&bucket("alice"), &key("a.txt"), vec![1; 10])
        .await
        .unwrap();
    mock.create_bucket("archive").unwrap();
    mock.set_versioning("archive", true).unwrap();
    mock.put_object("archive", "log", 100).unwrap();
    mock.put_object("archive", "log", 50).unwrap();
    mock.delete_object("archive", "log").unwrap();
    let policy = provision_minio::mock::attack::public_write_policy("archive");
    RawClient::new(&mock, mock.access_key(), &mock.secret_key())
        .signed(Method::PUT, "/archive", "policy=", policy.into_bytes())
        .await
        .unwrap()
        .success()
        .unwrap();
    mock.refresh_usage();
    mock
}

#[tokio::test]
async fn a_snapshot_loaded_as_seed_gives_the_same_state_back() {
    let mock = busy_mock().await;
    let snapshot = mock.snapshot();
    assert_eq!(snapshot.users.len(), 2);
    assert_eq!(snapshot.objects.len(), 4, "{snapshot:#?}");

    // Through JSON, as --state stores it.
    let text = serde_json::to_string(&snapshot.to_json()).unwrap();
    let read = Seed::from_json(serde_json::from_str(&text).unwrap()).unwrap();
    assert_eq!(read, snapshot);

    let copy = start_mock().await;
    copy.load_seed(&read).unwrap();
    assert_eq!(copy.snapshot(), snapshot);
    assert_eq!(copy.user("bobby").map(|u| u.enabled), Some(false));
    assert_eq!(copy.group("basic").unwrap().members, ["alice"]);
    assert_eq!(copy.stored_bytes("archive"), 150);
    assert!(copy.bucket_is_public("archive"));
    // The loaded user signs with the secret the snapshot kept.
    let alice = provision_minio::mock::attack::RawClient::new(
        &copy,
        "alice",
        &snapshot.users[0].secret_key,
    );
    assert_eq!(
        alice
            .signed(Method::GET, "/alice", "list-type=2", Vec::new())
            .await
            .unwrap()
            .status,
        200
    );
    // A new version gets an id the seed did not hold.
    let fresh = copy.put_object("archive", "log", 1).unwrap();
    assert!(snapshot
        .objects
        .iter()
        .all(|o| o.version_id.as_deref() != Some(&fresh)));
}

#[tokio::test]
async fn the_loaded_usage_is_what_data_usage_answers_until_the_next_scan() {
    let mock = start_mock().await;
    let seed = Seed::from_json(json!({
        "buckets": [{"name": "carol"}],
        "objects": [{"bucket": "carol", "key": "k", "size": 5}],
        "usage": {"last_update": "2026-01-02T03:04:05Z",
                  "buckets": {"carol": {"size": 4096, "objects": 1, "versions": 1}}}
    }))
    .unwrap();
    mock.load_seed(&seed).unwrap();
    let (admin, _) = clients_for(&mock);
    let usage = admin.data_usage().await.unwrap();
    assert_eq!(usage.buckets["carol"].size, 4096);
    mock.refresh_usage();
    assert_eq!(admin.data_usage().await.unwrap().buckets["carol"].size, 5);
}

#[test]
fn an_unknown_field_is_refused_by_name() {
    let error = Seed::from_json(json!({
        "users": [{"access_key": "dave", "secret_key": "dave-secret", "colour": "red"}]
    }))
    .unwrap_err();
    assert!(error.to_string().contains("colour"), "{error}");
    let error = Seed::from_json(json!({"bucket": []})).unwrap_err();
    assert!(error.to_string().contains("bucket"), "{error}");
}

#[tokio::test]
async fn a_seed_that_breaks_a_server_rule_is_refused_naming_the_item_and_changes_nothing() {
    let mock = start_mock().await;
    mock.create_bucket("kept").unwrap();
    let cases = [
        (
            json!({"users": [{"access_key": "eve", "secret_key": "short"}]}),
            "users[0] \"eve\"",
        ),
        (
            json!({"users": [{"access_key": "e=v", "secret_key": "long-enough"}]}),
            "users[0]",
        ),
        (
            json!({"users": [{"access_key": "eve", "secret_key": "long-enough", "policies": ["nope"]}]}),
            "no policy \"nope\"",
        ),
        (
            json!({"groups": [{"name": "g", "members": ["ghost"]}]}),
            "no user \"ghost\"",
        ),
        (json!({"buckets": [{"name": "Bad_Name"}]}), "buckets[0]"),
        (
            json!({"objects": [{"bucket": "missing", "key": "k", "size": 1}]}),
            "no such bucket",
        ),
        (
            json!({"policies": [{"name": "readwrite", "document": {}}]}),
            "built-in",
        ),
        (
            json!({"policies": [{"name": "p", "document": {"Statement": []}}]}),
            "policies[0]",
        ),
        (
            json!({"usage": {"buckets": {"missing": {"size": 1}}}}),
            "usage.buckets",
        ),
        (
            json!({"users": [{"access_key": "minioadmin", "secret_key": "long-enough"}]}),
            "root",
        ),
    ];
    for (document, expected) in cases {
        let seed = Seed::from_json(document.clone()).unwrap();
        let error = mock.load_seed(&seed).unwrap_err();
        assert!(
            matches!(error, SeedError::Invalid { .. }),
            "{document}: {error:?}"
        );
        assert!(error.to_string().contains(expected), "{document}: {error}");
    }
    assert_eq!(mock.buckets(), ["kept"]);
}

#[test]
fn a_snapshot_says_nothing_of_secrets_in_debug() {
    let seed = Seed::from_json(json!({
        "users": [{"access_key": "frank", "secret_key": "frank-very-secret"}]
    }))
    .unwrap();
    assert!(!format!("{seed:?}").contains("frank-very-secret"));
    // ... but keeps them for the next run.
    assert_eq!(
        seed.to_json()["users"][0]["secret_key"],
        "frank-very-secret"
    );
}

#[tokio::test]
async fn root_credentials_are_the_ones_given() {
    let mock = mock_builder()
        .root_credentials("operator", secret("operator-secret"))
        .unwrap()
        .start()
        .await;
    assert_eq!(mock.access_key(), "operator");
    provider_for(&mock).test_connection().await.unwrap();
    let default = RawClient::new(&mock, "minioadmin", &secret("minioadmin-mock-secret"));
    let answer = default
        .signed(Method::GET, "/minio/admin/v3/info", "", Vec::new())
        .await
        .unwrap();
    assert_eq!(answer.status, 403, "{}", answer.text());
}

#[test]
fn root_credentials_minio_would_not_start_with_are_refused() {
    for (access, secret_key) in [
        ("ab", "long-enough"),
        ("a,b", "long-enough"),
        ("abc", "1234567"),
    ] {
        let error = MockMinio::builder()
            .root_credentials(access, secret(secret_key))
            .unwrap_err();
        assert!(
            matches!(error, MockError::InvalidRootCredentials(_)),
            "{access}"
        );
        assert!(!error.to_string().contains(secret_key));
    }
}

#[tokio::test]
async fn a_fault_read_from_json_applies_and_the_log_has_each_status() {
    let mock = start_mock().await;
    let fault: Fault = serde_json::from_value(json!({
        "kind": {"server_error": 503}, "times": 1, "path_contains": "/minio/admin/v3/info"
    }))
    .unwrap();
    assert_eq!(
        fault,
        Fault::server_error(503).on_path("/minio/admin/v3/info")
    );
    mock.inject(fault);
    let root = RawClient::new(&mock, mock.access_key(), &mock.secret_key());
    let first = root
        .signed(Method::GET, "/minio/admin/v3/info", "", Vec::new())
        .await
        .unwrap();
    let second = root
        .signed(Method::GET, "/minio/admin/v3/info", "", Vec::new())
        .await
        .unwrap();
    assert_eq!((first.status, second.status), (503, 200));
    let statuses: Vec<u16> = mock.requests().iter().map(|r| r.status).collect();
    assert_eq!(statuses, [503, 200]);

    let throttle: Fault =
        serde_json::from_value(json!({"kind": {"throttle": {"retry_after_ms": 2000}}})).unwrap();
    assert_eq!(
        throttle,
        Fault::throttle().retry_after(std::time::Duration::from_secs(2))
    );
    let unknown = serde_json::from_value::<Fault>(json!({"kind": {"delay": 5}, "often": 2}));
    assert!(unknown.unwrap_err().to_string().contains("often"));
}

#[tokio::test]
async fn head_object_answers_the_size_and_version_without_a_body() {
    let mock = start_mock().await;
    mock.create_bucket("gina").unwrap();
    mock.set_versioning("gina", true).unwrap();
    let version = mock.put_object("gina", "doc.pdf", 1234).unwrap();
    let root = RawClient::new(&mock, mock.access_key(), &mock.secret_key());
    let answer = root
        .signed(Method::HEAD, "/gina/doc.pdf", "", Vec::new())
        .await
        .unwrap();
    assert_eq!(answer.status, 200);
    assert_eq!(answer.header("content-length"), Some("1234".to_owned()));
    assert_eq!(answer.header("x-amz-version-id"), Some(version));
    assert!(answer
        .header("last-modified")
        .is_some_and(|d| d.ends_with(" GMT")));
    assert!(answer.body.is_empty());
    let missing = root
        .signed(Method::HEAD, "/gina/nothing", "", Vec::new())
        .await
        .unwrap();
    assert_eq!(missing.status, 404);
}

/// The keys and common prefixes of a ListObjectsV2 answer, and its next token.
fn listing(
    answer: &provision_minio::mock::attack::Answer,
) -> (Vec<String>, Vec<String>, Option<String>) {
    let text = answer.text();
    let between = |open: &str, close: &str| -> Vec<String> {
        text.split(open)
            .skip(1)
            .filter_map(|rest| rest.split(close).next())
            .map(str::to_owned)
            .collect()
    };
    let keys = between("<Key>", "</Key>");
    let prefixes = between("<CommonPrefixes><Prefix>", "</Prefix>");
    let token = between("<NextContinuationToken>", "</NextContinuationToken>").pop();
    (keys, prefixes, token)
}

#[tokio::test]
async fn a_delimiter_listing_rolls_keys_up_into_common_prefixes_across_pages() {
    let mock = start_mock().await;
    mock.create_bucket("hana").unwrap();
    for key in ["a.txt", "docs/1", "docs/2", "docs/sub/3", "z"] {
        mock.put_object("hana", key, 1).unwrap();
    }
    let root = RawClient::new(&mock, mock.access_key(), &mock.secret_key());
    let list = |query: String| {
        let root = root.clone();
        async move {
            root.signed(Method::GET, "/hana", &query, Vec::new())
                .await
                .unwrap()
        }
    };
    let first = list("delimiter=%2F&list-type=2&max-keys=2".into()).await;
    assert_eq!(first.status, 200, "{}", first.text());
    let (keys, prefixes, token) = listing(&first);
    assert_eq!(
        (keys, prefixes),
        (vec!["a.txt".to_owned()], vec!["docs/".to_owned()])
    );
    let token = token.expect("the first page is truncated");
    let second = list(format!(
        "continuation-token={token}&delimiter=%2F&list-type=2&max-keys=2"
    ))
    .await;
    let (keys, prefixes, token) = listing(&second);
    assert_eq!(
        (keys, prefixes, token),
        (vec!["z".to_owned()], vec![], None)
    );

    let inside = list("delimiter=%2F&list-type=2&prefix=docs%2F".into()).await;
    let (keys, prefixes, _) = listing(&inside);
    assert_eq!(keys, ["docs/1", "docs/2"]);
    assert_eq!(prefixes, ["docs/sub/"]);
}
