use std::net::TcpStream;
use std::time::Duration;

use native_tls::TlsConnector;

/// Connects, completes the handshake and returns the peer certificate (DER).
pub fn peer_cert_der(host: &str, port: u16) -> anyhow::Result<Vec<u8>> {
    let connector = TlsConnector::new()?;
    let tcp = TcpStream::connect((host, port))?;
    tcp.set_read_timeout(Some(Duration::from_secs(5)))?;
    let tls = connector.connect(host, tcp)?;
    let cert = tls.peer_certificate()?.ok_or_else(|| anyhow::anyhow!("no peer cert"))?;
    Ok(cert.to_der()?)
}

pub fn cert_size_ok(der: &[u8]) -> bool {
    der.len() > 256 && der.len() < 16 * 1024
}
