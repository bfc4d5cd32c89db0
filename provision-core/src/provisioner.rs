//! The orchestration a billing system calls: create accounts from a product's rules,
//! and sweep usage into history, thresholds and actions.
//!
//! ```
//! use std::sync::Arc;
//! use provision_core::history::InMemoryHistory;
//! use provision_core::memory::InMemoryProvider;
//! use provision_core::provisioner::{ProductConfig, Provisioner, ServiceContext, SweepAccount};
//! use provision_core::threshold::ThresholdAction;
//! use provision_core::ByteSize;
//!
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! let provider = Arc::new(InMemoryProvider::new());
//! let provisioner = Provisioner::new(provider.clone());
//! let product = ProductConfig::new("cust{client_id}", "16", "10 GB")
//!     .unwrap()
//!     .notify_at(90);
//! let ctx = ServiceContext::new("42", "7");
//! let created = provisioner.create(&ctx, &product).await.unwrap();
//! assert_eq!(created.username.as_str(), "cust42");
//!
//! provider.set_used(&created.username, ByteSize::new(9 << 30));
//! let history = InMemoryHistory::new();
//! let accounts = [SweepAccount::new(created.username.clone(), &product)];
//! let report = provisioner.sweep(&accounts, &history, chrono::Utc::now()).await.unwrap();
//! assert_eq!(report.outcomes[0].actions, vec![ThresholdAction::NotifyNearLimit]);
//! # });
//! ```

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use rand::SeedableRng;
use secrecy::SecretString;

use crate::concurrency::bounded;
use crate::error::{Error, ErrorKind, InputError, Result};
use crate::history::{HistoryStore, Sample};
use crate::notify::Template;
use crate::provider::{AccountInfo, AccountSpec, Plan, QuotaEnforcement, StorageProvider, Usage};
use crate::quota::{ByteSize, Quota, Unit};
use crate::rules::{
    resolve_unique, CaseRule, CollisionLimits, GeneratePassword, NameContext, NameRule,
    PasswordRule,
};
use crate::threshold::{evaluate, Evaluation, ThresholdAction, ThresholdState};
use crate::username::{GroupName, Username};

/// Who the account is for: the billing system's service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceContext {
    /// The billing system's client id (`{client_id}` in name rules).
    pub client_id: String,
    /// The billing system's service id (`{service_id}` in name rules).
    pub service_id: String,
    /// The customer's e-mail address.
    pub email: Option<String>,
    /// The customer's name, shown as the account's display name.
    pub display_name: Option<String>,
    /// The customer's language as a language tag (`de`, `fr-CH`): the language of
    /// the notifications the ledger's outbox sends for the service.
    pub language: Option<String>,
}

impl ServiceContext {
    /// A context with the two ids and nothing else.
    pub fn new(client_id: impl Into<String>, service_id: impl Into<String>) -> Self {
        ServiceContext {
            client_id: client_id.into(),
            service_id: service_id.into(),
            email: None,
            display_name: None,
            language: None,
        }
    }

    /// Sets the customer's language (a language tag).
    pub fn with_language(mut self, language: impl Into<String>) -> Self {
        self.language = Some(language.into());
        self
    }

    /// Who the service's notifications go to, as the ledger records it.
    pub fn customer(&self) -> crate::ledger::Customer {
        crate::ledger::Customer {
            email: self.email.clone(),
            language: self.language.clone(),
            name: self.display_name.clone(),
        }
    }

    /// Sets the e-mail address.
    pub fn with_email(mut self, email: impl Into<String>) -> Self {
        self.email = Some(email.into());
        self
    }

    /// Sets the display name.
    pub fn with_display_name(mut self, name: impl Into<String>) -> Self {
        self.display_name = Some(name.into());
        self
    }
}

/// A product's configuration: how its accounts are named and what they get.
///
/// Built in code with [`ProductConfig::new`] and the `with_*` methods, or loaded from a
/// configuration file ([`crate::config::Config`], [`crate::config::ProductSettings`]).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ProductConfig {
    /// The user-name rule.
    pub name_rule: NameRule,
    /// The password rule.
    pub password_rule: PasswordRule,
    /// The quota (0 in the configuration means unlimited).
    pub quota: Quota,
    /// The unit notifications and pages show sizes in (GB by default).
    pub unit: Unit,
    /// The groups accounts join.
    pub groups: Vec<GroupName>,
    /// Notify the customer at this share of the quota, in percent (None: never).
    pub notify_at_percent: Option<u32>,
    /// How many days of usage history are kept (30 by default).
    pub history_days: u32,
    /// The operator's notification templates; None uses the built-in text.
    pub templates: ProductTemplates,
    /// MinIO's settings of this product (unset: the server's).
    pub minio: crate::provider::MinioPlan,
    /// How the client page shows the account's password.
    pub password_display: crate::views::PasswordDisplay,
    /// The operator's instructions for customers (an http or https link), when set.
    pub instructions_url: Option<String>,
}

