//! The mock's DSM Web API: discovery, login, and the Core APIs the library uses, with
//! DSM's quirks and codes (facts sheet §15).

use std::collections::{BTreeMap, BTreeSet};

use provision_core::username::Username;
use secrecy::SecretString;
use serde_json::{json, Value};

use super::params::{Params, BAD_ARGUMENT, BAD_TYPE};
use super::state::{
    days_since_epoch, key, random_token, OtpState, SessionRecord, State, DEFAULT_ACCOUNTS,
};
use super::NoiseMode;
use crate::noise::responder;

/// Methods that change state: a session below Auth v7 gets 105 on them (§3).
const MUTATIONS: [&str; 7] = ["create", "set", "delete", "add", "remove", "change", "join"];

/// A failed answer: DSM's code and optional `errors` detail.
pub(crate) struct Fail {
    pub(crate) code: i64,
    pub(crate) errors: Option<Value>,
}

impl From<i64> for Fail {
    fn from(code: i64) -> Self {
        Fail { code, errors: None }
    }
}

type Answer = Result<Value, Fail>;

/// A handled request: the envelope's content and an optional cookie to set.
pub(crate) struct Handled {
    pub(crate) answer: Answer,
    pub(crate) set_cookie: Option<String>,
}

impl From<Answer> for Handled {
    fn from(answer: Answer) -> Self {
        Handled {
            answer,
            set_cookie: None,
        }
    }
}

/// What the handlers see of a request.
pub(crate) struct Incoming<'a> {
    pub(crate) params: Params,
    pub(crate) header: &'a dyn Fn(&str) -> Option<String>,
    pub(crate) cookie: &'a dyn Fn(&str) -> Option<String>,
}

/// One API the mock offers.
struct ApiSpec {
    path: &'static str,
    min: u32,
    max: u32,
    json: bool,
}

fn api_table(state: &State) -> BTreeMap<&'static str, ApiSpec> {
    let config = &state.config;
    let spec = |path, min, max, json| ApiSpec {
        path,
        min,
        max,
        json,
    };
    let auth_path = if config.auth_max_version >= 7 {
        "entry.cgi"
    } else {
        "auth.cgi"
    };
    let mut table = BTreeMap::from([
        ("SYNO.API.Info", spec("query.cgi", 1, 1, false)),
        (
            "SYNO.API.Auth",
            spec(auth_path, 1, config.auth_max_version, false),
        ),
        ("SYNO.Core.User", spec("entry.cgi", 1, 1, true)),
        ("SYNO.Core.Group", spec("entry.cgi", 1, 1, true)),
        ("SYNO.Core.Group.Member", spec("entry.cgi", 1, 1, true)),
        ("SYNO.Core.User.Group", spec("entry.cgi", 1, 1, true)),
        ("SYNO.Core.Quota", spec("entry.cgi", 1, 1, true)),
        ("SYNO.Core.User.Home", spec("entry.cgi", 1, 1, true)),
        (
            "SYNO.Core.User.PasswordPolicy",
            spec("entry.cgi", 1, 1, true),
        ),
        ("SYNO.DSM.Info", spec("entry.cgi", 2, 2, true)),
        ("SYNO.Entry.Request", spec("entry.cgi", 1, 2, true)),
    ]);
    if config.noise != NoiseMode::Off {
        table.insert("SYNO.API.Auth.UIConfig", spec("entry.cgi", 1, 1, true));
    }
    table.retain(|name, _| !config.removed_apis.contains(*name));
    table
}

/// The version asked for and whether the API takes JSON values, when the mock offers
/// `api` at that version: 102 for an unknown API, 104 for a version outside its range
/// (DSM checks the version before the method).
fn offered(state: &State, api: &str, version: &str) -> Result<(u32, bool), Fail> {
    let table = api_table(state);
    let spec = table.get(api).ok_or(Fail::from(102))?;
    match version.trim_matches('"').parse::<u32>() {
        Ok(v) if (spec.min..=spec.max).contains(&v) => Ok((v, spec.json)),
        _ => Err(104.into()),
    }
}

