//! [`IdempotencyStore`] on the ledger's database (table `idempotency_keys`, migration 2).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::Row;

use super::{db, SqlLedger};
use crate::error::Result;
use crate::history::series::to_millis;
use crate::ledger::idempotency::{Claim, IdempotencyStore, KeyRequest, StoredAnswer};

const IN_FLIGHT: &str = "in_flight";
const DONE: &str = "done";

#[async_trait]
impl IdempotencyStore for SqlLedger {
    async fn claim(
        &self,
        request: KeyRequest<'_>,
        now: DateTime<Utc>,
        in_flight_until: DateTime<Utc>,
    ) -> Result<Claim> {
        // A lapsed entry (an ended window, or the lease of a claim whose process died)
        // no longer holds the key.
        sqlx::query(
            "DELETE FROM idempotency_keys WHERE scope = $1 AND idem_key = $2 AND until_ms <= $3",
        )
        .bind(request.scope)
        .bind(request.key)
        .bind(to_millis(now))
        .execute(&self.writer)
        .await
        .map_err(db("dropping a lapsed idempotency key"))?;
        let inserted = sqlx::query(
            "INSERT INTO idempotency_keys (scope, idem_key, fingerprint, state, until_ms) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (scope, idem_key) DO NOTHING",
        )
        .bind(request.scope)
        .bind(request.key)
        .bind(request.fingerprint)
        .bind(IN_FLIGHT)
        .bind(to_millis(in_flight_until))
        .execute(&self.writer)
        .await
        .map_err(db("claiming an idempotency key"))?;
        if inserted.rows_affected() == 1 {
            return Ok(Claim::Claimed);
        }
        let row = sqlx::query(
            "SELECT fingerprint, state, status, body FROM idempotency_keys \
             WHERE scope = $1 AND idem_key = $2",
        )
        .bind(request.scope)
        .bind(request.key)
        .fetch_optional(&self.writer)
        .await
        .map_err(db("reading an idempotency key"))?;
        // Released between the insert and the read: the caller may simply try again,
        // which it learns as "in flight".
        let Some(row) = row else {
            return Ok(Claim::InFlight);
        };
        let fingerprint: String = row
            .try_get("fingerprint")
            .map_err(db("reading an idempotency key"))?;
        if fingerprint != request.fingerprint {
            return Ok(Claim::Mismatch);
        }
        let state: String = row
            .try_get("state")
            .map_err(db("reading an idempotency key"))?;
        if state != DONE {
            return Ok(Claim::InFlight);
        }
        let status: Option<i64> = row.try_get("status").map_err(db("reading an answer"))?;
        let body: Option<String> = row.try_get("body").map_err(db("reading an answer"))?;
        match (status.and_then(|s| u16::try_from(s).ok()), body) {
            (Some(status), Some(body)) => Ok(Claim::Replay(StoredAnswer { status, body })),
            _ => Err(super::corrupt("idempotent answer", format!("{status:?}"))),
        }
    }

    async fn finish(
        &self,
        request: KeyRequest<'_>,
        answer: &StoredAnswer,
        keep_until: DateTime<Utc>,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE idempotency_keys SET state = $1, status = $2, body = $3, until_ms = $4 \
             WHERE scope = $5 AND idem_key = $6 AND fingerprint = $7",
        )
        .bind(DONE)
        .bind(i64::from(answer.status))
        .bind(answer.body.as_str())
        .bind(to_millis(keep_until))
        .bind(request.scope)
        .bind(request.key)
        .bind(request.fingerprint)
        .execute(&self.writer)
        .await
        .map_err(db("storing an idempotent answer"))?;
        Ok(())
    }

    async fn release(&self, request: KeyRequest<'_>) -> Result<()> {
        sqlx::query(
            "DELETE FROM idempotency_keys WHERE scope = $1 AND idem_key = $2 \
             AND fingerprint = $3 AND state = $4",
        )
        .bind(request.scope)
        .bind(request.key)
        .bind(request.fingerprint)
        .bind(IN_FLIGHT)
        .execute(&self.writer)
        .await
        .map_err(db("releasing an idempotency key"))?;
        Ok(())
    }

    async fn purge(&self, now: DateTime<Utc>) -> Result<u64> {
        let deleted = sqlx::query("DELETE FROM idempotency_keys WHERE until_ms <= $1")
            .bind(to_millis(now))
            .execute(&self.writer)
            .await
            .map_err(db("purging idempotency keys"))?;
        Ok(deleted.rows_affected())
    }
}
