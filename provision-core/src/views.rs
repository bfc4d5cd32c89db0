//! What the customer's and the admin's pages show, as plain data (serde): the client
//! area, the usage statistics, the admin area and MinIO's buckets. Built from what the
//! ledger, the products and the providers already give; the pages (`provision serve`)
//! render them, a billing system may render them itself from their JSON.
//!
//! Numbers are kept in bytes and whole percent; the pages format them for the reader's
//! language. A password is never part of the serialised data: [`ClientArea`] holds it
//! (as a [`SecretString`], skipped by serde) only when the product shows it.
//!
//! ```
//! use provision_core::views::{web_address, SpaceView};
//! use provision_core::{ByteSize, Quota};
//!
//! assert_eq!(web_address("https://cloud.example.com:443/").as_deref(), Some("https://cloud.example.com"));
//! assert_eq!(web_address("http://nas.example.com:5000/").as_deref(), Some("http://nas.example.com:5000"));
//!
//! let space = SpaceView::new("10 GB".parse().unwrap(), Some(ByteSize::new(1 << 30)));
//! assert_eq!((space.used_percent, space.free_percent), (Some(10), Some(90)));
//! assert!(SpaceView::new(Quota::Unlimited, None).unlimited);
//! ```

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use chrono::NaiveDate;
use secrecy::SecretString;
use serde::{Deserialize, Serialize};

use crate::config::{ConfigError, SecretSource};
use crate::history::{DailyPoint, MonthlyPoint};
use crate::ledger::{LimitOverride, ServiceRecord, ServiceStatus};
use crate::provider::{AccountInfo, AccountStatus, BucketInfo, ServerInfo};
use crate::provisioner::ProductConfig;
use crate::quota::{ByteSize, Quota, Unit};

/// How the client page shows the account's password (`password_display` of a product).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PasswordDisplay {
    /// Hidden behind a "show" button.
    #[default]
    Button,
    /// As plain text.
    Plain,
    /// Not at all: the page never holds it.
    Hidden,
}

impl PasswordDisplay {
    /// The setting's name in a configuration.
    pub fn code(self) -> &'static str {
        match self {
            PasswordDisplay::Button => "button",
            PasswordDisplay::Plain => "plain",
            PasswordDisplay::Hidden => "hidden",
        }
    }
}

impl FromStr for PasswordDisplay {
    type Err = ConfigError;

    fn from_str(text: &str) -> Result<Self, ConfigError> {
        [
            PasswordDisplay::Button,
            PasswordDisplay::Plain,
            PasswordDisplay::Hidden,
        ]
        .into_iter()
        .find(|d| d.code() == text.trim())
        .ok_or_else(|| {
            ConfigError::new(
                "password_display",
                format!("{text:?} is not one of \"button\", \"plain\", \"hidden\""),
            )
        })
    }
}

