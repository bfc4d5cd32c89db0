//! madmin payload encryption: the format of MinIO's encrypted admin request and
//! response bodies (madmin-go `EncryptData` / `DecryptData`).
//!
//! The key is derived from the secret key of the credentials that signed the request.
//! This is the stream construction of secure-io/sio-go, not the DARE format MinIO
//! uses for objects. On the wire:
//!
//! ```text
//!  0..32   salt (random)
//!  32      algorithm id: 0 Argon2id + AES-256-GCM
//!                        1 Argon2id + ChaCha20-Poly1305
//!                        2 PBKDF2-HMAC-SHA256 + AES-256-GCM
//!  33..41  nonce (random)
//!  41..    fragments: AEAD seal of up to 16384 plaintext bytes, each + 16-byte tag
//! ```
//!
//! Fragment `i` (from 1) is sealed with the nonce `nonce ‖ LE32(i)` and the associated
//! data `flag ‖ T`, where the flag is `0x80` on the final fragment and `0x00` before it,
//! and `T` is the tag of sealing an empty message with `nonce ‖ LE32(0)`. Every
//! non-final fragment is full; an empty plaintext is one empty final fragment. Because
//! the position and the final flag are authenticated, truncation at a fragment
//! boundary, reordering and appended data are all detected.
//!
//! Argon2id (v0x13, t=1, m=64 MiB, p=4) is expensive; each call here derives its key
//! once. Servers since RELEASE.2021-05-11 accept all three ids, so requests can use the
//! cheap [`Algorithm::Pbkdf2AesGcm`]; responses may come with any id.

use aes_gcm::aead::rand_core::RngCore;
use aes_gcm::aead::{AeadInPlace, KeyInit, OsRng};
use aes_gcm::Aes256Gcm;
use chacha20poly1305::ChaCha20Poly1305;
use secrecy::zeroize::Zeroizing;
use secrecy::{ExposeSecret, ExposeSecretMut, SecretBox, SecretString};

/// Length of the random salt that starts a payload.
pub const SALT_LEN: usize = 32;
/// Length of the random nonce stored in the header.
pub const NONCE_LEN: usize = 8;
/// Length of the header: salt, algorithm id, nonce.
pub const HEADER_LEN: usize = SALT_LEN + 1 + NONCE_LEN;
/// Plaintext bytes in every non-final fragment (the most a final one may hold).
pub const FRAGMENT_LEN: usize = 16 * 1024;
/// Length of the AEAD tag that ends every fragment.
pub const TAG_LEN: usize = 16;
/// Length of the derived key.
pub const KEY_LEN: usize = 32;
/// The most fragments a payload may have (sequence numbers 1 ..= 2^32 - 2).
pub const MAX_FRAGMENTS: u64 = u32::MAX as u64 - 1;

/// Length of a sealed fragment on the wire.
const SEALED_FRAGMENT_LEN: usize = FRAGMENT_LEN + TAG_LEN;

const FLAG_NON_FINAL: u8 = 0x00;
const FLAG_FINAL: u8 = 0x80;

const ARGON2_TIME: u32 = 1;
const ARGON2_MEMORY_KIB: u32 = 64 * 1024;
const ARGON2_LANES: u32 = 4;
const PBKDF2_ROUNDS: u32 = 8192;

/// The key derivation and AEAD of a payload, stored as its 33rd byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Algorithm {
    /// Id 0: Argon2id key, AES-256-GCM. What MinIO sends on hosts with AES hardware.
    Argon2idAesGcm,
    /// Id 1: Argon2id key, ChaCha20-Poly1305. What MinIO sends on hosts without it.
    Argon2idChaCha20Poly1305,
    /// Id 2: PBKDF2-HMAC-SHA256 key (8192 rounds), AES-256-GCM. Cheap to derive;
    /// accepted by MinIO since RELEASE.2021-05-11, sent by FIPS builds and RustFS.
    Pbkdf2AesGcm,
}

impl Algorithm {
    /// The id byte on the wire.
    pub const fn id(self) -> u8 {
        match self {
            Self::Argon2idAesGcm => 0,
            Self::Argon2idChaCha20Poly1305 => 1,
            Self::Pbkdf2AesGcm => 2,
        }
    }

