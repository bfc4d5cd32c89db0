//! The MinIO admin API v3 calls provisioning needs, and their types.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use provision_core::error::Error;
use provision_core::http::{ClientOptions, Idempotency};
use reqwest::Method;
use secrecy::zeroize::Zeroizing;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::transport::{Call, Reply, Transport};
use crate::error::{has_code, is_unknown_route, BACKEND};
use crate::wire::madmin::{self, Algorithm};
use crate::wire::policy::PolicyDocument;
use crate::wire::sigv4::Credentials;

/// The admin API prefix community MinIO serves.
pub const MINIO_ADMIN_PREFIX: &str = "/minio/admin/v3";

/// The admin API prefix RustFS serves besides [`MINIO_ADMIN_PREFIX`].
pub const RUSTFS_ADMIN_PREFIX: &str = "/rustfs/admin/v3";

/// The error code for an attach of an attached policy or a detach of a detached one.
const ALREADY_APPLIED: &str = "XMinioAdminPolicyChangeAlreadyApplied";

/// The error code for an admin call the server does not have, under a valid prefix.
const VERSION_MISMATCH: &str = "XMinioAdminVersionMismatch";

/// The error code for an add-user body the server could not decrypt.
const BAD_JSON: &str = "XMinioAdminConfigBadJSON";

/// Whether a user (or group) can authenticate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UserStatus {
    /// `enabled`.
    Enabled,
    /// `disabled`.
    Disabled,
}

impl UserStatus {
    /// The wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            UserStatus::Enabled => "enabled",
            UserStatus::Disabled => "disabled",
        }
    }

    /// Reads a wire value as the server does: `enabled` (or `on`) is enabled and
    /// anything else disabled.
    pub fn from_wire(value: &str) -> UserStatus {
        match value {
            "enabled" | "on" => UserStatus::Enabled,
            _ => UserStatus::Disabled,
        }
    }
}

impl<'de> Deserialize<'de> for UserStatus {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(UserStatus::from_wire(&String::deserialize(d)?))
    }
}

/// A user as user-info and list-users describe it (never with its secret).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct UserInfo {
    /// The mapped policies, comma-joined; `None` when none is mapped.
    #[serde(default, alias = "policy_name")]
    pub policy_name: Option<String>,
    /// Enabled or disabled.
    pub status: UserStatus,
    /// The groups the user is in.
    #[serde(default, alias = "member_of", deserialize_with = "null_as_empty")]
    pub member_of: Vec<String>,
    /// When the user was last changed, as the server wrote it.
    #[serde(default, alias = "updated_at")]
    pub updated_at: Option<String>,
}

impl UserInfo {
    /// The mapped policy names.
    pub fn policies(&self) -> Vec<&str> {
        split_policies(self.policy_name.as_deref())
    }
}

fn split_policies(joined: Option<&str>) -> Vec<&str> {
    joined
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect()
}

fn null_as_empty<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

/// A group as the group call describes it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct GroupInfo {
    /// The group name.
    #[serde(default)]
    pub name: String,
    /// Enabled or disabled.
    pub status: UserStatus,
    /// The member access keys.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub members: Vec<String>,
    /// The mapped policies, comma-joined (empty when none).
    #[serde(default)]
    pub policy: Option<String>,
}

impl GroupInfo {
    /// The mapped policy names.
    pub fn policies(&self) -> Vec<&str> {
        split_policies(self.policy.as_deref())
    }
}

/// The server product, told apart by the shape of its answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ServerProduct {
    /// MinIO (community or a compatible build answering like it).
    MinIO,
    /// RustFS, which wraps the info message and answers in its own dialect.
    RustFs,
}

impl ServerProduct {
    /// The product's name.
    pub fn name(self) -> &'static str {
        match self {
            ServerProduct::MinIO => "MinIO",
            ServerProduct::RustFs => "RustFS",
        }
    }
}

/// One server of the deployment, from the info call.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct ServerProperties {
    /// `online` or `offline`.
    pub state: Option<String>,
    /// The server's address.
    pub endpoint: Option<String>,
    /// The release (MinIO: `2025-10-15T17:29:55Z`; RustFS: `1.0.1`).
    pub version: Option<String>,
    /// The commit the server was built from.
    pub commit_id: Option<String>,
}

/// What the info call reports.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ServerInfoMessage {
    /// Which product answered.
    pub product: ServerProduct,
    /// `online` when the deployment is up.
    pub mode: Option<String>,
    /// The deployment's id.
    pub deployment_id: Option<String>,
    /// The configured region, if any.
    pub region: Option<String>,
    /// The servers of the deployment.
    pub servers: Vec<ServerProperties>,
}

