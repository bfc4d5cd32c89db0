//! The server side of SigV4: re-deriving the signature of a received request, as the
//! MinIO server does, and saying precisely what is wrong when it does not match. Only
//! the mock server needs it, so it is built with the `mock` feature.

use chrono::{DateTime, NaiveDateTime, TimeDelta, Utc};
use hmac::Mac;
use percent_encoding::percent_decode_str;
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};

use super::canonical::{
    amz_date, canonical_header_value, canonical_request, credential_scope, encode_component,
    new_mac, signing_key, string_to_sign, ALGORITHM, AMZ_DATE_FORMAT, SCOPE_TERMINATOR, SERVICE_S3,
    UNSIGNED_PAYLOAD,
};
use super::sign::Credentials;

/// The longest validity of a presigned URL MinIO accepts: seven days, in seconds.
pub const MAX_PRESIGN_EXPIRES: i64 = 604_800;

/// The clock skew MinIO tolerates before answering `RequestTimeTooSkewed`.
pub const DEFAULT_MAX_SKEW: TimeDelta = TimeDelta::minutes(15);

/// A received request, as the verifier needs to see it.
#[derive(Debug, Clone, Copy)]
pub struct ReceivedRequest<'a> {
    /// HTTP method as received.
    pub method: &'a str,
    /// The path as received (still percent-encoded).
    pub path: &'a str,
    /// The raw query string, without `?`.
    pub query: &'a str,
    /// Every header received (names in any case; repeated names allowed).
    pub headers: &'a [(&'a str, &'a str)],
    /// The body bytes received.
    pub body: &'a [u8],
}

/// What [`verify`] checks beyond the signature itself.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct VerifyOptions {
    /// The server's clock; `None` skips the clock-skew check (for fixed vectors).
    pub now: Option<DateTime<Utc>>,
    /// The largest tolerated difference between `now` and the request time.
    pub max_skew: TimeDelta,
    /// The server's region; `None` accepts any region, as MinIO does when no region
    /// is configured (and always on admin calls). `US` and `us-east-1` are the same.
    pub region: Option<String>,
    /// The service the scope must name.
    pub service: String,
}

impl Default for VerifyOptions {
    fn default() -> Self {
        Self {
            now: None,
            max_skew: DEFAULT_MAX_SKEW,
            region: None,
            service: SERVICE_S3.to_owned(),
        }
    }
}

impl VerifyOptions {
    /// Any region, service `s3`, no clock check.
    pub fn new() -> Self {
        Self::default()
    }

    /// Checks the request time against `now` within [`VerifyOptions::max_skew`].
    pub fn at(mut self, now: DateTime<Utc>) -> Self {
        self.now = Some(now);
        self
    }

    /// Sets the tolerated clock skew.
    pub fn max_skew(mut self, max_skew: TimeDelta) -> Self {
        self.max_skew = max_skew;
        self
    }

    /// Requires the scope to name `region`.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Requires the scope to name `service` instead of `s3`.
    pub fn service(mut self, service: impl Into<String>) -> Self {
        self.service = service.into();
        self
    }
}

/// The fields of an `AWS4-HMAC-SHA256` Authorization header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authorization {
    /// The access key of the credential.
    pub access_key: String,
    /// The scope date, `YYYYMMDD`.
    pub date: String,
    /// The scope region (may be empty).
    pub region: String,
    /// The scope service.
    pub service: String,
    /// The signed header names, in the order given.
    pub signed_headers: Vec<String>,
    /// The signature, hex.
    pub signature: String,
}

/// What a successful [`verify`] established.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// The access key that signed the request.
    pub access_key: String,
    /// The request time (from `x-amz-date`, or `Date`).
    pub time: DateTime<Utc>,
    /// The region of the credential scope.
    pub region: String,
    /// The signed header names, as listed in the Authorization header.
    pub signed_headers: Vec<String>,
    /// `true` when the payload hash was [`UNSIGNED_PAYLOAD`] (the body was not
    /// checked); MinIO accepts this on S3 calls only.
    pub unsigned_payload: bool,
}

