//! Building a [`MinioProvider`]: endpoint, credentials, client options, namespace and
//! policy settings, from code, from string keys ([`ProviderBuilder`]: a configuration
//! file, a URL with options) or from the environment (core's one scheme).

use std::fmt;
use std::sync::Arc;

use provision_core::config::{self, ConfigError, ProviderBuilder};
use provision_core::error::Error;
use provision_core::http::{parse_bool, ClientOptions};
use provision_core::StorageProvider;
use secrecy::SecretString;

use super::{MinioProvider, ProviderConfig, NAME_POLICY};
use crate::client::{self, DEFAULT_REGION};
use crate::user_locks::UserLocks;
use crate::wire::policy::{
    check_prefix, BucketFeatures, Namespace, PolicyKind, PolicyTemplate, MAX_TOKEN_LEN,
    MIN_TOKEN_LEN,
};
use crate::wire::sigv4::Credentials;

/// The environment variable holding the server address (core's scheme:
/// `PROVISION_<BACKEND>_URL`).
pub const ENV_URL: &str = "PROVISION_MINIO_URL";
/// The environment variable holding the administrator's access key (the scheme's user).
pub const ENV_USER: &str = "PROVISION_MINIO_USER";
/// The environment variable holding the administrator's secret key (the scheme's
/// password; `PROVISION_MINIO_PASSWORD_FILE` names a file holding it instead).
pub const ENV_PASSWORD: &str = "PROVISION_MINIO_PASSWORD";

/// The keys [`MinioProviderBuilder`] takes in [`ProviderBuilder::with_config`]: each
/// builder setting by its method's name; the policy templates as JSON text.
pub const SETTING_KEYS: &[&str] = &[
    "region",
    "bucket_prefix",
    "policy_prefix",
    "default_bucket",
    "admin_prefix",
    "standard_policy",
    "limited_policy",
    "bucket_features",
];

/// The default prefix of per-user policy names (`provision-<token>`).
pub const DEFAULT_POLICY_PREFIX: &str = "provision-";

/// Configures a [`MinioProvider`]; see [`MinioProvider::builder`].
///
/// `Debug` never shows the secret key.
#[derive(Clone)]
pub struct MinioProviderBuilder {
    endpoint: String,
    access_key: Option<String>,
    secret_key: Option<SecretString>,
    region: String,
    options: ClientOptions,
    bucket_prefix: String,
    policy_prefix: String,
    default_bucket: bool,
    standard: PolicyTemplate,
    limited: PolicyTemplate,
    bucket_features: BucketFeatures,
    admin_prefix: Option<String>,
}

impl fmt::Debug for MinioProviderBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MinioProviderBuilder")
            .field("endpoint", &self.endpoint)
            .field("access_key", &self.access_key)
            .field(
                "secret_key",
                &self.secret_key.as_ref().map(|_| "[redacted]"),
            )
            .field("region", &self.region)
            .field("options", &self.options)
            .field("bucket_prefix", &self.bucket_prefix)
            .field("policy_prefix", &self.policy_prefix)
            .field("default_bucket", &self.default_bucket)
            .field("bucket_features", &self.bucket_features)
            .field("admin_prefix", &self.admin_prefix)
            .finish_non_exhaustive()
    }
}

impl MinioProviderBuilder {
    pub(super) fn for_endpoint(endpoint: impl Into<String>) -> Self {
        MinioProviderBuilder {
            endpoint: endpoint.into(),
            access_key: None,
            secret_key: None,
            region: DEFAULT_REGION.to_owned(),
            options: ClientOptions::default(),
            bucket_prefix: String::new(),
            policy_prefix: DEFAULT_POLICY_PREFIX.to_owned(),
            default_bucket: true,
            standard: PolicyTemplate::standard(),
            limited: PolicyTemplate::limited(),
            bucket_features: BucketFeatures::none(),
            admin_prefix: None,
        }
    }

    /// The administrator's access key and secret key (required).
    pub fn credentials(mut self, access_key: impl Into<String>, secret_key: SecretString) -> Self {
        self.access_key = Some(access_key.into());
        self.secret_key = Some(secret_key);
        self
    }

