//! The daily usage sweep at scale, on each backend's mock server over real HTTP on
//! loopback with a LAN-like 2 ms of latency per request: our sweep
//! (`Provisioner::sweep`: bulk usage where the API has it, else batched reads with
//! bounded concurrency)
//! next to the naive sweep of the original modules (one `usage` call per account, one
//! after another), for 1,000 and 10,000 accounts. Then the library's own work per
//! account (`own-work`): the CPU time of the client side of a sweep, split into the
//! usage reads and the rest, over the in-memory provider (100,000 accounts, no wire)
//! and over each mock (10,000 accounts, no latency).
//!
//! Before measuring, each fixture's sweep is checked against its request bound
//! (Nextcloud: `ceil(N / page size) + 2`; MinIO: one data-usage request, none per
//! account; Synology: one batched request per 50 accounts) and the bench stops if one is
//! broken. The requests each sweep sent are printed with the figures (`[summary]`).
//!
//! ```text
//! cargo bench --bench sweep                          # naive baseline at 1,000 only (~8 min)
//! PROVISION_BENCH_FULL=1 cargo bench --bench sweep   # + one hand-timed naive run at 10,000 (~18 min more)
//! cargo bench --bench sweep -- nextcloud             # one backend (any criterion filter)
//! cargo bench --bench sweep -- --test                # every case once: the request-bound checks only
//! ```
#![forbid(unsafe_code)]

mod common;

use std::cell::{OnceCell, RefCell};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use common::{minio_provider, multi_thread_runtime, wire_group, Backend, Mock, Tally, LAN_LATENCY};
use criterion::{Criterion, SamplingMode, Throughput};
use futures::stream::{self, StreamExt};
use provision::core::history::{HistoryStore, InMemoryHistory};
use provision::core::memory::InMemoryProvider;
use provision::core::provisioner::{Provisioner, SweepAccount};
use provision::core::{
    AccountSpec, ByteSize, Plan, Quota, SecretString, StorageProvider, Username,
};
use provision::minio::mock::MockMinio;
use provision::nextcloud::mock::MockNextcloud;
use provision::nextcloud::DEFAULT_PAGE_SIZE;
use provision::synology::mock::MockSynology;
use provision::synology::DEFAULT_USAGE_BATCH;
use tokio::runtime::Runtime;

/// Accounts being read at once on a backend without bulk usage (Synology, which puts
/// 50 into one request): two batched requests in flight.
const SYNOLOGY_CONCURRENCY: usize = 100;
const QUOTA_BYTES: u64 = 10 << 30;
const NOTIFY_AT_PERCENT: u32 = 90;
const PASSWORD: &str = "Bench-Passw0rd!x";
/// Accounts of the no-wire sweep.
const IN_MEMORY_ACCOUNTS: usize = 100_000;
/// Runs of the naive baseline at 10,000 accounts, timed by hand (0 or unset: none).
/// Criterion's minimum of 10 samples would take hours there: one naive MinIO sweep of
/// 10,000 accounts takes about 15 minutes, as each account's read fetches everyone's
/// usage.
const FULL_ENV: &str = "PROVISION_BENCH_FULL";
/// The most accounts whose naive sweep runs under criterion's statistics.
const NAIVE_IN_CRITERION_MAX: usize = 1_000;

/// The account names of a fixture; lower-case digits-and-letters suit every backend.
fn account_name(i: usize) -> String {
    format!("cust{i:05}")
}

/// 0 to 109 % of the quota: about 9 % of the accounts are past the limit and 9 % near
/// it, so every sweep evaluates crossings and stores states, as on a real host.
fn used_bytes(i: usize) -> u64 {
    QUOTA_BYTES / 100 * (i % 110) as u64
}

