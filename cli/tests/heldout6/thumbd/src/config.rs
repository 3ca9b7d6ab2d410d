use std::path::PathBuf;

use anyhow::Result;

#[derive(Clone, Debug)]
pub struct Config {
    pub listen: String,
    pub data_dir: PathBuf,
    pub max_side: u32,
    pub retention_secs: u64,
    pub sweep_every_secs: u64,
}

impl Config {
    pub fn defaults() -> Self {
        Config {
            listen: "127.0.0.1:8088".to_string(),
            data_dir: PathBuf::from("./data"),
            max_side: 512,
            retention_secs: 7 * 24 * 3600,
            sweep_every_secs: 300,
        }
    }

    /// Reads `key = value` lines from `path` if it exists, then applies
    /// environment overrides.
    pub fn from_env_or_file(path: &str) -> Result<Self> {
        let mut cfg = Config::defaults();
        if let Ok(text) = std::fs::read_to_string(path) {
            cfg.apply(&text)?;
        }
        if let Ok(dir) = std::env::var("THUMBD_DATA") {
            cfg.data_dir = PathBuf::from(dir);
        }
        if let Ok(addr) = std::env::var("THUMBD_LISTEN") {
            cfg.listen = addr;
        }
        Ok(cfg)
    }

    pub fn apply(&mut self, text: &str) -> Result<()> {
        for line in text.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((k, v)) = line.split_once('=') else {
                anyhow::bail!("bad config line: {line}");
            };
            let v = v.trim();
            match k.trim() {
                "listen" => self.listen = v.to_string(),
                "data_dir" => self.data_dir = PathBuf::from(v),
                "max_side" => self.max_side = v.parse()?,
                "retention_secs" => self.retention_secs = v.parse()?,
                "sweep_every_secs" => self.sweep_every_secs = v.parse()?,
                other => tracing::warn!(key = other, "unknown config key"),
            }
        }
        Ok(())
    }
}
