//! The orders on one service, through the ledger: create, adopt, suspend, unsuspend,
//! terminate, password, change-plan, policy; and what it used: usage, history. Each
//! prints the view [`crate::operations`] returns.

use provision::core::ledger::LimitOverride;
use provision::core::quota::ByteSize;
use provision::core::ExposeSecret;
use serde_json::json;

use crate::cli::{
    AdoptArgs, ChangePlanArgs, Cli, CreateArgs, HistoryArgs, PolicyCommand, ServiceArgs,
    ServiceOrder,
};
use crate::context::{cycle, service_key};
use crate::error::{CliError, CliResult, ExitCode};
use crate::operations::{self, AdoptOrder, CreateOrder, StatusOrder};
use crate::output::print;

fn bytes(value: Option<u64>, missing: &str) -> String {
    value
        .map(|b| ByteSize::new(b).to_string())
        .unwrap_or_else(|| missing.to_string())
}

/// `create`: the account of a service, or the one an earlier attempt made. The
/// password is printed once, by the call that set it.
pub async fn create(cli: &Cli, args: &CreateArgs) -> CliResult<()> {
    let (config, cycle) = cycle(cli).await?;
    let order = CreateOrder {
        key: service_key(&config, &args.new.service)?,
        client_id: args.new.client_id.clone(),
        product: args.new.product.clone(),
        email: args.email.clone(),
        display_name: args.display_name.clone(),
        language: args.language.clone(),
    };
    let created = operations::create(&cycle, &order).await?;
    let mut text = format!("username: {}\n", created.username);
    match &created.password {
        Some(p) => text.push_str(&format!("password: {}\n", p.expose_secret())),
        None => text.push_str(&format!(
            "password: ({})\n",
            operations::PASSWORD_GIVEN_BEFORE
        )),
    }
    if created.resumed {
        text.push_str("(an earlier attempt of this order made the account)\n");
    }
    print(cli.output, &created, &text)
}

/// `provision adopt`: prints what it recorded, or what does not fit (exit code 3).
pub async fn adopt(cli: &Cli, args: &AdoptArgs) -> CliResult<()> {
    let (config, cycle) = cycle(cli).await?;
    let order = AdoptOrder {
        key: service_key(&config, &args.new.service)?,
        client_id: args.new.client_id.clone(),
        product: args.new.product.clone(),
        username: args.username.clone(),
    };
    let adopted = operations::adopt(&cycle, &order).await?;
    let text = match (&adopted.service, &adopted.reason) {
        (Some(service), _) => format!(
            "{}: {} ({})",
            order.key,
            adopted.username,
            if adopted.outcome == "recorded" {
                format!("recorded, {}", service.status)
            } else {
                "recorded before".to_string()
            }
        ),
        (None, reason) => format!(
            "{}: {} not adopted: {}: {}",
            order.key,
            adopted.username,
            reason.as_deref().unwrap_or("it does not fit"),
            adopted.resources.join(", ")
        ),
    };
    print(cli.output, &adopted, &text)?;
    if adopted.service.is_none() {
        return Err(CliError::Reported(ExitCode::InvalidInput));
    }
    Ok(())
}

/// The common shape of suspend, unsuspend and terminate.
async fn status_order(cli: &Cli, order: &ServiceOrder, verb: StatusOrder) -> CliResult<()> {
    let (config, cycle) = cycle(cli).await?;
    let key = service_key(&config, &order.service)?;
    let service =
        operations::status_order(&cycle, &key, verb, order.idempotency_key.as_deref()).await?;
    let text = format!("{key}: {}", service.status);
    print(cli.output, &json!({ "service": service }), &text)
}

/// `suspend`.
pub async fn suspend(cli: &Cli, order: &ServiceOrder) -> CliResult<()> {
    status_order(cli, order, StatusOrder::Suspend).await
}

/// `unsuspend`.
pub async fn unsuspend(cli: &Cli, order: &ServiceOrder) -> CliResult<()> {
    status_order(cli, order, StatusOrder::Unsuspend).await
}

