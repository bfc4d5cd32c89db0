//! One set of behaviour checks run against every store.

use std::collections::HashMap;
#[cfg(feature = "sqlite")]
use std::path::PathBuf;
#[cfg(feature = "sqlite")]
use std::sync::atomic::{AtomicU32, Ordering};

use chrono::{DateTime, NaiveDate, TimeDelta, TimeZone, Utc};
use proptest::prelude::*;

use super::*;
use crate::error::Error;

const GB: u64 = 1 << 30;

fn user(name: &str) -> Username {
    Username::new(name).unwrap()
}

fn at(y: i32, m: u32, d: u32, h: u32, min: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, min, s).unwrap()
}

fn sample(account: &str, at: DateTime<Utc>, used: u64) -> Sample {
    Sample {
        account: user(account),
        at,
        used: ByteSize::new(used),
        measured_at: None,
    }
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// The instant every check treats as "now": 2024-03-15 12:00 UTC.
fn now() -> DateTime<Utc> {
    at(2024, 3, 15, 12, 0, 0)
}

/// Runs every check, each on a fresh store from `fresh`.
async fn check_store(fresh: impl Fn() -> Box<dyn HistoryStore>) {
    daily_series_takes_each_days_highest_sample(&*fresh()).await;
    samples_are_returned_in_order_within_the_range(&*fresh()).await;
    a_sample_at_the_same_instant_replaces_the_first(&*fresh()).await;
    monthly_series_averages_each_month_and_omits_empty_ones(&*fresh()).await;
    pruning_keeps_everything_from_the_cutoff_on(&*fresh()).await;
    states_round_trip_and_update(&*fresh()).await;
    forget_drops_one_accounts_samples_and_state(&*fresh()).await;
    oversized_series_are_rejected_before_reading(&*fresh()).await;
}

async fn daily_series_takes_each_days_highest_sample(store: &dyn HistoryStore) {
    store
        .record(&[
            sample("alice", at(2024, 3, 10, 12, 0, 0), 99 * GB), // before the window
            sample("alice", at(2024, 3, 11, 0, 0, 0), 2 * GB),   // first instant of the window
            sample("alice", at(2024, 3, 13, 10, 0, 0), 3 * GB),
            sample("alice", at(2024, 3, 15, 1, 0, 0), 5 * GB),
            sample("alice", at(2024, 3, 15, 11, 0, 0), 7 * GB),
            sample("alice", at(2024, 3, 15, 23, 59, 59), 6 * GB), // later today still counts
            sample("alice", at(2024, 3, 16, 0, 0, 0), 50 * GB),   // tomorrow does not
            sample("bob", at(2024, 3, 12, 10, 0, 0), 40 * GB),
        ])
        .await
        .unwrap();
    let daily = store.daily(&user("alice"), 5, now()).await.unwrap();
    let expected = [
        (day(2024, 3, 11), Some(2 * GB)),
        (day(2024, 3, 12), None),
        (day(2024, 3, 13), Some(3 * GB)),
        (day(2024, 3, 14), None),
        (day(2024, 3, 15), Some(7 * GB)),
    ];
    let expected: Vec<DailyPoint> = expected
        .into_iter()
        .map(|(day, used)| DailyPoint {
            day,
            used: used.map(ByteSize::new),
        })
        .collect();
    assert_eq!(daily, expected);

    assert!(store
        .daily(&user("alice"), 0, now())
        .await
        .unwrap()
        .is_empty());
    let nobody = store.daily(&user("carol"), 2, now()).await.unwrap();
    assert_eq!(nobody.len(), 2);
    assert!(nobody.iter().all(|p| p.used.is_none()));
}

async fn samples_are_returned_in_order_within_the_range(store: &dyn HistoryStore) {
    let measured = Sample {
        measured_at: Some(at(2024, 3, 14, 23, 30, 0)),
        ..sample("alice", at(2024, 3, 15, 0, 0, 0), 4 * GB)
    };
    let with_millis = sample(
        "alice",
        at(2024, 3, 15, 6, 0, 0) + TimeDelta::milliseconds(250),
        5 * GB,
    );
    store
        .record(&[
            with_millis.clone(),
            sample("alice", at(2024, 3, 16, 0, 0, 1), 6 * GB),
            measured.clone(),
            sample("alice", at(2024, 3, 14, 23, 59, 59), 3 * GB),
            sample("bob", at(2024, 3, 15, 1, 0, 0), GB),
        ])
        .await
        .unwrap();
    let found = store
        .samples(
            &user("alice"),
            at(2024, 3, 15, 0, 0, 0),
            at(2024, 3, 16, 0, 0, 1),
        )
        .await
        .unwrap();
    let later = sample("alice", at(2024, 3, 16, 0, 0, 1), 6 * GB);
    assert_eq!(found, [measured, with_millis, later]);
    let reversed = store
        .samples(
            &user("alice"),
            at(2024, 3, 16, 0, 0, 0),
            at(2024, 3, 15, 0, 0, 0),
        )
        .await
        .unwrap();
    assert!(reversed.is_empty());
    assert!(store
        .samples(
            &user("carol"),
            DateTime::<Utc>::MIN_UTC,
            DateTime::<Utc>::MAX_UTC
        )
        .await
        .unwrap()
        .is_empty());
}

async fn a_sample_at_the_same_instant_replaces_the_first(store: &dyn HistoryStore) {
    let when = at(2024, 3, 15, 6, 0, 0);
    store.record(&[sample("alice", when, GB)]).await.unwrap();
    store
        .record(&[sample("alice", when, 2 * GB)])
        .await
        .unwrap();
    let found = store.samples(&user("alice"), when, when).await.unwrap();
    assert_eq!(found, [sample("alice", when, 2 * GB)]);
}

async fn monthly_series_averages_each_month_and_omits_empty_ones(store: &dyn HistoryStore) {
    store
        .record(&[
            sample("alice", at(2023, 11, 30, 23, 59, 59), 1000), // outside 4 months
            sample("alice", at(2023, 12, 1, 0, 0, 0), 7),
            sample("alice", at(2024, 1, 1, 0, 0, 0), 10),
            sample("alice", at(2024, 1, 31, 23, 59, 59), 11), // average 10.5 -> 10
            sample("alice", at(2024, 3, 1, 0, 0, 0), u64::MAX),
            sample("alice", at(2024, 3, 20, 0, 0, 0), u64::MAX - 2), // after now, same month
            sample("alice", at(2024, 4, 1, 0, 0, 0), 1),             // next month
            sample("bob", at(2024, 2, 10, 0, 0, 0), 5),
        ])
        .await
        .unwrap();
    let monthly = store.monthly(&user("alice"), 4, now()).await.unwrap();
    let point = |year, month, average, samples| MonthlyPoint {
        year,
        month,
        average: ByteSize::new(average),
        samples,
    };
    assert_eq!(
        monthly,
        [
            point(2023, 12, 7, 1),
            point(2024, 1, 10, 2),
            point(2024, 3, u64::MAX - 1, 2),
        ]
    );
    let last_two = store.monthly(&user("alice"), 2, now()).await.unwrap();
    assert_eq!(last_two, [point(2024, 3, u64::MAX - 1, 2)]);
    assert!(store
        .monthly(&user("alice"), 0, now())
        .await
        .unwrap()
        .is_empty());
}

async fn pruning_keeps_everything_from_the_cutoff_on(store: &dyn HistoryStore) {
    let retention = Retention { days: 30 };
    let cutoff = retention.cutoff(now());
    assert_eq!(cutoff, at(2024, 2, 14, 12, 0, 0));
    let just_before = cutoff - TimeDelta::milliseconds(1);
    store
        .record(&[
            sample("alice", at(2023, 1, 1, 0, 0, 0), 1),
            sample("alice", just_before, 2),
            sample("alice", cutoff, 3),
            sample("alice", now(), 4),
            sample("bob", just_before, 5),
        ])
        .await
        .unwrap();
    assert_eq!(store.prune(retention, now()).await.unwrap(), 3);
    assert_eq!(
        all_samples(store, "alice").await,
        [sample("alice", cutoff, 3), sample("alice", now(), 4)]
    );
    assert!(all_samples(store, "bob").await.is_empty());
    assert_eq!(store.prune(retention, now()).await.unwrap(), 0);
}

async fn all_samples(store: &dyn HistoryStore, account: &str) -> Vec<Sample> {
    store
        .samples(
            &user(account),
            DateTime::<Utc>::MIN_UTC,
            DateTime::<Utc>::MAX_UTC,
        )
        .await
        .unwrap()
}

async fn states_round_trip_and_update(store: &dyn HistoryStore) {
    assert!(store.load_states().await.unwrap().is_empty());
    store
        .save_states(&[
            (user("alice"), ThresholdState::NearLimit),
            (user("bob"), ThresholdState::Exceeded),
            (user("carol"), ThresholdState::Normal),
        ])
        .await
        .unwrap();
    store
        .save_states(&[(user("alice"), ThresholdState::Exceeded)])
        .await
        .unwrap();
    let expected = HashMap::from([
        (user("alice"), ThresholdState::Exceeded),
        (user("bob"), ThresholdState::Exceeded),
        (user("carol"), ThresholdState::Normal),
    ]);
    assert_eq!(store.load_states().await.unwrap(), expected);
}

async fn forget_drops_one_accounts_samples_and_state(store: &dyn HistoryStore) {
    store
        .record(&[sample("alice", now(), 1), sample("bob", now(), 2)])
        .await
        .unwrap();
    store
        .save_states(&[
            (user("alice"), ThresholdState::Exceeded),
            (user("bob"), ThresholdState::NearLimit),
        ])
        .await
        .unwrap();
    store.forget(&user("alice")).await.unwrap();
    store.forget(&user("never-seen")).await.unwrap();
    assert!(store
        .samples(&user("alice"), now(), now())
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        store.samples(&user("bob"), now(), now()).await.unwrap(),
        [sample("bob", now(), 2)]
    );
    assert_eq!(
        store.load_states().await.unwrap(),
        HashMap::from([(user("bob"), ThresholdState::NearLimit)])
    );
    let daily = store.daily(&user("alice"), 1, now()).await.unwrap();
    assert_eq!(
        daily,
        [DailyPoint {
            day: day(2024, 3, 15),
            used: None
        }]
    );
}

async fn oversized_series_are_rejected_before_reading(store: &dyn HistoryStore) {
    let err = store
        .daily(&user("alice"), MAX_DAILY_DAYS + 1, now())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Input(_)), "{err}");
    let err = store
        .monthly(&user("alice"), MAX_MONTHLY_MONTHS + 1, now())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Input(_)), "{err}");
    assert_eq!(
        store
            .daily(&user("alice"), MAX_DAILY_DAYS, now())
            .await
            .unwrap()
            .len(),
        MAX_DAILY_DAYS as usize
    );
}

