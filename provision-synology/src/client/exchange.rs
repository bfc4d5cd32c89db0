//! One DSM call through core's one retry loop ([`run_exchange`]): each attempt is built
//! afresh (form body with the current sid, SynoToken, a new `X-SYNO-HASH`, since every
//! attempt spends a Noise nonce), and each answer's envelope is read here, because DSM
//! reports "busy" and "session gone" inside a 200 answer that core cannot read.
//!
//! - DSM busy codes: [`Verdict::Retry`], which core resends only for idempotent calls;
//! - session codes: [`Verdict::Renew`], one shared re-login, then one resend (DSM
//!   refuses a dead sid before acting, so this is safe for mutations too);
//! - anything else: [`Verdict::Done`].
//!
//! One loop, so one call is sent at most `max_retries + 2` times.

use std::marker::PhantomData;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use provision_core::error::Error;
use provision_core::http::{
    read_whole, resend_if_idempotent, run_exchange, Exchange, Idempotency, RetryConfig, Verdict,
};
use secrecy::ExposeSecret;
use serde::de::DeserializeOwned;
use url::Url;

use super::request::ApiCall;
use super::session::{Session, FORM};
use super::{read_envelope_of, SynologyClient};
use crate::error::{is_busy, is_session_error, BACKEND};

/// Whether a session-gone answer may be healed by logging in again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Renewal {
    /// An ordinary call in the shared session: renew it once.
    Allowed,
    /// A login or a logout: a dead session is the answer itself.
    Never,
}

/// One API call, its session and what its answer's `data` is read into.
struct DsmExchange<'a, T> {
    client: &'a SynologyClient,
    url: Url,
    call: &'a ApiCall,
    /// The session the next attempt carries; replaced by a renewal.
    session: Mutex<Option<Arc<Session>>>,
    renewal: Renewal,
    answer: PhantomData<fn() -> T>,
}

impl<T> DsmExchange<'_, T> {
    fn current_session(&self) -> Option<Arc<Session>> {
        self.session
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }
}

#[async_trait]
impl<T: DeserializeOwned + Send> Exchange for DsmExchange<'_, T> {
    type Output = Option<T>;

    fn backend(&self) -> &'static str {
        BACKEND
    }

    fn idempotency(&self) -> Idempotency {
        self.call.idempotency
    }

    async fn request(&self) -> Result<reqwest::RequestBuilder, Error> {
        let session = self.current_session();
        let body = self.call.form_body(session.as_ref().map(|s| &s.sid))?;
        let mut request = self
            .client
            .inner
            .http
            .post(self.url.clone())
            .header(reqwest::header::CONTENT_TYPE, FORM)
            .body(body);
        if let Some(session) = session {
            request = request.header("X-SYNO-TOKEN", session.synotoken.expose_secret());
            if let Some(hash) = session.next_hash()? {
                request = request.header("X-SYNO-HASH", hash);
            }
        }
        Ok(request)
    }

    async fn read(&self, response: reqwest::Response) -> Verdict<Option<T>> {
        let answer = match read_whole(BACKEND, response).await {
            Ok(answer) => answer,
            // Cut off while its body was read: resent only when that is safe.
            Err(error) => return resend_if_idempotent(error, self.call.idempotency),
        };
        match read_envelope_of::<T>(self.call.api, &answer) {
            Err(error) if self.renewal == Renewal::Allowed && is_session_error(&error) => {
                Verdict::Renew(error)
            }
            Err(error) if is_busy(&error) => Verdict::Retry { error, after: None },
            answer => Verdict::Done(answer),
        }
    }

    async fn renew(&self) -> Result<(), Error> {
        let stale = self
            .current_session()
            .ok_or_else(|| Error::protocol(BACKEND, "a call without a session cannot renew it"))?;
        let fresh = self.client.renew(&stale).await?;
        *self
            .session
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(fresh);
        Ok(())
    }
}

impl SynologyClient {
    /// Sends `call` to `url` in `session` (None: a login) under the retry rule; an
    /// at-most-once call is sent once. Returns the answer's `data` (None when DSM sent
    /// none) or the mapped error.
    pub(super) async fn exchange<T: DeserializeOwned + Send>(
        &self,
        url: Url,
        call: &ApiCall,
        session: Option<Arc<Session>>,
        renewal: Renewal,
    ) -> Result<Option<T>, Error> {
        let retry = if call.at_most_once {
            RetryConfig::none()
        } else {
            self.inner.retry.clone()
        };
        let exchange = DsmExchange::<T> {
            client: self,
            url,
            call,
            session: Mutex::new(session),
            renewal,
            answer: PhantomData,
        };
        run_exchange(&retry, &exchange).await
    }
}
