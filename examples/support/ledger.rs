//! The ledgers the ledger examples measure: a fresh SQLite file in the temporary
//! directory, or a fresh database on the PostgreSQL server that
//! `PROVISION_TEST_POSTGRES_URL` names.

use std::error::Error;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use provision::core::cycle::BillingCycle;
use provision::core::ledger::{Ledger, SqlLedger};

type BoxError = Box<dyn Error + Send + Sync>;

/// The variable naming the PostgreSQL server.
pub const POSTGRES_URL: &str = "PROVISION_TEST_POSTGRES_URL";

/// Which ledger a case runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Store {
    Sqlite,
    Postgres,
}

impl Store {
    /// The name in case arguments and result lines.
    pub fn name(self) -> &'static str {
        match self {
            Store::Sqlite => "sqlite",
            Store::Postgres => "postgres",
        }
    }

    /// SQLite, and PostgreSQL when a server is configured.
    pub fn available() -> Vec<Store> {
        let mut stores = vec![Store::Sqlite];
        if std::env::var_os(POSTGRES_URL).is_some() {
            stores.push(Store::Postgres);
        }
        stores
    }
}

/// A fresh ledger, where it is, and (SQLite) the directory to remove afterwards.
/// `label` names the example in the directory's or database's name.
pub async fn open_ledger(
    store: Store,
    label: &str,
) -> Result<(Arc<dyn Ledger>, String, Option<PathBuf>), BoxError> {
    match store {
        Store::Sqlite => {
            let dir = std::env::temp_dir()
                .join(format!("provision-{label}-bench-{}", std::process::id()));
            std::fs::create_dir_all(&dir)?;
            let path = dir.join("ledger.sqlite");
            let ledger = SqlLedger::sqlite(&path).await?;
            Ok((Arc::new(ledger), path.display().to_string(), Some(dir)))
        }
        Store::Postgres => {
            let url = provision::core::ledger::testing::fresh_postgres_database(label)
                .await
                .ok_or("no PostgreSQL configured")?;
            let ledger = SqlLedger::postgres(&url, 8).await?;
            let location = ledger.location().to_string();
            Ok((Arc::new(ledger), location, None))
        }
    }
}

/// Takes every pending action in batches of 1,000 and confirms each batch; how many,
/// how long.
pub async fn drain(cycle: &BillingCycle) -> Result<(usize, Duration), BoxError> {
    let started = Instant::now();
    let mut count = 0;
    loop {
        let batch = cycle
            .pending_actions(1000, Duration::from_secs(600))
            .await?;
        if batch.is_empty() {
            return Ok((count, started.elapsed()));
        }
        // A consumer that sent the batch's mails confirms them in one write.
        let ids: Vec<_> = batch.iter().map(|a| a.id).collect();
        count += usize::try_from(cycle.confirm_many(&ids).await?)?;
    }
}
