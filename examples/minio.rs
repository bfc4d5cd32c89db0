//! The life of one MinIO account, including a limit switch: create, upload as the
//! tenant, read usage, restrict past the limit (writes refused, reads and deletes
//! kept), lift it, suspend, change password and plan, terminate.
//!
//! Against a real MinIO or RustFS when PROVISION_MINIO_URL, PROVISION_MINIO_USER (the
//! access key) and PROVISION_MINIO_PASSWORD (the secret key) are set; otherwise against
//! the in-process mock.
//!
//! ```sh
//! cargo run --example minio
//! ```

use std::time::{SystemTime, UNIX_EPOCH};

use provision::core::rules::{GeneratePassword, PasswordRule};
use provision::core::{AccountSpec, ByteSize, Plan, Quota, StorageProvider, Usage, Username};
use provision::minio::client::{ObjectKey, S3Client};
use provision::minio::mock::MockMinio;
use provision::minio::{Credentials, MinioProvider, PolicyKind};

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
    let provider = match MinioProvider::from_env()? {
        Some(provider) => {
            println!("using the server at $PROVISION_MINIO_URL");
            provider
        }
        None => {
            println!("PROVISION_MINIO_URL is not set: using the in-process mock server");
            let started = MockMinio::start().await;
            let provider = started.provider()?;
            mock = Some(started);
            provider
        }
    };

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
    let password = PasswordRule::parse("20")?.generate();
    let small = Plan::new("1 MB".parse::<Quota>()?);
    let large = Plan::new("1 GB".parse::<Quota>()?);
    provider
        .create_account(&AccountSpec {
            username: user.clone(),
            password: password.clone(),
            email: None,
            display_name: None,
            plan: small.clone(),
        })
        .await?;
    let namespace = provider.namespace(&user)?;
    println!(
        "created {user}: policy {}, buckets {} and {}.*",
        provider.policy_name(&user)?,
        namespace.default_bucket(),
        namespace.token()
    );

    // The tenant signs with its own keys: its policy reaches its namespace only.
    let tenant = S3Client::new(
        provider.admin().endpoint().as_str(),
        Credentials::new(user.as_str(), password.clone()),
        provider.s3().region(),
        &Default::default(),
    )?;
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
    Ok(())
}
