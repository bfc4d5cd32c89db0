//! The life of one MinIO account, including a limit switch: create, upload as the
//! tenant, read usage, restrict past the limit (writes refused, reads and deletes
//! kept), lift it, suspend, change password and plan, terminate. Then the guards: the
//! provider's own login is never changed, terminate deletes no bucket it cannot show
//! is the tenant's, and a tenant gets a bucket feature such as bucket policies only
//! where the operator opted in (and loses its bucket policies when it is limited).
//!
//! Against a real MinIO or RustFS when PROVISION_MINIO_URL, PROVISION_MINIO_USER (the
//! access key) and PROVISION_MINIO_PASSWORD (the secret key) are set; otherwise against
//! the in-process mock.
//!
//! ```sh
//! cargo run --example minio
//! ```

use std::time::{SystemTime, UNIX_EPOCH};

use provision::core::error::DeletionRefusal;
use provision::core::rules::{GeneratePassword, PasswordRule};
use provision::core::{
    AccountSpec, ByteSize, Error, Plan, Quota, StorageProvider, Usage, Username,
};
use provision::minio::client::{BucketName, ObjectKey, S3Client};
use provision::minio::mock::MockMinio;
use provision::minio::wire::policy::{BucketFeature, BucketFeatures};
use provision::minio::{Credentials, MinioProvider, MinioProviderBuilder, PolicyKind};

type AnyError = Box<dyn std::error::Error + Send + Sync>;

fn show(usage: &Usage) -> String {
    match (usage.used, usage.measured_at) {
        (Some(used), Some(at)) => format!("{used} (scanned at {at})"),
        (Some(used), None) => used.to_string(),
        (None, _) => "not scanned yet".to_owned(),
    }
}

#[tokio::main]
async fn main() -> Result<(), AnyError> {
    // The mock must outlive the provider that talks to it.
    let mut mock = None;
    let builder = match MinioProvider::builder_from_env()? {
        Some(builder) => {
            println!("using the server at $PROVISION_MINIO_URL");
            builder
        }
        None => {
            println!("PROVISION_MINIO_URL is not set: using the in-process mock server");
            let started = MockMinio::start().await;
            let builder = started.provider_builder();
            mock = Some(started);
            builder
        }
    };
    let provider = builder.clone().build()?;

    let server = provider.test_connection().await?;
    println!(
        "connected: {} {} (admin API at {})",
        server.product,
        server.version.as_deref().unwrap_or("(version unknown)"),
        server
            .details
            .get("admin_prefix")
            .map_or("?", String::as_str),
    );

    let seconds = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs();
    let user = Username::new(format!("example-{seconds}"))?;
    let small = Plan::new("1 MB".parse::<Quota>()?);
    let large = Plan::new("1 GB".parse::<Quota>()?);
    // The tenant signs with its own keys: its policy reaches its namespace only.
    let (tenant, _) = tenant_of(&provider, &user, &small).await?;
    let namespace = provider.namespace(&user)?;
    println!(
        "created {user}: policy {}, buckets {} and {}.*",
        provider.policy_name(&user)?,
        namespace.default_bucket(),
        namespace.token()
    );

    tenant
        .put_object(
            &namespace.default_bucket_name(),
            &ObjectKey::new("hello.txt")?,
            vec![b'x'; 2 << 20],
        )
        .await?;
    println!(
        "the tenant uploaded 2 MiB to {}",
        namespace.default_bucket()
    );
    match tenant.list_buckets().await {
        Ok(buckets) => println!(
            "the tenant sees {} bucket(s): {:?}",
            buckets.len(),
            buckets.iter().map(|b| b.name.as_str()).collect::<Vec<_>>()
        ),
        Err(e) => println!("the tenant cannot list buckets: {e}"),
    }

    if let Some(mock) = &mock {
        // A real server's scanner runs by itself, minutes later.
        mock.refresh_usage();
    }
    let usage = provider.usage(&user).await?;
    println!("usage of {user}: {}", show(&usage));

    // Past the limit: the policy document becomes the limited one, in place.
    let kind = provider.update_policy(&user, small.quota).await?;
    println!("policy by usage against {}: {kind:?}", small.quota);
    if kind == PolicyKind::Standard {
        println!("(usage not scanned yet: switching to limited by hand)");
        provider.set_limited(&user, true).await?;
    }
    match tenant
        .put_object(
            &namespace.default_bucket_name(),
            &ObjectKey::new("more.txt")?,
            b"more".to_vec(),
        )
        .await
    {
        Ok(()) => println!("unexpected: a limited tenant could write"),
        Err(e) => println!("limited: the tenant's upload is refused ({e})"),
    }
    let objects = tenant
        .list_all_objects(&namespace.default_bucket_name(), "")
        .await?;
    println!(
        "limited: the tenant can still list its {} object(s)",
        objects.len()
    );

    provider.change_plan(&user, &small, &large).await?;
    println!(
        "moved {user} to {}: the standard policy is back",
        large.quota
    );
    tenant
        .put_object(
            &namespace.default_bucket_name(),
            &ObjectKey::new("more.txt")?,
            b"more".to_vec(),
        )
        .await?;
    println!("the tenant can write again");

    provider.suspend(&user).await?;
    println!("suspended {user}");
    provider
        .change_password(&user, &PasswordRule::parse("20")?.generate())
        .await?;
    let status = provider.account(&user).await?.map(|a| a.status);
    println!("changed the password; the account stays {status:?}");
    provider.unsuspend(&user).await?;
    println!("unsuspended {user}");

    let all = provider.usage_all().await?;
    let mine = all.iter().find(|(u, _)| u == &user).map(|(_, u)| show(u));
    println!(
        "usage of all {} account(s) in one sweep; {user}: {}",
        all.len(),
        mine.unwrap_or_else(|| "missing".into())
    );

    provider.terminate(&user).await?;
    println!("terminated {user}: its buckets, user and policy are gone");
    let left = provider
        .usage(&user)
        .await
        .map(|u| u.used.unwrap_or(ByteSize::ZERO));
    println!(
        "usage after terminate: {}",
        match left {
            Ok(used) => format!("{used} (unexpected)"),
            Err(e) => format!("{e}"),
        }
    );

    guards(&provider, builder, seconds).await
}

