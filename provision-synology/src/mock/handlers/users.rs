//! `SYNO.Core.User` (list, get, create, set, delete) and the user settings the
//! library reads: home service and password policy.

use provision_core::username::Username;
use secrecy::SecretString;
use serde_json::{json, Value};

use super::{page, Answer, Fail};
use crate::mock::params::{self, Params, BAD_ARGUMENT, BAD_TYPE};
use crate::mock::state::{days_since_epoch, key, State, DEFAULT_ACCOUNTS};

const USER_FIELDS: [&str; 6] = [
    "email",
    "description",
    "expired",
    "uid",
    "cannot_chg_passwd",
    "passwd_never_expire",
];

fn user_row(state: &State, user_key: &str, fields: &[String], with_uid: bool) -> Value {
    let Some(user) = state.users.get(user_key) else {
        return Value::Null;
    };
    // Built as a map directly: listings build one row per user per request.
    let mut row = serde_json::Map::new();
    row.insert("name".to_string(), Value::from(user.name.as_str()));
    for field in fields.iter().filter(|f| USER_FIELDS.contains(&f.as_str())) {
        let value = match field.as_str() {
            "email" => Value::from(user.email.as_str()),
            "description" => Value::from(user.description.as_str()),
            "expired" => Value::from(user.expired.as_str()),
            "uid" => Value::from(user.uid),
            "cannot_chg_passwd" => Value::from(user.cannot_chg_passwd),
            _ => Value::from(user.passwd_never_expire),
        };
        row.insert(field.clone(), value);
    }
    if with_uid {
        row.insert("uid".to_string(), Value::from(user.uid));
    }
    Value::Object(row)
}

pub(super) fn user_list(state: &State, params: &Params) -> Answer {
    if params.string("type")?.is_some_and(|t| t != "local") {
        return Err(BAD_TYPE.into());
    }
    let fields = params
        .string_array("additional", BAD_TYPE)?
        .unwrap_or_default();
    let (offset, limit) = page(state, params)?;
    let total = state.users.len();
    let rows: Vec<Value> = state
        .users
        .keys()
        .skip(offset)
        .take(limit.unwrap_or(usize::MAX))
        .map(|k| user_row(state, k, &fields, false))
        .collect();
    Ok(json!({"offset": offset, "total": total, "users": rows}))
}

pub(super) fn user_get(state: &State, params: &Params) -> Answer {
    let name = params.required_string("name")?;
    let fields = params
        .string_array("additional", BAD_TYPE)?
        .unwrap_or_default();
    let user_key = key(&name);
    if !state.users.contains_key(&user_key) {
        return Err(3106.into());
    }
    Ok(json!({"users": [user_row(state, &user_key, &fields, true)]}))
}

fn breaks_policy(state: &State, name: &str, password: &str) -> bool {
    let mut policy = state.config.password_policy.clone();
    // A name the shared checks refuse cannot be inside a password rule; check the rest.
    let user = Username::new(name).or_else(|_| {
        policy.exclude_username = false;
        Username::new("x")
    });
    let Ok(user) = user else {
        return false;
    };
    policy
        .check(&user, &SecretString::from(password.to_string()))
        .is_err()
}

/// Characters DSM refuses in user names (facts sheet §11).
fn valid_user_name(name: &str) -> bool {
    const FORBIDDEN: &str = "!\"#$%&'()*+,/:;<=>?@[]\\^`{}|~";
    !name.is_empty()
        && name.chars().count() <= 64
        && !name
            .chars()
            .any(|c| FORBIDDEN.contains(c) || c.is_control())
        && !name.starts_with(['-', ' '])
        && !name.ends_with(' ')
}

pub(super) fn user_create(state: &mut State, params: &Params) -> Answer {
    let name = params.required_string("name")?;
    let password = params.required_string("password")?;
    let description = params.string("description")?.unwrap_or_default();
    let email = params.string("email")?.unwrap_or_default();
    let expired = params.string("expired")?.unwrap_or_else(|| "normal".into());
    let cannot_chg_passwd = params.boolean("cannot_chg_passwd")?.unwrap_or(false);
    let passwd_never_expire = params.boolean("passwd_never_expire")?.unwrap_or(false);
    params.boolean("notify_by_email")?;
    params.boolean("send_password")?;
    if !valid_user_name(&name) {
        return Err(BAD_TYPE.into());
    }
    if state.name_taken(&name) {
        return Err(3107.into());
    }
    if breaks_policy(state, &name, &password) {
        return Err(state.config.password_error_code.into());
    }
    let uid = state.insert_user(&name, &password, &description, &expired);
    if let Some(user) = state.users.get_mut(&key(&name)) {
        user.email = email;
        user.cannot_chg_passwd = cannot_chg_passwd;
        user.passwd_never_expire = passwd_never_expire;
    }
    Ok(json!({"name": name, "uid": uid}))
}

