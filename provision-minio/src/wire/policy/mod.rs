//! Tenant isolation: each user's bucket namespace, the canned policy documents that
//! grant access to exactly that namespace, and the S3 ARN wildcard matcher MinIO uses
//! to evaluate them.
//!
//! A user's namespace is the bucket `T` and the buckets `T.<suffix>`, where the token
//! `T` is the configured prefix followed by the user name, made only of `a-z 0-9 -`.
//! Its policy resources are `arn:aws:s3:::T`, `arn:aws:s3:::T/*` and
//! `arn:aws:s3:::T.*`. Since no token holds a `.`, no user's resources can match another
//! user's bucket, even when one name is a prefix of the other (`12-3` and `12-34`):
//!
//! ```
//! use provision_minio::wire::policy::{resource_matches, Namespace};
//!
//! let short = Namespace::new("12-3").unwrap();
//! for resource in short.resources() {
//!     assert!(!resource_matches(&resource, "12-34"));
//!     assert!(!resource_matches(&resource, "12-34.photos/2024/a.jpg"));
//! }
//! // The tempting `<USER>*` would leak:
//! assert!(resource_matches("arn:aws:s3:::12-3*", "12-34/secret.txt"));
//! ```

mod actions;
mod document;
mod matcher;
mod namespace;
mod strict;

pub use actions::{
    BucketFeature, BucketFeatures, UnknownBucketFeature, BYTE_ADDING_ACTIONS, LIMITED_ACTIONS,
    TENANT_ACTIONS,
};
pub use document::{
    admin_action_in, PolicyDocument, PolicyError, PolicyKind, PolicyTemplate, DENY_SID,
    NAMESPACE_PLACEHOLDER, POLICY_VERSION, USER_PLACEHOLDER,
};
pub use matcher::{resource_matches, wildcard_match, S3_ARN_PREFIX};
pub use namespace::{
    check_prefix, is_valid_bucket_name, owning_token, Namespace, NamespaceError, MAX_TOKEN_LEN,
    MIN_TOKEN_LEN,
};
