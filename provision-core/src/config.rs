//! Configuration every backend shares: where a server is and how to log in, from a
//! file, from a URL with string options, or from the environment; and products from a
//! file.
//!
//! One scheme for every backend:
//!
//! - **A file** (TOML): a `[servers.NAME]` table per server with `backend`, `url`, `user`,
//!   `password = { env = "VAR" }` or `{ file = "/run/secrets/x" }`, an optional
//!   `[servers.NAME.options]` table ([`ClientOptions`]) and the backend's own keys; a
//!   `[products.NAME]` table per product ([`ProductSettings`]). Unknown keys are errors
//!   that name the key.
//! - **A URL and string options**, as object_store's `parse_url_opts`:
//!   [`ProviderBuilder::from_url_opts`] takes `user`, `password_env` or `password_file`,
//!   the client option keys ([`crate::options::OPTION_KEYS`]) and the backend's own keys
//!   ([`ProviderBuilder::SETTING_KEYS`]); an unknown key is an error.
//! - **The environment**: `PROVISION_<BACKEND>_URL`, `_USER`, `_PASSWORD` (or
//!   `_PASSWORD_FILE`), and each option or backend key upper-cased
//!   (`PROVISION_SYNOLOGY_TLS_CA_FILE`, `PROVISION_MINIO_REGION`, ...):
//!   [`ProviderBuilder::from_env`].
//!
//! Secrets are read from the environment or a file when the provider is built, kept as
//! [`SecretString`], and never printed: `Debug` of these types names the variable or the
//! file, never the value.
//!
//! ```
//! use provision_core::config::Config;
//!
//! let config = Config::from_toml(r#"
//!     [servers.cloud]
//!     backend = "nextcloud"
//!     url = "https://cloud.example.com"
//!     user = "admin"
//!     password = { env = "CLOUD_ADMIN_PASSWORD" }
//!     page_size = 200
//!     options = { timeout = "20s" }
//!
//!     [products.basic]
//!     name_rule = "cust{client_id}-{service_id}"
//!     password_rule = "16"
//!     quota = "10 GB"
//!     notify_at = 90
//!     groups = ["basic"]
//! "#).unwrap();
//! let cloud = &config.servers["cloud"];
//! assert_eq!(cloud.backend, "nextcloud");
//! assert_eq!(cloud.settings["page_size"], "200");
//! assert_eq!(config.products["basic"].notify_at_percent, Some(90));
//!
//! let err = Config::from_toml("[servers.x]\nbackend = \"minio\"\nurl = \"https://s3\"\n\
//!     user = \"a\"\npassword = { env = \"P\" }\noptions = { timeuot = \"1s\" }").unwrap_err();
//! assert!(err.to_string().contains("timeuot"));
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

use crate::delivery::settings::{DeliveryFile, DeliverySettings};
use crate::error::{Error, InputError, Result};
use crate::notify::Template;
use crate::options::ClientOptions;
use crate::provider::StorageProvider;
use crate::provisioner::{ProductConfig, ProductTemplates};
use crate::quota::{Quota, Unit};
use crate::username::GroupName;

/// A configuration that does not load, with the place at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("configuration: {place}: {reason}")]
pub struct ConfigError {
    /// Where: a key path (`products.basic.quota`), a file, an environment variable.
    pub place: String,
    /// What is wrong.
    pub reason: String,
}

impl ConfigError {
    /// An error at `place`.
    pub fn new(place: impl Into<String>, reason: impl Into<String>) -> Self {
        ConfigError {
            place: place.into(),
            reason: reason.into(),
        }
    }
}

impl From<ConfigError> for Error {
    fn from(e: ConfigError) -> Self {
        Error::Input(InputError::Config(e))
    }
}

/// Where a secret comes from: `{ env = "VAR" }` or `{ file = "/path" }`.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase", deny_unknown_fields)]
pub enum SecretSource {
    /// An environment variable's value.
    Env(String),
    /// A file's contents, without the trailing line break.
    File(PathBuf),
}

