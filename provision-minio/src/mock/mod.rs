//! A stateful MinIO (or RustFS) server in process, over real HTTP on loopback, for
//! tests — yours and ours (feature `mock`).
//!
//! It keeps users (secret, status), canned policies and their mappings, groups,
//! buckets with object versions, and a data-usage snapshot that only changes when a
//! test calls [`MockMinio::refresh_usage`] (the real figure comes from a background
//! scanner and lags). It verifies every SigV4 signature and payload hash and answers a
//! bad one as the server does; it decrypts real madmin request bodies and encrypts the
//! answers the server encrypts; it answers with MinIO's error codes and envelopes (or
//! RustFS's, see [`Dialect`]). A request for a route it does not implement gets a loud
//! HTTP 501 naming the method and path.
//!
//! The administrator is [`ROOT_ACCESS_KEY`] / [`ROOT_SECRET_KEY`], or the credentials
//! given to [`MockMinioBuilder::root_credentials`]. A test can start from a document
//! of users, policies, groups, buckets, objects and usage ([`seed::Seed`],
//! [`MockMinio::load_seed`]) and read the state back in that form
//! ([`MockMinio::snapshot`]); `provision mock minio` keeps its `--state` that way.
//! Users created through
//! the admin API can sign S3 requests, with the `Authorization` header or as presigned
//! URLs; their canned and group policies and the bucket's policy are evaluated by the
//! mock's own evaluator (Effect, Action, Resource, Principal; Conditions are ignored;
//! matching in [`matching`], independent of the library's), and a disabled user is
//! refused. Requests with no signature are anonymous and allowed only by a bucket
//! policy with the Principal `*`. Encrypted answers use id 0 (Argon2id) in the MinIO
//! dialect unless [`MockMinioBuilder::reply_algorithm`] says otherwise.
//!
//! Besides buckets, listings, puts and deletes, the S3 side serves bucket policies,
//! GetObject, multipart uploads and object lock with COMPLIANCE retention, so that
//! [`attack`] can try every route by which a tenant could add bytes.
//!
//! Tests can count requests, inject faults and latency, put objects and inspect state:
//!
//! ```
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! use std::time::Duration;
//! use provision_minio::mock::{Fault, MockMinio};
//!
//! let mock = MockMinio::start().await;
//! mock.create_bucket("alice").unwrap();
//! mock.put_object("alice", "photos/a.jpg", 2048).unwrap();
//! mock.refresh_usage();
//! mock.inject(Fault::server_error(503).times(2).on_path("datausageinfo"));
//! mock.set_latency(Duration::from_millis(2));
//! assert_eq!(mock.buckets(), ["alice"]);
//! # });
//! ```

mod admin;
pub mod attack;
mod bucket_policy;
mod eval;
pub mod matching;
mod multipart;
mod object_lock;
mod reply;
mod request;
mod s3;
pub mod seed;
mod state;

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use provision_core::testkit::mock_host::lock;
use std::time::Duration;

use chrono::Utc;
use percent_encoding::percent_decode_str;
use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::wire::madmin::Algorithm;
use crate::wire::policy::is_valid_bucket_name;
use crate::wire::sigv4::{self, Credentials, ReceivedRequest, VerifyError, VerifyOptions};
use reply::{render_error, Api, ApiError, Reply};
use request::{Ctx, Query};
use seed::{Seed, SeedError};
use state::{access_key_problem, secret_key_problem, ServerOptions, State};

/// The administrator's access key the mock accepts unless
/// [`MockMinioBuilder::root_credentials`] says otherwise.
pub const ROOT_ACCESS_KEY: &str = "minioadmin";
/// The administrator's secret key the mock accepts.
pub const ROOT_SECRET_KEY: &str = "minioadmin-mock-secret";

/// The object [`MockMinio::set_usage`] writes.
pub const USAGE_OBJECT: &str = ".provision-mock-usage";

/// How long [`Fault::drop_connection`] holds a request before answering.
pub const DROP_HOLD: Duration = Duration::from_secs(60);

/// Which server the mock imitates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Dialect {
    /// Community MinIO (RELEASE.2025-10-15): JSON admin errors, camelCase data usage.
    #[default]
    MinIO,
    /// RustFS 1.0.1: XML errors with its own codes, snake_case data usage, the info
    /// message wrapped under `info`, `/rustfs/admin/v3/` served too, and its
    /// leniencies (existing bucket → 200, no Content-MD5 needed, ...).
    RustFs,
}

