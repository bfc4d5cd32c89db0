//! The two halves a test suite in another language would use together: the three
//! stand-alone mocks as processes (`provision mock ...`, DSM over TLS with a seed), and
//! the `provision` command against them, configured only from their ready lines.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use serde_json::Value;

/// A running `provision mock` process and its ready line; SIGTERM when dropped.
struct MockProcess {
    child: Child,
    ready: Value,
}

impl MockProcess {
    fn start(args: &[&str]) -> MockProcess {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("provision"))
            .arg("mock")
            .args(args)
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let ready =
            serde_json::from_str(&line).unwrap_or_else(|e| panic!("ready line {line:?}: {e}"));
        MockProcess { child, ready }
    }

    fn field(&self, name: &str) -> &str {
        self.ready[name].as_str().unwrap()
    }

    /// Stops it as a test suite would, and checks it stopped cleanly.
    fn stop(mut self) {
        let pid = self.child.id().to_string();
        assert!(Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success());
        assert_eq!(self.child.wait().unwrap().code(), Some(0));
    }
}

impl Drop for MockProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

/// A server table for a mock, its secret written to a file beside the configuration.
fn server_table(dir: &Path, name: &str, backend: &str, mock: &MockProcess) -> String {
    let secret = dir.join(format!("{name}.secret"));
    std::fs::write(&secret, mock.field("password")).unwrap();
    let tls = match mock.ready["ca_path"].as_str() {
        Some(ca) => format!("options = {{ tls = {{ ca_file = \"{ca}\" }} }}\n"),
        None => String::new(),
    };
    format!(
        "[servers.{name}]\nbackend = \"{backend}\"\nurl = \"{}\"\nuser = \"{}\"\npassword = {{ file = \"{}\" }}\n{tls}\n",
        mock.field("url"),
        mock.field("user"),
        secret.display()
    )
}

fn provision(dir: &Path, args: &[&str]) -> (i32, Value) {
    let output = Command::new(assert_cmd::cargo::cargo_bin("provision"))
        .arg("--config")
        .arg(dir.join("provision.toml"))
        .arg("--ledger")
        .arg(dir.join("ledger.sqlite"))
        .args(["--output", "json"])
        .args(args)
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let document =
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{args:?}: {e}: {stdout}"));
    (output.status.code().unwrap(), document)
}

#[test]
fn the_command_runs_a_billing_cycle_on_the_three_mock_processes() {
    let dir = tempfile::tempdir().unwrap();
    let seed = dir.path().join("dsm-seed.json");
    std::fs::write(
        &seed,
        r#"{"groups": [{"name": "plan-10g", "homes_quota_bytes": 10737418240}]}"#,
    )
    .unwrap();
    let nextcloud = MockProcess::start(&["nextcloud"]);
    let synology = MockProcess::start(&["synology", "--tls", "--seed", seed.to_str().unwrap()]);
    let minio = MockProcess::start(&["minio"]);
    let mut config = String::new();
    config += &server_table(dir.path(), "cloud", "nextcloud", &nextcloud);
    config += &server_table(dir.path(), "nas", "synology", &synology);
    config += &server_table(dir.path(), "s3", "minio", &minio);
    config += r#"
[products.cloud]
name_rule = "nc{client_id}x{service_id}"
password_rule = 16
quota = "1 GB"
notify_at = 90

[products.nas]
name_rule = "syn{client_id}x{service_id}"
password_rule = 16
quota = "10 GB"
groups = ["plan-10g"]

[products.s3]
name_rule = "s3-{client_id}-{service_id}"
password_rule = 24
quota = "10 GB"
"#;
    std::fs::write(dir.path().join("provision.toml"), config).unwrap();

    let (code, check) = provision(dir.path(), &["check"]);
    assert_eq!(code, 0, "{check}");
    for (server, product) in [("cloud", "cloud"), ("nas", "nas"), ("s3", "s3")] {
        let create = [
            "create",
            "--server",
            server,
            "--client-id",
            "5",
            "--service-id",
            "9",
            "--product",
            product,
        ];
        let (code, created) = provision(dir.path(), &create);
        assert_eq!(code, 0, "{created}");
        assert!(created["password"].is_string());
        let (code, again) = provision(dir.path(), &create);
        assert_eq!(code, 0, "{again}");
        assert_eq!(again["username"], created["username"]);
        assert!(again["password"].is_null());
    }

    // Usage set through the Nextcloud mock's control API: the sweep sees it and owes
    // the near-limit mail.
    let control = nextcloud.field("control_url").to_string();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let answer = runtime
        .block_on(
            reqwest::Client::new()
                .put(format!("{control}/users/nc5x9/usage"))
                .json(&serde_json::json!({ "bytes": 1_000_000_000u64 }))
                .send(),
        )
        .unwrap();
    assert!(
        answer.status().is_success(),
        "control answered {}",
        answer.status()
    );
    let (code, swept) = provision(dir.path(), &["sweep"]);
    assert_eq!(code, 0, "{swept}");
    let pending = swept["pending_actions"].as_array().unwrap();
    assert_eq!(pending.len(), 1, "{swept}");
    assert_eq!(pending[0]["username"], "nc5x9");

    for server in ["cloud", "nas", "s3"] {
        let (code, done) = provision(
            dir.path(),
            &["terminate", "--server", server, "--service-id", "9"],
        );
        assert_eq!(
            (code, done["service"]["status"].as_str()),
            (0, Some("terminated")),
            "{done}"
        );
    }
    nextcloud.stop();
    synology.stop();
    minio.stop();
}
