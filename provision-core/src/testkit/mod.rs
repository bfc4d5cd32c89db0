//! One conformance suite of lifecycle tests that any [`StorageProvider`] can be run
//! through: the in-memory provider, each mock-backed provider and each real server.
//!
//! The suite panics with a message naming the step that failed, so it is called from a
//! test. It creates accounts whose names start with the configured prefix, cleans them
//! up before and after, and touches nothing else.
//!
//! ```
//! use provision_core::memory::InMemoryProvider;
//! use provision_core::testkit::{run_conformance, ConformanceConfig};
//! use provision_core::{GroupName, Plan, Quota};
//!
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! let provider = InMemoryProvider::new();
//! let small = Plan::new("1 GB".parse().unwrap()).with_group(GroupName::new("small").unwrap());
//! let large = Plan::new("2 GB".parse().unwrap()).with_group(GroupName::new("large").unwrap());
//! run_conformance(&provider, &ConformanceConfig::new("conf", small, large)).await;
//! # });
//! ```

pub mod builder;
pub mod crash;
pub mod mock_host;
pub mod secrets;
pub mod seed;

use secrecy::SecretString;

use crate::error::{Error, ErrorKind};
use crate::provider::{AccountSpec, AccountStatus, Plan, QuotaEnforcement, StorageProvider, Usage};
use crate::username::Username;

/// The parts of an [`Error::OutcomeUnknown`] (the operation, the error whose outcome
/// could not be settled, what may remain on the server); panics naming what came
/// instead. For tests of multi-step operations whose lookups fail.
pub fn expect_outcome_unknown(err: &Error) -> (&'static str, &Error, &[String]) {
    match err {
        Error::OutcomeUnknown {
            operation,
            error,
            may_remain,
        } => (operation, error, may_remain),
        other => panic!("expected OutcomeUnknown, got {other:?}"),
    }
}

/// Calls every mutating method of `provider` on `spec.username` (create with `spec`,
/// change password to `spec.password`, change plan from `from` to `to`, the limit
/// switch) and returns what each answered, by method name; panics when one was carried
/// out. For tests that a protected account is refused by all of them.
pub async fn every_mutation_refused(
    provider: &dyn StorageProvider,
    spec: &AccountSpec,
    from: &Plan,
    to: &Plan,
) -> Vec<(&'static str, Error)> {
    let target = &spec.username;
    let answers: Vec<(&'static str, crate::Result<()>)> = vec![
        ("suspend", provider.suspend(target).await),
        ("unsuspend", provider.unsuspend(target).await),
        ("terminate", provider.terminate(target).await),
        (
            "change_password",
            provider.change_password(target, &spec.password).await,
        ),
        ("change_plan", provider.change_plan(target, from, to).await),
        ("set_limited", provider.set_limited(target, true).await),
        (
            "create_account",
            provider.create_account(spec).await.map(drop),
        ),
    ];
    answers
        .into_iter()
        .map(|(method, answer)| match answer {
            Ok(()) => panic!("{method}({target}) was carried out"),
            Err(e) => (method, e),
        })
        .collect()
}

/// Panics unless `error` (what `method` answered) is [`Error::ProtectedAccount`] of
/// kind `PermissionDenied` whose text holds `evidence`.
pub fn expect_protected(method: &str, error: &Error, evidence: &str) {
    assert!(
        matches!(error, Error::ProtectedAccount { .. }),
        "{method}: {error:?}"
    );
    assert_eq!(error.kind(), ErrorKind::PermissionDenied, "{method}");
    assert!(error.to_string().contains(evidence), "{method}: {error}");
}

/// What the conformance suite creates.
#[derive(Debug, Clone)]
pub struct ConformanceConfig {
    /// Prefix of the account names the suite creates (must fit the provider's policy).
    pub prefix: String,
    /// The plan accounts are created on.
    pub plan: Plan,
    /// The plan the package change moves to.
    pub other_plan: Plan,
}

impl ConformanceConfig {
    /// A configuration.
    pub fn new(prefix: impl Into<String>, plan: Plan, other_plan: Plan) -> Self {
        ConformanceConfig {
            prefix: prefix.into(),
            plan,
            other_plan,
        }
    }
}

const PASSWORD: &str = "Pv7!kQz2#Lm9wR4x";
const OTHER_PASSWORD: &str = "Xq3@hT8!nB5zW2pe";

fn secret(s: &str) -> SecretString {
    SecretString::from(s.to_string())
}

