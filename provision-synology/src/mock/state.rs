//! What the mock DSM keeps: its configuration, users, groups, sessions, clock, faults
//! and request log.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::time::Duration;

use rand::distr::{Alphanumeric, SampleString};
use rand::Rng;

use super::{Fault, NoiseMode, RecordedRequest};
use crate::client::PasswordPolicy;
use crate::noise::responder::{HashVerifier, StaticKey};

/// Names DSM keeps for itself and refuses on create (facts sheet §11), lower case.
pub(crate) const RESERVED_NAMES: [&str; 4] = ["root", "synologycms", "mailer-daemon", "postmaster"];

/// Built-in accounts that cannot be deleted.
pub(crate) const DEFAULT_ACCOUNTS: [&str; 2] = ["admin", "guest"];

/// Settings tests change to emulate one DSM or another.
pub(crate) struct Config {
    pub(crate) auth_max_version: u32,
    pub(crate) removed_apis: BTreeSet<String>,
    pub(crate) noise: NoiseMode,
    pub(crate) token_required: Option<i64>,
    pub(crate) idle_timeout: Duration,
    pub(crate) password_policy: PasswordPolicy,
    pub(crate) password_error_code: i64,
    pub(crate) group_list_gid: bool,
    pub(crate) auto_block_after: Option<u32>,
    pub(crate) two_factor_required: bool,
    pub(crate) latency: Duration,
    pub(crate) homes_volume: String,
    pub(crate) volumes: Vec<String>,
    pub(crate) max_page: Option<usize>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            auth_max_version: 7,
            removed_apis: BTreeSet::new(),
            noise: NoiseMode::Offered,
            token_required: Some(105),
            idle_timeout: Duration::from_secs(3600),
            // The policy of the facts sheet's captured example (§11).
            password_policy: PasswordPolicy {
                min_length: Some(8),
                mixed_case: true,
                numeric: true,
                special: false,
                exclude_username: true,
            },
            password_error_code: 3121,
            group_list_gid: false,
            auto_block_after: Some(10),
            two_factor_required: false,
            latency: Duration::ZERO,
            homes_volume: "/volume1".to_string(),
            volumes: vec!["/volume1".to_string(), "/volume2".to_string()],
            max_page: None,
        }
    }
}

/// One local user.
pub(crate) struct UserRecord {
    pub(crate) name: String,
    pub(crate) uid: u32,
    pub(crate) password: String,
    pub(crate) description: String,
    pub(crate) email: String,
    pub(crate) expired: String,
    pub(crate) cannot_chg_passwd: bool,
    pub(crate) passwd_never_expire: bool,
    pub(crate) password_last_change: i64,
    pub(crate) otp: Option<OtpState>,
    pub(crate) device_tokens: Vec<String>,
    pub(crate) used_mib: f64,
    pub(crate) own_quota_mib: f64,
}

/// A user's second factor: the code valid now and the codes already used.
pub(crate) struct OtpState {
    pub(crate) current: String,
    pub(crate) used: BTreeSet<String>,
}

impl OtpState {
    pub(crate) fn new() -> Self {
        OtpState {
            current: six_digits(),
            used: BTreeSet::new(),
        }
    }

    /// Consumes the current code and draws the next.
    pub(crate) fn rotate(&mut self) {
        let old = std::mem::replace(&mut self.current, six_digits());
        self.used.insert(old);
    }
}

fn six_digits() -> String {
    format!("{:06}", rand::rng().random_range(0..1_000_000u32))
}

/// One group with its members (lower-case user keys) and its `homes` share quota.
pub(crate) struct GroupRecord {
    pub(crate) name: String,
    pub(crate) gid: u32,
    pub(crate) description: String,
    pub(crate) members: BTreeSet<String>,
    pub(crate) homes_quota_mib: f64,
}

/// A logged-in session.
pub(crate) struct SessionRecord {
    pub(crate) account: String,
    pub(crate) version: u32,
    pub(crate) synotoken: String,
    pub(crate) last_used: Duration,
    pub(crate) verifier: Option<HashVerifier>,
}

/// An injected fault and how many more requests it hits.
pub(crate) struct ActiveFault {
    pub(crate) fault: Fault,
    pub(crate) skipped: usize,
    pub(crate) hit: usize,
}

/// Everything the mock keeps.
pub(crate) struct State {
    pub(crate) config: Config,
    pub(crate) users: BTreeMap<String, UserRecord>,
    pub(crate) hidden_names: BTreeSet<String>,
    pub(crate) groups: BTreeMap<String, GroupRecord>,
    pub(crate) next_uid: u32,
    pub(crate) next_gid: u32,
    pub(crate) sessions: HashMap<String, SessionRecord>,
    pub(crate) clock: Duration,
    pub(crate) failed_logins: u32,
    pub(crate) faults: Vec<ActiveFault>,
    /// The most recent requests, at most [`super::REQUEST_LOG_LIMIT`].
    pub(crate) requests: std::collections::VecDeque<RecordedRequest>,
    pub(crate) request_count: usize,
    pub(crate) noise_key: StaticKey,
    /// The key of the administrator the mock was started for.
    pub(crate) admin_key: String,
}

