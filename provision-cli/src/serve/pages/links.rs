//! Short-lived signed page links.
//!
//! A link's token is `base64url(claims JSON) "." base64url(HMAC-SHA256(key, claims))`:
//! the claims bind it to the server, the service, the role (client or admin), the
//! language, the time zone and an expiry. The page's path names the server, the
//! service and the role again, and a token is accepted only on its own path, so a
//! link cannot be turned to another service or role. The signature is checked in
//! constant time (`Mac::verify_slice`) before any claim is read.

use std::fmt;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use provision::core::i18n::Language;
use secrecy::{ExposeSecret, SecretSlice};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::error::CliError;

/// Who a page is for.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema, clap::ValueEnum,
)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The customer: the client area and the usage statistics.
    Client,
    /// The operator: the account, the connection and the actions.
    Admin,
}

impl Role {
    /// The role's name in paths.
    pub fn name(self) -> &'static str {
        match self {
            Role::Client => "client",
            Role::Admin => "admin",
        }
    }
}

/// What a link grants.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkClaims {
    /// The server's name.
    #[serde(rename = "srv")]
    pub server: String,
    /// The service id.
    #[serde(rename = "sid")]
    pub service_id: String,
    /// Client or admin.
    pub role: Role,
    /// The page's language.
    #[serde(rename = "lang")]
    pub language: Language,
    /// The IANA time zone of the statistics.
    #[serde(rename = "tz")]
    pub time_zone: String,
    /// When the link stops working, in Unix seconds.
    #[serde(rename = "exp")]
    pub expires: i64,
}

impl LinkClaims {
    /// The time zone (checked when the link was made).
    pub fn zone(&self) -> chrono_tz::Tz {
        self.time_zone.parse().unwrap_or(chrono_tz::UTC)
    }
}

/// Why a link was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkRefusal {
    /// Not a token at all.
    Malformed,
    /// The signature does not match (altered, or made with another key).
    BadSignature,
    /// Past its expiry.
    Expired,
    /// Made for another server or service.
    WrongService,
    /// Made for the other role.
    WrongRole,
}

impl LinkRefusal {
    /// A short code for logs and tests.
    pub fn code(self) -> &'static str {
        match self {
            LinkRefusal::Malformed => "malformed",
            LinkRefusal::BadSignature => "bad_signature",
            LinkRefusal::Expired => "expired",
            LinkRefusal::WrongService => "wrong_service",
            LinkRefusal::WrongRole => "wrong_role",
        }
    }

    /// The message id of the reader's explanation.
    pub fn message_id(self) -> &'static str {
        match self {
            LinkRefusal::Malformed | LinkRefusal::BadSignature => "page-refused-invalid",
            LinkRefusal::Expired => "page-refused-expired",
            LinkRefusal::WrongService => "page-refused-wrong-service",
            LinkRefusal::WrongRole => "page-refused-wrong-role",
        }
    }
}

impl fmt::Display for LinkRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The key that signs and checks links.
pub struct LinkKey {
    key: SecretSlice<u8>,
}

impl fmt::Debug for LinkKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("LinkKey([redacted])")
    }
}

type HmacSha256 = Hmac<Sha256>;

impl LinkKey {
    /// A key of at least [`provision::core::views::MIN_PAGES_KEY_BYTES`] bytes.
    pub fn new(key: &[u8]) -> Result<LinkKey, CliError> {
        if key.len() < provision::core::views::MIN_PAGES_KEY_BYTES {
            return Err(CliError::Config(format!(
                "pages.key: is {} bytes long; a page-link key is at least {} bytes",
                key.len(),
                provision::core::views::MIN_PAGES_KEY_BYTES
            )));
        }
        Ok(LinkKey {
            key: SecretSlice::from(key.to_vec()),
        })
    }

    fn mac(&self) -> HmacSha256 {
        // HMAC takes a key of any length; `new_from_slice` cannot fail for it.
        match HmacSha256::new_from_slice(self.key.expose_secret()) {
            Ok(mac) => mac,
            Err(_) => unreachable!("HMAC accepts keys of every length"),
        }
    }

