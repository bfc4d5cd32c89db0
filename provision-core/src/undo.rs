//! One create-and-undo helper for every multi-step operation.
//!
//! An [`Undoable`] runs an operation's steps in order and remembers how to take each one
//! back. When a step fails, the steps already done are undone in reverse order and the
//! operation ends in exactly one of three ways:
//!
//! - **done**: every step was carried out ([`Undoable::finish`]);
//! - **undone**: a step failed and every earlier step was taken back: the step's error is
//!   returned as it is;
//! - **outcome unknown**: something may be left on the server, and the error says what:
//!   [`Error::RollbackFailed`] when an undo failed, [`Error::OutcomeUnknown`] when a step's
//!   answer was lost and looking it up failed too.
//!
//! A step whose answer was lost ([`Error::is_ambiguous`]: a timeout, a dropped
//! connection, a 5xx) is settled by one lookup ([`Undoable::step_settled`]), never by
//! sending it again; it is never reported done unless the lookup shows it done.
//!
//! ```
//! use std::sync::Mutex;
//! use provision_core::undo::Undoable;
//! use provision_core::Error;
//!
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! let server = Mutex::new(Vec::<&str>::new());
//! let mut op = Undoable::new("create");
//! op.step(
//!     "account cust42",
//!     async { server.lock().unwrap().push("cust42"); Ok(()) },
//!     || async { server.lock().unwrap().retain(|a| *a != "cust42"); Ok(()) },
//! )
//! .await
//! .unwrap();
//! let failed: Result<(), Error> = op
//!     .step("group join", async { Err(Error::invalid("group", "no such group")) }, || async { Ok(()) })
//!     .await;
//! assert!(failed.is_err());
//! assert!(server.lock().unwrap().is_empty(), "the account was taken back");
//! # });
//! ```

use std::future::Future;
use std::pin::Pin;

use crate::error::{Error, Result};

type UndoFuture<'a> = Pin<Box<dyn Future<Output = Result<()>> + Send + 'a>>;
type UndoFn<'a> = Box<dyn FnOnce() -> UndoFuture<'a> + Send + 'a>;

/// The steps of one operation done so far, with their undo.
#[must_use = "finish() an Undoable that succeeded; a failed step undoes by itself"]
pub struct Undoable<'a> {
    operation: &'static str,
    done: Vec<(String, UndoFn<'a>)>,
    failed: bool,
}

impl<'a> Undoable<'a> {
    /// An operation named `operation` ("create", "change plan") with no step done.
    pub fn new(operation: &'static str) -> Self {
        Undoable {
            operation,
            done: Vec::new(),
            failed: false,
        }
    }

    /// What has been done so far, in order.
    pub fn done(&self) -> Vec<&str> {
        self.done.iter().map(|(what, _)| what.as_str()).collect()
    }

    /// Runs `act`. On success `undo` is remembered; on failure every earlier step is
    /// undone and the final error returned (see the module doc). `what` names the step's
    /// effect for error messages ("account cust42", "membership of basic").
    pub async fn step<T, A, U, UF>(&mut self, what: impl Into<String>, act: A, undo: U) -> Result<T>
    where
        A: Future<Output = Result<T>>,
        U: FnOnce() -> UF + Send + 'a,
        UF: Future<Output = Result<()>> + Send + 'a,
    {
        let what = what.into();
        match act.await {
            Ok(value) => {
                self.remember(what, undo);
                Ok(value)
            }
            Err(error) => Err(self.fail(error).await),
        }
    }

