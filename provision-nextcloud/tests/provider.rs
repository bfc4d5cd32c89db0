//! Every provider operation against the mock, over real HTTP, and every bad input
//! rejected before a request is sent.

mod common;

use common::*;
use provision_core::{
    AccountStatus, ByteSize, ErrorKind, GroupName, ProviderExt, Quota, StorageProvider,
};
use provision_nextcloud::client::OcsVersion;
use provision_nextcloud::mock::{MockNextcloud, ADMIN_USER};
use provision_nextcloud::{NextcloudProvider, NEXTCLOUD_POLICY};

#[tokio::test]
async fn create_sets_password_email_name_quota_and_groups() {
    let (mock, provider) = mock_and_provider().await;
    let mut spec = spec("Bob", plan("10 GB", &["customers", "nc-basic"]));
    spec.email = Some(" Bob@Example.COM ".into());
    spec.display_name = Some("Bob Builder".into());

    let created = provider.create_account(&spec).await.unwrap();

    assert_eq!(created.username.as_str(), "Bob");
    assert_eq!(created.status, AccountStatus::Active);
    assert_eq!(created.quota, Some(quota("10 GB")));
    assert_eq!(created.email.as_deref(), Some("bob@example.com"));
    let stored = mock.user("bob").unwrap();
    assert_eq!(stored.id, "Bob");
    assert_eq!(stored.email.as_deref(), Some("bob@example.com"));
    assert_eq!(stored.display_name.as_deref(), Some("Bob Builder"));
    assert_eq!(stored.quota, "10 GB");
    assert_eq!(stored.groups, vec!["customers", "nc-basic"]);
    assert!(mock.check_password("Bob", PASSWORD));
    // What create returns is what the server reads back.
    assert_eq!(provider.account(&user("bob")).await.unwrap(), Some(created));
}

#[tokio::test]
async fn create_makes_missing_groups_and_reuses_existing_ones() {
    let (mock, provider) = mock_and_provider().await;
    mock.add_group("existing");
    provider
        .create_account(&spec("carol", plan("1 GB", &["existing", "fresh"])))
        .await
        .unwrap();
    assert!(mock.groups().contains(&"fresh".to_string()));
    assert_eq!(count(&mock, "POST", "/cloud/groups"), 2);
    assert_eq!(
        mock.user("carol").unwrap().groups,
        vec!["existing", "fresh"]
    );
}

#[tokio::test]
async fn create_checks_existence_first_whatever_the_case() {
    let (mock, provider) = mock_and_provider().await;
    mock.add_user("Alice", PASSWORD);
    mock.reset_request_count();
    let err = provider
        .create_account(&spec("alice", plan("1 GB", &["g"])))
        .await
        .unwrap_err();
    assert!(
        matches!(err, provision_core::Error::AccountExists { .. }),
        "{err:?}"
    );
    assert_eq!(err.kind(), ErrorKind::AlreadyExists);
    // Nothing was written: no group, no create.
    assert_eq!(mock.requests(), vec!["GET /ocs/v2.php/cloud/users/alice"]);
}

#[tokio::test]
async fn create_with_unlimited_quota_sends_none() {
    let (mock, provider) = mock_and_provider().await;
    let created = provider
        .create_account(&spec("dave", provision_core::Plan::new(Quota::Unlimited)))
        .await
        .unwrap();
    assert_eq!(created.quota, Some(Quota::Unlimited));
    assert_eq!(mock.user("dave").unwrap().quota, "none");
    let account = provider.account(&user("dave")).await.unwrap().unwrap();
    assert_eq!(account.quota, Some(Quota::Unlimited));
}

#[tokio::test]
async fn account_is_none_when_missing_and_keeps_the_stored_case() {
    let (mock, provider) = mock_and_provider().await;
    assert_eq!(provider.account(&user("nobody")).await.unwrap(), None);
    mock.add_user("MixedCase", PASSWORD);
    let account = provider.account(&user("mixedcase")).await.unwrap().unwrap();
    assert_eq!(account.username.as_str(), "MixedCase");
    assert!(provider.exists(&user("MIXEDCASE")).await.unwrap());
}

