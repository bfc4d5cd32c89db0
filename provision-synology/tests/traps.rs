//! The traps of the DSM facts sheet, one test each.

mod common;

use std::time::Duration;

use common::*;
use provision_core::{
    AccountStatus, ByteSize, Error, ErrorKind, GroupName, Quota, StorageProvider,
};
use provision_synology::client::{Credentials, SynologyClient};
use provision_synology::mock::{Fault, MockSynology, NoiseMode};

#[tokio::test]
async fn every_call_but_discovery_is_a_post_with_no_secret_or_sid_in_the_url() {
    let (dsm, provider) = setup().await;
    provider.close().await.unwrap();
    dsm.reset_request_count();
    provider
        .create_account(&spec("alice", small()))
        .await
        .unwrap();
    provider
        .change_password(&user("alice"), &secret("An0ther-pw"))
        .await
        .unwrap();
    let requests = dsm.requests();
    assert!(requests.iter().any(|r| r.is_call("SYNO.API.Auth", "login")));
    for r in requests.iter().filter(|r| r.path != "/webapi/query.cgi") {
        assert_eq!(r.http_method, "POST", "{r:?}");
        assert!(r.query.is_empty(), "parameters in the URL: {}", r.query);
    }
    for secret in [MockSynology::ADMIN_PASSWORD, PASSWORD, "An0ther-pw"] {
        assert!(requests.iter().all(|r| !r.query.contains(secret)));
    }
}

#[tokio::test]
async fn json_api_strings_are_quoted_and_booleans_are_json_literals() {
    let (dsm, provider) = setup().await;
    provider
        .create_account(&spec("alice", small()))
        .await
        .unwrap();
    let create = dsm
        .requests()
        .into_iter()
        .find(|r| r.is_call("SYNO.Core.User", "create"))
        .unwrap();
    assert_eq!(create.param("name"), Some("\"alice\""));
    assert_eq!(create.param("password"), Some(&*format!("\"{PASSWORD}\"")));
    assert_eq!(create.param("expired"), Some("\"normal\""));
    assert_eq!(create.param("passwd_never_expire"), Some("true"));
    assert_eq!(create.param("cannot_chg_passwd"), Some("false"));
    assert_eq!(create.param("notify_by_email"), Some("false"));
    assert_eq!(create.param("send_password"), Some("false"));
    let add = dsm
        .requests()
        .into_iter()
        .find(|r| r.is_call("SYNO.Core.Group.Member", "add"))
        .unwrap();
    assert_eq!(add.param("name"), Some("[\"alice\"]"));
    assert_eq!(add.param("group"), Some(&*format!("\"{SMALL}\"")));
}

#[tokio::test]
async fn auth_parameters_are_sent_raw() {
    let dsm = MockSynology::start().await;
    let provider = dsm.provider_builder().build().unwrap();
    provider.client().login().await.unwrap();
    let login = dsm
        .requests()
        .into_iter()
        .find(|r| r.is_call("SYNO.API.Auth", "login"))
        .unwrap();
    assert_eq!(login.param("account"), Some(MockSynology::ADMIN_ACCOUNT));
    assert_eq!(login.param("passwd"), Some(MockSynology::ADMIN_PASSWORD));
    assert_eq!(login.param("version"), Some("7"));
    assert_eq!(login.param("session"), Some("provision"));
    assert_eq!(login.param("enable_syno_token"), Some("yes"));
}

#[tokio::test]
async fn the_csrf_token_goes_with_every_session_call() {
    let (dsm, provider) = setup().await;
    dsm.set_token_required(Some(103));
    provider
        .create_account(&spec("alice", small()))
        .await
        .unwrap();
    for r in dsm.requests() {
        assert!(
            r.header("x-syno-token").is_some_and(|t| !t.is_empty()),
            "{r:?}"
        );
        assert!(r.param("_sid").is_some(), "{r:?}");
    }
}

