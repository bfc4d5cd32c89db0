//! The DSM answer readers. The first two bytes are the HTTP status (modulo 600) and
//! whether a JSON content type is declared, the rest the body. Every typed reading of
//! an envelope agrees with the reading of the same `data` from a JSON tree (quota, user
//! and group rows); a failure envelope keeps DSM's code; the readers of discovery, the
//! home service and the password policy take any `data`; home usage never reports a
//! limit of zero bytes.
#![no_main]
#![forbid(unsafe_code)]

use libfuzzer_sys::fuzz_target;
use provision_synology::client::{Group, HomeService, User, UserQuota};
use provision_synology::fuzzing::{
    api_table, dsm_code, home_service, password_policy, read_compound_quotas, read_envelope,
};
use serde::de::DeserializeOwned;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    let status = u16::from_be_bytes([data[0] & 0x7f, data[1]]) % 600;
    let content_type = (data[0] & 0x80 != 0).then_some("application/json");
    let body = &data[2..];
    // serde_json skips ignored strings without checking their UTF-8, so a typed reading
    // may accept a body the JSON tree refuses: compare valid UTF-8 only.
    if std::str::from_utf8(body).is_err() {
        return;
    }

    let tree = read_envelope::<Value>(status, content_type, body);
    agrees_with_tree::<UserQuota>(status, content_type, body, &tree);
    agrees_with_tree::<Vec<User>>(status, content_type, body, &tree);
    agrees_with_tree::<Vec<Group>>(status, content_type, body, &tree);

    match &tree {
        Ok(Some(data)) => {
            let _ = api_table(data);
            let policy = password_policy(data);
            let home = home_service(data);
            if let Ok(Some(quota)) = read_envelope::<UserQuota>(status, content_type, body) {
                for home in [
                    home,
                    HomeService {
                        enabled: true,
                        location: None,
                    },
                ] {
                    let usage = quota.home_usage(&home);
                    if let Some(limit) = usage.limit.and_then(|l| l.limit()) {
                        assert!(limit.bytes() > 0);
                    }
                }
            }
            let _ = policy;
        }
        Ok(None) => {}
        Err(error) => {
            if let Ok(answer) = serde_json::from_slice::<Value>(body) {
                let code = answer.pointer("/error/code").and_then(Value::as_i64);
                if (200..300).contains(&status)
                    && answer.get("success") == Some(&Value::Bool(false))
                {
                    if let Some(code) = code {
                        assert_eq!(dsm_code(error), Some(code), "{error}");
                    }
                }
            }
        }
    }

    if let Ok(results) = read_compound_quotas(body) {
        for result in results {
            let _ = result;
        }
    }
});

/// The envelope read straight into `T` gives what reading its `data` tree into `T`
/// gives (both fail or both give the same value).
fn agrees_with_tree<T: DeserializeOwned + PartialEq + Clone + std::fmt::Debug>(
    status: u16,
    content_type: Option<&str>,
    body: &[u8],
    tree: &Result<Option<Value>, provision_core::Error>,
) {
    let typed = read_envelope::<T>(status, content_type, body);
    match (tree, &typed) {
        (Ok(Some(data)), _) => {
            let from_tree = serde_json::from_value::<T>(data.clone()).ok();
            assert_eq!(typed.as_ref().ok().cloned().flatten(), from_tree);
        }
        (Ok(None), _) => assert!(matches!(typed, Ok(None)), "{typed:?}"),
        (Err(_), Ok(_)) => panic!("the typed reading accepts what the tree refuses: {typed:?}"),
        (Err(_), Err(_)) => {}
    }
}
