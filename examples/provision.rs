//! The whole cycle a billing system runs, on every backend.
//!
//! Every order goes through a `BillingCycle` on a ledger (an SQLite file here), the
//! record of which service owns which account. For each backend: test the connection,
//! create an account from a product's name and password rules (and repeat the order, as
//! a billing system retrying after a timeout would: the same account comes back), read
//! its usage, sweep usage into the ledger with threshold crossings, take the owed mails
//! from the outbox and confirm them, restrict the account past its limit, then suspend,
//! unsuspend, change its password and package, and terminate it.
//!
//! Each backend runs against its real server when that server's variables are set
//! (`PROVISION_NEXTCLOUD_URL`, `PROVISION_SYNOLOGY_URL`, `PROVISION_MINIO_URL` and their
//! credentials, see the README), and otherwise against the built-in mock server.
//!
//! ```text
//! cargo run --example provision
//! ```

use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;

use chrono::{Duration, Utc};
use provision::core::memory::InMemoryProvider;
use provision::core::notify::{default_near_limit, default_suspended_for_limit};
use provision::core::QuotaEnforcement;
use provision::minio::mock::MockMinio;
use provision::minio::Namespace;
use provision::nextcloud::mock::{MockNextcloud, ADMIN_USER as NEXTCLOUD_ADMIN};
use provision::prelude::*;
use provision::synology::mock::MockSynology;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The servers and products, one TOML document for every backend.
const CONFIG: &str = include_str!("provision.toml");

/// Sets an account's used bytes on a mock server (real servers fill up by themselves).
type SetUsage =
    Box<dyn Fn(Username, ByteSize) -> Pin<Box<dyn Future<Output = ()> + Send>> + Send + Sync>;

/// One backend to run the cycle on.
struct Backend {
    label: String,
    server: ServerId,
    provider: Arc<dyn StorageProvider>,
    product: ProductConfig,
    bigger: ProductConfig,
    set_usage: Option<SetUsage>,
}

/// Where the mock servers' admin secrets are written for the configuration to read
/// (`password = { file = ... }`), removed at the end.
struct SecretDir(PathBuf);

