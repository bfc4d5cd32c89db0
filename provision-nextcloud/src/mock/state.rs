//! What the mock server keeps, and the rules Nextcloud 34 applies to it.
//!
//! Each handler takes the caller and the request's parameters and answers like the
//! real server (§3-§7 of the facts sheet): the same status codes, messages, and the
//! same quirks (an invalid quota at creation still creates the account, quotas are
//! stored in a lossy human form, disable of a missing account is 101, ...).

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::time::{Duration, Instant};

use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use super::Fault;
use crate::human_size::HumanSize;

/// The mock admin's login name when none is given.
pub(crate) const ADMIN_ID: &str = "admin";
/// Nextcloud's administrators group.
pub(crate) const ADMIN_GROUP: &str = "admin";

const ONLY_CHARS: &str = "Only the following characters are allowed in an Login: \"a-z\", \"A-Z\", \"0-9\", spaces and \"_.@-'\"";
const NOT_SUB_ADMIN: &str = "Logged in account must be at least a sub admin";
const PASSWORD_CONFIRMATION: &str = "Password confirmation is required";
const COMMON_HINT: &str =
    "Password is among the 1,000,000 most common ones. Please make it unique.";
const LENGTH_HINT: &str = "Password needs to be at least 10 characters long.";

/// A small sample of the common-password list the password policy app bundles.
const COMMON_PASSWORDS: &[&str] = &[
    "123456",
    "123456789",
    "1234567890",
    "12345678",
    "password",
    "password1",
    "password123",
    "qwerty",
    "qwertyuiop",
    "abc",
    "abc123",
    "111111",
    "iloveyou",
    "letmein",
    "welcome",
    "admin",
    "monkey",
    "dragon",
    "sunshine",
    "princess",
    "football",
    "1q2w3e4r5t",
    "passwordpassword",
    "qwerty123456",
];

/// Ids the data directory keeps for itself (`appdata_<instance id>` is checked apart).
const RESERVED_IDS: &[&str] = &[
    ".htaccess",
    "files_external",
    "__groupfolders",
    ".ncdata",
    "owncloud.log",
    "nextcloud.log",
    "updater.log",
    "audit.log",
];

/// How the server reports an account's storage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StorageReport {
    /// The full quota object (Nextcloud 34, also for accounts that never logged in).
    Full,
    /// The account's home does not exist: `{"quota": …, "used": 0}`.
    HomeMissing,
    /// An internal error while reading it: `"quota": []`.
    Failed,
}

/// A quota as the server stores it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StoredQuota {
    None,
    Default,
    Size(HumanSize),
}

impl StoredQuota {
    pub(crate) fn text(self) -> String {
        match self {
            StoredQuota::None => "none".to_string(),
            StoredQuota::Default => "default".to_string(),
            StoredQuota::Size(h) => h.to_string(),
        }
    }

    /// The bytes it means, or None for unlimited (no instance default quota is set).
    fn bytes(self) -> Option<u128> {
        match self {
            StoredQuota::Size(h) => Some(h.to_bytes()),
            _ => None,
        }
    }
}

pub(crate) struct UserEntry {
    pub(crate) id: String,
    pub(crate) password: String,
    pub(crate) email: Option<String>,
    pub(crate) display_name: Option<String>,
    pub(crate) enabled: bool,
    pub(crate) groups: BTreeSet<String>,
    pub(crate) quota: StoredQuota,
    pub(crate) used: u64,
    pub(crate) report: StorageReport,
}

impl UserEntry {
    pub(crate) fn new(id: &str, password: &str) -> Self {
        UserEntry {
            id: id.to_string(),
            password: password.to_string(),
            email: None,
            display_name: None,
            enabled: true,
            groups: BTreeSet::new(),
            quota: StoredQuota::Default,
            used: 0,
            report: StorageReport::Full,
        }
    }

    fn shown_name(&self) -> &str {
        self.display_name.as_deref().unwrap_or(&self.id)
    }
}