pub(super) fn user_set(state: &mut State, params: &Params, caller: &str) -> Answer {
    let name = params.required_string("name")?;
    let user_key = key(&name);
    let password = params.string("password")?;
    let email = params.string("email")?;
    let description = params.string("description")?;
    let expired = params.string("expired")?;
    let cannot_chg_passwd = params.boolean("cannot_chg_passwd")?;
    let passwd_never_expire = params.boolean("passwd_never_expire")?;
    let new_name = params.string("new_name")?;
    let Some(stored_name) = state.users.get(&user_key).map(|u| u.name.clone()) else {
        return Err(3106.into());
    };
    if user_key == "admin" && caller != "admin" {
        return Err(105.into());
    }
    if let Some(p) = &password {
        if breaks_policy(state, &stored_name, p) {
            return Err(state.config.password_error_code.into());
        }
    }
    let disabling = expired.as_deref().is_some_and(|e| e != "normal");
    if disabling && state.is_admin(&user_key) && state.other_active_admins(&user_key) == 0 {
        return Err(3109.into());
    }
    if let Some(new) = new_name.as_ref().filter(|n| key(n) != user_key) {
        if !valid_user_name(new) {
            return Err(BAD_TYPE.into());
        }
        if state.name_taken(new) {
            return Err(3107.into());
        }
    }
    let Some(mut user) = state.users.remove(&user_key) else {
        return Err(3106.into());
    };
    if let Some(p) = password {
        user.password = p;
        user.password_last_change = days_since_epoch();
    }
    if let Some(e) = email {
        user.email = e;
    }
    if let Some(d) = description {
        user.description = d;
    }
    if let Some(e) = expired {
        user.expired = e;
    }
    if let Some(c) = cannot_chg_passwd {
        user.cannot_chg_passwd = c;
    }
    if let Some(n) = passwd_never_expire {
        user.passwd_never_expire = n;
    }
    let mut final_key = user_key.clone();
    if let Some(new) = new_name {
        final_key = key(&new);
        user.name = new;
        for group in state.groups.values_mut() {
            if group.members.remove(&user_key) {
                group.members.insert(final_key.clone());
            }
        }
    }
    let answer = json!({
        "name": user.name,
        "password_last_change": user.password_last_change,
        "uid": user.uid,
    });
    state.users.insert(final_key, user);
    Ok(answer)
}

pub(super) fn user_delete(state: &mut State, params: &Params) -> Answer {
    let names = params
        .string_array("name", BAD_ARGUMENT)?
        .ok_or(Fail::from(params::MISSING))?;
    let keys: Vec<String> = names.iter().map(|n| key(n)).collect();
    for k in &keys {
        if DEFAULT_ACCOUNTS.contains(&k.as_str()) {
            return Err(3115.into());
        }
        if !state.users.contains_key(k) {
            return Err(3106.into());
        }
    }
    for k in &keys {
        state.users.remove(k);
        for group in state.groups.values_mut() {
            group.members.remove(k);
        }
    }
    // DSM reports 3102 inside a successful delete (§9).
    Ok(json!({"errors": [3102]}))
}

/// `SYNO.Core.User.Home` `get`: the home service is on, on the configured volume.
pub(super) fn home_settings(state: &State) -> Value {
    json!({
        "enable": true,
        "enable_recycle_bin": true,
        "location": state.config.homes_volume,
    })
}

/// `SYNO.Core.User.PasswordPolicy` `get`: the configured strong-password rules.
pub(super) fn password_policy(state: &State) -> Value {
    let policy = &state.config.password_policy;
    json!({
        "enable_reset_passwd_by_email": false,
        "password_must_change": false,
        "strong_password": {
            "exclude_username": policy.exclude_username,
            "history_num": 0,
            "included_numeric_char": policy.numeric,
            "included_special_char": policy.special,
            "min_length": policy.min_length.unwrap_or(0),
            "min_length_enable": policy.min_length.is_some(),
            "mixed_case": policy.mixed_case,
        }
    })
}
