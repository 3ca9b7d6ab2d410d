//! Uploaded documents and conversion results live under `<data>/jobs/<id>/`.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::SystemTime;

pub struct JobStore {
    root: PathBuf,
    next_id: AtomicU64,
}

impl JobStore {
    pub fn new(root: PathBuf) -> Self {
        let seed = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
        JobStore { root, next_id: AtomicU64::new(seed << 16) }
    }

    pub fn new_job(&self) -> String {
        format!("{:x}", self.next_id.fetch_add(1, Ordering::Relaxed))
    }

    pub fn dir(&self, job: &str) -> PathBuf {
        self.root.join(job)
    }

    pub fn save_upload(&self, job: &str, ext: &str, body: &[u8]) -> io::Result<PathBuf> {
        let dir = self.dir(job);
        std::fs::create_dir_all(&dir)?;
        let path = dir.join(format!("input.{ext}"));
        std::fs::write(&path, body)?;
        Ok(path)
    }
}

pub fn output_path(dir: &Path, stem: &str, ext: &str) -> PathBuf {
    dir.join(format!("{stem}.{ext}"))
}
