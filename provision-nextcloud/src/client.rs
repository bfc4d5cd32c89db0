//! Typed calls of Nextcloud's OCS Provisioning API, and nothing more.
//!
//! Every request stands alone: HTTP basic auth with the admin's login name and password,
//! the mandatory `OCS-APIRequest: true` header, `format=json`, and no cookie jar.
//! Success is decided by the envelope's `meta.statuscode` (100 on v1, 200 on v2), never
//! by the HTTP status alone, because v1 answers HTTP 200 for almost every failure.
//! Failures keep the server's status code and message beside core's error kind.
//!
//! Quotas go on the wire as a decimal byte count or `none`, never as a unit string
//! (Nextcloud reads `500 MiB` as 500 bytes).

use std::fmt;

use provision_core::endpoint::Endpoint;
use provision_core::http::{fetch_with_retry, ClientOptions, Idempotency, RetryConfig};
use provision_core::{ByteSize, Error, GroupName, Result, Username};
use reqwest::Method;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use serde_json::Value;
use url::Url;

use crate::byte_count::{storage_info, QuotaFields};
use crate::details::parse_users_details;
use crate::error::{bare_failure, ocs_failure, Operation, BACKEND};

/// Which OCS endpoint family to call. Both expose the same routes; v2 answers with real
/// HTTP status codes, v1 with HTTP 200 for nearly everything.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OcsVersion {
    /// `/ocs/v1.php`.
    V1,
    /// `/ocs/v2.php` (the default).
    #[default]
    V2,
}

impl std::str::FromStr for OcsVersion {
    type Err = String;

    /// `v1` or `v2` (also `1`, `2`, any case), as a configuration writes it.
    fn from_str(text: &str) -> std::result::Result<Self, Self::Err> {
        match text.trim().to_ascii_lowercase().as_str() {
            "v1" | "1" => Ok(OcsVersion::V1),
            "v2" | "2" => Ok(OcsVersion::V2),
            _ => Err("expected v1 or v2".to_string()),
        }
    }
}

impl OcsVersion {
    fn path_segment(self) -> &'static str {
        match self {
            OcsVersion::V1 => "v1.php",
            OcsVersion::V2 => "v2.php",
        }
    }
}

/// A quota to send: bytes as a decimal string, `none` or `default`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuotaValue {
    /// No limit (`none`).
    Unlimited,
    /// A byte count (`0` is a quota of no space at all, not unlimited).
    Bytes(ByteSize),
    /// The instance's default quota (`default`).
    InstanceDefault,
}

impl QuotaValue {
    fn wire(self) -> String {
        match self {
            QuotaValue::Unlimited => "none".to_string(),
            QuotaValue::Bytes(b) => b.bytes().to_string(),
            QuotaValue::InstanceDefault => "default".to_string(),
        }
    }
}

/// The quota limit an account's record reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuotaLimit {
    /// No limit (`quota` is -3 or `"none"`).
    Unlimited,
    /// A limit in bytes; 0 is "no space at all", which `free`/`total` show like
    /// unlimited (-3): only the `quota` field tells them apart.
    Bytes(ByteSize),
    /// The server did not say (no quota object, `[]`, or another negative sentinel).
    Unknown,
}

/// The `quota` object of an account's record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct StorageInfo {
    /// The limit.
    pub limit: QuotaLimit,
    /// Bytes in the account's `files/` tree (versions and trash not counted), or None
    /// when the server does not know: no quota object, an empty one, or the two-key
    /// fallback it answers when the account's home does not exist yet (never logged in).
    pub used: Option<ByteSize>,
}

/// An account as `GET /cloud/users/{id}` and the details listing describe it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct UserRecord {
    /// The id as the server stores it (lookups ignore case; this keeps the stored case).
    pub id: String,
    /// False when the account is disabled (suspended).
    pub enabled: bool,
    /// The e-mail address, when set.
    pub email: Option<String>,
    /// The display name, when set.
    pub display_name: Option<String>,
    /// The groups the account is in.
    pub groups: Vec<String>,
    /// Quota and usage.
    pub storage: StorageInfo,
}

