//! The lifecycle of one Nextcloud account: create, usage, suspend, change plan,
//! terminate. Then the guards: the admin the provider logs in with (in any letter case)
//! and any other administrator are never changed, a plan group `admin` is refused, and
//! an e-mail address that would smuggle a parameter is refused before any request.
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
use provision::nextcloud::mock::{MockNextcloud, ADMIN_USER};
use provision::nextcloud::{NextcloudProvider, ENV_USER};

#[path = "support/refused.rs"]
mod refused;
use refused::refused;

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

    // The provider's own login, in another letter case: refused before any request.
    let login = match &mock {
        Some(_) => ADMIN_USER.to_owned(),
        None => std::env::var(ENV_USER)?,
    };
    let shouted = Username::new(login.to_uppercase())?;
    refused(
        "change_password of the login",
        provider
            .change_password(&shouted, &PasswordRule::parse("16")?.generate())
            .await,
    )?;
    if let Some(mock) = &mock {
        // Another administrator (on a real server we leave its admins alone).
        mock.add_user("boss", "Boss-Passw0rd-long");
        mock.add_member("boss", "admin");
        refused(
            "suspend of another administrator",
            provider.suspend(&Username::new("boss")?).await,
        )?;
    }

    // Plans and addresses that would harm the server are refused before any request.
    let admins = Plan::new("1 GB".parse::<Quota>()?).with_group(GroupName::new("admin")?);
    let guarded = Username::new(format!("guarded-{seconds}"))?;
    let password = PasswordRule::parse("16")?.generate();
    let customer = |plan: Plan, email: &str| AccountSpec {
        username: guarded.clone(),
        password: password.clone(),
        email: Some(email.to_owned()),
        display_name: None,
        plan,
    };
    refused(
        "a plan whose group is admin",
        provider
            .create_account(&customer(admins, "someone@example.invalid"))
            .await
            .map(drop),
    )?;
    refused(
        "an e-mail address with a parameter in it",
        provider
            .create_account(&customer(basic, "x@y.z&quota=none"))
            .await
            .map(drop),
    )?;
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
