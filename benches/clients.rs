//! Ours next to the independent Python clients (issue 16, parts 2 c and 3), on the same
//! stand-alone mock processes (`provision mock <backend> --latency 2`: 2 ms before
//! every answer) in one run:
//!
//! - usage sweeps of N accounts (default 1,000), each arm repeated (default 5 times;
//!   mean and minimum): `Provisioner::sweep` with the provider built from the mock's
//!   ready line, and the Python client doing the same job:
//!   - nc_py_api: one user list, then `users.get_user(uid).quota` per account;
//!   - synology-api: it has no per-user quota read (see `clients/synology_client.py`), so one
//!     user list, then per account `SYNO.Core.Quota get` sent through its own
//!     `request_data`; and, as a second arm, its closest per-user read with a method,
//!     `User.user_get`, which carries no usage;
//!   - minio-py: `MinioAdmin.user_list` and `get_data_usage_info`.
//! - creates of M accounts (default 200), each arm on a fresh mock: ours
//!   (`Provisioner::create_many` at concurrency 32), ours one at a time (concurrency
//!   1), and a loop of the Python client doing what our create does as far as it can
//!   (see the scripts under `benches/clients/`).
//!
//! Each Python script logs in, prints `ready`, waits for `go`, does the job and prints
//! one JSON line; the clock runs from writing `go` to reading that line, so imports
//! and logins are not timed (ours logs in before its clock starts too). Requests are
//! the mock's own counter (`GET /requests/count`) over exactly that window. Every
//! result is checked: every account read and the used bytes the seed gave; every
//! create in the mock's state (`GET /state`), with the plan group, compared field by
//! field with what ours left.
//!
//! Plain HTTP on Nextcloud and MinIO; HTTPS on Synology for both sides (synology-api
//! over plain HTTP encrypts its login with SYNO.API.Encryption, which the mock does
//! not serve), trusting the CA the mock prints.
//!
//! Needs the release binary (`cargo build --release --workspace --all-features --bin
//! provision`, or `PROVISION_BIN`) and the clients' venv (`PROVISION_CLIENTS_VENV`,
//! default `/tmp/provision-clients-venv`, made with `python3 -m venv ... && .../bin/pip
//! install -r provision-cli/tests/clients/requirements.txt`); without either it stops
//! with an error.
//!
//! ```text
//! cargo bench --bench clients                     # N=1000, M=200, 5 sweeps per arm
//! cargo bench --bench clients -- nextcloud        # one backend
//! cargo bench --bench clients -- --check          # N=50, M=20, 2 sweeps per arm
//! PROVISION_BENCH_CLIENTS_N=10000 PROVISION_BENCH_CLIENTS_CREATES=500 \
//!   PROVISION_BENCH_CLIENTS_RUNS=3 cargo bench --bench clients
//! ```
//!
//! One `[clients]` line per backend sums it all up.
#![forbid(unsafe_code)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use provision::core::history::InMemoryHistory;
use provision::core::http::ClientOptions;
use provision::core::provisioner::{ProductConfig, Provisioner, ServiceContext, SweepAccount};
use provision::core::{ByteSize, GroupName, Quota, SecretString, StorageProvider, Username};
use provision::minio::{MinioProvider, Namespace, PolicyTemplate};
use provision::nextcloud::NextcloudProvider;
use provision::synology::SynologyProvider;
use serde_json::{json, Value};
use tokio::runtime::Runtime;

const LATENCY_MS: u64 = 2;
const QUOTA_BYTES: u64 = 10 << 30;
const PLAN_GROUP: &str = "plan-10g";
const PLAN_QUOTA: &str = "10 GB";
/// Creates in flight in our create arm.
const CONCURRENCY: usize = 32;
/// The seeded accounts' password (a mock's test credential).
const PASSWORD: &str = "Bench-Passw0rd!x";
/// Every account of the bench starts with it; the scripts sweep the users that do.
const PREFIX: &str = "cust";
/// MinIO: the prefix of our per-user policies (the provider's default).
const MINIO_POLICY_PREFIX: &str = "provision-";
/// MinIO: the name in our first account's policy the script puts each name in for.
const PLACEHOLDER: &str = "@USER@";
const N_ENV: &str = "PROVISION_BENCH_CLIENTS_N";
const M_ENV: &str = "PROVISION_BENCH_CLIENTS_CREATES";
const RUNS_ENV: &str = "PROVISION_BENCH_CLIENTS_RUNS";

type Result<T, E = String> = std::result::Result<T, E>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Backend {
    Nextcloud,
    Synology,
    Minio,
}

