//! [`SynologyProviderBuilder`]: the settings of a [`SynologyProvider`], set in code, by
//! string keys ([`ProviderBuilder::with_config`]), from a URL with options or from the
//! environment (core's one scheme, see [`mod@env`]).

use std::fmt;
use std::sync::Arc;

use provision_core::config::{parse_setting, unknown_key, ProviderBuilder};
use provision_core::error::{Error, Result};
use provision_core::http::ClientOptions;
use provision_core::provider::StorageProvider;
use secrecy::SecretString;

use super::{SynologyProvider, DEFAULT_USAGE_BATCH, DEFAULT_USAGE_CONCURRENCY};
use crate::client::{Credentials, SynologyClient, DEFAULT_DEVICE_NAME, DEFAULT_SESSION_LABEL};
use crate::error::BACKEND;

/// The environment variables [`SynologyProvider::from_env`] reads: core's one scheme,
/// `PROVISION_SYNOLOGY_` and a key upper-cased. Besides these, every client option key
/// is read the same way (`PROVISION_SYNOLOGY_TIMEOUT`, `_MAX_RETRIES`, ...) and every
/// [`SynologyProviderBuilder::SETTING_KEYS`] entry (`_SESSION_LABEL`, `_USAGE_BATCH`, ...).
pub mod env {
    /// The DSM address (e.g. `https://nas.example.com:5001`); unset means "no DSM".
    pub const URL: &str = "PROVISION_SYNOLOGY_URL";
    /// The administrator account.
    pub const USER: &str = "PROVISION_SYNOLOGY_USER";
    /// Its password.
    pub const PASSWORD: &str = "PROVISION_SYNOLOGY_PASSWORD";
    /// Or the path of a file holding the password.
    pub const PASSWORD_FILE: &str = "PROVISION_SYNOLOGY_PASSWORD_FILE";
    /// A plan group that exists on the DSM (read by tests and examples).
    pub const GROUP: &str = "PROVISION_SYNOLOGY_GROUP";
    /// Optional: a current two-step verification code.
    pub const OTP_CODE: &str = "PROVISION_SYNOLOGY_OTP_CODE";
    /// Optional: a trusted-device token DSM issued earlier.
    pub const DEVICE_TOKEN: &str = "PROVISION_SYNOLOGY_DEVICE_TOKEN";
    /// Optional: `1`/`true` accepts a self-signed certificate without checking it.
    pub const TLS_INSECURE: &str = "PROVISION_SYNOLOGY_TLS_INSECURE";
    /// Optional: the path of a PEM CA certificate to trust besides the system roots.
    pub const TLS_CA_FILE: &str = "PROVISION_SYNOLOGY_TLS_CA_FILE";
}

/// Builds a [`SynologyProvider`].
pub struct SynologyProviderBuilder {
    base_url: String,
    account: Option<String>,
    password: Option<SecretString>,
    otp_code: Option<SecretString>,
    device_token: Option<SecretString>,
    device_name: String,
    session_label: String,
    options: ClientOptions,
    usage_concurrency: usize,
    usage_batch: usize,
}

impl fmt::Debug for SynologyProviderBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let redacted = |s: &Option<SecretString>| s.as_ref().map(|_| "[redacted]");
        f.debug_struct("SynologyProviderBuilder")
            .field("base_url", &self.base_url)
            .field("account", &self.account)
            .field("password", &redacted(&self.password))
            .field("otp_code", &redacted(&self.otp_code))
            .field("device_token", &redacted(&self.device_token))
            .field("device_name", &self.device_name)
            .field("session_label", &self.session_label)
            .field("options", &self.options)
            .field("usage_concurrency", &self.usage_concurrency)
            .field("usage_batch", &self.usage_batch)
            .finish()
    }
}

impl SynologyProviderBuilder {
    /// A builder for the DSM at `base_url` (`nas.example.com` means
    /// `https://nas.example.com:5001`), with the defaults.
    pub fn new(base_url: impl Into<String>) -> Self {
        SynologyProviderBuilder {
            base_url: base_url.into(),
            account: None,
            password: None,
            otp_code: None,
            device_token: None,
            device_name: DEFAULT_DEVICE_NAME.to_string(),
            session_label: DEFAULT_SESSION_LABEL.to_string(),
            options: ClientOptions::default(),
            usage_concurrency: DEFAULT_USAGE_CONCURRENCY,
            usage_batch: DEFAULT_USAGE_BATCH,
        }
    }

    /// The administrator account and its password.
    pub fn credentials(mut self, account: impl Into<String>, password: SecretString) -> Self {
        self.account = Some(account.into());
        self.password = Some(password);
        self
    }

