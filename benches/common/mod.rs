//! What the wire benches (`sweep`, `provisioning`) share: the backends, their mock
//! servers behind one type, the tally of the runs for the `[summary]` lines, the tokio
//! runtime and the criterion group settings of a run over the wire. Only items both
//! benches use live here; each adds its own methods to [`Mock`] in its own file.

use std::sync::Arc;
use std::time::Duration;

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, SamplingMode, Throughput};
use provision::core::StorageProvider;
use provision::minio::mock::MockMinio;
use provision::minio::MinioProvider;
use provision::nextcloud::mock::MockNextcloud;
use provision::synology::mock::MockSynology;
use tokio::runtime::Runtime;

/// The per-request latency of a LAN between the billing host and the storage server.
pub const LAN_LATENCY: Duration = Duration::from_millis(2);

/// A backend the benches run against, through its mock server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Backend {
    Nextcloud,
    Synology,
    Minio,
}

impl Backend {
    /// Every backend, in the order the benches run them.
    pub const ALL: [Backend; 3] = [Backend::Nextcloud, Backend::Synology, Backend::Minio];

    /// The name in bench ids, filters and summary lines.
    pub fn name(self) -> &'static str {
        match self {
            Backend::Nextcloud => "nextcloud",
            Backend::Synology => "synology",
            Backend::Minio => "minio",
        }
    }
}

/// A running mock server of one backend.
pub enum Mock {
    Nextcloud(MockNextcloud),
    Synology(MockSynology),
    Minio(MockMinio),
}

impl Mock {
    /// The requests the mock has served since its start or its last reset.
    pub fn requests(&self) -> u64 {
        match self {
            Mock::Nextcloud(m) => m.request_count() as u64,
            Mock::Synology(m) => m.request_count() as u64,
            Mock::Minio(m) => m.request_count(),
        }
    }

    /// Delays every response by `latency`.
    pub fn set_latency(&self, latency: Duration) {
        match self {
            Mock::Nextcloud(m) => m.set_latency(latency),
            Mock::Synology(m) => m.set_latency(latency),
            Mock::Minio(m) => m.set_latency(latency),
        }
    }

    /// A new provider (with its own connection pool) aimed at the mock.
    pub fn provider(&self) -> Arc<dyn StorageProvider> {
        match self {
            Mock::Nextcloud(m) => Arc::new(m.provider().expect("a Nextcloud provider")),
            Mock::Synology(m) => {
                Arc::new(m.provider_builder().build().expect("a Synology provider"))
            }
            Mock::Minio(m) => Arc::new(minio_provider(m)),
        }
    }
}

/// A MinIO provider aimed at `mock`, with its admin credentials.
pub fn minio_provider(mock: &MockMinio) -> MinioProvider {
    MinioProvider::builder(mock.url())
        .credentials(mock.access_key(), mock.secret_key())
        .build()
        .expect("a MinIO provider")
}

/// Time (wall or CPU) and requests of the runs of one bench, for the summary lines.
#[derive(Debug, Default)]
pub struct Tally {
    pub runs: u64,
    pub elapsed: Duration,
    pub requests: u64,
}

impl Tally {
    /// Counts one run that took `elapsed` and sent `requests`.
    pub fn add(&mut self, elapsed: Duration, requests: u64) {
        self.runs += 1;
        self.elapsed += elapsed;
        self.requests += requests;
    }

    /// The mean time of a run (zero before any).
    pub fn mean(&self) -> Duration {
        self.elapsed / u32::try_from(self.runs.max(1)).unwrap_or(u32::MAX)
    }

    /// The mean requests of a run (zero before any).
    pub fn requests_per_run(&self) -> u64 {
        self.requests / self.runs.max(1)
    }
}

/// The multi-thread tokio runtime the mocks and the timed runs share.
pub fn multi_thread_runtime() -> Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

/// A group of benches whose runs each handle `accounts` accounts over the wire and
/// take seconds: 10 flat samples (one run per iteration), next to no warm-up.
pub fn wire_group<'a>(
    c: &'a mut Criterion,
    name: String,
    accounts: usize,
) -> BenchmarkGroup<'a, WallTime> {
    let mut group = c.benchmark_group(name);
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_millis(1))
        .measurement_time(Duration::from_secs(3))
        .throughput(Throughput::Elements(accounts as u64));
    group
}
