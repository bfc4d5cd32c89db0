//! Notification values and the `{$name}` templates that use them.
//!
//! [`NotificationValues`] computes the standard values of an account's usage
//! ([`STANDARD_NAMES`]) in integers, and takes caller-supplied values beside them
//! (`client_name`, `service_product_name`, ...). A [`Template`] is parsed once, so that
//! a typo in a placeholder is an error when the product is configured, not when a
//! customer should be warned; rendering then only looks values up.
//!
//! Placeholders are `{$name}` and the product or quotient of two values, `{$a*$b}` or
//! `{$a/$b}` (spaces around the operator are allowed), computed with checked `u128`
//! integer arithmetic; a quotient is rounded down. A `{` not followed by `$` is
//! literal text. The template parser and renderer come from `provision-rules`
//! (re-exported here); the values need an account, so they live here.
//!
//! ```
//! use provision_core::notify::{NotificationValues, Template};
//! use provision_core::quota::{ByteSize, Quota, Unit};
//! use provision_core::username::Username;
//!
//! let template = Template::parse(
//!     "{$client_name}: {$disk_used_unit} of {$disk_limit} {$unit} used \
//!      ({$disk_used_percentage}%), limit {$disk_limit_bytes} bytes",
//!     &["client_name"],
//! )
//! .unwrap();
//! let quota = Quota::from_config(10, Unit::Gb).unwrap();
//! let values = NotificationValues::new(
//!     &Username::new("alice").unwrap(),
//!     ByteSize::new(9 << 30),
//!     quota,
//!     Unit::Gb,
//! )
//! .with("client_name", "Alice Example");
//! assert_eq!(
//!     template.render(&values).unwrap(),
//!     "Alice Example: 9.00 of 10.00 GB used (90%), limit 10737418240 bytes"
//! );
//! ```

use std::collections::BTreeMap;

pub use provision_rules::template::{
    default_near_limit, default_suspended_for_limit, split_subject, Template, TemplateError,
    TemplateValues, NEAR_LIMIT_TEMPLATE, STANDARD_NAMES, SUSPENDED_FOR_LIMIT_TEMPLATE,
};

use crate::quota::{ByteSize, Quota, Unit};
use crate::username::Username;

/// What the size values show for an unlimited quota.
const UNLIMITED: &str = "unlimited";

/// The values a notification template can use.
///
/// Standard values, all computed in integers:
///
/// | name                   | value                                                  |
/// |------------------------|--------------------------------------------------------|
/// | `username`             | the account name                                       |
/// | `disk_limit`           | the limit in the unit, 2 decimals, or `unlimited`      |
/// | `disk_limit_bytes`     | the limit in bytes, or `unlimited`                     |
/// | `disk_used_bytes`      | the usage in bytes                                     |
/// | `disk_used_unit`       | the usage in the unit, 2 decimals                      |
/// | `disk_free_unit`       | the free space in the unit, 2 decimals (0.00 when over the limit), or `unlimited` |
/// | `disk_used_percentage` | used share of the limit, whole percent rounded down (above 100 when over; 0 when unlimited) |
/// | `disk_free_percentage` | free share of the limit, whole percent rounded down (100 when unlimited) |
/// | `unit`                 | the unit's symbol, e.g. `GB`                           |
/// | `unit_coefficient`     | bytes per unit, e.g. `1073741824`                      |
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotificationValues {
    values: BTreeMap<String, String>,
}

