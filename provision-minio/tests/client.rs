//! The wire clients against the mock: admin calls, S3 calls with pagination and
//! batching, error mapping, and the negotiations (admin prefix, payload algorithm,
//! legacy policy API).

mod common;

use common::*;
use provision_core::ErrorKind;
use provision_minio::client::{
    connect, AdminClient, ObjectIdentifier, PolicyChange, PolicyEntity, ServerProduct, UserStatus,
    DEFAULT_REGION, RUSTFS_ADMIN_PREFIX,
};
use provision_minio::mock::{Dialect, MockMinio};
use provision_minio::wire::madmin::Algorithm;
use serde_json::json;

fn doc(bucket: &str) -> serde_json::Value {
    json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["s3:*"], "Resource": [format!("arn:aws:s3:::{bucket}")]}
    ]})
}

#[tokio::test]
async fn users_round_trip_through_the_admin_api() {
    let mock = start_mock().await;
    let (admin, _) = clients_for(&mock);
    add_enabled_user(&admin, "alice", "alice-secret").await;
    let info = admin.user_info("alice").await.unwrap().unwrap();
    assert_eq!(info.status, UserStatus::Enabled);
    assert!(info.policies().is_empty());
    admin
        .set_user_status("alice", UserStatus::Disabled)
        .await
        .unwrap();
    assert_eq!(
        admin.user_info("alice").await.unwrap().unwrap().status,
        UserStatus::Disabled
    );
    assert!(admin.user_info("nobody").await.unwrap().is_none());
    let users = admin.list_users().await.unwrap();
    assert_eq!(users.keys().collect::<Vec<_>>(), ["alice"]);
    assert!(admin.remove_user("alice").await.unwrap());
    assert!(!admin.remove_user("alice").await.unwrap());
}

#[tokio::test]
async fn admin_errors_keep_minios_code_and_message() {
    let mock = start_mock().await;
    let (admin, _) = clients_for(&mock);
    let cases = [
        (
            admin
                .set_user_status("nobody", UserStatus::Enabled)
                .await
                .unwrap_err(),
            "XMinioAdminNoSuchUser",
            ErrorKind::NotFound,
        ),
        (
            add_user_error(&admin, "ab", "long-enough").await,
            "XMinioAdminInvalidAccessKey",
            ErrorKind::InvalidInput,
        ),
        (
            add_user_error(&admin, "a=b", "long-enough").await,
            "XMinioAdminInvalidAccessKey",
            ErrorKind::InvalidInput,
        ),
        (
            add_user_error(&admin, "alice", "short").await,
            "XMinioAdminInvalidSecretKey",
            ErrorKind::InvalidInput,
        ),
        (
            add_user_error(&admin, mock.access_key(), "long-enough").await,
            "XMinioInvalidIAMCredentials",
            ErrorKind::PermissionDenied,
        ),
        (
            admin
                .add_canned_policy("p", &json!({"Statement": []}))
                .await
                .unwrap_err(),
            "XMinioMalformedIAMPolicy",
            ErrorKind::InvalidInput,
        ),
        (
            admin.remove_user(mock.access_key()).await.unwrap_err(),
            "XMinioIAMActionNotAllowed",
            ErrorKind::PermissionDenied,
        ),
        (
            admin
                .attach_policies(PolicyEntity::User("nobody"), &["readwrite"])
                .await
                .unwrap_err(),
            "XMinioAdminNoSuchUser",
            ErrorKind::NotFound,
        ),
        (
            admin
                .update_group_members("g", &["nobody"], false)
                .await
                .unwrap_err(),
            "XMinioAdminNoSuchUser",
            ErrorKind::NotFound,
        ),
        (
            admin
                .set_bucket_quota("nobucket", Some(10))
                .await
                .unwrap_err(),
            "NoSuchBucket",
            ErrorKind::NotFound,
        ),
    ];
    for (err, code, kind) in cases {
        assert_eq!(err.server_code(), Some(code), "{err}");
        assert_eq!(err.kind(), kind, "{err}");
        assert!(
            !err.server_message().unwrap_or_default().is_empty(),
            "{err}"
        );
    }
}

