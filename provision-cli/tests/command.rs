//! The `provision` command as an operator runs it: the built binary, against the
//! three backends' mock servers over loopback, with a configuration file and an SQLite
//! ledger in a temporary directory.

use std::path::PathBuf;
use std::sync::Arc;

use assert_cmd::Command;
use provision::core::ByteSize;
use provision::minio::mock::MockMinio;
use provision::nextcloud::mock::{MockNextcloud, ADMIN_USER as NEXTCLOUD_ADMIN};
use provision::synology::mock::MockSynology;
use provision_core::ExposeSecret;
use serde_json::Value;
use tempfile::TempDir;

/// The three mocks, a configuration pointing at them and a ledger path.
struct Setup {
    dir: TempDir,
    nextcloud: Arc<MockNextcloud>,
    synology: Arc<MockSynology>,
    minio: Arc<MockMinio>,
    /// Every admin secret, which no output may show.
    admin_secrets: Vec<String>,
}

impl Setup {
    async fn new() -> Setup {
        let dir = tempfile::tempdir().unwrap();
        let nextcloud = Arc::new(MockNextcloud::start().await);
        let synology = Arc::new(MockSynology::start().await);
        synology.add_group("storage-10g", "10 GB".parse().unwrap());
        synology.add_group("storage-20g", "20 GB".parse().unwrap());
        let minio = Arc::new(MockMinio::start().await);
        let secrets = [
            ("nextcloud.secret", nextcloud.admin_password()),
            ("synology.secret", synology.admin_password()),
            ("minio.secret", minio.secret_key()),
        ];
        for (name, secret) in &secrets {
            std::fs::write(dir.path().join(name), secret.expose_secret()).unwrap();
        }
        let config = format!(
            r#"
[servers.cloud]
backend = "nextcloud"
url = "{nc}"
user = "{nc_user}"
password = {{ file = "{dir}/nextcloud.secret" }}

[servers.nas]
backend = "synology"
url = "{dsm}"
user = "{dsm_user}"
password = {{ file = "{dir}/synology.secret" }}

[servers.s3]
backend = "minio"
url = "{minio}"
user = "{minio_user}"
password = {{ file = "{dir}/minio.secret" }}

[products.cloud]
name_rule = "nc{{client_id}}x{{service_id}}"
password_rule = 16
quota = "1 GB"
notify_at = 90

[products.cloud-bigger]
name_rule = "nc{{client_id}}x{{service_id}}"
password_rule = 16
quota = "2 GB"

[products.nas]
name_rule = "syn{{client_id}}x{{service_id}}"
password_rule = 16
quota = "10 GB"
groups = ["storage-10g"]

[products.s3]
name_rule = "s3-{{client_id}}-{{service_id}}"
password_rule = 24
quota = "10 GB"
"#,
            nc = nextcloud.url(),
            nc_user = NEXTCLOUD_ADMIN,
            dsm = synology.url(),
            dsm_user = MockSynology::ADMIN_ACCOUNT,
            minio = minio.url(),
            minio_user = minio.access_key(),
            dir = dir.path().display(),
        );
        std::fs::write(dir.path().join("provision.toml"), config).unwrap();
        let admin_secrets = secrets
            .iter()
            .map(|(_, s)| s.expose_secret().to_string())
            .collect();
        Setup {
            dir,
            nextcloud,
            synology,
            minio,
            admin_secrets,
        }
    }

    fn config(&self) -> PathBuf {
        self.dir.path().join("provision.toml")
    }

    /// Adds `section` (TOML) to the configuration.
    fn add_to_config(&self, section: &str) {
        let mut text = std::fs::read_to_string(self.config()).unwrap();
        text.push_str(section);
        std::fs::write(self.config(), text).unwrap();
    }

    fn ledger(&self) -> PathBuf {
        self.dir.path().join("ledger.sqlite")
    }

