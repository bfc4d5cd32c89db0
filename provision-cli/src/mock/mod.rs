//! `provision mock nextcloud|synology|minio`: a backend's stateful mock server as a
//! process, for test suites in any language.
//!
//! The mock runs in-process on a loopback port; a front listener on `--listen`
//! forwards every connection to it byte for byte, after a TLS handshake with `--tls`
//! (a CA and a server certificate are made at start; the CA's PEM path is printed), so
//! Host headers and request signatures reach the mock unchanged. When both listeners
//! are bound, one JSON line is printed on standard output:
//!
//! ```json
//! {"backend":"nextcloud","url":"http://127.0.0.1:40123","user":"admin",
//!  "password":"...","ca_path":null,"control_url":"http://127.0.0.1:40124",
//!  "state_path":null,"pid":4242}
//! ```
//!
//! The credentials are the mock's test credentials (`--admin USER:PASSWORD`, or
//! `PROVISION_MOCK_ADMIN`, or the backend's defaults). `--seed FILE` (JSON, or TOML when
//! the name ends in `.toml`) gives the users, groups, buckets and usage to start with,
//! in the backend's seed format; `--state FILE` keeps the state across restarts: read
//! at start when it exists (instead of the seed), written when the mock stops, after
//! each change through the control API, and every second while it changes.
//! The control API ([`control`]) listens on `--control` (default: a loopback port).
//! SIGTERM or Ctrl-C stops the mock cleanly (exit code 0).

pub mod account_routes;
pub mod control;
mod front;
pub mod minio;
pub mod nextcloud;
pub mod synology;
mod tls;

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use clap::{Args, ValueEnum};
use secrecy::{ExposeSecret, SecretString};
use serde_json::{json, Value};
use tokio::net::TcpListener;
use tokio::sync::watch;

use control::StateFile;

/// A backend's mock as a stand-alone process.
#[async_trait::async_trait]
pub trait StandaloneMock: Send + Sync + Sized + 'static {
    /// "nextcloud", "synology" or "minio".
    const BACKEND: &'static str;

    /// Starts the in-process mock (plain HTTP on 127.0.0.1, any port) with these admin
    /// credentials (None: the backend's defaults) and this seed document (None: the
    /// mock's usual start state). The seed is what `--state` holds when that file
    /// exists, else what `--seed` holds.
    async fn start(admin: Option<AdminCredentials>, seed: Option<Value>)
        -> Result<Self, MockError>;

    /// The inner server's address, which the front forwards to.
    fn inner_addr(&self) -> SocketAddr;

    /// The admin account's name and secret, for the ready line.
    fn admin(&self) -> (String, SecretString);

    /// Delay before every answer.
    fn set_latency(&self, latency: Duration);

    /// The current state in the seed format (what `--state` stores; what `GET /state`
    /// answers). Loading a snapshot as seed gives the same state back.
    fn snapshot(&self) -> Value;

    /// The request log, oldest first (method, path, status at least).
    fn requests(&self) -> Vec<Value>;

    /// Every request served since the start: unlike [`Self::requests`], never capped.
    /// The default counts the log, for a mock whose log keeps everything.
    fn request_count(&self) -> u64 {
        self.requests().len() as u64
    }

    /// The backend's own control routes (usage, faults, scanner, ...).
    fn control_routes(self: Arc<Self>) -> axum::Router;

    /// Extra fields for the ready line (MinIO: region, ...).
    fn ready_fields(&self) -> serde_json::Map<String, Value> {
        serde_json::Map::new()
    }
}

/// The admin credentials from `--admin USER:PASSWORD`.
pub struct AdminCredentials {
    /// The account's name (MinIO: the access key).
    pub user: String,
    /// Its password (MinIO: the secret key).
    pub password: SecretString,
}

impl std::fmt::Debug for AdminCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AdminCredentials")
            .field("user", &self.user)
            .field("password", &"[redacted]")
            .finish()
    }
}

