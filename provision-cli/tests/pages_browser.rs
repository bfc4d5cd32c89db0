//! The pages in a real browser: Debian's Chromium driven through chromedriver
//! (WebDriver, with fantoccini). Each check reads what the browser laid out: the
//! pie's arcs against the table, one column per day with data, each password mode,
//! the copy buttons, refused links, right-to-left layout in Arabic, Hebrew and Farsi.
//! A screenshot of each page is written under `target/screenshots/`.
//!
//! Without /usr/bin/chromium and /usr/bin/chromedriver the test says why and returns;
//! under CI (`CI` set) it fails instead: `.ci/run` installs them.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use chrono::Utc;
use common::Harness;
use fantoccini::{Client, ClientBuilder, Locator};
use provision::core::ByteSize;
use serde_json::{json, Value};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// chromedriver on a free port, stopped when dropped.
struct Driver {
    child: Child,
    port: u16,
    _profile: tempfile::TempDir,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn browser_available() -> bool {
    let present = Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists();
    if !present {
        assert!(
            std::env::var_os("CI").is_none(),
            "{CHROMIUM} or {CHROMEDRIVER} is missing: CI must install chromium and chromium-driver (see .ci/run)"
        );
        eprintln!("skipped: {CHROMIUM} or {CHROMEDRIVER} is missing (apt-get install chromium chromium-driver)");
    }
    present
}

async fn start_driver() -> (Driver, Client) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let profile = tempfile::tempdir().unwrap();
    let driver = Driver {
        child,
        port,
        _profile: profile,
    };
    // chromedriver answers once it listens.
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": CHROMIUM,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
                "--window-size=1000,1400",
                format!("--user-data-dir={}", driver._profile.path().display()),
            ],
        }),
    );
    // The workspace's rustls has ring, not the default aws-lc: name it.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = ClientBuilder::rustls()
        .unwrap()
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .unwrap();
    (driver, client)
}

fn screenshots() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

async fn screenshot(client: &Client, name: &str) {
    let png = client.screenshot().await.unwrap();
    std::fs::write(screenshots().join(format!("{name}.png")), png).unwrap();
}

async fn create(h: &Harness, product: &str, service: &str) -> String {
    let (status, body) = h
        .post(
            "/v1/services",
            &h.provision,
            json!({"server": "cloud", "service_id": service, "client_id": "42", "product": product}),
        )
        .await;
    assert_eq!(status.as_u16(), 201, "{body}");
    body["username"].as_str().unwrap().to_string()
}

async fn link(h: &Harness, service: &str, role: &str, language: &str) -> Value {
    let (status, body) = h
        .post(
            "/v1/pages/links",
            &h.admin,
            json!({"server": "cloud", "service_id": service, "role": role, "language": language, "time_zone": "Europe/Berlin"}),
        )
        .await;
    assert_eq!(status.as_u16(), 201, "{body}");
    body
}

