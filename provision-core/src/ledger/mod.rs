//! The ledger: the system of record of the billing cycle.
//!
//! It records which servers exist and how to build their providers, which service owns
//! which account on which server and in which state it is, a journal of the operations
//! run on services, each account's threshold state and usage history, keyed by
//! (server, account), and an outbox of the actions a sweep owes customers.
//!
//! The [`Ledger`] trait is storage only; the rules of the cycle (idempotent orders,
//! at-least-once actions, desired limit state) live in [`crate::cycle::BillingCycle`],
//! which every ledger shares. Two implementations pass one conformance suite:
//! [`SqlLedger`] on an embedded SQLite file (feature `sqlite`) or on PostgreSQL for
//! several workers (feature `postgres`).
//!
//! ```
//! # #[cfg(feature = "sqlite")]
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! use provision_core::ledger::{Ledger, ServerId, ServerRecord, SqlLedger};
//!
//! let ledger = SqlLedger::sqlite_in_memory().await?;
//! let server = ServerId::new("nc1")?;
//! ledger
//!     .put_server(&ServerRecord::new(server.clone(), "nextcloud", "url = \"https://cloud.example\""))
//!     .await?;
//! assert_eq!(ledger.server(&server).await?.unwrap().backend, "nextcloud");
//! # Ok::<_, provision_core::Error>(())
//! # }).unwrap();
//! ```

#[cfg(any(test, feature = "testkit"))]
pub mod conformance;
pub mod idempotency;
#[cfg(any(feature = "sqlite", feature = "postgres"))]
mod sql;
#[cfg(all(feature = "postgres", any(test, feature = "testkit")))]
pub mod testing;
#[cfg(all(test, any(feature = "sqlite", feature = "postgres")))]
mod tests;

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::error::{BoxError, ErrorKind, Result};
use crate::history::{DailyPoint, MonthlyPoint};
use crate::quota::ByteSize;
use crate::threshold::{ThresholdAction, ThresholdState};
use crate::username::{GroupName, Username};

/// IANA time zones for the daily and monthly series (`Tz::UTC`, `Tz::Europe__Berlin`,
/// or parsed: `"Europe/Berlin".parse::<Tz>()`).
pub use chrono_tz::Tz;
#[cfg(any(feature = "sqlite", feature = "postgres"))]
pub use sql::SqlLedger;

/// What went wrong in the ledger.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LedgerError {
    /// The database refused or failed a statement.
    #[error("ledger: {context}: {source}")]
    Database {
        /// What the ledger was doing.
        context: String,
        /// The database's error, with its code.
        #[source]
        source: BoxError,
    },
    /// The database holds something this code cannot read.
    #[error("ledger: stored {what} is not valid: {value:?}")]
    Corrupt {
        /// Which field.
        what: &'static str,
        /// What was stored.
        value: String,
    },
    /// The database was written by a newer version of this code.
    #[error("ledger: schema version {found} is newer than this code's {known}")]
    SchemaTooNew {
        /// The version found.
        found: i64,
        /// The newest version this code knows.
        known: i64,
    },
    /// Another call holds the service and did not let go in time.
    #[error("service {service} is busy with another operation (waited {waited:?})")]
    Busy {
        /// The service.
        service: ServiceKey,
        /// How long this call waited.
        waited: Duration,
    },
    /// The operation does not apply to the service in its state.
    #[error("cannot {operation} service {service}: it is {status}")]
    WrongState {
        /// The service.
        service: ServiceKey,
        /// Its status.
        status: ServiceStatus,
        /// What was asked.
        operation: OperationKind,
    },
    /// The ledger has no such service.
    #[error("service {0} is not in the ledger")]
    UnknownService(ServiceKey),
    /// The ledger or the cycle has no such server.
    #[error("server {0} is not known")]
    UnknownServer(ServerId),
    /// The cycle has no such product.
    #[error("product {0:?} is not known")]
    UnknownProduct(String),
    /// The product is defined in the configuration file; it is changed there.
    #[error("product {0:?} is defined in the configuration file; change it there")]
    ProductInConfiguration(String),
    /// Another service of the server owns this account name.
    #[error("account {username} on {server} belongs to service {owner}")]
    NameTaken {
        /// The server.
        server: ServerId,
        /// The name.
        username: Username,
        /// The service owning it.
        owner: String,
    },
}

