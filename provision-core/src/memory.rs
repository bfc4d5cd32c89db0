//! [`InMemoryProvider`]: a [`StorageProvider`] that behaves like a server, for tests.
//!
//! It enforces the rules a server enforces (name policy, collisions, missing accounts,
//! missing groups when groups must exist, short passwords), keeps every account's state,
//! lets tests set usage and inject faults, and counts the calls made to it.
//!
//! ```
//! use provision_core::memory::{InMemoryProvider, Operation};
//! use provision_core::{AccountSpec, ByteSize, ErrorKind, Plan, Quota, StorageProvider, Username};
//!
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! let provider = InMemoryProvider::new();
//! let alice = Username::new("alice").unwrap();
//! provider
//!     .create_account(&AccountSpec {
//!         username: alice.clone(),
//!         password: "correct horse 1A!".to_string().into(),
//!         email: None,
//!         display_name: None,
//!         plan: Plan::new("10 GB".parse().unwrap()),
//!     })
//!     .await
//!     .unwrap();
//! provider.set_used(&alice, ByteSize::new(5 << 30));
//! assert_eq!(provider.usage(&alice).await.unwrap().used, Some(ByteSize::new(5 << 30)));
//!
//! provider.fail_next(Operation::Suspend, ErrorKind::Transient, 1);
//! assert!(provider.suspend(&alice).await.is_err());
//! assert!(provider.suspend(&alice).await.is_ok());
//! # });
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use async_trait::async_trait;
use secrecy::{ExposeSecret, SecretString};

use crate::error::{Error, ErrorKind, Result, ServerError, TransportError, TransportFailure};
use crate::provider::{
    AccountInfo, AccountSpec, AccountStatus, Capabilities, Plan, QuotaEnforcement, ServerInfo,
    StorageProvider, Usage,
};
use crate::quota::{ByteSize, Quota};
use crate::rules::{CaseRule, EdgeRule, NamePolicy};
use crate::undo::Undoable;
use crate::username::{GroupName, Username};

const BACKEND: &str = "in-memory";

/// The name policy of [`InMemoryProvider::new`]: ASCII letters, digits and `._-@`, 1 to 64
/// characters, starting with a letter or digit, case-sensitive.
pub static IN_MEMORY_POLICY: NamePolicy = NamePolicy {
    backend: BACKEND,
    allowed: |c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'),
    allowed_description: "A-Z, a-z, 0-9 and . _ - @",
    replacement: Some('-'),
    min_len: 1,
    max_len: 64,
    case: CaseRule::Sensitive,
    first: EdgeRule::Alphanumeric,
    last: EdgeRule::Any,
    reserved: &["admin", "root"],
};

/// A provider call, for fault injection and call counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Operation {
    /// `test_connection`
    TestConnection,
    /// `account`
    Account,
    /// `create_account`
    Create,
    /// `suspend`
    Suspend,
    /// `unsuspend`
    Unsuspend,
    /// `terminate`
    Terminate,
    /// `change_password`
    ChangePassword,
    /// `change_plan`
    ChangePlan,
    /// `usage`
    Usage,
    /// `usage_all`
    UsageAll,
    /// `list_groups`
    ListGroups,
    /// `set_limited`
    SetLimited,
}

/// How an injected fault fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultMode {
    /// The server answers with an error of this kind; nothing is changed.
    Refuse(ErrorKind),
    /// The call times out before the server acts; nothing is changed.
    TimeoutBefore,
    /// The server carries the call out, but the answer times out.
    TimeoutAfter,
}

#[derive(Debug)]
struct Fault {
    operation: Operation,
    mode: FaultMode,
    remaining: u32,
}

struct Account {
    name: Username,
    password: SecretString,
    email: Option<String>,
    display_name: Option<String>,
    status: AccountStatus,
    quota: Quota,
    groups: BTreeSet<GroupName>,
    used: Option<ByteSize>,
    limited: bool,
}

