//! `provision serve`: the orders and reads over the ledger as an HTTP JSON API, for
//! billing systems in any language.
//!
//! - [`router`]: the routes; each handler calls the same [`crate::operations`] the
//!   command line runs. Described as OpenAPI 3.1 at `/openapi.json` ([`openapi`]).
//! - [`auth`]: bearer tokens (stored as SHA-256 digests) with the scopes read,
//!   provision and admin.
//! - [`idempotency`]: `Idempotency-Key` on every POST, kept in the ledger's database.
//! - [`problem`]: every error as RFC 9457 `application/problem+json`.
//! - [`metrics`]: `/metrics` for Prometheus; [`tls`]: rustls, or plain HTTP on
//!   loopback only.
//! - [`products`]: the products sold, and those a billing system defines over the
//!   service (kept in the ledger).
//! - [`sweeps`]: sweeps run in the background, their status kept in the process.
//!
//! Around every route: a request id (`x-request-id`, made when missing, sent back),
//! a JSON log line per request with it (never a header or a body: no token or
//! password reaches a log), a body limit (413), a timeout (503), and graceful
//! shutdown on SIGTERM or ctrl-c.

pub mod auth;
pub mod idempotency;
pub mod metrics;
pub mod openapi;
pub mod pages;
pub mod problem;
pub mod products;
pub mod router;
pub mod sweeps;
pub mod tls;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{MatchedPath, Request};
use axum::http::StatusCode;
use axum::middleware::{from_fn, from_fn_with_state, map_response, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::Router;
use axum_server::tls_rustls::RustlsConfig;
use axum_server::Handle;
use provision::core::cycle::BillingCycle;
use provision_core::ledger::idempotency::IdempotencyStore;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

use self::auth::{authenticate, require, Scope, Tokens};
use self::idempotency::{idempotent, Idempotency};
use self::metrics::Metrics;
use self::problem::{is_problem, Problem};
use self::router::AppState;
use crate::cli::{Cli, OutputFormat, ServeArgs, ServeCommand};
use crate::context::{load_config, open_sql_ledger};
use crate::error::{CliError, CliResult};

/// How long shutdown waits for requests in flight.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(30);

/// The service's limits.
#[derive(Debug, Clone, Copy)]
pub struct ServeOptions {
    /// How long an idempotent answer is replayed.
    pub idempotency_window: Duration,
    /// How long one request may take.
    pub request_timeout: Duration,
    /// The largest request body, in bytes.
    pub body_limit: usize,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            idempotency_window: Duration::from_secs(24 * 3600),
            request_timeout: Duration::from_secs(120),
            body_limit: 64 * 1024,
        }
    }
}

impl ServeOptions {
    /// The store's handling of keys under these limits: a claim lapses after twice
    /// the request timeout (its request is over by then, answered or not).
    pub fn idempotency(&self, store: Arc<dyn IdempotencyStore>) -> Arc<Idempotency> {
        Arc::new(Idempotency::new(
            store,
            self.idempotency_window,
            self.request_timeout * 2,
            self.body_limit,
        ))
    }
}

/// An answer of the framework's own (404, 405, a refused body, a timeout) as a
/// problem, keeping its headers (Allow, WWW-Authenticate).
async fn ensure_problem(response: Response) -> Response {
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error())
        || is_problem(&response)
        || is_routes_own_document(&response)
    {
        return response;
    }
    let (parts, _) = response.into_parts();
    let mut problem = Problem::for_status(status).into_response();
    for (name, value) in parts.headers.iter() {
        if name != axum::http::header::CONTENT_TYPE && name != axum::http::header::CONTENT_LENGTH {
            problem.headers_mut().insert(name.clone(), value.clone());
        }
    }
    problem
}

/// Whether an answer is a route's own document: a page (a refusal page stays a page)
/// or JSON (adopt's 422 "does not fit" names what does not fit). The framework's own
/// refusals are neither.
fn is_routes_own_document(response: &Response) -> bool {
    response
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html") || v.starts_with("application/json"))
}

fn request_span(request: &Request) -> tracing::Span {
    let id = request
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-");
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str())
        .unwrap_or("unmatched");
    // The path, not the URI: a query string is the caller's and stays out of logs.
    tracing::info_span!(
        "request",
        request_id = %id,
        method = %request.method(),
        route = %route,
        path = %request.uri().path(),
        token = tracing::field::Empty,
    )
}