impl NotificationValues {
    /// The standard values of an account using `used` of `quota`, shown in `unit`.
    pub fn new(username: &Username, used: ByteSize, quota: Quota, unit: Unit) -> Self {
        let in_unit = |size: ByteSize| size.in_unit(unit, 2);
        let or_unlimited = |value: Option<String>| value.unwrap_or_else(|| UNLIMITED.to_string());
        let standard = [
            ("username", username.as_str().to_string()),
            ("disk_limit", or_unlimited(quota.limit().map(in_unit))),
            (
                "disk_limit_bytes",
                or_unlimited(quota.limit().map(|l| l.bytes().to_string())),
            ),
            ("disk_used_bytes", used.bytes().to_string()),
            ("disk_used_unit", in_unit(used)),
            (
                "disk_free_unit",
                or_unlimited(quota.free(used).map(in_unit)),
            ),
            (
                "disk_used_percentage",
                quota.percent_used(used).unwrap_or(0).to_string(),
            ),
            (
                "disk_free_percentage",
                quota.percent_free(used).unwrap_or(100).to_string(),
            ),
            ("unit", unit.symbol().to_string()),
            ("unit_coefficient", unit.bytes().to_string()),
        ];
        NotificationValues {
            values: standard
                .into_iter()
                .map(|(name, value)| (name.to_string(), value))
                .collect(),
        }
    }

    /// Adds a caller-supplied value (`client_name`, `service_product_name`, `domain`,
    /// ...). A value of the same name, standard or not, is replaced.
    pub fn with(mut self, name: &str, value: impl Into<String>) -> Self {
        self.values.insert(name.to_string(), value.into());
        self
    }

    /// The value of `name`, if there is one.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(String::as_str)
    }

    /// Every value, by name in alphabetical order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.values.iter().map(|(n, v)| (n.as_str(), v.as_str()))
    }
}

