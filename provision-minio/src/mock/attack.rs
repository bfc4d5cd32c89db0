//! An attacker's harness against the mock: it plays a tenant that wants to keep
//! storing bytes and tries every route by which it could, then reports the routes
//! through which bytes actually arrived — judged from the mock's state, not from
//! status codes.
//!
//! The routes (issue 12, "Escapes through bucket configuration" in the sheet):
//! a signed PutObject; a signed multipart upload (create, upload part, complete); a
//! PUT through a presigned URL the tenant signed; an anonymous PUT allowed by a bucket
//! policy set earlier (see [`set_public_write_policy`]); PutBucketPolicy with a
//! public-write policy, then an anonymous PUT; CreateBucket `T.x`, then a PUT there.
//!
//! ```
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! use provision_minio::mock::attack::{routes_that_add_bytes, Route};
//! use provision_minio::mock::MockMinio;
//!
//! let mock = MockMinio::start().await;
//! mock.create_bucket("tenant").unwrap();
//! let (root, secret) = (mock.access_key(), mock.secret_key());
//! // Without a bucket policy, anonymous requests are refused; root may do the rest.
//! let routes = routes_that_add_bytes(&mock, root, &secret, "tenant").await.unwrap();
//! assert!(!routes.contains(&Route::AnonymousPut));
//! assert!(routes.contains(&Route::PublicPolicyThenAnonymousPut));
//! assert_eq!(routes.len(), Route::ALL.len() - 1);
//! # });
//! ```

use base64::Engine as _;
use chrono::Utc;
use md5::{Digest, Md5};
use reqwest::Method;
use secrecy::SecretString;

use super::{lock, MockMinio};
use crate::client::DEFAULT_REGION;
use crate::wire::sigv4::{
    presign_query, sha256_hex, sign, Credentials, PresignRequest, SigningRequest, SERVICE_S3,
};
use crate::xml;

/// A way for a tenant to add bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Route {
    /// `PUT /<bucket>/<key>` signed by the tenant.
    SignedPut,
    /// CreateMultipartUpload, UploadPart and CompleteMultipartUpload signed by the
    /// tenant.
    SignedMultipart,
    /// `PUT` through a presigned URL the tenant signed.
    PresignedPut,
    /// An anonymous `PUT`, allowed by a bucket policy that was there before (set with
    /// [`set_public_write_policy`] before the limit, say).
    AnonymousPut,
    /// PutBucketPolicy with a public-write policy, then an anonymous `PUT`.
    PublicPolicyThenAnonymousPut,
    /// CreateBucket `<bucket>.x`, then a signed `PUT` there.
    SiblingBucket,
}

impl Route {
    /// Every route, in the order [`routes_that_add_bytes`] tries them.
    pub const ALL: [Route; 6] = [
        Route::SignedPut,
        Route::SignedMultipart,
        Route::PresignedPut,
        Route::AnonymousPut,
        Route::PublicPolicyThenAnonymousPut,
        Route::SiblingBucket,
    ];

    /// The object key the route writes.
    pub fn key(self) -> &'static str {
        match self {
            Route::SignedPut => "attack/signed-put",
            Route::SignedMultipart => "attack/multipart",
            Route::PresignedPut => "attack/presigned-put",
            Route::AnonymousPut => "attack/anonymous-put",
            Route::PublicPolicyThenAnonymousPut => "attack/policy-then-anonymous-put",
            Route::SiblingBucket => "attack/sibling-bucket",
        }
    }
}

