//! Opt-in tests against a real DSM, chosen by environment variables:
//! `PROVISION_SYNOLOGY_URL`, `PROVISION_SYNOLOGY_USER`, `PROVISION_SYNOLOGY_PASSWORD`,
//! `PROVISION_SYNOLOGY_GROUP` (a pre-configured plan group), optionally
//! `PROVISION_SYNOLOGY_OTP_CODE` or `PROVISION_SYNOLOGY_DEVICE_TOKEN`, and
//! `PROVISION_SYNOLOGY_TLS_INSECURE=1` (or `PROVISION_SYNOLOGY_TLS_CA_FILE`) for a
//! self-signed certificate: core's one environment scheme. Accounts are named
//! `provtest*` and removed afterwards. The tests are `#[ignore]`d, so that a run
//! without a DSM shows them as ignored rather than passed:
//! `cargo test -p provision-synology --test real_device -- --ignored`.

use provision_core::testkit::{run_conformance, ConformanceConfig};
use provision_core::{AccountSpec, GroupName, Plan, SecretString, StorageProvider, Username};
use provision_synology::{env, SynologyProvider};

fn real_device() -> Option<(SynologyProvider, GroupName)> {
    let provider = match SynologyProvider::from_env() {
        Ok(Some(p)) => p,
        Ok(None) => {
            println!(
                "skipped: {} is not set (no real DSM to test against)",
                env::URL
            );
            return None;
        }
        Err(e) => panic!("the {} settings are not usable: {e}", env::URL),
    };
    let Some(group) = std::env::var(env::GROUP).ok().filter(|g| !g.is_empty()) else {
        println!(
            "skipped: {} is not set (a plan group that exists on the DSM)",
            env::GROUP
        );
        return None;
    };
    Some((provider, GroupName::new(group).expect("a valid group name")))
}

#[tokio::test]
#[ignore = "needs a real DSM: set PROVISION_SYNOLOGY_URL and run with --ignored"]
async fn a_real_dsm_conforms() {
    let Some((provider, group)) = real_device() else {
        return;
    };
    let plan = Plan::new("1 GB".parse().unwrap()).with_group(group.clone());
    let other = Plan::new("2 GB".parse().unwrap()).with_group(group);
    run_conformance(&provider, &ConformanceConfig::new("provtest", plan, other)).await;
    provider.close().await.unwrap();
}

#[tokio::test]
#[ignore = "needs a real DSM: set PROVISION_SYNOLOGY_URL and run with --ignored"]
async fn a_real_dsm_reports_usage_of_a_new_account() {
    let Some((provider, group)) = real_device() else {
        return;
    };
    let name = Username::new("provtest-usage").unwrap();
    provider.terminate(&name).await.unwrap();
    let spec = AccountSpec {
        username: name.clone(),
        password: SecretString::from("Pv7!kQz2#Lm9wR4x".to_string()),
        email: None,
        display_name: Some("provision test".into()),
        plan: Plan::new("1 GB".parse().unwrap()).with_group(group),
    };
    provider.create_account(&spec).await.unwrap();
    let usage = provider.usage(&name).await;
    let all = provider.usage_all().await;
    // The batched read on its own, so that a DSM refusing it is seen, not hidden by
    // the provider's fallback to one request per account.
    let batched = provider
        .client()
        .user_quotas(std::slice::from_ref(&name))
        .await;
    // Clean up before asserting, so a failed assertion leaves nothing behind.
    provider.terminate(&name).await.unwrap();
    provider.close().await.unwrap();
    let usage = usage.unwrap();
    println!("usage of a new account: {usage:?}");
    assert!(all.unwrap().iter().any(|(u, _)| u == &name));
    match batched {
        Ok(quotas) => {
            assert_eq!(quotas.len(), 1);
            let quota = quotas.into_iter().next().unwrap().unwrap();
            println!("SYNO.Entry.Request batches quota reads: {quota:?}");
        }
        Err(e) if e.kind() == provision_core::ErrorKind::Unsupported => {
            println!("this DSM does not batch quota reads ({e}); sweeps read one by one");
        }
        Err(e) => panic!("batched quota read: {e}"),
    }
}
