//! A pending action as a [`Notification`] in the customer's language.
//!
//! The product's own template (`[products.NAME.templates]`) is used as the operator
//! wrote it: its `Subject:` line and body, rendered with the values the sweep recorded
//! and these merge fields:
//!
//! | merge field             | value                                                   |
//! |-------------------------|---------------------------------------------------------|
//! | `client_name`           | the order's `display_name`, else the account name       |
//! | `service_product_name`  | the product's name                                      |
//! | `signature`             | `[delivery] signature` (empty when not set)             |
//! | `service_next_due_date` | empty: the ledger does not know the billing system's dates |
//!
//! Other merge fields a product declares (`merge_fields`) are empty unless the caller
//! of [`Composer::compose`] supplies them. An unlimited size shows the customer's word
//! for it (`common-unlimited`). Without a template of the product's own, the default
//! texts are the `notification-*` messages of the `notifications` catalogue, with
//! numbers in the language's digits and separators. A restriction lifted
//! (`back_under_limit`) has no customer text: its subject and body are empty, a mail
//! channel sends nothing for it and a webhook still carries the event.

use std::collections::BTreeMap;

use crate::config::STANDARD_MERGE_FIELDS;
use crate::i18n::{Args, Catalogue, Language};
use crate::ledger::{PendingAction, ServiceRecord};
use crate::notify::{split_subject, NotificationValues, Template};
use crate::provisioner::ProductConfig;
use crate::threshold::ThresholdAction;

use super::{DeliveryError, Notification};

/// Writes notifications for the products of a configuration.
#[derive(Debug, Clone)]
pub struct Composer {
    products: BTreeMap<String, ProductConfig>,
    signature: String,
}

/// The language a service's notifications are written in: its customer's, when the
/// order gave a language this project has, else English.
pub fn language_of(service: &ServiceRecord) -> Language {
    service
        .customer
        .language
        .as_deref()
        .and_then(Language::from_tag)
        .unwrap_or(Language::English)
}

impl Composer {
    /// A composer for `products` (by name), signing with `signature`.
    pub fn new(products: BTreeMap<String, ProductConfig>, signature: impl Into<String>) -> Self {
        Composer {
            products,
            signature: signature.into(),
        }
    }

    /// The notification for `action` of `service`; `merge_fields` are the caller's own
    /// values (they replace the ones above of the same name).
    pub fn compose(
        &self,
        action: &PendingAction,
        service: &ServiceRecord,
        merge_fields: &BTreeMap<String, String>,
    ) -> Result<Notification, DeliveryError> {
        let unknown = |reason: String| DeliveryError::Unknown {
            service: service.key.clone(),
            reason,
        };
        let product = self.products.get(&service.product).ok_or_else(|| {
            unknown(format!(
                "no product {:?} in the configuration",
                service.product
            ))
        })?;
        let language = language_of(service);
        let catalogue = Catalogue::get();
        let unlimited = catalogue.text(language, "common-unlimited", &Args::new());
        let client_name = service
            .customer
            .name
            .clone()
            .unwrap_or_else(|| action.username.as_str().to_string());
        let mut values = NotificationValues::recorded(action.values.clone())
            .with_unlimited_word(unlimited.clone());
        for field in STANDARD_MERGE_FIELDS {
            values = values.with(field, "");
        }
        values = values
            .with("client_name", client_name.as_str())
            .with("service_product_name", service.product.as_str())
            .with("signature", self.signature.as_str());
        for (name, value) in merge_fields {
            values = values.with(name, value.as_str());
        }
        let template = match action.kind {
            ThresholdAction::NotifyNearLimit => product.templates.near_limit.as_ref(),
            ThresholdAction::LimitExceeded => product.templates.suspended_for_limit.as_ref(),
            _ => None,
        };
        // A merge field the product declares but nobody supplied is empty, not an
        // error that would keep the action pending for ever.
        if let Some(template) = template {
            for name in template.placeholders() {
                if values.get(name).is_none() {
                    values = values.with(name, "");
                }
            }
        }
        let (subject, body) = match (template, action.kind) {
            (Some(template), _) => {
                self.operator_text(template, &values, service, action, language, &unlimited)?
            }
            (None, ThresholdAction::NotifyNearLimit | ThresholdAction::LimitExceeded) => {
                self.default_text(action.kind, &values, language, &unlimited)
            }
            // No text tells a customer a restriction was lifted (nor did the original
            // modules send one): the webhook still carries the event.
            (None, _) => (String::new(), String::new()),
        };
        Ok(Notification {
            action: action.id,
            kind: action.kind,
            service: service.key.clone(),
            username: action.username.clone(),
            to: service.customer.email.clone(),
            language,
            subject,
            body,
            values: values
                .iter()
                .map(|(name, value)| (name.to_string(), value.to_string()))
                .collect(),
        })
    }

    /// The operator's template as written; without a `Subject:` line the default
    /// subject is used.
    fn operator_text(
        &self,
        template: &Template,
        values: &NotificationValues,
        service: &ServiceRecord,
        action: &PendingAction,
        language: Language,
        unlimited: &str,
    ) -> Result<(String, String), DeliveryError> {
        let text = template
            .render(values)
            .map_err(|source| DeliveryError::Template {
                service: service.key.clone(),
                source,
            })?;
        let (subject, body) = split_subject(&text);
        let subject = match subject {
            Some(subject) => subject.to_string(),
            None => {
                self.default_text(action.kind, values, language, unlimited)
                    .0
            }
        };
        Ok((subject, body.to_string()))
    }

    /// The `notification-*` messages in `language`.
    fn default_text(
        &self,
        kind: ThresholdAction,
        values: &NotificationValues,
        language: Language,
        unlimited: &str,
    ) -> (String, String) {
        let value = |name: &str| values.get(name).unwrap_or_default().to_string();
        let percent: u64 = value("disk_used_percentage").parse().unwrap_or(0);
        let size = |args: Args, name: &str, field: &str| {
            let shown = value(field);
            if shown == unlimited {
                args.text(name, shown)
            } else {
                args.decimal(name, &shown)
            }
        };
        let args = Args::new()
            .text("client_name", value("client_name"))
            .text("username", value("username"))
            .text("product", value("service_product_name"))
            .text("unit", value("unit"))
            .number("percent", percent);
        let args = size(args, "used", "disk_used_unit");
        let args = size(args, "limit", "disk_limit");
        let args = size(args, "free", "disk_free_unit");
        let prefix = match kind {
            ThresholdAction::LimitExceeded => "notification-suspended",
            _ => "notification-near-limit",
        };
        let catalogue = Catalogue::get();
        let subject = catalogue.text(language, &format!("{prefix}-subject"), &args);
        let mut body = catalogue.text(language, &format!("{prefix}-body"), &args);
        if !self.signature.is_empty() {
            body.push_str("\n\n");
            body.push_str(&self.signature);
        }
        (subject, body)
    }
}