impl Backend {
    const ALL: [Backend; 3] = [Backend::Nextcloud, Backend::Synology, Backend::Minio];

    fn name(self) -> &'static str {
        match self {
            Backend::Nextcloud => "nextcloud",
            Backend::Synology => "synology",
            Backend::Minio => "minio",
        }
    }

    /// The Python client its script drives.
    fn client(self) -> &'static str {
        match self {
            Backend::Nextcloud => "nc_py_api",
            Backend::Synology => "synology-api",
            Backend::Minio => "minio-py",
        }
    }

    /// The script's sweep jobs, with their labels in the summary.
    fn sweep_jobs(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Backend::Synology => &[
                ("sweep", "quota via request_data"),
                ("sweep-user-get", "user_get, no usage"),
            ],
            Backend::Nextcloud | Backend::Minio => &[("sweep", "")],
        }
    }

    /// Whether its mock serves HTTPS (its CA trusted by both sides): synology-api over
    /// plain HTTP encrypts its login with SYNO.API.Encryption, which the mock lacks.
    fn tls(self) -> bool {
        self == Backend::Synology
    }

    /// Usage reads in flight in our sweep, as in `benches/sweep.rs`: two batches of 50
    /// on Synology; the others read in bulk.
    fn read_concurrency(self) -> usize {
        match self {
            Backend::Synology => 100,
            Backend::Nextcloud | Backend::Minio => 16,
        }
    }
}

/// What a run measures and with what.
struct Settings {
    bin: PathBuf,
    python: PathBuf,
    scripts: PathBuf,
    /// Seeds and job files, removed at the end.
    work: PathBuf,
    n: usize,
    m: usize,
    runs: usize,
    backends: Vec<Backend>,
}

fn env_count(name: &str, default: usize) -> Result<usize> {
    match std::env::var(name) {
        Ok(v) => match v.trim().parse::<usize>() {
            Ok(n) if n > 0 => Ok(n),
            _ => Err(format!("{name}={v:?}: a positive whole number, please")),
        },
        Err(_) => Ok(default),
    }
}

fn settings() -> Result<Settings> {
    let mut check = false;
    let mut backends = Vec::new();
    // cargo bench passes `--bench`; other flags are ignored too, names filter backends.
    for arg in std::env::args().skip(1) {
        if arg == "--check" {
            check = true;
        } else if !arg.starts_with('-') {
            let picked: Vec<Backend> = Backend::ALL
                .into_iter()
                .filter(|b| b.name().contains(arg.as_str()))
                .collect();
            if picked.is_empty() {
                return Err(format!(
                    "{arg:?} names no backend (nextcloud, synology, minio)"
                ));
            }
            backends.extend(picked);
        }
    }
    if backends.is_empty() {
        backends = Backend::ALL.to_vec();
    }
    let (n, m, runs) = if check { (50, 20, 2) } else { (1_000, 200, 5) };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let bin = std::env::var_os("PROVISION_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target/release/provision"));
    if !bin.is_file() {
        return Err(format!(
            "no provision binary at {} (build it: cargo build --release --workspace --all-features --bin provision, or set PROVISION_BIN)",
            bin.display()
        ));
    }
    let venv = std::env::var_os("PROVISION_CLIENTS_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/tmp/provision-clients-venv"));
    let python = venv.join("bin/python");
    if !python.is_file() {
        return Err(format!(
            "no venv at {} (make it: python3 -m venv {0} && {0}/bin/pip install -r provision-cli/tests/clients/requirements.txt, or set PROVISION_CLIENTS_VENV)",
            venv.display()
        ));
    }
    let imports = Command::new(&python)
        .args(["-c", "import nc_py_api, minio, synology_api"])
        .status()
        .map_err(|e| format!("{}: {e}", python.display()))?;
    if !imports.success() {
        return Err(format!(
            "the venv at {} lacks a client (pip install -r provision-cli/tests/clients/requirements.txt)",
            venv.display()
        ));
    }
    let work = std::env::temp_dir().join(format!("provision-bench-clients-{}", std::process::id()));
    std::fs::create_dir_all(&work).map_err(|e| format!("{}: {e}", work.display()))?;
    Ok(Settings {
        bin,
        python,
        scripts: root.join("benches/clients"),
        work,
        n: env_count(N_ENV, n)?,
        m: env_count(M_ENV, m)?,
        runs: env_count(RUNS_ENV, runs)?,
        backends,
    })
}

