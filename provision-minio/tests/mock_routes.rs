//! The S3 routes the mock serves for attack tests, on the wire: bucket policies and
//! anonymous access, presigned URLs, multipart uploads, object lock, and policy
//! documents read as MinIO reads them.

mod common;

use chrono::{TimeDelta, Utc};
use common::*;
use provision_minio::client::{AdminClient, PolicyEntity};
use provision_minio::mock::attack::{public_write_policy, Answer, RawClient};
use provision_minio::mock::MockMinio;
use reqwest::Method;

const TENANT: &str = "acme";

/// A mock (PBKDF2 replies) with `acme` holding `document` (sent as these bytes) and
/// the buckets `acme` and `other`.
async fn tenant_with_raw_policy(document: &str) -> (MockMinio, AdminClient) {
    let mock = start_mock().await;
    let (admin, _) = clients_for(&mock);
    add_enabled_user(&admin, TENANT, PASSWORD).await;
    let answer = add_raw_canned_policy(&mock, "acme-policy", document).await;
    assert_eq!(answer.status, 200, "{}", answer.text());
    admin
        .attach_policies(PolicyEntity::User(TENANT), &["acme-policy"])
        .await
        .unwrap();
    mock.create_bucket(TENANT).unwrap();
    mock.create_bucket("other").unwrap();
    (mock, admin)
}

/// add-canned-policy with exactly these bytes (the client's call takes a `Value`,
/// which would reorder the keys).
async fn add_raw_canned_policy(mock: &MockMinio, name: &str, document: &str) -> Answer {
    root(mock)
        .signed(
            Method::PUT,
            "/minio/admin/v3/add-canned-policy",
            &format!("name={name}"),
            document.as_bytes().to_vec(),
        )
        .await
        .unwrap()
}

fn root(mock: &MockMinio) -> RawClient {
    RawClient::new(mock, mock.access_key(), &mock.secret_key())
}

fn tenant(mock: &MockMinio) -> RawClient {
    RawClient::new(mock, TENANT, &secret(PASSWORD))
}

/// Asserts an error answer's status and code.
fn assert_error(answer: &Answer, status: u16, code: &str) {
    assert_eq!(answer.status, status, "{}", answer.text());
    assert!(answer.text().contains(code), "{}", answer.text());
}

/// A signed GET of `path?query`.
async fn get(client: &RawClient, path: &str, query: &str) -> Answer {
    client
        .signed(Method::GET, path, query, Vec::new())
        .await
        .unwrap()
}

