//! `provision serve` over real HTTP: the service bound to 127.0.0.1:0 in this process,
//! on the three in-process mock servers, called with reqwest.

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::{assert_problem, write_secret, Harness};
use provision::core::quota::ByteSize;
use provision::nextcloud::mock::Fault;
use provision_cli::serve::{self, ServeOptions};
use reqwest::StatusCode;
use serde_json::{json, Value};

#[tokio::test]
async fn every_order_and_read_on_every_backend() {
    let h = Harness::start().await;
    for server in ["cloud", "nas", "s3"] {
        for (service, client) in [("7", "42"), ("8", "43")] {
            let created = h.create(server, service, client).await;
            let username = created["username"].as_str().unwrap().to_string();
            assert!(created["password"].as_str().is_some_and(|p| p.len() >= 16));
            assert_eq!(created["service"]["status"], "active");
            assert_eq!(created["resumed"], false);

            // The same order again: the same account, no password.
            let (status, again) = h
                .post(
                    "/v1/services",
                    &h.provision,
                    json!({"server": server, "service_id": service, "client_id": client, "product": server}),
                )
                .await;
            assert_eq!(status, StatusCode::OK, "{again}");
            assert_eq!(again["username"], username.as_str());
            assert!(again["password"].is_null());
            assert!(again["password_note"].is_string());

            let path = format!("/v1/services/{server}/{service}");
            let (status, read) = h.get(&path, &h.read).await;
            assert_eq!(status, StatusCode::OK, "{read}");
            assert_eq!(read["service"]["username"], username.as_str());

            let (status, body) = h
                .post(&format!("{path}/suspend"), &h.provision, json!({}))
                .await;
            assert_eq!(
                (status, &body["service"]["status"]),
                (StatusCode::OK, &json!("suspended")),
                "{body}"
            );
            let (status, body) = h
                .post(&format!("{path}/unsuspend"), &h.provision, json!({}))
                .await;
            assert_eq!(
                (status, &body["service"]["status"]),
                (StatusCode::OK, &json!("active")),
                "{body}"
            );

            let (status, body) = h
                .post(&format!("{path}/password"), &h.provision, json!({}))
                .await;
            assert_eq!(status, StatusCode::OK, "{body}");
            let new_password = body["password"].as_str().unwrap();
            assert_ne!(Some(new_password), created["password"].as_str());
            if server == "cloud" {
                assert!(h.nextcloud.check_password(&username, new_password));
            }

            let (status, body) = h
                .post(
                    &format!("{path}/change-plan"),
                    &h.provision,
                    json!({"product": format!("{server}-bigger")}),
                )
                .await;
            assert_eq!(status, StatusCode::OK, "{body}");
            assert_eq!(body["service"]["product"], format!("{server}-bigger"));

            let (status, usage) = h.get(&format!("{path}/usage"), &h.read).await;
            assert_eq!(status, StatusCode::OK, "{usage}");
            assert_eq!(usage["quota_bytes"], 20u64 << 30, "{usage}");

            let (status, history) = h
                .get(
                    &format!("{path}/history?days=7&months=2&time_zone=Europe/Berlin"),
                    &h.read,
                )
                .await;
            assert_eq!(status, StatusCode::OK, "{history}");
            assert_eq!(history["daily"].as_array().unwrap().len(), 7, "{history}");
            assert_eq!(history["time_zone"], "Europe/Berlin");
        }
        let path = format!("/v1/services/{server}/7");
        let (status, body) = h
            .post(&format!("{path}/terminate"), &h.provision, json!({}))
            .await;
        assert_eq!(
            (status, &body["service"]["status"]),
            (StatusCode::OK, &json!("terminated")),
            "{body}"
        );
        // The other service of the server is untouched.
        let (_, other) = h.get(&format!("/v1/services/{server}/8"), &h.read).await;
        assert_eq!(other["service"]["status"], "active");
    }
    let (status, servers) = h.get("/v1/servers", &h.read).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(servers["servers"].as_array().unwrap().len(), 3);
    let (status, check) = h.get("/v1/servers/cloud/check", &h.read).await;
    assert_eq!(
        (status, &check["ok"]),
        (StatusCode::OK, &json!(true)),
        "{check}"
    );
}