/// One request as the log keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoggedRequest {
    /// The HTTP method.
    pub method: String,
    /// The URL path (without the query).
    pub path: String,
    /// The HTTP status answered (for a dropped connection, the one never sent: 200).
    pub status: u16,
}

/// A fault waiting for the requests it applies to.
pub(crate) struct PendingFault {
    pub(crate) fault: Fault,
    pub(crate) remaining: usize,
}

/// The whole server.
pub(crate) struct State {
    pub(crate) users: BTreeMap<String, UserEntry>,
    /// Group id to display name.
    pub(crate) groups: BTreeMap<String, String>,
    /// The most recent requests, at most [`super::REQUEST_LOG_LIMIT`].
    pub(crate) requests: std::collections::VecDeque<LoggedRequest>,
    /// Every request since the start or the last reset.
    pub(crate) request_count: usize,
    pub(crate) faults: Vec<PendingFault>,
    pub(crate) latency: Duration,
    pub(crate) admin_uses_app_password: bool,
    pub(crate) edit_rate_limit: Option<(u32, Duration)>,
    edit_calls: HashMap<String, VecDeque<Instant>>,
    /// `files/max_quota`: the largest quota an admin may set.
    pub(crate) max_quota: Option<u64>,
    /// `files/allow_unlimited_quota`.
    pub(crate) allow_unlimited_quota: bool,
    /// The key (lower-cased id) of the account the mock was started for.
    pub(crate) admin_key: String,
}

/// A handler's answer, rendered per OCS version by the server.
pub(crate) enum Reply {
    /// Success with this `data`.
    Ok(Value),
    /// Failure with an OCS status code and message.
    Fail(i64, String),
    /// An answer from outside the OCS layer (rate limiter, web server).
    Bare(u16, &'static str),
}

fn fail(code: i64, message: impl Into<String>) -> Reply {
    Reply::Fail(code, message.into())
}

fn empty() -> Reply {
    Reply::Ok(json!([]))
}

/// Request parameters from the query string and the body.
#[derive(Default)]
pub(crate) struct Params(HashMap<String, Vec<String>>);

impl Params {
    pub(crate) fn add(&mut self, key: &str, value: String) {
        let key = key.strip_suffix("[]").unwrap_or(key);
        self.0.entry(key.to_string()).or_default().push(value);
    }

    pub(crate) fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).and_then(|v| v.first()).map(String::as_str)
    }

    fn list(&self, key: &str) -> Vec<String> {
        self.0.get(key).cloned().unwrap_or_default()
    }

    fn number(&self, key: &str) -> Option<usize> {
        self.get(key).and_then(|v| v.trim().parse().ok())
    }
}

/// What a quota parameter means to the server.
pub(crate) enum QuotaInput {
    Stored(StoredQuota),
    Invalid,
    Negative,
}

impl State {
    pub(crate) fn new(admin_id: &str, admin_password: &str) -> Self {
        let mut admin = UserEntry::new(admin_id, admin_password);
        admin.groups.insert(ADMIN_GROUP.to_string());
        let mut users = BTreeMap::new();
        users.insert(admin_id.to_lowercase(), admin);
        let mut groups = BTreeMap::new();
        groups.insert(ADMIN_GROUP.to_string(), ADMIN_GROUP.to_string());
        State {
            users,
            groups,
            requests: std::collections::VecDeque::new(),
            request_count: 0,
            faults: Vec::new(),
            latency: Duration::ZERO,
            admin_uses_app_password: false,
            edit_rate_limit: Some((50, Duration::from_secs(600))),
            edit_calls: HashMap::new(),
            max_quota: None,
            allow_unlimited_quota: true,
            admin_key: admin_id.to_lowercase(),
        }
    }

    pub(crate) fn user(&self, id: &str) -> Option<&UserEntry> {
        self.users.get(&id.to_lowercase())
    }

    pub(crate) fn user_mut(&mut self, id: &str) -> Option<&mut UserEntry> {
        self.users.get_mut(&id.to_lowercase())
    }

