//! AWS Signature Version 4, Authorization-header form, as MinIO checks it.
//!
//! MinIO authenticates admin (`/minio/admin/v3/...`) and S3 requests the same way,
//! with service name `s3`. The admin clients sign with an empty region (scope
//! `YYYYMMDD//s3/aws4_request`); S3 calls use the server's region or `us-east-1`.
//!
//! Two directions live here, on one shared canonical encoding:
//!
//! - [`sign()`] builds the `Authorization` header for a request that is about to be
//!   sent, and returns the intermediate values (canonical request, string to sign,
//!   signature) so that tests can compare them with reference vectors;
//! - `verify` (feature `mock`) re-derives the signature of a received request, as the
//!   server does, and says precisely what is wrong when it does not match. A mock
//!   server uses it.
//!
//! Canonicalisation follows what the MinIO server recomputes, so that a request the
//! signer accepts is a request the server accepts:
//!
//! - the path is percent-decoded and re-encoded (everything but `A-Z a-z 0-9 - _ . ~`
//!   and `/` as `%XX` of its UTF-8 bytes), which is the identity for a path already
//!   encoded that way;
//! - the query is split on `&`, each name and value decoded (`+` is a space, as the
//!   server's form parser reads it) and re-encoded the same way, a name without `=`
//!   gets one, and the pairs are sorted by name then value;
//! - header names are lower-cased, values trimmed with inner runs of white space
//!   collapsed to one space, repeated headers joined with `,`, sorted by name.
//!
//! The signer signs every header it is given except `User-Agent` and `Authorization`;
//! headers that the HTTP stack adds later (and that are not passed in) are simply
//! sent unsigned, which the server allows.

mod canonical;
mod sign;
#[cfg(feature = "mock")]
mod verify;

pub use canonical::{
    amz_date, canonical_query, canonical_uri, encode_component, encode_path, encode_query,
    sha256_hex, signing_key, ALGORITHM, AMZ_DATE_FORMAT, EMPTY_PAYLOAD_SHA256, SERVICE_S3,
    UNSIGNED_PAYLOAD,
};
pub use sign::{sign, Credentials, SignError, SignedRequest, SigningRequest};
#[cfg(feature = "mock")]
pub use verify::{
    is_presigned, parse_authorization, presign_query, verify, verify_presigned, Authorization,
    PresignRequest, ReceivedRequest, Verified, VerifyError, VerifyOptions, DEFAULT_MAX_SKEW,
    MAX_PRESIGN_EXPIRES,
};
