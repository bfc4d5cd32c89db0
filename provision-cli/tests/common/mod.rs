//! The harness of the HTTP service's tests: the three in-process mocks, a
//! configuration and ledger for them, the service on 127.0.0.1:0 and a token of
//! each scope.
// Each test binary uses its own part of the harness.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::Arc;

use provision::core::cycle::BillingCycle;
use provision::core::ledger::{Ledger, SqlLedger};
use provision::core::ExposeSecret;
use provision::minio::mock::MockMinio;
use provision::nextcloud::mock::{MockNextcloud, ADMIN_USER as NEXTCLOUD_ADMIN};
use provision::synology::mock::MockSynology;
use provision_cli::serve::auth::{new_token, Scope, Tokens};
use provision_cli::serve::router::AppState;
use provision_cli::serve::{self, Running, ServeOptions};
use reqwest::StatusCode;
use serde_json::{json, Value};

/// The mocks, the service and a token of each scope.
pub struct Harness {
    pub nextcloud: MockNextcloud,
    _synology: MockSynology,
    pub minio: MockMinio,
    pub running: Option<Running>,
    pub base: String,
    pub http: reqwest::Client,
    pub read: String,
    pub provision: String,
    pub admin: String,
    /// The second provision token (another caller).
    pub other: String,
    /// The ledger the service runs on.
    pub ledger: Arc<SqlLedger>,
    /// The key that signs page links (`[pages]`).
    pub pages_key: Vec<u8>,
    _dir: tempfile::TempDir,
}

pub fn write_secret(dir: &Path, name: &str, secret: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, secret).unwrap();
    path
}

impl Harness {
    pub async fn start() -> Harness {
        Harness::start_with(ServeOptions::default()).await
    }

    pub async fn start_with(options: ServeOptions) -> Harness {
        Harness::start_configured(options, "").await
    }

    /// A harness whose configuration ends with `extra` (TOML).
    pub async fn start_configured(options: ServeOptions, extra: &str) -> Harness {
        let dir = tempfile::tempdir().unwrap();
        let nextcloud = MockNextcloud::start().await;
        let synology = MockSynology::start().await;
        let minio = MockMinio::start().await;
        synology.add_group("storage-10g", "10 GB".parse().unwrap());
        synology.add_group("storage-20g", "20 GB".parse().unwrap());
        let nc_password = write_secret(
            dir.path(),
            "nextcloud",
            nextcloud.admin_password().expose_secret(),
        );
        let syn_password = write_secret(
            dir.path(),
            "synology",
            synology.admin_password().expose_secret(),
        );
        let minio_password = write_secret(dir.path(), "minio", minio.secret_key().expose_secret());
        let pages_key = b"the pages' test key, 32 bytes or more".to_vec();
        let pages_key_file = write_secret(
            dir.path(),
            "pages",
            std::str::from_utf8(&pages_key).unwrap(),
        );
        let config = format!(
            r#"
[servers.cloud]
backend = "nextcloud"
url = "{nc_url}"
user = "{nc_user}"
password = {{ file = "{nc_password}" }}

[servers.nas]
backend = "synology"
url = "{syn_url}"
user = "{syn_user}"
password = {{ file = "{syn_password}" }}

[servers.s3]
backend = "minio"
url = "{minio_url}"
user = "{minio_user}"
password = {{ file = "{minio_password}" }}

[pages]
key = {{ file = "{pages_key_file}" }}
frame_ancestors = ["https://billing.example.com"]

[products.cloud]
name_rule = "nc{{client_id}}-{{random_letter_3}}"
password_rule = 16
quota = "10 GB"
notify_at = 90
instructions_url = "https://example.com/help/storage"

[products.cloud-plain]
name_rule = "np{{client_id}}-{{random_letter_3}}"
password_rule = 16
quota = "10 GB"
password_display = "plain"

[products.cloud-hidden]
name_rule = "nh{{client_id}}-{{random_letter_3}}"
password_rule = 16
quota = 0
password_display = "hidden"

[products.cloud-bigger]
name_rule = "nc{{client_id}}-{{random_letter_3}}"
password_rule = 16
quota = "20 GB"

[products.nas]
name_rule = "syn{{client_id}}-{{random_digit_4}}"
password_rule = 16
quota = "10 GB"
groups = ["storage-10g"]

[products.nas-bigger]
name_rule = "syn{{client_id}}-{{random_digit_4}}"
password_rule = 16
quota = "20 GB"
groups = ["storage-20g"]

[products.s3]
name_rule = "s3-{{client_id}}-{{random_letter_4}}"
password_rule = 24
quota = "10 GB"

[products.s3-bigger]
name_rule = "s3-{{client_id}}-{{random_letter_4}}"
password_rule = 24
quota = "20 GB"
"#,
            nc_url = nextcloud.url(),
            nc_user = NEXTCLOUD_ADMIN,
            nc_password = nc_password.display(),
            syn_url = synology.url(),
            syn_user = MockSynology::ADMIN_ACCOUNT,
            syn_password = syn_password.display(),
            minio_url = minio.url(),
            minio_user = minio.access_key(),
            minio_password = minio_password.display(),
            pages_key_file = pages_key_file.display(),
        );
        let config =
            provision::core::config::Config::from_toml(&format!("{config}{extra}")).unwrap();
        let ledger = Arc::new(
            SqlLedger::sqlite(dir.path().join("ledger.sqlite"))
                .await
                .unwrap(),
        );
        let cycle = BillingCycle::from_config(
            ledger.clone() as Arc<dyn Ledger>,
            &config,
            provision::build_provider,
        )
        .await
        .unwrap();
        let mut lines = String::new();
        let mut token = |scope, name: &str| {
            let (token, line) = new_token(scope, name).unwrap();
            lines.push_str(&line);
            lines.push('\n');
            token.expose_secret().to_string()
        };
        let read = token(Scope::Read, "reader");
        let provision = token(Scope::Provision, "billing");
        let admin = token(Scope::Admin, "operator");
        let other = token(Scope::Provision, "billing-two");
        let tokens = Tokens::parse(&lines).unwrap();
        let pages = provision_cli::serve::pages::Pages::from_config(&config).unwrap();
        let delivery = provision_cli::delivery::Delivery::from_config(&config)
            .unwrap()
            .map(Arc::new);
        let app = Arc::new(AppState {
            config,
            cycle: Arc::new(cycle),
            sweeps: Arc::default(),
            pages,
            delivery,
        });
        let idempotency = options.idempotency(ledger.clone());
        let router = serve::router(app, Arc::new(tokens), idempotency, &options);
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let running = serve::spawn(listener, router, None).unwrap();
        let base = format!("http://{}", running.address);
        Harness {
            nextcloud,
            _synology: synology,
            minio,
            running: Some(running),
            base,
            http: reqwest::Client::new(),
            read,
            provision,
            admin,
            other,
            pages_key,
            ledger,
            _dir: dir,
        }
    }

