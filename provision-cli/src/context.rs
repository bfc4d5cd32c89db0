//! What a command runs on: the configuration, the ledger and the billing cycle over
//! them.

use std::path::Path;
use std::sync::Arc;

use provision::core::config::Config;
use provision::core::cycle::BillingCycle;
use provision::core::ledger::{Ledger, ServiceKey, SqlLedger};
use provision::core::StorageProvider;

use crate::cli::{Cli, ServiceArgs};
use crate::error::{CliError, CliResult};

/// The configuration file named by `--config` or `PROVISION_CONFIG`, checked.
pub fn load_config(path: Option<&Path>) -> CliResult<Config> {
    let path = path.ok_or_else(|| {
        CliError::Config("no configuration: give --config FILE or set PROVISION_CONFIG".into())
    })?;
    Config::load(path).map_err(|e| CliError::Config(e.to_string()))
}

/// Opens the ledger `--ledger` names: a postgres:// URL, or an SQLite file (made if
/// missing).
pub async fn open_ledger(location: &str) -> CliResult<Arc<dyn Ledger>> {
    Ok(open_sql_ledger(location).await?)
}

/// The ledger `--ledger` names, as the SQL ledger it is (the HTTP service keeps its
/// idempotency keys in it too).
pub async fn open_sql_ledger(location: &str) -> CliResult<Arc<SqlLedger>> {
    if location.starts_with("postgres://") || location.starts_with("postgresql://") {
        #[cfg(feature = "postgres")]
        {
            let url = secrecy::SecretString::from(location.to_string());
            return Ok(Arc::new(SqlLedger::postgres(&url, 5).await?));
        }
        #[cfg(not(feature = "postgres"))]
        return Err(CliError::Config(
            "this build has no PostgreSQL ledger (build with the feature `postgres`)".into(),
        ));
    }
    Ok(Arc::new(SqlLedger::sqlite(location).await?))
}

/// A server's provider, built from the configuration without touching the ledger.
pub fn provider(config: &Config, server: &str) -> CliResult<Arc<dyn StorageProvider>> {
    let entry = config
        .servers
        .get(server)
        .ok_or_else(|| unknown_server(config, server))?;
    Ok(provision::build_provider(entry)?)
}

/// The error for a server name the configuration does not have.
pub fn unknown_server(config: &Config, server: &str) -> CliError {
    let known: Vec<&str> = config.servers.keys().map(String::as_str).collect();
    CliError::Usage(format!(
        "no server {server:?} in the configuration (it has: {})",
        if known.is_empty() {
            "none".to_string()
        } else {
            known.join(", ")
        }
    ))
}

/// The billing cycle over the configuration's servers and products and the ledger.
pub async fn cycle(cli: &Cli) -> CliResult<(Config, BillingCycle)> {
    let config = load_config(cli.config.as_deref())?;
    let ledger = open_ledger(&cli.ledger).await?;
    let cycle = BillingCycle::from_config(ledger, &config, provision::build_provider)
        .await?
        .with_lock_timing(cli.lock_ttl, cli.lock_wait);
    Ok((config, cycle))
}

/// The service a command names, after checking its server is configured.
pub fn service_key(config: &Config, args: &ServiceArgs) -> CliResult<ServiceKey> {
    crate::operations::service_key(config, &args.server, &args.service_id)
}
