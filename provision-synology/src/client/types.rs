//! The typed answers of the DSM calls the client makes, read tolerantly: fields DSM may
//! omit are optional, numbers may arrive as text.

use provision_core::quota::{ByteSize, Quota};
use provision_core::username::Username;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use serde_json::Value;

use super::request::lenient_u64;

/// A local DSM user as `SYNO.Core.User` `list`/`get` report it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct User {
    /// The name as DSM spells it.
    pub name: String,
    /// The numeric id (1024 = `admin`), when asked for.
    #[serde(default)]
    pub uid: Option<u32>,
    /// The free-text description.
    #[serde(default)]
    pub description: Option<String>,
    /// The e-mail address (`""` when none).
    #[serde(default)]
    pub email: Option<String>,
    /// `"normal"` (active), `"now"` (disabled) or an expiry date.
    #[serde(default)]
    pub expired: Option<String>,
}

impl User {
    /// Whether DSM reports the account disabled: any `expired` other than `"normal"`
    /// (facts sheet §8 — dates and unknown spellings count as suspended).
    pub fn is_disabled(&self) -> bool {
        self.expired.as_deref().is_some_and(|e| e != "normal")
    }
}

/// A DSM group.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Group {
    /// The group's name.
    pub name: String,
    /// The description.
    #[serde(default)]
    pub description: Option<String>,
    /// The numeric id; `list` often omits it (use `group()` when it matters).
    #[serde(default)]
    pub gid: Option<u32>,
}

/// A user to create. The account is created enabled, with `passwd_never_expire` so it
/// never fails later logins on DSM's password expiry, and without DSM's own mail.
pub struct NewUser<'a> {
    /// The account name.
    pub name: &'a Username,
    /// The first password.
    pub password: &'a SecretString,
    /// The description (`""` for none).
    pub description: &'a str,
    /// The e-mail address (`""` for none).
    pub email: &'a str,
}

impl std::fmt::Debug for NewUser<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewUser")
            .field("name", &self.name)
            .field("password", &"[redacted]")
            .field("description", &self.description)
            .field("email", &self.email)
            .finish()
    }
}

/// What `create` answered.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct CreatedUser {
    /// The name as DSM stored it.
    pub name: String,
    /// The new uid.
    #[serde(default)]
    pub uid: Option<u32>,
}

/// The model and version `SYNO.DSM.Info` `getinfo` reports.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct DsmInfo {
    /// The model, e.g. `DS923+`.
    #[serde(default)]
    pub model: Option<String>,
    /// The build number, e.g. `69057`.
    #[serde(default)]
    pub version: Option<String>,
    /// The version for people, e.g. `DSM 7.2.1-69057 Update 6`.
    #[serde(default)]
    pub version_string: Option<String>,
}

/// The User Home service (`SYNO.Core.User.Home` `get`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HomeService {
    /// Whether user homes are on.
    pub enabled: bool,
    /// The volume holding the `homes` share, e.g. `/volume1`.
    pub location: Option<String>,
}

impl HomeService {
    pub(crate) fn from_data(data: &Value) -> Self {
        HomeService {
            enabled: data.get("enable").and_then(Value::as_bool).unwrap_or(false),
            location: data
                .get("location")
                .and_then(Value::as_str)
                .filter(|l| !l.is_empty())
                .map(str::to_string),
        }
    }
}

/// One share's quota figures for a user, in MiB as DSM sends them.
#[derive(Debug, Clone, PartialEq)]
pub struct ShareQuota {
    /// The share, e.g. `homes`.
    pub name: String,
    /// The user's own limit (0 = none).
    pub quota_mib: f64,
    /// The limit inherited from the user's groups (0 = none).
    pub group_limit_mib: f64,
    /// The space used.
    pub used_mib: f64,
}

/// One volume's quota figures for a user.
#[derive(Debug, Clone, PartialEq)]
pub struct VolumeQuota {
    /// The volume, e.g. `/volume1`.
    pub volume: String,
    /// A volume-level limit (ext4 volumes without share quotas).
    pub quota_mib: Option<f64>,
    /// A volume-level usage figure, when DSM gives one.
    pub used_mib: Option<f64>,
    /// Per-share figures (Btrfs with share quotas).
    pub shares: Vec<ShareQuota>,
}

/// A user's quota and usage on every volume (`SYNO.Core.Quota` `get`).
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(from = "QuotaWire")]
pub struct UserQuota {
    /// One entry per volume.
    pub volumes: Vec<VolumeQuota>,
}