fn sweep_accounts(n: usize) -> Vec<SweepAccount> {
    let quota = Quota::limited(ByteSize::new(QUOTA_BYTES)).expect("a 10 GB quota");
    (0..n)
        .map(|i| SweepAccount {
            username: Username::new(account_name(i)).expect("a valid name"),
            quota,
            notify_at_percent: Some(NOTIFY_AT_PERCENT),
        })
        .collect()
}

/// What only this bench does with a mock; the shared part is in `common`.
impl Mock {
    fn reset_requests(&self) {
        match self {
            Mock::Nextcloud(m) => m.reset_request_count(),
            Mock::Synology(m) => m.reset_request_count(),
            Mock::Minio(m) => m.reset_request_count(),
        }
    }
}

/// A mock holding `n` accounts with their usage, and the accounts to sweep.
struct Fixture {
    backend: Backend,
    mock: Mock,
    accounts: Vec<SweepAccount>,
}

impl Fixture {
    async fn start(backend: Backend, n: usize) -> Fixture {
        let started = Instant::now();
        let mock = match backend {
            Backend::Nextcloud => {
                let mock = MockNextcloud::start().await;
                for i in 0..n {
                    let name = account_name(i);
                    assert!(mock.add_user(&name, PASSWORD), "{name} added twice");
                    mock.set_used(&name, ByteSize::new(used_bytes(i)));
                }
                Mock::Nextcloud(mock)
            }
            Backend::Synology => {
                let mock = MockSynology::start().await;
                for i in 0..n {
                    let name = account_name(i);
                    mock.add_user(&name, PASSWORD);
                    mock.set_usage(&name, ByteSize::new(used_bytes(i)));
                }
                Mock::Synology(mock)
            }
            Backend::Minio => {
                // Id 2 (PBKDF2) replies: populating makes many encrypted admin calls,
                // and the mock's default, id 0, runs Argon2id (64 MiB) for each.
                let mock = MockMinio::builder()
                    .reply_algorithm(provision::minio::wire::madmin::Algorithm::Pbkdf2AesGcm)
                    .start()
                    .await;
                populate_minio(&mock, n).await;
                Mock::Minio(mock)
            }
        };
        eprintln!(
            "[sweep] {} mock with {n} accounts ready in {:.1?}",
            backend.name(),
            started.elapsed()
        );
        Fixture {
            backend,
            mock,
            accounts: sweep_accounts(n),
        }
    }

    /// Reads in flight at once when the backend has no bulk usage.
    fn read_concurrency(&self) -> usize {
        match self.backend {
            Backend::Synology => SYNOLOGY_CONCURRENCY,
            // The provisioner's default; these backends read in bulk anyway.
            Backend::Nextcloud | Backend::Minio => 16,
        }
    }

    fn provisioner(&self) -> Provisioner {
        Provisioner::new(self.mock.provider()).with_concurrency(self.read_concurrency())
    }
}

/// The MinIO mock has no helper that adds users directly: accounts (user, canned
/// policy, default bucket) are created through the provider, 16 at once, with no
/// latency; then each bucket gets an object of the account's usage and the mock's
/// scanner runs.
async fn populate_minio(mock: &MockMinio, n: usize) {
    let provider = minio_provider(mock);
    let quota = Quota::limited(ByteSize::new(QUOTA_BYTES)).expect("a 10 GB quota");
    let created: Vec<_> = stream::iter(0..n)
        .map(|i| {
            let provider = &provider;
            async move {
                let spec = AccountSpec {
                    username: Username::new(account_name(i)).expect("a valid name"),
                    password: SecretString::from(PASSWORD),
                    email: None,
                    display_name: None,
                    plan: Plan::new(quota),
                };
                provider.create_account(&spec).await
            }
        })
        .buffer_unordered(16)
        .collect()
        .await;
    if let Some(Err(e)) = created.iter().find(|r| r.is_err()) {
        panic!("populating the MinIO mock: {e}");
    }
    for i in 0..n {
        let bucket = account_name(i);
        mock.put_object(&bucket, "data.bin", used_bytes(i))
            .expect("the account's default bucket");
    }
    mock.refresh_usage();
}

