//! Servers from a configuration file are recorded in the ledger with how to build them.

use std::sync::Arc;

use provision::nextcloud::mock::{MockNextcloud, ADMIN_PASSWORD, ADMIN_USER};
use provision::prelude::*;

#[tokio::test]
async fn a_configured_server_is_recorded_and_can_be_built_again_from_the_record() {
    let mock = MockNextcloud::start().await;
    let secret =
        std::env::temp_dir().join(format!("provision-ledger-servers-{}", std::process::id()));
    std::fs::write(&secret, ADMIN_PASSWORD).unwrap();
    let toml = format!(
        r#"
[servers.cloud]
backend = "nextcloud"
url = "{url}"
user = "{ADMIN_USER}"
password = {{ file = "{secret}" }}
options = {{ timeout = "5s" }}

[products.basic]
name_rule = "c{{client_id}}"
password_rule = 16
quota = 1
"#,
        url = mock.url(),
        secret = secret.display()
    );
    let config = Config::from_toml(&toml).unwrap();
    let ledger = Arc::new(SqlLedger::sqlite_in_memory().await.unwrap());
    let cycle = billing_cycle(ledger.clone(), &config).await.unwrap();
    let cloud = ServerId::new("cloud").unwrap();
    let created = cycle
        .create(&cloud, &ServiceContext::new("42", "1"), "basic")
        .await
        .unwrap();

    let record = ledger
        .server(&cloud)
        .await
        .unwrap()
        .expect("the server is recorded");
    assert_eq!(record.backend, "nextcloud");
    assert!(
        !record.config.contains(ADMIN_PASSWORD),
        "the record holds no secret"
    );
    assert!(record.config.contains("file"), "only the reference to it");
    let rebuilt = build_recorded(&record).unwrap();
    assert!(rebuilt.account(&created.username).await.unwrap().is_some());
    let _ = std::fs::remove_file(&secret);
}