#[tokio::test]
async fn in_memory_store_behaves() {
    check_store(|| Box::new(InMemoryHistory::new())).await;
}

#[cfg(feature = "sqlite")]
#[tokio::test]
async fn sqlite_store_behaves() {
    check_store(|| Box::new(SqliteHistory::open_in_memory().unwrap())).await;
}

#[cfg(feature = "sqlite")]
/// A database file in the temp directory, removed (with its WAL files) when dropped.
struct TempDatabase(PathBuf);

#[cfg(feature = "sqlite")]
impl TempDatabase {
    fn new(purpose: &str) -> Self {
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let name = format!(
            "provision-history-{purpose}-{}-{}-{}.sqlite3",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed),
            Utc::now().timestamp_nanos_opt().unwrap_or_default(),
        );
        TempDatabase(std::env::temp_dir().join(name))
    }
}

#[cfg(feature = "sqlite")]
impl Drop for TempDatabase {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm"] {
            let mut path = self.0.clone().into_os_string();
            path.push(suffix);
            let _ = std::fs::remove_file(path);
        }
    }
}

#[cfg(feature = "sqlite")]
#[tokio::test]
async fn sqlite_file_store_behaves() {
    let files: Vec<TempDatabase> = (0..8).map(|_| TempDatabase::new("checks")).collect();
    let next = AtomicU32::new(0);
    check_store(|| {
        let i = next.fetch_add(1, Ordering::Relaxed) as usize;
        Box::new(SqliteHistory::open(&files[i].0).unwrap())
    })
    .await;
}