/// The body of a `GET` on the control API (plain HTTP on loopback, JSON answers with a
/// length; no HTTP client among the bench's dependencies).
fn http_get(url: &str) -> Result<Value> {
    let rest = url
        .strip_prefix("http://")
        .ok_or_else(|| format!("{url}: not a plain HTTP URL"))?;
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let mut stream = TcpStream::connect(host).map_err(|e| format!("{url}: {e}"))?;
    write!(
        stream,
        "GET /{path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .map_err(|e| format!("{url}: {e}"))?;
    let mut answer = Vec::new();
    stream
        .read_to_end(&mut answer)
        .map_err(|e| format!("{url}: {e}"))?;
    let text = String::from_utf8_lossy(&answer);
    let (head, body) = text
        .split_once("\r\n\r\n")
        .ok_or_else(|| format!("{url}: no HTTP answer"))?;
    if !head.starts_with("HTTP/1.1 200") {
        return Err(format!("{url}: {}", head.lines().next().unwrap_or("")));
    }
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        return Err(format!(
            "{url}: a chunked answer, which this reader does not take"
        ));
    }
    serde_json::from_str(body).map_err(|e| format!("{url}: {e}"))
}

/// A `provision mock` process and its ready line; SIGTERM when dropped.
struct MockProcess {
    child: Child,
    /// Kept open: the mock may write after its ready line.
    _stdout: BufReader<ChildStdout>,
    ready: Value,
}

impl MockProcess {
    fn start(settings: &Settings, backend: Backend, label: &str, seed: &Value) -> Result<Self> {
        let seed_path = settings
            .work
            .join(format!("{}-{label}-seed.json", backend.name()));
        std::fs::write(&seed_path, seed.to_string())
            .map_err(|e| format!("{}: {e}", seed_path.display()))?;
        let mut command = Command::new(&settings.bin);
        command
            .args(["mock", backend.name(), "--latency", &LATENCY_MS.to_string()])
            .arg("--seed")
            .arg(&seed_path);
        if backend.tls() {
            command.arg("--tls");
        }
        let mut child = command
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("{}: {e}", settings.bin.display()))?;
        let mut stdout = BufReader::new(child.stdout.take().ok_or("the mock's stdout")?);
        let mut line = String::new();
        stdout
            .read_line(&mut line)
            .map_err(|e| format!("provision mock {}: {e}", backend.name()))?;
        if line.is_empty() {
            let status = child.wait().map_err(|e| e.to_string())?;
            return Err(format!(
                "provision mock {} stopped before it was ready ({status})",
                backend.name()
            ));
        }
        let ready: Value =
            serde_json::from_str(&line).map_err(|e| format!("the ready line {line:?}: {e}"))?;
        Ok(MockProcess {
            child,
            _stdout: stdout,
            ready,
        })
    }

    fn field(&self, name: &str) -> Result<String> {
        self.ready[name]
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| format!("the ready line has no {name}: {}", self.ready))
    }

    fn control(&self, path: &str) -> Result<Value> {
        http_get(&format!("{}{path}", self.field("control_url")?))
    }

    /// Every request the mock has served.
    fn requests(&self) -> Result<u64> {
        let answer = self.control("/requests/count")?;
        answer["count"]
            .as_u64()
            .ok_or_else(|| format!("GET /requests/count: {answer}"))
    }

    fn state(&self) -> Result<Value> {
        self.control("/state")
    }

    /// Our provider for `backend`, aimed at the mock with the ready line's credentials.
    fn provider(&self, backend: Backend) -> Result<Arc<dyn StorageProvider>> {
        let url = self.field("url")?;
        let user = self.field("user")?;
        let secret = SecretString::from(self.field("password")?);
        let mut options = ClientOptions::default();
        if let Some(ca) = self.ready["ca_path"].as_str() {
            options
                .set("tls_ca_file", ca)
                .map_err(|e| format!("tls_ca_file: {e}"))?;
        }
        let provider: Arc<dyn StorageProvider> = match backend {
            Backend::Nextcloud => Arc::new(
                NextcloudProvider::builder(url)
                    .credentials(user, secret)
                    .options(options)
                    .build()
                    .map_err(|e| e.to_string())?,
            ),
            Backend::Synology => Arc::new(
                SynologyProvider::builder(url)
                    .credentials(user, secret)
                    .options(options)
                    .build()
                    .map_err(|e| e.to_string())?,
            ),
            Backend::Minio => Arc::new(
                MinioProvider::builder(url)
                    .credentials(user, secret)
                    .options(options)
                    .build()
                    .map_err(|e| e.to_string())?,
            ),
        };
        Ok(provider)
    }
}

