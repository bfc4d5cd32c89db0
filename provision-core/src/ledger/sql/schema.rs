//! The ledger's versioned schema, one migration list per database.
//!
//! Both lists create the same tables; they differ only where the two SQL dialects do
//! (how an action's id is generated). Times are Unix milliseconds, byte counts keep the
//! u64's bit pattern in a signed 64-bit integer (series are computed in Rust, never by
//! SQL arithmetic on sizes).

use std::borrow::Cow;

use futures::future::BoxFuture;
use sqlx::error::BoxDynError;
use sqlx::migrate::{Migration, MigrationSource, MigrationType};

/// Which SQL the ledger speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dialect {
    Sqlite,
    // Only constructed by the PostgreSQL constructor (feature `postgres`).
    #[cfg_attr(not(feature = "postgres"), allow(dead_code))]
    Postgres,
}

const TABLES: &str = "
CREATE TABLE servers (
    id      TEXT NOT NULL PRIMARY KEY,
    backend TEXT NOT NULL,
    config  TEXT NOT NULL
);
CREATE TABLE services (
    server          TEXT   NOT NULL,
    service_id      TEXT   NOT NULL,
    client_id       TEXT   NOT NULL,
    username        TEXT,
    account_key     TEXT,
    product         TEXT   NOT NULL,
    status          TEXT   NOT NULL,
    limit_override  TEXT,
    applied_limited BIGINT,
    last_error      TEXT,
    created_ms      BIGINT NOT NULL,
    updated_ms      BIGINT NOT NULL,
    PRIMARY KEY (server, service_id)
);
CREATE UNIQUE INDEX services_account ON services (server, account_key)
    WHERE account_key IS NOT NULL AND status NOT IN ('terminated', 'failed');
CREATE TABLE service_locks (
    server     TEXT   NOT NULL,
    service_id TEXT   NOT NULL,
    owner      TEXT   NOT NULL,
    until_ms   BIGINT NOT NULL,
    PRIMARY KEY (server, service_id)
);
CREATE TABLE operations (
    op_key      TEXT   NOT NULL PRIMARY KEY,
    server      TEXT   NOT NULL,
    service_id  TEXT   NOT NULL,
    kind        TEXT   NOT NULL,
    target      TEXT,
    state       TEXT   NOT NULL,
    outcome     TEXT,
    started_ms  BIGINT NOT NULL,
    finished_ms BIGINT
);
CREATE INDEX operations_service ON operations (server, service_id, started_ms);
CREATE INDEX operations_unfinished ON operations (started_ms) WHERE state = 'started';
CREATE TABLE threshold_states (
    server   TEXT NOT NULL,
    username TEXT NOT NULL,
    state    TEXT NOT NULL,
    PRIMARY KEY (server, username)
);
CREATE TABLE samples (
    server        TEXT   NOT NULL,
    username      TEXT   NOT NULL,
    at_ms         BIGINT NOT NULL,
    used_bytes    BIGINT NOT NULL,
    measured_ms   BIGINT,
    keep_until_ms BIGINT NOT NULL,
    PRIMARY KEY (server, username, at_ms)
);
CREATE INDEX samples_keep_until ON samples (keep_until_ms);
";

/// The outbox; `{id}` is the dialect's generated key column.
const ACTIONS: &str = "
CREATE TABLE actions (
    id             {id},
    server         TEXT    NOT NULL,
    service_id     TEXT    NOT NULL,
    username       TEXT    NOT NULL,
    kind           TEXT    NOT NULL,
    values_json    TEXT    NOT NULL,
    created_ms     BIGINT  NOT NULL,
    lease_owner    TEXT,
    lease_until_ms BIGINT,
    attempts       BIGINT  NOT NULL DEFAULT 0,
    confirmed_ms   BIGINT
);
CREATE INDEX actions_pending ON actions (id) WHERE confirmed_ms IS NULL;
CREATE INDEX actions_account ON actions (server, username);
";

/// Version 2: the idempotency keys of the HTTP service (`ledger::idempotency`); the
/// same SQL on both databases. `until_ms` is a claim's lease while `state` is
/// `in_flight`, and the answer's replay window once it is `done`.
const IDEMPOTENCY_KEYS: &str = "
CREATE TABLE idempotency_keys (
    scope       TEXT   NOT NULL,
    idem_key    TEXT   NOT NULL,
    fingerprint TEXT   NOT NULL,
    state       TEXT   NOT NULL,
    status      BIGINT,
    body        TEXT,
    until_ms    BIGINT NOT NULL,
    PRIMARY KEY (scope, idem_key)
);
CREATE INDEX idempotency_keys_until ON idempotency_keys (until_ms);
";

/// Version 3: who a service's notifications go to, as the order gave it (the
/// delivery of pending actions reads it); the same SQL on both databases.
const SERVICE_CUSTOMERS: &str = "
ALTER TABLE services ADD COLUMN email TEXT;
ALTER TABLE services ADD COLUMN language TEXT;
ALTER TABLE services ADD COLUMN customer_name TEXT;
";

/// Version 4: products the billing system defines over the service (a WHMCS
/// product's module settings), kept as their `[products.NAME]` settings in JSON.
const PRODUCTS: &str = "
CREATE TABLE products (
    name TEXT PRIMARY KEY,
    settings TEXT NOT NULL,
    updated_ms BIGINT NOT NULL
);
";

// A JSON array of group names; NULL for services recorded before it.
const SERVICE_APPLIED_GROUPS: &str = "
ALTER TABLE services ADD COLUMN applied_groups TEXT;
";

/// The newest schema version this code knows.
pub(crate) const LATEST_VERSION: i64 = 5;

/// The migrations of `dialect`, compiled into the binary.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Migrations(pub(crate) Dialect);

impl Migrations {
    fn list(self) -> Vec<Migration> {
        let id = match self.0 {
            Dialect::Sqlite => "INTEGER PRIMARY KEY AUTOINCREMENT",
            Dialect::Postgres => "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
        };
        let actions = ACTIONS.replace("{id}", id);
        vec![
            Migration::new(
                1,
                Cow::Borrowed("ledger"),
                MigrationType::Simple,
                Cow::Owned(format!("{TABLES}{actions}")),
                false,
            ),
            Migration::new(
                2,
                Cow::Borrowed("idempotency keys"),
                MigrationType::Simple,
                Cow::Borrowed(IDEMPOTENCY_KEYS),
                false,
            ),
            Migration::new(
                3,
                Cow::Borrowed("service customers"),
                MigrationType::Simple,
                Cow::Borrowed(SERVICE_CUSTOMERS),
                false,
            ),
            Migration::new(
                4,
                Cow::Borrowed("products"),
                MigrationType::Simple,
                Cow::Borrowed(PRODUCTS),
                false,
            ),
            Migration::new(
                5,
                Cow::Borrowed("applied groups"),
                MigrationType::Simple,
                Cow::Borrowed(SERVICE_APPLIED_GROUPS),
                false,
            ),
        ]
    }
}

impl MigrationSource<'static> for Migrations {
    fn resolve(self) -> BoxFuture<'static, Result<Vec<Migration>, BoxDynError>> {
        Box::pin(async move { Ok(self.list()) })
    }
}
