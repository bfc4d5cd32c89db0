//! Every provider operation against the mock DSM over real HTTP.

mod common;

use common::*;
use provision_core::{AccountStatus, ByteSize, ErrorKind, Quota, StorageProvider};
use provision_synology::mock::MockSynology;
use provision_synology::DEFAULT_USAGE_BATCH;

#[tokio::test]
async fn test_connection_reports_dsm_and_admin_rights() {
    let (_dsm, provider) = setup().await;
    let info = provider.test_connection().await.unwrap();
    assert_eq!(info.backend, "synology");
    assert_eq!(info.product, "DSM");
    assert_eq!(info.version.as_deref(), Some("7.2.1-69057 Update 6"));
    assert!(info.is_admin);
    assert_eq!(
        info.details.get("auth_version").map(String::as_str),
        Some("7")
    );
    assert_eq!(info.details.get("noise_ik").map(String::as_str), Some("on"));
}

#[tokio::test]
async fn a_non_admin_account_is_reported_as_such() {
    let dsm = MockSynology::start().await;
    dsm.add_user("operator", "Op3rator-pw");
    let provider = provision_synology::SynologyProvider::builder(dsm.url())
        .credentials("operator", secret("Op3rator-pw"))
        .options(MockSynology::fast_client_options())
        .build()
        .unwrap();
    assert!(!provider.test_connection().await.unwrap().is_admin);
    let err = provider.account(&user("alice")).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::PermissionDenied);
    assert_eq!(err.server_code(), Some("105"));
}

#[tokio::test]
async fn create_makes_an_enabled_user_in_the_plan_group() {
    let (dsm, provider) = setup().await;
    let info = provider
        .create_account(&spec("alice", small()))
        .await
        .unwrap();
    assert_eq!(info.username.as_str(), "alice");
    assert_eq!(info.status, AccountStatus::Active);
    assert!(info.groups.iter().any(|g| g.as_str() == SMALL));

    let stored = dsm.user("alice").unwrap();
    assert_eq!(stored.expired, "normal");
    assert_eq!(stored.email, "alice@example.com");
    assert_eq!(stored.description, "customer alice");
    assert!(
        stored.passwd_never_expire,
        "accounts must not fail later logins on expiry"
    );
    assert!(
        stored.groups.contains(&SMALL.to_string()) && stored.groups.contains(&"users".to_string())
    );
    assert!(dsm.password_is("alice", PASSWORD));
}

#[tokio::test]
async fn account_reads_status_contact_and_groups() {
    let (_dsm, provider) = setup().await;
    provider
        .create_account(&spec("bob", large()))
        .await
        .unwrap();
    let info = provider.account(&user("bob")).await.unwrap().unwrap();
    assert_eq!(info.status, AccountStatus::Active);
    assert_eq!(info.email.as_deref(), Some("bob@example.com"));
    assert_eq!(info.display_name.as_deref(), Some("customer bob"));
    assert!(info.groups.iter().any(|g| g.as_str() == LARGE));
    assert_eq!(info.quota, None, "the enforced quota lives on the group");
    assert!(provider.account(&user("nobody")).await.unwrap().is_none());
}

#[tokio::test]
async fn suspend_and_unsuspend_are_idempotent() {
    let (dsm, provider) = setup().await;
    provider
        .create_account(&spec("carol", small()))
        .await
        .unwrap();
    for _ in 0..2 {
        provider.suspend(&user("carol")).await.unwrap();
        assert_eq!(dsm.user("carol").unwrap().expired, "now");
    }
    let status = provider
        .account(&user("carol"))
        .await
        .unwrap()
        .unwrap()
        .status;
    assert_eq!(status, AccountStatus::Suspended);
    for _ in 0..2 {
        provider.unsuspend(&user("carol")).await.unwrap();
        assert_eq!(dsm.user("carol").unwrap().expired, "normal");
    }
    let err = provider.suspend(&user("ghost")).await.unwrap_err();
    assert!(
        matches!(err, provision_core::Error::AccountNotFound { .. }),
        "{err:?}"
    );
    assert_eq!(
        provider.unsuspend(&user("ghost")).await.unwrap_err().kind(),
        ErrorKind::NotFound
    );
}