/// A user's home-share usage in bytes and the limit DSM enforces on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HomeUsage {
    /// Bytes used, when DSM reports a figure.
    pub used: Option<ByteSize>,
    /// The enforced limit: the user's own, else the group's; None when not reported.
    pub limit: Option<Quota>,
}

const MIB: f64 = 1_048_576.0;

/// MiB (possibly fractional) to whole bytes; None for a figure that is not a size.
pub(crate) fn mib_to_bytes(mib: f64) -> Option<ByteSize> {
    (mib.is_finite() && mib >= 0.0).then(|| ByteSize::new((mib * MIB).round() as u64))
}

fn limit_from_mib(own: f64, group: f64) -> Option<Quota> {
    // A user's own quota overrides its groups'; 0 means no limit (facts sheet §12).
    let chosen = if own > 0.0 { own } else { group };
    match mib_to_bytes(chosen) {
        Some(bytes) if bytes.bytes() > 0 => Quota::limited(bytes).ok(),
        Some(_) => Some(Quota::Unlimited),
        None => None,
    }
}

impl UserQuota {
    #[cfg(test)]
    pub(crate) fn from_data(data: &Value) -> Self {
        UserQuota::deserialize(data).unwrap_or_default()
    }

    /// The `homes` share on the home volume. Without a home location, the only volume
    /// holding a `homes` share is taken. A volume without share figures (ext4) yields
    /// its volume-level figures.
    pub fn home_usage(&self, home: &HomeService) -> HomeUsage {
        let volume = match &home.location {
            Some(location) => self.volumes.iter().find(|v| &v.volume == location),
            None => {
                let mut with_homes = self
                    .volumes
                    .iter()
                    .filter(|v| v.shares.iter().any(|s| s.name == "homes"));
                match (with_homes.next(), with_homes.next()) {
                    (Some(only), None) => Some(only),
                    _ => None,
                }
            }
        };
        let Some(volume) = volume else {
            return HomeUsage {
                used: None,
                limit: None,
            };
        };
        match volume.shares.iter().find(|s| s.name == "homes") {
            Some(homes) => HomeUsage {
                used: mib_to_bytes(homes.used_mib),
                limit: limit_from_mib(homes.quota_mib, homes.group_limit_mib),
            },
            None if volume.shares.is_empty() => HomeUsage {
                used: volume.used_mib.and_then(mib_to_bytes),
                limit: volume.quota_mib.and_then(|q| limit_from_mib(q, 0.0)),
            },
            None => HomeUsage {
                used: None,
                limit: None,
            },
        }
    }
}

/// `SYNO.Core.Quota` `get`'s data as sent, read without building a JSON tree: sweeps
/// read thousands of these. Volumes without a name and shares without one are skipped.
#[derive(Deserialize)]
struct QuotaWire {
    #[serde(default)]
    user_quota: Option<Vec<VolumeWire>>,
}

#[derive(Deserialize)]
struct VolumeWire {
    #[serde(default, deserialize_with = "lenient_text")]
    volume: Option<String>,
    #[serde(default, deserialize_with = "lenient_number")]
    quota: Option<f64>,
    #[serde(default, deserialize_with = "lenient_number")]
    used: Option<f64>,
    #[serde(default)]
    shares: Option<Vec<ShareWire>>,
}

#[derive(Deserialize)]
struct ShareWire {
    #[serde(default, deserialize_with = "lenient_text")]
    name: Option<String>,
    #[serde(default, deserialize_with = "lenient_number")]
    quota: Option<f64>,
    #[serde(default, deserialize_with = "lenient_number")]
    group_limit: Option<f64>,
    #[serde(default, deserialize_with = "lenient_number")]
    used: Option<f64>,
}

impl From<QuotaWire> for UserQuota {
    fn from(wire: QuotaWire) -> Self {
        let volumes = wire
            .user_quota
            .unwrap_or_default()
            .into_iter()
            .filter_map(|v| {
                Some(VolumeQuota {
                    volume: v.volume?,
                    quota_mib: v.quota,
                    used_mib: v.used,
                    shares: v
                        .shares
                        .unwrap_or_default()
                        .into_iter()
                        .filter_map(|s| {
                            Some(ShareQuota {
                                name: s.name?,
                                quota_mib: s.quota.unwrap_or(0.0),
                                group_limit_mib: s.group_limit.unwrap_or(0.0),
                                used_mib: s.used.unwrap_or(0.0),
                            })
                        })
                        .collect(),
                })
            })
            .collect();
        UserQuota { volumes }
    }
}

