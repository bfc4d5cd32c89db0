//! The canonical encoding both directions of SigV4 share: percent-encoding of paths
//! and query pieces, canonical headers, the canonical request, the string to sign and
//! the signing-key derivation. A signer and a verifier that build these from the same
//! code cannot disagree about them.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use percent_encoding::{percent_decode, percent_encode, AsciiSet, NON_ALPHANUMERIC};
use secrecy::zeroize::Zeroizing;
use secrecy::{ExposeSecret, SecretBox, SecretString};
use sha2::{Digest, Sha256};

pub(super) type HmacSha256 = Hmac<Sha256>;

/// The signing algorithm named in the `Authorization` header and the string to sign.
pub const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// The service name MinIO expects in the credential scope, for admin and S3 calls.
pub const SERVICE_S3: &str = "s3";

/// The payload hash that leaves the body unsigned (accepted by S3 endpoints only).
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";

/// Lower-case hex SHA-256 of the empty body.
pub const EMPTY_PAYLOAD_SHA256: &str =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// `x-amz-date` format: `YYYYMMDDTHHMMSSZ`, UTC.
pub const AMZ_DATE_FORMAT: &str = "%Y%m%dT%H%M%SZ";

/// The last element of every credential scope.
pub(super) const SCOPE_TERMINATOR: &str = "aws4_request";

/// Everything except the unreserved characters `A-Z a-z 0-9 - _ . ~`.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// As [`COMPONENT`], keeping `/` as the path separator.
const PATH: &AsciiSet = &COMPONENT.remove(b'/');

/// The SigV4 signing key: an HMAC-SHA256 chain over `"AWS4" + secret`, the scope
/// date (`YYYYMMDD`), the region (may be empty), the service and `aws4_request`.
pub fn signing_key(
    secret_key: &SecretString,
    date: &str,
    region: &str,
    service: &str,
) -> SecretBox<[u8; 32]> {
    let mut seed = Zeroizing::new(Vec::with_capacity(4 + secret_key.expose_secret().len()));
    seed.extend_from_slice(b"AWS4");
    seed.extend_from_slice(secret_key.expose_secret().as_bytes());
    let k_date = Zeroizing::new(hmac_sha256(&seed, date.as_bytes()));
    let k_region = Zeroizing::new(hmac_sha256(k_date.as_ref(), region.as_bytes()));
    let k_service = Zeroizing::new(hmac_sha256(k_region.as_ref(), service.as_bytes()));
    SecretBox::new(Box::new(hmac_sha256(
        k_service.as_ref(),
        SCOPE_TERMINATOR.as_bytes(),
    )))
}

/// Formats `time` as `x-amz-date` wants it: `YYYYMMDDTHHMMSSZ`.
pub fn amz_date(time: DateTime<Utc>) -> String {
    time.format(AMZ_DATE_FORMAT).to_string()
}

/// Lower-case hex SHA-256 of `payload`, the value of `x-amz-content-sha256`.
pub fn sha256_hex(payload: &[u8]) -> String {
    hex::encode(Sha256::digest(payload))
}

/// Percent-encodes a query name or value, or one path segment, the AWS way: every byte
/// of the UTF-8 form except `A-Z a-z 0-9 - _ . ~` becomes `%XX` (upper-case hex), so
/// a space is `%20` and `/` is `%2F`.
pub fn encode_component(input: &str) -> String {
    percent_encode(input.as_bytes(), COMPONENT).to_string()
}

/// Percent-encodes a whole path as [`encode_component`] does, keeping `/`.
pub fn encode_path(path: &str) -> String {
    percent_encode(path.as_bytes(), PATH).to_string()
}

/// Builds a query string to send from name/value pairs, in the given order, each
/// encoded with [`encode_component`]. Avoid repeating a name: MinIO keeps repeated
/// values in sent order while SigV4 sorts them.
pub fn encode_query(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(name, value)| format!("{}={}", encode_component(name), encode_component(value)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The canonical URI of a path as sent: percent-decoded, then re-encoded as
/// [`encode_path`] does (so `%2F` becomes `/`, as the MinIO server sees it). An empty
/// path is `/`.
pub fn canonical_uri(path: &str) -> String {
    if path.is_empty() {
        return "/".to_owned();
    }
    let decoded: Vec<u8> = percent_decode(path.as_bytes()).collect();
    percent_encode(&decoded, PATH).to_string()
}

/// The canonical query of a query string as sent: each `name[=value]` decoded (`+` as
/// a space) and re-encoded with [`encode_component`], `=` always present, empty pieces
/// dropped, sorted by name then value, joined by `&`.
pub fn canonical_query(query: &str) -> String {
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|piece| !piece.is_empty())
        .map(|piece| {
            let (name, value) = piece.split_once('=').unwrap_or((piece, ""));
            (reencode_query_part(name), reencode_query_part(value))
        })
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(name, value)| format!("{name}={value}"))
        .collect::<Vec<_>>()
        .join("&")
}

