//! `provision mock minio`: the MinIO mock ([`provision::minio::mock::MockMinio`]) as a
//! process.
//!
//! `--admin ACCESS_KEY:SECRET_KEY` sets the root credentials (MinIO's rules: an access
//! key of at least 3 bytes without `=` or `,`, a secret key of at least 8 bytes);
//! without it they are `minioadmin` / `minioadmin-mock-secret`. The seed and state
//! format is [`provision::minio::mock::seed::Seed`]. Encrypted admin answers use id 0
//! (Argon2id), as a MinIO on AES hardware sends them. The ready line adds `region`
//! (`us-east-1`: the mock has none configured, so it accepts any, as MinIO does).
//!
//! Control routes, besides the common ones:
//! - `PUT /usage/{bucket}` with `{"bytes": N}`: the bucket holds N bytes and the
//!   scanner runs, so data usage reports N for it (404 for a missing bucket);
//! - `POST /scanner`: runs the scanner (data usage reflects the buckets as they are);
//! - `POST /faults` with a [`Fault`] as JSON (e.g. `{"kind": {"server_error": 503},
//!   "times": 2, "path_contains": "datausageinfo"}`): the next matching requests fail;
//! - `DELETE /faults`: removes every pending fault.
//!
//! The request log (`GET /requests`) holds `method`, `path`, `query`, `access_key` and
//! `status` per request.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{post, put};
use axum::{Json, Router};
use provision::minio::mock::seed::Seed;
use provision::minio::mock::{Fault, MockMinio};
use secrecy::SecretString;
use serde::Deserialize;
use serde_json::{json, Map, Value};

use super::{AdminCredentials, MockError, StandaloneMock};

/// The region clients sign S3 requests for.
const REGION: &str = "us-east-1";

/// The MinIO mock as a stand-alone process.
pub struct StandaloneMinio {
    mock: MockMinio,
}

#[async_trait::async_trait]
impl StandaloneMock for StandaloneMinio {
    const BACKEND: &'static str = "minio";

    async fn start(
        admin: Option<AdminCredentials>,
        seed: Option<Value>,
    ) -> Result<Self, MockError> {
        let mut builder = MockMinio::builder();
        if let Some(admin) = admin {
            builder = builder
                .root_credentials(admin.user, admin.password)
                .map_err(|e| MockError::Admin(e.to_string()))?;
        }
        // Read before starting, so a bad seed stops the process before any port opens.
        let seed = seed
            .map(Seed::from_json)
            .transpose()
            .map_err(|e| MockError::Seed(e.to_string()))?;
        let mock = builder.start().await;
        if let Some(seed) = seed {
            mock.load_seed(&seed)
                .map_err(|e| MockError::Seed(e.to_string()))?;
        }
        Ok(StandaloneMinio { mock })
    }

    fn inner_addr(&self) -> SocketAddr {
        self.mock.address()
    }

    fn admin(&self) -> (String, SecretString) {
        (self.mock.access_key().to_owned(), self.mock.secret_key())
    }

    fn set_latency(&self, latency: Duration) {
        self.mock.set_latency(latency);
    }

    fn snapshot(&self) -> Value {
        self.mock.snapshot().to_json()
    }

    fn requests(&self) -> Vec<Value> {
        self.mock
            .requests()
            .into_iter()
            .map(|r| serde_json::to_value(r).unwrap_or(Value::Null))
            .collect()
    }

    fn request_count(&self) -> u64 {
        self.mock.request_count()
    }

    fn control_routes(self: Arc<Self>) -> Router {
        Router::new()
            .route("/usage/{bucket}", put(set_usage))
            .route("/scanner", post(run_scanner))
            .route("/faults", post(inject_fault).delete(clear_faults))
            .with_state(self)
    }

    fn ready_fields(&self) -> Map<String, Value> {
        let mut fields = Map::new();
        let region = self.mock.region().unwrap_or_else(|| REGION.to_owned());
        fields.insert("region".into(), Value::String(region));
        fields
    }
}

/// `PUT /usage/{bucket}`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Usage {
    bytes: u64,
}

type Answer = (StatusCode, Json<Value>);

async fn set_usage(
    State(minio): State<Arc<StandaloneMinio>>,
    Path(bucket): Path<String>,
    Json(usage): Json<Usage>,
) -> Answer {
    match minio.mock.set_usage(&bucket, usage.bytes) {
        Ok(()) => (
            StatusCode::OK,
            Json(json!({"bucket": bucket, "bytes": usage.bytes})),
        ),
        Err(e) => (StatusCode::NOT_FOUND, Json(json!({"error": e.to_string()}))),
    }
}

async fn run_scanner(State(minio): State<Arc<StandaloneMinio>>) -> Answer {
    minio.mock.refresh_usage();
    (StatusCode::OK, Json(json!({"scanned": true})))
}

async fn inject_fault(
    State(minio): State<Arc<StandaloneMinio>>,
    Json(fault): Json<Fault>,
) -> Answer {
    minio.mock.inject(fault);
    (StatusCode::OK, Json(json!({"injected": true})))
}

async fn clear_faults(State(minio): State<Arc<StandaloneMinio>>) -> Answer {
    minio.mock.clear_faults();
    (StatusCode::OK, Json(json!({"cleared": true})))
}