/// What a lenient field saw: a number, a text, or something else (skipped unread).
enum Scalar {
    Number(f64),
    Text(String),
    Other,
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ScalarVisitor;
        impl<'de> serde::de::Visitor<'de> for ScalarVisitor {
            type Value = Scalar;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_i64<E>(self, v: i64) -> Result<Scalar, E> {
                Ok(Scalar::Number(v as f64))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Scalar, E> {
                Ok(Scalar::Number(v as f64))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Scalar, E> {
                Ok(Scalar::Number(v))
            }
            fn visit_str<E>(self, v: &str) -> Result<Scalar, E> {
                Ok(Scalar::Text(v.to_string()))
            }
            fn visit_bool<E>(self, _: bool) -> Result<Scalar, E> {
                Ok(Scalar::Other)
            }
            fn visit_unit<E>(self) -> Result<Scalar, E> {
                Ok(Scalar::Other)
            }
            fn visit_none<E>(self) -> Result<Scalar, E> {
                Ok(Scalar::Other)
            }
            fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Scalar, D::Error> {
                Scalar::deserialize(d)
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Scalar, A::Error> {
                while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
                Ok(Scalar::Other)
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Scalar, A::Error> {
                while map
                    .next_entry::<serde::de::IgnoredAny, serde::de::IgnoredAny>()?
                    .is_some()
                {}
                Ok(Scalar::Other)
            }
        }
        deserializer.deserialize_any(ScalarVisitor)
    }
}

/// A number DSM may send as a JSON number or as text; anything else is no number.
fn lenient_number<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    Ok(match Scalar::deserialize(d)? {
        Scalar::Number(n) => Some(n),
        Scalar::Text(t) => t.trim().parse().ok(),
        Scalar::Other => None,
    })
}

/// A text field; anything else counts as absent.
fn lenient_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Scalar::deserialize(d)? {
        Scalar::Text(t) => Some(t),
        _ => None,
    })
}

/// DSM's password strength rules (`SYNO.Core.User.PasswordPolicy` `get`,
/// `strong_password`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PasswordPolicy {
    /// The minimum length, when the rule is on.
    pub min_length: Option<usize>,
    /// Upper- and lower-case letters required.
    pub mixed_case: bool,
    /// A digit required.
    pub numeric: bool,
    /// A special character required.
    pub special: bool,
    /// The user name may not appear in the password.
    pub exclude_username: bool,
}

/// The longest password DSM takes (facts sheet §11).
pub const MAX_PASSWORD_CHARS: usize = 127;

/// The special characters DSM's strength rule counts (facts sheet §11).
const SPECIAL: &str = "~`!@#$%^&*()-_=+[{]}\\|;:'\",<.>/?";

/// Why a password breaks DSM's rules (never holds the password).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PasswordViolation {
    /// The password is empty.
    #[error("the password is empty")]
    Empty,
    /// Longer than DSM's 127 characters.
    #[error("the password is longer than {MAX_PASSWORD_CHARS} characters")]
    TooLong,
    /// Shorter than the policy's minimum.
    #[error("the password is shorter than the DSM policy's {0} characters")]
    TooShort(usize),
    /// Mixed case required.
    #[error("the DSM policy requires upper- and lower-case letters")]
    NoMixedCase,
    /// A digit required.
    #[error("the DSM policy requires a digit")]
    NoDigit,
    /// A special character required.
    #[error("the DSM policy requires a special character")]
    NoSpecial,
    /// Contains the user name.
    #[error("the DSM policy forbids the user name inside the password")]
    ContainsUsername,
}

impl PasswordPolicy {
    pub(crate) fn from_data(data: &Value) -> Self {
        let strong = data.get("strong_password").unwrap_or(&Value::Null);
        let flag = |key: &str| strong.get(key).and_then(Value::as_bool).unwrap_or(false);
        let min_enabled = strong
            .get("min_length_enable")
            .and_then(Value::as_bool)
            .unwrap_or(true);
        PasswordPolicy {
            min_length: strong
                .get("min_length")
                .and_then(lenient_u64)
                .filter(|_| min_enabled)
                .map(|n| n as usize),
            mixed_case: flag("mixed_case"),
            numeric: flag("included_numeric_char"),
            special: flag("included_special_char"),
            exclude_username: flag("exclude_username"),
        }
    }

