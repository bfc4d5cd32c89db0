//! Canned policy documents: the built-in standard and limited documents, operator
//! templates with placeholders, and the checks that keep a rendered document inside
//! its user's namespace.

use serde_json::{json, Map, Value};

use super::matcher::wildcard_match;
use super::namespace::Namespace;

/// The placeholder replaced by the user name in a template.
pub const USER_PLACEHOLDER: &str = "{{user}}";

/// The placeholder replaced by the namespace token (the default bucket) in a template.
pub const NAMESPACE_PLACEHOLDER: &str = "{{namespace}}";

/// The policy language version MinIO requires.
pub const POLICY_VERSION: &str = "2012-10-17";

/// What the limited (over-quota) document keeps: reading, listing and deleting.
const LIMITED_ACTIONS: [&str; 10] = [
    "s3:GetBucketLocation",
    "s3:ListBucket",
    "s3:ListBucketVersions",
    "s3:ListBucketMultipartUploads",
    "s3:ListMultipartUploadParts",
    "s3:GetObject",
    "s3:GetObjectVersion",
    "s3:DeleteObject",
    "s3:DeleteObjectVersion",
    "s3:AbortMultipartUpload",
];

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
}

/// A checked policy document, ready to send with add-canned-policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyDocument(Value);

impl PolicyDocument {
    /// The document as JSON.
    pub fn as_json(&self) -> &Value {
        &self.0
    }

    /// The document serialised for the request body.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.0.to_string().into_bytes()
    }

    /// Every resource of every Allow statement.
    pub fn allowed_resources(&self) -> Vec<String> {
        statements(&self.0)
            .filter(|s| s.get("Effect").and_then(Value::as_str) == Some("Allow"))
            .flat_map(|s| strings(s.get("Resource")))
            .map(str::to_owned)
            .collect()
    }
}

/// An operator-supplied (or built-in) policy with `{{user}}` and `{{namespace}}`
/// placeholders.
///
/// Placeholders are substituted inside the parsed JSON strings, never in the text, so a
/// name can never change the document's structure. A rendered document is rejected
/// when an Allow statement names a resource outside the user's namespace (see
/// [`Namespace::confines`]), grants an `admin:` action (including through `*`) or
/// `s3:ListAllMyBuckets`, or uses `NotAction`/`NotResource`. `s3:*` on namespace
/// resources is fine: MinIO checks `s3:ListAllMyBuckets` against no bucket, which
/// no namespace resource matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyTemplate(Value);

impl PolicyTemplate {
    /// Parses a template and checks its shape (`Version`, non-empty `Statement`, each
    /// statement with `Effect`). Confinement is checked by [`PolicyTemplate::render`].
    pub fn parse(json: &str) -> Result<PolicyTemplate, PolicyError> {
        let value: Value =
            serde_json::from_str(json).map_err(|e| PolicyError::NotJson(e.to_string()))?;
        check_shape(&value)?;
        Ok(PolicyTemplate(value))
    }

    /// The standard document: `s3:*` on the namespace resources.
    pub fn standard() -> PolicyTemplate {
        PolicyTemplate(namespace_statement(&["s3:*"]))
    }

    /// The limited document: read, list and delete on the namespace resources.
    pub fn limited() -> PolicyTemplate {
        PolicyTemplate(namespace_statement(&LIMITED_ACTIONS))
    }

    /// The built-in template of a kind.
    pub fn builtin(kind: PolicyKind) -> PolicyTemplate {
        match kind {
            PolicyKind::Standard => PolicyTemplate::standard(),
            PolicyKind::Limited => PolicyTemplate::limited(),
        }
    }

    /// The template as JSON.
    pub fn as_json(&self) -> &Value {
        &self.0
    }

    /// Substitutes the placeholders for `user_name` in `namespace` and checks the result.
    pub fn render(
        &self,
        user_name: &str,
        namespace: &Namespace,
    ) -> Result<PolicyDocument, PolicyError> {
        let rendered = substitute(&self.0, user_name, namespace.token())?;
        check_shape(&rendered)?;
        check_confined(&rendered, namespace)?;
        Ok(PolicyDocument(rendered))
    }
}

fn namespace_statement(actions: &[&str]) -> Value {
    let t = NAMESPACE_PLACEHOLDER;
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

fn check_confined(doc: &Value, namespace: &Namespace) -> Result<(), PolicyError> {
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
        assert_eq!(
            standard.as_json()["Statement"][0]["Action"],
            json!(["s3:*"])
        );
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