impl fmt::Debug for SecretSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SecretSource::Env(name) => write!(f, "Env({name})"),
            SecretSource::File(path) => write!(f, "File({})", path.display()),
        }
    }
}

impl SecretSource {
    /// Reads the secret now. `place` names it in errors (the value never appears).
    pub fn read(&self, place: &str) -> Result<SecretString, ConfigError> {
        match self {
            SecretSource::Env(name) => match std::env::var(name) {
                Ok(value) if !value.is_empty() => Ok(SecretString::from(value)),
                _ => Err(ConfigError::new(
                    place,
                    format!("environment variable {name} is not set"),
                )),
            },
            SecretSource::File(path) => read_secret_file(place, path),
        }
    }
}

fn read_secret_file(place: &str, path: &Path) -> Result<SecretString, ConfigError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| ConfigError::new(place, format!("cannot read {}: {e}", path.display())))?;
    let value = text.strip_suffix('\n').unwrap_or(&text);
    let value = value.strip_suffix('\r').unwrap_or(value);
    if value.is_empty() {
        return Err(ConfigError::new(
            place,
            format!("{} is empty", path.display()),
        ));
    }
    Ok(SecretString::from(value.to_string()))
}

/// A setting's value in a file: text, a number or a boolean, kept as text for the
/// backend's [`ProviderBuilder::with_config`], or a secret's source.
#[derive(Deserialize)]
#[serde(untagged)]
enum SettingValue {
    Text(String),
    Integer(i64),
    Float(f64),
    Bool(bool),
    Secret(SecretSource),
}

impl SettingValue {
    fn into_setting(self) -> Setting {
        match self {
            SettingValue::Text(s) => Setting::Text(s),
            SettingValue::Integer(n) => Setting::Text(n.to_string()),
            SettingValue::Float(x) => Setting::Text(x.to_string()),
            SettingValue::Bool(b) => Setting::Text(b.to_string()),
            SettingValue::Secret(source) => Setting::Secret(source),
        }
    }
}

/// One of a backend's own settings in a `[servers.NAME]` table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Setting {
    /// A plain value, as text.
    Text(String),
    /// A secret (one of the builder's [`ProviderBuilder::SECRET_KEYS`]), read when the
    /// provider is built: `{ env = "VAR" }` or `{ file = "/path" }`.
    Secret(SecretSource),
}

impl PartialEq<&str> for Setting {
    fn eq(&self, other: &&str) -> bool {
        matches!(self, Setting::Text(text) if text == other)
    }
}

fn settings_from_file<'de, D>(deserializer: D) -> Result<BTreeMap<String, Setting>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    let raw = BTreeMap::<String, SettingValue>::deserialize(deserializer)?;
    Ok(raw
        .into_iter()
        .map(|(k, v)| (k, v.into_setting()))
        .collect())
}

/// One server from a configuration file: which backend, where, how to log in, and the
/// backend's own settings. [`ProviderConfig::build_with`] turns it into a provider; the
/// facade crate's `build_provider` picks the backend by name.
#[derive(Clone, Deserialize)]
#[non_exhaustive]
pub struct ProviderConfig {
    /// `nextcloud`, `synology` or `minio`.
    pub backend: String,
    /// The server's base URL ([`crate::endpoint::Endpoint`] rules).
    pub url: String,
    /// The administrator account (MinIO: the access key).
    pub user: String,
    /// Its password (MinIO: the secret key).
    pub password: SecretSource,
    /// Timeouts, TLS, retries.
    #[serde(default)]
    pub options: ClientOptions,
    /// The address customers open in a browser, when it is not `url` (the pages
    /// show it; see [`crate::views::web_address`]).
    #[serde(default)]
    pub web_url: Option<String>,
    /// The backend's own keys (see its builder's `SETTING_KEYS`).
    #[serde(flatten, deserialize_with = "settings_from_file")]
    pub settings: BTreeMap<String, Setting>,
}