impl Drop for MockProcess {
    fn drop(&mut self) {
        let pid = self.child.id().to_string();
        let termed = Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .is_ok_and(|s| s.success());
        if !termed {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }
}

/// One timed Python job: its wall time, its answer and the requests it sent.
struct PythonRun {
    elapsed: Duration,
    answer: Value,
    requests: u64,
}

/// Runs `script` on `job` against `mock`: waits for `ready`, then times `go` to the
/// answer line.
fn run_python(
    settings: &Settings,
    mock: &MockProcess,
    script: &str,
    job: Value,
) -> Result<PythonRun> {
    let job_path = settings.work.join("job.json");
    let mut document = job;
    document["ready"] = mock.ready.clone();
    std::fs::write(&job_path, document.to_string())
        .map_err(|e| format!("{}: {e}", job_path.display()))?;
    let script_path = settings.scripts.join(script);
    let mut child = Command::new(&settings.python)
        .arg(&script_path)
        .arg(&job_path)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("{}: {e}", settings.python.display()))?;
    let mut stdin = child.stdin.take().ok_or("the script's stdin")?;
    let mut stdout = BufReader::new(child.stdout.take().ok_or("the script's stdout")?);
    let mut line = String::new();
    let stopped = |child: &mut Child, what: &str| {
        let status = child.wait().map(|s| s.to_string()).unwrap_or_default();
        format!("{script} stopped {what} ({status}; its error is above)")
    };
    stdout.read_line(&mut line).map_err(|e| e.to_string())?;
    if line.trim() != "ready" {
        return Err(stopped(&mut child, "before it was ready"));
    }
    let before = mock.requests()?;
    let started = Instant::now();
    stdin
        .write_all(b"go\n")
        .and_then(|()| stdin.flush())
        .map_err(|e| e.to_string())?;
    line.clear();
    stdout.read_line(&mut line).map_err(|e| e.to_string())?;
    let elapsed = started.elapsed();
    let requests = mock.requests()? - before;
    if line.is_empty() {
        return Err(stopped(&mut child, "before its answer"));
    }
    let answer: Value =
        serde_json::from_str(&line).map_err(|e| format!("{script}'s answer {line:?}: {e}"))?;
    let status = child.wait().map_err(|e| e.to_string())?;
    if !status.success() {
        return Err(format!("{script} exited with {status}"));
    }
    Ok(PythonRun {
        elapsed,
        answer,
        requests,
    })
}

/// Wall times and requests of the runs of one arm.
#[derive(Debug, Default)]
struct Tally {
    times: Vec<Duration>,
    requests: u64,
}

impl Tally {
    fn add(&mut self, elapsed: Duration, requests: u64) {
        self.times.push(elapsed);
        self.requests += requests;
    }

    fn mean(&self) -> Duration {
        let total: Duration = self.times.iter().sum();
        total / u32::try_from(self.times.len().max(1)).unwrap_or(u32::MAX)
    }

    fn min(&self) -> Duration {
        self.times.iter().copied().min().unwrap_or_default()
    }

    fn requests_per_run(&self) -> u64 {
        self.requests / self.times.len().max(1) as u64
    }

    /// `mean (min, R requests, r per account)` for a sweep.
    fn sweep_figures(&self, accounts: usize) -> String {
        format!(
            "{:.1?} (min {:.1?}, {} requests, {:.2} per account)",
            self.mean(),
            self.min(),
            self.requests_per_run(),
            self.requests_per_run() as f64 / accounts as f64
        )
    }

    /// `time (R requests, r per create)` for a create run.
    fn create_figures(&self, creates: usize) -> String {
        format!(
            "{:.2?} ({} requests, {:.2} per create)",
            self.mean(),
            self.requests_per_run(),
            self.requests_per_run() as f64 / creates as f64
        )
    }
}

fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64().max(1e-9)
}

fn account_name(i: usize) -> String {
    format!("{PREFIX}{i:05}")
}

/// 0 to 109 % of the quota, as in `benches/sweep.rs`, in whole MiB: DSM reports MiB,
/// so every client reads back exactly the bytes seeded.
fn used_bytes(i: usize) -> u64 {
    let quota_mib = QUOTA_BYTES >> 20;
    (quota_mib * (i % 110) as u64 / 100) << 20
}

