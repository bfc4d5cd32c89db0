//! The HTTP face of the mock: faults, header and auth checks, routing, and the OCS
//! envelopes of v1 and v2.

use std::time::Duration;

use base64::Engine;
use percent_encoding::percent_decode_str;
use serde_json::{json, Value};
use wiremock::http::Method;
use wiremock::{Request, ResponseTemplate};

use super::state::{LoggedRequest, Params, Reply, State};
use super::FaultKind;

/// How long a "dropped" connection stays silent: longer than any client timeout.
pub(crate) const DROP_DELAY: Duration = Duration::from_secs(3600);

#[derive(Clone, Copy, PartialEq, Eq)]
enum Version {
    V1,
    V2,
}

/// Answers one request and logs it: the mock host's answer function.
pub(crate) fn respond(state: &mut State, request: &Request) -> ResponseTemplate {
    let path = request.url.path().to_string();
    state.request_count += 1;
    let (status, template) = answer(state, request, &path);
    if state.requests.len() >= super::REQUEST_LOG_LIMIT {
        state.requests.pop_front();
    }
    state.requests.push_back(LoggedRequest {
        method: request.method.to_string(),
        path,
        status,
    });
    template
}

/// The status and the answer: a fault's, or the route's.
fn answer(state: &mut State, request: &Request, path: &str) -> (u16, ResponseTemplate) {
    let latency = state.latency;
    let mut extra_delay = Duration::ZERO;
    if let Some(kind) = take_fault(state, request.method.as_str(), path) {
        match kind {
            FaultKind::ServerError(status) => {
                let template = ResponseTemplate::new(status)
                    .set_body_raw(format!("injected fault: HTTP {status}"), "text/plain")
                    .set_delay(latency);
                return (status, template);
            }
            FaultKind::Throttle => return (429, bare(429, "").set_delay(latency)),
            FaultKind::DropConnection => {
                // wiremock cannot close a socket: stay silent past any timeout. The
                // request is not carried out.
                return (200, ResponseTemplate::new(200).set_delay(DROP_DELAY));
            }
            // Carried out, answered late.
            FaultKind::Delay(delay) => extra_delay = delay,
        }
    }
    let (status, template) = handle(state, request, path);
    (status, template.set_delay(latency + extra_delay))
}

/// Takes one use of the first pending fault that matches the request.
fn take_fault(state: &mut State, method: &str, path: &str) -> Option<FaultKind> {
    let index = state
        .faults
        .iter()
        .position(|p| p.fault.matches(method, path))?;
    let pending = &mut state.faults[index];
    let kind = pending.fault.kind;
    pending.remaining -= 1;
    if pending.remaining == 0 {
        state.faults.remove(index);
    }
    Some(kind)
}

fn handle(state: &mut State, request: &Request, path: &str) -> (u16, ResponseTemplate) {
    let method = &request.method;
    let Some((version, route)) = split_path(path) else {
        return loud(404, method, path, "no such route on the mock Nextcloud");
    };
    if header(request, "ocs-apirequest").as_deref() != Some("true") {
        let refused = ResponseTemplate::new(412).set_body_raw(
            json!({"message": "CSRF check failed"}).to_string(),
            "application/json",
        );
        return (412, refused);
    }
    let wants_json = request
        .url
        .query_pairs()
        .any(|(k, v)| k == "format" && v == "json")
        || header(request, "accept").is_some_and(|a| a.contains("application/json"));
    if !wants_json {
        return loud(
            406,
            method,
            path,
            "the mock answers JSON only: add format=json",
        );
    }
    let caller = match credentials(request) {
        None => {
            return envelope(
                version,
                Reply::Fail(997, "Current user is not logged in".into()),
            )
        }
        Some((login, password)) => match state.authenticate(&login, &password) {
            Some(caller) => caller,
            None => return envelope(version, Reply::Fail(997, "Unauthorised".into())),
        },
    };
    let params = params(request);
    let segments: Vec<&str> = route.iter().map(String::as_str).collect();
    let reply = match (method.clone(), segments.as_slice()) {
        (Method::GET, ["capabilities"]) => state.capabilities(),
        (Method::GET, ["users"]) => state.list_users(&caller, &params, false, false),
        (Method::POST, ["users"]) => state.create_user(&caller, &params),
        (Method::GET, ["users", "details"]) => state.list_users(&caller, &params, true, false),
        (Method::GET, ["users", "disabled"]) => state.list_users(&caller, &params, true, true),
        (Method::GET, ["users", id]) => state.get_user(&caller, id),
        (Method::PUT, ["users", id]) => state.edit_user(&caller, id, &params),
        (Method::DELETE, ["users", id]) => state.delete_user(&caller, id),
        (Method::PUT, ["users", id, "enable"]) => state.set_enabled(&caller, id, true),
        (Method::PUT, ["users", id, "disable"]) => state.set_enabled(&caller, id, false),
        (Method::GET, ["users", id, "groups"]) => state.user_groups(&caller, id),
        (Method::POST, ["users", id, "groups"]) => {
            state.change_membership(&caller, id, &params, true)
        }
        (Method::DELETE, ["users", id, "groups"]) => {
            state.change_membership(&caller, id, &params, false)
        }
        (Method::GET, ["groups"]) => state.list_groups(&caller, &params),
        (Method::POST, ["groups"]) => state.create_group(&caller, &params),
        (Method::GET, ["groups", group] | ["groups", group, "users"]) => {
            state.group_members(&caller, group)
        }
        (Method::DELETE, ["groups", group]) => state.delete_group(&caller, group),
        (_, segments) if is_known_path(segments) => {
            return loud(405, method, path, "method not allowed on this route");
        }
        _ => return loud(404, method, path, "no such route on the mock Nextcloud"),
    };
    envelope(version, reply)
}

