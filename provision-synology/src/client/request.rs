//! One DSM Web API call on the wire: parameters with DSM's value encoding, the POST form
//! body, the JSON envelope, and the API table discovery returns (facts sheet §1, §2).

use std::collections::HashMap;

use provision_core::error::{Error, ErrorKind, ServerError, TransportError, TransportFailure};
use provision_core::http::Idempotency;
use reqwest::StatusCode;
use secrecy::{ExposeSecret, SecretString};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::Value;

use crate::error::{api_error, BACKEND};

/// One parameter value, already in DSM's encoding except for secrets, which are encoded
/// only while the body is built.
enum ParamValue {
    Plain(String),
    SecretJson(SecretString),
    SecretRaw(SecretString),
}

/// An API call: `api`, `version`, `method` and the method's own parameters.
pub(crate) struct ApiCall {
    pub(crate) api: &'static str,
    pub(crate) version: u32,
    pub(crate) method: &'static str,
    pub(crate) idempotency: Idempotency,
    /// Never re-sent, not even after a 5xx or a refused connection.
    pub(crate) at_most_once: bool,
    params: Vec<(&'static str, ParamValue)>,
}

impl ApiCall {
    /// A call that may be sent again after a timeout (reads and "set X to Y").
    pub(crate) fn new(api: &'static str, version: u32, method: &'static str) -> Self {
        ApiCall {
            api,
            version,
            method,
            idempotency: Idempotency::Idempotent,
            at_most_once: false,
            params: Vec::new(),
        }
    }

    /// Marks the call as never to be re-sent blind (creates, logins).
    pub(crate) fn not_idempotent(mut self) -> Self {
        self.idempotency = Idempotency::NotIdempotent;
        self
    }

    /// Marks the call as sent once at most (creates): a failure is settled by the
    /// caller, by looking at the server's state.
    pub(crate) fn at_most_once(mut self) -> Self {
        self.idempotency = Idempotency::NotIdempotent;
        self.at_most_once = true;
        self
    }

    /// A string for a `requestFormat: JSON` API: sent quoted, so `123` or `true` stay
    /// strings.
    pub(crate) fn text(self, key: &'static str, value: &str) -> Self {
        self.json(key, Value::from(value))
    }

    /// A value already encoded as JSON text (long lists built without a `Value`).
    pub(crate) fn json_text(mut self, key: &'static str, json: String) -> Self {
        self.params.push((key, ParamValue::Plain(json)));
        self
    }

    /// Any JSON value (arrays, booleans, numbers) as JSON text.
    pub(crate) fn json(mut self, key: &'static str, value: Value) -> Self {
        self.params
            .push((key, ParamValue::Plain(value.to_string())));
        self
    }

    /// A value sent as-is (Auth and Info take raw values).
    pub(crate) fn raw(mut self, key: &'static str, value: &str) -> Self {
        self.params
            .push((key, ParamValue::Plain(value.to_string())));
        self
    }

    /// A secret string for a JSON API, quoted like [`ApiCall::text`].
    pub(crate) fn secret_text(mut self, key: &'static str, value: &SecretString) -> Self {
        self.params
            .push((key, ParamValue::SecretJson(value.clone())));
        self
    }

    /// A secret sent as-is (the login's password, OTP and device token).
    pub(crate) fn secret_raw(mut self, key: &'static str, value: &SecretString) -> Self {
        self.params
            .push((key, ParamValue::SecretRaw(value.clone())));
        self
    }

    /// The form body: `api`, `version`, `method`, the parameters, then `_sid` when the
    /// call runs in a session. Secrets appear here and nowhere else.
    pub(crate) fn form_body(&self, sid: Option<&SecretString>) -> Result<String, Error> {
        let version = self.version.to_string();
        let mut pairs: Vec<(&str, String)> = vec![
            ("api", self.api.to_string()),
            ("version", version),
            ("method", self.method.to_string()),
        ];
        for (key, value) in &self.params {
            let encoded = match value {
                ParamValue::Plain(v) => v.clone(),
                ParamValue::SecretJson(s) => Value::from(s.expose_secret()).to_string(),
                ParamValue::SecretRaw(s) => s.expose_secret().to_string(),
            };
            pairs.push((key, encoded));
        }
        if let Some(sid) = sid {
            pairs.push(("_sid", sid.expose_secret().to_string()));
        }
        serde_urlencoded::to_string(&pairs)
            .map_err(|e| Error::protocol(BACKEND, format!("cannot encode a form body: {e}")))
    }
}

/// What discovery says about one API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ApiEntry {
    pub(crate) path: String,
    pub(crate) min_version: u32,
    pub(crate) max_version: u32,
}

