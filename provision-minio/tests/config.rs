//! The builder through core's shared configuration layer: string keys, a URL with
//! options, a configuration file, the environment, and core's endpoint rules.

mod common;

use std::path::PathBuf;

use common::*;
use provision_core::config::{Config, ProviderBuilder};
use provision_core::testkit::builder::{check_builder, BuilderCase};
use provision_core::StorageProvider;
use provision_minio::mock::ROOT_SECRET_KEY;
use provision_minio::{MinioProvider, MinioProviderBuilder, SETTING_KEYS};

const STANDARD_JSON: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
    "Action":["s3:GetObject","s3:PutObject","s3:ListBucket"],
    "Resource":["arn:aws:s3:::{{namespace}}","arn:aws:s3:::{{namespace}}/*"]}]}"#;
const LIMITED_JSON: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
    "Action":["s3:GetObject","s3:ListBucket"],
    "Resource":["arn:aws:s3:::{{namespace}}","arn:aws:s3:::{{namespace}}/*"]}]}"#;

/// A value each key accepts; a key added without a sample here fails the tests.
fn sample_value(key: &str) -> &'static str {
    match key {
        "region" => "eu-west-1",
        "bucket_prefix" => "u-",
        "policy_prefix" => "tenant-",
        "default_bucket" => "true",
        "admin_prefix" => "/minio/admin/v3",
        "standard_policy" => STANDARD_JSON,
        "limited_policy" => LIMITED_JSON,
        "bucket_features" => "object_lock",
        other => panic!("no sample value for the setting {other:?}"),
    }
}

/// The mock's secret key in a file of its own, for `password_file`.
fn secret_file(name: &str) -> PathBuf {
    let path = std::env::temp_dir().join(format!(
        "provision-minio-{name}-{}.secret",
        std::process::id()
    ));
    std::fs::write(&path, format!("{ROOT_SECRET_KEY}\n")).expect("secret file written");
    path
}

#[test]
fn the_shared_configuration_rules_hold() {
    check_builder::<MinioProviderBuilder>(&BuilderCase {
        https_url: "https://s3.example.com:9000",
        sample_value: |key| SETTING_KEYS.contains(&key).then(|| sample_value(key)),
        bad_values: &[
            ("default_bucket", "perhaps"),
            ("standard_policy", "{not json"),
            ("bucket_features", "time_travel"),
        ],
    });
    // The old environment names are not settings either.
    let err = MinioProviderBuilder::from_url_opts("https://s3.example.com", [("secret_key", "x")])
        .unwrap_err();
    assert!(err.to_string().contains("secret_key"), "{err}");
}

#[tokio::test]
async fn every_setting_key_is_accepted() {
    let mock = start_mock().await;
    for key in SETTING_KEYS {
        let builder = builder_for(&mock)
            .with_config(key, sample_value(key))
            .unwrap_or_else(|e| panic!("{key}: {e}"));
        builder.build().unwrap_or_else(|e| panic!("{key}: {e}"));
    }
}

#[tokio::test]
async fn every_setting_key_takes_effect() {
    let mock = mock_builder().region("eu-west-1").start().await;
    let mut builder = builder_for(&mock);
    for key in SETTING_KEYS {
        builder = builder.with_config(key, sample_value(key)).unwrap();
    }
    let provider = builder.build().unwrap();
    assert_eq!(provider.s3().region(), "eu-west-1");
    assert_eq!(provider.admin().admin_prefix(), "/minio/admin/v3");
    create_plain_account(&provider, "alice").await;
    assert_eq!(mock.buckets(), ["u-alice"]);
    let standard = mock.policy("tenant-u-alice").expect("the prefixed policy");
    assert_eq!(
        standard["Statement"][0]["Action"],
        serde_json::json!(["s3:GetObject", "s3:PutObject", "s3:ListBucket"])
    );
    // bucket_features = object_lock: retention is not in the Deny, bucket policies are.
    let denied = standard["Statement"][1]["Action"].to_string();
    assert!(!denied.contains("s3:PutObjectRetention"), "{denied}");
    assert!(denied.contains("s3:PutBucketPolicy"), "{denied}");
    provider.set_limited(&user("alice"), true).await.unwrap();
    let limited = mock.policy("tenant-u-alice").unwrap();
    assert_eq!(
        limited["Statement"][0]["Action"],
        serde_json::json!(["s3:GetObject", "s3:ListBucket"])
    );

    let no_bucket = builder_for(&mock)
        .with_config("default_bucket", "false")
        .unwrap()
        .build()
        .unwrap();
    create_plain_account(&no_bucket, "bob").await;
    assert_eq!(mock.buckets(), ["u-alice"]);
}

