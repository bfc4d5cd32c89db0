//! The `users/details` page read straight into the few fields the library uses,
//! without a JSON tree: a sweep reads every account through it (a page of 500 records
//! of about 35 fields each).
//!
//! Every type here accepts any JSON value where it is expected and keeps what it cannot
//! use as "absent", like the `Value` lookups of `parse_user`/`parse_storage` do: a record
//! that is unusable becomes a protocol error naming it after the envelope was read,
//! never a serde error (which would hide the OCS status code behind a bare failure).
//! The byte counts of `quota` are read by the same rule as `parse_user`'s,
//! [`storage_info`], once the record's id is known.
//! Repeated keys keep the last value, as a `Value` map does.
//!
//! Kept by measurement (issue 10): a page of 500 Nextcloud 34 records read here in
//! 10.1 ms, against 26.8 ms (2.6x) for derived serde keys that skip unused fields as
//! raw JSON and send each record through `parse_user`; the bar for replacing this file
//! was 2x. Criterion, `cargo bench -p provision-nextcloud --bench users_details` at
//! commit 43f5daa, on a shared 2-core machine under load (both cases alike).

use std::borrow::Cow;
use std::fmt;

use provision_core::{Error, Result};
use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use crate::byte_count::{storage_info, QuotaFields};
use crate::client::{parse_answer_as, UserRecord};
use crate::error::{Operation, BACKEND};

/// The accounts of one details page, or the protocol error the page means.
pub(crate) fn parse_users_details(status: u16, body: &str) -> Result<Vec<UserRecord>> {
    let data: DetailsData<'_> = parse_answer_as(Operation::ListUsers, status, body)?;
    match data.users {
        UsersField::Map(mut entries) => {
            // A `Value` map yields its records in key order, one per key: keep that
            // order. Pages come sorted by id already, so the sort is rarely needed.
            if !entries.windows(2).all(|w| w[0].0 < w[1].0) {
                entries.sort_by(|a, b| a.0.cmp(&b.0));
                // Of equal keys (stable sort: in document order) the last one stays.
                let mut deduped: Vec<(Cow<'_, str>, Result<UserRecord>)> =
                    Vec::with_capacity(entries.len());
                for entry in entries {
                    match deduped.last_mut() {
                        Some(last) if last.0 == entry.0 => *last = entry,
                        _ => deduped.push(entry),
                    }
                }
                entries = deduped;
            }
            entries.into_iter().map(|(_, record)| record).collect()
        }
        UsersField::List(records) => records.into_iter().collect(),
        UsersField::Absent => Err(Error::protocol(
            BACKEND,
            "users/details without a users field",
        )),
    }
}

/// What a details page meant before it was read without a `Value` tree:
/// `parse_answer`, then `parse_user` on each record of the `Value` map or list. The
/// tests and the fuzz target hold [`parse_users_details`] to it.
#[cfg(any(test, feature = "fuzzing"))]
pub(crate) fn details_via_value(status: u16, body: &str) -> Result<Vec<UserRecord>> {
    use crate::client::{parse_answer, parse_user};
    let data = parse_answer(Operation::ListUsers, status, body)?;
    match data.get("users") {
        Some(Value::Object(map)) => map.values().map(parse_user).collect(),
        Some(Value::Array(list)) => list.iter().map(parse_user).collect(),
        _ => Err(Error::protocol(
            BACKEND,
            "users/details without a users field",
        )),
    }
}

/// Accepts the scalars a visitor has no use for as `$value`.
macro_rules! accept_scalars_as {
    ($value:expr) => {
        fn visit_bool<E: de::Error>(self, _: bool) -> std::result::Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> std::result::Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> std::result::Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> std::result::Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_str<E: de::Error>(self, _: &str) -> std::result::Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_unit<E: de::Error>(self) -> std::result::Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_none<E: de::Error>(self) -> std::result::Result<Self::Value, E> {
            Ok($value)
        }
    };
}

/// Skips every element of a list a visitor has no use for.
fn skip_seq<'de, A: SeqAccess<'de>>(mut seq: A) -> std::result::Result<(), A::Error> {
    while seq.next_element::<Skipped>()?.is_some() {}
    Ok(())
}

/// Skips every entry of an object a visitor has no use for.
fn skip_map<'de, A: MapAccess<'de>>(mut map: A) -> std::result::Result<(), A::Error> {
    while map.next_entry::<Skipped, Skipped>()?.is_some() {}
    Ok(())
}

/// A value the reader has no use for, read rather than ignored: serde's `IgnoredAny`
/// lets serde_json pass over a number without converting it, so `1e400` would be
/// skipped here while the `Value` reading refuses the page as out of range. Reading it
/// keeps the two readings to one grammar (found by the `nextcloud_ocs` fuzz target).
struct Skipped;

impl<'de> Deserialize<'de> for Skipped {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        struct SkipVisitor;
        impl<'de> Visitor<'de> for SkipVisitor {
            type Value = Skipped;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            accept_scalars_as!(Skipped);
            fn visit_seq<A: SeqAccess<'de>>(
                self,
                seq: A,
            ) -> std::result::Result<Self::Value, A::Error> {
                skip_seq(seq).map(|()| Skipped)
            }
            fn visit_map<A: MapAccess<'de>>(
                self,
                map: A,
            ) -> std::result::Result<Self::Value, A::Error> {
                skip_map(map).map(|()| Skipped)
            }
        }
        deserializer.deserialize_any(SkipVisitor)
    }
}

/// The envelope's `data` for `GET /cloud/users/details`: only `users` is kept.
#[derive(Default)]
struct DetailsData<'a> {
    users: UsersField<'a>,
}

