//! The mock's state as a document: what a test (or `provision mock minio --seed`)
//! starts the mock with, and what [`MockMinio::snapshot`](super::MockMinio::snapshot)
//! gives back.
//!
//! Every list may be left out; an unknown field anywhere is an error naming it. The
//! root credentials are not part of a seed: they are the mock's own (see
//! [`MockMinioBuilder::root_credentials`](super::MockMinioBuilder::root_credentials)).
//!
//! ```
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! use provision_minio::mock::{seed::Seed, MockMinio};
//!
//! let seed: Seed = serde_json::from_value(serde_json::json!({
//!     "policies": [{"name": "cust1-policy", "document": {
//!         "Version": "2012-10-17",
//!         "Statement": [{"Effect": "Allow", "Action": ["s3:*"],
//!                        "Resource": ["arn:aws:s3:::cust1", "arn:aws:s3:::cust1/*"]}]}}],
//!     "users": [{"access_key": "cust1", "secret_key": "cust1-secret",
//!                "status": "enabled", "policies": ["cust1-policy"]}],
//!     "groups": [{"name": "basic", "members": ["cust1"]}],
//!     "buckets": [{"name": "cust1", "versioning": true}],
//!     "objects": [{"bucket": "cust1", "key": "a.txt", "size": 2048}],
//!     "usage": {"buckets": {"cust1": {"size": 2048, "objects": 1, "versions": 1}}}
//! })).unwrap();
//! let mock = MockMinio::start().await;
//! mock.load_seed(&seed).unwrap();
//! assert!(mock.user("cust1").unwrap().enabled);
//! assert_eq!(mock.stored_bytes("cust1"), 2048);
//! // The snapshot is a seed again: loading it gives the same state.
//! let copy = MockMinio::start().await;
//! copy.load_seed(&mock.snapshot()).unwrap();
//! assert_eq!(copy.snapshot(), mock.snapshot());
//! # });
//! ```
//!
//! Secrets: a seed and a snapshot hold the users' secret keys in clear, because they
//! are the test credentials of a mock that a later run must be able to sign with. Do
//! not put a real server's credentials in a seed file.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::Value;

use super::eval::{DocumentKind, Policy};
use super::state::{
    access_key_problem, secret_key_problem, BucketPolicyRecord, BucketRecord, GroupRecord,
    PolicyRecord, State, UsageSnapshot, UserRecord, VersionRecord,
};
use crate::wire::policy::is_valid_bucket_name;

/// The whole state of a mock MinIO, apart from its root credentials.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Seed {
    /// Users (not the root user).
    #[serde(default)]
    pub users: Vec<SeedUser>,
    /// Canned policies besides the built-in ones (`readwrite`, `readonly`, ...),
    /// which every mock has.
    #[serde(default)]
    pub policies: Vec<SeedPolicy>,
    /// Groups.
    #[serde(default)]
    pub groups: Vec<SeedGroup>,
    /// Buckets.
    #[serde(default)]
    pub buckets: Vec<SeedBucket>,
    /// Objects (and, in versioned buckets, versions and delete markers, oldest first).
    #[serde(default)]
    pub objects: Vec<SeedObject>,
    /// The scanner's last figures; absent: no scan has run yet (the server answers
    /// zeros and null maps until its first scan).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage: Option<SeedUsage>,
}

/// Whether a user or group is enabled.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SeedStatus {
    /// May sign requests (a group: its policies apply).
    #[default]
    Enabled,
    /// Refused (a group: its policies do not apply).
    Disabled,
}

impl SeedStatus {
    fn of(enabled: bool) -> SeedStatus {
        if enabled {
            SeedStatus::Enabled
        } else {
            SeedStatus::Disabled
        }
    }
}

/// A user.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedUser {
    /// The access key (at least 3 bytes, no `=` or `,`, as MinIO requires).
    pub access_key: String,
    /// The secret key (at least 8 bytes).
    #[serde(serialize_with = "expose")]
    pub secret_key: SecretString,
    /// Enabled unless said otherwise.
    #[serde(default)]
    pub status: SeedStatus,
    /// The mapped canned policies (built-in or from [`Seed::policies`]).
    #[serde(default)]
    pub policies: Vec<String>,
}