    /// A current two-step verification code for the first login; DSM then issues a
    /// device token ([`SynologyProvider::device_token`]) to store for later runs.
    pub fn otp_code(mut self, code: SecretString) -> Self {
        self.otp_code = Some(code);
        self
    }

    /// A trusted-device token from an earlier OTP login: no code is needed with it.
    pub fn device_token(mut self, token: SecretString) -> Self {
        self.device_token = Some(token);
        self
    }

    /// The device name DSM shows for the token (default `provision`).
    pub fn device_name(mut self, name: impl Into<String>) -> Self {
        self.device_name = name.into();
        self
    }

    /// The session label (default `provision`): logging it out never ends other
    /// sessions of the same account.
    pub fn session_label(mut self, label: impl Into<String>) -> Self {
        self.session_label = label.into();
        self
    }

    /// Timeouts, TLS (extra CA or insecure for a self-signed DSM), retries, and whether
    /// cleartext `http://` to a DSM that is not on loopback is allowed.
    pub fn options(mut self, options: ClientOptions) -> Self {
        self.options = options;
        self
    }

    /// About how many accounts `usage_all` reads at once (at least 1; default 16): with
    /// batches of [`Self::usage_batch`] accounts, `concurrency / batch` requests (at least
    /// one) are in flight. Under Noise IK every request spends a nonce; they are handed
    /// out in order but may arrive out of order when sent at once. Whether DSM minds is
    /// unknown; a DSM that does wants 1 here.
    pub fn usage_concurrency(mut self, concurrency: usize) -> Self {
        self.usage_concurrency = concurrency;
        self
    }

    /// How many usage reads a sweep puts into one request (DSM's `SYNO.Entry.Request`;
    /// default 50; 1 sends one request per account). A DSM without batching gets one
    /// request per account whatever this says.
    pub fn usage_batch(mut self, reads_per_request: usize) -> Self {
        self.usage_batch = reads_per_request;
        self
    }

    /// Checks the settings and builds the provider; nothing is sent yet.
    pub fn build(self) -> Result<SynologyProvider> {
        let account = self
            .account
            .ok_or_else(|| Error::invalid("account", "no DSM account given"))?;
        let password = self
            .password
            .ok_or_else(|| Error::invalid("password", "no DSM password given"))?;
        if self.usage_concurrency == 0 {
            return Err(Error::invalid("usage_concurrency", "must be at least 1"));
        }
        if self.usage_batch == 0 {
            return Err(Error::invalid("usage_batch", "must be at least 1"));
        }
        let mut credentials =
            Credentials::new(account, password).with_device_name(self.device_name);
        if let Some(code) = self.otp_code {
            credentials = credentials.with_otp_code(code);
        }
        if let Some(token) = self.device_token {
            credentials = credentials.with_device_token(token);
        }
        let client = SynologyClient::new(
            &self.base_url,
            credentials,
            &self.session_label,
            &self.options,
        )?;
        Ok(SynologyProvider::new(
            client,
            self.usage_concurrency,
            self.usage_batch,
        ))
    }
}

impl ProviderBuilder for SynologyProviderBuilder {
    const BACKEND: &'static str = BACKEND;

    const SETTING_KEYS: &'static [&'static str] = &[
        "otp_code",
        "device_token",
        "device_name",
        "session_label",
        "usage_concurrency",
        "usage_batch",
    ];

    const SECRET_KEYS: &'static [&'static str] = &["otp_code", "device_token"];

    fn new(url: &str) -> Self {
        SynologyProviderBuilder::new(url)
    }

    fn credentials(self, user: &str, password: SecretString) -> Self {
        SynologyProviderBuilder::credentials(self, user, password)
    }

    fn options(self, options: ClientOptions) -> Self {
        SynologyProviderBuilder::options(self, options)
    }

    fn with_config(self, key: &str, value: &str) -> Result<Self> {
        let secret = || SecretString::from(value.trim().to_string());
        Ok(match key {
            "otp_code" => self.otp_code(secret()),
            "device_token" => self.device_token(secret()),
            "device_name" => self.device_name(value.trim()),
            "session_label" => self.session_label(value.trim()),
            "usage_concurrency" => self.usage_concurrency(parse_setting(key, value)?),
            "usage_batch" => self.usage_batch(parse_setting(key, value)?),
            _ => return Err(unknown_key(BACKEND, key, Self::SETTING_KEYS)),
        })
    }

    fn build_provider(self) -> Result<Arc<dyn StorageProvider>> {
        Ok(Arc::new(self.build()?))
    }
}
