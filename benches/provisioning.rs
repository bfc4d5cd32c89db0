//! Creating 1,000 accounts on each backend's mock server over real HTTP on loopback
//! with a LAN-like 2 ms of latency per request: `Provisioner::create_many` with bounded
//! concurrency next to the same call with a concurrency of 1 (one account after the
//! other, as the original modules create them).
//!
//! Every run starts on a fresh mock (not timed) and is checked after the clock stops:
//! every create succeeded, and the mock's state (accounts, their settings, groups,
//! policies, buckets) is identical to the state one sequential run leaves, so the
//! concurrent run creates the same accounts and leaves nothing half-created.
//!
//! ```text
//! cargo bench --bench provisioning                 # all backends, ~20 minutes
//! cargo bench --bench provisioning -- nextcloud    # one backend (any criterion filter)
//! cargo bench --bench provisioning -- --test        # each case once, with the state check
//! ```
#![forbid(unsafe_code)]

mod common;

use std::cell::{OnceCell, RefCell};
use std::time::{Duration, Instant};

use common::{multi_thread_runtime, wire_group, Backend, Mock, Tally, LAN_LATENCY};
use criterion::Criterion;
use provision::core::provisioner::{ProductConfig, Provisioner, ServiceContext};
use provision::core::{GroupName, Quota};
use provision::minio::mock::MockMinio;
use provision::nextcloud::mock::MockNextcloud;
use provision::synology::mock::MockSynology;
use tokio::runtime::Runtime;

const ACCOUNTS: usize = 1_000;
/// Creates in flight at once in our run.
const CONCURRENCY: usize = 32;
const PLAN_GROUP: &str = "plan-10g";
const PLAN_QUOTA: &str = "10 GB";

/// What only this bench does with a mock; the shared part is in `common`.
impl Mock {
    /// A fresh server with what a product needs before its first account: the plan
    /// group on Synology (DSM plan groups are pre-configured); no edit rate limit on
    /// Nextcloud (its 50 edits per 10 minutes would stop any bulk creation).
    async fn start(backend: Backend) -> Mock {
        match backend {
            Backend::Nextcloud => {
                let mock = MockNextcloud::start().await;
                mock.set_edit_rate_limit(None);
                Mock::Nextcloud(mock)
            }
            Backend::Synology => {
                let mock = MockSynology::start().await;
                let quota: Quota = PLAN_QUOTA.parse().expect("a quota");
                mock.add_group(PLAN_GROUP, quota);
                Mock::Synology(mock)
            }
            // Id 2 (PBKDF2) replies: the mock's default, id 0, runs Argon2id (64 MiB)
            // per encrypted answer, which would be most of what is measured.
            Backend::Minio => Mock::Minio(
                MockMinio::builder()
                    .reply_algorithm(provision::minio::wire::madmin::Algorithm::Pbkdf2AesGcm)
                    .start()
                    .await,
            ),
        }
    }

    /// Everything the accounts left on the server, one sorted line per item. Left out:
    /// passwords (random per run) and Synology's uids (handed out in creation order).
    fn state(&self) -> Vec<String> {
        let mut lines = Vec::new();
        match self {
            Mock::Nextcloud(m) => {
                for id in m.user_ids() {
                    let mut user = m.user(&id).expect("a listed user");
                    user.groups.sort();
                    lines.push(format!("user {user:?}"));
                }
                for group in m.groups() {
                    lines.push(format!("group {group}"));
                }
            }
            Mock::Synology(m) => {
                for name in m.user_names() {
                    let mut user = m.user(&name).expect("a listed user");
                    user.groups.sort();
                    lines.push(format!(
                        "user {} expired={} email={} description={} groups={:?} never_expire={} cannot_change={} used_mib={}",
                        user.name,
                        user.expired,
                        user.email,
                        user.description,
                        user.groups,
                        user.passwd_never_expire,
                        user.cannot_chg_passwd,
                        user.used_mib
                    ));
                }
                let mut members = m.group_members(PLAN_GROUP).unwrap_or_default();
                members.sort();
                lines.push(format!("group {PLAN_GROUP} {members:?}"));
            }
            Mock::Minio(m) => {
                for name in m.user_names() {
                    let mut user = m.user(&name).expect("a listed user");
                    user.policies.sort();
                    user.groups.sort();
                    lines.push(format!("user {user:?}"));
                }
                for name in m.policy_names() {
                    let document = m.policy(&name).map(|d| d.to_string());
                    lines.push(format!("policy {name} {document:?}"));
                }
                for bucket in m.buckets() {
                    lines.push(format!("bucket {bucket}"));
                }
                if let Some(mut group) = m.group(PLAN_GROUP) {
                    group.members.sort();
                    lines.push(format!("group {group:?}"));
                }
            }
        }
        lines.sort();
        lines
    }
}

