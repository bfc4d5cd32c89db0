//! provision-core: everything in provision that is not one backend's wire protocol.
//!
//! - [`provider`]: the [`StorageProvider`] trait every backend implements, and
//!   [`memory::InMemoryProvider`], which behaves like a server for tests;
//! - [`provisioner`]: create accounts from a product's rules (with undo), sweep usage;
//! - [`quota`], [`rules`] (name rules, name policies, password rules), [`threshold`],
//!   [`notify`] (template values and templates), [`history`] (usage samples in memory or
//!   SQLite); the parsers among them come from `provision-rules`, re-exported here;
//! - [`delivery`]: the outbox's notifications in the customer's language ([`i18n`]),
//!   sent through a `Notifier` — SMTP (feature `smtp`) or a signed webhook (feature
//!   `webhook`) — and confirmed in the ledger only once sent;
//! - [`error`]: the one error type, with normalised kinds and the server's own codes;
//! - `http` (default feature `http`): client options and the retry rule the backends
//!   share;
//! - `testkit` (feature): the conformance suite any provider can be run through.
//!
//! The default feature `sqlite` adds the durable `history::SqliteHistory`.
//!
//! ```
//! use std::sync::Arc;
//! use provision_core::memory::InMemoryProvider;
//! use provision_core::provisioner::{ProductConfig, Provisioner, ServiceContext};
//! use provision_core::{AccountStatus, StorageProvider};
//!
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! let provider = Arc::new(InMemoryProvider::new());
//! let provisioner = Provisioner::new(provider.clone());
//! let product = ProductConfig::new("cust{client_id}-{service_id}", "16", "10 GB").unwrap();
//! let created = provisioner
//!     .create(&ServiceContext::new("1001", "42"), &product)
//!     .await
//!     .unwrap();
//! assert_eq!(created.username.as_str(), "cust1001-42");
//!
//! provider.suspend(&created.username).await.unwrap();
//! let account = provider.account(&created.username).await.unwrap().unwrap();
//! assert_eq!(account.status, AccountStatus::Suspended);
//! provider.terminate(&created.username).await.unwrap();
//! # });
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod concurrency;
pub mod config;
pub mod cycle;
pub mod delivery;
pub mod email;
pub mod endpoint;
pub mod error;
pub mod history;
#[cfg(feature = "http")]
pub mod http;
pub mod i18n;
pub mod ledger;
pub mod memory;
pub mod notify;
pub mod options;
pub mod protected;
pub mod provider;
pub mod provisioner;
pub use provision_rules::quota;
pub mod rules;
#[cfg(any(test, feature = "testkit"))]
pub mod testkit;
pub mod threshold;
pub mod undo;
pub mod username;
pub mod views;

pub use error::{Error, ErrorKind, Result};
pub use provider::{
    AccountInfo, AccountSpec, AccountStatus, Adoption, Capabilities, MinioPlan, Plan, ProviderExt,
    QuotaEnforcement, ServerInfo, StorageProvider, Usage,
};
pub use quota::{ByteSize, Quota, Unit};
pub use rules::NamePolicy;
pub use rules::{
    CollisionLimits, GenerateName, GeneratePassword, IdAlphabet, NameContext, NameRule,
    PasswordRule,
};
pub use secrecy::{ExposeSecret, SecretString};
pub use username::{GroupName, Username};

// The types provision-macros expands to, so that `crate = provision_core;` works.
#[doc(hidden)]
pub use provision_rules::__private;
