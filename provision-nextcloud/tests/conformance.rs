//! The core conformance suite, run against the mock-backed provider (v2 and v1).

mod common;

use common::plan;
use provision_core::testkit::{run_conformance, ConformanceConfig};
use provision_nextcloud::client::OcsVersion;
use provision_nextcloud::mock::MockNextcloud;

fn config() -> ConformanceConfig {
    ConformanceConfig::new(
        "conf",
        plan("1 GB", &["conf-small"]),
        plan("2.5 GB", &["conf-large", "conf-customers"]),
    )
}

#[tokio::test]
async fn conformance_against_the_mock() {
    let mock = MockNextcloud::start().await;
    let provider = mock.provider().unwrap();
    run_conformance(&provider, &config()).await;
    // The suite cleans up after itself.
    assert_eq!(mock.user_ids(), vec!["admin"]);
}

#[tokio::test]
async fn conformance_against_the_mock_over_ocs_v1() {
    let mock = MockNextcloud::start().await;
    let provider = mock
        .provider_builder()
        .ocs_version(OcsVersion::V1)
        .build()
        .unwrap();
    run_conformance(&provider, &config()).await;
}
