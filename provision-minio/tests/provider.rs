//! Every provider operation and every bad input, against the mock over real HTTP.

mod common;

use common::*;
use provision_core::{
    AccountStatus, ErrorKind, GroupName, Plan, ProviderExt, QuotaEnforcement, StorageProvider,
};
use provision_minio::mock::MockMinio;
use provision_minio::NAME_POLICY;
use provision_minio::{PolicyKind, PolicyTemplate};
use serde_json::json;

#[tokio::test]
async fn test_connection_reports_the_server() {
    let mock = start_mock().await;
    let info = provider_for(&mock).test_connection().await.unwrap();
    assert_eq!(info.backend, "minio");
    assert_eq!(info.product, "MinIO");
    assert_eq!(info.version.as_deref(), Some("2025-10-15T17:29:55Z"));
    assert!(info.is_admin);
    assert_eq!(info.details["admin_prefix"], "/minio/admin/v3");
}

#[tokio::test]
async fn wrong_credentials_are_permission_denied() {
    let mock = start_mock().await;
    let provider = provision_minio::MinioProvider::builder(mock.url())
        .credentials(mock.access_key(), secret("not-the-secret"))
        .options(fast_options())
        .build()
        .unwrap();
    let err = provider.test_connection().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::PermissionDenied);
    assert_eq!(err.server_code(), Some("SignatureDoesNotMatch"));
}

#[tokio::test]
async fn capabilities_and_name_policy() {
    let mock = start_mock().await;
    let provider = provider_for(&mock);
    let caps = provider.capabilities();
    assert_eq!(caps.quota_enforcement, QuotaEnforcement::PolicySwitch);
    assert!(caps.buckets && caps.bulk_usage && caps.groups);
    assert!(provider.check_username("12-34").is_ok());
    for bad in [
        "ab",
        "Alice",
        "a.b",
        "a_b",
        "-ab",
        "ab-",
        "minio",
        &"a".repeat(62),
    ] {
        assert!(NAME_POLICY.validate(bad).is_err(), "{bad}");
    }
    // A bucket prefix takes room from the name.
    let prefixed = builder_for(&mock).bucket_prefix("u-").build().unwrap();
    assert!(prefixed.check_username("ab").is_ok());
    assert!(prefixed.check_username(&"a".repeat(60)).is_err());
}

#[tokio::test]
async fn create_makes_policy_user_mapping_groups_and_bucket() {
    let mock = start_mock().await;
    let provider = provider_for(&mock);
    let created = provider
        .create_account(&spec("alice", plan(1, &["basic"])))
        .await
        .unwrap();
    assert_eq!(created.status, AccountStatus::Active);

    let user = mock.user("alice").unwrap();
    assert!(user.enabled);
    assert_eq!(user.policies, ["provision-alice"]);
    assert_eq!(user.groups, ["basic"]);
    assert!(mock.user_secret_is("alice", PASSWORD));
    assert_eq!(mock.buckets(), ["alice"]);
    let policy = mock.policy("provision-alice").unwrap();
    assert_eq!(
        policy["Statement"][0]["Resource"],
        json!([
            "arn:aws:s3:::alice",
            "arn:aws:s3:::alice/*",
            "arn:aws:s3:::alice.*"
        ])
    );

    let account = provider.account(&user_("alice")).await.unwrap().unwrap();
    assert_eq!(account.status, AccountStatus::Active);
    assert_eq!(account.groups, [GroupName::new("basic").unwrap()]);
    assert_eq!(account.quota, None);
}

/// The JSON text of alice's policy document.
fn alice_policy_text(mock: &MockMinio) -> String {
    mock.policy("provision-alice").unwrap().to_string()
}

/// Whether alice's document in force is the standard one: its Allow grants writes.
fn alice_may_write(mock: &MockMinio) -> bool {
    let doc = mock.policy("provision-alice").unwrap();
    doc["Statement"][0]["Effect"] == "Allow"
        && doc["Statement"][0]["Action"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a == "s3:PutObject")
}

fn user_(name: &str) -> provision_core::Username {
    common::user(name)
}

