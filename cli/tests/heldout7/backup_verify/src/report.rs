use std::io;
use std::path::Path;

use fs4::tokio::AsyncFileExt;
use serde::Serialize;
use tokio::io::AsyncWriteExt;

#[derive(Debug, Default, Serialize)]
pub struct SnapshotOutcome {
    pub id: String,
    pub ok: bool,
    pub entries: usize,
    pub error: Option<String>,
    pub bad_chunks: Vec<(String, String)>, // (digest, reason)
}

impl SnapshotOutcome {
    pub fn ok(id: &str, entries: usize) -> Self {
        SnapshotOutcome { id: id.to_string(), ok: true, entries, ..Default::default() }
    }

    pub fn failed(id: &str, why: impl Into<String>) -> Self {
        SnapshotOutcome { id: id.to_string(), error: Some(why.into()), ..Default::default() }
    }

    pub fn bad_chunk(&mut self, digest: &str, reason: &str) {
        self.ok = false;
        self.bad_chunks.push((digest.to_string(), reason.to_string()));
    }
}

#[derive(Debug, Default, Serialize)]
pub struct Report {
    pub snapshots: Vec<SnapshotOutcome>,
    pub probe_error: Option<String>,
}

impl Report {
    pub fn failures(&self) -> usize {
        self.snapshots.iter().filter(|s| !s.ok).count()
    }

    /// The dashboard takes a shared lock on `latest.json` while reading it.
    pub async fn persist(&self, dir: &Path) -> io::Result<()> {
        tokio::fs::create_dir_all(dir).await?; //~ ok(fs)
        let mut file = tokio::fs::File::create(dir.join("latest.json")).await?; //~ ok(fs)
        AsyncFileExt::lock(&file)?; //~ lock
        file.write_all(&serde_json::to_vec_pretty(self)?).await?; //~ ok(fs)
        file.sync_all().await?;
        AsyncFileExt::unlock_async(&file).await?; //~ ok(lock)

        let summary = format!("snapshots={} failed={}\n", self.snapshots.len(), self.failures());
        std::fs::write(dir.join("summary.txt"), summary)?; //~ fs
        Ok(())
    }
}
