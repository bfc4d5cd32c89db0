//! What the mock server keeps: users, canned policies, groups, buckets with object
//! versions, and the scanner's data-usage snapshot.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use secrecy::SecretString;
use serde_json::{json, Value};

use super::eval::{DocumentKind, Policy};
use super::Dialect;
use crate::wire::madmin::Algorithm;

/// The release the mock reports in MinIO dialect (the last community release).
pub(super) const MINIO_VERSION: &str = "2025-10-15T17:29:55Z";
/// The release the mock reports in RustFS dialect (as RustFS writes it).
pub(super) const RUSTFS_VERSION: &str = "@1.0.1";

#[derive(Debug, Clone)]
pub(super) struct UserRecord {
    pub(super) secret: SecretString,
    pub(super) enabled: bool,
    pub(super) policies: Vec<String>,
    pub(super) updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub(super) struct PolicyRecord {
    pub(super) document: Value,
    /// The document as the server read it (from the bytes received).
    pub(super) parsed: Policy,
    pub(super) created: DateTime<Utc>,
    pub(super) updated: DateTime<Utc>,
    pub(super) builtin: bool,
}

#[derive(Debug, Clone)]
pub(super) struct GroupRecord {
    pub(super) members: BTreeSet<String>,
    pub(super) enabled: bool,
    pub(super) policies: Vec<String>,
    pub(super) updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub(super) struct VersionRecord {
    pub(super) version_id: String,
    pub(super) size: u64,
    pub(super) delete_marker: bool,
    pub(super) modified: DateTime<Utc>,
    /// COMPLIANCE retention: the version cannot be deleted before this time.
    pub(super) retain_until: Option<DateTime<Utc>>,
}

/// A bucket policy: the bytes received (answered back by GetBucketPolicy) and how the
/// server read them.
#[derive(Debug, Clone)]
pub(super) struct BucketPolicyRecord {
    pub(super) raw: Vec<u8>,
    pub(super) parsed: Policy,
}

/// A multipart upload in progress: part number → size.
#[derive(Debug, Clone)]
pub(super) struct UploadRecord {
    pub(super) key: String,
    pub(super) initiated: DateTime<Utc>,
    pub(super) parts: BTreeMap<u32, u64>,
}

/// The mock keeps sizes, not contents: the ETag is derived from the size.
pub(super) fn etag_of_size(size: u64) -> String {
    format!("\"{:032x}\"", u128::from(size) ^ 0x5eed)
}

impl VersionRecord {
    pub(super) fn etag(&self) -> String {
        etag_of_size(self.size)
    }
}

#[derive(Debug, Clone)]
pub(super) struct BucketRecord {
    pub(super) created: DateTime<Utc>,
    pub(super) versioning: bool,
    /// Key → versions, oldest first.
    pub(super) objects: BTreeMap<String, Vec<VersionRecord>>,
    pub(super) quota: Option<u64>,
    pub(super) policy: Option<BucketPolicyRecord>,
    /// Made with `x-amz-bucket-object-lock-enabled: true` (which implies versioning).
    pub(super) object_lock: bool,
    /// Upload id → upload.
    pub(super) uploads: BTreeMap<String, UploadRecord>,
}

impl BucketRecord {
    fn new() -> BucketRecord {
        BucketRecord {
            created: Utc::now(),
            versioning: false,
            objects: BTreeMap::new(),
            quota: None,
            policy: None,
            object_lock: false,
            uploads: BTreeMap::new(),
        }
    }

