//! `SYNO.API.Auth` (login with two-step verification, device tokens and the Noise
//! handshake; logout), and the session, hash and permission checks every
//! authenticated call goes through.

use serde_json::{json, Value};

use super::{Answer, Fail, Incoming};
use crate::mock::state::{key, random_token, OtpState, SessionRecord, State};
use crate::mock::NoiseMode;
use crate::noise::responder;

/// Methods that change state: a session below Auth v7 gets 105 on them (§3).
const MUTATIONS: [&str; 7] = ["create", "set", "delete", "add", "remove", "change", "join"];

pub(super) fn login(state: &mut State, request: &Incoming<'_>, version: u32) -> Answer {
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

pub(super) fn logout(state: &mut State, request: &Incoming<'_>) -> Answer {
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
pub(super) struct Caller {
    pub(super) account: String,
    version: u32,
    /// Some(valid?) when a hash was checked against the session's handshake.
    hash_valid: Option<bool>,
    /// Whether the session's CSRF token came with the request.
    token_sent: bool,
}

/// Finds the request's session, marks it used and checks its Noise hash (one nonce per
/// HTTP request, whatever it carries).
pub(super) fn caller(state: &mut State, request: &Incoming<'_>) -> Result<Caller, Fail> {
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
pub(super) fn permit(state: &State, caller: &Caller, api: &str, method: &str) -> Result<(), Fail> {
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

/// Enables two-step verification for a user; returns the first valid code.
pub(crate) fn enable_otp(state: &mut State, user: &str) -> Option<String> {
    let record = state.users.get_mut(&key(user))?;
    let otp = OtpState::new();
    let code = otp.current.clone();
    record.otp = Some(otp);
    Some(code)
}
