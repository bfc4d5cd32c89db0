//! The quota and byte-size parsers: a parsed value displays and re-parses to the same
//! value, and the percentages of a limited quota stay within 0..=100 below the limit.
#![no_main]
#![forbid(unsafe_code)]

use libfuzzer_sys::fuzz_target;
use provision_rules::{ByteSize, Quota, Unit};

fuzz_target!(|data: &[u8]| {
    let Ok(source) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(size) = source.parse::<ByteSize>() {
        let shown = size.to_string();
        let again: ByteSize = shown
            .parse()
            .unwrap_or_else(|e| panic!("{source:?} displays as {shown:?}, which fails: {e}"));
        assert_eq!(again, size, "{source:?} -> {shown:?}");
        for unit in Unit::ALL {
            for decimals in 0..=3 {
                let text = size.in_unit(unit, decimals);
                assert!(!text.is_empty());
            }
        }
    }
    if let Ok(quota) = source.parse::<Quota>() {
        let shown = quota.to_string();
        let again: Quota = shown
            .parse()
            .unwrap_or_else(|e| panic!("{source:?} displays as {shown:?}, which fails: {e}"));
        assert_eq!(again, quota, "{source:?} -> {shown:?}");
        if let Some(limit) = quota.limit() {
            assert!(limit.bytes() > 0, "a limited quota has a limit");
            let half = ByteSize::new(limit.bytes() / 2);
            let used = quota
                .percent_used(half)
                .expect("a limited quota has a percentage");
            assert!(used <= 100, "{source:?}: {used}%");
            assert!(!quota.is_exceeded(half));
            assert_eq!(quota.free(limit), Some(ByteSize::new(0)));
        } else {
            assert!(quota.is_unlimited());
        }
    }
});
