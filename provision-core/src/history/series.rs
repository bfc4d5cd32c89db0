//! The arithmetic both stores share: millisecond keys, series windows, aggregation.

use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

use super::{DailyPoint, MonthlyPoint};
use crate::error::{Error, Result};
use crate::quota::ByteSize;

/// The longest daily series a store computes (100 years); bounds the memory a call uses.
pub const MAX_DAILY_DAYS: u32 = 36_600;

/// The longest monthly series a store computes (100 years).
pub const MAX_MONTHLY_MONTHS: u32 = 1_200;

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

/// The first instant of `day` in `zone`: its midnight, or where a change of clocks
/// skips midnight, the first local time after the gap.
fn day_start_millis(zone: Tz, day: NaiveDate) -> Result<i64> {
    (0..24 * 4)
        .filter_map(|quarter| NaiveTime::from_hms_opt(quarter / 4, (quarter % 4) * 15, 0))
        .find_map(|time| zone.from_local_datetime(&day.and_time(time)).earliest())
        .map(|start| start.timestamp_millis())
        .ok_or_else(|| out_of_range("day"))
}

/// The calendar day in `zone` of a stored time.
fn local_day(zone: Tz, at_ms: i64) -> Result<NaiveDate> {
    Ok(from_millis(at_ms)?.with_timezone(&zone).date_naive())
}

fn out_of_range(field: &'static str) -> Error {
    Error::invalid(field, "the series would reach past the supported dates")
}

/// The days of a daily series: `days` whole calendar days of `zone` ending with the
/// day of `now`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DayWindow {
    zone: Tz,
    first_day: NaiveDate,
    days: u32,
    /// First millisecond of the first day.
    pub(crate) start_ms: i64,
    /// First millisecond after the last day.
    pub(crate) end_ms: i64,
}

impl DayWindow {
    pub(crate) fn new(days: u32, now: DateTime<Utc>, zone: Tz) -> Result<Self> {
        if days > MAX_DAILY_DAYS {
            return Err(Error::invalid(
                "days",
                format!("{days} is more than {MAX_DAILY_DAYS}"),
            ));
        }
        let end_day = now
            .with_timezone(&zone)
            .date_naive()
            .succ_opt()
            .ok_or_else(|| out_of_range("now"))?;
        let first_day = end_day
            .checked_sub_days(Days::new(u64::from(days)))
            .ok_or_else(|| out_of_range("days"))?;
        Ok(DayWindow {
            zone,
            first_day,
            days,
            start_ms: day_start_millis(zone, first_day)?,
            end_ms: day_start_millis(zone, end_day)?,
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
            // Local days are 23 to 25 hours long: count calendar days, not hours.
            let Ok(day) = local_day(self.zone, at_ms) else {
                continue;
            };
            let index = day.signed_duration_since(self.first_day).num_days();
            if let Some(slot) = usize::try_from(index).ok().and_then(|i| highest.get_mut(i)) {
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

/// The months of a monthly series: `months` calendar months of `zone` ending with the
/// month of `now`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct MonthWindow {
    zone: Tz,
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
    pub(crate) fn new(months: u32, now: DateTime<Utc>, zone: Tz) -> Result<Self> {
        if months > MAX_MONTHLY_MONTHS {
            return Err(Error::invalid(
                "months",
                format!("{months} is more than {MAX_MONTHLY_MONTHS}"),
            ));
        }
        let local = now.with_timezone(&zone);
        let end_month = month_number(local.year(), local.month0()) + 1;
        let first_month = end_month - i64::from(months);
        let start = first_day_of(first_month).ok_or_else(|| out_of_range("months"))?;
        let end = first_day_of(end_month).ok_or_else(|| out_of_range("now"))?;
        Ok(MonthWindow {
            zone,
            first_month,
            months,
            start_ms: day_start_millis(zone, start)?,
            end_ms: day_start_millis(zone, end)?,
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
            let day = local_day(self.zone, at_ms)?;
            let index = month_number(day.year(), day.month0()) - self.first_month;
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
