//! The billing cycle on the in-memory provider and SQLite ledgers.

use std::sync::Arc;
use std::time::Duration;

use chrono::{TimeDelta, Utc};

use super::BillingCycle;
use crate::error::{Error, ErrorKind};
use crate::ledger::{LedgerError, LimitOverride, ServerId, ServiceKey, ServiceStatus, SqlLedger};
use crate::memory::{InMemoryProvider, Operation};
use crate::provider::StorageProvider;
use crate::provisioner::{ProductConfig, ServiceContext};
use crate::testkit::crash::{
    crash_every_change_plan, crash_every_create, crash_every_sweep, crash_every_terminate,
    two_workers_one_dies, CrashWorld,
};
use crate::threshold::{ThresholdAction, ThresholdState};
use crate::{ByteSize, GroupName};

async fn memory_world() -> CrashWorld {
    let provider = Arc::new(InMemoryProvider::new());
    let usage = provider.clone();
    CrashWorld::new(
        Arc::new(SqlLedger::sqlite_in_memory().await.unwrap()),
        provider,
        move |user, bytes| usage.set_used(user, ByteSize::new(bytes)),
    )
}

fn server() -> ServerId {
    ServerId::new("files").unwrap()
}

fn product(rule: &str, quota: &str) -> ProductConfig {
    ProductConfig::new(rule, "16", quota).unwrap().notify_at(80)
}

async fn cycle_on(provider: &Arc<InMemoryProvider>) -> BillingCycle {
    let ledger = Arc::new(SqlLedger::sqlite_in_memory().await.unwrap());
    BillingCycle::new(ledger)
        .with_server(server(), provider.clone())
        .with_product("basic", product("cust{client_id}", "1 GB"))
        .with_product("big", product("cust{client_id}", "10 GB"))
}

#[tokio::test]
async fn a_create_crashed_at_any_point_never_makes_a_second_or_half_made_account() {
    let points = crash_every_create(memory_world).await;
    assert!(points >= 10, "the create passes {points} points");
}

#[tokio::test]
async fn a_plan_change_crashed_at_any_point_ends_on_the_new_plan() {
    assert!(crash_every_change_plan(memory_world).await >= 6);
}

#[tokio::test]
async fn a_termination_crashed_at_any_point_ends_with_the_account_and_its_state_gone() {
    assert!(crash_every_terminate(memory_world).await >= 6);
}

