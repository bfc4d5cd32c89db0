//! The daily usage sweep at scale, on each backend's mock server over real HTTP on
//! loopback with a LAN-like 2 ms of latency per request, for 1,000 and 10,000 accounts.
//! In the same run, on the same mocks, at the same latency:
//!
//! - `ours`: `Provisioner::sweep` (bulk usage where the API has it, else batched reads
//!   with bounded concurrency).
//! - `sequential`: the per-account baseline, one request per account, one after
//!   another, with the cheapest single-account read each API offers
//!   (`sweep/per_account.rs`):
//!   - Nextcloud: one `GET /ocs/v2.php/cloud/users/{id}` per account (the provider's
//!     `usage`);
//!   - Synology: one `SYNO.Core.User.Home get` per sweep (the volume holding `homes`),
//!     then one `SYNO.Core.Quota get` per account (`SynologyClient::user_quota`);
//!   - MinIO: one `datausageinfo` per sweep (every bucket's size), then one `user-info`
//!     per account (the account exists), its usage summed from its namespace's buckets.
//! - `per-account-16`: the same reads, 16 in flight (`provision_core::concurrency::bounded`).
//!
//! Every arm ends with the same recording and threshold evaluation
//! (`Provisioner::record_usages`). The `[summary]` line of each backend also gives the
//! physical limits, from a round trip measured in the same run (the mean of 50 single
//! per-account reads at 2 ms): requests x round trip / requests in flight, for our own
//! requests and for one read per account at 16 in flight, with our ratio to each. Our
//! own requests are larger than that read (a page of 500 accounts, a batch of 50), so
//! their floor is a lower bound, not an estimate.
//!
//! Then the library's own work per account (`own-work`): the CPU time of the client
//! side of a sweep, split into the usage reads and the rest, over the in-memory
//! provider (100,000 accounts, no wire) and over each mock (10,000 accounts, no
//! latency).
//!
//! Before timing, each fixture's arms are checked against the mock's request counter
//! and the bench stops if one is off. Ours against its bound (Nextcloud:
//! `ceil(N / page size) + 2`; MinIO: one data-usage request, none per account;
//! Synology: one batched request per 50 accounts); each per-account arm sends exactly
//! one request per account plus the one read per sweep (Synology, MinIO), of the kinds
//! above and no other. The requests each sweep sent are printed with the figures.
//!
//! ```text
//! cargo bench --bench sweep                          # sequential baseline at 1,000 only (~8 min)
//! PROVISION_BENCH_FULL=1 cargo bench --bench sweep   # + one hand-timed sequential run at 10,000 (~2 min more)
//! cargo bench --bench sweep -- nextcloud             # one backend (any criterion filter)
//! cargo bench --bench sweep -- --test                # every case once: the request checks only
//! ```
#![forbid(unsafe_code)]

mod common;
#[path = "sweep/per_account.rs"]
mod per_account;

use std::cell::{OnceCell, RefCell};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use common::{minio_provider, multi_thread_runtime, wire_group, Backend, Mock, Tally, LAN_LATENCY};
use criterion::{Criterion, SamplingMode, Throughput};
use futures::stream::{self, StreamExt};
use per_account::PerAccount;
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
/// Runs of the sequential baseline at 10,000 accounts, timed by hand (0 or unset:
/// none). Criterion's minimum of 10 samples would take about 6 minutes per backend
/// there: one sequential sweep of 10,000 accounts sends 10,000 requests one after
/// another, about 35 s.
const FULL_ENV: &str = "PROVISION_BENCH_FULL";
/// The most accounts whose sequential baseline runs under criterion's statistics.
const SEQUENTIAL_IN_CRITERION_MAX: usize = 1_000;
/// Reads in flight at once in the concurrent per-account baseline (issue 16, 2 b).
const BASELINE_IN_FLIGHT: usize = 16;
/// Single per-account reads whose mean is the measured round trip.
const RTT_PROBES: u32 = 50;

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

