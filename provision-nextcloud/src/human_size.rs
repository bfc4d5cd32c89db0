//! Nextcloud's lossy quota storage, computed exactly.
//!
//! Nextcloud does not keep a quota as a byte count: it turns the bytes it is sent into a
//! human string with one decimal (`OC_Helper::humanFileSize`: `1000000000` becomes
//! `953.7 MB`) and parses that string back whenever the quota is read, so most byte
//! values come back different (`1000026931`). The provider therefore only sends values
//! that survive this round trip, and the mock stores quotas the same way the server
//! does. All arithmetic here is in integers; PHP's float rounding (half away from zero,
//! with pre-rounding) gives the same results for every size below 2^53 bytes.

/// The largest byte count Nextcloud's float arithmetic handles exactly (2^53).
pub(crate) const MAX_EXACT_BYTES: u64 = 1 << 53;

const UNIT_NAMES: [&str; 6] = ["B", "KB", "MB", "GB", "TB", "PB"];

/// A quota as Nextcloud writes it down: a number and a binary unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum HumanSize {
    /// Below 1 KiB: `N B`.
    Bytes(u64),
    /// Below 1 MiB: a whole number of KiB, `N KB`.
    Kilo(u64),
    /// One decimal of MiB (power 2) up to PiB (power 5), kept in tenths.
    Tenths {
        /// The value times ten.
        tenths: u64,
        /// The power of 1024 of the unit.
        power: u32,
    },
}

/// `a / b` rounded half away from zero, for non-negative operands.
fn round_div(a: u128, b: u128) -> u128 {
    (2 * a + b) / (2 * b)
}

impl HumanSize {
    /// The human form Nextcloud stores for `bytes` (`humanFileSize`): each step divides
    /// the previous, already rounded, value by 1024.
    pub(crate) fn from_bytes(bytes: u64) -> HumanSize {
        if bytes < 1024 {
            return HumanSize::Bytes(bytes);
        }
        let kilo = round_div(bytes as u128, 1024);
        if kilo < 1024 {
            return HumanSize::Kilo(kilo as u64);
        }
        let mut tenths = round_div(kilo * 10, 1024);
        let mut power = 2;
        while tenths >= 10 * 1024 && power < 5 {
            tenths = round_div(tenths, 1024);
            power += 1;
        }
        // At most u64::MAX / 1024^5 * 10 tenths of a PiB: always fits.
        HumanSize::Tenths {
            tenths: tenths as u64,
            power,
        }
    }

    /// The bytes the server reads back from this form (`computerFileSize`).
    pub(crate) fn to_bytes(self) -> u128 {
        match self {
            HumanSize::Bytes(b) => b as u128,
            HumanSize::Kilo(k) => k as u128 * 1024,
            HumanSize::Tenths { tenths, power } => {
                round_div(tenths as u128 * 1024u128.pow(power), 10)
            }
        }
    }
}

impl std::fmt::Display for HumanSize {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            HumanSize::Bytes(b) => write!(f, "{b} B"),
            HumanSize::Kilo(k) => write!(f, "{k} KB"),
            HumanSize::Tenths { tenths, power } => {
                let unit = UNIT_NAMES[power as usize];
                // PHP prints a float without a trailing ".0".
                match tenths % 10 {
                    0 => write!(f, "{} {unit}", tenths / 10),
                    d => write!(f, "{}.{d} {unit}", tenths / 10),
                }
            }
        }
    }
}

/// The byte count Nextcloud reports after being sent `bytes`, or None when the size is
/// beyond what its float arithmetic stores exactly.
pub(crate) fn stored_bytes(bytes: u64) -> Option<u64> {
    if bytes > MAX_EXACT_BYTES {
        return None;
    }
    u64::try_from(HumanSize::from_bytes(bytes).to_bytes()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn matches_the_values_observed_on_a_real_server() {
        // From the facts sheet (§5.1), observed on Nextcloud 34.0.1.
        assert_eq!(stored_bytes(1_000_000_000), Some(1_000_026_931));
        assert_eq!(stored_bytes(5_000_000), Some(5_033_165));
        assert_eq!(stored_bytes(123_456_789), Some(123_417_395));
        assert_eq!(stored_bytes(10_737_418_240), Some(10_737_418_240));
        assert_eq!(stored_bytes(5_000_000_000), Some(5_046_586_573));
        assert_eq!(stored_bytes(524_288_000), Some(524_288_000));
        assert_eq!(stored_bytes(1024), Some(1024));
        assert_eq!(stored_bytes(500), Some(500));
        assert_eq!(stored_bytes(0), Some(0));
    }

    #[test]
    fn writes_the_human_form_the_server_stores() {
        let cases: [(u64, &str); 8] = [
            (1_073_741_824, "1 GB"),
            (2_147_483_648, "2 GB"),
            (1_610_612_736, "1.5 GB"),
            (524_288_000, "500 MB"),
            (1024, "1 KB"),
            (5_497_558_138_880, "5 TB"),
            (1_000_000_000, "953.7 MB"),
            (5_000_000_000, "4.7 GB"),
        ];
        for (bytes, text) in cases {
            assert_eq!(HumanSize::from_bytes(bytes).to_string(), text, "{bytes}");
        }
        assert_eq!(HumanSize::from_bytes(12).to_string(), "12 B");
        assert_eq!(HumanSize::from_bytes(3 << 50).to_string(), "3 PB");
    }

    #[test]
    fn refuses_sizes_beyond_exact_float_arithmetic() {
        assert_eq!(stored_bytes(MAX_EXACT_BYTES + 1), None);
        assert_eq!(stored_bytes(u64::MAX), None);
        assert!(stored_bytes(MAX_EXACT_BYTES).is_some());
    }

    proptest! {
        /// What the server stores is stored unchanged when sent again: the provider
        /// relies on this to send values that read back exactly.
        #[test]
        fn stored_values_survive_a_second_round_trip(bytes in 0u64..=MAX_EXACT_BYTES) {
            let once = stored_bytes(bytes).unwrap();
            prop_assert_eq!(stored_bytes(once), Some(once));
        }

        #[test]
        fn whole_tenths_of_their_own_unit_survive(tenths in 10u64..10_240, power in 2u32..=4) {
            // 1.0 to 1023.9 MiB, GiB or TiB, e.g. 500 MB, 1.5 GB, 2.3 TB.
            let bytes = (tenths as u128 * 1024u128.pow(power) / 10) as u64;
            if tenths as u128 * 1024u128.pow(power) % 10 == 0 {
                prop_assert_eq!(stored_bytes(bytes), Some(bytes));
            }
        }

        #[test]
        fn whole_units_below_the_next_unit_survive(n in 1u64..1024, power in 2u32..=4) {
            let bytes = n << (10 * power);
            prop_assert_eq!(stored_bytes(bytes), Some(bytes));
        }

        #[test]
        fn the_stored_value_is_close_to_the_value_sent(bytes in 1024u64..=MAX_EXACT_BYTES) {
            let stored = stored_bytes(bytes).unwrap();
            let diff = stored.abs_diff(bytes);
            // One decimal of a unit the value is at least one of: at most half a tenth
            // of it per step, so never more than a sixteenth of the value.
            prop_assert!(diff <= bytes / 16 + 512, "{bytes} -> {stored}");
        }
    }
}