fn sweep_seed(backend: Backend, n: usize) -> Result<Value> {
    let names: Vec<String> = (0..n).map(account_name).collect();
    Ok(match backend {
        Backend::Nextcloud => json!({
            "groups": [{"id": PLAN_GROUP}],
            "users": names.iter().enumerate().map(|(i, name)| json!({
                "id": name, "password": PASSWORD, "quota": PLAN_QUOTA,
                "used_bytes": used_bytes(i), "groups": [PLAN_GROUP],
            })).collect::<Vec<_>>(),
        }),
        Backend::Synology => json!({
            "users": names.iter().enumerate().map(|(i, name)| json!({
                "name": name, "password": PASSWORD, "used_bytes": used_bytes(i),
            })).collect::<Vec<_>>(),
            "groups": [{"name": PLAN_GROUP, "homes_quota_bytes": QUOTA_BYTES, "members": names}],
        }),
        // Accounts as our create leaves them (our sweep reads only users with their own
        // policy mapped); each one's usage is its default bucket's, as the scanner last
        // saw it.
        Backend::Minio => {
            let mut policies = Vec::new();
            for name in &names {
                let user = Username::new(name.as_str()).map_err(|e| e.to_string())?;
                let namespace = Namespace::for_user("", &user).map_err(|e| e.to_string())?;
                let document = PolicyTemplate::standard()
                    .render(name, &namespace)
                    .map_err(|e| e.to_string())?;
                policies.push(json!({
                    "name": format!("{MINIO_POLICY_PREFIX}{}", namespace.token()),
                    "document": document.as_json(),
                }));
            }
            json!({
                "policies": policies,
                "users": names.iter().map(|name| json!({
                    "access_key": name, "secret_key": PASSWORD,
                    "policies": [format!("{MINIO_POLICY_PREFIX}{name}")],
                })).collect::<Vec<_>>(),
                "buckets": names.iter().map(|name| json!({"name": name})).collect::<Vec<_>>(),
                "objects": names.iter().enumerate().map(|(i, name)| json!({
                    "bucket": name, "key": "data.bin", "size": used_bytes(i),
                })).collect::<Vec<_>>(),
                "usage": {"buckets": names.iter().enumerate().map(|(i, name)| {
                    (name.clone(), json!({"size": used_bytes(i), "objects": 1, "versions": 1}))
                }).collect::<serde_json::Map<_, _>>()},
            })
        }
    })
}

/// What a product needs before its first account: the plan group (Nextcloud, DSM;
/// MinIO makes it on the first join).
fn create_seed(backend: Backend) -> Value {
    match backend {
        Backend::Nextcloud => json!({"groups": [{"id": PLAN_GROUP}]}),
        Backend::Synology => json!({
            "groups": [{"name": PLAN_GROUP, "homes_quota_bytes": QUOTA_BYTES, "members": []}],
        }),
        Backend::Minio => json!({}),
    }
}

fn sweep_accounts(n: usize) -> Result<Vec<SweepAccount>> {
    let quota = Quota::limited(ByteSize::new(QUOTA_BYTES)).map_err(|e| e.to_string())?;
    (0..n)
        .map(|i| {
            Ok(SweepAccount {
                username: Username::new(account_name(i)).map_err(|e| e.to_string())?,
                quota,
                notify_at_percent: Some(90),
            })
        })
        .collect()
}

/// One sweep of ours on a fresh history; the accounts read and their used bytes.
fn our_sweep(
    rt: &Runtime,
    provisioner: &Provisioner,
    accounts: &[SweepAccount],
) -> Result<(usize, u64)> {
    let history = InMemoryHistory::new();
    let report = rt
        .block_on(provisioner.sweep(accounts, &history, Utc::now()))
        .map_err(|e| format!("sweep: {e}"))?;
    if let Some((user, e)) = report.failures.first() {
        return Err(format!(
            "sweep: {} reads failed, first {user}: {e}",
            report.failures.len()
        ));
    }
    let used = report
        .outcomes
        .iter()
        .map(|o| o.used.map_or(0, |b| b.bytes()))
        .sum();
    Ok((report.outcomes.len(), used))
}