/// What the server says about itself.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ServerVersion {
    /// The version string (e.g. `34.0.1`).
    pub version: String,
    /// The major version, when given.
    pub major: Option<u64>,
    /// The edition, when not empty.
    pub edition: Option<String>,
}

/// A new account for [`NextcloudClient::create_user`].
#[non_exhaustive]
pub struct NewUser<'a> {
    /// The account id.
    pub id: &'a Username,
    /// The first password.
    pub password: &'a SecretString,
    /// The e-mail address (the server lower-cases it and sends a welcome mail).
    pub email: Option<&'a str>,
    /// The display name (at most 64 characters).
    pub display_name: Option<&'a str>,
    /// Groups to join; they must exist.
    pub groups: &'a [GroupName],
    /// The quota; the instance default when None.
    pub quota: Option<QuotaValue>,
}

impl<'a> NewUser<'a> {
    /// An account with only an id and a password: no e-mail, display name or groups,
    /// and the instance's default quota. Set the other fields on the value.
    pub fn new(id: &'a Username, password: &'a SecretString) -> Self {
        NewUser {
            id,
            password,
            email: None,
            display_name: None,
            groups: &[],
            quota: None,
        }
    }
}

impl fmt::Debug for NewUser<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewUser")
            .field("id", &self.id)
            .field("password", &"[redacted]")
            .field("email", &self.email)
            .field("display_name", &self.display_name)
            .field("groups", &self.groups)
            .field("quota", &self.quota)
            .finish()
    }
}

/// One field of `PUT /cloud/users/{id}`.
pub enum UserField<'a> {
    /// The quota.
    Quota(QuotaValue),
    /// The e-mail address (empty clears it).
    Email(&'a str),
    /// The password.
    Password(&'a SecretString),
    /// The display name.
    DisplayName(&'a str),
}

impl UserField<'_> {
    fn key_and_value(&self) -> (&'static str, String) {
        match self {
            UserField::Quota(q) => ("quota", q.wire()),
            UserField::Email(e) => ("email", (*e).to_string()),
            UserField::Password(p) => ("password", p.expose_secret().to_string()),
            UserField::DisplayName(d) => ("displayname", (*d).to_string()),
        }
    }
}

impl fmt::Debug for UserField<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UserField::Quota(q) => f.debug_tuple("Quota").field(q).finish(),
            UserField::Email(e) => f.debug_tuple("Email").field(e).finish(),
            UserField::Password(_) => f.write_str("Password([redacted])"),
            UserField::DisplayName(d) => f.debug_tuple("DisplayName").field(d).finish(),
        }
    }
}

/// A client of the OCS Provisioning API of one Nextcloud server.
pub struct NextcloudClient {
    http: reqwest::Client,
    base: Url,
    admin_user: Username,
    admin_password: SecretString,
    retry: RetryConfig,
    version: OcsVersion,
}

impl fmt::Debug for NextcloudClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NextcloudClient")
            .field("base", &self.base.as_str())
            .field("admin_user", &self.admin_user)
            .field("admin_password", &"[redacted]")
            .field("version", &self.version)
            .finish()
    }
}

