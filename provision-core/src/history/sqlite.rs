//! The durable history store: an embedded SQLite database.

use std::collections::HashMap;
use std::fmt;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, TransactionBehavior};

use super::series::{from_millis, to_millis, DayWindow, MonthWindow};
use super::{DailyPoint, HistoryStore, MonthlyPoint, Retention, Sample};
use crate::error::{Error, Result};
use crate::quota::ByteSize;
use crate::threshold::ThresholdState;
use crate::username::Username;

/// The schema version this code writes and reads (`PRAGMA user_version`).
const SCHEMA_VERSION: i64 = 1;

/// Version 1. The samples' primary key is the (account, at) index the range queries
/// use; `usage_samples_at` serves pruning, which deletes by time across accounts.
/// Times are Unix milliseconds; `used_bytes` holds the u64's bit pattern, since SQLite
/// integers are signed (the series are computed in Rust, never by SQL arithmetic).
const SCHEMA_V1: &str = "
CREATE TABLE usage_samples (
    account        TEXT    NOT NULL,
    at_ms          INTEGER NOT NULL,
    used_bytes     INTEGER NOT NULL,
    measured_at_ms INTEGER,
    PRIMARY KEY (account, at_ms)
) WITHOUT ROWID;
CREATE INDEX usage_samples_at ON usage_samples (at_ms);
CREATE TABLE threshold_states (
    account TEXT NOT NULL PRIMARY KEY,
    state   TEXT NOT NULL
) WITHOUT ROWID;
";

/// How long a call waits for another process holding the database's write lock.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// A [`HistoryStore`] in an SQLite database file, kept across restarts.
///
/// The schema is created when the file is opened and versioned with
/// `PRAGMA user_version`; the database runs in WAL mode with `synchronous = NORMAL`: a
/// commit survives a crash of the process, but a power loss may undo the last ones.
/// Samples and states are written by separate calls, and calls share one connection. Calls run on Tokio's blocking thread pool, so they need a Tokio
/// runtime.
pub struct SqliteHistory {
    connection: Arc<Mutex<Connection>>,
    location: String,
}

impl fmt::Debug for SqliteHistory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SqliteHistory")
            .field("location", &self.location)
            .finish_non_exhaustive()
    }
}

fn store_error(context: impl Into<String>) -> impl FnOnce(rusqlite::Error) -> Error {
    let message = context.into();
    move |e| Error::Store {
        message,
        source: Some(Box::new(e)),
    }
}

fn corrupt(message: String) -> Error {
    Error::Store {
        message,
        source: None,
    }
}

fn stored_account(name: String) -> Result<Username> {
    Username::new(name).map_err(|e| corrupt(format!("stored account name is not valid: {e}")))
}

// SQLite integers are i64; a usage keeps its u64 bit pattern (see SCHEMA_V1).
fn bytes_to_sql(size: ByteSize) -> i64 {
    size.bytes() as i64
}

fn bytes_from_sql(value: i64) -> ByteSize {
    ByteSize::new(value as u64)
}

