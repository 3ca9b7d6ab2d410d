use std::time::Instant;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::{Probe, Status};

pub struct HttpProbe {
    url: String,
    timeout_secs: u64,
}

impl HttpProbe {
    pub fn new(url: &str, timeout_secs: u64) -> Self {
        HttpProbe { url: url.to_string(), timeout_secs }
    }
}

impl Probe for HttpProbe {
    fn name(&self) -> String {
        format!("http:{}", self.url)
    }

    fn check(&self) -> Status {
        let started = Instant::now();
        match minreq::get(self.url.as_str()).with_timeout(self.timeout_secs).send() {
            Ok(resp) if (200..400).contains(&resp.status_code) => Status::Up { millis: started.elapsed().as_millis() },
            Ok(resp) => Status::Down(format!("status {}", resp.status_code)),
            Err(e) => Status::Down(e.to_string()),
        }
    }
}

/// Blocking GET returning the body as text.
pub fn fetch_body(url: &str) -> anyhow::Result<String> {
    let resp = minreq::get(url).with_timeout(10).send()?;
    Ok(resp.as_str()?.to_string())
}

/// Minimal async HEAD over plain HTTP/1.0; returns the status code.
pub async fn head_async(url: &str) -> anyhow::Result<u16> {
    let rest = url.strip_prefix("http://").ok_or_else(|| anyhow::anyhow!("only http:// supported"))?;
    let (hostport, path) = match rest.split_once('/') {
        Some((h, p)) => (h, format!("/{p}")),
        None => (rest, "/".to_string()),
    };
    let addr = if hostport.contains(':') { hostport.to_string() } else { format!("{hostport}:80") };
    let mut stream = tokio::net::TcpStream::connect(addr).await?;
    stream
        .write_all(format!("HEAD {path} HTTP/1.0\r\nHost: {hostport}\r\n\r\n").as_bytes())
        .await?;
    let mut buf = [0u8; 32];
    let n = stream.read(&mut buf).await?;
    let line = std::str::from_utf8(&buf[..n])?;
    let code = line
        .split_whitespace()
        .nth(1)
        .ok_or_else(|| anyhow::anyhow!("bad status line"))?
        .parse()?;
    Ok(code)
}
