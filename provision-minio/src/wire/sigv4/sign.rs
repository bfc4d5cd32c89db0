//! The client side of SigV4: building the `Authorization` header of a request that is
//! about to be sent.

use std::fmt;

use chrono::{DateTime, Utc};
use secrecy::{ExposeSecret, SecretString};

use super::canonical::{
    amz_date, canonical_headers, canonical_request, credential_scope, hmac_sha256, signing_key,
    string_to_sign, ALGORITHM,
};

/// Headers the signer never signs: the signature itself, and the one header HTTP
/// stacks and proxies like to rewrite.
const UNSIGNED_HEADERS: [&str; 2] = ["authorization", "user-agent"];

/// An access key and its secret key.
///
/// `Debug` shows the access key and hides the secret.
#[derive(Clone)]
pub struct Credentials {
    /// The access key (the user name on MinIO).
    pub access_key: String,
    /// The secret key; never printed.
    pub secret_key: SecretString,
}

impl Credentials {
    /// Credentials from an access key and a secret key.
    pub fn new(access_key: impl Into<String>, secret_key: impl Into<SecretString>) -> Self {
        Self {
            access_key: access_key.into(),
            secret_key: secret_key.into(),
        }
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key", &self.access_key)
            .field("secret_key", &"[REDACTED]")
            .finish()
    }
}

/// A request about to be sent, as the signer needs to see it.
#[derive(Debug, Clone, Copy)]
pub struct SigningRequest<'a> {
    /// HTTP method as sent, e.g. `GET`.
    pub method: &'a str,
    /// The path as sent, percent-encoded once (`/minio/admin/v3/add-user`).
    pub path: &'a str,
    /// The query string as sent, without the leading `?` (empty for none).
    pub query: &'a str,
    /// Every header that will be sent, with its value as sent. Must include `Host`
    /// (with `:port` unless 80/443); `x-amz-date` and `x-amz-content-sha256`, when
    /// present, must agree with `time` and `payload_hash`.
    pub headers: &'a [(&'a str, &'a str)],
    /// Lower-case hex SHA-256 of the body (see [`sha256_hex`](super::sha256_hex)) or
    /// [`UNSIGNED_PAYLOAD`](super::UNSIGNED_PAYLOAD).
    pub payload_hash: &'a str,
    /// The region of the credential scope; empty for MinIO admin calls.
    pub region: &'a str,
    /// The service of the credential scope; [`SERVICE_S3`](super::SERVICE_S3) for MinIO.
    pub service: &'a str,
    /// The signing time; sent as `x-amz-date`.
    pub time: DateTime<Utc>,
}

/// The result of [`sign`]: the header value to send and the values it was built from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedRequest {
    /// The `Authorization` header value.
    pub authorization: String,
    /// The signing time as `YYYYMMDDTHHMMSSZ` (the `x-amz-date` value).
    pub amz_date: String,
    /// `YYYYMMDD/<region>/<service>/aws4_request`.
    pub credential_scope: String,
    /// The names of the signed headers, lower-case, sorted, joined by `;`.
    pub signed_headers: String,
    /// The canonical request.
    pub canonical_request: String,
    /// The string to sign.
    pub string_to_sign: String,
    /// The signature, lower-case hex.
    pub signature: String,
}

/// Why a request could not be signed; each is a bug in the caller, not a network fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SignError {
    /// No `Host` header was given; SigV4 requires it to be signed.
    #[error("the request has no Host header, which SigV4 requires to be signed")]
    MissingHost,
    /// The `x-amz-date` header disagrees with the signing time.
    #[error("x-amz-date header {header:?} does not match the signing time {expected}")]
    DateMismatch {
        /// The header value given.
        header: String,
        /// The signing time formatted as `x-amz-date`.
        expected: String,
    },
    /// The `x-amz-content-sha256` header disagrees with the payload hash.
    #[error(
        "x-amz-content-sha256 header {header:?} does not match the payload hash {payload_hash:?}"
    )]
    PayloadHashMismatch {
        /// The header value given.
        header: String,
        /// The payload hash given.
        payload_hash: String,
    },
    /// A header name is not an HTTP token, or a value holds a line break or NUL.
    #[error("header {name:?} cannot be sent: invalid name or a line break in its value")]
    InvalidHeader {
        /// The offending header name.
        name: String,
    },
    /// The region or service would break the credential scope.
    #[error("{field} {value:?} cannot appear in a credential scope")]
    InvalidScope {
        /// `region` or `service`.
        field: &'static str,
        /// The offending value.
        value: String,
    },
}