/// A product's notification templates (None: the built-in default).
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct ProductTemplates {
    /// Sent when usage reaches the notify-at share.
    pub near_limit: Option<Template>,
    /// Sent when the account passes its limit and is restricted.
    pub suspended_for_limit: Option<Template>,
}

/// How many days of usage history a product keeps unless it says otherwise.
pub const DEFAULT_HISTORY_DAYS: u32 = 30;

impl ProductConfig {
    /// Parses a configuration as a product page stores it: a name rule, a password rule
    /// (`"12"` or `"12:charset"`) and a quota (`"10 GB"`, `"0"` for unlimited). Every
    /// part is checked here, before anything is sent.
    pub fn new(name_rule: &str, password_rule: &str, quota: &str) -> Result<Self> {
        Ok(ProductConfig {
            name_rule: name_rule.parse()?,
            password_rule: password_rule.parse()?,
            quota: quota.parse::<Quota>().map_err(InputError::from)?,
            unit: Unit::Gb,
            groups: Vec::new(),
            notify_at_percent: None,
            history_days: DEFAULT_HISTORY_DAYS,
            templates: ProductTemplates::default(),
            minio: crate::provider::MinioPlan::default(),
            password_display: crate::views::PasswordDisplay::default(),
            instructions_url: None,
        })
    }

    /// Adds a group.
    pub fn with_group(mut self, group: GroupName) -> Self {
        self.groups.push(group);
        self
    }

    /// Sets the unit notifications and pages show sizes in.
    pub fn with_unit(mut self, unit: Unit) -> Self {
        self.unit = unit;
        self
    }

    /// Sets how many days of usage history are kept.
    pub fn with_history_days(mut self, days: u32) -> Self {
        self.history_days = days;
        self
    }

    /// Sets the notification threshold in percent.
    pub fn notify_at(mut self, percent: u32) -> Self {
        self.notify_at_percent = Some(percent);
        self
    }

    /// The plan accounts of this product are on.
    pub fn plan(&self) -> Plan {
        Plan {
            quota: self.quota,
            groups: self.groups.clone(),
            minio: self.minio.clone(),
        }
    }
}

/// A created account and its first password, for the billing system to store and mail.
pub struct Provisioned {
    /// The name it got.
    pub username: Username,
    /// Its first password.
    pub password: SecretString,
    /// What the server reported.
    pub account: AccountInfo,
}

impl fmt::Debug for Provisioned {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Provisioned")
            .field("username", &self.username)
            .field("password", &"[redacted]")
            .field("account", &self.account)
            .finish()
    }
}

/// One account a sweep looks at, with its product's quota and threshold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SweepAccount {
    /// The account.
    pub username: Username,
    /// The quota it bought.
    pub quota: Quota,
    /// Notify at this share of the quota, in percent.
    pub notify_at_percent: Option<u32>,
}

impl SweepAccount {
    /// The account on `product`'s quota and threshold.
    pub fn new(username: Username, product: &ProductConfig) -> Self {
        SweepAccount {
            username,
            quota: product.quota,
            notify_at_percent: product.notify_at_percent,
        }
    }
}

/// What a sweep found for one account.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SweepOutcome {
    /// The account.
    pub username: Username,
    /// Its usage, or None when the server did not know it.
    pub used: Option<ByteSize>,
    /// Its quota.
    pub quota: Quota,
    /// When the server measured the usage, when it says.
    pub measured_at: Option<DateTime<Utc>>,
    /// The threshold state before this sweep.
    pub previous: ThresholdState,
    /// The threshold state after it.
    pub state: ThresholdState,
    /// What the caller should do: send mails, switch policies. Empty most sweeps.
    pub actions: Vec<ThresholdAction>,
}

impl SweepOutcome {
    /// The outcome of evaluating `account`'s `usage` from its `previous` state.
    pub(crate) fn of(
        account: &SweepAccount,
        usage: &Usage,
        previous: ThresholdState,
        evaluation: &Evaluation,
    ) -> Self {
        SweepOutcome {
            username: account.username.clone(),
            used: usage.used,
            quota: account.quota,
            measured_at: usage.measured_at,
            previous,
            state: evaluation.state,
            actions: evaluation.actions().to_vec(),
        }
    }
}

/// The result of a sweep.
#[derive(Debug, Default)]
#[non_exhaustive]
pub struct SweepReport {
    /// One outcome per account whose usage was read.
    pub outcomes: Vec<SweepOutcome>,
    /// Accounts whose usage could not be read, with why. Their state is unchanged.
    pub failures: Vec<(Username, Error)>,
}

