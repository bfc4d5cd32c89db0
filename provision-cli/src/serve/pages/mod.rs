//! The customer's and the admin's pages of one service, served by `provision serve`
//! for a billing system to put in an iframe or to fetch as a fragment.
//!
//! - `POST /v1/pages/links` (an admin token) makes a short-lived signed link
//!   ([`links`]), bound to the server, the service, the role, the language and the
//!   time zone; `provision serve link` makes one from the command line.
//! - `GET /pages/{server}/{service_id}/client|admin?link=...` renders the page
//!   (`&fragment=1`: without the `<html>` chrome). A password never travels in a URL:
//!   where the product shows it, the billing system fetches the client page with
//!   `POST /pages/{server}/{service_id}/client` and a form body of `link` and
//!   `password`; the GET page renders without it.
//! - `POST /pages/{server}/{service_id}/admin/{action}` runs one of the actions the
//!   admin page offers, with the page's link in the form body as the permission:
//!   for that service, that role, until the link expires, and only for an action
//!   the service's status allows. The link travels in the body, never in a cookie,
//!   so another site cannot make a browser send it (no ambient authority to forge);
//!   a request a browser marks as cross-site (`Sec-Fetch-Site`) is refused as well.
//!
//! Every page answer carries a strict Content-Security-Policy (nothing remote; the
//! one style and script by nonce; `frame-ancestors` from `[pages]`),
//! `X-Content-Type-Options: nosniff`, `Referrer-Policy: no-referrer` (the link in the
//! URL never leaks to the web interface or instructions a page links to) and
//! `Cache-Control: no-store`. A refused link is a page with status 403 that says why.

pub mod charts;
pub mod links;
pub mod render;

use std::sync::Arc;
use std::time::Duration;

use axum::extract::rejection::FormRejection;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Form, Json};
use base64::engine::general_purpose::STANDARD_NO_PAD;
use base64::Engine;
use chrono::Utc;
use maud::Markup;
use provision::core::config::Config;
use provision::core::i18n::Language;
use provision::core::ledger::ServiceKey;
use provision::core::views::{
    AdminAction, AdminArea, ClientArea, ConnectionStatus, ServiceFacts, UsageStatistics,
    STATISTICS_DAYS, STATISTICS_MONTHS,
};
use provision::core::{QuotaEnforcement, SecretString};
use rand::RngCore;
use secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use self::links::{LinkClaims, LinkKey, LinkRefusal, Role};
use self::render::{Frame, Shape, Texts};
use super::problem::{ApiResult, Problem};
use super::router::{ApiJson, AppState, Shared};
use crate::error::{CliError, CliResult};
use crate::operations::{self, StatusOrder};

/// The pages' settings as the service runs them: the link key read, the frame
/// ancestors checked.
#[derive(Debug)]
pub struct Pages {
    key: LinkKey,
    lifetime: Duration,
    frame_ancestors: Vec<String>,
}

impl Pages {
    /// The pages of `config`'s `[pages]` section, reading its key now; None when the
    /// section is missing (the pages are then not served).
    pub fn from_config(config: &Config) -> CliResult<Option<Arc<Pages>>> {
        let Some(pages) = &config.pages else {
            return Ok(None);
        };
        let key = pages
            .key
            .read("pages.key")
            .map_err(|e| CliError::Config(e.to_string()))?;
        Ok(Some(Arc::new(Pages {
            key: LinkKey::new(key.expose_secret().as_bytes())?,
            lifetime: pages.link_lifetime,
            frame_ancestors: pages.frame_ancestors.clone(),
        })))
    }

    /// A link for `request`, valid for its lifetime (at most the configured one).
    pub fn mint(&self, request: &LinkRequest) -> CliResult<LinkAnswer> {
        let language = match &request.language {
            Some(tag) => Language::from_tag(tag).ok_or_else(|| {
                CliError::Usage(format!("language: {tag:?} is not one of the 25 languages"))
            })?,
            None => Language::English,
        };
        let time_zone = request.time_zone.clone().unwrap_or_else(|| "UTC".into());
        if time_zone.parse::<chrono_tz::Tz>().is_err() {
            return Err(CliError::Usage(format!(
                "time_zone: {time_zone:?} is not an IANA time zone (e.g. Europe/Berlin)"
            )));
        }
        let lifetime = match request.lifetime_seconds {
            Some(0) => {
                return Err(CliError::Usage(
                    "lifetime_seconds: must be more than 0".into(),
                ))
            }
            Some(seconds) if Duration::from_secs(seconds) > self.lifetime => {
                return Err(CliError::Usage(format!(
                    "lifetime_seconds: at most {} (pages.link_lifetime)",
                    self.lifetime.as_secs()
                )))
            }
            Some(seconds) => Duration::from_secs(seconds),
            None => self.lifetime,
        };
        let expires = Utc::now() + chrono::TimeDelta::seconds(lifetime.as_secs() as i64);
        let claims = LinkClaims {
            server: request.server.clone(),
            service_id: request.service_id.clone(),
            role: request.role,
            language,
            time_zone,
            expires: expires.timestamp(),
        };
        let link = self.key.sign(&claims);
        Ok(LinkAnswer {
            path: links::page_path(&claims, &link),
            link,
            expires_at: expires.to_rfc3339(),
        })
    }
}