/// Checks a link the pages show (instructions, a web interface): an absolute `http`
/// or `https` URL with a host. Anything else (`javascript:`, a relative path) is
/// refused, since the page puts it in an `href`.
pub fn check_link(text: &str) -> Result<String, String> {
    let url = url::Url::parse(text.trim()).map_err(|e| format!("{text:?} is not a URL: {e}"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none_or(str::is_empty) {
        return Err(format!("{text:?} is not an http or https link"));
    }
    Ok(url.to_string())
}

/// The address a customer opens in a browser: the scheme, the host, the port only
/// when it is not the scheme's default (443 for https, 80 for http), and the path
/// without a lone trailing slash; never a user name, a password, a query or a
/// fragment. None when `url` is not an http(s) URL.
pub fn web_address(url: &str) -> Option<String> {
    let url = url::Url::parse(url.trim()).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    let host = match url.host()? {
        url::Host::Ipv6(address) => format!("[{address}]"),
        other => other.to_string(),
    };
    // `port()` is None for the scheme's default port: the url crate drops it.
    let port = url.port().map(|p| format!(":{p}")).unwrap_or_default();
    let path = url.path().trim_end_matches('/');
    Some(format!("{}://{host}{port}{path}", url.scheme()))
}

/// The `[pages]` section of a configuration: the key that signs page links, how long a
/// link lives, and who may frame the pages.
///
/// ```toml
/// [pages]
/// key = { file = "/run/secrets/pages-key" }   # at least 32 bytes
/// link_lifetime = "10m"
/// frame_ancestors = ["https://billing.example.com"]
/// ```
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PagesConfig {
    /// The HMAC-SHA256 key of the links (read when the service starts).
    pub key: SecretSource,
    /// The longest a link may live (10 minutes unless set; at most a day).
    #[serde(default = "default_link_lifetime", with = "humantime_serde")]
    pub link_lifetime: Duration,
    /// The origins that may put the pages in a frame (CSP `frame-ancestors`); none:
    /// only the service's own origin.
    #[serde(default)]
    pub frame_ancestors: Vec<String>,
}

/// The shortest page-link key, in bytes: as long as the HMAC-SHA256 output.
pub const MIN_PAGES_KEY_BYTES: usize = 32;

/// The longest a page link may live.
pub const MAX_LINK_LIFETIME: Duration = Duration::from_secs(24 * 3600);

fn default_link_lifetime() -> Duration {
    Duration::from_secs(600)
}

impl PagesConfig {
    /// Checks the lifetime and each frame ancestor (`'self'`, or a scheme and host
    /// such as `https://billing.example.com` or `https://*.example.com`); errors name
    /// the field.
    pub fn check(&self) -> Result<(), ConfigError> {
        if self.link_lifetime.is_zero() || self.link_lifetime > MAX_LINK_LIFETIME {
            return Err(ConfigError::new(
                "pages.link_lifetime",
                "must be more than 0 and at most 24h",
            ));
        }
        for source in &self.frame_ancestors {
            if !is_frame_source(source) {
                return Err(ConfigError::new(
                    "pages.frame_ancestors",
                    format!(
                        "{source:?} is not 'self' or an origin such as https://billing.example.com"
                    ),
                ));
            }
        }
        Ok(())
    }
}

fn is_frame_source(source: &str) -> bool {
    if source == "'self'" {
        return true;
    }
    let Some((scheme, rest)) = source.split_once("://") else {
        return false;
    };
    let host = rest.strip_prefix("*.").unwrap_or(rest);
    matches!(scheme, "http" | "https")
        && !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-.:[]".contains(c))
}

/// Space used against the limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpaceView {
    /// Whether there is no limit (a quota of 0 in the product).
    pub unlimited: bool,
    /// The limit in bytes (None: unlimited).
    pub limit_bytes: Option<u64>,
    /// Bytes used (None: the server does not know yet).
    pub used_bytes: Option<u64>,
    /// Bytes free under the limit (None: unlimited or usage unknown).
    pub free_bytes: Option<u64>,
    /// Used share in whole percent, rounded down (above 100 when over the limit).
    pub used_percent: Option<u64>,
    /// Free share in whole percent, rounded down.
    pub free_percent: Option<u64>,
}

impl SpaceView {
    /// The space of `quota` with `used` bytes used.
    pub fn new(quota: Quota, used: Option<ByteSize>) -> Self {
        SpaceView {
            unlimited: quota.is_unlimited(),
            limit_bytes: quota.limit().map(ByteSize::bytes),
            used_bytes: used.map(ByteSize::bytes),
            free_bytes: used.and_then(|u| quota.free(u)).map(ByteSize::bytes),
            used_percent: used.and_then(|u| quota.percent_used(u)),
            free_percent: used.and_then(|u| quota.percent_free(u)),
        }
    }
}

/// One of MinIO's buckets of an account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BucketView {
    /// The bucket's name.
    pub name: String,
    /// Bytes stored, all versions included.
    pub size_bytes: u64,
    /// Objects in it.
    pub objects: u64,
}

impl From<&BucketInfo> for BucketView {
    fn from(bucket: &BucketInfo) -> Self {
        BucketView {
            name: bucket.name.clone(),
            size_bytes: bucket.size.bytes(),
            objects: bucket.objects,
        }
    }
}

/// What the customer sees of one service.
#[derive(Clone, Serialize)]
pub struct ClientArea {
    /// The server's name in the configuration.
    pub server: String,
    /// The billing system's service id.
    pub service_id: String,
    /// `nextcloud`, `synology` or `minio`.
    pub backend: String,
    /// Where the customer signs in (see [`web_address`]).
    pub web_address: Option<String>,
    /// The account's user name (None before it is made).
    pub username: Option<String>,
    /// How the product shows the password.
    pub password_display: PasswordDisplay,
    /// The password, when the billing system handed it over and the product shows
    /// it; never serialised.
    #[serde(skip)]
    pub password: Option<SecretString>,
    /// The operator's instructions link.
    pub instructions_url: Option<String>,
    /// The unit sizes are shown in.
    pub unit: String,
    /// Used, free and the limit.
    pub space: SpaceView,
    /// MinIO's buckets (None on other backends, or when they were not read).
    pub buckets: Option<Vec<BucketView>>,
}