/// 1,000 customers of one product: names `cust0000` to `cust0999` from the rule
/// `cust{client_id}`, a 16-character password, 10 GB, the plan group.
fn orders() -> Vec<(ServiceContext, ProductConfig)> {
    let product = ProductConfig::new("cust{client_id}", "16", PLAN_QUOTA)
        .expect("a product")
        .with_group(GroupName::new(PLAN_GROUP).expect("a group name"))
        .notify_at(90);
    (0..ACCOUNTS)
        .map(|i| {
            let ctx = ServiceContext::new(format!("{i:04}"), format!("{}", 5000 + i))
                .with_email(format!("customer{i}@example.com"))
                .with_display_name(format!("Customer {i}"));
            (ctx, product.clone())
        })
        .collect()
}

/// Creates every order on a fresh mock, `concurrency` at once; returns the wall time of
/// the creates alone, the requests sent and the mock's state.
fn create_all(
    rt: &Runtime,
    backend: Backend,
    orders: &[(ServiceContext, ProductConfig)],
    concurrency: usize,
    latency: Duration,
) -> (Duration, u64, Vec<String>) {
    let mock = rt.block_on(Mock::start(backend));
    mock.set_latency(latency);
    let provisioner = Provisioner::new(mock.provider()).with_concurrency(concurrency);
    let started = Instant::now();
    let results = rt.block_on(provisioner.create_many(orders));
    let elapsed = started.elapsed();
    let failed: Vec<String> = results
        .iter()
        .zip(orders)
        .filter_map(|(r, (ctx, _))| r.as_ref().err().map(|e| format!("{}: {e}", ctx.client_id)))
        .collect();
    assert!(
        failed.is_empty(),
        "{}: {} of {} creates failed, first {}",
        backend.name(),
        failed.len(),
        orders.len(),
        failed[0]
    );
    (elapsed, mock.requests(), mock.state())
}

fn check_same_state(backend: Backend, reference: &[String], state: &[String]) {
    if reference != state {
        let first = reference
            .iter()
            .zip(state)
            .find(|(a, b)| a != b)
            .map(|(a, b)| format!("sequential: {a}\n   this run: {b}"))
            .unwrap_or_else(|| format!("{} lines vs {}", reference.len(), state.len()));
        panic!(
            "{}: the mock's state differs from the sequential run's:\n{first}",
            backend.name()
        );
    }
}

fn provisioning(c: &mut Criterion, rt: &Runtime) {
    let orders = orders();
    let mut group = wire_group(c, format!("create-{ACCOUNTS}"), ACCOUNTS);
    let mut summary = Vec::new();
    for backend in Backend::ALL {
        // The state one sequential run leaves, made with no latency (same requests,
        // just faster); every measured run must leave the same.
        let reference: OnceCell<Vec<String>> = OnceCell::new();
        let reference =
            || reference.get_or_init(|| create_all(rt, backend, &orders, 1, Duration::ZERO).2);
        let tallies = [
            ("ours", CONCURRENCY, RefCell::new(Tally::default())),
            ("sequential", 1, RefCell::new(Tally::default())),
        ];
        for (label, concurrency, tally) in &tallies {
            group.bench_function(format!("{}/{label}", backend.name()), |b| {
                b.iter_custom(|iters| {
                    let reference = reference();
                    let mut total = Duration::ZERO;
                    for _ in 0..iters {
                        let (elapsed, requests, state) =
                            create_all(rt, backend, &orders, *concurrency, LAN_LATENCY);
                        check_same_state(backend, reference, &state);
                        total += elapsed;
                        tally.borrow_mut().add(elapsed, requests);
                    }
                    total
                })
            });
        }
        let [(_, _, ours), (_, _, sequential)] = tallies;
        summary.push((backend, ours.into_inner(), sequential.into_inner()));
    }
    group.finish();
    for (backend, ours, sequential) in summary {
        if ours.runs == 0 || sequential.runs == 0 {
            continue;
        }
        println!(
            "[summary] create {ACCOUNTS} on {}: ours (concurrency {CONCURRENCY}) {:.2?} ({} requests), sequential {:.2?} ({} requests), sequential/ours {:.1}x, state identical",
            backend.name(),
            ours.mean(),
            ours.requests_per_run(),
            sequential.mean(),
            sequential.requests_per_run(),
            sequential.mean().as_secs_f64() / ours.mean().as_secs_f64()
        );
    }
}

fn main() {
    let mut criterion = Criterion::default().configure_from_args();
    let rt = multi_thread_runtime();
    provisioning(&mut criterion, &rt);
    criterion.final_summary();
}