impl AdminCredentials {
    /// Reads `USER:PASSWORD` (the password may hold further colons).
    pub fn parse(text: &str) -> Result<Self, MockError> {
        match text.split_once(':') {
            Some((user, password)) if !user.is_empty() && !password.is_empty() => {
                Ok(AdminCredentials {
                    user: user.to_string(),
                    password: SecretString::from(password.to_string()),
                })
            }
            _ => Err(MockError::Admin(
                "--admin takes USER:PASSWORD, both non-empty".into(),
            )),
        }
    }
}

/// What can stop a stand-alone mock.
#[derive(Debug, thiserror::Error)]
pub enum MockError {
    /// The seed or state document is not what the backend reads (it says which field).
    #[error("seed: {0}")]
    Seed(String),
    /// The admin credentials are not usable on this backend (it says why).
    #[error("admin: {0}")]
    Admin(String),
    /// The certificate could not be made or loaded.
    #[error("tls: {0}")]
    Tls(String),
    /// The backend's mock could not start.
    #[error("{0}")]
    Backend(String),
    /// A listener, the seed, the state or the CA file.
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// The backends with a stand-alone mock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MockBackend {
    /// Nextcloud's OCS Provisioning API.
    Nextcloud,
    /// Synology DSM's Web API.
    Synology,
    /// MinIO's admin API and S3.
    Minio,
}

/// `provision mock`.
#[derive(Debug, Clone, Args)]
#[command(after_help = "Examples:\n  provision mock nextcloud\n  \
    provision mock synology --tls --listen 127.0.0.1:5001 --state dsm-state.json\n  \
    provision mock minio --admin minioadmin:minio-secret-key --seed buckets.toml\n\n\
    The ready line is one JSON object on standard output: url, user, password,\n\
    ca_path, control_url, state_path, pid. Control API: GET /requests,\n\
    GET /requests/count, GET /state, PUT /latency {\"ms\": N}, and the backend's own routes (see the crate docs).")]
pub struct MockArgs {
    /// Which backend to imitate.
    pub backend: MockBackend,
    /// The address to serve on.
    #[arg(long, default_value = "127.0.0.1:0")]
    pub listen: SocketAddr,
    /// Serve HTTPS with a certificate made at start (its CA's path is printed).
    #[arg(long)]
    pub tls: bool,
    /// Further host names the certificate is valid for (besides localhost and the
    /// loopback addresses).
    #[arg(long = "tls-name", value_name = "NAME")]
    pub tls_names: Vec<String>,
    /// Where to write the CA certificate (default: a file in the temporary directory).
    #[arg(long, value_name = "FILE")]
    pub ca_file: Option<PathBuf>,
    /// The admin account, USER:PASSWORD (MinIO: ACCESS_KEY:SECRET_KEY).
    #[arg(long, env = "PROVISION_MOCK_ADMIN", hide_env_values = true)]
    pub admin: Option<String>,
    /// The users, groups, buckets and usage to start with (JSON, or TOML by name).
    #[arg(long, value_name = "FILE")]
    pub seed: Option<PathBuf>,
    /// Delay before every answer, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 0)]
    pub latency: u64,
    /// Keep the state in this file across restarts (read at start when it exists).
    #[arg(long, value_name = "FILE")]
    pub state: Option<PathBuf>,
    /// The address of the control API.
    #[arg(long, default_value = "127.0.0.1:0")]
    pub control: SocketAddr,
}

/// Runs the mock `args` names until SIGTERM or Ctrl-C.
pub async fn run(args: &MockArgs) -> Result<(), MockError> {
    match args.backend {
        MockBackend::Nextcloud => run_backend::<nextcloud::NextcloudMock>(args).await,
        MockBackend::Synology => run_backend::<synology::SynologyMock>(args).await,
        MockBackend::Minio => run_backend::<minio::StandaloneMinio>(args).await,
    }
}

