//! The usage threshold state machine: when to warn a customer and when to restrict them.
//!
//! [`evaluate`] is a pure function of the previous state, the latest usage, the quota
//! and the "notify at" percentage. It returns the new state and the actions to carry
//! out. Every action is emitted once per crossing, so a sweep that runs every hour
//! warns a customer once, not every hour.
//!
//! ```text
//!               NotifyNearLimit               LimitExceeded
//!  ┌────────┐ ─────────────────▶ ┌───────────┐ ─────────────────▶ ┌──────────┐
//!  │ Normal │                    │ NearLimit │                    │ Exceeded │
//!  └────────┘ ◀──── (silent) ─── └───────────┘ ◀─ BackUnderLimit ─ └──────────┘
//!    │    ▲                                                          │    ▲
//!    │    └─────────────────────── BackUnderLimit ───────────────────┘    │
//!    └──────────────────────────── LimitExceeded ─────────────────────────┘
//! ```
//!
//! | previous \ usage | below notify-at %     | near (reaches %, ≤ limit)   | above the limit            |
//! |-------------------|-----------------------|-----------------------------|----------------------------|
//! | `Normal`          | `Normal`              | `NearLimit`, `NotifyNearLimit` | `Exceeded`, `LimitExceeded` |
//! | `NearLimit`       | `Normal`              | `NearLimit`                 | `Exceeded`, `LimitExceeded` |
//! | `Exceeded`        | `Normal`, `BackUnderLimit` | `NearLimit`, `BackUnderLimit` | `Exceeded`             |
//!
//! - "Exceeded" means used > limit ([`Quota::is_exceeded`]); "near" means the usage
//!   reaches the notify-at percentage exactly ([`Quota::reaches_percent`]) without
//!   exceeding the limit. A notify-at of `None` or `0` disables near-limit warnings.
//! - Leaving `Exceeded` always emits `BackUnderLimit` (the restriction must be lifted),
//!   and never a second near-limit warning even when the usage is still near.
//! - Unknown usage (`None`) keeps the previous state and emits nothing, except under an
//!   unlimited quota: an unlimited quota is `Normal` whatever the usage, so an account
//!   that was `Exceeded` before a package change is released at once.
//!
//! ```
//! use provision_core::quota::{ByteSize, Quota, Unit};
//! use provision_core::threshold::{evaluate, ThresholdAction, ThresholdState};
//!
//! let quota = Quota::from_config(10, Unit::Gb).unwrap();
//! let used = Some(ByteSize::new(9 << 30)); // 90 %
//!
//! let first = evaluate(ThresholdState::Normal, used, quota, Some(90));
//! assert_eq!(first.state, ThresholdState::NearLimit);
//! assert_eq!(first.actions(), &[ThresholdAction::NotifyNearLimit]);
//!
//! // The next sweep sees the same usage: no second warning.
//! let second = evaluate(first.state, used, quota, Some(90));
//! assert_eq!(second.state, ThresholdState::NearLimit);
//! assert!(second.actions().is_empty());
//! ```

use crate::quota::{ByteSize, Quota};

/// Where an account stands against its quota, as remembered between sweeps.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
pub enum ThresholdState {
    /// Below the notify-at percentage (or no limit, or no near-limit warnings).
    #[default]
    Normal,
    /// At or above the notify-at percentage, not above the limit; the customer was told.
    NearLimit,
    /// Above the limit; the account is restricted.
    Exceeded,
}

impl ThresholdState {
    /// Every state.
    pub const ALL: [ThresholdState; 3] = [
        ThresholdState::Normal,
        ThresholdState::NearLimit,
        ThresholdState::Exceeded,
    ];

    /// The code stores keep (`normal`, `near_limit`, `exceeded`).
    pub fn code(self) -> &'static str {
        match self {
            ThresholdState::Normal => "normal",
            ThresholdState::NearLimit => "near_limit",
            ThresholdState::Exceeded => "exceeded",
        }
    }

    /// The state of a stored code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// What the caller must do after an evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ThresholdAction {
    /// Warn the customer that the account is near its limit.
    NotifyNearLimit,
    /// The account passed its limit: restrict it and tell the customer.
    LimitExceeded,
    /// The account is no longer over its limit: lift the restriction.
    BackUnderLimit,
}

impl ThresholdAction {
    /// Every action.
    pub const ALL: [ThresholdAction; 3] = [
        ThresholdAction::NotifyNearLimit,
        ThresholdAction::LimitExceeded,
        ThresholdAction::BackUnderLimit,
    ];

    /// The code stores keep (`notify_near_limit`, `limit_exceeded`, `back_under_limit`).
    pub fn code(self) -> &'static str {
        match self {
            ThresholdAction::NotifyNearLimit => "notify_near_limit",
            ThresholdAction::LimitExceeded => "limit_exceeded",
            ThresholdAction::BackUnderLimit => "back_under_limit",
        }
    }

    /// The action of a stored code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.code() == code)
    }
}