/// A request for a page link.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LinkRequest {
    /// The server's name in the configuration.
    #[schema(example = "cloud")]
    pub server: String,
    /// The billing system's service id.
    #[schema(example = "7")]
    pub service_id: String,
    /// `client` (the customer's page) or `admin`.
    pub role: Role,
    /// The reader's language, as a language tag (`de`, `pt-BR`, `zh-Hans`); English
    /// when missing. One of the 25 languages, or refused.
    #[serde(default)]
    pub language: Option<String>,
    /// The IANA time zone of the usage statistics (`Europe/Berlin`); UTC when missing.
    #[serde(default)]
    pub time_zone: Option<String>,
    /// How long the link works, in seconds (at most, and by default, the configured
    /// `pages.link_lifetime`).
    #[serde(default)]
    pub lifetime_seconds: Option<u64>,
}

/// A page link.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LinkAnswer {
    /// The page's path with the link, relative to this service's address (GET it, or
    /// put it in an iframe).
    pub path: String,
    /// The link token alone: the `link` field of a POST of the client page (with the
    /// password) or of an admin action.
    pub link: String,
    /// When it stops working (RFC 3339).
    pub expires_at: String,
}

/// `POST /v1/pages/links`: a signed link to a service's client or admin page.
#[utoipa::path(post, path = "/v1/pages/links", tag = "pages",
    request_body = LinkRequest,
    responses(
        (status = 201, description = "The link", body = LinkAnswer),
        (status = "4XX", description = "A problem (404: no such service, or no [pages] in the configuration)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn mint_link(
    State(app): Shared,
    ApiJson(request): ApiJson<LinkRequest>,
) -> ApiResult<(StatusCode, Json<LinkAnswer>)> {
    let Some(pages) = &app.pages else {
        return Err(Problem::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "the pages are not configured: add a [pages] section with a key",
        ));
    };
    let key = operations::service_key(&app.config, &request.server, &request.service_id)?;
    operations::recorded(&app.cycle, &key).await?;
    Ok((StatusCode::CREATED, Json(pages.mint(&request)?)))
}

/// A path segment, percent-encoded.
pub fn path_part(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, percent_encoding::NON_ALPHANUMERIC).to_string()
}

/// The query of a page.
#[derive(Debug, Deserialize)]
pub struct PageQuery {
    /// The signed link.
    #[serde(default)]
    pub link: Option<String>,
    /// `1`: a fragment without the `<html>` chrome.
    #[serde(default)]
    pub fragment: Option<String>,
}

/// The form of the client page's POST.
#[derive(Debug, Deserialize)]
pub struct ClientForm {
    /// The signed link.
    #[serde(default)]
    pub link: Option<String>,
    /// The account's password, shown when the product shows it.
    #[serde(default)]
    pub password: Option<SecretString>,
    /// `1`: a fragment.
    #[serde(default)]
    pub fragment: Option<String>,
}

/// The form of an admin action.
#[derive(Debug, Deserialize)]
pub struct ActionForm {
    /// The signed link of the admin page.
    #[serde(default)]
    pub link: Option<String>,
    /// The product of a change of plan.
    #[serde(default)]
    pub product: Option<String>,
    /// `yes` for a termination.
    #[serde(default)]
    pub confirm: Option<String>,
}

fn shape(fragment: &Option<String>) -> Shape {
    match fragment.as_deref() {
        Some("1" | "true" | "yes") => Shape::Fragment,
        _ => Shape::Document,
    }
}

fn new_nonce() -> String {
    let mut bytes = [0u8; 18];
    rand::rng().fill_bytes(&mut bytes);
    STANDARD_NO_PAD.encode(bytes)
}