#[cfg(feature = "sqlite")]
#[tokio::test]
async fn sqlite_history_survives_a_restart() {
    let file = TempDatabase::new("restart");
    let measured = Sample {
        measured_at: Some(at(2024, 3, 15, 11, 0, 0)),
        ..sample("alice", now(), 3 * GB)
    };
    {
        let store = SqliteHistory::open(&file.0).unwrap();
        store.record(std::slice::from_ref(&measured)).await.unwrap();
        store
            .save_states(&[(user("alice"), ThresholdState::NearLimit)])
            .await
            .unwrap();
    }
    let reopened = SqliteHistory::open(&file.0).unwrap();
    assert_eq!(
        reopened
            .samples(&user("alice"), now(), now())
            .await
            .unwrap(),
        [measured]
    );
    assert_eq!(
        reopened.load_states().await.unwrap(),
        HashMap::from([(user("alice"), ThresholdState::NearLimit)])
    );
    let journal: String = rusqlite::Connection::open(&file.0)
        .unwrap()
        .query_row("PRAGMA journal_mode", [], |row| row.get(0))
        .unwrap();
    assert_eq!(journal, "wal");
}

#[cfg(feature = "sqlite")]
#[tokio::test]
async fn sqlite_refuses_a_newer_schema() {
    let file = TempDatabase::new("schema");
    drop(SqliteHistory::open(&file.0).unwrap());
    let version: i64 = rusqlite::Connection::open(&file.0)
        .unwrap()
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .unwrap();
    assert_eq!(version, 1);
    rusqlite::Connection::open(&file.0)
        .unwrap()
        .pragma_update(None, "user_version", 2)
        .unwrap();
    let err = SqliteHistory::open(&file.0).unwrap_err();
    assert!(matches!(err, Error::Store { .. }), "{err}");
    assert!(err.to_string().contains("schema version 2"), "{err}");
}

