//! Login, logout and the session every later call runs in (facts sheet §3, §3a).
//!
//! One session at a time: concurrent calls share it; when DSM says it is gone
//! (106/107/119) one caller logs in again while the others wait for that new session.
//! A login DSM refused for the credentials is remembered and never sent again by this
//! client, because DSM's auto-block bans an address after repeated failures.

use std::sync::{Arc, Mutex as SyncMutex};

use provision_core::error::{Error, ServerError};
use provision_core::http::{send_with_retry, Idempotency};
use secrecy::SecretString;
use serde_json::Value;

use super::exchange::Renewal;
use super::request::{ApiCall, ApiTable};
use super::SynologyClient;
use crate::error::{dsm_code, BACKEND};
use crate::noise::{decode, Initiator, RequestHasher};

/// The Auth version whose sessions may mutate on DSM 7.2.1+ (facts sheet §3).
pub(crate) const AUTH_VERSION: u32 = 7;

/// A logged-in session: sid, CSRF token and, after a Noise login, the request hasher.
pub(crate) struct Session {
    pub(crate) sid: SecretString,
    pub(crate) synotoken: SecretString,
    pub(crate) auth_version: u32,
    hasher: Option<SyncMutex<RequestHasher>>,
}

impl Session {
    /// Whether requests carry `X-SYNO-HASH`.
    pub(crate) fn uses_noise(&self) -> bool {
        self.hasher.is_some()
    }

    /// The next `X-SYNO-HASH` value, when the session has one; the lock keeps nonces
    /// unique and handed out in order.
    pub(crate) fn next_hash(&self) -> Result<Option<String>, Error> {
        match &self.hasher {
            None => Ok(None),
            Some(hasher) => {
                let mut hasher = hasher.lock().unwrap_or_else(|p| p.into_inner());
                Ok(Some(hasher.next_header()?))
            }
        }
    }
}

/// Login codes that are about the account, its password or its second factor: sending
/// the same login again can only make DSM block us.
fn is_credentials_refusal(code: i64) -> bool {
    (400..=411).contains(&code)
}

impl SynologyClient {
    /// The current session, logging in when there is none.
    pub(crate) async fn session(&self) -> Result<Arc<Session>, Error> {
        let apis = self.apis().await?;
        let mut slot = self.inner.session.lock().await;
        if let Some(session) = slot.as_ref() {
            return Ok(session.clone());
        }
        let session = Arc::new(self.log_in(apis).await?);
        *slot = Some(session.clone());
        Ok(session)
    }

    /// A session to replace `stale`, which DSM declared gone: when another caller has
    /// already replaced it, that session; otherwise one new login.
    pub(crate) async fn renew(&self, stale: &Arc<Session>) -> Result<Arc<Session>, Error> {
        let apis = self.apis().await?;
        let mut slot = self.inner.session.lock().await;
        if let Some(current) = slot.as_ref() {
            if !Arc::ptr_eq(current, stale) {
                return Ok(current.clone());
            }
        }
        *slot = None;
        tracing::debug!(backend = BACKEND, "DSM session expired; logging in again");
        let session = Arc::new(self.log_in(apis).await?);
        *slot = Some(session.clone());
        Ok(session)
    }

    /// Ends the session (with its sid, so DSM really ends it); a no-op without one.
    pub async fn logout(&self) -> Result<(), Error> {
        let session = self.inner.session.lock().await.take();
        let Some(session) = session else {
            return Ok(());
        };
        let call = ApiCall::new("SYNO.API.Auth", session.auth_version, "logout")
            .raw("session", &self.inner.session_label);
        let url = self.api_url(&call).await?;
        self.exchange::<serde::de::IgnoredAny>(url, &call, Some(session), Renewal::Never)
            .await
            .map(drop)
    }

