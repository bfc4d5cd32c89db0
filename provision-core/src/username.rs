//! Validated names: no request is ever built from an unchecked string.
//!
//! [`Username`] and [`GroupName`] hold the checks every backend shares (not empty, at
//! most 255 bytes, no control characters, no leading or trailing white space, not a
//! path step and nothing a URL or a policy would read as syntax; see
//! [`UNSAFE_CHARACTERS`]). A
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
    /// The name is `.` or `..`, which a URL path reads as a step, not a name.
    #[error("{what} {name:?} is a path step, not a name")]
    PathStep {
        /// "user name" or "group name".
        what: &'static str,
        /// The name.
        name: String,
    },
    /// The name holds a character that a URL path or a policy document would read as
    /// syntax.
    #[error("{what} {name:?} contains {character:?}, which a URL or a policy reads as syntax")]
    UnsafeCharacter {
        /// "user name" or "group name".
        what: &'static str,
        /// The name.
        name: String,
        /// The first such character.
        character: char,
    },
}

/// Characters no name may hold, whatever the backend.
///
/// `/` and `\` separate path segments (the url crate reads `\` as `/` in `http` URLs);
/// `?` and `#` end a path; `%` starts an escape, so `%2e%2e` could be decoded into `..`
/// by a server; `*`, `?`, `$`, `{` and `}` are wildcards and variables in MinIO policy
/// resources (`${aws:username}`), and no backend allows them in account names.
pub const UNSAFE_CHARACTERS: &[char] = &['/', '\\', '?', '#', '%', '*', '$', '{', '}'];

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
    // The url crate drops `.` and `..` segments (and the `%2e` spellings of them)
    // instead of sending them: `users/../groups` would reach `groups`.
    if name == "." || name == ".." {
        return Err(UsernameError::PathStep {
            what,
            name: name.to_string(),
        });
    }
    if let Some(character) = name.chars().find(|c| UNSAFE_CHARACTERS.contains(c)) {
        return Err(UsernameError::UnsafeCharacter {
            what,
            name: name.to_string(),
            character,
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

    #[test]
    fn path_steps_and_url_or_policy_syntax_are_refused() {
        for name in [".", ".."] {
            assert!(
                matches!(Username::new(name), Err(UsernameError::PathStep { .. })),
                "{name}"
            );
            assert!(
                matches!(GroupName::new(name), Err(UsernameError::PathStep { .. })),
                "{name}"
            );
        }
        for (name, bad) in [
            ("../admin", '/'),
            ("a\\b", '\\'),
            ("%2e%2e", '%'),
            ("a?b", '?'),
            ("a#b", '#'),
            ("*", '*'),
            ("${aws:username}", '$'),
            ("a{b", '{'),
            ("a}b", '}'),
        ] {
            assert_eq!(
                Username::new(name),
                Err(UsernameError::UnsafeCharacter {
                    what: "user name",
                    name: name.into(),
                    character: bad,
                })
            );
            assert!(GroupName::new(name).is_err(), "{name}");
        }
        // Dots inside a name, spaces inside a group name and e-mail-like names stay.
        for name in [
            "a.b",
            "...",
            ".hidden",
            "alice@example.com",
            "o'brien",
            "12-34",
        ] {
            assert!(Username::new(name).is_ok(), "{name}");
        }
        assert!(GroupName::new("Plan 50 GB").is_ok());
    }
}