    /// As [`Self::step`], but a failure whose outcome is unknown
    /// ([`Error::leaves_outcome_unknown`]: a lost or unreadable answer)
    /// is settled by `settle`, one lookup: `Ok(Some(value))` means the step was carried
    /// out (it is then remembered with its undo and the operation goes on), `Ok(None)`
    /// that it was not (the operation is undone with the step's error), and a failed
    /// lookup ends the operation as [`Error::OutcomeUnknown`] naming `what`.
    pub async fn step_settled<T, A, S, SF, U, UF>(
        &mut self,
        what: impl Into<String>,
        act: A,
        settle: S,
        undo: U,
    ) -> Result<T>
    where
        A: Future<Output = Result<T>>,
        S: FnOnce() -> SF,
        SF: Future<Output = Result<Option<T>>>,
        U: FnOnce() -> UF + Send + 'a,
        UF: Future<Output = Result<()>> + Send + 'a,
    {
        let what = what.into();
        let error = match act.await {
            Ok(value) => {
                self.remember(what, undo);
                return Ok(value);
            }
            Err(error) if error.leaves_outcome_unknown() => error,
            Err(error) => return Err(self.fail(error).await),
        };
        tracing::debug!(operation = self.operation, step = %what, %error, "settling a lost answer");
        match settle().await {
            Ok(Some(value)) => {
                self.remember(what, undo);
                Ok(value)
            }
            Ok(None) => Err(self.fail(error).await),
            Err(_lookup) => {
                let undone = self.fail(error).await;
                let (error, mut may_remain) = match undone {
                    Error::RollbackFailed {
                        error, rollback, ..
                    } => (error, vec![format!("what undoing left ({rollback})")]),
                    other => (Box::new(other), Vec::new()),
                };
                may_remain.insert(0, what);
                Err(Error::OutcomeUnknown {
                    operation: self.operation,
                    error,
                    may_remain,
                })
            }
        }
    }

    /// Remembers an undo for an effect that happened outside [`Self::step`].
    pub fn remember<U, UF>(&mut self, what: impl Into<String>, undo: U)
    where
        U: FnOnce() -> UF + Send + 'a,
        UF: Future<Output = Result<()>> + Send + 'a,
    {
        self.done.push((
            what.into(),
            Box::new(move || Box::pin(undo()) as UndoFuture<'a>),
        ));
    }

    /// Undoes every step done so far, newest first, and returns the final error for
    /// `cause`: `cause` itself when everything was undone, else
    /// [`Error::RollbackFailed`] with the first undo failure (later undos still run).
    pub async fn fail(&mut self, cause: Error) -> Error {
        self.failed = true;
        let mut first_failure: Option<(String, Error)> = None;
        while let Some((what, undo)) = self.done.pop() {
            if let Err(e) = undo().await {
                tracing::warn!(operation = self.operation, step = %what, error = %e, "undo failed");
                first_failure.get_or_insert((what, e));
            }
        }
        match first_failure {
            None => cause,
            Some((_what, rollback)) => Error::RollbackFailed {
                operation: self.operation,
                error: Box::new(cause),
                rollback: Box::new(rollback),
            },
        }
    }

    /// Ends the operation as done: the undos are dropped.
    pub fn finish(mut self) {
        self.done.clear();
    }
}

impl Drop for Undoable<'_> {
    fn drop(&mut self) {
        // Dropped with steps done and neither finished nor failed: the caller left early
        // (a `?` on something that is not a step). Nothing async can run here; say so.
        if !self.failed && !self.done.is_empty() && !std::thread::panicking() {
            tracing::error!(
                operation = self.operation,
                left = ?self.done.iter().map(|(w, _)| w.as_str()).collect::<Vec<_>>(),
                "an operation was abandoned without finish() or fail(): its steps stay done"
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;
    use crate::error::{TransportError, TransportFailure};

    fn timeout() -> Error {
        Error::Transport(TransportError {
            backend: "test",
            failure: TransportFailure::Timeout,
            message: "timed out".into(),
            source: None,
        })
    }

    type Log = Arc<Mutex<Vec<String>>>;

    fn undo_into(
        log: &Log,
        entry: &str,
        result: Result<()>,
    ) -> impl FnOnce() -> UndoFuture<'static> {
        let log = log.clone();
        let entry = entry.to_string();
        move || {
            Box::pin(async move {
                log.lock().unwrap().push(entry);
                result
            })
        }
    }

    #[tokio::test]
    async fn a_failed_step_undoes_the_earlier_ones_newest_first() {
        let log: Log = Log::default();
        let mut op = Undoable::new("create");
        op.step("a", async { Ok(()) }, undo_into(&log, "undo a", Ok(())))
            .await
            .unwrap();
        op.step("b", async { Ok(()) }, undo_into(&log, "undo b", Ok(())))
            .await
            .unwrap();
        let err = op
            .step::<(), _, _, _>(
                "c",
                async { Err(Error::invalid("c", "refused")) },
                undo_into(&log, "undo c", Ok(())),
            )
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Input(_)), "the cause itself: {err:?}");
        assert_eq!(*log.lock().unwrap(), ["undo b", "undo a"]);
    }

