use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EnvConfig {
    pub api: String,
    pub log_host: String,
    pub log_port: u16,
    pub health_url: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Config {
    pub project: String,
    pub registry: String,
    #[serde(default)]
    pub envs: BTreeMap<String, EnvConfig>,
}

impl Config {
    pub fn env(&self, name: &str) -> anyhow::Result<&EnvConfig> {
        self.envs
            .get(name)
            .ok_or_else(|| anyhow::anyhow!("unknown environment `{name}`"))
    }

    pub fn image(&self, tag: &str) -> String {
        format!("{}/{}:{}", self.registry, self.project, tag)
    }

    pub async fn save(&self, path: &Path) -> anyhow::Result<()> {
        tokio::fs::write(path, toml::to_string_pretty(self)?).await?; //~ ok(fs)
        Ok(())
    }
}

pub fn load_or_default(path: &Path) -> anyhow::Result<Config> {
    match std::fs::read_to_string(path) {
        Ok(raw) => Ok(toml::from_str(&raw)?),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Config::default()),
        Err(e) => Err(e.into()),
    }
}

pub fn write_template(path: &Path, project: &str) -> std::io::Result<()> {
    let body = format!(
        "project = \"{project}\"\nregistry = \"registry.example.com\"\n\n[envs.staging]\napi = \"https://deploy.staging.example.com\"\nlog_host = \"logs.staging.example.com\"\nlog_port = 5140\nhealth_url = \"https://staging.example.com/healthz\"\n"
    );
    std::fs::write(path, body)
}
