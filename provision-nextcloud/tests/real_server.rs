//! Opt-in tests against a real Nextcloud, chosen by PROVISION_NEXTCLOUD_URL,
//! PROVISION_NEXTCLOUD_USER and PROVISION_NEXTCLOUD_PASSWORD or
//! PROVISION_NEXTCLOUD_PASSWORD_FILE (the admin's account password: Nextcloud 34
//! refuses provisioning writes made with an app password), plus any client option
//! upper-cased (PROVISION_NEXTCLOUD_TLS_CA_FILE, PROVISION_NEXTCLOUD_TIMEOUT, ...).
//! They are `#[ignore]`d, so that a run without a server shows them as ignored rather
//! than passed (`cargo test -p provision-nextcloud --test real_server -- --ignored`);
//! run so without the variables, they say why they skip. They remove what they create.

mod common;

use common::{plan, secret, spec, user};
use provision_core::testkit::{run_conformance, ConformanceConfig};
use provision_core::{AccountStatus, StorageProvider};
use provision_nextcloud::{NextcloudProvider, ENV_URL};

fn provider_or_skip(test: &str) -> Option<NextcloudProvider> {
    match NextcloudProvider::from_env() {
        Ok(Some(provider)) => Some(provider),
        Ok(None) => {
            eprintln!("skipping {test}: {ENV_URL} is not set (also set PROVISION_NEXTCLOUD_USER and PROVISION_NEXTCLOUD_PASSWORD or _PASSWORD_FILE to run it against a real Nextcloud)");
            None
        }
        Err(e) => panic!("{test}: the PROVISION_NEXTCLOUD_* variables are incomplete: {e}"),
    }
}

/// A unique suffix so that parallel or interrupted runs do not collide.
fn run_id() -> String {
    format!("{:x}", std::process::id())
}

#[tokio::test]
#[ignore = "needs a real Nextcloud: set PROVISION_NEXTCLOUD_URL and run with --ignored"]
async fn real_server_lifecycle() {
    let Some(provider) = provider_or_skip("real_server_lifecycle") else {
        return;
    };
    let id = run_id();
    let name = format!("provtest-{id}");
    let small = plan("1 GB", &[&format!("provtest-small-{id}")]);
    let large = plan("1.5 GB", &[&format!("provtest-large-{id}")]);
    let result = lifecycle(&provider, &name, &small, &large).await;

    // Clean up whatever happened: the account and the groups made for it.
    provider.terminate(&user(&name)).await.unwrap();
    for group in small.groups.iter().chain(&large.groups) {
        if provider
            .client()
            .group_members(group)
            .await
            .is_ok_and(|m| m.is_empty())
        {
            provider.client().delete_group(group).await.unwrap();
        }
    }
    result.unwrap();
}

async fn lifecycle(
    provider: &NextcloudProvider,
    name: &str,
    small: &provision_core::Plan,
    large: &provision_core::Plan,
) -> provision_core::Result<()> {
    let info = provider.test_connection().await?;
    eprintln!(
        "connected to {} {:?} (admin: {})",
        info.product, info.version, info.is_admin
    );
    assert!(info.is_admin, "the credentials are not an administrator's");

    let mut account_spec = spec(name, small.clone());
    account_spec.email = Some(format!("{name}@example.invalid"));
    let created = provider.create_account(&account_spec).await?;
    assert_eq!(created.quota, Some(small.quota));
    let usage = provider.usage(&user(name)).await?;
    eprintln!("usage of {name}: {:?}", usage);

    provider.suspend(&user(name)).await?;
    provider.suspend(&user(name)).await?;
    let status = provider.account(&user(name)).await?.map(|a| a.status);
    assert_eq!(status, Some(AccountStatus::Suspended));
    provider.unsuspend(&user(name)).await?;

    provider
        .change_password(&user(name), &secret("a-New-and-long-Passw0rd"))
        .await?;
    provider.change_plan(&user(name), small, large).await?;
    let moved = provider
        .account(&user(name))
        .await?
        .expect("account after change plan");
    assert_eq!(moved.quota, Some(large.quota));
    assert!(moved.groups.contains(&large.groups[0]));
    assert!(!moved.groups.contains(&small.groups[0]));

    let all = provider.usage_all().await?;
    assert!(all
        .iter()
        .any(|(u, _)| u.as_str().eq_ignore_ascii_case(name)));

    provider.terminate(&user(name)).await?;
    provider.terminate(&user(name)).await?;
    assert!(provider.account(&user(name)).await?.is_none());
    Ok(())
}

#[tokio::test]
#[ignore = "needs a real Nextcloud: set PROVISION_NEXTCLOUD_URL and run with --ignored"]
async fn real_server_conformance() {
    let Some(provider) = provider_or_skip("real_server_conformance") else {
        return;
    };
    let id = run_id();
    let small = plan("1 GB", &[&format!("provconf-small-{id}")]);
    let large = plan("2 GB", &[&format!("provconf-large-{id}")]);
    run_conformance(
        &provider,
        &ConformanceConfig::new(format!("provconf-{id}-"), small.clone(), large.clone()),
    )
    .await;
    for group in small.groups.iter().chain(&large.groups) {
        if provider
            .client()
            .group_members(group)
            .await
            .is_ok_and(|m| m.is_empty())
        {
            provider.client().delete_group(group).await.unwrap();
        }
    }
}