    /// The token of `claims`.
    pub fn sign(&self, claims: &LinkClaims) -> String {
        let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(claims).unwrap_or_default());
        let mut mac = self.mac();
        mac.update(payload.as_bytes());
        let signature = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
        format!("{payload}.{signature}")
    }

    /// The claims of `token` when its signature holds, it has not expired at `now`,
    /// and it names `server`, `service_id` and `role`.
    pub fn verify(
        &self,
        token: &str,
        server: &str,
        service_id: &str,
        role: Role,
        now: DateTime<Utc>,
    ) -> Result<LinkClaims, LinkRefusal> {
        let (payload, signature) = token.split_once('.').ok_or(LinkRefusal::Malformed)?;
        let signature = URL_SAFE_NO_PAD
            .decode(signature)
            .map_err(|_| LinkRefusal::Malformed)?;
        let mut mac = self.mac();
        mac.update(payload.as_bytes());
        mac.verify_slice(&signature)
            .map_err(|_| LinkRefusal::BadSignature)?;
        let claims: LinkClaims = URL_SAFE_NO_PAD
            .decode(payload)
            .ok()
            .and_then(|json| serde_json::from_slice(&json).ok())
            .ok_or(LinkRefusal::Malformed)?;
        if claims.expires <= now.timestamp() {
            return Err(LinkRefusal::Expired);
        }
        if claims.server != server || claims.service_id != service_id {
            return Err(LinkRefusal::WrongService);
        }
        if claims.role != role {
            return Err(LinkRefusal::WrongRole);
        }
        Ok(claims)
    }
}

/// The page's path for `claims` with its token, relative to the service's address.
pub fn page_path(claims: &LinkClaims, token: &str) -> String {
    use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
    let part = |s: &str| utf8_percent_encode(s, NON_ALPHANUMERIC).to_string();
    format!(
        "/pages/{}/{}/{}?link={}",
        part(&claims.server),
        part(&claims.service_id),
        claims.role.name(),
        part(token)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(expires: i64) -> LinkClaims {
        LinkClaims {
            server: "cloud".into(),
            service_id: "7".into(),
            role: Role::Client,
            language: Language::English,
            time_zone: "Europe/Berlin".into(),
            expires,
        }
    }

    #[test]
    fn a_link_works_only_unaltered_unexpired_and_on_its_own_page() {
        let key = LinkKey::new(&[7u8; 32]).unwrap();
        let now = Utc::now();
        let token = key.sign(&claims(now.timestamp() + 60));
        let ok = key.verify(&token, "cloud", "7", Role::Client, now).unwrap();
        assert_eq!(ok.time_zone, "Europe/Berlin");
        assert_eq!(
            key.verify(&token, "cloud", "8", Role::Client, now),
            Err(LinkRefusal::WrongService)
        );
        assert_eq!(
            key.verify(&token, "cloud", "7", Role::Admin, now),
            Err(LinkRefusal::WrongRole)
        );
        let late = now + chrono::TimeDelta::seconds(61);
        assert_eq!(
            key.verify(&token, "cloud", "7", Role::Client, late),
            Err(LinkRefusal::Expired)
        );
        // Another claim under the old signature.
        let (_, signature) = token.split_once('.').unwrap();
        let forged_payload = URL_SAFE_NO_PAD.encode(
            serde_json::to_vec(&LinkClaims {
                role: Role::Admin,
                ..claims(now.timestamp() + 60)
            })
            .unwrap(),
        );
        let forged = format!("{forged_payload}.{signature}");
        assert_eq!(
            key.verify(&forged, "cloud", "7", Role::Admin, now),
            Err(LinkRefusal::BadSignature)
        );
        let other_key = LinkKey::new(&[8u8; 32]).unwrap();
        assert_eq!(
            other_key.verify(&token, "cloud", "7", Role::Client, now),
            Err(LinkRefusal::BadSignature)
        );
        assert_eq!(
            key.verify("nonsense", "cloud", "7", Role::Client, now),
            Err(LinkRefusal::Malformed)
        );
        assert!(LinkKey::new(b"short").is_err());
        assert!(!format!("{key:?}").contains('7'));
    }
}
