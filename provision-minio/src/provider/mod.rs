//! The [`StorageProvider`] for MinIO (and MinIO-compatible servers such as RustFS).
//!
//! One account is: a user (access key = user name, secret key = password), a canned
//! policy `provision-<token>` mapped to it whose document is the standard or the
//! limited one, optionally an owned default bucket `<token>`, and group memberships
//! from the plan. Quota is enforced by switching the policy document (atomic, no
//! mapping change); usage comes from one data-usage call for everyone.

mod builder;

use std::collections::HashMap;
use std::sync::Arc;

use async_trait::async_trait;
use provision_core::config::ProviderBuilder;
use provision_core::error::{DeletionRefusal, Error};
use provision_core::protected::{refuse_administrator, refuse_own_login, NameComparison};
use provision_core::provider::{is_not_found, Adoption, BucketInfo};
use provision_core::rules::{CaseRule, EdgeRule, NamePolicy};
use provision_core::undo::Undoable;
use provision_core::{
    AccountInfo, AccountSpec, AccountStatus, ByteSize, Capabilities, GroupName, MinioPlan, Plan,
    Quota, QuotaEnforcement, ServerInfo, StorageProvider, Usage, Username,
};
use secrecy::{ExposeSecret, SecretString};

pub use builder::{
    MinioProviderBuilder, DEFAULT_POLICY_PREFIX, ENV_PASSWORD, ENV_URL, ENV_USER, SETTING_KEYS,
};

use crate::client::{
    AdminClient, BucketName, DataUsage, ObjectIdentifier, PolicyEntity, S3Client, UserInfo,
    UserStatus,
};
use crate::error::BACKEND;
use crate::user_locks::UserLocks;
use crate::wire::policy::{
    admin_action_in, owning_token, BucketFeatures, Namespace, PolicyDocument, PolicyKind,
    PolicyTemplate,
};

/// The shortest secret key MinIO accepts.
pub const MIN_PASSWORD_BYTES: usize = 8;

fn is_minio_name_char(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'
}

/// MinIO user names, as the namespace scheme needs them: the name becomes the bucket
/// token, so only `a-z 0-9 -`, starting and ending with a letter or digit, 3 to 61
/// characters (room for `.suffix` buckets). `minio` is a bucket name the server keeps
/// for itself. With a bucket prefix, the provider's own policy
/// ([`StorageProvider::name_policy`]) shortens the limits by the prefix length.
pub static NAME_POLICY: NamePolicy = NamePolicy {
    backend: BACKEND,
    allowed: is_minio_name_char,
    allowed_description: "a-z, 0-9 and -",
    replacement: Some('-'),
    min_len: 3,
    max_len: 61,
    case: CaseRule::Lower,
    first: EdgeRule::Alphanumeric,
    last: EdgeRule::Alphanumeric,
    reserved: &["minio"],
};

/// What the builder settled.
#[derive(Debug)]
struct ProviderConfig {
    bucket_prefix: String,
    policy_prefix: String,
    default_bucket: bool,
    standard: PolicyTemplate,
    limited: PolicyTemplate,
    /// What a product's own templates may grant too (the server's opt-ins).
    bucket_features: BucketFeatures,
    name_policy: NamePolicy,
}

/// Provisions accounts on a MinIO (or RustFS) server.
///
/// ```no_run
/// use provision_minio::MinioProvider;
/// use provision_core::SecretString;
///
/// let provider = MinioProvider::builder("https://minio.example.com:9000")
///     .credentials("admin", SecretString::from("admin-secret".to_string()))
///     .bucket_prefix("u-")
///     .build()?;
/// # Ok::<(), provision_core::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct MinioProvider {
    admin: AdminClient,
    s3: S3Client,
    config: Arc<ProviderConfig>,
    locks: Arc<UserLocks>,
}

impl MinioProvider {
    /// Starts configuring a provider for the server whose S3 and admin APIs live at
    /// `endpoint` (`https://host[:port]`; `http://` to loopback, or elsewhere with
    /// `allow_insecure_http` in the options).
    pub fn builder(endpoint: impl Into<String>) -> MinioProviderBuilder {
        MinioProviderBuilder::for_endpoint(endpoint)
    }