#[tokio::test]
async fn suspend_and_unsuspend_are_idempotent() {
    let (mock, provider) = mock_and_provider().await;
    provider
        .create_account(&spec("erin", plan("1 GB", &[])))
        .await
        .unwrap();
    let erin = user("erin");
    for _ in 0..2 {
        provider.suspend(&erin).await.unwrap();
        assert!(!mock.user("erin").unwrap().enabled);
    }
    let account = provider.account(&erin).await.unwrap().unwrap();
    assert_eq!(account.status, AccountStatus::Suspended);
    for _ in 0..2 {
        provider.unsuspend(&erin).await.unwrap();
        assert!(mock.user("erin").unwrap().enabled);
    }
}

#[tokio::test]
async fn suspend_of_a_missing_account_is_account_not_found() {
    let (_mock, provider) = mock_and_provider().await;
    for result in [
        provider.suspend(&user("ghost")).await,
        provider.unsuspend(&user("ghost")).await,
    ] {
        let err = result.unwrap_err();
        assert!(
            matches!(err, provision_core::Error::AccountNotFound { .. }),
            "{err:?}"
        );
    }
}

#[tokio::test]
async fn terminate_removes_the_account_and_is_idempotent() {
    let (mock, provider) = mock_and_provider().await;
    provider
        .create_account(&spec("frank", plan("1 GB", &["g1"])))
        .await
        .unwrap();
    provider.terminate(&user("frank")).await.unwrap();
    assert!(mock.user("frank").is_none());
    provider.terminate(&user("frank")).await.unwrap();
    assert_eq!(provider.account(&user("frank")).await.unwrap(), None);
    // The plan group stays for the other accounts on the plan.
    assert!(mock.groups().contains(&"g1".to_string()));
    // The same id can be created again at once.
    provider
        .create_account(&spec("frank", plan("1 GB", &[])))
        .await
        .unwrap();
}

#[tokio::test]
async fn change_password_sets_the_new_one() {
    let (mock, provider) = mock_and_provider().await;
    provider
        .create_account(&spec("gina", plan("1 GB", &[])))
        .await
        .unwrap();
    provider
        .change_password(&user("gina"), &secret("an0ther-Long-secret"))
        .await
        .unwrap();
    assert!(mock.check_password("gina", "an0ther-Long-secret"));
    assert!(!mock.check_password("gina", PASSWORD));
}

