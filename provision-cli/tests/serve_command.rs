//! `provision serve` as a user runs it: its refusals before listening, and `serve
//! token`.

use assert_cmd::Command;
use predicates::prelude::*;

fn provision() -> Command {
    Command::cargo_bin("provision").unwrap()
}

#[test]
fn plain_http_on_a_public_address_is_refused_before_listening() {
    let dir = tempfile::tempdir().unwrap();
    let tokens = dir.path().join("tokens");
    std::fs::write(
        &tokens,
        "sha256:0000000000000000000000000000000000000000000000000000000000000000 read x\n",
    )
    .unwrap();
    provision()
        .args(["serve", "--listen", "0.0.0.0:0", "--tokens"])
        .arg(&tokens)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("refusing plain HTTP on 0.0.0.0:0"));
}

#[test]
fn serving_without_a_tokens_file_is_refused() {
    provision()
        .env_remove("PROVISION_TOKENS")
        .args(["serve", "--listen", "127.0.0.1:0"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no tokens file"));
}

#[test]
fn a_token_is_printed_once_and_its_line_holds_only_its_digest() {
    let output = provision()
        .args([
            "--output",
            "json",
            "serve",
            "token",
            "--scope",
            "provision",
            "--name",
            "billing",
        ])
        .output()
        .unwrap();
    assert!(output.status.success());
    let document: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let token = document["token"].as_str().unwrap();
    let line = document["line"].as_str().unwrap();
    assert!(token.starts_with("prv_") && token.len() == 68, "{token}");
    assert!(
        line.starts_with("sha256:") && line.ends_with(" provision billing"),
        "{line}"
    );
    assert!(!line.contains(&token[4..]));
    let text = provision()
        .args(["serve", "token", "--scope", "read"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(text.stdout).unwrap();
    let stderr = String::from_utf8(text.stderr).unwrap();
    assert!(stdout.trim_end().ends_with(" read token"), "{stdout}");
    assert!(
        !stdout.contains("prv_"),
        "the token stays off standard output: {stdout}"
    );
    assert!(stderr.contains("prv_"), "{stderr}");
}

#[test]
fn the_openapi_command_prints_the_committed_document() {
    provision()
        .args(["serve", "openapi"])
        .assert()
        .success()
        .stdout(predicate::eq(include_str!("../openapi.json")));
}

#[test]
fn the_command_mints_a_page_link_the_service_accepts_and_refuses_without_a_key() {
    use provision_cli::serve::pages::links::{LinkKey, Role};
    let dir = tempfile::tempdir().unwrap();
    let key = "a page-link key of thirty-two bytes or more";
    std::fs::write(dir.path().join("pages-key"), key).unwrap();
    let server = "[servers.cloud]\nbackend = \"nextcloud\"\nurl = \"https://cloud.example.com\"\n\
                  user = \"admin\"\npassword = { env = \"UNUSED_IN_THIS_TEST\" }\n";
    let with_key = dir.path().join("with-key.toml");
    std::fs::write(
        &with_key,
        format!(
            "{server}[pages]\nkey = {{ file = \"{}\" }}\nlink_lifetime = \"5m\"\n",
            dir.path().join("pages-key").display()
        ),
    )
    .unwrap();
    let link = |config: &std::path::Path, role: &str| {
        provision()
            .arg("--config")
            .arg(config)
            .args([
                "--output",
                "json",
                "serve",
                "link",
                "--server",
                "cloud",
                "--service",
                "7",
            ])
            .args([
                "--role",
                role,
                "--language",
                "he",
                "--time-zone",
                "Asia/Jerusalem",
            ])
            .output()
            .unwrap()
    };
    let output = link(&with_key, "admin");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let answer: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let token = answer["link"].as_str().unwrap();
    assert!(answer["path"]
        .as_str()
        .unwrap()
        .starts_with("/pages/cloud/7/admin?link="));
    let claims = LinkKey::new(key.as_bytes())
        .unwrap()
        .verify(token, "cloud", "7", Role::Admin, chrono::Utc::now())
        .unwrap();
    assert_eq!(claims.time_zone, "Asia/Jerusalem");
    assert!(claims.expires <= chrono::Utc::now().timestamp() + 300);

    let without_key = dir.path().join("without-key.toml");
    std::fs::write(&without_key, server).unwrap();
    let output = link(&without_key, "client");
    assert!(!output.status.success());
    let error: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(error["error"]["kind"], "config", "{error}");
    assert!(
        error["error"]["message"]
            .as_str()
            .unwrap()
            .contains("[pages]"),
        "{error}"
    );
}
