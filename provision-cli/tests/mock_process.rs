//! `provision mock nextcloud` and `provision mock synology --tls` as processes: the
//! ready line, the library's own providers against the printed URL (trusting the printed
//! CA), the control API (usage, faults), a restart from `--state`, and SIGTERM.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use provision::core::http::ClientOptions;
use provision::core::{
    AccountSpec, ByteSize, GroupName, Plan, Quota, SecretString, StorageProvider, Username,
};
use provision::nextcloud::NextcloudProvider;
use provision::synology::SynologyProvider;
use serde_json::{json, Value};

/// A running `provision mock ...` and its ready line.
struct MockProcess {
    child: Child,
    ready: Value,
}

impl MockProcess {
    fn start(args: &[&str]) -> MockProcess {
        let mut child = Command::new(env!("CARGO_BIN_EXE_provision"))
            .arg("mock")
            .args(args)
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let ready: Value = serde_json::from_str(&line).unwrap();
        MockProcess { child, ready }
    }

    fn field(&self, name: &str) -> String {
        self.ready[name].as_str().unwrap().to_string()
    }

    fn options(&self) -> ClientOptions {
        let mut options = ClientOptions::default();
        if let Some(ca) = self.ready["ca_path"].as_str() {
            options.set("tls_ca_file", ca).unwrap();
        }
        options
    }

    fn nextcloud(&self) -> NextcloudProvider {
        NextcloudProvider::builder(self.field("url"))
            .credentials(
                self.field("user"),
                SecretString::from(self.field("password")),
            )
            .options(self.options())
            .build()
            .unwrap()
    }

    fn synology(&self) -> SynologyProvider {
        SynologyProvider::builder(self.field("url"))
            .credentials(
                self.field("user"),
                SecretString::from(self.field("password")),
            )
            .options(self.options())
            .build()
            .unwrap()
    }

