//! Notifications as e-mail, through `lettre`'s tokio transport with rustls.
//!
//! STARTTLS (required: a server that does not offer it is an error, never a fallback to
//! clear text), TLS from the first byte, or plain only to a loopback host (checked
//! when the configuration loads). The password is read from its secret source when the
//! notifier is built and never appears in errors or logs. Each message is plain text
//! in UTF-8 with a `Content-Language` header.

use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use secrecy::{ExposeSecret, SecretString};

use async_trait::async_trait;

use super::settings::{SmtpSecurity, SmtpSettings};
use super::{DeliveryError, Notification, Notifier, Sent};
use crate::config::ConfigError;
use crate::threshold::ThresholdAction;

/// Sends notifications as e-mail.
pub struct SmtpNotifier {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    reply_to: Option<Mailbox>,
    server: String,
}

impl std::fmt::Debug for SmtpNotifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The transport holds the credentials: only the server and the sender.
        f.debug_struct("SmtpNotifier")
            .field("server", &self.server)
            .field("from", &self.from.to_string())
            .finish_non_exhaustive()
    }
}

impl SmtpNotifier {
    /// A notifier for `settings`, reading the password from its source now.
    pub fn new(settings: &SmtpSettings) -> Result<SmtpNotifier, ConfigError> {
        let password = match &settings.login {
            Some((user, source)) => Some((user.clone(), source.read("delivery.smtp.password")?)),
            None => None,
        };
        Self::with_password(settings, password)
    }

    /// A notifier for `settings` with the login given here.
    pub fn with_password(
        settings: &SmtpSettings,
        login: Option<(String, SecretString)>,
    ) -> Result<SmtpNotifier, ConfigError> {
        let fail = |field: &str, e: &dyn std::fmt::Display| {
            ConfigError::new(format!("delivery.smtp.{field}"), e.to_string())
        };
        let host = settings.host.as_str();
        let builder = match (&settings.ca_file, settings.security) {
            (_, SmtpSecurity::Plain) => {
                AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
            }
            (None, SmtpSecurity::Starttls) => {
                AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(host)
                    .map_err(|e| fail("host", &e))?
            }
            (None, SmtpSecurity::Tls) => {
                AsyncSmtpTransport::<Tokio1Executor>::relay(host).map_err(|e| fail("host", &e))?
            }
            (Some(path), security) => {
                // The system's roots and the operator's CA; the host name is checked.
                let pem = std::fs::read(path)
                    .map_err(|e| fail("ca_file", &format!("{}: {e}", path.display())))?;
                let certificate = Certificate::from_pem(&pem).map_err(|e| fail("ca_file", &e))?;
                let parameters = TlsParameters::builder(host.to_string())
                    .add_root_certificate(certificate)
                    .build_rustls()
                    .map_err(|e| fail("ca_file", &e))?;
                let tls = match security {
                    SmtpSecurity::Tls => Tls::Wrapper(parameters),
                    _ => Tls::Required(parameters),
                };
                AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host).tls(tls)
            }
        };
        let mut builder = builder.port(settings.port).timeout(Some(settings.timeout));
        if let Some((user, password)) = login {
            builder =
                builder.credentials(Credentials::new(user, password.expose_secret().to_string()));
        }
        let from: Mailbox = settings.from.parse().map_err(|e| fail("from", &e))?;
        let reply_to = settings
            .reply_to
            .as_deref()
            .map(|r| r.parse::<Mailbox>().map_err(|e| fail("reply_to", &e)))
            .transpose()?;
        Ok(SmtpNotifier {
            transport: builder.build(),
            from,
            reply_to,
            server: format!("{host}:{}", settings.port),
        })
    }

    /// The message for a notification.
    fn message(&self, notification: &Notification, to: Mailbox) -> Result<Message, DeliveryError> {
        let mut builder = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(notification.subject.as_str())
            .header(ContentType::TEXT_PLAIN)
            .header(ContentLanguage(notification.language.code().to_string()));
        if let Some(reply_to) = &self.reply_to {
            builder = builder.reply_to(reply_to.clone());
        }
        builder
            .body(notification.body.clone())
            .map_err(|e| DeliveryError::Smtp {
                message: format!("the message cannot be built: {e}"),
                permanent: true,
            })
    }
}

/// The `Content-Language` header (RFC 3282).
#[derive(Debug, Clone)]
struct ContentLanguage(String);

impl lettre::message::header::Header for ContentLanguage {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("Content-Language")
    }

    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ContentLanguage(s.to_string()))
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), self.0.clone())
    }
}

#[async_trait]
impl Notifier for SmtpNotifier {
    fn channel(&self) -> &'static str {
        "smtp"
    }

    async fn send(&self, notification: &Notification) -> Result<Sent, DeliveryError> {
        if !matches!(
            notification.kind,
            ThresholdAction::NotifyNearLimit | ThresholdAction::LimitExceeded
        ) {
            return Ok(Sent::NothingToSend);
        }
        let address = notification
            .to
            .as_deref()
            .ok_or_else(|| DeliveryError::NoAddress {
                service: notification.service.clone(),
            })?;
        let to: Mailbox = address.parse().map_err(|_| DeliveryError::BadAddress {
            service: notification.service.clone(),
            address: address.to_string(),
        })?;
        let message = self.message(notification, to)?;
        match self.transport.send(message).await {
            Ok(_) => Ok(Sent::Delivered),
            Err(e) => Err(DeliveryError::Smtp {
                permanent: e.is_permanent(),
                message: format!("{}: {e}", self.server),
            }),
        }
    }
}
