//! `sweep` and `actions`: usage into the ledger, and the outbox of what is owed.

use std::io::IsTerminal;
use std::time::Duration;

use chrono::Utc;
use indicatif::{ProgressBar, ProgressStyle};
use provision::core::concurrency::bounded;
use provision::core::config::Config;
use provision::core::cycle::SERVERS_SWEPT_AT_ONCE;
use provision::core::ledger::{ActionId, PendingAction, ServerId};
use serde_json::json;

use crate::cli::{ActionsCommand, Cli};
use crate::context::{cycle, unknown_server};
use crate::delivery::Delivery;
use crate::error::{CliError, CliResult, ExitCode};
use crate::output::print;
use crate::views::{ActionView, SweepServerView};

/// How many pending actions a sweep lists at its end.
const SWEEP_ACTIONS_SHOWN: u32 = 1000;

/// "1 account", "2 accounts", "1 policy switch", "2 policy switches".
pub(crate) fn counted(n: usize, noun: &str) -> String {
    match n {
        1 => format!("1 {noun}"),
        _ if noun.ends_with("ch") => format!("{n} {noun}es"),
        _ => format!("{n} {noun}s"),
    }
}

/// An action as a line.
fn action_line(action: &PendingAction) -> String {
    format!(
        "#{} {} {} ({}) since {}",
        action.id,
        action.kind.code(),
        action.service,
        action.username,
        action.created_at.format("%Y-%m-%d %H:%M")
    )
}

/// The servers a sweep of `only` (every server when None) covers.
pub(crate) fn servers_to_sweep(config: &Config, only: Option<&str>) -> CliResult<Vec<String>> {
    match only {
        Some(name) if !config.servers.contains_key(name) => Err(unknown_server(config, name)),
        Some(name) => Ok(vec![name.to_string()]),
        None => Ok(config.servers.keys().cloned().collect()),
    }
}

