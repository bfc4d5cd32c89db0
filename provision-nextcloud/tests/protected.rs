//! The provider never changes its own login or another administrator, refuses `admin`
//! as a plan group, and checks e-mail addresses before anything is sent (issue 12).

mod common;

use common::{mock_and_provider, plan, secret, spec, user, PASSWORD};
use provision_core::testkit::{every_mutation_refused, expect_protected};
use provision_core::{Error, ErrorKind, StorageProvider};
use provision_nextcloud::mock::{MockNextcloud, MockUser, ADMIN_PASSWORD, ADMIN_USER};
use provision_nextcloud::NextcloudProvider;

/// Every mutating method of the trait, aimed at `name`, with what each answered.
async fn every_mutation(provider: &NextcloudProvider, name: &str) -> Vec<(&'static str, Error)> {
    let mut target = spec(name, plan("1 GB", &["g1"]));
    target.password = secret("An0ther-long-Passw0rd");
    every_mutation_refused(
        provider,
        &target,
        &plan("1 GB", &["g1"]),
        &plan("2 GB", &["g2"]),
    )
    .await
}

/// The requests that could change something: everything but reads.
fn mutating_requests(mock: &MockNextcloud) -> Vec<String> {
    mock.requests()
        .into_iter()
        .filter(|r| !r.starts_with("GET "))
        .collect()
}

#[tokio::test]
async fn the_own_login_is_never_changed_in_any_letter_case() {
    let (mock, provider) = mock_and_provider().await;
    let before = mock.user(ADMIN_USER).unwrap();
    for name in [ADMIN_USER, "ADMIN", "Admin"] {
        for (method, error) in every_mutation(&provider, name).await {
            if method == "set_limited" {
                // Nextcloud enforces quotas itself: there is no limit switch to refuse.
                assert_eq!(error.kind(), ErrorKind::Unsupported, "{error:?}");
                continue;
            }
            expect_protected(method, &error, "the provider logs in with it");
        }
    }
    // Refused before any request at all, not only before a mutating one.
    assert_eq!(mock.requests(), Vec::<String>::new());
    assert_eq!(mock.user(ADMIN_USER).unwrap(), before);
    assert!(mock.check_password(ADMIN_USER, ADMIN_PASSWORD));
    assert!(provider.test_connection().await.unwrap().is_admin);
}

#[tokio::test]
async fn another_administrator_is_never_changed() {
    let (mock, provider) = mock_and_provider().await;
    assert!(mock.add_user("boss", PASSWORD));
    assert!(mock.add_member("boss", "admin"));
    let before: MockUser = mock.user("boss").unwrap();
    for name in ["boss", "BOSS"] {
        for (method, error) in every_mutation(&provider, name).await {
            match method {
                "set_limited" => assert_eq!(error.kind(), ErrorKind::Unsupported),
                // The account exists: create refuses it as taken, after one read.
                "create_account" => {
                    assert!(matches!(error, Error::AccountExists { .. }), "{error:?}")
                }
                _ => expect_protected(method, &error, "member of group admin"),
            }
        }
    }
    assert_eq!(mutating_requests(&mock), Vec::<String>::new());
    assert_eq!(mock.user("boss").unwrap(), before);
    assert!(mock.check_password("boss", PASSWORD));
}

#[tokio::test]
async fn a_plain_account_is_still_changed() {
    let (mock, provider) = mock_and_provider().await;
    provider
        .create_account(&spec("carol", plan("1 GB", &["g1"])))
        .await
        .unwrap();
    provider.suspend(&user("carol")).await.unwrap();
    provider
        .change_password(&user("carol"), &secret("An0ther-long-Passw0rd"))
        .await
        .unwrap();
    provider
        .change_plan(
            &user("carol"),
            &plan("1 GB", &["g1"]),
            &plan("2 GB", &["g2"]),
        )
        .await
        .unwrap();
    let carol = mock.user("carol").unwrap();
    assert!(!carol.enabled);
    assert_eq!(carol.groups, vec!["g2"]);
    assert!(mock.check_password("carol", "An0ther-long-Passw0rd"));
    provider.terminate(&user("carol")).await.unwrap();
    assert!(mock.user("carol").is_none());
}

#[tokio::test]
async fn admin_is_refused_as_a_plan_group_in_any_letter_case() {
    let (mock, provider) = mock_and_provider().await;
    for group in ["admin", "Admin", "ADMIN"] {
        let bad = plan("1 GB", &[group]);
        let ok = plan("1 GB", &[]);
        let refusals = [
            (
                "plan.groups",
                provider
                    .create_account(&spec("dave", bad.clone()))
                    .await
                    .map(drop),
            ),
            (
                "to.groups",
                provider.change_plan(&user("dave"), &ok, &bad).await,
            ),
            (
                "from.groups",
                provider.change_plan(&user("dave"), &bad, &ok).await,
            ),
        ];
        for (field, refusal) in refusals {
            let error = refusal.unwrap_err();
            assert_eq!(error.kind(), ErrorKind::InvalidInput, "{error:?}");
            let text = error.to_string();
            assert!(
                text.contains(field) && text.contains("administrator"),
                "{text}"
            );
        }
    }
    assert_eq!(mock.requests(), Vec::<String>::new());
}

#[tokio::test]
async fn bad_email_addresses_are_refused_before_any_request() {
    let (mock, provider) = mock_and_provider().await;
    for address in ["x@y.z&quota=none", "erin@example.com\nBcc: all@example.com"] {
        let mut erin = spec("erin", plan("1 GB", &[]));
        erin.email = Some(address.to_string());
        let error = provider.create_account(&erin).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidInput, "{error:?}");
        assert!(error.to_string().contains("e-mail"), "{error}");
    }
    assert_eq!(mock.requests(), Vec::<String>::new());
    assert!(mock.user("erin").is_none());
    // A real address goes through, trimmed (and lower-cased by the server).
    let mut erin = spec("erin", plan("1 GB", &[]));
    erin.email = Some(" Erin@Example.com ".to_string());
    provider.create_account(&erin).await.unwrap();
    assert_eq!(
        mock.user("erin").unwrap().email.as_deref(),
        Some("erin@example.com")
    );
}
