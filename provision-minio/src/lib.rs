//! The MinIO backend of `provision`.
//!
//! MinIO's admin API (`/minio/admin/v3/`) and its S3 API are both authenticated with
//! AWS Signature Version 4, and several admin calls carry request or response bodies
//! encrypted with the secret key of the signing credentials (the madmin payload
//! format). What provisioning needs sits at the crate root:
//!
//! - [`MinioProvider`]: the `StorageProvider` (create, suspend, terminate, limits by
//!   policy switching, bulk usage from one data-usage call), built with
//!   [`MinioProvider::builder`] or [`MinioProvider::from_env`];
//! - [`PolicyKind`] and [`PolicyTemplate`]: the canned policies a plan switches
//!   between, and [`Namespace`], the buckets a user may reach;
//! - [`client`]: typed admin API v3 calls ([`client::AdminClient`]) and S3 calls
//!   ([`client::S3Client`], signed with [`Credentials`]), with MinIO's JSON and XML
//!   errors mapped to core's error kinds (the server's code kept), the admin prefix
//!   negotiated, PBKDF2 payloads with an Argon2id fallback, and the legacy set-policy
//!   call where attach is missing;
//! - `mock` (feature `mock`): a stateful MinIO/RustFS server over real HTTP for tests.
//!
//! The wire formats themselves (SigV4 signing and verification, madmin payloads,
//! policy documents and the ARN matcher) are in [`wire`], the low-level escape hatch.
//!
//! Works against MinIO (servers from ~2021 to RELEASE.2025-10-15) and RustFS.
//!
//! ```
//! # #[cfg(feature = "mock")]
//! # fn main() { tokio::runtime::Runtime::new().unwrap().block_on(example()) }
//! # #[cfg(not(feature = "mock"))]
//! # fn main() {}
//! # #[cfg(feature = "mock")]
//! async fn example() {
//!     use provision_core::{AccountSpec, Plan, SecretString, StorageProvider, Username};
//!     use provision_minio::mock::MockMinio;
//!     use provision_minio::MinioProvider;
//!
//!     let mock = MockMinio::start().await;
//!     let provider = MinioProvider::builder(mock.url())
//!         .credentials(mock.access_key(), mock.secret_key())
//!         .build()
//!         .unwrap();
//!
//!     let alice = Username::new("alice").unwrap();
//!     let spec = AccountSpec {
//!         username: alice.clone(),
//!         password: SecretString::from("Alice-Secret-42".to_string()),
//!         email: None,
//!         display_name: None,
//!         plan: Plan::new("10 GB".parse().unwrap()),
//!     };
//!     provider.create_account(&spec).await.unwrap();
//!
//!     // Usage comes from MinIO's scanner; the mock scans when told to.
//!     mock.put_object("alice", "report.pdf", 3 << 20).unwrap();
//!     mock.refresh_usage();
//!     let usage = provider.usage(&alice).await.unwrap();
//!     assert_eq!(usage.used.unwrap().bytes(), 3 << 20);
//!
//!     provider.terminate(&alice).await.unwrap();
//!     assert!(provider.account(&alice).await.unwrap().is_none());
//! }
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod client;
mod error;
#[cfg(feature = "fuzzing")]
pub mod fuzzing;
#[cfg(feature = "mock")]
pub mod mock;
mod provider;
mod user_locks;
pub mod wire;
mod xml;

pub use provider::{
    MinioProvider, MinioProviderBuilder, DEFAULT_POLICY_PREFIX, ENV_PASSWORD, ENV_URL, ENV_USER,
    MIN_PASSWORD_BYTES, NAME_POLICY, SETTING_KEYS,
};
pub use wire::policy::{Namespace, NamespaceError, PolicyError, PolicyKind, PolicyTemplate};
pub use wire::sigv4::Credentials;