#[tokio::test]
async fn a_mutation_without_the_csrf_token_is_refused() {
    let dsm = MockSynology::start().await;
    dsm.set_noise(NoiseMode::Off);
    dsm.set_token_required(Some(103));
    // A login without enable_syno_token gets no token, as a careless client would.
    let form = [
        ("api", "SYNO.API.Auth"),
        ("version", "7"),
        ("method", "login"),
        ("account", MockSynology::ADMIN_ACCOUNT),
        ("passwd", MockSynology::ADMIN_PASSWORD),
    ];
    let http = reqwest::Client::new();
    let login: serde_json::Value = http
        .post(format!("{}/webapi/entry.cgi", dsm.url()))
        .form(&form)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let sid = login["data"]["sid"].as_str().unwrap().to_string();
    let create = [
        ("api", "SYNO.Core.User"),
        ("version", "1"),
        ("method", "create"),
        ("name", "\"alice\""),
        ("password", "\"Str0ng-Passw0rd\""),
        ("_sid", &sid),
    ];
    let answer: serde_json::Value = http
        .post(format!("{}/webapi/entry.cgi", dsm.url()))
        .form(&create)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(answer["error"]["code"], 103);
    assert!(dsm.user("alice").is_none());
}

#[tokio::test]
async fn group_list_lacks_gid_and_nothing_depends_on_it() {
    let (dsm, provider) = setup().await;
    let groups = provider.client().list_groups().await.unwrap();
    assert!(groups.iter().all(|g| g.gid.is_none()));
    provider
        .create_account(&spec("alice", small()))
        .await
        .unwrap();
    dsm.set_group_list_gid(true);
    let groups = provider.client().list_groups().await.unwrap();
    assert!(groups.iter().all(|g| g.gid.is_some()));
}

#[tokio::test]
async fn group_get_of_a_missing_group_is_a_success_with_an_error_item() {
    let (_dsm, provider) = setup().await;
    let missing = GroupName::new("nope").unwrap();
    assert_eq!(provider.client().group(&missing).await.unwrap(), None);
    let present = GroupName::new(SMALL).unwrap();
    assert!(provider.client().group(&present).await.unwrap().is_some());
}

#[tokio::test]
async fn a_transient_3106_on_get_does_not_hide_an_existing_user() {
    let (dsm, provider) = setup().await;
    provider
        .create_account(&spec("alice", small()))
        .await
        .unwrap();
    dsm.inject(Fault::api_error(3106).only("SYNO.Core.User.get").times(2));
    // Existence is decided by list, never by get.
    assert!(provider.account(&user("alice")).await.unwrap().is_some());
    let err = provider
        .create_account(&spec("alice", small()))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::AccountExists { .. }), "{err:?}");
    assert_eq!(dsm.calls("SYNO.Core.User", "get"), 0);
}

#[tokio::test]
async fn a_membership_call_that_silently_does_nothing_is_caught_and_undone() {
    let (dsm, provider) = setup().await;
    dsm.inject(Fault::silent_no_op().only("SYNO.Core.Group.Member.add"));
    let err = provider
        .create_account(&spec("alice", small()))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unexpected, "{err}");
    assert!(
        dsm.user("alice").is_none(),
        "the half-made account was deleted"
    );
}

#[tokio::test]
async fn a_change_plan_that_silently_does_nothing_is_caught_and_undone() {
    let (dsm, provider) = setup().await;
    provider
        .create_account(&spec("alice", small()))
        .await
        .unwrap();
    dsm.inject(Fault::silent_no_op().only("SYNO.Core.Group.Member.remove"));
    let err = provider
        .change_plan(&user("alice"), &small(), &large())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unexpected, "{err}");
    let groups = dsm.user("alice").unwrap().groups;
    assert!(
        groups.contains(&SMALL.to_string()),
        "old group kept: {groups:?}"
    );
    assert!(
        !groups.contains(&LARGE.to_string()),
        "join undone: {groups:?}"
    );
}

#[tokio::test]
async fn delete_sends_an_array_and_accepts_3102_inside_success() {
    let (dsm, provider) = setup().await;
    provider
        .create_account(&spec("alice", small()))
        .await
        .unwrap();
    provider.terminate(&user("alice")).await.unwrap();
    let delete = dsm
        .requests()
        .into_iter()
        .find(|r| r.is_call("SYNO.Core.User", "delete"))
        .unwrap();
    assert_eq!(delete.param("name"), Some("[\"alice\"]"));
    assert!(dsm.user("alice").is_none());
}

