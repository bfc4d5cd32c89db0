//! Which S3 actions a tenant gets: an allow-list, the bucket features an operator
//! opts into, and what a limited (over-quota) tenant keeps.
//!
//! `s3:*` is not a tenant policy: it includes `s3:PutBucketPolicy`, with which a
//! tenant makes its bucket writable by anonymous requests and keeps writing after the
//! limit switch (which rewrites only the user's own policy), and
//! `s3:PutObjectRetention`, with which COMPLIANCE retention makes terminate
//! impossible for years. The action names are the server's (minio/pkg
//! `policy/action.go`).

use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

use super::matcher::wildcard_match;

/// What a tenant may do in its own namespace, with why it is safe to hand out.
pub const TENANT_ACTIONS: &[(&str, &str)] = &[
    (
        "s3:CreateBucket",
        "make `T.<suffix>` buckets (the resources confine it)",
    ),
    ("s3:DeleteBucket", "remove its own empty buckets"),
    ("s3:HeadBucket", "check that its bucket exists"),
    (
        "s3:GetBucketLocation",
        "SDKs ask for the region before other calls",
    ),
    ("s3:ListBucket", "list its objects"),
    ("s3:ListBucketVersions", "list the versions of its objects"),
    ("s3:ListBucketMultipartUploads", "see unfinished uploads"),
    ("s3:ListMultipartUploadParts", "resume an upload"),
    ("s3:AbortMultipartUpload", "drop an unfinished upload"),
    ("s3:GetObject", "read its objects"),
    ("s3:GetObjectVersion", "read older versions"),
    ("s3:GetObjectAttributes", "read object metadata"),
    ("s3:GetObjectVersionAttributes", "read version metadata"),
    (
        "s3:PutObject",
        "write objects (also multipart parts and copies)",
    ),
    ("s3:DeleteObject", "delete objects"),
    ("s3:DeleteObjectVersion", "delete versions"),
    ("s3:GetObjectTagging", "read object tags"),
    ("s3:PutObjectTagging", "set object tags"),
    ("s3:DeleteObjectTagging", "remove object tags"),
    ("s3:GetObjectVersionTagging", "read version tags"),
    ("s3:PutObjectVersionTagging", "set version tags"),
    ("s3:DeleteObjectVersionTagging", "remove version tags"),
    ("s3:GetBucketVersioning", "read whether versioning is on"),
    (
        "s3:PutBucketVersioning",
        "switch versioning (old versions count in the usage)",
    ),
    ("s3:GetBucketTagging", "read bucket tags"),
    ("s3:PutBucketTagging", "set bucket tags"),
    ("s3:GetBucketCors", "read CORS rules"),
    ("s3:PutBucketCors", "let its own web pages reach the bucket"),
    ("s3:DeleteBucketCors", "remove CORS rules"),
    (
        "s3:GetBucketPolicy",
        "read a bucket policy (it cannot set one)",
    ),
    (
        "s3:GetBucketPolicyStatus",
        "read whether the bucket is public",
    ),
    (
        "s3:GetBucketObjectLockConfiguration",
        "read the object-lock setting",
    ),
    ("s3:GetObjectRetention", "read an object's retention"),
    ("s3:GetObjectLegalHold", "read an object's legal hold"),
    ("s3:GetLifecycleConfiguration", "read lifecycle rules"),
    (
        "s3:GetEncryptionConfiguration",
        "read the encryption setting",
    ),
    ("s3:GetBucketNotification", "read notification rules"),
];

