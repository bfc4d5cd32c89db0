//! Sending the outbox after a sweep, for `provision sweep` and `provision serve`: the
//! configured notifier (`[delivery]`), the cycle's products for the texts (those of the
//! file and those defined over the service), and the report as a view.

use std::sync::Arc;
use std::time::Duration;

use provision::core::config::Config;
use provision::core::cycle::BillingCycle;
use provision::core::delivery::compose::Composer;
use provision::core::delivery::outbox::{deliver_pending, DeliveryReport};
use provision::core::delivery::{notifier, Notifier};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::commands::sweep::counted;
use crate::error::{CliError, CliResult};

/// What a sweep sends its pending actions through.
pub struct Delivery {
    notifier: Arc<dyn Notifier>,
    signature: String,
    batch: u32,
    lease: Duration,
}

impl Delivery {
    /// The delivery the configuration's `[delivery]` section sets up (its secrets
    /// read now), or None when it has none.
    pub fn from_config(config: &Config) -> CliResult<Option<Delivery>> {
        let Some(settings) = &config.delivery else {
            return Ok(None);
        };
        let notifier = notifier(settings).map_err(|e| CliError::Config(e.to_string()))?;
        Ok(Some(Delivery {
            notifier,
            signature: settings.signature.clone(),
            batch: settings.batch,
            lease: settings.lease,
        }))
    }

    /// Sends the pending actions; confirms the sent ones.
    pub async fn run(&self, cycle: &BillingCycle) -> CliResult<DeliveryView> {
        // Read now, so that a product defined over the service since the last
        // delivery has its texts.
        let composer = Composer::new(cycle.product_configs().await?, self.signature.clone());
        let report = deliver_pending(
            cycle,
            self.notifier.as_ref(),
            &composer,
            self.batch,
            self.lease,
        )
        .await?;
        Ok(DeliveryView::new(self.notifier.channel(), &report))
    }
}

/// An action a delivery did not send; it stays pending.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct UndeliveredView {
    /// The action's id.
    pub id: i64,
    /// The server's name.
    pub server: String,
    /// The billing system's service id.
    pub service_id: String,
    /// What is owed.
    pub kind: String,
    /// Why it was not sent.
    pub error: String,
}

/// What a delivery after a sweep did.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DeliveryView {
    /// `smtp` or `webhook`.
    pub channel: String,
    /// The actions sent and confirmed.
    pub delivered: Vec<i64>,
    /// The actions confirmed with nothing to send on this channel.
    pub nothing_to_send: Vec<i64>,
    /// The actions not sent (still pending).
    pub undelivered: Vec<UndeliveredView>,
}

impl DeliveryView {
    fn new(channel: &str, report: &DeliveryReport) -> Self {
        DeliveryView {
            channel: channel.to_string(),
            delivered: report.delivered.iter().map(|id| id.0).collect(),
            nothing_to_send: report.nothing_to_send.iter().map(|id| id.0).collect(),
            undelivered: report
                .undelivered
                .iter()
                .map(|u| UndeliveredView {
                    id: u.action.0,
                    server: u.service.server.as_str().to_string(),
                    service_id: u.service.service_id.clone(),
                    kind: u.kind.code().to_string(),
                    error: u.error.to_string(),
                })
                .collect(),
        }
    }

    /// The report as lines of text.
    pub fn text(&self) -> String {
        let mut text = format!(
            "{} sent by {}, {} not sent (still pending)\n",
            counted(self.delivered.len(), "notification"),
            self.channel,
            self.undelivered.len()
        );
        for u in &self.undelivered {
            text.push_str(&format!(
                "  #{} {} {}/{}: NOT SENT: {}\n",
                u.id, u.kind, u.server, u.service_id, u.error
            ));
        }
        text
    }

    /// Whether every action was sent.
    pub fn complete(&self) -> bool {
        self.undelivered.is_empty()
    }
}
