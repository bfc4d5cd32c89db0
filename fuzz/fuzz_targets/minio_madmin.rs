//! The madmin payload decoder. The first byte picks the case:
//!
//! - even: the rest is a payload as received, decrypted with the test secret key. A
//!   payload that decrypts has exactly the length an encoder makes for its plaintext.
//!   Argon2id payloads (ids 0 and 1) stop at the header check here: each derivation
//!   takes 64 MiB and tens of milliseconds, which would starve the fuzzer; their
//!   fragment code is the same stream as id 2's, AES-GCM for id 0.
//! - odd: a round trip. The rest gives a salt, a nonce and a plaintext (repeated by the
//!   second byte, so that payloads span several 16 KiB fragments); what `encrypt_with`
//!   made with id 2 decrypts to the plaintext, and the payload with one byte flipped
//!   or cut short does not decrypt.
#![no_main]
#![forbid(unsafe_code)]

use libfuzzer_sys::fuzz_target;
use provision_minio::wire::madmin::{
    algorithm_of, decrypt, encrypt_with, encrypted_len, Algorithm, HEADER_LEN, NONCE_LEN, SALT_LEN,
};
use secrecy::SecretString;

/// The secret key of the shared decrypt vectors, so that the seeds decrypt.
const SECRET_KEY: &str = "provision-test-secret-KEY";

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let password = SecretString::from(SECRET_KEY);
    if mode % 2 == 0 {
        decrypt_received(&password, rest);
    } else {
        round_trip(&password, rest);
    }
});

fn decrypt_received(password: &SecretString, payload: &[u8]) {
    match algorithm_of(payload) {
        Ok(Algorithm::Pbkdf2AesGcm) => {}
        Ok(_) => return,
        Err(_) => {
            assert!(decrypt(password, payload).is_err());
            return;
        }
    }
    if let Ok(plaintext) = decrypt(password, payload) {
        assert_eq!(encrypted_len(plaintext.len()), payload.len());
    }
}

fn round_trip(password: &SecretString, input: &[u8]) {
    let Some((&repeat, input)) = input.split_first() else {
        return;
    };
    if input.len() < SALT_LEN + NONCE_LEN + 2 {
        return;
    }
    let (salt, input) = input.split_at(SALT_LEN);
    let (nonce, input) = input.split_at(NONCE_LEN);
    let (&flip, plaintext) = input.split_first().expect("checked above");
    let salt: [u8; SALT_LEN] = salt.try_into().expect("split at SALT_LEN");
    let nonce: [u8; NONCE_LEN] = nonce.try_into().expect("split at NONCE_LEN");
    let plaintext = plaintext.repeat(usize::from(repeat % 8) + 1);

    let payload = encrypt_with(password, &salt, Algorithm::Pbkdf2AesGcm, &nonce, &plaintext)
        .expect("encrypting a small payload");
    assert_eq!(payload.len(), encrypted_len(plaintext.len()));
    assert_eq!(algorithm_of(&payload), Ok(Algorithm::Pbkdf2AesGcm));
    assert_eq!(
        decrypt(password, &payload).as_deref(),
        Ok(plaintext.as_slice())
    );

    // Any flipped byte but the algorithm id (which would switch to Argon2id) breaks it.
    let mut position = usize::from(flip) * payload.len() / 256;
    if position == SALT_LEN {
        position += 1;
    }
    let mut tampered = payload.clone();
    tampered[position] ^= 0x01 | (flip & 0xfe);
    assert!(
        decrypt(password, &tampered).is_err(),
        "byte {position} of {} flipped still decrypts",
        payload.len()
    );
    let cut = HEADER_LEN + usize::from(flip) % (payload.len() - HEADER_LEN);
    assert!(
        decrypt(password, &payload[..cut]).is_err(),
        "cut to {cut} of {} still decrypts",
        payload.len()
    );
}