/// Reads a seed or state document: TOML when the name ends in `.toml`, else JSON.
pub fn read_document(path: &Path) -> Result<Value, MockError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| MockError::Seed(format!("{}: cannot read: {e}", path.display())))?;
    let toml = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("toml"));
    if toml {
        toml::from_str::<Value>(&text)
            .map_err(|e| MockError::Seed(format!("{}: {e}", path.display())))
    } else {
        serde_json::from_str::<Value>(&text)
            .map_err(|e| MockError::Seed(format!("{}: {e}", path.display())))
    }
}

/// The host part of a URL for a bound address (an unspecified one is reached on
/// loopback).
fn url_host(addr: SocketAddr) -> String {
    let ip = match addr.ip() {
        ip if ip.is_unspecified() && ip.is_ipv4() => IpAddr::from([127, 0, 0, 1]),
        ip if ip.is_unspecified() => IpAddr::from([0u16, 0, 0, 0, 0, 0, 0, 1]),
        ip => ip,
    };
    match ip {
        IpAddr::V4(v4) => format!("{v4}:{}", addr.port()),
        IpAddr::V6(v6) => format!("[{v6}]:{}", addr.port()),
    }
}

/// Resolves on SIGTERM or Ctrl-C.
async fn stop_signal() -> std::io::Result<()> {
    #[cfg(unix)]
    {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
        tokio::select! {
            _ = term.recv() => Ok(()),
            r = tokio::signal::ctrl_c() => r,
        }
    }
    #[cfg(not(unix))]
    tokio::signal::ctrl_c().await
}

/// Runs backend `B` with `args` until SIGTERM or Ctrl-C, printing the ready line.
pub async fn run_backend<B: StandaloneMock>(args: &MockArgs) -> Result<(), MockError> {
    serve_until::<B, _>(args, stop_signal(), |ready| println!("{ready}")).await
}

/// Runs backend `B` with `args` until `stop` resolves; `on_ready` gets the ready line
/// once both listeners are bound.
pub async fn serve_until<B, S>(
    args: &MockArgs,
    stop: S,
    on_ready: impl FnOnce(&Value),
) -> Result<(), MockError>
where
    B: StandaloneMock,
    S: std::future::Future<Output = std::io::Result<()>>,
{
    let seed = match (&args.state, &args.seed) {
        (Some(state), _) if state.exists() => Some(read_document(state)?),
        (_, Some(seed)) => Some(read_document(seed)?),
        _ => None,
    };
    let admin = args
        .admin
        .as_deref()
        .map(AdminCredentials::parse)
        .transpose()?;
    let mock = Arc::new(B::start(admin, seed).await?);
    mock.set_latency(Duration::from_millis(args.latency));

    let listener = TcpListener::bind(args.listen).await?;
    let listen = listener.local_addr()?;
    let tls = if args.tls {
        let ca_path = args.ca_file.clone().unwrap_or_else(|| {
            std::env::temp_dir().join(format!(
                "provision-mock-{}-{}-ca.pem",
                B::BACKEND,
                std::process::id()
            ))
        });
        Some(tls::make(listen.ip(), &args.tls_names, &ca_path)?)
    } else {
        None
    };
    let control_listener = TcpListener::bind(args.control).await?;
    let control_addr = control_listener.local_addr()?;

    let state_file = Arc::new(StateFile::new(args.state.clone()));
    state_file.write(|| mock.snapshot())?;
    let (stop_tx, stop_rx) = watch::channel(false);

    let front = tokio::spawn(front::forward(
        listener,
        tls.as_ref().map(|t| t.acceptor.clone()),
        mock.inner_addr(),
        stop_rx.clone(),
    ));
    let router = control::router(Arc::clone(&mock), Arc::clone(&state_file));
    let mut control_stop = stop_rx.clone();
    let control = tokio::spawn(async move {
        axum::serve(control_listener, router)
            .with_graceful_shutdown(async move {
                let _ = control_stop.changed().await;
            })
            .await
    });
    let keeper = tokio::spawn(keep_state(
        Arc::clone(&mock),
        Arc::clone(&state_file),
        stop_rx,
    ));

    let (user, password) = mock.admin();
    let scheme = if tls.is_some() { "https" } else { "http" };
    let mut ready = json!({
        "backend": B::BACKEND,
        "url": format!("{scheme}://{}", url_host(listen)),
        "user": user,
        // The mock's own test credential: what a test suite logs in with.
        "password": password.expose_secret(),
        "ca_path": tls.as_ref().map(|t| t.ca_path.display().to_string()),
        "control_url": format!("http://{}", url_host(control_addr)),
        "state_path": args.state.as_ref().map(|p| p.display().to_string()),
        "pid": std::process::id(),
    });
    if let Value::Object(fields) = &mut ready {
        fields.extend(mock.ready_fields());
    }
    on_ready(&ready);

    let signal = stop.await;
    let _ = stop_tx.send(true);
    let _ = front.await;
    let _ = control.await;
    let _ = keeper.await;
    state_file.write(|| mock.snapshot())?;
    signal?;
    Ok(())
}

