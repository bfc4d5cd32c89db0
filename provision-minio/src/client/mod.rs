//! Typed wire calls: the MinIO admin API v3 ([`AdminClient`]) and S3 ([`S3Client`]),
//! both signed with SigV4 and sent with core's retry rule.
//!
//! Errors keep the server's own code and message (`Error::server_code`) beside a
//! normalised kind; MinIO's JSON errors and the XML errors of S3 and RustFS are both
//! read.

mod admin;
mod names;
mod s3;
mod transport;

pub use admin::{
    AdminClient, BucketQuota, BucketUsage, DataUsage, GroupInfo, PolicyChange, PolicyEntity,
    ServerInfoMessage, ServerProduct, ServerProperties, UserInfo, UserStatus, MINIO_ADMIN_PREFIX,
    RUSTFS_ADMIN_PREFIX,
};
pub use names::{BucketName, ObjectKey};
pub use s3::{
    BucketEntry, ObjectEntry, ObjectIdentifier, ObjectPage, ObjectVersion, S3Client, VersionMarker,
    VersionPage, DEFAULT_REGION, MAX_DELETE_BATCH, MAX_LIST_KEYS,
};

use provision_core::error::Error;
use provision_core::http::ClientOptions;

use crate::wire::sigv4::Credentials;

/// An admin client and an S3 client sharing one connection pool and credentials.
pub fn connect(
    endpoint: &str,
    credentials: Credentials,
    region: &str,
    options: &ClientOptions,
) -> Result<(AdminClient, S3Client), Error> {
    let transport = transport::Transport::new(endpoint, credentials, options)?;
    Ok((
        AdminClient::from_transport(transport.clone()),
        S3Client::from_transport(transport, region),
    ))
}