/// The outcome of [`evaluate`]: the state to remember and the actions to carry out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Evaluation {
    /// The state to store for the next sweep.
    pub state: ThresholdState,
    // At most one action per transition, so an Option keeps evaluation allocation-free.
    action: Option<ThresholdAction>,
}

impl Evaluation {
    /// The actions to carry out, in order (empty when nothing crossed a threshold).
    pub fn actions(&self) -> &[ThresholdAction] {
        self.action.as_slice()
    }

    /// The single action of this evaluation, if any.
    pub fn action(&self) -> Option<ThresholdAction> {
        self.action
    }
}

/// Decides the new threshold state and the actions due, given the state remembered
/// from the last sweep. See the [module documentation](self) for the state diagram.
///
/// `used` is `None` when the usage could not be read; `notify_at_percent` of `None`
/// or `0` disables near-limit warnings.
pub fn evaluate(
    previous: ThresholdState,
    used: Option<ByteSize>,
    quota: Quota,
    notify_at_percent: Option<u32>,
) -> Evaluation {
    let state = if quota.is_unlimited() {
        ThresholdState::Normal
    } else {
        match used {
            Some(used) => classify(used, quota, notify_at_percent),
            None => previous,
        }
    };
    Evaluation {
        state,
        action: transition_action(previous, state),
    }
}

/// The state the usage alone puts the account in.
fn classify(used: ByteSize, quota: Quota, notify_at_percent: Option<u32>) -> ThresholdState {
    if quota.is_exceeded(used) {
        ThresholdState::Exceeded
    } else if notify_at_percent.is_some_and(|p| p > 0 && quota.reaches_percent(used, p)) {
        ThresholdState::NearLimit
    } else {
        ThresholdState::Normal
    }
}