impl ServerInfoMessage {
    /// The version of the first server that names one.
    pub fn version(&self) -> Option<&str> {
        self.servers.iter().find_map(|s| s.version.as_deref())
    }

    fn parse(body: &[u8]) -> Result<ServerInfoMessage, Error> {
        let value: Value = parse_json(body, "info")?;
        // RustFS wraps MinIO's message under "info".
        let (mut product, message) = match value.get("info") {
            Some(inner @ Value::Object(_)) => (ServerProduct::RustFs, inner),
            _ => (ServerProduct::MinIO, &value),
        };
        let text = |v: &Value, key: &str| v.get(key).and_then(Value::as_str).map(str::to_owned);
        let mut servers = Vec::new();
        for server in message
            .get("servers")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let mut version = text(server, "version");
            if let Some(v) = version.as_deref().and_then(|v| v.strip_prefix('@')) {
                // RustFS reads `@1.0.1`.
                product = ServerProduct::RustFs;
                version = Some(v.to_owned());
            }
            servers.push(ServerProperties {
                state: text(server, "state"),
                endpoint: text(server, "endpoint"),
                version,
                commit_id: text(server, "commitID").or_else(|| text(server, "commit_id")),
            });
        }
        Ok(ServerInfoMessage {
            product,
            mode: text(message, "mode"),
            deployment_id: text(message, "deploymentID").or_else(|| text(message, "deployment_id")),
            region: text(message, "region").filter(|r| !r.is_empty()),
            servers,
        })
    }
}

/// One bucket's usage in the scanner's snapshot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct BucketUsage {
    /// Bytes stored, all versions included.
    pub size: u64,
    /// Objects.
    pub objects_count: u64,
    /// Object versions.
    pub versions_count: u64,
}

/// The data-usage snapshot of the background scanner.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct DataUsage {
    /// When the scanner produced it; `None` before the first scan.
    pub last_update: Option<DateTime<Utc>>,
    /// Objects in the deployment.
    pub objects_count: u64,
    /// Bytes in the deployment.
    pub objects_total_size: u64,
    /// Buckets in the deployment.
    pub buckets_count: u64,
    /// Per-bucket usage (empty before the first scan).
    pub buckets: BTreeMap<String, BucketUsage>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawDataUsage {
    #[serde(default, alias = "last_update")]
    last_update: Option<RawTime>,
    #[serde(default, alias = "objects_count")]
    objects_count: Option<u64>,
    #[serde(default, alias = "objects_total_size")]
    objects_total_size: Option<u64>,
    #[serde(default, alias = "buckets_count")]
    buckets_count: Option<u64>,
    #[serde(default, alias = "buckets_usage")]
    buckets_usage_info: Option<BTreeMap<String, RawBucketUsage>>,
    #[serde(default, alias = "buckets_sizes")]
    buckets_sizes: Option<BTreeMap<String, u64>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawBucketUsage {
    #[serde(default)]
    size: Option<u64>,
    #[serde(default, alias = "objects_count")]
    objects_count: Option<u64>,
    #[serde(default, alias = "versions_count")]
    versions_count: Option<u64>,
}

/// MinIO writes RFC 3339; RustFS writes Rust's `SystemTime` serialisation.
#[derive(Deserialize)]
#[serde(untagged)]
enum RawTime {
    Text(String),
    Epoch {
        secs_since_epoch: i64,
        #[serde(default)]
        nanos_since_epoch: u32,
    },
}

impl RawTime {
    /// The time, or `None` for the zero times servers write before the first scan.
    fn to_utc(&self) -> Option<DateTime<Utc>> {
        let time = match self {
            RawTime::Text(text) => DateTime::parse_from_rfc3339(text).ok()?.with_timezone(&Utc),
            RawTime::Epoch {
                secs_since_epoch,
                nanos_since_epoch,
            } => DateTime::from_timestamp(*secs_since_epoch, *nanos_since_epoch)?,
        };
        (time.timestamp() > 0).then_some(time)
    }
}

impl DataUsage {
    fn parse(body: &[u8]) -> Result<DataUsage, Error> {
        let raw: RawDataUsage = parse_json(body, "datausageinfo")?;
        let mut buckets: BTreeMap<String, BucketUsage> = raw
            .buckets_sizes
            .unwrap_or_default()
            .into_iter()
            .map(|(name, size)| {
                (
                    name,
                    BucketUsage {
                        size,
                        ..BucketUsage::default()
                    },
                )
            })
            .collect();
        // The detailed map wins over the legacy sizes map where both are present.
        for (name, b) in raw.buckets_usage_info.unwrap_or_default() {
            buckets.insert(
                name,
                BucketUsage {
                    size: b.size.unwrap_or_default(),
                    objects_count: b.objects_count.unwrap_or_default(),
                    versions_count: b.versions_count.unwrap_or_default(),
                },
            );
        }
        Ok(DataUsage {
            last_update: raw.last_update.as_ref().and_then(RawTime::to_utc),
            objects_count: raw.objects_count.unwrap_or_default(),
            objects_total_size: raw.objects_total_size.unwrap_or_default(),
            buckets_count: raw.buckets_count.unwrap_or_default(),
            buckets,
        })
    }
}

/// A bucket's hard quota.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BucketQuota {
    /// The limit in bytes.
    pub size: u64,
}

