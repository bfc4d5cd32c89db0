//! The conformance suite every [`Ledger`] passes: run [`run_all`] on a fresh, empty
//! ledger. Each check panics with what broke.
//!
//! ```
//! # #[cfg(feature = "sqlite")]
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! use provision_core::ledger::{conformance, SqlLedger};
//! conformance::run_all(&SqlLedger::sqlite_in_memory().await.unwrap()).await;
//! # });
//! ```

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, TimeDelta, TimeZone, Utc};

use super::{
    AccountKey, Begun, Ledger, LedgerSample, NewAction, Operation, OperationKind, OperationState,
    ProductRecord, ServerId, ServerRecord, ServiceKey, ServiceRecord, ServiceStatus, SweepRecord,
};
use crate::error::Error;
use crate::ledger::LedgerError;
use crate::quota::ByteSize;
use crate::threshold::{ThresholdAction, ThresholdState};
use crate::username::{GroupName, Username};

fn at(day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, day, hour, minute, 0)
        .single()
        .expect("a valid test time")
}

fn server(name: &str) -> ServerId {
    ServerId::new(name).expect("a valid server id")
}

fn user(name: &str) -> Username {
    Username::new(name).expect("a valid user name")
}

fn service(server_id: &ServerId, id: &str, name: &str, status: ServiceStatus) -> ServiceRecord {
    ServiceRecord {
        username: Some(user(name)),
        account_key: Some(name.to_lowercase()),
        ..ServiceRecord::new(
            ServiceKey::new(server_id.clone(), id),
            "client",
            "basic",
            status,
            at(1, 0, 0),
        )
    }
}

fn sample(name: &str, when: DateTime<Utc>, bytes: u64, keep_days: i64) -> LedgerSample {
    LedgerSample {
        username: user(name),
        at: when,
        used: ByteSize::new(bytes),
        measured_at: None,
        keep_until: when + TimeDelta::days(keep_days),
    }
}

fn action(service_id: &str, name: &str, kind: ThresholdAction) -> NewAction {
    NewAction {
        service_id: service_id.into(),
        username: user(name),
        kind,
        values: BTreeMap::from([("username".to_string(), name.to_string())]),
    }
}

/// Runs every check on `ledger`, which must be empty.
pub async fn run_all(ledger: &dyn Ledger) {
    servers_are_recorded_and_replaced(ledger).await;
    products_are_recorded_and_replaced(ledger).await;
    services_round_trip_and_names_are_exclusive(ledger).await;
    locks_exclude_other_owners_until_they_end(ledger).await;
    the_journal_answers_a_repeated_key(ledger).await;
    state_is_kept_per_server_and_account(ledger).await;
    actions_are_leased_confirmed_and_handed_out_again(ledger).await;
    forgetting_an_account_clears_state_and_pending_actions(ledger).await;
    samples_are_pruned_when_their_retention_ends(ledger).await;
    series_follow_the_time_zone(ledger).await;
    big_byte_counts_round_trip(ledger).await;
    imports_are_all_or_nothing(ledger).await;
}

/// An import records every service in one go, or none when one name is held twice.
pub async fn imports_are_all_or_nothing(ledger: &dyn Ledger) {
    let id = server("conf-import");
    let many: Vec<_> = (0..1200)
        .map(|i| {
            service(
                &id,
                &i.to_string(),
                &format!("imp{i}"),
                ServiceStatus::Active,
            )
        })
        .collect();
    ledger.import_services(&many).await.unwrap();
    assert_eq!(ledger.services(&id).await.unwrap().len(), 1200);
    let other = server("conf-import-b");
    let clash = vec![
        service(&other, "1", "same", ServiceStatus::Active),
        service(&other, "2", "fresh", ServiceStatus::Active),
        service(&other, "3", "same", ServiceStatus::Active),
    ];
    assert!(ledger.import_services(&clash).await.is_err());
    assert!(
        ledger.services(&other).await.unwrap().is_empty(),
        "nothing of a refused import stays"
    );
}