/// `terminate`.
pub async fn terminate(cli: &Cli, order: &ServiceOrder) -> CliResult<()> {
    status_order(cli, order, StatusOrder::Terminate).await
}

/// `password`: a new password from the service's product rule, printed once.
pub async fn password(cli: &Cli, order: &ServiceOrder) -> CliResult<()> {
    let (config, cycle) = cycle(cli).await?;
    let key = service_key(&config, &order.service)?;
    let changed =
        operations::change_password(&cycle, &key, None, order.idempotency_key.as_deref()).await?;
    let text = match &changed.password {
        Some(password) => format!("{key}: new password: {}", password.expose_secret()),
        None => format!("{key}: password {}", operations::PASSWORD_GIVEN_BEFORE),
    };
    print(cli.output, &changed, &text)
}

/// `change-plan`.
pub async fn change_plan(cli: &Cli, args: &ChangePlanArgs) -> CliResult<()> {
    let (config, cycle) = cycle(cli).await?;
    let key = service_key(&config, &args.order.service)?;
    let service = operations::change_plan(
        &cycle,
        &key,
        &args.product,
        args.order.idempotency_key.as_deref(),
    )
    .await?;
    let text = format!("{key}: now on {}", service.product);
    print(cli.output, &json!({ "service": service }), &text)
}

/// `usage`: what the server reports now.
pub async fn usage(cli: &Cli, args: &ServiceArgs) -> CliResult<()> {
    let (config, cycle) = cycle(cli).await?;
    let key = service_key(&config, args)?;
    let usage = operations::usage(&cycle, &key).await?;
    let used = match usage.used_bytes {
        Some(_) => format!("{} used", bytes(usage.used_bytes, "unknown")),
        None => "usage not measured by the server yet".to_string(),
    };
    let text = format!(
        "{key} ({}): {used}, quota {}{}",
        usage.service.username.as_deref().unwrap_or("?"),
        bytes(usage.quota_bytes, "unlimited"),
        usage
            .percent_used
            .map(|p| format!(" ({p}% used)"))
            .unwrap_or_default(),
    );
    print(cli.output, &usage, &text)
}

/// `history`: the recorded usage by day (highest sample) and by month (average).
pub async fn history(cli: &Cli, args: &HistoryArgs) -> CliResult<()> {
    let (config, cycle) = cycle(cli).await?;
    let key = service_key(&config, &args.service)?;
    let history = operations::history(&cycle, &key, args.days, args.months, args.time_zone).await?;
    let mut text = format!(
        "{key} ({}), daily highest:\n",
        history.service.username.as_deref().unwrap_or("?")
    );
    for point in &history.daily {
        text.push_str(&format!(
            "  {}  {}\n",
            point.day,
            bytes(point.used_bytes, "-")
        ));
    }
    text.push_str("monthly average:\n");
    for point in &history.monthly {
        text.push_str(&format!(
            "  {}-{:02}  {} ({} samples)\n",
            point.year,
            point.month,
            ByteSize::new(point.average_bytes),
            point.samples
        ));
    }
    print(cli.output, &history, &text)
}

/// `policy update|standard|limited` (MinIO).
pub async fn policy(cli: &Cli, command: &PolicyCommand) -> CliResult<()> {
    let (args, decision, label) = match command {
        PolicyCommand::Update(args) => (args, None, "follows its usage"),
        PolicyCommand::Standard(args) => (
            args,
            Some(LimitOverride::Standard),
            "held on the standard policy",
        ),
        PolicyCommand::Limited(args) => (
            args,
            Some(LimitOverride::Limited),
            "held on the limited policy",
        ),
    };
    let (config, cycle) = cycle(cli).await?;
    let key = service_key(&config, args)?;
    let service = operations::set_limit_policy(&cycle, &key, decision).await?;
    let text = format!("{key}: {label}");
    print(cli.output, &json!({ "service": service }), &text)
}
