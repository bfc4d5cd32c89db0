//! The billing cycle on a ledger: idempotent orders, sweeps with an outbox, and the
//! desired limit state of MinIO accounts.
//!
//! [`BillingCycle`] holds a [`Ledger`], the providers of the servers it records and the
//! products it sells. Every order names a service (server and service id) and runs
//! under the service's lock, so two calls for one service never run at once, across
//! processes too when the ledger is shared (PostgreSQL, or one SQLite file):
//!
//! - **create** is idempotent per service: the account name is chosen and recorded
//!   before the account is made, so repeating an order, or retrying one whose process
//!   died at any point, finds that name and finishes the account (or returns the
//!   finished one), never making a second account. The password is handed back once,
//!   by the call that set it.
//! - **suspend, unsuspend, terminate, change-password, change-plan** check the
//!   service's status and are journaled under an idempotency key: a key that finished
//!   is answered from the journal without acting again.
//! - **sweep** reads the usage of a server's services, and writes the samples, the new
//!   threshold states and the actions they imply in one transaction; the actions wait
//!   in the outbox ([`BillingCycle::pending_actions`]) until confirmed, so none is lost
//!   when a mail fails or the process stops. On MinIO the limit policy follows from the
//!   stored state (or an administrator's override) and is reconciled on every sweep,
//!   so a failed switch heals on the next one.
//! - **recover** finishes what a crashed process left: interrupted creates are undone
//!   (their caller never got the password), interrupted terminations and status changes
//!   are carried out.
//!
//! ```
//! # #[cfg(feature = "sqlite")]
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! use std::sync::Arc;
//! use provision_core::cycle::BillingCycle;
//! use provision_core::ledger::{ServerId, SqlLedger};
//! use provision_core::memory::InMemoryProvider;
//! use provision_core::provisioner::{ProductConfig, ServiceContext};
//!
//! let ledger = Arc::new(SqlLedger::sqlite_in_memory().await?);
//! let server = ServerId::new("files1")?;
//! let cycle = BillingCycle::new(ledger)
//!     .with_server(server.clone(), Arc::new(InMemoryProvider::new()))
//!     .with_product("basic", ProductConfig::new("cust{client_id}", "16", "10 GB")?);
//!
//! let ctx = ServiceContext::new("42", "7");
//! let first = cycle.create(&server, &ctx, "basic").await?;
//! assert_eq!(first.username.as_str(), "cust42");
//! assert!(first.password.is_some());
//!
//! // The same order again: the same account, no second one, no new password.
//! let again = cycle.create(&server, &ctx, "basic").await?;
//! assert_eq!(again.username, first.username);
//! assert!(again.password.is_none());
//! # Ok::<_, provision_core::Error>(())
//! # }).unwrap();
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use rand::{Rng, SeedableRng};
use secrecy::SecretString;

use crate::concurrency::bounded;
use crate::error::{Error, ErrorKind, Result};
use crate::ledger::{
    AccountKey, ActionId, Begun, Ledger, LedgerError, LedgerSample, LimitOverride, NewAction,
    Operation, OperationKind, OperationState, PendingAction, ServerId, ServiceKey, ServiceRecord,
    ServiceStatus, SweepRecord,
};
use crate::notify::NotificationValues;
use crate::provider::{
    AccountInfo, AccountSpec, AccountStatus, Adoption, Plan, QuotaEnforcement, StorageProvider,
};
use crate::provisioner::{read_usages, ProductConfig, ServiceContext, SweepAccount, SweepOutcome};
use crate::rules::{resolve_unique, CollisionLimits, GeneratePassword, NameContext};
use crate::threshold::{evaluate, ThresholdState};
use crate::username::Username;

/// Servers a sweep of every server reads at once. Servers are independent (each sweep
/// is one transaction of its own), so a host with many servers waits for the slowest
/// few rather than for their sum; the bound keeps the ledger's writers few.
pub const SERVERS_SWEPT_AT_ONCE: usize = 4;

/// How long a service's lock holds unless let go: longer than any one operation takes.
/// A holder that died (a killed process) frees the service this long after it took it.
pub const DEFAULT_LOCK_TTL: Duration = Duration::from_secs(300);

/// How long a call waits for another call on the same service.
pub const DEFAULT_LOCK_WAIT: Duration = Duration::from_secs(30);

/// What a create returned.
pub struct Created {
    /// The service as the ledger now records it.
    pub service: ServiceRecord,
    /// The account's name.
    pub username: Username,
    /// The password, when this call set it; None when the order was done before (the
    /// password was handed back once, by the call that set it).
    pub password: Option<SecretString>,
    /// What the server reported, when this call made or finished the account.
    pub account: Option<AccountInfo>,
    /// Whether an earlier attempt of this order made the account.
    pub resumed: bool,
}

impl fmt::Debug for Created {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Created")
            .field("service", &self.service)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "[redacted]"))
            .field("account", &self.account)
            .field("resumed", &self.resumed)
            .finish()
    }
}

/// What an adoption ([`BillingCycle::adopt`]) did.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Adopted {
    /// The account is now the service's, with the status the server reports.
    Recorded {
        /// The service as the ledger now records it.
        service: ServiceRecord,
        /// The account as the server reported it.
        account: AccountInfo,
    },
    /// The service already held this account (a repeated adoption): nothing changed.
    AlreadyRecorded {
        /// The service as the ledger records it.
        service: ServiceRecord,
    },
    /// The account cannot be managed as it is: nothing was recorded, nothing changed.
    DoesNotFit {
        /// The account.
        username: Username,
        /// Why.
        reason: String,
        /// What does not fit (MinIO: buckets outside the namespace).
        resources: Vec<String>,
    },
}

