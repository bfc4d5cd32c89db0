//! The MinIO S3 XML reader and the error-body reader. The first byte picks the case:
//!
//! - even: the rest is a body as received. A document that parses, written back, parses
//!   to the same tree; an error body read gives a message without control characters
//!   and, when it is not MinIO's JSON or XML error, no code and at most 200 bytes of it;
//!   the error built from it keeps that code.
//! - odd: the rest is a code and a message (split at the first NUL), written into an
//!   XML and a JSON error body, from which both are read back exactly.
#![no_main]
#![forbid(unsafe_code)]

use libfuzzer_sys::fuzz_target;
use provision_minio::fuzzing::{parse_error_body, parse_xml, server_error, XmlElement};

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    if mode % 2 == 0 {
        received(rest);
    } else if let Ok(text) = std::str::from_utf8(rest) {
        written(text);
    }
});

/// Whether every name in the tree is a plain XML name as S3 sends them (letters,
/// digits, `-`, `_`, `.`). The round trip is asserted for those only: the reader is
/// lenient with other names (it drops one namespace prefix by design, so `<::a>`
/// loses a colon each pass, and it takes `<"The .../>` as an element named `"The`),
/// which no server sends and which changes nothing the library reads.
fn names_without_colons(tree: &XmlElement) -> bool {
    !tree.name.is_empty()
        && tree
            .name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && tree.children.iter().all(names_without_colons)
}

fn received(body: &[u8]) {
    if let Some(tree) = parse_xml(body).ok().filter(names_without_colons) {
        let xml = tree.to_xml();
        let again = parse_xml(xml.as_bytes())
            .unwrap_or_else(|e| panic!("{tree:?} written as {xml:?} fails: {e}"));
        assert_eq!(again, tree, "written as {xml:?}");
    }
    let (code, message) = parse_error_body(body);
    let trimmed = body.trim_ascii_start();
    let structured = trimmed.starts_with(b"{") || trimmed.starts_with(b"<");
    if !structured {
        assert_eq!(code, None);
        assert!(
            message.len() <= 200 * 3,
            "a snippet of 200 bytes, each at most one replacement character"
        );
        assert!(!message.chars().any(char::is_control), "{message:?}");
    }
    if let Some(code) = &code {
        assert!(!code.is_empty());
    }
    let error = server_error(400, body);
    assert_eq!(error.server_code(), code.as_deref());
}

fn written(text: &str) {
    let (code, message) = text.split_once('\0').unwrap_or((text, ""));
    // The reader trims text; a code is what is left of it.
    let (code, message) = (code.trim(), message.trim());
    if code.is_empty() || code.contains('\0') || message.contains('\0') {
        return;
    }
    let element = |name: &str, text: &str| XmlElement {
        name: name.to_string(),
        text: text.to_string(),
        children: Vec::new(),
    };
    let xml = XmlElement {
        name: "Error".to_string(),
        text: String::new(),
        children: vec![element("Code", code), element("Message", message)],
    }
    .to_xml();
    assert_eq!(
        parse_error_body(xml.as_bytes()),
        (Some(code.to_string()), message.to_string()),
        "{xml:?}"
    );
    let json = serde_json::json!({ "Code": code, "Message": message }).to_string();
    assert_eq!(
        parse_error_body(json.as_bytes()),
        (Some(code.to_string()), message.to_string()),
        "{json:?}"
    );
}
