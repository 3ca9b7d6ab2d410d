mod job;
pub mod suppress;

pub use job::MailJob;

use std::path::Path;

use anyhow::Context;
use pickledb::{PickleDb, PickleDbDumpPolicy, SerializationMethod};

/// Persistent queue of mails that still need delivering. Changes are
/// kept in memory and written out by `flush`.
pub struct Outbox {
    db: PickleDb,
    dirty: usize,
}

impl Outbox {
    pub fn open(path: &Path) -> anyhow::Result<Self> {
        let db = match PickleDb::load(path, PickleDbDumpPolicy::DumpUponRequest, SerializationMethod::Json) {
            Ok(db) => db,
            Err(e) if matches!(e.get_type(), pickledb::error::ErrorType::Io) => {
                tracing::info!("no outbox yet, starting empty");
                PickleDb::new(path, PickleDbDumpPolicy::DumpUponRequest, SerializationMethod::Json)
            }
            Err(e) => return Err(e).context("loading outbox"),
        };
        Ok(Outbox { db, dirty: 0 })
    }

    /// In-memory only; see `flush`.
    pub fn enqueue(&mut self, job: &MailJob) -> anyhow::Result<()> {
        self.db.set(&job.id, job)?;
        self.dirty += 1;
        Ok(())
    }

    pub fn complete(&mut self, id: &str) -> anyhow::Result<bool> {
        let removed = self.db.rem(id)?;
        self.dirty += 1;
        Ok(removed)
    }

    pub fn pending(&self) -> Vec<MailJob> {
        self.db
            .get_all()
            .into_iter()
            .filter_map(|k| self.db.get::<MailJob>(&k))
            .collect()
    }

    pub fn needs_flush(&self) -> bool {
        self.dirty >= 16
    }

    pub fn flush(&mut self) -> anyhow::Result<()> {
        self.db.dump()?;
        self.dirty = 0;
        Ok(())
    }
}
