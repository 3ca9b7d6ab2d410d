use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use tokio::sync::mpsc;

pub struct Entry<'a> {
    pub peer: SocketAddr,
    pub method: &'a str,
    pub path: &'a str,
    pub status: u16,
    pub upstream: SocketAddr,
    pub took: Duration,
}

pub struct AccessLog {
    path: PathBuf,
    out: Mutex<File>,
}

fn open_append(path: &Path) -> io::Result<File> {
    OpenOptions::new().create(true).append(true).open(path)
}

impl AccessLog {
    pub fn open(path: &Path) -> io::Result<Self> {
        Ok(Self {
            path: path.to_owned(),
            out: Mutex::new(open_append(path)?),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn write(&self, e: &Entry<'_>) {
        let line = format!(
            "{} {} {} {} {} {} {}ms\n",
            chrono::Utc::now().to_rfc3339(),
            e.peer,
            e.method,
            e.path,
            e.status,
            e.upstream,
            e.took.as_millis()
        );
        let mut out = self.out.lock().unwrap();
        if let Err(err) = out.write_all(line.as_bytes()) {
            tracing::warn!(error = %err, "access log write failed");
        }
    }

    pub fn rotate(&self) -> io::Result<PathBuf> {
        let mut out = self.out.lock().unwrap();
        out.sync_all()?;
        let rotated = self
            .path
            .with_extension(format!("{}.log", chrono::Utc::now().format("%Y%m%d%H%M%S")));
        std::fs::rename(&self.path, &rotated)?;
        *out = open_append(&self.path)?;
        Ok(rotated)
    }
}

pub struct AuditSink {
    tx: mpsc::UnboundedSender<String>,
}

impl AuditSink {
    pub fn new() -> (Self, mpsc::UnboundedReceiver<String>) {
        let (tx, rx) = mpsc::unbounded_channel();
        (Self { tx }, rx)
    }

    pub fn write(&self, line: String) {
        let _ = self.tx.send(line);
    }
}
