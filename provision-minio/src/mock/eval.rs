//! The mock's own policy reader and evaluator, for canned (IAM) policies and bucket
//! policies. It does not use the library's policy code.
//!
//! Reading follows MinIO, which decodes a document with Go's `encoding/json` into
//! structs and refuses unknown fields (minio/pkg `policy.ParseConfig`,
//! `DisallowUnknownFields`; sheet §8 "How MinIO reads a policy document's keys"):
//! object keys name fields without regard to case (Go folds each character as
//! upper(lower(c)), so `ſ` reads as `S` and the Kelvin sign as `K`); when a field
//! occurs twice, in any case, the later value replaces the earlier one; a key that
//! names no field fails the document. The bytes are walked in the order received.
//! Not modelled: Go decodes a repeated array into the elements of the earlier one
//! (merging their fields); here the later array replaces the earlier one.
//!
//! Evaluation (sheet §8): the union of the user's and its enabled groups' policies
//! and the bucket's policy (statements whose Principal names the caller, or `*`);
//! an explicit Deny wins over any Allow; Conditions are not evaluated (a statement
//! with a Condition applies as if it held). Anonymous requests are judged by the
//! bucket policy alone, and only statements with the Principal `*` apply to them.

use std::fmt;

use serde::de::{self, DeserializeSeed, Error as _, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserializer;

use super::matching::{resource_matches, wildcard_match};
use super::state::State;

/// Who sent a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Principal<'a> {
    /// The root credentials: always allowed.
    Root,
    /// A user, by access key.
    User(&'a str),
    /// No signature at all.
    Anonymous,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Effect {
    Allow,
    Deny,
}

/// `Action` or `NotAction` (likewise for resources): the patterns and whether they
/// are negated.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct PatternSet {
    patterns: Vec<String>,
    negated: bool,
}

impl PatternSet {
    fn covers(&self, text: &str, matches: impl Fn(&str, &str) -> bool) -> bool {
        self.patterns.iter().any(|p| matches(p, text)) != self.negated
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Statement {
    effect: Effect,
    actions: PatternSet,
    resources: Option<PatternSet>,
    /// `Principal.AWS` patterns (`*` for everyone); `None` when absent.
    principals: Option<Vec<String>>,
}

/// A policy document as the server read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Policy {
    statements: Vec<Statement>,
}

/// Why a document is refused; the message goes into the server's error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct PolicyParseError(pub(super) String);

impl fmt::Display for PolicyParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Which kind of document is read: bucket policies need a Principal in every
/// statement and resources inside their bucket.
#[derive(Debug, Clone, Copy)]
pub(super) enum DocumentKind<'a> {
    Canned,
    Bucket(&'a str),
}

/// Go's key folding: each character as upper(lower(c)).
fn fold(key: &str) -> String {
    key.chars()
        .flat_map(char::to_lowercase)
        .flat_map(char::to_uppercase)
        .collect()
}

fn field_of(key: &str, fields: &'static [&'static str]) -> Option<&'static str> {
    let folded = fold(key);
    fields
        .iter()
        .copied()
        .find(|field| field.to_ascii_uppercase() == folded)
}

const POLICY_FIELDS: &[&str] = &["Version", "ID", "Statement"];
const STATEMENT_FIELDS: &[&str] = &[
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

/// A string or an array of strings, as `ActionSet`/`ResourceSet` accept.
struct StringOrList(Vec<String>);

impl<'de> de::Deserialize<'de> for StringOrList {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = StringOrList;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string or an array of strings")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<StringOrList, E> {
                Ok(StringOrList(vec![s.to_owned()]))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<StringOrList, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element::<String>()? {
                    items.push(item);
                }
                Ok(StringOrList(items))
            }
        }
        d.deserialize_any(V)
    }
}

/// `"*"` or `{"AWS": "*" | [..]}` (keys folded as everywhere else).
struct PrincipalField(Vec<String>);