    /// A provider from core's environment scheme: `PROVISION_MINIO_URL`,
    /// `PROVISION_MINIO_USER` (the access key), `PROVISION_MINIO_PASSWORD` (the secret
    /// key) or `PROVISION_MINIO_PASSWORD_FILE`, the client options
    /// (`PROVISION_MINIO_TIMEOUT`, `PROVISION_MINIO_TLS_CA_FILE`, ...) and each of
    /// [`SETTING_KEYS`] upper-cased (`PROVISION_MINIO_REGION`, ...); `None` when the URL
    /// is unset.
    pub fn from_env() -> Result<Option<MinioProvider>, Error> {
        Self::builder_from_env()?
            .map(MinioProviderBuilder::build)
            .transpose()
    }

    /// The same settings as [`from_env`](Self::from_env), as a builder to adjust.
    pub fn builder_from_env() -> Result<Option<MinioProviderBuilder>, Error> {
        <MinioProviderBuilder as ProviderBuilder>::from_env()
    }

    /// The admin API client underneath (escape hatch).
    pub fn admin(&self) -> &AdminClient {
        &self.admin
    }

    /// The S3 client underneath (escape hatch).
    pub fn s3(&self) -> &S3Client {
        &self.s3
    }

    /// The bucket namespace of `user`, checked.
    pub fn namespace(&self, user: &Username) -> Result<Namespace, Error> {
        self.check_user(user)
    }

    /// The name of `user`'s canned policy.
    pub fn policy_name(&self, user: &Username) -> Result<String, Error> {
        let namespace = self.check_user(user)?;
        Ok(self.policy_name_of(&namespace))
    }

    fn policy_name_of(&self, namespace: &Namespace) -> String {
        format!("{}{}", self.config.policy_prefix, namespace.token())
    }

    /// Puts the standard or the limited document in force by `user`'s current usage
    /// against `quota`, and says which. Unknown usage (the scanner has not run yet)
    /// keeps the standard document: nobody is restricted without a measurement.
    /// The documents are the server's; [`StorageProvider::change_plan`] puts a
    /// product's own in force.
    pub async fn update_policy(&self, user: &Username, quota: Quota) -> Result<PolicyKind, Error> {
        let namespace = self.check_user(user)?;
        let documents = self.check_templates(user, &namespace, &MinioPlan::default())?;
        let _guard = self.locks.lock(user.as_str()).await;
        let info = self.require_tenant(user, &namespace).await?;
        let kind = self.kind_by_usage(&namespace, quota).await?;
        self.apply_policy(user, &namespace, &info, kind, documents.of(kind))
            .await?;
        Ok(kind)
    }

    /// Checks a user name against the name policy, the namespace rules and the
    /// access key the provider logs in with (access keys compare byte for byte).
    fn check_user(&self, user: &Username) -> Result<Namespace, Error> {
        self.config.name_policy.validate(user.as_str())?;
        refuse_own_login(self.admin.access_key(), user, NameComparison::Exact)?;
        Namespace::for_user(&self.config.bucket_prefix, user)
            .map_err(|e| Error::invalid("username", e.to_string()))
    }

    /// The document of `kind` for `user`: the product's template where `plan` has
    /// one (held to the same rules and the server's bucket features), else the
    /// server's.
    fn render(
        &self,
        user: &Username,
        namespace: &Namespace,
        kind: PolicyKind,
        plan: &MinioPlan,
    ) -> Result<PolicyDocument, Error> {
        let (own, server, name) = match kind {
            PolicyKind::Standard => (&plan.standard_policy, &self.config.standard, "standard"),
            PolicyKind::Limited => (&plan.limited_policy, &self.config.limited, "limited"),
        };
        let invalid = |e: &dyn std::fmt::Display| {
            let whose = if own.is_some() {
                "the product's"
            } else {
                "the server's"
            };
            Error::invalid("policy template", format!("{whose} {name} policy: {e}"))
        };
        let parsed;
        let template = match own {
            Some(json) => {
                parsed = PolicyTemplate::parse(json)
                    .map_err(|e| invalid(&e))?
                    .for_kind(kind)
                    .with_features(self.config.bucket_features.clone());
                &parsed
            }
            None => server,
        };
        template
            .render(user.as_str(), namespace)
            .map_err(|e| invalid(&e))
    }

