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
pub use provision_macros::{name_rule, password_rule, quota};

/// The Nextcloud backend (OCS Provisioning API).
#[cfg(feature = "nextcloud")]
pub use provision_nextcloud as nextcloud;

/// The Synology DSM backend (DSM Web API).
#[cfg(feature = "synology")]
pub use provision_synology as synology;

/// The MinIO backend (admin API v3 and S3).
#[cfg(feature = "minio")]
pub use provision_minio as minio;
