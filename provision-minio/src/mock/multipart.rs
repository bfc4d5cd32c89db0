//! Multipart uploads (S3 API: CreateMultipartUpload, UploadPart,
//! CompleteMultipartUpload, AbortMultipartUpload, ListMultipartUploads). Parts are
//! held aside and count in no usage until the upload completes, when they become one
//! object (a new version in a versioned bucket). Actions as MinIO checks them:
//! `s3:PutObject` for create, part and complete, `s3:AbortMultipartUpload`,
//! `s3:ListBucketMultipartUploads`.

use std::collections::BTreeMap;

use chrono::Utc;

use super::reply::{errors, ApiError, Reply};
use super::request::Ctx;
use super::s3::{authorize, authorize_object, check_quota, time, xml_body, S3_NS};
use super::state::{etag_of_size, State, UploadRecord};
use crate::xml::escape;

/// The highest part number S3 accepts.
const MAX_PART_NUMBER: u32 = 10_000;

fn no_such_upload() -> ApiError {
    ApiError::new(
        404,
        "NoSuchUpload",
        "The specified multipart upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.",
    )
}

fn upload_id(ctx: &Ctx<'_>) -> Result<String, ApiError> {
    ctx.query
        .get("uploadId")
        .filter(|id| !id.is_empty())
        .map(str::to_owned)
        .ok_or_else(no_such_upload)
}

/// The upload `id` of `key` in `bucket`, or `NoSuchUpload`.
fn upload<'s>(
    state: &'s mut State,
    bucket: &str,
    key: &str,
    id: &str,
) -> Result<&'s mut UploadRecord, ApiError> {
    state
        .buckets
        .get_mut(bucket)
        .ok_or_else(|| errors::no_such_bucket(bucket))?
        .uploads
        .get_mut(id)
        .filter(|u| u.key == key)
        .ok_or_else(no_such_upload)
}

/// `POST /<bucket>/<key>?uploads`.
pub(super) fn create(
    state: &mut State,
    ctx: &Ctx<'_>,
    bucket: &str,
    key: &str,
) -> Result<Reply, ApiError> {
    authorize_object(state, ctx, "s3:PutObject", bucket, key)?;
    let id = format!("upload-{}", state.next_version_id());
    state
        .buckets
        .get_mut(bucket)
        .ok_or_else(|| errors::no_such_bucket(bucket))?
        .uploads
        .insert(
            id.clone(),
            UploadRecord {
                key: key.to_owned(),
                initiated: Utc::now(),
                parts: BTreeMap::new(),
            },
        );
    Ok(Reply::xml(format!(
        "<InitiateMultipartUploadResult xmlns=\"{S3_NS}\"><Bucket>{}</Bucket><Key>{}</Key><UploadId>{}</UploadId></InitiateMultipartUploadResult>",
        escape(bucket),
        escape(key),
        escape(&id)
    )))
}

/// `PUT /<bucket>/<key>?partNumber=N&uploadId=U`: the part's ETag in the answer.
pub(super) fn upload_part(
    state: &mut State,
    ctx: &Ctx<'_>,
    bucket: &str,
    key: &str,
) -> Result<Reply, ApiError> {
    authorize_object(state, ctx, "s3:PutObject", bucket, key)?;
    let id = upload_id(ctx)?;
    let number: u32 = ctx
        .query
        .get("partNumber")
        .and_then(|n| n.parse().ok())
        .filter(|n| (1..=MAX_PART_NUMBER).contains(n))
        .ok_or_else(|| {
            ApiError::new(
                400,
                "InvalidArgument",
                "Part number must be an integer between 1 and 10000, inclusive",
            )
        })?;
    let size = ctx.body.len() as u64;
    check_quota(state, bucket, size)?;
    upload(state, bucket, key, &id)?.parts.insert(number, size);
    Ok(Reply::empty(200).header("etag", etag_of_size(size)))
}

