//! The admin API v3 routes of the mock, with MinIO's rules and codes (and RustFS's
//! differences where the dialect says so).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{SecondsFormat, Utc};
use secrecy::SecretString;
use serde::Deserialize;
use serde_json::{json, Map, Value};

use super::eval::{DocumentKind, Policy};
use super::reply::{errors, ApiError, Reply};
use super::request::Ctx;
use super::state::{
    access_key_problem, secret_key_problem, GroupRecord, PolicyRecord, State, UserRecord,
    MINIO_VERSION, RUSTFS_VERSION,
};
use super::Dialect;
use crate::wire::madmin::{self, Algorithm};

/// The largest encrypted admin body MinIO accepts.
const MAX_ADMIN_BODY: usize = 262_272;

fn now_text() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn required<'a>(ctx: &'a Ctx<'_>, name: &str) -> Result<&'a str, ApiError> {
    ctx.query
        .get(name)
        .ok_or_else(|| errors::invalid_argument(&format!("{name} is missing")))
}

fn check_content_length(ctx: &Ctx<'_>) -> Result<(), ApiError> {
    match ctx.content_length() {
        Some(len) if len <= MAX_ADMIN_BODY => Ok(()),
        _ => Err(errors::too_large()),
    }
}

/// Decrypts a madmin body with the signer's secret, as the server's `DecryptData`.
fn open(state: &State, ctx: &Ctx<'_>) -> Result<Vec<u8>, ApiError> {
    let algorithm = madmin::algorithm_of(ctx.body).map_err(|e| errors::bad_json(&e.to_string()))?;
    if algorithm == Algorithm::Pbkdf2AesGcm && !state.options.accepts_pbkdf2 {
        return Err(errors::bad_json("unknown encryption algorithm id 2"));
    }
    madmin::decrypt(&ctx.caller_secret, ctx.body).map_err(|e| errors::bad_json(&e.to_string()))
}

fn seal(state: &State, ctx: &Ctx<'_>, value: &Value) -> Result<Reply, ApiError> {
    madmin::encrypt(
        &ctx.caller_secret,
        value.to_string().as_bytes(),
        state.options.reply_algorithm,
    )
    .map(Reply::encrypted)
    .map_err(|e| ApiError::new(500, "InternalError", e.to_string()))
}

fn user_json(state: &State, name: &str, user: &UserRecord) -> Value {
    let mut out = Map::new();
    if !user.policies.is_empty() {
        out.insert("policyName".into(), json!(user.policies.join(",")));
    }
    out.insert(
        "status".into(),
        json!(if user.enabled { "enabled" } else { "disabled" }),
    );
    let groups = state.groups_of(name);
    if !groups.is_empty() {
        out.insert("memberOf".into(), json!(groups));
    }
    out.insert(
        "updatedAt".into(),
        json!(user.updated_at.to_rfc3339_opts(SecondsFormat::Secs, true)),
    );
    Value::Object(out)
}