/// What an injected fault does to a request.
///
/// As JSON (durations in milliseconds): `{"server_error": 503}`,
/// `{"throttle": {"retry_after_ms": 2000}}` (or `{"throttle": {}}`), `{"delay": 1500}`,
/// `{"drop_connection": 60000}`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum FaultKind {
    /// Answer this HTTP status (5xx) without carrying the request out.
    ServerError(u16),
    /// Answer the server's throttling error (HTTP 429 `TooManyRequests`) without
    /// carrying the request out, with a `Retry-After` when set.
    Throttle {
        /// The `Retry-After` to send.
        #[serde(rename = "retry_after_ms", default, with = "millis::optional")]
        retry_after: Option<Duration>,
    },
    /// Carry the request out, then answer only after this delay (past the client's
    /// timeout, the client never sees the answer although the change happened).
    Delay(#[serde(with = "millis")] Duration),
    /// Do not carry the request out and hold it for this long before answering 503.
    /// wiremock cannot drop a socket, so a dropped connection is emulated by an answer
    /// that comes after the client's timeout.
    DropConnection(#[serde(with = "millis")] Duration),
}

/// Durations as whole milliseconds in JSON.
mod millis {
    use std::time::Duration;

    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
        u64::deserialize(d).map(Duration::from_millis)
    }

    pub(super) mod optional {
        use std::time::Duration;

        use serde::{Deserialize, Deserializer, Serializer};

        pub(in super::super) fn serialize<S: Serializer>(
            d: &Option<Duration>,
            s: S,
        ) -> Result<S::Ok, S::Error> {
            match d {
                Some(d) => super::serialize(d, s),
                None => s.serialize_none(),
            }
        }

        pub(in super::super) fn deserialize<'de, D: Deserializer<'de>>(
            d: D,
        ) -> Result<Option<Duration>, D::Error> {
            Option::<u64>::deserialize(d).map(|ms| ms.map(Duration::from_millis))
        }
    }
}

/// How many requests the mock's log keeps (the oldest go first); the request counter
/// counts them all.
pub const REQUEST_LOG_LIMIT: usize = 10_000;

/// A fault for the next requests (optionally only those whose `path?query` contains
/// a substring, or with a given method). Faults are used in the order they were
/// injected.
///
/// As JSON, every field but `kind` optional:
/// `{"kind": {"server_error": 503}, "times": 2, "path_contains": "datausageinfo",
/// "method": "GET", "skip": 0}`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fault {
    /// What happens.
    pub kind: FaultKind,
    /// For how many matching requests.
    #[serde(default = "one")]
    pub times: u32,
    /// Only requests whose `path?query` contains this.
    #[serde(default)]
    pub path_contains: Option<String>,
    /// Only requests with this method (`PUT`).
    #[serde(default)]
    pub method: Option<String>,
    /// Matching requests to let through untouched before the fault applies.
    #[serde(default)]
    pub skip: u32,
}

fn one() -> u32 {
    1
}

impl Fault {
    fn once(kind: FaultKind) -> Fault {
        Fault {
            kind,
            times: 1,
            path_contains: None,
            method: None,
            skip: 0,
        }
    }

    /// The next request answers HTTP `status` (500, 502, 503, ...).
    pub fn server_error(status: u16) -> Fault {
        Fault::once(FaultKind::ServerError(status))
    }

    /// The next request is throttled (HTTP 429 `TooManyRequests`).
    pub fn throttle() -> Fault {
        Fault::once(FaultKind::Throttle { retry_after: None })
    }

    /// The next request is carried out and answered after `delay`.
    pub fn delay(delay: Duration) -> Fault {
        Fault::once(FaultKind::Delay(delay))
    }

    /// The next request is not carried out and gets no answer for [`DROP_HOLD`].
    pub fn drop_connection() -> Fault {
        Fault::once(FaultKind::DropConnection(DROP_HOLD))
    }

    /// Applies to the next `times` matching requests.
    pub fn times(mut self, times: u32) -> Fault {
        self.times = times;
        self
    }

    /// Applies only to requests whose `path?query` contains `part` (e.g. `add-user`).
    pub fn on_path(mut self, part: impl Into<String>) -> Fault {
        self.path_contains = Some(part.into());
        self
    }

