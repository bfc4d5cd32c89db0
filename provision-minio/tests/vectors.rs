//! The shared MinIO vectors: SigV4 signing and verification, madmin payloads.
//!
//! The vectors are read from the copy in `tests/vectors/` (so the crate is
//! self-contained), falling back to `shared/vectors/` beside the workspace.

use std::path::{Path, PathBuf};

use chrono::NaiveDateTime;
use provision_minio::wire::madmin::{self, Algorithm, MadminError};
use provision_minio::wire::sigv4::{
    self, Credentials, ReceivedRequest, SigningRequest, VerifyError, VerifyOptions,
};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

const CRATE_COPY: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors");
const SHARED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/vectors");

fn vector_path(name: &str) -> PathBuf {
    [CRATE_COPY, SHARED]
        .iter()
        .map(|dir| Path::new(dir).join(name))
        .find(|path| path.is_file())
        .unwrap_or_else(|| panic!("{name} is neither in {CRATE_COPY} nor in {SHARED}"))
}

fn load<T: for<'de> Deserialize<'de>>(name: &str) -> T {
    let path = vector_path(name);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("cannot parse {}: {e}", path.display()))
}

fn unhex(s: &str) -> Vec<u8> {
    hex::decode(s).unwrap_or_else(|e| panic!("bad hex in a vector: {e}"))
}

#[test]
fn crate_copies_match_the_shared_vectors() {
    for name in [
        "minio-sigv4.json",
        "minio-madmin-decrypt.json",
        "minio-wildcard.json",
    ] {
        let shared = Path::new(SHARED).join(name);
        let Ok(shared) = std::fs::read(&shared) else {
            eprintln!(
                "skipped: {} is absent, only the crate copy is used",
                shared.display()
            );
            continue;
        };
        let copy = std::fs::read(Path::new(CRATE_COPY).join(name)).expect("crate copy exists");
        assert!(
            copy == shared,
            "tests/vectors/{name} differs from shared/vectors/{name}: refresh the copy"
        );
    }
}

// ---------------------------------------------------------------------------------
// SigV4
// ---------------------------------------------------------------------------------

#[derive(Deserialize)]
struct SigV4File {
    access_key: String,
    secret_key: String,
    vectors: Vec<SigV4Vector>,
}

#[derive(Deserialize)]
struct SigV4Vector {
    name: String,
    method: String,
    path: String,
    query: String,
    region: String,
    service: String,
    amz_date: String,
    headers: serde_json::Map<String, serde_json::Value>,
    body_hex: Option<String>,
    payload_hash: String,
    canonical_query: String,
    canonical_request: String,
    string_to_sign: String,
    credential_scope: String,
    signing_key_hex: String,
    signed_headers: String,
    signature: String,
    authorization: String,
}

impl SigV4Vector {
    fn headers(&self) -> Vec<(&str, &str)> {
        self.headers
            .iter()
            .map(|(name, value)| {
                let value = value
                    .as_str()
                    .unwrap_or_else(|| panic!("{}: header {name} is not a string", self.name));
                (name.as_str(), value)
            })
            .collect()
    }

    fn body(&self) -> Vec<u8> {
        self.body_hex.as_deref().map(unhex).unwrap_or_default()
    }
}