impl LedgerError {
    /// The normalised kind of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            LedgerError::Database { .. } => ErrorKind::Transient,
            LedgerError::Corrupt { .. } | LedgerError::SchemaTooNew { .. } => ErrorKind::Unexpected,
            LedgerError::Busy { .. } => ErrorKind::RateLimited,
            LedgerError::WrongState { .. } => ErrorKind::InvalidInput,
            LedgerError::UnknownService(_)
            | LedgerError::UnknownServer(_)
            | LedgerError::UnknownProduct(_) => ErrorKind::NotFound,
            LedgerError::NameTaken { .. } | LedgerError::ProductInConfiguration(_) => {
                ErrorKind::AlreadyExists
            }
        }
    }

    /// A database error with what the ledger was doing.
    pub fn database(context: impl Into<String>, source: impl Into<BoxError>) -> Self {
        LedgerError::Database {
            context: context.into(),
            source: source.into(),
        }
    }
}

/// The operator's name of a server (`[servers.NAME]` in the configuration): 1 to 64 of
/// `a-z`, `0-9`, `-`, `_` and `.`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub struct ServerId(String);

impl ServerId {
    /// Checks and wraps a server name.
    pub fn new(id: impl Into<String>) -> Result<Self> {
        let id = id.into();
        let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || "-_.".contains(c);
        if id.is_empty() || id.len() > 64 || !id.chars().all(allowed) {
            return Err(crate::Error::invalid(
                "server id",
                format!("{id:?} is not 1 to 64 of a-z, 0-9, -, _ and ."),
            ));
        }
        Ok(ServerId(id))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ServerId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A server and how to build its provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerRecord {
    /// Its name.
    pub id: ServerId,
    /// Its backend (`nextcloud`, `synology`, `minio`, `in-memory`).
    pub backend: String,
    /// Its `[servers.NAME]` table as TOML ([`crate::config::ProviderConfig`]). Secrets
    /// in it are references (`env`, `file`), never values.
    pub config: String,
}

impl ServerRecord {
    /// A server of `backend` built from the TOML table `config`.
    pub fn new(id: ServerId, backend: impl Into<String>, config: impl Into<String>) -> Self {
        ServerRecord {
            id,
            backend: backend.into(),
            config: config.into(),
        }
    }
}

/// A product the billing system defined over the service (`PUT /v1/products/{name}`),
/// as the ledger keeps it: its settings as JSON, in the form of a `[products.NAME]`
/// table ([`crate::config::ProductSettings`]), so every process that reads the ledger
/// (the service, `provision sweep`) builds the same product from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductRecord {
    /// Its name.
    pub name: String,
    /// Its settings as a JSON object.
    pub settings: String,
    /// When it was last written.
    pub updated_at: DateTime<Utc>,
}

/// A service of the billing system on one server.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ServiceKey {
    /// The server its account is on.
    pub server: ServerId,
    /// The billing system's service id.
    pub service_id: String,
}

impl ServiceKey {
    /// The service `service_id` on `server`.
    pub fn new(server: ServerId, service_id: impl Into<String>) -> Self {
        ServiceKey {
            server,
            service_id: service_id.into(),
        }
    }
}

impl fmt::Display for ServiceKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.server, self.service_id)
    }
}

/// An account on one server.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AccountKey {
    /// The server.
    pub server: ServerId,
    /// The account's name as the ledger recorded it.
    pub username: Username,
}

/// Where a service stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ServiceStatus {
    /// Its account is being made; the name is reserved and may exist on the server.
    Creating,
    /// The account works.
    Active,
    /// The account is disabled.
    Suspended,
    /// The account is being deleted.
    Terminating,
    /// The account was deleted.
    Terminated,
    /// Creating it failed and nothing was left on the server.
    Failed,
}

impl ServiceStatus {
    /// Every status, for parsers and listings.
    pub const ALL: [ServiceStatus; 6] = [
        ServiceStatus::Creating,
        ServiceStatus::Active,
        ServiceStatus::Suspended,
        ServiceStatus::Terminating,
        ServiceStatus::Terminated,
        ServiceStatus::Failed,
    ];

    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            ServiceStatus::Creating => "creating",
            ServiceStatus::Active => "active",
            ServiceStatus::Suspended => "suspended",
            ServiceStatus::Terminating => "terminating",
            ServiceStatus::Terminated => "terminated",
            ServiceStatus::Failed => "failed",
        }
    }

    /// The status of a stored code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Whether the service holds an account name (others may reuse it otherwise).
    pub fn holds_account(self) -> bool {
        !matches!(self, ServiceStatus::Terminated | ServiceStatus::Failed)
    }
}

