//! `sweep` and `actions`: usage into the ledger, and the outbox of what is owed.

use std::io::IsTerminal;
use std::time::Duration;

use chrono::Utc;
use indicatif::{ProgressBar, ProgressStyle};
use provision::core::ledger::{ActionId, PendingAction, ServerId};
use serde_json::{json, Value};

use crate::cli::{ActionsCommand, Cli};
use crate::context::{cycle, unknown_server};
use crate::error::{CliError, CliResult, ExitCode};
use crate::output::{core_error_json, print};

/// How many pending actions a sweep lists at its end.
const SWEEP_ACTIONS_SHOWN: u32 = 1000;

/// "1 account", "2 accounts", "1 policy switch", "2 policy switches".
fn counted(n: usize, noun: &str) -> String {
    match n {
        1 => format!("1 {noun}"),
        _ if noun.ends_with("ch") => format!("{n} {noun}es"),
        _ => format!("{n} {noun}s"),
    }
}

/// An action in JSON.
fn action_json(action: &PendingAction) -> Value {
    json!({
        "id": action.id.0,
        "server": action.service.server.as_str(),
        "service_id": action.service.service_id,
        "username": action.username.as_str(),
        "kind": action.kind.code(),
        "values": action.values,
        "created_at": action.created_at.to_rfc3339(),
        "attempts": action.attempts,
    })
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

/// Sweeps every server (or one): a progress bar on a terminal, a line per server
/// otherwise (on standard error), then the result and the pending actions.
pub async fn sweep(cli: &Cli, only: Option<&str>) -> CliResult<()> {
    let (config, cycle) = cycle(cli).await?;
    let servers: Vec<String> = match only {
        Some(name) if !config.servers.contains_key(name) => {
            return Err(unknown_server(&config, name))
        }
        Some(name) => vec![name.to_string()],
        None => config.servers.keys().cloned().collect(),
    };
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
    for name in &servers {
        bar.set_message(format!("sweeping {name}"));
        let id = ServerId::new(name.as_str())?;
        let result = cycle.sweep(&id, Utc::now()).await;
        bar.inc(1);
        match result {
            Ok(report) => {
                let switches_failed = report
                    .limit_switches
                    .iter()
                    .filter(|s| s.2.is_err())
                    .count();
                failed |= !report.failures.is_empty() || switches_failed > 0;
                let line = format!(
                    "{name}: {} read, {} failed, {} recorded, {} ({switches_failed} failed)",
                    counted(report.outcomes.len(), "account"),
                    report.failures.len(),
                    counted(report.actions_recorded, "action"),
                    counted(report.limit_switches.len(), "policy switch"),
                );
                if !terminal {
                    eprintln!("{line}");
                }
                text.push_str(&line);
                text.push('\n');
                for (user, error) in &report.failures {
                    text.push_str(&format!("  {user}: {error}\n"));
                }
                reports.push(json!({
                    "server": name,
                    "ok": true,
                    "accounts": report.outcomes.iter().map(|o| json!({
                        "username": o.username.as_str(),
                        "used_bytes": o.used.map(|b| b.bytes()),
                        "quota_bytes": o.quota.limit().map(|b| b.bytes()),
                        "previous": o.previous.code(),
                        "state": o.state.code(),
                    })).collect::<Vec<_>>(),
                    "failures": report.failures.iter().map(|(user, e)| json!({
                        "username": user.as_str(),
                        "error": core_error_json(e),
                    })).collect::<Vec<_>>(),
                    "actions_recorded": report.actions_recorded,
                    "limit_switches": report.limit_switches.iter().map(|(user, limited, r)| json!({
                        "username": user.as_str(),
                        "limited": limited,
                        "ok": r.is_ok(),
                        "error": r.as_ref().err().map(core_error_json),
                    })).collect::<Vec<_>>(),
                }));
            }
            Err(e) => {
                failed = true;
                let line = format!("{name}: FAILED: {e}");
                if !terminal {
                    eprintln!("{line}");
                }
                text.push_str(&line);
                text.push('\n');
                reports.push(json!({
                    "server": name,
                    "ok": false,
                    "error": core_error_json(&e),
                }));
            }
        }
    }
    bar.finish_and_clear();
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
        "pending_actions": pending.iter().map(action_json).collect::<Vec<_>>(),
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
            let document =
                json!({ "pending_actions": pending.iter().map(action_json).collect::<Vec<_>>() });
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
            "error": core_error_json(e),
        })).collect::<Vec<_>>(),
    });
    print(cli.output, &document, &text)?;
    if !recovery.failed.is_empty() || !recovery.held.is_empty() {
        return Err(CliError::Reported(ExitCode::Partial));
    }
    Ok(())
}