/// A per-account sweep: what the backend needs once, then one read per account,
/// `in_flight` at once, then the same recording and threshold evaluation as ours
/// (`Provisioner::record_usages`). Returns the accounts read.
async fn per_account_sweep(
    reader: &PerAccount,
    accounts: &[SweepAccount],
    in_flight: usize,
    history: &dyn HistoryStore,
    now: DateTime<Utc>,
) -> usize {
    let users: Vec<&Username> = accounts.iter().map(|a| &a.username).collect();
    let usages = reader.read_all(&users, in_flight).await;
    let report =
        Provisioner::record_usages(accounts, usages.into_iter().map(Ok).collect(), history, now)
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

/// What a timed sweep runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Strategy {
    /// `Provisioner::sweep`.
    Ours,
    /// The per-account baseline with this many reads in flight.
    PerAccount(usize),
}

/// What the arms of one backend and size sweep with: the fixture, our provisioner and
/// the per-account reader, each with its own connection pool.
#[derive(Clone, Copy)]
struct Arms<'a> {
    fixture: &'a Fixture,
    provisioner: &'a Provisioner,
    reader: &'a PerAccount,
}

impl Arms<'_> {
    /// One sweep of `strategy` against a fresh `history`; returns the accounts read.
    async fn sweep(
        self,
        strategy: Strategy,
        history: &dyn HistoryStore,
        now: DateTime<Utc>,
    ) -> usize {
        let accounts = &self.fixture.accounts;
        match strategy {
            Strategy::Ours => our_sweep(self.provisioner, accounts, history, now).await,
            Strategy::PerAccount(in_flight) => {
                per_account_sweep(self.reader, accounts, in_flight, history, now).await
            }
        }
    }
}

/// Runs `iters` sweeps against a fresh history each (a first sweep: every account near
/// or past its limit yields an action and a stored state) and returns their wall time.
fn timed_sweeps(
    rt: &Runtime,
    arms: Arms<'_>,
    strategy: Strategy,
    iters: u64,
    tally: &RefCell<Tally>,
) -> Duration {
    let fixture = arms.fixture;
    fixture.mock.set_latency(LAN_LATENCY);
    let now = Utc::now();
    let mut total = Duration::ZERO;
    for _ in 0..iters {
        let history = InMemoryHistory::new();
        fixture.mock.reset_requests();
        let started = Instant::now();
        let read = rt.block_on(arms.sweep(strategy, &history, now));
        let elapsed = started.elapsed();
        assert_eq!(read, fixture.accounts.len(), "every account is read");
        total += elapsed;
        tally.borrow_mut().add(elapsed, fixture.mock.requests());
    }
    total
}

