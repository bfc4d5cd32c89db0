//! The one bounded-concurrency helper: wherever work fans out (usage reads, creates,
//! policy switches), at most `limit` futures run at once and results come back in input
//! order.
//!
//! ```
//! use provision_core::concurrency::bounded;
//!
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! let doubled = bounded((1..=5).map(|n| async move { n * 2 }), 2).await;
//! assert_eq!(doubled, [2, 4, 6, 8, 10]);
//! # });
//! ```

use std::future::Future;

use futures::stream::{FuturesOrdered, StreamExt};

/// Runs the futures `work` yields, at most `limit` (at least 1) at once, and returns
/// their outputs in the order `work` yielded them. Futures are taken from the iterator
/// only when there is room, so a lazy `map` creates at most `limit` at a time.
pub async fn bounded<I>(work: I, limit: usize) -> Vec<<I::Item as Future>::Output>
where
    I: IntoIterator,
    I::Item: Future,
{
    // A plain loop rather than `stream::iter(..).buffered(..)`: inside async-trait
    // methods a closure there makes the boxed future lose `Send` (higher-ranked
    // lifetimes), and this reads as what it does.
    let limit = limit.max(1);
    let mut waiting = work.into_iter();
    let (lower, _) = waiting.size_hint();
    let mut in_flight = FuturesOrdered::new();
    let mut results = Vec::with_capacity(lower);
    loop {
        while in_flight.len() < limit {
            let Some(next) = waiting.next() else { break };
            in_flight.push_back(next);
        }
        match in_flight.next().await {
            Some(result) => results.push(result),
            None => return results,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    use super::*;

    #[tokio::test]
    async fn never_more_than_the_limit_at_once_and_in_order() {
        let running = AtomicUsize::new(0);
        let peak = AtomicUsize::new(0);
        let out = bounded(
            (0..40u64).map(|i| {
                let (running, peak) = (&running, &peak);
                async move {
                    let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                    peak.fetch_max(now, Ordering::SeqCst);
                    // Later items finish first: the order must still be the input's.
                    tokio::time::sleep(Duration::from_millis(40 - i)).await;
                    running.fetch_sub(1, Ordering::SeqCst);
                    i
                }
            }),
            5,
        )
        .await;
        assert_eq!(out, (0..40).collect::<Vec<_>>());
        assert_eq!(peak.load(Ordering::SeqCst), 5);
    }

    #[tokio::test]
    async fn a_zero_limit_still_makes_progress() {
        assert_eq!(bounded((1..=2).map(|n| async move { n }), 0).await, [1, 2]);
        let none: Vec<std::future::Ready<u8>> = Vec::new();
        assert!(bounded(none, 3).await.is_empty());
    }
}