/// Answers one Web API request.
pub(crate) fn handle(state: &mut State, mut request: Incoming<'_>) -> Handled {
    let params = &request.params;
    let (Some(api), Some(method), Some(version)) = (
        params.raw("api").map(str::to_string),
        params.raw("method").map(str::to_string),
        params.raw("version").map(str::to_string),
    ) else {
        return Handled::from(Err(101.into()));
    };
    let (version, json_format) = match offered(state, &api, &version) {
        Ok(found) => found,
        Err(fail) => return Handled::from(Err(fail)),
    };
    request.params.decode_json(json_format);
    match (api.as_str(), method.as_str()) {
        ("SYNO.API.Info", "query") => Handled::from(info_query(state, &request.params)),
        ("SYNO.API.Auth", "login") => Handled::from(login(state, &request, version)),
        ("SYNO.API.Auth", "logout") => Handled::from(logout(state, &request)),
        ("SYNO.API.Auth.UIConfig", "get") => Handled {
            answer: Ok(json!({"enable_ui_config": true})),
            set_cookie: Some(format!(
                "_SSID={}; path=/; HttpOnly",
                responder::cookie_value(&state.noise_key)
            )),
        },
        ("SYNO.API.Info" | "SYNO.API.Auth" | "SYNO.API.Auth.UIConfig", _) => {
            Handled::from(Err(103.into()))
        }
        ("SYNO.Entry.Request", "request") => Handled::from(compound(state, &request)),
        _ => Handled::from(authenticated(state, &request, &api, &method)),
    }
}

fn info_query(state: &State, params: &Params) -> Answer {
    let wanted = params.raw("query").unwrap_or("all");
    let names: Option<BTreeSet<&str>> =
        (wanted != "all").then(|| wanted.split(',').map(str::trim).collect());
    let data: serde_json::Map<String, Value> = api_table(state)
        .into_iter()
        .filter(|(name, _)| names.as_ref().is_none_or(|n| n.contains(name)))
        .map(|(name, spec)| {
            let mut entry =
                json!({"maxVersion": spec.max, "minVersion": spec.min, "path": spec.path});
            if spec.json {
                entry["requestFormat"] = json!("JSON");
            }
            (name.to_string(), entry)
        })
        .collect();
    Ok(Value::Object(data))
}

fn login(state: &mut State, request: &Incoming<'_>, version: u32) -> Answer {
    let params = &request.params;
    if state
        .config
        .auto_block_after
        .is_some_and(|limit| state.failed_logins >= limit)
    {
        return Err(407.into());
    }
    let account = params.raw("account").unwrap_or_default().to_string();
    let password = params.raw("passwd").unwrap_or_default();
    let user_key = key(&account);
    let authenticated = state
        .users
        .get(&user_key)
        .is_some_and(|u| u.password == password && !password.is_empty());
    if !authenticated {
        state.failed_logins += 1;
        return Err(400.into());
    }
    let two_factor_required = state.config.two_factor_required;
    let Some(user) = state.users.get_mut(&user_key) else {
        return Err(400.into());
    };
    if user.expired != "normal" {
        return Err(401.into());
    }
    let device_id = params.raw("device_id").filter(|d| !d.is_empty());
    let trusted_device = device_id.is_some_and(|d| user.device_tokens.iter().any(|t| t == d));
    let mut otp_passed = false;
    match user.otp.as_mut() {
        Some(otp) if !trusted_device => {
            let code = params.raw("otp_code").unwrap_or_default();
            if code.is_empty() {
                return Err(403.into());
            }
            if code != otp.current || otp.used.contains(code) {
                return Err(404.into());
            }
            otp.rotate();
            otp_passed = true;
        }
        Some(_) => {}
        None if two_factor_required => return Err(406.into()),
        None => {}
    }
    let mut data = json!({
        "account": user.name,
        "ik_message": "",
        "is_portal_port": false,
    });
    if otp_passed && params.raw("enable_device_token") == Some("yes") {
        let token = random_token(32);
        user.device_tokens.push(token.clone());
        // DSM calls the token `did` up to Auth v6 and `device_id` from v7 (§3).
        let field = if version >= 7 { "device_id" } else { "did" };
        data[field] = json!(token);
    }

    let mut verifier = None;
    if let Some(ik_message) = params.raw("ik_message").filter(|m| !m.is_empty()) {
        if state.config.noise != NoiseMode::Off {
            let Ok(answer) = responder::respond(&state.noise_key, ik_message) else {
                return Err(101.into());
            };
            let stamped = serde_json::from_slice::<Value>(&answer.payload)
                .ok()
                .is_some_and(|p| p.get("time").is_some_and(Value::is_i64));
            if !stamped {
                return Err(101.into());
            }
            data["ik_message"] = json!(answer.message);
            verifier = Some(answer.verifier);
        }
    }
    let sid = random_token(40);
    let synotoken = random_token(13);
    data["sid"] = json!(sid);
    if params.raw("enable_syno_token") == Some("yes") {
        data["synotoken"] = json!(synotoken);
    }
    state.sessions.insert(
        sid,
        SessionRecord {
            account: user_key,
            version,
            synotoken,
            last_used: state.clock,
            verifier,
        },
    );
    Ok(data)
}

