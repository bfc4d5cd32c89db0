//! [`SynologyProvider`]: the [`StorageProvider`] on top of [`SynologyClient`].
//!
//! Quota is enforced by DSM through the plan's pre-configured group (its share quota on
//! `homes`); the library's quota is what the customer is shown and what thresholds use.
//! Suspend is DSM's `expired="now"`. Usage comes from `SYNO.Core.Quota`, one read per
//! user (DSM has no bulk usage call), [`DEFAULT_USAGE_BATCH`] reads to a request
//! (`SYNO.Entry.Request`) where DSM batches, about [`DEFAULT_USAGE_CONCURRENCY`] at once.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use async_trait::async_trait;
use futures::stream::{FuturesOrdered, StreamExt};
use provision_core::error::{Error, ErrorKind, Result};
use provision_core::http::{ClientOptions, Tls};
use provision_core::provider::{
    AccountInfo, AccountSpec, AccountStatus, Capabilities, Plan, QuotaEnforcement, ServerInfo,
    StorageProvider, Usage,
};
use provision_core::rules::NamePolicy;
use provision_core::username::{GroupName, Username};
use secrecy::SecretString;

use crate::client::{
    Credentials, Group, HomeService, NewUser, PasswordPolicy, SynologyClient, User, UserQuota,
    DEFAULT_DEVICE_NAME, DEFAULT_SESSION_LABEL,
};
use crate::error::{dsm_code, BACKEND, NAME_TAKEN_CODES};
use crate::NAME_POLICY;

/// How many usage reads `usage_all` runs at once by default.
pub const DEFAULT_USAGE_CONCURRENCY: usize = 16;

/// How many usage reads go into one batched request by default.
pub const DEFAULT_USAGE_BATCH: usize = 50;

/// How long an absence seen by `account` stands in for `create_account`'s own check.
const ABSENCE_MEMORY: Duration = Duration::from_secs(10);

/// How long a listing of groups answers "does the plan's group exist?".
const GROUP_MEMORY: Duration = Duration::from_secs(60);

/// DSM's limit on group names (facts sheet §4).
const MAX_GROUP_NAME_CHARS: usize = 32;

/// DSM's limit on descriptions (facts sheet §6).
const MAX_DESCRIPTION_CHARS: usize = 64;

/// Groups a plan may never name: `administrators` would make a customer an
/// administrator, `http` is the web server's, and every user is in `users` already.
const SYSTEM_GROUPS: [&str; 3] = ["administrators", "http", "users"];

/// Environment variables [`SynologyProvider::from_env`] reads.
pub mod env {
    /// The DSM address (e.g. `https://nas.example.com:5001`); unset means "no DSM".
    pub const URL: &str = "PROVISION_SYNOLOGY_URL";
    /// The administrator account.
    pub const USER: &str = "PROVISION_SYNOLOGY_USER";
    /// Its password.
    pub const PASSWORD: &str = "PROVISION_SYNOLOGY_PASSWORD";
    /// A plan group that exists on the DSM (read by tests and examples).
    pub const GROUP: &str = "PROVISION_SYNOLOGY_GROUP";
    /// Optional: a current two-step verification code.
    pub const OTP: &str = "PROVISION_SYNOLOGY_OTP";
    /// Optional: a trusted-device token DSM issued earlier.
    pub const DEVICE_TOKEN: &str = "PROVISION_SYNOLOGY_DEVICE_TOKEN";
    /// Optional: `1`/`true` accepts a self-signed certificate without checking it.
    pub const INSECURE_TLS: &str = "PROVISION_SYNOLOGY_INSECURE_TLS";
    /// Optional: the path of a PEM CA certificate to trust besides the system roots.
    pub const CA_FILE: &str = "PROVISION_SYNOLOGY_CA_FILE";
}

/// Builds a [`SynologyProvider`].
pub struct SynologyProviderBuilder {
    base_url: String,
    account: Option<String>,
    password: Option<SecretString>,
    otp_code: Option<SecretString>,
    device_token: Option<SecretString>,
    device_name: String,
    session_label: String,
    options: ClientOptions,
    usage_concurrency: usize,
    usage_batch: usize,
}

impl fmt::Debug for SynologyProviderBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let redacted = |s: &Option<SecretString>| s.as_ref().map(|_| "[redacted]");
        f.debug_struct("SynologyProviderBuilder")
            .field("base_url", &self.base_url)
            .field("account", &self.account)
            .field("password", &redacted(&self.password))
            .field("otp_code", &redacted(&self.otp_code))
            .field("device_token", &redacted(&self.device_token))
            .field("device_name", &self.device_name)
            .field("session_label", &self.session_label)
            .field("options", &self.options)
            .field("usage_concurrency", &self.usage_concurrency)
            .field("usage_batch", &self.usage_batch)
            .finish()
    }
}

