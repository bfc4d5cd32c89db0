//! The mock DSM's start state as a document: what `provision mock synology --seed`
//! reads, what `--state` stores and what
//! [`MockSynology::snapshot`](super::MockSynology::snapshot) gives back.
//!
//! The passwords in a seed or a snapshot are the test credentials of a mock server, kept
//! in plain text so that a test suite can log in with them; never put a real password in
//! one.
//!
//! Accounts in `admins` are members of `administrators`; those in `users` are not (unless
//! a group entry for `administrators` names them). Every account is in `users`, as on
//! DSM. An entry for an account the mock always has (`admin`, `guest`, the start
//! administrator) changes that account; the start administrator keeps the password the
//! mock was started with. Built-in groups (`administrators`, `users`, `http`) may be
//! listed to set their description and `homes` quota or add members.
//!
//! ```
//! use provision_synology::mock::seed::Seed;
//!
//! let seed = Seed::from_json(serde_json::json!({
//!     "admins": [{"name": "ops", "password": "Ops-Passw0rd"}],
//!     "users": [{
//!         "name": "c42-s7",
//!         "password": "Cust-Passw0rd",
//!         "email": "alice@example.com",
//!         "description": "client 42 / service 7",
//!         "used_bytes": 1048576
//!     }, {
//!         "name": "c43-s8",
//!         "password": "Cust-Passw0rd",
//!         "expired": "now"
//!     }],
//!     "groups": [{"name": "plan-10g", "homes_quota_bytes": 10737418240u64, "members": ["c42-s7"]}]
//! }))
//! .unwrap();
//! assert_eq!(seed.users[0].expired, "normal");
//! let typo = Seed::from_json(serde_json::json!({"groups": [{"name": "g", "quota": 1}]}));
//! assert!(typo.unwrap_err().to_string().contains("quota"));
//! ```

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::state::{key, State, UserRecord};

const MIB: f64 = 1_048_576.0;

pub use provision_core::testkit::seed::SeedError;

/// The whole start state.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Seed {
    /// Accounts in `administrators`.
    #[serde(default)]
    pub admins: Vec<SeedUser>,
    /// Other accounts.
    #[serde(default)]
    pub users: Vec<SeedUser>,
    /// Groups with their `homes` quota and members.
    #[serde(default)]
    pub groups: Vec<SeedGroup>,
}

/// A local account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedUser {
    /// The name (unique in any case).
    pub name: String,
    /// The password (a mock's test credential, see the module docs).
    pub password: String,
    /// The uid; the next free one (from 1024) when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uid: Option<u32>,
    /// The e-mail address.
    #[serde(default)]
    pub email: String,
    /// The description.
    #[serde(default)]
    pub description: String,
    /// DSM's `expired`: `normal` (enabled), `now` (disabled) or a date such as
    /// `2030/1/31`.
    #[serde(default = "normal")]
    pub expired: String,
    /// Bytes in the account's home (DSM reports MiB; any byte count is kept exactly).
    #[serde(default)]
    pub used_bytes: u64,
    /// The account's own `homes` quota in bytes (0: none, the groups' applies).
    #[serde(default)]
    pub quota_bytes: u64,
    /// `cannot_chg_passwd`.
    #[serde(default)]
    pub cannot_chg_passwd: bool,
    /// `passwd_never_expire`.
    #[serde(default)]
    pub passwd_never_expire: bool,
}

/// A group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedGroup {
    /// The name (unique in any case, at most 32 characters).
    pub name: String,
    /// The gid; the next free one (from 65536) when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gid: Option<u32>,
    /// The description.
    #[serde(default)]
    pub description: String,
    /// The quota each member gets on the `homes` share, in bytes (0: no limit).
    #[serde(default)]
    pub homes_quota_bytes: u64,
    /// Member account names (each in `admins`, `users` or built in).
    #[serde(default)]
    pub members: Vec<String>,
}

