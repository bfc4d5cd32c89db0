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
use std::pin::Pin;
use std::sync::Arc;

use chrono::{Duration, Utc};
use provision::core::history::{HistoryStore, InMemoryHistory};
use provision::core::memory::InMemoryProvider;
use provision::core::notify::{
    default_near_limit, default_suspended_for_limit, NotificationValues,
};
use provision::core::provisioner::{ProductConfig, Provisioner, ServiceContext, SweepAccount};
use provision::core::threshold::ThresholdAction;
use provision::core::{
    ByteSize, GeneratePassword, GroupName, Plan, QuotaEnforcement, StorageProvider, Unit, Username,
};
use provision::minio::mock::MockMinio;
use provision::minio::MinioProvider;
use provision::nextcloud::mock::MockNextcloud;
use provision::nextcloud::NextcloudProvider;
use provision::synology::mock::MockSynology;
use provision::synology::SynologyProvider;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

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

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    // Mock servers live until the end of main: providers talk to them over loopback.
    let nextcloud_mock = Arc::new(MockNextcloud::start().await);
    let synology_mock = Arc::new(MockSynology::start().await);
    let minio_mock = Arc::new(MockMinio::start().await);
    let backends = vec![
        in_memory()?,
        nextcloud(&nextcloud_mock)?,
        synology(&synology_mock)?,
        minio(&minio_mock)?,
    ];
    for backend in backends {
        run_cycle(backend).await?;
    }
    Ok(())
}

fn synology(mock: &Arc<MockSynology>) -> Result<Backend, BoxError> {
    // On DSM the plan names a pre-configured group that carries the real quota.
    let (group, label, provider, set_usage): (_, _, Arc<dyn StorageProvider>, Option<SetUsage>) =
        match SynologyProvider::from_env()? {
            Some(provider) => {
                let group = std::env::var("PROVISION_SYNOLOGY_GROUP")
                    .map_err(|_| "PROVISION_SYNOLOGY_GROUP must name a plan group on the DSM")?;
                let label = "Synology DSM at $PROVISION_SYNOLOGY_URL".to_string();
                (GroupName::new(group)?, label, Arc::new(provider), None)
            }
            None => {
                mock.add_group("storage-10g", "10 GB".parse()?);
                mock.add_group("storage-20g", "20 GB".parse()?);
                let handle = Arc::clone(mock);
                let set: SetUsage = Box::new(move |user, used| {
                    handle.set_usage(user.as_str(), used);
                    Box::pin(async {})
                });
                let label = "Synology DSM (mock server; set PROVISION_SYNOLOGY_URL for a real one)";
                let provider = Arc::new(mock.provider_builder().build()?);
                (
                    GroupName::new("storage-10g")?,
                    label.to_string(),
                    provider,
                    Some(set),
                )
            }
        };
    let bigger_group = if set_usage.is_some() {
        GroupName::new("storage-20g")?
    } else {
        group.clone()
    };
    Ok(Backend {
        label,
        provider,
        product: ProductConfig::new("syn{client_id}{random_letter_2}", "16", "10 GB")?
            .with_group(group)
            .notify_at(90),
        bigger: Plan::new("20 GB".parse()?).with_group(bigger_group),
        set_usage,
    })
}

fn minio(mock: &Arc<MockMinio>) -> Result<Backend, BoxError> {
    let product =
        ProductConfig::new("s3-{client_id}-{random_letter_4}", "24", "10 GB")?.notify_at(90);
    let bigger = Plan::new("20 GB".parse()?);
    if let Some(provider) = MinioProvider::from_env()? {
        return Ok(Backend {
            label: "MinIO at $PROVISION_MINIO_URL".into(),
            provider: Arc::new(provider),
            product,
            bigger,
            set_usage: None,
        });
    }
    let provider = Arc::new(mock.provider()?);
    let (handle, namer) = (Arc::clone(mock), Arc::clone(&provider));
    Ok(Backend {
        label: "MinIO (mock server; set PROVISION_MINIO_URL for a real one)".into(),
        provider,
        product,
        bigger,
        // Fill the account's default bucket and let the mock's scanner run.
        set_usage: Some(Box::new(move |user, used| {
            if let Ok(namespace) = namer.namespace(&user) {
                let _ = handle.set_usage(namespace.default_bucket(), used.bytes());
            }
            Box::pin(async {})
        })),
    })
}

fn nextcloud(mock: &Arc<MockNextcloud>) -> Result<Backend, BoxError> {
    let product = ProductConfig::new("nc{client_id}-{random_letter_3}", "16", "10 GB")?
        .with_group(GroupName::new("storage-10g")?)
        .notify_at(90);
    let bigger = Plan::new("20 GB".parse()?).with_group(GroupName::new("storage-20g")?);
    if let Some(provider) = NextcloudProvider::from_env()? {
        return Ok(Backend {
            label: "Nextcloud at $PROVISION_NEXTCLOUD_URL".into(),
            provider: Arc::new(provider),
            product,
            bigger,
            set_usage: None,
        });
    }
    let handle = Arc::clone(mock);
    Ok(Backend {
        label: "Nextcloud (mock server; set PROVISION_NEXTCLOUD_URL for a real one)".into(),
        provider: Arc::new(mock.provider()?),
        product,
        bigger,
        set_usage: Some(Box::new(move |user, used| {
            handle.set_used(user.as_str(), used);
            Box::pin(async {})
        })),
    })
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
                    NotificationValues::new(&outcome.username, used, outcome.quota, Unit::Gb)
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
