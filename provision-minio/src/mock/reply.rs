//! Answers of the mock server: success bodies and errors in the envelope of the
//! dialect (MinIO admin: JSON; S3 and RustFS: XML; HEAD: no body).

use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::{json, Value};

use super::Dialect;
use crate::xml::escape;

/// Which API a request went to: it decides the error envelope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Api {
    Admin,
    S3,
}

/// An error answer, with MinIO's code; [`render_error`] adapts it to the dialect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ApiError {
    pub(super) status: u16,
    pub(super) code: String,
    pub(super) message: String,
}

impl ApiError {
    pub(super) fn new(status: u16, code: &str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code: code.to_owned(),
            message: message.into(),
        }
    }
}

/// MinIO's errors, by code (statuses per cmd/api-errors.go; messages are the mock's).
pub(super) mod errors {
    use super::ApiError;

    pub(in crate::mock) fn no_such_user(user: &str) -> ApiError {
        ApiError::new(
            404,
            "XMinioAdminNoSuchUser",
            format!("The specified user {user:?} does not exist."),
        )
    }
    pub(in crate::mock) fn no_such_policy(policy: &str) -> ApiError {
        ApiError::new(
            404,
            "XMinioAdminNoSuchPolicy",
            format!("The canned policy {policy:?} does not exist."),
        )
    }
    pub(in crate::mock) fn no_such_group(group: &str) -> ApiError {
        ApiError::new(
            404,
            "XMinioAdminNoSuchGroup",
            format!("The specified group {group:?} does not exist."),
        )
    }
    pub(in crate::mock) fn no_such_bucket(bucket: &str) -> ApiError {
        ApiError::new(
            404,
            "NoSuchBucket",
            format!("The specified bucket {bucket:?} does not exist"),
        )
    }
    pub(in crate::mock) fn invalid_argument(why: &str) -> ApiError {
        ApiError::new(
            400,
            "XMinioAdminInvalidArgument",
            format!("Invalid arguments specified: {why}"),
        )
    }
    pub(in crate::mock) fn bad_json(why: &str) -> ApiError {
        ApiError::new(
            400,
            "XMinioAdminConfigBadJSON",
            format!("The JSON configuration provided is of an incorrect format: {why}"),
        )
    }
    pub(in crate::mock) fn too_large() -> ApiError {
        ApiError::new(
            400,
            "XMinioAdminConfigTooLarge",
            "Configuration data is missing a length or exceeds 262272 bytes",
        )
    }
    pub(in crate::mock) fn malformed_xml() -> ApiError {
        ApiError::new(
            400,
            "MalformedXML",
            "The XML you provided was not well-formed or did not validate against our published schema.",
        )
    }
    pub(in crate::mock) fn no_such_key() -> ApiError {
        ApiError::new(404, "NoSuchKey", "The specified key does not exist.")
    }
    pub(in crate::mock) fn access_denied() -> ApiError {
        ApiError::new(403, "AccessDenied", "Access Denied.")
    }
    pub(in crate::mock) fn already_applied() -> ApiError {
        ApiError::new(
            400,
            "XMinioAdminPolicyChangeAlreadyApplied",
            "The specified policy change is already in effect.",
        )
    }
    pub(in crate::mock) fn not_implemented(method: &str, target: &str) -> ApiError {
        ApiError::new(
            501,
            "NotImplemented",
            format!("mock MinIO has no route for {method} {target}"),
        )
    }
}

/// An answer about to be sent.
#[derive(Debug, Clone)]
pub(super) struct Reply {
    pub(super) status: u16,
    pub(super) body: Vec<u8>,
    pub(super) content_type: Option<&'static str>,
    pub(super) headers: Vec<(&'static str, String)>,
}

impl Reply {
    pub(super) fn empty(status: u16) -> Reply {
        Reply {
            status,
            body: Vec::new(),
            content_type: None,
            headers: Vec::new(),
        }
    }

    pub(super) fn json(value: &Value) -> Reply {
        Reply {
            status: 200,
            body: value.to_string().into_bytes(),
            content_type: Some("application/json"),
            headers: Vec::new(),
        }
    }

    pub(super) fn xml(body: String) -> Reply {
        Reply {
            status: 200,
            body: format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{body}").into_bytes(),
            content_type: Some("application/xml"),
            headers: Vec::new(),
        }
    }

    /// An object's bytes.
    pub(super) fn bytes(body: Vec<u8>) -> Reply {
        Reply {
            status: 200,
            body,
            content_type: Some("binary/octet-stream"),
            headers: Vec::new(),
        }
    }

    pub(super) fn encrypted(body: Vec<u8>) -> Reply {
        Reply {
            status: 200,
            body,
            content_type: Some("application/octet-stream"),
            headers: Vec::new(),
        }
    }

    pub(super) fn header(mut self, name: &'static str, value: impl Into<String>) -> Reply {
        self.headers.push((name, value.into()));
        self
    }
}

fn request_id() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    format!("18{:014X}", NEXT.fetch_add(1, Ordering::Relaxed))
}

/// RustFS answers admin errors with its own, S3-style codes.
fn rustfs_admin_error(error: &ApiError) -> ApiError {
    let (status, code) = match error.code.as_str() {
        "XMinioAdminNoSuchUser" | "XMinioAdminNoSuchPolicy" | "XMinioAdminNoSuchGroup" => {
            (404, "NoSuchResource")
        }
        "XMinioAdminInvalidArgument" => (400, "InvalidArgument"),
        "XMinioAdminConfigBadJSON" => (400, "InvalidRequest"),
        "XMinioAdminInvalidAccessKey" | "XMinioAdminInvalidSecretKey" | "XMinioIAMPolicyInUse" => {
            (500, "InternalError")
        }
        _ => return error.clone(),
    };
    ApiError::new(status, code, error.message.clone())
}

/// The error in the envelope of `api` and `dialect`, for the request `resource`.
pub(super) fn render_error(
    error: &ApiError,
    api: Api,
    dialect: Dialect,
    resource: &str,
    head: bool,
) -> Reply {
    let error = match (api, dialect) {
        (Api::Admin, Dialect::RustFs) => rustfs_admin_error(error),
        _ => error.clone(),
    };
    if head {
        Reply::empty(error.status)
    } else if api == Api::Admin && dialect == Dialect::MinIO {
        let mut r = Reply::json(&json!({
            "Code": error.code,
            "Message": error.message,
            "Resource": resource,
            "RequestId": request_id(),
            "HostId": "mock-minio",
        }));
        r.status = error.status;
        r
    } else {
        let mut r = Reply::xml(format!(
            "<Error><Code>{}</Code><Message>{}</Message><Resource>{}</Resource><RequestId>{}</RequestId><HostId>mock-minio</HostId></Error>",
            escape(&error.code),
            escape(&error.message),
            escape(resource),
            request_id()
        ));
        r.status = error.status;
        r
    }
}