/// Dispatches an admin call (`endpoint` is the path after the prefix).
pub(super) fn handle(state: &mut State, ctx: &Ctx<'_>, endpoint: &str) -> Result<Reply, ApiError> {
    if !ctx.is_root {
        // The mock's only administrator is the root user.
        return Err(errors::access_denied());
    }
    match (ctx.method, endpoint) {
        ("GET", "info") => Ok(info(state, ctx)),
        ("PUT", "add-user") => add_user(state, ctx),
        ("GET", "user-info") => user_info(state, ctx),
        ("GET", "list-users") => list_users(state, ctx),
        ("PUT", "set-user-status") => set_user_status(state, ctx),
        ("DELETE", "remove-user") => remove_user(state, ctx),
        ("PUT", "add-canned-policy") => add_canned_policy(state, ctx),
        ("GET", "info-canned-policy") => info_canned_policy(state, ctx),
        ("GET", "list-canned-policies") => Ok(Reply::json(&Value::Object(
            state
                .policies
                .iter()
                .map(|(name, p)| (name.clone(), p.document.clone()))
                .collect(),
        ))),
        ("DELETE", "remove-canned-policy") => remove_canned_policy(state, ctx),
        ("POST", "idp/builtin/policy/attach") if !state.options.legacy_policy_api => {
            attach_detach(state, ctx, true)
        }
        ("POST", "idp/builtin/policy/detach") if !state.options.legacy_policy_api => {
            attach_detach(state, ctx, false)
        }
        ("POST", "idp/builtin/policy/attach" | "idp/builtin/policy/detach") => {
            // What a server from before RELEASE.2023-01-02 answers.
            Err(ApiError::new(
                426,
                "XMinioAdminVersionMismatch",
                "This 'admin' API is not supported by server in 'mode-server-xl'",
            ))
        }
        ("PUT", "set-user-or-group-policy") => set_policy(state, ctx),
        ("PUT", "update-group-members") => update_group_members(state, ctx),
        ("GET", "group") => group_info(state, ctx),
        ("GET", "groups") => Ok(Reply::json(&json!(state.groups.keys().collect::<Vec<_>>()))),
        ("PUT", "set-group-status") => set_group_status(state, ctx),
        ("GET", "datausageinfo") => Ok(data_usage(state)),
        ("PUT", "set-bucket-quota") => set_bucket_quota(state, ctx),
        ("GET", "get-bucket-quota") => get_bucket_quota(state, ctx),
        _ => Err(errors::not_implemented(ctx.method, &ctx.target)),
    }
}

fn info(state: &State, ctx: &Ctx<'_>) -> Reply {
    let rustfs = state.dialect() == Dialect::RustFs;
    let objects: usize = state.buckets.values().map(|b| b.objects.len()).sum();
    let message = json!({
        "mode": "online",
        "deploymentID": "6faeded5-5cf3-4133-8a37-07c5d500207c",
        "region": state.region.clone().unwrap_or_default(),
        "buckets": {"count": state.buckets.len()},
        "objects": {"count": objects},
        "usage": {"size": state.usage.as_ref().map_or(0, |u| u.buckets.values().map(|b| b.size).sum::<u64>())},
        "backend": {"backendType": "Erasure", "onlineDisks": 1, "offlineDisks": 0},
        "servers": [{
            "state": "online",
            "endpoint": ctx.host,
            "version": if rustfs { RUSTFS_VERSION } else { MINIO_VERSION },
            "commitID": "0000000000000000000000000000000000000000",
            "drives": [],
        }],
    });
    Reply::json(&if rustfs {
        json!({ "info": message })
    } else {
        message
    })
}

fn add_user(state: &mut State, ctx: &Ctx<'_>) -> Result<Reply, ApiError> {
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct AddUserRequest {
        secret_key: String,
        #[serde(default)]
        status: Option<String>,
    }
    let access_key = required(ctx, "accessKey")?;
    let rustfs = state.dialect() == Dialect::RustFs;
    if access_key == state.root_access_key {
        return Err(ApiError::new(
            403,
            "XMinioInvalidIAMCredentials",
            "The root user's credentials cannot be changed here",
        ));
    }
    let exists = state.users.contains_key(access_key);
    if !exists && access_key.trim() != access_key {
        return Err(ApiError::new(
            400,
            "XMinioInvalidResource",
            "The access key has leading or trailing white space",
        ));
    }
    if !ctx.query.is_utf8("accessKey") {
        return Err(ApiError::new(
            400,
            "XMinioInvalidUTF",
            "The access key is not valid UTF-8",
        ));
    }
    check_content_length(ctx)?;
    let plaintext = open(state, ctx)?;
    let request: AddUserRequest =
        serde_json::from_slice(&plaintext).map_err(|e| errors::bad_json(&e.to_string()))?;
    if rustfs && request.status.is_none() {
        return Err(ApiError::new(400, "InvalidRequest", "status is required"));
    }
    if let Some(problem) = access_key_problem(access_key) {
        return Err(ApiError::new(
            400,
            "XMinioAdminInvalidAccessKey",
            format!("The access key is invalid: {problem}."),
        ));
    }
    if let Some(problem) = secret_key_problem(&request.secret_key) {
        return Err(ApiError::new(
            400,
            "XMinioAdminInvalidSecretKey",
            format!("The secret key is invalid: {problem}."),
        ));
    }
    // Anything but "enabled"/"on" - a missing status too - disables the user.
    let enabled = matches!(request.status.as_deref(), Some("enabled" | "on"));
    let secret = SecretString::from(request.secret_key);
    let now = Utc::now();
    state
        .users
        .entry(access_key.to_owned())
        .and_modify(|u| {
            u.secret = secret.clone();
            u.enabled = enabled;
            u.updated_at = now;
        })
        .or_insert_with(|| UserRecord {
            secret,
            enabled,
            policies: Vec::new(),
            updated_at: now,
        });
    Ok(Reply::empty(200))
}