impl PartialEq for SeedUser {
    fn eq(&self, other: &SeedUser) -> bool {
        self.access_key == other.access_key
            && self.secret_key.expose_secret() == other.secret_key.expose_secret()
            && self.status == other.status
            && self.policies == other.policies
    }
}

/// A snapshot is meant to be stored and loaded again, secrets included (they are a
/// mock's test credentials).
fn expose<S: Serializer>(secret: &SecretString, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(secret.expose_secret())
}

/// A canned policy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedPolicy {
    /// Its name (not a built-in one).
    pub name: String,
    /// The policy document, read as MinIO reads it.
    pub document: Value,
}

/// A group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedGroup {
    /// Its name.
    pub name: String,
    /// Enabled unless said otherwise.
    #[serde(default)]
    pub status: SeedStatus,
    /// Its members (users from [`Seed::users`]).
    #[serde(default)]
    pub members: Vec<String>,
    /// The mapped canned policies.
    #[serde(default)]
    pub policies: Vec<String>,
}

/// A bucket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedBucket {
    /// Its name (S3 bucket naming rules).
    pub name: String,
    /// Whether versioning is on (object lock turns it on too).
    #[serde(default)]
    pub versioning: bool,
    /// Made with object lock.
    #[serde(default)]
    pub object_lock: bool,
    /// A hard quota in bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quota: Option<u64>,
    /// The bucket policy, as the text a client sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<String>,
    /// When it was made (default: when the seed is loaded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<DateTime<Utc>>,
}

/// An object, or one version of it, or a delete marker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedObject {
    /// The bucket (from [`Seed::buckets`]).
    pub bucket: String,
    /// The key.
    pub key: String,
    /// The size in bytes (0 for a delete marker).
    #[serde(default)]
    pub size: u64,
    /// The version id; default: a fresh one in a versioned bucket, `null` otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version_id: Option<String>,
    /// Whether this version is a delete marker (versioned buckets only).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub delete_marker: bool,
    /// When it was written (default: when the seed is loaded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified: Option<DateTime<Utc>>,
    /// COMPLIANCE retention until this time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retain_until: Option<DateTime<Utc>>,
}

/// The scanner's figures, as the data-usage call reports them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedUsage {
    /// When the scan ran (default: when the seed is loaded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_update: Option<DateTime<Utc>>,
    /// Per bucket (buckets from [`Seed::buckets`]).
    #[serde(default)]
    pub buckets: BTreeMap<String, SeedBucketUsage>,
}

/// One bucket's scanned figures.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedBucketUsage {
    /// Bytes, every version counted.
    #[serde(default)]
    pub size: u64,
    /// Objects whose latest version is not a delete marker.
    #[serde(default)]
    pub objects: u64,
    /// Versions that are not delete markers.
    #[serde(default)]
    pub versions: u64,
    /// Delete markers.
    #[serde(default)]
    pub delete_markers: u64,
}

/// Why a seed cannot be loaded; it names the item.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SeedError {
    /// The document does not have the seed's shape (serde's message names the field).
    #[error("not a MinIO mock seed: {0}")]
    Shape(String),
    /// An item breaks a rule the server enforces.
    #[error("{item}: {problem}")]
    Invalid {
        /// Which item (`users[2] "bob"`).
        item: String,
        /// What is wrong with it.
        problem: String,
    },
}

fn invalid(item: String, problem: impl Into<String>) -> SeedError {
    SeedError::Invalid {
        item,
        problem: problem.into(),
    }
}

/// Adds an item, refusing a second one of the same name.
fn insert_once<V>(
    items: &mut BTreeMap<String, V>,
    name: &str,
    record: V,
    item: String,
) -> Result<(), SeedError> {
    match items.insert(name.to_owned(), record) {
        Some(_) => Err(invalid(item, "is given twice")),
        None => Ok(()),
    }
}

