pub mod reload;

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};

use ipnet::IpNet;
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
pub struct UpstreamConfig {
    pub host: String,
    pub port: u16,
    #[serde(default = "default_weight")]
    pub weight: u32,
}

fn default_weight() -> u32 {
    1
}

#[derive(Debug, Clone, Deserialize)]
pub struct Config {
    pub listen: SocketAddr,
    pub upstreams: Vec<UpstreamConfig>,
    pub access_log: PathBuf,
    pub acl_file: PathBuf,
    pub rate_per_sec: u32,
    pub burst: u32,
}

pub fn load(path: &Path) -> anyhow::Result<Config> {
    let raw = std::fs::read_to_string(path)?;
    Ok(serde_yaml::from_str(&raw)?)
}

#[derive(Debug, Clone, Default)]
pub struct Acl {
    denied: Vec<IpNet>,
}

impl Acl {
    pub fn from_file(path: &Path) -> std::io::Result<Self> {
        let raw = std::fs::read_to_string(path)?;
        let denied = raw
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .filter_map(|l| l.parse().ok())
            .collect();
        Ok(Self { denied })
    }

    pub fn is_denied(&self, ip: IpAddr) -> bool {
        self.denied.iter().any(|net| net.contains(&ip))
    }

    pub fn len(&self) -> usize {
        self.denied.len()
    }
}
