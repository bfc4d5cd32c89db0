//! The traps of the facts sheet that a naive client gets wrong, one test each.

mod common;

use std::time::Duration;

use common::*;
use provision_core::http::RetryConfig;
use provision_core::{ByteSize, Error, ErrorKind, Quota, StorageProvider};
use provision_nextcloud::client::{QuotaLimit, QuotaValue, UserField};
use provision_nextcloud::mock::{Fault, MockNextcloud};
use provision_nextcloud::NextcloudProvider;

/// Nextcloud 34 refuses writes made with an app password (403 "Password confirmation
/// is required"); the error must tell the operator to use the account password.
#[tokio::test]
async fn app_passwords_cannot_write_and_the_error_says_so() {
    let (mock, provider) = mock_and_provider().await;
    mock.add_user("existing", PASSWORD);
    mock.set_admin_uses_app_password(true);

    let err = provider
        .create_account(&spec("newcomer", plan("1 GB", &[])))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::PermissionDenied);
    assert_eq!(err.server_code(), Some("403"));
    let message = err.server_message().unwrap();
    assert!(
        message.starts_with("Password confirmation is required"),
        "{message}"
    );
    assert!(message.contains("not an app password"), "{message}");
    assert!(mock.user("newcomer").is_none());

    let err = provider.suspend(&user("existing")).await.unwrap_err();
    assert!(err.to_string().contains("not an app password"), "{err}");
    // Reads still work with an app password.
    assert!(provider.account(&user("existing")).await.unwrap().is_some());
    assert!(provider.test_connection().await.unwrap().is_admin);
}

/// Edits are rate-limited per admin account with a bare HTTP 429: the provider backs
/// off and retries until the window lets it through.
#[tokio::test]
async fn rate_limited_edits_back_off_and_retry() {
    let mock = MockNextcloud::start().await;
    mock.set_edit_rate_limit(Some((2, Duration::from_millis(300))));
    let options = fast_options(Duration::from_secs(5)).with_retry(RetryConfig::new(
        8,
        Duration::from_millis(100),
        Duration::from_millis(400),
        Duration::from_secs(10),
    ));
    let provider = mock.provider_builder().options(options).build().unwrap();
    mock.add_user("nora", PASSWORD);

    for i in 0..4 {
        let password = format!("rotated-Passw0rd-{i}");
        provider
            .change_password(&user("nora"), &secret(&password))
            .await
            .unwrap();
        assert!(mock.check_password("nora", &password));
    }
    // Two of the four edits were answered 429 at least once and sent again.
    assert!(
        count(&mock, "PUT", "/users/nora") > 4,
        "{:?}",
        mock.requests()
    );
}

