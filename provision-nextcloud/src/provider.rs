//! The [`StorageProvider`] for Nextcloud, built on the [`NextcloudClient`].
//!
//! - Quota is enforced by Nextcloud itself; suspend = disable; groups are created on
//!   demand and the old plan's groups are left on a package change.
//! - Quotas are sent as values that survive Nextcloud's lossy storage (it keeps a
//!   one-decimal human form such as `953.7 MB`): a limit that would not read back
//!   exactly is sent as the value the server would store anyway, the nearest one that
//!   does (5,000,000,000 bytes are sent, stored and read back as 5,046,586,573 =
//!   `4.7 GB`). Values that are a whole number of tenths of their own unit survive
//!   (500 MB, 1.5 GB, 10 GB, 2.3 TB); [`NextcloudProvider::stored_quota`] tells the
//!   value in advance.
//! - Every input is checked before any request; create checks existence first, settles
//!   a create whose answer was lost by one lookup (never by sending it again), and
//!   create and change-plan undo their earlier steps when a later one fails (core's
//!   [`Undoable`]).
//! - Nextcloud rate-limits edits per admin account: edits happen only when a value
//!   changes, back off on HTTP 429, and the usage sweep uses none.

use std::collections::HashSet;
use std::fmt;
use std::sync::Arc;

use async_trait::async_trait;
use provision_core::config::{parse_setting, unknown_key, ProviderBuilder};
use provision_core::email::check_email;
use provision_core::http::ClientOptions;
use provision_core::protected::{refuse_administrator, refuse_own_login, NameComparison};
use provision_core::provider::is_not_found;
use provision_core::rules::{CaseRule, EdgeRule, NamePolicy};
use provision_core::undo::Undoable;
use provision_core::{
    AccountInfo, AccountSpec, AccountStatus, ByteSize, Capabilities, Error, ErrorKind, GroupName,
    Plan, Quota, QuotaEnforcement, Result, ServerInfo, StorageProvider, Usage, Username,
};
use secrecy::{ExposeSecret, SecretString};

use crate::client::{
    NewUser, NextcloudClient, OcsVersion, QuotaLimit, QuotaValue, UserField, UserRecord,
};
use crate::error::BACKEND;
use crate::human_size::{stored_bytes, MAX_EXACT_BYTES};

/// Environment variable with the server's base URL (core's one scheme:
/// `PROVISION_<BACKEND>_URL`).
pub const ENV_URL: &str = "PROVISION_NEXTCLOUD_URL";
/// Environment variable with the admin's login name.
pub const ENV_USER: &str = "PROVISION_NEXTCLOUD_USER";
/// Environment variable with the admin's account password (not an app password).
pub const ENV_PASSWORD: &str = "PROVISION_NEXTCLOUD_PASSWORD";
/// Environment variable naming a file that holds the admin's password, read when
/// [`ENV_PASSWORD`] is unset.
pub const ENV_PASSWORD_FILE: &str = "PROVISION_NEXTCLOUD_PASSWORD_FILE";

/// [`NextcloudProviderBuilder::with_config`] key: accounts per page of the usage sweep.
const KEY_PAGE_SIZE: &str = "page_size";
/// [`NextcloudProviderBuilder::with_config`] key: `v1` or `v2`.
const KEY_OCS_VERSION: &str = "ocs_version";

/// The default number of accounts per page of the usage sweep.
pub const DEFAULT_PAGE_SIZE: u32 = 500;

/// Longest group id Nextcloud keeps: longer ids are silently replaced by their SHA-256.
const MAX_GROUP_CHARS: usize = 64;
/// Longest password Nextcloud accepts, in bytes.
const MAX_PASSWORD_BYTES: usize = 469;
/// Longest display name Nextcloud accepts, in characters.
const MAX_DISPLAY_NAME_CHARS: usize = 64;
/// The group whose members are Nextcloud's administrators.
const ADMIN_GROUP: &str = "admin";

fn nextcloud_id_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, ' ' | '_' | '.' | '@' | '-' | '\'')
}