const OWN_BUCKET_ONLY: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*"],"Resource":["arn:aws:s3:::acme","arn:aws:s3:::acme/*"]}]}"#;

#[tokio::test]
async fn a_later_key_in_another_case_is_the_one_the_mock_enforces() {
    // Go's decoder reads `statement` as `Statement`, and the later one wins.
    let document = r#"{"Version":"2012-10-17",
        "Statement":[{"Effect":"Allow","Action":["s3:GetObject"],"Resource":["arn:aws:s3:::acme/*"]}],
        "statement":[{"Effect":"Allow","Action":["s3:*"],"Resource":["arn:aws:s3:::*"]}]}"#;
    let (mock, _) = tenant_with_raw_policy(document).await;
    tenant_s3(&mock, TENANT, PASSWORD)
        .put_object(&bucket("other"), &key("k"), vec![1])
        .await
        .unwrap();
    assert_eq!(mock.objects("other").unwrap().len(), 1);
}

#[tokio::test]
async fn a_deny_overridden_by_a_later_effect_key_allows() {
    let document = r#"{"Version":"2012-10-17","Statement":[
        {"Effect":"Allow","Action":["s3:*"],"Resource":["arn:aws:s3:::acme","arn:aws:s3:::acme/*"]},
        {"Effect":"Deny","effect":"Allow","Action":["s3:PutObject"],"Resource":["arn:aws:s3:::acme/*"]}]}"#;
    let (mock, _) = tenant_with_raw_policy(document).await;
    tenant_s3(&mock, TENANT, PASSWORD)
        .put_object(&bucket(TENANT), &key("k"), vec![1])
        .await
        .unwrap();
}

#[tokio::test]
async fn an_unknown_key_makes_add_canned_policy_fail() {
    let mock = MockMinio::start().await;
    let document = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*"],"Resource":["arn:aws:s3:::acme"],"Effekt":"Deny"}]}"#;
    let answer = add_raw_canned_policy(&mock, "p", document).await;
    assert_eq!(answer.status, 400);
    assert!(
        answer.text().contains("XMinioMalformedIAMPolicy"),
        "{}",
        answer.text()
    );
    assert!(mock.policy("p").is_none());
}

#[tokio::test]
async fn bucket_policies_are_put_read_and_deleted_on_the_wire() {
    let (mock, _) = tenant_with_raw_policy(OWN_BUCKET_ONLY).await;
    let t = tenant(&mock);
    let missing = get(&t, "/acme", "policy=").await;
    assert_error(&missing, 404, "NoSuchBucketPolicy");

    let policy = public_write_policy(TENANT);
    let put = t
        .signed(Method::PUT, "/acme", "policy=", policy.clone().into_bytes())
        .await
        .unwrap();
    assert_eq!(put.status, 204, "{}", put.text());
    let got = get(&t, "/acme", "policy=").await;
    assert_eq!((got.status, got.text()), (200, policy));

    // A policy reaching outside its bucket is refused.
    let outside = t
        .signed(
            Method::PUT,
            "/acme",
            "policy=",
            public_write_policy("other").into_bytes(),
        )
        .await
        .unwrap();
    assert_error(&outside, 400, "MalformedPolicy");

    let deleted = t
        .signed(Method::DELETE, "/acme", "policy=", Vec::new())
        .await
        .unwrap();
    assert_eq!(deleted.status, 204);
    assert_eq!(mock.bucket_policy(TENANT), None);
}

#[tokio::test]
async fn anonymous_requests_need_a_public_bucket_policy() {
    let (mock, _) = tenant_with_raw_policy(OWN_BUCKET_ONLY).await;
    let anyone = tenant(&mock);
    let refused = anyone
        .anonymous(Method::PUT, "/acme/a", vec![1; 3])
        .await
        .unwrap();
    assert_error(&refused, 403, "AccessDenied");
    let listing = anyone
        .anonymous(Method::GET, "/", Vec::new())
        .await
        .unwrap();
    assert_eq!(listing.status, 403);

    // A policy naming a user does not open the bucket to anonymous requests.
    let named = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":["bob"]},"Action":["s3:PutObject"],"Resource":["arn:aws:s3:::acme/*"]}]}"#;
    let put = tenant(&mock)
        .signed(Method::PUT, "/acme", "policy=", named.as_bytes().to_vec())
        .await
        .unwrap();
    assert_eq!(put.status, 204);
    let refused = anyone
        .anonymous(Method::PUT, "/acme/a", vec![1; 3])
        .await
        .unwrap();
    assert_eq!(refused.status, 403);

    for principal in [r#""*""#, r#"{"AWS":"*"}"#, r#"{"AWS":["*"]}"#] {
        let public = format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{principal},"Action":["s3:PutObject","s3:GetObject"],"Resource":["arn:aws:s3:::acme/*"]}}]}}"#
        );
        mock.delete_object(TENANT, "a").unwrap();
        tenant(&mock)
            .signed(Method::PUT, "/acme", "policy=", public.into_bytes())
            .await
            .unwrap()
            .success()
            .unwrap();
        let put = anyone
            .anonymous(Method::PUT, "/acme/a", vec![1; 3])
            .await
            .unwrap();
        assert_eq!(put.status, 200, "{principal}: {}", put.text());
        let got = anyone
            .anonymous(Method::GET, "/acme/a", Vec::new())
            .await
            .unwrap();
        assert_eq!((got.status, got.body.len()), (200, 3), "{principal}");
    }
    // Not beyond the bucket the policy is on.
    let other = anyone
        .anonymous(Method::PUT, "/other/a", vec![1])
        .await
        .unwrap();
    assert_eq!(other.status, 403);
}

#[tokio::test]
async fn deleting_a_bucket_removes_its_policy() {
    let (mock, _) = tenant_with_raw_policy(OWN_BUCKET_ONLY).await;
    let t = tenant(&mock);
    t.signed(
        Method::PUT,
        "/acme",
        "policy=",
        public_write_policy(TENANT).into_bytes(),
    )
    .await
    .unwrap()
    .success()
    .unwrap();
    t.signed(Method::DELETE, "/acme", "", Vec::new())
        .await
        .unwrap()
        .success()
        .unwrap();
    mock.create_bucket(TENANT).unwrap();
    assert_eq!(mock.bucket_policy(TENANT), None);
    let refused = t.anonymous(Method::PUT, "/acme/a", vec![1]).await.unwrap();
    assert_eq!(refused.status, 403);
}

#[tokio::test]
async fn presigned_urls_act_as_their_signer_until_they_expire() {
    let (mock, _) = tenant_with_raw_policy(OWN_BUCKET_ONLY).await;
    let t = tenant(&mock);
    let url = t.presigned_url(&Method::PUT, "/acme/p", Utc::now(), 600);
    let put = t.send_to(Method::PUT, &url, vec![5; 10]).await.unwrap();
    assert_eq!(put.status, 200, "{}", put.text());
    assert_eq!(mock.stored_bytes(TENANT), 10);
    assert!(mock
        .requests()
        .iter()
        .any(|r| r.access_key.as_deref() == Some(TENANT)));

    // The signer's policy applies: not another tenant's bucket.
    let url = t.presigned_url(&Method::PUT, "/other/p", Utc::now(), 600);
    let refused = t.send_to(Method::PUT, &url, vec![5]).await.unwrap();
    assert_error(&refused, 403, "AccessDenied");

    let old = t.presigned_url(
        &Method::PUT,
        "/acme/q",
        Utc::now() - TimeDelta::hours(2),
        60,
    );
    let expired = t.send_to(Method::PUT, &old, vec![5]).await.unwrap();
    assert_eq!(expired.status, 403);
    assert!(
        expired.text().contains("Request has expired"),
        "{}",
        expired.text()
    );

    let url = t.presigned_url(&Method::PUT, "/acme/q", Utc::now(), 600);
    let tampered = url.replace("/acme/q", "/acme/r");
    let wrong = t.send_to(Method::PUT, &tampered, vec![5]).await.unwrap();
    assert_error(&wrong, 403, "SignatureDoesNotMatch");

    let too_long = t.presigned_url(&Method::PUT, "/acme/q", Utc::now(), 604_801);
    let refused = t.send_to(Method::PUT, &too_long, vec![5]).await.unwrap();
    assert_error(&refused, 400, "AuthorizationQueryParametersError");
    assert!(mock.objects(TENANT).unwrap().iter().all(|o| o.key == "p"));
}

#[tokio::test]
async fn multipart_bytes_count_in_the_usage_once_completed() {
    let (mock, admin) = tenant_with_raw_policy(OWN_BUCKET_ONLY).await;
    let t = tenant(&mock);
    let created = t
        .signed(Method::POST, "/acme/big", "uploads=", Vec::new())
        .await
        .unwrap();
    assert_eq!(created.status, 200);
    let text = created.text();
    let id = text
        .split("<UploadId>")
        .nth(1)
        .and_then(|rest| rest.split("</UploadId>").next())
        .unwrap()
        .to_owned();
    let mut etags = Vec::new();
    for (number, size) in [(1, 300), (2, 200)] {
        let part = t
            .signed(
                Method::PUT,
                "/acme/big",
                &format!("partNumber={number}&uploadId={id}"),
                vec![9; size],
            )
            .await
            .unwrap();
        assert_eq!(part.status, 200);
        etags.push(part.etag.unwrap());
    }
    let listed = get(&t, "/acme", "uploads=").await;
    assert!(listed.text().contains(&id));
    mock.refresh_usage();
    assert_eq!(admin.data_usage().await.unwrap().buckets[TENANT].size, 0);

    let complete = format!(
        "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>{}</ETag></Part><Part><PartNumber>2</PartNumber><ETag>{}</ETag></Part></CompleteMultipartUpload>",
        etags[0], etags[1]
    );
    let done = t
        .signed(
            Method::POST,
            "/acme/big",
            &format!("uploadId={id}"),
            complete.into_bytes(),
        )
        .await
        .unwrap();
    assert_eq!(done.status, 200, "{}", done.text());
    mock.refresh_usage();
    assert_eq!(admin.data_usage().await.unwrap().buckets[TENANT].size, 500);
    let got = t
        .signed(Method::GET, "/acme/big", "", Vec::new())
        .await
        .unwrap();
    assert_eq!(got.body.len(), 500);

    // An aborted upload leaves nothing; an unknown one is NoSuchUpload.
    let created = t
        .signed(Method::POST, "/acme/gone", "uploads=", Vec::new())
        .await
        .unwrap();
    let text = created.text();
    let id = text
        .split("<UploadId>")
        .nth(1)
        .unwrap()
        .split("</UploadId>")
        .next()
        .unwrap();
    let aborted = t
        .signed(
            Method::DELETE,
            "/acme/gone",
            &format!("uploadId={id}"),
            Vec::new(),
        )
        .await
        .unwrap();
    assert_eq!(aborted.status, 204);
    let again = t
        .signed(
            Method::DELETE,
            "/acme/gone",
            &format!("uploadId={id}"),
            Vec::new(),
        )
        .await
        .unwrap();
    assert_error(&again, 404, "NoSuchUpload");
}

#[tokio::test]
async fn object_lock_configuration_is_reported_only_for_locked_buckets() {
    let (mock, _) = tenant_with_raw_policy(OWN_BUCKET_ONLY).await;
    let r = root(&mock);
    let none = get(&r, "/acme", "object-lock=").await;
    assert_error(&none, 404, "ObjectLockConfigurationNotFoundError");
    r.make_locked_bucket("vault").await.unwrap();
    let config = get(&r, "/vault", "object-lock=").await;
    assert_eq!(config.status, 200);
    assert!(config
        .text()
        .contains("<ObjectLockEnabled>Enabled</ObjectLockEnabled>"));
    // Lock implies versioning, which cannot be suspended.
    let suspend = r
        .signed(
            Method::PUT,
            "/vault",
            "versioning=",
            b"<VersioningConfiguration><Status>Suspended</Status></VersioningConfiguration>"
                .to_vec(),
        )
        .await
        .unwrap();
    assert_eq!(suspend.status, 409);
    // Retention needs a lock-enabled bucket.
    mock.put_object(TENANT, "k", 1).unwrap();
    let refused = r
        .put_compliance_retention(TENANT, "k", "2099-01-01T00:00:00Z")
        .await
        .unwrap();
    assert_error(&refused, 400, "InvalidRequest");
}
