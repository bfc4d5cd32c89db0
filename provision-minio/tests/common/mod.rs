//! Helpers shared by the integration tests: a provider wired to a mock with short
//! timeouts and backoffs, and small constructors.
// Each test binary uses a different subset of these helpers.
#![allow(dead_code)]

use std::time::Duration;

use provision_core::http::{ClientOptions, RetryConfig};
use provision_core::{
    AccountSpec, Error, GroupName, Plan, Quota, SecretString, StorageProvider, Username,
};
use provision_minio::client::{
    connect, AdminClient, BucketName, ObjectIdentifier, ObjectKey, S3Client, UserStatus,
    DEFAULT_REGION,
};
use provision_minio::mock::{MockMinio, MockMinioBuilder};
use provision_minio::wire::madmin::Algorithm;
use provision_minio::Credentials;
use provision_minio::{MinioProvider, MinioProviderBuilder};

/// Short backoffs keep fault tests fast; the timeout is long enough for a debug build.
pub fn fast_options() -> ClientOptions {
    ClientOptions::default()
        .with_timeout(Duration::from_secs(2))
        .with_retry(RetryConfig::new(
            3,
            Duration::from_millis(2),
            Duration::from_millis(10),
            Duration::from_secs(10),
        ))
}

/// Options whose timeout a [`provision_minio::mock::Fault::delay`] can outlast.
pub fn short_timeout_options() -> ClientOptions {
    fast_options().with_timeout(Duration::from_millis(400))
}

/// A mock builder whose encrypted answers use id 2 (PBKDF2). The mock's default,
/// id 0 (Argon2id, what MinIO sends), costs 64 MiB and noticeable time per message in
/// a debug build; tests that make many admin calls use this instead.
pub fn mock_builder() -> MockMinioBuilder {
    MockMinio::builder().reply_algorithm(Algorithm::Pbkdf2AesGcm)
}

/// A started [`mock_builder`].
pub async fn start_mock() -> MockMinio {
    mock_builder().start().await
}

pub fn builder_for(mock: &MockMinio) -> MinioProviderBuilder {
    MinioProvider::builder(mock.url())
        .credentials(mock.access_key(), mock.secret_key())
        .options(fast_options())
}

pub fn provider_for(mock: &MockMinio) -> MinioProvider {
    builder_for(mock).build().expect("provider builds")
}

pub fn clients_for(mock: &MockMinio) -> (AdminClient, S3Client) {
    connect(
        &mock.url(),
        mock.credentials(),
        DEFAULT_REGION,
        &fast_options(),
    )
    .expect("clients")
}

/// An S3 client signing as a tenant.
pub fn tenant_s3(mock: &MockMinio, user: &str, secret: &str) -> S3Client {
    S3Client::new(
        &mock.url(),
        Credentials::new(user, SecretString::from(secret.to_owned())),
        DEFAULT_REGION,
        &fast_options(),
    )
    .expect("tenant client")
}

/// A bucket name for the S3 client (tests name valid buckets).
pub fn bucket(name: impl AsRef<str>) -> BucketName {
    BucketName::new(name.as_ref()).unwrap()
}

/// An object key for the S3 client.
pub fn key(name: impl AsRef<str>) -> ObjectKey {
    ObjectKey::new(name.as_ref()).unwrap()
}

pub fn user(name: &str) -> Username {
    Username::new(name).expect("valid user name")
}

pub fn secret(s: &str) -> SecretString {
    SecretString::from(s.to_owned())
}

pub const PASSWORD: &str = "Tenant-Secret-123";

pub fn gb(n: u64) -> Quota {
    Quota::from_config(n, provision_core::Unit::Gb).expect("quota")
}

pub fn plan(quota_gb: u64, groups: &[&str]) -> Plan {
    let mut plan = Plan::new(gb(quota_gb));
    for g in groups {
        plan = plan.with_group(GroupName::new(*g).expect("group"));
    }
    plan
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

/// The paths (after the admin prefix, or the S3 path) of the recorded requests.
pub fn request_paths(mock: &MockMinio) -> Vec<String> {
    mock.requests()
        .into_iter()
        .map(|r| {
            let path = r
                .path
                .strip_prefix("/minio/admin/v3/")
                .map(str::to_owned)
                .unwrap_or(r.path);
            if r.query.is_empty() {
                format!("{} {path}", r.method)
            } else {
                format!("{} {path}?{}", r.method, r.query)
            }
        })
        .collect()
}

/// Creates `name` on the 1 GB plan without groups.
pub async fn create_plain_account(provider: &MinioProvider, name: &str) {
    provider
        .create_account(&spec(name, plan(1, &[])))
        .await
        .unwrap();
}

/// A provider for `mock` with each of `names` created on the 1 GB plan without groups.
pub async fn provider_with_accounts(mock: &MockMinio, names: &[&str]) -> MinioProvider {
    let provider = provider_for(mock);
    for name in names {
        create_plain_account(&provider, name).await;
    }
    provider
}

/// Adds an enabled user with `password` through the admin API.
pub async fn add_enabled_user(admin: &AdminClient, name: &str, password: &str) {
    admin
        .add_user(name, &secret(password), UserStatus::Enabled)
        .await
        .unwrap();
}

/// The error of an add-user call (enabled, with `password`) that must fail.
pub async fn add_user_error(admin: &AdminClient, name: &str, password: &str) -> Error {
    admin
        .add_user(name, &secret(password), UserStatus::Enabled)
        .await
        .unwrap_err()
}

/// The identifier of the current version of `key` (no version id).
pub fn current_version(key: &str) -> ObjectIdentifier {
    ObjectIdentifier {
        key: key.into(),
        version_id: None,
    }
}

/// How many recorded requests contain `needle` in their method and path.
pub fn count_matching(mock: &MockMinio, needle: &str) -> usize {
    request_paths(mock)
        .iter()
        .filter(|p| p.contains(needle))
        .count()
}
