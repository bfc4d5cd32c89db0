//! Typed calls of the DSM Web API, nothing more: discovery, login and session upkeep,
//! users, groups, memberships, quota and usage, password policy.
//!
//! Every call is a POST with a form body (secrets and sids stay out of URLs and DSM's
//! access log), parameters of `requestFormat: JSON` APIs JSON-encoded, the sid as
//! `_sid`, the CSRF token as `X-SYNO-TOKEN` and, after a Noise login, `X-SYNO-HASH`.
//! Each call runs through core's one retry loop (see `exchange`): HTTP-level retries by
//! core's rule, DSM's "busy" codes resent for idempotent calls within the same budget,
//! a dead session replaced once and the call re-sent once.

mod exchange;
pub(crate) mod request;
mod session;
mod types;

use std::sync::{Arc, Mutex as SyncMutex};

use provision_core::endpoint::Endpoint;
use provision_core::error::{Error, ServerError};
use provision_core::http::{
    read_whole, send_with_retry, ClientOptions, Fetched, Idempotency, RetryConfig,
};
use provision_core::username::{GroupName, Username};
use secrecy::{ExposeSecret, SecretString};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};
use url::Url;

use crate::error::BACKEND;
use exchange::Renewal;
use request::{ApiCall, ApiTable};
use session::Session;

pub use types::{
    CreatedUser, DsmInfo, Group, HomeService, HomeUsage, NewUser, PasswordPolicy,
    PasswordViolation, ShareQuota, User, UserQuota, VolumeQuota, MAX_PASSWORD_CHARS,
};

pub(crate) use session::AUTH_VERSION;

/// The APIs provisioning needs, asked for in one discovery request.
pub(crate) const REQUIRED_APIS: [&str; 8] = [
    "SYNO.API.Auth",
    "SYNO.Core.User",
    "SYNO.Core.Group",
    "SYNO.Core.Group.Member",
    "SYNO.Core.User.Group",
    "SYNO.Core.Quota",
    "SYNO.Core.User.Home",
    "SYNO.DSM.Info",
];

/// APIs used when offered: the password policy (DSM still enforces its policy on
/// create and set) and the Noise key.
const OPTIONAL_APIS: [&str; 3] = [
    "SYNO.Core.User.PasswordPolicy",
    "SYNO.API.Auth.UIConfig",
    COMPOUND_API,
];

/// DSM's batching API: several calls in one request (facts sheet §1).
const COMPOUND_API: &str = "SYNO.Entry.Request";

/// The user fields `list` and `get` are asked for: those [`User`] holds (every field
/// more is bytes per user in every listing).
const USER_FIELDS: [&str; 4] = ["email", "description", "expired", "uid"];

/// A listed user's name alone (`list` without `additional`).
#[derive(serde::Deserialize)]
struct NameOnly {
    name: String,
}

/// The default label DSM files our sessions under; logging ours out never ends an
/// operator's browser session.
pub const DEFAULT_SESSION_LABEL: &str = "provision";

/// The default name of the trusted device DSM lists for our 2FA token.
pub const DEFAULT_DEVICE_NAME: &str = "provision";

/// What kind of session the client holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionInfo {
    /// The `SYNO.API.Auth` version of the login (7 on DSM 7; mutations need it).
    pub auth_version: u32,
    /// Whether requests carry `X-SYNO-HASH` from a Noise IK handshake.
    pub noise_ik: bool,
}

/// The DSM account the client logs in with, and its second factor.
#[derive(Clone)]
pub struct Credentials {
    account: String,
    password: SecretString,
    otp_code: Option<SecretString>,
    device_token: Option<SecretString>,
    device_name: String,
}

impl Credentials {
    /// An administrator's account name and password.
    pub fn new(account: impl Into<String>, password: SecretString) -> Self {
        Credentials {
            account: account.into(),
            password,
            otp_code: None,
            device_token: None,
            device_name: DEFAULT_DEVICE_NAME.to_string(),
        }
    }

