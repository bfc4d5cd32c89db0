//! The [`StorageProvider`] trait on DSM. Every multi-step change (create, change plan)
//! runs through core's [`Undoable`]: steps with their undo, undone newest first when a
//! later one fails, and a lost answer settled by one lookup, so that a create is done
//! only when the user exists and is in every plan group.

use async_trait::async_trait;
use provision_core::email::check_email;
use provision_core::error::{Error, ErrorKind, Result};
use provision_core::provider::{
    AccountInfo, AccountSpec, AccountStatus, Capabilities, Plan, QuotaEnforcement, ServerInfo,
    StorageProvider, Usage,
};
use provision_core::rules::NamePolicy;
use provision_core::undo::Undoable;
use provision_core::username::{GroupName, Username};
use secrecy::SecretString;

use super::checks::{
    check_password_shape, check_plan, check_text, check_username, MAX_DESCRIPTION_CHARS,
};
use super::{contains_group, group_names, not_found, refuse_admin_member, SynologyProvider};
use crate::client::NewUser;
use crate::error::{dsm_code, BACKEND, NAME_TAKEN_CODES};
use crate::NAME_POLICY;

/// A create DSM refused with its own code: definite, nothing was made.
fn refused_create(user: &Username, error: Error) -> Error {
    if dsm_code(&error).is_some_and(|c| NAME_TAKEN_CODES.contains(&c)) {
        Error::AccountExists {
            username: user.to_string(),
        }
    } else {
        error
    }
}

#[async_trait]
impl StorageProvider for SynologyProvider {
    fn capabilities(&self) -> Capabilities {
        Capabilities::new(QuotaEnforcement::Group).with_groups(true)
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
        // DSM writes "DSM 7.2.1-69057 Update 6"; the product is named already.
        let version = dsm
            .version_string
            .map(|v| v.trim_start_matches("DSM ").to_string())
            .or(dsm.version.clone());
        let mut info = ServerInfo::new(BACKEND, "DSM")
            .with_version(version)
            .with_admin(is_admin)
            .with_detail("api", self.client.base_url().to_string())
            .with_detail("auth_version", session.auth_version.to_string())
            .with_detail("noise_ik", if session.noise_ik { "on" } else { "off" });
        if let Some(model) = dsm.model {
            info = info.with_detail("model", model);
        }
        if let Some(build) = dsm.version {
            info = info.with_detail("build", build);
        }
        Ok(info)
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
        let status = if found.is_disabled() {
            AccountStatus::Suspended
        } else {
            AccountStatus::Active
        };
        // The enforced quota lives on the plan group; `usage` reports it.
        Ok(Some(
            AccountInfo::new(username, status)
                .with_email(found.email.filter(|e| !e.is_empty()))
                .with_display_name(found.description.filter(|d| !d.is_empty()))
                .with_groups(groups),
        ))
    }

    async fn create_account(&self, spec: &AccountSpec) -> Result<AccountInfo> {
        let user = &spec.username;
        self.refuse_own_login(user)?;
        check_username(user)?;
        check_password_shape(user, &spec.password)?;
        let email = spec.email.as_deref().map(check_email).transpose()?;
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
            email: email.as_deref().unwrap_or(""),
        };
        let mut op = Undoable::new("create_account");
        // DSM's own refusal (an error code) is definite and nothing is made yet; any other
        // failure may have created the user, which one listing settles.
        let answer = match self.client.create_user(&new_user).await {
            Err(e) if dsm_code(&e).is_some() => return Err(refused_create(user, e)),
            answer => answer.map(|c| Username::new(c.name).unwrap_or_else(|_| user.clone())),
        };
        // Later steps and undos name the requested user: DSM folds case.
        let created = op
            .step_settled(
                format!("account {user}"),
                async { answer },
                || async {
                    self.find_user(user)
                        .await?
                        .map(|found| Username::new(found.name).map_err(Error::from))
                        .transpose()
                },
                move || self.client.delete_user(user),
            )
            .await?;
        for group in &groups {
            self.join_undoably(&mut op, group, user).await?;
        }
        // DSM answers success to a membership change whatever it did: read back.
        let member_of = match self.client.user_groups(user).await {
            Ok(member_of) => member_of,
            Err(e) => return Err(op.fail(e).await),
        };
        if let Some(missing) = groups.iter().find(|g| !contains_group(&member_of, g)) {
            let e = Error::protocol(
                BACKEND,
                format!("DSM accepted adding {created} to {missing}, but the membership is absent"),
            );
            return Err(op.fail(e).await);
        }
        op.finish();
        Ok(AccountInfo::new(created, AccountStatus::Active)
            .with_email(email)
            .with_display_name(spec.display_name.clone())
            .with_groups(group_names(member_of)))
    }

    async fn suspend(&self, user: &Username) -> Result<()> {
        self.refuse_own_login(user)?;
        check_username(user)?;
        self.client.check_support().await?;
        self.refuse_administrator(user).await?;
        self.client
            .disable_user(user)
            .await
            .map_err(not_found(user))
    }

    async fn unsuspend(&self, user: &Username) -> Result<()> {
        self.refuse_own_login(user)?;
        check_username(user)?;
        self.client.check_support().await?;
        self.refuse_administrator(user).await?;
        self.client.enable_user(user).await.map_err(not_found(user))
    }

    async fn terminate(&self, user: &Username) -> Result<()> {
        self.refuse_own_login(user)?;
        check_username(user)?;
        self.client.check_support().await?;
        // DSM's answer for a missing user is uncertain (105? 3101?): look instead.
        let Some(found) = self.find_user(user).await? else {
            return Ok(());
        };
        let on_dsm = Username::new(found.name)?;
        match self.client.user_groups(&on_dsm).await {
            Ok(groups) => refuse_admin_member(user, &groups)?,
            // Deleted between the two reads.
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(e),
        }
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
        self.refuse_own_login(user)?;
        check_username(user)?;
        check_password_shape(user, password)?;
        self.client.check_support().await?;
        self.check_password(user, password).await?;
        self.refuse_administrator(user).await?;
        self.client
            .set_password(user, password)
            .await
            .map_err(not_found(user))
    }

    async fn change_plan(&self, user: &Username, from: &Plan, to: &Plan) -> Result<()> {
        self.refuse_own_login(user)?;
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
        refuse_admin_member(user, &current)?;
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
        let mut op = Undoable::new("change_plan");
        for group in joins {
            self.join_undoably(&mut op, group, user).await?;
        }
        for group in &leaves {
            op.step_settled(
                format!("leaving {group}"),
                self.client.remove_from_group(group, user),
                || self.membership_is(group, user, false),
                move || self.client.add_to_group(group, user),
            )
            .await?;
        }
        let now = match self.client.user_groups(user).await {
            Ok(now) => now,
            Err(e) => return Err(op.fail(e).await),
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
            return Err(op.fail(e).await);
        }
        op.finish();
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

    /// Reads in batches of [`SynologyProviderBuilder::usage_batch`](super::SynologyProviderBuilder::usage_batch) accounts per request
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

impl SynologyProvider {
    /// Adds `user` to `group` as a step of `op`, undone by leaving it; a lost answer is
    /// settled by one lookup of the membership.
    async fn join_undoably<'a>(
        &'a self,
        op: &mut Undoable<'a>,
        group: &'a GroupName,
        user: &'a Username,
    ) -> Result<()> {
        op.step_settled(
            format!("membership of {group}"),
            self.join(group, user),
            || self.membership_is(group, user, true),
            move || self.client.remove_from_group(group, user),
        )
        .await
    }
}