impl fmt::Display for ServiceStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// An administrator's decision on MinIO's limit policy that holds until handed back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LimitOverride {
    /// "Set standard policy": never limited, whatever the usage.
    Standard,
    /// "Set limited policy": limited, whatever the usage.
    Limited,
}

impl LimitOverride {
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            LimitOverride::Standard => "standard",
            LimitOverride::Limited => "limited",
        }
    }

    /// The decision of a stored code.
    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "standard" => Some(LimitOverride::Standard),
            "limited" => Some(LimitOverride::Limited),
            _ => None,
        }
    }
}

/// Who a service's notifications go to, as the order gave it (recorded with the
/// service since schema version 3; empty for services ordered before).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Customer {
    /// The e-mail address notifications are sent to.
    pub email: Option<String>,
    /// The customer's language as a language tag (`de`, `pt-BR`, `ar`): the
    /// notifications' language, English when absent or unknown.
    pub language: Option<String>,
    /// The customer's name (`{$client_name}` in templates).
    pub name: Option<String>,
}

/// A service as the ledger records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceRecord {
    /// Which service.
    pub key: ServiceKey,
    /// The billing system's client id.
    pub client_id: String,
    /// Its account's name: chosen (and reserved) before the account is made.
    pub username: Option<Username>,
    /// The account name as the server files it (lower case where names are not
    /// case-sensitive): what makes two services' names the same account.
    pub account_key: Option<String>,
    /// The product's name.
    pub product: String,
    /// Where it stands.
    pub status: ServiceStatus,
    /// An administrator's limit decision (MinIO), until handed back.
    pub limit_override: Option<LimitOverride>,
    /// Whether the limit policy was last applied on (`Some(true)`), off, or never.
    pub applied_limited: Option<bool>,
    /// The groups its account was last put in (its plan's when made or moved): what a
    /// plan change leaves, even after the product's groups were edited. None when not
    /// recorded (services recorded before schema 5, or adopted): the product's groups
    /// stand in.
    pub applied_groups: Option<Vec<GroupName>>,
    /// Why the last operation failed, when it did.
    pub last_error: Option<String>,
    /// Who its notifications go to.
    pub customer: Customer,
    /// When the service was first recorded.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

impl ServiceRecord {
    /// A new service in `status` with no account name yet.
    pub fn new(
        key: ServiceKey,
        client_id: impl Into<String>,
        product: impl Into<String>,
        status: ServiceStatus,
        now: DateTime<Utc>,
    ) -> Self {
        ServiceRecord {
            key,
            client_id: client_id.into(),
            username: None,
            account_key: None,
            product: product.into(),
            status,
            limit_override: None,
            applied_limited: None,
            applied_groups: None,
            last_error: None,
            customer: Customer::default(),
            created_at: now,
            updated_at: now,
        }
    }

    /// The account, when the service has a name.
    pub fn account(&self) -> Option<AccountKey> {
        self.username.clone().map(|username| AccountKey {
            server: self.key.server.clone(),
            username,
        })
    }
}

/// What an operation does to a service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OperationKind {
    /// Make its account.
    Create,
    /// Disable its account.
    Suspend,
    /// Enable its account.
    Unsuspend,
    /// Delete its account.
    Terminate,
    /// Set a new password.
    ChangePassword,
    /// Move it to another product.
    ChangePlan,
    /// Record an account made elsewhere as its account.
    Adopt,
}

impl OperationKind {
    const ALL: [OperationKind; 7] = [
        OperationKind::Create,
        OperationKind::Suspend,
        OperationKind::Unsuspend,
        OperationKind::Terminate,
        OperationKind::ChangePassword,
        OperationKind::ChangePlan,
        OperationKind::Adopt,
    ];

    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            OperationKind::Create => "create",
            OperationKind::Suspend => "suspend",
            OperationKind::Unsuspend => "unsuspend",
            OperationKind::Terminate => "terminate",
            OperationKind::ChangePassword => "change_password",
            OperationKind::ChangePlan => "change_plan",
            OperationKind::Adopt => "adopt",
        }
    }

    /// The kind of a stored code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
}

