//! Notification values and the `{$name}` templates that use them.
//!
//! [`NotificationValues`] computes the standard values of an account's usage
//! ([`STANDARD_NAMES`]) exactly, and takes caller-supplied values beside them
//! (`client_name`, `service_product_name`, ...). A [`Template`] is parsed once, so that
//! a typo in a placeholder is an error when the product is configured, not when a
//! customer should be warned; rendering then only looks values up.
//!
//! Placeholders are `{$name}` and the product or quotient of two values, `{$a*$b}` or
//! `{$a/$b}`, computed exactly in decimals and shown with at most two decimals,
//! trailing zeros trimmed (see [`provision_rules::template`] for the rules and for the
//! change of meaning of `unit_coefficient`: bytes × coefficient = size in the unit, as
//! in the original modules). The template parser and renderer come from
//! `provision-rules` (re-exported here); the values need an account, so they live here.
//!
//! The operators' templates of the original modules render as written:
//!
//! ```
//! use provision_core::notify::{NotificationValues, Template};
//! use provision_core::quota::{ByteSize, Quota, Unit};
//! use provision_core::username::Username;
//!
//! let template = Template::parse(
//!     "Dear {$client_name}: Disk limit: {$disk_limit_bytes*$unit_coefficient} {$unit}, \
//!      Disk used: {$disk_used_unit} {$unit} ({$disk_used_percentage} %)",
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
//!     "Dear Alice Example: Disk limit: 10 GB, Disk used: 9 GB (90 %)"
//! );
//! ```

use std::collections::BTreeMap;

pub use provision_rules::template::{
    default_near_limit, default_suspended_for_limit, split_subject, Template, TemplateError,
    TemplateValues, NEAR_LIMIT_TEMPLATE, STANDARD_NAMES, SUSPENDED_FOR_LIMIT_TEMPLATE,
};

use crate::quota::{ByteSize, Quota, Unit};
use crate::username::Username;

/// What the size values show for an unlimited quota until
/// [`NotificationValues::with_unlimited_word`] gives the customer's word.
pub const UNLIMITED: &str = "unlimited";

/// The values a notification template can use.
///
/// Standard values, all computed exactly; sizes in the unit are rounded half up to two
/// decimals with trailing zeros trimmed (`10`, `1.5`, `9.53`):
///
/// | name                   | value                                                  |
/// |------------------------|--------------------------------------------------------|
/// | `username`             | the account name                                       |
/// | `disk_limit`           | the limit in the unit, or the unlimited word           |
/// | `disk_limit_bytes`     | the limit in bytes, or the unlimited word              |
/// | `disk_used_bytes`      | the usage in bytes                                     |
/// | `disk_used_unit`       | the usage in the unit                                  |
/// | `disk_free_unit`       | the free space in the unit (0 when over the limit), or the unlimited word |
/// | `disk_used_percentage` | used share of the limit, whole percent rounded down (above 100 when over; 0 when unlimited) |
/// | `disk_free_percentage` | free share of the limit, whole percent rounded down (100 when unlimited) |
/// | `unit`                 | the unit's symbol, e.g. `GB`                           |
/// | `unit_coefficient`     | the unit per byte, exactly: `0.000000000931322574615478515625` for GB (bytes × coefficient = size in the unit, as in the original modules) |
/// | `unit_bytes`           | bytes per unit, e.g. `1073741824`                      |
///
/// The unlimited word is [`UNLIMITED`] until [`Self::with_unlimited_word`] sets the
/// customer's; an expression with an unlimited operand shows it
/// (`{$disk_limit_bytes*$unit_coefficient}` of an unlimited quota).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotificationValues {
    values: BTreeMap<String, String>,
    unlimited: String,
}

/// The size in `unit`, rounded half up to two decimals, trailing zeros trimmed.
fn shown_in_unit(size: ByteSize, unit: Unit) -> String {
    trim_decimals(size.in_unit(unit, 2))
}