/// Writes the state every second while it changes, so a mock killed without a
/// chance to stop loses at most a second of it.
async fn keep_state<B: StandaloneMock>(
    mock: Arc<B>,
    state_file: Arc<StateFile>,
    mut stop: watch::Receiver<bool>,
) {
    let mut last = mock.snapshot();
    loop {
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(1)) => {}
            _ = stop.changed() => return,
        }
        let now = mock.snapshot();
        if now != last {
            if let Err(e) = state_file.write(|| mock.snapshot()) {
                tracing::warn!(error = %e, "the mock's state file could not be written");
            }
            last = now;
        }
    }
}

#[cfg(test)]
mod tests {
    //! The framework through a test double: an inner server that answers with what it
    //! received, so the tests see exactly what the front forwarded.
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::Mutex;

    use axum::routing::{any, post};
    use axum::Json;
    use tokio::sync::oneshot;

    use super::*;

    /// Answers every request with its method, path and Host header; counts them.
    struct EchoMock {
        addr: SocketAddr,
        seen: Arc<AtomicU64>,
        latency_ms: AtomicU64,
        admin: (String, String),
        log: Arc<Mutex<Vec<Value>>>,
    }

    #[async_trait::async_trait]
    impl StandaloneMock for EchoMock {
        const BACKEND: &'static str = "echo";

        async fn start(
            admin: Option<AdminCredentials>,
            seed: Option<Value>,
        ) -> Result<Self, MockError> {
            let seen = Arc::new(AtomicU64::new(
                seed.as_ref().and_then(|s| s["seen"].as_u64()).unwrap_or(0),
            ));
            let log = Arc::new(Mutex::new(Vec::new()));
            let (counter, requests) = (Arc::clone(&seen), Arc::clone(&log));
            let app = axum::Router::new().fallback(any(move |request: axum::extract::Request| {
                let (counter, requests) = (Arc::clone(&counter), Arc::clone(&requests));
                async move {
                    counter.fetch_add(1, Ordering::SeqCst);
                    let host = request
                        .headers()
                        .get("host")
                        .and_then(|h| h.to_str().ok())
                        .unwrap_or("")
                        .to_string();
                    let line = json!({"method": request.method().as_str(), "path": request.uri().path(), "host": host});
                    requests.lock().unwrap().push(line.clone());
                    Json(line)
                }
            }));
            let listener = TcpListener::bind("127.0.0.1:0").await?;
            let addr = listener.local_addr()?;
            tokio::spawn(async move { axum::serve(listener, app).await });
            let admin = admin
                .map(|a| (a.user, a.password.expose_secret().to_string()))
                .unwrap_or_else(|| ("echo".into(), "echo-secret".into()));
            Ok(EchoMock {
                addr,
                seen,
                latency_ms: AtomicU64::new(0),
                admin,
                log,
            })
        }