    /// Lets the first `requests` matching requests through before applying.
    pub fn after(mut self, requests: u32) -> Fault {
        self.skip = requests;
        self
    }

    /// Applies only to requests with this HTTP method (e.g. `PUT`).
    pub fn on_method(mut self, method: impl Into<String>) -> Fault {
        self.method = Some(method.into().to_ascii_uppercase());
        self
    }

    /// For a throttle: the `Retry-After` to send.
    pub fn retry_after(mut self, wait: Duration) -> Fault {
        if let FaultKind::Throttle { retry_after } = &mut self.kind {
            *retry_after = Some(wait);
        }
        self
    }
}

/// A request the mock received.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct RecordedRequest {
    /// The HTTP method.
    pub method: String,
    /// The path as received (percent-encoded).
    pub path: String,
    /// The query string as received.
    pub query: String,
    /// The access key of the Authorization header, if it could be read.
    pub access_key: Option<String>,
    /// The HTTP status the mock answered.
    pub status: u16,
}

/// A user as the mock holds it (never with its secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MockUser {
    /// The access key.
    pub name: String,
    /// Whether it may sign requests.
    pub enabled: bool,
    /// The mapped canned policies.
    pub policies: Vec<String>,
    /// The groups it is in.
    pub groups: Vec<String>,
}

/// A group as the mock holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MockGroup {
    /// The group name.
    pub name: String,
    /// Whether its policies apply.
    pub enabled: bool,
    /// The members.
    pub members: Vec<String>,
    /// The mapped canned policies.
    pub policies: Vec<String>,
}

/// An object version or delete marker as the mock holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MockObject {
    /// The key.
    pub key: String,
    /// The version id (`null` in an unversioned bucket).
    pub version_id: String,
    /// The size in bytes.
    pub size: u64,
    /// Whether it is a delete marker.
    pub delete_marker: bool,
}

/// Why a test helper could not do what it was asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MockError {
    /// The bucket does not exist.
    #[error("mock MinIO has no bucket {0:?}")]
    NoSuchBucket(String),
    /// The bucket name breaks the bucket naming rules.
    #[error("{0:?} is not a valid bucket name")]
    InvalidBucketName(String),
    /// Root credentials MinIO would not start with (the reason, never the secret).
    #[error("unusable root credentials: {0}")]
    InvalidRootCredentials(&'static str),
}

/// Configures a [`MockMinio`] before it starts.
#[derive(Debug, Clone)]
pub struct MockMinioBuilder {
    dialect: Dialect,
    region: Option<String>,
    legacy_policy_api: bool,
    accepts_pbkdf2: bool,
    reply_algorithm: Option<Algorithm>,
    serves_minio_prefix: bool,
    root: (String, SecretString),
}

impl MockMinioBuilder {
    /// The administrator's credentials (default [`ROOT_ACCESS_KEY`] /
    /// [`ROOT_SECRET_KEY`]). MinIO refuses to start with an access key under 3 bytes
    /// or with `=` or `,` in it, or a secret key under 8 bytes, and so does this.
    pub fn root_credentials(
        mut self,
        access_key: impl Into<String>,
        secret_key: SecretString,
    ) -> Result<Self, MockError> {
        let access_key = access_key.into();
        if let Some(problem) = access_key_problem(&access_key)
            .or_else(|| secret_key_problem(secret_key.expose_secret()))
        {
            return Err(MockError::InvalidRootCredentials(problem));
        }
        self.root = (access_key, secret_key);
        Ok(self)
    }

    /// Imitates MinIO (default) or RustFS.
    pub fn dialect(mut self, dialect: Dialect) -> Self {
        self.dialect = dialect;
        self
    }

    /// A configured region: S3 requests must then be signed for it.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Behaves like a server from before RELEASE.2023-01-02: no attach/detach routes
    /// (HTTP 426 `XMinioAdminVersionMismatch`), only set-user-or-group-policy.
    pub fn legacy_policy_api(mut self, legacy: bool) -> Self {
        self.legacy_policy_api = legacy;
        self
    }

    /// Whether encrypted request bodies may use id 2 (PBKDF2); servers before
    /// RELEASE.2021-05-11 answer `XMinioAdminConfigBadJSON`.
    pub fn accepts_pbkdf2(mut self, accepts: bool) -> Self {
        self.accepts_pbkdf2 = accepts;
        self
    }

