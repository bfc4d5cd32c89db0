//! The Nextcloud backend of provision: accounts on a Nextcloud server through the OCS
//! Provisioning API.
//!
//! - [`client`]: typed calls of the wire API ([`client::NextcloudClient`]).
//! - [`NextcloudProvider`]: the [`StorageProvider`](provision_core::StorageProvider)
//!   on top: quota enforced by Nextcloud, suspend = disable, groups created on demand,
//!   bulk usage from the paginated `users/details` listing.
//! - `mock` (feature `mock`): a stateful in-process Nextcloud for tests.
//!
//! Log in with the admin's **account password**: Nextcloud 34 and later refuse
//! provisioning writes made with an app password, and the error says so.
//!
//! Configuration follows core's one scheme ([`provision_core::config`]):
//! [`NextcloudProviderBuilder`] implements
//! [`ProviderBuilder`](provision_core::config::ProviderBuilder) with the backend keys
//! `page_size` and `ocs_version`, so a provider can be built from a `[servers.NAME]`
//! table, from a URL with string options, or from `PROVISION_NEXTCLOUD_*` variables.
//!
//! Quotas: Nextcloud stores a quota in a one-decimal human form (`953.7 MB`), so most
//! byte counts do not read back exactly. The provider sends values that survive: a
//! whole number of tenths of its own unit (500 MB, 1.5 GB, 10 GB) as it is, anything
//! else as the nearest value the server can store (see
//! [`NextcloudProvider::stored_quota`]).
//!
//! ```
//! use provision_core::{AccountSpec, GroupName, Plan, Quota, SecretString, StorageProvider, Username};
//! use provision_nextcloud::mock::MockNextcloud;
//!
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! let mock = MockNextcloud::start().await;
//! let provider = mock.provider().unwrap();
//!
//! let plan = Plan::new("10 GB".parse::<Quota>().unwrap())
//!     .with_group(GroupName::new("customers").unwrap());
//! let bob = Username::new("bob").unwrap();
//! let created = provider
//!     .create_account(&AccountSpec {
//!         username: bob.clone(),
//!         password: SecretString::from("correct horse battery staple"),
//!         email: Some("bob@example.com".into()),
//!         display_name: Some("Bob".into()),
//!         plan,
//!     })
//!     .await
//!     .unwrap();
//! assert_eq!(created.quota, Some("10 GB".parse().unwrap()));
//!
//! let usage = provider.usage(&bob).await.unwrap();
//! assert_eq!(usage.used, Some(provision_core::ByteSize::ZERO));
//!
//! provider.terminate(&bob).await.unwrap();
//! assert!(provider.account(&bob).await.unwrap().is_none());
//! # });
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod byte_count;
pub mod client;
mod details;
mod error;
#[cfg(feature = "fuzzing")]
pub mod fuzzing;
mod human_size;
#[cfg(feature = "mock")]
pub mod mock;
mod provider;

pub use client::NextcloudClient;
pub use provider::{
    NextcloudProvider, NextcloudProviderBuilder, DEFAULT_PAGE_SIZE, ENV_PASSWORD,
    ENV_PASSWORD_FILE, ENV_URL, ENV_USER, NEXTCLOUD_POLICY,
};