/// A page answer with the pages' security headers.
fn page(
    pages: Option<&Pages>,
    status: StatusCode,
    texts: Texts,
    shape: Shape,
    title: String,
    body: Markup,
) -> Response {
    let nonce = new_nonce();
    let html = render::wrap(
        &Frame {
            texts,
            shape,
            nonce: &nonce,
            title,
        },
        body,
    );
    let mut ancestors = vec!["'self'".to_string()];
    if let Some(pages) = pages {
        ancestors.extend(pages.frame_ancestors.iter().cloned());
    }
    let policy = format!(
        "default-src 'none'; style-src 'nonce-{nonce}'; script-src 'nonce-{nonce}'; \
         img-src data:; form-action 'self'; base-uri 'none'; frame-ancestors {}",
        ancestors.join(" ")
    );
    let mut response = (status, html).into_response();
    let headers = response.headers_mut();
    let mut set = |name: header::HeaderName, value: &str| {
        if let Ok(value) = HeaderValue::from_str(value) {
            headers.insert(name, value);
        }
    };
    set(header::CONTENT_TYPE, "text/html; charset=utf-8");
    set(header::CONTENT_SECURITY_POLICY, &policy);
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(header::REFERRER_POLICY, "no-referrer");
    set(header::CACHE_CONTROL, "no-store");
    response
}

/// The language of a request without a valid link: its Accept-Language.
fn reader_language(headers: &HeaderMap) -> Texts {
    let tags = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("en");
    Texts {
        language: Language::negotiate(tags),
    }
}

fn refused_page(
    pages: Option<&Pages>,
    status: StatusCode,
    texts: Texts,
    shape: Shape,
    message: String,
) -> Response {
    let title = texts.get("page-refused-title");
    page(
        pages,
        status,
        texts,
        shape,
        title,
        render::refusal(&texts, "page-refused-title", &message),
    )
}

fn error_page(pages: Option<&Pages>, texts: Texts, shape: Shape, error: CliError) -> Response {
    let problem = Problem::from(error);
    let status = StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let title = texts.get("page-error-title");
    page(
        pages,
        status,
        texts,
        shape,
        title,
        render::refusal(&texts, "page-error-title", &problem.detail),
    )
}

/// The checked link of a request, or the refusal page.
#[allow(clippy::result_large_err)]
fn authorise<'a>(
    app: &'a AppState,
    headers: &HeaderMap,
    shape: Shape,
    link: Option<&str>,
    server: &str,
    service_id: &str,
    role: Role,
) -> Result<(&'a Pages, LinkClaims), Response> {
    let texts = reader_language(headers);
    let Some(pages) = app.pages.as_deref() else {
        return Err(refused_page(
            None,
            StatusCode::NOT_FOUND,
            texts,
            shape,
            texts.get("page-refused-not-configured"),
        ));
    };
    let refusal = match link {
        None => LinkRefusal::Malformed,
        Some(link) => match pages.key.verify(link, server, service_id, role, Utc::now()) {
            Ok(claims) => return Ok((pages, claims)),
            Err(refusal) => refusal,
        },
    };
    tracing::info!(
        refusal = refusal.code(),
        role = role.name(),
        "page link refused"
    );
    Err(refused_page(
        Some(pages),
        StatusCode::FORBIDDEN,
        texts,
        shape,
        texts.get(refusal.message_id()),
    ))
}

/// What the pages read of a service: the record, its product, its server's facts.
struct Loaded {
    key: ServiceKey,
    service: provision::core::ledger::ServiceRecord,
    backend: String,
    server_url: String,
    used: Option<provision::core::ByteSize>,
    buckets: Option<Vec<provision::core::provider::BucketInfo>>,
}

async fn load(app: &AppState, claims: &LinkClaims) -> CliResult<Loaded> {
    let key = operations::service_key(&app.config, &claims.server, &claims.service_id)?;
    let service = operations::recorded(&app.cycle, &key).await?;
    let server = app
        .config
        .servers
        .get(&claims.server)
        .ok_or_else(|| crate::context::unknown_server(&app.config, &claims.server))?;
    let provider = app.cycle.provider(&key.server)?;
    // What the server cannot say now (it is down, the account is new) is shown as
    // not measured: the page still shows the account.
    let (used, buckets) = match &service.username {
        Some(username) => {
            let used = match provider.usage(username).await {
                Ok(usage) => usage.used,
                Err(e) => {
                    tracing::warn!(error = %e, "the page's usage read failed");
                    None
                }
            };
            let buckets = if provider.capabilities().buckets {
                provider.buckets(username).await.ok()
            } else {
                None
            };
            (used, buckets)
        }
        None => (None, None),
    };
    Ok(Loaded {
        key,
        service,
        backend: server.backend.clone(),
        server_url: server.web_url.clone().unwrap_or_else(|| server.url.clone()),
        used,
        buckets,
    })
}

