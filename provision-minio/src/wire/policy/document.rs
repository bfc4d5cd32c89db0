//! Canned policy documents: the built-in standard and limited documents, operator
//! templates with placeholders, and the checks that keep a rendered document inside
//! its user's namespace and away from the bucket features it was not given.

use serde_json::{json, Map, Value};

use super::actions::{
    BucketFeature, BucketFeatures, BYTE_ADDING_ACTIONS, LIMITED_ACTIONS, TENANT_ACTIONS,
};
use super::matcher::wildcard_match;
use super::namespace::Namespace;
use super::strict::read_document;

/// The `Sid` of the statement that denies what a tenant must not do.
pub const DENY_SID: &str = "provision-denied";

/// The placeholder replaced by the user name in a template.
pub const USER_PLACEHOLDER: &str = "{{user}}";

/// The placeholder replaced by the namespace token (the default bucket) in a template.
pub const NAMESPACE_PLACEHOLDER: &str = "{{namespace}}";

/// The policy language version MinIO requires.
pub const POLICY_VERSION: &str = "2012-10-17";

/// Which of a user's two documents is in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PolicyKind {
    /// Full access to the namespace.
    Standard,
    /// Read, list and delete only: the user is over the limit.
    Limited,
}

/// Why a template or a rendered document was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PolicyError {
    /// The template is not JSON.
    #[error("policy template is not JSON: {0}")]
    NotJson(String),
    /// The document lacks `Version` or `Statement`, or a statement is malformed.
    #[error("policy document is malformed: {0}")]
    Malformed(String),
    /// A placeholder other than `{{user}}` and `{{namespace}}`.
    #[error("unknown placeholder in {0:?} (only {{{{user}}}} and {{{{namespace}}}} exist)")]
    UnknownPlaceholder(String),
    /// An Allow statement names a resource outside the user's namespace.
    #[error("resource {resource:?} reaches outside namespace {namespace:?}")]
    ResourceOutsideNamespace {
        /// The rendered resource.
        resource: String,
        /// The namespace token.
        namespace: String,
    },
    /// An Allow statement grants an action tenants must never have.
    #[error(
        "action {0:?} must not be granted to a tenant (no admin actions, no s3:ListAllMyBuckets)"
    )]
    ForbiddenAction(String),
    /// `NotAction` or `NotResource` in an Allow statement grants everything else.
    #[error("{0} in an Allow statement grants everything it does not name")]
    NegatedAllow(&'static str),
    /// An Allow statement grants a bucket feature the operator did not opt into.
    #[error("action {action:?} grants the bucket feature {feature}, which is not opted into (bucket_features)")]
    FeatureNotOptedIn {
        /// The action or pattern.
        action: String,
        /// The feature it grants.
        feature: BucketFeature,
    },
    /// A key MinIO does not know (MinIO refuses unknown keys).
    #[error("unknown key {key:?} in the {place}")]
    UnknownKey {
        /// The key as written.
        key: String,
        /// "document" or "statement".
        place: String,
    },
}

/// A checked policy document, ready to send with add-canned-policy.
///
/// It holds the exact bytes that were checked: the checks ran on what
/// [`PolicyDocument::bytes`] reads as, read as the server reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyDocument {
    bytes: Vec<u8>,
    value: Value,
}

impl PolicyDocument {
    /// The document as JSON.
    pub fn as_json(&self) -> &Value {
        &self.value
    }

    /// The bytes to send: exactly the bytes that were checked.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The document serialised for the request body (a copy of [`Self::bytes`]).
    pub fn to_bytes(&self) -> Vec<u8> {
        self.bytes.clone()
    }

    /// Every action of every Allow statement.
    pub fn allowed_actions(&self) -> Vec<String> {
        statements(&self.value)
            .filter(|s| s.get("Effect").and_then(Value::as_str) == Some("Allow"))
            .flat_map(|s| strings(s.get("Action")))
            .map(str::to_owned)
            .collect()
    }

