mod accounts;
mod audit;

pub use accounts::{Account, TransferError};
pub use audit::{AuditLog, Journal, MemoryJournal};

use sqlite::ConnectionThreadSafe;

/// SQLite-backed account balances. The connection is opened in
/// serialized (full mutex) mode so it can be shared between handlers.
pub struct Ledger {
    conn: ConnectionThreadSafe,
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS accounts (
    id      TEXT PRIMARY KEY,
    owner   TEXT NOT NULL,
    balance INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS transfers (
    seq     INTEGER PRIMARY KEY AUTOINCREMENT,
    src     TEXT NOT NULL,
    dst     TEXT NOT NULL,
    amount  INTEGER NOT NULL
);
";

impl Ledger {
    pub fn open(path: &str) -> anyhow::Result<Self> {
        let mut conn = sqlite::Connection::open_thread_safe(path)?;
        conn.set_busy_timeout(5_000)?;
        Ok(Ledger { conn })
    }

    /// `:memory:` database, never touches the disk.
    pub fn in_memory() -> anyhow::Result<Self> {
        Ok(Ledger { conn: sqlite::Connection::open_thread_safe(":memory:")? })
    }

    pub fn migrate(&self) -> anyhow::Result<()> {
        self.conn.execute(SCHEMA)?;
        Ok(())
    }

    pub fn vacuum(&self) -> anyhow::Result<()> {
        self.conn.execute("VACUUM")?;
        Ok(())
    }
}