/// What a sweep of one server did.
#[derive(Debug, Default)]
#[non_exhaustive]
pub struct CycleSweep {
    /// One outcome per account whose usage was read.
    pub outcomes: Vec<SweepOutcome>,
    /// Accounts whose usage could not be read, with why (their state is unchanged).
    pub failures: Vec<(Username, Error)>,
    /// How many actions were written to the outbox.
    pub actions_recorded: usize,
    /// Limit policies switched (MinIO), with the result; a failed one is tried again
    /// on the next sweep.
    pub limit_switches: Vec<(Username, bool, Result<()>)>,
}

/// What [`BillingCycle::recover`] did.
#[derive(Debug, Default)]
#[non_exhaustive]
pub struct Recovery {
    /// Services whose interrupted create was undone (the account removed, the service
    /// marked failed).
    pub undone: Vec<ServiceKey>,
    /// Services whose interrupted operation was carried out.
    pub finished: Vec<ServiceKey>,
    /// Services that could not be settled now, with why (tried again next time).
    pub failed: Vec<(ServiceKey, Error)>,
    /// Services left alone because a call holds their lock: a live one at work, or a
    /// dead one whose lock has not ended yet (tried again next time).
    pub held: Vec<ServiceKey>,
}

/// The billing cycle on a ledger. See the [module documentation](self).
pub struct BillingCycle {
    ledger: Arc<dyn Ledger>,
    servers: BTreeMap<ServerId, Arc<dyn StorageProvider>>,
    products: BTreeMap<String, ProductConfig>,
    worker: String,
    // Makes tokens unique even when two processes are given the same worker name.
    instance: u64,
    calls: AtomicU64,
    lock_ttl: Duration,
    lock_wait: Duration,
    collision_limits: CollisionLimits,
    concurrency: usize,
}

impl fmt::Debug for BillingCycle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BillingCycle")
            .field("servers", &self.servers.keys().collect::<Vec<_>>())
            .field("products", &self.products.keys().collect::<Vec<_>>())
            .field("worker", &self.worker)
            .finish_non_exhaustive()
    }
}

/// A held service lock; let go by [`BillingCycle::release`].
struct Held {
    service: ServiceKey,
    owner: String,
}

fn ttl_delta(duration: Duration) -> TimeDelta {
    TimeDelta::from_std(duration).unwrap_or(TimeDelta::MAX)
}

impl BillingCycle {
    /// A cycle on `ledger`, with no servers or products yet.
    pub fn new(ledger: Arc<dyn Ledger>) -> Self {
        let mut rng = rand::rngs::StdRng::from_os_rng();
        BillingCycle {
            ledger,
            servers: BTreeMap::new(),
            products: BTreeMap::new(),
            worker: format!("worker-{:016x}", rng.random::<u64>()),
            instance: rng.random(),
            calls: AtomicU64::new(0),
            lock_ttl: DEFAULT_LOCK_TTL,
            lock_wait: DEFAULT_LOCK_WAIT,
            collision_limits: CollisionLimits::default(),
            concurrency: 16,
        }
    }

    /// A cycle on `ledger` for every server and product of `config`: each server is
    /// built by `build` (the facade's `build_provider` picks the backend) and recorded
    /// in the ledger with its table, so the ledger knows how to build it again.
    pub async fn from_config(
        ledger: Arc<dyn Ledger>,
        config: &crate::config::Config,
        build: impl Fn(&crate::config::ProviderConfig) -> Result<Arc<dyn StorageProvider>>,
    ) -> Result<Self> {
        let mut cycle = BillingCycle::new(ledger);
        for (name, server) in &config.servers {
            let id = ServerId::new(name.as_str())?;
            let provider = build(server)?;
            let table = config.server_table(name).unwrap_or_default();
            cycle
                .ledger
                .put_server(&crate::ledger::ServerRecord::new(
                    id.clone(),
                    server.backend.as_str(),
                    table,
                ))
                .await?;
            cycle.servers.insert(id, provider);
        }
        for (name, product) in &config.products {
            cycle.products.insert(name.clone(), product.clone());
        }
        Ok(cycle)
    }

    /// Adds a server and its provider.
    pub fn with_server(mut self, id: ServerId, provider: Arc<dyn StorageProvider>) -> Self {
        self.servers.insert(id, provider);
        self
    }

    /// Adds a product under its name.
    pub fn with_product(mut self, name: impl Into<String>, product: ProductConfig) -> Self {
        self.products.insert(name.into(), product);
        self
    }

    /// Names this worker in locks and leases (a random name by default).
    pub fn with_worker(mut self, name: impl Into<String>) -> Self {
        self.worker = name.into();
        self
    }

    /// Sets how long a lock holds if its holder dies, and how long a call waits for one.
    pub fn with_lock_timing(mut self, ttl: Duration, wait: Duration) -> Self {
        self.lock_ttl = ttl;
        self.lock_wait = wait;
        self
    }

    /// Sets how many names are tried before giving up.
    pub fn with_collision_limits(mut self, limits: CollisionLimits) -> Self {
        self.collision_limits = limits;
        self
    }

    /// Sets how many usage reads run at once on backends without a bulk read.
    pub fn with_concurrency(mut self, concurrency: usize) -> Self {
        self.concurrency = concurrency.max(1);
        self
    }

    /// The ledger.
    pub fn ledger(&self) -> &Arc<dyn Ledger> {
        &self.ledger
    }

    /// The provider of a server.
    pub fn provider(&self, server: &ServerId) -> Result<&Arc<dyn StorageProvider>> {
        self.servers
            .get(server)
            .ok_or_else(|| LedgerError::UnknownServer(server.clone()).into())
    }

    /// A token no other call, in this process or another, holds: locks and journal
    /// keys are told apart by it.
    fn next_token(&self) -> String {
        format!(
            "{}:{:016x}:{}",
            self.worker,
            self.instance,
            self.calls.fetch_add(1, Ordering::Relaxed)
        )
    }

