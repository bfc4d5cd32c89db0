//! The mock speaks Nextcloud's wire protocol: raw HTTP against it, compared with the
//! facts sheet's observations.

mod common;

use std::time::Duration;

use common::PASSWORD;
use provision_nextcloud::mock::{MockNextcloud, ADMIN_PASSWORD, ADMIN_USER};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

struct Raw {
    http: reqwest::Client,
    base: String,
}

impl Raw {
    fn new(mock: &MockNextcloud) -> Self {
        Raw {
            http: reqwest::Client::new(),
            base: mock.url(),
        }
    }

    fn request(&self, method: Method, version: u8, path: &str) -> reqwest::RequestBuilder {
        self.http
            .request(
                method,
                format!("{}/ocs/v{version}.php/cloud{path}?format=json", self.base),
            )
            .basic_auth(ADMIN_USER, Some(ADMIN_PASSWORD))
            .header("OCS-APIRequest", "true")
    }

    async fn send(&self, request: reqwest::RequestBuilder) -> (StatusCode, Value) {
        let response = request.send().await.unwrap();
        let status = response.status();
        let text = response.text().await.unwrap();
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    async fn call(
        &self,
        method: Method,
        version: u8,
        path: &str,
        form: &[(&str, &str)],
    ) -> (StatusCode, Value) {
        self.send(self.request(method, version, path).form(form))
            .await
    }
}

fn meta(body: &Value) -> (i64, &str) {
    (
        body["ocs"]["meta"]["statuscode"].as_i64().unwrap(),
        body["ocs"]["meta"]["message"].as_str().unwrap(),
    )
}

#[tokio::test]
async fn envelopes_of_v1_and_v2() {
    let mock = MockNextcloud::start().await;
    let raw = Raw::new(&mock);
    let (status, body) = raw
        .call(
            Method::POST,
            2,
            "/users",
            &[("userid", "alice"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        body,
        json!({"ocs": {"meta": {"status": "ok", "statuscode": 200, "message": "OK"}, "data": {"id": "alice"}}})
    );

    let (status, body) = raw
        .call(
            Method::POST,
            1,
            "/users",
            &[("userid", "alice"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(status, 200, "v1 answers 200 for failures");
    assert_eq!(
        body,
        json!({"ocs": {"meta": {"status": "failure", "statuscode": 102, "message": "User already exists", "totalitems": "", "itemsperpage": ""}, "data": []}})
    );
    let (status, body) = raw
        .call(
            Method::POST,
            2,
            "/users",
            &[("userid", "ALICE"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(
        (status.as_u16(), meta(&body)),
        (400, (102, "User already exists"))
    );

    // Empty payloads are `[]`.
    let (status, body) = raw.call(Method::PUT, 1, "/users/alice/disable", &[]).await;
    assert_eq!(status, 200);
    assert_eq!(body["ocs"]["data"], json!([]));
    assert_eq!(meta(&body), (100, "OK"));
}

#[tokio::test]
async fn the_ocs_header_and_credentials_are_required() {
    let mock = MockNextcloud::start().await;
    let url = format!("{}/ocs/v2.php/cloud/users?format=json", mock.url());
    let http = reqwest::Client::new();

    let response = http
        .get(&url)
        .basic_auth(ADMIN_USER, Some(ADMIN_PASSWORD))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 412);
    assert_eq!(
        response.json::<Value>().await.unwrap(),
        json!({"message": "CSRF check failed"})
    );

    let response = http
        .get(&url)
        .header("OCS-APIRequest", "true")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    assert!(response.headers().contains_key("www-authenticate"));
    let body: Value = response.json().await.unwrap();
    assert_eq!(meta(&body), (997, "Current user is not logged in"));

    let response = http
        .get(&url)
        .header("OCS-APIRequest", "true")
        .basic_auth(ADMIN_USER, Some("nope"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    assert_eq!(
        meta(&response.json::<Value>().await.unwrap()),
        (997, "Unauthorised")
    );

    // v1 answers 401 for 997 too.
    let v1 = url.replace("v2.php", "v1.php");
    let response = http
        .get(&v1)
        .header("OCS-APIRequest", "true")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
}

#[tokio::test]
async fn unknown_routes_are_loud() {
    let mock = MockNextcloud::start().await;
    let raw = Raw::new(&mock);
    let (status, body) = raw.call(Method::GET, 2, "/apps", &[]).await;
    assert_eq!(status, 404);
    let text = body.as_str().unwrap();
    assert!(
        text.contains("MockNextcloud") && text.contains("GET /ocs/v2.php/cloud/apps"),
        "{text}"
    );

    let (status, body) = raw.call(Method::PATCH, 2, "/users/alice/enable", &[]).await;
    assert_eq!(status, 405);
    assert!(body
        .as_str()
        .unwrap()
        .contains("PATCH /ocs/v2.php/cloud/users/alice/enable"));

    let response = reqwest::get(format!("{}/index.php/login", mock.url()))
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    assert!(response
        .text()
        .await
        .unwrap()
        .contains("GET /index.php/login"));
}

#[tokio::test]
async fn lookups_ignore_case_and_keep_the_stored_case() {
    let mock = MockNextcloud::start().await;
    let raw = Raw::new(&mock);
    raw.call(
        Method::POST,
        2,
        "/users",
        &[("userid", "o'Brien Jr@home"), ("password", PASSWORD)],
    )
    .await;
    let (status, body) = raw
        .call(Method::GET, 2, "/users/O'BRIEN%20jr%40HOME", &[])
        .await;
    assert_eq!(status, 200);
    assert_eq!(body["ocs"]["data"]["id"], "o'Brien Jr@home");
}

#[tokio::test]
async fn missing_accounts_answer_per_endpoint() {
    let mock = MockNextcloud::start().await;
    let raw = Raw::new(&mock);
    let cases: [(Method, &str, u16, i64); 5] = [
        (Method::GET, "/users/ghost", 404, 404),
        (Method::PUT, "/users/ghost", 404, 998),
        (Method::DELETE, "/users/ghost", 404, 998),
        (Method::PUT, "/users/ghost/disable", 400, 101),
        (Method::GET, "/users/ghost/groups", 404, 998),
    ];
    for (method, path, http, code) in cases {
        let (status, body) = raw
            .call(
                method.clone(),
                2,
                path,
                &[("key", "email"), ("value", "a@b.example")],
            )
            .await;
        assert_eq!(
            (status.as_u16(), meta(&body).0),
            (http, code),
            "{method} {path}"
        );
    }
}

#[tokio::test]
async fn details_are_an_empty_list_or_a_map() {
    let mock = MockNextcloud::start().await;
    let raw = Raw::new(&mock);
    let (_, body) = raw
        .send(
            raw.request(Method::GET, 2, "/users/details")
                .query(&[("search", "zzz")]),
        )
        .await;
    assert_eq!(body["ocs"]["data"], json!({"users": []}));
    let (_, body) = raw.call(Method::GET, 2, "/users/details", &[]).await;
    assert!(body["ocs"]["data"]["users"]["admin"].is_object());
}

#[tokio::test]
async fn an_invalid_quota_at_creation_still_creates_the_account() {
    let mock = MockNextcloud::start().await;
    let raw = Raw::new(&mock);
    let (status, body) = raw
        .call(
            Method::POST,
            2,
            "/users",
            &[("userid", "q1"), ("password", PASSWORD), ("quota", "lots")],
        )
        .await;
    assert_eq!(
        (status.as_u16(), meta(&body)),
        (400, (101, "Invalid quota value: lots"))
    );
    assert_eq!(mock.user("q1").unwrap().quota, "default");
    let (_, body) = raw
        .call(
            Method::POST,
            2,
            "/users",
            &[("userid", "q1"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(meta(&body).0, 102);
}

#[tokio::test]
async fn quota_edits_store_the_human_form() {
    let mock = MockNextcloud::start().await;
    let raw = Raw::new(&mock);
    mock.add_user("q2", PASSWORD);
    for (sent, stored) in [
        ("500 MiB", "500 B"),
        ("1000000000", "953.7 MB"),
        ("2G", "2 GB"),
        ("none", "none"),
    ] {
        let (status, _) = raw
            .call(
                Method::PUT,
                2,
                "/users/q2",
                &[("key", "quota"), ("value", sent)],
            )
            .await;
        assert_eq!(status, 200, "{sent}");
        assert_eq!(mock.user("q2").unwrap().quota, stored, "{sent}");
    }
    let (_, body) = raw.call(Method::GET, 2, "/users/q2", &[]).await;
    assert_eq!(body["ocs"]["data"]["quota"]["quota"], -3);
    assert_eq!(body["ocs"]["data"]["quota"]["free"], -3);

    let (status, body) = raw
        .call(
            Method::PUT,
            2,
            "/users/q2",
            &[("key", "quota"), ("value", "-1")],
        )
        .await;
    assert_eq!((status.as_u16(), meta(&body).0), (500, 996));
    assert_eq!(mock.user("q2").unwrap().quota, "none", "unchanged");
    let (status, body) = raw
        .call(
            Method::PUT,
            2,
            "/users/q2",
            &[("key", "colour"), ("value", "red")],
        )
        .await;
    assert_eq!((status.as_u16(), meta(&body).0), (400, 113));
}

#[tokio::test]
async fn over_quota_reports_negative_free_and_a_float_relative() {
    let mock = MockNextcloud::start().await;
    let raw = Raw::new(&mock);
    mock.add_user("q3", PASSWORD);
    raw.call(
        Method::PUT,
        2,
        "/users/q3",
        &[("key", "quota"), ("value", "10485760")],
    )
    .await;
    mock.set_used("q3", provision_core::ByteSize::new(20_174_294));
    let (_, body) = raw.call(Method::GET, 2, "/users/q3", &[]).await;
    assert_eq!(
        body["ocs"]["data"]["quota"],
        json!({"free": -9688534, "used": 20174294, "total": 10485760, "relative": 192.4, "quota": 10485760})
    );
}

#[tokio::test]
async fn the_51st_edit_gets_a_bare_429() {
    let mock = MockNextcloud::start().await;
    let raw = Raw::new(&mock);
    mock.add_user("r1", PASSWORD);
    for i in 0..50 {
        let value = format!("r{i}@example.com");
        let (status, _) = raw
            .call(
                Method::PUT,
                1,
                "/users/r1",
                &[("key", "email"), ("value", &value)],
            )
            .await;
        assert_eq!(status, 200, "edit {i}");
    }
    let response = raw
        .request(Method::PUT, 1, "/users/r1")
        .form(&[("key", "email"), ("value", "x@example.com")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 429);
    assert!(response.text().await.unwrap().is_empty());
    // Disable is not rate-limited.
    let (status, _) = raw.call(Method::PUT, 2, "/users/r1/disable", &[]).await;
    assert_eq!(status, 200);
    mock.set_edit_rate_limit(None);
    let (status, _) = raw
        .call(
            Method::PUT,
            2,
            "/users/r1",
            &[("key", "email"), ("value", "y@example.com")],
        )
        .await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn groups_follow_the_servers_rules() {
    let mock = MockNextcloud::start().await;
    let raw = Raw::new(&mock);
    mock.add_user("s1", PASSWORD);
    let (_, body) = raw
        .call(Method::POST, 2, "/groups", &[("groupid", "Grüne Gruppe")])
        .await;
    assert_eq!(meta(&body).0, 200);
    let (_, body) = raw
        .call(Method::POST, 2, "/groups", &[("groupid", "Grüne Gruppe")])
        .await;
    assert_eq!(meta(&body), (102, "group exists"));
    let (_, body) = raw
        .call(Method::POST, 2, "/groups", &[("groupid", "")])
        .await;
    assert_eq!(meta(&body), (101, "Invalid group name"));
    for _ in 0..2 {
        let (_, body) = raw
            .call(
                Method::POST,
                2,
                "/users/s1/groups",
                &[("groupid", "Grüne Gruppe")],
            )
            .await;
        assert_eq!(meta(&body).0, 200, "already a member is a success");
    }
    let (_, body) = raw
        .call(Method::GET, 2, "/groups/Gr%C3%BCne%20Gruppe/users", &[])
        .await;
    assert_eq!(body["ocs"]["data"], json!({"users": ["s1"]}));
    let (_, body) = raw
        .call(Method::DELETE, 2, "/groups/Gr%C3%BCne%20Gruppe", &[])
        .await;
    assert_eq!(meta(&body).0, 200);
    assert!(
        mock.user("s1").unwrap().groups.is_empty(),
        "memberships vanish with the group"
    );
    let (_, body) = raw.call(Method::DELETE, 2, "/groups/admin", &[]).await;
    assert_eq!(meta(&body).0, 102);
    let (_, body) = raw
        .call(
            Method::DELETE,
            2,
            "/users/admin/groups",
            &[("groupid", "admin")],
        )
        .await;
    assert_eq!(
        meta(&body),
        (105, "Cannot remove yourself from the admin group")
    );
}

#[tokio::test]
async fn json_bodies_work_like_forms() {
    let mock = MockNextcloud::start().await;
    let raw = Raw::new(&mock);
    mock.add_group("j1");
    let (status, _) = raw
        .send(raw.request(Method::POST, 2, "/users").json(&json!({
            "userid": "jsonuser", "password": PASSWORD, "groups": ["j1"], "quota": "1 GB"
        })))
        .await;
    assert_eq!(status, 200);
    let user = mock.user("jsonuser").unwrap();
    assert_eq!(
        (user.groups, user.quota.as_str()),
        (vec!["j1".to_string()], "1 GB")
    );
}

#[tokio::test]
async fn a_plain_account_is_not_an_admin() {
    let mock = MockNextcloud::start().await;
    mock.add_user("plain", PASSWORD);
    let http = reqwest::Client::new();
    let response = http
        .get(format!("{}/ocs/v2.php/cloud/users?format=json", mock.url()))
        .basic_auth("plain", Some(PASSWORD))
        .header("OCS-APIRequest", "true")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        meta(&body),
        (403, "Logged in account must be at least a sub admin")
    );
}

#[tokio::test]
async fn disabled_accounts_cannot_log_in() {
    let mock = MockNextcloud::start().await;
    let raw = Raw::new(&mock);
    mock.add_user("t1", PASSWORD);
    raw.call(Method::PUT, 2, "/users/t1/disable", &[]).await;
    let response = reqwest::Client::new()
        .get(format!(
            "{}/ocs/v2.php/cloud/users/t1?format=json",
            mock.url()
        ))
        .basic_auth("t1", Some(PASSWORD))
        .header("OCS-APIRequest", "true")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    let (_, body) = raw.call(Method::GET, 2, "/users/disabled", &[]).await;
    assert!(body["ocs"]["data"]["users"]["t1"].is_object());
}

#[tokio::test]
async fn the_request_counter_counts_and_resets() {
    let mock = MockNextcloud::start().await;
    let raw = Raw::new(&mock);
    assert_eq!(mock.request_count(), 0);
    raw.call(Method::GET, 2, "/users", &[]).await;
    raw.call(Method::GET, 1, "/groups", &[]).await;
    assert_eq!(mock.request_count(), 2);
    assert_eq!(
        mock.requests(),
        vec![
            "GET /ocs/v2.php/cloud/users",
            "GET /ocs/v1.php/cloud/groups"
        ]
    );
    mock.reset_request_count();
    assert_eq!(mock.request_count(), 0);
}

#[tokio::test]
async fn the_mock_answers_json_only() {
    let mock = MockNextcloud::start().await;
    let response = reqwest::Client::new()
        .get(format!("{}/ocs/v2.php/cloud/users", mock.url()))
        .basic_auth(ADMIN_USER, Some(ADMIN_PASSWORD))
        .header("OCS-APIRequest", "true")
        .timeout(Duration::from_secs(5))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 406);
    assert!(response.text().await.unwrap().contains("format=json"));
}

#[tokio::test]
async fn the_request_log_keeps_the_latest_requests_and_the_counter_counts_all() {
    use futures::stream::{self, StreamExt};
    use provision_nextcloud::mock::REQUEST_LOG_LIMIT;
    let mock = MockNextcloud::start().await;
    let http = reqwest::Client::new();
    let url = mock.url();
    // Unknown paths are answered too, and cheaply; these fill the log at once.
    stream::iter(0..REQUEST_LOG_LIMIT)
        .for_each_concurrent(32, |i| {
            let request = http.get(format!("{url}/fill/{i}"));
            async move {
                request.send().await.unwrap();
            }
        })
        .await;
    let extra = 5;
    for i in 0..extra {
        http.get(format!("{url}/last/{i}")).send().await.unwrap();
    }
    assert_eq!(mock.request_count(), REQUEST_LOG_LIMIT + extra);
    let log = mock.requests();
    assert_eq!(
        log.len(),
        REQUEST_LOG_LIMIT,
        "a long run keeps a bounded log"
    );
    let newest: Vec<String> = (0..extra).map(|i| format!("GET /last/{i}")).collect();
    assert_eq!(
        log[REQUEST_LOG_LIMIT - extra..],
        newest[..],
        "the oldest went first"
    );
    mock.reset_request_count();
    assert_eq!(mock.request_count(), 0);
    assert!(mock.requests().is_empty());
}
