//! Issue 12 on the MinIO mock: administrators untouchable, ownership before delete,
//! names that cannot reach another path, operator documents read as the server
//! reads them.

mod common;

use common::*;
use provision_core::error::DeletionRefusal;
use provision_core::protected::Protection;
use provision_core::testkit::{every_mutation_refused, expect_protected};
use provision_core::{Error, StorageProvider};
use provision_minio::client::{BucketName, ObjectKey, PolicyEntity};
use provision_minio::mock::MockMinio;
use provision_minio::{PolicyKind, PolicyTemplate};
use serde_json::json;

/// Every mutating call of the provider on `name` (core's list and MinIO's
/// `update_policy`), each with its error; create only where the account does not exist,
/// since an existing one is refused as taken.
async fn every_mutation(
    provider: &provision_minio::MinioProvider,
    name: &str,
) -> Vec<(&'static str, Error)> {
    let exists = provider.account(&user(name)).await.ok().flatten().is_some();
    let mut target = spec(name, plan(1, &[]));
    target.password = secret("new-password-1");
    let mut errors: Vec<(&'static str, Error)> =
        every_mutation_refused(provider, &target, &plan(1, &[]), &plan(2, &[]))
            .await
            .into_iter()
            .filter(|(method, _)| !(exists && *method == "create_account"))
            .collect();
    let update = provider.update_policy(&user(name), gb(1)).await;
    errors.push(("update_policy", update.unwrap_err()));
    errors
}

#[tokio::test]
async fn the_login_and_other_administrators_are_never_changed() {
    let mock = MockMinio::start().await;
    let (admin, _) = clients_for(&mock);
    // A second administrator (consoleAdmin's document) and one through a group.
    admin
        .add_canned_policy(
            "ops-admin",
            &json!({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["admin:*"]},
                {"Effect":"Allow","Action":["s3:*"],"Resource":["arn:aws:s3:::*"]}]}),
        )
        .await
        .unwrap();
    add_enabled_user(&admin, "ops-1", PASSWORD).await;
    admin
        .attach_policies(PolicyEntity::User("ops-1"), &["ops-admin"])
        .await
        .unwrap();
    add_enabled_user(&admin, "ops-2", PASSWORD).await;
    admin
        .update_group_members("operators", &["ops-2"], false)
        .await
        .unwrap();
    admin
        .attach_policies(PolicyEntity::Group("operators"), &["ops-admin"])
        .await
        .unwrap();
    let provider = provider_for(&mock);

    // The login: refused before any request (access keys compare byte for byte).
    mock.reset_request_count();
    let login = mock.access_key();
    for (method, error) in every_mutation(&provider, login).await {
        assert!(
            matches!(
                &error,
                Error::ProtectedAccount {
                    reason: Protection::ProviderLogin,
                    ..
                }
            ),
            "{method}: {error:?}"
        );
        expect_protected(method, &error, "the provider logs in with it");
    }
    assert_eq!(mock.request_count(), 0, "{:?}", request_paths(&mock));

    // Users whose policies (their own or a group's) grant admin actions.
    for name in ["ops-1", "ops-2"] {
        let before = mock.requests().len();
        let errors = every_mutation(&provider, name).await;
        let sent: Vec<String> = request_paths(&mock).split_off(before);
        let changes: Vec<&String> = sent
            .iter()
            .filter(|p| !p.starts_with("GET ") && !p.starts_with("HEAD "))
            .collect();
        assert!(changes.is_empty(), "{name}: changes sent: {changes:?}");
        for (method, error) in errors {
            assert!(
                matches!(
                    &error,
                    Error::ProtectedAccount { reason: Protection::Administrator { evidence }, .. }
                        if evidence.contains("ops-admin") && evidence.contains("admin:*")
                ),
                "{name} {method}: {error:?}"
            );
            expect_protected(method, &error, "ops-admin");
        }
        assert!(mock.user_secret_is(name, PASSWORD), "{name}");
        assert!(mock.user(name).unwrap().enabled, "{name}");
    }
}