/// Who a policy is attached to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyEntity<'a> {
    /// A user, by access key.
    User(&'a str),
    /// A group, by name.
    Group(&'a str),
}

/// Whether an attach or detach changed anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyChange {
    /// The mapping changed.
    Applied,
    /// The mapping was already so (the server's "no net effect" answer).
    AlreadyApplied,
}

/// Which admin prefix is in use, and whether a server answer confirmed it.
#[derive(Debug)]
struct PrefixChoice {
    index: usize,
    confirmed: bool,
}

struct AdminState {
    candidates: Vec<String>,
    prefix: Mutex<PrefixChoice>,
    request_algorithm: AtomicU8,
    legacy_policy_api: AtomicBool,
}

/// Typed calls of the MinIO admin API v3 (also served by RustFS).
///
/// Requests are signed with an empty region. Encrypted request bodies use the cheap
/// PBKDF2 variant (id 2) and fall back to Argon2id (id 0) once a server refuses it;
/// encrypted answers of any id are decrypted. The admin prefix starts at
/// `/minio/admin/v3` and moves to `/rustfs/admin/v3` if only that one answers.
#[derive(Clone)]
pub struct AdminClient {
    transport: Transport,
    state: Arc<AdminState>,
}

impl fmt::Debug for AdminClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AdminClient")
            .field("transport", &self.transport)
            .field("admin_prefix", &self.admin_prefix())
            .finish()
    }
}

impl AdminClient {
    /// A client for the server at `endpoint` (`http(s)://host[:port]`).
    pub fn new(
        endpoint: &str,
        credentials: Credentials,
        options: &ClientOptions,
    ) -> Result<AdminClient, Error> {
        Ok(AdminClient::from_transport(Transport::new(
            endpoint,
            credentials,
            options,
        )?))
    }

    pub(crate) fn from_transport(transport: Transport) -> AdminClient {
        AdminClient {
            transport,
            state: Arc::new(AdminState {
                candidates: vec![MINIO_ADMIN_PREFIX.into(), RUSTFS_ADMIN_PREFIX.into()],
                prefix: Mutex::new(PrefixChoice {
                    index: 0,
                    confirmed: false,
                }),
                request_algorithm: AtomicU8::new(Algorithm::Pbkdf2AesGcm.id()),
                legacy_policy_api: AtomicBool::new(false),
            }),
        }
    }

    /// Uses `prefix` (e.g. `/minio/admin/v3`) and never negotiates another.
    pub fn with_admin_prefix(self, prefix: &str) -> AdminClient {
        let prefix = format!("/{}", prefix.trim_matches('/'));
        AdminClient {
            transport: self.transport,
            state: Arc::new(AdminState {
                candidates: vec![prefix],
                prefix: Mutex::new(PrefixChoice {
                    index: 0,
                    confirmed: true,
                }),
                request_algorithm: AtomicU8::new(
                    self.state.request_algorithm.load(Ordering::Relaxed),
                ),
                legacy_policy_api: AtomicBool::new(false),
            }),
        }
    }

    /// The admin prefix in use.
    pub fn admin_prefix(&self) -> String {
        let choice = self.prefix_choice();
        self.state.candidates[choice.0].clone()
    }

    /// The algorithm encrypted requests use now.
    pub fn request_algorithm(&self) -> Algorithm {
        Algorithm::from_id(self.state.request_algorithm.load(Ordering::Relaxed))
            .unwrap_or(Algorithm::Argon2idAesGcm)
    }

    /// Whether the server lacks attach/detach and the legacy set-policy call is used.
    pub fn uses_legacy_policy_api(&self) -> bool {
        self.state.legacy_policy_api.load(Ordering::Relaxed)
    }

