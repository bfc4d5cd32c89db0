//! `/v1/products`: the products the service sells, and the ones a billing system
//! defines over it (a WHMCS product's module settings). A product of the configuration
//! file is read-only here; one defined over the service lives in the ledger, so every
//! `provision` process on that ledger sells it.

use std::collections::BTreeMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::Utc;
use provision::core::config::ProductSettings;
use provision::core::cycle::ProductEntry;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::problem::{ApiResult, Problem};
use super::router::{ApiJson, Shared};

/// A product as the service sells it.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ProductView {
    /// Its name, the `product` of an order.
    pub name: String,
    /// `configuration` (the file's, read-only here) or `ledger` (defined over the
    /// service).
    pub source: String,
    /// The quota in bytes; null for unlimited.
    pub quota_bytes: Option<u64>,
    /// The unit the quota is shown in (`MB`, `GB`, `TB`, `PB`).
    pub unit: String,
    /// The percentage at which the customer is told; null for no notifications.
    pub notify_at: Option<u32>,
    /// The groups (Nextcloud, Synology) or plan the account is put in.
    pub groups: Vec<String>,
    /// How many days of usage history are kept.
    pub history_days: u32,
    /// How the client page shows the password: `button`, `plain` or `hidden`.
    pub password_display: String,
    /// The link to the customer's instructions, if any.
    pub instructions_url: Option<String>,
    /// MinIO: whether the account gets a bucket at creation (null: the server's
    /// setting).
    pub default_bucket: Option<bool>,
    /// MinIO: whether the product has its own standard and limited policy documents
    /// (false: the server's).
    pub own_policies: bool,
    /// The settings it was defined with (as `PUT` takes them), for a product defined
    /// over the service.
    #[schema(value_type = Option<Object>)]
    pub settings: Option<serde_json::Value>,
    /// When it was last defined (RFC 3339), for a product defined over the service.
    pub updated_at: Option<String>,
}

impl From<&ProductEntry> for ProductView {
    fn from(entry: &ProductEntry) -> Self {
        let config = &entry.config;
        ProductView {
            name: entry.name.clone(),
            source: entry.source.as_str().to_string(),
            quota_bytes: config.quota.limit().map(|b| b.bytes()),
            unit: config.unit.symbol().to_string(),
            notify_at: config.notify_at_percent,
            groups: config
                .groups
                .iter()
                .map(|g| g.as_str().to_string())
                .collect(),
            history_days: config.history_days,
            password_display: config.password_display.code().to_string(),
            instructions_url: config.instructions_url.clone(),
            default_bucket: config.minio.default_bucket,
            own_policies: config.minio.standard_policy.is_some()
                || config.minio.limited_policy.is_some(),
            settings: entry
                .settings
                .as_ref()
                .and_then(|s| serde_json::to_value(s).ok()),
            updated_at: entry.updated_at.map(|t| t.to_rfc3339()),
        }
    }
}

/// Every product.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ProductList {
    /// By name.
    pub products: Vec<ProductView>,
}

/// One product.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ProductAnswer {
    /// The product.
    pub product: ProductView,
}

/// A product's settings, the fields of a configuration file's `[products.NAME]` as
/// JSON. Every field is checked; an error names it (`products.NAME.notify_at`).
/// For the OpenAPI document only: the handler reads the core's own type.
#[derive(Debug, ToSchema)]
pub struct ProductSettingsBody {
    /// The user name rule, e.g. `c{client_id}s{service_id}`.
    #[schema(example = "c{client_id}s{service_id}")]
    pub name_rule: String,
    /// The password rule: a length, or `length:alphabet`.
    #[schema(value_type = String, example = "16")]
    pub password_rule: serde_json::Value,
    /// The quota: a number in `unit`, or text with its unit (`"10 GB"`); 0 is
    /// unlimited.
    #[schema(value_type = String, example = "10")]
    pub quota: serde_json::Value,
    /// `MB`, `GB` (the default), `TB` or `PB`.
    pub unit: Option<String>,
    /// The percentage at which the customer is told (0 to 100; 0 = never).
    #[schema(minimum = 0, maximum = 100)]
    pub notify_at: Option<u32>,
    /// The groups (Nextcloud, Synology) or plan the account is put in.
    pub groups: Option<Vec<String>>,
    /// How many days of usage history are kept.
    pub history_days: Option<u32>,
    /// The billing system's own merge fields the templates may use.
    pub merge_fields: Option<Vec<String>>,
    /// The notification templates.
    #[schema(value_type = Option<Object>)]
    pub templates: Option<BTreeMap<String, String>>,
    /// MinIO: `default_bucket` (boolean), `standard_policy` and `limited_policy`
    /// (policy templates as JSON text, with `{{user}}` and `{{namespace}}`; each must
    /// stay inside the account's buckets, checked by every MinIO server before the
    /// product is kept). Unset: the server's settings.
    #[schema(value_type = Option<Object>)]
    pub minio: Option<serde_json::Value>,
    /// How the client page shows the password: `button`, `plain` or `hidden`.
    pub password_display: Option<String>,
    /// An `http` or `https` link to the customer's instructions.
    pub instructions_url: Option<String>,
}

/// `GET /v1/products`.
#[utoipa::path(get, path = "/v1/products", tag = "products",
    responses(
        (status = 200, description = "Every product, by name", body = ProductList),
        (status = "4XX", description = "A problem", body = Problem, content_type = "application/problem+json"),
        (status = "5XX", description = "The ledger failed", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn list_products(State(app): Shared) -> ApiResult<Json<ProductList>> {
    let products = app.cycle.products().await?;
    Ok(Json(ProductList {
        products: products.iter().map(ProductView::from).collect(),
    }))
}

/// `GET /v1/products/{name}`.
#[utoipa::path(get, path = "/v1/products/{name}", tag = "products",
    params(("name" = String, Path)),
    responses(
        (status = 200, description = "The product", body = ProductAnswer),
        (status = "4XX", description = "A problem (404: no such product)", body = Problem, content_type = "application/problem+json"),
        (status = "5XX", description = "The ledger failed", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn read_product(
    State(app): Shared,
    Path(name): Path<String>,
) -> ApiResult<Json<ProductAnswer>> {
    let entry = app.cycle.product_entry(&name).await?;
    Ok(Json(ProductAnswer {
        product: ProductView::from(&entry),
    }))
}

/// `PUT /v1/products/{name}`: defines the product, or replaces its settings. Services
/// on it keep their account's quota and groups until their next change-plan.
#[utoipa::path(put, path = "/v1/products/{name}", tag = "products",
    request_body = ProductSettingsBody,
    params(("name" = String, Path)),
    responses(
        (status = 201, description = "Defined", body = ProductAnswer),
        (status = 200, description = "Replaced", body = ProductAnswer),
        (status = "4XX", description = "A problem (400: a setting, named; 409: a product of the configuration file)", body = Problem, content_type = "application/problem+json"),
        (status = "5XX", description = "The ledger failed", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn put_product(
    State(app): Shared,
    Path(name): Path<String>,
    ApiJson(settings): ApiJson<ProductSettings>,
) -> ApiResult<(StatusCode, Json<ProductAnswer>)> {
    let defined = app
        .cycle
        .define_product(&name, settings, Utc::now())
        .await?;
    let status = if defined.created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        Json(ProductAnswer {
            product: ProductView::from(&defined.product),
        }),
    ))
}