#[tokio::test]
async fn from_url_opts_builds_a_working_provider() {
    let mock = start_mock().await;
    let secret = secret_file("url-opts");
    let path = secret.to_string_lossy().into_owned();
    let provider = MinioProviderBuilder::from_url_opts(
        &mock.url(),
        [
            ("user", mock.access_key()),
            ("password_file", path.as_str()),
            ("timeout", "5s"),
            ("max_retries", "1"),
            ("bucket_prefix", "u-"),
        ],
    )
    .unwrap()
    .build_provider()
    .unwrap();
    std::fs::remove_file(&secret).ok();
    assert_eq!(provider.test_connection().await.unwrap().backend, "minio");
    provider
        .create_account(&spec("alice", plan(1, &[])))
        .await
        .unwrap();
    assert_eq!(mock.buckets(), ["u-alice"]);
}

#[tokio::test]
async fn a_configuration_file_builds_a_working_provider() {
    let mock = start_mock().await;
    let secret = secret_file("toml");
    let config = Config::from_toml(&format!(
        r#"
        [servers.s3]
        backend = "minio"
        url = "{url}"
        user = "{user}"
        password = {{ file = "{secret}" }}
        bucket_prefix = "u-"
        default_bucket = false
        options = {{ timeout = "5s" }}
        "#,
        url = mock.url(),
        user = mock.access_key(),
        secret = secret.display(),
    ))
    .unwrap();
    let provider = config.servers["s3"]
        .build_with::<MinioProviderBuilder>()
        .unwrap();
    std::fs::remove_file(&secret).ok();
    provider
        .create_account(&spec("alice", plan(1, &[])))
        .await
        .unwrap();
    assert!(mock.user("alice").is_some());
    assert!(mock.buckets().is_empty(), "default_bucket = false");
    assert!(mock.policy("provision-u-alice").is_some());
}

/// The only test of this binary that touches the environment (tests run in parallel).
#[tokio::test]
async fn from_env_follows_the_one_scheme() {
    let mock = start_mock().await;
    let vars = [
        "PROVISION_MINIO_URL",
        "PROVISION_MINIO_USER",
        "PROVISION_MINIO_PASSWORD",
        "PROVISION_MINIO_BUCKET_PREFIX",
        "PROVISION_MINIO_TIMEOUT",
    ];
    for var in vars {
        std::env::remove_var(var);
    }
    assert!(
        MinioProvider::from_env().unwrap().is_none(),
        "no URL, no provider"
    );

    std::env::set_var("PROVISION_MINIO_URL", mock.url());
    std::env::set_var("PROVISION_MINIO_USER", mock.access_key());
    let err = MinioProvider::from_env().unwrap_err();
    assert!(
        err.to_string().contains("PROVISION_MINIO_PASSWORD"),
        "{err}"
    );

    std::env::set_var("PROVISION_MINIO_PASSWORD", ROOT_SECRET_KEY);
    std::env::set_var("PROVISION_MINIO_BUCKET_PREFIX", "u-");
    std::env::set_var("PROVISION_MINIO_TIMEOUT", "5s");
    let provider = MinioProvider::from_env();
    for var in vars {
        std::env::remove_var(var);
    }
    let provider = provider.unwrap().expect("a provider from the environment");
    create_plain_account(&provider, "alice").await;
    assert_eq!(mock.buckets(), ["u-alice"]);
}

/// MinIO's own URL rules on top of core's: the APIs live at the server root, and the
/// wire clients keep the cleartext rule too.
#[test]
fn the_server_root_only_and_the_wire_clients_keep_the_rules() {
    let build = |url: &str| {
        MinioProvider::builder(url)
            .credentials("admin", secret("admin-secret"))
            .options(fast_options())
            .build()
    };
    assert!(build("https://s3.example.com/sub").is_err());
    assert!(build("https://s3.example.com/").is_ok());
    assert!(provision_minio::client::S3Client::new(
        "http://s3.example.com:9000",
        provision_minio::Credentials::new("admin", secret("admin-secret")),
        provision_minio::client::DEFAULT_REGION,
        &fast_options(),
    )
    .is_err());
}
