//! [`MockSynology`]: a stateful in-process DSM over real HTTP on loopback, for tests of
//! this crate and of integrators' billing code (feature `mock`).
//!
//! It emulates what the facts sheet's §15 lists: discovery (`query.cgi`), sessions per
//! login with sid and SynoToken and an idle clock tests advance, the version-7 gate on
//! mutations, the CSRF token check, the Noise IK responder (`_SSID` key, handshake in
//! the login, `X-SYNO-HASH` checked on every request that carries it and, when
//! [`NoiseMode::Required`], demanded on mutations), two-step verification with device
//! tokens, auto-block, users, groups and memberships with DSM's quirks and codes
//! (silent no-op membership calls, `errors:[3102]` on delete, case-insensitive names,
//! hidden package accounts), quota and usage in MiB, the password policy, batched calls
//! (`SYNO.Entry.Request`, each call checked and answered in order, `stop_when_error`),
//! fault injection, a bounded request log and a loud answer for any unknown route.
//!
//! ```
//! use provision_core::{ByteSize, Quota, StorageProvider};
//! use provision_synology::mock::MockSynology;
//!
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! let dsm = MockSynology::start().await;
//! dsm.add_group("plan-10g", "10 GB".parse::<Quota>().unwrap());
//! let provider = dsm.provider_builder().build().unwrap();
//! let groups = provider.list_groups().await.unwrap();
//! assert!(groups.iter().any(|g| g.as_str() == "plan-10g"));
//! # });
//! ```

mod handlers;
mod params;
pub mod seed;
mod state;

use std::time::Duration;

use provision_core::http::{ClientOptions, RetryConfig};
use provision_core::quota::{ByteSize, Quota};
use secrecy::SecretString;
use serde_json::{json, Value};
use wiremock::{Request, ResponseTemplate};

use crate::client::PasswordPolicy;
use crate::noise::responder::generate_static_key;
use crate::provider::{SynologyProvider, SynologyProviderBuilder};
use handlers::{Handled, Incoming};
use params::Params;
use provision_core::testkit::mock_host::MockHost;
use provision_core::testkit::seed::{MockSeed, MockSetup};
use seed::{Seed, SeedError};
use state::{key, ActiveFault, State};

/// How long a "dropped" connection is held open. wiremock cannot drop a socket, so a
/// drop is emulated by never answering within any sane client timeout.
pub const DROP_DELAY: Duration = Duration::from_secs(30);

const MIB: f64 = 1_048_576.0;

/// Whether the mock DSM runs the Noise IK handshake of DSM 7.2+.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NoiseMode {
    /// No `SYNO.API.Auth.UIConfig`, no `_SSID` key: logins are plain v7 logins.
    Off,
    /// The handshake runs when the client starts it; requests without `X-SYNO-HASH`
    /// still work (a DSM reached over its LAN address).
    #[default]
    Offered,
    /// Mutations without a valid `X-SYNO-HASH` answer 105 (a DSM reached over a public
    /// address).
    Required,
}

/// What an injected fault does to a request.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum FaultKind {
    /// Answer this HTTP status (with `Retry-After` when given) and a short text body.
    HttpStatus {
        /// The status, e.g. 503.
        status: u16,
        /// The `Retry-After` header to send.
        retry_after: Option<Duration>,
    },
    /// Answer HTTP 200 with `{"success":false,"error":{"code":N}}` without handling the
    /// request (e.g. 117 "busy", a sporadic 105, a transient 3106 on `get`).
    ApiError(i64),
    /// Handle the request, then answer after this delay (to provoke a client timeout
    /// after the server acted).
    Delay(Duration),
    /// Do not handle the request and answer only after [`DROP_DELAY`]: to the client
    /// this is a dropped connection (it times out first).
    DropConnection,
    /// Answer HTTP 200 with an HTML page, as a proxy or login redirect would.
    Html,
    /// End every session before handling the request (so it answers 119).
    ExpireSessions,
    /// Answer `{"success":true,"data":{}}` without handling the request: DSM's silent
    /// no-op (seen on membership calls with a wrong parameter name).
    SilentNoOp,
}