#[tokio::test]
async fn change_password_sets_the_new_password() {
    let (dsm, provider) = setup().await;
    provider
        .create_account(&spec("dave", small()))
        .await
        .unwrap();
    provider
        .change_password(&user("dave"), &secret("N3w-Passw0rd"))
        .await
        .unwrap();
    assert!(dsm.password_is("dave", "N3w-Passw0rd"));
    let err = provider
        .change_password(&user("ghost"), &secret("N3w-Passw0rd"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
}

#[tokio::test]
async fn change_plan_moves_the_user_from_the_old_group_to_the_new() {
    let (dsm, provider) = setup().await;
    dsm.add_group("newsletter", Quota::Unlimited);
    provider
        .create_account(&spec("erin", small()))
        .await
        .unwrap();
    dsm.add_member("newsletter", "erin");
    provider
        .change_plan(&user("erin"), &small(), &large())
        .await
        .unwrap();
    let groups = dsm.user("erin").unwrap().groups;
    assert!(groups.contains(&LARGE.to_string()), "{groups:?}");
    assert!(!groups.contains(&SMALL.to_string()), "{groups:?}");
    assert!(
        groups.contains(&"newsletter".to_string()),
        "other groups stay: {groups:?}"
    );
    // Moving again to where it is changes nothing and succeeds.
    provider
        .change_plan(&user("erin"), &small(), &large())
        .await
        .unwrap();
    let err = provider
        .change_plan(&user("ghost"), &small(), &large())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
}

#[tokio::test]
async fn usage_is_the_homes_share_in_bytes_with_the_group_limit() {
    let (dsm, provider) = setup().await;
    provider
        .create_account(&spec("fred", large()))
        .await
        .unwrap();
    dsm.set_usage("fred", ByteSize::new(300 << 20));
    let usage = provider.usage(&user("fred")).await.unwrap();
    assert_eq!(usage.used, Some(ByteSize::new(300 << 20)));
    assert_eq!(usage.quota, Some("5 GB".parse().unwrap()));
    let err = provider.usage(&user("ghost")).await.unwrap_err();
    assert!(
        matches!(err, provision_core::Error::AccountNotFound { .. }),
        "{err:?}"
    );
}

#[tokio::test]
async fn usage_all_reads_every_user_in_one_list_plus_one_read_per_batch() {
    let (dsm, provider) = setup().await;
    for i in 0..40 {
        let name = format!("bulk{i:02}");
        dsm.add_user(&name, PASSWORD);
        dsm.set_usage(&name, ByteSize::new(i << 20));
    }
    dsm.reset_request_count();
    let all = provider.usage_all().await.unwrap();
    let users = dsm.user_names().len();
    assert_eq!(all.len(), users);
    let bulk07 = all.iter().find(|(u, _)| u.as_str() == "bulk07").unwrap();
    assert_eq!(bulk07.1.used, Some(ByteSize::new(7 << 20)));
    // One list, one home-volume read, one batched request per 50 users: DSM has no
    // bulk usage call.
    assert_eq!(dsm.calls("SYNO.Core.User", "list"), 1);
    let listing = dsm
        .requests()
        .into_iter()
        .find(|r| r.is_call("SYNO.Core.User", "list"))
        .unwrap();
    assert_eq!(listing.param("additional"), Some("[]"), "names only");
    assert_eq!(dsm.calls("SYNO.Core.Quota", "get"), 0);
    assert_eq!(
        dsm.calls("SYNO.Entry.Request", "request"),
        users.div_ceil(DEFAULT_USAGE_BATCH)
    );
    assert_eq!(dsm.request_count(), 2 + users.div_ceil(DEFAULT_USAGE_BATCH));
    let names: Vec<_> = all.iter().map(|(u, _)| u.as_str().to_lowercase()).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "sorted by name");
}

#[tokio::test]
async fn usage_all_one_by_one_runs_reads_concurrently_within_the_bound() {
    let dsm = MockSynology::start().await;
    for i in 0..12 {
        dsm.add_user(&format!("conc{i:02}"), PASSWORD);
    }
    let provider = dsm
        .provider_builder()
        .usage_concurrency(4)
        .usage_batch(1)
        .build()
        .unwrap();
    provider.client().login().await.unwrap();
    dsm.set_latency(std::time::Duration::from_millis(50));
    let started = std::time::Instant::now();
    let all = provider.usage_all().await.unwrap();
    let elapsed = started.elapsed();
    assert_eq!(all.len(), dsm.user_names().len());
    assert_eq!(dsm.calls("SYNO.Core.Quota", "get"), all.len());
    // 15 quota reads at 4 at once is about 4 rounds plus list and home: well under the
    // 17 rounds a one-at-a-time sweep would take.
    assert!(
        elapsed < std::time::Duration::from_millis(50 * 12),
        "{elapsed:?}"
    );
}

#[tokio::test]
async fn terminate_deletes_and_is_idempotent() {
    let (dsm, provider) = setup().await;
    provider
        .create_account(&spec("gina", small()))
        .await
        .unwrap();
    provider.terminate(&user("gina")).await.unwrap();
    assert!(dsm.user("gina").is_none());
    assert!(!dsm
        .group_members(SMALL)
        .unwrap()
        .contains(&"gina".to_string()));
    dsm.reset_request_count();
    provider.terminate(&user("gina")).await.unwrap();
    assert_eq!(
        dsm.calls("SYNO.Core.User", "delete"),
        0,
        "absent: nothing to delete"
    );
}

#[tokio::test]
async fn list_groups_offers_the_plan_groups() {
    let (_dsm, provider) = setup().await;
    let groups = provider.list_groups().await.unwrap();
    let names: Vec<&str> = groups.iter().map(|g| g.as_str()).collect();
    for expected in [SMALL, LARGE, "administrators", "users"] {
        assert!(names.contains(&expected), "{names:?}");
    }
}

#[tokio::test]
async fn client_calls_read_and_write_what_they_say() {
    let (dsm, provider) = setup().await;
    let client = provider.client();
    provider
        .create_account(&spec("hank", small()))
        .await
        .unwrap();
    let hank = user("hank");
    client.set_email(&hank, "new@example.com").await.unwrap();
    client.set_description(&hank, "moved").await.unwrap();
    let read = client.user(&hank).await.unwrap();
    assert_eq!(read.email.as_deref(), Some("new@example.com"));
    assert_eq!(read.description.as_deref(), Some("moved"));
    assert!(read.uid.unwrap() >= 1026);
    let group = provision_core::GroupName::new(LARGE).unwrap();
    client.add_to_group(&group, &hank).await.unwrap();
    assert!(client
        .group_members(&group)
        .await
        .unwrap()
        .contains(&"hank".to_string()));
    client.remove_from_group(&group, &hank).await.unwrap();
    assert!(!client
        .group_members(&group)
        .await
        .unwrap()
        .contains(&"hank".to_string()));
    let found = client.group(&group).await.unwrap().unwrap();
    assert!(found.gid.unwrap() >= 65536, "get carries the gid");
    let policy = client.password_policy().await.unwrap();
    assert_eq!(policy.min_length, Some(8));
    assert!(policy.mixed_case && policy.numeric && policy.exclude_username);
    let home = client.home_service().await.unwrap();
    assert_eq!(home.location.as_deref(), Some("/volume1"));
    let info = client.dsm_info().await.unwrap();
    assert_eq!(info.model.as_deref(), Some("DS923+"));
    assert!(dsm.user("hank").is_some());
}

#[tokio::test]
async fn close_logs_the_session_out_with_its_sid() {
    let (dsm, provider) = setup().await;
    assert_eq!(dsm.session_count(), 1);
    provider.close().await.unwrap();
    assert_eq!(dsm.session_count(), 0);
    let logout = dsm
        .requests()
        .into_iter()
        .find(|r| r.is_call("SYNO.API.Auth", "logout"))
        .unwrap();
    assert!(logout.param("_sid").is_some_and(|s| !s.is_empty()));
    assert_eq!(logout.param("session"), Some("provision"));
    // A later call logs in again.
    provider.account(&user("alice")).await.unwrap();
    assert_eq!(dsm.session_count(), 1);
}

/// Accounts `batch000`.. with distinct usage; returns their names.
fn batch_users(dsm: &MockSynology, count: u64) -> Vec<provision_core::Username> {
    (0..count)
        .map(|i| {
            let name = format!("batch{i:03}");
            dsm.add_user(&name, PASSWORD);
            dsm.set_usage(&name, ByteSize::new((i + 1) << 20));
            user(&name)
        })
        .collect()
}

#[tokio::test]
async fn usage_many_reads_50_accounts_per_request() {
    let (dsm, provider) = setup().await;
    let mut names = batch_users(&dsm, 120);
    names.insert(30, user("ghost"));
    names.push(user("sc-package"));

    let many = provider.usage_many(&names, 8).await.unwrap();
    // 121 valid names in batches of 50: three batched requests and the home volume.
    assert_eq!(dsm.calls("SYNO.Entry.Request", "request"), 3);
    assert_eq!(dsm.calls("SYNO.Core.Quota", "get"), 0);
    assert_eq!(dsm.request_count(), 4);

    assert_eq!(many.len(), names.len());
    for (name, read) in names.iter().zip(&many) {
        match name.as_str() {
            "ghost" => assert!(
                matches!(read, Err(provision_core::Error::AccountNotFound { .. })),
                "{read:?}"
            ),
            "sc-package" => assert_eq!(read.as_ref().unwrap_err().kind(), ErrorKind::InvalidInput),
            _ => {
                let alone = provider.usage(name).await.unwrap();
                assert_eq!(read.as_ref().unwrap(), &alone, "{name}");
            }
        }
    }
    assert_eq!(many[0].as_ref().unwrap().used, Some(ByteSize::new(1 << 20)));
}

#[tokio::test]
async fn batched_reads_carry_json_calls_under_one_hash() {
    let (dsm, provider) = setup().await;
    let names = batch_users(&dsm, 3);
    provider.usage_many(&names, 8).await.unwrap();
    let batch = dsm
        .requests()
        .into_iter()
        .find(|r| r.is_call("SYNO.Entry.Request", "request"))
        .unwrap();
    assert!(batch.header("x-syno-hash").is_some(), "one Noise nonce");
    assert_eq!(batch.param("stop_when_error"), Some("false"));
    let calls: serde_json::Value = serde_json::from_str(batch.param("compound").unwrap()).unwrap();
    assert_eq!(
        calls[1],
        serde_json::json!({"api": "SYNO.Core.Quota", "method": "get", "version": 1,
                           "name": "batch001", "support_share_quota": true})
    );
}

#[tokio::test]
async fn usage_many_reads_one_by_one_where_dsm_cannot_batch() {
    let dsm = MockSynology::start().await;
    dsm.remove_api("SYNO.Entry.Request");
    let names = batch_users(&dsm, 30);
    let provider = dsm.provider_builder().build().unwrap();
    provider.client().login().await.unwrap();
    dsm.reset_request_count();
    let many = provider.usage_many(&names, 8).await.unwrap();
    assert!(many.iter().all(Result::is_ok));
    assert_eq!(dsm.calls("SYNO.Core.Quota", "get"), 30);
    assert_eq!(dsm.calls("SYNO.Entry.Request", "request"), 0);
    assert_eq!(
        many[29].as_ref().unwrap().used,
        Some(ByteSize::new(30 << 20))
    );
}

#[tokio::test]
async fn a_batch_dsm_refuses_is_read_one_by_one_and_batching_stops() {
    let (dsm, provider) = setup().await;
    let names = batch_users(&dsm, 10);
    dsm.inject(
        provision_synology::mock::Fault::api_error(103)
            .only("SYNO.Entry.Request")
            .times(1),
    );
    let many = provider.usage_many(&names, 8).await.unwrap();
    assert!(many.iter().all(Result::is_ok), "{many:?}");
    assert_eq!(dsm.calls("SYNO.Core.Quota", "get"), 10);
    dsm.reset_request_count();
    provider.usage_many(&names, 8).await.unwrap();
    assert_eq!(
        dsm.calls("SYNO.Entry.Request", "request"),
        0,
        "not tried again"
    );
    assert_eq!(dsm.calls("SYNO.Core.Quota", "get"), 10);
}

#[tokio::test]
async fn usage_batch_of_one_sends_a_request_per_account() {
    let dsm = MockSynology::start().await;
    let names = batch_users(&dsm, 5);
    let provider = dsm.provider_builder().usage_batch(1).build().unwrap();
    provider.client().login().await.unwrap();
    dsm.reset_request_count();
    provider.usage_many(&names, 8).await.unwrap();
    assert_eq!(dsm.calls("SYNO.Core.Quota", "get"), 5);
    let zero = dsm.provider_builder().usage_batch(0).build().unwrap_err();
    assert_eq!(zero.kind(), ErrorKind::InvalidInput);
}

#[tokio::test]
async fn a_provisioned_create_lists_the_users_once() {
    use provision_core::provisioner::{ProductConfig, Provisioner, ServiceContext};
    let (dsm, provider) = setup().await;
    let provisioner = Provisioner::new(std::sync::Arc::new(provider));
    let product = ProductConfig::new("cust{client_id}", "16", "1 GB")
        .unwrap()
        .with_group(provision_core::GroupName::new(SMALL).unwrap());
    provisioner
        .create(&ServiceContext::new("1", "1"), &product)
        .await
        .unwrap();
    dsm.reset_request_count();
    let made = provisioner
        .create(&ServiceContext::new("2", "2"), &product)
        .await
        .unwrap();
    assert_eq!(made.username.as_str(), "cust2");
    // The name check's listing serves the create; the plan group was seen a moment ago.
    assert_eq!(dsm.calls("SYNO.Core.User", "list"), 1);
    assert_eq!(dsm.calls("SYNO.Core.Group", "list"), 0);
    assert_eq!(dsm.request_count(), 4, "list, create, join, read back");
}

#[tokio::test]
async fn a_name_taken_after_the_check_is_refused_by_dsm_and_left_alone() {
    let (dsm, provider) = setup().await;
    assert!(provider.account(&user("late")).await.unwrap().is_none());
    dsm.add_user("late", "Someone-else1");
    let err = provider
        .create_account(&spec("late", small()))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::AlreadyExists, "{err:?}");
    assert!(dsm.password_is("late", "Someone-else1"));
    assert!(!dsm
        .group_members(SMALL)
        .unwrap()
        .contains(&"late".to_string()));
}