    /// The id the mock encrypts its answers with. The default is what the imitated
    /// server sends (sheet §5): id 0 (Argon2id + AES-256-GCM) for MinIO, as a
    /// community build on AES hardware sends, and id 2 (PBKDF2) for RustFS 1.0.1.
    /// Id 1 is what MinIO sends without AES hardware, id 2 what its FIPS builds
    /// send. Argon2id costs 64 MiB and noticeable time per message in debug builds,
    /// so tests that make many encrypted admin calls ask for id 2.
    pub fn reply_algorithm(mut self, algorithm: Algorithm) -> Self {
        self.reply_algorithm = Some(algorithm);
        self
    }

    /// For RustFS: whether `/minio/admin/v3/` is served besides `/rustfs/admin/v3/`
    /// (default yes, as RustFS 1.0.1 does).
    pub fn serves_minio_admin_prefix(mut self, serves: bool) -> Self {
        self.serves_minio_prefix = serves;
        self
    }

    /// Starts the server.
    pub async fn start(self) -> MockMinio {
        let options = ServerOptions {
            dialect: self.dialect,
            legacy_policy_api: self.legacy_policy_api,
            accepts_pbkdf2: self.accepts_pbkdf2,
            reply_algorithm: self.reply_algorithm.unwrap_or(match self.dialect {
                Dialect::MinIO => Algorithm::Argon2idAesGcm,
                Dialect::RustFs => Algorithm::Pbkdf2AesGcm,
            }),
            serves_minio_prefix: self.serves_minio_prefix || self.dialect == Dialect::MinIO,
        };
        let shared = Arc::new(Shared {
            state: Mutex::new(State::new(
                self.root.0.clone(),
                self.root.1.clone(),
                self.region,
                options,
            )),
            faults: Mutex::new(Vec::new()),
            latency: Mutex::new(Duration::ZERO),
            count: AtomicU64::new(0),
            log: Mutex::new(VecDeque::new()),
        });
        // Our own counter is kept; wiremock's recorder would hold every request forever.
        let server = MockServer::builder()
            .disable_request_recording()
            .start()
            .await;
        Mock::given(any())
            .respond_with(Responder(Arc::clone(&shared)))
            .mount(&server)
            .await;
        let (root_access_key, root_secret) = self.root;
        MockMinio {
            server,
            shared,
            root_access_key,
            root_secret,
        }
    }
}

/// A running mock server; it stops when dropped.
pub struct MockMinio {
    server: MockServer,
    shared: Arc<Shared>,
    root_access_key: String,
    root_secret: SecretString,
}

impl std::fmt::Debug for MockMinio {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockMinio")
            .field("url", &self.url())
            .field("dialect", &self.dialect())
            .finish_non_exhaustive()
    }
}

impl MockMinio {
    /// Starts a mock MinIO with the default settings.
    pub async fn start() -> MockMinio {
        MockMinio::builder().start().await
    }

    /// Configures a mock before starting it.
    pub fn builder() -> MockMinioBuilder {
        MockMinioBuilder {
            dialect: Dialect::MinIO,
            region: None,
            legacy_policy_api: false,
            accepts_pbkdf2: true,
            reply_algorithm: None,
            serves_minio_prefix: true,
            root: (
                ROOT_ACCESS_KEY.to_owned(),
                SecretString::from(ROOT_SECRET_KEY.to_owned()),
            ),
        }
    }