/// Products defined over the service: put, read, replace, list in name order.
pub async fn products_are_recorded_and_replaced(ledger: &dyn Ledger) {
    assert_eq!(ledger.product("conf-p").await.unwrap(), None);
    let first = ProductRecord {
        name: "conf-p".into(),
        settings: r#"{"quota":"1 GB"}"#.into(),
        updated_at: at(1, 0, 0),
    };
    ledger.put_product(&first).await.unwrap();
    let second = ProductRecord {
        settings: r#"{"quota":"2 GB"}"#.into(),
        updated_at: at(2, 0, 0),
        ..first.clone()
    };
    ledger.put_product(&second).await.unwrap();
    ledger
        .put_product(&ProductRecord {
            name: "conf-a".into(),
            ..first.clone()
        })
        .await
        .unwrap();
    assert_eq!(
        ledger.product("conf-p").await.unwrap(),
        Some(second.clone()),
        "a second put replaces the settings and the time"
    );
    let names: Vec<String> = ledger
        .products()
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.name)
        .collect();
    assert_eq!(names, ["conf-a", "conf-p"]);
}

/// Servers: put, read, replace, list.
pub async fn servers_are_recorded_and_replaced(ledger: &dyn Ledger) {
    let id = server("conf-servers");
    assert_eq!(ledger.server(&id).await.unwrap(), None);
    ledger
        .put_server(&ServerRecord::new(
            id.clone(),
            "nextcloud",
            "url = \"https://a\"",
        ))
        .await
        .unwrap();
    ledger
        .put_server(&ServerRecord::new(
            id.clone(),
            "nextcloud",
            "url = \"https://b\"",
        ))
        .await
        .unwrap();
    let stored = ledger
        .server(&id)
        .await
        .unwrap()
        .expect("the server is recorded");
    assert_eq!(
        stored.config, "url = \"https://b\"",
        "a second put replaces"
    );
    assert!(ledger.servers().await.unwrap().iter().any(|s| s.id == id));
}

/// Services: every field round-trips; a second live service cannot hold the same
/// account; a terminated one lets go of its name.
pub async fn services_round_trip_and_names_are_exclusive(ledger: &dyn Ledger) {
    let id = server("conf-services");
    let mut first = service(&id, "1", "Alice", ServiceStatus::Active);
    first.limit_override = Some(super::LimitOverride::Limited);
    first.applied_limited = Some(true);
    first.applied_groups = Some(vec![
        GroupName::new("plan-100").unwrap(),
        GroupName::new("Everyone Else").unwrap(),
    ]);
    first.last_error = Some("earlier trouble".into());
    ledger.save_service(&first).await.unwrap();
    assert_eq!(
        ledger.service(&first.key).await.unwrap(),
        Some(first.clone())
    );
    ledger
        .set_applied_limited(
            &id,
            &[("1".to_string(), false), ("absent".to_string(), true)],
        )
        .await
        .unwrap();
    let applied = ledger
        .service(&first.key)
        .await
        .unwrap()
        .unwrap()
        .applied_limited;
    assert_eq!(applied, Some(false), "the applied limit is recorded");
    first.applied_limited = Some(false);

    let clash = service(&id, "2", "alice", ServiceStatus::Creating);
    match ledger.save_service(&clash).await {
        Err(Error::Ledger(LedgerError::NameTaken { owner, .. })) => assert_eq!(owner, "1"),
        other => panic!("a second service holding alice must be refused, got {other:?}"),
    }
    // The same name on another server is another account.
    let elsewhere = service(
        &server("conf-services-b"),
        "2",
        "alice",
        ServiceStatus::Active,
    );
    ledger.save_service(&elsewhere).await.unwrap();

    let owner = ledger.account_owner(&id, "alice").await.unwrap();
    assert_eq!(owner, Some(first.key.clone()));
    let terminated = ServiceRecord {
        status: ServiceStatus::Terminated,
        ..first.clone()
    };
    ledger.save_service(&terminated).await.unwrap();
    assert_eq!(ledger.account_owner(&id, "alice").await.unwrap(), None);
    ledger.save_service(&clash).await.unwrap();
    let listed: Vec<_> = ledger
        .services(&id)
        .await
        .unwrap()
        .into_iter()
        .map(|s| (s.key.service_id, s.status))
        .collect();
    assert_eq!(
        listed,
        [
            ("1".to_string(), ServiceStatus::Terminated),
            ("2".to_string(), ServiceStatus::Creating)
        ]
    );
}

