//! The S3 routes of the mock (path-style): buckets, listings with pagination, puts,
//! gets and deletes, with MinIO's checks and codes; the dispatch to bucket policies,
//! multipart uploads and object lock, which live in their own modules.

use base64::Engine as _;
use chrono::{DateTime, Utc};
use md5::{Digest, Md5};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use super::eval;
use super::reply::{errors, ApiError, Reply};
use super::request::Ctx;
use super::state::{etag_of_size, State, VersionRecord};
use super::Dialect;
use super::{bucket_policy, multipart, object_lock};
use crate::wire::policy::is_valid_bucket_name;
use crate::xml::{self, escape};

pub(super) const S3_NS: &str = "http://s3.amazonaws.com/doc/2006-03-01/";
const MAX_KEYS: usize = 1000;
const MAX_DELETE: usize = 1000;

/// Keys in `encoding-type=url` listings: unreserved characters and `/` stay, a space
/// is `+`, everything else `%XX`.
const KEY_ENCODE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~')
    .remove(b'/')
    .remove(b' ');

fn encode_key(key: &str, url: bool) -> String {
    if url {
        utf8_percent_encode(key, KEY_ENCODE)
            .to_string()
            .replace(' ', "+")
    } else {
        key.to_owned()
    }
}

pub(super) fn time(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// [`authorize`] for the object `key` in `bucket`.
pub(super) fn authorize_object(
    state: &State,
    ctx: &Ctx<'_>,
    action: &str,
    bucket: &str,
    key: &str,
) -> Result<(), ApiError> {
    authorize(state, ctx, action, &format!("{bucket}/{key}"))
}

/// Refuses with `AccessDenied` unless the caller may do `action` on `resource`.
pub(super) fn authorize(
    state: &State,
    ctx: &Ctx<'_>,
    action: &str,
    resource: &str,
) -> Result<(), ApiError> {
    if eval::is_allowed(state, ctx.principal(), action, resource) {
        Ok(())
    } else {
        Err(errors::access_denied())
    }
}

pub(super) fn invalid_argument(message: &str) -> ApiError {
    ApiError::new(400, "InvalidArgument", message)
}

/// Dispatches an S3 request; `path` is the decoded path (`/bucket/key`).
pub(super) fn handle(state: &mut State, ctx: &Ctx<'_>, path: &str) -> Result<Reply, ApiError> {
    let path = path.strip_prefix('/').unwrap_or(path);
    let (bucket, key) = path.split_once('/').unwrap_or((path, ""));
    if bucket.is_empty() {
        return match ctx.method {
            "GET" => list_buckets(state, ctx),
            _ => Err(errors::not_implemented(ctx.method, &ctx.target)),
        };
    }
    if ctx.method == "PUT" && key.is_empty() && ctx.query.is_empty() {
        return make_bucket(state, ctx, bucket);
    }
    if !state.buckets.contains_key(bucket) {
        return Err(errors::no_such_bucket(bucket));
    }
    let q = &ctx.query;
    match (ctx.method, key.is_empty()) {
        ("HEAD", true) => {
            authorize(state, ctx, "s3:ListBucket", bucket)?;
            Ok(Reply::empty(200))
        }
        ("DELETE", true) if q.has("policy") => bucket_policy::delete(state, ctx, bucket),
        ("DELETE", true) => delete_bucket(state, ctx, bucket),
        ("GET", true) if q.get("list-type") == Some("2") => list_objects_v2(state, ctx, bucket),
        ("GET", true) if q.has("versions") => list_versions(state, ctx, bucket),
        ("GET", true) if q.has("location") => {
            authorize(state, ctx, "s3:GetBucketLocation", bucket)?;
            Ok(Reply::xml(format!(
                "<LocationConstraint xmlns=\"{S3_NS}\">{}</LocationConstraint>",
                escape(state.region.as_deref().unwrap_or_default())
            )))
        }
        ("POST", true) if q.has("delete") => delete_objects(state, ctx, bucket),
        ("PUT", true) if q.has("policy") => bucket_policy::put(state, ctx, bucket),
        ("GET", true) if q.has("policy") => bucket_policy::get(state, ctx, bucket),
        ("GET", true) if q.has("object-lock") => object_lock::get_configuration(state, ctx, bucket),
        ("PUT", true) if q.has("versioning") => object_lock::put_versioning(state, ctx, bucket),
        ("GET", true) if q.has("uploads") => multipart::list(state, ctx, bucket),
        ("POST", false) if q.has("uploads") => multipart::create(state, ctx, bucket, key),
        ("PUT", false) if q.has("partNumber") && q.has("uploadId") => {
            multipart::upload_part(state, ctx, bucket, key)
        }
        ("POST", false) if q.has("uploadId") => multipart::complete(state, ctx, bucket, key),
        ("DELETE", false) if q.has("uploadId") => multipart::abort(state, ctx, bucket, key),
        ("PUT", false) if q.has("retention") => object_lock::put_retention(state, ctx, bucket, key),
        ("PUT", false) if q.is_empty() && ctx.header("x-amz-copy-source").is_none() => {
            put_object(state, ctx, bucket, key)
        }
        ("GET", false) if q.is_empty() => get_object(state, ctx, bucket, key),
        ("HEAD", false) if q.is_empty() => head_object(state, ctx, bucket, key),
        ("DELETE", false) => delete_object(state, ctx, bucket, key),
        _ => Err(errors::not_implemented(ctx.method, &ctx.target)),
    }
}

fn list_buckets(state: &State, ctx: &Ctx<'_>) -> Result<Reply, ApiError> {
    if ctx.anonymous {
        return Err(errors::access_denied());
    }
    // Without s3:ListAllMyBuckets a user sees the buckets it may list.
    let principal = ctx.principal();
    let sees_all = eval::is_allowed(state, principal, "s3:ListAllMyBuckets", "");
    let mut body = format!(
        "<ListAllMyBucketsResult xmlns=\"{S3_NS}\"><Owner><ID>02d6176db174dc93cb1b899f7c6078f08654445fe8cf1b6ce98d8855f66bdbf4</ID><DisplayName>minio</DisplayName></Owner><Buckets>"
    );
    for (name, bucket) in &state.buckets {
        if sees_all || eval::is_allowed(state, principal, "s3:ListBucket", name) {
            body.push_str(&format!(
                "<Bucket><Name>{}</Name><CreationDate>{}</CreationDate></Bucket>",
                escape(name),
                time(bucket.created)
            ));
        }
    }
    body.push_str("</Buckets></ListAllMyBucketsResult>");
    Ok(Reply::xml(body))
}

fn make_bucket(state: &mut State, ctx: &Ctx<'_>, bucket: &str) -> Result<Reply, ApiError> {
    authorize(state, ctx, "s3:CreateBucket", bucket)?;
    // `minio` is kept by the server for itself.
    if !is_valid_bucket_name(bucket) || bucket == "minio" {
        return Err(ApiError::new(
            400,
            "InvalidBucketName",
            "The specified bucket is not valid.",
        ));
    }
    if state.buckets.contains_key(bucket) {
        return match state.dialect() {
            Dialect::RustFs => Ok(Reply::empty(200)),
            Dialect::MinIO => Err(ApiError::new(
                409,
                "BucketAlreadyOwnedByYou",
                "Your previous request to create the named bucket succeeded and you already own it.",
            )),
        };
    }
    // MinIO: `x-amz-bucket-object-lock-enabled: true` makes a bucket with object lock,
    // which turns versioning on for good.
    let locked = ctx
        .header("x-amz-bucket-object-lock-enabled")
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
    if locked {
        state.create_locked_bucket(bucket);
    } else {
        state.create_bucket(bucket);
    }
    Ok(Reply::empty(200).header("location", format!("/{bucket}")))
}

fn delete_bucket(state: &mut State, ctx: &Ctx<'_>, bucket: &str) -> Result<Reply, ApiError> {
    authorize(state, ctx, "s3:DeleteBucket", bucket)?;
    let force = ctx.header("x-minio-force-delete") == Some("true");
    if force {
        authorize(state, ctx, "s3:ForceDeleteBucket", bucket)?;
    }
    let record = state.buckets.get(bucket);
    let empty = record.is_none_or(|b| b.is_empty());
    if force && record.is_some_and(|b| b.object_lock) {
        // MinIO refuses a forced delete of an object-locked bucket.
        return Err(ApiError::new(
            405,
            "MethodNotAllowed",
            "The specified method is not allowed against this resource.",
        ));
    }
    if !empty && !force {
        return Err(ApiError::new(
            409,
            "BucketNotEmpty",
            "The bucket you tried to delete is not empty",
        ));
    }
    state.buckets.remove(bucket);
    Ok(Reply::empty(204))
}

fn max_keys(ctx: &Ctx<'_>) -> Result<usize, ApiError> {
    match ctx.query.get("max-keys") {
        None => Ok(MAX_KEYS),
        Some(text) => text.parse::<usize>().map(|n| n.min(MAX_KEYS)).map_err(|_| {
            invalid_argument("Argument max-keys must be an integer between 0 and 2147483647")
        }),
    }
}

fn url_encoding(ctx: &Ctx<'_>) -> Result<bool, ApiError> {
    match ctx.query.get("encoding-type") {
        None => Ok(false),
        Some(t) if t.eq_ignore_ascii_case("url") => Ok(true),
        Some(_) => Err(invalid_argument(
            "Invalid Encoding Method specified in Request",
        )),
    }
}

fn reject_delimiter(ctx: &Ctx<'_>) -> Result<(), ApiError> {
    match ctx.query.get("delimiter") {
        Some(d) if !d.is_empty() => Err(errors::not_implemented(
            ctx.method,
            &format!("{} (delimiter listings)", ctx.target),
        )),
        _ => Ok(()),
    }
}

/// One entry of a listing page: an object, or the common prefix that rolls up the
/// keys under it (with a delimiter).
enum ListEntry<'s> {
    Object(&'s String, &'s VersionRecord),
    Prefix(String),
}

