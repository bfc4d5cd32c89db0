//! The ledger in SQL: an embedded SQLite file, or PostgreSQL for several workers.
//!
//! One implementation speaks to both through sqlx's `Any` driver: the statements are
//! the SQL both databases share (`$1` parameters, `ON CONFLICT`, `RETURNING`), and the
//! two differ only in their migrations and in how a write transaction begins.
//!
//! What is durable when a call returns:
//! - SQLite: WAL journal with `synchronous = FULL`, so every commit is synced to disk
//!   before the call returns; a crash of the process or of the machine after that loses
//!   nothing (given a disk that honours fsync). Writes go through one connection (SQLite
//!   allows one writer at a time; other processes wait up to 10 s for it), reads through
//!   separate read-only connections that never wait for the writer.
//! - PostgreSQL: a commit is as durable as the server's own settings make it.

mod idempotency;
mod schema;

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::any::{install_default_drivers, AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, Executor, Row};

use self::schema::{Dialect, Migrations, LATEST_VERSION};
use super::{
    AccountKey, ActionId, Begun, Customer, Ledger, LedgerError, LedgerSample, LimitOverride,
    Operation, OperationKind, OperationState, PendingAction, ProductRecord, ServerId, ServerRecord,
    ServiceKey, ServiceRecord, ServiceStatus, SweepRecord,
};
use crate::error::{Error, Result};
use crate::history::series::{from_millis, to_millis, DayWindow, MonthWindow};
use crate::history::{DailyPoint, MonthlyPoint};
use crate::quota::ByteSize;
use crate::threshold::{ThresholdAction, ThresholdState};
use crate::username::Username;

/// How long a writer waits for another process holding SQLite's write lock.
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Rows per multi-row INSERT: well under both databases' parameter limits.
const ROWS_PER_INSERT: usize = 500;

/// Confirmed actions are kept this long (for operators' questions), then pruned.
const CONFIRMED_ACTIONS_KEPT_DAYS: i64 = 90;

/// A [`Ledger`] in SQL: an SQLite file (feature `sqlite`) or PostgreSQL (feature
/// `postgres`). See the [module documentation](self) for what is durable when.
pub struct SqlLedger {
    dialect: Dialect,
    writer: AnyPool,
    reader: AnyPool,
    location: String,
}

impl fmt::Debug for SqlLedger {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SqlLedger")
            .field("dialect", &self.dialect)
            .field("location", &self.location)
            .finish_non_exhaustive()
    }
}

fn db(context: &'static str) -> impl FnOnce(sqlx::Error) -> Error {
    move |e| LedgerError::database(context, e).into()
}

fn corrupt(what: &'static str, value: impl Into<String>) -> Error {
    LedgerError::Corrupt {
        what,
        value: value.into(),
    }
    .into()
}

fn sqlite_pragmas(read_only: bool) -> String {
    format!(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = {}; {}",
        SQLITE_BUSY_TIMEOUT.as_millis(),
        if read_only {
            "PRAGMA query_only = ON;"
        } else {
            ""
        }
    )
}

fn sqlite_pool(max_connections: u32, read_only: bool) -> AnyPoolOptions {
    let pragmas = sqlite_pragmas(read_only);
    AnyPoolOptions::new()
        .max_connections(max_connections)
        .after_connect(move |connection, _| {
            let pragmas = pragmas.clone();
            Box::pin(async move { connection.execute(pragmas.as_str()).await.map(|_| ()) })
        })
}

impl SqlLedger {
    /// Opens (or creates) the ledger in the SQLite file at `path` and brings its schema
    /// up to date. Needs a Tokio runtime.
    #[cfg(feature = "sqlite")]
    pub async fn sqlite(path: impl AsRef<Path>) -> Result<Self> {
        let location = path.as_ref().display().to_string();
        if location.contains(['?', '#']) || location.is_empty() {
            return Err(Error::invalid(
                "ledger path",
                format!("{location:?} is empty or holds '?' or '#'"),
            ));
        }
        install_default_drivers();
        let url = format!("sqlite://{location}?mode=rwc");
        let writer = sqlite_pool(1, false)
            .connect(&url)
            .await
            .map_err(db("opening the SQLite ledger"))?;
        migrate(&writer, Dialect::Sqlite).await?;
        let reader = sqlite_pool(4, true)
            .connect(&url)
            .await
            .map_err(db("opening the SQLite ledger for reading"))?;
        Ok(SqlLedger {
            dialect: Dialect::Sqlite,
            writer,
            reader,
            location,
        })
    }

    /// A private SQLite ledger in memory, gone when dropped (for tests). Reads and
    /// writes share its one connection.
    #[cfg(feature = "sqlite")]
    pub async fn sqlite_in_memory() -> Result<Self> {
        install_default_drivers();
        let pool = sqlite_pool(1, false)
            // The one connection is the database: never close it while idle.
            .idle_timeout(None)
            .max_lifetime(None)
            .min_connections(1)
            .connect("sqlite::memory:")
            .await
            .map_err(db("opening an in-memory SQLite ledger"))?;
        migrate(&pool, Dialect::Sqlite).await?;
        Ok(SqlLedger {
            dialect: Dialect::Sqlite,
            writer: pool.clone(),
            reader: pool,
            location: ":memory:".into(),
        })
    }

