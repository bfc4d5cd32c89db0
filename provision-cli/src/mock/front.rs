//! The listener on `--listen`: every connection, plain or TLS, is forwarded byte for
//! byte to the in-process mock, so Host headers and request signatures pass unchanged.

use std::net::SocketAddr;

use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio_rustls::TlsAcceptor;

/// Accepts connections on `listener` until `stop` turns true, forwarding each to
/// `inner` (through TLS first when `tls` is set).
pub async fn forward(
    listener: TcpListener,
    tls: Option<TlsAcceptor>,
    inner: SocketAddr,
    mut stop: watch::Receiver<bool>,
) {
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let (client, peer) = match accepted {
                    Ok(connection) => connection,
                    // Out of file descriptors, say: wait rather than spin.
                    Err(e) => {
                        tracing::warn!(error = %e, "the mock could not accept a connection");
                        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                        continue;
                    }
                };
                let tls = tls.clone();
                tokio::spawn(async move {
                    if let Err(e) = connection(client, tls, inner).await {
                        tracing::debug!(%peer, error = %e, "mock connection ended");
                    }
                });
            }
            _ = stop.changed() => break,
        }
    }
}

async fn connection(
    client: TcpStream,
    tls: Option<TlsAcceptor>,
    inner: SocketAddr,
) -> std::io::Result<()> {
    let _ = client.set_nodelay(true);
    let mut upstream = TcpStream::connect(inner).await?;
    let _ = upstream.set_nodelay(true);
    match tls {
        Some(acceptor) => {
            let mut client = acceptor.accept(client).await?;
            tokio::io::copy_bidirectional(&mut client, &mut upstream).await?;
        }
        None => {
            let mut client = client;
            tokio::io::copy_bidirectional(&mut client, &mut upstream).await?;
        }
    }
    Ok(())
}
