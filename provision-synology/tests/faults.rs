//! Injected faults: retries, timeouts, session expiry in a sweep, undo of partial work.

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::*;
use provision_core::http::RetryConfig;
use provision_core::testkit::expect_outcome_unknown;
use provision_core::{ByteSize, Error, ErrorKind, StorageProvider};
use provision_synology::mock::{Fault, MockSynology};

#[tokio::test]
async fn a_5xx_is_retried_until_it_passes() {
    let (dsm, provider) = setup().await;
    dsm.inject(Fault::http_status(503).times(2));
    assert!(provider.account(&user("alice")).await.unwrap().is_none());
    assert_eq!(dsm.calls("SYNO.Core.User", "list"), 3);
}

#[tokio::test]
async fn a_5xx_that_persists_is_a_transient_error_with_the_status() {
    let (dsm, provider) = setup().await;
    dsm.inject(Fault::http_status(502).times(10));
    let err = provider.account(&user("alice")).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transient);
    assert!(err.is_retryable());
    assert_eq!(
        dsm.calls("SYNO.Core.User", "list"),
        4,
        "first try and 3 retries"
    );
}

#[tokio::test]
async fn throttling_is_retried_after_the_wait_the_server_asks_for() {
    let (dsm, provider) = setup().await;
    dsm.inject(Fault::throttled(Duration::from_secs(1)));
    let started = std::time::Instant::now();
    assert!(provider.account(&user("alice")).await.unwrap().is_none());
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After honoured"
    );
    assert_eq!(dsm.calls("SYNO.Core.User", "list"), 2);
}

#[tokio::test]
async fn dsm_busy_is_retried_with_backoff_on_reads() {
    let (dsm, provider) = setup().await;
    provider
        .create_account(&spec("alice", small()))
        .await
        .unwrap();
    dsm.reset_request_count();
    dsm.inject(Fault::busy().only("SYNO.Core.Quota").times(2));
    assert!(provider.usage(&user("alice")).await.is_ok());
    assert_eq!(dsm.calls("SYNO.Core.Quota", "get"), 3);
}

#[tokio::test]
async fn dsm_busy_on_a_create_is_not_sent_again() {
    let (dsm, provider) = setup().await;
    dsm.inject(Fault::busy().only(".create"));
    let err = provider
        .create_account(&spec("alice", small()))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transient);
    assert_eq!(err.server_code(), Some("117"));
    assert_eq!(dsm.calls("SYNO.Core.User", "create"), 1);
    assert!(dsm.user("alice").is_none());
}

#[tokio::test]
async fn a_timed_out_read_is_retried() {
    let dsm = MockSynology::start().await;
    let provider = with_timeout(&dsm, Duration::from_millis(300)).await;
    dsm.inject(Fault::delay(Duration::from_millis(900)).only("SYNO.Core.User.list"));
    assert!(provider.account(&user("alice")).await.unwrap().is_none());
    assert_eq!(dsm.calls("SYNO.Core.User", "list"), 2);
}

#[tokio::test]
async fn a_timed_out_create_is_looked_up_not_sent_again() {
    let (dsm, provider) = impatient_setup().await;
    // DSM creates the user, but the answer comes too late.
    dsm.inject(Fault::delay(Duration::from_millis(900)).only(".create"));
    let info = provider
        .create_account(&spec("alice", small()))
        .await
        .unwrap();
    assert_eq!(info.username.as_str(), "alice");
    assert_eq!(dsm.calls("SYNO.Core.User", "create"), 1, "never re-sent");
    assert_eq!(
        dsm.calls("SYNO.Core.User", "list"),
        2,
        "existence check, then lookup"
    );
    assert!(dsm
        .user("alice")
        .unwrap()
        .groups
        .contains(&SMALL.to_string()));
}

#[tokio::test]
async fn a_dropped_create_that_never_ran_fails_without_a_second_send() {
    let (dsm, provider) = impatient_setup().await;
    dsm.inject(Fault::drop_connection().only(".create"));
    let err = provider
        .create_account(&spec("alice", small()))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert!(err.may_have_reached_server());
    assert_eq!(dsm.calls("SYNO.Core.User", "create"), 1);
    assert!(dsm.user("alice").is_none());
}

#[tokio::test]
async fn a_failed_group_join_deletes_the_new_user() {
    let (dsm, provider) = setup().await;
    dsm.inject(Fault::api_error(3205).only("SYNO.Core.Group.Member.add"));
    let err = provider
        .create_account(&spec("alice", small()))
        .await
        .unwrap_err();
    assert_eq!(err.server_code(), Some("3205"));
    assert!(dsm.user("alice").is_none(), "undone");
    assert_eq!(dsm.calls("SYNO.Core.User", "delete"), 1);
}