/// What the provider refuses to do, whatever it is asked.
async fn guards(
    provider: &MinioProvider,
    builder: MinioProviderBuilder,
    seconds: u64,
) -> Result<(), AnyError> {
    // The account the provider logs in with: refused before any request is sent.
    let login = Username::new(provider.admin().access_key())?;
    match provider.suspend(&login).await {
        Err(e @ Error::ProtectedAccount { .. }) => println!("suspend of the login: {e}"),
        other => return Err(format!("suspend of the login answered {other:?}").into()),
    }

    // Buckets named like a namespace, with no user of ours: terminate deletes nothing.
    let stranger = Username::new(format!("stranger-{seconds}"))?;
    let stray = BucketName::new(stranger.as_str())?;
    provider.s3().make_bucket(&stray).await?;
    match provider.terminate(&stranger).await {
        Err(
            e @ Error::DeletionRefused {
                reason: DeletionRefusal::OwnershipUnproven,
                ..
            },
        ) => println!("{e}"),
        other => return Err(format!("terminate of {stranger} answered {other:?}").into()),
    }
    provider.s3().delete_bucket(&stray).await?;

    // A bucket policy would let anonymous requests write past the limit; the standard
    // document denies setting one.
    let plan = Plan::new("1 GB".parse::<Quota>()?);
    let plain = Username::new(format!("plain-{seconds}"))?;
    let (tenant, bucket) = tenant_of(provider, &plain, &plan).await?;
    match tenant
        .put_bucket_policy(&bucket, public_write(&bucket).as_bytes())
        .await
    {
        Ok(()) => return Err(format!("{plain} set a public-write bucket policy").into()),
        Err(e) => println!("{plain} may not set a bucket policy ({e})"),
    }
    provider.terminate(&plain).await?;

    // A product whose operator opted in to bucket policies: the tenant may set one, and
    // the limit switch removes it, so nothing writes past the limit.
    let opted = builder
        .bucket_features(BucketFeatures::of([BucketFeature::BucketPolicy]))
        .build()?;
    let sharer = Username::new(format!("sharer-{seconds}"))?;
    let (tenant, bucket) = tenant_of(&opted, &sharer, &plan).await?;
    tenant
        .put_bucket_policy(&bucket, public_write(&bucket).as_bytes())
        .await?;
    println!(
        "opted in: {sharer} set a bucket policy (kept: {})",
        opted.s3().bucket_policy(&bucket).await?.is_some()
    );
    opted.set_limited(&sharer, true).await?;
    if opted.s3().bucket_policy(&bucket).await?.is_some() {
        return Err(format!("{sharer} kept its bucket policy while limited").into());
    }
    println!("limited: {sharer}'s bucket policy is removed");
    opted.terminate(&sharer).await?;
    Ok(())
}

/// Creates `user` on `plan` and returns its own S3 client (signing with the keys the
/// customer was given) and its default bucket.
async fn tenant_of(
    provider: &MinioProvider,
    user: &Username,
    plan: &Plan,
) -> Result<(S3Client, BucketName), AnyError> {
    let password = PasswordRule::parse("20")?.generate();
    provider
        .create_account(&AccountSpec {
            username: user.clone(),
            password: password.clone(),
            email: None,
            display_name: None,
            plan: plan.clone(),
        })
        .await?;
    let tenant = S3Client::new(
        provider.admin().endpoint().as_str(),
        Credentials::new(user.as_str(), password),
        provider.s3().region(),
        &Default::default(),
    )?;
    Ok((tenant, provider.namespace(user)?.default_bucket_name()))
}

/// A bucket policy letting anyone upload: the escape a tenant would try.
fn public_write(bucket: &BucketName) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":["*"]}},"Action":["s3:PutObject"],"Resource":["arn:aws:s3:::{}/*"]}}]}}"#,
        bucket.as_str()
    )
}
