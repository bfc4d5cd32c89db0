//! The low-level escape hatch: MinIO's wire formats, for callers who sign, encrypt
//! or evaluate policies themselves (a custom client, a proxy, a test of one's own
//! server). Provisioning accounts needs none of it: [`crate::MinioProvider`] and the
//! typed calls of [`crate::client`] use these modules internally.
//!
//! - [`sigv4`]: AWS Signature Version 4 — client signing, and (feature `mock`) the
//!   verification a server does, on one shared canonical encoding;
//! - [`madmin`]: encryption and decryption of madmin payloads (Argon2id or PBKDF2 key
//!   derivation, AES-256-GCM or ChaCha20-Poly1305 in the sio-go stream construction);
//! - [`policy`]: each user's bucket namespace, the canned policy documents confined to
//!   it, and the S3 ARN matcher that proves no user's policy can match another
//!   user's bucket.
//!
//! All three are checked byte for byte against the vectors shipped in `tests/vectors/`.

pub mod madmin;
pub mod policy;
pub mod sigv4;
