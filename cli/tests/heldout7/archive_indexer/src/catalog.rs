use duckdb::{params, Connection};

use crate::formats::Member;

pub const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS members (
    archive  VARCHAR NOT NULL,
    path     VARCHAR NOT NULL,
    size     BIGINT,
    mime     VARCHAR
);
CREATE INDEX IF NOT EXISTS members_path ON members(path);
";

pub struct Catalog {
    conn: Connection,
}

impl Catalog {
    pub fn new(conn: Connection) -> Self {
        Catalog { conn }
    }

    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Replaces all rows of `archive` with `members` (bulk appender).
    pub fn replace(&self, archive: &str, members: &[Member]) -> duckdb::Result<usize> {
        self.conn.execute("DELETE FROM members WHERE archive = ?", params![archive])?;
        let mut app = self.conn.appender("members")?;
        for m in members {
            app.append_row((archive, m.path.as_str(), m.size as i64, m.mime.as_deref()))?;
        }
        app.flush()?;
        Ok(members.len())
    }

    pub fn search(&self, needle: &str, limit: usize) -> duckdb::Result<Vec<(String, String, i64)>> {
        let mut stmt = self.conn.prepare("SELECT archive, path, size FROM members WHERE path ILIKE ? LIMIT ?")?;
        let rows = stmt.query_map(params![format!("%{needle}%"), limit as i64], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        rows.collect()
    }

    pub fn export_parquet(&self, dest: &str) -> duckdb::Result<()> {
        self.conn.execute_batch(&format!("COPY members TO '{dest}' (FORMAT PARQUET)"))
    }
}
