//! The in-memory history store.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::{Mutex, MutexGuard};

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::series::{from_millis, to_millis, DayWindow, MonthWindow};
use super::{DailyPoint, HistoryStore, MonthlyPoint, Retention, Sample};
use crate::error::{Error, Result};
use crate::quota::ByteSize;
use crate::threshold::ThresholdState;
use crate::username::Username;

/// A stored sample, keyed by its recording time in milliseconds.
#[derive(Debug, Clone, Copy)]
struct Entry {
    used: ByteSize,
    /// The server's measurement time in milliseconds, or [`NOT_MEASURED`]. A sentinel
    /// rather than an Option keeps an entry at 16 bytes: a year of daily samples for
    /// 100,000 accounts is 36.5 million entries.
    measured_at_ms: i64,
}

/// No server measurement time; never a valid time (chrono's range ends far earlier).
const NOT_MEASURED: i64 = i64::MIN;

#[derive(Default)]
struct Inner {
    samples: HashMap<Username, BTreeMap<i64, Entry>>,
    states: HashMap<Username, ThresholdState>,
}

/// A [`HistoryStore`] in memory: a time-ordered map per account behind a mutex.
///
/// Lost when the process ends; use [`SqliteHistory`](super::SqliteHistory) to keep
/// history across restarts.
#[derive(Default)]
pub struct InMemoryHistory {
    inner: Mutex<Inner>,
}

impl InMemoryHistory {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> Result<MutexGuard<'_, Inner>> {
        self.inner.lock().map_err(|_| Error::Store {
            message: "the in-memory history was poisoned by a panic".into(),
            source: None,
        })
    }
}

impl fmt::Debug for InMemoryHistory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The contents can be millions of samples; show their size only.
        let mut d = f.debug_struct("InMemoryHistory");
        match self.inner.lock() {
            Ok(inner) => d
                .field("accounts", &inner.samples.len())
                .field("states", &inner.states.len()),
            Err(_) => d.field("poisoned", &true),
        };
        d.finish()
    }
}

/// `(time ms, usage)` pairs of an account's samples in `start_ms..end_ms`.
fn usage_in(
    series: Option<&BTreeMap<i64, Entry>>,
    start_ms: i64,
    end_ms: i64,
) -> impl Iterator<Item = (i64, ByteSize)> + '_ {
    series
        .into_iter()
        .flat_map(move |s| s.range(start_ms..end_ms))
        .map(|(at, e)| (*at, e.used))
}

#[async_trait]
impl HistoryStore for InMemoryHistory {
    async fn record(&self, samples: &[Sample]) -> Result<()> {
        let mut inner = self.lock()?;
        for sample in samples {
            let entry = Entry {
                used: sample.used,
                measured_at_ms: sample.measured_at.map_or(NOT_MEASURED, to_millis),
            };
            // Look up before inserting so the name is cloned only for a new account.
            let series = match inner.samples.get_mut(&sample.account) {
                Some(series) => series,
                None => inner.samples.entry(sample.account.clone()).or_default(),
            };
            series.insert(to_millis(sample.at), entry);
        }
        Ok(())
    }

    async fn samples(
        &self,
        account: &Username,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<Sample>> {
        let (from_ms, to_ms) = (to_millis(from), to_millis(to));
        if from_ms > to_ms {
            return Ok(Vec::new());
        }
        let inner = self.lock()?;
        let Some(series) = inner.samples.get(account) else {
            return Ok(Vec::new());
        };
        series
            .range(from_ms..=to_ms)
            .map(|(at_ms, entry)| {
                Ok(Sample {
                    account: account.clone(),
                    at: from_millis(*at_ms)?,
                    used: entry.used,
                    measured_at: match entry.measured_at_ms {
                        NOT_MEASURED => None,
                        ms => Some(from_millis(ms)?),
                    },
                })
            })
            .collect()
    }

    async fn daily(
        &self,
        account: &Username,
        days: u32,
        now: DateTime<Utc>,
    ) -> Result<Vec<DailyPoint>> {
        let window = DayWindow::new(days, now, chrono_tz::Tz::UTC)?;
        let inner = self.lock()?;
        let series = inner.samples.get(account);
        Ok(window.series(usage_in(series, window.start_ms, window.end_ms)))
    }

    async fn monthly(
        &self,
        account: &Username,
        months: u32,
        now: DateTime<Utc>,
    ) -> Result<Vec<MonthlyPoint>> {
        let window = MonthWindow::new(months, now, chrono_tz::Tz::UTC)?;
        let inner = self.lock()?;
        let series = inner.samples.get(account);
        window.series(usage_in(series, window.start_ms, window.end_ms))
    }

    async fn prune(&self, retention: Retention, now: DateTime<Utc>) -> Result<u64> {
        let cutoff_ms = to_millis(retention.cutoff(now));
        let mut inner = self.lock()?;
        let mut deleted = 0u64;
        inner.samples.retain(|_, series| {
            let kept = series.split_off(&cutoff_ms);
            deleted += series.len() as u64;
            *series = kept;
            !series.is_empty()
        });
        Ok(deleted)
    }

    async fn load_states(&self) -> Result<HashMap<Username, ThresholdState>> {
        Ok(self.lock()?.states.clone())
    }

    async fn save_states(&self, states: &[(Username, ThresholdState)]) -> Result<()> {
        let mut inner = self.lock()?;
        for (account, state) in states {
            match inner.states.get_mut(account) {
                Some(stored) => *stored = *state,
                None => {
                    inner.states.insert(account.clone(), *state);
                }
            }
        }
        Ok(())
    }

    async fn forget(&self, account: &Username) -> Result<()> {
        let mut inner = self.lock()?;
        inner.samples.remove(account);
        inner.states.remove(account);
        Ok(())
    }
}
