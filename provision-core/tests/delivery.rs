//! The outbox delivered for real: a sweep's actions sent by SMTP to an aiosmtpd server
//! process the test starts, and by a signed webhook to a local receiver.
//!
//! The SMTP tests need aiosmtpd (pinned in `tests/smtp/requirements.txt`) in the venv
//! that `PROVISION_TEST_SMTP_VENV` names (`.ci/run` makes it). Without it they print
//! why and return; under CI (`CI` set) they fail instead.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use provision_core::config::SecretSource;
use provision_core::cycle::BillingCycle;
use provision_core::delivery::compose::Composer;
use provision_core::delivery::outbox::deliver_pending;
use provision_core::delivery::settings::{SmtpSecurity, SmtpSettings, WebhookSettings};
use provision_core::delivery::smtp::SmtpNotifier;
use provision_core::delivery::webhook::{
    signature, WebhookNotifier, DELIVERY_HEADER, SIGNATURE_HEADER,
};
use provision_core::delivery::DeliveryError;
use provision_core::i18n::{format_decimal, Language};
use provision_core::ledger::{ServerId, SqlLedger};
use provision_core::memory::InMemoryProvider;
use provision_core::options::RetryConfig;
use provision_core::provisioner::{ProductConfig, ServiceContext};
use provision_core::threshold::ThresholdAction;
use provision_core::ByteSize;
use secrecy::SecretString;
use serde_json::Value;

const GB: u64 = 1 << 30;
const VENV_VARIABLE: &str = "PROVISION_TEST_SMTP_VENV";

fn server() -> ServerId {
    ServerId::new("files").unwrap()
}

fn product() -> ProductConfig {
    ProductConfig::new("cust{client_id}", "16", "10 GB")
        .unwrap()
        .notify_at(80)
}

/// A cycle with a German customer at 9.5 of 10 GB (near the limit) and an Arabic one at
/// 12 GB (over it), swept: two actions pending.
async fn swept_cycle() -> (BillingCycle, Composer) {
    let provider = Arc::new(InMemoryProvider::new());
    let ledger = Arc::new(SqlLedger::sqlite_in_memory().await.unwrap());
    let cycle = BillingCycle::new(ledger)
        .with_server(server(), provider.clone())
        .with_product("cloud", product());
    let orders = [
        (
            "1",
            "de@example.com",
            "de-AT",
            "Jörg Müller",
            9 * GB + GB / 2,
        ),
        ("2", "ar@example.com", "ar", "ليلى", 12 * GB),
    ];
    for (id, email, language, name, used) in orders {
        let mut ctx = ServiceContext::new(id, id)
            .with_email(email)
            .with_display_name(name)
            .with_language(language);
        ctx.service_id = format!("s{id}");
        let created = cycle.create(&server(), &ctx, "cloud").await.unwrap();
        provider.set_used(&created.username, ByteSize::new(used));
    }
    cycle.sweep(&server(), Utc::now()).await.unwrap();
    let products = BTreeMap::from([("cloud".to_string(), product())]);
    (cycle, Composer::new(products, "-- Example Hosting"))
}

async fn pending_count(cycle: &BillingCycle) -> usize {
    // A zero lease looks without holding anything.
    cycle
        .pending_actions(100, Duration::ZERO)
        .await
        .unwrap()
        .len()
}

/// The venv's python with aiosmtpd, or None (the reason printed) outside CI.
fn smtp_python() -> Option<PathBuf> {
    let Some(venv) = std::env::var_os(VENV_VARIABLE) else {
        assert!(
            std::env::var_os("CI").is_none(),
            "{VENV_VARIABLE} is not set: CI must make the aiosmtpd venv (see .ci/run)"
        );
        eprintln!("skipped: {VENV_VARIABLE} is not set, so no aiosmtpd to send to");
        return None;
    };
    let python = Path::new(&venv).join("bin/python");
    assert!(python.exists(), "{VENV_VARIABLE}: no {}", python.display());
    Some(python)
}

/// The aiosmtpd sink, killed when dropped.
struct SmtpSink {
    child: Child,
    out: PathBuf,
}

