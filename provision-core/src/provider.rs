//! The [`StorageProvider`] trait every backend implements, and its request and result
//! types.
//!
//! The trait is small and object-safe (`Arc<dyn StorageProvider>` works). Helpers every
//! provider gets for free live in [`ProviderExt`] and in the
//! [`provisioner`](crate::provisioner); users never implement those.

use std::collections::BTreeMap;
use std::fmt;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use secrecy::SecretString;

use crate::error::{Error, ErrorKind, Result};
use crate::quota::{ByteSize, Quota};
use crate::rules::NamePolicy;
use crate::username::{GroupName, Username};

/// What a package (product) gives an account: its quota and its groups, and the
/// settings a product may give one backend's accounts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// The quota the customer bought.
    pub quota: Quota,
    /// The groups the account belongs to on this plan. On Synology the first group is the
    /// pre-configured DSM group that carries the real quota.
    pub groups: Vec<GroupName>,
    /// The product's own MinIO settings (other backends have none to take).
    pub minio: MinioPlan,
}

/// A product's own MinIO settings; each one unset leaves the server's
/// (`default_bucket`, `standard_policy`, `limited_policy` of `[servers.NAME]`).
/// The policy documents are templates as the server's are, checked the same way
/// (confined to the account's buckets) before anything is sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct MinioPlan {
    /// Whether a bucket is made with each account.
    pub default_bucket: Option<bool>,
    /// The policy template of an account under its limit (JSON).
    pub standard_policy: Option<String>,
    /// The policy template of an account past its limit (JSON).
    pub limited_policy: Option<String>,
}

impl MinioPlan {
    /// True when the product sets none of them.
    pub fn is_empty(&self) -> bool {
        *self == MinioPlan::default()
    }
}

impl Plan {
    /// A plan with a quota and no groups.
    pub fn new(quota: Quota) -> Self {
        Plan {
            quota,
            groups: Vec::new(),
            minio: MinioPlan::default(),
        }
    }

    /// Adds a group.
    pub fn with_group(mut self, group: GroupName) -> Self {
        self.groups.push(group);
        self
    }
}

/// Everything needed to create an account.
pub struct AccountSpec {
    /// The account's name, already valid for the backend's policy.
    pub username: Username,
    /// The account's first password.
    pub password: SecretString,
    /// The customer's e-mail address, where the backend keeps one.
    pub email: Option<String>,
    /// A display name, where the backend keeps one.
    pub display_name: Option<String>,
    /// Quota and groups.
    pub plan: Plan,
}

impl fmt::Debug for AccountSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccountSpec")
            .field("username", &self.username)
            .field("password", &"[redacted]")
            .field("email", &self.email)
            .field("display_name", &self.display_name)
            .field("plan", &self.plan)
            .finish()
    }
}

/// Whether an account can sign in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub enum AccountStatus {
    /// The account works.
    Active,
    /// The account is disabled (suspended by the billing system).
    Suspended,
}

/// What the server says about an account.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct AccountInfo {
    /// The account's name as the server spells it.
    pub username: Username,
    /// Active or suspended.
    pub status: AccountStatus,
    /// The e-mail address, where kept.
    pub email: Option<String>,
    /// The display name, where kept.
    pub display_name: Option<String>,
    /// The quota the server holds, or None when it does not say (never logged in, or
    /// quota kept elsewhere).
    pub quota: Option<Quota>,
    /// The groups the account is in.
    pub groups: Vec<GroupName>,
}

/// What [`StorageProvider::check_adoption`] found of an account made elsewhere.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Adoption {
    /// It can be managed as it is.
    Fits(AccountInfo),
    /// Managing it would change what it holds, so it is left alone: `resources` name
    /// what does not fit (MinIO: the buckets its policies reach outside the namespace).
    DoesNotFit {
        /// The account as the server reports it.
        account: AccountInfo,
        /// Why it does not fit.
        reason: String,
        /// What does not fit.
        resources: Vec<String>,
    },
}

