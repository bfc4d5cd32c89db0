//! The JSON shapes of results, shared by `--output json` and `provision serve` (whose
//! OpenAPI document is generated from them): one type per shape, so both speak alike.

use std::collections::BTreeMap;

use provision::core::cycle::CycleSweep;
use provision::core::ledger::{LimitOverride, PendingAction, ServiceRecord};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A service as the ledger records it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ServiceView {
    /// The server's name in the configuration.
    pub server: String,
    /// The billing system's service id.
    pub service_id: String,
    /// The billing system's client id.
    pub client_id: String,
    /// The product's name in the configuration.
    pub product: String,
    /// `creating`, `active`, `suspended`, `terminating`, `terminated` or `failed`.
    pub status: String,
    /// The account's name on the server, once chosen.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// An administrator's limit decision (MinIO): `standard` or `limited`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit_override: Option<String>,
    /// Why the last operation failed, if it did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
    /// When the service was first recorded (RFC 3339).
    pub created_at: String,
    /// When its record last changed (RFC 3339).
    pub updated_at: String,
}

impl From<&ServiceRecord> for ServiceView {
    fn from(s: &ServiceRecord) -> Self {
        ServiceView {
            server: s.key.server.to_string(),
            service_id: s.key.service_id.clone(),
            client_id: s.client_id.clone(),
            product: s.product.clone(),
            status: s.status.code().to_string(),
            username: s.username.as_ref().map(|u| u.to_string()),
            limit_override: s.limit_override.map(|o| {
                match o {
                    LimitOverride::Standard => "standard",
                    LimitOverride::Limited => "limited",
                }
                .to_string()
            }),
            last_error: s.last_error.clone(),
            created_at: s.created_at.to_rfc3339(),
            updated_at: s.updated_at.to_rfc3339(),
        }
    }
}

/// A library, server or ledger error that is part of a result.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ErrorView {
    /// The error kind's stable name (`invalid_input`, `not_found`, `transient`, ...).
    pub kind: String,
    /// What went wrong, for people.
    pub message: String,
    /// The server's own error code, when a server answered.
    pub server_code: Option<String>,
    /// The server's own message, when a server answered.
    pub server_message: Option<String>,
}

impl From<&provision::core::Error> for ErrorView {
    fn from(error: &provision::core::Error) -> Self {
        ErrorView {
            kind: crate::error::kind_name(error.kind()).to_string(),
            message: error.to_string(),
            server_code: error.server_code().map(str::to_string),
            server_message: error.server_message().map(str::to_string),
        }
    }
}

impl From<&crate::error::CliError> for ErrorView {
    fn from(error: &crate::error::CliError) -> Self {
        match error {
            crate::error::CliError::Provision(e) => ErrorView::from(e),
            other => ErrorView {
                kind: other.kind_name().to_string(),
                message: other.to_string(),
                server_code: None,
                server_message: None,
            },
        }
    }
}

/// An action owed to a customer (a mail to send), waiting in the outbox.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ActionView {
    /// The id to confirm it by.
    pub id: i64,
    /// The server's name.
    pub server: String,
    /// The billing system's service id.
    pub service_id: String,
    /// The account's name.
    pub username: String,
    /// What is owed (`near_limit`, `over_limit`, ...).
    pub kind: String,
    /// The values the mail's template is filled with.
    pub values: BTreeMap<String, String>,
    /// When the sweep recorded it (RFC 3339).
    pub created_at: String,
    /// How often it was handed out before.
    pub attempts: u32,
}

impl From<&PendingAction> for ActionView {
    fn from(action: &PendingAction) -> Self {
        ActionView {
            id: action.id.0,
            server: action.service.server.as_str().to_string(),
            service_id: action.service.service_id.clone(),
            username: action.username.as_str().to_string(),
            kind: action.kind.code().to_string(),
            values: action.values.clone(),
            created_at: action.created_at.to_rfc3339(),
            attempts: action.attempts,
        }
    }
}

/// One account a sweep read.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SweptAccountView {
    /// The account's name.
    pub username: String,
    /// The bytes it uses, when the server said.
    pub used_bytes: Option<u64>,
    /// Its quota in bytes; none when unlimited.
    pub quota_bytes: Option<u64>,
    /// Its threshold state before the sweep.
    pub previous: String,
    /// Its threshold state after the sweep.
    pub state: String,
}

/// An account whose usage a sweep could not read.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SweepFailureView {
    /// The account's name.
    pub username: String,
    /// Why.
    pub error: ErrorView,
}

/// A limit policy a sweep switched (MinIO).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LimitSwitchView {
    /// The account's name.
    pub username: String,
    /// Whether the account is to be limited.
    pub limited: bool,
    /// Whether the switch succeeded (a failed one is tried again next sweep).
    pub ok: bool,
    /// Why it failed.
    pub error: Option<ErrorView>,
}

/// What the sweep of one server did.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SweepServerView {
    /// The server's name.
    pub server: String,
    /// Whether the server's sweep ran (its accounts may still have failed one by one).
    pub ok: bool,
    /// The accounts read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accounts: Option<Vec<SweptAccountView>>,
    /// The accounts that could not be read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failures: Option<Vec<SweepFailureView>>,
    /// How many actions were written to the outbox.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actions_recorded: Option<usize>,
    /// The limit policies switched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit_switches: Option<Vec<LimitSwitchView>>,
    /// Why the whole server's sweep failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorView>,
}