/// `data.users`: a map keyed by id, but `[]` when empty (and a list if PHP sees 0..n
/// keys). Each record is already checked; its error waits until the envelope is read.
#[derive(Default)]
enum UsersField<'a> {
    /// Missing, or neither an object nor a list.
    #[default]
    Absent,
    /// The object form, in document order, with its keys.
    Map(Vec<(Cow<'a, str>, Result<UserRecord>)>),
    /// The list form.
    List(Vec<Result<UserRecord>>),
}

#[derive(Deserialize)]
#[serde(field_identifier)]
enum DataKey {
    #[serde(rename = "users")]
    Users,
    #[serde(other)]
    Other,
}

impl<'de> Deserialize<'de> for DetailsData<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        struct DataVisitor;
        impl<'de> Visitor<'de> for DataVisitor {
            type Value = DetailsData<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            accept_scalars_as!(DetailsData::default());
            fn visit_seq<A: SeqAccess<'de>>(
                self,
                seq: A,
            ) -> std::result::Result<Self::Value, A::Error> {
                skip_seq(seq).map(|()| DetailsData::default())
            }
            fn visit_map<A: MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<Self::Value, A::Error> {
                let mut data = DetailsData::default();
                while let Some(key) = map.next_key::<DataKey>()? {
                    match key {
                        DataKey::Users => data.users = map.next_value()?,
                        DataKey::Other => {
                            map.next_value::<Skipped>()?;
                        }
                    }
                }
                Ok(data)
            }
        }
        deserializer.deserialize_any(DataVisitor)
    }
}

impl<'de> Deserialize<'de> for UsersField<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        struct UsersVisitor;
        impl<'de> Visitor<'de> for UsersVisitor {
            type Value = UsersField<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            accept_scalars_as!(UsersField::Absent);
            fn visit_seq<A: SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> std::result::Result<Self::Value, A::Error> {
                let mut records = Vec::with_capacity(seq.size_hint().unwrap_or(0));
                while let Some(raw) = seq.next_element::<RawRecord<'de>>()? {
                    records.push(raw.into_record());
                }
                Ok(UsersField::List(records))
            }
            fn visit_map<A: MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<Self::Value, A::Error> {
                let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0));
                while let Some(StrKey(key)) = map.next_key::<StrKey<'de>>()? {
                    let raw: RawRecord<'de> = map.next_value()?;
                    entries.push((key, raw.into_record()));
                }
                Ok(UsersField::Map(entries))
            }
        }
        deserializer.deserialize_any(UsersVisitor)
    }
}

