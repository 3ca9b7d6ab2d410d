use std::path::Path;

use rusqlite::{params, Connection, OptionalExtension};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub rel: String,
    pub digest: String,
    pub mtime: i64,
    pub synced: bool,
}

pub struct Index {
    conn: Connection,
}

impl Index {
    pub fn open(path: &Path) -> rusqlite::Result<Self> {
        let conn = Connection::open(path)?;
        conn.execute_batch(
            "CREATE TABLE IF NOT EXISTS files (
                rel TEXT PRIMARY KEY, digest TEXT NOT NULL, mtime INTEGER NOT NULL,
                synced INTEGER NOT NULL DEFAULT 0);",
        )?;
        Ok(Self { conn })
    }

    pub fn lookup(&self, rel: &str) -> rusqlite::Result<Option<Entry>> {
        self.conn
            .query_row(
                "SELECT rel, digest, mtime, synced FROM files WHERE rel = ?1",
                [rel],
                |r| {
                    Ok(Entry {
                        rel: r.get(0)?,
                        digest: r.get(1)?,
                        mtime: r.get(2)?,
                        synced: r.get(3)?,
                    })
                },
            )
            .optional()
    }

    pub fn record(&self, rel: &str, digest: &str, mtime: i64) -> rusqlite::Result<()> {
        self.conn.execute(
            "INSERT INTO files (rel, digest, mtime, synced) VALUES (?1, ?2, ?3, 0)
             ON CONFLICT(rel) DO UPDATE SET digest = excluded.digest, mtime = excluded.mtime, synced = 0",
            params![rel, digest, mtime],
        )?;
        Ok(())
    }

    pub fn mark_synced(&self, rel: &str) -> rusqlite::Result<()> {
        self.conn
            .execute("UPDATE files SET synced = 1 WHERE rel = ?1", [rel])?;
        Ok(())
    }

    pub fn pending(&self) -> rusqlite::Result<Vec<String>> {
        let mut stmt = self.conn.prepare("SELECT rel FROM files WHERE synced = 0")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        rows.collect()
    }

    pub fn count(&self) -> rusqlite::Result<(i64, i64)> {
        self.conn.query_row(
            "SELECT COUNT(*), COALESCE(SUM(synced), 0) FROM files",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
    }
}