impl fmt::Debug for ClientArea {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientArea")
            .field("server", &self.server)
            .field("service_id", &self.service_id)
            .field("username", &self.username)
            .field("password_display", &self.password_display)
            .field("password", &self.password.as_ref().map(|_| "[redacted]"))
            .field("space", &self.space)
            .finish_non_exhaustive()
    }
}

/// What a page is built from: the service, its product and server, what its server
/// said.
#[derive(Debug, Clone, Copy)]
pub struct ServiceFacts<'a> {
    /// The service as the ledger has it.
    pub service: &'a ServiceRecord,
    /// Its product.
    pub product: &'a ProductConfig,
    /// Its server's backend name.
    pub backend: &'a str,
    /// Its server's address (`web_url`, else `url`).
    pub server_url: &'a str,
    /// Bytes used, when read.
    pub used: Option<ByteSize>,
}

impl ClientArea {
    /// The client area of `facts`, with the password only when the product shows it.
    pub fn new(
        facts: ServiceFacts<'_>,
        password: Option<SecretString>,
        buckets: Option<&[BucketInfo]>,
    ) -> Self {
        let display = facts.product.password_display;
        ClientArea {
            server: facts.service.key.server.as_str().to_string(),
            service_id: facts.service.key.service_id.clone(),
            backend: facts.backend.to_string(),
            web_address: web_address(facts.server_url),
            username: facts
                .service
                .username
                .as_ref()
                .map(|u| u.as_str().to_string()),
            password_display: display,
            password: password.filter(|_| display != PasswordDisplay::Hidden),
            instructions_url: facts.product.instructions_url.clone(),
            unit: facts.product.unit.to_string(),
            space: SpaceView::new(facts.product.quota, facts.used),
            buckets: buckets.map(|b| b.iter().map(BucketView::from).collect()),
        }
    }
}

/// One day of the usage statistics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayUsage {
    /// The calendar day in the customer's time zone.
    pub day: NaiveDate,
    /// The day's highest usage, or None when nothing was recorded.
    pub used_bytes: Option<u64>,
}

/// One month of the usage statistics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthUsage {
    /// The year.
    pub year: i32,
    /// The month, 1 to 12.
    pub month: u32,
    /// The average usage of the month.
    pub average_bytes: u64,
}

/// The "used space statistics": daily usage over the last days and the average per
/// month, in the customer's time zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsageStatistics {
    /// The IANA time zone the days and months are in.
    pub time_zone: String,
    /// The unit sizes are shown in.
    pub unit: String,
    /// The limit, for the charts' scale (None: unlimited).
    pub limit_bytes: Option<u64>,
    /// Oldest first, one entry per day (days without data included, as None).
    pub daily: Vec<DayUsage>,
    /// Oldest first; months without samples left out.
    pub monthly: Vec<MonthUsage>,
}

impl UsageStatistics {
    /// The statistics from the history's series (`Ledger::daily`, `Ledger::monthly`).
    pub fn new(
        time_zone: chrono_tz::Tz,
        product: &ProductConfig,
        daily: &[DailyPoint],
        monthly: &[MonthlyPoint],
    ) -> Self {
        UsageStatistics {
            time_zone: time_zone.name().to_string(),
            unit: product.unit.to_string(),
            limit_bytes: product.quota.limit().map(ByteSize::bytes),
            daily: daily
                .iter()
                .map(|p| DayUsage {
                    day: p.day,
                    used_bytes: p.used.map(ByteSize::bytes),
                })
                .collect(),
            monthly: monthly
                .iter()
                .map(|p| MonthUsage {
                    year: p.year,
                    month: p.month,
                    average_bytes: p.average.bytes(),
                })
                .collect(),
        }
    }

    /// The days that have data.
    pub fn days_with_data(&self) -> usize {
        self.daily.iter().filter(|d| d.used_bytes.is_some()).count()
    }
}