#[tokio::test]
async fn a_failed_undo_is_reported_with_both_errors() {
    let (dsm, provider) = setup().await;
    dsm.inject(Fault::api_error(3205).only("SYNO.Core.Group.Member.add"));
    dsm.inject(Fault::api_error(3116).only("SYNO.Core.User.delete"));
    let err = provider
        .create_account(&spec("alice", small()))
        .await
        .unwrap_err();
    match &err {
        Error::RollbackFailed {
            operation,
            error,
            rollback,
        } => {
            assert_eq!(operation.to_string(), "create_account");
            assert_eq!(error.server_code(), Some("3205"));
            assert_eq!(rollback.server_code(), Some("3116"));
        }
        other => panic!("expected RollbackFailed, got {other:?}"),
    }
    assert!(
        dsm.user("alice").is_some(),
        "the state is half-done, and says so"
    );
}

#[tokio::test]
async fn a_failed_leave_during_change_plan_undoes_the_join() {
    let (dsm, provider) = setup().await;
    provider
        .create_account(&spec("alice", small()))
        .await
        .unwrap();
    dsm.inject(Fault::api_error(3202).only("SYNO.Core.Group.Member.remove"));
    let err = provider
        .change_plan(&user("alice"), &small(), &large())
        .await
        .unwrap_err();
    assert_eq!(err.server_code(), Some("3202"));
    let groups = dsm.user("alice").unwrap().groups;
    assert!(
        groups.contains(&SMALL.to_string()) && !groups.contains(&LARGE.to_string()),
        "{groups:?}"
    );
}

#[tokio::test]
async fn session_expiry_in_the_middle_of_a_sweep_costs_one_login() {
    let (dsm, provider) = setup().await;
    for i in 0..80 {
        let name = format!("sweep{i:02}");
        dsm.add_user(&name, PASSWORD);
        dsm.set_usage(&name, ByteSize::new((i + 1) << 20));
    }
    dsm.reset_request_count();
    // 83 users are two batched reads; the session dies before the second.
    dsm.inject(Fault::expire_sessions().only("SYNO.Entry.Request").after(1));
    let all = provider.usage_all().await.unwrap();
    assert_eq!(all.len(), dsm.user_names().len());
    assert!(all
        .iter()
        .filter(|(u, _)| u.as_str().starts_with("sweep"))
        .all(|(_, usage)| usage.used.is_some_and(|b| b.bytes() > 0)));
    assert_eq!(
        dsm.calls("SYNO.API.Auth", "login"),
        1,
        "exactly one re-login"
    );
    assert_eq!(dsm.session_count(), 1);
}

#[tokio::test]
async fn concurrent_callers_share_one_new_session() {
    let (dsm, provider) = setup().await;
    let provider = Arc::new(provider);
    dsm.expire_sessions();
    dsm.reset_request_count();
    let calls: Vec<_> = (0..8)
        .map(|_| {
            let p = provider.clone();
            tokio::spawn(async move { p.account(&user("alice")).await })
        })
        .collect();
    for call in calls {
        assert!(call.await.unwrap().unwrap().is_none());
    }
    assert_eq!(dsm.calls("SYNO.API.Auth", "login"), 1);
}

#[tokio::test]
async fn a_session_error_after_renewal_is_returned_not_looped() {
    let (dsm, provider) = setup().await;
    dsm.inject(Fault::api_error(119).only("SYNO.Core.User.list").times(5));
    let err = provider.account(&user("alice")).await.unwrap_err();
    assert_eq!(err.server_code(), Some("119"));
    assert_eq!(
        dsm.calls("SYNO.Core.User", "list"),
        2,
        "sent, renewed, re-sent once"
    );
    assert_eq!(dsm.calls("SYNO.API.Auth", "login"), 1);
}

#[tokio::test]
async fn latency_applies_to_every_answer() {
    let (dsm, provider) = setup().await;
    dsm.set_latency(Duration::from_millis(40));
    let started = std::time::Instant::now();
    provider.account(&user("alice")).await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(40));
}

