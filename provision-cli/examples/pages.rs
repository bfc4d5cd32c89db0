//! The customer's and the admin's pages, in three languages, and one notification
//! delivered: what an operator sees after `provision serve` with `[pages]` and
//! `[delivery]` configured.
//!
//! ```text
//! cargo run -p provision-cli --example pages
//! ```
//!
//! It starts the built-in Nextcloud mock and a webhook receiver on loopback, writes a
//! configuration for them, and runs `provision serve` in-process. Then, over HTTP as a
//! billing system would, it creates a service, fills it to 95% of its quota, mints a
//! client link in German and in Chinese and an admin link in Arabic, reads the three
//! pages, runs one admin action from the admin page, refuses an altered link, and runs a
//! sweep whose near-limit notice reaches the receiver signed. Each step that does not
//! hold ends the program with an error.

#![forbid(unsafe_code)]

use std::net::SocketAddr;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::http::HeaderMap;
use clap::Parser;
use provision::core::delivery::webhook::{signature, DELIVERY_HEADER, SIGNATURE_HEADER};
use provision::core::i18n::{format_percent, Args, Catalogue, Language};
use provision::core::{ByteSize, ExposeSecret};
use provision::nextcloud::mock::{MockNextcloud, ADMIN_USER};
use provision_cli::serve::auth::{new_token, Scope};
use provision_cli::Cli;
use serde_json::{json, Value};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

const WEBHOOK_KEY: &str = "the example's webhook key";

/// One call the webhook receiver got: its headers and its exact body.
type Received = Arc<Mutex<Vec<(HeaderMap, Bytes)>>>;

/// Fails the example with `message` unless `holds`.
fn check(holds: bool, message: impl Into<String>) -> Result<(), BoxError> {
    if holds {
        Ok(())
    } else {
        Err(message.into().into())
    }
}

/// A free port on loopback (`provision serve` is told where to listen, as an operator
/// would tell it).
fn free_address() -> Result<SocketAddr, BoxError> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?)
}

