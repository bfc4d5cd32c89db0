//! The OpenAPI 3.1 document, generated from the handlers and types with utoipa. A
//! committed copy (`provision-cli/openapi.json`) is checked against it by a test;
//! `provision serve openapi > provision-cli/openapi.json` writes it anew.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::problem::Problem;
use super::router;
use super::sweeps::SweepStatus;
use crate::views;

/// The API's description.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "provision",
        description = "Provision storage accounts on Nextcloud, Synology DSM and MinIO from any billing system. \
                       Every POST takes an Idempotency-Key; errors are RFC 9457 problems (application/problem+json).",
        license(name = "MIT OR Apache-2.0")
    ),
    paths(
        router::healthz,
        router::list_servers,
        router::check_server,
        router::create_service,
        router::adopt_service,
        router::read_service,
        router::suspend_service,
        router::unsuspend_service,
        router::terminate_service,
        router::change_password,
        router::change_plan,
        router::set_policy,
        router::usage,
        router::history,
        router::start_sweep,
        router::sweep_status,
        router::list_actions,
        router::confirm_actions,
        super::pages::mint_link,
        super::products::list_products,
        super::products::read_product,
        super::products::put_product,
    ),
    components(schemas(
        Problem,
        SweepStatus,
        views::ServiceView,
        views::ErrorView,
        views::ActionView,
        views::SweepServerView,
        views::CheckView,
    )),
    modifiers(&BearerTokens),
    tags(
        (name = "servers", description = "The configured servers"),
        (name = "services", description = "Orders on services (scope provision; reads: scope read)"),
        (name = "usage", description = "What accounts use (scope read)"),
        (name = "sweeps", description = "Usage into the ledger (start: scope admin)"),
        (name = "actions", description = "The outbox of mails owed (scope admin)"),
        (name = "products", description = "The products sold (reads: scope read; defining one: scope admin)"),
        (name = "pages", description = "Signed links to a service's client and admin pages (scope admin)"),
        (name = "service", description = "The service itself"),
    )
)]
pub struct ApiDoc;

struct BearerTokens;

impl Modify for BearerTokens {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "A token from `provision serve token --scope read|provision|admin`",
                    ))
                    .build(),
            ),
        );
    }
}

/// The document as pretty JSON, with a final newline (as committed).
pub fn document_json() -> String {
    let mut text = ApiDoc::openapi()
        .to_pretty_json()
        .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    text.push('\n');
    text
}