impl ListEntry<'_> {
    fn name(&self) -> &str {
        match self {
            ListEntry::Object(key, _) => key,
            ListEntry::Prefix(prefix) => prefix,
        }
    }
}

fn list_objects_v2(state: &State, ctx: &Ctx<'_>, bucket: &str) -> Result<Reply, ApiError> {
    authorize(state, ctx, "s3:ListBucket", bucket)?;
    let q = &ctx.query;
    let delimiter = q.get("delimiter").filter(|d| !d.is_empty());
    let prefix = q.get("prefix").unwrap_or_default();
    let max = max_keys(ctx)?;
    let url = url_encoding(ctx)?;
    let start_after = match q.get("continuation-token") {
        // The token is opaque to clients; here it is the hex of the last key.
        Some(token) => Some(
            hex::decode(token)
                .ok()
                .and_then(|b| String::from_utf8(b).ok())
                .ok_or_else(|| invalid_argument("The continuation token provided is incorrect"))?,
        ),
        None => q.get("start-after").map(str::to_owned),
    };
    let record = state
        .buckets
        .get(bucket)
        .ok_or_else(|| errors::no_such_bucket(bucket))?;
    let live = record
        .objects
        .iter()
        .filter(|(k, _)| k.starts_with(prefix))
        .filter(|(k, _)| start_after.as_deref().is_none_or(|s| k.as_str() > s))
        .filter_map(|(k, versions)| versions.last().filter(|v| !v.delete_marker).map(|v| (k, v)));
    // Keys and common prefixes both count towards max-keys, as in S3; a page that
    // ended on a common prefix resumes after every key under it.
    let mut page: Vec<ListEntry<'_>> = Vec::new();
    let mut truncated = false;
    for (key, version) in live {
        let rolled_up = delimiter.and_then(|d| {
            let rest = &key[prefix.len()..];
            rest.find(d)
                .map(|at| key[..prefix.len() + at + d.len()].to_owned())
        });
        let entry = match rolled_up {
            Some(common) => {
                let seen = start_after.as_deref() == Some(common.as_str())
                    || page.last().is_some_and(|e| e.name() == common);
                if seen {
                    continue;
                }
                ListEntry::Prefix(common)
            }
            None => ListEntry::Object(key, version),
        };
        if page.len() == max {
            truncated = max > 0;
            break;
        }
        page.push(entry);
    }

    let mut body = format!(
        "<ListBucketResult xmlns=\"{S3_NS}\"><Name>{}</Name><Prefix>{}</Prefix><KeyCount>{}</KeyCount><MaxKeys>{max}</MaxKeys><IsTruncated>{truncated}</IsTruncated>",
        escape(bucket),
        escape(&encode_key(prefix, url)),
        page.len()
    );
    if let Some(d) = delimiter {
        body.push_str(&format!(
            "<Delimiter>{}</Delimiter>",
            escape(&encode_key(d, url))
        ));
    }
    if url {
        body.push_str("<EncodingType>url</EncodingType>");
    }
    if let Some(token) = q.get("continuation-token") {
        body.push_str(&format!(
            "<ContinuationToken>{}</ContinuationToken>",
            escape(token)
        ));
    }
    if truncated {
        if let Some(last) = page.last() {
            body.push_str(&format!(
                "<NextContinuationToken>{}</NextContinuationToken>",
                hex::encode(last.name().as_bytes())
            ));
        }
    }
    for entry in &page {
        if let ListEntry::Object(key, v) = entry {
            body.push_str(&format!(
                "<Contents><Key>{}</Key><LastModified>{}</LastModified><ETag>{}</ETag><Size>{}</Size><StorageClass>STANDARD</StorageClass></Contents>",
                escape(&encode_key(key, url)),
                time(v.modified),
                escape(&v.etag()),
                v.size
            ));
        }
    }
    for entry in &page {
        if let ListEntry::Prefix(common) = entry {
            body.push_str(&format!(
                "<CommonPrefixes><Prefix>{}</Prefix></CommonPrefixes>",
                escape(&encode_key(common, url))
            ));
        }
    }
    body.push_str("</ListBucketResult>");
    Ok(Reply::xml(body))
}