#[tokio::test]
async fn create_without_default_bucket_and_with_prefixes() {
    let mock = start_mock().await;
    let provider = builder_for(&mock)
        .bucket_prefix("u-")
        .policy_prefix("tenant.")
        .default_bucket(false)
        .build()
        .unwrap();
    create_plain_account(&provider, "12-34").await;
    assert!(mock.buckets().is_empty());
    assert_eq!(mock.user("12-34").unwrap().policies, ["tenant.u-12-34"]);
    let doc = mock.policy("tenant.u-12-34").unwrap();
    assert_eq!(
        doc["Statement"][0]["Resource"][2],
        json!("arn:aws:s3:::u-12-34.*")
    );
}

#[tokio::test]
async fn create_twice_is_account_exists() {
    let mock = start_mock().await;
    let provider = provider_with_accounts(&mock, &["alice"]).await;
    let err = provider
        .create_account(&spec("alice", plan(1, &[])))
        .await
        .unwrap_err();
    assert!(
        matches!(err, provision_core::Error::AccountExists { .. }),
        "{err}"
    );
}

#[tokio::test]
async fn bad_inputs_are_rejected_before_any_request() {
    let mock = start_mock().await;
    let provider = provider_for(&mock);
    // (The login, minioadmin, is refused as protected: tests/security.rs.)
    let bad_names = ["Alice", "a.b", "ab", "a_b", "minio"];
    for name in bad_names {
        let spec = provision_core::AccountSpec {
            username: provision_core::Username::new(name).unwrap(),
            ..spec("alice", plan(1, &[]))
        };
        let err = provider.create_account(&spec).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput, "{name}: {err}");
        let u = provision_core::Username::new(name).unwrap();
        assert_eq!(
            provider.suspend(&u).await.unwrap_err().kind(),
            ErrorKind::InvalidInput
        );
        assert_eq!(
            provider.terminate(&u).await.unwrap_err().kind(),
            ErrorKind::InvalidInput
        );
        assert_eq!(
            provider.usage(&u).await.unwrap_err().kind(),
            ErrorKind::InvalidInput
        );
        assert_eq!(
            provider.account(&u).await.unwrap_err().kind(),
            ErrorKind::InvalidInput
        );
    }
    let mut short = spec("alice", plan(1, &[]));
    short.password = secret("1234567");
    assert_eq!(
        provider.create_account(&short).await.unwrap_err().kind(),
        ErrorKind::InvalidInput
    );
    let mut empty = spec("alice", plan(1, &[]));
    empty.password = secret("");
    assert_eq!(
        provider.create_account(&empty).await.unwrap_err().kind(),
        ErrorKind::InvalidInput
    );
    let comma_group = spec(
        "alice",
        Plan::new(gb(1)).with_group(GroupName::new("a,b").unwrap()),
    );
    assert_eq!(
        provider
            .create_account(&comma_group)
            .await
            .unwrap_err()
            .kind(),
        ErrorKind::InvalidInput
    );
    assert_eq!(
        provider
            .change_password(&user("alice"), &secret("short"))
            .await
            .unwrap_err()
            .kind(),
        ErrorKind::InvalidInput
    );
    assert_eq!(mock.request_count(), 0, "a request was sent for bad input");
}

#[tokio::test]
async fn bad_builder_settings_are_rejected() {
    let mock = start_mock().await;
    assert!(provision_minio::MinioProvider::builder(mock.url())
        .build()
        .is_err());
    for prefix in ["U-", "-u", "u.", "u_"] {
        assert!(
            builder_for(&mock).bucket_prefix(prefix).build().is_err(),
            "{prefix}"
        );
    }
    for prefix in ["", "a,b", "a b"] {
        assert!(
            builder_for(&mock).policy_prefix(prefix).build().is_err(),
            "{prefix:?}"
        );
    }
    for url in ["ftp://x", "http://h/sub", "nonsense"] {
        assert!(provision_minio::MinioProvider::builder(url)
            .credentials("a", secret("b"))
            .build()
            .is_err());
    }
    let unsafe_template = PolicyTemplate::parse(
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::{{user}}*"}]}"#,
    )
    .unwrap();
    let err = builder_for(&mock)
        .policy_template(PolicyKind::Standard, unsafe_template)
        .build()
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert_eq!(mock.request_count(), 0);
}