fn reencode_query_part(part: &str) -> String {
    let plus_as_space = part.replace('+', " ");
    let decoded: Vec<u8> = percent_decode(plus_as_space.as_bytes()).collect();
    percent_encode(&decoded, COMPONENT).to_string()
}

/// Lower-cased names mapped to their canonical values (trimmed, white space collapsed,
/// repeated headers joined with `,` in order). The map keeps them sorted by name.
pub(super) fn canonical_headers<'h>(
    headers: impl Iterator<Item = (&'h str, &'h str)>,
) -> BTreeMap<String, String> {
    let mut map: BTreeMap<String, String> = BTreeMap::new();
    for (name, value) in headers {
        let value = canonical_header_value(value);
        map.entry(name.to_ascii_lowercase())
            .and_modify(|joined| {
                joined.push(',');
                joined.push_str(&value);
            })
            .or_insert(value);
    }
    map
}

/// Trims the value and collapses inner runs of white space to one space, as the
/// server's `strings.Fields` join does.
pub(super) fn canonical_header_value(value: &str) -> String {
    value.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub(super) fn canonical_request<'h>(
    method: &str,
    path: &str,
    query: &str,
    headers: impl Iterator<Item = (&'h str, &'h str)>,
    signed_headers: &str,
    payload_hash: &str,
) -> String {
    let mut out = String::new();
    out.push_str(method);
    out.push('\n');
    out.push_str(&canonical_uri(path));
    out.push('\n');
    out.push_str(&canonical_query(query));
    out.push('\n');
    for (name, value) in headers {
        out.push_str(name);
        out.push(':');
        out.push_str(value);
        out.push('\n');
    }
    out.push('\n');
    out.push_str(signed_headers);
    out.push('\n');
    out.push_str(payload_hash);
    out
}

pub(super) fn credential_scope(date: &str, region: &str, service: &str) -> String {
    format!("{date}/{region}/{service}/{SCOPE_TERMINATOR}")
}

pub(super) fn string_to_sign(
    amz_date: &str,
    credential_scope: &str,
    canonical_request: &str,
) -> String {
    format!(
        "{ALGORITHM}\n{amz_date}\n{credential_scope}\n{}",
        sha256_hex(canonical_request.as_bytes())
    )
}

pub(super) fn new_mac(key: &[u8]) -> HmacSha256 {
    // HMAC is defined for keys of every length; `new_from_slice` cannot fail for it.
    HmacSha256::new_from_slice(key).expect("HMAC-SHA256 accepts keys of any length")
}

pub(super) fn hmac_sha256(key: &[u8], data: &[u8]) -> [u8; 32] {
    let mut mac = new_mac(key);
    mac.update(data);
    mac.finalize().into_bytes().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_components_the_aws_way() {
        assert_eq!(
            encode_component("a b+c/d=e~f\u{e9}"),
            "a%20b%2Bc%2Fd%3De~f%C3%A9"
        );
        assert_eq!(encode_component("AZaz09-_.~"), "AZaz09-_.~");
        assert_eq!(
            encode_path("/u-12-34/dir/\u{e4} b.txt"),
            "/u-12-34/dir/%C3%A4%20b.txt"
        );
    }

    #[test]
    fn canonical_query_sorts_and_normalises() {
        assert_eq!(
            canonical_query("status=disabled&accessKey=12-34"),
            "accessKey=12-34&status=disabled"
        );
        assert_eq!(canonical_query("delete"), "delete=");
        assert_eq!(canonical_query("delete="), "delete=");
        assert_eq!(canonical_query(""), "");
        assert_eq!(canonical_query("a=2&a=1&&b"), "a=1&a=2&b=");
        // `+` is a space for the server's form parser; %2B is a plus.
        assert_eq!(canonical_query("k=a+b%2Bc"), "k=a%20b%2Bc");
        // Unencoded reserved characters are encoded.
        assert_eq!(canonical_query("k=a/b c"), "k=a%2Fb%20c");
    }

    #[test]
    fn canonical_uri_reencodes() {
        assert_eq!(canonical_uri(""), "/");
        assert_eq!(canonical_uri("/"), "/");
        assert_eq!(canonical_uri("/b/%C3%A4%20b.txt"), "/b/%C3%A4%20b.txt");
        assert_eq!(canonical_uri("/b/a b"), "/b/a%20b");
        assert_eq!(canonical_uri("/b/a%2Fb"), "/b/a/b");
        assert_eq!(canonical_uri("/b/a+b"), "/b/a%2Bb");
    }

    #[test]
    fn header_values_are_trimmed_and_collapsed() {
        assert_eq!(
            canonical_header_value("  two   spaces  here "),
            "two spaces here"
        );
        assert_eq!(canonical_header_value("a\t\tb"), "a b");
        let headers = canonical_headers([("X-A", "1"), ("x-a", " 2 "), ("Host", "h")].into_iter());
        assert_eq!(headers.get("x-a").map(String::as_str), Some("1,2"));
        assert_eq!(headers.keys().collect::<Vec<_>>(), ["host", "x-a"]);
    }
}
