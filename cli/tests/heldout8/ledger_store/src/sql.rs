use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

#[derive(Debug, QueryableByName)]
pub struct Balance {
    #[diesel(sql_type = Text)]
    pub account: String,
    #[diesel(sql_type = BigInt)]
    pub cents: i64,
}

pub struct Reports {
    conn: SqliteConnection,
}

impl Reports {
    pub fn connect(path: &str) -> ConnectionResult<Self> {
        Ok(Self { conn: SqliteConnection::establish(path)? })
    }

    pub fn migrate(&mut self) -> QueryResult<usize> {
        diesel::sql_query(
            "CREATE TABLE IF NOT EXISTS balances (account TEXT PRIMARY KEY, cents BIGINT NOT NULL)",
        )
        .execute(&mut self.conn)
    }

    pub fn upsert_balance(&mut self, account: &str, delta: i64) -> QueryResult<usize> {
        diesel::sql_query(
            "INSERT INTO balances (account, cents) VALUES (?, ?) \
             ON CONFLICT(account) DO UPDATE SET cents = cents + excluded.cents",
        )
        .bind::<Text, _>(account)
        .bind::<BigInt, _>(delta)
        .execute(&mut self.conn)
    }

    pub fn balances(&mut self) -> QueryResult<Vec<Balance>> {
        diesel::sql_query("SELECT account, cents FROM balances ORDER BY account").load(&mut self.conn)
    }

    pub fn conn(&mut self) -> &mut SqliteConnection {
        &mut self.conn
    }
}

pub async fn close_period(reports: &mut Reports, period: &str) -> QueryResult<usize> {
    let q = diesel::sql_query("DELETE FROM balances WHERE account LIKE ?").bind::<Text, _>(format!("{period}%")); //~ ok(db)
    let shown = diesel::debug_query::<diesel::sqlite::Sqlite, _>(&q).to_string(); //~ ok(db)
    tracing::info!(%shown);
    let n = q.execute(reports.conn())?; //~ db
    let rows: Vec<Balance> = diesel::sql_query("SELECT account, cents FROM balances").load(reports.conn())?; //~ db
    let mut fresh = SqliteConnection::establish(":memory:")?; //~ db
    reports.conn().transaction::<_, diesel::result::Error, _>(|c| { //~ db
        diesel::sql_query("VACUUM").execute(c)?;
        Ok(())
    })?;
    diesel::sql_query("SELECT 1").execute(&mut fresh)?; //~ db
    tracing::debug!(rows = rows.len());
    Ok(n)
}