/// Nextcloud's rules for account ids: `a-z A-Z 0-9`, space and `_ . @ - '`, at most
/// 64 characters, unique regardless of case (the stored case is kept), no surrounding
/// white space, and names the data directory keeps for itself.
pub static NEXTCLOUD_POLICY: NamePolicy = NamePolicy {
    backend: BACKEND,
    allowed: nextcloud_id_char,
    allowed_description: "a-z, A-Z, 0-9, space and _ . @ - '",
    replacement: Some('_'),
    min_len: 1,
    max_len: 64,
    case: CaseRule::Insensitive,
    first: EdgeRule::Any,
    last: EdgeRule::Any,
    reserved: &[
        ".",
        "..",
        ".htaccess",
        ".ncdata",
        "files_external",
        "__groupfolders",
        "owncloud.log",
        "nextcloud.log",
        "updater.log",
        "audit.log",
    ],
};

/// Accounts on a Nextcloud server, through the OCS Provisioning API.
///
/// Build it with [`NextcloudProvider::builder`] or [`NextcloudProvider::from_env`].
pub struct NextcloudProvider {
    client: NextcloudClient,
    page_size: u32,
}

impl fmt::Debug for NextcloudProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NextcloudProvider")
            .field("client", &self.client)
            .field("page_size", &self.page_size)
            .finish()
    }
}

/// Builds a [`NextcloudProvider`].
pub struct NextcloudProviderBuilder {
    base_url: String,
    admin: Option<(String, SecretString)>,
    options: ClientOptions,
    version: OcsVersion,
    page_size: u32,
}

impl fmt::Debug for NextcloudProviderBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NextcloudProviderBuilder")
            .field("base_url", &self.base_url)
            .field("admin_user", &self.admin.as_ref().map(|(user, _)| user))
            .field("admin_password", &"[redacted]")
            .field("options", &self.options)
            .field("version", &self.version)
            .field("page_size", &self.page_size)
            .finish()
    }
}

impl NextcloudProviderBuilder {
    /// The admin's login name and account password. Nextcloud 34 and later refuse
    /// provisioning writes made with an app password.
    pub fn credentials(mut self, user: impl Into<String>, password: SecretString) -> Self {
        self.admin = Some((user.into(), password));
        self
    }

    /// Timeouts, TLS, retry limits and the cleartext rule (`allow_insecure_http`).
    pub fn options(mut self, options: ClientOptions) -> Self {
        self.options = options;
        self
    }

    /// The OCS endpoint family (v2 by default).
    pub fn ocs_version(mut self, version: OcsVersion) -> Self {
        self.version = version;
        self
    }

    /// Accounts per page of the usage sweep (default [`DEFAULT_PAGE_SIZE`]).
    pub fn page_size(mut self, page_size: u32) -> Self {
        self.page_size = page_size;
        self
    }

    /// Checks the settings and builds the provider.
    pub fn build(self) -> Result<NextcloudProvider> {
        let (user, password) = self.admin.ok_or_else(|| {
            Error::invalid("admin user", "not set (call credentials(user, password))")
        })?;
        let user = Username::new(user)?;
        if self.page_size == 0 {
            return Err(Error::invalid("page size", "must be at least 1"));
        }
        let endpoint = self.options.endpoint(&self.base_url)?;
        let client = NextcloudClient::new(&endpoint, user, password, &self.options)?
            .with_ocs_version(self.version);
        Ok(NextcloudProvider {
            client,
            page_size: self.page_size,
        })
    }
}

impl ProviderBuilder for NextcloudProviderBuilder {
    const BACKEND: &'static str = BACKEND;
    const SETTING_KEYS: &'static [&'static str] = &[KEY_PAGE_SIZE, KEY_OCS_VERSION];

    fn new(url: &str) -> Self {
        NextcloudProvider::builder(url)
    }

    fn credentials(self, user: &str, password: SecretString) -> Self {
        NextcloudProviderBuilder::credentials(self, user, password)
    }

    fn options(self, options: ClientOptions) -> Self {
        NextcloudProviderBuilder::options(self, options)
    }

    /// `page_size` (a whole number, at least 1) and `ocs_version` (`v1` or `v2`).
    fn with_config(self, key: &str, value: &str) -> Result<Self> {
        match key {
            KEY_PAGE_SIZE => Ok(self.page_size(parse_setting(key, value)?)),
            KEY_OCS_VERSION => Ok(self.ocs_version(parse_setting(key, value)?)),
            _ => Err(unknown_key(BACKEND, key, Self::SETTING_KEYS)),
        }
    }

    fn build_provider(self) -> Result<Arc<dyn StorageProvider>> {
        Ok(Arc::new(self.build()?))
    }
}

