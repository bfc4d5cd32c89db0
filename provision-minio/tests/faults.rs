//! Fault injection: the retry rule, timeouts on reads and creates, and the undo of a
//! create that fails half-way.

mod common;

use std::time::{Duration, Instant};

use common::*;
use provision_core::http::RetryConfig;
use provision_core::testkit::expect_outcome_unknown;
use provision_core::{Error, ErrorKind, StorageProvider};
use provision_minio::mock::{Fault, MockMinio};
use provision_minio::MinioProvider;

/// A provider whose request timeout a [`Fault::delay`] of two seconds outlasts.
fn short_timeout_provider(mock: &MockMinio) -> MinioProvider {
    builder_for(mock)
        .options(short_timeout_options())
        .build()
        .unwrap()
}

/// A provider that sends every request once, without retries.
fn no_retry_provider(mock: &MockMinio) -> MinioProvider {
    builder_for(mock)
        .options(fast_options().with_retry(RetryConfig::none()))
        .build()
        .unwrap()
}

/// Makes every `PUT /<bucket>` (the make-bucket call) answer 500.
fn fail_making_bucket(mock: &MockMinio, bucket: &str) {
    mock.inject(
        Fault::server_error(500)
            .on_method("PUT")
            .on_path(format!("/{bucket}")),
    );
}

#[tokio::test]
async fn server_errors_then_success_are_retried() {
    let mock = start_mock().await;
    let provider = provider_for(&mock);
    mock.inject(Fault::server_error(503).times(2).on_path("user-info"));
    assert!(provider.account(&user("alice")).await.unwrap().is_none());
    assert_eq!(mock.request_count(), 3);
}

#[tokio::test]
async fn retries_spent_keep_the_servers_code() {
    let mock = start_mock().await;
    let provider = provider_for(&mock);
    mock.inject(Fault::server_error(500).times(10));
    let err = provider.account(&user("alice")).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transient);
    assert_eq!(err.server_code(), Some("InternalError"));
    assert_eq!(mock.request_count(), 4, "one attempt and three retries");
}

#[tokio::test]
async fn throttling_is_retried_after_a_backoff() {
    let mock = start_mock().await;
    let provider = builder_for(&mock)
        .options(fast_options().with_retry(RetryConfig::new(
            3,
            Duration::from_millis(40),
            Duration::from_millis(200),
            Duration::from_secs(10),
        )))
        .build()
        .unwrap();
    mock.inject(Fault::throttle().times(2).retry_after(Duration::ZERO));
    let started = Instant::now();
    provider.test_connection().await.unwrap();
    // Two backoffs of at least half of 40 ms and 80 ms.
    assert!(
        started.elapsed() >= Duration::from_millis(60),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(mock.request_count(), 3);
}

#[tokio::test]
async fn throttling_without_retries_is_rate_limited() {
    let mock = start_mock().await;
    let provider = no_retry_provider(&mock);
    mock.inject(Fault::throttle());
    let err = provider.test_connection().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::RateLimited);
    assert_eq!(err.server_code(), Some("TooManyRequests"));
    assert!(err.is_retryable());
}

#[tokio::test]
async fn a_timed_out_read_is_retried() {
    let mock = start_mock().await;
    let provider = short_timeout_provider(&mock);
    mock.inject(Fault::delay(Duration::from_secs(2)).on_path("user-info"));
    assert!(provider.account(&user("alice")).await.unwrap().is_none());
    assert_eq!(count_matching(&mock, "user-info"), 2);
}

#[tokio::test]
async fn a_create_that_timed_out_is_looked_up_not_sent_again() {
    let mock = start_mock().await;
    let provider = short_timeout_provider(&mock);
    // The server carries add-user out but answers after the client gave up.
    mock.inject(Fault::delay(Duration::from_secs(2)).on_path("add-user"));
    create_plain_account(&provider, "alice").await;
    assert_eq!(
        count_matching(&mock, "PUT add-user"),
        1,
        "{:?}",
        request_paths(&mock)
    );
    let alice = mock.user("alice").unwrap();
    assert!(alice.enabled);
    assert_eq!(alice.policies, ["provision-alice"]);
    assert_eq!(mock.buckets(), ["alice"]);
}