impl fmt::Debug for ProviderConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The backend's settings by name only: a value given as text where a secret
        // belongs (refused when building) must not reach a log first.
        f.debug_struct("ProviderConfig")
            .field("backend", &self.backend)
            .field("url", &self.url)
            .field("user", &self.user)
            .field("password", &self.password)
            .field("options", &self.options)
            .field("web_url", &self.web_url)
            .field("settings", &self.settings.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl ProviderConfig {
    /// Parses one `[servers.NAME]` table (as [`Config::server_table`] gives it, or as a
    /// ledger's server record keeps it).
    pub fn from_toml(text: &str) -> Result<ProviderConfig> {
        Ok(toml::from_str(text).map_err(|e| ConfigError::new("server", e.to_string()))?)
    }

    /// Builds the provider with backend `B`, reading the password now. Fails when the
    /// configuration names another backend or a key `B` does not know.
    pub fn build_with<B: ProviderBuilder>(&self) -> Result<Arc<dyn StorageProvider>> {
        if self.backend != B::BACKEND {
            return Err(ConfigError::new(
                "backend",
                format!("{:?} is not {:?}", self.backend, B::BACKEND),
            )
            .into());
        }
        let password = self.password.read("password")?;
        let mut builder = B::new(&self.url)
            .credentials(&self.user, password)
            .options(self.options.clone());
        for (key, setting) in &self.settings {
            builder = match setting {
                Setting::Text(_) if B::SECRET_KEYS.contains(&key.as_str()) => {
                    return Err(ConfigError::new(
                        key.as_str(),
                        "is a secret: give it as { env = \"VAR\" } or { file = \"/path\" }, never as text in the file",
                    )
                    .into())
                }
                Setting::Text(value) => builder.with_config(key, value)?,
                Setting::Secret(source) => {
                    builder.with_config(key, source.read(key)?.expose_secret())?
                }
            };
        }
        builder.build_provider()
    }
}

/// The builder methods every backend shares, so that one configuration can build any
/// of them. Implemented by each backend's provider builder.
pub trait ProviderBuilder: Sized {
    /// The backend's name in configurations (`nextcloud`, `synology`, `minio`).
    const BACKEND: &'static str;

    /// The backend's own keys for [`Self::with_config`] (beyond `user`, the password
    /// and the client options), for documentation and the environment.
    const SETTING_KEYS: &'static [&'static str];

    /// Those of [`Self::SETTING_KEYS`] that are secrets: a configuration file gives
    /// them as `{ env = "VAR" }` or `{ file = "/path" }` only. Code that calls
    /// [`Self::with_config`] or [`Self::from_url_opts`] hands them over as text itself.
    const SECRET_KEYS: &'static [&'static str] = &[];

    /// A builder for the server at `url` (checked when building).
    fn new(url: &str) -> Self;

    /// The administrator's login and password.
    fn credentials(self, user: &str, password: SecretString) -> Self;

    /// Timeouts, TLS, retries, cleartext rules.
    fn options(self, options: ClientOptions) -> Self;

    /// Sets one of [`Self::SETTING_KEYS`] from text; any other key is an error that
    /// names it.
    fn with_config(self, key: &str, value: &str) -> Result<Self>;

    /// Checks everything and builds the provider (no request is sent).
    fn build_provider(self) -> Result<Arc<dyn StorageProvider>>;

    /// A builder from a URL and string options: `user`, `password_env` or
    /// `password_file`, the client option keys and [`Self::SETTING_KEYS`]. An unknown
    /// key is an error that names it.
    fn from_url_opts<I, K, V>(url: &str, options: I) -> Result<Self>
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let mut builder = Self::new(url);
        let mut client = ClientOptions::default();
        let mut user = None;
        let mut password = None;
        for (key, value) in options {
            let (key, value) = (key.as_ref(), value.as_ref());
            match key {
                "user" => user = Some(value.to_string()),
                "password_env" => password = Some(SecretSource::Env(value.to_string()).read(key)?),
                "password_file" => password = Some(read_secret_file(key, Path::new(value))?),
                _ if client.set(key, value)? => {}
                _ => builder = builder.with_config(key, value)?,
            }
        }
        if let (Some(user), Some(password)) = (user, password) {
            builder = builder.credentials(&user, password);
        }
        Ok(builder.options(client))
    }

    /// A builder from the environment (see the module doc); `None` when
    /// `PROVISION_<BACKEND>_URL` is unset or empty, an error when it is set but the
    /// user or the password is missing, or a value does not parse.
    fn from_env() -> Result<Option<Self>> {
        let prefix = format!("PROVISION_{}_", Self::BACKEND.to_ascii_uppercase());
        let var = |key: &str| {
            std::env::var(format!("{prefix}{}", key.to_ascii_uppercase()))
                .ok()
                .filter(|v| !v.trim().is_empty())
        };
        let Some(url) = var("url") else {
            return Ok(None);
        };
        let user =
            var("user").ok_or_else(|| ConfigError::new(format!("{prefix}USER"), "is not set"))?;
        let password = match (var("password"), var("password_file")) {
            (Some(value), _) => SecretString::from(value),
            (None, Some(path)) => {
                read_secret_file(&format!("{prefix}PASSWORD_FILE"), Path::new(&path))?
            }
            (None, None) => {
                return Err(ConfigError::new(
                    format!("{prefix}PASSWORD"),
                    format!("is not set (nor {prefix}PASSWORD_FILE)"),
                )
                .into())
            }
        };
        let mut client = ClientOptions::default();
        for key in crate::options::OPTION_KEYS {
            if let Some(value) = var(key) {
                client.set(key, &value)?;
            }
        }
        let mut builder = Self::new(&url).credentials(&user, password);
        for key in Self::SETTING_KEYS {
            if let Some(value) = var(key) {
                builder = builder.with_config(key, &value)?;
            }
        }
        Ok(Some(builder.options(client)))
    }
}

