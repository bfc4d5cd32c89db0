//! The orders and reads on one service, as functions of a configuration and a
//! billing cycle that return the views of [`crate::views`]: the command line prints
//! them, `provision serve` answers with them.

use chrono::Utc;
use provision::core::config::Config;
use provision::core::cycle::{Adopted, BillingCycle};
use provision::core::error::InputError;
use provision::core::i18n::Language;
use provision::core::ledger::{LedgerError, LimitOverride, ServiceKey, ServiceRecord};
use provision::core::provisioner::ServiceContext;
use provision::core::{ExposeSecret, GeneratePassword, SecretString, Username};

use crate::context::unknown_server;
use crate::error::{CliError, CliResult};
use crate::views::{
    AdoptedView, CreatedView, DailyView, HistoryView, MonthlyView, PasswordView, ServiceView,
    UsageView,
};

/// What a create names.
#[derive(Debug, Clone)]
pub struct CreateOrder {
    /// The service.
    pub key: ServiceKey,
    /// The billing system's client id.
    pub client_id: String,
    /// The product's name in the configuration.
    pub product: String,
    /// The customer's e-mail address.
    pub email: Option<String>,
    /// The customer's name.
    pub display_name: Option<String>,
    /// The customer's language as a tag: the notifications' language.
    pub language: Option<String>,
}

/// What an adoption names: the service to record and the existing account.
#[derive(Debug, Clone)]
pub struct AdoptOrder {
    /// The service.
    pub key: ServiceKey,
    /// The billing system's client id.
    pub client_id: String,
    /// The product's name in the configuration.
    pub product: String,
    /// The existing account's name on the server.
    pub username: String,
}

/// The status orders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusOrder {
    /// Disable the account.
    Suspend,
    /// Enable it again.
    Unsuspend,
    /// Delete it.
    Terminate,
}

/// What a null password in an answer means when the order was done before.
pub const PASSWORD_GIVEN_BEFORE: &str =
    "set by the first call of this order, which handed it out; not shown again";

/// The error for a product name neither the configuration nor the ledger has.
pub async fn check_product(cycle: &BillingCycle, product: &str) -> CliResult<()> {
    if cycle.find_product(product).await?.is_some() {
        return Ok(());
    }
    let known: Vec<String> = cycle
        .products()
        .await?
        .into_iter()
        .map(|p| p.name)
        .collect();
    Err(CliError::Usage(format!(
        "no product {product:?} in the configuration or defined over the service (there are: {})",
        known.join(", ")
    )))
}

/// The key of a service of a configured server.
pub fn service_key(config: &Config, server: &str, service_id: &str) -> CliResult<ServiceKey> {
    if !config.servers.contains_key(server) {
        return Err(unknown_server(config, server));
    }
    Ok(ServiceKey::new(
        provision::core::ledger::ServerId::new(server)?,
        service_id.to_string(),
    ))
}

/// The service as the ledger has it now, or a not-found error naming it.
pub async fn recorded(cycle: &BillingCycle, key: &ServiceKey) -> CliResult<ServiceRecord> {
    match cycle.ledger().service(key).await? {
        Some(service) => Ok(service),
        None => Err(provision::core::Error::from(LedgerError::UnknownService(key.clone())).into()),
    }
}

/// Creates the service's account, or returns the one an earlier attempt made; the
/// password only in the answer of the call that set it.
pub async fn create(cycle: &BillingCycle, order: &CreateOrder) -> CliResult<CreatedView> {
    check_product(cycle, &order.product).await?;
    if let Some(tag) = &order.language {
        if Language::from_tag(tag).is_none() {
            let codes: Vec<&str> = Language::ALL.iter().map(|l| l.code()).collect();
            return Err(CliError::Usage(format!(
                "language {tag:?} is not one of the notifications' languages ({})",
                codes.join(", ")
            )));
        }
    }
    let mut ctx = ServiceContext::new(order.client_id.clone(), order.key.service_id.clone());
    ctx.email = order.email.clone();
    ctx.display_name = order.display_name.clone();
    ctx.language = order.language.clone();
    let created = cycle
        .create(&order.key.server, &ctx, &order.product)
        .await?;
    Ok(CreatedView {
        service: ServiceView::from(&created.service),
        username: created.username.as_str().to_string(),
        password_note: created
            .password
            .is_none()
            .then(|| PASSWORD_GIVEN_BEFORE.to_string()),
        password: created.password,
        resumed: created.resumed,
    })
}

/// Records an existing account as the service's, checked on the server and changing
/// nothing there; an account that does not fit is reported, not recorded.
pub async fn adopt(cycle: &BillingCycle, order: &AdoptOrder) -> CliResult<AdoptedView> {
    check_product(cycle, &order.product).await?;
    let username = Username::new(order.username.as_str()).map_err(provision::core::Error::from)?;
    let ctx = ServiceContext::new(order.client_id.clone(), order.key.service_id.clone());
    let adopted = cycle
        .adopt(&order.key.server, &ctx, &order.product, &username)
        .await?;
    let name = username.as_str().to_string();
    Ok(match adopted {
        Adopted::Recorded { service, .. } => AdoptedView {
            outcome: "recorded".into(),
            username: name,
            service: Some(ServiceView::from(&service)),
            reason: None,
            resources: Vec::new(),
        },
        Adopted::AlreadyRecorded { service } => AdoptedView {
            outcome: "already_recorded".into(),
            username: name,
            service: Some(ServiceView::from(&service)),
            reason: None,
            resources: Vec::new(),
        },
        Adopted::DoesNotFit {
            reason, resources, ..
        } => AdoptedView {
            outcome: "does_not_fit".into(),
            username: name,
            service: None,
            reason: Some(reason),
            resources,
        },
        // A new outcome of core's, unknown to this build: say so rather than guess.
        other => {
            return Err(provision::core::Error::Unsupported(format!(
                "this build does not know the adoption outcome {other:?}"
            ))
            .into())
        }
    })
}