    pub async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        key: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, reqwest::header::HeaderMap, Value) {
        let mut request = self.http.request(method, format!("{}{path}", self.base));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(key) = key {
            request = request.header("Idempotency-Key", key);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let text = response.text().await.unwrap();
        let value = serde_json::from_str(&text).unwrap_or(Value::String(text));
        (status, headers, value)
    }

    pub async fn get(&self, path: &str, token: &str) -> (StatusCode, Value) {
        let (status, _, body) = self
            .call(reqwest::Method::GET, path, Some(token), None, None)
            .await;
        (status, body)
    }

    pub async fn post(&self, path: &str, token: &str, body: Value) -> (StatusCode, Value) {
        let (status, _, body) = self
            .call(reqwest::Method::POST, path, Some(token), None, Some(body))
            .await;
        (status, body)
    }

    pub async fn create(&self, server: &str, service: &str, client: &str) -> Value {
        let (status, body) = self
            .post(
                "/v1/services",
                &self.provision,
                json!({"server": server, "service_id": service, "client_id": client, "product": server}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        body
    }
}

impl Harness {
    /// Records one usage sample of `username` on `server` per day `days` ago, as a
    /// sweep would have, with `used(day)` bytes in use.
    pub async fn record_daily_usage(
        &self,
        server: &str,
        username: &str,
        days: &[i64],
        used: impl Fn(i64) -> provision::core::ByteSize,
    ) {
        use provision::core::ledger::{LedgerSample, ServerId, SweepRecord};
        let username = provision::core::Username::new(username).unwrap();
        let now = chrono::Utc::now();
        let samples = days
            .iter()
            .map(|&day| LedgerSample {
                username: username.clone(),
                at: now - chrono::TimeDelta::days(day),
                used: used(day),
                measured_at: None,
                keep_until: now + chrono::TimeDelta::days(300),
            })
            .collect();
        self.ledger
            .record_sweep(
                &ServerId::new(server).unwrap(),
                &SweepRecord {
                    samples,
                    states: vec![],
                    actions: vec![],
                },
                now,
            )
            .await
            .unwrap();
    }
}

pub fn assert_problem(headers: &reqwest::header::HeaderMap, body: &Value, status: u16, kind: &str) {
    assert_eq!(
        headers.get("content-type").unwrap(),
        "application/problem+json",
        "{body}"
    );
    assert_eq!(body["status"], status, "{body}");
    assert_eq!(body["kind"], kind, "{body}");
    assert_eq!(body["type"], format!("urn:provision:problem:{kind}"));
    assert!(body["title"].as_str().is_some_and(|t| !t.is_empty()));
    assert!(body["detail"].as_str().is_some_and(|t| !t.is_empty()));
}
