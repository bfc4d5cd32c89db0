//! The S3 calls provisioning needs (path-style), and their types.

use std::fmt;

use base64::Engine as _;
use md5::{Digest, Md5};
use percent_encoding::percent_decode_str;
use provision_core::error::{Error, ErrorKind, ServerError};
use provision_core::http::{ClientOptions, Idempotency};
use reqwest::Method;

use super::names::{BucketName, ObjectKey};
use super::transport::{Call, Transport};
use crate::error::BACKEND;
use crate::wire::sigv4::{encode_component, encode_path, Credentials};
use crate::xml::{self, Element};

/// The most keys one multi-object delete may name.
pub const MAX_DELETE_BATCH: usize = 1000;

/// The most keys one listing page holds.
pub const MAX_LIST_KEYS: usize = 1000;

/// The region S3 requests are signed for when the server has none configured.
pub const DEFAULT_REGION: &str = "us-east-1";

/// A bucket from the bucket listing.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct BucketEntry {
    /// The bucket name.
    pub name: String,
    /// When it was created, as the server wrote it.
    pub creation_date: Option<String>,
}

/// An object from ListObjectsV2.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ObjectEntry {
    /// The key.
    pub key: String,
    /// The size in bytes.
    pub size: u64,
    /// The last modification time, as the server wrote it.
    pub last_modified: Option<String>,
    /// The ETag, as the server wrote it.
    pub etag: Option<String>,
}

/// One page of ListObjectsV2.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct ObjectPage {
    /// The objects of this page.
    pub objects: Vec<ObjectEntry>,
    /// The token of the next page, when the listing is truncated.
    pub next_continuation_token: Option<String>,
}

/// An object version or delete marker from ListObjectVersions.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ObjectVersion {
    /// The key.
    pub key: String,
    /// The version id (`null` for objects written without versioning).
    pub version_id: String,
    /// The size in bytes (0 for delete markers).
    pub size: u64,
    /// Whether this is the key's newest version.
    pub is_latest: bool,
    /// Whether this is a delete marker.
    pub is_delete_marker: bool,
}

/// Where the next ListObjectVersions page starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionMarker {
    /// The `key-marker`.
    pub key: String,
    /// The `version-id-marker`.
    pub version_id: Option<String>,
}

/// One page of ListObjectVersions.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct VersionPage {
    /// Versions and delete markers, in the server's order.
    pub versions: Vec<ObjectVersion>,
    /// The marker of the next page, when the listing is truncated.
    pub next: Option<VersionMarker>,
}

/// An object (or one version of it) to delete.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectIdentifier {
    /// The key.
    pub key: String,
    /// The version to delete; `None` deletes the current object (or writes a delete
    /// marker in a versioned bucket).
    pub version_id: Option<String>,
}

/// Typed S3 calls, path-style, signed for the configured region.
#[derive(Clone)]
pub struct S3Client {
    transport: Transport,
    region: String,
}

impl fmt::Debug for S3Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("S3Client")
            .field("transport", &self.transport)
            .field("region", &self.region)
            .finish()
    }
}

fn bucket_path(bucket: &BucketName) -> String {
    format!("/{}", encode_component(bucket.as_str()))
}

fn malformed(call: &str, why: impl fmt::Display) -> Error {
    Error::protocol(BACKEND, format!("{call}: unreadable answer: {why}"))
}

fn parse_xml(body: &[u8], call: &str) -> Result<Element, Error> {
    xml::parse(body).map_err(|e| malformed(call, e))
}

/// Keys in listings requested with `encoding-type=url` come form-encoded.
fn decode_key(raw: &str, url_encoded: bool) -> String {
    if url_encoded {
        percent_decode_str(&raw.replace('+', " "))
            .decode_utf8_lossy()
            .into_owned()
    } else {
        raw.to_owned()
    }
}

impl S3Client {
    /// A client for the server at `endpoint`, signing for `region` (use
    /// [`DEFAULT_REGION`] when the server has none configured).
    pub fn new(
        endpoint: &str,
        credentials: Credentials,
        region: &str,
        options: &ClientOptions,
    ) -> Result<S3Client, Error> {
        Ok(S3Client::from_transport(
            Transport::new(endpoint, credentials, options)?,
            region,
        ))
    }

    pub(crate) fn from_transport(transport: Transport, region: &str) -> S3Client {
        S3Client {
            transport,
            region: region.to_owned(),
        }
    }

    /// The region requests are signed for.
    pub fn region(&self) -> &str {
        &self.region
    }