fn user_info(state: &State, ctx: &Ctx<'_>) -> Result<Reply, ApiError> {
    let access_key = required(ctx, "accessKey")?;
    let user = state
        .users
        .get(access_key)
        .ok_or_else(|| errors::no_such_user(access_key))?;
    Ok(Reply::json(&user_json(state, access_key, user)))
}

fn list_users(state: &State, ctx: &Ctx<'_>) -> Result<Reply, ApiError> {
    let all: Map<String, Value> = state
        .users
        .iter()
        .map(|(name, user)| (name.clone(), user_json(state, name, user)))
        .collect();
    seal(state, ctx, &Value::Object(all))
}

fn set_user_status(state: &mut State, ctx: &Ctx<'_>) -> Result<Reply, ApiError> {
    let access_key = required(ctx, "accessKey")?;
    let enabled = match required(ctx, "status")? {
        "enabled" => true,
        "disabled" => false,
        other => return Err(errors::invalid_argument(&format!("bad status {other:?}"))),
    };
    if access_key == ctx.caller {
        return Err(errors::invalid_argument("cannot change your own status"));
    }
    let rustfs = state.dialect() == Dialect::RustFs;
    let Some(user) = state.users.get_mut(access_key) else {
        return Err(if rustfs {
            ApiError::new(500, "InternalError", "user not found")
        } else {
            errors::no_such_user(access_key)
        });
    };
    user.enabled = enabled;
    user.updated_at = Utc::now();
    Ok(Reply::empty(200))
}

fn remove_user(state: &mut State, ctx: &Ctx<'_>) -> Result<Reply, ApiError> {
    let access_key = required(ctx, "accessKey")?;
    if access_key == ctx.caller || access_key == state.root_access_key {
        return Err(ApiError::new(
            403,
            "XMinioIAMActionNotAllowed",
            "Removing this user is not allowed",
        ));
    }
    if state.users.remove(access_key).is_none() {
        return Err(errors::no_such_user(access_key));
    }
    for group in state.groups.values_mut() {
        group.members.remove(access_key);
    }
    Ok(Reply::empty(200))
}

fn check_policy_name(name: &str) -> Result<(), ApiError> {
    // MinIO refuses these names (ErrPolicyInvalidName); the mock answers with the
    // invalid-resource code it uses for names with surrounding space.
    if name.is_empty() || name.trim() != name || name.contains(',') {
        return Err(ApiError::new(
            400,
            "XMinioInvalidResource",
            "The policy name is empty, has surrounding space or a comma",
        ));
    }
    Ok(())
}

fn add_canned_policy(state: &mut State, ctx: &Ctx<'_>) -> Result<Reply, ApiError> {
    let name = required(ctx, "name")?;
    check_policy_name(name)?;
    if ctx.content_length().unwrap_or(0) == 0 {
        return Err(ApiError::new(
            411,
            "MissingContentLength",
            "You must provide the Content-Length HTTP header.",
        ));
    }
    // Read as MinIO reads it (keys folded, later duplicates win, unknown keys
    // refused): MinIO answers XMinioMalformedIAMPolicy (sheet §3).
    let parsed = Policy::parse(ctx.body, DocumentKind::Canned).map_err(|e| {
        ApiError::new(
            400,
            "XMinioMalformedIAMPolicy",
            format!("Policy has an invalid form: {e}"),
        )
    })?;
    let document: Value = serde_json::from_slice(ctx.body).map_err(|e| {
        ApiError::new(
            400,
            "XMinioMalformedIAMPolicy",
            format!("Policy is not JSON: {e}"),
        )
    })?;
    let now = Utc::now();
    state
        .policies
        .entry(name.to_owned())
        .and_modify(|p| {
            p.document = document.clone();
            p.parsed = parsed.clone();
            p.updated = now;
        })
        .or_insert(PolicyRecord {
            document,
            parsed,
            created: now,
            updated: now,
            builtin: false,
        });
    Ok(Reply::empty(200))
}

