//! Names reach the URL path exactly, one segment each, for every client call that puts
//! one there; names that would step out of their segment cannot be made (issue 12).

mod common;

use common::{group, mock_and_provider, user, PASSWORD};
use provision_core::{GroupName, Username};
use provision_nextcloud::client::UserField;
use provision_nextcloud::mock::MockNextcloud;

/// A valid id with a space, an apostrophe, dots and `@`.
const ID: &str = "d'Arc J.@x";
/// How it travels in a path segment.
const ID_IN_PATH: &str = "d'Arc%20J.@x";
/// A valid group id with a space, a dot and a non-ASCII letter.
const GROUP: &str = "Grüne G.";
const GROUP_IN_PATH: &str = "Gr%C3%BCne%20G.";

fn last_request(mock: &MockNextcloud) -> String {
    mock.requests().pop().unwrap()
}

async fn set_up() -> (MockNextcloud, provision_nextcloud::NextcloudProvider) {
    let (mock, provider) = mock_and_provider().await;
    assert!(mock.add_user(ID, PASSWORD));
    assert!(mock.add_group(GROUP));
    (mock, provider)
}

#[tokio::test]
async fn user_reads_the_account_at_its_path() {
    let (mock, provider) = set_up().await;
    let record = provider.client().user(&user(ID)).await.unwrap();
    assert_eq!(record.id, ID);
    assert_eq!(
        last_request(&mock),
        format!("GET /ocs/v2.php/cloud/users/{ID_IN_PATH}")
    );
}

#[tokio::test]
async fn edit_user_changes_the_account_at_its_path() {
    let (mock, provider) = set_up().await;
    provider
        .client()
        .edit_user(&user(ID), UserField::DisplayName("Jeanne"))
        .await
        .unwrap();
    assert_eq!(
        last_request(&mock),
        format!("PUT /ocs/v2.php/cloud/users/{ID_IN_PATH}")
    );
    assert_eq!(
        mock.user(ID).unwrap().display_name.as_deref(),
        Some("Jeanne")
    );
}

#[tokio::test]
async fn set_enabled_reaches_the_account_at_its_path() {
    let (mock, provider) = set_up().await;
    provider
        .client()
        .set_enabled(&user(ID), false)
        .await
        .unwrap();
    assert_eq!(
        last_request(&mock),
        format!("PUT /ocs/v2.php/cloud/users/{ID_IN_PATH}/disable")
    );
    assert!(!mock.user(ID).unwrap().enabled);
}

#[tokio::test]
async fn delete_user_deletes_the_account_at_its_path() {
    let (mock, provider) = set_up().await;
    provider.client().delete_user(&user(ID)).await.unwrap();
    assert_eq!(
        last_request(&mock),
        format!("DELETE /ocs/v2.php/cloud/users/{ID_IN_PATH}")
    );
    assert!(mock.user(ID).is_none());
    assert!(mock.user("admin").is_some());
}

#[tokio::test]
async fn user_groups_reads_the_account_at_its_path() {
    let (mock, provider) = set_up().await;
    assert!(mock.add_member(ID, GROUP));
    let groups = provider.client().user_groups(&user(ID)).await.unwrap();
    assert_eq!(groups, vec![GROUP]);
    assert_eq!(
        last_request(&mock),
        format!("GET /ocs/v2.php/cloud/users/{ID_IN_PATH}/groups")
    );
}

#[tokio::test]
async fn add_to_group_and_remove_from_group_reach_the_account_at_its_path() {
    let (mock, provider) = set_up().await;
    provider
        .client()
        .add_to_group(&user(ID), &group(GROUP))
        .await
        .unwrap();
    assert_eq!(
        last_request(&mock),
        format!("POST /ocs/v2.php/cloud/users/{ID_IN_PATH}/groups")
    );
    assert_eq!(mock.user(ID).unwrap().groups, vec![GROUP]);
    provider
        .client()
        .remove_from_group(&user(ID), &group(GROUP))
        .await
        .unwrap();
    assert_eq!(
        last_request(&mock),
        format!("DELETE /ocs/v2.php/cloud/users/{ID_IN_PATH}/groups")
    );
    assert!(mock.user(ID).unwrap().groups.is_empty());
}

#[tokio::test]
async fn group_members_reads_the_group_at_its_path() {
    let (mock, provider) = set_up().await;
    assert!(mock.add_member(ID, GROUP));
    let members = provider
        .client()
        .group_members(&group(GROUP))
        .await
        .unwrap();
    assert_eq!(members, vec![ID]);
    assert_eq!(
        last_request(&mock),
        format!("GET /ocs/v2.php/cloud/groups/{GROUP_IN_PATH}/users")
    );
}

#[tokio::test]
async fn delete_group_deletes_the_group_at_its_path() {
    let (mock, provider) = set_up().await;
    provider.client().delete_group(&group(GROUP)).await.unwrap();
    assert_eq!(
        last_request(&mock),
        format!("DELETE /ocs/v2.php/cloud/groups/{GROUP_IN_PATH}")
    );
    assert!(!mock.groups().contains(&GROUP.to_string()));
    assert!(mock.groups().contains(&"admin".to_string()));
}

#[test]
fn names_that_leave_their_segment_cannot_be_made() {
    for name in [
        ".",
        "..",
        "../admin",
        "a/b",
        "a\\b",
        "a?b",
        "a#b",
        "%2e%2e",
        "*",
        "${aws:username}",
    ] {
        assert!(Username::new(name).is_err(), "{name}");
        assert!(GroupName::new(name).is_err(), "{name}");
    }
}
