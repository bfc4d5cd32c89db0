//! Usage reads: one account's `SYNO.Core.Quota get`, and many accounts' in batches of
//! `SYNO.Entry.Request` (a request holding many reads), falling back to one request per
//! account where DSM does not batch. DSM has no bulk usage call.

use std::sync::atomic::Ordering;

use provision_core::concurrency::bounded;
use provision_core::error::{Error, ErrorKind, Result};
use provision_core::provider::Usage;
use provision_core::username::Username;

use super::{not_found, same_name, SynologyProvider};
use crate::client::{HomeService, UserQuota};
use crate::error::BACKEND;

/// How many usage reads `usage_all` runs at once by default.
pub const DEFAULT_USAGE_CONCURRENCY: usize = 16;

/// How many usage reads go into one batched request by default.
pub const DEFAULT_USAGE_BATCH: usize = 50;

/// A user's usage of the `homes` share on the home volume.
fn usage_from(quota: &UserQuota, home: &HomeService) -> Usage {
    let home_usage = quota.home_usage(home);
    Usage::new(home_usage.used, home_usage.limit, None)
}

/// Whether a read answered without a figure (DSM's answer for a missing account too).
fn without_figure(read: &Result<Usage>) -> bool {
    matches!(read, Ok(usage) if usage.used.is_none())
}

impl SynologyProvider {
    /// One account's usage, read on its own.
    pub(super) async fn usage_of(&self, user: &Username, home: &HomeService) -> Result<Usage> {
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
        // Collected first: a lazy `map` here makes the trait's boxed futures lose `Send`
        // (rustc's higher-ranked lifetimes); the futures do nothing until polled.
        let one_by_one: Vec<_> = users
            .iter()
            .map(|user| async move { self.usage_of(user, home).await.map_err(not_found(user)) })
            .collect();
        bounded(one_by_one, concurrency).await
    }

    /// The usage of each of `users` (names DSM listed or that passed the checks), in
    /// order: batches of `usage_batch`, about `concurrency` accounts at once.
    pub(super) async fn read_many(
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
        // A batch read one by one shares the bound with the batches in flight.
        let per_batch = concurrency.div_ceil(in_flight);
        let batches: Vec<_> = users
            .chunks(batch)
            .map(|chunk| self.read_batch(chunk, &home, per_batch))
            .collect();
        let mut read: Vec<Result<Usage>> = bounded(batches, in_flight)
            .await
            .into_iter()
            .flatten()
            .collect();
        // Without a figure, the account may be gone: one listing tells, as `usage`
        // does for a single account.
        if read.iter().any(without_figure) {
            match self.client.list_user_names().await {
                Ok(listed) => {
                    for (user, answer) in users.iter().zip(read.iter_mut()) {
                        if without_figure(answer)
                            && !listed.iter().any(|name| same_name(name, user.as_str()))
                        {
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
