use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use parking_lot::Mutex;

use crate::Reading;

pub struct FileSink {
    path: PathBuf,
    file: Mutex<File>,
}

impl FileSink {
    pub fn open(path: impl Into<PathBuf>) -> std::io::Result<Self> {
        let path = path.into();
        let file = OpenOptions::new().create(true).append(true).open(&path)?;
        Ok(Self {
            path,
            file: Mutex::new(file),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn append(&self, r: &Reading) -> std::io::Result<()> {
        let line = format!("{},{},{},{},{}\n", r.ts_ms, r.device, r.sensor, r.value, r.unit);
        self.file.lock().write_all(line.as_bytes())
    }

    pub fn rotate(&self, suffix: &str) -> std::io::Result<PathBuf> {
        let mut file = self.file.lock();
        file.sync_all()?;
        let rotated = self.path.with_extension(format!("{suffix}.csv"));
        std::fs::rename(&self.path, &rotated)?;
        *file = OpenOptions::new().create(true).append(true).open(&self.path)?;
        Ok(rotated)
    }

    pub async fn compress(path: &Path) -> std::io::Result<bool> {
        let status = tokio::process::Command::new("gzip")
            .arg("-9")
            .arg(path)
            .status() //~ ok(process)
            .await?;
        Ok(status.success())
    }
}
