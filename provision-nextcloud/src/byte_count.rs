//! Byte counts of the OCS `quota` object (`quota`, `used`, `free`, `total`), read
//! exactly, and the [`StorageInfo`] they mean: the one rule both readers of account
//! records use (`parse_user` on a `Value`, and the details page reader in `details.rs`).
//!
//! Nextcloud's PHP sends them as JSON integers, as floats when its arithmetic went
//! through a float (`computerFileSize` returns one: `1073741824.0`, `1.0e+15`), and
//! older fallbacks as numeric strings. Integers are read as integers (an `f64` would
//! round anything above 2^53); a float is the server's own `f64`, so a whole one is
//! exact as it stands. A fraction, text that is not a number, or any other JSON type is
//! not a byte count: a protocol error, never a rounded or zero guess.
//!
//! Negative values are not sizes: `quota` -3 is unlimited (as is `"none"`), any other
//! negative `quota` or `used` is unknown; `free` goes negative over quota and is only
//! checked, never used, so "unlimited" never comes from `free`/`total`.

use std::fmt;

use provision_core::{ByteSize, Error, Result};
use serde_json::Value;

use crate::client::{QuotaLimit, StorageInfo};
use crate::error::BACKEND;

/// A whole number the server sent: a byte count, or a negative sentinel (-3 unlimited;
/// `free` goes negative over quota).
pub(crate) type Whole = i128;

/// The `quota` value that means "no limit".
const UNLIMITED: Whole = -3;

/// The fields of an account's `quota` object that [`storage_info`] reads, each None
/// when the key is missing. All None when `quota` is missing or not an object.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct QuotaFields<'a> {
    pub(crate) quota: Option<&'a Value>,
    pub(crate) used: Option<&'a Value>,
    pub(crate) free: Option<&'a Value>,
    pub(crate) total: Option<&'a Value>,
}

/// Names a field of account `id`'s quota object in errors (`quota.used of alice`);
/// formatted only when there is an error, so reading a page allocates no text per count.
#[derive(Clone, Copy)]
struct Place<'a> {
    key: &'static str,
    id: &'a str,
}

impl fmt::Display for Place<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "quota.{} of {}", self.key, self.id)
    }
}

/// What account `id`'s quota object says. Fields are checked in the order `quota`,
/// `free`, `total`, `used`, so both readers report the same first error.
pub(crate) fn storage_info(id: &str, fields: QuotaFields<'_>) -> Result<StorageInfo> {
    let read = |key: &'static str, value: Option<&Value>| match value {
        None => Ok(None),
        Some(value) => whole_number(Place { key, id }, value),
    };
    let limit = match fields.quota {
        Some(Value::String(text)) if text == "none" => QuotaLimit::Unlimited,
        quota => match read("quota", quota)? {
            Some(UNLIMITED) => QuotaLimit::Unlimited,
            Some(n) => byte_count(Place { key: "quota", id }, n)?
                .map_or(QuotaLimit::Unknown, |b| QuotaLimit::Bytes(ByteSize::new(b))),
            None => QuotaLimit::Unknown,
        },
    };
    // Checked although only their presence is used: a fraction there means the
    // object is not what the server sends.
    read("free", fields.free)?;
    read("total", fields.total)?;
    // Without `free`/`total` the server did not look at the files: `used: 0` then
    // means "not measured", not "empty".
    let measured = fields.free.is_some() || fields.total.is_some();
    let used = match read("used", fields.used)? {
        Some(n) if measured => byte_count(Place { key: "used", id }, n)?.map(ByteSize::new),
        _ => None,
    };
    Ok(StorageInfo { limit, used })
}

/// `value` as a whole number; None for JSON `null`. `place` names the field in errors.
pub(crate) fn whole_number(place: impl fmt::Display, value: &Value) -> Result<Option<Whole>> {
    let whole = match value {
        Value::Null => return Ok(None),
        Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
            (Some(u), _, _) => Some(Whole::from(u)),
            (None, Some(i), _) => Some(Whole::from(i)),
            (None, None, Some(x)) => whole_float(x),
            (None, None, None) => None,
        },
        Value::String(text) => text.parse::<Whole>().ok(),
        _ => None,
    };
    whole
        .map(Some)
        .ok_or_else(|| not_a_byte_count(place, value))
}

