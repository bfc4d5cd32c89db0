//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::time::Duration;

use provision_core::http::{ClientOptions, RetryConfig};
use provision_core::{AccountSpec, GroupName, Plan, Quota, SecretString, Username};
use provision_nextcloud::mock::MockNextcloud;
use provision_nextcloud::NextcloudProvider;

pub const PASSWORD: &str = "Pv7!kQz2#Lm9wR4x";

pub fn user(name: &str) -> Username {
    Username::new(name).unwrap()
}

pub fn group(name: &str) -> GroupName {
    GroupName::new(name).unwrap()
}

pub fn quota(text: &str) -> Quota {
    text.parse().unwrap()
}

pub fn secret(text: &str) -> SecretString {
    SecretString::from(text.to_string())
}

pub fn plan(quota_text: &str, groups: &[&str]) -> Plan {
    groups
        .iter()
        .fold(Plan::new(quota(quota_text)), |p, g| p.with_group(group(g)))
}

pub fn spec(name: &str, plan: Plan) -> AccountSpec {
    AccountSpec {
        username: user(name),
        password: secret(PASSWORD),
        email: None,
        display_name: None,
        plan,
    }
}

/// Options with a short timeout and fast retries, for fault tests.
pub fn fast_options(timeout: Duration) -> ClientOptions {
    ClientOptions::default()
        .with_timeout(timeout)
        .with_retry(RetryConfig::new(
            3,
            Duration::from_millis(1),
            Duration::from_millis(10),
            Duration::from_secs(20),
        ))
}

/// The path of the create call (and, as a prefix, of every account's path).
pub const CREATE_PATH: &str = "/ocs/v2.php/cloud/users";

/// A mock and a provider on it with `timeout` and fast retries ([`fast_options`]).
pub async fn with_timeout(timeout: Duration) -> (MockNextcloud, NextcloudProvider) {
    let mock = MockNextcloud::start().await;
    let provider = mock
        .provider_builder()
        .options(fast_options(timeout))
        .build()
        .unwrap();
    (mock, provider)
}

pub async fn mock_and_provider() -> (MockNextcloud, NextcloudProvider) {
    let mock = MockNextcloud::start().await;
    let provider = mock.provider().unwrap();
    (mock, provider)
}

/// How many requests the mock received with this method whose path ends with `suffix`.
pub fn count(mock: &MockNextcloud, method: &str, suffix: &str) -> usize {
    mock.requests()
        .iter()
        .filter(|r| {
            r.split_once(' ')
                .is_some_and(|(m, p)| m == method && p.ends_with(suffix))
        })
        .count()
}