/// What a limited (over-quota) tenant keeps: reading, listing and deleting, so that
/// it can get back under its limit.
pub const LIMITED_ACTIONS: &[&str] = &[
    "s3:GetBucketLocation",
    "s3:HeadBucket",
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

/// Every action by which bytes can arrive in a bucket: a limited document denies them
/// outright, so that no group policy can give them back.
pub const BYTE_ADDING_ACTIONS: &[&str] = &[
    "s3:PutObject",
    "s3:CreateBucket",
    "s3:RestoreObject",
    "s3:ReplicateObject",
    "s3:PutObjectFanOut",
    "s3:PutBucketPolicy",
    "s3:DeleteBucketPolicy",
];

/// Bucket configuration that changes how a bucket answers other requests or outlives
/// the account. A tenant gets none of it unless the operator opts in; documents deny
/// it explicitly otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum BucketFeature {
    /// Bucket policies: with one, anonymous requests can write (`mc anonymous set`).
    BucketPolicy,
    /// Object lock, retention, legal hold: COMPLIANCE retention blocks terminate.
    ObjectLock,
    /// Replication to other servers.
    Replication,
    /// Bucket notifications to the server's targets.
    Notification,
    /// Server-side encryption settings.
    Encryption,
    /// Quality-of-service settings.
    Qos,
    /// Inventory reports.
    Inventory,
    /// PutObjectFanOut (one upload written as many objects).
    FanOut,
    /// Lifecycle rules (expiry, transition to remote tiers).
    Lifecycle,
}

impl BucketFeature {
    /// Every feature.
    pub const ALL: [BucketFeature; 9] = [
        BucketFeature::BucketPolicy,
        BucketFeature::ObjectLock,
        BucketFeature::Replication,
        BucketFeature::Notification,
        BucketFeature::Encryption,
        BucketFeature::Qos,
        BucketFeature::Inventory,
        BucketFeature::FanOut,
        BucketFeature::Lifecycle,
    ];

    /// Its name in configuration (`bucket_policy`, `object_lock`, ...).
    pub fn name(self) -> &'static str {
        match self {
            BucketFeature::BucketPolicy => "bucket_policy",
            BucketFeature::ObjectLock => "object_lock",
            BucketFeature::Replication => "replication",
            BucketFeature::Notification => "notification",
            BucketFeature::Encryption => "encryption",
            BucketFeature::Qos => "qos",
            BucketFeature::Inventory => "inventory",
            BucketFeature::FanOut => "fan_out",
            BucketFeature::Lifecycle => "lifecycle",
        }
    }

    /// The actions it grants.
    pub fn actions(self) -> &'static [&'static str] {
        match self {
            BucketFeature::BucketPolicy => &["s3:PutBucketPolicy", "s3:DeleteBucketPolicy"],
            BucketFeature::ObjectLock => &[
                "s3:PutBucketObjectLockConfiguration",
                "s3:PutObjectRetention",
                "s3:PutObjectLegalHold",
                "s3:BypassGovernanceRetention",
            ],
            BucketFeature::Replication => &[
                "s3:PutReplicationConfiguration",
                "s3:GetReplicationConfiguration",
                "s3:ReplicateObject",
                "s3:ReplicateDelete",
                "s3:ReplicateTags",
                "s3:ReplicateObjectAnnotation",
                "s3:ResetBucketReplicationState",
                "s3:GetObjectVersionForReplication",
                "s3:GetObjectVersionAnnotationForReplication",
            ],
            BucketFeature::Notification => &[
                "s3:PutBucketNotification",
                "s3:ListenBucketNotification",
                "s3:ListenNotification",
            ],
            BucketFeature::Encryption => {
                &["s3:PutEncryptionConfiguration", "s3:UpdateObjectEncryption"]
            }
            BucketFeature::Qos => &["s3:PutBucketQOS", "s3:GetBucketQOS"],
            BucketFeature::Inventory => &[
                "s3:PutInventoryConfiguration",
                "s3:GetInventoryConfiguration",
            ],
            BucketFeature::FanOut => &["s3:PutObjectFanOut"],
            BucketFeature::Lifecycle => &["s3:PutLifecycleConfiguration"],
        }
    }

    /// The feature `action` (an action name or a pattern such as `s3:Put*`) would
    /// grant, if any, compared without regard to case.
    pub fn granted_by(action: &str) -> Vec<BucketFeature> {
        let pattern = action.to_ascii_lowercase();
        BucketFeature::ALL
            .into_iter()
            .filter(|f| {
                f.actions()
                    .iter()
                    .any(|a| wildcard_match(&pattern, &a.to_ascii_lowercase()))
            })
            .collect()
    }
}

