//! The routes and their handlers. Every handler is a thin layer over
//! [`crate::operations`] (the same functions the command line runs), and is
//! described for the OpenAPI document by its `#[utoipa::path]`.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Path, Request, State};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::{Extension, Json};
use provision::core::config::Config;
use provision::core::cycle::BillingCycle;
use provision::core::ledger::{ActionId, LimitOverride, ServiceKey};
use provision::core::SecretString;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::idempotency::OrderKey;
use super::problem::{ApiResult, Problem};
use super::sweeps::{SweepStatus, Sweeps};
use crate::commands::servers::check_server as check_one;
use crate::commands::sweep::servers_to_sweep;
use crate::delivery::Delivery;
use crate::operations::{self, AdoptOrder, CreateOrder, StatusOrder};
use crate::views::{
    ActionView, AdoptedView, CheckView, CreatedView, HistoryView, PasswordView, ServiceAnswer,
    UsageView,
};

/// What every handler works on.
pub struct AppState {
    /// The servers and products.
    pub config: Config,
    /// The billing cycle on the ledger.
    pub cycle: Arc<BillingCycle>,
    /// The sweeps started over HTTP.
    pub sweeps: Arc<Sweeps>,
    /// The customer's and the admin's pages, when `[pages]` configures them.
    pub pages: Option<Arc<super::pages::Pages>>,
    /// What a sweep sends the pending actions through (`[delivery]`), if configured.
    pub delivery: Option<Arc<Delivery>>,
}

/// The shared state as handlers take it.
pub type Shared = State<Arc<AppState>>;

/// A JSON body whose refusal is a problem.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = Problem;

    async fn from_request(request: Request, state: &S) -> Result<Self, Problem> {
        match Json::<T>::from_request(request, state).await {
            Ok(Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => Err(json_problem(rejection)),
        }
    }
}

fn json_problem(rejection: JsonRejection) -> Problem {
    let status = rejection.status();
    let kind = if status == StatusCode::PAYLOAD_TOO_LARGE {
        "payload_too_large"
    } else {
        "invalid_input"
    };
    Problem::new(status, kind, rejection.body_text())
}

/// A query string whose refusal is a problem.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Problem> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(value)) => Ok(ApiQuery(value)),
            Err(rejection) => Err(query_problem(rejection)),
        }
    }
}

fn query_problem(rejection: QueryRejection) -> Problem {
    Problem::new(
        StatusCode::BAD_REQUEST,
        "invalid_input",
        rejection.body_text(),
    )
}

/// The key of a service in a path; a server the configuration lacks is not found.
/// (Boxed: a problem is large, and this is a plain function, not a handler.)
fn key(app: &AppState, server: &str, service_id: &str) -> Result<ServiceKey, Box<Problem>> {
    if !app.config.servers.contains_key(server) {
        return Err(Box::new(Problem::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("no server {server:?} in the configuration"),
        )));
    }
    operations::service_key(&app.config, server, service_id).map_err(|e| Box::new(Problem::from(e)))
}

fn order_key(key: &Option<Extension<OrderKey>>) -> Option<&str> {
    key.as_ref().map(|Extension(k)| k.0.as_str())
}

/// The `Idempotency-Key` header every POST takes (its description for OpenAPI).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Header)]
pub struct IdempotencyHeader {
    /// Replays the answer of an earlier request of this token with this key (a
    /// password is not replayed); 1 to 255 visible ASCII characters.
    #[param(
        rename = "Idempotency-Key",
        pattern = "^[!-~]{1,255}$",
        max_length = 255
    )]
    #[serde(rename = "Idempotency-Key")]
    pub idempotency_key: Option<String>,
}

/// A configured server.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ServerView {
    /// Its name in the configuration.
    pub name: String,
    /// Its backend.
    pub backend: String,
}

/// The configured servers.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ServersAnswer {
    /// By name.
    pub servers: Vec<ServerView>,
}

