//! One retry loop: the requests one call sends under every fault, against the bound
//! `max_retries + 1`, plus at most one more after a session renewal (its login aside).

mod common;

use std::time::Duration;

use common::*;
use provision_core::{ErrorKind, StorageProvider};
use provision_synology::mock::{Fault, MockSynology};
use provision_synology::SynologyProvider;

/// The retries `MockSynology::fast_client_options` allows.
const MAX_RETRIES: usize = 3;

/// A provider logged in to `dsm`, its requests timing out after 300 ms.
async fn impatient(dsm: &MockSynology) -> SynologyProvider {
    let provider = with_timeout(dsm, Duration::from_millis(300)).await;
    assert_eq!(
        MockSynology::fast_client_options().retry.max_retries as usize,
        MAX_RETRIES
    );
    provider
}

/// Sends of `SYNO.Core.User list` and logins one `account` call made under `faults`.
async fn read_under(faults: &[Fault]) -> (usize, usize, Result<(), provision_core::Error>) {
    let dsm = MockSynology::start().await;
    let provider = impatient(&dsm).await;
    for fault in faults {
        dsm.inject(fault.clone());
    }
    let result = provider.account(&user("alice")).await.map(drop);
    (
        dsm.calls("SYNO.Core.User", "list"),
        dsm.calls("SYNO.API.Auth", "login"),
        result,
    )
}

#[tokio::test]
async fn a_read_is_sent_at_most_max_retries_plus_one_times() {
    let list = "SYNO.Core.User.list";
    let forever = 1000;
    let cases: Vec<(&str, Vec<Fault>, usize, usize)> = vec![
        (
            "busy forever",
            vec![Fault::busy().only(list).times(forever)],
            MAX_RETRIES + 1,
            0,
        ),
        (
            "5xx forever",
            vec![Fault::http_status(500).only(list).times(forever)],
            MAX_RETRIES + 1,
            0,
        ),
        (
            "timeout forever",
            vec![Fault::delay(Duration::from_millis(900))
                .only(list)
                .times(forever)],
            MAX_RETRIES + 1,
            0,
        ),
        // Renewed once, re-sent once, and the second "gone" is the answer.
        (
            "session gone forever",
            vec![Fault::api_error(119).only(list).times(forever)],
            2,
            1,
        ),
        (
            "session gone, then busy",
            vec![
                Fault::api_error(106).only(list),
                Fault::busy().only(list).times(forever),
            ],
            MAX_RETRIES + 2,
            1,
        ),
    ];
    for (name, faults, expected_sends, expected_logins) in cases {
        let (sends, logins, result) = read_under(&faults).await;
        assert!(result.is_err(), "{name}: the fault outlasts the retries");
        assert_eq!(sends, expected_sends, "{name}: sends");
        assert_eq!(logins, expected_logins, "{name}: logins");
        assert!(
            sends <= MAX_RETRIES + 1 + logins,
            "{name}: {sends} sends break the bound"
        );
    }
}

#[tokio::test]
async fn a_create_is_sent_once_under_every_fault() {
    let create = ".create";
    let cases: Vec<(&str, Fault)> = vec![
        ("busy", Fault::busy().only(create).times(1000)),
        (
            "a proxy's 500",
            Fault::http_status(500).only(create).times(1000),
        ),
        (
            "timeout",
            Fault::delay(Duration::from_millis(900))
                .only(create)
                .times(1000),
        ),
        ("dropped", Fault::drop_connection().only(create).times(1000)),
    ];
    for (name, fault) in cases {
        let (dsm, provider) = impatient_setup().await;
        dsm.inject(fault);
        let _settled = provider.create_account(&spec("alice", small())).await;
        assert_eq!(dsm.calls("SYNO.Core.User", "create"), 1, "{name}");
    }
}

#[tokio::test]
async fn busy_then_success_is_one_call() {
    let (dsm, provider) = setup().await;
    dsm.inject(Fault::busy().only("SYNO.Core.User.list").times(MAX_RETRIES));
    assert!(provider.account(&user("alice")).await.unwrap().is_none());
    assert_eq!(dsm.calls("SYNO.Core.User", "list"), MAX_RETRIES + 1);
    dsm.reset_request_count();
    dsm.inject(
        Fault::busy()
            .only("SYNO.Core.User.list")
            .times(MAX_RETRIES + 1),
    );
    let err = provider.account(&user("alice")).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transient);
    assert_eq!(err.server_code(), Some("117"));
}