/// When the limit outlasts the retries, the error is a retryable RateLimited one.
#[tokio::test]
async fn an_exhausted_rate_limit_is_reported_as_rate_limited() {
    let mock = MockNextcloud::start().await;
    mock.set_edit_rate_limit(Some((1, Duration::from_secs(600))));
    let provider = mock.provider().unwrap();
    mock.add_user("olga", PASSWORD);
    provider
        .change_password(&user("olga"), &secret("first-Passw0rd-ok"))
        .await
        .unwrap();
    let err = provider
        .change_password(&user("olga"), &secret("second-Passw0rd-ok"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::RateLimited);
    assert!(err.is_retryable());
    assert!(
        matches!(&err, Error::Server(e) if e.http_status == Some(429)),
        "{err:?}"
    );
}

/// Nothing in the usage sweep edits: it works with the edit budget spent.
#[tokio::test]
async fn the_usage_sweep_uses_no_edits() {
    let mock = MockNextcloud::start().await;
    mock.set_edit_rate_limit(Some((0, Duration::from_secs(600))));
    let provider = mock.provider().unwrap();
    for id in ["p1", "p2", "p3"] {
        mock.add_user(id, PASSWORD);
        mock.set_used(id, ByteSize::new(42));
    }
    let all = provider.usage_all().await.unwrap();
    assert_eq!(all.len(), 4);
    provider.usage(&user("p1")).await.unwrap();
    assert!(
        mock.requests().iter().all(|r| r.starts_with("GET ")),
        "{:?}",
        mock.requests()
    );
}

/// A create whose quota the server refuses still creates the account (status 101 after
/// creation). The provider validates quotas first, and when the server refuses one
/// anyway (here: above the instance's `max_quota`) it undoes the partial create.
#[tokio::test]
async fn a_create_refused_for_its_quota_is_undone() {
    let (mock, provider) = mock_and_provider().await;
    // The trap itself: the server creates the account, then refuses the quota.
    let raw = reqwest::Client::new()
        .post(format!("{}/ocs/v2.php/cloud/users?format=json", mock.url()))
        .basic_auth("admin", Some(provision_nextcloud::mock::ADMIN_PASSWORD))
        .header("OCS-APIRequest", "true")
        .form(&[
            ("userid", "lots"),
            ("password", PASSWORD),
            ("quota", "lots"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status(), 400);
    assert!(raw
        .text()
        .await
        .unwrap()
        .contains("Invalid quota value: lots"));
    assert!(mock.user("lots").is_some(), "the server kept the account");

    mock.set_max_quota(Some(ByteSize::new(5 << 30)));
    let err = provider
        .create_account(&spec("quinn", plan("10 GB", &["plan-big"])))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert_eq!(err.server_code(), Some("101"));
    assert!(
        mock.user("quinn").is_none(),
        "the partial account was not removed"
    );
    assert!(
        !mock.groups().contains(&"plan-big".to_string()),
        "the group made for it stays"
    );
}

/// When undoing a partial create fails too, the error says both.
#[tokio::test]
async fn a_failed_undo_is_rollback_failed() {
    let mock = MockNextcloud::start().await;
    let provider = mock
        .provider_builder()
        .options(fast_options(Duration::from_secs(5)))
        .build()
        .unwrap();
    mock.set_max_quota(Some(ByteSize::new(5 << 30)));
    mock.inject(Fault::server_error(500).on_method("DELETE").times(10));
    let err = provider
        .create_account(&spec("rita", plan("10 GB", &[])))
        .await
        .unwrap_err();
    match &err {
        Error::RollbackFailed {
            operation,
            error,
            rollback,
        } => {
            assert_eq!(*operation, "create account");
            assert_eq!(error.server_code(), Some("101"));
            assert_eq!(rollback.kind(), ErrorKind::Transient);
        }
        other => panic!("expected RollbackFailed, got {other:?}"),
    }
    assert!(
        mock.user("rita").is_some(),
        "the undo was refused, so the account is left"
    );
}

/// Quotas are stored in a one-decimal human form: the provider sends values that read
/// back exactly, and never unit strings.
#[tokio::test]
async fn quotas_are_sent_as_values_that_read_back_exactly() {
    let (mock, provider) = mock_and_provider().await;
    let decimal = Quota::limited(ByteSize::new(5_000_000_000)).unwrap();
    let expected = NextcloudProvider::stored_quota(decimal).unwrap();
    assert_eq!(expected.limit(), Some(ByteSize::new(5_046_586_573)));

    let created = provider
        .create_account(&spec("sam", provision_core::Plan::new(decimal)))
        .await
        .unwrap();
    assert_eq!(mock.user("sam").unwrap().quota, "4.7 GB");
    assert_eq!(created.quota, Some(expected));
    let read = provider.account(&user("sam")).await.unwrap().unwrap();
    assert_eq!(read.quota, Some(expected));

    // A binary plan survives as it is; 500 MB would be 500 bytes if sent as "500 MiB".
    for (text, stored) in [("500 MB", "500 MB"), ("1.5 GB", "1.5 GB"), ("2 TB", "2 TB")] {
        let before = provision_core::Plan::new(quota("1 GB"));
        let after = provision_core::Plan::new(quota(text));
        provider
            .change_plan(&user("sam"), &before, &after)
            .await
            .unwrap();
        assert_eq!(mock.user("sam").unwrap().quota, stored);
        let account = provider.account(&user("sam")).await.unwrap().unwrap();
        assert_eq!(account.quota, Some(quota(text)));
    }
}

/// A quota of 0 bytes shows `free`/`total` like unlimited; only `quota` tells them
/// apart. It must never be read as unlimited.
#[tokio::test]
async fn a_zero_quota_is_not_read_as_unlimited() {
    let (mock, provider) = mock_and_provider().await;
    mock.add_user("tina", PASSWORD);
    provider
        .client()
        .edit_user(
            &user("tina"),
            UserField::Quota(QuotaValue::Bytes(ByteSize::ZERO)),
        )
        .await
        .unwrap();
    assert_eq!(mock.user("tina").unwrap().quota, "0 B");
    let record = provider.client().user(&user("tina")).await.unwrap();
    assert_eq!(record.storage.limit, QuotaLimit::Bytes(ByteSize::ZERO));
    let account = provider.account(&user("tina")).await.unwrap().unwrap();
    assert_ne!(account.quota, Some(Quota::Unlimited));
    assert_eq!(provider.usage(&user("tina")).await.unwrap().quota, None);

    provider
        .client()
        .edit_user(&user("tina"), UserField::Quota(QuotaValue::Unlimited))
        .await
        .unwrap();
    let usage = provider.usage(&user("tina")).await.unwrap();
    assert_eq!(usage.quota, Some(Quota::Unlimited));
}

/// Before the first login the quota object may be the two-key fallback or empty:
/// usage is unknown then, never 0.
#[tokio::test]
async fn usage_before_first_login_is_unknown_not_zero() {
    let (mock, provider) = mock_and_provider().await;
    provider
        .create_account(&spec("uma", plan("2 GB", &[])))
        .await
        .unwrap();
    mock.set_never_logged_in("uma");
    let usage = provider.usage(&user("uma")).await.unwrap();
    assert_eq!(usage.used, None);
    assert_eq!(usage.quota, Some(quota("2 GB")));

    mock.set_storage_unavailable("uma");
    let usage = provider.usage(&user("uma")).await.unwrap();
    assert_eq!((usage.used, usage.quota), (None, None));
    let swept = provider.usage_all().await.unwrap();
    let uma = swept.iter().find(|(u, _)| u.as_str() == "uma").unwrap();
    assert_eq!(uma.1.used, None);

    mock.set_used("uma", ByteSize::new(20_000_000));
    assert_eq!(
        provider.usage(&user("uma")).await.unwrap().used,
        Some(ByteSize::new(20_000_000))
    );
}

/// "Not found" is 404 on read, 998 on edit/delete/groups, 101 on disable/enable and
/// 103 on membership: each maps to NotFound, with the server's code kept.
#[tokio::test]
async fn not_found_has_a_different_code_per_endpoint() {
    let (mock, provider) = mock_and_provider().await;
    mock.add_group("g");
    let client = provider.client();
    let ghost = user("ghost");
    let cases = [
        ("read", client.user(&ghost).await.map(drop), "404"),
        (
            "edit",
            client
                .edit_user(&ghost, UserField::Email("a@b.example"))
                .await,
            "998",
        ),
        ("delete", client.delete_user(&ghost).await, "998"),
        (
            "groups of",
            client.user_groups(&ghost).await.map(drop),
            "998",
        ),
        ("disable", client.set_enabled(&ghost, false).await, "101"),
        ("enable", client.set_enabled(&ghost, true).await, "101"),
        (
            "join",
            client.add_to_group(&ghost, &group("g")).await,
            "103",
        ),
        (
            "join missing group",
            client.add_to_group(&user("admin"), &group("nope")).await,
            "102",
        ),
        (
            "group members",
            client.group_members(&group("nope")).await.map(drop),
            "404",
        ),
    ];
    for (what, result, code) in cases {
        let err = result.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::NotFound, "{what}: {err:?}");
        assert_eq!(err.server_code(), Some(code), "{what}");
    }
    // And the provider turns them into its own answers.
    assert_eq!(provider.account(&ghost).await.unwrap(), None);
    provider.terminate(&ghost).await.unwrap();
    assert_eq!(
        provider.suspend(&ghost).await.unwrap_err().kind(),
        ErrorKind::NotFound
    );
}

/// Error codes moved between versions; the v1 API answers HTTP 200 for failures, so
/// success is judged by the status code in the envelope.
#[tokio::test]
async fn failures_are_found_in_the_envelope_not_the_http_status() {
    let mock = MockNextcloud::start().await;
    let provider = mock
        .provider_builder()
        .ocs_version(provision_nextcloud::client::OcsVersion::V1)
        .build()
        .unwrap();
    mock.add_user("vera", PASSWORD);
    let err = provider
        .change_password(&user("vera"), &secret("short"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert!(
        matches!(&err, Error::Server(e) if e.http_status == Some(200) && e.code.as_deref() == Some("107"))
    );
}

/// Group ids longer than 64 characters are silently replaced by their SHA-256 on the
/// server: the provider refuses them before sending.
#[tokio::test]
async fn long_group_ids_are_refused_because_the_server_hashes_them() {
    let (mock, provider) = mock_and_provider().await;
    let long = "premium-storage-plan-with-a-very-long-descriptive-name-for-billin";
    assert_eq!(long.chars().count(), 65);
    // The trap: the server reports success and creates another id.
    provider.client().create_group(&group(long)).await.unwrap();
    assert!(!mock.groups().contains(&long.to_string()));
    assert!(mock
        .groups()
        .iter()
        .any(|g| g.len() == 64 && g.chars().all(|c| c.is_ascii_hexdigit())));

    mock.reset_request_count();
    let err = provider
        .create_account(&spec("walt", plan("1 GB", &[long])))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert!(err.to_string().contains("SHA-256"), "{err}");
    assert_eq!(mock.request_count(), 0);
}

/// A package change that fails half-way takes back what it did: quota, groups joined,
/// groups made for it.
#[tokio::test]
async fn a_failed_change_plan_is_undone() {
    let mock = MockNextcloud::start().await;
    let provider = mock
        .provider_builder()
        .options(fast_options(Duration::from_secs(5)))
        .build()
        .unwrap();
    let basic = plan("1 GB", &["plan-basic"]);
    let pro = plan("2 GB", &["pro-extras", "plan-pro"]);
    provider
        .create_account(&spec("xena", basic.clone()))
        .await
        .unwrap();
    mock.add_group("plan-pro");
    // Quota, new groups and joins go through; leaving the old group fails for good
    // (one attempt and three retries), after which the undo steps get through.
    mock.inject(
        Fault::server_error(500)
            .on_method("DELETE")
            .on_path("/users/xena/groups")
            .times(4),
    );

    let err = provider
        .change_plan(&user("xena"), &basic, &pro)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transient, "{err:?}");
    assert_eq!(
        count(&mock, "PUT", "/users/xena"),
        2,
        "quota set, then restored"
    );
    let xena = mock.user("xena").unwrap();
    assert_eq!(xena.quota, "1 GB", "quota restored");
    assert_eq!(xena.groups, vec!["plan-basic"], "joins taken back");
    assert!(
        !mock.groups().contains(&"pro-extras".to_string()),
        "group made for it removed"
    );
    assert!(
        mock.groups().contains(&"plan-pro".to_string()),
        "a group it did not make stays"
    );
}
