//! The provider never changes its own login or another administrator, checks e-mail
//! addresses before anything is sent, and names may start with a digit (issue 12).

mod common;

use std::sync::Arc;

use common::*;
use provision_core::error::InputError;
use provision_core::provisioner::{ProductConfig, Provisioner, ServiceContext};
use provision_core::rules::{NameError, Unusable};
use provision_core::testkit::{every_mutation_refused, expect_protected};
use provision_core::{Error, ErrorKind, GroupName, StorageProvider};
use provision_synology::mock::MockSynology;
use provision_synology::{SynologyProvider, NAME_POLICY};

/// Every mutating method of the trait, aimed at `name`, with what each answered.
async fn every_mutation(provider: &SynologyProvider, name: &str) -> Vec<(&'static str, Error)> {
    let mut target = spec(name, small());
    target.password = secret("An0ther-Passw0rd");
    every_mutation_refused(provider, &target, &small(), &large()).await
}

/// The calls the mock received that change users, groups or memberships.
fn mutating_calls(dsm: &MockSynology) -> Vec<String> {
    let mutating = [
        ("SYNO.Core.User", "create"),
        ("SYNO.Core.User", "set"),
        ("SYNO.Core.User", "delete"),
        ("SYNO.Core.Group.Member", "add"),
        ("SYNO.Core.Group.Member", "remove"),
        ("SYNO.Core.Group", "create"),
        ("SYNO.Core.Group", "set"),
        ("SYNO.Core.Group", "delete"),
    ];
    dsm.requests()
        .iter()
        .filter(|r| mutating.iter().any(|(api, method)| r.is_call(api, method)))
        .map(|r| r.body.clone())
        .collect()
}

#[tokio::test]
async fn the_own_login_is_never_changed_in_any_letter_case() {
    let (dsm, provider) = setup().await;
    let login = MockSynology::ADMIN_ACCOUNT;
    let before = dsm.user(login).unwrap();
    for name in [
        login.to_string(),
        login.to_uppercase(),
        "Provision".to_string(),
    ] {
        for (method, error) in every_mutation(&provider, &name).await {
            if method == "set_limited" {
                // DSM enforces quotas through groups: there is no limit switch.
                assert_eq!(error.kind(), ErrorKind::Unsupported, "{error:?}");
                continue;
            }
            expect_protected(method, &error, "the provider logs in with it");
        }
    }
    // Refused before any request at all.
    assert_eq!(dsm.request_count(), 0);
    assert_eq!(dsm.user(login).unwrap(), before);
    assert!(dsm.password_is(login, MockSynology::ADMIN_PASSWORD));
    assert!(provider.test_connection().await.unwrap().is_admin);
}

#[tokio::test]
async fn another_administrator_is_never_changed() {
    let (dsm, provider) = setup().await;
    dsm.add_admin("boss", PASSWORD);
    assert!(dsm.add_member(SMALL, "boss"));
    let before = dsm.user("boss").unwrap();
    for (method, error) in every_mutation(&provider, "boss").await {
        match method {
            "set_limited" => assert_eq!(error.kind(), ErrorKind::Unsupported),
            // The user exists: create refuses the name as taken.
            "create_account" => {
                assert!(matches!(error, Error::AccountExists { .. }), "{error:?}")
            }
            _ => expect_protected(method, &error, "member of group administrators"),
        }
    }
    assert_eq!(mutating_calls(&dsm), Vec::<String>::new());
    assert_eq!(dsm.user("boss").unwrap(), before);
    assert!(dsm.password_is("boss", PASSWORD));
    assert!(dsm
        .group_members("administrators")
        .unwrap()
        .contains(&"boss".to_string()));
}

#[tokio::test]
async fn bad_email_addresses_are_refused_before_any_request() {
    let (dsm, provider) = setup().await;
    for address in ["x@y.z&quota=none", "erin@example.com\nBcc: all@example.com"] {
        let mut erin = spec("erin", small());
        erin.email = Some(address.to_string());
        let error = provider.create_account(&erin).await.unwrap_err();
        assert!(
            matches!(error, Error::Input(InputError::Email(_))),
            "{error:?}"
        );
    }
    assert_eq!(dsm.request_count(), 0);
    assert!(dsm.user("erin").is_none());
}

