use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde::Deserialize;

pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

#[derive(Debug, Clone, Deserialize)]
pub struct Config {
    pub repo_root: PathBuf,
    pub lock_path: PathBuf,
    pub report_dir: PathBuf,
    pub parallelism: usize,
    pub min_free_bytes: u64,
    #[serde(default)]
    pub restore_cmd: Vec<String>,
    pub probe_timeout_secs: u64,
    pub digest_xattr: String, // e.g. "user.backup.blake3"
}

#[derive(Debug, Default, Deserialize)]
pub struct Overrides {
    #[serde(default)]
    pub skip: HashSet<String>,
}

pub fn parse(raw: &str) -> Result<Config, toml::de::Error> {
    toml::from_str(raw)
}

pub fn load_overrides(repo_root: &Path) -> Result<Overrides, BoxError> {
    let path = repo_root.join(".verify-overrides.toml");
    if !path.exists() {
        return Ok(Overrides::default());
    }
    Ok(toml::from_str(&std::fs::read_to_string(&path)?)?)
}
