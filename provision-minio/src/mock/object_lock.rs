//! Object lock: buckets made with `x-amz-bucket-object-lock-enabled: true` (which
//! turns versioning on for good), their configuration (`GET ?object-lock`), object
//! retention (`PUT /<bucket>/<key>?retention`) and the refusal to delete a version
//! before its retain-until date. Codes from minio/minio cmd/api-errors.go:
//! `ErrObjectLocked` is 400 `InvalidRequest` "Object is WORM protected and cannot be
//! overwritten.", `ErrPastObjectLockRetainDate` 400 `InvalidRequest`. GOVERNANCE is
//! kept like COMPLIANCE: the governance bypass is not modelled.

use chrono::{DateTime, Utc};

use super::reply::{errors, ApiError, Reply};
use super::request::Ctx;
use super::s3::{
    authorize, authorize_object, check_content_md5, invalid_argument, xml_body, S3_NS,
};
use super::state::State;

/// MinIO's answer to deleting a version under retention.
pub(super) fn worm_protected() -> ApiError {
    ApiError::new(
        400,
        "InvalidRequest",
        "Object is WORM protected and cannot be overwritten.",
    )
}

/// Whether `version` of `key` is under retention now.
pub(super) fn is_protected(state: &State, bucket: &str, key: &str, version: &str) -> bool {
    let now = Utc::now();
    state
        .buckets
        .get(bucket)
        .and_then(|b| b.objects.get(key))
        .is_some_and(|versions| {
            versions
                .iter()
                .any(|v| v.version_id == version && v.retain_until.is_some_and(|until| until > now))
        })
}

/// `GET /<bucket>?object-lock` (`s3:GetBucketObjectLockConfiguration`).
pub(super) fn get_configuration(
    state: &State,
    ctx: &Ctx<'_>,
    bucket: &str,
) -> Result<Reply, ApiError> {
    authorize(state, ctx, "s3:GetBucketObjectLockConfiguration", bucket)?;
    let locked = state
        .buckets
        .get(bucket)
        .ok_or_else(|| errors::no_such_bucket(bucket))?
        .object_lock;
    if !locked {
        return Err(ApiError::new(
            404,
            "ObjectLockConfigurationNotFoundError",
            "Object Lock configuration does not exist for this bucket",
        ));
    }
    Ok(Reply::xml(format!(
        "<ObjectLockConfiguration xmlns=\"{S3_NS}\"><ObjectLockEnabled>Enabled</ObjectLockEnabled></ObjectLockConfiguration>"
    )))
}

/// `PUT /<bucket>?versioning` (`s3:PutBucketVersioning`); a lock-enabled bucket
/// cannot be suspended.
pub(super) fn put_versioning(
    state: &mut State,
    ctx: &Ctx<'_>,
    bucket: &str,
) -> Result<Reply, ApiError> {
    authorize(state, ctx, "s3:PutBucketVersioning", bucket)?;
    let enabled = match xml_body(ctx, "VersioningConfiguration")?.child_text("Status") {
        Some("Enabled") => true,
        Some("Suspended") => false,
        _ => return Err(errors::malformed_xml()),
    };
    let record = state
        .buckets
        .get_mut(bucket)
        .ok_or_else(|| errors::no_such_bucket(bucket))?;
    if record.object_lock && !enabled {
        return Err(ApiError::new(
            409,
            "InvalidBucketState",
            "An Object Lock configuration is present on this bucket, so the versioning state cannot be changed.",
        ));
    }
    record.versioning = enabled;
    Ok(Reply::empty(200))
}

/// `PUT /<bucket>/<key>?retention[&versionId=]` (`s3:PutObjectRetention`), body
/// `<Retention><Mode>COMPLIANCE</Mode><RetainUntilDate>…</RetainUntilDate></Retention>`.
pub(super) fn put_retention(
    state: &mut State,
    ctx: &Ctx<'_>,
    bucket: &str,
    key: &str,
) -> Result<Reply, ApiError> {
    authorize_object(state, ctx, "s3:PutObjectRetention", bucket, key)?;
    check_content_md5(state, ctx)?;
    let record = state
        .buckets
        .get_mut(bucket)
        .ok_or_else(|| errors::no_such_bucket(bucket))?;
    if !record.object_lock {
        return Err(ApiError::new(
            400,
            "InvalidRequest",
            "Bucket is missing ObjectLockConfiguration",
        ));
    }
    let root = xml_body(ctx, "Retention")?;
    if !matches!(root.child_text("Mode"), Some("COMPLIANCE" | "GOVERNANCE")) {
        return Err(invalid_argument("Unknown wormMode directive."));
    }
    let until = root
        .child_text("RetainUntilDate")
        .and_then(|d| DateTime::parse_from_rfc3339(d).ok())
        .map(|d| d.with_timezone(&Utc))
        .ok_or_else(errors::malformed_xml)?;
    if until <= Utc::now() {
        return Err(ApiError::new(
            400,
            "InvalidRequest",
            "the retain until date must be in the future.",
        ));
    }
    let versions = record
        .objects
        .get_mut(key)
        .ok_or_else(errors::no_such_key)?;
    let wanted = ctx.query.get("versionId").filter(|v| !v.is_empty());
    let version = match wanted {
        Some(id) => versions.iter_mut().find(|v| v.version_id == id),
        None => versions.last_mut().filter(|v| !v.delete_marker),
    }
    .ok_or_else(|| {
        ApiError::new(
            404,
            "NoSuchVersion",
            "The specified version does not exist.",
        )
    })?;
    version.retain_until = Some(until);
    Ok(Reply::empty(200))
}