#[tokio::test]
async fn a_sweep_crashed_at_any_point_owes_each_action_exactly_once() {
    assert!(crash_every_sweep(memory_world).await >= 6);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_workers_on_one_sqlite_file_make_one_account_per_service_when_one_dies() {
    let dir = std::env::temp_dir().join(format!("provision-cycle-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for point in [3, 9, 17] {
        let path = dir.join(format!("two-workers-{point}.sqlite"));
        let _ = std::fs::remove_file(&path);
        let provider = Arc::new(InMemoryProvider::new());
        let usage = provider.clone();
        let world = CrashWorld::new(
            Arc::new(SqlLedger::sqlite(&path).await.unwrap()),
            provider,
            move |user, bytes| usage.set_used(user, ByteSize::new(bytes)),
        );
        two_workers_one_dies(world, point).await;
    }
}

#[tokio::test]
async fn the_same_order_twice_at_once_makes_one_account() {
    let provider = Arc::new(InMemoryProvider::new());
    let cycle = cycle_on(&provider).await;
    let ctx = ServiceContext::new("42", "7");
    let files = server();
    let (a, b) = tokio::join!(
        cycle.create(&files, &ctx, "basic"),
        cycle.create(&files, &ctx, "basic")
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.username, b.username);
    assert_eq!(
        [a.password.is_some(), b.password.is_some()]
            .iter()
            .filter(|p| **p)
            .count(),
        1,
        "the password is handed back once"
    );
    assert_eq!(provider.account_names().len(), 1);
}

#[tokio::test]
async fn a_name_held_by_another_service_is_not_reused_even_when_its_account_is_gone() {
    let provider = Arc::new(InMemoryProvider::new());
    let cycle = cycle_on(&provider).await;
    let first = cycle
        .create(&server(), &ServiceContext::new("42", "1"), "basic")
        .await
        .unwrap();
    // Someone deletes the account on the server behind the ledger's back.
    provider.terminate(&first.username).await.unwrap();
    let second = cycle
        .create(&server(), &ServiceContext::new("42", "2"), "basic")
        .await
        .unwrap();
    assert_ne!(
        second.username, first.username,
        "service 1 still owns cust42"
    );
}

#[tokio::test]
async fn a_failed_create_is_recorded_and_the_next_order_tries_again() {
    let provider = Arc::new(InMemoryProvider::new());
    let cycle = cycle_on(&provider).await;
    provider.fail_next(Operation::Create, ErrorKind::PermissionDenied, 1);
    let ctx = ServiceContext::new("42", "1");
    let err = cycle.create(&server(), &ctx, "basic").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::PermissionDenied);
    let key = ServiceKey::new(server(), "1");
    let service = cycle.ledger().service(&key).await.unwrap().unwrap();
    assert_eq!(service.status, ServiceStatus::Failed);
    assert!(service.last_error.is_some());
    let created = cycle.create(&server(), &ctx, "basic").await.unwrap();
    assert!(created.password.is_some());
    assert_eq!(provider.account_names(), vec![created.username]);
}

#[tokio::test]
async fn a_sweep_of_every_server_reports_each_in_name_order_with_its_own_failure() {
    // More servers than are swept at once, so the bound is crossed; one server fails.
    let names = ["a", "b", "c", "d", "e", "f"];
    assert!(names.len() > super::SERVERS_SWEPT_AT_ONCE);
    let ledger = Arc::new(SqlLedger::sqlite_in_memory().await.unwrap());
    let mut cycle =
        BillingCycle::new(ledger).with_product("basic", product("cust{client_id}", "1 GB"));
    let mut providers = Vec::new();
    for name in names.iter().rev() {
        let provider = Arc::new(InMemoryProvider::new());
        cycle = cycle.with_server(ServerId::new(*name).unwrap(), provider.clone());
        providers.push((*name, provider));
    }
    for (i, (name, _)) in providers.iter().enumerate() {
        let ctx = ServiceContext::new(i.to_string(), "1");
        cycle
            .create(&ServerId::new(*name).unwrap(), &ctx, "basic")
            .await
            .unwrap();
    }
    let (_, failing) = providers.iter().find(|(name, _)| *name == "c").unwrap();
    failing.fail_next(Operation::UsageAll, ErrorKind::PermissionDenied, 100);
    let results = cycle.sweep_all(Utc::now()).await;
    let swept: Vec<_> = results
        .iter()
        .map(|(id, r)| (id.as_str(), r.is_ok()))
        .collect();
    assert_eq!(
        swept,
        [
            ("a", true),
            ("b", true),
            ("c", false),
            ("d", true),
            ("e", true),
            ("f", true)
        ]
    );
    for (id, result) in &results {
        if let Ok(report) = result {
            assert_eq!(report.outcomes.len(), 1, "{id}: its one account read");
        }
    }
}

#[tokio::test]
async fn the_same_user_name_on_two_servers_keeps_two_states() {
    let (one, two) = (
        Arc::new(InMemoryProvider::new()),
        Arc::new(InMemoryProvider::new()),
    );
    let ledger = Arc::new(SqlLedger::sqlite_in_memory().await.unwrap());
    let (s1, s2) = (ServerId::new("one").unwrap(), ServerId::new("two").unwrap());
    let cycle = BillingCycle::new(ledger)
        .with_server(s1.clone(), one.clone())
        .with_server(s2.clone(), two.clone())
        .with_product("basic", product("cust{client_id}", "1 GB"));
    let ctx = ServiceContext::new("42", "1");
    let a = cycle.create(&s1, &ctx, "basic").await.unwrap();
    let b = cycle.create(&s2, &ctx, "basic").await.unwrap();
    assert_eq!(a.username, b.username, "cust42 on both servers");
    one.set_used(&a.username, ByteSize::new(2 << 30));
    two.set_used(&b.username, ByteSize::new(1 << 20));
    for (_, result) in cycle.sweep_all(Utc::now()).await {
        result.unwrap();
    }
    let state = |states: std::collections::BTreeMap<_, _>| states.get(&a.username).copied();
    assert_eq!(
        state(cycle.ledger().threshold_states(&s1).await.unwrap()),
        Some(ThresholdState::Exceeded)
    );
    assert_eq!(
        state(cycle.ledger().threshold_states(&s2).await.unwrap()),
        None
    );
    let owed = cycle
        .pending_actions(10, Duration::from_secs(60))
        .await
        .unwrap();
    assert_eq!(owed.len(), 1);
    assert_eq!(owed[0].service.server, s1);
    assert_eq!(
        owed[0].values.get("client_id").map(String::as_str),
        Some("42")
    );
    assert_eq!(
        owed[0]
            .values
            .get("disk_used_percentage")
            .map(String::as_str),
        Some("200")
    );
}

#[tokio::test]
async fn a_recreated_name_does_not_inherit_the_old_accounts_state() {
    let provider = Arc::new(InMemoryProvider::new());
    let cycle = cycle_on(&provider).await;
    let first = cycle
        .create(&server(), &ServiceContext::new("42", "1"), "basic")
        .await
        .unwrap();
    provider.set_used(&first.username, ByteSize::new(2 << 30));
    cycle.sweep(&server(), Utc::now()).await.unwrap();
    let owed = cycle
        .pending_actions(10, Duration::from_secs(60))
        .await
        .unwrap();
    assert_eq!(owed.len(), 1);
    cycle
        .terminate(&ServiceKey::new(server(), "1"), None)
        .await
        .unwrap();
    assert!(cycle
        .ledger()
        .threshold_states(&server())
        .await
        .unwrap()
        .is_empty());

    let again = cycle
        .create(&server(), &ServiceContext::new("42", "2"), "basic")
        .await
        .unwrap();
    assert_eq!(again.username, first.username, "the name is free again");
    provider.set_used(&again.username, ByteSize::new(1 << 20));
    let report = cycle.sweep(&server(), Utc::now()).await.unwrap();
    assert!(
        report.outcomes[0].actions.is_empty(),
        "no false 'back under limit'"
    );
    // The leased action of the terminated account is gone, not handed out again.
    let later = cycle
        .ledger()
        .pending_actions(
            "other",
            10,
            Utc::now() + TimeDelta::hours(1),
            Utc::now() + TimeDelta::hours(2),
        )
        .await
        .unwrap();
    assert!(later.is_empty(), "{later:?}");
}

#[tokio::test]
async fn a_failed_limit_switch_heals_on_the_next_sweep() {
    let provider = Arc::new(InMemoryProvider::new());
    let cycle = cycle_on(&provider).await;
    let created = cycle
        .create(&server(), &ServiceContext::new("42", "1"), "basic")
        .await
        .unwrap();
    provider.set_used(&created.username, ByteSize::new(2 << 30));
    provider.fail_next(Operation::SetLimited, ErrorKind::Transient, 1);
    let report = cycle.sweep(&server(), Utc::now()).await.unwrap();
    assert!(report.limit_switches[0].2.is_err());
    assert!(!provider.is_limited(&created.username));
    let report = cycle.sweep(&server(), Utc::now()).await.unwrap();
    assert!(
        report.outcomes[0].actions.is_empty(),
        "the action was owed once, by the first sweep"
    );
    assert!(report.limit_switches[0].2.is_ok());
    assert!(
        provider.is_limited(&created.username),
        "the second sweep limits it"
    );

    // Back under the limit, and the lift fails once: it heals too.
    provider.set_used(&created.username, ByteSize::new(1 << 20));
    provider.fail_next(Operation::SetLimited, ErrorKind::Transient, 1);
    cycle.sweep(&server(), Utc::now()).await.unwrap();
    assert!(provider.is_limited(&created.username));
    cycle.sweep(&server(), Utc::now()).await.unwrap();
    assert!(
        !provider.is_limited(&created.username),
        "the tenant is not read-only for good"
    );
}

#[tokio::test]
async fn an_administrators_policy_holds_until_handed_back() {
    let provider = Arc::new(InMemoryProvider::new());
    let cycle = cycle_on(&provider).await;
    let created = cycle
        .create(&server(), &ServiceContext::new("42", "1"), "basic")
        .await
        .unwrap();
    let key = ServiceKey::new(server(), "1");
    provider.set_used(&created.username, ByteSize::new(2 << 30));
    cycle
        .set_limit_override(&key, Some(LimitOverride::Standard))
        .await
        .unwrap();
    cycle.sweep(&server(), Utc::now()).await.unwrap();
    assert!(
        !provider.is_limited(&created.username),
        "'set standard policy' holds over the usage"
    );
    cycle.sweep(&server(), Utc::now()).await.unwrap();
    assert!(!provider.is_limited(&created.username));
    cycle.set_limit_override(&key, None).await.unwrap();
    assert!(
        provider.is_limited(&created.username),
        "'update policy' follows the usage again"
    );

    provider.set_used(&created.username, ByteSize::new(1 << 20));
    cycle
        .set_limit_override(&key, Some(LimitOverride::Limited))
        .await
        .unwrap();
    cycle.sweep(&server(), Utc::now()).await.unwrap();
    assert!(
        provider.is_limited(&created.username),
        "'set limited policy' holds under the limit"
    );
}

#[tokio::test]
async fn a_finished_operation_asked_again_with_its_key_is_not_repeated() {
    let provider = Arc::new(InMemoryProvider::new());
    let cycle = cycle_on(&provider).await;
    cycle
        .create(&server(), &ServiceContext::new("42", "1"), "basic")
        .await
        .unwrap();
    let key = ServiceKey::new(server(), "1");
    cycle
        .change_plan(&key, "big", Some("whmcs-991"))
        .await
        .unwrap();
    let calls = provider.call_count();
    cycle
        .change_plan(&key, "big", Some("whmcs-991"))
        .await
        .unwrap();
    assert_eq!(provider.call_count(), calls, "answered from the journal");
    let misuse = cycle.suspend(&key, Some("whmcs-991")).await.unwrap_err();
    assert_eq!(misuse.kind(), ErrorKind::InvalidInput);
    cycle.suspend(&key, None).await.unwrap();
    let terminated = cycle
        .change_plan(&ServiceKey::new(server(), "nope"), "big", None)
        .await;
    assert!(matches!(
        terminated,
        Err(Error::Ledger(LedgerError::UnknownService(_)))
    ));
}

#[tokio::test]
async fn replaying_a_done_order_reports_the_account_without_a_password() {
    let provider = Arc::new(InMemoryProvider::new());
    let cycle = cycle_on(&provider).await;
    let ctx = ServiceContext::new("42", "1");
    let first = cycle.create(&server(), &ctx, "basic").await.unwrap();
    let again = cycle.create(&server(), &ctx, "basic").await.unwrap();
    assert!(again.resumed && again.password.is_none());
    assert_eq!(again.username, first.username);
    let owed = cycle
        .pending_actions(10, Duration::from_secs(1))
        .await
        .unwrap();
    assert!(owed
        .iter()
        .all(|a| a.kind != ThresholdAction::BackUnderLimit));
}

/// The crash scenarios with the ledger on PostgreSQL. A database takes ~200 ms to make,
/// so each scenario gets one and each crash point its own server in it.
#[cfg(feature = "postgres")]
mod postgres {
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::sync::Arc;

    use crate::ledger::testing::{connect_postgres, fresh_postgres_database};
    use crate::ledger::{Ledger, ServerId, SqlLedger};
    use crate::memory::InMemoryProvider;
    use crate::testkit::crash::{
        crash_every_change_plan, crash_every_create, crash_every_sweep, crash_every_terminate,
        two_workers_one_dies, CrashWorld,
    };
    use crate::ByteSize;

    /// A fresh in-memory server named `crash-<n>` on `ledger`.
    fn world_on(ledger: Arc<dyn Ledger>, next: &AtomicU32) -> CrashWorld {
        let provider = Arc::new(InMemoryProvider::new());
        let usage = provider.clone();
        let server = format!("crash-{}", next.fetch_add(1, Ordering::Relaxed));
        CrashWorld::new(ledger, provider, move |user, bytes| {
            usage.set_used(user, ByteSize::new(bytes))
        })
        .with_server(ServerId::new(server).unwrap())
    }

    /// One database for a scenario (None when no PostgreSQL is configured: skipped).
    async fn scenario_ledger(label: &str) -> Option<Arc<dyn Ledger>> {
        let url = fresh_postgres_database(label).await?;
        let ledger: Arc<SqlLedger> = Arc::new(connect_postgres(&url).await);
        Some(ledger)
    }

    /// A test running `scenario` on one database, each crash point on its own server,
    /// and asserting it passed at least `min` points (as on SQLite).
    macro_rules! on_postgres {
        ($name:ident, $scenario:ident, $label:literal, $min:expr) => {
            #[tokio::test]
            async fn $name() {
                let Some(ledger) = scenario_ledger($label).await else {
                    return;
                };
                let next = AtomicU32::new(0);
                let points = $scenario(|| async { world_on(ledger.clone(), &next) }).await;
                assert!(points >= $min, "{} passes {points} points", $label);
            }
        };
    }

    on_postgres!(
        on_postgres_a_create_crashed_at_any_point_makes_one_whole_account,
        crash_every_create,
        "crash_create",
        10
    );
    on_postgres!(
        on_postgres_a_plan_change_crashed_at_any_point_ends_on_the_new_plan,
        crash_every_change_plan,
        "crash_plan",
        6
    );
    on_postgres!(
        on_postgres_a_termination_crashed_at_any_point_ends_with_the_account_gone,
        crash_every_terminate,
        "crash_terminate",
        6
    );
    on_postgres!(
        on_postgres_a_sweep_crashed_at_any_point_owes_each_action_once,
        crash_every_sweep,
        "crash_sweep",
        6
    );

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn two_workers_on_two_postgres_pools_make_one_account_per_service_when_one_dies() {
        let Some(url) = fresh_postgres_database("crash_workers").await else {
            return;
        };
        let dying: Arc<dyn Ledger> = Arc::new(connect_postgres(&url).await);
        let living: Arc<dyn Ledger> = Arc::new(connect_postgres(&url).await);
        let next = AtomicU32::new(0);
        // Points in the first, second, third and fourth order of the dying worker (an
        // order passes ~11); each costs ~4 s of lock time to live through.
        for point in [2, 9, 17, 40] {
            let world = world_on(dying.clone(), &next).with_second_ledger(living.clone());
            two_workers_one_dies(world, point).await;
        }
    }
}

#[tokio::test]
async fn a_dead_holders_lock_ends_after_its_time_and_recover_says_it_waits() {
    let provider = Arc::new(InMemoryProvider::new());
    let cycle = cycle_on(&provider)
        .await
        .with_lock_timing(Duration::from_millis(300), Duration::from_millis(50));
    let ctx = ServiceContext::new("7", "s1");
    cycle.create(&server(), &ctx, "basic").await.unwrap();
    let key = ServiceKey::new(server(), "s1");
    let ledger = cycle.ledger().clone();
    let mut service = ledger.service(&key).await.unwrap().unwrap();
    // As a killed run leaves it: terminating, and its lock still held.
    service.status = ServiceStatus::Terminating;
    ledger.save_service(&service).await.unwrap();
    let now = Utc::now();
    assert!(ledger
        .try_lock(&key, "dead-worker", now, now + TimeDelta::milliseconds(300))
        .await
        .unwrap());
    let waiting = cycle.recover().await.unwrap();
    assert_eq!(waiting.held, vec![key.clone()]);
    assert!(waiting.finished.is_empty());
    tokio::time::sleep(Duration::from_millis(400)).await;
    let settled = cycle.recover().await.unwrap();
    assert!(settled.held.is_empty());
    assert_eq!(settled.finished, vec![key.clone()]);
}

/// An account another module made: created on the provider directly, not through the cycle.
async fn made_elsewhere(provider: &InMemoryProvider, name: &str) -> crate::Username {
    let username = crate::Username::new(name).unwrap();
    provider
        .create_account(&crate::AccountSpec {
            username: username.clone(),
            password: "made-elsewhere-Passw0rd".to_string().into(),
            email: None,
            display_name: None,
            plan: crate::Plan::new("1 GB".parse().unwrap()),
        })
        .await
        .unwrap();
    username
}

#[tokio::test]
async fn adopting_records_an_existing_account_once_with_its_status_and_changes_nothing() {
    use super::Adopted;
    let provider = Arc::new(InMemoryProvider::new());
    let cycle = cycle_on(&provider).await;
    let alice = made_elsewhere(&provider, "legacy-alice").await;
    let bob = made_elsewhere(&provider, "legacy-bob").await;
    provider.suspend(&bob).await.unwrap();
    let before = provider.account(&alice).await.unwrap();

    let ctx = ServiceContext::new("42", "100");
    let adopted = cycle.adopt(&server(), &ctx, "basic", &alice).await.unwrap();
    let Adopted::Recorded { service, .. } = adopted else {
        panic!("{adopted:?}");
    };
    assert_eq!(service.status, ServiceStatus::Active);
    assert_eq!(service.username.as_ref(), Some(&alice));
    assert_eq!(
        provider.account(&alice).await.unwrap(),
        before,
        "nothing changed on the server"
    );
    let bobs = cycle
        .adopt(&server(), &ServiceContext::new("43", "101"), "basic", &bob)
        .await
        .unwrap();
    assert!(
        matches!(&bobs, Adopted::Recorded { service, .. } if service.status == ServiceStatus::Suspended),
        "{bobs:?}"
    );

    // Asked again (a retried migration): recorded once.
    let again = cycle.adopt(&server(), &ctx, "basic", &alice).await.unwrap();
    assert!(
        matches!(again, Adopted::AlreadyRecorded { .. }),
        "{again:?}"
    );
    assert_eq!(provider.account_names().len(), 2);

    // The adopted service takes orders like any other.
    let key = ServiceKey::new(server(), "100");
    cycle.suspend(&key, None).await.unwrap();
    assert_eq!(
        provider.account(&alice).await.unwrap().unwrap().status,
        crate::AccountStatus::Suspended
    );
    // A create for it finds the account and makes no second one.
    let created = cycle.create(&server(), &ctx, "basic").await.unwrap();
    assert_eq!(created.username, alice);
    assert_eq!(provider.account_names().len(), 2);
}

#[tokio::test]
async fn adopting_refuses_missing_accounts_taken_names_and_services_holding_another() {
    let provider = Arc::new(InMemoryProvider::new());
    let cycle = cycle_on(&provider).await;
    let alice = made_elsewhere(&provider, "legacy-alice").await;
    let carol = made_elsewhere(&provider, "legacy-carol").await;
    let ghost = crate::Username::new("nobody-here").unwrap();

    let missing = cycle
        .adopt(&server(), &ServiceContext::new("1", "200"), "basic", &ghost)
        .await
        .unwrap_err();
    assert!(
        matches!(missing, Error::AccountNotFound { .. }),
        "{missing:?}"
    );
    assert!(cycle
        .ledger()
        .service(&ServiceKey::new(server(), "200"))
        .await
        .unwrap()
        .is_none());

    cycle
        .adopt(&server(), &ServiceContext::new("1", "201"), "basic", &alice)
        .await
        .unwrap();
    let taken = cycle
        .adopt(&server(), &ServiceContext::new("2", "202"), "basic", &alice)
        .await
        .unwrap_err();
    assert!(
        matches!(taken, Error::Ledger(LedgerError::NameTaken { .. })),
        "{taken:?}"
    );
    assert_eq!(taken.kind(), ErrorKind::AlreadyExists);

    let other = cycle
        .adopt(&server(), &ServiceContext::new("1", "201"), "basic", &carol)
        .await
        .unwrap_err();
    assert!(
        matches!(other, Error::Ledger(LedgerError::WrongState { .. })),
        "{other:?}"
    );
    let unknown = cycle
        .adopt(
            &server(),
            &ServiceContext::new("1", "203"),
            "no-such-product",
            &carol,
        )
        .await
        .unwrap_err();
    assert_eq!(unknown.kind(), ErrorKind::NotFound);
}

/// A path for a new SQLite ledger file of this test process (none there yet), for
/// tests in which two cycles open one ledger.
fn fresh_ledger_file(tag: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("provision-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("ledger.sqlite");
    let _ = std::fs::remove_file(&path);
    path
}

fn settings(json: &str) -> crate::config::ProductSettings {
    serde_json::from_str(json).unwrap()
}

#[tokio::test]
async fn a_product_defined_over_the_service_sells_and_moves_accounts_in_every_process() {
    let provider = Arc::new(InMemoryProvider::new());
    let path = fresh_ledger_file("products");
    let one = BillingCycle::new(Arc::new(SqlLedger::sqlite(&path).await.unwrap()))
        .with_server(server(), provider.clone())
        .with_product("basic", product("cust{client_id}", "1 GB"));
    let defined = one
        .define_product(
            "whmcs-7",
            settings(r#"{"name_rule": "w{client_id}", "password_rule": 16, "quota": 3, "unit": "GB", "notify_at": 75}"#),
            Utc::now(),
        )
        .await
        .unwrap();
    assert!(defined.created);
    // A second process on the same ledger sells it without being told.
    let two = BillingCycle::new(Arc::new(SqlLedger::sqlite(&path).await.unwrap()))
        .with_server(server(), provider.clone());
    let created = two
        .create(&server(), &ServiceContext::new("42", "1"), "whmcs-7")
        .await
        .unwrap();
    assert_eq!(created.username.as_str(), "w42");
    let account = provider.account(&created.username).await.unwrap().unwrap();
    assert_eq!(
        account.quota.and_then(|q| q.limit()),
        Some(ByteSize::new(3 << 30))
    );
    // Replaced in the first, applied by a plan change in the second.
    let replaced = one
        .define_product(
            "whmcs-7",
            settings(
                r#"{"name_rule": "w{client_id}", "password_rule": 16, "quota": 5, "unit": "GB"}"#,
            ),
            Utc::now(),
        )
        .await
        .unwrap();
    assert!(!replaced.created);
    assert_eq!(replaced.product.config.notify_at_percent, None);
    let key = ServiceKey::new(server(), "1");
    two.change_plan(&key, "whmcs-7", Some("after-edit"))
        .await
        .unwrap();
    let account = provider.account(&created.username).await.unwrap().unwrap();
    assert_eq!(
        account.quota.and_then(|q| q.limit()),
        Some(ByteSize::new(5 << 30))
    );
    let names: Vec<String> = two
        .products()
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.name)
        .collect();
    assert_eq!(names, vec!["whmcs-7"]);
}

#[tokio::test]
async fn a_plan_change_leaves_the_groups_the_account_was_put_in_after_its_product_was_edited() {
    let provider = Arc::new(InMemoryProvider::new());
    let path = fresh_ledger_file("applied");
    let open = || async {
        BillingCycle::new(Arc::new(SqlLedger::sqlite(&path).await.unwrap()))
            .with_server(server(), provider.clone())
    };
    let with_groups = |groups: &str| {
        settings(&format!(
            r#"{{"name_rule": "g{{client_id}}", "password_rule": 16, "quota": 1, "groups": {groups}}}"#
        ))
    };
    let one = open().await;
    one.define_product("plan", with_groups(r#"["plan-a", "shared"]"#), Utc::now())
        .await
        .unwrap();
    let created = one
        .create(&server(), &ServiceContext::new("7", "1"), "plan")
        .await
        .unwrap();
    let groups_of = || async {
        let account = provider.account(&created.username).await.unwrap().unwrap();
        account
            .groups
            .iter()
            .map(|g| g.as_str().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(groups_of().await, ["plan-a", "shared"]);
    // The product's groups are edited; the account is still in the old ones until its
    // next plan change, which another process (same ledger) makes.
    one.define_product("plan", with_groups(r#"["plan-b", "shared"]"#), Utc::now())
        .await
        .unwrap();
    drop(one);
    let two = open().await;
    two.change_plan(&ServiceKey::new(server(), "1"), "plan", Some("after-edit"))
        .await
        .unwrap();
    assert_eq!(groups_of().await, ["plan-b", "shared"], "plan-a was left");
    let recorded = two
        .ledger()
        .service(&ServiceKey::new(server(), "1"))
        .await
        .unwrap()
        .unwrap()
        .applied_groups
        .unwrap();
    assert_eq!(
        recorded,
        vec![
            GroupName::new("plan-b").unwrap(),
            GroupName::new("shared").unwrap()
        ]
    );
}

#[tokio::test]
async fn a_product_definition_is_checked_before_it_is_kept() {
    let provider = Arc::new(InMemoryProvider::new());
    let cycle = cycle_on(&provider).await;
    let good = r#"{"name_rule": "w{client_id}", "password_rule": 16, "quota": 3}"#;
    let err = cycle
        .define_product("basic", settings(good), Utc::now())
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Ledger(LedgerError::ProductInConfiguration(ref n)) if n == "basic"),
        "{err}"
    );
    let err = cycle
        .define_product("../x", settings(good), Utc::now())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("product"), "{err}");
    let bad = r#"{"name_rule": "w{client_id}", "password_rule": 16, "quota": 3, "notify_at": 140}"#;
    let err = cycle
        .define_product("p1", settings(bad), Utc::now())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("products.p1.notify_at"), "{err}");
    assert!(
        cycle.ledger().product("p1").await.unwrap().is_none(),
        "nothing kept"
    );
    let err = cycle.product("p1").await.unwrap_err();
    assert!(
        matches!(err, Error::Ledger(LedgerError::UnknownProduct(_))),
        "{err}"
    );
}
