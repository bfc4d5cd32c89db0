//! Names that go into S3 request paths, checked so that the path sent is the path
//! meant.
//!
//! The url crate resolves `.` and `..` segments, also in their `%2e` spellings, so
//! `HEAD /..` would be sent as `HEAD /` and a key `../other/x` would land in the bucket
//! `other`. These types cannot hold such names.

use std::fmt;

use provision_core::error::Error;

/// A bucket name that is safe as a path segment: `A-Z a-z 0-9 . - _`, 1 to 255
/// bytes, not `.` or `..`. That admits the names older servers allowed, so that
/// listed buckets can still be named; [`BucketName::new_strict`] holds new buckets to
/// today's rules.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BucketName(String);

impl BucketName {
    /// Checks a bucket name for use in a path.
    pub fn new(name: impl Into<String>) -> Result<BucketName, Error> {
        let name = name.into();
        let fine = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_');
        if name.is_empty() || name.len() > 255 || name == "." || name == ".." {
            return Err(Error::invalid(
                "bucket",
                format!("{name:?} is empty, too long, or a path step"),
            ));
        }
        if let Some(c) = name.chars().find(|c| !fine(*c)) {
            return Err(Error::invalid(
                "bucket",
                format!("{name:?} holds {c:?}; bucket names use A-Z a-z 0-9 . - _"),
            ));
        }
        Ok(BucketName(name))
    }

    /// Checks a name for a new bucket by the server's rules (3 to 63 characters of
    /// `a-z 0-9 . -`, starting and ending with a letter or digit, no `..`, `.-`, `-.`,
    /// not an IPv4 address).
    pub fn new_strict(name: impl Into<String>) -> Result<BucketName, Error> {
        let name = name.into();
        if !crate::wire::policy::is_valid_bucket_name(&name) {
            return Err(Error::invalid(
                "bucket",
                format!("{name:?} is not a valid name for a new bucket"),
            ));
        }
        BucketName::new(name)
    }

    /// A name already checked by the namespace rules (which are stricter).
    pub(crate) fn from_checked(name: &str) -> BucketName {
        BucketName(name.to_owned())
    }

    /// The name as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for BucketName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An object key that is safe in a path: 1 to 1024 bytes, no control character, and
/// no `/`-separated segment that is `.` or `..`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ObjectKey(String);

impl ObjectKey {
    /// Checks an object key for use in a path.
    pub fn new(key: impl Into<String>) -> Result<ObjectKey, Error> {
        let key = key.into();
        if key.is_empty() || key.len() > 1024 {
            return Err(Error::invalid(
                "key",
                format!("is {} bytes long; S3 keys have 1 to 1024", key.len()),
            ));
        }
        if key.chars().any(char::is_control) {
            return Err(Error::invalid(
                "key",
                format!("{key:?} holds a control character"),
            ));
        }
        if key.split('/').any(|s| s == "." || s == "..") {
            return Err(Error::invalid(
                "key",
                format!("{key:?} has a `.` or `..` segment, which a URL path resolves"),
            ));
        }
        Ok(ObjectKey(key))
    }

    /// The key as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ObjectKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_steps_and_separators_are_refused() {
        for bad in ["", ".", "..", "a/b", "a%2e", "a?b", "a b", "ä"] {
            assert!(BucketName::new(bad).is_err(), "{bad:?}");
        }
        for good in ["photos", "u-12-34.backup", "Legacy_Bucket", "..."] {
            assert!(BucketName::new(good).is_ok(), "{good:?}");
        }
        assert!(BucketName::new_strict("Legacy_Bucket").is_err());
        assert!(BucketName::new_strict("u-12-34.backup").is_ok());
        for bad in ["", ".", "..", "../x", "a/../b", "a/./b", "a/..", "a\nb"] {
            assert!(ObjectKey::new(bad).is_err(), "{bad:?}");
        }
        for good in ["a", "a/b", "...", "a..b/c", ".hidden", "dir/", "ä ö/%2e"] {
            assert!(ObjectKey::new(good).is_ok(), "{good:?}");
        }
    }
}
