//! Delivery back-ends. The sync `Notifier` implementations wrap lettre's
//! blocking transports; `AsyncNotifier` wraps the tokio ones.

use std::path::Path;
use std::time::Duration;

use async_trait::async_trait;
use lettre::{
    AsyncFileTransport, AsyncSendmailTransport, AsyncSmtpTransport, AsyncTransport, FileTransport, Message,
    SendmailTransport, SmtpTransport, Tokio1Executor, Transport,
};

pub trait Notifier: Send + Sync {
    fn name(&self) -> &'static str;
    fn deliver(&self, msg: &Message) -> anyhow::Result<()>;
}

pub struct SmtpNotifier {
    transport: SmtpTransport,
}

impl SmtpNotifier {
    /// Only stores the settings; no connection is made until `deliver`.
    pub fn new(host: &str, port: u16) -> Self {
        let transport = SmtpTransport::builder_dangerous(host)
            .port(port)
            .timeout(Some(Duration::from_secs(10)))
            .build();
        SmtpNotifier { transport }
    }

    pub fn probe(&self) -> bool {
        self.transport.test_connection().unwrap_or(false)
    }
}

impl Notifier for SmtpNotifier {
    fn name(&self) -> &'static str {
        "smtp"
    }

    fn deliver(&self, msg: &Message) -> anyhow::Result<()> {
        let resp = self.transport.send(msg)?;
        tracing::debug!(code = %resp.code(), "smtp accepted");
        Ok(())
    }
}

pub struct SpoolNotifier {
    transport: FileTransport,
}

impl SpoolNotifier {
    pub fn new(dir: &Path) -> Self {
        SpoolNotifier { transport: FileTransport::new(dir) }
    }
}

impl Notifier for SpoolNotifier {
    fn name(&self) -> &'static str {
        "spool"
    }

    fn deliver(&self, msg: &Message) -> anyhow::Result<()> {
        let id = self.transport.send(msg)?;
        tracing::debug!(%id, "spooled");
        Ok(())
    }
}

pub struct SendmailNotifier {
    transport: SendmailTransport,
}

impl SendmailNotifier {
    pub fn new() -> Self {
        SendmailNotifier { transport: SendmailTransport::new() }
    }
}

impl Notifier for SendmailNotifier {
    fn name(&self) -> &'static str {
        "sendmail"
    }

    fn deliver(&self, msg: &Message) -> anyhow::Result<()> {
        self.transport.send(msg)?;
        Ok(())
    }
}

#[async_trait]
pub trait AsyncNotifier: Send + Sync {
    async fn deliver(&self, msg: Message) -> anyhow::Result<()>;
}

pub struct AsyncSmtp {
    transport: AsyncSmtpTransport<Tokio1Executor>,
}

impl AsyncSmtp {
    pub fn new(host: &str, port: u16) -> Self {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
            .port(port)
            .timeout(Some(Duration::from_secs(10)))
            .build();
        AsyncSmtp { transport }
    }

    pub async fn probe(&self) -> bool {
        self.transport.test_connection().await.unwrap_or(false)
    }
}

#[async_trait]
impl AsyncNotifier for AsyncSmtp {
    async fn deliver(&self, msg: Message) -> anyhow::Result<()> {
        self.transport.send(msg).await?;
        Ok(())
    }
}

pub struct AsyncSpool {
    transport: AsyncFileTransport<Tokio1Executor>,
}

impl AsyncSpool {
    pub fn new(dir: &Path) -> Self {
        AsyncSpool { transport: AsyncFileTransport::new(dir) }
    }
}

#[async_trait]
impl AsyncNotifier for AsyncSpool {
    async fn deliver(&self, msg: Message) -> anyhow::Result<()> {
        self.transport.send(msg).await?;
        Ok(())
    }
}

pub struct AsyncSendmail;

#[async_trait]
impl AsyncNotifier for AsyncSendmail {
    async fn deliver(&self, msg: Message) -> anyhow::Result<()> {
        AsyncSendmailTransport::<Tokio1Executor>::new().send(msg).await?;
        Ok(())
    }
}

/// True if the error is a permanent SMTP rejection (5xx).
pub fn is_permanent(err: &anyhow::Error) -> bool {
    err.downcast_ref::<lettre::transport::smtp::Error>()
        .map(|e| e.is_permanent())
        .unwrap_or(false)
}