/// Locks: one owner at a time, taken over only after they end; only the owner lets go.
pub async fn locks_exclude_other_owners_until_they_end(ledger: &dyn Ledger) {
    let key = ServiceKey::new(server("conf-locks"), "9");
    let now = at(2, 10, 0);
    let later = now + TimeDelta::seconds(30);
    assert!(ledger.try_lock(&key, "a", now, later).await.unwrap());
    assert!(
        !ledger.try_lock(&key, "b", now, later).await.unwrap(),
        "b must wait for a"
    );
    assert!(
        ledger.try_lock(&key, "a", now, later).await.unwrap(),
        "the owner may renew"
    );
    ledger.unlock(&key, "b").await.unwrap();
    assert!(
        !ledger.try_lock(&key, "b", now, later).await.unwrap(),
        "b cannot let go of a's lock"
    );
    assert!(
        ledger
            .try_lock(&key, "b", later, later + TimeDelta::seconds(30))
            .await
            .unwrap(),
        "a lock whose time ended is taken over"
    );
    ledger.unlock(&key, "b").await.unwrap();
    assert!(ledger.try_lock(&key, "c", now, later).await.unwrap());
}

/// The journal: a key is recorded once; asking again returns the first record.
pub async fn the_journal_answers_a_repeated_key(ledger: &dyn Ledger) {
    let key = ServiceKey::new(server("conf-journal"), "5");
    let op = Operation {
        key: "order-77".into(),
        service: key.clone(),
        kind: OperationKind::ChangePlan,
        target: Some("gold".into()),
        state: OperationState::Started,
        outcome: None,
        started_at: at(3, 9, 0),
        finished_at: None,
    };
    assert_eq!(ledger.begin_operation(&op).await.unwrap(), Begun::New);
    assert!(ledger
        .unfinished_operations()
        .await
        .unwrap()
        .iter()
        .any(|o| o.key == "order-77"));
    let Begun::Existing(again) = ledger.begin_operation(&op).await.unwrap() else {
        panic!("the same key again must be answered from the journal");
    };
    assert_eq!(again, op);
    ledger
        .finish_operation("order-77", OperationState::Done, Some("ok"), at(3, 9, 1))
        .await
        .unwrap();
    let journal = ledger.operations(&key).await.unwrap();
    assert_eq!(journal.len(), 1);
    assert_eq!(journal[0].state, OperationState::Done);
    assert_eq!(journal[0].outcome.as_deref(), Some("ok"));
    assert_eq!(journal[0].finished_at, Some(at(3, 9, 1)));
    assert!(!ledger
        .unfinished_operations()
        .await
        .unwrap()
        .iter()
        .any(|o| o.key == "order-77"));
}

/// Threshold states and samples of `cust42` on two servers never mix.
pub async fn state_is_kept_per_server_and_account(ledger: &dyn Ledger) {
    let (a, b) = (server("conf-state-a"), server("conf-state-b"));
    let sweep = SweepRecord {
        samples: vec![sample("cust42", at(4, 1, 0), 100, 30)],
        states: vec![(user("cust42"), ThresholdState::Exceeded)],
        actions: vec![],
    };
    ledger.record_sweep(&a, &sweep, at(4, 1, 0)).await.unwrap();
    assert_eq!(
        ledger
            .threshold_states(&a)
            .await
            .unwrap()
            .get(&user("cust42")),
        Some(&ThresholdState::Exceeded)
    );
    assert!(ledger.threshold_states(&b).await.unwrap().is_empty());
    let on_b = AccountKey {
        server: b,
        username: user("cust42"),
    };
    assert!(ledger
        .samples(&on_b, at(1, 0, 0), at(30, 0, 0))
        .await
        .unwrap()
        .is_empty());
}