impl ApiEntry {
    /// The path, relative to the Web API base, when it is one: segments that are not
    /// empty, `.` or `..`, and nothing that could make it absolute or name another host
    /// (`:`, `\`, `?`, `#`). The path comes from the DSM's answer; joined unchecked,
    /// `../x` or `//host/x` would send the session elsewhere.
    pub(crate) fn relative_path(&self) -> Result<&str, Error> {
        let path = self.path.as_str();
        let unsafe_step = path
            .split('/')
            .find(|step| matches!(*step, "" | "." | ".."));
        let unsafe_char = path.chars().find(|c| matches!(c, ':' | '\\' | '?' | '#'));
        match (unsafe_step, unsafe_char) {
            (None, None) => Ok(path),
            (Some(step), _) => Err(Error::protocol(
                BACKEND,
                format!("discovery answered the API path {path:?}, whose segment {step:?} is not a name"),
            )),
            (None, Some(ch)) => Err(Error::protocol(
                BACKEND,
                format!("discovery answered the API path {path:?}, which holds {ch:?}"),
            )),
        }
    }
}

/// The APIs the DSM offers, from `SYNO.API.Info query`.
#[derive(Debug, Clone, Default)]
pub(crate) struct ApiTable {
    entries: HashMap<String, ApiEntry>,
}

impl ApiTable {
    /// Reads the `data` object of an Info answer; entries without a path are skipped.
    pub(crate) fn from_info(data: &Value) -> Result<Self, Error> {
        let object = data
            .as_object()
            .ok_or_else(|| Error::protocol(BACKEND, "SYNO.API.Info answered without an object"))?;
        let entries = object
            .iter()
            .filter_map(|(name, entry)| {
                let path = entry.get("path")?.as_str()?.to_string();
                let version = |key: &str| entry.get(key).and_then(lenient_u64).map(|v| v as u32);
                Some((
                    name.clone(),
                    ApiEntry {
                        path,
                        min_version: version("minVersion").unwrap_or(1),
                        max_version: version("maxVersion").unwrap_or(1),
                    },
                ))
            })
            .collect();
        Ok(ApiTable { entries })
    }

    /// The names of the APIs offered, in no order.
    #[cfg(feature = "fuzzing")]
    pub(crate) fn names(&self) -> impl Iterator<Item = &str> {
        self.entries.keys().map(String::as_str)
    }

    /// The entry of `api`, or None when the DSM does not offer it.
    pub(crate) fn get(&self, api: &str) -> Option<&ApiEntry> {
        self.entries.get(api)
    }

    /// The entry for a call, when the DSM offers the API at the call's version.
    pub(crate) fn entry_for(&self, api: &str, version: u32) -> Result<&ApiEntry, Error> {
        let entry = self
            .get(api)
            .ok_or_else(|| Error::Unsupported(format!("this DSM does not offer {api}")))?;
        if version < entry.min_version || version > entry.max_version {
            return Err(Error::Unsupported(format!(
                "this DSM offers {api} at versions {}..={}, not {version}",
                entry.min_version, entry.max_version
            )));
        }
        Ok(entry)
    }
}

