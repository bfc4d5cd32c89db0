//! Sweeps started over HTTP run in the background; their status (running or done,
//! with each server's result) is kept in this process for the last
//! [`KEPT_SWEEPS`] sweeps. What a sweep wrote is in the ledger either way.

use std::sync::{Arc, Mutex, PoisonError};

use chrono::Utc;
use provision::core::cycle::BillingCycle;
use provision::core::ledger::ServerId;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::delivery::{Delivery, DeliveryView};
use crate::views::SweepServerView;

/// How many sweeps' statuses are kept.
pub const KEPT_SWEEPS: usize = 100;

/// A sweep's progress and result.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SweepStatus {
    /// The sweep's id.
    pub id: String,
    /// `running`, `done`, or `failed` (the sweep stopped by a fault of its own; what it
    /// wrote is in the ledger).
    pub status: String,
    /// The servers it sweeps, in order.
    pub servers: Vec<String>,
    /// When it started (RFC 3339).
    pub started_at: String,
    /// When it finished (RFC 3339).
    pub finished_at: Option<String>,
    /// Whether everything in it succeeded, once done.
    pub ok: Option<bool>,
    /// The result of each server swept so far.
    pub results: Vec<SweepServerView>,
    /// What the delivery of the pending actions after the servers did, with a
    /// `[delivery]` section (an action not sent makes `ok` false).
    pub delivery: Option<DeliveryView>,
    /// Why the delivery could not run (the ledger failed), when it could not.
    pub delivery_error: Option<String>,
}

/// The sweeps of this process.
#[derive(Default)]
pub struct Sweeps {
    runs: Mutex<Vec<SweepStatus>>,
}

/// Why a sweep was not started.
#[derive(Debug)]
pub struct SweepRunning(pub String);

impl Sweeps {
    fn update(&self, id: &str, change: impl FnOnce(&mut SweepStatus)) {
        let mut runs = self.runs.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(run) = runs.iter_mut().find(|r| r.id == id) {
            change(run);
        }
    }

    /// The status of a sweep.
    pub fn status(&self, id: &str) -> Option<SweepStatus> {
        let runs = self.runs.lock().unwrap_or_else(PoisonError::into_inner);
        runs.iter().find(|r| r.id == id).cloned()
    }

    /// Starts sweeping `servers` in the background, unless a sweep is running (two at
    /// once would read every account twice for nothing).
    pub fn start(
        self: &Arc<Self>,
        cycle: Arc<BillingCycle>,
        servers: Vec<String>,
        delivery: Option<Arc<Delivery>>,
    ) -> Result<SweepStatus, SweepRunning> {
        let status = {
            let mut runs = self.runs.lock().unwrap_or_else(PoisonError::into_inner);
            if let Some(running) = runs.iter().find(|r| r.finished_at.is_none()) {
                return Err(SweepRunning(running.id.clone()));
            }
            if runs.len() >= KEPT_SWEEPS {
                runs.remove(0);
            }
            let status = SweepStatus {
                id: format!("sw_{}", hex::encode(rand::random::<[u8; 8]>())),
                status: "running".into(),
                servers: servers.clone(),
                started_at: Utc::now().to_rfc3339(),
                finished_at: None,
                ok: None,
                results: Vec::new(),
                delivery: None,
                delivery_error: None,
            };
            runs.push(status.clone());
            status
        };
        let sweeps = Arc::clone(self);
        let id = status.id.clone();
        let (watcher, watched) = (Arc::clone(self), status.id.clone());
        let work = tokio::spawn(async move {
            for name in servers {
                let result = match ServerId::new(name.as_str()) {
                    Ok(server) => cycle.sweep(&server, Utc::now()).await,
                    Err(e) => Err(e),
                };
                let view = SweepServerView::new(&name, &result);
                tracing::info!(sweep = %id, server = %name, ok = !view.has_failures(), "server swept");
                sweeps.update(&id, |run| run.results.push(view));
            }
            // Sent after every server, so each action of this sweep is in the outbox.
            let delivered = match &delivery {
                Some(delivery) => Some(delivery.run(&cycle).await),
                None => None,
            };
            sweeps.update(&id, |run| {
                match delivered {
                    Some(Ok(view)) => run.delivery = Some(view),
                    Some(Err(e)) => run.delivery_error = Some(e.to_string()),
                    None => {}
                }
                let delivered_all = run.delivery.as_ref().is_none_or(DeliveryView::complete)
                    && run.delivery_error.is_none();
                run.status = "done".into();
                run.finished_at = Some(Utc::now().to_rfc3339());
                run.ok = Some(run.results.iter().all(|r| !r.has_failures()) && delivered_all);
            });
        });
        // A sweep that panicked still ends, as failed: later sweeps may start.
        tokio::spawn(async move {
            if work.await.is_err() {
                watcher.update(&watched, |run| {
                    if run.finished_at.is_none() {
                        run.status = "failed".into();
                        run.finished_at = Some(Utc::now().to_rfc3339());
                        run.ok = Some(false);
                    }
                });
            }
        });
        Ok(status)
    }
}
