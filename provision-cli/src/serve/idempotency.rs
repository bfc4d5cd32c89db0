//! `Idempotency-Key` on POST, with Stripe's rules (see
//! [`provision_core::ledger::idempotency`]): the same key with the same request
//! replays the stored status and body (marked `Idempotent-Replayed: true`), with
//! another request it is a 422, while the first is running a 409. Keys are scoped per
//! token and kept in the ledger's database for the configured window.
//!
//! What is stored: every final answer, errors included, except 5xx and 429 (a retry
//! of those should run again, and the billing cycle's journal keeps the order itself
//! from acting twice). A password is never stored: a stored answer has `password`
//! null and `password_note` saying that the first answer handed it out, so a replay
//! cannot hand it out a second time (Stripe replays verbatim; a secret at rest is
//! worse than a replay that differs in that one field).
//!
//! The key, scoped by the token's id and the request's fingerprint, is passed on to
//! the billing cycle's orders ([`OrderKey`]), so the ledger's journal of a suspend or
//! terminate carries it too: the same request never acts twice, even past the
//! window, while another request under a key reused after the window does act.

use std::sync::Arc;
use std::time::Duration;

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use provision_core::ledger::idempotency::{Claim, IdempotencyStore, KeyRequest, StoredAnswer};
use sha2::{Digest, Sha256};
use tracing::Instrument;

use super::auth::Caller;
use super::problem::{Problem, PROBLEM_JSON};

/// The request header.
pub const IDEMPOTENCY_KEY: &str = "idempotency-key";

/// The header on a replayed answer.
pub const REPLAYED: &str = "idempotent-replayed";

/// The longest key accepted (Stripe's limit).
pub const MAX_KEY_LENGTH: usize = 255;

/// What a stored answer says in place of the password.
pub const PASSWORD_NOTE: &str =
    "the password was handed out once, by the first answer to this Idempotency-Key; it is not stored";

/// The idempotency key of an order, scoped by the caller's token, for the billing
/// cycle's journal.
#[derive(Debug, Clone)]
pub struct OrderKey(pub String);

/// The keys' store and windows.
pub struct Idempotency {
    store: Arc<dyn IdempotencyStore>,
    window: Duration,
    lease: Duration,
    body_limit: usize,
}

impl Idempotency {
    /// Keys in `store`, answers replayed for `window`; a claim whose request never
    /// finished lapses after `lease`; bodies up to `body_limit` bytes.
    pub fn new(
        store: Arc<dyn IdempotencyStore>,
        window: Duration,
        lease: Duration,
        body_limit: usize,
    ) -> Idempotency {
        Idempotency {
            store,
            window,
            lease,
            body_limit,
        }
    }

    /// Purges lapsed keys now and then, for as long as the service runs.
    pub fn spawn_purger(self: &Arc<Self>) -> tokio::task::JoinHandle<()> {
        let this = Arc::clone(self);
        let every = (this.window / 2).clamp(Duration::from_secs(1), Duration::from_secs(3600));
        tokio::spawn(async move {
            let mut ticks = tokio::time::interval(every);
            loop {
                ticks.tick().await;
                match this.store.purge(Utc::now()).await {
                    Ok(0) => {}
                    Ok(purged) => tracing::debug!(purged, "purged lapsed idempotency keys"),
                    Err(error) => tracing::warn!(%error, "purging idempotency keys failed"),
                }
            }
        })
    }
}

fn delta(duration: Duration) -> chrono::TimeDelta {
    chrono::TimeDelta::from_std(duration).unwrap_or(chrono::TimeDelta::MAX)
}

/// The answer as stored: without a password.
fn stored_body(body: &[u8]) -> String {
    match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(mut value) => {
            if let Some(object) = value.as_object_mut() {
                if object.get("password").is_some_and(|p| !p.is_null()) {
                    object.insert("password".into(), serde_json::Value::Null);
                    object.insert("password_note".into(), PASSWORD_NOTE.into());
                }
            }
            value.to_string()
        }
        Err(_) => String::from_utf8_lossy(body).into_owned(),
    }
}

fn replay(answer: StoredAnswer) -> Response {
    let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    // An error answer is a problem document, except a route's own JSON answer with
    // an error status (adopt's 422 "does not fit"): replayed as it was first sent.
    let content_type = if !status.is_success() && is_problem_document(&answer.body) {
        PROBLEM_JSON
    } else {
        "application/json"
    };
    let mut response = (status, answer.body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(REPLAYED, HeaderValue::from_static("true"));
    response
}

/// Whether a stored body is a problem document (RFC 9457: it has `type` and `title`).
fn is_problem_document(body: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|value| {
            value
                .as_object()
                .map(|o| o.contains_key("type") && o.contains_key("title"))
        })
        .unwrap_or(false)
}

fn bad_key(detail: &str) -> Response {
    Problem::new(StatusCode::BAD_REQUEST, "invalid_input", detail).into_response()
}