#[tokio::test]
async fn a_weak_password_is_refused_with_the_servers_reason() {
    let (mock, provider) = mock_and_provider().await;
    provider
        .create_account(&spec("hank", plan("1 GB", &[])))
        .await
        .unwrap();
    let err = provider
        .change_password(&user("hank"), &secret("abc"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert_eq!(err.server_code(), Some("107"));
    assert_eq!(
        err.server_message(),
        Some("Password is among the 1,000,000 most common ones. Please make it unique. Password needs to be at least 10 characters long.")
    );
    assert!(mock.check_password("hank", PASSWORD));

    // At creation too, and nothing is left behind.
    let mut weak = spec("ivy", plan("1 GB", &["weakgroup"]));
    weak.password = secret("password");
    let err = provider.create_account(&weak).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert_eq!(err.server_code(), Some("107"));
    assert!(mock.user("ivy").is_none());
    assert!(
        !mock.groups().contains(&"weakgroup".to_string()),
        "the group made for it stays"
    );
}

#[tokio::test]
async fn change_password_of_a_missing_account_is_account_not_found() {
    let (_mock, provider) = mock_and_provider().await;
    let err = provider
        .change_password(&user("ghost"), &secret("an0ther-Long-secret"))
        .await
        .unwrap_err();
    assert!(
        matches!(err, provision_core::Error::AccountNotFound { .. }),
        "{err:?}"
    );
}

#[tokio::test]
async fn change_plan_moves_quota_and_groups_and_keeps_other_groups() {
    let (mock, provider) = mock_and_provider().await;
    let basic = plan("1 GB", &["plan-basic", "customers"]);
    let pro = plan("1.5 TB", &["plan-pro", "customers"]);
    provider
        .create_account(&spec("jack", basic.clone()))
        .await
        .unwrap();
    mock.add_group("newsletter");
    provider
        .client()
        .add_to_group(&user("jack"), &group("newsletter"))
        .await
        .unwrap();

    provider
        .change_plan(&user("jack"), &basic, &pro)
        .await
        .unwrap();

    let jack = mock.user("jack").unwrap();
    assert_eq!(jack.quota, "1.5 TB");
    assert_eq!(jack.groups, vec!["customers", "newsletter", "plan-pro"]);
    let account = provider.account(&user("jack")).await.unwrap().unwrap();
    assert_eq!(account.quota, Some(quota("1.5 TB")));
}

#[tokio::test]
async fn change_plan_sends_no_edit_when_the_quota_is_unchanged() {
    let (mock, provider) = mock_and_provider().await;
    let a = plan("5 GB", &["a"]);
    let b = plan("5 GB", &["b"]);
    provider
        .create_account(&spec("kate", a.clone()))
        .await
        .unwrap();
    mock.reset_request_count();
    provider.change_plan(&user("kate"), &a, &b).await.unwrap();
    assert_eq!(
        count(&mock, "PUT", "/users/kate"),
        0,
        "{:?}",
        mock.requests()
    );
    assert_eq!(mock.user("kate").unwrap().groups, vec!["b"]);
}

#[tokio::test]
async fn change_plan_of_a_missing_account_is_account_not_found() {
    let (_mock, provider) = mock_and_provider().await;
    let err = provider
        .change_plan(&user("ghost"), &plan("1 GB", &[]), &plan("2 GB", &[]))
        .await
        .unwrap_err();
    assert!(
        matches!(err, provision_core::Error::AccountNotFound { .. }),
        "{err:?}"
    );
}

#[tokio::test]
async fn usage_reports_used_bytes_and_quota_even_over_the_limit() {
    let (mock, provider) = mock_and_provider().await;
    provider
        .create_account(&spec("liam", plan("10 MB", &[])))
        .await
        .unwrap();
    let fresh = provider.usage(&user("liam")).await.unwrap();
    assert_eq!(fresh.used, Some(ByteSize::ZERO));
    assert_eq!(fresh.quota, Some(quota("10 MB")));

    // Lowering a quota below usage is accepted: free goes negative on the wire.
    mock.set_used("liam", ByteSize::new(20_174_294));
    let over = provider.usage(&user("liam")).await.unwrap();
    assert_eq!(over.used, Some(ByteSize::new(20_174_294)));
    assert!(over.quota.unwrap().is_exceeded(over.used.unwrap()));
}

#[tokio::test]
async fn usage_of_a_missing_account_is_account_not_found() {
    let (_mock, provider) = mock_and_provider().await;
    let err = provider.usage(&user("ghost")).await.unwrap_err();
    assert!(
        matches!(err, provision_core::Error::AccountNotFound { .. }),
        "{err:?}"
    );
}

#[tokio::test]
async fn usage_all_pages_through_details_within_the_request_bound() {
    let mock = MockNextcloud::start().await;
    let page_size = 10;
    let provider = mock
        .provider_builder()
        .page_size(page_size)
        .build()
        .unwrap();
    for i in 0..34 {
        let id = format!("user{i:02}");
        assert!(mock.add_user(&id, PASSWORD));
        mock.set_used(&id, ByteSize::new(1000 + i));
    }
    let accounts = mock.user_ids().len(); // the admin too
    mock.reset_request_count();

    let all = provider.usage_all().await.unwrap();

    assert_eq!(all.len(), accounts);
    let bound = accounts.div_ceil(page_size as usize) + 2;
    assert!(
        mock.request_count() <= bound,
        "{} requests > {bound}",
        mock.request_count()
    );
    assert!(mock
        .requests()
        .iter()
        .all(|r| r.starts_with("GET ") && r.contains("/users/details")));
    for i in 0..34u64 {
        let name = format!("user{i:02}");
        let usage = all.iter().find(|(u, _)| u.as_str() == name).unwrap().1;
        assert_eq!(usage.used, Some(ByteSize::new(1000 + i)), "{name}");
    }
}

#[tokio::test]
async fn usage_all_of_an_exact_multiple_of_the_page_size() {
    let mock = MockNextcloud::start().await;
    let provider = mock.provider_builder().page_size(5).build().unwrap();
    for i in 0..9 {
        mock.add_user(&format!("u{i}"), PASSWORD);
    }
    mock.reset_request_count();
    let all = provider.usage_all().await.unwrap();
    assert_eq!(all.len(), 10);
    assert!(mock.request_count() <= 10usize.div_ceil(5) + 2);
}

#[tokio::test]
async fn list_groups_returns_every_group() {
    let mock = MockNextcloud::start().await;
    let provider = mock.provider_builder().page_size(3).build().unwrap();
    for g in ["g1", "g2", "g3", "g4", "Grüne Gruppe"] {
        mock.add_group(g);
    }
    let groups = provider.list_groups().await.unwrap();
    let names: Vec<&str> = groups.iter().map(GroupName::as_str).collect();
    assert_eq!(names, vec!["Grüne Gruppe", "admin", "g1", "g2", "g3", "g4"]);
}

#[tokio::test]
async fn test_connection_reports_version_and_admin_rights() {
    let (mock, provider) = mock_and_provider().await;
    let info = provider.test_connection().await.unwrap();
    assert_eq!(info.backend, "nextcloud");
    assert_eq!(info.version.as_deref(), Some("34.0.1"));
    assert!(info.is_admin);

    mock.add_user("plainuser", PASSWORD);
    let plain = NextcloudProvider::builder(mock.url())
        .credentials("plainuser", secret(PASSWORD))
        .build()
        .unwrap();
    assert!(!plain.test_connection().await.unwrap().is_admin);
}

#[tokio::test]
async fn wrong_credentials_are_permission_denied_and_not_retried() {
    let mock = MockNextcloud::start().await;
    let provider = mock
        .provider_builder()
        .credentials(ADMIN_USER, secret("wrong password"))
        .build()
        .unwrap();
    let err = provider.test_connection().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::PermissionDenied);
    assert_eq!(err.server_code(), Some("997"));
    // Brute-force protection counts failed logins: one request, no retries.
    assert_eq!(mock.request_count(), 1);
    assert!(!err.to_string().contains("wrong password"));
}

#[tokio::test]
async fn the_v1_api_gives_the_same_results() {
    let mock = MockNextcloud::start().await;
    let provider = mock
        .provider_builder()
        .ocs_version(OcsVersion::V1)
        .build()
        .unwrap();
    provider
        .create_account(&spec("mia", plan("2 GB", &["v1group"])))
        .await
        .unwrap();
    assert!(mock.requests().iter().all(|r| r.contains("/ocs/v1.php/")));
    let err = provider
        .create_account(&spec("mia", plan("2 GB", &[])))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::AlreadyExists);
    let err = provider.suspend(&user("ghost")).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
    provider.terminate(&user("ghost")).await.unwrap();
    assert_eq!(provider.account(&user("ghost")).await.unwrap(), None);
    assert_eq!(
        provider.usage(&user("mia")).await.unwrap().quota,
        Some(quota("2 GB"))
    );
    provider.terminate(&user("mia")).await.unwrap();
    assert!(mock.user("mia").is_none());
}

