//! The orders on one service, through the ledger: create, suspend, unsuspend,
//! terminate, password, change-plan, policy; and what it used: usage, history.

use chrono::Utc;
use provision::core::ledger::{LimitOverride, ServiceKey, ServiceRecord};
use provision::core::provisioner::ServiceContext;
use provision::core::{ExposeSecret, GeneratePassword};
use serde::Serialize;
use serde_json::json;

use crate::cli::{
    ChangePlanArgs, Cli, CreateArgs, HistoryArgs, PolicyCommand, ServiceArgs, ServiceOrder,
};
use crate::context::{cycle, service_key};
use crate::error::{CliError, CliResult};
use crate::output::print;

/// A service as every order's JSON shows it.
#[derive(Serialize)]
pub(crate) struct ServiceView {
    server: String,
    service_id: String,
    client_id: String,
    product: String,
    status: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    username: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    limit_override: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_error: Option<String>,
    created_at: String,
    updated_at: String,
}

impl From<&ServiceRecord> for ServiceView {
    fn from(s: &ServiceRecord) -> Self {
        ServiceView {
            server: s.key.server.to_string(),
            service_id: s.key.service_id.clone(),
            client_id: s.client_id.clone(),
            product: s.product.clone(),
            status: s.status.code().to_string(),
            username: s.username.as_ref().map(|u| u.to_string()),
            limit_override: s.limit_override.map(|o| match o {
                LimitOverride::Standard => "standard",
                LimitOverride::Limited => "limited",
            }),
            last_error: s.last_error.clone(),
            created_at: s.created_at.to_rfc3339(),
            updated_at: s.updated_at.to_rfc3339(),
        }
    }
}

/// The service as the ledger has it now, or a not-found error naming it.
async fn recorded(
    cycle: &provision::core::cycle::BillingCycle,
    key: &ServiceKey,
) -> CliResult<ServiceRecord> {
    cycle
        .ledger()
        .service(key)
        .await?
        .ok_or_else(|| provision::core::ledger::LedgerError::UnknownService(key.clone()).into())
        .map_err(|e: provision::core::Error| e.into())
}

/// `create`: the account of a service, or the one an earlier attempt made. The
/// password is printed once, by the call that set it.
pub async fn create(cli: &Cli, args: &CreateArgs) -> CliResult<()> {
    let (config, cycle) = cycle(cli).await?;
    let key = service_key(&config, &args.service)?;
    if !config.products.contains_key(&args.product) {
        let known: Vec<&str> = config.products.keys().map(String::as_str).collect();
        return Err(CliError::Usage(format!(
            "no product {:?} in the configuration (it has: {})",
            args.product,
            known.join(", ")
        )));
    }
    let mut ctx = ServiceContext::new(args.client_id.clone(), args.service.service_id.clone());
    ctx.email = args.email.clone();
    ctx.display_name = args.display_name.clone();
    let created = cycle.create(&key.server, &ctx, &args.product).await?;
    let password = created
        .password
        .as_ref()
        .map(|p| p.expose_secret().to_string());
    let mut text = format!("username: {}\n", created.username);
    match &password {
        Some(p) => text.push_str(&format!("password: {p}\n")),
        None => text.push_str("password: (set by the first call of this order; not shown again)\n"),
    }
    if created.resumed {
        text.push_str("(an earlier attempt of this order made the account)\n");
    }
    let document = json!({
        "service": ServiceView::from(&created.service),
        "username": created.username.as_str(),
        // The one place a secret is printed: handed back once, by the call that set it.
        "password": password,
        "resumed": created.resumed,
    });
    print(cli.output, &document, &text)
}

/// The common shape of suspend, unsuspend and terminate.
async fn status_order(cli: &Cli, order: &ServiceOrder, verb: &str) -> CliResult<()> {
    let (config, cycle) = cycle(cli).await?;
    let key = service_key(&config, &order.service)?;
    let idempotency = order.idempotency_key.as_deref();
    match verb {
        "suspend" => cycle.suspend(&key, idempotency).await?,
        "unsuspend" => cycle.unsuspend(&key, idempotency).await?,
        _ => cycle.terminate(&key, idempotency).await?,
    }
    let service = recorded(&cycle, &key).await?;
    let text = format!("{key}: {}", service.status.code());
    print(
        cli.output,
        &json!({ "service": ServiceView::from(&service) }),
        &text,
    )
}

/// `suspend`.
pub async fn suspend(cli: &Cli, order: &ServiceOrder) -> CliResult<()> {
    status_order(cli, order, "suspend").await
}

/// `unsuspend`.
pub async fn unsuspend(cli: &Cli, order: &ServiceOrder) -> CliResult<()> {
    status_order(cli, order, "unsuspend").await
}

/// `terminate`.
pub async fn terminate(cli: &Cli, order: &ServiceOrder) -> CliResult<()> {
    status_order(cli, order, "terminate").await
}

