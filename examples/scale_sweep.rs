//! The daily sweep at scale (issue 16, part 5): 1,000, 10,000 and 100,000 accounts
//! spread over 10 servers, through the billing cycle and its ledger (the SQLite file,
//! and PostgreSQL when `PROVISION_TEST_POSTGRES_URL` is set), so the growth can be
//! read. For each size and ledger: the sweep's wall time, the requests the servers
//! received, the ledger's writes per account (transactions and rows), and the peak
//! memory of the process running the cycle.
//!
//! ```text
//! cargo build --release --features postgres --example scale_sweep
//! ./target/release/examples/scale_sweep                     # SQLite only
//! PROVISION_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:55432/postgres \
//!     ./target/release/examples/scale_sweep                 # and PostgreSQL
//! ./target/release/examples/scale_sweep 10000 sqlite        # one case
//! ```
//!
//! The servers are 5 Nextcloud and 5 Synology DSM mocks, each holding a tenth of the
//! accounts, over real HTTP on loopback with 2 ms added to every answer (a LAN), as
//! in the other benches. They run in a child process, so the measured process holds
//! the cycle, the providers and the ledger only. The providers use the default client
//! options. The servers' process shares the machine's cores with the measured one, so
//! the wall time includes the servers' own work; the CPU time of the measured process is
//! printed beside it. (MinIO is left out here: its sweep is two requests whatever the number of
//! accounts, and filling a MinIO mock with 10,000 accounts goes through 10,000
//! encrypted admin creates, minutes per server; the `sweep` bench measures it.)
//!
//! Each case imports the services into a fresh ledger, runs a first sweep (every
//! account gets its first sample and state; about 18 % are owed an action), drains the
//! outbox, and then measures the next day's sweep: the steady state a daily cron job
//! sees. Accounts use 0 to 109 % of a 10 GB quota and warn at 90 %. The peak resident
//! set (`VmHWM`) is reset before each measured sweep. The ledger's writes are counted by
//! a wrapper around it: each write call is one transaction, and the rows are those the
//! call carries (samples, changed states and actions of a sweep; services recorded).
#![forbid(unsafe_code)]

#[path = "support/ledger.rs"]
mod ledger;
#[path = "support/rss.rs"]
mod rss;

use std::collections::BTreeMap;
use std::error::Error;
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, ChildStdout, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use ledger::{drain, open_ledger, Store};
use provision::core::cycle::BillingCycle;
use provision::core::history::{DailyPoint, MonthlyPoint};
use provision::core::ledger::{
    AccountKey, ActionId, Begun, Ledger, LedgerSample, Operation, OperationState, PendingAction,
    ProductRecord, ServerId, ServerRecord, ServiceKey, ServiceRecord, ServiceStatus, SweepRecord,
    Tz,
};
use provision::core::provisioner::ProductConfig;
use provision::core::threshold::ThresholdState;
use provision::core::{ByteSize, SecretString, StorageProvider, Username};
use provision::nextcloud::mock::{MockNextcloud, ADMIN_PASSWORD, ADMIN_USER};
use provision::nextcloud::NextcloudProvider;
use provision::synology::mock::MockSynology;
use provision::synology::SynologyProvider;
use rss::{mib, reset_peak, status_kib};

const SERVERS: usize = 10;
/// Servers 0..5 are Nextcloud, the rest Synology.
const NEXTCLOUD_SERVERS: usize = 5;
const SIZES: [usize; 3] = [1_000, 10_000, 100_000];
const QUOTA_BYTES: u64 = 10 << 30;
const PASSWORD: &str = "Bench-Passw0rd!x";
const LATENCY: Duration = Duration::from_millis(2);
/// The argument that makes this program the servers' process.
const SERVE_MOCKS: &str = "serve-mocks";

type BoxError = Box<dyn Error + Send + Sync>;

fn used_bytes(i: usize) -> u64 {
    QUOTA_BYTES / 100 * (i % 110) as u64
}

fn account_name(server: usize, i: usize) -> String {
    format!("s{server}c{i:06}")
}

// ---- the servers' process ----------------------------------------------------------