impl SynologyProviderBuilder {
    /// The administrator account and its password.
    pub fn credentials(mut self, account: impl Into<String>, password: SecretString) -> Self {
        self.account = Some(account.into());
        self.password = Some(password);
        self
    }

    /// A current two-step verification code for the first login; DSM then issues a
    /// device token ([`SynologyProvider::device_token`]) to store for later runs.
    pub fn otp_code(mut self, code: SecretString) -> Self {
        self.otp_code = Some(code);
        self
    }

    /// A trusted-device token from an earlier OTP login: no code is needed with it.
    pub fn device_token(mut self, token: SecretString) -> Self {
        self.device_token = Some(token);
        self
    }

    /// The device name DSM shows for the token (default `provision`).
    pub fn device_name(mut self, name: impl Into<String>) -> Self {
        self.device_name = name.into();
        self
    }

    /// The session label (default `provision`): logging it out never ends other
    /// sessions of the same account.
    pub fn session_label(mut self, label: impl Into<String>) -> Self {
        self.session_label = label.into();
        self
    }

    /// Timeouts, TLS (extra CA or insecure for a self-signed DSM), retries.
    pub fn client_options(mut self, options: ClientOptions) -> Self {
        self.options = options;
        self
    }

    /// About how many accounts `usage_all` reads at once (at least 1; default 16): with
    /// batches of [`Self::usage_batch`] accounts, `concurrency / batch` requests (at least
    /// one) are in flight. Under Noise IK every request spends a nonce; they are handed
    /// out in order but may arrive out of order when sent at once. Whether DSM minds is
    /// unknown; a DSM that does wants 1 here.
    pub fn usage_concurrency(mut self, concurrency: usize) -> Self {
        self.usage_concurrency = concurrency;
        self
    }

    /// How many usage reads a sweep puts into one request (DSM's `SYNO.Entry.Request`;
    /// default 50; 1 sends one request per account). A DSM without batching gets one
    /// request per account whatever this says.
    pub fn usage_batch(mut self, reads_per_request: usize) -> Self {
        self.usage_batch = reads_per_request;
        self
    }

    /// Checks the settings and builds the provider; nothing is sent yet.
    pub fn build(self) -> Result<SynologyProvider> {
        let account = self
            .account
            .ok_or_else(|| Error::invalid("account", "no DSM account given"))?;
        let password = self
            .password
            .ok_or_else(|| Error::invalid("password", "no DSM password given"))?;
        if self.usage_concurrency == 0 {
            return Err(Error::invalid("usage_concurrency", "must be at least 1"));
        }
        if self.usage_batch == 0 {
            return Err(Error::invalid("usage_batch", "must be at least 1"));
        }
        let mut credentials =
            Credentials::new(account, password).with_device_name(self.device_name);
        if let Some(code) = self.otp_code {
            credentials = credentials.with_otp_code(code);
        }
        if let Some(token) = self.device_token {
            credentials = credentials.with_device_token(token);
        }
        let client = SynologyClient::new(
            &self.base_url,
            credentials,
            &self.session_label,
            &self.options,
        )?;
        Ok(SynologyProvider {
            client,
            usage_concurrency: self.usage_concurrency,
            usage_batch: self.usage_batch,
            password_policy: tokio::sync::OnceCell::new(),
            batching_refused: AtomicBool::new(false),
            absences: Mutex::new(HashMap::new()),
            groups_seen: Mutex::new(None),
        })
    }
}

/// Provisions local DSM accounts. Cheap to share behind an `Arc`.
pub struct SynologyProvider {
    client: SynologyClient,
    usage_concurrency: usize,
    usage_batch: usize,
    password_policy: tokio::sync::OnceCell<PasswordPolicy>,
    /// Set once DSM refused a batched request as such: read one by one from then on.
    batching_refused: AtomicBool,
    /// Names `account` found absent (folded), and when: `create_account` right after
    /// need not list every user again. DSM itself refuses a taken name (3107).
    absences: Mutex<HashMap<String, Instant>>,
    /// The last listing of groups, for checking that a plan's groups exist.
    groups_seen: Mutex<Option<(Instant, Vec<Group>)>>,
}

impl fmt::Debug for SynologyProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SynologyProvider")
            .field("client", &self.client)
            .field("usage_concurrency", &self.usage_concurrency)
            .field("usage_batch", &self.usage_batch)
            .finish_non_exhaustive()
    }
}

