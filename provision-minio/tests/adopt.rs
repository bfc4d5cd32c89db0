//! Adopting accounts another module made (issue 15's migration): a user whose policies
//! reach only its namespace is recorded; one reaching other buckets is reported with
//! them, and nothing is recorded or changed.

mod common;

use std::sync::Arc;

use common::*;
use provision_core::cycle::{Adopted, BillingCycle};
use provision_core::ledger::{Ledger, ServerId, ServiceKey, SqlLedger};
use provision_core::provisioner::{ProductConfig, ServiceContext};
use provision_core::{Adoption, Error, StorageProvider};
use provision_minio::client::PolicyEntity;
use serde_json::json;

/// A user with a canned policy of another module's making, reaching `resources`.
async fn made_elsewhere(mock: &provision_minio::mock::MockMinio, name: &str, resources: &[&str]) {
    let (admin, _) = clients_for(mock);
    let policy = format!("legacy-{name}");
    admin
        .add_canned_policy(
            &policy,
            &json!({"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": ["s3:*"], "Resource": resources}
            ]}),
        )
        .await
        .unwrap();
    add_enabled_user(&admin, name, PASSWORD).await;
    admin
        .attach_policies(PolicyEntity::User(name), &[&policy])
        .await
        .unwrap();
}

#[tokio::test]
async fn buckets_outside_the_namespace_are_reported_and_nothing_is_recorded_or_changed() {
    let mock = start_mock().await;
    made_elsewhere(
        &mock,
        "alice",
        &[
            "arn:aws:s3:::alice",
            "arn:aws:s3:::alice/*",
            "arn:aws:s3:::alice-photos/*",
            "arn:aws:s3:::shared*",
        ],
    )
    .await;
    made_elsewhere(
        &mock,
        "bob",
        &[
            "arn:aws:s3:::bob",
            "arn:aws:s3:::bob/*",
            "arn:aws:s3:::bob.*",
        ],
    )
    .await;
    let provider = Arc::new(provider_for(&mock));

    let Adoption::DoesNotFit {
        resources, reason, ..
    } = provider.check_adoption(&user("alice")).await.unwrap()
    else {
        panic!("alice's policy reaches other buckets");
    };
    assert_eq!(resources, ["alice-photos", "shared*"]);
    assert!(reason.contains("alice.*"), "{reason}");
    assert!(matches!(
        provider.check_adoption(&user("bob")).await.unwrap(),
        Adoption::Fits(_)
    ));

    let ledger = Arc::new(SqlLedger::sqlite_in_memory().await.unwrap());
    let files = ServerId::new("s3").unwrap();
    let cycle = BillingCycle::new(ledger.clone())
        .with_server(files.clone(), provider.clone())
        .with_product(
            "basic",
            ProductConfig::new("u{service_id}", "20", "1 GB").unwrap(),
        );
    let before = mock.requests().len();
    let adopted = cycle
        .adopt(
            &files,
            &ServiceContext::new("7", "70"),
            "basic",
            &user("alice"),
        )
        .await
        .unwrap();
    assert!(
        matches!(&adopted, Adopted::DoesNotFit { resources, .. } if resources.len() == 2),
        "{adopted:?}"
    );
    assert!(ledger
        .service(&ServiceKey::new(files.clone(), "70"))
        .await
        .unwrap()
        .is_none());
    let bobs = cycle
        .adopt(
            &files,
            &ServiceContext::new("8", "80"),
            "basic",
            &user("bob"),
        )
        .await
        .unwrap();
    assert!(matches!(bobs, Adopted::Recorded { .. }), "{bobs:?}");
    let changes: Vec<String> = request_paths(&mock)
        .split_off(before)
        .into_iter()
        .filter(|p| !p.starts_with("GET ") && !p.starts_with("HEAD "))
        .collect();
    assert!(
        changes.is_empty(),
        "adoption changed the server: {changes:?}"
    );
    assert!(mock.user("alice").unwrap().enabled);
}

#[tokio::test]
async fn administrators_and_missing_users_are_not_adopted() {
    let mock = start_mock().await;
    let provider = provider_for(&mock);
    let (admin, _) = clients_for(&mock);
    admin
        .add_canned_policy(
            "ops-admin",
            &json!({"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": ["admin:*"]}
            ]}),
        )
        .await
        .unwrap();
    add_enabled_user(&admin, "ops", PASSWORD).await;
    admin
        .attach_policies(PolicyEntity::User("ops"), &["ops-admin"])
        .await
        .unwrap();
    assert!(matches!(
        provider.check_adoption(&user("ops")).await,
        Err(Error::ProtectedAccount { .. })
    ));
    assert!(matches!(
        provider.check_adoption(&user("nobody")).await,
        Err(Error::AccountNotFound { .. })
    ));
}
