//! The provisioner and the in-memory provider, end to end.

use std::sync::Arc;

use chrono::{TimeZone, Utc};
use provision_core::history::{HistoryStore, InMemoryHistory};
use provision_core::memory::{FaultMode, InMemoryProvider, Operation};
use provision_core::provisioner::{ProductConfig, Provisioner, ServiceContext, SweepAccount};
use provision_core::testkit::{run_conformance, ConformanceConfig};
use provision_core::threshold::{ThresholdAction, ThresholdState};
use provision_core::{
    ByteSize, Capabilities, Error, ErrorKind, ExposeSecret, GroupName, Plan, ProviderExt,
    QuotaEnforcement, StorageProvider, Username,
};

fn group(name: &str) -> GroupName {
    GroupName::new(name).unwrap()
}

fn product() -> ProductConfig {
    ProductConfig::new("cust{client_id}", "16", "10 GB")
        .unwrap()
        .with_group(group("storage-10g"))
        .notify_at(90)
}

fn setup() -> (Arc<InMemoryProvider>, Provisioner) {
    let provider = Arc::new(InMemoryProvider::new());
    let provisioner = Provisioner::new(provider.clone());
    (provider, provisioner)
}

#[tokio::test]
async fn conformance_in_memory() {
    let provider = InMemoryProvider::new();
    let small = Plan::new("1 GB".parse().unwrap()).with_group(group("small"));
    let large = Plan::new("2 GB".parse().unwrap()).with_group(group("large"));
    run_conformance(&provider, &ConformanceConfig::new("conf", small, large)).await;
    assert!(
        provider.account_names().is_empty(),
        "conformance left accounts behind"
    );
}

#[tokio::test]
async fn conformance_in_memory_with_preconfigured_groups_and_no_bulk() {
    let provider = InMemoryProvider::new()
        .with_preconfigured_groups([group("small"), group("large")])
        .with_capabilities(Capabilities::new(QuotaEnforcement::Group).with_groups(true));
    let small = Plan::new("1 GB".parse().unwrap()).with_group(group("small"));
    let large = Plan::new("2 GB".parse().unwrap()).with_group(group("large"));
    run_conformance(&provider, &ConformanceConfig::new("conf", small, large)).await;
}

#[tokio::test]
async fn create_generates_name_and_password_from_the_rules() {
    let (provider, provisioner) = setup();
    let ctx = ServiceContext::new("42", "7").with_email("a@example.com");
    let created = provisioner.create(&ctx, &product()).await.unwrap();
    assert_eq!(created.username.as_str(), "cust42");
    let password = created.password.expose_secret();
    assert_eq!(password.chars().count(), 16);
    assert!(password.chars().any(|c| c.is_ascii_lowercase()));
    assert!(password.chars().any(|c| c.is_ascii_uppercase()));
    assert!(password.chars().any(|c| c.is_ascii_digit()));
    assert!(password.chars().any(|c| !c.is_ascii_alphanumeric()));
    assert!(provider.password_matches(&created.username, password));
    assert_eq!(created.account.groups, vec![group("storage-10g")]);
    assert!(
        !format!("{created:?}").contains(password),
        "password leaked in Debug"
    );
}

#[tokio::test]
async fn create_resolves_collisions_against_the_server() {
    let (provider, provisioner) = setup();
    let ctx = ServiceContext::new("42", "7");
    let first = provisioner.create(&ctx, &product()).await.unwrap();
    let second = provisioner.create(&ctx, &product()).await.unwrap();
    assert_ne!(first.username, second.username);
    assert!(second.username.as_str().starts_with("cust42"));
    assert_eq!(provider.account_names().len(), 2);
}

#[tokio::test]
async fn bad_product_configuration_is_rejected_before_anything_is_sent() {
    for (rule, password, quota) in [
        ("cust{clientid}", "16", "10 GB"),
        ("cust{client_id", "16", "10 GB"),
        ("cust{client_id}", "7", "10 GB"),
        ("cust{client_id}", "16", "10 XB"),
    ] {
        let err = ProductConfig::new(rule, password, quota).unwrap_err();
        assert_eq!(
            err.kind(),
            ErrorKind::InvalidInput,
            "{rule} {password} {quota}: {err}"
        );
    }
}

