//! Core benchmarks: name generation with collision checks, quota parse/format,
//! threshold evaluation, and usage history in the in-memory and the SQLite store.
//!
//! `cargo bench --bench core`

use std::collections::HashSet;
use std::hint::black_box;

use chrono::{Duration, TimeZone, Utc};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use provision::core::history::{HistoryStore, InMemoryHistory, Sample, SqliteHistory};
use provision::core::memory::IN_MEMORY_POLICY;
use provision::core::quota::{ByteSize, Quota};
use provision::core::rules::{
    resolve_unique, CollisionLimits, GenerateName, IdAlphabet, NameContext, NameRule,
};
use provision::core::threshold::{evaluate, ThresholdState};
use provision::core::Username;
use rand::SeedableRng;

const ACCOUNTS: usize = 100_000;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

fn names(c: &mut Criterion) {
    let rt = runtime();
    let rule: NameRule = "cust{client_id}-{random_digit_4}".parse().expect("rule");
    let ctx = NameContext::new("1001", "42");
    let now = Utc::now();
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    c.bench_function("name: generate + normalise", |b| {
        b.iter(|| {
            let raw = rule.generate(&ctx, &mut rng, now);
            black_box(IN_MEMORY_POLICY.normalize(&raw).expect("valid"))
        })
    });
    // A server where every name of the rule but a few is taken: the resolver walks
    // random regenerations then suffixes, checking each against the "server".
    let fixed: NameRule = "cust{client_id}".parse().expect("rule");
    let separator = IN_MEMORY_POLICY
        .suffix_separator(&fixed, IdAlphabet::Digits)
        .expect("a suffix separator");
    let taken: HashSet<String> = std::iter::once("cust1001".to_string())
        .chain((2..20).map(|i| format!("cust1001{separator}{i}")))
        .collect();
    c.bench_function("name: resolve with 19 collisions", |b| {
        b.iter(|| {
            rt.block_on(async {
                let mut rng = rand::rngs::StdRng::seed_from_u64(7);
                resolve_unique(
                    &fixed,
                    &ctx,
                    &IN_MEMORY_POLICY,
                    &mut rng,
                    now,
                    CollisionLimits::default(),
                    |n| {
                        let hit = taken.contains(n.as_str());
                        async move { Ok(hit) }
                    },
                )
                .await
                .expect("a free name")
            })
        })
    });
}

fn quotas(c: &mut Criterion) {
    c.bench_function("quota: parse \"1.5 TB\"", |b| {
        b.iter(|| black_box("1.5 TB").parse::<Quota>().expect("quota"))
    });
    c.bench_function("quota: format", |b| {
        b.iter(|| black_box(ByteSize::new(3 << 39)).to_string())
    });
}

fn thresholds(c: &mut Criterion) {
    let quota = Quota::limited(ByteSize::new(10 << 30)).expect("quota");
    let used = ByteSize::new(9 << 30);
    c.bench_function("threshold: evaluate", |b| {
        b.iter(|| {
            evaluate(
                black_box(ThresholdState::Normal),
                black_box(Some(used)),
                black_box(quota),
                black_box(Some(90)),
            )
        })
    });
}

fn users() -> Vec<Username> {
    (0..ACCOUNTS)
        .map(|i| Username::new(format!("user{i:06}")).expect("name"))
        .collect()
}

fn day_of_samples(users: &[Username], day: i64) -> Vec<Sample> {
    let at = Utc.with_ymd_and_hms(2026, 1, 1, 3, 0, 0).unwrap() + Duration::days(day);
    users
        .iter()
        .enumerate()
        .map(|(i, u)| Sample {
            account: u.clone(),
            at,
            used: ByteSize::new((i as u64 + 1) << 20),
            measured_at: None,
        })
        .collect()
}

async fn year_of_history(store: &dyn HistoryStore, users: &[Username], target: &Username) {
    // Everyone gets one day; the account we chart gets a year of daily samples.
    store
        .record(&day_of_samples(users, 0))
        .await
        .expect("record");
    let year: Vec<Sample> = (1..365)
        .map(|d| Sample {
            account: target.clone(),
            at: Utc.with_ymd_and_hms(2026, 1, 1, 3, 0, 0).unwrap() + Duration::days(d),
            used: ByteSize::new((d as u64) << 20),
            measured_at: None,
        })
        .collect();
    store.record(&year).await.expect("record");
}

fn history(c: &mut Criterion) {
    let rt = runtime();
    let users = users();
    let samples = day_of_samples(&users, 0);
    let mut group = c.benchmark_group("history");
    group.sample_size(10);
    group.bench_function("memory: record a day for 100k accounts", |b| {
        b.iter_batched(
            InMemoryHistory::new,
            |store| rt.block_on(store.record(&samples)).expect("record"),
            BatchSize::PerIteration,
        )
    });
    group.bench_function("sqlite: record a day for 100k accounts", |b| {
        b.iter_batched(
            || SqliteHistory::open_in_memory().expect("sqlite"),
            |store| rt.block_on(store.record(&samples)).expect("record"),
            BatchSize::PerIteration,
        )
    });
    // The same on a file, as in production: WAL, one transaction, its sync at commit.
    let record_file =
        std::env::temp_dir().join(format!("provision-bench-record-{}.db", std::process::id()));
    let remove_db = |path: &std::path::Path| {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
    };
    group.bench_function("sqlite file: record a day for 100k accounts", |b| {
        b.iter_batched(
            || {
                remove_db(&record_file);
                SqliteHistory::open(&record_file).expect("sqlite file")
            },
            // Returned, so closing the file is not timed.
            |store| {
                rt.block_on(store.record(&samples)).expect("record");
                store
            },
            BatchSize::PerIteration,
        )
    });
    remove_db(&record_file);
    let target = users[ACCOUNTS / 2].clone();
    let now = Utc.with_ymd_and_hms(2026, 12, 31, 12, 0, 0).unwrap();
    let memory = InMemoryHistory::new();
    rt.block_on(year_of_history(&memory, &users, &target));
    let dir = std::env::temp_dir().join(format!("provision-bench-{}.db", std::process::id()));
    let sqlite = SqliteHistory::open(&dir).expect("sqlite file");
    rt.block_on(year_of_history(&sqlite, &users, &target));
    for (label, store) in [
        ("memory", &memory as &dyn HistoryStore),
        ("sqlite", &sqlite),
    ] {
        group.bench_function(
            format!("{label}: daily(30) + monthly(12) of 1 in 100k"),
            |b| {
                b.iter(|| {
                    rt.block_on(async {
                        let d = store.daily(&target, 30, now).await.expect("daily");
                        let m = store.monthly(&target, 12, now).await.expect("monthly");
                        black_box((d, m))
                    })
                })
            },
        );
    }
    group.finish();
    drop(sqlite);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", dir.display()));
    }
}

criterion_group!(benches, names, quotas, thresholds, history);
criterion_main!(benches);