#[tokio::test]
async fn an_unknown_route_answers_loudly() {
    let dsm = MockSynology::start().await;
    let answer = reqwest::Client::new()
        .post(format!("{}/webapi/nope.cgi", dsm.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status().as_u16(), 404);
    let body = answer.text().await.unwrap();
    assert!(body.contains("POST /webapi/nope.cgi"), "{body}");
    let unknown_api = reqwest::Client::new()
        .post(format!("{}/webapi/entry.cgi", dsm.url()))
        .form(&[("api", "SYNO.Nope"), ("version", "1"), ("method", "get")])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(unknown_api.contains("\"code\":102"), "{unknown_api}");
}

#[tokio::test]
async fn no_retries_means_one_attempt() {
    let dsm = MockSynology::start().await;
    let options = MockSynology::fast_client_options().with_retry(RetryConfig::none());
    let provider = dsm.provider_builder().options(options).build().unwrap();
    provider.client().login().await.unwrap();
    dsm.reset_request_count();
    dsm.inject(Fault::http_status(500));
    assert!(provider.account(&user("alice")).await.is_err());
    assert_eq!(dsm.request_count(), 1);
}

#[tokio::test]
async fn a_proxy_5xx_on_create_is_settled_by_a_lookup_not_a_second_send() {
    let (dsm, provider) = setup().await;
    dsm.inject(Fault::http_status(502).only(".create"));
    let err = provider
        .create_account(&spec("alice", small()))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transient);
    assert_eq!(dsm.calls("SYNO.Core.User", "create"), 1);
    assert_eq!(
        dsm.calls("SYNO.Core.User", "list"),
        2,
        "existence check, then lookup"
    );
}

#[tokio::test]
async fn a_dsm_without_the_password_policy_api_still_provisions() {
    let dsm = MockSynology::start().await;
    dsm.remove_api("SYNO.Core.User.PasswordPolicy");
    dsm.add_group(SMALL, "1 GB".parse().unwrap());
    let provider = dsm.provider_builder().build().unwrap();
    provider
        .create_account(&spec("alice", small()))
        .await
        .unwrap();
    // DSM still enforces its own policy.
    let err = provider
        .change_password(&user("alice"), &secret("weakpass"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert_eq!(err.server_code(), Some("3121"));
}

#[tokio::test]
async fn a_lost_create_answer_with_a_failing_lookup_is_outcome_unknown() {
    let (dsm, provider) = impatient_setup().await;
    // DSM creates the user, the answer is lost, and the one lookup fails too.
    dsm.inject(Fault::delay(Duration::from_millis(900)).only(".create"));
    dsm.inject(Fault::api_error(100).only("SYNO.Core.User.list").after(1));
    let err = provider
        .create_account(&spec("alice", small()))
        .await
        .unwrap_err();
    let (operation, _, may_remain) = expect_outcome_unknown(&err);
    assert_eq!(operation, "create_account");
    assert_eq!(may_remain, ["account alice".to_string()]);
    assert_eq!(dsm.calls("SYNO.Core.User", "create"), 1);
    assert_eq!(
        dsm.calls("SYNO.Core.User", "list"),
        2,
        "one lookup, no more"
    );
}

/// A join whose every answer is lost (DSM joins, the answer comes too late).
fn lost_join_answers() -> Fault {
    Fault::delay(Duration::from_millis(900))
        .only("SYNO.Core.Group.Member.add")
        .times(1000)
}

#[tokio::test]
async fn a_lost_join_answer_with_a_failing_lookup_is_never_done() {
    let (dsm, provider) = impatient_setup().await;
    dsm.inject(lost_join_answers());
    dsm.inject(Fault::api_error(100).only("SYNO.Core.User.Group.get"));
    let err = provider
        .create_account(&spec("alice", small()))
        .await
        .unwrap_err();
    let (operation, _, may_remain) = expect_outcome_unknown(&err);
    assert_eq!(operation, "create_account");
    assert_eq!(
        may_remain.first().map(String::as_str),
        Some("membership of plan-small")
    );
    assert!(dsm.user("alice").is_none(), "the account was undone");
    assert_eq!(dsm.calls("SYNO.Core.User.Group", "get"), 1, "one lookup");
}

#[tokio::test]
async fn a_lost_join_answer_is_settled_by_the_membership() {
    let (dsm, provider) = impatient_setup().await;
    dsm.inject(lost_join_answers());
    let info = provider
        .create_account(&spec("alice", small()))
        .await
        .unwrap();
    assert!(info.groups.iter().any(|g| g.as_str() == SMALL));
    assert!(in_group(&dsm, "alice", SMALL));
}

#[tokio::test]
async fn a_lost_join_that_did_not_happen_is_undone() {
    let (dsm, provider) = impatient_setup().await;
    // Dropped without being handled: the membership is absent, the lookup says so.
    dsm.inject(
        Fault::drop_connection()
            .only("SYNO.Core.Group.Member.add")
            .times(1000),
    );
    let err = provider
        .create_account(&spec("alice", small()))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert!(dsm.user("alice").is_none(), "the account was undone");
}