impl NextcloudProvider {
    /// A builder for the server at `base_url` (which may include a sub-path).
    pub fn builder(base_url: impl Into<String>) -> NextcloudProviderBuilder {
        NextcloudProviderBuilder {
            base_url: base_url.into(),
            admin: None,
            options: ClientOptions::default(),
            version: OcsVersion::default(),
            page_size: DEFAULT_PAGE_SIZE,
        }
    }

    /// A provider from the environment, in core's one scheme
    /// ([`ProviderBuilder::from_env`]): [`ENV_URL`], [`ENV_USER`], [`ENV_PASSWORD`] or
    /// [`ENV_PASSWORD_FILE`], the client options upper-cased
    /// (`PROVISION_NEXTCLOUD_TIMEOUT`, `PROVISION_NEXTCLOUD_TLS_CA_FILE`, ...) and
    /// `PROVISION_NEXTCLOUD_PAGE_SIZE`, `PROVISION_NEXTCLOUD_OCS_VERSION`. None when the
    /// URL is unset or empty, an error when it is set but a credential is missing or a
    /// value does not parse.
    pub fn from_env() -> Result<Option<NextcloudProvider>> {
        <NextcloudProviderBuilder as ProviderBuilder>::from_env()?
            .map(NextcloudProviderBuilder::build)
            .transpose()
    }