    pub(super) fn is_empty(&self) -> bool {
        self.objects.values().all(Vec::is_empty)
    }
}

/// One bucket's scanned figures: the seed's type, so a snapshot needs no copying.
pub(super) use super::seed::SeedBucketUsage as BucketSnapshot;

#[derive(Debug, Clone)]
pub(super) struct UsageSnapshot {
    pub(super) taken: DateTime<Utc>,
    pub(super) buckets: BTreeMap<String, BucketSnapshot>,
}

/// Server behaviour that differs between releases and products.
#[derive(Debug, Clone, Copy)]
pub(super) struct ServerOptions {
    pub(super) dialect: Dialect,
    /// Servers before RELEASE.2023-01-02 have no attach/detach.
    pub(super) legacy_policy_api: bool,
    /// Servers before RELEASE.2021-05-11 decrypt only ids 0 and 1.
    pub(super) accepts_pbkdf2: bool,
    /// The id encrypted answers use.
    pub(super) reply_algorithm: Algorithm,
    /// Whether `/minio/admin/v3/` is served (RustFS also serves `/rustfs/admin/v3/`).
    pub(super) serves_minio_prefix: bool,
}

#[derive(Debug)]
pub(super) struct State {
    pub(super) root_access_key: String,
    pub(super) root_secret: SecretString,
    pub(super) region: Option<String>,
    pub(super) options: ServerOptions,
    pub(super) users: BTreeMap<String, UserRecord>,
    pub(super) policies: BTreeMap<String, PolicyRecord>,
    pub(super) groups: BTreeMap<String, GroupRecord>,
    pub(super) buckets: BTreeMap<String, BucketRecord>,
    pub(super) usage: Option<UsageSnapshot>,
    next_version: u64,
}

/// Why MinIO refuses an access key: at least 3 bytes, no `=` or `,` (sheet §7).
pub(super) fn access_key_problem(access_key: &str) -> Option<&'static str> {
    (access_key.len() < 3 || access_key.contains(['=', ',']))
        .then_some("an access key has at least 3 bytes and no '=' or ','")
}

/// Why MinIO refuses a secret key: fewer than 8 bytes (sheet §7).
pub(super) fn secret_key_problem(secret_key: &str) -> Option<&'static str> {
    (secret_key.len() < 8).then_some("a secret key has at least 8 bytes")
}

fn builtin_policies() -> Vec<(&'static str, Value)> {
    let allow = |actions: Value, resources: Value| {
        json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": actions, "Resource": resources}
        ]})
    };
    vec![
        (
            "readonly",
            allow(
                json!(["s3:GetBucketLocation", "s3:GetObject"]),
                json!(["arn:aws:s3:::*"]),
            ),
        ),
        (
            "readwrite",
            allow(json!(["s3:*"]), json!(["arn:aws:s3:::*"])),
        ),
        (
            "writeonly",
            allow(json!(["s3:PutObject"]), json!(["arn:aws:s3:::*"])),
        ),
        (
            "diagnostics",
            allow(
                json!(["admin:ServerInfo", "admin:Profiling", "admin:ServerTrace"]),
                json!(["arn:minio:admin:::*"]),
            ),
        ),
        (
            "consoleAdmin",
            json!({"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": ["admin:*"]},
                {"Effect": "Allow", "Action": ["s3:*"], "Resource": ["arn:aws:s3:::*"]}
            ]}),
        ),
    ]
}

impl State {
    pub(super) fn new(
        root_access_key: String,
        root_secret: SecretString,
        region: Option<String>,
        options: ServerOptions,
    ) -> State {
        let now = Utc::now();
        let policies = builtin_policies()
            .into_iter()
            .map(|(name, document)| {
                let parsed = Policy::parse(document.to_string().as_bytes(), DocumentKind::Canned)
                    .unwrap_or_else(|e| panic!("built-in policy {name} does not parse: {e}"));
                (
                    name.to_owned(),
                    PolicyRecord {
                        document,
                        parsed,
                        created: now,
                        updated: now,
                        builtin: true,
                    },
                )
            })
            .collect();
        State {
            root_access_key,
            root_secret,
            region,
            options,
            users: BTreeMap::new(),
            policies,
            groups: BTreeMap::new(),
            buckets: BTreeMap::new(),
            usage: None,
            next_version: 1,
        }
    }

    pub(super) fn dialect(&self) -> Dialect {
        self.options.dialect
    }

    /// The secret of an access key that may sign requests (root or an enabled user).
    pub(super) fn secret_for(&self, access_key: &str) -> Option<SecretString> {
        if access_key == self.root_access_key {
            return Some(self.root_secret.clone());
        }
        self.users
            .get(access_key)
            .filter(|u| u.enabled)
            .map(|u| u.secret.clone())
    }

    /// Whether a policy is mapped to any user or group.
    pub(super) fn policy_in_use(&self, name: &str) -> bool {
        self.users
            .values()
            .any(|u| u.policies.iter().any(|p| p == name))
            || self
                .groups
                .values()
                .any(|g| g.policies.iter().any(|p| p == name))
    }

    /// The groups `user` is a member of.
    pub(super) fn groups_of(&self, user: &str) -> Vec<String> {
        self.groups
            .iter()
            .filter(|(_, g)| g.members.contains(user))
            .map(|(name, _)| name.clone())
            .collect()
    }