#[tokio::test]
async fn canned_policies_are_added_replaced_read_and_removed() {
    let mock = start_mock().await;
    let (admin, _) = clients_for(&mock);
    admin.add_canned_policy("p1", &doc("a")).await.unwrap();
    assert_eq!(admin.canned_policy("p1").await.unwrap().unwrap(), doc("a"));
    admin.add_canned_policy("p1", &doc("b")).await.unwrap();
    assert_eq!(admin.canned_policy("p1").await.unwrap().unwrap(), doc("b"));
    assert!(admin.canned_policy("nope").await.unwrap().is_none());
    let all = admin.list_canned_policies().await.unwrap();
    assert!(all.contains_key("p1") && all.contains_key("readwrite"));
    admin.remove_canned_policy("p1").await.unwrap();
    admin.remove_canned_policy("p1").await.unwrap();
    assert!(admin.canned_policy("p1").await.unwrap().is_none());
}

/// Trap: a mapped policy cannot be removed.
#[tokio::test]
async fn trap_removing_a_mapped_policy_is_refused() {
    let mock = start_mock().await;
    let (admin, _) = clients_for(&mock);
    admin.add_canned_policy("p1", &doc("a")).await.unwrap();
    add_enabled_user(&admin, "alice", "alice-secret").await;
    admin
        .attach_policies(PolicyEntity::User("alice"), &["p1"])
        .await
        .unwrap();
    let err = admin.remove_canned_policy("p1").await.unwrap_err();
    assert_eq!(err.server_code(), Some("XMinioIAMPolicyInUse"));
}

/// Trap: attaching an attached policy answers "already applied"; it is success.
#[tokio::test]
async fn trap_attaching_an_attached_policy_counts_as_success() {
    let mock = start_mock().await;
    let (admin, _) = clients_for(&mock);
    admin.add_canned_policy("p1", &doc("a")).await.unwrap();
    add_enabled_user(&admin, "alice", "alice-secret").await;
    let alice = PolicyEntity::User("alice");
    assert_eq!(
        admin.attach_policies(alice, &["p1"]).await.unwrap(),
        PolicyChange::Applied
    );
    assert_eq!(
        admin.attach_policies(alice, &["p1"]).await.unwrap(),
        PolicyChange::AlreadyApplied
    );
    assert_eq!(mock.user("alice").unwrap().policies, ["p1"]);
    assert_eq!(
        admin.detach_policies(alice, &["p1"]).await.unwrap(),
        PolicyChange::Applied
    );
    assert_eq!(
        admin.detach_policies(alice, &["p1"]).await.unwrap(),
        PolicyChange::AlreadyApplied
    );
    assert!(mock.user("alice").unwrap().policies.is_empty());
    assert!(!admin.uses_legacy_policy_api());
}

/// Trap: servers before RELEASE.2023-01-02 have no attach/detach; set-policy replaces.
#[tokio::test]
async fn trap_old_server_without_attach_uses_set_policy() {
    let mock = mock_builder().legacy_policy_api(true).start().await;
    let (admin, _) = clients_for(&mock);
    admin.add_canned_policy("p1", &doc("a")).await.unwrap();
    admin.add_canned_policy("p2", &doc("b")).await.unwrap();
    add_enabled_user(&admin, "alice", "alice-secret").await;
    let alice = PolicyEntity::User("alice");
    assert_eq!(
        admin.attach_policies(alice, &["p1"]).await.unwrap(),
        PolicyChange::Applied
    );
    assert!(admin.uses_legacy_policy_api());
    assert_eq!(
        admin.attach_policies(alice, &["p2"]).await.unwrap(),
        PolicyChange::Applied
    );
    assert_eq!(
        admin.attach_policies(alice, &["p2"]).await.unwrap(),
        PolicyChange::AlreadyApplied
    );
    assert_eq!(mock.user("alice").unwrap().policies, ["p1", "p2"]);
    assert_eq!(
        admin.detach_policies(alice, &["p1"]).await.unwrap(),
        PolicyChange::Applied
    );
    assert_eq!(mock.user("alice").unwrap().policies, ["p2"]);
    // The 426 answer was seen once; later calls go straight to set-policy.
    assert_eq!(count_matching(&mock, "policy/attach"), 1);
    assert!(count_matching(&mock, "set-user-or-group-policy") >= 3);
}

