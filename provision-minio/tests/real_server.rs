//! Opt-in: the whole account life on a real MinIO or RustFS, chosen by
//! `PROVISION_MINIO_URL`, `PROVISION_MINIO_USER` (the access key) and
//! `PROVISION_MINIO_PASSWORD` (the secret key), core's one environment scheme.
//! It creates one account with a unique name and always terminates it.

mod common;

use common::*;
use provision_core::{AccountStatus, ErrorKind, StorageProvider};
use provision_minio::client::S3Client;
use provision_minio::Credentials;
use provision_minio::MinioProvider;

fn provider_from_env() -> Option<MinioProvider> {
    match MinioProvider::builder_from_env() {
        Ok(Some(builder)) => Some(builder.build().expect("provider from the environment")),
        Ok(None) => {
            eprintln!(
                "skipped: set PROVISION_MINIO_URL, PROVISION_MINIO_USER and \
                 PROVISION_MINIO_PASSWORD to run against a real server"
            );
            None
        }
        Err(e) => panic!("the PROVISION_MINIO_* variables are incomplete: {e}"),
    }
}

#[tokio::test]
#[ignore = "needs a real MinIO: set PROVISION_MINIO_URL and run with --ignored"]
async fn account_life_on_a_real_server() {
    let Some(provider) = provider_from_env() else {
        return;
    };
    let name = format!("prov-it-{:x}", chrono::Utc::now().timestamp_millis());
    let alice = user(&name);
    let outcome = life(&provider, &name).await;
    // Always clean up, then report the first failure.
    let cleanup = provider.terminate(&alice).await;
    if let Err(message) = outcome {
        panic!("{message}");
    }
    cleanup.expect("terminate");
    assert!(provider.account(&alice).await.unwrap().is_none());
}

fn fail(step: &'static str) -> impl Fn(provision_core::Error) -> String {
    move |e| format!("{step}: {e}")
}

async fn life(provider: &MinioProvider, name: &str) -> Result<(), String> {
    let alice = user(name);
    let info = provider
        .test_connection()
        .await
        .map_err(fail("test_connection"))?;
    eprintln!("server: {} {:?}", info.product, info.version);

    provider
        .create_account(&spec(name, plan(1, &[])))
        .await
        .map_err(fail("create"))?;
    let tenant = S3Client::new(
        provider.admin().endpoint().as_str(),
        Credentials::new(name, secret(PASSWORD)),
        provider.s3().region(),
        &fast_options(),
    )
    .map_err(fail("tenant client"))?;
    let bucket = provider.namespace(&alice).map_err(fail("namespace"))?;
    tenant
        .put_object(
            &bucket.default_bucket_name(),
            &key("hello.txt"),
            b"hello".to_vec(),
        )
        .await
        .map_err(fail("tenant put"))?;

    provider
        .set_limited(&alice, true)
        .await
        .map_err(fail("limit"))?;
    match tenant
        .put_object(
            &bucket.default_bucket_name(),
            &key("more.txt"),
            b"x".to_vec(),
        )
        .await
    {
        Err(e) if e.kind() == ErrorKind::PermissionDenied => {}
        other => return Err(format!("a limited tenant could write: {other:?}")),
    }
    provider
        .set_limited(&alice, false)
        .await
        .map_err(fail("lift limit"))?;

    provider.suspend(&alice).await.map_err(fail("suspend"))?;
    provider
        .change_password(&alice, &secret("Another-Secret-789"))
        .await
        .map_err(fail("change password"))?;
    let status = provider
        .account(&alice)
        .await
        .map_err(fail("account"))?
        .map(|a| a.status);
    if status != Some(AccountStatus::Suspended) {
        return Err(format!(
            "the password change changed the status: {status:?}"
        ));
    }
    provider.usage(&alice).await.map_err(fail("usage"))?;
    provider.usage_all().await.map_err(fail("usage_all"))?;
    Ok(())
}

/// The same steps on the mock, so the opt-in test is known to work before it meets a
/// real server.
#[tokio::test]
async fn account_life_on_the_mock() {
    let mock = provision_minio::mock::MockMinio::start().await;
    let provider = provider_for(&mock);
    life(&provider, "prov-it-mock").await.unwrap();
    provider.terminate(&user("prov-it-mock")).await.unwrap();
    assert!(mock.user_names().is_empty() && mock.buckets().is_empty());
}
