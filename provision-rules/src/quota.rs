//! Byte sizes, quota units and quotas, with exact integer percentages.
//!
//! Units are binary, as the backends count: 1 MB = 1024² bytes, 1 GB = 1024³ bytes.
//! Parsing also takes the IEC spellings (`MiB`, `GiB`, ...) and plain bytes (`1024`,
//! `1024 B`). Formatting is exact: `ByteSize` prints a value that parses back to the
//! same number of bytes.
//!
//! ```
//! use provision_rules::quota::{ByteSize, Quota, Unit};
//!
//! let q: Quota = "1.5 TB".parse().unwrap();
//! assert_eq!(q.limit(), Some(ByteSize::new(3 * (1 << 39))));
//! assert_eq!(q.to_string(), "1.5 TB");
//! assert_eq!(Quota::from_config(0, Unit::Gb).unwrap(), Quota::Unlimited);
//! assert_eq!(q.percent_used(ByteSize::new(3 * (1 << 38))), Some(50));
//! ```

use std::fmt;
use std::num::NonZeroU64;
use std::str::FromStr;

/// Why a size or quota was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum QuotaError {
    /// The text is not a size.
    #[error("{input:?} is not a size (expected e.g. \"10 GB\", \"1.5 TB\", \"1024\")")]
    Syntax {
        /// The text given.
        input: String,
    },
    /// The unit is not one of B, MB, GB, TB, PB (or MiB..PiB).
    #[error("unknown unit {unit:?} (expected MB, GB, TB or PB)")]
    UnknownUnit {
        /// The unit given.
        unit: String,
    },
    /// The size does not fit in 64 bits of bytes.
    #[error("{input:?} is larger than the largest size (16 EiB - 1 byte)")]
    Overflow {
        /// The text or value given.
        input: String,
    },
    /// A limited quota of zero bytes (zero means unlimited only in a product configuration).
    #[error("a limited quota of 0 bytes is not allowed (use Quota::Unlimited)")]
    ZeroLimit,
}

/// A quota unit. Binary multiples: 1 MB = 1024² bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Unit {
    /// Mebibytes, 1024² bytes.
    Mb,
    /// Gibibytes, 1024³ bytes.
    Gb,
    /// Tebibytes, 1024⁴ bytes.
    Tb,
    /// Pebibytes, 1024⁵ bytes.
    Pb,
}

impl Unit {
    /// All units, smallest first.
    pub const ALL: [Unit; 4] = [Unit::Mb, Unit::Gb, Unit::Tb, Unit::Pb];

    /// The number of bytes in one of this unit.
    pub const fn bytes(self) -> u64 {
        match self {
            Unit::Mb => 1 << 20,
            Unit::Gb => 1 << 30,
            Unit::Tb => 1 << 40,
            Unit::Pb => 1 << 50,
        }
    }

    /// The unit's symbol as the product configuration and templates show it.
    pub const fn symbol(self) -> &'static str {
        match self {
            Unit::Mb => "MB",
            Unit::Gb => "GB",
            Unit::Tb => "TB",
            Unit::Pb => "PB",
        }
    }

    /// Parses a unit symbol (`MB`, `mb`, `MiB`, ...).
    pub fn parse(symbol: &str) -> Result<Unit, QuotaError> {
        match unit_bytes(symbol) {
            Some(b) if b > 1 => Unit::ALL
                .into_iter()
                .find(|u| u.bytes() == b)
                .ok_or_else(|| QuotaError::UnknownUnit {
                    unit: symbol.into(),
                }),
            _ => Err(QuotaError::UnknownUnit {
                unit: symbol.into(),
            }),
        }
    }
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.symbol())
    }
}

impl FromStr for Unit {
    type Err = QuotaError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Unit::parse(s)
    }
}

/// Bytes per unit symbol, or None for an unknown symbol.
fn unit_bytes(symbol: &str) -> Option<u64> {
    let lower = symbol.to_ascii_lowercase();
    Some(match lower.as_str() {
        "" | "b" | "byte" | "bytes" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        "t" | "tb" | "tib" => 1 << 40,
        "p" | "pb" | "pib" => 1 << 50,
        _ => return None,
    })
}

/// A number of bytes.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Default,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(transparent)]
pub struct ByteSize(u64);