    #[tokio::test]
    async fn a_failed_undo_is_reported_and_the_other_undos_still_run() {
        let log: Log = Log::default();
        let mut op = Undoable::new("create");
        op.step("a", async { Ok(()) }, undo_into(&log, "undo a", Ok(())))
            .await
            .unwrap();
        op.step(
            "b",
            async { Ok(()) },
            undo_into(&log, "undo b", Err(Error::invalid("b", "stuck"))),
        )
        .await
        .unwrap();
        let err = op.fail(Error::invalid("c", "refused")).await;
        let Error::RollbackFailed {
            operation,
            error,
            rollback,
        } = err
        else {
            panic!("expected RollbackFailed");
        };
        assert_eq!(operation, "create");
        assert!(error.to_string().contains("refused"));
        assert!(rollback.to_string().contains("stuck"));
        assert_eq!(*log.lock().unwrap(), ["undo b", "undo a"]);
    }

    #[tokio::test]
    async fn a_lost_answer_is_settled_by_one_lookup() {
        // Carried out: the operation goes on, and the step is undone if a later one fails.
        let log: Log = Log::default();
        let lookups = Arc::new(Mutex::new(0));
        let mut op = Undoable::new("create");
        let counted = lookups.clone();
        let value = op
            .step_settled(
                "account x",
                async { Err::<u32, _>(timeout()) },
                || async move {
                    *counted.lock().unwrap() += 1;
                    Ok(Some(7))
                },
                undo_into(&log, "delete x", Ok(())),
            )
            .await
            .unwrap();
        assert_eq!(value, 7);
        assert_eq!(*lookups.lock().unwrap(), 1);
        let _ = op.fail(Error::invalid("later", "refused")).await;
        assert_eq!(*log.lock().unwrap(), ["delete x"]);

        // Not carried out: undone, with the step's own error.
        let mut op = Undoable::new("create");
        let err = op
            .step_settled(
                "account y",
                async { Err::<u32, _>(timeout()) },
                || async { Ok(None) },
                || async { Ok(()) },
            )
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Transport(_)));

        // An answer that could not be read may hide a made account: looked up too.
        let mut op = Undoable::new("create");
        let value = op
            .step_settled(
                "account z",
                async { Err::<u32, _>(Error::protocol("test", "unreadable answer")) },
                || async { Ok(Some(9)) },
                || async { Ok(()) },
            )
            .await
            .unwrap();
        assert_eq!(value, 9);
    }

    #[tokio::test]
    async fn a_lookup_that_fails_too_is_outcome_unknown_never_done() {
        let log: Log = Log::default();
        let mut op = Undoable::new("create");
        op.step(
            "group g",
            async { Ok(()) },
            undo_into(&log, "delete g", Ok(())),
        )
        .await
        .unwrap();
        let err = op
            .step_settled(
                "account z",
                async { Err::<(), _>(timeout()) },
                || async { Err(timeout()) },
                || async { Ok(()) },
            )
            .await
            .unwrap_err();
        let Error::OutcomeUnknown {
            operation,
            error,
            may_remain,
        } = &err
        else {
            panic!("expected OutcomeUnknown, got {err:?}");
        };
        assert_eq!(*operation, "create");
        assert!(matches!(**error, Error::Transport(_)));
        assert_eq!(may_remain, &["account z".to_string()]);
        assert_eq!(
            *log.lock().unwrap(),
            ["delete g"],
            "earlier steps were undone"
        );
        assert!(err.to_string().contains("account z"));
    }

    #[tokio::test]
    async fn a_definite_refusal_is_not_looked_up() {
        let mut op = Undoable::new("create");
        let err = op
            .step_settled(
                "account w",
                async { Err::<(), _>(Error::invalid("name", "taken")) },
                || async { panic!("no lookup for a definite answer") },
                || async { Ok(()) },
            )
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Input(_)));
    }

    #[tokio::test]
    async fn finish_keeps_every_step() {
        let log: Log = Log::default();
        let mut op = Undoable::new("create");
        op.step("a", async { Ok(()) }, undo_into(&log, "undo a", Ok(())))
            .await
            .unwrap();
        assert_eq!(op.done(), ["a"]);
        op.finish();
        assert!(log.lock().unwrap().is_empty());
    }
}