/// Form parameters of one request (values may hold a password: never logged).
type Form = Vec<(&'static str, String)>;

/// The OCS envelope, generic over what `data` is read into: a [`Value`] for most calls,
/// [`DetailsData`] for the details listing (whose pages are too big to build a tree of).
#[derive(Deserialize)]
#[serde(bound = "T: Deserialize<'de> + Default")]
struct Envelope<T> {
    ocs: Ocs<T>,
}

#[derive(Deserialize)]
#[serde(bound = "T: Deserialize<'de> + Default")]
struct Ocs<T> {
    meta: Meta,
    #[serde(default)]
    data: T,
}

#[derive(Deserialize)]
struct Meta {
    statuscode: i64,
    #[serde(default)]
    message: Option<String>,
}

impl NextcloudClient {
    /// A client of the server at `endpoint` (which may include a sub-path, e.g.
    /// `https://host/nextcloud`; parse it with [`ClientOptions::endpoint`] so that the
    /// options' cleartext rule applies), logging in as `admin_user` with
    /// `admin_password`.
    ///
    /// Use the admin's account password: Nextcloud 34 and later refuse provisioning
    /// writes made with an app password.
    pub fn new(
        endpoint: &Endpoint,
        admin_user: Username,
        admin_password: SecretString,
        options: &ClientOptions,
    ) -> Result<Self> {
        if admin_password.expose_secret().is_empty() {
            return Err(Error::invalid("admin password", "is empty"));
        }
        Ok(NextcloudClient {
            http: options.build_client_for(BACKEND, endpoint)?,
            base: endpoint.url().clone(),
            admin_user,
            admin_password,
            retry: options.retry.clone(),
            version: OcsVersion::default(),
        })
    }

    /// Calls the `/ocs/v1.php` routes instead of `/ocs/v2.php`.
    pub fn with_ocs_version(mut self, version: OcsVersion) -> Self {
        self.version = version;
        self
    }

    /// The admin login the client uses.
    pub fn admin_user(&self) -> &Username {
        &self.admin_user
    }

    /// The server's version (`GET /cloud/capabilities`).
    pub async fn capabilities(&self) -> Result<ServerVersion> {
        let data = self
            .get(Operation::Capabilities, &["capabilities"], &[])
            .await?;
        let version = data
            .get("version")
            .ok_or_else(|| Error::protocol(BACKEND, "capabilities without a version object"))?;
        Ok(ServerVersion {
            version: version
                .get("string")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            major: version.get("major").and_then(Value::as_u64),
            edition: version
                .get("edition")
                .and_then(Value::as_str)
                .filter(|e| !e.is_empty())
                .map(str::to_string),
        })
    }

    /// One account (`GET /cloud/users/{id}`); a missing account is an error of kind
    /// `NotFound` (status code 404).
    pub async fn user(&self, id: &Username) -> Result<UserRecord> {
        let data = self
            .get(Operation::GetUser, &["users", id.as_str()], &[])
            .await?;
        parse_user(&data)
    }

    /// One page of accounts with their details (`GET /cloud/users/details`), at most
    /// `limit` of them starting at `offset`. The server orders pages by display name,
    /// so accounts created or deleted while paging may shift between pages.
    pub async fn users_details(&self, offset: u32, limit: u32) -> Result<Vec<UserRecord>> {
        let query = [("offset", offset.to_string()), ("limit", limit.to_string())];
        // Read straight into records: a page is ~800 bytes and ~35 fields per account,
        // of which six are used, so a `Value` tree of it costs more than the rest of a
        // sweep together.
        let (status, body) = self
            .send(
                Operation::ListUsers,
                Method::GET,
                &["users", "details"],
                &query,
                None,
                Idempotency::Idempotent,
            )
            .await?;
        parse_users_details(status, &body)
    }

    /// Creates an account (`POST /cloud/users`). Not idempotent: a create that timed
    /// out is never sent again by the client.
    ///
    /// An invalid quota is answered with status 101 *after* the account was created;
    /// callers validate quotas first and treat any failure as possibly partial.
    pub async fn create_user(&self, user: &NewUser<'_>) -> Result<()> {
        let mut form: Form = vec![
            ("userid", user.id.as_str().to_string()),
            ("password", user.password.expose_secret().to_string()),
        ];
        if let Some(email) = user.email {
            form.push(("email", email.to_string()));
        }
        if let Some(name) = user.display_name {
            form.push(("displayName", name.to_string()));
        }
        form.extend(
            user.groups
                .iter()
                .map(|g| ("groups[]", g.as_str().to_string())),
        );
        if let Some(quota) = user.quota {
            form.push(("quota", quota.wire()));
        }
        self.call(
            Operation::CreateUser,
            Method::POST,
            &["users"],
            &[],
            Some(form),
            Idempotency::NotIdempotent,
        )
        .await
        .map(drop)
    }

    /// Sets one field (`PUT /cloud/users/{id}`). Nextcloud rate-limits these per
    /// admin account (50 per 10 minutes by default, bare HTTP 429): the retry rule
    /// backs off on 429.
    pub async fn edit_user(&self, id: &Username, field: UserField<'_>) -> Result<()> {
        let (key, value) = field.key_and_value();
        self.call(
            Operation::EditUser,
            Method::PUT,
            &["users", id.as_str()],
            &[],
            Some(vec![("key", key.to_string()), ("value", value)]),
            Idempotency::Idempotent,
        )
        .await
        .map(drop)
    }

    /// Enables (`PUT /cloud/users/{id}/enable`) or disables (`.../disable`) an account;
    /// repeating either succeeds. A missing account is `NotFound` (status code 101).
    pub async fn set_enabled(&self, id: &Username, enabled: bool) -> Result<()> {
        let action = if enabled { "enable" } else { "disable" };
        self.call(
            Operation::SetEnabled,
            Method::PUT,
            &["users", id.as_str(), action],
            &[],
            None,
            Idempotency::Idempotent,
        )
        .await
        .map(drop)
    }

    /// Deletes an account with its data (`DELETE /cloud/users/{id}`). A missing account
    /// is `NotFound` (status code 998).
    pub async fn delete_user(&self, id: &Username) -> Result<()> {
        self.call(
            Operation::DeleteUser,
            Method::DELETE,
            &["users", id.as_str()],
            &[],
            None,
            Idempotency::Idempotent,
        )
        .await
        .map(drop)
    }

    /// The groups of an account (`GET /cloud/users/{id}/groups`).
    pub async fn user_groups(&self, id: &Username) -> Result<Vec<String>> {
        let data = self
            .get(
                Operation::UserGroups,
                &["users", id.as_str(), "groups"],
                &[],
            )
            .await?;
        string_list(&data, "groups")
    }

    /// Adds an account to a group (`POST /cloud/users/{id}/groups`); a member already
    /// is a success. A missing group is status 102, a missing account 103.
    pub async fn add_to_group(&self, id: &Username, group: &GroupName) -> Result<()> {
        self.membership(Operation::JoinGroup, Method::POST, id, group)
            .await
    }

    /// Removes an account from a group (`DELETE /cloud/users/{id}/groups`); a
    /// non-member is a success.
    pub async fn remove_from_group(&self, id: &Username, group: &GroupName) -> Result<()> {
        self.membership(Operation::LeaveGroup, Method::DELETE, id, group)
            .await
    }

    async fn membership(
        &self,
        op: Operation,
        method: Method,
        id: &Username,
        group: &GroupName,
    ) -> Result<()> {
        self.call(
            op,
            method,
            &["users", id.as_str(), "groups"],
            &[],
            Some(vec![("groupid", group.as_str().to_string())]),
            Idempotency::Idempotent,
        )
        .await
        .map(drop)
    }

    /// One page of group ids (`GET /cloud/groups`).
    pub async fn groups(&self, offset: u32, limit: u32) -> Result<Vec<String>> {
        let query = [("offset", offset.to_string()), ("limit", limit.to_string())];
        let data = self.get(Operation::ListGroups, &["groups"], &query).await?;
        string_list(&data, "groups")
    }

    /// Creates a group (`POST /cloud/groups`); an existing group is `AlreadyExists`
    /// (status 102). Ids longer than 64 characters are silently replaced by their
    /// SHA-256 by the server: callers keep ids short.
    pub async fn create_group(&self, group: &GroupName) -> Result<()> {
        self.call(
            Operation::CreateGroup,
            Method::POST,
            &["groups"],
            &[],
            Some(vec![("groupid", group.as_str().to_string())]),
            Idempotency::Idempotent,
        )
        .await
        .map(drop)
    }

    /// The members of a group (`GET /cloud/groups/{id}/users`).
    pub async fn group_members(&self, group: &GroupName) -> Result<Vec<String>> {
        let data = self
            .get(
                Operation::GroupMembers,
                &["groups", group.as_str(), "users"],
                &[],
            )
            .await?;
        string_list(&data, "users")
    }

    /// Deletes a group (`DELETE /cloud/groups/{id}`); its memberships vanish with it.
    pub async fn delete_group(&self, group: &GroupName) -> Result<()> {
        self.call(
            Operation::DeleteGroup,
            Method::DELETE,
            &["groups", group.as_str()],
            &[],
            None,
            Idempotency::Idempotent,
        )
        .await
        .map(drop)
    }

    async fn get(&self, op: Operation, path: &[&str], query: &[(&str, String)]) -> Result<Value> {
        self.call(op, Method::GET, path, query, None, Idempotency::Idempotent)
            .await
    }

    /// Sends one OCS request under the retry rule and returns the envelope's `data`.
    async fn call(
        &self,
        op: Operation,
        method: Method,
        path: &[&str],
        query: &[(&str, String)],
        form: Option<Form>,
        idempotency: Idempotency,
    ) -> Result<Value> {
        let (status, body) = self
            .send(op, method, path, query, form, idempotency)
            .await?;
        parse_answer(op, status, &body)
    }

    /// Sends one OCS request under the retry rule and returns the HTTP status and the
    /// body, not yet read.
    async fn send(
        &self,
        op: Operation,
        method: Method,
        path: &[&str],
        query: &[(&str, String)],
        form: Option<Form>,
        idempotency: Idempotency,
    ) -> Result<(u16, String)> {
        let url = self.url(path, query)?;
        tracing::debug!(backend = BACKEND, operation = %op, %method, path = url.path(), "ocs call");
        let answer = fetch_with_retry(BACKEND, &self.retry, idempotency, || {
            let mut request = self
                .http
                .request(method.clone(), url.clone())
                .basic_auth(
                    self.admin_user.as_str(),
                    Some(self.admin_password.expose_secret()),
                )
                .header("OCS-APIRequest", "true")
                .header(reqwest::header::ACCEPT, "application/json");
            if let Some(form) = &form {
                request = request.form(form);
            }
            Ok(request)
        })
        .await?;
        // UTF-8, as Nextcloud sends it; a byte-order mark is not part of the JSON.
        let body = answer
            .body
            .strip_prefix(b"\xEF\xBB\xBF")
            .unwrap_or(&answer.body);
        Ok((
            answer.status.as_u16(),
            String::from_utf8_lossy(body).into_owned(),
        ))
    }

    /// The URL of a route. A segment that is empty, `.` or `..` is refused: the url
    /// crate would drop or climb it, and the request would reach another route (a
    /// `DELETE /cloud/users/..` becomes `DELETE /cloud`). Names are checked by their
    /// types already; this also holds for ids that came from a server's answer.
    fn url(&self, path: &[&str], query: &[(&str, String)]) -> Result<Url> {
        if let Some(step) = path.iter().find(|s| matches!(**s, "" | "." | "..")) {
            return Err(Error::invalid(
                "path segment",
                format!("{step:?} is not a name the URL path can carry"),
            ));
        }
        let mut url = self.base.clone();
        url.path_segments_mut()
            .map_err(|()| Error::invalid("base URL", "cannot hold a path"))?
            .pop_if_empty()
            .extend(["ocs", self.version.path_segment(), "cloud"])
            .extend(path);
        {
            let mut pairs = url.query_pairs_mut();
            pairs.append_pair("format", "json");
            for (key, value) in query {
                pairs.append_pair(key, value);
            }
        }
        Ok(url)
    }
}

/// The `data` of a successful envelope, or the error the answer means.
pub(crate) fn parse_answer(op: Operation, status: u16, body: &str) -> Result<Value> {
    parse_answer_as(op, status, body)
}

/// [`parse_answer`] with `data` read into `T`. `T` must accept any JSON (and default
/// when `data` is missing) for failures to be told apart the same way whatever `T` is:
/// a `T` that refused some `data` would turn an OCS failure into a bare one.
pub(crate) fn parse_answer_as<'a, T: Deserialize<'a> + Default>(
    op: Operation,
    status: u16,
    body: &'a str,
) -> Result<T> {
    match serde_json::from_str::<Envelope<T>>(body) {
        Ok(Envelope { ocs }) => match ocs.meta.statuscode {
            100 | 200 => Ok(ocs.data),
            code => Err(ocs_failure(
                op,
                status,
                code,
                ocs.meta.message.unwrap_or_default(),
            )),
        },
        Err(_) => Err(bare_failure(op, status, body)),
    }
}

fn string_list(data: &Value, field: &str) -> Result<Vec<String>> {
    match data.get(field) {
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| {
                v.as_str().map(str::to_string).ok_or_else(|| {
                    Error::protocol(BACKEND, format!("a {field} entry is not a string"))
                })
            })
            .collect(),
        _ => Err(Error::protocol(
            BACKEND,
            format!("answer without a {field} list"),
        )),
    }
}