    /// Renders both documents, so that a template problem shows before any request.
    fn check_templates(
        &self,
        user: &Username,
        namespace: &Namespace,
        plan: &MinioPlan,
    ) -> Result<PolicyDocuments, Error> {
        Ok(PolicyDocuments {
            standard: self.render(user, namespace, PolicyKind::Standard, plan)?,
            limited: self.render(user, namespace, PolicyKind::Limited, plan)?,
        })
    }

    /// Whether accounts of `plan` get a default bucket.
    fn default_bucket(&self, plan: &MinioPlan) -> bool {
        plan.default_bucket.unwrap_or(self.config.default_bucket)
    }

    /// Puts the limited (or the standard) document of `plan` in force.
    async fn switch_limit(
        &self,
        user: &Username,
        plan: &MinioPlan,
        limited: bool,
    ) -> Result<(), Error> {
        let namespace = self.check_user(user)?;
        let kind = if limited {
            PolicyKind::Limited
        } else {
            PolicyKind::Standard
        };
        let document = self.render(user, &namespace, kind, plan)?;
        let _guard = self.locks.lock(user.as_str()).await;
        let info = self.require_tenant(user, &namespace).await?;
        // Rewriting the same document is a no-op on the server: already applied is fine.
        self.apply_policy(user, &namespace, &info, kind, &document)
            .await
    }

    async fn require_user(&self, user: &Username) -> Result<UserInfo, Error> {
        self.admin
            .user_info(user.as_str())
            .await?
            .ok_or_else(|| Error::AccountNotFound {
                username: user.to_string(),
            })
    }

    /// The user's record, refused when the user holds admin actions.
    async fn require_tenant(
        &self,
        user: &Username,
        namespace: &Namespace,
    ) -> Result<UserInfo, Error> {
        let info = self.require_user(user).await?;
        self.refuse_administrator(user, namespace, &info).await?;
        Ok(info)
    }

    /// Refuses a user to whom any mapped policy (its own or a group's), other than
    /// the provider's, grants an admin action: the server's administrators are never
    /// changed by the provider.
    async fn refuse_administrator(
        &self,
        user: &Username,
        namespace: &Namespace,
        info: &UserInfo,
    ) -> Result<(), Error> {
        let own = self.policy_name_of(namespace);
        let mut policies: Vec<String> = info
            .policies()
            .into_iter()
            .filter(|p| *p != own)
            .map(str::to_owned)
            .collect();
        for group in &info.member_of {
            if let Some(group) = self.admin.group_info(group).await? {
                policies.extend(group.policies().into_iter().map(str::to_owned));
            }
        }
        for name in policies {
            let Some(document) = self.admin.canned_policy(&name).await? else {
                continue;
            };
            if let Some(action) = admin_action_in(&document) {
                return Err(refuse_administrator(
                    user,
                    format!("its policy {name} grants {action}"),
                ));
            }
        }
        Ok(())
    }

    /// The buckets of the namespace on the server.
    async fn namespace_buckets(&self, namespace: &Namespace) -> Result<Vec<BucketName>, Error> {
        self.s3
            .list_buckets()
            .await?
            .into_iter()
            .filter(|b| namespace.contains(&b.name))
            .map(|b| BucketName::new(b.name))
            .collect()
    }

    /// Writes `document`, the rendered document of `kind`, into the user's policy (in
    /// place: every mapping stays), and maps the policy if an earlier failure left it
    /// unmapped.
    async fn apply_policy(
        &self,
        user: &Username,
        namespace: &Namespace,
        info: &UserInfo,
        kind: PolicyKind,
        document: &PolicyDocument,
    ) -> Result<(), Error> {
        let policy = self.policy_name_of(namespace);
        self.admin.put_policy_document(&policy, document).await?;
        if !info.policies().contains(&policy.as_str()) {
            self.admin
                .attach_policies(PolicyEntity::User(user.as_str()), &[&policy])
                .await?;
        }
        if kind == PolicyKind::Limited {
            // A bucket policy lets other principals (anonymous ones too) write to the
            // bucket whatever the user's own policy says: a limited tenant keeps none.
            // The limited document denies setting them again.
            for bucket in self.namespace_buckets(namespace).await? {
                self.s3.delete_bucket_policy(&bucket).await?;
            }
        }
        Ok(())
    }

    async fn kind_by_usage(
        &self,
        namespace: &Namespace,
        quota: Quota,
    ) -> Result<PolicyKind, Error> {
        let usage = self.admin.data_usage().await?;
        Ok(match usage_of(&usage, namespace).used {
            Some(used) if quota.is_exceeded(used) => PolicyKind::Limited,
            _ => PolicyKind::Standard,
        })
    }