        fn inner_addr(&self) -> SocketAddr {
            self.addr
        }

        fn admin(&self) -> (String, SecretString) {
            (
                self.admin.0.clone(),
                SecretString::from(self.admin.1.clone()),
            )
        }

        fn set_latency(&self, latency: Duration) {
            self.latency_ms
                .store(latency.as_millis() as u64, Ordering::SeqCst);
        }

        fn snapshot(&self) -> Value {
            json!({ "seen": self.seen.load(Ordering::SeqCst) })
        }

        fn requests(&self) -> Vec<Value> {
            self.log.lock().unwrap().clone()
        }

        fn control_routes(self: Arc<Self>) -> axum::Router {
            axum::Router::new().route(
                "/reset",
                post(move || {
                    let mock = Arc::clone(&self);
                    async move {
                        mock.seen.store(0, Ordering::SeqCst);
                        Json(json!({}))
                    }
                }),
            )
        }
    }

    fn args(extra: &[&str]) -> MockArgs {
        use clap::Parser;
        #[derive(Parser)]
        struct Wrapper {
            #[command(flatten)]
            args: MockArgs,
        }
        let mut argv = vec!["provision", "nextcloud"];
        argv.extend_from_slice(extra);
        Wrapper::parse_from(argv).args
    }

    /// Starts the echo mock with `args`; its ready line, and the sender that stops it.
    async fn start(
        args: MockArgs,
    ) -> (
        Value,
        oneshot::Sender<()>,
        tokio::task::JoinHandle<Result<(), MockError>>,
    ) {
        let (ready_tx, ready_rx) = oneshot::channel();
        let (stop_tx, stop_rx) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            serve_until::<EchoMock, _>(
                &args,
                async { stop_rx.await.map_err(std::io::Error::other) },
                |r| {
                    let _ = ready_tx.send(r.clone());
                },
            )
            .await
        });
        (ready_rx.await.unwrap(), stop_tx, task)
    }

    #[tokio::test]
    async fn the_front_forwards_requests_unchanged_and_the_ready_line_says_where() {
        let (ready, stop, task) = start(args(&["--admin", "root:pass:with:colons"])).await;
        assert_eq!(ready["backend"], "echo");
        assert_eq!(ready["user"], "root");
        assert_eq!(ready["password"], "pass:with:colons");
        assert!(ready["ca_path"].is_null());
        let url = ready["url"].as_str().unwrap();
        assert!(url.starts_with("http://127.0.0.1:"), "{url}");
        let answer: Value = reqwest::get(format!("{url}/some/path"))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(answer["path"], "/some/path");
        // The Host header is the one the client sent, not the inner server's.
        assert_eq!(answer["host"], url.trim_start_matches("http://"));
        stop.send(()).unwrap();
        task.await.unwrap().unwrap();
    }

    #[tokio::test]
    async fn tls_is_trusted_by_the_printed_ca_alone() {
        let dir = tempfile::tempdir().unwrap();
        let ca = dir.path().join("ca.pem");
        let (ready, stop, task) = start(args(&["--tls", "--ca-file", ca.to_str().unwrap()])).await;
        assert_eq!(ready["ca_path"], ca.display().to_string());
        let url = ready["url"].as_str().unwrap().to_string();
        assert!(url.starts_with("https://127.0.0.1:"), "{url}");
        let pem = std::fs::read(&ca).unwrap();
        let trusting = reqwest::Client::builder()
            .use_rustls_tls()
            .tls_built_in_root_certs(false)
            .add_root_certificate(reqwest::Certificate::from_pem(&pem).unwrap())
            .build()
            .unwrap();
        let answer: Value = trusting
            .get(format!("{url}/x"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(answer["path"], "/x");
        // By the name localhost too.
        let by_name = url.replace("127.0.0.1", "localhost");
        assert!(trusting
            .get(format!("{by_name}/x"))
            .send()
            .await
            .unwrap()
            .status()
            .is_success());
        // A client that does not trust the CA is refused.
        let plain = reqwest::Client::builder()
            .use_rustls_tls()
            .tls_built_in_root_certs(false)
            .build()
            .unwrap();
        assert!(plain.get(format!("{url}/x")).send().await.is_err());
        stop.send(()).unwrap();
        task.await.unwrap().unwrap();
    }

    #[tokio::test]
    async fn the_state_survives_a_restart_and_control_changes_are_written_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let state = dir.path().join("state.json");
        let state_arg = state.to_str().unwrap();
        let (ready, stop, task) = start(args(&["--state", state_arg])).await;
        let url = ready["url"].as_str().unwrap();
        for _ in 0..3 {
            reqwest::get(format!("{url}/a")).await.unwrap();
        }
        let control = ready["control_url"].as_str().unwrap();
        let log: Vec<Value> = reqwest::get(format!("{control}/requests"))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(log.len(), 3);
        let client = reqwest::Client::new();
        let latency = client
            .put(format!("{control}/latency"))
            .json(&json!({"ms": 5}))
            .send()
            .await
            .unwrap();
        assert!(latency.status().is_success());
        // A PUT is a change: the state file holds the count at once.
        let written: Value = serde_json::from_slice(&std::fs::read(&state).unwrap()).unwrap();
        assert_eq!(written["seen"], 3);
        let bad = client
            .put(format!("{control}/latency"))
            .json(&json!({"seconds": 5}))
            .send()
            .await
            .unwrap();
        assert!(bad.status().is_client_error());
        stop.send(()).unwrap();
        task.await.unwrap().unwrap();

        // Started again on the same state file, the mock goes on from it.
        let (ready, stop, task) = start(args(&["--state", state_arg])).await;
        let control = ready["control_url"].as_str().unwrap();
        let now: Value = reqwest::get(format!("{control}/state"))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(now["seen"], 3);
        assert!(client
            .post(format!("{control}/reset"))
            .send()
            .await
            .unwrap()
            .status()
            .is_success());
        let written: Value = serde_json::from_slice(&std::fs::read(&state).unwrap()).unwrap();
        assert_eq!(written["seen"], 0);
        stop.send(()).unwrap();
        task.await.unwrap().unwrap();
    }

    #[test]
    fn seeds_are_read_as_json_or_toml_and_bad_ones_name_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let json_file = dir.path().join("seed.json");
        std::fs::write(&json_file, r#"{"users": [{"id": "alice"}]}"#).unwrap();
        let toml_file = dir.path().join("seed.toml");
        std::fs::write(&toml_file, "[[users]]\nid = \"alice\"\n").unwrap();
        assert_eq!(
            read_document(&json_file).unwrap(),
            read_document(&toml_file).unwrap()
        );
        std::fs::write(&json_file, "{").unwrap();
        let e = read_document(&json_file).unwrap_err();
        assert!(matches!(e, MockError::Seed(_)));
        assert!(e.to_string().contains("seed.json"), "{e}");
        let missing = read_document(&dir.path().join("none.json")).unwrap_err();
        assert!(missing.to_string().contains("cannot read"), "{missing}");
    }

    #[test]
    fn admin_credentials_need_a_user_and_a_password() {
        for bad in ["", "root", "root:", ":secret"] {
            assert!(
                matches!(AdminCredentials::parse(bad), Err(MockError::Admin(_))),
                "{bad}"
            );
        }
        let ok = AdminCredentials::parse("root:s:e").unwrap();
        assert_eq!(ok.password.expose_secret(), "s:e");
        assert!(!format!("{ok:?}").contains("s:e"));
    }
}
