//! The lifecycle of one Synology DSM account: create, usage, suspend, change plan,
//! terminate. Then the guards: the administrator the provider logs in with and any
//! other member of `administrators` are never terminated or changed.
//!
//! Against a real DSM when PROVISION_SYNOLOGY_URL, PROVISION_SYNOLOGY_USER,
//! PROVISION_SYNOLOGY_PASSWORD and PROVISION_SYNOLOGY_GROUP (a plan group that exists on
//! the DSM) are set — with PROVISION_SYNOLOGY_OTP_CODE or PROVISION_SYNOLOGY_DEVICE_TOKEN for
//! an account with two-step verification and PROVISION_SYNOLOGY_TLS_INSECURE=1 for a
//! self-signed certificate; otherwise against the in-process mock DSM.
//!
//! ```sh
//! cargo run --example synology
//! ```

use std::time::{SystemTime, UNIX_EPOCH};

use provision::core::rules::{GeneratePassword, PasswordRule};
use provision::core::{
    AccountSpec, ByteSize, GroupName, Plan, Quota, StorageProvider, Usage, Username,
};
use provision::synology::mock::MockSynology;
use provision::synology::{env, SynologyProvider};

#[path = "support/refused.rs"]
mod refused;
use refused::refused;

type AnyError = Box<dyn std::error::Error + Send + Sync>;

#[tokio::main]
async fn main() -> Result<(), AnyError> {
    // The mock must outlive the provider that talks to it.
    let mut mock = None;
    let (provider, basic_group, pro_group) = match SynologyProvider::from_env()? {
        Some(provider) => {
            let group = std::env::var(env::GROUP).map_err(|_| {
                format!(
                    "{} must name a plan group that exists on the DSM",
                    env::GROUP
                )
            })?;
            println!("using the DSM at ${}, plan group {group}", env::URL);
            let group = GroupName::new(group)?;
            (provider, group.clone(), group)
        }
        None => {
            println!("{} is not set: using the in-process mock DSM", env::URL);
            let started = MockSynology::start().await;
            // Plans name DSM groups an administrator configured beforehand.
            started.add_group("example-basic", "1 GB".parse()?);
            started.add_group("example-pro", "2 GB".parse()?);
            let provider = started.provider_builder().build()?;
            mock = Some(started);
            (
                provider,
                GroupName::new("example-basic")?,
                GroupName::new("example-pro")?,
            )
        }
    };

    let server = provider.test_connection().await?;
    println!(
        "connected: {} {} (admin rights: {}, Noise IK: {})",
        server.product,
        server.version.as_deref().unwrap_or("(version unknown)"),
        server.is_admin,
        server.details.get("noise_ik").map_or("?", String::as_str),
    );
    if provider.device_token().is_some() {
        println!(
            "DSM trusts this client as a device: store provider.device_token() for later runs"
        );
    }
    let groups = provider.list_groups().await?;
    println!("groups on the DSM: {:?}", names(&groups));

    let seconds = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs();
    let user = Username::new(format!("example-{seconds}"))?;
    let basic = Plan::new("1 GB".parse::<Quota>()?).with_group(basic_group);
    let pro = Plan::new("2 GB".parse::<Quota>()?).with_group(pro_group);

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
        "created user {} in groups {:?}",
        created.username,
        names(&created.groups)
    );

    if let Some(mock) = &mock {
        // The mock has no files: pretend the customer uploaded 300 MB.
        mock.set_usage(user.as_str(), ByteSize::new(300 << 20));
    }
    println!("usage: {}", show_usage(&provider.usage(&user).await?));

    provider.suspend(&user).await?;
    let status = provider.account(&user).await?.map(|a| a.status);
    println!("suspended: status is now {status:?}");
    provider.unsuspend(&user).await?;
    println!("unsuspended");

    provider.change_plan(&user, &basic, &pro).await?;
    if let Some(account) = provider.account(&user).await? {
        println!("changed plan: groups now {:?}", names(&account.groups));
    }
    println!("usage: {}", show_usage(&provider.usage(&user).await?));

    let everyone = provider.usage_all().await?;
    println!("usage_all read {} accounts", everyone.len());

    provider.terminate(&user).await?;
    println!(
        "terminated {user}: exists now = {}",
        provider.account(&user).await?.is_some()
    );

    // Terminate of the provider's own login once deleted it; now it is refused before
    // any request, in any letter case.
    let login = Username::new(provider.client().account().to_uppercase())?;
    refused("terminate of the login", provider.terminate(&login).await)?;
    if let Some(mock) = &mock {
        // Another administrator (on a real DSM we leave its admins alone).
        mock.add_admin("boss", "Boss-Passw0rd-long");
        let boss = Username::new("boss")?;
        refused(
            "terminate of another administrator",
            provider.terminate(&boss).await,
        )?;
        refused(
            "a new password for another administrator",
            provider
                .change_password(&boss, &PasswordRule::parse("16")?.generate())
                .await,
        )?;
    }

    provider.close().await?;
    println!("logged out");
    Ok(())
}

fn names(groups: &[GroupName]) -> Vec<&str> {
    groups.iter().map(GroupName::as_str).collect()
}

fn show_usage(usage: &Usage) -> String {
    match (usage.used, usage.quota) {
        (Some(used), Some(quota)) => match quota.percent_used(used) {
            Some(percent) => format!("{used} of {quota} enforced by DSM ({percent} %)"),
            None => format!("{used} (unlimited)"),
        },
        (Some(used), None) => format!("{used} (limit not reported)"),
        (None, _) => "not reported by DSM (are share quotas on?)".to_string(),
    }
}
