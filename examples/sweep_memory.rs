//! How much memory a usage sweep of 100,000 accounts takes.
//!
//! ```text
//! cargo run --release --example sweep_memory
//! ```
//!
//! Method: every crate forbids `unsafe`, so a counting global allocator (an `unsafe
//! impl GlobalAlloc`) is out; this reads the process's resident set from
//! `/proc/self/status` (Linux) instead. After the accounts are in place, it resets the
//! peak (`VmHWM`) by writing `5` to `/proc/self/clear_refs`, runs one sweep, and reports
//! the peak during the sweep minus the resident size before it (what the sweep needed
//! on top of what the process already held) and the absolute peak. The allocator may
//! keep freed pages, so figures are upper bounds of what the sweep itself holds.
//!
//! Cases, each with 100,000 accounts at 0 to 109 % of a 10 GB quota:
//! 1. `InMemoryProvider`, first sweep into an empty `InMemoryHistory`;
//! 2. the same provider, the next day's sweep into that history (steady state);
//! 3. the Nextcloud mock with no latency, first sweep. The mock runs in a child
//!    process, so the figure is the client side alone: pages of 500 accounts read,
//!    parsed and joined, and the history.
#![forbid(unsafe_code)]

use std::error::Error;
use std::io::{BufRead, BufReader, Read, Write};
use std::process::Stdio;
use std::sync::Arc;

use chrono::{Duration, Utc};
use provision::core::history::InMemoryHistory;
use provision::core::memory::InMemoryProvider;
use provision::core::provisioner::{Provisioner, SweepAccount};
use provision::core::{
    AccountSpec, ByteSize, Plan, Quota, SecretString, StorageProvider, Username,
};
use provision::nextcloud::mock::{MockNextcloud, ADMIN_PASSWORD, ADMIN_USER};
use provision::nextcloud::NextcloudProvider;

#[path = "support/rss.rs"]
mod rss;

use rss::{mib, reset_peak, status_kib};

const ACCOUNTS: usize = 100_000;
const QUOTA_BYTES: u64 = 10 << 30;
const PASSWORD: &str = "Bench-Passw0rd!x";
/// The argument that makes this program the Nextcloud server of case 3.
const SERVE_NEXTCLOUD: &str = "serve-nextcloud";

type BoxError = Box<dyn Error + Send + Sync>;

/// Measures `sweep` as the module documentation says and prints one line. The sweep's
/// report is dropped before the "after" reading, so what stays resident is the
/// history and whatever freed memory the allocator keeps.
async fn measure<F, Fut>(label: &str, sweep: F) -> Result<(), BoxError>
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = Result<usize, BoxError>>,
{
    reset_peak()?;
    let before = status_kib("VmRSS")?;
    let read = sweep().await?;
    let peak = status_kib("VmHWM")?;
    let after = status_kib("VmRSS")?;
    println!(
        "{label}: {read} accounts; RSS before {:.1} MiB, peak {:.1} MiB, after {:.1} MiB; the sweep's peak {:.1} MiB, still resident after it {:.1} MiB",
        mib(before),
        mib(peak),
        mib(after),
        mib(peak.saturating_sub(before)),
        mib(after.saturating_sub(before))
    );
    Ok(())
}

fn used_bytes(i: usize) -> u64 {
    QUOTA_BYTES / 100 * (i % 110) as u64
}

fn accounts() -> Result<Vec<SweepAccount>, BoxError> {
    let quota = Quota::limited(ByteSize::new(QUOTA_BYTES))?;
    (0..ACCOUNTS)
        .map(|i| {
            Ok(SweepAccount {
                username: Username::new(format!("cust{i:06}"))?,
                quota,
                notify_at_percent: Some(90),
            })
        })
        .collect()
}

async fn sweep_once(
    provisioner: &Provisioner,
    accounts: &[SweepAccount],
    history: &InMemoryHistory,
    now: chrono::DateTime<Utc>,
) -> Result<usize, BoxError> {
    let report = provisioner.sweep(accounts, history, now).await?;
    if let Some((user, e)) = report.failures.first() {
        return Err(format!("{} reads failed, first {user}: {e}", report.failures.len()).into());
    }
    Ok(report.outcomes.len())
}

/// One measurement; each runs in its own process, so memory freed by an earlier case
/// cannot be reused by a later one and hide its growth.
#[derive(Debug, Clone, Copy)]
enum Case {
    InMemoryFirst,
    InMemoryNextDay,
    NextcloudFirst,
}