impl Loaded {
    fn facts<'a>(
        &'a self,
        product: &'a provision::core::provisioner::ProductConfig,
    ) -> ServiceFacts<'a> {
        ServiceFacts {
            service: &self.service,
            product,
            backend: &self.backend,
            server_url: &self.server_url,
            used: self.used,
        }
    }
}

async fn client_markup(
    app: &AppState,
    claims: &LinkClaims,
    texts: &Texts,
    password: Option<SecretString>,
) -> CliResult<Markup> {
    let loaded = load(app, claims).await?;
    let product = app.cycle.product(&loaded.service.product).await?;
    let area = ClientArea::new(loaded.facts(&product), password, loaded.buckets.as_deref());
    let statistics = match loaded.service.account() {
        Some(account) => {
            let now = Utc::now();
            let zone = claims.zone();
            let ledger = app.cycle.ledger();
            let daily = ledger.daily(&account, STATISTICS_DAYS, now, zone).await?;
            let monthly = ledger
                .monthly(&account, STATISTICS_MONTHS, now, zone)
                .await?;
            Some(UsageStatistics::new(zone, &product, &daily, &monthly))
        }
        None => None,
    };
    Ok(render::client_page(texts, &area, statistics.as_ref()))
}

async fn admin_area(app: &AppState, claims: &LinkClaims) -> CliResult<(AdminArea, ServiceKey)> {
    let loaded = load(app, claims).await?;
    let product = app.cycle.product(&loaded.service.product).await?;
    let provider = app.cycle.provider(&loaded.key.server)?;
    let connection = ConnectionStatus::from_result(&provider.test_connection().await);
    let account = match &loaded.service.username {
        Some(username) => provider.account(username).await.ok().flatten(),
        None => None,
    };
    let policy_switch = provider.capabilities().quota_enforcement == QuotaEnforcement::PolicySwitch;
    let products: Vec<String> = app
        .cycle
        .products()
        .await?
        .into_iter()
        .map(|entry| entry.name)
        .collect();
    let area = AdminArea::new(
        loaded.facts(&product),
        connection,
        account.as_ref(),
        policy_switch,
        &products,
        loaded.buckets.as_deref(),
    );
    Ok((area, loaded.key))
}

/// `GET /pages/{server}/{service_id}/client`: the client area and its statistics.
pub async fn get_client_page(
    state: Shared,
    Path((server, service_id)): Path<(String, String)>,
    Query(query): Query<PageQuery>,
    headers: HeaderMap,
) -> Response {
    get_page(state, server, service_id, Role::Client, query, headers).await
}

/// `GET /pages/{server}/{service_id}/admin`: the admin area.
pub async fn get_admin_page(
    state: Shared,
    Path((server, service_id)): Path<(String, String)>,
    Query(query): Query<PageQuery>,
    headers: HeaderMap,
) -> Response {
    get_page(state, server, service_id, Role::Admin, query, headers).await
}

async fn get_page(
    State(app): Shared,
    server: String,
    service_id: String,
    role: Role,
    query: PageQuery,
    headers: HeaderMap,
) -> Response {
    let shape = shape(&query.fragment);
    let (pages, claims) = match authorise(
        &app,
        &headers,
        shape,
        query.link.as_deref(),
        &server,
        &service_id,
        role,
    ) {
        Ok(ok) => ok,
        Err(refused) => return refused,
    };
    let texts = Texts {
        language: claims.language,
    };
    let markup = match role {
        Role::Client => client_markup(&app, &claims, &texts, None).await,
        Role::Admin => admin_area(&app, &claims).await.map(|(area, _)| {
            render::admin_page(&texts, &area, query.link.as_deref().unwrap_or(""))
        }),
    };
    let title = texts.get(match role {
        Role::Client => "page-client-title",
        Role::Admin => "page-admin-title",
    });
    match markup {
        Ok(body) => page(Some(pages), StatusCode::OK, texts, shape, title, body),
        Err(e) => error_page(Some(pages), texts, shape, e),
    }
}

/// `POST /pages/{server}/{service_id}/client`: the client page with the password
/// the billing system sends in the form body (never in a URL).
pub async fn post_client_page(
    State(app): Shared,
    Path((server, service_id)): Path<(String, String)>,
    headers: HeaderMap,
    form: Result<Form<ClientForm>, FormRejection>,
) -> Response {
    let form = match form {
        Ok(Form(form)) => form,
        Err(rejection) => {
            let texts = reader_language(&headers);
            return refused_page(
                app.pages.as_deref(),
                StatusCode::BAD_REQUEST,
                texts,
                Shape::Document,
                rejection.body_text(),
            );
        }
    };
    let shape = shape(&form.fragment);
    let (pages, claims) = match authorise(
        &app,
        &headers,
        shape,
        form.link.as_deref(),
        &server,
        &service_id,
        Role::Client,
    ) {
        Ok(ok) => ok,
        Err(refused) => return refused,
    };
    let texts = Texts {
        language: claims.language,
    };
    let title = texts.get("page-client-title");
    match client_markup(&app, &claims, &texts, form.password).await {
        Ok(body) => page(Some(pages), StatusCode::OK, texts, shape, title, body),
        Err(e) => error_page(Some(pages), texts, shape, e),
    }
}