/// Sweeps every server (or one): a progress bar on a terminal, a line per server
/// otherwise (on standard error); then, with a `[delivery]` section, sends the pending
/// actions (confirming each only once sent); then the result and what is still
/// pending. An action not sent makes the exit code "partly done".
pub async fn sweep(cli: &Cli, only: Option<&str>) -> CliResult<()> {
    let (config, cycle) = cycle(cli).await?;
    let servers = servers_to_sweep(&config, only)?;
    // Built first: a wrong [delivery] section fails before any server is read.
    let delivery = Delivery::from_config(&config)?;
    let terminal = std::io::stderr().is_terminal() && cli.output == crate::cli::OutputFormat::Text;
    let bar = if terminal {
        let bar = ProgressBar::new(servers.len() as u64);
        if let Ok(style) = ProgressStyle::with_template("{spinner} [{bar:30}] {pos}/{len} {msg}") {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.enable_steady_tick(Duration::from_millis(120));
        bar
    } else {
        ProgressBar::hidden()
    };
    let mut reports = Vec::new();
    let mut text = String::new();
    let mut failed = false;
    let ids = servers
        .iter()
        .map(|name| ServerId::new(name.as_str()))
        .collect::<Result<Vec<_>, _>>()?;
    bar.set_message("sweeping");
    // The servers are independent: a few at once, as `BillingCycle::sweep_all` does;
    // the results are reported in the servers' order.
    let results = bounded(
        // Owned ids: a closure over borrowed ones makes the future lose `Send`.
        ids.into_iter().map(|id| {
            let (cycle, bar) = (&cycle, &bar);
            async move {
                let result = cycle.sweep(&id, Utc::now()).await;
                bar.inc(1);
                result
            }
        }),
        SERVERS_SWEPT_AT_ONCE,
    )
    .await;
    for (name, result) in servers.iter().zip(results) {
        let view = SweepServerView::new(name, &result);
        failed |= view.has_failures();
        let line = match &result {
            Ok(report) => format!(
                "{name}: {} read, {} failed, {} recorded, {} ({} failed)",
                counted(report.outcomes.len(), "account"),
                report.failures.len(),
                counted(report.actions_recorded, "action"),
                counted(report.limit_switches.len(), "policy switch"),
                report
                    .limit_switches
                    .iter()
                    .filter(|s| s.2.is_err())
                    .count(),
            ),
            Err(e) => format!("{name}: FAILED: {e}"),
        };
        if !terminal {
            eprintln!("{line}");
        }
        text.push_str(&line);
        text.push('\n');
        if let Ok(report) = &result {
            for (user, error) in &report.failures {
                text.push_str(&format!("  {user}: {error}\n"));
            }
        }
        reports.push(view);
    }
    bar.finish_and_clear();
    let delivered = match &delivery {
        Some(delivery) => {
            let view = delivery.run(&cycle).await?;
            failed |= !view.complete();
            text.push_str(&view.text());
            Some(view)
        }
        None => None,
    };
    // What is owed now, without holding it: a zero lease leaves every action free for
    // whoever sends the mails.
    let pending = cycle
        .pending_actions(SWEEP_ACTIONS_SHOWN, Duration::ZERO)
        .await?;
    text.push_str(&format!("{} pending\n", counted(pending.len(), "action")));
    for action in &pending {
        text.push_str(&format!("  {}\n", action_line(action)));
    }
    let document = json!({
        "servers": reports,
        "pending_actions": pending.iter().map(ActionView::from).collect::<Vec<_>>(),
        "delivery": delivered,
    });
    print(cli.output, &document, &text)?;
    if failed {
        return Err(CliError::Reported(ExitCode::Partial));
    }
    Ok(())
}

/// `actions list|confirm`.
pub async fn actions(cli: &Cli, command: &ActionsCommand) -> CliResult<()> {
    let (_, cycle) = cycle(cli).await?;
    match command {
        ActionsCommand::List { limit, lease } => {
            let pending = cycle.pending_actions(*limit, *lease).await?;
            let mut text: String = pending.iter().map(|a| action_line(a) + "\n").collect();
            if pending.is_empty() {
                text = "no pending actions".into();
            }
            let document = json!({ "pending_actions": pending.iter().map(ActionView::from).collect::<Vec<_>>() });
            print(cli.output, &document, &text)
        }
        ActionsCommand::Confirm { ids } => {
            let ids: Vec<ActionId> = ids.iter().copied().map(ActionId).collect();
            let confirmed = cycle.confirm_many(&ids).await?;
            let text = format!("{confirmed} of {} actions confirmed", ids.len());
            print(
                cli.output,
                &json!({ "requested": ids.len(), "confirmed": confirmed }),
                &text,
            )?;
            if confirmed < ids.len() as u64 {
                return Err(CliError::Reported(ExitCode::NotFound));
            }
            Ok(())
        }
    }
}

/// `recover`: what crashed runs left, settled; services that could not be settled now
/// make the exit code "partly done" (they are tried again next time).
pub async fn recover(cli: &Cli) -> CliResult<()> {
    let (_, cycle) = cycle(cli).await?;
    let recovery = cycle.recover().await?;
    let mut text = format!(
        "{} interrupted creates undone, {} interrupted operations finished, {} failed, \
         {} held by another run (tried again next time)\n",
        recovery.undone.len(),
        recovery.finished.len(),
        recovery.failed.len(),
        recovery.held.len(),
    );
    for (key, error) in &recovery.failed {
        text.push_str(&format!("  {key}: {error}\n"));
    }
    let keys = |keys: &[provision::core::ledger::ServiceKey]| {
        keys.iter()
            .map(|k| json!({ "server": k.server.as_str(), "service_id": k.service_id }))
            .collect::<Vec<_>>()
    };
    let document = json!({
        "undone": keys(&recovery.undone),
        "finished": keys(&recovery.finished),
        "held": keys(&recovery.held),
        "failed": recovery.failed.iter().map(|(k, e)| json!({
            "server": k.server.as_str(),
            "service_id": k.service_id,
            "error": crate::views::ErrorView::from(e),
        })).collect::<Vec<_>>(),
    });
    print(cli.output, &document, &text)?;
    if !recovery.failed.is_empty() || !recovery.held.is_empty() {
        return Err(CliError::Reported(ExitCode::Partial));
    }
    Ok(())
}