    async fn lock(&self, service: &ServiceKey) -> Result<Held> {
        let owner = self.next_token();
        let started = tokio::time::Instant::now();
        let mut pause = Duration::from_millis(10);
        loop {
            let now = Utc::now();
            if self
                .ledger
                .try_lock(service, &owner, now, now + ttl_delta(self.lock_ttl))
                .await?
            {
                return Ok(Held {
                    service: service.clone(),
                    owner,
                });
            }
            if started.elapsed() >= self.lock_wait {
                return Err(LedgerError::Busy {
                    service: service.clone(),
                    waited: started.elapsed(),
                }
                .into());
            }
            tokio::time::sleep(pause).await;
            pause = (pause * 2).min(Duration::from_millis(250));
        }
    }

    async fn release(&self, held: Held) -> Result<()> {
        self.ledger.unlock(&held.service, &held.owner).await
    }

    /// Runs `work` under the service's lock, letting go afterwards whatever it returns.
    async fn locked<T, F, Fut>(&self, service: &ServiceKey, work: F) -> Result<T>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<T>>,
    {
        let held = self.lock(service).await?;
        let result = work().await;
        // A failed unlock only delays the next call until the lock's time ends.
        if let Err(e) = self.release(held).await {
            tracing::warn!(service = %service, error = %e, "could not let go of a service lock");
        }
        result
    }

    async fn require_service(&self, key: &ServiceKey) -> Result<ServiceRecord> {
        self.ledger
            .service(key)
            .await?
            .ok_or_else(|| LedgerError::UnknownService(key.clone()).into())
    }

    async fn save(
        &self,
        mut service: ServiceRecord,
        status: ServiceStatus,
    ) -> Result<ServiceRecord> {
        service.status = status;
        service.updated_at = Utc::now();
        self.ledger.save_service(&service).await?;
        Ok(service)
    }

    // ---- create ---------------------------------------------------------------------

    /// Creates the account of service `ctx.service_id` on `server` with `product`, or
    /// returns the one an earlier attempt of this order made. See the
    /// [module documentation](self).
    pub async fn create(
        &self,
        server: &ServerId,
        ctx: &ServiceContext,
        product: &str,
    ) -> Result<Created> {
        let provider = self.provider(server)?.clone();
        let config = self.product(product).await?;
        let key = ServiceKey::new(server.clone(), ctx.service_id.clone());
        self.locked(&key, || async {
            match self.ledger.service(&key).await? {
                Some(service)
                    if matches!(
                        service.status,
                        ServiceStatus::Active | ServiceStatus::Suspended
                    ) =>
                {
                    let username = Self::account_of(&service)?;
                    // An attempt that died after recording the account left its entry.
                    self.close_started(
                        &key,
                        OperationKind::Create,
                        OperationState::Done,
                        "finished by an earlier attempt",
                    )
                    .await?;
                    Ok(Created {
                        service,
                        username,
                        password: None,
                        account: None,
                        resumed: true,
                    })
                }
                Some(service) if service.status == ServiceStatus::Terminating => {
                    Err(LedgerError::WrongState {
                        service: key.clone(),
                        status: service.status,
                        operation: OperationKind::Create,
                    }
                    .into())
                }
                Some(service) if service.status == ServiceStatus::Creating => {
                    self.settle_create(provider.as_ref(), service, ctx, product, &config)
                        .await
                }
                previous => {
                    let record = ServiceRecord::new(
                        key.clone(),
                        ctx.client_id.clone(),
                        product,
                        ServiceStatus::Creating,
                        Utc::now(),
                    );
                    let record = match previous {
                        Some(old) => ServiceRecord {
                            created_at: old.created_at,
                            ..record
                        },
                        None => record,
                    };
                    self.create_fresh(provider.as_ref(), record, ctx, &config, None)
                        .await
                }
            }
        })
        .await
    }

    /// An earlier attempt recorded a name: finish the account if it exists, else make it.
    async fn settle_create(
        &self,
        provider: &dyn StorageProvider,
        service: ServiceRecord,
        ctx: &ServiceContext,
        product: &str,
        config: &ProductConfig,
    ) -> Result<Created> {
        let Some(username) = service.username.clone() else {
            return self
                .create_fresh(provider, service, ctx, config, None)
                .await;
        };
        let service = ServiceRecord {
            product: product.to_string(),
            customer: ctx.customer(),
            ..service
        };
        match provider.account(&username).await? {
            Some(_) => {
                // The account is ours (its name was reserved for this service first).
                // Its first password never reached the caller: set a new one, and make
                // sure the plan and the status are what the order asked for.
                let plan = config.plan();
                provider.change_plan(&username, &plan, &plan).await?;
                let password = config.password_rule.generate();
                provider.change_password(&username, &password).await?;
                provider.unsuspend(&username).await?;
                let account = provider.account(&username).await?;
                let service = ServiceRecord {
                    applied_groups: Some(plan.groups),
                    ..service
                };
                let service = self.save(service, ServiceStatus::Active).await?;
                self.close_started(
                    &service.key,
                    OperationKind::Create,
                    OperationState::Done,
                    "finished by a later attempt",
                )
                .await?;
                Ok(Created {
                    service,
                    username,
                    password: Some(password),
                    account,
                    resumed: true,
                })
            }
            None => {
                self.create_fresh(provider, service, ctx, config, Some(username))
                    .await
            }
        }
    }

