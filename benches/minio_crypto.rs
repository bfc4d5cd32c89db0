//! The cost of MinIO's encrypted admin payloads (madmin): encrypting a request body
//! with each key derivation (Argon2id, 64 MiB, as MinIO's own clients send; PBKDF2, 8192
//! rounds, as this library sends), and decrypting a typical encrypted answer (the
//! list-users answer for 1,000 accounts) as MinIO sends it on AES hardware (Argon2id)
//! and as FIPS builds and RustFS send it (PBKDF2).
//!
//! ```text
//! cargo bench --bench minio_crypto
//! ```
#![forbid(unsafe_code)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use provision::core::SecretString;
use provision::minio::wire::madmin::{decrypt, encrypt, Algorithm};

const ALGORITHMS: [(Algorithm, &str); 3] = [
    (Algorithm::Argon2idAesGcm, "argon2id-aes-gcm"),
    (
        Algorithm::Argon2idChaCha20Poly1305,
        "argon2id-chacha20poly1305",
    ),
    (Algorithm::Pbkdf2AesGcm, "pbkdf2-aes-gcm"),
];

fn admin_secret() -> SecretString {
    SecretString::from("minioadmin-bench-secret-key")
}

/// The body of an add-user request: the new user's secret key and status.
fn add_user_body() -> Vec<u8> {
    br#"{"secretKey":"Cust-Secret-Key-0001","status":"enabled"}"#.to_vec()
}

/// A list-users answer for `n` accounts, each with its own canned policy and a group.
/// (The shape of MinIO's answer, written out: the root package has no JSON dependency.)
fn list_users_answer(n: usize) -> Vec<u8> {
    let users: Vec<String> = (0..n)
        .map(|i| {
            format!(
                r#""cust{i:05}":{{"policyName":"provision-cust{i:05}","status":"enabled","memberOf":["plan-10g"],"updatedAt":"2026-01-01T03:00:00Z"}}"#
            )
        })
        .collect();
    format!("{{{}}}", users.join(",")).into_bytes()
}

fn requests(c: &mut Criterion) {
    let secret = admin_secret();
    let body = add_user_body();
    let mut group = c.benchmark_group("madmin-encrypt-request");
    group
        .sample_size(20)
        .measurement_time(Duration::from_secs(5));
    for (algorithm, label) in ALGORITHMS {
        group.bench_function(label, |b| {
            b.iter(|| encrypt(&secret, black_box(&body), algorithm).expect("encrypt"))
        });
    }
    group.finish();
}

fn responses(c: &mut Criterion) {
    let secret = admin_secret();
    let answer = list_users_answer(1_000);
    let mut group = c.benchmark_group("madmin-decrypt-list-users-1000");
    group
        .sample_size(20)
        .measurement_time(Duration::from_secs(5))
        .throughput(Throughput::Bytes(answer.len() as u64));
    for (algorithm, label) in ALGORITHMS {
        let sealed = encrypt(&secret, &answer, algorithm).expect("encrypt");
        // A decryption that returned anything else would measure the wrong work.
        assert_eq!(decrypt(&secret, &sealed).expect("decrypt"), answer);
        group.bench_function(label, |b| {
            b.iter(|| decrypt(&secret, black_box(&sealed)).expect("decrypt"))
        });
    }
    group.finish();
    println!(
        "[minio_crypto] the list-users answer for 1,000 accounts is {} bytes",
        answer.len()
    );
}

criterion_group!(benches, requests, responses);
criterion_main!(benches);