    /// Every action of every Deny statement.
    pub fn denied_actions(&self) -> Vec<String> {
        statements(&self.value)
            .filter(|s| s.get("Effect").and_then(Value::as_str) == Some("Deny"))
            .flat_map(|s| strings(s.get("Action")))
            .map(str::to_owned)
            .collect()
    }

    /// Every resource of every Allow statement.
    pub fn allowed_resources(&self) -> Vec<String> {
        statements(&self.value)
            .filter(|s| s.get("Effect").and_then(Value::as_str) == Some("Allow"))
            .flat_map(|s| strings(s.get("Resource")))
            .map(str::to_owned)
            .collect()
    }
}

/// An operator-supplied (or built-in) policy with `{{user}}` and `{{namespace}}`
/// placeholders, for one [`PolicyKind`] and the [`BucketFeatures`] the operator opted
/// into.
///
/// Templates are read as MinIO reads them (keys without regard to case, duplicates
/// refused, unknown keys refused). Placeholders are substituted inside the parsed JSON
/// strings, never in the text, so a name can never change the document's structure.
/// A rendered document is rejected when an Allow statement names a resource outside
/// the user's namespace (see [`Namespace::confines`]), grants an `admin:` action
/// (including through `*`) or `s3:ListAllMyBuckets`, grants a bucket feature that was
/// not opted into (so `s3:*` and `s3:Put*` are refused unless every feature they reach
/// is), or uses `NotAction`/`NotResource`. Every rendered document ends with an
/// explicit Deny (`Sid` [`DENY_SID`]) of the features not opted into, and a limited one
/// also denies every action that adds bytes: an explicit Deny wins over any group's
/// policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyTemplate {
    value: Value,
    kind: PolicyKind,
    features: BucketFeatures,
    /// The built-in standard statement, which grants the opted-in features itself.
    builtin: bool,
}

impl PolicyTemplate {
    /// Parses a standard template (see [`Self::for_kind`]) and checks its shape
    /// (`Version`, non-empty `Statement`, each statement with `Effect`), reading it as
    /// the server reads it. Confinement is checked by [`PolicyTemplate::render`].
    pub fn parse(json: &str) -> Result<PolicyTemplate, PolicyError> {
        let value = read_document(json.as_bytes())?;
        check_shape(&value)?;
        Ok(PolicyTemplate {
            value,
            kind: PolicyKind::Standard,
            features: BucketFeatures::none(),
            builtin: false,
        })
    }

    /// The standard document: the tenant allow-list ([`TENANT_ACTIONS`]) on the
    /// namespace resources, plus the actions of the opted-in features (see
    /// [`Self::with_features`]).
    pub fn standard() -> PolicyTemplate {
        PolicyTemplate {
            value: namespace_statement(TENANT_ACTIONS.iter().map(|(a, _)| *a)),
            kind: PolicyKind::Standard,
            features: BucketFeatures::none(),
            builtin: true,
        }
    }

    /// The limited document: read, list and delete on the namespace resources.
    pub fn limited() -> PolicyTemplate {
        PolicyTemplate {
            value: namespace_statement(LIMITED_ACTIONS.iter().copied()),
            kind: PolicyKind::Limited,
            features: BucketFeatures::none(),
            builtin: true,
        }
    }

    /// The built-in template of a kind.
    pub fn builtin(kind: PolicyKind) -> PolicyTemplate {
        match kind {
            PolicyKind::Standard => PolicyTemplate::standard(),
            PolicyKind::Limited => PolicyTemplate::limited(),
        }
    }

    /// The same template used as the document of `kind`.
    pub fn for_kind(mut self, kind: PolicyKind) -> PolicyTemplate {
        self.kind = kind;
        self
    }

    /// The same template with `features` opted into. The built-in standard template
    /// grants their actions; an operator template may then grant them itself.
    pub fn with_features(mut self, features: BucketFeatures) -> PolicyTemplate {
        self.features = features;
        self
    }

