use super::*;

fn row_to_item(row: &rusqlite::Row<'_>) -> rusqlite::Result<Item> {
    Ok(Item {
        sku: row.get(0)?,
        name: row.get(1)?,
        quantity: row.get(2)?,
        price_cents: row.get(3)?,
    })
}

pub struct SqliteStore {
    conn: Mutex<Connection>,
}

impl SqliteStore {
    pub fn open(path: &std::path::Path) -> rusqlite::Result<Self> {
        let conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        Ok(Self { conn: Mutex::new(conn) })
    }

    pub fn migrate(&self) -> rusqlite::Result<()> {
        self.conn.lock().unwrap().execute_batch(
            "CREATE TABLE IF NOT EXISTS items (
                sku TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                quantity INTEGER NOT NULL DEFAULT 0,
                price_cents INTEGER NOT NULL DEFAULT 0
            );",
        )
    }

    pub fn get(&self, sku: &str) -> rusqlite::Result<Option<Item>> {
        let conn = self.conn.lock().unwrap();
        conn.query_row(
            "SELECT sku, name, quantity, price_cents FROM items WHERE sku = ?1",
            params![sku],
            row_to_item,
        )
        .optional()
    }

    pub fn upsert(&self, item: &Item) -> rusqlite::Result<usize> {
        self.conn.lock().unwrap().execute(
            "INSERT INTO items (sku, name, quantity, price_cents) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(sku) DO UPDATE SET name = excluded.name,
                quantity = excluded.quantity, price_cents = excluded.price_cents",
            params![item.sku, item.name, item.quantity, item.price_cents],
        )
    }

    pub fn list(&self, limit: i64) -> rusqlite::Result<Vec<Item>> {
        let conn = self.conn.lock().unwrap();
        let mut stmt = conn.prepare_cached(
            "SELECT sku, name, quantity, price_cents FROM items ORDER BY sku LIMIT ?1",
        )?;
        let rows = stmt.query_map(params![limit], row_to_item)?;
        rows.collect()
    }

    pub fn adjust(&self, sku: &str, delta: i64) -> rusqlite::Result<Option<i64>> {
        let mut attempt = 0;
        loop {
            let res = {
                let conn = self.conn.lock().unwrap();
                conn.query_row(
                    "UPDATE items SET quantity = quantity + ?2 WHERE sku = ?1 RETURNING quantity",
                    params![sku, delta],
                    |r| r.get(0),
                )
                .optional()
            };
            match res {
                Err(rusqlite::Error::SqliteFailure(e, _))
                    if e.code == rusqlite::ErrorCode::DatabaseBusy && attempt < 5 =>
                {
                    attempt += 1;
                    backoff(attempt);
                }
                other => return other,
            }
        }
    }

    pub fn checkpoint(&self) -> rusqlite::Result<()> {
        self.conn
            .lock()
            .unwrap()
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
    }

    pub async fn count(&self) -> rusqlite::Result<i64> {
        let conn = self.conn.lock().unwrap(); //~ lock
        conn.query_row("SELECT COUNT(*) FROM items", [], |r| r.get(0)) //~ db
    }
}