/// Serves the 10 mocks with `per_server` accounts each. Prints each server's backend
/// and URL, one per line, then answers every `count` line on stdin with the servers'
/// request counts (one line, space-separated) until stdin closes.
fn serve_mocks(per_server: usize) -> Result<(), BoxError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let mut nextclouds = Vec::new();
    let mut synologys = Vec::new();
    for server in 0..SERVERS {
        if server < NEXTCLOUD_SERVERS {
            let mock = runtime.block_on(MockNextcloud::start());
            for i in 0..per_server {
                let name = account_name(server, i);
                mock.add_user(&name, PASSWORD);
                mock.set_used(&name, ByteSize::new(used_bytes(i)));
            }
            mock.set_latency(LATENCY);
            nextclouds.push(mock);
        } else {
            let mock = runtime.block_on(MockSynology::start());
            for i in 0..per_server {
                let name = account_name(server, i);
                mock.add_user(&name, PASSWORD);
                mock.set_usage(&name, ByteSize::new(used_bytes(i)));
            }
            mock.set_latency(LATENCY);
            synologys.push(mock);
        }
    }
    let mut stdout = std::io::stdout();
    for mock in &nextclouds {
        writeln!(stdout, "nextcloud {}", mock.url())?;
    }
    for mock in &synologys {
        writeln!(stdout, "synology {}", mock.url())?;
    }
    stdout.flush()?;
    // The mocks serve from the runtime's workers; this thread answers the counts.
    for line in std::io::stdin().lock().lines() {
        if line? == "count" {
            let counts: Vec<String> = nextclouds
                .iter()
                .map(|m| m.request_count().to_string())
                .chain(synologys.iter().map(|m| m.request_count().to_string()))
                .collect();
            writeln!(stdout, "{}", counts.join(" "))?;
            stdout.flush()?;
        }
    }
    Ok(())
}

/// The servers' process, seen from the measured one.
struct Servers {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    urls: Vec<(String, String)>,
}

impl Servers {
    fn start(per_server: usize) -> Result<Servers, BoxError> {
        let mut child = std::process::Command::new(std::env::current_exe()?)
            .args([SERVE_MOCKS, &per_server.to_string()])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()?;
        let stdin = child.stdin.take().ok_or("the servers have no stdin")?;
        let mut stdout = BufReader::new(child.stdout.take().ok_or("the servers have no stdout")?);
        let mut urls = Vec::with_capacity(SERVERS);
        for _ in 0..SERVERS {
            let mut line = String::new();
            if stdout.read_line(&mut line)? == 0 {
                return Err("the servers' process ended before it was ready".into());
            }
            let (backend, url) = line
                .trim()
                .split_once(' ')
                .ok_or_else(|| format!("not a server line: {line:?}"))?;
            urls.push((backend.to_string(), url.to_string()));
        }
        Ok(Servers {
            child,
            stdin,
            stdout,
            urls,
        })
    }

    /// Requests served so far, over all servers.
    fn requests(&mut self) -> Result<u64, BoxError> {
        writeln!(self.stdin, "count")?;
        self.stdin.flush()?;
        let mut line = String::new();
        self.stdout.read_line(&mut line)?;
        let mut total = 0;
        for count in line.split_whitespace() {
            total += count.parse::<u64>()?;
        }
        Ok(total)
    }

    fn stop(self) -> Result<(), BoxError> {
        let Servers {
            mut child, stdin, ..
        } = self;
        // Closing its stdin ends the servers' process.
        drop(stdin);
        child.wait()?;
        Ok(())
    }
}

fn provider(backend: &str, url: &str) -> Result<Arc<dyn StorageProvider>, BoxError> {
    Ok(match backend {
        "nextcloud" => Arc::new(
            NextcloudProvider::builder(url)
                .credentials(ADMIN_USER, SecretString::from(ADMIN_PASSWORD))
                .build()?,
        ),
        _ => Arc::new(
            SynologyProvider::builder(url)
                .credentials(
                    MockSynology::ADMIN_ACCOUNT,
                    SecretString::from(MockSynology::ADMIN_PASSWORD),
                )
                .build()?,
        ),
    })
}

