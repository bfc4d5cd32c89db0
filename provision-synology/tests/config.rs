//! Building the provider from string keys, a URL with options, a configuration file and
//! the environment (core's one scheme), and the cleartext rule of core's `Endpoint`.

mod common;

use std::path::PathBuf;

use common::*;
use provision_core::config::{Config, ProviderBuilder};
use provision_core::error::{Error, InputError};
use provision_core::http::ClientOptions;
use provision_core::testkit::builder::{check_builder, BuilderCase};
use provision_core::StorageProvider;
use provision_synology::mock::MockSynology;
use provision_synology::{env, SynologyProvider, SynologyProviderBuilder};

/// A file holding the mock administrator's password, unique to `test`.
fn password_file(test: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("provision-synology-{test}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("password");
    std::fs::write(&path, format!("{}\n", MockSynology::ADMIN_PASSWORD)).unwrap();
    path
}

fn config_place(err: &Error) -> &str {
    match err {
        Error::Input(InputError::Config(c)) => &c.place,
        other => panic!("not a configuration error: {other:?}"),
    }
}

#[test]
fn the_shared_configuration_rules_hold() {
    check_builder::<SynologyProviderBuilder>(&BuilderCase {
        https_url: "https://nas.example.com:5001",
        sample_value: |key| match key {
            "usage_concurrency" | "usage_batch" => Some("7"),
            "session_label" | "device_name" | "otp_code" | "device_token" => Some("billing-1"),
            _ => None,
        },
        bad_values: &[("usage_batch", "many"), ("usage_concurrency", "lots")],
    });
    // The known keys are listed when one is misspelt.
    let err = SynologyProviderBuilder::new("nas.example.com")
        .with_config("usage_bacth", "5")
        .unwrap_err();
    assert_eq!(config_place(&err), "usage_bacth");
    assert!(err.to_string().contains("usage_batch"), "{err}");
}

#[test]
fn every_setting_key_is_accepted_and_secrets_stay_hidden() {
    for key in SynologyProviderBuilder::SETTING_KEYS {
        let (value, shown) = match *key {
            "usage_concurrency" | "usage_batch" => ("7", format!("{key}: 7")),
            "otp_code" | "device_token" => ("s3cret-v4lue", format!("{key}: Some(\"[redacted]\")")),
            _ => ("billing-1", format!("{key}: \"billing-1\"")),
        };
        let builder = SynologyProviderBuilder::new("nas.example.com")
            .with_config(key, value)
            .unwrap_or_else(|e| panic!("{key}: {e}"));
        let debug = format!("{builder:?}");
        assert!(debug.contains(&shown), "{key} not set: {debug}");
        assert!(!debug.contains("s3cret-v4lue"), "{debug}");
    }
}

#[tokio::test]
async fn from_url_opts_builds_a_working_provider() {
    let dsm = MockSynology::start().await;
    dsm.add_group(SMALL, "1 GB".parse().unwrap());
    let path = password_file("url-opts");
    let provider = SynologyProviderBuilder::from_url_opts(
        &dsm.url(),
        [
            ("user", MockSynology::ADMIN_ACCOUNT),
            ("password_file", path.to_str().unwrap()),
            ("timeout", "5s"),
            ("max_retries", "1"),
            ("session_label", "billing"),
            ("usage_batch", "10"),
        ],
    )
    .unwrap()
    .build_provider()
    .unwrap();
    assert!(provider.test_connection().await.unwrap().is_admin);
    provider
        .create_account(&spec("alice", small()))
        .await
        .unwrap();
    assert!(in_group(&dsm, "alice", SMALL));
    let login = dsm
        .requests()
        .into_iter()
        .find(|r| r.is_call("SYNO.API.Auth", "login"))
        .unwrap();
    assert_eq!(login.param("session"), Some("billing"));

    let err = SynologyProviderBuilder::from_url_opts(&dsm.url(), [("page_size", "10")])
        .map(drop)
        .unwrap_err();
    assert_eq!(config_place(&err), "page_size");
}

#[tokio::test]
async fn a_configuration_file_builds_a_working_provider() {
    let dsm = MockSynology::start().await;
    let path = password_file("config-file");
    let config = Config::from_toml(&format!(
        r#"
        [servers.nas]
        backend = "synology"
        url = "{url}"
        user = "{user}"
        password = {{ file = "{path}" }}
        usage_batch = 5
        device_name = "billing"
        options = {{ timeout = "5s" }}
        "#,
        url = dsm.url(),
        user = MockSynology::ADMIN_ACCOUNT,
        path = path.display(),
    ))
    .unwrap();
    let provider = config.servers["nas"]
        .build_with::<SynologyProviderBuilder>()
        .unwrap();
    assert!(provider.account(&user("alice")).await.unwrap().is_none());
}

#[tokio::test]
async fn a_device_token_in_a_file_comes_from_a_secret_source_only() {
    let dsm = MockSynology::start().await;
    let path = password_file("device-token");
    let token_file = path.with_file_name("device-token");
    std::fs::write(&token_file, "s3cret-d3vice\n").unwrap();
    let table = |device_token: &str| {
        format!(
            "[servers.nas]\nbackend = \"synology\"\nurl = \"{}\"\nuser = \"{}\"\n\
             password = {{ file = \"{}\" }}\ndevice_token = {device_token}\n",
            dsm.url(),
            MockSynology::ADMIN_ACCOUNT,
            path.display(),
        )
    };
    let from_file = Config::from_toml(&table(&format!(
        "{{ file = \"{}\" }}",
        token_file.display()
    )))
    .unwrap();
    let provider = from_file.servers["nas"]
        .build_with::<SynologyProviderBuilder>()
        .unwrap();
    assert!(provider.account(&user("alice")).await.unwrap().is_none());
    let sent = dsm.request_count();

    // As text in the file it is refused, naming the key, and no Debug shows it.
    let as_text = Config::from_toml(&table("\"s3cret-d3vice\"")).unwrap();
    let nas = &as_text.servers["nas"];
    assert!(!format!("{nas:?}").contains("s3cret-d3vice"), "{nas:?}");
    assert!(format!("{nas:?}").contains("device_token"), "{nas:?}");
    let Err(err) = nas.build_with::<SynologyProviderBuilder>() else {
        panic!("a device token as text was taken");
    };
    assert_eq!(config_place(&err), "device_token");
    assert!(err.to_string().contains("env"), "{err}");
    assert!(!err.to_string().contains("s3cret-d3vice"), "{err}");
    assert_eq!(dsm.request_count(), sent, "the refusal sent nothing");
}

/// DSM's own part of the cleartext rule: an allowed `http://` URL takes DSM's
/// cleartext port.
#[test]
fn allowed_cleartext_takes_the_dsm_http_port() {
    let allowed = SynologyProvider::builder("http://nas.example.com")
        .credentials("admin", secret("pw"))
        .options(ClientOptions::default().with_allow_insecure_http(true))
        .build()
        .unwrap();
    assert_eq!(
        allowed.client().base_url().as_str(),
        "http://nas.example.com:5000/webapi/"
    );
}

/// The only test of this binary that touches the environment.
#[tokio::test]
async fn from_env_reads_the_one_scheme() {
    let dsm = MockSynology::start().await;
    std::env::remove_var(env::URL);
    assert!(SynologyProvider::from_env().unwrap().is_none());
    std::env::set_var(env::URL, dsm.url());
    std::env::set_var(env::USER, MockSynology::ADMIN_ACCOUNT);
    std::env::remove_var(env::PASSWORD);
    let missing = SynologyProvider::from_env().unwrap_err();
    assert!(missing.to_string().contains(env::PASSWORD), "{missing}");
    std::env::set_var(env::PASSWORD, MockSynology::ADMIN_PASSWORD);
    std::env::set_var("PROVISION_SYNOLOGY_USAGE_BATCH", "3");
    std::env::set_var("PROVISION_SYNOLOGY_SESSION_LABEL", "from-env");
    std::env::set_var("PROVISION_SYNOLOGY_TIMEOUT", "5s");
    let provider = SynologyProvider::from_env().unwrap().unwrap();
    assert!(format!("{provider:?}").contains("usage_batch: 3"));
    assert!(provider.account(&user("alice")).await.unwrap().is_none());
    assert_eq!(
        dsm.requests()
            .into_iter()
            .find(|r| r.is_call("SYNO.API.Auth", "login"))
            .and_then(|r| r.param("session").map(str::to_string))
            .as_deref(),
        Some("from-env")
    );
    std::env::set_var("PROVISION_SYNOLOGY_USAGE_BATCH", "none");
    let err = SynologyProvider::from_env().unwrap_err();
    assert_eq!(config_place(&err), "usage_batch");
    for name in [
        env::URL,
        env::USER,
        env::PASSWORD,
        "PROVISION_SYNOLOGY_USAGE_BATCH",
        "PROVISION_SYNOLOGY_SESSION_LABEL",
        "PROVISION_SYNOLOGY_TIMEOUT",
    ] {
        std::env::remove_var(name);
    }
}
