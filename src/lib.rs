//! # provision
//!
//! Provision storage accounts on Nextcloud, Synology DSM and MinIO from any billing
//! system: create, suspend, unsuspend, terminate, change password, change package, meter
//! disk usage over time, warn customers near their limit, and restrict them past it.
//!
//! This facade re-exports the workspace's crates: [`core`] (the `StorageProvider` trait,
//! quotas, name and password rules, thresholds, notifications, history and the
//! provisioner) and one module per backend behind the features `nextcloud`, `synology`
//! and `minio` (all on by default). The feature `mock` adds each backend's stateful mock
//! server and core's conformance suite.
//!
//! Every backend is built from one configuration ([`core::config::Config`], a TOML
//! file of servers and products) by [`build_provider`]; [`prelude`] holds what the main
//! job needs.
//!
//! ```
//! use provision::prelude::*;
//!
//! let config = Config::from_toml(r#"
//!     [servers.s3]
//!     backend = "minio"
//!     url = "https://s3.example.com"
//!     user = "provisioner"
//!     password = { env = "S3_ADMIN_SECRET" }
//!     region = "eu-1"
//! "#).unwrap();
//! # std::env::set_var("S3_ADMIN_SECRET", "an-example-secret-key");
//! let provider = build_provider(&config.servers["s3"]).unwrap();
//! assert!(provider.capabilities().buckets);
//!
//! let unknown = Config::from_toml("[servers.x]\nbackend = \"ftp\"\nurl = \"https://x\"\nuser = \"a\"\n\
//!     password = { env = \"S3_ADMIN_SECRET\" }").unwrap();
//! assert!(build_provider(&unknown.servers["x"]).is_err());
//! ```
//!
//! ```
//! use provision::core::quota::{ByteSize, Quota};
//! use provision::{name_rule, password_rule, quota};
//!
//! let rule = name_rule!("cust{client_id}-{random_digit_4}");
//! let passwords = password_rule!("16");
//! let q: Quota = quota!(10 GB);
//! assert_eq!(q.percent_used(ByteSize::new(9 << 30)), Some(90));
//! # let _ = (rule, passwords);
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub use provision_core as core;
#[doc(hidden)]
pub use provision_macros as __macros;

/// A name rule checked at compile time: `name_rule!("cust{client_id}-{random_digit_4}")`
/// gives a [`core::rules::NameRule`]; a bad rule is a compile error naming the position.
#[macro_export]
macro_rules! name_rule {
    ($($rule:tt)*) => { $crate::__macros::name_rule!(crate = $crate::core; $($rule)*) };
}

/// A password rule checked at compile time: `password_rule!("16")` or
/// `password_rule!("12:abcABC123!")` gives a [`core::rules::PasswordRule`].
#[macro_export]
macro_rules! password_rule {
    ($($rule:tt)*) => { $crate::__macros::password_rule!(crate = $crate::core; $($rule)*) };
}

/// A quota checked at compile time: `quota!(10 GB)`, `quota!(1.5 TB)`, `quota!(0)`
/// (unlimited) gives a [`core::quota::Quota`].
#[macro_export]
macro_rules! quota {
    ($($quota:tt)*) => { $crate::__macros::quota!(crate = $crate::core; $($quota)*) };
}

/// The Nextcloud backend (OCS Provisioning API).
#[cfg(feature = "nextcloud")]
pub use provision_nextcloud as nextcloud;

/// The Synology DSM backend (DSM Web API).
#[cfg(feature = "synology")]
pub use provision_synology as synology;

/// The MinIO backend (admin API v3 and S3).
#[cfg(feature = "minio")]
pub use provision_minio as minio;

use std::sync::Arc;

use provision_core::config::{ConfigError, ProviderConfig};
use provision_core::{Result, StorageProvider};

/// The backends this build of the crate can talk to (by its features).
pub const BACKENDS: &[&str] = &[
    #[cfg(feature = "nextcloud")]
    "nextcloud",
    #[cfg(feature = "synology")]
    "synology",
    #[cfg(feature = "minio")]
    "minio",
];

/// Builds the provider a `[servers.NAME]` table describes, whichever backend it names;
/// reads its password from the environment or the file it names. No request is sent.
pub fn build_provider(config: &ProviderConfig) -> Result<Arc<dyn StorageProvider>> {
    match config.backend.as_str() {
        #[cfg(feature = "nextcloud")]
        "nextcloud" => config.build_with::<nextcloud::NextcloudProviderBuilder>(),
        #[cfg(feature = "synology")]
        "synology" => config.build_with::<synology::SynologyProviderBuilder>(),
        #[cfg(feature = "minio")]
        "minio" => config.build_with::<minio::MinioProviderBuilder>(),
        other => Err(ConfigError::new(
            "backend",
            format!(
                "{other:?} is not a backend of this build (known: {})",
                BACKENDS.join(", ")
            ),
        )
        .into()),
    }
}

/// A billing cycle on `ledger` for every server and product of `config`, each server
/// recorded in the ledger with its table (see [`provision_core::cycle::BillingCycle::from_config`]).
pub async fn billing_cycle(
    ledger: Arc<dyn provision_core::ledger::Ledger>,
    config: &provision_core::config::Config,
) -> Result<provision_core::cycle::BillingCycle> {
    provision_core::cycle::BillingCycle::from_config(ledger, config, build_provider).await
}

/// The provider of a server the ledger recorded, built from its stored table (its
/// secrets read now from where the table says).
pub fn build_recorded(
    server: &provision_core::ledger::ServerRecord,
) -> Result<Arc<dyn StorageProvider>> {
    build_provider(&ProviderConfig::from_toml(&server.config)?)
}

/// What the main job needs: configuration, the trait, the provisioner and its types.
pub mod prelude {
    pub use crate::{billing_cycle, build_provider, build_recorded};
    pub use provision_core::config::{Config, ProviderBuilder, ProviderConfig, SecretSource};
    pub use provision_core::cycle::{BillingCycle, Created};
    pub use provision_core::http::ClientOptions;
    pub use provision_core::ledger::{
        AccountKey, Ledger, LimitOverride, PendingAction, ServerId, ServiceKey, ServiceStatus,
        SqlLedger, Tz,
    };
    pub use provision_core::provisioner::{
        ProductConfig, Provisioned, Provisioner, ServiceContext, SweepAccount, SweepReport,
    };
    pub use provision_core::threshold::ThresholdAction;
    pub use provision_core::{
        AccountInfo, AccountStatus, ByteSize, Error, ErrorKind, ExposeSecret, GeneratePassword,
        GroupName, Plan, ProviderExt, Quota, Result, SecretString, StorageProvider, Unit, Usage,
        Username,
    };
}