/// Disk usage of one account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Usage {
    /// Bytes used, or None when the server does not know yet (e.g. never logged in).
    pub used: Option<ByteSize>,
    /// The quota the server reports with the usage, when it does.
    pub quota: Option<Quota>,
    /// When the server measured it, when it says (MinIO's scanner lags).
    pub measured_at: Option<DateTime<Utc>>,
}

impl Usage {
    /// Usage as a server reports it: bytes used (None: not known yet), the quota it
    /// reports alongside, and when it measured.
    pub fn new(
        used: Option<ByteSize>,
        quota: Option<Quota>,
        measured_at: Option<DateTime<Utc>>,
    ) -> Self {
        Usage {
            used,
            quota,
            measured_at,
        }
    }

    /// Known usage with no quota or time.
    pub fn known(used: ByteSize) -> Self {
        Usage {
            used: Some(used),
            quota: None,
            measured_at: None,
        }
    }

    /// Usage the server does not know.
    pub fn unknown() -> Self {
        Usage {
            used: None,
            quota: None,
            measured_at: None,
        }
    }
}

/// What `test_connection` learned about the server.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ServerInfo {
    /// The backend ("nextcloud", "synology", "minio", "in-memory").
    pub backend: &'static str,
    /// The product as the server names itself (e.g. "Nextcloud", "DSM", "MinIO", "RustFS").
    pub product: String,
    /// The server's version, when it says.
    pub version: Option<String>,
    /// Whether the credentials have the administrator rights provisioning needs.
    pub is_admin: bool,
    /// Further facts worth showing an operator (API prefix, edition, ...).
    pub details: BTreeMap<String, String>,
}

/// One bucket an account owns, with what the server last measured in it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct BucketInfo {
    /// The bucket's name.
    pub name: String,
    /// Bytes stored.
    pub size: ByteSize,
    /// Objects in it.
    pub objects: u64,
}

impl BucketInfo {
    /// A bucket of `size` holding `objects` objects.
    pub fn new(name: impl Into<String>, size: ByteSize, objects: u64) -> Self {
        BucketInfo {
            name: name.into(),
            size,
            objects,
        }
    }
}

/// How a backend holds an account to its quota.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum QuotaEnforcement {
    /// The server enforces the quota set on the account (Nextcloud).
    Native,
    /// A pre-configured group carries the real quota; the library's quota is for display
    /// and thresholds (Synology).
    Group,
    /// The library switches the account to a restricted policy past the limit (MinIO).
    PolicySwitch,
    /// Nothing enforces it; it is shown and used for thresholds only.
    DisplayOnly,
}

/// What a backend can do: callers ask before they act.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Capabilities {
    /// How quota is enforced.
    pub quota_enforcement: QuotaEnforcement,
    /// Whether accounts can be put in groups.
    pub groups: bool,
    /// Whether accounts own buckets.
    pub buckets: bool,
    /// Whether `usage_all` reads every account's usage in one or a few requests.
    pub bulk_usage: bool,
}

impl AccountInfo {
    /// An account with a name and a status, nothing else known yet.
    pub fn new(username: Username, status: AccountStatus) -> Self {
        AccountInfo {
            username,
            status,
            email: None,
            display_name: None,
            quota: None,
            groups: Vec::new(),
        }
    }

    /// Sets the e-mail address.
    pub fn with_email(mut self, email: Option<String>) -> Self {
        self.email = email;
        self
    }

    /// Sets the display name.
    pub fn with_display_name(mut self, name: Option<String>) -> Self {
        self.display_name = name;
        self
    }

    /// Sets the quota the server holds.
    pub fn with_quota(mut self, quota: Option<Quota>) -> Self {
        self.quota = quota;
        self
    }

    /// Sets the groups.
    pub fn with_groups(mut self, groups: Vec<GroupName>) -> Self {
        self.groups = groups;
        self
    }
}

