//! What the Nextcloud and DSM stand-alone mocks share: their start errors, and the
//! control routes that set an account's usage, queue faults and clear them.
//!
//! - `PUT /users/{name}/usage` with `{"bytes": N}`: the account's used bytes (404 when
//!   there is no such account);
//! - `POST /faults` with one fault or a list of them, in the backend's fault JSON (see
//!   `Fault` in its mock module); 400 naming the bad field;
//! - `DELETE /faults`: drops every queued fault.

use std::sync::Arc;

use axum::extract::Path;
use axum::http::StatusCode;
use axum::routing::{post, put};
use axum::{Json, Router};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{json, Value};

use provision::core::testkit::seed::SeedError;

use super::MockError;

impl From<SeedError> for MockError {
    fn from(error: SeedError) -> Self {
        match error {
            SeedError::Format(e) => MockError::Seed(e.to_string()),
            SeedError::Invalid(why) => MockError::Seed(why),
            SeedError::Admin(why) => MockError::Admin(why),
            SeedError::Start(why) => MockError::Backend(why),
        }
    }
}

/// A mock whose accounts have a usage and which takes queued faults.
pub trait AccountControl: Send + Sync + 'static {
    /// The backend's fault, readable from JSON.
    type Fault: DeserializeOwned + Send;
    /// Sets the bytes `account` uses; false when there is no such account.
    fn set_used_bytes(&self, account: &str, bytes: u64) -> bool;
    /// Queues a fault.
    fn inject_fault(&self, fault: Self::Fault);
    /// Drops every queued fault.
    fn clear_faults(&self);
}

/// `PUT /users/{name}/usage`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Usage {
    bytes: u64,
}

type Answer = (StatusCode, Json<Value>);

fn refused(status: StatusCode, error: String) -> Answer {
    (status, Json(json!({ "error": error })))
}

/// Reads a JSON body into `T`, or answers 400 with serde's message (which names the field).
fn read<T: DeserializeOwned>(body: Value) -> Result<T, Answer> {
    serde_json::from_value(body).map_err(|e| refused(StatusCode::BAD_REQUEST, e.to_string()))
}

/// The shared routes for `mock`.
pub fn router<M: AccountControl>(mock: Arc<M>) -> Router {
    let usage_mock = Arc::clone(&mock);
    let fault_mock = Arc::clone(&mock);
    Router::new()
        .route(
            "/users/{name}/usage",
            put(move |Path(name): Path<String>, Json(body): Json<Value>| {
                let mock = Arc::clone(&usage_mock);
                async move {
                    let usage: Usage = match read(body) {
                        Ok(usage) => usage,
                        Err(answer) => return answer,
                    };
                    if mock.set_used_bytes(&name, usage.bytes) {
                        (
                            StatusCode::OK,
                            Json(json!({ "user": name, "used_bytes": usage.bytes })),
                        )
                    } else {
                        refused(StatusCode::NOT_FOUND, format!("no account {name:?}"))
                    }
                }
            }),
        )
        .route(
            "/faults",
            post(move |Json(body): Json<Value>| {
                let mock = Arc::clone(&fault_mock);
                async move {
                    let faults = match body {
                        Value::Array(_) => read::<Vec<M::Fault>>(body),
                        one => read::<M::Fault>(one).map(|fault| vec![fault]),
                    };
                    let faults = match faults {
                        Ok(faults) => faults,
                        Err(answer) => return answer,
                    };
                    let queued = faults.len();
                    faults.into_iter().for_each(|f| mock.inject_fault(f));
                    (StatusCode::OK, Json(json!({ "queued": queued })))
                }
            })
            .delete(move || {
                let mock = Arc::clone(&mock);
                async move {
                    mock.clear_faults();
                    (StatusCode::OK, Json(json!({ "cleared": true })))
                }
            }),
        )
}
