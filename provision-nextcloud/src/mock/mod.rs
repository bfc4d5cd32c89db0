//! A stateful in-process Nextcloud for tests (feature `mock`).
//!
//! [`MockNextcloud`] serves the OCS Provisioning API over real HTTP on loopback (a
//! wiremock server with one responder): users, groups, quotas and usage, with
//! Nextcloud 34's rules, status codes and envelopes on both `/ocs/v1.php` and
//! `/ocs/v2.php`. It checks basic auth and the `OCS-APIRequest` header, stores quotas
//! in Nextcloud's lossy human form, rate-limits edits per caller (50 per 10 minutes,
//! as the real server), and answers a route it does not know with a loud
//! `MockNextcloud: …` error naming the method and path, never with something a client
//! could take for Nextcloud's answer. It answers JSON only.
//!
//! Tests set usage ([`MockNextcloud::set_used`]), make an account look never logged in,
//! inject faults ([`Fault`]), add latency, and read the request count.
//!
//! ```
//! use provision_core::{AccountSpec, Plan, Quota, SecretString, StorageProvider, Username};
//! use provision_core::ByteSize;
//! use provision_nextcloud::mock::MockNextcloud;
//!
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! let mock = MockNextcloud::start().await;
//! let provider = mock.provider().unwrap();
//! let alice = Username::new("alice").unwrap();
//! provider
//!     .create_account(&AccountSpec {
//!         username: alice.clone(),
//!         password: SecretString::from("a long Passw0rd!"),
//!         email: None,
//!         display_name: None,
//!         plan: Plan::new("1 GB".parse::<Quota>().unwrap()),
//!     })
//!     .await
//!     .unwrap();
//! mock.set_used("alice", ByteSize::new(1 << 20));
//! assert_eq!(provider.usage(&alice).await.unwrap().used, Some(ByteSize::new(1 << 20)));
//! assert_eq!(mock.user("alice").unwrap().quota, "1 GB");
//! # });
//! ```

pub mod seed;
mod server;
mod state;

use std::time::Duration;

use provision_core::http::{ClientOptions, RetryConfig};
use provision_core::{ByteSize, Result};
use secrecy::SecretString;

use crate::provider::{NextcloudProvider, NextcloudProviderBuilder};
use provision_core::testkit::mock_host::MockHost;
use provision_core::testkit::seed::{MockSeed, MockSetup};
use seed::{Seed, SeedError};
pub use state::LoggedRequest;
use state::{PendingFault, State, StorageReport};

/// The login name the mock's admin account has.
pub const ADMIN_USER: &str = state::ADMIN_ID;
/// The password the mock's admin account has.
pub const ADMIN_PASSWORD: &str = "mock-admin-Passw0rd!";

/// What a fault does to a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FaultKind {
    ServerError(u16),
    Throttle,
    Delay(Duration),
    DropConnection,
}

/// How many requests the mock's log keeps (the oldest go first); the request counter
/// counts them all.
pub const REQUEST_LOG_LIMIT: usize = 10_000;

/// A fault for the next request(s) the mock receives, optionally only those of one
/// method or whose path contains a text.
///
/// As JSON (the stand-alone mock's control API): `kind` is `server_error` (with
/// `status`), `throttle`, `delay` (with `ms`) or `drop_connection`; `times`, `method`
/// and `path` (a text the path contains) are optional; other fields are refused.
///
/// ```
/// use provision_nextcloud::mock::Fault;
///
/// let fault: Fault = serde_json::from_value(serde_json::json!(
///     {"kind": "server_error", "status": 503, "times": 2, "method": "post"}
/// )).unwrap();
/// assert_eq!(fault, Fault::server_error(503).times(2).on_method("POST"));
/// ```
///
/// ```
/// use std::time::Duration;
/// use provision_nextcloud::mock::Fault;
///
/// let two_503s = Fault::server_error(503).times(2);
/// let slow_create = Fault::delay(Duration::from_secs(2)).on_method("POST").on_path("/cloud/users");
/// # let _ = (two_503s, slow_create);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(try_from = "FaultDocument")]
pub struct Fault {
    pub(crate) kind: FaultKind,
    times: usize,
    method: Option<String>,
    path_contains: Option<String>,
}

impl Fault {
    fn new(kind: FaultKind) -> Self {
        Fault {
            kind,
            times: 1,
            method: None,
            path_contains: None,
        }
    }

    /// Answers with HTTP `status` (e.g. 500, 502, 503) and a plain-text body; the request
    /// is not carried out.
    pub fn server_error(status: u16) -> Self {
        Fault::new(FaultKind::ServerError(status))
    }