    /// Connects to the ledger in PostgreSQL at `url` (`postgres://user:pass@host/db`;
    /// kept secret, never shown) and brings its schema up to date; several workers may
    /// share one database. `max_connections` bounds the pool.
    #[cfg(feature = "postgres")]
    pub async fn postgres(url: &secrecy::SecretString, max_connections: u32) -> Result<Self> {
        use secrecy::ExposeSecret;
        install_default_drivers();
        let exposed = url.expose_secret();
        if !(exposed.starts_with("postgres://") || exposed.starts_with("postgresql://")) {
            return Err(Error::invalid(
                "ledger URL",
                "a PostgreSQL URL starts with postgres:// or postgresql://",
            ));
        }
        let location = redacted_location(exposed);
        let pool = AnyPoolOptions::new()
            .max_connections(max_connections.max(1))
            .connect(exposed)
            .await
            // The driver's error may quote the URL: keep only its kind.
            .map_err(|e| {
                LedgerError::database(
                    "connecting to the PostgreSQL ledger",
                    format!("{} ({location})", connect_error_kind(&e)),
                )
            })?;
        migrate(&pool, Dialect::Postgres).await?;
        Ok(SqlLedger {
            dialect: Dialect::Postgres,
            writer: pool.clone(),
            reader: pool,
            location,
        })
    }

    /// Where the ledger lives (a file path, or a PostgreSQL host and database, without
    /// credentials).
    pub fn location(&self) -> &str {
        &self.location
    }

    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>> {
        match self.dialect {
            // Take the write lock at once: a deferred transaction that reads first can
            // fail to upgrade when another process wrote in between.
            Dialect::Sqlite => self.writer.begin_with("BEGIN IMMEDIATE").await,
            Dialect::Postgres => self.writer.begin().await,
        }
        .map_err(db("beginning a write"))
    }
}

#[cfg(feature = "postgres")]
fn redacted_location(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(parsed) => format!(
            "postgres://{}{}",
            parsed.host_str().unwrap_or("localhost"),
            parsed.path()
        ),
        Err(_) => "postgres://(unreadable URL)".into(),
    }
}

#[cfg(feature = "postgres")]
fn connect_error_kind(e: &sqlx::Error) -> String {
    match e {
        sqlx::Error::Database(d) => format!("the server said: {}", d.message()),
        sqlx::Error::Io(io) => format!("cannot reach the server: {}", io.kind()),
        sqlx::Error::Tls(_) => "TLS failed".into(),
        sqlx::Error::PoolTimedOut => "timed out".into(),
        _ => "cannot connect".into(),
    }
}

async fn migrate(pool: &AnyPool, dialect: Dialect) -> Result<()> {
    let migrator = sqlx::migrate::Migrator::new(Migrations(dialect))
        .await
        .map_err(|e| LedgerError::database("loading migrations", e))?;
    migrator.run(pool).await.map_err(|e| match e {
        sqlx::migrate::MigrateError::VersionMissing(found) => LedgerError::SchemaTooNew {
            found,
            known: LATEST_VERSION,
        }
        .into(),
        other => Error::from(LedgerError::database("migrating the schema", other)),
    })
}

// Sizes keep their u64 bit pattern in signed columns (see schema.rs).
fn bytes_to_sql(size: ByteSize) -> i64 {
    size.bytes() as i64
}

fn bytes_from_sql(value: i64) -> ByteSize {
    ByteSize::new(value as u64)
}

fn time(row: &AnyRow, column: &str) -> Result<DateTime<Utc>> {
    from_millis(row.try_get(column).map_err(db("reading a time"))?)
}

fn optional_time(row: &AnyRow, column: &str) -> Result<Option<DateTime<Utc>>> {
    let millis: Option<i64> = row.try_get(column).map_err(db("reading a time"))?;
    millis.map(from_millis).transpose()
}

fn text(row: &AnyRow, column: &str) -> Result<String> {
    row.try_get(column).map_err(db("reading a text column"))
}

fn optional_text(row: &AnyRow, column: &str) -> Result<Option<String>> {
    row.try_get(column).map_err(db("reading a text column"))
}

fn username(value: String) -> Result<Username> {
    Username::new(value.clone()).map_err(|_| corrupt("user name", value))
}

fn product_record(row: &AnyRow) -> Result<ProductRecord> {
    Ok(ProductRecord {
        name: text(row, "name")?,
        settings: text(row, "settings")?,
        updated_at: time(row, "updated_ms")?,
    })
}

fn server_id(value: String) -> Result<ServerId> {
    ServerId::new(value.clone()).map_err(|_| corrupt("server id", value))
}

fn stored_state(code: String) -> Result<ThresholdState> {
    ThresholdState::from_code(&code).ok_or_else(|| corrupt("threshold state", code))
}