#[tokio::test]
async fn a_create_whose_request_was_lost_fails_and_undoes_its_steps() {
    let mock = start_mock().await;
    let provider = short_timeout_provider(&mock);
    // The connection "drops": add-user never happens and never answers in time.
    mock.inject(Fault::drop_connection().on_path("add-user"));
    let err = provider
        .create_account(&spec("alice", plan(1, &[])))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err}");
    assert!(err.may_have_reached_server());
    assert_eq!(count_matching(&mock, "PUT add-user"), 1, "sent again blind");
    assert!(mock.user("alice").is_none());
    assert!(
        mock.policy("provision-alice").is_none(),
        "the policy was not undone"
    );
}

#[tokio::test]
async fn a_make_bucket_timeout_is_settled_by_looking() {
    let mock = start_mock().await;
    let provider = short_timeout_provider(&mock);
    mock.inject(
        Fault::delay(Duration::from_secs(2))
            .on_method("PUT")
            .on_path("/alice"),
    );
    create_plain_account(&provider, "alice").await;
    assert_eq!(mock.buckets(), ["alice"]);
    assert_eq!(
        request_paths(&mock)
            .iter()
            .filter(|p| p.as_str() == "PUT /alice")
            .count(),
        1
    );
}

#[tokio::test]
async fn a_create_failing_half_way_undoes_in_reverse_order() {
    let mock = start_mock().await;
    let provider = no_retry_provider(&mock);
    // Every step works until the bucket: that one fails. (Admin calls carry
    // `accessKey=alice` in the query, never `/alice` in the path.)
    fail_making_bucket(&mock, "alice");
    let err = provider
        .create_account(&spec("alice", plan(1, &["fresh-group"])))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transient, "{err}");
    assert!(mock.user("alice").is_none());
    assert!(mock.policy("provision-alice").is_none());
    assert!(
        mock.group("fresh-group").is_none(),
        "the group this create made is left"
    );
    assert!(mock.buckets().is_empty());
    let paths = request_paths(&mock);
    let undo: Vec<&str> = paths
        .iter()
        .skip_while(|p| !p.starts_with("PUT /alice"))
        .skip(1)
        .map(|p| p.split('?').next().unwrap_or_default())
        .collect();
    assert_eq!(
        undo,
        [
            // The answer came from the server: whether the bucket exists is looked up
            // (once), and a bucket that is not there is not deleted.
            "HEAD /alice",
            "PUT update-group-members",
            "PUT update-group-members",
            "DELETE remove-user",
            "DELETE remove-canned-policy"
        ]
    );
}

#[tokio::test]
async fn a_failed_create_keeps_groups_it_did_not_make() {
    let mock = start_mock().await;
    let (admin, _) = clients_for(&mock);
    add_enabled_user(&admin, "operator", "operator-secret").await;
    admin
        .update_group_members("shared", &["operator"], false)
        .await
        .unwrap();
    let provider = no_retry_provider(&mock);
    fail_making_bucket(&mock, "alice");
    provider
        .create_account(&spec("alice", plan(1, &["shared"])))
        .await
        .unwrap_err();
    assert_eq!(mock.group("shared").unwrap().members, ["operator"]);
}

#[tokio::test]
async fn an_undo_that_fails_too_is_rollback_failed() {
    let mock = start_mock().await;
    let provider = no_retry_provider(&mock);
    fail_making_bucket(&mock, "alice");
    mock.inject(Fault::server_error(500).on_path("remove-user"));
    let err = provider
        .create_account(&spec("alice", plan(1, &[])))
        .await
        .unwrap_err();
    match &err {
        Error::RollbackFailed {
            operation,
            error,
            rollback,
        } => {
            assert_eq!(*operation, "create account");
            assert_eq!(error.kind(), ErrorKind::Transient);
            assert_eq!(rollback.server_code(), Some("InternalError"));
        }
        other => panic!("expected RollbackFailed, got {other}"),
    }
    // The undo went on after the failed step: the bucket is gone, the user is left
    // (its removal failed) and so is its mapped policy.
    assert!(mock.buckets().is_empty());
    assert!(mock.user("alice").is_some());
}