    /// The device token DSM issued after a login with an OTP code (or the one given),
    /// for the operator to store and pass on later runs. A secret.
    pub fn device_token(&self) -> Option<SecretString> {
        self.inner
            .device_token
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    fn remembered_refusal(&self) -> Option<ServerError> {
        self.inner
            .login_refusal
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    async fn log_in(&self, apis: &ApiTable) -> Result<Session, Error> {
        if let Some(refusal) = self.remembered_refusal() {
            return Err(refusal.into());
        }
        let auth = apis
            .get("SYNO.API.Auth")
            .ok_or_else(|| Error::Unsupported("this DSM does not offer SYNO.API.Auth".into()))?;
        // Version 7 where offered, else the highest the DSM has (DSM 6).
        let version = auth.max_version.min(AUTH_VERSION);
        let credentials = &self.inner.credentials;
        let mut call = ApiCall::new("SYNO.API.Auth", version, "login")
            .not_idempotent()
            .raw("account", &credentials.account)
            .secret_raw("passwd", &credentials.password)
            .raw("session", &self.inner.session_label)
            .raw("format", "sid")
            .raw("enable_syno_token", "yes");

        let mut initiator = None;
        if version >= AUTH_VERSION {
            if let Some(server_key) = self.server_noise_key().await? {
                let now = chrono::Utc::now().timestamp();
                let (started, message) = Initiator::start(&server_key, now)?;
                call = call
                    .raw("ik_message", &message)
                    .raw("client", "browser")
                    .raw("logintype", "local")
                    .raw("rememberme", "0");
                initiator = Some(started);
            }
        }

        let device_token = self.device_token();
        // An OTP code is good for one login; later logins rely on the device token.
        let otp = self
            .inner
            .otp_code
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take();
        let device_name = credentials.device_name.as_str();
        if let Some(token) = &device_token {
            call = call
                .secret_raw("device_id", token)
                .raw("device_name", device_name);
        }
        if let Some(code) = &otp {
            call = call
                .secret_raw("otp_code", code)
                .raw("enable_device_token", "yes");
            if device_token.is_none() {
                call = call.raw("device_name", device_name);
            }
        }

        let url = self.api_url(&call).await?;
        let data = match self
            .exchange::<Value>(url, &call, None, Renewal::Never)
            .await
        {
            Ok(data) => data.unwrap_or(Value::Null),
            Err(e) => {
                // A code DSM never saw stays usable for the next attempt.
                if otp.is_some() && !e.may_have_reached_server() {
                    *self
                        .inner
                        .otp_code
                        .lock()
                        .unwrap_or_else(|p| p.into_inner()) = otp;
                }
                if let (Some(code), Error::Server(server)) = (dsm_code(&e), &e) {
                    if is_credentials_refusal(code) {
                        *self
                            .inner
                            .login_refusal
                            .lock()
                            .unwrap_or_else(|p| p.into_inner()) = Some(server.clone());
                    }
                }
                return Err(e);
            }
        };
        self.session_from_login(&data, version, initiator)
    }

    fn session_from_login(
        &self,
        data: &Value,
        auth_version: u32,
        initiator: Option<Initiator>,
    ) -> Result<Session, Error> {
        let text = |key: &str| {
            data.get(key)
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
        };
        let sid =
            text("sid").ok_or_else(|| Error::protocol(BACKEND, "login answered without a sid"))?;
        // The token is called `did` by Auth v6 and `device_id` by v7 (facts sheet §3).
        if let Some(token) = text("device_id").or_else(|| text("did")) {
            *self
                .inner
                .device_token
                .lock()
                .unwrap_or_else(|p| p.into_inner()) = Some(SecretString::from(token.to_string()));
        }
        let hasher = match (initiator, text("ik_message")) {
            (Some(initiator), Some(answer)) => Some(SyncMutex::new(initiator.finish(answer)?)),
            // An empty ik_message: the DSM did not take part; continue without hashes.
            _ => None,
        };
        Ok(Session {
            sid: SecretString::from(sid.to_string()),
            synotoken: SecretString::from(text("synotoken").unwrap_or_default().to_string()),
            auth_version,
            hasher,
        })
    }

    /// The DSM's static Noise key from the `_SSID` cookie of `SYNO.API.Auth.UIConfig`,
    /// or None when the DSM does not offer one (then the login is a plain v7 login).
    async fn server_noise_key(&self) -> Result<Option<Vec<u8>>, Error> {
        let url = self
            .inner
            .base
            .join("entry.cgi/SYNO.API.Auth.UIConfig")
            .map_err(|e| Error::invalid("base_url", e.to_string()))?;
        let body = ApiCall::new("SYNO.API.Auth.UIConfig", 1, "get").form_body(None)?;
        let http = &self.inner.http;
        let response = send_with_retry(BACKEND, &self.inner.retry, Idempotency::Idempotent, || {
            Ok(http
                .post(url.clone())
                .header(reqwest::header::CONTENT_TYPE, FORM)
                .body(body.clone()))
        })
        .await?;
        let cookie = response
            .headers()
            .get_all(reqwest::header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|v| {
                let pair = v.split(';').next()?.trim();
                pair.strip_prefix("_SSID=").map(str::to_string)
            });
        let Some(cookie) = cookie.filter(|c| !c.is_empty()) else {
            return Ok(None);
        };
        let key = decode("_SSID cookie", &cookie)?;
        if key.len() != 32 {
            return Err(Error::protocol(
                BACKEND,
                format!("the _SSID key is {} bytes, not 32", key.len()),
            ));
        }
        Ok(Some(key))
    }
}

/// The form body's content type.
pub(crate) const FORM: &str = "application/x-www-form-urlencoded";