    /// The kind this template is the document of.
    pub fn kind(&self) -> PolicyKind {
        self.kind
    }

    /// The features opted into.
    pub fn features(&self) -> &BucketFeatures {
        &self.features
    }

    /// The template as JSON.
    pub fn as_json(&self) -> &Value {
        &self.value
    }

    /// Substitutes the placeholders for `user_name` in `namespace`, adds the Deny
    /// statement, and checks the bytes that will be sent.
    pub fn render(
        &self,
        user_name: &str,
        namespace: &Namespace,
    ) -> Result<PolicyDocument, PolicyError> {
        let mut rendered = substitute(&self.value, user_name, namespace.token())?;
        check_shape(&rendered)?;
        if self.kind == PolicyKind::Standard && self.builtin {
            grant_features(&mut rendered, &self.features);
        }
        let mut denied = self.features.denied_actions();
        if self.kind == PolicyKind::Limited {
            denied = BucketFeatures::none().denied_actions();
            denied.extend(BYTE_ADDING_ACTIONS);
        }
        add_deny(&mut rendered, &denied);
        // What is checked is what is sent: the serialised bytes, read back as the
        // server will read them.
        let bytes = rendered.to_string().into_bytes();
        let value = read_document(&bytes)?;
        check_shape(&value)?;
        check_confined(&value, namespace, &self.features)?;
        Ok(PolicyDocument { bytes, value })
    }
}

fn namespace_statement<'a>(actions: impl Iterator<Item = &'a str>) -> Value {
    let t = NAMESPACE_PLACEHOLDER;
    let actions: Vec<&str> = actions.collect();
    json!({
        "Version": POLICY_VERSION,
        "Statement": [{
            "Effect": "Allow",
            "Action": actions,
            "Resource": [
                format!("arn:aws:s3:::{t}"),
                format!("arn:aws:s3:::{t}/*"),
                format!("arn:aws:s3:::{t}.*"),
            ],
        }],
    })
}

/// Adds the opted-in features' actions to the built-in standard statement.
fn grant_features(document: &mut Value, features: &BucketFeatures) {
    if let Some(Value::Array(actions)) = document.pointer_mut("/Statement/0/Action") {
        actions.extend(
            features
                .granted_actions()
                .into_iter()
                .map(|a| Value::String(a.to_owned())),
        );
    }
}

/// Appends the explicit Deny of `actions` on every bucket and object.
fn add_deny(document: &mut Value, actions: &[&str]) {
    if actions.is_empty() {
        return;
    }
    let deny = json!({
        "Sid": DENY_SID,
        "Effect": "Deny",
        "Action": actions,
        "Resource": ["arn:aws:s3:::*"],
    });
    match document.get_mut("Statement") {
        Some(Value::Array(items)) => items.push(deny),
        Some(single @ Value::Object(_)) => {
            let first = single.take();
            *single = Value::Array(vec![first, deny]);
        }
        _ => {}
    }
}

/// Replaces placeholders in every string value (object keys are left alone).
fn substitute(value: &Value, user_name: &str, token: &str) -> Result<Value, PolicyError> {
    Ok(match value {
        Value::String(s) => Value::String(substitute_str(s, user_name, token)?),
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|v| substitute(v, user_name, token))
                .collect::<Result<_, _>>()?,
        ),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| Ok((k.clone(), substitute(v, user_name, token)?)))
                .collect::<Result<Map<_, _>, PolicyError>>()?,
        ),
        other => other.clone(),
    })
}

fn substitute_str(s: &str, user_name: &str, token: &str) -> Result<String, PolicyError> {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start..];
        if let Some(tail) = after.strip_prefix(USER_PLACEHOLDER) {
            out.push_str(user_name);
            rest = tail;
        } else if let Some(tail) = after.strip_prefix(NAMESPACE_PLACEHOLDER) {
            out.push_str(token);
            rest = tail;
        } else {
            return Err(PolicyError::UnknownPlaceholder(s.to_owned()));
        }
    }
    out.push_str(rest);
    Ok(out)
}