#[tokio::test]
async fn terminate_retries_through_transient_failures() {
    let mock = start_mock().await;
    let provider = provider_with_accounts(&mock, &["alice"]).await;
    for i in 0..10 {
        mock.put_object("alice", &format!("k{i}"), 1).unwrap();
    }
    mock.inject(Fault::server_error(503).on_path("delete").times(2));
    mock.inject(Fault::server_error(502).on_path("remove-canned-policy"));
    provider.terminate(&user("alice")).await.unwrap();
    assert!(mock.buckets().is_empty());
    assert!(mock.policy("provision-alice").is_none());
}

#[tokio::test]
async fn a_failed_lookup_after_a_lost_create_is_outcome_unknown() {
    let mock = start_mock().await;
    let provider = builder_for(&mock)
        .options(short_timeout_options().with_retry(RetryConfig::none()))
        .build()
        .unwrap();
    mock.inject(Fault::drop_connection().on_path("add-user"));
    // The existence check passes; the lookup after the lost add-user fails.
    mock.inject(Fault::server_error(500).on_path("user-info").after(1));
    let err = provider
        .create_account(&spec("alice", plan(1, &[])))
        .await
        .unwrap_err();
    // Never "done", never a plain failure: the account may or may not exist.
    let (operation, error, may_remain) = expect_outcome_unknown(&err);
    assert_eq!(operation, "create account");
    assert!(matches!(error, Error::Transport(_)), "{err}");
    assert_eq!(may_remain, ["account alice".to_owned()]);
    assert_eq!(count_matching(&mock, "user-info"), 2, "one lookup");
    // The steps before it were undone.
    assert!(mock.policy("provision-alice").is_none());
}

/// Alice moved from the `small` plan to the `large` one by a provider without retries,
/// with the policy write (the last step) failing and `also` injected: the error.
async fn small_to_large_failing_at_the_policy(mock: &MockMinio, also: Option<Fault>) -> Error {
    let provider = no_retry_provider(mock);
    let small = plan(1, &["small"]);
    let large = plan(2, &["large"]);
    provider
        .create_account(&spec("alice", small.clone()))
        .await
        .unwrap();
    mock.inject(Fault::server_error(500).on_path("add-canned-policy"));
    if let Some(fault) = also {
        mock.inject(fault);
    }
    provider
        .change_plan(&user("alice"), &small, &large)
        .await
        .unwrap_err()
}

#[tokio::test]
async fn a_change_plan_failing_half_way_restores_the_groups() {
    let mock = start_mock().await;
    let err = small_to_large_failing_at_the_policy(&mock, None).await;
    assert_eq!(err.kind(), ErrorKind::Transient);
    assert_eq!(mock.user("alice").unwrap().groups, ["small"]);
    assert!(
        mock.group("large").is_none(),
        "the group change_plan made is left"
    );
}

#[tokio::test]
async fn a_lost_group_join_is_settled_by_looking() {
    let mock = start_mock().await;
    // No retries (a join is idempotent: a retry would resend it), and a timeout that
    // the encrypted calls before the join keep well within on a busy machine.
    let provider = builder_for(&mock)
        .options(
            fast_options()
                .with_timeout(Duration::from_millis(1500))
                .with_retry(RetryConfig::none()),
        )
        .build()
        .unwrap();
    // The join is carried out but answered after the client gave up.
    mock.inject(Fault::delay(Duration::from_secs(4)).on_path("update-group-members"));
    provider
        .create_account(&spec("alice", plan(1, &["basic"])))
        .await
        .unwrap();
    assert_eq!(mock.group("basic").unwrap().members, ["alice"]);
    assert_eq!(count_matching(&mock, "PUT update-group-members"), 1);
}

#[tokio::test]
async fn a_change_plan_whose_undo_fails_is_rollback_failed() {
    let mock = start_mock().await;
    // The join of `large` and the leave of `small` pass; both undos fail.
    let undo_fails = Fault::server_error(500)
        .on_path("update-group-members")
        .after(2)
        .times(2);
    let err = small_to_large_failing_at_the_policy(&mock, Some(undo_fails)).await;
    let Error::RollbackFailed {
        operation,
        error,
        rollback,
    } = &err
    else {
        panic!("expected RollbackFailed, got {err}");
    };
    assert_eq!(*operation, "change plan");
    assert_eq!(error.kind(), ErrorKind::Transient);
    assert_eq!(rollback.server_code(), Some("InternalError"));
}