    /// Runs `provision ARGS` (with debug logging, so a leak into the logs shows) and
    /// returns its exit code, stdout and stderr; no admin secret may be in either.
    async fn run(&self, args: &[&str]) -> (i32, String, String) {
        let mut command = Command::cargo_bin("provision").unwrap();
        command
            .arg("--config")
            .arg(self.config())
            .arg("--ledger")
            .arg(self.ledger())
            .arg("-vv")
            .args(args)
            .env_remove("PROVISION_CONFIG")
            .env_remove("PROVISION_LEDGER")
            .env_remove("RUST_LOG");
        // The mocks answer on this process's runtime: run the command beside it.
        let output = tokio::task::spawn_blocking(move || command.output().unwrap())
            .await
            .unwrap();
        let stdout = String::from_utf8(output.stdout).unwrap();
        let stderr = String::from_utf8(output.stderr).unwrap();
        for secret in &self.admin_secrets {
            assert!(
                !stdout.contains(secret.as_str()),
                "an admin secret in stdout of {args:?}"
            );
            assert!(
                !stderr.contains(secret.as_str()),
                "an admin secret in stderr of {args:?}"
            );
        }
        (output.status.code().unwrap_or(-1), stdout, stderr)
    }

    /// Runs `provision --output json ARGS` and returns the exit code and the document.
    async fn json(&self, args: &[&str]) -> (i32, Value) {
        let mut all = vec!["--output", "json"];
        all.extend_from_slice(args);
        let (code, stdout, stderr) = self.run(&all).await;
        let document = serde_json::from_str(&stdout).unwrap_or_else(|e| {
            panic!("{args:?} printed no JSON document ({e}): {stdout}\n{stderr}")
        });
        (code, document)
    }
}

