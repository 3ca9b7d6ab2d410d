//! hostmetrics: a small Prometheus exporter that samples /proc, mounted filesystems,
//! network reachability and user-provided scripts, and serves them on /metrics.

pub mod collectors;
pub mod registry;
pub mod server;

pub use crate::registry::Registry as MetricRegistry;

pub mod config {
    use std::path::{Path, PathBuf};
    use std::time::Duration;

    use serde::Deserialize;

    #[derive(Debug, Clone, Deserialize)]
    pub struct Config {
        pub listen: String,
        #[serde(default = "default_interval")]
        pub interval_secs: u64,
        #[serde(default)]
        pub mounts: Vec<PathBuf>,
        #[serde(default)]
        pub probe_targets: Vec<String>,
        #[serde(default)]
        pub scripts_dir: Option<PathBuf>,
    }

    fn default_interval() -> u64 {
        15
    }

    impl Config {
        pub fn interval(&self) -> Duration {
            Duration::from_secs(self.interval_secs.max(1))
        }
    }

    pub fn load(path: &Path) -> anyhow::Result<Config> {
        Ok(serde_yaml::from_str(&std::fs::read_to_string(path)?)?)
    }
}