    async fn set_status(&self, user: &Username, status: UserStatus) -> Result<(), Error> {
        let namespace = self.check_user(user)?;
        let info = self.require_tenant(user, &namespace).await?;
        // Reading first keeps this idempotent and avoids RustFS's 500 for unknown users.
        if info.status == status {
            return Ok(());
        }
        self.admin.set_user_status(user.as_str(), status).await
    }

    /// Deletes every object version and delete marker in `bucket`, page by page.
    async fn empty_bucket(&self, bucket: &BucketName) -> Result<(), Error> {
        let mut marker = None;
        loop {
            let page = self
                .s3
                .list_object_versions(bucket, "", marker.as_ref())
                .await?;
            let ids: Vec<ObjectIdentifier> = page
                .versions
                .into_iter()
                .map(|v| ObjectIdentifier {
                    key: v.key,
                    version_id: Some(v.version_id),
                })
                .collect();
            self.s3.delete_objects(bucket, &ids).await?;
            match page.next {
                Some(next) if Some(&next) != marker.as_ref() => marker = Some(next),
                Some(_) => {
                    return Err(Error::protocol(
                        BACKEND,
                        "ListObjectVersions returned the same marker twice",
                    ))
                }
                None => return Ok(()),
            }
        }
    }

    async fn delete_namespace_bucket(&self, bucket: &BucketName) -> Result<(), Error> {
        self.empty_bucket(bucket).await?;
        match self.s3.delete_bucket(bucket).await {
            // Something was written meanwhile (or an old server lists lazily): once more.
            Err(e) if e.server_code() == Some("BucketNotEmpty") => {
                self.empty_bucket(bucket).await?;
                self.s3.delete_bucket(bucket).await.map(drop)
            }
            other => other.map(drop),
        }
    }

    /// The steps of a create, each with its undo in `op`: the policy, the user, the
    /// mapping, the groups, the default bucket. A lost answer is settled by one lookup,
    /// never by sending the call again blind.
    async fn create_steps<'s>(
        &'s self,
        op: &mut Undoable<'s>,
        spec: &AccountSpec,
        namespace: &Namespace,
        document: &PolicyDocument,
    ) -> Result<(), Error> {
        let admin = &self.admin;
        let user = spec.username.as_str();
        let policy = self.policy_name_of(namespace);

        let removed_policy = policy.clone();
        op.step_settled(
            format!("policy {policy}"),
            admin.put_policy_document(&policy, document),
            || async { Ok(admin.canned_policy(&policy).await?.map(drop)) },
            move || async move { admin.remove_canned_policy(&removed_policy).await },
        )
        .await?;

        let removed_user = user.to_owned();
        op.step_settled(
            format!("account {user}"),
            admin.add_user(user, &spec.password, UserStatus::Enabled),
            || async { Ok(admin.user_info(user).await?.map(drop)) },
            move || async move { admin.remove_user(&removed_user).await.map(drop) },
        )
        .await?;

        // No undo of its own: remove-user (above) drops the mapping too.
        admin
            .attach_policies(PolicyEntity::User(user), &[&policy])
            .await?;

        for group in &spec.plan.groups {
            self.change_membership(op, Membership::Join, group, user)
                .await?;
        }

        if self.default_bucket(&spec.plan.minio) {
            let s3 = &self.s3;
            let bucket = &namespace.default_bucket_name();
            let deleted = bucket.clone();
            op.step_settled(
                format!("bucket {bucket}"),
                s3.make_bucket(bucket),
                || async { Ok(s3.bucket_exists(bucket).await?.then_some(())) },
                move || async move { s3.delete_bucket(&deleted).await.map(drop) },
            )
            .await?;
        }
        Ok(())
    }

    /// Puts `user` into `group` (MinIO makes the group on demand) or takes it out, as a
    /// step of `op` settled by one look at the group. The undo does the opposite, and
    /// removes the group when this join created it.
    async fn change_membership<'s>(
        &'s self,
        op: &mut Undoable<'s>,
        change: Membership,
        group: &GroupName,
        user: &str,
    ) -> Result<(), Error> {
        let admin = &self.admin;
        let join = change == Membership::Join;
        let created = join && admin.group_info(group.as_str()).await?.is_none();
        let (undo_group, undo_user) = (group.to_string(), user.to_owned());
        op.step_settled(
            format!("{change:?} of {user} in {group}"),
            admin.update_group_members(group.as_str(), &[user], !join),
            || async { Ok((self.is_member(group, user).await? == join).then_some(())) },
            move || async move {
                if join {
                    leave_group(admin, &undo_group, &undo_user, created).await
                } else {
                    admin
                        .update_group_members(&undo_group, &[&undo_user], false)
                        .await
                }
            },
        )
        .await
    }

    async fn is_member(&self, group: &GroupName, user: &str) -> Result<bool, Error> {
        Ok(self
            .admin
            .group_info(group.as_str())
            .await?
            .is_some_and(|g| g.members.iter().any(|m| m == user)))
    }

    /// The group steps of a plan change in `op`: groups joined and left, each undone on
    /// a later failure.
    async fn plan_group_steps<'s>(
        &'s self,
        op: &mut Undoable<'s>,
        user: &Username,
        info: &UserInfo,
        from: &Plan,
        to: &Plan,
    ) -> Result<(), Error> {
        let member_of = |g: &GroupName| info.member_of.iter().any(|m| m == g.as_str());
        for group in to.groups.iter().filter(|g| !member_of(g)) {
            self.change_membership(op, Membership::Join, group, user.as_str())
                .await?;
        }
        for group in from
            .groups
            .iter()
            .filter(|g| !to.groups.contains(g) && member_of(g))
        {
            self.change_membership(op, Membership::Leave, group, user.as_str())
                .await?;
        }
        Ok(())
    }
}