fn info_canned_policy(state: &State, ctx: &Ctx<'_>) -> Result<Reply, ApiError> {
    let name = required(ctx, "name")?;
    let policy = state
        .policies
        .get(name)
        .ok_or_else(|| errors::no_such_policy(name))?;
    let created = policy.created.to_rfc3339_opts(SecondsFormat::Secs, true);
    let updated = policy.updated.to_rfc3339_opts(SecondsFormat::Secs, true);
    Ok(Reply::json(&match state.dialect() {
        Dialect::RustFs => json!({
            "policy_name": name, "policy": policy.document,
            "create_date": created, "update_date": updated,
        }),
        Dialect::MinIO if ctx.query.get("v") == Some("2") => json!({
            "PolicyName": name, "Policy": policy.document,
            "CreateDate": created, "UpdateDate": updated,
        }),
        Dialect::MinIO => policy.document.clone(),
    }))
}

fn remove_canned_policy(state: &mut State, ctx: &Ctx<'_>) -> Result<Reply, ApiError> {
    let name = required(ctx, "name")?;
    let Some(policy) = state.policies.get(name) else {
        return Ok(Reply::empty(200));
    };
    if policy.builtin {
        return Err(errors::invalid_argument(
            "built-in policies cannot be removed",
        ));
    }
    if state.policy_in_use(name) {
        return Err(ApiError::new(
            400,
            "XMinioIAMPolicyInUse",
            "The policy cannot be removed while a user or group maps it",
        ));
    }
    state.policies.remove(name);
    Ok(Reply::empty(200))
}

/// The policies mapped to a user or group, or its not-found error.
fn mapping_of<'s>(
    state: &'s mut State,
    user: Option<&str>,
    group: Option<&str>,
) -> Result<&'s mut Vec<String>, ApiError> {
    match (user, group) {
        (Some(u), None) => state
            .users
            .get_mut(u)
            .map(|r| &mut r.policies)
            .ok_or_else(|| errors::no_such_user(u)),
        (None, Some(g)) => state
            .groups
            .get_mut(g)
            .map(|r| &mut r.policies)
            .ok_or_else(|| errors::no_such_group(g)),
        _ => Err(errors::invalid_argument(
            "name exactly one of user and group",
        )),
    }
}

fn attach_detach(state: &mut State, ctx: &Ctx<'_>, attach: bool) -> Result<Reply, ApiError> {
    #[derive(Deserialize)]
    struct AttachRequest {
        #[serde(default)]
        policies: Vec<String>,
        #[serde(default)]
        user: Option<String>,
        #[serde(default)]
        group: Option<String>,
    }
    let rustfs = state.dialect() == Dialect::RustFs;
    if !rustfs && ctx.header("content-type") != Some("application/octet-stream") {
        return Err(ApiError::new(
            400,
            "BadRequest",
            "Content-Type must be application/octet-stream",
        ));
    }
    check_content_length(ctx)?;
    let plaintext = open(state, ctx)?;
    let request: AttachRequest =
        serde_json::from_slice(&plaintext).map_err(|e| errors::bad_json(&e.to_string()))?;
    let user = request.user.as_deref().filter(|u| !u.is_empty());
    let group = request.group.as_deref().filter(|g| !g.is_empty());
    if request.policies.is_empty() {
        return Err(errors::invalid_argument("no policies named"));
    }
    if let Some(missing) = request
        .policies
        .iter()
        .find(|p| !state.policies.contains_key(p.as_str()))
    {
        return Err(errors::no_such_policy(missing));
    }
    let mapping = mapping_of(state, user, group)?;
    let changed: Vec<String> = request
        .policies
        .iter()
        .filter(|p| mapping.contains(p) != attach)
        .cloned()
        .collect();
    if changed.is_empty() {
        if rustfs {
            return seal(state, ctx, &json!({ "updatedAt": now_text() }));
        }
        return Err(errors::already_applied());
    }
    if attach {
        mapping.extend(changed.iter().cloned());
    } else {
        mapping.retain(|p| !changed.contains(p));
    }
    let key = if attach {
        "policiesAttached"
    } else {
        "policiesDetached"
    };
    seal(
        state,
        ctx,
        &json!({ key: changed, "updatedAt": now_text() }),
    )
}

