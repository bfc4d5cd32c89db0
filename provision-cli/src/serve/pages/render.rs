//! The pages as HTML, from core's view models ([`provision::core::views`]), with maud:
//! its templates are Rust expressions, checked when the crate compiles, and every
//! value is escaped unless wrapped in `PreEscaped`.
//!
//! Every text a reader sees comes from the `pages` catalogue through
//! [`provision::core::i18n`], numbers through its `format_decimal`. The page sets
//! `lang` and `dir` (right to left for Arabic, Farsi and Hebrew). The only script is a
//! few lines for the copy buttons (which it shows; without it they stay hidden); the
//! password's "show" button is a `<details>` element and needs none.

use maud::{html, Markup, PreEscaped, DOCTYPE};
use provision::core::i18n::{format_decimal, format_percent, Args, Catalogue, Language};
use provision::core::views::{
    in_unit, AdminAction, AdminArea, ClientArea, PasswordDisplay, SpaceView, UsageStatistics,
};
use provision::core::Unit;
use secrecy::{ExposeSecret, SecretString};

use super::charts::{self, Column};

/// The reader's language, and the texts and numbers in it.
#[derive(Debug, Clone, Copy)]
pub struct Texts {
    /// The language.
    pub language: Language,
}

impl Texts {
    /// The message `id` without variables.
    pub fn get(&self, id: &str) -> String {
        Catalogue::get().text(self.language, id, &Args::new())
    }

    /// The message `id` with `args`.
    pub fn with(&self, id: &str, args: &Args) -> String {
        Catalogue::get().text(self.language, id, args)
    }

    /// `bytes` in `unit`, two decimals, in the reader's digits: "1,50 GB".
    pub fn size(&self, bytes: u64, unit: Unit) -> String {
        self.with(
            "page-size",
            &Args::new()
                .text("size", format_decimal(self.language, &in_unit(bytes, unit)))
                .text("unit", unit.to_string()),
        )
    }

    /// A whole percentage in the reader's form: "42 %", "%42".
    pub fn percent(&self, percent: u64) -> String {
        format_percent(self.language, percent)
    }

    /// A count in the reader's digits.
    pub fn count(&self, n: u64) -> String {
        format_decimal(self.language, &n.to_string())
    }
}

/// How the page is delivered: a whole document, or a fragment a billing system puts
/// into its own page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// `<!DOCTYPE html><html>...`.
    Document,
    /// A `<div>` with its style and script, no `<html>` chrome.
    Fragment,
}

/// What every page is wrapped in.
pub struct Frame<'a> {
    /// The texts.
    pub texts: Texts,
    /// Document or fragment.
    pub shape: Shape,
    /// The CSP nonce of this answer's style and script.
    pub nonce: &'a str,
    /// The document's title.
    pub title: String,
}

const STYLE: &str = include_str!("page.css");
const SCRIPT: &str = include_str!("page.js");

/// `body` as a whole page or a fragment, in the reader's language and direction.
pub fn wrap(frame: &Frame<'_>, body: Markup) -> String {
    let language = frame.texts.language;
    let dir = if language.is_right_to_left() {
        "rtl"
    } else {
        "ltr"
    };
    let content = html! {
        style nonce=(frame.nonce) { (PreEscaped(STYLE)) }
        div class="provision-page" lang=(language.code()) dir=(dir) {
            (body)
        }
        script nonce=(frame.nonce) { (PreEscaped(SCRIPT)) }
    };
    match frame.shape {
        Shape::Fragment => content.into_string(),
        Shape::Document => html! {
            (DOCTYPE)
            html lang=(language.code()) dir=(dir) {
                head {
                    meta charset="utf-8";
                    meta name="viewport" content="width=device-width, initial-scale=1";
                    meta name="color-scheme" content="light dark";
                    title { (frame.title) }
                }
                body { (content) }
            }
        }
        .into_string(),
    }
}