impl Seed {
    /// Reads a seed from a JSON value; unknown fields are errors naming them.
    pub fn from_json(value: Value) -> Result<Seed, SeedError> {
        serde_json::from_value(value).map_err(|e| SeedError::Shape(e.to_string()))
    }

    /// The seed as JSON (secrets in clear: see the module docs).
    pub fn to_json(&self) -> Value {
        // A derived Serialize of strings, numbers, maps and times cannot fail.
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

/// Builds the state a seed describes, on top of `base` (its root, region, options and
/// built-in policies), checking every rule first.
pub(super) fn apply(base: &State, seed: &Seed) -> Result<State, SeedError> {
    let mut state = base.fresh();
    let now = Utc::now();
    for (i, p) in seed.policies.iter().enumerate() {
        let item = format!("policies[{i}] {:?}", p.name);
        if state.policies.get(&p.name).is_some_and(|r| r.builtin) {
            return Err(invalid(item, "is a built-in policy"));
        }
        if p.name.is_empty() || p.name.trim() != p.name || p.name.contains(',') {
            return Err(invalid(
                item,
                "a policy name is not empty, has no comma and no leading or trailing space",
            ));
        }
        let parsed = Policy::parse(p.document.to_string().as_bytes(), DocumentKind::Canned)
            .map_err(|e| invalid(item.clone(), e.to_string()))?;
        let record = PolicyRecord {
            document: p.document.clone(),
            parsed,
            created: now,
            updated: now,
            builtin: false,
        };
        insert_once(&mut state.policies, &p.name, record, item)?;
    }
    let known_policies = |item: &str, names: &[String], state: &State| {
        names
            .iter()
            .find(|n| !state.policies.contains_key(*n))
            .map_or(Ok(()), |n| {
                Err(invalid(item.to_owned(), format!("no policy {n:?}")))
            })
    };
    for (i, u) in seed.users.iter().enumerate() {
        let item = format!("users[{i}] {:?}", u.access_key);
        if u.access_key == state.root_access_key {
            return Err(invalid(item, "is the root user"));
        }
        if let Some(problem) = access_key_problem(&u.access_key)
            .or_else(|| secret_key_problem(u.secret_key.expose_secret()))
        {
            return Err(invalid(item, problem));
        }
        known_policies(&item, &u.policies, &state)?;
        let record = UserRecord {
            secret: u.secret_key.clone(),
            enabled: u.status == SeedStatus::Enabled,
            policies: u.policies.clone(),
            updated_at: now,
        };
        insert_once(&mut state.users, &u.access_key, record, item)?;
    }
    for (i, g) in seed.groups.iter().enumerate() {
        let item = format!("groups[{i}] {:?}", g.name);
        if g.name.is_empty() || g.name.trim() != g.name {
            return Err(invalid(
                item,
                "a group name is not empty and has no leading or trailing space",
            ));
        }
        if let Some(m) = g.members.iter().find(|m| !state.users.contains_key(*m)) {
            return Err(invalid(item, format!("no user {m:?}")));
        }
        known_policies(&item, &g.policies, &state)?;
        let record = GroupRecord {
            members: g.members.iter().cloned().collect::<BTreeSet<_>>(),
            enabled: g.status == SeedStatus::Enabled,
            policies: g.policies.clone(),
            updated_at: now,
        };
        insert_once(&mut state.groups, &g.name, record, item)?;
    }
    for (i, b) in seed.buckets.iter().enumerate() {
        let item = format!("buckets[{i}] {:?}", b.name);
        if !is_valid_bucket_name(&b.name) || b.name == "minio" {
            return Err(invalid(item, "not a valid bucket name"));
        }
        let policy = match &b.policy {
            None => None,
            Some(text) => Some(BucketPolicyRecord {
                parsed: Policy::parse(text.as_bytes(), DocumentKind::Bucket(&b.name))
                    .map_err(|e| invalid(item.clone(), format!("policy: {e}")))?,
                raw: text.as_bytes().to_vec(),
            }),
        };
        let record = BucketRecord {
            created: b.created.unwrap_or(now),
            versioning: b.versioning || b.object_lock,
            objects: BTreeMap::new(),
            quota: b.quota,
            policy,
            object_lock: b.object_lock,
            uploads: BTreeMap::new(),
        };
        insert_once(&mut state.buckets, &b.name, record, item)?;
    }
    for (i, o) in seed.objects.iter().enumerate() {
        let item = format!("objects[{i}] {:?}/{:?}", o.bucket, o.key);
        let versioned = match state.buckets.get(&o.bucket) {
            None => return Err(invalid(item, "no such bucket")),
            Some(b) => b.versioning,
        };
        if o.key.is_empty() {
            return Err(invalid(item, "an object key is not empty"));
        }
        if o.delete_marker && o.size != 0 {
            return Err(invalid(item, "a delete marker has size 0"));
        }
        // A bucket whose versioning was switched holds both kinds of ids.
        let version_id = match (&o.version_id, versioned) {
            (Some(id), _) if id.is_empty() => return Err(invalid(item, "an empty version id")),
            (Some(id), _) => id.clone(),
            (None, true) => state.next_version_id(),
            (None, false) => "null".to_owned(),
        };
        let record = VersionRecord {
            version_id,
            size: o.size,
            delete_marker: o.delete_marker,
            modified: o.modified.unwrap_or(now),
            retain_until: o.retain_until,
        };
        let versions = state
            .buckets
            .get_mut(&o.bucket)
            .map(|b| b.objects.entry(o.key.clone()).or_default());
        if let Some(versions) = versions {
            if versions.iter().any(|v| v.version_id == record.version_id) {
                return Err(invalid(item, "this version is given twice"));
            }
            versions.push(record);
        }
    }
    state.reserve_version_ids();
    if let Some(usage) = &seed.usage {
        if let Some(name) = usage
            .buckets
            .keys()
            .find(|n| !state.buckets.contains_key(*n))
        {
            return Err(invalid(format!("usage.buckets {name:?}"), "no such bucket"));
        }
        state.usage = Some(UsageSnapshot {
            taken: usage.last_update.unwrap_or(now),
            buckets: usage.buckets.clone(),
        });
    }
    Ok(state)
}

/// The state as a seed (built-in policies and uploads in progress left out).
pub(super) fn snapshot(state: &State) -> Seed {
    let users = state
        .users
        .iter()
        .map(|(name, u)| SeedUser {
            access_key: name.clone(),
            secret_key: u.secret.clone(),
            status: SeedStatus::of(u.enabled),
            policies: u.policies.clone(),
        })
        .collect();
    let policies = state
        .policies
        .iter()
        .filter(|(_, p)| !p.builtin)
        .map(|(name, p)| SeedPolicy {
            name: name.clone(),
            document: p.document.clone(),
        })
        .collect();
    let groups = state
        .groups
        .iter()
        .map(|(name, g)| SeedGroup {
            name: name.clone(),
            status: SeedStatus::of(g.enabled),
            members: g.members.iter().cloned().collect(),
            policies: g.policies.clone(),
        })
        .collect();
    let buckets = state
        .buckets
        .iter()
        .map(|(name, b)| SeedBucket {
            name: name.clone(),
            versioning: b.versioning,
            object_lock: b.object_lock,
            quota: b.quota,
            policy: b
                .policy
                .as_ref()
                .map(|p| String::from_utf8_lossy(&p.raw).into_owned()),
            created: Some(b.created),
        })
        .collect();
    let objects = state
        .buckets
        .iter()
        .flat_map(|(bucket, b)| {
            b.objects.iter().flat_map(move |(key, versions)| {
                versions.iter().map(move |v| SeedObject {
                    bucket: bucket.clone(),
                    key: key.clone(),
                    size: v.size,
                    version_id: (b.versioning || v.version_id != "null")
                        .then(|| v.version_id.clone()),
                    delete_marker: v.delete_marker,
                    modified: Some(v.modified),
                    retain_until: v.retain_until,
                })
            })
        })
        .collect();
    let usage = state.usage.as_ref().map(|u| SeedUsage {
        last_update: Some(u.taken),
        buckets: u.buckets.clone(),
    });
    Seed {
        users,
        policies,
        groups,
        buckets,
        objects,
        usage,
    }
}