#[tokio::test]
async fn provider_works_on_a_server_without_attach() {
    use provision_core::StorageProvider;
    let mock = mock_builder().legacy_policy_api(true).start().await;
    let provider = provider_with_accounts(&mock, &["alice"]).await;
    assert_eq!(mock.user("alice").unwrap().policies, ["provision-alice"]);
    provider.terminate(&user("alice")).await.unwrap();
    assert!(mock.policy("provision-alice").is_none());
}

/// Trap: servers before RELEASE.2021-05-11 cannot decrypt id 2: fall back to id 0.
#[tokio::test]
async fn trap_old_server_without_pbkdf2_gets_argon2_payloads() {
    let mock = MockMinio::builder().accepts_pbkdf2(false).start().await;
    let (admin, _) = clients_for(&mock);
    assert_eq!(admin.request_algorithm(), Algorithm::Pbkdf2AesGcm);
    add_enabled_user(&admin, "alice", "alice-secret").await;
    assert_eq!(admin.request_algorithm(), Algorithm::Argon2idAesGcm);
    assert!(mock.user_secret_is("alice", "alice-secret"));
    assert_eq!(count_matching(&mock, "PUT add-user"), 2);
}

#[tokio::test]
async fn requests_use_pbkdf2_where_the_server_accepts_it() {
    let mock = start_mock().await;
    let (admin, _) = clients_for(&mock);
    add_enabled_user(&admin, "alice", "alice-secret").await;
    assert_eq!(admin.request_algorithm(), Algorithm::Pbkdf2AesGcm);
    assert_eq!(count_matching(&mock, "PUT add-user"), 1);
}

/// Encrypted answers come with any id: the client decrypts all three.
#[tokio::test]
async fn encrypted_answers_of_every_id_decrypt() {
    for algorithm in [
        Algorithm::Argon2idAesGcm,
        Algorithm::Argon2idChaCha20Poly1305,
        Algorithm::Pbkdf2AesGcm,
    ] {
        let mock = MockMinio::builder()
            .reply_algorithm(algorithm)
            .start()
            .await;
        let (admin, _) = clients_for(&mock);
        admin
            .add_user("alice", &secret("alice-secret"), UserStatus::Disabled)
            .await
            .unwrap();
        let users = admin.list_users().await.unwrap();
        assert_eq!(users["alice"].status, UserStatus::Disabled, "{algorithm:?}");
    }
}

#[tokio::test]
async fn groups_are_created_listed_and_deleted_when_empty() {
    let mock = start_mock().await;
    let (admin, _) = clients_for(&mock);
    add_enabled_user(&admin, "alice", "alice-secret").await;
    admin
        .update_group_members("team", &["alice"], false)
        .await
        .unwrap();
    let group = admin.group_info("team").await.unwrap().unwrap();
    assert_eq!(group.members, ["alice"]);
    assert_eq!(admin.list_groups().await.unwrap(), ["team"]);
    let err = admin
        .update_group_members("team", &[], true)
        .await
        .unwrap_err();
    assert_eq!(err.server_code(), Some("XMinioAdminGroupNotEmpty"));
    admin
        .update_group_members("team", &["alice"], true)
        .await
        .unwrap();
    admin.update_group_members("team", &[], true).await.unwrap();
    assert!(admin.group_info("team").await.unwrap().is_none());
    admin.add_canned_policy("p1", &doc("a")).await.unwrap();
    admin
        .update_group_members("team", &["alice"], false)
        .await
        .unwrap();
    admin
        .attach_policies(PolicyEntity::Group("team"), &["p1"])
        .await
        .unwrap();
    assert_eq!(
        admin.group_info("team").await.unwrap().unwrap().policies(),
        ["p1"]
    );
    admin
        .set_group_status("team", UserStatus::Disabled)
        .await
        .unwrap();
    assert_eq!(
        admin.group_info("team").await.unwrap().unwrap().status,
        UserStatus::Disabled
    );
}

