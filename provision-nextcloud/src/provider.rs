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
//!   a timed-out create by looking the account up (never by sending it again), and
//!   undoes its earlier steps when a later one fails.
//! - Nextcloud rate-limits edits per admin account: edits happen only when a value
//!   changes, back off on HTTP 429, and the usage sweep uses none.

use std::collections::{BTreeMap, HashSet};
use std::fmt;

use async_trait::async_trait;
use provision_core::http::ClientOptions;
use provision_core::provider::is_not_found;
use provision_core::rules::{CaseRule, EdgeRule, NamePolicy};
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

/// Environment variable with the server's base URL.
pub const ENV_URL: &str = "PROVISION_NEXTCLOUD_URL";
/// Environment variable with the admin's login name.
pub const ENV_USER: &str = "PROVISION_NEXTCLOUD_USER";
/// Environment variable with the admin's account password (not an app password).
pub const ENV_PASSWORD: &str = "PROVISION_NEXTCLOUD_PASSWORD";

/// The default number of accounts per page of the usage sweep.
pub const DEFAULT_PAGE_SIZE: u32 = 500;

/// Longest group id Nextcloud keeps: longer ids are silently replaced by their SHA-256.
const MAX_GROUP_CHARS: usize = 64;
/// Longest password Nextcloud accepts, in bytes.
const MAX_PASSWORD_BYTES: usize = 469;
/// Longest display name Nextcloud accepts, in characters.
const MAX_DISPLAY_NAME_CHARS: usize = 64;

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
    pub fn admin(mut self, user: impl Into<String>, password: SecretString) -> Self {
        self.admin = Some((user.into(), password));
        self
    }

    /// Timeouts, TLS and retry limits.
    pub fn client_options(mut self, options: ClientOptions) -> Self {
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
        let (user, password) = self
            .admin
            .ok_or_else(|| Error::invalid("admin user", "not set (call admin(user, password))"))?;
        let user = Username::new(user)?;
        if self.page_size == 0 {
            return Err(Error::invalid("page size", "must be at least 1"));
        }
        let client = NextcloudClient::new(&self.base_url, user, password, &self.options)?
            .with_ocs_version(self.version);
        Ok(NextcloudProvider {
            client,
            page_size: self.page_size,
        })
    }
}

/// One step to take back when a later step of a multi-step operation fails.
enum Undo {
    DeleteUser(Username),
    DeleteGroupIfEmpty(GroupName),
    SetQuota(Username, Option<QuotaValue>),
    Join(Username, GroupName),
    Leave(Username, GroupName),
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

    /// A provider from `PROVISION_NEXTCLOUD_URL`, `PROVISION_NEXTCLOUD_USER` and
    /// `PROVISION_NEXTCLOUD_PASSWORD`; None when the URL is unset or empty, an error
    /// when the URL is set but a credential is missing.
    pub fn from_env() -> Result<Option<NextcloudProvider>> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let Some(url) = var(ENV_URL) else {
            return Ok(None);
        };
        let user = var(ENV_USER).ok_or_else(|| {
            Error::invalid(
                "admin user",
                format!("{ENV_URL} is set but {ENV_USER} is not"),
            )
        })?;
        let password = var(ENV_PASSWORD).ok_or_else(|| {
            Error::invalid(
                "admin password",
                format!("{ENV_URL} is set but {ENV_PASSWORD} is not"),
            )
        })?;
        NextcloudProvider::builder(url)
            .admin(user, SecretString::from(password))
            .build()
            .map(Some)
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

    /// Refuses to lock out or delete the account the provider logs in with (the server
    /// answers that with a code that otherwise means "not found").
    fn check_not_admin(&self, user: &Username) -> Result<()> {
        if NEXTCLOUD_POLICY.same_account(user.as_str(), self.client.admin_user().as_str()) {
            return Err(Error::invalid(
                "user",
                format!("{user} is the admin account the provider logs in with"),
            ));
        }
        Ok(())
    }

    /// Creates the group unless it exists; true when this call created it.
    async fn ensure_group(&self, group: &GroupName) -> Result<bool> {
        match self.client.create_group(group).await {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == ErrorKind::AlreadyExists => Ok(false),
            Err(e) => Err(e),
        }
    }

    async fn undo(&self, step: Undo) -> Result<()> {
        match step {
            Undo::DeleteUser(user) => match self.client.delete_user(&user).await {
                Err(e) if !is_not_found(&e) => Err(e),
                _ => Ok(()),
            },
            // Another account may have joined the group meanwhile: only an empty group
            // is ours to remove.
            Undo::DeleteGroupIfEmpty(group) => {
                if self.client.group_members(&group).await?.is_empty() {
                    self.client.delete_group(&group).await?;
                }
                Ok(())
            }
            Undo::SetQuota(user, Some(quota)) => {
                self.client.edit_user(&user, UserField::Quota(quota)).await
            }
            Undo::SetQuota(user, None) => Err(Error::protocol(
                BACKEND,
                format!("cannot restore the quota of {user}: the server did not report it"),
            )),
            Undo::Join(user, group) => self.client.add_to_group(&user, &group).await,
            Undo::Leave(user, group) => self.client.remove_from_group(&user, &group).await,
        }
    }

