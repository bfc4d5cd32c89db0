//! The `[delivery]` section of the configuration: one channel, SMTP or a webhook.
//!
//! ```toml
//! [delivery]
//! signature = "-- Example Hosting"       # {$signature} in templates (default empty)
//! batch = 100                            # actions per delivery run (default 100)
//! lease = "5m"                           # how long a run holds the actions it sends
//!
//! [delivery.smtp]
//! host = "smtp.example.com"
//! port = 587                             # default: 587 starttls, 465 tls, 25 plain
//! security = "starttls"                  # "starttls" (default), "tls" (implicit), or
//!                                        # "plain" (only to a loopback host)
//! user = "mailer"                        # optional; then password is required
//! password = { env = "SMTP_PASSWORD" }   # or { file = "/run/secrets/smtp" }
//! from = "Example Hosting <billing@example.com>"
//! reply_to = "support@example.com"       # optional
//! ca_file = "/etc/provision/relay-ca.pem" # optional: a private CA to trust as well
//! timeout = "30s"
//!
//! # or, instead of [delivery.smtp]:
//! [delivery.webhook]
//! url = "https://billing.example.com/provision/events"   # http only to loopback
//! key = { env = "PROVISION_WEBHOOK_KEY" }                 # the HMAC-SHA256 key
//! timeout = "10s"
//! retry = { max_retries = 4, initial_backoff = "200ms", max_backoff = "10s", deadline = "60s" }
//! ```
//!
//! Every error names the field (`delivery.smtp.from`). Secrets are read from the
//! environment or a file when the notifier is built, as the servers' passwords.

use std::net::IpAddr;
use std::time::Duration;

use serde::Deserialize;

use crate::config::{ConfigError, SecretSource};
use crate::options::RetryConfig;

/// How the SMTP connection is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmtpSecurity {
    /// Plain connection upgraded with STARTTLS, which must succeed (port 587).
    Starttls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No TLS: only to a loopback host (a local relay, a test server).
    Plain,
}

impl SmtpSecurity {
    /// The port a connection of this kind uses unless one is given.
    pub fn default_port(self) -> u16 {
        match self {
            SmtpSecurity::Starttls => 587,
            SmtpSecurity::Tls => 465,
            SmtpSecurity::Plain => 25,
        }
    }
}

/// The SMTP channel, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmtpSettings {
    /// The mail server's host name or address.
    pub host: String,
    /// Its port.
    pub port: u16,
    /// How the connection is protected.
    pub security: SmtpSecurity,
    /// The login and where its password comes from, when the server wants one.
    pub login: Option<(String, SecretSource)>,
    /// The From header (`Name <address>` or an address).
    pub from: String,
    /// The Reply-To header, when set.
    pub reply_to: Option<String>,
    /// A PEM file of certificates trusted beside the system's roots (a private relay).
    pub ca_file: Option<std::path::PathBuf>,
    /// The time one send may take, connection included.
    pub timeout: Duration,
}

/// The webhook channel, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookSettings {
    /// Where notifications are posted.
    pub url: url::Url,
    /// Where the signing key comes from.
    pub key: SecretSource,
    /// The time one attempt may take.
    pub timeout: Duration,
    /// How failed attempts are retried (core's retry rule).
    pub retry: RetryConfig,
}

/// The one channel notifications go out through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Channel {
    /// E-mail.
    Smtp(SmtpSettings),
    /// A signed JSON POST.
    Webhook(WebhookSettings),
}

/// The `[delivery]` section, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliverySettings {
    /// The channel.
    pub channel: Channel,
    /// `{$signature}` in templates.
    pub signature: String,
    /// How many actions one delivery run takes at most.
    pub batch: u32,
    /// How long a run holds the actions it is sending.
    pub lease: Duration,
}

/// The section as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DeliveryFile {
    #[serde(default)]
    signature: Option<String>,
    #[serde(default)]
    batch: Option<u32>,
    #[serde(default, with = "humantime_serde")]
    lease: Option<Duration>,
    #[serde(default)]
    smtp: Option<SmtpFile>,
    #[serde(default)]
    webhook: Option<WebhookFile>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct SmtpFile {
    host: String,
    #[serde(default)]
    port: Option<u16>,
    #[serde(default)]
    security: Option<SmtpSecurity>,
    #[serde(default)]
    user: Option<String>,
    #[serde(default)]
    password: Option<SecretSource>,
    from: String,
    #[serde(default)]
    reply_to: Option<String>,
    #[serde(default)]
    ca_file: Option<std::path::PathBuf>,
    #[serde(default, with = "humantime_serde")]
    timeout: Option<Duration>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct WebhookFile {
    url: String,
    key: SecretSource,
    #[serde(default, with = "humantime_serde")]
    timeout: Option<Duration>,
    #[serde(default)]
    retry: Option<RetryConfig>,
}

/// Whether `host` names this machine (`localhost`, `127.0.0.1`, `::1`).
fn is_loopback(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    match bare.parse::<IpAddr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => {
            let name = bare.trim_end_matches('.').to_ascii_lowercase();
            name == "localhost" || name.ends_with(".localhost")
        }
    }
}

