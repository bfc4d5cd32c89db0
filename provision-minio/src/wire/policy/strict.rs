//! Reads a policy document as MinIO's server reads it.
//!
//! MinIO decodes policies with Go's `encoding/json`, which matches object keys to field
//! names without regard to case and lets the later of two equal keys win; it refuses
//! keys it does not know. `serde_json::Value` keeps only one of two equal keys and
//! compares them with case, so a checker on top of it can pass
//! `{"Statement":[safe],"statement":[everything]}` while the server reads the second
//! list. This reader refuses any two keys of one object that are equal without regard
//! to case, refuses unknown keys of the document and of its statements, and writes the
//! known ones in their canonical spelling, so that what is checked is what the server
//! will read.

use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use super::document::PolicyError;

/// The document's keys, in their canonical spelling.
const DOCUMENT_KEYS: &[&str] = &["Version", "Id", "Statement"];

/// A statement's keys, in their canonical spelling.
const STATEMENT_KEYS: &[&str] = &[
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
];

/// Parses `bytes` into a document whose keys are unique without regard to case and
/// spelled canonically. Shape beyond the keys is checked by the caller.
pub(crate) fn read_document(bytes: &[u8]) -> Result<Value, PolicyError> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = UniqueKeys
        .deserialize(&mut deserializer)
        .map_err(|e| PolicyError::NotJson(e.to_string()))?;
    deserializer
        .end()
        .map_err(|e| PolicyError::NotJson(e.to_string()))?;
    canonical_document(value)
}

fn canonical_document(value: Value) -> Result<Value, PolicyError> {
    let Value::Object(map) = value else {
        return Err(PolicyError::Malformed(
            "the document is not a JSON object".into(),
        ));
    };
    let mut document = canonical_keys(map, DOCUMENT_KEYS, "document")?;
    match document.get_mut("Statement") {
        Some(Value::Array(items)) => {
            for item in items.iter_mut() {
                *item = canonical_statement(std::mem::take(item))?;
            }
        }
        Some(single @ Value::Object(_)) => *single = canonical_statement(std::mem::take(single))?,
        _ => {}
    }
    Ok(Value::Object(document))
}

fn canonical_statement(value: Value) -> Result<Value, PolicyError> {
    match value {
        Value::Object(map) => Ok(Value::Object(canonical_keys(
            map,
            STATEMENT_KEYS,
            "statement",
        )?)),
        other => Ok(other),
    }
}

fn canonical_keys(
    map: Map<String, Value>,
    known: &[&str],
    place: &str,
) -> Result<Map<String, Value>, PolicyError> {
    let mut out = Map::new();
    for (key, value) in map {
        let Some(canonical) = known.iter().find(|k| k.eq_ignore_ascii_case(&key)) else {
            return Err(PolicyError::UnknownKey {
                key,
                place: place.to_owned(),
            });
        };
        out.insert((*canonical).to_owned(), value);
    }
    Ok(out)
}

/// Builds a `Value`, refusing two keys of one object that are equal without regard to
/// case (at any depth).
struct UniqueKeys;

impl<'de> DeserializeSeed<'de> for UniqueKeys {
    type Value = Value;
    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for UniqueKeys {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(UniqueKeys)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        let mut seen: Vec<String> = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            let folded = key.to_lowercase();
            if let Some(first) = seen.iter().position(|k| *k == folded) {
                let earlier = out.keys().nth(first).cloned().unwrap_or_default();
                return Err(de::Error::custom(format!(
                    "duplicate key {key:?} (also {earlier:?}; MinIO would read the later one)"
                )));
            }
            seen.push(folded);
            let value = map.next_value_seed(UniqueKeys)?;
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(json: &str) -> Result<Value, PolicyError> {
        read_document(json.as_bytes())
    }

    #[test]
    fn keys_in_another_case_are_read_as_the_server_reads_them() {
        let doc = read(r#"{"version":"2012-10-17","STATEMENT":[{"effect":"Allow","action":"s3:GetObject","resource":"arn:aws:s3:::a"}]}"#).unwrap();
        assert_eq!(doc["Version"], "2012-10-17");
        assert_eq!(doc["Statement"][0]["Effect"], "Allow");
        assert_eq!(doc["Statement"][0]["Action"], "s3:GetObject");
    }

    #[test]
    fn duplicate_keys_in_any_case_are_refused() {
        for json in [
            r#"{"Version":"1","Statement":[],"statement":[]}"#,
            r#"{"Version":"1","Statement":[{"Effect":"Deny","effect":"Allow"}]}"#,
            r#"{"Version":"1","Statement":[{"Action":"s3:GetObject","Action":"admin:*"}]}"#,
            r#"{"Version":"1","Statement":[{"Condition":{"a":{"k":1,"K":2}}}]}"#,
        ] {
            let error = read(json).unwrap_err();
            assert!(
                error.to_string().contains("duplicate key"),
                "{json}: {error}"
            );
        }
    }

    #[test]
    fn unknown_keys_are_refused_with_their_place() {
        assert_eq!(
            read(r#"{"Version":"1","Statements":[]}"#),
            Err(PolicyError::UnknownKey {
                key: "Statements".into(),
                place: "document".into()
            })
        );
        assert!(matches!(
            read(r#"{"Version":"1","Statement":[{"Effects":"Allow"}]}"#),
            Err(PolicyError::UnknownKey { .. })
        ));
        assert!(matches!(read("[1]"), Err(PolicyError::Malformed(_))));
        assert!(matches!(read("{} x"), Err(PolicyError::NotJson(_))));
    }
}
