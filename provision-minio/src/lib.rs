//! The MinIO backend of `provision`.
//!
//! MinIO's admin API (`/minio/admin/v3/`) and its S3 API are both authenticated with
//! AWS Signature Version 4, and several admin calls carry request or response bodies
//! encrypted with the secret key of the signing credentials (the madmin payload
//! format). This crate holds the wire layer for both:
//!
//! - [`sigv4`]: signs requests (Authorization-header form) and verifies received
//!   requests, as a mock server must;
//! - [`madmin`]: encrypts and decrypts madmin payloads (Argon2id or PBKDF2 key
//!   derivation, AES-256-GCM or ChaCha20-Poly1305 in the sio-go stream construction).
//!
//! Both modules are checked byte for byte against the vectors shipped in
//! `tests/vectors/`.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod madmin;
pub mod sigv4;
