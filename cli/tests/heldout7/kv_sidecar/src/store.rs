//! Durable copy of every key in libmdbx.

use std::path::Path;

use libmdbx::{Database, DatabaseOptions, NoWriteMap, TableFlags, WriteFlags};

pub struct Persistent {
    db: Database<NoWriteMap>,
}

impl Persistent {
    pub fn open(path: impl AsRef<Path>) -> libmdbx::Result<Self> {
        let opts = DatabaseOptions { max_tables: Some(4), ..Default::default() };
        let db = Database::open_with_options(path, opts)?;
        let txn = db.begin_rw_txn()?;
        txn.create_table(Some("kv"), TableFlags::empty())?;
        txn.commit()?;
        Ok(Persistent { db })
    }

    pub fn get(&self, key: &str) -> libmdbx::Result<Option<Vec<u8>>> {
        let txn = self.db.begin_ro_txn()?;
        let table = txn.open_table(Some("kv"))?;
        txn.get::<Vec<u8>>(&table, key.as_bytes())
    }

    /// Writes a batch in one transaction (used by the write-behind thread).
    pub fn put_batch(&self, items: &[(String, Vec<u8>)]) -> libmdbx::Result<()> {
        let txn = self.db.begin_rw_txn()?;
        let table = txn.open_table(Some("kv"))?;
        for (k, v) in items {
            txn.put(&table, k.as_bytes(), v, WriteFlags::UPSERT)?;
        }
        txn.commit()?;
        Ok(())
    }

    pub fn delete(&self, key: &str) -> libmdbx::Result<bool> {
        let txn = self.db.begin_rw_txn()?;
        let table = txn.open_table(Some("kv"))?;
        let existed = txn.del(&table, key.as_bytes(), None)?;
        txn.commit()?;
        Ok(existed)
    }

    pub fn sync(&self) -> libmdbx::Result<bool> {
        self.db.sync(true)
    }

    pub fn entries(&self) -> libmdbx::Result<usize> {
        Ok(self.db.stat()?.entries())
    }
}