impl SweepReport {
    /// The outcomes that ask for an action.
    pub fn with_actions(&self) -> impl Iterator<Item = &SweepOutcome> {
        self.outcomes.iter().filter(|o| !o.actions.is_empty())
    }
}

/// Creates accounts and sweeps usage on one provider.
pub struct Provisioner {
    provider: Arc<dyn StorageProvider>,
    collision_limits: CollisionLimits,
    concurrency: usize,
}

impl Provisioner {
    /// A provisioner on `provider`, 16 calls at once at most.
    pub fn new(provider: Arc<dyn StorageProvider>) -> Self {
        Provisioner {
            provider,
            collision_limits: CollisionLimits::default(),
            concurrency: 16,
        }
    }

    /// Sets how many calls run at once in `create_many` and in sweeps without bulk usage.
    pub fn with_concurrency(mut self, concurrency: usize) -> Self {
        self.concurrency = concurrency.max(1);
        self
    }

    /// Sets how many names are tried before giving up.
    pub fn with_collision_limits(mut self, limits: CollisionLimits) -> Self {
        self.collision_limits = limits;
        self
    }

    /// The provider.
    pub fn provider(&self) -> &Arc<dyn StorageProvider> {
        &self.provider
    }

    /// Creates an account for `ctx` on `product`: generates a free name and a password
    /// from the product's rules and creates the account.
    pub async fn create(
        &self,
        ctx: &ServiceContext,
        product: &ProductConfig,
    ) -> Result<Provisioned> {
        self.create_with(ctx, product, |_| async { Ok(()) }).await
    }

    /// As [`create`](Self::create), then runs `after` (e.g. storing the credentials in
    /// the billing system). If `after` fails, the account is terminated again, so nothing
    /// is left half-done; if that fails too, both errors are reported in
    /// [`Error::RollbackFailed`].
    pub async fn create_with<F, Fut>(
        &self,
        ctx: &ServiceContext,
        product: &ProductConfig,
        after: F,
    ) -> Result<Provisioned>
    where
        F: FnOnce(&Provisioned) -> Fut,
        Fut: Future<Output = Result<()>>,
    {
        let provisioned = self.create_account(ctx, product).await?;
        if let Err(error) = after(&provisioned).await {
            return match self.provider.terminate(&provisioned.username).await {
                Ok(()) => Err(error),
                Err(rollback) => Err(Error::RollbackFailed {
                    operation: "create",
                    error: Box::new(error),
                    rollback: Box::new(rollback),
                }),
            };
        }
        Ok(provisioned)
    }

    async fn create_account(
        &self,
        ctx: &ServiceContext,
        product: &ProductConfig,
    ) -> Result<Provisioned> {
        let names = NameContext {
            client_id: ctx.client_id.clone(),
            service_id: ctx.service_id.clone(),
        };
        let policy = self.provider.name_policy();
        // Another creator may take a free name between our check and our create: try
        // the next free name a few times before giving up.
        let mut last_error = None;
        for _ in 0..3 {
            let mut rng = rand::rngs::StdRng::from_os_rng();
            let provider = &self.provider;
            let username = resolve_unique(
                &product.name_rule,
                &names,
                policy,
                &mut rng,
                Utc::now(),
                self.collision_limits,
                |candidate| async move { Ok(provider.account(&candidate).await?.is_some()) },
            )
            .await?;
            let spec = AccountSpec {
                username: username.clone(),
                password: product.password_rule.generate(),
                email: ctx.email.clone(),
                display_name: ctx.display_name.clone(),
                plan: product.plan(),
            };
            match self.provider.create_account(&spec).await {
                Ok(account) => {
                    return Ok(Provisioned {
                        username,
                        password: spec.password,
                        account,
                    })
                }
                Err(e) if e.kind() == ErrorKind::AlreadyExists => last_error = Some(e),
                // The provider settles a lost answer itself (one lookup, in its
                // create-and-undo steps): what comes back is final, never settled twice.
                Err(e) => return Err(e),
            }
        }
        Err(last_error.unwrap_or_else(|| Error::invalid("name rule", "no name could be created")))
    }

    /// Creates one account per item, at most `concurrency` at once; results in order.
    pub async fn create_many(
        &self,
        items: &[(ServiceContext, ProductConfig)],
    ) -> Vec<Result<Provisioned>> {
        bounded(
            items.iter().map(|(ctx, product)| self.create(ctx, product)),
            self.concurrency,
        )
        .await
    }