/// The error for a key a builder does not know, naming it and the keys it does.
pub fn unknown_key(backend: &str, key: &str, known: &[&str]) -> Error {
    ConfigError::new(
        key,
        format!(
            "not a {backend} setting (known: user, password_env, password_file, {}, {})",
            crate::options::OPTION_KEYS.join(", "),
            known.join(", ")
        ),
    )
    .into()
}

/// Parses a setting's text as `T`, naming the key when it does not parse.
pub fn parse_setting<T: std::str::FromStr>(key: &str, value: &str) -> Result<T>
where
    T::Err: fmt::Display,
{
    value
        .trim()
        .parse()
        .map_err(|e| ConfigError::new(key, format!("{value:?}: {e}")).into())
}

/// A whole configuration file: servers and products by name.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The servers, by the name the billing system uses for them.
    pub servers: BTreeMap<String, ProviderConfig>,
    /// The products, by name, checked on load.
    pub products: BTreeMap<String, ProductConfig>,
    /// The customer's and the admin's pages (`[pages]`), when `provision serve`
    /// serves them.
    pub pages: Option<crate::views::PagesConfig>,
    /// How the outbox's notifications go out (`[delivery]`), when configured.
    pub delivery: Option<DeliverySettings>,
    /// Each server's table as TOML, for the ledger's record of how to build it.
    server_tables: BTreeMap<String, String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    #[serde(default)]
    servers: BTreeMap<String, ProviderConfig>,
    #[serde(default)]
    products: BTreeMap<String, ProductSettings>,
    #[serde(default)]
    pages: Option<crate::views::PagesConfig>,
    delivery: Option<DeliveryFile>,
}

impl Config {
    /// Parses a TOML document and checks every product.
    pub fn from_toml(text: &str) -> Result<Config> {
        let file: ConfigFile =
            toml::from_str(text).map_err(|e| ConfigError::new("toml", e.to_string()))?;
        let products = file
            .products
            .into_iter()
            .map(|(name, settings)| {
                let product = settings.into_product(&format!("products.{name}"))?;
                Ok((name, product))
            })
            .collect::<Result<_>>()?;
        // The same document as plain tables: each server's own text, secrets as the
        // references the file gives (env, file), never their values.
        let tables: toml::Table =
            toml::from_str(text).map_err(|e| ConfigError::new("toml", e.to_string()))?;
        let server_tables = match tables.get("servers") {
            Some(toml::Value::Table(servers)) => servers
                .iter()
                .filter_map(|(name, table)| {
                    let table = table.as_table()?;
                    Some((name.clone(), toml::to_string(table).ok()?))
                })
                .collect(),
            _ => BTreeMap::new(),
        };
        if let Some(pages) = &file.pages {
            pages.check()?;
        }
        for (name, server) in &file.servers {
            if let Some(web) = &server.web_url {
                crate::views::check_link(web)
                    .map_err(|e| ConfigError::new(format!("servers.{name}.web_url"), e))?;
            }
        }
        let delivery = file.delivery.map(DeliveryFile::check).transpose()?;
        Ok(Config {
            servers: file.servers,
            products,
            pages: file.pages,
            delivery,
            server_tables,
        })
    }

