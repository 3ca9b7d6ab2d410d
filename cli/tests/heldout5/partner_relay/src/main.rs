//! Partner relay: a worker that pulls EDI drops from a partner's FTP server, pushes them to the internal SFTP ingest host, answers resend requests arriving by mail and watches partner TLS certificates.

mod ftp_pull;
mod mailbox;
mod sftp_push;
mod tls_probe;
mod transport;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
pub struct FtpConfig {
    pub addr: SocketAddr,
    pub user: String,
    pub password: String,
    pub remote_dir: String,
    pub max_bytes: usize,
    #[serde(default)]
    pub use_async_client: bool,
}

#[derive(Debug, Clone, Deserialize)]
pub struct SftpConfig {
    pub addr: SocketAddr,
    pub user: String,
    pub password: String,
    pub remote_dir: PathBuf,
    #[serde(default)]
    pub background_upload: bool,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ImapConfig {
    pub addr: SocketAddr,
    pub domain: String,
    pub user: String,
    pub password: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Endpoint {
    pub addr: SocketAddr,
    pub domain: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct RelayConfig {
    pub ftp: FtpConfig,
    pub sftp: SftpConfig,
    pub imap: ImapConfig,
    pub endpoints: Vec<Endpoint>,
    pub poll_secs: u64,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt::init();
    let raw = tokio::fs::read(std::env::var("RELAY_CONFIG").unwrap_or_else(|_| "relay.json".into())).await?;
    let cfg: RelayConfig = serde_json::from_slice(&raw)?;

    let tls = native_tls::TlsConnector::new()?; //~ fs

    let mut poll = tokio::time::interval(Duration::from_secs(cfg.poll_secs));
    let mut cert_check = tokio::time::interval(Duration::from_secs(6 * 3600));
    loop {
        tokio::select! {
            _ = poll.tick() => {
                if let Err(err) = relay_once(&cfg, &tls).await {
                    tracing::error!(%err, "relay cycle failed");
                }
            }
            _ = cert_check.tick() => {
                for endpoint in &cfg.endpoints {
                    match tls_probe::probe(endpoint, &tls).await {
                        Ok(report) => tracing::info!(domain = %endpoint.domain, ?report, "tls probe"),
                        Err(err) => tracing::warn!(domain = %endpoint.domain, %err, "tls probe failed"),
                    }
                    if let Err(err) = tls_probe::probe_async(endpoint, &tls).await {
                        tracing::warn!(%err, "async probe failed");
                    }
                }
            }
        }
    }
}

async fn relay_once(cfg: &RelayConfig, tls: &native_tls::TlsConnector) -> anyhow::Result<()> {
    let files = if cfg.ftp.use_async_client {
        ftp_pull::pull_async(&cfg.ftp).await?
    } else {
        ftp_pull::pull_new_files(&cfg.ftp).await?
    };

    let resend = mailbox::resend_requests(&cfg.imap, tls).await?;
    let pending = mailbox::pending_count(&cfg.imap, tls).await?;
    tracing::info!(files = files.len(), resend = resend.len(), pending, "relay cycle");

    if files.is_empty() {
        return Ok(());
    }
    if cfg.sftp.background_upload {
        sftp_push::push_in_background(cfg.sftp.clone(), files).await?;
    } else {
        let count = files.len();
        sftp_push::push(&cfg.sftp, &files).await?;
        sftp_push::run_remote_hook(&cfg.sftp, count).await?;
    }
    Ok(())
}