    /// Nextcloud's rules for account ids.
    pub fn policy() -> &'static NamePolicy {
        &NEXTCLOUD_POLICY
    }

    /// The quota Nextcloud will store and report when sent `quota`: the same for
    /// unlimited and for values that survive its one-decimal storage (a whole number of
    /// tenths of their own unit: 500 MB, 1.5 GB, 10 GB), the nearest surviving value
    /// otherwise (1.25 GB is stored as 1.3 GB). Fails for limits above 8 PiB, which
    /// its float arithmetic cannot store exactly.
    pub fn stored_quota(quota: Quota) -> Result<Quota> {
        Ok(match wire_quota(quota)? {
            QuotaValue::Bytes(b) => Quota::limited(b)?,
            _ => Quota::Unlimited,
        })
    }

    /// The wire client underneath, for calls the trait does not cover.
    pub fn client(&self) -> &NextcloudClient {
        &self.client
    }

    /// Refuses the account the provider logs in with, before any request. Nextcloud
    /// finds accounts without regard to case: `ADMIN` is the account `admin`.
    fn refuse_own_login(&self, user: &Username) -> Result<()> {
        refuse_own_login(
            self.client.admin_user().as_str(),
            user,
            NameComparison::IgnoreCase,
        )
    }

    /// Reads the account before a change that has no read of its own, and refuses an
    /// administrator.
    async fn read_unprotected(&self, user: &Username) -> Result<UserRecord> {
        let record = self
            .client
            .user(user)
            .await
            .map_err(|e| account_error(e, user))?;
        refuse_admin_member(user, &record)?;
        Ok(record)
    }

    /// Creates the group unless it exists; true when this call created it.
    async fn ensure_group(&self, group: &GroupName) -> Result<bool> {
        match self.client.create_group(group).await {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == ErrorKind::AlreadyExists => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Undo of a create: deletes the account; one already gone is fine.
    async fn delete_account(&self, user: &Username) -> Result<()> {
        match self.client.delete_user(user).await {
            Err(e) if !is_not_found(&e) => Err(e),
            _ => Ok(()),
        }
    }

    /// Undo of a group this provider made: another account may have joined it
    /// meanwhile, so only an empty group is ours to remove.
    async fn delete_group_if_empty(&self, group: &GroupName) -> Result<()> {
        if self.client.group_members(group).await?.is_empty() {
            self.client.delete_group(group).await?;
        }
        Ok(())
    }

    /// Undo of a quota change: sets the quota the account had, when it was reported.
    async fn restore_quota(&self, user: &Username, previous: Option<QuotaValue>) -> Result<()> {
        match previous {
            Some(quota) => self.client.edit_user(user, UserField::Quota(quota)).await,
            None => Err(Error::protocol(
                BACKEND,
                format!("cannot restore the quota of {user}: the server did not report it"),
            )),
        }
    }

    /// Creates `group` unless it exists, and remembers its removal in `op` when this
    /// call made it.
    async fn ensure_group_undoably<'a>(
        &'a self,
        op: &mut Undoable<'a>,
        group: &'a GroupName,
    ) -> Result<()> {
        match self.ensure_group(group).await {
            Ok(true) => {
                op.remember(format!("group {group}"), move || {
                    self.delete_group_if_empty(group)
                });
                Ok(())
            }
            Ok(false) => Ok(()),
            Err(e) => Err(op.fail(e).await),
        }
    }

    /// After a create whose answer was lost found the account: applies what the
    /// cut-short call may have left out (groups, quota) and reads the account back.
    async fn complete_create(
        &self,
        record: &UserRecord,
        spec: &AccountSpec,
        quota: QuotaValue,
    ) -> Result<AccountInfo> {
        for group in &spec.plan.groups {
            if !record.groups.iter().any(|g| g == group.as_str()) {
                self.client.add_to_group(&spec.username, group).await?;
            }
        }
        if !same_quota(record.storage.limit, quota) {
            self.client
                .edit_user(&spec.username, UserField::Quota(quota))
                .await?;
        }
        account_info(self.client.user(&spec.username).await?)
    }

    /// Sends the create. A definite refusal is looked up once, because Nextcloud
    /// refuses an invalid quota *after* creating the account: then the account is
    /// partial work to undo, not nothing.
    async fn send_create(&self, new: &NewUser<'_>) -> Result<Created> {
        let error = match self.client.create_user(new).await {
            Ok(()) => return Ok(Created::Answered),
            Err(e) if e.kind() == ErrorKind::AlreadyExists => {
                return Err(Error::AccountExists {
                    username: new.id.to_string(),
                })
            }
            // A lost answer: settled by the caller's one lookup.
            Err(e) if e.is_ambiguous() || !matches!(e, Error::Server(_)) => return Err(e),
            Err(e) => e,
        };
        match self.client.user(new.id).await {
            Ok(_) => Ok(Created::RefusedAfterCreating(error)),
            Err(lookup) if is_not_found(&lookup) => Err(error),
            Err(_) => Err(Error::OutcomeUnknown {
                operation: "create account",
                error: Box::new(error),
                may_remain: vec![format!("account {}", new.id)],
            }),
        }
    }

    /// The settling lookup of a create whose answer was lost: the account did not exist
    /// before, so finding it means the create was carried out.
    async fn find_created(&self, user: &Username) -> Result<Option<Created>> {
        match self.client.user(user).await {
            Ok(record) => Ok(Some(Created::Found(record))),
            Err(e) if is_not_found(&e) => Ok(None),
            Err(e) => Err(e),
        }
    }

    async fn create_steps<'a>(
        &'a self,
        op: &mut Undoable<'a>,
        spec: &'a AccountSpec,
        email: Option<&str>,
        quota: QuotaValue,
    ) -> Result<AccountInfo> {
        for group in &spec.plan.groups {
            self.ensure_group_undoably(op, group).await?;
        }
        let new = NewUser {
            id: &spec.username,
            password: &spec.password,
            email,
            display_name: spec.display_name.as_deref(),
            groups: &spec.plan.groups,
            quota: Some(quota),
        };
        let created = op
            .step_settled(
                format!("account {}", spec.username),
                self.send_create(&new),
                || self.find_created(&spec.username),
                move || self.delete_account(&spec.username),
            )
            .await?;
        match created {
            Created::Answered => Ok(
                AccountInfo::new(spec.username.clone(), AccountStatus::Active)
                    // The server trims and lower-cases e-mail addresses.
                    .with_email(email.map(str::to_lowercase))
                    .with_display_name(spec.display_name.clone())
                    .with_quota(quota_of(limit_of(quota)))
                    .with_groups(spec.plan.groups.clone()),
            ),
            Created::Found(record) => self.complete_create(&record, spec, quota).await,
            Created::RefusedAfterCreating(error) => Err(error),
        }
    }

    async fn change_plan_steps<'a>(
        &'a self,
        op: &mut Undoable<'a>,
        user: &'a Username,
        from: &'a Plan,
        to: &'a Plan,
    ) -> Result<()> {
        let record = self.read_unprotected(user).await?;
        let quota = wire_quota(to.quota)?;
        // Edits are rate-limited: only send one when the value changes.
        if !same_quota(record.storage.limit, quota) {
            let previous = previous_quota(record.storage.limit);
            op.step(
                format!("quota of {user}"),
                async {
                    self.client
                        .edit_user(user, UserField::Quota(quota))
                        .await
                        .map_err(|e| account_error(e, user))
                },
                move || self.restore_quota(user, previous),
            )
            .await?;
        }
        let is_member = |group: &GroupName| record.groups.iter().any(|g| g == group.as_str());
        for group in to.groups.iter().filter(|g| !is_member(g)) {
            self.ensure_group_undoably(op, group).await?;
            op.step(
                format!("membership of {user} in {group}"),
                self.client.add_to_group(user, group),
                move || self.client.remove_from_group(user, group),
            )
            .await?;
        }
        for group in from
            .groups
            .iter()
            .filter(|g| is_member(g) && !to.groups.contains(g))
        {
            op.step(
                format!("departure of {user} from {group}"),
                self.client.remove_from_group(user, group),
                move || self.client.add_to_group(user, group),
            )
            .await?;
        }
        Ok(())
    }

    async fn set_enabled(&self, user: &Username, enabled: bool) -> Result<()> {
        check_user(user)?;
        self.refuse_own_login(user)?;
        self.read_unprotected(user).await?;
        self.client
            .set_enabled(user, enabled)
            .await
            .map_err(|e| account_error(e, user))
    }

    async fn usage_sweep(&self) -> Result<Vec<UserRecord>> {
        let mut seen = HashSet::new();
        let mut records = Vec::new();
        let mut offset = 0u32;
        loop {
            let page = self.client.users_details(offset, self.page_size).await?;
            let full = page.len() >= self.page_size as usize;
            let mut new_ids = 0;
            for record in page {
                // Pages are ordered by display name: an account renamed or created
                // while paging can show up twice.
                if seen.insert(record.id.to_lowercase()) {
                    new_ids += 1;
                    records.push(record);
                }
            }
            // A short page is the last; a page of nothing new means the server
            // ignores the offset.
            if !full || new_ids == 0 {
                return Ok(records);
            }
            offset = offset.saturating_add(self.page_size);
        }
    }
}

