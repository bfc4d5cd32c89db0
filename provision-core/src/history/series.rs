//! The arithmetic both stores share: millisecond keys, series windows, aggregation.

use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveTime, Utc};

use super::{DailyPoint, MonthlyPoint};
use crate::error::{Error, Result};
use crate::quota::ByteSize;

/// The longest daily series a store computes (100 years); bounds the memory a call uses.
pub const MAX_DAILY_DAYS: u32 = 36_600;

/// The longest monthly series a store computes (100 years).
pub const MAX_MONTHLY_MONTHS: u32 = 1_200;

const DAY_MS: i64 = 86_400_000;

/// A time as whole milliseconds since the Unix epoch (rounded down), the stores' key.
pub(crate) fn to_millis(time: DateTime<Utc>) -> i64 {
    time.timestamp_millis()
}

/// The time a stored key stands for.
pub(crate) fn from_millis(millis: i64) -> Result<DateTime<Utc>> {
    DateTime::from_timestamp_millis(millis).ok_or_else(|| Error::Store {
        message: format!("stored time {millis} ms is out of range"),
        source: None,
    })
}

fn midnight_millis(day: NaiveDate) -> i64 {
    to_millis(day.and_time(NaiveTime::MIN).and_utc())
}

fn out_of_range(field: &'static str) -> Error {
    Error::invalid(field, "the series would reach past the supported dates")
}

/// The days of a daily series: `days` whole UTC days ending with the day of `now`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DayWindow {
    first_day: NaiveDate,
    days: u32,
    /// First millisecond of the first day.
    pub(crate) start_ms: i64,
    /// First millisecond after the last day.
    pub(crate) end_ms: i64,
}

impl DayWindow {
    pub(crate) fn new(days: u32, now: DateTime<Utc>) -> Result<Self> {
        if days > MAX_DAILY_DAYS {
            return Err(Error::invalid(
                "days",
                format!("{days} is more than {MAX_DAILY_DAYS}"),
            ));
        }
        let end_day = now
            .date_naive()
            .succ_opt()
            .ok_or_else(|| out_of_range("now"))?;
        let first_day = end_day
            .checked_sub_days(Days::new(u64::from(days)))
            .ok_or_else(|| out_of_range("days"))?;
        Ok(DayWindow {
            first_day,
            days,
            start_ms: midnight_millis(first_day),
            end_ms: midnight_millis(end_day),
        })
    }

    /// One point per day holding the day's highest usage, from `(time ms, usage)`
    /// pairs; pairs outside the window are ignored.
    pub(crate) fn series(
        &self,
        samples: impl IntoIterator<Item = (i64, ByteSize)>,
    ) -> Vec<DailyPoint> {
        let mut highest: Vec<Option<ByteSize>> = vec![None; self.days as usize];
        for (at_ms, used) in samples {
            if !(self.start_ms..self.end_ms).contains(&at_ms) {
                continue;
            }
            // UTC days are exactly 86,400 s long (Unix time has no leap seconds).
            let index = ((at_ms - self.start_ms) / DAY_MS) as usize;
            if let Some(slot) = highest.get_mut(index) {
                *slot = Some(slot.map_or(used, |h| h.max(used)));
            }
        }
        highest
            .into_iter()
            .zip(self.first_day.iter_days())
            .map(|(used, day)| DailyPoint { day, used })
            .collect()
    }
}

/// The months of a monthly series: `months` calendar months ending with the month of
/// `now`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct MonthWindow {
    /// `year * 12 + month0` of the first month.
    first_month: i64,
    months: u32,
    /// First millisecond of the first month.
    pub(crate) start_ms: i64,
    /// First millisecond after the last month.
    pub(crate) end_ms: i64,
}

fn month_number(year: i32, month0: u32) -> i64 {
    i64::from(year) * 12 + i64::from(month0)
}

fn first_day_of(month_number: i64) -> Option<NaiveDate> {
    let year = i32::try_from(month_number.div_euclid(12)).ok()?;
    let month = u32::try_from(month_number.rem_euclid(12)).ok()? + 1;
    NaiveDate::from_ymd_opt(year, month, 1)
}

impl MonthWindow {
    pub(crate) fn new(months: u32, now: DateTime<Utc>) -> Result<Self> {
        if months > MAX_MONTHLY_MONTHS {
            return Err(Error::invalid(
                "months",
                format!("{months} is more than {MAX_MONTHLY_MONTHS}"),
            ));
        }
        let end_month = month_number(now.year(), now.month0()) + 1;
        let first_month = end_month - i64::from(months);
        let start = first_day_of(first_month).ok_or_else(|| out_of_range("months"))?;
        let end = first_day_of(end_month).ok_or_else(|| out_of_range("now"))?;
        Ok(MonthWindow {
            first_month,
            months,
            start_ms: midnight_millis(start),
            end_ms: midnight_millis(end),
        })
    }

    /// The average of each month that has samples, oldest first, from `(time ms,
    /// usage)` pairs; pairs outside the window are ignored.
    pub(crate) fn series(
        &self,
        samples: impl IntoIterator<Item = (i64, ByteSize)>,
    ) -> Result<Vec<MonthlyPoint>> {
        // (sum, count) per month; a u128 sum cannot overflow for any u64 count of u64s.
        let mut totals: Vec<(u128, u64)> = vec![(0, 0); self.months as usize];
        for (at_ms, used) in samples {
            if !(self.start_ms..self.end_ms).contains(&at_ms) {
                continue;
            }
            let at = from_millis(at_ms)?;
            let index = month_number(at.year(), at.month0()) - self.first_month;
            if let Some((sum, count)) = usize::try_from(index).ok().and_then(|i| totals.get_mut(i))
            {
                *sum += u128::from(used.bytes());
                *count += 1;
            }
        }
        Ok(totals
            .into_iter()
            .zip(self.first_month..)
            .filter(|(total, _)| total.1 > 0)
            // Neither step can fail: an average of u64 values fits a u64, and every
            // month of the window lies between its two ends, both checked in `new`.
            .filter_map(|((sum, count), month)| {
                let average = u64::try_from(sum / u128::from(count)).ok()?;
                let first = first_day_of(month)?;
                Some(MonthlyPoint {
                    year: first.year(),
                    month: first.month(),
                    average: ByteSize::new(average),
                    samples: count,
                })
            })
            .collect())
    }
}