fn list_versions(state: &State, ctx: &Ctx<'_>, bucket: &str) -> Result<Reply, ApiError> {
    authorize(state, ctx, "s3:ListBucketVersions", bucket)?;
    reject_delimiter(ctx)?;
    let q = &ctx.query;
    let prefix = q.get("prefix").unwrap_or_default();
    let max = max_keys(ctx)?;
    let url = url_encoding(ctx)?;
    let key_marker = q.get("key-marker").filter(|m| !m.is_empty());
    let version_marker = q.get("version-id-marker").filter(|m| !m.is_empty());
    let record = state
        .buckets
        .get(bucket)
        .ok_or_else(|| errors::no_such_bucket(bucket))?;

    // Keys ascending, each key's versions newest first.
    let all = record
        .objects
        .iter()
        .filter(|(k, _)| k.starts_with(prefix))
        .flat_map(|(k, versions)| {
            let newest = versions.len().saturating_sub(1);
            versions
                .iter()
                .enumerate()
                .rev()
                .map(move |(i, v)| (k, v, i == newest))
        });
    // Markers are positions: entries up to and including the marker are skipped,
    // even when the marker version itself was deleted since. Version ids grow with
    // time and `null` is the oldest, so "after the marker" is "older than it".
    let mut remaining = all.filter(|(k, v, _)| match key_marker {
        None => true,
        Some(km) => match k.as_str().cmp(km) {
            std::cmp::Ordering::Less => false,
            std::cmp::Ordering::Greater => true,
            std::cmp::Ordering::Equal => match version_marker {
                None | Some("null") => false,
                Some(vm) => v.version_id == "null" || v.version_id.as_str() < vm,
            },
        },
    });
    let page: Vec<_> = remaining.by_ref().take(max).collect();
    let truncated = max > 0 && remaining.next().is_some();

    let mut body = format!(
        "<ListVersionsResult xmlns=\"{S3_NS}\"><Name>{}</Name><Prefix>{}</Prefix><KeyMarker>{}</KeyMarker><VersionIdMarker>{}</VersionIdMarker><MaxKeys>{max}</MaxKeys><IsTruncated>{truncated}</IsTruncated>",
        escape(bucket),
        escape(&encode_key(prefix, url)),
        escape(&encode_key(key_marker.unwrap_or_default(), url)),
        escape(version_marker.unwrap_or_default()),
    );
    if url {
        body.push_str("<EncodingType>url</EncodingType>");
    }
    if truncated {
        if let Some((k, v, _)) = page.last() {
            body.push_str(&format!(
                "<NextKeyMarker>{}</NextKeyMarker><NextVersionIdMarker>{}</NextVersionIdMarker>",
                escape(&encode_key(k, url)),
                escape(&v.version_id)
            ));
        }
    }
    for (key, v, latest) in &page {
        if v.delete_marker {
            body.push_str(&format!(
                "<DeleteMarker><Key>{}</Key><VersionId>{}</VersionId><IsLatest>{latest}</IsLatest><LastModified>{}</LastModified></DeleteMarker>",
                escape(&encode_key(key, url)),
                escape(&v.version_id),
                time(v.modified)
            ));
        } else {
            body.push_str(&format!(
                "<Version><Key>{}</Key><VersionId>{}</VersionId><IsLatest>{latest}</IsLatest><LastModified>{}</LastModified><ETag>{}</ETag><Size>{}</Size><StorageClass>STANDARD</StorageClass></Version>",
                escape(&encode_key(key, url)),
                escape(&v.version_id),
                time(v.modified),
                escape(&v.etag()),
                v.size
            ));
        }
    }
    body.push_str("</ListVersionsResult>");
    Ok(Reply::xml(body))
}