/// The number of days the usage statistics show.
pub const STATISTICS_DAYS: u32 = 30;

/// The number of months the usage statistics show.
pub const STATISTICS_MONTHS: u32 = 12;

/// What an admin can do to a service from the admin page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AdminAction {
    /// Disable the account.
    Suspend,
    /// Enable it again.
    Unsuspend,
    /// Delete it.
    Terminate,
    /// Set a new password from the product's rule.
    ChangePassword,
    /// Move it to another product.
    ChangePlan,
    /// MinIO: hand the limit back to the usage and apply the policy it calls for.
    UpdatePolicy,
    /// MinIO: never limited, whatever the usage.
    SetStandardPolicy,
    /// MinIO: limited, whatever the usage.
    SetLimitedPolicy,
}

impl AdminAction {
    /// Every action.
    pub const ALL: [AdminAction; 8] = [
        AdminAction::Suspend,
        AdminAction::Unsuspend,
        AdminAction::Terminate,
        AdminAction::ChangePassword,
        AdminAction::ChangePlan,
        AdminAction::UpdatePolicy,
        AdminAction::SetStandardPolicy,
        AdminAction::SetLimitedPolicy,
    ];

    /// The action's name in URLs and forms.
    pub fn code(self) -> &'static str {
        match self {
            AdminAction::Suspend => "suspend",
            AdminAction::Unsuspend => "unsuspend",
            AdminAction::Terminate => "terminate",
            AdminAction::ChangePassword => "change-password",
            AdminAction::ChangePlan => "change-plan",
            AdminAction::UpdatePolicy => "update-policy",
            AdminAction::SetStandardPolicy => "set-standard-policy",
            AdminAction::SetLimitedPolicy => "set-limited-policy",
        }
    }

    /// The action named `code`.
    pub fn from_code(code: &str) -> Option<AdminAction> {
        AdminAction::ALL.into_iter().find(|a| a.code() == code)
    }

    /// The limit decision a MinIO policy action records (None for the others, and
    /// for "update policy", which hands the decision back to the usage).
    pub fn limit_override(self) -> Option<LimitOverride> {
        match self {
            AdminAction::SetStandardPolicy => Some(LimitOverride::Standard),
            AdminAction::SetLimitedPolicy => Some(LimitOverride::Limited),
            _ => None,
        }
    }

    /// Whether this is one of MinIO's policy actions.
    pub fn is_policy(self) -> bool {
        matches!(
            self,
            AdminAction::UpdatePolicy
                | AdminAction::SetStandardPolicy
                | AdminAction::SetLimitedPolicy
        )
    }

    /// The actions a service in `status` allows; the policy actions only where the
    /// limit is switched by policy (`policy_switch`, MinIO).
    pub fn available(status: ServiceStatus, policy_switch: bool) -> Vec<AdminAction> {
        let mut actions = match status {
            ServiceStatus::Active => vec![
                AdminAction::Suspend,
                AdminAction::Terminate,
                AdminAction::ChangePassword,
                AdminAction::ChangePlan,
            ],
            ServiceStatus::Suspended => vec![
                AdminAction::Unsuspend,
                AdminAction::Terminate,
                AdminAction::ChangePassword,
                AdminAction::ChangePlan,
            ],
            // In progress, gone or never made: nothing to do from here.
            ServiceStatus::Creating
            | ServiceStatus::Terminating
            | ServiceStatus::Terminated
            | ServiceStatus::Failed => Vec::new(),
        };
        if policy_switch && matches!(status, ServiceStatus::Active | ServiceStatus::Suspended) {
            actions.extend([
                AdminAction::UpdatePolicy,
                AdminAction::SetStandardPolicy,
                AdminAction::SetLimitedPolicy,
            ]);
        }
        actions
    }
}

/// Whether the service reached its server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConnectionStatus {
    /// Whether the server answered as an administrator.
    pub ok: bool,
    /// The server's product and version, when it said.
    pub server: Option<String>,
    /// Why it failed, when it did.
    pub error: Option<String>,
}

