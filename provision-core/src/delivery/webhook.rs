//! Notifications as a signed JSON POST, retried under core's retry rule.
//!
//! The body is one JSON object ([`WebhookEvent`]). Each attempt carries:
//!
//! - `Provision-Signature: t=<unix seconds>,v1=<hex>`, where `<hex>` is the
//!   HMAC-SHA256, keyed with `[delivery.webhook] key`, of `<unix seconds>.<body>` (the
//!   timestamp, a full stop, and the body's exact bytes), as Stripe signs its webhooks.
//!   A receiver recomputes it over the raw body, compares in constant time, and refuses
//!   a timestamp far from its clock (five minutes is usual) so that a captured request
//!   cannot be replayed later;
//! - `Provision-Delivery: <action id>`: the same for every attempt and every run, for
//!   deduplication (delivery is at least once).
//!
//! A 2xx answer delivers. 5xx, 408, 429 and connection errors are retried with
//! exponential backoff and jitter (honouring `Retry-After`) within the configured
//! retry limits; another 4xx is a permanent refusal. Either way an undelivered action
//! stays pending in the ledger.

use async_trait::async_trait;
use hmac::{Hmac, Mac};
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;
use sha2::Sha256;

use super::settings::WebhookSettings;
use super::{DeliveryError, Notification, Notifier, Sent};
use crate::config::ConfigError;
use crate::http::{send_with_retry, ClientOptions, Idempotency};
use crate::options::RetryConfig;

/// The header with the timestamp and the signature.
pub const SIGNATURE_HEADER: &str = "Provision-Signature";
/// The header with the action's id.
pub const DELIVERY_HEADER: &str = "Provision-Delivery";

/// The JSON body of a webhook call.
#[derive(Debug, Clone, Serialize)]
pub struct WebhookEvent<'a> {
    /// The outbox action's id.
    pub id: i64,
    /// `notify_near_limit`, `limit_exceeded` or `back_under_limit`.
    pub event: &'static str,
    /// The server's name.
    pub server: &'a str,
    /// The billing system's service id.
    pub service_id: &'a str,
    /// The account.
    pub username: &'a str,
    /// The customer's e-mail address, when known.
    pub email: Option<&'a str>,
    /// The language of `subject` and `body`.
    pub language: &'static str,
    /// The subject (empty for `back_under_limit`).
    pub subject: &'a str,
    /// The body (empty for `back_under_limit`).
    pub body: &'a str,
    /// The values the text was made from.
    pub values: &'a std::collections::BTreeMap<String, String>,
}

/// Posts notifications to a URL, signed.
pub struct WebhookNotifier {
    client: reqwest::Client,
    url: url::Url,
    key: SecretString,
    retry: RetryConfig,
}

impl std::fmt::Debug for WebhookNotifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookNotifier")
            .field("url", &self.url.as_str())
            .finish_non_exhaustive()
    }
}

/// `v1` of the signature header: hex HMAC-SHA256 of `timestamp.body`.
pub fn signature(key: &[u8], timestamp: i64, body: &[u8]) -> String {
    // HMAC takes keys of any length.
    let mut mac = match <Hmac<Sha256> as Mac>::new_from_slice(key) {
        Ok(mac) => mac,
        Err(_) => unreachable!("HMAC accepts every key length"),
    };
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}

impl WebhookNotifier {
    /// A notifier for `settings`, reading the key from its source now.
    pub fn new(settings: &WebhookSettings) -> Result<WebhookNotifier, ConfigError> {
        let key = settings.key.read("delivery.webhook.key")?;
        Self::with_key(settings, key)
    }

    /// A notifier for `settings` with the key given here.
    pub fn with_key(
        settings: &WebhookSettings,
        key: SecretString,
    ) -> Result<WebhookNotifier, ConfigError> {
        let options = ClientOptions::default().with_timeout(settings.timeout);
        let client = options
            .build_client()
            .map_err(|e| ConfigError::new("delivery.webhook", e.to_string()))?;
        Ok(WebhookNotifier {
            client,
            url: settings.url.clone(),
            key,
            retry: settings.retry.clone(),
        })
    }
}

#[async_trait]
impl Notifier for WebhookNotifier {
    fn channel(&self) -> &'static str {
        "webhook"
    }

    async fn send(&self, notification: &Notification) -> Result<Sent, DeliveryError> {
        let event = WebhookEvent {
            id: notification.action.0,
            event: notification.kind.code(),
            server: notification.service.server.as_str(),
            service_id: &notification.service.service_id,
            username: notification.username.as_str(),
            email: notification.to.as_deref(),
            language: notification.language.code(),
            subject: &notification.subject,
            body: &notification.body,
            values: &notification.values,
        };
        let body = serde_json::to_vec(&event).map_err(|e| DeliveryError::Unavailable {
            message: format!("the event cannot be written as JSON: {e}"),
        })?;
        let delivery = notification.action.to_string();
        // The timestamp is taken per attempt: a retry a minute later is signed afresh.
        let response = send_with_retry("webhook", &self.retry, Idempotency::Idempotent, || {
            let timestamp = chrono::Utc::now().timestamp();
            let signed = signature(self.key.expose_secret().as_bytes(), timestamp, &body);
            Ok(self
                .client
                .post(self.url.clone())
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .header(SIGNATURE_HEADER, format!("t={timestamp},v1={signed}"))
                .header(DELIVERY_HEADER, delivery.as_str())
                .body(body.clone()))
        })
        .await
        .map_err(|e| DeliveryError::Unavailable {
            message: e.to_string(),
        })?;
        let status = response.status();
        if status.is_success() {
            return Ok(Sent::Delivered);
        }
        let text = response.text().await.unwrap_or_default();
        let text: String = text.chars().take(200).collect();
        if crate::http::is_retryable_status(status) {
            Err(DeliveryError::Unavailable {
                message: format!("the receiver answered {status} after the retries: {text}"),
            })
        } else {
            Err(DeliveryError::Rejected {
                status: status.as_u16(),
                body: text,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_is_hmac_sha256_of_timestamp_dot_body() {
        // Computed independently: `printf '1700000000.{}' | openssl dgst -sha256 -hmac key`.
        assert_eq!(
            signature(b"key", 1_700_000_000, b"{}"),
            "9d713ed406bb7076d4123f0dc2c39d2df5c654ed4b0cd56b52c8b4c940bd63ae"
        );
        assert_ne!(
            signature(b"key", 1_700_000_001, b"{}"),
            signature(b"key", 1_700_000_000, b"{}")
        );
    }
}
