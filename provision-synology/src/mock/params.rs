//! DSM's parameter parser as the mock emulates it (facts sheet §1, §15.3): query string
//! and form body merged; for `requestFormat: JSON` APIs each value is decoded as JSON,
//! falling back to the raw text as a string; Auth and Info values are taken raw.

use std::collections::HashMap;

use serde_json::Value;

/// DSM's "missing required parameter".
pub(crate) const MISSING: i64 = 114;
/// DSM's "invalid parameter or type".
pub(crate) const BAD_TYPE: i64 = 3103;
/// DSM's "bad argument" (e.g. a bare string where an array is required).
pub(crate) const BAD_ARGUMENT: i64 = 3101;

/// The merged parameters of one request.
pub(crate) struct Params {
    raw: HashMap<String, String>,
    json_format: bool,
}

impl Params {
    /// Query pairs first, then form pairs (the body wins on a repeated key).
    pub(crate) fn new(query: &[(String, String)], form: &[(String, String)]) -> Self {
        let raw = query.iter().chain(form.iter()).cloned().collect();
        Params {
            raw,
            json_format: false,
        }
    }

    /// Switches to JSON decoding of values (for `requestFormat: JSON` APIs).
    pub(crate) fn decode_json(&mut self, on: bool) {
        self.json_format = on;
    }

    /// A value exactly as sent.
    pub(crate) fn raw(&self, key: &str) -> Option<&str> {
        self.raw.get(key).map(String::as_str)
    }

    fn value(&self, key: &str) -> Option<Value> {
        let raw = self.raw.get(key)?;
        if !self.json_format {
            return Some(Value::String(raw.clone()));
        }
        Some(serde_json::from_str(raw).unwrap_or_else(|_| Value::String(raw.clone())))
    }

    /// The value as JSON (decoded for `requestFormat: JSON` APIs, else a string).
    pub(crate) fn json(&self, key: &str) -> Option<Value> {
        self.value(key)
    }

    /// An optional string; a number, boolean or array is the wrong type (3103).
    pub(crate) fn string(&self, key: &str) -> Result<Option<String>, i64> {
        match self.value(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(BAD_TYPE),
        }
    }

    /// A required string (114 when absent).
    pub(crate) fn required_string(&self, key: &str) -> Result<String, i64> {
        self.string(key)?.ok_or(MISSING)
    }

    /// An optional boolean: only the JSON literals `true`/`false` (3103 otherwise, e.g.
    /// Python's `True`).
    pub(crate) fn boolean(&self, key: &str) -> Result<Option<bool>, i64> {
        match self.raw.get(key).map(String::as_str) {
            None => Ok(None),
            Some("true") => Ok(Some(true)),
            Some("false") => Ok(Some(false)),
            Some(_) => Err(BAD_TYPE),
        }
    }

    /// An optional integer.
    pub(crate) fn integer(&self, key: &str) -> Result<Option<i64>, i64> {
        match self.value(key) {
            None => Ok(None),
            Some(Value::Number(n)) => n.as_i64().map(Some).ok_or(BAD_TYPE),
            Some(_) => Err(BAD_TYPE),
        }
    }

    /// A JSON array of strings; `bare` is the code for a value that is not an array.
    pub(crate) fn string_array(&self, key: &str, bare: i64) -> Result<Option<Vec<String>>, i64> {
        match self.value(key) {
            None => Ok(None),
            Some(Value::Array(items)) => items
                .into_iter()
                .map(|item| match item {
                    Value::String(s) => Ok(s),
                    _ => Err(BAD_TYPE),
                })
                .collect::<Result<Vec<_>, _>>()
                .map(Some),
            Some(_) => Err(bare),
        }
    }

    /// An array of strings, or one plain string taken as a one-item list (DSM accepts
    /// both for `Group.Member` and `Group get`).
    pub(crate) fn names(&self, key: &str) -> Result<Option<Vec<String>>, i64> {
        match self.value(key) {
            Some(Value::String(s)) => Ok(Some(vec![s])),
            _ => self.string_array(key, BAD_TYPE),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> Params {
        let form: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let mut p = Params::new(&[], &form);
        p.decode_json(true);
        p
    }

    #[test]
    fn json_values_fall_back_to_raw_strings() {
        let p = params(&[
            ("a", "\"alice\""),
            ("b", "alice"),
            ("c", "123"),
            ("d", "[\"x\"]"),
        ]);
        assert_eq!(p.string("a"), Ok(Some("alice".into())));
        assert_eq!(p.string("b"), Ok(Some("alice".into())));
        assert_eq!(
            p.string("c"),
            Err(BAD_TYPE),
            "a bare number is not a string"
        );
        assert_eq!(
            p.string_array("d", BAD_ARGUMENT),
            Ok(Some(vec!["x".into()]))
        );
        assert_eq!(p.string_array("a", BAD_ARGUMENT), Err(BAD_ARGUMENT));
        assert_eq!(p.names("a"), Ok(Some(vec!["alice".into()])));
        assert_eq!(p.required_string("zzz"), Err(MISSING));
    }

    #[test]
    fn booleans_must_be_json_literals() {
        let p = params(&[
            ("t", "true"),
            ("f", "false"),
            ("py", "True"),
            ("s", "\"true\""),
        ]);
        assert_eq!(p.boolean("t"), Ok(Some(true)));
        assert_eq!(p.boolean("f"), Ok(Some(false)));
        assert_eq!(p.boolean("py"), Err(BAD_TYPE));
        assert_eq!(p.boolean("s"), Err(BAD_TYPE));
    }
}
