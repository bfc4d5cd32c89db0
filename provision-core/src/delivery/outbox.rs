//! One delivery run over the outbox: lease the pending actions, write each, send it,
//! confirm the sent ones in one write, and hand the failed ones back.
//!
//! An action is confirmed only after its send succeeded; a failed send leaves it
//! pending (its lease is ended at once, so the next run tries it again). A crash
//! between a send and its confirmation sends it again on the next run: delivery is at
//! least once, and a receiver can deduplicate by the action's id.

use std::collections::BTreeMap;
use std::time::Duration;

use crate::cycle::BillingCycle;
use crate::error::Result;
use crate::ledger::{ActionId, PendingAction, ServiceKey};
use crate::threshold::ThresholdAction;

use super::compose::Composer;
use super::{DeliveryError, Notifier, Sent};

/// An action that was not delivered, and why.
#[derive(Debug)]
pub struct Undelivered {
    /// The action (still pending).
    pub action: ActionId,
    /// Its service.
    pub service: ServiceKey,
    /// What it is.
    pub kind: ThresholdAction,
    /// Why it was not delivered.
    pub error: DeliveryError,
}

/// What a delivery run did.
#[derive(Debug, Default)]
pub struct DeliveryReport {
    /// Sent and confirmed.
    pub delivered: Vec<ActionId>,
    /// Confirmed with nothing to send on this channel.
    pub nothing_to_send: Vec<ActionId>,
    /// Still pending.
    pub undelivered: Vec<Undelivered>,
}

/// Sends up to `batch` pending actions through `notifier`, holding them for `lease`
/// while it does; confirms each sent one, releases each failed one. Errors only when
/// the ledger fails (then nothing more is confirmed, and what was sent but not
/// confirmed is sent again by a later run).
pub async fn deliver_pending(
    cycle: &BillingCycle,
    notifier: &dyn Notifier,
    composer: &Composer,
    batch: u32,
    lease: Duration,
) -> Result<DeliveryReport> {
    let pending = cycle.pending_actions(batch, lease).await?;
    let mut report = DeliveryReport::default();
    for action in pending {
        match deliver_one(cycle, notifier, composer, &action).await? {
            Ok(Sent::Delivered) => report.delivered.push(action.id),
            Ok(Sent::NothingToSend) => report.nothing_to_send.push(action.id),
            Err(error) => {
                tracing::warn!(
                    action = %action.id,
                    service = %action.service,
                    channel = notifier.channel(),
                    %error,
                    "notification not delivered; it stays pending"
                );
                report.undelivered.push(Undelivered {
                    action: action.id,
                    service: action.service.clone(),
                    kind: action.kind,
                    error,
                });
            }
        }
    }
    let done: Vec<ActionId> = report
        .delivered
        .iter()
        .chain(&report.nothing_to_send)
        .copied()
        .collect();
    if !done.is_empty() {
        cycle.confirm_many(&done).await?;
    }
    let failed: Vec<ActionId> = report.undelivered.iter().map(|u| u.action).collect();
    if !failed.is_empty() {
        cycle.release_actions(&failed).await?;
    }
    Ok(report)
}

/// One action: the ledger's error outside, the delivery's inside.
async fn deliver_one(
    cycle: &BillingCycle,
    notifier: &dyn Notifier,
    composer: &Composer,
    action: &PendingAction,
) -> Result<std::result::Result<Sent, DeliveryError>> {
    let Some(service) = cycle.ledger().service(&action.service).await? else {
        return Ok(Err(DeliveryError::Unknown {
            service: action.service.clone(),
            reason: "the ledger has no such service".into(),
        }));
    };
    let notification = match composer.compose(action, &service, &BTreeMap::new()) {
        Ok(notification) => notification,
        Err(e) => return Ok(Err(e)),
    };
    Ok(notifier.send(&notification).await)
}
