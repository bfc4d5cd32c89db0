//! Entry points for the coverage-guided fuzz targets in `fuzz/` (feature `fuzzing`,
//! never on by default): the readers of DSM's answer envelopes and of the `data` they
//! carry, which are otherwise internal. Nothing here is a stable API; it exists so that
//! the fuzzer drives the very code the client runs, without making that code public.

use provision_core::error::Error;
use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::client::{HomeService, PasswordPolicy, UserQuota};

/// Reads an answer of `SYNO.Core.User` with HTTP `status` (an invalid status reads as
/// 500): the `data` of a success as `T`, or the mapped error.
pub fn read_envelope<T: DeserializeOwned>(
    status: u16,
    content_type: Option<&str>,
    body: &[u8],
) -> Result<Option<T>, Error> {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    crate::client::request::read_envelope("SYNO.Core.User", status, content_type, body)
}

/// Reads a `SYNO.Entry.Request` answer of `SYNO.Core.Quota` `get` calls: one envelope
/// per call, each read into its own result.
pub fn read_compound_quotas(body: &[u8]) -> Result<Vec<Result<Option<UserQuota>, Error>>, Error> {
    #[derive(serde::Deserialize)]
    struct Results {
        result: Vec<crate::client::request::Envelope<UserQuota>>,
    }
    let answer = read_envelope::<Results>(200, Some("application/json"), body)?;
    Ok(answer
        .map(|r| r.result)
        .unwrap_or_default()
        .into_iter()
        .map(|envelope| envelope.into_data("SYNO.Core.Quota"))
        .collect())
}

/// The API table of a `SYNO.API.Info` `query` answer's `data`: `(name, path, min
/// version, max version)` per API, sorted by name.
pub fn api_table(data: &Value) -> Result<Vec<(String, String, u32, u32)>, Error> {
    let table = crate::client::request::ApiTable::from_info(data)?;
    let mut entries: Vec<_> = table
        .names()
        .filter_map(|name| {
            let entry = table.get(name)?;
            Some((
                name.to_string(),
                entry.path.clone(),
                entry.min_version,
                entry.max_version,
            ))
        })
        .collect();
    entries.sort();
    Ok(entries)
}

/// The User Home service of a `SYNO.Core.User.Home` `get` answer's `data`.
pub fn home_service(data: &Value) -> HomeService {
    HomeService::from_data(data)
}

/// The password policy of a `SYNO.Core.User.PasswordPolicy` `get` answer's `data`.
pub fn password_policy(data: &Value) -> PasswordPolicy {
    PasswordPolicy::from_data(data)
}

/// The DSM error code an error carries, when it is DSM's answer.
pub fn dsm_code(error: &Error) -> Option<i64> {
    crate::error::dsm_code(error)
}