impl SmtpSink {
    fn start(python: &Path, port: u16, out: &Path) -> SmtpSink {
        SmtpSink::start_with(python, port, out, &[])
    }

    /// `tls`: `["starttls" | "tls", cert.pem, key.pem]`.
    fn start_with(python: &Path, port: u16, out: &Path, tls: &[&Path]) -> SmtpSink {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/smtp/sink.py");
        let mut child = Command::new(python)
            .arg(script)
            .arg(port.to_string())
            .arg(out)
            .args(tls)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert_eq!(line.trim(), "ready", "the SMTP sink did not start");
        SmtpSink {
            child,
            out: out.to_path_buf(),
        }
    }

    fn messages(&self) -> Vec<Value> {
        std::fs::read_to_string(&self.out)
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

fn smtp_settings(port: u16) -> SmtpSettings {
    SmtpSettings {
        host: "127.0.0.1".into(),
        port,
        security: SmtpSecurity::Plain,
        login: None,
        from: "Example Hosting <billing@example.com>".into(),
        reply_to: Some("support@example.com".into()),
        ca_file: None,
        timeout: Duration::from_secs(10),
    }
}

#[tokio::test]
async fn smtp_sends_in_the_customers_language_only_after_the_server_is_up_and_once() {
    let Some(python) = smtp_python() else {
        return;
    };
    let (cycle, composer) = swept_cycle().await;
    assert_eq!(pending_count(&cycle).await, 2);
    let port = free_port();
    let notifier = SmtpNotifier::with_password(&smtp_settings(port), None).unwrap();
    let lease = Duration::from_secs(300);

    // The server is down: nothing is confirmed, and both are handed out again at once.
    let report = deliver_pending(&cycle, &notifier, &composer, 100, lease)
        .await
        .unwrap();
    assert!(report.delivered.is_empty());
    assert_eq!(report.undelivered.len(), 2);
    for undelivered in &report.undelivered {
        assert!(
            matches!(
                undelivered.error,
                DeliveryError::Smtp {
                    permanent: false,
                    ..
                }
            ),
            "{:?}",
            undelivered.error
        );
    }
    assert_eq!(pending_count(&cycle).await, 2);

    let dir = std::env::temp_dir().join(format!("provision-smtp-{}-{port}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("messages.jsonl");
    let _ = std::fs::remove_file(&out);
    let sink = SmtpSink::start(&python, port, &out);

    let report = deliver_pending(&cycle, &notifier, &composer, 100, lease)
        .await
        .unwrap();
    assert_eq!(report.delivered.len(), 2, "{:?}", report.undelivered);
    assert_eq!(pending_count(&cycle).await, 0);
    // A further run sends nothing more: each action went out once.
    let report = deliver_pending(&cycle, &notifier, &composer, 100, lease)
        .await
        .unwrap();
    assert!(report.delivered.is_empty() && report.undelivered.is_empty());

    let messages = sink.messages();
    assert_eq!(messages.len(), 2, "{messages:#?}");
    let to = |address: &str| {
        messages
            .iter()
            .find(|m| m["rcpt_tos"][0] == address)
            .unwrap_or_else(|| panic!("no message to {address}: {messages:#?}"))
    };
    let german = to("de@example.com");
    assert_eq!(german["subject"], "Ihr Speicher cloud ist zu 95 % belegt");
    assert_eq!(german["content_language"], "de");
    assert_eq!(german["from"], "Example Hosting <billing@example.com>");
    assert_eq!(german["reply_to"], "support@example.com");
    let body = german["body"].as_str().unwrap();
    assert!(body.starts_with("Hallo Jörg Müller,\n\n"), "{body}");
    assert!(
        body.contains("belegt jetzt 9,5 GB von 10 GB (95 %). Frei sind noch 0,5 GB."),
        "{body}"
    );
    assert!(body.trim_end().ends_with("-- Example Hosting"), "{body}");

    let arabic = to("ar@example.com");
    assert_eq!(arabic["subject"], "تجاوزت مساحة التخزين cloud حدّها");
    assert_eq!(arabic["content_language"], "ar");
    let body = arabic["body"].as_str().unwrap();
    assert!(body.starts_with("عزيزي العميل ليلى،"), "{body}");
    let twelve = format_decimal(Language::Arabic, "12");
    let ten = format_decimal(Language::Arabic, "10");
    assert!(
        body.contains(&format!(
            "على {twelve} GB، وهذا أكثر من حدّه البالغ {ten} GB"
        )),
        "{body}"
    );
    assert!(body.contains("تم تقييد الحساب."), "{body}");
    drop(sink);
    let _ = std::fs::remove_dir_all(dir);
}

/// A CA and a certificate for `localhost` signed by it, as PEM files in `dir`:
/// (ca.pem, cert.pem, key.pem).
fn certificates(dir: &Path) -> (PathBuf, PathBuf, PathBuf) {
    use rcgen::{BasicConstraints, CertificateParams, IsCa, KeyPair};
    let ca_key = KeyPair::generate().unwrap();
    let mut ca_params = CertificateParams::new(Vec::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca = ca_params.self_signed(&ca_key).unwrap();
    let key = KeyPair::generate().unwrap();
    let cert = CertificateParams::new(vec!["localhost".to_string()])
        .unwrap()
        .signed_by(&key, &ca, &ca_key)
        .unwrap();
    let paths = (
        dir.join("ca.pem"),
        dir.join("cert.pem"),
        dir.join("key.pem"),
    );
    std::fs::write(&paths.0, ca.pem()).unwrap();
    std::fs::write(&paths.1, cert.pem()).unwrap();
    std::fs::write(&paths.2, key.serialize_pem()).unwrap();
    paths
}

#[tokio::test]
async fn starttls_and_implicit_tls_are_verified_against_the_configured_ca() {
    let Some(python) = smtp_python() else {
        return;
    };
    let dir = std::env::temp_dir().join(format!("provision-smtp-tls-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (ca, cert, key) = certificates(&dir);
    for (mode, security) in [
        ("starttls", SmtpSecurity::Starttls),
        ("tls", SmtpSecurity::Tls),
    ] {
        let (cycle, composer) = swept_cycle().await;
        let port = free_port();
        let out = dir.join(format!("{mode}.jsonl"));
        let _ = std::fs::remove_file(&out);
        let sink = SmtpSink::start_with(&python, port, &out, &[Path::new(mode), &cert, &key]);
        let settings = SmtpSettings {
            host: "localhost".into(),
            security,
            ..smtp_settings(port)
        };
        // Without the CA the certificate is not trusted: nothing is sent, nothing lost.
        let untrusting = SmtpNotifier::with_password(&settings, None).unwrap();
        let report = deliver_pending(&cycle, &untrusting, &composer, 100, Duration::from_secs(60))
            .await
            .unwrap();
        assert_eq!(report.undelivered.len(), 2, "{mode}");
        assert_eq!(pending_count(&cycle).await, 2);
        assert!(sink.messages().is_empty(), "{mode}");

        let trusting = SmtpSettings {
            ca_file: Some(ca.clone()),
            ..settings
        };
        let notifier = SmtpNotifier::with_password(&trusting, None).unwrap();
        let report = deliver_pending(&cycle, &notifier, &composer, 100, Duration::from_secs(60))
            .await
            .unwrap();
        assert_eq!(
            report.delivered.len(),
            2,
            "{mode}: {:?}",
            report.undelivered
        );
        assert_eq!(sink.messages().len(), 2, "{mode}");
        drop(sink);
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn an_operators_template_is_sent_as_written() {
    let Some(python) = smtp_python() else {
        return;
    };
    let provider = Arc::new(InMemoryProvider::new());
    let ledger = Arc::new(SqlLedger::sqlite_in_memory().await.unwrap());
    let config = provision_core::config::Config::from_toml(
        r#"
        [products.cloud]
        name_rule = "cust{client_id}"
        password_rule = 16
        quota = 10
        unit = "GB"
        notify_at = 80
        merge_fields = ["client_company"]
        [products.cloud.templates]
        near_limit = "Subject: {$disk_used_percentage} % - {$username}\n\nDear {$client_name}{$client_company},\nDisk limit: {$disk_limit_bytes*$unit_coefficient} {$unit}\nDisk used: {$disk_used_unit} {$unit} ({$disk_used_percentage} %)\nDisk free: {$disk_free_unit} {$unit} ({$disk_free_percentage} %)\n{$signature}"
        "#,
    )
    .unwrap();
    let cycle = BillingCycle::new(ledger)
        .with_server(server(), provider.clone())
        .with_product("cloud", config.products["cloud"].clone());
    let ctx = ServiceContext::new("7", "s7")
        .with_email("jo@example.com")
        .with_display_name("Jo")
        .with_language("fr");
    let created = cycle.create(&server(), &ctx, "cloud").await.unwrap();
    provider.set_used(&created.username, ByteSize::new(9 * GB + GB / 2));
    cycle.sweep(&server(), Utc::now()).await.unwrap();

    let port = free_port();
    let dir = std::env::temp_dir().join(format!("provision-smtp-{}-{port}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("messages.jsonl");
    let _ = std::fs::remove_file(&out);
    let sink = SmtpSink::start(&python, port, &out);
    let notifier = SmtpNotifier::with_password(&smtp_settings(port), None).unwrap();
    let composer = Composer::new(config.products.clone(), "-- Example Hosting");
    let report = deliver_pending(&cycle, &notifier, &composer, 100, Duration::from_secs(60))
        .await
        .unwrap();
    assert_eq!(report.delivered.len(), 1, "{:?}", report.undelivered);
    let messages = sink.messages();
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0]["subject"], "95 % - cust7");
    assert_eq!(
        messages[0]["body"].as_str().unwrap().trim_end(),
        "Dear Jo,\nDisk limit: 10 GB\nDisk used: 9.5 GB (95 %)\nDisk free: 0.5 GB (5 %)\n-- Example Hosting"
    );
    drop(sink);
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn a_service_without_an_address_stays_pending_and_says_why() {
    let provider = Arc::new(InMemoryProvider::new());
    let ledger = Arc::new(SqlLedger::sqlite_in_memory().await.unwrap());
    let cycle = BillingCycle::new(ledger)
        .with_server(server(), provider.clone())
        .with_product("cloud", product());
    let created = cycle
        .create(&server(), &ServiceContext::new("9", "s9"), "cloud")
        .await
        .unwrap();
    provider.set_used(&created.username, ByteSize::new(9 * GB));
    cycle.sweep(&server(), Utc::now()).await.unwrap();
    let notifier = SmtpNotifier::with_password(&smtp_settings(free_port()), None).unwrap();
    let composer = Composer::new(BTreeMap::from([("cloud".into(), product())]), "");
    let report = deliver_pending(&cycle, &notifier, &composer, 10, Duration::from_secs(60))
        .await
        .unwrap();
    assert_eq!(report.undelivered.len(), 1);
    assert!(matches!(
        report.undelivered[0].error,
        DeliveryError::NoAddress { .. }
    ));
    assert!(report.undelivered[0]
        .error
        .to_string()
        .contains("no e-mail address"));
    assert_eq!(pending_count(&cycle).await, 1);
}

/// A wiremock matcher that accepts only requests signed with `key` over their body.
struct SignedWith(&'static [u8]);

impl wiremock::Match for SignedWith {
    fn matches(&self, request: &wiremock::Request) -> bool {
        let Some(header) = request.headers.get(SIGNATURE_HEADER) else {
            return false;
        };
        let Ok(header) = header.to_str() else {
            return false;
        };
        let mut timestamp = None;
        let mut v1 = None;
        for part in header.split(',') {
            match part.split_once('=') {
                Some(("t", t)) => timestamp = t.parse::<i64>().ok(),
                Some(("v1", s)) => v1 = Some(s.to_string()),
                _ => {}
            }
        }
        let (Some(timestamp), Some(v1)) = (timestamp, v1) else {
            return false;
        };
        (Utc::now().timestamp() - timestamp).abs() < 300
            && signature(self.0, timestamp, &request.body) == v1
    }
}

fn webhook_settings(url: &str, retry: RetryConfig) -> WebhookSettings {
    WebhookSettings {
        url: url.parse().unwrap(),
        key: SecretSource::Env("PROVISION_TEST_UNUSED_WEBHOOK_KEY".into()),
        timeout: Duration::from_secs(5),
        retry,
    }
}

fn quick_retries() -> RetryConfig {
    RetryConfig::default()
        .with_max_retries(3)
        .with_initial_backoff(Duration::from_millis(10))
        .with_max_backoff(Duration::from_millis(50))
}

#[tokio::test]
async fn the_webhook_is_signed_retried_after_503_and_confirmed_after_200() {
    use wiremock::matchers::{header_exists, method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let receiver = MockServer::start().await;
    const KEY: &[u8] = b"webhook-test-key";
    Mock::given(method("POST"))
        .and(path("/events"))
        .and(SignedWith(KEY))
        .and(header_exists(DELIVERY_HEADER))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(2)
        .with_priority(1)
        .mount(&receiver)
        .await;
    Mock::given(method("POST"))
        .and(path("/events"))
        .and(SignedWith(KEY))
        .respond_with(ResponseTemplate::new(200))
        .with_priority(2)
        .mount(&receiver)
        .await;

    let (cycle, composer) = swept_cycle().await;
    let settings = webhook_settings(&format!("{}/events", receiver.uri()), quick_retries());
    let notifier =
        WebhookNotifier::with_key(&settings, SecretString::from("webhook-test-key")).unwrap();
    let report = deliver_pending(&cycle, &notifier, &composer, 100, Duration::from_secs(60))
        .await
        .unwrap();
    assert_eq!(report.delivered.len(), 2, "{:?}", report.undelivered);
    assert_eq!(pending_count(&cycle).await, 0);

    let requests = receiver.received_requests().await.unwrap();
    // The first action: 503, 503, 200; the second: 200.
    assert_eq!(requests.len(), 4);
    let first: Vec<_> = requests
        .iter()
        .filter(|r| r.headers.get(DELIVERY_HEADER) == requests[0].headers.get(DELIVERY_HEADER))
        .collect();
    assert_eq!(first.len(), 3, "the same delivery id on each retry");
    let events: Vec<Value> = requests
        .iter()
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect();
    let german = events
        .iter()
        .find(|e| e["email"] == "de@example.com")
        .unwrap();
    assert_eq!(german["event"], ThresholdAction::NotifyNearLimit.code());
    assert_eq!(german["language"], "de");
    assert_eq!(german["subject"], "Ihr Speicher cloud ist zu 95 % belegt");
    assert_eq!(german["values"]["disk_used_percentage"], "95");
    let arabic = events
        .iter()
        .find(|e| e["email"] == "ar@example.com")
        .unwrap();
    assert_eq!(arabic["event"], "limit_exceeded");
    assert_eq!(arabic["server"], "files");
}

#[tokio::test]
async fn a_webhook_4xx_is_permanent_and_not_retried_and_the_action_stays_pending() {
    use wiremock::matchers::method;
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let receiver = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(422).set_body_string("unknown service"))
        .mount(&receiver)
        .await;
    let (cycle, composer) = swept_cycle().await;
    let settings = webhook_settings(&receiver.uri(), quick_retries());
    let notifier = WebhookNotifier::with_key(&settings, SecretString::from("k")).unwrap();
    let report = deliver_pending(&cycle, &notifier, &composer, 100, Duration::from_secs(60))
        .await
        .unwrap();
    assert_eq!(report.undelivered.len(), 2);
    assert!(matches!(
        &report.undelivered[0].error,
        DeliveryError::Rejected { status: 422, body } if body == "unknown service"
    ));
    assert_eq!(receiver.received_requests().await.unwrap().len(), 2);
    assert_eq!(pending_count(&cycle).await, 2);
}