/// Why a received request failed verification. [`VerifyError::minio_code`] and
/// [`VerifyError::http_status`] give the answer MinIO sends for it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// A required header is absent (`authorization`, `x-amz-date` or `date`,
    /// `x-amz-content-sha256`).
    #[error("missing {name} header")]
    MissingHeader {
        /// The lower-case header name.
        name: &'static str,
    },
    /// The Authorization header does not use `AWS4-HMAC-SHA256`.
    #[error("unsupported authorization scheme (only {ALGORITHM} is accepted)")]
    UnsupportedAlgorithm,
    /// The Authorization header cannot be parsed.
    #[error("malformed Authorization header: {reason}")]
    MalformedAuthorization {
        /// What is wrong.
        reason: &'static str,
    },
    /// No secret is known for the access key.
    #[error("unknown access key {access_key:?}")]
    UnknownAccessKey {
        /// The access key of the credential.
        access_key: String,
    },
    /// `x-amz-date` (or `Date`) cannot be parsed.
    #[error("malformed request date {value:?}")]
    MalformedDate {
        /// The header value.
        value: String,
    },
    /// The scope date is not the date of the request time.
    #[error("credential scope date {scope_date} does not match the request date {request_date}")]
    ScopeDateMismatch {
        /// The date in the credential scope.
        scope_date: String,
        /// The date of `x-amz-date`.
        request_date: String,
    },
    /// The request time is too far from the server's clock.
    #[error("request time {request_time} is more than {max_skew} away from server time {now}")]
    TimeTooSkewed {
        /// The request time.
        request_time: DateTime<Utc>,
        /// The server time.
        now: DateTime<Utc>,
        /// The tolerated skew.
        max_skew: TimeDelta,
    },
    /// The scope names another region than the server's.
    #[error("credential scope region {got:?} does not match the server region {expected:?}")]
    WrongRegion {
        /// The region in the scope.
        got: String,
        /// The server region.
        expected: String,
    },
    /// The scope names another service.
    #[error("credential scope service {got:?}, expected {expected:?}")]
    WrongService {
        /// The service in the scope.
        got: String,
        /// The expected service.
        expected: String,
    },
    /// `host` is not among the signed headers.
    #[error("the host header is not signed")]
    HostNotSigned,
    /// A header listed as signed is not in the request.
    #[error("signed header {name:?} is not present in the request")]
    SignedHeaderMissing {
        /// The header name as listed.
        name: String,
    },
    /// `x-amz-content-sha256` is neither 64 hex digits nor `UNSIGNED-PAYLOAD`.
    #[error("x-amz-content-sha256 {value:?} is not a hex SHA-256 or UNSIGNED-PAYLOAD")]
    MalformedPayloadHash {
        /// The header value.
        value: String,
    },
    /// The signature does not match the request. The canonical request and string to
    /// sign recomputed here are attached for debugging (they hold no secret).
    #[error("signature does not match")]
    SignatureMismatch {
        /// The canonical request the server computed.
        canonical_request: String,
        /// The string to sign the server computed.
        string_to_sign: String,
    },
    /// A presigned URL lacks one of the `X-Amz-*` query parameters.
    #[error("missing query parameter {name}")]
    MissingQueryParameter {
        /// The parameter name.
        name: &'static str,
    },
    /// A presigned URL's `X-Amz-*` parameters cannot be used (algorithm, expiry).
    #[error("malformed presigned URL: {reason}")]
    MalformedPresign {
        /// What is wrong, in MinIO's words.
        reason: &'static str,
    },
    /// The presigned URL's validity has passed.
    #[error("Request has expired")]
    PresignExpired,
    /// The presigned URL is dated after the server's clock (beyond the skew).
    #[error("Request is not valid yet")]
    PresignNotYetValid,
    /// The body does not hash to `x-amz-content-sha256`.
    #[error("x-amz-content-sha256 {header} does not match the body hash {actual}")]
    PayloadHashMismatch {
        /// The header value.
        header: String,
        /// The SHA-256 of the received body.
        actual: String,
    },
}