fn is_known_path(segments: &[&str]) -> bool {
    matches!(
        segments,
        ["capabilities"]
            | ["users"]
            | ["users", _]
            | ["users", _, "enable" | "disable" | "groups"]
            | ["groups"]
            | ["groups", _]
            | ["groups", _, "users"]
    )
}

/// The OCS version and the decoded segments after `/ocs/v{1,2}.php/cloud/`.
fn split_path(path: &str) -> Option<(Version, Vec<String>)> {
    let rest = path.strip_prefix("/ocs/")?;
    let (version, rest) = if let Some(r) = rest.strip_prefix("v1.php/cloud/") {
        (Version::V1, r)
    } else {
        (Version::V2, rest.strip_prefix("v2.php/cloud/")?)
    };
    let segments = rest
        .split('/')
        .map(|s| percent_decode_str(s).decode_utf8_lossy().into_owned())
        .collect();
    Some((version, segments))
}

fn header(request: &Request, name: &str) -> Option<String> {
    request
        .headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim().to_ascii_lowercase())
}

fn credentials(request: &Request) -> Option<(String, String)> {
    let value = request.headers.get("authorization")?.to_str().ok()?;
    let encoded = value.strip_prefix("Basic ")?;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (login, password) = text.split_once(':')?;
    Some((login.to_string(), password.to_string()))
}

/// Query parameters, then the body (form or JSON).
fn params(request: &Request) -> Params {
    let mut params = Params::default();
    for (key, value) in request.url.query_pairs() {
        params.add(&key, value.into_owned());
    }
    let is_json = request
        .headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json"));
    if is_json {
        if let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(&request.body) {
            for (key, value) in map {
                match value {
                    Value::Array(items) => items.iter().for_each(|v| params.add(&key, scalar(v))),
                    other => params.add(&key, scalar(&other)),
                }
            }
        }
    } else {
        for (key, value) in url::form_urlencoded::parse(&request.body) {
            params.add(&key, value.into_owned());
        }
    }
    params
}

fn scalar(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// An answer from outside the OCS layer: no envelope.
fn bare(status: u16, body: &'static str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body, "text/html; charset=UTF-8")
}

/// The mock's own error for a request it does not understand: never an answer a
/// client could mistake for Nextcloud's.
fn loud(status: u16, method: &Method, path: &str, why: &str) -> (u16, ResponseTemplate) {
    let template = ResponseTemplate::new(status).set_body_raw(
        format!("MockNextcloud: {why}: {method} {path}"),
        "text/plain",
    );
    (status, template)
}

/// Renders a reply as Nextcloud does for the version (§2 of the facts sheet).
fn envelope(version: Version, reply: Reply) -> (u16, ResponseTemplate) {
    let (code, message, data) = match reply {
        Reply::Bare(status, body) => return (status, bare(status, body)),
        Reply::Ok(data) => (None, "OK".to_string(), data),
        Reply::Fail(code, message) => (Some(code), message, json!([])),
    };
    let (http, meta) = match version {
        Version::V1 => {
            let http = if code == Some(997) { 401 } else { 200 };
            let meta = json!({
                "status": if code.is_none() { "ok" } else { "failure" },
                "statuscode": code.unwrap_or(100),
                "message": message,
                "totalitems": "",
                "itemsperpage": "",
            });
            (http, meta)
        }
        Version::V2 => {
            let http = match code {
                None => 200,
                Some(100..=199) => 400,
                Some(997) => 401,
                Some(998) => 404,
                Some(996 | 999) => 500,
                Some(other) => u16::try_from(other).unwrap_or(500),
            };
            let meta = json!({
                "status": if code.is_none() { "ok" } else { "failure" },
                "statuscode": code.unwrap_or(200),
                "message": message,
            });
            (http, meta)
        }
    };
    let body = json!({ "ocs": { "meta": meta, "data": data } });
    let response = ResponseTemplate::new(http)
        .set_body_raw(body.to_string(), "application/json; charset=utf-8");
    if http == 401 {
        let challenge = "Basic realm=\"Authorisation Required\"";
        (http, response.insert_header("WWW-Authenticate", challenge))
    } else {
        (http, response)
    }
}