fn set_policy(state: &mut State, ctx: &Ctx<'_>) -> Result<Reply, ApiError> {
    let entity = required(ctx, "userOrGroup")?.to_owned();
    let is_group = ctx.query.get("isGroup") == Some("true");
    let wanted: Vec<String> = ctx
        .query
        .get("policyName")
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect();
    if let Some(missing) = wanted
        .iter()
        .find(|p| !state.policies.contains_key(p.as_str()))
    {
        return Err(errors::no_such_policy(missing));
    }
    let mapping = if is_group {
        mapping_of(state, None, Some(&entity))?
    } else {
        mapping_of(state, Some(&entity), None)?
    };
    *mapping = wanted;
    Ok(Reply::empty(200))
}

fn update_group_members(state: &mut State, ctx: &Ctx<'_>) -> Result<Reply, ApiError> {
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct GroupAddRemove {
        group: String,
        #[serde(default)]
        members: Vec<String>,
        #[serde(default)]
        is_remove: bool,
        #[serde(default)]
        group_status: Option<String>,
    }
    let request: GroupAddRemove =
        serde_json::from_slice(ctx.body).map_err(|e| errors::bad_json(&e.to_string()))?;
    if state.dialect() == Dialect::RustFs && request.group_status.is_none() {
        return Err(ApiError::new(
            400,
            "InvalidRequest",
            "groupStatus is required",
        ));
    }
    if request.group.is_empty() || request.group.trim() != request.group {
        return Err(ApiError::new(
            400,
            "XMinioInvalidResource",
            "The group name is empty or has surrounding space",
        ));
    }
    if let Some(missing) = request
        .members
        .iter()
        .find(|m| !state.users.contains_key(m.as_str()))
    {
        return Err(errors::no_such_user(missing));
    }
    let now = Utc::now();
    if request.is_remove {
        let Some(group) = state.groups.get_mut(&request.group) else {
            return Err(errors::no_such_group(&request.group));
        };
        if request.members.is_empty() {
            if !group.members.is_empty() {
                return Err(ApiError::new(
                    400,
                    "XMinioAdminGroupNotEmpty",
                    "The specified group is not empty - cannot remove it.",
                ));
            }
            state.groups.remove(&request.group);
        } else {
            for member in &request.members {
                group.members.remove(member);
            }
            group.updated_at = now;
        }
    } else {
        let group = state
            .groups
            .entry(request.group.clone())
            .or_insert_with(|| GroupRecord {
                members: BTreeSet::new(),
                enabled: true,
                policies: Vec::new(),
                updated_at: now,
            });
        group.members.extend(request.members.iter().cloned());
        group.updated_at = now;
    }
    Ok(Reply::empty(200))
}

fn group_info(state: &State, ctx: &Ctx<'_>) -> Result<Reply, ApiError> {
    let name = required(ctx, "group")?;
    let group = state
        .groups
        .get(name)
        .ok_or_else(|| errors::no_such_group(name))?;
    Ok(Reply::json(&json!({
        "name": name,
        "status": if group.enabled { "enabled" } else { "disabled" },
        "members": group.members,
        "policy": group.policies.join(","),
        "updatedAt": group.updated_at.to_rfc3339_opts(SecondsFormat::Secs, true),
    })))
}

fn set_group_status(state: &mut State, ctx: &Ctx<'_>) -> Result<Reply, ApiError> {
    let name = required(ctx, "group")?;
    let enabled = match required(ctx, "status")? {
        "enabled" => true,
        "disabled" => false,
        other => return Err(errors::invalid_argument(&format!("bad status {other:?}"))),
    };
    let group = state
        .groups
        .get_mut(name)
        .ok_or_else(|| errors::no_such_group(name))?;
    group.enabled = enabled;
    Ok(Reply::empty(200))
}

