use std::sync::{Mutex, OnceLock};

use odbc_api::{buffers::TextRowSet, Connection, ConnectionOptions, Cursor, Environment};

static ODBC_ENV: OnceLock<Environment> = OnceLock::new();

pub fn odbc_env() -> &'static Environment {
    ODBC_ENV.get_or_init(|| Environment::new().expect("odbc environment"))
}

/// Editorial catalog (titles, embargo flags) living in the CMS database.
pub struct Catalog {
    conn: Mutex<Connection<'static>>,
}

impl Catalog {
    pub fn connect(dsn: &str) -> anyhow::Result<Self> {
        let conn = odbc_env().connect_with_connection_string(dsn, ConnectionOptions::default())?;
        Ok(Self { conn: Mutex::new(conn) })
    }

    pub fn embargoed_ids(&self) -> anyhow::Result<Vec<String>> {
        let mut out = Vec::new();
        let conn = self.conn.lock().unwrap();
        if let Some(mut cursor) = conn.execute("SELECT doc_id FROM embargo WHERE until > now()", ())? {
            let mut buf = Vec::new();
            while let Some(mut row) = cursor.next_row()? {
                if row.get_text(1, &mut buf)? {
                    out.push(String::from_utf8_lossy(&buf).into_owned());
                }
            }
        }
        Ok(out)
    }

    pub fn titles_batch(&self, limit: usize) -> anyhow::Result<Vec<String>> {
        let mut out = Vec::new();
        let conn = self.conn.lock().unwrap();
        if let Some(mut cursor) = conn.execute("SELECT title FROM documents ORDER BY updated DESC", ())? {
            let buffer = TextRowSet::for_cursor(limit, &mut cursor, Some(4096))?;
            let mut bound = cursor.bind_buffer(buffer)?;
            if let Some(batch) = bound.fetch()? {
                for i in 0..batch.num_rows() {
                    out.push(String::from_utf8_lossy(batch.at(0, i).unwrap_or(b"")).into_owned());
                }
            }
        }
        Ok(out)
    }
}
