//! Accounts with two-step verification: OTP, device tokens, their names and errors.

mod common;

use common::*;
use provision_core::{ErrorKind, ExposeSecret, StorageProvider};
use provision_synology::client::{Credentials, SynologyClient};
use provision_synology::mock::MockSynology;
use provision_synology::SynologyProvider;

const OPERATOR: &str = "billing";
const OPERATOR_PASSWORD: &str = "B1lling-Operator";

async fn dsm_with_2fa_admin() -> (MockSynology, String) {
    let dsm = MockSynology::start().await;
    dsm.add_admin(OPERATOR, OPERATOR_PASSWORD);
    let code = dsm.enable_two_factor(OPERATOR).unwrap();
    (dsm, code)
}

fn builder(dsm: &MockSynology) -> provision_synology::SynologyProviderBuilder {
    SynologyProvider::builder(dsm.url())
        .credentials(OPERATOR, secret(OPERATOR_PASSWORD))
        .options(MockSynology::fast_client_options())
}

#[tokio::test]
async fn without_a_code_the_login_asks_for_one_and_is_not_retried() {
    let (dsm, _) = dsm_with_2fa_admin().await;
    let provider = builder(&dsm).build().unwrap();
    for _ in 0..2 {
        let err = provider.test_connection().await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::PermissionDenied);
        assert_eq!(err.server_code(), Some("403"));
    }
    assert_eq!(dsm.calls("SYNO.API.Auth", "login"), 1);
}

#[tokio::test]
async fn a_code_logs_in_and_yields_a_device_token_for_later_runs() {
    let (dsm, code) = dsm_with_2fa_admin().await;
    let provider = builder(&dsm).otp_code(secret(&code)).build().unwrap();
    let info = provider.test_connection().await.unwrap();
    assert!(info.is_admin);
    let token = provider.device_token().expect("DSM issued a device token");
    let login = dsm
        .requests()
        .into_iter()
        .find(|r| r.is_call("SYNO.API.Auth", "login"))
        .unwrap();
    assert_eq!(login.param("otp_code"), Some(code.as_str()));
    assert_eq!(login.param("enable_device_token"), Some("yes"));
    assert_eq!(login.param("device_name"), Some("provision"));

    // The session expires: the re-login uses the token, not the spent code.
    dsm.expire_sessions();
    provider.account(&user("alice")).await.unwrap();
    let relogin = dsm
        .requests()
        .into_iter()
        .filter(|r| r.is_call("SYNO.API.Auth", "login"))
        .nth(1)
        .unwrap();
    assert_eq!(relogin.param("device_id"), Some(token.expose_secret()));
    assert!(relogin.param("otp_code").is_none());

    // A later run with the stored token needs no code at all.
    let later = builder(&dsm).device_token(token).build().unwrap();
    assert!(later.test_connection().await.unwrap().is_admin);
}

#[tokio::test]
async fn a_2fa_account_provisions_like_any_other() {
    let (dsm, code) = dsm_with_2fa_admin().await;
    dsm.add_group(SMALL, "1 GB".parse().unwrap());
    let provider = builder(&dsm).otp_code(secret(&code)).build().unwrap();
    provider
        .create_account(&spec("alice", small()))
        .await
        .unwrap();
    provider.suspend(&user("alice")).await.unwrap();
    provider.terminate(&user("alice")).await.unwrap();
    assert!(dsm.user("alice").is_none());
}

#[tokio::test]
async fn a_wrong_or_reused_code_is_refused() {
    let (dsm, code) = dsm_with_2fa_admin().await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let provider = builder(&dsm).otp_code(secret(wrong)).build().unwrap();
    assert_eq!(
        provider.test_connection().await.unwrap_err().server_code(),
        Some("404")
    );

    let first = builder(&dsm).otp_code(secret(&code)).build().unwrap();
    first.test_connection().await.unwrap();
    let replay = builder(&dsm).otp_code(secret(&code)).build().unwrap();
    assert_eq!(
        replay.test_connection().await.unwrap_err().server_code(),
        Some("404")
    );
}

#[tokio::test]
async fn an_unknown_device_token_falls_back_to_the_code() {
    let (dsm, code) = dsm_with_2fa_admin().await;
    let provider = builder(&dsm)
        .device_token(secret("revoked-token"))
        .otp_code(secret(&code))
        .build()
        .unwrap();
    provider.test_connection().await.unwrap();
    let token = provider.device_token().unwrap();
    assert_ne!(
        token.expose_secret(),
        "revoked-token",
        "a fresh token replaced it"
    );
}

#[tokio::test]
async fn a_policy_demanding_2fa_refuses_accounts_without_it() {
    let dsm = MockSynology::start().await;
    dsm.require_two_factor(true);
    let provider = dsm.provider_builder().build().unwrap();
    assert_eq!(
        provider.test_connection().await.unwrap_err().server_code(),
        Some("406")
    );
}

#[tokio::test]
async fn auth_v6_names_the_device_token_did() {
    let (dsm, code) = dsm_with_2fa_admin().await;
    dsm.set_auth_max_version(6);
    let client = SynologyClient::new(
        &dsm.url(),
        Credentials::new(OPERATOR, secret(OPERATOR_PASSWORD)).with_otp_code(secret(&code)),
        "provision",
        &MockSynology::fast_client_options(),
    )
    .unwrap();
    assert_eq!(client.login().await.unwrap().auth_version, 6);
    assert!(client.device_token().is_some(), "read from `did`");
}
