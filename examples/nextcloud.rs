//! The lifecycle of one Nextcloud account: create, usage, suspend, change plan,
//! terminate.
//!
//! Against a real server when PROVISION_NEXTCLOUD_URL, PROVISION_NEXTCLOUD_USER and
//! PROVISION_NEXTCLOUD_PASSWORD (the admin's account password, not an app password) are
//! set; otherwise against the in-process mock server.
//!
//! ```sh
//! cargo run --example nextcloud
//! ```

use std::time::{SystemTime, UNIX_EPOCH};

use provision::core::rules::{GeneratePassword, PasswordRule};
use provision::core::{
    AccountSpec, ByteSize, GroupName, Plan, Quota, StorageProvider, Usage, Username,
};
use provision::nextcloud::mock::MockNextcloud;
use provision::nextcloud::NextcloudProvider;

type AnyError = Box<dyn std::error::Error + Send + Sync>;

#[tokio::main]
async fn main() -> Result<(), AnyError> {
    // The mock must outlive the provider that talks to it.
    let mut mock = None;
    let provider = match NextcloudProvider::from_env()? {
        Some(provider) => {
            println!("using the Nextcloud at $PROVISION_NEXTCLOUD_URL");
            provider
        }
        None => {
            println!("PROVISION_NEXTCLOUD_URL is not set: using the in-process mock server");
            let started = MockNextcloud::start().await;
            let provider = started.provider()?;
            mock = Some(started);
            provider
        }
    };

    let server = provider.test_connection().await?;
    println!(
        "connected: {} {} (admin rights: {})",
        server.product,
        server.version.as_deref().unwrap_or("(version unknown)"),
        server.is_admin
    );

    let seconds = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs();
    let user = Username::new(format!("example-{seconds}"))?;
    let basic = Plan::new("1 GB".parse::<Quota>()?).with_group(GroupName::new("example-basic")?);
    let pro = Plan::new("2 GB".parse::<Quota>()?).with_group(GroupName::new("example-pro")?);

    let created = provider
        .create_account(&AccountSpec {
            username: user.clone(),
            password: PasswordRule::parse("16")?.generate(),
            email: Some(format!("{user}@example.invalid")),
            display_name: Some("Example Customer".into()),
            plan: basic.clone(),
        })
        .await?;
    println!(
        "created user {} with quota {} in groups {:?}",
        created.username,
        show_quota(created.quota),
        names(&created.groups)
    );

    if let Some(mock) = &mock {
        // The mock has no files: pretend the customer uploaded 300 MB.
        mock.set_used(user.as_str(), ByteSize::new(300 << 20));
    }
    println!("usage: {}", show_usage(&provider.usage(&user).await?));

    provider.suspend(&user).await?;
    let status = provider.account(&user).await?.map(|a| a.status);
    println!("suspended: status is now {status:?}");
    provider.unsuspend(&user).await?;
    println!("unsuspended");

    provider.change_plan(&user, &basic, &pro).await?;
    let moved = provider.account(&user).await?;
    if let Some(account) = moved {
        println!(
            "changed plan: quota {} in groups {:?}",
            show_quota(account.quota),
            names(&account.groups)
        );
    }
    println!("usage: {}", show_usage(&provider.usage(&user).await?));

    provider.terminate(&user).await?;
    println!(
        "terminated {user}: exists now = {}",
        provider.account(&user).await?.is_some()
    );

    // Leave no empty example groups behind on a real server.
    for group in basic.groups.iter().chain(&pro.groups) {
        if provider.client().group_members(group).await?.is_empty() {
            provider.client().delete_group(group).await?;
        }
    }
    Ok(())
}

fn names(groups: &[GroupName]) -> Vec<&str> {
    groups.iter().map(GroupName::as_str).collect()
}

fn show_quota(quota: Option<Quota>) -> String {
    quota.map_or_else(|| "unknown".to_string(), |q| q.to_string())
}

fn show_usage(usage: &Usage) -> String {
    match (usage.used, usage.quota) {
        (Some(used), Some(quota)) => match quota.percent_used(used) {
            Some(percent) => format!("{used} of {quota} ({percent} %)"),
            None => format!("{used} (unlimited)"),
        },
        (Some(used), None) => format!("{used} (quota unknown)"),
        (None, _) => "not known yet (the account never logged in)".to_string(),
    }
}