impl VerifyError {
    /// The error code MinIO answers with (minio/minio `cmd/api-errors.go`).
    ///
    /// Exact for the codes the reference names (`AccessDenied` for a missing
    /// `x-amz-content-sha256`, `InvalidAccessKeyId`, `SignatureDoesNotMatch`,
    /// `RequestTimeTooSkewed`, `XAmzContentSHA256Mismatch`); the server splits malformed
    /// headers over several codes, of which this picks the closest.
    pub fn minio_code(&self) -> &'static str {
        match self {
            Self::MissingHeader { .. } | Self::HostNotSigned | Self::SignedHeaderMissing { .. } => {
                "AccessDenied"
            }
            Self::UnsupportedAlgorithm => "SignatureVersionNotSupported",
            Self::MalformedAuthorization { .. } | Self::WrongRegion { .. } => {
                "AuthorizationHeaderMalformed"
            }
            Self::UnknownAccessKey { .. } => "InvalidAccessKeyId",
            Self::MalformedDate { .. } => "MalformedDate",
            Self::ScopeDateMismatch { .. } | Self::SignatureMismatch { .. } => {
                "SignatureDoesNotMatch"
            }
            Self::TimeTooSkewed { .. } => "RequestTimeTooSkewed",
            Self::WrongService { .. } => "AuthorizationParametersError",
            Self::MalformedPayloadHash { .. } | Self::PayloadHashMismatch { .. } => {
                "XAmzContentSHA256Mismatch"
            }
            Self::MissingQueryParameter { .. } | Self::MalformedPresign { .. } => {
                "AuthorizationQueryParametersError"
            }
            // MinIO: ErrExpiredPresignRequest and ErrRequestNotReadyYet are AccessDenied.
            Self::PresignExpired | Self::PresignNotYetValid => "AccessDenied",
        }
    }

    /// The HTTP status MinIO answers with.
    pub fn http_status(&self) -> u16 {
        match self {
            Self::MissingHeader {
                name: "authorization" | "x-amz-content-sha256",
            }
            | Self::UnknownAccessKey { .. }
            | Self::TimeTooSkewed { .. }
            | Self::ScopeDateMismatch { .. }
            | Self::SignatureMismatch { .. }
            | Self::PresignExpired
            | Self::PresignNotYetValid => 403,
            _ => 400,
        }
    }
}

/// Parses an `AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…` value.
pub fn parse_authorization(value: &str) -> Result<Authorization, VerifyError> {
    let malformed = |reason| VerifyError::MalformedAuthorization { reason };
    let rest = value
        .strip_prefix(ALGORITHM)
        .ok_or(VerifyError::UnsupportedAlgorithm)?;
    if !rest.starts_with(' ') {
        return Err(if rest.is_empty() {
            malformed("no fields after the algorithm")
        } else {
            VerifyError::UnsupportedAlgorithm
        });
    }

    let (mut credential, mut signed_headers, mut signature) = (None, None, None);
    for field in rest.split(',') {
        let (key, val) = field
            .trim()
            .split_once('=')
            .ok_or_else(|| malformed("a field has no '='"))?;
        let slot = match key {
            "Credential" => &mut credential,
            "SignedHeaders" => &mut signed_headers,
            "Signature" => &mut signature,
            _ => return Err(malformed("unknown field")),
        };
        if slot.replace(val.trim()).is_some() {
            return Err(malformed("repeated field"));
        }
    }
    let credential = credential.ok_or_else(|| malformed("missing Credential"))?;
    let signed_headers = signed_headers.ok_or_else(|| malformed("missing SignedHeaders"))?;
    let signature = signature.ok_or_else(|| malformed("missing Signature"))?;

    let (access_key, date, region, service) = parse_credential(credential)?;
    Ok(Authorization {
        access_key,
        date,
        region,
        service,
        signed_headers: parse_signed_headers(signed_headers)?,
        signature: parse_signature(signature)?,
    })
}

/// `<access key>/<date>/<region>/<service>/aws4_request` into its parts.
fn parse_credential(credential: &str) -> Result<(String, String, String, String), VerifyError> {
    let malformed = |reason| VerifyError::MalformedAuthorization { reason };
    // The access key may itself contain '/', so the scope is taken from the right.
    let mut parts = credential.rsplitn(5, '/');
    let (Some(terminator), Some(service), Some(region), Some(date), Some(access_key)) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return Err(malformed(
            "Credential is not <access key>/<date>/<region>/<service>/aws4_request",
        ));
    };
    if access_key.is_empty() {
        return Err(malformed("empty access key"));
    }
    if date.len() != 8 || !date.bytes().all(|b| b.is_ascii_digit()) {
        return Err(malformed("scope date is not YYYYMMDD"));
    }
    if terminator != SCOPE_TERMINATOR {
        return Err(malformed("scope does not end in aws4_request"));
    }
    Ok((
        access_key.to_owned(),
        date.to_owned(),
        region.to_owned(),
        service.to_owned(),
    ))
}

fn parse_signed_headers(list: &str) -> Result<Vec<String>, VerifyError> {
    let names: Vec<String> = list.split(';').map(str::to_owned).collect();
    if names.iter().any(String::is_empty) {
        return Err(VerifyError::MalformedAuthorization {
            reason: "empty name in SignedHeaders",
        });
    }
    Ok(names)
}

