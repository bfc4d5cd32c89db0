//! Exact non-negative decimals for template expressions: `10737418240` bytes times a
//! coefficient of `0.000000000931322574615478515625` (2⁻³⁰) is exactly `10`.
//!
//! A value is a whole number of units of 10⁻ˢᶜᵃˡᵉ held in a big integer, so products
//! are exact whatever their size; a quotient is exact to [`SHOWN_DECIMALS`] and then
//! rounded. What a template shows is rounded half up to [`SHOWN_DECIMALS`] with the
//! trailing zeros (and a bare decimal point) trimmed: `10`, `1.5`, `9.53`, as the
//! original modules' PHP templates printed such numbers.

use num_bigint::BigUint;

/// The most decimals a rendered expression shows (as the unit values show).
pub const SHOWN_DECIMALS: u32 = 2;

/// The longest value (in characters) read as a number: far beyond any size or
/// coefficient, short enough that no value makes the arithmetic costly.
const LONGEST_NUMBER: usize = 200;

/// A non-negative decimal number, exact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Decimal {
    /// The value times 10^scale.
    units: BigUint,
    scale: u32,
}

impl Decimal {
    /// Reads `123`, `1.5` or `0.000000000931322574615478515625` (ASCII digits with at
    /// most one `.` between digits; no sign, no exponent).
    pub(crate) fn parse(text: &str) -> Option<Decimal> {
        if text.len() > LONGEST_NUMBER {
            return None;
        }
        let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
        let digits_only = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty()
            || !digits_only(whole)
            || !digits_only(fraction)
            || (text.contains('.') && fraction.is_empty())
        {
            return None;
        }
        let digits = format!("{whole}{fraction}");
        let units = BigUint::parse_bytes(digits.as_bytes(), 10)?;
        let scale = u32::try_from(fraction.len()).ok()?;
        Some(Decimal { units, scale })
    }

    /// The exact product.
    pub(crate) fn multiply(&self, other: &Decimal) -> Decimal {
        Decimal {
            units: &self.units * &other.units,
            scale: self.scale + other.scale,
        }
    }

    /// The quotient to [`SHOWN_DECIMALS`], rounded half up; None when `divisor` is zero.
    pub(crate) fn divide(&self, divisor: &Decimal) -> Option<Decimal> {
        if divisor.units == BigUint::ZERO {
            return None;
        }
        // a/10^sa ÷ b/10^sb = a·10^sb / (b·10^sa), with SHOWN_DECIMALS more digits.
        let numerator = &self.units * ten_to(divisor.scale + SHOWN_DECIMALS);
        let denominator = &divisor.units * ten_to(self.scale);
        Some(Decimal {
            units: divide_half_up(&numerator, &denominator),
            scale: SHOWN_DECIMALS,
        })
    }

    /// The value rounded half up to [`SHOWN_DECIMALS`], trailing zeros trimmed.
    pub(crate) fn shown(&self) -> String {
        let rounded = if self.scale > SHOWN_DECIMALS {
            divide_half_up(&self.units, &ten_to(self.scale - SHOWN_DECIMALS))
        } else {
            self.units.clone()
        };
        let scale = self.scale.min(SHOWN_DECIMALS) as usize;
        let digits = rounded.to_str_radix(10);
        let digits = format!("{digits:0>width$}", width = scale + 1);
        let (whole, fraction) = digits.split_at(digits.len() - scale);
        let fraction = fraction.trim_end_matches('0');
        if fraction.is_empty() {
            whole.to_string()
        } else {
            format!("{whole}.{fraction}")
        }
    }
}

fn ten_to(exponent: u32) -> BigUint {
    BigUint::from(10u8).pow(exponent)
}

/// `numerator / denominator` rounded half up (denominator not zero).
fn divide_half_up(numerator: &BigUint, denominator: &BigUint) -> BigUint {
    let quotient = numerator / denominator;
    let remainder = numerator - &quotient * denominator;
    if remainder * 2u8 >= *denominator {
        quotient + 1u8
    } else {
        quotient
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Decimal {
        Decimal::parse(text).unwrap()
    }

    #[test]
    fn products_are_exact_and_shown_trimmed() {
        let gb = "0.000000000931322574615478515625";
        assert_eq!(d("10737418240").multiply(&d(gb)).shown(), "10");
        let tb = "0.0000000000009094947017729282379150390625";
        assert_eq!(d("1649267441664").multiply(&d(tb)).shown(), "1.5");
        // 2^-50 times 1.5 PiB: 51 digits before rounding, beyond any machine integer.
        let pb = "0.00000000000000088817841970012523233890533447265625";
        assert_eq!(d("1688849860263936").multiply(&d(pb)).shown(), "1.5");
        assert_eq!(d("12").multiply(&d("5")).shown(), "60");
        assert_eq!(d("0").multiply(&d(gb)).shown(), "0");
    }

    #[test]
    fn rounding_is_half_up_at_two_decimals() {
        assert_eq!(d("9.535").shown(), "9.54");
        assert_eq!(d("9.5349").shown(), "9.53");
        assert_eq!(d("0.004").shown(), "0");
        assert_eq!(d("0.005").shown(), "0.01");
        assert_eq!(d("9.999").shown(), "10");
        assert_eq!(d("1.50").shown(), "1.5");
    }

    #[test]
    fn quotients_round_half_up() {
        assert_eq!(d("12").divide(&d("5")).unwrap().shown(), "2.4");
        assert_eq!(d("10").divide(&d("3")).unwrap().shown(), "3.33");
        assert_eq!(d("20").divide(&d("3")).unwrap().shown(), "6.67");
        assert_eq!(
            d("10737418240").divide(&d("1073741824")).unwrap().shown(),
            "10"
        );
        assert_eq!(d("1").divide(&d("0.25")).unwrap().shown(), "4");
        assert_eq!(d("1").divide(&d("0.00")), None);
    }

    #[test]
    fn only_plain_decimals_parse() {
        for bad in [
            "",
            ".5",
            "5.",
            "-1",
            "1e3",
            "1.2.3",
            "1,5",
            " 1",
            "unlimited",
        ] {
            assert_eq!(Decimal::parse(bad), None, "{bad:?}");
        }
        assert_eq!(Decimal::parse(&"9".repeat(LONGEST_NUMBER + 1)), None);
    }
}