    /// Adds an account directly (test set-up); false when the id is taken.
    pub(crate) fn insert_user(&mut self, id: &str, password: &str) -> bool {
        let key = id.to_lowercase();
        if self.users.contains_key(&key) {
            return false;
        }
        self.users.insert(key, UserEntry::new(id, password));
        true
    }

    /// The caller's key when the credentials are right and the account enabled.
    pub(crate) fn authenticate(&self, login: &str, password: &str) -> Option<String> {
        let user = self.user(login)?;
        (user.enabled && user.password == password).then(|| user.id.to_lowercase())
    }

    fn is_admin(&self, caller: &str) -> bool {
        self.user(caller)
            .is_some_and(|u| u.groups.contains("admin"))
    }

    /// Refuses a write by a non-admin, or by the admin logged in with an app password
    /// (Nextcloud 34: no recent password confirmation).
    fn check_write(&self, caller: &str) -> Option<Reply> {
        if !self.is_admin(caller) {
            return Some(fail(403, NOT_SUB_ADMIN));
        }
        if self.admin_uses_app_password && caller == self.admin_key {
            return Some(fail(403, PASSWORD_CONFIRMATION));
        }
        None
    }

    /// The per-caller limit on `PUT /users/{id}`; true when this call is over it.
    fn edit_rate_limited(&mut self, caller: &str) -> bool {
        let Some((max, window)) = self.edit_rate_limit else {
            return false;
        };
        let now = Instant::now();
        let calls = self.edit_calls.entry(caller.to_string()).or_default();
        while calls
            .front()
            .is_some_and(|t| now.duration_since(*t) >= window)
        {
            calls.pop_front();
        }
        if calls.len() >= max as usize {
            return true;
        }
        calls.push_back(now);
        false
    }

    /// The quota a `quota` parameter sets, or the server's refusal (§4.4).
    fn quota_for(&self, raw: &str) -> Result<StoredQuota, Reply> {
        match parse_quota(raw) {
            QuotaInput::Invalid => Err(fail(101, format!("Invalid quota value: {raw}"))),
            QuotaInput::Negative => Err(fail(996, "Internal Server Error\n")),
            QuotaInput::Stored(StoredQuota::None) if !self.allow_unlimited_quota => {
                Err(fail(101, "Unlimited quota is forbidden on this instance"))
            }
            QuotaInput::Stored(quota) => match (self.max_quota, quota.bytes()) {
                (Some(max), Some(bytes)) if bytes > max as u128 => Err(fail(
                    101,
                    format!("Invalid quota value. {raw} is exceeding the maximum quota"),
                )),
                _ => Ok(quota),
            },
        }
    }

    pub(crate) fn capabilities(&self) -> Reply {
        Reply::Ok(json!({
            "version": {"major": 34, "minor": 0, "micro": 1, "string": "34.0.1",
                        "edition": "", "extendedSupport": false},
            "capabilities": {"core": {"pollinterval": 60, "webdav-root": "remote.php/webdav"}}
        }))
    }

    /// `GET /users`, `/users/details`, `/users/disabled`.
    pub(crate) fn list_users(
        &self,
        caller: &str,
        params: &Params,
        details: bool,
        disabled_only: bool,
    ) -> Reply {
        if !self.is_admin(caller) {
            return fail(403, NOT_SUB_ADMIN);
        }
        let search = params.get("search").unwrap_or("").to_lowercase();
        let mut matching: Vec<&UserEntry> = self
            .users
            .values()
            .filter(|u| !disabled_only || !u.enabled)
            .filter(|u| {
                search.is_empty()
                    || u.id.to_lowercase().contains(&search)
                    || u.shown_name().to_lowercase().contains(&search)
                    || u.email.as_deref().is_some_and(|e| e.contains(&search))
            })
            .collect();
        // The database pages by lower-cased display name, then id; each page is then
        // sorted by id. Each key is made once: lower-casing in the comparison made the
        // mock, not the client, most of a 10,000-account sweep's time.
        matching.sort_by_cached_key(|u| (u.shown_name().to_lowercase(), u.id.as_str()));
        let offset = params.number("offset").unwrap_or(0);
        let page: Vec<&UserEntry> = match params.number("limit") {
            Some(limit) => matching.into_iter().skip(offset).take(limit).collect(),
            None => matching.into_iter().skip(offset).collect(),
        };
        let mut page = page;
        page.sort_by(|a, b| a.id.cmp(&b.id));
        if !details {
            let ids: Vec<&str> = page.iter().map(|u| u.id.as_str()).collect();
            return Reply::Ok(json!({ "users": ids }));
        }
        if page.is_empty() {
            // PHP encodes the empty map as a list.
            return Reply::Ok(json!({ "users": [] }));
        }
        let map: Map<String, Value> = page.iter().map(|u| (u.id.clone(), user_json(u))).collect();
        Reply::Ok(json!({ "users": map }))
    }