    /// `GET /`: the buckets the credentials may see.
    pub async fn list_buckets(&self) -> Result<Vec<BucketEntry>, Error> {
        let call = Call::new(Method::GET, "/".into(), Idempotency::Idempotent);
        let reply = self.transport.send(&call, &self.region).await?;
        let root = parse_xml(&reply.body, "list buckets")?;
        let buckets = root.child("Buckets").map(|b| {
            b.children_named("Bucket")
                .filter_map(|e| {
                    Some(BucketEntry {
                        name: e.child_text("Name")?.to_owned(),
                        creation_date: e.child_text("CreationDate").map(str::to_owned),
                    })
                })
                .collect()
        });
        Ok(buckets.unwrap_or_default())
    }

    /// `PUT /<bucket>`. An existing bucket is an error of kind `AlreadyExists` on
    /// MinIO (RustFS answers success).
    pub async fn make_bucket(&self, bucket: &BucketName) -> Result<(), Error> {
        // Not idempotent: a timed-out attempt is settled with `bucket_exists`.
        let call = Call::new(Method::PUT, bucket_path(bucket), Idempotency::NotIdempotent);
        self.transport.send(&call, &self.region).await.map(drop)
    }

    /// `HEAD /<bucket>`: whether the bucket exists.
    pub async fn bucket_exists(&self, bucket: &BucketName) -> Result<bool, Error> {
        let call = Call::new(Method::HEAD, bucket_path(bucket), Idempotency::Idempotent);
        match self.transport.send(&call, &self.region).await {
            Ok(_) => Ok(true),
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// `DELETE /<bucket>`; `false` when the bucket did not exist. Fails with
    /// `BucketNotEmpty` while it holds objects or versions.
    pub async fn delete_bucket(&self, bucket: &BucketName) -> Result<bool, Error> {
        let call = Call::new(Method::DELETE, bucket_path(bucket), Idempotency::Idempotent);
        match self.transport.send(&call, &self.region).await {
            Ok(_) => Ok(true),
            Err(e) if e.server_code() == Some("NoSuchBucket") => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// `PUT /<bucket>/<key>`: stores a small object.
    pub async fn put_object(
        &self,
        bucket: &BucketName,
        key: &ObjectKey,
        body: Vec<u8>,
    ) -> Result<(), Error> {
        let path = format!("{}/{}", bucket_path(bucket), encode_path(key.as_str()));
        let call = Call::new(Method::PUT, path, Idempotency::Idempotent).body(body);
        self.transport.send(&call, &self.region).await.map(drop)
    }

    /// One page of ListObjectsV2 (at most 1000 keys), starting after
    /// `continuation_token`.
    pub async fn list_objects_v2(
        &self,
        bucket: &BucketName,
        prefix: &str,
        continuation_token: Option<&str>,
    ) -> Result<ObjectPage, Error> {
        let mut call = Call::new(Method::GET, bucket_path(bucket), Idempotency::Idempotent)
            .query("list-type", "2")
            .query("encoding-type", "url")
            .query("max-keys", MAX_LIST_KEYS.to_string());
        if !prefix.is_empty() {
            call = call.query("prefix", prefix);
        }
        if let Some(token) = continuation_token {
            call = call.query("continuation-token", token);
        }
        let reply = self.transport.send(&call, &self.region).await?;
        let root = parse_xml(&reply.body, "ListObjectsV2")?;
        let url_encoded = root.child_text("EncodingType") == Some("url");
        let mut objects = Vec::new();
        for entry in root.children_named("Contents") {
            let key = entry
                .child_text("Key")
                .ok_or_else(|| malformed("ListObjectsV2", "an entry has no Key"))?;
            objects.push(ObjectEntry {
                key: decode_key(key, url_encoded),
                size: parse_size(entry.child_text("Size"), "ListObjectsV2")?,
                last_modified: entry.child_text("LastModified").map(str::to_owned),
                etag: entry.child_text("ETag").map(str::to_owned),
            });
        }
        let truncated = root.child_text("IsTruncated") == Some("true");
        let next_continuation_token = match root.child_text("NextContinuationToken") {
            Some(token) if truncated && !token.is_empty() => Some(token.to_owned()),
            _ if truncated => {
                return Err(malformed(
                    "ListObjectsV2",
                    "truncated listing without NextContinuationToken",
                ))
            }
            _ => None,
        };
        Ok(ObjectPage {
            objects,
            next_continuation_token,
        })
    }

    /// Every object under `prefix`, following continuation tokens.
    pub async fn list_all_objects(
        &self,
        bucket: &BucketName,
        prefix: &str,
    ) -> Result<Vec<ObjectEntry>, Error> {
        let mut all = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let page = self
                .list_objects_v2(bucket, prefix, token.as_deref())
                .await?;
            all.extend(page.objects);
            match page.next_continuation_token {
                Some(next) if Some(&next) != token.as_ref() => token = Some(next),
                Some(_) => return Err(malformed("ListObjectsV2", "the same token twice")),
                None => return Ok(all),
            }
        }
    }

    /// One page of ListObjectVersions (`GET /<bucket>?versions`), versions and delete
    /// markers alike, starting after `marker`.
    pub async fn list_object_versions(
        &self,
        bucket: &BucketName,
        prefix: &str,
        marker: Option<&VersionMarker>,
    ) -> Result<VersionPage, Error> {
        let mut call = Call::new(Method::GET, bucket_path(bucket), Idempotency::Idempotent)
            .query("versions", "")
            .query("encoding-type", "url")
            .query("max-keys", MAX_LIST_KEYS.to_string());
        if !prefix.is_empty() {
            call = call.query("prefix", prefix);
        }
        if let Some(marker) = marker {
            call = call.query("key-marker", marker.key.as_str());
            if let Some(version) = &marker.version_id {
                call = call.query("version-id-marker", version.as_str());
            }
        }
        let reply = self.transport.send(&call, &self.region).await?;
        let root = parse_xml(&reply.body, "ListObjectVersions")?;
        let url_encoded = root.child_text("EncodingType") == Some("url");
        let mut versions = Vec::new();
        for entry in &root.children {
            let is_delete_marker = match entry.name.as_str() {
                "Version" => false,
                "DeleteMarker" => true,
                _ => continue,
            };
            let key = entry
                .child_text("Key")
                .ok_or_else(|| malformed("ListObjectVersions", "an entry has no Key"))?;
            versions.push(ObjectVersion {
                key: decode_key(key, url_encoded),
                version_id: entry
                    .child_text("VersionId")
                    .filter(|v| !v.is_empty())
                    .unwrap_or("null")
                    .to_owned(),
                size: if is_delete_marker {
                    0
                } else {
                    parse_size(entry.child_text("Size"), "ListObjectVersions")?
                },
                is_latest: entry.child_text("IsLatest") == Some("true"),
                is_delete_marker,
            });
        }
        let next = if root.child_text("IsTruncated") == Some("true") {
            let key = root
                .child_text("NextKeyMarker")
                .filter(|k| !k.is_empty())
                .ok_or_else(|| {
                    malformed(
                        "ListObjectVersions",
                        "truncated listing without NextKeyMarker",
                    )
                })?;
            Some(VersionMarker {
                key: decode_key(key, url_encoded),
                version_id: root
                    .child_text("NextVersionIdMarker")
                    .filter(|v| !v.is_empty())
                    .map(str::to_owned),
            })
        } else {
            None
        };
        Ok(VersionPage { versions, next })
    }

    /// `GET /<bucket>?policy`: the bucket policy as the server sent it, or `None`
    /// when the bucket has none (`NoSuchBucketPolicy`).
    pub async fn bucket_policy(&self, bucket: &BucketName) -> Result<Option<String>, Error> {
        let call = Call::new(Method::GET, bucket_path(bucket), Idempotency::Idempotent)
            .query("policy", "");
        match self.transport.send(&call, &self.region).await {
            Ok(reply) => Ok(Some(String::from_utf8_lossy(&reply.body).into_owned())),
            Err(e) if e.server_code() == Some("NoSuchBucketPolicy") => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// `PUT /<bucket>?policy`: sets the bucket policy (a JSON document).
    pub async fn put_bucket_policy(&self, bucket: &BucketName, policy: &[u8]) -> Result<(), Error> {
        let call = Call::new(Method::PUT, bucket_path(bucket), Idempotency::Idempotent)
            .query("policy", "")
            .header("content-type", "application/json")
            .body(policy.to_vec());
        self.transport.send(&call, &self.region).await.map(drop)
    }

    /// `DELETE /<bucket>?policy`: removes the bucket policy (success when there is
    /// none).
    pub async fn delete_bucket_policy(&self, bucket: &BucketName) -> Result<(), Error> {
        let call = Call::new(Method::DELETE, bucket_path(bucket), Idempotency::Idempotent)
            .query("policy", "");
        match self.transport.send(&call, &self.region).await {
            Err(e) if e.server_code() == Some("NoSuchBucketPolicy") => Ok(()),
            other => other.map(drop),
        }
    }

    /// `GET /<bucket>?object-lock`: whether object lock is enabled on the bucket
    /// (`false` on `ObjectLockConfigurationNotFoundError`). Objects of a lock-enabled
    /// bucket may be under retention that nobody can lift.
    pub async fn object_lock_enabled(&self, bucket: &BucketName) -> Result<bool, Error> {
        let call = Call::new(Method::GET, bucket_path(bucket), Idempotency::Idempotent)
            .query("object-lock", "");
        match self.transport.send(&call, &self.region).await {
            Ok(reply) => {
                let root = parse_xml(&reply.body, "GetObjectLockConfiguration")?;
                Ok(root.child_text("ObjectLockEnabled") == Some("Enabled"))
            }
            // A server without object lock (NotImplemented) has no locked bucket.
            Err(e)
                if matches!(
                    e.server_code(),
                    Some("ObjectLockConfigurationNotFoundError" | "NotImplemented")
                ) =>
            {
                Ok(false)
            }
            Err(e) => Err(e),
        }
    }

    /// `POST /<bucket>?delete`: deletes `objects` in batches of at most 1000, each
    /// with its Content-MD5. Keys already gone count as deleted; any other per-key
    /// error fails the call (after the whole batch was tried).
    pub async fn delete_objects(
        &self,
        bucket: &BucketName,
        objects: &[ObjectIdentifier],
    ) -> Result<(), Error> {
        for batch in objects.chunks(MAX_DELETE_BATCH) {
            self.delete_batch(bucket, batch).await?;
        }
        Ok(())
    }

    async fn delete_batch(
        &self,
        bucket: &BucketName,
        batch: &[ObjectIdentifier],
    ) -> Result<(), Error> {
        let body = delete_request_body(batch).into_bytes();
        let md5 = base64::engine::general_purpose::STANDARD.encode(Md5::digest(&body));
        // Deleting what is deleted changes nothing: safe to send again.
        let call = Call::new(Method::POST, bucket_path(bucket), Idempotency::Idempotent)
            .query("delete", "")
            .header("content-md5", md5)
            .header("content-type", "application/xml")
            .body(body);
        let reply = self.transport.send(&call, &self.region).await?;
        let root = parse_xml(&reply.body, "DeleteObjects")?;
        let failures: Vec<(String, String, String)> = root
            .children_named("Error")
            .map(|e| {
                (
                    e.child_text("Key").unwrap_or_default().to_owned(),
                    e.child_text("Code").unwrap_or_default().to_owned(),
                    e.child_text("Message").unwrap_or_default().to_owned(),
                )
            })
            .filter(|(_, code, _)| !matches!(code.as_str(), "NoSuchKey" | "NoSuchVersion"))
            .collect();
        match failures.first() {
            None => Ok(()),
            Some((key, code, message)) => {
                let kind = crate::error::kind_of_code(code).unwrap_or(ErrorKind::Unexpected);
                Err(Error::Server(
                    ServerError::new(
                        BACKEND,
                        kind,
                        format!(
                            "{} of {} objects not deleted from {bucket}; first {key:?}: {message}",
                            failures.len(),
                            batch.len()
                        ),
                    )
                    .with_http_status(reply.status)
                    .with_code(code.clone()),
                ))
            }
        }
    }
}

fn parse_size(text: Option<&str>, call: &str) -> Result<u64, Error> {
    text.unwrap_or("0")
        .trim()
        .parse()
        .map_err(|e| malformed(call, format!("bad Size: {e}")))
}

fn delete_request_body(batch: &[ObjectIdentifier]) -> String {
    let mut body = String::from("<Delete><Quiet>true</Quiet>");
    for object in batch {
        body.push_str("<Object><Key>");
        body.push_str(&xml::escape(&object.key));
        body.push_str("</Key>");
        if let Some(version) = &object.version_id {
            body.push_str("<VersionId>");
            body.push_str(&xml::escape(version));
            body.push_str("</VersionId>");
        }
        body.push_str("</Object>");
    }
    body.push_str("</Delete>");
    body
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delete_body_escapes_keys() {
        let body = delete_request_body(&[
            ObjectIdentifier {
                key: "a<&>b".into(),
                version_id: Some("v1".into()),
            },
            ObjectIdentifier {
                key: "c".into(),
                version_id: None,
            },
        ]);
        assert_eq!(
            body,
            "<Delete><Quiet>true</Quiet><Object><Key>a&lt;&amp;&gt;b</Key><VersionId>v1</VersionId></Object><Object><Key>c</Key></Object></Delete>"
        );
    }

    #[test]
    fn url_encoded_keys_are_decoded() {
        assert_eq!(decode_key("a+b%2Bc%2Fd", true), "a b+c/d");
        assert_eq!(decode_key("a+b", false), "a+b");
    }
}
