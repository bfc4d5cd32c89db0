//! The whole cycle a billing system runs, on every backend.
//!
//! For each backend: test the connection, create an account from a product's name and
//! password rules, read its usage, sweep usage into history with a threshold crossing,
//! render the customer's notification, restrict the account past its limit, then
//! suspend, unsuspend, change its password and package, and terminate it.
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
use provision::core::history::{HistoryStore, InMemoryHistory};
use provision::core::memory::InMemoryProvider;
use provision::core::notify::{
    default_near_limit, default_suspended_for_limit, NotificationValues,
};
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
    provider: Arc<dyn StorageProvider>,
    product: ProductConfig,
    bigger: Plan,
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
        let mut product = product(&config, server)?;
        let mut bigger = product_plan(&config, &format!("{server}-bigger"))?;
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
            provider,
            product,
            bigger,
            set_usage,
        });
    }
    for backend in backends {
        run_cycle(backend).await?;
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

fn product_plan(config: &Config, name: &str) -> Result<Plan, BoxError> {
    Ok(product(config, name)?.plan())
}

fn in_memory() -> Result<Backend, BoxError> {
    let provider = Arc::new(InMemoryProvider::new());
    let mock = provider.clone();
    Ok(Backend {
        label: "in-memory provider".into(),
        product: ProductConfig::new("cust{client_id}-{random_digit_3}", "16", "10 GB")?
            .with_group(GroupName::new("storage-10g")?)
            .notify_at(90),
        bigger: Plan::new("20 GB".parse()?).with_group(GroupName::new("storage-20g")?),
        provider,
        set_usage: Some(Box::new(move |user, used| {
            mock.set_used(&user, used);
            Box::pin(async {})
        })),
    })
}

async fn run_cycle(backend: Backend) -> Result<(), BoxError> {
    let Backend {
        label,
        provider,
        product,
        bigger,
        set_usage,
    } = backend;
    println!("== {label}");
    let server = provider.test_connection().await?;
    println!(
        "connected to {} {} (admin: {})",
        server.product,
        server.version.as_deref().unwrap_or("?"),
        server.is_admin
    );

    let provisioner = Provisioner::new(provider.clone());
    let ctx = ServiceContext::new("1001", "42")
        .with_email("jane@example.com")
        .with_display_name("Jane Doe");
    let created = provisioner.create(&ctx, &product).await?;
    let user = created.username.clone();
    println!(
        "created {user} on plan {} (password sent to the customer)",
        product.quota
    );

    let usage = provider.usage(&user).await?;
    println!(
        "usage: {}",
        usage
            .used
            .map_or("not known yet".to_string(), |u| u.to_string())
    );

    let history = InMemoryHistory::new();
    let accounts = [SweepAccount::new(user.clone(), &product)];
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
        let report = provisioner
            .sweep(&accounts, &history, now - Duration::days(day))
            .await?;
        for outcome in report.with_actions() {
            for action in &outcome.actions {
                let used = outcome.used.unwrap_or_default();
                let values =
                    NotificationValues::new(&outcome.username, used, outcome.quota, product.unit)
                        .with("client_name", "Jane Doe")
                        .with("service_product_name", "Cloud Storage 10 GB");
                match action {
                    ThresholdAction::NotifyNearLimit => {
                        println!(
                            "--- mail to the customer ---\n{}",
                            default_near_limit().render(&values)?
                        );
                    }
                    ThresholdAction::LimitExceeded => {
                        if provider.capabilities().quota_enforcement
                            == QuotaEnforcement::PolicySwitch
                        {
                            println!(
                                "limit exceeded: switching {user} to the read/delete-only policy"
                            );
                        } else {
                            provider.suspend(&outcome.username).await?;
                            println!(
                                "--- mail to the customer ---\n{}",
                                default_suspended_for_limit().render(&values)?
                            );
                        }
                    }
                    ThresholdAction::BackUnderLimit => println!("back under the limit"),
                    other => println!("action {other:?}"),
                }
            }
        }
        for (switched, result) in provisioner.apply_policy_switches(&report).await {
            result?;
            println!("policy switched for {switched}");
        }
    }
    let daily = history.daily(&user, 3, now).await?;
    let series: Vec<String> = daily
        .iter()
        .map(|p| {
            p.used
                .map_or("-".into(), |u| format!("{} GB", u.in_unit(Unit::Gb, 2)))
        })
        .collect();
    println!("daily usage, last 3 days: {}", series.join(", "));

    provider.suspend(&user).await?;
    provider.suspend(&user).await?; // idempotent
    println!("suspended {user}");
    provider.unsuspend(&user).await?;
    println!("unsuspended {user}");
    let new_password = product.password_rule.generate();
    provider.change_password(&user, &new_password).await?;
    println!("changed the password of {user}");
    provider
        .change_plan(&user, &product.plan(), &bigger)
        .await?;
    println!("moved {user} to plan {}", bigger.quota);
    provider.terminate(&user).await?;
    provider.terminate(&user).await?; // idempotent
    println!("terminated {user}\n");
    Ok(())
}