    /// Takes back `steps` in reverse order and returns `error`, or
    /// [`Error::RollbackFailed`] naming the first undo that failed.
    async fn roll_back(&self, operation: &'static str, error: Error, steps: Vec<Undo>) -> Error {
        let mut first_failure = None;
        for step in steps.into_iter().rev() {
            if let Err(e) = self.undo(step).await {
                tracing::warn!(backend = BACKEND, operation, error = %e, "undo step failed");
                first_failure.get_or_insert(e);
            }
        }
        match first_failure {
            None => error,
            Some(rollback) => Error::RollbackFailed {
                operation,
                error: Box::new(error),
                rollback: Box::new(rollback),
            },
        }
    }

    /// After a timed-out create found the account: applies what the cut-short call may
    /// have left out (groups, quota).
    async fn complete_create(
        &self,
        record: &UserRecord,
        spec: &AccountSpec,
        quota: QuotaValue,
    ) -> Result<()> {
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
        Ok(())
    }

    async fn create_steps(
        &self,
        spec: &AccountSpec,
        quota: QuotaValue,
        undo: &mut Vec<Undo>,
    ) -> Result<AccountInfo> {
        for group in &spec.plan.groups {
            if self.ensure_group(group).await? {
                undo.push(Undo::DeleteGroupIfEmpty(group.clone()));
            }
        }
        let email = spec.email.as_deref().map(str::trim);
        let new = NewUser {
            id: &spec.username,
            password: &spec.password,
            email,
            display_name: spec.display_name.as_deref(),
            groups: &spec.plan.groups,
            quota: Some(quota),
        };
        match self.client.create_user(&new).await {
            Ok(()) => Ok(AccountInfo {
                username: spec.username.clone(),
                status: AccountStatus::Active,
                // The server trims and lower-cases e-mail addresses.
                email: email.map(str::to_lowercase),
                display_name: spec.display_name.clone(),
                quota: quota_of(limit_of(quota)),
                groups: spec.plan.groups.clone(),
            }),
            Err(e) if e.kind() == ErrorKind::AlreadyExists => Err(Error::AccountExists {
                username: spec.username.to_string(),
            }),
            Err(e) if e.may_have_reached_server() => {
                // Settle by looking the account up: it did not exist before this call.
                let record = match self.client.user(&spec.username).await {
                    Ok(record) => record,
                    Err(lookup) if is_not_found(&lookup) => return Err(e),
                    Err(lookup) => {
                        return Err(Error::RollbackFailed {
                            operation: "create account",
                            error: Box::new(e),
                            rollback: Box::new(lookup),
                        })
                    }
                };
                undo.push(Undo::DeleteUser(spec.username.clone()));
                if matches!(e, Error::Transport(_)) {
                    // No answer arrived, but the account is there: it is ours.
                    self.complete_create(&record, spec, quota).await?;
                    let record = self.client.user(&spec.username).await?;
                    account_info(record)
                } else {
                    // The server refused after creating (an invalid quota does that):
                    // partial work, undone by the caller.
                    Err(e)
                }
            }
            Err(e) => Err(e),
        }
    }

    async fn change_plan_steps(
        &self,
        user: &Username,
        from: &Plan,
        to: &Plan,
        undo: &mut Vec<Undo>,
    ) -> Result<()> {
        let record = self
            .client
            .user(user)
            .await
            .map_err(|e| account_error(e, user))?;
        let quota = wire_quota(to.quota)?;
        // Edits are rate-limited: only send one when the value changes.
        if !same_quota(record.storage.limit, quota) {
            self.client
                .edit_user(user, UserField::Quota(quota))
                .await
                .map_err(|e| account_error(e, user))?;
            undo.push(Undo::SetQuota(
                user.clone(),
                previous_quota(record.storage.limit),
            ));
        }
        let is_member = |group: &GroupName| record.groups.iter().any(|g| g == group.as_str());
        for group in to.groups.iter().filter(|g| !is_member(g)) {
            if self.ensure_group(group).await? {
                undo.push(Undo::DeleteGroupIfEmpty(group.clone()));
            }
            self.client.add_to_group(user, group).await?;
            undo.push(Undo::Leave(user.clone(), group.clone()));
        }
        for group in from
            .groups
            .iter()
            .filter(|g| is_member(g) && !to.groups.contains(g))
        {
            self.client.remove_from_group(user, group).await?;
            undo.push(Undo::Join(user.clone(), group.clone()));
        }
        Ok(())
    }