pub(crate) fn parse_user(data: &Value) -> Result<UserRecord> {
    let id = data
        .get("id")
        .and_then(Value::as_str)
        .ok_or_else(|| Error::protocol(BACKEND, "account record without an id"))?
        .to_string();
    let enabled = match data.get("enabled") {
        Some(Value::Bool(b)) => *b,
        // Older servers and some backends send "1"/"0" or 1/0.
        Some(Value::String(s)) => s == "1" || s.eq_ignore_ascii_case("true"),
        Some(Value::Number(n)) => n.as_i64() != Some(0),
        _ => {
            return Err(Error::protocol(
                BACKEND,
                format!("account record of {id} without an enabled flag"),
            ))
        }
    };
    let text = |key: &str| {
        data.get(key)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let groups = match data.get("groups") {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    };
    Ok(UserRecord {
        email: text("email"),
        display_name: text("displayname").or_else(|| text("display-name")),
        groups,
        storage: parse_storage(&id, data.get("quota"))?,
        enabled,
        id,
    })
}

/// Reads the `quota` object: it can be missing, `[]`, the two-key fallback
/// `{"quota", "used": 0}` of an account whose home does not exist, or the full object;
/// what its fields mean is [`storage_info`]'s rule (exact byte counts, anything that is
/// not a whole number a protocol error naming account `id`).
fn parse_storage(id: &str, quota: Option<&Value>) -> Result<StorageInfo> {
    let fields = match quota {
        Some(Value::Object(object)) => QuotaFields {
            quota: object.get("quota"),
            used: object.get("used"),
            free: object.get("free"),
            total: object.get("total"),
        },
        _ => QuotaFields::default(),
    };
    storage_info(id, fields)
}

#[cfg(test)]
mod tests {
    use super::*;
    use provision_core::ErrorKind;
    use serde_json::json;

    #[test]
    fn success_is_decided_by_the_status_code_not_http() {
        let v1_failure = r#"{"ocs":{"meta":{"status":"failure","statuscode":102,"message":"User already exists","totalitems":"","itemsperpage":""},"data":[]}}"#;
        let e = parse_answer(Operation::CreateUser, 200, v1_failure).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::AlreadyExists);
        assert_eq!(e.server_code(), Some("102"));
        assert_eq!(e.server_message(), Some("User already exists"));
        let v2_ok = r#"{"ocs":{"meta":{"status":"ok","statuscode":200,"message":"OK"},"data":{"id":"alice"}}}"#;
        assert_eq!(
            parse_answer(Operation::CreateUser, 200, v2_ok).unwrap(),
            json!({"id": "alice"})
        );
    }

    #[test]
    fn quota_zero_is_not_unlimited() {
        let zero = json!({"free": -3, "used": 5, "total": -3, "relative": 0, "quota": 0});
        assert_eq!(
            parse_storage("t", Some(&zero)).unwrap().limit,
            QuotaLimit::Bytes(ByteSize::ZERO)
        );
        let unlimited = json!({"free": -3, "used": 5, "total": -3, "relative": 0, "quota": -3});
        assert_eq!(
            parse_storage("t", Some(&unlimited)).unwrap().limit,
            QuotaLimit::Unlimited
        );
    }

    #[test]
    fn missing_or_fallback_quota_objects_are_unknown_not_zero() {
        assert_eq!(parse_storage("t", None).unwrap().used, None);
        assert_eq!(
            parse_storage("t", Some(&json!([]))).unwrap().limit,
            QuotaLimit::Unknown
        );
        let fallback = parse_storage("t", Some(&json!({"quota": "none", "used": 0}))).unwrap();
        assert_eq!(fallback.limit, QuotaLimit::Unlimited);
        assert_eq!(fallback.used, None);
        let fallback = parse_storage("t", Some(&json!({"quota": 1073741824, "used": 0}))).unwrap();
        assert_eq!(fallback.limit, QuotaLimit::Bytes(ByteSize::new(1 << 30)));
        let sentinel = parse_storage(
            "t",
            Some(&json!({"free": -2, "used": -1, "total": -2, "quota": -2})),
        )
        .unwrap();
        assert_eq!(
            sentinel,
            StorageInfo {
                limit: QuotaLimit::Unknown,
                used: None
            }
        );
    }

    #[test]
    fn over_quota_reads_with_negative_free_and_float_relative() {
        let over = json!({"free": -9688534, "used": 20174294, "total": 10485760, "relative": 192.4, "quota": 10485760});
        let info = parse_storage("t", Some(&over)).unwrap();
        assert_eq!(info.limit, QuotaLimit::Bytes(ByteSize::new(10485760)));
        assert_eq!(info.used, Some(ByteSize::new(20174294)));
    }

    #[test]
    fn byte_counts_are_read_exactly_and_fractions_refused() {
        // 2^53 + 1 bytes used: through an f64 this read 2^53.
        let record: Value = serde_json::from_str(
            r#"{"id":"big","enabled":true,"quota":{"free":1,"used":9007199254740993,"total":9007199254740994,"quota":9007199254740994}}"#,
        )
        .unwrap();
        let storage = parse_user(&record).unwrap().storage;
        assert_eq!(storage.used, Some(ByteSize::new(9_007_199_254_740_993)));
        assert_eq!(
            storage.limit,
            QuotaLimit::Bytes(ByteSize::new(9_007_199_254_740_994))
        );
        let float = json!({"free": 1.0e10, "used": 1.0e3, "total": 1.0e10, "quota": 1.0e10});
        let storage = parse_storage("t", Some(&float)).unwrap();
        assert_eq!(
            storage.limit,
            QuotaLimit::Bytes(ByteSize::new(10_000_000_000))
        );
        assert_eq!(storage.used, Some(ByteSize::new(1000)));
        for bad in [
            json!({"free": 1, "used": 2.5, "total": 4, "quota": 4}),
            json!({"free": 1, "used": 2, "total": 4, "quota": "lots"}),
            json!({"free": 0.5, "used": 2, "total": 4, "quota": 4}),
        ] {
            let err = parse_storage("bob", Some(&bad)).unwrap_err();
            assert!(matches!(err, Error::Protocol { .. }), "{bad}: {err:?}");
            assert!(err.to_string().contains("of bob"), "{err}");
        }
    }

    #[test]
    fn the_url_builder_refuses_path_steps() {
        let client = NextcloudClient::new(
            &"https://cloud.example.com/nc".parse().unwrap(),
            Username::new("admin").unwrap(),
            SecretString::from("pw".to_string()),
            &ClientOptions::default(),
        )
        .unwrap();
        for step in ["", ".", ".."] {
            let error = client.url(&["users", step, "groups"], &[]).unwrap_err();
            assert_eq!(error.kind(), ErrorKind::InvalidInput, "{step:?}");
            assert!(error.to_string().contains("path segment"), "{error}");
        }
        let url = client.url(&["users", "o'Brien Jr.@höme"], &[]).unwrap();
        assert_eq!(
            url.path(),
            "/nc/ocs/v2.php/cloud/users/o'Brien%20Jr.@h%C3%B6me"
        );
    }

    #[test]
    fn secrets_stay_out_of_debug() {
        let password = SecretString::from("hunter2-secret".to_string());
        let field = UserField::Password(&password);
        assert!(!format!("{field:?}").contains("hunter2"));
        let client = NextcloudClient::new(
            &"https://x".parse().unwrap(),
            Username::new("admin").unwrap(),
            password.clone(),
            &ClientOptions::default(),
        )
        .unwrap();
        assert!(!format!("{client:?}").contains("hunter2"));
    }
}