    /// A current two-step verification code, used by the first login only (with it DSM
    /// issues a device token, see [`SynologyClient::device_token`]).
    pub fn with_otp_code(mut self, code: SecretString) -> Self {
        self.otp_code = Some(code);
        self
    }

    /// A device token DSM issued earlier: logins with it need no OTP code.
    pub fn with_device_token(mut self, token: SecretString) -> Self {
        self.device_token = Some(token);
        self
    }

    /// The device name sent with the device token (default `provision`).
    pub fn with_device_name(mut self, name: impl Into<String>) -> Self {
        self.device_name = name.into();
        self
    }

    /// The account name.
    pub fn account(&self) -> &str {
        &self.account
    }

    fn validate(&self) -> Result<(), Error> {
        if self.account.trim().is_empty() {
            return Err(Error::invalid("account", "the DSM account name is empty"));
        }
        if self.password.expose_secret().is_empty() {
            return Err(Error::invalid("password", "the DSM password is empty"));
        }
        if self.device_name.trim().is_empty() {
            return Err(Error::invalid("device_name", "the device name is empty"));
        }
        Ok(())
    }
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("account", &self.account)
            .field("password", &"[redacted]")
            .field("otp_code", &self.otp_code.as_ref().map(|_| "[redacted]"))
            .field(
                "device_token",
                &self.device_token.as_ref().map(|_| "[redacted]"),
            )
            .field("device_name", &self.device_name)
            .finish()
    }
}

/// A DSM Web API client. Cheap to clone; clones share one session.
#[derive(Clone)]
pub struct SynologyClient {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base: Url,
    retry: RetryConfig,
    credentials: Credentials,
    session_label: String,
    otp_code: SyncMutex<Option<SecretString>>,
    device_token: SyncMutex<Option<SecretString>>,
    apis: tokio::sync::OnceCell<ApiTable>,
    session: tokio::sync::Mutex<Option<Arc<Session>>>,
    login_refusal: SyncMutex<Option<ServerError>>,
}

impl std::fmt::Debug for SynologyClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SynologyClient")
            .field("base", &self.inner.base.as_str())
            .field("credentials", &self.inner.credentials)
            .field("session_label", &self.inner.session_label)
            .finish_non_exhaustive()
    }
}

/// The Web API base `scheme://host:port/<prefix>/webapi/` for an address. The address
/// follows core's [`Endpoint`] rules (no credentials, query or fragment; cleartext
/// `http://` only to loopback unless the options allow it), plus DSM's defaults: HTTPS
/// when no scheme is written, port 5001 (5000 for HTTP) when none is, and `webapi/`.
pub(crate) fn webapi_base(input: &str, options: &ClientOptions) -> Result<(Endpoint, Url), Error> {
    let input = input.trim();
    let with_scheme = if input.contains("://") {
        input.to_string()
    } else {
        format!("https://{input}")
    };
    let endpoint = options.endpoint(&with_scheme)?;
    let mut url = endpoint.url().clone();
    if !has_explicit_port(&with_scheme) {
        let port = if endpoint.is_cleartext() { 5000 } else { 5001 };
        url.set_port(Some(port))
            .map_err(|_| Error::invalid("base_url", "cannot set a port on this address"))?;
    }
    let path = url.path().trim_end_matches('/').to_string();
    let path = if path.ends_with("/webapi") {
        format!("{path}/")
    } else {
        format!("{path}/webapi/")
    };
    url.set_path(&path);
    Ok((endpoint, url))
}

/// Whether the authority of `url` (which has a scheme) names a port; the url crate
/// forgets a port equal to the scheme's default, so this reads the text.
fn has_explicit_port(url: &str) -> bool {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = after_scheme
        .split(['/', '?', '#'])
        .next()
        .unwrap_or_default();
    let host_port = authority.rsplit('@').next().unwrap_or(authority);
    match host_port.rfind(']') {
        Some(end) => host_port[end..].contains(':'),
        None => host_port.contains(':'),
    }
}

