//! Building the provider from configuration: core's `ProviderBuilder` keys, a URL with
//! string options, a `[servers.NAME]` table, and the endpoint rules.

mod common;

use std::path::PathBuf;

use common::*;
use provision_core::config::{Config, ProviderBuilder};
use provision_core::error::InputError;
use provision_core::http::ClientOptions;
use provision_core::{Error, ErrorKind};
use provision_nextcloud::mock::{MockNextcloud, ADMIN_PASSWORD, ADMIN_USER};
use provision_nextcloud::{NextcloudProvider, NextcloudProviderBuilder};

/// A file holding the mock admin's password, removed when dropped.
struct PasswordFile(PathBuf);

impl PasswordFile {
    fn new(test: &str) -> Self {
        let path =
            std::env::temp_dir().join(format!("provision-nextcloud-{test}-{}", std::process::id()));
        std::fs::write(&path, format!("{ADMIN_PASSWORD}\n")).unwrap();
        PasswordFile(path)
    }

    fn path(&self) -> &str {
        self.0.to_str().unwrap()
    }
}

impl Drop for PasswordFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// A value each of the builder's own keys accepts; a key added without one fails here.
fn sample_value(key: &str) -> &'static str {
    match key {
        "page_size" => "200",
        "ocs_version" => "v1",
        other => panic!("no sample value for the new key {other:?}"),
    }
}

#[test]
fn every_setting_key_is_accepted() {
    assert!(!NextcloudProviderBuilder::SETTING_KEYS.is_empty());
    for key in NextcloudProviderBuilder::SETTING_KEYS {
        let builder =
            <NextcloudProviderBuilder as ProviderBuilder>::new("https://cloud.example.com")
                .with_config(key, sample_value(key));
        assert!(builder.is_ok(), "{key}: {:?}", builder.err());
    }
}

#[test]
fn setting_values_that_do_not_parse_name_their_key() {
    for (key, value) in [("page_size", "many"), ("ocs_version", "v3")] {
        let err = <NextcloudProviderBuilder as ProviderBuilder>::new("https://cloud.example.com")
            .with_config(key, value)
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput, "{key}");
        assert!(err.to_string().contains(key), "{key}: {err}");
    }
}

#[test]
fn an_unknown_key_is_refused_with_its_name() {
    let err = <NextcloudProviderBuilder as ProviderBuilder>::new("https://cloud.example.com")
        .with_config("page_sise", "5")
        .unwrap_err();
    assert!(
        matches!(&err, Error::Input(InputError::Config(c)) if c.place == "page_sise"),
        "{err:?}"
    );
    assert!(err.to_string().contains("page_sise"), "{err}");
    let err = NextcloudProviderBuilder::from_url_opts(
        "https://cloud.example.com",
        [("user", "admin"), ("timeuot", "5s")],
    )
    .unwrap_err();
    assert!(err.to_string().contains("timeuot"), "{err}");
}

#[tokio::test]
async fn from_url_opts_builds_a_working_provider() {
    let mock = MockNextcloud::start().await;
    let password = PasswordFile::new("url-opts");
    let provider = NextcloudProviderBuilder::from_url_opts(
        &mock.url(),
        [
            ("user", ADMIN_USER),
            ("password_file", password.path()),
            ("timeout", "5s"),
            ("max_retries", "1"),
            ("page_size", "2"),
            ("ocs_version", "v1"),
        ],
    )
    .unwrap()
    .build_provider()
    .unwrap();
    assert!(provider.test_connection().await.unwrap().is_admin);
    for name in ["ulla", "uwe", "uma"] {
        provider
            .create_account(&spec(name, plan("1 GB", &[])))
            .await
            .unwrap();
    }
    // The admin and three accounts, in pages of two.
    assert_eq!(provider.usage_all().await.unwrap().len(), 4);
    assert_eq!(
        count(&mock, "GET", "/users/details"),
        3,
        "two full pages and an empty one"
    );
    assert!(mock.requests().iter().all(|r| r.contains("/ocs/v1.php/")));
}

#[tokio::test]
async fn a_servers_table_builds_a_working_provider() {
    let mock = MockNextcloud::start().await;
    let password = PasswordFile::new("servers-table");
    let config = Config::from_toml(&format!(
        r#"
        [servers.cloud]
        backend = "nextcloud"
        url = "{}"
        user = "{ADMIN_USER}"
        password = {{ file = "{}" }}
        page_size = 100
        options = {{ timeout = "5s" }}
        "#,
        mock.url(),
        password.path()
    ))
    .unwrap();
    let provider = config.servers["cloud"]
        .build_with::<NextcloudProviderBuilder>()
        .unwrap();
    provider
        .create_account(&spec("tara", plan("2 GB", &["from-toml"])))
        .await
        .unwrap();
    assert_eq!(mock.user("tara").unwrap().groups, vec!["from-toml"]);
}

#[test]
fn cleartext_http_is_refused_except_to_loopback_unless_allowed() {
    let build = |url: &str, options: ClientOptions| {
        NextcloudProvider::builder(url)
            .credentials("admin", secret("pw"))
            .options(options)
            .build()
    };
    let err = build("http://cloud.example.com", ClientOptions::default()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert!(err.to_string().contains("allow_insecure_http"), "{err}");
    assert!(build("http://10.0.0.5:8080", ClientOptions::default()).is_err());
    assert!(build("http://127.0.0.1:8080", ClientOptions::default()).is_ok());
    assert!(build("http://localhost", ClientOptions::default()).is_ok());
    assert!(build("https://cloud.example.com", ClientOptions::default()).is_ok());
    let allowed = ClientOptions::default().with_allow_insecure_http(true);
    assert!(build("http://cloud.example.com", allowed).is_ok());
    // The same switch as a string option.
    let password = PasswordFile::new("insecure");
    let opts = |allow: &'static str| {
        [
            ("user", "admin"),
            ("password_file", password.path()),
            ("allow_insecure_http", allow),
        ]
    };
    let refused = NextcloudProviderBuilder::from_url_opts("http://10.0.0.5", opts("false"))
        .unwrap()
        .build();
    assert!(refused.is_err());
    let allowed = NextcloudProviderBuilder::from_url_opts("http://10.0.0.5", opts("true"))
        .unwrap()
        .build();
    assert!(allowed.is_ok(), "{:?}", allowed.err());
}

/// What the crate's own URL parser refused, the shared endpoint rules refuse too.
#[test]
fn base_url_rules() {
    let build = |url: &str| {
        NextcloudProvider::builder(url)
            .credentials("admin", secret("pw"))
            .build()
    };
    assert!(build("https://cloud.example.com/nextcloud").is_ok());
    assert!(build("ftp://x").is_err());
    assert!(build("https://admin:pw@x").is_err());
    assert!(build("https://x/?a=b").is_err());
    assert!(build("not a url").is_err());
    let err = build("https://admin:hunter2@x").unwrap_err();
    assert!(!err.to_string().contains("hunter2"), "{err}");
}