impl ConnectionStatus {
    /// The status from a connection test's answer.
    pub fn from_result(result: &crate::Result<ServerInfo>) -> Self {
        match result {
            Ok(info) if info.is_admin => ConnectionStatus {
                ok: true,
                server: Some(server_name(info)),
                error: None,
            },
            Ok(info) => ConnectionStatus {
                ok: false,
                server: Some(server_name(info)),
                error: Some("the configured user is not an administrator".into()),
            },
            Err(e) => ConnectionStatus {
                ok: false,
                server: None,
                error: Some(e.to_string()),
            },
        }
    }
}

fn server_name(info: &ServerInfo) -> String {
    match &info.version {
        Some(version) => format!("{} {version}", info.product),
        None => info.product.clone(),
    }
}

/// What the admin sees of one service.
#[derive(Debug, Clone, Serialize)]
pub struct AdminArea {
    /// The server's name in the configuration.
    pub server: String,
    /// The billing system's service id.
    pub service_id: String,
    /// `nextcloud`, `synology` or `minio`.
    pub backend: String,
    /// The API connection.
    pub connection: ConnectionStatus,
    /// The service's status in the ledger (`active`, `suspended`, ...).
    pub status: String,
    /// The product's name.
    pub product: String,
    /// The account's user name.
    pub username: Option<String>,
    /// Whether the account can sign in, as its server says (None: not read).
    pub enabled: Option<bool>,
    /// The account's groups, as its server says.
    pub groups: Vec<String>,
    /// The account's e-mail address, as its server says.
    pub email: Option<String>,
    /// Used, free and the limit.
    pub space: SpaceView,
    /// The unit sizes are shown in.
    pub unit: String,
    /// The MinIO limit decision in force (`standard`, `limited`; None: by usage).
    pub limit_override: Option<String>,
    /// What can be done now.
    pub actions: Vec<AdminAction>,
    /// The products a change of plan can move to.
    pub other_products: Vec<String>,
    /// MinIO's buckets.
    pub buckets: Option<Vec<BucketView>>,
}

impl AdminArea {
    /// The admin area of `facts`, with what the server said of the account and of
    /// itself; `products` are every configured product's name.
    pub fn new(
        facts: ServiceFacts<'_>,
        connection: ConnectionStatus,
        account: Option<&AccountInfo>,
        policy_switch: bool,
        products: &[String],
        buckets: Option<&[BucketInfo]>,
    ) -> Self {
        let service = facts.service;
        AdminArea {
            server: service.key.server.as_str().to_string(),
            service_id: service.key.service_id.clone(),
            backend: facts.backend.to_string(),
            connection,
            status: service.status.code().to_string(),
            product: service.product.clone(),
            username: service.username.as_ref().map(|u| u.as_str().to_string()),
            enabled: account.map(|a| a.status == AccountStatus::Active),
            groups: account
                .map(|a| a.groups.iter().map(|g| g.as_str().to_string()).collect())
                .unwrap_or_default(),
            email: account.and_then(|a| a.email.clone()),
            space: SpaceView::new(facts.product.quota, facts.used),
            unit: facts.product.unit.to_string(),
            limit_override: service.limit_override.map(|o| o.code().to_string()),
            actions: AdminAction::available(service.status, policy_switch),
            other_products: products
                .iter()
                .filter(|p| **p != service.product)
                .cloned()
                .collect(),
            buckets: buckets.map(|b| b.iter().map(BucketView::from).collect()),
        }
    }
}

