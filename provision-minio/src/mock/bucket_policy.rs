//! Bucket policies (`PUT`/`GET`/`DELETE /<bucket>?policy`), the S3 way MinIO serves
//! them: the JSON document is the body, a put answers 204, a get of a bucket without
//! one answers 404 `NoSuchBucketPolicy` (minio/minio cmd/api-errors.go), a document
//! the server cannot read answers 400 `MalformedPolicy`. A statement with the
//! Principal `*` opens the bucket to anonymous requests (`mc anonymous set`).

use super::eval::{DocumentKind, Policy};
use super::reply::{ApiError, Reply};
use super::request::Ctx;
use super::s3::authorize;
use super::state::{BucketPolicyRecord, State};

/// The largest bucket policy MinIO takes (20 KiB, `ErrPolicyTooLarge` beyond).
const MAX_POLICY_BYTES: usize = 20 * 1024;

fn record<'s>(
    state: &'s mut State,
    bucket: &str,
) -> Result<&'s mut super::state::BucketRecord, ApiError> {
    state
        .buckets
        .get_mut(bucket)
        .ok_or_else(|| super::reply::errors::no_such_bucket(bucket))
}

/// `PUT /<bucket>?policy` (`s3:PutBucketPolicy`).
pub(super) fn put(state: &mut State, ctx: &Ctx<'_>, bucket: &str) -> Result<Reply, ApiError> {
    authorize(state, ctx, "s3:PutBucketPolicy", bucket)?;
    if ctx.body.is_empty() {
        return Err(ApiError::new(
            411,
            "MissingContentLength",
            "You must provide the Content-Length HTTP header.",
        ));
    }
    if ctx.body.len() > MAX_POLICY_BYTES {
        return Err(ApiError::new(
            400,
            "PolicyTooLarge",
            "Policy exceeds the maximum allowed document size.",
        ));
    }
    let parsed = Policy::parse(ctx.body, DocumentKind::Bucket(bucket))
        .map_err(|e| ApiError::new(400, "MalformedPolicy", e.to_string()))?;
    record(state, bucket)?.policy = Some(BucketPolicyRecord {
        raw: ctx.body.to_vec(),
        parsed,
    });
    Ok(Reply::empty(204))
}

/// `GET /<bucket>?policy` (`s3:GetBucketPolicy`): the document as sent.
pub(super) fn get(state: &State, ctx: &Ctx<'_>, bucket: &str) -> Result<Reply, ApiError> {
    authorize(state, ctx, "s3:GetBucketPolicy", bucket)?;
    let policy = state
        .buckets
        .get(bucket)
        .and_then(|b| b.policy.as_ref())
        .ok_or_else(|| {
            ApiError::new(
                404,
                "NoSuchBucketPolicy",
                "The bucket policy does not exist",
            )
        })?;
    let mut reply = Reply::bytes(policy.raw.clone());
    reply.content_type = Some("application/json");
    Ok(reply)
}

/// `DELETE /<bucket>?policy` (`s3:DeleteBucketPolicy`): 204, also when there was none.
pub(super) fn delete(state: &mut State, ctx: &Ctx<'_>, bucket: &str) -> Result<Reply, ApiError> {
    authorize(state, ctx, "s3:DeleteBucketPolicy", bucket)?;
    record(state, bucket)?.policy = None;
    Ok(Reply::empty(204))
}