    /// The `[servers.NAME]` table as it was written (TOML; secrets are references), or
    /// None for a server added in code.
    pub fn server_table(&self, name: &str) -> Option<&str> {
        self.server_tables.get(name).map(String::as_str)
    }

    /// Reads and parses the TOML file at `path`.
    pub fn load(path: impl AsRef<Path>) -> Result<Config> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|e| {
            ConfigError::new(path.display().to_string(), format!("cannot read: {e}"))
        })?;
        Config::from_toml(&text).map_err(|e| match e {
            Error::Input(InputError::Config(c)) => {
                ConfigError::new(format!("{}: {}", path.display(), c.place), c.reason).into()
            }
            other => other,
        })
    }
}

/// A product as a configuration file writes it (see [`ProductConfig`] for meanings):
///
/// ```toml
/// name_rule = "{client_id}-{service_id}-{random_digit_4}"
/// password_rule = "16"            # or "16:abcdefABCDEF0123!%"
/// quota = 10                      # with unit; or quota = "10 GB"; 0 = unlimited
/// unit = "GB"                     # MB, GB, TB, PB: the unit notifications show
/// notify_at = 90                  # percent; 0 = no notifications (as the original modules)
/// groups = ["basic"]
/// history_days = 30
/// merge_fields = ["client_name"]  # the billing system's own template values
/// [products.NAME.templates]
/// near_limit = "Subject: {$disk_used_percentage} % - {$username}\n\n..."
/// suspended_for_limit = "..."
/// password_display = "button"    # the client page: "button", "plain" or "hidden"
/// instructions_url = "https://example.com/help/storage"
/// [products.NAME.minio]           # unset: the server's settings of the same names
/// default_bucket = true
/// standard_policy = '{"Version": "2012-10-17", "Statement": [...]}'
/// limited_policy = '...'
/// ```
///
/// The same settings as JSON are the body of `PUT /v1/products/{name}` of `provision
/// serve`, and the form the ledger keeps such a product in ([`Serialize`] writes only
/// the fields that are set).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ProductSettings {
    name_rule: String,
    password_rule: SettingText,
    quota: SettingText,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    unit: Option<String>,
    #[serde(default, skip_serializing_if = "is_zero")]
    notify_at: u32,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    groups: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    history_days: Option<u32>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    merge_fields: Vec<String>,
    #[serde(default, skip_serializing_if = "TemplateSettings::is_empty")]
    templates: TemplateSettings,
    #[serde(default, skip_serializing_if = "MinioProductSettings::is_empty")]
    minio: MinioProductSettings,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    password_display: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    instructions_url: Option<String>,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// Checks the name of a product defined over the service: 1 to 64 of `A-Z`, `a-z`,
/// `0-9`, `-`, `_` and `.` (it travels in URL paths and the ledger's key).
pub fn check_product_name(name: &str) -> Result<()> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || "-_.".contains(c);
    if name.is_empty() || name.len() > 64 || !name.chars().all(allowed) || name.starts_with('.') {
        return Err(ConfigError::new(
            "product",
            format!("{name:?} is not 1 to 64 of A-Z, a-z, 0-9, -, _ and . (not starting with .)"),
        )
        .into());
    }
    Ok(())
}

/// Text or a number, read as text (`password_rule = 16` and `= "16"` alike).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(untagged)]
enum SettingText {
    Text(String),
    Integer(u64),
    Float(f64),
}