impl SqliteHistory {
    /// Opens (or creates) the database at `path` and creates or checks its schema.
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        let location = path.as_ref().display().to_string();
        let connection = Connection::open(path.as_ref())
            .map_err(store_error(format!("cannot open {location}")))?;
        Self::prepare(connection, location)
    }

    /// A private database in memory (for tests; gone when the store is dropped).
    pub fn open_in_memory() -> Result<Self> {
        let connection =
            Connection::open_in_memory().map_err(store_error("cannot open a memory database"))?;
        Self::prepare(connection, ":memory:".to_string())
    }

    fn prepare(mut connection: Connection, location: String) -> Result<Self> {
        let setup = store_error(format!("cannot set up {location}"));
        configure(&connection).map_err(setup)?;
        migrate(&mut connection, &location)?;
        Ok(SqliteHistory {
            connection: Arc::new(Mutex::new(connection)),
            location,
        })
    }

    /// Runs `work` with the connection on the blocking thread pool.
    async fn with_connection<T, F>(&self, work: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T> + Send + 'static,
    {
        let connection = Arc::clone(&self.connection);
        let task = tokio::task::spawn_blocking(move || {
            let mut guard = connection.lock().map_err(|_| Error::Store {
                message: "the database connection was poisoned by a panic".into(),
                source: None,
            })?;
            work(&mut guard)
        });
        task.await.map_err(|e| Error::Store {
            message: "a history store task did not finish".into(),
            source: Some(Box::new(e)),
        })?
    }

    /// `(time ms, usage)` of an account's samples in `start_ms..end_ms`, oldest first.
    async fn usage_between(
        &self,
        account: &Username,
        start_ms: i64,
        end_ms: i64,
    ) -> Result<Vec<(i64, ByteSize)>> {
        let account = account.as_str().to_string();
        self.with_connection(move |connection| {
            let failed = || store_error("cannot read samples");
            let mut query = connection
                .prepare_cached(
                    "SELECT at_ms, used_bytes FROM usage_samples
                     WHERE account = ?1 AND at_ms >= ?2 AND at_ms < ?3 ORDER BY at_ms",
                )
                .map_err(failed())?;
            let rows = query
                .query_map(params![account, start_ms, end_ms], |row| {
                    Ok((row.get::<_, i64>(0)?, bytes_from_sql(row.get(1)?)))
                })
                .map_err(failed())?;
            rows.collect::<rusqlite::Result<_>>().map_err(failed())
        })
        .await
    }
}

fn configure(connection: &Connection) -> rusqlite::Result<()> {
    connection.busy_timeout(BUSY_TIMEOUT)?;
    // An in-memory database answers "memory": WAL applies to files only.
    connection
        .pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get::<_, String>(0))?;
    // With WAL, NORMAL survives a crash of the process, not of the machine: a power
    // loss may undo the last commits (the ledger syncs every commit instead).
    connection.pragma_update(None, "synchronous", "NORMAL")?;
    Ok(())
}

/// Creates the schema in a new database, or checks an existing one's version.
fn migrate(connection: &mut Connection, location: &str) -> Result<()> {
    let failed = || store_error(format!("cannot create the schema in {location}"));
    // IMMEDIATE: two processes opening a new file at once must not both create it.
    let tx = connection
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(failed())?;
    let version: i64 = tx
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .map_err(failed())?;
    match version {
        0 => {
            tx.execute_batch(SCHEMA_V1).map_err(failed())?;
            tx.pragma_update(None, "user_version", SCHEMA_VERSION)
                .map_err(failed())?;
        }
        SCHEMA_VERSION => {}
        other => {
            return Err(Error::Store {
                message: format!(
                    "{location} has schema version {other}; this library reads version \
                     {SCHEMA_VERSION} (a newer release wrote it?)"
                ),
                source: None,
            })
        }
    }
    tx.commit().map_err(failed())
}

#[async_trait]
impl HistoryStore for SqliteHistory {
    async fn record(&self, samples: &[Sample]) -> Result<()> {
        let rows: Vec<(String, i64, i64, Option<i64>)> = samples
            .iter()
            .map(|s| {
                (
                    s.account.as_str().to_string(),
                    to_millis(s.at),
                    bytes_to_sql(s.used),
                    s.measured_at.map(to_millis),
                )
            })
            .collect();
        self.with_connection(move |connection| {
            let failed = || store_error("cannot record samples");
            let tx = connection.transaction().map_err(failed())?;
            {
                let mut insert = tx
                    .prepare_cached(
                        "INSERT INTO usage_samples (account, at_ms, used_bytes, measured_at_ms)
                         VALUES (?1, ?2, ?3, ?4)
                         ON CONFLICT (account, at_ms) DO UPDATE
                         SET used_bytes = excluded.used_bytes,
                             measured_at_ms = excluded.measured_at_ms",
                    )
                    .map_err(failed())?;
                for (account, at_ms, used, measured_at_ms) in &rows {
                    insert
                        .execute(params![account, at_ms, used, measured_at_ms])
                        .map_err(failed())?;
                }
            }
            tx.commit().map_err(failed())
        })
        .await
    }

