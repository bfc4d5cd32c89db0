//! No secret of `provision serve` reaches a log line or an answer other than the one
//! that hands a password out. A test binary of its own: the log capture is
//! per-thread, and tracing's per-callsite interest is shared by the whole process, so
//! other tests running alongside could hide events from it.

mod common;

use common::Harness;
use provision::core::ExposeSecret;
use provision_core::testkit::secrets::{LogCapture, SecretScan};
use serde_json::{json, Value};

#[tokio::test]
async fn no_secret_reaches_a_log_and_the_password_only_its_one_answer() {
    let capture = LogCapture::start();
    let h = Harness::start().await;
    let mut scan = SecretScan::new();
    for (what, token) in [
        ("the read token", &h.read),
        ("the provision token", &h.provision),
        ("the admin token", &h.admin),
    ] {
        scan.secret(what, token);
    }
    scan.secret(
        "the Nextcloud admin password",
        h.nextcloud.admin_password().expose_secret(),
    );
    let mut answers = Vec::new();
    for server in ["cloud", "nas", "s3"] {
        let (_, _, created) = h
            .call(
                reqwest::Method::POST,
                "/v1/services",
                Some(&h.provision),
                Some(&format!("create-{server}")),
                Some(json!({"server": server, "service_id": "7", "client_id": "42", "product": server})),
            )
            .await;
        let password = created["password"].as_str().unwrap().to_string();
        scan.secret("an account password", &password);
        let path = format!("/v1/services/{server}/7");
        let (_, _, replay) = h
            .call(
                reqwest::Method::POST,
                "/v1/services",
                Some(&h.provision),
                Some(&format!("create-{server}")),
                Some(json!({"server": server, "service_id": "7", "client_id": "42", "product": server})),
            )
            .await;
        answers.push(replay);
        let (_, changed) = h
            .post(&format!("{path}/password"), &h.provision, json!({}))
            .await;
        scan.secret("a changed password", changed["password"].as_str().unwrap());
        for read in ["", "/usage", "/history"] {
            answers.push(h.get(&format!("{path}{read}"), &h.read).await.1);
        }
        answers.push(
            h.post(&format!("{path}/suspend"), &h.provision, json!({}))
                .await
                .1,
        );
    }
    answers.push(h.get("/metrics", &h.read).await.1);
    for answer in &answers {
        scan.secret_free_json(answer);
    }
    scan.assert_captured(&capture, &["/v1/services", "request_id", "billing"]);
    scan.assert_clean(&capture);
}

trait JsonScan {
    fn secret_free_json(&mut self, value: &Value);
}

impl JsonScan for SecretScan {
    fn secret_free_json(&mut self, value: &Value) {
        self.debug(
            "an answer other than the one that set the password",
            &value.to_string(),
        );
    }
}