/// The original modules' sweep: one `usage` call per account, one after another, then
/// the same recording and threshold evaluation as ours (`Provisioner::record_usages`).
/// Returns the accounts read.
async fn naive_sweep(
    provider: &dyn StorageProvider,
    accounts: &[SweepAccount],
    history: &dyn HistoryStore,
    now: DateTime<Utc>,
) -> usize {
    let mut usages = Vec::with_capacity(accounts.len());
    for account in accounts {
        let usage = provider
            .usage(&account.username)
            .await
            .unwrap_or_else(|e| panic!("naive sweep: usage of {}: {e}", account.username));
        usages.push(Ok(usage));
    }
    let report = Provisioner::record_usages(accounts, usages, history, now)
        .await
        .expect("record");
    report.outcomes.len()
}

async fn our_sweep(
    provisioner: &Provisioner,
    accounts: &[SweepAccount],
    history: &dyn HistoryStore,
    now: DateTime<Utc>,
) -> usize {
    let report = provisioner
        .sweep(accounts, history, now)
        .await
        .unwrap_or_else(|e| panic!("sweep: {e}"));
    if let Some((user, e)) = report.failures.first() {
        panic!(
            "sweep: {} of {} reads failed, first {user}: {e}",
            report.failures.len(),
            accounts.len()
        );
    }
    report.outcomes.len()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Strategy {
    Ours,
    Naive,
}

/// Runs `iters` sweeps against a fresh history each (a first sweep: every account near
/// or past its limit yields an action and a stored state) and returns their wall time.
fn timed_sweeps(
    rt: &Runtime,
    fixture: &Fixture,
    provisioner: &Provisioner,
    strategy: Strategy,
    iters: u64,
    tally: &RefCell<Tally>,
) -> Duration {
    fixture.mock.set_latency(LAN_LATENCY);
    let now = Utc::now();
    let mut total = Duration::ZERO;
    for _ in 0..iters {
        let history = InMemoryHistory::new();
        fixture.mock.reset_requests();
        let started = Instant::now();
        let read = rt.block_on(async {
            match strategy {
                Strategy::Ours => our_sweep(provisioner, &fixture.accounts, &history, now).await,
                Strategy::Naive => {
                    naive_sweep(
                        provisioner.provider().as_ref(),
                        &fixture.accounts,
                        &history,
                        now,
                    )
                    .await
                }
            }
        });
        let elapsed = started.elapsed();
        assert_eq!(read, fixture.accounts.len(), "every account is read");
        total += elapsed;
        tally.borrow_mut().add(elapsed, fixture.mock.requests());
    }
    total
}

/// Checks our sweep's request count against the backend's bound (no latency, not
/// timed) and returns it.
fn check_request_bound(rt: &Runtime, fixture: &Fixture, provisioner: &Provisioner) -> u64 {
    let n = fixture.accounts.len() as u64;
    fixture.mock.set_latency(Duration::ZERO);
    fixture.mock.reset_requests();
    let history = InMemoryHistory::new();
    let read = rt.block_on(our_sweep(
        provisioner,
        &fixture.accounts,
        &history,
        Utc::now(),
    ));
    assert_eq!(read as u64, n);
    let sent = fixture.mock.requests();
    match &fixture.mock {
        Mock::Nextcloud(_) => {
            let bound = n.div_ceil(u64::from(DEFAULT_PAGE_SIZE)) + 2;
            assert!(
                sent <= bound,
                "Nextcloud sweep of {n}: {sent} requests, bound {bound}"
            );
        }
        Mock::Minio(mock) => {
            let paths: Vec<String> = mock.requests().into_iter().map(|r| r.path).collect();
            let data_usage = paths
                .iter()
                .filter(|p| p.ends_with("/datausageinfo"))
                .count();
            assert_eq!(data_usage, 1, "MinIO sweep: {paths:?}");
            assert!(
                sent <= 2,
                "MinIO sweep of {n}: per-account requests in {paths:?}"
            );
        }
        Mock::Synology(_) => {
            // One home-volume read and one request per batch; the session's login and
            // API discovery happen once per provider.
            let bound = n.div_ceil(DEFAULT_USAGE_BATCH as u64) + 1 + 8;
            assert!(
                sent <= bound,
                "Synology sweep of {n}: {sent} requests, bound {bound}"
            );
        }
    }
    sent
}

/// How many hand-timed runs of the naive sweep above [`NAIVE_IN_CRITERION_MAX`]
/// accounts: the value of [`FULL_ENV`], 0 when unset.
fn full_runs() -> u64 {
    std::env::var(FULL_ENV)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

fn current_thread_runtime() -> Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

/// Fixtures are built on first use, so a criterion filter that skips a backend also
/// skips populating its mock.
type Fixtures = BTreeMap<(Backend, usize), OnceCell<Fixture>>;

fn fixture<'a>(fixtures: &'a Fixtures, rt: &Runtime, backend: Backend, n: usize) -> &'a Fixture {
    fixtures
        .get(&(backend, n))
        .expect("a fixture slot")
        .get_or_init(|| rt.block_on(Fixture::start(backend, n)))
}

