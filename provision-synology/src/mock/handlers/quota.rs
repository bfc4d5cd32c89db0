//! `SYNO.Core.Quota` `get`: user and group quotas per volume and share.

use serde_json::{json, Value};

use super::Answer;
use crate::mock::params::{Params, BAD_TYPE};
use crate::mock::state::{key, State};

pub(super) fn quota_get(state: &State, params: &Params) -> Answer {
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