/// A number DSM may send as a JSON number or as text.
pub(crate) fn lenient_u64(value: &Value) -> Option<u64> {
    match value {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn looks_like_html(content_type: Option<&str>, body: &[u8]) -> bool {
    let declared = content_type.is_some_and(|c| c.to_ascii_lowercase().contains("html"));
    let opens_with_tag = body
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|b| *b == b'<');
    declared || opens_with_tag
}

fn status_kind(status: StatusCode) -> ErrorKind {
    match status.as_u16() {
        429 => ErrorKind::RateLimited,
        408 | 500..=599 => ErrorKind::Transient,
        401 | 403 => ErrorKind::PermissionDenied,
        404 => ErrorKind::Unsupported,
        _ => ErrorKind::Unexpected,
    }
}

/// DSM's answer object `{"success":…,"data":…,"error":{"code":…}}`: a whole answer, or
/// one result of a compound request. `data` is read straight into `T`.
#[derive(Deserialize)]
#[serde(bound = "T: DeserializeOwned")]
pub(crate) struct Envelope<T> {
    success: Option<bool>,
    #[serde(default = "Option::default")]
    data: Option<T>,
    #[serde(default)]
    error: Option<ErrorBody>,
}

#[derive(Deserialize)]
struct ErrorBody {
    code: Option<i64>,
    #[serde(default)]
    errors: Option<Value>,
}

impl<T> Envelope<T> {
    /// The `data` of a success (None when there is none), or the mapped error.
    pub(crate) fn into_data(self, api: &str) -> Result<Option<T>, Error> {
        match self.success {
            Some(true) => Ok(self.data),
            Some(false) => {
                let error = self.error.unwrap_or(ErrorBody {
                    code: None,
                    errors: None,
                });
                let code = error.code.ok_or_else(|| {
                    Error::protocol(BACKEND, format!("{api}: failure without a code"))
                })?;
                Err(api_error(api, code, error.errors.as_ref()))
            }
            None => Err(Error::protocol(
                BACKEND,
                format!("{api}: answer has no \"success\" field"),
            )),
        }
    }
}

/// Reads DSM's answer to `api`: the `data` of a success, or the mapped error.
pub(crate) fn read_envelope<T: DeserializeOwned>(
    api: &str,
    status: StatusCode,
    content_type: Option<&str>,
    body: &[u8],
) -> Result<Option<T>, Error> {
    if !status.is_success() {
        let text: String = String::from_utf8_lossy(body).chars().take(200).collect();
        return Err(ServerError::new(
            BACKEND,
            status_kind(status),
            format!("{api}: HTTP {status}: {}", text.trim()),
        )
        .with_http_status(status.as_u16())
        .into());
    }
    match serde_json::from_slice::<Envelope<T>>(body) {
        Ok(envelope) => envelope.into_data(api),
        // A proxy page or a login redirect: the request may or may not have reached DSM.
        Err(_) if looks_like_html(content_type, body) => Err(Error::Transport(TransportError {
            backend: BACKEND,
            failure: TransportFailure::Interrupted,
            message: format!("{api}: DSM answered HTML instead of JSON (a proxy or login page?)"),
            source: None,
        })),
        Err(e) if e.is_data() => Err(Error::protocol(
            BACKEND,
            format!("{api}: unexpected answer: {e}"),
        )),
        Err(e) => Err(Error::protocol(
            BACKEND,
            format!("{api}: answer is not JSON: {e}"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_paths_from_discovery_stay_under_the_base() {
        let entry = |path: &str| ApiEntry {
            path: path.to_string(),
            min_version: 1,
            max_version: 1,
        };
        for good in [
            "entry.cgi",
            "auth.cgi",
            "_______________________________________________________entry.cgi",
        ] {
            assert_eq!(entry(good).relative_path().unwrap(), good);
        }
        for bad in [
            "",
            ".",
            "..",
            "../entry.cgi",
            "a//b",
            "/entry.cgi",
            "//evil.example/x",
            "https://evil.example/",
            "a\\..",
            "entry.cgi?x=1",
            "entry.cgi#x",
        ] {
            let error = entry(bad).relative_path().unwrap_err();
            assert!(matches!(error, Error::Protocol { .. }), "{bad}: {error:?}");
        }
    }

    #[test]
    fn json_apis_get_quoted_strings_and_json_arrays() {
        let call = ApiCall::new("SYNO.Core.User", 1, "delete")
            .text("name", "123")
            .json("names", serde_json::json!(["alice"]))
            .json("flag", Value::Bool(true));
        let body = call
            .form_body(Some(&SecretString::from("s1d".to_string())))
            .unwrap();
        assert_eq!(
            body,
            "api=SYNO.Core.User&version=1&method=delete&name=%22123%22&names=%5B%22alice%22%5D&flag=true&_sid=s1d"
        );
    }

    #[test]
    fn secrets_are_encoded_only_in_the_body() {
        let password = SecretString::from("p\"w&1".to_string());
        let call = ApiCall::new("SYNO.API.Auth", 7, "login")
            .secret_raw("passwd", &password)
            .secret_text("password", &password);
        let body = call.form_body(None).unwrap();
        assert!(body.contains("passwd=p%22w%261"));
        assert!(body.contains("password=%22p%5C%22w%261%22"));
    }

    #[test]
    fn envelopes_map_to_data_or_typed_errors() {
        let ok = read_envelope::<Value>(
            "X",
            StatusCode::OK,
            None,
            br#"{"success":true,"data":{"a":1}}"#,
        );
        assert_eq!(ok.unwrap(), Some(serde_json::json!({"a":1})));
        let bare = read_envelope::<Value>("X", StatusCode::OK, None, br#"{"success":true}"#);
        assert_eq!(bare.unwrap(), None);
        let failed = read_envelope::<Value>(
            "SYNO.Core.User",
            StatusCode::OK,
            None,
            br#"{"success":false,"error":{"code":3106}}"#,
        )
        .unwrap_err();
        assert_eq!(failed.kind(), ErrorKind::NotFound);
        let html = read_envelope::<Value>(
            "X",
            StatusCode::OK,
            Some("text/html"),
            b"<html>login</html>",
        )
        .unwrap_err();
        assert!(matches!(html, Error::Transport(_)));
        let status =
            read_envelope::<Value>("X", StatusCode::BAD_GATEWAY, None, b"bad gateway").unwrap_err();
        assert_eq!(status.kind(), ErrorKind::Transient);
        assert!(matches!(
            read_envelope::<Value>("X", StatusCode::OK, None, b"{}"),
            Err(Error::Protocol { .. })
        ));
    }

    #[test]
    fn the_api_table_checks_versions() {
        let table = ApiTable::from_info(&serde_json::json!({
            "SYNO.API.Auth": {"maxVersion": 7, "minVersion": 1, "path": "entry.cgi"},
            "SYNO.DSM.Info": {"maxVersion": "2", "minVersion": 2, "path": "entry.cgi"},
        }))
        .unwrap();
        assert_eq!(
            table.entry_for("SYNO.API.Auth", 7).unwrap().path,
            "entry.cgi"
        );
        assert!(matches!(
            table.entry_for("SYNO.DSM.Info", 1),
            Err(Error::Unsupported(_))
        ));
        assert!(table.entry_for("SYNO.DSM.Info", 2).is_ok());
        assert!(matches!(
            table.entry_for("SYNO.Core.User", 1),
            Err(Error::Unsupported(_))
        ));
    }
}