fn sweeps(c: &mut Criterion, rt: &Runtime, fixtures: &Fixtures, n: usize) {
    let mut group = wire_group(c, format!("sweep-{n}"), n);
    let naive_in_criterion = n <= NAIVE_IN_CRITERION_MAX;
    let mut summary = Vec::new();
    for backend in Backend::ALL {
        let provisioner: OnceCell<Provisioner> = OnceCell::new();
        let bound_checked: OnceCell<u64> = OnceCell::new();
        let ours = RefCell::new(Tally::default());
        let naive = RefCell::new(Tally::default());
        let setup = || {
            let fixture = fixture(fixtures, rt, backend, n);
            let provisioner = provisioner.get_or_init(|| fixture.provisioner());
            bound_checked.get_or_init(|| check_request_bound(rt, fixture, provisioner));
            (fixture, provisioner)
        };
        group.bench_function(format!("{}/ours", backend.name()), |b| {
            b.iter_custom(|iters| {
                let (fixture, provisioner) = setup();
                timed_sweeps(rt, fixture, provisioner, Strategy::Ours, iters, &ours)
            })
        });
        if naive_in_criterion {
            group.bench_function(format!("{}/naive", backend.name()), |b| {
                b.iter_custom(|iters| {
                    let (fixture, provisioner) = setup();
                    timed_sweeps(rt, fixture, provisioner, Strategy::Naive, iters, &naive)
                })
            });
        } else if full_runs() > 0 && ours.borrow().runs > 0 {
            let runs = full_runs();
            eprintln!(
                "[sweep] {}/naive at {n} accounts: {runs} run(s) timed by hand",
                backend.name()
            );
            let (fixture, provisioner) = setup();
            timed_sweeps(rt, fixture, provisioner, Strategy::Naive, runs, &naive);
        }
        summary.push((backend, ours.into_inner(), naive.into_inner()));
    }
    group.finish();
    for (backend, ours, naive) in summary {
        if ours.runs == 0 {
            continue;
        }
        let mut line = format!(
            "[summary] sweep {} n={n}: ours {:.1?} ({} requests)",
            backend.name(),
            ours.mean(),
            ours.requests_per_run()
        );
        if naive.runs > 0 {
            line.push_str(&format!(
                ", naive {:.1?} over {} run(s) ({} requests), naive/ours {:.1}x",
                naive.mean(),
                naive.runs,
                naive.requests_per_run(),
                naive.mean().as_secs_f64() / ours.mean().as_secs_f64()
            ));
        } else if !naive_in_criterion {
            line.push_str(&format!(", naive skipped (set {FULL_ENV}=1)"));
        }
        println!("{line}");
    }
}

