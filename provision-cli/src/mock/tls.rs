//! `--tls`: a certificate authority and a server certificate made at start, so that a
//! client can trust the mock by the CA file alone (rustls refuses a self-signed
//! certificate used directly as a server's, so the two are separate).

use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair,
    KeyUsagePurpose, SanType,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::TlsAcceptor;

use super::MockError;

/// A TLS acceptor for the mock and the path of the CA certificate clients should trust.
pub struct MockTls {
    /// Accepts TLS connections with the server certificate.
    pub acceptor: TlsAcceptor,
    /// The CA certificate (PEM) that signed it.
    pub ca_path: PathBuf,
}

fn tls_error(e: impl std::fmt::Display) -> MockError {
    MockError::Tls(e.to_string())
}

/// Makes a CA and a server certificate for `localhost`, `127.0.0.1`, `::1`, the listen
/// address's IP (when it is a specific one) and `extra_names`, writes the CA's PEM to
/// `ca_path` and returns the acceptor.
pub fn make(
    listen_ip: IpAddr,
    extra_names: &[String],
    ca_path: &Path,
) -> Result<MockTls, MockError> {
    let ca_key = KeyPair::generate().map_err(tls_error)?;
    let mut ca_params = CertificateParams::default();
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "provision mock CA");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let ca = ca_params.self_signed(&ca_key).map_err(tls_error)?;

    let mut names = vec!["localhost".to_string()];
    names.extend(extra_names.iter().cloned());
    let mut params = CertificateParams::new(names).map_err(tls_error)?;
    params
        .distinguished_name
        .push(DnType::CommonName, "provision mock");
    let mut ips: Vec<IpAddr> = vec![
        IpAddr::from([127, 0, 0, 1]),
        IpAddr::from([0u16, 0, 0, 0, 0, 0, 0, 1]),
    ];
    if !listen_ip.is_unspecified() && !ips.contains(&listen_ip) {
        ips.push(listen_ip);
    }
    params
        .subject_alt_names
        .extend(ips.into_iter().map(SanType::IpAddress));
    params.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyEncipherment,
    ];
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    let key = KeyPair::generate().map_err(tls_error)?;
    let cert = params.signed_by(&key, &ca, &ca_key).map_err(tls_error)?;

    if let Some(dir) = ca_path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(ca_path, ca.pem())?;

    let chain = vec![CertificateDer::from(cert.der().to_vec())];
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(tls_error)?
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .map_err(tls_error)?;
    Ok(MockTls {
        acceptor: TlsAcceptor::from(Arc::new(config)),
        ca_path: ca_path.to_path_buf(),
    })
}
