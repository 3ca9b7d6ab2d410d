//! Persistent enrichment cache in LMDB: key = `ip:<addr>` / `dom:<name>`,
//! value = JSON-encoded `Enrichment`.

use std::path::Path;

use lmdb::{Database, DatabaseFlags, Environment, EnvironmentFlags, Transaction, WriteFlags};

pub struct LmdbCache {
    pub env: Environment,
    pub db: Database,
}

impl LmdbCache {
    pub fn open(dir: &Path) -> lmdb::Result<Self> {
        let env = Environment::new()
            .set_flags(EnvironmentFlags::NO_SYNC)
            .set_max_dbs(2)
            .set_map_size(2 << 30)
            .open(dir)?;
        let db = env.create_db(Some("enrichment"), DatabaseFlags::empty())?;
        Ok(LmdbCache { env, db })
    }

    pub fn get(&self, key: &str) -> lmdb::Result<Option<Vec<u8>>> {
        let txn = self.env.begin_ro_txn()?;
        match txn.get(self.db, &key) {
            Ok(bytes) => Ok(Some(bytes.to_vec())),
            Err(lmdb::Error::NotFound) => Ok(None),
            Err(e) => Err(e),
        }
    }

    pub fn put(&self, key: &str, value: &[u8]) -> lmdb::Result<()> {
        let mut txn = self.env.begin_rw_txn()?;
        txn.put(self.db, &key, &value, WriteFlags::empty())?;
        txn.commit()
    }

    pub fn sync(&self) -> lmdb::Result<()> {
        self.env.sync(true)
    }
}