#[tokio::test]
async fn terminate_decides_by_existence_not_by_error_codes() {
    let (dsm, provider) = setup().await;
    provider.terminate(&user("never-was")).await.unwrap();
    assert_eq!(dsm.calls("SYNO.Core.User", "delete"), 0);
    assert_eq!(dsm.calls("SYNO.Core.User", "list"), 1);
}

#[tokio::test]
async fn names_are_case_insensitive_on_dsm() {
    let (dsm, provider) = setup().await;
    dsm.add_user("Alice", PASSWORD);
    let err = provider
        .create_account(&spec("alice", small()))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::AccountExists { .. }), "{err:?}");
    assert_eq!(dsm.calls("SYNO.Core.User", "create"), 0);
    let info = provider.account(&user("alice")).await.unwrap().unwrap();
    assert_eq!(info.username.as_str(), "Alice", "as DSM spells it");
    provider.terminate(&user("alice")).await.unwrap();
    assert!(dsm.user("Alice").is_none());
}

#[tokio::test]
async fn hidden_package_accounts_hold_their_names() {
    let (dsm, provider) = setup().await;
    dsm.hide_account("syncbot");
    assert!(provider.account(&user("syncbot")).await.unwrap().is_none());
    let err = provider
        .create_account(&spec("syncbot", small()))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::AccountExists { .. }), "{err:?}");
    assert_eq!(dsm.calls("SYNO.Core.User", "create"), 1, "only DSM knew");
}

#[tokio::test]
async fn any_expired_value_but_normal_reads_as_suspended() {
    let (dsm, provider) = setup().await;
    provider
        .create_account(&spec("alice", small()))
        .await
        .unwrap();
    dsm.set_expired("alice", "2030/1/31");
    let status = provider
        .account(&user("alice"))
        .await
        .unwrap()
        .unwrap()
        .status;
    assert_eq!(status, AccountStatus::Suspended);
    provider.unsuspend(&user("alice")).await.unwrap();
    assert_eq!(dsm.user("alice").unwrap().expired, "normal");
}

#[tokio::test]
async fn usage_is_mib_on_the_wire_and_may_be_fractional() {
    let (dsm, provider) = setup().await;
    provider
        .create_account(&spec("alice", small()))
        .await
        .unwrap();
    dsm.set_usage_mib("alice", 1234.5);
    let usage = provider.usage(&user("alice")).await.unwrap();
    assert_eq!(usage.used, Some(ByteSize::new(1_294_467_072)));
}

#[tokio::test]
async fn usage_reads_the_homes_volume_dsm_reports() {
    let (dsm, provider) = setup().await;
    provider
        .create_account(&spec("alice", small()))
        .await
        .unwrap();
    dsm.set_homes_volume("/volume2");
    dsm.set_usage("alice", ByteSize::new(42 << 20));
    let usage = provider.usage(&user("alice")).await.unwrap();
    assert_eq!(usage.used, Some(ByteSize::new(42 << 20)));
    assert_eq!(usage.quota, Some("1 GB".parse().unwrap()));
}

#[tokio::test]
async fn a_users_own_quota_overrides_the_group_limit() {
    let (dsm, provider) = setup().await;
    provider
        .create_account(&spec("alice", small()))
        .await
        .unwrap();
    dsm.set_user_quota("alice", "200 MB".parse::<Quota>().unwrap());
    let usage = provider.usage(&user("alice")).await.unwrap();
    assert_eq!(usage.quota, Some("200 MB".parse().unwrap()));
}

#[tokio::test]
async fn an_html_answer_is_a_transport_error() {
    let (dsm, provider) = setup().await;
    dsm.inject(Fault::html());
    let err = provider.account(&user("alice")).await.unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
}

#[tokio::test]
async fn auth_below_version_7_is_refused_by_the_provider() {
    let dsm = MockSynology::start().await;
    dsm.set_auth_max_version(6);
    let provider = dsm.provider_builder().build().unwrap();
    let err = provider
        .create_account(&spec("alice", small()))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Unsupported(_)), "{err:?}");
    assert!(provider.test_connection().await.is_err());
    assert_eq!(
        dsm.calls("SYNO.API.Auth", "login"),
        0,
        "refused after discovery"
    );
}