    pub(crate) fn get_user(&self, caller: &str, id: &str) -> Reply {
        if !self.is_admin(caller) && caller != id.to_lowercase() {
            return fail(998, "");
        }
        match self.user(id) {
            Some(user) => Reply::Ok(user_json(user)),
            None => fail(404, "User does not exist"),
        }
    }

    pub(crate) fn create_user(&mut self, caller: &str, params: &Params) -> Reply {
        if let Some(refused) = self.check_write(caller) {
            return refused;
        }
        let id = params.get("userid").unwrap_or("").to_string();
        let password = params.get("password").unwrap_or("").to_string();
        let email = params.get("email").unwrap_or("").trim().to_lowercase();
        if self.user(&id).is_some() {
            return fail(102, "User already exists");
        }
        let groups = params.list("groups");
        if let Some(missing) = groups.iter().find(|g| !self.groups.contains_key(*g)) {
            return fail(104, format!("Group {missing} does not exist"));
        }
        if password.len() > 469 {
            return fail(101, "Invalid password value");
        }
        if password.is_empty() && email.is_empty() {
            return fail(
                108,
                "An email address is required, to send a password link to the user.",
            );
        }
        if let Err(message) = check_new_id(&id) {
            return fail(101, message);
        }
        let password = if password.is_empty() {
            // The server makes one and mails a "set your password" link.
            format!("generated-{}", hex::encode(Sha256::digest(id.as_bytes())))
        } else {
            let hints = policy_failures(&password);
            if !hints.is_empty() {
                return fail(107, hints.join(" "));
            }
            password
        };
        let mut user = UserEntry::new(&id, &password);
        user.email = Some(email).filter(|e| !e.is_empty());
        user.groups = groups.into_iter().collect();
        self.users.insert(id.to_lowercase(), user);

        if let Some(name) = params.get("displayName").filter(|n| !n.is_empty()) {
            if name.chars().count() > 64 {
                // The display name failure is the one the server rolls back.
                self.users.remove(&id.to_lowercase());
                return fail(101, "Invalid displayname");
            }
            if let Some(user) = self.user_mut(&id) {
                user.display_name = Some(name.to_string());
            }
        }
        if let Some(raw) = params.get("quota").filter(|q| !q.is_empty()) {
            // The account stays created when the quota is refused (§4.1).
            match self.quota_for(raw) {
                Ok(quota) => {
                    if let Some(user) = self.user_mut(&id) {
                        user.quota = quota;
                    }
                }
                Err(refused) => return refused,
            }
        }
        Reply::Ok(json!({ "id": id }))
    }