fn stored_action(code: String) -> Result<ThresholdAction> {
    ThresholdAction::from_code(&code).ok_or_else(|| corrupt("action kind", code))
}

fn service_from_row(row: &AnyRow) -> Result<ServiceRecord> {
    let status = text(row, "status")?;
    let limit_override = optional_text(row, "limit_override")?
        .map(|code| LimitOverride::from_code(&code).ok_or_else(|| corrupt("limit override", code)))
        .transpose()?;
    let applied: Option<i64> = row
        .try_get("applied_limited")
        .map_err(db("reading a service"))?;
    let applied_groups = optional_text(row, "applied_groups")?
        .map(|json| serde_json::from_str(&json).map_err(|_| corrupt("applied groups", json)))
        .transpose()?;
    Ok(ServiceRecord {
        key: ServiceKey::new(server_id(text(row, "server")?)?, text(row, "service_id")?),
        client_id: text(row, "client_id")?,
        username: optional_text(row, "username")?.map(username).transpose()?,
        account_key: optional_text(row, "account_key")?,
        product: text(row, "product")?,
        status: ServiceStatus::from_code(&status)
            .ok_or_else(|| corrupt("service status", status))?,
        limit_override,
        applied_limited: applied.map(|a| a != 0),
        applied_groups,
        last_error: optional_text(row, "last_error")?,
        customer: Customer {
            email: optional_text(row, "email")?,
            language: optional_text(row, "language")?,
            name: optional_text(row, "customer_name")?,
        },
        created_at: time(row, "created_ms")?,
        updated_at: time(row, "updated_ms")?,
    })
}

fn operation_from_row(row: &AnyRow) -> Result<Operation> {
    let kind = text(row, "kind")?;
    let state = text(row, "state")?;
    Ok(Operation {
        key: text(row, "op_key")?,
        service: ServiceKey::new(server_id(text(row, "server")?)?, text(row, "service_id")?),
        kind: OperationKind::from_code(&kind).ok_or_else(|| corrupt("operation kind", kind))?,
        target: optional_text(row, "target")?,
        state: OperationState::from_code(&state)
            .ok_or_else(|| corrupt("operation state", state))?,
        outcome: optional_text(row, "outcome")?,
        started_at: time(row, "started_ms")?,
        finished_at: optional_time(row, "finished_ms")?,
    })
}

fn sample_from_row(row: &AnyRow) -> Result<LedgerSample> {
    Ok(LedgerSample {
        username: username(text(row, "username")?)?,
        at: time(row, "at_ms")?,
        used: bytes_from_sql(row.try_get("used_bytes").map_err(db("reading a sample"))?),
        measured_at: optional_time(row, "measured_ms")?,
        keep_until: time(row, "keep_until_ms")?,
    })
}

fn pending_from_row(row: &AnyRow) -> Result<PendingAction> {
    let values_json = text(row, "values_json")?;
    let values: BTreeMap<String, String> =
        serde_json::from_str(&values_json).map_err(|_| corrupt("action values", values_json))?;
    let attempts: i64 = row.try_get("attempts").map_err(db("reading an action"))?;
    Ok(PendingAction {
        id: ActionId(row.try_get("id").map_err(db("reading an action"))?),
        service: ServiceKey::new(server_id(text(row, "server")?)?, text(row, "service_id")?),
        username: username(text(row, "username")?)?,
        kind: stored_action(text(row, "kind")?)?,
        values,
        created_at: time(row, "created_ms")?,
        attempts: u32::try_from(attempts).unwrap_or(u32::MAX),
    })
}

/// The placeholders of `rows` rows of `columns` values, numbered in order:
/// `($1, $2, $3), ($4, $5, $6)` on PostgreSQL, `(?, ?, ?), (?, ?, ?)` on SQLite, for a
/// statement whose every parameter comes from here. SQLite numbers bare `?` in order of
/// appearance, which is the same numbering; its named ones (`$7`) it finds by scanning
/// all of them, and sqlx asks for every parameter's name when it binds, so a
/// 3,000-parameter insert of samples cost millions of steps (29 % of a sweep's time
/// in a profile of 100,000 accounts).
fn placeholders(dialect: Dialect, rows: usize, columns: usize) -> String {
    let mut sql = String::with_capacity(rows * columns * 5);
    for row in 0..rows {
        if row > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for column in 0..columns {
            if column > 0 {
                sql.push_str(", ");
            }
            match dialect {
                Dialect::Sqlite => sql.push('?'),
                Dialect::Postgres => {
                    sql.push('$');
                    sql.push_str(&(row * columns + column + 1).to_string());
                }
            }
        }
        sql.push(')');
    }
    sql
}

/// An upsert of `rows` services.
fn upsert_services_sql(dialect: Dialect, rows: usize) -> String {
    format!(
        "INSERT INTO services ({SERVICE_COLUMNS}) VALUES {} \
         ON CONFLICT (server, service_id) DO UPDATE SET client_id = excluded.client_id, \
         username = excluded.username, account_key = excluded.account_key, \
         product = excluded.product, status = excluded.status, \
         limit_override = excluded.limit_override, \
         applied_limited = excluded.applied_limited, \
         applied_groups = excluded.applied_groups, last_error = excluded.last_error, \
         updated_ms = excluded.updated_ms, email = excluded.email, \
         language = excluded.language, customer_name = excluded.customer_name",
        placeholders(dialect, rows, 16)
    )
}

