//! Usage history: samples per account, retention, and the series client areas chart.
//!
//! A sweep records one [`Sample`] per account; the store keeps them for a
//! [`Retention`] period and answers the daily series (the highest usage of each of the
//! last N days, [`DailyPoint`]) and the monthly averages ([`MonthlyPoint`]) that a
//! client area shows. The store also keeps each account's [`ThresholdState`] between
//! sweeps, so a warning is sent once per crossing even across restarts.
//!
//! Two stores implement [`HistoryStore`]: [`InMemoryHistory`] for tests and short-lived
//! processes, and [`SqliteHistory`], an embedded SQLite file. Both key accounts by their
//! bare name, so they suit one server; the ledger ([`crate::ledger`]) keys history and
//! state by (server, account), writes a sweep in one transaction and is the documented
//! path.
//!
//! Conventions shared by both stores:
//! - Times are kept to the millisecond (sub-millisecond digits are dropped when a
//!   sample is recorded), and days and months are UTC calendar days and months of the
//!   sample's recording time [`Sample::at`].
//! - One sample per account and instant: recording a sample at the same `at` again
//!   replaces the first, so a retried sweep does not count twice.
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use provision_core::history::{DailyPoint, HistoryStore, InMemoryHistory, Sample};
//! use provision_core::quota::ByteSize;
//! use provision_core::username::Username;
//!
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! let store = InMemoryHistory::new();
//! let alice = Username::new("alice").unwrap();
//! let at = |day, hour| Utc.with_ymd_and_hms(2024, 3, day, hour, 0, 0).unwrap();
//! let sample = |day, hour, bytes| Sample {
//!     account: alice.clone(),
//!     at: at(day, hour),
//!     used: ByteSize::new(bytes),
//!     measured_at: None,
//! };
//! store
//!     .record(&[sample(14, 9, 300), sample(14, 21, 200), sample(15, 9, 400)])
//!     .await?;
//!
//! let daily = store.daily(&alice, 3, at(15, 12)).await?;
//! let used: Vec<_> = daily.iter().map(|p| p.used.map(ByteSize::bytes)).collect();
//! assert_eq!(used, [None, Some(300), Some(400)]);
//! # Ok::<_, provision_core::Error>(())
//! # }).unwrap();
//! ```

mod memory;
pub(crate) mod series;
#[cfg(feature = "sqlite")]
mod sqlite;
#[cfg(test)]
mod store_tests;

use std::collections::HashMap;

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, TimeDelta, Utc};

use crate::error::Result;
use crate::quota::ByteSize;
use crate::threshold::ThresholdState;
use crate::username::Username;

pub use memory::InMemoryHistory;
pub use series::{MAX_DAILY_DAYS, MAX_MONTHLY_MONTHS};
#[cfg(feature = "sqlite")]
pub use sqlite::SqliteHistory;

/// One usage measurement of one account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sample {
    /// The account measured.
    pub account: Username,
    /// When we recorded it; retention and the series go by this time.
    pub at: DateTime<Utc>,
    /// The usage.
    pub used: ByteSize,
    /// When the server measured it, if it says (servers often report cached usage).
    pub measured_at: Option<DateTime<Utc>>,
}

/// How long samples are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Retention {
    /// The number of days a sample is kept after it was recorded.
    pub days: u32,
}

impl Default for Retention {
    /// One year: 365 days.
    fn default() -> Self {
        Retention { days: 365 }
    }
}

impl Retention {
    /// The oldest time still kept at `now`: `days` days before it. Samples recorded
    /// before the cutoff are pruned, samples at or after it are kept. A retention of 0
    /// days keeps only samples recorded at or after `now`.
    pub fn cutoff(self, now: DateTime<Utc>) -> DateTime<Utc> {
        TimeDelta::try_days(i64::from(self.days))
            .and_then(|period| now.checked_sub_signed(period))
            .unwrap_or(DateTime::<Utc>::MIN_UTC)
    }
}

/// One day of a daily series.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DailyPoint {
    /// The UTC calendar day.
    pub day: NaiveDate,
    /// The day's highest sample, or None when nothing was recorded that day.
    pub used: Option<ByteSize>,
}

/// One month of a monthly series.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MonthlyPoint {
    /// The year.
    pub year: i32,
    /// The month, 1 to 12.
    pub month: u32,
    /// The average of the month's samples, rounded down to a whole byte.
    pub average: ByteSize,
    /// How many samples the average is over (never 0: months without samples are
    /// left out of a series).
    pub samples: u64,
}

/// Where usage samples and threshold states are kept.
///
/// Object-safe: stores are shared as `Arc<dyn HistoryStore>`.
#[async_trait]
pub trait HistoryStore: Send + Sync {
    /// Records samples; a sample at the same account and time as a stored one
    /// replaces it. All or nothing: on error, none of the samples is recorded.
    async fn record(&self, samples: &[Sample]) -> Result<()>;

    /// The account's samples recorded from `from` to `to`, both included, oldest first.
    async fn samples(
        &self,
        account: &Username,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<Sample>>;

    /// The last `days` UTC days up to and including the day of `now`, oldest first, one
    /// point per day holding that day's highest sample (None for a day without one).
    /// At most [`MAX_DAILY_DAYS`] days.
    async fn daily(
        &self,
        account: &Username,
        days: u32,
        now: DateTime<Utc>,
    ) -> Result<Vec<DailyPoint>>;

    /// The last `months` calendar months up to and including the month of `now`,
    /// oldest first, each with the average of its samples. Months without samples are
    /// left out (an average of nothing is not zero usage). At most
    /// [`MAX_MONTHLY_MONTHS`] months.
    async fn monthly(
        &self,
        account: &Username,
        months: u32,
        now: DateTime<Utc>,
    ) -> Result<Vec<MonthlyPoint>>;

    /// Deletes every sample recorded before `retention.cutoff(now)`, of every account,
    /// and returns how many were deleted. Samples inside the period are never touched.
    async fn prune(&self, retention: Retention, now: DateTime<Utc>) -> Result<u64>;

    /// Every stored threshold state.
    async fn load_states(&self) -> Result<HashMap<Username, ThresholdState>>;

    /// Stores threshold states, replacing the stored state of each account given;
    /// other accounts' states are kept.
    async fn save_states(&self, states: &[(Username, ThresholdState)]) -> Result<()>;

    /// Drops an account's samples and threshold state (after the account was
    /// terminated). Forgetting an unknown account succeeds.
    async fn forget(&self, account: &Username) -> Result<()>;
}
