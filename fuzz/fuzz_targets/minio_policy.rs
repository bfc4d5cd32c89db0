//! The MinIO policy template parser and renderer. A template that parses and renders
//! for tenant `12-3` must be confined to it, read as the MinIO server reads a policy
//! (keys without regard to case): every Allow statement names only the tenant's
//! resources (none matches tenant `12-34`'s bucket or any other), no `admin:` action,
//! no `*` action, no `NotAction`/`NotResource`. The rendered bytes parse again as a
//! template. The check below is written here, independently of the library's.
#![no_main]
#![forbid(unsafe_code)]

use libfuzzer_sys::fuzz_target;
use provision_minio::{Namespace, PolicyTemplate};
use serde_json::Value;

const TENANT: &str = "12-3";
/// Buckets of other tenants, and names a sloppy pattern would reach.
const FOREIGN_BUCKETS: [&str; 6] = ["12-34", "12-34.x", "12-", "12-3x", "other", "12-4"];

fuzz_target!(|data: &[u8]| {
    let Ok(json) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(template) = PolicyTemplate::parse(json) else {
        return;
    };
    let namespace = Namespace::new(TENANT).expect("a valid token");
    let Ok(document) = template.render(TENANT, &namespace) else {
        return;
    };
    let bytes = document.to_bytes();
    let text = String::from_utf8(bytes).expect("a rendered document is UTF-8");
    let sent: Value = serde_json::from_str(&text).expect("a rendered document is JSON");
    assert_confined(&sent, &text);
    PolicyTemplate::parse(&text).expect("a rendered document parses as a template");
});

/// Every value of `object` under a key equal to `name` without regard to case.
fn fields<'a>(object: &'a Value, name: &'a str) -> impl Iterator<Item = &'a Value> + 'a {
    object
        .as_object()
        .into_iter()
        .flatten()
        .filter(move |(key, _)| key.eq_ignore_ascii_case(name))
        .map(|(_, value)| value)
}

/// A string or a list of strings, as policy fields may be written.
fn strings(value: &Value) -> Vec<&str> {
    match value {
        Value::String(s) => vec![s.as_str()],
        Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

fn assert_confined(doc: &Value, text: &str) {
    for statements in fields(doc, "Statement") {
        let list: Vec<&Value> = match statements {
            Value::Array(items) => items.iter().collect(),
            other => vec![other],
        };
        for statement in list {
            let allows = fields(statement, "Effect").any(|e| e.as_str() == Some("Allow"));
            if !allows {
                continue;
            }
            for forbidden in ["NotAction", "NotResource", "NotPrincipal"] {
                assert!(
                    fields(statement, forbidden).next().is_none(),
                    "an Allow statement with {forbidden}: {text}"
                );
            }
            for action in fields(statement, "Action").flat_map(strings) {
                let lower = action.to_ascii_lowercase();
                assert!(
                    !lower.starts_with("admin:") && lower != "*" && !lower.starts_with("*:"),
                    "an Allow of {action:?}: {text}"
                );
            }
            for resource in fields(statement, "Resource").flat_map(strings) {
                assert_tenant_resource(resource, text);
            }
        }
    }
}

/// `arn:aws:s3:::12-3`, or `arn:aws:s3:::12-3/…` or `arn:aws:s3:::12-3.…`, without
/// a policy variable, and matching none of the foreign buckets.
fn assert_tenant_resource(resource: &str, text: &str) {
    let rest = resource
        .strip_prefix("arn:aws:s3:::")
        .unwrap_or_else(|| panic!("an Allow of the non-S3 resource {resource:?}: {text}"));
    assert!(
        !rest.contains('$'),
        "a policy variable in {resource:?}: {text}"
    );
    let after = rest
        .strip_prefix(TENANT)
        .unwrap_or_else(|| panic!("{resource:?} is outside {TENANT}: {text}"));
    assert!(
        after.is_empty() || after.starts_with('/') || after.starts_with('.'),
        "{resource:?} is outside {TENANT}: {text}"
    );
    for bucket in FOREIGN_BUCKETS {
        for target in [bucket.to_string(), format!("{bucket}/key")] {
            assert!(
                !wildcard(rest, &target),
                "{resource:?} matches {target:?}: {text}"
            );
        }
    }
}

/// MinIO's resource wildcard: `*` any run of characters, `?` one character.
fn wildcard(pattern: &str, text: &str) -> bool {
    fn go(p: &[char], t: &[char]) -> bool {
        match (p.first(), t.first()) {
            (None, None) => true,
            (Some('*'), _) => go(&p[1..], t) || (!t.is_empty() && go(p, &t[1..])),
            (Some('?'), Some(_)) => go(&p[1..], &t[1..]),
            (Some(a), Some(b)) if a == b => go(&p[1..], &t[1..]),
            _ => false,
        }
    }
    let mut p: Vec<char> = pattern.chars().collect();
    p.dedup_by(|a, b| *a == '*' && *b == '*');
    let t: Vec<char> = text.chars().collect();
    go(&p, &t)
}