    async fn control(&self, method: reqwest::Method, path: &str, body: Value) -> (u16, Value) {
        let response = reqwest::Client::new()
            .request(method, format!("{}{path}", self.field("control_url")))
            .json(&body)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    /// Sends SIGTERM and returns the exit code.
    fn terminate(mut self) -> Option<i32> {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
        assert!(sent.success());
        self.child.wait().unwrap().code()
    }
}

fn spec(name: &str, plan: Plan) -> AccountSpec {
    AccountSpec {
        username: Username::new(name).unwrap(),
        password: SecretString::from("Cust-Passw0rd-1"),
        email: Some(format!("{name}@example.com")),
        display_name: None,
        plan,
    }
}

fn state_arg(path: &Path) -> String {
    path.display().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nextcloud_as_a_process() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("nextcloud-state.json");
    let mock = MockProcess::start(&[
        "nextcloud",
        "--admin",
        "root:root-Passw0rd!",
        "--state",
        &state_arg(&state),
    ]);
    assert_eq!(mock.field("user"), "root");
    assert!(mock.field("url").starts_with("http://127.0.0.1:"));
    let provider = mock.nextcloud();
    let alice = Username::new("alice").unwrap();
    provider
        .create_account(&spec("alice", Plan::new("2 GB".parse::<Quota>().unwrap())))
        .await
        .unwrap();

    let (status, _) = mock
        .control(
            reqwest::Method::PUT,
            "/users/alice/usage",
            json!({"bytes": 5_000_000}),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        provider.usage(&alice).await.unwrap().used,
        Some(ByteSize::new(5_000_000))
    );
    let (status, _) = mock
        .control(
            reqwest::Method::PUT,
            "/users/nobody/usage",
            json!({"bytes": 1}),
        )
        .await;
    assert_eq!(status, 404);

    // A 503 on every try: the provider's retries give up with the server's status.
    let (status, _) = mock
        .control(
            reqwest::Method::POST,
            "/faults",
            json!({"kind": "server_error", "status": 503, "times": 50}),
        )
        .await;
    assert_eq!(status, 200);
    assert!(provider.usage(&alice).await.is_err());
    let (status, _) = mock
        .control(reqwest::Method::DELETE, "/faults", Value::Null)
        .await;
    assert_eq!(status, 200);
    assert!(provider.usage(&alice).await.is_ok());
    let (status, refused) = mock
        .control(
            reqwest::Method::POST,
            "/faults",
            json!({"kind": "server_error", "stauts": 503}),
        )
        .await;
    assert_eq!(status, 400);
    assert!(
        refused["error"].as_str().unwrap().contains("stauts"),
        "{refused}"
    );
    let (_, log) = mock
        .control(reqwest::Method::GET, "/requests", Value::Null)
        .await;
    assert!(log.as_array().unwrap().iter().any(|r| r["status"] == 503));

    assert_eq!(mock.terminate(), Some(0));

    let again = MockProcess::start(&[
        "nextcloud",
        "--admin",
        "root:root-Passw0rd!",
        "--state",
        &state_arg(&state),
    ]);
    let provider = again.nextcloud();
    let info = provider.account(&alice).await.unwrap().unwrap();
    assert_eq!(info.email.as_deref(), Some("alice@example.com"));
    assert_eq!(
        provider.usage(&alice).await.unwrap().used,
        Some(ByteSize::new(5_000_000))
    );
    assert_eq!(again.terminate(), Some(0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn synology_over_tls_as_a_process() {
    let dir = tempfile::tempdir().unwrap();
    let seed = dir.path().join("seed.json");
    std::fs::write(
        &seed,
        json!({"groups": [{"name": "plan-10g", "homes_quota_bytes": 10u64 << 30}]}).to_string(),
    )
    .unwrap();
    let state = dir.path().join("dsm-state.json");
    let args = |extra: &[&str]| {
        let mut all = vec!["synology", "--tls", "--admin", "ops:Ops-Admin-Passw0rd1"];
        all.extend_from_slice(extra);
        all.iter().map(|s| s.to_string()).collect::<Vec<_>>()
    };
    let first: Vec<String> = args(&["--seed", &state_arg(&seed), "--state", &state_arg(&state)]);
    let mock = MockProcess::start(&first.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(mock.field("url").starts_with("https://"));
    assert!(Path::new(&mock.field("ca_path")).exists());

    // Without the CA the certificate is refused.
    let untrusting = SynologyProvider::builder(mock.field("url"))
        .credentials(
            mock.field("user"),
            SecretString::from(mock.field("password")),
        )
        .build()
        .unwrap();
    assert!(untrusting.list_groups().await.is_err());

    let provider = mock.synology();
    let plan = Plan::new("10 GB".parse::<Quota>().unwrap())
        .with_group(GroupName::new("plan-10g").unwrap());
    let user = Username::new("c42-s7").unwrap();
    provider
        .create_account(&spec("c42-s7", plan))
        .await
        .unwrap();
    let (status, _) = mock
        .control(
            reqwest::Method::PUT,
            "/users/c42-s7/usage",
            json!({"bytes": 3u64 << 20}),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        provider.usage(&user).await.unwrap().used,
        Some(ByteSize::new(3 << 20))
    );

    let (status, _) = mock
        .control(
            reqwest::Method::POST,
            "/faults",
            json!([{"kind": "http_status", "status": 502, "times": 50}]),
        )
        .await;
    assert_eq!(status, 200);
    assert!(provider.usage(&user).await.is_err());
    mock.control(reqwest::Method::DELETE, "/faults", Value::Null)
        .await;
    assert!(provider.usage(&user).await.is_ok());
    let (_, log) = mock
        .control(reqwest::Method::GET, "/requests", Value::Null)
        .await;
    let log = log.as_array().unwrap();
    assert!(log.iter().any(|r| r["status"] == 502));
    // The log names the Web API call, never its parameters (passwords, sids).
    assert!(log
        .iter()
        .any(|r| r["api"] == "SYNO.API.Auth" && r["api_method"] == "login"));
    assert!(!serde_json::to_string(log)
        .unwrap()
        .contains("Ops-Admin-Passw0rd1"));

    assert_eq!(mock.terminate(), Some(0));

    let second: Vec<String> = args(&["--state", &state_arg(&state)]);
    let again = MockProcess::start(&second.iter().map(String::as_str).collect::<Vec<_>>());
    let provider = again.synology();
    let info = provider.account(&user).await.unwrap().unwrap();
    assert_eq!(info.email.as_deref(), Some("c42-s7@example.com"));
    assert_eq!(
        provider.usage(&user).await.unwrap().used,
        Some(ByteSize::new(3 << 20))
    );
    assert_eq!(again.terminate(), Some(0));
}

/// `GET /requests/count` counts every request, past the request log's cap
/// (`REQUEST_LOG_LIMIT`, 10,000 on Nextcloud), which the log alone cannot show.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_request_count_goes_past_the_log_cap() {
    let mock = MockProcess::start(&["nextcloud"]);
    let url = format!("{}/ocs/v2.php/cloud/users/nobody", mock.field("url"));
    let client = reqwest::Client::new();
    let sent = provision::nextcloud::mock::REQUEST_LOG_LIMIT as u64 + 5;
    // 8 connections at once: the count is the same in any order, and it is quicker.
    let per_task = sent / 8;
    let tasks: Vec<_> = (0..8)
        .map(|t| {
            let (client, url) = (client.clone(), url.clone());
            let n = if t == 7 {
                sent - per_task * 7
            } else {
                per_task
            };
            tokio::spawn(async move {
                for _ in 0..n {
                    client.get(&url).send().await.unwrap();
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    let (status, count) = mock
        .control(reqwest::Method::GET, "/requests/count", Value::Null)
        .await;
    assert_eq!(status, 200);
    assert_eq!(count, json!({ "count": sent }));
    let (_, log) = mock
        .control(reqwest::Method::GET, "/requests", Value::Null)
        .await;
    assert_eq!(
        log.as_array().unwrap().len(),
        provision::nextcloud::mock::REQUEST_LOG_LIMIT
    );
    assert_eq!(mock.terminate(), Some(0));
}