/// Checks that a per-account sweep with `in_flight` reads at once sends exactly one
/// request per account plus what it reads once, and nothing else (no latency, not
/// timed); returns the requests.
fn check_per_account_requests(rt: &Runtime, arms: Arms<'_>, in_flight: usize) -> u64 {
    let fixture = arms.fixture;
    let n = fixture.accounts.len() as u64;
    fixture.mock.set_latency(Duration::ZERO);
    fixture.mock.reset_requests();
    let history = InMemoryHistory::new();
    let read = rt.block_on(arms.sweep(Strategy::PerAccount(in_flight), &history, Utc::now()));
    assert_eq!(read as u64, n);
    let sent = fixture.mock.requests();
    let name = fixture.backend.name();
    let expected = n + arms.reader.once_requests();
    assert_eq!(
        sent, expected,
        "{name} per-account sweep of {n} ({in_flight} in flight): {sent} requests, expected {expected}"
    );
    // The logs keep the last requests only: at 10,000 accounts the read made once may
    // have left it, so each is checked for what it is.
    match &fixture.mock {
        Mock::Nextcloud(mock) => {
            let logged = mock.requests();
            let other: Vec<&String> = logged
                .iter()
                .filter(|r| !(r.starts_with("GET ") && r.contains("/cloud/users/cust")))
                .collect();
            assert!(other.is_empty(), "{name} per-account sweep: {other:?}");
        }
        Mock::Synology(mock) => {
            let logged = mock.requests();
            let homes = logged
                .iter()
                .filter(|r| r.is_call("SYNO.Core.User.Home", "get"))
                .count();
            let quotas = logged
                .iter()
                .filter(|r| r.is_call("SYNO.Core.Quota", "get"))
                .count();
            let whole = logged.len() as u64 == sent;
            assert!(
                (homes == 1 || (!whole && homes == 0)) && homes + quotas == logged.len(),
                "{name} per-account sweep: {homes} home reads and {quotas} quota reads of {} logged",
                logged.len()
            );
        }
        Mock::Minio(mock) => {
            let logged = mock.requests();
            let data_usage = logged
                .iter()
                .filter(|r| r.path.ends_with("/datausageinfo"))
                .count();
            let user_info = logged
                .iter()
                .filter(|r| r.path.ends_with("/user-info"))
                .count();
            let whole = logged.len() as u64 == sent;
            assert!(
                (data_usage == 1 || (!whole && data_usage == 0))
                    && data_usage + user_info == logged.len(),
                "{name} per-account sweep: {data_usage} data-usage and {user_info} user-info requests of {} logged",
                logged.len()
            );
        }
    }
    sent
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

/// How many hand-timed runs of the sequential baseline above
/// [`SEQUENTIAL_IN_CRITERION_MAX`] accounts: the value of [`FULL_ENV`], 0 when unset.
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

/// Requests our sweep has in flight at once: Nextcloud reads its pages one after
/// another and MinIO its two requests; Synology has two batches in flight.
fn our_in_flight(backend: Backend) -> usize {
    match backend {
        Backend::Nextcloud | Backend::Minio => 1,
        Backend::Synology => SYNOLOGY_CONCURRENCY.div_ceil(DEFAULT_USAGE_BATCH),
    }
}

/// The time `requests` take at `in_flight` at once when each costs `round_trip`: the
/// physical limit of a sweep that sends them.
fn limit(requests: u64, round_trip: Duration, in_flight: usize) -> Duration {
    round_trip.mul_f64(requests as f64 / in_flight as f64)
}

fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64()
}

/// What one backend's arms measured, for its `[summary]` line.
struct Measured {
    backend: Backend,
    ours: Tally,
    sequential: Tally,
    in_flight: Tally,
    /// The requests of one per-account sweep, as checked before timing.
    per_account_requests: Option<u64>,
    round_trip: Option<Duration>,
}

fn summary_line(n: usize, m: &Measured, sequential_in_criterion: bool) -> String {
    let name = m.backend.name();
    let ours = m.ours.mean();
    let mut line = format!(
        "[summary] sweep {name} n={n}: ours {ours:.1?} ({} requests)",
        m.ours.requests_per_run()
    );
    let (Some(rtt), Some(per_account)) = (m.round_trip, m.per_account_requests) else {
        return line;
    };
    let ours_in_flight = our_in_flight(m.backend);
    let ours_floor = limit(m.ours.requests_per_run(), rtt, ours_in_flight);
    line.push_str(&format!(
        ", its floor {} x {rtt:.2?} / {ours_in_flight} = {ours_floor:.1?} (ours/floor {:.2}x)",
        m.ours.requests_per_run(),
        ratio(ours, ours_floor)
    ));
    let physical = limit(per_account, rtt, BASELINE_IN_FLIGHT);
    line.push_str(&format!(
        "; physical limit of one read per account at {BASELINE_IN_FLIGHT} in flight {per_account} x {rtt:.2?} / {BASELINE_IN_FLIGHT} = {physical:.1?} (ours/limit {:.3}x)",
        ratio(ours, physical)
    ));
    for (in_flight, tally) in [(1, &m.sequential), (BASELINE_IN_FLIGHT, &m.in_flight)] {
        let label = if in_flight == 1 {
            "sequential".to_string()
        } else {
            format!("{in_flight} in flight")
        };
        if tally.runs > 0 {
            line.push_str(&format!(
                "; {label} {:.1?} over {} run(s) ({} requests, {:.1}x ours, {:.2}x its limit)",
                tally.mean(),
                tally.runs,
                tally.requests_per_run(),
                ratio(tally.mean(), ours),
                ratio(tally.mean(), limit(per_account, rtt, in_flight))
            ));
        } else if in_flight == 1 && !sequential_in_criterion {
            line.push_str(&format!("; sequential skipped (set {FULL_ENV}=1)"));
        }
    }
    line.push_str(&format!(
        "; round trip {rtt:.2?} (mean of {RTT_PROBES} single per-account reads)"
    ));
    line
}