#[test]
fn sigv4_vectors_sign_byte_for_byte() {
    let file: SigV4File = load("minio-sigv4.json");
    assert!(!file.vectors.is_empty());
    let credentials = Credentials::new(file.access_key.clone(), file.secret_key.clone());
    for v in &file.vectors {
        let time = NaiveDateTime::parse_from_str(&v.amz_date, sigv4::AMZ_DATE_FORMAT)
            .unwrap_or_else(|e| panic!("{}: bad amz_date: {e}", v.name))
            .and_utc();
        assert_eq!(
            sigv4::canonical_query(&v.query),
            v.canonical_query,
            "{}: canonical query",
            v.name
        );
        if v.payload_hash != sigv4::UNSIGNED_PAYLOAD {
            assert_eq!(
                sigv4::sha256_hex(&v.body()),
                v.payload_hash,
                "{}: payload hash",
                v.name
            );
        }
        let key = sigv4::signing_key(
            &credentials.secret_key,
            &v.amz_date[..8],
            &v.region,
            &v.service,
        );
        assert_eq!(
            hex::encode(key.expose_secret()),
            v.signing_key_hex,
            "{}: signing key",
            v.name
        );

        let headers = v.headers();
        let signed = sigv4::sign(
            &credentials,
            &SigningRequest {
                method: &v.method,
                path: &v.path,
                query: &v.query,
                headers: &headers,
                payload_hash: &v.payload_hash,
                region: &v.region,
                service: &v.service,
                time,
            },
        )
        .unwrap_or_else(|e| panic!("{}: sign failed: {e}", v.name));
        assert_eq!(signed.amz_date, v.amz_date, "{}: amz date", v.name);
        assert_eq!(
            signed.canonical_request, v.canonical_request,
            "{}: canonical request",
            v.name
        );
        assert_eq!(
            signed.string_to_sign, v.string_to_sign,
            "{}: string to sign",
            v.name
        );
        assert_eq!(
            signed.credential_scope, v.credential_scope,
            "{}: scope",
            v.name
        );
        assert_eq!(
            signed.signed_headers, v.signed_headers,
            "{}: signed headers",
            v.name
        );
        assert_eq!(signed.signature, v.signature, "{}: signature", v.name);
        assert_eq!(
            signed.authorization, v.authorization,
            "{}: authorization",
            v.name
        );
    }
}

/// Verifies `v` as received with `headers` and `body`, knowing only the vector's key.
fn verify_vector(
    file: &SigV4File,
    v: &SigV4Vector,
    headers: &[(&str, &str)],
    body: &[u8],
    query: &str,
) -> Result<sigv4::Verified, VerifyError> {
    sigv4::verify(
        &ReceivedRequest {
            method: &v.method,
            path: &v.path,
            query,
            headers,
            body,
        },
        &VerifyOptions::new(),
        |access_key| {
            (access_key == file.access_key).then(|| SecretString::from(file.secret_key.clone()))
        },
    )
}

#[test]
fn sigv4_vectors_verify_and_tampering_is_caught() {
    let file: SigV4File = load("minio-sigv4.json");
    for v in &file.vectors {
        let body = v.body();
        let mut headers = v.headers();
        headers.push(("Authorization", &v.authorization));

        let verified = verify_vector(&file, v, &headers, &body, &v.query)
            .unwrap_or_else(|e| panic!("{}: verify rejected the vector: {e}", v.name));
        assert_eq!(verified.access_key, file.access_key, "{}", v.name);
        assert_eq!(verified.region, v.region, "{}", v.name);
        assert_eq!(
            verified.unsigned_payload,
            v.payload_hash == sigv4::UNSIGNED_PAYLOAD,
            "{}",
            v.name
        );
        assert_eq!(sigv4::amz_date(verified.time), v.amz_date, "{}", v.name);

        // User-Agent is not signed: changing it is harmless.
        let other_agent: Vec<_> = headers
            .iter()
            .map(|&(n, val)| {
                if n.eq_ignore_ascii_case("user-agent") {
                    (n, "someone else")
                } else {
                    (n, val)
                }
            })
            .collect();
        assert!(
            verify_vector(&file, v, &other_agent, &body, &v.query).is_ok(),
            "{}: user-agent",
            v.name
        );

        // A flipped signature digit.
        let mut bad_sig = v.authorization.clone();
        let last = if bad_sig.ends_with('0') { "1" } else { "0" };
        bad_sig.replace_range(bad_sig.len() - 1.., last);
        let tampered: Vec<_> = headers
            .iter()
            .map(|&(n, val)| {
                if n == "Authorization" {
                    (n, bad_sig.as_str())
                } else {
                    (n, val)
                }
            })
            .collect();
        let err = verify_vector(&file, v, &tampered, &body, &v.query).unwrap_err();
        assert!(
            matches!(err, VerifyError::SignatureMismatch { .. }),
            "{}: {err}",
            v.name
        );

        // A changed signed header (the host).
        let other_host: Vec<_> = headers
            .iter()
            .map(|&(n, val)| {
                if n.eq_ignore_ascii_case("host") {
                    (n, "127.0.0.1:9001")
                } else {
                    (n, val)
                }
            })
            .collect();
        let err = verify_vector(&file, v, &other_host, &body, &v.query).unwrap_err();
        assert!(
            matches!(err, VerifyError::SignatureMismatch { .. }),
            "{}: {err}",
            v.name
        );

        // A changed query.
        let err =
            verify_vector(&file, v, &headers, &body, &format!("{}&x=1", v.query)).unwrap_err();
        assert!(
            matches!(err, VerifyError::SignatureMismatch { .. }),
            "{}: {err}",
            v.name
        );

        // A wrong secret.
        let err = sigv4::verify(
            &ReceivedRequest {
                method: &v.method,
                path: &v.path,
                query: &v.query,
                headers: &headers,
                body: &body,
            },
            &VerifyOptions::new(),
            |_| Some(SecretString::from("not-the-secret")),
        )
        .unwrap_err();
        assert!(
            matches!(err, VerifyError::SignatureMismatch { .. }),
            "{}: {err}",
            v.name
        );

        // A changed body under a signed hash.
        if v.payload_hash != sigv4::UNSIGNED_PAYLOAD {
            let mut other_body = body.clone();
            other_body.push(b'!');
            let err = verify_vector(&file, v, &headers, &other_body, &v.query).unwrap_err();
            assert!(
                matches!(err, VerifyError::PayloadHashMismatch { .. }),
                "{}: {err}",
                v.name
            );
        }

        // A missing x-amz-content-sha256 (mandatory on admin calls).
        let without_hash: Vec<_> = headers
            .iter()
            .copied()
            .filter(|(n, _)| !n.eq_ignore_ascii_case("x-amz-content-sha256"))
            .collect();
        let err = verify_vector(&file, v, &without_hash, &body, &v.query).unwrap_err();
        assert_eq!(
            err,
            VerifyError::MissingHeader {
                name: "x-amz-content-sha256"
            },
            "{}",
            v.name
        );
        assert_eq!(err.minio_code(), "AccessDenied");
    }
}