#[tokio::test]
async fn terminate_refuses_buckets_it_cannot_show_are_the_tenants() {
    let mock = MockMinio::start().await;
    let (admin, _) = clients_for(&mock);
    let provider = provider_for(&mock);

    // A bucket named like a namespace, with no user at all.
    mock.create_bucket("orphan").unwrap();
    mock.create_bucket("orphan.photos").unwrap();
    mock.put_object("orphan", "keep.txt", 5).unwrap();
    let error = provider.terminate(&user("orphan")).await.unwrap_err();
    match &error {
        Error::DeletionRefused {
            resources, reason, ..
        } => {
            assert_eq!(*reason, DeletionRefusal::OwnershipUnproven);
            assert_eq!(resources, &["orphan", "orphan.photos"]);
        }
        other => panic!("{other:?}"),
    }
    assert!(error.to_string().contains("orphan.photos"), "{error}");

    // A user of that name that the provider did not make (no policy of ours).
    add_enabled_user(&admin, "orphan", PASSWORD).await;
    assert!(matches!(
        provider.terminate(&user("orphan")).await,
        Err(Error::DeletionRefused {
            reason: DeletionRefusal::OwnershipUnproven,
            ..
        })
    ));
    // Nothing was touched.
    let (_, s3) = clients_for(&mock);
    let kept = s3.list_all_objects(&bucket("orphan"), "").await.unwrap();
    assert_eq!(kept.len(), 1);
    assert!(s3.bucket_exists(&bucket("orphan.photos")).await.unwrap());
    assert!(mock.user("orphan").unwrap().enabled);

    // An account of ours is terminated, buckets and all.
    create_plain_account(&provider, "owned").await;
    mock.create_bucket("owned.extra").unwrap();
    provider.terminate(&user("owned")).await.unwrap();
    assert!(mock.user("owned").is_none());
    assert!(!s3.bucket_exists(&bucket("owned")).await.unwrap());
    assert!(!s3.bucket_exists(&bucket("owned.extra")).await.unwrap());
    // A second terminate (a retry after a crash) is a no-op.
    provider.terminate(&user("owned")).await.unwrap();
}

#[tokio::test]
async fn names_that_a_url_would_rewrite_cannot_be_sent() {
    for bad in [".", "..", "a/b", "%2e%2e", ""] {
        assert!(BucketName::new(bad).is_err(), "{bad:?}");
    }
    for bad in ["..", "../other/x", "a/../../b", "./a"] {
        assert!(ObjectKey::new(bad).is_err(), "{bad:?}");
    }
    assert!(provision_core::Username::new("..").is_err());
    assert!(provision_core::Username::new("${aws:username}").is_err());
}