#[tokio::test]
async fn a_base_url_with_a_sub_path_is_kept() {
    let mock = MockNextcloud::start().await;
    let provider = NextcloudProvider::builder(format!("{}/nextcloud/", mock.url()))
        .credentials(ADMIN_USER, mock.admin_password())
        .build()
        .unwrap();
    let err = provider.test_connection().await.unwrap_err();
    // The mock serves at its root, so the sub-path reaches it and is refused loudly.
    assert_eq!(err.kind(), ErrorKind::Unexpected);
    assert!(
        err.to_string()
            .contains("/nextcloud/ocs/v2.php/cloud/capabilities"),
        "{err}"
    );
}

/// Every bad input is refused before a single request is sent.
#[tokio::test]
async fn bad_inputs_are_refused_before_sending() {
    let (mock, provider) = mock_and_provider().await;
    let long_group = "g".repeat(65);
    let mut cases: Vec<(&str, provision_core::AccountSpec)> = Vec::new();
    let mut bad = |what, edit: &dyn Fn(&mut provision_core::AccountSpec)| {
        let mut s = spec("valid", plan("1 GB", &[]));
        edit(&mut s);
        cases.push((what, s));
    };
    bad("character", &|s| s.username = user("bad!name"));
    bad("non-ascii", &|s| s.username = user("jörg"));
    bad("too long", &|s| s.username = user(&"a".repeat(65)));
    bad("reserved", &|s| s.username = user(".htaccess"));
    bad("dots only", &|s| s.username = user("..."));
    bad("appdata", &|s| s.username = user("appdata_oc123"));
    bad("empty password", &|s| s.password = secret(""));
    bad("long password", &|s| s.password = secret(&"x".repeat(470)));
    bad("email", &|s| s.email = Some("not-an-email".into()));
    bad("display name", &|s| s.display_name = Some("d".repeat(65)));
    bad("blank display name", &|s| {
        s.display_name = Some("  ".into())
    });
    bad("long group", &|s| {
        s.plan = provision_core::Plan::new(quota("1 GB")).with_group(group(&long_group))
    });
    bad("huge quota", &|s| {
        s.plan = provision_core::Plan::new(Quota::limited(ByteSize::new(u64::MAX)).unwrap())
    });
    for (what, spec) in &cases {
        let err = provider.create_account(spec).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput, "{what}: {err:?}");
    }

    let long = plan("1 GB", &[long_group.as_str()]);
    let ok = plan("1 GB", &[]);
    let errors = [
        provider.account(&user("bad!name")).await.unwrap_err(),
        provider.suspend(&user("bad!name")).await.unwrap_err(),
        provider.unsuspend(&user("...")).await.unwrap_err(),
        provider.terminate(&user(".ncdata")).await.unwrap_err(),
        provider.usage(&user("bad!name")).await.unwrap_err(),
        provider
            .change_password(&user("valid"), &secret(""))
            .await
            .unwrap_err(),
        provider
            .change_password(&user("bad!name"), &secret(PASSWORD))
            .await
            .unwrap_err(),
        provider
            .change_plan(&user("valid"), &ok, &long)
            .await
            .unwrap_err(),
        provider
            .change_plan(&user("valid"), &long, &ok)
            .await
            .unwrap_err(),
    ];
    for err in errors {
        assert_eq!(err.kind(), ErrorKind::InvalidInput, "{err:?}");
    }
    // The account the provider logs in with is not for suspending or deleting.
    for err in [
        provider.suspend(&user("Admin")).await.unwrap_err(),
        provider.terminate(&user("admin")).await.unwrap_err(),
    ] {
        assert_eq!(err.kind(), ErrorKind::PermissionDenied, "{err:?}");
    }
    assert_eq!(mock.request_count(), 0, "{:?}", mock.requests());
}

