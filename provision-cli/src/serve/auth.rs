//! Bearer tokens with scopes.
//!
//! A token is 32 random bytes (256 bits), shown once by `provision serve token`; the
//! tokens file keeps only its SHA-256 digest. A fast hash is enough here, unlike for
//! passwords: nobody can guess through 2^256 candidates, so a slow key-derivation
//! function (argon2) would add only cost to every request, not safety. A request's
//! token is hashed and looked up by digest, so the comparison never runs over the
//! secret itself, and a stolen tokens file hands out no usable token.
//!
//! Scopes are ordered: `read` reads services, usage, history, sweeps and servers;
//! `provision` adds the orders (create, suspend, ...); `admin` adds sweeps and the
//! outbox of actions.

use std::collections::HashMap;
use std::fmt;
use std::path::Path;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use rand::RngCore;
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};

use super::problem::Problem;
use crate::error::CliError;

/// What a token may do; each scope includes the ones before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Read services, usage, history, sweeps and servers.
    Read,
    /// Read, and run orders on services.
    Provision,
    /// Everything: sweeps and the outbox of actions too.
    Admin,
}

impl Scope {
    /// The scope's name in the tokens file.
    pub fn name(self) -> &'static str {
        match self {
            Scope::Read => "read",
            Scope::Provision => "provision",
            Scope::Admin => "admin",
        }
    }

    fn parse(text: &str) -> Option<Scope> {
        [Scope::Read, Scope::Provision, Scope::Admin]
            .into_iter()
            .find(|s| s.name() == text)
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The caller a request's token names; what handlers and logs see instead of the
/// token.
#[derive(Debug, Clone)]
pub struct Caller {
    /// A short, stable id of the token (the start of its digest): scopes idempotency
    /// keys and is safe to log.
    pub id: String,
    /// The token's name in the tokens file.
    pub name: String,
    /// What it may do.
    pub scope: Scope,
}

/// The tokens the service accepts, by digest.
#[derive(Debug, Default)]
pub struct Tokens {
    by_digest: HashMap<[u8; 32], Caller>,
}

/// The prefix of every token: tells a provision token apart in a secret scanner.
const TOKEN_PREFIX: &str = "prv_";

fn digest(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// Makes a token of `scope`: the token (shown once) and its tokens-file line.
pub fn new_token(scope: Scope, name: &str) -> Result<(SecretString, String), CliError> {
    check_name(name)?;
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = format!("{TOKEN_PREFIX}{}", hex::encode(bytes));
    let line = format!("sha256:{} {scope} {name}", hex::encode(digest(&token)));
    Ok((SecretString::from(token), line))
}

fn check_name(name: &str) -> Result<(), CliError> {
    if name.is_empty()
        || name.len() > 64
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
    {
        return Err(CliError::Usage(format!(
            "a token name is 1 to 64 of A-Z a-z 0-9 - _ . (got {name:?})"
        )));
    }
    Ok(())
}

impl Tokens {
    /// Reads a tokens file: `sha256:<64 hex> <scope> <name>` per line; blank lines and
    /// lines starting with `#` are skipped.
    pub fn parse(text: &str) -> Result<Tokens, CliError> {
        let mut tokens = Tokens::default();
        for (number, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let bad =
                |why: &str| CliError::Config(format!("tokens file, line {}: {why}", number + 1));
            let fields: Vec<&str> = line.split_whitespace().collect();
            let [hash, scope, name] = fields[..] else {
                return Err(bad("expected `sha256:<hex> <scope> <name>`"));
            };
            let hex_digest = hash
                .strip_prefix("sha256:")
                .ok_or_else(|| bad("the digest starts with sha256:"))?;
            let bytes: [u8; 32] = hex::decode(hex_digest)
                .ok()
                .and_then(|b| b.try_into().ok())
                .ok_or_else(|| bad("the digest is 64 hexadecimal digits"))?;
            let scope =
                Scope::parse(scope).ok_or_else(|| bad("the scope is read, provision or admin"))?;
            check_name(name).map_err(|_| bad("the name is 1 to 64 of A-Z a-z 0-9 - _ ."))?;
            let caller = Caller {
                id: hex_digest[..16].to_ascii_lowercase(),
                name: name.to_string(),
                scope,
            };
            if tokens.by_digest.insert(bytes, caller).is_some() {
                return Err(bad("this digest is listed twice"));
            }
        }
        Ok(tokens)
    }

    /// Reads the tokens file at `path`.
    pub fn load(path: &Path) -> Result<Tokens, CliError> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            CliError::Config(format!(
                "cannot read the tokens file {}: {e}",
                path.display()
            ))
        })?;
        Tokens::parse(&text)
    }

    /// How many tokens it holds.
    pub fn len(&self) -> usize {
        self.by_digest.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.by_digest.is_empty()
    }

    /// The caller a presented token names, if it is one of these.
    pub fn authenticate(&self, token: &SecretString) -> Option<&Caller> {
        self.by_digest.get(&digest(token.expose_secret()))
    }
}

