use std::path::{Path, PathBuf};

use atomicwrites::{AtomicFile, OverwriteBehavior};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct EpisodeMeta {
    pub path: PathBuf,
    pub title: String,
    pub show: String,
    pub duration_secs: u64,
}

impl EpisodeMeta {
    pub fn fallback_title(&self) -> String {
        self.path
            .file_stem()
            .map(|s| s.to_string_lossy().replace('_', " "))
            .unwrap_or_default()
    }
}

pub struct MediaLibrary {
    root: PathBuf,
    episodes: Vec<EpisodeMeta>,
}

impl MediaLibrary {
    pub fn new(root: PathBuf) -> Self {
        Self { root, episodes: Vec::new() }
    }

    pub fn scan(&self) -> std::io::Result<Vec<PathBuf>> {
        let mut out = Vec::new();
        for entry in std::fs::read_dir(&self.root)? {
            let entry = entry?;
            if entry.file_type()?.is_file() {
                out.push(entry.path());
            }
        }
        Ok(out)
    }

    pub fn record(&mut self, meta: EpisodeMeta) {
        self.episodes.push(meta);
    }

    pub fn summary(&self) -> Vec<EpisodeMeta> {
        self.episodes.clone()
    }

    pub fn index_path(&self) -> PathBuf {
        self.root.join(".index.json")
    }

    /// Atomically rewrites the index next to the episodes.
    pub fn persist_index(&self) -> Result<(), atomicwrites::Error<std::io::Error>> {
        let af = AtomicFile::new(self.index_path(), OverwriteBehavior::AllowOverwrite);
        af.write(|f| serde_json::to_writer_pretty(f, &self.episodes).map_err(std::io::Error::from))
    }

    pub fn contains(&self, p: &Path) -> bool {
        self.episodes.iter().any(|e| e.path == p)
    }
}
