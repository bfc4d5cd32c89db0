//! The per-account baselines of the sweep bench: each backend's cheapest usage read of
//! a single account, through the crate's public client, with what a careful
//! implementation reads once per sweep read once.
//!
//! - Nextcloud: one `GET /ocs/v2.php/cloud/users/{id}` per account
//!   (`StorageProvider::usage`, which sends exactly that).
//! - Synology: one `SYNO.Core.User.Home get` per sweep (the volume holding `homes`),
//!   then one `SYNO.Core.Quota get` per account (`SynologyClient::user_quota`, read
//!   on that volume with `UserQuota::home_usage`). `StorageProvider::usage` reads the
//!   home volume again for every account; this does not.
//! - MinIO: one `datausageinfo` per sweep (`AdminClient::data_usage`, every bucket's
//!   size), then one `user-info` per account (`AdminClient::user_info`: the account
//!   exists), its usage summed from the buckets of its namespace. `StorageProvider::usage`
//!   fetches the whole data usage for every account; this does not.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use provision::core::concurrency::bounded;
use provision::core::{ByteSize, StorageProvider, Usage, Username};
use provision::minio::wire::policy::owning_token;
use provision::minio::MinioProvider;
use provision::nextcloud::NextcloudProvider;
use provision::synology::client::HomeService;
use provision::synology::SynologyProvider;

use crate::common::{minio_provider, Mock};

/// One backend's per-account reader, with its own connection pool.
pub enum PerAccount {
    Nextcloud(NextcloudProvider),
    Synology(SynologyProvider),
    Minio(MinioProvider),
}

/// What a per-account sweep reads once before the accounts.
pub enum OncePerSweep {
    /// Nextcloud needs nothing.
    Nothing,
    /// Synology: the volume holding `homes`.
    Home(HomeService),
    /// MinIO: the bytes under each namespace token, whether the scanner has run, and
    /// when.
    DataUsage {
        by_token: HashMap<String, u64>,
        scanned: bool,
        measured_at: Option<DateTime<Utc>>,
    },
}

impl PerAccount {
    /// A reader aimed at `mock`, its session (Synology) already opened so that only
    /// the reads themselves reach the mock's counter.
    pub async fn start(mock: &Mock) -> PerAccount {
        match mock {
            Mock::Nextcloud(m) => {
                PerAccount::Nextcloud(m.provider().expect("a Nextcloud provider"))
            }
            Mock::Synology(m) => {
                let provider = m.provider_builder().build().expect("a Synology provider");
                provider
                    .client()
                    .login()
                    .await
                    .unwrap_or_else(|e| panic!("per-account Synology login: {e}"));
                provider
                    .client()
                    .check_support()
                    .await
                    .unwrap_or_else(|e| panic!("per-account Synology API discovery: {e}"));
                PerAccount::Synology(provider)
            }
            Mock::Minio(m) => PerAccount::Minio(minio_provider(m)),
        }
    }

    /// Requests a sweep sends besides one per account.
    pub fn once_requests(&self) -> u64 {
        match self {
            PerAccount::Nextcloud(_) => 0,
            PerAccount::Synology(_) | PerAccount::Minio(_) => 1,
        }
    }

    /// Reads what the sweep reads once.
    pub async fn once_per_sweep(&self) -> OncePerSweep {
        match self {
            PerAccount::Nextcloud(_) => OncePerSweep::Nothing,
            PerAccount::Synology(p) => OncePerSweep::Home(
                p.client()
                    .home_service()
                    .await
                    .unwrap_or_else(|e| panic!("per-account Synology home volume: {e}")),
            ),
            PerAccount::Minio(p) => {
                let usage = p
                    .admin()
                    .data_usage()
                    .await
                    .unwrap_or_else(|e| panic!("per-account MinIO data usage: {e}"));
                let mut by_token: HashMap<String, u64> = HashMap::new();
                for (bucket, b) in &usage.buckets {
                    *by_token
                        .entry(owning_token(bucket).to_string())
                        .or_default() += b.size;
                }
                OncePerSweep::DataUsage {
                    by_token,
                    scanned: usage.last_update.is_some() || !usage.buckets.is_empty(),
                    measured_at: usage.last_update,
                }
            }
        }
    }

    /// One account's usage: one request.
    pub async fn read(&self, once: &OncePerSweep, user: &Username) -> Usage {
        match (self, once) {
            (PerAccount::Nextcloud(p), OncePerSweep::Nothing) => p
                .usage(user)
                .await
                .unwrap_or_else(|e| panic!("per-account Nextcloud usage of {user}: {e}")),
            (PerAccount::Synology(p), OncePerSweep::Home(home)) => {
                let quota = p
                    .client()
                    .user_quota(user)
                    .await
                    .unwrap_or_else(|e| panic!("per-account Synology quota of {user}: {e}"));
                let home_usage = quota.home_usage(home);
                Usage::new(home_usage.used, home_usage.limit, None)
            }
            (
                PerAccount::Minio(p),
                OncePerSweep::DataUsage {
                    by_token,
                    scanned,
                    measured_at,
                },
            ) => {
                let info = p
                    .admin()
                    .user_info(user.as_str())
                    .await
                    .unwrap_or_else(|e| panic!("per-account MinIO user-info of {user}: {e}"));
                assert!(info.is_some(), "per-account MinIO: {user} does not exist");
                let namespace = p
                    .namespace(user)
                    .unwrap_or_else(|e| panic!("per-account MinIO namespace of {user}: {e}"));
                let used = by_token.get(namespace.token()).copied().unwrap_or(0);
                Usage::new(scanned.then_some(ByteSize::new(used)), None, *measured_at)
            }
            _ => unreachable!("a reader is only given what it read once itself"),
        }
    }

    /// The usage of each of `users` in order, `in_flight` reads at once, after what
    /// the sweep reads once.
    pub async fn read_all(&self, users: &[&Username], in_flight: usize) -> Vec<Usage> {
        let once = self.once_per_sweep().await;
        let once = &once;
        bounded(users.iter().map(|user| self.read(once, user)), in_flight).await
    }

    /// The mean wall time of `probes` per-account reads of `user`, one after another:
    /// the round trip of the cheapest request at the mock's current latency.
    pub async fn round_trip(&self, user: &Username, probes: u32) -> Duration {
        let once = self.once_per_sweep().await;
        // The connection is open before the first timed probe.
        self.read(&once, user).await;
        let started = Instant::now();
        for _ in 0..probes {
            self.read(&once, user).await;
        }
        started.elapsed() / probes.max(1)
    }
}