#[async_trait]
impl StorageProvider for NextcloudProvider {
    fn capabilities(&self) -> Capabilities {
        Capabilities::new(QuotaEnforcement::Native)
            .with_groups(true)
            .with_bulk_usage(true)
    }

    fn name_policy(&self) -> &NamePolicy {
        &NEXTCLOUD_POLICY
    }

    async fn test_connection(&self) -> Result<ServerInfo> {
        let version = self.client.capabilities().await?;
        // Reading one's own groups needs valid credentials, and shows admin rights.
        let groups = self.client.user_groups(self.client.admin_user()).await?;
        let mut info = ServerInfo::new(BACKEND, "Nextcloud")
            .with_version(Some(version.version).filter(|v| !v.is_empty()))
            .with_admin(groups.iter().any(|g| g == "admin"))
            .with_detail("admin_user", self.client.admin_user().to_string());
        if let Some(edition) = version.edition {
            info = info.with_detail("edition", edition);
        }
        Ok(info)
    }

    async fn account(&self, user: &Username) -> Result<Option<AccountInfo>> {
        check_user(user)?;
        match self.client.user(user).await {
            Ok(record) => account_info(record).map(Some),
            Err(e) if is_not_found(&e) => Ok(None),
            Err(e) => Err(e),
        }
    }

