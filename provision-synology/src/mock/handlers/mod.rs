//! The mock's DSM Web API: discovery, login, and the Core APIs the library uses, with
//! DSM's quirks and codes (facts sheet §15). One file per API family; this one holds
//! what they share and routes each request to its family.

mod auth;
mod batch;
mod groups;
mod info;
mod quota;
mod users;

use serde_json::{json, Value};

use super::params::Params;
use super::state::State;
use crate::noise::responder;

pub(crate) use auth::enable_otp;

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
    let (version, json_format) = match info::offered(state, &api, &version) {
        Ok(found) => found,
        Err(fail) => return Handled::from(Err(fail)),
    };
    request.params.decode_json(json_format);
    match (api.as_str(), method.as_str()) {
        ("SYNO.API.Info", "query") => Handled::from(info::info_query(state, &request.params)),
        ("SYNO.API.Auth", "login") => Handled::from(auth::login(state, &request, version)),
        ("SYNO.API.Auth", "logout") => Handled::from(auth::logout(state, &request)),
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
        ("SYNO.Entry.Request", "request") => Handled::from(batch::compound(state, &request)),
        _ => Handled::from(authenticated(state, &request, &api, &method)),
    }
}

fn authenticated(state: &mut State, request: &Incoming<'_>, api: &str, method: &str) -> Answer {
    let caller = auth::caller(state, request)?;
    auth::permit(state, &caller, api, method)?;
    dispatch(state, &request.params, api, method, &caller.account)
}

/// The answer of `api`/`method` for an authorised `account`.
fn dispatch(state: &mut State, params: &Params, api: &str, method: &str, account: &str) -> Answer {
    match (api, method) {
        ("SYNO.DSM.Info", "getinfo") => Ok(info::dsm_info(state)),
        ("SYNO.Core.User", "list") => users::user_list(state, params),
        ("SYNO.Core.User", "get") => users::user_get(state, params),
        ("SYNO.Core.User", "create") => users::user_create(state, params),
        ("SYNO.Core.User", "set") => users::user_set(state, params, account),
        ("SYNO.Core.User", "delete") => users::user_delete(state, params),
        ("SYNO.Core.Group", "list") => groups::group_list(state, params),
        ("SYNO.Core.Group", "get") => groups::group_get(state, params),
        ("SYNO.Core.Group", "create") => groups::group_create(state, params),
        ("SYNO.Core.Group", "delete") => groups::group_delete(state, params),
        ("SYNO.Core.Group.Member", "list") => groups::member_list(state, params),
        ("SYNO.Core.Group.Member", "add") => groups::member_change(state, params, "name", ""),
        ("SYNO.Core.Group.Member", "remove") => groups::member_change(state, params, "", "name"),
        ("SYNO.Core.Group.Member", "change") => {
            groups::member_change(state, params, "add_member", "remove_member")
        }
        ("SYNO.Core.User.Group", "get") => groups::user_groups(state, params),
        ("SYNO.Core.Quota", "get") => quota::quota_get(state, params),
        ("SYNO.Core.User.Home", "get") => Ok(users::home_settings(state)),
        ("SYNO.Core.User.PasswordPolicy", "get") => Ok(users::password_policy(state)),
        _ => Err(103.into()),
    }
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