impl ByteSize {
    /// Zero bytes.
    pub const ZERO: ByteSize = ByteSize(0);

    /// A size of `bytes` bytes.
    pub const fn new(bytes: u64) -> Self {
        ByteSize(bytes)
    }

    /// `amount` of `unit`, or an overflow error.
    pub fn from_unit(amount: u64, unit: Unit) -> Result<Self, QuotaError> {
        amount
            .checked_mul(unit.bytes())
            .map(ByteSize)
            .ok_or_else(|| QuotaError::Overflow {
                input: format!("{amount} {unit}"),
            })
    }

    /// The number of bytes.
    pub const fn bytes(self) -> u64 {
        self.0
    }

    /// The size in `unit`, rounded down.
    pub const fn whole_units(self, unit: Unit) -> u64 {
        self.0 / unit.bytes()
    }

    /// The size in `unit` as a decimal string with `decimals` digits, rounded half up,
    /// computed in integers (e.g. `"1.50"` for 1.5 GB in GB with 2 decimals).
    ///
    /// Exact for every size and every `decimals`: at [`MAX_DECIMALS`] every size is
    /// shown without rounding, so a larger `decimals` is clamped to it.
    pub fn in_unit(self, unit: Unit, decimals: u32) -> String {
        format_scaled(self.0, unit.bytes(), decimals)
    }

    /// The difference, or zero when `other` is larger.
    pub const fn saturating_sub(self, other: ByteSize) -> ByteSize {
        ByteSize(self.0.saturating_sub(other.0))
    }
}

/// The most decimals [`ByteSize::in_unit`] writes.
///
/// A unit is 2^k bytes with k at most 50, and a number of bytes divided by 2^k has at
/// most k decimals, so 50 decimals show every size in every unit exactly; further
/// digits could only be zeros.
pub const MAX_DECIMALS: u32 = 50;

/// `value / divisor` as a decimal with `decimals` digits (at most [`MAX_DECIMALS`]),
/// rounded half up, exact: long division, one digit at a time, so nothing overflows.
fn format_scaled(value: u64, divisor: u64, decimals: u32) -> String {
    let divisor = u128::from(divisor.max(1));
    let value = u128::from(value);
    let mut whole = value / divisor;
    let mut remainder = value % divisor;
    // Each remainder is below the divisor, so ten times it fits in u128.
    let mut digits: Vec<u8> = (0..decimals.min(MAX_DECIMALS))
        .map(|_| {
            remainder *= 10;
            let digit = remainder / divisor;
            remainder %= divisor;
            // A quotient digit of a remainder below the divisor is 0..=9.
            u8::try_from(digit).map_or(b'9', |d| b'0' + d)
        })
        .collect();
    if remainder * 2 >= divisor {
        round_up(&mut whole, &mut digits);
    }
    let whole = whole.to_string();
    if digits.is_empty() {
        return whole;
    }
    let mut out = String::with_capacity(whole.len() + 1 + digits.len());
    out.push_str(&whole);
    out.push('.');
    out.extend(digits.into_iter().map(char::from));
    out
}

/// Adds one unit in the last place of `whole.digits`, carrying leftwards.
fn round_up(whole: &mut u128, digits: &mut [u8]) {
    for digit in digits.iter_mut().rev() {
        if *digit == b'9' {
            *digit = b'0';
        } else {
            *digit += 1;
            return;
        }
    }
    // A u64 divided by at least 1 plus one always fits in u128.
    *whole += 1;
}

impl fmt::Display for ByteSize {
    /// Exact: the largest unit in which the size has at most two decimals, else bytes.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for unit in Unit::ALL.iter().rev() {
            let per = unit.bytes();
            if self.0 < per {
                continue;
            }
            // Exact with at most two decimals when value*100 is divisible by per.
            if u128::from(self.0) * 100 % u128::from(per) == 0 {
                let hundredths = u128::from(self.0) * 100 / u128::from(per);
                let (int, frac) = (hundredths / 100, hundredths % 100);
                return match frac {
                    0 => write!(f, "{int} {unit}"),
                    f2 if f2 % 10 == 0 => write!(f, "{int}.{} {unit}", f2 / 10),
                    f2 => write!(f, "{int}.{f2:02} {unit}"),
                };
            }
        }
        write!(f, "{} B", self.0)
    }
}