/// How many requests the mock's log keeps (the oldest go first); the request counter
/// counts them all.
pub const REQUEST_LOG_LIMIT: usize = 10_000;

/// A fault for the next requests: `times` requests (default 1), after letting `after`
/// matching requests through (default 0), only requests whose description contains
/// `only` when set. A request's description is `"<path> <api>.<method>"`, e.g.
/// `"/webapi/entry.cgi SYNO.Core.Quota.get"`.
///
/// As JSON (the stand-alone mock's control API): `kind` is `http_status` (with
/// `status`, optional `retry_after_s`), `api_error` (with `code`), `busy`, `delay`
/// (with `ms`), `drop_connection`, `html`, `expire_sessions` or `silent_no_op`;
/// `times`, `after` and `only` are optional; other fields are refused.
///
/// ```
/// use provision_synology::mock::Fault;
///
/// let fault: Fault = serde_json::from_value(serde_json::json!(
///     {"kind": "api_error", "code": 117, "times": 2, "only": "SYNO.Core.User.create"}
/// )).unwrap();
/// assert_eq!(fault, Fault::api_error(117).times(2).only("SYNO.Core.User.create"));
/// ```
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
#[serde(try_from = "FaultDocument")]
pub struct Fault {
    kind: FaultKind,
    times: usize,
    after: usize,
    only: Option<String>,
}

impl Fault {
    /// A fault of any kind, once.
    pub fn new(kind: FaultKind) -> Self {
        Fault {
            kind,
            times: 1,
            after: 0,
            only: None,
        }
    }

    /// An HTTP status (e.g. 500, 502, 503).
    pub fn http_status(status: u16) -> Self {
        Fault::new(FaultKind::HttpStatus {
            status,
            retry_after: None,
        })
    }

    /// Throttling as a proxy in front of DSM answers it: HTTP 429 with `Retry-After`.
    pub fn throttled(retry_after: Duration) -> Self {
        Fault::new(FaultKind::HttpStatus {
            status: 429,
            retry_after: Some(retry_after),
        })
    }

    /// DSM's own "system busy" answer (code 117).
    pub fn busy() -> Self {
        Fault::api_error(117)
    }

    /// A DSM error code instead of the answer.
    pub fn api_error(code: i64) -> Self {
        Fault::new(FaultKind::ApiError(code))
    }

    /// Handle, then answer late.
    pub fn delay(delay: Duration) -> Self {
        Fault::new(FaultKind::Delay(delay))
    }

    /// Never answer in time, without handling (see [`DROP_DELAY`]).
    pub fn drop_connection() -> Self {
        Fault::new(FaultKind::DropConnection)
    }

    /// An HTML page instead of JSON.
    pub fn html() -> Self {
        Fault::new(FaultKind::Html)
    }

    /// Every session ends before the request is handled.
    pub fn expire_sessions() -> Self {
        Fault::new(FaultKind::ExpireSessions)
    }

    /// Success without effect.
    pub fn silent_no_op() -> Self {
        Fault::new(FaultKind::SilentNoOp)
    }

    /// Hits this many requests.
    pub fn times(mut self, times: usize) -> Self {
        self.times = times;
        self
    }

    /// Lets this many matching requests through first.
    pub fn after(mut self, requests: usize) -> Self {
        self.after = requests;
        self
    }

    /// Hits only requests whose description contains `text` (e.g. `"SYNO.Core.Quota"`,
    /// `".create"`).
    pub fn only(mut self, text: impl Into<String>) -> Self {
        self.only = Some(text.into());
        self
    }
}

/// A fault as JSON, before its fields are checked against its kind.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct FaultDocument {
    kind: FaultName,
    status: Option<u16>,
    retry_after_s: Option<u64>,
    code: Option<i64>,
    ms: Option<u64>,
    times: Option<usize>,
    after: Option<usize>,
    only: Option<String>,
}

