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
            match typed.as_ref().ok().cloned().flatten() {
                Some(value) => assert_eq!(Some(value), from_tree),
                // The typed reading is stricter in one way only: a key given twice
                // (`"used":12,"used":"3*5"`) is refused, where the tree keeps the
                // later value. DSM sends no such answer; refusing it is the safer side.
                None => assert!(
                    from_tree.is_none() || has_duplicate_key(body),
                    "the typed reading refuses what the tree gives: {from_tree:?}"
                ),
            }
        }
        (Ok(None), _) => assert!(matches!(typed, Ok(None)), "{typed:?}"),
        (Err(_), Ok(_)) => panic!("the typed reading accepts what the tree refuses: {typed:?}"),
        (Err(_), Err(_)) => {}
    }
}

/// Whether any JSON object in `body` holds the same key twice.
fn has_duplicate_key(body: &[u8]) -> bool {
    use serde::de::{Deserializer as _, MapAccess, SeqAccess, Visitor};
    struct Unique;
    impl<'de> Visitor<'de> for Unique {
        type Value = ();
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("JSON")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            let mut seen = std::collections::HashSet::new();
            while let Some(key) = map.next_key::<String>()? {
                if !seen.insert(key) {
                    return Err(serde::de::Error::custom("duplicate key"));
                }
                map.next_value_seed(UniqueSeed)?;
            }
            Ok(())
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            while seq.next_element_seed(UniqueSeed)?.is_some() {}
            Ok(())
        }
        fn visit_bool<E>(self, _: bool) -> Result<(), E> { Ok(()) }
        fn visit_i64<E>(self, _: i64) -> Result<(), E> { Ok(()) }
        fn visit_u64<E>(self, _: u64) -> Result<(), E> { Ok(()) }
        fn visit_f64<E>(self, _: f64) -> Result<(), E> { Ok(()) }
        fn visit_str<E>(self, _: &str) -> Result<(), E> { Ok(()) }
        fn visit_unit<E>(self) -> Result<(), E> { Ok(()) }
    }
    struct UniqueSeed;
    impl<'de> serde::de::DeserializeSeed<'de> for UniqueSeed {
        type Value = ();
        fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            d.deserialize_any(Unique)
        }
    }
    let mut de = serde_json::Deserializer::from_slice(body);
    (&mut de).deserialize_any(Unique).is_err()
        && serde_json::from_slice::<serde::de::IgnoredAny>(body).is_ok()
}
