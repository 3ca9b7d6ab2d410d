use camino::Utf8Path;
use rusty_leveldb::{Options, DB};

/// Raw document bodies keyed by document id.
pub struct DocStore {
    db: DB,
}

impl DocStore {
    pub fn open(dir: &Utf8Path) -> anyhow::Result<Self> {
        let mut opts = Options::default();
        opts.create_if_missing = true;
        Ok(Self { db: DB::open(dir.as_std_path(), opts)? })
    }

    /// Throwaway store for tests and `--dry-run`.
    pub fn scratch() -> anyhow::Result<Self> {
        Ok(Self { db: DB::open("scratch", rusty_leveldb::in_memory())? })
    }

    pub fn put_doc(&mut self, id: &str, body: &[u8]) -> anyhow::Result<()> {
        self.db.put(id.as_bytes(), body)?;
        Ok(())
    }

    pub fn get_doc(&mut self, id: &str) -> Option<Vec<u8>> {
        self.db.get(id.as_bytes())
    }

    pub fn remove(&mut self, id: &str) -> anyhow::Result<()> {
        self.db.delete(id.as_bytes())?;
        Ok(())
    }

    pub fn flush(&mut self) -> anyhow::Result<()> {
        self.db.flush()?;
        Ok(())
    }
}