/// The whole service: every route with its scope, and the layers around them.
pub fn router(
    app: Arc<AppState>,
    tokens: Arc<Tokens>,
    idempotency: Arc<Idempotency>,
    options: &ServeOptions,
) -> Router {
    use self::router as r;
    let read = Router::new()
        .route("/v1/servers", get(r::list_servers))
        .route("/v1/servers/{server}/check", get(r::check_server))
        .route("/v1/services/{server}/{service_id}", get(r::read_service))
        .route("/v1/services/{server}/{service_id}/usage", get(r::usage))
        .route(
            "/v1/services/{server}/{service_id}/history",
            get(r::history),
        )
        .route("/v1/sweeps/{id}", get(r::sweep_status))
        .route("/v1/products", get(products::list_products))
        .route("/v1/products/{name}", get(products::read_product))
        .route_layer(from_fn(|q: Request, n: Next| require(Scope::Read, q, n)));
    let provision = Router::new()
        .route("/v1/services", post(r::create_service))
        .route("/v1/services/adopt", post(r::adopt_service))
        .route(
            "/v1/services/{server}/{service_id}/suspend",
            post(r::suspend_service),
        )
        .route(
            "/v1/services/{server}/{service_id}/unsuspend",
            post(r::unsuspend_service),
        )
        .route(
            "/v1/services/{server}/{service_id}/terminate",
            post(r::terminate_service),
        )
        .route(
            "/v1/services/{server}/{service_id}/password",
            post(r::change_password),
        )
        .route(
            "/v1/services/{server}/{service_id}/change-plan",
            post(r::change_plan),
        )
        .route(
            "/v1/services/{server}/{service_id}/policy",
            post(r::set_policy),
        )
        .route_layer(from_fn_with_state(Arc::clone(&idempotency), idempotent))
        .route_layer(from_fn(|q: Request, n: Next| {
            require(Scope::Provision, q, n)
        }));
    let admin = Router::new()
        .route("/v1/sweeps", post(r::start_sweep))
        .route("/v1/actions", get(r::list_actions))
        .route("/v1/actions/confirm", post(r::confirm_actions))
        .route("/v1/pages/links", post(pages::mint_link))
        .route("/v1/products/{name}", put(products::put_product))
        .route_layer(from_fn_with_state(idempotency, idempotent))
        .route_layer(from_fn(|q: Request, n: Next| require(Scope::Admin, q, n)));
    // The pages carry their own permission (a signed link), not a token.
    let pages = Router::new()
        .route(
            "/pages/{server}/{service_id}/client",
            get(pages::get_client_page).post(pages::post_client_page),
        )
        .route(
            "/pages/{server}/{service_id}/admin",
            get(pages::get_admin_page),
        )
        .route(
            "/pages/{server}/{service_id}/admin/{action}",
            post(pages::post_admin_action),
        )
        .with_state(Arc::clone(&app));
    let api = read
        .merge(provision)
        .merge(admin)
        .route_layer(from_fn_with_state(tokens, authenticate))
        .with_state(app)
        .merge(pages);
    let metrics = Arc::new(Metrics::default());
    Router::new()
        .route("/healthz", get(r::healthz))
        .route(
            "/openapi.json",
            get(|| async {
                (
                    [(axum::http::header::CONTENT_TYPE, "application/json")],
                    openapi::document_json(),
                )
            }),
        )
        .route(
            "/metrics",
            get(metrics::serve).with_state(Arc::clone(&metrics)),
        )
        .merge(api)
        .fallback(|| async { Problem::for_status(StatusCode::NOT_FOUND) })
        // Innermost first: the body limit and the timeout, answers made problems,
        // the counters, the log line with the request id.
        .layer(RequestBodyLimitLayer::new(options.body_limit))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            options.request_timeout,
        ))
        .layer(map_response(ensure_problem))
        .layer(from_fn_with_state(metrics, metrics::record))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(request_span)
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
}

/// A service listening, until [`Running::shutdown`].
pub struct Running {
    /// Where it listens.
    pub address: SocketAddr,
    handle: Handle,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Running {
    /// Stops taking connections and waits (up to a grace period) for the requests
    /// in flight.
    pub async fn shutdown(self) -> std::io::Result<()> {
        self.handle.graceful_shutdown(Some(SHUTDOWN_GRACE));
        match self.task.await {
            Ok(result) => result,
            Err(e) => Err(std::io::Error::other(e)),
        }
    }
}

/// Serves `router` on `listener`, with TLS when given.
pub fn spawn(
    listener: std::net::TcpListener,
    router: Router,
    tls: Option<RustlsConfig>,
) -> std::io::Result<Running> {
    listener.set_nonblocking(true)?;
    let address = listener.local_addr()?;
    let handle = Handle::new();
    let service = router.into_make_service();
    let task = match tls {
        Some(config) => tokio::spawn(
            axum_server::from_tcp_rustls(listener, config)
                .handle(handle.clone())
                .serve(service),
        ),
        None => tokio::spawn(
            axum_server::from_tcp(listener)
                .handle(handle.clone())
                .serve(service),
        ),
    };
    Ok(Running {
        address,
        handle,
        task,
    })
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut terminate) => {
                tokio::select! {
                    _ = ctrl_c => {}
                    _ = terminate.recv() => {}
                }
            }
            Err(_) => {
                let _ = ctrl_c.await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = ctrl_c.await;
    }
}