    /// Chooses a name (the recorded one first, when given), records it, and makes the
    /// account.
    async fn create_fresh(
        &self,
        provider: &dyn StorageProvider,
        mut service: ServiceRecord,
        ctx: &ServiceContext,
        config: &ProductConfig,
        mut name: Option<Username>,
    ) -> Result<Created> {
        self.journal_begin(&service.key, OperationKind::Create, None, None)
            .await?;
        let mut last_error = None;
        for _ in 0..3 {
            let username = match name.take() {
                Some(name) => name,
                None => self.free_name(provider, &service.key, ctx, config).await?,
            };
            service.username = Some(username.clone());
            service.customer = ctx.customer();
            service.account_key = Some(provider.name_policy().account_key(username.as_str()));
            service.last_error = None;
            // Recorded before the account is made: a retry after any crash finds it.
            match self.save(service.clone(), ServiceStatus::Creating).await {
                Ok(saved) => service = saved,
                Err(Error::Ledger(LedgerError::NameTaken { .. })) => continue,
                Err(e) => return Err(e),
            }
            let spec = AccountSpec {
                username: username.clone(),
                password: config.password_rule.generate(),
                email: ctx.email.clone(),
                display_name: ctx.display_name.clone(),
                plan: config.plan(),
            };
            match provider.create_account(&spec).await {
                Ok(account) => {
                    // A new account starts on the standard policy (MinIO).
                    if provider.capabilities().quota_enforcement == QuotaEnforcement::PolicySwitch {
                        service.applied_limited = Some(false);
                    }
                    service.applied_groups = Some(spec.plan.groups.clone());
                    let service = self.save(service, ServiceStatus::Active).await?;
                    self.close_started(
                        &service.key,
                        OperationKind::Create,
                        OperationState::Done,
                        "created",
                    )
                    .await?;
                    return Ok(Created {
                        service,
                        username,
                        password: Some(spec.password),
                        account: Some(account),
                        resumed: false,
                    });
                }
                // Someone outside the ledger took the name since we looked: next name.
                Err(e) if e.kind() == ErrorKind::AlreadyExists => last_error = Some(e),
                // The server may have made it: the name stays reserved, a retry settles.
                Err(e) if e.leaves_outcome_unknown() => return Err(e),
                Err(e) => {
                    return Err(self.fail_create(service, e).await);
                }
            }
        }
        let e = last_error
            .unwrap_or_else(|| Error::invalid("name rule", "no free name could be reserved"));
        Err(self.fail_create(service, e).await)
    }

    /// Records a create the server refused (it left nothing) and returns its error; a
    /// ledger failure while recording it is returned instead (the service then stays
    /// creating, and a retry or recovery settles it).
    async fn fail_create(&self, mut service: ServiceRecord, error: Error) -> Error {
        let text = error.to_string();
        service.last_error = Some(text.clone());
        let key = service.key.clone();
        if let Err(e) = self.save(service, ServiceStatus::Failed).await {
            return e;
        }
        if let Err(e) = self
            .close_started(&key, OperationKind::Create, OperationState::Failed, &text)
            .await
        {
            return e;
        }
        error
    }

    /// A name that is free on the server and that no other service holds in the ledger.
    async fn free_name(
        &self,
        provider: &dyn StorageProvider,
        key: &ServiceKey,
        ctx: &ServiceContext,
        config: &ProductConfig,
    ) -> Result<Username> {
        let names = NameContext {
            client_id: ctx.client_id.clone(),
            service_id: ctx.service_id.clone(),
        };
        let policy = provider.name_policy();
        let mut rng = rand::rngs::StdRng::from_os_rng();
        let ledger = &self.ledger;
        resolve_unique(
            &config.name_rule,
            &names,
            policy,
            &mut rng,
            Utc::now(),
            self.collision_limits,
            |candidate| async move {
                let account_key = policy.account_key(candidate.as_str());
                if let Some(owner) = ledger.account_owner(&key.server, &account_key).await? {
                    if &owner != key {
                        return Ok(true);
                    }
                }
                Ok(provider.account(&candidate).await?.is_some())
            },
        )
        .await
    }

    // ---- adopt ----------------------------------------------------------------------

    /// Records the existing account `username` of `server` as service `ctx.service_id`
    /// with `product` (a migration from another billing module). The account is checked
    /// on the server first, and nothing on the server is changed: an account that does
    /// not fit ([`Adoption::DoesNotFit`]) is reported and not recorded. A repeated
    /// adoption of the same account answers [`Adopted::AlreadyRecorded`]; a service
    /// that holds another account, or an account another service holds, is refused.
    pub async fn adopt(
        &self,
        server: &ServerId,
        ctx: &ServiceContext,
        product: &str,
        username: &Username,
    ) -> Result<Adopted> {
        let provider = self.provider(server)?.clone();
        self.product(product).await?;
        let key = ServiceKey::new(server.clone(), ctx.service_id.clone());
        let account_key = provider.name_policy().account_key(username.as_str());
        self.locked(&key, || async {
            let previous = self.ledger.service(&key).await?;
            if let Some(service) = &previous {
                let same = service.account_key.as_deref() == Some(account_key.as_str());
                if same && service.status.holds_account() {
                    return Ok(Adopted::AlreadyRecorded {
                        service: service.clone(),
                    });
                }
                if service.status != ServiceStatus::Terminated {
                    return Err(LedgerError::WrongState {
                        service: key.clone(),
                        status: service.status,
                        operation: OperationKind::Adopt,
                    }
                    .into());
                }
            }
            if let Some(owner) = self.ledger.account_owner(server, &account_key).await? {
                return Err(LedgerError::NameTaken {
                    server: server.clone(),
                    username: username.clone(),
                    owner: owner.service_id,
                }
                .into());
            }
            let account = match provider.check_adoption(username).await? {
                Adoption::Fits(account) => account,
                Adoption::DoesNotFit {
                    reason, resources, ..
                } => {
                    return Ok(Adopted::DoesNotFit {
                        username: username.clone(),
                        reason,
                        resources,
                    })
                }
            };
            let status = match account.status {
                AccountStatus::Suspended => ServiceStatus::Suspended,
                _ => ServiceStatus::Active,
            };
            let mut record = ServiceRecord::new(
                key.clone(),
                ctx.client_id.clone(),
                product,
                status,
                Utc::now(),
            );
            if let Some(old) = previous {
                record.created_at = old.created_at;
            }
            record.username = Some(account.username.clone());
            record.account_key = Some(account_key.clone());
            // Who its notifications go to, as for a service made here.
            record.customer = ctx.customer();
            self.ledger.save_service(&record).await?;
            Ok(Adopted::Recorded {
                service: record,
                account,
            })
        })
        .await
    }