    /// Answers as Nextcloud's rate limiter does: HTTP 429 with an empty body and no
    /// `Retry-After`; the request is not carried out.
    pub fn throttle() -> Self {
        Fault::new(FaultKind::Throttle)
    }

    /// Carries the request out, then answers `delay` late (to provoke client timeouts
    /// after the server did the work).
    pub fn delay(delay: Duration) -> Self {
        Fault::new(FaultKind::Delay(delay))
    }

    /// Never answers (within an hour) and does not carry the request out. wiremock
    /// cannot close a socket, so a dropped connection is emulated by silence longer than
    /// any client timeout: the client sees a timeout.
    pub fn drop_connection() -> Self {
        Fault::new(FaultKind::DropConnection)
    }

    /// Applies to the next `times` matching requests (default 1).
    pub fn times(mut self, times: usize) -> Self {
        self.times = times;
        self
    }

    /// Applies only to requests with this HTTP method (e.g. `"POST"`).
    pub fn on_method(mut self, method: &str) -> Self {
        self.method = Some(method.to_ascii_uppercase());
        self
    }

    /// Applies only to requests whose path contains `text` (e.g. `"/cloud/users"`).
    pub fn on_path(mut self, text: &str) -> Self {
        self.path_contains = Some(text.to_string());
        self
    }

    pub(crate) fn matches(&self, method: &str, path: &str) -> bool {
        self.method.as_deref().is_none_or(|m| m == method)
            && self
                .path_contains
                .as_deref()
                .is_none_or(|p| path.contains(p))
    }
}

/// A fault as JSON, before its fields are checked against its kind.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct FaultDocument {
    kind: FaultName,
    status: Option<u16>,
    ms: Option<u64>,
    times: Option<usize>,
    method: Option<String>,
    path: Option<String>,
}

#[derive(serde::Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
enum FaultName {
    ServerError,
    Throttle,
    Delay,
    DropConnection,
}

impl TryFrom<FaultDocument> for Fault {
    type Error = String;

    fn try_from(doc: FaultDocument) -> std::result::Result<Fault, String> {
        let unused = |field: &str, present: bool| {
            if present {
                Err(format!("field `{field}` does not apply to this fault kind"))
            } else {
                Ok(())
            }
        };
        let mut fault = match doc.kind {
            FaultName::ServerError => {
                unused("ms", doc.ms.is_some())?;
                match doc.status {
                    Some(status @ 100..=599) => Fault::server_error(status),
                    Some(other) => return Err(format!("status {other} is not an HTTP status")),
                    None => return Err("a server_error fault needs `status`".into()),
                }
            }
            FaultName::Delay => {
                unused("status", doc.status.is_some())?;
                let ms = doc.ms.ok_or("a delay fault needs `ms`")?;
                Fault::delay(Duration::from_millis(ms))
            }
            FaultName::Throttle | FaultName::DropConnection => {
                unused("status", doc.status.is_some())?;
                unused("ms", doc.ms.is_some())?;
                if doc.kind == FaultName::Throttle {
                    Fault::throttle()
                } else {
                    Fault::drop_connection()
                }
            }
        };
        if let Some(times) = doc.times {
            fault = fault.times(times);
        }
        if let Some(method) = &doc.method {
            fault = fault.on_method(method);
        }
        if let Some(path) = &doc.path {
            fault = fault.on_path(path);
        }
        Ok(fault)
    }
}

/// An account as the mock holds it (the password is not shown).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MockUser {
    /// The id, in the case it was created with.
    pub id: String,
    /// The e-mail address (stored trimmed and lower-cased).
    pub email: Option<String>,
    /// The display name, when set.
    pub display_name: Option<String>,
    /// False when disabled (suspended).
    pub enabled: bool,
    /// Group ids.
    pub groups: Vec<String>,
    /// The quota as the server stores it: `none`, `default`, or a human form such as
    /// `1 GB` or `953.7 MB`.
    pub quota: String,
    /// Bytes used.
    pub used: ByteSize,
}

/// A stateful Nextcloud on a loopback port; stops when dropped.
#[derive(Debug)]
pub struct MockNextcloud {
    host: MockHost<State>,
}

impl MockNextcloud {
    /// Starts a mock with one account, the admin ([`ADMIN_USER`] / [`ADMIN_PASSWORD`]),
    /// and one group, `admin`.
    pub async fn start() -> Self {
        Self::serve(State::new(ADMIN_USER, ADMIN_PASSWORD)).await
    }