#[derive(Default)]
struct State {
    /// Keyed by the policy's uniqueness key (lower-cased unless case-sensitive).
    accounts: BTreeMap<String, Account>,
    groups: BTreeSet<GroupName>,
    faults: Vec<Fault>,
}

/// A [`StorageProvider`] kept in memory that enforces a server's rules.
pub struct InMemoryProvider {
    policy: NamePolicy,
    capabilities: Capabilities,
    groups_must_exist: bool,
    state: Mutex<State>,
    calls: AtomicU64,
}

impl Default for InMemoryProvider {
    fn default() -> Self {
        Self::new()
    }
}

impl InMemoryProvider {
    /// A provider with [`IN_MEMORY_POLICY`], groups created on demand, and capabilities of
    /// a policy-switching backend with bulk usage.
    pub fn new() -> Self {
        InMemoryProvider {
            policy: IN_MEMORY_POLICY.clone(),
            capabilities: Capabilities {
                quota_enforcement: QuotaEnforcement::PolicySwitch,
                groups: true,
                buckets: false,
                bulk_usage: true,
            },
            groups_must_exist: false,
            state: Mutex::new(State::default()),
            calls: AtomicU64::new(0),
        }
    }

    /// Uses another name policy.
    pub fn with_policy(mut self, policy: NamePolicy) -> Self {
        self.policy = policy;
        self
    }

    /// Reports other capabilities. With `bulk_usage: false`, `usage_all` counts one call
    /// per account, as on a backend without a bulk API.
    pub fn with_capabilities(mut self, capabilities: Capabilities) -> Self {
        self.capabilities = capabilities;
        self
    }

