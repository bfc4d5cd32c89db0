//! `SYNO.Entry.Request`: a compound list of calls run in turn under one session.

use serde_json::{json, Value};

use super::auth::{caller, permit, Caller};
use super::info::offered;
use super::{dispatch, Answer, Incoming};
use crate::mock::params::Params;
use crate::mock::state::State;

/// `SYNO.Entry.Request` `request`: each call of the `compound` list in turn, under the
/// request's session, answered in order; `stop_when_error` ends the list at a failure.
pub(super) fn compound(state: &mut State, request: &Incoming<'_>) -> Answer {
    let caller = caller(state, request)?;
    let params = &request.params;
    let calls = match params.json("compound") {
        None => return Err(114.into()),
        Some(Value::Array(calls)) => calls,
        Some(_) => return Err(113.into()),
    };
    let stop_when_error = params.boolean("stop_when_error")?.unwrap_or(false);
    let mut results = Vec::with_capacity(calls.len());
    let mut has_fail = false;
    for call in calls {
        let (api, method, version, answer) = compound_call(state, &caller, call);
        let mut result = json!({"api": api, "method": method, "version": version});
        match answer {
            Ok(data) => {
                result["success"] = json!(true);
                result["data"] = data;
            }
            Err(fail) => {
                has_fail = true;
                result["success"] = json!(false);
                result["error"] = json!({"code": fail.code});
                if let Some(errors) = fail.errors {
                    result["error"]["errors"] = errors;
                }
            }
        }
        results.push(result);
        if has_fail && stop_when_error {
            break;
        }
    }
    Ok(json!({"has_fail": has_fail, "result": results}))
}

/// One call of a compound list: its `api`, `method`, `version` and answer.
fn compound_call(
    state: &mut State,
    caller: &Caller,
    call: Value,
) -> (String, String, Value, Answer) {
    let Value::Object(fields) = call else {
        return (String::new(), String::new(), Value::Null, Err(101.into()));
    };
    let plain = |value: &Value| match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let api = fields.get("api").map(plain).unwrap_or_default();
    let method = fields.get("method").map(plain).unwrap_or_default();
    let version = fields.get("version").cloned().unwrap_or(Value::Null);
    // Each value as it would travel in a form: JSON text, names raw.
    let pairs: Vec<(String, String)> = fields
        .iter()
        .map(|(key, value)| match key.as_str() {
            "api" | "method" | "version" => (key.clone(), plain(value)),
            _ => (key.clone(), value.to_string()),
        })
        .collect();
    let answer = run_call(state, caller, &api, &method, &version, &pairs);
    (api, method, version, answer)
}

/// Runs one call of a compound list under the request's session.
fn run_call(
    state: &mut State,
    caller: &Caller,
    api: &str,
    method: &str,
    version: &Value,
    pairs: &[(String, String)],
) -> Answer {
    let version = match version {
        Value::Null => return Err(101.into()),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    if api.is_empty() || method.is_empty() {
        return Err(101.into());
    }
    let (_, json_format) = offered(state, api, &version)?;
    // Logins and nested batches do not run inside a batch here.
    if api.starts_with("SYNO.API.") || api == "SYNO.Entry.Request" {
        return Err(103.into());
    }
    let mut params = Params::new(&[], pairs);
    params.decode_json(json_format);
    permit(state, caller, api, method)?;
    dispatch(state, &params, api, method, &caller.account)
}