/// An object key, borrowed from the body unless it holds escapes.
struct StrKey<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for StrKey<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = StrKey<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(
                self,
                v: &'de str,
            ) -> std::result::Result<Self::Value, E> {
                Ok(StrKey(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<Self::Value, E> {
                Ok(StrKey(Cow::Owned(v.to_string())))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// A JSON value reduced to what a record field can use; strings stay borrowed when
/// they hold no escapes.
enum Scalar<'a> {
    Bool(bool),
    I64(i64),
    U64(u64),
    /// A finite float; only its being one matters (`enabled`), byte counts are read
    /// from JSON values by `storage_info`.
    Float,
    Str(Cow<'a, str>),
    /// Null, a list or an object.
    Other,
}

impl<'a> Scalar<'a> {
    /// `Value::as_str`.
    fn into_str(self) -> Option<Cow<'a, str>> {
        match self {
            Scalar::Str(s) => Some(s),
            _ => None,
        }
    }
}

impl<'de> Deserialize<'de> for Scalar<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        struct ScalarVisitor;
        impl<'de> Visitor<'de> for ScalarVisitor {
            type Value = Scalar<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> std::result::Result<Self::Value, E> {
                Ok(Scalar::Bool(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> std::result::Result<Self::Value, E> {
                Ok(Scalar::I64(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> std::result::Result<Self::Value, E> {
                Ok(Scalar::U64(v))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> std::result::Result<Self::Value, E> {
                // A `Value` turns a non-finite float into null.
                Ok(if v.is_finite() {
                    Scalar::Float
                } else {
                    Scalar::Other
                })
            }
            fn visit_borrowed_str<E: de::Error>(
                self,
                v: &'de str,
            ) -> std::result::Result<Self::Value, E> {
                Ok(Scalar::Str(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<Self::Value, E> {
                Ok(Scalar::Str(Cow::Owned(v.to_string())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> std::result::Result<Self::Value, E> {
                Ok(Scalar::Str(Cow::Owned(v)))
            }
            fn visit_unit<E: de::Error>(self) -> std::result::Result<Self::Value, E> {
                Ok(Scalar::Other)
            }
            fn visit_none<E: de::Error>(self) -> std::result::Result<Self::Value, E> {
                Ok(Scalar::Other)
            }
            fn visit_seq<A: SeqAccess<'de>>(
                self,
                seq: A,
            ) -> std::result::Result<Self::Value, A::Error> {
                skip_seq(seq).map(|()| Scalar::Other)
            }
            fn visit_map<A: MapAccess<'de>>(
                self,
                map: A,
            ) -> std::result::Result<Self::Value, A::Error> {
                skip_map(map).map(|()| Scalar::Other)
            }
        }
        deserializer.deserialize_any(ScalarVisitor)
    }
}

/// The fields of an account record that [`UserRecord`] needs, each from the key's last
/// occurrence and None when missing or of an unusable type.
#[derive(Default)]
struct RawRecord<'a> {
    id: Option<Cow<'a, str>>,
    enabled: Option<bool>,
    email: Option<Cow<'a, str>>,
    displayname: Option<Cow<'a, str>>,
    display_name: Option<Cow<'a, str>>,
    groups: Groups,
    quota: QuotaValues,
}

#[derive(Deserialize)]
#[serde(field_identifier)]
enum RecordKey {
    #[serde(rename = "id")]
    Id,
    #[serde(rename = "enabled")]
    Enabled,
    #[serde(rename = "email")]
    Email,
    #[serde(rename = "displayname")]
    Displayname,
    #[serde(rename = "display-name")]
    DisplayName,
    #[serde(rename = "groups")]
    Groups,
    #[serde(rename = "quota")]
    Quota,
    #[serde(other)]
    Other,
}

impl RawRecord<'_> {
    /// The same record and the same errors as [`parse_user`] on the record's `Value`.
    fn into_record(self) -> Result<UserRecord> {
        let id = self
            .id
            .ok_or_else(|| Error::protocol(BACKEND, "account record without an id"))?
            .into_owned();
        let Some(enabled) = self.enabled else {
            return Err(Error::protocol(
                BACKEND,
                format!("account record of {id} without an enabled flag"),
            ));
        };
        let text = |s: Option<Cow<'_, str>>| s.filter(|s| !s.is_empty()).map(Cow::into_owned);
        Ok(UserRecord {
            email: text(self.email),
            display_name: text(self.displayname).or_else(|| text(self.display_name)),
            groups: self.groups.0,
            storage: storage_info(&id, self.quota.fields())?,
            enabled,
            id,
        })
    }
}

/// `enabled` as [`parse_user`] reads it: a bool, `"1"`/`"true"` (any case), or a
/// number that is not integer 0.
fn enabled_flag(value: Scalar<'_>) -> Option<bool> {
    match value {
        Scalar::Bool(b) => Some(b),
        Scalar::Str(s) => Some(s == "1" || s.eq_ignore_ascii_case("true")),
        Scalar::I64(n) => Some(n != 0),
        Scalar::U64(n) => Some(n != 0),
        // `Value::as_i64` of a float is None, which is not `Some(0)`.
        Scalar::Float => Some(true),
        Scalar::Other => None,
    }
}

impl<'de> Deserialize<'de> for RawRecord<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        struct RecordVisitor;
        impl<'de> Visitor<'de> for RecordVisitor {
            type Value = RawRecord<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            accept_scalars_as!(RawRecord::default());
            fn visit_seq<A: SeqAccess<'de>>(
                self,
                seq: A,
            ) -> std::result::Result<Self::Value, A::Error> {
                skip_seq(seq).map(|()| RawRecord::default())
            }
            fn visit_map<A: MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<Self::Value, A::Error> {
                let mut raw = RawRecord::default();
                while let Some(key) = map.next_key::<RecordKey>()? {
                    match key {
                        RecordKey::Id => raw.id = map.next_value::<Scalar<'de>>()?.into_str(),
                        RecordKey::Enabled => raw.enabled = enabled_flag(map.next_value()?),
                        RecordKey::Email => raw.email = map.next_value::<Scalar<'de>>()?.into_str(),
                        RecordKey::Displayname => {
                            raw.displayname = map.next_value::<Scalar<'de>>()?.into_str();
                        }
                        RecordKey::DisplayName => {
                            raw.display_name = map.next_value::<Scalar<'de>>()?.into_str();
                        }
                        RecordKey::Groups => raw.groups = map.next_value()?,
                        RecordKey::Quota => raw.quota = map.next_value()?,
                        RecordKey::Other => {
                            map.next_value::<Skipped>()?;
                        }
                    }
                }
                Ok(raw)
            }
        }
        deserializer.deserialize_any(RecordVisitor)
    }
}

/// `groups`: the string entries of a list; nothing when it is not a list.
#[derive(Default)]
struct Groups(Vec<String>);

impl<'de> Deserialize<'de> for Groups {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        struct GroupsVisitor;
        impl<'de> Visitor<'de> for GroupsVisitor {
            type Value = Groups;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            accept_scalars_as!(Groups::default());
            fn visit_seq<A: SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> std::result::Result<Self::Value, A::Error> {
                let mut groups = Vec::with_capacity(seq.size_hint().unwrap_or(0));
                while let Some(item) = seq.next_element::<Scalar<'de>>()? {
                    if let Some(group) = item.into_str() {
                        groups.push(group.into_owned());
                    }
                }
                Ok(Groups(groups))
            }
            fn visit_map<A: MapAccess<'de>>(
                self,
                map: A,
            ) -> std::result::Result<Self::Value, A::Error> {
                skip_map(map).map(|()| Groups::default())
            }
        }
        deserializer.deserialize_any(GroupsVisitor)
    }
}

/// The byte-count fields of `quota`, each from the key's last occurrence, kept as JSON
/// values until the record's id is known: [`storage_info`] then reads them exactly as
/// `parse_user` does. All None unless `quota` is an object. A number is held without
/// allocating; only strings, lists and objects there (old fallbacks, or errors) do.
#[derive(Default)]
struct QuotaValues {
    quota: Option<Value>,
    used: Option<Value>,
    free: Option<Value>,
    total: Option<Value>,
}

impl QuotaValues {
    fn fields(&self) -> QuotaFields<'_> {
        QuotaFields {
            quota: self.quota.as_ref(),
            used: self.used.as_ref(),
            free: self.free.as_ref(),
            total: self.total.as_ref(),
        }
    }
}

#[derive(Deserialize)]
#[serde(field_identifier)]
enum QuotaKey {
    #[serde(rename = "quota")]
    Quota,
    #[serde(rename = "used")]
    Used,
    #[serde(rename = "free")]
    Free,
    #[serde(rename = "total")]
    Total,
    #[serde(other)]
    Other,
}

impl<'de> Deserialize<'de> for QuotaValues {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        struct QuotaVisitor;
        impl<'de> Visitor<'de> for QuotaVisitor {
            type Value = QuotaValues;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            accept_scalars_as!(QuotaValues::default());
            fn visit_seq<A: SeqAccess<'de>>(
                self,
                seq: A,
            ) -> std::result::Result<Self::Value, A::Error> {
                skip_seq(seq).map(|()| QuotaValues::default())
            }
            fn visit_map<A: MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<Self::Value, A::Error> {
                let mut values = QuotaValues::default();
                while let Some(key) = map.next_key::<QuotaKey>()? {
                    let slot = match key {
                        QuotaKey::Quota => &mut values.quota,
                        QuotaKey::Used => &mut values.used,
                        QuotaKey::Free => &mut values.free,
                        QuotaKey::Total => &mut values.total,
                        QuotaKey::Other => {
                            map.next_value::<Skipped>()?;
                            continue;
                        }
                    };
                    *slot = Some(map.next_value()?);
                }
                Ok(values)
            }
        }
        deserializer.deserialize_any(QuotaVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::{parse_user, QuotaLimit, StorageInfo};
    use provision_core::{ByteSize, ErrorKind};

    type Outcome<T> = std::result::Result<T, (ErrorKind, String, Option<String>, Option<String>)>;

    /// A result in a comparable form: errors by kind, text, server code and message.
    fn outcome<T>(result: Result<T>) -> Outcome<T> {
        result.map_err(|e| {
            (
                e.kind(),
                e.to_string(),
                e.server_code().map(str::to_string),
                e.server_message().map(str::to_string),
            )
        })
    }

    /// Asserts that both readings of a details page agree, and returns the typed one.
    fn assert_paths_agree(status: u16, body: &str) -> Outcome<Vec<UserRecord>> {
        let typed = outcome(parse_users_details(status, body));
        let value = outcome(details_via_value(status, body));
        assert_eq!(typed, value, "the two paths disagree on {body}");
        typed
    }

    fn page(users: &str) -> String {
        format!(
            r#"{{"ocs":{{"meta":{{"status":"ok","statuscode":200,"message":"OK"}},"data":{{"users":{users}}}}}}}"#
        )
    }

    /// Records in the shapes servers send or might send, as raw text so that keys can
    /// repeat.
    const ODD_RECORDS: &[&str] = &[
        // As 34.x sends it (§4.2).
        r#"{"enabled":true,"storageLocation":"/srv/nextcloud/data/alice","id":"alice","firstLoginTimestamp":0,"lastLoginTimestamp":0,"lastLogin":0,"backend":"Database","subadmin":[],"quota":{"free":1073741824,"used":0,"total":1073741824,"relative":0,"quota":1073741824},"manager":"","email":"alice@example.test","additional_mail":[],"displayname":"Alice Example","display-name":"Alice Example","phone":"","groups":["customers"],"notify_email":null,"backendCapabilities":{"setDisplayName":true,"setPassword":true}}"#,
        // `enabled` as bool, strings and numbers, or unusable.
        r#"{"id":"e1","enabled":false}"#,
        r#"{"id":"e2","enabled":"1"}"#,
        r#"{"id":"e3","enabled":"0"}"#,
        r#"{"id":"e4","enabled":"TRUE"}"#,
        r#"{"id":"e5","enabled":"yes"}"#,
        r#"{"id":"e6","enabled":""}"#,
        r#"{"id":"e7","enabled":1}"#,
        r#"{"id":"e8","enabled":0}"#,
        r#"{"id":"e9","enabled":-1}"#,
        r#"{"id":"e10","enabled":0.0}"#,
        r#"{"id":"e11","enabled":2.5}"#,
        r#"{"id":"e12","enabled":18446744073709551615}"#,
        r#"{"id":"e13","enabled":-0}"#,
        r#"{"id":"e14","enabled":null}"#,
        r#"{"id":"e15","enabled":[]}"#,
        r#"{"id":"e16","enabled":{"x":1}}"#,
        r#"{"id":"e17"}"#,
        // `id` missing or not a string; escapes.
        r#"{"enabled":true}"#,
        r#"{"id":5,"enabled":true}"#,
        r#"{"id":null,"enabled":true}"#,
        r#"{"id":["a"],"enabled":true}"#,
        r#"{"id":"","enabled":true}"#,
        r#"{"id":"a\"b\u00e9\n","enabled":true,"email":"x\u0040y","displayname":"Jo\\hn"}"#,
        // Empty, missing or odd text fields.
        r#"{"id":"t1","enabled":true,"email":"","displayname":"","display-name":""}"#,
        r#"{"id":"t2","enabled":true,"email":null,"display-name":"Dash"}"#,
        r#"{"id":"t3","enabled":true,"displayname":"","display-name":"Dash"}"#,
        r#"{"id":"t4","enabled":true,"displayname":null,"display-name":"Dash"}"#,
        r#"{"id":"t5","enabled":true,"displayname":"Plain","display-name":"Dash"}"#,
        r#"{"id":"t6","enabled":true,"email":3,"displayname":{"a":"b"}}"#,
        // Groups.
        r#"{"id":"g1","enabled":true,"groups":["a",1,null,"b",["c"],{"d":"e"}]}"#,
        r#"{"id":"g2","enabled":true,"groups":"a"}"#,
        r#"{"id":"g3","enabled":true,"groups":{"0":"a"}}"#,
        r#"{"id":"g4","enabled":true,"groups":[]}"#,
        // Quota objects (§5.2) and odder ones.
        r#"{"id":"q1","enabled":true,"quota":[]}"#,
        r#"{"id":"q2","enabled":true,"quota":{}}"#,
        r#"{"id":"q3","enabled":true,"quota":{"quota":"none","used":0}}"#,
        r#"{"id":"q4","enabled":true,"quota":{"quota":1073741824,"used":0}}"#,
        r#"{"id":"q5","enabled":true,"quota":{"free":1,"used":12,"total":2,"relative":0.5,"quota":"5368709120"}}"#,
        r#"{"id":"q6","enabled":true,"quota":{"free":-3,"used":5,"total":-3,"relative":0,"quota":-3}}"#,
        r#"{"id":"q7","enabled":true,"quota":{"free":-2,"used":-1,"total":-2,"quota":-2}}"#,
        r#"{"id":"q8","enabled":true,"quota":{"free":-3,"used":5,"total":-3,"relative":0,"quota":0}}"#,
        r#"{"id":"q9","enabled":true,"quota":{"free":-9688534,"used":20174294,"total":10485760,"relative":192.4,"quota":10485760}}"#,
        r#"{"id":"q10","enabled":true,"quota":{"quota":1.6,"used":2.5,"total":1}}"#,
        r#"{"id":"q11","enabled":true,"quota":{"quota":"abc","used":"12","free":0}}"#,
        r#"{"id":"q12","enabled":true,"quota":{"quota":"-5","used":3,"free":null}}"#,
        r#"{"id":"q13","enabled":true,"quota":{"quota":null,"used":null,"total":0}}"#,
        r#"{"id":"q14","enabled":true,"quota":{"quota":true,"used":[],"total":{}}}"#,
        r#"{"id":"q15","enabled":true,"quota":{"quota":1e20,"used":1e30,"total":0}}"#,
        r#"{"id":"q16","enabled":true,"quota":{"quota":18446744073709551615,"used":18446744073709551615,"free":0}}"#,
        r#"{"id":"q17","enabled":true,"quota":{"quota":-3.0,"used":-0.4,"total":1}}"#,
        r#"{"id":"q18","enabled":true,"quota":{"quota":" 5","used":0.4999,"total":1}}"#,
        r#"{"id":"q19","enabled":true,"quota":"none"}"#,
        r#"{"id":"q20","enabled":true,"quota":5}"#,
        r#"{"id":"q21","enabled":true,"quota":null}"#,
        // Repeated keys: the last one counts, as in a `Value` map.
        r#"{"id":"a","id":"b","enabled":true,"enabled":null}"#,
        r#"{"id":"d1","enabled":"0","enabled":1,"groups":["x"],"groups":5,"quota":{"quota":5,"quota":"none","used":3,"used":"x","free":1}}"#,
        r#"{"id":"d2","enabled":true,"quota":{"quota":5,"free":1,"used":3},"quota":[]}"#,
        r#"{"id":"d3","enabled":true,"email":"a@b","email":null,"displayname":"x","displayname":""}"#,
        // Not objects at all.
        r#"5"#,
        r#""d4""#,
        r#"null"#,
        r#"[]"#,
        r#"[{"id":"d5","enabled":true}]"#,
    ];

    #[test]
    fn details_page_and_parse_user_agree_on_odd_records() {
        for record in ODD_RECORDS {
            let single = outcome(parse_user(&serde_json::from_str::<Value>(record).unwrap()));
            let as_list = assert_paths_agree(200, &page(&format!("[{record}]")));
            let as_map = assert_paths_agree(200, &page(&format!(r#"{{"k":{record}}}"#)));
            let single = single.map(|r| vec![r]);
            assert_eq!(as_list, single, "list form of {record}");
            assert_eq!(as_map, single, "map form of {record}");
        }
        // And all of them in one page, where the first error in key order counts.
        let list = ODD_RECORDS.join(",");
        assert!(assert_paths_agree(200, &page(&format!("[{list}]"))).is_err());
        let map: Vec<String> = ODD_RECORDS
            .iter()
            .enumerate()
            .map(|(i, r)| format!(r#""{:03}":{r}"#, 999 - i))
            .collect();
        assert!(assert_paths_agree(200, &page(&format!("{{{}}}", map.join(",")))).is_err());
    }

    #[test]
    fn a_number_out_of_range_refuses_the_page_wherever_it_stands() {
        // serde_json refuses such a number in a `Value`; the streaming reader must not
        // pass over it where it skips a field.
        let huge = "10737e141824";
        let records = [
            format!(r#"{{"id":"a","enabled":true,"unknown":{huge}}}"#),
            format!(r#"{{"id":"a","enabled":true,"unknown":{{"total":{huge}}}}}"#),
            format!(r#"{{"id":"a","enabled":true,"unknown":[1,[{huge}]]}}"#),
            format!(r#"{{"id":"a","enabled":true,"quota":{{"relative":{huge}}}}}"#),
            format!(r#"{{"id":"a","enabled":true,"quota":{{"total":{huge}}}}}"#),
            format!(r#"{{"id":"a","enabled":true,"groups":["g",{{"x":{huge}}}]}}"#),
            format!(r#"{{"id":"a","enabled":{huge}}}"#),
        ];
        for record in &records {
            for users in [format!("[{record}]"), format!(r#"{{"a":{record}}}"#)] {
                let refused = assert_paths_agree(200, &page(&users));
                assert!(refused.is_err(), "{users} was read as {refused:?}");
            }
        }
        let beside_users = format!(
            r#"{{"ocs":{{"meta":{{"status":"ok","statuscode":200,"message":"OK"}},"data":{{"n":{huge},"users":[]}}}}}}"#
        );
        assert!(assert_paths_agree(200, &beside_users).is_err());
    }

    #[test]
    fn details_reads_the_odd_shapes_as_documented() {
        let one = |record: &str| {
            parse_users_details(200, &page(&format!("[{record}]")))
                .map(|mut records| records.remove(0))
        };
        let r = one(concat!(
            r#"{"id":"e","enabled":"TRUE","email":"","display-name":"D","#,
            r#""quota":{"quota":"none","used":0}}"#
        ))
        .unwrap();
        assert!(r.enabled);
        assert_eq!(r.email, None);
        assert_eq!(r.display_name.as_deref(), Some("D"));
        assert_eq!(
            r.storage,
            StorageInfo {
                limit: QuotaLimit::Unlimited,
                used: None
            }
        );
        let r = one(r#"{"id":"f","enabled":0,"quota":{"quota":2.0,"used":3,"total":1}}"#).unwrap();
        assert!(!r.enabled);
        assert_eq!(r.storage.limit, QuotaLimit::Bytes(ByteSize::new(2)));
        assert_eq!(r.storage.used, Some(ByteSize::new(3)));
        let r = one(r#"{"id":"g","enabled":true,"quota":{"quota":-2,"used":5,"free":1}}"#).unwrap();
        assert_eq!(r.storage.limit, QuotaLimit::Unknown);
        let e = one(r#"{"enabled":true}"#).unwrap_err();
        assert!(matches!(e, Error::Protocol { .. }), "{e:?}");
        assert!(e.to_string().contains("without an id"), "{e}");
        let e = one(r#"{"id":"bob","enabled":null}"#).unwrap_err();
        assert!(e.to_string().contains("bob without an enabled flag"), "{e}");
    }

    /// One record through both readers (the details page and `parse_user` on its
    /// `Value`), which must agree; the page's outcome.
    fn both_readers(record: &str) -> Outcome<UserRecord> {
        let single = outcome(parse_user(&serde_json::from_str::<Value>(record).unwrap()));
        let paged = assert_paths_agree(200, &page(&format!(r#"{{"k":{record}}}"#)));
        let paged = paged.map(|mut records| records.remove(0));
        assert_eq!(paged, single, "{record}");
        paged
    }

    fn storage_of(quota: &str) -> Outcome<StorageInfo> {
        both_readers(&format!(r#"{{"id":"big","enabled":true,"quota":{quota}}}"#))
            .map(|record| record.storage)
    }

    #[test]
    fn byte_counts_above_two_to_the_53_read_exactly_through_both_readers() {
        // 2^53 + 1 (an f64 reads 2^53) and the largest counts a u64 holds.
        for (quota, used) in [
            (9_007_199_254_740_994_u64, 9_007_199_254_740_993_u64),
            (u64::MAX, u64::MAX - 1),
            (u64::MAX - 1, 5_836_384_614_680_804_799),
        ] {
            assert_ne!(
                used as f64 as u64, used,
                "{used} must be one f64 cannot hold"
            );
            let body = format!(r#"{{"free":0,"used":{used},"total":{quota},"quota":{quota}}}"#);
            assert_eq!(
                storage_of(&body),
                Ok(StorageInfo {
                    limit: QuotaLimit::Bytes(ByteSize::new(quota)),
                    used: Some(ByteSize::new(used)),
                }),
                "{body}"
            );
        }
        // As numeric strings (older fallbacks) too.
        assert_eq!(
            storage_of(r#"{"free":0,"used":"9007199254740993","quota":"18446744073709551615"}"#),
            Ok(StorageInfo {
                limit: QuotaLimit::Bytes(ByteSize::new(u64::MAX)),
                used: Some(ByteSize::new(9_007_199_254_740_993)),
            })
        );
    }

    #[test]
    fn a_fractional_or_oversized_count_is_a_protocol_error_naming_the_field() {
        for (quota, field) in [
            (
                r#"{"free":1,"used":2.5,"total":4,"quota":4}"#,
                "quota.used of big",
            ),
            (
                r#"{"free":1,"used":2,"total":4,"quota":1.6}"#,
                "quota.quota of big",
            ),
            (
                r#"{"free":0.5,"used":2,"total":4,"quota":4}"#,
                "quota.free of big",
            ),
            (
                r#"{"free":1,"used":2,"total":"4 GB","quota":4}"#,
                "quota.total of big",
            ),
            (
                r#"{"free":1,"used":2,"quota":"18446744073709551616"}"#,
                "quota.quota of big",
            ),
        ] {
            let (kind, text, _, _) = storage_of(quota).unwrap_err();
            assert_eq!(kind, ErrorKind::Unexpected, "{quota}");
            assert!(text.contains(field), "{quota}: {text}");
        }
        // A long non-ASCII value is cut on a character boundary, not in one.
        let long = format!(r#"{{"free":1,"used":"{}","quota":4}}"#, "é".repeat(60));
        let (_, text, _, _) = storage_of(&long).unwrap_err();
        assert!(
            text.contains("quota.used of big") && text.ends_with('…'),
            "{text}"
        );
    }

    #[test]
    fn negative_counts_are_sentinels_as_the_reference_describes() {
        let storage = |quota: &str| storage_of(quota).unwrap();
        // -3 (or "none") is unlimited, whether `free`/`total` say -3 (34.x) or not.
        for unlimited in [
            r#"{"free":-3,"used":5,"total":-3,"relative":0,"quota":-3}"#,
            r#"{"free":1000,"used":5,"total":1005,"quota":-3.0}"#,
            r#"{"free":-3,"used":5,"total":-3,"quota":"-3"}"#,
            r#"{"quota":"none","used":0}"#,
        ] {
            assert_eq!(
                storage(unlimited).limit,
                QuotaLimit::Unlimited,
                "{unlimited}"
            );
        }
        // Quota 0 shows -3 in `free`/`total` like unlimited; only `quota` tells them apart.
        let zero = storage(r#"{"free":-3,"used":5,"total":-3,"relative":0,"quota":0}"#);
        assert_eq!(zero.limit, QuotaLimit::Bytes(ByteSize::ZERO));
        assert_eq!(zero.used, Some(ByteSize::new(5)));
        // Over quota `free` goes negative: usage is still read.
        let over = storage(
            r#"{"free":-9688534,"used":20174294,"total":10485760,"relative":192.4,"quota":10485760}"#,
        );
        assert_eq!(over.limit, QuotaLimit::Bytes(ByteSize::new(10_485_760)));
        assert_eq!(over.used, Some(ByteSize::new(20_174_294)));
        // Other negatives are no size: unknown, never 0 and never unlimited.
        assert_eq!(
            storage(r#"{"free":-2,"used":-1,"total":-2,"quota":-2}"#),
            StorageInfo {
                limit: QuotaLimit::Unknown,
                used: None
            }
        );
        assert_eq!(
            storage(r#"{"free":1,"used":-2,"quota":-1}"#),
            StorageInfo {
                limit: QuotaLimit::Unknown,
                used: None
            }
        );
    }

    #[test]
    fn details_users_as_map_list_or_empty() {
        let rec = |id: &str| format!(r#"{{"id":"{id}","enabled":true}}"#);
        let ids = |outcome: Outcome<Vec<UserRecord>>| -> Vec<String> {
            outcome.unwrap().into_iter().map(|r| r.id).collect()
        };
        // The map form, in key order whatever the document order, one record per key
        // (the last).
        let map = format!(r#"{{"b":{},"a":{}}}"#, rec("b"), rec("a"));
        assert_eq!(ids(assert_paths_agree(200, &page(&map))), ["a", "b"]);
        let map = format!(
            r#"{{"a":{},"c":{},"a":{}}}"#,
            rec("first"),
            rec("c"),
            rec("last")
        );
        assert_eq!(ids(assert_paths_agree(200, &page(&map))), ["last", "c"]);
        // Keys with escapes compare as the text they stand for.
        let map = format!(r#"{{"\u0062":{},"a":{}}}"#, rec("b"), rec("a"));
        assert_eq!(ids(assert_paths_agree(200, &page(&map))), ["a", "b"]);
        // The list form keeps its order.
        let list = format!("[{},{}]", rec("b"), rec("a"));
        assert_eq!(ids(assert_paths_agree(200, &page(&list))), ["b", "a"]);
        // Empty: `[]` as PHP sends it, or `{}`.
        assert!(assert_paths_agree(200, &page("[]")).unwrap().is_empty());
        assert!(assert_paths_agree(200, &page("{}")).unwrap().is_empty());
        // Without a users map or list.
        for users in ["null", "5", r#""x""#, "true"] {
            let e = assert_paths_agree(200, &page(users)).unwrap_err();
            assert!(e.1.contains("without a users field"), "{users}: {e:?}");
        }
        for data in [
            r#""data":[]"#,
            r#""data":{}"#,
            r#""data":null"#,
            r#""data":"users""#,
            r#""data":{"other":1}"#,
        ] {
            let body =
                format!(r#"{{"ocs":{{"meta":{{"statuscode":100,"message":"OK"}},{data}}}}}"#);
            assert!(assert_paths_agree(200, &body).is_err(), "{body}");
        }
        assert!(assert_paths_agree(200, r#"{"ocs":{"meta":{"statuscode":100}}}"#).is_err());
        // A repeated `users` counts once, the last time.
        let body = r#"{"ocs":{"meta":{"statuscode":100},"data":{"users":{"a":5},"users":[]}}}"#;
        assert_eq!(assert_paths_agree(200, body), Ok(Vec::new()));
    }

    #[test]
    fn details_failures_read_like_parse_answer() {
        let cases: &[(u16, &str)] = &[
            (
                200,
                r#"{"ocs":{"meta":{"status":"failure","statuscode":997,"message":"Current user is not logged in","totalitems":"","itemsperpage":""},"data":[]}}"#,
            ),
            (
                403,
                r#"{"ocs":{"meta":{"status":"failure","statuscode":403,"message":"Logged in account must be a subadmin"},"data":[]}}"#,
            ),
            (
                400,
                r#"{"ocs":{"data":{"users":{"a":{"enabled":null}}},"meta":{"statuscode":101,"message":"x"}}}"#,
            ),
            (
                500,
                r#"{"ocs":{"meta":{"statuscode":996},"data":{"users":7}}}"#,
            ),
            (
                200,
                r#"{"ocs":{"meta":{"statuscode":"100"},"data":{"users":[]}}}"#,
            ),
            (200, r#"{"ocs":{"data":{"users":[]}}}"#),
            (
                200,
                r#"{"ocs":{"meta":{"statuscode":100},"data":{"users":[}}}"#,
            ),
            (
                200,
                r#"{"ocs":{"meta":{"statuscode":100},"meta":{"statuscode":100},"data":[]}}"#,
            ),
            (200, "<html>maintenance</html>"),
            (429, ""),
            (503, "Service Unavailable"),
            (404, r#"{"message":"not here"}"#),
        ];
        for (status, body) in cases {
            assert!(assert_paths_agree(*status, body).is_err(), "{body}");
        }
    }

    /// A JSON value whose objects may repeat keys, for the property test.
    #[derive(Debug, Clone)]
    enum Json {
        Null,
        Bool(bool),
        Int(i64),
        UInt(u64),
        Float(f64),
        Str(String),
        List(Vec<Json>),
        Object(Vec<(String, Json)>),
    }

    impl Json {
        fn render(&self, out: &mut String) {
            match self {
                Json::Null => out.push_str("null"),
                Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
                Json::Int(i) => out.push_str(&i.to_string()),
                Json::UInt(u) => out.push_str(&u.to_string()),
                Json::Float(f) => out.push_str(&Value::from(*f).to_string()),
                Json::Str(s) => out.push_str(&Value::from(s.as_str()).to_string()),
                Json::List(items) => {
                    out.push('[');
                    for (i, item) in items.iter().enumerate() {
                        if i > 0 {
                            out.push(',');
                        }
                        item.render(out);
                    }
                    out.push(']');
                }
                Json::Object(entries) => {
                    out.push('{');
                    for (i, (key, value)) in entries.iter().enumerate() {
                        if i > 0 {
                            out.push(',');
                        }
                        out.push_str(&Value::from(key.as_str()).to_string());
                        out.push(':');
                        value.render(out);
                    }
                    out.push('}');
                }
            }
        }
    }

    mod property {
        use super::*;
        use proptest::prelude::*;

        fn key() -> impl Strategy<Value = String> {
            prop::sample::select(vec![
                "id",
                "enabled",
                "email",
                "displayname",
                "display-name",
                "groups",
                "quota",
                "used",
                "free",
                "total",
                "relative",
                "other",
                "",
            ])
            .prop_map(str::to_string)
        }

        fn leaf() -> impl Strategy<Value = Json> {
            prop_oneof![
                Just(Json::Null),
                any::<bool>().prop_map(Json::Bool),
                prop::sample::select(vec![-3i64, -2, -1, 0, 1, 5]).prop_map(Json::Int),
                any::<i64>().prop_map(Json::Int),
                any::<u64>().prop_map(Json::UInt),
                prop::num::f64::NORMAL.prop_map(Json::Float),
                prop::sample::select(vec![-3.0f64, -0.5, 0.0, 0.5, 1.5, 2.5, 1e30])
                    .prop_map(Json::Float),
                prop::sample::select(vec![
                    "", "1", "0", "true", "True", "none", "123", "-3", "a\"b", "é\n"
                ])
                .prop_map(|s| Json::Str(s.to_string())),
                "[a-z0-9]{0,6}".prop_map(Json::Str),
            ]
        }

        fn value() -> impl Strategy<Value = Json> {
            leaf().prop_recursive(3, 24, 6, |inner| {
                prop_oneof![
                    prop::collection::vec(inner.clone(), 0..5).prop_map(Json::List),
                    prop::collection::vec((key(), inner), 0..6).prop_map(Json::Object),
                ]
            })
        }

        fn quota_object() -> impl Strategy<Value = Json> {
            let key = prop::sample::select(vec!["quota", "used", "free", "total", "relative", "x"])
                .prop_map(str::to_string);
            prop::collection::vec((key, leaf()), 0..6).prop_map(Json::Object)
        }

        /// Mostly records with a string id, an enabled flag, a quota object and display
        /// names among other keys (any of them possibly repeated), in any order;
        /// sometimes anything.
        fn record() -> impl Strategy<Value = Json> {
            let object = (
                prop::option::weighted(0.9, "[a-zA-Z0-9é\"]{0,5}".prop_map(Json::Str)),
                prop::option::weighted(0.9, leaf()),
                prop::option::weighted(0.8, prop_oneof![3 => quota_object(), 1 => value()]),
                prop::option::weighted(0.5, leaf()),
                prop::option::weighted(0.5, leaf()),
                prop::collection::vec((key(), value()), 0..6),
            )
                .prop_flat_map(|(id, enabled, quota, name, dash_name, mut entries)| {
                    entries.extend(name.map(|v| ("displayname".to_string(), v)));
                    entries.extend(dash_name.map(|v| ("display-name".to_string(), v)));
                    entries.extend(id.map(|v| ("id".to_string(), v)));
                    entries.extend(enabled.map(|v| ("enabled".to_string(), v)));
                    entries.extend(quota.map(|v| ("quota".to_string(), v)));
                    Just(entries).prop_shuffle()
                })
                .prop_map(Json::Object);
            prop_oneof![6 => object, 1 => value()]
        }

        proptest! {
            #[test]
            fn details_and_parse_user_agree_on_any_record(
                records in prop::collection::vec((key(), record()), 0..6),
            ) {
                let mut list = Json::List(records.iter().map(|(_, r)| r.clone()).collect());
                let mut body = String::new();
                list.render(&mut body);
                let typed = outcome(parse_users_details(200, &page(&body)));
                prop_assert_eq!(&typed, &outcome(details_via_value(200, &page(&body))));
                for (_, record) in &records {
                    let mut text = String::new();
                    record.render(&mut text);
                    let value: Value = serde_json::from_str(&text).unwrap();
                    let single = outcome(parse_user(&value).map(|r| vec![r]));
                    let mut one = String::new();
                    Json::List(vec![record.clone()]).render(&mut one);
                    prop_assert_eq!(outcome(parse_users_details(200, &page(&one))), single);
                }
                list = Json::Object(records);
                body.clear();
                list.render(&mut body);
                prop_assert_eq!(
                    outcome(parse_users_details(200, &page(&body))),
                    outcome(details_via_value(200, &page(&body)))
                );
            }
        }
    }
}