#[tokio::test]
async fn a_failed_later_step_undoes_the_create() {
    let (provider, provisioner) = setup();
    let ctx = ServiceContext::new("42", "7");
    let err = provisioner
        .create_with(&ctx, &product(), |_| async {
            Err(Error::invalid("billing", "could not store the credentials"))
        })
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert!(
        provider.account_names().is_empty(),
        "the account was left behind"
    );
}

#[tokio::test]
async fn a_failed_undo_reports_both_errors() {
    let (provider, provisioner) = setup();
    provider.fail_next(Operation::Terminate, ErrorKind::Transient, 1);
    let err = provisioner
        .create_with(&ServiceContext::new("42", "7"), &product(), |_| async {
            Err(Error::invalid("billing", "could not store the credentials"))
        })
        .await
        .unwrap_err();
    match err {
        Error::RollbackFailed {
            error, rollback, ..
        } => {
            assert_eq!(error.kind(), ErrorKind::InvalidInput);
            assert_eq!(rollback.kind(), ErrorKind::Transient);
        }
        other => panic!("expected RollbackFailed, got {other}"),
    }
}

#[tokio::test]
async fn a_create_that_timed_out_after_the_server_acted_is_settled_by_looking() {
    let (provider, provisioner) = setup();
    provider.inject(Operation::Create, FaultMode::TimeoutAfter, 1);
    let created = provisioner
        .create(&ServiceContext::new("42", "7"), &product())
        .await
        .unwrap();
    assert_eq!(created.username.as_str(), "cust42");
    assert_eq!(
        provider.account_names().len(),
        1,
        "the create was sent twice"
    );
    assert!(provider.password_matches(&created.username, created.password.expose_secret()));
}

#[tokio::test]
async fn a_create_that_timed_out_before_the_server_acted_fails_cleanly() {
    let (provider, provisioner) = setup();
    provider.inject(Operation::Create, FaultMode::TimeoutBefore, 1);
    let err = provisioner
        .create(&ServiceContext::new("42", "7"), &product())
        .await
        .unwrap_err();
    assert!(err.is_retryable() && err.may_have_reached_server());
    assert!(provider.account_names().is_empty());
}

#[tokio::test]
async fn a_name_taken_between_check_and_create_moves_on_to_the_next_name() {
    let (provider, provisioner) = setup();
    provider.fail_next(Operation::Create, ErrorKind::AlreadyExists, 1);
    let created = provisioner
        .create(&ServiceContext::new("42", "7"), &product())
        .await
        .unwrap();
    assert!(created.username.as_str().starts_with("cust42"));
    assert!(provider.exists(&created.username).await.unwrap());
}

#[tokio::test]
async fn create_many_creates_every_account_once() {
    let (provider, provisioner) = setup();
    let provisioner = provisioner.with_concurrency(8);
    let items: Vec<_> = (0..40)
        .map(|i| (ServiceContext::new(i.to_string(), "1"), product()))
        .collect();
    let results = provisioner.create_many(&items).await;
    for (i, r) in results.iter().enumerate() {
        assert_eq!(r.as_ref().unwrap().username.as_str(), format!("cust{i}"));
    }
    assert_eq!(provider.account_names().len(), 40);
}

async fn create(provisioner: &Provisioner, client: &str) -> Username {
    provisioner
        .create(&ServiceContext::new(client, "1"), &product())
        .await
        .unwrap()
        .username
}

