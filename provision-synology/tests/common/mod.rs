//! Shared fixtures: a mock DSM with two plan groups and a provider aimed at it.
#![allow(dead_code)]

use std::time::Duration;

use provision_core::{AccountSpec, GroupName, Plan, Quota, SecretString, Username};
use provision_synology::mock::MockSynology;
use provision_synology::SynologyProvider;

pub const SMALL: &str = "plan-small";
pub const LARGE: &str = "plan-large";
pub const PASSWORD: &str = "Str0ng-Passw0rd";

pub fn user(name: &str) -> Username {
    Username::new(name).unwrap()
}

pub fn secret(s: &str) -> SecretString {
    SecretString::from(s.to_string())
}

pub fn plan(group: &str, quota: &str) -> Plan {
    Plan::new(quota.parse::<Quota>().unwrap()).with_group(GroupName::new(group).unwrap())
}

pub fn small() -> Plan {
    plan(SMALL, "1 GB")
}

pub fn large() -> Plan {
    plan(LARGE, "5 GB")
}

pub fn spec(name: &str, plan: Plan) -> AccountSpec {
    AccountSpec {
        username: user(name),
        password: secret(PASSWORD),
        email: Some(format!("{name}@example.com")),
        display_name: Some(format!("customer {name}")),
        plan,
    }
}

/// A mock with the two plan groups and a provider logged in to it (the login and
/// discovery requests are behind it; the request counter starts at zero).
pub async fn setup() -> (MockSynology, SynologyProvider) {
    let dsm = MockSynology::start().await;
    dsm.add_group(SMALL, "1 GB".parse().unwrap());
    dsm.add_group(LARGE, "5 GB".parse().unwrap());
    let provider = dsm.provider_builder().build().unwrap();
    provider.client().login().await.unwrap();
    dsm.reset_request_count();
    (dsm, provider)
}

/// A provider logged in to `dsm` whose requests time out after `timeout` (the request
/// counter starts at zero).
pub async fn with_timeout(dsm: &MockSynology, timeout: Duration) -> SynologyProvider {
    let options = MockSynology::fast_client_options().with_timeout(timeout);
    let provider = dsm.provider_builder().options(options).build().unwrap();
    provider.client().login().await.unwrap();
    dsm.reset_request_count();
    provider
}

/// A mock with the small plan group and a provider whose requests time out after
/// 300 ms, so that a fault delaying an answer by 900 ms loses it.
pub async fn impatient_setup() -> (MockSynology, SynologyProvider) {
    let dsm = MockSynology::start().await;
    dsm.add_group(SMALL, "1 GB".parse().unwrap());
    let provider = with_timeout(&dsm, Duration::from_millis(300)).await;
    (dsm, provider)
}

/// Whether the mock holds `user` as a member of `group`.
pub fn in_group(dsm: &MockSynology, user: &str, group: &str) -> bool {
    dsm.user(user)
        .is_some_and(|u| u.groups.iter().any(|g| g == group))
}