    /// The server's address, `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        self.server.uri()
    }

    /// The server's socket address (loopback).
    pub fn address(&self) -> std::net::SocketAddr {
        *self.server.address()
    }

    /// The administrator's access key.
    pub fn access_key(&self) -> &str {
        &self.root_access_key
    }

    /// The administrator's secret key.
    pub fn secret_key(&self) -> SecretString {
        self.root_secret.clone()
    }

    /// The administrator's credentials.
    pub fn credentials(&self) -> Credentials {
        Credentials::new(self.access_key(), self.secret_key())
    }

    /// The configured region, if any.
    pub fn region(&self) -> Option<String> {
        lock(&self.shared.state).region.clone()
    }

    /// Replaces users, policies, groups, buckets, objects and the usage snapshot with
    /// what `seed` describes (see [`seed`]). Nothing changes when the seed breaks a
    /// rule; the error names the item.
    pub fn load_seed(&self, seed: &Seed) -> Result<(), SeedError> {
        let mut state = lock(&self.shared.state);
        *state = seed::apply(&state, seed)?;
        Ok(())
    }

    /// The current state as a seed: loading it into a mock gives this state back
    /// (uploads in progress are not kept). It holds the users' secret keys.
    pub fn snapshot(&self) -> Seed {
        seed::snapshot(&lock(&self.shared.state))
    }

    /// The dialect it speaks.
    pub fn dialect(&self) -> Dialect {
        lock(&self.shared.state).dialect()
    }

    /// Requests received since the start or the last reset.
    pub fn request_count(&self) -> u64 {
        self.shared.count.load(Ordering::SeqCst)
    }

    /// Sets the request count to zero and forgets the recorded requests.
    pub fn reset_request_count(&self) {
        self.shared.count.store(0, Ordering::SeqCst);
        lock(&self.shared.log).clear();
    }

    /// The requests received since the start or the last reset, in order: the last
    /// [`REQUEST_LOG_LIMIT`] of them, so that long runs keep a bounded log.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.shared.log).iter().cloned().collect()
    }

    /// Those of [`Self::requests`] after the first `seen` (a [`Self::request_count`]
    /// taken earlier) whose method may change something: not GET or HEAD. For tests
    /// that an operation changed nothing.
    pub fn changing_requests_since(&self, seen: u64) -> Vec<RecordedRequest> {
        let seen = usize::try_from(seen).unwrap_or(usize::MAX);
        self.requests()
            .into_iter()
            .skip(seen)
            .filter(|r| !matches!(r.method.as_str(), "GET" | "HEAD"))
            .collect()
    }

    /// Adds a fault for the next matching requests.
    pub fn inject(&self, fault: Fault) {
        lock(&self.shared.faults).push(fault);
    }

    /// Removes every pending fault.
    pub fn clear_faults(&self) {
        lock(&self.shared.faults).clear();
    }

    /// A delay added to every answer (benchmarks use a few milliseconds).
    pub fn set_latency(&self, latency: Duration) {
        *lock(&self.shared.latency) = latency;
    }

    /// Makes a bucket, as an operator would by hand.
    pub fn create_bucket(&self, bucket: &str) -> Result<(), MockError> {
        if !is_valid_bucket_name(bucket) {
            return Err(MockError::InvalidBucketName(bucket.to_owned()));
        }
        lock(&self.shared.state).create_bucket(bucket);
        Ok(())
    }

    /// Turns versioning on or off for a bucket.
    pub fn set_versioning(&self, bucket: &str, enabled: bool) -> Result<(), MockError> {
        let mut state = lock(&self.shared.state);
        let record = state
            .buckets
            .get_mut(bucket)
            .ok_or_else(|| MockError::NoSuchBucket(bucket.to_owned()))?;
        record.versioning = enabled;
        Ok(())
    }

    /// Stores an object of `size` bytes (a new version in a versioned bucket) and
    /// returns its version id (`null` without versioning).
    pub fn put_object(&self, bucket: &str, key: &str, size: u64) -> Result<String, MockError> {
        lock(&self.shared.state)
            .put_object(bucket, key, size)
            .ok_or_else(|| MockError::NoSuchBucket(bucket.to_owned()))
    }

    /// Deletes an object without a version: a versioned bucket gains a delete marker,
    /// whose id is returned.
    pub fn delete_object(&self, bucket: &str, key: &str) -> Result<Option<String>, MockError> {
        lock(&self.shared.state)
            .delete_object(bucket, key, None)
            .ok_or_else(|| MockError::NoSuchBucket(bucket.to_owned()))
    }

    /// Runs the "scanner": the data-usage answer reflects the buckets as they are now
    /// (until the next refresh).
    pub fn refresh_usage(&self) {
        let mut state = lock(&self.shared.state);
        state.usage = Some(state.scan());
    }

    /// Makes `bucket` hold `bytes` bytes (in one object, replacing what this helper
    /// put there before) and runs the scanner, so that usage reads `bytes` for it.
    pub fn set_usage(&self, bucket: &str, bytes: u64) -> Result<(), MockError> {
        let mut state = lock(&self.shared.state);
        let versioned = state
            .buckets
            .get(bucket)
            .ok_or_else(|| MockError::NoSuchBucket(bucket.to_owned()))?
            .versioning;
        if versioned {
            // Drop earlier versions so the figure is exactly `bytes`.
            if let Some(record) = state.buckets.get_mut(bucket) {
                record.objects.remove(USAGE_OBJECT);
            }
        }
        state.put_object(bucket, USAGE_OBJECT, bytes);
        state.usage = Some(state.scan());
        Ok(())
    }

    /// A provider for this mock, with default client options.
    pub fn provider(&self) -> Result<crate::MinioProvider, provision_core::Error> {
        self.provider_builder().build()
    }

    /// A provider builder for this mock, to adjust before building.
    pub fn provider_builder(&self) -> crate::MinioProviderBuilder {
        crate::MinioProvider::builder(self.url()).credentials(self.access_key(), self.secret_key())
    }

    /// Forgets the data-usage snapshot, as a server before its first scan.
    pub fn clear_usage(&self) {
        lock(&self.shared.state).usage = None;
    }

    /// A user, or `None`.
    pub fn user(&self, name: &str) -> Option<MockUser> {
        let state = lock(&self.shared.state);
        state.users.get(name).map(|u| MockUser {
            name: name.to_owned(),
            enabled: u.enabled,
            policies: u.policies.clone(),
            groups: state.groups_of(name),
        })
    }

    /// Every user's name.
    pub fn user_names(&self) -> Vec<String> {
        lock(&self.shared.state).users.keys().cloned().collect()
    }

    /// Whether `name`'s secret key is `secret` (to check password changes).
    pub fn user_secret_is(&self, name: &str, secret: &str) -> bool {
        lock(&self.shared.state)
            .users
            .get(name)
            .is_some_and(|u| u.secret.expose_secret() == secret)
    }

    /// A canned policy's document, or `None`.
    pub fn policy(&self, name: &str) -> Option<Value> {
        lock(&self.shared.state)
            .policies
            .get(name)
            .map(|p| p.document.clone())
    }

    /// Every canned policy's name, built-ins included.
    pub fn policy_names(&self) -> Vec<String> {
        lock(&self.shared.state).policies.keys().cloned().collect()
    }

    /// A group, or `None`.
    pub fn group(&self, name: &str) -> Option<MockGroup> {
        lock(&self.shared.state)
            .groups
            .get(name)
            .map(|g| MockGroup {
                name: name.to_owned(),
                enabled: g.enabled,
                members: g.members.iter().cloned().collect(),
                policies: g.policies.clone(),
            })
    }

    /// Every bucket's name, sorted.
    pub fn buckets(&self) -> Vec<String> {
        lock(&self.shared.state).buckets.keys().cloned().collect()
    }

    /// Every version and delete marker in a bucket, by key, oldest first.
    pub fn objects(&self, bucket: &str) -> Result<Vec<MockObject>, MockError> {
        let state = lock(&self.shared.state);
        let record = state
            .buckets
            .get(bucket)
            .ok_or_else(|| MockError::NoSuchBucket(bucket.to_owned()))?;
        Ok(record
            .objects
            .iter()
            .flat_map(|(key, versions)| {
                versions.iter().map(move |v| MockObject {
                    key: key.clone(),
                    version_id: v.version_id.clone(),
                    size: v.size,
                    delete_marker: v.delete_marker,
                })
            })
            .collect())
    }

    /// A bucket's policy as it was sent, or `None`.
    pub fn bucket_policy(&self, bucket: &str) -> Option<String> {
        lock(&self.shared.state)
            .buckets
            .get(bucket)
            .and_then(|b| b.policy.as_ref())
            .map(|p| String::from_utf8_lossy(&p.raw).into_owned())
    }

    /// Whether a bucket's policy lets anonymous requests do something.
    pub fn bucket_is_public(&self, bucket: &str) -> bool {
        lock(&self.shared.state)
            .buckets
            .get(bucket)
            .and_then(|b| b.policy.as_ref())
            .is_some_and(|p| p.parsed.is_public())
    }

    /// Whether a bucket was made with object lock.
    pub fn object_lock_enabled(&self, bucket: &str) -> bool {
        lock(&self.shared.state)
            .buckets
            .get(bucket)
            .is_some_and(|b| b.object_lock)
    }

    /// The bytes a bucket holds now (every version, as the scanner counts them;
    /// multipart uploads count once completed). 0 for a missing bucket.
    pub fn stored_bytes(&self, bucket: &str) -> u64 {
        lock(&self.shared.state)
            .scan()
            .buckets
            .get(bucket)
            .map_or(0, |b| b.size)
    }

    /// A bucket's hard quota, if set.
    pub fn bucket_quota(&self, bucket: &str) -> Option<u64> {
        lock(&self.shared.state)
            .buckets
            .get(bucket)
            .and_then(|b| b.quota)
    }
}