#[tokio::test]
async fn a_version_6_session_can_read_but_not_mutate() {
    let dsm = MockSynology::start().await;
    dsm.set_auth_max_version(6);
    let provider = dsm.provider_builder().build().unwrap();
    let client = provider.client();
    let session = client.login().await.unwrap();
    assert_eq!((session.auth_version, session.noise_ik), (6, false));
    let login = dsm
        .requests()
        .into_iter()
        .find(|r| r.is_call("SYNO.API.Auth", "login"))
        .unwrap();
    assert_eq!(login.path, "/webapi/auth.cgi", "DSM 6 logs in at auth.cgi");
    assert!(client.list_users().await.is_ok());
    let err = client.disable_user(&user("guest")).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::PermissionDenied);
    assert_eq!(err.server_code(), Some("105"));
}

#[tokio::test]
async fn a_missing_core_api_is_refused() {
    let dsm = MockSynology::start().await;
    dsm.remove_api("SYNO.Core.Quota");
    let provider = dsm.provider_builder().build().unwrap();
    let err = provider.usage(&user("alice")).await.unwrap_err();
    assert!(err.to_string().contains("SYNO.Core.Quota"), "{err}");
    assert_eq!(err.kind(), ErrorKind::Unsupported);
}

#[tokio::test]
async fn a_credentials_error_is_never_retried() {
    let dsm = MockSynology::start().await;
    let provider = provision_synology::SynologyProvider::builder(dsm.url())
        .credentials(MockSynology::ADMIN_ACCOUNT, secret("wrong-password"))
        .options(MockSynology::fast_client_options())
        .build()
        .unwrap();
    for _ in 0..3 {
        let err = provider.account(&user("alice")).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::PermissionDenied);
        assert_eq!(err.server_code(), Some("400"));
    }
    assert_eq!(dsm.calls("SYNO.API.Auth", "login"), 1);
    assert_eq!(dsm.failed_logins(), 1);
}

#[tokio::test]
async fn auto_block_answers_407_even_to_the_right_password() {
    let dsm = MockSynology::start().await;
    dsm.set_auto_block(Some(2));
    for _ in 0..2 {
        let wrong = SynologyClient::new(
            &dsm.url(),
            Credentials::new(MockSynology::ADMIN_ACCOUNT, secret("wrong")),
            "provision",
            &MockSynology::fast_client_options(),
        )
        .unwrap();
        assert_eq!(wrong.login().await.unwrap_err().server_code(), Some("400"));
    }
    let provider = dsm.provider_builder().build().unwrap();
    let err = provider.test_connection().await.unwrap_err();
    assert_eq!(err.server_code(), Some("407"));
    assert!(!err.is_retryable());
}

#[tokio::test]
async fn a_disabled_account_cannot_log_in() {
    let dsm = MockSynology::start().await;
    dsm.add_admin("ops", "0ps-Password");
    dsm.set_expired("ops", "now");
    let provider = provision_synology::SynologyProvider::builder(dsm.url())
        .credentials("ops", secret("0ps-Password"))
        .options(MockSynology::fast_client_options())
        .build()
        .unwrap();
    assert_eq!(
        provider.test_connection().await.unwrap_err().server_code(),
        Some("401")
    );
}

#[tokio::test]
async fn an_idle_session_expires_and_is_replaced_once() {
    let (dsm, provider) = setup().await;
    dsm.set_idle_timeout(Duration::from_secs(600));
    dsm.advance_clock(Duration::from_secs(601));
    assert_eq!(dsm.session_count(), 0);
    assert!(provider.account(&user("alice")).await.unwrap().is_none());
    assert_eq!(dsm.calls("SYNO.API.Auth", "login"), 1);
    assert_eq!(dsm.session_count(), 1);
}

