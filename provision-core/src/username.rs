//! Validated names: no request is ever built from an unchecked string.
//!
//! [`Username`] and [`GroupName`] hold the checks every backend shares (not empty, at
//! most 255 bytes, no control characters, no leading or trailing white space). A
//! backend's own rules (allowed characters, length, reserved names) live in its
//! [`NamePolicy`](crate::rules::NamePolicy), which produces a `Username` only when the
//! name passes them.

use std::fmt;

/// Why a name was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum UsernameError {
    /// The name is empty.
    #[error("{what} is empty")]
    Empty {
        /// "user name" or "group name".
        what: &'static str,
    },
    /// The name is longer than 255 bytes.
    #[error("{what} is {len} bytes long, more than 255")]
    TooLong {
        /// "user name" or "group name".
        what: &'static str,
        /// Its length.
        len: usize,
    },
    /// The name holds a control character or starts/ends with white space.
    #[error("{what} {name:?} has a control character or surrounding white space")]
    BadCharacter {
        /// "user name" or "group name".
        what: &'static str,
        /// The name.
        name: String,
    },
}

fn check(what: &'static str, name: &str) -> Result<(), UsernameError> {
    if name.is_empty() {
        return Err(UsernameError::Empty { what });
    }
    if name.len() > 255 {
        return Err(UsernameError::TooLong {
            what,
            len: name.len(),
        });
    }
    if name.chars().any(char::is_control) || name.trim() != name {
        return Err(UsernameError::BadCharacter {
            what,
            name: name.to_string(),
        });
    }
    Ok(())
}

macro_rules! name_type {
    ($(#[$doc:meta])* $name:ident, $what:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// Checks `name` and wraps it.
            pub fn new(name: impl Into<String>) -> Result<Self, UsernameError> {
                let name = name.into();
                check($what, &name)?;
                Ok($name(name))
            }

            /// The name as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The name, unwrapped.
            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl std::str::FromStr for $name {
            type Err = UsernameError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $name::new(s)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                $name::new(s).map_err(serde::de::Error::custom)
            }
        }
    };
}

name_type!(
    /// A user name that passed the shared checks.
    Username,
    "user name"
);
name_type!(
    /// A group name that passed the shared checks.
    GroupName,
    "group name"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_unsafe_names() {
        assert!(Username::new("alice").is_ok());
        assert_eq!(
            Username::new(""),
            Err(UsernameError::Empty { what: "user name" })
        );
        assert!(Username::new(" alice").is_err());
        assert!(Username::new("al\nice").is_err());
        assert!(GroupName::new("x".repeat(256)).is_err());
        assert!(serde_json::from_str::<Username>("\"a\\u0000\"").is_err());
    }
}