    /// The algorithm of an id byte, `None` for an unknown id.
    pub const fn from_id(id: u8) -> Option<Self> {
        match id {
            0 => Some(Self::Argon2idAesGcm),
            1 => Some(Self::Argon2idChaCha20Poly1305),
            2 => Some(Self::Pbkdf2AesGcm),
            _ => None,
        }
    }
}

impl TryFrom<u8> for Algorithm {
    type Error = MadminError;

    fn try_from(id: u8) -> Result<Self, Self::Error> {
        Self::from_id(id).ok_or(MadminError::UnknownAlgorithm { id })
    }
}

/// Why a payload could not be encrypted or decrypted. No variant carries key material
/// or plaintext.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MadminError {
    /// Fewer bytes than the 41-byte header.
    #[error("encrypted payload is {len} bytes, shorter than the {HEADER_LEN}-byte header")]
    TruncatedHeader {
        /// The payload length.
        len: usize,
    },
    /// The algorithm id is not 0, 1 or 2.
    #[error("unknown encrypted payload algorithm id {id}")]
    UnknownAlgorithm {
        /// The id byte.
        id: u8,
    },
    /// A header with no fragment after it (an encoder always writes a final one).
    #[error("encrypted payload has a header but no fragment")]
    NoFragment,
    /// The payload ends with fewer bytes than a tag: truncated or trailing data.
    #[error("encrypted payload ends with {len} bytes, too short for a fragment")]
    IncompleteFragment {
        /// The length of the incomplete last piece.
        len: usize,
    },
    /// More fragments than the 32-bit sequence number allows.
    #[error("payload needs more than {MAX_FRAGMENTS} fragments")]
    TooLarge,
    /// A fragment failed authentication: a wrong secret key, or a tampered, reordered,
    /// truncated or extended payload.
    #[error("fragment {fragment} of the encrypted payload failed authentication (wrong secret key, or tampered, reordered or truncated data)")]
    Authentication {
        /// The 1-based sequence number of the fragment.
        fragment: u32,
    },
    /// The key derivation function refused its parameters.
    #[error("key derivation failed")]
    KeyDerivation,
    /// The operating system's random number generator failed.
    #[error("the operating system's random number generator failed")]
    Randomness,
    /// The AEAD refused to seal a fragment.
    #[error("sealing a fragment failed")]
    Seal,
}

/// Derives the payload key for `algorithm` from the secret key `password` and `salt`.
///
/// Argon2id (ids 0, 1) needs 64 MiB and noticeable CPU time; PBKDF2 (id 2) is cheap.
pub fn derive_key(
    algorithm: Algorithm,
    password: &SecretString,
    salt: &[u8; SALT_LEN],
) -> Result<SecretBox<[u8; KEY_LEN]>, MadminError> {
    let password = password.expose_secret().as_bytes();
    let mut key = SecretBox::new(Box::new([0u8; KEY_LEN]));
    match algorithm {
        Algorithm::Argon2idAesGcm | Algorithm::Argon2idChaCha20Poly1305 => {
            let params =
                argon2::Params::new(ARGON2_MEMORY_KIB, ARGON2_TIME, ARGON2_LANES, Some(KEY_LEN))
                    .map_err(|_| MadminError::KeyDerivation)?;
            argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params)
                .hash_password_into(password, salt, key.expose_secret_mut())
                .map_err(|_| MadminError::KeyDerivation)?;
        }
        Algorithm::Pbkdf2AesGcm => {
            pbkdf2::pbkdf2_hmac::<sha2::Sha256>(
                password,
                salt,
                PBKDF2_ROUNDS,
                key.expose_secret_mut(),
            );
        }
    }
    Ok(key)
}

/// The length of the payload [`encrypt`] produces for `plaintext_len` bytes:
/// `41 + len + 16 · max(1, ⌈len / 16384⌉)`.
pub fn encrypted_len(plaintext_len: usize) -> usize {
    let fragments = plaintext_len.div_ceil(FRAGMENT_LEN).max(1);
    HEADER_LEN
        .saturating_add(plaintext_len)
        .saturating_add(fragments.saturating_mul(TAG_LEN))
}

/// The algorithm a payload declares, read from its header without decrypting it.
pub fn algorithm_of(ciphertext: &[u8]) -> Result<Algorithm, MadminError> {
    match ciphertext.get(SALT_LEN) {
        Some(&id) if ciphertext.len() >= HEADER_LEN => Algorithm::try_from(id),
        _ => Err(MadminError::TruncatedHeader {
            len: ciphertext.len(),
        }),
    }
}

