use std::path::PathBuf;

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
pub struct Config {
    pub maildir: PathBuf,
    /// Maildir folder that keeps a copy of every digest we sent.
    pub sent_folder: String,
    pub templates: PathBuf,
    pub state_file: PathBuf,
    pub api_base: String,
    pub api_token: String,
    pub from: String,
    pub recipients: Vec<String>,
    #[serde(default = "default_interval")]
    pub interval_secs: u64,
}

fn default_interval() -> u64 {
    3600
}

pub fn load(path: &str) -> Result<Config, Box<dyn std::error::Error + Send + Sync>> {
    let text = std::fs::read_to_string(path)?;
    Ok(serde_json::from_str(&text)?)
}