#[derive(serde::Deserialize, Clone, Copy, PartialEq, Eq, Debug)]
#[serde(rename_all = "snake_case")]
enum FaultName {
    HttpStatus,
    ApiError,
    Busy,
    Delay,
    DropConnection,
    Html,
    ExpireSessions,
    SilentNoOp,
}

impl TryFrom<FaultDocument> for Fault {
    type Error = String;

    fn try_from(doc: FaultDocument) -> Result<Fault, String> {
        let allowed: &[&str] = match doc.kind {
            FaultName::HttpStatus => &["status", "retry_after_s"],
            FaultName::ApiError => &["code"],
            FaultName::Delay => &["ms"],
            _ => &[],
        };
        let given = [
            ("status", doc.status.is_some()),
            ("retry_after_s", doc.retry_after_s.is_some()),
            ("code", doc.code.is_some()),
            ("ms", doc.ms.is_some()),
        ];
        if let Some((field, _)) = given.iter().find(|(f, set)| *set && !allowed.contains(f)) {
            return Err(format!(
                "field `{field}` does not apply to a {:?} fault",
                doc.kind
            ));
        }
        let mut fault = match doc.kind {
            FaultName::HttpStatus => match doc.status {
                Some(status @ 100..=599) => Fault::new(FaultKind::HttpStatus {
                    status,
                    retry_after: doc.retry_after_s.map(Duration::from_secs),
                }),
                Some(other) => return Err(format!("status {other} is not an HTTP status")),
                None => return Err("an http_status fault needs `status`".into()),
            },
            FaultName::ApiError => {
                Fault::api_error(doc.code.ok_or("an api_error fault needs `code`")?)
            }
            FaultName::Busy => Fault::busy(),
            FaultName::Delay => Fault::delay(Duration::from_millis(
                doc.ms.ok_or("a delay fault needs `ms`")?,
            )),
            FaultName::DropConnection => Fault::drop_connection(),
            FaultName::Html => Fault::html(),
            FaultName::ExpireSessions => Fault::expire_sessions(),
            FaultName::SilentNoOp => Fault::silent_no_op(),
        };
        if let Some(times) = doc.times {
            fault = fault.times(times);
        }
        if let Some(after) = doc.after {
            fault = fault.after(after);
        }
        if let Some(only) = doc.only {
            fault = fault.only(only);
        }
        Ok(fault)
    }
}

/// One request as the mock received it, for assertions on encodings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedRequest {
    /// `GET` or `POST`.
    pub http_method: String,
    /// The URL path, e.g. `/webapi/entry.cgi`.
    pub path: String,
    /// The raw query string (empty when none).
    pub query: String,
    /// The raw form body.
    pub body: String,
    /// The parameters of query and body, merged (body last), as sent.
    pub params: Vec<(String, String)>,
    /// The request headers (names lower case).
    pub headers: Vec<(String, String)>,
    /// The HTTP status answered (a dropped connection's never-sent answer counts as 200;
    /// 0 while the request is being answered).
    pub status: u16,
}

impl RecordedRequest {
    /// A parameter's raw value.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Whether this is a call of `api` `method`.
    pub fn is_call(&self, api: &str, method: &str) -> bool {
        self.param("api") == Some(api) && self.param("method") == Some(method)
    }
}

/// A user as the mock holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct MockUser {
    /// The name as stored.
    pub name: String,
    /// The uid.
    pub uid: u32,
    /// `"normal"`, `"now"` or a date.
    pub expired: String,
    /// The e-mail address.
    pub email: String,
    /// The description.
    pub description: String,
    /// The groups the user is in.
    pub groups: Vec<String>,
    /// `passwd_never_expire`.
    pub passwd_never_expire: bool,
    /// `cannot_chg_passwd`.
    pub cannot_chg_passwd: bool,
    /// The home usage in MiB.
    pub used_mib: f64,
}

/// The mock DSM. Dropping it stops the server.
#[derive(Debug)]
pub struct MockSynology {
    host: MockHost<State>,
}

fn quota_mib(quota: Quota) -> f64 {
    quota.limit().map_or(0.0, |l| l.bytes() as f64 / MIB)
}