    async fn samples(
        &self,
        account: &Username,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<Sample>> {
        let account = account.clone();
        let (from_ms, to_ms) = (to_millis(from), to_millis(to));
        self.with_connection(move |connection| {
            let failed = || store_error("cannot read samples");
            let mut query = connection
                .prepare_cached(
                    "SELECT at_ms, used_bytes, measured_at_ms FROM usage_samples
                     WHERE account = ?1 AND at_ms >= ?2 AND at_ms <= ?3 ORDER BY at_ms",
                )
                .map_err(failed())?;
            let rows = query
                .query_map(params![account.as_str(), from_ms, to_ms], |row| {
                    Ok((
                        row.get::<_, i64>(0)?,
                        row.get::<_, i64>(1)?,
                        row.get::<_, Option<i64>>(2)?,
                    ))
                })
                .map_err(failed())?;
            rows.map(|row| {
                let (at_ms, used, measured_at_ms) = row.map_err(failed())?;
                Ok(Sample {
                    account: account.clone(),
                    at: from_millis(at_ms)?,
                    used: bytes_from_sql(used),
                    measured_at: measured_at_ms.map(from_millis).transpose()?,
                })
            })
            .collect()
        })
        .await
    }

    async fn daily(
        &self,
        account: &Username,
        days: u32,
        now: DateTime<Utc>,
    ) -> Result<Vec<DailyPoint>> {
        let window = DayWindow::new(days, now, chrono_tz::Tz::UTC)?;
        let usage = self
            .usage_between(account, window.start_ms, window.end_ms)
            .await?;
        Ok(window.series(usage))
    }

    async fn monthly(
        &self,
        account: &Username,
        months: u32,
        now: DateTime<Utc>,
    ) -> Result<Vec<MonthlyPoint>> {
        let window = MonthWindow::new(months, now, chrono_tz::Tz::UTC)?;
        let usage = self
            .usage_between(account, window.start_ms, window.end_ms)
            .await?;
        window.series(usage)
    }

    async fn prune(&self, retention: Retention, now: DateTime<Utc>) -> Result<u64> {
        let cutoff_ms = to_millis(retention.cutoff(now));
        self.with_connection(move |connection| {
            let deleted = connection
                .execute("DELETE FROM usage_samples WHERE at_ms < ?1", [cutoff_ms])
                .map_err(store_error("cannot prune samples"))?;
            Ok(deleted as u64)
        })
        .await
    }

    async fn load_states(&self) -> Result<HashMap<Username, ThresholdState>> {
        self.with_connection(|connection| {
            let failed = || store_error("cannot read threshold states");
            let mut query = connection
                .prepare_cached("SELECT account, state FROM threshold_states")
                .map_err(failed())?;
            let rows = query
                .query_map([], |row| {
                    Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
                })
                .map_err(failed())?;
            rows.map(|row| {
                let (account, code) = row.map_err(failed())?;
                let state = ThresholdState::from_code(&code).ok_or_else(|| {
                    corrupt(format!(
                        "unknown threshold state {code:?} stored for {account}"
                    ))
                })?;
                Ok((stored_account(account)?, state))
            })
            .collect()
        })
        .await
    }

    async fn save_states(&self, states: &[(Username, ThresholdState)]) -> Result<()> {
        let rows: Vec<(String, &'static str)> = states
            .iter()
            .map(|(account, state)| (account.as_str().to_string(), state.code()))
            .collect();
        self.with_connection(move |connection| {
            let failed = || store_error("cannot save threshold states");
            let tx = connection.transaction().map_err(failed())?;
            {
                let mut upsert = tx
                    .prepare_cached(
                        "INSERT INTO threshold_states (account, state) VALUES (?1, ?2)
                         ON CONFLICT (account) DO UPDATE SET state = excluded.state",
                    )
                    .map_err(failed())?;
                for (account, code) in &rows {
                    upsert.execute(params![account, code]).map_err(failed())?;
                }
            }
            tx.commit().map_err(failed())
        })
        .await
    }

    async fn forget(&self, account: &Username) -> Result<()> {
        let account = account.as_str().to_string();
        self.with_connection(move |connection| {
            let failed = || store_error("cannot forget an account");
            let tx = connection.transaction().map_err(failed())?;
            tx.execute("DELETE FROM usage_samples WHERE account = ?1", [&account])
                .map_err(failed())?;
            tx.execute(
                "DELETE FROM threshold_states WHERE account = ?1",
                [&account],
            )
            .map_err(failed())?;
            tx.commit().map_err(failed())
        })
        .await
    }
}