/// The CPU time (user and system) this process has used so far, from
/// `/proc/self/stat` (in clock ticks of 10 ms): the cycle's side, not the servers'.
fn process_cpu() -> Result<Duration, BoxError> {
    let stat = std::fs::read_to_string("/proc/self/stat")?;
    // The fields after the command name, which is in parentheses and may hold spaces.
    let after = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest)
        .ok_or("an unreadable /proc/self/stat")?;
    let fields: Vec<&str> = after.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the name.
    let ticks: u64 = fields
        .get(11..13)
        .ok_or("a short /proc/self/stat")?
        .iter()
        .map(|f| f.parse::<u64>())
        .sum::<Result<u64, _>>()?;
    Ok(Duration::from_millis(ticks * 10))
}

// ---- the ledger's writes, counted --------------------------------------------------

/// The ledger's writes since the last [`WriteCount::take`]: transactions (write calls)
/// and the rows they carry.
#[derive(Debug, Default)]
struct WriteCount {
    transactions: AtomicU64,
    rows: AtomicU64,
}

impl WriteCount {
    fn add(&self, rows: usize) {
        self.transactions.fetch_add(1, Ordering::Relaxed);
        self.rows.fetch_add(rows as u64, Ordering::Relaxed);
    }

    fn take(&self) -> (u64, u64) {
        (
            self.transactions.swap(0, Ordering::Relaxed),
            self.rows.swap(0, Ordering::Relaxed),
        )
    }
}

/// A ledger that counts the writes it passes on; reads pass through uncounted.
struct CountingLedger {
    inner: Arc<dyn Ledger>,
    writes: Arc<WriteCount>,
}

type LedgerResult<T> = provision::core::Result<T>;