    // ---- the journal ----------------------------------------------------------------

    /// Journals an operation as started under `key` (a fresh one when None); the key
    /// and what the journal held under it before.
    async fn journal_begin(
        &self,
        service: &ServiceKey,
        kind: OperationKind,
        target: Option<&str>,
        key: Option<&str>,
    ) -> Result<(String, Begun)> {
        let key = match key {
            // A caller's key is scoped to the service: keys are per (server, service id).
            Some(key) => format!("{service}#{key}"),
            None => format!("{}:{}:{}", kind.code(), service, self.next_token()),
        };
        let begun = self
            .ledger
            .begin_operation(&Operation {
                key: key.clone(),
                service: service.clone(),
                kind,
                target: target.map(str::to_string),
                state: OperationState::Started,
                outcome: None,
                started_at: Utc::now(),
                finished_at: None,
            })
            .await?;
        Ok((key, begun))
    }

    async fn journal_finish(
        &self,
        key: &str,
        state: OperationState,
        outcome: Option<&str>,
    ) -> Result<()> {
        self.ledger
            .finish_operation(key, state, outcome, Utc::now())
            .await
    }

    /// Closes the service's unfinished operations of `kind` (a crashed attempt's, once
    /// a later one carried the operation out).
    async fn close_started(
        &self,
        service: &ServiceKey,
        kind: OperationKind,
        state: OperationState,
        outcome: &str,
    ) -> Result<()> {
        for op in self.ledger.operations(service).await? {
            if op.kind == kind && op.state == OperationState::Started {
                self.journal_finish(&op.key, state, Some(outcome)).await?;
            }
        }
        Ok(())
    }

    /// Journals an operation under the caller's idempotency key (or a fresh one), runs
    /// it unless that key finished before, and records how it ended.
    async fn journaled<F, Fut>(
        &self,
        service: &ServiceKey,
        kind: OperationKind,
        target: Option<&str>,
        idempotency_key: Option<&str>,
        work: F,
    ) -> Result<()>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<()>>,
    {
        self.journaled_once(service, kind, target, idempotency_key, work)
            .await
            .map(|_| ())
    }

    /// [`Self::journaled`], telling whether this call did the work (true) or found it
    /// done under the idempotency key before (false).
    async fn journaled_once<F, Fut>(
        &self,
        service: &ServiceKey,
        kind: OperationKind,
        target: Option<&str>,
        idempotency_key: Option<&str>,
        work: F,
    ) -> Result<bool>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<()>>,
    {
        let (key, begun) = self
            .journal_begin(service, kind, target, idempotency_key)
            .await?;
        if let Begun::Existing(previous) = begun {
            if previous.service != *service || previous.kind != kind {
                return Err(Error::invalid(
                    "idempotency key",
                    format!("{key:?} was used for another operation"),
                ));
            }
            if previous.state == OperationState::Done {
                return Ok(false);
            }
        }
        match work().await {
            Ok(()) => {
                self.journal_finish(&key, OperationState::Done, None)
                    .await?;
                self.close_started(
                    service,
                    kind,
                    OperationState::Done,
                    "finished by a later attempt",
                )
                .await
                .map(|()| true)
            }
            Err(e) => {
                // An unknown outcome stays started: recovery or a retry carries it out.
                if !e.leaves_outcome_unknown() {
                    self.journal_finish(&key, OperationState::Failed, Some(&e.to_string()))
                        .await?;
                }
                Err(e)
            }
        }
    }

    // ---- the other orders -----------------------------------------------------------

    fn account_of(service: &ServiceRecord) -> Result<Username> {
        service.username.clone().ok_or_else(|| {
            LedgerError::Corrupt {
                what: "service without an account name",
                value: service.key.to_string(),
            }
            .into()
        })
    }

    /// The service, which must be active or suspended for `operation`.
    async fn live_service(
        &self,
        key: &ServiceKey,
        operation: OperationKind,
    ) -> Result<ServiceRecord> {
        let service = self.require_service(key).await?;
        Self::expect_status(
            &service,
            &[ServiceStatus::Active, ServiceStatus::Suspended],
            operation,
        )?;
        Ok(service)
    }

    fn expect_status(
        service: &ServiceRecord,
        allowed: &[ServiceStatus],
        operation: OperationKind,
    ) -> Result<()> {
        if allowed.contains(&service.status) {
            Ok(())
        } else {
            Err(LedgerError::WrongState {
                service: service.key.clone(),
                status: service.status,
                operation,
            }
            .into())
        }
    }

    /// Disables the service's account; succeeds when it is suspended already.
    pub async fn suspend(&self, key: &ServiceKey, idempotency_key: Option<&str>) -> Result<()> {
        self.set_status(key, idempotency_key, OperationKind::Suspend)
            .await
    }

    /// Enables the service's account; succeeds when it is active already.
    pub async fn unsuspend(&self, key: &ServiceKey, idempotency_key: Option<&str>) -> Result<()> {
        self.set_status(key, idempotency_key, OperationKind::Unsuspend)
            .await
    }

    async fn set_status(
        &self,
        key: &ServiceKey,
        idempotency_key: Option<&str>,
        kind: OperationKind,
    ) -> Result<()> {
        let provider = self.provider(&key.server)?.clone();
        self.locked(key, || async {
            let service = self.live_service(key, kind).await?;
            self.journaled(key, kind, None, idempotency_key, || async {
                self.apply_status(provider.as_ref(), service, kind).await
            })
            .await
        })
        .await
    }