    async fn create_account(&self, spec: &AccountSpec) -> Result<AccountInfo> {
        check_user(&spec.username)?;
        self.refuse_own_login(&spec.username)?;
        check_password(&spec.password)?;
        let email = spec.email.as_deref().map(check_email).transpose()?;
        if let Some(name) = &spec.display_name {
            check_display_name(name)?;
        }
        let quota = wire_quota(spec.plan.quota)?;
        check_groups("plan.groups", &spec.plan.groups)?;

        if self.account(&spec.username).await?.is_some() {
            return Err(Error::AccountExists {
                username: spec.username.to_string(),
            });
        }
        let mut op = Undoable::new("create account");
        let created = self
            .create_steps(&mut op, spec, email.as_deref(), quota)
            .await;
        conclude(op, created).await
    }

    async fn suspend(&self, user: &Username) -> Result<()> {
        self.set_enabled(user, false).await
    }

    async fn unsuspend(&self, user: &Username) -> Result<()> {
        self.set_enabled(user, true).await
    }

    async fn terminate(&self, user: &Username) -> Result<()> {
        check_user(user)?;
        self.refuse_own_login(user)?;
        match self.client.user(user).await {
            Ok(record) => refuse_admin_member(user, &record)?,
            Err(e) if is_not_found(&e) => return Ok(()),
            Err(e) => return Err(e),
        }
        match self.client.delete_user(user).await {
            Ok(()) => Ok(()),
            Err(e) if is_not_found(&e) => Ok(()),
            // 101 is "missing" on old servers and "could not delete" on new ones.
            Err(e) if e.server_code() == Some("101") => match self.client.user(user).await {
                Err(lookup) if is_not_found(&lookup) => Ok(()),
                _ => Err(e),
            },
            Err(e) => Err(e),
        }
    }

    async fn change_password(&self, user: &Username, password: &SecretString) -> Result<()> {
        check_user(user)?;
        check_password(password)?;
        self.refuse_own_login(user)?;
        self.read_unprotected(user).await?;
        self.client
            .edit_user(user, UserField::Password(password))
            .await
            .map_err(|e| account_error(e, user))
    }

    async fn change_plan(&self, user: &Username, from: &Plan, to: &Plan) -> Result<()> {
        check_user(user)?;
        self.refuse_own_login(user)?;
        wire_quota(to.quota)?;
        check_groups("from.groups", &from.groups)?;
        check_groups("to.groups", &to.groups)?;
        let mut op = Undoable::new("change plan");
        let changed = self.change_plan_steps(&mut op, user, from, to).await;
        conclude(op, changed).await
    }

    async fn usage(&self, user: &Username) -> Result<Usage> {
        check_user(user)?;
        let record = self
            .client
            .user(user)
            .await
            .map_err(|e| account_error(e, user))?;
        Ok(usage_of(&record))
    }

    async fn usage_all(&self) -> Result<Vec<(Username, Usage)>> {
        let records = self.usage_sweep().await?;
        Ok(records
            .iter()
            .filter_map(|record| match Username::new(record.id.as_str()) {
                Ok(name) => Some((name, usage_of(record))),
                Err(e) => {
                    tracing::warn!(backend = BACKEND, id = %record.id, error = %e, "skipping an account id");
                    None
                }
            })
            .collect())
    }

    async fn list_groups(&self) -> Result<Vec<GroupName>> {
        let mut groups = Vec::new();
        let mut offset = 0u32;
        loop {
            let page = self.client.groups(offset, self.page_size).await?;
            let full = page.len() >= self.page_size as usize;
            let before = groups.len();
            groups.extend(page.into_iter().filter_map(|g| GroupName::new(g).ok()));
            groups.dedup();
            if !full || groups.len() == before {
                return Ok(groups);
            }
            offset = offset.saturating_add(self.page_size);
        }
    }
}

/// What a create call did, as far as the provider can tell.
enum Created {
    /// The server answered success.
    Answered,
    /// The answer was lost, and the settling lookup found the account.
    Found(UserRecord),
    /// The server refused, but had created the account first (an invalid quota).
    RefusedAfterCreating(Error),
}