/// State and controls shared between the handle and the server.
struct Shared {
    state: Mutex<State>,
    faults: Mutex<Vec<Fault>>,
    latency: Mutex<Duration>,
    count: AtomicU64,
    /// The most recent requests, at most [`REQUEST_LOG_LIMIT`].
    log: Mutex<VecDeque<RecordedRequest>>,
}

struct Responder(Arc<Shared>);

impl Respond for Responder {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let (reply, delay) = self.0.answer(request);
        let mut template = ResponseTemplate::new(reply.status);
        for (name, value) in &reply.headers {
            template = template.insert_header(*name, value.as_str());
        }
        if let Some(content_type) = reply.content_type {
            if reply.status != 204 {
                template = template.set_body_raw(reply.body, content_type);
            }
        }
        if !delay.is_zero() {
            template = template.set_delay(delay);
        }
        template
    }
}

/// The admin endpoint of a path (`add-user`), when the path is under a served prefix.
fn admin_endpoint<'p>(path: &'p str, options: &ServerOptions) -> Option<&'p str> {
    let minio = options
        .serves_minio_prefix
        .then(|| path.strip_prefix("/minio/admin/v3/"))
        .flatten();
    let rustfs = (options.dialect == Dialect::RustFs)
        .then(|| path.strip_prefix("/rustfs/admin/v3/"))
        .flatten();
    minio.or(rustfs)
}