    async fn apply_status(
        &self,
        provider: &dyn StorageProvider,
        service: ServiceRecord,
        kind: OperationKind,
    ) -> Result<()> {
        let username = Self::account_of(&service)?;
        let status = if kind == OperationKind::Suspend {
            provider.suspend(&username).await?;
            ServiceStatus::Suspended
        } else {
            provider.unsuspend(&username).await?;
            ServiceStatus::Active
        };
        self.save(service, status).await?;
        Ok(())
    }

    /// Deletes the service's account and forgets its threshold state and pending
    /// actions (its usage history is kept for its retention period). Succeeds when the
    /// service is terminated already.
    pub async fn terminate(&self, key: &ServiceKey, idempotency_key: Option<&str>) -> Result<()> {
        let provider = self.provider(&key.server)?.clone();
        self.locked(key, || async {
            let service = self.require_service(key).await?;
            if matches!(
                service.status,
                ServiceStatus::Terminated | ServiceStatus::Failed
            ) {
                return self
                    .close_started(
                        key,
                        OperationKind::Terminate,
                        OperationState::Done,
                        "finished by an earlier attempt",
                    )
                    .await;
            }
            self.journaled(
                key,
                OperationKind::Terminate,
                None,
                idempotency_key,
                || async { self.apply_terminate(provider.as_ref(), service).await },
            )
            .await
        })
        .await
    }

    async fn apply_terminate(
        &self,
        provider: &dyn StorageProvider,
        service: ServiceRecord,
    ) -> Result<()> {
        let Some(account) = service.account() else {
            self.save(service, ServiceStatus::Terminated).await?;
            return Ok(());
        };
        let service = self.save(service, ServiceStatus::Terminating).await?;
        provider.terminate(&account.username).await?;
        self.ledger.forget_account(&account).await?;
        self.save(service, ServiceStatus::Terminated).await?;
        Ok(())
    }

    /// Sets a new password on the service's account. True when this call set
    /// `password`; false when the order under `idempotency_key` was done before, so
    /// the account keeps the password that first call set (never hand `password` out
    /// then: the account does not have it).
    pub async fn change_password(
        &self,
        key: &ServiceKey,
        password: &SecretString,
        idempotency_key: Option<&str>,
    ) -> Result<bool> {
        let provider = self.provider(&key.server)?.clone();
        self.locked(key, || async {
            let service = self
                .live_service(key, OperationKind::ChangePassword)
                .await?;
            let username = Self::account_of(&service)?;
            self.journaled_once(
                key,
                OperationKind::ChangePassword,
                None,
                idempotency_key,
                || async { provider.change_password(&username, password).await },
            )
            .await
        })
        .await
    }

    /// Moves the service to `product`: its quota and groups change on the server, and
    /// the next sweep holds it to the new quota.
    pub async fn change_plan(
        &self,
        key: &ServiceKey,
        product: &str,
        idempotency_key: Option<&str>,
    ) -> Result<()> {
        let provider = self.provider(&key.server)?.clone();
        let to = self.product(product).await?.plan();
        self.locked(key, || async {
            let service = self.live_service(key, OperationKind::ChangePlan).await?;
            self.journaled(
                key,
                OperationKind::ChangePlan,
                Some(product),
                idempotency_key,
                || async {
                    self.apply_plan(provider.as_ref(), service, product, to)
                        .await
                },
            )
            .await
        })
        .await
    }

    async fn apply_plan(
        &self,
        provider: &dyn StorageProvider,
        service: ServiceRecord,
        product: &str,
        to: Plan,
    ) -> Result<()> {
        let username = Self::account_of(&service)?;
        // A product no longer sold: its quota is left as the new one's, and only the
        // groups recorded below (when they were) are left.
        let mut from = self
            .find_product(&service.product)
            .await?
            .map_or_else(|| to.clone(), |from| from.plan());
        // The groups the account was put in, even when its product's were edited since.
        if let Some(applied) = &service.applied_groups {
            from.groups.clone_from(applied);
        }
        provider.change_plan(&username, &from, &to).await?;
        let service = ServiceRecord {
            product: product.to_string(),
            applied_groups: Some(to.groups.clone()),
            ..service
        };
        let status = service.status;
        self.save(service, status).await?;
        Ok(())
    }

    /// Records an administrator's limit decision ("set standard policy", "set limited
    /// policy"), or hands control back to the usage with None ("update policy"), and
    /// applies the resulting policy now. The decision holds across sweeps.
    pub async fn set_limit_override(
        &self,
        key: &ServiceKey,
        decision: Option<LimitOverride>,
    ) -> Result<()> {
        let provider = self.provider(&key.server)?.clone();
        if provider.capabilities().quota_enforcement != QuotaEnforcement::PolicySwitch {
            return Err(Error::Unsupported(
                "limit policies (quota is not enforced by policy here)".into(),
            ));
        }
        self.locked(key, || async {
            let service = self.live_service(key, OperationKind::ChangePlan).await?;
            let username = Self::account_of(&service)?;
            let state = self
                .ledger
                .threshold_states(&key.server)
                .await?
                .get(&username)
                .copied()
                .unwrap_or_default();
            let service = ServiceRecord {
                limit_override: decision,
                ..service
            };
            let status = service.status;
            let service = self.save(service, status).await?;
            let limited = desired_limited(&service, state);
            let plan = self.plan_of(&service.product).await?;
            provider
                .set_limited_on_plan(&username, &plan, limited)
                .await?;
            self.ledger
                .set_applied_limited(&key.server, &[(key.service_id.clone(), limited)])
                .await
        })
        .await
    }

    // ---- sweeps and the outbox ------------------------------------------------------

    /// Sweeps every server, [`SERVERS_SWEPT_AT_ONCE`] at a time, and returns the
    /// results in the order of the servers' names.
    pub async fn sweep_all(&self, now: DateTime<Utc>) -> Vec<(ServerId, Result<CycleSweep>)> {
        let sweeps = self.servers.keys().cloned().map(|server| async move {
            let result = self.sweep(&server, now).await;
            (server, result)
        });
        bounded(sweeps, SERVERS_SWEPT_AT_ONCE).await
    }

