//! Idempotency keys of an HTTP front (`provision serve`): what a request under a key
//! answered, kept where the ledger lives so that a retry reaching another worker, or
//! the same worker after a restart, gets the same answer.
//!
//! The rules are Stripe's: a key is claimed by its first request; a second request
//! with the same key and the same fingerprint (of method, path and body) replays the
//! stored answer once the first finished, and is told the first is still running
//! while it runs; one with another fingerprint is refused. Keys are scoped (per API
//! token), so two callers' equal keys are two requests. A claim that is never finished
//! (its process died) lapses when its lease ends; a finished answer is kept until its
//! window ends, then purged.
//!
//! The store keeps only what it is handed: the caller takes secrets out of an answer
//! before storing it.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::error::Result;

/// An answer stored under a key: the HTTP status and the body as sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAnswer {
    /// The HTTP status code.
    pub status: u16,
    /// The body, as JSON text.
    pub body: String,
}

/// What claiming a key found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// The key was free (or lapsed): this request runs and must finish or release it.
    Claimed,
    /// A request with this key and fingerprint is still running.
    InFlight,
    /// The key was used for a request with another fingerprint.
    Mismatch,
    /// The request ran before: its answer.
    Replay(StoredAnswer),
}

/// One key of one scope, as a request presents it.
#[derive(Debug, Clone, Copy)]
pub struct KeyRequest<'a> {
    /// Whose key it is (an API token's id): equal keys of two scopes are unrelated.
    pub scope: &'a str,
    /// The caller's key.
    pub key: &'a str,
    /// A digest of what the request asks (method, path, body).
    pub fingerprint: &'a str,
}

/// Where idempotency keys are kept. Object-safe.
#[async_trait]
pub trait IdempotencyStore: Send + Sync {
    /// Claims the key for a request at `now`, held until `in_flight_until` unless
    /// finished or released first; or reports what holds it.
    async fn claim(
        &self,
        request: KeyRequest<'_>,
        now: DateTime<Utc>,
        in_flight_until: DateTime<Utc>,
    ) -> Result<Claim>;

    /// Stores the answer of a claimed key, replayed until `keep_until`.
    async fn finish(
        &self,
        request: KeyRequest<'_>,
        answer: &StoredAnswer,
        keep_until: DateTime<Utc>,
    ) -> Result<()>;

    /// Lets go of a claimed key without an answer (the request may be tried again).
    async fn release(&self, request: KeyRequest<'_>) -> Result<()>;

    /// Deletes every key whose window (or lease) ended before `now`; how many.
    async fn purge(&self, now: DateTime<Utc>) -> Result<u64>;
}

/// The checks every [`IdempotencyStore`] passes, on a fresh store; each panics with
/// what broke.
#[cfg(any(test, feature = "testkit"))]
pub async fn conformance(store: &dyn IdempotencyStore) {
    use chrono::TimeDelta;

    let now = DateTime::from_timestamp(1_780_000_000, 0).expect("a valid test time");
    let minute = TimeDelta::minutes(1);
    let day = TimeDelta::days(1);
    let first = KeyRequest {
        scope: "token-a",
        key: "order-1",
        fingerprint: "f1",
    };
    let answer = StoredAnswer {
        status: 201,
        body: r#"{"ok":true}"#.into(),
    };

    assert_eq!(
        store.claim(first, now, now + minute).await.unwrap(),
        Claim::Claimed
    );
    assert_eq!(
        store.claim(first, now, now + minute).await.unwrap(),
        Claim::InFlight,
        "a claimed key is in flight for the same request"
    );
    let other_body = KeyRequest {
        fingerprint: "f2",
        ..first
    };
    assert_eq!(
        store.claim(other_body, now, now + minute).await.unwrap(),
        Claim::Mismatch,
        "another request under a used key is refused"
    );
    let other_scope = KeyRequest {
        scope: "token-b",
        ..first
    };
    assert_eq!(
        store.claim(other_scope, now, now + minute).await.unwrap(),
        Claim::Claimed,
        "another scope's equal key is another request"
    );

    store.finish(first, &answer, now + day).await.unwrap();
    assert_eq!(
        store
            .claim(first, now + minute, now + minute * 2)
            .await
            .unwrap(),
        Claim::Replay(answer.clone())
    );
    assert_eq!(
        store
            .claim(other_body, now + minute, now + minute * 2)
            .await
            .unwrap(),
        Claim::Mismatch,
        "a finished key still refuses another request"
    );

    // A released claim is free again; a lapsed lease too.
    store.release(other_scope).await.unwrap();
    assert_eq!(
        store.claim(other_scope, now, now + minute).await.unwrap(),
        Claim::Claimed
    );
    assert_eq!(
        store
            .claim(other_scope, now + minute * 2, now + minute * 3)
            .await
            .unwrap(),
        Claim::Claimed,
        "a claim whose process died lapses with its lease"
    );

    // Past its window the answer is gone: the key starts a new request.
    assert_eq!(
        store
            .claim(first, now + day + minute, now + day + minute * 2)
            .await
            .unwrap(),
        Claim::Claimed
    );
    store.release(first).await.unwrap();

    let kept = KeyRequest {
        key: "order-2",
        ..first
    };
    assert_eq!(
        store.claim(kept, now, now + minute).await.unwrap(),
        Claim::Claimed
    );
    store.finish(kept, &answer, now + day).await.unwrap();
    // other_scope's claim lapsed at now + 3 minutes; `kept` lives a day.
    assert_eq!(store.purge(now + TimeDelta::hours(1)).await.unwrap(), 1);
    assert_eq!(
        store
            .claim(kept, now + minute, now + minute * 2)
            .await
            .unwrap(),
        Claim::Replay(answer),
        "purging keeps what is inside its window"
    );
    assert_eq!(store.purge(now + day * 2).await.unwrap(), 1);
    assert_eq!(
        store
            .claim(kept, now + day * 2, now + day * 2 + minute)
            .await
            .unwrap(),
        Claim::Claimed
    );
}