/// Records every POST to `/events` and answers 204, as a billing system's endpoint would.
async fn start_webhook_receiver() -> Result<(SocketAddr, Received), BoxError> {
    let received: Received = Arc::default();
    let store = received.clone();
    let app = axum::Router::new().route(
        "/events",
        axum::routing::post(move |headers: HeaderMap, body: Bytes| {
            let store = store.clone();
            async move {
                if let Ok(mut calls) = store.lock() {
                    calls.push((headers, body));
                }
                axum::http::StatusCode::NO_CONTENT
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let address = listener.local_addr()?;
    tokio::spawn(async move { axum::serve(listener, app).await });
    Ok((address, received))
}

fn write_file(dir: &Path, name: &str, text: &str) -> Result<String, BoxError> {
    let path = dir.join(name);
    std::fs::write(&path, text)?;
    Ok(path.display().to_string())
}

/// The HTTP service as a billing system sees it: a base address and two tokens.
struct Service {
    base: String,
    http: reqwest::Client,
    provision: String,
    admin: String,
}

impl Service {
    async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        token: &str,
        body: Option<Value>,
    ) -> Result<(u16, Value), BoxError> {
        let mut request = self
            .http
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await?;
        let status = response.status().as_u16();
        let text = response.text().await?;
        Ok((
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        ))
    }

    /// Mints a page link and returns its path (with the signed link in the query).
    async fn link(&self, role: &str, language: &str) -> Result<Value, BoxError> {
        let (status, body) = self
            .call(
                reqwest::Method::POST,
                "/v1/pages/links",
                &self.admin,
                Some(json!({"server": "cloud", "service_id": "7", "role": role,
                    "language": language, "time_zone": "Europe/Berlin"})),
            )
            .await?;
        check(
            status == 201,
            format!("minting a {role} link: {status} {body}"),
        )?;
        Ok(body)
    }

    async fn page(&self, path: &str) -> Result<(u16, String), BoxError> {
        let response = self.http.get(format!("{}{path}", self.base)).send().await?;
        Ok((response.status().as_u16(), response.text().await?))
    }
}

/// Text as the pages write it into HTML.
fn escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Reads a page and checks it is in `language`: the document's language and direction,
/// the catalogue's title of the page (`title_id`) and 95% as that language writes it.
async fn read_page(
    service: &Service,
    path: &str,
    language: Language,
    title_id: &str,
    username: &str,
) -> Result<String, BoxError> {
    let (status, html) = service.page(path).await?;
    check(status == 200, format!("GET {path}: {status}"))?;
    let direction = if language.is_right_to_left() {
        "rtl"
    } else {
        "ltr"
    };
    let root = format!("<html lang=\"{}\" dir=\"{direction}\">", language.code());
    check(html.contains(&root), format!("{path} has no {root}"))?;
    let heading = Catalogue::get().text(language, title_id, &Args::new());
    check(
        html.contains(&format!("<h1>{}</h1>", escaped(&heading))),
        format!("{path} lacks the {} title {heading:?}", language.code()),
    )?;
    let percent = format_percent(language, 95);

    check(
        html.contains(&escaped(&percent)),
        format!("{path} does not show {percent:?} used"),
    )?;
    check(
        html.contains(username),
        format!("{path} does not name {username}"),
    )?;
    println!(
        "  {:<3} {} ({direction}): \"{heading}\", {percent} used",
        language.code(),
        path.split('?').next().unwrap_or(path)
    );
    Ok(html)
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let dir = tempfile::tempdir()?;
    let nextcloud = MockNextcloud::start().await;
    let (webhook, received) = start_webhook_receiver().await?;
    println!("Nextcloud mock at {}", nextcloud.url());
    println!("webhook receiver at http://{webhook}/events");

    let config = format!(
        r#"[servers.cloud]
backend = "nextcloud"
url = "{nc_url}"
user = "{ADMIN_USER}"
password = {{ file = "{nc_password}" }}

[products.cloud]
name_rule = "nc{{client_id}}-{{random_letter_3}}"
password_rule = 16
quota = "10 GB"
notify_at = 90

[pages]
key = {{ file = "{pages_key}" }}

[delivery]
signature = "-- Example Hosting"

[delivery.webhook]
url = "http://{webhook}/events"
key = {{ file = "{webhook_key}" }}
"#,
        nc_url = nextcloud.url(),
        nc_password = write_file(
            dir.path(),
            "nextcloud.secret",
            nextcloud.admin_password().expose_secret()
        )?,
        pages_key = write_file(
            dir.path(),
            "pages.secret",
            "the example's page-link key, 32 bytes or more"
        )?,
        webhook_key = write_file(dir.path(), "webhook.secret", WEBHOOK_KEY)?,
    );
    let config_path = write_file(dir.path(), "provision.toml", &config)?;
    let (provision, provision_line) = new_token(Scope::Provision, "billing")?;
    let (admin, admin_line) = new_token(Scope::Admin, "operator")?;
    let tokens = write_file(
        dir.path(),
        "tokens",
        &format!("{provision_line}\n{admin_line}\n"),
    )?;
    let ledger = dir.path().join("ledger.sqlite").display().to_string();
    let listen = free_address()?;

    // `provision --config ... --ledger ... serve --listen ... --tokens ...`, in-process.
    let cli = Cli::try_parse_from([
        "provision",
        "--config",
        &config_path,
        "--ledger",
        &ledger,
        "serve",
        "--listen",
        &listen.to_string(),
        "--tokens",
        &tokens,
    ])?;
    let server = tokio::spawn(provision_cli::run(cli));
    let service = Service {
        base: format!("http://{listen}"),
        http: reqwest::Client::new(),
        provision: provision.expose_secret().to_string(),
        admin: admin.expose_secret().to_string(),
    };
    let mut up = false;
    for _ in 0..100 {
        if server.is_finished() {
            break;
        }
        if service.page("/healthz").await.is_ok_and(|(s, _)| s == 200) {
            up = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    check(up, "provision serve did not come up")?;
    println!("provision serve at {}", service.base);

    // The order, as a billing system places it, with the customer's language.
    let (status, created) = service
        .call(
            reqwest::Method::POST,
            "/v1/services",
            &service.provision,
            Some(
                json!({"server": "cloud", "service_id": "7", "client_id": "42",
                "product": "cloud", "email": "jo@example.com", "language": "de"}),
            ),
        )
        .await?;
    check(status == 201, format!("create: {status} {created}"))?;
    let username = created["username"]
        .as_str()
        .ok_or("create answered no username")?
        .to_string();
    println!("created {username} (10 GB)");
    let near_limit = ByteSize::new((10u64 << 30) * 95 / 100);
    check(
        nextcloud.set_used(&username, near_limit),
        "the mock has no such account",
    )?;

    println!("the pages:");
    let german = service.link("client", "de").await?;
    let german_path = german["path"].as_str().ok_or("no path")?;
    read_page(
        &service,
        german_path,
        Language::German,
        "page-client-title",
        &username,
    )
    .await?;
    let chinese = service.link("client", "zh").await?;
    read_page(
        &service,
        chinese["path"].as_str().ok_or("no path")?,
        Language::Chinese,
        "page-client-title",
        &username,
    )
    .await?;
    let arabic = service.link("admin", "ar").await?;
    let arabic_path = arabic["path"].as_str().ok_or("no path")?;
    let html = read_page(
        &service,
        arabic_path,
        Language::Arabic,
        "page-admin-title",
        &username,
    )
    .await?;
    check(
        html.contains("/pages/cloud/7/admin/suspend"),
        "the admin page offers no suspend",
    )?;

    // The admin page's suspend, posted as its form posts it.
    let admin_link = arabic["link"].as_str().ok_or("no link")?;
    let response = service
        .http
        .post(format!("{}/pages/cloud/7/admin/suspend", service.base))
        .form(&[("link", admin_link)])
        .send()
        .await?;
    let status = response.status().as_u16();
    let html = response.text().await?;
    check(
        status == 200 && html.contains("data-ok=\"true\""),
        format!("suspend from the admin page: {status}"),
    )?;
    let (_, record) = service
        .call(
            reqwest::Method::GET,
            "/v1/services/cloud/7",
            &service.admin,
            None,
        )
        .await?;
    check(
        record["service"]["status"] == "suspended",
        format!(
            "after suspend the ledger says {}",
            record["service"]["status"]
        ),
    )?;
    println!("  suspended from the admin page; the ledger agrees");
    let (status, _) = service
        .call(
            reqwest::Method::POST,
            "/v1/services/cloud/7/unsuspend",
            &service.provision,
            None,
        )
        .await?;
    check(status == 200, format!("unsuspend: {status}"))?;

    // A link altered by one character is refused; so is the client link on the admin page.
    let altered = german_path.replacen("link=", "link=A", 1);
    let (status, _) = service.page(&altered).await?;
    check(status == 403, format!("an altered link answered {status}"))?;
    let (status, _) = service
        .page(&german_path.replacen("/client?", "/admin?", 1))
        .await?;
    check(
        status == 403,
        format!("a client link on the admin page answered {status}"),
    )?;
    println!("  an altered link and a client link on the admin page: 403");

    // A sweep: the account is past notify_at = 90, so a near-limit notice is owed and
    // goes out through the webhook, signed, in the customer's language.
    let (status, started) = service
        .call(
            reqwest::Method::POST,
            "/v1/sweeps",
            &service.admin,
            Some(json!({})),
        )
        .await?;
    check(status == 202, format!("sweep: {status} {started}"))?;
    let id = started["id"].as_str().ok_or("the sweep has no id")?;
    let mut done = None;
    for _ in 0..300 {
        let (_, body) = service
            .call(
                reqwest::Method::GET,
                &format!("/v1/sweeps/{id}"),
                &service.admin,
                None,
            )
            .await?;
        if body["status"] == "done" {
            done = Some(body);
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let done = done.ok_or("the sweep did not finish")?;
    check(done["ok"] == true, format!("the sweep was not ok: {done}"))?;
    check(
        done["delivery"]["channel"] == "webhook"
            && done["delivery"]["delivered"]
                .as_array()
                .is_some_and(|d| d.len() == 1),
        format!(
            "the sweep delivered not exactly one notice: {}",
            done["delivery"]
        ),
    )?;
    let calls = received
        .lock()
        .map_err(|_| "the receiver's record is poisoned")?
        .clone();
    check(
        calls.len() == 1,
        format!("the receiver got {} calls", calls.len()),
    )?;
    let (headers, body) = &calls[0];
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    let signed = header(SIGNATURE_HEADER);
    let (timestamp, hex) = signed
        .strip_prefix("t=")
        .and_then(|rest| rest.split_once(",v1="))
        .ok_or_else(|| format!("{SIGNATURE_HEADER} is {signed:?}"))?;
    let timestamp: i64 = timestamp.parse()?;
    check(
        signature(WEBHOOK_KEY.as_bytes(), timestamp, body) == hex,
        "the webhook's signature does not verify",
    )?;
    let event: Value = serde_json::from_slice(body)?;
    check(
        event["event"] == "notify_near_limit"
            && event["language"] == "de"
            && event["username"] == username.as_str()
            && event["id"].as_i64().map(|id| id.to_string()) == Some(header(DELIVERY_HEADER)),
        format!("the notice is not the near-limit one in German: {event}"),
    )?;
    let subject = event["subject"].as_str().unwrap_or_default();
    check(!subject.is_empty(), "the notice has no subject")?;
    println!("the sweep's notice reached the webhook, signature verified:");
    println!("  {} ({}): {subject}", event["event"], event["language"]);

    server.abort();
    println!("done");
    Ok(())
}