    /// Reads the usage of the server's active and suspended services, writes samples,
    /// new threshold states and the actions they imply in one transaction, prunes
    /// samples past their retention, and (MinIO) reconciles each account's limit policy
    /// with its stored state. Reads that fail as a whole fail the sweep and write
    /// nothing.
    pub async fn sweep(&self, server: &ServerId, now: DateTime<Utc>) -> Result<CycleSweep> {
        let provider = self.provider(server)?.clone();
        let mut report = CycleSweep::default();
        let mut swept = Vec::new();
        let products = self.product_configs().await?;
        for service in self.ledger.services(server).await? {
            if !matches!(
                service.status,
                ServiceStatus::Active | ServiceStatus::Suspended
            ) {
                continue;
            }
            let Some(username) = service.username.clone() else {
                continue;
            };
            match products.get(&service.product) {
                Some(product) => {
                    swept.push((service, SweepAccount::new(username, product), product))
                }
                None => report.failures.push((
                    username,
                    LedgerError::UnknownProduct(service.product.clone()).into(),
                )),
            }
        }
        let accounts: Vec<SweepAccount> = swept.iter().map(|(_, a, _)| a.clone()).collect();
        let usages = read_usages(provider.as_ref(), &accounts, self.concurrency).await?;
        let states = self.ledger.threshold_states(server).await?;

        let mut record = SweepRecord::default();
        let mut new_states = Vec::with_capacity(swept.len());
        for ((service, account, product), usage) in swept.iter().zip(usages) {
            let previous = states.get(&account.username).copied().unwrap_or_default();
            let usage = match usage {
                Ok(usage) => usage,
                Err(e) => {
                    report.failures.push((account.username.clone(), e));
                    new_states.push((service, previous));
                    continue;
                }
            };
            let evaluation = evaluate(
                previous,
                usage.used,
                account.quota,
                account.notify_at_percent,
            );
            if let Some(used) = usage.used {
                record.samples.push(LedgerSample {
                    username: account.username.clone(),
                    at: now,
                    used,
                    measured_at: usage.measured_at,
                    keep_until: now + TimeDelta::days(i64::from(product.history_days)),
                });
            }
            if evaluation.state != previous {
                record
                    .states
                    .push((account.username.clone(), evaluation.state));
            }
            for action in evaluation.actions() {
                let values = NotificationValues::new(
                    &account.username,
                    usage.used.unwrap_or_default(),
                    account.quota,
                    product.unit,
                )
                .with("client_id", service.client_id.as_str())
                .with("service_id", service.key.service_id.as_str())
                .with("server", server.as_str())
                .with("product", service.product.as_str());
                record.actions.push(NewAction {
                    service_id: service.key.service_id.clone(),
                    username: account.username.clone(),
                    kind: *action,
                    values: values
                        .iter()
                        .map(|(k, v)| (k.to_string(), v.to_string()))
                        .collect(),
                });
            }
            new_states.push((service, evaluation.state));
            report
                .outcomes
                .push(SweepOutcome::of(account, &usage, previous, &evaluation));
        }
        self.ledger.record_sweep(server, &record, now).await?;
        report.actions_recorded = record.actions.len();

        if provider.capabilities().quota_enforcement == QuotaEnforcement::PolicySwitch {
            // Owned items, collected before anything is awaited: closures over borrowed
            // tuples held across an await make the sweep's future impossible to prove
            // `Send` (higher-ranked lifetimes), and a sweep must run in `tokio::spawn`.
            let switches: Vec<(String, Username, Plan, bool)> = new_states
                .into_iter()
                .filter_map(|(service, state)| {
                    let limited = desired_limited(service, state);
                    let username = service.username.clone()?;
                    (service.applied_limited != Some(limited)).then(|| {
                        let plan = switch_plan(products.get(&service.product));
                        (service.key.service_id.clone(), username, plan, limited)
                    })
                })
                .collect();
            let provider = &provider;
            let results = bounded(
                switches
                    .into_iter()
                    .map(|(service_id, username, plan, limited)| async move {
                        let result = provider
                            .set_limited_on_plan(&username, &plan, limited)
                            .await;
                        (service_id, username, limited, result)
                    }),
                self.concurrency,
            )
            .await;
            // What was applied is recorded in one write; a failed switch is not, so the
            // next sweep tries it again.
            let applied: Vec<(String, bool)> = results
                .iter()
                .filter(|(.., result)| result.is_ok())
                .map(|(service_id, _, limited, _)| (service_id.clone(), *limited))
                .collect();
            let recorded = self.ledger.set_applied_limited(server, &applied).await;
            for (_, username, limited, result) in results {
                let result = match (&recorded, result) {
                    (Err(e), Ok(())) => Err(LedgerError::database(
                        "recording the applied limits",
                        e.to_string(),
                    )
                    .into()),
                    (_, result) => result,
                };
                report.limit_switches.push((username, limited, result));
            }
        }
        Ok(report)
    }

    /// Hands out up to `limit` actions owed to customers that no other consumer holds,
    /// leased to this worker for `lease`; confirm each once carried out, or it comes
    /// back when the lease ends.
    pub async fn pending_actions(&self, limit: u32, lease: Duration) -> Result<Vec<PendingAction>> {
        let now = Utc::now();
        self.ledger
            .pending_actions(&self.worker, limit, now, now + ttl_delta(lease))
            .await
    }

    /// Marks many actions carried out in one write; how many of them exist.
    pub async fn confirm_many(&self, ids: &[ActionId]) -> Result<u64> {
        self.ledger.confirm_many(ids, Utc::now()).await
    }

    /// Hands back actions this worker leased but could not carry out (a failed send):
    /// the next [`Self::pending_actions`] hands them out again.
    pub async fn release_actions(&self, ids: &[ActionId]) -> Result<()> {
        self.ledger.release_actions(&self.worker, ids).await
    }

