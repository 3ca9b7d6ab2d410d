//! syncd: a file-sync daemon that watches a directory tree, hashes changed files, keeps a
//! SQLite index of what was synced and uploads new content to a remote blob store.

mod control;
mod daemon;
mod index;
mod sync;
mod throttle;

use notify::{RecursiveMode, Watcher};

use crate::config::Config;
use crate::index::Index;
use crate::sync::Uploader;

fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt::init();
    let path = std::env::args().nth(1).unwrap_or_else(|| "/etc/syncd.toml".into());
    let cfg = Config::load(&path)?; //~ ok(fs)
    let index = Index::open(&cfg.index_db)?; //~ ok(db)
    let uploader = Uploader::new(&cfg.endpoint, &cfg.token)?; //~ ok(http_blocking)
    tracing::info!(root = %cfg.root.display(), "syncd starting");

    let (tx, events) = crossbeam_channel::unbounded();
    let mut watcher = notify::recommended_watcher(tx)?;
    watcher.watch(&cfg.root, RecursiveMode::Recursive)?;

    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let res = rt.block_on(daemon::run(cfg, index, uploader, events)); //~ ok(block_on)
    drop(watcher);
    res
}

mod config {
    use std::path::PathBuf;
    use std::time::Duration;

    use serde::Deserialize;

    #[derive(Debug, Clone, Deserialize)]
    pub struct Config {
        pub root: PathBuf,
        pub index_db: PathBuf,
        pub endpoint: String,
        pub token: String,
        pub control_socket: PathBuf,
        #[serde(default)]
        pub merge_tool: Option<String>,
        #[serde(default = "default_gap_ms")]
        pub min_upload_gap_ms: u64,
        #[serde(default = "default_large")]
        pub large_file_bytes: u64,
    }

    fn default_gap_ms() -> u64 {
        250
    }

    fn default_large() -> u64 {
        64 * 1024 * 1024
    }

    impl Config {
        pub fn load(path: &str) -> anyhow::Result<Self> {
            Ok(toml::from_str(&std::fs::read_to_string(path)?)?)
        }

        pub fn upload_gap(&self) -> Duration {
            Duration::from_millis(self.min_upload_gap_ms)
        }
    }
}