    pub(crate) fn edit_user(&mut self, caller: &str, id: &str, params: &Params) -> Reply {
        if self.edit_rate_limited(caller) {
            return Reply::Bare(429, "");
        }
        if let Some(refused) = self.check_write(caller) {
            return refused;
        }
        let key = params.get("key").unwrap_or("").to_string();
        let value = params.get("value").unwrap_or("").to_string();
        if self.user(id).is_none() {
            return fail(998, "");
        }
        if key == "quota" {
            let quota = match self.quota_for(&value) {
                Ok(quota) => quota,
                Err(refused) => return refused,
            };
            if let Some(user) = self.user_mut(id) {
                user.quota = quota;
            }
            return empty();
        }
        let Some(user) = self.user_mut(id) else {
            return fail(998, "");
        };
        match key.as_str() {
            "password" => {
                if value.len() > 469 {
                    return fail(101, "Invalid password value");
                }
                let hints = policy_failures(&value);
                if !hints.is_empty() {
                    return fail(107, hints.join(" "));
                }
                user.password = value;
            }
            "email" => {
                let email = value.trim().to_lowercase();
                if email.is_empty() {
                    user.email = None;
                } else if is_valid_email(&email) {
                    user.email = Some(email);
                } else {
                    return fail(101, "");
                }
            }
            "displayname" | "display" => {
                if value.chars().count() > 64 {
                    return fail(101, "Invalid displayname");
                }
                user.display_name = Some(value).filter(|v| !v.is_empty());
            }
            _ => return fail(113, ""),
        }
        empty()
    }

    pub(crate) fn set_enabled(&mut self, caller: &str, id: &str, enabled: bool) -> Reply {
        if let Some(refused) = self.check_write(caller) {
            return refused;
        }
        if id.to_lowercase() == caller {
            return fail(101, "");
        }
        match self.user_mut(id) {
            Some(user) => {
                user.enabled = enabled;
                empty()
            }
            None => fail(101, ""),
        }
    }

    pub(crate) fn delete_user(&mut self, caller: &str, id: &str) -> Reply {
        if let Some(refused) = self.check_write(caller) {
            return refused;
        }
        if self.user(id).is_none() {
            return fail(998, "");
        }
        if id.to_lowercase() == caller {
            return fail(101, "");
        }
        // Memberships live on the account: they go with it.
        self.users.remove(&id.to_lowercase());
        empty()
    }

    pub(crate) fn user_groups(&self, caller: &str, id: &str) -> Reply {
        if !self.is_admin(caller) && caller != id.to_lowercase() {
            return fail(998, "");
        }
        match self.user(id) {
            Some(user) => Reply::Ok(json!({ "groups": user.groups })),
            None => fail(998, ""),
        }
    }

    pub(crate) fn change_membership(
        &mut self,
        caller: &str,
        id: &str,
        params: &Params,
        join: bool,
    ) -> Reply {
        if let Some(refused) = self.check_write(caller) {
            return refused;
        }
        let group = params.get("groupid").unwrap_or("").to_string();
        if group.is_empty() {
            return fail(101, "");
        }
        if !self.groups.contains_key(&group) {
            return fail(102, "");
        }
        if !join && group == "admin" && id.to_lowercase() == caller {
            return fail(105, "Cannot remove yourself from the admin group");
        }
        let Some(user) = self.user_mut(id) else {
            return fail(103, "");
        };
        if join {
            user.groups.insert(group);
        } else {
            user.groups.remove(&group);
        }
        empty()
    }

    pub(crate) fn list_groups(&self, caller: &str, params: &Params) -> Reply {
        if !self.is_admin(caller) {
            return fail(403, NOT_SUB_ADMIN);
        }
        let search = params.get("search").unwrap_or("").to_lowercase();
        let matching = self
            .groups
            .iter()
            .filter(|(id, name)| {
                id.to_lowercase().contains(&search) || name.to_lowercase().contains(&search)
            })
            .map(|(id, _)| id.as_str())
            .skip(params.number("offset").unwrap_or(0));
        let ids: Vec<&str> = match params.number("limit") {
            Some(limit) => matching.take(limit).collect(),
            None => matching.collect(),
        };
        Reply::Ok(json!({ "groups": ids }))
    }