/// A change of one user's group membership.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Membership {
    Join,
    Leave,
}

/// Undoes a group join: `user` leaves `group`, and the group is removed when the join
/// `created` it. Either being gone already is fine.
async fn leave_group(
    admin: &AdminClient,
    group: &str,
    user: &str,
    created: bool,
) -> Result<(), Error> {
    match admin.update_group_members(group, &[user], true).await {
        // The user is gone already (or never joined): nothing to leave.
        Err(e) if is_not_found(&e) => {}
        other => other?,
    }
    if !created {
        return Ok(());
    }
    match admin.update_group_members(group, &[], true).await {
        Err(e) if is_not_found(&e) => Ok(()),
        other => other,
    }
}

/// The usage of one namespace in a data-usage snapshot. Unknown before the first scan.
fn usage_of(usage: &DataUsage, namespace: &Namespace) -> Usage {
    let scanned = usage.last_update.is_some() || !usage.buckets.is_empty();
    let used: u64 = usage
        .buckets
        .iter()
        .filter(|(bucket, _)| namespace.contains(bucket))
        .map(|(_, b)| b.size)
        .sum();
    Usage::new(
        scanned.then_some(ByteSize::new(used)),
        None,
        usage.last_update,
    )
}

fn check_password(password: &SecretString) -> Result<(), Error> {
    let len = password.expose_secret().len();
    if len < MIN_PASSWORD_BYTES {
        return Err(Error::invalid(
            "password",
            format!("is {len} bytes long; MinIO needs at least {MIN_PASSWORD_BYTES}"),
        ));
    }
    Ok(())
}

/// Group names go into JSON bodies and query strings; a comma would split a policy or
/// member list on some calls.
fn check_groups(groups: &[GroupName]) -> Result<(), Error> {
    match groups.iter().find(|g| g.as_str().contains(',')) {
        Some(g) => Err(Error::invalid(
            "group",
            format!("{g:?} holds a comma, which MinIO lists cannot carry"),
        )),
        None => Ok(()),
    }
}

#[async_trait]
impl StorageProvider for MinioProvider {
    fn capabilities(&self) -> Capabilities {
        Capabilities::new(QuotaEnforcement::PolicySwitch)
            .with_groups(true)
            .with_buckets(true)
            .with_bulk_usage(true)
    }

    fn name_policy(&self) -> &NamePolicy {
        &self.config.name_policy
    }