/// `whole` as a byte count that cannot be negative: None for negative sentinels, an
/// error for a count beyond `u64`.
pub(crate) fn byte_count(place: impl fmt::Display, whole: Whole) -> Result<Option<u64>> {
    if whole < 0 {
        return Ok(None);
    }
    u64::try_from(whole).map(Some).map_err(|_| {
        Error::protocol(
            BACKEND,
            format!("{place} is {whole}, more bytes than a 64-bit count holds"),
        )
    })
}

/// A float that is a whole number within the range any byte count or sentinel can
/// take, converted without loss.
fn whole_float(x: f64) -> Option<Whole> {
    // 2^64: the first float above every u64.
    const LIMIT: f64 = 18_446_744_073_709_551_616.0;
    (x.is_finite() && x.fract() == 0.0 && x.abs() < LIMIT).then_some(x as Whole)
}

fn not_a_byte_count(place: impl fmt::Display, value: &Value) -> Error {
    let mut shown = value.to_string();
    // Forty characters, cut on a character boundary (the text is the server's).
    if let Some((cut, _)) = shown.char_indices().nth(40) {
        shown.truncate(cut);
        shown.push('…');
    }
    Error::protocol(
        BACKEND,
        format!("{place} is not a whole byte count: {shown}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read(value: Value) -> Result<Option<Whole>> {
        whole_number("quota.used of x", &value)
    }

    #[test]
    fn integers_above_two_to_the_53_are_exact() {
        // 2^53 + 1: an f64 rounds it to 2^53.
        let body = r#"{"used": 9007199254740993, "quota": 18446744073709551615}"#;
        let object: Value = serde_json::from_str(body).unwrap();
        assert_eq!(
            read(object["used"].clone()).unwrap(),
            Some(9_007_199_254_740_993)
        );
        assert_ne!(
            9_007_199_254_740_993_u64 as f64 as u64,
            9_007_199_254_740_993
        );
        assert_eq!(
            read(object["quota"].clone()).unwrap(),
            Some(Whole::from(u64::MAX))
        );
        assert_eq!(
            read(json!("9007199254740993")).unwrap(),
            Some(9_007_199_254_740_993)
        );
    }

    #[test]
    fn whole_floats_and_numeric_strings_are_read_as_php_sends_them() {
        let floats: Value =
            serde_json::from_str(r#"[1.0E+10, 1073741824.0, 1.0e+19, -3.0, 0.0]"#).unwrap();
        let read_all: Vec<_> = floats
            .as_array()
            .unwrap()
            .iter()
            .map(|v| read(v.clone()).unwrap())
            .collect();
        assert_eq!(
            read_all,
            [
                Some(10_000_000_000),
                Some(1 << 30),
                Some(10_000_000_000_000_000_000),
                Some(-3),
                Some(0)
            ]
        );
        assert_eq!(read(json!("5368709120")).unwrap(), Some(5_368_709_120));
        assert_eq!(read(json!(-3)).unwrap(), Some(-3));
        assert_eq!(read(Value::Null).unwrap(), None);
    }

    #[test]
    fn what_is_not_a_whole_byte_count_is_a_protocol_error() {
        for bad in [
            json!(1.6),
            json!(-0.4),
            json!(1e20),
            json!("abc"),
            json!(" 5"),
            json!("1.5"),
            json!(true),
            json!([]),
            json!({"a": 1}),
        ] {
            let err = read(bad.clone()).unwrap_err();
            assert!(matches!(err, Error::Protocol { .. }), "{bad}: {err:?}");
            assert!(err.to_string().contains("quota.used of x"), "{err}");
        }
    }

    #[test]
    fn counts_beyond_u64_are_refused_and_sentinels_are_not_counts() {
        assert_eq!(byte_count("q", 5).unwrap(), Some(5));
        assert_eq!(byte_count("q", -3).unwrap(), None);
        assert_eq!(
            byte_count("q", Whole::from(u64::MAX)).unwrap(),
            Some(u64::MAX)
        );
        let err = byte_count("q", Whole::from(u64::MAX) + 1).unwrap_err();
        assert!(matches!(err, Error::Protocol { .. }), "{err:?}");
    }
}