fn env_var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn not_found(user: &Username) -> impl FnOnce(Error) -> Error + '_ {
    move |e| {
        if e.kind() == ErrorKind::NotFound {
            Error::AccountNotFound {
                username: user.to_string(),
            }
        } else {
            e
        }
    }
}

/// A user's usage of the `homes` share on the home volume.
fn usage_from(quota: &UserQuota, home: &HomeService) -> Usage {
    let home_usage = quota.home_usage(home);
    Usage {
        used: home_usage.used,
        quota: home_usage.limit,
        measured_at: None,
    }
}

/// The guarded value, also after a panic elsewhere (the caches hold no invariants).
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn same_name(a: &str, b: &str) -> bool {
    NAME_POLICY.same_account(a, b)
}

fn group_names(names: Vec<String>) -> Vec<GroupName> {
    names
        .into_iter()
        .filter_map(|g| GroupName::new(g).ok())
        .collect()
}

fn contains_group(groups: &[String], group: &GroupName) -> bool {
    groups
        .iter()
        .any(|g| g.eq_ignore_ascii_case(group.as_str()))
}

/// Checks a name against DSM's policy, plus the `sc-` prefix DSM packages hold.
fn check_username(user: &Username) -> Result<()> {
    NAME_POLICY.validate(user.as_str())?;
    if user.as_str().starts_with("sc-") {
        return Err(Error::invalid(
            "username",
            "names starting with \"sc-\" belong to DSM packages",
        ));
    }
    Ok(())
}

/// Checks what can be checked of a plan without asking DSM.
fn check_plan(field: &'static str, plan: &Plan) -> Result<()> {
    for (i, group) in plan.groups.iter().enumerate() {
        if group.as_str().chars().count() > MAX_GROUP_NAME_CHARS {
            return Err(Error::invalid(
                field,
                format!("group {group} is longer than DSM's {MAX_GROUP_NAME_CHARS} characters"),
            ));
        }
        if SYSTEM_GROUPS
            .iter()
            .any(|s| s.eq_ignore_ascii_case(group.as_str()))
        {
            return Err(Error::invalid(
                field,
                format!("group {group} is a DSM system group, not a plan group"),
            ));
        }
        if plan.groups[..i]
            .iter()
            .any(|g| g.as_str().eq_ignore_ascii_case(group.as_str()))
        {
            return Err(Error::invalid(
                field,
                format!("group {group} is named twice"),
            ));
        }
    }
    if plan.groups.is_empty() && !plan.quota.is_unlimited() {
        return Err(Error::invalid(
            field,
            "a limited plan must name its DSM group: DSM enforces the quota through it",
        ));
    }
    Ok(())
}

fn check_text(field: &'static str, value: &str, max_chars: usize) -> Result<()> {
    if value.chars().any(char::is_control) {
        return Err(Error::invalid(field, "holds a control character"));
    }
    if value.chars().count() > max_chars {
        return Err(Error::invalid(
            field,
            format!("longer than {max_chars} characters"),
        ));
    }
    Ok(())
}

fn check_email(email: &str) -> Result<()> {
    check_text("email", email, 254)?;
    let valid = match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.is_empty()
                && !domain.contains('@')
                && !email.chars().any(char::is_whitespace)
        }
        None => false,
    };
    if valid {
        Ok(())
    } else {
        Err(Error::invalid("email", "not an e-mail address"))
    }
}

/// The password checks that need no policy: not empty, at most 127 characters.
fn check_password_shape(user: &Username, password: &SecretString) -> Result<()> {
    PasswordPolicy::default()
        .check(user, password)
        .map_err(|v| Error::invalid("password", v.to_string()))
}