fn name(provider: &dyn StorageProvider, config: &ConformanceConfig, suffix: &str) -> Username {
    let raw = format!("{}{suffix}", config.prefix);
    match provider.name_policy().validate(&raw) {
        Ok(n) => n,
        Err(e) => panic!("conformance: prefix {raw:?} does not fit the provider's policy: {e}"),
    }
}

fn expect_kind<T: std::fmt::Debug>(step: &str, result: Result<T, Error>, kind: ErrorKind) {
    match result {
        Err(e) if e.kind() == kind => {}
        Err(e) => panic!(
            "conformance: {step}: expected {kind}, got {:?} ({e})",
            e.kind()
        ),
        Ok(v) => panic!("conformance: {step}: expected {kind}, got Ok({v:?})"),
    }
}

fn ok<T>(step: &str, result: Result<T, Error>) -> T {
    result.unwrap_or_else(|e| panic!("conformance: {step} failed: {e} ({:?})", e.kind()))
}

/// Runs the whole lifecycle through `provider`; panics naming the failed step.
pub async fn run_conformance(provider: &dyn StorageProvider, config: &ConformanceConfig) {
    let caps = provider.capabilities();
    let info = ok("test_connection", provider.test_connection().await);
    assert!(
        info.is_admin,
        "conformance: the credentials are not an administrator's"
    );

    let user = name(provider, config, "one");
    let other = name(provider, config, "two");
    // Leftovers of an interrupted earlier run go first; terminate is idempotent.
    ok("terminate before start", provider.terminate(&user).await);
    ok("terminate before start", provider.terminate(&other).await);
    assert!(
        ok("account before create", provider.account(&user).await).is_none(),
        "conformance: {user} exists after terminate"
    );

    let spec = AccountSpec {
        username: user.clone(),
        password: secret(PASSWORD),
        email: Some("conformance@example.com".into()),
        display_name: Some("Conformance Test".into()),
        plan: config.plan.clone(),
    };
    let created = ok("create", provider.create_account(&spec).await);
    assert!(
        provider
            .name_policy()
            .same_account(created.username.as_str(), user.as_str()),
        "conformance: created {} when {user} was asked for",
        created.username
    );
    expect_kind(
        "create again",
        provider.create_account(&spec).await,
        ErrorKind::AlreadyExists,
    );

    let account = ok("account", provider.account(&user).await)
        .unwrap_or_else(|| panic!("conformance: {user} missing after create"));
    assert_eq!(
        account.status,
        AccountStatus::Active,
        "conformance: new account not active"
    );
    if let (Some(q), QuotaEnforcement::Native | QuotaEnforcement::PolicySwitch) =
        (account.quota, caps.quota_enforcement)
    {
        assert_eq!(q, config.plan.quota, "conformance: quota after create");
    }
    if caps.groups {
        for g in &config.plan.groups {
            assert!(
                account.groups.contains(g),
                "conformance: {user} not in plan group {g}"
            );
        }
    }

    for round in ["suspend", "suspend again"] {
        ok(round, provider.suspend(&user).await);
    }
    let status = ok("account after suspend", provider.account(&user).await).map(|a| a.status);
    assert_eq!(
        status,
        Some(AccountStatus::Suspended),
        "conformance: not suspended"
    );
    for round in ["unsuspend", "unsuspend again"] {
        ok(round, provider.unsuspend(&user).await);
    }
    let status = ok("account after unsuspend", provider.account(&user).await).map(|a| a.status);
    assert_eq!(
        status,
        Some(AccountStatus::Active),
        "conformance: not active again"
    );

    ok(
        "change password",
        provider
            .change_password(&user, &secret(OTHER_PASSWORD))
            .await,
    );
    expect_kind(
        "change to a short password",
        provider.change_password(&user, &secret("short")).await,
        ErrorKind::InvalidInput,
    );

    ok(
        "change plan",
        provider
            .change_plan(&user, &config.plan, &config.other_plan)
            .await,
    );
    let moved = ok("account after change plan", provider.account(&user).await)
        .unwrap_or_else(|| panic!("conformance: {user} missing after change plan"));
    if caps.groups {
        for g in &config.other_plan.groups {
            assert!(
                moved.groups.contains(g),
                "conformance: not in new plan group {g}"
            );
        }
        for g in config
            .plan
            .groups
            .iter()
            .filter(|g| !config.other_plan.groups.contains(g))
        {
            assert!(
                !moved.groups.contains(g),
                "conformance: still in old plan group {g}"
            );
        }
    }
    if let (Some(q), QuotaEnforcement::Native | QuotaEnforcement::PolicySwitch) =
        (moved.quota, caps.quota_enforcement)
    {
        assert_eq!(
            q, config.other_plan.quota,
            "conformance: quota after change plan"
        );
    }

    let usage = ok("usage", provider.usage(&user).await);
    if let (Some(used), Some(limit)) = (usage.used, config.other_plan.quota.limit()) {
        assert!(
            used <= limit,
            "conformance: a new account uses {used} of {limit}"
        );
    }

    if caps.quota_enforcement == QuotaEnforcement::PolicySwitch {
        ok("limit", provider.set_limited(&user, true).await);
        ok("limit again", provider.set_limited(&user, true).await);
        ok("lift limit", provider.set_limited(&user, false).await);
    }

    // A second account must not see or change the first.
    let second = AccountSpec {
        username: other.clone(),
        password: secret(PASSWORD),
        email: None,
        display_name: None,
        plan: config.plan.clone(),
    };
    ok("create second", provider.create_account(&second).await);
    ok("suspend second", provider.suspend(&other).await);
    let first = ok("account", provider.account(&user).await).map(|a| a.status);
    assert_eq!(
        first,
        Some(AccountStatus::Active),
        "conformance: suspending one touched another"
    );

    // The bulk read lists each account once, with what a single read says.
    let all = ok("usage_all", provider.usage_all().await);
    let policy = provider.name_policy();
    let listed = |who: &Username| -> Vec<Usage> {
        all.iter()
            .filter(|(name, _)| policy.same_account(name.as_str(), who.as_str()))
            .map(|(_, usage)| *usage)
            .collect()
    };
    let single = ok("usage", provider.usage(&user).await);
    match listed(&user).as_slice() {
        [bulk] => assert_eq!(
            (bulk.used, bulk.quota),
            (single.used, single.quota),
            "conformance: usage_all and usage disagree on {user}"
        ),
        other => panic!(
            "conformance: usage_all lists {user} {} times, not once",
            other.len()
        ),
    }
    assert_eq!(
        listed(&other).len(),
        1,
        "conformance: usage_all does not list {other} once"
    );

    // Calls on an account that does not exist.
    let missing = name(provider, config, "missing");
    // A batch read answers every slot in order, as one-by-one reads do; a missing
    // account fails only its own slot.
    let one_by_one = ok("usage", provider.usage(&user).await);
    let batch = [user.clone(), missing.clone(), other.clone()];
    let many = ok("usage_many", provider.usage_many(&batch, 2).await);
    let [first_read, missing_read, second_read]: [Result<Usage, Error>; 3] =
        many.try_into().unwrap_or_else(|v: Vec<_>| {
            panic!("conformance: usage_many answered {} slots for 3", v.len())
        });
    let first_read = ok("usage_many, first slot", first_read);
    assert_eq!(
        (first_read.used, first_read.quota),
        (one_by_one.used, one_by_one.quota),
        "conformance: usage_many and usage disagree"
    );
    ok("usage_many, third slot", second_read);
    expect_kind(
        "usage_many of a missing account",
        missing_read,
        ErrorKind::NotFound,
    );
    ok("terminate missing", provider.terminate(&missing).await);
    assert!(ok("account missing", provider.account(&missing).await).is_none());
    expect_kind(
        "suspend missing",
        provider.suspend(&missing).await,
        ErrorKind::NotFound,
    );
    expect_kind(
        "change password of missing",
        provider
            .change_password(&missing, &secret(OTHER_PASSWORD))
            .await,
        ErrorKind::NotFound,
    );

    for (step, who) in [
        ("terminate", &user),
        ("terminate again", &user),
        ("terminate second", &other),
    ] {
        ok(step, provider.terminate(who).await);
    }
    assert!(
        ok("account after terminate", provider.account(&user).await).is_none(),
        "conformance: {user} still exists after terminate"
    );
    assert!(ok("account after terminate", provider.account(&other).await).is_none());
    let after = ok("usage_all after terminate", provider.usage_all().await);
    assert!(
        !after.iter().any(
            |(name, _)| policy.same_account(name.as_str(), user.as_str())
                || policy.same_account(name.as_str(), other.as_str())
        ),
        "conformance: usage_all still lists a terminated account"
    );
    expect_kind(
        "usage after terminate",
        provider.usage(&user).await,
        ErrorKind::NotFound,
    );
}
