//! The core conformance suite against the mock DSM (with the plan groups pre-created),
//! once with Noise IK and once with a plain v7 login.

use provision_core::testkit::{run_conformance, ConformanceConfig};
use provision_core::{GroupName, Plan};
use provision_synology::mock::{MockSynology, NoiseMode};

fn config() -> ConformanceConfig {
    let small =
        Plan::new("1 GB".parse().unwrap()).with_group(GroupName::new("conf-small").unwrap());
    let large =
        Plan::new("2 GB".parse().unwrap()).with_group(GroupName::new("conf-large").unwrap());
    ConformanceConfig::new("conf", small, large)
}

async fn mock(noise: NoiseMode) -> MockSynology {
    let dsm = MockSynology::start().await;
    dsm.set_noise(noise);
    dsm.add_group("conf-small", "1 GB".parse().unwrap());
    dsm.add_group("conf-large", "2 GB".parse().unwrap());
    dsm
}

#[tokio::test]
async fn the_mock_backed_provider_conforms() {
    let dsm = mock(NoiseMode::Required).await;
    let provider = dsm.provider_builder().build().unwrap();
    run_conformance(&provider, &config()).await;
    // Nothing of the suite's is left behind.
    assert!(dsm.user_names().iter().all(|n| !n.starts_with("conf")));
}

#[tokio::test]
async fn the_provider_conforms_without_noise() {
    let dsm = mock(NoiseMode::Off).await;
    let provider = dsm.provider_builder().build().unwrap();
    run_conformance(&provider, &config()).await;
}