#[tokio::test]
async fn operator_templates_are_used() {
    let mock = start_mock().await;
    let template = PolicyTemplate::parse(
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
            "Action":["s3:GetObject","s3:PutObject","s3:ListBucket"],
            "Resource":["arn:aws:s3:::{{namespace}}","arn:aws:s3:::{{namespace}}/*"]}]}"#,
    )
    .unwrap();
    let provider = builder_for(&mock)
        .policy_template(PolicyKind::Standard, template)
        .build()
        .unwrap();
    create_plain_account(&provider, "alice").await;
    let doc = mock.policy("provision-alice").unwrap();
    assert_eq!(
        doc["Statement"][0]["Resource"],
        json!(["arn:aws:s3:::alice", "arn:aws:s3:::alice/*"])
    );
}

const PRODUCT_STANDARD: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"ProductStandard","Effect":"Allow",
    "Action":["s3:GetObject","s3:PutObject","s3:ListBucket"],
    "Resource":["arn:aws:s3:::{{namespace}}","arn:aws:s3:::{{namespace}}/*"]}]}"#;
const PRODUCT_LIMITED: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"ProductLimited","Effect":"Allow",
    "Action":["s3:GetObject","s3:ListBucket","s3:DeleteObject"],
    "Resource":["arn:aws:s3:::{{namespace}}","arn:aws:s3:::{{namespace}}/*"]}]}"#;

fn own_documents(quota_gb: u64) -> Plan {
    let mut product = plan(quota_gb, &[]);
    product.minio.standard_policy = Some(PRODUCT_STANDARD.into());
    product.minio.limited_policy = Some(PRODUCT_LIMITED.into());
    product
}

fn sid(mock: &MockMinio) -> String {
    mock.policy("provision-alice").unwrap()["Statement"][0]["Sid"]
        .as_str()
        .unwrap_or("")
        .to_string()
}

#[tokio::test]
async fn a_products_own_documents_and_default_bucket_are_put_in_force() {
    let mock = start_mock().await;
    let provider = provider_for(&mock);
    let alice = user("alice");
    let mut product = own_documents(1);
    product.minio.default_bucket = Some(false);
    provider.check_plan(&product).unwrap();
    provider
        .create_account(&spec("alice", product.clone()))
        .await
        .unwrap();
    assert!(mock.buckets().is_empty(), "the product makes no bucket");
    assert_eq!(sid(&mock), "ProductStandard");

    provider
        .set_limited_on_plan(&alice, &product, true)
        .await
        .unwrap();
    assert_eq!(sid(&mock), "ProductLimited");
    let limited = mock.policy("provision-alice").unwrap().to_string();
    assert!(
        limited.contains("s3:PutObject") && limited.contains("Deny"),
        "a product's limited document still denies every write: {limited}"
    );
    provider
        .set_limited_on_plan(&alice, &product, false)
        .await
        .unwrap();
    assert_eq!(sid(&mock), "ProductStandard");
    // Without the plan, the server's own documents.
    provider.set_limited(&alice, true).await.unwrap();
    assert_ne!(sid(&mock), "ProductLimited");

    // A plan change to a product without its own documents puts the server's in force.
    provider
        .change_plan(&alice, &product, &plan(2, &[]))
        .await
        .unwrap();
    assert!(alice_may_write(&mock));
    assert_ne!(sid(&mock), "ProductStandard");
    provider
        .change_plan(&alice, &plan(2, &[]), &own_documents(2))
        .await
        .unwrap();
    assert_eq!(sid(&mock), "ProductStandard");

    // The server's default bucket, when the product does not say.
    provider
        .create_account(&spec("bob", own_documents(1)))
        .await
        .unwrap();
    assert_eq!(mock.buckets(), ["bob"]);
}

#[tokio::test]
async fn a_products_unsafe_document_is_refused_before_any_request() {
    let mock = start_mock().await;
    let provider = provider_for(&mock);
    let mut product = plan(1, &[]);
    product.minio.standard_policy = Some(
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::*"}]}"#
            .into(),
    );
    assert_eq!(
        provider.check_plan(&product).unwrap_err().kind(),
        ErrorKind::InvalidInput
    );
    let mut limited_admin = plan(1, &[]);
    limited_admin.minio.limited_policy = Some(
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"admin:*","Resource":"arn:aws:s3:::{{namespace}}"}]}"#
            .into(),
    );
    for bad in [product, limited_admin] {
        let err = provider
            .create_account(&spec("alice", bad))
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput, "{err}");
        assert!(err.to_string().contains("product"), "{err}");
    }
    assert_eq!(mock.request_count(), 0, "nothing was sent");
}