/// `POST /pages/{server}/{service_id}/admin/{action}`: one action of the admin
/// page, with the page's link as the permission.
pub async fn post_admin_action(
    State(app): Shared,
    Path((server, service_id, action)): Path<(String, String, String)>,
    headers: HeaderMap,
    form: Result<Form<ActionForm>, FormRejection>,
) -> Response {
    let texts = reader_language(&headers);
    let pages = app.pages.as_deref();
    let form = match form {
        Ok(Form(form)) => form,
        Err(rejection) => {
            return refused_page(
                pages,
                StatusCode::BAD_REQUEST,
                texts,
                Shape::Document,
                rejection.body_text(),
            )
        }
    };
    // A browser says where a request comes from; another site's form is refused
    // even before its (unknowable) link would be.
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        if !matches!(site, "same-origin" | "none") {
            return refused_page(
                pages,
                StatusCode::FORBIDDEN,
                texts,
                Shape::Document,
                texts.get("page-refused-cross-site"),
            );
        }
    }
    let (pages, claims) = match authorise(
        &app,
        &headers,
        Shape::Document,
        form.link.as_deref(),
        &server,
        &service_id,
        Role::Admin,
    ) {
        Ok(ok) => ok,
        Err(refused) => return refused,
    };
    let texts = Texts {
        language: claims.language,
    };
    let link = form.link.clone().unwrap_or_default();
    let back = links::page_path(&claims, &link);
    let Some(action) = AdminAction::from_code(&action) else {
        return refused_page(
            Some(pages),
            StatusCode::NOT_FOUND,
            texts,
            Shape::Document,
            texts.get("page-refused-not-found"),
        );
    };
    let (area, key) = match admin_area(&app, &claims).await {
        Ok(found) => found,
        Err(e) => return error_page(Some(pages), texts, Shape::Document, e),
    };
    // The link grants exactly the actions the page offers for the service as it is.
    if !area.actions.contains(&action) {
        return refused_page(
            Some(pages),
            StatusCode::FORBIDDEN,
            texts,
            Shape::Document,
            texts.get("page-refused-action"),
        );
    }
    let outcome = run_action(&app, &key, action, &form).await.map_err(|e| {
        let problem = Problem::from(e);
        problem.detail
    });
    let status = if outcome.is_ok() {
        StatusCode::OK
    } else {
        StatusCode::CONFLICT
    };
    let title = texts.get(&format!("page-action-{}", action.code()));
    page(
        Some(pages),
        status,
        texts,
        Shape::Document,
        title,
        render::action_result(&texts, action, outcome, &back),
    )
}

async fn run_action(
    app: &AppState,
    key: &ServiceKey,
    action: AdminAction,
    form: &ActionForm,
) -> CliResult<Option<SecretString>> {
    let cycle = &app.cycle;
    match action {
        AdminAction::Suspend => operations::status_order(cycle, key, StatusOrder::Suspend, None)
            .await
            .map(|_| None),
        AdminAction::Unsuspend => {
            operations::status_order(cycle, key, StatusOrder::Unsuspend, None)
                .await
                .map(|_| None)
        }
        AdminAction::Terminate => {
            if form.confirm.as_deref() != Some("yes") {
                return Err(CliError::Usage("terminate: confirm=yes is required".into()));
            }
            operations::status_order(cycle, key, StatusOrder::Terminate, None)
                .await
                .map(|_| None)
        }
        AdminAction::ChangePassword => Ok(operations::change_password(cycle, key, None, None)
            .await?
            .password),
        AdminAction::ChangePlan => {
            let product = form
                .product
                .as_deref()
                .ok_or_else(|| CliError::Usage("change-plan: a product is required".into()))?;
            operations::change_plan(cycle, key, product, None)
                .await
                .map(|_| None)
        }
        AdminAction::UpdatePolicy
        | AdminAction::SetStandardPolicy
        | AdminAction::SetLimitedPolicy => {
            operations::set_limit_policy(cycle, key, action.limit_override())
                .await
                .map(|_| None)
        }
    }
}