    /// Reads the usage of `accounts` (in bulk where the provider can, else at most
    /// `concurrency` reads at once), records it in `history`, runs the threshold machine
    /// from each account's stored state and returns what to do. Store failures and reads
    /// that fail as a whole (no connection, login refused) fail the sweep; a failed read
    /// of one account is reported and leaves its state unchanged.
    pub async fn sweep(
        &self,
        accounts: &[SweepAccount],
        history: &dyn HistoryStore,
        now: DateTime<Utc>,
    ) -> Result<SweepReport> {
        let usages = read_usages(self.provider.as_ref(), accounts, self.concurrency).await?;
        Self::record_usages(accounts, usages, history, now).await
    }

    /// The second half of [`Self::sweep`], for usages read some other way: records
    /// each read usage in `history`, runs the threshold machine from the account's
    /// stored state and returns what to do; `usages[i]` belongs to `accounts[i]`, and a
    /// failed read is reported and leaves the account's state unchanged. Store failures
    /// fail the call.
    pub async fn record_usages(
        accounts: &[SweepAccount],
        usages: Vec<Result<Usage>>,
        history: &dyn HistoryStore,
        now: DateTime<Utc>,
    ) -> Result<SweepReport> {
        if usages.len() != accounts.len() {
            // Never misattribute usages.
            return Err(Error::invalid(
                "usages",
                format!("{} usages for {} accounts", usages.len(), accounts.len()),
            ));
        }
        let mut report = SweepReport::default();
        let previous_states = history.load_states().await?;
        let mut samples = Vec::with_capacity(usages.len());
        let mut changed = Vec::new();
        for (account, usage) in accounts.iter().zip(usages) {
            let usage = match usage {
                Ok(usage) => usage,
                Err(e) => {
                    report.failures.push((account.username.clone(), e));
                    continue;
                }
            };
            let previous = previous_states
                .get(&account.username)
                .copied()
                .unwrap_or_default();
            let evaluation = evaluate(
                previous,
                usage.used,
                account.quota,
                account.notify_at_percent,
            );
            if let Some(used) = usage.used {
                samples.push(Sample {
                    account: account.username.clone(),
                    at: now,
                    used,
                    measured_at: usage.measured_at,
                });
            }
            if evaluation.state != previous {
                changed.push((account.username.clone(), evaluation.state));
            }
            report
                .outcomes
                .push(SweepOutcome::of(account, &usage, previous, &evaluation));
        }
        history.record(&samples).await?;
        if !changed.is_empty() {
            history.save_states(&changed).await?;
        }
        Ok(report)
    }

    /// Carries out the policy switches a sweep asks for, on a backend that enforces
    /// quota by policy (MinIO): LimitExceeded restricts the account, BackUnderLimit lifts
    /// it. Returns each account switched with the result; nothing on other backends.
    pub async fn apply_policy_switches(&self, report: &SweepReport) -> Vec<(Username, Result<()>)> {
        if self.provider.capabilities().quota_enforcement != QuotaEnforcement::PolicySwitch {
            return Vec::new();
        }
        let switches = report.outcomes.iter().filter_map(|o| {
            o.actions.iter().rev().find_map(|a| match a {
                ThresholdAction::LimitExceeded => Some((o.username.clone(), true)),
                ThresholdAction::BackUnderLimit => Some((o.username.clone(), false)),
                ThresholdAction::NotifyNearLimit => None,
            })
        });
        let provider = &self.provider;
        bounded(
            switches.map(|(user, limited)| async move {
                let result = provider.set_limited(&user, limited).await;
                (user, result)
            }),
            self.concurrency,
        )
        .await
    }
}

/// The usage of each account in order, or why it could not be read: in bulk where the
/// provider can, else at most `concurrency` reads at once.
pub(crate) async fn read_usages(
    provider: &dyn StorageProvider,
    accounts: &[SweepAccount],
    concurrency: usize,
) -> Result<Vec<Result<Usage>>> {
    if provider.capabilities().bulk_usage {
        let fold = provider.name_policy().case != CaseRule::Sensitive;
        let key = |name: &str| {
            if fold {
                name.to_lowercase()
            } else {
                name.to_string()
            }
        };
        let all: HashMap<String, Usage> = provider
            .usage_all()
            .await?
            .into_iter()
            .map(|(name, usage)| (key(name.as_str()), usage))
            .collect();
        return Ok(accounts
            .iter()
            .map(|a| {
                all.get(&key(a.username.as_str()))
                    .copied()
                    .ok_or_else(|| Error::AccountNotFound {
                        username: a.username.to_string(),
                    })
            })
            .collect());
    }
    let names: Vec<Username> = accounts.iter().map(|a| a.username.clone()).collect();
    let results = provider.usage_many(&names, concurrency).await?;
    if results.len() != accounts.len() {
        // A provider's bug, not the server's: never misattribute usages.
        return Err(Error::protocol(
            "provisioner",
            format!(
                "usage_many answered {} results for {} accounts",
                results.len(),
                accounts.len()
            ),
        ));
    }
    Ok(results)
}