fn statements(doc: &Value) -> impl Iterator<Item = &Value> {
    let list: Vec<&Value> = match doc.get("Statement") {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(single @ Value::Object(_)) => vec![single],
        _ => Vec::new(),
    };
    list.into_iter()
}

/// A string or an array of strings, as IAM allows for Action and Resource.
fn strings(value: Option<&Value>) -> Vec<&str> {
    match value {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

fn check_shape(doc: &Value) -> Result<(), PolicyError> {
    let malformed = |why: &str| Err(PolicyError::Malformed(why.to_owned()));
    if !doc.is_object() {
        return malformed("the document is not a JSON object");
    }
    if doc.get("Version").and_then(Value::as_str).is_none() {
        return malformed("Version is missing");
    }
    let list: Vec<&Value> = statements(doc).collect();
    if list.is_empty() {
        return malformed("Statement is missing or empty");
    }
    for statement in list {
        if !statement.is_object() {
            return malformed("a statement is not an object");
        }
        match statement.get("Effect").and_then(Value::as_str) {
            Some("Allow" | "Deny") => {}
            _ => return malformed("a statement's Effect is not Allow or Deny"),
        }
        if strings(statement.get("Action")).is_empty() && statement.get("NotAction").is_none() {
            return malformed("a statement has no Action");
        }
        for field in ["Action", "Resource"] {
            if let Some(v) = statement.get(field) {
                let all_strings = match v {
                    Value::String(_) => true,
                    Value::Array(items) => items.iter().all(Value::is_string),
                    _ => false,
                };
                if !all_strings {
                    return Err(PolicyError::Malformed(format!(
                        "{field} must be a string or a list of strings"
                    )));
                }
            }
        }
    }
    Ok(())
}

fn check_confined(
    doc: &Value,
    namespace: &Namespace,
    features: &BucketFeatures,
) -> Result<(), PolicyError> {
    for statement in statements(doc) {
        // Deny statements only take rights away.
        if statement.get("Effect").and_then(Value::as_str) != Some("Allow") {
            continue;
        }
        if statement.get("NotAction").is_some() {
            return Err(PolicyError::NegatedAllow("NotAction"));
        }
        if statement.get("NotResource").is_some() {
            return Err(PolicyError::NegatedAllow("NotResource"));
        }
        for action in strings(statement.get("Action")) {
            if is_forbidden_action(action) {
                return Err(PolicyError::ForbiddenAction(action.to_owned()));
            }
            if let Some(feature) = BucketFeature::granted_by(action)
                .into_iter()
                .find(|f| !features.allows(*f))
            {
                return Err(PolicyError::FeatureNotOptedIn {
                    action: action.to_owned(),
                    feature,
                });
            }
        }
        let resources = strings(statement.get("Resource"));
        if resources.is_empty() {
            return Err(PolicyError::Malformed(
                "an Allow statement has no Resource".into(),
            ));
        }
        for resource in resources {
            if !namespace.confines(resource) {
                return Err(PolicyError::ResourceOutsideNamespace {
                    resource: resource.to_owned(),
                    namespace: namespace.token().to_owned(),
                });
            }
        }
    }
    Ok(())
}

/// The first action of an Allow statement in a document as the server sent it that
/// grants an admin action (`admin:*`, `*`, `admin:ServerInfo`, ...), keys read without
/// regard to case.
pub fn admin_action_in(document: &Value) -> Option<String> {
    let field = |v: &'_ Value, name: &str| -> Option<Value> {
        v.as_object()?
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    };
    let list = match field(document, "Statement")? {
        Value::Array(items) => items,
        single @ Value::Object(_) => vec![single],
        _ => return None,
    };
    list.iter()
        .filter(|s| field(s, "Effect").as_ref().and_then(Value::as_str) == Some("Allow"))
        .find_map(|s| {
            let actions = field(s, "Action");
            strings(actions.as_ref())
                .into_iter()
                .find(|a| is_forbidden_action(a) && !a.eq_ignore_ascii_case("s3:ListAllMyBuckets"))
                .map(str::to_owned)
        })
}

/// An admin action, or a pattern that could match one (`*`, `a*`, `admin:*`), or
/// `s3:ListAllMyBuckets` named outright.
fn is_forbidden_action(action: &str) -> bool {
    let action = action.to_ascii_lowercase();
    if action == "s3:listallmybuckets" {
        return true;
    }
    let literal_prefix: &str = action.split(['*', '?']).next().unwrap_or_default();
    let has_wildcard = literal_prefix.len() != action.len();
    action.starts_with("admin:")
        || (has_wildcard && "admin:".starts_with(literal_prefix))
        || wildcard_match(&action, "admin:serverinfo")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ns(token: &str) -> Namespace {
        Namespace::new(token).unwrap()
    }

    #[test]
    fn builtins_render_to_the_namespace_resources() {
        let n = ns("u-12-34");
        let standard = PolicyTemplate::standard().render("12-34", &n).unwrap();
        assert_eq!(standard.allowed_resources(), n.resources().to_vec());
        let allowed = standard.allowed_actions();
        assert_eq!(allowed.len(), TENANT_ACTIONS.len());
        assert!(allowed.iter().all(|a| a != "s3:*"));
        assert!(allowed.contains(&"s3:PutObject".to_owned()));
        assert!(!allowed.contains(&"s3:PutBucketPolicy".to_owned()));
        let limited = PolicyTemplate::limited().render("12-34", &n).unwrap();
        let actions = limited.as_json()["Statement"][0]["Action"].to_string();
        assert!(actions.contains("s3:GetObject") && actions.contains("s3:DeleteObject"));
        assert!(!actions.contains("Put") && !actions.contains("CreateBucket"));
    }

    #[test]
    fn placeholders_are_substituted_inside_strings_only() {
        let t = PolicyTemplate::parse(
            r#"{"Version":"2012-10-17","Statement":[{"Sid":"{{user}}","Effect":"Allow",
                "Action":"s3:GetObject","Resource":"arn:aws:s3:::{{namespace}}/{{user}}/*"}]}"#,
        )
        .unwrap();
        let doc = t.render("alice", &ns("u-alice")).unwrap();
        assert_eq!(
            doc.as_json()["Statement"][0]["Resource"],
            json!("arn:aws:s3:::u-alice/alice/*")
        );
        assert_eq!(doc.as_json()["Statement"][0]["Sid"], json!("alice"));
        // A name that looks like JSON stays a string.
        let doc = t.render("a\",\"Effect\":\"x", &ns("u-alice")).unwrap();
        assert_eq!(doc.as_json()["Statement"][0]["Effect"], json!("Allow"));
    }

    #[test]
    fn unsafe_templates_are_rejected() {
        let n = ns("12-3");
        let render = |json: &str| PolicyTemplate::parse(json).and_then(|t| t.render("12-3", &n));
        let cases = [
            (
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::{{user}}*"}]}"#,
                "prefix hazard",
            ),
            (
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::*"}]}"#,
                "everything",
            ),
            (
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"arn:aws:s3:::{{namespace}}"}]}"#,
                "list all",
            ),
            (
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"admin:*","Resource":"arn:aws:s3:::{{namespace}}"}]}"#,
                "admin",
            ),
            (
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"arn:aws:s3:::{{namespace}}"}]}"#,
                "star",
            ),
            (
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"adm*","Resource":"arn:aws:s3:::{{namespace}}"}]}"#,
                "adm*",
            ),
            (
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":"s3:PutObject","Resource":"arn:aws:s3:::{{namespace}}"}]}"#,
                "not action",
            ),
            (
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","NotResource":"arn:aws:s3:::{{namespace}}"}]}"#,
                "not resource",
            ),
            (
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::{{namespace}}/${aws:username}"}]}"#,
                "variable",
            ),
            (
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject"}]}"#,
                "no resource",
            ),
            (
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::{{bucket}}"}]}"#,
                "unknown placeholder",
            ),
            (
                r#"{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::{{namespace}}"}]}"#,
                "no version",
            ),
            (
                r#"{"Version":"2012-10-17","Statement":[]}"#,
                "no statements",
            ),
            (r#"[1,2]"#, "not an object"),
            (r#"{"Version":"#, "not json"),
        ];
        for (json, why) in cases {
            assert!(render(json).is_err(), "{why} must be rejected");
        }
    }

    #[test]
    fn documents_deny_the_features_not_opted_into() {
        let n = ns("u-12-34");
        let standard = PolicyTemplate::standard().render("12-34", &n).unwrap();
        let denied = standard.denied_actions();
        for action in [
            "s3:PutBucketPolicy",
            "s3:DeleteBucketPolicy",
            "s3:PutObjectRetention",
            "s3:PutObjectLegalHold",
            "s3:BypassGovernanceRetention",
            "s3:PutBucketObjectLockConfiguration",
            "s3:PutReplicationConfiguration",
            "s3:PutBucketNotification",
            "s3:PutEncryptionConfiguration",
            "s3:PutBucketQOS",
            "s3:PutInventoryConfiguration",
            "s3:PutObjectFanOut",
        ] {
            assert!(denied.contains(&action.to_owned()), "{action}");
        }
        let deny = &standard.as_json()["Statement"][1];
        assert_eq!(deny["Sid"], DENY_SID);
        assert_eq!(deny["Resource"], json!(["arn:aws:s3:::*"]));

        // Opting in grants the feature and leaves it out of the Deny.
        let lock = BucketFeatures::of([BucketFeature::ObjectLock]);
        let doc = PolicyTemplate::standard()
            .with_features(lock.clone())
            .render("12-34", &n)
            .unwrap();
        assert!(doc
            .allowed_actions()
            .contains(&"s3:PutObjectRetention".to_owned()));
        assert!(!doc
            .denied_actions()
            .contains(&"s3:PutObjectRetention".to_owned()));
        assert!(doc
            .denied_actions()
            .contains(&"s3:PutBucketPolicy".to_owned()));

        // The limited document denies every route for bytes, opted in or not.
        let limited = PolicyTemplate::limited()
            .with_features(lock)
            .render("12-34", &n)
            .unwrap();
        for action in BYTE_ADDING_ACTIONS
            .iter()
            .chain(["s3:PutObjectRetention"].iter())
        {
            assert!(
                limited.denied_actions().contains(&action.to_string()),
                "{action}"
            );
        }
        assert!(limited.allowed_actions().iter().all(|a| !a.contains("Put")));
    }

    #[test]
    fn operator_templates_may_not_grant_features_without_the_opt_in() {
        let n = ns("12-3");
        let template = |action: &str| {
            PolicyTemplate::parse(&format!(
                r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"{action}","Resource":"arn:aws:s3:::{{{{namespace}}}}/*"}}]}}"#
            ))
            .unwrap()
        };
        for action in [
            "s3:*",
            "s3:Put*",
            "s3:PutBucketPolicy",
            "S3:PUTOBJECTRETENTION",
        ] {
            let error = template(action).render("12-3", &n).unwrap_err();
            assert!(
                matches!(error, PolicyError::FeatureNotOptedIn { .. }),
                "{action}: {error}"
            );
        }
        let policy = BucketFeatures::of([BucketFeature::BucketPolicy]);
        assert!(template("s3:PutBucketPolicy")
            .with_features(policy)
            .render("12-3", &n)
            .is_ok());
        let all = BucketFeatures::of(BucketFeature::ALL);
        assert!(template("s3:*")
            .with_features(all)
            .render("12-3", &n)
            .is_ok());
        assert!(template("s3:GetObject").render("12-3", &n).is_ok());
    }

    #[test]
    fn templates_are_read_as_the_server_reads_them() {
        let n = ns("12-3");
        // A safe Statement followed by one in lower case that grants everything, an
        // Effect overridden in another case, an admin action under a lower-case key.
        let attacks = [
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::{{namespace}}/*"}],"statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::*"}]}"#,
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::*"}]}"#,
        ];
        for json in attacks {
            let error = PolicyTemplate::parse(json).unwrap_err();
            assert!(error.to_string().contains("duplicate key"), "{error}");
        }
        // A key in another case alone is read as the field it names, and checked.
        let lower = r#"{"version":"2012-10-17","statement":[{"effect":"Allow","action":["admin:*"],"resource":"arn:aws:s3:::{{namespace}}"}]}"#;
        let error = PolicyTemplate::parse(lower)
            .and_then(|t| t.render("12-3", &n))
            .unwrap_err();
        assert_eq!(error, PolicyError::ForbiddenAction("admin:*".into()));
        let lower = r#"{"version":"2012-10-17","statement":[{"effect":"Allow","action":"s3:GetObject","resource":"arn:aws:s3:::*"}]}"#;
        assert!(matches!(
            PolicyTemplate::parse(lower).and_then(|t| t.render("12-3", &n)),
            Err(PolicyError::ResourceOutsideNamespace { .. })
        ));
    }

    #[test]
    fn admin_actions_are_found_in_server_documents() {
        let console_admin = json!({"Version":"2012-10-17","Statement":[
            {"Effect":"Allow","Action":["admin:*"]},
            {"Effect":"Allow","Action":["s3:*"],"Resource":["arn:aws:s3:::*"]}]});
        assert_eq!(admin_action_in(&console_admin).as_deref(), Some("admin:*"));
        let lower = json!({"statement":{"effect":"Allow","action":"admin:ServerInfo"}});
        assert_eq!(admin_action_in(&lower).as_deref(), Some("admin:ServerInfo"));
        let star = json!({"Statement":[{"Effect":"Allow","Action":"*"}]});
        assert_eq!(admin_action_in(&star).as_deref(), Some("*"));
        let denied = json!({"Statement":[{"Effect":"Deny","Action":"admin:*"}]});
        assert_eq!(admin_action_in(&denied), None);
        let tenant = PolicyTemplate::standard()
            .render("ab-c", &ns("ab-c"))
            .unwrap();
        assert_eq!(admin_action_in(tenant.as_json()), None);
    }

    #[test]
    fn the_bytes_sent_are_the_bytes_checked() {
        let n = ns("12-3");
        let doc = PolicyTemplate::standard().render("12-3", &n).unwrap();
        let reread = read_document(doc.bytes()).unwrap();
        assert_eq!(&reread, doc.as_json());
        assert_eq!(doc.to_bytes(), doc.bytes());
        // The canonical spelling is what goes out.
        let t = PolicyTemplate::parse(r#"{"version":"2012-10-17","statement":{"effect":"Allow","action":"s3:GetObject","resource":"arn:aws:s3:::{{namespace}}/*"}}"#).unwrap();
        let text = String::from_utf8(t.render("12-3", &n).unwrap().to_bytes()).unwrap();
        assert!(
            text.contains("\"Statement\"") && !text.contains("\"statement\""),
            "{text}"
        );
    }

    #[test]
    fn deny_statements_may_name_anything() {
        let t = PolicyTemplate::parse(
            r#"{"Version":"2012-10-17","Statement":[
                {"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":["arn:aws:s3:::{{namespace}}/*"]},
                {"Effect":"Deny","Action":"*","Resource":"arn:aws:s3:::*"}]}"#,
        )
        .unwrap();
        assert!(t.render("12-3", &ns("12-3")).is_ok());
    }
}