    pub(super) fn create_bucket(&mut self, name: &str) {
        self.buckets
            .entry(name.to_owned())
            .or_insert_with(BucketRecord::new);
    }

    /// Makes a bucket with object lock (and so versioning) enabled.
    pub(super) fn create_locked_bucket(&mut self, name: &str) {
        let record = self
            .buckets
            .entry(name.to_owned())
            .or_insert_with(BucketRecord::new);
        record.object_lock = true;
        record.versioning = true;
    }

    /// A state with this one's root, region, options and built-in policies, and
    /// nothing else.
    pub(super) fn fresh(&self) -> State {
        let mut state = State::new(
            self.root_access_key.clone(),
            self.root_secret.clone(),
            self.region.clone(),
            self.options,
        );
        state.next_version = self.next_version;
        state
    }

    /// Moves the version counter past every id of the mock's own form, so that ids
    /// loaded from a seed are never handed out again.
    pub(super) fn reserve_version_ids(&mut self) {
        let highest = self
            .buckets
            .values()
            .flat_map(|b| b.objects.values().flatten())
            .filter_map(|v| {
                let (_, counter) = v.version_id.rsplit_once('-')?;
                u64::from_str_radix(counter, 16).ok()
            })
            .max()
            .unwrap_or(0);
        self.next_version = self.next_version.max(highest.saturating_add(1));
    }

    pub(super) fn next_version_id(&mut self) -> String {
        let id = self.next_version;
        self.next_version += 1;
        format!("{id:08x}-0000-4000-8000-{id:012x}")
    }

    /// Stores a new object (or version) and returns its version id (`null` in an
    /// unversioned bucket). `None` when the bucket does not exist.
    pub(super) fn put_object(&mut self, bucket: &str, key: &str, size: u64) -> Option<String> {
        let versioned = self.buckets.get(bucket)?.versioning;
        let version_id = if versioned {
            self.next_version_id()
        } else {
            "null".to_owned()
        };
        let record = VersionRecord {
            version_id: version_id.clone(),
            size,
            delete_marker: false,
            modified: Utc::now(),
            retain_until: None,
        };
        let versions = self
            .buckets
            .get_mut(bucket)?
            .objects
            .entry(key.to_owned())
            .or_default();
        // Without versioning a write replaces the `null` version.
        versions.retain(|v| v.version_id != "null");
        versions.push(record);
        Some(version_id)
    }

    /// Deletes an object as S3 does: a given version is removed; without a version an
    /// unversioned bucket drops the object and a versioned one gains a delete marker.
    /// Returns the id of a delete marker it wrote. `None` when the bucket is missing.
    pub(super) fn delete_object(
        &mut self,
        bucket: &str,
        key: &str,
        version_id: Option<&str>,
    ) -> Option<Option<String>> {
        let versioned = self.buckets.get(bucket)?.versioning;
        let marker_id = (versioned && version_id.is_none()).then(|| self.next_version_id());
        let record = self.buckets.get_mut(bucket)?;
        match (version_id, marker_id) {
            (Some(version), _) => {
                if let Some(versions) = record.objects.get_mut(key) {
                    versions.retain(|v| v.version_id != version);
                    if versions.is_empty() {
                        record.objects.remove(key);
                    }
                }
                Some(None)
            }
            (None, Some(marker)) => {
                record
                    .objects
                    .entry(key.to_owned())
                    .or_default()
                    .push(VersionRecord {
                        version_id: marker.clone(),
                        size: 0,
                        delete_marker: true,
                        modified: Utc::now(),
                        retain_until: None,
                    });
                Some(Some(marker))
            }
            (None, None) => {
                record.objects.remove(key);
                Some(None)
            }
        }
    }

    /// What the scanner would report now.
    pub(super) fn scan(&self) -> UsageSnapshot {
        let buckets = self
            .buckets
            .iter()
            .map(|(name, b)| {
                let mut s = BucketSnapshot::default();
                for versions in b.objects.values() {
                    if versions.last().is_some_and(|v| !v.delete_marker) {
                        s.objects += 1;
                    }
                    for v in versions {
                        if v.delete_marker {
                            s.delete_markers += 1;
                        } else {
                            s.versions += 1;
                            s.size += v.size;
                        }
                    }
                }
                (name.clone(), s)
            })
            .collect();
        UsageSnapshot {
            taken: Utc::now(),
            buckets,
        }
    }
}
