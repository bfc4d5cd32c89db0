//! Building the provider from configuration: core's shared builder rules (keys, URL,
//! cleartext), a URL with string options and a `[servers.NAME]` table against the mock.

mod common;

use std::path::PathBuf;

use common::*;
use provision_core::config::{Config, ProviderBuilder};
use provision_core::testkit::builder::{check_builder, BuilderCase};
use provision_nextcloud::mock::{MockNextcloud, ADMIN_PASSWORD, ADMIN_USER};
use provision_nextcloud::NextcloudProviderBuilder;

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

#[test]
fn the_shared_configuration_rules_hold() {
    check_builder::<NextcloudProviderBuilder>(&BuilderCase {
        https_url: "https://cloud.example.com/nextcloud",
        sample_value: |key| match key {
            "page_size" => Some("200"),
            "ocs_version" => Some("v1"),
            _ => None,
        },
        bad_values: &[("page_size", "many"), ("ocs_version", "v3")],
    });
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