#[tokio::test]
async fn a_policy_refusal_by_dsm_is_invalid_input_with_dsms_code() {
    let (dsm, provider) = setup().await;
    // The provider has cached the lenient policy; DSM's is stricter since.
    dsm.set_password_policy(provision_synology::client::PasswordPolicy {
        min_length: Some(8),
        ..Default::default()
    });
    provider
        .create_account(&spec("alice", small()))
        .await
        .unwrap();
    dsm.set_password_policy(provision_synology::client::PasswordPolicy {
        min_length: Some(30),
        ..Default::default()
    });
    for code in [3117, 3121, 3123] {
        dsm.set_password_error_code(code);
        let err = provider
            .change_password(&user("alice"), &secret("Str0nger-Passw0rd"))
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput);
        assert_eq!(err.server_code(), Some(&*code.to_string()));
    }
    let mut s = spec("bob", small());
    s.password = secret("Str0nger-Passw0rd");
    let err = provider.create_account(&s).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert!(dsm.user("bob").is_none());
}

#[tokio::test]
async fn noise_hashes_go_with_every_request_and_never_repeat_a_nonce() {
    let (dsm, provider) = setup().await;
    dsm.set_noise(NoiseMode::Required);
    provider
        .create_account(&spec("alice", small()))
        .await
        .unwrap();
    provider.suspend(&user("alice")).await.unwrap();
    let hashes: Vec<String> = dsm
        .requests()
        .iter()
        .map(|r| r.header("x-syno-hash").unwrap().to_string())
        .collect();
    let prefixes: std::collections::BTreeSet<&str> = hashes.iter().map(|h| &h[..8]).collect();
    assert_eq!(prefixes.len(), 1, "one handshake: {prefixes:?}");
    let nonces: std::collections::BTreeSet<&str> = hashes
        .iter()
        .map(|h| h.rsplit('.').next().unwrap())
        .collect();
    assert_eq!(nonces.len(), hashes.len(), "nonces repeat");
    assert_eq!(dsm.user("alice").unwrap().expired, "now");
}

#[tokio::test]
async fn without_noise_the_login_is_a_plain_v7_login() {
    let dsm = MockSynology::start().await;
    dsm.set_noise(NoiseMode::Off);
    dsm.add_group(SMALL, "1 GB".parse().unwrap());
    let provider = dsm.provider_builder().build().unwrap();
    let info = provider.test_connection().await.unwrap();
    assert_eq!(
        info.details.get("noise_ik").map(String::as_str),
        Some("off")
    );
    provider
        .create_account(&spec("alice", small()))
        .await
        .unwrap();
    let login = dsm
        .requests()
        .into_iter()
        .find(|r| r.is_call("SYNO.API.Auth", "login"))
        .unwrap();
    assert!(login.param("ik_message").is_none());
    assert!(dsm
        .requests()
        .iter()
        .all(|r| r.header("x-syno-hash").is_none()));
}

#[tokio::test]
async fn required_noise_refuses_mutations_without_a_hash() {
    let dsm = MockSynology::start().await;
    // A client on a DSM that offered no key logs in plainly; then the DSM demands hashes.
    dsm.set_noise(NoiseMode::Off);
    let provider = dsm.provider_builder().build().unwrap();
    provider.client().login().await.unwrap();
    dsm.set_noise(NoiseMode::Required);
    assert!(provider.client().list_users().await.is_ok(), "reads pass");
    let err = provider
        .client()
        .disable_user(&user("guest"))
        .await
        .unwrap_err();
    assert_eq!(err.server_code(), Some("105"));
}

#[tokio::test]
async fn the_login_sends_a_noise_message_built_for_the_dsm_key() {
    let dsm = MockSynology::start().await;
    let provider = dsm.provider_builder().build().unwrap();
    let session = provider.client().login().await.unwrap();
    assert_eq!((session.auth_version, session.noise_ik), (7, true));
    let login = dsm
        .requests()
        .into_iter()
        .find(|r| r.is_call("SYNO.API.Auth", "login"))
        .unwrap();
    let ik = login.param("ik_message").unwrap();
    assert!(
        !ik.contains(['+', '/', '=']),
        "URL-safe unpadded base64: {ik}"
    );
    assert_eq!(login.param("client"), Some("browser"));
    assert!(dsm.calls("SYNO.API.Auth.UIConfig", "get") == 1);
}

/// A raw session (no Noise) for requests the client would never send.
struct RawSession {
    http: reqwest::Client,
    url: String,
    sid: String,
    token: String,
}

