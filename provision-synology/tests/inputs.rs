//! Every bad input is refused before the request that would act on it.

mod common;

use common::*;
use provision_core::{AccountSpec, ErrorKind, GroupName, Plan, Quota, StorageProvider};
use provision_synology::SynologyProvider;

fn assert_invalid<T: std::fmt::Debug>(result: provision_core::Result<T>, what: &str) {
    match result {
        Err(e) => assert_eq!(e.kind(), ErrorKind::InvalidInput, "{what}: {e}"),
        Ok(v) => panic!("{what}: accepted ({v:?})"),
    }
}

#[tokio::test]
async fn bad_names_are_refused_before_any_request() {
    let (dsm, provider) = setup().await;
    for bad in [
        "Alice",      // upper case
        "admin",      // DSM default account
        "guest",      // DSM default account
        "root",       // system
        "postmaster", // system
        "users",      // group name
        "a",          // too short
        "-lives",     // DSM refuses - first
        "_lives",     // must start with a letter or digit
        "ends-",      // must end with a letter or digit
        "bad@name",   // DSM forbids @
        "with space",
        "sc-package", // DSM package accounts
    ] {
        let name = provision_core::Username::new(bad).unwrap();
        let spec = AccountSpec {
            username: name.clone(),
            ..spec("placeholder", small())
        };
        assert_invalid(provider.create_account(&spec).await, bad);
        assert_invalid(provider.suspend(&name).await, bad);
        assert_invalid(provider.account(&name).await, bad);
        assert_invalid(provider.terminate(&name).await, bad);
        assert_invalid(provider.usage(&name).await, bad);
    }
    let long = provision_core::Username::new("a".repeat(65)).unwrap();
    assert_invalid(provider.unsuspend(&long).await, "65 characters");
    assert_eq!(dsm.request_count(), 0);
}

#[tokio::test]
async fn bad_passwords_are_refused_before_any_request() {
    let (dsm, provider) = setup().await;
    for (bad, what) in [("", "empty"), (&*"Aa1-".repeat(32), "128 characters")] {
        let mut s = spec("alice", small());
        s.password = secret(bad);
        assert_invalid(provider.create_account(&s).await, what);
        assert_invalid(
            provider.change_password(&user("alice"), &secret(bad)).await,
            what,
        );
    }
    assert_eq!(dsm.request_count(), 0);
}

#[tokio::test]
async fn passwords_breaking_the_live_policy_are_refused_before_create() {
    let (dsm, provider) = setup().await;
    for (bad, what) in [
        ("Sh0rt", "shorter than the policy's 8"),
        ("alllowercase1", "no upper case"),
        ("NoDigitsHere", "no digit"),
        ("Xalice1Y-pw", "contains the user name"),
    ] {
        let mut s = spec("alice", small());
        s.password = secret(bad);
        assert_invalid(provider.create_account(&s).await, what);
        assert_invalid(
            provider.change_password(&user("alice"), &secret(bad)).await,
            what,
        );
    }
    assert_eq!(dsm.calls("SYNO.Core.User", "create"), 0);
    assert_eq!(dsm.calls("SYNO.Core.User", "set"), 0);
    assert_eq!(
        dsm.calls("SYNO.Core.User.PasswordPolicy", "get"),
        1,
        "policy read once"
    );
}

#[tokio::test]
async fn bad_contact_fields_are_refused_before_any_request() {
    let (dsm, provider) = setup().await;
    for email in [
        "",
        "no-at-sign",
        "two@@example.com",
        "a b@example.com",
        "@example.com",
    ] {
        let mut s = spec("alice", small());
        s.email = Some(email.to_string());
        assert_invalid(provider.create_account(&s).await, email);
    }
    let mut s = spec("alice", small());
    s.display_name = Some("x".repeat(65));
    assert_invalid(provider.create_account(&s).await, "description over 64");
    let mut s = spec("alice", small());
    s.display_name = Some("line\nbreak".into());
    assert_invalid(provider.create_account(&s).await, "control character");
    assert_eq!(dsm.request_count(), 0);
}