impl SweepServerView {
    /// The view of one server's sweep result.
    pub fn new(server: &str, result: &provision::core::Result<CycleSweep>) -> Self {
        match result {
            Ok(report) => SweepServerView {
                server: server.to_string(),
                ok: true,
                accounts: Some(
                    report
                        .outcomes
                        .iter()
                        .map(|o| SweptAccountView {
                            username: o.username.as_str().to_string(),
                            used_bytes: o.used.map(|b| b.bytes()),
                            quota_bytes: o.quota.limit().map(|b| b.bytes()),
                            previous: o.previous.code().to_string(),
                            state: o.state.code().to_string(),
                        })
                        .collect(),
                ),
                failures: Some(
                    report
                        .failures
                        .iter()
                        .map(|(user, e)| SweepFailureView {
                            username: user.as_str().to_string(),
                            error: ErrorView::from(e),
                        })
                        .collect(),
                ),
                actions_recorded: Some(report.actions_recorded),
                limit_switches: Some(
                    report
                        .limit_switches
                        .iter()
                        .map(|(user, limited, r)| LimitSwitchView {
                            username: user.as_str().to_string(),
                            limited: *limited,
                            ok: r.is_ok(),
                            error: r.as_ref().err().map(ErrorView::from),
                        })
                        .collect(),
                ),
                error: None,
            },
            Err(e) => SweepServerView {
                server: server.to_string(),
                ok: false,
                accounts: None,
                failures: None,
                actions_recorded: None,
                limit_switches: None,
                error: Some(ErrorView::from(e)),
            },
        }
    }

    /// Whether anything in it failed (the server, an account, a policy switch).
    pub fn has_failures(&self) -> bool {
        !self.ok
            || self.failures.as_ref().is_some_and(|f| !f.is_empty())
            || self
                .limit_switches
                .as_ref()
                .is_some_and(|s| s.iter().any(|s| !s.ok))
    }
}

/// One server's connection check.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CheckView {
    /// The server's name.
    pub server: String,
    /// Whether it answered and the credentials have admin rights.
    pub ok: bool,
    /// The backend (`nextcloud`, `synology`, `minio`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backend: Option<String>,
    /// The product the server reports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product: Option<String>,
    /// Its version, when it says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Whether the credentials have admin rights.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_admin: Option<bool>,
    /// What else the server reported.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub details: BTreeMap<String, String>,
    /// Why the check failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorView>,
}

/// Hands a password to JSON: the one place a secret leaves, once, in the answer of
/// the call that set it.
fn expose_password<S: serde::Serializer>(
    password: &Option<secrecy::SecretString>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    use secrecy::ExposeSecret;
    match password {
        Some(p) => serializer.serialize_some(p.expose_secret()),
        None => serializer.serialize_none(),
    }
}

/// What a create did.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedView {
    /// The service as the ledger records it now.
    pub service: ServiceView,
    /// The account's name.
    pub username: String,
    /// The account's password: given once, by the call that set it; null otherwise.
    #[serde(serialize_with = "expose_password")]
    #[schema(value_type = Option<String>)]
    pub password: Option<secrecy::SecretString>,
    /// Why the password is null, when it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password_note: Option<String>,
    /// Whether an earlier attempt of this order made the account.
    pub resumed: bool,
}

/// What an adoption of an existing account did.
#[derive(Debug, Serialize, ToSchema)]
pub struct AdoptedView {
    /// `recorded` (the account is now the service's), `already_recorded` (a repeated
    /// adoption: nothing changed) or `does_not_fit` (nothing recorded, nothing changed).
    #[schema(example = "recorded")]
    pub outcome: String,
    /// The account's name.
    pub username: String,
    /// The service as the ledger records it; null when nothing was recorded.
    pub service: Option<ServiceView>,
    /// Why the account does not fit, when it does not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// What does not fit (MinIO: buckets outside the namespace).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub resources: Vec<String>,
}

/// A service and, once, its new password.
#[derive(Debug, Serialize, ToSchema)]
pub struct PasswordView {
    /// The service.
    pub service: ServiceView,
    /// The new password, given once (the ledger does not keep it).
    #[serde(serialize_with = "expose_password")]
    #[schema(value_type = Option<String>)]
    pub password: Option<secrecy::SecretString>,
    /// Why the password is null, when it is (a replayed answer).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password_note: Option<String>,
}

/// A service.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ServiceAnswer {
    /// The service as the ledger records it.
    pub service: ServiceView,
}

/// What a service's account uses now, as its server reports it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct UsageView {
    /// The service.
    pub service: ServiceView,
    /// The bytes used, when the server says.
    pub used_bytes: Option<u64>,
    /// The product's quota in bytes; null when unlimited.
    pub quota_bytes: Option<u64>,
    /// The share of the quota used, in whole percent.
    pub percent_used: Option<u64>,
    /// When the server measured it (RFC 3339), when it says.
    pub measured_at: Option<String>,
}

/// One day of a usage series.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DailyView {
    /// The calendar day (YYYY-MM-DD).
    pub day: String,
    /// The day's highest sample, when one was recorded.
    pub used_bytes: Option<u64>,
}

/// One month of a usage series.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MonthlyView {
    /// The year.
    pub year: i32,
    /// The month, 1 to 12.
    pub month: u32,
    /// The average of the month's samples.
    pub average_bytes: u64,
    /// How many samples the average is over.
    pub samples: u64,
}

/// A service's recorded usage.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct HistoryView {
    /// The service.
    pub service: ServiceView,
    /// The time zone whose days and months the series follow.
    pub time_zone: String,
    /// The highest sample of each day, oldest first.
    pub daily: Vec<DailyView>,
    /// The average of each month with samples, oldest first.
    pub monthly: Vec<MonthlyView>,
}