fn parse_signature(signature: &str) -> Result<String, VerifyError> {
    if signature.len() != 64 || !signature.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(VerifyError::MalformedAuthorization {
            reason: "Signature is not 64 hex digits",
        });
    }
    Ok(signature.to_owned())
}

/// Verifies the SigV4 signature of a received request, as the MinIO server does.
///
/// `secret_for` maps the access key of the credential to its secret key (`None`:
/// unknown key). Checks, in order: the Authorization header, the access key, the
/// request date and scope, the clock skew (if [`VerifyOptions::now`] is set), region
/// and service, that `host` and every listed header are present, the signature
/// (compared in constant time), and finally that the body hashes to
/// `x-amz-content-sha256` (skipped for `UNSIGNED-PAYLOAD`).
///
/// A signed `content-length` absent from `headers` is taken as the body length, and a
/// signed `expect` as `100-continue`, as the server does for headers the HTTP stack
/// consumes.
pub fn verify<F>(
    request: &ReceivedRequest<'_>,
    options: &VerifyOptions,
    secret_for: F,
) -> Result<Verified, VerifyError>
where
    F: FnOnce(&str) -> Option<SecretString>,
{
    let authorization = match header_values(request.headers, "authorization").as_slice() {
        [] => {
            return Err(VerifyError::MissingHeader {
                name: "authorization",
            })
        }
        [one] => parse_authorization(one)?,
        _ => {
            return Err(VerifyError::MalformedAuthorization {
                reason: "more than one Authorization header",
            })
        }
    };
    let secret =
        secret_for(&authorization.access_key).ok_or_else(|| VerifyError::UnknownAccessKey {
            access_key: authorization.access_key.clone(),
        })?;

    let time = request_time(request.headers)?;
    check_scope(&authorization, time, options)?;
    if let Some(now) = options.now {
        if (now - time).abs() > options.max_skew {
            return Err(VerifyError::TimeTooSkewed {
                request_time: time,
                now,
                max_skew: options.max_skew,
            });
        }
    }

    let payload_hash = joined_header(request.headers, "x-amz-content-sha256").ok_or(
        VerifyError::MissingHeader {
            name: "x-amz-content-sha256",
        },
    )?;
    check_signature(
        request,
        request.query,
        &authorization,
        time,
        &payload_hash,
        &secret,
    )?;

    let unsigned_payload = payload_hash == UNSIGNED_PAYLOAD;
    if !unsigned_payload {
        let claimed = match hex::decode(&payload_hash) {
            Ok(bytes) if bytes.len() == 32 => bytes,
            _ => {
                return Err(VerifyError::MalformedPayloadHash {
                    value: payload_hash,
                })
            }
        };
        let actual = Sha256::digest(request.body);
        if actual.as_slice() != claimed.as_slice() {
            return Err(VerifyError::PayloadHashMismatch {
                header: payload_hash,
                actual: hex::encode(actual),
            });
        }
    }

    Ok(Verified {
        access_key: authorization.access_key,
        time,
        region: authorization.region,
        signed_headers: authorization.signed_headers,
        unsigned_payload,
    })
}

/// The checks both forms share: the scope date is the request's, region and service
/// are the server's, and `host` is signed.
fn check_scope(
    authorization: &Authorization,
    time: DateTime<Utc>,
    options: &VerifyOptions,
) -> Result<(), VerifyError> {
    let request_date = amz_date(time)[..8].to_owned();
    if authorization.date != request_date {
        return Err(VerifyError::ScopeDateMismatch {
            scope_date: authorization.date.clone(),
            request_date,
        });
    }
    if let Some(expected) = &options.region {
        if normalise_region(&authorization.region) != normalise_region(expected) {
            return Err(VerifyError::WrongRegion {
                got: authorization.region.clone(),
                expected: expected.clone(),
            });
        }
    }
    if authorization.service != options.service {
        return Err(VerifyError::WrongService {
            got: authorization.service.clone(),
            expected: options.service.clone(),
        });
    }
    if !authorization
        .signed_headers
        .iter()
        .any(|name| name.eq_ignore_ascii_case("host"))
    {
        return Err(VerifyError::HostNotSigned);
    }
    Ok(())
}

