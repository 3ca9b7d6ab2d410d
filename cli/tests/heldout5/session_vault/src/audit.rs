use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use redb::backends::InMemoryBackend;
use redb::{Database, ReadableDatabase, ReadableTable, TableDefinition};
use serde::Serialize;

const EVENTS: TableDefinition<u64, &str> = TableDefinition::new("events");

#[derive(Debug, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AuditEvent {
    Created { session: String, user_id: u64 },
    Revoked { session: String },
    ProfileUpdated { user_id: u64 },
    Expired { count: usize },
}

impl AuditEvent {
    pub fn created(session: &str, user_id: u64) -> Self {
        AuditEvent::Created {
            session: session.to_string(),
            user_id,
        }
    }
    pub fn revoked(session: &str) -> Self {
        AuditEvent::Revoked {
            session: session.to_string(),
        }
    }
    pub fn profile_updated(user_id: u64) -> Self {
        AuditEvent::ProfileUpdated { user_id }
    }
    pub fn expired(count: usize) -> Self {
        AuditEvent::Expired { count }
    }
}

pub struct AuditLog {
    db: Database,
    next_id: AtomicU64,
}

impl AuditLog {
    pub fn create(path: &Path) -> anyhow::Result<Self> {
        let db = Database::create(path)?;
        let txn = db.begin_read()?;
        let next_id = match txn.open_table(EVENTS) {
            Ok(table) => table.last()?.map(|(k, _)| k.value() + 1).unwrap_or(0),
            Err(_) => 0,
        };
        drop(txn);
        Ok(Self {
            db,
            next_id: AtomicU64::new(next_id),
        })
    }

    pub fn in_memory() -> anyhow::Result<Self> {
        let db = Database::builder().create_with_backend(InMemoryBackend::new())?;
        Ok(Self {
            db,
            next_id: AtomicU64::new(0),
        })
    }

    pub async fn record(&self, event: AuditEvent) -> anyhow::Result<()> {
        let line = serde_json::to_string(&event)?;
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let txn = self.db.begin_write()?; //~ db
        {
            let mut table = txn.open_table(EVENTS)?; //~ db
            table.insert(id, line.as_str())?; //~ db
        }
        txn.commit()?; //~ db
        Ok(())
    }

    pub fn read_from(&self, from: u64, limit: usize) -> anyhow::Result<Vec<String>> {
        let txn = self.db.begin_read()?;
        let table = txn.open_table(EVENTS)?;
        let mut out = Vec::new();
        for row in table.range(from..)?.take(limit) {
            let (_, value) = row?;
            out.push(value.value().to_string());
        }
        Ok(out)
    }
}