fn unauthorized(detail: &str) -> Response {
    let mut response =
        Problem::new(StatusCode::UNAUTHORIZED, "unauthorized", detail).into_response();
    response
        .headers_mut()
        .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    response
}

/// Middleware: the request's bearer token must be one of `tokens`; its [`Caller`]
/// goes into the request's extensions.
pub async fn authenticate(
    State(tokens): State<Arc<Tokens>>,
    mut request: Request,
    next: Next,
) -> Response {
    let presented = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            let (scheme, token) = v.split_once(' ')?;
            scheme
                .eq_ignore_ascii_case("bearer")
                .then(|| SecretString::from(token.trim().to_string()))
        });
    let Some(presented) = presented else {
        return unauthorized("send `Authorization: Bearer <token>`");
    };
    let Some(caller) = tokens.authenticate(&presented).cloned() else {
        return unauthorized("the token is not known");
    };
    tracing::Span::current().record("token", caller.name.as_str());
    request.extensions_mut().insert(caller);
    next.run(request).await
}

/// Middleware: the caller's scope must include `needed`.
pub async fn require(needed: Scope, request: Request, next: Next) -> Response {
    match request.extensions().get::<Caller>() {
        Some(caller) if caller.scope >= needed => next.run(request).await,
        Some(caller) => Problem::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            format!(
                "this needs a token of scope {needed}; {:?} has scope {}",
                caller.name, caller.scope
            ),
        )
        .into_response(),
        None => unauthorized("send `Authorization: Bearer <token>`"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_token_is_accepted_by_its_line_and_only_by_it() {
        let (token, line) = new_token(Scope::Provision, "billing").unwrap();
        assert!(!line.contains(token.expose_secret()));
        let tokens = Tokens::parse(&format!("# billing\n\n{line}\n")).unwrap();
        let caller = tokens.authenticate(&token).unwrap();
        assert_eq!(
            (caller.scope, caller.name.as_str()),
            (Scope::Provision, "billing")
        );
        let (other, _) = new_token(Scope::Provision, "billing").unwrap();
        assert!(tokens.authenticate(&other).is_none());
    }

    #[test]
    fn a_malformed_tokens_file_is_refused_with_its_line() {
        for text in [
            "sha256:00 read x",
            "md5:0000000000000000000000000000000000000000000000000000000000000000 read x",
            "sha256:0000000000000000000000000000000000000000000000000000000000000000 root x",
            "sha256:0000000000000000000000000000000000000000000000000000000000000000 read",
        ] {
            let error = Tokens::parse(&format!("\n{text}")).unwrap_err().to_string();
            assert!(error.contains("line 2"), "{error}");
        }
    }

    #[test]
    fn scopes_include_the_lower_ones() {
        assert!(Scope::Admin > Scope::Provision && Scope::Provision > Scope::Read);
    }
}
