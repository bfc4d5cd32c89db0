//! Sending one signed request with core's retry rule, and turning MinIO's error
//! answers into core's errors. Shared by the admin and S3 clients.

use std::fmt;
use std::sync::Arc;

use chrono::Utc;
use provision_core::endpoint::Endpoint;
use provision_core::error::Error;
use provision_core::http::{
    fetch_with_retry, retry_after_in, ClientOptions, Idempotency, RetryConfig,
};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::Method;
use url::Url;

use crate::error::{server_error, BACKEND};
use crate::wire::sigv4::{self, Credentials, SigningRequest};

/// A request about to be signed and sent.
pub(crate) struct Call {
    pub(crate) method: Method,
    /// The path, already percent-encoded (see [`sigv4::encode_path`]).
    pub(crate) path: String,
    /// Name/value pairs, encoded when sent. Never repeat a name.
    pub(crate) query: Vec<(&'static str, String)>,
    /// Extra headers to send and sign (content type, MD5, ...).
    pub(crate) headers: Vec<(&'static str, String)>,
    pub(crate) body: Vec<u8>,
    pub(crate) idempotency: Idempotency,
}

impl Call {
    pub(crate) fn new(method: Method, path: String, idempotency: Idempotency) -> Call {
        Call {
            method,
            path,
            query: Vec::new(),
            headers: Vec::new(),
            body: Vec::new(),
            idempotency,
        }
    }

    pub(crate) fn query(mut self, name: &'static str, value: impl Into<String>) -> Call {
        self.query.push((name, value.into()));
        self
    }

    pub(crate) fn header(mut self, name: &'static str, value: impl Into<String>) -> Call {
        self.headers.push((name, value.into()));
        self
    }

    pub(crate) fn body(mut self, body: Vec<u8>) -> Call {
        self.body = body;
        self
    }
}

/// A successful answer.
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) body: Vec<u8>,
}

/// The endpoint, the credentials and the HTTP client, shared by clones.
#[derive(Clone)]
pub(crate) struct Transport {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    endpoint: Url,
    host: String,
    credentials: Credentials,
    retry: RetryConfig,
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transport")
            .field("endpoint", &self.inner.endpoint.as_str())
            .field("credentials", &self.inner.credentials)
            .finish_non_exhaustive()
    }
}

impl Transport {
    /// A transport to `endpoint` (`https://host[:port]`, or `http://` to loopback or
    /// with `allow_insecure_http`; no path).
    pub(crate) fn new(
        endpoint: &str,
        credentials: Credentials,
        options: &ClientOptions,
    ) -> Result<Transport, Error> {
        let endpoint = server_root(endpoint, options)?;
        let host = host_header(endpoint.url())?;
        if credentials.access_key.is_empty() {
            return Err(Error::invalid("access key", "is empty"));
        }
        Ok(Transport {
            inner: Arc::new(Inner {
                http: options.build_client_for(BACKEND, &endpoint)?,
                endpoint: endpoint.url().clone(),
                host,
                credentials,
                retry: options.retry.clone(),
            }),
        })
    }

    pub(crate) fn credentials(&self) -> &Credentials {
        &self.inner.credentials
    }

    pub(crate) fn endpoint(&self) -> &Url {
        &self.inner.endpoint
    }