    /// Requires plan groups to exist already (as Synology's pre-configured groups),
    /// instead of creating them on demand.
    pub fn with_preconfigured_groups(
        mut self,
        groups: impl IntoIterator<Item = GroupName>,
    ) -> Self {
        self.groups_must_exist = true;
        self.lock().groups.extend(groups);
        self
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic in a test while holding the lock leaves usable state behind.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn key(&self, name: &str) -> String {
        match self.policy.case {
            CaseRule::Sensitive => name.to_string(),
            CaseRule::Insensitive | CaseRule::Lower => name.to_lowercase(),
        }
    }

    /// Makes the next `times` calls of `operation` fail with a server error of `kind`.
    pub fn fail_next(&self, operation: Operation, kind: ErrorKind, times: u32) {
        self.inject(operation, FaultMode::Refuse(kind), times);
    }

    /// Makes the next `times` calls of `operation` fail as `mode` says.
    pub fn inject(&self, operation: Operation, mode: FaultMode, times: u32) {
        self.lock().faults.push(Fault {
            operation,
            mode,
            remaining: times,
        });
    }

    /// Sets the bytes an account uses (None: the server does not know yet).
    pub fn set_used(&self, user: &Username, used: impl Into<Option<ByteSize>>) {
        let key = self.key(user.as_str());
        if let Some(a) = self.lock().accounts.get_mut(&key) {
            a.used = used.into();
        }
    }

    /// Adds a group to the server.
    pub fn add_group(&self, group: GroupName) {
        self.lock().groups.insert(group);
    }

    /// How many provider calls were made.
    pub fn call_count(&self) -> u64 {
        self.calls.load(Ordering::Relaxed)
    }

    /// Whether `password` is the account's password.
    pub fn password_matches(&self, user: &Username, password: &str) -> bool {
        let key = self.key(user.as_str());
        self.lock()
            .accounts
            .get(&key)
            .is_some_and(|a| a.password.expose_secret() == password)
    }

    /// Whether the account is switched to its limited policy.
    pub fn is_limited(&self, user: &Username) -> bool {
        let key = self.key(user.as_str());
        self.lock().accounts.get(&key).is_some_and(|a| a.limited)
    }

    /// The names of every account, sorted.
    pub fn account_names(&self) -> Vec<Username> {
        self.lock()
            .accounts
            .values()
            .map(|a| a.name.clone())
            .collect()
    }

    /// The groups on the server, sorted.
    pub fn group_names(&self) -> Vec<GroupName> {
        self.lock().groups.iter().cloned().collect()
    }

    /// Counts the call and takes a matching injected fault, if any.
    fn enter(&self, operation: Operation) -> Option<FaultMode> {
        self.calls.fetch_add(1, Ordering::Relaxed);
        let mut state = self.lock();
        let index = state
            .faults
            .iter()
            .position(|f| f.operation == operation && f.remaining > 0)?;
        let fault = &mut state.faults[index];
        fault.remaining -= 1;
        let mode = fault.mode;
        if fault.remaining == 0 {
            state.faults.remove(index);
        }
        Some(mode)
    }

    /// Runs `apply` under the fault rules of `operation`.
    fn call<T>(
        &self,
        operation: Operation,
        apply: impl FnOnce(&mut State) -> Result<T>,
    ) -> Result<T> {
        match self.enter(operation) {
            None => apply(&mut self.lock()),
            Some(FaultMode::Refuse(kind)) => Err(ServerError::new(BACKEND, kind, "injected fault")
                .with_code("injected")
                .into()),
            Some(FaultMode::TimeoutBefore) => Err(timeout()),
            Some(FaultMode::TimeoutAfter) => {
                apply(&mut self.lock())?;
                Err(timeout())
            }
        }
    }

    /// The server side of a create, under the fault rules.
    fn create_now(&self, key: &str, name: &Username, spec: &AccountSpec) -> Result<AccountInfo> {
        self.call(Operation::Create, |s| {
            if s.accounts.contains_key(key) {
                return Err(Error::AccountExists {
                    username: name.to_string(),
                });
            }
            self.check_groups(s, &spec.plan)?;
            let account = Account {
                name: name.clone(),
                password: spec.password.clone(),
                email: spec.email.clone(),
                display_name: spec.display_name.clone(),
                status: AccountStatus::Active,
                quota: spec.plan.quota,
                groups: spec.plan.groups.iter().cloned().collect(),
                used: Some(ByteSize::ZERO),
                limited: false,
            };
            let out = info(&account);
            s.accounts.insert(key.to_string(), account);
            Ok(out)
        })
    }

    fn check_groups(&self, state: &mut State, plan: &Plan) -> Result<()> {
        for group in &plan.groups {
            if !state.groups.contains(group) {
                if self.groups_must_exist {
                    return Err(ServerError::new(
                        BACKEND,
                        ErrorKind::NotFound,
                        format!("group {group} does not exist"),
                    )
                    .into());
                }
                state.groups.insert(group.clone());
            }
        }
        Ok(())
    }
}

fn timeout() -> Error {
    Error::Transport(TransportError {
        backend: BACKEND,
        failure: TransportFailure::Timeout,
        message: "injected timeout".into(),
        source: None,
    })
}

fn not_found(user: &Username) -> Error {
    Error::AccountNotFound {
        username: user.to_string(),
    }
}

fn check_password(password: &SecretString) -> Result<()> {
    if password.expose_secret().chars().count() < 8 {
        return Err(Error::invalid("password", "shorter than 8 characters"));
    }
    Ok(())
}

fn info(a: &Account) -> AccountInfo {
    AccountInfo {
        username: a.name.clone(),
        status: a.status,
        email: a.email.clone(),
        display_name: a.display_name.clone(),
        quota: Some(a.quota),
        groups: a.groups.iter().cloned().collect(),
    }
}

#[async_trait]
impl StorageProvider for InMemoryProvider {
    fn capabilities(&self) -> Capabilities {
        self.capabilities
    }

    fn name_policy(&self) -> &NamePolicy {
        &self.policy
    }

    async fn test_connection(&self) -> Result<ServerInfo> {
        self.call(Operation::TestConnection, |_| {
            Ok(ServerInfo {
                backend: BACKEND,
                product: "in-memory".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
                is_admin: true,
                details: BTreeMap::new(),
            })
        })
    }

    async fn account(&self, user: &Username) -> Result<Option<AccountInfo>> {
        let key = self.key(user.as_str());
        self.call(Operation::Account, |s| Ok(s.accounts.get(&key).map(info)))
    }