fn delete_objects(state: &mut State, ctx: &Ctx<'_>, bucket: &str) -> Result<Reply, ApiError> {
    if ctx.content_length().is_none() {
        return Err(ApiError::new(
            411,
            "MissingContentLength",
            "You must provide the Content-Length HTTP header.",
        ));
    }
    check_content_md5(state, ctx)?;
    let malformed = errors::malformed_xml;
    let root = xml_body(ctx, "Delete")?;
    let quiet = root.child_text("Quiet") == Some("true");
    let objects: Vec<(String, Option<String>)> = root
        .children_named("Object")
        .map(|o| {
            (
                o.child_text("Key").unwrap_or_default().to_owned(),
                o.child_text("VersionId").map(str::to_owned),
            )
        })
        .collect();
    if objects.is_empty() || objects.len() > MAX_DELETE || objects.iter().any(|(k, _)| k.is_empty())
    {
        return Err(malformed());
    }
    let mut body = format!("<DeleteResult xmlns=\"{S3_NS}\">");
    for (key, version) in objects {
        let action = if version.is_some() {
            "s3:DeleteObjectVersion"
        } else {
            "s3:DeleteObject"
        };
        let version_xml = version
            .as_deref()
            .map(|v| format!("<VersionId>{}</VersionId>", escape(v)))
            .unwrap_or_default();
        if authorize_object(state, ctx, action, bucket, &key).is_err() {
            body.push_str(&format!(
                "<Error><Key>{}</Key>{version_xml}<Code>AccessDenied</Code><Message>Access Denied.</Message></Error>",
                escape(&key)
            ));
            continue;
        }
        if let Some(version) = version.as_deref() {
            if object_lock::is_protected(state, bucket, &key, version) {
                let e = object_lock::worm_protected();
                body.push_str(&format!(
                    "<Error><Key>{}</Key>{version_xml}<Code>{}</Code><Message>{}</Message></Error>",
                    escape(&key),
                    e.code,
                    escape(&e.message)
                ));
                continue;
            }
        }
        let marker = state
            .delete_object(bucket, &key, version.as_deref())
            .ok_or_else(|| errors::no_such_bucket(bucket))?;
        if !quiet {
            let marker_xml = marker
                .map(|m| {
                    format!(
                        "<DeleteMarker>true</DeleteMarker><DeleteMarkerVersionId>{}</DeleteMarkerVersionId>",
                        escape(&m)
                    )
                })
                .unwrap_or_default();
            body.push_str(&format!(
                "<Deleted><Key>{}</Key>{version_xml}{marker_xml}</Deleted>",
                escape(&key)
            ));
        }
    }
    body.push_str("</DeleteResult>");
    Ok(Reply::xml(body))
}

