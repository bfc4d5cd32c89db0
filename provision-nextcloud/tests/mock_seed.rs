//! The mock's seed and snapshot: chosen admin credentials, a seeded start state that the
//! provider sees, refusals naming the bad field, and a snapshot that starts the same state.

use provision_core::{AccountSpec, ByteSize, Plan, Quota, SecretString, StorageProvider, Username};
use provision_nextcloud::mock::seed::{Seed, SeedError};
use provision_nextcloud::mock::{Fault, MockNextcloud};
use serde_json::json;

fn seed() -> Seed {
    Seed::from_json(json!({
        "groups": [{"id": "plan-10g"}, {"id": "staff", "display_name": "Staff"}],
        "users": [
            {"id": "root", "password": "ignored-Passw0rd", "email": "Root@Example.com", "groups": ["staff"]},
            {"id": "Alice", "password": "alice-Passw0rd!", "display_name": "Alice A.",
             "email": "alice@example.com", "quota": "10 GB", "used_bytes": 5000, "groups": ["plan-10g"]},
            {"id": "bob", "password": "bob-Passw0rd!!", "enabled": false, "quota": "1000000000"}
        ]
    }))
    .unwrap()
}

async fn seeded() -> MockNextcloud {
    MockNextcloud::builder()
        .admin("root", "root-Passw0rd!")
        .seed(&seed())
        .start()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_provider_sees_the_seeded_accounts_as_the_admin_given() {
    let mock = seeded().await;
    assert_eq!(mock.admin_user(), "root");
    // The admin keeps the password the mock was started with, not the seed's.
    assert!(mock.check_password("root", "root-Passw0rd!"));
    assert!(!mock.check_password("root", "ignored-Passw0rd"));
    let root = mock.user("root").unwrap();
    assert_eq!(root.groups, vec!["admin", "staff"]);
    assert_eq!(root.email.as_deref(), Some("root@example.com"));

    let provider = mock.provider().unwrap();
    let alice = Username::new("alice").unwrap();
    let usage = provider.usage(&alice).await.unwrap();
    assert_eq!(usage.used, Some(ByteSize::new(5000)));
    let info = provider.account(&alice).await.unwrap().unwrap();
    assert_eq!(info.email.as_deref(), Some("alice@example.com"));
    // Stored as the server stores a PUT of the same value.
    assert_eq!(mock.user("bob").unwrap().quota, "953.7 MB");
    assert!(!mock.user("bob").unwrap().enabled);
    assert!(mock.groups().contains(&"plan-10g".to_string()));
}

#[tokio::test]
async fn a_snapshot_starts_the_same_state_again() {
    let mock = seeded().await;
    let provider = mock.provider().unwrap();
    provider
        .create_account(&AccountSpec {
            username: Username::new("carol").unwrap(),
            password: SecretString::from("carol-Passw0rd!"),
            email: Some("carol@example.com".into()),
            display_name: None,
            plan: Plan::new("2 GB".parse::<Quota>().unwrap()),
        })
        .await
        .unwrap();
    mock.set_used("carol", ByteSize::new(123_456));
    provider
        .suspend(&Username::new("alice").unwrap())
        .await
        .unwrap();

    let snapshot = mock.snapshot();
    let document = snapshot.to_json();
    let again = MockNextcloud::builder()
        .admin("root", "root-Passw0rd!")
        .seed(&Seed::from_json(document.clone()).unwrap())
        .start()
        .await
        .unwrap();
    assert_eq!(again.snapshot(), snapshot);
    assert_eq!(again.snapshot().to_json(), document);
    let carol = again.user("carol").unwrap();
    assert_eq!(carol.used, ByteSize::new(123_456));
    assert_eq!(carol.quota, "2 GB");
    assert!(again.check_password("carol", "carol-Passw0rd!"));
    assert!(!again.user("alice").unwrap().enabled);
}

#[tokio::test]
async fn unknown_fields_and_impossible_states_are_refused_by_name() {
    let typo = Seed::from_json(json!({"users": [{"id": "a", "password": "p", "qouta": "1 GB"}]}));
    assert!(
        matches!(&typo, Err(SeedError::Format(e)) if e.to_string().contains("qouta")),
        "{typo:?}"
    );
    let top = Seed::from_json(json!({"buckets": []}));
    assert!(top.unwrap_err().to_string().contains("buckets"));

    let cases = [
        (
            json!({"users": [{"id": "a", "password": "p", "groups": ["nope"]}]}),
            "nope",
        ),
        (
            json!({"users": [{"id": "a", "password": "p", "quota": "lots"}]}),
            "lots",
        ),
        (
            json!({"users": [{"id": "a", "password": "p"}, {"id": "A", "password": "q"}]}),
            "twice",
        ),
        (json!({"groups": [{"id": "g"}, {"id": "g"}]}), "twice"),
    ];
    for (document, named) in cases {
        let seed = Seed::from_json(document).unwrap();
        let refused = MockNextcloud::builder()
            .seed(&seed)
            .start()
            .await
            .unwrap_err();
        assert!(
            refused.to_string().contains(named),
            "{refused} should name {named}"
        );
    }
}

#[tokio::test]
async fn faults_read_from_json_apply_and_clear() {
    let mock = MockNextcloud::start().await;
    let fault: Fault =
        serde_json::from_value(json!({"kind": "server_error", "status": 503, "times": 5})).unwrap();
    mock.inject(fault);
    mock.clear_faults();
    let provider = mock.provider().unwrap();
    assert!(provider
        .account(&Username::new("admin").unwrap())
        .await
        .is_ok());

    mock.inject(
        serde_json::from_value(json!({"kind": "throttle", "path": "/cloud/users/nobody"})).unwrap(),
    );
    let client = reqwest::Client::new();
    let status = client
        .get(format!(
            "{}/ocs/v2.php/cloud/users/nobody?format=json",
            mock.url()
        ))
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status, 429);
    let last = mock.request_log().pop().unwrap();
    assert_eq!(
        (last.method.as_str(), last.path.as_str(), last.status),
        ("GET", "/ocs/v2.php/cloud/users/nobody", 429)
    );

    for bad in [
        json!({"kind": "server_error"}),
        json!({"kind": "delay", "ms": 5, "status": 500}),
        json!({"kind": "explode"}),
        json!({"kind": "throttle", "tmies": 2}),
    ] {
        assert!(
            serde_json::from_value::<Fault>(bad.clone()).is_err(),
            "{bad}"
        );
    }
}