/// `password`: a new password from the service's product rule, printed once.
pub async fn password(cli: &Cli, order: &ServiceOrder) -> CliResult<()> {
    let (config, cycle) = cycle(cli).await?;
    let key = service_key(&config, &order.service)?;
    let service = recorded(&cycle, &key).await?;
    let password = cycle.product(&service.product)?.password_rule.generate();
    cycle
        .change_password(&key, &password, order.idempotency_key.as_deref())
        .await?;
    let text = format!("{key}: new password: {}", password.expose_secret());
    let document = json!({
        "service": ServiceView::from(&service),
        // Handed back once, as by create: the ledger does not keep it.
        "password": password.expose_secret(),
    });
    print(cli.output, &document, &text)
}

/// `change-plan`.
pub async fn change_plan(cli: &Cli, args: &ChangePlanArgs) -> CliResult<()> {
    let (config, cycle) = cycle(cli).await?;
    let key = service_key(&config, &args.order.service)?;
    cycle
        .change_plan(&key, &args.product, args.order.idempotency_key.as_deref())
        .await?;
    let service = recorded(&cycle, &key).await?;
    let text = format!("{key}: now on {}", service.product);
    print(
        cli.output,
        &json!({ "service": ServiceView::from(&service) }),
        &text,
    )
}

/// `usage`: what the server reports now.
pub async fn usage(cli: &Cli, args: &ServiceArgs) -> CliResult<()> {
    let (config, cycle) = cycle(cli).await?;
    let key = service_key(&config, args)?;
    let service = recorded(&cycle, &key).await?;
    let username = service.username.clone().ok_or_else(|| {
        CliError::Usage(format!(
            "{key} has no account yet (status {})",
            service.status.code()
        ))
    })?;
    let usage = cycle.provider(&key.server)?.usage(&username).await?;
    let quota = cycle.product(&service.product).ok().map(|p| p.quota);
    let percent = match (quota, usage.used) {
        (Some(q), Some(used)) => q.percent_used(used),
        _ => None,
    };
    let used = match usage.used {
        Some(bytes) => format!("{bytes} used"),
        None => "usage not measured by the server yet".to_string(),
    };
    let text = format!(
        "{key} ({username}): {used}, quota {}{}",
        quota
            .map(|q| q.to_string())
            .unwrap_or_else(|| "unknown".into()),
        percent.map(|p| format!(" ({p}% used)")).unwrap_or_default(),
    );
    let document = json!({
        "service": ServiceView::from(&service),
        "used_bytes": usage.used.map(|b| b.bytes()),
        "quota_bytes": quota.and_then(|q| q.limit()).map(|b| b.bytes()),
        "percent_used": percent,
        "measured_at": usage.measured_at.map(|t| t.to_rfc3339()),
    });
    print(cli.output, &document, &text)
}

/// `history`: the recorded usage by day (highest sample) and by month (average).
pub async fn history(cli: &Cli, args: &HistoryArgs) -> CliResult<()> {
    let (config, cycle) = cycle(cli).await?;
    let key = service_key(&config, &args.service)?;
    let service = recorded(&cycle, &key).await?;
    let account = service.account().ok_or_else(|| {
        CliError::Usage(format!(
            "{key} has no account yet (status {})",
            service.status.code()
        ))
    })?;
    let now = Utc::now();
    let zone = args.time_zone;
    let daily = cycle.ledger().daily(&account, args.days, now, zone).await?;
    let monthly = cycle
        .ledger()
        .monthly(&account, args.months, now, zone)
        .await?;
    let mut text = format!("{key} ({}), daily highest:\n", account.username);
    for point in &daily {
        let used = point
            .used
            .map(|b| b.to_string())
            .unwrap_or_else(|| "-".into());
        text.push_str(&format!("  {}  {used}\n", point.day));
    }
    text.push_str("monthly average:\n");
    for point in &monthly {
        text.push_str(&format!(
            "  {}-{:02}  {} ({} samples)\n",
            point.year, point.month, point.average, point.samples
        ));
    }
    let document = json!({
        "service": ServiceView::from(&service),
        "time_zone": zone.name(),
        "daily": daily.iter().map(|p| json!({
            "day": p.day.to_string(),
            "used_bytes": p.used.map(|b| b.bytes()),
        })).collect::<Vec<_>>(),
        "monthly": monthly.iter().map(|p| json!({
            "year": p.year,
            "month": p.month,
            "average_bytes": p.average.bytes(),
            "samples": p.samples,
        })).collect::<Vec<_>>(),
    });
    print(cli.output, &document, &text)
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
    cycle.set_limit_override(&key, decision).await?;
    let service = recorded(&cycle, &key).await?;
    let text = format!("{key}: {label}");
    print(
        cli.output,
        &json!({ "service": ServiceView::from(&service) }),
        &text,
    )
}