#[tokio::test]
async fn suspend_and_unsuspend_are_idempotent() {
    let mock = start_mock().await;
    let provider = provider_with_accounts(&mock, &["alice"]).await;
    let alice = user("alice");
    provider.suspend(&alice).await.unwrap();
    provider.suspend(&alice).await.unwrap();
    assert!(!mock.user("alice").unwrap().enabled);
    assert_eq!(
        provider.account(&alice).await.unwrap().unwrap().status,
        AccountStatus::Suspended
    );
    provider.unsuspend(&alice).await.unwrap();
    provider.unsuspend(&alice).await.unwrap();
    assert!(mock.user("alice").unwrap().enabled);
    let missing = user("nobody");
    assert_eq!(
        provider.suspend(&missing).await.unwrap_err().kind(),
        ErrorKind::NotFound
    );
    assert_eq!(
        provider.unsuspend(&missing).await.unwrap_err().kind(),
        ErrorKind::NotFound
    );
}

#[tokio::test]
async fn change_password_sets_the_secret() {
    let mock = start_mock().await;
    let provider = provider_with_accounts(&mock, &["alice"]).await;
    provider
        .change_password(&user("alice"), &secret("A-New-Secret-456"))
        .await
        .unwrap();
    assert!(mock.user_secret_is("alice", "A-New-Secret-456"));
    // The tenant can sign with it.
    let tenant = tenant_s3(&mock, "alice", "A-New-Secret-456");
    assert!(tenant.bucket_exists(&bucket("alice")).await.unwrap());
    let err = provider
        .change_password(&user("nobody"), &secret("A-New-Secret-456"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
}

/// Trap: add-user overwrites the status too; a password change must send the current
/// status or a suspended account is silently re-enabled.
#[tokio::test]
async fn trap_change_password_keeps_a_suspended_account_suspended() {
    let mock = start_mock().await;
    let provider = provider_with_accounts(&mock, &["alice"]).await;
    let alice = user("alice");
    provider.suspend(&alice).await.unwrap();
    provider
        .change_password(&alice, &secret("A-New-Secret-456"))
        .await
        .unwrap();
    assert!(
        !mock.user("alice").unwrap().enabled,
        "the password change re-enabled the account"
    );
    assert!(mock.user_secret_is("alice", "A-New-Secret-456"));
}

/// Trap: add-user silently overwrites an existing user, so create looks first.
#[tokio::test]
async fn trap_create_never_overwrites_an_existing_user() {
    let mock = start_mock().await;
    let (admin, _) = clients_for(&mock);
    add_enabled_user(&admin, "alice", "operator-made-1").await;
    let provider = provider_for(&mock);
    let err = provider
        .create_account(&spec("alice", plan(1, &[])))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::AlreadyExists);
    assert!(mock.user_secret_is("alice", "operator-made-1"));
    assert!(mock.policy("provision-alice").is_none());
    assert_eq!(
        count_matching(&mock, "PUT add-user"),
        1,
        "only the operator's add-user"
    );
}

/// A leftover bucket in the namespace means someone else's data: the name is taken.
#[tokio::test]
async fn create_refuses_a_namespace_whose_bucket_exists() {
    let mock = start_mock().await;
    mock.create_bucket("alice").unwrap();
    mock.put_object("alice", "old-data", 10).unwrap();
    let err = provider_for(&mock)
        .create_account(&spec("alice", plan(1, &[])))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::AlreadyExists);
    assert!(mock.user("alice").is_none());
    assert_eq!(mock.objects("alice").unwrap().len(), 1);
}

#[tokio::test]
async fn change_plan_moves_groups_and_keeps_others() {
    let mock = start_mock().await;
    let provider = provider_for(&mock);
    let alice = user("alice");
    let small = plan(1, &["small", "shared"]);
    let large = plan(2, &["large", "shared"]);
    provider
        .create_account(&spec("alice", small.clone()))
        .await
        .unwrap();
    // A group the operator added by hand stays.
    let (admin, _) = clients_for(&mock);
    admin
        .update_group_members("vip", &["alice"], false)
        .await
        .unwrap();

    provider.change_plan(&alice, &small, &large).await.unwrap();
    let mut groups = mock.user("alice").unwrap().groups;
    groups.sort();
    assert_eq!(groups, ["large", "shared", "vip"]);
    assert!(mock.group("small").unwrap().members.is_empty());
    assert_eq!(
        provider
            .change_plan(&user("nobody"), &small, &large)
            .await
            .unwrap_err()
            .kind(),
        ErrorKind::NotFound
    );
}