/// Encrypts `plaintext` with a key derived from `password`, with a fresh random salt
/// and nonce from the operating system.
pub fn encrypt(
    password: &SecretString,
    plaintext: &[u8],
    algorithm: Algorithm,
) -> Result<Vec<u8>, MadminError> {
    let mut salt = [0u8; SALT_LEN];
    let mut nonce = [0u8; NONCE_LEN];
    OsRng
        .try_fill_bytes(&mut salt)
        .and_then(|()| OsRng.try_fill_bytes(&mut nonce))
        .map_err(|_| MadminError::Randomness)?;
    encrypt_with(password, &salt, algorithm, &nonce, plaintext)
}

/// Encrypts `plaintext` with the given salt and nonce: deterministic, for test vectors.
///
/// Never reuse a salt and nonce pair for two messages; use [`encrypt`] outside tests.
pub fn encrypt_with(
    password: &SecretString,
    salt: &[u8; SALT_LEN],
    algorithm: Algorithm,
    nonce: &[u8; NONCE_LEN],
    plaintext: &[u8],
) -> Result<Vec<u8>, MadminError> {
    let fragments = plaintext.len().div_ceil(FRAGMENT_LEN).max(1);
    if fragments as u64 > MAX_FRAGMENTS {
        return Err(MadminError::TooLarge);
    }
    let key = derive_key(algorithm, password, salt)?;
    let stream = Stream::new(algorithm, key.expose_secret(), nonce)?;

    // The buffer briefly holds plaintext before each fragment is sealed in place; wipe
    // it if sealing fails half-way.
    let mut out = Zeroizing::new(Vec::with_capacity(encrypted_len(plaintext.len())));
    out.extend_from_slice(salt);
    out.push(algorithm.id());
    out.extend_from_slice(nonce);
    let mut seq: u32 = 0;
    let mut chunks = plaintext.chunks(FRAGMENT_LEN).peekable();
    loop {
        // An empty plaintext still gets one (empty, final) fragment.
        let chunk = chunks.next().unwrap_or_default();
        let is_final = chunks.peek().is_none();
        seq += 1;
        let start = out.len();
        out.extend_from_slice(chunk);
        let tag = stream.seal(seq, is_final, &mut out[start..])?;
        out.extend_from_slice(&tag);
        if is_final {
            break;
        }
    }
    Ok(std::mem::take(&mut *out))
}

/// Decrypts a payload with a key derived from `password` (the secret key).
///
/// Rejects a short header, an unknown id, a header without fragment, a last piece
/// shorter than a tag, and any fragment that fails authentication, which covers a
/// wrong key, tampering, reordering, truncation at a fragment boundary, appended
/// fragments and a changed algorithm id. Nothing is returned unless every fragment
/// authenticates. Structural checks run before the (expensive) key derivation.
pub fn decrypt(password: &SecretString, ciphertext: &[u8]) -> Result<Vec<u8>, MadminError> {
    let algorithm = algorithm_of(ciphertext)?;
    let (header, body) = ciphertext.split_at(HEADER_LEN);
    if body.is_empty() {
        return Err(MadminError::NoFragment);
    }
    let last = body.len() % SEALED_FRAGMENT_LEN;
    if last != 0 && last < TAG_LEN {
        return Err(MadminError::IncompleteFragment { len: last });
    }
    let fragments = body.len().div_ceil(SEALED_FRAGMENT_LEN);
    if fragments as u64 > MAX_FRAGMENTS {
        return Err(MadminError::TooLarge);
    }

    let mut salt = [0u8; SALT_LEN];
    salt.copy_from_slice(&header[..SALT_LEN]);
    let mut nonce = [0u8; NONCE_LEN];
    nonce.copy_from_slice(&header[SALT_LEN + 1..]);
    let key = derive_key(algorithm, password, &salt)?;
    let stream = Stream::new(algorithm, key.expose_secret(), &nonce)?;

    // Decrypted fragments may hold secrets (an add-user body does): wipe them if a later
    // fragment fails.
    let mut out = Zeroizing::new(Vec::with_capacity(body.len() - fragments * TAG_LEN));
    for (index, sealed) in body.chunks(SEALED_FRAGMENT_LEN).enumerate() {
        // `fragments <= MAX_FRAGMENTS`, so every sequence number fits in a u32.
        let seq = u32::try_from(index + 1).map_err(|_| MadminError::TooLarge)?;
        let is_final = index + 1 == fragments;
        let (data, tag) = sealed.split_at(sealed.len() - TAG_LEN);
        let start = out.len();
        out.extend_from_slice(data);
        stream.open(seq, is_final, &mut out[start..], tag)?;
    }
    Ok(std::mem::take(&mut *out))
}

