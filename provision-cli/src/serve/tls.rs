//! TLS from a certificate chain and key in PEM files, with rustls and its ring
//! provider; and the rule that plain HTTP listens only on loopback unless a proxy is
//! said to be in front.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use axum_server::tls_rustls::RustlsConfig;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};

use crate::error::CliError;

/// The server's TLS settings from PEM files.
pub fn load(cert: &Path, key: &Path) -> Result<RustlsConfig, CliError> {
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(cert)
        .and_then(|certs| certs.collect::<Result<_, _>>())
        .map_err(|e| CliError::Config(format!("TLS certificate {}: {e}", cert.display())))?;
    if certs.is_empty() {
        return Err(CliError::Config(format!(
            "TLS certificate {}: no certificate in the file",
            cert.display()
        )));
    }
    // The key's own error could quote it: only say that it could not be read.
    let key = PrivateKeyDer::from_pem_file(key).map_err(|_| {
        CliError::Config(format!(
            "TLS key {}: no readable PEM private key",
            key.display()
        ))
    })?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| CliError::Config(format!("TLS: {e}")))?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(|e| CliError::Config(format!("TLS certificate and key: {e}")))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(RustlsConfig::from_config(Arc::new(config)))
}

/// Refuses plain HTTP on an address others can reach, unless `behind_proxy`.
pub fn check_plain_listen(address: SocketAddr, behind_proxy: bool) -> Result<(), CliError> {
    if address.ip().is_loopback() || behind_proxy {
        return Ok(());
    }
    Err(CliError::Usage(format!(
        "refusing plain HTTP on {address}: tokens would cross the network in clear. \
         Give --tls-cert and --tls-key, listen on loopback, or say --behind-proxy when \
         a TLS proxy is in front"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_is_for_loopback_or_behind_a_proxy() {
        let public: SocketAddr = "0.0.0.0:8080".parse().unwrap();
        assert!(check_plain_listen("127.0.0.1:8080".parse().unwrap(), false).is_ok());
        assert!(check_plain_listen("[::1]:8080".parse().unwrap(), false).is_ok());
        assert!(check_plain_listen(public, false).is_err());
        assert!(check_plain_listen(public, true).is_ok());
    }
}