impl SettingText {
    fn text(&self) -> String {
        match self {
            SettingText::Text(s) => s.clone(),
            SettingText::Integer(n) => n.to_string(),
            SettingText::Float(x) => x.to_string(),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct TemplateSettings {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    near_limit: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    suspended_for_limit: Option<String>,
}

impl TemplateSettings {
    fn is_empty(&self) -> bool {
        self.near_limit.is_none() && self.suspended_for_limit.is_none()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct MinioProductSettings {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    default_bucket: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    standard_policy: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    limited_policy: Option<String>,
}

impl MinioProductSettings {
    fn is_empty(&self) -> bool {
        *self == MinioProductSettings::default()
    }
}

/// The billing system's merge fields every template may use without declaring them.
pub const STANDARD_MERGE_FIELDS: &[&str] = &[
    "client_name",
    "service_product_name",
    "service_next_due_date",
    "signature",
];

impl ProductSettings {
    /// Checks every field and builds the product; errors name `place.field`.
    pub fn into_product(self, place: &str) -> Result<ProductConfig> {
        let at = |field: &str| format!("{place}.{field}");
        let fail = |field: &str, e: &dyn fmt::Display| -> Error {
            ConfigError::new(at(field), e.to_string()).into()
        };
        let unit = match &self.unit {
            Some(symbol) => Unit::parse(symbol).map_err(|e| fail("unit", &e))?,
            None => Unit::Gb,
        };
        let quota_text = self.quota.text();
        let quota = match &self.quota {
            // A bare number is in the product's unit, as the original modules' settings.
            SettingText::Integer(n) => {
                Quota::from_config(*n, unit).map_err(|e| fail("quota", &e))?
            }
            _ if self.unit.is_some() && quota_text.trim().parse::<f64>().is_ok() => {
                format!("{} {}", quota_text.trim(), unit)
                    .parse::<Quota>()
                    .map_err(|e| fail("quota", &e))?
            }
            _ => quota_text.parse::<Quota>().map_err(|e| fail("quota", &e))?,
        };
        if self.notify_at > 100 {
            return Err(fail("notify_at", &"must be a percentage from 0 to 100"));
        }
        let groups = self
            .groups
            .iter()
            .map(|g| GroupName::new(g.as_str()).map_err(|e| fail("groups", &e)))
            .collect::<Result<Vec<_>>>()?;
        let mut extra: Vec<&str> = STANDARD_MERGE_FIELDS.to_vec();
        extra.extend(self.merge_fields.iter().map(String::as_str));
        let template = |field: &str, text: &Option<String>| -> Result<Option<Template>> {
            text.as_deref()
                .map(|t| Template::parse(t, &extra).map_err(|e| fail(field, &e)))
                .transpose()
        };
        let templates = ProductTemplates {
            near_limit: template("templates.near_limit", &self.templates.near_limit)?,
            suspended_for_limit: template(
                "templates.suspended_for_limit",
                &self.templates.suspended_for_limit,
            )?,
        };
        // The documents' safety (confined to the account's buckets) is the MinIO
        // provider's check, made before any request of a create or a switch.
        for (field, policy) in [
            ("minio.standard_policy", &self.minio.standard_policy),
            ("minio.limited_policy", &self.minio.limited_policy),
        ] {
            if let Some(text) = policy {
                let value: serde_json::Value =
                    serde_json::from_str(text).map_err(|e| fail(field, &e))?;
                if !value.is_object() {
                    return Err(fail(field, &"must be a JSON policy document (an object)"));
                }
            }
        }
        let mut product = ProductConfig::new(&self.name_rule, &self.password_rule.text(), "0")
            .map_err(|e| {
                // Say which of the two rules failed.
                let field = match &e {
                    Error::Input(InputError::PasswordRule(_)) => "password_rule",
                    _ => "name_rule",
                };
                fail(field, &e)
            })?;
        product.quota = quota;
        product.unit = unit;
        product.groups = groups;
        product.notify_at_percent = (self.notify_at > 0).then_some(self.notify_at);
        product.history_days = self.history_days.unwrap_or(product.history_days);
        product.templates = templates;
        product.minio.default_bucket = self.minio.default_bucket;
        product.minio.standard_policy = self.minio.standard_policy;
        product.minio.limited_policy = self.minio.limited_policy;
        if let Some(text) = &self.password_display {
            product.password_display = text
                .parse()
                .map_err(|e: ConfigError| fail("password_display", &e.reason))?;
        }
        if let Some(text) = &self.instructions_url {
            product.instructions_url =
                Some(crate::views::check_link(text).map_err(|e| fail("instructions_url", &e))?);
        }
        Ok(product)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quota::ByteSize;

    fn product(body: &str) -> Result<ProductConfig> {
        Config::from_toml(&format!("[products.p]\n{body}"))
            .map(|mut c| c.products.remove("p").unwrap())
    }

    #[test]
    fn a_product_loads_with_every_field() {
        let p = product(
            r#"
            name_rule = "{client_id}-{service_id}-{random_digit_4}"
            password_rule = 16
            quota = 1.5
            unit = "TB"
            notify_at = 85
            groups = ["basic", "backup"]
            history_days = 60
            merge_fields = ["client_company"]
            [products.p.templates]
            near_limit = "Subject: {$disk_used_percentage} % - {$username}\n\nDear {$client_name} of {$client_company}"
            [products.p.minio]
            default_bucket = false
            standard_policy = '{"Version": "2012-10-17", "Statement": []}'
            "#,
        )
        .unwrap();
        assert_eq!(p.quota.limit(), Some(ByteSize::new(3 << 39)));
        assert_eq!(p.unit, Unit::Tb);
        assert_eq!(p.notify_at_percent, Some(85));
        assert_eq!(p.groups.len(), 2);
        assert_eq!(p.history_days, 60);
        assert_eq!(p.password_rule.length(), 16);
        assert!(p.templates.near_limit.is_some() && p.templates.suspended_for_limit.is_none());
        assert_eq!(p.minio.default_bucket, Some(false));
        assert!(p.minio.standard_policy.is_some() && p.minio.limited_policy.is_none());
    }

    #[test]
    fn zero_means_unlimited_and_no_notifications() {
        let p = product(
            "name_rule = \"{service_id}\"\npassword_rule = \"12\"\nquota = 0\nnotify_at = 0",
        )
        .unwrap();
        assert_eq!(p.quota, Quota::Unlimited);
        assert_eq!(p.notify_at_percent, None);
        let p = product("name_rule = \"{service_id}\"\npassword_rule = \"12\"\nquota = \"10 GB\"")
            .unwrap();
        assert_eq!(p.quota.limit(), Some(ByteSize::new(10 << 30)));
    }

    #[test]
    fn errors_name_the_field() {
        let cases = [
            ("name_rule = \"{client}\"\npassword_rule = \"12\"\nquota = 0", "products.p.name_rule"),
            ("name_rule = \"{service_id}\"\npassword_rule = \"3\"\nquota = 0", "products.p.password_rule"),
            ("name_rule = \"{service_id}\"\npassword_rule = \"12\"\nquota = \"ten\"", "products.p.quota"),
            ("name_rule = \"{service_id}\"\npassword_rule = \"12\"\nquota = 1\nunit = \"XB\"", "products.p.unit"),
            ("name_rule = \"{service_id}\"\npassword_rule = \"12\"\nquota = 1\nnotify_at = 120", "products.p.notify_at"),
            ("name_rule = \"{service_id}\"\npassword_rule = \"12\"\nquota = 1\ngroups = [\"\"]", "products.p.groups"),
            ("name_rule = \"{service_id}\"\npassword_rule = \"12\"\nquota = 1\n[products.p.templates]\nnear_limit = \"{$nope}\"", "products.p.templates.near_limit"),
            ("name_rule = \"{service_id}\"\npassword_rule = \"12\"\nquota = 1\n[products.p.minio]\nlimited_policy = \"[1]\"", "products.p.minio.limited_policy"),
            ("name_rule = \"{service_id}\"\npassword_rule = \"12\"\nquota = 1\npassword_display = \"shown\"", "products.p.password_display"),
            ("name_rule = \"{service_id}\"\npassword_rule = \"12\"\nquota = 1\ninstructions_url = \"javascript:alert(1)\"", "products.p.instructions_url"),
        ];
        for (body, place) in cases {
            let err = product(body).unwrap_err();
            let Error::Input(InputError::Config(c)) = &err else {
                panic!("{body}: not a config error: {err:?}");
            };
            assert_eq!(c.place, place, "{body}");
        }
        let err =
            product("name_rule = \"{service_id}\"\npassword_rule = \"12\"\nquota = 1\nquta = 2")
                .unwrap_err();
        assert!(err.to_string().contains("quta"), "{err}");
    }

    #[test]
    fn the_delivery_section_loads_and_its_errors_name_the_field() {
        let config = Config::from_toml(
            "[delivery]\nsignature = \"-- Ex\"\n[delivery.smtp]\nhost = \"mx.example.com\"\nfrom = \"Ex <b@example.com>\"",
        )
        .unwrap();
        assert_eq!(config.delivery.unwrap().signature, "-- Ex");
        assert!(Config::from_toml("").unwrap().delivery.is_none());
        let err = Config::from_toml(
            "[delivery.smtp]\nhost = \"mx.example.com\"\nfrom = \"Ex <b@example.com>\"\nsecurity = \"plain\"",
        )
        .unwrap_err();
        let Error::Input(InputError::Config(c)) = &err else {
            panic!("not a config error: {err:?}");
        };
        assert_eq!(c.place, "delivery.smtp.security");
    }

    #[test]
    fn servers_keep_their_own_keys_and_refuse_unknown_options() {
        let config = Config::from_toml(
            r#"
            [servers.nas]
            backend = "synology"
            url = "https://nas:5001"
            user = "provision"
            password = { file = "/run/secrets/nas" }
            usage_batch = 50
            device_name = "billing"
            [servers.nas.options]
            timeout = "45s"
            tls = { insecure = true }
            retry = { max_retries = 1, deadline = "5s" }
            "#,
        )
        .unwrap();
        let nas = &config.servers["nas"];
        assert_eq!(nas.settings["usage_batch"], "50");
        assert_eq!(nas.settings["device_name"], "billing");
        assert_eq!(nas.options.timeout, std::time::Duration::from_secs(45));
        assert_eq!(nas.options.retry.max_retries, 1);
        assert!(format!("{nas:?}").contains("File(/run/secrets/nas)"));

        let err = Config::from_toml(
            "[servers.x]\nbackend = \"minio\"\nurl = \"u\"\nuser = \"a\"\npassword = { env = \"P\" }\n[servers.x.options.retry]\nmax_retry = 1",
        )
        .unwrap_err();
        assert!(err.to_string().contains("max_retry"), "{err}");
        let err = Config::from_toml(
            "[servers.x]\nbackend = \"minio\"\nurl = \"u\"\nuser = \"a\"\npassword = { vault = \"P\" }",
        )
        .unwrap_err();
        assert!(err.to_string().contains("vault"), "{err}");
    }

    #[test]
    fn secrets_come_from_files_and_never_print() {
        let dir = std::env::temp_dir().join(format!("provision-secret-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("pw");
        std::fs::write(&path, "s3cr3t-value\n").unwrap();
        let source = SecretSource::File(path.clone());
        let secret = source.read("password").unwrap();
        assert_eq!(
            secrecy::ExposeSecret::expose_secret(&secret),
            "s3cr3t-value"
        );
        assert!(!format!("{source:?}").contains("s3cr3t"));
        std::fs::write(&path, "").unwrap();
        assert!(source.read("password").is_err());
        let missing = SecretSource::Env("PROVISION_TEST_SURELY_UNSET_VARIABLE".into())
            .read("password")
            .unwrap_err();
        assert!(missing
            .to_string()
            .contains("PROVISION_TEST_SURELY_UNSET_VARIABLE"));
        let _ = std::fs::remove_dir_all(dir);
    }
}