impl MockSynology {
    /// The administrator account the mock accepts.
    pub const ADMIN_ACCOUNT: &'static str = "provision";
    /// Its password.
    pub const ADMIN_PASSWORD: &'static str = "Mock-Admin-Pw1";

    /// Starts a DSM 7.2 with `admin`/`guest` (disabled), the administrator
    /// [`Self::ADMIN_ACCOUNT`], groups `administrators`, `users`, `http`, homes on
    /// `/volume1`, Noise offered and the CSRF token required on mutations.
    ///
    /// # Panics
    /// When no Noise key can be generated (the operating system's RNG failed).
    pub async fn start() -> MockSynology {
        match Self::builder().start().await {
            Ok(mock) => mock,
            Err(e) => panic!("mock synology: {e}"),
        }
    }

    /// A builder for a mock with another administrator or a seed.
    ///
    /// ```
    /// use provision_synology::mock::{seed::Seed, MockSynology};
    ///
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let seed = Seed::from_json(serde_json::json!({
    ///     "users": [{"name": "c42-s7", "password": "Cust-Passw0rd"}]
    /// })).unwrap();
    /// let dsm = MockSynology::builder().admin("ops", "Ops-Passw0rd").seed(&seed).start().await.unwrap();
    /// assert!(dsm.user("c42-s7").is_some());
    /// assert_eq!(dsm.admin_account(), "ops");
    /// # });
    /// ```
    pub fn builder() -> MockSynologyBuilder {
        MockSynologyBuilder::default()
    }

    async fn serve(state: State) -> MockSynology {
        MockSynology {
            host: MockHost::start(state, respond).await,
        }
    }

    /// The name of the administrator the mock was started for.
    pub fn admin_account(&self) -> String {
        let state = self.host.state();
        state
            .users
            .get(&state.admin_key)
            .map_or_else(|| state.admin_key.clone(), |u| u.name.clone())
    }

    /// The current state in the seed format: loading it as a seed (with the same
    /// administrator) gives this state back. Its passwords are the mock's test
    /// credentials, in plain text.
    pub fn snapshot(&self) -> Seed {
        self.host.state().snapshot()
    }

    /// The loopback address the mock listens on.
    pub fn address(&self) -> std::net::SocketAddr {
        self.host.address()
    }

    /// The base address, e.g. `http://127.0.0.1:43123` (plain HTTP is accepted for
    /// loopback only).
    pub fn url(&self) -> String {
        self.host.url()
    }

    /// The administrator's password as a secret.
    pub fn admin_password(&self) -> SecretString {
        let state = self.host.state();
        let password = state
            .users
            .get(&state.admin_key)
            .map_or(String::new(), |u| u.password.clone());
        SecretString::from(password)
    }

    /// Client options for tests: short timeouts and millisecond backoffs.
    pub fn fast_client_options() -> ClientOptions {
        ClientOptions::default()
            .with_timeout(Duration::from_secs(5))
            .with_retry(RetryConfig::new(
                3,
                Duration::from_millis(2),
                Duration::from_millis(10),
                Duration::from_secs(5),
            ))
    }

    /// A provider builder aimed at this mock with the administrator's credentials and
    /// [`Self::fast_client_options`].
    pub fn provider_builder(&self) -> SynologyProviderBuilder {
        SynologyProvider::builder(self.url())
            .credentials(self.admin_account(), self.admin_password())
            .options(Self::fast_client_options())
    }

    // --- state ---------------------------------------------------------------------

    /// Creates a (plan) group whose `homes` share quota is `homes_quota`.
    pub fn add_group(&self, name: &str, homes_quota: Quota) {
        self.host
            .state()
            .insert_group(name, "", quota_mib(homes_quota));
    }

    /// Sets a group's `homes` share quota; false when there is no such group.
    pub fn set_group_quota(&self, group: &str, homes_quota: Quota) -> bool {
        match self.host.state().groups.get_mut(&key(group)) {
            Some(g) => {
                g.homes_quota_mib = quota_mib(homes_quota);
                true
            }
            None => false,
        }
    }

    /// Deletes a group as another administrator would; false when there is none.
    pub fn remove_group(&self, name: &str) -> bool {
        self.host.state().groups.remove(&key(name)).is_some()
    }

    /// Creates an enabled user (no policy check); returns its uid.
    pub fn add_user(&self, name: &str, password: &str) -> u32 {
        self.host.state().insert_user(name, password, "", "normal")
    }

    /// Creates an enabled administrator; returns its uid.
    pub fn add_admin(&self, name: &str, password: &str) -> u32 {
        let mut state = self.host.state();
        let uid = state.insert_user(name, password, "", "normal");
        if let Some(admins) = state.groups.get_mut("administrators") {
            admins.members.insert(key(name));
        }
        uid
    }

    /// Adds a user to a group directly; false when either is missing.
    pub fn add_member(&self, group: &str, user: &str) -> bool {
        let mut state = self.host.state();
        if !state.users.contains_key(&key(user)) {
            return false;
        }
        match state.groups.get_mut(&key(group)) {
            Some(g) => {
                g.members.insert(key(user));
                true
            }
            None => false,
        }
    }

    /// Reserves a name the way a DSM package account does (not listed, still taken).
    pub fn hide_account(&self, name: &str) {
        self.host.state().hidden_names.insert(key(name));
    }

    /// Sets a user's home usage; false when there is no such user.
    pub fn set_usage(&self, user: &str, used: ByteSize) -> bool {
        self.set_usage_mib(user, used.bytes() as f64 / MIB)
    }

    /// Sets a user's home usage in (possibly fractional) MiB, as DSM reports it.
    pub fn set_usage_mib(&self, user: &str, used_mib: f64) -> bool {
        match self.host.state().users.get_mut(&key(user)) {
            Some(u) => {
                u.used_mib = used_mib;
                true
            }
            None => false,
        }
    }

    /// Sets a user's own quota, which overrides its groups'; false when missing.
    pub fn set_user_quota(&self, user: &str, quota: Quota) -> bool {
        match self.host.state().users.get_mut(&key(user)) {
            Some(u) => {
                u.own_quota_mib = quota_mib(quota);
                true
            }
            None => false,
        }
    }

    /// Sets a user's `expired` value (`"normal"`, `"now"` or a date such as
    /// `"2030/1/31"`); false when there is no such user.
    pub fn set_expired(&self, user: &str, expired: &str) -> bool {
        match self.host.state().users.get_mut(&key(user)) {
            Some(u) => {
                u.expired = expired.to_string();
                true
            }
            None => false,
        }
    }

    /// A user by name (any case), or None.
    pub fn user(&self, name: &str) -> Option<MockUser> {
        let state = self.host.state();
        let k = key(name);
        let u = state.users.get(&k)?;
        Some(MockUser {
            name: u.name.clone(),
            uid: u.uid,
            expired: u.expired.clone(),
            email: u.email.clone(),
            description: u.description.clone(),
            groups: state.groups_of(&k),
            passwd_never_expire: u.passwd_never_expire,
            cannot_chg_passwd: u.cannot_chg_passwd,
            used_mib: u.used_mib,
        })
    }

    /// Whether the user exists and has this password.
    pub fn password_is(&self, user: &str, password: &str) -> bool {
        self.host
            .state()
            .users
            .get(&key(user))
            .is_some_and(|u| u.password == password)
    }

    /// Every user name, sorted case-insensitively.
    pub fn user_names(&self) -> Vec<String> {
        self.host
            .state()
            .users
            .values()
            .map(|u| u.name.clone())
            .collect()
    }

    /// The members of a group, or None when it does not exist.
    pub fn group_members(&self, group: &str) -> Option<Vec<String>> {
        let state = self.host.state();
        let g = state.groups.get(&key(group))?;
        Some(
            g.members
                .iter()
                .filter_map(|m| state.users.get(m).map(|u| u.name.clone()))
                .collect(),
        )
    }

    // --- login, sessions, 2FA ----------------------------------------------------------

    /// Turns on two-step verification for a user; returns the code valid now.
    pub fn enable_two_factor(&self, user: &str) -> Option<String> {
        handlers::enable_otp(&mut self.host.state(), user)
    }

    /// The code valid now for a user with two-step verification (each code works once).
    pub fn current_otp(&self, user: &str) -> Option<String> {
        self.host
            .state()
            .users
            .get(&key(user))?
            .otp
            .as_ref()
            .map(|o| o.current.clone())
    }

    /// Whether the policy demands two-step verification (accounts without it get 406).
    pub fn require_two_factor(&self, required: bool) {
        self.host.state().config.two_factor_required = required;
    }

    /// The Noise IK behaviour.
    pub fn set_noise(&self, mode: NoiseMode) {
        self.host.state().config.noise = mode;
    }

    /// The highest `SYNO.API.Auth` version offered (6 emulates DSM 6: `auth.cgi`,
    /// `did`, no mutations from such sessions on a 7.2.1 gate).
    pub fn set_auth_max_version(&self, version: u32) {
        self.host.state().config.auth_max_version = version;
    }

    /// Removes an API from discovery and dispatch (answers 102 afterwards).
    pub fn remove_api(&self, api: &str) {
        self.host
            .state()
            .config
            .removed_apis
            .insert(api.to_string());
    }

    /// Whether mutations need `X-SYNO-TOKEN`, and the code answered without it (DSM's
    /// real code is uncertain: 105, or 103 in one report). Default: required, 105.
    pub fn set_token_required(&self, code: Option<i64>) {
        self.host.state().config.token_required = code;
    }

    /// Logins DSM refused for bad credentials so far.
    pub fn failed_logins(&self) -> u32 {
        self.host.state().failed_logins
    }

    /// After this many failed logins every login answers 407 (None: never). Default 10.
    pub fn set_auto_block(&self, after_failures: Option<u32>) {
        self.host.state().config.auto_block_after = after_failures;
    }

    /// Lifts an auto-block and forgets failed logins.
    pub fn unblock(&self) {
        self.host.state().failed_logins = 0;
    }

    /// Live sessions.
    pub fn session_count(&self) -> usize {
        let mut state = self.host.state();
        state.expire_idle_sessions();
        state.sessions.len()
    }

    /// Ends every session now (their sids answer 119).
    pub fn expire_sessions(&self) {
        self.host.state().sessions.clear();
    }

    /// Moves the mock's clock: sessions idle longer than the timeout end.
    pub fn advance_clock(&self, by: Duration) {
        self.host.state().clock += by;
    }

    /// The idle timeout of sessions (default one hour).
    pub fn set_idle_timeout(&self, timeout: Duration) {
        self.host.state().config.idle_timeout = timeout;
    }

    // --- policies and layout -------------------------------------------------------------

    /// The password policy served and enforced.
    pub fn set_password_policy(&self, policy: PasswordPolicy) {
        self.host.state().config.password_policy = policy;
    }

    /// The code a policy-breaking password gets (default 3121; the sources disagree).
    pub fn set_password_error_code(&self, code: i64) {
        self.host.state().config.password_error_code = code;
    }

    /// The volume holding `homes` (default `/volume1`; `/volume2` exists too).
    pub fn set_homes_volume(&self, volume: &str) {
        let mut state = self.host.state();
        if !state.config.volumes.iter().any(|v| v == volume) {
            state.config.volumes.push(volume.to_string());
        }
        state.config.homes_volume = volume.to_string();
    }

    /// The most rows one `list` answers, whatever `limit` asks (None: no cap), to make
    /// clients page.
    pub fn set_max_page(&self, rows: Option<usize>) {
        self.host.state().config.max_page = rows;
    }

    /// Whether group `list` includes `gid` when asked (measured: it does not).
    pub fn set_group_list_gid(&self, included: bool) {
        self.host.state().config.group_list_gid = included;
    }

    // --- faults, latency, request log ---------------------------------------------------

    /// Injects a fault for the next matching requests.
    pub fn inject(&self, fault: Fault) {
        self.host.state().faults.push(ActiveFault {
            fault,
            skipped: 0,
            hit: 0,
        });
    }

    /// Removes every pending fault.
    pub fn clear_faults(&self) {
        self.host.state().faults.clear();
    }

    /// A delay applied to every answer (benches use 2 ms).
    pub fn set_latency(&self, latency: Duration) {
        self.host.state().config.latency = latency;
    }

    /// Requests received since start or the last reset.
    pub fn request_count(&self) -> usize {
        self.host.state().request_count
    }

    /// Resets the request counter and the request log.
    pub fn reset_request_count(&self) {
        let mut state = self.host.state();
        state.request_count = 0;
        state.requests.clear();
    }

    /// The requests received since start or the last reset, oldest first: the last
    /// [`REQUEST_LOG_LIMIT`] of them, so that long runs keep a bounded log.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.host.state().requests.iter().cloned().collect()
    }

    /// How many of the logged requests ([`Self::requests`]) called `api` `method`.
    pub fn calls(&self, api: &str, method: &str) -> usize {
        self.host
            .state()
            .requests
            .iter()
            .filter(|r| r.is_call(api, method))
            .count()
    }
}

/// Starts a [`MockSynology`] with a chosen administrator (default
/// [`MockSynology::ADMIN_ACCOUNT`] / [`MockSynology::ADMIN_PASSWORD`]: an enabled member
/// of `administrators`) and a seed.
pub type MockSynologyBuilder = MockSetup<Seed>;

impl MockSeed for Seed {
    type Mock = MockSynology;

    /// Fails when the administrator's name is empty or built in (`admin`, `guest`), or
    /// the seed holds a state the mock cannot (a name or id twice, a member that is no
    /// account, a group name over 32 characters).
    async fn start(setup: MockSetup<Seed>) -> Result<MockSynology, SeedError> {
        use secrecy::ExposeSecret;
        let noise_key = generate_static_key()
            .map_err(|e| SeedError::Start(format!("cannot generate a Noise key: {e}")))?;
        let (account, password) =
            setup.admin_or(MockSynology::ADMIN_ACCOUNT, MockSynology::ADMIN_PASSWORD);
        if account.trim().is_empty() || state::DEFAULT_ACCOUNTS.contains(&key(&account).as_str()) {
            return Err(SeedError::Admin(format!(
                "the administrator {account:?} must be a non-empty name other than admin and guest"
            )));
        }
        let mut state = State::new(noise_key, &account, password.expose_secret());
        if let Some(seed) = setup.seed_given() {
            state.apply_seed(seed)?;
        }
        Ok(MockSynology::serve(state).await)
    }
}

fn envelope(answer: Result<Value, handlers::Fail>) -> Value {
    match answer {
        Ok(Value::Null) => json!({"success": true}),
        Ok(data) => json!({"success": true, "data": data}),
        Err(fail) => {
            let mut error = json!({"code": fail.code});
            if let Some(errors) = fail.errors {
                error["errors"] = errors;
            }
            json!({"success": false, "error": error})
        }
    }
}

fn json_response(body: &Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body.to_string(), "application/json")
}

fn is_dsm_path(path: &str) -> bool {
    matches!(
        path,
        "/webapi/query.cgi" | "/webapi/entry.cgi" | "/webapi/auth.cgi"
    ) || path.starts_with("/webapi/entry.cgi/")
}

/// Takes the fault that hits this request, if any.
fn take_fault(state: &mut State, description: &str) -> Option<FaultKind> {
    let index = state.faults.iter_mut().position(|active| {
        if active
            .fault
            .only
            .as_deref()
            .is_some_and(|only| !description.contains(only))
        {
            return false;
        }
        if active.skipped < active.fault.after {
            active.skipped += 1;
            return false;
        }
        true
    })?;
    let active = &mut state.faults[index];
    active.hit += 1;
    let kind = active.fault.kind.clone();
    if active.hit >= active.fault.times {
        state.faults.remove(index);
    }
    Some(kind)
}

/// The mock host's answer function: records, applies faults, routes, answers.
fn respond(state: &mut State, request: &Request) -> ResponseTemplate {
    state.request_count += 1;
    let path = request.url.path().to_string();
    let query: Vec<(String, String)> = request.url.query_pairs().into_owned().collect();
    let form: Vec<(String, String)> =
        serde_urlencoded::from_bytes(&request.body).unwrap_or_default();
    let headers: Vec<(String, String)> = request
        .headers
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_ascii_lowercase(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let recorded = RecordedRequest {
        http_method: request.method.to_string(),
        path: path.clone(),
        query: request.url.query().unwrap_or_default().to_string(),
        body: String::from_utf8_lossy(&request.body).into_owned(),
        params: query.iter().chain(form.iter()).cloned().collect(),
        headers,
        status: 0,
    };
    let description = format!(
        "{path} {}.{}",
        recorded.param("api").unwrap_or_default(),
        recorded.param("method").unwrap_or_default()
    );
    if state.requests.len() >= REQUEST_LOG_LIMIT {
        state.requests.pop_front();
    }
    state.requests.push_back(recorded.clone());
    let (status, template) = answer(
        state,
        request,
        &path,
        &query,
        &form,
        &recorded,
        &description,
    );
    if let Some(last) = state.requests.back_mut() {
        last.status = status;
    }
    template
}

/// The status and the answer of one recorded request: a fault's, or the route's.
fn answer(
    state: &mut State,
    request: &Request,
    path: &str,
    query: &[(String, String)],
    form: &[(String, String)],
    recorded: &RecordedRequest,
    description: &str,
) -> (u16, ResponseTemplate) {
    let latency = state.config.latency;

    let mut extra_delay = Duration::ZERO;
    match take_fault(state, description) {
        Some(FaultKind::HttpStatus {
            status,
            retry_after,
        }) => {
            let mut template = ResponseTemplate::new(status)
                .set_body_string(format!("mock synology: injected HTTP {status}"));
            if let Some(wait) = retry_after {
                template = template.insert_header("retry-after", wait.as_secs().to_string());
            }
            return (status, template.set_delay(latency));
        }
        Some(FaultKind::ApiError(code)) => {
            return (
                200,
                json_response(&envelope(Err(code.into()))).set_delay(latency),
            );
        }
        Some(FaultKind::DropConnection) => {
            return (
                200,
                json_response(&envelope(Err(100.into()))).set_delay(DROP_DELAY),
            );
        }
        Some(FaultKind::Html) => {
            let page = ResponseTemplate::new(200).set_body_raw(
                "<!DOCTYPE html><html><body>Login</body></html>",
                "text/html",
            );
            return (200, page.set_delay(latency));
        }
        Some(FaultKind::SilentNoOp) => {
            return (
                200,
                json_response(&envelope(Ok(json!({})))).set_delay(latency),
            );
        }
        Some(FaultKind::ExpireSessions) => state.sessions.clear(),
        Some(FaultKind::Delay(delay)) => extra_delay = delay,
        None => {}
    }

    let method_ok = matches!(request.method.as_str(), "GET" | "POST");
    if !is_dsm_path(path) || !method_ok {
        let status = if method_ok { 404 } else { 501 };
        let refusal = ResponseTemplate::new(status).set_body_string(format!(
            "mock synology: no route for {} {path} (known: GET/POST /webapi/query.cgi, \
             /webapi/entry.cgi, /webapi/auth.cgi)",
            request.method
        ));
        return (status, refusal.set_delay(latency));
    }

    let header = |name: &str| recorded.header(name).map(str::to_string);
    let cookie = |name: &str| {
        recorded.header("cookie").and_then(|c| {
            c.split(';').find_map(|pair| {
                let (k, v) = pair.trim().split_once('=')?;
                (k == name).then(|| v.to_string())
            })
        })
    };
    let Handled { answer, set_cookie } = handlers::handle(
        state,
        Incoming {
            params: Params::new(query, form),
            header: &header,
            cookie: &cookie,
        },
    );
    let mut template = json_response(&envelope(answer));
    if let Some(cookie) = set_cookie {
        template = template.insert_header("set-cookie", cookie);
    }
    (200, template.set_delay(latency + extra_delay))
}
