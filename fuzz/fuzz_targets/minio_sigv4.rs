//! The SigV4 verifier (the mock server's check of every request). The first byte picks
//! the case; the rest is text: a method, a path, a query, a region, header lines
//! (`name:value`) up to an empty line, then the body.
//!
//! - even: a request as received (the path and query taken as sent, an Authorization
//!   header among the headers). The Authorization value, when it parses, is written back
//!   and parses to the same fields; the verifier only accepts a request whose
//!   Authorization names the one known access key.
//! - odd: a round trip. The request is signed with the client's signer (path and query
//!   encoded as the client sends them) and must verify with the same secret key, and
//!   fail with `SignatureMismatch` under another one.
#![no_main]
#![forbid(unsafe_code)]

use chrono::{DateTime, TimeDelta, Utc};
use libfuzzer_sys::fuzz_target;
use provision_minio::wire::sigv4::{
    encode_path, encode_query, parse_authorization, sha256_hex, sign, verify, Credentials,
    ReceivedRequest, SigningRequest, VerifyError, VerifyOptions, UNSIGNED_PAYLOAD,
};
use secrecy::SecretString;

const ACCESS_KEY: &str = "provisionadmin";
const SECRET_KEY: &str = "provision-test-secret-KEY";

/// One request as the input describes it.
struct Parts<'a> {
    method: &'a str,
    path: &'a str,
    query: &'a str,
    region: &'a str,
    headers: Vec<(&'a str, &'a str)>,
    body: &'a str,
}

fn parts(text: &str) -> Option<Parts<'_>> {
    let mut lines = text.splitn(5, '\n');
    let method = lines.next()?;
    let path = lines.next()?;
    let query = lines.next()?;
    let region = lines.next()?;
    let rest = lines.next().unwrap_or("");
    let (header_block, body) = rest.split_once("\n\n").unwrap_or((rest, ""));
    let headers = header_block
        .lines()
        .filter_map(|line| line.split_once(':'))
        .collect();
    Some(Parts {
        method,
        path,
        query,
        region,
        headers,
        body,
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    if mode % 2 == 0 {
        received(text);
    } else {
        round_trip(mode, text);
    }
});

fn secret_for(access_key: &str) -> Option<SecretString> {
    (access_key == ACCESS_KEY).then(|| SecretString::from(SECRET_KEY))
}

fn received(text: &str) {
    let Some(parts) = parts(text) else {
        return;
    };
    for (name, value) in &parts.headers {
        if !name.eq_ignore_ascii_case("authorization") {
            continue;
        }
        if let Ok(parsed) = parse_authorization(value) {
            let written = format!(
                "AWS4-HMAC-SHA256 Credential={}/{}/{}/{}/aws4_request, SignedHeaders={}, Signature={}",
                parsed.access_key,
                parsed.date,
                parsed.region,
                parsed.service,
                parsed.signed_headers.join(";"),
                parsed.signature
            );
            let again = parse_authorization(&written)
                .unwrap_or_else(|e| panic!("{value:?} written as {written:?} fails: {e}"));
            assert_eq!(again, parsed, "{value:?} -> {written:?}");
        }
    }
    let request = ReceivedRequest {
        method: parts.method,
        path: parts.path,
        query: parts.query,
        headers: &parts.headers,
        body: parts.body.as_bytes(),
    };
    let now = DateTime::<Utc>::from_timestamp(1_700_000_000, 0).expect("a valid time");
    for options in [VerifyOptions::default(), VerifyOptions::new().at(now)] {
        if let Ok(verified) = verify(&request, &options, secret_for) {
            assert_eq!(verified.access_key, ACCESS_KEY);
        }
        if let Err(error) = verify(&request, &options, |_| None) {
            // The status and code MinIO would answer exist for every refusal.
            assert!((400..500).contains(&error.http_status()));
            assert!(!error.minio_code().is_empty());
        }
    }
}

fn round_trip(mode: u8, text: &str) {
    let Some(parts) = parts(text) else {
        return;
    };
    let path = encode_path(parts.path);
    let pairs: Vec<(&str, &str)> = parts
        .query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| p.split_once('=').unwrap_or((p, "")))
        .collect();
    let query = encode_query(&pairs);
    let seconds = 946_684_800 + i64::from(mode) * 7_777_777 + parts.body.len() as i64;
    let time = DateTime::<Utc>::from_timestamp(seconds, 0).expect("a time after 2000");
    let amz_date = time.format("%Y%m%dT%H%M%SZ").to_string();
    let payload_hash = if mode & 2 == 0 {
        sha256_hex(parts.body.as_bytes())
    } else {
        UNSIGNED_PAYLOAD.to_string()
    };

    let mut headers: Vec<(&str, &str)> = parts
        .headers
        .iter()
        .copied()
        .filter(|(name, _)| !name.eq_ignore_ascii_case("authorization"))
        .collect();
    if !headers.iter().any(|(n, _)| n.eq_ignore_ascii_case("host")) {
        headers.push(("host", "127.0.0.1:9000"));
    }
    headers.push(("x-amz-date", &amz_date));
    headers.push(("x-amz-content-sha256", &payload_hash));

    let credentials = Credentials::new(ACCESS_KEY, SECRET_KEY.to_string());
    let Ok(signed) = sign(
        &credentials,
        &SigningRequest {
            method: parts.method,
            path: &path,
            query: &query,
            headers: &headers,
            payload_hash: &payload_hash,
            region: parts.region,
            service: "s3",
            time,
        },
    ) else {
        return;
    };
    headers.push(("Authorization", &signed.authorization));
    let request = ReceivedRequest {
        method: parts.method,
        path: &path,
        query: &query,
        headers: &headers,
        body: parts.body.as_bytes(),
    };
    let options = VerifyOptions::new().at(time + TimeDelta::minutes(1));
    let verified = verify(&request, &options, secret_for)
        .unwrap_or_else(|e| panic!("a signed request fails to verify: {e:?}"));
    assert_eq!(verified.access_key, ACCESS_KEY);
    assert_eq!(verified.time, time);
    let wrong = verify(&request, &options, |_| {
        Some(SecretString::from(format!("{SECRET_KEY}x")))
    });
    assert!(
        matches!(wrong, Err(VerifyError::SignatureMismatch { .. })),
        "another secret key gives {wrong:?}"
    );
}