impl fmt::Display for BucketFeature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A feature name that is not one of [`BucketFeature::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown bucket feature {0:?} (known: bucket_policy, object_lock, replication, notification, encryption, qos, inventory, fan_out, lifecycle)")]
pub struct UnknownBucketFeature(pub String);

impl FromStr for BucketFeature {
    type Err = UnknownBucketFeature;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        BucketFeature::ALL
            .into_iter()
            .find(|f| f.name() == s.trim())
            .ok_or_else(|| UnknownBucketFeature(s.to_owned()))
    }
}

/// The bucket features an operator opted into (none by default).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BucketFeatures(BTreeSet<BucketFeature>);

impl BucketFeatures {
    /// No feature: the default.
    pub fn none() -> Self {
        BucketFeatures::default()
    }

    /// These features.
    pub fn of(features: impl IntoIterator<Item = BucketFeature>) -> Self {
        BucketFeatures(features.into_iter().collect())
    }

    /// Parses a comma-separated list (`"object_lock, bucket_policy"`; empty: none).
    pub fn parse_list(list: &str) -> Result<Self, UnknownBucketFeature> {
        list.split(',')
            .filter(|s| !s.trim().is_empty())
            .map(str::parse)
            .collect::<Result<BTreeSet<_>, _>>()
            .map(BucketFeatures)
    }

    /// Whether `feature` is opted into.
    pub fn allows(&self, feature: BucketFeature) -> bool {
        self.0.contains(&feature)
    }

    /// The guarded actions of the features not opted into.
    pub fn denied_actions(&self) -> Vec<&'static str> {
        BucketFeature::ALL
            .into_iter()
            .filter(|f| !self.allows(*f))
            .flat_map(|f| f.actions().iter().copied())
            .collect()
    }

    /// The actions of the features opted into.
    pub fn granted_actions(&self) -> Vec<&'static str> {
        self.0
            .iter()
            .flat_map(|f| f.actions().iter().copied())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_allow_list_holds_no_guarded_or_listing_action() {
        for (action, why) in TENANT_ACTIONS {
            assert!(BucketFeature::granted_by(action).is_empty(), "{action}");
            assert!(!why.is_empty());
            assert_ne!(*action, "s3:ListAllMyBuckets");
        }
        for action in LIMITED_ACTIONS {
            assert!(
                TENANT_ACTIONS.iter().any(|(a, _)| a == action),
                "{action} is kept when limited but not granted when not"
            );
            assert!(!BYTE_ADDING_ACTIONS.contains(action), "{action}");
        }
    }

    #[test]
    fn patterns_find_the_features_they_would_grant() {
        assert_eq!(
            BucketFeature::granted_by("s3:*").len(),
            BucketFeature::ALL.len()
        );
        assert_eq!(
            BucketFeature::granted_by("S3:PUTBUCKETPOLICY"),
            vec![BucketFeature::BucketPolicy]
        );
        assert!(BucketFeature::granted_by("s3:Put*").contains(&BucketFeature::ObjectLock));
        assert!(BucketFeature::granted_by("s3:GetObject").is_empty());
    }

    #[test]
    fn feature_lists_parse_and_name_the_unknown() {
        let features = BucketFeatures::parse_list("object_lock, bucket_policy").unwrap();
        assert!(features.allows(BucketFeature::ObjectLock));
        assert!(!features.allows(BucketFeature::Replication));
        assert!(!features.denied_actions().contains(&"s3:PutObjectRetention"));
        assert!(features.denied_actions().contains(&"s3:PutBucketQOS"));
        assert_eq!(
            BucketFeatures::parse_list("").unwrap(),
            BucketFeatures::none()
        );
        let error = BucketFeatures::parse_list("object_lock,lock").unwrap_err();
        assert_eq!(error, UnknownBucketFeature("lock".into()));
        for feature in BucketFeature::ALL {
            assert_eq!(feature.name().parse::<BucketFeature>(), Ok(feature));
        }
    }
}