    /// A builder for a mock with other admin credentials or a seed.
    ///
    /// ```
    /// use provision_nextcloud::mock::{seed::Seed, MockNextcloud};
    ///
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let seed = Seed::from_json(serde_json::json!({
    ///     "users": [{"id": "alice", "password": "a long Passw0rd!", "quota": "1 GB"}]
    /// })).unwrap();
    /// let mock = MockNextcloud::builder()
    ///     .admin("root", "root-Passw0rd!")
    ///     .seed(&seed)
    ///     .start()
    ///     .await
    ///     .unwrap();
    /// assert_eq!(mock.user("alice").unwrap().quota, "1 GB");
    /// assert_eq!(mock.admin_user(), "root");
    /// # });
    /// ```
    pub fn builder() -> MockNextcloudBuilder {
        MockNextcloudBuilder::default()
    }

    async fn serve(state: State) -> Self {
        MockNextcloud {
            host: MockHost::start(state, server::respond).await,
        }
    }

    /// The loopback address the mock listens on.
    pub fn address(&self) -> std::net::SocketAddr {
        self.host.address()
    }

    /// The base URL to give the provider (`http://127.0.0.1:<port>`).
    pub fn url(&self) -> String {
        self.host.url()
    }

    /// The admin's login id (as stored).
    pub fn admin_user(&self) -> String {
        let state = self.host.state();
        state
            .users
            .get(&state.admin_key)
            .map_or_else(|| state.admin_key.clone(), |u| u.id.clone())
    }

    /// The admin's password as a secret.
    pub fn admin_password(&self) -> SecretString {
        let state = self.host.state();
        let password = state
            .users
            .get(&state.admin_key)
            .map_or("", |u| u.password.as_str());
        SecretString::from(password)
    }

    /// The current state in the seed format: loading it as a seed (with the same admin
    /// credentials) gives this state back. Its passwords are the mock's test
    /// credentials, in plain text.
    pub fn snapshot(&self) -> Seed {
        self.host.state().snapshot()
    }

    /// A provider builder aimed at this mock with the admin's credentials and short
    /// timeouts and backoffs (5 s, 1-20 ms), for tests.
    pub fn provider_builder(&self) -> NextcloudProviderBuilder {
        let options = ClientOptions::default()
            .with_timeout(Duration::from_secs(5))
            .with_retry(RetryConfig::new(
                4,
                Duration::from_millis(1),
                Duration::from_millis(20),
                Duration::from_secs(10),
            ));
        NextcloudProvider::builder(self.url())
            .credentials(self.admin_user(), self.admin_password())
            .options(options)
    }

    /// A provider aimed at this mock, built from [`provider_builder`](Self::provider_builder).
    pub fn provider(&self) -> Result<NextcloudProvider> {
        self.provider_builder().build()
    }

    /// How many requests the mock received (faulted ones included).
    pub fn request_count(&self) -> usize {
        self.host.state().request_count
    }

    /// Forgets the requests received so far.
    pub fn reset_request_count(&self) {
        let mut state = self.host.state();
        state.requests.clear();
        state.request_count = 0;
    }

    /// The requests received, as `"METHOD /path"`, oldest first: the last
    /// [`REQUEST_LOG_LIMIT`] of them, so that long runs keep a bounded log.
    pub fn requests(&self) -> Vec<String> {
        self.host
            .state()
            .requests
            .iter()
            .map(|r| format!("{} {}", r.method, r.path))
            .collect()
    }

    /// The same requests with the status each was answered.
    pub fn request_log(&self) -> Vec<LoggedRequest> {
        self.host.state().requests.iter().cloned().collect()
    }

    /// Drops every fault not yet used up.
    pub fn clear_faults(&self) {
        self.host.state().faults.clear();
    }

    /// Queues a fault; faults apply in the order they were queued.
    pub fn inject(&self, fault: Fault) {
        let remaining = fault.times;
        if remaining > 0 {
            self.host
                .state()
                .faults
                .push(PendingFault { fault, remaining });
        }
    }

    /// Delays every answer by `latency` (benchmarks use 2 ms).
    pub fn set_latency(&self, latency: Duration) {
        self.host.state().latency = latency;
    }

    /// Treats the admin's credential as an app password: as on Nextcloud 34, every
    /// write then answers 403 `Password confirmation is required`; reads still work.
    pub fn set_admin_uses_app_password(&self, app_password: bool) {
        self.host.state().admin_uses_app_password = app_password;
    }

    /// The edit rate limit: at most `max` `PUT /users/{id}` calls per `window` for each
    /// caller, then bare HTTP 429. Default: 50 per 600 s, as Nextcloud; None turns it off.
    pub fn set_edit_rate_limit(&self, limit: Option<(u32, Duration)>) {
        self.host.state().edit_rate_limit = limit;
    }

    /// The instance's largest quota (`files/max_quota`): a larger one is refused with
    /// 101, at creation only after the account was created. None (default): no limit.
    pub fn set_max_quota(&self, max: Option<ByteSize>) {
        self.host.state().max_quota = max.map(ByteSize::bytes);
    }

    /// Whether an unlimited quota may be set (`files/allow_unlimited_quota`, default
    /// true); when false, `none` is refused with 101.
    pub fn set_allow_unlimited_quota(&self, allow: bool) {
        self.host.state().allow_unlimited_quota = allow;
    }

    /// Sets the bytes an account uses (as after uploads or its first login); false when
    /// there is no such account.
    pub fn set_used(&self, id: &str, used: ByteSize) -> bool {
        self.with_user(id, |user| {
            user.used = used.bytes();
            user.report = StorageReport::Full;
        })
    }

    /// Makes the account look never logged in on a server that has not created its home:
    /// its quota object becomes the two-key fallback `{"quota": …, "used": 0}`.
    pub fn set_never_logged_in(&self, id: &str) -> bool {
        self.with_user(id, |user| {
            user.used = 0;
            user.report = StorageReport::HomeMissing;
        })
    }

    /// Makes reading the account's storage fail inside the server: `"quota": []`.
    pub fn set_storage_unavailable(&self, id: &str) -> bool {
        self.with_user(id, |user| user.report = StorageReport::Failed)
    }

    /// Adds an account directly (no request, no rules); false when the id is taken.
    pub fn add_user(&self, id: &str, password: &str) -> bool {
        self.host.state().insert_user(id, password)
    }

    /// Adds a group directly; false when it exists.
    pub fn add_group(&self, id: &str) -> bool {
        let mut state = self.host.state();
        if state.groups.contains_key(id) {
            return false;
        }
        state.groups.insert(id.to_string(), id.to_string());
        true
    }

    /// Puts an account into a group directly (no request, no rules), e.g. to make a
    /// second administrator with `add_member(id, "admin")`; false when the account or
    /// the group does not exist.
    pub fn add_member(&self, id: &str, group: &str) -> bool {
        let mut state = self.host.state();
        if !state.groups.contains_key(group) {
            return false;
        }
        match state.user_mut(id) {
            Some(user) => {
                user.groups.insert(group.to_string());
                true
            }
            None => false,
        }
    }

    /// The account with this id (any case), or None.
    pub fn user(&self, id: &str) -> Option<MockUser> {
        self.host.state().user(id).map(|u| MockUser {
            id: u.id.clone(),
            email: u.email.clone(),
            display_name: u.display_name.clone(),
            enabled: u.enabled,
            groups: u.groups.iter().cloned().collect(),
            quota: u.quota.text(),
            used: ByteSize::new(u.used),
        })
    }

    /// The ids of every account, the admin included.
    pub fn user_ids(&self) -> Vec<String> {
        self.host
            .state()
            .users
            .values()
            .map(|u| u.id.clone())
            .collect()
    }

    /// The ids of every group.
    pub fn groups(&self) -> Vec<String> {
        self.host.state().groups.keys().cloned().collect()
    }

    /// Whether `password` is the account's current password.
    pub fn check_password(&self, id: &str, password: &str) -> bool {
        self.host
            .state()
            .user(id)
            .is_some_and(|u| u.password == password)
    }

    fn with_user(&self, id: &str, change: impl FnOnce(&mut state::UserEntry)) -> bool {
        match self.host.state().user_mut(id) {
            Some(user) => {
                change(user);
                true
            }
            None => false,
        }
    }
}

/// Starts a [`MockNextcloud`] with chosen admin credentials (default [`ADMIN_USER`] /
/// [`ADMIN_PASSWORD`]; the admin is in the `admin` group) and a seed.
pub type MockNextcloudBuilder = MockSetup<Seed>;

impl MockSeed for Seed {
    type Mock = MockNextcloud;

    /// Fails when the admin id is empty or the seed holds a state the mock cannot (a
    /// duplicate id, an unknown group, an unreadable quota).
    async fn start(setup: MockSetup<Seed>) -> std::result::Result<MockNextcloud, SeedError> {
        use secrecy::ExposeSecret;
        let (user, password) = setup.admin_or(ADMIN_USER, ADMIN_PASSWORD);
        if user.trim().is_empty() || user.contains(':') {
            return Err(SeedError::Admin(
                "the admin id must be non-empty and without ':'".into(),
            ));
        }
        let mut state = State::new(&user, password.expose_secret());
        if let Some(seed) = setup.seed_given() {
            state.apply_seed(seed)?;
        }
        Ok(MockNextcloud::serve(state).await)
    }
}