fn put_object(
    state: &mut State,
    ctx: &Ctx<'_>,
    bucket: &str,
    key: &str,
) -> Result<Reply, ApiError> {
    authorize_object(state, ctx, "s3:PutObject", bucket, key)?;
    let size = ctx.body.len() as u64;
    check_quota(state, bucket, size)?;
    let version = state
        .put_object(bucket, key, size)
        .ok_or_else(|| errors::no_such_bucket(bucket))?;
    let mut reply = Reply::empty(200).header("etag", etag_of_size(size));
    if version != "null" {
        reply = reply.header("x-amz-version-id", version);
    }
    Ok(reply)
}

/// The request body as XML whose root element is `root`, or `MalformedXML`.
pub(super) fn xml_body(ctx: &Ctx<'_>, root: &str) -> Result<xml::Element, ApiError> {
    xml::parse(ctx.body)
        .ok()
        .filter(|element| element.name == root)
        .ok_or_else(errors::malformed_xml)
}

/// Refuses a write of `size` bytes that would pass the bucket's hard quota, which
/// MinIO checks against the scanner's figure.
pub(super) fn check_quota(state: &State, bucket: &str, size: u64) -> Result<(), ApiError> {
    let Some(quota) = state.buckets.get(bucket).and_then(|b| b.quota) else {
        return Ok(());
    };
    let scanned = state
        .usage
        .as_ref()
        .and_then(|u| u.buckets.get(bucket))
        .map_or(0, |b| b.size);
    if scanned.saturating_add(size) > quota {
        return Err(ApiError::new(
            400,
            "XMinioAdminBucketQuotaExceeded",
            "Bucket quota exceeded",
        ));
    }
    Ok(())
}