/// Undoes done steps in reverse order; the operation's error comes back, wrapped in
/// [`Error::RollbackFailed`] when an undo step failed too.
async fn roll_back<F, Fut>(operation: &'static str, error: Error, undo_steps: Vec<F>) -> Error
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = Result<()>>,
{
    let mut first_failure = None;
    for undo in undo_steps.into_iter().rev() {
        if let Err(e) = undo().await {
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

/// A step of a multi-step change, kept so it can be undone.
enum Done {
    Created(Username),
    Joined(GroupName),
    Left(GroupName),
}

impl SynologyProvider {
    /// A builder for the DSM at `base_url` (`nas.example.com` means
    /// `https://nas.example.com:5001`).
    pub fn builder(base_url: impl Into<String>) -> SynologyProviderBuilder {
        SynologyProviderBuilder {
            base_url: base_url.into(),
            account: None,
            password: None,
            otp_code: None,
            device_token: None,
            device_name: DEFAULT_DEVICE_NAME.to_string(),
            session_label: DEFAULT_SESSION_LABEL.to_string(),
            options: ClientOptions::default(),
            usage_concurrency: DEFAULT_USAGE_CONCURRENCY,
            usage_batch: DEFAULT_USAGE_BATCH,
        }
    }

    /// A provider from the environment ([`mod@env`]): None when `PROVISION_SYNOLOGY_URL`
    /// is unset; an error when it is set but the account or password is missing.
    pub fn from_env() -> Result<Option<SynologyProvider>> {
        let Some(url) = env_var(env::URL) else {
            return Ok(None);
        };
        let account = env_var(env::USER)
            .ok_or_else(|| Error::invalid("account", format!("{} is not set", env::USER)))?;
        let password = env_var(env::PASSWORD)
            .ok_or_else(|| Error::invalid("password", format!("{} is not set", env::PASSWORD)))?;
        let mut options = ClientOptions::default();
        if let Some(path) = env_var(env::CA_FILE) {
            let pem = std::fs::read(&path)
                .map_err(|e| Error::invalid("tls", format!("cannot read {path}: {e}")))?;
            options = options.with_tls(Tls::ExtraCa(pem));
        }
        if env_var(env::INSECURE_TLS)
            .is_some_and(|v| matches!(v.to_ascii_lowercase().as_str(), "1" | "true" | "yes"))
        {
            options = options.with_tls(Tls::Insecure);
        }
        let mut builder = SynologyProvider::builder(url)
            .credentials(account, SecretString::from(password))
            .client_options(options);
        if let Some(code) = env_var(env::OTP) {
            builder = builder.otp_code(SecretString::from(code));
        }
        if let Some(token) = env_var(env::DEVICE_TOKEN) {
            builder = builder.device_token(SecretString::from(token));
        }
        builder.build().map(Some)
    }

    /// The wire client beneath, for calls the trait does not cover.
    pub fn client(&self) -> &SynologyClient {
        &self.client
    }

    /// The device token DSM issued after an OTP login (store it for later runs).
    pub fn device_token(&self) -> Option<SecretString> {
        self.client.device_token()
    }

    /// Logs the session out (DSM keeps idle sessions alive for a while otherwise).
    pub async fn close(&self) -> Result<()> {
        self.client.logout().await
    }

    /// DSM's live password policy, read once; a DSM without the policy API gets only
    /// the fixed checks here (it still enforces its own policy on create and set).
    async fn policy(&self) -> Result<&PasswordPolicy> {
        self.password_policy
            .get_or_try_init(|| async {
                match self.client.password_policy().await {
                    Err(Error::Unsupported(_)) => Ok(PasswordPolicy::default()),
                    other => other,
                }
            })
            .await
    }

    async fn check_password(&self, user: &Username, password: &SecretString) -> Result<()> {
        self.policy()
            .await?
            .check(user, password)
            .map_err(|v| Error::invalid("password", v.to_string()))
    }

    /// The user as DSM lists it (case-insensitively), or None. Uses `list`, never
    /// `get`, which has answered "no such user" for existing accounts.
    async fn find_user(&self, user: &Username) -> Result<Option<User>> {
        Ok(self
            .client
            .list_users()
            .await?
            .into_iter()
            .find(|u| same_name(&u.name, user.as_str())))
    }

    /// Notes that `account` just found `user` absent.
    fn remember_absence(&self, user: &Username) {
        let now = Instant::now();
        let mut absences = lock(&self.absences);
        if absences.len() >= 1024 {
            absences.retain(|_, seen| now.duration_since(*seen) < ABSENCE_MEMORY);
        }
        absences.insert(user.as_str().to_lowercase(), now);
    }

    /// Whether `account` found `user` absent moments ago (used once, then forgotten).
    fn was_just_absent(&self, user: &Username) -> bool {
        lock(&self.absences)
            .remove(&user.as_str().to_lowercase())
            .is_some_and(|seen| seen.elapsed() < ABSENCE_MEMORY)
    }

    /// Every group, from a listing of the last minute when it names all of `wanted`.
    /// A group deleted since is caught by DSM when the account joins it (3205), and the
    /// create is undone.
    async fn groups_for(&self, wanted: &[GroupName]) -> Result<Vec<Group>> {
        let known = |groups: &[Group], name: &GroupName| {
            groups
                .iter()
                .any(|g| g.name.eq_ignore_ascii_case(name.as_str()))
        };
        if let Some((seen, groups)) = &*lock(&self.groups_seen) {
            if seen.elapsed() < GROUP_MEMORY && wanted.iter().all(|w| known(groups, w)) {
                return Ok(groups.clone());
            }
        }
        self.fresh_groups().await
    }

    /// Adds `user` to `group`; a failed join drops the kept groups listing, since the
    /// group may be gone.
    async fn join(&self, group: &GroupName, user: &Username) -> Result<()> {
        let joined = self.client.add_to_group(group, user).await;
        if joined.is_err() {
            *lock(&self.groups_seen) = None;
        }
        joined
    }

    /// Lists every group and keeps the listing for [`Self::groups_for`].
    async fn fresh_groups(&self) -> Result<Vec<Group>> {
        let groups = self.client.list_groups().await?;
        *lock(&self.groups_seen) = Some((Instant::now(), groups.clone()));
        Ok(groups)
    }

    /// The plan's groups as DSM spells them; a group DSM lacks rejects the plan.
    async fn existing_groups(&self, field: &'static str, plan: &Plan) -> Result<Vec<GroupName>> {
        if plan.groups.is_empty() {
            return Ok(Vec::new());
        }
        let on_dsm = self.groups_for(&plan.groups).await?;
        plan.groups
            .iter()
            .map(|wanted| {
                on_dsm
                    .iter()
                    .find(|g| g.name.eq_ignore_ascii_case(wanted.as_str()))
                    .and_then(|g| GroupName::new(g.name.clone()).ok())
                    .ok_or_else(|| {
                        Error::invalid(
                            field,
                            format!("group {wanted} does not exist on the DSM (plan groups are pre-configured)"),
                        )
                    })
            })
            .collect()
    }

    /// After a create that failed, decides whether the account was made: DSM's own
    /// answer (an error code) decides; otherwise (timeout, broken connection, a proxy's
    /// 5xx) a lookup does.
    async fn settle_failed_create(&self, user: &Username, error: Error) -> Result<Username> {
        if matches!(&error, Error::Server(s) if s.code.is_some()) {
            if dsm_code(&error).is_some_and(|c| NAME_TAKEN_CODES.contains(&c)) {
                return Err(Error::AccountExists {
                    username: user.to_string(),
                });
            }
            return Err(error);
        }
        if !error.may_have_reached_server() {
            return Err(error);
        }
        match self.find_user(user).await {
            // It was absent just before, so this create made it.
            Ok(Some(found)) => Username::new(found.name).map_err(Error::from),
            Ok(None) => Err(error),
            Err(lookup) => {
                tracing::warn!(backend = BACKEND, %user, %lookup, "cannot settle a failed create");
                Err(error)
            }
        }
    }

    async fn undo_for(&self, user: &Username, step: Done) -> Result<()> {
        match step {
            Done::Joined(group) => self.client.remove_from_group(&group, user).await,
            Done::Left(group) => self.client.add_to_group(&group, user).await,
            Done::Created(created) => self.client.delete_user(&created).await,
        }
    }

    async fn undo_all(
        &self,
        operation: &'static str,
        user: &Username,
        error: Error,
        done: Vec<Done>,
    ) -> Error {
        let steps: Vec<_> = done
            .into_iter()
            .map(|step| move || self.undo_for(user, step))
            .collect();
        roll_back(operation, error, steps).await
    }

    async fn usage_of(&self, user: &Username, home: &HomeService) -> Result<Usage> {
        let quota = self.client.user_quota(user).await?;
        Ok(usage_from(&quota, home))
    }

    /// The usage of `users` in one batched request, or one request each (at most
    /// `concurrency` at once) where DSM cannot batch; each slot's own result, in order.
    async fn read_batch(
        &self,
        users: &[&Username],
        home: &HomeService,
        concurrency: usize,
    ) -> Vec<Result<Usage>> {
        if users.len() > 1 && !self.batching_refused.load(Ordering::Relaxed) {
            match self.client.user_quotas_of(users).await {
                Ok(quotas) => {
                    return users
                        .iter()
                        .zip(quotas)
                        .map(|(user, quota)| {
                            quota.map(|q| usage_from(&q, home)).map_err(not_found(user))
                        })
                        .collect()
                }
                Err(e) => {
                    if e.kind() == ErrorKind::Unsupported {
                        self.batching_refused.store(true, Ordering::Relaxed);
                    }
                    // Each account gets its own answer (or its own error) below.
                    tracing::debug!(backend = BACKEND, %e, "batched usage read failed; reading one by one");
                }
            }
        }
        let mut waiting = users.iter();
        let mut reading = FuturesOrdered::new();
        let mut read = Vec::with_capacity(users.len());
        loop {
            while reading.len() < concurrency.max(1) {
                let Some(user) = waiting.next() else { break };
                reading.push_back(async move {
                    self.usage_of(user, home).await.map_err(not_found(user))
                });
            }
            match reading.next().await {
                Some(answer) => read.push(answer),
                None => return read,
            }
        }
    }

    /// The usage of each of `users` (names DSM listed or that passed the checks), in
    /// order: batches of `usage_batch`, about `concurrency` accounts at once.
    async fn read_many(
        &self,
        users: &[&Username],
        concurrency: usize,
    ) -> Result<Vec<Result<Usage>>> {
        if users.is_empty() {
            return Ok(Vec::new());
        }
        self.client.check_support().await?;
        let home = self.client.home_service().await?;
        let batch = if self.batching_refused.load(Ordering::Relaxed) {
            1
        } else {
            self.usage_batch
        };
        let in_flight = concurrency.max(1).div_ceil(batch);
        let mut waiting = users.chunks(batch);
        let mut reading = FuturesOrdered::new();
        let mut read = Vec::with_capacity(users.len());
        loop {
            while reading.len() < in_flight {
                let Some(chunk) = waiting.next() else { break };
                // A batch read one by one shares the bound with the batches in flight.
                reading.push_back(self.read_batch(chunk, &home, concurrency.div_ceil(in_flight)));
            }
            match reading.next().await {
                Some(answers) => read.extend(answers),
                None => break,
            }
        }
        // Without a figure, the account may be gone: one listing tells, as `usage`
        // does for a single account.
        if read
            .iter()
            .any(|r| matches!(r, Ok(Usage { used: None, .. })))
        {
            match self.client.list_user_names().await {
                Ok(listed) => {
                    for (user, answer) in users.iter().zip(read.iter_mut()) {
                        let unknown = matches!(answer, Ok(Usage { used: None, .. }));
                        if unknown && !listed.iter().any(|name| same_name(name, user.as_str())) {
                            *answer = Err(Error::AccountNotFound {
                                username: user.to_string(),
                            });
                        }
                    }
                }
                Err(e) => {
                    tracing::warn!(backend = BACKEND, %e, "cannot tell whether accounts without usage exist");
                }
            }
        }
        Ok(read)
    }
}

#[async_trait]
impl StorageProvider for SynologyProvider {
    fn capabilities(&self) -> Capabilities {
        Capabilities {
            quota_enforcement: QuotaEnforcement::Group,
            groups: true,
            buckets: false,
            bulk_usage: false,
        }
    }

    fn name_policy(&self) -> &NamePolicy {
        &NAME_POLICY
    }

    async fn test_connection(&self) -> Result<ServerInfo> {
        self.client.check_support().await?;
        let session = self.client.login().await?;
        let dsm = self.client.dsm_info().await?;
        let is_admin = match Username::new(self.client.account()) {
            Ok(me) => match self.client.user_groups(&me).await {
                Ok(groups) => groups.iter().any(|g| g == "administrators"),
                Err(e) if e.kind() == ErrorKind::PermissionDenied => false,
                Err(e) => return Err(e),
            },
            Err(_) => false,
        };
        let mut details = BTreeMap::new();
        details.insert("api".to_string(), self.client.base_url().to_string());
        details.insert("auth_version".to_string(), session.auth_version.to_string());
        details.insert(
            "noise_ik".to_string(),
            if session.noise_ik { "on" } else { "off" }.to_string(),
        );
        if let Some(model) = &dsm.model {
            details.insert("model".to_string(), model.clone());
        }
        if let Some(build) = &dsm.version {
            details.insert("build".to_string(), build.clone());
        }
        Ok(ServerInfo {
            backend: BACKEND,
            product: "DSM".to_string(),
            // DSM writes "DSM 7.2.1-69057 Update 6"; the product is named already.
            version: dsm
                .version_string
                .map(|v| v.trim_start_matches("DSM ").to_string())
                .or(dsm.version),
            is_admin,
            details,
        })
    }

    async fn account(&self, user: &Username) -> Result<Option<AccountInfo>> {
        check_username(user)?;
        self.client.check_support().await?;
        let Some(found) = self.find_user(user).await? else {
            self.remember_absence(user);
            return Ok(None);
        };
        let username = Username::new(found.name.clone())?;
        let groups = match self.client.user_groups(&username).await {
            Ok(groups) => group_names(groups),
            // Deleted between the two reads.
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e),
        };
        Ok(Some(AccountInfo {
            status: if found.is_disabled() {
                AccountStatus::Suspended
            } else {
                AccountStatus::Active
            },
            email: found.email.filter(|e| !e.is_empty()),
            display_name: found.description.filter(|d| !d.is_empty()),
            // The enforced quota lives on the plan group; `usage` reports it.
            quota: None,
            groups,
            username,
        }))
    }

    async fn create_account(&self, spec: &AccountSpec) -> Result<AccountInfo> {
        let user = &spec.username;
        check_username(user)?;
        check_password_shape(user, &spec.password)?;
        if let Some(email) = &spec.email {
            check_email(email)?;
        }
        if let Some(name) = &spec.display_name {
            check_text("display_name", name, MAX_DESCRIPTION_CHARS)?;
        }
        check_plan("plan.groups", &spec.plan)?;
        self.client.check_support().await?;
        self.check_password(user, &spec.password).await?;
        let groups = self.existing_groups("plan.groups", &spec.plan).await?;
        // Listing every user is the costly part of a create; an absence `account` saw
        // moments ago (a provisioner's name check) is as good: DSM refuses a taken name
        // itself, and a failed create is settled by the listing then.
        if !self.was_just_absent(user) && self.find_user(user).await?.is_some() {
            return Err(Error::AccountExists {
                username: user.to_string(),
            });
        }

        let new_user = NewUser {
            name: user,
            password: &spec.password,
            description: spec.display_name.as_deref().unwrap_or(""),
            email: spec.email.as_deref().unwrap_or(""),
        };
        let created = match self.client.create_user(&new_user).await {
            Ok(created) => Username::new(created.name).unwrap_or_else(|_| user.clone()),
            Err(e) => self.settle_failed_create(user, e).await?,
        };
        let mut done = vec![Done::Created(created.clone())];
        for group in &groups {
            if let Err(e) = self.join(group, &created).await {
                return Err(self.undo_all("create_account", &created, e, done).await);
            }
            done.push(Done::Joined(group.clone()));
        }
        // DSM answers success to a membership change whatever it did: read back.
        let member_of = match self.client.user_groups(&created).await {
            Ok(member_of) => member_of,
            Err(e) => return Err(self.undo_all("create_account", &created, e, done).await),
        };
        if let Some(missing) = groups.iter().find(|g| !contains_group(&member_of, g)) {
            let e = Error::protocol(
                BACKEND,
                format!("DSM accepted adding {created} to {missing}, but the membership is absent"),
            );
            return Err(self.undo_all("create_account", &created, e, done).await);
        }
        Ok(AccountInfo {
            username: created,
            status: AccountStatus::Active,
            email: spec.email.clone(),
            display_name: spec.display_name.clone(),
            quota: None,
            groups: group_names(member_of),
        })
    }

    async fn suspend(&self, user: &Username) -> Result<()> {
        check_username(user)?;
        self.client.check_support().await?;
        self.client
            .disable_user(user)
            .await
            .map_err(not_found(user))
    }

    async fn unsuspend(&self, user: &Username) -> Result<()> {
        check_username(user)?;
        self.client.check_support().await?;
        self.client.enable_user(user).await.map_err(not_found(user))
    }

    async fn terminate(&self, user: &Username) -> Result<()> {
        check_username(user)?;
        self.client.check_support().await?;
        // DSM's answer for a missing user is uncertain (105? 3101?): look instead.
        let Some(found) = self.find_user(user).await? else {
            return Ok(());
        };
        let on_dsm = Username::new(found.name)?;
        match self.client.delete_user(&on_dsm).await {
            Ok(()) => {}
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(e),
        }
        if self.find_user(user).await?.is_some() {
            return Err(Error::protocol(
                BACKEND,
                format!("DSM accepted deleting {on_dsm}, but the user still exists"),
            ));
        }
        Ok(())
    }

    async fn change_password(&self, user: &Username, password: &SecretString) -> Result<()> {
        check_username(user)?;
        check_password_shape(user, password)?;
        self.client.check_support().await?;
        self.check_password(user, password).await?;
        self.client
            .set_password(user, password)
            .await
            .map_err(not_found(user))
    }

    async fn change_plan(&self, user: &Username, from: &Plan, to: &Plan) -> Result<()> {
        check_username(user)?;
        check_plan("from.groups", from)?;
        check_plan("to.groups", to)?;
        self.client.check_support().await?;
        let new_groups = self.existing_groups("to.groups", to).await?;
        let current = self
            .client
            .user_groups(user)
            .await
            .map_err(not_found(user))?;
        let joins: Vec<&GroupName> = new_groups
            .iter()
            .filter(|g| !contains_group(&current, g))
            .collect();
        let leaves: Vec<GroupName> = from
            .groups
            .iter()
            .filter(|old| {
                !to.groups
                    .iter()
                    .any(|g| g.as_str().eq_ignore_ascii_case(old.as_str()))
            })
            .filter_map(|old| {
                current
                    .iter()
                    .find(|c| c.eq_ignore_ascii_case(old.as_str()))
            })
            .filter_map(|c| GroupName::new(c.clone()).ok())
            .collect();

        // Join first: a user in no plan group would have no quota at all.
        let mut done = Vec::new();
        for group in joins {
            if let Err(e) = self.join(group, user).await {
                return Err(self.undo_all("change_plan", user, e, done).await);
            }
            done.push(Done::Joined(group.clone()));
        }
        for group in &leaves {
            if let Err(e) = self.client.remove_from_group(group, user).await {
                return Err(self.undo_all("change_plan", user, e, done).await);
            }
            done.push(Done::Left(group.clone()));
        }
        let now = match self.client.user_groups(user).await {
            Ok(now) => now,
            Err(e) => return Err(self.undo_all("change_plan", user, e, done).await),
        };
        let missing = new_groups.iter().find(|g| !contains_group(&now, g));
        let stuck = leaves.iter().find(|g| contains_group(&now, g));
        if let Some(problem) = missing
            .map(|g| format!("{user} is not in {g}"))
            .or_else(|| stuck.map(|g| format!("{user} is still in {g}")))
        {
            let e = Error::protocol(
                BACKEND,
                format!("DSM accepted the membership change, but {problem}"),
            );
            return Err(self.undo_all("change_plan", user, e, done).await);
        }
        Ok(())
    }

    async fn usage(&self, user: &Username) -> Result<Usage> {
        check_username(user)?;
        self.client.check_support().await?;
        let home = self.client.home_service().await?;
        let usage = self.usage_of(user, &home).await.map_err(not_found(user))?;
        if usage.used.is_none() && self.find_user(user).await?.is_none() {
            return Err(Error::AccountNotFound {
                username: user.to_string(),
            });
        }
        Ok(usage)
    }

    /// Reads in batches of [`SynologyProviderBuilder::usage_batch`] accounts per request
    /// (`SYNO.Entry.Request`), with about `concurrency` accounts being read at once.
    async fn usage_many(
        &self,
        users: &[Username],
        concurrency: usize,
    ) -> Result<Vec<Result<Usage>>> {
        let results: Vec<Option<Result<Usage>>> = users
            .iter()
            .map(|user| check_username(user).err().map(Err))
            .collect();
        let valid: Vec<&Username> = users
            .iter()
            .zip(&results)
            .filter(|(_, checked)| checked.is_none())
            .map(|(user, _)| user)
            .collect();
        let mut read = self.read_many(&valid, concurrency).await?.into_iter();
        Ok(results
            .into_iter()
            .map(|checked| match checked {
                Some(refused) => refused,
                None => read
                    .next()
                    .unwrap_or_else(|| Err(Error::protocol(BACKEND, "a usage read went missing"))),
            })
            .collect())
    }

    async fn usage_all(&self) -> Result<Vec<(Username, Usage)>> {
        self.client.check_support().await?;
        let names: Vec<Username> = self
            .client
            .list_user_names()
            .await?
            .into_iter()
            .filter_map(|name| match Username::new(name) {
                Ok(name) => Some(name),
                Err(e) => {
                    tracing::warn!(backend = BACKEND, %e, "skipping a user name DSM listed");
                    None
                }
            })
            .collect();
        let listed: Vec<&Username> = names.iter().collect();
        let reads = self.read_many(&listed, self.usage_concurrency).await?;
        let mut all = Vec::with_capacity(names.len());
        for (name, read) in names.into_iter().zip(reads) {
            match read {
                Ok(usage) => all.push((name, usage)),
                // Deleted since the list: not an account any more.
                Err(e) if e.kind() == ErrorKind::NotFound => {}
                Err(e) => return Err(e),
            }
        }
        all.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(all)
    }

    async fn list_groups(&self) -> Result<Vec<GroupName>> {
        self.client.check_support().await?;
        Ok(group_names(
            self.fresh_groups()
                .await?
                .into_iter()
                .map(|g| g.name)
                .collect(),
        ))
    }
}
