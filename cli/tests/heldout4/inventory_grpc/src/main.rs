//! Inventory gRPC service: SKU lookup, stock reservation and CSV import/export over tonic,
//! backed by a local SQLite database with an in-process read cache.

mod config;
mod service;
mod store;
#[path = "telemetry/setup.rs"]
mod telemetry;

pub mod proto {
    tonic::include_proto!("inventory.v1");
}

use std::sync::Arc;

use anyhow::Context;
use tonic::transport::Server;

use crate::config::Settings;
use crate::proto::inventory_server::InventoryServer;
use crate::service::InventoryService;
use crate::store::{Cache, SqliteStore};

fn main() -> anyhow::Result<()> {
    let path = std::env::var("INVENTORY_CONFIG").unwrap_or_else(|_| "inventory.toml".into());
    let settings = Settings::load(&path).context("loading settings")?; //~ ok(fs)
    telemetry::init(&settings.log_level);
    telemetry::write_pid_file(&settings.pid_file)?; //~ ok(fs)

    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .worker_threads(settings.workers)
        .build()?;
    rt.block_on(serve(Arc::new(settings))) //~ ok(block_on)
}

async fn serve(settings: Arc<Settings>) -> anyhow::Result<()> {
    let addr = settings.listen_addr()?; //~ dns
    let store = Arc::new(SqliteStore::open(settings.db_path())?); //~ db
    store.migrate()?; //~ db
    let cache = Arc::new(Cache::with_capacity(settings.cache_size));
    let host = telemetry::hostname(); //~ process
    tracing::info!(%addr, %host, "inventory service starting");

    let svc = InventoryService::new(store.clone(), cache.clone(), settings.clone());
    let warm = svc.clone();
    tokio::spawn(async move { warm.warm_cache().await });
    tokio::spawn(cache.clone().expire_loop());
    tokio::spawn(telemetry::heartbeat(settings.flush_interval()));

    Server::builder()
        .add_service(InventoryServer::new(svc))
        .serve_with_shutdown(addr, shutdown())
        .await?;

    tokio::task::block_in_place(|| store.checkpoint())?; //~ ok(db)
    telemetry::remove_pid_file(&settings.pid_file).await; //~ ok(fs)
    Ok(())
}

async fn shutdown() {
    let _ = tokio::signal::ctrl_c().await;
    tracing::info!("shutdown requested");
}
