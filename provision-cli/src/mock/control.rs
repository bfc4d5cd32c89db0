//! The control API every stand-alone mock serves on `--control`, and the `--state`
//! file it keeps current.
//!
//! Common routes (JSON):
//! - `GET /requests`: the request log, oldest first (each backend keeps only its last
//!   requests, e.g. 10,000 on Nextcloud);
//! - `GET /requests/count`: `{"count": N}`, every request served since the start, which
//!   the capped log cannot give on a long run;
//! - `GET /state`: the state in the backend's seed format;
//! - `PUT /latency` with `{"ms": N}`: delay every answer by N milliseconds.
//!
//! Each backend adds its own (set usage, faults, MinIO's scanner); see its module.
//! After every request that is not a GET and succeeded, the state is written to the
//! `--state` file, when one was given.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

use super::StandaloneMock;

/// The `--state` file: written whole and renamed into place, so a crash never leaves
/// half a document.
#[derive(Debug, Default)]
pub struct StateFile {
    path: Option<PathBuf>,
    writing: Mutex<()>,
}

impl StateFile {
    /// A state file at `path`, or none.
    pub fn new(path: Option<PathBuf>) -> Self {
        StateFile {
            path,
            writing: Mutex::new(()),
        }
    }

    /// Writes the state `snapshot` gives to the file, if there is one. The snapshot is
    /// taken under the file's lock, so two writers cannot put an older state over a
    /// newer one; the file is synced before it is renamed into place.
    pub fn write(&self, snapshot: impl FnOnce() -> Value) -> std::io::Result<()> {
        let Some(path) = &self.path else {
            return Ok(());
        };
        let _guard = self.writing.lock().unwrap_or_else(|e| e.into_inner());
        let text = serde_json::to_vec_pretty(&snapshot()).map_err(std::io::Error::other)?;
        let mut temporary = path.clone().into_os_string();
        temporary.push(format!(".writing-{}", std::process::id()));
        let temporary = PathBuf::from(temporary);
        let mut file = std::fs::File::create(&temporary)?;
        std::io::Write::write_all(&mut file, &text)?;
        file.sync_all()?;
        std::fs::rename(&temporary, path)
    }
}

/// What the control handlers share.
pub struct Control<B> {
    /// The running mock.
    pub mock: Arc<B>,
    /// Where its state is kept.
    pub state_file: Arc<StateFile>,
}

impl<B> Clone for Control<B> {
    fn clone(&self) -> Self {
        Control {
            mock: Arc::clone(&self.mock),
            state_file: Arc::clone(&self.state_file),
        }
    }
}

/// `PUT /latency`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Latency {
    ms: u64,
}

async fn requests<B: StandaloneMock>(State(control): State<Control<B>>) -> Json<Value> {
    Json(Value::Array(control.mock.requests()))
}

async fn request_count<B: StandaloneMock>(State(control): State<Control<B>>) -> Json<Value> {
    Json(json!({ "count": control.mock.request_count() }))
}

async fn state<B: StandaloneMock>(State(control): State<Control<B>>) -> Json<Value> {
    Json(control.mock.snapshot())
}

async fn latency<B: StandaloneMock>(
    State(control): State<Control<B>>,
    Json(latency): Json<Latency>,
) -> Json<Value> {
    control.mock.set_latency(Duration::from_millis(latency.ms));
    Json(json!({ "latency_ms": latency.ms }))
}

/// Writes the state after a change made through the control API.
async fn persist<B: StandaloneMock>(
    State(control): State<Control<B>>,
    request: Request,
    next: Next,
) -> Response {
    let changes = request.method() != Method::GET && request.method() != Method::HEAD;
    let response = next.run(request).await;
    if changes && response.status().is_success() {
        if let Err(e) = control.state_file.write(|| control.mock.snapshot()) {
            return (
                StatusCode::INTERNAL_SERVER_ERROR,
                Json(json!({ "error": format!("the state file could not be written: {e}") })),
            )
                .into_response();
        }
    }
    response
}

/// The control API of `mock`: the common routes, the backend's own, and the state
/// file kept current.
pub fn router<B: StandaloneMock>(mock: Arc<B>, state_file: Arc<StateFile>) -> Router {
    let control = Control {
        mock: Arc::clone(&mock),
        state_file,
    };
    Router::new()
        .route("/requests", get(requests::<B>))
        .route("/requests/count", get(request_count::<B>))
        .route("/state", get(state::<B>))
        .route("/latency", axum::routing::put(latency::<B>))
        .with_state(control.clone())
        .merge(mock.control_routes())
        .layer(middleware::from_fn_with_state(control, persist::<B>))
}