/// Why the harness could not run (not: why a route was refused, which is its result).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AttackError {
    /// The mock could not be reached.
    #[error("request to the mock failed: {0}")]
    Transport(#[from] reqwest::Error),
    /// A request could not be signed.
    #[error("cannot sign: {0}")]
    Sign(#[from] crate::wire::sigv4::SignError),
    /// The server refused a step the caller needed to succeed.
    #[error("the mock answered HTTP {status}: {body}")]
    Refused {
        /// The HTTP status.
        status: u16,
        /// The error body.
        body: String,
    },
}

/// The bucket policy `mc anonymous set public` writes: anyone may list the bucket
/// and read, write and delete its objects.
pub fn public_write_policy(bucket: &str) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":["*"]}},"Action":["s3:GetBucketLocation","s3:ListBucket","s3:ListBucketMultipartUploads"],"Resource":["arn:aws:s3:::{bucket}"]}},{{"Effect":"Allow","Principal":{{"AWS":["*"]}},"Action":["s3:AbortMultipartUpload","s3:DeleteObject","s3:GetObject","s3:ListMultipartUploadParts","s3:PutObject"],"Resource":["arn:aws:s3:::{bucket}/*"]}}]}}"#
    )
}

/// Removes `bucket`'s policy, signed as `access_key`.
pub async fn delete_bucket_policy(
    mock: &MockMinio,
    access_key: &str,
    secret_key: &SecretString,
    bucket: &str,
) -> Result<(), AttackError> {
    RawClient::new(mock, access_key, secret_key)
        .signed(Method::DELETE, &format!("/{bucket}"), "policy=", Vec::new())
        .await?
        .success()
}

/// Sets [`public_write_policy`] on `bucket`, signed as `access_key`.
pub async fn set_public_write_policy(
    mock: &MockMinio,
    access_key: &str,
    secret_key: &SecretString,
    bucket: &str,
) -> Result<(), AttackError> {
    let tenant = RawClient::new(mock, access_key, secret_key);
    let body = public_write_policy(bucket).into_bytes();
    let answer = tenant
        .signed(Method::PUT, &format!("/{bucket}"), "policy=", body)
        .await?;
    answer.success()
}

/// Tries every [`Route`] as the tenant `access_key` against its bucket `bucket`, and
/// returns those through which bytes arrived in the mock's state, in [`Route::ALL`]
/// order. Each route writes its own [`Route::key`]. The attempt leaves what it
/// managed to do in place: objects, a public bucket policy, the bucket `<bucket>.x`.
pub async fn routes_that_add_bytes(
    mock: &MockMinio,
    access_key: &str,
    secret_key: &SecretString,
    bucket: &str,
) -> Result<Vec<Route>, AttackError> {
    let tenant = RawClient::new(mock, access_key, secret_key);
    let sibling = format!("{bucket}.x");
    let body = || b"attack bytes".to_vec();
    let object = |route: Route| format!("/{bucket}/{}", route.key());
    let mut arrived = Vec::new();

    tenant
        .signed(Method::PUT, &object(Route::SignedPut), "", body())
        .await?;
    tenant
        .multipart(&object(Route::SignedMultipart), body())
        .await?;
    tenant
        .presigned_put(&object(Route::PresignedPut), body())
        .await?;
    tenant
        .anonymous_put(&object(Route::AnonymousPut), body())
        .await?;
    if set_public_write_policy(mock, access_key, secret_key, bucket)
        .await
        .is_ok()
    {
        tenant
            .anonymous_put(&object(Route::PublicPolicyThenAnonymousPut), body())
            .await?;
    }
    tenant
        .signed(Method::PUT, &format!("/{sibling}"), "", Vec::new())
        .await?;
    tenant
        .signed(
            Method::PUT,
            &format!("/{sibling}/{}", Route::SiblingBucket.key()),
            "",
            body(),
        )
        .await?;

    for route in Route::ALL {
        let target = if route == Route::SiblingBucket {
            &sibling
        } else {
            bucket
        };
        if holds_bytes(mock, target, route.key()) {
            arrived.push(route);
        }
    }
    Ok(arrived)
}

/// Whether the current version of `key` in `bucket` is an object with bytes.
fn holds_bytes(mock: &MockMinio, bucket: &str, key: &str) -> bool {
    let state = lock(&mock.shared.state);
    state
        .buckets
        .get(bucket)
        .and_then(|b| b.objects.get(key))
        .and_then(|versions| versions.last())
        .is_some_and(|v| !v.delete_marker && v.size > 0)
}

/// An answer to a [`RawClient`] request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// The HTTP status.
    pub status: u16,
    /// The body.
    pub body: Vec<u8>,
    /// The `ETag` header, if any.
    pub etag: Option<String>,
    /// Every header, names in lower case, in the order received.
    pub headers: Vec<(String, String)>,
}

impl Answer {
    /// The body as text (lossy), for assertions on error codes.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The first header of this (lower-case) name.
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    }

    /// `Ok` for a 2xx answer, else [`AttackError::Refused`].
    pub fn success(self) -> Result<(), AttackError> {
        if (200..300).contains(&self.status) {
            Ok(())
        } else {
            Err(AttackError::Refused {
                status: self.status,
                body: String::from_utf8_lossy(&self.body).into_owned(),
            })
        }
    }
}

/// Raw S3 requests to a mock, as a given user: signed with the Authorization
/// header, presigned, or anonymous. For the routes the crate's `S3Client` has no
/// call for (bucket policies, multipart, object lock).
#[derive(Debug, Clone)]
pub struct RawClient {
    http: reqwest::Client,
    url: String,
    host: String,
    region: String,
    credentials: Credentials,
}

impl RawClient {
    /// A client for `mock`, signing as `access_key`.
    pub fn new(mock: &MockMinio, access_key: &str, secret_key: &SecretString) -> RawClient {
        let url = mock.url();
        let host = url
            .strip_prefix("http://")
            .unwrap_or(url.as_str())
            .to_owned();
        let region = lock(&mock.shared.state)
            .region
            .clone()
            .unwrap_or_else(|| DEFAULT_REGION.to_owned());
        RawClient {
            http: reqwest::Client::new(),
            url,
            host,
            region,
            credentials: Credentials::new(access_key, secret_key.clone()),
        }
    }

    async fn send(
        &self,
        request: reqwest::RequestBuilder,
        body: Vec<u8>,
    ) -> Result<Answer, AttackError> {
        let response = request.body(body).send().await?;
        let status = response.status().as_u16();
        let etag = response
            .headers()
            .get("etag")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let headers = response
            .headers()
            .iter()
            .filter_map(|(n, v)| Some((n.as_str().to_owned(), v.to_str().ok()?.to_owned())))
            .collect();
        let body = response.bytes().await?.to_vec();
        Ok(Answer {
            status,
            body,
            etag,
            headers,
        })
    }

    fn target(&self, path: &str, query: &str) -> String {
        if query.is_empty() {
            format!("{}{path}", self.url)
        } else {
            format!("{}{path}?{query}", self.url)
        }
    }

    /// A request signed with the Authorization header; `path` and `query` as sent
    /// (encoded).
    pub async fn signed(
        &self,
        method: Method,
        path: &str,
        query: &str,
        body: Vec<u8>,
    ) -> Result<Answer, AttackError> {
        self.signed_with(method, path, query, &[], body).await
    }

    /// [`RawClient::signed`] with extra (signed) headers.
    pub async fn signed_with(
        &self,
        method: Method,
        path: &str,
        query: &str,
        extra_headers: &[(&str, &str)],
        body: Vec<u8>,
    ) -> Result<Answer, AttackError> {
        let now = Utc::now();
        let hash = sha256_hex(&body);
        let date = crate::wire::sigv4::amz_date(now);
        let mut headers = vec![
            ("host", self.host.as_str()),
            ("x-amz-date", date.as_str()),
            ("x-amz-content-sha256", hash.as_str()),
        ];
        headers.extend_from_slice(extra_headers);
        let signed = sign(
            &self.credentials,
            &SigningRequest {
                method: method.as_str(),
                path,
                query,
                headers: &headers,
                payload_hash: &hash,
                region: &self.region,
                service: SERVICE_S3,
                time: now,
            },
        )?;
        let mut request = self.http.request(method, self.target(path, query));
        for (name, value) in headers.iter().filter(|(n, _)| *n != "host") {
            request = request.header(*name, *value);
        }
        let request = request.header("authorization", signed.authorization);
        self.send(request, body).await
    }

    /// `PUT /<bucket>` with `x-amz-bucket-object-lock-enabled: true`.
    pub async fn make_locked_bucket(&self, bucket: &str) -> Result<(), AttackError> {
        self.signed_with(
            Method::PUT,
            &format!("/{bucket}"),
            "",
            &[("x-amz-bucket-object-lock-enabled", "true")],
            Vec::new(),
        )
        .await?
        .success()
    }

    /// `PUT /<bucket>/<key>?retention` in COMPLIANCE mode until `until` (RFC 3339),
    /// with the Content-MD5 MinIO wants.
    pub async fn put_compliance_retention(
        &self,
        bucket: &str,
        key: &str,
        until: &str,
    ) -> Result<Answer, AttackError> {
        let body = format!(
            "<Retention><Mode>COMPLIANCE</Mode><RetainUntilDate>{}</RetainUntilDate></Retention>",
            xml::escape(until)
        )
        .into_bytes();
        let md5 = base64::engine::general_purpose::STANDARD.encode(Md5::digest(&body));
        self.signed_with(
            Method::PUT,
            &format!("/{bucket}/{key}"),
            "retention=",
            &[("content-md5", &md5)],
            body,
        )
        .await
    }

    /// A request without any signature.
    pub async fn anonymous(
        &self,
        method: Method,
        path: &str,
        body: Vec<u8>,
    ) -> Result<Answer, AttackError> {
        let request = self.http.request(method, self.target(path, ""));
        self.send(request, body).await
    }

    async fn anonymous_put(&self, path: &str, body: Vec<u8>) -> Result<Answer, AttackError> {
        self.anonymous(Method::PUT, path, body).await
    }

    /// A presigned URL for `method` on `path`, signed at `time`, valid `expires`
    /// seconds.
    pub fn presigned_url(
        &self,
        method: &Method,
        path: &str,
        time: chrono::DateTime<Utc>,
        expires: i64,
    ) -> String {
        let query = presign_query(
            &self.credentials,
            &PresignRequest {
                method: method.as_str(),
                host: &self.host,
                path,
                query: "",
                region: &self.region,
                time,
                expires,
            },
        );
        self.target(path, &query)
    }

    /// Sends `body` to a URL (a presigned one) without further signing.
    pub async fn send_to(
        &self,
        method: Method,
        url: &str,
        body: Vec<u8>,
    ) -> Result<Answer, AttackError> {
        self.send(self.http.request(method, url), body).await
    }

    async fn presigned_put(&self, path: &str, body: Vec<u8>) -> Result<Answer, AttackError> {
        let url = self.presigned_url(&Method::PUT, path, Utc::now(), 600);
        self.send_to(Method::PUT, &url, body).await
    }

    /// Create, one part, complete; stops at the first refusal.
    async fn multipart(&self, path: &str, body: Vec<u8>) -> Result<(), AttackError> {
        let created = self
            .signed(Method::POST, path, "uploads=", Vec::new())
            .await?;
        if created.status != 200 {
            return Ok(());
        }
        let Some(upload_id) = xml::parse(&created.body)
            .ok()
            .and_then(|root| root.child_text("UploadId").map(str::to_owned))
        else {
            return Ok(());
        };
        let id = crate::wire::sigv4::encode_component(&upload_id);
        let part = self
            .signed(
                Method::PUT,
                path,
                &format!("partNumber=1&uploadId={id}"),
                body,
            )
            .await?;
        let Some(etag) = part.etag.filter(|_| part.status == 200) else {
            return Ok(());
        };
        let complete = format!(
            "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>{}</ETag></Part></CompleteMultipartUpload>",
            xml::escape(&etag)
        );
        self.signed(
            Method::POST,
            path,
            &format!("uploadId={id}"),
            complete.into_bytes(),
        )
        .await?;
        Ok(())
    }
}