    /// The endpoint this client talks to.
    pub fn endpoint(&self) -> &url::Url {
        self.transport.endpoint()
    }

    /// The access key requests are signed with.
    pub fn access_key(&self) -> &str {
        &self.transport.credentials().access_key
    }

    fn prefix_choice(&self) -> (usize, bool) {
        let choice = self
            .state
            .prefix
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        (choice.index, choice.confirmed)
    }

    fn settle_prefix(&self, index: usize) {
        let mut choice = self
            .state
            .prefix
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        choice.index = index;
        choice.confirmed = true;
    }

    /// Sends an admin call, settling the admin prefix on the first answer.
    /// [`Self::call`] for a call about one thing: `None` when the server says it does
    /// not exist (a route the server lacks stays an error).
    async fn call_if_exists(&self, endpoint: &str, call: Call) -> Result<Option<Reply>, Error> {
        match self.call(endpoint, call).await {
            Ok(reply) => Ok(Some(reply)),
            Err(e) if provision_core::provider::is_not_found(&e) && !is_unknown_route(&e) => {
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }

    async fn call(&self, endpoint: &str, mut call: Call) -> Result<Reply, Error> {
        let (index, confirmed) = self.prefix_choice();
        call.path = format!("{}/{endpoint}", self.state.candidates[index]);
        match self.transport.send(&call, "").await {
            Ok(reply) => {
                self.settle_prefix(index);
                Ok(reply)
            }
            // Only a MinIO admin prefix answers this: the prefix is right, the call is
            // one the server does not have.
            Err(e) if has_code(&e, VERSION_MISMATCH) => {
                self.settle_prefix(index);
                Err(e)
            }
            Err(e) if !confirmed && is_unknown_route(&e) => {
                // Another prefix is adopted only when it answers with success, so a
                // confused answer can never move us off a working prefix.
                for (alt, prefix) in self.state.candidates.iter().enumerate() {
                    if alt == index {
                        continue;
                    }
                    call.path = format!("{prefix}/{endpoint}");
                    if let Ok(reply) = self.transport.send(&call, "").await {
                        self.settle_prefix(alt);
                        return Ok(reply);
                    }
                }
                Err(e)
            }
            Err(e) => {
                if matches!(e, Error::Server(_)) && !is_unknown_route(&e) {
                    self.settle_prefix(index);
                }
                Err(e)
            }
        }
    }

    async fn seal(
        &self,
        plaintext: Zeroizing<Vec<u8>>,
        algorithm: Algorithm,
    ) -> Result<Vec<u8>, Error> {
        let secret = self.transport.credentials().secret_key.clone();
        // Argon2id takes 64 MiB and real CPU time: keep it off the async workers.
        tokio::task::spawn_blocking(move || madmin::encrypt(&secret, &plaintext, algorithm))
            .await
            .map_err(|e| Error::protocol(BACKEND, format!("payload encryption task failed: {e}")))?
            .map_err(|e| Error::protocol(BACKEND, format!("cannot encrypt the admin payload: {e}")))
    }

    async fn open(&self, ciphertext: Vec<u8>) -> Result<Vec<u8>, Error> {
        let secret = self.transport.credentials().secret_key.clone();
        tokio::task::spawn_blocking(move || madmin::decrypt(&secret, &ciphertext))
            .await
            .map_err(|e| Error::protocol(BACKEND, format!("payload decryption task failed: {e}")))?
            .map_err(|e| Error::protocol(BACKEND, format!("cannot decrypt the admin answer: {e}")))
    }

    /// `GET info`: the deployment, its servers and their versions. Needs the
    /// `admin:ServerInfo` right, so it also proves the credentials are an admin's.
    pub async fn server_info(&self) -> Result<ServerInfoMessage, Error> {
        let reply = self
            .call(
                "info",
                Call::new(Method::GET, String::new(), Idempotency::Idempotent),
            )
            .await?;
        ServerInfoMessage::parse(&reply.body)
    }

    /// `PUT add-user`: creates the user, or overwrites the secret *and status* of an
    /// existing one. Never re-sent after a timeout (the caller looks the user up).
    pub async fn add_user(
        &self,
        access_key: &str,
        secret_key: &SecretString,
        status: UserStatus,
    ) -> Result<(), Error> {
        self.put_user(access_key, secret_key, status, Idempotency::NotIdempotent)
            .await
    }

    /// The same call as [`AdminClient::add_user`] for a user known to exist (a
    /// password change): setting the same secret twice is harmless, so a timed-out
    /// attempt is sent again.
    pub async fn update_user(
        &self,
        access_key: &str,
        secret_key: &SecretString,
        status: UserStatus,
    ) -> Result<(), Error> {
        self.put_user(access_key, secret_key, status, Idempotency::Idempotent)
            .await
    }

    async fn put_user(
        &self,
        access_key: &str,
        secret_key: &SecretString,
        status: UserStatus,
        idempotency: Idempotency,
    ) -> Result<(), Error> {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct AddUserRequest<'a> {
            secret_key: &'a str,
            status: &'a str,
        }
        let plaintext = Zeroizing::new(
            serde_json::to_vec(&AddUserRequest {
                secret_key: secret_key.expose_secret(),
                status: status.as_str(),
            })
            .map_err(|e| Error::protocol(BACKEND, e.to_string()))?,
        );
        let mut algorithm = self.request_algorithm();
        loop {
            let body = self.seal(plaintext.clone(), algorithm).await?;
            let call = Call::new(Method::PUT, String::new(), idempotency)
                .query("accessKey", access_key)
                .body(body);
            match self.call("add-user", call).await {
                // Servers before RELEASE.2021-05-11 only decrypt ids 0 and 1.
                Err(e) if has_code(&e, BAD_JSON) && algorithm == Algorithm::Pbkdf2AesGcm => {
                    algorithm = Algorithm::Argon2idAesGcm;
                    self.state
                        .request_algorithm
                        .store(algorithm.id(), Ordering::Relaxed);
                }
                other => return other.map(drop),
            }
        }
    }

    /// `GET user-info`: the user, or `None` when it does not exist.
    pub async fn user_info(&self, access_key: &str) -> Result<Option<UserInfo>, Error> {
        let call = Call::new(Method::GET, String::new(), Idempotency::Idempotent)
            .query("accessKey", access_key);
        match self.call_if_exists("user-info", call).await? {
            Some(reply) => parse_json(&reply.body, "user-info").map(Some),
            None => Ok(None),
        }
    }

    /// `GET list-users`: every user (the answer is encrypted).
    pub async fn list_users(&self) -> Result<BTreeMap<String, UserInfo>, Error> {
        let reply = self
            .call(
                "list-users",
                Call::new(Method::GET, String::new(), Idempotency::Idempotent),
            )
            .await?;
        let plaintext = self.open(reply.body).await?;
        parse_json(&plaintext, "list-users")
    }

    /// `PUT set-user-status`.
    pub async fn set_user_status(&self, access_key: &str, status: UserStatus) -> Result<(), Error> {
        let call = Call::new(Method::PUT, String::new(), Idempotency::Idempotent)
            .query("accessKey", access_key)
            .query("status", status.as_str());
        self.call("set-user-status", call).await.map(drop)
    }

    /// `DELETE remove-user`; `false` when the user did not exist.
    pub async fn remove_user(&self, access_key: &str) -> Result<bool, Error> {
        let call = Call::new(Method::DELETE, String::new(), Idempotency::Idempotent)
            .query("accessKey", access_key);
        Ok(self.call_if_exists("remove-user", call).await?.is_some())
    }

    /// `PUT add-canned-policy`: creates the policy or replaces its document in place
    /// (every mapping is kept).
    pub async fn add_canned_policy(&self, name: &str, document: &Value) -> Result<(), Error> {
        let call = Call::new(Method::PUT, String::new(), Idempotency::Idempotent)
            .query("name", name)
            .body(document.to_string().into_bytes());
        self.call("add-canned-policy", call).await.map(drop)
    }

    /// `PUT add-canned-policy` with a checked document: the bytes sent are exactly
    /// the bytes that were checked ([`PolicyDocument::bytes`]).
    pub async fn put_policy_document(
        &self,
        name: &str,
        document: &PolicyDocument,
    ) -> Result<(), Error> {
        let call = Call::new(Method::PUT, String::new(), Idempotency::Idempotent)
            .query("name", name)
            .body(document.bytes().to_vec());
        self.call("add-canned-policy", call).await.map(drop)
    }

    /// `GET info-canned-policy`: the policy document, or `None` when it does not exist.
    pub async fn canned_policy(&self, name: &str) -> Result<Option<Value>, Error> {
        let call = Call::new(Method::GET, String::new(), Idempotency::Idempotent)
            .query("name", name)
            .query("v", "2");
        match self.call_if_exists("info-canned-policy", call).await? {
            Some(reply) => {
                let value: Value = parse_json(&reply.body, "info-canned-policy")?;
                // v=2 wraps the document (MinIO: "Policy", RustFS: "policy"); older
                // servers ignore v=2 and send the document itself.
                let document = match value.get("Policy").or_else(|| value.get("policy")) {
                    Some(inner @ Value::Object(_)) => inner.clone(),
                    Some(Value::String(text)) => parse_json(text.as_bytes(), "info-canned-policy")?,
                    _ => value,
                };
                Ok(Some(document))
            }
            None => Ok(None),
        }
    }

    /// `GET list-canned-policies`: every policy with its document, built-ins included.
    pub async fn list_canned_policies(&self) -> Result<BTreeMap<String, Value>, Error> {
        let reply = self
            .call(
                "list-canned-policies",
                Call::new(Method::GET, String::new(), Idempotency::Idempotent),
            )
            .await?;
        parse_json(&reply.body, "list-canned-policies")
    }

    /// `DELETE remove-canned-policy` (succeeds when the policy does not exist; fails
    /// while a user or group still maps it).
    pub async fn remove_canned_policy(&self, name: &str) -> Result<(), Error> {
        let call =
            Call::new(Method::DELETE, String::new(), Idempotency::Idempotent).query("name", name);
        self.call("remove-canned-policy", call).await.map(drop)
    }

    /// Attaches policies to a user or group (`idp/builtin/policy/attach`), falling
    /// back to the legacy set-policy call on servers older than RELEASE.2023-01-02.
    pub async fn attach_policies(
        &self,
        entity: PolicyEntity<'_>,
        policies: &[&str],
    ) -> Result<PolicyChange, Error> {
        self.change_policies(entity, policies, true).await
    }

    /// Detaches policies from a user or group (`idp/builtin/policy/detach`), with the
    /// same fallback as [`AdminClient::attach_policies`].
    pub async fn detach_policies(
        &self,
        entity: PolicyEntity<'_>,
        policies: &[&str],
    ) -> Result<PolicyChange, Error> {
        self.change_policies(entity, policies, false).await
    }

    async fn change_policies(
        &self,
        entity: PolicyEntity<'_>,
        policies: &[&str],
        attach: bool,
    ) -> Result<PolicyChange, Error> {
        if policies.is_empty() {
            return Err(Error::invalid("policies", "name at least one policy"));
        }
        if !self.uses_legacy_policy_api() {
            match self.attach_detach(entity, policies, attach).await {
                Err(e) if is_unknown_route(&e) && self.prefix_choice().1 => {
                    self.state.legacy_policy_api.store(true, Ordering::Relaxed);
                }
                Err(e) if has_code(&e, ALREADY_APPLIED) => return Ok(PolicyChange::AlreadyApplied),
                other => return other.map(|()| PolicyChange::Applied),
            }
        }
        self.change_policies_legacy(entity, policies, attach).await
    }

    async fn attach_detach(
        &self,
        entity: PolicyEntity<'_>,
        policies: &[&str],
        attach: bool,
    ) -> Result<(), Error> {
        #[derive(Serialize)]
        struct AttachRequest<'a> {
            policies: &'a [&'a str],
            #[serde(skip_serializing_if = "Option::is_none")]
            user: Option<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            group: Option<&'a str>,
        }
        let (user, group) = match entity {
            PolicyEntity::User(u) => (Some(u), None),
            PolicyEntity::Group(g) => (None, Some(g)),
        };
        let plaintext = Zeroizing::new(
            serde_json::to_vec(&AttachRequest {
                policies,
                user,
                group,
            })
            .map_err(|e| Error::protocol(BACKEND, e.to_string()))?,
        );
        let body = self.seal(plaintext, self.request_algorithm()).await?;
        // "Already applied" counts as success, so sending it twice is harmless. The
        // encrypted answer only repeats what was asked; it is not decrypted, which
        // keeps Argon2id off this path.
        let call = Call::new(Method::POST, String::new(), Idempotency::Idempotent)
            .header("content-type", "application/octet-stream")
            .body(body);
        let endpoint = if attach {
            "idp/builtin/policy/attach"
        } else {
            "idp/builtin/policy/detach"
        };
        self.call(endpoint, call).await.map(drop)
    }

    async fn change_policies_legacy(
        &self,
        entity: PolicyEntity<'_>,
        policies: &[&str],
        attach: bool,
    ) -> Result<PolicyChange, Error> {
        let current: Vec<String> = match entity {
            PolicyEntity::User(user) => self
                .user_info(user)
                .await?
                .ok_or_else(|| Error::AccountNotFound {
                    username: user.to_owned(),
                })?
                .policies()
                .into_iter()
                .map(str::to_owned)
                .collect(),
            PolicyEntity::Group(group) => self
                .group_info(group)
                .await?
                .ok_or_else(|| Error::invalid("group", format!("group {group:?} does not exist")))?
                .policies()
                .into_iter()
                .map(str::to_owned)
                .collect(),
        };
        let mut wanted = current.clone();
        for p in policies {
            let present = wanted.iter().any(|w| w == p);
            if attach && !present {
                wanted.push((*p).to_owned());
            } else if !attach && present {
                wanted.retain(|w| w != p);
            }
        }
        if wanted == current {
            return Ok(PolicyChange::AlreadyApplied);
        }
        let refs: Vec<&str> = wanted.iter().map(String::as_str).collect();
        self.set_policies(entity, &refs).await?;
        Ok(PolicyChange::Applied)
    }

    /// `PUT set-user-or-group-policy` (legacy): replaces the whole mapping with
    /// `policies` (none clears it).
    pub async fn set_policies(
        &self,
        entity: PolicyEntity<'_>,
        policies: &[&str],
    ) -> Result<(), Error> {
        let (name, is_group) = match entity {
            PolicyEntity::User(u) => (u, "false"),
            PolicyEntity::Group(g) => (g, "true"),
        };
        let call = Call::new(Method::PUT, String::new(), Idempotency::Idempotent)
            .query("policyName", policies.join(","))
            .query("userOrGroup", name)
            .query("isGroup", is_group);
        self.call("set-user-or-group-policy", call).await.map(drop)
    }

    /// `PUT update-group-members`: adds members (creating the group) or removes them;
    /// removing no members deletes the group if it is empty.
    pub async fn update_group_members(
        &self,
        group: &str,
        members: &[&str],
        is_remove: bool,
    ) -> Result<(), Error> {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct GroupAddRemove<'a> {
            group: &'a str,
            members: &'a [&'a str],
            is_remove: bool,
            // RustFS requires it; MinIO ignores it here.
            group_status: &'a str,
        }
        let body = serde_json::to_vec(&GroupAddRemove {
            group,
            members,
            is_remove,
            group_status: UserStatus::Enabled.as_str(),
        })
        .map_err(|e| Error::protocol(BACKEND, e.to_string()))?;
        let call = Call::new(Method::PUT, String::new(), Idempotency::Idempotent).body(body);
        self.call("update-group-members", call).await.map(drop)
    }

    /// `GET group`: the group, or `None` when it does not exist.
    pub async fn group_info(&self, group: &str) -> Result<Option<GroupInfo>, Error> {
        let call =
            Call::new(Method::GET, String::new(), Idempotency::Idempotent).query("group", group);
        match self.call_if_exists("group", call).await? {
            Some(reply) => parse_json(&reply.body, "group").map(Some),
            None => Ok(None),
        }
    }

    /// `GET groups`: every group name.
    pub async fn list_groups(&self) -> Result<Vec<String>, Error> {
        let reply = self
            .call(
                "groups",
                Call::new(Method::GET, String::new(), Idempotency::Idempotent),
            )
            .await?;
        let names: Option<Vec<String>> = parse_json(&reply.body, "groups")?;
        Ok(names.unwrap_or_default())
    }

    /// `PUT set-group-status`.
    pub async fn set_group_status(&self, group: &str, status: UserStatus) -> Result<(), Error> {
        let call = Call::new(Method::PUT, String::new(), Idempotency::Idempotent)
            .query("group", group)
            .query("status", status.as_str());
        self.call("set-group-status", call).await.map(drop)
    }

    /// `GET datausageinfo`: the scanner's last snapshot, MinIO or RustFS format.
    pub async fn data_usage(&self) -> Result<DataUsage, Error> {
        let reply = self
            .call(
                "datausageinfo",
                Call::new(Method::GET, String::new(), Idempotency::Idempotent),
            )
            .await?;
        DataUsage::parse(&reply.body)
    }

    /// `PUT set-bucket-quota`: a hard quota of `size` bytes, or none.
    pub async fn set_bucket_quota(&self, bucket: &str, size: Option<u64>) -> Result<(), Error> {
        let size = size.unwrap_or(0);
        // Servers of the v3 era read the deprecated `quota` and the newer `size`.
        let body = serde_json::json!({"quota": size, "size": size, "quotatype": "hard"});
        let call = Call::new(Method::PUT, String::new(), Idempotency::Idempotent)
            .query("bucket", bucket)
            .body(body.to_string().into_bytes());
        self.call("set-bucket-quota", call).await.map(drop)
    }

    /// `GET get-bucket-quota`: the bucket's quota, `None` when it has none.
    pub async fn bucket_quota(&self, bucket: &str) -> Result<Option<BucketQuota>, Error> {
        #[derive(Deserialize)]
        struct RawQuota {
            #[serde(default)]
            quota: Option<u64>,
            #[serde(default)]
            size: Option<u64>,
        }
        let call =
            Call::new(Method::GET, String::new(), Idempotency::Idempotent).query("bucket", bucket);
        match self.call("get-bucket-quota", call).await {
            Ok(reply) => {
                let raw: RawQuota = parse_json(&reply.body, "get-bucket-quota")?;
                let size = raw.size.filter(|s| *s > 0).or(raw.quota).unwrap_or(0);
                Ok((size > 0).then_some(BucketQuota { size }))
            }
            Err(e) if has_code(&e, "XMinioAdminNoSuchQuotaConfiguration") => Ok(None),
            Err(e) => Err(e),
        }
    }
}