    pub(crate) fn create_group(&mut self, caller: &str, params: &Params) -> Reply {
        if let Some(refused) = self.check_write(caller) {
            return refused;
        }
        let requested = params.get("groupid").unwrap_or("").to_string();
        if requested.trim().is_empty() {
            return fail(101, "Invalid group name");
        }
        let display = params
            .get("displayname")
            .filter(|d| !d.is_empty())
            .unwrap_or(&requested)
            .to_string();
        if requested.chars().count() > 64 {
            // Silently replaced by its SHA-256; a second create of the same long name
            // then fails in the backend.
            let hashed = hex::encode(Sha256::digest(requested.as_bytes()));
            if self.groups.contains_key(&hashed) {
                return fail(103, "Not supported by backend");
            }
            self.groups.insert(hashed, display);
            return empty();
        }
        if self.groups.contains_key(&requested) {
            return fail(102, "group exists");
        }
        self.groups.insert(requested, display);
        empty()
    }

    pub(crate) fn group_members(&self, caller: &str, group: &str) -> Reply {
        if !self.is_admin(caller) {
            return fail(403, NOT_SUB_ADMIN);
        }
        if !self.groups.contains_key(group) {
            return fail(404, "The requested group could not be found");
        }
        let members: Vec<&str> = self
            .users
            .values()
            .filter(|u| u.groups.contains(group))
            .map(|u| u.id.as_str())
            .collect();
        Reply::Ok(json!({ "users": members }))
    }

    pub(crate) fn delete_group(&mut self, caller: &str, group: &str) -> Reply {
        if let Some(refused) = self.check_write(caller) {
            return refused;
        }
        if !self.groups.contains_key(group) {
            return fail(101, "");
        }
        if group == "admin" {
            return fail(102, "");
        }
        self.groups.remove(group);
        for user in self.users.values_mut() {
            user.groups.remove(group);
        }
        empty()
    }
}

/// The account record an admin reads (§4.2).
fn user_json(user: &UserEntry) -> Value {
    let name = user.shown_name();
    json!({
        "enabled": user.enabled,
        "storageLocation": format!("/var/www/nextcloud/data/{}", user.id),
        "id": user.id,
        "firstLoginTimestamp": 0,
        "lastLoginTimestamp": 0,
        "lastLogin": 0,
        "backend": "Database",
        "subadmin": [],
        "quota": storage_json(user),
        "manager": "",
        "email": user.email,
        "additional_mail": [],
        "displayname": name,
        "display-name": name,
        "phone": "",
        "address": "",
        "website": "",
        "twitter": "",
        "bluesky": "",
        "fediverse": "",
        "organisation": "",
        "role": "",
        "headline": "",
        "biography": "",
        "profile_enabled": "1",
        "pronouns": "",
        "groups": user.groups,
        "language": "en",
        "locale": "",
        "timezone": "",
        "notify_email": null,
        "backendCapabilities": {"setDisplayName": true, "setPassword": true},
    })
}

/// The quota object in the forms of §5.2 (34.x).
fn storage_json(user: &UserEntry) -> Value {
    let limit = user.quota.bytes();
    match user.report {
        StorageReport::Failed => json!([]),
        StorageReport::HomeMissing => match limit {
            Some(bytes) => json!({ "quota": bytes as u64, "used": 0 }),
            None => json!({ "quota": "none", "used": 0 }),
        },
        StorageReport::Full => match limit {
            Some(quota) if quota > 0 => {
                let used = user.used as u128;
                // round(100 * used / quota, 2), an integer when it is whole.
                let hundredths = (used * 10_000 * 2 + quota) / (quota * 2);
                let relative = if hundredths % 100 == 0 {
                    json!(hundredths / 100)
                } else {
                    json!(hundredths as f64 / 100.0)
                };
                json!({
                    "free": quota as i128 - used as i128,
                    "used": user.used,
                    "total": quota as u64,
                    "relative": relative,
                    "quota": quota as u64,
                })
            }
            // Zero looks like unlimited in free/total: only `quota` differs.
            Some(_) => {
                json!({ "free": -3, "used": user.used, "total": -3, "relative": 0, "quota": 0 })
            }
            None => {
                json!({ "free": -3, "used": user.used, "total": -3, "relative": 0, "quota": -3 })
            }
        },
    }
}