    async fn create_account(&self, spec: &AccountSpec) -> Result<AccountInfo> {
        let name = self.policy.validate(spec.username.as_str())?;
        check_password(&spec.password)?;
        let key = self.key(name.as_str());
        // One step, settled by one lookup when its answer is lost, as every provider's
        // create is (see `undo`).
        let mut create = Undoable::new("create");
        let created = create.step_settled(
            format!("account {name}"),
            async { self.create_now(&key, &name, spec) },
            || async { self.account(&name).await },
            || async { Ok(()) },
        );
        let account = created.await?;
        create.finish();
        Ok(account)
    }

    async fn suspend(&self, user: &Username) -> Result<()> {
        let key = self.key(user.as_str());
        self.call(Operation::Suspend, |s| {
            let a = s.accounts.get_mut(&key).ok_or_else(|| not_found(user))?;
            a.status = AccountStatus::Suspended;
            Ok(())
        })
    }

    async fn unsuspend(&self, user: &Username) -> Result<()> {
        let key = self.key(user.as_str());
        self.call(Operation::Unsuspend, |s| {
            let a = s.accounts.get_mut(&key).ok_or_else(|| not_found(user))?;
            a.status = AccountStatus::Active;
            Ok(())
        })
    }

    async fn terminate(&self, user: &Username) -> Result<()> {
        let key = self.key(user.as_str());
        self.call(Operation::Terminate, |s| {
            s.accounts.remove(&key);
            Ok(())
        })
    }

    async fn change_password(&self, user: &Username, password: &SecretString) -> Result<()> {
        check_password(password)?;
        let key = self.key(user.as_str());
        self.call(Operation::ChangePassword, |s| {
            let a = s.accounts.get_mut(&key).ok_or_else(|| not_found(user))?;
            a.password = password.clone();
            Ok(())
        })
    }

    async fn change_plan(&self, user: &Username, from: &Plan, to: &Plan) -> Result<()> {
        let key = self.key(user.as_str());
        self.call(Operation::ChangePlan, |s| {
            if !s.accounts.contains_key(&key) {
                return Err(not_found(user));
            }
            self.check_groups(s, to)?;
            let a = s.accounts.get_mut(&key).ok_or_else(|| not_found(user))?;
            a.quota = to.quota;
            for old in from.groups.iter().filter(|g| !to.groups.contains(g)) {
                a.groups.remove(old);
            }
            a.groups.extend(to.groups.iter().cloned());
            Ok(())
        })
    }

    async fn usage(&self, user: &Username) -> Result<Usage> {
        let key = self.key(user.as_str());
        self.call(Operation::Usage, |s| {
            let a = s.accounts.get(&key).ok_or_else(|| not_found(user))?;
            Ok(Usage {
                used: a.used,
                quota: Some(a.quota),
                measured_at: None,
            })
        })
    }

    async fn usage_all(&self) -> Result<Vec<(Username, Usage)>> {
        let per_account = !self.capabilities.bulk_usage;
        self.call(Operation::UsageAll, |s| {
            if per_account {
                // A backend without a bulk API reads every account on its own: count
                // those reads as the calls they would be.
                let reads = s.accounts.len().saturating_sub(1) as u64;
                self.calls.fetch_add(reads, Ordering::Relaxed);
            }
            Ok(s.accounts
                .values()
                .map(|a| {
                    let usage = Usage {
                        used: a.used,
                        quota: Some(a.quota),
                        measured_at: None,
                    };
                    (a.name.clone(), usage)
                })
                .collect())
        })
    }

    async fn list_groups(&self) -> Result<Vec<GroupName>> {
        self.call(Operation::ListGroups, |s| {
            Ok(s.groups.iter().cloned().collect())
        })
    }

    async fn set_limited(&self, user: &Username, limited: bool) -> Result<()> {
        let key = self.key(user.as_str());
        self.call(Operation::SetLimited, |s| {
            let a = s.accounts.get_mut(&key).ok_or_else(|| not_found(user))?;
            a.limited = limited;
            Ok(())
        })
    }
}