/// Each S3 call that puts a name into a path sends exactly the path meant.
#[tokio::test]
async fn every_s3_call_sends_the_path_it_names() {
    let mock = MockMinio::start().await;
    let (_, s3) = clients_for(&mock);
    let b = bucket("u-1.a-b");
    let k = key("dir/x y+z/ä.txt");
    let encoded = "/u-1.a-b/dir/x%20y%2Bz/%C3%A4.txt";
    let expect = |mock: &MockMinio, method: &str, path: &str, query: &str| {
        let last = mock.requests().pop().expect("a request");
        assert_eq!(
            (last.method.as_str(), last.path.as_str()),
            (method, path),
            "{query}"
        );
        assert!(last.query.contains(query), "{} lacks {query}", last.query);
    };
    s3.make_bucket(&b).await.unwrap();
    expect(&mock, "PUT", "/u-1.a-b", "");
    s3.bucket_exists(&b).await.unwrap();
    expect(&mock, "HEAD", "/u-1.a-b", "");
    s3.put_object(&b, &k, b"x".to_vec()).await.unwrap();
    expect(&mock, "PUT", encoded, "");
    s3.list_objects_v2(&b, "", None).await.unwrap();
    expect(&mock, "GET", "/u-1.a-b", "list-type=2");
    s3.list_all_objects(&b, "dir/").await.unwrap();
    expect(&mock, "GET", "/u-1.a-b", "prefix=dir%2F");
    s3.list_object_versions(&b, "", None).await.unwrap();
    expect(&mock, "GET", "/u-1.a-b", "versions");
    s3.object_lock_enabled(&b).await.unwrap();
    expect(&mock, "GET", "/u-1.a-b", "object-lock");
    let public = provision_minio::mock::attack::public_write_policy("u-1.a-b");
    s3.put_bucket_policy(&b, public.as_bytes()).await.unwrap();
    expect(&mock, "PUT", "/u-1.a-b", "policy");
    assert_eq!(
        s3.bucket_policy(&b).await.unwrap().as_deref(),
        Some(public.as_str())
    );
    expect(&mock, "GET", "/u-1.a-b", "policy");
    s3.delete_bucket_policy(&b).await.unwrap();
    expect(&mock, "DELETE", "/u-1.a-b", "policy");
    assert_eq!(s3.bucket_policy(&b).await.unwrap(), None);
    s3.delete_objects(&b, &[current_version(k.as_str())])
        .await
        .unwrap();
    expect(&mock, "POST", "/u-1.a-b", "delete");
    s3.delete_bucket(&b).await.unwrap();
    expect(&mock, "DELETE", "/u-1.a-b", "");
}

