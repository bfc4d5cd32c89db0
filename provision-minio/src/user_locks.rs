//! Per-user serialisation: two policy changes for one user never interleave (a limit
//! switch racing a plan change could otherwise leave the wrong document in force),
//! while different users proceed in parallel.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::{Mutex as AsyncMutex, OwnedMutexGuard};

/// A map of per-user async mutexes; entries nobody holds or waits for are dropped.
#[derive(Debug, Default)]
pub(crate) struct UserLocks {
    map: Mutex<HashMap<String, Arc<AsyncMutex<()>>>>,
}

impl UserLocks {
    /// Waits until no other task holds `user`'s lock, then holds it until the guard
    /// is dropped.
    pub(crate) async fn lock(&self, user: &str) -> OwnedMutexGuard<()> {
        let mutex = {
            let mut map = self.map.lock().unwrap_or_else(PoisonError::into_inner);
            // Only the map holds these: nobody owns or awaits them.
            map.retain(|_, m| Arc::strong_count(m) > 1);
            Arc::clone(map.entry(user.to_owned()).or_default())
        };
        mutex.lock_owned().await
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.map
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn one_user_waits_other_users_do_not() {
        let locks = Arc::new(UserLocks::default());
        let held = locks.lock("alice").await;
        // Another user is not blocked.
        let bob = tokio::time::timeout(Duration::from_millis(100), locks.lock("bob")).await;
        assert!(bob.is_ok());
        drop(bob);
        // The same user is.
        let again = tokio::time::timeout(Duration::from_millis(50), locks.lock("alice")).await;
        assert!(again.is_err());
        drop(held);
        let again = tokio::time::timeout(Duration::from_millis(100), locks.lock("alice")).await;
        assert!(again.is_ok());
        drop(again);
        // Released entries are cleaned up on the next lock.
        let _carol = locks.lock("carol").await;
        assert_eq!(locks.len(), 1);
    }
}
