//! ledgerd — a small double-entry ledger API. Balances live in SQLite,
//! every posted transfer is also journalled in a persy audit store.

mod api;
mod db;

use std::sync::Arc;
use std::time::Duration;

use crate::db::{AuditLog, Journal, Ledger};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let db_path = std::env::var("LEDGER_DB").unwrap_or_else(|_| "ledger.sqlite".into());
    let audit_path = std::env::var("LEDGER_AUDIT").unwrap_or_else(|_| "audit.persy".into());

    let ledger = Arc::new(Ledger::open(&db_path)?); //~ db
    ledger.migrate()?; //~ db
    let audit = AuditLog::open(&audit_path)?; //~ db
    let journal: Arc<dyn Journal> = Arc::new(audit);
    let recent = journal.recent(5)?; //~ db
    tracing::info!(?recent, "last journal entries");

    // Self-check against a throwaway in-memory ledger before serving.
    let scratch = Ledger::in_memory()?; //~ ok(db)
    scratch.migrate()?; //~ ok(db)

    tokio::spawn(nightly_snapshot(ledger.clone(), journal.clone()));

    let state = api::AppState { ledger, journal };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:8700").await?;
    axum::serve(listener, api::router(state)).await?;
    Ok(())
}

/// Once a day: copy totals into the journal and VACUUM.
async fn nightly_snapshot(ledger: Arc<Ledger>, journal: Arc<dyn Journal>) {
    let mut tick = tokio::time::interval(Duration::from_secs(24 * 3600));
    loop {
        tick.tick().await;
        let total = match ledger.total_balance() { //~ db
            Ok(t) => t,
            Err(e) => {
                tracing::warn!(error = %e, "snapshot failed");
                continue;
            }
        };
        if let Err(e) = journal.record("snapshot", &format!("total={total}")) { //~ db
            tracing::warn!(error = %e, "journal write failed");
        }
        let l = ledger.clone();
        let _ = tokio::task::spawn_blocking(move || l.vacuum()).await; //~ ok(db)
    }
}