#[tokio::test]
async fn bucket_quota_is_set_read_and_cleared() {
    let mock = start_mock().await;
    let (admin, s3) = clients_for(&mock);
    s3.make_bucket(&bucket("alice")).await.unwrap();
    assert!(admin.bucket_quota("alice").await.unwrap().is_none());
    admin
        .set_bucket_quota("alice", Some(1 << 30))
        .await
        .unwrap();
    assert_eq!(
        admin.bucket_quota("alice").await.unwrap().unwrap().size,
        1 << 30
    );
    assert_eq!(mock.bucket_quota("alice"), Some(1 << 30));
    admin.set_bucket_quota("alice", None).await.unwrap();
    assert!(admin.bucket_quota("alice").await.unwrap().is_none());
}

#[tokio::test]
async fn data_usage_reflects_the_last_scan() {
    let mock = start_mock().await;
    let (admin, _) = clients_for(&mock);
    let before = admin.data_usage().await.unwrap();
    assert!(before.last_update.is_none() && before.buckets.is_empty());
    mock.create_bucket("a-1").unwrap();
    mock.put_object("a-1", "x", 7).unwrap();
    mock.refresh_usage();
    let after = admin.data_usage().await.unwrap();
    assert_eq!(after.buckets["a-1"].size, 7);
    assert_eq!(after.objects_total_size, 7);
    assert!(after.last_update.is_some());
}

#[tokio::test]
async fn buckets_are_made_listed_and_deleted() {
    let mock = start_mock().await;
    let (_, s3) = clients_for(&mock);
    s3.make_bucket(&bucket("alice")).await.unwrap();
    let err = s3.make_bucket(&bucket("alice")).await.unwrap_err();
    assert_eq!(err.server_code(), Some("BucketAlreadyOwnedByYou"));
    assert_eq!(err.kind(), ErrorKind::AlreadyExists);
    let err = s3.make_bucket(&bucket("Bad_Name")).await.unwrap_err();
    assert_eq!(err.server_code(), Some("InvalidBucketName"));
    assert!(s3.bucket_exists(&bucket("alice")).await.unwrap());
    assert!(!s3.bucket_exists(&bucket("bob")).await.unwrap());
    assert_eq!(s3.list_buckets().await.unwrap()[0].name, "alice");
    s3.put_object(&bucket("alice"), &key("a b/ü+.txt"), b"hello".to_vec())
        .await
        .unwrap();
    let err = s3.delete_bucket(&bucket("alice")).await.unwrap_err();
    assert_eq!(err.server_code(), Some("BucketNotEmpty"));
    s3.delete_objects(&bucket("alice"), &[current_version("a b/ü+.txt")])
        .await
        .unwrap();
    assert!(s3.delete_bucket(&bucket("alice")).await.unwrap());
    assert!(!s3.delete_bucket(&bucket("alice")).await.unwrap());
}

#[tokio::test]
async fn list_objects_v2_paginates_with_continuation_tokens() {
    let mock = start_mock().await;
    let (_, s3) = clients_for(&mock);
    mock.create_bucket("alice").unwrap();
    for i in 0..2300 {
        mock.put_object("alice", &format!("dir/{i:05}"), i).unwrap();
    }
    mock.put_object("alice", "other/x y+z", 1).unwrap();
    let first = s3
        .list_objects_v2(&bucket("alice"), "dir/", None)
        .await
        .unwrap();
    assert_eq!(first.objects.len(), 1000);
    assert!(first.next_continuation_token.is_some());
    mock.reset_request_count();
    let all = s3.list_all_objects(&bucket("alice"), "dir/").await.unwrap();
    assert_eq!(all.len(), 2300);
    assert_eq!(mock.request_count(), 3);
    assert_eq!(all[1234].key, "dir/01234");
    assert_eq!(all[1234].size, 1234);
    let other = s3
        .list_all_objects(&bucket("alice"), "other/")
        .await
        .unwrap();
    assert_eq!(other[0].key, "other/x y+z");
}

