//! The RustFS dialect: the same provider works against a server that answers in XML,
//! with its own codes, snake_case data usage, a wrapped info message and id-2 replies.

mod common;

use common::*;
use provision_core::{ByteSize, ErrorKind, StorageProvider};
use provision_minio::mock::{Dialect, MockMinio};

async fn rustfs() -> MockMinio {
    MockMinio::builder().dialect(Dialect::RustFs).start().await
}

#[tokio::test]
async fn test_connection_names_rustfs_and_its_version() {
    let mock = rustfs().await;
    let info = provider_for(&mock).test_connection().await.unwrap();
    assert_eq!(info.product, "RustFS");
    assert_eq!(info.version.as_deref(), Some("1.0.1"));
}

#[tokio::test]
async fn errors_in_xml_keep_rustfs_codes() {
    let mock = rustfs().await;
    let (admin, _) = clients_for(&mock);
    let err = add_user_error(&admin, "ab", "long-enough").await;
    // RustFS answers a short access key with 500 InternalError.
    assert_eq!(err.server_code(), Some("InternalError"));
    assert_eq!(err.kind(), ErrorKind::Transient);
    let group = admin.group_info("nope").await.unwrap();
    assert!(group.is_none(), "NoSuchResource is read as not found");
}

/// Trap: RustFS answers set-user-status for an unknown user with 500, so suspend
/// looks the user up first and says NotFound without retrying a 500.
#[tokio::test]
async fn trap_suspending_a_missing_user_is_not_found() {
    let mock = rustfs().await;
    let provider = provider_for(&mock);
    let err = provider.suspend(&user("nobody")).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
    assert_eq!(count_matching(&mock, "set-user-status"), 0);
}

#[tokio::test]
async fn lifecycle_and_usage_in_snake_case() {
    let mock = rustfs().await;
    let provider = provider_for(&mock);
    let alice = user("alice");
    provider
        .create_account(&spec("alice", plan(1, &["team"])))
        .await
        .unwrap();
    // RustFS accepts an existing bucket with 200; create still refuses the name.
    assert_eq!(
        provider
            .create_account(&spec("alice", plan(1, &[])))
            .await
            .unwrap_err()
            .kind(),
        ErrorKind::AlreadyExists
    );
    mock.create_bucket("alice.x").unwrap();
    mock.put_object("alice.x", "f", 77).unwrap();
    mock.refresh_usage();
    assert_eq!(
        provider.usage(&alice).await.unwrap().used,
        Some(ByteSize::new(77))
    );
    let all = provider.usage_all().await.unwrap();
    assert_eq!(all.len(), 1);
    assert!(all[0].1.measured_at.is_some());
    provider.set_limited(&alice, true).await.unwrap();
    provider.set_limited(&alice, true).await.unwrap();
    provider.terminate(&alice).await.unwrap();
    assert!(mock.buckets().is_empty());
    assert!(mock.user("alice").is_none());
}

#[tokio::test]
async fn attaching_twice_succeeds_on_rustfs() {
    let mock = rustfs().await;
    let (admin, _) = clients_for(&mock);
    add_enabled_user(&admin, "alice", "alice-secret").await;
    let who = provision_minio::client::PolicyEntity::User("alice");
    admin.attach_policies(who, &["readonly"]).await.unwrap();
    // RustFS says 200 where MinIO says "already applied": both are success.
    admin.attach_policies(who, &["readonly"]).await.unwrap();
    assert_eq!(mock.user("alice").unwrap().policies, ["readonly"]);
}
