//! No secret in any log line, Debug or Display: a whole account lifecycle on the mock,
//! a wrong admin password and an injected fault, with every `tracing` event captured at
//! TRACE, scanned for the account passwords, the admin password and its Basic-auth
//! value.

mod common;

use common::*;
use provision_core::testkit::secrets::{run_lifecycle, LogCapture, SecretScan};
use provision_core::StorageProvider;
use provision_nextcloud::mock::{Fault, MockNextcloud, ADMIN_PASSWORD, ADMIN_USER};

const NEW_PASSWORD: &str = "Nw8#pQ3!vX6zT1rB";
const WRONG_ADMIN_PASSWORD: &str = "Wr0ng-Admin-Passw0rd!";

#[tokio::test(flavor = "current_thread")]
async fn no_secret_reaches_a_log_line_or_a_returned_text() {
    let capture = LogCapture::start();
    let mut scan = SecretScan::new();
    let mock = MockNextcloud::start().await;
    let provider = mock.provider().unwrap();

    let spec = spec("dana", plan("1 GB", &["nc-small"]));
    run_lifecycle(
        &provider,
        &spec,
        &secret(NEW_PASSWORD),
        &plan("2 GB", &["nc-large"]),
        &mut scan,
    )
    .await;

    // A refused login: the answer names no password.
    let wrong = mock
        .provider_builder()
        .credentials(ADMIN_USER, secret(WRONG_ADMIN_PASSWORD))
        .build()
        .unwrap();
    let refused = wrong.test_connection().await;
    assert!(refused.is_err(), "a wrong admin password is refused");
    scan.result("test_connection with a wrong password", &refused);

    // A server fault in the middle of a create.
    mock.inject(Fault::server_error(500).times(10));
    let faulted = provider.create_account(&spec).await;
    assert!(faulted.is_err(), "the injected fault fails the create");
    scan.result("create_account under a fault", &faulted);
    scan.debug("the provider", &provider);

    scan.secret("the account password", PASSWORD)
        .secret("the new account password", NEW_PASSWORD)
        .secret("the admin password", ADMIN_PASSWORD)
        .secret("the wrong admin password", WRONG_ADMIN_PASSWORD)
        .basic_auth(ADMIN_USER, ADMIN_PASSWORD)
        .basic_auth(ADMIN_USER, WRONG_ADMIN_PASSWORD);
    scan.assert_captured(&capture, &[CREATE_PATH, "/ocs/v2.php/cloud/users/dana"]);
    scan.assert_clean(&capture);
}
