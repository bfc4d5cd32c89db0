//! Crash tests of the billing cycle: an order or a sweep is stopped at every point where
//! it waits on the provider or the ledger (before and after each call: the moments a
//! process can die with the server's or the ledger's work done or not), a new cycle is
//! started on the same ledger and the same server, and the invariants a billing system
//! relies on are checked: no duplicate account, no half-made account, no lost or
//! doubled action, every order ends done or reported failed.
//!
//! A [`CrashWorld`] is one fresh server (in-memory provider or a mock) and one fresh
//! ledger; the scenarios ask for a new world for every crash point. Stopping is done by
//! dropping the future at the point ([`Fuse`]), as a runtime does when its process
//! dies: nothing after that point runs, and nothing is cleaned up.
//!
//! ```
//! # #[cfg(feature = "sqlite")]
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! use std::sync::Arc;
//! use provision_core::ledger::SqlLedger;
//! use provision_core::memory::InMemoryProvider;
//! use provision_core::testkit::crash::{crash_every_create, CrashWorld};
//!
//! let points = crash_every_create(|| async {
//!     let provider = Arc::new(InMemoryProvider::new());
//!     let usage = provider.clone();
//!     CrashWorld::new(
//!         Arc::new(SqlLedger::sqlite_in_memory().await.unwrap()),
//!         provider,
//!         move |user, bytes| usage.set_used(user, provision_core::ByteSize::new(bytes)),
//!     )
//! })
//! .await;
//! assert!(points > 4);
//! # });
//! ```

use std::collections::BTreeSet;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use secrecy::SecretString;
use tokio::sync::watch;

use crate::cycle::BillingCycle;
use crate::error::Result;
use crate::history::{DailyPoint, MonthlyPoint};
use crate::ledger::{
    AccountKey, ActionId, Begun, Ledger, LedgerSample, Operation, OperationState, PendingAction,
    ProductRecord, ServerId, ServerRecord, ServiceKey, ServiceRecord, ServiceStatus, SweepRecord,
};
use crate::provider::{
    AccountInfo, AccountSpec, Capabilities, Plan, QuotaEnforcement, ServerInfo, StorageProvider,
    Usage,
};
use crate::provisioner::{ProductConfig, ServiceContext};
use crate::rules::NamePolicy;
use crate::threshold::{ThresholdAction, ThresholdState};
use crate::username::{GroupName, Username};

/// How long a dead process's service locks hold in the one-process scenarios: short,
/// since only the restarted cycle runs after the crash.
const LOCK_TTL: Duration = Duration::from_millis(30);

/// How long locks hold when two workers run at once: longer than any one order takes,
/// so a live worker's lock is never taken over.
const SHARED_LOCK_TTL: Duration = Duration::from_secs(2);

/// The plan group of the `small` product.
pub const SMALL_GROUP: &str = "crash-small";

/// The plan group of the `large` product.
pub const LARGE_GROUP: &str = "crash-large";

/// Counts the points an operation passes and stops it at one of them.
#[derive(Debug)]
pub struct Fuse {
    passed: AtomicU64,
    trip_at: AtomicU64,
    tripped: watch::Sender<bool>,
}

impl Fuse {
    /// A fuse that never trips until armed.
    pub fn new() -> Arc<Self> {
        Arc::new(Fuse {
            passed: AtomicU64::new(0),
            trip_at: AtomicU64::new(0),
            tripped: watch::Sender::new(false),
        })
    }

    /// Trips at the `at`-th point from now (1 = the next one).
    pub fn arm(&self, at: u64) {
        self.passed.store(0, Ordering::SeqCst);
        self.trip_at.store(at, Ordering::SeqCst);
        self.tripped.send_replace(false);
    }

    /// How many points were passed since it was armed.
    pub fn passed(&self) -> u64 {
        self.passed.load(Ordering::SeqCst)
    }