// ---------------------------------------------------------------------------------
// madmin
// ---------------------------------------------------------------------------------

#[derive(Deserialize)]
struct MadminFile {
    vectors: Vec<MadminVector>,
    negative: Vec<MadminNegative>,
}

#[derive(Deserialize)]
struct MadminVector {
    name: String,
    password: String,
    algorithm_id: u8,
    salt_hex: String,
    nonce_hex: String,
    derived_key_hex: String,
    plaintext_hex: String,
    plaintext_len: usize,
    fragment_plaintext_lengths: Vec<usize>,
    ciphertext_len: usize,
    ciphertext_hex: String,
}

#[derive(Deserialize)]
struct MadminNegative {
    name: String,
    password: String,
    ciphertext_hex: String,
}

impl MadminVector {
    fn algorithm(&self) -> Algorithm {
        Algorithm::from_id(self.algorithm_id).unwrap_or_else(|| panic!("{}: unknown id", self.name))
    }

    fn salt(&self) -> [u8; madmin::SALT_LEN] {
        unhex(&self.salt_hex)
            .try_into()
            .unwrap_or_else(|_| panic!("{}: salt length", self.name))
    }

    fn nonce(&self) -> [u8; madmin::NONCE_LEN] {
        unhex(&self.nonce_hex)
            .try_into()
            .unwrap_or_else(|_| panic!("{}: nonce length", self.name))
    }

    fn password(&self) -> SecretString {
        SecretString::from(self.password.clone())
    }
}

/// Runs `check` on every vector, on as many threads as there are cores: Argon2id needs
/// 64 MiB and real CPU time per derivation.
fn for_each_parallel<T: Sync>(items: &[T], check: impl Fn(&T) + Sync) {
    let workers = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(items.len().max(1));
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(item) = items.get(i) else { break };
                check(item);
            });
        }
    });
}

