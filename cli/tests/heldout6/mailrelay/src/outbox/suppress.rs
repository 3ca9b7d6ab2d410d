//! Suppression list: addresses that hard-bounced. Each change is written
//! straight to disk (AutoDump), so callers should expect file I/O.

use std::path::Path;

use pickledb::{PickleDb, PickleDbDumpPolicy, SerializationMethod};

pub fn add(path: &Path, addr: &str, reason: &str) -> anyhow::Result<()> {
    let mut db = match PickleDb::load(path, PickleDbDumpPolicy::AutoDump, SerializationMethod::Json) {
        Ok(db) => db,
        Err(_) => PickleDb::new(path, PickleDbDumpPolicy::AutoDump, SerializationMethod::Json),
    };
    db.set(&addr.to_ascii_lowercase(), &reason.to_string())?;
    Ok(())
}

pub fn is_suppressed(path: &Path, addr: &str) -> bool {
    match PickleDb::load_read_only(path, SerializationMethod::Json) {
        Ok(db) => db.exists(&addr.to_ascii_lowercase()),
        Err(_) => false,
    }
}

/// Check against an already-loaded snapshot (no I/O).
pub fn in_snapshot(snapshot: &PickleDb, addr: &str) -> bool {
    snapshot.exists(&addr.to_ascii_lowercase())
}

pub fn load_snapshot(path: &Path) -> Option<PickleDb> {
    PickleDb::load_read_only(path, SerializationMethod::Json).ok()
}
