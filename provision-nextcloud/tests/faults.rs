//! Fault injection: what the retry rule and the create settlement do under failures.

mod common;

use std::time::{Duration, Instant};

use common::*;
use provision_core::error::TransportFailure;
use provision_core::{Error, ErrorKind, StorageProvider};
use provision_nextcloud::mock::Fault;

#[tokio::test]
async fn server_errors_then_success_are_retried() {
    let (mock, provider) = with_timeout(Duration::from_secs(5)).await;
    mock.add_user("ann", PASSWORD);
    mock.inject(Fault::server_error(503).times(2));
    let account = provider.account(&user("ann")).await.unwrap();
    assert!(account.is_some());
    assert_eq!(count(&mock, "GET", "/users/ann"), 3);
}

#[tokio::test]
async fn server_errors_that_persist_are_transient() {
    let (mock, provider) = with_timeout(Duration::from_secs(5)).await;
    mock.inject(Fault::server_error(502).times(10));
    let err = provider.account(&user("ann")).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transient);
    assert!(err.is_retryable());
    // One attempt and three retries.
    assert_eq!(mock.request_count(), 4);
}

#[tokio::test]
async fn throttling_backs_off_and_retries() {
    let (mock, provider) = with_timeout(Duration::from_secs(5)).await;
    mock.add_user("ben", PASSWORD);
    mock.inject(Fault::throttle().times(2).on_method("PUT"));
    provider
        .change_password(&user("ben"), &secret("new-Passw0rd-here"))
        .await
        .unwrap();
    assert!(mock.check_password("ben", "new-Passw0rd-here"));
    assert_eq!(count(&mock, "PUT", "/users/ben"), 3);
}

#[tokio::test]
async fn a_timeout_on_an_idempotent_read_is_retried() {
    let (mock, provider) = with_timeout(Duration::from_millis(300)).await;
    mock.add_user("cleo", PASSWORD);
    mock.inject(Fault::delay(Duration::from_secs(2)).on_method("GET"));
    let usage = provider.usage(&user("cleo")).await.unwrap();
    assert!(usage.used.is_some());
    assert_eq!(count(&mock, "GET", "/users/cleo"), 2);
}

#[tokio::test]
async fn a_dropped_connection_on_a_read_is_retried() {
    let (mock, provider) = with_timeout(Duration::from_millis(300)).await;
    mock.add_user("dora", PASSWORD);
    mock.inject(Fault::drop_connection().on_path("/users/dora"));
    assert!(provider.account(&user("dora")).await.unwrap().is_some());
    assert_eq!(count(&mock, "GET", "/users/dora"), 2);
}

/// The create reached the server but its answer came too late: the account is looked
/// up and found, not created a second time.
#[tokio::test]
async fn a_timed_out_create_is_looked_up_not_sent_again() {
    let (mock, provider) = with_timeout(Duration::from_millis(300)).await;
    mock.inject(
        Fault::delay(Duration::from_secs(2))
            .on_method("POST")
            .on_path(CREATE_PATH),
    );
    let created = provider
        .create_account(&spec("eddy", plan("3 GB", &["late"])))
        .await
        .unwrap();
    assert_eq!(created.username.as_str(), "eddy");
    assert_eq!(created.quota, Some(quota("3 GB")));
    assert_eq!(
        count(&mock, "POST", CREATE_PATH),
        1,
        "{:?}",
        mock.requests()
    );
    let eddy = mock.user("eddy").unwrap();
    assert_eq!(
        (eddy.quota.as_str(), eddy.groups.clone()),
        ("3 GB", vec!["late".to_string()])
    );
}

/// The create never reached the server (the connection dropped before it was carried
/// out): the lookup finds nothing, the error is returned, nothing is sent again and the
/// group made for it is removed.
#[tokio::test]
async fn a_dropped_create_is_looked_up_and_reported() {
    let (mock, provider) = with_timeout(Duration::from_millis(300)).await;
    mock.inject(
        Fault::drop_connection()
            .on_method("POST")
            .on_path(CREATE_PATH),
    );
    let started = Instant::now();
    let err = provider
        .create_account(&spec("fay", plan("1 GB", &["dropped"])))
        .await
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(
        matches!(&err, Error::Transport(t) if t.failure == TransportFailure::Timeout),
        "{err:?}"
    );
    assert_eq!(count(&mock, "POST", CREATE_PATH), 1);
    assert!(
        count(&mock, "GET", "/users/fay") >= 2,
        "looked up before and after"
    );
    assert!(mock.user("fay").is_none());
    assert!(!mock.groups().contains(&"dropped".to_string()));
}

#[tokio::test]
async fn a_fault_applies_only_to_matching_requests() {
    let (mock, provider) = with_timeout(Duration::from_secs(5)).await;
    mock.add_user("gus", PASSWORD);
    mock.inject(Fault::server_error(500).on_path("/groups").times(1));
    provider.account(&user("gus")).await.unwrap();
    assert_eq!(mock.request_count(), 1, "the fault was not for this path");
    provider.list_groups().await.unwrap();
    assert_eq!(count(&mock, "GET", "/cloud/groups"), 2);
}

#[tokio::test]
async fn latency_applies_to_every_answer() {
    let (mock, provider) = with_timeout(Duration::from_secs(5)).await;
    mock.set_latency(Duration::from_millis(60));
    let started = Instant::now();
    provider.account(&user("nobody")).await.unwrap();
    provider.account(&user("nobody")).await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(120));
}