#[test]
fn retention_defaults_to_a_year_and_saturates() {
    assert_eq!(Retention::default().days, 365);
    assert_eq!(
        Retention::default().cutoff(now()),
        at(2023, 3, 16, 12, 0, 0)
    );
    assert_eq!(Retention { days: 0 }.cutoff(now()), now());
    assert_eq!(
        Retention { days: u32::MAX }.cutoff(now()),
        DateTime::<Utc>::MIN_UTC
    );
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

const DAY_MS: i64 = 86_400_000;

/// Retention days, then sample offsets in milliseconds before `now()`, many of them
/// within a few milliseconds of the cutoff.
fn retention_case() -> impl Strategy<Value = (u32, Vec<(u8, i64)>)> {
    (0u32..400).prop_flat_map(|days| {
        let cutoff_offset = i64::from(days) * DAY_MS;
        let offset = prop_oneof![
            -DAY_MS..(500 * DAY_MS),
            (-3i64..=3).prop_map(move |d| cutoff_offset + d),
        ];
        (Just(days), prop::collection::vec((0u8..3, offset), 0..40))
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn retention_never_drops_a_sample_inside_the_period((days, offsets) in retention_case()) {
        let samples: Vec<Sample> = offsets
            .iter()
            .map(|(account, offset)| {
                sample(&format!("user{account}"), now() - TimeDelta::milliseconds(*offset), 1)
            })
            .collect();
        let retention = Retention { days };
        let cutoff = retention.cutoff(now());
        // Distinct (account, time) pairs: a repeated pair is one stored sample.
        let mut distinct: Vec<(String, DateTime<Utc>)> = samples
            .iter()
            .map(|s| (s.account.as_str().to_string(), s.at))
            .collect();
        distinct.sort();
        distinct.dedup();
        let (kept, dropped): (Vec<_>, Vec<_>) = distinct.iter().partition(|(_, t)| *t >= cutoff);

        let stores: Vec<Box<dyn HistoryStore>> = vec![
            Box::new(InMemoryHistory::new()),
            #[cfg(feature = "sqlite")]
            Box::new(SqliteHistory::open_in_memory().unwrap()),
        ];
        for store in stores {
            let (deleted, remaining) = runtime().block_on(async {
                store.record(&samples).await.unwrap();
                let deleted = store.prune(retention, now()).await.unwrap();
                let mut remaining = Vec::new();
                for account in 0u8..3 {
                    for s in all_samples(&*store, &format!("user{account}")).await {
                        remaining.push((s.account.as_str().to_string(), s.at));
                    }
                }
                (deleted, remaining)
            });
            let mut remaining = remaining;
            remaining.sort();
            let kept: Vec<_> = kept.iter().map(|k| (*k).clone()).collect();
            prop_assert_eq!(remaining, kept);
            prop_assert_eq!(deleted, dropped.len() as u64);
        }
    }
}