/// Nextcloud 34's id rules, in its order.
fn check_new_id(id: &str) -> Result<(), &'static str> {
    if id.trim().is_empty() {
        return Err("A valid Login must be provided");
    }
    if id.trim() != id {
        return Err("Login contains whitespace at the beginning or at the end");
    }
    if id == "." || id == ".." {
        return Err("Login must not consist of dots only");
    }
    if !id
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, ' ' | '_' | '.' | '@' | '-' | '\''))
    {
        return Err(ONLY_CHARS);
    }
    if id.len() > 64 {
        return Err("Username is too long");
    }
    if RESERVED_IDS.contains(&id) || id.starts_with("appdata_") {
        return Err("Login is invalid because files already exist for this user");
    }
    Ok(())
}

/// The default password policy's complaints, joined by the caller.
fn policy_failures(password: &str) -> Vec<&'static str> {
    let mut hints = Vec::new();
    if COMMON_PASSWORDS.contains(&password.to_lowercase().as_str()) {
        hints.push(COMMON_HINT);
    }
    if password.chars().count() < 10 {
        hints.push(LENGTH_HINT);
    }
    hints
}

fn is_valid_email(email: &str) -> bool {
    match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.contains('@')
                && !email.chars().any(char::is_whitespace)
        }
        None => false,
    }
}

/// Reads a quota parameter as the server does (§5.1): `none`/`default`, a PHP numeric
/// string, or `computerFileSize` (the leading number times the unit at the very end;
/// `500 MiB` ends in `b` and so means 500 bytes).
pub(crate) fn parse_quota(raw: &str) -> QuotaInput {
    if raw == "none" {
        return QuotaInput::Stored(StoredQuota::None);
    }
    if raw == "default" {
        return QuotaInput::Stored(StoredQuota::Default);
    }
    let bytes = if is_php_numeric(raw) {
        raw.trim().parse::<f64>().ok()
    } else {
        computer_file_size(raw)
    };
    match bytes {
        None => QuotaInput::Invalid,
        Some(b) if b < 0.0 => QuotaInput::Negative,
        Some(b) if !b.is_finite() || b >= u64::MAX as f64 => QuotaInput::Invalid,
        Some(b) => QuotaInput::Stored(StoredQuota::Size(HumanSize::from_bytes(b.round() as u64))),
    }
}

/// PHP 8's `is_numeric`: optional surrounding white space, a sign, digits with an
/// optional fraction, an optional exponent.
fn is_php_numeric(s: &str) -> bool {
    let t = s.trim_matches(|c: char| " \t\n\r\u{b}\u{c}".contains(c));
    let (mantissa, exponent) = match t.find(['e', 'E']) {
        Some(i) => (&t[..i], Some(&t[i + 1..])),
        None => (t, None),
    };
    let mantissa = mantissa.strip_prefix(['+', '-']).unwrap_or(mantissa);
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = |d: &str| d.chars().all(|c| c.is_ascii_digit());
    let mantissa_ok = digits(int) && digits(frac) && !(int.is_empty() && frac.is_empty());
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    mantissa_ok && exponent_ok
}

/// `OC_Helper::computerFileSize` for a non-numeric string.
fn computer_file_size(s: &str) -> Option<f64> {
    let lower = s.to_lowercase();
    let unit_of = |c: char| match c {
        'k' => Some(1024f64),
        'm' => Some(1024f64.powi(2)),
        'g' => Some(1024f64.powi(3)),
        't' => Some(1024f64.powi(4)),
        'p' => Some(1024f64.powi(5)),
        _ => None,
    };
    let mut tail = lower.chars().rev();
    let multiplier = match tail.next()? {
        'b' => tail.next().and_then(unit_of).unwrap_or(1.0),
        c => unit_of(c)?,
    };
    Some((leading_number(&lower) * multiplier).round())
}

