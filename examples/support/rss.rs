//! The process's resident set, read from `/proc/self/status` (Linux), for the examples
//! that measure memory (every crate forbids `unsafe`, so no counting allocator).

use std::error::Error;

type BoxError = Box<dyn Error + Send + Sync>;

/// A `/proc/self/status` field in KiB, e.g. `VmHWM`.
pub fn status_kib(field: &str) -> Result<u64, BoxError> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    let line = status
        .lines()
        .find(|l| l.starts_with(field) && l[field.len()..].starts_with(':'))
        .ok_or_else(|| format!("no {field} in /proc/self/status"))?;
    let kib = line[field.len() + 1..]
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()?;
    Ok(kib)
}

/// KiB in MiB.
pub fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

/// Resets the peak (`VmHWM`) to the current resident set.
pub fn reset_peak() -> Result<(), BoxError> {
    std::fs::write("/proc/self/clear_refs", "5")
        .map_err(|e| format!("cannot reset the peak RSS (/proc/self/clear_refs): {e}").into())
}
