use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Condvar, Mutex, RwLock};

use serde::{Deserialize, Serialize};

use crate::meta::MediaInfo;
use crate::scan::Kind;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entry {
    pub path: PathBuf,
    pub kind: Kind,
    pub hash: String,
    pub info: MediaInfo,
}

pub struct Catalog {
    pub entries: RwLock<HashMap<String, Entry>>,
    pub db_path: PathBuf,
    pub dirty: Mutex<bool>,
    pub flushed: Condvar,
}

impl Catalog {
    pub fn load(db: &Path) -> anyhow::Result<Self> {
        let entries = match std::fs::read(db) {
            Ok(bytes) => serde_json::from_slice(&bytes)?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => HashMap::new(),
            Err(e) => return Err(e.into()),
        };
        Ok(Self { entries: RwLock::new(entries), db_path: db.to_path_buf(), dirty: Mutex::new(false), flushed: Condvar::new() })
    }

    pub fn upsert(&self, e: Entry) {
        self.entries.write().unwrap().insert(e.hash.clone(), e);
        *self.dirty.lock().unwrap() = true;
    }

    /// Writes the catalog atomically (tmp file + rename).
    pub fn save(&self) -> anyhow::Result<()> {
        let tmp = self.db_path.with_extension("json.tmp");
        let bytes = serde_json::to_vec(&*self.entries.read().unwrap())?;
        std::fs::write(&tmp, bytes)?;
        std::fs::rename(&tmp, &self.db_path)?;
        *self.dirty.lock().unwrap() = false;
        self.flushed.notify_all();
        Ok(())
    }

    pub fn snapshot_json(&self) -> anyhow::Result<Vec<u8>> {
        Ok(serde_json::to_vec(&*self.entries.read().unwrap())?)
    }
}
