//! The mock server itself: it authenticates like MinIO, evaluates tenant policies,
//! counts requests, adds latency and fails loudly on routes it does not know.

mod common;

use std::time::{Duration, Instant};

use chrono::Utc;
use common::*;
use provision_core::{ErrorKind, StorageProvider};
use provision_minio::mock::{Dialect, MockMinio};
use provision_minio::wire::sigv4::{self, Credentials, SigningRequest};

/// Sends a raw request signed as `credentials`, with or without the payload hash
/// header, and returns the status and body.
async fn raw_request(
    mock: &MockMinio,
    credentials: &Credentials,
    method: &str,
    path: &str,
    query: &str,
    with_payload_hash: bool,
) -> (u16, String) {
    let url = url::Url::parse(&mock.url()).unwrap();
    let host = format!("{}:{}", url.host_str().unwrap(), url.port().unwrap());
    let now = Utc::now();
    let date = sigv4::amz_date(now);
    let mut headers = vec![("host", host.as_str()), ("x-amz-date", date.as_str())];
    if with_payload_hash {
        headers.push(("x-amz-content-sha256", sigv4::EMPTY_PAYLOAD_SHA256));
    }
    let signed = sigv4::sign(
        credentials,
        &SigningRequest {
            method,
            path,
            query,
            headers: &headers,
            payload_hash: sigv4::EMPTY_PAYLOAD_SHA256,
            region: "",
            service: sigv4::SERVICE_S3,
            time: now,
        },
    )
    .unwrap();
    let target = if query.is_empty() {
        format!("{}{path}", mock.url())
    } else {
        format!("{}{path}?{query}", mock.url())
    };
    let mut request = reqwest::Client::new()
        .request(method.parse().unwrap(), target)
        .header("authorization", signed.authorization)
        .header("x-amz-date", date);
    if with_payload_hash {
        request = request.header("x-amz-content-sha256", sigv4::EMPTY_PAYLOAD_SHA256);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

/// Sends a raw `GET` signed with the root credentials.
async fn root_get(
    mock: &MockMinio,
    path: &str,
    query: &str,
    with_payload_hash: bool,
) -> (u16, String) {
    raw_request(
        mock,
        &mock.credentials(),
        "GET",
        path,
        query,
        with_payload_hash,
    )
    .await
}

#[tokio::test]
async fn a_bad_signature_is_refused_as_minio_does() {
    let mock = start_mock().await;
    let wrong = Credentials::new(mock.access_key(), secret("wrong-secret"));
    let (status, body) = raw_request(&mock, &wrong, "GET", "/minio/admin/v3/info", "", true).await;
    assert_eq!(status, 403);
    assert!(
        body.contains("\"Code\":\"SignatureDoesNotMatch\""),
        "{body}"
    );
    let unknown = Credentials::new("nobody", secret("whatever-secret"));
    let (status, body) = raw_request(&mock, &unknown, "GET", "/", "", true).await;
    assert_eq!(status, 403);
    assert!(body.contains("<Code>InvalidAccessKeyId</Code>"), "{body}");
}

/// Trap: admin calls without `x-amz-content-sha256` are refused even when signed.
#[tokio::test]
async fn trap_admin_calls_need_the_payload_hash_header() {
    let mock = start_mock().await;
    let (status, body) = root_get(&mock, "/minio/admin/v3/info", "", false).await;
    assert_eq!(status, 403);
    assert!(body.contains("AccessDenied"), "{body}");
    let (status, _) = root_get(&mock, "/minio/admin/v3/info", "", true).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn unknown_routes_fail_loudly_naming_method_and_path() {
    let mock = start_mock().await;
    let (status, body) = root_get(&mock, "/minio/admin/v3/service-account-list", "x=1", true).await;
    assert_eq!(status, 501);
    assert!(
        body.contains("GET /minio/admin/v3/service-account-list?x=1"),
        "{body}"
    );
    mock.create_bucket("alice").unwrap();
    let (status, body) = root_get(&mock, "/alice", "tagging", true).await;
    assert_eq!(status, 501);
    assert!(body.contains("GET /alice?tagging"), "{body}");
}

#[tokio::test]
async fn requests_are_counted_and_recorded() {
    let mock = start_mock().await;
    let (admin, _) = clients_for(&mock);
    admin.server_info().await.unwrap();
    admin.user_info("x-y-z").await.unwrap();
    assert_eq!(mock.request_count(), 2);
    let log = mock.requests();
    assert_eq!(log[1].path, "/minio/admin/v3/user-info");
    assert_eq!(log[1].query, "accessKey=x-y-z");
    assert_eq!(log[1].access_key.as_deref(), Some(mock.access_key()));
    mock.reset_request_count();
    assert_eq!(mock.request_count(), 0);
    assert!(mock.requests().is_empty());
}

#[tokio::test]
async fn latency_is_added_to_every_answer() {
    let mock = start_mock().await;
    let (admin, _) = clients_for(&mock);
    admin.server_info().await.unwrap();
    mock.set_latency(Duration::from_millis(150));
    let started = Instant::now();
    admin.server_info().await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(150));
}

#[tokio::test]
async fn tenants_reach_only_their_namespace() {
    let mock = start_mock().await;
    provider_with_accounts(&mock, &["alice", "bob"]).await;
    mock.create_bucket("operator-backups").unwrap();
    let alice = tenant_s3(&mock, "alice", PASSWORD);
    alice.make_bucket(&bucket("alice.photos")).await.unwrap();
    alice
        .put_object(&bucket("alice.photos"), &key("a.jpg"), vec![1, 2, 3])
        .await
        .unwrap();
    // No s3:ListAllMyBuckets: alice sees her own buckets only.
    let names: Vec<String> = alice
        .list_buckets()
        .await
        .unwrap()
        .into_iter()
        .map(|b| b.name)
        .collect();
    assert_eq!(names, ["alice", "alice.photos"]);
    for denied in [
        alice.make_bucket(&bucket("bob.x")).await.unwrap_err(),
        alice.make_bucket(&bucket("alice-x")).await.unwrap_err(),
        alice
            .put_object(&bucket("bob"), &key("k"), vec![1])
            .await
            .unwrap_err(),
        alice
            .list_objects_v2(&bucket("operator-backups"), "", None)
            .await
            .unwrap_err(),
    ] {
        assert_eq!(denied.server_code(), Some("AccessDenied"));
        assert_eq!(denied.kind(), ErrorKind::PermissionDenied);
    }
}

#[tokio::test]
async fn limited_tenant_can_read_and_delete_but_not_write() {
    let mock = start_mock().await;
    let provider = provider_with_accounts(&mock, &["alice"]).await;
    let alice = tenant_s3(&mock, "alice", PASSWORD);
    alice
        .put_object(&bucket("alice"), &key("keep"), vec![0; 10])
        .await
        .unwrap();
    alice
        .put_object(&bucket("alice"), &key("drop"), vec![0; 10])
        .await
        .unwrap();
    provider.set_limited(&user("alice"), true).await.unwrap();
    let err = alice
        .put_object(&bucket("alice"), &key("more"), vec![0; 10])
        .await
        .unwrap_err();
    assert_eq!(err.server_code(), Some("AccessDenied"));
    assert_eq!(
        alice
            .make_bucket(&bucket("alice.x"))
            .await
            .unwrap_err()
            .server_code(),
        Some("AccessDenied")
    );
    assert_eq!(
        alice
            .list_all_objects(&bucket("alice"), "")
            .await
            .unwrap()
            .len(),
        2
    );
    alice
        .delete_objects(&bucket("alice"), &[current_version("drop")])
        .await
        .unwrap();
    provider.set_limited(&user("alice"), false).await.unwrap();
    alice
        .put_object(&bucket("alice"), &key("more"), vec![0; 10])
        .await
        .unwrap();
}

#[tokio::test]
async fn suspended_tenants_cannot_sign_requests() {
    let mock = start_mock().await;
    let provider = provider_with_accounts(&mock, &["alice"]).await;
    let alice = tenant_s3(&mock, "alice", PASSWORD);
    assert!(alice.bucket_exists(&bucket("alice")).await.unwrap());
    provider.suspend(&user("alice")).await.unwrap();
    let err = alice.list_buckets().await.unwrap_err();
    assert_eq!(err.server_code(), Some("InvalidAccessKeyId"));
    // Data and policy stay.
    assert!(mock.policy("provision-alice").is_some());
    assert_eq!(mock.buckets(), ["alice"]);
}

#[tokio::test]
async fn tenants_cannot_use_the_admin_api() {
    let mock = start_mock().await;
    provider_with_accounts(&mock, &["alice"]).await;
    let tenant = Credentials::new("alice", secret(PASSWORD));
    let (status, body) = raw_request(
        &mock,
        &tenant,
        "GET",
        "/minio/admin/v3/list-users",
        "",
        true,
    )
    .await;
    assert_eq!(status, 403);
    assert!(body.contains("AccessDenied"));
}

#[tokio::test]
async fn bucket_quota_is_enforced_against_the_scanned_usage() {
    let mock = start_mock().await;
    let (admin, s3) = clients_for(&mock);
    s3.make_bucket(&bucket("alice")).await.unwrap();
    admin.set_bucket_quota("alice", Some(100)).await.unwrap();
    s3.put_object(&bucket("alice"), &key("a"), vec![0; 60])
        .await
        .unwrap();
    // Not scanned yet: the second write overshoots, as on the real server.
    s3.put_object(&bucket("alice"), &key("b"), vec![0; 60])
        .await
        .unwrap();
    mock.refresh_usage();
    let err = s3
        .put_object(&bucket("alice"), &key("c"), vec![0; 1])
        .await
        .unwrap_err();
    assert_eq!(err.server_code(), Some("XMinioAdminBucketQuotaExceeded"));
}

#[tokio::test]
async fn rustfs_dialect_answers_in_xml_with_its_codes() {
    let mock = MockMinio::builder().dialect(Dialect::RustFs).start().await;
    let (status, body) = root_get(
        &mock,
        "/rustfs/admin/v3/user-info",
        "accessKey=nobody",
        true,
    )
    .await;
    assert_eq!(status, 404);
    assert!(body.contains("<Code>NoSuchResource</Code>"), "{body}");
    let (status, _) = root_get(&mock, "/rustfs/admin/v3/info", "", false).await;
    assert_eq!(
        status, 400,
        "RustFS refuses a missing payload hash with 400"
    );
}

#[test]
fn helpers_refuse_missing_and_invalid_buckets() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let mock = runtime.block_on(MockMinio::start());
    assert!(mock.create_bucket("Bad_Name").is_err());
    assert!(mock.put_object("missing", "k", 1).is_err());
    assert!(mock.set_versioning("missing", true).is_err());
    assert!(mock.objects("missing").is_err());
    assert_eq!(mock.dialect(), Dialect::MinIO);
}

#[tokio::test]
async fn set_usage_sets_a_buckets_scanned_size() {
    let mock = start_mock().await;
    let provider = mock.provider().unwrap();
    create_plain_account(&provider, "alice").await;
    mock.set_usage("alice", 5000).unwrap();
    assert_eq!(
        provider.usage(&user("alice")).await.unwrap().used,
        Some(provision_core::ByteSize::new(5000))
    );
    mock.set_versioning("alice", true).unwrap();
    mock.set_usage("alice", 70).unwrap();
    mock.set_usage("alice", 80).unwrap();
    assert_eq!(
        provider.usage(&user("alice")).await.unwrap().used,
        Some(provision_core::ByteSize::new(80))
    );
    assert!(mock.set_usage("missing", 1).is_err());
}

/// The id byte (offset 32) of an encrypted list-users answer.
async fn reply_id(mock: &MockMinio) -> u8 {
    let root =
        provision_minio::mock::attack::RawClient::new(mock, mock.access_key(), &mock.secret_key());
    let answer = root
        .signed(
            reqwest::Method::GET,
            "/minio/admin/v3/list-users",
            "",
            Vec::new(),
        )
        .await
        .unwrap();
    assert_eq!(answer.status, 200, "{}", answer.text());
    answer.body[32]
}

#[tokio::test]
async fn encrypted_answers_use_the_imitated_servers_id() {
    use provision_minio::wire::madmin::Algorithm;
    // A community MinIO on AES hardware answers with id 0; RustFS 1.0.1 with id 2.
    assert_eq!(reply_id(&MockMinio::start().await).await, 0);
    let rustfs = MockMinio::builder().dialect(Dialect::RustFs).start().await;
    assert_eq!(reply_id(&rustfs).await, 2);
    for (algorithm, id) in [
        (Algorithm::Argon2idChaCha20Poly1305, 1),
        (Algorithm::Pbkdf2AesGcm, 2),
    ] {
        let mock = MockMinio::builder()
            .reply_algorithm(algorithm)
            .start()
            .await;
        assert_eq!(reply_id(&mock).await, id);
    }
}
