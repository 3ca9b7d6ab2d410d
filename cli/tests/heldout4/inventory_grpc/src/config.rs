use std::net::{SocketAddr, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
pub struct Settings {
    pub listen: String,
    pub db: PathBuf,
    pub log_level: String,
    pub pid_file: PathBuf,
    pub workers: usize,
    pub cache_size: usize,
    pub flush_secs: u64,
    pub import_dir: PathBuf,
    pub max_reserve: u32,
}

impl Settings {
    pub fn load(path: &str) -> anyhow::Result<Self> {
        let raw = std::fs::read_to_string(path)?;
        Ok(toml::from_str(&raw)?)
    }

    pub fn listen_addr(&self) -> anyhow::Result<SocketAddr> {
        self.listen
            .to_socket_addrs()?
            .next()
            .ok_or_else(|| anyhow::anyhow!("no address for {}", self.listen))
    }

    pub fn db_path(&self) -> &Path {
        &self.db
    }

    pub fn flush_interval(&self) -> Duration {
        Duration::from_secs(self.flush_secs.max(1))
    }

    pub fn import_file(&self, name: &str) -> PathBuf {
        let name = Path::new(name)
            .file_name()
            .map(|n| n.to_os_string())
            .unwrap_or_default();
        self.import_dir.join(name)
    }
}
