//! A user's bucket namespace: the bucket `T` and the buckets `T.<suffix>`, where the
//! token `T` is built from the user name and never contains a `.`.
//!
//! Because `.` cannot occur inside a token, `T1.` is never a prefix of `T2.` nor equal
//! to `T2` for two different tokens, so the resources `arn:aws:s3:::T`,
//! `arn:aws:s3:::T/*` and `arn:aws:s3:::T.*` of one user can never match a bucket (or an
//! object in a bucket) of another user, whatever the two names are. The tempting
//! `arn:aws:s3:::T*` fails exactly there: `12-3*` matches the buckets of `12-34`.

use std::fmt;

use provision_core::Username;

use super::matcher::S3_ARN_PREFIX;

/// The longest token: room for a `.` and a one-character suffix in a 63-character
/// bucket name.
pub const MAX_TOKEN_LEN: usize = 61;

/// The shortest token: a bucket name has at least 3 characters.
pub const MIN_TOKEN_LEN: usize = 3;

/// Why a user name (with the configured prefix) cannot be a namespace token, or a
/// bucket name cannot be in a namespace.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NamespaceError {
    /// The token is shorter than a bucket name may be.
    #[error("bucket token {token:?} is shorter than {MIN_TOKEN_LEN} characters")]
    TooShort {
        /// The token.
        token: String,
    },
    /// The token leaves no room for `.suffix` buckets.
    #[error("bucket token {token:?} is longer than {MAX_TOKEN_LEN} characters")]
    TooLong {
        /// The token.
        token: String,
    },
    /// The token holds a character outside `a-z 0-9 -`.
    #[error("bucket token {token:?} holds {character:?}; only a-z, 0-9 and - are allowed")]
    BadCharacter {
        /// The token.
        token: String,
        /// The first offending character.
        character: char,
    },
    /// The token starts or ends with `-`.
    #[error("bucket token {token:?} must start and end with a letter or digit")]
    BadEdge {
        /// The token.
        token: String,
    },
    /// The prefix holds a character outside `a-z 0-9 -` or does not start with a
    /// letter or digit.
    #[error("bucket prefix {prefix:?} must be a-z, 0-9 and -, starting with a letter or digit")]
    BadPrefix {
        /// The prefix.
        prefix: String,
    },
    /// A bucket name that is not valid, or not in the namespace.
    #[error("bucket {bucket:?} is not a valid bucket of namespace {token:?}")]
    BadBucket {
        /// The namespace token.
        token: String,
        /// The bucket name.
        bucket: String,
    },
}

fn is_token_char(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'
}

/// Checks a bucket-name prefix for [`Namespace::for_user`]: `a-z 0-9 -`, starting with
/// a letter or digit; may be empty and may end with `-` (`u-`).
pub fn check_prefix(prefix: &str) -> Result<(), NamespaceError> {
    let starts_well = prefix
        .chars()
        .next()
        .is_none_or(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    if !starts_well || !prefix.chars().all(is_token_char) {
        return Err(NamespaceError::BadPrefix {
            prefix: prefix.to_owned(),
        });
    }
    Ok(())
}

/// Whether `name` is a valid bucket name under MinIO's strict rules: 3 to 63
/// characters of `a-z 0-9 . -`, starting and ending with a letter or digit, without
/// `..`, `.-` or `-.`, and not an IPv4 address.
pub fn is_valid_bucket_name(name: &str) -> bool {
    let bytes = name.as_bytes();
    let alnum = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    (3..=63).contains(&bytes.len())
        && bytes.iter().all(|&b| alnum(b) || b == b'.' || b == b'-')
        && bytes.first().is_some_and(|&b| alnum(b))
        && bytes.last().is_some_and(|&b| alnum(b))
        && !name.contains("..")
        && !name.contains(".-")
        && !name.contains("-.")
        && name.parse::<std::net::Ipv4Addr>().is_err()
}

/// The namespace token a bucket belongs to: its name up to the first `.`.
pub fn owning_token(bucket: &str) -> &str {
    bucket.split('.').next().unwrap_or(bucket)
}

/// One user's bucket namespace.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Namespace {
    token: String,
}

impl fmt::Debug for Namespace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Namespace").field(&self.token).finish()
    }
}

impl fmt::Display for Namespace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.token)
    }
}

impl Namespace {
    /// The namespace of a token, checked: 3 to 61 characters of `a-z 0-9 -`, starting
    /// and ending with a letter or digit.
    pub fn new(token: impl Into<String>) -> Result<Namespace, NamespaceError> {
        let token = token.into();
        if let Some(character) = token.chars().find(|&c| !is_token_char(c)) {
            return Err(NamespaceError::BadCharacter { token, character });
        }
        if token.len() < MIN_TOKEN_LEN {
            return Err(NamespaceError::TooShort { token });
        }
        if token.len() > MAX_TOKEN_LEN {
            return Err(NamespaceError::TooLong { token });
        }
        if token.starts_with('-') || token.ends_with('-') {
            return Err(NamespaceError::BadEdge { token });
        }
        Ok(Namespace { token })
    }

    /// The namespace of `user`: the token is `prefix` followed by the user name.
    pub fn for_user(prefix: &str, user: &Username) -> Result<Namespace, NamespaceError> {
        check_prefix(prefix)?;
        Namespace::new(format!("{prefix}{user}"))
    }

    /// The token `T`; also the name of the user's default bucket.
    pub fn token(&self) -> &str {
        &self.token
    }

    /// The user's default bucket, `T`.
    pub fn default_bucket(&self) -> &str {
        &self.token
    }

