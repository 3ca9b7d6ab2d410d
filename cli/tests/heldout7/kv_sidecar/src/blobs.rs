//! Values above `INLINE_MAX` are stored content-addressed in cacache; the
//! key-value store only keeps the integrity string.

use std::path::PathBuf;

pub const INLINE_MAX: usize = 64 * 1024;

#[derive(Clone)]
pub struct BlobStore {
    pub dir: PathBuf,
}

impl BlobStore {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        BlobStore { dir: dir.into() }
    }

    /// Synchronous variant for the write-behind thread.
    pub fn put_sync(&self, key: &str, data: &[u8]) -> cacache::Result<String> {
        Ok(cacache::write_sync(&self.dir, key, data)?.to_string())
    }

    pub async fn put(&self, key: &str, data: &[u8]) -> cacache::Result<String> {
        Ok(cacache::write(&self.dir, key, data).await?.to_string())
    }

    /// Total bytes of all live entries (admin page).
    pub fn usage_sync(&self) -> u64 {
        cacache::list_sync(&self.dir).filter_map(Result::ok).map(|m| m.size as u64).sum()
    }
}