    async fn test_connection(&self) -> Result<ServerInfo, Error> {
        let info = self.admin.server_info().await?;
        let mut server = ServerInfo::new(BACKEND, info.product.name())
            .with_version(info.version().map(str::to_owned))
            // The info call needs admin:ServerInfo: an answer proves admin rights.
            .with_admin(true)
            .with_detail("admin_prefix", self.admin.admin_prefix())
            .with_detail("servers", info.servers.len().to_string());
        for (key, value) in [
            ("mode", &info.mode),
            ("deployment_id", &info.deployment_id),
            ("region", &info.region),
        ] {
            if let Some(value) = value {
                server = server.with_detail(key, value.clone());
            }
        }
        Ok(server)
    }

    /// A user made by another module fits when every bucket its policies (its own and
    /// its groups') reach lies in its namespace (`T`, `T.*`): managing it rewrites its
    /// policy to the namespace, which would cut it off from any other bucket. An
    /// administrator is refused as everywhere else.
    async fn check_adoption(&self, user: &Username) -> Result<Adoption, Error> {
        let namespace = self.check_user(user)?;
        let info = self.require_tenant(user, &namespace).await?;
        let mut names: Vec<String> = info.policies().into_iter().map(str::to_owned).collect();
        for group in &info.member_of {
            if let Some(group) = self.admin.group_info(group).await? {
                names.extend(group.policies().into_iter().map(str::to_owned));
            }
        }
        let mut outside = Vec::new();
        for name in names {
            if let Some(document) = self.admin.canned_policy(&name).await? {
                for bucket in buckets_outside(&document, &namespace) {
                    if !outside.contains(&bucket) {
                        outside.push(bucket);
                    }
                }
            }
        }
        let account = self
            .account(user)
            .await?
            .ok_or_else(|| Error::AccountNotFound {
                username: user.to_string(),
            })?;
        Ok(if outside.is_empty() {
            Adoption::Fits(account)
        } else {
            Adoption::DoesNotFit {
                account,
                reason: format!(
                    "its policies reach buckets outside its namespace {0} and {0}.*",
                    namespace.token()
                ),
                resources: outside,
            }
        })
    }

    async fn account(&self, user: &Username) -> Result<Option<AccountInfo>, Error> {
        self.check_user(user)?;
        let Some(info) = self.admin.user_info(user.as_str()).await? else {
            return Ok(None);
        };
        let status = match info.status {
            UserStatus::Enabled => AccountStatus::Active,
            UserStatus::Disabled => AccountStatus::Suspended,
        };
        // MinIO keeps no per-user quota (the library enforces it by policy), no e-mail
        // and no display name.
        Ok(Some(
            AccountInfo::new(user.clone(), status).with_groups(
                info.member_of
                    .iter()
                    .filter_map(|g| GroupName::new(g.as_str()).ok())
                    .collect(),
            ),
        ))
    }

    async fn create_account(&self, spec: &AccountSpec) -> Result<AccountInfo, Error> {
        let user = &spec.username;
        let namespace = self.check_user(user)?;
        check_password(&spec.password)?;
        check_groups(&spec.plan.groups)?;
        let document = self
            .check_templates(user, &namespace, &spec.plan.minio)?
            .standard;

        let _guard = self.locks.lock(user.as_str()).await;
        // add-user silently overwrites an existing user: look first.
        let taken = self.admin.user_info(user.as_str()).await?.is_some()
            || (self.default_bucket(&spec.plan.minio)
                && self
                    .s3
                    .bucket_exists(&namespace.default_bucket_name())
                    .await?);
        if taken {
            return Err(Error::AccountExists {
                username: user.to_string(),
            });
        }

        let mut op = Undoable::new("create account");
        if let Err(e) = self
            .create_steps(&mut op, spec, &namespace, &document)
            .await
        {
            // A failed step has undone the others already (this returns its error as
            // is); an error between steps undoes them here.
            return Err(op.fail(e).await);
        }
        op.finish();
        Ok(AccountInfo::new(user.clone(), AccountStatus::Active)
            .with_groups(spec.plan.groups.clone()))
    }

    async fn suspend(&self, user: &Username) -> Result<(), Error> {
        self.set_status(user, UserStatus::Disabled).await
    }

    async fn unsuspend(&self, user: &Username) -> Result<(), Error> {
        self.set_status(user, UserStatus::Enabled).await
    }

