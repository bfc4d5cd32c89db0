//! [`SynologyProvider`]: the [`StorageProvider`](provision_core::StorageProvider) on top
//! of [`SynologyClient`].
//!
//! Quota is enforced by DSM through the plan's pre-configured group (its share quota on
//! `homes`); the library's quota is what the customer is shown and what thresholds use.
//! Suspend is DSM's `expired="now"`. Usage comes from `SYNO.Core.Quota`, one read per
//! user (DSM has no bulk usage call), [`DEFAULT_USAGE_BATCH`] reads to a request
//! (`SYNO.Entry.Request`) where DSM batches, about [`DEFAULT_USAGE_CONCURRENCY`] at once.
//!
//! The files: `builder` (settings, keys, environment), `checks` (input checks made
//! before anything is sent), `usage` (usage reads), `storage` (the trait), and here the
//! provider with the lookups the trait's methods share.

mod builder;
mod checks;
mod storage;
mod usage;

use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::AtomicBool;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use provision_core::config::ProviderBuilder;
use provision_core::error::{Error, ErrorKind, Result};
use provision_core::protected::{refuse_administrator, refuse_own_login, NameComparison};
use provision_core::provider::Plan;
use provision_core::username::{GroupName, Username};
use secrecy::SecretString;

use crate::client::{Group, PasswordPolicy, SynologyClient, User};
use crate::NAME_POLICY;

pub use builder::{env, SynologyProviderBuilder};
pub use usage::{DEFAULT_USAGE_BATCH, DEFAULT_USAGE_CONCURRENCY};

/// How long an absence seen by `account` stands in for `create_account`'s own check.
const ABSENCE_MEMORY: Duration = Duration::from_secs(10);

/// The group whose members are DSM's administrators.
const ADMIN_GROUP: &str = "administrators";

/// How long a listing of groups answers "does the plan's group exist?".
const GROUP_MEMORY: Duration = Duration::from_secs(60);

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

/// Maps DSM's "not found" to [`Error::AccountNotFound`] for `user`.
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

/// The guarded value, also after a panic elsewhere (the caches hold no invariants).
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn same_name(a: &str, b: &str) -> bool {
    NAME_POLICY.same_account(a, b)
}

/// Refuses a member of `administrators`, as DSM listed the user's groups.
fn refuse_admin_member(user: &Username, groups: &[String]) -> Result<()> {
    if groups.iter().any(|g| g.eq_ignore_ascii_case(ADMIN_GROUP)) {
        return Err(refuse_administrator(
            user,
            format!("member of group {ADMIN_GROUP}"),
        ));
    }
    Ok(())
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

impl SynologyProvider {
    /// A builder for the DSM at `base_url` (`nas.example.com` means
    /// `https://nas.example.com:5001`).
    pub fn builder(base_url: impl Into<String>) -> SynologyProviderBuilder {
        SynologyProviderBuilder::new(base_url)
    }

    /// A provider from the environment (core's one scheme, see [`mod@env`]): None when
    /// `PROVISION_SYNOLOGY_URL` is unset; an error when it is set but the account or
    /// password is missing, or a setting does not parse.
    pub fn from_env() -> Result<Option<SynologyProvider>> {
        <SynologyProviderBuilder as ProviderBuilder>::from_env()?
            .map(SynologyProviderBuilder::build)
            .transpose()
    }

    fn new(client: SynologyClient, usage_concurrency: usize, usage_batch: usize) -> Self {
        SynologyProvider {
            client,
            usage_concurrency,
            usage_batch,
            password_policy: tokio::sync::OnceCell::new(),
            batching_refused: AtomicBool::new(false),
            absences: Mutex::new(HashMap::new()),
            groups_seen: Mutex::new(None),
        }
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

    /// Refuses the account the provider logs in with, before any request. DSM names
    /// are not case-sensitive: `Provision` is the account `provision`.
    fn refuse_own_login(&self, user: &Username) -> Result<()> {
        refuse_own_login(self.client.account(), user, NameComparison::IgnoreCase)
    }

    /// Reads the user's groups before a change that has no read of its own, and
    /// refuses an administrator.
    async fn refuse_administrator(&self, user: &Username) -> Result<()> {
        let groups = self
            .client
            .user_groups(user)
            .await
            .map_err(not_found(user))?;
        refuse_admin_member(user, &groups)
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

    /// Whether DSM lists `user` in `group`: the one lookup that settles a membership
    /// change whose answer was lost (`Some(())` when `member` is what DSM shows).
    async fn membership_is(
        &self,
        group: &GroupName,
        user: &Username,
        member: bool,
    ) -> Result<Option<()>> {
        let groups = self.client.user_groups(user).await?;
        Ok((contains_group(&groups, group) == member).then_some(()))
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
}