#[tokio::test]
async fn change_plan_to_a_smaller_quota_limits_an_account_over_it() {
    let mock = start_mock().await;
    let provider = provider_for(&mock);
    let alice = user("alice");
    let big = plan(2, &[]);
    let tiny =
        Plan::new(provision_core::Quota::limited(provision_core::ByteSize::new(1000)).unwrap());
    provider
        .create_account(&spec("alice", big.clone()))
        .await
        .unwrap();
    mock.put_object("alice", "file", 5000).unwrap();
    mock.refresh_usage();
    provider.change_plan(&alice, &big, &tiny).await.unwrap();
    assert!(
        !alice_may_write(&mock),
        "still the standard document: {}",
        alice_policy_text(&mock)
    );
    provider.change_plan(&alice, &tiny, &big).await.unwrap();
    assert!(alice_may_write(&mock));
}

#[tokio::test]
async fn usage_sums_the_namespace_and_carries_the_scan_time() {
    let mock = start_mock().await;
    let provider = provider_with_accounts(&mock, &["alice"]).await;
    mock.create_bucket("alice.photos").unwrap();
    mock.create_bucket("alice-other").unwrap();
    mock.put_object("alice", "a", 100).unwrap();
    mock.put_object("alice.photos", "b", 250).unwrap();
    mock.put_object("alice-other", "c", 1_000_000).unwrap();
    let before = chrono::Utc::now();
    mock.refresh_usage();
    let usage = provider.usage(&user("alice")).await.unwrap();
    assert_eq!(usage.used, Some(provision_core::ByteSize::new(350)));
    assert!(usage.measured_at.unwrap() >= before);
    assert_eq!(
        provider.usage(&user("nobody")).await.unwrap_err().kind(),
        ErrorKind::NotFound
    );
}

/// Trap: before the first scan the server answers zeros and null maps.
#[tokio::test]
async fn trap_usage_before_the_first_scan_is_unknown() {
    let mock = start_mock().await;
    let provider = provider_with_accounts(&mock, &["alice"]).await;
    mock.put_object("alice", "a", 100).unwrap();
    let usage = provider.usage(&user("alice")).await.unwrap();
    assert_eq!(usage.used, None);
    assert_eq!(usage.measured_at, None);
}

/// Trap: data usage comes from the scanner and lags the writes.
#[tokio::test]
async fn trap_usage_lags_until_the_scanner_runs() {
    let mock = start_mock().await;
    let provider = provider_with_accounts(&mock, &["alice"]).await;
    mock.refresh_usage();
    let first = provider.usage(&user("alice")).await.unwrap();
    assert_eq!(first.used, Some(provision_core::ByteSize::ZERO));
    mock.put_object("alice", "a", 4096).unwrap();
    let stale = provider.usage(&user("alice")).await.unwrap();
    assert_eq!(stale.used, Some(provision_core::ByteSize::ZERO));
    assert_eq!(stale.measured_at, first.measured_at);
    mock.refresh_usage();
    let fresh = provider.usage(&user("alice")).await.unwrap();
    assert_eq!(fresh.used, Some(provision_core::ByteSize::new(4096)));
    assert!(fresh.measured_at > first.measured_at);
}

#[tokio::test]
async fn usage_all_costs_two_requests_for_any_number_of_users() {
    let mock = start_mock().await;
    let provider = provider_for(&mock);
    for (i, name) in ["alice", "bob", "carol", "dave", "erin"].iter().enumerate() {
        create_plain_account(&provider, name).await;
        mock.put_object(name, "f", 10 * (i as u64 + 1)).unwrap();
    }
    // Someone else's user and bucket are not reported.
    let (admin, _) = clients_for(&mock);
    add_enabled_user(&admin, "operator", "operator-secret").await;
    mock.create_bucket("backups").unwrap();
    mock.refresh_usage();

    mock.reset_request_count();
    let all = provider.usage_all().await.unwrap();
    assert_eq!(mock.request_count(), 2, "{:?}", request_paths(&mock));
    let names: Vec<_> = all.iter().map(|(u, _)| u.as_str()).collect();
    assert_eq!(names, ["alice", "bob", "carol", "dave", "erin"]);
    assert_eq!(all[2].1.used, Some(provision_core::ByteSize::new(30)));
    assert!(all.iter().all(|(_, u)| u.measured_at.is_some()));
}