    /// Deletes the account's buckets, user and policy. Before anything is changed it
    /// shows that the buckets are the tenant's (the user exists with the provider's
    /// policy mapped) and that none has object lock enabled; otherwise it refuses
    /// with [`Error::DeletionRefused`] naming the buckets, and nothing is deleted.
    async fn terminate(&self, user: &Username) -> Result<(), Error> {
        let namespace = self.check_user(user)?;
        let policy = self.policy_name_of(&namespace);
        let _guard = self.locks.lock(user.as_str()).await;

        let info = self.admin.user_info(user.as_str()).await?;
        if let Some(info) = &info {
            self.refuse_administrator(user, &namespace, info).await?;
        }
        // Only buckets of the namespace: `T` or `T.<suffix>`, never a neighbour's.
        let buckets = self.namespace_buckets(&namespace).await?;
        let owned = info
            .as_ref()
            .is_some_and(|i| i.policies().contains(&policy.as_str()));
        let refuse = |buckets: Vec<BucketName>, reason| Error::DeletionRefused {
            username: user.to_string(),
            resources: buckets.iter().map(BucketName::to_string).collect(),
            reason,
        };
        if !buckets.is_empty() && !owned {
            return Err(refuse(buckets, DeletionRefusal::OwnershipUnproven));
        }
        let mut locked = Vec::new();
        for bucket in &buckets {
            if self.s3.object_lock_enabled(bucket).await? {
                locked.push(bucket.clone());
            }
        }
        if !locked.is_empty() {
            return Err(refuse(locked, DeletionRefusal::ObjectLocked));
        }

        // Disabled first, so the tenant cannot write while its buckets are emptied.
        if info
            .as_ref()
            .is_some_and(|i| i.status == UserStatus::Enabled)
        {
            match self
                .admin
                .set_user_status(user.as_str(), UserStatus::Disabled)
                .await
            {
                Err(e) if !is_not_found(&e) => return Err(e),
                _ => {}
            }
        }
        for bucket in &buckets {
            self.delete_namespace_bucket(bucket).await?;
        }
        // The user before its policy: a mapped policy cannot be removed.
        self.admin.remove_user(user.as_str()).await?;
        match self.admin.remove_canned_policy(&policy).await {
            Err(e) if is_not_found(&e) => Ok(()),
            other => other,
        }
    }

    async fn change_password(&self, user: &Username, password: &SecretString) -> Result<(), Error> {
        let namespace = self.check_user(user)?;
        check_password(password)?;
        let info = self.require_tenant(user, &namespace).await?;
        // add-user overwrites the status too: send the current one, or a suspended
        // account would be re-enabled.
        self.admin
            .update_user(user.as_str(), password, info.status)
            .await
    }

    async fn change_plan(&self, user: &Username, from: &Plan, to: &Plan) -> Result<(), Error> {
        let namespace = self.check_user(user)?;
        check_groups(&from.groups)?;
        check_groups(&to.groups)?;
        let documents = self.check_templates(user, &namespace, &to.minio)?;

        let _guard = self.locks.lock(user.as_str()).await;
        let info = self.require_tenant(user, &namespace).await?;
        let mut op = Undoable::new("change plan");
        let steps = async {
            self.plan_group_steps(&mut op, user, &info, from, to)
                .await?;
            // Then the policy document the new quota calls for.
            let kind = self.kind_by_usage(&namespace, to.quota).await?;
            self.apply_policy(user, &namespace, &info, kind, documents.of(kind))
                .await
        };
        if let Err(e) = steps.await {
            return Err(op.fail(e).await);
        }
        op.finish();
        Ok(())
    }

    async fn usage(&self, user: &Username) -> Result<Usage, Error> {
        let namespace = self.check_user(user)?;
        self.require_user(user).await?;
        let usage = self.admin.data_usage().await?;
        Ok(usage_of(&usage, &namespace))
    }

    async fn buckets(&self, user: &Username) -> Result<Vec<BucketInfo>, Error> {
        let namespace = self.check_user(user)?;
        self.require_user(user).await?;
        // The scanner's snapshot already has each bucket's size and object count.
        let usage = self.admin.data_usage().await?;
        Ok(usage
            .buckets
            .iter()
            .filter(|(bucket, _)| namespace.contains(bucket))
            .map(|(bucket, b)| {
                BucketInfo::new(bucket.clone(), ByteSize::new(b.size), b.objects_count)
            })
            .collect())
    }

