//! The customer's and the admin's pages over HTTP: links minted by an admin token,
//! refused when expired, altered, or used for another role or service; the security
//! headers; the password only from a POST body and only where the product shows it;
//! the admin actions run with the page's link and nothing else.

mod common;

use chrono::Utc;
use common::Harness;
use provision::core::i18n::Language;
use provision::core::ByteSize;
use provision_cli::serve::pages::links::{LinkClaims, LinkKey, Role};
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn mint(h: &Harness, body: Value) -> (StatusCode, Value) {
    h.post("/v1/pages/links", &h.admin, body).await
}

async fn link(h: &Harness, server: &str, service: &str, role: &str, language: &str) -> Value {
    let (status, body) = mint(
        h,
        json!({"server": server, "service_id": service, "role": role, "language": language, "time_zone": "Europe/Berlin"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body
}

async fn get_page(h: &Harness, path: &str) -> (StatusCode, reqwest::header::HeaderMap, String) {
    let response = h
        .http
        .get(format!("{}{path}", h.base))
        .send()
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    (status, headers, response.text().await.unwrap())
}

async fn post_form(
    h: &Harness,
    path: &str,
    form: &[(&str, &str)],
    site: Option<&str>,
) -> (StatusCode, String) {
    let mut request = h.http.post(format!("{}{path}", h.base)).form(form);
    if let Some(site) = site {
        request = request.header("Sec-Fetch-Site", site);
    }
    let response = request.send().await.unwrap();
    (response.status(), response.text().await.unwrap())
}

async fn create(h: &Harness, server: &str, product: &str, service: &str) -> Value {
    let (status, body) = h
        .post(
            "/v1/services",
            &h.provision,
            json!({"server": server, "service_id": service, "client_id": "42", "product": product}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body
}

fn signed(h: &Harness, claims: &LinkClaims) -> String {
    LinkKey::new(&h.pages_key).unwrap().sign(claims)
}

#[tokio::test]
async fn links_are_minted_by_admins_only_for_known_services_and_checked_inputs() {
    let h = Harness::start().await;
    create(&h, "cloud", "cloud", "7").await;
    let body = json!({"server": "cloud", "service_id": "7", "role": "client"});
    let (status, _) = h.post("/v1/pages/links", &h.provision, body.clone()).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, answer) = mint(&h, body).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    assert!(answer["path"]
        .as_str()
        .unwrap()
        .starts_with("/pages/cloud/7/client?link="));
    let (status, _) = mint(
        &h,
        json!({"server": "cloud", "service_id": "8", "role": "client"}),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    for bad in [
        json!({"server": "cloud", "service_id": "7", "role": "client", "language": "xx"}),
        json!({"server": "cloud", "service_id": "7", "role": "client", "time_zone": "Mars/Olympus"}),
        json!({"server": "cloud", "service_id": "7", "role": "client", "lifetime_seconds": 86400}),
        json!({"server": "cloud", "service_id": "7", "role": "owner"}),
    ] {
        let (status, answer) = mint(&h, bad.clone()).await;
        assert!(status.is_client_error(), "{bad}: {status} {answer}");
    }
}

#[tokio::test]
async fn the_client_page_has_strict_headers_and_no_password_from_a_get() {
    let h = Harness::start().await;
    let created = create(&h, "cloud", "cloud", "7").await;
    let username = created["username"].as_str().unwrap();
    h.nextcloud.set_used(username, ByteSize::new(5 << 29));
    let answer = link(&h, "cloud", "7", "client", "de").await;
    let (status, headers, html) = get_page(&h, answer["path"].as_str().unwrap()).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    let csp = headers["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("default-src 'none'"), "{csp}");
    assert!(
        csp.contains("frame-ancestors 'self' https://billing.example.com"),
        "{csp}"
    );
    assert!(
        !csp.contains("unsafe-inline") && !csp.contains("http:"),
        "{csp}"
    );
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["referrer-policy"], "no-referrer");
    assert_eq!(headers["cache-control"], "no-store");
    assert!(headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    // The nonce in the header is the one on the page's style and script.
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .unwrap()
        .split('\'')
        .next()
        .unwrap();
    assert_eq!(
        html.matches(&format!("nonce=\"{nonce}\"")).count(),
        2,
        "{html}"
    );
    assert!(
        html.starts_with("<!DOCTYPE html><html lang=\"de\" dir=\"ltr\">"),
        "{html}"
    );
    assert!(html.contains(username));
    // German digits: 2.5 GB of 10 GB.
    assert!(html.contains("2,50 GB"), "{html}");
    assert!(html.contains("https://example.com/help/storage"));
    assert!(
        !html.contains("id=\"password\""),
        "a GET page holds no password"
    );
    assert!(
        !html.contains("<script src") && !html.contains("<link"),
        "nothing remote"
    );

    let fragment = format!("{}&fragment=1", answer["path"].as_str().unwrap());
    let (status, _, html) = get_page(&h, &fragment).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!html.contains("<html") && !html.contains("<head"), "{html}");
    assert!(
        html.contains("class=\"provision-page\" lang=\"de\" dir=\"ltr\""),
        "{html}"
    );
}

#[tokio::test]
async fn the_password_comes_only_from_a_post_and_only_where_the_product_shows_it() {
    let h = Harness::start().await;
    let secret = "Xy7-not-in-any-url-9";
    for (product, service, shown) in [
        ("cloud", "1", Some("<details class=\"password\">")),
        ("cloud-plain", "2", Some("<code id=\"password\">")),
        ("cloud-hidden", "3", None),
    ] {
        create(&h, "cloud", product, service).await;
        let answer = link(&h, "cloud", service, "client", "en").await;
        let path = format!("/pages/cloud/{service}/client");
        let (status, html) = post_form(
            &h,
            &path,
            &[
                ("link", answer["link"].as_str().unwrap()),
                ("password", secret),
            ],
            None,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{product}: {html}");
        match shown {
            Some(marker) => {
                assert!(html.contains(secret), "{product}");
                assert!(html.contains(marker), "{product}: {html}");
            }
            None => {
                assert!(
                    !html.contains(secret),
                    "{product}: the hidden password is on the page"
                );
                assert!(!html.contains("id=\"password"), "{product}");
                // An unlimited quota says so.
                assert!(html.contains("Unlimited"), "{html}");
            }
        }
    }
}

#[tokio::test]
async fn expired_altered_wrong_role_and_wrong_service_links_are_refused_with_a_page() {
    let h = Harness::start().await;
    create(&h, "cloud", "cloud", "7").await;
    create(&h, "cloud", "cloud", "8").await;
    let claims = LinkClaims {
        server: "cloud".into(),
        service_id: "7".into(),
        role: Role::Client,
        language: Language::English,
        time_zone: "UTC".into(),
        expires: Utc::now().timestamp() + 300,
    };
    let good = signed(&h, &claims);
    let (status, _, _) = get_page(&h, &format!("/pages/cloud/7/client?link={good}")).await;
    assert_eq!(status, StatusCode::OK);

    let expired = signed(
        &h,
        &LinkClaims {
            expires: Utc::now().timestamp() - 1,
            ..claims.clone()
        },
    );
    // One character of the claims changed: the signature no longer holds.
    let mut altered = good.clone().into_bytes();
    altered[3] = if altered[3] == b'A' { b'B' } else { b'A' };
    let altered = String::from_utf8(altered).unwrap();
    let cases = [
        (
            format!("/pages/cloud/7/client?link={expired}"),
            "The link has expired",
        ),
        (
            format!("/pages/cloud/7/client?link={altered}"),
            "The link is not valid",
        ),
        (
            format!("/pages/cloud/7/admin?link={good}"),
            "made for another page",
        ),
        (
            format!("/pages/cloud/8/client?link={good}"),
            "made for another service",
        ),
        ("/pages/cloud/7/client".to_string(), "The link is not valid"),
    ];
    for (path, reason) in cases {
        let (status, headers, html) = get_page(&h, &path).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
        assert!(
            headers["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/html"),
            "{path}"
        );
        assert!(html.contains(reason), "{path}: {html}");
        assert!(headers.contains_key("content-security-policy"));
    }
    // The reader's language, when the link says none.
    let response = h
        .http
        .get(format!("{}/pages/cloud/7/client?link={expired}", h.base))
        .header("Accept-Language", "de-AT, en;q=0.5")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(response.text().await.unwrap().contains("lang=\"de\""));
}

#[tokio::test]
async fn admin_actions_run_with_the_admin_link_only_and_never_cross_site() {
    let h = Harness::start().await;
    create(&h, "cloud", "cloud", "7").await;
    let admin = link(&h, "cloud", "7", "admin", "en").await;
    let client = link(&h, "cloud", "7", "client", "en").await;
    let (status, _, html) = get_page(&h, admin["path"].as_str().unwrap()).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(
        html.contains("data-ok=\"true\""),
        "the connection is up: {html}"
    );
    for action in ["suspend", "terminate", "change-password", "change-plan"] {
        assert!(
            html.contains(&format!("data-action=\"{action}\"")),
            "{action}"
        );
    }
    assert!(!html.contains("data-action=\"unsuspend\""));
    assert!(
        !html.contains("set-limited-policy"),
        "no policy actions on Nextcloud"
    );

    let suspend = "/pages/cloud/7/admin/suspend";
    let admin_link = admin["link"].as_str().unwrap();
    let (status, _) = post_form(
        &h,
        suspend,
        &[("link", client["link"].as_str().unwrap())],
        None,
    )
    .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "a client link acts on nothing"
    );
    let (status, _) = post_form(&h, suspend, &[("link", admin_link)], Some("cross-site")).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "another site's form is refused"
    );
    let (status, _) = post_form(
        &h,
        "/pages/cloud/7/admin/unsuspend",
        &[("link", admin_link)],
        None,
    )
    .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "an action the status does not allow"
    );
    let (_, service) = h.get("/v1/services/cloud/7", &h.read).await;
    assert_eq!(service["service"]["status"], "active", "{service}");

    let (status, html) = post_form(&h, suspend, &[("link", admin_link)], Some("same-origin")).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("id=\"outcome\" data-ok=\"true\""), "{html}");
    let (_, service) = h.get("/v1/services/cloud/7", &h.read).await;
    assert_eq!(service["service"]["status"], "suspended", "{service}");

    // A new password is shown once, in the answer's body.
    let (status, html) = post_form(
        &h,
        "/pages/cloud/7/admin/change-password",
        &[("link", admin_link)],
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("<code id=\"password\">"), "{html}");
    // Terminating wants its confirmation.
    let (status, html) = post_form(
        &h,
        "/pages/cloud/7/admin/terminate",
        &[("link", admin_link)],
        None,
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{html}");
    let (_, service) = h.get("/v1/services/cloud/7", &h.read).await;
    assert_eq!(service["service"]["status"], "suspended", "{service}");
}

#[tokio::test]
async fn minio_pages_list_buckets_and_offer_the_policy_actions() {
    let h = Harness::start().await;
    let created = create(&h, "s3", "s3", "9").await;
    let username = created["username"].as_str().unwrap().to_string();
    let bucket = h
        .minio
        .buckets()
        .into_iter()
        .find(|b| b.starts_with(&username))
        .expect("the default bucket");
    h.minio.set_usage(&bucket, 3 << 20).unwrap();
    let admin = link(&h, "s3", "9", "admin", "en").await;
    let (status, _, html) = get_page(&h, admin["path"].as_str().unwrap()).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(
        html.contains(&format!("data-bucket=\"{bucket}\"")),
        "{html}"
    );
    for action in ["update-policy", "set-standard-policy", "set-limited-policy"] {
        assert!(
            html.contains(&format!("data-action=\"{action}\"")),
            "{action}"
        );
    }
    let (status, html) = post_form(
        &h,
        "/pages/s3/9/admin/set-limited-policy",
        &[("link", admin["link"].as_str().unwrap())],
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{html}");
    let (_, _, html) = get_page(&h, admin["path"].as_str().unwrap()).await;
    assert!(html.contains("Limited (set by an administrator)"), "{html}");
}

#[tokio::test]
async fn the_statistics_show_one_column_per_day_with_data() {
    let h = Harness::start().await;
    let created = create(&h, "cloud", "cloud", "7").await;
    let days = [1i64, 2, 5, 9, 20];
    h.record_daily_usage(
        "cloud",
        created["username"].as_str().unwrap(),
        &days,
        |day| ByteSize::new((day as u64) << 28),
    )
    .await;
    let answer = link(&h, "cloud", "7", "client", "en").await;
    let (_, _, html) = get_page(&h, answer["path"].as_str().unwrap()).await;
    assert_eq!(
        html.matches("<rect class=\"column\"").count() - monthly_columns(&html),
        days.len(),
        "{html}"
    );
    assert!(html.contains("5 days have data"), "{html}");
    assert!(html.contains("Daily usage, last 30 days"), "{html}");
}

/// The columns of the monthly chart (the page's second chart).
fn monthly_columns(html: &str) -> usize {
    html.split("id=\"monthly-chart\"")
        .nth(1)
        .map(|rest| {
            rest.split("</svg>")
                .next()
                .unwrap_or("")
                .matches("<rect class=\"column\"")
                .count()
        })
        .unwrap_or(0)
}