    /// The region S3 calls are signed for (default `us-east-1`, which servers without
    /// a configured region accept).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = region.into();
        self
    }

    /// Timeouts, TLS, retries and the cleartext rule (core's shared options).
    pub fn options(mut self, options: ClientOptions) -> Self {
        self.options = options;
        self
    }

    /// A prefix put before every user name to form its bucket token (default none):
    /// with `u-`, user `12-34` owns the buckets `u-12-34` and `u-12-34.*`. Only
    /// `a-z 0-9 -`, starting with a letter or digit.
    pub fn bucket_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.bucket_prefix = prefix.into();
        self
    }

    /// The prefix of per-user policy names (default `provision-`). It keeps per-user
    /// policies apart from the built-ins (`readwrite`, ...) and must not be empty.
    pub fn policy_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.policy_prefix = prefix.into();
        self
    }

    /// Whether create makes the user's default bucket `T` (default yes).
    pub fn default_bucket(mut self, create: bool) -> Self {
        self.default_bucket = create;
        self
    }

    /// Replaces the standard (or limited) policy document with an operator template.
    /// The template is checked for every user before anything is sent: a resource
    /// outside the user's namespace, an admin action or `s3:ListAllMyBuckets` fails
    /// the call (and [`build`](Self::build) checks it once up front).
    pub fn policy_template(mut self, kind: PolicyKind, template: PolicyTemplate) -> Self {
        let template = template.for_kind(kind);
        match kind {
            PolicyKind::Standard => self.standard = template,
            PolicyKind::Limited => self.limited = template,
        }
        self
    }

    /// The bucket features tenants of this server get (none by default): bucket
    /// policies, object lock, replication and the rest of
    /// [`BucketFeature::ALL`](crate::wire::policy::BucketFeature::ALL). Without
    /// an opt-in the documents deny them and operator templates granting them are
    /// refused. A product that needs a feature gets its own server entry (the same
    /// URL with other settings), so the opt-in is per product.
    pub fn bucket_features(mut self, features: BucketFeatures) -> Self {
        self.bucket_features = features;
        self
    }

    /// Pins the admin API prefix (e.g. `/rustfs/admin/v3`) instead of negotiating it.
    pub fn admin_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.admin_prefix = Some(prefix.into());
        self
    }

    /// Checks the configuration and builds the provider (no request is sent).
    pub fn build(self) -> Result<MinioProvider, Error> {
        let access_key = self
            .access_key
            .filter(|k| !k.is_empty())
            .ok_or_else(|| Error::invalid("access key", "is not set"))?;
        let secret_key = self
            .secret_key
            .ok_or_else(|| Error::invalid("secret key", "is not set"))?;
        check_prefix(&self.bucket_prefix)
            .map_err(|e| Error::invalid("bucket prefix", e.to_string()))?;
        if self.bucket_prefix.len() + 1 > MAX_TOKEN_LEN {
            return Err(Error::invalid(
                "bucket prefix",
                "leaves no room for user names",
            ));
        }
        check_policy_prefix(&self.policy_prefix)?;
        let standard = self.standard.with_features(self.bucket_features.clone());
        let limited = self.limited.with_features(self.bucket_features.clone());
        // A template that cannot render for a probe user can render for no user.
        let probe = Namespace::new(format!("{}probe-user", self.bucket_prefix))
            .map_err(|e| Error::invalid("bucket prefix", e.to_string()))?;
        for (kind, template) in [("standard", &standard), ("limited", &limited)] {
            template.render("probe-user", &probe).map_err(|e| {
                Error::invalid(
                    "policy template",
                    format!("the {kind} template is unsafe or malformed: {e}"),
                )
            })?;
        }

        let credentials = Credentials::new(access_key, secret_key);
        let (mut admin, s3) =
            client::connect(&self.endpoint, credentials, &self.region, &self.options)?;
        if let Some(prefix) = &self.admin_prefix {
            admin = admin.with_admin_prefix(prefix);
        }

        // The user name's room in a token depends on the bucket prefix.
        let mut name_policy = NAME_POLICY.clone();
        name_policy.max_len = MAX_TOKEN_LEN - self.bucket_prefix.len();
        name_policy.min_len = MIN_TOKEN_LEN
            .saturating_sub(self.bucket_prefix.len())
            .max(1);

        Ok(MinioProvider {
            admin,
            s3,
            config: Arc::new(ProviderConfig {
                bucket_prefix: self.bucket_prefix,
                policy_prefix: self.policy_prefix,
                default_bucket: self.default_bucket,
                standard,
                limited,
                bucket_features: self.bucket_features,
                name_policy,
            }),
            locks: Arc::new(UserLocks::default()),
        })
    }
}

fn check_policy_prefix(prefix: &str) -> Result<(), Error> {
    let fine = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
    if prefix.is_empty() || !prefix.chars().all(fine) {
        return Err(Error::invalid(
            "policy prefix",
            "must be non-empty and use only A-Z, a-z, 0-9, -, _ and .",
        ));
    }
    Ok(())
}

impl ProviderBuilder for MinioProviderBuilder {
    const BACKEND: &'static str = "minio";
    const SETTING_KEYS: &'static [&'static str] = SETTING_KEYS;

    fn new(url: &str) -> Self {
        MinioProviderBuilder::for_endpoint(url)
    }

    /// `user` is the administrator's access key, `password` its secret key.
    fn credentials(self, user: &str, password: SecretString) -> Self {
        MinioProviderBuilder::credentials(self, user, password)
    }

    fn options(self, options: ClientOptions) -> Self {
        MinioProviderBuilder::options(self, options)
    }

    fn with_config(self, key: &str, value: &str) -> Result<Self, Error> {
        Ok(match key {
            "region" => self.region(value),
            "bucket_prefix" => self.bucket_prefix(value),
            "policy_prefix" => self.policy_prefix(value),
            "default_bucket" => self.default_bucket(parse_bool("default_bucket", value)?),
            "admin_prefix" => self.admin_prefix(value),
            "standard_policy" => {
                self.policy_template(PolicyKind::Standard, template_setting(key, value)?)
            }
            "limited_policy" => {
                self.policy_template(PolicyKind::Limited, template_setting(key, value)?)
            }
            "bucket_features" => self.bucket_features(
                BucketFeatures::parse_list(value)
                    .map_err(|e| Error::from(ConfigError::new(key, e.to_string())))?,
            ),
            _ => return Err(config::unknown_key(Self::BACKEND, key, SETTING_KEYS)),
        })
    }

    fn build_provider(self) -> Result<Arc<dyn StorageProvider>, Error> {
        Ok(Arc::new(self.build()?))
    }
}

/// A policy template given as JSON text under `key`; its safety is checked by `build`.
fn template_setting(key: &str, json: &str) -> Result<PolicyTemplate, Error> {
    PolicyTemplate::parse(json).map_err(|e| ConfigError::new(key, e.to_string()).into())
}