/// `GET /<bucket>/<key>`: the latest version. The mock keeps sizes, not contents, so
/// the body is that many zero bytes.
/// The latest version of an object, when it is not a delete marker (GetObject and
/// HeadObject need `s3:GetObject`).
fn readable_version<'s>(
    state: &'s State,
    ctx: &Ctx<'_>,
    bucket: &str,
    key: &str,
) -> Result<&'s VersionRecord, ApiError> {
    authorize_object(state, ctx, "s3:GetObject", bucket, key)?;
    state
        .buckets
        .get(bucket)
        .and_then(|b| b.objects.get(key))
        .and_then(|versions| versions.last())
        .filter(|v| !v.delete_marker)
        .ok_or_else(errors::no_such_key)
}

/// The headers GetObject and HeadObject describe a version with.
fn with_version_headers(mut reply: Reply, version: &VersionRecord) -> Reply {
    reply = reply.header("etag", version.etag()).header(
        "last-modified",
        version
            .modified
            .format("%a, %d %b %Y %H:%M:%S GMT")
            .to_string(),
    );
    if version.version_id != "null" {
        reply = reply.header("x-amz-version-id", version.version_id.clone());
    }
    reply
}

fn get_object(state: &State, ctx: &Ctx<'_>, bucket: &str, key: &str) -> Result<Reply, ApiError> {
    let latest = readable_version(state, ctx, bucket, key)?;
    let size = usize::try_from(latest.size)
        .map_err(|_| ApiError::new(500, "InternalError", "object too large for the mock"))?;
    Ok(with_version_headers(Reply::bytes(vec![0; size]), latest))
}

/// `HEAD /<bucket>/<key>`: the object's headers, `Content-Length` its size, no body.
fn head_object(state: &State, ctx: &Ctx<'_>, bucket: &str, key: &str) -> Result<Reply, ApiError> {
    let latest = readable_version(state, ctx, bucket, key)?;
    let reply = Reply::empty(200)
        .header("content-length", latest.size.to_string())
        .header("content-type", "application/octet-stream".to_owned());
    Ok(with_version_headers(reply, latest))
}

/// `DELETE /<bucket>/<key>[?versionId=]`: 204, as MinIO answers even for a missing
/// key; a version under COMPLIANCE retention is refused (`InvalidRequest`).
fn delete_object(
    state: &mut State,
    ctx: &Ctx<'_>,
    bucket: &str,
    key: &str,
) -> Result<Reply, ApiError> {
    let version = ctx.query.get("versionId").filter(|v| !v.is_empty());
    let action = if version.is_some() {
        "s3:DeleteObjectVersion"
    } else {
        "s3:DeleteObject"
    };
    authorize_object(state, ctx, action, bucket, key)?;
    if let Some(version) = version {
        if object_lock::is_protected(state, bucket, key, version) {
            return Err(object_lock::worm_protected());
        }
    }
    let marker = state
        .delete_object(bucket, key, version)
        .ok_or_else(|| errors::no_such_bucket(bucket))?;
    let mut reply = Reply::empty(204);
    if let Some(marker) = marker {
        reply = reply
            .header("x-amz-delete-marker", "true")
            .header("x-amz-version-id", marker);
    }
    Ok(reply)
}

/// MinIO wants `Content-MD5` (or an `x-amz-checksum-*` header) on multi-object
/// deletes and retention puts, and checks it against the body (RustFS does not
/// insist).
pub(super) fn check_content_md5(state: &State, ctx: &Ctx<'_>) -> Result<(), ApiError> {
    let has_checksum = ctx
        .headers
        .keys()
        .any(|name| name.as_str().starts_with("x-amz-checksum-"));
    match ctx.header("content-md5") {
        Some(md5) => {
            let claimed = base64::engine::general_purpose::STANDARD
                .decode(md5.trim())
                .map_err(|_| {
                    ApiError::new(
                        400,
                        "InvalidDigest",
                        "The Content-Md5 you specified is not valid.",
                    )
                })?;
            if claimed.as_slice() != Md5::digest(ctx.body).as_slice() {
                return Err(ApiError::new(
                    400,
                    "BadDigest",
                    "The Content-Md5 you specified did not match what we received.",
                ));
            }
        }
        None if !has_checksum && state.dialect() == Dialect::MinIO => {
            return Err(ApiError::new(
                400,
                "MissingContentMD5",
                "Missing required header for this request: Content-Md5.",
            ));
        }
        None => {}
    }
    Ok(())
}