impl RawSession {
    async fn open(dsm: &MockSynology) -> RawSession {
        dsm.set_noise(NoiseMode::Off);
        let http = reqwest::Client::new();
        let url = format!("{}/webapi/entry.cgi", dsm.url());
        let login: serde_json::Value = http
            .post(&url)
            .form(&[
                ("api", "SYNO.API.Auth"),
                ("version", "7"),
                ("method", "login"),
                ("account", MockSynology::ADMIN_ACCOUNT),
                ("passwd", MockSynology::ADMIN_PASSWORD),
                ("enable_syno_token", "yes"),
            ])
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        RawSession {
            http,
            url,
            sid: login["data"]["sid"].as_str().unwrap().to_string(),
            token: login["data"]["synotoken"].as_str().unwrap().to_string(),
        }
    }

    async fn call(&self, form: &[(&str, &str)]) -> serde_json::Value {
        let mut form = form.to_vec();
        form.push(("_sid", &self.sid));
        self.http
            .post(&self.url)
            .header("X-SYNO-TOKEN", &self.token)
            .form(&form)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }
}

#[tokio::test]
async fn a_python_style_boolean_is_refused_with_3103() {
    let dsm = MockSynology::start().await;
    let raw = RawSession::open(&dsm).await;
    let answer = raw
        .call(&[
            ("api", "SYNO.Core.User"),
            ("version", "1"),
            ("method", "create"),
            ("name", "\"alice\""),
            ("password", "\"Str0ng-Passw0rd\""),
            ("passwd_never_expire", "True"),
        ])
        .await;
    assert_eq!(answer["error"]["code"], 3103);
    assert!(dsm.user("alice").is_none());
}

#[tokio::test]
async fn a_delete_naming_a_bare_string_is_refused_with_3101() {
    let dsm = MockSynology::start().await;
    dsm.add_user("alice", PASSWORD);
    let raw = RawSession::open(&dsm).await;
    let base = [
        ("api", "SYNO.Core.User"),
        ("version", "1"),
        ("method", "delete"),
    ];
    let bare = raw
        .call(&[&base[..], &[("name", "\"alice\"")]].concat())
        .await;
    assert_eq!(bare["error"]["code"], 3101);
    assert!(dsm.user("alice").is_some());
    let array = raw
        .call(&[&base[..], &[("name", "[\"alice\"]")]].concat())
        .await;
    assert_eq!(array["success"], true);
    assert_eq!(array["data"]["errors"], serde_json::json!([3102]));
}

#[tokio::test]
async fn the_version_is_checked_before_the_method() {
    let dsm = MockSynology::start().await;
    let raw = RawSession::open(&dsm).await;
    let answer = raw
        .call(&[
            ("api", "SYNO.DSM.Info"),
            ("version", "1"),
            ("method", "nonsense"),
        ])
        .await;
    assert_eq!(answer["error"]["code"], 104);
    let answer = raw
        .call(&[
            ("api", "SYNO.DSM.Info"),
            ("version", "2"),
            ("method", "nonsense"),
        ])
        .await;
    assert_eq!(answer["error"]["code"], 103);
}

#[tokio::test]
async fn a_membership_add_with_an_unknown_parameter_name_adds_nobody_and_succeeds() {
    let dsm = MockSynology::start().await;
    dsm.add_group(SMALL, Quota::Unlimited);
    dsm.add_user("alice", PASSWORD);
    let raw = RawSession::open(&dsm).await;
    let answer = raw
        .call(&[
            ("api", "SYNO.Core.Group.Member"),
            ("version", "1"),
            ("method", "add"),
            ("group", "\"plan-small\""),
            ("members", "[\"alice\"]"),
        ])
        .await;
    assert_eq!(answer["success"], true);
    assert_eq!(dsm.group_members(SMALL).unwrap(), Vec::<String>::new());
}

#[tokio::test]
async fn logging_out_an_expired_session_succeeds() {
    let (dsm, provider) = setup().await;
    dsm.expire_sessions();
    provider.close().await.unwrap();
}