#[tokio::test]
async fn object_versions_paginate_with_key_and_version_markers() {
    let mock = start_mock().await;
    let (_, s3) = clients_for(&mock);
    mock.create_bucket("alice").unwrap();
    mock.set_versioning("alice", true).unwrap();
    for i in 0..1500 {
        mock.put_object("alice", "same-key", i).unwrap();
    }
    mock.delete_object("alice", "same-key").unwrap();
    let mut marker = None;
    let mut seen = Vec::new();
    loop {
        let page = s3
            .list_object_versions(&bucket("alice"), "", marker.as_ref())
            .await
            .unwrap();
        seen.extend(page.versions);
        match page.next {
            Some(next) => marker = Some(next),
            None => break,
        }
    }
    assert_eq!(seen.len(), 1501);
    assert!(seen[0].is_delete_marker && seen[0].is_latest);
    assert_eq!(seen[1].size, 1499);
    assert_eq!(seen[1500].size, 0);
    let ids: std::collections::BTreeSet<_> = seen.iter().map(|v| &v.version_id).collect();
    assert_eq!(ids.len(), 1501, "a version was listed twice");
}

/// Trap: a multi-object delete needs Content-MD5 and takes at most 1000 keys; the
/// client batches and checks per-key errors.
#[tokio::test]
async fn trap_multi_delete_batches_with_content_md5() {
    let mock = start_mock().await;
    let (_, s3) = clients_for(&mock);
    mock.create_bucket("alice").unwrap();
    let ids: Vec<ObjectIdentifier> = (0..2001)
        .map(|i| {
            let key = format!("k{i}");
            mock.put_object("alice", &key, 1).unwrap();
            current_version(&key)
        })
        .collect();
    mock.reset_request_count();
    s3.delete_objects(&bucket("alice"), &ids).await.unwrap();
    assert_eq!(mock.request_count(), 3);
    assert!(mock.objects("alice").unwrap().is_empty());
}

#[tokio::test]
async fn per_key_delete_errors_fail_the_call() {
    let mock = start_mock().await;
    provider_with_accounts(&mock, &["alice"]).await;
    mock.create_bucket("other").unwrap();
    mock.put_object("other", "k", 1).unwrap();
    let tenant = tenant_s3(&mock, "alice", PASSWORD);
    let err = tenant
        .delete_objects(&bucket("other"), &[current_version("k")])
        .await
        .unwrap_err();
    assert_eq!(err.server_code(), Some("AccessDenied"));
    assert_eq!(mock.objects("other").unwrap().len(), 1);
}

#[tokio::test]
async fn the_admin_prefix_moves_to_rustfs_when_only_that_one_answers() {
    let mock = MockMinio::builder()
        .dialect(Dialect::RustFs)
        .serves_minio_admin_prefix(false)
        .start()
        .await;
    let (admin, _) = clients_for(&mock);
    let info = admin.server_info().await.unwrap();
    assert_eq!(info.product, ServerProduct::RustFs);
    assert_eq!(admin.admin_prefix(), RUSTFS_ADMIN_PREFIX);
    mock.reset_request_count();
    assert!(admin.user_info("nobody").await.unwrap().is_none());
    assert_eq!(mock.request_count(), 1, "the prefix is remembered");
}

#[tokio::test]
async fn a_pinned_admin_prefix_is_used_as_is() {
    let mock = MockMinio::builder().dialect(Dialect::RustFs).start().await;
    let (admin, _) = clients_for(&mock);
    let admin: AdminClient = admin.with_admin_prefix("rustfs/admin/v3/");
    admin.server_info().await.unwrap();
    assert_eq!(mock.requests()[0].path, "/rustfs/admin/v3/info");
}

#[tokio::test]
async fn s3_calls_are_signed_for_the_configured_region() {
    let mock = mock_builder().region("eu-central-1").start().await;
    let (_, wrong) = clients_for(&mock);
    let err = wrong.make_bucket(&bucket("alice")).await.unwrap_err();
    assert_eq!(err.server_code(), Some("AuthorizationHeaderMalformed"));
    let (admin, right) = connect(
        &mock.url(),
        mock.credentials(),
        "eu-central-1",
        &fast_options(),
    )
    .unwrap();
    right.make_bucket(&bucket("alice")).await.unwrap();
    // Admin calls sign with an empty region and are accepted whatever the server's.
    assert_eq!(
        admin.server_info().await.unwrap().region.as_deref(),
        Some("eu-central-1")
    );
    let _ = DEFAULT_REGION;
}
