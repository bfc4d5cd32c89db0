//! The conformance suite on each SQL ledger.

use super::conformance;
use super::{Ledger, SqlLedger};

#[cfg(feature = "sqlite")]
#[tokio::test]
async fn sqlite_in_memory_passes_the_suite() {
    conformance::run_all(&SqlLedger::sqlite_in_memory().await.unwrap()).await;
}

#[cfg(feature = "sqlite")]
#[tokio::test]
async fn sqlite_keeps_idempotency_keys_by_the_rules() {
    super::idempotency::conformance(&SqlLedger::sqlite_in_memory().await.unwrap()).await;
}

#[cfg(feature = "sqlite")]
#[tokio::test]
async fn sqlite_file_passes_the_suite_and_keeps_it_across_reopening() {
    let dir = tempfile_dir();
    let path = dir.join("ledger.sqlite");
    {
        let ledger = SqlLedger::sqlite(&path).await.unwrap();
        conformance::run_all(&ledger).await;
    }
    // Reopened: the schema is found up to date and the records are there.
    let ledger = SqlLedger::sqlite(&path).await.unwrap();
    let id = super::ServerId::new("conf-servers").unwrap();
    assert!(ledger.server(&id).await.unwrap().is_some());
}

#[cfg(feature = "sqlite")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_handles_on_one_sqlite_file_never_share_an_action() {
    let dir = tempfile_dir();
    let path = dir.join("shared.sqlite");
    let a = SqlLedger::sqlite(&path).await.unwrap();
    let b = SqlLedger::sqlite(&path).await.unwrap();
    conformance::concurrent_consumers_never_share_an_action(&a, &b).await;
}

#[cfg(feature = "sqlite")]
#[tokio::test]
async fn a_path_with_a_query_character_is_refused_before_opening() {
    let err = SqlLedger::sqlite("/tmp/ledger?mode=ro").await.unwrap_err();
    assert_eq!(err.kind(), crate::ErrorKind::InvalidInput);
}

#[cfg(feature = "sqlite")]
fn tempfile_dir() -> std::path::PathBuf {
    use std::sync::atomic::{AtomicU32, Ordering};
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let dir = std::env::temp_dir().join(format!(
        "provision-ledger-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[cfg(feature = "postgres")]
mod postgres {
    use super::super::conformance;
    use crate::ledger::testing::{connect_postgres, fresh_postgres_database};

    #[tokio::test]
    async fn postgres_passes_the_suite() {
        let Some(url) = fresh_postgres_database("suite").await else {
            return;
        };
        let ledger = connect_postgres(&url).await;
        conformance::run_all(&ledger).await;
    }

    #[tokio::test]
    async fn postgres_keeps_idempotency_keys_by_the_rules() {
        let Some(url) = fresh_postgres_database("idempotency").await else {
            return;
        };
        let ledger = connect_postgres(&url).await;
        crate::ledger::idempotency::conformance(&ledger).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn two_workers_on_postgres_never_share_an_action() {
        let Some(url) = fresh_postgres_database("workers").await else {
            return;
        };
        let a = connect_postgres(&url).await;
        let b = connect_postgres(&url).await;
        conformance::concurrent_consumers_never_share_an_action(&a, &b).await;
    }
}