fn service<'a>(server: &'a str, id: &'a str) -> [&'a str; 4] {
    ["--server", server, "--service-id", id]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_reports_every_server_and_fails_on_wrong_credentials() {
    let setup = Setup::new().await;
    let (code, doc) = setup.json(&["check"]).await;
    assert_eq!(code, 0, "{doc}");
    let servers = doc["servers"].as_array().unwrap();
    let names: Vec<&str> = servers
        .iter()
        .map(|s| s["server"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["cloud", "nas", "s3"]);
    for server in servers {
        assert_eq!(server["ok"], true, "{server}");
        assert_eq!(server["is_admin"], true, "{server}");
    }
    assert_eq!(servers[0]["backend"], "nextcloud");

    // A wrong password: permission denied (exit 6), the server named, nothing leaked.
    std::fs::write(setup.dir.path().join("nextcloud.secret"), "wrong-password").unwrap();
    let (code, doc) = setup.json(&["check", "cloud"]).await;
    assert_eq!(code, 6, "{doc}");
    assert_eq!(doc["servers"][0]["ok"], false);
    assert_eq!(doc["servers"][0]["error"]["kind"], "permission_denied");
    // Several servers with one failing: "partly done".
    let (code, _) = setup.json(&["check"]).await;
    assert_eq!(code, 10);
    let (code, stdout, _) = setup.run(&["check"]).await;
    assert_eq!(code, 10);
    assert!(stdout.contains("cloud: FAILED"), "{stdout}");
    assert!(stdout.contains("nas: "), "{stdout}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_repeated_create_returns_the_same_account_and_the_password_once() {
    let setup = Setup::new().await;
    let create = [
        "create",
        "--server",
        "cloud",
        "--client-id",
        "42",
        "--service-id",
        "7",
        "--product",
        "cloud",
    ];
    let (code, first) = setup.json(&create).await;
    assert_eq!(code, 0, "{first}");
    assert_eq!(first["username"], "nc42x7");
    assert_eq!(first["service"]["status"], "active");
    assert_eq!(first["resumed"], false);
    let password = first["password"].as_str().unwrap().to_string();
    assert_eq!(password.len(), 16);
    assert!(setup.nextcloud.check_password("nc42x7", &password));

    let (code, again) = setup.json(&create).await;
    assert_eq!(code, 0, "{again}");
    assert_eq!(again["username"], "nc42x7");
    assert!(
        again["password"].is_null(),
        "the password is handed out once: {again}"
    );
    let accounts = setup
        .nextcloud
        .user_ids()
        .into_iter()
        .filter(|u| u.starts_with("nc42"))
        .count();
    assert_eq!(accounts, 1);

    // The password is shown in the text form too, once.
    let text_create = [
        "create",
        "--server",
        "nas",
        "--client-id",
        "42",
        "--service-id",
        "8",
        "--product",
        "nas",
    ];
    let (code, stdout, stderr) = setup.run(&text_create).await;
    assert_eq!(code, 0, "{stderr}");
    let shown = stdout
        .lines()
        .find_map(|l| l.strip_prefix("password: "))
        .unwrap()
        .to_string();
    assert!(setup.synology.password_is("syn42x8", &shown));
    assert!(!stderr.contains(&shown), "the password reached a log line");
    let (_, stdout, stderr) = setup.run(&text_create).await;
    assert!(!stdout.contains(&shown) && !stderr.contains(&shown));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn orders_change_the_account_and_the_ledger() {
    let setup = Setup::new().await;
    let create = [
        "create",
        "--server",
        "cloud",
        "--client-id",
        "5",
        "--service-id",
        "1",
        "--product",
        "cloud",
    ];
    assert_eq!(setup.json(&create).await.0, 0);
    let svc = service("cloud", "1");

    let (code, doc) = setup.json(&[&["suspend"][..], &svc].concat()).await;
    assert_eq!(
        (code, doc["service"]["status"].as_str()),
        (0, Some("suspended"))
    );
    assert!(!setup.nextcloud.user("nc5x1").unwrap().enabled);
    let (code, doc) = setup.json(&[&["unsuspend"][..], &svc].concat()).await;
    assert_eq!(
        (code, doc["service"]["status"].as_str()),
        (0, Some("active"))
    );
    assert!(setup.nextcloud.user("nc5x1").unwrap().enabled);

    let keyed = [&["password"][..], &svc, &["--idempotency-key", "pw-1"]].concat();
    let (code, doc) = setup.json(&keyed).await;
    assert_eq!(code, 0, "{doc}");
    let new_password = doc["password"].as_str().unwrap().to_string();
    assert!(setup.nextcloud.check_password("nc5x1", &new_password));
    // The same order again: nothing is set, and no password the account lacks is shown.
    let (code, doc) = setup.json(&keyed).await;
    assert_eq!(code, 0, "{doc}");
    assert!(doc["password"].is_null(), "{doc}");
    assert!(setup.nextcloud.check_password("nc5x1", &new_password));

    let (code, doc) = setup
        .json(&[&["change-plan"][..], &svc, &["--product", "cloud-bigger"]].concat())
        .await;
    assert_eq!(
        (code, doc["service"]["product"].as_str()),
        (0, Some("cloud-bigger"))
    );
    assert_eq!(setup.nextcloud.user("nc5x1").unwrap().quota, "2 GB");

    setup.nextcloud.set_used("nc5x1", ByteSize::new(512 << 20));
    let (code, doc) = setup.json(&[&["usage"][..], &svc].concat()).await;
    assert_eq!(code, 0, "{doc}");
    assert_eq!(doc["used_bytes"], 512u64 << 20);
    assert_eq!(doc["quota_bytes"], 2u64 << 30);
    assert_eq!(doc["percent_used"], 25);

    let (code, doc) = setup.json(&[&["terminate"][..], &svc].concat()).await;
    assert_eq!(
        (code, doc["service"]["status"].as_str()),
        (0, Some("terminated"))
    );
    assert!(setup.nextcloud.user("nc5x1").is_none());
    // Once terminated, a suspend is refused with the ledger's reason.
    let (code, doc) = setup.json(&[&["suspend"][..], &svc].concat()).await;
    assert_ne!(code, 0, "{doc}");
    assert!(doc["error"]["message"].as_str().is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sweep_records_usage_and_ends_with_the_actions_owed() {
    let setup = Setup::new().await;
    for id in ["1", "2"] {
        let create = [
            "create",
            "--server",
            "cloud",
            "--client-id",
            "9",
            "--service-id",
            id,
            "--product",
            "cloud",
        ];
        assert_eq!(setup.json(&create).await.0, 0);
    }
    // 95% of 1 GB: past notify-at 90.
    setup.nextcloud.set_used("nc9x1", ByteSize::new(1020 << 20));
    setup.nextcloud.set_used("nc9x2", ByteSize::new(1 << 20));
    let (code, doc) = setup.json(&["sweep", "--server", "cloud"]).await;
    assert_eq!(code, 0, "{doc}");
    let accounts = doc["servers"][0]["accounts"].as_array().unwrap();
    assert_eq!(accounts.len(), 2);
    let near = accounts.iter().find(|a| a["username"] == "nc9x1").unwrap();
    assert_eq!(near["state"], "near_limit");
    let pending = doc["pending_actions"].as_array().unwrap();
    assert_eq!(pending.len(), 1, "{doc}");
    assert_eq!(pending[0]["username"], "nc9x1");
    assert_eq!(pending[0]["kind"], "notify_near_limit");

    // Listing does not hold them by default; confirming removes them.
    let (_, listed) = setup.json(&["actions", "list"]).await;
    let id = listed["pending_actions"][0]["id"].as_i64().unwrap();
    let (code, confirmed) = setup.json(&["actions", "confirm", &id.to_string()]).await;
    assert_eq!((code, confirmed["confirmed"].as_u64()), (0, Some(1)));
    let (_, listed) = setup.json(&["actions", "list"]).await;
    assert_eq!(listed["pending_actions"].as_array().unwrap().len(), 0);
    // An unknown id: reported as not found (exit 4).
    let (code, _) = setup.json(&["actions", "confirm", "999999"]).await;
    assert_eq!(code, 4);

    // The sweep's samples are the history.
    let (code, history) = setup
        .json(&[
            "history",
            "--server",
            "cloud",
            "--service-id",
            "1",
            "--days",
            "3",
        ])
        .await;
    assert_eq!(code, 0, "{history}");
    let days = history["daily"].as_array().unwrap();
    assert_eq!(days.len(), 3);
    assert_eq!(days[2]["used_bytes"], 1020u64 << 20);
    assert_eq!(history["monthly"][0]["samples"], 1);

    // Plain lines on a pipe: one per server on stderr, the result on stdout.
    let (code, stdout, stderr) = setup.run(&["sweep"]).await;
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("cloud: 2 accounts read"), "{stderr}");
    assert!(stdout.contains("0 actions pending"), "{stdout}");
}

/// A webhook receiver on loopback that answers 200 and keeps each body.
async fn webhook_receiver() -> (String, Arc<std::sync::Mutex<Vec<Value>>>) {
    let received = Arc::new(std::sync::Mutex::new(Vec::new()));
    let kept = Arc::clone(&received);
    let app = axum::Router::new().route(
        "/events",
        axum::routing::post(move |body: axum::body::Bytes| {
            let kept = Arc::clone(&kept);
            async move {
                kept.lock()
                    .unwrap()
                    .push(serde_json::from_slice::<Value>(&body).unwrap());
                "ok"
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/events", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, received)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sweep_sends_what_is_owed_through_delivery_and_keeps_an_unsent_one_pending() {
    let setup = Setup::new().await;
    let create = [
        "create",
        "--server",
        "cloud",
        "--client-id",
        "9",
        "--service-id",
        "1",
        "--product",
        "cloud",
        "--email",
        "jo@example.com",
        "--language",
        "fr-CH",
    ];
    assert_eq!(setup.json(&create).await.0, 0);
    setup.nextcloud.set_used("nc9x1", ByteSize::new(1020 << 20));
    // Nothing listens on the mail server's port: the mail is not sent, and it stays owed.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let config = std::fs::read_to_string(setup.config()).unwrap();
    setup.add_to_config(&format!(
        "\n[delivery.smtp]\nhost = \"127.0.0.1\"\nport = {port}\nsecurity = \"plain\"\nfrom = \"Ex <billing@example.com>\"\ntimeout = \"5s\"\n"
    ));
    let (code, stdout, _) = setup.run(&["sweep", "--server", "cloud"]).await;
    assert_eq!(code, 10, "{stdout}");
    assert!(
        stdout.contains("0 notifications sent by smtp, 1 not sent (still pending)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("notify_near_limit cloud/1: NOT SENT: SMTP"),
        "{stdout}"
    );
    assert!(stdout.contains("1 action pending"), "{stdout}");

    // Through a webhook instead: sent, confirmed, in the customer's language.
    std::fs::write(setup.config(), config).unwrap();
    let (url, received) = webhook_receiver().await;
    std::fs::write(setup.dir.path().join("webhook.key"), "k3y").unwrap();
    setup.add_to_config(&format!(
        "\n[delivery.webhook]\nurl = \"{url}\"\nkey = {{ file = \"{}\" }}\n",
        setup.dir.path().join("webhook.key").display()
    ));
    let (code, doc) = setup.json(&["sweep", "--server", "cloud"]).await;
    assert_eq!(code, 0, "{doc}");
    assert_eq!(doc["delivery"]["channel"], "webhook");
    assert_eq!(
        doc["delivery"]["delivered"].as_array().unwrap().len(),
        1,
        "{doc}"
    );
    assert_eq!(doc["pending_actions"].as_array().unwrap().len(), 0, "{doc}");
    let events = received.lock().unwrap().clone();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["language"], "fr");
    assert_eq!(events[0]["email"], "jo@example.com");
    assert_eq!(
        events[0]["subject"],
        "Votre stockage cloud est plein à 99 %"
    );

    // A language the notifications do not have is refused before anything is made.
    let mut create = create;
    create[6] = "2";
    create[12] = "xx";
    let (code, doc) = setup.json(&create).await;
    assert_eq!(code, 2, "{doc}");
    assert!(
        doc["error"]["message"].as_str().unwrap().contains("\"xx\""),
        "{doc}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn policies_switch_on_minio_only() {
    let setup = Setup::new().await;
    let create = [
        "create",
        "--server",
        "s3",
        "--client-id",
        "3",
        "--service-id",
        "4",
        "--product",
        "s3",
    ];
    let (code, doc) = setup.json(&create).await;
    assert_eq!(code, 0, "{doc}");
    let svc = service("s3", "4");
    let (code, doc) = setup
        .json(&[&["policy", "limited"][..], &svc].concat())
        .await;
    assert_eq!(
        (code, doc["service"]["limit_override"].as_str()),
        (0, Some("limited"))
    );
    let (code, doc) = setup
        .json(&[&["policy", "update"][..], &svc].concat())
        .await;
    assert_eq!(code, 0, "{doc}");
    assert!(doc["service"]["limit_override"].is_null());
    assert!(setup.minio.request_count() > 0);

    let create = [
        "create",
        "--server",
        "cloud",
        "--client-id",
        "3",
        "--service-id",
        "4",
        "--product",
        "cloud",
    ];
    assert_eq!(setup.json(&create).await.0, 0);
    let (code, doc) = setup
        .json(&[&["policy", "limited"][..], &service("cloud", "4")].concat())
        .await;
    assert_eq!(code, 9, "{doc}");
    assert_eq!(doc["error"]["kind"], "unsupported");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_names_and_a_missing_configuration_say_what_is_wrong() {
    let setup = Setup::new().await;
    let (code, doc) = setup.json(&["groups", "nowhere"]).await;
    assert_eq!(code, 2);
    assert_eq!(doc["error"]["kind"], "usage");
    assert!(doc["error"]["message"]
        .as_str()
        .unwrap()
        .contains("cloud, nas, s3"));
    let create = [
        "create",
        "--server",
        "cloud",
        "--client-id",
        "1",
        "--service-id",
        "1",
        "--product",
        "gold",
    ];
    let (code, doc) = setup.json(&create).await;
    assert_eq!(code, 2, "{doc}");
    assert!(doc["error"]["message"]
        .as_str()
        .unwrap()
        .contains("\"gold\""));
    let (code, doc) = setup
        .json(&["usage", "--server", "cloud", "--service-id", "404"])
        .await;
    assert_eq!(code, 4, "{doc}");
    assert_eq!(doc["error"]["kind"], "not_found");
    // Nothing was sent to a server for any of these.
    assert_eq!(setup.nextcloud.request_count(), 0);

    let output = Command::cargo_bin("provision")
        .unwrap()
        .args(["check"])
        .env_remove("PROVISION_CONFIG")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--config"));

    let (code, doc) = setup.json(&["groups", "nas"]).await;
    assert_eq!(code, 0, "{doc}");
    let groups: Vec<&str> = doc["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g.as_str().unwrap())
        .collect();
    assert!(groups.contains(&"storage-10g"), "{groups:?}");
}

#[test]
fn help_shows_examples_and_exit_codes_and_completions_are_printed() {
    let output = Command::cargo_bin("provision")
        .unwrap()
        .arg("--help")
        .output()
        .unwrap();
    let help = String::from_utf8(output.stdout).unwrap();
    assert!(
        help.contains("Examples:") && help.contains("Exit codes:"),
        "{help}"
    );
    assert!(help.contains("8  transient failure"), "{help}");
    for shell in ["bash", "zsh", "fish"] {
        let output = Command::cargo_bin("provision")
            .unwrap()
            .args(["completions", shell])
            .output()
            .unwrap();
        assert!(output.status.success());
        let script = String::from_utf8(output.stdout).unwrap();
        assert!(script.contains("change-plan"), "{shell}");
    }
}

/// Starts `provision create` for service `service_id` on the Nextcloud mock (slowed
/// down), and kills it with SIGKILL once the mock has seen the account's POST: the
/// order is cut off in the middle, as by a crash or a deploy.
async fn create_killed_midway(setup: &Setup, service_id: &str) {
    setup
        .nextcloud
        .set_latency(std::time::Duration::from_millis(400));
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("provision"))
        .arg("--config")
        .arg(setup.config())
        .arg("--ledger")
        .arg(setup.ledger())
        .args(["--lock-ttl", "2s"])
        .args([
            "create",
            "--server",
            "cloud",
            "--client-id",
            "77",
            "--service-id",
            service_id,
            "--product",
            "cloud",
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !setup
        .nextcloud
        .requests()
        .iter()
        .any(|r| r.starts_with("POST") && r.contains("/cloud/users"))
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the create never reached the server"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert!(
        !status.success(),
        "the create finished before it was killed"
    );
    setup.nextcloud.set_latency(std::time::Duration::ZERO);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_create_killed_midway_and_retried_makes_one_account() {
    let setup = Setup::new().await;
    create_killed_midway(&setup, "70").await;
    let retry = [
        "create",
        "--server",
        "cloud",
        "--client-id",
        "77",
        "--service-id",
        "70",
        "--product",
        "cloud",
    ];
    let (code, doc) = setup.json(&retry).await;
    assert_eq!(code, 0, "{doc}");
    assert_eq!(doc["username"], "nc77x70");
    // The killed call never handed out its password: the retry sets one and gives it.
    let password = doc["password"]
        .as_str()
        .expect("a password for the caller who never got one");
    assert!(setup.nextcloud.check_password("nc77x70", password));
    let accounts: Vec<String> = setup
        .nextcloud
        .user_ids()
        .into_iter()
        .filter(|u| u.starts_with("nc77"))
        .collect();
    assert_eq!(accounts, ["nc77x70"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn recover_undoes_a_create_that_was_killed_midway() {
    let setup = Setup::new().await;
    create_killed_midway(&setup, "71").await;
    // The dead run's lock has not ended yet: left for later, and said so (exit 10).
    let (code, doc) = setup.json(&["recover"]).await;
    assert_eq!(code, 10, "{doc}");
    assert_eq!(doc["held"][0]["service_id"], "71", "{doc}");
    // Its lock ends two seconds after its last renewal.
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    let (code, doc) = setup.json(&["recover"]).await;
    assert_eq!(code, 0, "{doc}");
    assert_eq!(doc["undone"][0]["service_id"], "71", "{doc}");
    assert!(
        setup.nextcloud.user("nc77x71").is_none(),
        "the half-made account is removed"
    );
    let (code, doc) = setup.json(&["recover"]).await;
    assert_eq!(code, 0, "{doc}");
    assert_eq!(doc["undone"].as_array().unwrap().len(), 0);
    // The billing system's retry then creates it afresh.
    let retry = [
        "create",
        "--server",
        "cloud",
        "--client-id",
        "77",
        "--service-id",
        "71",
        "--product",
        "cloud",
    ];
    let (code, doc) = setup.json(&retry).await;
    assert_eq!(code, 0, "{doc}");
    assert!(setup
        .nextcloud
        .check_password("nc77x71", doc["password"].as_str().unwrap()));
}

#[test]
fn a_wrong_command_line_under_json_output_is_still_one_json_document() {
    let output = Command::cargo_bin("provision")
        .unwrap()
        .args(["--output", "json", "create", "--server", "cloud"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let document: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(document["error"]["kind"], "usage");
    assert!(document["error"]["message"]
        .as_str()
        .unwrap()
        .contains("--service-id"));
    // Without JSON, clap's own message on stderr.
    let output = Command::cargo_bin("provision")
        .unwrap()
        .args(["create"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn adopt_records_existing_accounts_once_and_reports_minio_buckets_that_do_not_fit() {
    let setup = Setup::new().await;
    // Accounts another billing module made.
    assert!(setup
        .nextcloud
        .add_user("legacy-jo", "legacy-Passw0rd-long"));
    let seed = provision::minio::mock::seed::Seed::from_json(serde_json::json!({
        "users": [
            {"access_key": "ann", "secret_key": "ann-secret-key", "policies": ["legacy-ann"]},
            {"access_key": "bob", "secret_key": "bob-secret-key", "policies": ["legacy-bob"]}
        ],
        "policies": [
            {"name": "legacy-ann", "document": {"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": ["s3:*"],
                 "Resource": ["arn:aws:s3:::ann", "arn:aws:s3:::ann/*", "arn:aws:s3:::ann-backup/*"]}]}},
            {"name": "legacy-bob", "document": {"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": ["s3:*"],
                 "Resource": ["arn:aws:s3:::bob", "arn:aws:s3:::bob/*"]}]}}
        ]
    }))
    .unwrap();
    setup.minio.load_seed(&seed).unwrap();

    let adopt =
        |server: &'static str, service: &'static str, product: &'static str, user: &'static str| {
            [
                "adopt",
                "--server",
                server,
                "--client-id",
                "9",
                "--service-id",
                service,
                "--product",
                product,
                "--username",
                user,
            ]
        };
    let (code, doc) = setup
        .json(&adopt("cloud", "90", "cloud", "legacy-jo"))
        .await;
    assert_eq!(code, 0, "{doc}");
    assert_eq!(doc["outcome"], "recorded");
    assert_eq!(doc["service"]["status"], "active");
    let (code, doc) = setup
        .json(&adopt("cloud", "90", "cloud", "legacy-jo"))
        .await;
    assert_eq!(
        (code, doc["outcome"].as_str()),
        (0, Some("already_recorded")),
        "{doc}"
    );
    // Another service cannot take the same account.
    let (code, doc) = setup
        .json(&adopt("cloud", "91", "cloud", "legacy-jo"))
        .await;
    assert_eq!(code, 5, "{doc}");
    // A missing account is not recorded.
    let (code, doc) = setup
        .json(&adopt("cloud", "92", "cloud", "nobody-here"))
        .await;
    assert_eq!(code, 4, "{doc}");
    // The adopted service takes orders.
    let (code, doc) = setup
        .json(&[&["suspend"][..], &service("cloud", "90")].concat())
        .await;
    assert_eq!(code, 0, "{doc}");
    assert!(!setup.nextcloud.user("legacy-jo").unwrap().enabled);

    let before = setup.minio.request_count();
    let (code, doc) = setup.json(&adopt("s3", "93", "s3", "ann")).await;
    assert_eq!(code, 3, "{doc}");
    assert_eq!(doc["outcome"], "does_not_fit");
    assert_eq!(doc["resources"], serde_json::json!(["ann-backup"]));
    assert!(doc["service"].is_null());
    let (code, doc) = setup
        .json(&["usage", "--server", "s3", "--service-id", "93"])
        .await;
    assert_eq!(code, 4, "nothing recorded: {doc}");
    let changes = setup.minio.changing_requests_since(before);
    assert!(changes.is_empty(), "adopt changed MinIO: {changes:?}");
    let (code, doc) = setup.json(&adopt("s3", "94", "s3", "bob")).await;
    assert_eq!(
        (code, doc["outcome"].as_str()),
        (0, Some("recorded")),
        "{doc}"
    );
}