impl ServerInfo {
    /// A server of `backend` that calls itself `product`; not known to be an admin yet.
    pub fn new(backend: &'static str, product: impl Into<String>) -> Self {
        ServerInfo {
            backend,
            product: product.into(),
            version: None,
            is_admin: false,
            details: BTreeMap::new(),
        }
    }

    /// Sets the version.
    pub fn with_version(mut self, version: Option<String>) -> Self {
        self.version = version;
        self
    }

    /// Sets whether the credentials have administrator rights.
    pub fn with_admin(mut self, is_admin: bool) -> Self {
        self.is_admin = is_admin;
        self
    }

    /// Adds a detail for operators.
    pub fn with_detail(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.details.insert(key.into(), value.into());
        self
    }
}

impl Capabilities {
    /// A backend enforcing quota by `quota_enforcement`, without groups, buckets or a
    /// bulk usage read until said otherwise.
    pub fn new(quota_enforcement: QuotaEnforcement) -> Self {
        Capabilities {
            quota_enforcement,
            groups: false,
            buckets: false,
            bulk_usage: false,
        }
    }

    /// Sets whether accounts can be put in groups.
    pub fn with_groups(mut self, groups: bool) -> Self {
        self.groups = groups;
        self
    }

    /// Sets whether accounts own buckets.
    pub fn with_buckets(mut self, buckets: bool) -> Self {
        self.buckets = buckets;
        self
    }

    /// Sets whether `usage_all` reads every account in one or a few requests.
    pub fn with_bulk_usage(mut self, bulk_usage: bool) -> Self {
        self.bulk_usage = bulk_usage;
        self
    }
}

/// A storage backend on which accounts are provisioned.
///
/// Suspend, unsuspend and terminate are idempotent: suspending a suspended account and
/// terminating a missing one succeed. Every method validates its input before sending
/// anything.
#[async_trait]
pub trait StorageProvider: Send + Sync {
    /// What this backend can do.
    fn capabilities(&self) -> Capabilities;

    /// The backend's rules for user names.
    fn name_policy(&self) -> &NamePolicy;

    /// Checks the address and credentials, and reports the server.
    async fn test_connection(&self) -> Result<ServerInfo>;

    /// The account, or None when it does not exist.
    async fn account(&self, user: &Username) -> Result<Option<AccountInfo>>;

    /// Whether an account made elsewhere (by another billing module) can be managed by
    /// this provider as it is. Reads only; nothing on the server changes. Fails with
    /// [`Error::AccountNotFound`] when there is no such account. The default accepts
    /// any existing account; a backend whose accounts can hold what it would not manage
    /// (MinIO: buckets outside the namespace) says what does not fit.
    async fn check_adoption(&self, user: &Username) -> Result<Adoption> {
        match self.account(user).await? {
            Some(account) => Ok(Adoption::Fits(account)),
            None => Err(Error::AccountNotFound {
                username: user.to_string(),
            }),
        }
    }

    /// Creates an account. Fails with [`Error::AccountExists`] when the name is taken;
    /// leaves nothing behind when it fails.
    async fn create_account(&self, spec: &AccountSpec) -> Result<AccountInfo>;

    /// Disables the account; succeeds when it is disabled already.
    async fn suspend(&self, user: &Username) -> Result<()>;

    /// Enables the account; succeeds when it is enabled already.
    async fn unsuspend(&self, user: &Username) -> Result<()>;

    /// Deletes the account and what it owns; succeeds when it does not exist.
    async fn terminate(&self, user: &Username) -> Result<()>;

    /// Sets a new password.
    async fn change_password(&self, user: &Username, password: &SecretString) -> Result<()>;

    /// Moves the account from plan `from` to plan `to`: sets the new quota, joins the
    /// groups of `to` (created on demand where the backend does) and leaves the groups of
    /// `from` that `to` does not name. Other groups the account is in are not touched.
    async fn change_plan(&self, user: &Username, from: &Plan, to: &Plan) -> Result<()>;