fn data_usage(state: &State) -> Reply {
    let snapshot = state.usage.as_ref();
    let total = |f: fn(&super::state::BucketSnapshot) -> u64| -> u64 {
        snapshot.map_or(0, |s| s.buckets.values().map(f).sum())
    };
    match state.dialect() {
        Dialect::MinIO => {
            let buckets = snapshot.map(|s| {
                s.buckets
                    .iter()
                    .map(|(name, b)| {
                        (
                            name.clone(),
                            json!({
                                "size": b.size, "objectsCount": b.objects,
                                "versionsCount": b.versions, "deleteMarkersCount": b.delete_markers,
                                "objectsSizesHistogram": {}, "objectsVersionsHistogram": {},
                            }),
                        )
                    })
                    .collect::<BTreeMap<_, _>>()
            });
            let sizes = snapshot.map(|s| {
                s.buckets
                    .iter()
                    .map(|(name, b)| (name.clone(), b.size))
                    .collect::<BTreeMap<_, _>>()
            });
            Reply::json(&json!({
                // Before the first scan the server sends the zero time and null maps.
                "lastUpdate": snapshot.map_or_else(
                    || "0001-01-01T00:00:00Z".to_owned(),
                    |s| s.taken.to_rfc3339_opts(SecondsFormat::Nanos, true)),
                "objectsCount": total(|b| b.objects),
                "objectsTotalSize": total(|b| b.size),
                "bucketsCount": snapshot.map_or(0, |s| s.buckets.len()),
                "bucketsUsageInfo": buckets,
                "bucketsSizes": sizes,
                "tierStats": null,
                "capacity": 0, "freeCapacity": 0, "usedCapacity": 0,
            }))
        }
        Dialect::RustFs => {
            let buckets: BTreeMap<String, Value> = snapshot
                .map(|s| {
                    s.buckets
                        .iter()
                        .map(|(name, b)| {
                            (
                                name.clone(),
                                json!({"size": b.size, "objects_count": b.objects,
                                       "versions_count": b.versions,
                                       "delete_markers_count": b.delete_markers}),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            Reply::json(&json!({
                "last_update": snapshot.map(|s| json!({
                    "secs_since_epoch": s.taken.timestamp(),
                    "nanos_since_epoch": s.taken.timestamp_subsec_nanos(),
                })),
                "objects_count": total(|b| b.objects),
                "objects_total_size": total(|b| b.size),
                "buckets_count": snapshot.map_or(0, |s| s.buckets.len()),
                "buckets_usage": buckets,
            }))
        }
    }
}

fn set_bucket_quota(state: &mut State, ctx: &Ctx<'_>) -> Result<Reply, ApiError> {
    #[derive(Deserialize)]
    struct QuotaRequest {
        #[serde(default)]
        quota: u64,
        #[serde(default)]
        size: u64,
        #[serde(default)]
        quotatype: String,
    }
    let bucket = required(ctx, "bucket")?;
    let request: QuotaRequest =
        serde_json::from_slice(ctx.body).map_err(|e| errors::bad_json(&e.to_string()))?;
    let size = request.size.max(request.quota);
    if size > 0 && request.quotatype != "hard" {
        return Err(errors::invalid_argument("quotatype must be \"hard\""));
    }
    let record = state
        .buckets
        .get_mut(bucket)
        .ok_or_else(|| errors::no_such_bucket(bucket))?;
    record.quota = (size > 0).then_some(size);
    Ok(Reply::empty(200))
}

fn get_bucket_quota(state: &State, ctx: &Ctx<'_>) -> Result<Reply, ApiError> {
    let bucket = required(ctx, "bucket")?;
    let record = state
        .buckets
        .get(bucket)
        .ok_or_else(|| errors::no_such_bucket(bucket))?;
    let size = record.quota.ok_or_else(|| {
        ApiError::new(
            404,
            "XMinioAdminNoSuchQuotaConfiguration",
            "The quota configuration does not exist",
        )
    })?;
    Ok(Reply::json(&json!({
        "quota": size, "size": size, "rate": 0, "requests": 0, "quotatype": "hard",
    })))
}