/// A statement with a list of ids in `IN (...)`. PostgreSQL plans a kept (prepared)
/// statement generically after a few runs, which for 500 ids scans the whole table
/// (3 s a statement, measured), so there it is planned afresh each time; SQLite keeps
/// it prepared (parsing it again costs more than it saves).
fn id_list_query(sql: &str, dialect: Dialect) -> AnyQuery<'_> {
    sqlx::query(sql).persistent(dialect == Dialect::Sqlite)
}

type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

/// Binds a service's sixteen columns in [`SERVICE_COLUMNS`] order.
fn bind_service<'q>(query: AnyQuery<'q>, service: &'q ServiceRecord) -> AnyQuery<'q> {
    query
        .bind(service.key.server.as_str())
        .bind(service.key.service_id.as_str())
        .bind(service.client_id.as_str())
        .bind(service.username.as_ref().map(|u| u.as_str().to_string()))
        .bind(service.account_key.clone())
        .bind(service.product.as_str())
        .bind(service.status.code())
        .bind(service.limit_override.map(|o| o.code().to_string()))
        .bind(service.applied_limited.map(i64::from))
        .bind(service.applied_groups.as_ref().map(|groups| {
            // A list of checked names always serializes.
            serde_json::to_string(groups).unwrap_or_default()
        }))
        .bind(service.last_error.clone())
        .bind(to_millis(service.created_at))
        .bind(to_millis(service.updated_at))
        .bind(service.customer.email.clone())
        .bind(service.customer.language.clone())
        .bind(service.customer.name.clone())
}

const SERVICE_COLUMNS: &str = "server, service_id, client_id, username, account_key, product, \
     status, limit_override, applied_limited, applied_groups, last_error, created_ms, updated_ms, email, \
     language, customer_name";

const OPERATION_COLUMNS: &str =
    "op_key, server, service_id, kind, target, state, outcome, started_ms, finished_ms";

#[async_trait]
impl Ledger for SqlLedger {
    async fn put_server(&self, server: &ServerRecord) -> Result<()> {
        sqlx::query(
            "INSERT INTO servers (id, backend, config) VALUES ($1, $2, $3) \
             ON CONFLICT (id) DO UPDATE SET backend = excluded.backend, config = excluded.config",
        )
        .bind(server.id.as_str())
        .bind(server.backend.as_str())
        .bind(server.config.as_str())
        .execute(&self.writer)
        .await
        .map_err(db("recording a server"))?;
        Ok(())
    }

    async fn server(&self, id: &ServerId) -> Result<Option<ServerRecord>> {
        let row = sqlx::query("SELECT id, backend, config FROM servers WHERE id = $1")
            .bind(id.as_str())
            .fetch_optional(&self.reader)
            .await
            .map_err(db("reading a server"))?;
        row.map(|row| {
            Ok(ServerRecord::new(
                server_id(text(&row, "id")?)?,
                text(&row, "backend")?,
                text(&row, "config")?,
            ))
        })
        .transpose()
    }

    async fn servers(&self) -> Result<Vec<ServerRecord>> {
        let rows = sqlx::query("SELECT id, backend, config FROM servers ORDER BY id")
            .fetch_all(&self.reader)
            .await
            .map_err(db("reading the servers"))?;
        rows.iter()
            .map(|row| {
                Ok(ServerRecord::new(
                    server_id(text(row, "id")?)?,
                    text(row, "backend")?,
                    text(row, "config")?,
                ))
            })
            .collect()
    }

    async fn put_product(&self, product: &ProductRecord) -> Result<()> {
        sqlx::query(
            "INSERT INTO products (name, settings, updated_ms) VALUES ($1, $2, $3) \
             ON CONFLICT (name) DO UPDATE SET settings = excluded.settings, \
             updated_ms = excluded.updated_ms",
        )
        .bind(product.name.as_str())
        .bind(product.settings.as_str())
        .bind(to_millis(product.updated_at))
        .execute(&self.writer)
        .await
        .map_err(db("recording a product"))?;
        Ok(())
    }

    async fn product(&self, name: &str) -> Result<Option<ProductRecord>> {
        let row = sqlx::query("SELECT name, settings, updated_ms FROM products WHERE name = $1")
            .bind(name)
            .fetch_optional(&self.reader)
            .await
            .map_err(db("reading a product"))?;
        row.as_ref().map(product_record).transpose()
    }

    async fn products(&self) -> Result<Vec<ProductRecord>> {
        let rows = sqlx::query("SELECT name, settings, updated_ms FROM products ORDER BY name")
            .fetch_all(&self.reader)
            .await
            .map_err(db("reading the products"))?;
        rows.iter().map(product_record).collect()
    }