fn logout(state: &mut State, request: &Incoming<'_>) -> Answer {
    let sid = request
        .params
        .raw("_sid")
        .map(str::to_string)
        .or_else(|| (request.cookie)("id"));
    if let Some(sid) = sid {
        state.sessions.remove(&sid);
    }
    // DSM answers success even for an unknown or expired sid.
    Ok(Value::Null)
}

/// Who sent an authenticated request, once its session and hash are checked.
struct Caller {
    account: String,
    version: u32,
    /// Some(valid?) when a hash was checked against the session's handshake.
    hash_valid: Option<bool>,
    /// Whether the session's CSRF token came with the request.
    token_sent: bool,
}

/// Finds the request's session, marks it used and checks its Noise hash (one nonce per
/// HTTP request, whatever it carries).
fn caller(state: &mut State, request: &Incoming<'_>) -> Result<Caller, Fail> {
    state.expire_idle_sessions();
    let params = &request.params;
    let sid = params
        .raw("_sid")
        .map(str::to_string)
        .or_else(|| (request.cookie)("id"));
    let clock = state.clock;
    let Some(session) = sid.and_then(|sid| state.sessions.get_mut(&sid)) else {
        return Err(119.into());
    };
    session.last_used = clock;
    let hash_valid = match ((request.header)("x-syno-hash"), session.verifier.as_mut()) {
        (Some(hash), Some(verifier)) => Some(verifier.verify(&hash).is_ok()),
        _ => None,
    };
    if hash_valid == Some(false) {
        return Err(105.into());
    }
    let sent =
        (request.header)("x-syno-token").or_else(|| params.raw("SynoToken").map(str::to_string));
    Ok(Caller {
        account: session.account.clone(),
        version: session.version,
        hash_valid,
        token_sent: sent.as_deref() == Some(session.synotoken.as_str()),
    })
}

/// Whether the caller may call `api`/`method`: DSM 7's rules for mutations, and
/// administrators only for everything but `SYNO.DSM.Info`.
fn permit(state: &State, caller: &Caller, api: &str, method: &str) -> Result<(), Fail> {
    let mutation = MUTATIONS.contains(&method);
    // Without a hash, or on a session that never ran the handshake.
    if caller.hash_valid.is_none() && mutation && state.config.noise == NoiseMode::Required {
        return Err(105.into());
    }
    if let (true, Some(code)) = (mutation, state.config.token_required) {
        if !caller.token_sent {
            return Err(code.into());
        }
    }
    if mutation && caller.version < 7 {
        return Err(105.into());
    }
    if api != "SYNO.DSM.Info" && !state.is_admin(&caller.account) {
        return Err(105.into());
    }
    Ok(())
}

fn authenticated(state: &mut State, request: &Incoming<'_>, api: &str, method: &str) -> Answer {
    let caller = caller(state, request)?;
    permit(state, &caller, api, method)?;
    dispatch(state, &request.params, api, method, &caller.account)
}

