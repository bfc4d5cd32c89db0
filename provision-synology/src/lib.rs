//! The Synology DSM backend of provision: a DSM Web API client ([`client`]), its
//! [`StorageProvider`](provision_core::StorageProvider) ([`SynologyProvider`]), and
//! (feature `mock`) a stateful in-process DSM for tests (`mock`).
//!
//! - Quota: DSM enforces it through the plan's pre-configured group (its quota on the
//!   `homes` share); plans name that group, and a plan naming a group the DSM lacks is
//!   refused before anything is created. The library's quota is what the customer is
//!   shown and what thresholds use.
//! - Sessions: Auth v7 logins (DSM 7.2.1+ refuses mutations from older sessions), the
//!   Noise IK handshake and `X-SYNO-HASH` whenever the DSM offers its key, the CSRF
//!   token on every call, one shared re-login when DSM ends the session, and never a
//!   second login after DSM refused the credentials (its auto-block bans addresses).
//! - Two-step verification: give an OTP code once, store the device token DSM issues
//!   ([`SynologyProvider::device_token`]) and pass it on later runs. In a
//!   configuration file both are secrets: `device_token = { file = "/path" }` or
//!   `{ env = "VAR" }`; as text they are refused.
//! - TLS: HTTPS on port 5001 by default; a self-signed DSM takes core's
//!   `Tls::ExtraCa` or, explicitly, `Tls::Insecure`. Plain HTTP is refused except to
//!   loopback (core's `Endpoint` rule), since DSM would receive passwords in clear,
//!   unless the client options say `allow_insecure_http`.
//! - Configuration: [`SynologyProviderBuilder`] implements core's `ProviderBuilder`
//!   (`credentials`, `options`, `with_config` with the keys in `SETTING_KEYS`), so a
//!   DSM is built from code, a URL with options, a configuration file or the
//!   environment ([`mod@env`]).
//! - Terminate deletes the DSM user; whether DSM also deletes `homes/<name>` is not
//!   established (see the facts sheet), so check a real unit before relying on it.
//!
//! ```
//! # #[cfg(feature = "mock")]
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! use provision_core::{AccountSpec, ByteSize, Plan, StorageProvider, Username};
//! use provision_synology::mock::MockSynology;
//!
//! let dsm = MockSynology::start().await;
//! dsm.add_group("plan-10g", "10 GB".parse().unwrap());
//! let provider = dsm.provider_builder().build()?;
//!
//! let alice = Username::new("alice")?;
//! let plan = Plan::new("10 GB".parse()?).with_group("plan-10g".parse()?);
//! provider
//!     .create_account(&AccountSpec {
//!         username: alice.clone(),
//!         password: "Str0ng-Passw0rd".to_string().into(),
//!         email: Some("alice@example.com".into()),
//!         display_name: None,
//!         plan,
//!     })
//!     .await?;
//! dsm.set_usage("alice", ByteSize::new(3 << 30));
//! let usage = provider.usage(&alice).await?;
//! assert_eq!(usage.used, Some(ByteSize::new(3 << 30)));
//! assert_eq!(usage.quota, Some("10 GB".parse()?));
//! provider.terminate(&alice).await?;
//! assert!(provider.account(&alice).await?.is_none());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! # }).unwrap();
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod client;
mod error;
#[cfg(feature = "fuzzing")]
pub mod fuzzing;
#[cfg(feature = "mock")]
pub mod mock;
mod noise;
mod provider;

use provision_core::rules::{CaseRule, EdgeRule, NamePolicy};

pub use provider::{
    env, SynologyProvider, SynologyProviderBuilder, DEFAULT_USAGE_BATCH, DEFAULT_USAGE_CONCURRENCY,
};

/// DSM's rules for the names this library creates: lower-case ASCII letters, digits and
/// `. _ -`, starting and ending with a letter or digit, 2 to 64 characters. A digit may
/// come first (DSM refuses only `-` or a space there), so the rule
/// `{client_id}-{service_id}-{random_digit_4}` gives names such as `12-3-4821`. DSM itself allows more (Unicode, upper case) but folds case, so names
/// are kept lower case and compared case-insensitively. DSM's default, system and
/// refused names are reserved; names starting with `sc-` (held by DSM packages) are
/// refused by the provider as well.
pub static NAME_POLICY: NamePolicy = NamePolicy {
    backend: "synology",
    allowed: |c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'),
    allowed_description: "a-z, 0-9, '.', '_' and '-'",
    replacement: Some('-'),
    min_len: 2,
    max_len: 64,
    case: CaseRule::Lower,
    first: EdgeRule::Alphanumeric,
    last: EdgeRule::Alphanumeric,
    reserved: &[
        "admin",
        "guest",
        "root",
        "synologycms",
        "mailer-daemon",
        "postmaster",
        "administrators",
        "http",
        "users",
        "rootuser",
        "rootusr",
        "administrator",
        "adm",
        "adminuser",
        "adminusr",
        "user",
    ],
};
