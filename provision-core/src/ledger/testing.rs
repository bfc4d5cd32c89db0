//! PostgreSQL for tests: a fresh database per test on the server that
//! `PROVISION_TEST_POSTGRES_URL` names (CI starts a throwaway cluster and sets it).

use secrecy::{ExposeSecret, SecretString};
use sqlx::Executor;

use super::SqlLedger;

/// The variable naming the test server (`postgres://user@127.0.0.1:5432/postgres`).
pub const POSTGRES_URL_VARIABLE: &str = "PROVISION_TEST_POSTGRES_URL";

/// A URL of a new, empty database on the test server, or None (with the reason on
/// stderr) when no server is configured. Under CI (`CI` set) a missing server is a
/// failure: these tests must not skip there.
pub async fn fresh_postgres_database(label: &str) -> Option<SecretString> {
    let Ok(admin) = std::env::var(POSTGRES_URL_VARIABLE) else {
        assert!(
            std::env::var_os("CI").is_none(),
            "{POSTGRES_URL_VARIABLE} is not set: CI must start PostgreSQL (see .ci/run)"
        );
        eprintln!("skipped: {POSTGRES_URL_VARIABLE} is not set, so no PostgreSQL to test on");
        return None;
    };
    sqlx::any::install_default_drivers();
    let pool = sqlx::any::AnyPoolOptions::new()
        .max_connections(1)
        .connect(&admin)
        .await
        .unwrap_or_else(|e| panic!("cannot reach the test PostgreSQL: {e}"));
    let name = format!(
        "provision_{label}_{}_{:08x}",
        std::process::id(),
        rand::random::<u32>()
    );
    pool.execute(format!("CREATE DATABASE {name}").as_str())
        .await
        .unwrap_or_else(|e| panic!("cannot create the test database {name}: {e}"));
    let mut url =
        url::Url::parse(&admin).unwrap_or_else(|e| panic!("{POSTGRES_URL_VARIABLE}: {e}"));
    url.set_path(&format!("/{name}"));
    Some(SecretString::from(url.to_string()))
}

/// Connects a ledger to a test database.
pub async fn connect_postgres(url: &SecretString) -> SqlLedger {
    SqlLedger::postgres(url, 8)
        .await
        .unwrap_or_else(|e| panic!("cannot open the ledger on {}: {e}", redact(url)))
}

fn redact(url: &SecretString) -> String {
    url::Url::parse(url.expose_secret())
        .map(|u| format!("{}{}", u.host_str().unwrap_or(""), u.path()))
        .unwrap_or_default()
}
