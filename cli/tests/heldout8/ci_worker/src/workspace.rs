use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use file_guard::{FileGuard, Lock};

pub struct Workspace {
    root: PathBuf,
}

impl Workspace {
    pub fn new(root: PathBuf) -> Self {
        Self { root }
    }

    pub fn job_dir(&self, id: &str) -> PathBuf {
        self.root.join("jobs").join(id)
    }

    /// Takes the worker-wide exclusive lock; waits if another worker holds it.
    pub fn acquire(&self) -> std::io::Result<FileGuard<Arc<File>>> {
        let f = OpenOptions::new().create(true).write(true).open(self.root.join("worker.lock"))?;
        file_guard::lock(Arc::new(f), Lock::Exclusive, 0, 1)
    }

    pub fn try_acquire(&self) -> std::io::Result<FileGuard<Arc<File>>> {
        let f = OpenOptions::new().create(true).write(true).open(self.root.join("worker.lock"))?;
        file_guard::try_lock(Arc::new(f), Lock::Exclusive, 0, 1)
    }

    pub fn cache_dir(&self) -> &Path {
        &self.root
    }
}