/// Recomputes the signature over `query` (the query as signed) and compares it in
/// constant time with the one sent.
fn check_signature(
    request: &ReceivedRequest<'_>,
    query: &str,
    authorization: &Authorization,
    time: DateTime<Utc>,
    payload_hash: &str,
    secret: &SecretString,
) -> Result<(), VerifyError> {
    let mut lines = Vec::with_capacity(authorization.signed_headers.len());
    for name in &authorization.signed_headers {
        let value = match joined_header(request.headers, name) {
            Some(value) => value,
            None if name.eq_ignore_ascii_case("content-length") => request.body.len().to_string(),
            None if name.eq_ignore_ascii_case("expect") => "100-continue".to_owned(),
            None => return Err(VerifyError::SignedHeaderMissing { name: name.clone() }),
        };
        lines.push((name.as_str(), value));
    }
    lines.sort();
    let canonical_request = canonical_request(
        request.method,
        request.path,
        query,
        lines.iter().map(|(n, v)| (*n, v.as_str())),
        &authorization.signed_headers.join(";"),
        payload_hash,
    );
    let scope = credential_scope(
        &authorization.date,
        &authorization.region,
        &authorization.service,
    );
    let string_to_sign = string_to_sign(&amz_date(time), &scope, &canonical_request);
    let key = signing_key(
        secret,
        &authorization.date,
        &authorization.region,
        &authorization.service,
    );
    let provided =
        hex::decode(&authorization.signature).map_err(|_| VerifyError::MalformedAuthorization {
            reason: "Signature is not 64 hex digits",
        })?;
    let mut mac = new_mac(key.expose_secret());
    mac.update(string_to_sign.as_bytes());
    // `verify_slice` compares in constant time.
    mac.verify_slice(&provided)
        .map_err(|_| VerifyError::SignatureMismatch {
            canonical_request,
            string_to_sign,
        })
}

/// Decoded `name=value` pairs of a raw query (`+` is a space, as the server's form
/// parser reads it), with the raw piece they came from.
fn query_pairs(query: &str) -> Vec<(String, String, &str)> {
    let decode = |s: &str| {
        percent_decode_str(&s.replace('+', " "))
            .decode_utf8_lossy()
            .into_owned()
    };
    query
        .split('&')
        .filter(|piece| !piece.is_empty())
        .map(|piece| {
            let (name, value) = piece.split_once('=').unwrap_or((piece, ""));
            (decode(name), decode(value), piece)
        })
        .collect()
}

/// Whether a request carries query authentication (a presigned URL).
pub fn is_presigned(query: &str) -> bool {
    query_pairs(query)
        .iter()
        .any(|(name, _, _)| name == "X-Amz-Signature" || name == "X-Amz-Algorithm")
}

/// Verifies a presigned request (SigV4 query authentication), as the MinIO server
/// does: the `X-Amz-Algorithm`, `X-Amz-Credential`, `X-Amz-Date`, `X-Amz-Expires`,
/// `X-Amz-SignedHeaders` and `X-Amz-Signature` parameters must be present;
/// `X-Amz-Expires` is a number of seconds from 0 to [`MAX_PRESIGN_EXPIRES`]; with
/// [`VerifyOptions::now`] set, a URL dated beyond the clock skew is not valid yet and
/// one older than its expiry has expired (MinIO: `AccessDenied`, "Request has
/// expired"); the signature covers every query parameter except `X-Amz-Signature`,
/// and the payload hash is `X-Amz-Content-Sha256` when given, else
/// [`UNSIGNED_PAYLOAD`].
pub fn verify_presigned<F>(
    request: &ReceivedRequest<'_>,
    options: &VerifyOptions,
    secret_for: F,
) -> Result<Verified, VerifyError>
where
    F: FnOnce(&str) -> Option<SecretString>,
{
    let pairs = query_pairs(request.query);
    let param = |name: &'static str| {
        pairs
            .iter()
            .find(|(n, _, _)| n == name)
            .map(|(_, v, _)| v.as_str())
            .ok_or(VerifyError::MissingQueryParameter { name })
    };
    let malformed = |reason| VerifyError::MalformedPresign { reason };
    if param("X-Amz-Algorithm")? != ALGORITHM {
        return Err(malformed("X-Amz-Algorithm only supports AWS4-HMAC-SHA256"));
    }
    let (access_key, date, region, service) = parse_credential(param("X-Amz-Credential")?)?;
    let signed_headers = parse_signed_headers(param("X-Amz-SignedHeaders")?)?;
    let signature = parse_signature(param("X-Amz-Signature")?)?;
    let date_text = param("X-Amz-Date")?;
    let time = NaiveDateTime::parse_from_str(date_text, AMZ_DATE_FORMAT)
        .map(|t| t.and_utc())
        .map_err(|_| VerifyError::MalformedDate {
            value: date_text.to_owned(),
        })?;
    let expires: i64 = param("X-Amz-Expires")?
        .parse()
        .map_err(|_| malformed("X-Amz-Expires should be a number"))?;
    if expires < 0 {
        return Err(malformed("X-Amz-Expires must be non-negative"));
    }
    if expires > MAX_PRESIGN_EXPIRES {
        return Err(malformed(
            "X-Amz-Expires must be less than a week (in seconds) that is 604800",
        ));
    }
    let authorization = Authorization {
        access_key,
        date,
        region,
        service,
        signed_headers,
        signature,
    };
    let secret =
        secret_for(&authorization.access_key).ok_or_else(|| VerifyError::UnknownAccessKey {
            access_key: authorization.access_key.clone(),
        })?;
    check_scope(&authorization, time, options)?;
    if let Some(now) = options.now {
        if time > now + options.max_skew {
            return Err(VerifyError::PresignNotYetValid);
        }
        if now - time > TimeDelta::seconds(expires) {
            return Err(VerifyError::PresignExpired);
        }
    }
    let payload_hash = pairs
        .iter()
        .find(|(n, _, _)| n == "X-Amz-Content-Sha256")
        .map_or(UNSIGNED_PAYLOAD, |(_, v, _)| v.as_str());
    let signed_query = pairs
        .iter()
        .filter(|(n, _, _)| n != "X-Amz-Signature")
        .map(|(_, _, piece)| *piece)
        .collect::<Vec<_>>()
        .join("&");
    check_signature(
        request,
        &signed_query,
        &authorization,
        time,
        payload_hash,
        &secret,
    )?;
    Ok(Verified {
        access_key: authorization.access_key,
        time,
        region: authorization.region,
        signed_headers: authorization.signed_headers,
        unsigned_payload: payload_hash == UNSIGNED_PAYLOAD,
    })
}

