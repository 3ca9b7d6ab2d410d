use std::path::Path;

use pickledb::{PickleDb, PickleDbDumpPolicy, SerializationMethod};

/// File offsets already shipped. Kept in memory; `save` writes them out.
pub struct Checkpoints {
    db: PickleDb,
}

impl Checkpoints {
    pub fn open(path: &Path) -> anyhow::Result<Self> {
        let db = match PickleDb::load(path, PickleDbDumpPolicy::DumpUponRequest, SerializationMethod::Json) {
            Ok(db) => db,
            Err(_) => PickleDb::new(path, PickleDbDumpPolicy::DumpUponRequest, SerializationMethod::Json),
        };
        Ok(Checkpoints { db })
    }

    pub fn get(&self, file: &str) -> u64 {
        self.db.get::<u64>(file).unwrap_or(0)
    }

    pub fn set(&mut self, file: &str, offset: u64) -> anyhow::Result<()> {
        self.db.set(file, &offset)?;
        Ok(())
    }

    pub fn save(&mut self) -> anyhow::Result<()> {
        self.db.dump()?;
        Ok(())
    }
}
