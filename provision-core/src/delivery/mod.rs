//! Delivery of the outbox: the actions a sweep owes customers (near the limit,
//! restricted for the limit), written as messages in the customer's language and sent
//! through a [`Notifier`]; each is confirmed in the ledger only after its send
//! succeeded.
//!
//! - [`compose`]: a pending action as a [`Notification`] — the product's own template
//!   as the operator wrote it, or the default texts of the `notifications` Fluent
//!   catalogue in the customer's language;
//! - [`outbox`]: [`outbox::deliver_pending`], which the command's and the service's
//!   sweeps run: lease, compose, send, confirm the sent, release the failed;
//! - [`settings`]: the `[delivery]` section of the configuration;
//! - `smtp` (feature `smtp`): [`smtp::SmtpNotifier`], e-mail through `lettre`;
//! - `webhook` (feature `webhook`): [`webhook::WebhookNotifier`], a signed JSON POST.
//!
//! Where the recipient comes from: the service's [`Customer`](crate::ledger::Customer)
//! in the ledger, recorded from the order (`email`, `language`, `display_name` of the
//! create). A service ordered without a language gets English; one without an e-mail
//! address cannot be mailed (its action stays pending, and the sweep says why), but a
//! webhook still receives it.

use async_trait::async_trait;

use crate::i18n::Language;
use crate::ledger::{ActionId, ServiceKey};
use crate::notify::TemplateError;
use crate::threshold::ThresholdAction;
use crate::username::Username;

pub mod compose;
pub mod outbox;
pub mod settings;
#[cfg(feature = "smtp")]
pub mod smtp;
#[cfg(feature = "webhook")]
pub mod webhook;

/// One message owed to a customer, ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    /// The outbox action it carries out (a receiver's key for deduplication).
    pub action: ActionId,
    /// What happened.
    pub kind: ThresholdAction,
    /// The service.
    pub service: ServiceKey,
    /// The account.
    pub username: Username,
    /// The customer's e-mail address, when the order gave one.
    pub to: Option<String>,
    /// The language the subject and body are written in.
    pub language: Language,
    /// The subject line.
    pub subject: String,
    /// The body, plain text.
    pub body: String,
    /// The values the text was made from (the standard ones and the merge fields).
    pub values: std::collections::BTreeMap<String, String>,
}

/// What a [`Notifier`] did with a notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sent {
    /// It was handed over (the mail server or the receiver accepted it).
    Delivered,
    /// The channel has nothing to send for this kind (no mail tells a customer that a
    /// restriction was lifted, as in the original modules); the action is done.
    NothingToSend,
}

/// Why a notification was not delivered. The action stays pending and is tried again
/// by a later delivery.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DeliveryError {
    /// The service has no e-mail address to send to.
    #[error("service {service} has no e-mail address (the order gave none)")]
    NoAddress {
        /// The service.
        service: ServiceKey,
    },
    /// The recipient's address is not one a mail can go to.
    #[error("service {service}: {address:?} is not a valid e-mail address")]
    BadAddress {
        /// The service.
        service: ServiceKey,
        /// The address as recorded.
        address: String,
    },
    /// The operator's template does not render with the values.
    #[error("service {service}: the product's template does not render: {source}")]
    Template {
        /// The service.
        service: ServiceKey,
        /// Why.
        #[source]
        source: TemplateError,
    },
    /// The action's service or product is no longer known.
    #[error("service {service}: {reason}")]
    Unknown {
        /// The service.
        service: ServiceKey,
        /// What is missing.
        reason: String,
    },
    /// The mail server refused or could not be reached (its reply, without
    /// credentials).
    #[error("SMTP: {message}")]
    Smtp {
        /// The server's reply or the connection's error.
        message: String,
        /// Whether the server refused for good (a 5xx reply) rather than for now.
        permanent: bool,
    },
    /// The webhook receiver refused the notification for good (a 4xx other than 429).
    #[error("webhook: the receiver answered {status}: {body}")]
    Rejected {
        /// The HTTP status.
        status: u16,
        /// The start of its answer.
        body: String,
    },
    /// The webhook receiver could not be reached or kept failing after the retries.
    #[error("webhook: {message}")]
    Unavailable {
        /// The last error or status.
        message: String,
    },
}

/// A channel notifications go out through. Object-safe: shared as `Arc<dyn Notifier>`.
#[async_trait]
pub trait Notifier: Send + Sync {
    /// The channel's name for reports (`smtp`, `webhook`).
    fn channel(&self) -> &'static str;

    /// Sends one notification. Ok only once the other side accepted it.
    async fn send(&self, notification: &Notification) -> Result<Sent, DeliveryError>;
}

/// The notifier the `[delivery]` section configures, its secrets read now. A channel
/// whose feature (`smtp`, `webhook`) this build lacks is a configuration error.
pub fn notifier(
    settings: &settings::DeliverySettings,
) -> Result<std::sync::Arc<dyn Notifier>, crate::config::ConfigError> {
    match &settings.channel {
        #[cfg(feature = "smtp")]
        settings::Channel::Smtp(smtp) => Ok(std::sync::Arc::new(smtp::SmtpNotifier::new(smtp)?)),
        #[cfg(feature = "webhook")]
        settings::Channel::Webhook(hook) => {
            Ok(std::sync::Arc::new(webhook::WebhookNotifier::new(hook)?))
        }
        #[allow(unreachable_patterns)]
        _ => Err(crate::config::ConfigError::new(
            "delivery",
            "this build has no such channel (features smtp, webhook)",
        )),
    }
}