#[tokio::test]
async fn bad_plans_are_refused_before_any_request() {
    let (dsm, provider) = setup().await;
    let limited = || Plan::new("1 GB".parse::<Quota>().unwrap());
    let group = |g: &str| GroupName::new(g).unwrap();
    let bad_plans = [
        (limited(), "a limited plan without a group"),
        (
            limited().with_group(group("administrators")),
            "administrators",
        ),
        (limited().with_group(group("users")), "users"),
        (limited().with_group(group("HTTP")), "http, any case"),
        (
            limited().with_group(group(&"g".repeat(33))),
            "group over 32 characters",
        ),
        (
            limited()
                .with_group(group(SMALL))
                .with_group(group(&SMALL.to_uppercase())),
            "the same group twice",
        ),
    ];
    for (plan, what) in bad_plans {
        assert_invalid(
            provider.create_account(&spec("alice", plan.clone())).await,
            what,
        );
        assert_invalid(
            provider.change_plan(&user("alice"), &small(), &plan).await,
            what,
        );
        assert_invalid(
            provider.change_plan(&user("alice"), &plan, &small()).await,
            what,
        );
    }
    assert_eq!(dsm.request_count(), 0);
}

#[tokio::test]
async fn a_plan_naming_a_missing_group_is_refused_before_the_user_is_created() {
    let (dsm, provider) = setup().await;
    let missing = plan("plan-gone", "1 GB");
    let err = provider
        .create_account(&spec("alice", missing.clone()))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert!(err.to_string().contains("plan-gone"), "{err}");
    assert_eq!(dsm.calls("SYNO.Core.User", "create"), 0);
    assert!(dsm.user("alice").is_none());

    provider
        .create_account(&spec("alice", small()))
        .await
        .unwrap();
    let err = provider
        .change_plan(&user("alice"), &small(), &missing)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert_eq!(
        dsm.calls("SYNO.Core.Group.Member", "add"),
        1,
        "only create's join"
    );
    assert!(dsm
        .user("alice")
        .unwrap()
        .groups
        .contains(&SMALL.to_string()));
}

#[tokio::test]
async fn an_unlimited_plan_may_name_no_group() {
    let (dsm, provider) = setup().await;
    let info = provider
        .create_account(&spec("alice", Plan::new(Quota::Unlimited)))
        .await
        .unwrap();
    assert_eq!(info.groups.len(), 1, "only users: {:?}", info.groups);
    assert_eq!(dsm.calls("SYNO.Core.Group", "list"), 0);
}

#[test]
fn builder_settings_are_checked() {
    let build = |b: provision_synology::SynologyProviderBuilder| b.build().map(drop);
    let base = || SynologyProvider::builder("nas.example.com");
    assert_invalid(build(base()), "no credentials");
    assert_invalid(build(base().credentials("", secret("x"))), "empty account");
    assert_invalid(
        build(base().credentials("admin", secret(""))),
        "empty password",
    );
    assert_invalid(
        build(
            base()
                .credentials("admin", secret("pw"))
                .usage_concurrency(0),
        ),
        "zero concurrency",
    );
    assert_invalid(
        build(base().credentials("admin", secret("pw")).session_label(" ")),
        "empty session label",
    );
    assert_invalid(
        build(SynologyProvider::builder("http://nas.example.com").credentials("a", secret("pw"))),
        "plain HTTP to a remote DSM",
    );
    assert!(build(base().credentials("admin", secret("pw"))).is_ok());
}

#[test]
fn debug_output_never_shows_secrets() {
    let builder = SynologyProvider::builder("nas.example.com")
        .credentials("admin", secret("hunter2-pw"))
        .otp_code(secret("123456"))
        .device_token(secret("dev1ce-t0ken"));
    let shown = format!("{builder:?}");
    let provider = builder.build().unwrap();
    let shown_provider = format!("{provider:?}");
    for text in [shown, shown_provider] {
        for secret in ["hunter2-pw", "123456", "dev1ce-t0ken"] {
            assert!(!text.contains(secret), "{text}");
        }
    }
}

#[tokio::test]
async fn name_policy_is_the_public_static() {
    let (_dsm, provider) = setup().await;
    assert!(std::ptr::eq(
        provider.name_policy(),
        &provision_synology::NAME_POLICY
    ));
    let normalized = provider.name_policy().normalize("René Müller").unwrap();
    assert_eq!(normalized.as_str(), "rene-muller");
    assert!(provider.name_policy().same_account("Alice", "alice"));
}