/// Checks a mailbox (`Name <address>` or `address`); the address part.
pub(crate) fn mailbox_address(mailbox: &str) -> Option<&str> {
    let mailbox = mailbox.trim();
    let address = match (mailbox.rfind('<'), mailbox.ends_with('>')) {
        (Some(open), true) => &mailbox[open + 1..mailbox.len() - 1],
        (None, false) => mailbox,
        _ => return None,
    };
    email_address::EmailAddress::is_valid(address).then_some(address)
}

impl DeliveryFile {
    /// Checks every field; errors name `delivery.<field>`.
    pub(crate) fn check(self) -> Result<DeliverySettings, ConfigError> {
        let fail =
            |field: &str, reason: &str| ConfigError::new(format!("delivery.{field}"), reason);
        let channel = match (self.smtp, self.webhook) {
            (Some(_), Some(_)) => {
                return Err(fail(
                    "webhook",
                    "give one channel: [delivery.smtp] or [delivery.webhook], not both",
                ))
            }
            (None, None) => {
                return Err(ConfigError::new(
                    "delivery",
                    "no channel: add [delivery.smtp] or [delivery.webhook]",
                ))
            }
            (Some(smtp), None) => Channel::Smtp(smtp.check(fail)?),
            (None, Some(webhook)) => Channel::Webhook(webhook.check(fail)?),
        };
        if self.batch == Some(0) {
            return Err(fail("batch", "must be at least 1"));
        }
        let lease = self.lease.unwrap_or(Duration::from_secs(300));
        if lease.is_zero() {
            return Err(fail("lease", "must be longer than zero"));
        }
        Ok(DeliverySettings {
            channel,
            signature: self.signature.unwrap_or_default(),
            batch: self.batch.unwrap_or(100),
            lease,
        })
    }
}

impl SmtpFile {
    fn check(self, fail: impl Fn(&str, &str) -> ConfigError) -> Result<SmtpSettings, ConfigError> {
        let host = self.host.trim().to_string();
        if host.is_empty() || host.contains(['/', ' ', ':']) && !host.starts_with('[') {
            return Err(fail("smtp.host", "must be a host name or an address"));
        }
        let security = self.security.unwrap_or(SmtpSecurity::Starttls);
        if security == SmtpSecurity::Plain && !is_loopback(&host) {
            return Err(fail(
                "smtp.security",
                "\"plain\" sends mail and password in clear text: only to a loopback host; use \"starttls\" or \"tls\"",
            ));
        }
        if self.port == Some(0) {
            return Err(fail("smtp.port", "must be from 1 to 65535"));
        }
        let login = match (self.user, self.password) {
            (Some(user), Some(password)) if !user.trim().is_empty() => Some((user, password)),
            (Some(_), Some(_)) => return Err(fail("smtp.user", "must not be empty")),
            (Some(_), None) => return Err(fail("smtp.password", "required with smtp.user")),
            (None, Some(_)) => return Err(fail("smtp.user", "required with smtp.password")),
            (None, None) => None,
        };
        if mailbox_address(&self.from).is_none() {
            return Err(fail(
                "smtp.from",
                "must be an e-mail address or \"Name <address>\"",
            ));
        }
        if let Some(reply_to) = &self.reply_to {
            if mailbox_address(reply_to).is_none() {
                return Err(fail(
                    "smtp.reply_to",
                    "must be an e-mail address or \"Name <address>\"",
                ));
            }
        }
        if security == SmtpSecurity::Plain && self.ca_file.is_some() {
            return Err(fail(
                "smtp.ca_file",
                "a CA only matters with security \"starttls\" or \"tls\"",
            ));
        }
        let timeout = self.timeout.unwrap_or(Duration::from_secs(30));
        if timeout.is_zero() {
            return Err(fail("smtp.timeout", "must be longer than zero"));
        }
        Ok(SmtpSettings {
            host,
            port: self.port.unwrap_or(security.default_port()),
            security,
            login,
            from: self.from,
            reply_to: self.reply_to,
            ca_file: self.ca_file,
            timeout,
        })
    }
}

