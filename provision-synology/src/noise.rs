//! The Noise IK handshake DSM 7.2+ runs inside its login, and the `X-SYNO-HASH` header
//! that handshake keys for every later request (facts sheet §3a).
//!
//! Both sides live here so the mock's responder and the client's initiator agree on one
//! encoding: URL-safe base64 without padding, read tolerantly (padding and the standard
//! alphabet are accepted too, since DSM's exact output was seen in one source only).

use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};
use base64::Engine;
use snow::{HandshakeState, TransportState};

/// The protocol DSM's web UI speaks: no prologue, no PSK.
pub(crate) const PROTOCOL: &str = "Noise_IK_25519_ChaChaPoly_BLAKE2b";

/// The handshake-hash characters that open every `X-SYNO-HASH` value.
const HASH_PREFIX_LEN: usize = 8;

/// Room for a handshake message with a small payload (Noise caps messages at 64 KiB).
const MESSAGE_BUFFER: usize = 1024;

/// Why the handshake or a request hash failed.
#[derive(Debug, thiserror::Error)]
pub(crate) enum NoiseError {
    /// A base64 field did not decode.
    #[error("{0} is not valid base64")]
    Encoding(&'static str),
    /// The Noise state machine refused a step (bad key, bad message, failed decryption).
    #[error("Noise {step} failed: {source}")]
    Protocol {
        /// The step that failed.
        step: &'static str,
        /// snow's reason.
        source: snow::Error,
    },
    /// An `X-SYNO-HASH` value does not have the `H8 + E(c) + "." + E(n)` shape.
    #[cfg_attr(not(feature = "mock"), allow(dead_code))]
    #[error("malformed X-SYNO-HASH value")]
    MalformedHash,
    /// An `X-SYNO-HASH` value reuses a nonce or belongs to another handshake.
    #[cfg_attr(not(feature = "mock"), allow(dead_code))]
    #[error("X-SYNO-HASH does not verify")]
    HashMismatch,
}

fn step(step: &'static str) -> impl FnOnce(snow::Error) -> NoiseError {
    move |source| NoiseError::Protocol { step, source }
}

/// URL-safe base64 without padding, as DSM writes `_SSID` and `ik_message`.
pub(crate) fn encode(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Decodes DSM's base64, accepting either alphabet, with or without padding.
pub(crate) fn decode(field: &'static str, text: &str) -> Result<Vec<u8>, NoiseError> {
    let trimmed = text.trim().trim_end_matches('=');
    URL_SAFE_NO_PAD
        .decode(trimmed)
        .or_else(|_| STANDARD_NO_PAD.decode(trimmed))
        .map_err(|_| NoiseError::Encoding(field))
}

fn params() -> Result<snow::params::NoiseParams, NoiseError> {
    PROTOCOL.parse().map_err(step("protocol name"))
}

/// The client's half of a login handshake: started before the login request, finished
/// with the login answer's `ik_message`.
pub(crate) struct Initiator {
    handshake: HandshakeState,
}

impl Initiator {
    /// Starts a handshake towards the DSM static key `server_key` (the decoded `_SSID`
    /// cookie) with a fresh static key of ours, and returns the encoded first message
    /// carrying the freshness stamp `{"time": <unix seconds>}`.
    pub(crate) fn start(
        server_key: &[u8],
        unix_seconds: i64,
    ) -> Result<(Self, String), NoiseError> {
        let ours = snow::Builder::new(params()?)
            .generate_keypair()
            .map_err(step("key generation"))?;
        let mut handshake = snow::Builder::new(params()?)
            .local_private_key(&ours.private)
            .remote_public_key(server_key)
            .build_initiator()
            .map_err(step("initiator setup"))?;
        let payload = serde_json::json!({ "time": unix_seconds }).to_string();
        let mut message = vec![0u8; MESSAGE_BUFFER];
        let len = handshake
            .write_message(payload.as_bytes(), &mut message)
            .map_err(step("first message"))?;
        Ok((Initiator { handshake }, encode(&message[..len])))
    }

    /// Reads the responder's message and keys the request hashes.
    pub(crate) fn finish(mut self, answer: &str) -> Result<RequestHasher, NoiseError> {
        let message = decode("ik_message", answer)?;
        let mut payload = vec![0u8; MESSAGE_BUFFER];
        self.handshake
            .read_message(&message, &mut payload)
            .map_err(step("reading the DSM's answer"))?;
        let prefix = hash_prefix(self.handshake.get_handshake_hash());
        let transport = self
            .handshake
            .into_transport_mode()
            .map_err(step("switch to transport mode"))?;
        Ok(RequestHasher { prefix, transport })
    }
}

fn hash_prefix(handshake_hash: &[u8]) -> String {
    encode(handshake_hash)
        .chars()
        .take(HASH_PREFIX_LEN)
        .collect()
}

/// Computes one `X-SYNO-HASH` per request; each consumes the next sending nonce, so
/// callers serialise access (the session keeps it behind a mutex).
pub(crate) struct RequestHasher {
    prefix: String,
    transport: TransportState,
}

impl RequestHasher {
    /// The header value for the next request: `H8 + E(c) + "." + E(n)`.
    pub(crate) fn next_header(&mut self) -> Result<String, NoiseError> {
        let nonce = self.transport.sending_nonce();
        let mut tag = [0u8; 16];
        let len = self
            .transport
            .write_message(&[], &mut tag)
            .map_err(step("request hash"))?;
        Ok(format!(
            "{}{}.{}",
            self.prefix,
            encode(&tag[..len]),
            encode(nonce.to_string().as_bytes())
        ))
    }
}

/// The DSM side of the handshake, for the mock server.
#[cfg(feature = "mock")]
pub(crate) mod responder {
    use std::collections::HashSet;

    use snow::StatelessTransportState;

    use super::{
        decode, encode, hash_prefix, params, step, NoiseError, HASH_PREFIX_LEN, MESSAGE_BUFFER,
    };

    /// A static X25519 key pair (the DSM's `_SSID` key).
    pub(crate) struct StaticKey {
        pub(crate) private: Vec<u8>,
        pub(crate) public: Vec<u8>,
    }

    /// A fresh static key.
    pub(crate) fn generate_static_key() -> Result<StaticKey, NoiseError> {
        let pair = snow::Builder::new(params()?)
            .generate_keypair()
            .map_err(step("key generation"))?;
        Ok(StaticKey {
            private: pair.private,
            public: pair.public,
        })
    }

    /// What the responder learned from a login's `ik_message`.
    pub(crate) struct Answer {
        /// The encoded answer for the login's `data.ik_message`.
        pub(crate) message: String,
        /// The initiator's payload (the `{"time": ...}` stamp).
        pub(crate) payload: Vec<u8>,
        /// Checks the session's later `X-SYNO-HASH` headers.
        pub(crate) verifier: HashVerifier,
    }

    /// Runs the responder side on the initiator's encoded first message.
    pub(crate) fn respond(key: &StaticKey, ik_message: &str) -> Result<Answer, NoiseError> {
        let first = decode("ik_message", ik_message)?;
        let mut handshake = snow::Builder::new(params()?)
            .local_private_key(&key.private)
            .build_responder()
            .map_err(step("responder setup"))?;
        let mut payload = vec![0u8; MESSAGE_BUFFER];
        let payload_len = handshake
            .read_message(&first, &mut payload)
            .map_err(step("reading the first message"))?;
        payload.truncate(payload_len);
        let mut message = vec![0u8; MESSAGE_BUFFER];
        let len = handshake
            .write_message(&[], &mut message)
            .map_err(step("answer"))?;
        let prefix = hash_prefix(handshake.get_handshake_hash());
        let transport = handshake
            .into_stateless_transport_mode()
            .map_err(step("switch to transport mode"))?;
        Ok(Answer {
            message: encode(&message[..len]),
            payload,
            verifier: HashVerifier {
                prefix,
                transport,
                seen: HashSet::new(),
            },
        })
    }

    /// Verifies `X-SYNO-HASH` values of one session; a nonce is accepted once, in any
    /// order (whether DSM insists on order is unknown).
    pub(crate) struct HashVerifier {
        prefix: String,
        transport: StatelessTransportState,
        seen: HashSet<u64>,
    }

    impl HashVerifier {
        /// Checks one header value and records its nonce.
        pub(crate) fn verify(&mut self, header: &str) -> Result<u64, NoiseError> {
            if header.len() <= HASH_PREFIX_LEN || !header.is_char_boundary(HASH_PREFIX_LEN) {
                return Err(NoiseError::MalformedHash);
            }
            let (prefix, rest) = header.split_at(HASH_PREFIX_LEN);
            let (tag, nonce) = rest.split_once('.').ok_or(NoiseError::MalformedHash)?;
            if prefix != self.prefix {
                return Err(NoiseError::HashMismatch);
            }
            let tag = decode("hash tag", tag)?;
            let nonce = String::from_utf8(decode("hash nonce", nonce)?)
                .ok()
                .and_then(|n| n.parse::<u64>().ok())
                .ok_or(NoiseError::MalformedHash)?;
            if self.seen.contains(&nonce) {
                return Err(NoiseError::HashMismatch);
            }
            let mut empty = [0u8; 0];
            self.transport
                .read_message(nonce, &tag, &mut empty)
                .map_err(|_| NoiseError::HashMismatch)?;
            self.seen.insert(nonce);
            Ok(nonce)
        }
    }

    /// The encoded public key for the `_SSID` cookie.
    pub(crate) fn cookie_value(key: &StaticKey) -> String {
        encode(&key.public)
    }
}

#[cfg(all(test, feature = "mock"))]
mod tests {
    use super::responder::{generate_static_key, respond};
    use super::*;

    #[test]
    fn initiator_and_responder_agree_on_every_request_hash() {
        let key = generate_static_key().unwrap();
        let (initiator, first) = Initiator::start(&key.public, 1_700_000_000).unwrap();
        assert!(
            !first.contains(['+', '/', '=']),
            "URL-safe, unpadded: {first}"
        );
        let answer = respond(&key, &first).unwrap();
        assert_eq!(
            serde_json::from_slice::<serde_json::Value>(&answer.payload).unwrap(),
            serde_json::json!({"time": 1_700_000_000})
        );
        let mut hasher = initiator.finish(&answer.message).unwrap();
        let mut verifier = answer.verifier;
        let first_header = hasher.next_header().unwrap();
        let second_header = hasher.next_header().unwrap();
        // Out of order is accepted, a replay is not.
        assert_eq!(verifier.verify(&second_header).unwrap(), 1);
        assert_eq!(verifier.verify(&first_header).unwrap(), 0);
        assert!(verifier.verify(&first_header).is_err());
        // The nonce is the decimal text, encoded.
        assert!(first_header.ends_with(&format!(".{}", encode(b"0"))));
    }

    #[test]
    fn a_hash_from_another_handshake_is_refused() {
        let key = generate_static_key().unwrap();
        let (initiator, first) = Initiator::start(&key.public, 1).unwrap();
        let answer = respond(&key, &first).unwrap();
        let mut hasher = initiator.finish(&answer.message).unwrap();
        let (other, other_first) = Initiator::start(&key.public, 1).unwrap();
        let other_answer = respond(&key, &other_first).unwrap();
        let _ = other.finish(&other_answer.message).unwrap();
        let mut wrong_verifier = other_answer.verifier;
        assert!(wrong_verifier
            .verify(&hasher.next_header().unwrap())
            .is_err());
        assert!(wrong_verifier.verify("short").is_err());
    }

    #[test]
    fn decoding_is_tolerant_of_padding_and_alphabet() {
        let bytes = [0xfbu8, 0xff, 0x01];
        assert_eq!(decode("x", "-_8B").unwrap(), bytes);
        assert_eq!(decode("x", "+/8B").unwrap(), bytes);
        assert_eq!(decode("x", "AQ==").unwrap(), [1u8]);
        assert!(decode("x", "!!").is_err());
    }
}