/// Ends an operation: done when `result` is, otherwise every step still remembered is
/// undone (a failed step has undone the earlier ones already; this catches failures
/// outside a step, such as a read between steps).
async fn conclude<T>(mut op: Undoable<'_>, result: Result<T>) -> Result<T> {
    match result {
        Ok(value) => {
            op.finish();
            Ok(value)
        }
        Err(e) => Err(op.fail(e).await),
    }
}

/// A missing account as [`Error::AccountNotFound`]; other errors unchanged.
fn account_error(e: Error, user: &Username) -> Error {
    if is_not_found(&e) {
        Error::AccountNotFound {
            username: user.to_string(),
        }
    } else {
        e
    }
}

fn check_user(user: &Username) -> Result<()> {
    NEXTCLOUD_POLICY.validate(user.as_str())?;
    let name = user.as_str();
    if name.chars().all(|c| c == '.') {
        return Err(Error::invalid(
            "user",
            "Nextcloud refuses ids made of dots only",
        ));
    }
    // `appdata_<instance id>` is the server's own folder in the data directory.
    if name.to_ascii_lowercase().starts_with("appdata_") {
        return Err(Error::invalid(
            "user",
            "ids starting with appdata_ are kept by Nextcloud",
        ));
    }
    Ok(())
}

fn check_password(password: &SecretString) -> Result<()> {
    let password = password.expose_secret();
    if password.is_empty() {
        return Err(Error::invalid("password", "is empty"));
    }
    if password.len() > MAX_PASSWORD_BYTES {
        return Err(Error::invalid(
            "password",
            format!(
                "is {} bytes long; Nextcloud accepts at most {MAX_PASSWORD_BYTES}",
                password.len()
            ),
        ));
    }
    Ok(())
}

fn check_display_name(name: &str) -> Result<()> {
    if name.trim().is_empty() {
        return Err(Error::invalid("display name", "is empty"));
    }
    if name.chars().any(char::is_control) {
        return Err(Error::invalid("display name", "holds a control character"));
    }
    let len = name.chars().count();
    if len > MAX_DISPLAY_NAME_CHARS {
        return Err(Error::invalid(
            "display name",
            format!("has {len} characters; Nextcloud accepts at most {MAX_DISPLAY_NAME_CHARS}"),
        ));
    }
    Ok(())
}

/// Refuses a member of the admin group, as the account's record shows it.
fn refuse_admin_member(user: &Username, record: &UserRecord) -> Result<()> {
    if record.groups.iter().any(|g| g == ADMIN_GROUP) {
        return Err(refuse_administrator(
            user,
            format!("member of group {ADMIN_GROUP}"),
        ));
    }
    Ok(())
}

/// Checks a plan's groups. `admin` is refused in any letter case: its members are
/// administrators, and whether `Admin` is another group depends on the database's
/// collation.
fn check_groups(field: &'static str, groups: &[GroupName]) -> Result<()> {
    for group in groups {
        if group.as_str().eq_ignore_ascii_case(ADMIN_GROUP) {
            return Err(Error::invalid(
                field,
                format!("group {group} would make every account of the plan an administrator"),
            ));
        }
        let len = group.as_str().chars().count();
        if len > MAX_GROUP_CHARS {
            return Err(Error::invalid(
                field,
                format!(
                    "{group:?} has {len} characters; Nextcloud silently replaces ids longer \
                     than {MAX_GROUP_CHARS} by their SHA-256"
                ),
            ));
        }
    }
    Ok(())
}

/// The value to send for `quota`: one that reads back exactly.
fn wire_quota(quota: Quota) -> Result<QuotaValue> {
    match quota.limit() {
        None => Ok(QuotaValue::Unlimited),
        Some(limit) => stored_bytes(limit.bytes())
            .map(|b| QuotaValue::Bytes(ByteSize::new(b)))
            .ok_or_else(|| {
                Error::invalid(
                    "quota",
                    format!(
                        "{limit} is more than Nextcloud stores exactly ({})",
                        ByteSize::new(MAX_EXACT_BYTES)
                    ),
                )
            }),
    }
}