#[tokio::test]
async fn a_sweep_sends_through_delivery_and_an_unsent_action_stays_pending() {
    // Nothing listens on the mail server's port.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let delivery = format!(
        "\n[delivery.smtp]\nhost = \"127.0.0.1\"\nport = {port}\nsecurity = \"plain\"\nfrom = \"billing@example.com\"\ntimeout = \"5s\"\n"
    );
    let h = Harness::start_configured(Default::default(), &delivery).await;
    let order = json!({"server": "cloud", "service_id": "7", "client_id": "42", "product": "cloud",
        "email": "jo@example.com", "language": "de"});
    let (status, created) = h.post("/v1/services", &h.provision, order).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let username = created["username"].as_str().unwrap();
    assert!(h.nextcloud.set_used(username, ByteSize::new(95 << 27)));
    let (status, started) = h.post("/v1/sweeps", &h.admin, json!({})).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{started}");
    let id = started["id"].as_str().unwrap();
    let mut done = None;
    for _ in 0..300 {
        let (_, body) = h.get(&format!("/v1/sweeps/{id}"), &h.read).await;
        if body["status"] == "done" {
            done = Some(body);
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let done = done.expect("the sweep finished");
    assert_eq!(done["ok"], false, "an unsent action is not ok: {done}");
    assert_eq!(done["delivery"]["channel"], "smtp", "{done}");
    let undelivered = done["delivery"]["undelivered"].as_array().unwrap();
    assert_eq!(undelivered.len(), 1, "{done}");
    assert_eq!(undelivered[0]["kind"], "limit_exceeded");
    assert!(
        undelivered[0]["error"]
            .as_str()
            .unwrap()
            .starts_with("SMTP: 127.0.0.1:"),
        "{done}"
    );
    let (_, listed) = h.get("/v1/actions?limit=10", &h.admin).await;
    assert_eq!(
        listed["pending_actions"].as_array().unwrap().len(),
        1,
        "{listed}"
    );
}

#[tokio::test]
async fn a_sweep_runs_in_the_background_and_its_actions_are_confirmed() {
    let h = Harness::start().await;
    let created = h.create("cloud", "7", "42").await;
    let username = created["username"].as_str().unwrap();
    h.create("nas", "7", "42").await;
    h.create("s3", "7", "42").await;
    // 95% of the 10 GB quota: past notify_at = 90, a mail is owed.
    assert!(h.nextcloud.set_used(username, ByteSize::new(95 << 27)));

    let (status, started) = h.post("/v1/sweeps", &h.admin, json!({})).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{started}");
    assert_eq!(started["status"], "running");
    let id = started["id"].as_str().unwrap();
    let mut done = None;
    for _ in 0..300 {
        let (status, body) = h.get(&format!("/v1/sweeps/{id}"), &h.read).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        if body["status"] == "done" {
            done = Some(body);
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let done = done.expect("the sweep finished");
    let results = done["results"].as_array().unwrap();
    assert_eq!(results.len(), 3, "{done}");
    assert_eq!(done["ok"], true, "{done}");
    let cloud = results.iter().find(|r| r["server"] == "cloud").unwrap();
    assert_eq!(cloud["accounts"][0]["username"], username);
    assert_eq!(cloud["actions_recorded"], 1, "{cloud}");

    let (status, _) = h.get("/v1/actions", &h.provision).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "the outbox is the operator's"
    );
    let (status, listed) = h.get("/v1/actions?limit=10", &h.admin).await;
    assert_eq!(status, StatusCode::OK, "{listed}");
    let actions = listed["pending_actions"].as_array().unwrap();
    assert_eq!(actions.len(), 1, "{listed}");
    assert_eq!(actions[0]["username"], username);
    let action_id = actions[0]["id"].as_i64().unwrap();
    let (status, confirmed) = h
        .post(
            "/v1/actions/confirm",
            &h.admin,
            json!({"ids": [action_id, 999_999]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{confirmed}");
    assert_eq!(confirmed, json!({"requested": 2, "confirmed": 1}));
    let (_, listed) = h.get("/v1/actions", &h.admin).await;
    assert_eq!(listed["pending_actions"], json!([]));

    let (status, _) = h.get("/v1/sweeps/sw_unknown", &h.read).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn tokens_and_scopes_are_enforced() {
    let h = Harness::start().await;
    let (status, headers, body) = h
        .call(reqwest::Method::GET, "/v1/servers", None, None, None)
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(headers.get("www-authenticate").unwrap(), "Bearer");
    assert_problem(&headers, &body, 401, "unauthorized");
    let (status, _, _) = h
        .call(
            reqwest::Method::GET,
            "/v1/servers",
            Some("prv_not-a-token"),
            None,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    let order =
        json!({"server": "cloud", "service_id": "7", "client_id": "42", "product": "cloud"});
    let (status, headers, body) = h
        .call(
            reqwest::Method::POST,
            "/v1/services",
            Some(&h.read),
            None,
            Some(order.clone()),
        )
        .await;
    assert_problem(&headers, &body, 403, "forbidden");
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        h.nextcloud
            .user_ids()
            .iter()
            .all(|u| !u.starts_with("nc42")),
        "nothing was made"
    );
    let (status, _) = h.post("/v1/sweeps", &h.provision, json!({})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // Admin includes provision, provision includes read.
    let (status, _) = h.post("/v1/services", &h.admin, order).await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, _) = h.get("/v1/services/cloud/7", &h.provision).await;
    assert_eq!(status, StatusCode::OK);
    // No token is needed for health, metrics and the document.
    for path in ["/healthz", "/metrics", "/openapi.json"] {
        let (status, _, _) = h.call(reqwest::Method::GET, path, None, None, None).await;
        assert_eq!(status, StatusCode::OK, "{path}");
    }
}

#[tokio::test]
async fn an_idempotency_key_replays_refuses_another_body_and_is_per_token() {
    let h = Harness::start().await;
    let order =
        json!({"server": "cloud", "service_id": "7", "client_id": "42", "product": "cloud"});
    let post = |token: String, key: &'static str, body: Value| {
        let h = &h;
        async move {
            h.call(
                reqwest::Method::POST,
                "/v1/services",
                Some(&token),
                Some(key),
                Some(body),
            )
            .await
        }
    };
    let (status, headers, first) = post(h.provision.clone(), "order-7", order.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    assert!(headers.get("idempotent-replayed").is_none());
    let password = first["password"].as_str().unwrap().to_string();

    let (status, headers, replay) = post(h.provision.clone(), "order-7", order.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "the stored status is replayed");
    assert_eq!(headers.get("idempotent-replayed").unwrap(), "true");
    assert_eq!(replay["username"], first["username"]);
    assert_eq!(replay["service"], first["service"]);
    assert!(
        replay["password"].is_null(),
        "a replay never hands the password out again"
    );
    assert!(replay["password_note"]
        .as_str()
        .unwrap()
        .contains("first answer"));
    assert!(!replay.to_string().contains(&password));

    let mut other = order.clone();
    other["client_id"] = json!("43");
    let (status, headers, body) = post(h.provision.clone(), "order-7", other).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_problem(&headers, &body, 422, "idempotency_key_reused");

    // Another token's equal key is another request: it runs (and finds the account).
    let (status, headers, theirs) = post(h.other.clone(), "order-7", order.clone()).await;
    assert_eq!(status, StatusCode::OK, "{theirs}");
    assert!(headers.get("idempotent-replayed").is_none());
    assert_eq!(theirs["resumed"], true);

    // The key reaches the ledger's journal of the order.
    let (status, _, _) = h
        .call(
            reqwest::Method::POST,
            "/v1/services/cloud/7/suspend",
            Some(&h.provision),
            Some("suspend-7"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, headers, body) = h
        .call(
            reqwest::Method::POST,
            "/v1/services/cloud/7/suspend",
            Some(&h.provision),
            Some("suspend-7"),
            None,
        )
        .await;
    assert_eq!(
        (status, headers.get("idempotent-replayed").is_some()),
        (StatusCode::OK, true)
    );
    assert_eq!(body["service"]["status"], "suspended");

    // An error is stored too: an unknown product under a key answers the same later.
    let mut wrong = order.clone();
    wrong["product"] = json!("no-such-product");
    wrong["service_id"] = json!("9");
    let (status, _, _) = post(h.provision.clone(), "order-9", wrong.clone()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, headers, body) = post(h.provision.clone(), "order-9", wrong).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(headers.get("idempotent-replayed").unwrap(), "true");
    assert_problem(&headers, &body, 400, "invalid_input");

    let (status, headers, body) = h
        .call(
            reqwest::Method::POST,
            "/v1/services/cloud/7/unsuspend",
            Some(&h.provision),
            Some("bad key with spaces"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_problem(&headers, &body, 400, "invalid_input");
}

#[tokio::test]
async fn a_key_in_flight_is_409_and_then_replays() {
    let h = Arc::new(Harness::start().await);
    h.create("cloud", "7", "42").await;
    h.nextcloud.set_latency(Duration::from_millis(1500));
    let first = {
        let h = Arc::clone(&h);
        tokio::spawn(async move {
            h.call(
                reqwest::Method::POST,
                "/v1/services/cloud/7/suspend",
                Some(&h.provision),
                Some("slow-suspend"),
                None,
            )
            .await
        })
    };
    // Probe while it runs: one of the requests runs the order, the others are refused.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut statuses = Vec::new();
    while !first.is_finished() {
        let (status, headers, body) = h
            .call(
                reqwest::Method::POST,
                "/v1/services/cloud/7/suspend",
                Some(&h.provision),
                Some("slow-suspend"),
                None,
            )
            .await;
        if status == StatusCode::CONFLICT {
            assert_problem(&headers, &body, 409, "idempotency_in_flight");
        }
        statuses.push((status, headers.get("idempotent-replayed").is_some()));
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let (status, headers, body) = first.await.unwrap();
    statuses.push((status, headers.get("idempotent-replayed").is_some()));
    let ran = statuses
        .iter()
        .filter(|s| **s == (StatusCode::OK, false))
        .count();
    let refused = statuses
        .iter()
        .filter(|s| s.0 == StatusCode::CONFLICT)
        .count();
    assert_eq!(
        ran, 1,
        "exactly one request ran the order: {statuses:?} {body}"
    );
    assert!(
        refused >= 1,
        "a request while the first ran was refused: {statuses:?}"
    );
    h.nextcloud.set_latency(Duration::ZERO);
    let (status, headers, body) = h
        .call(
            reqwest::Method::POST,
            "/v1/services/cloud/7/suspend",
            Some(&h.provision),
            Some("slow-suspend"),
            None,
        )
        .await;
    assert_eq!(
        (status, headers.get("idempotent-replayed").is_some()),
        (StatusCode::OK, true)
    );
    assert_eq!(body["service"]["status"], "suspended");
}

#[tokio::test]
async fn a_key_past_its_window_is_a_new_request() {
    let h = Harness::start_with(ServeOptions {
        idempotency_window: Duration::from_secs(1),
        ..ServeOptions::default()
    })
    .await;
    h.create("cloud", "7", "42").await;
    let plan = |product: &str| json!({ "product": product });
    let change = |product: &'static str| {
        let h = &h;
        async move {
            h.call(
                reqwest::Method::POST,
                "/v1/services/cloud/7/change-plan",
                Some(&h.provision),
                Some("plan-7"),
                Some(plan(product)),
            )
            .await
        }
    };
    let (status, _, _) = change("cloud-bigger").await;
    assert_eq!(status, StatusCode::OK);
    let (status, _, _) = change("cloud").await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "inside the window"
    );
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let (status, headers, body) = change("cloud").await;
    assert_eq!(
        status,
        StatusCode::OK,
        "past the window the key is free: {body}"
    );
    assert!(headers.get("idempotent-replayed").is_none());
    assert_eq!(body["service"]["product"], "cloud");
}

#[tokio::test]
async fn errors_are_problems_with_the_kind_and_the_status_it_calls_for() {
    let h = Harness::start().await;
    let cases = [
        (
            reqwest::Method::GET,
            "/v1/services/cloud/404",
            None,
            404,
            "not_found",
        ),
        (
            reqwest::Method::GET,
            "/v1/services/nowhere/1",
            None,
            404,
            "not_found",
        ),
        (
            reqwest::Method::GET,
            "/v1/nothing-here",
            None,
            404,
            "not_found",
        ),
        (
            reqwest::Method::DELETE,
            "/v1/services",
            None,
            405,
            "method_not_allowed",
        ),
        (
            reqwest::Method::POST,
            "/v1/services",
            Some(json!({"server": "cloud"})),
            422,
            "invalid_input",
        ),
        (
            reqwest::Method::POST,
            "/v1/services",
            Some(
                json!({"server": "cloud", "service_id": "1", "client_id": "1", "product": "nope"}),
            ),
            400,
            "invalid_input",
        ),
        (
            reqwest::Method::GET,
            "/v1/services/cloud/1/history?time_zone=Mars/Olympus",
            None,
            400,
            "invalid_input",
        ),
        (
            reqwest::Method::GET,
            "/v1/actions?limit=0",
            None,
            400,
            "invalid_input",
        ),
    ];
    for (method, path, body, status, kind) in cases {
        let (got, headers, problem) = h.call(method, path, Some(&h.admin), None, body).await;
        assert_eq!(got.as_u16(), status, "{path}: {problem}");
        assert_problem(&headers, &problem, status, kind);
    }
    // A storage server that keeps failing: the upstream's failure, retryable.
    h.create("cloud", "7", "42").await;
    h.nextcloud.inject(Fault::server_error(503).times(100));
    let (status, headers, problem) = h
        .call(
            reqwest::Method::POST,
            "/v1/services/cloud/7/suspend",
            Some(&h.provision),
            None,
            None,
        )
        .await;
    assert!(
        status == StatusCode::BAD_GATEWAY || status == StatusCode::SERVICE_UNAVAILABLE,
        "{status}: {problem}"
    );
    assert_problem(&headers, &problem, status.as_u16(), "transient");
}

#[tokio::test]
async fn a_body_over_the_limit_is_413() {
    let h = Harness::start_with(ServeOptions {
        body_limit: 1024,
        ..ServeOptions::default()
    })
    .await;
    let big = json!({"server": "cloud", "service_id": "7", "client_id": "x".repeat(4096), "product": "cloud"});
    for key in [None, Some("big-body")] {
        let (status, headers, body) = h
            .call(
                reqwest::Method::POST,
                "/v1/services",
                Some(&h.provision),
                key,
                Some(big.clone()),
            )
            .await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
        assert_problem(&headers, &body, 413, "payload_too_large");
    }
    assert!(
        h.nextcloud.user_ids().iter().all(|u| !u.starts_with("nc")),
        "nothing was made"
    );
}

#[tokio::test]
async fn metrics_count_requests_by_route_and_status() {
    let h = Harness::start().await;
    h.get("/v1/services/cloud/1", &h.read).await;
    h.get("/v1/services/cloud/2", &h.read).await;
    let (status, _, text) = h
        .call(reqwest::Method::GET, "/metrics", None, None, None)
        .await;
    assert_eq!(status, StatusCode::OK);
    let text = text.as_str().unwrap();
    assert!(
        text.contains(
            "provision_http_requests_total{method=\"GET\",route=\"/v1/services/{server}/{service_id}\",status=\"404\"} 2"
        ),
        "{text}"
    );
    assert!(text.contains("provision_http_request_duration_seconds_count{route=\"/v1/services/{server}/{service_id}\"} 2"));
}

#[tokio::test]
async fn every_answer_carries_a_request_id() {
    let h = Harness::start().await;
    let response = h
        .http
        .get(format!("{}/healthz", h.base))
        .header("x-request-id", "billing-run-17")
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.headers().get("x-request-id").unwrap(),
        "billing-run-17"
    );
    let (_, headers, _) = h
        .call(reqwest::Method::GET, "/healthz", None, None, None)
        .await;
    assert!(headers.get("x-request-id").is_some_and(|v| v.len() >= 32));
}

#[tokio::test]
async fn shutdown_lets_the_request_in_flight_finish() {
    let mut h = Harness::start().await;
    h.create("cloud", "7", "42").await;
    h.nextcloud.set_latency(Duration::from_millis(500));
    let url = format!("{}/v1/services/cloud/7/suspend", h.base);
    let request = h.http.post(url).bearer_auth(&h.provision).send();
    let in_flight = tokio::spawn(request);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let running = h.running.take().unwrap();
    running.shutdown().await.unwrap();
    let response = in_flight.await.unwrap().unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        h.http
            .get(format!("{}/healthz", h.base))
            .send()
            .await
            .is_err(),
        "no longer listening"
    );
}

#[test]
fn the_committed_openapi_document_is_current() {
    let committed = include_str!("../openapi.json");
    let generated = provision_cli::serve::openapi::document_json();
    assert!(
        committed == generated,
        "provision-cli/openapi.json is out of date; regenerate it with\n  \
         cargo run -p provision-cli -- serve openapi > provision-cli/openapi.json"
    );
    let document: Value = serde_json::from_str(&generated).unwrap();
    assert!(document["openapi"].as_str().unwrap().starts_with("3.1"));
    for path in [
        "/v1/services",
        "/v1/sweeps",
        "/v1/actions/confirm",
        "/v1/services/{server}/{service_id}/history",
    ] {
        assert!(document["paths"][path].is_object(), "{path} is described");
    }
}

#[tokio::test]
async fn tls_serves_from_a_certificate_file() {
    let dir = tempfile::tempdir().unwrap();
    let certified = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
    let cert_pem = certified.cert.pem();
    let cert = write_secret(dir.path(), "cert.pem", &cert_pem);
    let key = write_secret(dir.path(), "key.pem", &certified.key_pair.serialize_pem());
    let tls = serve::tls::load(&cert, &key).unwrap();
    let h = Harness::start().await;
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    let router = axum::Router::new().route("/healthz", axum::routing::get(serve::router::healthz));
    let running = serve::spawn(listener, router, Some(tls)).unwrap();
    let client = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(cert_pem.as_bytes()).unwrap())
        .resolve("localhost", address)
        .build()
        .unwrap();
    let url = format!("https://localhost:{}/healthz", address.port());
    let response = client.get(&url).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.json::<Value>().await.unwrap()["status"], "ok");
    // Plain HTTP on the TLS port gets no answer.
    assert!(h
        .http
        .get(format!("http://{address}/healthz"))
        .send()
        .await
        .is_err());
    running.shutdown().await.unwrap();

    let bad = write_secret(dir.path(), "bad.pem", "not a key");
    assert!(serve::tls::load(&cert, &bad)
        .unwrap_err()
        .to_string()
        .contains("no readable PEM private key"));
}

#[tokio::test]
async fn a_conflict_with_a_running_sweep_is_not_kept_under_the_key() {
    let h = Harness::start().await;
    h.create("cloud", "7", "42").await;
    h.nextcloud.set_latency(Duration::from_millis(700));
    let (status, _) = h.post("/v1/sweeps", &h.admin, json!({})).await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let sweep = || {
        h.call(
            reqwest::Method::POST,
            "/v1/sweeps",
            Some(&h.admin),
            Some("nightly-sweep"),
            Some(json!({})),
        )
    };
    let (status, _, body) = sweep().await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    h.nextcloud.set_latency(Duration::ZERO);
    // Once the first sweep is done, the same key starts a sweep rather than replaying
    // the conflict.
    let mut started = None;
    for _ in 0..100 {
        let (status, headers, body) = sweep().await;
        if status == StatusCode::ACCEPTED {
            assert!(headers.get("Idempotent-Replayed").is_none());
            started = Some(body);
            break;
        }
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let started = started.expect("the retried sweep started");
    // And now the key holds that answer.
    let (status, headers, again) = sweep().await;
    assert_eq!(status, StatusCode::ACCEPTED);
    assert_eq!(headers.get("Idempotent-Replayed").unwrap(), "true");
    assert_eq!(again["id"], started["id"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn adopt_records_an_existing_account_once_over_http() {
    let h = Harness::start().await;
    assert!(h.nextcloud.add_user("legacy-kim", "legacy-Passw0rd-long"));
    let body = json!({"server": "cloud", "service_id": "300", "client_id": "30",
                      "product": "cloud", "username": "legacy-kim"});
    let (status, first) = h
        .post("/v1/services/adopt", &h.provision, body.clone())
        .await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    assert_eq!(first["outcome"], "recorded");
    assert_eq!(first["service"]["status"], "active");
    let (status, again) = h.post("/v1/services/adopt", &h.provision, body).await;
    assert_eq!(status, StatusCode::OK, "{again}");
    assert_eq!(again["outcome"], "already_recorded");
    let (status, read) = h.get("/v1/services/cloud/300", &h.read).await;
    assert_eq!(status, StatusCode::OK, "{read}");
    let (status, problem) = h
        .post(
            "/v1/services/adopt",
            &h.provision,
            json!({"server": "cloud", "service_id": "301", "client_id": "30",
                   "product": "cloud", "username": "nobody-here"}),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{problem}");
    // The read scope may not adopt.
    let (status, _) = h
        .post(
            "/v1/services/adopt",
            &h.read,
            json!({"server": "cloud", "service_id": "302", "client_id": "30",
                   "product": "cloud", "username": "legacy-kim"}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // A MinIO account whose policy reaches a bucket outside its namespace: 422 naming
    // that bucket; nothing recorded, nothing changed on the server.
    let seed = provision::minio::mock::seed::Seed::from_json(json!({
        "users": [{"access_key": "ann", "secret_key": "ann-secret-key", "policies": ["legacy-ann"]}],
        "policies": [{"name": "legacy-ann", "document": {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": ["s3:*"],
             "Resource": ["arn:aws:s3:::ann", "arn:aws:s3:::ann/*", "arn:aws:s3:::ann-backup/*"]}]}}]
    }))
    .unwrap();
    h.minio.load_seed(&seed).unwrap();
    let before = h.minio.request_count();
    let ann = json!({"server": "s3", "service_id": "303", "client_id": "30",
                     "product": "s3", "username": "ann"});
    let adopt_ann = || {
        h.call(
            reqwest::Method::POST,
            "/v1/services/adopt",
            Some(&h.provision),
            Some("adopt-ann-1"),
            Some(ann.clone()),
        )
    };
    let (status, headers, answer) = adopt_ann().await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert_eq!(answer["outcome"], "does_not_fit", "{answer}");
    assert_eq!(answer["resources"], json!(["ann-backup"]), "{answer}");
    assert_eq!(headers["content-type"], "application/json");
    // Its retry with the same key is the same answer, in the same form.
    let (status, headers, again) = adopt_ann().await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{again}");
    assert_eq!(again, answer);
    assert_eq!(headers["content-type"], "application/json");
    assert_eq!(headers["idempotent-replayed"], "true");
    let (status, _) = h.get("/v1/services/s3/303", &h.read).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "nothing recorded");
    let changes = h.minio.changing_requests_since(before);
    assert!(changes.is_empty(), "adopt changed MinIO: {changes:?}");
}

#[tokio::test]
async fn a_password_change_sets_the_chosen_password_once_the_rule_accepts_it() {
    let h = Harness::start().await;
    let created = h.create("cloud", "21", "50").await;
    let username = created["username"].as_str().unwrap().to_string();
    let first = created["password"].as_str().unwrap().to_string();
    let path = "/v1/services/cloud/21/password";

    // Shorter than the product's rule (16): refused before anything is sent.
    let (status, headers, body) = post_problem(&h, path, json!({"password": "Short-1a"})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_problem(&headers, &body, 400, "invalid_input");
    assert!(body["detail"].as_str().unwrap().contains("16"), "{body}");
    assert!(
        !body.to_string().contains("Short-1a"),
        "the refusal does not echo the password"
    );
    assert!(h.nextcloud.check_password(&username, &first));

    let chosen = "Chosen-Passw0rd-2026";
    let (status, body) = h
        .post(path, &h.provision, json!({"password": chosen}))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["password"], chosen);
    assert!(h.nextcloud.check_password(&username, chosen));

    // No body at all: a new password from the rule, as before.
    let (status, _, body) = h
        .call(reqwest::Method::POST, path, Some(&h.provision), None, None)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let made = body["password"].as_str().unwrap();
    assert_ne!(made, chosen);
    assert!(h.nextcloud.check_password(&username, made));

    let (status, headers, body) = post_problem(&h, path, json!({"pasword": chosen})).await;
    assert_problem(&headers, &body, status.as_u16(), "invalid_input");
    assert!(
        body["detail"].as_str().unwrap().contains("pasword"),
        "{body}"
    );
}

#[tokio::test]
async fn the_minio_limit_decisions_are_held_and_handed_back() {
    let h = Harness::start().await;
    let created = h.create("s3", "22", "51").await;
    let username = created["username"].as_str().unwrap().to_string();
    let path = "/v1/services/s3/22/policy";
    // The user keeps its policy's name; the document under it is switched.
    let policy = h.minio.user(&username).unwrap().policies[0].clone();
    let document = || h.minio.policy(&policy).unwrap();
    let standard = document();

    let (status, body) = h
        .post(path, &h.provision, json!({"decision": "limited"}))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["service"]["limit_override"], "limited");
    assert_ne!(document(), standard, "the limited policy is applied now");

    let (status, body) = h
        .post(path, &h.provision, json!({"decision": "standard"}))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["service"]["limit_override"], "standard");
    assert_eq!(document(), standard);

    h.post(path, &h.provision, json!({"decision": "limited"}))
        .await;
    let (status, body) = h
        .post(path, &h.provision, json!({"decision": "usage"}))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body["service"]["limit_override"].is_null(), "{body}");
    assert_eq!(
        document(),
        standard,
        "an account under its limit is back on the standard policy"
    );

    // Reading is not enough, another word is refused, and Nextcloud has no policies.
    let (status, _) = h.post(path, &h.read, json!({"decision": "limited"})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, headers, body) = post_problem(&h, path, json!({"decision": "frozen"})).await;
    assert_problem(&headers, &body, status.as_u16(), "invalid_input");
    h.create("cloud", "22", "51").await;
    let (status, headers, body) = post_problem(
        &h,
        "/v1/services/cloud/22/policy",
        json!({"decision": "limited"}),
    )
    .await;
    assert_problem(&headers, &body, status.as_u16(), "unsupported");
}

/// A POST with the provision token, with the answer's headers (to check a problem).
async fn post_problem(
    h: &Harness,
    path: &str,
    body: Value,
) -> (StatusCode, reqwest::header::HeaderMap, Value) {
    h.call(
        reqwest::Method::POST,
        path,
        Some(&h.provision),
        None,
        Some(body),
    )
    .await
}

async fn put_product(
    h: &Harness,
    name: &str,
    token: &str,
    body: Value,
) -> (StatusCode, reqwest::header::HeaderMap, Value) {
    h.call(
        reqwest::Method::PUT,
        &format!("/v1/products/{name}"),
        Some(token),
        None,
        Some(body),
    )
    .await
}

#[tokio::test]
async fn a_product_defined_over_the_service_is_sold_replaced_and_applied_by_a_plan_change() {
    let h = Harness::start().await;
    let settings = json!({"name_rule": "w{client_id}s{service_id}", "password_rule": 16,
        "quota": 3, "unit": "GB", "notify_at": 75, "instructions_url": "https://example.com/help"});
    for token in [&h.read, &h.provision] {
        let (status, _, body) = put_product(&h, "whmcs-1", token, settings.clone()).await;
        assert_eq!(
            status,
            StatusCode::FORBIDDEN,
            "defining needs scope admin: {body}"
        );
    }
    let (status, _, body) = put_product(&h, "whmcs-1", &h.admin, settings.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let product = &body["product"];
    assert_eq!(product["source"], "ledger");
    assert_eq!(product["quota_bytes"], 3u64 << 30);
    assert_eq!(product["notify_at"], 75);
    assert_eq!(
        product["settings"]["name_rule"],
        "w{client_id}s{service_id}"
    );

    let (status, list) = h.get("/v1/products", &h.read).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    let sources: Vec<(String, String)> = list["products"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap().into(),
                p["source"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert!(
        sources.contains(&("whmcs-1".into(), "ledger".into())),
        "{list}"
    );
    assert!(
        sources.contains(&("cloud".into(), "configuration".into())),
        "{list}"
    );

    // An order sells it: the account has its quota.
    let (status, created) = h
        .post(
            "/v1/services",
            &h.provision,
            json!({"server": "cloud", "service_id": "31", "client_id": "9", "product": "whmcs-1"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["username"], "w9s31");
    assert_eq!(h.nextcloud.user("w9s31").unwrap().quota, "3 GB");

    // Replaced: 200, and a plan change to the same name applies the new quota.
    let mut bigger = settings.clone();
    bigger["quota"] = json!(5);
    let (status, _, body) = put_product(&h, "whmcs-1", &h.admin, bigger).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["product"]["quota_bytes"], 5u64 << 30);
    let (status, body) = h
        .post(
            "/v1/services/cloud/31/change-plan",
            &h.provision,
            json!({"product": "whmcs-1"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(h.nextcloud.user("w9s31").unwrap().quota, "5 GB");

    // Another process on the same ledger builds the same product.
    let elsewhere = provision::core::cycle::BillingCycle::new(h.ledger.clone());
    let seen = elsewhere.product("whmcs-1").await.unwrap();
    assert_eq!(seen.quota.limit(), Some(ByteSize::new(5 << 30)));
    assert_eq!(
        seen.instructions_url.as_deref(),
        Some("https://example.com/help")
    );
}

#[tokio::test]
async fn a_product_definition_is_refused_whole_with_the_field_named() {
    let h = Harness::start().await;
    let good = json!({"name_rule": "w{client_id}", "password_rule": 16, "quota": 3});
    let (status, headers, body) = put_product(&h, "cloud", &h.admin, good.clone()).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_problem(&headers, &body, 409, "already_exists");
    assert!(body["detail"].as_str().unwrap().contains("cloud"), "{body}");

    let mut bad = good.clone();
    bad["notify_at"] = json!(140);
    let (status, headers, body) = put_product(&h, "whmcs-2", &h.admin, bad).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_problem(&headers, &body, 400, "invalid_input");
    assert!(
        body["detail"]
            .as_str()
            .unwrap()
            .contains("products.whmcs-2.notify_at"),
        "{body}"
    );
    let mut bad = good.clone();
    bad["instructions_url"] = json!("javascript:alert(1)");
    let (status, _, body) = put_product(&h, "whmcs-2", &h.admin, bad).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(
        body["detail"]
            .as_str()
            .unwrap()
            .contains("instructions_url"),
        "{body}"
    );
    let mut bad = good.clone();
    bad["quota_gb"] = json!(3);
    let (status, _, body) = put_product(&h, "whmcs-2", &h.admin, bad).await;
    assert!(
        status.is_client_error(),
        "an unknown field is refused: {body}"
    );
    assert!(
        body["detail"].as_str().unwrap().contains("quota_gb"),
        "{body}"
    );
    let (status, _, body) = put_product(&h, "bad%20name", &h.admin, good.clone()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");

    // Nothing was kept, and an order for it is refused before any server is asked.
    let (status, body) = h.get("/v1/products/whmcs-2", &h.read).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    let requests = h.nextcloud.request_count();
    let (status, body) = h
        .post(
            "/v1/services",
            &h.provision,
            json!({"server": "cloud", "service_id": "32", "client_id": "9", "product": "whmcs-2"}),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(h.nextcloud.request_count(), requests);
}

#[tokio::test]
async fn a_products_own_minio_documents_are_kept_checked_and_put_in_force_by_the_sweep() {
    let h = Harness::start().await;
    let standard = r#"{"Version":"2012-10-17","Statement":[{"Sid":"ProductStandard","Effect":"Allow","Action":["s3:GetObject","s3:PutObject","s3:ListBucket"],"Resource":["arn:aws:s3:::{{namespace}}","arn:aws:s3:::{{namespace}}/*"]}]}"#;
    let limited = r#"{"Version":"2012-10-17","Statement":[{"Sid":"ProductLimited","Effect":"Allow","Action":["s3:GetObject","s3:ListBucket","s3:DeleteObject"],"Resource":["arn:aws:s3:::{{namespace}}","arn:aws:s3:::{{namespace}}/*"]}]}"#;
    let settings = json!({"name_rule": "o{client_id}s{service_id}", "password_rule": 24, "quota": 1,
        "minio": {"standard_policy": standard, "limited_policy": limited}});

    // A document that reaches outside the account's buckets is refused before it is kept.
    let mut unsafe_settings = settings.clone();
    unsafe_settings["minio"]["standard_policy"] = json!(
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::*"}]}"#
    );
    let (status, _, body) = put_product(&h, "s3-own", &h.admin, unsafe_settings).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let detail = body["detail"].as_str().unwrap();
    assert!(
        detail.contains("products.s3-own.minio") && detail.contains("s3"),
        "{body}"
    );
    let (status, _) = h.get("/v1/products/s3-own", &h.read).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let (status, _, body) = put_product(&h, "s3-own", &h.admin, settings.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let mut no_bucket = settings.clone();
    no_bucket["minio"]["default_bucket"] = json!(false);
    let (status, _, body) = put_product(&h, "s3-own-empty", &h.admin, no_bucket).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["product"]["default_bucket"], false, "{body}");
    assert_eq!(body["product"]["own_policies"], true, "{body}");

    let order = |service: &str, product: &str| json!({"server": "s3", "service_id": service, "client_id": "5", "product": product});
    let (status, body) = h
        .post("/v1/services", &h.provision, order("41", "s3-own"))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, body) = h
        .post("/v1/services", &h.provision, order("42", "s3-own-empty"))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(
        h.minio.buckets(),
        ["o5s41"],
        "the second product makes no bucket"
    );
    let sid = |user: &str| {
        let policy = h.minio.user(user).unwrap().policies[0].clone();
        h.minio.policy(&policy).unwrap()["Statement"][0]["Sid"]
            .as_str()
            .unwrap_or("")
            .to_string()
    };
    assert_eq!(sid("o5s41"), "ProductStandard");

    // Past its 1 GB: the sweep puts the product's limited document in force.
    h.minio.set_usage("o5s41", 2 << 30).unwrap();
    let (status, started) = h
        .post("/v1/sweeps", &h.admin, json!({"server": "s3"}))
        .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{started}");
    let id = started["id"].as_str().unwrap();
    for _ in 0..300 {
        let (_, body) = h.get(&format!("/v1/sweeps/{id}"), &h.read).await;
        if body["status"] == "done" {
            assert_eq!(body["ok"], true, "{body}");
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(sid("o5s41"), "ProductLimited");
    // An administrator's "set standard policy" uses the product's standard one.
    let (status, body) = h
        .post(
            "/v1/services/s3/41/policy",
            &h.provision,
            json!({"decision": "standard"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(sid("o5s41"), "ProductStandard");
}