impl WebhookFile {
    fn check(
        self,
        fail: impl Fn(&str, &str) -> ConfigError,
    ) -> Result<WebhookSettings, ConfigError> {
        let url = url::Url::parse(self.url.trim())
            .map_err(|e| fail("webhook.url", &format!("not a URL: {e}")))?;
        let loopback = url.host_str().is_some_and(is_loopback);
        match url.scheme() {
            "https" => {}
            "http" if loopback => {}
            "http" => {
                return Err(fail(
                    "webhook.url",
                    "http:// only to a loopback host; use https://",
                ))
            }
            _ => return Err(fail("webhook.url", "must be an https:// URL")),
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(fail(
                "webhook.url",
                "must not hold credentials; requests are signed with webhook.key",
            ));
        }
        let timeout = self.timeout.unwrap_or(Duration::from_secs(10));
        if timeout.is_zero() {
            return Err(fail("webhook.timeout", "must be longer than zero"));
        }
        Ok(WebhookSettings {
            url,
            key: self.key,
            timeout,
            retry: self.retry.unwrap_or_default(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(toml_text: &str) -> Result<DeliverySettings, ConfigError> {
        let file: DeliveryFile =
            toml::from_str(toml_text).map_err(|e| ConfigError::new("toml", e.to_string()))?;
        file.check()
    }

    #[test]
    fn an_smtp_channel_loads_with_defaults() {
        let settings = check(
            "signature = \"-- Ex\"\n[smtp]\nhost = \"smtp.example.com\"\nuser = \"m\"\npassword = { env = \"SMTP_PW\" }\nfrom = \"Ex <billing@example.com>\"",
        )
        .unwrap();
        let Channel::Smtp(smtp) = &settings.channel else {
            panic!("not smtp");
        };
        assert_eq!((smtp.port, smtp.security), (587, SmtpSecurity::Starttls));
        assert_eq!(smtp.login.as_ref().map(|l| l.0.as_str()), Some("m"));
        assert_eq!(settings.signature, "-- Ex");
        assert_eq!(settings.batch, 100);
        let tls =
            check("[smtp]\nhost = \"mx\"\nsecurity = \"tls\"\nfrom = \"a@example.com\"").unwrap();
        assert!(matches!(
            tls.channel,
            Channel::Smtp(SmtpSettings { port: 465, .. })
        ));
    }

    #[test]
    fn a_webhook_channel_loads() {
        let settings = check(
            "[webhook]\nurl = \"http://127.0.0.1:9/events\"\nkey = { file = \"/run/k\" }\nretry = { max_retries = 2 }",
        )
        .unwrap();
        let Channel::Webhook(hook) = &settings.channel else {
            panic!("not a webhook");
        };
        assert_eq!(hook.retry.max_retries, 2);
        assert_eq!(hook.url.path(), "/events");
    }

    #[test]
    fn errors_name_the_field() {
        let cases = [
            ("[smtp]\nhost = \"mx.example.com\"\nsecurity = \"plain\"\nfrom = \"a@example.com\"", "delivery.smtp.security"),
            ("[smtp]\nhost = \"mx\"\nfrom = \"not an address\"", "delivery.smtp.from"),
            ("[smtp]\nhost = \"mx\"\nfrom = \"a@example.com\"\nreply_to = \"b@\"", "delivery.smtp.reply_to"),
            ("[smtp]\nhost = \"mx\"\nfrom = \"a@example.com\"\nuser = \"u\"", "delivery.smtp.password"),
            ("[smtp]\nhost = \"\"\nfrom = \"a@example.com\"", "delivery.smtp.host"),
            ("[smtp]\nhost = \"mx\"\nfrom = \"a@example.com\"\nport = 0", "delivery.smtp.port"),
            ("[webhook]\nurl = \"http://billing.example.com/x\"\nkey = { env = \"K\" }", "delivery.webhook.url"),
            ("[webhook]\nurl = \"https://u:p@billing.example.com/x\"\nkey = { env = \"K\" }", "delivery.webhook.url"),
            ("[webhook]\nurl = \"https://b.example.com/\"\nkey = { env = \"K\" }\n[smtp]\nhost = \"mx\"\nfrom = \"a@example.com\"", "delivery.webhook"),
            ("[smtp]\nhost = \"localhost\"\nsecurity = \"plain\"\nfrom = \"a@example.com\"\nca_file = \"/ca.pem\"", "delivery.smtp.ca_file"),
            ("signature = \"x\"", "delivery"),
            ("batch = 0\n[webhook]\nurl = \"https://b.example.com/\"\nkey = { env = \"K\" }", "delivery.batch"),
        ];
        for (text, place) in cases {
            let err = check(text).unwrap_err();
            assert_eq!(err.place, place, "{text}: {err}");
        }
        assert!(
            check("[smtp]\nhost = \"mx\"\nfrom = \"a@example.com\"\nsecurity = \"ssl\"").is_err()
        );
        assert!(check(
            "[smtp]\nhost = \"localhost\"\nsecurity = \"plain\"\nfrom = \"a@example.com\""
        )
        .is_ok());
    }

    #[test]
    fn mailboxes_with_and_without_names() {
        assert_eq!(mailbox_address("Ex <a@example.com>"), Some("a@example.com"));
        assert_eq!(mailbox_address("a@example.com"), Some("a@example.com"));
        assert_eq!(mailbox_address("Ex <a@example.com"), None);
        assert_eq!(mailbox_address("Ex"), None);
    }
}