/// Middleware on the POST routes, inside authentication.
pub async fn idempotent(
    State(idempotency): State<Arc<Idempotency>>,
    request: Request,
    next: Next,
) -> Response {
    if request.method() != Method::POST {
        return next.run(request).await;
    }
    let Some(raw) = request.headers().get(IDEMPOTENCY_KEY) else {
        return next.run(request).await;
    };
    let key = match raw.to_str() {
        Ok(k)
            if !k.is_empty()
                && k.len() <= MAX_KEY_LENGTH
                && k.bytes().all(|b| b.is_ascii_graphic()) =>
        {
            k.to_string()
        }
        _ => {
            return bad_key(&format!(
                "an Idempotency-Key is 1 to {MAX_KEY_LENGTH} visible ASCII characters"
            ))
        }
    };
    let Some(caller) = request.extensions().get::<Caller>().cloned() else {
        return Problem::for_status(StatusCode::UNAUTHORIZED).into_response();
    };
    let (parts, body) = request.into_parts();
    let Ok(bytes) = to_bytes(body, idempotency.body_limit).await else {
        return Problem::for_status(StatusCode::PAYLOAD_TOO_LARGE).into_response();
    };
    let mut hasher = Sha256::new();
    hasher.update(parts.method.as_str().as_bytes());
    hasher.update(b"\n");
    hasher.update(
        parts
            .uri
            .path_and_query()
            .map(|p| p.as_str())
            .unwrap_or("/")
            .as_bytes(),
    );
    hasher.update(b"\n");
    hasher.update(&bytes);
    let fingerprint = hex::encode(hasher.finalize());
    let scoped = KeyRequest {
        scope: &caller.id,
        key: &key,
        fingerprint: &fingerprint,
    };
    let now = Utc::now();
    let claim = idempotency
        .store
        .claim(scoped, now, now + delta(idempotency.lease))
        .await;
    match claim {
        Err(error) => Problem::from(error).into_response(),
        Ok(Claim::Mismatch) => Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "idempotency_key_reused",
            "this Idempotency-Key was used for another request (another path or body)",
        )
        .into_response(),
        Ok(Claim::InFlight) => Problem::new(
            StatusCode::CONFLICT,
            "idempotency_in_flight",
            "a request with this Idempotency-Key is still running; retry later",
        )
        .into_response(),
        Ok(Claim::Replay(answer)) => replay(answer),
        Ok(Claim::Claimed) => {
            let mut request = Request::from_parts(parts, Body::from(bytes));
            request.extensions_mut().insert(OrderKey(format!(
                "{}:{key}:{}",
                caller.id,
                &fingerprint[..16]
            )));
            // The handler and the storing of its answer run to the end in a task of
            // their own, even if this request is dropped (a timeout, a client that
            // went away, shutdown): the answer is kept for the retry, or the claim is
            // let go, never left in flight.
            let (scope, fingerprint) = (caller.id.clone(), fingerprint.clone());
            let store = Arc::clone(&idempotency);
            let finishing = tokio::spawn(
                async move {
                    let scoped = KeyRequest {
                        scope: &scope,
                        key: &key,
                        fingerprint: &fingerprint,
                    };
                    let response = next.run(request).await;
                    settle(&store, scoped, response).await
                }
                .instrument(tracing::Span::current()),
            );
            match finishing.await {
                Ok(response) => response,
                // The handler panicked: the claim lapses at the end of its lease.
                Err(_) => Problem::for_status(StatusCode::INTERNAL_SERVER_ERROR).into_response(),
            }
        }
    }
}

/// Stores the answer to a claimed key, or lets the key go when the answer must not be
/// replayed: a server error or throttling (a retry should run again), and a conflict
/// with something running at that moment (a sweep in progress), which Stripe does not
/// keep either.
async fn settle(idempotency: &Idempotency, scoped: KeyRequest<'_>, response: Response) -> Response {
    let (parts, body) = response.into_parts();
    let body = match to_bytes(body, usize::MAX).await {
        Ok(body) => body,
        Err(_) => {
            release(idempotency, scoped).await;
            return Problem::for_status(StatusCode::INTERNAL_SERVER_ERROR).into_response();
        }
    };
    let status = parts.status;
    if status.is_server_error()
        || status == StatusCode::TOO_MANY_REQUESTS
        || status == StatusCode::CONFLICT
    {
        release(idempotency, scoped).await;
    } else {
        let stored = StoredAnswer {
            status: status.as_u16(),
            body: stored_body(&body),
        };
        let keep_until = Utc::now() + delta(idempotency.window);
        if let Err(error) = idempotency.store.finish(scoped, &stored, keep_until).await {
            // The answer still goes out; a retry then finds the claim lapsed and the
            // billing cycle's journal answers it.
            tracing::warn!(%error, "storing an idempotent answer failed");
        }
    }
    Response::from_parts(parts, Body::from(body))
}

async fn release(idempotency: &Idempotency, key: KeyRequest<'_>) {
    if let Err(error) = idempotency.store.release(key).await {
        tracing::warn!(%error, "releasing an idempotency key failed");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_answer_has_no_password_and_says_why() {
        let stored = stored_body(br#"{"username":"nc42","password":"Hunter2-Hunter2"}"#);
        assert!(!stored.contains("Hunter2"));
        let value: serde_json::Value = serde_json::from_str(&stored).unwrap();
        assert!(value["password"].is_null());
        assert_eq!(value["password_note"], PASSWORD_NOTE);
        assert_eq!(value["username"], "nc42");
    }

    #[test]
    fn an_answer_without_a_password_is_stored_as_it_is() {
        let stored = stored_body(br#"{"service":{"status":"suspended"}}"#);
        assert_eq!(stored, r#"{"service":{"status":"suspended"}}"#);
    }
}