fn parse_json<T: serde::de::DeserializeOwned>(body: &[u8], call: &str) -> Result<T, Error> {
    serde_json::from_slice(body)
        .map_err(|e| Error::protocol(BACKEND, format!("{call}: unreadable answer: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_usage_reads_both_dialects() {
        let minio = br#"{"lastUpdate":"2025-10-15T10:00:00Z","objectsCount":3,"objectsTotalSize":300,
            "bucketsCount":2,"bucketsUsageInfo":{"a":{"size":100,"objectsCount":1,"versionsCount":1,
            "deleteMarkersCount":0,"objectsSizesHistogram":{}},"a.b":{"size":200,"objectsCount":2,"versionsCount":2}},
            "bucketsSizes":{"a":100,"a.b":200},"tierStats":null,"capacity":0}"#;
        let u = DataUsage::parse(minio).unwrap();
        assert_eq!(u.buckets["a.b"].size, 200);
        assert_eq!(u.buckets["a"].objects_count, 1);
        assert_eq!(
            u.last_update.unwrap(),
            DateTime::parse_from_rfc3339("2025-10-15T10:00:00Z").unwrap()
        );

        let rustfs = br#"{"last_update":{"secs_since_epoch":1760522400,"nanos_since_epoch":0},
            "objects_count":1,"objects_total_size":5,"buckets_count":1,
            "buckets_usage":{"x":{"size":5,"objects_count":1}}}"#;
        let u = DataUsage::parse(rustfs).unwrap();
        assert_eq!(u.buckets["x"].size, 5);
        assert_eq!(u.last_update.unwrap().timestamp(), 1_760_522_400);

        let before_first_scan = br#"{"lastUpdate":"0001-01-01T00:00:00Z","objectsCount":0,
            "objectsTotalSize":0,"bucketsCount":0,"bucketsUsageInfo":null,"bucketsSizes":null}"#;
        let u = DataUsage::parse(before_first_scan).unwrap();
        assert!(u.last_update.is_none());
        assert!(u.buckets.is_empty());
    }

    #[test]
    fn info_tells_minio_from_rustfs() {
        let minio =
            br#"{"mode":"online","deploymentID":"d","region":"","servers":[{"state":"online",
            "endpoint":"h:9000","version":"2025-10-15T17:29:55Z","commitID":"abc"}]}"#;
        let m = ServerInfoMessage::parse(minio).unwrap();
        assert_eq!(m.product, ServerProduct::MinIO);
        assert_eq!(m.version(), Some("2025-10-15T17:29:55Z"));
        assert_eq!(m.region, None);
        let rustfs = br#"{"info":{"mode":"online","servers":[{"version":"@1.0.1"}]}}"#;
        let r = ServerInfoMessage::parse(rustfs).unwrap();
        assert_eq!(r.product, ServerProduct::RustFs);
        assert_eq!(r.version(), Some("1.0.1"));
    }

    #[test]
    fn user_info_reads_status_and_policies() {
        let u: UserInfo = serde_json::from_slice(
            br#"{"policyName":"p1, p2","status":"enabled","memberOf":null}"#,
        )
        .unwrap();
        assert_eq!(u.policies(), ["p1", "p2"]);
        assert_eq!(u.status, UserStatus::Enabled);
        assert!(u.member_of.is_empty());
        let u: UserInfo = serde_json::from_slice(br#"{"status":"off"}"#).unwrap();
        assert_eq!(u.status, UserStatus::Disabled);
        assert!(u.policies().is_empty());
    }
}