/// `GET /v1/servers`.
#[utoipa::path(get, path = "/v1/servers", tag = "servers",
    responses(
        (status = 200, description = "The configured servers", body = ServersAnswer),
        (status = "4XX", description = "A problem", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn list_servers(State(app): Shared) -> Json<ServersAnswer> {
    Json(ServersAnswer {
        servers: app
            .config
            .servers
            .iter()
            .map(|(name, entry)| ServerView {
                name: name.clone(),
                backend: entry.backend.clone(),
            })
            .collect(),
    })
}

/// `GET /v1/servers/{server}/check`: the connection, version and admin rights.
#[utoipa::path(get, path = "/v1/servers/{server}/check", tag = "servers",
    params(("server" = String, Path, description = "The server's name")),
    responses(
        (status = 200, description = "The check; `ok` false when it failed", body = CheckView),
        (status = "4XX", description = "A problem", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn check_server(
    State(app): Shared,
    Path(server): Path<String>,
) -> ApiResult<Json<CheckView>> {
    key(&app, &server, "-")?;
    let (view, _, _) = check_one(&app.config, &server).await;
    Ok(Json(view))
}

/// A create order.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateRequest {
    /// The server's name in the configuration.
    #[schema(example = "cloud")]
    pub server: String,
    /// The billing system's service id.
    #[schema(example = "7")]
    pub service_id: String,
    /// The billing system's client id.
    #[schema(example = "42")]
    pub client_id: String,
    /// The product's name in the configuration.
    #[schema(example = "cloud")]
    pub product: String,
    /// The customer's e-mail address.
    #[serde(default)]
    pub email: Option<String>,
    /// The customer's name, shown as the account's display name.
    #[serde(default)]
    pub display_name: Option<String>,
    /// The customer's language (a tag: `de`, `fr-CH`): the notifications' language.
    #[serde(default)]
    #[schema(example = "de")]
    pub language: Option<String>,
}

/// `POST /v1/services`: creates the account, or returns the one an earlier attempt
/// made (200, without the password).
#[utoipa::path(post, path = "/v1/services", tag = "services",
    request_body = CreateRequest,
    params(IdempotencyHeader),
    responses(
        (status = 201, description = "Created; the password is in this answer only", body = CreatedView),
        (status = 200, description = "Created before; no password", body = CreatedView),
        (status = "4XX", description = "A problem", body = Problem, content_type = "application/problem+json"),
        (status = "5XX", description = "A server or the ledger failed", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn create_service(
    State(app): Shared,
    ApiJson(request): ApiJson<CreateRequest>,
) -> ApiResult<(StatusCode, Json<CreatedView>)> {
    let order = CreateOrder {
        key: key(&app, &request.server, &request.service_id)?,
        client_id: request.client_id,
        product: request.product,
        email: request.email,
        display_name: request.display_name,
        language: request.language,
    };
    let created = operations::create(&app.cycle, &order).await?;
    let status = if created.password.is_some() {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(created)))
}

/// An adoption: an existing account recorded as a service's (a migration from
/// another billing module).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AdoptRequest {
    /// The server's name in the configuration.
    #[schema(example = "cloud")]
    pub server: String,
    /// The billing system's service id.
    #[schema(example = "7")]
    pub service_id: String,
    /// The billing system's client id.
    #[schema(example = "42")]
    pub client_id: String,
    /// The product's name in the configuration.
    #[schema(example = "cloud")]
    pub product: String,
    /// The existing account's name on the server.
    #[schema(example = "jo-files")]
    pub username: String,
}

/// `POST /v1/services/adopt`: records an existing account as the service's, checked on
/// the server; nothing there is changed. 201 when recorded, 200 when it was before, 422
/// with what does not fit (MinIO: buckets outside the namespace) when it is not.
#[utoipa::path(post, path = "/v1/services/adopt", tag = "services",
    request_body = AdoptRequest,
    params(IdempotencyHeader),
    responses(
        (status = 201, description = "Recorded", body = AdoptedView),
        (status = 200, description = "Recorded before; nothing changed", body = AdoptedView),
        (status = 422, description = "It does not fit: nothing recorded, nothing changed (AdoptedView); or a problem", content(
            (AdoptedView = "application/json"),
            (Problem = "application/problem+json"),
        )),
        (status = "4XX", description = "A problem", body = Problem, content_type = "application/problem+json"),
        (status = "5XX", description = "A server or the ledger failed", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn adopt_service(
    State(app): Shared,
    ApiJson(request): ApiJson<AdoptRequest>,
) -> ApiResult<(StatusCode, Json<AdoptedView>)> {
    let order = AdoptOrder {
        key: key(&app, &request.server, &request.service_id)?,
        client_id: request.client_id,
        product: request.product,
        username: request.username,
    };
    let adopted = operations::adopt(&app.cycle, &order).await?;
    let status = match adopted.outcome.as_str() {
        "recorded" => StatusCode::CREATED,
        "already_recorded" => StatusCode::OK,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    Ok((status, Json(adopted)))
}

/// `GET /v1/services/{server}/{service_id}`.
#[utoipa::path(get, path = "/v1/services/{server}/{service_id}", tag = "services",
    params(("server" = String, Path), ("service_id" = String, Path)),
    responses(
        (status = 200, description = "The service", body = ServiceAnswer),
        (status = "4XX", description = "A problem", body = Problem, content_type = "application/problem+json"),
        (status = "5XX", description = "The ledger failed", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn read_service(
    State(app): Shared,
    Path((server, service_id)): Path<(String, String)>,
) -> ApiResult<Json<ServiceAnswer>> {
    let key = key(&app, &server, &service_id)?;
    let service = operations::recorded(&app.cycle, &key).await?;
    Ok(Json(ServiceAnswer {
        service: (&service).into(),
    }))
}

async fn status_order(
    app: &AppState,
    server: &str,
    service_id: &str,
    order: StatusOrder,
    order_key: Option<&str>,
) -> ApiResult<Json<ServiceAnswer>> {
    let key = key(app, server, service_id)?;
    let service = operations::status_order(&app.cycle, &key, order, order_key).await?;
    Ok(Json(ServiceAnswer { service }))
}

macro_rules! status_route {
    ($name:ident, $path:literal, $order:expr, $what:literal) => {
        #[doc = concat!("`POST ", $path, "`: ", $what, ".")]
        #[utoipa::path(post, path = $path, tag = "services",
            params(("server" = String, Path), ("service_id" = String, Path),
                IdempotencyHeader),
            responses(
                (status = 200, description = $what, body = ServiceAnswer),
                (status = "4XX", description = "A problem", body = Problem, content_type = "application/problem+json"),
                (status = "5XX", description = "A server or the ledger failed", body = Problem, content_type = "application/problem+json"),
            ),
            security(("bearer" = []))
        )]
        pub async fn $name(
            State(app): Shared,
            Path((server, service_id)): Path<(String, String)>,
            key: Option<Extension<OrderKey>>,
        ) -> ApiResult<Json<ServiceAnswer>> {
            status_order(&app, &server, &service_id, $order, order_key(&key)).await
        }
    };
}

status_route!(
    suspend_service,
    "/v1/services/{server}/{service_id}/suspend",
    StatusOrder::Suspend,
    "Disables the account (done when suspended already)"
);
status_route!(
    unsuspend_service,
    "/v1/services/{server}/{service_id}/unsuspend",
    StatusOrder::Unsuspend,
    "Enables the account again (done when active already)"
);
status_route!(
    terminate_service,
    "/v1/services/{server}/{service_id}/terminate",
    StatusOrder::Terminate,
    "Deletes the account (done when terminated already)"
);

/// A password change: the password the billing system chose, or none for one made by
/// the product's rule.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordRequest {
    /// The new password; it must satisfy the product's password rule. Omitted (or no
    /// body at all): a new one from the rule.
    #[schema(value_type = Option<String>, format = Password)]
    pub password: Option<SecretString>,
}

/// `POST /v1/services/{server}/{service_id}/password`: the chosen password, or a new
/// one from the product's rule; in this answer only.
#[utoipa::path(post, path = "/v1/services/{server}/{service_id}/password", tag = "services",
    request_body(content = Option<PasswordRequest>, description = "Optional: without a body the product's rule makes the password"),
    params(("server" = String, Path), ("service_id" = String, Path),
        IdempotencyHeader),
    responses(
        (status = 200, description = "The new password, once", body = PasswordView),
        (status = "4XX", description = "A problem", body = Problem, content_type = "application/problem+json"),
        (status = "5XX", description = "A server or the ledger failed", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn change_password(
    State(app): Shared,
    Path((server, service_id)): Path<(String, String)>,
    order: Option<Extension<OrderKey>>,
    body: Bytes,
) -> ApiResult<Json<PasswordView>> {
    let key = key(&app, &server, &service_id)?;
    // The body is optional (the first version of this route took none), and may be null.
    let request: Option<PasswordRequest> = if body.iter().all(u8::is_ascii_whitespace) {
        None
    } else {
        serde_json::from_slice(&body).map_err(|e| {
            Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_input",
                format!("the body is not a password request: {e}"),
            )
        })?
    };
    Ok(Json(
        operations::change_password(
            &app.cycle,
            &key,
            request.and_then(|r| r.password),
            order_key(&order),
        )
        .await?,
    ))
}

/// What an administrator decides about a MinIO account's limit policy.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PolicyDecision {
    /// The policy follows the usage again (and is applied now).
    Usage,
    /// Held on the standard policy until handed back.
    Standard,
    /// Held on the limited policy until handed back.
    Limited,
}

/// A limit policy decision (MinIO).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyRequest {
    /// `usage`, `standard` or `limited`.
    pub decision: PolicyDecision,
}

/// `POST /v1/services/{server}/{service_id}/policy`: an administrator's limit
/// decision (MinIO), applied now and held across sweeps.
#[utoipa::path(post, path = "/v1/services/{server}/{service_id}/policy", tag = "services",
    request_body = PolicyRequest,
    params(("server" = String, Path), ("service_id" = String, Path),
        IdempotencyHeader),
    responses(
        (status = 200, description = "The service with its decision", body = ServiceAnswer),
        (status = "4XX", description = "A problem", body = Problem, content_type = "application/problem+json"),
        (status = "5XX", description = "A server or the ledger failed (422 where the server does not enforce quota by policy)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn set_policy(
    State(app): Shared,
    Path((server, service_id)): Path<(String, String)>,
    ApiJson(request): ApiJson<PolicyRequest>,
) -> ApiResult<Json<ServiceAnswer>> {
    let key = key(&app, &server, &service_id)?;
    let decision = match request.decision {
        PolicyDecision::Usage => None,
        PolicyDecision::Standard => Some(LimitOverride::Standard),
        PolicyDecision::Limited => Some(LimitOverride::Limited),
    };
    let service = operations::set_limit_policy(&app.cycle, &key, decision).await?;
    Ok(Json(ServiceAnswer { service }))
}

/// A plan change.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangePlanRequest {
    /// The new product's name in the configuration.
    pub product: String,
}

/// `POST /v1/services/{server}/{service_id}/change-plan`.
#[utoipa::path(post, path = "/v1/services/{server}/{service_id}/change-plan", tag = "services",
    request_body = ChangePlanRequest,
    params(("server" = String, Path), ("service_id" = String, Path),
        IdempotencyHeader),
    responses(
        (status = 200, description = "The service on its new product", body = ServiceAnswer),
        (status = "4XX", description = "A problem", body = Problem, content_type = "application/problem+json"),
        (status = "5XX", description = "A server or the ledger failed", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn change_plan(
    State(app): Shared,
    Path((server, service_id)): Path<(String, String)>,
    order: Option<Extension<OrderKey>>,
    ApiJson(request): ApiJson<ChangePlanRequest>,
) -> ApiResult<Json<ServiceAnswer>> {
    let key = key(&app, &server, &service_id)?;
    let service =
        operations::change_plan(&app.cycle, &key, &request.product, order_key(&order)).await?;
    Ok(Json(ServiceAnswer { service }))
}

/// `GET /v1/services/{server}/{service_id}/usage`: read from the server now.
#[utoipa::path(get, path = "/v1/services/{server}/{service_id}/usage", tag = "usage",
    params(("server" = String, Path), ("service_id" = String, Path)),
    responses(
        (status = 200, description = "What the account uses", body = UsageView),
        (status = "4XX", description = "A problem", body = Problem, content_type = "application/problem+json"),
        (status = "5XX", description = "A server or the ledger failed", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn usage(
    State(app): Shared,
    Path((server, service_id)): Path<(String, String)>,
) -> ApiResult<Json<UsageView>> {
    let key = key(&app, &server, &service_id)?;
    Ok(Json(operations::usage(&app.cycle, &key).await?))
}

/// The span of a history.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct HistoryQuery {
    /// How many days back (1 to 366; 30 by default).
    #[param(minimum = 1, maximum = 366)]
    pub days: Option<u32>,
    /// How many months back (1 to 120; 12 by default).
    #[param(minimum = 1, maximum = 120)]
    pub months: Option<u32>,
    /// The IANA time zone whose days and months the series follow (UTC by default).
    pub time_zone: Option<String>,
}

/// `GET /v1/services/{server}/{service_id}/history`: the recorded usage.
#[utoipa::path(get, path = "/v1/services/{server}/{service_id}/history", tag = "usage",
    params(("server" = String, Path), ("service_id" = String, Path), HistoryQuery),
    responses(
        (status = 200, description = "Daily highest and monthly average", body = HistoryView),
        (status = "4XX", description = "A problem", body = Problem, content_type = "application/problem+json"),
        (status = "5XX", description = "The ledger failed", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn history(
    State(app): Shared,
    Path((server, service_id)): Path<(String, String)>,
    ApiQuery(query): ApiQuery<HistoryQuery>,
) -> ApiResult<Json<HistoryView>> {
    let key = key(&app, &server, &service_id)?;
    let days = query.days.unwrap_or(30);
    let months = query.months.unwrap_or(12);
    if !(1..=366).contains(&days) || !(1..=120).contains(&months) {
        return Err(Problem::new(
            StatusCode::BAD_REQUEST,
            "invalid_input",
            "days is 1 to 366 and months 1 to 120",
        ));
    }
    let zone: chrono_tz::Tz = match query.time_zone.as_deref() {
        None => chrono_tz::UTC,
        Some(name) => name.parse().map_err(|_| {
            Problem::new(
                StatusCode::BAD_REQUEST,
                "invalid_input",
                format!("{name:?} is not an IANA time zone"),
            )
        })?,
    };
    Ok(Json(
        operations::history(&app.cycle, &key, days, months, zone).await?,
    ))
}

/// A sweep to start.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SweepRequest {
    /// Only this server; every server when omitted.
    #[serde(default)]
    pub server: Option<String>,
}

/// `POST /v1/sweeps`: starts a sweep in the background.
#[utoipa::path(post, path = "/v1/sweeps", tag = "sweeps",
    request_body = SweepRequest,
    params(IdempotencyHeader),
    responses(
        (status = 202, description = "Started; follow it at /v1/sweeps/{id}", body = SweepStatus),
        (status = "4XX", description = "A problem (409: a sweep is running)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn start_sweep(
    State(app): Shared,
    ApiJson(request): ApiJson<SweepRequest>,
) -> ApiResult<(StatusCode, Json<SweepStatus>)> {
    if let Some(server) = &request.server {
        key(&app, server, "-")?;
    }
    let servers = servers_to_sweep(&app.config, request.server.as_deref())?;
    match app
        .sweeps
        .start(Arc::clone(&app.cycle), servers, app.delivery.clone())
    {
        Ok(status) => Ok((StatusCode::ACCEPTED, Json(status))),
        Err(running) => Err(Problem::new(
            StatusCode::CONFLICT,
            "sweep_running",
            format!(
                "sweep {} is running; follow it at /v1/sweeps/{}",
                running.0, running.0
            ),
        )),
    }
}

/// `GET /v1/sweeps/{id}`.
#[utoipa::path(get, path = "/v1/sweeps/{id}", tag = "sweeps",
    params(("id" = String, Path, description = "The id its start answered")),
    responses(
        (status = 200, description = "Running or done, with each server's result", body = SweepStatus),
        (status = "4XX", description = "A problem", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn sweep_status(
    State(app): Shared,
    Path(id): Path<String>,
) -> ApiResult<Json<SweepStatus>> {
    app.sweeps.status(&id).map(Json).ok_or_else(|| {
        Problem::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("no sweep {id:?} in this process"),
        )
    })
}

/// Which actions to hand out.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ActionsQuery {
    /// At most this many (1 to 1000; 100 by default).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<u32>,
    /// Hold them this many seconds for this consumer (0 to 86400; 0 by default:
    /// they stay free for others).
    #[param(minimum = 0, maximum = 86400)]
    pub lease_seconds: Option<u64>,
}

/// The pending actions.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ActionsAnswer {
    /// Oldest first.
    pub pending_actions: Vec<ActionView>,
}

/// `GET /v1/actions`: the actions owed to customers, oldest first.
#[utoipa::path(get, path = "/v1/actions", tag = "actions",
    params(ActionsQuery),
    responses(
        (status = 200, description = "The pending actions", body = ActionsAnswer),
        (status = "4XX", description = "A problem", body = Problem, content_type = "application/problem+json"),
        (status = "5XX", description = "The ledger failed", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn list_actions(
    State(app): Shared,
    ApiQuery(query): ApiQuery<ActionsQuery>,
) -> ApiResult<Json<ActionsAnswer>> {
    let limit = query.limit.unwrap_or(100);
    let lease = query.lease_seconds.unwrap_or(0);
    if !(1..=1000).contains(&limit) || lease > 86_400 {
        return Err(Problem::new(
            StatusCode::BAD_REQUEST,
            "invalid_input",
            "limit is 1 to 1000 and lease_seconds 0 to 86400",
        ));
    }
    let pending = app
        .cycle
        .pending_actions(limit, Duration::from_secs(lease))
        .await?;
    Ok(Json(ActionsAnswer {
        pending_actions: pending.iter().map(ActionView::from).collect(),
    }))
}

/// Actions carried out.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConfirmRequest {
    /// Their ids (1 to 1000).
    #[schema(min_items = 1, max_items = 1000)]
    pub ids: Vec<i64>,
}

/// What a confirmation did.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ConfirmAnswer {
    /// How many ids were sent.
    pub requested: usize,
    /// How many of them exist (and are now confirmed).
    pub confirmed: u64,
}

/// `POST /v1/actions/confirm`: marks actions carried out (the mails went out).
#[utoipa::path(post, path = "/v1/actions/confirm", tag = "actions",
    request_body = ConfirmRequest,
    params(IdempotencyHeader),
    responses(
        (status = 200, description = "How many were confirmed", body = ConfirmAnswer),
        (status = "4XX", description = "A problem", body = Problem, content_type = "application/problem+json"),
        (status = "5XX", description = "The ledger failed", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn confirm_actions(
    State(app): Shared,
    ApiJson(request): ApiJson<ConfirmRequest>,
) -> ApiResult<Json<ConfirmAnswer>> {
    if request.ids.is_empty() || request.ids.len() > 1000 {
        return Err(Problem::new(
            StatusCode::BAD_REQUEST,
            "invalid_input",
            "send 1 to 1000 ids",
        ));
    }
    let ids: Vec<ActionId> = request.ids.iter().copied().map(ActionId).collect();
    let confirmed = app.cycle.confirm_many(&ids).await?;
    Ok(Json(ConfirmAnswer {
        requested: ids.len(),
        confirmed,
    }))
}

/// Whether the service runs.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Health {
    /// Always `ok`.
    pub status: String,
}

/// `GET /healthz`: the process answers (no token needed).
#[utoipa::path(get, path = "/healthz", tag = "service",
    responses((status = 200, description = "The service runs", body = Health))
)]
pub async fn healthz() -> Json<Health> {
    Json(Health {
        status: "ok".into(),
    })
}