    async fn service(&self, key: &ServiceKey) -> Result<Option<ServiceRecord>> {
        let row = sqlx::query(&format!(
            "SELECT {SERVICE_COLUMNS} FROM services WHERE server = $1 AND service_id = $2"
        ))
        .bind(key.server.as_str())
        .bind(key.service_id.as_str())
        .fetch_optional(&self.reader)
        .await
        .map_err(db("reading a service"))?;
        row.as_ref().map(service_from_row).transpose()
    }

    async fn services(&self, server: &ServerId) -> Result<Vec<ServiceRecord>> {
        let rows = sqlx::query(&format!(
            "SELECT {SERVICE_COLUMNS} FROM services WHERE server = $1 ORDER BY service_id"
        ))
        .bind(server.as_str())
        .fetch_all(&self.reader)
        .await
        .map_err(db("reading the services"))?;
        rows.iter().map(service_from_row).collect()
    }

    async fn save_service(&self, service: &ServiceRecord) -> Result<()> {
        let sql = upsert_services_sql(self.dialect, 1);
        let result = bind_service(sqlx::query(&sql), service)
            .execute(&self.writer)
            .await;
        match result {
            Ok(_) => Ok(()),
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                let (Some(username), Some(account_key)) = (&service.username, &service.account_key)
                else {
                    return Err(LedgerError::database("recording a service", e).into());
                };
                let owner = self
                    .account_owner(&service.key.server, account_key)
                    .await?
                    .map_or_else(|| "another service".to_string(), |o| o.service_id);
                Err(LedgerError::NameTaken {
                    server: service.key.server.clone(),
                    username: username.clone(),
                    owner,
                }
                .into())
            }
            Err(e) => Err(db("recording a service")(e)),
        }
    }

    async fn import_services(&self, services: &[ServiceRecord]) -> Result<()> {
        let mut tx = self.begin_write().await?;
        for chunk in services.chunks(ROWS_PER_INSERT / 4) {
            let sql = upsert_services_sql(self.dialect, chunk.len());
            let query = chunk.iter().fold(sqlx::query(&sql), |query, service| {
                bind_service(query, service)
            });
            query.execute(&mut *tx).await.map_err(db(
                "importing services (a batch holds one name twice, or one a live service holds)",
            ))?;
        }
        tx.commit().await.map_err(db("committing an import"))?;
        Ok(())
    }

    async fn account_owner(
        &self,
        server: &ServerId,
        account_key: &str,
    ) -> Result<Option<ServiceKey>> {
        let row = sqlx::query(
            "SELECT service_id FROM services WHERE server = $1 AND account_key = $2 \
             AND status NOT IN ('terminated', 'failed')",
        )
        .bind(server.as_str())
        .bind(account_key)
        .fetch_optional(&self.writer)
        .await
        .map_err(db("looking up an account's service"))?;
        row.map(|row| Ok(ServiceKey::new(server.clone(), text(&row, "service_id")?)))
            .transpose()
    }

    async fn try_lock(
        &self,
        service: &ServiceKey,
        owner: &str,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<bool> {
        let row = sqlx::query(
            "INSERT INTO service_locks (server, service_id, owner, until_ms) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (server, service_id) DO UPDATE SET owner = excluded.owner, \
             until_ms = excluded.until_ms \
             WHERE service_locks.until_ms <= $5 OR service_locks.owner = excluded.owner \
             RETURNING owner",
        )
        .bind(service.server.as_str())
        .bind(service.service_id.as_str())
        .bind(owner)
        .bind(to_millis(until))
        .bind(to_millis(now))
        .fetch_optional(&self.writer)
        .await
        .map_err(db("locking a service"))?;
        Ok(row.is_some())
    }

    async fn unlock(&self, service: &ServiceKey, owner: &str) -> Result<()> {
        sqlx::query(
            "DELETE FROM service_locks WHERE server = $1 AND service_id = $2 AND owner = $3",
        )
        .bind(service.server.as_str())
        .bind(service.service_id.as_str())
        .bind(owner)
        .execute(&self.writer)
        .await
        .map_err(db("unlocking a service"))?;
        Ok(())
    }

    async fn begin_operation(&self, operation: &Operation) -> Result<Begun> {
        let inserted = sqlx::query(&format!(
            "INSERT INTO operations ({OPERATION_COLUMNS}) VALUES {} ON CONFLICT (op_key) DO NOTHING",
            placeholders(self.dialect, 1, 9)
        ))
        .bind(operation.key.as_str())
        .bind(operation.service.server.as_str())
        .bind(operation.service.service_id.as_str())
        .bind(operation.kind.code())
        .bind(operation.target.clone())
        .bind(OperationState::Started.code())
        .bind(None::<String>)
        .bind(to_millis(operation.started_at))
        .bind(None::<i64>)
        .execute(&self.writer)
        .await
        .map_err(db("journaling an operation"))?;
        if inserted.rows_affected() == 1 {
            return Ok(Begun::New);
        }
        let row = sqlx::query(&format!(
            "SELECT {OPERATION_COLUMNS} FROM operations WHERE op_key = $1"
        ))
        .bind(operation.key.as_str())
        .fetch_one(&self.writer)
        .await
        .map_err(db("reading the journal"))?;
        Ok(Begun::Existing(operation_from_row(&row)?))
    }

    async fn finish_operation(
        &self,
        key: &str,
        state: OperationState,
        outcome: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE operations SET state = $1, outcome = $2, finished_ms = $3 WHERE op_key = $4",
        )
        .bind(state.code())
        .bind(outcome.map(str::to_string))
        .bind(to_millis(now))
        .bind(key)
        .execute(&self.writer)
        .await
        .map_err(db("journaling an operation's end"))?;
        Ok(())
    }

    async fn unfinished_operations(&self) -> Result<Vec<Operation>> {
        let rows = sqlx::query(&format!(
            "SELECT {OPERATION_COLUMNS} FROM operations WHERE state = 'started' ORDER BY started_ms, op_key"
        ))
        .fetch_all(&self.reader)
        .await
        .map_err(db("reading the journal"))?;
        rows.iter().map(operation_from_row).collect()
    }

    async fn operations(&self, service: &ServiceKey) -> Result<Vec<Operation>> {
        let rows = sqlx::query(&format!(
            "SELECT {OPERATION_COLUMNS} FROM operations WHERE server = $1 AND service_id = $2 \
             ORDER BY started_ms, op_key"
        ))
        .bind(service.server.as_str())
        .bind(service.service_id.as_str())
        .fetch_all(&self.reader)
        .await
        .map_err(db("reading the journal"))?;
        rows.iter().map(operation_from_row).collect()
    }

    async fn threshold_states(
        &self,
        server: &ServerId,
    ) -> Result<BTreeMap<Username, ThresholdState>> {
        let rows = sqlx::query("SELECT username, state FROM threshold_states WHERE server = $1")
            .bind(server.as_str())
            .fetch_all(&self.reader)
            .await
            .map_err(db("reading threshold states"))?;
        rows.iter()
            .map(|row| {
                Ok((
                    username(text(row, "username")?)?,
                    stored_state(text(row, "state")?)?,
                ))
            })
            .collect()
    }

    async fn record_sweep(
        &self,
        server: &ServerId,
        sweep: &SweepRecord,
        now: DateTime<Utc>,
    ) -> Result<()> {
        // One sample per account and instant: a later duplicate replaces an earlier one
        // (and PostgreSQL refuses an INSERT that updates one row twice).
        let mut samples: BTreeMap<(&str, i64), &LedgerSample> = BTreeMap::new();
        for sample in &sweep.samples {
            samples.insert((sample.username.as_str(), to_millis(sample.at)), sample);
        }
        let samples: Vec<_> = samples.into_iter().collect();
        let mut states: BTreeMap<&str, ThresholdState> = BTreeMap::new();
        for (user, state) in &sweep.states {
            states.insert(user.as_str(), *state);
        }
        let states: Vec<_> = states.into_iter().collect();

        let mut tx = self.begin_write().await?;
        for chunk in samples.chunks(ROWS_PER_INSERT) {
            let sql = format!(
                "INSERT INTO samples (server, username, at_ms, used_bytes, measured_ms, keep_until_ms) \
                 VALUES {} ON CONFLICT (server, username, at_ms) DO UPDATE SET \
                 used_bytes = excluded.used_bytes, measured_ms = excluded.measured_ms, \
                 keep_until_ms = excluded.keep_until_ms",
                placeholders(self.dialect, chunk.len(), 6)
            );
            let mut query = sqlx::query(&sql);
            for ((user, at_ms), sample) in chunk {
                query = query
                    .bind(server.as_str())
                    .bind(*user)
                    .bind(*at_ms)
                    .bind(bytes_to_sql(sample.used))
                    .bind(sample.measured_at.map(to_millis))
                    .bind(to_millis(sample.keep_until));
            }
            query
                .execute(&mut *tx)
                .await
                .map_err(db("recording samples"))?;
        }
        for chunk in states.chunks(ROWS_PER_INSERT) {
            let sql = format!(
                "INSERT INTO threshold_states (server, username, state) VALUES {} \
                 ON CONFLICT (server, username) DO UPDATE SET state = excluded.state",
                placeholders(self.dialect, chunk.len(), 3)
            );
            let mut query = sqlx::query(&sql);
            for (user, state) in chunk {
                query = query.bind(server.as_str()).bind(*user).bind(state.code());
            }
            query
                .execute(&mut *tx)
                .await
                .map_err(db("recording threshold states"))?;
        }
        for chunk in sweep.actions.chunks(ROWS_PER_INSERT) {
            let sql = format!(
                "INSERT INTO actions (server, service_id, username, kind, values_json, created_ms) \
                 VALUES {}",
                placeholders(self.dialect, chunk.len(), 6)
            );
            let mut query = sqlx::query(&sql);
            for action in chunk {
                let values = serde_json::to_string(&action.values)
                    .map_err(|e| LedgerError::database("encoding action values", e))?;
                query = query
                    .bind(server.as_str())
                    .bind(action.service_id.as_str())
                    .bind(action.username.as_str())
                    .bind(action.kind.code())
                    .bind(values)
                    .bind(to_millis(now));
            }
            query
                .execute(&mut *tx)
                .await
                .map_err(db("recording actions"))?;
        }
        sqlx::query("DELETE FROM samples WHERE keep_until_ms < $1")
            .bind(to_millis(now))
            .execute(&mut *tx)
            .await
            .map_err(db("pruning samples"))?;
        let confirmed_cutoff = to_millis(now) - CONFIRMED_ACTIONS_KEPT_DAYS * 86_400_000;
        sqlx::query("DELETE FROM actions WHERE confirmed_ms IS NOT NULL AND confirmed_ms < $1")
            .bind(confirmed_cutoff)
            .execute(&mut *tx)
            .await
            .map_err(db("pruning confirmed actions"))?;
        tx.commit().await.map_err(db("committing a sweep"))?;
        Ok(())
    }

    async fn pending_actions(
        &self,
        consumer: &str,
        limit: u32,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> Result<Vec<PendingAction>> {
        // The outer condition repeats the inner one: PostgreSQL re-checks it on a row
        // another worker leased meanwhile, so no action is handed out twice.
        let skip_locked = match self.dialect {
            Dialect::Sqlite => "",
            Dialect::Postgres => "FOR UPDATE SKIP LOCKED",
        };
        let sql = format!(
            "UPDATE actions SET lease_owner = $1, lease_until_ms = $2, attempts = attempts + 1 \
             WHERE id IN (SELECT id FROM actions WHERE confirmed_ms IS NULL \
                 AND (lease_until_ms IS NULL OR lease_until_ms <= $3) ORDER BY id LIMIT $4 {skip_locked}) \
             AND confirmed_ms IS NULL AND (lease_until_ms IS NULL OR lease_until_ms <= $3) \
             RETURNING id, server, service_id, username, kind, values_json, created_ms, attempts"
        );
        let rows = sqlx::query(&sql)
            .bind(consumer)
            .bind(to_millis(lease_until))
            .bind(to_millis(now))
            .bind(i64::from(limit))
            .fetch_all(&self.writer)
            .await
            .map_err(db("leasing actions"))?;
        let mut actions = rows
            .iter()
            .map(pending_from_row)
            .collect::<Result<Vec<_>>>()?;
        actions.sort_by_key(|a| a.id);
        Ok(actions)
    }

    async fn confirm(&self, id: ActionId, now: DateTime<Utc>) -> Result<bool> {
        let result = sqlx::query(
            "UPDATE actions SET confirmed_ms = COALESCE(confirmed_ms, $1) WHERE id = $2",
        )
        .bind(to_millis(now))
        .bind(id.0)
        .execute(&self.writer)
        .await
        .map_err(db("confirming an action"))?;
        Ok(result.rows_affected() > 0)
    }

    async fn confirm_many(&self, ids: &[ActionId], now: DateTime<Utc>) -> Result<u64> {
        let mut tx = self.begin_write().await?;
        let mut found = 0;
        for chunk in ids.chunks(ROWS_PER_INSERT) {
            let list: Vec<String> = (0..chunk.len()).map(|i| format!("${}", i + 2)).collect();
            let sql = format!(
                "UPDATE actions SET confirmed_ms = COALESCE(confirmed_ms, $1) WHERE id IN ({})",
                list.join(", ")
            );
            let query = id_list_query(&sql, self.dialect).bind(to_millis(now));
            found += chunk
                .iter()
                .fold(query, |query, id| query.bind(id.0))
                .execute(&mut *tx)
                .await
                .map_err(db("confirming actions"))?
                .rows_affected();
        }
        tx.commit().await.map_err(db("committing confirmations"))?;
        Ok(found)
    }

    async fn release_actions(&self, consumer: &str, ids: &[ActionId]) -> Result<()> {
        let mut tx = self.begin_write().await?;
        for chunk in ids.chunks(ROWS_PER_INSERT) {
            let list: Vec<String> = (0..chunk.len()).map(|i| format!("${}", i + 2)).collect();
            let sql = format!(
                "UPDATE actions SET lease_owner = NULL, lease_until_ms = NULL \
                 WHERE lease_owner = $1 AND confirmed_ms IS NULL AND id IN ({})",
                list.join(", ")
            );
            let query = id_list_query(&sql, self.dialect).bind(consumer);
            chunk
                .iter()
                .fold(query, |query, id| query.bind(id.0))
                .execute(&mut *tx)
                .await
                .map_err(db("releasing actions"))?;
        }
        tx.commit().await.map_err(db("releasing actions"))?;
        Ok(())
    }

    async fn forget_account(&self, account: &AccountKey) -> Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM threshold_states WHERE server = $1 AND username = $2")
            .bind(account.server.as_str())
            .bind(account.username.as_str())
            .execute(&mut *tx)
            .await
            .map_err(db("forgetting a threshold state"))?;
        sqlx::query(
            "DELETE FROM actions WHERE server = $1 AND username = $2 AND confirmed_ms IS NULL",
        )
        .bind(account.server.as_str())
        .bind(account.username.as_str())
        .execute(&mut *tx)
        .await
        .map_err(db("forgetting pending actions"))?;
        tx.commit().await.map_err(db("committing a forget"))?;
        Ok(())
    }

    async fn set_applied_limited(
        &self,
        server: &ServerId,
        applied: &[(String, bool)],
    ) -> Result<()> {
        if applied.is_empty() {
            return Ok(());
        }
        let mut tx = self.begin_write().await?;
        // One statement per value and chunk of ids, not one per service.
        for value in [false, true] {
            let ids: Vec<&str> = applied
                .iter()
                .filter(|(_, limited)| *limited == value)
                .map(|(id, _)| id.as_str())
                .collect();
            for chunk in ids.chunks(ROWS_PER_INSERT) {
                let list: Vec<String> = (0..chunk.len()).map(|i| format!("${}", i + 3)).collect();
                let sql = format!(
                    "UPDATE services SET applied_limited = $1 WHERE server = $2 AND service_id IN ({})",
                    list.join(", ")
                );
                let query = id_list_query(&sql, self.dialect)
                    .bind(i64::from(value))
                    .bind(server.as_str());
                chunk
                    .iter()
                    .fold(query, |query, id| query.bind(*id))
                    .execute(&mut *tx)
                    .await
                    .map_err(db("recording the applied limits"))?;
            }
        }
        tx.commit()
            .await
            .map_err(db("committing the applied limits"))?;
        Ok(())
    }

    async fn samples(
        &self,
        account: &AccountKey,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<LedgerSample>> {
        let rows = sqlx::query(
            "SELECT username, at_ms, used_bytes, measured_ms, keep_until_ms FROM samples \
             WHERE server = $1 AND username = $2 AND at_ms >= $3 AND at_ms <= $4 ORDER BY at_ms",
        )
        .bind(account.server.as_str())
        .bind(account.username.as_str())
        .bind(to_millis(from))
        .bind(to_millis(to))
        .fetch_all(&self.reader)
        .await
        .map_err(db("reading samples"))?;
        rows.iter().map(sample_from_row).collect()
    }

    async fn daily(
        &self,
        account: &AccountKey,
        days: u32,
        now: DateTime<Utc>,
        zone: chrono_tz::Tz,
    ) -> Result<Vec<DailyPoint>> {
        let window = DayWindow::new(days, now, zone)?;
        let pairs = self
            .window_samples(account, window.start_ms, window.end_ms)
            .await?;
        Ok(window.series(pairs))
    }

    async fn monthly(
        &self,
        account: &AccountKey,
        months: u32,
        now: DateTime<Utc>,
        zone: chrono_tz::Tz,
    ) -> Result<Vec<MonthlyPoint>> {
        let window = MonthWindow::new(months, now, zone)?;
        let pairs = self
            .window_samples(account, window.start_ms, window.end_ms)
            .await?;
        window.series(pairs)
    }
}