fn normal() -> String {
    "normal".to_string()
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

/// Gives `id` to `owner` (which gives up the one it held); the other owner when taken.
fn claim(taken: &mut BTreeMap<u32, String>, id: u32, owner: &str) -> Option<String> {
    taken.retain(|_, held_by| held_by != owner);
    taken.insert(id, owner.to_string())
}

fn invalid(message: String) -> SeedError {
    SeedError::Invalid(message)
}

impl State {
    /// Loads a seed over the fresh state. Checks everything before changing anything.
    pub(crate) fn apply_seed(&mut self, seed: &Seed) -> Result<(), SeedError> {
        let accounts: Vec<(&SeedUser, bool)> = seed
            .admins
            .iter()
            .map(|u| (u, true))
            .chain(seed.users.iter().map(|u| (u, false)))
            .collect();
        let mut names = BTreeSet::new();
        // uid -> key, for every account after the seed.
        let mut uids: BTreeMap<u32, String> =
            self.users.iter().map(|(k, u)| (u.uid, k.clone())).collect();
        for (user, _) in &accounts {
            let k = key(&user.name);
            if user.name.trim().is_empty() {
                return Err(invalid("an account has an empty name".into()));
            }
            if !names.insert(k.clone()) {
                return Err(invalid(format!(
                    "account {:?} is listed twice (names are unique in any case)",
                    user.name
                )));
            }
            if let Some(uid) = user.uid {
                if let Some(owner) = claim(&mut uids, uid, &k) {
                    return Err(invalid(format!(
                        "uid {uid} of {:?} is also {owner:?}'s",
                        user.name
                    )));
                }
            }
        }
        let mut group_names = BTreeSet::new();
        let mut gids: BTreeMap<u32, String> = self
            .groups
            .iter()
            .map(|(k, g)| (g.gid, k.clone()))
            .collect();
        for group in &seed.groups {
            let k = key(&group.name);
            if group.name.is_empty() || group.name.chars().count() > 32 {
                return Err(invalid(format!(
                    "group {:?}: a name has 1 to 32 characters",
                    group.name
                )));
            }
            if !group_names.insert(k.clone()) {
                return Err(invalid(format!("group {:?} is listed twice", group.name)));
            }
            if let Some(gid) = group.gid {
                if let Some(owner) = claim(&mut gids, gid, &k) {
                    return Err(invalid(format!(
                        "gid {gid} of {:?} is also {owner:?}'s",
                        group.name
                    )));
                }
            }
            if let Some(missing) = group
                .members
                .iter()
                .find(|m| !names.contains(&key(m)) && !self.users.contains_key(&key(m)))
            {
                return Err(invalid(format!(
                    "group {:?}: member {missing:?} is not an account",
                    group.name
                )));
            }
        }

        for (user, admin) in accounts {
            self.put_account(user, admin);
        }
        for group in &seed.groups {
            let k = key(&group.name);
            if !self.groups.contains_key(&k) {
                self.insert_group(&group.name, "", 0.0);
            }
            if let Some(record) = self.groups.get_mut(&k) {
                record.name.clone_from(&group.name);
                record.description.clone_from(&group.description);
                record.homes_quota_mib = group.homes_quota_bytes as f64 / MIB;
                if let Some(gid) = group.gid {
                    record.gid = gid;
                }
                record.members.extend(group.members.iter().map(|m| key(m)));
            }
        }
        self.next_uid = self
            .users
            .values()
            .map(|u| u.uid + 1)
            .fold(self.next_uid, u32::max);
        self.next_gid = self
            .groups
            .values()
            .map(|g| g.gid + 1)
            .fold(self.next_gid, u32::max);
        Ok(())
    }

    /// Creates or changes one account of a seed.
    fn put_account(&mut self, user: &SeedUser, admin: bool) {
        let k = key(&user.name);
        if !self.users.contains_key(&k) {
            self.insert_user(&user.name, &user.password, "", "normal");
        }
        let start_admin = k == self.admin_key;
        if let Some(record) = self.users.get_mut(&k) {
            record.name.clone_from(&user.name);
            if !start_admin {
                record.password.clone_from(&user.password);
            }
            if let Some(uid) = user.uid {
                record.uid = uid;
            }
            record.email.clone_from(&user.email);
            record.description.clone_from(&user.description);
            record.expired.clone_from(&user.expired);
            record.used_mib = user.used_bytes as f64 / MIB;
            record.own_quota_mib = user.quota_bytes as f64 / MIB;
            record.cannot_chg_passwd = user.cannot_chg_passwd;
            record.passwd_never_expire = user.passwd_never_expire;
        }
        if admin {
            if let Some(group) = self.groups.get_mut("administrators") {
                group.members.insert(k);
            }
        }
    }

    /// The state in the seed format.
    pub(crate) fn snapshot(&self) -> Seed {
        let mut seed = Seed::default();
        for (k, user) in &self.users {
            let entry = seed_user(user);
            if self.is_admin(k) {
                seed.admins.push(entry);
            } else {
                seed.users.push(entry);
            }
        }
        seed.groups = self
            .groups
            .values()
            .map(|g| SeedGroup {
                name: g.name.clone(),
                gid: Some(g.gid),
                description: g.description.clone(),
                homes_quota_bytes: (g.homes_quota_mib * MIB).round() as u64,
                members: g
                    .members
                    .iter()
                    .filter_map(|m| self.users.get(m).map(|u| u.name.clone()))
                    .collect(),
            })
            .collect();
        seed
    }
}

fn seed_user(user: &UserRecord) -> SeedUser {
    SeedUser {
        name: user.name.clone(),
        password: user.password.clone(),
        uid: Some(user.uid),
        email: user.email.clone(),
        description: user.description.clone(),
        expired: user.expired.clone(),
        used_bytes: (user.used_mib * MIB).round() as u64,
        quota_bytes: (user.own_quota_mib * MIB).round() as u64,
        cannot_chg_passwd: user.cannot_chg_passwd,
        passwd_never_expire: user.passwd_never_expire,
    }
}
