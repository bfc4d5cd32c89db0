//! Undoing the finished steps of a failed multi-step operation, newest first.

use provision_core::error::Error;

use crate::client::{AdminClient, S3Client};

/// One finished step's undo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Undo {
    /// Remove the canned policy that was added.
    RemovePolicy(String),
    /// Remove the user that was (or may have been) added.
    RemoveUser(String),
    /// Take the user out of a group it was added to; delete the group if this
    /// operation created it.
    LeaveGroup {
        group: String,
        user: String,
        created: bool,
    },
    /// Put the user back into a group it was taken out of.
    RejoinGroup { group: String, user: String },
    /// Delete the (empty) bucket that was made.
    DeleteBucket(String),
}

/// The undo log of one operation.
#[derive(Debug, Default)]
pub(super) struct Rollback {
    steps: Vec<Undo>,
}

impl Rollback {
    pub(super) fn push(&mut self, undo: Undo) {
        self.steps.push(undo);
    }

    /// Undoes every step, newest first. Every step is tried; the first failure is
    /// returned.
    async fn run(self, admin: &AdminClient, s3: &S3Client) -> Result<(), Error> {
        let mut first_failure = None;
        for step in self.steps.into_iter().rev() {
            if let Err(e) = undo(admin, s3, &step).await {
                tracing::warn!(?step, error = %e, "undo step failed");
                first_failure.get_or_insert(e);
            }
        }
        first_failure.map_or(Ok(()), Err)
    }

    /// Undoes the steps and returns the error for `operation`: `error` itself when
    /// the undo worked, [`Error::RollbackFailed`] when it did not.
    pub(super) async fn fail(
        self,
        operation: &'static str,
        error: Error,
        admin: &AdminClient,
        s3: &S3Client,
    ) -> Error {
        match self.run(admin, s3).await {
            Ok(()) => error,
            Err(rollback) => Error::RollbackFailed {
                operation,
                error: Box::new(error),
                rollback: Box::new(rollback),
            },
        }
    }
}

async fn undo(admin: &AdminClient, s3: &S3Client, step: &Undo) -> Result<(), Error> {
    match step {
        Undo::RemovePolicy(policy) => admin.remove_canned_policy(policy).await,
        Undo::RemoveUser(user) => admin.remove_user(user).await.map(drop),
        Undo::LeaveGroup {
            group,
            user,
            created,
        } => {
            match admin.update_group_members(group, &[user], true).await {
                // The user is gone already (or never joined): nothing to leave.
                Err(e) if provision_core::provider::is_not_found(&e) => {}
                other => other?,
            }
            if *created {
                match admin.update_group_members(group, &[], true).await {
                    Err(e) if provision_core::provider::is_not_found(&e) => Ok(()),
                    other => other,
                }
            } else {
                Ok(())
            }
        }
        Undo::RejoinGroup { group, user } => {
            admin.update_group_members(group, &[user], false).await
        }
        Undo::DeleteBucket(bucket) => s3.delete_bucket(bucket).await.map(drop),
    }
}