/// What [`presign_query`] signs.
#[derive(Debug, Clone, Copy)]
pub struct PresignRequest<'a> {
    /// The HTTP method the URL is for (`PUT`).
    pub method: &'a str,
    /// The `Host` the request will carry (`127.0.0.1:9000`).
    pub host: &'a str,
    /// The path, encoded as it will be sent (`/bucket/key`).
    pub path: &'a str,
    /// Other query parameters, already encoded (may be empty).
    pub query: &'a str,
    /// The region of the scope.
    pub region: &'a str,
    /// The signing time.
    pub time: DateTime<Utc>,
    /// Validity in seconds.
    pub expires: i64,
}

/// The query string of a presigned URL for `request`, as minio-go's `Presign` makes
/// it: the `X-Amz-*` parameters, only `host` signed, payload [`UNSIGNED_PAYLOAD`],
/// and `X-Amz-Signature` last. For tests that play a client handing out URLs.
pub fn presign_query(credentials: &Credentials, request: &PresignRequest<'_>) -> String {
    let date = amz_date(request.time);
    let scope = credential_scope(&date[..8], request.region, SERVICE_S3);
    let mut query = request.query.to_owned();
    for (name, value) in [
        ("X-Amz-Algorithm", ALGORITHM.to_owned()),
        (
            "X-Amz-Credential",
            format!("{}/{scope}", credentials.access_key),
        ),
        ("X-Amz-Date", date.clone()),
        ("X-Amz-Expires", request.expires.to_string()),
        ("X-Amz-SignedHeaders", "host".to_owned()),
    ] {
        if !query.is_empty() {
            query.push('&');
        }
        query.push_str(&format!("{name}={}", encode_component(&value)));
    }
    let canonical = canonical_request(
        request.method,
        request.path,
        &query,
        std::iter::once(("host", request.host)),
        "host",
        UNSIGNED_PAYLOAD,
    );
    let to_sign = string_to_sign(&date, &scope, &canonical);
    let key = signing_key(
        &credentials.secret_key,
        &date[..8],
        request.region,
        SERVICE_S3,
    );
    let mut mac = new_mac(key.expose_secret());
    mac.update(to_sign.as_bytes());
    let signature = hex::encode(mac.finalize().into_bytes());
    format!("{query}&X-Amz-Signature={signature}")
}

fn header_values<'h>(headers: &[(&str, &'h str)], name: &str) -> Vec<&'h str> {
    headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| *v)
        .collect()
}