    /// Marks an action carried out.
    pub async fn confirm(&self, id: ActionId) -> Result<bool> {
        self.ledger.confirm(id, Utc::now()).await
    }

    // ---- recovery -------------------------------------------------------------------

    /// Settles what crashed processes left, on every server of this cycle: an
    /// interrupted create is undone (the account, if made, is removed and the service
    /// marked failed, so the billing system's retry creates it afresh); an interrupted
    /// termination, suspension, unsuspension or plan change is carried out; an
    /// interrupted password change is marked failed (the password is not kept, so it
    /// must be set again). Services another call holds are left for later.
    pub async fn recover(&self) -> Result<Recovery> {
        let mut recovery = Recovery::default();
        let unfinished = self.ledger.unfinished_operations().await?;
        let mut services: Vec<ServiceKey> = Vec::new();
        for server in self.servers.keys() {
            for service in self.ledger.services(server).await? {
                if matches!(
                    service.status,
                    ServiceStatus::Creating | ServiceStatus::Terminating
                ) {
                    services.push(service.key);
                }
            }
        }
        for op in &unfinished {
            if self.servers.contains_key(&op.service.server) && !services.contains(&op.service) {
                services.push(op.service.clone());
            }
        }
        for key in services {
            let now = Utc::now();
            let owner = self.next_token();
            if !self
                .ledger
                .try_lock(&key, &owner, now, now + ttl_delta(self.lock_ttl))
                .await?
            {
                recovery.held.push(key);
                continue;
            }
            let held = Held {
                service: key.clone(),
                owner,
            };
            let ops: Vec<&Operation> = unfinished.iter().filter(|op| op.service == key).collect();
            let result = self.recover_service(&key, &ops).await;
            if let Err(e) = self.release(held).await {
                tracing::warn!(service = %key, error = %e, "could not let go of a service lock");
            }
            match result {
                Ok(Some(true)) => recovery.undone.push(key),
                Ok(Some(false)) => recovery.finished.push(key),
                Ok(None) => {}
                Err(e) => recovery.failed.push((key, e)),
            }
        }
        Ok(recovery)
    }

    /// Settles one service: Some(true) when a create was undone, Some(false) when an
    /// operation was finished, None when nothing was left to do.
    async fn recover_service(&self, key: &ServiceKey, ops: &[&Operation]) -> Result<Option<bool>> {
        let provider = self.provider(&key.server)?.clone();
        let Some(service) = self.ledger.service(key).await? else {
            for op in ops {
                self.journal_finish(
                    &op.key,
                    OperationState::Failed,
                    Some("interrupted before it began"),
                )
                .await?;
            }
            return Ok(None);
        };
        match service.status {
            ServiceStatus::Creating => {
                if let Some(username) = &service.username {
                    provider.terminate(username).await?;
                }
                let service = ServiceRecord {
                    last_error: Some("interrupted; undone by recovery".into()),
                    ..service
                };
                self.save(service, ServiceStatus::Failed).await?;
                self.close_all(
                    ops,
                    OperationState::Failed,
                    "interrupted; undone by recovery",
                )
                .await?;
                Ok(Some(true))
            }
            ServiceStatus::Terminating => {
                self.apply_terminate(provider.as_ref(), service).await?;
                self.close_all(ops, OperationState::Done, "finished by recovery")
                    .await?;
                Ok(Some(false))
            }
            _ => {
                let mut outcome = None;
                for op in ops {
                    let current = self.require_service(key).await?;
                    let holds = matches!(
                        current.status,
                        ServiceStatus::Active | ServiceStatus::Suspended
                    );
                    let result = match (op.kind, &op.target) {
                        (OperationKind::Suspend | OperationKind::Unsuspend, _) if holds => {
                            self.apply_status(provider.as_ref(), current, op.kind).await
                        }
                        (OperationKind::ChangePlan, Some(product)) if holds => {
                            async {
                                let to = self.product(product).await?.plan();
                                self.apply_plan(provider.as_ref(), current, product, to)
                                    .await
                            }
                            .await
                        }
                        (OperationKind::Terminate, _) => {
                            self.apply_terminate(provider.as_ref(), current).await
                        }
                        // A password is never kept, and a create that finished needs
                        // nothing: close the entry with what happened.
                        (OperationKind::Create, _) if holds => {
                            self.close_all(
                                &[op],
                                OperationState::Done,
                                "finished by a later attempt",
                            )
                            .await?;
                            continue;
                        }
                        _ => {
                            self.close_all(
                                &[op],
                                OperationState::Failed,
                                "interrupted; not repeated (ask again)",
                            )
                            .await?;
                            continue;
                        }
                    };
                    result?;
                    self.close_all(&[op], OperationState::Done, "finished by recovery")
                        .await?;
                    outcome = Some(false);
                }
                Ok(outcome)
            }
        }
    }

    async fn close_all(&self, ops: &[&Operation], state: OperationState, note: &str) -> Result<()> {
        for op in ops {
            self.journal_finish(&op.key, state, Some(note)).await?;
        }
        Ok(())
    }

    /// The account of a service, as the ledger records it.
    pub async fn account(&self, key: &ServiceKey) -> Result<Option<AccountKey>> {
        Ok(self.ledger.service(key).await?.and_then(|s| s.account()))
    }
}

/// Whether the account should be limited: an administrator's override, else whether its
/// stored state is past the limit.
fn desired_limited(service: &ServiceRecord, state: ThresholdState) -> bool {
    match service.limit_override {
        Some(LimitOverride::Limited) => true,
        Some(LimitOverride::Standard) => false,
        None => state == ThresholdState::Exceeded,
    }
}

mod products;
use products::switch_plan;
pub use products::{DefinedProduct, ProductEntry, ProductSource};

#[cfg(all(test, feature = "sqlite"))]
mod tests;