/// The two AEADs a payload may use.
enum Cipher {
    // Boxed: the AES key schedule is much larger than ChaCha20's key.
    AesGcm(Box<Aes256Gcm>),
    ChaCha20Poly1305(ChaCha20Poly1305),
}

/// One payload's AEAD, header nonce and associated-data prefix.
struct Stream {
    cipher: Cipher,
    nonce: [u8; NONCE_LEN],
    /// `flag ‖ tag of the empty message sealed with sequence number 0`; byte 0 is set
    /// per fragment.
    associated_data: [u8; 1 + TAG_LEN],
}

impl Stream {
    fn new(
        algorithm: Algorithm,
        key: &[u8; KEY_LEN],
        nonce: &[u8; NONCE_LEN],
    ) -> Result<Self, MadminError> {
        let cipher = match algorithm {
            Algorithm::Argon2idAesGcm | Algorithm::Pbkdf2AesGcm => {
                Cipher::AesGcm(Box::new(Aes256Gcm::new(key.into())))
            }
            Algorithm::Argon2idChaCha20Poly1305 => {
                Cipher::ChaCha20Poly1305(ChaCha20Poly1305::new(key.into()))
            }
        };
        let mut stream = Self {
            cipher,
            nonce: *nonce,
            associated_data: [0u8; 1 + TAG_LEN],
        };
        let empty_tag = stream.seal_raw(0, &[], &mut [])?;
        stream.associated_data[1..].copy_from_slice(&empty_tag);
        Ok(stream)
    }

    fn aead_nonce(&self, seq: u32) -> [u8; 12] {
        let mut nonce = [0u8; 12];
        nonce[..NONCE_LEN].copy_from_slice(&self.nonce);
        nonce[NONCE_LEN..].copy_from_slice(&seq.to_le_bytes());
        nonce
    }

    fn associated_data(&self, is_final: bool) -> [u8; 1 + TAG_LEN] {
        let mut ad = self.associated_data;
        ad[0] = if is_final { FLAG_FINAL } else { FLAG_NON_FINAL };
        ad
    }

    fn seal_raw(
        &self,
        seq: u32,
        associated_data: &[u8],
        buffer: &mut [u8],
    ) -> Result<[u8; TAG_LEN], MadminError> {
        let nonce = self.aead_nonce(seq);
        let tag = match &self.cipher {
            Cipher::AesGcm(c) => {
                c.encrypt_in_place_detached(&nonce.into(), associated_data, buffer)
            }
            Cipher::ChaCha20Poly1305(c) => {
                c.encrypt_in_place_detached(&nonce.into(), associated_data, buffer)
            }
        }
        .map_err(|_| MadminError::Seal)?;
        Ok(tag.into())
    }

    fn seal(
        &self,
        seq: u32,
        is_final: bool,
        buffer: &mut [u8],
    ) -> Result<[u8; TAG_LEN], MadminError> {
        self.seal_raw(seq, &self.associated_data(is_final), buffer)
    }