/// `SYNO.Entry.Request` `request`: each call of the `compound` list in turn, under the
/// request's session, answered in order; `stop_when_error` ends the list at a failure.
fn compound(state: &mut State, request: &Incoming<'_>) -> Answer {
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

/// The answer of `api`/`method` for an authorised `account`.
fn dispatch(state: &mut State, params: &Params, api: &str, method: &str, account: &str) -> Answer {
    match (api, method) {
        ("SYNO.DSM.Info", "getinfo") => Ok(json!({
            "model": "DS923+",
            "ram": 4096,
            "serial": "MOCK0000001",
            "temperature": 40,
            "uptime": state.clock.as_secs() + 86_400,
            "version": "69057",
            "version_string": "DSM 7.2.1-69057 Update 6",
        })),
        ("SYNO.Core.User", "list") => user_list(state, params),
        ("SYNO.Core.User", "get") => user_get(state, params),
        ("SYNO.Core.User", "create") => user_create(state, params),
        ("SYNO.Core.User", "set") => user_set(state, params, account),
        ("SYNO.Core.User", "delete") => user_delete(state, params),
        ("SYNO.Core.Group", "list") => group_list(state, params),
        ("SYNO.Core.Group", "get") => group_get(state, params),
        ("SYNO.Core.Group", "create") => group_create(state, params),
        ("SYNO.Core.Group", "delete") => group_delete(state, params),
        ("SYNO.Core.Group.Member", "list") => member_list(state, params),
        ("SYNO.Core.Group.Member", "add") => member_change(state, params, "name", ""),
        ("SYNO.Core.Group.Member", "remove") => member_change(state, params, "", "name"),
        ("SYNO.Core.Group.Member", "change") => {
            member_change(state, params, "add_member", "remove_member")
        }
        ("SYNO.Core.User.Group", "get") => user_groups(state, params),
        ("SYNO.Core.Quota", "get") => quota_get(state, params),
        ("SYNO.Core.User.Home", "get") => Ok(json!({
            "enable": true,
            "enable_recycle_bin": true,
            "location": state.config.homes_volume,
        })),
        ("SYNO.Core.User.PasswordPolicy", "get") => {
            let policy = &state.config.password_policy;
            Ok(json!({
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
            }))
        }
        _ => Err(103.into()),
    }
}

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

/// `offset` and `limit` (-1 = all), capped by the mock's page size when set.
fn page(state: &State, params: &Params) -> Result<(usize, Option<usize>), Fail> {
    let offset = params.integer("offset")?.unwrap_or(0).max(0) as usize;
    let limit = usize::try_from(params.integer("limit")?.unwrap_or(-1)).ok();
    let capped = match (limit, state.config.max_page) {
        (Some(l), Some(max)) => Some(l.min(max)),
        (None, max) => max,
        (l, None) => l,
    };
    Ok((offset, capped))
}

fn user_list(state: &State, params: &Params) -> Answer {
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

fn user_get(state: &State, params: &Params) -> Answer {
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

fn user_create(state: &mut State, params: &Params) -> Answer {
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

fn user_set(state: &mut State, params: &Params, caller: &str) -> Answer {
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

fn user_delete(state: &mut State, params: &Params) -> Answer {
    let names = params
        .string_array("name", BAD_ARGUMENT)?
        .ok_or(Fail::from(super::params::MISSING))?;
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

fn group_list(state: &State, params: &Params) -> Answer {
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

fn group_get(state: &State, params: &Params) -> Answer {
    let names = params
        .names("name")?
        .ok_or(Fail::from(super::params::MISSING))?;
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

fn group_create(state: &mut State, params: &Params) -> Answer {
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

fn group_delete(state: &mut State, params: &Params) -> Answer {
    let names = params
        .string_array("name", BAD_ARGUMENT)?
        .ok_or(Fail::from(super::params::MISSING))?;
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

fn member_list(state: &State, params: &Params) -> Answer {
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
fn member_change(state: &mut State, params: &Params, add_key: &str, remove_key: &str) -> Answer {
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

fn user_groups(state: &State, params: &Params) -> Answer {
    let name = params.required_string("name")?;
    let k = key(&name);
    if !state.users.contains_key(&k) {
        return Err(3106.into());
    }
    Ok(json!({"groups": state.groups_of(&k)}))
}

fn quota_get(state: &State, params: &Params) -> Answer {
    let name = params.required_string("name")?;
    let subject = params
        .string("subject_type")?
        .unwrap_or_else(|| "user".into());
    let homes_volume = &state.config.homes_volume;
    if subject == "group" {
        let Some(group) = state.groups.get(&key(&name)) else {
            return Err(3205.into());
        };
        let volumes: Vec<Value> = state
            .config
            .volumes
            .iter()
            .map(|v| {
                let shares = if v == homes_volume {
                    json!([{"name": "homes", "quota": group.homes_quota_mib}])
                } else {
                    json!([])
                };
                json!({"volume": v, "shares": shares})
            })
            .collect();
        return Ok(json!({"group_quota": volumes}));
    }
    if subject != "user" {
        return Err(BAD_TYPE.into());
    }
    let k = key(&name);
    let Some(user) = state.users.get(&k) else {
        return Err(3106.into());
    };
    let group_limit = state.group_limit_mib(&k);
    let volumes: Vec<Value> = state
        .config
        .volumes
        .iter()
        .map(|v| {
            let mut shares = Vec::new();
            if v == homes_volume {
                shares.push(json!({
                    "name": "homes", "description": "user home",
                    "quota": user.own_quota_mib, "group_limit": group_limit, "used": user.used_mib,
                }));
            }
            shares.push(json!({
                "name": format!("public{}", v.trim_start_matches("/volume")),
                "description": "", "quota": 0, "group_limit": 0, "used": 0,
            }));
            json!({
                "volume": v, "quota_status": "v1", "support_share_quota": true,
                "deduped": false, "shares": shares,
            })
        })
        .collect();
    Ok(json!({"user_quota": volumes}))
}

/// Enables two-step verification for a user; returns the first valid code.
pub(crate) fn enable_otp(state: &mut State, user: &str) -> Option<String> {
    let record = state.users.get_mut(&key(user))?;
    let otp = OtpState::new();
    let code = otp.current.clone();
    record.otp = Some(otp);
    Some(code)
}