    async fn set_enabled(&self, user: &Username, enabled: bool) -> Result<()> {
        check_user(user)?;
        self.check_not_admin(user)?;
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
        Capabilities {
            quota_enforcement: QuotaEnforcement::Native,
            groups: true,
            buckets: false,
            bulk_usage: true,
        }
    }

    fn name_policy(&self) -> &NamePolicy {
        &NEXTCLOUD_POLICY
    }

    async fn test_connection(&self) -> Result<ServerInfo> {
        let version = self.client.capabilities().await?;
        // Reading one's own groups needs valid credentials, and shows admin rights.
        let groups = self.client.user_groups(self.client.admin_user()).await?;
        let mut details = BTreeMap::new();
        details.insert(
            "admin_user".to_string(),
            self.client.admin_user().to_string(),
        );
        if let Some(edition) = &version.edition {
            details.insert("edition".to_string(), edition.clone());
        }
        Ok(ServerInfo {
            backend: BACKEND,
            product: "Nextcloud".to_string(),
            version: Some(version.version).filter(|v| !v.is_empty()),
            is_admin: groups.iter().any(|g| g == "admin"),
            details,
        })
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
        check_password(&spec.password)?;
        if let Some(email) = &spec.email {
            check_email(email)?;
        }
        if let Some(name) = &spec.display_name {
            check_display_name(name)?;
        }
        let quota = wire_quota(spec.plan.quota)?;
        check_groups(&spec.plan.groups)?;

        if self.account(&spec.username).await?.is_some() {
            return Err(Error::AccountExists {
                username: spec.username.to_string(),
            });
        }
        let mut undo = Vec::new();
        match self.create_steps(spec, quota, &mut undo).await {
            Ok(info) => Ok(info),
            Err(e) => Err(self.roll_back("create account", e, undo).await),
        }
    }

    async fn suspend(&self, user: &Username) -> Result<()> {
        self.set_enabled(user, false).await
    }

    async fn unsuspend(&self, user: &Username) -> Result<()> {
        self.set_enabled(user, true).await
    }

    async fn terminate(&self, user: &Username) -> Result<()> {
        check_user(user)?;
        self.check_not_admin(user)?;
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
        self.client
            .edit_user(user, UserField::Password(password))
            .await
            .map_err(|e| account_error(e, user))
    }

    async fn change_plan(&self, user: &Username, from: &Plan, to: &Plan) -> Result<()> {
        check_user(user)?;
        wire_quota(to.quota)?;
        check_groups(&from.groups)?;
        check_groups(&to.groups)?;
        let mut undo = Vec::new();
        match self.change_plan_steps(user, from, to, &mut undo).await {
            Ok(()) => Ok(()),
            Err(e) => Err(self.roll_back("change plan", e, undo).await),
        }
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

fn check_email(email: &str) -> Result<()> {
    let email = email.trim();
    let valid = match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.is_empty()
                && !domain.contains('@')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        }
        None => false,
    };
    if !valid {
        return Err(Error::invalid(
            "email",
            format!("{email:?} is not an e-mail address"),
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

fn check_groups(groups: &[GroupName]) -> Result<()> {
    for group in groups {
        let len = group.as_str().chars().count();
        if len > MAX_GROUP_CHARS {
            return Err(Error::invalid(
                "group",
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
    Usage {
        used: record.storage.used,
        quota: quota_of(record.storage.limit),
        measured_at: None,
    }
}

fn account_info(record: UserRecord) -> Result<AccountInfo> {
    let username = Username::new(record.id.as_str()).map_err(|e| {
        Error::protocol(
            BACKEND,
            format!("the server answered an unusable id {:?}: {e}", record.id),
        )
    })?;
    Ok(AccountInfo {
        username,
        status: if record.enabled {
            AccountStatus::Active
        } else {
            AccountStatus::Suspended
        },
        email: record.email,
        display_name: record.display_name,
        quota: quota_of(record.storage.limit),
        groups: record
            .groups
            .into_iter()
            .filter_map(|g| GroupName::new(g).ok())
            .collect(),
    })
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
        assert!(check_email("a@example.com").is_ok());
        for bad in ["", "no-at", "@x", "a@", "a b@x", "a@@x", "a@.x"] {
            assert!(check_email(bad).is_err(), "{bad}");
        }
        assert!(check_display_name(&"x".repeat(64)).is_ok());
        assert!(check_display_name(&"x".repeat(65)).is_err());
        assert!(check_display_name(" ").is_err());
        assert!(check_password(&SecretString::from(String::new())).is_err());
        assert!(check_password(&SecretString::from("x".repeat(470))).is_err());
        assert!(check_groups(&[GroupName::new("g".repeat(64)).unwrap()]).is_ok());
        assert!(check_groups(&[GroupName::new("g".repeat(65)).unwrap()]).is_err());
    }
}