/// A size in `unit` with two decimals, as a plain decimal string ("1.50") for
/// `i18n::format_decimal`.
pub fn in_unit(bytes: u64, unit: Unit) -> String {
    ByteSize::new(bytes).in_unit(unit, 2)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::{ServerId, ServiceKey};
    use crate::username::Username;

    fn service(status: ServiceStatus) -> ServiceRecord {
        let mut s = ServiceRecord::new(
            ServiceKey::new(ServerId::new("cloud").unwrap(), "7"),
            "42",
            "basic",
            status,
            chrono::Utc::now(),
        );
        s.username = Some(Username::new("alice").unwrap());
        s
    }

    fn product(display: &str) -> ProductConfig {
        let mut p = ProductConfig::new("{service_id}", "16", "10 GB").unwrap();
        p.password_display = display.parse().unwrap();
        p
    }

    #[test]
    fn web_addresses_keep_only_non_default_ports_and_no_credentials() {
        let cases = [
            ("https://cloud.example.com", "https://cloud.example.com"),
            (
                "https://cloud.example.com:443/",
                "https://cloud.example.com",
            ),
            ("http://cloud.example.com:80/", "http://cloud.example.com"),
            (
                "https://nas.example.com:5001/",
                "https://nas.example.com:5001",
            ),
            ("http://nas.example.com:443/", "http://nas.example.com:443"),
            (
                "https://u:p@host.example/nextcloud/?x=1#y",
                "https://host.example/nextcloud",
            ),
            ("https://[::1]:9000", "https://[::1]:9000"),
        ];
        for (input, expected) in cases {
            assert_eq!(web_address(input).as_deref(), Some(expected), "{input}");
        }
        assert_eq!(web_address("ftp://host"), None);
        assert_eq!(web_address("not a url"), None);
    }

    #[test]
    fn links_must_be_http_or_https() {
        assert!(check_link("https://example.com/help").is_ok());
        for bad in [
            "javascript:alert(1)",
            "/help",
            "data:text/html,x",
            "mailto:a@b",
        ] {
            assert!(check_link(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn space_says_unlimited_for_a_zero_quota_and_percentages_otherwise() {
        let unlimited = SpaceView::new(Quota::Unlimited, Some(ByteSize::new(5)));
        assert!(unlimited.unlimited);
        assert_eq!(unlimited.limit_bytes, None);
        assert_eq!(unlimited.used_percent, None);
        assert_eq!(unlimited.used_bytes, Some(5));
        let quarter = SpaceView::new("4 GB".parse().unwrap(), Some(ByteSize::new(1 << 30)));
        assert_eq!(quarter.free_bytes, Some(3 << 30));
        assert_eq!(
            (quarter.used_percent, quarter.free_percent),
            (Some(25), Some(75))
        );
        let over = SpaceView::new("1 GB".parse().unwrap(), Some(ByteSize::new(3 << 29)));
        assert_eq!(
            (over.used_percent, over.free_percent, over.free_bytes),
            (Some(150), Some(0), Some(0))
        );
    }

    #[test]
    fn a_hidden_password_never_enters_the_client_area() {
        let record = service(ServiceStatus::Active);
        for (mode, kept) in [("button", true), ("plain", true), ("hidden", false)] {
            let product = product(mode);
            let facts = ServiceFacts {
                service: &record,
                product: &product,
                backend: "nextcloud",
                server_url: "https://cloud.example.com:8443/",
                used: None,
            };
            let area = ClientArea::new(facts, Some(SecretString::from("pw-secret-1")), None);
            assert_eq!(area.password.is_some(), kept, "{mode}");
            let json = serde_json::to_string(&area).unwrap();
            assert!(!json.contains("pw-secret-1"), "{json}");
            assert!(!format!("{area:?}").contains("pw-secret-1"));
            assert_eq!(
                area.web_address.as_deref(),
                Some("https://cloud.example.com:8443")
            );
        }
        assert!("shown".parse::<PasswordDisplay>().is_err());
    }

    #[test]
    fn actions_follow_the_status_and_policy_actions_only_on_policy_switch() {
        let active = AdminAction::available(ServiceStatus::Active, false);
        assert!(
            active.contains(&AdminAction::Suspend) && !active.contains(&AdminAction::Unsuspend)
        );
        assert!(!active.iter().any(|a| a.is_policy()));
        let suspended = AdminAction::available(ServiceStatus::Suspended, true);
        assert!(suspended.contains(&AdminAction::Unsuspend));
        assert!(suspended.contains(&AdminAction::SetLimitedPolicy));
        assert!(AdminAction::available(ServiceStatus::Terminated, true).is_empty());
        for action in AdminAction::ALL {
            assert_eq!(AdminAction::from_code(action.code()), Some(action));
        }
    }

    #[test]
    fn frame_ancestors_are_checked() {
        let config = |sources: &[&str]| PagesConfig {
            key: SecretSource::Env("K".into()),
            link_lifetime: default_link_lifetime(),
            frame_ancestors: sources.iter().map(|s| s.to_string()).collect(),
        };
        assert!(config(&[
            "'self'",
            "https://billing.example.com",
            "https://*.example.com:8443"
        ])
        .check()
        .is_ok());
        for bad in [
            "*",
            "https://a.example; script-src *",
            "billing.example.com",
            "'unsafe-inline'",
        ] {
            assert!(config(&[bad]).check().is_err(), "{bad}");
        }
    }
}
