//! Discovery (`SYNO.API.Info`: which APIs the mock offers, at which versions and
//! paths) and `SYNO.DSM.Info`.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Value};

use super::{Answer, Fail};
use crate::mock::params::Params;
use crate::mock::state::State;
use crate::mock::NoiseMode;

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
pub(super) fn offered(state: &State, api: &str, version: &str) -> Result<(u32, bool), Fail> {
    let table = api_table(state);
    let spec = table.get(api).ok_or(Fail::from(102))?;
    match version.trim_matches('"').parse::<u32>() {
        Ok(v) if (spec.min..=spec.max).contains(&v) => Ok((v, spec.json)),
        _ => Err(104.into()),
    }
}

pub(super) fn info_query(state: &State, params: &Params) -> Answer {
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

/// `SYNO.DSM.Info` `getinfo`: a DS923+ on DSM 7.2.1.
pub(super) fn dsm_info(state: &State) -> Value {
    json!({
        "model": "DS923+",
        "ram": 4096,
        "serial": "MOCK0000001",
        "temperature": 40,
        "uptime": state.clock.as_secs() + 86_400,
        "version": "69057",
        "version_string": "DSM 7.2.1-69057 Update 6",
    })
}