#[tokio::test]
async fn a_plan_group_deleted_after_it_was_seen_undoes_the_create() {
    let (dsm, provider) = setup().await;
    provider
        .create_account(&spec("first", small()))
        .await
        .unwrap();
    assert!(dsm.remove_group(SMALL));
    let err = provider
        .create_account(&spec("second", small()))
        .await
        .unwrap_err();
    assert_eq!(err.server_code(), Some("3205"), "{err:?}");
    assert!(
        dsm.user("second").is_none(),
        "the new user is deleted again"
    );
    // Asked again, the group is looked up afresh and the plan is refused up front.
    let err = provider
        .create_account(&spec("third", small()))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput, "{err:?}");
}

#[tokio::test]
async fn a_sweep_of_120_accounts_sends_three_batched_reads_and_the_home_read() {
    use provision_core::history::InMemoryHistory;
    use provision_core::provisioner::{Provisioner, SweepAccount};
    let (dsm, provider) = setup().await;
    let names = batch_users(&dsm, 120);
    let accounts: Vec<SweepAccount> = names
        .iter()
        .map(|name| SweepAccount {
            username: name.clone(),
            quota: "100 MB".parse().unwrap(),
            notify_at_percent: Some(50),
        })
        .collect();
    let provisioner = Provisioner::new(std::sync::Arc::new(provider)).with_concurrency(32);
    let history = InMemoryHistory::new();
    let report = provisioner
        .sweep(&accounts, &history, chrono::Utc::now())
        .await
        .unwrap();
    assert!(report.failures.is_empty(), "{:?}", report.failures);
    assert_eq!(report.outcomes.len(), 120);
    assert_eq!(report.outcomes[119].used, Some(ByteSize::new(120 << 20)));
    assert_eq!(dsm.calls("SYNO.Entry.Request", "request"), 3);
    assert_eq!(
        dsm.request_count(),
        120usize.div_ceil(DEFAULT_USAGE_BATCH) + 1
    );
}