fn copy_button(texts: &Texts, target: &str) -> Markup {
    html! {
        button type="button" class="copy" data-copy=(target) data-done=(texts.get("page-copied")) hidden {
            (texts.get("page-copy"))
        }
    }
}

fn or_dash(value: Option<String>) -> String {
    value.unwrap_or_else(|| "—".to_string())
}

fn unit_of(text: &str) -> Unit {
    Unit::parse(text).unwrap_or(Unit::Gb)
}

/// The space table: limit ("Unlimited" for a quota of 0), used, free, used %, free %.
fn space_table(texts: &Texts, space: &SpaceView, unit: Unit) -> Markup {
    let size = |b: Option<u64>| b.map(|b| texts.size(b, unit));
    let unknown = texts.get("page-not-measured");
    html! {
        table class="space" {
            tbody {
                tr { th scope="row" { (texts.get("page-limit")) }
                     td data-cell="limit" { @if space.unlimited { (texts.get("page-unlimited")) } @else { (or_dash(size(space.limit_bytes))) } } }
                tr { th scope="row" { (texts.get("page-used")) }
                     td data-cell="used" { (size(space.used_bytes).unwrap_or_else(|| unknown.clone())) } }
                tr { th scope="row" { (texts.get("page-free")) }
                     td data-cell="free" { (or_dash(size(space.free_bytes))) } }
                tr { th scope="row" { (texts.get("page-used-percent")) }
                     td data-cell="used-percent" data-value=[space.used_percent] { (or_dash(space.used_percent.map(|p| texts.percent(p)))) } }
                tr { th scope="row" { (texts.get("page-free-percent")) }
                     td data-cell="free-percent" data-value=[space.free_percent] { (or_dash(space.free_percent.map(|p| texts.percent(p)))) } }
            }
        }
    }
}

fn space_pie(texts: &Texts, space: &SpaceView, unit: Unit) -> Markup {
    match (space.limit_bytes, space.used_bytes) {
        (Some(limit), Some(used)) => {
            let description = texts.with(
                "page-pie-desc",
                &Args::new()
                    .text("used", texts.size(used, unit))
                    .text("limit", texts.size(limit, unit))
                    .text("free", texts.size(limit.saturating_sub(used), unit))
                    .text("percent", texts.percent(space.used_percent.unwrap_or(0))),
            );
            html! {
                figure class="pie-figure" {
                    (charts::pie("space-pie", &texts.get("page-pie-title"), &description, used, limit))
                    figcaption {
                        span class="key used" {} (texts.get("page-used")) " "
                        span class="key free" {} (texts.get("page-free"))
                    }
                }
            }
        }
        _ => html! {},
    }
}

/// The client area with its usage statistics.
pub fn client_page(
    texts: &Texts,
    area: &ClientArea,
    statistics: Option<&UsageStatistics>,
) -> Markup {
    let unit = unit_of(&area.unit);
    html! {
        h1 { (texts.get("page-client-title")) }
        section class="card account" aria-labelledby="account-heading" {
            h2 id="account-heading" { (texts.get("page-access")) }
            dl {
                @if let Some(address) = &area.web_address {
                    dt { (texts.get("page-web-address")) }
                    dd { a id="web-address" href=(address) target="_blank" rel="noopener noreferrer" { (address) } " " (copy_button(texts, "web-address")) }
                }
                dt { (texts.get("page-username")) }
                dd { code id="username" { (or_dash(area.username.clone())) } " " @if area.username.is_some() { (copy_button(texts, "username")) } }
                @if area.password_display != PasswordDisplay::Hidden {
                    dt { (texts.get("page-password")) }
                    dd { (password_field(texts, area.password_display, area.password.as_ref())) }
                }
            }
            @if let Some(url) = &area.instructions_url {
                p { a class="button" id="instructions" href=(url) target="_blank" rel="noopener noreferrer" { (texts.get("page-instructions")) } }
            }
        }
        section class="card space-card" aria-labelledby="space-heading" {
            h2 id="space-heading" { (texts.get("page-space")) }
            div class="space-layout" {
                (space_pie(texts, &area.space, unit))
                (space_table(texts, &area.space, unit))
            }
        }
        @if let Some(buckets) = &area.buckets {
            (bucket_table(texts, buckets, unit))
        }
        @if let Some(statistics) = statistics {
            (statistics_section(texts, statistics))
        }
    }
}