/// Suspends, unsuspends or terminates the service.
pub async fn status_order(
    cycle: &BillingCycle,
    key: &ServiceKey,
    order: StatusOrder,
    idempotency_key: Option<&str>,
) -> CliResult<ServiceView> {
    match order {
        StatusOrder::Suspend => cycle.suspend(key, idempotency_key).await?,
        StatusOrder::Unsuspend => cycle.unsuspend(key, idempotency_key).await?,
        StatusOrder::Terminate => cycle.terminate(key, idempotency_key).await?,
    }
    Ok(ServiceView::from(&recorded(cycle, key).await?))
}

/// Sets a new password on the service's account: the one the billing system chose
/// (checked against the product's password rule before anything is sent), or one
/// made by that rule. The answer holds it once.
pub async fn change_password(
    cycle: &BillingCycle,
    key: &ServiceKey,
    chosen: Option<SecretString>,
    idempotency_key: Option<&str>,
) -> CliResult<PasswordView> {
    let service = recorded(cycle, key).await?;
    let rule = cycle.product(&service.product).await?.password_rule;
    let password = match chosen {
        Some(password) => {
            rule.check(password.expose_secret())
                .map_err(|e| provision::core::Error::Input(InputError::PasswordRule(e)))?;
            password
        }
        None => rule.generate(),
    };
    let set = cycle
        .change_password(key, &password, idempotency_key)
        .await?;
    Ok(PasswordView {
        service: ServiceView::from(&recorded(cycle, key).await?),
        // A repeated order did not set this one: the account keeps the first.
        password: set.then_some(password),
        password_note: (!set).then(|| PASSWORD_GIVEN_BEFORE.to_string()),
    })
}

/// An administrator's limit decision (MinIO): `None` hands the policy back to the
/// usage ("update policy"), `Some` holds the standard or limited policy.
pub async fn set_limit_policy(
    cycle: &BillingCycle,
    key: &ServiceKey,
    decision: Option<LimitOverride>,
) -> CliResult<ServiceView> {
    cycle.set_limit_override(key, decision).await?;
    Ok(ServiceView::from(&recorded(cycle, key).await?))
}

/// Moves the service to another product.
pub async fn change_plan(
    cycle: &BillingCycle,
    key: &ServiceKey,
    product: &str,
    idempotency_key: Option<&str>,
) -> CliResult<ServiceView> {
    check_product(cycle, product).await?;
    cycle.change_plan(key, product, idempotency_key).await?;
    Ok(ServiceView::from(&recorded(cycle, key).await?))
}

fn no_account_yet(key: &ServiceKey, service: &ServiceRecord) -> CliError {
    CliError::Usage(format!(
        "{key} has no account yet (status {})",
        service.status.code()
    ))
}

/// What the service's account uses now, read from its server.
pub async fn usage(cycle: &BillingCycle, key: &ServiceKey) -> CliResult<UsageView> {
    let service = recorded(cycle, key).await?;
    let username = service
        .username
        .clone()
        .ok_or_else(|| no_account_yet(key, &service))?;
    let usage = cycle.provider(&key.server)?.usage(&username).await?;
    let quota = cycle.product(&service.product).await.ok().map(|p| p.quota);
    let percent = match (quota, usage.used) {
        (Some(q), Some(used)) => q.percent_used(used),
        _ => None,
    };
    Ok(UsageView {
        service: ServiceView::from(&service),
        used_bytes: usage.used.map(|b| b.bytes()),
        quota_bytes: quota.and_then(|q| q.limit()).map(|b| b.bytes()),
        percent_used: percent,
        measured_at: usage.measured_at.map(|t| t.to_rfc3339()),
    })
}

/// The recorded usage by day (highest sample) and by month (average).
pub async fn history(
    cycle: &BillingCycle,
    key: &ServiceKey,
    days: u32,
    months: u32,
    zone: chrono_tz::Tz,
) -> CliResult<HistoryView> {
    let service = recorded(cycle, key).await?;
    let account = service
        .account()
        .ok_or_else(|| no_account_yet(key, &service))?;
    let now = Utc::now();
    let daily = cycle.ledger().daily(&account, days, now, zone).await?;
    let monthly = cycle.ledger().monthly(&account, months, now, zone).await?;
    Ok(HistoryView {
        service: ServiceView::from(&service),
        time_zone: zone.name().to_string(),
        daily: daily
            .iter()
            .map(|p| DailyView {
                day: p.day.to_string(),
                used_bytes: p.used.map(|b| b.bytes()),
            })
            .collect(),
        monthly: monthly
            .iter()
            .map(|p| MonthlyView {
                year: p.year,
                month: p.month,
                average_bytes: p.average.bytes(),
                samples: p.samples,
            })
            .collect(),
    })
}
