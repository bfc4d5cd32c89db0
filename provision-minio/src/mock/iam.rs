//! Policy evaluation for requests signed by a (non-root) user: the union of the
//! user's and its enabled groups' policies, where an explicit Deny wins. The mock
//! evaluates Effect, Action/NotAction and Resource/NotResource; it ignores Conditions.

use serde_json::Value;

use super::state::State;
use crate::wire::policy::{resource_matches, wildcard_match};

fn strings(value: Option<&Value>) -> Vec<&str> {
    match value {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

fn statements(document: &Value) -> Vec<&Value> {
    match document.get("Statement") {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(single @ Value::Object(_)) => vec![single],
        _ => Vec::new(),
    }
}

fn applies(statement: &Value, action: &str, resource: &str) -> bool {
    let action_ok = match statement.get("NotAction") {
        Some(not) => !strings(Some(not)).iter().any(|p| wildcard_match(p, action)),
        None => strings(statement.get("Action"))
            .iter()
            .any(|p| wildcard_match(p, action)),
    };
    let resource_ok = match statement.get("NotResource") {
        Some(not) => !strings(Some(not))
            .iter()
            .any(|p| resource_matches(p, resource)),
        None => strings(statement.get("Resource"))
            .iter()
            .any(|p| resource_matches(p, resource)),
    };
    action_ok && resource_ok
}

/// Whether `user` may do `action` (`s3:PutObject`) on `resource` (`bucket` or
/// `bucket/key`; empty for `s3:ListAllMyBuckets`).
pub(super) fn is_allowed(state: &State, user: &str, action: &str, resource: &str) -> bool {
    let Some(record) = state.users.get(user) else {
        return false;
    };
    let mut names: Vec<&str> = record.policies.iter().map(String::as_str).collect();
    for group in state.groups.values() {
        if group.enabled && group.members.contains(user) {
            names.extend(group.policies.iter().map(String::as_str));
        }
    }
    let mut allowed = false;
    for name in names {
        let Some(policy) = state.policies.get(name) else {
            continue;
        };
        for statement in statements(&policy.document) {
            if !applies(statement, action, resource) {
                continue;
            }
            match statement.get("Effect").and_then(Value::as_str) {
                Some("Deny") => return false,
                Some("Allow") => allowed = true,
                _ => {}
            }
        }
    }
    allowed
}