impl FromStr for ByteSize {
    type Err = QuotaError;

    /// Parses `"10 GB"`, `"1.5TB"`, `"512 MiB"`, `"1024"` or `"1024 B"`. A fraction of a
    /// byte is rounded to the nearest byte.
    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let s = input.trim();
        let syntax = || QuotaError::Syntax {
            input: input.to_string(),
        };
        let split = s
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(s.len());
        let (number, unit) = (&s[..split], s[split..].trim());
        if number.is_empty() {
            return Err(syntax());
        }
        let per = unit_bytes(unit).ok_or_else(|| QuotaError::UnknownUnit {
            unit: unit.to_string(),
        })?;
        let (int_part, frac_part) = match number.split_once('.') {
            Some((i, f)) if !i.is_empty() && !f.is_empty() && !f.contains('.') => (i, f),
            Some(_) => return Err(syntax()),
            None => (number, ""),
        };
        let overflow = || QuotaError::Overflow {
            input: input.to_string(),
        };
        let int: u128 = int_part.parse().map_err(|_| overflow())?;
        let per = u128::from(per);
        let mut bytes = int.checked_mul(per).ok_or_else(overflow)?;
        if !frac_part.is_empty() {
            // The decimal fraction, rounded half up to a whole byte. With a unit of at
            // most 2^50 bytes, 23 digits keep `frac * per * 2` within u128; later
            // digits move the size by less than 10^-8 bytes.
            let digits = &frac_part[..frac_part.len().min(MAX_FRACTION_DIGITS)];
            let frac: u128 = digits.parse().map_err(|_| syntax())?;
            let denom = 10u128.pow(digits.len().try_into().map_err(|_| syntax())?);
            bytes += (frac * per * 2 + denom) / (denom * 2);
        }
        u64::try_from(bytes).map(ByteSize).map_err(|_| overflow())
    }
}

/// The fraction digits of a size that the parser reads; see [`ByteSize::from_str`].
const MAX_FRACTION_DIGITS: usize = 23;

/// A storage quota: unlimited, or a limit of at least one byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Quota {
    /// No limit.
    Unlimited,
    /// A limit in bytes, never zero.
    Limited(NonZeroU64),
}

impl Quota {
    /// A quota from a product configuration: `amount` of `unit`, where 0 means unlimited.
    pub fn from_config(amount: u64, unit: Unit) -> Result<Quota, QuotaError> {
        if amount == 0 {
            return Ok(Quota::Unlimited);
        }
        Quota::limited(ByteSize::from_unit(amount, unit)?)
    }

    /// A limited quota; a size of 0 bytes is an error, not "unlimited".
    pub fn limited(size: ByteSize) -> Result<Quota, QuotaError> {
        NonZeroU64::new(size.bytes())
            .map(Quota::Limited)
            .ok_or(QuotaError::ZeroLimit)
    }

    /// The limit, or None when unlimited.
    pub fn limit(self) -> Option<ByteSize> {
        match self {
            Quota::Unlimited => None,
            Quota::Limited(b) => Some(ByteSize(b.get())),
        }
    }

    /// Whether this quota has no limit.
    pub fn is_unlimited(self) -> bool {
        matches!(self, Quota::Unlimited)
    }

    /// Free space under the limit (zero when over it), or None when unlimited.
    pub fn free(self, used: ByteSize) -> Option<ByteSize> {
        self.limit().map(|l| l.saturating_sub(used))
    }

    /// Used share of the limit in whole percent, rounded down; above 100 when over the
    /// limit; None when unlimited. Integer arithmetic, exact for every u64; a share
    /// beyond `u64::MAX` percent (usage more than 1.8·10¹⁷ times the limit) saturates
    /// at `u64::MAX`.
    pub fn percent_used(self, used: ByteSize) -> Option<u64> {
        self.limit().map(|l| floor_percent(used, l))
    }

    /// Free share of the limit in whole percent, rounded down (0 to 100); None when
    /// unlimited.
    pub fn percent_free(self, used: ByteSize) -> Option<u64> {
        self.limit()
            .map(|l| floor_percent(l.saturating_sub(used), l))
    }