#[tokio::test]
async fn sweep_records_history_and_notifies_once_per_crossing() {
    let (provider, provisioner) = setup();
    let user = create(&provisioner, "1").await;
    let calm = create(&provisioner, "2").await;
    let history = InMemoryHistory::new();
    let accounts = [
        SweepAccount::new(user.clone(), &product()),
        SweepAccount::new(calm.clone(), &product()),
    ];
    let day = |d| Utc.with_ymd_and_hms(2026, 11, d, 3, 0, 0).unwrap();

    provider.set_used(&user, ByteSize::new(9 << 30));
    let report = provisioner
        .sweep(&accounts, &history, day(1))
        .await
        .unwrap();
    assert_eq!(
        report.outcomes[0].actions,
        vec![ThresholdAction::NotifyNearLimit]
    );
    assert!(report.outcomes[1].actions.is_empty());
    assert_eq!(report.with_actions().count(), 1);

    let again = provisioner
        .sweep(&accounts, &history, day(2))
        .await
        .unwrap();
    assert!(
        again.with_actions().next().is_none(),
        "notified twice for one crossing"
    );

    provider.set_used(&user, ByteSize::new(11 << 30));
    let over = provisioner
        .sweep(&accounts, &history, day(3))
        .await
        .unwrap();
    assert_eq!(
        over.outcomes[0].actions,
        vec![ThresholdAction::LimitExceeded]
    );
    assert_eq!(over.outcomes[0].state, ThresholdState::Exceeded);
    let switched = provisioner.apply_policy_switches(&over).await;
    assert_eq!(switched.len(), 1);
    assert!(provider.is_limited(&user));

    provider.set_used(&user, ByteSize::new(1 << 30));
    let back = provisioner
        .sweep(&accounts, &history, day(4))
        .await
        .unwrap();
    assert_eq!(
        back.outcomes[0].actions,
        vec![ThresholdAction::BackUnderLimit]
    );
    provisioner.apply_policy_switches(&back).await;
    assert!(!provider.is_limited(&user));

    let samples = history.samples(&user, day(1), day(4)).await.unwrap();
    assert_eq!(samples.len(), 4);
    let states = history.load_states().await.unwrap();
    assert_eq!(states.get(&user), Some(&ThresholdState::Normal));
}

#[tokio::test]
async fn sweep_uses_one_bulk_call_where_the_backend_has_one() {
    let (provider, provisioner) = setup();
    let mut accounts = Vec::new();
    for i in 0..20 {
        accounts.push(SweepAccount::new(
            create(&provisioner, &i.to_string()).await,
            &product(),
        ));
    }
    let before = provider.call_count();
    provisioner
        .sweep(&accounts, &InMemoryHistory::new(), Utc::now())
        .await
        .unwrap();
    assert_eq!(provider.call_count() - before, 1);
}

#[tokio::test]
async fn sweep_without_bulk_reads_each_account_and_reports_failures() {
    let provider = Arc::new(
        InMemoryProvider::new()
            .with_capabilities(Capabilities::new(QuotaEnforcement::Group).with_groups(true)),
    );
    let provisioner = Provisioner::new(provider.clone());
    let mut accounts = Vec::new();
    for i in 0..10 {
        accounts.push(SweepAccount::new(
            create(&provisioner, &i.to_string()).await,
            &product(),
        ));
    }
    provider.fail_next(Operation::Usage, ErrorKind::Transient, 1);
    let before = provider.call_count();
    let report = provisioner
        .sweep(&accounts, &InMemoryHistory::new(), Utc::now())
        .await
        .unwrap();
    assert_eq!(provider.call_count() - before, 10);
    assert_eq!(report.outcomes.len(), 9);
    assert_eq!(report.failures.len(), 1);
    // Group-enforced quotas are never switched by policy.
    assert!(provisioner.apply_policy_switches(&report).await.is_empty());
}

#[tokio::test]
async fn trait_objects_work() {
    let provider: Arc<dyn StorageProvider> = Arc::new(InMemoryProvider::new());
    assert!(!provider
        .exists(&Username::new("nobody").unwrap())
        .await
        .unwrap());
}

#[tokio::test]
async fn usages_read_elsewhere_are_recorded_like_a_sweep() {
    let accounts = [
        SweepAccount::new(Username::new("read-ok").unwrap(), &product()),
        SweepAccount::new(Username::new("read-failed").unwrap(), &product()),
    ];
    let history = InMemoryHistory::new();
    let now = Utc::now();
    let usages = vec![
        Ok(provision_core::Usage::known(ByteSize::new(9_800_000_000))),
        Err(Error::AccountNotFound {
            username: "read-failed".into(),
        }),
    ];
    let report = Provisioner::record_usages(&accounts, usages, &history, now)
        .await
        .unwrap();
    assert_eq!(report.outcomes.len(), 1);
    assert_eq!(report.outcomes[0].state, ThresholdState::NearLimit);
    assert_eq!(report.failures.len(), 1);
    assert_eq!(report.failures[0].0.as_str(), "read-failed");
    let states = history.load_states().await.unwrap();
    assert_eq!(
        states.get(&accounts[0].username),
        Some(&ThresholdState::NearLimit)
    );
    assert!(!states.contains_key(&accounts[1].username));

    let short = Provisioner::record_usages(&accounts, Vec::new(), &history, now)
        .await
        .unwrap_err();
    assert_eq!(short.kind(), ErrorKind::InvalidInput);
}