#[tokio::test]
async fn builder_rejects_incomplete_settings() {
    let no_admin = NextcloudProvider::builder("https://cloud.example.com").build();
    assert_eq!(no_admin.unwrap_err().kind(), ErrorKind::InvalidInput);
    let bad_url = NextcloudProvider::builder("cloud.example.com")
        .credentials("admin", secret("pw"))
        .build();
    assert_eq!(bad_url.unwrap_err().kind(), ErrorKind::InvalidInput);
    let zero_page = NextcloudProvider::builder("https://cloud.example.com")
        .credentials("admin", secret("pw"))
        .page_size(0)
        .build();
    assert_eq!(zero_page.unwrap_err().kind(), ErrorKind::InvalidInput);
}

#[test]
fn secrets_never_show_in_debug() {
    let builder = NextcloudProvider::builder("https://cloud.example.com")
        .credentials("admin", secret("s3cret-admin-pw"));
    assert!(!format!("{builder:?}").contains("s3cret"));
    let provider = builder.build().unwrap();
    assert!(!format!("{provider:?}").contains("s3cret"));
}

#[test]
fn the_policy_is_nextclouds() {
    let policy = NextcloudProvider::policy();
    assert!(std::ptr::eq(policy, &NEXTCLOUD_POLICY));
    assert!(policy.validate("o'Brien Jr@home").is_ok());
    assert!(policy.validate(&"a".repeat(64)).is_ok());
    assert!(policy.validate(&"a".repeat(65)).is_err());
    assert!(policy.validate("a+b").is_err());
    assert!(policy.same_account("Alice", "alice"));
    assert_eq!(
        policy.normalize("Jörg Weiß!").unwrap().as_str(),
        "Jorg Weiss"
    );
}