impl TemplateValues for NotificationValues {
    fn value(&self, name: &str) -> Option<&str> {
        self.get(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GB: u64 = 1 << 30;

    fn values(used: u64, quota: Quota) -> NotificationValues {
        NotificationValues::new(
            &Username::new("alice").unwrap(),
            ByteSize::new(used),
            quota,
            Unit::Gb,
        )
    }

    fn ten_gb() -> Quota {
        Quota::from_config(10, Unit::Gb).unwrap()
    }

    #[test]
    fn standard_values_are_exact() {
        let v = values(GB * 3 / 2, ten_gb());
        let expected = [
            ("username", "alice"),
            ("disk_limit", "10.00"),
            ("disk_limit_bytes", "10737418240"),
            ("disk_used_bytes", "1610612736"),
            ("disk_used_unit", "1.50"),
            ("disk_free_unit", "8.50"),
            ("disk_used_percentage", "15"),
            ("disk_free_percentage", "85"),
            ("unit", "GB"),
            ("unit_coefficient", "1073741824"),
        ];
        for (name, value) in expected {
            assert_eq!(v.get(name), Some(value), "{name}");
        }
        assert_eq!(v.iter().count(), STANDARD_NAMES.len());
    }

    #[test]
    fn percentages_round_down_and_exceed_100_over_the_limit() {
        let just_under = values(9 * GB - 1, ten_gb());
        assert_eq!(just_under.get("disk_used_percentage"), Some("89"));
        assert_eq!(just_under.get("disk_free_percentage"), Some("10"));
        let over = values(15 * GB, ten_gb());
        assert_eq!(over.get("disk_used_percentage"), Some("150"));
        assert_eq!(over.get("disk_free_percentage"), Some("0"));
        assert_eq!(over.get("disk_free_unit"), Some("0.00"));
    }

    #[test]
    fn unlimited_quota_values() {
        let v = values(GB, Quota::Unlimited);
        assert_eq!(v.get("disk_limit"), Some("unlimited"));
        assert_eq!(v.get("disk_limit_bytes"), Some("unlimited"));
        assert_eq!(v.get("disk_free_unit"), Some("unlimited"));
        assert_eq!(v.get("disk_used_percentage"), Some("0"));
        assert_eq!(v.get("disk_free_percentage"), Some("100"));
        assert_eq!(v.get("disk_used_unit"), Some("1.00"));
    }

    #[test]
    fn caller_values_are_added_and_replace_same_names() {
        let v = values(GB, ten_gb())
            .with("domain", "example.com")
            .with("unit", "GiB");
        assert_eq!(v.get("domain"), Some("example.com"));
        assert_eq!(v.get("unit"), Some("GiB"));
        assert_eq!(v.get("client_name"), None);
    }

    #[test]
    fn renders_placeholders_and_keeps_other_braces() {
        let t = Template::parse("{ {user} {$username}{$unit}} {", &[]).unwrap();
        assert_eq!(
            t.render(&values(0, ten_gb())).unwrap(),
            "{ {user} aliceGB} {"
        );
    }

    #[test]
    fn renders_products_and_quotients_in_integers() {
        let t = Template::parse(
            "{$disk_limit_bytes*$unit_coefficient}|{$disk_used_bytes / $unit_coefficient}",
            &[],
        )
        .unwrap();
        let rendered = t.render(&values(GB * 3 / 2, ten_gb())).unwrap();
        assert_eq!(rendered, format!("{}|1", 10u128 * GB as u128 * GB as u128));
    }

    #[test]
    fn expression_errors_at_render() {
        let v = values(GB, ten_gb())
            .with("big", u128::MAX.to_string())
            .with("zero", "0");
        let t = Template::parse("x {$big*$unit_coefficient}", &["big"]).unwrap();
        assert_eq!(t.render(&v), Err(TemplateError::Overflow { position: 2 }));
        let t = Template::parse("{$big/$zero}", &["big", "zero"]).unwrap();
        assert_eq!(
            t.render(&v),
            Err(TemplateError::DivisionByZero { position: 0 })
        );
        let t = Template::parse("{$disk_used_unit*$unit_coefficient}", &[]).unwrap();
        assert_eq!(
            t.render(&v),
            Err(TemplateError::NotAnInteger {
                name: "disk_used_unit".into(),
                value: "1.00".into(),
                position: 0
            })
        );
        // An unlimited limit has no number of bytes to compute with.
        let t = Template::parse("{$disk_limit_bytes*$unit_coefficient}", &[]).unwrap();
        assert!(matches!(
            t.render(&values(GB, Quota::Unlimited)),
            Err(TemplateError::NotAnInteger { .. })
        ));
    }

    #[test]
    fn a_declared_extra_name_must_be_supplied_at_render() {
        let t = Template::parse("Dear {$client_name}", &["client_name"]).unwrap();
        assert_eq!(
            t.render(&values(0, ten_gb())),
            Err(TemplateError::MissingValue {
                name: "client_name".into(),
                position: 5
            })
        );
        let v = values(0, ten_gb()).with("client_name", "Bob");
        assert_eq!(t.render(&v).unwrap(), "Dear Bob");
    }

    #[test]
    fn default_templates_parse_and_render() {
        let v = values(9 * GB + GB / 2, ten_gb())
            .with("client_name", "Alice Example")
            .with("service_product_name", "Cloud 10");
        let near = default_near_limit().render(&v).unwrap();
        let (subject, body) = split_subject(&near);
        assert_eq!(subject, Some("Your Cloud 10 storage is 95% full"));
        assert!(body.starts_with("Dear Alice Example,"), "{body}");
        assert!(body.contains("alice (Cloud 10) now uses 9.50 GB of its 10.00 GB (95%)"));
        assert!(body.contains("0.50 GB remain free"));
        assert!(!near.contains("{$"));

        let over = values(12 * GB, ten_gb())
            .with("client_name", "Alice Example")
            .with("service_product_name", "Cloud 10");
        let suspended = default_suspended_for_limit().render(&over).unwrap();
        let (subject, body) = split_subject(&suspended);
        assert_eq!(subject, Some("Your Cloud 10 storage is over its limit"));
        assert!(
            body.contains("holds 12.00 GB, which is more than its limit of 10.00 GB (120% used)")
        );

        for template in [default_near_limit(), default_suspended_for_limit()] {
            assert!(template.placeholders().contains(&"client_name"));
            assert!(matches!(
                template.render(&values(0, ten_gb())),
                Err(TemplateError::MissingValue { .. })
            ));
        }
    }
}