fn limit_of(value: QuotaValue) -> QuotaLimit {
    match value {
        QuotaValue::Unlimited => QuotaLimit::Unlimited,
        QuotaValue::Bytes(b) => QuotaLimit::Bytes(b),
        QuotaValue::InstanceDefault => QuotaLimit::Unknown,
    }
}

fn same_quota(current: QuotaLimit, wanted: QuotaValue) -> bool {
    match (current, wanted) {
        (QuotaLimit::Unlimited, QuotaValue::Unlimited) => true,
        (QuotaLimit::Bytes(a), QuotaValue::Bytes(b)) => a == b,
        _ => false,
    }
}

fn previous_quota(current: QuotaLimit) -> Option<QuotaValue> {
    match current {
        QuotaLimit::Unlimited => Some(QuotaValue::Unlimited),
        QuotaLimit::Bytes(b) => Some(QuotaValue::Bytes(b)),
        QuotaLimit::Unknown => None,
    }
}

/// The core quota of a reported limit. A limit of 0 bytes ("no space at all", which
/// Nextcloud's `free`/`total` show like unlimited) has no core form: it is reported as
/// None, never as unlimited.
fn quota_of(limit: QuotaLimit) -> Option<Quota> {
    match limit {
        QuotaLimit::Unlimited => Some(Quota::Unlimited),
        QuotaLimit::Bytes(b) => Quota::limited(b).ok(),
        QuotaLimit::Unknown => None,
    }
}

fn usage_of(record: &UserRecord) -> Usage {
    Usage::new(record.storage.used, quota_of(record.storage.limit), None)
}

fn account_info(record: UserRecord) -> Result<AccountInfo> {
    let username = Username::new(record.id.as_str()).map_err(|e| {
        Error::protocol(
            BACKEND,
            format!("the server answered an unusable id {:?}: {e}", record.id),
        )
    })?;
    let status = if record.enabled {
        AccountStatus::Active
    } else {
        AccountStatus::Suspended
    };
    Ok(AccountInfo::new(username, status)
        .with_email(record.email)
        .with_display_name(record.display_name)
        .with_quota(quota_of(record.storage.limit))
        .with_groups(
            record
                .groups
                .into_iter()
                .filter_map(|g| GroupName::new(g).ok())
                .collect(),
        ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotas_are_sent_as_values_that_survive() {
        let decimal = Quota::limited(ByteSize::new(5_000_000_000)).unwrap();
        assert_eq!(
            wire_quota(decimal).unwrap(),
            QuotaValue::Bytes(ByteSize::new(5_046_586_573))
        );
        let binary: Quota = "10 GB".parse().unwrap();
        assert_eq!(
            wire_quota(binary).unwrap(),
            QuotaValue::Bytes(ByteSize::new(10 << 30))
        );
        assert_eq!(wire_quota(Quota::Unlimited).unwrap(), QuotaValue::Unlimited);
        assert_eq!(NextcloudProvider::stored_quota(binary).unwrap(), binary);
        let huge = Quota::limited(ByteSize::new(u64::MAX)).unwrap();
        assert_eq!(
            wire_quota(huge).unwrap_err().kind(),
            ErrorKind::InvalidInput
        );
    }

    #[test]
    fn a_zero_quota_is_never_read_as_unlimited() {
        assert_eq!(quota_of(QuotaLimit::Bytes(ByteSize::ZERO)), None);
        assert_eq!(quota_of(QuotaLimit::Unlimited), Some(Quota::Unlimited));
    }

    #[test]
    fn input_checks() {
        assert!(check_display_name(&"x".repeat(64)).is_ok());
        assert!(check_display_name(&"x".repeat(65)).is_err());
        assert!(check_display_name(" ").is_err());
        assert!(check_password(&SecretString::from(String::new())).is_err());
        assert!(check_password(&SecretString::from("x".repeat(470))).is_err());
        assert!(check_groups("g", &[GroupName::new("g".repeat(64)).unwrap()]).is_ok());
        assert!(check_groups("g", &[GroupName::new("g".repeat(65)).unwrap()]).is_err());
    }
}
