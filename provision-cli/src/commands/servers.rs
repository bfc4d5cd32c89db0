//! `check` and `groups`: a server's connection, without the ledger.

use std::collections::BTreeMap;

use provision::core::config::Config;

use crate::cli::Cli;
use crate::context::{load_config, provider};
use crate::error::{CliError, CliResult, ExitCode};
use crate::output::print;
use crate::views::{CheckView, ErrorView};

/// Checks one server of the configuration: its result, a line for people, and the
/// exit code it calls for when it failed (or its credentials lack admin rights).
pub async fn check_server(config: &Config, name: &str) -> (CheckView, String, Option<ExitCode>) {
    let outcome = match provider(config, name) {
        Ok(p) => p.test_connection().await.map_err(CliError::from),
        Err(e) => Err(e),
    };
    match outcome {
        Ok(info) => {
            let line = format!(
                "{name}: {} {} ({}){}",
                info.product,
                info.version.as_deref().unwrap_or("(version not given)"),
                info.backend,
                if info.is_admin {
                    ", admin rights"
                } else {
                    ", NO admin rights"
                },
            );
            let code = (!info.is_admin).then_some(ExitCode::PermissionDenied);
            let view = CheckView {
                server: name.to_string(),
                ok: info.is_admin,
                backend: Some(info.backend.to_string()),
                product: Some(info.product),
                version: info.version,
                is_admin: Some(info.is_admin),
                details: info.details,
                error: None,
            };
            (view, line, code)
        }
        Err(e) => {
            let view = CheckView {
                server: name.to_string(),
                ok: false,
                backend: None,
                product: None,
                version: None,
                is_admin: None,
                details: BTreeMap::new(),
                error: Some(ErrorView::from(&e)),
            };
            (view, format!("{name}: FAILED: {e}"), Some(e.exit_code()))
        }
    }
}

/// Tests the connection of one server or of every server; a server that fails (or
/// whose credentials lack admin rights) makes the exit code non-zero.
pub async fn check(cli: &Cli, server: Option<&str>) -> CliResult<()> {
    let config = load_config(cli.config.as_deref())?;
    let names: Vec<String> = match server {
        Some(name) => vec![name.to_string()],
        None => config.servers.keys().cloned().collect(),
    };
    if names.is_empty() {
        return Err(CliError::Usage("the configuration has no servers".into()));
    }
    let mut results = Vec::with_capacity(names.len());
    let mut text = String::new();
    let mut last_error = None;
    for name in names {
        let (view, line, code) = check_server(&config, &name).await;
        text.push_str(&line);
        text.push('\n');
        last_error = code.or(last_error);
        results.push(view);
    }
    let single = results.len() == 1;
    let document = serde_json::json!({ "servers": results });
    print(cli.output, &document, &text)?;
    match last_error {
        None => Ok(()),
        // One server: its own error's code; several: "partly done".
        Some(code) if single => Err(CliError::Reported(code)),
        Some(_) => Err(CliError::Reported(ExitCode::Partial)),
    }
}

/// Lists a server's groups.
pub async fn groups(cli: &Cli, server: &str) -> CliResult<()> {
    let config = load_config(cli.config.as_deref())?;
    let groups = provider(&config, server)?.list_groups().await?;
    let names: Vec<&str> = groups.iter().map(|g| g.as_str()).collect();
    let document = serde_json::json!({ "server": server, "groups": names });
    let mut text = names.join("\n");
    if names.is_empty() {
        text = format!("{server} has no groups");
    }
    print(cli.output, &document, &text)
}