/// `10.00` → `10`, `1.50` → `1.5`.
fn trim_decimals(number: String) -> String {
    if !number.contains('.') {
        return number;
    }
    number
        .trim_end_matches('0')
        .trim_end_matches('.')
        .to_string()
}

/// The names whose value is the unlimited word when the quota is unlimited.
const UNLIMITED_NAMES: [&str; 3] = ["disk_limit", "disk_limit_bytes", "disk_free_unit"];

impl NotificationValues {
    /// The standard values of an account using `used` of `quota`, shown in `unit`.
    pub fn new(username: &Username, used: ByteSize, quota: Quota, unit: Unit) -> Self {
        let in_unit = |size: ByteSize| shown_in_unit(size, unit);
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
            (
                "unit_coefficient",
                trim_decimals(ByteSize::new(1).in_unit(unit, crate::quota::MAX_DECIMALS)),
            ),
            ("unit_bytes", unit.bytes().to_string()),
        ];
        NotificationValues {
            values: standard
                .into_iter()
                .map(|(name, value)| (name.to_string(), value))
                .collect(),
            unlimited: UNLIMITED.to_string(),
        }
    }

    /// The values as recorded with an action (`PendingAction::values`): the standard
    /// ones computed by [`Self::new`] when the sweep ran, and the caller's.
    pub fn recorded(values: BTreeMap<String, String>) -> Self {
        NotificationValues {
            values,
            unlimited: UNLIMITED.to_string(),
        }
    }

    /// Shows an unlimited size as `word` (the customer's language's) instead of the
    /// current word, in the values and in expressions.
    pub fn with_unlimited_word(mut self, word: impl Into<String>) -> Self {
        let word = word.into();
        for name in UNLIMITED_NAMES {
            if let Some(value) = self.values.get_mut(name) {
                if *value == self.unlimited {
                    value.clone_from(&word);
                }
            }
        }
        self.unlimited = word;
        self
    }

    /// Whether the quota is unlimited (the limit is the unlimited word).
    pub fn is_unlimited(&self) -> bool {
        self.get("disk_limit_bytes") == Some(self.unlimited.as_str())
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

    fn unlimited_word(&self) -> Option<&str> {
        Some(&self.unlimited)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GB: u64 = 1 << 30;
    const TB: u64 = 1 << 40;

    fn values_in(used: u64, quota: Quota, unit: Unit) -> NotificationValues {
        NotificationValues::new(
            &Username::new("alice").unwrap(),
            ByteSize::new(used),
            quota,
            unit,
        )
    }

    fn values(used: u64, quota: Quota) -> NotificationValues {
        values_in(used, quota, Unit::Gb)
    }

    fn ten_gb() -> Quota {
        Quota::from_config(10, Unit::Gb).unwrap()
    }

    #[test]
    fn standard_values_are_exact() {
        let v = values(GB * 3 / 2, ten_gb());
        let expected = [
            ("username", "alice"),
            ("disk_limit", "10"),
            ("disk_limit_bytes", "10737418240"),
            ("disk_used_bytes", "1610612736"),
            ("disk_used_unit", "1.5"),
            ("disk_free_unit", "8.5"),
            ("disk_used_percentage", "15"),
            ("disk_free_percentage", "85"),
            ("unit", "GB"),
            ("unit_coefficient", "0.000000000931322574615478515625"),
            ("unit_bytes", "1073741824"),
        ];
        for (name, value) in expected {
            assert_eq!(v.get(name), Some(value), "{name}");
        }
        assert_eq!(v.iter().count(), STANDARD_NAMES.len());
        let pb = values_in(0, Quota::Unlimited, Unit::Pb);
        assert_eq!(
            pb.get("unit_coefficient"),
            Some("0.00000000000000088817841970012523233890533447265625")
        );
    }

    #[test]
    fn percentages_round_down_and_exceed_100_over_the_limit() {
        let just_under = values(9 * GB - 1, ten_gb());
        assert_eq!(just_under.get("disk_used_percentage"), Some("89"));
        assert_eq!(just_under.get("disk_free_percentage"), Some("10"));
        assert_eq!(just_under.get("disk_used_unit"), Some("9"));
        let over = values(15 * GB, ten_gb());
        assert_eq!(over.get("disk_used_percentage"), Some("150"));
        assert_eq!(over.get("disk_free_percentage"), Some("0"));
        assert_eq!(over.get("disk_free_unit"), Some("0"));
    }

    #[test]
    fn unlimited_quota_values_in_the_customers_word() {
        let v = values(GB, Quota::Unlimited);
        assert!(v.is_unlimited());
        assert_eq!(v.get("disk_limit"), Some("unlimited"));
        assert_eq!(v.get("disk_limit_bytes"), Some("unlimited"));
        assert_eq!(v.get("disk_free_unit"), Some("unlimited"));
        assert_eq!(v.get("disk_used_percentage"), Some("0"));
        assert_eq!(v.get("disk_free_percentage"), Some("100"));
        assert_eq!(v.get("disk_used_unit"), Some("1"));
        let german = v.with_unlimited_word("unbegrenzt");
        assert_eq!(german.get("disk_limit"), Some("unbegrenzt"));
        assert_eq!(german.get("disk_free_unit"), Some("unbegrenzt"));
        assert!(german.is_unlimited());
        // A limited quota's numbers are left alone.
        let limited = values(GB, ten_gb()).with_unlimited_word("unbegrenzt");
        assert_eq!(limited.get("disk_limit"), Some("10"));
        assert!(!limited.is_unlimited());
    }

    #[test]
    fn recorded_values_render_like_fresh_ones() {
        let fresh = values(GB, Quota::Unlimited).with("client_name", "Bob");
        let map: BTreeMap<String, String> = fresh
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect();
        let recorded = NotificationValues::recorded(map).with_unlimited_word("illimité");
        let t = Template::parse(
            "{$client_name} {$disk_limit_bytes*$unit_coefficient}",
            &["client_name"],
        )
        .unwrap();
        assert_eq!(t.render(&recorded).unwrap(), "Bob illimité");
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

    /// The original modules' template, as operators wrote it (issue 14).
    const OPERATOR_TEMPLATE: &str = "Subject: {$disk_used_percentage} % - {$username}

Dear {$client_name},

your {$service_product_name} ({$username}) is due on {$service_next_due_date}.
Disk limit: {$disk_limit_bytes*$unit_coefficient} {$unit}
Disk used: {$disk_used_unit} {$unit} ({$disk_used_percentage} %)
Disk free: {$disk_free_unit} {$unit} ({$disk_free_percentage} %)
{$signature}";

    /// The subject and the three Disk lines of the operator's template.
    fn operator_render(v: NotificationValues) -> (String, Vec<String>) {
        let template = Template::parse(
            OPERATOR_TEMPLATE,
            &[
                "client_name",
                "service_product_name",
                "service_next_due_date",
                "signature",
            ],
        )
        .unwrap();
        let v = v
            .with("client_name", "Alice Example")
            .with("service_product_name", "Cloud 10")
            .with("service_next_due_date", "2027-01-01")
            .with("signature", "-- Example Hosting");
        let text = template.render(&v).unwrap();
        let (subject, body) = split_subject(&text);
        assert!(body.starts_with("Dear Alice Example,\n"), "{body}");
        assert!(
            body.contains("your Cloud 10 (alice) is due on 2027-01-01.\n"),
            "{body}"
        );
        assert!(body.ends_with("\n-- Example Hosting"), "{body}");
        let lines = body
            .lines()
            .filter(|l| l.starts_with("Disk "))
            .map(str::to_string)
            .collect();
        (subject.unwrap().to_string(), lines)
    }

    #[test]
    fn operator_template_ten_gb() {
        let (subject, lines) = operator_render(values(9 * GB + GB / 2, ten_gb()));
        assert_eq!(subject, "95 % - alice");
        assert_eq!(
            lines,
            [
                "Disk limit: 10 GB",
                "Disk used: 9.5 GB (95 %)",
                "Disk free: 0.5 GB (5 %)",
            ]
        );
    }

    #[test]
    fn operator_template_one_and_a_half_tb() {
        let quota: Quota = "1.5 TB".parse().unwrap();
        // 1.375 TB used: 91.6 % (rounded down), 0.125 TB free (rounded half up).
        let (subject, lines) = operator_render(values_in(TB * 11 / 8, quota, Unit::Tb));
        assert_eq!(subject, "91 % - alice");
        assert_eq!(
            lines,
            [
                "Disk limit: 1.5 TB",
                "Disk used: 1.38 TB (91 %)",
                "Disk free: 0.13 TB (8 %)",
            ]
        );
    }

    #[test]
    fn operator_template_unlimited() {
        let (subject, lines) = operator_render(values(3 * GB, Quota::Unlimited));
        assert_eq!(subject, "0 % - alice");
        assert_eq!(
            lines,
            [
                "Disk limit: unlimited GB",
                "Disk used: 3 GB (0 %)",
                "Disk free: unlimited GB (100 %)",
            ]
        );
        let (_, lines) =
            operator_render(values(3 * GB, Quota::Unlimited).with_unlimited_word("unbegrenzt"));
        assert_eq!(lines[0], "Disk limit: unbegrenzt GB");
    }

    #[test]
    fn operator_template_over_the_limit() {
        let (subject, lines) = operator_render(values(12 * GB, ten_gb()));
        assert_eq!(subject, "120 % - alice");
        assert_eq!(
            lines,
            [
                "Disk limit: 10 GB",
                "Disk used: 12 GB (120 %)",
                "Disk free: 0 GB (0 %)",
            ]
        );
    }

    #[test]
    fn used_bytes_times_coefficient_and_quotients_by_unit_bytes() {
        let t = Template::parse(
            "{$disk_used_bytes*$unit_coefficient}|{$disk_used_bytes / $unit_bytes}|{$disk_limit_bytes/$unit_bytes}",
            &[],
        )
        .unwrap();
        let rendered = t.render(&values(GB * 3 / 2, ten_gb())).unwrap();
        assert_eq!(rendered, "1.5|1.5|10");
        // One byte over 9.5 GB is still 9.5 at two decimals.
        let rendered = t.render(&values(9 * GB + GB / 2 + 1, ten_gb())).unwrap();
        assert_eq!(rendered, "9.5|9.5|10");
    }

    #[test]
    fn expression_errors_at_render() {
        let v = values(GB, ten_gb()).with("text", "ten").with("zero", "0");
        let t = Template::parse("{$disk_used_bytes/$zero}", &["zero"]).unwrap();
        assert_eq!(
            t.render(&v),
            Err(TemplateError::DivisionByZero { position: 0 })
        );
        let t = Template::parse("x {$text*$unit_coefficient}", &["text"]).unwrap();
        assert_eq!(
            t.render(&v),
            Err(TemplateError::NotANumber {
                name: "text".into(),
                value: "ten".into(),
                position: 2
            })
        );
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
        assert!(body.contains("alice (Cloud 10) now uses 9.5 GB of its 10 GB (95%)"));
        assert!(body.contains("0.5 GB remain free"));
        assert!(!near.contains("{$"));

        let over = values(12 * GB, ten_gb())
            .with("client_name", "Alice Example")
            .with("service_product_name", "Cloud 10");
        let suspended = default_suspended_for_limit().render(&over).unwrap();
        let (subject, body) = split_subject(&suspended);
        assert_eq!(subject, Some("Your Cloud 10 storage is over its limit"));
        assert!(body.contains("holds 12 GB, which is more than its limit of 10 GB (120% used)"));

        for template in [default_near_limit(), default_suspended_for_limit()] {
            assert!(template.placeholders().contains(&"client_name"));
            assert!(matches!(
                template.render(&values(0, ten_gb())),
                Err(TemplateError::MissingValue { .. })
            ));
        }
    }
}