impl fmt::Display for OperationKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            OperationKind::ChangePassword => "change the password of",
            OperationKind::ChangePlan => "change the plan of",
            other => other.code(),
        })
    }
}

/// Where an operation stands in the journal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OperationState {
    /// Begun and not finished: running, or its process died.
    Started,
    /// Carried out.
    Done,
    /// Refused or undone; its outcome says why.
    Failed,
}

impl OperationState {
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            OperationState::Started => "started",
            OperationState::Done => "done",
            OperationState::Failed => "failed",
        }
    }

    /// The state of a stored code.
    pub fn from_code(code: &str) -> Option<Self> {
        [
            OperationState::Started,
            OperationState::Done,
            OperationState::Failed,
        ]
        .into_iter()
        .find(|s| s.code() == code)
    }
}

/// One entry of the operation journal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operation {
    /// The idempotency key: the same key is the same operation.
    pub key: String,
    /// The service.
    pub service: ServiceKey,
    /// What it does.
    pub kind: OperationKind,
    /// What it was asked to do beyond its kind (the target product of a plan change).
    pub target: Option<String>,
    /// Where it stands.
    pub state: OperationState,
    /// What came of it (the error's text when it failed).
    pub outcome: Option<String>,
    /// When it began.
    pub started_at: DateTime<Utc>,
    /// When it ended.
    pub finished_at: Option<DateTime<Utc>>,
}

/// What [`Ledger::begin_operation`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Begun {
    /// The key was new: the operation is recorded as started.
    New,
    /// The key was recorded before: this is the same operation again.
    Existing(Operation),
}

/// One usage measurement of one account on one server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerSample {
    /// The account's name.
    pub username: Username,
    /// When it was recorded.
    pub at: DateTime<Utc>,
    /// The usage.
    pub used: ByteSize,
    /// When the server measured it, when it says.
    pub measured_at: Option<DateTime<Utc>>,
    /// Kept until this time, then pruned (its product's retention).
    pub keep_until: DateTime<Utc>,
}

/// An action a sweep owes a customer, before it is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAction {
    /// The service it is for.
    pub service_id: String,
    /// The account.
    pub username: Username,
    /// What to do.
    pub kind: ThresholdAction,
    /// The values a notification needs (the standard merge fields and the caller's).
    pub values: BTreeMap<String, String>,
}

/// The identity of a stored action: stable across leases.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub struct ActionId(pub i64);

impl fmt::Display for ActionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// An action handed out to a consumer, leased until it confirms or the lease ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingAction {
    /// Its stable id, for [`Ledger::confirm`].
    pub id: ActionId,
    /// The service it is for.
    pub service: ServiceKey,
    /// The account.
    pub username: Username,
    /// What to do.
    pub kind: ThresholdAction,
    /// The values a notification needs.
    pub values: BTreeMap<String, String>,
    /// When the sweep that owes it ran.
    pub created_at: DateTime<Utc>,
    /// How many times it was handed out, this one included.
    pub attempts: u32,
}

/// Everything one sweep of one server writes, in one transaction.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SweepRecord {
    /// The samples read.
    pub samples: Vec<LedgerSample>,
    /// The accounts whose threshold state changed, with the new state.
    pub states: Vec<(Username, ThresholdState)>,
    /// The actions the changes imply.
    pub actions: Vec<NewAction>,
}

/// The system of record of the billing cycle. Every write is durable when the call
/// returns (see each implementation for what that means exactly).
///
/// Object-safe: shared as `Arc<dyn Ledger>`.
#[async_trait]
pub trait Ledger: Send + Sync {
    /// Records a server or replaces its record.
    async fn put_server(&self, server: &ServerRecord) -> Result<()>;

    /// The server, or None.
    async fn server(&self, id: &ServerId) -> Result<Option<ServerRecord>>;

    /// Every server, by name.
    async fn servers(&self) -> Result<Vec<ServerRecord>>;

    /// Records a product defined over the service, or replaces its settings.
    async fn put_product(&self, product: &ProductRecord) -> Result<()>;

    /// A product defined over the service, by name.
    async fn product(&self, name: &str) -> Result<Option<ProductRecord>>;

    /// Every product defined over the service, by name.
    async fn products(&self) -> Result<Vec<ProductRecord>>;

    /// The service, or None.
    async fn service(&self, key: &ServiceKey) -> Result<Option<ServiceRecord>>;

    /// The services of a server, by service id.
    async fn services(&self, server: &ServerId) -> Result<Vec<ServiceRecord>>;