impl SqlLedger {
    /// `(time ms, usage)` of the account's samples in `[start_ms, end_ms)`.
    async fn window_samples(
        &self,
        account: &AccountKey,
        start_ms: i64,
        end_ms: i64,
    ) -> Result<Vec<(i64, ByteSize)>> {
        let rows = sqlx::query(
            "SELECT at_ms, used_bytes FROM samples \
             WHERE server = $1 AND username = $2 AND at_ms >= $3 AND at_ms < $4",
        )
        .bind(account.server.as_str())
        .bind(account.username.as_str())
        .bind(start_ms)
        .bind(end_ms)
        .fetch_all(&self.reader)
        .await
        .map_err(db("reading samples"))?;
        rows.iter()
            .map(|row| {
                let at: i64 = row.try_get("at_ms").map_err(db("reading a sample"))?;
                let used: i64 = row.try_get("used_bytes").map_err(db("reading a sample"))?;
                Ok((at, bytes_from_sql(used)))
            })
            .collect()
    }
}

#[cfg(all(test, feature = "sqlite"))]
mod tests {
    use std::time::Duration;

    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn readers_do_not_wait_for_an_open_write() {
        let dir = std::env::temp_dir().join(format!("provision-readers-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let ledger = SqlLedger::sqlite(dir.join("ledger.sqlite")).await.unwrap();
        let id = ServerId::new("readers").unwrap();
        ledger
            .put_server(&ServerRecord::new(id.clone(), "nextcloud", ""))
            .await
            .unwrap();
        // A sweep's transaction holds the write lock...
        let mut writing = ledger.begin_write().await.unwrap();
        sqlx::query("DELETE FROM samples WHERE keep_until_ms < 0")
            .execute(&mut *writing)
            .await
            .unwrap();
        // ...and a page's read goes through at once, on its own connection.
        let read = tokio::time::timeout(Duration::from_secs(2), ledger.server(&id)).await;
        assert!(
            matches!(read, Ok(Ok(Some(_)))),
            "the read waited for the write: {read:?}"
        );
        writing.rollback().await.unwrap();
        let _ = std::fs::remove_dir_all(&dir);
    }
}