    fn open(
        &self,
        seq: u32,
        is_final: bool,
        buffer: &mut [u8],
        tag: &[u8],
    ) -> Result<(), MadminError> {
        let tag: [u8; TAG_LEN] = tag
            .try_into()
            .map_err(|_| MadminError::Authentication { fragment: seq })?;
        let nonce = self.aead_nonce(seq);
        let ad = self.associated_data(is_final);
        match &self.cipher {
            Cipher::AesGcm(c) => {
                c.decrypt_in_place_detached(&nonce.into(), &ad, buffer, &tag.into())
            }
            Cipher::ChaCha20Poly1305(c) => {
                c.decrypt_in_place_detached(&nonce.into(), &ad, buffer, &tag.into())
            }
        }
        .map_err(|_| MadminError::Authentication { fragment: seq })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn password() -> SecretString {
        SecretString::from("unit-test-secret")
    }

    #[test]
    fn ids_round_trip() {
        for id in 0..=255u8 {
            match Algorithm::from_id(id) {
                Some(alg) => assert_eq!(alg.id(), id),
                None => assert_eq!(
                    Algorithm::try_from(id),
                    Err(MadminError::UnknownAlgorithm { id })
                ),
            }
        }
    }

    #[test]
    fn lengths_follow_the_fragmenting_rule() {
        assert_eq!(encrypted_len(0), 57);
        assert_eq!(encrypted_len(1), 58);
        assert_eq!(encrypted_len(16384), 16441);
        assert_eq!(encrypted_len(16385), 16458);
        assert_eq!(encrypted_len(70000), 70121);
    }

    #[test]
    fn pbkdf2_round_trips_at_fragment_boundaries() {
        for len in [0, 1, 16383, 16384, 16385, 2 * 16384, 2 * 16384 + 7] {
            let plaintext: Vec<u8> = (0..len).map(|i| (i * 7 % 251) as u8).collect();
            let sealed = encrypt(&password(), &plaintext, Algorithm::Pbkdf2AesGcm).unwrap();
            assert_eq!(sealed.len(), encrypted_len(len), "len {len}");
            assert_eq!(algorithm_of(&sealed), Ok(Algorithm::Pbkdf2AesGcm));
            assert_eq!(
                decrypt(&password(), &sealed).unwrap(),
                plaintext,
                "len {len}"
            );
        }
    }

    #[test]
    fn random_salt_and_nonce_differ_per_message() {
        let a = encrypt(&password(), b"same", Algorithm::Pbkdf2AesGcm).unwrap();
        let b = encrypt(&password(), b"same", Algorithm::Pbkdf2AesGcm).unwrap();
        assert_ne!(a[..HEADER_LEN], b[..HEADER_LEN]);
    }

    #[test]
    fn structural_errors_come_before_key_derivation() {
        let sealed = encrypt_with(
            &password(),
            &[7; SALT_LEN],
            Algorithm::Pbkdf2AesGcm,
            &[9; NONCE_LEN],
            &[1u8; 20000],
        )
        .unwrap();
        assert_eq!(
            decrypt(&password(), &sealed[..40]),
            Err(MadminError::TruncatedHeader { len: 40 })
        );
        assert_eq!(
            decrypt(&password(), &sealed[..HEADER_LEN]),
            Err(MadminError::NoFragment)
        );
        assert_eq!(
            decrypt(&password(), &sealed[..HEADER_LEN + 15]),
            Err(MadminError::IncompleteFragment { len: 15 })
        );
        // Trailing bytes after a full final fragment.
        let mut padded = encrypt_with(
            &password(),
            &[7; SALT_LEN],
            Algorithm::Pbkdf2AesGcm,
            &[9; NONCE_LEN],
            &[1u8; FRAGMENT_LEN],
        )
        .unwrap();
        padded.extend_from_slice(&[0; 5]);
        assert_eq!(
            decrypt(&password(), &padded),
            Err(MadminError::IncompleteFragment { len: 5 })
        );
        // Trailing bytes after a short final fragment shift its tag.
        let mut extended = sealed.clone();
        extended.push(0);
        assert!(matches!(
            decrypt(&password(), &extended),
            Err(MadminError::Authentication { fragment: 2 })
        ));
        // An appended empty final fragment makes the real final one non-final.
        let mut appended = sealed.clone();
        appended.extend_from_slice(&sealed[sealed.len() - TAG_LEN..]);
        assert!(matches!(
            decrypt(&password(), &appended),
            Err(MadminError::Authentication { .. })
        ));
        let mut unknown = sealed.clone();
        unknown[SALT_LEN] = 3;
        assert_eq!(
            decrypt(&password(), &unknown),
            Err(MadminError::UnknownAlgorithm { id: 3 })
        );
        assert_eq!(decrypt(&password(), &sealed).unwrap(), vec![1u8; 20000]);
    }

    #[test]
    fn errors_hold_no_secret() {
        let sealed = encrypt(
            &password(),
            b"{\"secretKey\":\"hunter2hunter2\"}",
            Algorithm::Pbkdf2AesGcm,
        )
        .unwrap();
        let err = decrypt(&SecretString::from("wrong-password"), &sealed).unwrap_err();
        let shown = format!("{err} {err:?}");
        assert!(!shown.contains("hunter2"));
        assert!(!shown.contains("wrong-password"));
        let key = derive_key(Algorithm::Pbkdf2AesGcm, &password(), &[0; SALT_LEN]).unwrap();
        assert!(format!("{key:?}").contains("REDACTED"));
    }
}