/// The CPU time the calling thread has used, from `/proc/thread-self/schedstat`
/// (nanoseconds, Linux only).
fn thread_cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos = stat.split_whitespace().next()?.parse::<u64>().ok()?;
    Some(Duration::from_nanos(nanos))
}

fn in_memory_provisioner(rt: &Runtime, accounts: &[SweepAccount]) -> Provisioner {
    let provider = Arc::new(InMemoryProvider::new());
    rt.block_on(async {
        for (i, account) in accounts.iter().enumerate() {
            let spec = AccountSpec {
                username: account.username.clone(),
                password: SecretString::from(PASSWORD),
                email: None,
                display_name: None,
                plan: Plan::new(account.quota),
            };
            provider
                .create_account(&spec)
                .await
                .unwrap_or_else(|e| panic!("in-memory create: {e}"));
            provider.set_used(&account.username, ByteSize::new(used_bytes(i)));
        }
    });
    Provisioner::new(provider)
}

/// What an own-work bench runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Work {
    /// The whole sweep.
    Sweep,
    /// Only the usage reads the sweep starts with, the same way it reads them.
    Reads,
}

/// The sweep's usage reads alone, the way the sweep reads them: `usage_all` where the
/// provider reads in bulk, else `usage_many` with `concurrency`. Returns the usages read.
async fn reads_only(
    provider: &dyn StorageProvider,
    accounts: &[SweepAccount],
    concurrency: usize,
) -> usize {
    if provider.capabilities().bulk_usage {
        let all = provider
            .usage_all()
            .await
            .unwrap_or_else(|e| panic!("usage_all: {e}"));
        return all.len().min(accounts.len());
    }
    let names: Vec<Username> = accounts.iter().map(|a| a.username.clone()).collect();
    provider
        .usage_many(&names, concurrency)
        .await
        .unwrap_or_else(|e| panic!("usage_many: {e}"))
        .iter()
        .filter(|r| r.is_ok())
        .count()
}

/// Runs `iters` rounds of `work` on the calling thread's current-thread runtime and
/// returns that thread's CPU time.
fn cpu_of(
    rt: &Runtime,
    provisioner: &Provisioner,
    accounts: &[SweepAccount],
    concurrency: usize,
    work: Work,
    iters: u64,
    tally: &RefCell<Tally>,
) -> Duration {
    let now = Utc::now();
    let mut total = Duration::ZERO;
    for _ in 0..iters {
        let history = InMemoryHistory::new();
        let before = thread_cpu_time().expect("schedstat");
        let read = rt.block_on(async {
            match work {
                Work::Sweep => our_sweep(provisioner, accounts, &history, now).await,
                Work::Reads => {
                    reads_only(provisioner.provider().as_ref(), accounts, concurrency).await
                }
            }
        });
        let cpu = thread_cpu_time().expect("schedstat") - before;
        assert_eq!(read, accounts.len(), "every account is read");
        total += cpu;
        tally.borrow_mut().add(cpu, 0);
    }
    total
}