    /// One point: never returns once the fuse trips here.
    async fn point(&self) {
        let n = self.passed.fetch_add(1, Ordering::SeqCst) + 1;
        if n == self.trip_at.load(Ordering::SeqCst) {
            self.tripped.send_replace(true);
            std::future::pending::<()>().await;
        }
    }

    /// `call` between two points.
    async fn around<T>(&self, call: impl Future<Output = T>) -> T {
        self.point().await;
        let result = call.await;
        self.point().await;
        result
    }

    /// Runs `work` until it finishes (Some) or the fuse trips (None: `work` is dropped
    /// where it stood).
    pub async fn run<T>(&self, work: impl Future<Output = T>) -> Option<T> {
        let mut tripped = self.tripped.subscribe();
        tokio::select! {
            result = work => Some(result),
            _ = tripped.wait_for(|t| *t) => None,
        }
    }
}

/// A provider whose every call passes the fuse before and after.
pub struct FusedProvider {
    inner: Arc<dyn StorageProvider>,
    fuse: Arc<Fuse>,
}

#[async_trait]
impl StorageProvider for FusedProvider {
    fn capabilities(&self) -> Capabilities {
        self.inner.capabilities()
    }
    fn name_policy(&self) -> &NamePolicy {
        self.inner.name_policy()
    }
    async fn test_connection(&self) -> Result<ServerInfo> {
        self.fuse.around(self.inner.test_connection()).await
    }
    async fn account(&self, user: &Username) -> Result<Option<AccountInfo>> {
        self.fuse.around(self.inner.account(user)).await
    }
    async fn check_adoption(&self, user: &Username) -> Result<crate::provider::Adoption> {
        self.fuse.around(self.inner.check_adoption(user)).await
    }
    async fn create_account(&self, spec: &AccountSpec) -> Result<AccountInfo> {
        self.fuse.around(self.inner.create_account(spec)).await
    }
    async fn suspend(&self, user: &Username) -> Result<()> {
        self.fuse.around(self.inner.suspend(user)).await
    }
    async fn unsuspend(&self, user: &Username) -> Result<()> {
        self.fuse.around(self.inner.unsuspend(user)).await
    }
    async fn terminate(&self, user: &Username) -> Result<()> {
        self.fuse.around(self.inner.terminate(user)).await
    }
    async fn change_password(&self, user: &Username, password: &SecretString) -> Result<()> {
        self.fuse
            .around(self.inner.change_password(user, password))
            .await
    }
    async fn change_plan(&self, user: &Username, from: &Plan, to: &Plan) -> Result<()> {
        self.fuse
            .around(self.inner.change_plan(user, from, to))
            .await
    }
    async fn usage(&self, user: &Username) -> Result<Usage> {
        self.fuse.around(self.inner.usage(user)).await
    }
    async fn usage_all(&self) -> Result<Vec<(Username, Usage)>> {
        self.fuse.around(self.inner.usage_all()).await
    }
    async fn usage_many(
        &self,
        users: &[Username],
        concurrency: usize,
    ) -> Result<Vec<Result<Usage>>> {
        self.fuse
            .around(self.inner.usage_many(users, concurrency))
            .await
    }
    async fn list_groups(&self) -> Result<Vec<GroupName>> {
        self.fuse.around(self.inner.list_groups()).await
    }
    async fn set_limited(&self, user: &Username, limited: bool) -> Result<()> {
        self.fuse
            .around(self.inner.set_limited(user, limited))
            .await
    }
    async fn set_limited_on_plan(&self, user: &Username, plan: &Plan, limited: bool) -> Result<()> {
        self.fuse
            .around(self.inner.set_limited_on_plan(user, plan, limited))
            .await
    }
}

/// A ledger whose every call passes the fuse before and after.
pub struct FusedLedger {
    inner: Arc<dyn Ledger>,
    fuse: Arc<Fuse>,
}

