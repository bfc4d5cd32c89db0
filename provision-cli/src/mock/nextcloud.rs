//! `provision mock nextcloud`: [`MockNextcloud`] as a stand-alone process.
//!
//! Seed and state files hold [`Seed`]'s format (users with id, password, display name,
//! e-mail, enabled, quota, used bytes and groups; groups). Control routes besides the
//! common ones ([`super::account_routes`]): `PUT /users/{id}/usage`, `POST /faults`
//! with [`Fault`]'s JSON, `DELETE /faults`. The request log holds method, path and
//! status.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use provision::core::ByteSize;
use provision::nextcloud::mock::seed::Seed;
use provision::nextcloud::mock::{Fault, MockNextcloud};
use secrecy::SecretString;
use serde_json::{json, Value};

use super::account_routes::{self, AccountControl};
use super::{AdminCredentials, MockError, StandaloneMock};

/// The Nextcloud mock behind the stand-alone front.
pub struct NextcloudMock {
    mock: MockNextcloud,
}

#[async_trait::async_trait]
impl StandaloneMock for NextcloudMock {
    const BACKEND: &'static str = "nextcloud";

    async fn start(
        admin: Option<AdminCredentials>,
        seed: Option<Value>,
    ) -> Result<Self, MockError> {
        let mut builder = MockNextcloud::builder();
        if let Some(admin) = admin {
            builder = builder.admin(&admin.user, admin.password);
        }
        if let Some(document) = seed {
            builder = builder.seed(&Seed::from_json(document).map_err(MockError::from)?);
        }
        let mock = builder.start().await.map_err(MockError::from)?;
        Ok(NextcloudMock { mock })
    }

    fn inner_addr(&self) -> SocketAddr {
        self.mock.address()
    }

    fn admin(&self) -> (String, SecretString) {
        (self.mock.admin_user(), self.mock.admin_password())
    }

    fn set_latency(&self, latency: Duration) {
        self.mock.set_latency(latency);
    }

    fn snapshot(&self) -> Value {
        self.mock.snapshot().to_json()
    }

    fn requests(&self) -> Vec<Value> {
        self.mock
            .request_log()
            .into_iter()
            .map(|r| json!({"method": r.method, "path": r.path, "status": r.status}))
            .collect()
    }

    fn request_count(&self) -> u64 {
        self.mock.request_count() as u64
    }

    fn control_routes(self: Arc<Self>) -> axum::Router {
        account_routes::router(self)
    }
}

impl AccountControl for NextcloudMock {
    type Fault = Fault;

    fn set_used_bytes(&self, account: &str, bytes: u64) -> bool {
        self.mock.set_used(account, ByteSize::new(bytes))
    }

    fn inject_fault(&self, fault: Fault) {
        self.mock.inject(fault);
    }

    fn clear_faults(&self) {
        self.mock.clear_faults();
    }
}
