use std::io::Write;

use anyhow::Result;
use walkdir::WalkDir;

use super::*;

impl Store {
    /// Atomically writes an uploaded original (temp file + rename).
    pub fn save_original(&self, name: &str, bytes: &[u8]) -> Result<PathBuf> {
        let dest = self.original_path(name);
        let mut tmp = tempfile::NamedTempFile::new_in(self.root.join("originals"))?;
        tmp.write_all(bytes)?;
        tmp.as_file().sync_all()?;
        tmp.persist(&dest)?;
        Ok(dest)
    }

    pub fn has_thumb(&self, name: &str, side: u32) -> bool {
        self.thumb_path(name, side).is_file()
    }

    pub fn list_originals(&self) -> Vec<String> {
        WalkDir::new(self.root.join("originals"))
            .min_depth(1)
            .max_depth(1)
            .into_iter()
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect()
    }

    pub fn record_upload(&self, len: u64) {
        let mut s = self.stats.lock().unwrap();
        s.originals += 1;
        s.bytes_in += len;
    }

    pub fn bump_thumbs(&self) {
        self.stats.lock().unwrap().thumbs_made += 1;
    }

    pub fn add_swept(&self, n: u64) {
        self.stats.lock().expect("stats poisoned").swept += n;
    }

    pub fn snapshot(&self) -> Stats {
        self.stats.lock().unwrap().clone()
    }
}