    /// Checks a password for `user` against these rules and DSM's fixed limits.
    pub fn check(&self, user: &Username, password: &SecretString) -> Result<(), PasswordViolation> {
        let password = password.expose_secret();
        let chars = password.chars().count();
        if chars == 0 {
            return Err(PasswordViolation::Empty);
        }
        if chars > MAX_PASSWORD_CHARS {
            return Err(PasswordViolation::TooLong);
        }
        if let Some(min) = self.min_length.filter(|min| chars < *min) {
            return Err(PasswordViolation::TooShort(min));
        }
        let has = |test: fn(char) -> bool| password.chars().any(test);
        if self.mixed_case && !(has(char::is_uppercase) && has(char::is_lowercase)) {
            return Err(PasswordViolation::NoMixedCase);
        }
        if self.numeric && !has(|c| c.is_ascii_digit()) {
            return Err(PasswordViolation::NoDigit);
        }
        if self.special && !password.chars().any(|c| SPECIAL.contains(c)) {
            return Err(PasswordViolation::NoSpecial);
        }
        if self.exclude_username
            && password
                .to_lowercase()
                .contains(&user.as_str().to_lowercase())
        {
            return Err(PasswordViolation::ContainsUsername);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn home(location: Option<&str>) -> HomeService {
        HomeService {
            enabled: true,
            location: location.map(str::to_string),
        }
    }

    #[test]
    fn home_usage_reads_the_homes_share_of_the_home_volume_in_bytes() {
        let quota = UserQuota::from_data(&serde_json::json!({"user_quota": [
            {"volume": "/volume1", "shares": [
                {"name": "homes", "quota": 0, "group_limit": 51200, "used": 1234.5},
                {"name": "public", "quota": 0, "group_limit": 0, "used": 7}]},
            {"volume": "/volume2", "shares": [
                {"name": "homes", "quota": 0, "group_limit": 0, "used": "99"}]}]}));
        let usage = quota.home_usage(&home(Some("/volume1")));
        assert_eq!(usage.used, Some(ByteSize::new(1_294_467_072)));
        assert_eq!(
            usage.limit,
            Some(Quota::limited(ByteSize::new(51200 << 20)).unwrap())
        );
        let other = quota.home_usage(&home(Some("/volume2")));
        assert_eq!(other.used, Some(ByteSize::new(99 << 20)));
        assert_eq!(other.limit, Some(Quota::Unlimited));
        // Two volumes hold homes and no location is known: do not guess.
        assert_eq!(quota.home_usage(&home(None)).used, None);
    }

    #[test]
    fn own_quota_overrides_the_group_limit() {
        let quota = UserQuota::from_data(&serde_json::json!({"user_quota": [
            {"volume": "/volume1", "shares": [{"name": "homes", "quota": 10, "group_limit": 500, "used": 0}]}]}));
        assert_eq!(
            quota.home_usage(&home(None)).limit,
            Some(Quota::limited(ByteSize::new(10 << 20)).unwrap())
        );
    }

    #[test]
    fn ext4_volumes_report_volume_level_figures() {
        let quota = UserQuota::from_data(&serde_json::json!({"user_quota": [
            {"volume": "/volume1", "quota": 2048, "used": 1}]}));
        let usage = quota.home_usage(&home(Some("/volume1")));
        assert_eq!(usage.used, Some(ByteSize::new(1 << 20)));
        assert_eq!(
            usage.limit,
            Some(Quota::limited(ByteSize::new(2048 << 20)).unwrap())
        );
    }

    #[test]
    fn password_policy_rules() {
        let policy = PasswordPolicy::from_data(&serde_json::json!({"strong_password": {
            "exclude_username": true, "included_numeric_char": true, "included_special_char": true,
            "min_length": 8, "min_length_enable": true, "mixed_case": true}}));
        let user = Username::new("alice").unwrap();
        let check = |p: &str| policy.check(&user, &SecretString::from(p.to_string()));
        assert_eq!(check(""), Err(PasswordViolation::Empty));
        assert_eq!(check("Ab1!"), Err(PasswordViolation::TooShort(8)));
        assert_eq!(check("abcdefg1!"), Err(PasswordViolation::NoMixedCase));
        assert_eq!(check("Abcdefgh!"), Err(PasswordViolation::NoDigit));
        assert_eq!(check("Abcdefgh1"), Err(PasswordViolation::NoSpecial));
        assert_eq!(
            check("xALICEx1!a"),
            Err(PasswordViolation::ContainsUsername)
        );
        assert_eq!(check(&"Aa1!".repeat(32)), Err(PasswordViolation::TooLong));
        assert_eq!(check("Pv7!kQz2#Lm9"), Ok(()));
        let off = PasswordPolicy::from_data(&serde_json::json!({"strong_password": {
            "min_length": 8, "min_length_enable": false}}));
        assert_eq!(
            off.check(&user, &SecretString::from("a".to_string())),
            Ok(())
        );
    }
}