#[async_trait]
impl Ledger for CountingLedger {
    async fn put_server(&self, server: &ServerRecord) -> LedgerResult<()> {
        self.writes.add(1);
        self.inner.put_server(server).await
    }
    async fn server(&self, id: &ServerId) -> LedgerResult<Option<ServerRecord>> {
        self.inner.server(id).await
    }
    async fn servers(&self) -> LedgerResult<Vec<ServerRecord>> {
        self.inner.servers().await
    }
    async fn put_product(&self, product: &ProductRecord) -> LedgerResult<()> {
        self.writes.add(1);
        self.inner.put_product(product).await
    }
    async fn product(&self, name: &str) -> LedgerResult<Option<ProductRecord>> {
        self.inner.product(name).await
    }
    async fn products(&self) -> LedgerResult<Vec<ProductRecord>> {
        self.inner.products().await
    }
    async fn service(&self, key: &ServiceKey) -> LedgerResult<Option<ServiceRecord>> {
        self.inner.service(key).await
    }
    async fn services(&self, server: &ServerId) -> LedgerResult<Vec<ServiceRecord>> {
        self.inner.services(server).await
    }
    async fn save_service(&self, service: &ServiceRecord) -> LedgerResult<()> {
        self.writes.add(1);
        self.inner.save_service(service).await
    }
    async fn import_services(&self, services: &[ServiceRecord]) -> LedgerResult<()> {
        self.writes.add(services.len());
        self.inner.import_services(services).await
    }
    async fn account_owner(
        &self,
        server: &ServerId,
        account_key: &str,
    ) -> LedgerResult<Option<ServiceKey>> {
        self.inner.account_owner(server, account_key).await
    }
    async fn try_lock(
        &self,
        service: &ServiceKey,
        owner: &str,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> LedgerResult<bool> {
        self.writes.add(1);
        self.inner.try_lock(service, owner, now, until).await
    }
    async fn unlock(&self, service: &ServiceKey, owner: &str) -> LedgerResult<()> {
        self.writes.add(1);
        self.inner.unlock(service, owner).await
    }
    async fn begin_operation(&self, operation: &Operation) -> LedgerResult<Begun> {
        self.writes.add(1);
        self.inner.begin_operation(operation).await
    }
    async fn finish_operation(
        &self,
        key: &str,
        state: OperationState,
        outcome: Option<&str>,
        now: DateTime<Utc>,
    ) -> LedgerResult<()> {
        self.writes.add(1);
        self.inner.finish_operation(key, state, outcome, now).await
    }
    async fn unfinished_operations(&self) -> LedgerResult<Vec<Operation>> {
        self.inner.unfinished_operations().await
    }
    async fn operations(&self, service: &ServiceKey) -> LedgerResult<Vec<Operation>> {
        self.inner.operations(service).await
    }
    async fn threshold_states(
        &self,
        server: &ServerId,
    ) -> LedgerResult<BTreeMap<Username, ThresholdState>> {
        self.inner.threshold_states(server).await
    }
    async fn record_sweep(
        &self,
        server: &ServerId,
        sweep: &SweepRecord,
        now: DateTime<Utc>,
    ) -> LedgerResult<()> {
        self.writes
            .add(sweep.samples.len() + sweep.states.len() + sweep.actions.len());
        self.inner.record_sweep(server, sweep, now).await
    }
    async fn pending_actions(
        &self,
        consumer: &str,
        limit: u32,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> LedgerResult<Vec<PendingAction>> {
        // A lease is a write (the actions it hands out are marked).
        let handed = self
            .inner
            .pending_actions(consumer, limit, now, lease_until)
            .await?;
        self.writes.add(handed.len());
        Ok(handed)
    }
    async fn confirm(&self, id: ActionId, now: DateTime<Utc>) -> LedgerResult<bool> {
        self.writes.add(1);
        self.inner.confirm(id, now).await
    }
    async fn confirm_many(&self, ids: &[ActionId], now: DateTime<Utc>) -> LedgerResult<u64> {
        self.writes.add(ids.len());
        self.inner.confirm_many(ids, now).await
    }
    async fn release_actions(&self, consumer: &str, ids: &[ActionId]) -> LedgerResult<()> {
        self.writes.add(ids.len());
        self.inner.release_actions(consumer, ids).await
    }
    async fn forget_account(&self, account: &AccountKey) -> LedgerResult<()> {
        self.writes.add(1);
        self.inner.forget_account(account).await
    }
    async fn set_applied_limited(
        &self,
        server: &ServerId,
        applied: &[(String, bool)],
    ) -> LedgerResult<()> {
        self.writes.add(applied.len());
        self.inner.set_applied_limited(server, applied).await
    }
    async fn samples(
        &self,
        account: &AccountKey,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> LedgerResult<Vec<LedgerSample>> {
        self.inner.samples(account, from, to).await
    }
    async fn daily(
        &self,
        account: &AccountKey,
        days: u32,
        now: DateTime<Utc>,
        zone: Tz,
    ) -> LedgerResult<Vec<DailyPoint>> {
        self.inner.daily(account, days, now, zone).await
    }
    async fn monthly(
        &self,
        account: &AccountKey,
        months: u32,
        now: DateTime<Utc>,
        zone: Tz,
    ) -> LedgerResult<Vec<MonthlyPoint>> {
        self.inner.monthly(account, months, now, zone).await
    }
}

// ---- one case ----------------------------------------------------------------------

/// Sweeps every server; the accounts read, or the first failure.
async fn sweep_all(cycle: &BillingCycle, at: DateTime<Utc>) -> Result<usize, BoxError> {
    let mut read = 0;
    for (server, result) in cycle.sweep_all(at).await {
        let report = result.map_err(|e| format!("the sweep of {server} failed: {e}"))?;
        if let Some((user, e)) = report.failures.first() {
            return Err(format!(
                "{server}: {} reads failed, first {user}: {e}",
                report.failures.len()
            )
            .into());
        }
        read += report.outcomes.len();
    }
    Ok(read)
}

async fn run(accounts: usize, store: Store) -> Result<(), BoxError> {
    let per_server = accounts / SERVERS;
    let mut servers = Servers::start(per_server)?;
    let product = ProductConfig::new("cust{client_id}", "16", "10 GB")?.notify_at(90);
    let (inner, location, sqlite_dir) = open_ledger(store, "scale").await?;
    let writes = Arc::new(WriteCount::default());
    let ledger: Arc<dyn Ledger> = Arc::new(CountingLedger {
        inner,
        writes: writes.clone(),
    });
    let now = Utc::now();
    let mut cycle = BillingCycle::new(ledger.clone()).with_product("standard", product);
    let mut services = Vec::with_capacity(accounts);
    for (server, (backend, url)) in servers.urls.iter().enumerate() {
        let id = ServerId::new(format!("{backend}-{server}"))?;
        cycle = cycle.with_server(id.clone(), provider(backend, url)?);
        for i in 0..per_server {
            let username = Username::new(account_name(server, i))?;
            services.push(ServiceRecord {
                account_key: Some(username.as_str().to_string()),
                username: Some(username),
                // As if the cycle had created them: on the standard policy.
                applied_limited: Some(false),
                ..ServiceRecord::new(
                    ServiceKey::new(id.clone(), format!("{server}-{i}")),
                    format!("{server}-{i}"),
                    "standard",
                    ServiceStatus::Active,
                    now,
                )
            });
        }
    }
    let started = Instant::now();
    ledger.import_services(&services).await?;
    let import = started.elapsed();
    drop(services);

    // The first sweep: every account's first sample and state.
    reset_peak()?;
    let first_rss_before = status_kib("VmRSS")?;
    let requests_before = servers.requests()?;
    writes.take();
    let started = Instant::now();
    let first_read = sweep_all(&cycle, now).await?;
    let first = started.elapsed();
    let first_peak = status_kib("VmHWM")?;
    let first_requests = servers.requests()? - requests_before;
    let (first_transactions, first_rows) = writes.take();
    let (owed, _) = drain(&cycle).await?;
    writes.take();

    // The next day's sweep, measured.
    let at = now + chrono::Duration::days(1);
    reset_peak()?;
    let rss_before = status_kib("VmRSS")?;
    let requests_before = servers.requests()?;
    let cpu_before = process_cpu()?;
    let started = Instant::now();
    let read = sweep_all(&cycle, at).await?;
    let wall = started.elapsed();
    let cpu = process_cpu()?.saturating_sub(cpu_before);
    let requests = servers.requests()? - requests_before;
    let peak = status_kib("VmHWM")?;
    let (transactions, rows) = writes.take();
    if read != accounts || first_read != accounts {
        return Err(format!("{read} and {first_read} accounts read of {accounts}").into());
    }
    println!(
        "[scale] {accounts} accounts, {SERVERS} servers, {} ({location}): import {:.2} s; \
         first sweep {:.2} s, {first_requests} requests, {:.2} ledger rows per account in {first_transactions} transactions, {owed} actions owed, peak {:.1} MiB over {:.1} MiB; \
         next day {:.3} s ({:.1} µs per account; this process's CPU {:.2} s, {:.1} µs per account), {requests} requests, {:.2} ledger rows per account in {transactions} transactions, \
         peak {:.1} MiB over {:.1} MiB",
        store.name(),
        import.as_secs_f64(),
        first.as_secs_f64(),
        first_rows as f64 / accounts as f64,
        mib(first_peak.saturating_sub(first_rss_before)),
        mib(first_rss_before),
        wall.as_secs_f64(),
        wall.as_secs_f64() * 1e6 / accounts as f64,
        cpu.as_secs_f64(),
        cpu.as_secs_f64() * 1e6 / accounts as f64,
        rows as f64 / accounts as f64,
        mib(peak.saturating_sub(rss_before)),
        mib(rss_before),
    );
    servers.stop()?;
    drop(cycle);
    drop(ledger);
    if let Some(dir) = sqlite_dir {
        std::fs::remove_dir_all(dir)?;
    }
    Ok(())
}

fn main() -> Result<(), BoxError> {
    let mut args = std::env::args().skip(1);
    match (args.next(), args.next()) {
        (Some(role), Some(per_server)) if role == SERVE_MOCKS => {
            return serve_mocks(per_server.parse()?);
        }
        (Some(accounts), Some(store)) => {
            let store = match store.as_str() {
                "sqlite" => Store::Sqlite,
                "postgres" => Store::Postgres,
                other => return Err(format!("unknown ledger {other:?}").into()),
            };
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()?;
            return runtime.block_on(run(accounts.parse()?, store));
        }
        (None, _) => {}
        (Some(other), None) => return Err(format!("unknown argument {other:?}").into()),
    }
    let stores = Store::available();
    if stores.len() == 1 {
        println!("({} is not set: SQLite only)", ledger::POSTGRES_URL);
    }
    let me = std::env::current_exe()?;
    // One process per case: memory freed by one cannot hide the next one's growth.
    for store in stores {
        for accounts in SIZES {
            let status = std::process::Command::new(&me)
                .args([accounts.to_string(), store.name().to_string()])
                .status()?;
            if !status.success() {
                return Err(format!("case {accounts} {} failed: {status}", store.name()).into());
            }
        }
    }
    println!(
        "(2 ms per answer; the peak is the resident set's VmHWM after a reset, over the resident set before the sweep)"
    );
    Ok(())
}