#[async_trait]
impl Ledger for FusedLedger {
    async fn put_server(&self, server: &ServerRecord) -> Result<()> {
        self.fuse.around(self.inner.put_server(server)).await
    }
    async fn server(&self, id: &ServerId) -> Result<Option<ServerRecord>> {
        self.fuse.around(self.inner.server(id)).await
    }
    async fn servers(&self) -> Result<Vec<ServerRecord>> {
        self.fuse.around(self.inner.servers()).await
    }
    async fn put_product(&self, product: &ProductRecord) -> Result<()> {
        self.fuse.around(self.inner.put_product(product)).await
    }
    async fn product(&self, name: &str) -> Result<Option<ProductRecord>> {
        self.fuse.around(self.inner.product(name)).await
    }
    async fn products(&self) -> Result<Vec<ProductRecord>> {
        self.fuse.around(self.inner.products()).await
    }
    async fn service(&self, key: &ServiceKey) -> Result<Option<ServiceRecord>> {
        self.fuse.around(self.inner.service(key)).await
    }
    async fn services(&self, server: &ServerId) -> Result<Vec<ServiceRecord>> {
        self.fuse.around(self.inner.services(server)).await
    }
    async fn save_service(&self, service: &ServiceRecord) -> Result<()> {
        self.fuse.around(self.inner.save_service(service)).await
    }
    async fn import_services(&self, services: &[ServiceRecord]) -> Result<()> {
        self.fuse.around(self.inner.import_services(services)).await
    }
    async fn account_owner(
        &self,
        server: &ServerId,
        account_key: &str,
    ) -> Result<Option<ServiceKey>> {
        self.fuse
            .around(self.inner.account_owner(server, account_key))
            .await
    }
    async fn try_lock(
        &self,
        service: &ServiceKey,
        owner: &str,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<bool> {
        self.fuse
            .around(self.inner.try_lock(service, owner, now, until))
            .await
    }
    async fn unlock(&self, service: &ServiceKey, owner: &str) -> Result<()> {
        self.fuse.around(self.inner.unlock(service, owner)).await
    }
    async fn begin_operation(&self, operation: &Operation) -> Result<Begun> {
        self.fuse
            .around(self.inner.begin_operation(operation))
            .await
    }
    async fn finish_operation(
        &self,
        key: &str,
        state: OperationState,
        outcome: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.fuse
            .around(self.inner.finish_operation(key, state, outcome, now))
            .await
    }
    async fn unfinished_operations(&self) -> Result<Vec<Operation>> {
        self.fuse.around(self.inner.unfinished_operations()).await
    }
    async fn operations(&self, service: &ServiceKey) -> Result<Vec<Operation>> {
        self.fuse.around(self.inner.operations(service)).await
    }
    async fn threshold_states(
        &self,
        server: &ServerId,
    ) -> Result<std::collections::BTreeMap<Username, ThresholdState>> {
        self.fuse.around(self.inner.threshold_states(server)).await
    }
    async fn record_sweep(
        &self,
        server: &ServerId,
        sweep: &SweepRecord,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.fuse
            .around(self.inner.record_sweep(server, sweep, now))
            .await
    }
    async fn pending_actions(
        &self,
        consumer: &str,
        limit: u32,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> Result<Vec<PendingAction>> {
        self.fuse
            .around(
                self.inner
                    .pending_actions(consumer, limit, now, lease_until),
            )
            .await
    }
    async fn confirm(&self, id: ActionId, now: DateTime<Utc>) -> Result<bool> {
        self.fuse.around(self.inner.confirm(id, now)).await
    }
    async fn confirm_many(&self, ids: &[ActionId], now: DateTime<Utc>) -> Result<u64> {
        self.fuse.around(self.inner.confirm_many(ids, now)).await
    }
    async fn release_actions(&self, consumer: &str, ids: &[ActionId]) -> Result<()> {
        self.fuse
            .around(self.inner.release_actions(consumer, ids))
            .await
    }
    async fn forget_account(&self, account: &AccountKey) -> Result<()> {
        self.fuse.around(self.inner.forget_account(account)).await
    }
    async fn set_applied_limited(
        &self,
        server: &ServerId,
        applied: &[(String, bool)],
    ) -> Result<()> {
        self.fuse
            .around(self.inner.set_applied_limited(server, applied))
            .await
    }
    async fn samples(
        &self,
        account: &AccountKey,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<LedgerSample>> {
        self.fuse
            .around(self.inner.samples(account, from, to))
            .await
    }
    async fn daily(
        &self,
        account: &AccountKey,
        days: u32,
        now: DateTime<Utc>,
        zone: chrono_tz::Tz,
    ) -> Result<Vec<DailyPoint>> {
        self.fuse
            .around(self.inner.daily(account, days, now, zone))
            .await
    }
    async fn monthly(
        &self,
        account: &AccountKey,
        months: u32,
        now: DateTime<Utc>,
        zone: chrono_tz::Tz,
    ) -> Result<Vec<MonthlyPoint>> {
        self.fuse
            .around(self.inner.monthly(account, months, now, zone))
            .await
    }
}

/// Sets an account's usage on the world's server, in bytes.
pub type SetUsed = Box<dyn Fn(&Username, u64) + Send + Sync>;

/// One fresh server and one fresh ledger.
pub struct CrashWorld {
    /// The ledger every "process" of the test shares.
    pub ledger: Arc<dyn Ledger>,
    /// The server every "process" of the test shares.
    pub provider: Arc<dyn StorageProvider>,
    /// Sets an account's usage on the server.
    pub set_used: SetUsed,
    /// The server's name in the ledger.
    pub server: ServerId,
    /// The living worker's own handle on the same store in [`two_workers_one_dies`]
    /// (another pool on the same database); None: both workers share `ledger`.
    second_ledger: Option<Arc<dyn Ledger>>,
    lock_ttl: Duration,
}

impl CrashWorld {
    /// A world on `ledger` (empty) and `provider` (with no accounts but its admins').
    pub fn new(
        ledger: Arc<dyn Ledger>,
        provider: Arc<dyn StorageProvider>,
        set_used: impl Fn(&Username, u64) + Send + Sync + 'static,
    ) -> Self {
        CrashWorld {
            ledger,
            provider,
            set_used: Box::new(set_used),
            server: ServerId::new("crash").expect("a valid server id"),
            second_ledger: None,
            lock_ttl: LOCK_TTL,
        }
    }

    /// The products the scenarios sell: `small` (1 GB, warn at 80 %, group
    /// [`SMALL_GROUP`]) and `large` (2 GB, group [`LARGE_GROUP`]). Each has a plan group,
    /// as DSM needs one to enforce a quota (its mock must have both groups made first).
    pub fn products() -> [(&'static str, ProductConfig); 2] {
        let product = |quota, group| {
            ProductConfig::new("crash{client_id}x{service_id}", "16", quota)
                .expect("a valid product")
                .notify_at(80)
                .with_group(GroupName::new(group).expect("a valid group name"))
        };
        [
            ("small", product("1 GB", SMALL_GROUP)),
            ("large", product("2 GB", LARGE_GROUP)),
        ]
    }

    /// Names the server in the ledger `server` instead of `crash`: worlds sharing one
    /// ledger (one PostgreSQL database per scenario) each get their own server.
    pub fn with_server(mut self, server: ServerId) -> Self {
        self.server = server;
        self
    }

    /// Gives the living worker of [`two_workers_one_dies`] its own handle on the same
    /// store as `ledger` (two workers = two connection pools on one database).
    pub fn with_second_ledger(mut self, ledger: Arc<dyn Ledger>) -> Self {
        self.second_ledger = Some(ledger);
        self
    }

    /// A cycle on this world; with a fuse, every provider and ledger call passes it.
    pub fn cycle(&self, fuse: Option<&Arc<Fuse>>, worker: &str) -> BillingCycle {
        self.cycle_on(&self.ledger, fuse, worker)
    }

    fn cycle_on(
        &self,
        ledger: &Arc<dyn Ledger>,
        fuse: Option<&Arc<Fuse>>,
        worker: &str,
    ) -> BillingCycle {
        let (ledger, provider): (Arc<dyn Ledger>, Arc<dyn StorageProvider>) = match fuse {
            Some(fuse) => (
                Arc::new(FusedLedger {
                    inner: ledger.clone(),
                    fuse: fuse.clone(),
                }),
                Arc::new(FusedProvider {
                    inner: self.provider.clone(),
                    fuse: fuse.clone(),
                }),
            ),
            None => (ledger.clone(), self.provider.clone()),
        };
        let mut cycle = BillingCycle::new(ledger)
            .with_server(self.server.clone(), provider)
            .with_worker(worker)
            .with_lock_timing(self.lock_ttl, Duration::from_secs(20));
        for (name, product) in Self::products() {
            cycle = cycle.with_product(name, product);
        }
        cycle
    }

    /// The accounts on the server now.
    pub async fn accounts(&self) -> BTreeSet<String> {
        match self.provider.usage_all().await {
            Ok(all) => all
                .into_iter()
                .map(|(u, _)| u.as_str().to_lowercase())
                .collect(),
            Err(e) => panic!("crash test: cannot list the server's accounts: {e}"),
        }
    }
}

/// Makes a fresh world for each crash point.
pub trait WorldFactory {
    /// The future making a world.
    type Future: Future<Output = CrashWorld>;
    /// A fresh world.
    fn make(&self) -> Self::Future;
}

impl<F, Fut> WorldFactory for F
where
    F: Fn() -> Fut,
    Fut: Future<Output = CrashWorld>,
{
    type Future = Fut;
    fn make(&self) -> Fut {
        self()
    }
}

fn ctx(service: u32) -> ServiceContext {
    ServiceContext::new("7", service.to_string())
}

/// Waits until the crashed process's locks have ended.
async fn after_crash() {
    tokio::time::sleep(LOCK_TTL + Duration::from_millis(10)).await;
}

/// Waits until a crashed worker's locks have ended when two share the world.
async fn after_shared_crash() {
    tokio::time::sleep(SHARED_LOCK_TTL + Duration::from_millis(10)).await;
}

/// Checks that the world's orders all ended: nothing left started, no service left
/// creating or terminating; panics naming `point` otherwise.
pub async fn assert_settled(world: &CrashWorld, point: u64) {
    let unfinished = world.ledger.unfinished_operations().await.expect("journal");
    assert!(
        unfinished.is_empty(),
        "point {point}: operations left started: {unfinished:?}"
    );
    for service in world
        .ledger
        .services(&world.server)
        .await
        .expect("services")
    {
        assert!(
            !matches!(
                service.status,
                ServiceStatus::Creating | ServiceStatus::Terminating
            ),
            "point {point}: service {} left {}",
            service.key,
            service.status
        );
    }
}

/// Checks that the server holds exactly the accounts of the ledger's live services,
/// beyond the `baseline` it had at the start (its administrators'): no duplicate, no
/// orphan; panics naming `point` otherwise.
pub async fn assert_one_account_per_service(
    world: &CrashWorld,
    baseline: &BTreeSet<String>,
    point: u64,
) {
    let mut expected = BTreeSet::new();
    for service in world
        .ledger
        .services(&world.server)
        .await
        .expect("services")
    {
        if service.status.holds_account() {
            let name = service.username.expect("a live service has a name");
            expected.insert(name.as_str().to_lowercase());
        }
    }
    let now: BTreeSet<String> = world
        .accounts()
        .await
        .difference(baseline)
        .cloned()
        .collect();
    assert_eq!(
        now, expected,
        "point {point}: the server's accounts are not the ledger's"
    );
}

/// Checks that the account holds the product's plan (quota where the server reports
/// one, exactly the product's plan groups where it has groups); panics naming `point`.
pub async fn assert_plan(world: &CrashWorld, user: &Username, product: &str, point: u64) {
    let account = world
        .provider
        .account(user)
        .await
        .expect("account lookup")
        .unwrap_or_else(|| panic!("point {point}: account {user} is missing"));
    let (_, config) = CrashWorld::products()
        .into_iter()
        .find(|(name, _)| *name == product)
        .expect("a known product");
    if let Some(quota) = account.quota {
        assert_eq!(
            quota, config.quota,
            "point {point}: {user} has the wrong quota"
        );
    }
    if world.provider.capabilities().groups {
        for (name, other) in CrashWorld::products() {
            for group in &other.groups {
                let member = account.groups.contains(group);
                let wanted = config.groups.contains(group);
                assert_eq!(
                    member, wanted,
                    "point {point}: {user} on {product}: member of {name}'s group {group}: {member}"
                );
            }
        }
    }
}

/// Runs recovery, which must settle everything it finds.
async fn recover_cleanly(cycle: &BillingCycle, point: u64) {
    let recovery = cycle.recover().await.expect("recovery");
    assert!(
        recovery.failed.is_empty(),
        "point {point}: recovery failed: {:?}",
        recovery.failed
    );
}

/// A fresh world with service 1 created on `small`, and a cycle armed to crash at
/// `point`.
struct Prepared {
    world: CrashWorld,
    baseline: BTreeSet<String>,
    setup: BillingCycle,
    created: crate::cycle::Created,
    fuse: Arc<Fuse>,
    crashed: BillingCycle,
}

async fn prepare(factory: &impl WorldFactory, point: u64) -> Prepared {
    let world = factory.make().await;
    let baseline = world.accounts().await;
    let setup = world.cycle(None, "setup");
    let created = setup
        .create(&world.server, &ctx(1), "small")
        .await
        .expect("create");
    let fuse = Fuse::new();
    let crashed = world.cycle(Some(&fuse), "first");
    fuse.arm(point);
    Prepared {
        world,
        baseline,
        setup,
        created,
        fuse,
        crashed,
    }
}

/// Crashes a create at every point, then restarts and either retries the order or
/// runs recovery first (alternately). Returns how many points the create passes.
pub async fn crash_every_create(factory: impl WorldFactory) -> u64 {
    let mut point = 1;
    loop {
        let world = factory.make().await;
        let baseline = world.accounts().await;
        let fuse = Fuse::new();
        let crashed = world.cycle(Some(&fuse), "first");
        fuse.arm(point);
        let outcome = fuse
            .run(crashed.create(&world.server, &ctx(1), "small"))
            .await;
        drop(crashed);
        if let Some(result) = outcome {
            let created = result.unwrap_or_else(|e| panic!("create without a crash failed: {e}"));
            assert_plan(&world, &created.username, "small", point).await;
            assert_one_account_per_service(&world, &baseline, point).await;
            return point - 1;
        }
        after_crash().await;
        let restarted = world.cycle(None, "second");
        if point % 2 == 0 {
            recover_cleanly(&restarted, point).await;
            assert_settled(&world, point).await;
            assert_one_account_per_service(&world, &baseline, point).await;
        }
        let created = restarted
            .create(&world.server, &ctx(1), "small")
            .await
            .unwrap_or_else(|e| panic!("point {point}: the retried order failed: {e}"));
        // No password only when an earlier call finished the order (the crash came
        // after the ledger said active): the caller then sets one.
        assert!(
            created.password.is_some() || created.resumed,
            "point {point}: the order never returned a password, so the retry must"
        );
        assert_plan(&world, &created.username, "small", point).await;
        assert_one_account_per_service(&world, &baseline, point).await;
        assert_settled(&world, point).await;
        point += 1;
    }
}

/// Crashes a plan change at every point; after a restart, recovery or a retry finishes
/// it. Returns how many points the change passes.
pub async fn crash_every_change_plan(factory: impl WorldFactory) -> u64 {
    let mut point = 1;
    loop {
        let Prepared {
            world,
            baseline,
            created,
            fuse,
            crashed,
            ..
        } = prepare(&factory, point).await;
        let key = created.service.key.clone();
        // The billing system's key names one order in the whole ledger: worlds sharing
        // a ledger (one PostgreSQL database per scenario) are different orders.
        let order = format!("plan-1@{}", world.server);
        let outcome = fuse
            .run(crashed.change_plan(&key, "large", Some(&order)))
            .await;
        drop(crashed);
        let restarted = world.cycle(None, "second");
        match outcome {
            Some(result) => {
                result.unwrap_or_else(|e| panic!("change without a crash failed: {e}"));
                assert_plan(&world, &created.username, "large", point).await;
                return point - 1;
            }
            None => {
                after_crash().await;
                if point % 2 == 0 {
                    recover_cleanly(&restarted, point).await;
                }
                // The caller never got an answer, so it asks again (answered from the
                // journal when recovery finished it).
                restarted
                    .change_plan(&key, "large", Some(&order))
                    .await
                    .unwrap_or_else(|e| panic!("point {point}: the retried change failed: {e}"));
            }
        }
        let service = world
            .ledger
            .service(&key)
            .await
            .expect("service")
            .expect("recorded");
        assert_eq!(
            service.product, "large",
            "point {point}: the change was lost"
        );
        assert_plan(&world, &created.username, "large", point).await;
        assert_one_account_per_service(&world, &baseline, point).await;
        assert_settled(&world, point).await;
        point += 1;
    }
}

/// Crashes a termination at every point; after a restart, recovery or a retry finishes
/// it, and the account's threshold state is gone. Returns how many points it passes.
pub async fn crash_every_terminate(factory: impl WorldFactory) -> u64 {
    let mut point = 1;
    loop {
        let Prepared {
            world,
            baseline,
            setup,
            created,
            fuse,
            crashed,
        } = prepare(&factory, point).await;
        let key = created.service.key.clone();
        // Over the limit, so there is a state (and an action) to forget.
        (world.set_used)(&created.username, 3 << 30);
        setup.sweep(&world.server, Utc::now()).await.expect("sweep");
        let outcome = fuse.run(crashed.terminate(&key, None)).await;
        drop(crashed);
        let finished = outcome.is_some();
        if let Some(result) = outcome {
            result.unwrap_or_else(|e| panic!("terminate without a crash failed: {e}"));
        } else {
            after_crash().await;
            let restarted = world.cycle(None, "second");
            if point % 2 == 0 {
                recover_cleanly(&restarted, point).await;
            }
            restarted
                .terminate(&key, None)
                .await
                .unwrap_or_else(|e| panic!("point {point}: the retried termination failed: {e}"));
        }
        let service = world
            .ledger
            .service(&key)
            .await
            .expect("service")
            .expect("recorded");
        assert_eq!(service.status, ServiceStatus::Terminated, "point {point}");
        assert!(
            world
                .provider
                .account(&created.username)
                .await
                .expect("lookup")
                .is_none(),
            "point {point}: the account survived its termination"
        );
        let states = world
            .ledger
            .threshold_states(&world.server)
            .await
            .expect("states");
        assert!(
            states.is_empty(),
            "point {point}: the state outlived the account"
        );
        assert_one_account_per_service(&world, &baseline, point).await;
        assert_settled(&world, point).await;
        if finished {
            return point - 1;
        }
        point += 1;
    }
}

/// Crashes a sweep at every point; after a restart, the next sweep and the outbox
/// together owe each action exactly once, and (on MinIO-like backends) the limit policy
/// ends as the usage says. Returns how many points the sweep passes.
pub async fn crash_every_sweep(factory: impl WorldFactory) -> u64 {
    let mut point = 1;
    loop {
        let world = factory.make().await;
        let setup = world.cycle(None, "setup");
        let mut names = Vec::new();
        for service in 1..=3 {
            let created = setup
                .create(&world.server, &ctx(service), "small")
                .await
                .expect("create");
            names.push(created.username);
        }
        // 1 GB quota, warn at 80 %: near, over, normal.
        (world.set_used)(&names[0], 900 << 20);
        (world.set_used)(&names[1], 2 << 30);
        (world.set_used)(&names[2], 1 << 20);
        let fuse = Fuse::new();
        let crashed = world.cycle(Some(&fuse), "first");
        fuse.arm(point);
        let outcome = fuse.run(crashed.sweep(&world.server, Utc::now())).await;
        drop(crashed);
        let finished = outcome.is_some();
        if let Some(result) = outcome {
            result.unwrap_or_else(|e| panic!("sweep without a crash failed: {e}"));
        }
        after_crash().await;
        let restarted = world.cycle(None, "second");
        restarted
            .sweep(&world.server, Utc::now())
            .await
            .expect("the next sweep");
        let mut owed = Vec::new();
        loop {
            let batch = restarted
                .pending_actions(50, Duration::from_secs(60))
                .await
                .expect("outbox");
            if batch.is_empty() {
                break;
            }
            for action in batch {
                owed.push((action.username.as_str().to_string(), action.kind));
                restarted.confirm(action.id).await.expect("confirm");
            }
        }
        owed.sort_by(|a, b| a.0.cmp(&b.0));
        let mut expected = vec![
            (
                names[0].as_str().to_string(),
                ThresholdAction::NotifyNearLimit,
            ),
            (
                names[1].as_str().to_string(),
                ThresholdAction::LimitExceeded,
            ),
        ];
        expected.sort_by(|a, b| a.0.cmp(&b.0));
        assert_eq!(owed, expected, "point {point}: actions lost or doubled");
        if world.provider.capabilities().quota_enforcement == QuotaEnforcement::PolicySwitch {
            for (index, name) in names.iter().enumerate() {
                let key = ServiceKey::new(world.server.clone(), (index + 1).to_string());
                let service = world
                    .ledger
                    .service(&key)
                    .await
                    .expect("service")
                    .expect("recorded");
                assert_eq!(
                    service.applied_limited.unwrap_or(false),
                    index == 1,
                    "point {point}: {name}'s limit policy is not what its usage says"
                );
            }
        }
        if finished {
            return point - 1;
        }
        point += 1;
    }
}

/// Two workers take the same five orders at once; the first dies at `point`. After
/// recovery, every service has exactly one account and every order ended.
pub async fn two_workers_one_dies(mut world: CrashWorld, point: u64) {
    world.lock_ttl = SHARED_LOCK_TTL;
    let world = &world;
    let baseline = world.accounts().await;
    let fuse = Fuse::new();
    let dying = world.cycle(Some(&fuse), "dying");
    let living = world.cycle_on(
        world.second_ledger.as_ref().unwrap_or(&world.ledger),
        None,
        "living",
    );
    fuse.arm(point);
    let dying_run = fuse.run(async {
        for service in 1..=5 {
            let _ = dying.create(&world.server, &ctx(service), "small").await;
        }
    });
    let living_run = async {
        let mut results = Vec::new();
        for service in (1..=5).rev() {
            results.push(living.create(&world.server, &ctx(service), "small").await);
        }
        results
    };
    let (_, results) = tokio::join!(dying_run, living_run);
    drop(dying);
    for result in results {
        result.unwrap_or_else(|e| panic!("point {point}: the living worker's order failed: {e}"));
    }
    after_shared_crash().await;
    recover_cleanly(&living, point).await;
    assert_settled(world, point).await;
    assert_one_account_per_service(world, &baseline, point).await;
    for service in world
        .ledger
        .services(&world.server)
        .await
        .expect("services")
    {
        assert_eq!(
            service.status,
            ServiceStatus::Active,
            "point {point}: {}",
            service.key
        );
    }
}
