//! `SYNO.Core.Group`, `SYNO.Core.Group.Member` and `SYNO.Core.User.Group`: groups,
//! their members, and the groups of one user.

use serde_json::{json, Value};

use super::{page, Answer, Fail};
use crate::mock::params::{self, Params, BAD_ARGUMENT, BAD_TYPE};
use crate::mock::state::{key, State};

fn group_row(state: &State, group_key: &str, with_gid: bool, fields: &[String]) -> Value {
    let Some(group) = state.groups.get(group_key) else {
        return Value::Null;
    };
    let mut row = json!({"name": group.name});
    if fields.iter().any(|f| f == "description") {
        row["description"] = json!(group.description);
    }
    if with_gid {
        row["gid"] = json!(group.gid);
    }
    row
}

pub(super) fn group_list(state: &State, params: &Params) -> Answer {
    if params.string("type")?.is_some_and(|t| t != "local") {
        return Err(BAD_TYPE.into());
    }
    let fields = params
        .string_array("additional", BAD_TYPE)?
        .unwrap_or_default();
    let (offset, limit) = page(state, params)?;
    // Measured: `list` omits gid even when asked (§4); a toggle brings it back.
    let with_gid = state.config.group_list_gid && fields.iter().any(|f| f == "gid");
    let rows: Vec<Value> = state
        .groups
        .keys()
        .skip(offset)
        .take(limit.unwrap_or(usize::MAX))
        .map(|k| group_row(state, k, with_gid, &fields))
        .collect();
    Ok(json!({"offset": offset, "total": state.groups.len(), "groups": rows}))
}

pub(super) fn group_get(state: &State, params: &Params) -> Answer {
    let names = params.names("name")?.ok_or(Fail::from(params::MISSING))?;
    let all_fields = vec!["description".to_string()];
    let mut groups = Vec::new();
    let mut errors = Vec::new();
    for name in names {
        let k = key(&name);
        if state.groups.contains_key(&k) {
            groups.push(group_row(state, &k, true, &all_fields));
        } else {
            // A missing group is a success with an error item (§4).
            errors.push(json!({"code": 3205, "name": name}));
        }
    }
    Ok(json!({"errors": errors, "groups": groups}))
}

pub(super) fn group_create(state: &mut State, params: &Params) -> Answer {
    let name = params.required_string("name")?;
    let description = params.string("description")?.unwrap_or_default();
    if name.is_empty() || name.chars().count() > 32 {
        return Err(3208.into());
    }
    if state.groups.contains_key(&key(&name)) {
        return Err(3206.into());
    }
    let gid = state.insert_group(&name, &description, 0.0);
    Ok(json!({"gid": gid, "name": name}))
}

pub(super) fn group_delete(state: &mut State, params: &Params) -> Answer {
    let names = params
        .string_array("name", BAD_ARGUMENT)?
        .ok_or(Fail::from(params::MISSING))?;
    for name in &names {
        let k = key(name);
        if ["users", "administrators", "http"].contains(&k.as_str()) {
            return Err(3201.into());
        }
        if !state.groups.contains_key(&k) {
            return Err(3205.into());
        }
    }
    for name in names {
        state.groups.remove(&key(&name));
    }
    Ok(Value::Null)
}

fn target_group(state: &State, params: &Params) -> Result<String, Fail> {
    let group = params
        .string("group")
        .map_err(|_| Fail::from(3201))?
        .ok_or(Fail::from(3201))?;
    let k = key(&group);
    if !state.groups.contains_key(&k) {
        return Err(3205.into());
    }
    Ok(k)
}

pub(super) fn member_list(state: &State, params: &Params) -> Answer {
    let group_key = target_group(state, params)?;
    let in_group = params.boolean("ingroup")?.unwrap_or(true);
    let (offset, limit) = page(state, params)?;
    let members = state.groups.get(&group_key).map(|g| &g.members);
    let matching: Vec<&String> = state
        .users
        .keys()
        .filter(|k| members.is_some_and(|m| m.contains(*k)) == in_group)
        .collect();
    let rows: Vec<Value> = matching
        .iter()
        .skip(offset)
        .take(limit.unwrap_or(usize::MAX))
        .filter_map(|k| state.users.get(*k))
        .map(|u| json!({"description": u.description, "name": u.name, "uid": u.uid}))
        .collect();
    Ok(json!({"offset": offset, "total": matching.len(), "users": rows}))
}

/// `add`, `remove` and `change`: users named in `add_key`/`remove_key` join or leave;
/// unknown users and other parameter names are ignored and the answer is success
/// whatever happened (§10).
pub(super) fn member_change(
    state: &mut State,
    params: &Params,
    add_key: &str,
    remove_key: &str,
) -> Answer {
    let group_key = target_group(state, params)?;
    let to_add = if add_key.is_empty() {
        None
    } else {
        params.names(add_key)?
    };
    let to_remove = if remove_key.is_empty() {
        None
    } else {
        params.names(remove_key)?
    };
    let adds: Vec<String> = to_add
        .unwrap_or_default()
        .iter()
        .map(|n| key(n))
        .filter(|k| state.users.contains_key(k))
        .collect();
    let removes: Vec<String> = to_remove
        .unwrap_or_default()
        .iter()
        .map(|n| key(n))
        .collect();
    if group_key == "administrators" {
        let remaining = state.groups.get(&group_key).map_or(0, |g| {
            g.members.iter().filter(|m| !removes.contains(m)).count()
        });
        if remaining == 0 && adds.is_empty() {
            return Err(3210.into());
        }
    }
    if let Some(group) = state.groups.get_mut(&group_key) {
        group.members.extend(adds);
        // Every user stays in `users`.
        if group_key != "users" {
            for r in &removes {
                group.members.remove(r);
            }
        }
    }
    Ok(json!({}))
}

pub(super) fn user_groups(state: &State, params: &Params) -> Answer {
    let name = params.required_string("name")?;
    let k = key(&name);
    if !state.users.contains_key(&k) {
        return Err(3106.into());
    }
    Ok(json!({"groups": state.groups_of(&k)}))
}
