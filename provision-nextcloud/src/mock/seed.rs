//! The mock's start state as a document: what `provision mock nextcloud --seed` reads,
//! what `--state` stores and what [`MockNextcloud::snapshot`](super::MockNextcloud::snapshot)
//! gives back.
//!
//! The passwords in a seed or a snapshot are the test credentials of a mock server, kept
//! in plain text so that a test suite can log in with them; never put a real password in
//! one.
//!
//! ```
//! use provision_nextcloud::mock::seed::Seed;
//!
//! let seed = Seed::from_json(serde_json::json!({
//!     "groups": [{"id": "plan-10g"}, {"id": "staff", "display_name": "Staff"}],
//!     "users": [{
//!         "id": "alice",
//!         "password": "a long Passw0rd!",
//!         "display_name": "Alice",
//!         "email": "alice@example.com",
//!         "quota": "10 GB",
//!         "used_bytes": 1048576,
//!         "groups": ["plan-10g"]
//!     }, {
//!         "id": "bob",
//!         "password": "another Passw0rd!",
//!         "enabled": false
//!     }]
//! }))
//! .unwrap();
//! assert_eq!(seed.users[1].quota, "default");
//! // Unknown fields are refused by name.
//! let typo = Seed::from_json(serde_json::json!({"users": [{"id": "a", "pasword": "x"}]}));
//! assert!(typo.unwrap_err().to_string().contains("pasword"));
//! ```

use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use provision_core::testkit::seed::SeedError;

/// The whole start state: groups, then accounts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Seed {
    /// Groups besides `admin` (which always exists; listing it is allowed).
    #[serde(default)]
    pub groups: Vec<SeedGroup>,
    /// Accounts. One with the admin's id gives the admin's other fields; its password
    /// is always the one the mock was started with.
    #[serde(default)]
    pub users: Vec<SeedUser>,
}

/// A group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedGroup {
    /// The group id.
    pub id: String,
    /// The display name; the id when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
}

/// An account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedUser {
    /// The login id, in the case it is stored with (ids are unique in any case).
    pub id: String,
    /// The password (a mock's test credential, see the module docs).
    pub password: String,
    /// The display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// The e-mail address (stored trimmed and lower-cased, as the server does).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// False for a disabled account.
    #[serde(default = "enabled_by_default")]
    pub enabled: bool,
    /// The quota as the server reads it: `none`, `default`, bytes or a human form such
    /// as `10 GB` (stored in Nextcloud's lossy form, as a `PUT` would store it).
    #[serde(default = "default_quota")]
    pub quota: String,
    /// Bytes in use.
    #[serde(default)]
    pub used_bytes: u64,
    /// The groups the account is in; each must be listed in [`Seed::groups`] (or be
    /// `admin`).
    #[serde(default)]
    pub groups: Vec<String>,
}

fn enabled_by_default() -> bool {
    true
}

fn default_quota() -> String {
    "default".to_string()
}

impl Seed {
    /// Reads a seed document (as `--seed` and `--state` files hold it).
    pub fn from_json(document: Value) -> Result<Seed, SeedError> {
        provision_core::testkit::seed::read_seed(document)
    }

    /// The document form of this seed.
    pub fn to_json(&self) -> Value {
        provision_core::testkit::seed::seed_document(self)
    }
}

use std::collections::BTreeSet;

use super::state::{parse_quota, QuotaInput, State, StorageReport, UserEntry, ADMIN_GROUP};

impl State {
    /// Loads a seed over the fresh state (which holds only the admin account and the
    /// `admin` group). Checks everything before changing anything.
    pub(crate) fn apply_seed(&mut self, seed: &Seed) -> Result<(), SeedError> {
        let mut group_ids = BTreeSet::from([ADMIN_GROUP.to_string()]);
        for group in &seed.groups {
            if group.id.trim().is_empty() {
                return Err(SeedError::Invalid("a group has an empty id".into()));
            }
            if !group_ids.insert(group.id.clone()) && group.id != ADMIN_GROUP {
                return Err(SeedError::Invalid(format!(
                    "group {:?} is listed twice",
                    group.id
                )));
            }
        }
        let mut keys = BTreeSet::new();
        let mut entries = Vec::with_capacity(seed.users.len());
        for user in &seed.users {
            let key = user.id.to_lowercase();
            if user.id.trim().is_empty() {
                return Err(SeedError::Invalid("a user has an empty id".into()));
            }
            if !keys.insert(key.clone()) {
                return Err(SeedError::Invalid(format!(
                    "user {:?} is listed twice (ids are unique in any case)",
                    user.id
                )));
            }
            let quota = match parse_quota(&user.quota) {
                QuotaInput::Stored(quota) => quota,
                QuotaInput::Invalid | QuotaInput::Negative => {
                    return Err(SeedError::Invalid(format!(
                        "user {:?}: quota {:?} is not none, default, bytes or a size such as \"10 GB\"",
                        user.id, user.quota
                    )))
                }
            };
            if let Some(missing) = user.groups.iter().find(|g| !group_ids.contains(*g)) {
                return Err(SeedError::Invalid(format!(
                    "user {:?}: group {missing:?} is not in groups",
                    user.id
                )));
            }
            let is_admin = key == self.admin_key;
            let mut entry = UserEntry::new(&user.id, &user.password);
            if let (true, Some(admin)) = (is_admin, self.users.get(&key)) {
                // The admin keeps the credentials the mock was started with.
                entry.id.clone_from(&admin.id);
                entry.password.clone_from(&admin.password);
            }
            entry.display_name = user.display_name.clone().filter(|n| !n.is_empty());
            entry.email = user
                .email
                .as_deref()
                .map(|e| e.trim().to_lowercase())
                .filter(|e| !e.is_empty());
            entry.enabled = user.enabled || is_admin;
            entry.quota = quota;
            entry.used = user.used_bytes;
            entry.report = StorageReport::Full;
            entry.groups = user.groups.iter().cloned().collect();
            if is_admin {
                entry.groups.insert(ADMIN_GROUP.to_string());
            }
            entries.push((key, entry));
        }
        for group in &seed.groups {
            let display = group
                .display_name
                .clone()
                .unwrap_or_else(|| group.id.clone());
            self.groups.insert(group.id.clone(), display);
        }
        self.users.extend(entries);
        Ok(())
    }

    /// The state in the seed format: every group but `admin` (unless renamed), every
    /// account (the admin too).
    pub(crate) fn snapshot(&self) -> Seed {
        let groups = self
            .groups
            .iter()
            .filter(|(id, name)| !(id.as_str() == ADMIN_GROUP && id == name))
            .map(|(id, name)| SeedGroup {
                id: id.clone(),
                display_name: (name != id).then(|| name.clone()),
            })
            .collect();
        let users = self
            .users
            .values()
            .map(|u| SeedUser {
                id: u.id.clone(),
                password: u.password.clone(),
                display_name: u.display_name.clone(),
                email: u.email.clone(),
                enabled: u.enabled,
                quota: u.quota.text(),
                used_bytes: u.used,
                groups: u.groups.iter().cloned().collect(),
            })
            .collect();
        Seed { groups, users }
    }
}