/// The outbox: actions come out once per lease, again after it ends, never after
/// they are confirmed.
pub async fn actions_are_leased_confirmed_and_handed_out_again(ledger: &dyn Ledger) {
    let id = server("conf-outbox");
    let now = at(5, 8, 0);
    let sweep = SweepRecord {
        samples: vec![],
        states: vec![(user("u1"), ThresholdState::NearLimit)],
        actions: vec![
            action("1", "u1", ThresholdAction::NotifyNearLimit),
            action("2", "u2", ThresholdAction::LimitExceeded),
        ],
    };
    ledger.record_sweep(&id, &sweep, now).await.unwrap();
    let lease = now + TimeDelta::minutes(5);
    let first = ledger
        .pending_actions("worker-a", 10, now, lease)
        .await
        .unwrap();
    let ours: Vec<_> = first.iter().filter(|a| a.service.server == id).collect();
    assert_eq!(ours.len(), 2, "both actions are handed out: {first:?}");
    assert_eq!(ours[0].kind, ThresholdAction::NotifyNearLimit);
    assert_eq!(
        ours[0].values.get("username").map(String::as_str),
        Some("u1")
    );
    assert_eq!(ours[0].attempts, 1);
    assert!(ours[0].id < ours[1].id, "oldest first");
    let held = ledger
        .pending_actions("worker-b", 10, now, lease)
        .await
        .unwrap();
    assert!(
        !held.iter().any(|a| a.service.server == id),
        "leased actions are not handed to another consumer"
    );
    assert!(ledger.confirm(ours[0].id, now).await.unwrap());
    assert!(
        ledger.confirm(ours[0].id, now).await.unwrap(),
        "confirming twice succeeds"
    );
    let after_lease = ledger
        .pending_actions("worker-b", 10, lease, lease + TimeDelta::minutes(5))
        .await
        .unwrap();
    let back: Vec<_> = after_lease
        .iter()
        .filter(|a| a.service.server == id)
        .collect();
    assert_eq!(
        back.len(),
        1,
        "the unconfirmed action comes back, the confirmed one not"
    );
    assert_eq!(back[0].id, ours[1].id, "with the same id");
    assert_eq!(back[0].attempts, 2);
    let confirmed = ledger
        .confirm_many(&[back[0].id, ours[0].id, super::ActionId(i64::MAX)], lease)
        .await
        .unwrap();
    assert_eq!(confirmed, 2, "two of the three exist");
    let after = ledger
        .pending_actions(
            "worker-c",
            10,
            lease + TimeDelta::hours(1),
            lease + TimeDelta::hours(2),
        )
        .await
        .unwrap();
    assert!(
        !after.iter().any(|a| a.service.server == id),
        "confirmed in one write"
    );
}

/// Terminating forgets the account's state and unconfirmed actions, not its samples.
pub async fn forgetting_an_account_clears_state_and_pending_actions(ledger: &dyn Ledger) {
    let id = server("conf-forget");
    let now = at(6, 8, 0);
    let sweep = SweepRecord {
        samples: vec![sample("gone", now, 5, 30)],
        states: vec![
            (user("gone"), ThresholdState::Exceeded),
            (user("kept"), ThresholdState::NearLimit),
        ],
        actions: vec![action("1", "gone", ThresholdAction::LimitExceeded)],
    };
    ledger.record_sweep(&id, &sweep, now).await.unwrap();
    let account = AccountKey {
        server: id.clone(),
        username: user("gone"),
    };
    ledger.forget_account(&account).await.unwrap();
    let states = ledger.threshold_states(&id).await.unwrap();
    assert_eq!(
        states.get(&user("gone")),
        None,
        "a re-created name must start normal"
    );
    assert_eq!(states.get(&user("kept")), Some(&ThresholdState::NearLimit));
    let pending = ledger
        .pending_actions("w", 100, now, now + TimeDelta::minutes(1))
        .await
        .unwrap();
    assert!(!pending.iter().any(|a| a.service.server == id));
    assert_eq!(ledger.samples(&account, now, now).await.unwrap().len(), 1);
}

/// A sweep deletes samples whose retention ended, and only those.
pub async fn samples_are_pruned_when_their_retention_ends(ledger: &dyn Ledger) {
    let id = server("conf-prune");
    let first = at(1, 12, 0);
    let sweep = SweepRecord {
        samples: vec![sample("short", first, 1, 2), sample("long", first, 1, 30)],
        ..SweepRecord::default()
    };
    ledger.record_sweep(&id, &sweep, first).await.unwrap();
    let later = first + TimeDelta::days(3);
    ledger
        .record_sweep(&id, &SweepRecord::default(), later)
        .await
        .unwrap();
    let count = |name: &str| AccountKey {
        server: id.clone(),
        username: user(name),
    };
    assert!(ledger
        .samples(&count("short"), first, later)
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        ledger
            .samples(&count("long"), first, later)
            .await
            .unwrap()
            .len(),
        1
    );
}