/// `provision serve [token|openapi]`.
pub async fn command(cli: &Cli, args: &ServeArgs) -> CliResult<()> {
    match &args.command {
        Some(ServeCommand::Token { scope, name }) => print_token(cli.output, *scope, name),
        Some(ServeCommand::Openapi) => {
            print!("{}", openapi::document_json());
            Ok(())
        }
        Some(ServeCommand::Link(link)) => print_link(cli, link),
        None => serve(cli, args).await,
    }
}

/// Prints a new token: the tokens-file line on standard output (so that `>>` appends
/// it), the token itself once on standard error; both in one JSON document with
/// `--output json`.
fn print_token(format: OutputFormat, scope: Scope, name: &str) -> CliResult<()> {
    use secrecy::ExposeSecret;
    let (token, line) = auth::new_token(scope, name)?;
    match format {
        OutputFormat::Text => {
            eprintln!(
                "token (shown once; give it to the billing system, keep it secret):\n{}",
                token.expose_secret()
            );
            println!("{line}");
        }
        OutputFormat::Json => println!(
            "{}",
            serde_json::json!({
                "token": token.expose_secret(),
                "line": line,
                "scope": scope.name(),
                "name": name,
            })
        ),
    }
    Ok(())
}

/// Prints a page link made with the configuration's `[pages]` key: the path (with
/// the link) on standard output, or the whole answer with `--output json`.
fn print_link(cli: &Cli, args: &crate::cli::LinkArgs) -> CliResult<()> {
    let config = load_config(cli.config.as_deref())?;
    let pages = pages::Pages::from_config(&config)?.ok_or_else(|| {
        CliError::Config("the configuration has no [pages] section with a key".into())
    })?;
    crate::operations::service_key(&config, &args.server, &args.service_id)?;
    let answer = pages.mint(&pages::LinkRequest {
        server: args.server.clone(),
        service_id: args.service_id.clone(),
        role: args.role,
        language: args.language.clone(),
        time_zone: args.time_zone.clone(),
        lifetime_seconds: args.lifetime.map(|d| d.as_secs()),
    })?;
    match cli.output {
        OutputFormat::Text => println!("{}", answer.path),
        OutputFormat::Json => println!(
            "{}",
            serde_json::to_string(&answer).map_err(|e| CliError::Usage(e.to_string()))?
        ),
    }
    Ok(())
}

async fn serve(cli: &Cli, args: &ServeArgs) -> CliResult<()> {
    let tls = match (&args.tls_cert, &args.tls_key) {
        (Some(cert), Some(key)) => Some(tls::load(cert, key)?),
        _ => {
            tls::check_plain_listen(args.listen, args.behind_proxy)?;
            None
        }
    };
    let path = args.tokens.as_deref().ok_or_else(|| {
        CliError::Config(
            "no tokens file: give --tokens FILE or set PROVISION_TOKENS (make one with \
             `provision serve token --scope provision`)"
                .into(),
        )
    })?;
    let tokens = Tokens::load(path)?;
    if tokens.is_empty() {
        return Err(CliError::Config(format!(
            "the tokens file {} lists no token",
            path.display()
        )));
    }
    let config = load_config(cli.config.as_deref())?;
    let ledger = open_sql_ledger(&cli.ledger).await?;
    let cycle = BillingCycle::from_config(ledger.clone(), &config, provision::build_provider)
        .await?
        .with_lock_timing(cli.lock_ttl, cli.lock_wait);
    // What a crashed process left is settled before new orders come in.
    let recovery = cycle.recover().await?;
    tracing::info!(
        undone = recovery.undone.len(),
        finished = recovery.finished.len(),
        failed = recovery.failed.len(),
        "recovered interrupted operations"
    );
    let options = ServeOptions {
        idempotency_window: args.idempotency_window,
        request_timeout: args.request_timeout,
        body_limit: args.body_limit,
    };
    let idempotency = options.idempotency(ledger);
    let purger = idempotency.spawn_purger();
    let pages = pages::Pages::from_config(&config)?;
    let delivery = crate::delivery::Delivery::from_config(&config)?.map(Arc::new);
    let app = Arc::new(AppState {
        config,
        cycle: Arc::new(cycle),
        sweeps: Arc::default(),
        pages,
        delivery,
    });
    let listener = std::net::TcpListener::bind(args.listen)?;
    let running = spawn(
        listener,
        router(app, Arc::new(tokens), idempotency, &options),
        tls.clone(),
    )?;
    tracing::info!(
        address = %running.address,
        tls = tls.is_some(),
        tokens = args.tokens.as_ref().map(|p| p.display().to_string()),
        "serving"
    );
    shutdown_signal().await;
    tracing::info!("shutting down: finishing the requests in flight");
    running.shutdown().await?;
    purger.abort();
    Ok(())
}
