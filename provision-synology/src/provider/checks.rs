//! The input checks made before anything is sent: names, plans, texts and the shape of
//! passwords (DSM's live policy is checked by the provider; e-mail addresses by core's
//! one check).

use provision_core::error::{Error, Result};
use provision_core::provider::Plan;
use provision_core::username::Username;
use secrecy::SecretString;

use crate::client::PasswordPolicy;
use crate::NAME_POLICY;

/// DSM's limit on group names (facts sheet §4).
const MAX_GROUP_NAME_CHARS: usize = 32;

/// DSM's limit on descriptions (facts sheet §6).
pub(super) const MAX_DESCRIPTION_CHARS: usize = 64;

/// Groups a plan may never name: `administrators` would make a customer an
/// administrator, `http` is the web server's, and every user is in `users` already.
const SYSTEM_GROUPS: [&str; 3] = ["administrators", "http", "users"];

/// Checks a name against DSM's policy, plus the `sc-` prefix DSM packages hold.
pub(super) fn check_username(user: &Username) -> Result<()> {
    NAME_POLICY.validate(user.as_str())?;
    if user.as_str().starts_with("sc-") {
        return Err(Error::invalid(
            "username",
            "names starting with \"sc-\" belong to DSM packages",
        ));
    }
    Ok(())
}

/// Checks what can be checked of a plan without asking DSM.
pub(super) fn check_plan(field: &'static str, plan: &Plan) -> Result<()> {
    for (i, group) in plan.groups.iter().enumerate() {
        if group.as_str().chars().count() > MAX_GROUP_NAME_CHARS {
            return Err(Error::invalid(
                field,
                format!("group {group} is longer than DSM's {MAX_GROUP_NAME_CHARS} characters"),
            ));
        }
        if SYSTEM_GROUPS
            .iter()
            .any(|s| s.eq_ignore_ascii_case(group.as_str()))
        {
            return Err(Error::invalid(
                field,
                format!("group {group} is a DSM system group, not a plan group"),
            ));
        }
        if plan.groups[..i]
            .iter()
            .any(|g| g.as_str().eq_ignore_ascii_case(group.as_str()))
        {
            return Err(Error::invalid(
                field,
                format!("group {group} is named twice"),
            ));
        }
    }
    if plan.groups.is_empty() && !plan.quota.is_unlimited() {
        return Err(Error::invalid(
            field,
            "a limited plan must name its DSM group: DSM enforces the quota through it",
        ));
    }
    Ok(())
}

/// Checks a free text DSM stores: no control characters, at most `max_chars`.
pub(super) fn check_text(field: &'static str, value: &str, max_chars: usize) -> Result<()> {
    if value.chars().any(char::is_control) {
        return Err(Error::invalid(field, "holds a control character"));
    }
    if value.chars().count() > max_chars {
        return Err(Error::invalid(
            field,
            format!("longer than {max_chars} characters"),
        ));
    }
    Ok(())
}

/// The password checks that need no policy: not empty, at most 127 characters.
pub(super) fn check_password_shape(user: &Username, password: &SecretString) -> Result<()> {
    PasswordPolicy::default()
        .check(user, password)
        .map_err(|v| Error::invalid("password", v.to_string()))
}
