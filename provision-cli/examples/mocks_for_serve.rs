//! The three in-process mock servers (Nextcloud, Synology DSM, MinIO) with a
//! configuration pointing at them, for running `provision serve` against (CI runs
//! schemathesis that way, see .ci/run).
//!
//! ```text
//! cargo run -p provision-cli --example mocks_for_serve -- DIR
//! provision --config DIR/provision.toml serve --tokens DIR/tokens
//! ```
//!
//! Writes `DIR/provision.toml` (and the admin passwords it names, as files), then
//! `DIR/ready`, and serves until interrupted (ctrl-c or SIGTERM).

#![forbid(unsafe_code)]

use std::path::{Path, PathBuf};

use provision::core::ExposeSecret;
use provision::minio::mock::MockMinio;
use provision::nextcloud::mock::{MockNextcloud, ADMIN_USER as NEXTCLOUD_ADMIN};
use provision::synology::mock::MockSynology;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

fn secret_file(dir: &Path, name: &str, secret: &str) -> Result<PathBuf, BoxError> {
    let path = dir.join(name);
    std::fs::write(&path, secret)?;
    Ok(path)
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let dir = PathBuf::from(
        std::env::args()
            .nth(1)
            .ok_or("usage: mocks_for_serve DIR")?,
    );
    std::fs::create_dir_all(&dir)?;
    let nextcloud = MockNextcloud::start().await;
    let synology = MockSynology::start().await;
    let minio = MockMinio::start().await;
    synology.add_group("storage-10g", "10 GB".parse()?);
    synology.add_group("storage-20g", "20 GB".parse()?);
    let nc = secret_file(
        &dir,
        "nextcloud.secret",
        nextcloud.admin_password().expose_secret(),
    )?;
    let syn = secret_file(
        &dir,
        "synology.secret",
        synology.admin_password().expose_secret(),
    )?;
    let s3 = secret_file(&dir, "minio.secret", minio.secret_key().expose_secret())?;
    let config = format!(
        r#"[servers.cloud]
backend = "nextcloud"
url = "{}"
user = "{NEXTCLOUD_ADMIN}"
password = {{ file = "{}" }}

[servers.nas]
backend = "synology"
url = "{}"
user = "{}"
password = {{ file = "{}" }}

[servers.s3]
backend = "minio"
url = "{}"
user = "{}"
password = {{ file = "{}" }}

[products.cloud]
name_rule = "nc{{client_id}}-{{random_letter_3}}"
password_rule = 16
quota = "10 GB"
notify_at = 90

[products.nas]
name_rule = "syn{{client_id}}-{{random_digit_4}}"
password_rule = 16
quota = "10 GB"
groups = ["storage-10g"]

[products.s3]
name_rule = "s3-{{client_id}}-{{random_letter_4}}"
password_rule = 24
quota = "10 GB"
"#,
        nextcloud.url(),
        nc.display(),
        synology.url(),
        MockSynology::ADMIN_ACCOUNT,
        syn.display(),
        minio.url(),
        minio.access_key(),
        s3.display(),
    );
    std::fs::write(dir.join("provision.toml"), config)?;
    std::fs::write(dir.join("ready"), "")?;
    println!(
        "mock servers ready; configuration in {}",
        dir.join("provision.toml").display()
    );
    let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = terminate.recv() => {}
    }
    Ok(())
}