impl<'de> de::Deserialize<'de> for PrincipalField {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = PrincipalField;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("\"*\" or an object with AWS")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<PrincipalField, E> {
                if s == "*" {
                    Ok(PrincipalField(vec!["*".to_owned()]))
                } else {
                    Err(E::custom(format!("invalid principal {s:?}")))
                }
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<PrincipalField, A::Error> {
                let mut aws = None;
                while let Some(key) = map.next_key::<String>()? {
                    match field_of(&key, &["AWS"]) {
                        Some(_) => aws = Some(map.next_value::<StringOrList>()?.0),
                        None => return Err(A::Error::custom(format!("unknown principal {key:?}"))),
                    }
                }
                aws.map(PrincipalField)
                    .ok_or_else(|| A::Error::custom("principal has no AWS"))
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Default)]
struct RawStatement {
    effect: Option<String>,
    action: Option<Vec<String>>,
    not_action: Option<Vec<String>>,
    resource: Option<Vec<String>>,
    not_resource: Option<Vec<String>>,
    principal: Option<Vec<String>>,
}

impl<'de> de::Deserialize<'de> for RawStatement {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawStatement;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a statement object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawStatement, A::Error> {
                let mut s = RawStatement::default();
                while let Some(key) = map.next_key::<String>()? {
                    match field_of(&key, STATEMENT_FIELDS) {
                        Some("Effect") => s.effect = Some(map.next_value()?),
                        Some("Action") => s.action = Some(map.next_value::<StringOrList>()?.0),
                        Some("NotAction") => {
                            s.not_action = Some(map.next_value::<StringOrList>()?.0)
                        }
                        Some("Resource") => s.resource = Some(map.next_value::<StringOrList>()?.0),
                        Some("NotResource") => {
                            s.not_resource = Some(map.next_value::<StringOrList>()?.0)
                        }
                        Some("Principal") => {
                            s.principal = Some(map.next_value::<PrincipalField>()?.0)
                        }
                        Some("Sid") => drop(map.next_value::<String>()?),
                        Some(_) => drop(map.next_value::<IgnoredAny>()?),
                        None => {
                            return Err(A::Error::custom(format!("unknown field {key:?}")));
                        }
                    }
                }
                Ok(s)
            }
        }
        d.deserialize_map(V)
    }
}

#[derive(Default)]
struct RawPolicy {
    version: Option<String>,
    statements: Option<Vec<RawStatement>>,
}

struct Statements;

impl<'de> DeserializeSeed<'de> for Statements {
    type Value = Vec<RawStatement>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        // Go decodes `Statement` into a slice: an array, nothing else.
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Vec<RawStatement>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an array of statements")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element::<RawStatement>()? {
                    items.push(item);
                }
                Ok(items)
            }
        }
        d.deserialize_seq(V)
    }
}

impl<'de> de::Deserialize<'de> for RawPolicy {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawPolicy;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a policy object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawPolicy, A::Error> {
                let mut p = RawPolicy::default();
                while let Some(key) = map.next_key::<String>()? {
                    match field_of(&key, POLICY_FIELDS) {
                        Some("Version") => p.version = Some(map.next_value()?),
                        Some("Statement") => p.statements = Some(map.next_value_seed(Statements)?),
                        Some(_) => drop(map.next_value::<IgnoredAny>()?),
                        None => {
                            return Err(A::Error::custom(format!("unknown field {key:?}")));
                        }
                    }
                }
                Ok(p)
            }
        }
        d.deserialize_map(V)
    }
}

fn pattern_set(
    plain: Option<Vec<String>>,
    negated: Option<Vec<String>>,
    what: &str,
) -> Result<Option<PatternSet>, PolicyParseError> {
    match (plain, negated) {
        (Some(_), Some(_)) => Err(PolicyParseError(format!(
            "a statement has both {what} and Not{what}"
        ))),
        (Some(patterns), None) => Ok(Some(PatternSet {
            patterns,
            negated: false,
        })),
        (None, Some(patterns)) => Ok(Some(PatternSet {
            patterns,
            negated: true,
        })),
        (None, None) => Ok(None),
    }
}

