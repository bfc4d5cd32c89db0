//! `provision mock synology`: [`MockSynology`] as a stand-alone process.
//!
//! Seed and state files hold [`Seed`]'s format (admins and users with name, password,
//! e-mail, description, `expired`, used bytes; groups with their `homes` quota and
//! members). Control routes besides the common ones ([`super::account_routes`]):
//! `PUT /users/{name}/usage`, `POST /faults` with [`Fault`]'s JSON, `DELETE /faults`.
//! The request log holds method, path, status and the Web API's `api` and `method`
//! (never the other parameters, which carry passwords and sids).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use provision::core::ByteSize;
use provision::synology::mock::seed::Seed;
use provision::synology::mock::{Fault, MockSynology};
use secrecy::SecretString;
use serde_json::{json, Value};

use super::account_routes::{self, AccountControl};
use super::{AdminCredentials, MockError, StandaloneMock};

/// The DSM mock behind the stand-alone front.
pub struct SynologyMock {
    mock: MockSynology,
}

#[async_trait::async_trait]
impl StandaloneMock for SynologyMock {
    const BACKEND: &'static str = "synology";

    async fn start(
        admin: Option<AdminCredentials>,
        seed: Option<Value>,
    ) -> Result<Self, MockError> {
        let mut builder = MockSynology::builder();
        if let Some(admin) = admin {
            builder = builder.admin(&admin.user, admin.password);
        }
        if let Some(document) = seed {
            builder = builder.seed(&Seed::from_json(document).map_err(MockError::from)?);
        }
        let mock = builder.start().await.map_err(MockError::from)?;
        Ok(SynologyMock { mock })
    }

    fn inner_addr(&self) -> SocketAddr {
        self.mock.address()
    }

    fn admin(&self) -> (String, SecretString) {
        (self.mock.admin_account(), self.mock.admin_password())
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
            .map(|r| {
                json!({
                    "method": r.http_method,
                    "path": r.path,
                    "status": r.status,
                    "api": r.param("api"),
                    "api_method": r.param("method"),
                })
            })
            .collect()
    }

    fn request_count(&self) -> u64 {
        self.mock.request_count() as u64
    }

    fn control_routes(self: Arc<Self>) -> axum::Router {
        account_routes::router(self)
    }
}

impl AccountControl for SynologyMock {
    type Fault = Fault;

    fn set_used_bytes(&self, account: &str, bytes: u64) -> bool {
        self.mock.set_usage(account, ByteSize::new(bytes))
    }

    fn inject_fault(&self, fault: Fault) {
        self.mock.inject(fault);
    }

    fn clear_faults(&self) {
        self.mock.clear_faults();
    }
}