    /// The account's disk usage.
    async fn usage(&self, user: &Username) -> Result<Usage>;

    /// The usage of every account, in bulk where the API allows.
    async fn usage_all(&self) -> Result<Vec<(Username, Usage)>>;

    /// The usage of each of `users`, in their order, for backends without a bulk read:
    /// at most `concurrency` accounts read at once. The default reads one account per
    /// request; a backend that can batch reads overrides it. A failed read fails only its
    /// own slot ([`Error::AccountNotFound`] for a missing account); the outer error is
    /// for what fails every read (the server cannot be reached, the login is refused).
    async fn usage_many(
        &self,
        users: &[Username],
        concurrency: usize,
    ) -> Result<Vec<Result<Usage>>> {
        // Collected first: a lazy `map` closure here makes async-trait's boxed future lose
        // `Send` (rustc's higher-ranked lifetimes). The boxes do nothing until polled.
        let reads: Vec<_> = users.iter().map(|user| self.usage(user)).collect();
        Ok(crate::concurrency::bounded(reads, concurrency).await)
    }

    /// The groups that exist on the server (for a product configuration's drop-down).
    async fn list_groups(&self) -> Result<Vec<GroupName>> {
        Err(Error::Unsupported("listing groups".into()))
    }

    /// The buckets the account owns, with their size and object count. Only backends
    /// whose accounts own buckets ([`Capabilities::buckets`]) list them.
    async fn buckets(&self, user: &Username) -> Result<Vec<BucketInfo>> {
        let _ = user;
        Err(Error::Unsupported(
            "buckets (accounts own none here)".into(),
        ))
    }

    /// Restricts the account past its limit (`limited = true`) or lifts the restriction.
    /// Only backends with [`QuotaEnforcement::PolicySwitch`] do this; an already-applied
    /// change succeeds.
    async fn set_limited(&self, user: &Username, limited: bool) -> Result<()> {
        let _ = (user, limited);
        Err(Error::Unsupported(
            "limit switching (quota is not enforced by policy here)".into(),
        ))
    }

    /// Checks what `plan` asks of this backend, before a product with it is kept
    /// (MinIO: the product's own policy documents render safely). Backends that take
    /// nothing from a plan but its quota and groups accept every plan.
    fn check_plan(&self, plan: &Plan) -> Result<()> {
        let _ = plan;
        Ok(())
    }

    /// [`set_limited`](Self::set_limited) with the documents of the account's plan,
    /// where its product sets its own (MinIO's [`MinioPlan`]). A backend whose plans
    /// carry no such documents keeps this default, which is `set_limited`.
    async fn set_limited_on_plan(&self, user: &Username, plan: &Plan, limited: bool) -> Result<()> {
        let _ = plan;
        self.set_limited(user, limited).await
    }
}

/// Helpers every [`StorageProvider`] gets for free; never implemented by users.
#[async_trait]
pub trait ProviderExt: StorageProvider {
    /// Whether the account exists.
    async fn exists(&self, user: &Username) -> Result<bool> {
        Ok(self.account(user).await?.is_some())
    }

    /// The account, or [`Error::AccountNotFound`].
    async fn require_account(&self, user: &Username) -> Result<AccountInfo> {
        self.account(user)
            .await?
            .ok_or_else(|| Error::AccountNotFound {
                username: user.to_string(),
            })
    }

    /// Checks a user name against this provider's policy.
    fn check_username(&self, name: &str) -> Result<Username> {
        Ok(self.name_policy().validate(name)?)
    }
}

impl<P: StorageProvider + ?Sized> ProviderExt for P {}

/// Whether an error says the thing is missing (used by idempotent operations).
pub fn is_not_found(e: &Error) -> bool {
    e.kind() == ErrorKind::NotFound
}