impl Policy {
    /// Reads `bytes` as the server does, or says why it refuses them.
    pub(super) fn parse(bytes: &[u8], kind: DocumentKind<'_>) -> Result<Policy, PolicyParseError> {
        let raw: RawPolicy =
            serde_json::from_slice(bytes).map_err(|e| PolicyParseError(e.to_string()))?;
        if raw.version.as_deref().is_none_or(str::is_empty) {
            return Err(PolicyParseError("Version is missing".to_owned()));
        }
        let raw_statements = raw.statements.unwrap_or_default();
        if raw_statements.is_empty() {
            return Err(PolicyParseError("Statement is missing or empty".to_owned()));
        }
        let mut statements = Vec::with_capacity(raw_statements.len());
        for s in raw_statements {
            let effect = match s.effect.as_deref() {
                Some("Allow") => Effect::Allow,
                Some("Deny") => Effect::Deny,
                _ => return Err(PolicyParseError("Effect must be Allow or Deny".to_owned())),
            };
            let actions = pattern_set(s.action, s.not_action, "Action")?
                .filter(|set| !set.patterns.is_empty())
                .ok_or_else(|| PolicyParseError("a statement has no Action".to_owned()))?;
            let resources = pattern_set(s.resource, s.not_resource, "Resource")?;
            if let DocumentKind::Bucket(bucket) = kind {
                if s.principal.is_none() {
                    return Err(PolicyParseError("a statement has no Principal".to_owned()));
                }
                check_bucket_resources(resources.as_ref(), bucket)?;
            }
            statements.push(Statement {
                effect,
                actions,
                resources,
                principals: s.principal,
            });
        }
        Ok(Policy { statements })
    }

    /// The effect of the statements that apply to `principal` doing `action` on
    /// `resource`: `Some(Deny)` if any Deny applies, else `Some(Allow)` if any Allow
    /// does, else `None`. `bucket_policy` says whether Principal must name the caller.
    fn decide(
        &self,
        principal: Principal<'_>,
        bucket_policy: bool,
        action: &str,
        resource: &str,
    ) -> Option<Effect> {
        let mut decision = None;
        for statement in &self.statements {
            if bucket_policy && !names(statement.principals.as_deref(), principal) {
                continue;
            }
            let action_ok = statement.actions.covers(action, wildcard_match);
            let resource_ok = statement
                .resources
                .as_ref()
                .is_some_and(|set| set.covers(resource, resource_matches));
            if action_ok && resource_ok {
                if statement.effect == Effect::Deny {
                    return Some(Effect::Deny);
                }
                decision = Some(Effect::Allow);
            }
        }
        decision
    }

    /// Whether some Allow statement has the Principal `*` (anyone, anonymous too).
    pub(super) fn is_public(&self) -> bool {
        self.statements.iter().any(|s| {
            s.effect == Effect::Allow && names(s.principals.as_deref(), Principal::Anonymous)
        })
    }
}

/// Whether a bucket policy statement's Principal covers `principal`. Anonymous
/// requests are covered only by `*` itself; users by any pattern matching their name.
fn names(principals: Option<&[String]>, principal: Principal<'_>) -> bool {
    let Some(patterns) = principals else {
        return false;
    };
    match principal {
        Principal::Root => true,
        Principal::Anonymous => patterns.iter().any(|p| p == "*"),
        Principal::User(name) => patterns.iter().any(|p| wildcard_match(p, name)),
    }
}

/// MinIO refuses a bucket policy whose resources reach outside its bucket
/// (`MalformedPolicy`, "Policy has invalid resource").
fn check_bucket_resources(
    resources: Option<&PatternSet>,
    bucket: &str,
) -> Result<(), PolicyParseError> {
    let invalid = || PolicyParseError("Policy has invalid resource.".to_owned());
    let set = resources.ok_or_else(invalid)?;
    for pattern in &set.patterns {
        let inside = pattern
            .strip_prefix("arn:aws:s3:::")
            .map(|rest| rest.split('/').next().unwrap_or_default())
            .is_some_and(|bucket_part| bucket_part == bucket);
        if !inside {
            return Err(invalid());
        }
    }
    Ok(())
}

/// The bucket of a resource (`bucket` or `bucket/key`).
fn bucket_of(resource: &str) -> &str {
    resource.split('/').next().unwrap_or_default()
}