/// Daily and monthly series are cut at the zone's midnights.
pub async fn series_follow_the_time_zone(ledger: &dyn Ledger) {
    let id = server("conf-zone");
    // 23:30 UTC on March 9 is 00:30 on March 10 in Berlin (UTC+1 in March).
    let late = at(9, 23, 30);
    let sweep = SweepRecord {
        samples: vec![
            sample("tz", late, 700, 30),
            sample("tz", at(9, 12, 0), 300, 30),
        ],
        ..SweepRecord::default()
    };
    ledger
        .record_sweep(&id, &sweep, at(9, 23, 31))
        .await
        .unwrap();
    let account = AccountKey {
        server: id,
        username: user("tz"),
    };
    let now = at(10, 12, 0);
    let utc = ledger
        .daily(&account, 2, now, chrono_tz::Tz::UTC)
        .await
        .unwrap();
    let used = |points: &[crate::history::DailyPoint]| -> Vec<Option<u64>> {
        points.iter().map(|p| p.used.map(ByteSize::bytes)).collect()
    };
    assert_eq!(used(&utc), [Some(700), None]);
    let berlin = ledger
        .daily(&account, 2, now, chrono_tz::Europe::Berlin)
        .await
        .unwrap();
    assert_eq!(used(&berlin), [Some(300), Some(700)]);
    assert_eq!(berlin[1].day, at(10, 0, 0).date_naive());
    // 23:30 UTC on March 31 is April 1 in Berlin: the months split differently.
    let month_end = Utc
        .with_ymd_and_hms(2026, 3, 31, 23, 30, 0)
        .single()
        .unwrap();
    ledger
        .record_sweep(
            &account.server,
            &SweepRecord {
                samples: vec![sample("tz", month_end, 1000, 30)],
                ..SweepRecord::default()
            },
            month_end,
        )
        .await
        .unwrap();
    let april = Utc.with_ymd_and_hms(2026, 4, 2, 0, 0, 0).single().unwrap();
    let months = |zone| {
        let ledger = &ledger;
        let account = &account;
        async move {
            ledger
                .monthly(account, 2, april, zone)
                .await
                .unwrap()
                .iter()
                .map(|m| (m.month, m.samples))
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(months(chrono_tz::Tz::UTC).await, [(3, 3)]);
    assert_eq!(months(chrono_tz::Europe::Berlin).await, [(3, 2), (4, 1)]);
}

/// Sizes above 2^63 keep every bit.
pub async fn big_byte_counts_round_trip(ledger: &dyn Ledger) {
    let id = server("conf-big");
    let big = u64::MAX - 6;
    let sweep = SweepRecord {
        samples: vec![sample("big", at(7, 0, 0), big, 30)],
        ..SweepRecord::default()
    };
    ledger.record_sweep(&id, &sweep, at(7, 0, 0)).await.unwrap();
    let account = AccountKey {
        server: id,
        username: user("big"),
    };
    let stored = ledger
        .samples(&account, at(7, 0, 0), at(7, 0, 0))
        .await
        .unwrap();
    assert_eq!(stored[0].used.bytes(), big);
}

/// Two consumers leasing at once from many actions get disjoint sets that together
/// cover all of them. `ledgers` share one store (two connections or processes' worth).
pub async fn concurrent_consumers_never_share_an_action(a: &dyn Ledger, b: &dyn Ledger) {
    let id = server("conf-concurrent");
    let now = at(8, 8, 0);
    let actions: Vec<_> = (0..200)
        .map(|i| {
            action(
                &i.to_string(),
                &format!("c{i}"),
                ThresholdAction::NotifyNearLimit,
            )
        })
        .collect();
    a.record_sweep(
        &id,
        &SweepRecord {
            actions,
            ..SweepRecord::default()
        },
        now,
    )
    .await
    .unwrap();
    let lease = now + TimeDelta::minutes(10);
    let (from_a, from_b) = tokio::join!(
        drain(a, "consumer-a", &id, now, lease),
        drain(b, "consumer-b", &id, now, lease)
    );
    let set_a: BTreeSet<_> = from_a.iter().collect();
    let set_b: BTreeSet<_> = from_b.iter().collect();
    assert_eq!(set_a.len(), from_a.len(), "a got an action twice");
    assert_eq!(set_b.len(), from_b.len(), "b got an action twice");
    assert!(
        set_a.is_disjoint(&set_b),
        "an action was handed to both consumers"
    );
    assert_eq!(
        set_a.len() + set_b.len(),
        200,
        "every action was handed out"
    );
    for id in from_a.into_iter().chain(from_b) {
        a.confirm(id, now).await.unwrap();
    }
}

/// Leases batches of seven until none is left; the ids of `server`'s actions.
async fn drain(
    store: &dyn Ledger,
    consumer: &str,
    server: &ServerId,
    now: DateTime<Utc>,
    lease: DateTime<Utc>,
) -> Vec<super::ActionId> {
    let mut got = Vec::new();
    loop {
        let batch = store
            .pending_actions(consumer, 7, now, lease)
            .await
            .unwrap();
        if batch.is_empty() {
            return got;
        }
        got.extend(
            batch
                .into_iter()
                .filter(|x| &x.service.server == server)
                .map(|x| x.id),
        );
        tokio::task::yield_now().await;
    }
}