    /// Signs and sends `call` for the credential scope `region` (empty on admin
    /// calls), with the retry rule; a non-success status becomes an error.
    pub(crate) async fn send(&self, call: &Call, region: &str) -> Result<Reply, Error> {
        let inner = &*self.inner;
        let query = sigv4::encode_query(
            &call
                .query
                .iter()
                .map(|(n, v)| (*n, v.as_str()))
                .collect::<Vec<_>>(),
        );
        let mut url = inner.endpoint.clone();
        url.set_path(&call.path);
        // The url crate resolves `.` and `..` segments (also spelled `%2e`): the
        // request would reach another path than the one signed and meant.
        let wanted = if call.path.is_empty() {
            "/"
        } else {
            call.path.as_str()
        };
        if url.path() != wanted {
            return Err(Error::invalid(
                "path",
                format!("{:?} would be sent as {:?}", call.path, url.path()),
            ));
        }
        url.set_query((!query.is_empty()).then_some(query.as_str()));
        let payload_hash = sigv4::sha256_hex(&call.body);
        let has_body = !call.body.is_empty() || matches!(call.method, Method::PUT | Method::POST);

        let answer = fetch_with_retry(BACKEND, &inner.retry, call.idempotency, || {
            let amz_date = sigv4::amz_date(Utc::now());
            let mut headers: Vec<(&str, &str)> = vec![
                ("host", inner.host.as_str()),
                ("x-amz-date", amz_date.as_str()),
                ("x-amz-content-sha256", payload_hash.as_str()),
            ];
            headers.extend(call.headers.iter().map(|(n, v)| (*n, v.as_str())));
            let signed = sigv4::sign(
                &inner.credentials,
                &SigningRequest {
                    method: call.method.as_str(),
                    path: &call.path,
                    query: &query,
                    headers: &headers,
                    payload_hash: &payload_hash,
                    region,
                    service: sigv4::SERVICE_S3,
                    time: sigv4_time(&amz_date)?,
                },
            )
            .map_err(|e| Error::invalid("request", e.to_string()))?;
            let mut map = HeaderMap::new();
            for (name, value) in headers
                .iter()
                .copied()
                .chain([("authorization", signed.authorization.as_str())])
            {
                map.insert(
                    HeaderName::from_bytes(name.as_bytes())
                        .map_err(|e| Error::invalid("request header", e.to_string()))?,
                    HeaderValue::from_str(value)
                        .map_err(|e| Error::invalid("request header", e.to_string()))?,
                );
            }
            let builder = inner
                .http
                .request(call.method.clone(), url.clone())
                .headers(map);
            Ok(if has_body {
                builder.body(call.body.clone())
            } else {
                builder
            })
        })
        .await?;

        let status = answer.status.as_u16();
        let wait = retry_after_in(&answer.headers);
        let body = answer.body;
        if (200..300).contains(&status) {
            Ok(Reply { status, body })
        } else {
            Err(server_error(status, wait, &body))
        }
    }
}

/// The signing time parsed back from the `x-amz-date` value, so that the header and
/// the signature can never disagree.
fn sigv4_time(amz_date: &str) -> Result<chrono::DateTime<Utc>, Error> {
    chrono::NaiveDateTime::parse_from_str(amz_date, sigv4::AMZ_DATE_FORMAT)
        .map(|t| t.and_utc())
        .map_err(|e| Error::invalid("clock", e.to_string()))
}

/// Parses `endpoint` with core's rules (under `options`' cleartext rule) and keeps
/// MinIO's own one: path-style S3 and the admin API live at the server root, and a
/// request path replaces the URL's path, so a sub-path would be dropped silently.
fn server_root(endpoint: &str, options: &ClientOptions) -> Result<Endpoint, Error> {
    let endpoint = options.endpoint(endpoint)?;
    if endpoint.url().path() != "/" {
        return Err(Error::invalid(
            "endpoint",
            "must be the server root (path-style S3 and the admin API live there)",
        ));
    }
    Ok(endpoint)
}

/// The `Host` header as the HTTP stack sends it: the port only when not the default.
fn host_header(url: &Url) -> Result<String, Error> {
    let host = url
        .host_str()
        .ok_or_else(|| Error::invalid("endpoint", "has no host"))?;
    Ok(match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_are_checked() {
        let strict = ClientOptions::default();
        assert!(server_root("http://127.0.0.1:9000", &strict).is_ok());
        assert!(server_root("https://s3.example.com/", &strict).is_ok());
        for bad in [
            "ftp://h",
            "http://127.0.0.1/prefix",
            "https://h/prefix",
            "http://user:pw@127.0.0.1",
            "http://127.0.0.1/?a=b",
            "not a url",
            "http://s3.example.com",
        ] {
            assert!(server_root(bad, &strict).is_err(), "{bad}");
        }
        let lab = ClientOptions::default().with_allow_insecure_http(true);
        assert!(server_root("http://s3.example.com:9000", &lab).is_ok());
    }

    #[test]
    fn host_header_keeps_non_default_ports() {
        let h = |s: &str| host_header(&Url::parse(s).unwrap()).unwrap();
        assert_eq!(h("http://127.0.0.1:9000"), "127.0.0.1:9000");
        assert_eq!(h("http://example.com:80"), "example.com");
        assert_eq!(h("https://example.com:443"), "example.com");
        assert_eq!(h("https://example.com:9443"), "example.com:9443");
        assert_eq!(h("http://[::1]:9000"), "[::1]:9000");
    }
}