/// Signs `request` with `credentials`.
///
/// Every header in `request.headers` except `User-Agent` and `Authorization` is
/// signed. The caller sends the returned [`SignedRequest::authorization`] as the
/// `Authorization` header, next to exactly the headers given here.
pub fn sign(
    credentials: &Credentials,
    request: &SigningRequest<'_>,
) -> Result<SignedRequest, SignError> {
    check_scope_part("region", request.region)?;
    check_scope_part("service", request.service)?;
    for (name, value) in request.headers {
        if !is_token(name) || value.bytes().any(|b| matches!(b, b'\r' | b'\n' | 0)) {
            return Err(SignError::InvalidHeader {
                name: (*name).to_owned(),
            });
        }
    }

    let amz_date = amz_date(request.time);
    let headers = canonical_headers(request.headers.iter().copied().filter(|(name, _)| {
        !UNSIGNED_HEADERS
            .iter()
            .any(|u| name.eq_ignore_ascii_case(u))
    }));
    if !headers.contains_key("host") {
        return Err(SignError::MissingHost);
    }
    if let Some(header) = headers.get("x-amz-date") {
        if *header != amz_date {
            return Err(SignError::DateMismatch {
                header: header.clone(),
                expected: amz_date,
            });
        }
    }
    if let Some(header) = headers.get("x-amz-content-sha256") {
        if header != request.payload_hash {
            return Err(SignError::PayloadHashMismatch {
                header: header.clone(),
                payload_hash: request.payload_hash.to_owned(),
            });
        }
    }

    let signed_headers = headers
        .keys()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(";");
    let canonical_request = canonical_request(
        request.method,
        request.path,
        request.query,
        headers.iter().map(|(n, v)| (n.as_str(), v.as_str())),
        &signed_headers,
        request.payload_hash,
    );
    let date = &amz_date[..8];
    let credential_scope = credential_scope(date, request.region, request.service);
    let string_to_sign = string_to_sign(&amz_date, &credential_scope, &canonical_request);
    let key = signing_key(
        &credentials.secret_key,
        date,
        request.region,
        request.service,
    );
    let signature = hex::encode(hmac_sha256(key.expose_secret(), string_to_sign.as_bytes()));
    let authorization = format!(
        "{ALGORITHM} Credential={}/{credential_scope}, SignedHeaders={signed_headers}, Signature={signature}",
        credentials.access_key
    );
    Ok(SignedRequest {
        authorization,
        amz_date,
        credential_scope,
        signed_headers,
        canonical_request,
        string_to_sign,
        signature,
    })
}

/// An HTTP header name is a non-empty token (RFC 9110).
fn is_token(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

fn check_scope_part(field: &'static str, value: &str) -> Result<(), SignError> {
    if value
        .chars()
        // `,` separates the Authorization fields: a scope holding one cannot be read back.
        .any(|c| c == '/' || c == ',' || c.is_whitespace() || c.is_control())
    {
        return Err(SignError::InvalidScope {
            field,
            value: value.to_owned(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    /// Found by the `minio_sigv4` fuzz target: a region with a `,` was signed into an
    /// Authorization header the verifier (and MinIO) cannot split into its fields.
    #[test]
    fn a_region_with_a_comma_is_refused_before_signing() {
        assert!(matches!(
            super::check_scope_part("region", "us-east-1,x"),
            Err(super::SignError::InvalidScope {
                field: "region",
                ..
            })
        ));
    }

    use super::*;
    use crate::wire::sigv4::{EMPTY_PAYLOAD_SHA256, SERVICE_S3, UNSIGNED_PAYLOAD};

    #[test]
    fn credentials_debug_hides_the_secret() {
        let creds = Credentials::new("admin", "super-secret-value");
        let shown = format!("{creds:?}");
        assert!(shown.contains("admin"));
        assert!(!shown.contains("super-secret-value"));
    }

    #[test]
    fn sign_rejects_inconsistent_requests() {
        let creds = Credentials::new("admin", "secret-key-1");
        let time = DateTime::from_timestamp(1_741_064_767, 0).expect("valid timestamp");
        let base = SigningRequest {
            method: "GET",
            path: "/",
            query: "",
            headers: &[("x-amz-date", "20250304T050607Z")],
            payload_hash: EMPTY_PAYLOAD_SHA256,
            region: "",
            service: SERVICE_S3,
            time,
        };
        assert_eq!(sign(&creds, &base), Err(SignError::MissingHost));
        let headers = [("Host", "h"), ("x-amz-date", "20250304T050608Z")];
        assert!(matches!(
            sign(
                &creds,
                &SigningRequest {
                    headers: &headers,
                    ..base
                }
            ),
            Err(SignError::DateMismatch { .. })
        ));
        let headers = [("Host", "h"), ("x-amz-content-sha256", UNSIGNED_PAYLOAD)];
        assert!(matches!(
            sign(
                &creds,
                &SigningRequest {
                    headers: &headers,
                    ..base
                }
            ),
            Err(SignError::PayloadHashMismatch { .. })
        ));
        let headers = [("Host", "h"), ("X-Bad", "a\r\nb")];
        assert!(matches!(
            sign(
                &creds,
                &SigningRequest {
                    headers: &headers,
                    ..base
                }
            ),
            Err(SignError::InvalidHeader { .. })
        ));
        let headers = [("Host", "h")];
        assert!(matches!(
            sign(
                &creds,
                &SigningRequest {
                    headers: &headers,
                    region: "a/b",
                    ..base
                }
            ),
            Err(SignError::InvalidScope {
                field: "region",
                ..
            })
        ));
        assert!(sign(
            &creds,
            &SigningRequest {
                headers: &headers,
                ..base
            }
        )
        .is_ok());
    }
}
