//! What the ledger costs in a sweep of 100,000 accounts (issue 11, part 11): for the
//! SQLite file and for PostgreSQL, the sweep's wall time, the requests it sends, the
//! ledger's cost per account (the sweep's time less the provider's bulk read), the
//! peak memory, the import of the services and the draining of the outbox.
//!
//! ```text
//! cargo run --release --features postgres --example ledger_sweep     # SQLite only
//! PROVISION_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:55432/postgres \
//!     cargo run --release --features postgres --example ledger_sweep # and PostgreSQL
//! ```
//!
//! The provider is the in-memory one (no wire), so what is measured is the cycle and
//! its ledger. Accounts use 0 to 109 % of a 10 GB quota and warn at 90 %, so the first
//! sweep owes about 18 % of them an action and limits (policy switch) about 8 %. Each
//! case runs in its own process (memory freed by one cannot hide the next one's), with
//! the peak resident set (`VmHWM`) reset before the measured sweep. The SQLite file is
//! on the machine's disk with `synchronous = FULL`; the PostgreSQL cluster is the one
//! the URL names (CI's is a throwaway one with `fsync=off`; say which when quoting).
#![forbid(unsafe_code)]

#[path = "support/ledger.rs"]
mod ledger;
#[path = "support/rss.rs"]
mod rss;

use std::error::Error;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use ledger::{drain, open_ledger, Store, POSTGRES_URL};
use provision::core::cycle::BillingCycle;
use provision::core::ledger::{ServerId, ServiceKey, ServiceRecord, ServiceStatus};
use provision::core::memory::InMemoryProvider;
use provision::core::provisioner::ProductConfig;
use provision::core::{AccountSpec, ByteSize, Plan, SecretString, StorageProvider, Username};
use rss::{mib, reset_peak, status_kib};

const ACCOUNTS: usize = 100_000;
const QUOTA_BYTES: u64 = 10 << 30;
const PASSWORD: &str = "Bench-Passw0rd!x";

type BoxError = Box<dyn Error + Send + Sync>;

#[derive(Debug, Clone, Copy)]
struct Case {
    store: Store,
    next_day: bool,
}

impl Case {
    fn arg(self) -> String {
        format!(
            "{}-{}",
            self.store.name(),
            if self.next_day { "next-day" } else { "first" }
        )
    }

    fn all() -> Vec<Case> {
        Store::available()
            .into_iter()
            .flat_map(|store| [false, true].map(|next_day| Case { store, next_day }))
            .collect()
    }
}

fn used_bytes(i: usize) -> u64 {
    QUOTA_BYTES / 100 * (i % 110) as u64
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

async fn run(case: Case) -> Result<(), BoxError> {
    let server = ServerId::new("bench")?;
    let product = ProductConfig::new("cust{client_id}", "16", "10 GB")?.notify_at(90);
    let provider = Arc::new(InMemoryProvider::new());
    let now = Utc::now();
    let mut services = Vec::with_capacity(ACCOUNTS);
    for i in 0..ACCOUNTS {
        let username = Username::new(format!("cust{i:06}"))?;
        provider
            .create_account(&AccountSpec {
                username: username.clone(),
                password: SecretString::from(PASSWORD),
                email: None,
                display_name: None,
                plan: Plan::new(product.quota),
            })
            .await?;
        provider.set_used(&username, ByteSize::new(used_bytes(i)));
        services.push(ServiceRecord {
            username: Some(username.clone()),
            account_key: Some(username.as_str().to_string()),
            ..ServiceRecord::new(
                ServiceKey::new(server.clone(), i.to_string()),
                i.to_string(),
                "standard",
                ServiceStatus::Active,
                now,
            )
        });
    }
    let (ledger, location, _sqlite_dir) = open_ledger(case.store, "ledger").await?;
    let started = Instant::now();
    ledger.import_services(&services).await?;
    let import = started.elapsed();
    drop(services);
    let cycle = BillingCycle::new(ledger)
        .with_server(server.clone(), provider.clone())
        .with_product("standard", product);
    let mut at = now;
    if case.next_day {
        cycle.sweep(&server, at).await?;
        drain(&cycle).await?;
        at += chrono::Duration::days(1);
    }
    // The provider's share: its bulk read alone.
    let started = Instant::now();
    let read = provider.usage_all().await?.len();
    let provider_time = started.elapsed();
    assert_eq!(read, ACCOUNTS);

    reset_peak()?;
    let before = status_kib("VmRSS")?;
    let calls = provider.call_count();
    let started = Instant::now();
    let report = cycle.sweep(&server, at).await?;
    let wall = started.elapsed();
    let requests = provider.call_count() - calls;
    let peak = status_kib("VmHWM")?;
    if let Some((user, e)) = report.failures.first() {
        return Err(format!("{} reads failed, first {user}: {e}", report.failures.len()).into());
    }
    let switches = report.limit_switches.len();
    let (actions, drain_time) = drain(&cycle).await?;
    let per_account = wall.saturating_sub(provider_time).as_secs_f64() * 1e6 / ACCOUNTS as f64;
    println!(
        "{} ({location}): import {:.2} s; sweep {:.2} s for {} accounts, {requests} provider calls ({switches} limit switches), ledger and cycle {per_account:.1} µs per account (provider read {:.3} s); peak {:.1} MiB over {:.1} MiB; outbox {actions} actions drained and confirmed (a write per 1,000) in {:.2} s ({:.0} µs each)",
        case.arg(),
        secs(import),
        secs(wall),
        report.outcomes.len(),
        secs(provider_time),
        mib(peak.saturating_sub(before)),
        mib(before),
        secs(drain_time),
        if actions == 0 { 0.0 } else { drain_time.as_secs_f64() * 1e6 / actions as f64 },
    );
    Ok(())
}

fn main() -> Result<(), BoxError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    if let Some(arg) = std::env::args().nth(1) {
        let case = Case::all()
            .into_iter()
            .find(|c| c.arg() == arg)
            .ok_or_else(|| format!("unknown case {arg:?}"))?;
        return runtime.block_on(run(case));
    }
    if std::env::var_os(POSTGRES_URL).is_none() {
        println!("({POSTGRES_URL} is not set: SQLite only)");
    }
    let me = std::env::current_exe()?;
    for case in Case::all() {
        let status = std::process::Command::new(&me).arg(case.arg()).status()?;
        if !status.success() {
            return Err(format!("case {} failed: {status}", case.arg()).into());
        }
    }
    Ok(())
}