impl Shared {
    fn take_fault(&self, method: &str, target: &str) -> Option<FaultKind> {
        let mut faults = lock(&self.faults);
        let index = faults.iter().position(|f| {
            f.times > 0
                && f.method.as_deref().is_none_or(|m| m == method)
                && f.path_contains
                    .as_deref()
                    .is_none_or(|part| target.contains(part))
        })?;
        let fault = &mut faults[index];
        if fault.skip > 0 {
            fault.skip -= 1;
            return None;
        }
        fault.times -= 1;
        let kind = fault.kind.clone();
        if fault.times == 0 {
            faults.remove(index);
        }
        Some(kind)
    }

    fn answer(&self, request: &Request) -> (Reply, Duration) {
        self.count.fetch_add(1, Ordering::SeqCst);
        let (reply, delay) = self.carry_out(request);
        let raw_query = request.url.query().unwrap_or_default();
        let access_key = request
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| sigv4::parse_authorization(v).ok())
            .map(|a| a.access_key)
            .or_else(|| presigned_access_key(raw_query));
        let mut log = lock(&self.log);
        if log.len() >= REQUEST_LOG_LIMIT {
            log.pop_front();
        }
        log.push_back(RecordedRequest {
            method: request.method.as_str().to_owned(),
            path: request.url.path().to_owned(),
            query: raw_query.to_owned(),
            access_key,
            status: reply.status,
        });
        (reply, delay)
    }

    /// Applies a pending fault or handles the request.
    fn carry_out(&self, request: &Request) -> (Reply, Duration) {
        let method = request.method.as_str();
        let path = request.url.path();
        let raw_query = request.url.query().unwrap_or_default();
        let target = if raw_query.is_empty() {
            path.to_owned()
        } else {
            format!("{path}?{raw_query}")
        };
        let headers: Vec<(&str, &str)> = request
            .headers
            .iter()
            .filter_map(|(n, v)| v.to_str().ok().map(|v| (n.as_str(), v)))
            .collect();
        let (options, mut delay) = (lock(&self.state).options, *lock(&self.latency));
        let admin = admin_endpoint(path, &options);
        let api = if admin.is_some() { Api::Admin } else { Api::S3 };
        let head = method == "HEAD";
        let error = |e: ApiError| render_error(&e, api, options.dialect, path, head);

        match self.take_fault(method, &target) {
            Some(FaultKind::ServerError(status)) => {
                let code = if status == 503 {
                    "ServiceUnavailable"
                } else {
                    "InternalError"
                };
                let e = ApiError::new(status, code, "injected fault: please retry");
                return (error(e), delay);
            }
            Some(FaultKind::Throttle { retry_after }) => {
                let e = ApiError::new(429, "TooManyRequests", "Please reduce your request rate");
                let mut reply = error(e);
                if let Some(wait) = retry_after {
                    reply = reply.header("retry-after", wait.as_secs().to_string());
                }
                return (reply, delay);
            }
            Some(FaultKind::DropConnection(hold)) => {
                let e = ApiError::new(
                    503,
                    "ServiceUnavailable",
                    "injected fault: connection dropped",
                );
                return (error(e), delay + hold);
            }
            Some(FaultKind::Delay(extra)) => delay += extra,
            None => {}
        }

        let reply = self
            .handle(request, method, path, raw_query, &target, &headers, admin)
            .unwrap_or_else(error);
        (reply, delay)
    }

    #[allow(clippy::too_many_arguments)]
    fn handle(
        &self,
        request: &Request,
        method: &str,
        path: &str,
        raw_query: &str,
        target: &str,
        headers: &[(&str, &str)],
        admin: Option<&str>,
    ) -> Result<Reply, ApiError> {
        let mut state = lock(&self.state);
        let mut options = VerifyOptions::new().at(Utc::now());
        if admin.is_none() {
            if let Some(region) = &state.region {
                options = options.region(region.clone());
            }
        }
        let received = ReceivedRequest {
            method,
            path,
            query: raw_query,
            headers,
            body: &request.body,
        };
        let has_authorization = request.headers.contains_key("authorization");
        let presigned = admin.is_none() && !has_authorization && sigv4::is_presigned(raw_query);
        // S3 requests with no signature at all are anonymous: only a bucket policy
        // can allow them. The admin API always wants a signature.
        let anonymous = admin.is_none() && !has_authorization && !presigned;
        let caller = if anonymous {
            None
        } else {
            let lookup = |access_key: &str| state.secret_for(access_key);
            let verified = if presigned {
                sigv4::verify_presigned(&received, &options, lookup)
            } else {
                sigv4::verify(&received, &options, lookup)
            }
            .map_err(|e| auth_error(&e, state.dialect()))?;
            let secret = state
                .secret_for(&verified.access_key)
                .ok_or_else(|| ApiError::new(403, "InvalidAccessKeyId", "unknown access key"))?;
            Some((verified.access_key, secret))
        };
        let (caller, caller_secret) =
            caller.unwrap_or_else(|| (String::new(), SecretString::from(String::new())));
        let ctx = Ctx {
            method,
            target: target.to_owned(),
            query: Query::parse(raw_query),
            headers: &request.headers,
            body: &request.body,
            is_root: !anonymous && caller == state.root_access_key,
            anonymous,
            caller,
            caller_secret,
            host: request
                .headers
                .get("host")
                .and_then(|h| h.to_str().ok())
                .unwrap_or_default()
                .to_owned(),
        };
        match admin {
            Some(endpoint) => admin::handle(&mut state, &ctx, endpoint),
            None => {
                let decoded = percent_decode_str(path).decode_utf8().map_err(|_| {
                    ApiError::new(400, "InvalidArgument", "the path is not valid UTF-8")
                })?;
                s3::handle(&mut state, &ctx, &decoded)
            }
        }
    }
}

/// The access key of a presigned URL's `X-Amz-Credential`, for the request log.
fn presigned_access_key(raw_query: &str) -> Option<String> {
    let credential = Query::parse(raw_query).get("X-Amz-Credential")?.to_owned();
    let mut parts = credential.rsplitn(5, '/');
    parts.nth(4).map(str::to_owned)
}

/// The server's answer to a request that fails authentication.
fn auth_error(error: &VerifyError, dialect: Dialect) -> ApiError {
    let status = match (dialect, error) {
        // RustFS refuses a missing payload hash with 400.
        (
            Dialect::RustFs,
            VerifyError::MissingHeader {
                name: "x-amz-content-sha256",
            },
        ) => 400,
        _ => error.http_status(),
    };
    ApiError::new(status, error.minio_code(), error.to_string())
}