#[tokio::test]
async fn request_counts_of_single_operations() {
    let mock = start_mock().await;
    let provider = provider_with_accounts(&mock, &["alice"]).await;
    let alice = user("alice");
    let cases: [(&str, u64); 4] = [
        ("account", 1),
        ("usage", 2),
        ("suspend", 2),
        ("suspend again", 1),
    ];
    for (what, expected) in cases {
        mock.reset_request_count();
        match what {
            "account" => drop(provider.account(&alice).await.unwrap()),
            "usage" => drop(provider.usage(&alice).await.unwrap()),
            _ => provider.suspend(&alice).await.unwrap(),
        }
        assert_eq!(
            mock.request_count(),
            expected,
            "{what}: {:?}",
            request_paths(&mock)
        );
    }
}

#[tokio::test]
async fn set_limited_switches_the_document_in_place() {
    let mock = start_mock().await;
    let provider = provider_with_accounts(&mock, &["alice"]).await;
    let alice = user("alice");
    provider.set_limited(&alice, true).await.unwrap();
    provider.set_limited(&alice, true).await.unwrap();
    let doc = alice_policy_text(&mock);
    assert!(
        doc.contains("s3:DeleteObject") && !alice_may_write(&mock),
        "{doc}"
    );
    // The mapping never changed: no attach or detach was needed.
    assert_eq!(mock.user("alice").unwrap().policies, ["provision-alice"]);
    provider.set_limited(&alice, false).await.unwrap();
    assert!(alice_may_write(&mock));
    assert_eq!(
        provider
            .set_limited(&user("nobody"), true)
            .await
            .unwrap_err()
            .kind(),
        ErrorKind::NotFound
    );
}

#[tokio::test]
async fn set_limited_restores_a_lost_mapping() {
    let mock = start_mock().await;
    let provider = provider_with_accounts(&mock, &["alice"]).await;
    let alice = user("alice");
    let (admin, _) = clients_for(&mock);
    admin
        .set_policies(provision_minio::client::PolicyEntity::User("alice"), &[])
        .await
        .unwrap();
    assert!(mock.user("alice").unwrap().policies.is_empty());
    provider.set_limited(&alice, false).await.unwrap();
    assert_eq!(mock.user("alice").unwrap().policies, ["provision-alice"]);
}

#[tokio::test]
async fn update_policy_picks_by_usage() {
    let mock = start_mock().await;
    let provider = provider_for(&mock);
    let alice = user("alice");
    let quota = provision_core::Quota::limited(provision_core::ByteSize::new(1000)).unwrap();
    create_plain_account(&provider, "alice").await;
    // Unknown usage restricts nobody.
    assert_eq!(
        provider.update_policy(&alice, quota).await.unwrap(),
        PolicyKind::Standard
    );
    mock.put_object("alice", "big", 1001).unwrap();
    mock.refresh_usage();
    assert_eq!(
        provider.update_policy(&alice, quota).await.unwrap(),
        PolicyKind::Limited
    );
    assert!(!alice_may_write(&mock));
    mock.delete_object("alice", "big").unwrap();
    mock.refresh_usage();
    assert_eq!(
        provider.update_policy(&alice, quota).await.unwrap(),
        PolicyKind::Standard
    );
    assert_eq!(
        provider
            .update_policy(&alice, provision_core::Quota::Unlimited)
            .await
            .unwrap(),
        PolicyKind::Standard
    );
}