    async fn usage_all(&self) -> Result<Vec<(Username, Usage)>, Error> {
        let users = self.admin.list_users().await?;
        let usage = self.admin.data_usage().await?;
        let mut by_token: HashMap<&str, u64> = HashMap::new();
        for (bucket, b) in &usage.buckets {
            *by_token.entry(owning_token(bucket)).or_default() += b.size;
        }
        let scanned = usage.last_update.is_some() || !usage.buckets.is_empty();
        let mut all = Vec::new();
        for (name, info) in users {
            // Only accounts this provider manages: a valid name whose own policy is
            // mapped. Operators' and other tools' users are left out.
            let Ok(user) = Username::new(name) else {
                continue;
            };
            let Ok(namespace) = self.check_user(&user) else {
                continue;
            };
            if !info
                .policies()
                .contains(&self.policy_name_of(&namespace).as_str())
            {
                continue;
            }
            let used = by_token.get(namespace.token()).copied().unwrap_or(0);
            all.push((
                user,
                Usage::new(
                    scanned.then_some(ByteSize::new(used)),
                    None,
                    usage.last_update,
                ),
            ));
        }
        Ok(all)
    }

    async fn list_groups(&self) -> Result<Vec<GroupName>, Error> {
        Ok(self
            .admin
            .list_groups()
            .await?
            .into_iter()
            .filter_map(|g| GroupName::new(g).ok())
            .collect())
    }

    /// Renders the plan's own documents for a probe user, as the builder does the
    /// server's: a template that cannot render for it can render for no user.
    fn check_plan(&self, plan: &Plan) -> Result<(), Error> {
        let probe = Username::new("probe-user")?;
        let namespace = Namespace::for_user(&self.config.bucket_prefix, &probe)
            .map_err(|e| Error::invalid("bucket prefix", e.to_string()))?;
        self.check_templates(&probe, &namespace, &plan.minio)
            .map(|_| ())
    }

    /// With the server's documents; [`set_limited_on_plan`](Self::set_limited_on_plan)
    /// uses a product's own.
    async fn set_limited(&self, user: &Username, limited: bool) -> Result<(), Error> {
        self.switch_limit(user, &MinioPlan::default(), limited)
            .await
    }

    async fn set_limited_on_plan(
        &self,
        user: &Username,
        plan: &Plan,
        limited: bool,
    ) -> Result<(), Error> {
        self.switch_limit(user, &plan.minio, limited).await
    }
}

/// The buckets (or bucket patterns) a policy document's statements name outside
/// `namespace`; statement keys are read without regard to case, as MinIO reads them. A
/// `NotResource` reaches everything it does not name, so it never fits.
fn buckets_outside(document: &serde_json::Value, namespace: &Namespace) -> Vec<String> {
    use serde_json::Value;
    let field = |object: &serde_json::Map<String, Value>, name: &str| -> Vec<Value> {
        object
            .iter()
            .filter(|(key, _)| key.eq_ignore_ascii_case(name))
            .flat_map(|(_, value)| match value {
                Value::Array(items) => items.clone(),
                other => vec![other.clone()],
            })
            .collect()
    };
    let fits = |bucket: &str| match bucket.find(['*', '?']) {
        None => namespace.contains(bucket),
        Some(wildcard) => bucket[..wildcard].starts_with(&format!("{}.", namespace.token())),
    };
    let mut outside = Vec::new();
    let Value::Object(top) = document else {
        return outside;
    };
    for statement in field(top, "Statement") {
        let Value::Object(statement) = statement else {
            continue;
        };
        for resource in field(&statement, "NotResource") {
            outside.push(format!("NotResource {}", resource.as_str().unwrap_or("?")));
        }
        for resource in field(&statement, "Resource") {
            let Some(arn) = resource.as_str() else {
                continue;
            };
            let bucket = arn
                .strip_prefix("arn:aws:s3:::")
                .unwrap_or(arn)
                .split('/')
                .next()
                .unwrap_or_default();
            if !fits(bucket) && !outside.iter().any(|b| b == bucket) {
                outside.push(bucket.to_owned());
            }
        }
    }
    outside
}

/// A user's two documents, rendered and checked once per operation.
struct PolicyDocuments {
    standard: PolicyDocument,
    limited: PolicyDocument,
}

impl PolicyDocuments {
    /// The document of `kind`.
    fn of(&self, kind: PolicyKind) -> &PolicyDocument {
        match kind {
            PolicyKind::Standard => &self.standard,
            PolicyKind::Limited => &self.limited,
        }
    }
}