/// A lower-case key: DSM treats names case-insensitively.
pub(crate) fn key(name: &str) -> String {
    name.to_lowercase()
}

/// A random token of `len` URL-safe characters.
pub(crate) fn random_token(len: usize) -> String {
    Alphanumeric.sample_string(&mut rand::rng(), len)
}

/// Days since 1970-01-01, as DSM reports `password_last_change`.
pub(crate) fn days_since_epoch() -> i64 {
    chrono::Utc::now().timestamp() / 86_400
}

impl State {
    pub(crate) fn new(noise_key: StaticKey, admin: &str, admin_password: &str) -> Self {
        let mut state = State {
            config: Config::default(),
            users: BTreeMap::new(),
            hidden_names: ["sc-mock-package"].iter().map(|s| s.to_string()).collect(),
            groups: BTreeMap::new(),
            next_uid: 1024,
            next_gid: 65536,
            sessions: HashMap::new(),
            clock: Duration::ZERO,
            failed_logins: 0,
            faults: Vec::new(),
            requests: std::collections::VecDeque::new(),
            request_count: 0,
            noise_key,
            admin_key: key(admin),
        };
        for (name, gid, description) in [
            ("users", 100, "System default group"),
            ("administrators", 101, "System default admin group"),
            ("http", 1023, "System default group for the web server"),
        ] {
            state.groups.insert(
                key(name),
                GroupRecord {
                    name: name.to_string(),
                    gid,
                    description: description.to_string(),
                    members: BTreeSet::new(),
                    homes_quota_mib: 0.0,
                },
            );
        }
        // admin (1024) and guest (1025) exist disabled, as on a fresh DSM 7.
        state.insert_user("admin", &random_token(24), "System default user", "now");
        state.insert_user("guest", &random_token(24), "Guest", "now");
        state.insert_user(
            admin,
            admin_password,
            "provisioning administrator",
            "normal",
        );
        if let Some(group) = state.groups.get_mut("administrators") {
            group.members.insert(key("admin"));
            group.members.insert(key(admin));
        }
        state
    }

    /// Adds a user with the next uid, member of `users`.
    pub(crate) fn insert_user(
        &mut self,
        name: &str,
        password: &str,
        description: &str,
        expired: &str,
    ) -> u32 {
        let uid = self.next_uid;
        self.next_uid += 1;
        self.users.insert(
            key(name),
            UserRecord {
                name: name.to_string(),
                uid,
                password: password.to_string(),
                description: description.to_string(),
                email: String::new(),
                expired: expired.to_string(),
                cannot_chg_passwd: false,
                passwd_never_expire: false,
                password_last_change: days_since_epoch(),
                otp: None,
                device_tokens: Vec::new(),
                used_mib: 0.0,
                own_quota_mib: 0.0,
            },
        );
        if let Some(users) = self.groups.get_mut("users") {
            users.members.insert(key(name));
        }
        uid
    }

    /// Adds a group with the next gid.
    pub(crate) fn insert_group(
        &mut self,
        name: &str,
        description: &str,
        homes_quota_mib: f64,
    ) -> u32 {
        let gid = self.next_gid;
        self.next_gid += 1;
        self.groups.insert(
            key(name),
            GroupRecord {
                name: name.to_string(),
                gid,
                description: description.to_string(),
                members: BTreeSet::new(),
                homes_quota_mib,
            },
        );
        gid
    }

    /// Whether a name is taken: an account, a hidden package account or a system name.
    pub(crate) fn name_taken(&self, name: &str) -> bool {
        let k = key(name);
        self.users.contains_key(&k)
            || self.hidden_names.contains(&k)
            || RESERVED_NAMES.contains(&k.as_str())
    }

    /// The groups a user is in, by name.
    pub(crate) fn groups_of(&self, user_key: &str) -> Vec<String> {
        self.groups
            .values()
            .filter(|g| g.members.contains(user_key))
            .map(|g| g.name.clone())
            .collect()
    }

    /// Whether the user is in `administrators`.
    pub(crate) fn is_admin(&self, user_key: &str) -> bool {
        self.groups
            .get("administrators")
            .is_some_and(|g| g.members.contains(user_key))
    }

    /// The homes limit a user inherits from its groups: administrators are unlimited;
    /// otherwise the largest group limit (DSM's rule for several plan groups is unknown).
    pub(crate) fn group_limit_mib(&self, user_key: &str) -> f64 {
        if self.is_admin(user_key) {
            return 0.0;
        }
        self.groups
            .values()
            .filter(|g| g.members.contains(user_key))
            .map(|g| g.homes_quota_mib)
            .fold(0.0, f64::max)
    }

    /// Active administrators besides `except`.
    pub(crate) fn other_active_admins(&self, except: &str) -> usize {
        self.groups.get("administrators").map_or(0, |g| {
            g.members
                .iter()
                .filter(|m| m.as_str() != except)
                .filter(|m| self.users.get(*m).is_some_and(|u| u.expired == "normal"))
                .count()
        })
    }

    /// Drops sessions idle for longer than the timeout.
    pub(crate) fn expire_idle_sessions(&mut self) {
        let (clock, timeout) = (self.clock, self.config.idle_timeout);
        self.sessions
            .retain(|_, s| clock.saturating_sub(s.last_used) <= timeout);
    }
}
