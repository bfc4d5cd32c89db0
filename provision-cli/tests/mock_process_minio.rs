//! `provision mock minio` as a process, driven by the library's own MinIO provider:
//! an account made through the admin API, objects written through S3 as the tenant,
//! usage set through the control API and read after the scanner, the state kept
//! across a restart, and SIGTERM ending the process with exit code 0.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, ChildStdout, Command, Stdio};

use provision::core::http::ClientOptions;
use provision::core::{AccountSpec, Plan, Quota, SecretString, StorageProvider, Username};
use provision::minio::client::{BucketName, ObjectKey, S3Client};
use provision::minio::{Credentials, MinioProvider};
use serde_json::{json, Value};

const ROOT: &str = "process-root";
const ROOT_SECRET: &str = "process-root-secret";
const TENANT_PASSWORD: &str = "Tenant-Secret-123";

/// A running `provision mock minio` and its ready line.
struct MockProcess {
    child: Child,
    ready: Value,
    // Kept open so that the mock's later output never meets a closed pipe.
    _stdout: BufReader<ChildStdout>,
}

impl MockProcess {
    fn start(state: &Path) -> MockProcess {
        let mut child = Command::new(env!("CARGO_BIN_EXE_provision"))
            .args(["mock", "minio", "--admin", &format!("{ROOT}:{ROOT_SECRET}")])
            .arg("--state")
            .arg(state)
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        let ready: Value = serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line:?}"));
        MockProcess {
            child,
            ready,
            _stdout: stdout,
        }
    }

    fn field(&self, name: &str) -> String {
        self.ready[name].as_str().unwrap().to_owned()
    }

    fn provider(&self) -> MinioProvider {
        MinioProvider::builder(self.field("url"))
            .credentials(
                self.field("user"),
                SecretString::from(self.field("password")),
            )
            .build()
            .unwrap()
    }

    /// An S3 client signing as the tenant, for the ready line's region.
    fn tenant_s3(&self) -> S3Client {
        S3Client::new(
            &self.field("url"),
            Credentials::new("cust42", SecretString::from(TENANT_PASSWORD.to_owned())),
            &self.field("region"),
            &ClientOptions::default(),
        )
        .unwrap()
    }

    async fn control(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let mut request =
            reqwest::Client::new().request(method, format!("{}{path}", self.field("control_url")));
        if let Some(body) = body {
            request = request.json(&body);
        }
        let answer = request.send().await.unwrap();
        assert!(answer.status().is_success(), "{path}: {}", answer.status());
        answer.json().await.unwrap()
    }

    /// SIGTERM, then the exit code.
    fn terminate(mut self) -> Option<i32> {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
        assert!(sent.success());
        self.child.wait().unwrap().code()
    }
}

impl Drop for MockProcess {
    fn drop(&mut self) {
        // A failed assertion must not leave the process behind.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn tenant() -> Username {
    Username::new("cust42").unwrap()
}

async fn used_bytes(provider: &MinioProvider) -> Option<u64> {
    provider
        .usage(&tenant())
        .await
        .unwrap()
        .used
        .map(|b| b.bytes())
}

#[tokio::test]
async fn the_provider_runs_a_whole_account_against_the_mock_process_and_finds_it_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("minio-state.json");
    let mock = MockProcess::start(&state);
    assert_eq!(mock.field("user"), ROOT);
    assert_eq!(mock.field("region"), "us-east-1");
    let provider = mock.provider();
    provider.test_connection().await.unwrap();

    let spec = AccountSpec {
        username: tenant(),
        password: SecretString::from(TENANT_PASSWORD.to_owned()),
        email: None,
        display_name: None,
        plan: Plan::new(Quota::Unlimited),
    };
    provider.create_account(&spec).await.unwrap();

    // The tenant writes into its own bucket through S3, signed with its password.
    let s3 = mock.tenant_s3();
    let bucket = BucketName::new("cust42").unwrap();
    for (name, size) in [("a.bin", 100), ("b.bin", 50)] {
        s3.put_object(&bucket, &ObjectKey::new(name).unwrap(), vec![7; size])
            .await
            .unwrap();
    }
    // The scanner has not run: the figure lags, as MinIO's does.
    assert_eq!(used_bytes(&provider).await, None);
    mock.control(reqwest::Method::POST, "/scanner", None).await;
    assert_eq!(used_bytes(&provider).await, Some(150));

    mock.control(
        reqwest::Method::PUT,
        "/usage/cust42",
        Some(json!({"bytes": 1_000_000})),
    )
    .await;
    assert_eq!(used_bytes(&provider).await, Some(1_000_150));

    let log = mock.control(reqwest::Method::GET, "/requests", None).await;
    let puts = log
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["method"] == "PUT" && r["path"] == "/cust42/a.bin")
        .collect::<Vec<_>>();
    assert_eq!(puts.len(), 1);
    assert_eq!(puts[0]["status"], 200);
    assert_eq!(puts[0]["access_key"], "cust42");

    assert_eq!(mock.terminate(), Some(0));
    let kept: Value = serde_json::from_str(&std::fs::read_to_string(&state).unwrap()).unwrap();
    assert_eq!(kept["users"][0]["access_key"], "cust42");

    // A new process on the same state file has the account, its objects and the scan.
    let again = MockProcess::start(&state);
    let provider = again.provider();
    let account = provider
        .account(&tenant())
        .await
        .unwrap()
        .expect("the account is kept");
    assert_eq!(account.username, tenant());
    assert_eq!(used_bytes(&provider).await, Some(1_000_150));
    again.control(reqwest::Method::POST, "/scanner", None).await;
    assert_eq!(used_bytes(&provider).await, Some(1_000_150));
    // The tenant still signs with its password.
    let s3 = again.tenant_s3();
    s3.put_object(&bucket, &ObjectKey::new("c.bin").unwrap(), vec![1; 10])
        .await
        .unwrap();
    assert_eq!(again.terminate(), Some(0));
}

#[test]
fn root_credentials_minio_would_refuse_stop_the_process_before_it_is_ready() {
    let output = Command::new(env!("CARGO_BIN_EXE_provision"))
        .args(["mock", "minio", "--admin", "root:short"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("8 bytes"), "{stderr}");
    assert!(
        !stderr.contains("short"),
        "the secret is not echoed: {stderr}"
    );
}
