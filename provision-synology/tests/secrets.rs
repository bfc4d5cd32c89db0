//! No secret in any log line, Debug or Display: a whole account lifecycle on the mock
//! with a two-step-verification administrator, a wrong admin password and an injected
//! fault, with every `tracing` event captured at TRACE, scanned for the account
//! passwords, the admin password, the device token, every session
//! id (`_sid`) and SynoToken the client sent.

mod common;

use common::*;
use provision_core::testkit::secrets::{run_lifecycle, LogCapture, SecretScan};
use provision_core::{ExposeSecret, StorageProvider};
use provision_synology::mock::{Fault, MockSynology};
use provision_synology::SynologyProvider;

const OPERATOR: &str = "billing";
const OPERATOR_PASSWORD: &str = "B1lling-Operator-Secret";
const NEW_PASSWORD: &str = "N3w-Str0ng-Passw0rd";
const WRONG_PASSWORD: &str = "Wr0ng-Operator-Secret";

fn builder(dsm: &MockSynology, password: &str) -> provision_synology::SynologyProviderBuilder {
    SynologyProvider::builder(dsm.url())
        .credentials(OPERATOR, secret(password))
        .options(MockSynology::fast_client_options())
}

#[tokio::test(flavor = "current_thread")]
async fn no_secret_reaches_a_log_line_or_a_returned_text() {
    let capture = LogCapture::start();
    let mut scan = SecretScan::new();
    let dsm = MockSynology::start().await;
    dsm.add_group(SMALL, "1 GB".parse().unwrap());
    dsm.add_group(LARGE, "5 GB".parse().unwrap());
    dsm.add_admin(OPERATOR, OPERATOR_PASSWORD);
    let otp = dsm.enable_two_factor(OPERATOR).unwrap();
    let provider = builder(&dsm, OPERATOR_PASSWORD)
        .otp_code(secret(&otp))
        .build()
        .unwrap();

    run_lifecycle(
        &provider,
        &spec("frank", small()),
        &secret(NEW_PASSWORD),
        &large(),
        &mut scan,
    )
    .await;
    let device_token = provider
        .device_token()
        .expect("DSM issued a device token for the 2FA login");

    // A session that expires mid-way: the re-login sends the device token.
    dsm.expire_sessions();
    let account = provider.account(&user("nobody")).await;
    scan.result("account after a re-login", &account);
    account.unwrap();

    // A wrong admin password: refused, and the refusal names no secret.
    let wrong = builder(&dsm, WRONG_PASSWORD).build().unwrap();
    let refused = wrong.test_connection().await;
    assert!(refused.is_err(), "a wrong admin password is refused");
    scan.result("test_connection with a wrong password", &refused);

    // An injected DSM error code on a create.
    dsm.inject(Fault::api_error(3100).times(10));
    let faulted = provider.create_account(&spec("grace", small())).await;
    assert!(faulted.is_err(), "the injected fault fails the create");
    scan.result("create_account under a fault", &faulted);
    scan.debug("the provider", &provider);

    let sent = dsm.requests();
    let sids: Vec<String> = sent
        .iter()
        .filter_map(|r| r.param("_sid").map(str::to_string))
        .collect();
    let tokens: Vec<String> = sent
        .iter()
        .filter_map(|r| r.header("X-SYNO-TOKEN").map(str::to_string))
        .collect();
    assert!(
        !sids.is_empty() && !tokens.is_empty(),
        "the client sent sessions"
    );
    for sid in &sids {
        scan.secret("a session id (sid)", sid);
    }
    for token in &tokens {
        scan.secret("a SynoToken", token);
    }
    scan.secret("the account password", PASSWORD)
        .secret("the new account password", NEW_PASSWORD)
        .secret("the admin password", OPERATOR_PASSWORD)
        .secret("the wrong admin password", WRONG_PASSWORD)
        .secret("the device token", device_token.expose_secret());
    scan.assert_captured(&capture, &["/webapi/entry.cgi", "/webapi/query.cgi"]);
    scan.assert_clean(&capture);
}
