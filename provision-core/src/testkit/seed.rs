//! What the backends' mock seeds share: the error a mock start refuses with, and the
//! reading and writing of a seed document (the `--seed` / `--state` files of
//! `provision mock`).

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

/// Why a mock cannot start from its admin credentials and seed.
#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    /// The document is not in the seed format (serde names the field and what it expected).
    #[error("seed: {0}")]
    Format(#[from] serde_json::Error),
    /// The document is well formed but describes a state the mock cannot hold.
    #[error("seed: {0}")]
    Invalid(String),
    /// The admin credentials are not usable (it says why).
    #[error("admin: {0}")]
    Admin(String),
    /// The mock itself could not start (it says why).
    #[error("{0}")]
    Start(String),
}

/// Reads a seed document into a backend's seed type (which refuses unknown fields).
pub fn read_seed<T: DeserializeOwned>(document: Value) -> Result<T, SeedError> {
    Ok(serde_json::from_value(document)?)
}

/// The document form of a seed.
pub fn seed_document<T: Serialize>(seed: &T) -> Value {
    // A seed of strings, numbers, booleans and lists always serialises.
    serde_json::to_value(seed).unwrap_or(Value::Null)
}

/// A backend's seed type, which knows how to start its mock from a [`MockSetup`].
pub trait MockSeed: Clone + Sized {
    /// The mock it starts.
    type Mock;

    /// Starts the mock with `setup`'s administrator (or the backend's default one) and
    /// seed, refusing an administrator or a seed the mock cannot hold.
    fn start(
        setup: MockSetup<Self>,
    ) -> impl std::future::Future<Output = Result<Self::Mock, SeedError>> + Send;
}

/// What a mock starts with: an administrator of one's choosing and a seed. Each
/// backend's mock builder is one of these (`MockNextcloud::builder()`, ...).
pub struct MockSetup<S> {
    admin: Option<(String, secrecy::SecretString)>,
    seed: Option<S>,
}

impl<S> Default for MockSetup<S> {
    fn default() -> Self {
        MockSetup {
            admin: None,
            seed: None,
        }
    }
}

impl<S> std::fmt::Debug for MockSetup<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockSetup")
            .field("admin", &self.admin.as_ref().map(|(name, _)| name))
            .field("seeded", &self.seed.is_some())
            .finish()
    }
}

impl<S: MockSeed> MockSetup<S> {
    /// The administrator's name and password (default: the backend's own). It keeps this
    /// password whatever the seed says.
    pub fn admin(mut self, name: &str, password: impl Into<secrecy::SecretString>) -> Self {
        self.admin = Some((name.to_string(), password.into()));
        self
    }

    /// The accounts and groups to start with.
    pub fn seed(mut self, seed: &S) -> Self {
        self.seed = Some(seed.clone());
        self
    }

    /// The administrator given, or `(default_name, default_password)`.
    pub fn admin_or(
        &self,
        default_name: &str,
        default_password: &str,
    ) -> (String, secrecy::SecretString) {
        self.admin.clone().unwrap_or_else(|| {
            (
                default_name.to_string(),
                secrecy::SecretString::from(default_password.to_string()),
            )
        })
    }

    /// The seed given, if any.
    pub fn seed_given(&self) -> Option<&S> {
        self.seed.as_ref()
    }

    /// Starts the mock (see [`MockSeed::start`]).
    pub async fn start(self) -> Result<S::Mock, SeedError> {
        S::start(self).await
    }
}