/// For each backend at `n` accounts: our sweep, the per-account baseline one read at a
/// time and [`BASELINE_IN_FLIGHT`] at once, and the measured round trip of one
/// per-account read, from which the physical limits are computed.
fn sweeps(c: &mut Criterion, rt: &Runtime, fixtures: &Fixtures, n: usize) {
    let mut group = wire_group(c, format!("sweep-{n}"), n);
    let sequential_in_criterion = n <= SEQUENTIAL_IN_CRITERION_MAX;
    let mut summary = Vec::new();
    for backend in Backend::ALL {
        let provisioner: OnceCell<Provisioner> = OnceCell::new();
        let reader: OnceCell<PerAccount> = OnceCell::new();
        let per_account_requests: OnceCell<u64> = OnceCell::new();
        let round_trip: OnceCell<Duration> = OnceCell::new();
        let ours = RefCell::new(Tally::default());
        let sequential = RefCell::new(Tally::default());
        let in_flight = RefCell::new(Tally::default());
        // Builds the fixture on first use, checks every arm's requests and measures
        // the round trip, once.
        let setup = || {
            let fixture = fixture(fixtures, rt, backend, n);
            let arms = Arms {
                fixture,
                provisioner: provisioner.get_or_init(|| fixture.provisioner()),
                reader: reader.get_or_init(|| rt.block_on(PerAccount::start(&fixture.mock))),
            };
            per_account_requests.get_or_init(|| {
                check_request_bound(rt, fixture, arms.provisioner);
                let sequential = check_per_account_requests(rt, arms, 1);
                let concurrent = check_per_account_requests(rt, arms, BASELINE_IN_FLIGHT);
                assert_eq!(
                    sequential,
                    concurrent,
                    "{} per-account arms",
                    backend.name()
                );
                sequential
            });
            round_trip.get_or_init(|| {
                fixture.mock.set_latency(LAN_LATENCY);
                let user = &fixture.accounts[0].username;
                rt.block_on(arms.reader.round_trip(user, RTT_PROBES))
            });
            arms
        };
        let name = backend.name();
        group.bench_function(format!("{name}/ours"), |b| {
            b.iter_custom(|iters| timed_sweeps(rt, setup(), Strategy::Ours, iters, &ours))
        });
        let parallel = Strategy::PerAccount(BASELINE_IN_FLIGHT);
        group.bench_function(format!("{name}/per-account-{BASELINE_IN_FLIGHT}"), |b| {
            b.iter_custom(|iters| timed_sweeps(rt, setup(), parallel, iters, &in_flight))
        });
        let one_by_one = Strategy::PerAccount(1);
        if sequential_in_criterion {
            group.bench_function(format!("{name}/sequential"), |b| {
                b.iter_custom(|iters| timed_sweeps(rt, setup(), one_by_one, iters, &sequential))
            });
        } else if full_runs() > 0 && ours.borrow().runs > 0 {
            let runs = full_runs();
            eprintln!("[sweep] {name}/sequential at {n} accounts: {runs} run(s) timed by hand");
            timed_sweeps(rt, setup(), one_by_one, runs, &sequential);
        }
        summary.push(Measured {
            backend,
            ours: ours.into_inner(),
            sequential: sequential.into_inner(),
            in_flight: in_flight.into_inner(),
            per_account_requests: per_account_requests.into_inner(),
            round_trip: round_trip.into_inner(),
        });
    }
    group.finish();
    for measured in summary.iter().filter(|m| m.ours.runs > 0) {
        println!("{}", summary_line(n, measured, sequential_in_criterion));
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
