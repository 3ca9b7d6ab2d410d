//! Small bookkeeping service: ledger entries in PoloDB, audit journal in JSON files,
//! reporting tables in SQLite, FX rates over HTTP.
mod batch;
mod books;
mod journal;
mod rates;
mod sql;

use std::sync::Arc;
use std::time::Duration;

use books::{Entry, Ledger};
use polodb_core::bson::doc;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    tracing_subscriber::fmt::init();
    let ledger = Arc::new(Ledger::open("./data/ledger.db")?); //~ db
    let journal = journal::Journal::open("./data/journal")?; //~ fs
    let mut reports = sql::Reports::connect("./data/reports.sqlite")?; //~ db
    reports.migrate()?; //~ db
    let fx = rates::RateClient::new("http://fx.example.net/latest"); //~ ok(http_blocking)

    let (tx, mut rx) = tokio::sync::mpsc::channel::<Entry>(128);
    tokio::spawn(async move {
        for i in 0..10 {
            let e = Entry::new(format!("acct-{i}"), (i * 100) as i64, "EUR");
            if tx.send(e).await.is_err() { //~ ok(channel)
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await; //~ ok(sleep)
        }
    });

    while let Some(entry) = rx.recv().await { //~ ok(channel)
        let rate = fx.rate(&entry.currency)?; //~ http_blocking
        let mut entry = entry;
        entry.amount_eur_cents = (entry.amount_cents as f64 * rate) as i64;
        ledger.post(&entry)?; //~ db
        journal.record(&entry)?; //~ fs
        reports.upsert_balance(&entry.account, entry.amount_eur_cents)?; //~ db
        ledger.bump_counter(); //~ lock
        if ledger.try_counter().unwrap_or(0) % 5 == 0 { //~ ok(lock)
            let snap = ledger.snapshot_to_bson(std::path::Path::new("./data/snap.bson"))?; //~ fs
            tracing::info!(snap, "snapshot written");
        }
    }

    let open = ledger.collection().find(doc! { "settled": false }).run()?; //~ db
    let pending: Vec<Entry> = open.filter_map(|r| r.ok()).collect(); //~ db
    let totals = batch::totals_in_parallel(&pending, 4); //~ thread_join
    let l2 = ledger.clone();
    let count = tokio::task::spawn_blocking(move || l2.count()).await??; //~ ok(db)
    tracing::info!(count, ?totals, "done");
    let all = journal.all_entries()?; //~ fs
    let balances = reports.balances()?; //~ db
    tracing::info!(entries = all.len(), balances = balances.len());
    Ok(())
}