/// PHP's `(float)` cast: the leading number of the string, or 0.
fn leading_number(s: &str) -> f64 {
    let t = s.trim_start();
    let bytes = t.as_bytes();
    let mut end = 0;
    if end < bytes.len() && (bytes[end] == b'+' || bytes[end] == b'-') {
        end += 1;
    }
    while end < bytes.len() && bytes[end].is_ascii_digit() {
        end += 1;
    }
    if end < bytes.len() && bytes[end] == b'.' {
        end += 1;
        while end < bytes.len() && bytes[end].is_ascii_digit() {
            end += 1;
        }
    }
    t[..end].parse().unwrap_or(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored(raw: &str) -> Option<(String, Option<u128>)> {
        match parse_quota(raw) {
            QuotaInput::Stored(q) => Some((q.text(), q.bytes())),
            _ => None,
        }
    }

    #[test]
    fn quota_normalisation_table_of_the_facts_sheet() {
        let table: [(&str, &str, Option<u128>); 17] = [
            ("1073741824", "1 GB", Some(1073741824)),
            ("1 GB", "1 GB", Some(1073741824)),
            ("1GB", "1 GB", Some(1073741824)),
            ("1 gb", "1 GB", Some(1073741824)),
            ("2G", "2 GB", Some(2147483648)),
            ("2 g", "2 GB", Some(2147483648)),
            ("1.5 GB", "1.5 GB", Some(1610612736)),
            ("500 MB", "500 MB", Some(524288000)),
            ("1024", "1 KB", Some(1024)),
            ("1 KB", "1 KB", Some(1024)),
            ("5 TB", "5 TB", Some(5497558138880)),
            ("500 MiB", "500 B", Some(500)),
            ("12 XB", "12 B", Some(12)),
            ("1,5 GB", "1 GB", Some(1073741824)),
            ("0", "0 B", Some(0)),
            ("0 B", "0 B", Some(0)),
            ("none", "none", None),
        ];
        for (sent, text, bytes) in table {
            assert_eq!(stored(sent), Some((text.to_string(), bytes)), "{sent:?}");
        }
        assert_eq!(stored("default"), Some(("default".to_string(), None)));
        for invalid in ["abc", "", " 2 GB "] {
            assert!(
                matches!(parse_quota(invalid), QuotaInput::Invalid),
                "{invalid:?}"
            );
        }
        for negative in ["-1", "-3"] {
            assert!(
                matches!(parse_quota(negative), QuotaInput::Negative),
                "{negative:?}"
            );
        }
    }

    #[test]
    fn lossy_storage_of_the_facts_sheet() {
        assert_eq!(
            stored("1000000000"),
            Some(("953.7 MB".into(), Some(1000026931)))
        );
        assert_eq!(stored("5000000"), Some(("4.8 MB".into(), Some(5033165))));
        assert_eq!(
            stored("123456789"),
            Some(("117.7 MB".into(), Some(123417395)))
        );
        assert_eq!(
            stored("10737418240"),
            Some(("10 GB".into(), Some(10737418240)))
        );
    }

    #[test]
    fn id_rules() {
        assert!(check_new_id("bad user").is_ok());
        assert!(check_new_id("o'Brien Jr@home").is_ok());
        assert_eq!(check_new_id(""), Err("A valid Login must be provided"));
        assert_eq!(check_new_id("a/b"), Err(ONLY_CHARS));
        assert_eq!(
            check_new_id(" a"),
            Err("Login contains whitespace at the beginning or at the end")
        );
        assert_eq!(
            check_new_id(".."),
            Err("Login must not consist of dots only")
        );
        assert_eq!(check_new_id(&"a".repeat(65)), Err("Username is too long"));
        assert!(check_new_id(&"a".repeat(64)).is_ok());
        assert!(check_new_id(".htaccess").is_err());
    }

    #[test]
    fn password_policy_hints_are_joined_in_order() {
        assert_eq!(
            policy_failures("abc").join(" "),
            format!("{COMMON_HINT} {LENGTH_HINT}")
        );
        assert!(policy_failures("Xq3@hT8!nB5zW2pe").is_empty());
    }
}