#[test]
fn madmin_vectors_are_consistent() {
    let file: MadminFile = load("minio-madmin-decrypt.json");
    assert_eq!(file.vectors.len(), 15);
    assert_eq!(file.negative.len(), 9);
    for v in &file.vectors {
        let ciphertext = unhex(&v.ciphertext_hex);
        assert_eq!(ciphertext.len(), v.ciphertext_len, "{}", v.name);
        assert_eq!(
            madmin::encrypted_len(v.plaintext_len),
            v.ciphertext_len,
            "{}",
            v.name
        );
        assert_eq!(unhex(&v.plaintext_hex).len(), v.plaintext_len, "{}", v.name);
        assert_eq!(
            v.fragment_plaintext_lengths.iter().sum::<usize>(),
            v.plaintext_len,
            "{}",
            v.name
        );
        assert_eq!(ciphertext[..32], v.salt()[..], "{}", v.name);
        assert_eq!(ciphertext[33..41], v.nonce()[..], "{}", v.name);
        assert_eq!(
            madmin::algorithm_of(&ciphertext),
            Ok(v.algorithm()),
            "{}",
            v.name
        );
    }
}

#[test]
fn madmin_vectors_derive_the_key() {
    let file: MadminFile = load("minio-madmin-decrypt.json");
    for_each_parallel(&file.vectors, |v| {
        let key = madmin::derive_key(v.algorithm(), &v.password(), &v.salt())
            .unwrap_or_else(|e| panic!("{}: {e}", v.name));
        assert_eq!(
            hex::encode(key.expose_secret()),
            v.derived_key_hex,
            "{}",
            v.name
        );
    });
}

#[test]
fn madmin_vectors_decrypt() {
    let file: MadminFile = load("minio-madmin-decrypt.json");
    for_each_parallel(&file.vectors, |v| {
        let plaintext = madmin::decrypt(&v.password(), &unhex(&v.ciphertext_hex))
            .unwrap_or_else(|e| panic!("{}: {e}", v.name));
        assert!(
            plaintext == unhex(&v.plaintext_hex),
            "{}: wrong plaintext",
            v.name
        );
    });
}

#[test]
fn madmin_vectors_reencrypt_byte_for_byte() {
    let file: MadminFile = load("minio-madmin-decrypt.json");
    for_each_parallel(&file.vectors, |v| {
        let ciphertext = madmin::encrypt_with(
            &v.password(),
            &v.salt(),
            v.algorithm(),
            &v.nonce(),
            &unhex(&v.plaintext_hex),
        )
        .unwrap_or_else(|e| panic!("{}: {e}", v.name));
        assert!(
            ciphertext == unhex(&v.ciphertext_hex),
            "{}: ciphertext differs",
            v.name
        );
    });
}

#[test]
fn madmin_negative_vectors_are_rejected() {
    let file: MadminFile = load("minio-madmin-decrypt.json");
    for_each_parallel(&file.negative, |v| {
        let password = SecretString::from(v.password.clone());
        let result = madmin::decrypt(&password, &unhex(&v.ciphertext_hex));
        let err = match result {
            Ok(_) => panic!("{}: decrypted, must be rejected", v.name),
            Err(err) => err,
        };
        // Where the vector names the structural fault, the error must name it too.
        match v.name.as_str() {
            "header only, no fragment" => assert_eq!(err, MadminError::NoFragment),
            "unknown algorithm id 3" => assert_eq!(err, MadminError::UnknownAlgorithm { id: 3 }),
            "shorter than the 41-byte header" => {
                assert!(
                    matches!(err, MadminError::TruncatedHeader { .. }),
                    "{}: {err}",
                    v.name
                )
            }
            _ => assert!(
                matches!(err, MadminError::Authentication { .. }),
                "{}: {err}",
                v.name
            ),
        }
    });
}

#[test]
fn madmin_random_encryption_round_trips_for_every_algorithm() {
    let password = SecretString::from("provision-test-secret-KEY");
    let plaintext: Vec<u8> = (0..20_000u32).map(|i| (i % 253) as u8).collect();
    let algorithms = [
        Algorithm::Argon2idAesGcm,
        Algorithm::Argon2idChaCha20Poly1305,
        Algorithm::Pbkdf2AesGcm,
    ];
    for_each_parallel(&algorithms, |&algorithm| {
        let sealed = madmin::encrypt(&password, &plaintext, algorithm)
            .unwrap_or_else(|e| panic!("{algorithm:?}: {e}"));
        assert_eq!(sealed.len(), madmin::encrypted_len(plaintext.len()));
        assert_eq!(sealed[32], algorithm.id());
        let opened =
            madmin::decrypt(&password, &sealed).unwrap_or_else(|e| panic!("{algorithm:?}: {e}"));
        assert!(opened == plaintext, "{algorithm:?}: round trip");
    });
}