fn password_field(
    texts: &Texts,
    display: PasswordDisplay,
    password: Option<&SecretString>,
) -> Markup {
    match (display, password) {
        (PasswordDisplay::Hidden, _) => html! {},
        (_, None) => {
            html! { span class="note" id="password-note" { (texts.get("page-password-elsewhere")) } }
        }
        (PasswordDisplay::Plain, Some(password)) => html! {
            code id="password" { (password.expose_secret()) } " " (copy_button(texts, "password"))
        },
        (PasswordDisplay::Button, Some(password)) => html! {
            details class="password" {
                summary id="show-password" { (texts.get("page-password-show")) }
                code id="password" { (password.expose_secret()) } " " (copy_button(texts, "password"))
            }
        },
    }
}

fn bucket_table(
    texts: &Texts,
    buckets: &[provision::core::views::BucketView],
    unit: Unit,
) -> Markup {
    html! {
        section class="card buckets" aria-labelledby="buckets-heading" {
            h2 id="buckets-heading" { (texts.get("page-buckets")) }
            @if buckets.is_empty() {
                p { (texts.get("page-no-buckets")) }
            } @else {
                table {
                    thead { tr { th scope="col" { (texts.get("page-bucket")) } th scope="col" { (texts.get("page-bucket-size")) } th scope="col" { (texts.get("page-bucket-objects")) } } }
                    tbody {
                        @for bucket in buckets {
                            tr data-bucket=(bucket.name) { td { code { (bucket.name) } } td { (texts.size(bucket.size_bytes, unit)) } td { (texts.count(bucket.objects)) } }
                        }
                    }
                }
                p class="note" { (texts.get("page-buckets-note")) }
            }
        }
    }
}

fn statistics_section(texts: &Texts, statistics: &UsageStatistics) -> Markup {
    let unit = unit_of(&statistics.unit);
    let days = statistics.daily.len() as u64;
    let with_data = statistics.days_with_data() as u64;
    let daily: Vec<Column> = statistics
        .daily
        .iter()
        .map(|d| Column {
            label: d.day.format("%m-%d").to_string(),
            key: d.day.to_string(),
            value: d.used_bytes,
            text: d
                .used_bytes
                .map(|b| texts.size(b, unit))
                .unwrap_or_default(),
        })
        .collect();
    let monthly: Vec<Column> = statistics
        .monthly
        .iter()
        .map(|m| Column {
            label: format!("{:04}-{:02}", m.year, m.month),
            key: format!("{:04}-{:02}", m.year, m.month),
            value: Some(m.average_bytes),
            text: texts.size(m.average_bytes, unit),
        })
        .collect();
    let daily_max = daily.iter().filter_map(|c| c.value).max().unwrap_or(0);
    let monthly_max = monthly.iter().filter_map(|c| c.value).max().unwrap_or(0);
    let daily_title = texts.with("page-daily-title", &Args::new().number("days", days));
    let daily_desc = texts.with(
        "page-daily-desc",
        &Args::new()
            .number("count", with_data)
            .text("unit", unit.to_string()),
    );
    let monthly_title = texts.get("page-monthly-title");
    let monthly_desc = texts.with(
        "page-monthly-desc",
        &Args::new()
            .number("count", monthly.len() as u64)
            .text("unit", unit.to_string()),
    );
    html! {
        section class="card statistics" aria-labelledby="statistics-heading" {
            h2 id="statistics-heading" { (texts.get("page-statistics")) }
            p class="note" { (texts.with("page-time-zone", &Args::new().text("zone", statistics.time_zone.clone()))) }
            h3 { (daily_title) }
            @if with_data == 0 {
                p id="daily-empty" { (texts.get("page-no-data")) }
            } @else {
                (charts::columns("daily-chart", &daily_title, &daily_desc, &daily, &texts.size(daily_max, unit)))
                details class="numbers" {
                    summary { (texts.get("page-show-numbers")) }
                    table id="daily-table" {
                        thead { tr { th scope="col" { (texts.get("page-day")) } th scope="col" { (texts.get("page-used")) } } }
                        tbody { @for d in daily.iter().filter(|d| d.value.is_some()) { tr { td { (d.key) } td { (d.text) } } } }
                    }
                }
            }
            h3 { (monthly_title) }
            @if monthly.is_empty() {
                p id="monthly-empty" { (texts.get("page-no-data")) }
            } @else {
                (charts::columns("monthly-chart", &monthly_title, &monthly_desc, &monthly, &texts.size(monthly_max, unit)))
                details class="numbers" {
                    summary { (texts.get("page-show-numbers")) }
                    table id="monthly-table" {
                        thead { tr { th scope="col" { (texts.get("page-month")) } th scope="col" { (texts.get("page-average")) } } }
                        tbody { @for m in &monthly { tr { td { (m.key) } td { (m.text) } } } }
                    }
                }
            }
        }
    }
}

