//! Local, read-optimised copies of the configuration tree.

pub const SNAPSHOT_PATH: &str = "/var/lib/config-sync/config.cdb";

use std::collections::BTreeMap;

/// Writes a complete snapshot; readers see either the old or the new file (atomic rename).
pub fn write_snapshot(path: &str, values: &BTreeMap<String, Vec<u8>>) -> cdb::Result<()> {
    let mut w = cdb::CDBWriter::create(path)?;
    for (k, v) in values {
        w.add(k.as_bytes(), v)?;
    }
    w.finish()
}

pub struct Snapshot {
    pub db: cdb::CDB,
}

impl Snapshot {
    pub fn open(path: &str) -> cdb::Result<Self> {
        Ok(Self { db: cdb::CDB::open(path)? })
    }

    pub fn lookup(&self, key: &str) -> Option<Vec<u8>> {
        self.db.get(key.as_bytes()).and_then(Result::ok)
    }
}

pub fn diff_keys(old: &BTreeMap<String, Vec<u8>>, new: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    new.iter().filter(|(k, v)| old.get(*k) != Some(*v)).map(|(k, _)| k.clone()).collect()
}