    /// Records a service or replaces its record. Fails with [`LedgerError::NameTaken`]
    /// when another service of the server holds the same account key.
    async fn save_service(&self, service: &ServiceRecord) -> Result<()>;

    /// Records many services in one transaction (an import from a billing system, all
    /// or nothing). Fails when two live services would hold one account key.
    async fn import_services(&self, services: &[ServiceRecord]) -> Result<()>;

    /// The service of `server` holding the account key, if one holds it.
    async fn account_owner(
        &self,
        server: &ServerId,
        account_key: &str,
    ) -> Result<Option<ServiceKey>>;

    /// Takes the service for `owner` until `until` unless someone else holds it and
    /// their hold has not ended at `now`. Whether it was taken.
    async fn try_lock(
        &self,
        service: &ServiceKey,
        owner: &str,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<bool>;

    /// Lets go of the service if `owner` holds it.
    async fn unlock(&self, service: &ServiceKey, owner: &str) -> Result<()>;

    /// Records an operation as started under its key, or returns the operation recorded
    /// under that key before (the same operation asked again).
    async fn begin_operation(&self, operation: &Operation) -> Result<Begun>;

    /// Records how an operation ended.
    async fn finish_operation(
        &self,
        key: &str,
        state: OperationState,
        outcome: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<()>;

    /// The operations still marked started, oldest first (a crashed process's).
    async fn unfinished_operations(&self) -> Result<Vec<Operation>>;

    /// The journal of one service, oldest first.
    async fn operations(&self, service: &ServiceKey) -> Result<Vec<Operation>>;

    /// The threshold state of every account of the server that has one.
    async fn threshold_states(
        &self,
        server: &ServerId,
    ) -> Result<BTreeMap<Username, ThresholdState>>;

    /// Writes one sweep: its samples, the changed states and the actions they imply,
    /// all or nothing; then deletes the samples whose retention ended at `now`.
    async fn record_sweep(
        &self,
        server: &ServerId,
        sweep: &SweepRecord,
        now: DateTime<Utc>,
    ) -> Result<()>;

    /// Hands out up to `limit` unconfirmed actions that no one holds at `now`, oldest
    /// first, each leased to `consumer` until `lease_until`: until then no other call
    /// hands them out. An action not confirmed by then is handed out again.
    async fn pending_actions(
        &self,
        consumer: &str,
        limit: u32,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> Result<Vec<PendingAction>>;

    /// Marks an action carried out; confirming it twice succeeds. Whether it existed.
    async fn confirm(&self, id: ActionId, now: DateTime<Utc>) -> Result<bool>;

    /// Marks many actions carried out in one write (a consumer that sent a batch);
    /// how many of them exist.
    async fn confirm_many(&self, ids: &[ActionId], now: DateTime<Utc>) -> Result<u64>;

    /// Ends `consumer`'s lease on these unconfirmed actions (a send that failed), so
    /// the next call of [`Ledger::pending_actions`] hands them out again.
    async fn release_actions(&self, consumer: &str, ids: &[ActionId]) -> Result<()>;

    /// Drops the threshold state and the unconfirmed actions of an account (after it
    /// was terminated). Its samples are kept until their retention ends.
    async fn forget_account(&self, account: &AccountKey) -> Result<()>;

    /// Records, in one transaction, whether the limit policy is now applied to the
    /// accounts of these services of `server` (service id, limited).
    async fn set_applied_limited(
        &self,
        server: &ServerId,
        applied: &[(String, bool)],
    ) -> Result<()>;

    /// The account's samples recorded from `from` to `to`, both included, oldest first.
    async fn samples(
        &self,
        account: &AccountKey,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<LedgerSample>>;

    /// The last `days` calendar days in `zone` up to and including the day of `now`,
    /// oldest first, each with its highest sample.
    async fn daily(
        &self,
        account: &AccountKey,
        days: u32,
        now: DateTime<Utc>,
        zone: chrono_tz::Tz,
    ) -> Result<Vec<DailyPoint>>;

    /// The last `months` calendar months in `zone` up to and including the month of
    /// `now`, oldest first, each with the average of its samples (months without
    /// samples are left out).
    async fn monthly(
        &self,
        account: &AccountKey,
        months: u32,
        now: DateTime<Utc>,
        zone: chrono_tz::Tz,
    ) -> Result<Vec<MonthlyPoint>>;
}
