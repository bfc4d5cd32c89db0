//! The mock DSM's seed and snapshot: a chosen administrator, a seeded start state that
//! the provider sees, refusals naming the bad field, and a snapshot that starts the same
//! state again.

use provision_core::quota::ByteSize;
use provision_core::{StorageProvider, Username};
use provision_synology::mock::seed::{Seed, SeedError};
use provision_synology::mock::{Fault, MockSynology};
use serde_json::json;

const GIB: u64 = 1 << 30;

fn seed() -> Seed {
    Seed::from_json(json!({
        "admins": [{"name": "ops", "password": "Ops-Passw0rd"},
                   {"name": "root-ops", "password": "ignored-Passw0rd1", "description": "start admin"}],
        "users": [
            {"name": "c42-s7", "password": "Cust-Passw0rd1", "email": "alice@example.com",
             "description": "client 42 / service 7", "used_bytes": 3 * 1048576 + 512},
            {"name": "c43-s8", "password": "Cust-Passw0rd2", "expired": "now", "uid": 2000}
        ],
        "groups": [
            {"name": "plan-10g", "description": "Plan 10 GB", "homes_quota_bytes": 10 * GIB,
             "members": ["c42-s7", "c43-s8"]},
            {"name": "users", "description": "System default group", "homes_quota_bytes": GIB}
        ]
    }))
    .unwrap()
}

async fn seeded() -> MockSynology {
    MockSynology::builder()
        .admin("root-ops", "Root-Passw0rd1")
        .seed(&seed())
        .start()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_provider_sees_the_seeded_accounts_as_the_administrator_given() {
    let dsm = seeded().await;
    assert_eq!(dsm.admin_account(), "root-ops");
    assert!(dsm.password_is("root-ops", "Root-Passw0rd1"));
    assert_eq!(dsm.user("root-ops").unwrap().description, "start admin");
    assert!(dsm
        .user("ops")
        .unwrap()
        .groups
        .contains(&"administrators".to_string()));
    assert_eq!(dsm.user("c43-s8").unwrap().uid, 2000);
    assert_eq!(dsm.user("c43-s8").unwrap().expired, "now");

    let provider = dsm.provider_builder().build().unwrap();
    let user = Username::new("c42-s7").unwrap();
    let usage = provider.usage(&user).await.unwrap();
    assert!(
        usage.used.is_some_and(|u| u >= ByteSize::new(3 * 1048576)),
        "{usage:?}"
    );
    let info = provider.account(&user).await.unwrap().unwrap();
    assert_eq!(info.email.as_deref(), Some("alice@example.com"));
    let groups = provider.list_groups().await.unwrap();
    assert!(groups.iter().any(|g| g.as_str() == "plan-10g"));
    // A new account gets the next uid after the seeded ones.
    assert_eq!(dsm.add_user("later", "Later-Passw0rd1"), 2001);
}

#[tokio::test]
async fn a_snapshot_starts_the_same_state_again() {
    let dsm = seeded().await;
    let provider = dsm.provider_builder().build().unwrap();
    provider
        .suspend(&Username::new("c42-s7").unwrap())
        .await
        .unwrap();
    dsm.set_usage("c43-s8", ByteSize::new(7 * 1048576));

    let snapshot = dsm.snapshot();
    let document = snapshot.to_json();
    let again = MockSynology::builder()
        .admin("root-ops", "Root-Passw0rd1")
        .seed(&Seed::from_json(document.clone()).unwrap())
        .start()
        .await
        .unwrap();
    assert_eq!(again.snapshot(), snapshot);
    assert_eq!(again.snapshot().to_json(), document);
    assert_eq!(again.user("c42-s7").unwrap().expired, "now");
    assert_eq!(again.user("c43-s8").unwrap().used_mib, 7.0);
    assert!(again.password_is("c42-s7", "Cust-Passw0rd1"));
    assert_eq!(
        again.group_members("plan-10g").unwrap(),
        vec!["c42-s7".to_string(), "c43-s8".to_string()]
    );
}

#[tokio::test]
async fn unknown_fields_and_impossible_states_are_refused_by_name() {
    let typo =
        Seed::from_json(json!({"users": [{"name": "a", "password": "p", "disabled": true}]}));
    assert!(
        matches!(&typo, Err(SeedError::Format(e)) if e.to_string().contains("disabled")),
        "{typo:?}"
    );

    let cases = [
        (
            json!({"groups": [{"name": "g", "members": ["ghost"]}]}),
            "ghost",
        ),
        (
            json!({"users": [{"name": "a", "password": "p"}, {"name": "A", "password": "q"}]}),
            "twice",
        ),
        (
            json!({"users": [{"name": "a", "password": "p", "uid": 1024}]}),
            "1024",
        ),
        (json!({"groups": [{"name": "g".repeat(33)}]}), "32"),
    ];
    for (document, named) in cases {
        let seed = Seed::from_json(document).unwrap();
        let refused = MockSynology::builder()
            .seed(&seed)
            .start()
            .await
            .unwrap_err();
        assert!(
            refused.to_string().contains(named),
            "{refused} should name {named}"
        );
    }
    let builtin = MockSynology::builder()
        .admin("guest", "Guest-Passw0rd1")
        .start()
        .await;
    assert!(builtin.is_err());
}

#[tokio::test]
async fn faults_read_from_json_apply_and_the_log_keeps_statuses() {
    let dsm = MockSynology::start().await;
    let fault: Fault = serde_json::from_value(
        json!({"kind": "http_status", "status": 503, "only": "SYNO.API.Info"}),
    )
    .unwrap();
    dsm.inject(fault);
    let status = reqwest::get(format!(
        "{}/webapi/query.cgi?api=SYNO.API.Info&version=1&method=query",
        dsm.url()
    ))
    .await
    .unwrap()
    .status();
    assert_eq!(status, 503);
    assert_eq!(dsm.requests().last().unwrap().status, 503);

    for bad in [
        json!({"kind": "api_error"}),
        json!({"kind": "html", "code": 3}),
        json!({"kind": "unplug"}),
        json!({"kind": "busy", "time": 2}),
    ] {
        assert!(
            serde_json::from_value::<Fault>(bad.clone()).is_err(),
            "{bad}"
        );
    }
}