    /// Whether `used` is at or above `percent` % of the limit, decided exactly
    /// (`used * 100 >= limit * percent`, no rounding); never for an unlimited quota.
    pub fn reaches_percent(self, used: ByteSize, percent: u32) -> bool {
        self.limit()
            .is_some_and(|l| u128::from(used.0) * 100 >= u128::from(l.0) * u128::from(percent))
    }

    /// Whether `used` is above the limit; never for an unlimited quota.
    pub fn is_exceeded(self, used: ByteSize) -> bool {
        self.limit().is_some_and(|l| used > l)
    }
}

/// `part` as whole percent of `whole`, rounded down, saturating at `u64::MAX`; exact
/// because `u64::MAX * 100` fits in u128.
fn floor_percent(part: ByteSize, whole: ByteSize) -> u64 {
    let percent = u128::from(part.0) * 100 / u128::from(whole.0.max(1));
    u64::try_from(percent).unwrap_or(u64::MAX)
}

impl fmt::Display for Quota {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.limit() {
            None => f.write_str("unlimited"),
            Some(l) => l.fmt(f),
        }
    }
}

impl FromStr for Quota {
    type Err = QuotaError;

    /// `"unlimited"`, `"none"` or a size; a size of 0 (as product configurations write
    /// it) means unlimited.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        if t.eq_ignore_ascii_case("unlimited") || t.eq_ignore_ascii_case("none") {
            return Ok(Quota::Unlimited);
        }
        let size: ByteSize = t.parse()?;
        if size.0 == 0 {
            Ok(Quota::Unlimited)
        } else {
            Quota::limited(size)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_units_binary() {
        assert_eq!("10 GB".parse::<ByteSize>().unwrap().bytes(), 10 << 30);
        assert_eq!("10GiB".parse::<ByteSize>().unwrap().bytes(), 10 << 30);
        assert_eq!("1.5 TB".parse::<ByteSize>().unwrap().bytes(), 3 << 39);
        assert_eq!("512 mb".parse::<ByteSize>().unwrap().bytes(), 512 << 20);
        assert_eq!("2 PiB".parse::<ByteSize>().unwrap().bytes(), 2 << 50);
        assert_eq!("1024".parse::<ByteSize>().unwrap().bytes(), 1024);
        assert_eq!("1024 B".parse::<ByteSize>().unwrap().bytes(), 1024);
    }

    #[test]
    fn rejects_bad_sizes() {
        assert!(matches!(
            "".parse::<ByteSize>(),
            Err(QuotaError::Syntax { .. })
        ));
        assert!(matches!(
            "GB".parse::<ByteSize>(),
            Err(QuotaError::Syntax { .. })
        ));
        assert!(matches!(
            "1..5 GB".parse::<ByteSize>(),
            Err(QuotaError::Syntax { .. })
        ));
        assert!(matches!(
            "-1 GB".parse::<ByteSize>(),
            Err(QuotaError::Syntax { .. })
        ));
        assert!(matches!(
            "10 XB".parse::<ByteSize>(),
            Err(QuotaError::UnknownUnit { .. })
        ));
        assert!(matches!(
            "16384 PB".parse::<ByteSize>(),
            Err(QuotaError::Overflow { .. })
        ));
        assert_eq!(
            "18446744073709551615".parse::<ByteSize>().unwrap().bytes(),
            u64::MAX
        );
        assert!(matches!(
            "18446744073709551616".parse::<ByteSize>(),
            Err(QuotaError::Overflow { .. })
        ));
    }

    #[test]
    fn formats_exactly() {
        assert_eq!(ByteSize::new(10 << 30).to_string(), "10 GB");
        assert_eq!(ByteSize::new(3 << 39).to_string(), "1.5 TB");
        assert_eq!(ByteSize::new((5 << 30) / 4).to_string(), "1.25 GB");
        assert_eq!(ByteSize::new(1000).to_string(), "1000 B");
        assert_eq!(
            ByteSize::new(u64::MAX).to_string(),
            "18446744073709551615 B"
        );
        assert_eq!(ByteSize::new(3 << 30).in_unit(Unit::Gb, 2), "3.00");
        assert_eq!(ByteSize::new(3 << 29).in_unit(Unit::Gb, 1), "1.5");
    }

    #[test]
    fn zero_is_unlimited_only_in_configuration() {
        assert_eq!(Quota::from_config(0, Unit::Tb).unwrap(), Quota::Unlimited);
        assert_eq!("0".parse::<Quota>().unwrap(), Quota::Unlimited);
        assert_eq!(Quota::limited(ByteSize::ZERO), Err(QuotaError::ZeroLimit));
        assert!(matches!(
            Quota::from_config(u64::MAX, Unit::Pb),
            Err(QuotaError::Overflow { .. })
        ));
    }

    #[test]
    fn percentages_are_exact_integers() {
        let q = Quota::from_config(10, Unit::Gb).unwrap();
        assert_eq!(q.percent_used(ByteSize::new(9 << 30)), Some(90));
        assert_eq!(q.percent_used(ByteSize::new((9 << 30) - 1)), Some(89));
        assert!(q.reaches_percent(ByteSize::new(9 << 30), 90));
        assert!(!q.reaches_percent(ByteSize::new((9 << 30) - 1), 90));
        assert_eq!(q.percent_used(ByteSize::new(20 << 30)), Some(200));
        assert_eq!(q.percent_free(ByteSize::new(20 << 30)), Some(0));
        assert_eq!(q.free(ByteSize::new(4 << 30)), Some(ByteSize::new(6 << 30)));
        assert_eq!(Quota::Unlimited.percent_used(ByteSize::new(1)), None);
        assert!(!Quota::Unlimited.reaches_percent(ByteSize::new(u64::MAX), 1));
        let max = Quota::limited(ByteSize::new(u64::MAX)).unwrap();
        assert_eq!(max.percent_used(ByteSize::new(u64::MAX)), Some(100));
    }

    #[test]
    fn in_unit_is_exact_at_many_decimals() {
        // The old `value * 10^decimals * 2` overflowed u128 from about 19 decimals on.
        assert_eq!(
            ByteSize::new(u64::MAX).in_unit(Unit::Mb, 25),
            "17592186044415.9999990463256835937500000"
        );
        // One byte in PB is 2^-50: exactly 50 decimals.
        assert_eq!(
            ByteSize::new(1).in_unit(Unit::Pb, MAX_DECIMALS),
            format!(
                "0.{}",
                "0".repeat(15) + "88817841970012523233890533447265625"
            )
        );
        assert_eq!(
            ByteSize::new(1).in_unit(Unit::Pb, 1000),
            ByteSize::new(1).in_unit(Unit::Pb, MAX_DECIMALS)
        );
        assert_eq!(
            ByteSize::new(u64::MAX).in_unit(Unit::Pb, u32::MAX).len(),
            "16384.".len() + MAX_DECIMALS as usize
        );
    }

    #[test]
    fn in_unit_rounds_half_up_with_carries() {
        assert_eq!(ByteSize::new((1 << 30) - 1).in_unit(Unit::Gb, 2), "1.00");
        assert_eq!(ByteSize::new((1 << 30) - 1).in_unit(Unit::Gb, 0), "1");
        assert_eq!(ByteSize::new(1 << 29).in_unit(Unit::Gb, 0), "1");
        assert_eq!(ByteSize::new((1 << 29) - 1).in_unit(Unit::Gb, 0), "0");
        assert_eq!(ByteSize::new(3 << 28).in_unit(Unit::Gb, 1), "0.8");
        assert_eq!(ByteSize::new(u64::MAX).in_unit(Unit::Pb, 0), "16384");
    }

    #[test]
    fn percentages_never_truncate() {
        // Old code: `(u64::MAX * 100 / 1) as u64` wrapped to 2^64 - 100.
        let one_byte = Quota::limited(ByteSize::new(1)).unwrap();
        assert_eq!(
            one_byte.percent_used(ByteSize::new(u64::MAX)),
            Some(u64::MAX)
        );
        let three = Quota::limited(ByteSize::new(3)).unwrap();
        assert_eq!(three.percent_used(ByteSize::new(u64::MAX)), Some(u64::MAX));
        let two_hundred = Quota::limited(ByteSize::new(200)).unwrap();
        assert_eq!(
            two_hundred.percent_used(ByteSize::new(u64::MAX)),
            Some(u64::MAX / 2)
        );
        let q = Quota::from_config(1, Unit::Mb).unwrap();
        assert_eq!(
            q.percent_used(ByteSize::new(u64::MAX)),
            Some(1_759_218_604_441_599)
        );
        assert_eq!(q.percent_free(ByteSize::new(u64::MAX)), Some(0));
        assert_eq!(one_byte.percent_free(ByteSize::ZERO), Some(100));
        assert!(one_byte.reaches_percent(ByteSize::new(u64::MAX), u32::MAX));
    }

    #[test]
    fn long_fractions_do_not_overflow() {
        // 30 fraction digits times 2^50 overflowed u128 in the old parser.
        assert_eq!(
            "1.999999999999999999999999999999 PB"
                .parse::<ByteSize>()
                .unwrap()
                .bytes(),
            2 << 50
        );
        assert_eq!(
            format!("0.{} PB", "9".repeat(200))
                .parse::<ByteSize>()
                .unwrap()
                .bytes(),
            1 << 50
        );
    }

    /// The decimal as the old formula computed it, where it does not overflow.
    fn reference_in_unit(bytes: u64, per: u64, decimals: u32) -> String {
        let scale = 10u128.pow(decimals);
        let scaled = (u128::from(bytes) * scale * 2 + u128::from(per)) / (u128::from(per) * 2);
        let (int, frac) = (scaled / scale, scaled % scale);
        if decimals == 0 {
            int.to_string()
        } else {
            format!("{int}.{frac:0width$}", width = decimals as usize)
        }
    }

    proptest! {
        #[test]
        fn in_unit_agrees_with_the_u128_formula_where_it_fits(
            bytes in any::<u64>(),
            unit in prop::sample::select(Unit::ALL.to_vec()),
            decimals in 0u32..=18,
        ) {
            prop_assert_eq!(
                ByteSize::new(bytes).in_unit(unit, decimals),
                reference_in_unit(bytes, unit.bytes(), decimals)
            );
        }

        #[test]
        fn in_unit_with_enough_decimals_is_exact(
            bytes in any::<u64>(),
            unit in prop::sample::select(Unit::ALL.to_vec()),
            decimals in 0u32..=200,
        ) {
            let text = ByteSize::new(bytes).in_unit(unit, decimals);
            let shown = decimals.min(MAX_DECIMALS) as usize;
            let fraction = text.split_once('.').map_or("", |(_, f)| f);
            prop_assert_eq!(fraction.len(), shown);
            // 2^k bytes per unit: k decimals hold every size exactly.
            if decimals >= unit.bytes().trailing_zeros() {
                let back: ByteSize = format!("{text} {unit}").parse().unwrap();
                prop_assert_eq!(back, ByteSize::new(bytes));
            }
        }

        #[test]
        fn format_parse_round_trip(bytes in any::<u64>()) {
            let size = ByteSize::new(bytes);
            prop_assert_eq!(size.to_string().parse::<ByteSize>().unwrap(), size);
        }

        #[test]
        fn unit_multiples_round_trip(amount in 1u64..16_384, unit in prop::sample::select(Unit::ALL.to_vec())) {
            let q = Quota::from_config(amount, unit).unwrap();
            prop_assert_eq!(q.to_string().parse::<Quota>().unwrap(), q);
        }

        #[test]
        fn percentage_is_monotonic(limit in 1u64.., a in any::<u64>(), b in any::<u64>()) {
            let q = Quota::limited(ByteSize::new(limit)).unwrap();
            let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
            prop_assert!(q.percent_used(ByteSize::new(lo)) <= q.percent_used(ByteSize::new(hi)));
            prop_assert!(q.percent_free(ByteSize::new(lo)) >= q.percent_free(ByteSize::new(hi)));
        }

        #[test]
        fn reaches_percent_agrees_with_floor(limit in 1u64.., used in any::<u64>(), pct in 0u32..=200) {
            let q = Quota::limited(ByteSize::new(limit)).unwrap();
            let floor = q.percent_used(ByteSize::new(used)).unwrap();
            prop_assert_eq!(q.reaches_percent(ByteSize::new(used), pct), floor >= pct as u64);
        }
    }
}
