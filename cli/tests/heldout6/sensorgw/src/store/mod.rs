mod readings;

pub use readings::Reading;

use std::path::Path;

use jammdb::DB;

pub(crate) const ROOT: &str = "sensors";

/// jammdb-backed storage: one nested bucket per sensor, keyed by
/// big-endian timestamp.
pub struct ReadingStore {
    db: DB,
}

impl ReadingStore {
    pub fn open(path: &Path) -> anyhow::Result<Self> {
        let db = DB::open(path)?;
        {
            let tx = db.tx(true)?;
            tx.get_or_create_bucket(ROOT)?;
            tx.commit()?;
        }
        Ok(ReadingStore { db })
    }
}