/// The canonical value of every header called `name`, joined by `,`; `None` if absent.
fn joined_header(headers: &[(&str, &str)], name: &str) -> Option<String> {
    let values = header_values(headers, name);
    if values.is_empty() {
        return None;
    }
    Some(
        values
            .iter()
            .map(|v| canonical_header_value(v))
            .collect::<Vec<_>>()
            .join(","),
    )
}

/// The request time from `x-amz-date`, or from `Date` (RFC 1123) when it is absent.
fn request_time(headers: &[(&str, &str)]) -> Result<DateTime<Utc>, VerifyError> {
    if let Some(value) = joined_header(headers, "x-amz-date") {
        return NaiveDateTime::parse_from_str(&value, AMZ_DATE_FORMAT)
            .map(|t| t.and_utc())
            .map_err(|_| VerifyError::MalformedDate { value });
    }
    if let Some(value) = joined_header(headers, "date") {
        return DateTime::parse_from_rfc2822(&value)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|_| VerifyError::MalformedDate { value });
    }
    Err(VerifyError::MissingHeader { name: "x-amz-date" })
}

fn normalise_region(region: &str) -> &str {
    if region == "US" {
        "us-east-1"
    } else {
        region
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::sigv4::{sha256_hex, sign, Credentials, SigningRequest, EMPTY_PAYLOAD_SHA256};

    #[test]
    fn parse_authorization_rejects_malformed_values() {
        let ok = "AWS4-HMAC-SHA256 Credential=a/b/c/20250304//s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=960fd30c119a2b36082bc5e668ff54593d049edf44da2e2636cc15333b2a2e36";
        let parsed = parse_authorization(ok).expect("valid header");
        assert_eq!(parsed.access_key, "a/b/c");
        assert_eq!(parsed.region, "");
        assert_eq!(parsed.signed_headers, ["host", "x-amz-date"]);

        for (bad, expected) in [
            ("AWS admin:sig", VerifyError::UnsupportedAlgorithm),
            (
                "AWS4-HMAC-SHA256X Credential=a",
                VerifyError::UnsupportedAlgorithm,
            ),
        ] {
            assert_eq!(parse_authorization(bad), Err(expected));
        }
        for bad in [
            "AWS4-HMAC-SHA256",
            "AWS4-HMAC-SHA256 Credential=a/20250304//s3/aws4_request, SignedHeaders=host",
            "AWS4-HMAC-SHA256 Credential=20250304//s3/aws4_request, SignedHeaders=host, Signature=00",
            "AWS4-HMAC-SHA256 Credential=a/2025034//s3/aws4_request, SignedHeaders=host, Signature=960fd30c119a2b36082bc5e668ff54593d049edf44da2e2636cc15333b2a2e36",
            "AWS4-HMAC-SHA256 Credential=a/20250304//s3/aws5_request, SignedHeaders=host, Signature=960fd30c119a2b36082bc5e668ff54593d049edf44da2e2636cc15333b2a2e36",
            "AWS4-HMAC-SHA256 Credential=a/20250304//s3/aws4_request, SignedHeaders=host;, Signature=960fd30c119a2b36082bc5e668ff54593d049edf44da2e2636cc15333b2a2e36",
            "AWS4-HMAC-SHA256 Credential=a/20250304//s3/aws4_request, SignedHeaders=host, Signature=zz0fd30c119a2b36082bc5e668ff54593d049edf44da2e2636cc15333b2a2e36",
            "AWS4-HMAC-SHA256 Credential=a/20250304//s3/aws4_request, Credential=a/20250304//s3/aws4_request, SignedHeaders=host, Signature=960fd30c119a2b36082bc5e668ff54593d049edf44da2e2636cc15333b2a2e36",
        ] {
            assert!(
                matches!(
                    parse_authorization(bad),
                    Err(VerifyError::MalformedAuthorization { .. })
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn verify_round_trips_and_checks_options() {
        let creds = Credentials::new("tenant", "tenant-secret-1");
        let time = DateTime::from_timestamp(1_741_064_767, 0).expect("valid timestamp");
        let body = b"hello";
        let hash = sha256_hex(body);
        let date = amz_date(time);
        let headers = [
            ("Host", "127.0.0.1:9000"),
            ("x-amz-date", date.as_str()),
            ("x-amz-content-sha256", hash.as_str()),
            ("Content-Length", "5"),
            ("User-Agent", "test"),
        ];
        let signed = sign(
            &creds,
            &SigningRequest {
                method: "PUT",
                path: "/u-1/a b.txt",
                query: "x=1&a=2",
                headers: &headers,
                payload_hash: &hash,
                region: "us-east-1",
                service: SERVICE_S3,
                time,
            },
        )
        .expect("signs");
        let mut received: Vec<(&str, &str)> = headers.to_vec();
        received.push(("Authorization", &signed.authorization));
        let request = ReceivedRequest {
            method: "PUT",
            path: "/u-1/a%20b.txt",
            query: "x=1&a=2",
            headers: &received,
            body,
        };
        let lookup = |ak: &str| (ak == "tenant").then(|| creds.secret_key.clone());

        let ok = verify(&request, &VerifyOptions::new(), lookup).expect("verifies");
        assert_eq!(ok.access_key, "tenant");
        assert_eq!(ok.time, time);
        assert!(!ok.unsigned_payload);

        let near = time + TimeDelta::minutes(14);
        assert!(verify(&request, &VerifyOptions::new().at(near), lookup).is_ok());
        let far = time + TimeDelta::minutes(16);
        let err = verify(&request, &VerifyOptions::new().at(far), lookup).unwrap_err();
        assert_eq!(err.minio_code(), "RequestTimeTooSkewed");

        assert!(verify(&request, &VerifyOptions::new().region("US"), lookup).is_ok());
        let err = verify(&request, &VerifyOptions::new().region("eu-west-1"), lookup).unwrap_err();
        assert!(matches!(err, VerifyError::WrongRegion { .. }));
        let err = verify(&request, &VerifyOptions::new().service("sts"), lookup).unwrap_err();
        assert!(matches!(err, VerifyError::WrongService { .. }));

        let err = verify(&request, &VerifyOptions::new(), |_| None).unwrap_err();
        assert_eq!(err.minio_code(), "InvalidAccessKeyId");
        assert_eq!(err.http_status(), 403);

        // content-length may be consumed by the HTTP stack: the body length stands in.
        let without_length: Vec<_> = received
            .iter()
            .copied()
            .filter(|(n, _)| !n.eq_ignore_ascii_case("content-length"))
            .collect();
        assert!(verify(
            &ReceivedRequest {
                headers: &without_length,
                ..request
            },
            &VerifyOptions::new(),
            lookup
        )
        .is_ok());

        let err = verify(
            &ReceivedRequest {
                body: b"hellO",
                ..request
            },
            &VerifyOptions::new(),
            lookup,
        )
        .unwrap_err();
        assert!(matches!(err, VerifyError::PayloadHashMismatch { .. }));
        assert_eq!(err.minio_code(), "XAmzContentSHA256Mismatch");

        let err = verify(
            &ReceivedRequest {
                query: "x=1&a=3",
                ..request
            },
            &VerifyOptions::new(),
            lookup,
        )
        .unwrap_err();
        assert!(matches!(err, VerifyError::SignatureMismatch { .. }));
        assert_eq!(err.minio_code(), "SignatureDoesNotMatch");

        let no_auth: Vec<_> = headers.to_vec();
        let err = verify(
            &ReceivedRequest {
                headers: &no_auth,
                ..request
            },
            &VerifyOptions::new(),
            lookup,
        )
        .unwrap_err();
        assert_eq!(
            err,
            VerifyError::MissingHeader {
                name: "authorization"
            }
        );
    }

    #[test]
    fn verify_accepts_the_date_header_fallback() {
        let creds = Credentials::new("tenant", "tenant-secret-1");
        let time = DateTime::from_timestamp(1_741_064_767, 0).expect("valid timestamp");
        let headers = [
            ("Host", "h:9000"),
            ("Date", "Tue, 04 Mar 2025 05:06:07 GMT"),
            ("x-amz-content-sha256", EMPTY_PAYLOAD_SHA256),
        ];
        let signed = sign(
            &creds,
            &SigningRequest {
                method: "GET",
                path: "/",
                query: "",
                headers: &headers,
                payload_hash: EMPTY_PAYLOAD_SHA256,
                region: "",
                service: SERVICE_S3,
                time,
            },
        )
        .expect("signs");
        let mut received = headers.to_vec();
        received.push(("authorization", &signed.authorization));
        let verified = verify(
            &ReceivedRequest {
                method: "GET",
                path: "/",
                query: "",
                headers: &received,
                body: b"",
            },
            &VerifyOptions::new(),
            |_| Some(creds.secret_key.clone()),
        )
        .expect("verifies");
        assert_eq!(verified.time, time);
    }
}