/// Opens the client page as the billing system would: a POST whose body carries the
/// password (from a same-origin page, so that the browser renders the answer).
async fn open_with_password(client: &Client, h: &Harness, answer: &Value, password: &str) {
    client
        .goto(&format!("{}{}", h.base, answer["path"].as_str().unwrap()))
        .await
        .unwrap();
    let action = answer["path"]
        .as_str()
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_string();
    client
        .execute(
            "const [action, link, password] = arguments;
             const form = document.createElement('form');
             form.method = 'post'; form.action = action;
             for (const [name, value] of [['link', link], ['password', password]]) {
               const input = document.createElement('input');
               input.type = 'hidden'; input.name = name; input.value = value;
               form.appendChild(input);
             }
             document.body.appendChild(form); form.submit();",
            vec![json!(action), answer["link"].clone(), json!(password)],
        )
        .await
        .unwrap();
    client.wait().for_element(Locator::Css("h1")).await.unwrap();
    // The new document, not the one the form was submitted from.
    for _ in 0..50 {
        if client
            .find(Locator::Css("form[method=post][action]"))
            .await
            .is_err()
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn computed(client: &Client, selector: &str, property: &str) -> String {
    client
        .execute(
            "return getComputedStyle(document.querySelector(arguments[0]))[arguments[1]];",
            vec![json!(selector), json!(property)],
        )
        .await
        .unwrap()
        .as_str()
        .unwrap_or_default()
        .to_string()
}

async fn record_days(h: &Harness, username: &str, days: &[i64]) {
    h.record_daily_usage("cloud", username, days, |day| {
        ByteSize::new((1u64 << 30) + ((day as u64) << 26))
    })
    .await;
}

/// The end point of an SVG slice path `M cx,cy L x0,y0 A r,r 0 large,1 x1,y1 Z`, as a
/// fraction of a clockwise turn from the top.
fn slice_end_fraction(d: &str) -> f64 {
    let arc = d.split('A').nth(1).unwrap();
    let end = arc.split_whitespace().nth(3).unwrap();
    let (x, y) = end.split_once(',').unwrap();
    let (x, y): (f64, f64) = (
        x.parse().unwrap(),
        y.trim_end_matches('Z').trim().parse().unwrap(),
    );
    let angle = (x - 100.0).atan2(100.0 - y);
    let turn = angle / std::f64::consts::TAU;
    if turn < 0.0 {
        turn + 1.0
    } else {
        turn
    }
}

#[tokio::test]
async fn the_pages_render_and_behave_in_chromium() {
    if !browser_available() {
        return;
    }
    let h = Harness::start().await;
    let (_driver, client) = start_driver().await;
    let password = "Pw-in-the-body-only-4711";

    // Button mode, 3.5 GB of 10 GB used, usage on 12 of the last 30 days.
    let username = create(&h, "cloud", "1").await;
    h.nextcloud.set_used(&username, ByteSize::new(7 << 29));
    let days = [0, 1, 2, 3, 5, 8, 9, 13, 17, 21, 25, 28];
    record_days(&h, &username, &days).await;
    let answer = link(&h, "1", "client", "en").await;
    open_with_password(&client, &h, &answer, password).await;
    screenshot(&client, "client-en").await;

    // The pie's used arc ends at the table's used share.
    let used = client
        .find(Locator::Css("#space-pie path[data-part=used]"))
        .await
        .unwrap();
    let d = used.attr("d").await.unwrap().unwrap();
    let shown: f64 = client
        .find(Locator::Css("td[data-cell=used-percent]"))
        .await
        .unwrap()
        .attr("data-value")
        .await
        .unwrap()
        .unwrap()
        .parse()
        .unwrap();
    let fraction = slice_end_fraction(&d);
    assert!(
        (fraction * 100.0 - 35.0).abs() < 0.01 && shown == 35.0,
        "the used arc ends at {fraction}, the table says {shown} %"
    );
    let free = client
        .find(Locator::Css("#space-pie path[data-part=free]"))
        .await
        .unwrap();
    let free_d = free.attr("d").await.unwrap().unwrap();
    assert!(
        free_d.contains(" 1,1 "),
        "the free arc is the larger one: {free_d}"
    );
    let title = client
        .find(Locator::Css("#space-pie > title"))
        .await
        .unwrap();
    assert_eq!(title.html(true).await.unwrap(), "Used and free space");

    // One column for each day with data (a day of the 30 is one column or none).
    let columns = client
        .find_all(Locator::Css("#daily-chart rect.column"))
        .await
        .unwrap();
    assert_eq!(columns.len(), days.len());
    assert!(client
        .find(Locator::Css("#daily-chart > desc"))
        .await
        .is_ok());
    assert!(client
        .find(Locator::Css("#monthly-chart rect.column"))
        .await
        .is_ok());

    // Button mode: hidden until the button is pressed.
    let secret = client.find(Locator::Css("#password")).await.unwrap();
    assert!(
        !secret.is_displayed().await.unwrap(),
        "shown before the button"
    );
    client
        .find(Locator::Css("#show-password"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    assert!(
        secret.is_displayed().await.unwrap(),
        "not shown after the button"
    );
    assert_eq!(secret.text().await.unwrap(), password);
    screenshot(&client, "client-en-password-shown").await;

    // The copy buttons are there and shown (the script ran).
    let mut shown_buttons = 0;
    for button in client.find_all(Locator::Css("button.copy")).await.unwrap() {
        if button.is_displayed().await.unwrap() {
            shown_buttons += 1;
        }
    }
    assert!(
        shown_buttons >= 3,
        "{shown_buttons} copy buttons shown (web address, user name, password)"
    );
    assert_eq!(
        computed(&client, ".provision-page", "direction").await,
        "ltr"
    );

    // Plain mode: shown as it is.
    create(&h, "cloud-plain", "2").await;
    let answer = link(&h, "2", "client", "de").await;
    open_with_password(&client, &h, &answer, password).await;
    let secret = client.find(Locator::Css("#password")).await.unwrap();
    assert!(secret.is_displayed().await.unwrap());
    assert_eq!(secret.text().await.unwrap(), password);
    screenshot(&client, "client-de-plain").await;

    // Hidden: nowhere in the document, though the body carried it.
    create(&h, "cloud-hidden", "3").await;
    let answer = link(&h, "3", "client", "fr").await;
    open_with_password(&client, &h, &answer, password).await;
    let source = client.source().await.unwrap();
    assert!(
        !source.contains(password),
        "the hidden password is in the DOM"
    );
    assert!(client.find(Locator::Css("#password")).await.is_err());
    screenshot(&client, "client-fr-hidden-unlimited").await;

    // Right to left in Arabic, Hebrew and Farsi.
    for language in ["ar", "he", "fa"] {
        let answer = link(&h, "1", "client", language).await;
        client
            .goto(&format!("{}{}", h.base, answer["path"].as_str().unwrap()))
            .await
            .unwrap();
        assert_eq!(
            computed(&client, ".provision-page", "direction").await,
            "rtl",
            "{language}"
        );
        assert_eq!(
            computed(&client, "html", "direction").await,
            "rtl",
            "{language}"
        );
        screenshot(&client, &format!("client-{language}")).await;
    }

    // The admin page.
    let answer = link(&h, "1", "admin", "en").await;
    client
        .goto(&format!("{}{}", h.base, answer["path"].as_str().unwrap()))
        .await
        .unwrap();
    assert!(client
        .find(Locator::Css("#connection[data-ok=true]"))
        .await
        .is_ok());
    assert!(client
        .find(Locator::Css("progress#usage-bar"))
        .await
        .is_ok());
    screenshot(&client, "admin-en").await;
    client
        .find(Locator::Css("button[data-action=suspend]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let outcome = client
        .wait()
        .for_element(Locator::Css("#outcome"))
        .await
        .unwrap();
    assert_eq!(
        outcome.attr("data-ok").await.unwrap().as_deref(),
        Some("true")
    );
    screenshot(&client, "admin-en-suspended").await;

    // Expired and altered links are refused with a page that says so.
    let answer = link(&h, "1", "client", "en").await;
    let path = answer["path"].as_str().unwrap();
    let altered = path.replacen("link=", "link=x", 1);
    client.goto(&format!("{}{altered}", h.base)).await.unwrap();
    let reason = client.find(Locator::Css("#reason")).await.unwrap();
    assert!(reason.text().await.unwrap().contains("not valid"));
    screenshot(&client, "refused-altered").await;
    let claims = provision_cli::serve::pages::links::LinkClaims {
        server: "cloud".into(),
        service_id: "1".into(),
        role: provision_cli::serve::pages::links::Role::Client,
        language: provision::core::i18n::Language::English,
        time_zone: "UTC".into(),
        expires: Utc::now().timestamp() - 5,
    };
    let expired = provision_cli::serve::pages::links::LinkKey::new(&h.pages_key)
        .unwrap()
        .sign(&claims);
    client
        .goto(&format!("{}/pages/cloud/1/client?link={expired}", h.base))
        .await
        .unwrap();
    let reason = client.find(Locator::Css("#reason")).await.unwrap();
    assert!(reason.text().await.unwrap().contains("expired"));
    screenshot(&client, "refused-expired").await;

    client.close().await.unwrap();
}
