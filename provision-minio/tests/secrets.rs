//! No secret in any log line, Debug or Display: a whole account lifecycle on the mock,
//! a wrong root secret key and an injected fault, with every `tracing` event captured
//! at TRACE, scanned for the tenant's secret keys (its password) and the root secret
//! key.

mod common;

use common::*;
use provision_core::testkit::secrets::{run_lifecycle, LogCapture, SecretScan};
use provision_core::StorageProvider;
use provision_minio::mock::{Fault, MockMinio, ROOT_ACCESS_KEY, ROOT_SECRET_KEY};
use provision_minio::wire::madmin::Algorithm;
use provision_minio::MinioProvider;

const NEW_PASSWORD: &str = "Tenant-Secret-456-new";
const WRONG_ROOT_SECRET: &str = "wrong-root-secret-key-000";

#[tokio::test(flavor = "current_thread")]
async fn no_secret_reaches_a_log_line_or_a_returned_text() {
    let capture = LogCapture::start();
    let mut scan = SecretScan::new();
    // Id 2 replies: PBKDF2 keeps the test fast in a debug build.
    let mock = MockMinio::builder()
        .reply_algorithm(Algorithm::Pbkdf2AesGcm)
        .start()
        .await;
    let provider = provider_for(&mock);

    let spec = spec("erin", plan(1, &["mn-small"]));
    run_lifecycle(
        &provider,
        &spec,
        &secret(NEW_PASSWORD),
        &plan(2, &["mn-large"]),
        &mut scan,
    )
    .await;

    // A wrong root secret key: refused, and the refusal names no key.
    let wrong = MinioProvider::builder(mock.url())
        .credentials(ROOT_ACCESS_KEY, secret(WRONG_ROOT_SECRET))
        .options(fast_options())
        .build()
        .unwrap();
    let refused = wrong.test_connection().await;
    assert!(refused.is_err(), "a wrong root secret key is refused");
    scan.result("test_connection with a wrong secret key", &refused);

    // A server fault on every admin call of a create.
    mock.inject(Fault::server_error(500).times(20));
    let faulted = provider.create_account(&spec).await;
    assert!(faulted.is_err(), "the injected fault fails the create");
    scan.result("create_account under a fault", &faulted);
    scan.debug("the provider", &provider);

    scan.secret("the tenant's secret key", PASSWORD)
        .secret("the tenant's new secret key", NEW_PASSWORD)
        .secret("the root secret key", ROOT_SECRET_KEY)
        .secret("the wrong root secret key", WRONG_ROOT_SECRET);
    scan.assert_captured(&capture, &["/minio/admin/v3/add-user", "/erin"]);
    scan.assert_clean(&capture);
}