/// Whether `principal` may do `action` (`s3:PutObject`) on `resource` (`bucket`,
/// `bucket/key`, or empty for `s3:ListAllMyBuckets`).
pub(super) fn is_allowed(
    state: &State,
    principal: Principal<'_>,
    action: &str,
    resource: &str,
) -> bool {
    let mut decisions: Vec<Option<Effect>> = Vec::new();
    match principal {
        Principal::Root => return true,
        Principal::User(user) => {
            let Some(record) = state.users.get(user) else {
                return false;
            };
            let mut names: Vec<&str> = record.policies.iter().map(String::as_str).collect();
            for group in state.groups.values() {
                if group.enabled && group.members.contains(user) {
                    names.extend(group.policies.iter().map(String::as_str));
                }
            }
            for name in names {
                if let Some(policy) = state.policies.get(name) {
                    decisions.push(policy.parsed.decide(principal, false, action, resource));
                }
            }
        }
        Principal::Anonymous => {}
    }
    if let Some(policy) = state
        .buckets
        .get(bucket_of(resource))
        .and_then(|b| b.policy.as_ref())
    {
        decisions.push(policy.parsed.decide(principal, true, action, resource));
    }
    if decisions.contains(&Some(Effect::Deny)) {
        return false;
    }
    decisions.contains(&Some(Effect::Allow))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canned(text: &str) -> Result<Policy, PolicyParseError> {
        Policy::parse(text.as_bytes(), DocumentKind::Canned)
    }

    fn allows(policy: &Policy, action: &str, resource: &str) -> bool {
        policy.decide(Principal::User("u"), false, action, resource) == Some(Effect::Allow)
    }

    #[test]
    fn keys_are_folded_and_the_later_one_wins() {
        let p = canned(
            r#"{"Version":"2012-10-17",
                "Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::t/*"}],
                "statement":[{"Effect":"Allow","Action":["s3:*"],"Resource":["arn:aws:s3:::*"]}]}"#,
        )
        .unwrap();
        assert!(allows(&p, "s3:PutObject", "other/k"));

        let p = canned(
            r#"{"Version":"2012-10-17","Statement":[
                {"Effect":"Deny","effect":"Allow","ACTION":"s3:*","reSource":"arn:aws:s3:::*"}]}"#,
        )
        .unwrap();
        assert!(allows(&p, "s3:PutObject", "x/y"));

        // `ſ` folds to `S`, the Kelvin sign to `K`, as in Go.
        assert_eq!(fold("\u{17f}tatement"), "STATEMENT");
        assert_eq!(field_of("\u{212a}", &["K"]), Some("K"));
    }

    #[test]
    fn unknown_fields_and_bad_shapes_are_refused() {
        for bad in [
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Extra":1}]}"#,
            r#"{"Version":"2012-10-17","Statement":[],"Other":1}"#,
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*"}}"#,
            r#"{"Statement":[{"Effect":"Allow","Action":"s3:*"}]}"#,
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"allow","Action":"s3:*"}]}"#,
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow"}]}"#,
            "not json",
        ] {
            assert!(canned(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn not_action_and_deny() {
        let p = canned(
            r#"{"Version":"2012-10-17","Statement":[
                {"Effect":"Allow","NotAction":"s3:PutBucketPolicy","Resource":"arn:aws:s3:::t*"},
                {"Effect":"Deny","Action":"s3:DeleteObject","Resource":"arn:aws:s3:::t/keep"}]}"#,
        )
        .unwrap();
        assert!(allows(&p, "s3:GetObject", "t/a"));
        assert!(!allows(&p, "s3:PutBucketPolicy", "t"));
        assert_eq!(
            p.decide(Principal::User("u"), false, "s3:DeleteObject", "t/keep"),
            Some(Effect::Deny)
        );
    }

    #[test]
    fn bucket_policies_need_principals_and_their_own_bucket() {
        let public = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":["*"]},"Action":["s3:PutObject"],"Resource":["arn:aws:s3:::t/*"]}]}"#;
        let p = Policy::parse(public.as_bytes(), DocumentKind::Bucket("t")).unwrap();
        assert!(p.is_public());
        assert_eq!(
            p.decide(Principal::Anonymous, true, "s3:PutObject", "t/k"),
            Some(Effect::Allow)
        );
        assert!(Policy::parse(public.as_bytes(), DocumentKind::Bucket("u")).is_err());
        let named = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"bob"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::t/*"}]}"#;
        let p = Policy::parse(named.as_bytes(), DocumentKind::Bucket("t")).unwrap();
        assert!(!p.is_public());
        assert_eq!(
            p.decide(Principal::Anonymous, true, "s3:GetObject", "t/k"),
            None
        );
        assert_eq!(
            p.decide(Principal::User("bob"), true, "s3:GetObject", "t/k"),
            Some(Effect::Allow)
        );
        let no_principal = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::t/*"}]}"#;
        assert!(Policy::parse(no_principal.as_bytes(), DocumentKind::Bucket("t")).is_err());
    }
}