impl Case {
    const ALL: [Case; 3] = [
        Case::InMemoryFirst,
        Case::InMemoryNextDay,
        Case::NextcloudFirst,
    ];

    fn arg(self) -> &'static str {
        match self {
            Case::InMemoryFirst => "in-memory-first",
            Case::InMemoryNextDay => "in-memory-next-day",
            Case::NextcloudFirst => "nextcloud-first",
        }
    }
}

async fn in_memory_provisioner(accounts: &[SweepAccount]) -> Result<Provisioner, BoxError> {
    let provider = Arc::new(InMemoryProvider::new());
    for (i, account) in accounts.iter().enumerate() {
        provider
            .create_account(&AccountSpec {
                username: account.username.clone(),
                password: SecretString::from(PASSWORD),
                email: None,
                display_name: None,
                plan: Plan::new(account.quota),
            })
            .await?;
        provider.set_used(&account.username, ByteSize::new(used_bytes(i)));
    }
    Ok(Provisioner::new(provider))
}

async fn run(case: Case) -> Result<(), BoxError> {
    let accounts = accounts()?;
    let now = Utc::now();
    let history = InMemoryHistory::new();
    match case {
        Case::InMemoryFirst => {
            let provisioner = in_memory_provisioner(&accounts).await?;
            measure("in-memory provider, first sweep", || {
                sweep_once(&provisioner, &accounts, &history, now)
            })
            .await
        }
        Case::InMemoryNextDay => {
            let provisioner = in_memory_provisioner(&accounts).await?;
            sweep_once(&provisioner, &accounts, &history, now).await?;
            measure("in-memory provider, next day's sweep", || {
                sweep_once(&provisioner, &accounts, &history, now + Duration::days(1))
            })
            .await
        }
        Case::NextcloudFirst => {
            let mut server = std::process::Command::new(std::env::current_exe()?)
                .arg(SERVE_NEXTCLOUD)
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .spawn()?;
            let mut url = String::new();
            let stdout = server.stdout.take().ok_or("the server has no stdout")?;
            BufReader::new(stdout).read_line(&mut url)?;
            let provider = NextcloudProvider::builder(url.trim())
                .credentials(ADMIN_USER, SecretString::from(ADMIN_PASSWORD))
                .build()?;
            let provisioner = Provisioner::new(Arc::new(provider));
            let measured = measure("nextcloud mock (in another process), first sweep", || {
                sweep_once(&provisioner, &accounts, &history, now)
            })
            .await;
            // Closing its stdin stops the server.
            drop(server.stdin.take());
            server.wait()?;
            measured
        }
    }
}

/// Serves a Nextcloud mock holding the accounts until stdin closes, so that the
/// measured process holds the client side only.
fn serve_nextcloud(runtime: &tokio::runtime::Runtime) -> Result<(), BoxError> {
    let mock = runtime.block_on(MockNextcloud::start());
    for (i, account) in accounts()?.iter().enumerate() {
        let name = account.username.as_str();
        mock.add_user(name, PASSWORD);
        mock.set_used(name, ByteSize::new(used_bytes(i)));
    }
    let mut stdout = std::io::stdout();
    writeln!(stdout, "{}", mock.url())?;
    stdout.flush()?;
    // The mock serves from its own thread; this one only waits for the end.
    std::io::stdin().read_to_end(&mut Vec::new())?;
    Ok(())
}

fn main() -> Result<(), BoxError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    if let Some(arg) = std::env::args().nth(1) {
        if arg == SERVE_NEXTCLOUD {
            return serve_nextcloud(&runtime);
        }
        let case = Case::ALL
            .into_iter()
            .find(|c| c.arg() == arg)
            .ok_or_else(|| format!("unknown case {arg:?}"))?;
        return runtime.block_on(run(case));
    }
    let me = std::env::current_exe()?;
    for case in Case::ALL {
        let status = std::process::Command::new(&me).arg(case.arg()).status()?;
        if !status.success() {
            return Err(format!("case {} failed: {status}", case.arg()).into());
        }
    }
    println!(
        "(Linux resident set from /proc/self/status; the peak, VmHWM, reset through /proc/self/clear_refs before each sweep; one process per case)"
    );
    Ok(())
}
