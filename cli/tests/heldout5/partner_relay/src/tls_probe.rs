use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::Endpoint;

#[derive(Debug)]
pub struct ProbeReport {
    pub has_certificate: bool,
    pub status_line: String,
}

pub async fn probe(endpoint: &Endpoint, tls: &native_tls::TlsConnector) -> anyhow::Result<ProbeReport> {
    let tcp = TcpStream::connect_timeout(&endpoint.addr, Duration::from_secs(5))?; //~ net
    tcp.set_read_timeout(Some(Duration::from_secs(5)))?;
    let mut stream = tls.connect(&endpoint.domain, tcp)?; //~ net
    let certificate = stream.peer_certificate()?; //~ ok(net)

    stream.write_all(format!("HEAD / HTTP/1.0\r\nHost: {}\r\n\r\n", endpoint.domain).as_bytes())?; //~ net
    let mut buf = [0u8; 512];
    let n = stream.read(&mut buf)?; //~ net
    stream.shutdown()?; //~ net

    let status_line = String::from_utf8_lossy(&buf[..n]).lines().next().unwrap_or_default().to_string();
    Ok(ProbeReport {
        has_certificate: certificate.is_some(),
        status_line,
    })
}

pub async fn probe_async(endpoint: &Endpoint, tls: &native_tls::TlsConnector) -> anyhow::Result<ProbeReport> {
    let tcp = tokio::net::TcpStream::connect(endpoint.addr).await?; //~ ok(net)
    let connector = tokio_native_tls::TlsConnector::from(tls.clone());
    let mut stream = connector.connect(&endpoint.domain, tcp).await?; //~ ok(net)
    let request = format!("HEAD / HTTP/1.0\r\nHost: {}\r\n\r\n", endpoint.domain);
    stream.write_all(request.as_bytes()).await?; //~ ok(net)
    let mut buf = vec![0u8; 512];
    let n = stream.read(&mut buf).await?; //~ ok(net)
    let certificate = stream.get_ref().peer_certificate()?; //~ ok(net)
    Ok(ProbeReport {
        has_certificate: certificate.is_some(),
        status_line: String::from_utf8_lossy(&buf[..n]).lines().next().unwrap_or_default().to_string(),
    })
}