/// The sweep figures of one backend.
struct Sweeps {
    ours: Tally,
    /// Per script job: its label and its runs.
    python: Vec<(&'static str, Tally)>,
}

fn sweeps(settings: &Settings, rt: &Runtime, backend: Backend) -> Result<Sweeps> {
    let n = settings.n;
    let name = backend.name();
    let started = Instant::now();
    let mock = MockProcess::start(settings, backend, "sweep", &sweep_seed(backend, n)?)?;
    eprintln!(
        "[clients] {name} mock with {n} accounts ready in {:.1?}",
        started.elapsed()
    );
    let accounts = sweep_accounts(n)?;
    let expected: u64 = (0..n).map(used_bytes).sum();
    let provisioner =
        Provisioner::new(mock.provider(backend)?).with_concurrency(backend.read_concurrency());
    // Not timed: the login and the connection pool, as the scripts do before `ready`.
    our_sweep(rt, &provisioner, &accounts)?;

    let mut ours = Tally::default();
    for _ in 0..settings.runs {
        let before = mock.requests()?;
        let started = Instant::now();
        let (read, used) = our_sweep(rt, &provisioner, &accounts)?;
        let elapsed = started.elapsed();
        let requests = mock.requests()? - before;
        if read != n || used != expected {
            return Err(format!(
                "{name} ours read {read} accounts, {used} bytes; expected {n}, {expected}"
            ));
        }
        ours.add(elapsed, requests);
    }
    eprintln!("[clients] {name} ours: {}", ours.sweep_figures(n));

    let mut python = Vec::new();
    for &(job, label) in backend.sweep_jobs() {
        let mut tally = Tally::default();
        for _ in 0..settings.runs {
            let run = run_python(
                settings,
                &mock,
                &format!("{name}_client.py"),
                json!({"job": job, "prefix": PREFIX}),
            )?;
            let read = run.answer["accounts"].as_u64();
            let used = &run.answer["used_bytes"];
            let used_ok = used.is_null() || used.as_u64() == Some(expected);
            if read != Some(n as u64) || !used_ok {
                return Err(format!(
                    "{name} {} {job}: {}; expected {n} accounts, {expected} bytes",
                    backend.client(),
                    run.answer
                ));
            }
            tally.add(run.elapsed, run.requests);
        }
        eprintln!(
            "[clients] {name} {} {job}: {}",
            backend.client(),
            tally.sweep_figures(n)
        );
        python.push((label, tally));
    }
    Ok(Sweeps { ours, python })
}

/// M customers of one product, as in `benches/provisioning.rs`: names from the rule
/// `cust{client_id}`, a 16-character password, 10 GB, the plan group, e-mail and
/// display name.
fn orders(m: usize) -> Result<Vec<(ServiceContext, ProductConfig)>> {
    let product = ProductConfig::new("cust{client_id}", "16", PLAN_QUOTA)
        .map_err(|e| e.to_string())?
        .with_group(GroupName::new(PLAN_GROUP).map_err(|e| e.to_string())?)
        .notify_at(90);
    Ok((0..m)
        .map(|i| {
            let ctx = ServiceContext::new(format!("{i:04}"), format!("{}", 5000 + i))
                .with_email(format!("customer{i}@example.com"))
                .with_display_name(format!("Customer {i}"));
            (ctx, product.clone())
        })
        .collect())
}

/// The same orders for a script: the names the rule gives, e-mail, display name.
fn script_orders(m: usize) -> Value {
    (0..m)
        .map(|i| {
            json!({
                "name": format!("cust{i:04}"),
                "email": format!("customer{i}@example.com"),
                "display_name": format!("Customer {i}"),
            })
        })
        .collect()
}

/// Each created account as one line of what the create left, passwords, uids and
/// times left out; keyed by name.
fn created_accounts(backend: Backend, state: &Value) -> Result<BTreeMap<String, String>> {
    let list = |key: &str| -> Vec<Value> { state[key].as_array().cloned().unwrap_or_default() };
    let groups = list("groups");
    let members_of = |group: &Value| -> Vec<String> {
        group["members"]
            .as_array()
            .map(|m| {
                m.iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut accounts = BTreeMap::new();
    match backend {
        Backend::Nextcloud => {
            for user in list("users") {
                let Some(id) = user["id"].as_str().filter(|id| id.starts_with(PREFIX)) else {
                    continue;
                };
                accounts.insert(
                    id.to_owned(),
                    format!(
                        "display_name={} email={} enabled={} quota={} groups={}",
                        user["display_name"],
                        user["email"],
                        user["enabled"],
                        user["quota"],
                        user["groups"]
                    ),
                );
            }
        }
        Backend::Synology => {
            for user in list("users") {
                let Some(name) = user["name"].as_str().filter(|n| n.starts_with(PREFIX)) else {
                    continue;
                };
                let mut in_groups: Vec<&str> = groups
                    .iter()
                    .filter(|g| members_of(g).iter().any(|m| m == name))
                    .filter_map(|g| g["name"].as_str())
                    .collect();
                in_groups.sort_unstable();
                accounts.insert(
                    name.to_owned(),
                    format!(
                        "email={} description={} expired={} quota_bytes={} cannot_chg_passwd={} passwd_never_expire={} groups={in_groups:?}",
                        user["email"], user["description"], user["expired"], user["quota_bytes"],
                        user["cannot_chg_passwd"], user["passwd_never_expire"]
                    ),
                );
            }
        }
        Backend::Minio => {
            let policies: BTreeMap<String, String> = list("policies")
                .iter()
                .filter_map(|p| Some((p["name"].as_str()?.to_owned(), p["document"].to_string())))
                .collect();
            let buckets: Vec<String> = list("buckets")
                .iter()
                .filter_map(|b| b["name"].as_str().map(str::to_owned))
                .collect();
            for user in list("users") {
                let Some(name) = user["access_key"]
                    .as_str()
                    .filter(|n| n.starts_with(PREFIX))
                else {
                    continue;
                };
                let mapped: Vec<String> = user["policies"]
                    .as_array()
                    .map(|p| {
                        p.iter()
                            .filter_map(|v| v.as_str().map(str::to_owned))
                            .collect()
                    })
                    .unwrap_or_default();
                let documents: Vec<&str> = mapped
                    .iter()
                    .map(|p| policies.get(p).map_or("(none)", String::as_str))
                    .collect();
                let in_groups: Vec<&str> = groups
                    .iter()
                    .filter(|g| members_of(g).iter().any(|m| m == name))
                    .filter_map(|g| g["name"].as_str())
                    .collect();
                let own_buckets: Vec<&String> = buckets
                    .iter()
                    .filter(|b| *b == name || b.starts_with(&format!("{name}.")))
                    .collect();
                accounts.insert(
                    name.to_owned(),
                    format!(
                        "status={} policies={mapped:?} documents={documents:?} groups={in_groups:?} buckets={own_buckets:?}",
                        user["status"]
                    ),
                );
            }
        }
    }
    Ok(accounts)
}

/// Checks that every order's account is there and in the plan group; then how the
/// accounts compare with `reference` (ours): "same as ours" or the first difference.
fn check_creates(
    backend: Backend,
    arm: &str,
    m: usize,
    accounts: &BTreeMap<String, String>,
    reference: Option<&BTreeMap<String, String>>,
) -> Result<String> {
    for i in 0..m {
        let name = format!("cust{i:04}");
        let Some(line) = accounts.get(&name) else {
            return Err(format!(
                "{} {arm}: {name} is not in the mock's state",
                backend.name()
            ));
        };
        if !line.contains(PLAN_GROUP) {
            return Err(format!(
                "{} {arm}: {name} is not in {PLAN_GROUP}: {line}",
                backend.name()
            ));
        }
    }
    if accounts.len() != m {
        return Err(format!(
            "{} {arm}: {} accounts, expected {m}",
            backend.name(),
            accounts.len()
        ));
    }
    let Some(reference) = reference else {
        return Ok(String::new());
    };
    let first = reference
        .iter()
        .find(|(name, line)| accounts.get(*name) != Some(line));
    Ok(match first {
        None => "state same as ours".to_string(),
        Some((name, ours)) => format!(
            "state differs from ours, e.g. {name}: ours {ours} / this {}",
            accounts.get(name).map_or("(absent)", String::as_str)
        ),
    })
}

/// The create figures of one backend.
struct Creates {
    ours: Tally,
    sequential: Tally,
    python: Tally,
    /// How the sequential and the Python state compare with ours.
    notes: Vec<String>,
}

fn our_creates(
    settings: &Settings,
    rt: &Runtime,
    backend: Backend,
    concurrency: usize,
) -> Result<(Tally, Value)> {
    let mock = MockProcess::start(settings, backend, "create", &create_seed(backend))?;
    let provisioner = Provisioner::new(mock.provider(backend)?).with_concurrency(concurrency);
    // Not timed: the login (DSM) and the first connection, as the scripts do.
    rt.block_on(provisioner.provider().test_connection())
        .map_err(|e| format!("{} test_connection: {e}", backend.name()))?;
    let orders = orders(settings.m)?;
    let before = mock.requests()?;
    let started = Instant::now();
    let results = rt.block_on(provisioner.create_many(&orders));
    let elapsed = started.elapsed();
    let requests = mock.requests()? - before;
    let failed: Vec<String> = results
        .iter()
        .zip(&orders)
        .filter_map(|(r, (ctx, _))| r.as_ref().err().map(|e| format!("{}: {e}", ctx.client_id)))
        .collect();
    if let Some(first) = failed.first() {
        return Err(format!(
            "{} ours at concurrency {concurrency}: {} of {} creates failed, first {first}",
            backend.name(),
            failed.len(),
            orders.len()
        ));
    }
    let mut tally = Tally::default();
    tally.add(elapsed, requests);
    Ok((tally, mock.state()?))
}

fn creates(settings: &Settings, rt: &Runtime, backend: Backend) -> Result<Creates> {
    let m = settings.m;
    let name = backend.name();
    let (ours, ours_state) = our_creates(settings, rt, backend, CONCURRENCY)?;
    let reference = created_accounts(backend, &ours_state)?;
    check_creates(backend, "ours", m, &reference, None)?;
    eprintln!("[clients] {name} create ours: {}", ours.create_figures(m));

    let (sequential, state) = our_creates(settings, rt, backend, 1)?;
    let mut notes = vec![check_creates(
        backend,
        "sequential",
        m,
        &created_accounts(backend, &state)?,
        Some(&reference),
    )?];
    eprintln!(
        "[clients] {name} create sequential: {}",
        sequential.create_figures(m)
    );

    let mut job = json!({
        "job": "create",
        "orders": script_orders(m),
        "group": PLAN_GROUP,
        "quota": PLAN_QUOTA,
    });
    if backend == Backend::Minio {
        // The script puts the document ours puts: our first account's, its name made a
        // placeholder.
        let first = "cust0000";
        let policy = format!("{MINIO_POLICY_PREFIX}{first}");
        let document = ours_state["policies"]
            .as_array()
            .and_then(|p| p.iter().find(|p| p["name"] == policy.as_str()))
            .map(|p| p["document"].to_string())
            .ok_or_else(|| format!("minio: ours left no policy {policy}"))?;
        job["policy_prefix"] = json!(MINIO_POLICY_PREFIX);
        job["policy_document"] = json!(document.replace(first, PLACEHOLDER));
        job["placeholder"] = json!(PLACEHOLDER);
    }
    let mock = MockProcess::start(settings, backend, "create", &create_seed(backend))?;
    let run = run_python(settings, &mock, &format!("{name}_client.py"), job)?;
    if run.answer["created"].as_u64() != Some(m as u64) {
        return Err(format!("{name} {}: {}", backend.client(), run.answer));
    }
    let mut python = Tally::default();
    python.add(run.elapsed, run.requests);
    notes.push(check_creates(
        backend,
        backend.client(),
        m,
        &created_accounts(backend, &mock.state()?)?,
        Some(&reference),
    )?);
    eprintln!(
        "[clients] {name} create {}: {}",
        backend.client(),
        python.create_figures(m)
    );
    Ok(Creates {
        ours,
        sequential,
        python,
        notes,
    })
}

fn summary_line(
    settings: &Settings,
    backend: Backend,
    sweeps: &Sweeps,
    creates: &Creates,
) -> String {
    let (n, m) = (settings.n, settings.m);
    let client = backend.client();
    let mut line = format!(
        "[clients] {} at {LATENCY_MS} ms: sweep n={n} ({} runs each): ours {}",
        backend.name(),
        settings.runs,
        sweeps.ours.sweep_figures(n)
    );
    for (label, tally) in &sweeps.python {
        let label = if label.is_empty() {
            client.to_string()
        } else {
            format!("{client} ({label})")
        };
        line.push_str(&format!(
            "; {label} {}, {:.1}x ours",
            tally.sweep_figures(n),
            ratio(tally.mean(), sweeps.ours.mean())
        ));
    }
    line.push_str(&format!(
        " | create m={m} (fresh mock each): ours (concurrency {CONCURRENCY}) {}; sequential {}, {:.1}x ours; {client} loop {}, {:.1}x ours, {:.1}x sequential; sequential {}; {client} {}",
        creates.ours.create_figures(m),
        creates.sequential.create_figures(m),
        ratio(creates.sequential.mean(), creates.ours.mean()),
        creates.python.create_figures(m),
        ratio(creates.python.mean(), creates.ours.mean()),
        ratio(creates.python.mean(), creates.sequential.mean()),
        creates.notes[0],
        creates.notes[1],
    ));
    line
}

fn run(settings: &Settings) -> Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("a tokio runtime: {e}"))?;
    let mut lines = Vec::new();
    for &backend in &settings.backends {
        let sweeps = sweeps(settings, &rt, backend)?;
        let creates = creates(settings, &rt, backend)?;
        let line = summary_line(settings, backend, &sweeps, &creates);
        // Printed as each backend ends, and all together at the end.
        println!("{line}");
        lines.push(line);
    }
    println!();
    for line in lines {
        println!("{line}");
    }
    Ok(())
}

fn main() {
    let settings = match settings() {
        Ok(settings) => settings,
        Err(e) => {
            eprintln!("[clients] cannot run: {e}");
            std::process::exit(1);
        }
    };
    eprintln!(
        "[clients] n={} m={} runs={} backends {:?}",
        settings.n,
        settings.m,
        settings.runs,
        settings
            .backends
            .iter()
            .map(|b| b.name())
            .collect::<Vec<_>>()
    );
    let outcome = run(&settings);
    let _ = std::fs::remove_dir_all(&settings.work);
    if let Err(e) = outcome {
        eprintln!("[clients] failed: {e}");
        std::process::exit(1);
    }
}