#[tokio::test]
async fn uids_are_never_reused() {
    let (dsm, provider) = setup().await;
    provider
        .create_account(&spec("alice", small()))
        .await
        .unwrap();
    let first = dsm.user("alice").unwrap().uid;
    provider.terminate(&user("alice")).await.unwrap();
    provider
        .create_account(&spec("alice", small()))
        .await
        .unwrap();
    assert!(dsm.user("alice").unwrap().uid > first);
}

#[tokio::test]
async fn default_accounts_cannot_be_deleted() {
    let (_dsm, provider) = setup().await;
    let err = provider
        .client()
        .delete_user(&user("admin"))
        .await
        .unwrap_err();
    assert_eq!(err.server_code(), Some("3115"));
    assert_eq!(err.kind(), ErrorKind::PermissionDenied);
}

#[tokio::test]
async fn the_last_active_administrator_cannot_be_disabled() {
    let (_dsm, provider) = setup().await;
    let me = user(MockSynology::ADMIN_ACCOUNT);
    let err = provider.client().disable_user(&me).await.unwrap_err();
    assert_eq!(err.server_code(), Some("3109"));
}

#[tokio::test]
async fn lists_are_paged_until_dsms_total() {
    let (dsm, provider) = setup().await;
    for i in 0..7 {
        dsm.add_user(&format!("page{i}"), PASSWORD);
    }
    dsm.set_max_page(Some(3));
    let users = provider.client().list_users().await.unwrap();
    assert_eq!(users.len(), dsm.user_names().len());
    assert_eq!(dsm.calls("SYNO.Core.User", "list"), users.len().div_ceil(3));
    let groups = provider.list_groups().await.unwrap();
    assert_eq!(groups.len(), 5);
}

#[tokio::test]
async fn a_compound_request_answers_each_call_in_order_and_can_stop_at_a_failure() {
    let dsm = MockSynology::start().await;
    dsm.add_user("alice", PASSWORD);
    let raw = RawSession::open(&dsm).await;
    let calls = serde_json::json!([
        {"api": "SYNO.Core.User", "method": "get", "version": 1, "name": "alice"},
        {"api": "SYNO.Core.User", "method": "get", "version": 1, "name": "nobody"},
        {"api": "SYNO.Core.User", "method": "create", "version": 1,
         "name": "bob", "password": "Str0ng-Passw0rd"},
    ])
    .to_string();
    let base = [
        ("api", "SYNO.Entry.Request"),
        ("version", "1"),
        ("method", "request"),
        ("mode", "\"sequential\""),
        ("compound", calls.as_str()),
    ];
    let stopped = raw
        .call(&[&base[..], &[("stop_when_error", "true")]].concat())
        .await;
    assert_eq!(stopped["success"], true);
    assert_eq!(stopped["data"]["has_fail"], true);
    let results = stopped["data"]["result"].as_array().unwrap();
    assert_eq!(results.len(), 2, "stopped after the failure: {results:?}");
    assert_eq!(results[0]["success"], true);
    assert_eq!(results[0]["data"]["users"][0]["name"], "alice");
    assert_eq!(results[1]["error"]["code"], 3106);
    assert!(dsm.user("bob").is_none());

    let all = raw
        .call(&[&base[..], &[("stop_when_error", "false")]].concat())
        .await;
    let results = all["data"]["result"].as_array().unwrap();
    assert_eq!(results.len(), 3);
    assert_eq!(results[2]["api"], "SYNO.Core.User");
    assert_eq!(results[2]["method"], "create");
    assert_eq!(results[2]["success"], true, "{all}");
    assert!(
        dsm.user("bob").is_some(),
        "mutations run inside a batch too"
    );
}

#[tokio::test]
async fn a_compound_without_a_list_is_refused() {
    let dsm = MockSynology::start().await;
    let raw = RawSession::open(&dsm).await;
    let base = [
        ("api", "SYNO.Entry.Request"),
        ("version", "1"),
        ("method", "request"),
    ];
    let missing = raw.call(&base).await;
    assert_eq!(missing["error"]["code"], 114);
    let not_a_list = raw
        .call(&[&base[..], &[("compound", "{\"api\":\"SYNO.Core.User\"}")]].concat())
        .await;
    assert_eq!(not_a_list["error"]["code"], 113);
}
