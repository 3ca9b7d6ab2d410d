//! Metrics ingest: a UDP collector that batches line-protocol samples into RocksDB, answers range queries through a small worker pool and exposes ingest statistics.

mod bus;
mod ingest;
mod query;
mod stats;
mod storage;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::storage::Store;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt::init();
    let data_dir = PathBuf::from(std::env::var("METRICS_DATA").unwrap_or_else(|_| "/var/lib/metrics".into()));
    let store = Arc::new(Store::open(&data_dir.join("tsdb")).await?);
    if let Ok(max_batch) = std::env::var("METRICS_MAX_BATCH") {
        let mut limits = stats::limits().await;
        limits.max_batch = max_batch.parse()?;
        stats::set_limits(limits).await;
    }

    let (batch_tx, batch_rx) = async_channel::bounded(32);
    let workers = bus::spawn_workers(2, store.raw());
    let queries = query::spawn_query_thread(store.raw());

    tokio::spawn(bus::forward_batches(batch_rx.clone(), store.clone()));
    tokio::spawn(ingest::listen("0.0.0.0:8125", batch_tx.clone()));
    tokio::spawn(query::serve("127.0.0.1:8126", queries.clone(), workers.clone()));

    let mut housekeeping = tokio::time::interval(Duration::from_secs(300));
    loop {
        tokio::select! {
            _ = housekeeping.tick() => {
                let snapshot = stats::snapshot().await;
                tracing::info!(?snapshot, "ingest stats");
                store.compact().await;
                let load = store.latest("host.load1").await?;
                let recent = store.recent("host.load1", 60).await?;
                tracing::debug!(?load, samples = recent.len(), "load average");
                let archived = store.export_offthread("mem.".to_string()).await?;
                tracing::debug!(archived = archived.len(), "exported mem series");
                let exported = storage::export_series(&store.raw(), "cpu.", 10_000)?; //~ db
                tracing::debug!(exported = exported.len(), "exported cpu series");
            }
            _ = tokio::signal::ctrl_c() => {
                tracing::info!("shutting down");
                let leftover = bus::drain_on_shutdown(batch_rx.clone()).await;
                tracing::info!(leftover, "drained pending batches");
                store.flush().await?;
                store.checkpoint(&data_dir.join(format!("checkpoint-{}", std::process::id()))).await?;
                return Ok(());
            }
        }
    }
}