impl SecretDir {
    fn new() -> Result<Self, BoxError> {
        let dir = std::env::temp_dir().join(format!("provision-example-{}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        Ok(SecretDir(dir))
    }

    fn write(&self, name: &str, secret: &SecretString) -> Result<SecretSource, BoxError> {
        let path = self.0.join(name);
        std::fs::write(&path, secret.expose_secret())?;
        Ok(SecretSource::File(path))
    }
}

impl Drop for SecretDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let mut config = Config::from_toml(CONFIG)?;
    let secrets = SecretDir::new()?;
    // Mock servers live until the end of main: providers talk to them over loopback.
    let nextcloud_mock = Arc::new(MockNextcloud::start().await);
    let synology_mock = Arc::new(MockSynology::start().await);
    let minio_mock = Arc::new(MockMinio::start().await);
    synology_mock.add_group("storage-10g", "10 GB".parse()?);
    synology_mock.add_group("storage-20g", "20 GB".parse()?);

    // The ledger: one SQLite file for every server (PostgreSQL for several workers).
    let ledger: Arc<dyn Ledger> =
        Arc::new(SqlLedger::sqlite(secrets.0.join("ledger.sqlite")).await?);
    let mut backends = vec![in_memory()?];
    for (server, mock_label) in [
        ("cloud", "Nextcloud"),
        ("nas", "Synology DSM"),
        ("s3", "MinIO"),
    ] {
        let entry = config
            .servers
            .get_mut(server)
            .ok_or_else(|| format!("provision.toml has no [servers.{server}]"))?;
        let prefix = format!("PROVISION_{}_", entry.backend.to_ascii_uppercase());
        let real = std::env::var(format!("{prefix}URL"))
            .ok()
            .filter(|u| !u.is_empty());
        let set_usage: Option<SetUsage> = match &real {
            Some(url) => {
                entry.url = url.clone();
                if let Ok(user) = std::env::var(format!("{prefix}USER")) {
                    entry.user = user;
                }
                None
            }
            None => Some(point_at_mock(
                entry,
                &secrets,
                &nextcloud_mock,
                &synology_mock,
                &minio_mock,
            )?),
        };
        let label = match &real {
            Some(_) => format!("{mock_label} at ${prefix}URL ({server})"),
            None => format!("{mock_label} (mock server; set {prefix}URL for a real one)"),
        };
        let provider = build_provider(entry)?;
        let backend = entry.backend.clone();
        let mut bigger = product(&config, &format!("{server}-bigger"))?;
        let mut product = product(&config, server)?;
        // A real DSM names its own plan group.
        if let (Some(_), Ok(group)) = (&real, std::env::var("PROVISION_SYNOLOGY_GROUP")) {
            if backend == "synology" {
                product.groups = vec![GroupName::new(group)?];
                bigger.groups = product.groups.clone();
            }
        }
        // MinIO's mock fills an account's default bucket, which the provider names.
        let set_usage = match (set_usage, backend.as_str()) {
            (Some(_), "minio") => Some(minio_usage(&minio_mock)),
            (other, _) => other,
        };
        backends.push(Backend {
            label,
            server: ServerId::new(server)?,
            provider,
            product,
            bigger,
            set_usage,
        });
    }
    for backend in backends {
        run_cycle(backend, ledger.clone()).await?;
    }
    Ok(())
}

/// Points a configuration entry at the backend's mock server; returns how to fill an
/// account on it.
fn point_at_mock(
    entry: &mut ProviderConfig,
    secrets: &SecretDir,
    nextcloud: &Arc<MockNextcloud>,
    synology: &Arc<MockSynology>,
    minio: &Arc<MockMinio>,
) -> Result<SetUsage, BoxError> {
    match entry.backend.as_str() {
        "nextcloud" => {
            entry.url = nextcloud.url();
            entry.user = NEXTCLOUD_ADMIN.to_string();
            entry.password = secrets.write("nextcloud", &nextcloud.admin_password())?;
            let mock = Arc::clone(nextcloud);
            Ok(Box::new(move |user, used| {
                mock.set_used(user.as_str(), used);
                Box::pin(async {})
            }))
        }
        "synology" => {
            entry.url = synology.url();
            entry.user = MockSynology::ADMIN_ACCOUNT.to_string();
            entry.password = secrets.write("synology", &synology.admin_password())?;
            let mock = Arc::clone(synology);
            Ok(Box::new(move |user, used| {
                mock.set_usage(user.as_str(), used);
                Box::pin(async {})
            }))
        }
        "minio" => {
            entry.url = minio.url();
            entry.user = minio.access_key().to_string();
            entry.password = secrets.write("minio", &minio.secret_key())?;
            // Replaced by `minio_usage` once the provider exists.
            Ok(Box::new(|_, _| Box::pin(async {})))
        }
        other => Err(format!("no mock server for backend {other:?}").into()),
    }
}

/// Fills the account's default bucket on the MinIO mock and lets its scanner run.
fn minio_usage(mock: &Arc<MockMinio>) -> SetUsage {
    let mock = Arc::clone(mock);
    Box::new(move |user, used| {
        // provision.toml sets no bucket prefix: the default bucket is named as the user.
        if let Ok(namespace) = Namespace::for_user("", &user) {
            let _ = mock.set_usage(namespace.default_bucket(), used.bytes());
        }
        Box::pin(async {})
    })
}

fn product(config: &Config, name: &str) -> Result<ProductConfig, BoxError> {
    Ok(config
        .products
        .get(name)
        .ok_or_else(|| format!("provision.toml has no [products.{name}]"))?
        .clone())
}

fn in_memory() -> Result<Backend, BoxError> {
    let provider = Arc::new(InMemoryProvider::new());
    let mock = provider.clone();
    Ok(Backend {
        label: "in-memory provider".into(),
        server: ServerId::new("memory")?,
        product: ProductConfig::new("cust{client_id}-{random_digit_3}", "16", "10 GB")?
            .with_group(GroupName::new("storage-10g")?)
            .notify_at(90),
        bigger: ProductConfig::new("cust{client_id}-{random_digit_3}", "16", "20 GB")?
            .with_group(GroupName::new("storage-20g")?)
            .notify_at(90),
        provider,
        set_usage: Some(Box::new(move |user, used| {
            mock.set_used(&user, used);
            Box::pin(async {})
        })),
    })
}

async fn run_cycle(backend: Backend, ledger: Arc<dyn Ledger>) -> Result<(), BoxError> {
    let Backend {
        label,
        server,
        provider,
        product,
        bigger,
        set_usage,
    } = backend;
    println!("== {label}");
    let info = provider.test_connection().await?;
    println!(
        "connected to {} {} (admin: {})",
        info.product,
        info.version.as_deref().unwrap_or("?"),
        info.is_admin
    );

    let cycle = BillingCycle::new(ledger.clone())
        .with_server(server.clone(), provider.clone())
        .with_product("standard", product.clone())
        .with_product("bigger", bigger.clone());
    let ctx = ServiceContext::new("1001", "42")
        .with_email("jane@example.com")
        .with_display_name("Jane Doe");
    let created = cycle.create(&server, &ctx, "standard").await?;
    let user = created.username.clone();
    let key = created.service.key.clone();
    println!(
        "created {user} on plan {} (password sent to the customer)",
        product.quota
    );
    // A billing system that timed out asks again: the same account, no second one.
    let again = cycle.create(&server, &ctx, "standard").await?;
    assert_eq!(again.username, user);
    println!("the repeated order returned {user} again (no second account)");

    let usage = provider.usage(&user).await?;
    println!(
        "usage: {}",
        usage
            .used
            .map_or("not known yet".to_string(), |u| u.to_string())
    );

    let limit = product.quota.limit().unwrap_or(ByteSize::new(1 << 30));
    let now = Utc::now();
    // Three daily sweeps: calm, near the limit, past it.
    for (day, percent) in [(2, 40u64), (1, 95), (0, 110)] {
        if let Some(set) = &set_usage {
            set(
                user.clone(),
                ByteSize::new((limit.bytes() as u128 * percent as u128 / 100) as u64),
            )
            .await;
        }
        let report = cycle.sweep(&server, now - Duration::days(day)).await?;
        for (switched, limited, result) in report.limit_switches {
            result?;
            println!("policy of {switched}: limited = {limited}");
        }
        // The outbox: what the sweep owes the customer, until confirmed.
        for action in cycle
            .pending_actions(50, std::time::Duration::from_secs(300))
            .await?
        {
            let mut values = action.values.clone();
            values.insert("client_name".into(), "Jane Doe".into());
            values.insert("service_product_name".into(), "Cloud Storage".into());
            match action.kind {
                ThresholdAction::NotifyNearLimit => println!(
                    "--- mail to the customer ---\n{}",
                    default_near_limit().render(&values)?
                ),
                ThresholdAction::LimitExceeded => {
                    if provider.capabilities().quota_enforcement != QuotaEnforcement::PolicySwitch {
                        cycle.suspend(&action.service, None).await?;
                    }
                    println!(
                        "--- mail to the customer ---\n{}",
                        default_suspended_for_limit().render(&values)?
                    );
                }
                ThresholdAction::BackUnderLimit => println!("back under the limit"),
                other => println!("action {other:?}"),
            }
            cycle.confirm(action.id).await?;
        }
    }
    let account = AccountKey {
        server: server.clone(),
        username: user.clone(),
    };
    let daily = ledger.daily(&account, 3, now, Tz::UTC).await?;
    let series: Vec<String> = daily
        .iter()
        .map(|p| {
            p.used
                .map_or("-".into(), |u| format!("{} GB", u.in_unit(Unit::Gb, 2)))
        })
        .collect();
    println!("daily usage, last 3 days: {}", series.join(", "));

    cycle.suspend(&key, None).await?;
    cycle.suspend(&key, None).await?; // idempotent
    println!("suspended {user}");
    cycle.unsuspend(&key, None).await?;
    println!("unsuspended {user}");
    let new_password = product.password_rule.generate();
    assert!(cycle.change_password(&key, &new_password, None).await?);
    println!("changed the password of {user}");
    cycle
        .change_plan(&key, "bigger", Some("order-42-upgrade"))
        .await?;
    cycle
        .change_plan(&key, "bigger", Some("order-42-upgrade"))
        .await?; // answered from the journal
    println!("moved {user} to plan {}", bigger.quota);
    cycle.terminate(&key, None).await?;
    cycle.terminate(&key, None).await?; // idempotent
    let status = ledger.service(&key).await?.map(|s| s.status);
    println!("terminated {user} (ledger: {status:?})\n");
    Ok(())
}