/// `POST /<bucket>/<key>?uploadId=U` with `<CompleteMultipartUpload>`: the listed
/// parts, in ascending order, with the ETags the server gave, become the object.
pub(super) fn complete(
    state: &mut State,
    ctx: &Ctx<'_>,
    bucket: &str,
    key: &str,
) -> Result<Reply, ApiError> {
    authorize_object(state, ctx, "s3:PutObject", bucket, key)?;
    let id = upload_id(ctx)?;
    let malformed = errors::malformed_xml;
    let root = xml_body(ctx, "CompleteMultipartUpload")?;
    let listed: Vec<(u32, String)> = root
        .children_named("Part")
        .map(|p| {
            let number = p.child_text("PartNumber").and_then(|n| n.parse().ok());
            let etag = p.child_text("ETag").map(|e| e.trim_matches('"').to_owned());
            number.zip(etag).ok_or_else(malformed)
        })
        .collect::<Result<_, _>>()?;
    if listed.is_empty() {
        return Err(malformed());
    }
    if listed.windows(2).any(|w| w[0].0 >= w[1].0) {
        return Err(ApiError::new(
            400,
            "InvalidPartOrder",
            "The list of parts was not in ascending order. The parts list must be specified in order by part number.",
        ));
    }
    let upload = upload(state, bucket, key, &id)?;
    let mut size = 0u64;
    for (number, etag) in &listed {
        let part = upload
            .parts
            .get(number)
            .filter(|part_size| etag_of_size(**part_size).trim_matches('"') == etag)
            .ok_or_else(|| {
                ApiError::new(
                    400,
                    "InvalidPart",
                    "One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
                )
            })?;
        size = size.saturating_add(*part);
    }
    if let Some(record) = state.buckets.get_mut(bucket) {
        record.uploads.remove(&id);
    }
    let version = state
        .put_object(bucket, key, size)
        .ok_or_else(|| errors::no_such_bucket(bucket))?;
    let mut reply = Reply::xml(format!(
        "<CompleteMultipartUploadResult xmlns=\"{S3_NS}\"><Location>/{}/{}</Location><Bucket>{}</Bucket><Key>{}</Key><ETag>{}</ETag></CompleteMultipartUploadResult>",
        escape(bucket),
        escape(key),
        escape(bucket),
        escape(key),
        escape(&etag_of_size(size))
    ));
    if version != "null" {
        reply = reply.header("x-amz-version-id", version);
    }
    Ok(reply)
}

/// `DELETE /<bucket>/<key>?uploadId=U`: 204.
pub(super) fn abort(
    state: &mut State,
    ctx: &Ctx<'_>,
    bucket: &str,
    key: &str,
) -> Result<Reply, ApiError> {
    authorize_object(state, ctx, "s3:AbortMultipartUpload", bucket, key)?;
    let id = upload_id(ctx)?;
    upload(state, bucket, key, &id)?;
    if let Some(record) = state.buckets.get_mut(bucket) {
        record.uploads.remove(&id);
    }
    Ok(Reply::empty(204))
}

/// `GET /<bucket>?uploads`: the uploads in progress, by key.
pub(super) fn list(state: &State, ctx: &Ctx<'_>, bucket: &str) -> Result<Reply, ApiError> {
    authorize(state, ctx, "s3:ListBucketMultipartUploads", bucket)?;
    let record = state
        .buckets
        .get(bucket)
        .ok_or_else(|| errors::no_such_bucket(bucket))?;
    let mut uploads: Vec<(&String, &UploadRecord)> = record.uploads.iter().collect();
    uploads.sort_by(|a, b| (&a.1.key, a.0).cmp(&(&b.1.key, b.0)));
    let mut body = format!(
        "<ListMultipartUploadsResult xmlns=\"{S3_NS}\"><Bucket>{}</Bucket><KeyMarker></KeyMarker><UploadIdMarker></UploadIdMarker><MaxUploads>1000</MaxUploads><IsTruncated>false</IsTruncated>",
        escape(bucket)
    );
    for (id, upload) in uploads {
        body.push_str(&format!(
            "<Upload><Key>{}</Key><UploadId>{}</UploadId><StorageClass>STANDARD</StorageClass><Initiated>{}</Initiated></Upload>",
            escape(&upload.key),
            escape(id),
            time(upload.initiated)
        ));
    }
    body.push_str("</ListMultipartUploadsResult>");
    Ok(Reply::xml(body))
}