/// The library's own work per account in a sweep: everything but waiting for the wire.
///
/// Every figure is the CPU time of the one thread that runs a current-thread tokio
/// runtime, and with it everything on the client side: the provisioner, the history,
/// the provider, its HTTP client and its parsing; nothing of a mock server, which runs
/// on its own thread, and no time spent waiting. Each case is measured twice, as the
/// whole sweep and as its usage reads alone; over the in-memory provider the
/// difference is the sweep logic itself (joining, thresholds, history).
///
/// - `in-memory-100000`: over `InMemoryProvider`, no wire at all.
/// - `<backend>-10000`: over the backend's mock with no latency.
fn own_work(c: &mut Criterion, server_rt: &Runtime, fixtures: &Fixtures) {
    if thread_cpu_time().is_none() {
        println!("[own-work] skipped: /proc/thread-self/schedstat (thread CPU time) is not readable here");
        return;
    }
    let rt = current_thread_runtime();
    let mut group = c.benchmark_group("own-work");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(5));
    let mut summary = Vec::new();

    let in_memory_accounts = sweep_accounts(IN_MEMORY_ACCOUNTS);
    let in_memory: OnceCell<Provisioner> = OnceCell::new();
    group.throughput(Throughput::Elements(IN_MEMORY_ACCOUNTS as u64));
    for work in [Work::Sweep, Work::Reads] {
        let tally = RefCell::new(Tally::default());
        group.bench_function(format!("in-memory-{IN_MEMORY_ACCOUNTS}/{work:?}"), |b| {
            b.iter_custom(|iters| {
                let provisioner =
                    in_memory.get_or_init(|| in_memory_provisioner(&rt, &in_memory_accounts));
                cpu_of(
                    &rt,
                    provisioner,
                    &in_memory_accounts,
                    1,
                    work,
                    iters,
                    &tally,
                )
            })
        });
        summary.push(("in-memory", IN_MEMORY_ACCOUNTS, work, tally.into_inner()));
    }

    let n = 10_000;
    group.throughput(Throughput::Elements(n as u64));
    for backend in Backend::ALL {
        let provisioner: OnceCell<Provisioner> = OnceCell::new();
        for work in [Work::Sweep, Work::Reads] {
            let tally = RefCell::new(Tally::default());
            group.bench_function(format!("{}-{n}/{work:?}", backend.name()), |b| {
                b.iter_custom(|iters| {
                    // The mock serves from the multi-thread runtime's workers, never
                    // from this thread, whichever bench built it first.
                    let fixture = fixture(fixtures, server_rt, backend, n);
                    // Built inside this runtime, so its connections live on this thread.
                    let provisioner = provisioner.get_or_init(|| fixture.provisioner());
                    fixture.mock.set_latency(Duration::ZERO);
                    let concurrency = fixture.read_concurrency();
                    cpu_of(
                        &rt,
                        provisioner,
                        &fixture.accounts,
                        concurrency,
                        work,
                        iters,
                        &tally,
                    )
                })
            });
            summary.push((backend.name(), n, work, tally.into_inner()));
        }
    }
    group.finish();

    for pair in summary.chunks(2) {
        let [(name, n, _, sweep), (_, _, _, reads)] = pair else {
            continue;
        };
        if sweep.runs == 0 || reads.runs == 0 {
            continue;
        }
        let per_account = |d: Duration| d.as_secs_f64() * 1e6 / *n as f64;
        // Over a mock the reads are nearly all of it, and the difference drowns in the
        // run-to-run noise of two separate measurements: print it for the in-memory
        // case only, where it is the sweep logic itself.
        let logic = if *name == "in-memory" {
            format!(
                ", sweep logic (whole - reads) {:.2} µs",
                per_account(sweep.mean().saturating_sub(reads.mean()))
            )
        } else {
            String::new()
        };
        println!(
            "[summary] own work per account, {name} ({n} accounts): whole sweep {:.2} µs CPU, usage reads alone {:.2} µs{logic}",
            per_account(sweep.mean()),
            per_account(reads.mean()),
        );
    }
}

fn main() {
    let mut criterion = Criterion::default().configure_from_args();
    let rt = multi_thread_runtime();
    let fixtures: Fixtures = Backend::ALL
        .into_iter()
        .flat_map(|b| [(b, 1_000), (b, 10_000)])
        .map(|key| (key, OnceCell::new()))
        .collect();
    sweeps(&mut criterion, &rt, &fixtures, 1_000);
    sweeps(&mut criterion, &rt, &fixtures, 10_000);
    own_work(&mut criterion, &rt, &fixtures);
    criterion.final_summary();
}
