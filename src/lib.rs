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