fn action_form(texts: &Texts, area: &AdminArea, action: AdminAction, link: &str) -> Markup {
    let path = format!(
        "/pages/{}/{}/admin/{}",
        super::path_part(&area.server),
        super::path_part(&area.service_id),
        action.code()
    );
    let label = texts.get(&format!("page-action-{}", action.code()));
    html! {
        form method="post" action=(path) class={ "action " (action.code()) } {
            input type="hidden" name="link" value=(link);
            @match action {
                AdminAction::ChangePlan => {
                    label { (texts.get("page-new-product")) " "
                        select name="product" required {
                            @for product in &area.other_products { option value=(product) { (product) } }
                        }
                    }
                    " "
                }
                AdminAction::Terminate => {
                    label { input type="checkbox" name="confirm" value="yes" required; " " (texts.get("page-confirm-terminate")) }
                    " "
                }
                _ => {}
            }
            button type="submit" data-action=(action.code()) disabled[action == AdminAction::ChangePlan && area.other_products.is_empty()] { (label) }
        }
    }
}

/// The admin area; `link` is the page's token, which each action's form sends back.
pub fn admin_page(texts: &Texts, area: &AdminArea, link: &str) -> Markup {
    let unit = unit_of(&area.unit);
    let yes_no = |b: bool| texts.get(if b { "page-yes" } else { "page-no" });
    html! {
        h1 { (texts.get("page-admin-title")) }
        section class="card" aria-labelledby="connection-heading" {
            h2 id="connection-heading" { (texts.get("page-connection")) }
            @if area.connection.ok {
                p class="status ok" id="connection" data-ok="true" { (texts.with("page-connection-ok", &Args::new().text("server", area.connection.server.clone().unwrap_or_default()))) }
            } @else {
                p class="status failed" id="connection" data-ok="false" { (texts.with("page-connection-failed", &Args::new().text("error", area.connection.error.clone().unwrap_or_default()))) }
            }
        }
        section class="card" aria-labelledby="account-heading" {
            h2 id="account-heading" { (texts.get("page-account")) }
            table class="facts" {
                tbody {
                    tr { th scope="row" { (texts.get("page-username")) } td { code id="username" { (or_dash(area.username.clone())) } } }
                    tr { th scope="row" { (texts.get("page-status")) } td id="status" { (texts.get(&format!("page-status-{}", area.status))) } }
                    tr { th scope="row" { (texts.get("page-enabled")) } td id="enabled" { (or_dash(area.enabled.map(yes_no))) } }
                    tr { th scope="row" { (texts.get("page-product")) } td { (area.product) } }
                    tr { th scope="row" { (texts.get("page-group")) } td { @if area.groups.is_empty() { "—" } @else { (area.groups.join(", ")) } } }
                    tr { th scope="row" { (texts.get("page-email")) } td { (or_dash(area.email.clone())) } }
                    @if area.backend == "minio" {
                        tr { th scope="row" { (texts.get("page-limit-policy")) } td id="limit-policy" { (texts.get(&format!("page-limit-policy-{}", area.limit_override.as_deref().unwrap_or("usage")))) } }
                    }
                }
            }
        }
        section class="card" aria-labelledby="usage-heading" {
            h2 id="usage-heading" { (texts.get("page-disk-usage")) }
            @if let Some(percent) = area.space.used_percent {
                progress id="usage-bar" max="100" value=(percent.min(100)) aria-label=(texts.get("page-disk-usage")) { (texts.percent(percent)) }
            }
            (space_table(texts, &area.space, unit))
        }
        @if let Some(buckets) = &area.buckets {
            (bucket_table(texts, buckets, unit))
        }
        section class="card" aria-labelledby="actions-heading" {
            h2 id="actions-heading" { (texts.get("page-actions")) }
            @if area.actions.is_empty() {
                p { (texts.get("page-no-actions")) }
            } @else {
                div class="actions" {
                    @for action in &area.actions { (action_form(texts, area, *action, link)) }
                }
            }
        }
    }
}

