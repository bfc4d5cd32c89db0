//! provision-core: everything in provision that is not one backend's wire protocol.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod error;
pub mod history;
pub mod http;
pub mod memory;
pub mod notify;
pub mod provider;
pub mod provisioner;
pub mod quota;
pub mod rules;
#[cfg(any(test, feature = "testkit"))]
pub mod testkit;
pub mod threshold;
pub mod username;

pub use error::{Error, ErrorKind, Result};
pub use provider::{
    AccountInfo, AccountSpec, AccountStatus, Capabilities, Plan, ProviderExt, QuotaEnforcement,
    ServerInfo, StorageProvider, Usage,
};
pub use quota::{ByteSize, Quota, Unit};
pub use rules::NamePolicy;
pub use rules::{CollisionLimits, NameContext, NameRule, PasswordRule};
pub use secrecy::{ExposeSecret, SecretString};
pub use username::{GroupName, Username};
