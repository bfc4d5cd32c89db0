//! Create and change-plan through core's `Undoable`: what a failure leaves behind.

mod common;

use std::time::Duration;

use common::*;
use provision_core::testkit::expect_outcome_unknown;
use provision_core::{Error, ErrorKind, StorageProvider};
use provision_nextcloud::mock::Fault;

/// The group made for the account is the earlier step; the refused create the later.
#[tokio::test]
async fn a_refused_create_removes_the_group_made_for_it() {
    let (mock, provider) = with_timeout(Duration::from_secs(5)).await;
    mock.inject(
        Fault::server_error(403)
            .on_method("POST")
            .on_path(CREATE_PATH),
    );
    let err = provider
        .create_account(&spec("vera", plan("1 GB", &["made-for-vera"])))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::PermissionDenied, "{err:?}");
    assert!(mock.user("vera").is_none());
    assert!(
        !mock.groups().contains(&"made-for-vera".to_string()),
        "{:?}",
        mock.groups()
    );
}

#[tokio::test]
async fn a_group_that_cannot_be_removed_is_rollback_failed() {
    let (mock, provider) = with_timeout(Duration::from_secs(5)).await;
    mock.inject(
        Fault::server_error(403)
            .on_method("POST")
            .on_path(CREATE_PATH),
    );
    mock.inject(
        Fault::server_error(500)
            .on_method("DELETE")
            .on_path("/cloud/groups/")
            .times(10),
    );
    let err = provider
        .create_account(&spec("walt", plan("1 GB", &["made-for-walt"])))
        .await
        .unwrap_err();
    let Error::RollbackFailed {
        operation,
        error,
        rollback,
    } = &err
    else {
        panic!("expected RollbackFailed, got {err:?}");
    };
    assert_eq!(*operation, "create account");
    assert_eq!(error.kind(), ErrorKind::PermissionDenied);
    assert_eq!(rollback.kind(), ErrorKind::Transient);
    assert!(mock.groups().contains(&"made-for-walt".to_string()));
}

/// The create's answer is lost and so is the lookup that would settle it: the result
/// is "outcome unknown" naming the account, never success and never a plain failure.
#[tokio::test]
async fn a_lost_create_whose_lookup_fails_is_outcome_unknown() {
    let (mock, provider) = with_timeout(Duration::from_millis(300)).await;
    mock.inject(
        Fault::delay(Duration::from_secs(2))
            .on_method("POST")
            .on_path(CREATE_PATH),
    );
    // Once the create has arrived (the existence check before it must still work),
    // every read of the account fails.
    let break_lookups = async {
        while !mock
            .requests()
            .iter()
            .any(|r| r == &format!("POST {CREATE_PATH}"))
        {
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        mock.inject(
            Fault::server_error(500)
                .on_method("GET")
                .on_path("/cloud/users/ivy")
                .times(100),
        );
    };
    let ivy = spec("ivy", plan("1 GB", &[]));
    let (result, ()) = tokio::join!(provider.create_account(&ivy), break_lookups);
    let err = result.unwrap_err();
    let (operation, error, may_remain) = expect_outcome_unknown(&err);
    assert_eq!(operation, "create account");
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert_eq!(may_remain, ["account ivy".to_string()]);
    assert_eq!(count(&mock, "POST", CREATE_PATH), 1, "never sent twice");
    // The delayed create was carried out: this is what "may remain" warns about.
    assert!(mock.user("ivy").is_some());
}

/// A refused quota change is the later step of a package change whose earlier step (a
/// group join) went through: the join is taken back.
#[tokio::test]
async fn a_failed_change_plan_step_undoes_the_earlier_ones() {
    let (mock, provider) = with_timeout(Duration::from_secs(5)).await;
    let basic = plan("1 GB", &["plan-basic"]);
    provider
        .create_account(&spec("yuri", basic.clone()))
        .await
        .unwrap();
    let pro = plan("2 GB", &["plan-basic", "plan-pro"]);
    mock.add_group("plan-pro");
    mock.inject(
        Fault::server_error(403)
            .on_method("POST")
            .on_path("/users/yuri/groups"),
    );
    let err = provider
        .change_plan(&user("yuri"), &basic, &pro)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::PermissionDenied, "{err:?}");
    let yuri = mock.user("yuri").unwrap();
    assert_eq!(yuri.quota, "1 GB", "the quota set first was restored");
    assert_eq!(yuri.groups, vec!["plan-basic"]);
}