/// The action a move from `previous` to `next` calls for.
fn transition_action(previous: ThresholdState, next: ThresholdState) -> Option<ThresholdAction> {
    use ThresholdState::{Exceeded, NearLimit, Normal};
    match (previous, next) {
        (Normal, NearLimit) => Some(ThresholdAction::NotifyNearLimit),
        (Normal | NearLimit, Exceeded) => Some(ThresholdAction::LimitExceeded),
        (Exceeded, Normal | NearLimit) => Some(ThresholdAction::BackUnderLimit),
        (Normal, Normal) | (NearLimit, NearLimit | Normal) | (Exceeded, Exceeded) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use ThresholdAction::*;
    use ThresholdState::*;

    const GB: u64 = 1 << 30;

    fn ten_gb() -> Quota {
        Quota::limited(ByteSize::new(10 * GB)).unwrap()
    }

    fn run(previous: ThresholdState, used: u64, notify_at: Option<u32>) -> Evaluation {
        evaluate(previous, Some(ByteSize::new(used)), ten_gb(), notify_at)
    }

    #[test]
    fn near_limit_is_notified_once_per_crossing() {
        let e = run(Normal, 9 * GB, Some(90));
        assert_eq!((e.state, e.actions()), (NearLimit, &[NotifyNearLimit][..]));
        let e = run(NearLimit, 9 * GB + 1, Some(90));
        assert_eq!((e.state, e.actions()), (NearLimit, &[][..]));
        // Dropping back below the threshold is silent; the next rise warns again.
        let e = run(NearLimit, 9 * GB - 1, Some(90));
        assert_eq!((e.state, e.actions()), (Normal, &[][..]));
        let e = run(Normal, 9 * GB, Some(90));
        assert_eq!(e.actions(), &[NotifyNearLimit]);
    }

    #[test]
    fn near_limit_is_decided_exactly_at_the_percentage() {
        assert_eq!(run(Normal, 9 * GB - 1, Some(90)).state, Normal);
        assert_eq!(run(Normal, 9 * GB, Some(90)).state, NearLimit);
    }

    #[test]
    fn exceeding_means_strictly_above_the_limit() {
        let at_limit = run(NearLimit, 10 * GB, Some(90));
        assert_eq!((at_limit.state, at_limit.actions()), (NearLimit, &[][..]));
        let above = run(NearLimit, 10 * GB + 1, Some(90));
        assert_eq!(
            (above.state, above.actions()),
            (Exceeded, &[LimitExceeded][..])
        );
        let again = run(Exceeded, 11 * GB, Some(90));
        assert_eq!((again.state, again.actions()), (Exceeded, &[][..]));
    }

    #[test]
    fn a_jump_from_normal_to_exceeded_emits_only_limit_exceeded() {
        let e = run(Normal, 20 * GB, Some(90));
        assert_eq!((e.state, e.actions()), (Exceeded, &[LimitExceeded][..]));
    }

    #[test]
    fn leaving_exceeded_lifts_the_restriction_without_a_second_warning() {
        let still_near = run(Exceeded, 9 * GB + GB / 2, Some(90));
        assert_eq!(
            (still_near.state, still_near.actions()),
            (NearLimit, &[BackUnderLimit][..])
        );
        let well_under = run(Exceeded, GB, Some(90));
        assert_eq!(
            (well_under.state, well_under.actions()),
            (Normal, &[BackUnderLimit][..])
        );
    }

    #[test]
    fn unknown_usage_keeps_the_state_silently() {
        for previous in [Normal, NearLimit, Exceeded] {
            let e = evaluate(previous, None, ten_gb(), Some(90));
            assert_eq!((e.state, e.actions()), (previous, &[][..]));
        }
    }

    #[test]
    fn unlimited_quota_never_warns_nor_restricts() {
        let huge = Some(ByteSize::new(u64::MAX));
        let e = evaluate(Normal, huge, Quota::Unlimited, Some(1));
        assert_eq!((e.state, e.actions()), (Normal, &[][..]));
        let e = evaluate(NearLimit, huge, Quota::Unlimited, Some(1));
        assert_eq!((e.state, e.actions()), (Normal, &[][..]));
    }

    #[test]
    fn a_package_change_to_unlimited_lifts_the_restriction() {
        for used in [Some(ByteSize::new(u64::MAX)), None] {
            let e = evaluate(Exceeded, used, Quota::Unlimited, Some(90));
            assert_eq!((e.state, e.actions()), (Normal, &[BackUnderLimit][..]));
        }
    }

    #[test]
    fn notify_at_none_or_zero_disables_warnings_but_not_the_limit() {
        for notify_at in [None, Some(0)] {
            assert_eq!(run(Normal, 10 * GB, notify_at).state, Normal);
            assert!(run(Normal, 10 * GB, notify_at).actions().is_empty());
            assert_eq!(
                run(Normal, 10 * GB + 1, notify_at).actions(),
                &[LimitExceeded]
            );
        }
    }

    /// One sweep's inputs: the usage (None when unreadable) and whether the package is
    /// limited to `limit` bytes or unlimited at that moment.
    fn sweep() -> impl Strategy<Value = (Option<u64>, bool)> {
        (
            prop_oneof![1 => Just(None), 8 => (0u64..=250).prop_map(Some)],
            prop::bool::weighted(0.9),
        )
    }

    /// The state the last known usage calls for, computed independently of `evaluate`.
    fn expected_state(
        previous: ThresholdState,
        used_percent_of_limit: Option<u64>,
        limit: u64,
        limited: bool,
        notify_at: Option<u32>,
    ) -> ThresholdState {
        if !limited {
            return Normal;
        }
        let Some(pct) = used_percent_of_limit else {
            return previous;
        };
        let used = limit as u128 * pct as u128 / 100;
        if used > limit as u128 {
            Exceeded
        } else if notify_at.is_some_and(|n| n > 0 && used * 100 >= limit as u128 * n as u128) {
            NearLimit
        } else {
            Normal
        }
    }

    proptest! {
        #[test]
        fn actions_fire_once_per_crossing_and_state_follows_usage(
            limit in 100u64..=(1u64 << 50),
            notify_at in prop_oneof![Just(None), (0u32..=110).prop_map(Some)],
            sweeps in prop::collection::vec(sweep(), 1..60),
        ) {
            let mut state = Normal;
            let mut warned_since_normal = false;
            let mut restricted = false;
            for (pct, limited) in sweeps {
                let quota = if limited {
                    Quota::limited(ByteSize::new(limit)).unwrap()
                } else {
                    Quota::Unlimited
                };
                let used = pct.map(|p| ByteSize::new((limit as u128 * p as u128 / 100) as u64));
                let e = evaluate(state, used, quota, notify_at);
                for action in e.actions() {
                    match action {
                        NotifyNearLimit => {
                            prop_assert!(!warned_since_normal, "warned twice without dropping to Normal");
                            warned_since_normal = true;
                        }
                        LimitExceeded => {
                            prop_assert!(!restricted, "LimitExceeded twice without BackUnderLimit");
                            restricted = true;
                        }
                        BackUnderLimit => {
                            prop_assert!(restricted, "BackUnderLimit without LimitExceeded");
                            restricted = false;
                        }
                    }
                }
                prop_assert_eq!(e.state, expected_state(state, pct, limit, limited, notify_at));
                prop_assert_eq!(restricted, e.state == Exceeded);
                if e.state == state {
                    prop_assert!(e.actions().is_empty(), "an action without a state change");
                }
                if e.state == Normal {
                    warned_since_normal = false;
                }
                state = e.state;
            }
        }
    }
}
