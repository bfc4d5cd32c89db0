//! The Nextcloud OCS answer parsers. The first two bytes are the HTTP status (as a
//! number modulo 600), the rest the body. The two readings of a `users/details` page,
//! the streaming one the sweep uses and the JSON-tree one, agree on every body (the
//! same records, or errors of the same kind, text, code and message); a user answer
//! whose envelope parses gives a record with the id it names.
#![no_main]
#![forbid(unsafe_code)]

use libfuzzer_sys::fuzz_target;
use provision_core::Result;
use provision_nextcloud::fuzzing::{
    parse_answer, parse_user, parse_users_details, parse_users_details_via_tree,
};
use serde_json::Value;

type Outcome<T> = std::result::Result<T, (String, String, Option<String>, Option<String>)>;

/// A result in a comparable form: errors by kind, text, server code and message.
fn outcome<T>(result: Result<T>) -> Outcome<T> {
    result.map_err(|e| {
        (
            format!("{:?}", e.kind()),
            e.to_string(),
            e.server_code().map(str::to_string),
            e.server_message().map(str::to_string),
        )
    })
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    let status = u16::from_be_bytes([data[0], data[1]]) % 600;
    let Ok(body) = std::str::from_utf8(&data[2..]) else {
        return;
    };
    let streamed = outcome(parse_users_details(status, body));
    let via_tree = outcome(parse_users_details_via_tree(status, body));
    assert_eq!(streamed, via_tree, "the two readings disagree on {body:?}");

    if let Ok(data) = parse_answer(status, body) {
        if let Ok(record) = parse_user(&data) {
            assert_eq!(
                Some(record.id.as_str()),
                data.get("id").and_then(Value::as_str)
            );
            if let Some(Value::Array(groups)) = data.get("groups") {
                assert!(record.groups.len() <= groups.len());
            }
        }
    }
});
