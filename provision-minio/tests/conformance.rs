//! Core's conformance suite through the MinIO provider: on the mock in both dialects,
//! and on a real server when `PROVISION_MINIO_URL` is set.

mod common;

use common::*;
use provision_core::testkit::{run_conformance, ConformanceConfig};
use provision_minio::mock::{Dialect, MockMinio};
use provision_minio::MinioProvider;

fn config() -> ConformanceConfig {
    ConformanceConfig::new("conf", plan(1, &["conf-small"]), plan(2, &["conf-large"]))
}

#[tokio::test]
async fn conformance_on_the_minio_mock() {
    let mock = MockMinio::start().await;
    run_conformance(&provider_for(&mock), &config()).await;
    // Only the groups the suite's plans named are left behind, empty.
    assert!(mock.user_names().is_empty(), "{:?}", mock.user_names());
    assert!(mock.buckets().is_empty(), "{:?}", mock.buckets());
    assert!(!mock
        .policy_names()
        .iter()
        .any(|p| p.starts_with("provision-")));
}

#[tokio::test]
async fn conformance_on_the_rustfs_mock() {
    let mock = MockMinio::builder().dialect(Dialect::RustFs).start().await;
    run_conformance(&provider_for(&mock), &config()).await;
    assert!(mock.user_names().is_empty());
}

#[tokio::test]
async fn conformance_on_a_legacy_minio_mock() {
    let mock = MockMinio::builder()
        .legacy_policy_api(true)
        .accepts_pbkdf2(false)
        .start()
        .await;
    run_conformance(&provider_for(&mock), &config()).await;
}

#[tokio::test]
#[ignore = "needs a real MinIO: set PROVISION_MINIO_URL and run with --ignored"]
async fn conformance_on_a_real_server() {
    let provider = match MinioProvider::builder_from_env() {
        Ok(Some(builder)) => builder.build().expect("provider from the environment"),
        Ok(None) => {
            eprintln!("skipped: set PROVISION_MINIO_URL, PROVISION_MINIO_USER and PROVISION_MINIO_PASSWORD to run against a real server");
            return;
        }
        Err(e) => panic!("the PROVISION_MINIO_* variables are incomplete: {e}"),
    };
    // The suite cleans up before and after and touches only `conf*` accounts.
    run_conformance(&provider, &config()).await;
}
