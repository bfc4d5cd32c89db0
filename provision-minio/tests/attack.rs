//! A tenant tries every route by which it could keep adding bytes (issue 12): on the
//! mock, with its own policy evaluator, bucket policies, anonymous access, presigned
//! URLs, multipart uploads and object lock. The tenant's IAM documents are written
//! here, not taken from the library, so these tests show what the server allows.

mod common;

use common::*;
use provision_minio::client::{AdminClient, ObjectIdentifier, PolicyEntity};
use provision_minio::mock::attack::{
    delete_bucket_policy, routes_that_add_bytes, set_public_write_policy, RawClient, Route,
};
use provision_minio::mock::MockMinio;
use serde_json::{json, Value};

const TENANT: &str = "acme";
const POLICY: &str = "acme-policy";

fn namespace() -> Value {
    json!([
        format!("arn:aws:s3:::{TENANT}"),
        format!("arn:aws:s3:::{TENANT}/*"),
        format!("arn:aws:s3:::{TENANT}.*"),
    ])
}

/// The document MinIO's standard tenant policy used to be: `s3:*` on the namespace.
fn everything() -> Value {
    json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["s3:*"], "Resource": namespace()}
    ]})
}

/// Today's limited document: read, list, delete.
fn read_list_delete() -> Value {
    json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow",
         "Action": ["s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation", "s3:DeleteObject"],
         "Resource": namespace()}
    ]})
}

/// The limited document with a Deny on setting bucket policies.
fn read_list_delete_denying_bucket_policies() -> Value {
    let mut document = read_list_delete();
    document["Statement"].as_array_mut().unwrap().push(json!(
        {"Effect": "Deny", "Action": ["s3:PutBucketPolicy"], "Resource": namespace()}
    ));
    document
}

/// A mock with the tenant holding `everything()` and its bucket made by itself.
async fn tenant_with_everything() -> (MockMinio, AdminClient) {
    let mock = start_mock().await;
    let (admin, _) = clients_for(&mock);
    add_enabled_user(&admin, TENANT, PASSWORD).await;
    admin
        .add_canned_policy(POLICY, &everything())
        .await
        .unwrap();
    admin
        .attach_policies(PolicyEntity::User(TENANT), &[POLICY])
        .await
        .unwrap();
    tenant_s3(&mock, TENANT, PASSWORD)
        .make_bucket(&bucket(TENANT))
        .await
        .unwrap();
    (mock, admin)
}

#[tokio::test]
async fn a_tenant_with_s3_star_adds_bytes_by_every_route_but_a_missing_bucket_policy() {
    let (mock, _admin) = tenant_with_everything().await;
    let routes = routes_that_add_bytes(&mock, TENANT, &secret(PASSWORD), TENANT)
        .await
        .unwrap();
    // No bucket policy was there before, so the plain anonymous PUT is refused.
    let expected: Vec<Route> = Route::ALL
        .into_iter()
        .filter(|r| *r != Route::AnonymousPut)
        .collect();
    assert_eq!(routes, expected);
    assert!(mock.bucket_is_public(TENANT));
    assert!(mock.stored_bytes(&format!("{TENANT}.x")) > 0);
}

#[tokio::test]
async fn limiting_only_the_iam_policy_leaves_the_bucket_policy_route_open() {
    let (mock, admin) = tenant_with_everything().await;
    set_public_write_policy(&mock, TENANT, &secret(PASSWORD), TENANT)
        .await
        .unwrap();
    // The limit switch as the library does it today: rewrite the IAM document only.
    admin
        .add_canned_policy(POLICY, &read_list_delete())
        .await
        .unwrap();

    let routes = routes_that_add_bytes(&mock, TENANT, &secret(PASSWORD), TENANT)
        .await
        .unwrap();
    // The public bucket policy lets anyone put objects, the tenant's own signed,
    // multipart and presigned requests included; setting a new policy and making a
    // sibling bucket are refused.
    assert_eq!(
        routes,
        [
            Route::SignedPut,
            Route::SignedMultipart,
            Route::PresignedPut,
            Route::AnonymousPut,
        ]
    );
    assert!(mock.buckets().iter().all(|b| b != "acme.x"));
}

#[tokio::test]
async fn limiting_with_the_bucket_policy_removed_and_denied_closes_every_route() {
    let (mock, admin) = tenant_with_everything().await;
    set_public_write_policy(&mock, TENANT, &secret(PASSWORD), TENANT)
        .await
        .unwrap();
    admin
        .add_canned_policy(POLICY, &read_list_delete_denying_bucket_policies())
        .await
        .unwrap();
    delete_bucket_policy(&mock, mock.access_key(), &mock.secret_key(), TENANT)
        .await
        .unwrap();
    let before = mock.stored_bytes(TENANT);

    let routes = routes_that_add_bytes(&mock, TENANT, &secret(PASSWORD), TENANT)
        .await
        .unwrap();
    assert_eq!(routes, []);
    assert_eq!(mock.stored_bytes(TENANT), before);
    assert_eq!(mock.bucket_policy(TENANT), None);
    assert_eq!(mock.buckets(), [TENANT]);
}

#[tokio::test]
async fn a_compliance_retention_set_by_the_tenant_stops_root_from_deleting() {
    let (mock, _admin) = tenant_with_everything().await;
    let tenant = RawClient::new(&mock, TENANT, &secret(PASSWORD));
    let vault = format!("{TENANT}.vault");
    tenant.make_locked_bucket(&vault).await.unwrap();
    assert!(mock.object_lock_enabled(&vault));
    tenant_s3(&mock, TENANT, PASSWORD)
        .put_object(&bucket(&vault), &key("kept"), vec![7; 64])
        .await
        .unwrap();
    tenant
        .put_compliance_retention(&vault, "kept", "2099-01-01T00:00:00Z")
        .await
        .unwrap()
        .success()
        .unwrap();

    // Root lists the versions and deletes them, as terminate does: refused per key.
    let (_, root) = clients_for(&mock);
    let versions = mock.objects(&vault).unwrap();
    assert_eq!(versions.len(), 1);
    let err = root
        .delete_objects(
            &bucket(&vault),
            &[ObjectIdentifier {
                key: "kept".into(),
                version_id: Some(versions[0].version_id.clone()),
            }],
        )
        .await
        .unwrap_err();
    // MinIO: ErrObjectLocked, "Object is WORM protected and cannot be overwritten."
    assert_eq!(err.server_code(), Some("InvalidRequest"));
    assert_eq!(mock.objects(&vault).unwrap(), versions);
    let err = root.delete_bucket(&bucket(&vault)).await.unwrap_err();
    assert_eq!(err.server_code(), Some("BucketNotEmpty"));
    assert!(mock.buckets().contains(&vault));
}