#[tokio::test]
async fn names_go_into_parameters_that_cannot_add_a_parameter() {
    let (dsm, provider) = setup().await;
    // Valid as a name type (DSM's policy would refuse it, the client does not ask).
    let sly = user("sly&expired=now&name=provision");
    let _ = provider.client().disable_user(&sly).await;
    let _ = provider.client().user_groups(&sly).await;
    let _ = provider.client().delete_user(&sly).await;
    let requests = dsm.requests();
    assert_eq!(requests.len(), 3, "{requests:?}");
    for request in &requests {
        let names: Vec<&str> = request
            .params
            .iter()
            .filter(|(k, _)| k == "name")
            .map(|(_, v)| v.as_str())
            .collect();
        assert!(
            names == ["\"sly&expired=now&name=provision\""]
                || names == ["[\"sly&expired=now&name=provision\"]"],
            "{names:?} in {}",
            request.body
        );
    }
    // disable_user sent expired=now once, as its own parameter, not from the name.
    let expired: Vec<_> = requests[0]
        .params
        .iter()
        .filter(|(k, _)| k == "expired")
        .collect();
    assert_eq!(expired.len(), 1);
    let admin = dsm.user(MockSynology::ADMIN_ACCOUNT).unwrap();
    assert_eq!(admin.expired, "normal");
}

#[test]
fn a_digit_may_start_a_name_and_a_dash_may_not() {
    assert_eq!(
        NAME_POLICY.validate("12-3-4821").unwrap().as_str(),
        "12-3-4821"
    );
    assert_eq!(
        NAME_POLICY.normalize("12-3-4821").unwrap().as_str(),
        "12-3-4821"
    );
    assert!(NAME_POLICY.validate("-12").is_err());
    assert_eq!(NAME_POLICY.normalize("-12").unwrap().as_str(), "12");
}

#[test]
fn a_name_normalisation_cannot_make_says_why() {
    for (raw, reason) in [
        ("日本語", "none of its characters is allowed"),
        ("!!!", "none of its characters is allowed"),
        ("._.", "may start a name"),
    ] {
        let error = NAME_POLICY.normalize(raw).unwrap_err();
        assert!(
            matches!(error, NameError::Unusable { .. }),
            "{raw}: {error:?}"
        );
        let text = error.to_string();
        assert!(
            text.contains(reason) && !text.contains("empty"),
            "{raw}: {text}"
        );
    }
    assert!(matches!(
        NAME_POLICY.normalize("!!!").unwrap_err(),
        NameError::Unusable {
            reason: Unusable::NoAllowedCharacter { .. },
            ..
        }
    ));
    let error = NAME_POLICY.normalize("a").unwrap_err();
    assert!(error.to_string().contains("fewer than 2"), "{error}");
}

#[tokio::test]
async fn the_original_example_rule_creates_accounts_on_dsm() {
    let dsm = MockSynology::start().await;
    dsm.add_group(SMALL, "1 GB".parse().unwrap());
    let provider: Arc<dyn StorageProvider> = Arc::new(dsm.provider_builder().build().unwrap());
    let product = ProductConfig::new("{client_id}-{service_id}-{random_digit_4}", "16", "1 GB")
        .unwrap()
        .with_group(GroupName::new(SMALL).unwrap());
    let provisioner = Provisioner::new(provider);
    let made = provisioner
        .create(&ServiceContext::new("12", "3"), &product)
        .await
        .unwrap();
    let name = made.username.as_str();
    let digits = name.strip_prefix("12-3-").unwrap();
    assert!(
        digits.len() == 4 && digits.chars().all(|c| c.is_ascii_digit()),
        "{name}"
    );
    let on_dsm = dsm.user(name).unwrap();
    assert!(on_dsm.groups.contains(&SMALL.to_string()), "{on_dsm:?}");
}

#[tokio::test]
async fn the_mock_takes_a_digit_first_and_refuses_a_dash_first() {
    let (dsm, provider) = setup().await;
    let password = secret(PASSWORD);
    let create = |name: &str| {
        let name = user(name);
        let provider = &provider;
        let password = &password;
        async move {
            provider
                .client()
                .create_user(&provision_synology::client::NewUser {
                    name: &name,
                    password,
                    description: "",
                    email: "",
                })
                .await
        }
    };
    create("9lives").await.unwrap();
    assert!(dsm.user("9lives").is_some());
    // A leading space cannot even be made into a name; a dash can, and DSM refuses it.
    let error = create("-lives").await.unwrap_err();
    assert!(error.server_code().is_some(), "{error:?}");
    assert!(dsm.user("-lives").is_none());
}