fn names(value: &Value, key: &str) -> Vec<String> {
    value
        .get(key)
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(|item| match item {
                    Value::String(s) => Some(s.clone()),
                    other => other.get("name")?.as_str().map(str::to_string),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Takes the `key` rows out of `data` (moved, not copied: user lists are long).
fn rows<T: serde::de::DeserializeOwned>(data: &mut Value, key: &str) -> Result<Vec<T>, Error> {
    match data.get_mut(key).map(Value::take) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(items) => serde_json::from_value(items)
            .map_err(|e| Error::protocol(BACKEND, format!("unexpected {key} rows: {e}"))),
    }
}

impl SynologyClient {
    /// A client for the DSM at `base_url` (e.g. `nas.example.com`, meaning
    /// `https://nas.example.com:5001`). Nothing is sent until the first call.
    pub fn new(
        base_url: &str,
        credentials: Credentials,
        session_label: &str,
        options: &ClientOptions,
    ) -> Result<Self, Error> {
        let (endpoint, base) = webapi_base(base_url, options)?;
        credentials.validate()?;
        if session_label.trim().is_empty() {
            return Err(Error::invalid(
                "session_label",
                "the session label is empty",
            ));
        }
        Ok(SynologyClient {
            inner: Arc::new(Inner {
                http: options.build_client_for(BACKEND, &endpoint)?,
                base,
                retry: options.retry.clone(),
                otp_code: SyncMutex::new(credentials.otp_code.clone()),
                device_token: SyncMutex::new(credentials.device_token.clone()),
                credentials,
                session_label: session_label.to_string(),
                apis: tokio::sync::OnceCell::new(),
                session: tokio::sync::Mutex::new(None),
                login_refusal: SyncMutex::new(None),
            }),
        })
    }

    /// The Web API base URL, e.g. `https://nas:5001/webapi/`.
    pub fn base_url(&self) -> &Url {
        &self.inner.base
    }

    /// The account the client logs in with.
    pub fn account(&self) -> &str {
        &self.inner.credentials.account
    }

    /// Discovery, once per client (`SYNO.API.Info` `query` on `query.cgi`, no login).
    pub(crate) async fn apis(&self) -> Result<&ApiTable, Error> {
        self.inner
            .apis
            .get_or_try_init(|| async {
                let mut url = self
                    .inner
                    .base
                    .join("query.cgi")
                    .map_err(|e| Error::invalid("base_url", e.to_string()))?;
                let mut wanted = REQUIRED_APIS.to_vec();
                wanted.extend(OPTIONAL_APIS);
                url.query_pairs_mut()
                    .append_pair("api", "SYNO.API.Info")
                    .append_pair("version", "1")
                    .append_pair("method", "query")
                    .append_pair("query", &wanted.join(","));
                let http = &self.inner.http;
                let response =
                    send_with_retry(BACKEND, &self.inner.retry, Idempotency::Idempotent, || {
                        Ok(http.get(url.clone()))
                    })
                    .await?;
                let data = read_response::<Value>("SYNO.API.Info", response)
                    .await?
                    .unwrap_or(Value::Null);
                ApiTable::from_info(&data)
            })
            .await
    }

    /// Fails with [`Error::Unsupported`] unless the DSM offers every API provisioning
    /// uses and Auth version 7 (older sessions cannot mutate on DSM 7.2.1+).
    pub async fn check_support(&self) -> Result<(), Error> {
        let apis = self.apis().await?;
        let missing: Vec<&str> = REQUIRED_APIS
            .iter()
            .copied()
            .filter(|api| apis.get(api).is_none())
            .collect();
        if !missing.is_empty() {
            return Err(Error::Unsupported(format!(
                "this DSM does not offer {}",
                missing.join(", ")
            )));
        }
        let auth_max = apis.get("SYNO.API.Auth").map_or(0, |a| a.max_version);
        if auth_max < AUTH_VERSION {
            return Err(Error::Unsupported(format!(
                "this DSM offers SYNO.API.Auth up to version {auth_max}; provisioning needs \
                 version {AUTH_VERSION} (DSM 7)"
            )));
        }
        Ok(())
    }

    /// The URL of `call`'s API, when the DSM offers it at the call's version.
    pub(super) async fn api_url(&self, call: &ApiCall) -> Result<Url, Error> {
        let entry = self.apis().await?.entry_for(call.api, call.version)?;
        self.inner
            .base
            .join(entry.relative_path()?)
            .map_err(|e| Error::protocol(BACKEND, format!("bad API path {}: {e}", entry.path)))
    }

    /// Runs an authenticated call: logs in when needed and, when DSM declares the
    /// session gone, renews it once and re-sends once (DSM rejects a dead sid before
    /// executing, so this is safe for mutations too).
    async fn call(&self, call: ApiCall) -> Result<Value, Error> {
        Ok(self.call_as::<Value>(call).await?.unwrap_or(Value::Null))
    }

    /// [`Self::call`], with the answer's `data` read straight into `T` (None when DSM
    /// sent none).
    async fn call_as<T: DeserializeOwned + Send>(&self, call: ApiCall) -> Result<Option<T>, Error> {
        let url = self.api_url(&call).await?;
        let session = self.session().await?;
        self.exchange(url, &call, Some(session), Renewal::Allowed)
            .await
    }

    /// Logs in (when not yet) and describes the session.
    pub async fn login(&self) -> Result<SessionInfo, Error> {
        let session = self.session().await?;
        Ok(SessionInfo {
            auth_version: session.auth_version,
            noise_ik: session.uses_noise(),
        })
    }

    /// Model and DSM version (`SYNO.DSM.Info` `getinfo` v2).
    pub async fn dsm_info(&self) -> Result<DsmInfo, Error> {
        let data = self
            .call(ApiCall::new("SYNO.DSM.Info", 2, "getinfo"))
            .await?;
        serde_json::from_value(data)
            .map_err(|e| Error::protocol(BACKEND, format!("unexpected DSM info: {e}")))
    }

    /// Every local group (for a product configuration's drop-down).
    pub async fn list_groups(&self) -> Result<Vec<Group>, Error> {
        self.list_all("SYNO.Core.Group", "groups", json!(["description", "gid"]))
            .await
    }

    /// One group by exact (case-insensitive) name, or None. DSM answers success with an
    /// `errors` item for a missing group, so only a matching row counts.
    pub async fn group(&self, name: &GroupName) -> Result<Option<Group>, Error> {
        let mut data = self
            .call(ApiCall::new("SYNO.Core.Group", 1, "get").json("name", json!([name.as_str()])))
            .await?;
        let groups: Vec<Group> = rows(&mut data, "groups")?;
        Ok(groups
            .into_iter()
            .find(|g| g.name.eq_ignore_ascii_case(name.as_str())))
    }

    /// Every local user, paging until DSM's total is reached.
    pub async fn list_users(&self) -> Result<Vec<User>, Error> {
        self.list_all("SYNO.Core.User", "users", json!(USER_FIELDS))
            .await
    }

    /// The name of every local user (a listing without the other fields).
    pub async fn list_user_names(&self) -> Result<Vec<String>, Error> {
        let users: Vec<NameOnly> = self.list_all("SYNO.Core.User", "users", json!([])).await?;
        Ok(users.into_iter().map(|u| u.name).collect())
    }

    async fn list_all<T: serde::de::DeserializeOwned>(
        &self,
        api: &'static str,
        key: &str,
        additional: Value,
    ) -> Result<Vec<T>, Error> {
        let mut all: Vec<T> = Vec::new();
        loop {
            let mut data = self
                .call(
                    ApiCall::new(api, 1, "list")
                        .json("offset", json!(all.len()))
                        .json("limit", json!(-1))
                        .text("type", "local")
                        .json("additional", additional.clone()),
                )
                .await?;
            let total = data.get("total").and_then(Value::as_u64);
            let page: Vec<T> = rows(&mut data, key)?;
            let got = page.len();
            all.extend(page);
            match total {
                Some(total) if (all.len() as u64) < total && got > 0 => continue,
                _ => return Ok(all),
            }
        }
    }

    /// One user (`get`); [`ErrorKind::NotFound`](provision_core::ErrorKind::NotFound)
    /// when DSM says 3106. DSM has been seen to answer 3106 for an existing user, so
    /// existence checks use [`Self::list_users`].
    pub async fn user(&self, name: &Username) -> Result<User, Error> {
        let mut data = self
            .call(
                ApiCall::new("SYNO.Core.User", 1, "get")
                    .text("name", name.as_str())
                    .json("additional", json!(USER_FIELDS)),
            )
            .await?;
        rows::<User>(&mut data, "users")?
            .into_iter()
            .find(|u| u.name.eq_ignore_ascii_case(name.as_str()))
            .ok_or_else(|| Error::protocol(BACKEND, "get answered without the user"))
    }

    /// Creates an enabled user. Sent at most once, even after a 5xx or a refused
    /// connection: whether a failed create happened is settled by a lookup, never by
    /// sending it again.
    pub async fn create_user(&self, user: &NewUser<'_>) -> Result<CreatedUser, Error> {
        let data = self
            .call(
                ApiCall::new("SYNO.Core.User", 1, "create")
                    .at_most_once()
                    .text("name", user.name.as_str())
                    .secret_text("password", user.password)
                    .text("description", user.description)
                    .text("email", user.email)
                    .text("expired", "normal")
                    .json("cannot_chg_passwd", json!(false))
                    .json("passwd_never_expire", json!(true))
                    .json("notify_by_email", json!(false))
                    .json("send_password", json!(false)),
            )
            .await?;
        serde_json::from_value(data)
            .map_err(|e| Error::protocol(BACKEND, format!("unexpected create answer: {e}")))
    }

    async fn set_user(
        &self,
        name: &Username,
        call: impl FnOnce(ApiCall) -> ApiCall,
    ) -> Result<(), Error> {
        let base = ApiCall::new("SYNO.Core.User", 1, "set").text("name", name.as_str());
        self.call(call(base)).await.map(drop)
    }

    /// Sets a new password.
    pub async fn set_password(
        &self,
        name: &Username,
        password: &SecretString,
    ) -> Result<(), Error> {
        self.set_user(name, |c| c.secret_text("password", password))
            .await
    }

    /// Sets the e-mail address (`""` clears it).
    pub async fn set_email(&self, name: &Username, email: &str) -> Result<(), Error> {
        self.set_user(name, |c| c.text("email", email)).await
    }

    /// Sets the description.
    pub async fn set_description(&self, name: &Username, description: &str) -> Result<(), Error> {
        self.set_user(name, |c| c.text("description", description))
            .await
    }

    /// Disables the account (`expired="now"`).
    pub async fn disable_user(&self, name: &Username) -> Result<(), Error> {
        self.set_user(name, |c| c.text("expired", "now")).await
    }

    /// Enables the account (`expired="normal"`).
    pub async fn enable_user(&self, name: &Username) -> Result<(), Error> {
        self.set_user(name, |c| c.text("expired", "normal")).await
    }

    /// Deletes the user (the name goes as a JSON array; a bare string is refused).
    pub async fn delete_user(&self, name: &Username) -> Result<(), Error> {
        self.call(ApiCall::new("SYNO.Core.User", 1, "delete").json("name", json!([name.as_str()])))
            .await
            .map(drop)
    }

    /// Adds the user to the group. DSM answers success whatever it did: read back.
    pub async fn add_to_group(&self, group: &GroupName, user: &Username) -> Result<(), Error> {
        self.membership("add", group, user).await
    }

    /// Removes the user from the group. DSM answers success whatever it did: read back.
    pub async fn remove_from_group(&self, group: &GroupName, user: &Username) -> Result<(), Error> {
        self.membership("remove", group, user).await
    }

    async fn membership(
        &self,
        method: &'static str,
        group: &GroupName,
        user: &Username,
    ) -> Result<(), Error> {
        self.call(
            ApiCall::new("SYNO.Core.Group.Member", 1, method)
                .text("group", group.as_str())
                .json("name", json!([user.as_str()])),
        )
        .await
        .map(drop)
    }

    /// The user names in a group.
    pub async fn group_members(&self, group: &GroupName) -> Result<Vec<String>, Error> {
        let data = self
            .call(
                ApiCall::new("SYNO.Core.Group.Member", 1, "list")
                    .text("group", group.as_str())
                    .json("ingroup", json!(true))
                    .json("offset", json!(0))
                    .json("limit", json!(-1)),
            )
            .await?;
        Ok(names(&data, "users"))
    }

    /// The groups a user is in (`SYNO.Core.User.Group` `get`).
    pub async fn user_groups(&self, user: &Username) -> Result<Vec<String>, Error> {
        let data = self
            .call(ApiCall::new("SYNO.Core.User.Group", 1, "get").text("name", user.as_str()))
            .await?;
        Ok(names(&data, "groups"))
    }

    /// The User Home service and the volume holding `homes`.
    pub async fn home_service(&self) -> Result<HomeService, Error> {
        let data = self
            .call(ApiCall::new("SYNO.Core.User.Home", 1, "get"))
            .await?;
        Ok(HomeService::from_data(&data))
    }

    /// A user's quota and usage on every volume (MiB on the wire; see
    /// [`UserQuota::home_usage`] for bytes).
    pub async fn user_quota(&self, user: &Username) -> Result<UserQuota, Error> {
        let quota = self
            .call_as::<UserQuota>(
                ApiCall::new("SYNO.Core.Quota", 1, "get")
                    .text("name", user.as_str())
                    .json("support_share_quota", json!(true)),
            )
            .await?;
        Ok(quota.unwrap_or_default())
    }

    /// The quota and usage of each of `users` in one request (`SYNO.Entry.Request`
    /// `request`, run one after another, not stopped by a failure): each user's own
    /// result, in order. [`Error::Unsupported`] when the DSM does not offer batching.
    pub async fn user_quotas(
        &self,
        users: &[Username],
    ) -> Result<Vec<Result<UserQuota, Error>>, Error> {
        let users: Vec<&Username> = users.iter().collect();
        self.user_quotas_of(&users).await
    }

    /// [`Self::user_quotas`] over borrowed names.
    pub(crate) async fn user_quotas_of(
        &self,
        users: &[&Username],
    ) -> Result<Vec<Result<UserQuota, Error>>, Error> {
        if self.apis().await?.get(COMPOUND_API).is_none() {
            return Err(Error::Unsupported(format!(
                "this DSM does not offer {COMPOUND_API}"
            )));
        }
        /// One `SYNO.Core.Quota get` of a compound list, encoded without a JSON tree.
        #[derive(serde::Serialize)]
        struct QuotaGet<'a> {
            api: &'static str,
            method: &'static str,
            version: u32,
            name: &'a str,
            support_share_quota: bool,
        }
        #[derive(serde::Deserialize)]
        struct Results {
            result: Vec<request::Envelope<UserQuota>>,
        }
        let calls: Vec<QuotaGet<'_>> = users
            .iter()
            .map(|user| QuotaGet {
                api: "SYNO.Core.Quota",
                method: "get",
                version: 1,
                name: user.as_str(),
                support_share_quota: true,
            })
            .collect();
        let calls = serde_json::to_string(&calls)
            .map_err(|e| Error::protocol(BACKEND, format!("cannot encode a compound list: {e}")))?;
        let answer = self
            .call_as::<Results>(
                ApiCall::new(COMPOUND_API, 1, "request")
                    .text("mode", "sequential")
                    .json("stop_when_error", json!(false))
                    .json_text("compound", calls),
            )
            .await?;
        let results = match answer {
            Some(Results { result }) if result.len() == users.len() => result,
            Some(Results { result }) => {
                return Err(Error::protocol(
                    BACKEND,
                    format!(
                        "{COMPOUND_API}: {} results for {} calls",
                        result.len(),
                        users.len()
                    ),
                ))
            }
            None => {
                return Err(Error::protocol(
                    BACKEND,
                    format!("{COMPOUND_API}: answer without a result list"),
                ))
            }
        };
        Ok(results
            .into_iter()
            .map(|result| {
                result
                    .into_data("SYNO.Core.Quota")
                    .map(Option::unwrap_or_default)
            })
            .collect())
    }

    /// The live password strength policy.
    pub async fn password_policy(&self) -> Result<PasswordPolicy, Error> {
        let data = self
            .call(ApiCall::new("SYNO.Core.User.PasswordPolicy", 1, "get"))
            .await?;
        Ok(PasswordPolicy::from_data(&data))
    }
}

async fn read_response<T: DeserializeOwned>(
    api: &str,
    response: reqwest::Response,
) -> Result<Option<T>, Error> {
    read_envelope_of(api, &read_whole(BACKEND, response).await?)
}

/// The `data` of an answer read whole, by its DSM envelope.
fn read_envelope_of<T: DeserializeOwned>(api: &str, answer: &Fetched) -> Result<Option<T>, Error> {
    let content_type = answer
        .headers
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    request::read_envelope(api, answer.status, content_type, &answer.body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_default_to_https_on_5001() {
        let url =
            |s: &str| webapi_base(s, &ClientOptions::default()).map(|(_, base)| base.to_string());
        assert_eq!(
            url("nas.example.com").unwrap(),
            "https://nas.example.com:5001/webapi/"
        );
        assert_eq!(
            url("https://nas.example.com").unwrap(),
            "https://nas.example.com:5001/webapi/"
        );
        assert_eq!(
            url("https://nas.example.com:443/").unwrap(),
            "https://nas.example.com/webapi/"
        );
        assert_eq!(
            url("https://nas:5001/webapi").unwrap(),
            "https://nas:5001/webapi/"
        );
        assert_eq!(
            url("https://proxy/dsm/").unwrap(),
            "https://proxy:5001/dsm/webapi/"
        );
        assert_eq!(
            url("https://[fd00::1]").unwrap(),
            "https://[fd00::1]:5001/webapi/"
        );
        assert_eq!(
            url("http://127.0.0.1:8080").unwrap(),
            "http://127.0.0.1:8080/webapi/"
        );
        assert_eq!(
            url("http://localhost").unwrap(),
            "http://localhost:5000/webapi/"
        );
    }

    #[test]
    fn unsafe_addresses_are_refused() {
        for bad in [
            "",
            "http://nas.example.com",
            "ftp://nas",
            "https://u:p@nas",
            "https://nas/?x=1",
        ] {
            assert!(
                webapi_base(bad, &ClientOptions::default()).is_err(),
                "{bad:?} accepted"
            );
        }
    }

    #[test]
    fn credentials_never_print_secrets() {
        let c = Credentials::new("admin", SecretString::from("hunter2".to_string()))
            .with_otp_code(SecretString::from("123456".to_string()))
            .with_device_token(SecretString::from("tok3n".to_string()));
        let shown = format!("{c:?}");
        assert!(
            !shown.contains("hunter2") && !shown.contains("123456") && !shown.contains("tok3n")
        );
        let client = SynologyClient::new("nas", c, "provision", &ClientOptions::default()).unwrap();
        let shown = format!("{client:?}");
        assert!(!shown.contains("hunter2") && shown.contains("admin"));
    }
}