/// The answer to an admin action: what happened, a new password once, the way back.
pub fn action_result(
    texts: &Texts,
    action: AdminAction,
    outcome: Result<Option<SecretString>, String>,
    back: &str,
) -> Markup {
    let label = texts.get(&format!("page-action-{}", action.code()));
    html! {
        h1 { (label) }
        section class="card" {
            @match &outcome {
                Ok(password) => {
                    p class="status ok" id="outcome" data-ok="true" { (texts.with("page-action-done", &Args::new().text("action", label.clone()))) }
                    @if let Some(password) = password {
                        p { (texts.get("page-new-password")) " " code id="password" { (password.expose_secret()) } " " (copy_button(texts, "password")) }
                    }
                }
                Err(error) => {
                    p class="status failed" id="outcome" data-ok="false" { (texts.with("page-action-failed", &Args::new().text("error", error.clone()))) }
                }
            }
            p { a class="button" id="back" href=(back) { (texts.get("page-back")) } }
        }
    }
}

/// The page of a refused or failed request: a title and why.
pub fn refusal(texts: &Texts, title_id: &str, message: &str) -> Markup {
    html! {
        h1 id="refused" { (texts.get(title_id)) }
        section class="card" { p id="reason" { (message) } }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use provision::core::ledger::ServiceStatus;

    #[test]
    fn every_message_the_pages_build_by_name_exists_in_every_language() {
        let catalogue = Catalogue::get();
        let mut ids: Vec<String> = AdminAction::ALL
            .iter()
            .map(|a| format!("page-action-{}", a.code()))
            .collect();
        ids.extend(
            ServiceStatus::ALL
                .iter()
                .map(|s| format!("page-status-{}", s.code())),
        );
        ids.extend(["usage", "standard", "limited"].map(|p| format!("page-limit-policy-{p}")));
        for language in Language::ALL {
            for id in &ids {
                assert!(catalogue.has(language, id), "{}: {id}", language.code());
            }
        }
    }

    #[test]
    fn sizes_and_directions_follow_the_language() {
        let german = Texts {
            language: Language::German,
        };
        assert_eq!(german.size(3 << 29, Unit::Gb), "1,50 GB");
        let frame = |language| Frame {
            texts: Texts { language },
            shape: Shape::Fragment,
            nonce: "n",
            title: String::new(),
        };
        for language in Language::ALL {
            let html = wrap(&frame(language), html! {});
            let dir = if matches!(
                language,
                Language::Arabic | Language::Hebrew | Language::Farsi
            ) {
                "rtl"
            } else {
                "ltr"
            };
            assert!(
                html.contains(&format!("lang=\"{}\" dir=\"{dir}\"", language.code())),
                "{html}"
            );
        }
    }
}