    /// The user's default bucket `T`, as the S3 client takes it.
    pub fn default_bucket_name(&self) -> crate::client::BucketName {
        // A token is a valid bucket name by construction (`Namespace::new`).
        crate::client::BucketName::from_checked(&self.token)
    }

    /// The bucket `T.<suffix>`, checked to be a valid bucket name.
    pub fn bucket(&self, suffix: &str) -> Result<String, NamespaceError> {
        let bucket = format!("{}.{suffix}", self.token);
        if suffix.is_empty() || !is_valid_bucket_name(&bucket) {
            return Err(NamespaceError::BadBucket {
                token: self.token.clone(),
                bucket,
            });
        }
        Ok(bucket)
    }

    /// Whether `bucket` belongs to this namespace: it is `T`, or `T.` followed by at
    /// least one character.
    pub fn contains(&self, bucket: &str) -> bool {
        match bucket.strip_prefix(self.token.as_str()) {
            Some("") => true,
            Some(rest) => rest.len() > 1 && rest.starts_with('.'),
            None => false,
        }
    }

    /// The policy resources of the namespace: `arn:aws:s3:::T`, `arn:aws:s3:::T/*`
    /// and `arn:aws:s3:::T.*` (the last one also covers objects, as `*` crosses `/`).
    pub fn resources(&self) -> [String; 3] {
        let t = &self.token;
        [
            format!("{S3_ARN_PREFIX}{t}"),
            format!("{S3_ARN_PREFIX}{t}/*"),
            format!("{S3_ARN_PREFIX}{t}.*"),
        ]
    }

    /// Whether a policy resource pattern can only match buckets and objects of this
    /// namespace: it is `arn:aws:s3:::T` exactly, or starts with the literal
    /// `arn:aws:s3:::T/` or `arn:aws:s3:::T.`, and holds no policy variable (`$`).
    pub fn confines(&self, pattern: &str) -> bool {
        let Some(rest) = pattern.strip_prefix(S3_ARN_PREFIX) else {
            return false;
        };
        if rest.contains('$') {
            return false;
        }
        match rest.strip_prefix(self.token.as_str()) {
            Some("") => true,
            Some(after) => after.starts_with('/') || after.starts_with('.'),
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_checked() {
        assert!(Namespace::new("12-34").is_ok());
        assert!(Namespace::new("u-alice").is_ok());
        assert!(matches!(
            Namespace::new("ab"),
            Err(NamespaceError::TooShort { .. })
        ));
        assert!(matches!(
            Namespace::new("a".repeat(62)),
            Err(NamespaceError::TooLong { .. })
        ));
        assert!(Namespace::new("a".repeat(61)).is_ok());
        for bad in ["a.b", "Alice", "a_b", "a*b", "a?b", "a$b", "ab c"] {
            assert!(
                matches!(
                    Namespace::new(bad),
                    Err(NamespaceError::BadCharacter { .. })
                ),
                "{bad}"
            );
        }
        assert!(matches!(
            Namespace::new("abc-"),
            Err(NamespaceError::BadEdge { .. })
        ));
        assert!(matches!(
            Namespace::new("-abc"),
            Err(NamespaceError::BadEdge { .. })
        ));
    }

    #[test]
    fn prefixes_are_checked() {
        let alice = Username::new("alice").unwrap();
        assert_eq!(
            Namespace::for_user("u-", &alice).unwrap().token(),
            "u-alice"
        );
        assert_eq!(Namespace::for_user("", &alice).unwrap().token(), "alice");
        for bad in ["-u", "U-", "u.", "u_"] {
            assert!(Namespace::for_user(bad, &alice).is_err(), "{bad}");
        }
    }

    #[test]
    fn membership_uses_the_dot_delimiter() {
        let ns = Namespace::new("12-3").unwrap();
        assert!(ns.contains("12-3"));
        assert!(ns.contains("12-3.photos"));
        assert!(!ns.contains("12-3."));
        assert!(!ns.contains("12-34"));
        assert!(!ns.contains("12-34.photos"));
        assert!(!ns.contains("12-3-backup"));
        assert!(!ns.contains("x12-3"));
        assert_eq!(ns.bucket("photos").unwrap(), "12-3.photos");
        assert!(ns.bucket("").is_err());
        assert!(ns.bucket("-x").is_err());
        assert!(ns.bucket("Photos").is_err());
        assert_eq!(owning_token("12-3.photos.2024"), "12-3");
    }

    #[test]
    fn confinement_of_patterns() {
        let ns = Namespace::new("12-3").unwrap();
        for ok in ns.resources() {
            assert!(ns.confines(&ok), "{ok}");
        }
        assert!(ns.confines("arn:aws:s3:::12-3/docs/*"));
        assert!(ns.confines("arn:aws:s3:::12-3.b?ckup"));
        for bad in [
            "arn:aws:s3:::12-3*",
            "arn:aws:s3:::12-3?",
            "arn:aws:s3:::12-34",
            "arn:aws:s3:::*",
            "arn:aws:s3:::12-3/${aws:username}",
            "arn:aws:s3:::1*",
            "12-3",
            "arn:aws:s3:::",
        ] {
            assert!(!ns.confines(bad), "{bad}");
        }
    }

    #[test]
    fn bucket_name_rules() {
        for ok in ["abc", "a.b.c", "12-34.photos", "a-b"] {
            assert!(is_valid_bucket_name(ok), "{ok}");
        }
        for bad in [
            "ab",
            "-ab",
            "ab-",
            "a..b",
            "a.-b",
            "a-.b",
            "192.168.1.1",
            "ABC",
            "a_b",
            &"a".repeat(64),
        ] {
            assert!(!is_valid_bucket_name(bad), "{bad}");
        }
    }
}
