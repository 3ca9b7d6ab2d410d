use std::sync::Mutex;

use syslog::{Facility, Formatter3164, Logger, LoggerBackend};

pub fn formatter() -> Formatter3164 {
    Formatter3164 { facility: Facility::LOG_USER, hostname: None, process: "desk-agent".into(), pid: std::process::id() }
}

/// Remote syslog sink (TCP, RFC 3164).
pub struct RemoteLog {
    pub logger: Mutex<Logger<LoggerBackend, Formatter3164>>,
}

impl RemoteLog {
    pub fn connect(server: &str) -> anyhow::Result<Self> {
        let logger = syslog::tcp(formatter(), server).map_err(|e| anyhow::anyhow!("{e}"))?;
        Ok(Self { logger: Mutex::new(logger) })
    }

    pub fn info(&self, msg: &str) {
        let _ = self.logger.lock().unwrap().info(msg);
    }
}
