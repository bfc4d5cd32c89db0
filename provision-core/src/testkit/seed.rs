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