#[tokio::test]
async fn operator_templates_are_checked_as_the_server_reads_them_before_any_request() {
    let mock = MockMinio::start().await;
    let attacks = [
        // A safe list, then a lower-case key MinIO would read instead.
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::{{namespace}}/*"}],"statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::*"}]}"#,
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::*"}]}"#,
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","action":["admin:*"],"Resource":"arn:aws:s3:::{{namespace}}"}]}"#,
        // s3:* includes PutBucketPolicy and object lock: not without the opt-in.
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":["arn:aws:s3:::{{namespace}}","arn:aws:s3:::{{namespace}}/*"]}]}"#,
    ];
    for json in attacks {
        // Either the parse refuses it, or the build does (it renders for a probe user).
        if let Ok(template) = PolicyTemplate::parse(json) {
            let built = builder_for(&mock)
                .policy_template(PolicyKind::Standard, template)
                .build();
            assert!(built.is_err(), "{json}");
        }
    }
    assert_eq!(mock.request_count(), 0);
}

/// The library's own documents, switched by the provider: a limited tenant adds no
/// byte by any route, whether or not it set a public bucket policy before the limit.
#[tokio::test]
async fn a_limited_tenant_cannot_add_bytes_by_any_route() {
    use provision_minio::mock::attack::{routes_that_add_bytes, set_public_write_policy};
    use provision_minio::wire::policy::{BucketFeature, BucketFeatures};

    let mock = start_mock().await;
    let tenant_secret = secret(PASSWORD);

    // Without the opt-in the tenant cannot make its bucket public even while it may
    // write; with bucket policies opted in it can, before the limit.
    let plain = provider_for(&mock);
    plain
        .create_account(&spec("plain", plan(1, &[])))
        .await
        .unwrap();
    let refused = set_public_write_policy(&mock, "plain", &tenant_secret, "plain").await;
    assert!(
        refused.is_err(),
        "the standard document let a tenant set a bucket policy"
    );

    let sharing = builder_for(&mock)
        .bucket_features(BucketFeatures::of([BucketFeature::BucketPolicy]))
        .build()
        .unwrap();
    sharing
        .create_account(&spec("sharer", plan(1, &[])))
        .await
        .unwrap();
    set_public_write_policy(&mock, "sharer", &tenant_secret, "sharer")
        .await
        .unwrap();
    assert!(mock.bucket_is_public("sharer"));

    for (provider, name) in [(&plain, "plain"), (&sharing, "sharer")] {
        provider.set_limited(&user(name), true).await.unwrap();
        let before = mock.stored_bytes(name);
        let routes = routes_that_add_bytes(&mock, name, &tenant_secret, name)
            .await
            .unwrap();
        assert!(routes.is_empty(), "{name}: bytes arrived by {routes:?}");
        assert_eq!(mock.stored_bytes(name), before, "{name}");
        assert!(!mock.bucket_is_public(name), "{name}");
        assert!(mock.bucket_policy(name).is_none(), "{name}");

        // Back under the limit, the tenant writes again (the test can tell).
        provider.set_limited(&user(name), false).await.unwrap();
        let routes = routes_that_add_bytes(&mock, name, &tenant_secret, name)
            .await
            .unwrap();
        assert!(
            routes.contains(&provision_minio::mock::attack::Route::SignedPut),
            "{name}: {routes:?}"
        );
    }
}

/// Object lock: the standard document denies it; where an operator opted in and a
/// tenant used it, terminate refuses with the locked buckets named and deletes nothing.
#[tokio::test]
async fn object_lock_buckets_stop_terminate_before_anything_is_deleted() {
    use provision_minio::mock::attack::RawClient;
    use provision_minio::wire::policy::{BucketFeature, BucketFeatures};

    let mock = start_mock().await;
    let tenant_secret = secret(PASSWORD);
    let plain = provider_for(&mock);
    plain
        .create_account(&spec("plain", plan(1, &[])))
        .await
        .unwrap();
    // Without the opt-in a tenant may make a lock-enabled bucket, but cannot put
    // anything in it under retention.
    let raw = RawClient::new(&mock, "plain", &tenant_secret);
    raw.make_locked_bucket("plain.locked").await.unwrap();
    raw.signed(reqwest::Method::PUT, "/plain.locked/a", "", b"x".to_vec())
        .await
        .unwrap()
        .success()
        .unwrap();
    let retention = raw
        .put_compliance_retention("plain.locked", "a", "2099-01-01T00:00:00Z")
        .await
        .unwrap();
    assert!(retention.success().is_err(), "retention without the opt-in");

    let locking = builder_for(&mock)
        .bucket_features(BucketFeatures::of([BucketFeature::ObjectLock]))
        .build()
        .unwrap();
    locking
        .create_account(&spec("locker", plan(1, &[])))
        .await
        .unwrap();
    let raw = RawClient::new(&mock, "locker", &tenant_secret);
    raw.make_locked_bucket("locker.vault").await.unwrap();
    raw.signed(
        reqwest::Method::PUT,
        "/locker.vault/kept",
        "",
        b"x".to_vec(),
    )
    .await
    .unwrap()
    .success()
    .unwrap();
    raw.put_compliance_retention("locker.vault", "kept", "2099-01-01T00:00:00Z")
        .await
        .unwrap()
        .success()
        .unwrap();
    let (_, s3) = clients_for(&mock);
    s3.put_object(&bucket("locker"), &key("plain.txt"), b"x".to_vec())
        .await
        .unwrap();

    let error = locking.terminate(&user("locker")).await.unwrap_err();
    match &error {
        Error::DeletionRefused {
            resources, reason, ..
        } => {
            assert_eq!(*reason, DeletionRefusal::ObjectLocked);
            assert_eq!(resources, &["locker.vault"]);
        }
        other => panic!("{other:?}"),
    }
    // Nothing half-deleted: the unlocked bucket and its object, the user, enabled.
    assert_eq!(
        s3.list_all_objects(&bucket("locker"), "")
            .await
            .unwrap()
            .len(),
        1
    );
    assert!(s3.bucket_exists(&bucket("locker.vault")).await.unwrap());
    assert!(mock.user("locker").unwrap().enabled);
}