#[tokio::test]
async fn concurrent_policy_changes_for_one_user_are_serialised() {
    let mock = start_mock().await;
    mock.set_latency(std::time::Duration::from_millis(5));
    let provider = provider_with_accounts(&mock, &["alice"]).await;
    let alice = user("alice");
    mock.reset_request_count();
    let (a, b) = tokio::join!(
        provider.set_limited(&alice, true),
        provider.set_limited(&alice, false)
    );
    a.unwrap();
    b.unwrap();
    // Each change is user-info then add-canned-policy; serialised, they never interleave.
    let paths: Vec<String> = request_paths(&mock)
        .into_iter()
        .map(|p| p.split('?').next().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(
        paths,
        [
            // Limited: the document, then the bucket policies of the namespace go.
            "GET user-info",
            "PUT add-canned-policy",
            "GET /",
            "DELETE /alice",
            "GET user-info",
            "PUT add-canned-policy"
        ]
    );
}

#[tokio::test]
async fn terminate_removes_everything_and_is_idempotent() {
    let mock = start_mock().await;
    let provider = provider_for(&mock);
    let alice = user("alice");
    provider
        .create_account(&spec("alice", plan(1, &["basic"])))
        .await
        .unwrap();
    mock.create_bucket("alice.photos").unwrap();
    mock.put_object("alice", "a", 1).unwrap();
    mock.put_object("alice.photos", "b/c", 2).unwrap();
    provider.terminate(&alice).await.unwrap();
    assert!(mock.user("alice").is_none());
    assert!(mock.policy("provision-alice").is_none());
    assert!(mock.buckets().is_empty());
    assert!(mock.group("basic").unwrap().members.is_empty());
    assert!(provider.account(&alice).await.unwrap().is_none());
    provider.terminate(&alice).await.unwrap();
    provider.terminate(&user("never-existed")).await.unwrap();
}

/// Trap: remove-canned-policy of a mapped policy fails, so the user goes first.
#[tokio::test]
async fn trap_terminate_removes_the_user_before_its_policy() {
    let mock = start_mock().await;
    let provider = provider_with_accounts(&mock, &["alice"]).await;
    mock.reset_request_count();
    provider.terminate(&user("alice")).await.unwrap();
    let paths = request_paths(&mock);
    let user_at = paths
        .iter()
        .position(|p| p.starts_with("DELETE remove-user"))
        .unwrap();
    let policy_at = paths
        .iter()
        .position(|p| p.starts_with("DELETE remove-canned-policy"))
        .unwrap();
    assert!(user_at < policy_at, "{paths:?}");
    assert!(mock.policy("provision-alice").is_none());
}

/// Trap: versioned buckets keep old versions and delete markers; a plain listing
/// misses them and the bucket cannot be removed.
#[tokio::test]
async fn trap_terminate_deletes_every_version_and_delete_marker() {
    let mock = start_mock().await;
    let provider = provider_with_accounts(&mock, &["alice"]).await;
    mock.set_versioning("alice", true).unwrap();
    for size in [1, 2, 3] {
        mock.put_object("alice", "doc.txt", size).unwrap();
    }
    mock.delete_object("alice", "doc.txt").unwrap();
    mock.put_object("alice", "other", 5).unwrap();
    assert_eq!(mock.objects("alice").unwrap().len(), 5);
    provider.terminate(&user("alice")).await.unwrap();
    assert!(mock.buckets().is_empty());
}

/// Trap: a multi-object delete takes at most 1000 keys, with Content-MD5.
#[tokio::test]
async fn trap_terminate_deletes_in_batches_of_1000() {
    let mock = start_mock().await;
    let provider = provider_with_accounts(&mock, &["alice"]).await;
    for i in 0..2500 {
        mock.put_object("alice", &format!("k/{i:05}"), 1).unwrap();
    }
    mock.reset_request_count();
    provider.terminate(&user("alice")).await.unwrap();
    assert_eq!(
        count_matching(&mock, "POST /alice?delete"),
        3,
        "{:?}",
        request_paths(&mock)
    );
    assert_eq!(count_matching(&mock, "versions"), 3);
    assert!(mock.buckets().is_empty());
}

#[tokio::test]
async fn list_groups_lists_the_servers_groups() {
    let mock = start_mock().await;
    let provider = provider_for(&mock);
    provider
        .create_account(&spec("alice", plan(1, &["g1", "g2"])))
        .await
        .unwrap();
    let groups = provider.list_groups().await.unwrap();
    assert_eq!(
        groups,
        [GroupName::new("g1").unwrap(), GroupName::new("g2").unwrap()]
    );
}

#[tokio::test]
async fn debug_output_never_shows_secrets() {
    let mock = start_mock().await;
    let builder = builder_for(&mock);
    let provider = builder.clone().build().unwrap();
    for shown in [format!("{builder:?}"), format!("{provider:?}")] {
        assert!(
            !shown.contains(provision_minio::mock::ROOT_SECRET_KEY),
            "{shown}"
        );
        assert!(
            shown.contains("redacted") || shown.contains("REDACTED"),
            "{shown}"
        );
    }
}
